// The Terraform built-in functions the static evaluator knows. Every function is pure; anything
// not listed, or called with values it cannot decide, yields Unknown. An unknown argument gives
// an unknown result (never an error); known arguments Terraform would reject give a failed
// Unknown (what try() skips and can() reports as false).
import { parse as parseYaml } from 'yaml';
import { cidrSubnet, parseCidr, formatIp } from '../../model/cidr';
import { quoted } from '../../model/where';
import { BUDGET_EXCEEDED, chargeBudget, valueCost } from './budget';
import { EndpointZones, zoneLookup } from './zoneKeys';
import type { LineMap } from '../locate';
import {
  RefVal,
  Unknown,
  asBool,
  asNumber,
  asString,
  anyConditional,
  cidrLength,
  conditionalAt,
  conditionalName,
  markCertain,
  markConditionalKeys,
  failure,
  keyString,
  type ListElement,
  partialList,
  type Bounds,
  partialString,
  placeholderOf,
  unknownFrom,
  unorderedAt,
  isUnordered,
  markUnordered,
  markSet,
  isSet,
  type Value,
} from './values';

/** A file the configuration reads as text (its key and lines, for locating what is read in it), or why it is not read. */
export type TextRead = { file: string; text: string; lines: LineMap } | { file?: string; why: string; absent?: true };

/** The configuration's files as `file()` reads them: the module evaluating the call resolves the path. */
export interface TextFiles {
  readText(path: string): TextRead;
}

/** `assume` states a shape assumption once (an info diagnostic at the call); `files` reads the configuration's files. */
type Fn = (args: Value[], text: string, assume: (message: string) => void, files: TextFiles | undefined) => Value;

function unknownIn(args: Value[]): Unknown | undefined {
  for (const a of args) if (a instanceof Unknown) return a;
  return undefined;
}

/** A resource's id or ARN (`aws_vpc.this.id`), set whenever the resource exists; not a data source's attribute. */
function isIdentity(v: RefVal): boolean {
  return v.path.length === 1 && (v.path[0] === 'id' || v.path[0] === 'arn') && !/(^|\.)data\./.test(v.address);
}

/** The result when the arguments do not fit: unknown if one is unknown, else a failure. */
function notKnown(text: string, args: Value[], what: string): Unknown {
  const u = unknownIn(args);
  if (u) return unknownFrom(text, u);
  if (args.some((a) => a instanceof RefVal)) return new Unknown(text, `${what} of a value known only after apply`);
  return failure(text, `${what}: unsupported arguments`);
}

/** An unknown (or apply-time) value anywhere inside v, for functions that need every element. */
function unknownInside(v: Value, text: string): Unknown | undefined {
  if (v instanceof Unknown) return unknownFrom(text, v);
  if (v instanceof RefVal) return new Unknown(text, `${v.address}${v.path.length ? '.' + v.path.join('.') : ''} is known only after apply`);
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = unknownInside(x, text);
      if (u) return u;
    }
  } else if (v instanceof Map) {
    for (const x of v.values()) {
      const u = unknownInside(x, text);
      if (u) return u;
    }
  }
  return undefined;
}

function num(v: Value): number | undefined {
  return asNumber(v);
}

