// The JSON report: the AnalysisResult with every source location made 1-based and flat
// ({file, startLine, startColumn, endLine, endColumn}), arrays in a stable order.
// Schema: docs/schema/analysis-result.schema.json.
import type { AnalysisResult } from '../analysis/types';
import { toRegion } from './location';
import { byKey, sortDiagnostics, sortFindings, sortStates } from './order';

export const JSON_REPORT_FORMAT = 'egress-lens-report';

export interface JsonReportOptions {
  /** Leave out `timing`, for byte-identical output across runs (golden files, diffs in CI). */
  omitTiming?: boolean;
}

function isRange(v: unknown): v is { start: { line: number; character: number }; end: { line: number; character: number } } {
  const o = v as { start?: { line?: unknown }; end?: { line?: unknown } } | null;
  return typeof o === 'object' && o !== null && typeof o.start?.line === 'number' && typeof o.end?.line === 'number';
}

/**
 * Rewrites locations anywhere in the tree: `{file, range}` (SourceLocation, TextEdit) gets the range's
 * 1-based region spread into it; a bare range (element extent, attribute ranges) becomes a region.
 */
function relocate(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(relocate);
  if (typeof v !== 'object' || v === null) return v;
  if (isRange(v)) return toRegion(v);
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof o.file === 'string' && isRange(o.range)) {
    // SourceLocation {file, range}, TextEdit {file, range, newText}
    for (const [k, x] of Object.entries(o)) {
      if (k === 'range') Object.assign(out, toRegion(x as never));
      else out[k] = relocate(x);
    }
    return out;
  }
  for (const [k, x] of Object.entries(o)) out[k] = relocate(x);
  return out;
}

/** The report document as a plain object (what `toJson` serialises). */
export function toJsonDocument(result: AnalysisResult, options: JsonReportOptions = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    format: JSON_REPORT_FORMAT,
    version: result.version,
    summary: result.summary,
    score: result.score,
    states: sortStates(result.states),
    findings: sortFindings(result.findings),
    parseDiagnostics: sortDiagnostics(result.parseDiagnostics),
    egress: [...result.egress].sort(byKey((e) => e.subnet)),
    simulations: result.simulations,
    model: { elements: [...result.model.elements].sort(byKey((e) => e.id)) },
  };
  if (result.terraformRoots?.length) doc.terraformRoots = [...result.terraformRoots].sort(byKey((r) => r.dir));
  if (!options.omitTiming) doc.timing = result.timing;
  return relocate(doc) as Record<string, unknown>;
}

export function toJson(result: AnalysisResult, options: JsonReportOptions = {}): string {
  return JSON.stringify(toJsonDocument(result, options), null, 2) + '\n';
}
