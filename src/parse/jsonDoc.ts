// A parsed JSON file with positions: the shared reader for every JSON input (AWS CLI, Azure CLI,
// controller exports, plan JSON, CloudFormation JSON). Parsers see opaque JsonNode handles and ask
// the doc for values, types and locations, so they do not care how the file was read:
//
// - the value path (most files): values come from the native `JSON.parse`; one structural scan
//   records where every container (`{`/`[`) starts and ends, in pre-order. A handle is a value plus
//   its container ordinal; scalars are read as values with no node. The range of a property or
//   scalar is found on demand by scanning that one container's top level (nested containers are
//   skipped through the table). Offsets are therefore only computed where a parser asks for them.
// - the tree path: jsonc-parser's tolerant tree with offsets on every node. Used when `JSON.parse`
//   rejects the text (comments, trailing commas, syntax errors: located exactly as jsonc reports
//   them), or when pre-order ordinals would not match the JS value (a key JS reorders, such as
//   "0", or a repeated key).
//
// Both paths give the same values, types, ranges and diagnostics for every text the value path accepts.
import { parseTree, plainValue, scanContainers, type ContainerTable, type Node, type ParseError } from './jsonTree';
import type { SourceLocation, SourceRange } from '../model/types';
import type { InputFormat, ModelFragment } from './types';
import type { ParseDiagnostic } from '../model/inputs';
import { LineMap } from './locate';

declare const nodeBrand: unique symbol;
/** A value (or a `"key": value` property) of a JsonDoc; opaque: ask the doc about it. */
export type JsonNode = { readonly [nodeBrand]: true };

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'property';

/** How to read a text: 'auto' takes the value path when it can; 'tree' always builds the jsonc tree. */
export type JsonReadMode = 'auto' | 'tree';

/** The tree format detection just built, waiting for the parser that follows (see JsonDoc.take). */
let handedOff: JsonDoc | undefined;

/** How JsonDoc.open reads texts while `withJsonReadMode` runs (tests compare both paths). */
let readMode: JsonReadMode = 'auto';

/** Runs `fn` with every JSON text read in this mode ('tree': the jsonc path only). */
export function withJsonReadMode<T>(mode: JsonReadMode, fn: () => T): T {
  const before = readMode;
  readMode = mode;
  try {
    return fn();
  } finally {
    readMode = before;
  }
}

/**
 * One member of an object (key offsets from its opening quote to after its closing quote) or one
 * item of an array (key undefined), with the offsets of its value (at the key's end when missing).
 */
export interface JsonSlot {
  key: string | undefined;
  keyStart: number;
  keyEnd: number;
  value: JsonNode | undefined;
  start: number;
  end: number;
}

export abstract class JsonDoc {
  /**
   * Detection has to parse a JSON file to know its format; it hands that doc to the parser that
   * follows so a file is parsed once. One slot, taken once: a later parse of the same file gets a
   * fresh doc (the parser appends its diagnostics to the doc it reads).
   */
  static handOff(doc: JsonDoc): void {
    handedOff = doc;
  }

  static take(file: string, text: string): JsonDoc {
    const doc = handedOff;
    handedOff = undefined;
    return doc && doc.file === file && doc.text === text && (readMode === 'auto' || !doc.fast) ? doc : JsonDoc.open(file, text);
  }

  /** Read a text: the value path when `JSON.parse` accepts it and its containers line up, else the tree. */
  static open(file: string, text: string, mode: JsonReadMode = readMode): JsonDoc {
    if (mode === 'auto') {
      const fast = ValueDoc.tryOpen(file, text);
      if (fast) return fast;
    }
    return new TreeDoc(file, text);
  }

  readonly diagnostics: ParseDiagnostic[] = [];
  private lineMap: LineMap | undefined;
  /** Set by `span`: the offsets of the node last located. */
  protected s0 = 0;
  protected s1 = 0;

  protected constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** Line starts, built on first use. */
  get map(): LineMap {
    return (this.lineMap ??= new LineMap(this.text));
  }

  /** Whether the value path reads this doc (tests compare both paths). */
  abstract readonly fast: boolean;
  abstract readonly root: JsonNode | undefined;

