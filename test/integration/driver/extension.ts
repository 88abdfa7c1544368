// Test driver extension for the real extension host (code-server): runs the mocha suites in ./suite inside
// the host, as @vscode/test-electron's extensionTestsPath would, and writes the results to a JSON file the
// harness (scripts/code-server-test.mjs) waits for. Packaged into its own VSIX by the harness together with
// the compiled suites and a config.json naming mocha and the results file.
import * as fs from 'fs';
import * as path from 'path';

interface DriverConfig {
  mocha: string;
  results: string;
  grep?: string;
}

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export function activate(): void {
  const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as DriverConfig;
  const records: TestRecord[] = [];
  const progress = cfg.results.replace(/\.json$/, '.log');
  const log = (s: string) => fs.appendFileSync(progress, `${new Date().toISOString()} ${s}\n`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Mocha = require(cfg.mocha) as typeof import('mocha');
    const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false, grep: cfg.grep });
    const suiteDir = path.join(__dirname, 'suite');
    for (const f of fs
      .readdirSync(suiteDir)
      .filter((f) => f.endsWith('.test.js'))
      .sort())
      mocha.addFile(path.join(suiteDir, f));
    log('mocha starting');
    const runner = mocha.run((failures) => {
      fs.writeFileSync(cfg.results, JSON.stringify({ failures, tests: records }, null, 2));
      log(`mocha done, ${failures} failures`);
    });
    runner.on('pass', (t) => {
      records.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
      log(`pass ${t.fullTitle()}`);
    });
    runner.on('fail', (t, err: Error) => {
      records.push({ title: t.fullTitle(), state: 'failed', error: `${err?.stack ?? err}` });
      log(`FAIL ${t.fullTitle()}: ${err?.message ?? err}`);
    });
    runner.on('pending', (t) => records.push({ title: t.fullTitle(), state: 'pending' }));
  } catch (e) {
    fs.writeFileSync(
      cfg.results,
      JSON.stringify({ failures: 1, tests: [{ title: 'driver', state: 'failed', error: `${(e as Error)?.stack ?? e}` }] }, null, 2),
    );
  }
}

export function deactivate(): void {}
