// A subnet whose only routes out are narrow public routes (a /32 or a /24 to the IGW) and no default route. Review s16
// R23 kept it No Egress, naming the routes; review s17 R17: traffic to those addresses does leave, uninspected, so each
// such route is traced as an extra egress of the subnet (as beside an inspected default, narrowExit suite): the VPC is
// Unprotected for that path, with an uninspected-egress warning on the route. No Egress stays when the narrow routes
// lead to no internet exit: a VPN gateway, private ranges, a subnet whose instances have no public IP.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles } from '../analyzeFiles';

const vpc = (routes: string, extra = '') => `
resource "aws_vpc" "dns" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.dns.id
}
resource "aws_subnet" "resolver" {
  vpc_id     = aws_vpc.dns.id
  cidr_block = "10.30.1.0/24"
}
resource "aws_route_table" "resolver" {
  vpc_id = aws_vpc.dns.id
${routes}
}
resource "aws_route_table_association" "resolver" {
  subnet_id      = aws_subnet.resolver.id
  route_table_id = aws_route_table.resolver.id
}
${extra}`;
const TO_IGW = 'gateway_id = aws_internet_gateway.igw.id';
const route = (cidr: string, target = TO_IGW) => `  route {\n    cidr_block = "${cidr}"\n    ${target}\n  }\n`;

/** A public subnet with a NAT gateway, routed 0.0.0.0/0 to the IGW unless `natRoutes` says otherwise. */
const NAT = (natRoutes = route('0.0.0.0/0')) => `
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.dns.id
  cidr_block = "10.30.0.0/24"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.dns.id
${natRoutes}
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
`;