function int(v: Value): number | undefined {
  const n = asNumber(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function list(v: Value): Value[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function strs(v: Value): string[] | undefined {
  const l = list(v);
  if (!l) return undefined;
  const out: string[] = [];
  for (const x of l) {
    const s = asString(x);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/**
 * A hash key for set membership, undefined when the value cannot be compared offline (an
 * unknown without a placeholder, a resource object). Equal keys <=> valuesEqual.
 */
function setKey(v: Value): string | undefined {
  if (v === null) return 'n';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number') return 'd' + v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  // A placeholder is the same set member as its own name (each.key of a for_each over it).
  const p = placeholderOf(v);
  if (p !== undefined) return 's' + p;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const k = setKey(x);
      if (k === undefined) return undefined;
      parts.push(JSON.stringify(k));
    }
    return `[${parts.join(',')}]`;
  }
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const key of [...v.keys()].sort()) {
      const k = setKey(v.get(key) as Value);
      if (k === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(k)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (v instanceof RefVal) return `r${JSON.stringify([v.address, ...v.path])}`;
  return undefined;
}

/** Distinct values in first-seen order, by hash; undefined when one cannot be compared. */
function distinct(values: Value[]): Value[] | undefined {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of values) {
    const k = setKey(v);
    if (k === undefined) return undefined;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

/**
 * A set as Terraform iterates it: distinct, strings in lexical order, numbers in numeric order;
 * mixed primitives are unified to strings (`toset(["a", 3])` is `["3", "a"]`).
 */
function toSet(values: Value[]): Value[] | undefined {
  const d = distinct(values);
  if (!d) return undefined;
  if (d.every((x) => typeof x === 'number')) return d.sort((a, b) => a - b);
  if (d.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
    const s = distinct(d.map((x) => asString(x) as string)) as string[];
    return s.sort(lexical);
  }
  // Placeholders keep their order (their names sort by index only below ten).
  return d;
}

/** `values` as the Terraform set they convert to (marked a set), or undefined when an element is not known. */
export function asSet(values: Value[]): Value[] | undefined {
  if (isSet(values)) return values;
  const set = toSet(values);
  return set && markSet(set);
}

function lexical(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedKeys(m: Map<string, Value>): string[] {
  return [...m.keys()].sort(lexical);
}

/** One `%` verb of Terraform's format(): flags, width, precision and the verbs s d f v q t x X o b e %. */
function formatVerb(verb: string, flags: string, width: number | undefined, prec: number | undefined, a: Value): string | undefined {
  let out: string;
  switch (verb) {
    case 's':
    case 'v': {
      if (verb === 'v' && (Array.isArray(a) || a instanceof Map)) return jsonEncode(a);
      const s = asString(a);
      if (s === undefined) return undefined;
      out = prec !== undefined ? [...s].slice(0, prec).join('') : s;
      break;
    }
    case 'q': {
      const s = asString(a);
      if (s === undefined) return undefined;
      out = JSON.stringify(s);
      break;
    }
    case 't': {
      const b = asBool(a);
      if (b === undefined) return undefined;
      out = String(b);
      break;
    }
    case 'd':
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const n = int(a);
      if (n === undefined) return undefined;
      const radix = verb === 'd' ? 10 : verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      out = Math.abs(n).toString(radix);
      if (verb === 'X') out = out.toUpperCase();
      if (n < 0) out = '-' + out;
      else if (flags.includes('+')) out = '+' + out;
      else if (flags.includes(' ')) out = ' ' + out;
      break;
    }
    case 'f':
    case 'e': {
      const n = num(a);
      if (n === undefined) return undefined;
      out = verb === 'f' ? n.toFixed(prec ?? 6) : n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (n >= 0 && flags.includes('+')) out = '+' + out;
      break;
    }
    default:
      return undefined;
  }
  if (width !== undefined && out.length < width) {
    if (flags.includes('-')) out = out.padEnd(width, ' ');
    else if (flags.includes('0') && verb !== 's' && verb !== 'q' && verb !== 'v') {
      const sign = /^[-+ ]/.test(out) ? out[0] : '';
      out = sign + out.slice(sign.length).padStart(width - sign.length, '0');
    } else out = out.padStart(width, ' ');
  }
  return out;
}

/** Terraform's format(); undefined when a verb or argument is not supported here. */
function format(fmt: string, args: Value[]): string | undefined {
  const pieces = formatPieces(fmt, args, false);
  return pieces?.length === 1 && typeof pieces[0] === 'string' ? pieces[0] : undefined;
}

/**
 * format() as pieces: with `partial`, an unknown argument of a plain `%s`/`%v` is a piece of its own (the known
 * text around it is still known: partialString); undefined when a verb or argument is not supported here.
 */
function formatPieces(fmt: string, args: Value[], partial: boolean): (string | Unknown | RefVal)[] | undefined {
  const pieces: (string | Unknown | RefVal)[] = [];
  let out = '';
  let ai = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    if (fmt[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^([-+ #0]*)(\d+)?(?:\.(\d+))?([a-zA-Z])/.exec(fmt.slice(i + 1));
    if (!m || m[1].includes('#')) return undefined;
    const a = args[ai++];
    if (a === undefined) return undefined;
    if (partial && (a instanceof Unknown || a instanceof RefVal) && (m[4] === 's' || m[4] === 'v') && m[0].length === 1) {
      pieces.push(out, a);
      out = '';
      i += m[0].length;
      continue;
    }
    const s = formatVerb(m[4], m[1], m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3]), a);
    if (s === undefined) return undefined;
    out += s;
    i += m[0].length;
  }
  pieces.push(out);
  return ai === args.length ? pieces : undefined;
}

/** Terraform's jsonencode: object keys sorted, `<` `>` `&` escaped as Go does. */
function jsonEncode(v: Value): string | undefined {
  const conv = (x: Value): unknown => {
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
    if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
    if (Array.isArray(x)) return x.map(conv);
    if (x instanceof Map) {
      const o: Record<string, unknown> = {};
      for (const k of sortedKeys(x)) o[k] = conv(x.get(k) as Value);
      return o;
    }
    throw new Error('not encodable');
  };
  try {
    return JSON.stringify(conv(v))
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  } catch {
    return undefined;
  }
}

/** A string as jsonencode writes it inside quotes: JSON escapes, then `<` `>` `&` and U+2028/9 as Go does. */
function jsonEscape(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * jsonencode of a value that holds unknowns: the JSON text around them is known, and a string known in part
 * (Unknown.parts: a template with an unknown piece) is written in quotes with its known runs escaped, so the
 * result is a string known in part (partialString) that certainly contains those runs as JSON. A settings object
 * whose command embeds a script (`jsonencode({ commandToExecute = "echo '${base64encode(file(...))}' | ..." })`)
 * keeps the script's text. Undefined when something in it is not encodable; a failed Unknown fails the whole.
 */
function jsonEncodePartial(v: Value, text: string): Value | undefined {
  const pieces: (string | Unknown | RefVal)[] = [];
  let failed: Unknown | undefined;
  const add = (x: Value): boolean => {
    if (x instanceof Unknown) {
      if (x.failed) {
        failed ??= x;
        return true;
      }
      if (x.parts?.length) pieces.push('"', new Unknown(text, x.reason, false, undefined, undefined, x.parts.map(jsonEscape)), '"');
      else pieces.push(x);
      return true;
    }
    if (x instanceof RefVal) {
      pieces.push(x);
      return true;
    }
    if (Array.isArray(x)) {
      pieces.push('[');
      for (let i = 0; i < x.length; i++) {
        if (i > 0) pieces.push(',');
        if (!add(x[i])) return false;
      }
      pieces.push(']');
      return true;
    }
    if (x instanceof Map) {
      pieces.push('{');
      let first = true;
      for (const k of sortedKeys(x)) {
        pieces.push(`${first ? '' : ','}"${jsonEscape(k)}":`);
        first = false;
        if (!add(x.get(k) as Value)) return false;
      }
      pieces.push('}');
      return true;
    }
    const known = jsonEncode(x);
    if (known === undefined) return false;
    pieces.push(known);
    return true;
  };
  if (!add(v)) return undefined;
  if (failed) return unknownFrom(text, failed);
  return partialString(text, pieces);
}

/** Decoded JSON/YAML data as evaluator values. */
function fromData(x: unknown): Value | undefined {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x === 'bigint') return Number(x);
  if (Array.isArray(x)) {
    const out: Value[] = [];
    for (const e of x) {
      const v = fromData(e);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (x instanceof Map) return fromData(Object.fromEntries(x));
  if (typeof x === 'object') {
    const m = new Map<string, Value>();
    for (const [k, e] of Object.entries(x as Record<string, unknown>)) {
      const v = fromData(e);
      if (v === undefined) return undefined;
      m.set(k, v);
    }
    return m;
  }
  return undefined;
}

/**
 * A Go RE2 pattern as a JavaScript RegExp, or undefined when it uses syntax whose meaning
 * differs (the call then stays Unknown rather than matching differently).
 */
function re2(pattern: string, global: boolean): RegExp | undefined {
  let src = pattern;
  let flags = global ? 'gu' : 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes('U')) return undefined;
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  // Named groups are (?P<name>...) in RE2; inline flags elsewhere, \z, \A, \Q and POSIX classes differ.
  src = src.replace(/\(\?P</g, '(?<');
  if (/\(\?[a-zA-Z-]|\\[zAQCpP]|\[\[:/.test(src)) return undefined;
  try {
    return new RegExp(src, flags);
  } catch {
    return undefined;
  }
}

/** One match as Terraform's regex() returns it: the string, a list of groups, or a map of named groups. */
function matchValue(m: RegExpExecArray): Value {
  if (m.groups && Object.keys(m.groups).length > 0) {
    const out = new Map<string, Value>();
    for (const [k, v] of Object.entries(m.groups)) out.set(k, v ?? '');
    return out;
  }
  if (m.length > 1) return m.slice(1).map((g) => g ?? '');
  return m[0];
}

/** RE2 replacement syntax ($1, ${1}, $name, ${name}, $$) to JavaScript's. */
function re2Replacement(to: string): string {
  return to.replace(/\$(\$|\{(\w+)\}|(\d+)|([A-Za-z_]\w*))/g, (_all, d: string, braced?: string, digits?: string, name?: string) => {
    if (d === '$') return '$$';
    const g = braced ?? digits ?? name ?? '';
    return /^\d+$/.test(g) ? `$${g}` : `$<${g}>`;
  });
}

/**
 * The placeholders of elements [start, end) of an unknown data source list, or undefined. With `certain`
 * (a bound known only to lie from `certain` to `end`), the elements from index `certain` on exist only when
 * the list is that long: their names say so (`<az 2 of data.x if the region has 2>`).
 */
function placeholders(
  u: Unknown,
  start: number,
  end: number,
  text: string,
  assume: (m: string) => void,
  certain = end,
): Value[] | undefined {
  const src = u.source;
  if (!src?.attr || u.failed || end - start > 1000) return undefined;
  const az = src.address.includes('aws_availability_zones.') && (src.attr === 'names' || src.attr === 'zone_ids');
  const what = az ? (src.attr === 'names' ? 'availability zones' : 'availability zone ids') : `elements of ${src.attr}`;
  const from = `${src.address}${az ? '' : '.' + src.attr}`;
  const values = az && src.attr === 'names' ? 'names' : 'values';
  assume(
    certain >= end
      ? `assumed ${end} ${what} from ${from}: the ${values} are not known offline`
      : `assumed ${certain === end - 1 ? `${certain} or ${end}` : `${certain} to ${end}`} ${what} from ${from} (a region has at least one; the ${values} and how many there are are not known offline): what is built for zone ${certain + 1}${end > certain + 1 ? ` to ${end}` : ''} exists only if the region has that many, and is judged only where that does not change the verdict`,
  );
  const out: Value[] = [];
  for (let i = start; i < end; i++) {
    const base = az
      ? `<${src.attr === 'names' ? 'az' : 'az id'} ${i + 1} of ${src.address}>`
      : `<element ${i + 1} of ${src.address}.${src.attr}>`;
    const name = i >= certain ? conditionalName(base, i + 1) : base;
    out.push(new Unknown(text, `${src.address}.${src.attr} is read from the provider`, false, undefined, name));
  }
  return out;
}

/** A provider list whose length is known to be at least 1: a region has at least one availability zone. */
function azList(u: Unknown): boolean {
  const src = u.source;
  return !!src && src.address.includes('aws_availability_zones.') && (src.attr === 'names' || src.attr === 'zone_ids') && !u.failed;
}

/**
 * Attributes every version of a provider's schema gives a data source object: Terraform's length() of the object
 * (a data source without count/for_each, read at apply) counts the attributes of its type, which the provider's
 * schema fixes, so it is known to be at least this many. aws_availability_zones: `id`, `names` and `state` from
 * the data source's first version on.
 */
const DATA_SOURCE_MIN_ATTRIBUTES: Record<string, number> = { aws_availability_zones: 3 };

/** The least attribute count of a whole data source object (no attribute read from it), when known. */
function dataObjectAttributes(u: Unknown): number | undefined {
  const src = u.source;
  if (!src || src.attr !== undefined || u.failed) return undefined;
  const m = /(?:^|[.:])data\.([a-z0-9_]+)\.[A-Za-z0-9_-]+$/.exec(src.address);
  return m ? DATA_SOURCE_MIN_ATTRIBUTES[m[1]] : undefined;
}

/** The length of a list or map some of whose elements exist only conditionally: bounds, or undefined. */
function conditionalLength(v: Value[] | Map<string, Value>): Bounds | undefined {
  if (!anyConditional(v)) return undefined;
  let certain = 0;
  let total = 0;
  const at: (number | string)[] = Array.isArray(v) ? v.map((_, i) => i) : [...v.keys()];
  for (const k of at) {
    total++;
    if (!conditionalAt(v, k)) certain++;
  }
  return certain < total ? { lo: certain, hi: total } : undefined;
}

/** A whole number, or an unknown one with bounds: as bounds. */
function boundsOf(v: Value): Bounds | undefined {
  const n = num(v);
  if (n !== undefined) return { lo: n, hi: n };
  return v instanceof Unknown && v.bounds ? v.bounds : undefined;
}

/** min()/max() where some arguments are unknown numbers with bounds: the bounds of the result, or a number. */
function boundedExtreme(args: Value[], text: string, pick: (...xs: number[]) => number): Value | undefined {
  const b = args.map(boundsOf);
  if (b.length === 0 || b.some((x) => x === undefined)) return undefined;
  const lo = pick(...b.map((x) => x!.lo));
  const hi = pick(...b.map((x) => x!.hi));
  if (lo === hi) return lo;
  const u = args.find((a): a is Unknown => a instanceof Unknown)!;
  return new Unknown(text, u.reason, false, undefined, undefined, undefined, undefined, { lo, hi });
}

/** The element placeholder for `data.x.list[i]`, or undefined when u is no data source list. */
export function placeholderAt(u: Unknown, i: number, text: string): Unknown | undefined {
  if (!Number.isInteger(i) || i < 0) return undefined;
  const p = placeholders(u, i, i + 1, text, () => undefined);
  return p?.[0] as Unknown | undefined;
}

function cidrNetmask(args: Value[], text: string): Value {
  const s = asString(args[0]);
  const c = s !== undefined ? parseCidr(s) : undefined;
  if (!c || c.family !== 4) return notKnown(text, args, 'cidrnetmask');
  const mask = c.prefix === 0 ? 0n : ((1n << BigInt(c.prefix)) - 1n) << BigInt(32 - c.prefix);
  return formatIp(4, mask);
}

/**
 * The elements of a list of known length, or of a list known in part (Unknown.elements), as list elements: strings,
 * unknown (or apply-time) values, `undefined` for maybe some elements; undefined when the list itself is not known
 * or an element is something else (a number, a collection, a failure).
 */
function listElements(l: Value): readonly ListElement[] | undefined {
  if (l instanceof Unknown) return l.failed ? undefined : l.elements;
  if (!Array.isArray(l)) return undefined;
  const out: ListElement[] = [];
  for (const x of l) {
    if (typeof x === 'string' || (x instanceof Unknown && !x.failed) || x instanceof RefVal) out.push(x);
    else return undefined;
  }
  return out;
}

/** The reason a list known in part is not known: its first unknown list, or its first element that may be dropped. */
function listReason(values: readonly (Value | undefined)[]): string {
  for (const v of values) {
    if (v instanceof Unknown) return v.reason;
    if (v instanceof RefVal) return `${v.address}${v.path.length ? '.' + v.path.join('.') : ''} is known only after apply`;
  }
  return 'not known';
}

/**
 * join() over lists of known length whose elements are strings or unknown strings, or over lists known in part:
 * the known elements and separators are kept around the unknown ones (partialString); undefined when a list itself
 * is not known or holds something other than a string. Where a list known in part may have elements, the joined
 * string holds them and one more separator or nothing: `join(",", ["a", <maybe>, "c"])` is "a," then maybe "x,",
 * then "c".
 */
function partialJoin(sep: string, lists: Value[], text: string): Unknown | undefined {
  const pieces: (string | Unknown | RefVal)[] = [];
  let seen = false;
  let gap: Unknown | undefined;
  const gapOf = (l: Value) => new Unknown(text, l instanceof Unknown ? l.reason : 'not known');
  for (const l of lists) {
    const xs = listElements(l);
    if (!xs) return undefined;
    for (const x of xs) {
      if (x === undefined) {
        gap ??= gapOf(l);
        continue;
      }
      if (seen) pieces.push(sep);
      if (gap) pieces.push(gap);
      gap = undefined;
      seen = true;
      pieces.push(x);
    }
  }
  if (!seen) return undefined;
  if (gap) pieces.push(gap);
  return pieces.some((p) => typeof p !== 'string') ? partialString(text, pieces) : undefined;
}

/** A string known in part: its known text is not empty, so compact() keeps it and flatten() takes it as one element. */
function partialText(x: Value): boolean {
  return x instanceof Unknown && !x.failed && !!x.parts?.some((p) => p !== '');
}

/**
 * concat() of lists one of which is known in part (Unknown.elements) and the others of known length: a list known
 * in part; undefined otherwise.
 */
function concatPartial(args: Value[], text: string): Unknown | undefined {
  const out: ListElement[] = [];
  let reason: string | undefined;
  for (const a of args) {
    const xs = listElements(a);
    if (!xs) return undefined;
    if (a instanceof Unknown) reason ??= a.reason;
    for (const x of xs) if (x !== undefined || out[out.length - 1] !== undefined || out.length === 0) out.push(x);
  }
  return reason === undefined ? undefined : partialList(text, reason, out);
}

const FUNCTIONS: Record<string, Fn> = {
  cidrsubnet(args, text) {
    const [base, bits, n] = [asString(args[0]), int(args[1]), int(args[2])];
    if (base === undefined || bits === undefined || n === undefined) {
      // A base whose prefix length is known (`"${x}/16"`, or a known base with an unknown netnum): the subnet's
      // length is too, though not its address.
      const [a, c] = [args[0], args[2]];
      const unknownOk = (x: Value) => x instanceof Unknown && !x.failed;
      if (bits !== undefined && bits >= 0 && (n !== undefined || unknownOk(c)) && (base !== undefined || unknownOk(a))) {
        const known = base !== undefined ? parseCidr(base) : undefined;
        const len = base !== undefined ? known?.prefix : cidrLength(a as Unknown);
        const u = unknownIn([a, c]);
        if (len !== undefined && len + bits <= (known?.family === 4 ? 32 : 128) && u)
          return new Unknown(text, u.reason, false, undefined, undefined, undefined, undefined, undefined, `/${len + bits}`);
      }
      return notKnown(text, args, 'cidrsubnet');
    }
    return cidrSubnet(base, bits, n) ?? failure(text, 'cidrsubnet: arguments out of range');
  },
  cidrhost(args, text) {
    const [base, n] = [asString(args[0]), int(args[1])];
    if (base === undefined || n === undefined) return notKnown(text, args, 'cidrhost');
    const c = parseCidr(base);
    if (!c) return failure(text, 'cidrhost: invalid prefix');
    // A negative host number counts back from the end of the range.
    const size = 1n << BigInt((c.family === 4 ? 32 : 128) - c.prefix);
    const h = n < 0 ? size + BigInt(n) : BigInt(n);
    if (h < 0n || h >= size) return failure(text, 'cidrhost: host number out of range');
    return formatIp(c.family, c.network + h);
  },
  cidrnetmask: cidrNetmask,
  cidrsubnets(args, text) {
    const base = asString(args[0]);
    const bits = args.slice(1).map(int);
    if (base === undefined || bits.some((b) => b === undefined)) return notKnown(text, args, 'cidrsubnets');
    const c = parseCidr(base);
    if (!c) return failure(text, 'cidrsubnets: invalid prefix');
    // Consecutive blocks, each aligned to its own size (Terraform's algorithm).
    const total = c.family === 4 ? 32 : 128;
    let next = c.network;
    const end = c.network + (1n << BigInt(total - c.prefix));
    const out: Value[] = [];
    for (const b of bits as number[]) {
      const plen = c.prefix + b;
      if (b < 1 || plen > total) return failure(text, 'cidrsubnets: invalid newbits');
      const size = 1n << BigInt(total - plen);
      if (next % size !== 0n) next = (next / size + 1n) * size;
      if (next + size > end) return failure(text, 'cidrsubnets: not enough space');
      out.push(`${formatIp(c.family, next)}/${plen}`);
      next += size;
    }
    return out;
  },
  concat(args, text) {
    const out: Value[] = [];
    let unordered = false;
    for (const a of args) {
      const l = list(a);
      if (!l) return concatPartial(args, text) ?? notKnown(text, args, 'concat');
      if (isUnordered(l) && l.length > 1) unordered = true;
      for (const x of l) out.push(x);
    }
    // A position of a list holding a set's elements is one of them, not the one written at it (review s15 R13).
    return unordered ? markUnordered(out) : out;
  },
  merge(args, text) {
    const out = new Map<string, Value>();
    for (const a of args) {
      if (a === null) continue;
      if (!(a instanceof Map)) return notKnown(text, args, 'merge');
      for (const [k, v] of a) out.set(k, v);
    }
    return out;
  },
  lookup(args, text) {
    const [m, k, d] = args;
    // A placeholder element keys a map by its name (for_each over zone placeholders).
    const key = keyString(k);
    if (m instanceof EndpointZones && key !== undefined && d === undefined)
      return m.at(key, text) ?? failure(text, `lookup: no key ${quoted(key)}`);
    if (!(m instanceof Map) || key === undefined) return notKnown(text, args, 'lookup');
    if (m.has(key)) return m.get(key) as Value;
    // Zones not named offline on either side: an entry that may be it, and with a default, maybe the default.
    const z = zoneLookup(m, key, text);
    if (z !== undefined) return d === undefined ? z : new Unknown(text, `whether the map has the zone ${key} is not known offline`);
    // A placeholder's real name might be one of the map's written keys.
    if (k instanceof Unknown) return unknownFrom(text, k);
    return d !== undefined ? d : failure(text, `lookup: no key ${quoted(key)}`);
  },
  element(args, text) {
    const l = list(args[0]);
    const i = int(args[1]);
    if (!l || i === undefined) {
      if (args[0] instanceof Unknown && i !== undefined) return placeholderAt(args[0], i, text) ?? unknownFrom(text, args[0]);
      return notKnown(text, args, 'element');
    }
    if (l.length === 0 || i < 0) return failure(text, 'element: empty list or negative index');
    // Wrapping around a list whose length is not known (some elements exist only conditionally) is not decided.
    const cl = conditionalLength(l);
    if (cl && i >= cl.lo) return new Unknown(text, 'how many availability zones the region has is not known offline');
    return unorderedAt(l, i % l.length, text) ?? l[i % l.length];
  },
  index(args, text) {
    const l = list(args[0]);
    if (!l) return notKnown(text, args, 'index');
    const k = setKey(args[1]);
    if (k === undefined) return notKnown(text, args, 'index');
    for (let i = 0; i < l.length; i++) {
      const x = setKey(l[i]);
      if (x === k) return i;
      if (x === undefined) return unknownInside(l[i], text) ?? notKnown(text, args, 'index');
    }
    return failure(text, 'index: value not found');
  },
  length(args, text) {
    const v = args[0];
    if (Array.isArray(v) || v instanceof Map) {
      const b = conditionalLength(v);
      if (b)
        return new Unknown(
          text,
          'how many availability zones the region has is not known offline',
          false,
          undefined,
          undefined,
          undefined,
          undefined,
          b,
        );
      return Array.isArray(v) ? v.length : v.size;
    }
    if (v instanceof Unknown && azList(v))
      return new Unknown(text, v.reason, false, undefined, undefined, undefined, undefined, { lo: 1, hi: Infinity });
    const attrs = v instanceof Unknown ? dataObjectAttributes(v) : undefined;
    if (attrs !== undefined)
      return new Unknown(
        text,
        `length() of a whole data source object is the number of attributes in the provider's schema (at least ${attrs} in every version of it), not known offline exactly`,
        false,
        undefined,
        undefined,
        undefined,
        undefined,
        { lo: attrs, hi: Infinity },
      );
    if (typeof v === 'string') return [...v].length;
    return notKnown(text, args, 'length');
  },
  keys(args, text) {
    const m = args[0];
    if (!(m instanceof Map)) return notKnown(text, args, 'keys');
    const out = sortedKeys(m);
    return conditionalLength(m) ? markCertain(out, out.filter((k) => !conditionalAt(m, k)).length) : out;
  },
  values(args, text) {
    const m = args[0];
    if (!(m instanceof Map)) return notKnown(text, args, 'values');
    const ks = sortedKeys(m);
    const out = ks.map((k) => m.get(k) as Value);
    return conditionalLength(m) ? markCertain(out, ks.filter((k) => !conditionalAt(m, k)).length) : out;
  },
  tolist(args, text) {
    const a = args[0];
    return Array.isArray(a) || (a instanceof Unknown && a.elements) ? a : notKnown(text, args, 'tolist');
  },
  toset(args, text) {
    const l = list(args[0]);
    if (!l) return notKnown(text, args, 'toset');
    const set = toSet(l);
    if (!set) return unknownInside(l, text) ?? notKnown(text, args, 'toset');
    // A set of numbers keeps its order; of conditional placeholders, each says so itself.
    const b = conditionalLength(l);
    return markSet(b && set.every((x) => typeof x === 'number') ? markCertain(set, b.lo) : set);
  },
  tomap(args, text) {
    return args[0] instanceof Map ? args[0] : notKnown(text, args, 'tomap');
  },
  // Terraform 0.12's list(a, b, ...) and map(k1, v1, k2, v2, ...), removed in 0.15: code written for 0.12 still uses
  // them where later code writes [a, b] and { k1 = v1 }. Element types are not unified (our values are untyped).
  list(args) {
    return [...args];
  },
  map(args, text) {
    if (args.length < 2 || args.length % 2 !== 0)
      return failure(text, `map() takes an even number of two or more arguments (key, value, ...), got ${args.length}`);
    const out = new Map<string, Value>();
    for (let i = 0; i < args.length; i += 2) {
      if (args[i] === null) return failure(text, `map(): argument ${i + 1} is a null key`);
      const key = keyString(args[i]);
      if (key === undefined) return notKnown(text, [args[i]], 'map');
      if (out.has(key)) return failure(text, `map(): argument ${i + 1} is a duplicate key ${quoted(key)}`);
      out.set(key, args[i + 1]);
    }
    return out;
  },
  tostring(args, text) {
    return args[0] === null ? null : (asString(args[0]) ?? notKnown(text, args, 'tostring'));
  },
  tonumber(args, text) {
    return args[0] === null ? null : (asNumber(args[0]) ?? notKnown(text, args, 'tonumber'));
  },
  tobool(args, text) {
    return args[0] === null ? null : (asBool(args[0]) ?? notKnown(text, args, 'tobool'));
  },
  format(args, text) {
    const f = asString(args[0]);
    const r = f === undefined ? undefined : format(f, args.slice(1));
    if (r !== undefined) return r;
    // Unknown arguments: the known text around them is kept (a bootstrap string with a computed endpoint id).
    const pieces = f === undefined || unknownIn(args)?.failed ? undefined : formatPieces(f, args.slice(1), true);
    return pieces && pieces.length > 1 ? partialString(text, pieces) : notKnown(text, args, 'format');
  },
  formatlist(args, text) {
    const f = asString(args[0]);
    if (f === undefined) return notKnown(text, args, 'formatlist');
    const rest = args.slice(1);
    let n: number | undefined;
    for (const a of rest) {
      if (!Array.isArray(a)) continue;
      if (n !== undefined && a.length !== n) return failure(text, 'formatlist: lists of different lengths');
      n = a.length;
    }
    if (n === undefined) return notKnown(text, args, 'formatlist');
    const out: Value[] = [];
    for (let i = 0; i < n; i++) {
      const row = rest.map((a) => (Array.isArray(a) ? a[i] : a));
      const s = format(f, row);
      if (s === undefined) return notKnown(text, row, 'formatlist');
      out.push(s);
    }
    return out;
  },
  join(args, text) {
    const sep = asString(args[0]);
    const parts: string[] = [];
    for (const a of args.slice(1)) {
      const s = strs(a);
      if (!s)
        return (
          (sep !== undefined && partialJoin(sep, args.slice(1), text)) || notKnown(text, Array.isArray(a) ? [...args, ...a] : args, 'join')
        );
      for (const x of s) parts.push(x);
    }
    return sep === undefined ? notKnown(text, args, 'join') : parts.join(sep);
  },
  split(args, text) {
    const [sep, s] = [asString(args[0]), asString(args[1])];
    return sep === undefined || s === undefined ? notKnown(text, args, 'split') : s.split(sep);
  },
  lower(args, text) {
    const s = asString(args[0]);
    return s === undefined ? notKnown(text, args, 'lower') : s.toLowerCase();
  },
  upper(args, text) {
    const s = asString(args[0]);
    return s === undefined ? notKnown(text, args, 'upper') : s.toUpperCase();
  },
  trimspace(args, text) {
    const s = asString(args[0]);
    return s === undefined ? notKnown(text, args, 'trimspace') : s.trim();
  },
  // Go's strings.Trim: every leading and trailing character that is in the cutset.
  trim(args, text) {
    const [s, cut] = [asString(args[0]), asString(args[1])];
    if (s === undefined || cut === undefined) return notKnown(text, args, 'trim');
    const set = new Set(cut);
    const chars = [...s];
    let a = 0;
    let b = chars.length;
    while (a < b && set.has(chars[a])) a++;
    while (b > a && set.has(chars[b - 1])) b--;
    return chars.slice(a, b).join('');
  },
  trimprefix(args, text) {
    const [s, p] = [asString(args[0]), asString(args[1])];
    if (s === undefined || p === undefined) return notKnown(text, args, 'trimprefix');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimsuffix(args, text) {
    const [s, p] = [asString(args[0]), asString(args[1])];
    if (s === undefined || p === undefined) return notKnown(text, args, 'trimsuffix');
    return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  substr(args, text) {
    const [s, o, l] = [asString(args[0]), int(args[1]), int(args[2])];
    if (s === undefined || o === undefined || l === undefined) return notKnown(text, args, 'substr');
    const chars = [...s];
    const start = o < 0 ? chars.length + o : o;
    if (start < 0 || start > chars.length) return failure(text, 'substr: offset out of range');
    return chars.slice(start, l < 0 ? undefined : start + l).join('');
  },
  replace(args, text) {
    const [s, from, to] = args.slice(0, 3).map(asString);
    if (s === undefined || from === undefined || to === undefined) return notKnown(text, args, 'replace');
    if (from.length > 1 && from.startsWith('/') && from.endsWith('/')) {
      const re = re2(from.slice(1, -1), true);
      return re ? s.replace(re, re2Replacement(to)) : new Unknown(text, 'replace: this regular expression is not evaluated offline');
    }
    return from === '' ? s : s.split(from).join(to);
  },
  regex(args, text) {
    const [p, s] = [asString(args[0]), asString(args[1])];
    if (p === undefined || s === undefined) return notKnown(text, args, 'regex');
    const re = re2(p, false);
    if (!re) return new Unknown(text, 'regex: this regular expression is not evaluated offline');
    const m = re.exec(s);
    return m ? matchValue(m) : failure(text, 'regex: no match');
  },
  regexall(args, text) {
    const [p, s] = [asString(args[0]), asString(args[1])];
    if (p === undefined || s === undefined) return notKnown(text, args, 'regexall');
    const re = re2(p, true);
    if (!re) return new Unknown(text, 'regexall: this regular expression is not evaluated offline');
    const out: Value[] = [];
    for (const m of s.matchAll(re)) {
      if (out.length >= 10_000) return new Unknown(text, 'regexall: too many matches');
      out.push(matchValue(m));
    }
    return out;
  },
  coalesce(args, text) {
    for (const a of args) {
      // A resource's own id or ARN is never null or "" once it exists: coalesce(var.vpc_id, aws_vpc.this.id) with
      // var.vpc_id null or "" is the reference (review s16 R13). Another apply-time attribute may be empty.
      if (a instanceof RefVal && isIdentity(a)) return a;
      if (a instanceof Unknown || a instanceof RefVal) return notKnown(text, [a], 'coalesce');
      if (a !== null && a !== '') return a;
    }
    return failure(text, 'coalesce: no non-empty argument');
  },
  coalescelist(args, text) {
    for (const a of args) {
      // A list known in part with an element certainly there is not empty.
      if (a instanceof Unknown && a.elements?.some((x) => x !== undefined)) return a;
      if (!Array.isArray(a)) return notKnown(text, [a], 'coalescelist');
      if (a.length > 0) return a;
    }
    return failure(text, 'coalescelist: no non-empty list');
  },
  compact(args, text) {
    const l = list(args[0]) ?? (args[0] instanceof Unknown && !args[0].failed ? args[0].elements : undefined);
    if (!l) return notKnown(text, args, 'compact');
    const out: Value[] = [];
    // An unknown element might be "" or null, which compact() drops: the result is a list known in part, whose
    // other elements are still certainly there. One known to contain text is kept.
    const elements: ListElement[] = [];
    let maybe: (Unknown | RefVal)[] | undefined;
    for (const x of l) {
      if (x === null || x === '') continue;
      if (x === undefined || ((x instanceof Unknown || x instanceof RefVal) && !partialText(x))) {
        if (x instanceof Unknown && x.failed) return notKnown(text, [x], 'compact');
        if (x !== undefined) (maybe ??= []).push(x);
        else maybe ??= [];
        if (elements[elements.length - 1] !== undefined || elements.length === 0) elements.push(undefined);
        continue;
      }
      out.push(x);
      const e = x instanceof Unknown ? x : asString(x);
      if (e === undefined) return notKnown(text, [x], 'compact');
      elements.push(e);
    }
    if (!maybe) return Array.isArray(args[0]) && isUnordered(args[0]) && out.length > 1 ? markUnordered(out) : out;
    if (out.length === 0) return maybe.length ? notKnown(text, [maybe[0]], 'compact') : unknownFrom(text, args[0] as Unknown);
    return partialList(text, maybe.length ? listReason(maybe) : (args[0] as Unknown).reason, elements);
  },
  try(args, text) {
    // Failed arguments are skipped; an argument not known offline might still fail later, so
    // the result is not known either (as Terraform's try with unknown values).
    for (const a of args) {
      if (a instanceof Unknown && a.failed) continue;
      const u = a instanceof RefVal ? undefined : unknownInsideNoRef(a, text);
      return u ?? a;
    }
    return failure(text, 'try: no argument succeeded');
  },
  can(args, text) {
    const a = args[0];
    if (a instanceof Unknown && a.failed) return false;
    return unknownInsideNoRef(a, text) ?? true;
  },
  flatten(args, text) {
    if (!Array.isArray(args[0])) return notKnown(text, args, 'flatten');
    const out: (Value | undefined)[] = [];
    // A list known in part inside (its elements are strings, not lists): the result is one too.
    let partial: Unknown | undefined;
    // A set of several elements inside (a Network Firewall's sync_states through `for`s): the result's order is not
    // known either, so a position of it is one of its elements (`flatten([for st in fw.firewall_status : [for sy in
    // st.sync_states : ...]])[i]`; review s15 R13: it was taken as the i-th endpoint in written order).
    let unordered = false;
    const flat = (v: Value): Unknown | undefined => {
      if (Array.isArray(v)) {
        if (isUnordered(v) && v.length > 1) unordered = true;
        for (const x of v) {
          const u = flat(x);
          if (u) return u;
        }
        return undefined;
      }
      if (v instanceof Unknown && v.elements && !v.failed) {
        partial ??= v;
        for (const x of v.elements) out.push(x);
        return undefined;
      }
      // An unknown element might be a list itself (a placeholder is one element, a string known in part too).
      if (v instanceof Unknown && v.placeholder === undefined && !partialText(v)) return unknownFrom(text, v);
      out.push(v);
      return undefined;
    };
    const u = flat(args[0]);
    if (u) return u;
    if (!partial) return unordered && out.length > 1 ? markUnordered(out as Value[]) : (out as Value[]);
    const elements: ListElement[] = [];
    for (const x of out) {
      if (x !== undefined && typeof x !== 'string' && !(x instanceof Unknown) && !(x instanceof RefVal)) return unknownFrom(text, partial);
      if (x !== undefined || elements.length === 0 || elements[elements.length - 1] !== undefined) elements.push(x);
    }
    return partialList(text, partial.reason, elements);
  },
  distinct(args, text) {
    const l = list(args[0]);
    if (!l) return notKnown(text, args, 'distinct');
    const d = distinct(l);
    return d ? (isUnordered(l) && d.length > 1 ? markUnordered(d) : d) : (unknownInside(l, text) ?? notKnown(text, args, 'distinct'));
  },
  contains(args, text) {
    const l = list(args[0]);
    const k = setKey(args[1]);
    if (!l || k === undefined) return notKnown(text, args, 'contains');
    let unknown: Unknown | undefined;
    for (const x of l) {
      const xk = setKey(x);
      if (xk === k) return true;
      if (xk === undefined) unknown ??= unknownInside(x, text);
    }
    return unknown ?? false;
  },
  reverse(args, text) {
    if (!Array.isArray(args[0])) return notKnown(text, args, 'reverse');
    const r = [...args[0]].reverse();
    return isUnordered(args[0]) ? markUnordered(r) : r;
  },
  slice(args, text, assume) {
    const [l, s, e] = [args[0], int(args[1]), int(args[2])];
    // slice(data.aws_availability_zones.x.names, 0, min(length(...), 3)): 1 to 3 zones, the first certain.
    const b = e === undefined && args[2] instanceof Unknown ? args[2].bounds : undefined;
    if (l instanceof Unknown && s !== undefined && s >= 0 && b && Number.isFinite(b.hi) && b.hi > s)
      return placeholders(l, s, b.hi, text, assume, Math.max(b.lo, s)) ?? unknownFrom(text, l);
    if (s === undefined || e === undefined || s < 0 || e < s) return notKnown(text, args, 'slice');
    if (l instanceof Unknown) {
      // slice(data.aws_availability_zones.x.names, 0, 3): the length is known, the names are not.
      return placeholders(l, s, e, text, assume) ?? unknownFrom(text, l);
    }
    if (!Array.isArray(l)) return notKnown(text, args, 'slice');
    if (e > l.length) return failure(text, 'slice: end index out of range');
    return l.slice(s, e);
  },
  chunklist(args, text) {
    // chunklist(list, size): consecutive chunks of `size` elements, the last one shorter; size 0 gives the whole
    // list as one chunk (Terraform's documented behaviour), a negative or fractional size is an error.
    const l = list(args[0]);
    const n = int(args[1]);
    if (args[1] !== undefined && !(args[1] instanceof Unknown) && asNumber(args[1]) !== undefined && (n === undefined || n < 0))
      return failure(text, 'chunklist: the chunk size must be a whole number, at least 0');
    if (!l || n === undefined) return notKnown(text, args, 'chunklist');
    if (n === 0) return l.length === 0 ? [] : [[...l]];
    const out: Value[][] = [];
    for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
    return out;
  },
  sort(args, text) {
    const l = list(args[0]);
    if (!l) return notKnown(text, args, 'sort');
    const s = strs(l);
    return s ? s.sort(lexical) : (unknownInside(l, text) ?? notKnown(text, args, 'sort'));
  },
  setproduct(args, text) {
    if (args.length < 2) return failure(text, 'setproduct: needs at least two sets');
    let out: Value[][] = [[]];
    for (const a of args) {
      if (!Array.isArray(a)) return notKnown(text, args, 'setproduct');
      const next: Value[][] = [];
      for (const prefix of out) for (const x of a) next.push([...prefix, x]);
      if (next.length > 10_000) return new Unknown(text, 'setproduct: too many elements');
      out = next;
    }
    // Of lists a list; with any set among them, a set (its elements are distinct already).
    return args.some((a) => Array.isArray(a) && isSet(a)) ? markSet(out) : out;
  },
  setunion(args, text) {
    const all: Value[] = [];
    for (const a of args) {
      if (!Array.isArray(a)) return notKnown(text, args, 'setunion');
      for (const x of a) all.push(x);
    }
    const set = toSet(all);
    return set ? markSet(set) : (unknownInside(all, text) ?? notKnown(text, args, 'setunion'));
  },
  setintersection(args, text) {
    if (args.length === 0 || args.some((a) => !Array.isArray(a))) return notKnown(text, args, 'setintersection');
    const sets: Set<string>[] = [];
    for (const a of args.slice(1) as Value[][]) {
      const keys = new Set<string>();
      for (const x of a) {
        const k = setKey(x);
        if (k === undefined) return unknownInside(x, text) ?? notKnown(text, args, 'setintersection');
        keys.add(k);
      }
      sets.push(keys);
    }
    const first = args[0] as Value[];
    const kept: Value[] = [];
    for (const x of first) {
      const k = setKey(x);
      if (k === undefined) return unknownInside(x, text) ?? notKnown(text, args, 'setintersection');
      if (sets.every((s) => s.has(k))) kept.push(x);
    }
    const set = toSet(kept);
    return set ? markSet(set) : notKnown(text, args, 'setintersection');
  },
  setsubtract(args, text) {
    const [a, b] = [list(args[0]), list(args[1])];
    if (args.length !== 2 || !a || !b) return notKnown(text, args, 'setsubtract');
    const drop = new Set<string>();
    for (const x of b) {
      const k = setKey(x);
      if (k === undefined) return unknownInside(x, text) ?? notKnown(text, args, 'setsubtract');
      drop.add(k);
    }
    const kept: Value[] = [];
    for (const x of a) {
      const k = setKey(x);
      if (k === undefined) return unknownInside(x, text) ?? notKnown(text, args, 'setsubtract');
      if (!drop.has(k)) kept.push(x);
    }
    const set = toSet(kept);
    return set ? markSet(set) : notKnown(text, args, 'setsubtract');
  },
  zipmap(args, text) {
    const k = list(args[0]);
    const v = list(args[1]);
    // Known keys, unknown values (`[for i in range(length(local.azs)) : ...]`): the keys are decided.
    if (k && !v && args[1] instanceof Unknown && !args[1].failed) {
      const out = new Map<string, Value>();
      for (const x of k) {
        const key = keyString(x);
        if (key === undefined) return notKnown(text, [x], 'zipmap');
        out.set(key, unknownFrom(text, args[1]));
      }
      return out;
    }
    if (!k || !v) return notKnown(text, args, 'zipmap');
    if (k.length !== v.length) return failure(text, 'zipmap: lists of different lengths');
    const out = new Map<string, Value>();
    const conditional = new Set<string>();
    for (let i = 0; i < k.length; i++) {
      const key = keyString(k[i]);
      if (key === undefined) return notKnown(text, [k[i]], 'zipmap');
      out.set(key, v[i]);
      if (conditionalAt(k, i) || conditionalAt(v, i)) conditional.add(key);
    }
    return markConditionalKeys(out, conditional);
  },
  // transpose({a = ["1", "2"], b = ["2", "3"]}) = {"1" = ["a"], "2" = ["a", "b"], "3" = ["b"]}: each list holds the
  // keys in Terraform's (lexical) key order.
  transpose(args, text) {
    const m = args[0];
    if (!(m instanceof Map) || conditionalLength(m)) return notKnown(text, args, 'transpose');
    const out = new Map<string, Value>();
    for (const k of sortedKeys(m)) {
      const l = list(m.get(k) as Value);
      if (!l || conditionalLength(l)) return notKnown(text, [m.get(k) as Value], 'transpose');
      for (const x of l) {
        const v = asString(x);
        if (v === undefined) return unknownInside(x, text) ?? notKnown(text, [x], 'transpose');
        const keys = out.get(v);
        if (Array.isArray(keys)) keys.push(k);
        else out.set(v, [k]);
      }
    }
    return out;
  },
  one(args, text) {
    const l = list(args[0]);
    if (!l) return notKnown(text, args, 'one');
    if (l.length === 0) return null;
    return l.length === 1 ? l[0] : failure(text, 'one: more than one element');
  },
  sum(args, text) {
    const l = list(args[0]);
    if (!l || l.length === 0) return l ? failure(text, 'sum: empty list') : notKnown(text, args, 'sum');
    let t = 0;
    for (const x of l) {
      const n = num(x);
      if (n === undefined) return notKnown(text, [x], 'sum');
      t += n;
    }
    return t;
  },
  range(args, text) {
    // range(length(local.azs)) over 1 to 3 zones: [0, 1, 2], the elements past the first conditional.
    const b = args.length === 1 && args[0] instanceof Unknown ? args[0].bounds : undefined;
    if (b && Number.isInteger(b.hi) && b.hi <= 1024 && b.lo >= 0)
      return markCertain(
        Array.from({ length: b.hi }, (_, i) => i),
        b.lo,
      );
    const n = args.map(num);
    if (n.some((x) => x === undefined) || n.length === 0 || n.length > 3) return notKnown(text, args, 'range');
    const [start, end] = n.length === 1 ? [0, n[0] as number] : [n[0] as number, n[1] as number];
    // The default step is 1, or -1 counting down.
    const step = n.length === 3 ? (n[2] as number) : start <= end ? 1 : -1;
    if (step === 0 || (step > 0 && start > end) || (step < 0 && start < end)) return failure(text, 'range: step in the wrong direction');
    if (Math.abs((end - start) / step) > 1024) return new Unknown(text, 'range: too many elements');
    const out: Value[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  min(args, text) {
    const n = args.map(num);
    if (n.some((x) => x === undefined) || n.length === 0) return boundedExtreme(args, text, Math.min) ?? notKnown(text, args, 'min');
    return Math.min(...(n as number[]));
  },
  max(args, text) {
    const n = args.map(num);
    if (n.some((x) => x === undefined) || n.length === 0) return boundedExtreme(args, text, Math.max) ?? notKnown(text, args, 'max');
    return Math.max(...(n as number[]));
  },
  abs(args, text) {
    const n = num(args[0]);
    return n === undefined ? notKnown(text, args, 'abs') : Math.abs(n);
  },
  pow(args, text) {
    const [a, b] = [num(args[0]), num(args[1])];
    return a === undefined || b === undefined ? notKnown(text, args, 'pow') : Math.pow(a, b);
  },
  floor(args, text) {
    const n = num(args[0]);
    return n === undefined ? notKnown(text, args, 'floor') : Math.floor(n);
  },
  ceil(args, text) {
    const n = num(args[0]);
    return n === undefined ? notKnown(text, args, 'ceil') : Math.ceil(n);
  },
  basename(args, text) {
    const s = asString(args[0]);
    if (s === undefined) return notKnown(text, args, 'basename');
    const t = s.replace(/\/+$/, '');
    return t === '' ? (s ? '/' : '.') : t.slice(t.lastIndexOf('/') + 1);
  },
  dirname(args, text) {
    const s = asString(args[0]);
    if (s === undefined) return notKnown(text, args, 'dirname');
    const t = s.replace(/\/+$/, '');
    const i = t.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i);
  },
  file(args, text, _assume, files) {
    const path = asString(args[0]);
    if (args.length !== 1 || path === undefined) return notKnown(text, args, 'file');
    if (!files) return new Unknown(text, 'file() is not read here');
    const r = files.readText(path);
    if ('text' in r) return r.text;
    // A file looked for inside the folders analysed and not there: Terraform fails (try() skips it, can() is false).
    return r.absent ? failure(text, `file(): ${r.why}`) : new Unknown(text, `file(): ${r.why}`);
  },
  // True when the inputs hold the file, false when it was looked for inside the folders analysed and is not there;
  // otherwise not known (outside them, or not looked for: it may exist and not have been read).
  fileexists(args, text, _assume, files) {
    const path = asString(args[0]);
    if (args.length !== 1 || path === undefined) return notKnown(text, args, 'fileexists');
    if (!files) return new Unknown(text, 'fileexists() is not read here');
    const r = files.readText(path);
    return 'text' in r ? true : r.absent ? false : new Unknown(text, `fileexists(): ${r.why}`);
  },
  csvdecode(args, text) {
    const s = asString(args[0]);
    if (args.length !== 1 || s === undefined) return notKnown(text, args, 'csvdecode');
    const rows = csvRecords(s);
    if (!Array.isArray(rows)) return failure(text, `csvdecode: ${rows.error}`);
    const [header, ...records] = rows;
    if (!header) return failure(text, 'csvdecode: missing header line');
    // Terraform (go-cty's csvdecode) rejects a repeated column name rather than keep the last (review R4).
    const dup = header.find((name, i) => header.indexOf(name) !== i);
    if (dup !== undefined) return failure(text, `csvdecode: duplicate column name ${quoted(dup)}`);
    return records.map((r) => new Map<string, Value>(header.map((name, i) => [name, r[i]])));
  },
  jsondecode(args, text) {
    const s = asString(args[0]);
    if (s === undefined) return notKnown(text, args, 'jsondecode');
    try {
      return fromData(JSON.parse(s)) ?? failure(text, 'jsondecode: unsupported value');
    } catch {
      return failure(text, 'jsondecode: invalid JSON');
    }
  },
  jsonencode(args, text) {
    const u = unknownInside(args[0], text);
    if (u) return jsonEncodePartial(args[0], text) ?? u;
    return jsonEncode(args[0]) ?? notKnown(text, args, 'jsonencode');
  },
  // Terraform encodes the string's UTF-8 bytes (standard alphabet, padded).
  base64encode(args, text) {
    const s = asString(args[0]);
    if (args.length !== 1 || s === undefined) return notKnown(text, args, 'base64encode');
    let bin = '';
    for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
    return btoa(bin);
  },
  // Go's standard decoding (padding required, no other characters); the bytes must be UTF-8, as Terraform requires.
  base64decode(args, text) {
    const s = asString(args[0]);
    if (args.length !== 1 || s === undefined) return notKnown(text, args, 'base64decode');
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return failure(text, 'base64decode: failed to decode base64 data');
    const bin = atob(s);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return failure(text, 'base64decode: the result of decoding the provided string is not valid UTF-8');
    }
  },
  yamldecode(args, text) {
    const s = asString(args[0]);
    if (s === undefined) return notKnown(text, args, 'yamldecode');
    try {
      return fromData(parseYaml(s, { maxAliasCount: 1000 })) ?? failure(text, 'yamldecode: unsupported value');
    } catch {
      return failure(text, 'yamldecode: invalid YAML');
    }
  },
};

/** Like unknownInside, but apply-time references count as values (they are what the resource will have). */
function unknownInsideNoRef(v: Value, text: string): Unknown | undefined {
  if (v instanceof Unknown) return unknownFrom(text, v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = unknownInsideNoRef(x, text);
      if (u) return u;
    }
  } else if (v instanceof Map) {
    for (const x of v.values()) {
      const u = unknownInsideNoRef(x, text);
      if (u) return u;
    }
  }
  return undefined;
}

/**
 * The records of a CSV text as Terraform's csvdecode reads them (Go's encoding/csv, RFC 4180): fields separated by
 * commas, a field in double quotes may hold commas, line breaks and doubled quotes; a quote elsewhere in a field is an
 * error; CRLF ends a line as LF does (also inside quotes); empty lines are skipped; every record must have as many
 * fields as the first (the header).
 */
export function csvRecords(text: string): string[][] | { error: string } {
  // Go drops a carriage return ending the text.
  const s = text.endsWith('\r') ? text.slice(0, -1) : text;
  const rows: string[][] = [];
  const n = s.length;
  let i = 0;
  let line = 1;
  const eol = (j: number): number => (s[j] === '\n' ? 1 : s[j] === '\r' && s[j + 1] === '\n' ? 2 : 0);
  while (i < n) {
    const blank = eol(i);
    if (blank) {
      i += blank;
      line++;
      continue;
    }
    const at = line;
    const fields: string[] = [];
    for (;;) {
      if (s[i] === '"') {
        let field = '';
        for (i++; ;) {
          if (i >= n) return { error: `line ${at}: a quoted field is not closed` };
          if (s[i] === '"') {
            if (s[i + 1] !== '"') break;
            field += '"';
            i += 2;
            continue;
          }
          const e = eol(i);
          if (e) line++;
          field += e ? '\n' : s[i];
          i += e || 1;
        }
        i++;
        if (i < n && s[i] !== ',' && !eol(i)) return { error: `line ${line}: text after a quoted field's closing quote` };
        fields.push(field);
      } else {
        const start = i;
        while (i < n && s[i] !== ',' && !eol(i)) {
          if (s[i] === '"') return { error: `line ${line}: a quote inside a field that is not quoted` };
          i++;
        }
        fields.push(s.slice(start, i));
      }
      if (s[i] === ',') {
        i++;
        continue;
      }
      const e = eol(i);
      i += e;
      if (e) line++;
      break;
    }
    if (rows.length && fields.length !== rows[0].length)
      return { error: `line ${at} has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header ${rows[0].length}` };
    rows.push(fields);
  }
  return rows;
}

const MAX_STRING = 1_000_000;

const NO_ASSUME = (): void => undefined;

export function callFunction(
  name: string,
  args: Value[],
  text: string,
  assume: (message: string) => void = NO_ASSUME,
  files?: TextFiles,
): Value {
  // Provider-defined functions (provider::aws::arn_parse) and everything unknown stay Unknown.
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return new Unknown(text, `function ${name}() is not evaluated offline`);
  try {
    const v = fn(args, text, assume, files);
    if (typeof v === 'string' && v.length > MAX_STRING) return new Unknown(text, `${name}() result too long`);
    // What a function builds is charged like the values written out (flatten([l, l]) doubles).
    return chargeBudget(valueCost(v)) ? v : new Unknown(text, BUDGET_EXCEEDED);
  } catch {
    return failure(text, `${name}() failed on these arguments`);
  }
}
