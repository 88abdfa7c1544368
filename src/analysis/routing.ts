// Route lookup: longest prefix match over one VPC route table, as the AWS intrinsic router does it.
// `local` routes exist for every VPC CIDR even when the inputs do not write them; a written route more
// specific than `local` wins (middlebox routing), and a written route with exactly a VPC CIDR replaces
// the local route's target (AWS allows that for GWLB endpoints and ENIs).
import type { Route, RouteTable, Unresolved, Vpc } from '../model/types';
import { isUnresolved } from '../model/types';
import { quoted, where } from '../model/where';
import { cidrContainsIp, parseIp, type Cidr } from '../model/cidr';
import type { ModelIndex } from './modelIndex';
import { cidrInfo, ipv4ToNumber, mask4, type CidrInfo } from './ip4';
import { isServiceTag, nextHopName } from '../parse/vocabulary/azure';

/** One candidate route expanded to the CIDRs it covers (a prefix list gives several). */
export interface RouteEntry {
  cidr: Cidr;
  route: Route;
  /** Destination as written (CIDR text or prefix list label). */
  destination: string;
}

/**
 * A route to a few addresses (NARROW_BITS) left out of a lookup of the address that stands for the internet in
 * general: one whose address is not known offline (`unknown` says why), or a known one that holds the stand-in
 * (`8.8.8.8/32`, an author's test route).
 */
export interface NarrowRoute {
  route: Route;
  /** The destination as written (CIDR text, the Terraform expression, or a prefix list's label). */
  destination: string;
  bits: number;
  unknown?: string;
}

export type RouteLookup =
  | { kind: 'match'; route: Route; destination: string; matched: Cidr; sameAsTags?: Route[]; narrow?: NarrowRoute[] }
  /**
   * sameAsTags: Azure service-tag routes that may match instead, to the same next hop as the answer.
   * narrow: routes to a few addresses left out of a lookup of the internet stand-in (NarrowRoute).
   */
  | { kind: 'none'; sameAsTags?: Route[]; narrow?: NarrowRoute[] }
  | { kind: 'unknown'; reason: string; route?: Route };

/**
 * The prefix lengths (IPv4, IPv6) from which a route is narrow: at most 256 IPv4 addresses, or one IPv6 site.
 * A route to such a block whose address is not known offline (`"${data.http.myip.response_body}/32"`) catches
 * traffic to those few addresses only: it cannot decide where internet traffic in general goes (docs/domain.md,
 * "Routes to an address not known offline"). Nor can a known one that happens to hold the stand-in address
 * (`8.8.8.8/32` to a firewall endpoint beside `0.0.0.0/0` to the IGW): the stand-in is one address of many.
 */
export const NARROW_BITS = { 4: 24, 6: 48 } as const;

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
    if (!best || e.cidr.prefix > best.cidr.prefix || (e.cidr.prefix === best.cidr.prefix && best.route.implicit && !e.route.implicit)) {
      best = e;
    }
  }
  return best;
}