  /** Sets s0/s1 to the offsets of a node. */
  protected abstract span(node: JsonNode): void;

  diag(code: ParseDiagnostic['code'], severity: ParseDiagnostic['severity'], message: string, start: number, end: number): ParseDiagnostic {
    return { code, severity, message, loc: this.map.loc(this.file, start, end) };
  }

  diagAt(
    node: JsonNode | undefined,
    code: ParseDiagnostic['code'],
    severity: ParseDiagnostic['severity'],
    message: string,
  ): ParseDiagnostic {
    if (!node) return this.diag(code, severity, message, 0, 0);
    this.span(node);
    return this.diag(code, severity, message, this.s0, this.s1);
  }

  /** Start and end offset of a node. */
  offsets(node: JsonNode): [number, number] {
    this.span(node);
    return [this.s0, this.s1];
  }

  range(node: JsonNode): SourceRange {
    this.span(node);
    return this.map.range(this.s0, this.s1);
  }

  loc(node: JsonNode): SourceLocation {
    return { file: this.file, range: this.range(node) };
  }

  abstract type(node: JsonNode | undefined): JsonType | undefined;

  /** The property node (`"Key": value`) of an object. */
  abstract propNode(obj: JsonNode | undefined, key: string): JsonNode | undefined;

  /** The value of a property of an object. */
  abstract prop(obj: JsonNode | undefined, key: string): JsonNode | undefined;

  /** Does the object have this key (whatever its value, null included)? */
  has(obj: JsonNode | undefined, key: string): boolean {
    return this.propNode(obj, key) !== undefined;
  }

  /** The keys of an object in source order. */
  abstract keys(obj: JsonNode | undefined): string[];

  /** The members of an object in source order, as key and value. */
  abstract entries(obj: JsonNode | undefined): [string, JsonNode][];

  /** The members of an object or items of an array with their offsets (for trees that keep every offset). */
  abstract slots(node: JsonNode | undefined): JsonSlot[];

  /** The value of a property of an object (`value(prop(obj, key))` without a handle). */
  abstract get(obj: JsonNode | undefined, key: string): unknown;

  abstract str(obj: JsonNode | undefined, key: string): string | undefined;
  abstract num(obj: JsonNode | undefined, key: string): number | undefined;
  abstract bool(obj: JsonNode | undefined, key: string): boolean | undefined;

  /** Items of an array-valued property (or of the node itself when it is an array). */
  abstract items(node: JsonNode | undefined, key?: string): JsonNode[];

  objects(node: JsonNode | undefined, key?: string): JsonNode[] {
    return this.items(node, key).filter((n) => this.type(n) === 'object');
  }

  strings(node: JsonNode | undefined, key?: string): string[] {
    const out: string[] = [];
    for (const n of this.items(node, key)) if (this.type(n) === 'string') out.push(this.value(n) as string);
    return out;
  }

  /** The plain JS value of a node, as JSON.parse gives it (do not modify: it may be shared). */
  abstract value(node: JsonNode | undefined): unknown;

  /** Location of `"key": value` when present, else of the first property, else of the whole object: short and precise for squiggles. */
  keyLoc(obj: JsonNode, key: string): SourceLocation {
    return this.loc(this.propNode(obj, key) ?? this.firstProp(obj) ?? obj);
  }

  protected abstract firstProp(obj: JsonNode): JsonNode | undefined;

  /** Value ranges of the listed top-level properties, for quick fixes. */
  abstract attrs(obj: JsonNode, keys: string[]): Record<string, SourceRange> | undefined;
}

// ---------------------------------------------------------------------------------------------
// The tree path: jsonc-parser nodes are the handles.

function asTree(n: JsonNode | undefined): Node | undefined {
  return n as unknown as Node | undefined;
}

function asHandle(n: Node | undefined): JsonNode | undefined {
  return n as unknown as JsonNode | undefined;
}

class TreeDoc extends JsonDoc {
  readonly fast = false;
  readonly root: JsonNode | undefined;

