import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import type { AnalysisResult } from '../../../src/analysis/types';

// A TGW attachment placed in a VPC's private subnets: those subnets are still the VPC's workload tier when
// their own table sends 0.0.0.0/0 to the VPC's own egress machinery, the VPC enforces nothing for others, and
// no TGW route sends other VPCs' traffic to the attachment. Otherwise they stay the attachment's.
describe('analysis: TGW attachment subnets that are a workload tier', function () {
  this.timeout(30000);

  /** A VPC with private subnets in two AZs holding the attachment, a NAT GW in a public subnet. */
  const estate = (opts: { tgwRoute?: string; tgwTable?: boolean; firewall?: boolean; privateDefault?: string }): string => `
resource "aws_vpc" "app" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.app.id
}
resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.1.10.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.app.id
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
  vpc_id = aws_vpc.app.id
  route {
    cidr_block = "0.0.0.0/0"
    ${opts.privateDefault ?? 'nat_gateway_id = aws_nat_gateway.nat.id'}
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  }
}
resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}
resource "aws_ec2_transit_gateway" "tgw" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}
${
  opts.tgwTable === false
    ? ''
    : `resource "aws_ec2_transit_gateway_route_table" "rt" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway_route" "own" {
  destination_cidr_block         = "${opts.tgwRoute ?? '10.1.0.0/16'}"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}`
}
${
  opts.firewall
    ? `resource "aws_networkfirewall_firewall" "fw" {
  name                = "fw"
  vpc_id              = aws_vpc.app.id
  firewall_policy_arn = "arn:aws:network-firewall:eu-west-1:111122223333:firewall-policy/p"
  subnet_mapping {
    subnet_id = aws_subnet.public.id
  }
}`
    : ''
}
`;

  async function run(text: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const sources = (r: AnalysisResult): string[] => r.egress.map((e) => e.subnet).sort();

  it('private subnets that hold the attachment and send 0.0.0.0/0 to their NAT GW are traced as workloads', async () => {
    const r = await run(estate({}));
    assert.deepEqual(sources(r), ['aws_subnet.private_a', 'aws_subnet.private_b']);
    for (const e of r.egress) assert.equal(e.forward.hops.find((h) => h.kind === 'natgw')?.element, 'aws_nat_gateway.nat');
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.app')!.state, 'Unprotected');
    // The egress through the NAT GW of another AZ is seen now that the subnet is a source.
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'cross-az-egress').map((f) => f.traces),
      [['aws_subnet.private_b']],
    );
  });

  it('an attachment that a TGW route sends other VPCs traffic to (an egress hub) keeps its subnets', async () => {
    const r = await run(estate({ tgwRoute: '0.0.0.0/0' }));
    assert.deepEqual(sources(r), []);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.app')!.state, 'Egress hub');
  });

  it('without the TGW route tables in the inputs, what the attachment carries is not known: its subnets stay its own', async () => {
    const r = await run(estate({ tgwTable: false }));
    assert.deepEqual(sources(r), []);
  });

  it('a VPC that holds a firewall of its own (an inspection VPC) keeps its attachment subnets', async () => {
    const r = await run(estate({ firewall: true }));
    assert.deepEqual(sources(r), []);
  });

  it('private subnets whose default route goes to the TGW are attachment subnets, as before', async () => {
    const r = await run(estate({ privateDefault: 'transit_gateway_id = aws_ec2_transit_gateway.tgw.id' }));
    assert.deepEqual(sources(r), []);
  });
});
