// Field diff: what changed between two snapshots of scripts/field/run.mjs, root by root, one line per change to judge
// (exit code, VPC/VNet state, finding added/removed/changed, warning/error diagnostic, then the quieter ones: a state's
// reason, info-diagnostic counts, a subnet's egress path). Prints "identical" when nothing changed.
//
// usage: node scripts/field/diff.mjs a.json b.json [--full] [--no-paths] [--no-reasons]
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const files = argv.filter((a) => !a.startsWith('--'));
const flags = new Set(argv.filter((a) => a.startsWith('--')));
for (const f of flags) if (!['--full', '--no-paths', '--no-reasons'].includes(f)) usage(`unknown option ${f}`);
if (files.length !== 2) usage('two snapshots needed');

function usage(msg) {
  console.error(`diff.mjs: ${msg}`);
  console.error('usage: node scripts/field/diff.mjs a.json b.json [--full] [--no-paths] [--no-reasons]');
  process.exit(2);
}

const LIMIT = flags.has('--full') ? Infinity : 320;
const short = (s) => {
  const t = String(s ?? '').replace(/\s+/g, ' ');
  return t.length > LIMIT ? `${t.slice(0, LIMIT)}…` : t;
};

/** Two long texts that differ: each shown from a little before the first difference. */
function aroundChange(a, b) {
  const x = String(a ?? '').replace(/\s+/g, ' ');
  const y = String(b ?? '').replace(/\s+/g, ' ');
  if (LIMIT === Infinity || (x.length <= LIMIT && y.length <= LIMIT)) return [x, y];
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  const from = Math.max(0, p - 80);
  const cut = (t) => `${from ? '…' : ''}${t.slice(from, from + LIMIT)}${t.length > from + LIMIT ? '…' : ''}`;
  return [cut(x), cut(y)];
}

const load = (f) => {
  const s = JSON.parse(readFileSync(f, 'utf8'));
  if (s.format !== 'egress-lens-field-snapshot') usage(`${f} is not a field snapshot`);
  return s;
};
const [A, B] = files.map(load);
const describe = (s, f) =>
  `${f}: ${s.cliCommit?.slice(0, 7) ?? '?'}${s.cliSrcDirty || s.cliTreeDirty ? '+src changes' : ''} at ${s.createdAt}`;
console.log(`a = ${describe(A, files[0])}\nb = ${describe(B, files[1])}`);

const totals = { roots: 0, exit: 0, states: 0, added: 0, removed: 0, changed: 0, diagnostics: 0, reasons: 0, paths: 0 };

/** Pairs the items of a and b with the same key; exact equals are dropped, the rest come back as changes. */
function pairUp(as, bs, key, same) {
  const group = (xs) => {
    const m = new Map();
    for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return m;
  };
  const ga = group(as);
  const gb = group(bs);
  const out = { added: [], removed: [], changed: [] };
  for (const k of new Set([...ga.keys(), ...gb.keys()])) {
    const xa = [...(ga.get(k) ?? [])];
    const xb = [...(gb.get(k) ?? [])];
    for (let i = xa.length - 1; i >= 0; i--) {
      const j = xb.findIndex((y) => same(xa[i], y));
      if (j >= 0) {
        xa.splice(i, 1);
        xb.splice(j, 1);
      }
    }
    while (xa.length && xb.length) out.changed.push([xa.shift(), xb.shift()]);
    out.removed.push(...xa);
    out.added.push(...xb);
  }
  return out;
}

