// Field run: the CLI as a user would run it (cwd = the root folder, `analyze . --format json` + the root's args) on every
// root of scripts/field/roots.tsv, and one JSON snapshot of what an engineer judges: exit code, VPC/VNet states and
// reasons, findings, input diagnostics and a one-line signature of each subnet's egress path. Compare two snapshots
// with scripts/field/diff.mjs. Corpus setup: scripts/field/README.md.
//
// usage: node scripts/field/run.mjs --corpus /work/field --cli dist/cli.js --out snap.json
//          [--only SUBSTRING]... [--jobs 2] [--roots scripts/field/roots.tsv] [--timeout 300]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { corpus: undefined, cli: 'dist/cli.js', out: undefined, only: [], jobs: 2, roots: join(here, 'roots.tsv'), timeout: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--corpus') opts.corpus = v();
    else if (a === '--cli') opts.cli = v();
    else if (a === '--out') opts.out = v();
    else if (a === '--only') opts.only.push(v());
    else if (a === '--jobs') opts.jobs = Math.max(1, Number(v()) || 1);
    else if (a === '--roots') opts.roots = v();
    else if (a === '--timeout') opts.timeout = Number(v()) || 300;
    else usage(`unknown argument ${a}`);
  }
  if (!opts.corpus || !opts.out) usage('--corpus and --out are required');
  return opts;
}

function usage(msg) {
  console.error(`run.mjs: ${msg}`);
  console.error('usage: node scripts/field/run.mjs --corpus DIR --cli dist/cli.js --out snap.json [--only SUBSTRING]... [--jobs 2]');
  process.exit(2);
}

/** Roots of the TSV: repo, commit, folder, args, label; '#' lines are comments. */
export function readRoots(file) {
  const roots = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [repo, commit, folder, args = '', label = ''] = line.split('\t');
    const argv = args.trim() ? args.trim().split(/\s+/) : [];
    roots.push({ id: rootId(repo, folder, argv), repo, commit, folder, args: argv, label });
  }
  return roots;
}

export function rootId(repo, folder, argv) {
  return `${repo}:${folder}${argv.length ? ' ' + argv.join(' ') : ''}`;
}

const toPosix = (p) => p.split(sep).join('/');

/** A file of the report (relative to the root folder) as a path relative to the repository. */
function repoPath(file, dir, repoDir) {
  if (!file) return '?';
  const abs = resolve(dir, file);
  const rel = relative(repoDir, abs);
  return toPosix(isAbsolute(rel) ? abs : rel);
}

function traceSignature(t) {
  if (!t) return '-';
  const o = t.outcome ?? {};
  const hops = (t.hops ?? []).map((h) => h.name || h.kind).join(' > ');
  const insp = (t.inspectedBy ?? []).length
    ? ` [inspected: ${t.inspectedBy.map((x) => (typeof x === 'string' ? x : (x.name ?? x.element ?? '?'))).join(', ')}]`
    : '';
  return `${o.kind ?? '?'}${o.cause ? ' ' + o.cause : ''}: ${hops}${insp}`;
}

const byKey = (k) => (a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);

/** The parts of a JSON report that a field judgement looks at. */
export function digest(report, dir, repoDir) {
  const at = (loc) => (loc ? `${repoPath(loc.file, dir, repoDir)}:${loc.startLine}` : '?');
  const txt = (s) => String(s ?? '');
  const states = (report.states ?? [])
    .map((s) => ({ vpc: s.vpc, name: s.name, state: s.state, reason: txt(s.reason) }))
    .sort(byKey((s) => `${s.vpc}\u0000${s.name}`));
  const findings = (report.findings ?? [])
    .map((f) => ({
      code: f.code,
      severity: f.severity,
      at: at(f.location),
      element: f.elementId,
      message: txt(f.message),
      ...(f.fix ? { fix: txt(f.fix.title) } : {}),
    }))
    .sort(byKey((f) => `${f.code}\u0000${f.at}\u0000${f.element}\u0000${f.message}`));
  const diagnostics = {};
  const problems = [];
  for (const d of report.parseDiagnostics ?? []) {
    const k = `${d.code}/${d.severity}`;
    diagnostics[k] = (diagnostics[k] ?? 0) + 1;
    if (d.severity === 'error' || d.severity === 'warning')
      problems.push({ code: d.code, severity: d.severity, at: at(d.loc), message: txt(d.message) });
  }
  problems.sort(byKey((d) => `${d.code}\u0000${d.at}\u0000${d.message}`));
  const paths = {};
  for (const e of report.egress ?? []) {
    let k = `${e.subnet} -> ${e.forward?.destination?.ip ?? '?'}`;
    for (let n = 2; k in paths; n++) k = `${e.subnet} -> ${e.forward?.destination?.ip ?? '?'} #${n}`;
    paths[k] =
      `forward ${traceSignature(e.forward)} | return ${traceSignature(e.return)}${e.divergence ? ` | diverges: ${txt(e.divergence.reason)}` : ''}`;
  }
  return { states, findings, diagnostics: Object.fromEntries(Object.entries(diagnostics).sort()), problems, paths };
}

function runCli(cli, dir, argv, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...argv], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr, timedOut });
    });
  });
}

