// Issue 13: what the inputs cannot decide stays Unknown end to end (CLI on small workspaces of our own),
// never "No Egress", "dropped" or an error-level finding.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'unknowns');

interface Doc {
  findings: { code: string; severity: string }[];
  states: { name: string; state: string; reason: string }[];
  score: { score: number | null; counted: number; unknown: number };
  egress: { subnet: string; forward: { outcome: { kind: string; reason?: string } }; return?: { outcome: { kind: string } }; divergence?: unknown }[];
}

function analyze(dir: string): { doc: Doc; text: string; code: number | null } {
  const cwd = path.join(FIX, dir);
  const j = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], cwd);
  assert.equal(j.code, 0, j.stderr);
  const t = cli(['analyze', '.'], cwd);
  return { doc: JSON.parse(j.stdout) as Doc, text: t.stdout, code: t.code };
}

function stateOf(doc: Doc, name: string): { state: string; reason: string } {
  const s = doc.states.find((x) => x.name === name);
  assert.ok(s, `no state for ${name}: ${doc.states.map((x) => x.name)}`);
  return s;
}

describe('cli: unknown inputs stay Unknown (issue 13)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('an undecidable count of subnets makes the VPC Unknown, naming the count and file:line; the score is n/a', () => {
    const { doc, text } = analyze('count-undecided');
    const s = stateOf(doc, 'nat-only');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /length\(var\.azs\)/);
    assert.match(s.reason, /main\.tf:\d+/);
    assert.equal(doc.score.score, null);
    assert.match(text, /Score: n\/a \(every one of the 1 VPC\/VNet with egress is Unknown\)/);
    assert.match(text, /Unknown \(1\):\n {4}nat-only: /);
    assert.doesNotMatch(text, / No Egress {3,}|^No findings\.$/m);
  });

  it('an association whose route table is a data source does not fall back to the main table', () => {
    const { doc } = analyze('assoc-unresolved');
    const s = stateOf(doc, 'app');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route_table_association\.app \(main\.tf:17\).*data\.aws_route_table\.shared/);
    const eg = doc.egress.find((e) => e.subnet === 'aws_subnet.app')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
  });

  it('a route made with an undecidable count makes the path Unknown, not "dropped: no route"', () => {
    const { doc } = analyze('route-undecided');
    const s = stateOf(doc, 'optional-nat');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route\.private_nat\["\?"\] \(main\.tf:\d+\).*var\.enable_nat \? 1 : 0/);
    const eg = doc.egress.find((e) => e.subnet === 'aws_subnet.private')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
  });

  it('an IGW edge association that cannot be decided gives an Unknown return, no asymmetric-return-bypass', () => {
    const { doc } = analyze('edge-undecided');
    assert.deepEqual(doc.findings.filter((f) => f.severity === 'error'), []);
    const s = stateOf(doc, 'workload-vpc');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route_table_association\.igw_edge \(workload\.tf:\d+\).*data\.aws_internet_gateway\.workload/);
    for (const e of doc.egress.filter((x) => x.subnet.startsWith('aws_subnet.app'))) {
      assert.equal(e.return?.outcome.kind, 'unknown');
      assert.equal(e.divergence, undefined, 'an Unknown return does not diverge');
    }
    // The same design with the IGW named directly is judged normally (the example it is copied from).
    const ok = JSON.parse(cli(['analyze', 'examples/aws-distributed-egress-ok', '--format', 'json']).stdout) as Doc;
    assert.equal(stateOf(ok, 'workload-vpc').state, 'Protected');
  });
});
