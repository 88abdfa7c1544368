// A parsed JSON file with positions: the shared reader for every JSON input (AWS CLI, Azure CLI,
// controller exports, plan JSON, CloudFormation JSON). The tree keeps offsets and tolerates errors.
import { parseTree, getNodeValue, type Node, type ParseError } from './jsonTree';
import type { SourceLocation, SourceRange } from '../model/types';
import type { InputFormat, ModelFragment, ParseDiagnostic } from './types';
import { LineMap } from './locate';

export type JsonNode = Node;

/** The tree format detection just built, waiting for the parser that follows (see JsonDoc.take). */
let handedOff: JsonDoc | undefined;

export class JsonDoc {
  /**
   * Detection has to parse a JSON file to know its format; it hands that tree to the parser that
   * follows so a file is parsed once. One slot, taken once: a later parse of the same file gets a
   * fresh doc (the parser appends its diagnostics to the doc it reads).
   */
  static handOff(doc: JsonDoc): void {
    handedOff = doc;
  }

  static take(file: string, text: string): JsonDoc {
    const doc = handedOff;
    handedOff = undefined;
    return doc && doc.file === file && doc.text === text ? doc : new JsonDoc(file, text);
  }

  readonly map: LineMap;
  readonly root: Node | undefined;
  readonly diagnostics: ParseDiagnostic[] = [];

  constructor(readonly file: string, readonly text: string) {
    this.map = new LineMap(text);
    const errors: ParseError[] = [];
    let root: Node | undefined;
    try {
      root = parseTree(text, errors);
    } catch (e) {
      // Pathological nesting can exhaust the stack; report it instead of throwing.
      errors.length = 0;
      this.diagnostics.push(this.diag('syntax-error', 'error', `JSON could not be parsed: ${(e as Error).message}`, 0, 0));
    }
    this.root = root;
    for (const e of errors.slice(0, 20)) {
      this.diagnostics.push(
        this.diag('syntax-error', 'error', `JSON syntax error: ${e.message}`, e.offset, e.offset + e.length),
      );
    }
  }

  diag(code: string, severity: ParseDiagnostic['severity'], message: string, start: number, end: number): ParseDiagnostic {
    return { code, severity, message, loc: this.map.loc(this.file, start, end) };
  }

  diagAt(node: Node | undefined, code: string, severity: ParseDiagnostic['severity'], message: string): ParseDiagnostic {
    return node ? this.diag(code, severity, message, node.offset, node.offset + node.length) : this.diag(code, severity, message, 0, 0);
  }

  range(node: Node): SourceRange {
    return this.map.range(node.offset, node.offset + node.length);
  }

  loc(node: Node): SourceLocation {
    return { file: this.file, range: this.range(node) };
  }

  /** The property node (`"Key": value`) of an object. */
  propNode(obj: Node | undefined, key: string): Node | undefined {
    if (!obj || obj.type !== 'object' || !obj.children) return undefined;
    for (const p of obj.children) {
      const k = p.children?.[0];
      if (k && k.value === key) return p;
    }
    return undefined;
  }

  prop(obj: Node | undefined, key: string): Node | undefined {
    return this.propNode(obj, key)?.children?.[1];
  }

  keys(obj: Node | undefined): string[] {
    if (!obj || obj.type !== 'object' || !obj.children) return [];
    return obj.children.map((p) => String(p.children?.[0]?.value ?? ''));
  }

  str(obj: Node | undefined, key: string): string | undefined {
    const v = this.prop(obj, key);
    return v && v.type === 'string' ? (v.value as string) : undefined;
  }

  num(obj: Node | undefined, key: string): number | undefined {
    const v = this.prop(obj, key);
    if (v?.type === 'number') return v.value as number;
    if (v?.type === 'string' && /^-?\d+$/.test(v.value as string)) return Number(v.value);
    return undefined;
  }

  bool(obj: Node | undefined, key: string): boolean | undefined {
    const v = this.prop(obj, key);
    if (v?.type === 'boolean') return v.value as boolean;
    if (v?.type === 'string' && /^(true|false)$/i.test(v.value as string)) return /^true$/i.test(v.value as string);
    return undefined;
  }

  /** Items of an array-valued property (or of the node itself when it is an array). */
  items(node: Node | undefined, key?: string): Node[] {
    const arr = key === undefined ? node : this.prop(node, key);
    return arr && arr.type === 'array' && arr.children ? arr.children : [];
  }

  objects(node: Node | undefined, key?: string): Node[] {
    return this.items(node, key).filter((n) => n.type === 'object');
  }

  strings(node: Node | undefined, key?: string): string[] {
    return this.items(node, key)
      .filter((n) => n.type === 'string')
      .map((n) => n.value as string);
  }

  value(node: Node | undefined): unknown {
    if (!node) return undefined;
    try {
      return getNodeValue(node);
    } catch {
      return undefined;
    }
  }

  /** Location of `"key": value` when present, else of the whole object: short and precise for squiggles. */
  keyLoc(obj: Node, key: string): SourceLocation {
    const p = this.propNode(obj, key);
    return this.loc(p ?? firstKeyOr(obj));
  }

  /** Value ranges of the listed top-level properties, for quick fixes. */
  attrs(obj: Node, keys: string[]): Record<string, SourceRange> | undefined {
    const out: Record<string, SourceRange> = {};
    for (const k of keys) {
      const v = this.prop(obj, k);
      if (v) out[k] = this.range(v);
    }
    return Object.keys(out).length ? out : undefined;
  }
}

function firstKeyOr(obj: Node): Node {
  return obj.children?.[0] ?? obj;
}

/** AWS style `Tags: [{Key, Value}]` to a record. */
export function awsTags(doc: JsonDoc, obj: Node): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  for (const t of doc.objects(obj, 'Tags')) {
    const k = doc.str(t, 'Key');
    const v = doc.str(t, 'Value');
    if (k !== undefined) tags[k] = v ?? '';
  }
  return Object.keys(tags).length ? tags : undefined;
}

export interface JsonInput {
  format: InputFormat;
  /** The JSON type the top level must have. */
  top: 'object' | 'array';
  /** Used in messages: "<what> must be a JSON object" / "<what> could not be read". */
  what: string;
  /** Where the content really starts (e.g. an API envelope around the payload). */
  unwrap?: (doc: JsonDoc, root: Node | undefined) => Node | undefined;
}

/**
 * The shared frame of every JSON parser: one parse (taken over from detection), a located
 * `unknown-shape` warning for a top level of the wrong type, and a bug in `read` reported at the
 * file start instead of thrown, so it never takes the workspace down.
 */
export function readJsonInput(file: string, text: string, input: JsonInput, read: (doc: JsonDoc, root: Node, out: ModelFragment) => void): ModelFragment {
  const doc = JsonDoc.take(file, text);
  const out: ModelFragment = { file, format: input.format, elements: [], diagnostics: doc.diagnostics };
  const root = input.unwrap ? input.unwrap(doc, doc.root) : doc.root;
  if (!root) return out;
  if (root.type !== input.top) {
    out.diagnostics.push(doc.diagAt(root, 'unknown-shape', 'warning', `${input.what} must be a JSON ${input.top}`));
    return out;
  }
  try {
    read(doc, root, out);
  } catch (e) {
    out.diagnostics.push(doc.diag('internal-error', 'error', `${input.what} could not be read: ${(e as Error).message}`, 0, 0));
  }
  return out;
}
