// A VNet's own VPN gateway (in its GatewaySubnet) programs the routes of its connections into every subnet
// of the VNet: the static prefixes of each connection, and over BGP what the other end advertises. Azure
// picks the longest prefix first; only between equal prefixes does a UDR beat a gateway route, and a gateway
// route the system route (docs/domain.md, "Azure route selection"). So a learned 0.0.0.0/0 beats the system
// route 0.0.0.0/0 -> Internet but never a UDR, and a learned prefix longer than a matching UDR's beats it.
// The one other end whose advertisements the inputs decide is a Virtual WAN hub: with internet security on
// its connection and routing intent sending Internet traffic to the hub firewall, the hub advertises
// 0.0.0.0/0 to that firewall.
import type { Firewall, HubVpnGateway, RouteTable, UnmodelledResource, VnetGateway, VnetGatewayConnection, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import type { Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import { hubInternetPolicy } from './azure';
import { hubTableRoute } from './hubRoutes';
import { unmodelledRoutes } from './route';
import { nameOf, noted, unknown, type Association, type Step, type Walk } from './walk';

/**
 * What one connection makes of the lookup: nothing, a learned default route to a hub firewall, or a route
 * that cannot be decided. `bits`: the length of the learned prefix holding the address when the inputs say
 * it; absent when the other end may advertise anything (then any length up to a host route).
 */
type Learned =
  | { kind: 'none' }
  | { kind: 'firewall'; firewall: Firewall; note: string; bits: 0 }
  | { kind: 'undecided'; why: string; by?: UnmodelledResource[]; bits?: number };

type Ip = NonNullable<ReturnType<typeof parseIp>>;

const NONE: Learned = { kind: 'none' };
const undecided = (why: string, bits?: number): Learned =>
  bits === undefined ? { kind: 'undecided', why } : { kind: 'undecided', why, bits };

/** A UDR the lookup matched: its prefix length, as written, and its next hop, for the comparison and the reason. */
export interface MatchedUdr {
  bits: number;
  destination: string;
  target: string;
}

/**
 * The route the VNet's gateways give the walk's destination (outside the VNet), ahead of the system route:
 * undefined when none of them has one (the system route decides), the hub firewall when a hub advertises
 * 0.0.0.0/0 to a gateway over BGP, Unknown at the gateway when the inputs leave it open.
 */
export function gatewayRoute(w: Walk, from: Hop, vpc: string, table: RouteTable | undefined, association: Association): Step | undefined {
  const { index } = w;
  const gateways = index.ofKind('vnetGateway');
  if (gateways.length === 0) return undefined;
  const own = gateways.filter((g) => g.subnets.some((s) => vnetOfSubnet(index, s) === vpc));
  if (own.length === 0) return undefined;
  const addr = parseIp(w.dst);
  const learned = addr ? learnedRoutes(index, w.dst, own, addr) : [];
  if (addr && learned.length === 0) return undefined;
  const stop = (g: VnetGateway, why: string) =>
    noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: why }, g.id));
  const propagation = table?.gatewayPropagation;
  if (table && propagation !== undefined && isUnresolved(propagation))
    return stop(own[0], `whether ${nameOf(table)} lets gateway routes in (BGP route propagation) cannot be decided: ${propagation.reason}`);
  if (table && propagation === false) {
    from.note += `; gateway route propagation is off in ${nameOf(table)}`;
    return undefined;
  }
  if (!addr) return stop(own[0], `whether the routes of gateway ${nameOf(own[0])} hold ${w.dst} cannot be decided`);
  let chosen: { firewall: Firewall; note: string } | undefined;
  for (const { gateway: g, route: r } of learned) {
    if (r.kind === 'undecided') {
      if (r.by) return unmodelledRoutes(w, from, table?.id ?? vpc, r.by);
      return stop(g, r.bits === undefined ? `${r.why} (a 0.0.0.0/0 would beat the system route)` : r.why);
    }
    if (r.kind !== 'firewall') continue;
    if (chosen && chosen.firewall.id !== r.firewall.id)
      return stop(
        g,
        `the VNet learns 0.0.0.0/0 both to ${nameOf(chosen.firewall)} and to ${nameOf(r.firewall)}: which one its gateways prefer cannot be decided`,
      );
    chosen ??= r;
  }
  if (!chosen) return undefined;
  from.decision = {
    routeTable: table?.id ?? vpc,
    destination: '0.0.0.0/0',
    target: nameOf(chosen.firewall),
    association: table ? association : 'implicit',
  };
  from.note += chosen.note;
  return { kind: 'arrive', element: chosen.firewall, from, vpc };
}

