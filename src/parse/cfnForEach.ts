// `Fn::ForEach` loops (the AWS::LanguageExtensions transform) expanded over the template tree, as the transform
// does before CloudFormation reads the template: for each item of the collection, the output map is copied with
// `${Identifier}` and `&{Identifier}` (the item without its non-alphanumeric characters) replaced in its keys and
// in `Fn::Sub` strings, and `Ref: Identifier` replaced by the item; a `Fn::Sub` left without any `${...}` becomes
// the plain string (so `!Ref {Fn::Sub: 'Subnet${Az}'}` names the resource `Subneta`). Loops nest (a loop inside an
// output map merges its entries into it) and may sit inside resource properties.
//
// Copies keep the offsets of the nodes they are copied from: what a loop generates is located at its output
// template in the file. The collection is decided by the caller (LoopHost): a literal list, a CommaDelimitedList
// parameter with a Default or a value the deploying template gives, a mapping entry; a loop whose collection is
// not known offline, or that is malformed, is left as written, with the reason, and the caller falls back.
import type { CEntry, CNode } from './cfnTree';

export const FOR_EACH = 'Fn::ForEach::';

/** Loops nested deeper than this are not expanded (CloudFormation allows 5). */
const MAX_NESTING = 8;
/** Entries one loop may generate, nested loops included, before expansion stops (a runaway template). */
const MAX_GENERATED = 5000;

export interface LoopHost {
  /** The items of a loop's collection (its identifiers already replaced), or why they are not known offline. */
  collection(n: CNode): string[] | { reason: string };
  /** A loop that CloudFormation would reject (malformed, generating a key twice): said where it is. */
  problem(code: 'missing-field' | 'duplicate-id', message: string, start: number, end: number): void;
  /** A loop inside a value (resource properties) that is left as written, and why. */
  unexpandedInside(loop: CEntry, reason: string): void;
}

/** A loop of a section that is left as written. */
export interface Unexpanded {
  entry: CEntry;
  reason: string;
  /** CloudFormation would reject it as written. */
  malformed: boolean;
}

export interface Expansion {
  /** The section with its loops expanded (unexpanded loops kept as written). */
  node: CNode;
  /** Each generated key of the section and the loop (as written in the section) that generated it. */
  generated: Map<string, string>;
  unexpanded: Unexpanded[];
}

type Env = Readonly<Record<string, string>>;

const NO_ENV: Env = {};

/** The section's loops expanded; never throws. */
export function expandSection(section: CNode, host: LoopHost): Expansion {
  return new Expander(host).section(section);
}

/** Whether a key is a loop's (`Fn::ForEach::Name`). */
export function isLoopKey(key: string): boolean {
  return key.startsWith(FOR_EACH);
}

class Expander {
  /** Why the loop being expanded cannot be: set by the first failure, read by the outermost loop. */
  private failure: { reason: string; malformed: boolean } | undefined;
  private count = 0;

  constructor(private readonly host: LoopHost) {}

  section(n: CNode): Expansion {
    const generated = new Map<string, string>();
    const unexpanded: Unexpanded[] = [];
    if (n.t !== 'map' || !n.entries.some((e) => isLoopKey(e.key) || mayHoldLoop(e.value))) return { node: n, generated, unexpanded };
    const seen = new Set(n.entries.filter((e) => !isLoopKey(e.key)).map((e) => e.key));
    const entries: CEntry[] = [];
    for (const e of n.entries) {
      if (!isLoopKey(e.key)) {
        entries.push(this.plain(e));
        continue;
      }
      this.failure = undefined;
      this.count = 0;
      const made = this.loop(e, NO_ENV, 0);
      if (!made) {
        const f = this.failure ?? { reason: 'it could not be expanded', malformed: false };
        unexpanded.push({ entry: e, ...f });
        entries.push(e);
        continue;
      }
      for (const m of this.merge(made, seen, e.key)) {
        generated.set(m.key, e.key);
        entries.push(m);
      }
    }
    return { node: { ...n, entries }, generated, unexpanded };
  }

  /** An entry outside any loop: loops inside its value (resource properties) are expanded where they can be. */
  private plain(e: CEntry): CEntry {
    if (!mayHoldLoop(e.value)) return e;
    const value = this.walk(e.value, NO_ENV, 0);
    return value === e.value ? e : { ...e, value };
  }

