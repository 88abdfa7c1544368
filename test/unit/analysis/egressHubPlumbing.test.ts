// A central egress VPC behind a transit gateway often has a public subnet per zone but a NAT GW in only one
// of them: the others hold nothing and route 0.0.0.0/0 to the IGW like the NAT's subnet. They are the hub's
// plumbing, not traffic sources, so the VPC is an Egress hub; a subnet with a host in it is a source.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;

// A spoke whose default route goes to the TGW, and an egress VPC with TGW subnets, three public subnets
// (one table to the IGW) and one NAT GW in the first zone's. `tgwDefault` is the TGW route the spoke's table
// uses; `extra` is added to the file.
const design = (opts: { tgwDefault?: string; extra?: string } = {}) => `
locals {
  zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_vpc" "spoke" {
  cidr_block = "10.10.0.0/16"
  tags       = { Name = "spoke" }
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.10.1.0/24"
  availability_zone = "eu-west-1a"
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
resource "aws_subnet" "spoke_attach" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.10.250.0/28"
  availability_zone = "eu-west-1a"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke_attach.id]
}
resource "aws_vpc" "egress" {
  cidr_block = "10.99.0.0/16"
  tags       = { Name = "egress" }
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "attach" {
  for_each          = toset(local.zones)
  vpc_id            = aws_vpc.egress.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.99.0.0/24", 4, index(local.zones, each.value))
}
resource "aws_subnet" "public" {
  for_each          = toset(local.zones)
  vpc_id            = aws_vpc.egress.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.99.16.0/20", 4, index(local.zones, each.value))
}
resource "aws_nat_gateway" "egress" {
  subnet_id = aws_subnet.public["eu-west-1a"].id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_route" "public_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.egress.id
}
resource "aws_route" "public_back" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "10.10.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
resource "aws_route_table_association" "public" {
  for_each       = toset(local.zones)
  subnet_id      = aws_subnet.public[each.value].id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "attach" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress.id
  }
}
resource "aws_route_table_association" "attach" {
  for_each       = toset(local.zones)
  subnet_id      = aws_subnet.attach[each.value].id
  route_table_id = aws_route_table.attach.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [for s in aws_subnet.attach : s.id]
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "spokes_default" {
  destination_cidr_block         = "${opts.tgwDefault ?? '0.0.0.0/0'}"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
resource "aws_ec2_transit_gateway_route" "egress_back" {
  destination_cidr_block         = "10.10.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
${opts.extra ?? ''}`;

describe('analysis: empty public subnets of an egress hub are its plumbing', function () {
  this.timeout(60000);

  it('the NAT GW in one zone, the other public subnets empty: the egress VPC is an Egress hub, the spoke Unprotected', async () => {
    const r = await run(design());
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Egress hub');
    assert.match(stateOf(r, 'aws_vpc.egress').reason, /holds no workload, only NAT gateway aws_nat_gateway\.egress, internet gateway/);
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unprotected');
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.app'],
    );
    // The finding names the spoke's path only, not the hub's empty subnets.
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${(f.traces ?? []).join(',')}`),
      ['uninspected-egress aws_subnet.app'],
    );
  });

  it('a host in one of those subnets makes it a source again: the egress VPC is judged by its path (Unprotected)', async () => {
    const r = await run(
      design({
        extra: `
resource "aws_instance" "bastion" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.public["eu-west-1b"].id

  associate_public_ip_address = true
}`,
      }),
    );
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.app', 'aws_subnet.public["eu-west-1b"]'],
    );
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Unprotected');
    assert.match(stateOf(r, 'aws_vpc.egress').reason, /public\["eu-west-1b"\].*reaches the internet via .*without any enforcement point/);
  });

  it('not a hub (no TGW route sends other VPCs to it): the empty public subnets stay sources', async () => {
    // The TGW sends only the egress VPC's own range to its attachment: it carries no other VPC's traffic.
    const r = await run(design({ tgwDefault: '10.99.0.0/16' }));
    assert.deepEqual(
      r.egress.map((e) => e.subnet).filter((s) => s.startsWith('aws_subnet.public')),
      ['aws_subnet.public["eu-west-1b"]', 'aws_subnet.public["eu-west-1c"]'],
    );
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Unprotected');
  });

  it('an empty subnet of the hub that does not go straight to the IGW (0.0.0.0/0 to the NAT GW) stays a source', async () => {
    const r = await run(
      design({
        extra: `
resource "aws_subnet" "shared" {
  vpc_id            = aws_vpc.egress.id
  availability_zone = "eu-west-1a"
  cidr_block        = "10.99.64.0/24"
}
resource "aws_route_table_association" "shared" {
  subnet_id      = aws_subnet.shared.id
  route_table_id = aws_route_table.attach.id
}`,
      }),
    );
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.app', 'aws_subnet.shared'],
    );
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Unprotected');
  });
  // F78: a CloudFormation stack from Terraform (template from a URL) deploying a server into a subnet it names.
  const stack = (params: string) => `
resource "aws_cloudformation_stack" "mgmt" {
  name         = "mgmt"
  template_url = "https://example.com/management.yaml"
  parameters = {
${params}
    AdminCIDR = "0.0.0.0/0"
  }
}`;

  it('a stack deploying into an empty public subnet (only the subnet named): the subnet is a source, judged by its route (0/0 to the IGW)', async () => {
    const r = await run(design({ extra: stack('    ManagementSubnet = aws_subnet.public["eu-west-1b"].id') }));
    const diag = r.parseDiagnostics.find((d) => d.code === 'unmodelled-resource');
    assert.match(
      diag?.message ?? '',
      /aws_cloudformation_stack\.mgmt \(aws_cloudformation_stack: .*\) is not modelled; it touches aws_subnet\.public\["eu-west-1b"\]: a path through it is Unknown/,
    );
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.app', 'aws_subnet.public["eu-west-1b"]'],
    );
    // Naming only the subnet (no table, no VPC), the stack is not taken to change routes: what it deploys leaves by the subnet's table.
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Unprotected');
    assert.match(stateOf(r, 'aws_vpc.egress').reason, /public\["eu-west-1b"\].*reaches the internet via .*without any enforcement point/);
  });

  it('a stack deploying into the TGW attachment subnet of the hub (its VPC named too): not an Egress hub but Unknown', async () => {
    const r = await run(
      design({ extra: stack('    VPC              = aws_vpc.egress.id\n    ManagementSubnet = aws_subnet.attach["eu-west-1a"].id') }),
    );
    assert.ok(r.egress.some((e) => e.subnet === 'aws_subnet.attach["eu-west-1a"]'));
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Unknown');
    assert.match(stateOf(r, 'aws_vpc.egress').reason, /attach\["eu-west-1a"\].*aws_cloudformation_stack mgmt/);
  });

  it('a stack whose parameters name no network element of the inputs is not reported and changes nothing', async () => {
    const r = await run(design({ extra: stack('    ManagementSubnet = "subnet-0123456789abcdef0"') }));
    assert.ok(!r.parseDiagnostics.some((d) => d.code === 'unmodelled-resource'));
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Egress hub');
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unprotected');
  });
});
