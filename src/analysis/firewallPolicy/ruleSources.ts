// Which part of a traced source a firewall rule's sources take. A rule names source addresses (CIDRs,
// single addresses, `a-b` ranges); the walk's source is the address range the firewall sees (a subnet's
// CIDR). The rule takes all of it, none of it, some of it (the ranges overlap without covering), or
// whether it takes any cannot be decided (its sources, or the walk's, are not known offline).
import type { FirewallRule } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { parseCidr, parseIp } from '../../model/cidr';

export type SourceCover = 'all' | 'some' | 'none' | 'undecided';

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
 * How much of the traffic from `source` (a CIDR, or undefined when the walk's source range is not known)
 * a rule's sources match. A rule without sources matches every source.
 */
export function sourceCover(rule: Pick<FirewallRule, 'sources'>, source: string | undefined): SourceCover {
  const srcs = rule.sources;
  if (srcs === undefined) return 'all';
  if (isUnresolved(srcs)) return 'undecided';
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
