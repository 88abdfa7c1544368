// The terminal report: findings grouped by file as `line:col severity code message`, the protection
// state of each VPC, the score, egress paths in one line each, a summary line.
import type { AnalysisResult, FlowSimulation, PathTrace, Severity, SubnetEgress } from '../analysis/types';
import { designName } from '../analysis/verdict';
import { formatLocation } from './location';
import { byKey, sortDiagnostics, sortFindings, sortStates } from './order';

export interface TextReportOptions {
  /** Egress paths listed one per subnet up to this many; beyond it only a count. Default 50. */
  maxPaths?: number;
  /** Input diagnostics listed up to this many; beyond it only a count. Default 20. */
  maxDiagnostics?: number;
  /** Heading for the report, e.g. the example folder's name. */
  title?: string;
  /** Leave the parse and analysis times out of the summary: the same inputs give the same bytes. */
  omitTiming?: boolean;
  /** List the findings accepted by `egress-lens:ignore` (else only their count). */
  showSuppressed?: boolean;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function hopsLine(t: PathTrace): string {
  // A GWLB whose targets only pass packets back carries the flow, it enforces nothing: no brackets.
  const names = t.hops.map((h) => (h.enforcement && h.enforcement.passes === undefined ? `[${h.name}]` : h.name)).join(' -> ');
  const o = t.outcome;
  const end = o.kind === 'delivered' ? '' : o.kind === 'loop' ? `  (loop at ${o.at})` : `  (${o.kind}: ${o.reason})`;
  return names + end;
}

function egressLines(e: SubnetEgress, nameOf: (id: string) => string): string[] {
  const design = designName(e);
  // A dual-stack subnet's IPv6 egress follows its IPv4 one, named as its second family; an extra egress along a narrow
  // route by the addresses it carries.
  const family = e.family === 6 ? ' IPv6' : e.narrow ? ` to ${e.narrow.destination}` : '';
  const out = [
    `  ${nameOf(e.subnet)}${family} (${nameOf(e.vpc)})${design ? `  design: ${design}` : ''}`,
    `    out:  ${hopsLine(e.forward)}`,
  ];
  if (e.return) out.push(`    back: ${hopsLine(e.return)}`);
  if (e.divergence) out.push(`    ASYMMETRIC at return hop ${e.divergence.returnHop}: ${e.divergence.reason}`);
  return out;
}

function simulationLines(s: FlowSimulation): string[] {
  const f = s.flow;
  // Led by the routing verdict (the sentence Trace and the editor show), then the policy outcome.
  const lead = s.outcome === 'denied' ? `DENIED: ${s.summary}` : (s.routing?.headline ?? s.outcome.toUpperCase());
  const out = [`  ${f.protocol}${f.port !== undefined ? `/${f.port}` : ''} ${f.source} -> ${f.destination}: ${lead}`];
  if (s.outcome !== 'denied') out.push(`    policy: ${s.outcome.toUpperCase()}: ${s.summary}`);
  out.push(`    out:  ${hopsLine(s.forward)}`);
  if (s.return) out.push(`    back: ${hopsLine(s.return)}`);
  if (s.divergence) out.push(`    ASYMMETRIC at return hop ${s.divergence.returnHop}: ${s.divergence.reason}`);
  for (const v of s.verdicts) out.push(`    ${v.decision} at ${v.at}${v.policyName ? ` by ${v.policyName}` : ''}: ${v.reason}`);
  return out;
}

export function toText(result: AnalysisResult, options: TextReportOptions = {}): string {
  const maxPaths = options.maxPaths ?? 50;
  const names = new Map(result.model.elements.map((e) => [e.id, e.name || e.id]));
  const nameOf = (id: string): string => names.get(id) ?? id;
  const lines: string[] = [];
  const title = options.title ? `Egress Lens: ${options.title}` : 'Egress Lens';
  lines.push(
    `${title}  (${inputsLine(result.summary) ?? plural(result.summary.files, 'file')}, ${plural(result.summary.elements, 'element')})`,
    '',
  );

  // Several Terraform roots: each root's findings together, under the root's folder.
  const roots = result.terraformRoots ?? [];
  const rootOf = (f: { elementId: string }): string =>
    roots.length > 1 ? (roots.find((r) => f.elementId.startsWith(`${r.label}:`))?.label ?? '') : '';
  const sorted = sortFindings(result.findings);
  const findings =
    roots.length > 1
      ? sorted
          .map((f, i) => ({ f, i, r: rootOf(f) }))
          .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : a.i - b.i))
          .map((x) => x.f)
      : sorted;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  if (findings.length === 0) {
    // "No findings" must not read as "all clear" when the inputs could not decide some VPCs.
    const unknown = result.states.filter((s) => s.state === 'Unknown').length;
    lines.push(
      unknown
        ? `No findings on what the inputs decide; ${plural(unknown, 'VPC/VNet')} Unknown (see the protection states).`
        : 'No findings.',
      '',
    );
  }
  let file: string | undefined;
  let root: string | undefined;
  for (const f of findings) {
    counts[f.severity]++;
    if (roots.length > 1 && rootOf(f) !== root) {
      if (root !== undefined) lines.push('');
      root = rootOf(f);
      const r = roots.find((x) => x.label === root);
      lines.push(r ? `== Root ${r.label} (${r.dir})` : '== Not in a Terraform root');
      file = undefined;
    }
    if (f.location.file !== file) {
      if (file !== undefined) lines.push('');
      file = f.location.file;
      lines.push(file);
    }
    const pos = `${f.location.range.start.line + 1}:${f.location.range.start.character + 1}`;
    lines.push(`  ${pad(pos, 7)} ${pad(f.severity, 8)} ${pad(f.code, 26)} ${f.message}`);
    for (const r of f.related) lines.push(`          related ${formatLocation(r.location)}  ${r.message}`);
    if (f.fix) lines.push(`          fix: ${f.fix.title}`);
  }
  if (findings.length) lines.push('');

  const suppressed = sortFindings(result.suppressed ?? []);
  if (suppressed.length && options.showSuppressed) {
    lines.push(`Suppressed findings (${suppressed.length}; accepted by egress-lens:ignore)`);
    for (const f of suppressed) {
      lines.push(`  ${formatLocation(f.location)}  ${f.severity}  ${f.code}  ${f.message}`);
      if (f.suppression)
        lines.push(
          `          accepted at ${formatLocation(f.suppression.location)}${f.suppression.reason ? `: ${f.suppression.reason}` : ''}`,
        );
    }
    lines.push('');
  } else if (suppressed.length) {
    lines.push(`${plural(suppressed.length, 'finding')} suppressed by egress-lens:ignore (--show-suppressed lists them).`, '');
  }

  const diags = sortDiagnostics(result.parseDiagnostics);
  if (diags.length) {
    const maxDiags = options.maxDiagnostics ?? 20;
    lines.push(`Input diagnostics (${diags.length})`);
    for (const d of diags.slice(0, maxDiags)) lines.push(`  ${formatLocation(d.loc)}  ${d.severity}  ${d.code}  ${d.message}`);
    if (diags.length > maxDiags) lines.push(`  ... ${diags.length - maxDiags} more (see --format json)`);
    lines.push('');
  }

  if (roots.length > 1 || roots.some((r) => r.varFiles.length)) {
    lines.push(`Terraform root modules (${roots.length})`);
    for (const r of [...roots].sort(byKey((x) => x.dir))) {
      const head = r.label ? `${r.label}: ${r.dir}` : r.dir;
      lines.push(`  ${head}  var files: ${r.varFiles.length ? r.varFiles.join(', ') : 'none'}`);
    }
    lines.push('');
  }

  const states = sortStates(result.states).map((s) => {
    // Same names in several roots (examples/a and examples/b both tag "main"): say whose.
    const r = roots.length > 1 ? rootOf({ elementId: s.vpc }) : '';
    return r ? { ...s, name: `${r}: ${s.name}` } : s;
  });
  if (states.length) {
    lines.push('Protection state per VPC/VNet');
    const w = Math.min(40, Math.max(...states.map((s) => s.name.length)));
    for (const s of states) lines.push(`  ${pad(s.name, w)}  ${pad(s.state, 19)}  ${s.reason}`);
    lines.push('');
  }

  const sc = result.score;
  lines.push(
    sc.score === null
      ? sc.counted === 0
        ? 'Egress Security Score: n/a (no VPC/VNet has egress)'
        : `Egress Security Score: n/a (every one of the ${plural(sc.counted, 'VPC/VNet')} with egress is Unknown)`
      : `Egress Security Score: ${sc.score}/100 over ${plural(sc.counted, 'VPC/VNet')} with egress (${sc.unknown} Unknown)`,
  );
  // Unknown VPCs are left out of the number's meaning: say which and why, whatever the state list shows.
  const unknown = states.filter((s) => s.state === 'Unknown');
  if (unknown.length) {
    lines.push(`  Unknown (${unknown.length}):`);
    for (const s of unknown) lines.push(`    ${s.name}: ${s.reason}`);
  }
  lines.push(`  ${sc.formula}`, '');

  const egress = [...result.egress].sort(byKey((e) => e.subnet));
  if (egress.length) {
    // A dual-stack subnet has a path per family: count the subnets, and the paths when they differ.
    const subnets = new Set(egress.map((e) => e.subnet)).size;
    const count =
      subnets === egress.length ? plural(subnets, 'subnet') : `${plural(egress.length, 'path')} of ${plural(subnets, 'subnet')}`;
    lines.push(`Egress paths (${count}; [x] = enforcement point)`);
    for (const e of egress.slice(0, maxPaths)) lines.push(...egressLines(e, nameOf));
    if (egress.length > maxPaths) lines.push(`  ... ${egress.length - maxPaths} more (see --format json)`);
    lines.push('');
  }

  if (result.simulations.length) {
    lines.push('Flow simulations');
    for (const s of result.simulations) lines.push(...simulationLines(s));
    lines.push('');
  }

  const files = new Set(findings.map((f) => f.location.file)).size;
  const tally = findings.length
    ? `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${plural(files, 'file')}`
    : 'no findings';
  // Input errors decide --fail-on error as findings do: the summary says how many.
  const inputErrors = result.parseDiagnostics.filter((d) => d.severity === 'error').length;
  const read = inputsLine(result.summary, true);
  const shown = `${tally}${suppressed.length ? `, ${suppressed.length} suppressed` : ''}`;
  const withInput = `${inputErrors ? `${shown}, ${plural(inputErrors, 'input error')}` : shown}${read ? `; ${read}` : ''}`;
  lines.push(
    options.omitTiming
      ? `Summary: ${withInput}`
      : `Summary: ${withInput}; parse ${result.timing.parseMs.toFixed(1)} ms, analysis ${result.timing.analysisMs.toFixed(1)} ms`,
  );
  return lines.join('\n') + '\n';
}

/**
 * `12 files read, 4 gave elements, 8 skipped`, with why when `why` (grouped: `6 not a recognised
 * input`); undefined when the front end did not say what it read.
 */
function inputsLine(summary: AnalysisResult['summary'], why = false): string | undefined {
  const i = summary.inputs;
  if (!i) return undefined;
  const head = `${plural(i.read, 'file')} read, ${i.withElements} gave elements, ${i.skipped.length} skipped`;
  if (!why || i.skipped.length === 0) return head;
  const reasons = new Map<string, number>();
  for (const s of i.skipped) {
    // "over the 5 MB limit" and the like: the reason without the file's own numbers.
    const r = s.reason.replace(/^[\d.]+ [KMG]?B is /, '');
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  return `${head} (${[...reasons].map(([r, n]) => `${n} ${r}`).join('; ')})`;
}
