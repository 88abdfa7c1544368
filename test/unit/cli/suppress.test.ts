// `egress-lens:ignore` end to end through the bundled CLI: the text report counts (and with --show-suppressed lists)
// the accepted findings, JSON holds them apart and marked, SARIF emits them with an inSource suppression, and the
// exit code leaves them out.
import * as assert from 'node:assert/strict';
import { cli, ensureBuilt } from './cliHarness';
import { exampleVariant } from '../exampleVariant';
import { reportSchemaErrors, sarifErrors } from '../report/helpers';

const EXAMPLE = 'aws-network-firewall-broken';
const EDGE = 'resource "aws_route_table" "igw_edge" {';
/** Both errors of the example are located in the IGW edge route table. */
const BOTH = `# egress-lens:ignore asymmetric-return-bypass,asymmetric-cross-az -- replies pinned by the ISP, see NET-42\n${EDGE}`;
const ONE = `# egress-lens:ignore asymmetric-cross-az\n${EDGE}`;

describe('cli: egress-lens:ignore', () => {
  before(() => ensureBuilt());

  it('exit code: accepted findings do not fail the run; the others still do', () => {
    assert.equal(cli(['analyze', exampleVariant(EXAMPLE, [])]).code, 1);
    assert.equal(cli(['analyze', exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, ONE] }])]).code, 1);
    const both = cli(['analyze', exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, BOTH] }])]);
    assert.equal(both.code, 0, both.stdout);
  });

  it('text: counts them, and lists them with --show-suppressed', () => {
    const dir = exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, ONE] }]);
    const r = cli(['analyze', dir, '--fail-on', 'never'], dir);
    assert.match(r.stdout, /^1 finding suppressed by egress-lens:ignore \(--show-suppressed lists them\)\.$/m);
    assert.match(r.stdout, /^Summary: 1 error, 0 warnings, 0 info in 1 file, 1 suppressed;/m);
    assert.doesNotMatch(r.stdout, /asymmetric-cross-az/);
    const shown = cli(['analyze', dir, '--fail-on', 'never', '--show-suppressed'], dir);
    assert.match(
      shown.stdout,
      /^Suppressed findings \(1; accepted by egress-lens:ignore\)\n {2}main\.tf:\d+:3 {2}error {2}asymmetric-cross-az {2}Asymmetric/m,
    );
    assert.match(shown.stdout, /^ {10}accepted at main\.tf:147:1$/m);
    assert.equal(cli(['analyze', dir, '--show-suppressed=yes'], dir).code, 2);
  });

  it('JSON: `suppressed` apart from `findings`, each with its suppression; valid against the schema', () => {
    const dir = exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, BOTH] }]);
    const doc = JSON.parse(cli(['analyze', dir, '--format', 'json'], dir).stdout) as {
      findings: unknown[];
      suppressed: { code: string; suppression: { location: { file: string; startLine: number }; reason?: string } }[];
    };
    assert.deepEqual(reportSchemaErrors(doc), []);
    assert.deepEqual(doc.findings, []);
    assert.deepEqual(
      doc.suppressed.map((f) => [f.code, f.suppression.location.file, f.suppression.location.startLine, f.suppression.reason]),
      [
        ['asymmetric-return-bypass', 'main.tf', 147, 'replies pinned by the ISP, see NET-42'],
        ['asymmetric-cross-az', 'main.tf', 147, 'replies pinned by the ISP, see NET-42'],
      ],
    );
    const plain = JSON.parse(cli(['analyze', exampleVariant(EXAMPLE, []), '--format', 'json', '--fail-on', 'never']).stdout) as object;
    assert.equal('suppressed' in plain, false, 'no key without a suppression');
  });

  it('SARIF: accepted findings are results with an inSource suppression and its justification; valid SARIF 2.1.0', () => {
    const dir = exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, BOTH] }]);
    const log = JSON.parse(cli(['analyze', dir, '--format', 'sarif'], dir).stdout) as {
      runs: { results: { ruleId: string; suppressions?: { kind: string; justification?: string; location?: unknown }[] }[] }[];
    };
    assert.deepEqual(sarifErrors(log), []);
    const results = log.runs[0].results;
    assert.deepEqual(results.map((r) => r.ruleId).sort(), ['asymmetric-cross-az', 'asymmetric-return-bypass']);
    for (const r of results) {
      assert.equal(r.suppressions?.length, 1);
      assert.equal(r.suppressions[0].kind, 'inSource');
      assert.equal(r.suppressions[0].justification, 'replies pinned by the ISP, see NET-42');
      assert.ok(r.suppressions[0].location);
    }
    const one = JSON.parse(
      cli(['analyze', exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, ONE] }]), '--format', 'sarif']).stdout,
    ) as typeof log;
    const bypass = one.runs[0].results.find((r) => r.ruleId === 'asymmetric-return-bypass');
    assert.equal(bypass?.suppressions, undefined, 'a finding not accepted has no suppressions');
  });

  it('an unused suppression is an info input diagnostic at the comment', () => {
    const dir = exampleVariant(EXAMPLE, [{ file: 'main.tf', replace: [EDGE, `# egress-lens:ignore routing-loop\n${EDGE}`] }]);
    const r = cli(['analyze', dir, '--fail-on', 'never'], dir);
    assert.match(r.stdout, /^ {2}main\.tf:147:1 {2}info {2}unused-suppression {2}unused egress-lens:ignore: no routing-loop finding/m);
  });
});
