// The Terraform built-in functions the static evaluator knows. Every function is pure; anything
// not listed, or called with values it cannot decide, yields Unknown.
import { cidrHost, cidrSubnet, parseCidr, formatIp } from '../../model/cidr';
import { BUDGET_EXCEEDED, chargeBudget, valueCost } from './budget';
import { RefVal, Unknown, asBool, asNumber, asString, isUnknown, valuesEqual, type Value } from './values';

type Fn = (args: Value[], text: string) => Value;

function unknownIn(args: Value[]): Unknown | undefined {
  for (const a of args) if (a instanceof Unknown) return a;
  return undefined;
}

function notKnown(text: string, args: Value[], what: string): Unknown {
  const u = unknownIn(args);
  if (u) return new Unknown(text, u.reason);
  if (args.some((a) => a instanceof RefVal)) return new Unknown(text, `${what} of a value known only after apply`);
  return new Unknown(text, `${what}: unsupported arguments`);
}

function num(v: Value): number | undefined {
  return asNumber(v);
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
 * A key equal for values `valuesEqual` calls equal, built in one pass; undefined for values compared
 * by identity (Unknown, resource and module objects), which are compared one by one.
 */
function setKey(v: Value): string | undefined {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `d${v}`;
    case 'boolean':
      return v ? 't' : 'f';
  }
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

/** First occurrences in order; hashed, so 100,000 items take milliseconds (it was quadratic). */
function distinct(values: Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  const others: Value[] = [];
  for (const v of values) {
    const k = setKey(v);
    if (k !== undefined) {
      if (seen.has(k)) continue;
      seen.add(k);
    } else {
      if (others.some((o) => valuesEqual(o, v))) continue;
      others.push(v);
    }
    out.push(v);
  }
  return out;
}

function sortedKeys(m: Map<string, Value>): string[] {
  return [...m.keys()].sort();
}

/** Terraform's format() for the common verbs: %s %d %v %q %%. */
function format(fmt: string, args: Value[]): string | undefined {
  let out = '';
  let ai = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = fmt[++i];
    if (verb === '%') {
      out += '%';
      continue;
    }
    const a = args[ai++];
    if (a === undefined) return undefined;
    if (verb === 's' || verb === 'v') {
      const s = asString(a);
      if (s === undefined) return undefined;
      out += s;
    } else if (verb === 'd') {
      const n = num(a);
      if (n === undefined || !Number.isInteger(n)) return undefined;
      out += String(n);
    } else if (verb === 'q') {
      const s = asString(a);
      if (s === undefined) return undefined;
      out += JSON.stringify(s);
    } else return undefined;
  }
  return out;
}

