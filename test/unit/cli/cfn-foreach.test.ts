// CloudFormation templates that build their networks with Fn::ForEach (the AWS::LanguageExtensions transform),
// run through the CLI as a user would (our own templates, modelled on VPCs built with loops over zones and tiers).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'cfn-foreach');

interface Doc {
  findings: { code: string; severity: string; location: { file: string; startLine: number } }[];
  states: { name: string; state: string; reason: string }[];
  parseDiagnostics: { code: string; severity: string; message: string }[];
}

function json(dir: string): Doc {
  const r = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], path.join(FIX, dir));
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Doc;
}

describe('cli: CloudFormation Fn::ForEach', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('loops over tiers and zones: the VPC is Unprotected and the finding points at the route loop in the template', () => {
    const doc = json('egress');
    assert.deepEqual(doc.parseDiagnostics, []);
    assert.deepEqual(
      doc.states.map((s) => [s.name, s.state]),
      [['Vpc', 'Unprotected']],
    );
    assert.deepEqual(
      doc.findings.map((f) => [f.code, f.severity, f.location.file, f.location.startLine]),
      // network.yaml:79 is 'PublicDefault${Zone}': the route to the IGW, written once for every zone.
      [['uninspected-egress', 'warning', 'network.yaml', 79]],
    );
  });

  it('east-west spokes made by a nested loop (JSON), no IGW anywhere: No Egress, exit 0', () => {
    const doc = json('eastwest');
    assert.deepEqual(
      doc.states.map((s) => [s.name, s.state]),
      [
        ['BlueVpc', 'No Egress'],
        ['GreenVpc', 'No Egress'],
      ],
    );
    const text = cli(['analyze', '.'], path.join(FIX, 'eastwest'));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /No findings\./);
  });

  it('a collection not known offline: one info naming the loop, the VPC Unknown, not No Egress', () => {
    const doc = json('undecided');
    assert.deepEqual(
      doc.parseDiagnostics.map((d) => [d.code, d.severity]),
      [['unmodelled-resource', 'info']],
    );
    assert.deepEqual(
      doc.states.map((s) => [s.name, s.state]),
      [['Vpc', 'Unknown']],
    );
    assert.match(
      doc.states[0].reason,
      /Fn::ForEach::Subnets, which is not expanded: its collection `!Ref Zones` is not known offline: parameter Zones has no Default/,
    );
  });
});