describe('only narrow routes out (review s16 R23, s17 R17)', () => {
  before(async () => {
    await initTerraform();
  });

  it('8.8.8.8/32 and 1.1.1.1/32 to the IGW, no default route: Unprotected for those addresses, a warning on each route', async () => {
    const files = { 'main.tf': vpc(route('8.8.8.8/32') + route('1.1.1.1/32')) };
    const res = await analyzeFiles(files);
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'Unprotected');
    assert.equal(
      s.reason,
      'aws_subnet.resolver (traffic to 8.8.8.8/32) reaches the internet via aws_internet_gateway.igw without any enforcement point',
    );
    // The subnet's general trace still drops for want of a route; each narrow route is an egress of its own.
    const eg = res.egress.filter((e) => e.subnet === 'aws_subnet.resolver');
    assert.deepEqual(
      eg.map((e) => [e.forward.id, e.forward.destination.ip, e.forward.outcome.kind]),
      [
        ['aws_subnet.resolver:forward', '8.8.8.8', 'dropped'],
        ['aws_subnet.resolver:to:8.8.8.8/32:forward', '8.8.8.8', 'delivered'],
        ['aws_subnet.resolver:to:1.1.1.1/32:forward', '1.1.1.1', 'delivered'],
      ],
    );
    const lines = files['main.tf'].split('\n');
    assert.deepEqual(
      res.findings.map((f) => [f.code, f.severity, lines[f.location.range.start.line + 1].trim()]),
      [
        ['uninspected-egress', 'warning', 'cidr_block = "8.8.8.8/32"'],
        ['uninspected-egress', 'warning', 'cidr_block = "1.1.1.1/32"'],
      ],
    );
    assert.match(res.findings[0].message, /subnet resolver \(10\.30\.1\.10 to 8\.8\.8\.8\/32\) reaches the internet through igw/);
    // A route to one address is usually there on purpose: the fix asks why before rerouting it (review s18 R14).
    assert.match(
      res.findings[0].fix!.title,
      /^Check why 8\.8\.8\.8\/32 has a route of its own to the internet: a route to one address or a small range is usually deliberate \(the replies to a management source, a VPN peer's endpoint\); if it is not, route 8\.8\.8\.8\/32 /,
    );
    // The VPC now counts in the score (it was left out as No Egress): one Unprotected VPC, 0.
    assert.equal(res.score.counted, 1);
    assert.equal(res.score.score, 0);
  });

  it('a /24 of a public block: traced toward its first host; a private range to the IGW is no exit', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('203.0.113.0/24') + route('192.168.50.0/24')) });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'Unprotected');
    assert.match(s.reason, /^aws_subnet\.resolver \(traffic to 203\.0\.113\.0\/24\) reaches the internet/);
    assert.deepEqual(
      res.egress.filter((e) => e.narrow).map((e) => e.forward.destination.ip),
      ['203.0.113.1'],
    );
  });

  it('private and shared ranges only (RFC 1918, 100.64.0.0/10) to the IGW: No Egress, the plain reason', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('192.168.50.0/24') + route('100.64.1.0/24')) });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'No Egress');
    assert.equal(s.reason, 'no subnet of aws_vpc.dns has a path to the internet');
    assert.deepEqual(res.findings, []);
  });

  it('a public /32 to a VPN gateway leads to no internet exit: No Egress, the route named', async () => {
    const res = await analyzeFiles({
      'main.tf': vpc(
        route('198.51.100.7/32', 'gateway_id = aws_vpn_gateway.vpn.id'),
        'resource "aws_vpn_gateway" "vpn" {\n  vpc_id = aws_vpc.dns.id\n}\n',
      ),
    });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'No Egress', s.reason);
    assert.equal(
      s.reason,
      'no subnet of aws_vpc.dns has a path to the internet in general; its only routes out are narrow routes to a few public addresses (aws_subnet.resolver: 198.51.100.7/32 -> aws_vpn_gateway.vpn), and traffic to those addresses reaches no internet exit in the inputs',
    );
    assert.deepEqual(res.findings, []);
  });

  it('an instance without a public IP behind a narrow route to the IGW: dropped there, No Egress', async () => {
    const host = `
resource "aws_instance" "resolver" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.resolver.id
  associate_public_ip_address = false
}
`;
    const res = await analyzeFiles({ 'main.tf': vpc(route('8.8.8.8/32'), host) });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.dns')!.state, 'No Egress');
    assert.equal(res.egress.filter((e) => e.narrow).length, 0);
  });

  it('a narrow route to a NAT gateway leaves by it: Unprotected, the path named by its range', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('8.8.4.0/24', 'nat_gateway_id = aws_nat_gateway.nat.id'), NAT()) });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /^aws_subnet\.resolver \(traffic to 8\.8\.4\.0\/24\) reaches the internet via aws_internet_gateway\.igw/);
    const n = res.egress.find((e) => e.narrow)!;
    assert.equal(n.forward.destination.ip, '8.8.4.1');
    assert.ok(n.forward.hops.some((h) => h.element === 'aws_nat_gateway.nat'));
  });

  it("0.0.0.0/0 to a NAT gateway whose table holds only 8.8.8.8/32 to the IGW: that table's narrow exit is traced too", async () => {
    const res = await analyzeFiles({
      'main.tf': vpc(route('0.0.0.0/0', 'nat_gateway_id = aws_nat_gateway.nat.id'), NAT(route('8.8.8.8/32'))),
    });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /aws_subnet\.resolver \(traffic to 8\.8\.8\.8\/32\) reaches the internet via aws_internet_gateway\.igw/);
    const n = res.egress.find((e) => e.narrow)!;
    assert.ok(n.forward.hops.some((h) => h.element === 'aws_nat_gateway.nat'));
  });

  it('a wide public route (a /8) is the internet as far as the stand-in goes: Unprotected, as before', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('8.0.0.0/8')) });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.dns')!.state, 'Unprotected');
    assert.equal(res.egress.filter((e) => e.narrow).length, 0);
  });

  it('no route out at all: the reason as before', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc('') });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.dns')!.reason, 'no subnet of aws_vpc.dns has a path to the internet');
  });
});
