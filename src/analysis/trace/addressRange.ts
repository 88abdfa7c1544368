// A source address that is not known offline but is known to lie in a range: an address of a subnet of a VPC
// whose IPv4 CIDR an IPAM pool allocates at apply (Vpc.ipam), of a subnet whose CIDR is the row of the stack's
// region in a CloudFormation mapping (Unresolved.byRegion), or an IPv6 address of a subnet whose prefix AWS
// assigns at apply (inside one of its VPC's IPv6 blocks, ipv6Address). The walk carries it as a placeholder text; a
// lookup of it is decided only when every address of the range gets the same answer (each route that matters
// holds the whole range or none of it), else it is Unknown, naming the route that depends on the address.
// Lookups of exact addresses never come here.
import type { Route, RouteTable, Subnet, TgwRoute, TgwRouteTable, Val, Vpc } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContains, parseCidr, type Cidr } from '../../model/cidr';
import { quoted, where } from '../../model/where';
import type { ModelIndex } from '../modelIndex';
import { cidrInfo } from '../ip4';
import { localRoute, type RouteLookup } from '../routing';

export interface AddressRange {
  /** How hops and sentences name the address (the walk's src or dst while it is this address). */
  text: string;
  vpc: string;
  subnet: string;
  /**
   * The address lies inside one of these CIDRs (all of one family, the address's): the pool's provisioned CIDRs,
   * the VPC's IPv6 blocks, else 0.0.0.0/0 or ::/0.
   */
  within: Cidr[];
  /** The IPAM pool of its VPC: other VPCs of the pool never hold it (IPAM allocations do not overlap). */
  pool?: string;
  /** The netmask length of its VPC's CIDR, when written. */
  prefix?: number;
  /**
   * When `prefix` is not known: a netmask length its VPC's CIDR surely has at least (an IPv6 block AWS assigns is a
   * /44 to /60): a route shorter than that loses to the VPC's own route wherever both hold the address.
   */
  minPrefix?: number;
  /** How a route to its VPC's CIDR (local, or propagated into a TGW table) is named. */
  vpcCidr: string;
  /** Why the address is not known, for reasons: "is allocated by IPAM at apply". */
  why: string;
}

const ANY4 = parseCidr('0.0.0.0/0')!;
const ANY6 = parseCidr('::/0')!;

/** The address family of a range's addresses. */
export function rangeFamily(a: AddressRange): 4 | 6 {
  return a.within[0]?.family ?? 4;
}

/**
 * The range of an IPv6 address of a subnet whose IPv6 prefix is not known offline (AWS assigns it at apply, or it is
 * carved from the VPC's Amazon-provided block): AWS requires a subnet's IPv6 prefix to lie in one of its VPC's IPv6
 * blocks, whose local routes hold it wherever it is. Lookups are decided where every address of those blocks gets the
 * same answer (a route to the subnet's own prefix, not known offline either, leaves them Unknown). The blocks' CIDRs
 * bound it when every one is written; otherwise (an Amazon-provided block, which the model of a configuration does not
 * list) only that each is a /44 or longer is known. The caller asks only for a subnet that has an IPv6 prefix (dual-stack
 * or IPv6-only), so its VPC has an IPv6 block.
 */
