// Firewall VMs as enforcement points (issue 15 §5): interfaces, attachments, EIPs, routes to an interface or
// an instance, the firewall's own subnets, and the public IP a source needs to use an IGW.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, PathTrace } from '../../../src/analysis/types';
import type { NetworkElement } from '../../../src/model/types';

const EXAMPLES = join(__dirname, '../../../../examples');

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

function example(name: string): Record<string, string> {
  const dir = join(EXAMPLES, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

const state = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;
const el = (r: AnalysisResult, id: string) => r.model.elements.find((e) => e.id === id) as NetworkElement & Record<string, unknown>;
const kinds = (t: PathTrace) => t.hops.map((h) => h.kind);

describe('NGFW instances (issue 15 §5)', function () {
  this.timeout(60000);

  it('aws-ngfw-instances: app subnets inspected by the same-AZ firewall both ways, NATed to its outside EIP; no findings', async () => {
    const r = await run(example('aws-ngfw-instances'));
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    assert.equal(state(r, 'aws_vpc.spoke').state, 'Protected');
    assert.equal(state(r, 'aws_vpc.security').state, 'Inspection');
    for (const az of ['a', 'b']) {
      const eg = r.egress.find((e) => e.subnet === `aws_subnet.app["${az}"]`)!;
      assert.deepEqual(eg.forward.outcome, { kind: 'delivered' });
      assert.deepEqual(kinds(eg.forward), ['subnet', 'tgw', 'tgwAttachment', 'eni', 'instance', 'igw', 'internet']);
      // A firewall by what the inputs say it runs (F122): its image comes from var.firewall_ami.
      assert.deepEqual(eg.forward.inspectedBy, [
        {
          kind: 'appliance',
          element: `aws_instance.firewall["${az}"]`,
          az: `eu-central-1${az}`,
          evidence: 'its image var.firewall_ami says firewall',
        },
      ]);
      const fw = eg.forward.hops.find((h) => h.kind === 'instance')!;
      assert.equal(fw.translation?.kind, 'snat');
      assert.equal(fw.translation?.by, `aws_network_interface.outside["${az}"]`);
      const igw = eg.forward.hops.find((h) => h.kind === 'igw')!;
      assert.match(igw.note, new RegExp(`-> EIP of fw-${az}-outside`));
      assert.deepEqual(eg.return!.outcome, { kind: 'delivered' });
      assert.deepEqual(
        eg.return!.inspectedBy.map((e) => e.element),
        [`aws_instance.firewall["${az}"]`],
      );
      assert.equal(eg.return!.hops.at(-1)!.element, `aws_subnet.app["${az}"]`);
    }
    // The firewall's own subnets are no sources; the app subnets holding the TGW attachment are.
    assert.deepEqual(r.egress.map((e) => e.subnet).sort(), ['aws_subnet.app["a"]', 'aws_subnet.app["b"]', 'aws_subnet.db']);
    // db-a routes to the IGW but its host has no public IP: dropped, not egress.
    const db = r.egress.find((e) => e.subnet === 'aws_subnet.db')!;
    assert.equal(db.forward.outcome.kind, 'dropped');
    assert.equal(db.forward.outcome.kind === 'dropped' && db.forward.outcome.cause, 'no-public-ip');
  });

  it('the model: interfaces with their instance, device index, EIP; the instance lives in its primary interface subnet', async () => {
    const r = await run(example('aws-ngfw-instances'));
    const out = el(r, 'aws_network_interface.outside["a"]');
    assert.equal(out.kind, 'eni');
    assert.equal(out.sourceDestCheck, false);
    assert.equal(out.instance, 'aws_instance.firewall["a"]');
    assert.equal(out.deviceIndex, 1);
    assert.equal(out.eip, 'aws_eip.outside["a"]');
    assert.equal(out.privateIp, '10.100.10.10');
    const mgmt = el(r, 'aws_network_interface.mgmt["a"]');
    assert.equal(mgmt.sourceDestCheck, true, "AWS's default");
    assert.equal(mgmt.deviceIndex, 0);
    assert.equal(mgmt.eip, 'aws_eip.mgmt["a"]');
    const fw = el(r, 'aws_instance.firewall["a"]');
    assert.equal(fw.subnet, 'aws_subnet.mgmt["a"]');
    assert.equal(fw.privateIp, '10.100.0.10');
    assert.equal(el(r, 'aws_subnet.db').mapPublicIp, false);
  });

  it('aws-ngfw-instances-broken: an inside interface with its check on is a blackhole-route on the interface; a db host with a public IP is uninspected', async () => {
    const r = await run(example('aws-ngfw-instances-broken'));
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.severity} ${f.elementId}`),
      ['blackhole-route error aws_network_interface.inside["b"]', 'uninspected-egress warning aws_route_table.db#0'],
    );
    const bh = r.findings[0];
    assert.match(bh.message, /fw-b-inside has its source\/destination check on/);
    assert.match(bh.fix!.title, /source_dest_check = false/);
    assert.equal(bh.location.file, 'security.tf');
    assert.equal(state(r, 'aws_vpc.spoke').state, 'Partially Protected');
    // Fixed, it is the correct example's verdicts.
    const fixed = example('aws-ngfw-instances-broken');
    fixed['security.tf'] = fixed['security.tf'].replace('each.key == "a" ? false : true', 'false');
    fixed['spoke.tf'] = fixed['spoke.tf'].replace('associate_public_ip_address = true', 'associate_public_ip_address = false');
    const after = await run(fixed);
    assert.deepEqual(after.findings, []);
    assert.equal(state(after, 'aws_vpc.spoke').state, 'Protected');
  });

  it('a source through an IGW: an EIP or a mapped subnet gives a public IP; an undecidable one is Unknown; no instance: egress', async () => {
    const base = example('aws-ngfw-instances');
    const variant = async (db: string, subnet = 'map_public_ip_on_launch = false') => {
      const files = { ...base };
      files['spoke.tf'] = files['spoke.tf']
        .replace('  private_ip    = "10.1.50.20"\n', `  private_ip    = "10.1.50.20"\n${db}\n`)
        .replace('map_public_ip_on_launch = false', subnet);
      const r = await run(files);
      return r.egress.find((e) => e.subnet === 'aws_subnet.db')!.forward.outcome;
    };
    assert.equal((await variant('')).kind, 'dropped');
    assert.equal((await variant('', 'map_public_ip_on_launch = true')).kind, 'delivered');
    assert.equal((await variant('  associate_public_ip_address = true')).kind, 'delivered');
    assert.equal((await variant('', 'map_public_ip_on_launch = var.public')).kind, 'unknown');
    const eip = await variant('}\nresource "aws_eip" "db" {\n  instance = aws_instance.db.id');
    assert.equal(eip.kind, 'delivered');
    // Without the instance the subnet can still hold something with a public IP: egress.
    const files = { ...base };
    files['spoke.tf'] = files['spoke.tf'].replace(/resource "aws_instance" "db" \{[^}]*\}/, '');
    const r = await run(files);
    assert.equal(r.egress.find((e) => e.subnet === 'aws_subnet.db')!.forward.outcome.kind, 'delivered');
    assert.ok(r.findings.some((f) => f.code === 'uninspected-egress'));
  });

  it('a route to an interface attached to no instance is Unknown (attached by a script), and its subnet is no source', async () => {
    const files = example('aws-ngfw-instances');
    files['security.tf'] = files['security.tf'].replace(/resource "aws_network_interface_attachment" "inside" \{[^}]*\}/, '');
    const r = await run(files);
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.app["a"]')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
    assert.match(
      eg.forward.outcome.kind === 'unknown' ? eg.forward.outcome.reason : '',
      /fw-a-inside is attached to no instance in the inputs/,
    );
    assert.equal(state(r, 'aws_vpc.spoke').state, 'Unknown');
    assert.ok(!r.egress.some((e) => e.subnet === 'aws_subnet.inside["a"]'));
  });

  it('a route with instance_id to the firewall goes through its primary interface the same way', async () => {
    const files = example('aws-ngfw-instances');
    // Make the inside interface the primary one and route to the instance.
    files['security.tf'] = files['security.tf']
      .replace(
        'network_interface_id   = aws_network_interface.inside[each.key].id',
        'instance_id            = aws_instance.firewall[each.key].id',
      )
      .replace(
        'network_interface_id = aws_network_interface.mgmt[each.key].id',
        'network_interface_id = aws_network_interface.inside[each.key].id',
      )
      .replace(
        /resource "aws_network_interface_attachment" "inside" \{[^}]*\}/,
        'resource "aws_network_interface_attachment" "mgmt" {\n  for_each = local.zones\n  instance_id = aws_instance.firewall[each.key].id\n  network_interface_id = aws_network_interface.mgmt[each.key].id\n  device_index = 2\n}',
      );
    const r = await run(files);
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.app["b"]')!;
    assert.deepEqual(kinds(eg.forward), ['subnet', 'tgw', 'tgwAttachment', 'instance', 'igw', 'internet']);
    assert.equal(state(r, 'aws_vpc.spoke').state, 'Protected');
  });
});

describe('a one-armed firewall instance with a public IP of its own (no interface resources)', function () {
  this.timeout(30000);
  // A single VPC: private subnets send 0/0 to the firewall's primary interface (its image FortiGate's: its name
  // alone would be a hint, review s16 R11); the firewall sits in a subnet
  // that maps public IPs and sends 0/0 to the IGW. The IGW maps only the firewall's own address, so the
  // firewall must translate what it forwards (a NAT instance): the replies come back to it.
  const files = (mapPublic: string) => ({
    'main.tf': `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "fw" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.100.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = ${mapPublic}
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_instance" "fw" {
  ami               = data.aws_ami.fw.id
  subnet_id         = aws_subnet.fw.id
  source_dest_check = false
}
data "aws_ami" "fw" {
  filter {
    name   = "name"
    values = ["FortiGate-VM64-AWSONDEMAND*"]
  }
}
resource "aws_route_table" "fw" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "fw" {
  subnet_id      = aws_subnet.fw.id
  route_table_id = aws_route_table.fw.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.fw.primary_network_interface_id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
`,
  });

  it('translates to its own address: the reply returns through it, inspected both ways, no asymmetric-return-bypass', async () => {
    const r = await run(files('true'));
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.private')!;
    assert.deepEqual(kinds(eg.forward), ['subnet', 'instance', 'igw', 'internet']);
    const snat = eg.forward.hops.find((h) => h.kind === 'instance')!.translation;
    assert.deepEqual([snat?.kind, snat?.by], ['snat', 'aws_instance.fw']);
    assert.equal(eg.return?.outcome.kind, 'delivered');
    assert.ok(
      eg.return.hops.some((h) => h.element === 'aws_instance.fw' && h.enforcement),
      'the reply meets the firewall',
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    assert.equal(state(r, 'aws_vpc.v').state, 'Protected');
  });

  it('without a public IP of its own it does not translate (what it forwards has no public address at the IGW)', async () => {
    const r = await run(files('false'));
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.private')!;
    assert.equal(eg.forward.hops.find((h) => h.kind === 'instance')!.translation, undefined);
  });
});

describe('Terraform: data source instance keys and endpoint service types (vendor VPC modules)', function () {
  this.timeout(60000);
  const vpcModule = (existing: string) => `
variable "vpcs" {
  default = { sec = { name = "sec", cidr = "10.9.0.0/16", existing = ${existing} } }
}
data "aws_vpc" "this" {
  for_each = { for k, v in var.vpcs : k => v if lookup(v, "existing", null) == true }
  tags     = { Name = each.value.name }
}
resource "aws_vpc" "this" {
  for_each   = { for k, v in var.vpcs : k => v if lookup(v, "existing", null) != true }
  cidr_block = each.value.cidr
  tags       = { Name = each.value.name }
}
locals {
  combined = merge({ for k, v in data.aws_vpc.this : k => v.id }, { for k, v in aws_vpc.this : k => v.id })
}
resource "aws_subnet" "a" {
  vpc_id     = local.combined["sec"]
  cidr_block = "10.9.1.0/24"
}
`;

  it('a for over a data source whose for_each is empty is {} (known), so merge() gives the resource id', async () => {
    const r = await run({ 'main.tf': vpcModule('false') });
    assert.equal(el(r, 'aws_subnet.a').vpc, 'aws_vpc.this["sec"]');
    assert.equal(state(r, 'aws_vpc.this["sec"]').state, 'No Egress');
  });

  it('when the data source does have the key, its id stays unresolved and the VPC of the subnet is Unknown, never No Egress', async () => {
    const r = await run({ 'main.tf': vpcModule('true') });
    const vpc = el(r, 'aws_subnet.a').vpc as { unresolved?: true; reason?: string };
    assert.equal(vpc.unresolved, true);
    assert.match(vpc.reason ?? '', /data\.aws_vpc\.this\["sec"\]/);
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['Unknown'],
    );
  });

  it('vpc_endpoint_type = <endpoint service>.service_type is GatewayLoadBalancer for a service of GWLBs', async () => {
    const r = await run({
      'main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.8.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.8.1.0/24"
}
resource "aws_lb" "gwlb" {
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.s.id]
}
resource "aws_vpc_endpoint_service" "svc" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}
resource "aws_vpc_endpoint" "ep" {
  service_name      = aws_vpc_endpoint_service.svc.service_name
  vpc_endpoint_type = aws_vpc_endpoint_service.svc.service_type
  vpc_id            = aws_vpc.v.id
  subnet_ids        = [aws_subnet.s.id]
}
`,
    });
    assert.equal(el(r, 'aws_vpc_endpoint.ep')?.kind, 'gwlbe');
  });
});
