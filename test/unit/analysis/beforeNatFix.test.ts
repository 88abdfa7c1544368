// Inspection before NAT (app -> firewall endpoint -> NAT GW -> IGW): the NAT GW's table carries traffic already
// inspected and must keep going straight to the IGW; sending it to the endpoint loops NAT -> endpoint -> NAT.
// The layout is the endpoint subnets' own route (0.0.0.0/0 -> NAT GW), even when no traced leg passes the
// endpoint (every workload bypasses it, or the spokes live in other stacks), and it is the NAT GW's VPC that
// decides when a spoke's traffic meets an inspection VPC's NAT GW.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const findings = (r: AnalysisResult, code: string): Finding[] => r.findings.filter((f) => f.code === code);
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

// Our GWLB example (endpoint per AZ before the NAT GW), rewritten by `edit`.
const EXAMPLE = join(__dirname, '../../../../examples/aws-inspection-before-nat');
function beforeNatExample(edit: (workload: string) => string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(EXAMPLE).filter((n) => n.endsWith('.tf'))) files[f] = readFileSync(join(EXAMPLE, f), 'utf8');
  files['workload.tf'] = edit(files['workload.tf']);
  return files;
}
const APP_TO_ENDPOINT = 'vpc_endpoint_id        = aws_vpc_endpoint.gwlbe[each.key].id';
const APP_TO_NAT = 'nat_gateway_id         = aws_nat_gateway.nat[each.key].id';
const NAT_RETURN =
  / {2}route \{\n {4}cidr_block {6}= aws_subnet\.app\[each\.key\]\.cidr_block\n {4}vpc_endpoint_id = aws_vpc_endpoint\.gwlbe\[each\.key\]\.id\n {2}\}\n/;

// A Network Firewall inspection VPC: per AZ a TGW subnet (0.0.0.0/0 -> the firewall endpoint of its AZ, or
// `tgwDefault`), a firewall subnet (0.0.0.0/0 -> the one NAT GW) and a public subnet; the NAT GW in pub["a"],
// the public table shared by both public subnets (0.0.0.0/0 -> IGW, the spokes' 10.0.0.0/8 back to
// `pubReturn`). `spoke`: a spoke VPC and the TGW with its route tables are in the inputs; else the TGW is
// another stack's (a variable).
interface Opts {
  spoke?: boolean;
  tgwDefault?: string;
  pubReturn?: string;
  extra?: string;
}
const ENDPOINT = (k: string) =>
  `element([for ss in aws_networkfirewall_firewall.fw.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.fw[${k}].id], 0)`;
const inspectionVpc = (o: Opts = {}) => `
variable "shared_tgw" {
  default = "tgw-0a1b2c3d4e5f60718"
}
locals {
  zones = { a = 0, b = 1 }
  tgw   = ${o.spoke ? 'aws_ec2_transit_gateway.hub.id' : 'var.shared_tgw'}
}
resource "aws_vpc" "insp" {
  cidr_block = "100.64.0.0/16"
}
resource "aws_internet_gateway" "insp" {
  vpc_id = aws_vpc.insp.id
}
resource "aws_subnet" "tgw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.insp.id
  availability_zone = "eu-central-1\${each.key}"
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, each.value)
}
resource "aws_subnet" "fw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.insp.id
  availability_zone = "eu-central-1\${each.key}"
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, 10 + each.value)
}
resource "aws_subnet" "pub" {
  for_each          = local.zones
  vpc_id            = aws_vpc.insp.id
  availability_zone = "eu-central-1\${each.key}"
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, 20 + each.value)
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub["a"].id
}
resource "aws_networkfirewall_firewall_policy" "p" {
  name = "insp-policy"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
  }
}
resource "aws_networkfirewall_firewall" "fw" {
  name                = "insp"
  vpc_id              = aws_vpc.insp.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.p.arn
  dynamic "subnet_mapping" {
    for_each = aws_subnet.fw
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}
resource "aws_route_table" "tgw" {
  for_each = local.zones
  vpc_id   = aws_vpc.insp.id
  route {
    cidr_block = "0.0.0.0/0"
    ${o.tgwDefault ?? `vpc_endpoint_id = ${ENDPOINT('each.key')}`}
  }
}
resource "aws_route_table_association" "tgw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.tgw[each.key].id
  route_table_id = aws_route_table.tgw[each.key].id
}
resource "aws_route_table" "fw" {
  vpc_id = aws_vpc.insp.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "fw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.fw[each.key].id
  route_table_id = aws_route_table.fw.id
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.insp.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.insp.id
  }
  route {
    cidr_block = "10.0.0.0/8"
    ${o.pubReturn ?? `vpc_endpoint_id = ${ENDPOINT('"a"')}`}
  }
}
resource "aws_route_table_association" "pub" {
  for_each       = local.zones
  subnet_id      = aws_subnet.pub[each.key].id
  route_table_id = aws_route_table.pub.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "insp" {
  transit_gateway_id     = local.tgw
  vpc_id                 = aws_vpc.insp.id
  subnet_ids             = [for s in aws_subnet.tgw : s.id]
  appliance_mode_support = "enable"
}
${o.spoke ? SPOKE : ''}
${o.extra ?? ''}`;

