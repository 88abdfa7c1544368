// Issue 17 item 2: the evaluation budget covers work inside functions and across modules. Each case
// is a small hostile workspace that ran for minutes or filled gigabytes before the budget charged
// the values functions build and the module instances for_each makes.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { callFunction } from '../../../src/parse/terraform/functions';
import { setEvaluationBudget } from '../../../src/parse/terraform/budget';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { isUnresolved, type NetworkElement } from '../../../src/model/types';
import { byId } from './helpers';

function build(files: Record<string, string>): { els: NetworkElement[]; diags: ParseDiagnostic[]; ms: number; idx: TerraformIndex } {
  const t0 = Date.now();
  const idx = new TerraformIndex();
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics), ms: Date.now() - t0, idx };
}

function budgetDiagnostic(diags: ParseDiagnostic[], file: string): ParseDiagnostic {
  const d = diags.find((x) => x.code === 'evaluation-budget-exceeded');
  assert.ok(d, `no budget diagnostic in ${JSON.stringify(diags.map((x) => x.code))}`);
  assert.equal(d.loc.file, file);
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /Evaluation budget exceeded in root module .*values computed from here on are Unknown/);
  return d;
}

describe('terraform: the evaluation budget covers functions and modules (issue 17 item 2)', function () {
  this.timeout(60_000);
  before(() => initTerraform());
  after(() => setEvaluationBudget(Infinity));

  it('toset() and distinct() are hash-based: 131,072 items in well under a second, same answers', () => {
    setEvaluationBudget(Infinity);
    const big = Array.from({ length: 131_072 }, (_, i) => `s-${i % 65_536}`);
    const t0 = Date.now();
    const set = callFunction('toset', [big], 'toset(x)');
    assert.ok(Date.now() - t0 < 1_000, `${Date.now() - t0} ms`);
    // A set of strings iterates in lexical order, as Terraform's does.
    assert.ok(Array.isArray(set) && set.length === 65_536 && set[0] === 's-0' && set[65_535] === 's-9999');
    // Equality as before: 1 and "1" differ, equal lists and maps are one, key order does not matter.
    const m1 = new Map<string, unknown>([
      ['a', 1],
      ['b', [2]],
    ]) as never;
    const m2 = new Map<string, unknown>([
      ['b', [2]],
      ['a', 1],
    ]) as never;
    assert.deepEqual(callFunction('distinct', [[1, '1', 1, [1, 2], [1, 2], m1, m2, null, null, true]], 'd'), [
      1,
      '1',
      [1, 2],
      m1,
      null,
      true,
    ]);
  });

  it('flatten([l, l]) doubled 31 times stops at the budget with a located diagnostic', () => {
    const lines = ['locals {', '  l0 = ["a", "b", "c", "d"]'];
    for (let i = 1; i <= 31; i++) lines.push(`  l${i} = flatten([local.l${i - 1}, local.l${i - 1}])`);
    lines.push('}', 'resource "aws_vpc" "v" {', '  cidr_block = length(local.l31) > 0 ? "10.0.0.0/16" : "10.1.0.0/16"', '}');
    const { els, diags, ms } = build({ 'd/main.tf': lines.join('\n') + '\n' });
    assert.ok(ms < 20_000, `${ms} ms`);
    const v = byId(els, 'aws_vpc.v');
    assert.ok(
      v.kind === 'vpc' && isUnresolved(v.cidrs[0]) && /evaluation budget exceeded/.test(v.cidrs[0].reason),
      JSON.stringify(v.kind === 'vpc' && v.cidrs),
    );
    const d = budgetDiagnostic(diags, 'd/main.tf');
    // At one of the flatten lines: the doubling that ran past the budget.
    assert.ok(d.loc.range.start.line >= 2 && d.loc.range.start.line <= 32, JSON.stringify(d.loc));
  });

  it('module for_each of 1,000 x 1,000 x 1,000 stops at the budget; the run finishes', () => {
    const each = 'for_each = toset([for i in range(1000) : tostring(i)])';
    const { els, diags, ms } = build({
      'n/main.tf': `module "a" {\n  source = "./a"\n  ${each}\n}\nresource "aws_vpc" "root" { cidr_block = "10.0.0.0/16" }\n`,
      'n/a/main.tf': `module "b" {\n  source = "../b"\n  ${each}\n}\n`,
      'n/b/main.tf': `module "c" {\n  source = "../c"\n  ${each}\n}\n`,
      'n/c/main.tf': `resource "aws_vpc" "leaf" { cidr_block = "10.9.0.0/16" }\n`,
    });
    assert.ok(ms < 20_000, `${ms} ms`);
    assert.ok(els.length < 2_000_000);
    assert.ok(
      els.some((e) => e.id === 'aws_vpc.root'),
      'what the budget does not reach is still modelled',
    );
    budgetDiagnostic(diags, diags.find((d) => d.code === 'evaluation-budget-exceeded')!.loc.file);
    assert.ok(
      diags.some((d) => d.code === 'unresolved-value' && /evaluation budget exceeded/.test(d.message)),
      'the module whose instances were not made says why',
    );
  });

  it('real-sized code stays far below the budget; each root module has its own', () => {
    const vpc = (n: number) => `resource "aws_vpc" "v${n}" { cidr_block = cidrsubnet("10.0.0.0/8", 8, ${n}) }\n`;
    const heavy = ['locals {', '  l0 = ["a", "b"]'];
    for (let i = 1; i <= 31; i++) heavy.push(`  l${i} = flatten([local.l${i - 1}, local.l${i - 1}])`);
    heavy.push('}', 'resource "aws_vpc" "h" { cidr_block = length(local.l31) > 0 ? "10.0.0.0/16" : "10.1.0.0/16" }');
    const { els, idx } = build({
      'ok/main.tf': Array.from({ length: 50 }, (_, i) => vpc(i)).join(''),
      'zz-heavy/main.tf': heavy.join('\n') + '\n',
    });
    // The heavy root spends its budget; the other root, evaluated before it, is whole.
    // (With two roots, ids carry the root's label.)
    for (let i = 0; i < 50; i++) {
      const v = els.find((e) => e.id.endsWith(`aws_vpc.v${i}`));
      assert.ok(v && v.kind === 'vpc' && v.cidrs[0] === `10.${i}.0.0/16`, JSON.stringify(v));
    }
    assert.ok(idx.lastBudget!.used >= idx.lastBudget!.budget);
    const light = build({ 'ok/main.tf': Array.from({ length: 50 }, (_, i) => vpc(i)).join('') });
    assert.ok(light.idx.lastBudget!.used < light.idx.lastBudget!.budget / 1000, JSON.stringify(light.idx.lastBudget));
  });
});
