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
      /^Give the subnets of each AZ a route table of their own whose route points at the NAT GW in that AZ \(us-east-1b: none, add one; us-east-1c: none, add one\): \S+ serves them all$/,
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
      if (azs.length > 1)
        assert.match(
          x.fix!.title,
          /^Point each AZ's route at the NAT GW in that AZ \(us-east-1b: none, add one; us-east-1c: none, add one\)$/,
        );
      else assert.equal(x.fix!.title, `Add a NAT GW in ${azs[0]} (v has none there) and point the route at it`);
    }
    assert.ok(f.length >= 1);
  });
});

// Review s17 R5: the fix named a hop the VPC does not have, and repointed a table subnets of the hop's own AZ share.
describe("cross-az-egress: the fix names the hop of the subnet's AZ, or says to add one, and splits a shared table", function () {
  this.timeout(60000);
  const secondNat = `resource "aws_subnet" "pub_b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.101.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_eip" "nat_b" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat_b" {
  allocation_id = aws_eip.nat_b.id
  subnet_id     = aws_subnet.pub_b.id
  tags          = { Name = "nat-b" }
}
resource "aws_route_table_association" "pub_b" {
  subnet_id      = aws_subnet.pub_b.id
  route_table_id = aws_route_table.pub.id
}
`;
  // Subnets a and b share one table to the NAT GW of a: only b crosses; c has a table of its own.
  const sharedAB = `resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
  tags = { Name = "private-ab" }
}
resource "aws_route_table_association" "private" {
  for_each       = { a = "a", b = "b" }
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table" "c" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "c" {
  subnet_id      = aws_subnet.private["c"].id
  route_table_id = aws_route_table.c.id
}
`;

  it("a table shared with the hop's own AZ: the crossing subnet gets a table of its own, pointed at its AZ's NAT GW by name", async () => {
    const r = await run(vpc(sharedAB + secondNat));
    const b = crossAz(r).find((x) => x.traces?.[0] === 'aws_subnet.private["b"]');
    assert.ok(b, JSON.stringify(crossAz(r).map((x) => x.traces)));
    assert.match(
      b.fix!.title,
      /^Give subnet \S+ a route table of its own whose route points at NAT GW nat-b \(us-east-1b\): private-ab also serves \S+ \(us-east-1a\)$/,
    );
    // c's table is its own; c's AZ has no NAT GW: add one there.
    const c = crossAz(r).find((x) => x.traces?.[0] === 'aws_subnet.private["c"]');
    assert.equal(c?.fix?.title, 'Add a NAT GW in us-east-1c (v has none there) and point the route at it');
  });

  it("no NAT GW in the crossing subnet's AZ and a shared table: add one, then a table of its own", async () => {
    const r = await run(vpc(sharedAB));
    const b = crossAz(r).find((x) => x.traces?.[0] === 'aws_subnet.private["b"]');
    assert.match(
      b!.fix!.title,
      /^Add a NAT GW in us-east-1b \(v has none there\) and give subnet \S+ a route table of its own whose route points at it: private-ab also serves \S+ \(us-east-1a\)$/,
    );
  });
});
