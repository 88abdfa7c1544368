// CloudFormation parameter values and region from the command line (--cfn-param, --cfn-parameters, --region):
// argument parsing, the parameter files' shapes, and their effect on a verdict, run as a user would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, UsageError, type AnalyzeCommand } from '../../../src/cli/args';
import { readCfnParameterFile } from '../../../src/cli/cfnParams';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'cfn-region');

describe('cli args: --cfn-param, --cfn-parameters, --region', () => {
  const analyze = (...a: string[]) => parseArgs(['analyze', '.', ...a]) as AnalyzeCommand;

  it('keeps the values and files in the order given; --region is validated', () => {
    const cmd = analyze('--cfn-param', 'VpcCidr=10.0.0.0/16', '--cfn-parameters', 'p.json', '--cfn-param=Empty=', '--region', 'eu-west-1');
    assert.deepEqual(cmd.cfnParams, [{ name: 'VpcCidr', value: '10.0.0.0/16' }, { file: 'p.json' }, { name: 'Empty', value: '' }]);
    assert.equal(cmd.region, 'eu-west-1');
    assert.equal(analyze('--region=us-gov-west-1').region, 'us-gov-west-1');
    assert.equal(analyze().region, undefined);
    assert.deepEqual(analyze().cfnParams, []);
  });

  for (const [args, message] of [
    [['--cfn-param', 'vpc-cidr=1'], /--cfn-param expects NAME=VALUE with an alphanumeric NAME/],
    [['--cfn-param', 'NoValue'], /--cfn-param expects NAME=VALUE/],
    [['--region', 'Ireland'], /--region expects an AWS region name/],
    [['--region', 'eu-west-1', '--region', 'us-east-1'], /--region is given twice/],
    [['--cfn-parameters', ''], /--cfn-parameters needs a value/],
  ] as const)
    it(`refuses ${args.join(' ')}`, () => {
      assert.throws(
        () => analyze(...args),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
});

describe('cli: CloudFormation parameter files', () => {
  it('reads the AWS CLI list, a CodePipeline template configuration and deploy\'s "K=V" list, located', () => {
    assert.deepEqual(readCfnParameterFile('[{"ParameterKey": "A", "ParameterValue": "1"},\n {"ParameterKey": "B", "ParameterValue": 2}]'), {
      entries: [
        { name: 'A', value: '1', at: '1:19' },
        { name: 'B', value: '2', at: '2:19' },
      ],
      notes: [],
    });
    assert.deepEqual(readCfnParameterFile('{"Parameters": {"A": "x,y", "B": true}, "Tags": {"team": "net"}}'), {
      entries: [
        { name: 'A', value: 'x,y', at: '1:17' },
        { name: 'B', value: 'true', at: '1:29' },
      ],
      notes: [],
    });
    assert.deepEqual(readCfnParameterFile('["A=1", "B=x=y"]'), {
      entries: [
        { name: 'A', value: '1', at: '1:2' },
        { name: 'B', value: 'x=y', at: '1:9' },
      ],
      notes: [],
    });
    const prev = readCfnParameterFile('[{"ParameterKey": "A", "UsePreviousValue": true}]');
    assert.ok('notes' in prev);
    assert.deepEqual(prev.entries, []);
    assert.match(prev.notes[0], /^1:2: A uses the stack's previous value \(UsePreviousValue\), which is not known offline: not applied$/);
  });

  for (const [text, message] of [
    ['[{"ParameterKey": "A" "ParameterValue": "1"}]', /^1:23: not valid JSON \(CommaExpected\)$/],
    ['', /^1:1: not valid JSON/],
    ['{"Params": {}}', /^1:1: expected the AWS CLI's/],
    ['{"Parameters": ["A=1"]}', /^1:16: "Parameters" must be an object/],
    ['"A=1"', /^1:1: expected/],
    ['[{"ParameterValue": "1"}]', /^1:2: an entry needs a "ParameterKey" string$/],
    ['[{"ParameterKey": "A"}]', /^1:2: A has no "ParameterValue"$/],
    ['[{"ParameterKey": "A", "ParameterValue": ["x"]}]', /^1:42: the ParameterValue of A must be a string$/],
    ['[{"ParameterKey": "a-b", "ParameterValue": "1"}]', /^1:19: "a-b" is not a CloudFormation parameter name/],
    ['{"Parameters": {"A": {"x": 1}}}', /^1:22: the value of A must be a string, number or boolean$/],
    ['["A"]', /^1:2: "A" is not Name=value$/],
    ['[1]', /^1:2: expected/],
  ] as const)
    it(`refuses ${JSON.stringify(text)} with a located message`, () => {
      const r = readCfnParameterFile(text);
      assert.ok('error' in r, JSON.stringify(r));
      assert.match(r.error, message);
    });
});

interface Doc {
  findings: { code: string; message: string }[];
  states: { name: string; state: string; reason: string }[];
  parseDiagnostics: { code: string; severity: string; message: string; loc: { file: string; startLine: number } }[];
  summary: { inputs: { read: number; skipped: { file: string }[] } };
}

function run(args: string[], cwd = FIX): { doc: Doc; stderr: string; code: number | null } {
  const r = cli(['analyze', ...args, '--format', 'json', '--fail-on', 'never'], cwd);
  assert.equal(r.code, 0, r.stderr);
  return { doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr, code: r.code };
}

describe('cli: --region and CloudFormation parameter values decide what the template leaves to deploy time', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('the route covering the internet is chosen by region: Unknown without --region, Unprotected in eu-west-1, No Egress in us-east-1', () => {
    const none = run(['egress.yaml']).doc;
    assert.deepEqual(
      none.states.map((s) => [s.name, s.state]),
      [['Vpc', 'Unknown']],
    );
    assert.match(none.states[0].reason, /keyed by the stack's region \(AWS::Region\), known only at deploy time/);
    const eu = run(['egress.yaml', '--region', 'eu-west-1']).doc;
    assert.deepEqual(
      eu.states.map((s) => [s.name, s.state]),
      [['Vpc', 'Unprotected']],
    );
    assert.deepEqual(
      eu.findings.map((f) => f.code),
      ['uninspected-egress'],
    );
    // The subnet's Name tag is `!Sub '${Tier}-${AWS::Region}'`: the region is a value now.
    assert.match(eu.findings[0].message, /subnet web-eu-west-1 \(10\.40\.1\.10\)/);
    const us = run(['egress.yaml', '--region', 'us-east-1']).doc;
    assert.deepEqual(
      us.states.map((s) => [s.name, s.state]),
      [['Vpc', 'No Egress']],
    );
    assert.deepEqual(us.findings, []);
  });

  it('a region the mapping has no row for: a located warning, the path Unknown', () => {
    const { doc } = run(['egress.yaml', '--region', 'ap-south-1']);
    assert.deepEqual(
      doc.parseDiagnostics.map((d) => [d.code, d.severity, d.loc.file, d.loc.startLine]),
      [['unresolved-value', 'warning', 'egress.yaml', 18]],
    );
    assert.match(
      doc.parseDiagnostics[0].message,
      /mapping EgressRoute has no row for region ap-south-1 \(--region\): CloudFormation cannot deploy the stack in that region/,
    );
    assert.equal(doc.states[0].state, 'Unknown');
  });

  it('--cfn-parameters (AWS CLI list): the values apply, the file is not an input, a name no template declares and a previous value are warnings at their place', () => {
    const { doc, stderr } = run(['.', '--region', 'eu-west-1', '--cfn-parameters', 'prod-params.json']);
    assert.match(doc.findings[0].message, /subnet batch-eu-west-1 \(10\.40\.9\.10\)/);
    assert.deepEqual(doc.parseDiagnostics, []);
    assert.equal(doc.summary.inputs.read, 1);
    assert.deepEqual(doc.summary.inputs.skipped, []);
    assert.deepEqual(stderr.trim().split('\n'), [
      "egress-lens: warning: prod-params.json:4:3: Size uses the stack's previous value (UsePreviousValue), which is not known offline: not applied",
      'egress-lens: warning: prod-params.json:5:21: parameter KeyName is not applied: no CloudFormation template of the inputs declares it',
    ]);
  });

  it('--cfn-param after a file wins; a value the parameter refuses is a warning at the parameter and is not used', () => {
    const { doc, stderr } = run([
      'egress.yaml',
      '--region',
      'eu-west-1',
      '--cfn-parameters',
      'prod-params.json',
      '--cfn-param',
      'WorkloadCidr=10.40.3.0/24',
      '--cfn-param',
      'Tier=db',
      '--cfn-param',
      'Nope=1',
    ]);
    assert.match(doc.findings[0].message, /subnet Workload \(10\.40\.3\.10\)/);
    assert.deepEqual(
      doc.parseDiagnostics.map((d) => [d.code, d.severity, d.loc.startLine]),
      [['unresolved-value', 'warning', 10]],
    );
    assert.match(
      doc.parseDiagnostics[0].message,
      /parameter Tier: the value "db" given by --cfn-param is not one of its AllowedValues \(web, batch\), which CloudFormation refuses/,
    );
    assert.match(
      stderr,
      /egress-lens: warning: --cfn-param Nope: parameter Nope is not applied: no CloudFormation template of the inputs declares it/,
    );
  });

  it('a parameters file that is missing or malformed is an input error (exit 2), located', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-params-'));
    try {
      fs.writeFileSync(path.join(tmp, 'bad.json'), '{"Parameters": {"Tier": "web",}}');
      const bad = cli(['analyze', 'egress.yaml', '--cfn-parameters', path.join(tmp, 'bad.json')], FIX);
      assert.equal(bad.code, 2);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /^egress-lens: --cfn-parameters .*bad\.json:1:31: not valid JSON \(PropertyNameExpected\)\n$/);
      const missing = cli(['analyze', 'egress.yaml', '--cfn-parameters', 'nope.json'], FIX);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--cfn-parameters nope\.json: no such file/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--help lists the options', () => {
    const h = cli(['--help']);
    assert.match(h.stdout, /--cfn-param NAME=VALUE/);
    assert.match(h.stdout, /--cfn-parameters FILE/);
    assert.match(h.stdout, /--region REGION/);
  });
});
