#!/usr/bin/env node
// Extension-host tests in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) installed from npm into
// .vscode-test/ by scripts/code-server-install.sh, its workbench opened by headless Chromium (playwright-core),
// which starts the real extension host with our packaged VSIX and a test-driver VSIX that runs the mocha
// suites in test/integration/suite inside the host. @vscode/test-electron cannot be used: it downloads VS Code
// from update.code.visualstudio.com, which these machines cannot reach.
//
// Exit codes: 0 all passed, 1 a test failed or the host broke. When the host cannot be installed or started
// here it prints a SKIPPED banner with the reason and exits 0, or 1 with EGRESS_LENS_REQUIRE_INTEGRATION=1.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.vscode-test');
const csDir = join(cache, 'code-server');
const run = join(cache, 'run');
const outDir = join(root, 'test-output', 'integration');
const example = process.env.EGRESS_LENS_EXAMPLE ?? 'aws-distributed-egress-asymmetric';
const timeoutMs = Number(process.env.EGRESS_LENS_IT_TIMEOUT ?? 600000);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function skip(reason) {
  const bar = '='.repeat(78);
  console.log(`\n${bar}\nSKIPPED: extension-host integration tests did NOT run.\nReason: ${reason}\n${bar}\n`);
  process.exit(process.env.EGRESS_LENS_REQUIRE_INTEGRATION === '1' ? 1 : 0);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, status: r.status };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The extension host log's activation error for our extension, if any (else the driver would wait forever). */
