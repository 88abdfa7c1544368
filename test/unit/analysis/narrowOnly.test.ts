// A subnet whose only routes out are narrow public routes (a /32 or a /24 to the IGW) and no default route (review s16
// R23): it does not reach the internet in general, so its VPC is No Egress, with those narrow exits named in the
// reason, not Unprotected and no uninspected-egress. Beside an inspected default such a route is an extra egress of its
// own (narrowExit suite); here there is no default for it to sit beside.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles } from '../analyzeFiles';

const vpc = (routes: string) => `
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
`;
const route = (cidr: string) => `  route {\n    cidr_block = "${cidr}"\n    gateway_id = aws_internet_gateway.igw.id\n  }\n`;

describe('only narrow routes out (review s16 R23)', () => {
  before(async () => {
    await initTerraform();
  });

  it('8.8.8.8/32 and 1.1.1.1/32 to the IGW, no default route: No Egress naming both exits, no finding', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('8.8.8.8/32') + route('1.1.1.1/32')) });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'No Egress');
    assert.equal(
      s.reason,
      'no subnet of aws_vpc.dns has a path to the internet in general; only narrow routes to a few public addresses leave it (aws_subnet.resolver: 8.8.8.8/32 -> aws_internet_gateway.igw, 1.1.1.1/32 -> aws_internet_gateway.igw): traffic to those addresses goes out, not traced',
    );
    assert.deepEqual(res.findings, []);
  });

  it('a /24 of a public block: the same; a private range to the IGW is no exit and is not named', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('203.0.113.0/24') + route('192.168.50.0/24')) });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.dns')!;
    assert.equal(s.state, 'No Egress');
    assert.match(s.reason, /\(aws_subnet\.resolver: 203\.0\.113\.0\/24 -> aws_internet_gateway\.igw\)/);
    assert.doesNotMatch(s.reason, /192\.168/);
    assert.deepEqual(res.findings, []);
  });

  it('a wide public route (a /8) is the internet as far as the stand-in goes: Unprotected, as before', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc(route('8.0.0.0/8')) });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.dns')!.state, 'Unprotected');
  });

  it('no route out at all: the reason as before', async () => {
    const res = await analyzeFiles({ 'main.tf': vpc('') });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.dns')!.reason, 'no subnet of aws_vpc.dns has a path to the internet');
  });
});