const SPOKE = `
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-central-1a"
}
resource "aws_subnet" "spoke_attach" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.250.0/28"
  availability_zone = "eu-central-1a"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke_attach.id]
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table" "inspection" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table_association" "insp" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.insp.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}
resource "aws_ec2_transit_gateway_route" "to_inspection" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.insp.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "to_spoke" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}
`;

describe('inspection before NAT: no fix routes the NAT GW into the firewall', function () {
  this.timeout(60000);

  it('GWLB before NAT, every app subnet sent to the NAT GW and no return route: the fix goes in the app tables, to the endpoint', async () => {
    const files = beforeNatExample((w) => w.replace(APP_TO_ENDPOINT, APP_TO_NAT).replace(NAT_RETURN, ''));
    const f = findings(await run(files), 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.app["a"]', 'aws_subnet.app["b"]']);
    assert.equal(f[0].location.file, 'workload.tf');
    assert.equal(f[0].location.range.start.line, lineOf(files['workload.tf'], 'resource "aws_route" "app_default"'));
    assert.match(
      f[0].fix!.title,
      // One finding for both AZs' tables (one route block): each AZ's endpoint by its resource address, and
      // both tables, never app["a"]'s alone (it named only the first subnet's endpoint before).
      /^Route 0\.0\.0\.0\/0 in app-a-rt, app-b-rt to the firewall endpoint of each subnet's AZ \(us-east-1a: GWLB endpoint aws_vpc_endpoint\.gwlbe\["a"\] \(us-east-1a\); us-east-1b: GWLB endpoint aws_vpc_endpoint\.gwlbe\["b"\] \(us-east-1b\)\) instead of \S+ \(inspection before NAT: the firewall's subnet sends on to the NAT GW, whose table returns the subnet's CIDR to the same firewall\)$/,
    );
    assert.doesNotMatch(f[0].fix!.title, /in nat|IGW edge|inspection after NAT/);
  });

  it('GWLB before NAT, one app subnet sent to the NAT GW, its reply returned through the endpoint: asymmetric-return-only fixes the app table, never the NAT table', async () => {
    const files = beforeNatExample((w) => w.replace(APP_TO_ENDPOINT, APP_TO_NAT));
    const f = findings(await run(files), 'asymmetric-return-only');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.file, 'workload.tf');
    assert.equal(f[0].location.range.start.line, lineOf(files['workload.tf'], 'resource "aws_route" "app_default"'));
    // One route block for both AZs' tables: each AZ's table, endpoint and NAT GW (F85).
    assert.equal(f[0].fix!.title, 'Send 0.0.0.0/0 in app-a-rt, app-b-rt to gwlbe-a, gwlbe-b instead of natgw-a, natgw-b');
    assert.doesNotMatch(f[0].fix!.title, /instead of (igw|\S*internet)/i);
  });

  it("Network Firewall inspection VPC, spokes in other stacks: the empty public subnet on the NAT GW's table gets a table of its own to the firewall endpoint", async () => {
    const f = findings(await run({ 'main.tf': inspectionVpc() }), 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.pub["b"]']);
    assert.match(
      f[0].fix!.title,
      /^Give this subnet a route table of its own that sends 0\.0\.0\.0\/0 to the firewall endpoint of aws_networkfirewall_firewall\.fw in aws_subnet\.fw\["b"\] \(eu-central-1b\) \(inspection before NAT: .*\): pub also carries nat's own traffic and must keep sending it to the internet directly$/,
    );
  });

  it("a host in the NAT GW's subnet of that inspection VPC: move it (its table is the NAT GW's, already past the firewall)", async () => {
    const text = inspectionVpc({
      extra: `
resource "aws_instance" "probe" {
  ami           = "ami-0abc"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.pub["a"].id

  associate_public_ip_address = true
}`,
    });
    const f = findings(await run({ 'main.tf': text }), 'uninspected-egress').find((x) => x.traces?.includes('aws_subnet.pub["a"]'));
    assert.ok(f);
    assert.equal(f.location.range.start.line, lineOf(text, 'resource "aws_instance" "probe"'));
    assert.match(f.fix!.title, /^Move the workload to a subnet whose egress is inspected: pub also carries nat's own traffic/);
  });

  it("a spoke whose traffic the inspection VPC's TGW subnets send straight to the NAT GW: the fix is the TGW subnets' route, to the firewall endpoint", async () => {
    const text = inspectionVpc({
      spoke: true,
      tgwDefault: 'nat_gateway_id = aws_nat_gateway.nat.id',
      pubReturn: 'transit_gateway_id = local.tgw',
    });
    const f = findings(await run({ 'main.tf': text }), 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.app']);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "tgw"') + 3);
    assert.match(
      f[0].fix!.title,
      /^Route 0\.0\.0\.0\/0 in tgw\["a"\] to the firewall endpoint of aws_networkfirewall_firewall\.fw in aws_subnet\.fw\["a"\] \(eu-central-1a\) instead of nat \(inspection before NAT/,
    );
  });

  it("the same spoke with its reply returned through the endpoint: asymmetric-return-only fixes the TGW subnets' route, never the NAT GW's", async () => {
    const text = inspectionVpc({ spoke: true, tgwDefault: 'nat_gateway_id = aws_nat_gateway.nat.id' });
    const f = findings(await run({ 'main.tf': text }), 'asymmetric-return-only');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "tgw"') + 3);
    assert.match(f[0].fix!.title, /^Send 0\.0\.0\.0\/0 in tgw\S* to \S+ instead of nat$/);
  });

  it('the intact inspection VPC with its spoke: no finding of either rule', async () => {
    const r = await run({ 'main.tf': inspectionVpc({ spoke: true }) });
    assert.deepEqual(findings(r, 'uninspected-egress'), []);
    assert.deepEqual(findings(r, 'asymmetric-return-only'), []);
  });
});

describe('inspection before NAT: where the return parts from the forward leg', function () {
  this.timeout(60000);

  it('a NAT table without its return route: the return diverges at the NAT GW (its table is the one to change), not at the IGW edge', async () => {
    const r = await run(beforeNatExample((w) => w.replace(NAT_RETURN, '')));
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app["a"]')!;
    assert.ok(e.divergence && e.return, 'app-a is inspected going out, not coming back');
    const hop = e.return.hops[e.divergence.returnHop];
    assert.equal(hop.kind, 'natgw');
    assert.equal(hop.decision?.routeTable, 'aws_route_table.nat["a"]');
    // The IGW hop before it decided nothing a fix should touch: it is not where the story says the reply parts.
    assert.ok(e.return.hops.findIndex((h) => h.kind === 'igw') < e.divergence.returnHop);
  });
});
