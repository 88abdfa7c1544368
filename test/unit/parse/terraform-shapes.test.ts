// Unknowns keep their shape: a list of known length with unknown elements (placeholder AZs with a
// stable identity), count/for_each over it, exact CIDRs over known indexes, the assumption stated
// once; and the rest of the language around it (path.*, terraform.workspace, moved/import, locals
// across files, dynamic blocks, splats, for with if and grouping).
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

const AZ = (n: number) => `<az ${n} of data.aws_availability_zones.available>`;

/** A VPC over three AZs it cannot name offline: public subnets with a NAT GW each, private ones routed to their AZ's NAT GW. */
const PER_AZ = `
data "aws_availability_zones" "available" { state = "available" }
variable "cidr" { default = "10.40.0.0/16" }
locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}
resource "aws_vpc" "v" { cidr_block = var.cidr }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "public" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.v.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
}
resource "aws_subnet" "private" {
  for_each          = { for i, az in local.azs : az => i }
  vpc_id            = aws_vpc.v.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr, 8, 10 + each.value)
}
resource "aws_nat_gateway" "nat" {
  count     = length(local.azs)
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
  count          = length(local.azs)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  for_each = aws_subnet.private
  vpc_id   = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat[NAT_INDEX].id
  }
}
resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}
`;

describe('terraform: unknowns keep their shape', () => {
  before(async () => {
    await initTerraform();
  });

  it('slice() of the AZ names is a list of three placeholder AZs: count and for_each instantiate, CIDRs stay exact, the assumption is stated once', () => {
    const { els, diags } = build({ 'n/main.tf': PER_AZ.replace('NAT_INDEX', 'index(local.azs, each.key)') });
    const pub = ofKind(els, 'subnet')
      .filter((s) => s.id.startsWith('aws_subnet.public'))
      .map((s) => [s.id, s.cidr, s.az]);
    assert.deepEqual(pub, [
      ['aws_subnet.public[0]', '10.40.0.0/24', AZ(1)],
      ['aws_subnet.public[1]', '10.40.1.0/24', AZ(2)],
      ['aws_subnet.public[2]', '10.40.2.0/24', AZ(3)],
    ]);
    const priv = ofKind(els, 'subnet')
      .filter((s) => s.id.startsWith('aws_subnet.private'))
      .map((s) => [s.id, s.cidr, s.az]);
    assert.deepEqual(priv, [
      [`aws_subnet.private[${JSON.stringify(AZ(1))}]`, '10.40.10.0/24', AZ(1)],
      [`aws_subnet.private[${JSON.stringify(AZ(2))}]`, '10.40.11.0/24', AZ(2)],
      [`aws_subnet.private[${JSON.stringify(AZ(3))}]`, '10.40.12.0/24', AZ(3)],
    ]);
    assert.equal(ofKind(els, 'natgw').length, 3);
    const routes = ofKind(els, 'routeTable')
      .filter((t) => t.id.startsWith('aws_route_table.private'))
      .map((t) => [t.id, t.routes.map((r) => r.target)]);
    const natRef = (n: number) => ({ kind: 'natgw', ref: `aws_nat_gateway.nat[${n}]` });
    assert.deepEqual(
      routes,
      [1, 2, 3].map((n) => [`aws_route_table.private[${JSON.stringify(AZ(n))}]`, [natRef(n - 1)]]),
    );
    const assumed = diags.filter((d) => d.code === 'assumed-shape');
    assert.deepEqual(
      assumed.map((d) => [d.severity, d.message, d.loc.range.start.line]),
      [['info', 'assumed 3 availability zones from data.aws_availability_zones.available: the names are not known offline', 4]],
    );
    assert.deepEqual(
      diags.filter((d) => d.code !== 'assumed-shape'),
      [],
    );
  });

  it('the trace runs over placeholder AZs: same-AZ NAT is no finding, another placeholder AZ is a cross-AZ verdict', async () => {
    const run = async (natIndex: string) => {
      const ws = await createWorkspace();
      ws.setFile('main.tf', PER_AZ.replace('NAT_INDEX', natIndex));
      const b = ws.build();
      return analyze(b.model, {}, b.diagnostics);
    };
    const same = await run('index(local.azs, each.key)');
    assert.deepEqual(
      same.findings.filter((f) => f.code === 'cross-az-egress'),
      [],
    );
    assert.ok(
      same.states.every((s) => s.state !== 'Unknown' && s.state !== 'No Egress'),
      JSON.stringify(same.states.map((s) => s.state)),
    );
    // Every private subnet egresses through the NAT GW of the first AZ.
    const crossed = await run('0');
    const cross = crossed.findings.filter((f) => f.code === 'cross-az-egress').map((f) => f.message);
    assert.equal(cross.length, 2, cross.join('\n'));
    assert.ok(cross.every((m) => m.includes(`in ${AZ(1)}`)));
  });

  it('placeholders compare exactly: same source different index differ; a name or another source cannot be told apart', () => {
    assert.equal(azsDiffer(AZ(1), AZ(2)), true);
    assert.equal(azsDiffer(AZ(2), AZ(2)), false);
    assert.equal(azsDiffer(AZ(1), 'eu-west-1a'), false);
    assert.equal(azsDiffer(AZ(1), '<az 2 of data.aws_availability_zones.other>'), false);
    assert.equal(azsDiffer('eu-west-1a', 'eu-west-1b'), true);
    assert.equal(azsDiffer(undefined, 'eu-west-1b'), true);
  });

  it('an index into the names is one placeholder (no length assumed); a length of unknown shape stays Unknown', () => {
    const { els, diags } = build({
      'x/main.tf': `
data "aws_availability_zones" "available" {}
data "aws_subnets" "shared" {}
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  availability_zone = data.aws_availability_zones.available.names[1]
  cidr_block        = "10.0.1.0/24"
}
resource "aws_subnet" "b" {
  count             = length(data.aws_subnets.shared.ids)
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, 10 + count.index)
}`,
    });
    const a = byId(els, 'aws_subnet.a');
    assert.ok(a.kind === 'subnet' && a.az === AZ(2));
    // The count cannot be decided: one element stands for the undecided instances.
    const b = els.filter((e) => e.id.startsWith('aws_subnet.b'));
    assert.equal(b.length, 1);
    assert.ok(b[0].undecided);
    assert.ok(diags.every((d) => d.code === 'unresolved-value'));
    assert.match(
      diags.map((d) => d.message).join('\n'),
      /length\(data\.aws_subnets\.shared\.ids\) cannot be decided offline \(data\.aws_subnets\.shared\.ids is read from the provider\)/,
    );
  });

  it('a whole unknown list stays Unknown (count over the names themselves is undecided)', () => {
    const { els, diags } = build({
      'y/main.tf': `
data "aws_availability_zones" "available" {}
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  count      = length(data.aws_availability_zones.available.names)
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}`,
    });
    const s = ofKind(els, 'subnet');
    assert.equal(s.length, 1);
    assert.ok(s[0].undecided, 'the only subnet stands for instances whose count is not known');
    assert.ok(diags.every((d) => d.code === 'unresolved-value'));
    assert.match(
      diags.map((d) => d.message).join('\n'),
      /length\(data\.aws_availability_zones\.available\.names\) cannot be decided offline/,
    );
  });
});

