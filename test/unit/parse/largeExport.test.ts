// Large and damaged AWS CLI exports (issue 17 item 3): the reader's string pool, the merge's keys for
// references nothing defines, and the JSON report's location rewrite were made cheaper for exports of
// hundreds of thousands of entries. These tests pin what they must still give, on exports of our own.
import * as assert from 'node:assert/strict';
import { parseAwsCli } from '../../../src/parse/awsCli';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { withJsonReadMode } from '../../../src/parse/jsonDoc';
import { FragmentMerger, mergeFragments } from '../../../src/parse/merge';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { toJson } from '../../../src/report';
import type { ModelFragment } from '../../../src/parse/types';
import { isUnresolved, type NetworkElement, type SourceRange } from '../../../src/model/types';
import { byId, textAt } from './helpers';

const hex = (i: number) => i.toString(16).padStart(17, '0');

/**
 * describe-route-tables of `n` tables, one a line as `fuzz-hostile.mjs` writes them: each names its own
 * VPC, NAT gateway and subnet (none of them in the file); every tenth also routes a corporate prefix
 * to one shared transit gateway, so some strings recur across the whole file.
 */
function damagedRouteTables(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = hex(i);
    const tgw = i % 10 === 0 ? `,{"DestinationCidrBlock":"10.${i % 200}.0.0/16","TransitGatewayId":"tgw-0shared","State":"active"}` : '';
    lines.push(
      `{"RouteTableId":"rtb-${h}","VpcId":"vpc-${h}","Routes":[{"DestinationCidrBlock":"0.0.0.0/0","NatGatewayId":"nat-${h}","State":"active"}${tgw}],"Associations":[{"Main":false,"SubnetId":"subnet-${h}"}]}`,
    );
  }
  return `{"RouteTables":[\n${lines.join(',\n')}\n]}\n`;
}

function lineOf(r: SourceRange): number {
  return r.start.line;
}