function activationFailure(userData) {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return undefined;
  for (const session of readdirSync(logs)) {
    const dir = join(logs, session);
    for (const sub of existsSync(dir) ? readdirSync(dir) : []) {
      const f = join(dir, sub, 'remoteexthost.log');
      if (!sub.startsWith('exthost') || !existsSync(f)) continue;
      const text = readFileSync(f, 'utf8');
      const i = text.search(/Activating extension egress-lens\.[\w-]+ failed/);
      if (i >= 0) return text.slice(i, i + 1500);
    }
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 1. The host: install (cached) from npm + Debian.
const install = sh('bash', [join(root, 'scripts', 'code-server-install.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
if (!install.ok)
  skip(`code-server could not be installed into ${csDir} (npm/Debian): ${install.out.trim().split('\n').slice(-8).join('\n')}`);
const entry = join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
if (!existsSync(entry)) skip(`code-server entry point missing after install: ${entry}`);
let chromium;
try {
  chromium = await createRequire(import.meta.url)('./chromium.cjs').chromiumPath();
} catch (e) {
  skip(`no Chromium: ${e.message}`);
}
let playwright;
try {
  playwright = await import('playwright-core');
} catch (e) {
  skip(`playwright-core is not installed (npm ci): ${e.message}`);
}

// 2. What is under test: the packaged extension and the compiled suites.
const compiledDriver = join(root, 'out', 'test', 'integration', 'driver', 'extension.js');
const compiledSuite = join(root, 'out', 'test', 'integration', 'suite');
if (!existsSync(compiledDriver) || process.env.EGRESS_LENS_IT_COMPILE === '1') {
  const tsc = sh(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  if (!tsc.ok) console.log(`tsc reported errors (continuing with what compiled):\n${tsc.out.split('\n').slice(0, 20).join('\n')}`);
}
if (!existsSync(compiledDriver)) {
  console.error(`FAIL: ${compiledDriver} was not compiled`);
  process.exit(1);
}
rmSync(run, { recursive: true, force: true });
mkdirSync(run, { recursive: true });
mkdirSync(outDir, { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const productVsix = join(run, 'egress-lens.vsix');
console.log('packaging the extension (vsce, production build) ...');
// The base URLs only rewrite relative README links/images inside this test package (vsce refuses relative
// images without a repository URL); the code under test is unchanged.
const pack = sh(process.execPath, [
  vsce,
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--skip-license',
  '--baseContentUrl',
  'https://invalid.localhost/',
  '--baseImagesUrl',
  'https://invalid.localhost/',
  '-o',
  productVsix,
]);
if (!pack.ok) {
  console.error(`FAIL: vsce package failed:\n${pack.out}`);
  process.exit(1);
}

// The driver: its own tiny extension holding the compiled suites, packaged per run (its config names the
// results file and the mocha grep of that run).
function packDriver(dir, resultsFile, grep) {
  mkdirSync(join(dir, 'suite'), { recursive: true });
  cpSync(compiledDriver, join(dir, 'extension.js'));
  for (const f of readdirSync(compiledSuite)) if (f.endsWith('.js')) cpSync(join(compiledSuite, f), join(dir, 'suite', f));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ mocha: join(root, 'node_modules', 'mocha'), results: resultsFile, grep }));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'egress-lens-test-driver',
        displayName: 'Egress Lens test driver',
        description: 'Runs the Egress Lens integration suites inside the extension host.',
        version: '0.0.1',
        publisher: 'egress-lens',
        license: 'MIT',
        engines: { vscode: pkg.engines.vscode },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
        extensionDependencies: [`${pkg.publisher}.${pkg.name}`],
        capabilities: { untrustedWorkspaces: { supported: true } },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, 'README.md'), '# Egress Lens test driver\n\nInternal: runs the integration suites.\n');
  const vsix = `${dir}.vsix`;
  const r = sh(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: dir,
  });
  if (!r.ok) throw new Error(`packaging the test driver failed:\n${r.out}`);
  return vsix;
}

const exampleSrc = join(root, 'examples', example);
if (!existsSync(exampleSrc)) {
  console.error(`FAIL: example workspace ${exampleSrc} does not exist`);
  process.exit(1);
}

/**
 * One host session: a fresh extensions dir and user data, a scratch copy of the example (the suites apply
 * quick fixes to it), code-server, headless Chromium on the workbench, then the driver's results.
 * `trusted: false` opens the folder in Restricted Mode (workspace trust on, folder not trusted).
 */
async function runHost(mode) {
  const dir = join(run, mode.name);
  const out = join(outDir, mode.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const resultsFile = join(dir, 'results.json');
  const driverVsix = packDriver(join(dir, 'driver'), resultsFile, mode.grep);
  const workspace = join(dir, 'workspace', example);
  cpSync(exampleSrc, workspace, { recursive: true });
  const exts = join(dir, 'extensions');
  const userData = join(dir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': !mode.trusted,
      'security.workspace.trust.startupPrompt': 'never',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'files.autoSave': 'off',
    }),
  );
  const port = await freePort();
  const config = join(dir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const baseArgs = [
    entry,
    '--config',
    config,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    exts,
    '--disable-telemetry',
    '--disable-update-check',
  ];
  if (mode.trusted) baseArgs.push('--disable-workspace-trust');
  for (const vsix of [productVsix, driverVsix]) {
    const r = sh(process.execPath, [...baseArgs, '--install-extension', vsix], { env: { ...process.env, HOME: dir } });
    if (!r.ok) throw new Error(`code-server --install-extension ${vsix}:\n${r.out}`);
  }

  const serverLog = join(out, 'code-server.log');
  const server = spawn(process.execPath, [...baseArgs, workspace], {
    cwd: dir,
    env: { ...process.env, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const serverOut = [];
  server.stdout.on('data', (d) => serverOut.push(d));
  server.stderr.on('data', (d) => serverOut.push(d));
  let browser;
  const started = Date.now();
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (;;) {
      if (server.exitCode !== null)
        throw new Error(`code-server exited with ${server.exitCode}: ${Buffer.concat(serverOut).toString().slice(-2000)}`);
      try {
        const r = await fetch(`${url}healthz`);
        if (r.ok) break;
      } catch {}
      if (Date.now() - started > 120000) throw new Error('code-server did not answer within 120 s');
      await sleep(300);
    }
    browser = await playwright.chromium.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const browserLog = [];
    page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
    // Generous timeouts: CI machines under load take a while to serve the workbench.
    await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`, { timeout: 180000, waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 180000 });
    console.log(
      `[${mode.name}] workbench open on port ${port} (${((Date.now() - started) / 1000).toFixed(1)} s); running the suites in the extension host ...`,
    );
    const progress = resultsFile.replace(/\.json$/, '.log');
    let shown = 0;
    while (!existsSync(resultsFile)) {
      if (existsSync(progress)) {
        const lines = readFileSync(progress, 'utf8').split('\n').filter(Boolean);
        for (; shown < lines.length; shown++) console.log(`  host: ${lines[shown].replace(/^\S+ /, '')}`);
      }
      const failed = activationFailure(userData);
      if (failed) throw new Error(`the extension failed to activate in the host:\n${failed}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`no results after ${timeoutMs / 1000} s (see ${serverLog} and ${join(out, 'host-logs')})`);
      if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
      await sleep(500);
    }
    // Screenshots of what a user would see: the editor with squiggles, the Problems panel.
    await page.screenshot({ path: join(out, 'workbench.png') });
    try {
      await page.keyboard.press('Control+Shift+M');
      await sleep(1500);
      await page.screenshot({ path: join(out, 'problems.png') });
    } catch {}
    writeFileSync(join(out, 'browser-console.log'), browserLog.join('\n'));
    const res = JSON.parse(readFileSync(resultsFile, 'utf8'));
    writeFileSync(join(out, 'results.json'), JSON.stringify(res, null, 2));
    console.log('');
    for (const t of res.tests) {
      const mark = t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL';
      console.log(`  ${mark} [${mode.name}] ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}`);
      if (t.error) console.log(`       ${t.error.split('\n').slice(0, 6).join('\n       ')}`);
    }
    const passed = res.tests.filter((t) => t.state === 'passed').length;
    const failures = res.tests.length === 0 ? Math.max(res.failures, 1) : res.failures;
    console.log(
      `[${mode.name}] ${passed} passing, ${failures} failing, ${res.tests.length - passed - res.failures} pending; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { passed, failures };
  } finally {
    try {
      await browser?.close();
    } catch {}
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
    writeFileSync(serverLog, Buffer.concat(serverOut));
    try {
      rmSync(join(out, 'host-logs'), { recursive: true, force: true });
      cpSync(join(userData, 'logs'), join(out, 'host-logs'), { recursive: true });
    } catch {}
  }
}

// The full suite with the folder trusted, then the restricted-mode suite with workspace trust on.
const modes = [
  { name: 'trusted', trusted: true, grep: process.env.EGRESS_LENS_IT_GREP },
  { name: 'restricted', trusted: false, grep: 'in an untrusted workspace' },
].filter((m) => !process.env.EGRESS_LENS_IT_MODE || process.env.EGRESS_LENS_IT_MODE === m.name);
let passed = 0;
let failures = 0;
for (const mode of modes) {
  try {
    const r = await runHost(mode);
    passed += r.passed;
    failures += r.failures;
  } catch (e) {
    console.error(`FAIL [${mode.name}]: ${e.message}`);
    failures += 1;
  }
}
console.log(
  `\nextension host (code-server 4.100.3, VS Code 1.100.3): ${passed} passing, ${failures} failing; screenshots and logs in ${outDir}`,
);
process.exit(failures > 0 ? 1 : 0);