/** A synthetic `local` route for a VPC CIDR the table does not list itself. */
export function localRoute(table: RouteTable, cidr: Cidr): Route {
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
export function routeEntries(
  index: ModelIndex,
  table: RouteTable,
  vpcId: string | undefined,
): { entries: RouteEntry[]; undecided: { route: Route; reason: string }[] } {
  const { entries, undecided } = expand(index, table, vpcId);
  return { entries: entries.map((e) => e.entry), undecided };
}

interface Expanded {
  entries: { entry: RouteEntry; info: CidrInfo }[];
  undecided: { route: Route; reason: string }[];
}

function expand(index: ModelIndex, table: RouteTable, vpcId: string | undefined): Expanded {
  const entries: Expanded['entries'] = [];
  const undecided: { route: Route; reason: string }[] = [];
  for (const route of table.routes) {
    const d = route.destination;
    if (route.undecided) {
      undecided.push({ route, reason: `whether the route exists cannot be decided offline (${route.undecided.reason})` });
      continue;
    }
    if ('cidr' in d) {
      if (isUnresolved(d.cidr)) {
        undecided.push({ route, reason: `destination ${d.cidr.text} is not known offline (${d.cidr.reason})` });
        continue;
      }
      const c = cidrInfo(d.cidr);
      if (c) entries.push({ entry: { cidr: c.cidr, route, destination: c.cidr.text }, info: c });
      else undecided.push({ route, reason: `destination ${quoted(d.cidr)} is not a CIDR` });
    } else {
      const pl = index.resolve(d.prefixList, 'prefixList');
      const label = pl ? pl.name || pl.id : isUnresolved(d.prefixList) ? d.prefixList.text : d.prefixList;
      if (!pl) {
        undecided.push({ route, reason: `prefix list ${label} is not in the inputs` });
        continue;
      }
      for (const v of pl.cidrs) {
        const c = isUnresolved(v) ? undefined : cidrInfo(v);
        if (c) entries.push({ entry: { cidr: c.cidr, route, destination: label }, info: c });
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
      if (isUnresolved(c))
        undecided.push({
          route: localRoute(table, { family: 4, network: 0n, prefix: 0, text: c.text }),
          reason: `VPC CIDR ${c.text} (local route) is not known offline`,
        });
    }
    for (const c of index.vpcCidrs(vpcId)) {
      const n = c.family === 4 ? Number(c.network) : 0;
      let written = false;
      for (const e of entries) {
        const x = e.info.cidr;
        if (x.family === c.family && x.prefix === c.prefix && (c.family === 4 ? e.info.net === n : x.network === c.network)) {
          written = true;
          break;
        }
      }
      if (!written)
        entries.push({
          entry: { cidr: c, route: localRoute(table, c), destination: c.text },
          info: { cidr: c, net: n, mask: c.family === 4 ? mask4(c.prefix) : 0 },
        });
    }
  }
  return { entries, undecided };
}

/**
 * Longest prefix match of `ip` in a route table of VPC `vpcId`: the same answer as longestPrefixMatch over
 * routeEntries (ties keep the first written; a written route beats an implicit one), computed by one scan
 * of the table without expanding it (tables are looked up once or twice per trace; expansion allocated more).
 */
export function lookupRoute(index: ModelIndex, table: RouteTable, vpcId: string | undefined, ip: string, general = false): RouteLookup {
  const n4 = ipv4ToNumber(ip);
  const p = n4 >= 0 ? undefined : parseIp(ip);
  const family = n4 >= 0 ? 4 : p?.family;
  let bestCidr: Cidr | undefined;
  let bestRoute: Route | undefined;
  let bestDest = '';
  let undecided: { route: Route; reason: string } | undefined;
  // Routes whose destination is not known offline but whose prefix length is.
  let sized: Route[] | undefined;
  // The most specific matching route whose existence is undecided (count/for_each): it wins if it exists.
  let maybe: { route: Route; prefix: number } | undefined;
  // Azure routes to a service tag: they match the tag's prefixes, which are not in the inputs.
  let tagged: Route[] | undefined;
  // In a lookup of the internet stand-in, narrow routes are left out (NARROW_BITS): of unknown address below, and
  // known ones that hold it here (a `8.8.8.8/32` test route decides where that address goes, not the internet).
  let narrow: NarrowRoute[] | undefined;
  const narrowFrom = general && family !== undefined ? NARROW_BITS[family] : undefined;
  const consider = (info: CidrInfo, route: Route, destination: string): void => {
    const c = info.cidr;
    if (c.family !== family) return;
    if (n4 >= 0 ? (n4 & info.mask) >>> 0 !== info.net : !cidrContainsIp(c, p!)) return;
    if (narrowFrom !== undefined && c.prefix >= narrowFrom && !route.implicit) {
      // A prefix list's entry is named with the list (the list may hold more).
      (narrow ??= []).push({
        route,
        destination: destination === c.text ? destination : `${destination} (entry ${c.text})`,
        bits: c.prefix,
      });
      return;
    }
    if (route.undecided) {
      if (!maybe || c.prefix > maybe.prefix) maybe = { route, prefix: c.prefix };
      return;
    }
    if (!bestCidr || c.prefix > bestCidr.prefix || (c.prefix === bestCidr.prefix && bestRoute!.implicit && !route.implicit)) {
      bestCidr = c;
      bestRoute = route;
      bestDest = destination;
    }
  };
  for (const route of table.routes) {
    const d = route.destination;
    if ('cidr' in d) {
      if (isUnresolved(d.cidr)) {
        // An unknown prefix of one family never holds an address of the other.
        if (d.cidr.family !== undefined && family !== undefined && d.cidr.family !== family) continue;
        if (d.cidr.prefixLength !== undefined && route.undecided !== d.cidr) {
          (sized ??= []).push(route);
          continue;
        }
        undecided ??= {
          route,
          // A dynamic block's routes (parse/terraform/undecidedRoutes.ts): none of them is known.
          reason:
            route.undecided === d.cidr
              ? `its routes from ${d.cidr.text} (${where(route.loc)}) cannot be decided offline (${d.cidr.reason})`
              : `destination ${d.cidr.text} is not known offline (${d.cidr.reason})`,
        };
        continue;
      }
      const c = cidrInfo(d.cidr);
      if (c) {
        if (family !== undefined) consider(c, route, c.cidr.text);
      } else if (table.cloud === 'azure' && isServiceTag(d.cidr)) (tagged ??= []).push(route);
      else undecided ??= { route, reason: `destination ${quoted(d.cidr)} is not a CIDR` };
    } else {
      const pl = index.resolve(d.prefixList, 'prefixList');
      const label = pl ? pl.name || pl.id : isUnresolved(d.prefixList) ? d.prefixList.text : d.prefixList;
      if (!pl) {
        undecided ??= { route, reason: `prefix list ${label} is not in the inputs` };
        continue;
      }
      for (const v of pl.cidrs) {
        const c = isUnresolved(v) ? undefined : cidrInfo(v);
        if (c) {
          if (family !== undefined) consider(c, route, label);
        } else undecided ??= { route, reason: `prefix list ${label} has an entry not known offline` };
      }
    }
  }
  if (vpcId) {
    const v = undecided ? undefined : index.resolve(vpcId, 'vpc');
    for (const c of v?.cidrs ?? []) {
      if (isUnresolved(c)) {
        // An unknown prefix of one family never holds an address of the other.
        if (c.family !== undefined && family !== undefined && c.family !== family) continue;
        if (v !== undefined && outsidePool(v, c, n4)) continue;
        undecided ??= {
          route: localRoute(table, { family: 4, network: 0n, prefix: 0, text: c.text }),
          reason: `VPC CIDR ${c.text} (local route) is not known offline`,
        };
        break;
      }
    }
    // An implicit local route only matters when it is more specific than the best so far, and then no
    // written route has its CIDR (that route would have been better already): it is in the table.
    if (family !== undefined) {
      for (const c of index.vpcCidrs(vpcId)) {
        if (c.family !== family || (bestCidr && c.prefix <= bestCidr.prefix)) continue;
        if (n4 >= 0 ? (n4 & mask4(c.prefix)) >>> 0 !== Number(c.network) : !cidrContainsIp(c, p!)) continue;
        bestCidr = c;
        bestRoute = localRoute(table, c);
        bestDest = c.text;
      }
    }
  }
  if (maybe && (!bestCidr || maybe.prefix >= bestCidr.prefix)) {
    const u = maybe.route.undecided!;
    return {
      kind: 'unknown',
      reason: `route table ${table.name || table.id}: whether route ${maybe.route.address ?? maybe.route.id} (${where(maybe.route.loc)}) exists cannot be decided offline (\`${u.text}\`: ${u.reason})`,
      route: maybe.route,
    };
  }
  // A route written for a table of another stack that the inputs do not identify may be in this one: it
  // decides when it is more specific than what the table has (a table cannot hold two routes for one CIDR).
  const unplaced = family !== undefined && !table.unplaced ? index.unplacedRoutes() : undefined;
  if (unplaced && unplaced.length > 0) {
    for (const f of unplaced) {
      const c = f.info.cidr;
      if (c.family !== family || (bestCidr && c.prefix <= bestCidr.prefix) || f.table.loc.file === table.loc.file) continue;
      if (n4 >= 0 ? (n4 & f.info.mask) >>> 0 !== f.info.net : !cidrContainsIp(c, p!)) continue;
      return {
        kind: 'unknown',
        reason: `route table ${table.name || table.id} may hold route ${f.route.address ?? f.route.id.slice(f.route.id.lastIndexOf('#') + 1)} (${where(f.route.loc)}) for ${c.text}: it is written for ${f.table.unplaced!.text}, a table of another stack that the inputs do not identify`,
        route: f.route,
      };
    }
  }
  const hostBits = family === 6 ? 128 : 32;
  // A route we cannot place might be more specific than the best one: only a host route is safe from that.
  if (undecided && (!bestCidr || bestCidr.prefix < hostBits)) {
    return { kind: 'unknown', reason: `route table ${table.name || table.id}: ${undecided.reason}`, route: undecided.route };
  }
  // A route of known length whose address is not known offline may hold the address only when it is more specific
  // than the best match (the same length and address would be a second route for one CIDR, which a table refuses,
  // unless it replaces an implicit local route's target). In a lookup of the address that stands for the internet
  // in general, a narrow one is left out (the caller tells it): it catches traffic to a few addresses only.
  if (sized && family !== undefined) {
    const best = bestCidr ? bestCidr.prefix : -1;
    for (const route of sized) {
      const u = (route.destination as { cidr: Unresolved }).cidr;
      const len = u.prefixLength!;
      if (len > hostBits || len < best || (len === best && !bestRoute!.implicit)) continue;
      if (table.cloud === 'aws' && bestRoute?.target.kind === 'local' && !mayRefineLocal(route, len, family)) continue;
      if (general && len >= NARROW_BITS[family]) {
        (narrow ??= []).push({ route, destination: u.text, bits: len, unknown: u.reason });
        continue;
      }
      return {
        kind: 'unknown',
        reason: `route table ${table.name || table.id}: destination ${u.text} is not known offline (${u.reason}): a /${len} that may hold ${ip}${bestCidr ? `, more specific than ${bestDest}` : ''}`,
        route,
      };
    }
  }
  // A service tag's prefixes may hold the address (and be more specific than anything but a host route,
  // which wins an exact tie too): decided only when every tag route leads where the answer without them does.
  if (tagged && (!bestCidr || bestCidr.prefix < hostBits)) {
    // Without a matching UDR, a VNet's system route 0.0.0.0/0 -> Internet (its own space matched `local` above).
    const viaSystem = !bestRoute && index.resolve(vpcId, 'vpc')?.flavor === 'vnet';
    const differs = tagged.find((t) =>
      bestRoute ? !sameHop(t, bestRoute) : !viaSystem || t.state !== 'active' || t.target.kind !== 'internet',
    );
    if (differs) {
      const d = differs.destination as { cidr: string };
      const otherwise = bestRoute
        ? `${bestDest} -> ${hopLabel(bestRoute)}`
        : viaSystem
          ? 'the system route 0.0.0.0/0 -> Internet'
          : 'no route';
      return {
        kind: 'unknown',
        reason: `route table ${table.name || table.id}: route ${differs.address ?? differs.id} sends service tag ${d.cidr} to ${hopLabel(differs)}; the tag's prefixes are Azure's and not in the inputs, so whether ${ip} is one of them cannot be decided offline (if not, ${otherwise} decides)`,
        route: differs,
      };
    }
  }
  if (!bestCidr || !bestRoute)
    return tagged || narrow ? { kind: 'none', ...(tagged ? { sameAsTags: tagged } : {}), ...(narrow ? { narrow } : {}) } : { kind: 'none' };
  return {
    kind: 'match',
    route: bestRoute,
    destination: bestDest,
    matched: bestCidr,
    ...(tagged ? { sameAsTags: tagged } : {}),
    ...(narrow ? { narrow } : {}),
  };
}

/** Targets AWS accepts for a route more specific than `local`. */
const MIDDLEBOX_TARGETS: ReadonlySet<string> = new Set(['natgw', 'gwlbe', 'vpce', 'eni', 'instance', 'unknown']);

/**
 * Whether AWS would accept `route` (of length `len`, address unknown) inside a VPC CIDR, more specific than the
 * `local` route: only for the entire CIDR of a subnet (IPv4 /16 to /28, IPv6 /44 to /64) and to a NAT gateway, a
 * network interface or a Gateway Load Balancer (or firewall) endpoint. A `"${ip}/32"` to an IGW never is.
 */
function mayRefineLocal(route: Route, len: number, family: 4 | 6): boolean {
  return len <= (family === 4 ? 28 : 64) && (route.target.pick !== undefined || MIDDLEBOX_TARGETS.has(route.target.kind));
}

/**
 * Whether an IPv4 address lies outside every CIDR of the IPAM pool that allocates the VPC CIDR `c` (the one the
 * VPC mapper writes first), or outside every row of a CIDR chosen by the stack's region (Unresolved.byRegion):
 * then the local route, wherever it is, does not hold the address.
 */
function outsidePool(v: Vpc, c: Unresolved, n4: number): boolean {
  // A CIDR chosen by the stack's region: outside when no row holds the address.
  if (c.byRegion && n4 >= 0)
    return c.byRegion.rows.every((r) => {
      const w = cidrInfo(r.value);
      return !!w && w.cidr.family === 4 && (n4 & w.mask) >>> 0 !== w.net;
    });
  const within = v.ipam?.within;
  if (!within || n4 < 0 || c !== v.cidrs[0]) return false;
  for (const t of within) {
    const w = cidrInfo(t);
    if (!w || w.cidr.family !== 4 || (n4 & w.mask) >>> 0 === w.net) return false;
  }
  return true;
}

function sameHop(a: Route, b: Route): boolean {
  const x = a.target;
  const y = b.target;
  const same = (p: unknown, q: unknown) => (typeof p === 'string' || p === undefined ? p === q : false);
  return a.state === b.state && x.kind === y.kind && same(x.ref, y.ref) && same(x.ip, y.ip);
}

function hopLabel(r: Route): string {
  const t = r.target;
  const at = typeof t.ip === 'string' ? t.ip : typeof t.ref === 'string' ? t.ref : undefined;
  return at ? `${nextHopName(t.kind)} ${at}` : nextHopName(t.kind);
}
