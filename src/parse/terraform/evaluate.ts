// Static evaluation of HCL expressions: literals, templates, collections, references into the
// current module (var, local, resources, module outputs), count/each, for expressions,
// conditionals, operators and the functions in functions.ts.
import type { Expr, Span, Step } from './ast';
import { BUDGET_EXCEEDED, chargeBudget, evaluationBudgetLeft, noteBudgetExhausted } from './budget';
import { callFunction, placeholderAt, type TextFiles } from './functions';
import { azsDiffer, isPlaceholderAz } from '../../model/az';
import { quoted } from '../../model/where';
import { EndpointZones, isEndpointValue, requiredEntry, shapedEntry, zoneLookup } from './zoneKeys';
import { instanceGroupOf } from './instanceGroups';
import { alwaysSet } from './alwaysSet';

export { evaluationBudgetLeft, setEvaluationBudget } from './budget';
import {
  anyConditional,
  conditionalAt,
  markCertain,
  markConditionalKeys,
  ModuleObj,
  Namespace,
  RefVal,
  ResourceObj,
  Unknown,
  asBool,
  failure,
  keyString,
  placeholderOf,
  unknownFrom,
  asNumber,
  asString,
  partialString,
  valuesEqual,
  isUnordered,
  knownParts,
  markUnordered,
  unorderedAt,
  type Value,
} from './values';

/** Where names resolve: block-local variables first (each, count, iterators), then the module. */
export interface Scope {
  /** Text of the file the expression is written in. */
  text: string;
  vars: ReadonlyMap<string, Value>;
  /** Module-level root names: var, local, module, data, resource types. */
  root(name: string, text: string): Value;
  /** States a shape assumption made at `span` (once per span and message). */
  assume?: (message: string, span: Span) => void;
  /** The configuration's files, for `file()` and `fileexists()` (absent: they stay unknown). */
  files?: TextFiles;
}

export function exprText(e: Expr, text: string): string {
  return text.slice(e.s.start, e.s.end);
}

export function withVars(scope: Scope, add: Record<string, Value> | Map<string, Value>): Scope {
  const vars = new Map(scope.vars);
  for (const [k, v] of add instanceof Map ? add : Object.entries(add)) vars.set(k, v);
  return { ...scope, vars };
}

/**
 * How many enclosing expressions may skip a failure of what is being evaluated: try()/can() arguments, a
 * conditional's branch, the right side of && / ||. Inside them a lookup with a missing key need not fail the run,
 * so it constrains nothing (requiredLookup).
 */
let lenient = 0;

/**
 * An expression whose failure fails the run when it is evaluated (a resource's attribute, a local, a module's
 * input or output): evaluated outside any enclosing try() that made the evaluation start.
 */
export function evaluateStrict(e: Expr, scope: Scope): Value {
  const outer = lenient;
  lenient = 0;
  const v = evaluate(e, scope);
  lenient = outer;
  return v;
}

/** evaluate() with failures skippable (try(), a branch): lookups constrain nothing there. */
function evaluateLenient(e: Expr, scope: Scope): Value {
  lenient++;
  const v = evaluate(e, scope);
  lenient--;
  return v;
}

/**
 * `m[key]` (or `lookup(m, key)`) left undecided by getIndex, where a missing key fails the run: the entry it
 * must be (zoneKeys.ts requiredEntry), or undefined. In a resource with count/for_each the same lookup runs in
 * every instance, so the keys it takes there (when the map is the same object in each) are looked up too.
 */
function requiredLookup(objExpr: Expr, keyExpr: Expr, m: Map<string, Value>, key: Value, scope: Scope): Value | undefined {
  const k = keyString(key);
  if (k !== undefined) return requiredEntry(m, k, lookupFamily(objExpr, keyExpr, m, k, scope));
  return key instanceof Unknown || key instanceof RefVal ? shapedEntry(m, knownParts(key)) : undefined;
}

