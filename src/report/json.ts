// The JSON report: the AnalysisResult with every source location made 1-based and flat
// ({file, startLine, startColumn, endLine, endColumn}), arrays in a stable order.
// Schema: docs/schema/analysis-result.schema.json.
import type { AnalysisResult } from '../analysis/types';
import type { SourceRange } from '../model/types';
import { toRegion } from './location';
import { byKey, sortDiagnostics, sortFindings, sortStates } from './order';

const hasOwn = Object.prototype.hasOwnProperty;

export const JSON_REPORT_FORMAT = 'egress-lens-report';

export interface JsonReportOptions {
  /** Leave out `timing`, for byte-identical output across runs (golden files, diffs in CI). */
  omitTiming?: boolean;
}

function isRange(v: unknown): v is { start: { line: number; character: number }; end: { line: number; character: number } } {
  const o = v as { start?: { line?: unknown }; end?: { line?: unknown } } | null;
  return typeof o === 'object' && o !== null && typeof o.start?.line === 'number' && typeof o.end?.line === 'number';
}

/** Writes the 1-based region of a range into `out` (toRegion's fields, in its order). */
function putRegion(out: Record<string, unknown>, range: SourceRange): void {
  const r = toRegion(range);
  out.startLine = r.startLine;
  out.startColumn = r.startColumn;
  out.endLine = r.endLine;
  out.endColumn = r.endColumn;
}

/**
 * Rewrites locations anywhere in the tree: `{file, range}` (SourceLocation, TextEdit) gets the range's
 * 1-based region spread into it; a bare range (element extent, attribute ranges) becomes a region.
 * Every element of the model goes through here: loops and `for...in`, no entry arrays (a 50 MB AWS CLI
 * export has millions of objects; Object.entries made this a sixth of the run).
 */
function relocate(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const a = v as unknown[];
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = relocate(a[i]);
    return out;
  }
  if (isRange(v)) return toRegion(v);
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const isLoc = typeof o.file === 'string' && isRange(o.range);
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    // SourceLocation {file, range}, TextEdit {file, range, newText}
    if (isLoc && k === 'range') putRegion(out, o.range as SourceRange);
    else out[k] = relocate(o[k]);
  }
  return out;
}

/** The report's top-level fields in their order, before locations are rewritten. */
function documentFields(result: AnalysisResult, options: JsonReportOptions): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    format: JSON_REPORT_FORMAT,
    version: result.version,
    summary: result.summary,
    score: result.score,
    states: sortStates(result.states),
    findings: sortFindings(result.findings),
    // Accepted by egress-lens:ignore, each with its `suppression`: apart, so a reader counting `findings` counts the rest.
    ...(result.suppressed?.length ? { suppressed: sortFindings(result.suppressed) } : {}),
    parseDiagnostics: sortDiagnostics(result.parseDiagnostics),
    egress: [...result.egress].sort(byKey((e) => e.subnet)),
    simulations: result.simulations,
    model: { elements: [...result.model.elements].sort(byKey((e) => e.id)) },
  };
  if (result.terraformRoots?.length) doc.terraformRoots = [...result.terraformRoots].sort(byKey((r) => r.dir));
  if (!options.omitTiming) doc.timing = result.timing;
  return doc;
}

/** The report document as a plain object (what `toJson` serialises). */
export function toJsonDocument(result: AnalysisResult, options: JsonReportOptions = {}): Record<string, unknown> {
  return relocate(documentFields(result, options)) as Record<string, unknown>;
}

/** Objects this deep are written member by member; arrays are written in batches of BATCH items. */
const STREAM_DEPTH = 3;
const BATCH = 256;
/** Chunks are joined up to about this many characters before they are handed on. */
const CHUNK_CHARS = 1 << 20;

/**
 * The report as chunks of text, byte for byte what `JSON.stringify(toJsonDocument(result), null, 2)`
 * gives, without ever holding the whole text (a 50 MB AWS CLI export makes a report over V8's string
 * limit) or a relocated copy of the whole model: objects down to STREAM_DEPTH are walked member by
 * member, arrays in batches, and each piece is relocated and stringified alone at its indentation.
 */
export function* toJsonChunks(result: AnalysisResult, options: JsonReportOptions = {}): Generator<string> {
  let buf = '';
  for (const piece of streamValue(documentFields(result, options), 0)) {
    buf += piece;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  yield buf + '\n';
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

const wrappers: { head: number; tail: number }[] = [];
/**
 * `v` as JSON.stringify writes it `depth` levels down: stringified inside `depth` arrays (native
 * speed, the indentation comes out right) with the arrays' own text cut off again.
 */
function stringifyAt(v: unknown, depth: number): string {
  let w = wrappers[depth];
  if (!w) {
    let probe: unknown = 0;
    for (let i = 0; i < depth; i++) probe = [probe];
    const text = JSON.stringify(probe, null, 2);
    w = wrappers[depth] = { head: text.indexOf('0'), tail: text.length - text.indexOf('0') - 1 };
  }
  let x = v;
  for (let i = 0; i < depth; i++) x = [x];
  const text = JSON.stringify(x, null, 2);
  return text.slice(w.head, text.length - w.tail);
}

function* streamValue(v: unknown, depth: number): Generator<string> {
  const container = typeof v === 'object' && v !== null;
  // Locations are small: relocate rewrites them as a whole.
  const location =
    container && (isRange(v) || (typeof (v as { file?: unknown }).file === 'string' && isRange((v as { range?: unknown }).range)));
  if (!container || depth >= STREAM_DEPTH || location) {
    yield stringifyAt(relocate(v), depth);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    // A batch's text is "[" + "\n" + items joined by ",\n" + "\n" + indent + "]": keep what is between.
    const tail = 2 + 2 * depth;
    yield '[';
    for (let i = 0; i < v.length; i += BATCH) {
      const text = stringifyAt(relocate(v.slice(i, i + BATCH)), depth);
      yield (i ? ',' : '') + text.slice(1, text.length - tail);
    }
    yield '\n' + '  '.repeat(depth) + ']';
    return;
  }
  const inner = '\n' + '  '.repeat(depth + 1);
  let first = true;
  for (const [k, x] of Object.entries(v)) {
    if (omitted(x)) continue;
    yield (first ? '{' : ',') + inner + JSON.stringify(k) + ': ';
    first = false;
    yield* streamValue(x, depth + 1);
  }
  yield first ? '{}' : '\n' + '  '.repeat(depth) + '}';
}

export function toJson(result: AnalysisResult, options: JsonReportOptions = {}): string {
  return [...toJsonChunks(result, options)].join('');
}