/**
 * A UDR of `table` matched the destination: a route of the VNet's own gateways that holds it with a longer
 * prefix wins instead. Undefined when none does or may (the UDR decides); Unknown
 * at the gateway when one does or may, since where a gateway sends what it learned is not followed. A hub's
 * 0.0.0.0/0 is never longer than a UDR's prefix; a host route (/32, /128) cannot be beaten. Addresses of the
 * VNet itself or of a peered VNet keep their UDR: Azure prefers those system routes to any gateway route.
 */
export function gatewayRouteOverUdr(w: Walk, from: Hop, vpc: string, table: RouteTable, udr: MatchedUdr): Step | undefined {
  const { index } = w;
  // (A Route Server, unmodelled, already makes every lookup in the VNet's tables Unknown.)
  if (table.gatewayPropagation === false) return undefined;
  const gateways = index.ofKind('vnetGateway');
  if (gateways.length === 0) return undefined;
  const addr = parseIp(w.dst);
  if (!addr) return undefined;
  const hostBits = addr.family === 6 ? 128 : 32;
  if (udr.bits >= hostBits || vnetOrPeered(index, vpc, addr)) return undefined;
  const longer = (bits: number | undefined) => (bits === undefined ? udr.bits < hostBits : bits > udr.bits);
  const udrText = `the UDR ${udr.destination} -> ${udr.target} of ${nameOf(table)}`;
  const rule = '(Azure takes the longest prefix before the kind of route)';
  const own = gateways.filter((g) => g.subnets.some((s) => vnetOfSubnet(index, s) === vpc));
  if (own.length === 0) return undefined;
  const winner = learnedRoutes(index, w.dst, own, addr).find(({ route: r }) => r.kind !== 'none' && longer(r.bits));
  if (!winner) return undefined;
  const r = winner.route as Extract<Learned, { kind: 'undecided' }>;
  if (r.by) return unmodelledRoutes(w, from, table.id, r.by);
  const propagation = table.gatewayPropagation;
  const why =
    propagation !== undefined && isUnresolved(propagation)
      ? `whether ${nameOf(table)} lets gateway routes in (BGP route propagation) cannot be decided: ${propagation.reason}; ${r.why}`
      : r.why;
  const wins =
    r.bits === undefined
      ? `a learned route more specific than ${udrText} would win ${rule}`
      : `that /${r.bits} is more specific than ${udrText}, so it wins ${rule}`;
  return noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: `${why}; ${wins}` }, winner.gateway.id));
}

/**
 * The hub firewall the VNet's own gateways learn the destination's route to (a hub's 0.0.0.0/0), whatever the
 * propagation setting of its route tables: what a table with propagation off misses. Undefined unless every
 * gateway route holding the destination is that one decided route.
 */
export function learnedFirewall(index: ModelIndex, vpc: string, dst: string): { firewall: Firewall; gateway: VnetGateway } | undefined {
  const addr = parseIp(dst);
  const own = index.ofKind('vnetGateway').filter((g) => g.subnets.some((s) => vnetOfSubnet(index, s) === vpc));
  if (!addr || own.length === 0) return undefined;
  let out: { firewall: Firewall; gateway: VnetGateway } | undefined;
  for (const { gateway, route } of learnedRoutes(index, dst, own, addr)) {
    if (route.kind !== 'firewall' || (out && out.firewall.id !== route.firewall.id)) return undefined;
    out ??= { firewall: route.firewall, gateway };
  }
  return out;
}

/** The routes of the VNet's gateways that hold the address (in connection order), each with its gateway. */
function learnedRoutes(index: ModelIndex, dst: string, own: VnetGateway[], addr: Ip): { gateway: VnetGateway; route: Learned }[] {
  const out: { gateway: VnetGateway; route: Learned }[] = [];
  for (const g of own)
    for (const route of [clientPools(g, addr), ...connectionsOf(index, g).map((c) => connectionRoute(index, dst, g, c, addr))])
      if (route.kind !== 'none') out.push({ gateway: g, route });
  return out;
}

