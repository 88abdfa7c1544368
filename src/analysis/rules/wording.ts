// The text of a finding as literal words and the names it speaks of (slots). One finding a rule gives for one
// location can stand for several instances: a route a shared Terraform module writes once for each caller, a
// route several subnets share. Written with `w`, each instance's sentence keeps its names apart from its words, so
// the merged finding names every instance's table, target and source ("in spoke-a-app, spoke-b-app", "instead of
// spoke-a-igw, spoke-b-igw") instead of the first one's. Sentences of different words are not merged (the first
// instance's stands): only names are ever joined.

/** A verb or noun that agrees with a slot next to it: `has`/`have` after a list of names. */
export interface Agree {
  readonly one: string;
  readonly many: string;
  /** The slot it agrees with: the nearest before it (default), after it, or the wording's first (its subject). */
  readonly with: 'prev' | 'next' | 'first';
}

interface Slot {
  /** The names this slot holds; one for a single instance, more once instances are merged (or a list given). */
  readonly values: readonly string[];
  /** Named in full however many there are (a list the fix must give whole: the inspection points to choose from). */
  readonly full?: boolean;
  /** Each instance's value, even one of the same text (the sources: two subnets of one name and address). */
  readonly every?: boolean;
}

type Part = { lit: string } | { slot: Slot } | { agree: Agree };

export interface Wording {
  readonly parts: readonly Part[];
}

/** A list of names, in full up to four, else the first three and how many more. */
export function named(values: readonly string[]): string {
  if (values.length <= 4) return values.join(', ');
  return `${values.slice(0, 3).join(', ')} and ${values.length - 3} more`;
}

/** A slot listing several names (a finding that already speaks of several tables). */
export function names(values: readonly string[], full = false): Slot {
  return { values: [...new Set(values)], ...(full ? { full } : {}) };
}

/** A slot named in full and for each instance when merged (a finding's sources: every subnet it is about). */
export function all(value: string): Slot {
  return { values: [value], full: true, every: true };
}

/** Words, not names: a phrase that is compared, never joined, when instances merge. */
export function lit(text: string): Wording {
  return { parts: text ? [{ lit: text }] : [] };
}

export function agree(one: string, many: string, withSlot: Agree['with'] = 'prev'): Agree {
  return { one, many, with: withSlot };
}

type Arg = string | Slot | Agree | Wording;

const isWording = (a: Arg): a is Wording => typeof a === 'object' && 'parts' in a;
const isAgree = (a: Arg): a is Agree => typeof a === 'object' && 'one' in a;

/** Tagged template: literal text is words, each interpolated string a name (a slot); a Wording is spliced in. */
export function w(strings: TemplateStringsArray, ...args: Arg[]): Wording {
  const parts: Part[] = [];
  const pushLit = (s: string): void => {
    if (!s) return;
    const last = parts[parts.length - 1];
    if (last && 'lit' in last) parts[parts.length - 1] = { lit: last.lit + s };
    else parts.push({ lit: s });
  };
  strings.forEach((s, i) => {
    pushLit(s);
    if (i >= args.length) return;
    const a = args[i];
    if (typeof a === 'string') parts.push({ slot: { values: [a] } });
    else if (isWording(a))
      for (const p of a.parts) {
        if ('lit' in p) pushLit(p.lit);
        else parts.push(p);
      }
    else if (isAgree(a)) parts.push({ agree: a });
    else parts.push({ slot: a });
  });
  return { parts };
}

/** Join wordings (`; ` between a fix and its note, say). */
export function join(xs: readonly Wording[], sep: string): Wording {
  const parts: Part[] = [];
  xs.forEach((x, i) => {
    if (i > 0) parts.push({ lit: sep });
    parts.push(...x.parts);
  });
  return w`${{ parts }}`;
}

/** The wording with its first letter lower-cased (a sentence continued after "then"). */
export function lowerFirst(x: Wording): Wording {
  const [first, ...rest] = x.parts;
  if (!first) return x;
  if ('lit' in first) return { parts: [{ lit: first.lit.charAt(0).toLowerCase() + first.lit.slice(1) }, ...rest] };
  return x;
}

export function text(x: Wording): string {
  const { parts } = x;
  const many = (i: number, dir: 1 | -1): boolean => {
    for (let j = i + dir; j >= 0 && j < parts.length; j += dir) {
      const p = parts[j];
      if ('slot' in p) return p.slot.values.length > 1;
    }
    return false;
  };
  let out = '';
  parts.forEach((p, i) => {
    if ('lit' in p) out += p.lit;
    else if ('slot' in p) out += p.slot.full ? p.slot.values.join(', ') : named(p.slot.values);
    else out += many(p.agree.with === 'first' ? -1 : i, p.agree.with === 'prev' ? -1 : 1) ? p.agree.many : p.agree.one;
  });
  return out;
}

/** Whether the wordings say the same words (merge then names every instance's values). */
export function mergeable(xs: readonly Wording[]): boolean {
  const s = xs.length ? shape(xs[0]) : '';
  return xs.every((x) => shape(x) === s);
}

const shape = (x: Wording): string =>
  x.parts.map((p) => ('lit' in p ? `L${p.lit}` : 'slot' in p ? 'S' : `A${p.agree.one}/${p.agree.many}`)).join('\u0000');

/**
 * One wording for the instances of a merged finding: when every instance says the same words, each slot names
 * the distinct values of all (in order of first appearance); otherwise the first instance's wording.
 */
export function merge(xs: readonly Wording[]): Wording {
  const [first, ...rest] = xs;
  if (!first) return lit('');
  if (rest.length === 0) return first;
  if (!mergeable(xs)) return first;
  return {
    parts: first.parts.map((p, i) => {
      if (!('slot' in p)) return p;
      const values = xs.flatMap((x) => (x.parts[i] as { slot: Slot }).slot.values);
      return { slot: { ...p.slot, values: p.slot.every ? values : [...new Set(values)] } };
    }),
  };
}

/**
 * The text of a merged finding: instances saying the same words merge (merge); those saying different words
 * (a module's route whose callers need different advice) each get their own sentence, in order of first
 * appearance, joined by `sep`.
 */
export function combine(xs: readonly Wording[], sep: string): string {
  const groups = new Map<string, Wording[]>();
  for (const x of xs) {
    const k = shape(x);
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return [...groups.values()].map((g) => text(merge(g))).join(sep);
}
