// A zone count known only to lie in a range: `slice(names, 0, min(length(names), N))` builds one to N zones
// (a region has at least one). The first zone's resources exist; those of zones 2..N exist only if the
// region has that many, are modelled with `conditional`, and decide a state only where every count gives
// the same one.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { azsDiffer } from '../../../src/model/az';
import type { NetworkElement } from '../../../src/model/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { byId, ofKind } from './helpers';

function build(files: Record<string, string>): { els: NetworkElement[]; diags: ParseDiagnostic[] } {
  const idx = new TerraformIndex();
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics) };
}

async function run(files: Record<string, string>) {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const Z = 'data.aws_availability_zones.zones';
const AZ = (n: number) => (n === 1 ? `<az 1 of ${Z}>` : `<az ${n} of ${Z} if the region has ${n}>`);

/**
 * A VPC over one to three zones: app subnets keyed by zone with CIDRs from range(length(...)), all on one
 * table to a NAT GW in the first public subnet; public subnets by count, on one table to the IGW.
 * APP_ROUTE and EXTRA are replaced per test.
 */
const RANGE = `
data "aws_availability_zones" "zones" { state = "available" }
variable "zone_limit" { default = 3 }
locals {
  zone_count = min(length(data.aws_availability_zones.zones.names), var.zone_limit)
  zones      = slice(data.aws_availability_zones.zones.names, 0, local.zone_count)
  app_cidrs  = [for i in range(length(local.zones)) : cidrsubnet("10.60.0.0/16", 8, i)]
  app        = zipmap(local.zones, local.app_cidrs)
}
resource "aws_vpc" "v" { cidr_block = "10.60.0.0/16" }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "app" {
  for_each          = local.app
  vpc_id            = aws_vpc.v.id
  availability_zone = each.key
  cidr_block        = each.value
}
resource "aws_subnet" "public" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.v.id
  availability_zone = local.zones[count.index]
  cidr_block        = cidrsubnet("10.60.0.0/16", 8, 100 + count.index)
}
resource "aws_nat_gateway" "nat" {
  count     = length(local.zones)
  subnet_id = aws_subnet.public[count.index].id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  count          = length(local.zones)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = APP_ROUTE
  }
}
resource "aws_route_table_association" "app" {
  for_each       = toset(local.zones)
  subnet_id      = (lookup(aws_subnet.app, each.value, "")).id
  route_table_id = aws_route_table.app.id
}
EXTRA
`;

const vpcWith = (appRoute: string, extra = '') => ({ 'net/main.tf': RANGE.replace('APP_ROUTE', appRoute).replace('EXTRA', extra) });

describe('terraform: a zone count of 1 to N (min(length(names), N))', () => {
  before(async () => {
    await initTerraform();
  });

  it('builds up to N zones: the first certain, the others conditional, with exact CIDRs; the assumption is stated once', () => {
    const { els, diags } = build(vpcWith('aws_nat_gateway.nat[0].id'));
    const app = ofKind(els, 'subnet')
      .filter((s) => s.id.startsWith('aws_subnet.app'))
      .map((s) => [s.id, s.cidr, s.az, s.conditional?.reason]);
    assert.deepEqual(app, [
      [`aws_subnet.app[${JSON.stringify(AZ(1))}]`, '10.60.0.0/24', AZ(1), undefined],
      [`aws_subnet.app[${JSON.stringify(AZ(2))}]`, '10.60.1.0/24', AZ(2), 'the region has 2 or more availability zones'],
      [`aws_subnet.app[${JSON.stringify(AZ(3))}]`, '10.60.2.0/24', AZ(3), 'the region has 3 or more availability zones'],
    ]);
    const pub = ofKind(els, 'subnet')
      .filter((s) => s.id.startsWith('aws_subnet.public'))
      .map((s) => [s.id, s.cidr, s.az, !!s.conditional]);
    assert.deepEqual(pub, [
      ['aws_subnet.public[0]', '10.60.100.0/24', AZ(1), false],
      ['aws_subnet.public[1]', '10.60.101.0/24', AZ(2), true],
      ['aws_subnet.public[2]', '10.60.102.0/24', AZ(3), true],
    ]);
    // lookup() by a zone placeholder finds the subnet of that zone.
    const assoc = ofKind(els, 'rtAssociation')
      .filter((a) => a.id.startsWith('aws_route_table_association.app'))
      .map((a) => [a.subnet, !!a.conditional]);
    assert.deepEqual(
      assoc,
      [1, 2, 3].map((n) => [`aws_subnet.app[${JSON.stringify(AZ(n))}]`, n > 1]),
    );
    assert.deepEqual(
      diags.map((d) => [d.code, d.message]),
      [
        [
          'assumed-shape',
          `assumed 1 to 3 availability zones from ${Z} (a region has at least one; the names and how many there are are not known offline): what is built for zone 2 to 3 exists only if the region has that many, and is judged only where that does not change the verdict`,
        ],
      ],
    );
    // A conditional zone is the same zone as the plain placeholder of its index, another than the others.
    assert.equal(azsDiffer(AZ(2), `<az 2 of ${Z}>`), false);
    assert.equal(azsDiffer(AZ(1), AZ(2)), true);
  });

  it('what depends on how many zones there are stays Unknown: the length itself, element() past the first, a count bound of 1 is exact', () => {
    const { els, diags } = build({
      'x/main.tf': `
data "aws_availability_zones" "zones" {}
locals {
  zones = slice(data.aws_availability_zones.zones.names, 0, min(length(data.aws_availability_zones.zones.names), 3))
  one   = slice(data.aws_availability_zones.zones.names, 0, min(length(data.aws_availability_zones.zones.names), 1))
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { Name = "zones-\${length(local.zones)}" }
}
resource "aws_subnet" "first" {
  vpc_id            = aws_vpc.v.id
  availability_zone = element(local.zones, 0)
  cidr_block        = "10.0.1.0/24"
}
resource "aws_subnet" "wrapped" {
  vpc_id            = aws_vpc.v.id
  availability_zone = element(local.zones, 4)
  cidr_block        = "10.0.2.0/24"
}
resource "aws_subnet" "only" {
  count             = length(local.one)
  vpc_id            = aws_vpc.v.id
  availability_zone = local.one[count.index]
  cidr_block        = "10.0.3.0/24"
}`,
    });
    const v = byId(els, 'aws_vpc.v');
    assert.equal(v.name, 'v', 'the Name tag over an unknown length is not decided');
    const first = byId(els, 'aws_subnet.first');
    assert.ok(first.kind === 'subnet' && first.az === AZ(1));
    const wrapped = byId(els, 'aws_subnet.wrapped');
    assert.ok(wrapped.kind === 'subnet' && typeof wrapped.az === 'object', 'element() wraps around a length that is not known');
    const only = ofKind(els, 'subnet').filter((s) => s.id.startsWith('aws_subnet.only'));
    assert.deepEqual(
      only.map((s) => [s.id, s.az, !!s.conditional]),
      [['aws_subnet.only[0]', `<az 1 of ${Z}>`, false]],
    );
    assert.ok(diags.some((d) => d.code === 'assumed-shape' && d.message.startsWith(`assumed 1 availability zones from ${Z}`)));
  });

  it('a state every zone count gives alike is decided (Unprotected); a cross-AZ route of a conditional zone says it', async () => {
    const r = await run(vpcWith('aws_nat_gateway.nat[0].id'));
    const st = r.states.find((s) => s.vpc === 'aws_vpc.v');
    assert.equal(st?.state, 'Unprotected', st?.reason);
    const cross = r.findings.filter((f) => f.code === 'cross-az-egress');
    // Only the app subnets of zones 2 and 3 leave through zone 1's NAT GW: each one named as conditional.
    assert.equal(cross.length > 0, true);
    const named = cross.flatMap((f) => f.traces ?? []);
    assert.ok(named.length > 0 && named.every((t) => t.includes('if the region has')), named.join('\n'));
  });

  it('a certain path through an element of a later zone is Unknown: it exists only if the region has that many', async () => {
    const r = await run(vpcWith('aws_nat_gateway.nat[1].id'));
    const st = r.states.find((s) => s.vpc === 'aws_vpc.v');
    assert.equal(st?.state, 'Unknown');
    assert.match(st.reason, /goes through aws_nat_gateway\.nat\[1\], which exists only if the region has 2 or more availability zones/);
  });

  it('an egress hub whose later zones have only empty public subnets is an Egress hub whatever the zone count; a host there makes it depend on the count', async () => {
    // The NAT GW lives in the first public subnet; the app tier is gone; the other public subnets are empty:
    // routed straight to the IGW like the NAT GW's, in a VPC the TGW sends other VPCs' egress to, they are the
    // hub's plumbing (F31 field finding; before, the VPC was Unknown from them).
    const files = vpcWith(
      'aws_nat_gateway.nat[0].id',
      `resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_ec2_transit_gateway_vpc_attachment" "att" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.v.id
  subnet_ids         = [for s in aws_subnet.app : s.id]
}
# Other VPCs' egress comes in through the TGW's default table: the app subnets are the attachment's.
resource "aws_ec2_transit_gateway_route" "out" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.tgw.association_default_route_table_id
}`,
    );
    files['net/main.tf'] = files['net/main.tf'].replace(
      /resource "aws_nat_gateway" "nat" \{\n {2}count {5}= length\(local.zones\)/,
      'resource "aws_nat_gateway" "nat" {\n  count     = 1',
    );
    const r = await run(files);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.v')?.state, 'Egress hub');
    // A host in the second zone's public subnet is a source that exists only with two zones or more.
    files['net/main.tf'] += `
resource "aws_instance" "probe" {
  ami                         = "ami-0abc1234"
  subnet_id                   = aws_subnet.public[1].id
  associate_public_ip_address = true
}`;
    const withHost = await run(files);
    const st = withHost.states.find((s) => s.vpc === 'aws_vpc.v');
    assert.equal(st?.state, 'Unknown');
    assert.match(
      st.reason,
      /state depends on how many availability zones the region has: aws_subnet\.public\[1\] exists only if the region has 2 or more/,
    );
  });
});