/** Whether the address is in the VNet's own space or a peered VNet's: Azure's system routes for those win. */
function vnetOrPeered(index: ModelIndex, vpc: string, addr: Ip): boolean {
  if (index.vpcCidrs(vpc).some((c) => cidrContainsIp(c, addr))) return true;
  for (const p of index.ofKind('peering')) {
    const peer = index.refId(p.vpc) === vpc ? index.refId(p.peerVpc) : index.refId(p.peerVpc) === vpc ? index.refId(p.vpc) : undefined;
    if (peer && index.vpcCidrs(peer).some((c) => cidrContainsIp(c, addr))) return true;
  }
  return false;
}

function vnetOfSubnet(index: ModelIndex, ref: VnetGateway['subnets'][number]): string | undefined {
  const s = index.resolve(ref, 'subnet');
  return s ? index.refId(s.vpc) : undefined;
}

function connectionsOf(index: ModelIndex, g: VnetGateway): VnetGatewayConnection[] {
  return index.ofKind('vnetGatewayConnection').filter((c) => index.refId(c.gateway) === g.id);
}

/** Whether a decided prefix list holds the address: the longest prefix holding it, or why it cannot be decided. */
function holding(prefixes: Val<string>[], addr: Ip): { prefix?: string; bits?: number; why?: string } {
  let best: { prefix: string; bits: number } | undefined;
  for (const p of prefixes) {
    if (isUnresolved(p)) return { why: `${p.text || 'a prefix'} cannot be decided: ${p.reason}` };
    const c = parseCidr(p);
    if (!c) return { why: `${p} is not a prefix` };
    if (cidrContainsIp(c, addr) && (!best || c.prefix > best.bits)) best = { prefix: p, bits: c.prefix };
  }
  return best ?? {};
}

/** Point-to-site clients: their address pools are routed to the gateway. */
function clientPools(g: VnetGateway, addr: Ip): Learned {
  const h = holding(g.clientPools, addr);
  if (h.why) return undecided(`the point-to-site client pool of gateway ${nameOf(g)}: ${h.why}`);
  if (h.prefix)
    return undecided(`gateway ${nameOf(g)} routes ${h.prefix} to its point-to-site clients, which the model does not follow`, h.bits);
  return NONE;
}

function connectionRoute(index: ModelIndex, dst: string, g: VnetGateway, c: VnetGatewayConnection, addr: Ip): Learned {
  const type = c.connectionType;
  if (isUnresolved(type)) return undecided(`the type of connection ${nameOf(c)} cannot be decided: ${type.reason}`);
  if (type === 'ExpressRoute')
    return undecided(`connection ${nameOf(c)} brings the routes of an ExpressRoute circuit, which the inputs do not hold`);
  for (const flag of [g.bgp, c.bgp])
    if (isUnresolved(flag))
      return undecided(`whether connection ${nameOf(c)} of gateway ${nameOf(g)} runs BGP cannot be decided: ${flag.reason}`);
  const bgp = g.bgp === true && c.bgp === true;
  if (type === 'Vnet2Vnet') {
    if (bgp)
      return undecided(`over BGP, connection ${nameOf(c)} learns what the other VNet's gateway knows, which the model does not follow`);
    const peer = index.resolve(c.peerGateway, 'vnetGateway');
    const peerVnet = peer?.subnets.map((s) => vnetOfSubnet(index, s)).find((v) => v !== undefined);
    if (!peerVnet) return undecided(`the VNet at the other end of connection ${nameOf(c)} is not in the inputs`);
    if (index.unresolvedCidrs(peerVnet)) return undecided(`the address space of ${index.label(peerVnet)} cannot be decided`);
    const held = index.vpcCidrs(peerVnet).filter((n) => cidrContainsIp(n, addr));
    if (held.length > 0)
      return undecided(
        `connection ${nameOf(c)} sends ${dst} to ${index.label(peerVnet)} over its tunnel, which the model does not follow`,
        Math.max(...held.map((n) => n.prefix)),
      );
    return NONE;
  }
  if (type !== 'IPsec') return undecided(`connections of type ${type} (${nameOf(c)}) are not followed`);
  const local = index.resolve(c.localGateway, 'localNetworkGateway');
  if (!local) return undecided(`the local network gateway of connection ${nameOf(c)} is not in the inputs`);
  const h = holding(local.addressSpace, addr);
  if (h.why) return undecided(`the address space of local network gateway ${nameOf(local)}: ${h.why}`);
  const hubGateway = bgp && local.remote ? index.resolve(local.remote, 'hubVpnGateway') : undefined;
  if (h.prefix)
    return undecided(
      `connection ${nameOf(c)} sends ${dst} over its tunnel to local network gateway ${nameOf(local)} (${h.prefix}), which the model does not follow`,
      // Over BGP a device may advertise a longer prefix inside its static one; a hub advertises only its default route.
      bgp && !hubGateway ? undefined : h.bits,
    );
  if (!bgp) return NONE;
  if (!hubGateway)
    return undecided(
      `over BGP, connection ${nameOf(c)} learns whatever the device behind local network gateway ${nameOf(local)} advertises, which the inputs do not hold`,
    );
  return fromHub(index, g, c, hubGateway, dst);
}