  constructor(file: string, text: string) {
    super(file, text);
    const errors: ParseError[] = [];
    let root: Node | undefined;
    try {
      root = parseTree(text, errors);
    } catch (e) {
      // Pathological nesting can exhaust the stack; report it instead of throwing.
      errors.length = 0;
      this.diagnostics.push(this.diag('syntax-error', 'error', `JSON could not be parsed: ${(e as Error).message}`, 0, 0));
    }
    this.root = asHandle(root);
    for (const e of errors.slice(0, 20)) {
      this.diagnostics.push(this.diag('syntax-error', 'error', `JSON syntax error: ${e.message}`, e.offset, e.offset + e.length));
    }
  }

  protected span(node: JsonNode): void {
    const n = asTree(node)!;
    this.s0 = n.offset;
    this.s1 = n.offset + n.length;
  }

  type(node: JsonNode | undefined): JsonType | undefined {
    return asTree(node)?.type;
  }

  private propOf(o: Node | undefined, key: string): Node | undefined {
    if (!o || o.type !== 'object' || !o.children) return undefined;
    for (const p of o.children) {
      const k = p.children?.[0];
      if (k && k.value === key) return p;
    }
    return undefined;
  }

  propNode(obj: JsonNode | undefined, key: string): JsonNode | undefined {
    return asHandle(this.propOf(asTree(obj), key));
  }

  prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
    return asHandle(this.propOf(asTree(obj), key)?.children?.[1]);
  }

  keys(obj: JsonNode | undefined): string[] {
    const o = asTree(obj);
    if (!o || o.type !== 'object' || !o.children) return [];
    return o.children.map((p) => String(p.children?.[0]?.value ?? ''));
  }

  entries(obj: JsonNode | undefined): [string, JsonNode][] {
    const o = asTree(obj);
    if (!o || o.type !== 'object' || !o.children) return [];
    const out: [string, JsonNode][] = [];
    for (const p of o.children) {
      const k = p.children?.[0];
      const v = p.children?.[1];
      if (k && v) out.push([String(k.value), asHandle(v)!]);
    }
    return out;
  }

  slots(node: JsonNode | undefined): JsonSlot[] {
    const n = asTree(node);
    if (!n || !n.children || (n.type !== 'object' && n.type !== 'array')) return [];
    const out: JsonSlot[] = [];
    for (const c of n.children) {
      if (n.type === 'array') {
        out.push({ key: undefined, keyStart: -1, keyEnd: -1, value: asHandle(c), start: c.offset, end: c.offset + c.length });
        continue;
      }
      const k = c.children?.[0];
      if (!k) continue;
      const v = c.children?.[1];
      const keyEnd = k.offset + k.length;
      out.push({
        key: String(k.value),
        keyStart: k.offset,
        keyEnd,
        value: asHandle(v),
        start: v ? v.offset : keyEnd,
        end: v ? v.offset + v.length : keyEnd,
      });
    }
    return out;
  }

  get(obj: JsonNode | undefined, key: string): unknown {
    return this.value(this.prop(obj, key));
  }

  private scalar(obj: JsonNode | undefined, key: string): Node | undefined {
    return this.propOf(asTree(obj), key)?.children?.[1];
  }

  str(obj: JsonNode | undefined, key: string): string | undefined {
    const v = this.scalar(obj, key);
    return v && v.type === 'string' ? (v.value as string) : undefined;
  }

  num(obj: JsonNode | undefined, key: string): number | undefined {
    const v = this.scalar(obj, key);
    if (v?.type === 'number') return v.value as number;
    if (v?.type === 'string' && /^-?\d+$/.test(v.value as string)) return Number(v.value);
    return undefined;
  }

  bool(obj: JsonNode | undefined, key: string): boolean | undefined {
    const v = this.scalar(obj, key);
    if (v?.type === 'boolean') return v.value as boolean;
    if (v?.type === 'string' && /^(true|false)$/i.test(v.value as string)) return /^true$/i.test(v.value as string);
    return undefined;
  }

  items(node: JsonNode | undefined, key?: string): JsonNode[] {
    const arr = key === undefined ? asTree(node) : this.scalar(node, key);
    return arr && arr.type === 'array' && arr.children ? (arr.children as unknown as JsonNode[]) : [];
  }

  value(node: JsonNode | undefined): unknown {
    const n = asTree(node);
    if (!n) return undefined;
    try {
      return plainValue(n);
    } catch {
      return undefined;
    }
  }

  protected firstProp(obj: JsonNode): JsonNode | undefined {
    return asHandle(asTree(obj)?.children?.[0]);
  }

  attrs(obj: JsonNode, keys: string[]): Record<string, SourceRange> | undefined {
    const out: Record<string, SourceRange> = {};
    for (const k of keys) {
      const v = this.prop(obj, k);
      if (v) out[k] = this.range(v);
    }
    return Object.keys(out).length ? out : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The value path: JSON.parse values, container offsets from one scan, the rest on demand.

/**
 * A handle: the value, its container ordinal (-1 for a scalar), the ordinal of the container it is
 * in (-1 for the root) and its key or index there. `prop` marks a `"key": value` property handle.
 */
class VNode {
  constructor(
    readonly v: unknown,
    readonly c: number,
    readonly p: number,
    readonly k: string | number,
    readonly prop: boolean,
  ) {}
}

function vn(n: JsonNode | undefined): VNode | undefined {
  return n as unknown as VNode | undefined;
}

function asVHandle(n: VNode): JsonNode {
  return n as unknown as JsonNode;
}

type Obj = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/** An own member of a JSON.parse object: JSON values are never undefined or functions, inherited members are. */
function own(o: Obj, key: string): unknown {
  const v = o[key];
  if (v === undefined || typeof v === 'function') return undefined;
  if (key === '__proto__' && !hasOwn.call(o, key)) return undefined;
  return v;
}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** A key JS orders before the others (a canonical array index), which breaks source order. */
function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < 4294967295;
}