export function ipv6Address(index: ModelIndex, subnet: Subnet, vpcId: string): AddressRange | undefined {
  if (subnet.ipv6Cidr !== undefined && !isUnresolved(subnet.ipv6Cidr)) return undefined;
  const v = index.resolve(vpcId, 'vpc');
  if (!v || v.flavor !== 'vpc') return undefined;
  const blocks = v.cidrs.filter((c) => (isUnresolved(c) ? c.family === 6 : c.includes(':')));
  const known = blocks.map((c) => (isUnresolved(c) ? undefined : parseCidr(c)));
  const bounded = known.length > 0 && known.every((c): c is Cidr => c?.family === 6);
  const within = bounded ? known : [ANY6];
  const prefix = bounded && within.every((c) => c.prefix === within[0].prefix) ? within[0].prefix : undefined;
  const vpcName = v.name || v.id;
  return {
    text: `<IPv6 address of ${subnet.name || subnet.id}${bounded ? ` in ${within.map((c) => c.text).join(', ')}` : ''}>`,
    vpc: v.id,
    subnet: subnet.id,
    within,
    ...(prefix !== undefined ? { prefix } : { minPrefix: bounded ? Math.min(...within.map((c) => c.prefix)) : 44 }),
    vpcCidr: bounded && within.length === 1 ? within[0].text : `<IPv6 CIDR of ${vpcName}>`,
    why: `is in ${subnet.name || subnet.id}'s IPv6 prefix, which AWS assigns at apply inside ${vpcName}'s IPv6 block`,
  };
}

/** The range of a subnet's address when the subnet's CIDR is not known and its VPC's one IPv4 CIDR is an IPAM allocation. */
export function ipamAddress(index: ModelIndex, subnet: Subnet, vpcId: string, of?: string): AddressRange | undefined {
  if (subnet.ipv6Native === true || !isUnresolved(subnet.cidr)) return undefined;
  const v = index.resolve(vpcId, 'vpc');
  const ipam = v?.ipam;
  if (!v || !ipam || !isIpamAllocated(v)) return undefined;
  const within = ipamBounds(v) ?? [];
  const bounded = within.length > 0;
  const vpcName = v.name || v.id;
  return {
    text: `<IPAM address${of ? ` of ${of}` : ''}${bounded ? ` in ${within.map((c) => c.text).join(', ')}` : ''}>`,
    vpc: v.id,
    subnet: subnet.id,
    within: bounded ? within : [ANY4],
    ...(typeof ipam.pool === 'string' ? { pool: ipam.pool } : {}),
    ...(ipam.netmaskLength !== undefined ? { prefix: ipam.netmaskLength } : {}),
    vpcCidr: `<CIDR of ${vpcName}>`,
    why: 'is allocated by IPAM at apply',
  };
}

/** The rows of a CIDR chosen by the stack's region (Unresolved.byRegion), when each is an IPv4 CIDR. */
export function regionRows(v: Val<string> | undefined): { region: string; cidr: Cidr }[] | undefined {
  if (!isUnresolved(v) || !v.byRegion) return undefined;
  const out: { region: string; cidr: Cidr }[] = [];
  for (const r of v.byRegion.rows) {
    const c = parseCidr(r.value);
    if (c?.family !== 4) return undefined;
    out.push({ region: r.region, cidr: c });
  }
  return out;
}

/**
 * The range of a subnet's address when its CIDR is the row of the stack's region in a CloudFormation mapping
 * (`!FindInMap [Map, !Ref AWS::Region, Key]`) whose rows are all IPv4 CIDRs: an address of one of them. A lookup
 * is then decided only when every row's addresses get the same answer, so the verdict holds in every region.
 */
export function regionAddress(index: ModelIndex, subnet: Subnet, vpcId: string, of?: string): AddressRange | undefined {
  if (subnet.ipv6Native === true) return undefined;
  const rows = regionRows(subnet.cidr);
  const v = rows ? index.resolve(vpcId, 'vpc') : undefined;
  if (!rows || !v || !isUnresolved(subnet.cidr)) return undefined;
  // The VPC's one IPv4 CIDR: its netmask length, when every region gives the same.
  const v4 = v.cidrs.filter((c) => (isUnresolved(c) ? c.family !== 6 : !c.includes(':')));
  let prefix: number | undefined;
  let vpcCidr = `<CIDR of ${v.name || v.id}>`;
  if (v4.length === 1) {
    const c = v4[0];
    const vr = regionRows(c);
    if (vr && vr.every((r) => r.cidr.prefix === vr[0].cidr.prefix)) prefix = vr[0].cidr.prefix;
    const known = isUnresolved(c) ? undefined : parseCidr(c);
    if (known) {
      prefix = known.prefix;
      vpcCidr = known.text;
    }
  }
  const cidrs = [...new Set(rows.map((r) => r.cidr.text))];
  const u = subnet.cidr;
  return {
    text: `<address${of ? ` of ${of}` : ''} in ${cidrs.join(', ')} (${u.byRegion!.mapping} by the stack's region)>`,
    vpc: v.id,
    subnet: subnet.id,
    within: rows.map((r) => r.cidr),
    ...(prefix !== undefined ? { prefix } : {}),
    vpcCidr,
    why: `is in the row of the stack's region of mapping ${u.byRegion!.mapping} (${rows.map((r) => `${r.region}: ${r.cidr.text}`).join(', ')}), known at deploy time`,
  };
}

