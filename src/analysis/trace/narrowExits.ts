// Narrow routes that may leave uninspected beside an inspected default (docs/domain.md, "Narrow routes beside an
// inspected default"). The default trace stands for the internet in general (Walk.standIn), so a route to a few
// addresses (NARROW_BITS) does not decide it: a `8.8.8.8/32` test route to a firewall must not make a bypassing
// subnet look inspected (F131). The other way round, a `8.8.8.0/24` or an admin `192.0.2.0/24` written to the IGW,
// a NAT gateway or a peering beside `0.0.0.0/0` to the firewall sends those addresses around it, and the default
// trace never sees that. Such a route is traced as an extra egress of the subnet toward its first host that no longer
// route of the same table takes (SubnetEgress.narrow), and kept when that egress reaches the internet uninspected: the
// rules and the state see it. A table with no route for the internet in general is traced along its narrow exits too
// (review s17 R17): they are then the subnet's only egress. The candidates are a cheap scan of one table's written
// routes, memoised by table object.
import type { Route, RouteTable } from '../../model/types';
import { formatIp, NOT_INTERNET_V4, parseCidr, type Cidr } from '../../model/cidr';
import { NARROW_BITS } from '../routing';

/** A written IPv4 route to a few public addresses whose target is not an enforcement point. */
export interface NarrowExit {
  route: Route;
  cidr: Cidr;
  /**
   * The address traced: the route's first host (the address itself for a /32, the network for a /31) that no longer
   * route of the table takes (`8.8.8.0/25 -> firewall` beside `8.8.8.0/24 -> IGW`: 8.8.8.128, review s17 R11).
   */
  address: string;
}

/**
 * Targets that may take a packet out uninspected: the internet gateways, a NAT gateway, a peering, a transit or
 * virtual private gateway, Azure's Internet next hop. A route to a firewall endpoint, an ENI or an instance
 * (possibly an appliance) is toward enforcement: F131's rule leaves it out.
 */
const EXIT_KINDS: ReadonlySet<string> = new Set(['igw', 'natgw', 'peering', 'tgw', 'vgw', 'internet']);

/** Private and special-purpose IPv4 blocks: a route to them is not internet egress. */
const NOT_PUBLIC = NOT_INTERNET_V4.map((t) => parseCidr(t)!).map((c) => ({
  net: Number(c.network),
  mask: c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0,
}));

const memo = new WeakMap<RouteTable, NarrowExit[]>();

/** The table's narrow IPv4 routes to public addresses whose target may leave uninspected (at most one per CIDR). */
export function narrowExits(table: RouteTable): NarrowExit[] {
  const hit = memo.get(table);
  if (hit) return hit;
  const out: NarrowExit[] = [];
  for (const route of table.routes) {
    const d = route.destination;
    if (route.implicit || route.undecided || route.state !== 'active' || !('cidr' in d) || typeof d.cidr !== 'string') continue;
    if (!EXIT_KINDS.has(route.target.kind) || route.target.pick !== undefined) continue;
    // Most written routes are wide (a /20 to the TGW): read the prefix length before parsing the address.
    const slash = d.cidr.lastIndexOf('/');
    if (slash >= 0 && Number(d.cidr.slice(slash + 1)) < NARROW_BITS[4]) continue;
    const c = parseCidr(d.cidr);
    if (!c || c.family !== 4 || c.prefix < NARROW_BITS[4]) continue;
    const n = Number(c.network);
    if (NOT_PUBLIC.some((p) => (n & p.mask) >>> 0 === p.net)) continue;
    if (out.some((x) => x.cidr.network === c.network && x.cidr.prefix === c.prefix)) continue;
    const address = firstUncovered(table, c);
    // Every address of it is taken by longer routes: nothing leaves by this one.
    if (address !== undefined) out.push({ route, cidr: c, address });
  }
  memo.set(table, out);
  return out;
}

/**
 * The first host of `c` (from its network for a /31 or /32) that no longer IPv4 route of the table holds: those take
 * their addresses elsewhere, whatever their target. Undefined when they take every address of it. A narrow CIDR has
 * at most 256 addresses and a table few routes inside it: a walk past the covering blocks, lowest first.
 */
function firstUncovered(table: RouteTable, c: Cidr): string | undefined {
  const size = 1n << BigInt(32 - c.prefix);
  const end = c.network + size;
  const inside: { from: bigint; to: bigint }[] = [];
  for (const r of table.routes) {
    const d = r.destination;
    // A blackhole takes its addresses too (it drops them); one whose existence is undecided is left to the trace.
    if (r.undecided || !('cidr' in d) || typeof d.cidr !== 'string') continue;
    const slash = d.cidr.lastIndexOf('/');
    if (slash < 0 || Number(d.cidr.slice(slash + 1)) <= c.prefix) continue;
    const o = parseCidr(d.cidr);
    if (!o || o.family !== 4 || o.prefix <= c.prefix || o.network < c.network || o.network >= end) continue;
    inside.push({ from: o.network, to: o.network + (1n << BigInt(32 - o.prefix)) });
  }
  let at = c.network + (c.prefix >= 31 ? 0n : 1n);
  if (inside.length > 0) {
    inside.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    for (const b of inside) if (b.from <= at && at < b.to) at = b.to;
  }
  return at < end ? formatIp(4, at) : undefined;
}