/** The keys `obj[key]` takes in every instance of this one's resource that certainly exists, and this one. */
function lookupFamily(objExpr: Expr, keyExpr: Expr, m: Map<string, Value>, key: string, scope: Scope): readonly string[] | undefined {
  // Only the instance's own variable (each or count) in scope: not inside a for or a dynamic block.
  if (scope.vars.size !== 1) return undefined;
  const [name, own] = scope.vars.entries().next().value as [string, Value];
  const group = own instanceof Map ? instanceGroupOf(own) : undefined;
  if (!group) return undefined;
  let f = group.families.get(keyExpr);
  if (f === undefined) {
    group.families.set(keyExpr, null);
    f = { obj: m, keys: [] };
    for (const sib of group.certain) {
      const s: Scope = { ...scope, vars: new Map([[name, sib]]) };
      const sk = evaluate(objExpr, s) === m ? keyString(evaluate(keyExpr, s)) : undefined;
      if (sk === undefined) {
        f = null;
        break;
      }
      f.keys.push(sk);
    }
    group.families.set(keyExpr, f);
  }
  if (!f || f.obj !== m) return undefined;
  return f.keys.includes(key) ? f.keys : [...f.keys, key];
}

const MAX_ITEMS = 10_000;
const MAX_STRING = 1_000_000;

export function getAttr(v: Value, name: string, text: string): Value {
  if (v instanceof Unknown) {
    // data.aws_availability_zones.x.names: remember which attribute, for shape assumptions.
    if (v.source && v.source.attr === undefined)
      return new Unknown(text, `${v.source.address}.${name} is read from the provider`, false, { address: v.source.address, attr: name });
    // Deeper parts have no identity of their own.
    return v.source || v.placeholder !== undefined || v.nameOf !== undefined || v.prefixOf !== undefined
      ? new Unknown(v.text, v.reason, v.failed)
      : v;
  }
  if (v instanceof Namespace) return v.get(name, text);
  if (v instanceof ResourceObj) return v.instance.attribute(name, text);
  if (v instanceof ModuleObj) return v.instance.output(name, text);
  if (v instanceof RefVal) {
    // `<resource>.<block>[i].<attr>`: what that block writes, else computed (the instance stays known, F61); also
    // in a block nested in blocks (`connection_configuration[0].vpn_client_address_pool[0].address_prefixes`).
    const p = v.path;
    if (v.of && p.length >= 2 && p.length % 2 === 0 && p.every((x, i) => (i % 2 === 1) === (typeof x === 'number'))) {
      const outer: [string, number][] = [];
      for (let i = 0; i + 2 < p.length; i += 2) outer.push([String(p[i]), p[i + 1] as number]);
      const last = p.length - 2;
      return v.of.nested?.(String(p[last]), p[last + 1] as number, name, outer) ?? new RefVal(v.address, [...p, name], v.of);
    }
    return new RefVal(v.address, [...v.path, name]);
  }
  if (v instanceof Map) return v.has(name) ? (v.get(name) as Value) : failure(text, `no attribute ${quoted(name)}`);
  return failure(text, `cannot read attribute ${quoted(name)} of a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}`);
}