/** The VPC's one IPv4 CIDR is an IPAM allocation (a secondary CIDR could hold a subnet instead: then nothing bounds it). */
function isIpamAllocated(v: Vpc): boolean {
  return !!v.ipam && !v.cidrs.some((c) => typeof c === 'string' && !c.includes(':')) && v.cidrs.filter(isUnresolved).length === 1;
}

/**
 * The CIDRs every IPv4 address of an IPAM-allocated VPC lies in (its pool's provisioned CIDRs), when the
 * inputs provision the pool; undefined when nothing bounds them.
 */
export function ipamBounds(v: Vpc): Cidr[] | undefined {
  if (!isIpamAllocated(v)) return undefined;
  const written = v.ipam?.within ?? [];
  const within = written.map((c) => parseCidr(c)).filter((c): c is Cidr => c?.family === 4);
  return within.length > 0 && within.length === written.length ? within : undefined;
}

type Relation = 'all' | 'none' | 'some';

/** Whether a CIDR holds every address of the range, none of them, or only some. */
function relation(c: Cidr, a: AddressRange): Relation {
  if (c.family !== rangeFamily(a)) return 'none';
  let all = true;
  let none = true;
  for (const r of a.within) {
    if (cidrContains(c, r)) none = false;
    else {
      all = false;
      if (cidrContains(r, c)) none = false;
    }
  }
  return all ? 'all' : none ? 'none' : 'some';
}

/** Whether the CIDR of another VPC, not known offline, may hold the address. */
function otherVpcMayHold(index: ModelIndex, vpcId: string, a: AddressRange): boolean {
  const v = index.resolve(vpcId, 'vpc');
  // An IPv6 address: only another VPC's IPv6 block not known offline may hold it (the IPv4 pools say nothing of it).
  if (rangeFamily(a) === 6) return v?.cidrs.some((c) => isUnresolved(c) && c.family !== 4) ?? true;
  // A CIDR chosen by region: it may hold the address only if a row of it (any region) meets the range.
  const unknown = v?.cidrs.filter(isUnresolved) ?? [];
  if (unknown.length > 0 && unknown.every((c) => c.family === 6 || regionRows(c)))
    return unknown.some((c) => regionRows(c)?.some((r) => relation(r.cidr, a) !== 'none'));
  const ipam = v?.ipam;
  if (!ipam) return true;
  if (a.pool !== undefined && ipam.pool === a.pool) return false;
  const within = ipam.within?.map((c) => parseCidr(c));
  return !within || within.length === 0 || within.some((c) => !c || relation(c, a) !== 'none');
}

interface Best<R> {
  prefix: number;
  route: R;
  destination: string;
  cidr: Cidr;
  /** Loses a tie to a route that is not (an implicit local route, a propagated TGW route). */
  weak: boolean;
  /** A route to the source subnet's own prefix (Unresolved.prefixOf): it beats the VPC's own route whatever its length. */
  subnetPrefix?: true;
}

/** A route that may or may not match, depending on the address: `prefix` when known; `all` when it holds every one. */
interface Doubt<R> {
  route: R;
  prefix?: number;
  all?: boolean;
  why: string;
}