describe('terraform: the rest of the language around network code', () => {
  before(async () => {
    await initTerraform();
  });

  it('path.module / path.root, terraform.workspace Unknown, moved and import blocks ignored, locals across files', () => {
    const { els, diags } = build({
      'r/main.tf': `
module "net" { source = "./modules/net" }
moved {
  from = aws_vpc.old
  to   = module.net.aws_vpc.v
}
import {
  to = module.net.aws_vpc.v
  id = "vpc-0123"
}
resource "aws_vpc" "ws" {
  cidr_block = "10.9.0.0/16"
  tags       = { Name = "vpc-\${terraform.workspace}" }
}`,
      'r/modules/net/main.tf': `
resource "aws_vpc" "v" {
  cidr_block = local.cidr
  tags       = { Name = "\${local.prefix}-\${path.module}-\${path.root}" }
}`,
      'r/modules/net/locals.tf': `
locals {
  cidr   = "10.8.0.0/16"
  prefix = upper(local.env)
}`,
      'r/modules/net/more.tf': `locals { env = "net" }`,
    });
    const v = byId(els, 'module.net.aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    assert.deepEqual(v.cidrs, ['10.8.0.0/16']);
    assert.equal(v.name, 'NET-modules/net-.');
    const ws = byId(els, 'aws_vpc.ws');
    // The workspace is not known offline: the Name tag is left out, the name falls back to the label.
    assert.ok(ws.kind === 'vpc');
    assert.equal(ws.name, 'ws');
    assert.deepEqual(ws.tags, {});
    // Nothing about moved/import blocks.
    assert.deepEqual(
      diags.map((d) => `${d.code}: ${d.message}`),
      [],
    );
  });

  it('dynamic blocks, splats, for expressions with if and grouping (...)', () => {
    const { els, diags } = build({
      'd/main.tf': `
variable "subnets" {
  default = {
    a1 = { az = "eu-west-1a", cidr = "10.7.1.0/24", tier = "app" }
    a2 = { az = "eu-west-1a", cidr = "10.7.2.0/24", tier = "db" }
    b1 = { az = "eu-west-1b", cidr = "10.7.3.0/24", tier = "app" }
  }
}
locals {
  by_az    = { for k, s in var.subnets : s.az => k... }
  app_only = { for k, s in var.subnets : k => s if s.tier == "app" }
}
resource "aws_vpc" "v" { cidr_block = "10.7.0.0/16" }
resource "aws_subnet" "app" {
  for_each          = local.app_only
  vpc_id            = aws_vpc.v.id
  availability_zone = each.value.az
  cidr_block        = each.value.cidr
  tags              = { Name = join("+", local.by_az[each.value.az]) }
}
resource "aws_nat_gateway" "n" {
  count     = length(aws_subnet.app)
  subnet_id = values(aws_subnet.app)[count.index].id
}
resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.v.id
  dynamic "route" {
    for_each = aws_nat_gateway.n[*].id
    content {
      cidr_block     = cidrsubnet("192.168.0.0/16", 8, route.key)
      nat_gateway_id = route.value
    }
  }
}`,
    });
    assert.deepEqual(diags, []);
    const subnets = ofKind(els, 'subnet').map((s) => [s.id, s.name]);
    assert.deepEqual(subnets, [
      ['aws_subnet.app["a1"]', 'a1+a2'],
      ['aws_subnet.app["b1"]', 'b1'],
    ]);
    const rt = byId(els, 'aws_route_table.rt');
    assert.ok(rt.kind === 'routeTable');
    assert.deepEqual(
      rt.routes.map((r) => [r.destination, r.target]),
      [
        [{ cidr: '192.168.0.0/24' }, { kind: 'natgw', ref: 'aws_nat_gateway.n[0]' }],
        [{ cidr: '192.168.1.0/24' }, { kind: 'natgw', ref: 'aws_nat_gateway.n[1]' }],
      ],
    );
  });
});