const FUNCTIONS: Record<string, Fn> = {
  cidrsubnet(args, text) {
    const [base, bits, n] = [asString(args[0]), num(args[1]), num(args[2])];
    if (base === undefined || bits === undefined || n === undefined) return notKnown(text, args, 'cidrsubnet');
    return cidrSubnet(base, bits, n) ?? new Unknown(text, 'cidrsubnet: arguments out of range');
  },
  cidrhost(args, text) {
    const [base, n] = [asString(args[0]), num(args[1])];
    if (base === undefined || n === undefined) return notKnown(text, args, 'cidrhost');
    return cidrHost(base, n) ?? new Unknown(text, 'cidrhost: host number out of range');
  },
  cidrnetmask(args, text) {
    const c = asString(args[0]) !== undefined ? parseCidr(asString(args[0]) as string) : undefined;
    if (!c || c.family !== 4) return notKnown(text, args, 'cidrnetmask');
    const mask = c.prefix === 0 ? 0n : ((1n << BigInt(c.prefix)) - 1n) << BigInt(32 - c.prefix);
    return formatIp(4, mask);
  },
  cidrsubnets(args, text) {
    const base = asString(args[0]);
    const bits = args.slice(1).map(num);
    if (base === undefined || bits.some((b) => b === undefined)) return notKnown(text, args, 'cidrsubnets');
    const c = parseCidr(base);
    if (!c) return new Unknown(text, 'cidrsubnets: invalid prefix');
    // Allocate consecutive blocks, each aligned to its own size (Terraform's algorithm).
    const total = c.family === 4 ? 32 : 128;
    let next = c.network;
    const end = c.network + (1n << BigInt(total - c.prefix));
    const out: Value[] = [];
    for (const b of bits as number[]) {
      const plen = c.prefix + b;
      if (b < 1 || plen > total) return new Unknown(text, 'cidrsubnets: invalid newbits');
      const size = 1n << BigInt(total - plen);
      if (next % size !== 0n) next = (next / size + 1n) * size;
      if (next + size > end) return new Unknown(text, 'cidrsubnets: not enough space');
      out.push(`${formatIp(c.family, next)}/${plen}`);
      next += size;
    }
    return out;
  },
  concat(args, text) {
    const out: Value[] = [];
    for (const a of args) {
      const l = list(a);
      if (!l) return notKnown(text, args, 'concat');
      out.push(...l);
    }
    return out;
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
    const key = asString(k);
    if (!(m instanceof Map) || key === undefined) return notKnown(text, args, 'lookup');
    if (m.has(key)) return m.get(key) as Value;
    return d !== undefined ? d : new Unknown(text, `lookup: no key "${key}"`);
  },
  element(args, text) {
    const l = list(args[0]);
    const i = num(args[1]);
    if (!l || i === undefined || l.length === 0) return notKnown(text, args, 'element');
    return l[((Math.floor(i) % l.length) + l.length) % l.length];
  },
  length(args, text) {
    const v = args[0];
    if (Array.isArray(v)) return v.length;
    if (v instanceof Map) return v.size;
    if (typeof v === 'string') return [...v].length;
    return notKnown(text, args, 'length');
  },
  keys(args, text) {
    return args[0] instanceof Map ? sortedKeys(args[0]) : notKnown(text, args, 'keys');
  },
  values(args, text) {
    const m = args[0];
    return m instanceof Map ? sortedKeys(m).map((k) => m.get(k) as Value) : notKnown(text, args, 'values');
  },
  tolist(args, text) {
    return Array.isArray(args[0]) ? args[0] : notKnown(text, args, 'tolist');
  },
  toset(args, text) {
    return Array.isArray(args[0]) ? distinct(args[0]) : notKnown(text, args, 'toset');
  },
  tomap(args, text) {
    return args[0] instanceof Map ? args[0] : notKnown(text, args, 'tomap');
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
    return r ?? notKnown(text, args, 'format');
  },
  join(args, text) {
    const sep = asString(args[0]);
    const parts: string[] = [];
    for (const a of args.slice(1)) {
      const s = strs(a);
      if (!s) return notKnown(text, args, 'join');
      parts.push(...s);
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
  substr(args, text) {
    const [s, o, l] = [asString(args[0]), num(args[1]), num(args[2])];
    if (s === undefined || o === undefined || l === undefined) return notKnown(text, args, 'substr');
    const chars = [...s];
    const start = o < 0 ? chars.length + o : o;
    return chars.slice(start, l < 0 ? undefined : start + l).join('');
  },
  replace(args, text) {
    const [s, from, to] = args.map(asString);
    // A pattern in slashes is a regular expression in Terraform; not evaluated here.
    if (s === undefined || from === undefined || to === undefined || (from.startsWith('/') && from.endsWith('/') && from.length > 1))
      return notKnown(text, args, 'replace');
    return from === '' ? s : s.split(from).join(to);
  },
  coalesce(args, text) {
    for (const a of args) {
      if (a instanceof Unknown || a instanceof RefVal) return notKnown(text, args, 'coalesce');
      if (a !== null && a !== '') return a;
    }
    return new Unknown(text, 'coalesce: no non-empty argument');
  },
  try(args, text) {
    // An argument that fails statically is Unknown here; the first decided one wins.
    for (const a of args) if (!(a instanceof Unknown)) return a;
    return notKnown(text, args, 'try');
  },
  flatten(args, text) {
    const flat = (v: Value): Value[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
    return Array.isArray(args[0]) ? flat(args[0]) : notKnown(text, args, 'flatten');
  },
  distinct(args, text) {
    return Array.isArray(args[0]) ? distinct(args[0]) : notKnown(text, args, 'distinct');
  },
  contains(args, text) {
    const l = list(args[0]);
    if (!l || isUnknown(args[1]) || args[1] instanceof RefVal) return notKnown(text, args, 'contains');
    if (l.some((x) => x instanceof Unknown || x instanceof RefVal)) return notKnown(text, args, 'contains');
    return l.some((x) => valuesEqual(x, args[1]));
  },
  zipmap(args, text) {
    const k = strs(args[0]);
    const v = list(args[1]);
    if (!k || !v || k.length !== v.length) return notKnown(text, args, 'zipmap');
    return new Map(k.map((key, i) => [key, v[i]] as [string, Value]));
  },
  range(args, text) {
    const n = args.map(num);
    if (n.some((x) => x === undefined) || n.length === 0 || n.length > 3) return notKnown(text, args, 'range');
    const [start, end, step] = n.length === 1 ? [0, n[0] as number, 1] : [n[0] as number, n[1] as number, (n[2] ?? 1) as number];
    if (step === 0 || Math.abs((end - start) / step) > 1024) return new Unknown(text, 'range: too many elements');
    const out: Value[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  min(args, text) {
    const n = args.map(num);
    return n.some((x) => x === undefined) || n.length === 0 ? notKnown(text, args, 'min') : Math.min(...(n as number[]));
  },
  max(args, text) {
    const n = args.map(num);
    return n.some((x) => x === undefined) || n.length === 0 ? notKnown(text, args, 'max') : Math.max(...(n as number[]));
  },
  abs(args, text) {
    const n = num(args[0]);
    return n === undefined ? notKnown(text, args, 'abs') : Math.abs(n);
  },
  pow(args, text) {
    const [a, b] = [num(args[0]), num(args[1])];
    return a === undefined || b === undefined ? notKnown(text, args, 'pow') : Math.pow(a, b);
  },
};

const MAX_STRING = 1_000_000;

export function callFunction(name: string, args: Value[], text: string): Value {
  // Provider-defined functions (provider::aws::arn_parse) and everything unknown stay Unknown.
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return new Unknown(text, `function ${name}() is not evaluated offline`);
  try {
    const v = fn(args, text);
    if (typeof v === 'string' && v.length > MAX_STRING) return new Unknown(text, `${name}() result too long`);
    // What a function builds is charged like the values written out (flatten([l, l]) doubles).
    return chargeBudget(valueCost(v)) ? v : new Unknown(text, BUDGET_EXCEEDED);
  } catch {
    return new Unknown(text, `${name}() failed on these arguments`);
  }
}