function diffRoot(a, b) {
  const lines = [];
  const quiet = [];
  if (a.exit !== b.exit) {
    lines.push(`  exit ${a.exit} -> ${b.exit}`);
    totals.exit++;
  }
  if ((a.error ?? '') !== (b.error ?? '')) lines.push(`  report: ${a.error ?? 'written'} -> ${b.error ?? 'written'}`);
  if (a.corpusCommit !== b.corpusCommit) lines.push(`  corpus commit: ${a.corpusCommit ?? a.commit} -> ${b.corpusCommit ?? b.commit}`);

  // VPC/VNet states, keyed by the VPC's element id.
  const sa = new Map((a.states ?? []).map((s) => [s.vpc, s]));
  const sb = new Map((b.states ?? []).map((s) => [s.vpc, s]));
  for (const [vpc, x] of sa) {
    const y = sb.get(vpc);
    if (!y) {
      lines.push(`  - state ${x.name}: ${x.state} (gone; was: ${short(x.reason)})  [${vpc}]`);
      totals.states++;
    } else if (x.state !== y.state) {
      lines.push(`  state ${y.name}: ${x.state} -> ${y.state}  [${vpc}]`);
      if (x.reason === y.reason) lines.push(`      reason: ${short(y.reason)}`);
      else lines.push(`      was: ${short(x.reason)}`, `      now: ${short(y.reason)}`);
      totals.states++;
    } else {
      if (x.name !== y.name) lines.push(`  name ${x.name} -> ${y.name} (${y.state})  [${vpc}]`);
      if (x.reason !== y.reason) {
        const [was, now] = aroundChange(x.reason, y.reason);
        quiet.push(`  reason ${y.name} (${y.state}, unchanged state)  [${vpc}]`, `      was: ${was}`, `      now: ${now}`);
        totals.reasons++;
      }
    }
  }
  for (const [vpc, y] of sb) {
    if (sa.has(vpc)) continue;
    lines.push(`  + state ${y.name}: ${y.state} (new: ${short(y.reason)})  [${vpc}]`);
    totals.states++;
  }

  // Findings: the same rule on the same element at the same place is one finding whose text may change.
  const fx = (f) => `${f.severity} ${f.code} ${f.at}`;
  const pf = pairUp(
    a.findings ?? [],
    b.findings ?? [],
    (f) => `${f.code}\u0000${f.at}\u0000${f.element}`,
    (x, y) => x.severity === y.severity && x.message === y.message && x.fix === y.fix,
  );
  for (const f of pf.removed) lines.push(`  - finding ${fx(f)}: ${short(f.message)}${f.fix ? `\n      fix was: ${short(f.fix)}` : ''}`);
  for (const f of pf.added) lines.push(`  + finding ${fx(f)}: ${short(f.message)}${f.fix ? `\n      fix: ${short(f.fix)}` : ''}`);
  for (const [x, y] of pf.changed) {
    lines.push(`  ~ finding ${fx(y)}${x.severity !== y.severity ? ` (was ${x.severity})` : ''}`);
    if (x.message !== y.message) {
      const [was, now] = aroundChange(x.message, y.message);
      lines.push(`      was: ${was}`, `      now: ${now}`);
    }
    if (x.fix !== y.fix) {
      const [was, now] = aroundChange(x.fix ?? '(no fix)', y.fix ?? '(no fix)');
      lines.push(`      fix was: ${was}`, `      fix now: ${now}`);
    }
  }
  totals.removed += pf.removed.length;
  totals.added += pf.added.length;
  totals.changed += pf.changed.length;

  // Warning/error diagnostics one by one; every code/severity by count.
  const pd = pairUp(
    a.problems ?? [],
    b.problems ?? [],
    (d) => `${d.code}\u0000${d.severity}\u0000${d.at}\u0000${d.message}`,
    () => true,
  );
  for (const d of pd.removed) lines.push(`  - diagnostic ${d.severity} ${d.code} ${d.at}: ${short(d.message)}`);
  for (const d of pd.added) lines.push(`  + diagnostic ${d.severity} ${d.code} ${d.at}: ${short(d.message)}`);
  totals.diagnostics += pd.removed.length + pd.added.length;
  const da = a.diagnostics ?? {};
  const db = b.diagnostics ?? {};
  const counts = [];
  for (const k of [...new Set([...Object.keys(da), ...Object.keys(db)])].sort()) {
    if (k.endsWith('/error') || k.endsWith('/warning')) continue; // listed one by one above
    if ((da[k] ?? 0) !== (db[k] ?? 0)) counts.push(`${k} ${da[k] ?? 0} -> ${db[k] ?? 0}`);
  }
  if (counts.length) quiet.push(`  info diagnostics: ${counts.join(', ')}`);

  // Egress paths, one signature per subnet.
  const paths = [];
  const pa = a.paths ?? {};
  const pb = b.paths ?? {};
  for (const k of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) {
    if (pa[k] === pb[k]) continue;
    totals.paths++;
    if (pa[k] === undefined) paths.push(`  + path ${k}: ${short(pb[k])}`);
    else if (pb[k] === undefined) paths.push(`  - path ${k}: ${short(pa[k])}`);
    else {
      const [was, now] = aroundChange(pa[k], pb[k]);
      paths.push(`  path ${k}`, `      was: ${was}`, `      now: ${now}`);
    }
  }
  return [...lines, ...(flags.has('--no-reasons') ? [] : quiet), ...(flags.has('--no-paths') ? [] : paths)];
}

// Roots one snapshot has and the other has not (a run with --only, or roots.tsv grew) are listed at the end, not diffed.
const ids = Object.keys(B.roots).filter((id) => id in A.roots);
const onlyA = Object.keys(A.roots).filter((id) => !(id in B.roots));
const onlyB = Object.keys(B.roots).filter((id) => !(id in A.roots));
let any = false;
for (const id of ids) {
  const lines = diffRoot(A.roots[id], B.roots[id]);
  if (!lines.length) continue;
  any = true;
  totals.roots++;
  console.log(`\n== ${id}`);
  for (const l of lines) console.log(l);
}

const t = totals;
if (!any) console.log(`identical (${ids.length} roots)`);
else
  console.log(
    `\n${t.roots} of ${ids.length} roots changed: ${t.exit} exit codes, ${t.states} states, findings +${t.added} -${t.removed} ~${t.changed}, ` +
      `${t.diagnostics} warning/error diagnostics, ${t.reasons} reasons, ${t.paths} paths`,
  );
if (onlyA.length) console.log(`${onlyA.length} roots only in a, not compared${onlyA.length <= 20 ? `: ${onlyA.join('; ')}` : ''}`);
if (onlyB.length) console.log(`${onlyB.length} roots only in b, not compared${onlyB.length <= 20 ? `: ${onlyB.join('; ')}` : ''}`);