const countBy = (xs, key) => {
  const m = new Map();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].map(([k, v]) => `${k} x${v}`).join(', ');
};

export function summaryLine(r) {
  if (r.error) {
    const probs = r.problems?.length ? `  (${countBy(r.problems, (d) => `${d.code}/${d.severity}`)})` : '';
    return `exit ${r.exit ?? '-'}  ${r.error}${probs}`;
  }
  const states = countBy(r.states, (s) => s.state) || 'no state';
  const findings = countBy(r.findings, (f) => `${f.code}/${f.severity}`) || 'none';
  const probs = r.problems.length ? `  diagnostics: ${countBy(r.problems, (d) => `${d.code}/${d.severity}`)}` : '';
  return `exit ${r.exit}  states: ${states}  findings: ${findings}${probs}`;
}

function gitHead(dir) {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Whether the analysis sources of the CLI's checkout (src/) differ from its HEAD: the CLI may then not be that commit. */
function gitSrcDirty(dir) {
  const r = spawnSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no', '--', 'src'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().length > 0 : undefined;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const corpus = resolve(opts.corpus);
  const cli = resolve(opts.cli);
  if (!existsSync(cli)) usage(`no CLI at ${cli} (npm run build)`);
  const roots = readRoots(opts.roots).filter((r) => !opts.only.length || opts.only.some((s) => `${r.id} ${r.label}`.includes(s)));
  if (!roots.length) usage('no root matches');
  const cliRepo = dirname(dirname(cli));
  const cliCommit = gitHead(cliRepo);
  const cliSrcDirty = gitSrcDirty(cliRepo);
  const tmp = mkdtempSync(join(tmpdir(), 'egress-lens-field-'));
  const heads = new Map();
  const results = new Array(roots.length);
  let next = 0;
  let finished = 0;
  const t0 = Date.now();

  async function one(i) {
    const root = roots[i];
    const repoDir = join(corpus, root.repo.replace('/', '+'));
    const dir = join(repoDir, root.folder);
    const entry = { id: root.id, repo: root.repo, commit: root.commit, folder: root.folder, args: root.args, label: root.label };
    if (!heads.has(repoDir)) heads.set(repoDir, existsSync(repoDir) ? gitHead(repoDir) : undefined);
    const head = heads.get(repoDir);
    if (head && !head.startsWith(root.commit)) entry.corpusCommit = head;
    if (!existsSync(dir)) {
      Object.assign(entry, { exit: null, error: `no folder ${dir}` });
      return entry;
    }
    const reportFile = join(tmp, `report-${i}.json`);
    const started = Date.now();
    const run = await runCli(cli, dir, ['analyze', '.', '--format', 'json', '--out', reportFile, ...root.args], opts.timeout * 1000);
    entry.exit = run.code;
    entry.ms = Date.now() - started;
    let report;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8'));
    } catch {
      const why = run.timedOut ? `timed out after ${opts.timeout}s` : run.signal ? `killed by ${run.signal}` : 'no report';
      const lines = run.stderr.trim().split('\n');
      entry.error = `${why}: ${(lines[lines.length - 1] ?? '').slice(0, 300)}`;
      // The CLI prints input errors as `egress-lens: FILE:LINE:COL: code: message` when it writes no report.
      entry.problems = lines
        .map((l) => /^egress-lens: (.+?):(\d+):\d+: ([a-z-]+): (.*)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({
          code: m[3],
          severity: 'error',
          at: `${repoPath(m[1], dir, repoDir)}:${m[2]}`,
          message: m[4],
        }));
      return entry;
    }
    rmSync(reportFile, { force: true });
    return Object.assign(entry, digest(report, dir, repoDir));
  }

  async function worker() {
    while (next < roots.length) {
      const i = next++;
      const r = await one(i);
      results[i] = r;
      finished++;
      const secs = r.ms === undefined ? '' : `  ${(r.ms / 1000).toFixed(1)}s`;
      const drift = r.corpusCommit ? `  CORPUS AT ${r.corpusCommit.slice(0, 10)}` : '';
      console.log(`[${String(finished).padStart(3)}/${roots.length}] ${r.id}  ${summaryLine(r)}${secs}${drift}`);
    }
  }

  await Promise.all(Array.from({ length: Math.min(opts.jobs, roots.length) }, worker));
  rmSync(tmp, { recursive: true, force: true });

  const snapshot = {
    format: 'egress-lens-field-snapshot',
    version: 1,
    createdAt: new Date().toISOString(),
    cli,
    // HEAD of the CLI's checkout when the run started (the build in dist/ is the user's to keep in step with it).
    cliCommit,
    cliSrcDirty,
    corpus,
    only: opts.only,
    roots: Object.fromEntries(results.map((r) => [r.id, r])),
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(snapshot, null, 1) + '\n');
  const failed = results.filter((r) => r.error).length;
  const drifted = results.filter((r) => r.corpusCommit).length;
  console.log(
    `${results.length} roots in ${((Date.now() - t0) / 1000).toFixed(0)}s` +
      `${failed ? `, ${failed} without a report` : ''}${drifted ? `, ${drifted} with the corpus at another commit` : ''}: wrote ${opts.out}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