export function getIndex(v: Value, key: Value, text: string): Value {
  if (v instanceof Unknown) {
    if (v instanceof EndpointZones) {
      const k = keyString(key);
      return k === undefined
        ? unknownFrom(text, key instanceof Unknown ? key : v)
        : (v.at(k, text) ?? failure(text, `no element ${quoted(String(k))}`));
    }
    // data.x.names[0]: one unknown element with a stable name.
    const i = v.source?.attr !== undefined ? asNumber(key) : undefined;
    const p = i !== undefined ? placeholderAt(v, i, text) : undefined;
    if (p) return p;
    return v.source || v.placeholder !== undefined || v.nameOf !== undefined || v.prefixOf !== undefined
      ? new Unknown(v.text, v.reason, v.failed)
      : v;
  }
  // A map keyed by zone placeholders (for_each over them), indexed by one: that entry.
  const p = placeholderOf(key);
  if (p !== undefined && v instanceof Map) {
    if (v.has(p)) return v.get(p) as Value;
    // A zone not named offline, indexing a map: an entry that may be it (zoneKeys.ts), else a missing key.
    return zoneLookup(v, p, text) ?? failure(text, `no element ${quoted(String(p))}`);
  }
  if (key instanceof Unknown) return unknownFrom(text, key);
  if (key instanceof RefVal) return new Unknown(text, 'index known only after apply');
  if (v instanceof RefVal) {
    const k = typeof key === 'number' ? key : asString(key);
    if (k === undefined) return failure(text, 'invalid index');
    // A nested block by position keeps its instance, which knows what the block writes.
    return new RefVal(v.address, [...v.path, k], v.path.length % 2 === 1 && typeof k === 'number' ? v.of : undefined);
  }
  if (Array.isArray(v)) {
    const i = asNumber(key);
    if (i === undefined || !Number.isInteger(i)) return failure(text, 'list index must be a whole number');
    return i >= 0 && i < v.length ? (unorderedAt(v, i, text) ?? v[i]) : failure(text, `index ${i} out of range (${v.length} elements)`);
  }
  if (v instanceof Map) {
    const k = asString(key);
    if (k === undefined) return failure(text, 'map key must be a string');
    return v.has(k) ? (v.get(k) as Value) : (zoneLookup(v, k, text) ?? failure(text, `no element ${quoted(String(k))}`));
  }
  if (v instanceof Namespace) {
    const k = asString(key);
    return k === undefined ? new Unknown(text, 'invalid index') : v.get(k, text);
  }
  return failure(text, `cannot index a ${v === null ? 'null' : typeof v}`);
}

function applySteps(v: Value, steps: Step[], scope: Scope, text: string): Value {
  let cur = v;
  for (const st of steps) {
    cur = 'attr' in st ? getAttr(cur, st.attr, text) : getIndex(cur, evaluate(st.index, scope), text);
  }
  return cur;
}

function templateString(v: Value, text: string): string | Unknown {
  const s = asString(v);
  if (s !== undefined) return s;
  if (v instanceof Unknown)
    return v.parts || v.suffix !== undefined
      ? new Unknown(text, v.reason, v.failed, undefined, undefined, v.parts, undefined, undefined, v.suffix)
      : unknownFrom(text, v);
  if (v instanceof RefVal) return new Unknown(text, `${v.address}${v.path.length ? '.' + v.path.join('.') : ''} is known only after apply`);
  if (v === null) return failure(text, 'null in a string template');
  return failure(text, 'a collection cannot be used in a string template');
}

function arithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '%':
      return b === 0 ? undefined : a % b;
    default:
      return undefined;
  }
}

/** Whether two references are the id (or ARN) of the same resource; undefined for other attributes. */
function sameIdRef(l: RefVal, r: RefVal): boolean | undefined {
  const idLike = (v: RefVal): string | undefined =>
    v.path.length === 0 ? 'id' : v.path.length === 1 && (v.path[0] === 'id' || v.path[0] === 'arn') ? String(v.path[0]) : undefined;
  const a = idLike(l);
  const b = idLike(r);
  if (a === undefined || b === undefined || a !== b) return undefined;
  return l.address === r.address;
}

function binop(op: string, l: Value, r: Value, text: string): Value {
  if (op === '&&' || op === '||') {
    const a = asBool(l);
    const b = asBool(r);
    // false && unknown is false; true || unknown is true.
    if (op === '&&' && (a === false || b === false)) return false;
    if (op === '||' && (a === true || b === true)) return true;
    if (a === undefined || b === undefined) return operandUnknown(text, l, r);
    return op === '&&' ? a && b : a || b;
  }
  // Two resources' ids: equal exactly when they are the same resource (ids are unique).
  if ((op === '==' || op === '!=') && l instanceof RefVal && r instanceof RefVal && sameIdRef(l, r) !== undefined)
    return op === '==' ? sameIdRef(l, r)! : !sameIdRef(l, r)!;
  // An attribute the provider always sets, compared with null: decided (an absent resource fails the reference anyway).
  if ((op === '==' || op === '!=') && (l === null || r === null)) {
    const ref = l === null ? r : l;
    if (ref instanceof RefVal && alwaysSet(ref)) return op === '!=';
  }
  if ((op === '==' || op === '!=') && (l instanceof Unknown || r instanceof Unknown)) {
    const same = placeholderEqual(l, r);
    if (same !== undefined) return op === '==' ? same : !same;
  }
  if (l instanceof Unknown || r instanceof Unknown || l instanceof RefVal || r instanceof RefVal) {
    const decided = boundedCompare(op, l, r);
    return decided ?? operandUnknown(text, l, r);
  }
  if (op === '==') return valuesEqual(l, r);
  if (op === '!=') return !valuesEqual(l, r);
  const a = asNumber(l);
  const b = asNumber(r);
  if (a === undefined || b === undefined) return failure(text, `operator ${op} needs numbers`);
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
  const n = arithmetic(op, a, b);
  return n === undefined ? failure(text, `operator ${op} failed`) : n;
}

