// A VM-Series behind a GWLB with overlay routing (docs/domain.md, section 5): the firewall sends inspected
// internet traffic out of its own public interface (translating to its elastic IP) instead of returning it to
// the endpoint, and sends the reply back over GENEVE to that endpoint. Decided only when its bootstrap says so.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

// A spoke with no internet gateway of its own: the app subnet sends 0.0.0.0/0 to a GWLB endpoint whose subnet
// has only `local`. The security VPC holds the GWLB and one VM-Series with data, management and public interfaces.
const spoke = `
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "gwlbe" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_vpc_endpoint" "out" {
  vpc_id            = aws_vpc.spoke.id
  service_name      = aws_vpc_endpoint_service.fw.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.gwlbe.id]
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.out.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table" "gwlbe" {
  vpc_id = aws_vpc.spoke.id
}
resource "aws_route_table_association" "gwlbe" {
  subnet_id      = aws_subnet.gwlbe.id
  route_table_id = aws_route_table.gwlbe.id
}
`;

const security = (pluginCommands: string, settings = '') => `
resource "aws_vpc" "sec" {
  cidr_block = "10.100.0.0/16"
}
resource "aws_internet_gateway" "sec" {
  vpc_id = aws_vpc.sec.id
}
resource "aws_subnet" "data" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.2.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "mgmt" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.3.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.sec.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.sec.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.public.id
}
resource "aws_lb" "gwlb" {
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.data.id]
}
resource "aws_lb_target_group" "fw" {
  port        = 6081
  protocol    = "GENEVE"
  vpc_id      = aws_vpc.sec.id
  target_type = "instance"
}
resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fw.arn
  }
}
resource "aws_lb_target_group_attachment" "fw" {
  target_group_arn = aws_lb_target_group.fw.arn
  target_id        = aws_instance.fw.id
}
resource "aws_vpc_endpoint_service" "fw" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}
resource "aws_network_interface" "data" {
  subnet_id         = aws_subnet.data.id
  source_dest_check = false
}
resource "aws_network_interface" "mgmt" {
  subnet_id = aws_subnet.mgmt.id
}
resource "aws_network_interface" "public" {
  subnet_id         = aws_subnet.public.id
  source_dest_check = false
}
resource "aws_eip" "mgmt" {
  domain            = "vpc"
  network_interface = aws_network_interface.mgmt.id
}
resource "aws_eip" "public" {
  domain            = "vpc"
  network_interface = aws_network_interface.public.id
}
locals {
  # The endpoint id is known only after apply: the bootstrap string is known in part.
  plugin_op_commands = format("%s,%s", "${pluginCommands}", "aws-gwlb-associate-vpce:\${aws_vpc_endpoint.out.id}@ethernet1/1.10")
  bootstrap          = { "mgmt-interface-swap" = "enable", "plugin-op-commands" = local.plugin_op_commands${settings} }
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  user_data     = base64encode(join(";", [for k, v in local.bootstrap : "\${k}=\${v}"]))
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.data.id
  }
}
resource "aws_network_interface_attachment" "mgmt" {
  instance_id          = aws_instance.fw.id
  network_interface_id = aws_network_interface.mgmt.id
  device_index         = 1
}
resource "aws_network_interface_attachment" "public" {
  instance_id          = aws_instance.fw.id
  network_interface_id = aws_network_interface.public.id
  device_index         = 2
}
`;

