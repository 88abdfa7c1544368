import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_CODES } from '../../../src/analysis/rules';
import { reportSchemaErrors, ROOT, sarifErrors } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const ASYM = 'examples/aws-distributed-egress-asymmetric';
const OK = 'examples/aws-distributed-egress-ok';
const examples = fs
  .readdirSync(path.join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `examples/${d.name}`);

function noStackTrace(stderr: string): void {
  assert.equal(/\n\s+at .+:\d+:\d+/.test(stderr), false, `stack trace in stderr:\n${stderr}`);
}

describe('cli: analyze', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('reports the asymmetric example as JSON valid against the schema, exit 1 on errors', () => {
    const r = cli(['analyze', ASYM, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(reportSchemaErrors(doc), []);
    const codes = doc.findings.map((f: { code: string }) => f.code);
    for (const c of ['asymmetric-return-bypass', 'asymmetric-cross-az', 'uninspected-egress'])
      assert.ok(codes.includes(c), `missing ${c} in ${codes}`);
    for (const f of doc.findings) {
      assert.ok(f.location.file.startsWith(`${ASYM}/`), `path not relative to cwd: ${f.location.file}`);
      assert.ok(f.location.startLine >= 1 && f.location.startColumn >= 1);
      // The 1-based line must point at text that exists in the file.
      const lines = fs.readFileSync(path.join(ROOT, f.location.file), 'utf8').split('\n');
      assert.ok(f.location.startLine <= lines.length, `${f.location.file}:${f.location.startLine} beyond EOF`);
    }
  });

  it('paths are relative to the working directory', () => {
    const r = cli(['analyze', 'aws-distributed-egress-asymmetric', '--format', 'json', '--fail-on', 'never'], path.join(ROOT, 'examples'));
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.findings.length > 0);
    for (const f of doc.findings) assert.ok(f.location.file.startsWith('aws-distributed-egress-asymmetric/'), f.location.file);
  });

  it('--fail-on decides the exit code', () => {
    assert.equal(cli(['analyze', ASYM, '--fail-on', 'never']).code, 0);
    assert.equal(cli(['analyze', ASYM, '--fail-on', 'warning']).code, 1);
    const ok = cli(['analyze', OK, '--format', 'json']);
    assert.equal(ok.code, 0, `the ok example must be clean at --fail-on error:\n${ok.stdout.slice(0, 2000)}`);
  });

  it('--rule turns a rule off or changes its severity', () => {
    const off = JSON.parse(cli(['analyze', ASYM, '--format', 'json', '--rule', 'asymmetric-return-bypass=off']).stdout);
    assert.equal(
      off.findings.some((f: { code: string }) => f.code === 'asymmetric-return-bypass'),
      false,
    );
    const r = cli(['analyze', ASYM, '--format', 'json', '--rule', 'asymmetric-return-bypass=info', '--rule', 'asymmetric-cross-az=info']);
    const doc = JSON.parse(r.stdout);
    const sev = doc.findings.filter((f: { code: string }) => f.code.startsWith('asymmetric-')).map((f: { severity: string }) => f.severity);
    assert.ok(sev.length >= 2);
    assert.ok(
      sev.every((s: string) => s === 'info'),
      String(sev),
    );
    assert.equal(r.code, 0, 'no error left, so exit 0 at --fail-on error');
  });

  it('writes SARIF 2.1.0 valid against the official schema for every example', () => {
    for (const ex of examples) {
      const r = cli(['analyze', ex, '--format', 'sarif', '--fail-on', 'never']);
      assert.equal(r.code, 0, `${ex}: ${r.stderr}`);
      const log = JSON.parse(r.stdout);
      assert.deepEqual(sarifErrors(log), [], ex);
      const run = log.runs[0];
      assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id).sort(), [...RULE_CODES].sort());
      for (const res of run.results) {
        assert.equal(res.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
        assert.ok(fs.existsSync(path.join(ROOT, decodeURI(res.locations[0].physicalLocation.artifactLocation.uri))));
      }
    }
  });

  it('text report names file:line and the score', () => {
    const r = cli(['analyze', ASYM]);
    assert.match(r.stdout, new RegExp(`^${ASYM}/\\S+\\.tf$`, 'm'));
    assert.match(r.stdout, /^\s+\d+:\d+\s+error\s+asymmetric-return-bypass/m);
    assert.match(r.stdout, /Egress Security Score: /);
    assert.match(r.stdout, /Summary: \d+ errors?, /);
  });

  it('--out writes the file and keeps stdout empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-cli-'));
    const out = path.join(dir, 'sub', 'report.sarif');
    const r = cli(['analyze', ASYM, '--format', 'sarif', '--out', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(sarifErrors(JSON.parse(fs.readFileSync(out, 'utf8'))), []);
  });

  it('--simulate replays the reference test flows', () => {
    const r = cli([
      'analyze',
      'examples/aviatrix-dcf',
      '--format',
      'json',
      '--fail-on',
      'never',
      '--simulate',
      'src=10.10.1.10 dst=8.8.8.8 proto=icmp',
      '--simulate',
      'curl http://ipinfo.io',
    ]);
    assert.equal(r.code, 2, 'curl without src= is a usage error');
    assert.match(r.stderr, /--simulate "curl http:\/\/ipinfo.io": missing src=/);
    const ok = cli([
      'analyze',
      'examples/aviatrix-dcf',
      '--format',
      'json',
      '--fail-on',
      'never',
      '--simulate',
      'src=10.10.1.10 dst=8.8.8.8 proto=icmp',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const doc = JSON.parse(ok.stdout);
    assert.equal(doc.simulations.length, 1);
    assert.equal(doc.simulations[0].flow.destination, '8.8.8.8');
    assert.deepEqual(reportSchemaErrors(doc), []);
  });
});