  /** Generated entries that are new to `seen` (a key made twice, or already defined, is said and dropped). */
  private merge(made: CEntry[], seen: Set<string>, loop: string): CEntry[] {
    const out: CEntry[] = [];
    for (const m of made) {
      if (seen.has(m.key)) {
        this.host.problem(
          'duplicate-id',
          `${loop} generates ${m.key}, which is already defined (by the template or an earlier item of a loop): CloudFormation rejects the template; this one is ignored`,
          m.keyStart,
          m.keyEnd,
        );
        continue;
      }
      seen.add(m.key);
      out.push(m);
    }
    return out;
  }

  private fail(reason: string, malformed: boolean): undefined {
    this.failure ??= { reason, malformed };
    return undefined;
  }

  /** The entries one loop generates, or undefined (failure says why). `depth` bounds the walk, not the nesting. */
  private loop(e: CEntry, env: Env, depth: number): CEntry[] | undefined {
    if (Object.keys(env).length >= MAX_NESTING) return this.fail(`loops are nested more than ${MAX_NESTING} deep`, false);
    const v = e.value;
    const shape = `${e.key} must be a list of an identifier, a collection and an output map ([Identifier, Collection, {OutputKey: OutputValue}])`;
    if (v.t !== 'seq' || v.tag || v.items.length !== 3) return this.malformed(shape, e.keyStart, e.keyEnd);
    const [idNode, collNode, output] = v.items;
    if (idNode.t !== 'scalar' || idNode.tag || typeof idNode.value !== 'string' || !/^[A-Za-z0-9_]+$/.test(idNode.value))
      return this.malformed(`${e.key}: the identifier must be an alphanumeric name`, idNode.start, idNode.end);
    if (output.t !== 'map' || output.tag)
      return this.malformed(`${e.key}: the third item must be a map {OutputKey: OutputValue}`, output.start, output.end);
    const id = idNode.value;
    const items = this.host.collection(this.walk(collNode, env, depth));
    if (!Array.isArray(items)) return this.fail(items.reason, false);
    const out: CEntry[] = [];
    for (const item of items) {
      const inner: Env = { ...env, [id]: item };
      for (const oe of output.entries) {
        if (isLoopKey(oe.key)) {
          const made = this.loop(oe, inner, depth + 1);
          if (!made) return undefined;
          // Nested loops' entries are checked for duplicates where they are merged (the section, a value).
          out.push(...made);
          continue;
        }
        // `'${Kind}':` with nothing under it (a label beside a nested loop) generates nothing.
        if (oe.value.t === 'scalar' && oe.value.value === null && !oe.value.tag) continue;
        const value = this.walk(oe.value, inner, depth);
        if (this.failure) return undefined;
        out.push({ key: subst(oe.key, inner), keyStart: oe.keyStart, keyEnd: oe.keyEnd, value });
      }
      this.count += output.entries.length;
      if (this.count > MAX_GENERATED) return this.fail(`it generates more than ${MAX_GENERATED} entries`, false);
    }
    return out;
  }

  private malformed(message: string, start: number, end: number): undefined {
    if (!this.failure) this.host.problem('missing-field', `${message}: CloudFormation rejects it; it is not expanded`, start, end);
    return this.fail(message, true);
  }

  /** A value with the loop identifiers of `env` replaced and the loops inside it expanded; `n` itself when unchanged. */
  private walk(n: CNode, env: Env, depth: number): CNode {
    if (depth > 64) return n;
    const hasEnv = env !== NO_ENV;
    const f = hasEnv ? intrinsic(n) : undefined;
    if (f?.name === 'Ref') return this.ref(n, f.arg, env, depth);
    if (f?.name === 'Fn::Sub') return this.sub(n, f.arg, env, depth);
    if (n.t === 'seq') {
      const items = n.items.map((i) => this.walk(i, env, depth + 1));
      return items.some((i, k) => i !== n.items[k]) ? { ...n, items } : n;
    }
    if (n.t !== 'map') return n;
    let changed = false;
    const entries: CEntry[] = [];
    const seen = new Set(n.entries.filter((e) => !isLoopKey(e.key)).map((e) => subst(e.key, env)));
    for (const e of n.entries) {
      if (isLoopKey(e.key)) {
        changed = true;
        const outer = this.failure;
        const made = this.loop(e, env, depth + 1);
        if (made) entries.push(...this.merge(made, seen, e.key));
        else if (hasEnv)
          return n; // inside a loop: the outermost loop is left as written
        else {
          // A loop in the properties of a resource written out: the rest of the resource is read.
          this.host.unexpandedInside(e, this.failure?.reason ?? 'it could not be expanded');
          this.failure = outer;
          entries.push(e);
        }
        continue;
      }
      const key = hasEnv ? subst(e.key, env) : e.key;
      const value = this.walk(e.value, env, depth + 1);
      if (key !== e.key || value !== e.value) {
        changed = true;
        entries.push({ ...e, key, value });
      } else entries.push(e);
    }
    return changed ? { ...n, entries } : n;
  }