describe('VM-Series overlay routing behind a GWLB', function () {
  this.timeout(60000);

  it('enabled in the bootstrap: out of the firewall public interface (its EIP), the reply back through the same endpoint: Protected', async () => {
    const r = await run({
      'spoke.tf': spoke,
      'security.tf': security('panorama-licensing-mode-on,aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable'),
    });
    const fw = r.model.elements.find((e) => e.id === 'aws_instance.fw') as { kind: string; vendor?: string };
    assert.equal(fw.kind, 'firewall');
    assert.equal(fw.vendor, 'Palo Alto VM-Series');
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.deepEqual(
      e.forward.hops.map((h) => h.kind),
      ['subnet', 'gwlbe', 'gwlb', 'gwlbFirewall', 'firewall', 'igw', 'internet'],
    );
    const out = e.forward.hops.find((h) => h.kind === 'firewall')!;
    assert.match(out.note, /overlay routing, enabled in its bootstrap/);
    assert.equal(out.translation?.kind, 'snat');
    assert.equal(out.translation?.by, 'aws_network_interface.public');
    assert.equal(e.return?.outcome.kind, 'delivered');
    assert.deepEqual(
      e.return?.hops.map((h) => h.kind),
      ['internet', 'igw', 'eni', 'firewall', 'gwlbe', 'subnet'],
    );
    assert.equal(e.divergence, undefined);
    // Inspected both ways by an appliance whose policy is not in the inputs: enforced, as any GWLB appliance; the
    // bootstrap names no Panorama and no bucket, so the reason says the policy is set on the firewall.
    const st = r.states.find((s) => s.vpc === 'aws_vpc.spoke')!;
    assert.equal(st.state, 'Protected', st.reason);
    assert.match(
      st.reason,
      /aws_instance\.fw \(Palo Alto VM-Series\): its bootstrap names no Panorama and no bootstrap bucket: its policy is set on the firewall, not in the inputs \(security\.tf:\d+\); inspection is enforced/,
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
  });

  it('managed by Panorama: Protected as any appliance whose policy is not in the inputs, naming the server and device group at the user data', async () => {
    const r = await run({
      'spoke.tf': spoke,
      'security.tf': security(
        'aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable',
        ', "panorama-server" = "10.255.0.10", "dgname" = "egress"',
      ),
    });
    const st = r.states.find((s) => s.vpc === 'aws_vpc.spoke')!;
    assert.equal(st.state, 'Protected', st.reason);
    const line =
      security('', '')
        .split('\n')
        .findIndex((l) => l.includes('user_data')) + 1;
    assert.match(
      st.reason,
      new RegExp(
        `is inspected by GWLB firewall [^ ]+ in both directions: aws_instance\\.fw \\(Palo Alto VM-Series\\): its policy is in Panorama 10\\.255\\.0\\.10, device group egress, not in the inputs \\(security\\.tf:${line}`,
      ),
    );
    // Simulate Flow says the same at the firewall's hop.
    const ws = await createWorkspace();
    ws.setFile('spoke.tf', spoke);
    ws.setFile('security.tf', security('aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable', ', "panorama-server" = "10.255.0.10"'));
    const b = ws.build();
    const p = parseFlowSpec('src=10.1.1.10 dst=1.1.1.1 proto=tcp port=443');
    assert.ok(p.ok);
    const sim = simulate(b.model, new ModelIndex(b.model), p.flow);
    const v = sim.verdicts.find((x) => x.at === 'aws_lb_target_group.fw');
    assert.equal(v?.decision, 'unknown');
    assert.match(v?.reason ?? '', /its policy is in Panorama 10\.255\.0\.10, not in the inputs/);
  });

  it("booting from a bucket the configuration fills with the repository's bootstrap.xml: its security rules decide", async () => {
    const boot = `
resource "aws_s3_bucket" "boot" {
  bucket_prefix = "fw-boot"
}
resource "aws_s3_object" "bootstrap_xml" {
  bucket = aws_s3_bucket.boot.id
  key    = "config/bootstrap.xml"
  source = "bootstrap/config/bootstrap.xml"
}
`;
    const xml = (logEnd: string) => `<config version="10.2.0"><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
<zone><entry name="gwlb"><network><layer3><member>ethernet1/1.10</member></layer3></network></entry></zone>
<rulebase><security><rules>
<entry name="outbound"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action>${logEnd}</entry>
</rules></security></rulebase></entry></vsys></entry></devices></config>`;
    const ws = await createWorkspace();
    ws.setFile('spoke.tf', spoke);
    ws.setFile(
      'security.tf',
      security('aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable', ', "vmseries-bootstrap-aws-s3bucket" = aws_s3_bucket.boot.id'),
    );
    ws.setFile('boot.tf', boot);
    let b = ws.build();
    // The object's file is read once the configuration that uploads it is evaluated, as the front ends do.
    assert.ok(ws.terraformWants().files.includes('bootstrap/config/bootstrap.xml'), ws.terraformWants().files.join(', '));
    const state = () => analyze(b.model, {}, b.diagnostics).states.find((x) => x.vpc === 'aws_vpc.spoke')!;
    // Before its file is read, the bucket's bootstrap.xml is not in the inputs: enforced, as any appliance.
    assert.equal(state().state, 'Protected');
    ws.setFile('bootstrap/config/bootstrap.xml', xml(''));
    b = ws.build();
    // An allow-all logged at session end (PAN-OS's default): a logged permit-all.
    assert.equal(state().state, 'Monitored', state().reason);
    assert.match(
      state().reason,
      /aws_instance\.fw's bootstrap: PAN-OS rule "outbound" \(bootstrap\/config\/bootstrap\.xml:4\) allows any to any/,
    );
    ws.setFile('bootstrap/config/bootstrap.xml', xml('<log-end>no</log-end>'));
    b = ws.build();
    assert.equal(state().state, 'Unprotected', state().reason);
  });

  it('booting from a bucket whose bootstrap.xml is not in the inputs: Protected, naming the bucket', async () => {
    const r = await run({
      'spoke.tf': spoke,
      'security.tf': security('aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable', ', "vmseries-bootstrap-aws-s3bucket" = "fw-boot"'),
    });
    const st = r.states.find((s) => s.vpc === 'aws_vpc.spoke')!;
    assert.equal(st.state, 'Protected', st.reason);
    assert.match(st.reason, /its policy is in bootstrap bucket fw-boot's config\/bootstrap\.xml, not in the inputs/);
  });

  it('not in the bootstrap (an operator may enable it on the running firewall): Unknown, naming the appliance', async () => {
    // The whole bootstrap is known: it does not enable it.
    const known = security('').replace(
      /plugin_op_commands = format\(.*\)\n/,
      'plugin_op_commands = "panorama-licensing-mode-on,aws-gwlb-inspect:enable"\n',
    );
    assert.notEqual(known, security(''));
    const r = await run({ 'spoke.tf': spoke, 'security.tf': known });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    assert.equal(e.forward.outcome.kind, 'unknown');
    assert.match(
      e.forward.outcome.kind === 'unknown' ? e.forward.outcome.reason : '',
      /out of its outside interface public \(overlay routing; its bootstrap in the inputs does not enable it\)/,
    );
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.state, 'Unknown');
  });

  // The combined design (F109): the endpoint's table sends 0.0.0.0/0 to the transit gateway the spokes' traffic
  // came from (that route carries the replies back to the spokes). With overlay routing on, the firewall's own
  // default route out of its public interface is what reaches the internet; without it the endpoint's route is
  // followed, as written.
  const backToTgw = spoke.replace(
    'resource "aws_route_table" "gwlbe" {\n  vpc_id = aws_vpc.spoke.id\n}',
    `resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_route_table" "gwlbe" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  }
}`,
  );

  it('enabled, the endpoint table sending 0.0.0.0/0 to a transit gateway: out of the firewall public interface all the same (F109)', async () => {
    assert.notEqual(backToTgw, spoke);
    const r = await run({
      'spoke.tf': backToTgw,
      'security.tf': security('panorama-licensing-mode-on,aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable'),
    });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.deepEqual(
      e.forward.hops.map((h) => h.kind),
      ['subnet', 'gwlbe', 'gwlb', 'gwlbFirewall', 'firewall', 'igw', 'internet'],
    );
    const out = e.forward.hops.find((h) => h.kind === 'firewall')!;
    assert.match(out.note, /overlay routing, enabled in its bootstrap; gwlbe would send it to tgw\b/);
    assert.equal(e.return?.outcome.kind, 'delivered');
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.state, 'Protected');
    // A private destination is not sent out of the public interface: the endpoint's route to the TGW is followed.
    const ws = await createWorkspace();
    ws.setFile('spoke.tf', backToTgw);
    ws.setFile('security.tf', security('aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable'));
    const b = ws.build();
    const p = parseFlowSpec('src=10.1.1.10 dst=10.50.0.10 proto=tcp port=443');
    assert.ok(p.ok);
    const sim = simulate(b.model, new ModelIndex(b.model), p.flow);
    const kinds = sim.forward.hops.map((h) => h.kind);
    assert.ok(kinds.includes('tgw'), kinds.join(' '));
    assert.ok(!sim.forward.hops.some((h) => /routes the inspected packet itself/.test(h.note)));
  });

  it('not enabled, the endpoint table sending 0.0.0.0/0 to a transit gateway: the endpoint route is followed', async () => {
    const known = security('').replace(
      /plugin_op_commands = format\(.*\)\n/,
      'plugin_op_commands = "panorama-licensing-mode-on,aws-gwlb-inspect:enable"\n',
    );
    const r = await run({ 'spoke.tf': backToTgw, 'security.tf': known });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    const kinds = e.forward.hops.map((h) => h.kind);
    assert.deepEqual(kinds.slice(0, 4), ['subnet', 'gwlbe', 'gwlb', 'gwlbFirewall']);
    assert.ok(kinds.includes('tgw'), kinds.join(' '));
    assert.ok(!e.forward.hops.some((h) => /routes the inspected packet itself/.test(h.note)));
  });

  it('not in the known part of a bootstrap known only in part: Unknown, saying it cannot be decided', async () => {
    const r = await run({ 'spoke.tf': spoke, 'security.tf': security('panorama-licensing-mode-on,aws-gwlb-inspect:enable') });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    assert.equal(e.forward.outcome.kind, 'unknown');
    const why = e.forward.outcome.kind === 'unknown' ? e.forward.outcome.reason : '';
    assert.match(
      why,
      /\(overlay routing; whether its bootstrap enables it cannot be decided: the known part of it does not, the rest is known only at apply\)/,
    );
    assert.doesNotMatch(why, /does not enable it/);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.state, 'Unknown');
  });

  it('enabled in commands joined with compact() over endpoint associations that may be absent: followed (F98)', async () => {
    // As Palo Alto's centralized design builds plugin-op-commands: the written commands, then each direction's
    // endpoint associations or null, compact()ed and joined; the associations are known only at apply.
    const compacted = security('').replace(
      /plugin_op_commands = format\(.*\)\n/,
      [
        'assoc              = try({ fw = join(",", compact([format("aws-gwlb-associate-vpce:%s@ethernet1/1.10", aws_vpc_endpoint.out.id)])) }, {})',
        '  plugin_op_commands = join(",", compact(["panorama-licensing-mode-on,aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable", try(local.assoc["fw"], null), try(local.assoc["ew"], null)]))',
        '',
      ].join('\n'),
    );
    assert.notEqual(compacted, security(''));
    const r = await run({ 'spoke.tf': spoke, 'security.tf': compacted });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
    assert.equal(e.forward.outcome.kind, 'delivered', e.forward.outcome.kind === 'unknown' ? e.forward.outcome.reason : '');
    assert.match(e.forward.hops.find((h) => h.kind === 'firewall')!.note, /overlay routing, enabled in its bootstrap/);
    assert.equal(e.return?.outcome.kind, 'delivered');
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.state, 'Protected');
  });
});

