// A variable's type constraint, as far as it changes the value a module sees: sets, and the attributes an object
// type declares `optional(type, default)` (Terraform >= 1.3). When Terraform converts a value (a tfvars value, the
// variable's default, a module block's argument) to such a type, an attribute left out or null gets its default,
// or null without one, at any depth: objects within maps, lists, sets, tuples and other objects, and within
// the defaults themselves. Nothing else of the conversion is done here (a value is taken as written otherwise),
// and only types that mention `optional(` or `set(` are read at all. A value converted to `set(...)` is a set:
// its elements distinct, in Terraform's order, and a dynamic block over it gives each element as its key.
import type { Expr } from './ast';
import { evaluate } from './evaluate';
import { asSet } from './functions';
import { copyMarks, Unknown, type Value } from './values';

type TypeSpec =
  | { k: 'any' }
  | { k: 'object'; attrs: Map<string, { t: TypeSpec; optional: boolean; def?: Expr }> }
  | { k: 'map' | 'list' | 'set'; elem: TypeSpec }
  | { k: 'tuple'; elems: TypeSpec[] };

const ANY: TypeSpec = { k: 'any' };

/** A converter for the values of one type expression; undefined when the type has no optional attribute. */
export type Conversion = (v: Value) => Value;

const cache = new WeakMap<Expr, Conversion | null>();

/**
 * The conversion of values to the type `type` (a variable's `type = ...`, written in `text`), or undefined when
 * converting changes nothing we model (no `optional(` in it).
 */
export function typeConversion(type: Expr, text: string): Conversion | undefined {
  const hit = cache.get(type);
  if (hit !== undefined) return hit ?? undefined;
  let conv: Conversion | null = null;
  if (mentionsConverted(type)) {
    const spec = readType(type);
    if (converts(spec)) conv = (v) => convert(v, spec, text);
  }
  cache.set(type, conv);
  return conv ?? undefined;
}

/** Cheap gate: whether `optional(...)` or `set(...)` is called anywhere in the type expression. */
function mentionsConverted(e: Expr): boolean {
  switch (e.k) {
    case 'call':
      return e.name === 'optional' || e.name === 'set' || e.args.some(mentionsConverted);
    case 'object':
      return e.entries.some((x) => mentionsConverted(x.value));
    case 'tuple':
      return e.items.some(mentionsConverted);
    default:
      return false;
  }
}

/** Whether converting to `t` changes anything we model: a set, or an optional attribute, at any depth. */
function converts(t: TypeSpec): boolean {
  switch (t.k) {
    case 'any':
      return false;
    case 'set':
      return true;
    case 'object':
      return [...t.attrs.values()].some((a) => a.optional || converts(a.t));
    case 'tuple':
      return t.elems.some(converts);
    default:
      return converts(t.elem);
  }
}

/** The literal name of an object type's attribute key (`name`, `"name"`). */
function keyName(e: Expr): string | undefined {
  if (e.k === 'lit' && typeof e.v === 'string') return e.v;
  if (e.k === 'tmpl' && e.parts.every((p) => typeof p === 'string')) return e.parts.join('');
  return undefined;
}

/** A type expression as a spec; anything not understood (primitives, `any`, mistakes) converts nothing. */
function readType(e: Expr): TypeSpec {
  if (e.k !== 'call') return ANY; // string, number, bool, any, bare list/map/set
  const a0 = e.args[0];
  switch (e.name) {
    case 'list':
    case 'set':
    case 'map':
      return e.args.length === 1 ? { k: e.name, elem: readType(a0) } : ANY;
    case 'tuple':
      return e.args.length === 1 && a0.k === 'tuple' ? { k: 'tuple', elems: a0.items.map(readType) } : ANY;
    case 'object': {
      if (e.args.length !== 1 || a0.k !== 'object') return ANY;
      const attrs = new Map<string, { t: TypeSpec; optional: boolean; def?: Expr }>();
      for (const { key, value } of a0.entries) {
        const name = keyName(key);
        if (name === undefined) return ANY;
        if (value.k === 'call' && value.name === 'optional' && value.args.length >= 1 && value.args.length <= 2)
          attrs.set(name, { t: readType(value.args[0]), optional: true, def: value.args[1] });
        else attrs.set(name, { t: readType(value), optional: false });
      }
      return { k: 'object', attrs };
    }
    default:
      return ANY;
  }
}

/** A default written in a type: a constant, evaluated with nothing in scope. */
function defaultValue(def: Expr, text: string): Value {
  return evaluate(def, { text, vars: new Map(), root: (_n, t) => new Unknown(t, 'an optional attribute default must be a constant') });
}

/** `v` converted to `t`: the same object when nothing changes. */
function convert(v: Value, t: TypeSpec, text: string): Value {
  if (t.k === 'any' || v === null || v instanceof Unknown) return v;
  if (t.k === 'object') {
    if (!(v instanceof Map)) return v;
    let out: Map<string, Value> | undefined;
    for (const [name, a] of t.attrs) {
      const cur = v.has(name) ? (v.get(name) as Value) : undefined;
      let next: Value | undefined;
      if (a.optional && (cur === undefined || cur === null)) {
        next = a.def ? convert(defaultValue(a.def, text), a.t, text) : null;
        if (cur === null && next === null) continue;
      } else if (cur !== undefined) next = convert(cur, a.t, text);
      else continue; // a required attribute left out: Terraform rejects the value; reading it stays "no attribute"
      if (next === cur) continue;
      out ??= copyMarks(v, new Map(v));
      out.set(name, next);
    }
    return out ?? v;
  }
  if (t.k === 'map') {
    if (!(v instanceof Map)) return v;
    let out: Map<string, Value> | undefined;
    for (const [k, x] of v) {
      const y = convert(x, t.elem, text);
      if (y === x) continue;
      out ??= copyMarks(v, new Map(v));
      out.set(k, y);
    }
    return out ?? v;
  }
  if (!Array.isArray(v)) return v;
  let out: Value[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const et = t.k === 'tuple' ? t.elems[i] : t.elem;
    if (!et) break;
    const y = convert(v[i], et, text);
    if (y === v[i]) continue;
    out ??= copyMarks(v, v.slice());
    out[i] = y;
  }
  // Elements not all known stay a list as written (their order and repeats cannot be decided).
  if (t.k === 'set') return asSet(out ?? v) ?? out ?? v;
  return out ?? v;
}
