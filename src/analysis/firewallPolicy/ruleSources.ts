// Which part of a traced source a firewall rule's sources take. A rule names source addresses (CIDRs,
// single addresses, `a-b` ranges); the walk's source is the address range the firewall sees (a subnet's
// CIDR), or a range it is known to lie in (BoundedSource). The rule takes all of it, none of it, some of
// it (the ranges overlap without covering), or whether it takes any cannot be decided (its sources, or
// the walk's, are not known offline, or a bounded source's place in its range decides).
import type { FirewallRule } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { parseCidr, parseIp } from '../../model/cidr';
import type { PolicyPosture } from './posture';

export type SourceCover = 'all' | 'some' | 'none' | 'undecided';

/**
 * A source whose addresses are not known offline but lie somewhere inside `within` (a subnet of a VPC whose
 * CIDR an IPAM pool allocates at apply: inside the pool's CIDRs). A rule takes all of it when it takes all
 * of `within`, none of it when it takes none of `within`; between the two, where the allocation lands decides.
 */
export interface BoundedSource {
  within: string[];
  /** How reasons name it: `the addresses IPAM allocates to aws_vpc.dns (inside 10.0.0.0/10)`. */
  text: string;
}

/** The addresses a firewall sees a path from: a CIDR (all of them), or a range they lie in. */
export type SeenSource = string | BoundedSource;

/** How reasons name a source. */
export function sourceText(source: SeenSource): string {
  return typeof source === 'string' ? source : source.text;
}

interface Span {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

/** One written source: a CIDR, an address or an `a-b` range, as the span of addresses it holds. */
function spanOf(text: string): Span | undefined {
  const t = text.trim();
  const dash = t.indexOf('-');
  if (dash > 0) {
    const lo = parseIp(t.slice(0, dash).trim());
    const hi = parseIp(t.slice(dash + 1).trim());
    return lo && hi && lo.family === hi.family && lo.value <= hi.value ? { family: lo.family, lo: lo.value, hi: hi.value } : undefined;
  }
  const c = parseCidr(t);
  if (!c) return undefined;
  const size = 1n << BigInt((c.family === 4 ? 32 : 128) - c.prefix);
  return { family: c.family, lo: c.network, hi: c.network + size - 1n };
}

/**
 * How much of the traffic from `source` (a CIDR or a bounded range, undefined when the walk's source range
 * is not known) a rule's sources match. A rule without sources matches every source.
 */
export function sourceCover(rule: Pick<FirewallRule, 'sources'>, source: SeenSource | undefined): SourceCover {
  const srcs = rule.sources;
  if (srcs === undefined) return 'all';
  if (isUnresolved(srcs)) return 'undecided';
  if (typeof source === 'object') {
    // Decided only when every address the source may have gets the same answer.
    const covers = new Set(source.within.map((w) => sourceCover(rule, w)));
    return covers.size === 1 && (covers.has('all') || covers.has('none')) ? [...covers][0] : 'undecided';
  }
  const from = source === undefined ? undefined : spanOf(source);
  if (!from) return 'undecided';
  const spans: Span[] = [];
  for (const s of srcs) {
    const sp = spanOf(s);
    // A source we cannot read (a service tag, a typo) could be any address.
    if (!sp) return 'undecided';
    if (sp.family === from.family && sp.hi >= from.lo && sp.lo <= from.hi) spans.push(sp);
  }
  if (spans.length === 0) return 'none';
  // Covered when the overlapping spans, joined, leave no gap in the source's range.
  spans.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  let next = from.lo;
  for (const sp of spans) {
    if (sp.lo > next) return 'some';
    if (sp.hi + 1n > next) next = sp.hi + 1n;
    if (next > from.hi) return 'all';
  }
  return 'some';
}

/** Actions that earn a source credit (restrict it, or watch it): counted only where they take all of its traffic. */
const CREDIT = new Set<FirewallRule['action']>(['drop', 'alert']);

/** A policy's rules as they apply to one source. */
export interface SourcedRules {
  /** The rules that apply, read so that the source is left as open as its rules allow. */
  open: FirewallRule[];
  /** The rules that apply, read the other way, when whether some rule applies is undecided. */
  closed?: FirewallRule[];
  /** The first rule whose sources are undecided (one that may open the source first). */
  undecided?: FirewallRule;
  /** Some rule does not apply to the source at all. */
  narrowed: boolean;
  /** The rules whose sources take only part of the source. */
  partial: Set<FirewallRule>;
}

/**
 * The rules that apply to traffic from `source`. A source (a subnet) is judged by its least protected
 * addresses: a rule that may let traffic through (pass, or an action not known) and reaches some of its
 * addresses applies (a host there can use it: a subnet part of which egresses freely is not restricted),
 * while a drop or alert that reaches only some of them leaves the others as open as before, so it earns no
 * credit. A rule whose sources are undecided is weighed both ways (`open` and `closed`).
 */
export function rulesFor(rules: FirewallRule[], source: SeenSource | undefined): SourcedRules {
  const partial = new Set<FirewallRule>();
  const open: FirewallRule[] = [];
  const closed: FirewallRule[] = [];
  let narrowed = false;
  let undecided: FirewallRule | undefined;
  let firstUndecided: FirewallRule | undefined;
  for (const r of rules) {
    const c = sourceCover(r, source);
    const credit = CREDIT.has(r.action);
    if (c === 'all') {
      open.push(r);
      closed.push(r);
    } else if (c === 'some') {
      partial.add(r);
      if (!credit) {
        open.push(r);
        closed.push(r);
      }
    } else if (c === 'none') narrowed = true;
    else {
      firstUndecided ??= r;
      if (!credit) undecided ??= r;
      (credit ? closed : open).push(r);
    }
  }
  undecided ??= firstUndecided;
  return undecided ? { open, closed, undecided, narrowed, partial } : { open, narrowed, partial };
}

/** A source as written, quoted when it would not show (`""`, text with spaces). */
function shown(x: string): string {
  return /^\S+$/.test(x) ? x : JSON.stringify(x);
}

/**
 * The posture a policy gives one source: `judge` reads the rules that apply to it; when whether some rule
 * applies is undecided and that changes the posture, Unknown with the rule as the reason, never a guess.
 */
export function postureForSource(
  rules: FirewallRule[],
  source: SeenSource | undefined,
  subject: string,
  judge: (applying: FirewallRule[], s: SourcedRules) => PolicyPosture,
): PolicyPosture {
  const s = rulesFor(rules, source);
  const open = judge(s.open, s);
  if (!s.closed || !s.undecided) return open;
  const closed = judge(s.closed, s);
  if (closed.cls === open.cls) return open;
  const srcs = s.undecided.sources;
  const why = isUnresolved(srcs)
    ? `its sources \`${srcs.text}\` (${srcs.reason})`
    : source === undefined
      ? 'the addresses the firewall sees this traffic from are not known'
      : typeof source === 'object' && (srcs ?? []).every((x) => spanOf(x) !== undefined)
        ? `its sources ${(srcs ?? []).join(', ')} hold only part of ${source.within.join(', ')}, and where in it the source's addresses are allocated is not known offline`
        : `its sources ${(srcs ?? []).map(shown).join(', ')} are not addresses Egress Lens reads`;
  return {
    cls: 'unknown',
    reason: `whether ${subject}'s ${s.undecided.what} applies to ${source === undefined ? 'this source' : sourceText(source)} cannot be decided offline: ${why}, and it decides the posture`,
  };
}