/** Counts the containers and object members of a value, and notes keys JS would reorder. */
class Census {
  containers = 0;
  members = 0;
  reordered = false;

  visit(v: object): void {
    this.containers++;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) this.visit(x);
      }
      return;
    }
    const o = v as Obj;
    for (const k in o) {
      this.members++;
      if (isIndexKey(k)) this.reordered = true;
      const x = o[k];
      if (typeof x === 'object' && x !== null) this.visit(x);
    }
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Offset just after the string that starts (with its quote) at i. */
function stringEnd(t: string, i: number): number {
  let j = t.indexOf('"', i + 1);
  for (;;) {
    let k = j - 1;
    while (t.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j + 1;
    j = t.indexOf('"', j + 1);
  }
}

/** Is the JSON string at [a, b) (quotes included) the key? Escapes only make the source longer than the value. */
function keyIs(t: string, a: number, b: number, key: string): boolean {
  const len = b - a - 2;
  if (len === key.length) return t.startsWith(key, a + 1) && (key.indexOf('\\') < 0 || JSON.parse(t.slice(a, b)) === key);
  if (len < key.length) return false;
  for (let j = a + 1; j < b - 1; j++) if (t.charCodeAt(j) === 92) return JSON.parse(t.slice(a, b)) === key;
  return false;
}

/** Walks the top level of one container of a ValueDoc: one member (or item) per `next()`. */
class Cursor {
  /** Key offsets (object members; -1 for array items), value offsets, value container ordinal or -1, item index. */
  keyStart = -1;
  keyEnd = -1;
  valStart = 0;
  valEnd = 0;
  ord = -1;
  index = -1;
  private i: number;
  private cur: number;
  private readonly last: number;
  private readonly isObj: boolean;

  constructor(
    private readonly t: string,
    private readonly tab: ContainerTable,
    c: number,
  ) {
    this.i = tab.start[c] + 1;
    this.cur = c + 1;
    this.last = tab.end[c] - 1;
    this.isObj = t.charCodeAt(tab.start[c]) === 123;
  }

  next(): boolean {
    const t = this.t;
    let i = this.i;
    while (isWs(t.charCodeAt(i))) i++;
    if (t.charCodeAt(i) === 44) {
      i++;
      while (isWs(t.charCodeAt(i))) i++;
    }
    if (i >= this.last) return false;
    this.index++;
    if (this.isObj) {
      this.keyStart = i;
      i = this.keyEnd = stringEnd(t, i);
      while (t.charCodeAt(i) !== 58) i++;
      i++;
      while (isWs(t.charCodeAt(i))) i++;
    }
    this.valStart = i;
    const c = t.charCodeAt(i);
    if (c === 123 || c === 91) {
      this.ord = this.cur;
      this.valEnd = this.tab.end[this.cur];
      this.cur = this.tab.next[this.cur];
    } else {
      this.ord = -1;
      if (c === 34) i = stringEnd(t, i);
      else {
        while (i < this.last) {
          const d = t.charCodeAt(i);
          if (d === 44 || d === 125 || d === 93 || isWs(d)) break;
          i++;
        }
      }
      this.valEnd = i;
    }
    this.i = this.valEnd;
    return true;
  }

  key(): string {
    const raw = this.t.slice(this.keyStart + 1, this.keyEnd - 1);
    return raw.indexOf('\\') < 0 ? raw : (JSON.parse(this.t.slice(this.keyStart, this.keyEnd)) as string);
  }

  /** Advance to the member with this key (objects) or index (arrays). */
  seek(key: string | number): boolean {
    while (this.next()) {
      if (typeof key === 'number' ? this.index === key : keyIs(this.t, this.keyStart, this.keyEnd, key)) return true;
    }
    return false;
  }
}

class ValueDoc extends JsonDoc {
  readonly fast = true;
  readonly root: JsonNode;

  /** The value path, or undefined when the text needs the tree (not JSON, or ordinals would not match). */
  static tryOpen(file: string, text: string): ValueDoc | undefined {
    try {
      const value: unknown = JSON.parse(text);
      if (!isContainer(value)) return undefined;
      const tab = scanContainers(text);
      if (!tab) return undefined;
      const census = new Census();
      census.visit(value);
      if (census.reordered || census.containers !== tab.count || census.members !== tab.members) return undefined;
      return new ValueDoc(file, text, value, tab);
    } catch {
      return undefined;
    }
  }

  private constructor(
    file: string,
    text: string,
    value: object,
    private readonly tab: ContainerTable,
  ) {
    super(file, text);
    this.root = asVHandle(new VNode(value, 0, -1, 0, false));
  }

  /** A container's handle's object, or undefined for arrays, scalars and properties. */
  private obj(n: VNode | undefined): Obj | undefined {
    if (!n || n.prop || n.c < 0 || Array.isArray(n.v)) return undefined;
    return n.v as Obj;
  }

  /** The ordinal of a member's container value: the containers before it in the object are skipped. */
  private ordinalOf(parent: VNode, key: string): number {
    let cur = parent.c + 1;
    const o = parent.v as Obj;
    for (const k in o) {
      if (k === key) return cur;
      if (isContainer(o[k])) cur = this.tab.next[cur];
    }
    return -1;
  }

  private child(parent: VNode, key: string, v: unknown): VNode {
    return new VNode(v, isContainer(v) ? this.ordinalOf(parent, key) : -1, parent.c, key, false);
  }

  protected span(node: JsonNode): void {
    const n = vn(node)!;
    if (!n.prop && n.c >= 0) {
      this.s0 = this.tab.start[n.c];
      this.s1 = this.tab.end[n.c];
      return;
    }
    const cur = new Cursor(this.text, this.tab, n.p);
    if (!cur.seek(n.k)) throw new Error(`JSON member ${String(n.k)} not found`);
    this.s0 = n.prop ? cur.keyStart : cur.valStart;
    this.s1 = cur.valEnd;
  }

  type(node: JsonNode | undefined): JsonType | undefined {
    const n = vn(node);
    if (!n) return undefined;
    if (n.prop) return 'property';
    const v = n.v;
    switch (typeof v) {
      case 'string':
        return 'string';
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      default:
        return v === null ? 'null' : Array.isArray(v) ? 'array' : 'object';
    }
  }

  propNode(obj: JsonNode | undefined, key: string): JsonNode | undefined {
    const n = vn(obj);
    const o = this.obj(n);
    if (!o) return undefined;
    const v = own(o, key);
    return v === undefined ? undefined : asVHandle(new VNode(v, -1, n!.c, key, true));
  }

  prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
    const n = vn(obj);
    const o = this.obj(n);
    if (!o) return undefined;
    const v = own(o, key);
    return v === undefined ? undefined : asVHandle(this.child(n!, key, v));
  }

  override has(obj: JsonNode | undefined, key: string): boolean {
    const o = this.obj(vn(obj));
    return o !== undefined && own(o, key) !== undefined;
  }

  keys(obj: JsonNode | undefined): string[] {
    const o = this.obj(vn(obj));
    return o ? Object.keys(o) : [];
  }

  entries(obj: JsonNode | undefined): [string, JsonNode][] {
    const n = vn(obj);
    const o = this.obj(n);
    if (!o) return [];
    const out: [string, JsonNode][] = [];
    let cur = n!.c + 1;
    for (const k in o) {
      const v = o[k];
      if (isContainer(v)) {
        out.push([k, asVHandle(new VNode(v, cur, n!.c, k, false))]);
        cur = this.tab.next[cur];
      } else out.push([k, asVHandle(new VNode(v, -1, n!.c, k, false))]);
    }
    return out;
  }

  slots(node: JsonNode | undefined): JsonSlot[] {
    const n = vn(node);
    if (!n || n.prop || n.c < 0) return [];
    const out: JsonSlot[] = [];
    const cur = new Cursor(this.text, this.tab, n.c);
    if (Array.isArray(n.v)) {
      const arr = n.v as unknown[];
      while (cur.next())
        out.push({
          key: undefined,
          keyStart: -1,
          keyEnd: -1,
          value: asVHandle(new VNode(arr[cur.index], cur.ord, n.c, cur.index, false)),
          start: cur.valStart,
          end: cur.valEnd,
        });
      return out;
    }
    const o = n.v as Obj;
    while (cur.next()) {
      const key = cur.key();
      out.push({
        key,
        keyStart: cur.keyStart,
        keyEnd: cur.keyEnd,
        value: asVHandle(new VNode(o[key], cur.ord, n.c, key, false)),
        start: cur.valStart,
        end: cur.valEnd,
      });
    }
    return out;
  }

  get(obj: JsonNode | undefined, key: string): unknown {
    return this.raw(obj, key);
  }

  private raw(obj: JsonNode | undefined, key: string): unknown {
    const o = this.obj(vn(obj));
    return o ? own(o, key) : undefined;
  }

  str(obj: JsonNode | undefined, key: string): string | undefined {
    const v = this.raw(obj, key);
    return typeof v === 'string' ? v : undefined;
  }

  num(obj: JsonNode | undefined, key: string): number | undefined {
    const v = this.raw(obj, key);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    return undefined;
  }

  bool(obj: JsonNode | undefined, key: string): boolean | undefined {
    const v = this.raw(obj, key);
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return /^true$/i.test(v);
    return undefined;
  }

  /** The array handle itself, or of a property's value; its items with their ordinals. */
  private arrayItems(node: JsonNode | undefined, key: string | undefined, onlyObjects: boolean): JsonNode[] {
    let n = vn(node);
    if (key !== undefined) {
      const o = this.obj(n);
      if (!o) return [];
      const v = own(o, key);
      if (!Array.isArray(v)) return [];
      n = new VNode(v, this.ordinalOf(n!, key), n!.c, key, false);
    }
    if (!n || n.prop || !Array.isArray(n.v)) return [];
    const arr = n.v as unknown[];
    const out: JsonNode[] = [];
    let cur = n.c + 1;
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (isContainer(v)) {
        if (!onlyObjects || !Array.isArray(v)) out.push(asVHandle(new VNode(v, cur, n.c, i, false)));
        cur = this.tab.next[cur];
      } else if (!onlyObjects) out.push(asVHandle(new VNode(v, -1, n.c, i, false)));
    }
    return out;
  }

  items(node: JsonNode | undefined, key?: string): JsonNode[] {
    return this.arrayItems(node, key, false);
  }

  override objects(node: JsonNode | undefined, key?: string): JsonNode[] {
    return this.arrayItems(node, key, true);
  }

  override strings(node: JsonNode | undefined, key?: string): string[] {
    const n = vn(node);
    const arr = key === undefined ? (n && !n.prop ? n.v : undefined) : this.raw(node, key);
    if (!Array.isArray(arr)) return [];
    const out: string[] = [];
    for (const v of arr) if (typeof v === 'string') out.push(v);
    return out;
  }

  value(node: JsonNode | undefined): unknown {
    const n = vn(node);
    return n && !n.prop ? n.v : undefined;
  }

  protected firstProp(obj: JsonNode): JsonNode | undefined {
    const n = vn(obj)!;
    const o = this.obj(n);
    if (!o) return undefined;
    for (const k in o) return asVHandle(new VNode(o[k], -1, n.c, k, true));
    return undefined;
  }

  override keyLoc(obj: JsonNode, key: string): SourceLocation {
    const n = vn(obj)!;
    const o = this.obj(n);
    if (o) {
      const cur = new Cursor(this.text, this.tab, n.c);
      if (own(o, key) !== undefined ? cur.seek(key) : cur.next())
        return { file: this.file, range: this.map.range(cur.keyStart, cur.valEnd) };
    }
    return this.loc(obj);
  }

  attrs(obj: JsonNode, keys: string[]): Record<string, SourceRange> | undefined {
    const n = vn(obj)!;
    const o = this.obj(n);
    if (!o) return undefined;
    let out: Record<string, SourceRange> | undefined;
    if (keys.length <= 4) {
      // A few keys: one short scan each, nothing to set up.
      for (const k of keys) {
        if (own(o, k) === undefined) continue;
        const cur = new Cursor(this.text, this.tab, n.c);
        if (cur.seek(k)) (out ??= {})[k] = this.map.range(cur.valStart, cur.valEnd);
      }
      return out && Object.keys(out).length ? out : undefined;
    }
    const want = new Set(keys.filter((k) => own(o, k) !== undefined));
    if (!want.size) return undefined;
    const found = new Map<string, SourceRange>();
    const cur = new Cursor(this.text, this.tab, n.c);
    while (found.size < want.size && cur.next()) {
      const k = cur.key();
      if (want.has(k) && !found.has(k)) found.set(k, this.map.range(cur.valStart, cur.valEnd));
    }
    out = {};
    for (const k of keys) {
      const r = found.get(k);
      if (r) out[k] = r;
    }
    return Object.keys(out).length ? out : undefined;
  }
}

