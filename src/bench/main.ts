// `npm run bench`: parse and analysis time, peak RSS and findings for synthetic estates of
// 10..10,000 VPCs in Terraform and AWS CLI JSON, against JSON.parse of the same JSON bytes measured
// in the same process; incremental re-analysis after one file edit at N = 1,000; the webview bench
// when present. Each (N, format) runs in its own child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../analysis/analyze';
import { createAnalyzer } from '../analysis/incremental';
import { createWorkspace } from '../parse/workspace';
import { cliAccountWithTweak, defectCounts, estateFiles, tfVpc, type EstateFormat } from './generate';

interface Measure {
  n: number;
  /** CPU time (user + system) of this process: what the work costs, whatever else runs on the machine. */
  parseCpuMs: number;
  analysisCpuMs: number;
  jsonParseCpuMs: number;
  incrementalCpuMs?: number;
  format: EstateFormat;
  files: number;
  mb: number;
  elements: number;
  parseMs: number;
  analysisMs: number;
  jsonParseMs: number;
  jsonMb: number;
  ratio: number;
  peakRssMb: number;
  findings: number;
  byCode: Record<string, number>;
  expected: Record<string, number>;
  incrementalMs?: number;
  /** RSS when parsing ends, and the live heap (after a full GC) once the model, then the result, exist. */
  memory?: { rssAfterParseMb: number; heapAfterParseMb: number; heapAfterAnalysisMb: number };
  /** CPU ms of the median incremental run by stage, and traces the analyzer reused / traced again. */
  incrementalParts?: { setFileCpuMs: number; buildCpuMs: number; analysisCpuMs: number; reused: number; traced: number; equal: boolean };
  wasmInitMs: number;
  error?: string;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The baseline the ratio divides by: JSON.parse of the AWS CLI JSON of the estate, best of three per
 * file, summed (wall and CPU ms). Files are generated one at a time and dropped, so the baseline does
 * not raise the child's peak RSS.
 */
function jsonParseMs(n: number): { wall: number; cpu: number; mb: number } {
  let wall = 0;
  let cpu = 0;
  let chars = 0;
  for (const f of estateFiles(n, 'aws-cli')) {
    chars += f.text.length;
    let w = Infinity;
    let c = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const c0 = cpuMs();
      JSON.parse(f.text);
      w = Math.min(w, performance.now() - t0);
      c = Math.min(c, cpuMs() - c0);
    }
    wall += w;
    cpu += c;
  }
  return { wall, cpu, mb: chars / 1048576 };
}

/**
 * Generated texts are built by concatenation; V8 flattens such a string the first time it is read
 * (about 20 ms for a 4 MB file). A file read from disk arrives flat, so flatten outside the timing.
 */
