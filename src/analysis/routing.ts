// Route lookup: longest prefix match over one VPC route table, as the AWS intrinsic router does it.
// `local` routes exist for every VPC CIDR even when the inputs do not write them; a written route more
// specific than `local` wins (middlebox routing), and a written route with exactly a VPC CIDR replaces
// the local route's target (AWS allows that for GWLB endpoints and ENIs).
import type { Route, RouteTable } from '../model/types';
import { isUnresolved } from '../model/types';
import { cidrContainsIp, parseCidr, parseIp, type Cidr } from '../model/cidr';
import type { ModelIndex } from './modelIndex';

// Route tables repeat the same few destinations thousands of times; parse each text once.
const parsed = new Map<string, Cidr | undefined>();
function cidrOf(text: string): Cidr | undefined {
  if (parsed.has(text)) return parsed.get(text);
  const c = parseCidr(text);
  if (parsed.size > 100_000) parsed.clear();
  parsed.set(text, c);
  return c;
}

/** One candidate route expanded to the CIDRs it covers (a prefix list gives several). */
export interface RouteEntry {
  cidr: Cidr;
  route: Route;
  /** Destination as written (CIDR text or prefix list label). */
  destination: string;
}

export type RouteLookup =
  | { kind: 'match'; route: Route; destination: string; matched: Cidr }
  | { kind: 'none' }
  | { kind: 'unknown'; reason: string; route?: Route };

/**
 * Plain longest prefix match over entries of one family. Ties keep the written route over an implicit
 * one (a replaced `local`), then the first written. Exported for the property test.
 */
export function longestPrefixMatch<T extends { cidr: Cidr; route: { implicit?: boolean } }>(entries: T[], ip: string): T | undefined {
  const p = parseIp(ip);
  if (!p) return undefined;
  let best: T | undefined;
  for (const e of entries) {
    if (!cidrContainsIp(e.cidr, p)) continue;
    if (
      !best ||
      e.cidr.prefix > best.cidr.prefix ||
      (e.cidr.prefix === best.cidr.prefix && best.route.implicit && !e.route.implicit)
    ) {
      best = e;
    }
  }
  return best;
}

/** A synthetic `local` route for a VPC CIDR the table does not list itself. */
function localRoute(table: RouteTable, cidr: Cidr): Route {
  return {
    id: `${table.id}#local:${cidr.text}`,
    loc: table.loc,
    destination: { cidr: cidr.text },
    target: { kind: 'local' },
    state: 'active',
    implicit: true,
  };
}

/** Expand a table into LPM entries, plus the routes whose destination cannot be decided offline. */
export function routeEntries(index: ModelIndex, table: RouteTable, vpcId: string | undefined): { entries: RouteEntry[]; undecided: { route: Route; reason: string }[] } {
  const entries: RouteEntry[] = [];
  const undecided: { route: Route; reason: string }[] = [];
  for (const route of table.routes) {
    const d = route.destination;
    if ('cidr' in d) {
      if (isUnresolved(d.cidr)) {
        undecided.push({ route, reason: `destination ${d.cidr.text} is not known offline (${d.cidr.reason})` });
        continue;
      }
      const c = cidrOf(d.cidr);
      if (c) entries.push({ cidr: c, route, destination: c.text });
      else undecided.push({ route, reason: `destination "${d.cidr}" is not a CIDR` });
    } else {
      const pl = index.resolve(d.prefixList, 'prefixList');
      const label = pl ? pl.name || pl.id : isUnresolved(d.prefixList) ? d.prefixList.text : d.prefixList;
      if (!pl) {
        undecided.push({ route, reason: `prefix list ${label} is not in the inputs` });
        continue;
      }
      for (const v of pl.cidrs) {
        const c = isUnresolved(v) ? undefined : cidrOf(v);
        if (c) entries.push({ cidr: c, route, destination: label });
        else undecided.push({ route, reason: `prefix list ${label} has an entry not known offline` });
      }
    }
  }
  // The implicit local routes, unless the table writes a route for the same CIDR (parsed exports list
  // `local` themselves; a written non-local route for a VPC CIDR replaces the local target).
  if (vpcId) {
    // A VPC CIDR we cannot read is a `local` route we cannot place.
    const v = index.resolve(vpcId, 'vpc');
    for (const c of v?.cidrs ?? []) {
      if (isUnresolved(c)) undecided.push({ route: localRoute(table, { family: 4, network: 0n, prefix: 0, text: c.text }), reason: `VPC CIDR ${c.text} (local route) is not known offline` });
    }
    for (const c of index.vpcCidrs(vpcId)) {
      if (!entries.some((e) => e.cidr.family === c.family && e.cidr.prefix === c.prefix && e.cidr.network === c.network)) {
        entries.push({ cidr: c, route: localRoute(table, c), destination: c.text });
      }
    }
  }
  return { entries, undecided };
}

// Expanded tables per model index: a survey looks the same tables up thousands of times.
const expanded = new WeakMap<ModelIndex, Map<string, ReturnType<typeof routeEntries>>>();

function entriesOf(index: ModelIndex, table: RouteTable, vpcId: string | undefined): ReturnType<typeof routeEntries> {
  let m = expanded.get(index);
  if (!m) expanded.set(index, (m = new Map()));
  const key = `${table.id}\u0000${vpcId ?? ''}`;
  let e = m.get(key);
  if (!e) m.set(key, (e = routeEntries(index, table, vpcId)));
  return e;
}

/** Longest prefix match of `ip` in a route table of VPC `vpcId`. */
export function lookupRoute(index: ModelIndex, table: RouteTable, vpcId: string | undefined, ip: string): RouteLookup {
  const { entries, undecided } = entriesOf(index, table, vpcId);
  const best = longestPrefixMatch(entries, ip);
  const p = parseIp(ip);
  const hostBits = p?.family === 6 ? 128 : 32;
  // A route we cannot place might be more specific than the best one: only a host route is safe from that.
  if (undecided.length > 0 && (!best || best.cidr.prefix < hostBits)) {
    const u = undecided[0]!;
    return { kind: 'unknown', reason: `route table ${table.name || table.id}: ${u.reason}`, route: u.route };
  }
  if (!best) return { kind: 'none' };
  return { kind: 'match', route: best.route, destination: best.destination, matched: best.cidr };
}

/** Destination label of a route as written. */
export function routeDestinationText(index: ModelIndex, route: Route): string {
  const d = route.destination;
  if ('cidr' in d) return isUnresolved(d.cidr) ? d.cidr.text : d.cidr;
  const pl = index.resolve(d.prefixList, 'prefixList');
  return pl ? pl.name || pl.id : isUnresolved(d.prefixList) ? d.prefixList.text : d.prefixList;
}
