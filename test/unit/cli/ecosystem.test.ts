// Where engineers run the CLI: the npm tarball from an empty folder, the GitHub Action's script, the
// pre-commit hook as pre-commit installs it, the VS Code problem matcher over the text report, and the
// read-only collection scripts against fake `aws`/`az` CLIs that print recorded exports.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

interface Report {
  findings: { code: string; severity: string; location: { file: string; startLine: number; startColumn: number } }[];
}

const EXAMPLE = 'examples/aws-distributed-egress-asymmetric';

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The findings of a report as comparable lines (file relative to the analysed folder). */
function findingLines(json: string, base: string): string[] {
  return (JSON.parse(json) as Report).findings
    .map(
      (f) =>
        `${path.relative(base, f.location.file) || f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.severity} ${f.code}`,
    )
    .sort();
}

describe('cli: where engineers run it', function () {
  this.timeout(300_000);
  let scratch: string;
  let tarball: string;
  let installedCli: string;

  before(() => {
    ensureBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-eco-'));
    const packed = run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT });
    assert.equal(packed.code, 0, packed.stderr);
    tarball = path.join(scratch, packed.stdout.trim().split('\n').pop()!);
    // As `npx ./egress-lens-<v>.tgz` and pre-commit's node install do: the tarball into an empty prefix.
    const prefix = path.join(scratch, 'empty');
    fs.mkdirSync(prefix);
    const inst = run('npm', ['install', '--no-audit', '--no-fund', '--offline', '--prefix', prefix, tarball], { cwd: prefix });
    assert.equal(inst.code, 0, inst.stderr);
    installedCli = path.join(prefix, 'node_modules', '.bin', 'egress-lens');
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('npm pack ships the bundled CLI, its wasm and the report assets, and no sources or dependencies', () => {
    const list = run('tar', ['-tzf', tarball], { cwd: scratch }).stdout.split('\n').filter(Boolean);
    for (const f of [
      'package/dist/cli.js',
      'package/dist/web-tree-sitter.wasm',
      'package/dist/tree-sitter-terraform.wasm',
      'package/dist/webview.js',
      'package/media/topology.css',
      'package/package.json',
    ])
      assert.ok(list.includes(f), `${f} is in the tarball`);
    assert.deepEqual(
      list.filter((f) => /^package\/(src|test|webview|node_modules|scripts)\//.test(f)),
      [],
      'no sources, tests or node_modules',
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      private?: boolean;
      bin: Record<string, string>;
      dependencies?: object;
    };
    assert.equal(pkg.private, undefined, 'publishable');
    assert.equal(pkg.bin['egress-lens'], './dist/cli.js');
    assert.equal(pkg.dependencies, undefined, 'the bundles are self-contained: nothing to install at run time');
  });

  it('the installed tarball analyses an example from an empty folder exactly as the built CLI does', () => {
    const work = path.join(scratch, 'work');
    fs.cpSync(path.join(ROOT, EXAMPLE), work, { recursive: true });
    const packed = run(installedCli, ['analyze', '.', '--format', 'json'], { cwd: work });
    const direct = cli(['analyze', '.', '--format', 'json'], work);
    assert.equal(packed.code, 1, packed.stderr);
    assert.deepEqual(findingLines(packed.stdout, work), findingLines(direct.stdout, work));
    assert.ok(findingLines(packed.stdout, work).length >= 3);
  });

  it('the GitHub Action script writes SARIF, prints the report and fails on errors', () => {
    const work = path.join(scratch, 'action');
    fs.cpSync(path.join(ROOT, EXAMPLE), path.join(work, 'infra'), { recursive: true });
    const outputs = path.join(scratch, 'github-output');
    fs.writeFileSync(outputs, '');
    const env = {
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: outputs,
      RUNNER_TEMP: scratch,
      EGRESS_LENS_PATH: 'infra',
      EGRESS_LENS_FAIL_ON: 'error',
      EGRESS_LENS_FORMAT: 'text',
      EGRESS_LENS_SARIF: 'egress.sarif',
    };
    const r = run('bash', [path.join(ROOT, 'scripts', 'action.sh')], { cwd: work, env });
    assert.equal(r.code, 1, `exit 1 on error findings\n${r.stderr}`);
    assert.match(r.stdout, /asymmetric-return-bypass/);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'egress.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((x) => x.ruleId === 'asymmetric-cross-az'));
    assert.match(fs.readFileSync(outputs, 'utf8'), /^sarif-file=egress\.sarif$/m);
    const quiet = run('bash', [path.join(ROOT, 'scripts', 'action.sh')], {
      cwd: work,
      env: { ...env, EGRESS_LENS_FAIL_ON: 'never', EGRESS_LENS_SARIF: '' },
    });
    assert.equal(quiet.code, 0, quiet.stderr);
    // action.yml hands every input to the script.
    const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: { run: string; env: Record<string, string> }[] };
    };
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs).sort(), ['fail-on', 'format', 'path', 'sarif-file']);
    for (const k of Object.keys(action.inputs))
      assert.ok(Object.values(action.runs.steps[0].env).includes(`\${{ inputs.${k} }}`), `input ${k} reaches the script`);
  });

  it('the pre-commit hook runs as pre-commit installs a node hook, on the files it declares', () => {
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
      id: string;
      entry: string;
      language: string;
      files: string;
      pass_filenames: boolean;
    }[];
    const hook = hooks.find((h) => h.id === 'egress-lens')!;
    assert.equal(hook.language, 'node');
    const files = new RegExp(hook.files);
    for (const f of ['main.tf', 'prod.tfvars', 'describe-route-tables.json', 'stack.yaml', 'stack.yml']) assert.ok(files.test(f), f);
    for (const f of ['README.md', 'main.py']) assert.ok(!files.test(f), f);
    const [bin, ...args] = hook.entry.split(' ');
    assert.equal(bin, 'egress-lens');
    const work = path.join(scratch, 'hook');
    fs.cpSync(path.join(ROOT, EXAMPLE), work, { recursive: true });
    const r = run(installedCli, args, { cwd: work });
    assert.equal(r.code, 1, 'the commit is refused on error findings');
    assert.match(r.stdout, /asymmetric-return-bypass/);
    const ok = path.join(scratch, 'hook-ok');
    fs.cpSync(path.join(ROOT, 'examples/aws-distributed-egress-ok'), ok, { recursive: true });
    assert.equal(run(installedCli, args, { cwd: ok }).code, 0, 'and let through when clean');
  });

  it('the contributed problem matcher reads every finding of the text report at its file, line and column', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        problemMatchers: {
          name: string;
          fileLocation: string[];
          pattern: {
            regexp: string;
            file?: number;
            line?: number;
            column?: number;
            severity?: number;
            code?: number;
            message?: number;
            loop?: boolean;
          }[];
        }[];
      };
    };
    const pm = pkg.contributes.problemMatchers.find((m) => m.name === 'egress-lens')!;
    assert.deepEqual(pm.fileLocation, ['relative', '${workspaceFolder}']);
    const [filePat, itemPat] = pm.pattern.map((p) => ({ ...p, re: new RegExp(p.regexp) }));
    assert.ok(itemPat.loop);
    // VS Code's multi-line matching: a file line, then every following line the looping pattern matches.
    const text = cli(['analyze', EXAMPLE]).stdout.split('\n');
    const problems: string[] = [];
    for (let i = 0; i < text.length; i++) {
      const f = filePat.re.exec(text[i]);
      if (!f) continue;
      for (let j = i + 1; j < text.length; j++) {
        const m = itemPat.re.exec(text[j]);
        if (!m) {
          if (/^\s+(related|fix:)/.test(text[j])) continue; // detail lines of the previous finding
          break;
        }
        problems.push(`${f[filePat.file!]}:${m[itemPat.line!]}:${m[itemPat.column!]} ${m[itemPat.severity!]} ${m[itemPat.code!]}`);
        assert.ok(m[itemPat.message!].length > 20);
      }
    }
    assert.deepEqual(problems.sort(), findingLines(cli(['analyze', EXAMPLE, '--format', 'json']).stdout, ROOT));
  });

  describe('read-only collection scripts', () => {
    /** A fake CLI on PATH: logs its arguments, prints the recorded output for the call or an empty list. */
    function fakeCli(name: string, dir: string, outputs: Record<string, string>, empty: (op: string) => string): string {
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin, { recursive: true });
      const script = `#!/usr/bin/env node
const fs = require('fs');
fs.appendFileSync(${JSON.stringify(path.join(dir, `${name}.log`))}, process.argv.slice(2).join(' ') + '\\n');
const outputs = ${JSON.stringify(outputs)};
const key = process.argv.slice(2, 4).join(' ');
if (outputs[key]) process.stdout.write(fs.readFileSync(outputs[key], 'utf8'));
else process.stdout.write((${empty.toString()})(key));
`;
      fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 });
      return bin;
    }

    it('collect-aws.sh runs only describe/list calls and writes exports the CLI reads as the example', () => {
      const dir = fs.mkdtempSync(path.join(scratch, 'aws-'));
      const ex = path.join(ROOT, 'examples/aws-cli-export');
      const outputs: Record<string, string> = {};
      for (const f of fs.readdirSync(ex).filter((n) => n.endsWith('.json'))) outputs[`ec2 ${f.replace(/\.json$/, '')}`] = path.join(ex, f);
      // Calls with no recorded output answer as an account without such resources does.
      const bin = fakeCli('aws', dir, outputs, (key: string) => {
        const op = key.split(' ')[1];
        const noun = op.replace(/^(describe|list)-/, '').replace(/(^|-)([a-z])/g, (_m: string, _d: string, c: string) => c.toUpperCase());
        return JSON.stringify({ [noun]: [] });
      });
      const out = path.join(dir, 'export');
      const r = run('bash', [path.join(ROOT, 'scripts', 'collect-aws.sh'), '--out', out, '--region', 'us-east-1'], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
      assert.equal(r.code, 0, r.stderr);
      const calls = fs.readFileSync(path.join(dir, 'aws.log'), 'utf8').trim().split('\n');
      assert.ok(calls.length >= 17, `${calls.length} calls`);
      for (const c of calls) {
        assert.match(c, /^(ec2 describe-|network-firewall (describe|list)-)/, `read-only call: ${c}`);
        assert.match(c, /--region us-east-1 --output json$/);
      }
      for (const f of fs.readdirSync(ex).filter((n) => n.endsWith('.json'))) assert.ok(fs.existsSync(path.join(out, f)), `${f} written`);
      const fromExport = cli(['analyze', out, '--format', 'json']);
      const fromExample = cli(['analyze', ex, '--format', 'json']);
      assert.equal(fromExport.code, 1, fromExport.stderr);
      assert.deepEqual(
        findingLines(fromExport.stdout, out).map((l) => l.replace(/^[^:]*:/, '')),
        findingLines(fromExample.stdout, ex).map((l) => l.replace(/^[^:]*:/, '')),
      );
    });

    it('collect-azure.sh runs only `az network ... list` and writes exports the CLI reads as the example', () => {
      const dir = fs.mkdtempSync(path.join(scratch, 'az-'));
      const ex = path.join(ROOT, 'examples/azure-cli-export');
      const outputs = {
        'network vnet': path.join(ex, 'vnet-list.json'),
        'network route-table': path.join(ex, 'route-table-list.json'),
        'network nic': path.join(ex, 'nic-list.json'),
      };
      const bin = fakeCli('az', dir, outputs, () => '[]');
      const out = path.join(dir, 'export');
      const r = run('bash', [path.join(ROOT, 'scripts', 'collect-azure.sh'), '--out', out, '--subscription', 'sub-1'], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
      assert.equal(r.code, 0, r.stderr);
      const calls = fs.readFileSync(path.join(dir, 'az.log'), 'utf8').trim().split('\n');
      assert.equal(calls.length, 6);
      for (const c of calls) assert.match(c, /^network .*\blist --subscription sub-1 --output json$/, c);
      const fromExport = JSON.parse(cli(['analyze', out, '--format', 'json']).stdout) as { states: { name: string; state: string }[] };
      const fromExample = JSON.parse(cli(['analyze', ex, '--format', 'json']).stdout) as { states: { name: string; state: string }[] };
      assert.ok(fromExample.states.length > 0);
      assert.deepEqual(
        fromExport.states.map((s) => `${s.name} ${s.state}`).sort(),
        fromExample.states.map((s) => `${s.name} ${s.state}`).sort(),
      );
    });
  });

  it('the webview toolkit is its last release and only webview/controls.ts imports it', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const toolkit = require(path.join(ROOT, 'node_modules/@vscode/webview-ui-toolkit/package.json')) as { version: string };
    assert.equal(toolkit.version, '1.4.0', 'the archived toolkit: 1.4.0 is its last release');
    const importers = fs
      .readdirSync(path.join(ROOT, 'webview'))
      .filter((f) => f.endsWith('.ts') && fs.readFileSync(path.join(ROOT, 'webview', f), 'utf8').includes('@vscode/webview-ui-toolkit'));
    assert.deepEqual(importers, ['controls.ts']);
  });
});