describe('parse: large and damaged AWS CLI exports', function () {
  this.timeout(120_000);

  it('reads 23,000 route tables (69,000 distinct strings to pool, more than the pool holds at once) as the jsonc tree reads them', () => {
    const text = damagedRouteTables(23_000);
    const fast = parseAwsCli('describe-route-tables.json', text);
    const tree = withJsonReadMode('tree', () => parseAwsCli('describe-route-tables.json', text));
    assert.equal(fast.elements.length, 46_000);
    assert.deepStrictEqual(fast.elements, tree.elements);
    assert.deepStrictEqual(fast.diagnostics, tree.diagnostics);
    // Every table is located at its own line, on its RouteTableId; routes and associations inside it.
    for (const i of [0, 1, 9_999, 10_000, 22_999]) {
      const rt = byId(fast.elements, `rtb-${hex(i)}`);
      assert.ok(rt.kind === 'routeTable');
      assert.equal(lineOf(rt.loc.range), i + 1);
      assert.equal(textAt(text, rt.loc.range), `"RouteTableId":"rtb-${hex(i)}"`);
      assert.equal(rt.vpc, `vpc-${hex(i)}`);
      assert.equal(rt.routes[0].target.ref, `nat-${hex(i)}`);
      assert.equal(lineOf(rt.routes[0].loc.range), i + 1);
      if (i % 10 === 0) assert.deepEqual([rt.routes[1].target.kind, rt.routes[1].target.ref], ['tgw', 'tgw-0shared']);
      const assoc = byId(fast.elements, `rtb-${hex(i)}#assoc0`);
      assert.ok(assoc.kind === 'rtAssociation');
      assert.equal(assoc.subnet, `subnet-${hex(i)}`);
      assert.equal(textAt(text, assoc.extent!), `{"Main":false,"SubnetId":"subnet-${hex(i)}"}`);
    }
  });

  it('reports each missing reference of a damaged export once, at its element, and resolves them when the file arrives', () => {
    const text = damagedRouteTables(300);
    const tables = parseAwsCli('describe-route-tables.json', text);
    const merged = mergeFragments([tables]);
    // 300 VPCs, 300 NAT gateways, 300 subnets and the transit gateway (named by 30 routes) are missing.
    assert.equal(merged.diagnostics.length, 930);
    const first = merged.diagnostics.filter((d) => d.message.startsWith(`rtb-${hex(0)}`));
    assert.deepEqual(
      first.map((d) => [d.code, d.severity, d.message]),
      [
        ['missing-reference', 'warning', `rtb-${hex(0)}: vpc refers to vpc-${hex(0)}, which is not defined in the workspace`],
        ['missing-reference', 'warning', `rtb-${hex(0)}#0: target refers to nat-${hex(0)}, which is not defined in the workspace`],
        ['missing-reference', 'warning', `rtb-${hex(0)}#1: target refers to tgw-0shared, which is not defined in the workspace`],
        ['missing-reference', 'warning', `rtb-${hex(0)}#assoc0: subnet refers to subnet-${hex(0)}, which is not defined in the workspace`],
      ],
    );
    const rt0 = byId(merged.elements, `rtb-${hex(0)}`);
    assert.ok(rt0.kind === 'routeTable' && isUnresolved(rt0.vpc) && rt0.vpc.text === `vpc-${hex(0)}`);

    // The transit gateway and ten of the VPCs arrive in another file, then leave again: the merge kept
    // who looked each missing id up (30 route tables for the one transit gateway).
    const vpcs: ModelFragment = {
      file: 'describe-more.json',
      format: 'aws-cli',
      elements: [
        ...Array.from({ length: 10 }, (_, i) => el(`vpc-${hex(i)}`, { kind: 'vpc', cidrs: ['10.0.0.0/16'], flavor: 'vpc' })),
        el('tgw-0shared', { kind: 'tgw' }),
      ],
      diagnostics: [],
    };
    const m = new FragmentMerger();
    const steps = [[tables], [tables, vpcs], [tables], [vpcs, tables]];
    for (const [n, frags] of steps.entries()) {
      const got = m.update(frags);
      const want = mergeFragments(frags);
      assert.deepStrictEqual(got.elements, want.elements, `step ${n}`);
      assert.deepStrictEqual(got.diagnostics, want.diagnostics, `step ${n}`);
      assert.equal(got.diagnostics.length, frags.length === 2 ? 930 - 40 : 930, `step ${n}`);
      const rt = byId(got.elements, `rtb-${hex(9)}`);
      assert.ok(rt.kind === 'routeTable');
      if (frags.length === 2) assert.equal(rt.vpc, `vpc-${hex(9)}`);
      else assert.ok(isUnresolved(rt.vpc) && rt.vpc.text === `vpc-${hex(9)}`);
    }
  });

  it('a missing id that is the provider id of an element of another file resolves to that element when it arrives', () => {
    const text = damagedRouteTables(40);
    const tables = parseAwsCli('describe-route-tables.json', text);
    const plan: ModelFragment = {
      file: 'plan.json',
      format: 'terraform-plan',
      elements: [el('aws_ec2_transit_gateway.hub', { kind: 'tgw', providerId: 'tgw-0shared' })],
      diagnostics: [],
    };
    const m = new FragmentMerger();
    for (const frags of [[tables], [tables, plan], [tables]]) {
      const got = m.update(frags);
      assert.deepStrictEqual(got.elements, mergeFragments(frags).elements);
      assert.deepStrictEqual(got.diagnostics, mergeFragments(frags).diagnostics);
      const rt = byId(got.elements, `rtb-${hex(30)}`);
      assert.ok(rt.kind === 'routeTable');
      const target = rt.routes[1].target.ref;
      if (frags.length === 2) assert.equal(target, 'aws_ec2_transit_gateway.hub');
      else assert.ok(isUnresolved(target) && target.text === 'tgw-0shared');
    }
  });

  it('the JSON report writes every location of a damaged export as the 1-based region of the model location', async () => {
    const text = damagedRouteTables(500);
    const ws = await createWorkspace({ terraform: null });
    ws.setFile('describe-route-tables.json', text);
    const build = ws.build();
    const result = analyze(build.model, {}, build.diagnostics);
    const doc = JSON.parse(toJson(result, { omitTiming: true })) as {
      model: { elements: Record<string, unknown>[] };
      parseDiagnostics: { message: string; loc: unknown }[];
    };
    const region = (r: SourceRange) => ({
      startLine: r.start.line + 1,
      startColumn: r.start.character + 1,
      endLine: r.end.line + 1,
      endColumn: r.end.character + 1,
    });
    const flat = (l: { file: string; range: SourceRange }) => ({ file: l.file, ...region(l.range) });
    const byIdInReport = new Map(doc.model.elements.map((e) => [e.id as string, e]));
    assert.equal(byIdInReport.size, 1_000);
    for (const e of build.model.elements) {
      const r = byIdInReport.get(e.id)!;
      assert.deepEqual(r.loc, flat(e.loc), e.id);
      assert.deepEqual(r.extent, region(e.extent!), e.id);
      if (e.kind === 'routeTable') {
        const routes = r.routes as { id: string; loc: unknown; target: unknown }[];
        assert.deepEqual(
          routes.map((x) => [x.id, x.loc, x.target]),
          e.routes.map((x) => [x.id, flat(x.loc), x.target]),
        );
      }
    }
    assert.equal(doc.parseDiagnostics.length, build.diagnostics.length);
    const want = new Map(build.diagnostics.map((d) => [d.message, flat(d.loc)]));
    for (const d of doc.parseDiagnostics) assert.deepEqual(d.loc, want.get(d.message), d.message);
  });
});

describe('parse: a large terraform plan', function () {
  this.timeout(120_000);

  it('reads a module of 140,000 resources (it overflowed the stack: internal-error, nothing modelled)', () => {
    const rs: string[] = [];
    for (let i = 0; i < 140_000; i++)
      rs.push(
        `{"address":"aws_vpc.v${i}","mode":"managed","type":"aws_vpc","values":{"id":"vpc-${i}","cidr_block":"10.${i % 250}.0.0/16"}}`,
      );
    const text = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[\n${rs.join(',\n')}\n]}}}`;
    const plan = parseTfPlan('big.tfplan.json', text);
    assert.deepEqual(plan.diagnostics, []);
    assert.equal(plan.elements.filter((e) => e.kind === 'vpc').length, 140_000);
    const last = byId(plan.elements, 'aws_vpc.v139999');
    assert.ok(last.kind === 'vpc');
    assert.deepEqual([last.providerId, last.cidrs, last.loc.range.start.line], ['vpc-139999', ['10.249.0.0/16'], 140_000]);
  });
});

function el(id: string, extra: Record<string, unknown>): NetworkElement {
  const loc = { file: 'describe-more.json', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } } };
  return { id, name: id, loc, cloud: 'aws', ...extra } as unknown as NetworkElement;
}