type Decided<R> = { kind: 'best'; best?: Best<R>; own: boolean } | { kind: 'doubt'; doubt: Doubt<R>; netmask?: true };

/**
 * Longest prefix match for every address of the range at once. `own`: the table routes the range's own VPC
 * CIDR (its local route, or its attachment's propagation), which holds the address but whose place is not known.
 */
function decide<R>(best: Best<R> | undefined, doubts: Doubt<R>[], own: boolean, a: AddressRange): Decided<R> {
  let ownWins = false;
  if (own) {
    const minWithin = Math.min(...a.within.map((c) => c.prefix));
    if (!best) ownWins = true;
    else if (best.subnetPrefix) ownWins = false;
    // A route with exactly the VPC's CIDR replaces the local route (a static TGW route beats a propagated one).
    else if (a.prefix !== undefined) ownWins = a.prefix > best.prefix || (a.prefix === best.prefix && best.weak);
    else if (best.prefix < minWithin || (a.minPrefix !== undefined && best.prefix < a.minPrefix)) ownWins = true;
    else return { kind: 'doubt', doubt: { route: best.route, prefix: best.prefix, why: `holds the whole range` }, netmask: true };
  }
  const floor = a.prefix ?? a.minPrefix;
  for (const d of doubts) {
    // Less specific than the VPC's own CIDR: wherever it matches, the VPC's route wins.
    if (ownWins && floor !== undefined && d.prefix !== undefined && d.prefix < floor) continue;
    if (!ownWins && d.all && best && d.prefix !== undefined && d.prefix < best.prefix) continue;
    return { kind: 'doubt', doubt: d };
  }
  return { kind: 'best', ...(ownWins ? {} : best ? { best } : {}), own: ownWins };
}

function consider<R>(cur: Best<R> | undefined, next: Best<R>): Best<R> {
  return !cur || next.prefix > cur.prefix || (next.prefix === cur.prefix && cur.weak && !next.weak) ? next : cur;
}

function routeName(r: Route): string {
  return r.address ?? r.id.slice(r.id.lastIndexOf('#') + 1);
}