/**
 * `==` where a side is a placeholder element: equal to its own name; different from another
 * AZ placeholder of the same source; otherwise not decidable (undefined).
 */
function placeholderEqual(l: Value, r: Value): boolean | undefined {
  const a = keyString(l);
  const b = keyString(r);
  if (a === undefined || b === undefined || (placeholderOf(l) === undefined && placeholderOf(r) === undefined)) return undefined;
  if (a === b) return true;
  return isPlaceholderAz(a) && isPlaceholderAz(b) && azsDiffer(a, b) ? false : undefined;
}

/** A number, or the bounds of an unknown whole number. */
function interval(v: Value): { lo: number; hi: number } | undefined {
  if (v instanceof Unknown) return v.bounds;
  const n = asNumber(v);
  return n === undefined ? undefined : { lo: n, hi: n };
}

/**
 * A comparison whose sides are numbers or unknowns with bounds (`length(data.aws_availability_zones.x.names) >= 1`):
 * decided when every value within the bounds gives the same answer, else undefined.
 */
function boundedCompare(op: string, l: Value, r: Value): boolean | undefined {
  if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
  const a = interval(l);
  const b = interval(r);
  if (!a || !b) return undefined;
  const lt = (x: { lo: number; hi: number }, y: { lo: number; hi: number }, orEqual: boolean): boolean | undefined => {
    if (orEqual ? x.hi <= y.lo : x.hi < y.lo) return true;
    if (orEqual ? x.lo > y.hi : x.lo >= y.hi) return false;
    return undefined;
  };
  return op === '<' ? lt(a, b, false) : op === '<=' ? lt(a, b, true) : op === '>' ? lt(b, a, false) : lt(b, a, true);
}

function operandUnknown(text: string, l: Value, r: Value): Unknown {
  for (const v of [l, r]) {
    if (v instanceof Unknown) return unknownFrom(text, v);
    if (v instanceof RefVal) return new Unknown(text, `${v.address} is known only after apply`);
  }
  return failure(text, 'operands are not of the right type');
}

function forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope, text: string): Value {
  const coll = evaluate(e.coll, scope);
  if (coll instanceof Unknown) return unknownFrom(text, coll);
  let pairs: [Value, Value][];
  if (Array.isArray(coll)) pairs = coll.map((v, i) => [i, v]);
  else if (coll instanceof Map) pairs = [...coll.keys()].sort().map((k) => [k, coll.get(k) as Value]);
  else return failure(text, 'for expression over a value that is not a collection');
  if (pairs.length > MAX_ITEMS) return new Unknown(text, 'collection too large');
  const listOut: Value[] = [];
  const mapOut = new Map<string, Value>();
  // Items that exist only conditionally (zones past the first of 1 to 3) give conditional results.
  const source = coll;
  const conditional = anyConditional(source);
  let certain = 0;
  const conditionalKeys = new Set<string>();
  for (const [k, v] of pairs) {
    const cond = conditional && conditionalAt(source, k as never);
    const vars: Record<string, Value> = { [e.valVar]: v };
    if (e.keyVar) vars[e.keyVar] = k;
    const s = withVars(scope, vars);
    if (e.cond) {
      const cv = evaluate(e.cond, s);
      const c = asBool(cv);
      if (c === undefined) return cv instanceof Unknown ? unknownFrom(text, cv) : failure(text, 'for condition is not a bool');
      if (!c) continue;
    }
    const value = evaluate(e.value, s);
    if (!e.key) {
      listOut.push(value);
      if (!cond) certain++;
      continue;
    }
    const kv = evaluate(e.key, s);
    const key = keyString(kv);
    if (key === undefined)
      return (
        (Array.isArray(coll) && isUnordered(coll) && !e.group && endpointZones(e, pairs, scope, text)) ||
        (kv instanceof Unknown ? unknownFrom(text, kv) : new Unknown(text, 'for key could not be decided'))
      );
    if (e.group) {
      const prev = mapOut.get(key);
      if (Array.isArray(prev)) prev.push(value);
      else mapOut.set(key, [value]);
    } else {
      if (mapOut.has(key)) return failure(text, `duplicate key ${quoted(key)} in for expression`);
      mapOut.set(key, value);
    }
    if (cond && !e.group) conditionalKeys.add(key);
  }
  const out = e.key ? mapOut : Array.isArray(coll) && isUnordered(coll) ? markUnordered(listOut) : listOut;
  if (!conditional) return out;
  return out instanceof Map ? markConditionalKeys(out, conditionalKeys) : markCertain(out, certain);
}

/**
 * `{ for s in ...sync_states : s.availability_zone => s.attachment[0].endpoint_id }` where some AZ is not known
 * offline: the map as EndpointZones, looked up per zone (zoneKeys.ts); undefined for any other shape.
 */
function endpointZones(e: Extract<Expr, { k: 'for' }>, pairs: [Value, Value][], scope: Scope, text: string): EndpointZones | undefined {
  const entries: [string | undefined, Value][] = [];
  for (const [k, v] of pairs) {
    if (!(v instanceof Map)) return undefined;
    const vars: Record<string, Value> = { [e.valVar]: v };
    if (e.keyVar) vars[e.keyVar] = k;
    const s = withVars(scope, vars);
    if (e.cond) {
      const c = asBool(evaluate(e.cond, s));
      if (c === undefined) return undefined;
      if (!c) continue;
    }
    const kv = evaluate(e.key!, s);
    const key = keyString(kv);
    // Only the state's own AZ may stand for an undecided key: then equal keys are one zone, one endpoint.
    if (key === undefined && kv !== v.get('availability_zone')) return undefined;
    const value = evaluate(e.value, s);
    if (!isEndpointValue(value)) return undefined;
    entries.push([key, value]);
  }
  return new EndpointZones(text, entries);
}

