// Every surface tells one story: Simulate Flow, Trace, the CodeLens and the tree say the same thing about
// a path, on the bundled examples read through the real parsers.
import * as assert from 'assert';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import type { AnalysisResult, FlowSpec } from '../../../src/analysis/types';
import { routingVerdict } from '../../../src/analysis/verdict';
import { stageName } from '../../../webview/stages';
import {
  buildTree,
  formatSimulation,
  LENS_MAX,
  lensesForFile,
  resultForRoot,
  rootPicks,
  simulationHeadline,
} from '../../../src/extension/mapping';
import { createWorkspace } from '../../../src/parse/workspace';

const EXAMPLES = join(__dirname, '../../../../examples');

async function example(name: string, files: Record<string, string> = {}): Promise<AnalysisResult> {
  const dir = join(EXAMPLES, name);
  const ws = await createWorkspace();
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.md') || !statSync(join(dir, f)).isFile()) continue;
    ws.setFile(f, readFileSync(join(dir, f), 'utf8'));
  }
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  const result = analyze(b.model, {}, b.diagnostics);
  if (b.terraformRoots.length) result.terraformRoots = b.terraformRoots;
  return result;
}

function flow(text: string): FlowSpec {
  const p = parseFlowSpec(text);
  if (!p.ok) throw new Error(p.error);
  return p.flow;
}