/** lookupRoute (routing.ts) for an address known only by its range. */
export function lookupRange(index: ModelIndex, table: RouteTable, vpcId: string | undefined, a: AddressRange): RouteLookup {
  let best: Best<Route> | undefined;
  const doubts: Doubt<Route>[] = [];
  const take = (c: Cidr, route: Route, destination: string): void => {
    const rel = relation(c, a);
    if (rel === 'none') return;
    if (rel === 'some') doubts.push({ route, prefix: c.prefix, why: `to ${destination} holds only part of ${rangeText(a)}` });
    else if (route.undecided)
      doubts.push({
        route,
        prefix: c.prefix,
        all: true,
        why: `to ${destination} may not exist (\`${route.undecided.text}\`: ${route.undecided.reason})`,
      });
    else best = consider(best, { prefix: c.prefix, route, destination, cidr: c, weak: route.implicit === true });
  };
  for (const route of table.routes) {
    const d = route.destination;
    if ('cidr' in d) {
      if (isUnresolved(d.cidr)) {
        // An unknown prefix of the other family never holds the address.
        if (d.cidr.family !== undefined && d.cidr.family !== rangeFamily(a)) continue;
        // A subnet's own IPv6 prefix (not known offline) holds every address the range stands for; another subnet's of
        // its VPC holds none (subnet prefixes do not overlap). The route is longer than the VPC's block, or replaces
        // its local route when as long: it wins over the local route and over any route holding the whole block.
        const of = d.cidr.prefixOf;
        if (of !== undefined && rangeFamily(a) === 6 && route.undecided === undefined) {
          if (index.refId(of) === a.subnet) {
            const cidr: Cidr = { family: 6, network: 0n, prefix: 128, text: d.cidr.text };
            best = consider(best, { prefix: 128, route, destination: d.cidr.text, cidr, weak: false, subnetPrefix: true });
            continue;
          }
          const s = index.resolve(of, 'subnet');
          if (s && index.refId(s.vpc) === a.vpc) continue;
        }
        doubts.push({ route, why: `has a destination not known offline (${d.cidr.text}: ${d.cidr.reason})` });
        continue;
      }
      const c = cidrInfo(d.cidr);
      if (c) take(c.cidr, route, c.cidr.text);
      else doubts.push({ route, why: `has a destination that is not a CIDR (${quoted(d.cidr)})` });
    } else {
      const pl = index.resolve(d.prefixList, 'prefixList');
      if (!pl) {
        doubts.push({ route, why: `names a prefix list that is not in the inputs` });
        continue;
      }
      for (const v of pl.cidrs) {
        const c = isUnresolved(v) ? undefined : cidrInfo(v);
        if (c) take(c.cidr, route, pl.name || pl.id);
        else doubts.push({ route, why: `names prefix list ${pl.name || pl.id}, which has an entry not known offline` });
      }
    }
  }
  const own = vpcId !== undefined && index.refId(vpcId) === a.vpc;
  if (vpcId && !own) {
    const v = index.resolve(vpcId, 'vpc');
    const unknownCidr = v?.cidrs.find((c) => isUnresolved(c) && (c.family === undefined || c.family === rangeFamily(a)));
    if (unknownCidr && isUnresolved(unknownCidr) && otherVpcMayHold(index, vpcId, a))
      doubts.push({
        route: localRoute(table, { family: rangeFamily(a), network: 0n, prefix: 0, text: unknownCidr.text }),
        why: `is the local route of ${v?.name || vpcId}, whose CIDR is not known offline (${unknownCidr.text})`,
      });
    for (const c of index.vpcCidrs(vpcId)) take(c, localRoute(table, c), c.text);
  }
  if (!table.unplaced) {
    for (const f of index.unplacedRoutes()) {
      if (f.table.loc.file === table.loc.file || relation(f.info.cidr, a) === 'none') continue;
      doubts.push({
        route: f.route,
        prefix: f.info.cidr.prefix,
        why: `for ${f.info.cidr.text} may be in this table: it is written for ${f.table.unplaced!.text}, a table of another stack that the inputs do not identify`,
      });
    }
  }
  const tableName = table.name || table.id;
  const r = decide(best, doubts, own, a);
  if (r.kind === 'doubt') {
    const d = r.doubt.route;
    return { kind: 'unknown', reason: doubtReason(`route table ${tableName}`, `${routeName(d)} (${where(d.loc)})`, r, a), route: d };
  }
  if (r.own) {
    const cidr: Cidr = { family: rangeFamily(a), network: 0n, prefix: a.prefix ?? 0, text: a.vpcCidr };
    return { kind: 'match', route: localRoute(table, cidr), destination: a.vpcCidr, matched: cidr };
  }
  return r.best ? { kind: 'match', route: r.best.route, destination: r.best.destination, matched: r.best.cidr } : { kind: 'none' };
}

function rangeText(a: AddressRange): string {
  return a.within.length === 1 && a.within[0].prefix === 0 ? 'the addresses it may have' : a.within.map((c) => c.text).join(', ');
}

function doubtReason(table: string, route: string, r: Extract<Decided<unknown>, { kind: 'doubt' }>, a: AddressRange): string {
  const why = r.netmask
    ? `${table}: route${route && ` ${route}`} ${r.doubt.why}, and whether it is exactly the VPC's own CIDR (then it replaces the route to ${a.vpcCidr}) depends on the netmask length, which is not known offline`
    : `${table}: route${route && ` ${route}`} ${r.doubt.why}`;
  return `${why}; the source's address ${a.text} ${a.why}, so which route it takes is not known offline`;
}