export function evaluate(e: Expr, scope: Scope): Value {
  // Literals are most of what is written: no text slice for them.
  if (e.k === 'lit' && chargeBudget(1)) return e.v;
  const text = exprText(e, scope.text);
  if (!chargeBudget(1)) {
    noteBudgetExhausted(scope.text, e.s.start, e.s.end);
    return new Unknown(text, BUDGET_EXCEEDED);
  }
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'bad':
      return failure(text, e.reason);
    case 'tmpl': {
      // A template that is exactly one interpolation is that value, of whatever type (HCL's rule: `"${list}"` is
      // the list, as Terraform 0.11 code writes references), not its string form (F82).
      if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return evaluate(e.parts[0], scope);
      let out = '';
      // Unknown interpolations: the known runs around them are kept (Unknown.parts).
      let pieces: (string | Unknown)[] | undefined;
      for (const p of e.parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const s = templateString(evaluate(p, scope), text);
        if (s instanceof Unknown) {
          if (s.failed && !pieces) return s;
          (pieces ??= []).push(out, s);
          out = '';
          continue;
        }
        out += s;
        if (out.length > MAX_STRING) return new Unknown(text, 'string too long');
      }
      if (pieces) {
        pieces.push(out);
        return partialString(text, pieces);
      }
      if (!chargeBudget(out.length >> 4)) {
        noteBudgetExhausted(scope.text, e.s.start, e.s.end);
        return new Unknown(text, BUDGET_EXCEEDED);
      }
      return out;
    }
    case 'tuple':
      return e.items.map((i) => evaluate(i, scope));
    case 'object': {
      const m = new Map<string, Value>();
      for (const { key, value } of e.entries) {
        const kv = evaluate(key, scope);
        const k = keyString(kv);
        if (k === undefined) return kv instanceof Unknown ? unknownFrom(text, kv) : failure(text, 'object key must be a string');
        m.set(k, evaluate(value, scope));
      }
      return m;
    }
    case 'var':
      return scope.vars.has(e.name) ? (scope.vars.get(e.name) as Value) : scope.root(e.name, text);
    case 'attr':
      return getAttr(evaluate(e.obj, scope), e.name, text);
    case 'index': {
      const obj = evaluate(e.obj, scope);
      const key = evaluate(e.key, scope);
      const r = getIndex(obj, key, text);
      // Undecided where a missing key would fail the run: maybe decided by that (requiredLookup).
      if (r instanceof Unknown && !r.failed && lenient === 0 && obj instanceof Map)
        return requiredLookup(e.obj, e.key, obj, key, scope) ?? r;
      return r;
    }
    case 'splat': {
      const base = evaluate(e.obj, scope);
      if (base instanceof Unknown) return base;
      if (base instanceof RefVal) return new Unknown(text, 'splat over a value known only after apply');
      const items = base === null ? [] : Array.isArray(base) ? base : base instanceof Map ? null : [base];
      if (!items) return failure(text, 'splat over a map');
      const out = items.map((it) => applySteps(it, e.steps, scope, text));
      return Array.isArray(base) && isUnordered(base) ? markUnordered(out) : out;
    }
    case 'call': {
      const skips = e.name === 'try' || e.name === 'can';
      const args = e.args.map((a) => (skips ? evaluateLenient(a, scope) : evaluate(a, scope)));
      if (e.expand) {
        const last = args.pop();
        if (!Array.isArray(last))
          return last instanceof Unknown ? unknownFrom(text, last) : failure(text, 'expanded argument is not a list');
        args.push(...last);
      }
      const assume = scope.assume;
      const r = callFunction(e.name, args, text, assume && ((m: string) => assume(m, e.s)), scope.files);
      if (evaluationBudgetLeft() < 0) {
        noteBudgetExhausted(scope.text, e.s.start, e.s.end);
        return new Unknown(text, BUDGET_EXCEEDED);
      }
      // lookup() without a default fails on a missing key, as m[k] does.
      if (
        r instanceof Unknown &&
        !r.failed &&
        e.name === 'lookup' &&
        args.length === 2 &&
        !e.expand &&
        lenient === 0 &&
        args[0] instanceof Map
      )
        return requiredLookup(e.args[0], e.args[1], args[0], args[1], scope) ?? r;
      return r;
    }
    case 'cond': {
      const cv = evaluate(e.c, scope);
      const c = asBool(cv);
      if (c === undefined) return cv instanceof Unknown ? unknownFrom(text, cv) : failure(text, 'condition is not a bool');
      // Which branch runs may differ per instance: a failure there does not fail every instance.
      return evaluateLenient(c ? e.a : e.b, scope);
    }
    case 'unop': {
      const x = evaluate(e.x, scope);
      if (x instanceof Unknown) return unknownFrom(text, x);
      if (x instanceof RefVal) return new Unknown(text, `${x.address} is known only after apply`);
      if (e.op === '!') {
        const b = asBool(x);
        return b === undefined ? failure(text, '! needs a bool') : !b;
      }
      const n = asNumber(x);
      return n === undefined ? failure(text, '- needs a number') : -n;
    }
    case 'binop':
      return binop(e.op, evaluate(e.l, scope), e.op === '&&' || e.op === '||' ? evaluateLenient(e.r, scope) : evaluate(e.r, scope), text);
    case 'for':
      return forExpr(e, scope, text);
  }
}
