// FortiGate VMs behind a GWLB whose own policy is in their bootstrap (test/fixtures/fortios-gwlb, our own design
// modelled on vendor GWLB deployments): the CLI reads the FortiOS file each root's user data renders with
// templatefile() and judges the workload VPC by that policy.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

interface Doc {
  findings: { code: string; severity: string }[];
  parseDiagnostics: { code: string; message: string }[];
  states: { vpc: string; name: string; state: string; reason: string }[];
}

describe('cli: FortiGate bootstrap policy behind a GWLB', function () {
  this.timeout(120_000);
  let doc: Doc;
  before(() => {
    ensureBuilt();
    const r = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], path.join(ROOT, 'test', 'fixtures', 'fortios-gwlb'));
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout) as Doc;
  });

  const workload = (root: string) => {
    const s = doc.states.find((x) => x.vpc === `${root}:module.estate.aws_vpc.workload`);
    assert.ok(s, doc.states.map((x) => x.vpc).join(', '));
    return s;
  };

  it("each root's fortigate.conf decides its workload VPC", () => {
    assert.equal(workload('monitored').state, 'Monitored');
    assert.match(workload('monitored').reason, /FortiOS policy 10 "inspect-all" \(monitored\/fortigate\.conf:18\) accepts all to all/);
    assert.equal(workload('restricted').state, 'Protected');
    assert.match(workload('restricted').reason, /restricted\/fortigate\.conf:\d+/);
    assert.equal(workload('unlogged').state, 'Unprotected');
    assert.equal(workload('templated').state, 'Unknown');
  });

  it('the security VPC stays Inspection naming the FortiGate instance, and the IP target is its interface (no unresolved target_id)', () => {
    const sec = doc.states.find((x) => x.vpc === 'monitored:module.estate.aws_vpc.security');
    assert.equal(sec?.state, 'Inspection');
    assert.match(sec?.reason ?? '', /aws_instance\.fortigate\)/);
    assert.ok(!doc.parseDiagnostics.some((d) => /target_id/.test(d.message)), JSON.stringify(doc.parseDiagnostics));
    assert.deepEqual(
      doc.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });
});
