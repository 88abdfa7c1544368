// cross-az-egress merged over several subnets (one route they all take): the text names every subnet's AZ and
// the fix each AZ's own hop, never the first subnet's AZ alone.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const crossAz = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'cross-az-egress');

// One NAT GW in us-east-1a; private subnets in a, b and c.
const vpc = (tables: string) => `
locals {
  zones = { a = "us-east-1a", b = "us-east-1b", c = "us-east-1c" }
  cidrs = { a = "10.0.1.0/24", b = "10.0.2.0/24", c = "10.0.3.0/24" }
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.100.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_subnet" "private" {
  for_each          = local.zones
  vpc_id            = aws_vpc.v.id
  cidr_block        = local.cidrs[each.key]
  availability_zone = each.value
}
${tables}
`;

describe('cross-az-egress over several subnets: every AZ named', function () {
  this.timeout(60000);

  it('one table for private subnets of three AZs, one NAT GW: the subnets of b and c named with their AZs, one table per AZ advised', async () => {
    const r = await run(
      vpc(`resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "private" {
  for_each       = local.zones
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private.id
}`),
    );
    const f = crossAz(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.private["b"]', 'aws_subnet.private["c"]']);
    assert.match(f[0].message, /\(us-east-1b\), .*\(us-east-1c\) egress through NAT GW \S+ in us-east-1a \(route 0\.0\.0\.0\/0 -> /);
    assert.match(
      f[0].fix!.title,
      /^Give the subnets of each AZ \(us-east-1b, us-east-1c\) a route table of their own whose route points at the NAT GW in that AZ: \S+ serves them all$/,
    );
  });

  it('a table per AZ written by one block, all to the one NAT GW: each AZ named, no table to split', async () => {
    const r = await run(
      vpc(`resource "aws_route_table" "private" {
  for_each = local.zones
  vpc_id   = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "private" {
  for_each       = local.zones
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}`),
    );
    const f = crossAz(r);
    // The finding is per route instance; whichever the block gives, none names one AZ for another's subnet.
    for (const x of f) {
      const azs = (x.traces ?? []).map((t) => (t.includes('"b"') ? 'us-east-1b' : 'us-east-1c'));
      if (azs.length > 1) assert.match(x.fix!.title, /^Point each AZ's route at the NAT GW in that AZ \(us-east-1b, us-east-1c\)$/);
      else assert.equal(x.fix!.title, `Point the route at the NAT GW in ${azs[0]}`);
    }
    assert.ok(f.length >= 1);
  });
});