/** A route a TGW route table may use: a static one, or one a propagating attachment puts there. */
export interface TgwRangeCandidate {
  id: string;
  loc: TgwRoute['loc'];
  destination: TgwRoute['destination'];
  attachment?: TgwRoute['attachment'];
  blackhole: boolean;
  propagated?: true;
}

/**
 * Longest prefix match in a TGW route table for every address of the range: its static routes, then the
 * propagations (the range's own VPC's holds it; another VPC of its pool never does).
 */
export function tgwRangeMatch(
  index: ModelIndex,
  table: TgwRouteTable,
  a: AddressRange,
): { kind: 'match'; best?: TgwRangeCandidate } | { kind: 'unknown'; reason: string } {
  let best: Best<TgwRangeCandidate> | undefined;
  const doubts: Doubt<TgwRangeCandidate>[] = [];
  const take = (c: Cidr, r: TgwRangeCandidate): void => {
    const rel = relation(c, a);
    if (rel === 'none') return;
    if (rel === 'some') doubts.push({ route: r, prefix: c.prefix, why: `to ${c.text} holds only part of ${rangeText(a)}` });
    else best = consider(best, { prefix: c.prefix, route: r, destination: c.text, cidr: c, weak: r.propagated === true });
  };
  for (const r of table.routes) {
    const d = r.destination;
    const c = isUnresolved(d) ? undefined : parseCidr(d);
    if (c) take(c, r);
    else doubts.push({ route: r, why: `has a destination not known offline (${isUnresolved(d) ? d.text : d})` });
  }
  let ownAtt: TgwRangeCandidate | undefined;
  for (const p of table.propagations) {
    const att = index.resolve(p, 'tgwAttachment');
    const vpc = att ? index.refId(att.vpc) : undefined;
    if (!att || !vpc) continue;
    const route = (text: string): TgwRangeCandidate => ({
      id: `${table.id}#propagated:${att.id}:${text}`,
      loc: table.loc,
      destination: text,
      attachment: att.id,
      blackhole: false,
      propagated: true,
    });
    if (vpc === a.vpc) {
      ownAtt ??= route(a.vpcCidr);
      continue;
    }
    const v = index.resolve(vpc, 'vpc');
    if (v?.cidrs.some(isUnresolved) && otherVpcMayHold(index, vpc, a))
      doubts.push({
        route: route('?'),
        why: `propagated from ${att.name || att.id} is ${v.name || vpc}'s CIDR, which is not known offline`,
      });
    for (const c of index.vpcCidrs(vpc)) take(c, route(c.text));
  }
  // A propagation that may not exist: it matters wherever its VPC may hold the address.
  for (const u of table.undecidedPropagations ?? []) {
    const vpc = index.refId(index.resolve(u.attachment, 'tgwAttachment')?.vpc);
    if (!vpc) continue;
    const may =
      vpc === a.vpc ||
      (index.resolve(vpc, 'vpc')?.cidrs.some(isUnresolved) === true && otherVpcMayHold(index, vpc, a)) ||
      index.vpcCidrs(vpc).some((c) => relation(c, a) !== 'none');
    if (may)
      doubts.push({
        route: { id: `${table.id}#maybe-propagated:${u.attachment}`, loc: table.loc, destination: '?', blackhole: false, propagated: true },
        ...(vpc === a.vpc && a.prefix !== undefined ? { prefix: a.prefix } : {}),
        why: `propagated from ${index.label(u.attachment)} may not exist (\`${u.why.text}\`: ${u.why.reason})`,
      });
  }
  const r = decide(best, doubts, ownAtt !== undefined, a);
  if (r.kind === 'doubt') {
    const d = r.doubt.route;
    return {
      kind: 'unknown',
      reason: doubtReason(`TGW route table ${table.name || table.id}`, d.propagated ? '' : `${d.id} (${where(d.loc)})`, r, a),
    };
  }
  return { kind: 'match', ...(r.own ? { best: ownAtt } : r.best ? { best: r.best.route } : {}) };
}