function flat(text: string): void {
  Buffer.byteLength(text, 'utf8');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function child(n: number, format: EstateFormat, incremental: boolean): Promise<Measure> {
  // The baseline is always JSON: the AWS CLI form of the same estate (for Terraform rows too).
  const jsonMs = jsonParseMs(n);
  const jsonMb = jsonMs.mb;
  gc();
  const t0 = performance.now();
  const ws = await createWorkspace({ maxFileBytes: 1 << 30, wasmDir: __dirname });
  const wasmInitMs = performance.now() - t0;
  // Files arrive one at a time and are let go after setFile, as when the CLI reads them from disk;
  // only the time inside setFile and build() counts, not generating the text.
  let parseMs = 0;
  let parseCpuMs = 0;
  let fileCount = 0;
  let chars = 0;
  for (const f of estateFiles(n, format)) {
    fileCount++;
    chars += f.text.length;
    flat(f.text);
    const t = performance.now();
    const c = cpuMs();
    ws.setFile(f.file, f.text);
    parseMs += performance.now() - t;
    parseCpuMs += cpuMs() - c;
  }
  const mb = chars / 1048576;
  const t1 = performance.now();
  const c1 = cpuMs();
  const build = ws.build();
  parseMs += performance.now() - t1;
  parseCpuMs += cpuMs() - c1;
  // Live heap after each stage (untimed, after a full GC): what the model and the result retain.
  const rssAfterParseMb = process.memoryUsage().rss / 1048576;
  gc();
  const heapAfterParseMb = process.memoryUsage().heapUsed / 1048576;
  const t2 = performance.now();
  const c2 = cpuMs();
  const result = analyze(build.model, {}, build.diagnostics);
  const analysisMs = performance.now() - t2;
  const analysisCpuMs = cpuMs() - c2;
  gc();
  const heapAfterAnalysisMb = process.memoryUsage().heapUsed / 1048576;
  const byCode: Record<string, number> = {};
  for (const f of result.findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  const m: Measure = {
    n,
    format,
    files: fileCount,
    mb,
    elements: build.model.elements.length,
    parseMs,
    analysisMs,
    jsonParseMs: jsonMs.wall,
    jsonMb,
    parseCpuMs,
    analysisCpuMs,
    jsonParseCpuMs: jsonMs.cpu,
    ratio: (parseCpuMs + analysisCpuMs) / jsonMs.cpu,
    peakRssMb: 0,
    findings: result.findings.length,
    byCode,
    expected: defectCounts(n),
    wasmInitMs,
    memory: { rssAfterParseMb, heapAfterParseMb, heapAfterAnalysisMb },
  };
  if (incremental) {
    // Edit one file (one extra route in one VPC's app table), then rebuild and re-analyse, as the
    // extension does: the workspace re-parses the edited file, the analyzer reuses unaffected traces.
    // The analyzer first sees the unedited build (not timed: that is the full analysis above).
    const analyzer = createAnalyzer();
    analyzer.analyze(build.model, {}, build.diagnostics);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    const parts: { set: number; build: number; analysis: number }[] = [];
    let equal = false;
    const target = Math.min(n - 1, Math.floor(n / 2));
    for (let k = 1; k <= 3; k++) {
      const edited =
        format === 'terraform'
          ? [{ file: `vpcs/v${String(target).padStart(5, '0')}.tf`, text: tfVpc(target, k) }]
          : cliAccountWithTweak(n, target).filter((f) => f.file.endsWith('route-tables.json'));
      if (format === 'aws-cli' && k % 2 === 0)
        edited[0] = { ...edited[0], text: edited[0].text.replace('192.168.7.0/24', `192.168.${k}.0/24`) };
      for (const f of edited) flat(f.text);
      const t = performance.now();
      const c = cpuMs();
      for (const f of edited) ws.setFile(f.file, f.text);
      const c1 = cpuMs();
      const b = ws.build();
      const c2 = cpuMs();
      const r = analyzer.analyze(b.model, {}, b.diagnostics);
      const c3 = cpuMs();
      times.push(performance.now() - t);
      cpuTimes.push(c3 - c);
      parts.push({ set: c1 - c, build: c2 - c1, analysis: c3 - c2 });
      if (k === 3) {
        // Untimed check: the incremental result must equal a fresh analysis of the same build.
        const fresh = analyze(b.model, {}, b.diagnostics);
        const same =
          JSON.stringify([fresh.findings, fresh.egress, fresh.states, fresh.score]) ===
          JSON.stringify([r.findings, r.egress, r.states, r.score]);
        equal = same;
      }
    }
    m.incrementalMs = median(times);
    m.incrementalCpuMs = median(cpuTimes);
    const mid = parts[cpuTimes.indexOf(m.incrementalCpuMs)];
    m.incrementalParts = {
      setFileCpuMs: mid.set,
      buildCpuMs: mid.build,
      analysisCpuMs: mid.analysis,
      reused: analyzer.stats.reused,
      traced: analyzer.stats.traced,
      equal,
    };
  }
  m.peakRssMb = (process.resourceUsage().maxRSS * 1024) / 1048576;
  return m;
}

function runChild(n: number, format: EstateFormat, incremental: boolean, timeoutMs: number): Measure {
  const args = [
    '--expose-gc',
    '--max-old-space-size=6144',
    __filename,
    '--child',
    String(n),
    format,
    ...(incremental ? ['--incremental'] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { n, format, error: `over the ${timeoutMs / 60_000} min limit (--timeout-min)` } as Measure;
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Measure;
  } catch {
    const why = r.error
      ? r.error.message
      : r.signal
        ? `killed by ${r.signal}`
        : (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ');
    return { n, format, error: why } as Measure;
  }
}

function fmt(x: number | undefined, digits = 0): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

function table(ms: Measure[]): string {
  const head =
    '| N VPCs | format | files | input MB | elements | parse ms CPU (wall) | analysis ms CPU (wall) | JSON.parse ms CPU (MB) | ratio | peak RSS MB | findings | incremental ms CPU (wall) |';
  const rows = ms.map((m) =>
    m.error
      ? `| ${m.n} | ${m.format} | failed: ${m.error.replace(/\|/g, '/')} | | | | | | | | | |`
      : `| ${m.n} | ${m.format} | ${m.files} | ${fmt(m.mb, 1)} | ${m.elements} | ${fmt(m.parseCpuMs)} (${fmt(m.parseMs)}) | ${fmt(m.analysisCpuMs)} (${fmt(m.analysisMs)}) | ${fmt(m.jsonParseCpuMs)} (${fmt(m.jsonMb, 1)}) | ${fmt(m.ratio, 2)} | ${fmt(m.peakRssMb)} | ${m.findings} | ${m.incrementalMs === undefined ? '-' : `${fmt(m.incrementalCpuMs)} (${fmt(m.incrementalMs)})`} |`,
  );
  return [head, '|' + '---|'.repeat(12), ...rows].join('\n');
}

function findingsDetail(ms: Measure[]): string {
  return ms
    .filter((m) => !m.error)
    .map((m) => {
      const codes =
        Object.entries(m.byCode)
          .sort()
          .map(([c, k]) => `${c} ${k}`)
          .join(', ') || 'none';
      const e = m.expected;
      return `- N=${m.n} ${m.format}: ${codes}. Planted: ${e['no-edge-table']} VPCs without IGW edge table, ${e['cross-az-return']} with a cross-AZ return route, ${e['direct-igw']} with an app subnet routed straight to the IGW.`;
    })
    .join('\n');
}

function memoryDetail(ms: Measure[]): string {
  return ms
    .filter((m) => !m.error && m.memory)
    .map(
      (m) =>
        `- N=${m.n} ${m.format}: RSS when parsing ends ${fmt(m.memory!.rssAfterParseMb)} MB; live heap with the model ${fmt(m.memory!.heapAfterParseMb)} MB, with the model and the result ${fmt(m.memory!.heapAfterAnalysisMb)} MB; peak RSS ${fmt(m.peakRssMb)} MB.`,
    )
    .join('\n');
}

function webviewBench(root: string): string | undefined {
  const script = ['scripts/bench-webview.mjs', 'scripts/bench-webview.js', 'scripts/bench-webview.cjs']
    .map((s) => path.join(root, s))
    .find((p) => fs.existsSync(p));
  if (!script) return undefined;
  const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 10 * 60_000 });
  const out = (r.stdout ?? '').trim();
  return r.status === 0
    ? out
    : `${out}\n(webview bench exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')})`;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 1073741824).toFixed(1)} GB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

function verdicts(ms: Measure[]): string[] {
  const out: string[] = [];
  const big = ms.filter((m) => m.n === 10000 && !m.error);
  for (const m of big) {
    out.push(
      `- N=10,000 ${m.format}: ratio ${fmt(m.ratio, 2)} (target <= 4): ${m.ratio <= 4 ? 'met' : 'NOT met'}; peak RSS ${fmt(m.peakRssMb)} MB (target < 1,536): ${m.peakRssMb < 1536 ? 'met' : 'NOT met'}.`,
    );
  }
  for (const m of ms.filter((x) => x.incrementalMs !== undefined)) {
    const p = m.incrementalParts;
    const split = p
      ? ` (re-parse of the edited file ${fmt(p.setFileCpuMs)}, build ${fmt(p.buildCpuMs)}, analysis ${fmt(p.analysisCpuMs)} with ${p.reused} traces reused and ${p.traced} traced again; result ${p.equal ? 'equals' : 'DIFFERS FROM'} a fresh analysis)`
      : '';
    out.push(
      `- Incremental at N=${m.n} ${m.format}: ${fmt(m.incrementalCpuMs)} ms CPU${split} (target < 200): ${m.incrementalCpuMs! < 200 && (!p || p.equal) ? 'met' : 'NOT met'}.`,
    );
  }
  return out;
}

async function parent(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (arg('--sizes') ?? '10,100,1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const formats = (arg('--formats') ?? 'aws-cli,terraform').split(',') as EstateFormat[];
  const timeoutMs = Number(arg('--timeout-min') ?? '15') * 60_000;
  const root = path.join(__dirname, '..');
  const results: Measure[] = [];
  const failed = new Set<EstateFormat>();
  const loadBefore = load();
  process.stdout.write(`Egress Lens benchmark on ${machine()}; load average ${loadBefore}\n`);
  for (const n of sizes) {
    for (const format of formats) {
      process.stdout.write(`  N=${n} ${format} ...`);
      if (failed.has(format)) {
        // A bigger estate of a format that already failed would only fail slower.
        results.push({ n, format, error: 'skipped: a smaller N of this format failed' } as Measure);
        process.stdout.write(' skipped\n');
        continue;
      }
      const m = runChild(n, format, n === 1000, timeoutMs);
      if (m.error) failed.add(format);
      results.push(m);
      process.stdout.write(
        m.error
          ? ` failed: ${m.error}\n`
          : ` parse ${fmt(m.parseCpuMs)} ms CPU, analysis ${fmt(m.analysisCpuMs)} ms CPU, ratio ${fmt(m.ratio, 2)}, RSS ${fmt(m.peakRssMb)} MB\n`,
      );
    }
  }
  const wv = argv.includes('--no-webview') ? undefined : webviewBench(root);
  const t = table(results);
  process.stdout.write(`\n${t}\n\n${verdicts(results).join('\n')}\n${wv ? `\nWebview:\n${wv}\n` : ''}`);
  if (argv.includes('--no-write')) return;
  const doc = `# Benchmarks

Produced by \`npm run bench\` (\`src/bench/\`); numbers from the last run, ${new Date().toISOString().slice(0, 10)}.

**Machine:** ${machine()}. Load average (1/5/15 min) at the start: ${loadBefore}; at the end: ${load()}.
With other work on the machine, wall times stretch; CPU times (user + system of the measuring
process) do not, so the ratio and the targets are judged on CPU time.

## Method

- Synthetic estates from \`src/bench/generate.ts\`: N workload VPCs in the distributed egress design,
  2 or 3 AZs each with an app, a NAT and an endpoint subnet, a NAT GW and a GWLB endpoint per AZ, an IGW
  with an edge route table; every subnet route table has 20 routes (default route plus 18 corporate
  prefixes via a transit gateway, plus \`local\`). About one VPC in eight is broken on purpose (no edge
  table, a cross-AZ return route, or an app subnet routed straight to the IGW).
- **aws-cli**: \`aws ec2 describe-*\` JSON, one file set per account of 100 VPCs, pretty-printed as the CLI prints.
  **terraform**: one \`.tf\` file per VPC plus the inspection VPC's file, all in one directory (one module).
- Each (N, format) runs in a fresh child process. **parse ms**: all files into the Workspace and \`build()\`
  (merge, cross-file references), after the one-off tree-sitter WASM load. **analysis ms**: \`analyze()\`
  (every subnet traced forward and back, all rules, states, score). **peak RSS**: the child's max RSS.
  Files are generated one at a time (an account's file set for aws-cli) and handed to \`setFile\`,
  then let go, as when the CLI reads them from disk; only the time inside \`setFile\` and \`build()\`
  counts. The workspace does not keep texts over 1M characters. A full GC runs (untimed) after parsing
  and after analysis to measure the live heap; it also keeps the parse's garbage out of the analysis
  phase, which lowers the peak a little (at N=10,000 aws-cli: 1,411 MB with it, 1,638 MB without it
  in an earlier run of the same code).
- **ratio** = (parse + analysis CPU time) / JSON.parse CPU time, where JSON.parse is the best of three runs per file,
  summed over the AWS CLI JSON of the same estate in the same process (for Terraform rows too, so both rows divide by the
  same bytes).
- **incremental ms** (N = 1,000): one file edited (one route added to one VPC's app table: for aws-cli
  the account's whole \`describe-route-tables.json\` of 100 VPCs, for terraform the VPC's \`.tf\`), then
  \`setFile\` + \`build()\` + the incremental analyzer (\`createAnalyzer()\`, as the extension uses it,
  primed with the unedited build); median of three edits. The last edit's result is compared, untimed,
  with a fresh \`analyze()\` of the same build.

## Results

${t}

${verdicts(results).join('\n')}

Memory:

${memoryDetail(results)}

Findings by rule:

${findingsDetail(results)}
${wv ? `\n## Webview (layout + first paint, headless Chromium)\n\n\`\`\`\n${wv}\n\`\`\`\n` : ''}
`;
  fs.writeFileSync(path.join(root, 'docs', 'benchmarks.md'), doc);
  process.stdout.write('\nwrote docs/benchmarks.md\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const m = await child(Number(argv[1]), argv[2] as EstateFormat, argv.includes('--incremental'));
    process.stdout.write(JSON.stringify(m) + '\n');
    return;
  }
  await parent(argv);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
