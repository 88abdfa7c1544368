// F90: a variable's type constraint with `optional(type, default)` attributes (Terraform >= 1.3). A value
// converted to the declared type (tfvars, the variable's default, a module block's argument) gets each optional
// attribute it leaves out or sets to null: its default, or null without one, at any depth.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import type { NetworkElement } from '../../../src/model/types';
import { viaTreeSitter } from './exprHelpers';
import { typeConversion } from '../../../src/parse/terraform/typeConstraint';
import { markCertain, markConditionalKeys, conditionalAt, isSet, type Value } from '../../../src/parse/terraform/values';
import { byId, ofKind } from './helpers';

function build(files: Record<string, string>): { els: NetworkElement[]; diags: ParseDiagnostic[] } {
  const idx = new TerraformIndex();
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics) };
}

const VPCS_TYPE = `map(object({
    cidr       = string
    create     = optional(bool, true)
    name       = optional(string)
    tenancy    = optional(string, "default")
    subnets = optional(map(object({
      cidr   = string
      public = optional(bool, false)
    })), { main = { cidr = "10.99.0.0/24" } })
  }))`;

/** A root that makes one VPC per entry of var.vpcs (when `create`), and its subnets. */
const ROOT = `
variable "vpcs" {
  type = ${VPCS_TYPE}
}
locals {
  subnets = merge([for vk, v in var.vpcs : { for sk, s in v.subnets : "\${vk}-\${sk}" => merge(s, { vpc = vk }) }]...)
}
resource "aws_vpc" "this" {
  for_each         = { for k, v in var.vpcs : k => v if v.create }
  cidr_block       = each.value.cidr
  instance_tenancy = each.value.tenancy
  tags             = { Name = each.value.name == null ? "vpc-\${each.key}" : each.value.name }
}
resource "aws_subnet" "this" {
  for_each                = local.subnets
  vpc_id                  = aws_vpc.this[each.value.vpc].id
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = each.value.public
}
`;

describe('terraform: optional() attributes of variable types (F90)', () => {
  before(async () => {
    await initTerraform();
  });

  it('fills the attributes a tfvars value leaves out or sets to null, nested defaults included', () => {
    const { els, diags } = build({
      'r/main.tf': ROOT,
      'r/terraform.tfvars': `
vpcs = {
  a = { cidr = "10.1.0.0/16", subnets = { x = { cidr = "10.1.1.0/24", public = true }, y = { cidr = "10.1.2.0/24" } } }
  b = { cidr = "10.99.0.0/16", name = "bee", tenancy = null }
  c = { cidr = "10.3.0.0/16", create = false, subnets = {} }
}
`,
    });
    assert.deepEqual(
      diags.filter((d) => d.severity !== 'info'),
      [],
    );
    const vpcs = ofKind(els, 'vpc').map((v) => [v.id, v.cidrs[0], v.name]);
    assert.deepEqual(vpcs, [
      ['aws_vpc.this["a"]', '10.1.0.0/16', 'vpc-a'],
      ['aws_vpc.this["b"]', '10.99.0.0/16', 'bee'],
    ]);
    const subnets = ofKind(els, 'subnet').map((s) => [s.id, s.cidr, s.vpc]);
    assert.deepEqual(subnets, [
      ['aws_subnet.this["a-x"]', '10.1.1.0/24', 'aws_vpc.this["a"]'],
      ['aws_subnet.this["a-y"]', '10.1.2.0/24', 'aws_vpc.this["a"]'],
      // b's subnets: the attribute's default, itself converted (public = false).
      ['aws_subnet.this["b-main"]', '10.99.0.0/24', 'aws_vpc.this["b"]'],
    ]);
  });

  it('converts a module argument to the child variable type, and the variable default too', () => {
    const { els } = build({
      'r/main.tf': `
module "net" {
  source = "./net"
  vpcs   = { spoke = { cidr = "10.5.0.0/16" } }
}
module "dflt" {
  source = "./net"
}`,
      'r/net/main.tf': ROOT.replace(
        `type = ${VPCS_TYPE}`,
        `type = ${VPCS_TYPE}\n  default = { hub = { cidr = "10.6.0.0/16", name = null } }`,
      ),
    });
    assert.deepEqual(
      ofKind(els, 'vpc')
        .map((v) => [v.id, v.name])
        .sort(),
      [
        ['module.dflt.aws_vpc.this["hub"]', 'vpc-hub'],
        ['module.net.aws_vpc.this["spoke"]', 'vpc-spoke'],
      ],
    );
    assert.equal(byId(els, 'module.net.aws_subnet.this["spoke-main"]').kind, 'subnet');
  });

  it('without optional(), a value is taken as written: a left-out attribute stays missing', () => {
    const { els } = build({
      'r/main.tf': `
variable "vpc" {
  type = object({ cidr = string, create = bool })
}
resource "aws_vpc" "this" {
  count      = var.vpc.create ? 1 : 0
  cidr_block = var.vpc.cidr
}`,
      'r/terraform.tfvars': 'vpc = { cidr = "10.1.0.0/16" }\n',
    });
    const vpcs = ofKind(els, 'vpc');
    assert.equal(vpcs.length, 1);
    assert.match(vpcs[0].id, /\["\?"\]$/);
  });

  it('converts lists, sets and tuples of objects, and keeps the marks of the collections it copies', () => {
    const text = 'type = tuple([list(object({ a = optional(number, 1) })), set(object({ b = optional(string) })), string])\n';
    const type = viaTreeSitter(text);
    const conv = typeConversion(type, text);
    assert.ok(conv);
    const inner = markCertain([new Map<string, Value>(), new Map<string, Value>([['a', 5]])], 1);
    const out = conv([inner, [new Map<string, Value>([['c', true]])], 'x']) as Value[];
    const list = out[0] as Map<string, Value>[];
    assert.deepEqual(
      list.map((m) => Object.fromEntries(m)),
      [{ a: 1 }, { a: 5 }],
    );
    assert.ok(conditionalAt(list, 1) && !conditionalAt(list, 0));
    assert.deepEqual(Object.fromEntries((out[1] as Map<string, Value>[])[0]), { c: true, b: null });
    assert.equal(out[2], 'x');
    // Nothing to fill: the same value, its set element now a set (a dynamic block over it keys by element).
    const full = [[new Map<string, Value>([['a', 2]])], [], 'y'];
    const same = conv(full) as Value[];
    assert.deepEqual(same, full);
    assert.ok(isSet(same[1] as Value[]) && !isSet(full[1] as Value[]));
    const lt = 'type = list(object({ a = optional(number, 1) }))\n';
    const listOnly = [new Map<string, Value>([['a', 2]])];
    assert.equal(typeConversion(viaTreeSitter(lt), lt)?.(listOnly), listOnly);
    const m = markConditionalKeys(new Map<string, Value>([['k', new Map<string, Value>()]]), new Set(['k']));
    const mt = 'type = map(object({ a = optional(number, 3) }))\n';
    const mconv = typeConversion(viaTreeSitter(mt), mt);
    const mout = mconv?.(m) as Map<string, Value>;
    assert.deepEqual(Object.fromEntries(mout.get('k') as Map<string, Value>), { a: 3 });
    assert.ok(conditionalAt(mout, 'k'));
  });

  it('reads no type without optional() or set(): no conversion at all', () => {
    for (const t of ['string', 'map(object({ a = string }))', 'list(any)', 'object({ a = list(object({ b = number })) })']) {
      const text = `type = ${t}\n`;
      assert.equal(typeConversion(viaTreeSitter(text), text), undefined, t);
    }
  });
});