/**
 * What a Virtual WAN hub advertises to the gateway over its site-to-site connection that may hold an internet
 * address: its default route (what it relays from its other connections is not followed; docs/domain.md).
 */
function fromHub(index: ModelIndex, g: VnetGateway, c: VnetGatewayConnection, hubGateway: HubVpnGateway, dst: string): Learned {
  const hub = index.refId(hubGateway.hub);
  if (!hub) return undecided(`the virtual hub of VPN gateway ${nameOf(hubGateway)} is not in the inputs`);
  const links = index.ofKind('hubVpnConnection').filter((hc) => {
    if (index.refId(hc.vpnGateway) !== hubGateway.id) return false;
    return index.resolve(hc.site, 'vpnSite')?.peers.includes(g.id) ?? false;
  });
  if (links.length === 0)
    return undecided(
      `no connection of hub VPN gateway ${nameOf(hubGateway)} has a VPN site naming gateway ${nameOf(g)}, so what the hub advertises to it cannot be decided`,
    );
  // Hub route tables and static routes the model does not follow may carry a 0.0.0.0/0 of their own.
  const touched = index.unmodelledTouching(hub);
  if (touched.length > 0) return { kind: 'undecided', why: '', by: touched };
  let out: Learned = NONE;
  for (const hc of links) {
    const bgp = hc.linksBgp.find(isUnresolved);
    if (bgp) return undecided(`whether connection ${nameOf(hc)} runs BGP cannot be decided: ${bgp.reason}`, 0);
    if (!hc.linksBgp.includes(true)) continue;
    if (isUnresolved(hc.internetSecurity))
      return undecided(
        `whether hub connection ${nameOf(hc)} propagates the hub's default route (internet_security_enabled) cannot be decided: ${hc.internetSecurity.reason}`,
        0,
      );
    const view = { name: nameOf(hc), ...(hc.associatedTable !== undefined ? { associatedTable: hc.associatedTable } : {}) };
    // A static 0.0.0.0/0 -> the hub's firewall in its default route table, advertised to the site like routing intent's.
    const read = hubTableRoute(index, hub, view, dst, hc.internetSecurity);
    if (typeof read === 'string' && read !== 'none') return undecided(read, 0);
    if (!hc.internetSecurity || read === 'none') continue;
    if (read) {
      out = {
        kind: 'firewall',
        firewall: read.firewall,
        bits: 0,
        note: `; 0.0.0.0/0 learned over BGP by gateway ${nameOf(g)} (connection ${nameOf(c)}) from virtual hub ${index.label(hub)} (hub connection ${nameOf(hc)} with internet security on; hub route ${read.route} of its default route table sends it to ${nameOf(read.firewall)})`,
      };
      continue;
    }
    const policy = hubInternetPolicy(index, hub);
    if (typeof policy === 'string') return undecided(policy, 0);
    if (!policy) continue;
    out = {
      kind: 'firewall',
      firewall: policy.firewall,
      bits: 0,
      note: `; 0.0.0.0/0 learned over BGP by gateway ${nameOf(g)} (connection ${nameOf(c)}) from virtual hub ${index.label(hub)} (hub connection ${nameOf(hc)} with internet security on; routing intent ${nameOf(policy.intent)} sends Internet traffic to ${nameOf(policy.firewall)})`,
    };
  }
  return out;
}
