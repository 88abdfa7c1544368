import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// IPv6-only subnets (ipv6_native) have no IPv4 address: their egress is IPv6 (private ones through an
// egress-only internet gateway), and their prefix is usually carved from the block AWS assigns the VPC.
describe('analysis: IPv6-only subnets', function () {
  this.timeout(30000);

  async function run(routes: string, native = true) {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `
resource "aws_vpc" "v" {
  cidr_block                       = "10.40.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.v.id
  ${native ? 'ipv6_native = true' : 'cidr_block = "10.40.1.0/24"'}
  assign_ipv6_address_on_creation = true
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.v.ipv6_cidr_block, 8, 1)
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
${routes}
`,
    );
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const eigwRoute = `
resource "aws_route" "v6" {
  route_table_id              = aws_route_table.app.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}`;

  it('::/0 to an egress-only IGW is uninspected IPv6 egress, traced toward an IPv6 address with no borrowed IPv4 source', async () => {
    const r = await run(eigwRoute);
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app');
    assert.equal(e?.forward.outcome.kind, 'delivered');
    assert.equal(e?.forward.destination.ip, '2001:4860:4860::8888');
    assert.ok(!e?.forward.source.ip?.startsWith('10.40.'), e?.forward.source.ip);
    assert.deepEqual(
      e?.forward.hops.map((h) => h.kind),
      ['subnet', 'eigw', 'internet'],
    );
    // The prefix is assigned at apply, inside the VPC's IPv6 block: the reply comes back by the VPC's local route
    // (an egress-only IGW has no edge route table), whatever the address (addressRange.ts, ipv6Address).
    assert.equal(e?.forward.source.ip, '<IPv6 address of app>');
    assert.equal(e?.return?.outcome.kind, 'delivered');
    assert.deepEqual(
      e?.return?.hops.map((h) => h.kind),
      ['internet', 'eigw', 'subnet'],
    );
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['Unprotected'],
    );
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.match(f[0].fix?.title ?? '', /::\/0/);
    assert.doesNotMatch(f[0].fix?.title ?? '', /NAT GW/);
  });

  it('an IPv6-only subnet with IPv4 routes only has no egress', async () => {
    const r = await run(`
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_route" "v4" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}`);
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['No Egress'],
    );
  });

  it('a dual-stack subnet keeps the IPv4 test destination', async () => {
    const r = await run(eigwRoute, false);
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.app');
    assert.equal(e?.forward.destination.ip, '8.8.8.8');
    assert.equal(e?.forward.source.ip, '10.40.1.10');
  });
});