// A firewall VM deployed with its management interface only (its data interfaces added later, or elsewhere):
// it forwards nothing, so it is no enforcement point on any path, and its management subnet is its own.
describe('a firewall VM with only a management interface', function () {
  this.timeout(60000);
  const estate = (userData: string) => `
resource "aws_vpc" "sec" {
  cidr_block = "10.100.0.0/16"
}
resource "aws_internet_gateway" "sec" {
  vpc_id = aws_vpc.sec.id
}
resource "aws_subnet" "mgmt" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "mgmt" {
  vpc_id = aws_vpc.sec.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.sec.id
  }
}
resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.mgmt.id
}
resource "aws_s3_bucket" "bootstrap" {
  bucket_prefix = "fw-bootstrap-"
}
resource "aws_network_interface" "mgmt" {
  subnet_id = aws_subnet.mgmt.id
}
resource "aws_eip" "mgmt" {
  domain            = "vpc"
  network_interface = aws_network_interface.mgmt.id
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  user_data     = ${userData}
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.mgmt.id
  }
}
`;

  it("bootstrapped as PAN-OS: its subnet is not a source, the VPC is the firewall VM's (Inspection, saying it inspects nothing), no finding", async () => {
    const r = await run({
      'main.tf': estate('base64encode("vmseries-bootstrap-aws-s3bucket=${aws_s3_bucket.bootstrap.id};mgmt-interface-swap=disable")'),
    });
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      [],
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    const st = r.states.find((s) => s.vpc === 'aws_vpc.sec')!;
    assert.equal(st.state, 'Inspection');
    assert.match(
      st.reason,
      /holds only firewall VMs \(aws_instance\.fw\) with no forwarding data interface in the inputs: they inspect no path here/,
    );
  });

  it('the same instance with a bootstrap of another kind is a workload: its management-like subnet is judged', async () => {
    const r = await run({ 'main.tf': estate('base64encode("#!/bin/bash\\nyum -y update")') });
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.mgmt'],
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['uninspected-egress'],
    );
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.sec')!.state, 'Unprotected');
  });
});
