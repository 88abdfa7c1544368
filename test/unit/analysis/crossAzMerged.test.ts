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
      /^Add a NAT GW in us-east-1b and us-east-1c \(v has none there\), then give the subnets of each AZ a route table of their own whose route points at the NAT GW of that AZ: \S+ serves them all$/,
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
          /^Add a NAT GW in us-east-1b and us-east-1c \(v has none there\), then point each AZ's route at the NAT GW of that AZ$/,
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

// F301b: spoke VPCs behind a transit gateway egress through a central VPC whose one private table (taken by the TGW
// attachment subnets of both AZs) routes to the NAT GW of us-east-1a. The fix must not repoint that shared route (it
// would move us-east-1a's traffic across), nor name a NAT GW us-east-1b does not have.
describe('cross-az-egress through a transit gateway into a central egress VPC (F301b)', function () {
  this.timeout(60000);
  const central = `
resource "aws_vpc" "app" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "app" }
}
resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.app.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "us-east-1b"
  tags              = { Name = "app-b" }
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "app_b" {
  subnet_id      = aws_subnet.app_b.id
  route_table_id = aws_route_table.app.id
}
resource "aws_instance" "app" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app_b.id
}

resource "aws_vpc" "egress" {
  cidr_block = "192.168.0.0/16"
  tags       = { Name = "egress" }
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "egress_public_a" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "192.168.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "egress_private" {
  for_each          = { a = "us-east-1a", b = "us-east-1b" }
  vpc_id            = aws_vpc.egress.id
  cidr_block        = each.key == "a" ? "192.168.11.0/24" : "192.168.12.0/24"
  availability_zone = each.value
  tags              = { Name = "egress-private-\${each.key}" }
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.egress_public_a.id
  tags          = { Name = "nat-a" }
}
resource "aws_route_table" "egress_public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "egress_public" {
  subnet_id      = aws_subnet.egress_public_a.id
  route_table_id = aws_route_table.egress_public.id
}
resource "aws_route_table" "egress_private" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
  tags = { Name = "egress-private" }
}
resource "aws_route_table_association" "egress_private" {
  for_each       = aws_subnet.egress_private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.egress_private.id
}

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.app_b.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [aws_subnet.egress_private["a"].id, aws_subnet.egress_private["b"].id]
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "default" {
  destination_cidr_block         = "0.0.0.0/0"
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
resource "aws_ec2_transit_gateway_route" "back" {
  destination_cidr_block         = "10.20.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
`;

  it('add a NAT GW in us-east-1b, and a table of its own for the attachment subnet of us-east-1b, not the shared route', async () => {
    const f = crossAz(await run(central)).find((x) => x.traces?.includes('aws_subnet.app_b'));
    assert.ok(f, JSON.stringify(crossAz(await run(central)).map((x) => x.traces)));
    assert.equal(
      f.fix!.title,
      'Add a NAT GW in us-east-1b (egress has none there) and give subnet egress-private-b (us-east-1b, where this traffic enters egress) a route table of its own whose route points at it: egress-private also serves egress-private-a (us-east-1a)',
    );
  });
});