/** AWS style `Tags: [{Key, Value}]` to a record. */
export function awsTags(doc: JsonDoc, obj: JsonNode): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  let any = false;
  // describe-network-interfaces prints an interface's tags as TagSet.
  for (const t of doc.has(obj, 'Tags') ? doc.objects(obj, 'Tags') : doc.objects(obj, 'TagSet')) {
    const k = doc.str(t, 'Key');
    const v = doc.str(t, 'Value');
    if (k !== undefined) {
      tags[k] = v ?? '';
      any = true;
    }
  }
  return any ? tags : undefined;
}

export interface JsonInput {
  format: InputFormat;
  /** The JSON type the top level must have. */
  top: 'object' | 'array';
  /** Used in messages: "<what> must be a JSON object" / "<what> could not be read". */
  what: string;
  /** Where the content really starts (e.g. an API envelope around the payload). */
  unwrap?: (doc: JsonDoc, root: JsonNode | undefined) => JsonNode | undefined;
}

/**
 * The shared frame of every JSON parser: one parse (taken over from detection), a located
 * `unknown-shape` warning for a top level of the wrong type, and a bug in `read` reported at the
 * file start instead of thrown, so it never takes the workspace down.
 */
export function readJsonInput(
  file: string,
  text: string,
  input: JsonInput,
  read: (doc: JsonDoc, root: JsonNode, out: ModelFragment) => void,
): ModelFragment {
  const doc = JsonDoc.take(file, text);
  const out: ModelFragment = { file, format: input.format, elements: [], diagnostics: doc.diagnostics };
  const root = input.unwrap ? input.unwrap(doc, doc.root) : doc.root;
  if (!root) return out;
  if (doc.type(root) !== input.top) {
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
