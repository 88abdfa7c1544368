// One tree for CloudFormation templates whatever their syntax: YAML (with short tags such as
// `!Ref`) and JSON both become CNode, with offsets, so the template reader is written once.
import { parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node as YNode } from 'yaml';
import type { ParseDiagnostic } from '../model/inputs';
import { JsonDoc, type JsonNode } from './jsonDoc';
import { LineMap } from './locate';
import { repairCfnYaml, restoreDashes, type YamlRepair } from './cfnYamlRepair';
import { IGNORE_MARK, commentLineEnd, isIgnoreComment } from './suppressions';

export interface CEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: CNode;
}

export type CNode =
  | { t: 'map'; entries: CEntry[]; start: number; end: number; tag?: string }
  | { t: 'seq'; items: CNode[]; start: number; end: number; tag?: string }
  | { t: 'scalar'; value: string | number | boolean | null; start: number; end: number; tag?: string };

export interface CTree {
  root: CNode | undefined;
  diagnostics: ParseDiagnostic[];
  map: LineMap;
  /**
   * YAML: the `# egress-lens:ignore` comment lines directly above the entries of the top-level `Resources` map,
   * from `#` to the end of the line. Absent when there is none.
   */
  ignoreComments?: { start: number; end: number }[];
}

export function entry(n: CNode | undefined, key: string): CEntry | undefined {
  return n?.t === 'map' ? n.entries.find((e) => e.key === key) : undefined;
}

export function get(n: CNode | undefined, key: string): CNode | undefined {
  return entry(n, key)?.value;
}

const CFN_TAGS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Select',
  'GetAZs',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Split',
  'Base64',
  'Cidr',
  'Transform',
  'Length',
  'ToJsonString',
];

/**
 * Declaring the short tags keeps yaml from building a warning (an Error with a stack) for every
 * intrinsic, which dominated parse time. Values are kept as parsed; the tag stays on the node.
 */
const CUSTOM_TAGS = CFN_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (v: string) => v },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (v: unknown) => v },
  { tag: `!${name}`, collection: 'map' as const, resolve: (v: unknown) => v },
]);

export function parseYamlTree(file: string, text: string): CTree {
  const map = new LineMap(text);
  const diagnostics: ParseDiagnostic[] = [];
  const diag = (message: string, start: number, end: number, severity: ParseDiagnostic['severity'] = 'error') =>
    diagnostics.push({ code: 'syntax-error', severity, message, loc: map.loc(file, start, end) });
  let root: CNode | undefined;
  try {
    const options = { uniqueKeys: false, customTags: CUSTOM_TAGS as never };
    let doc = parseDocument(text, options);
    // What CloudFormation reads and yaml refuses (`[-, x]`, a quoted scalar's under-indented lines)
    // is repaired on yaml's tokens, offsets unchanged (cfnYamlRepair.ts). If joining quoted scalars
    // does not make the template readable, yaml's errors without that repair say more.
    let repair: YamlRepair | undefined;
    if (doc.errors.length && (repair = repairCfnYaml(text))) {
      doc = parseDocument(repair.text, options);
      if (doc.errors.length && repair.quoted.size) {
        repair = repairCfnYaml(text, false);
        doc = parseDocument(repair?.text ?? text, options);
      }
    }
    for (const e of doc.errors.slice(0, 20)) diag(`YAML: ${firstLine(e.message)}`, e.pos[0], e.pos[1]);
    // Short tags are CloudFormation intrinsics, not errors; other warnings are worth showing.
    for (const w of doc.warnings) if (w.code !== 'TAG_RESOLVE_FAILED') diag(`YAML: ${firstLine(w.message)}`, w.pos[0], w.pos[1], 'warning');
    const fix = repair?.placeholder;
    const quoted = repair?.quoted;
    const read: Read = {
      str: fix ? (s: string) => restoreDashes(s, fix) : (s: string) => s,
      quoted: quoted?.size ? (at: number) => quoted.get(at) : () => undefined,
    };
    root = doc.contents ? fromYaml(doc.contents, 0, text, read) : undefined;
    const marks = resourceComments(doc, text);
    if (marks.length > 0) return { root, diagnostics, map, ignoreComments: marks };
  } catch (e) {
    diag(`YAML could not be parsed: ${(e as Error).message}`, 0, 0);
  }
  return { root, diagnostics, map };
}

/**
 * The `# egress-lens:ignore` comments before the entries of the top-level `Resources` block map. The YAML parser
 * gives the comment lines before a key as its `commentBefore` (the first entry's as the map's), without offsets:
 * only where one of them is an ignore comment are the comment lines directly above the key's line located.
 */