  /** `Ref: Identifier` is the item; `Ref: {Fn::Sub: ...}` names what the string becomes. */
  private ref(n: CNode, arg: CNode, env: Env, depth: number): CNode {
    if (arg.t === 'scalar' && typeof arg.value === 'string' && Object.hasOwn(env, arg.value))
      return { t: 'scalar', value: env[arg.value], start: n.start, end: n.end };
    const a = this.walk(arg, env, depth + 1);
    if (a === arg) return n;
    if (n.tag) return a.t === 'scalar' && !a.tag ? { ...a, tag: n.tag, start: n.start, end: n.end } : { ...a, tag: n.tag };
    return { ...(n as Extract<CNode, { t: 'map' }>), entries: [{ ...(n as Extract<CNode, { t: 'map' }>).entries[0], value: a }] };
  }

  /** A `Fn::Sub` with the identifiers replaced: the plain string when nothing is left to substitute. */
  private sub(n: CNode, arg: CNode, env: Env, depth: number): CNode {
    const tpl = arg.t === 'seq' ? arg.items[0] : arg;
    if (tpl?.t !== 'scalar' || typeof tpl.value !== 'string') return n;
    const s = subst(tpl.value, env);
    const vars = arg.t === 'seq' && arg.items[1] ? this.walk(arg.items[1], env, depth + 1) : undefined;
    if (!s.includes('${')) return { t: 'scalar', value: s, start: n.start, end: n.end };
    if (s === tpl.value && (arg.t !== 'seq' || vars === arg.items[1])) return n;
    const newTpl: CNode = { ...tpl, value: s };
    const newArg: CNode = arg.t === 'seq' ? { ...arg, items: [newTpl, ...(vars ? [vars] : []), ...arg.items.slice(2)] } : newTpl;
    if (n.tag) return { ...newArg, tag: n.tag, start: n.start, end: n.end };
    const m = n as Extract<CNode, { t: 'map' }>;
    return { ...m, entries: [{ ...m.entries[0], value: newArg }] };
  }
}

/** `${Id}` and `&{Id}` (the item without its non-alphanumeric characters) replaced for the identifiers of `env`. */
function subst(s: string, env: Env): string {
  if (env === NO_ENV || (!s.includes('${') && !s.includes('&{'))) return s;
  return s.replace(/([$&])\{([^}]*)\}/g, (m, sigil: string, name: string) =>
    Object.hasOwn(env, name) ? (sigil === '$' ? env[name] : env[name].replace(/[^0-9A-Za-z]/g, '')) : m,
  );
}

/** `Ref` or `Fn::Sub`, short tag or long form, with its argument. */
function intrinsic(n: CNode): { name: string; arg: CNode } | undefined {
  if (n.tag === '!Ref') return { name: 'Ref', arg: { ...n, tag: undefined } as CNode };
  if (n.tag === '!Sub') return { name: 'Fn::Sub', arg: { ...n, tag: undefined } as CNode };
  if (!n.tag && n.t === 'map' && n.entries.length === 1 && (n.entries[0].key === 'Ref' || n.entries[0].key === 'Fn::Sub'))
    return { name: n.entries[0].key, arg: n.entries[0].value };
  return undefined;
}

/** Whether a loop may sit somewhere inside a value (a map with a loop key at any depth). */
function mayHoldLoop(n: CNode, depth = 0): boolean {
  if (depth > 64) return false;
  if (n.t === 'map') return n.entries.some((e) => isLoopKey(e.key) || mayHoldLoop(e.value, depth + 1));
  if (n.t === 'seq') return n.items.some((i) => mayHoldLoop(i, depth + 1));
  return false;
}