describe('surfaces tell one story (examples)', function () {
  this.timeout(60000);
  let asym: AnalysisResult;
  before(async () => {
    asym = await example('aws-distributed-egress-asymmetric');
  });

  it('Simulate Flow leads with the routing verdict and keeps the divergence Trace shows', () => {
    const index = new ModelIndex(asym.model);
    const appB = asym.egress.find((e) => e.subnet === 'aws_subnet.app_b')!;
    const sim = simulate(asym.model, index, flow('src=10.0.2.15 dst=ipinfo.io proto=tcp port=443'));
    assert.strictEqual(
      sim.routing!.headline,
      'ASYMMETRIC: SYN via gwlbe-b (us-east-1b), SYN-ACK via gwlbe-a (us-east-1a): a stateful firewall drops it',
    );
    // The same diverging hop as the subnet's egress trace: one code path.
    assert.deepStrictEqual(sim.divergence, appB.divergence);
    assert.strictEqual(routingVerdict(appB).headline, sim.routing!.headline);
    assert.match(formatSimulation(sim), /^Simulate tcp\/443 10\.0\.2\.15 -> ipinfo\.io: ASYMMETRIC: SYN via gwlbe-b/);
    assert.match(formatSimulation(sim), /return diverges here/);

    const a = simulate(asym.model, index, flow('src=10.0.1.15 dst=8.8.8.8 proto=icmp'));
    assert.strictEqual(simulationHeadline(a), 'RETURN UNINSPECTED: bypasses gwlbe-a');
    assert.ok(a.divergence, 'the bypass diverges at the IGW');
    const mgmt = simulate(asym.model, index, flow('src=10.0.30.10 dst=8.8.8.8 proto=icmp'));
    assert.strictEqual(mgmt.routing!.headline, 'UNINSPECTED: leaves through workload-igw with no enforcement point on the path');
  });

  it('the output channel prints the steps the narration shows: the same stages, numbered over both legs', () => {
    const index = new ModelIndex(asym.model);
    const sim = simulate(asym.model, index, flow('src=app-b dst=ipinfo.io proto=tcp port=443'));
    const lines = formatSimulation(sim).split('\n');
    const narration = [
      ...sim.forward.hops.map((h, i) => [stageName(sim.forward.hops, i, 'forward'), h.note]),
      ...sim.return!.hops.map((h, i) => [stageName(sim.return!.hops, i, 'return'), h.note]),
    ];
    assert.deepStrictEqual(
      lines.filter((l) => /^ {4}\d+\. /.test(l)),
      narration.map(([stage, note], i) => `    ${i + 1}. ${stage}${note ? ` - ${note}` : ''}`),
    );
    assert.ok(narration.some(([stage]) => stage === 'GWLB endpoint gwlbe-a, before un-NAT'));
    // The divergence follows the step it happens at, numbered as the step counter numbers it.
    const at = lines.findIndex((l) => l.includes('return diverges here'));
    assert.ok(lines[at - 1].startsWith(`    ${sim.forward.hops.length + sim.divergence!.returnHop + 1}. `), lines[at - 1]);
    // Each leg names the endpoints the headline names.
    assert.match(
      lines.find((l) => l.startsWith('  forward '))!,
      /: INSPECTED via gwlbe-b \(us-east-1b\)$/,
    );
    assert.match(
      lines.find((l) => l.startsWith('  return '))!,
      /: INSPECTED via gwlbe-a \(us-east-1a\)$/,
    );
  });

  it('the narration names the real destination (ipinfo.io), not the stand-in address it is routed as', () => {
    const index = new ModelIndex(asym.model);
    const sim = simulate(asym.model, index, flow('src=10.0.2.15 dst=ipinfo.io proto=tcp port=443'));
    const notes = [...sim.forward.hops, ...sim.return!.hops].map((h) => h.note);
    assert.match(notes[0], /sends to ipinfo\.io \(routed as the public address 8\.8\.8\.8\)/);
    assert.ok(notes.includes('reaches ipinfo.io'), notes.join('\n'));
    assert.ok(
      notes.some((n) => n.startsWith('ipinfo.io replies to ')),
      notes.join('\n'),
    );
    // An IP destination is still named by its address.
    const ip = simulate(asym.model, index, flow('src=10.0.2.15 dst=1.1.1.1 proto=icmp'));
    assert.ok(ip.forward.hops.some((h) => h.note === 'reaches 1.1.1.1'));
  });

  it('the source is an IP, a subnet name or an address', () => {
    const index = new ModelIndex(asym.model);
    for (const src of ['10.0.2.15', 'app-b', 'APP-B', 'aws_subnet.app_b']) {
      const sim = simulate(asym.model, index, flow(`src=${src} dst=8.8.8.8 proto=icmp`));
      assert.strictEqual(sim.forward.source.element, 'aws_subnet.app_b', src);
      assert.strictEqual(sim.routing!.kind, 'asymmetric', src);
    }
    const none = simulate(asym.model, index, flow('src=no-such-subnet dst=8.8.8.8 proto=icmp'));
    assert.strictEqual(none.outcome, 'unknown');
  });

  it('a name several sources share is refused with the candidates, never guessed', async () => {
    const twice = await example('aws-distributed-egress-asymmetric', {
      'twin.tf':
        'resource "aws_subnet" "twin" {\n  vpc_id = aws_vpc.workload.id\n  cidr_block = "10.0.40.0/24"\n  tags = { Name = "app-b" }\n}\n',
    });
    const sim = simulate(twice.model, new ModelIndex(twice.model), flow('src=app-b dst=8.8.8.8 proto=icmp'));
    assert.strictEqual(sim.outcome, 'unknown');
    assert.match(sim.summary, /"app-b" names 2 sources \(aws_subnet\.app_b, aws_subnet\.twin\)/);
  });

  it('CodeLens: one per for_each key, labelled with it, action first, within the length limit', () => {
    const lenses = lensesForFile('workload.tf', asym);
    const lines = readFileSync(join(EXAMPLES, 'aws-distributed-egress-asymmetric', 'workload.tf'), 'utf8').split('\n');
    const at = (needle: string) => lenses.filter((l) => lines[l.range.start.line].startsWith(needle)).map((l) => l.title);
    // Each NAT table routes its AZ's app subnet out and its reply back; both replies are asymmetric.
    assert.deepStrictEqual(at('resource "aws_route_table" "nat"'), [
      'Trace egress ["a"] · legs: 1 out, 1 back, ⚠ 1 asymmetric',
      'Trace egress ["b"] · legs: 1 out, 1 back, ⚠ 1 asymmetric',
    ]);
    const natA = lenses.find((l) => l.title.startsWith('Trace egress ["a"]'))!;
    assert.deepStrictEqual(natA.args, ['aws_subnet.app_a']);
    assert.deepStrictEqual(at('resource "aws_subnet" "nat"'), [
      'Show in topology ["a"] · Partially Protected',
      'Show in topology ["b"] · Partially Protected',
    ]);
    assert.deepStrictEqual(at('resource "aws_subnet" "app_b"'), ['Trace egress · ⚠ return via gwlbe-a (other AZ)']);
    assert.deepStrictEqual(at('resource "aws_subnet" "app_a"'), ['Trace egress · ⚠ return bypasses gwlbe-a']);
    assert.deepStrictEqual(at('resource "aws_subnet" "mgmt"'), ['Trace egress · ⚠ uninspected (via workload-igw)']);
    // The edge table decides no subnet's first hop, but carries every reply.
    assert.deepStrictEqual(at('resource "aws_route_table" "igw_edge"'), ['Trace egress · 3 return legs, ⚠ 2 asymmetric']);
    assert.ok(lenses.every((l) => l.title.length <= LENS_MAX));
  });

  it('CodeLens titles stay within the limit on every example', async () => {
    for (const name of readdirSync(EXAMPLES).filter((n) => statSync(join(EXAMPLES, n)).isDirectory())) {
      const r = await example(name);
      const files = new Set(r.model.elements.map((e) => e.loc.file));
      for (const f of files)
        for (const l of lensesForFile(f, r)) assert.ok(l.title.length <= LENS_MAX, `${name}/${f}: ${l.title} (${l.title.length})`);
    }
  });

  it('an Unprotected Aviatrix VPC is not "inspected by" its spoke gateway', async () => {
    const avx = await example('aviatrix-dcf');
    const analytics = avx.egress.find((e) => e.vpc === 'aviatrix_vpc.spoke["analytics"]')!;
    const state = avx.states.find((s) => s.vpc === analytics.vpc)!;
    assert.strictEqual(state.state, 'Unprotected');
    const v = routingVerdict(analytics, { state });
    assert.strictEqual(
      v.headline,
      'UNPROTECTED: through spoke gateway analytics-spoke (DCF enforcement point); no policy selects this VPC: default action PERMIT',
    );
    const tree = buildTree(avx);
    const vpcNode = tree.find((n) => n.label === 'Unprotected')!.children[0];
    assert.ok(vpcNode.children.every((c) => c.kind !== 'subnet' || !/inspected/i.test(c.tooltip)));
    // A simulated flow that no policy matches says the default action decided.
    const sim = simulate(avx.model, new ModelIndex(avx.model), flow('src=10.30.0.10 dst=ipinfo.io proto=tcp port=443'));
    assert.strictEqual(
      sim.routing!.headline,
      'UNPROTECTED: through spoke gateway analytics-spoke (DCF enforcement point); no policy matches this flow: default action PERMIT',
    );
    const prod = avx.egress.find((e) => e.vpc === 'aviatrix_vpc.spoke["prod"]')!;
    assert.strictEqual(routingVerdict(prod, { state: avx.states.find((s) => s.vpc === prod.vpc)! }).kind, 'inspected');
  });

  it('the tree has a level per Terraform root module when there are several', async () => {
    const dir = join(EXAMPLES, 'aws-distributed-egress-asymmetric');
    const ws = await createWorkspace();
    for (const root of ['envs/dev', 'envs/prod'])
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.tf'))) ws.setFile(`${root}/${f}`, readFileSync(join(dir, f), 'utf8'));
    const b = ws.build();
    const result = analyze(b.model, {}, b.diagnostics);
    result.terraformRoots = b.terraformRoots;
    assert.strictEqual(b.terraformRoots.length, 2);
    const tree = buildTree(result);
    assert.deepStrictEqual(
      tree.map((n) => `${n.kind}:${n.label}:${n.description}`),
      ['root:envs/dev:2 VPC/VNets', 'root:envs/prod:2 VPC/VNets'],
    );
    assert.deepStrictEqual(
      tree[0].children.map((n) => n.label),
      ['Partially Protected', 'Inspection'],
    );
    // One root: no extra level.
    assert.strictEqual(buildTree(asym)[0].kind, 'state');
    // The topology command offers every root or one; one root's part carries only its elements and score.
    const picks = rootPicks(result);
    assert.deepStrictEqual(
      picks.map((p) => [p.label, p.root]),
      [
        ['All root modules', undefined],
        ['envs/dev', b.terraformRoots.find((r) => r.dir === 'envs/dev')!.label],
        ['envs/prod', b.terraformRoots.find((r) => r.dir === 'envs/prod')!.label],
      ],
    );
    const dev = resultForRoot(result, picks[1].root);
    assert.ok(dev.model.elements.length > 0 && dev.model.elements.every((e) => e.id.startsWith(`${picks[1].root}:`)));
    assert.strictEqual(dev.egress.length * 2, result.egress.length);
    assert.strictEqual(dev.findings.length * 2, result.findings.length);
    assert.strictEqual(dev.score.score, 50);
    assert.strictEqual(resultForRoot(result, undefined), result);
    assert.deepStrictEqual(rootPicks(asym), [], 'no choice with one root');
  });
});