function resourceComments(doc: Document.Parsed, text: string): { start: number; end: number }[] {
  const top = doc.contents;
  if (!isMap(top)) return [];
  const res = top.items.find((p) => isScalar(p.key) && p.key.value === 'Resources')?.value;
  if (!isMap(res) || res.flow) return [];
  const marks: { start: number; end: number }[] = [];
  res.items.forEach((p, i) => {
    const key = p.key as YNode | null;
    const before = `${i === 0 ? (res.commentBefore ?? '') : ''}\n${key?.commentBefore ?? ''}`;
    if (!key?.range || !before.includes(IGNORE_MARK)) return;
    // The lines above the key's line, while they are comments.
    const found: { start: number; end: number }[] = [];
    let lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
    while (lineStart > 0) {
      const start = text.lastIndexOf('\n', lineStart - 2) + 1;
      let c = start;
      while (text[c] === ' ' || text[c] === '\t') c++;
      if (text[c] !== '#') break;
      if (isIgnoreComment(text, c)) found.unshift({ start: c, end: commentLineEnd(text, c) });
      lineStart = start;
    }
    marks.push(...found);
  });
  return marks;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function tagOf(n: YNode): string | undefined {
  const t = (n as { tag?: string }).tag;
  return t && t.startsWith('!') && !t.startsWith('!!') ? t : undefined;
}

/** How scalars of a repaired text are read as the original spells them. */
interface Read {
  str: (s: string) => string;
  /** The value of a quoted scalar joined onto one line, by the offset of its quote. */
  quoted: (at: number) => string | undefined;
}

function fromYaml(n: YNode | null | undefined, fallback: number, text: string, read: Read): CNode {
  if (!n) return { t: 'scalar', value: null, start: fallback, end: fallback };
  const range = n.range ?? [fallback, fallback];
  let start = range[0];
  const end = range[1];
  const tag = tagOf(n);
  if (tag) {
    // yaml's range starts after the tag; widen it so the node's text includes `!Select ...`.
    const at = text.lastIndexOf(tag, start);
    if (at >= 0 && /^\s*$/.test(text.slice(at + tag.length, start))) start = at;
  }
  if (isMap(n)) {
    const entries: CEntry[] = [];
    for (const p of n.items) {
      if (!isPair(p)) continue;
      const k = p.key as YNode | null;
      const keyStart = k?.range?.[0] ?? start;
      const keyEnd = k?.range?.[1] ?? keyStart;
      const key = isScalar(k) ? read.str(String(k.value)) : '';
      entries.push({ key, keyStart, keyEnd, value: fromYaml(p.value as YNode | null, keyEnd, text, read) });
    }
    return { t: 'map', entries, start, end, tag };
  }
  if (isSeq(n)) {
    return { t: 'seq', items: n.items.map((i) => fromYaml(i as YNode, start, text, read)), start, end, tag };
  }
  if (isScalar(n)) {
    const v = read.quoted(range[0]) ?? n.value;
    const value = typeof v === 'string' ? read.str(v) : typeof v === 'number' || typeof v === 'boolean' ? v : v === null ? null : String(v);
    return { t: 'scalar', value, start, end, tag };
  }
  // Aliases and anything else: keep the position, drop the value.
  return { t: 'scalar', value: null, start, end, tag };
}

export function parseJsonTree(file: string, text: string): CTree {
  const doc = JsonDoc.take(file, text);
  if (!doc.root) return { root: undefined, diagnostics: doc.diagnostics, map: doc.map };
  const [start, end] = doc.offsets(doc.root);
  return { root: fromJson(doc, doc.root, start, end), diagnostics: doc.diagnostics, map: doc.map };
}

function fromJson(doc: JsonDoc, n: JsonNode, start: number, end: number): CNode {
  const type = doc.type(n);
  if (type === 'object') {
    const entries: CEntry[] = [];
    for (const s of doc.slots(n)) {
      entries.push({
        key: s.key!,
        keyStart: s.keyStart,
        keyEnd: s.keyEnd,
        value: s.value ? fromJson(doc, s.value, s.start, s.end) : { t: 'scalar', value: null, start: s.keyEnd, end: s.keyEnd },
      });
    }
    return { t: 'map', entries, start, end };
  }
  if (type === 'array') return { t: 'seq', items: doc.slots(n).map((s) => fromJson(doc, s.value!, s.start, s.end)), start, end };
  const v = doc.value(n);
  return { t: 'scalar', value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null, start, end };
}