describe('cli: usage and input errors exit 2 with a clear message', function () {
  this.timeout(60_000);
  before(ensureBuilt);

  const cases: [string, string[], RegExp][] = [
    ['no command', ['frobnicate'], /unknown command "frobnicate"/],
    ['no path', ['analyze'], /analyze needs at least one file or folder/],
    ['bad format', ['analyze', OK, '--format', 'xml'], /--format must be one of text, json, sarif, html \(got "xml"\)/],
    ['bad fail-on', ['analyze', OK, '--fail-on', 'sometimes'], /--fail-on must be one of/],
    ['unknown rule', ['analyze', OK, '--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"/],
    ['bad rule severity', ['analyze', OK, '--rule', 'routing-loop=fatal'], /severity must be one of error, warning, info, off/],
    ['unknown option', ['analyze', OK, '--colour'], /unknown option --colour/],
    ['missing value', ['analyze', OK, '--out'], /--out needs a value/],
    ['missing path', ['analyze', 'does/not/exist.tf'], /no such file or folder: does\/not\/exist\.tf/],
    ['bad flow', ['analyze', OK, '--simulate', 'src=10.0.0.1 dst=8.8.8.8 proto=gre'], /proto must be tcp, udp or icmp/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = cli(args);
      assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /^egress-lens: /);
      assert.equal(r.stdout, '');
      noStackTrace(r.stderr);
    });
  }

  it('an unreadable file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-cli-'));
    // A symlink loop cannot be read even by root (a chmod 000 file can).
    fs.symlinkSync(path.join(dir, 'loop.tf'), path.join(dir, 'loop.tf'));
    const r = cli(['analyze', path.join(dir, 'loop.tf')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot access .*loop\.tf: ELOOP/);
    noStackTrace(r.stderr);
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.tf');
      fs.writeFileSync(locked, 'resource "aws_vpc" "x" {}\n');
      fs.chmodSync(locked, 0);
      const r2 = cli(['analyze', locked]);
      assert.equal(r2.code, 2);
      assert.match(r2.stderr, /cannot read .*locked\.tf: EACCES/);
    }
  });

  it('a folder without input files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-cli-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'nothing here');
    const r = cli(['analyze', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no input files/);
  });

  it('an unwritable --out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-cli-'));
    fs.writeFileSync(path.join(dir, 'file'), '');
    const r = cli(['analyze', OK, '--out', path.join(dir, 'file', 'report.txt')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write .*report\.txt: (ENOTDIR|EEXIST)/);
    noStackTrace(r.stderr);
  });

  it('a syntax error in an input is reported, not thrown (exit 2; located errors under --allow-partial)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-cli-'));
    fs.writeFileSync(path.join(dir, 'broken.tf'), 'resource "aws_vpc" "x" {{{ ]]\n');
    fs.writeFileSync(path.join(dir, 'describe-route-tables.json'), '{\n  "RouteTables": [\n    { "RouteTableId": "rtb-1",\n');
    const strict = cli(['analyze', dir]);
    assert.equal(strict.code, 2, strict.stderr);
    assert.match(strict.stderr, /^egress-lens: .*broken\.tf:1:\d+: syntax-error: /m);
    assert.match(strict.stderr, /^egress-lens: .*describe-route-tables\.json:\d+:\d+: syntax-error: /m);
    assert.equal(strict.stdout, '');
    const r = cli(['analyze', dir, '--format', 'json', '--fail-on', 'never', '--allow-partial']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    for (const file of ['broken.tf', 'describe-route-tables.json']) {
      const d = doc.parseDiagnostics.find(
        (x: { severity: string; loc: { file: string } }) => x.severity === 'error' && x.loc.file.endsWith(file),
      );
      assert.ok(d, `no error diagnostic for ${file}: ${JSON.stringify(doc.parseDiagnostics)}`);
      assert.ok(d.loc.startLine >= 1);
    }
    assert.equal(cli(['analyze', dir, '--allow-partial']).code, 1, 'an input error in a file fails at --fail-on error');
  });

  it('says which named files it skipped, and why', () => {
    const r = cli(['analyze', 'package.json', OK]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^egress-lens: package\.json: skipped, not a recognised network-as-code format$/m);
  });

  it('--help and --version exit 0', () => {
    const h = cli(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage:/);
    const v = cli(['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('cli: demo', function () {
  this.timeout(180_000);
  before(ensureBuilt);

  it('analyses every example, prints the text reports, writes HTML, exits 0', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-demo-'));
    const r = cli(['demo', '--out-dir', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const ex of examples) {
      const name = path.basename(ex);
      assert.match(r.stdout, new RegExp(`^Egress Lens: ${name} `, 'm'));
      const html = fs.readFileSync(path.join(out, `${name}.html`), 'utf8');
      assert.match(html, /<table id="findings">/);
      assert.deepEqual(sarifErrors(JSON.parse(fs.readFileSync(path.join(out, `${name}.sarif`), 'utf8'))), [], `${name}.sarif`);
      assert.deepEqual(reportSchemaErrors(JSON.parse(fs.readFileSync(path.join(out, `${name}.json`), 'utf8'))), [], `${name}.json`);
    }
  });
});
