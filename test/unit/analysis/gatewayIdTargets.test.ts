// `gateway_id` naming a NAT gateway or a transit gateway (F74): the EC2 API takes these ids in GatewayId and
// routes them as if they were written in nat_gateway_id / transit_gateway_id; old Terraform code does so. A
// resource of a known type in the inputs is no guess: the route goes to that NAT GW or TGW.
import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';

const vpc = (privateTarget: string) => `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "gw" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = ${privateTarget}
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_instance" "app" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
}
`;

describe('gateway_id naming a NAT gateway or a transit gateway (F74)', function () {
  this.timeout(60000);

  it('gateway_id = aws_nat_gateway.x.id is the NAT GW: the private subnet egresses through it, uninspected', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('aws_nat_gateway.gw.id') });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.private');
    assert.ok(e);
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.ok(e.forward.hops.some((h) => h.element === 'aws_nat_gateway.gw'));
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.v')?.state, 'Unprotected');
    assert.ok(r.findings.some((f) => f.code === 'uninspected-egress' && f.traces?.includes('aws_subnet.private')));
  });

  it('a literal nat- id in gateway_id is a NAT GW too (not in the inputs: Unknown naming it, not "unknown type")', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('"nat-0123456789abcdef0"') });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.private');
    assert.ok(e);
    assert.doesNotMatch(JSON.stringify(e.forward), /unknown type/);
  });

  it('gateway_id = aws_ec2_transit_gateway.x.id is the TGW', async () => {
    const r = await analyzeFiles({
      'main.tf': `${vpc('aws_ec2_transit_gateway.tgw.id')}
resource "aws_ec2_transit_gateway" "tgw" {}
`,
    });
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.private');
    assert.ok(e);
    assert.ok(
      e.forward.hops.some((h) => h.element === 'aws_ec2_transit_gateway.tgw'),
      JSON.stringify(e.forward.hops.map((h) => h.element)),
    );
    assert.doesNotMatch(JSON.stringify(e.forward), /unknown type/);
  });
});
