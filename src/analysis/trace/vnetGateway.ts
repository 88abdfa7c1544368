// A VNet's own VPN gateway (in its GatewaySubnet) programs the routes of its connections into every subnet
// of the VNet: the static prefixes of each connection, and over BGP what the other end advertises. A learned
// 0.0.0.0/0 beats Azure's system route 0.0.0.0/0 -> Internet. The one other end whose advertisements the
// inputs decide is a Virtual WAN hub: with internet security on its connection and routing intent sending
// Internet traffic to the hub firewall, the hub advertises 0.0.0.0/0 to that firewall.
import type { Firewall, HubVpnGateway, RouteTable, UnmodelledResource, VnetGateway, VnetGatewayConnection, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import type { Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import { hubInternetPolicy } from './azure';
import { unmodelledRoutes } from './route';
import { nameOf, noted, unknown, type Association, type Step, type Walk } from './walk';

/** What one connection makes of the lookup: nothing, a learned default route to a hub firewall, or why it cannot be decided. */
type Learned =
  { kind: 'none' } | { kind: 'firewall'; firewall: Firewall; note: string } | { kind: 'undecided'; why: string; by?: UnmodelledResource[] };

type Ip = NonNullable<ReturnType<typeof parseIp>>;

const NONE: Learned = { kind: 'none' };
const undecided = (why: string): Learned => ({ kind: 'undecided', why });

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
  const stop = (g: VnetGateway, why: string) =>
    noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: why }, g.id));
  const propagation = table?.gatewayPropagation;
  if (table && propagation !== undefined && isUnresolved(propagation))
    return stop(own[0], `whether ${nameOf(table)} lets gateway routes in (BGP route propagation) cannot be decided: ${propagation.reason}`);
  if (table && propagation === false) {
    from.note += `; gateway route propagation is off in ${nameOf(table)}`;
    return undefined;
  }
  const addr = parseIp(w.dst);
  if (!addr) return stop(own[0], `whether the routes of gateway ${nameOf(own[0])} hold ${w.dst} cannot be decided`);
  let learned: { firewall: Firewall; note: string; gateway: VnetGateway } | undefined;
  for (const g of own) {
    for (const r of [clientPools(g, addr), ...connectionsOf(index, g).map((c) => connectionRoute(w, g, c, addr))]) {
      if (r.kind === 'none') continue;
      if (r.kind === 'undecided') {
        if (r.by) return unmodelledRoutes(w, from, table?.id ?? vpc, r.by);
        return stop(g, r.why);
      }
      if (learned && learned.firewall.id !== r.firewall.id)
        return stop(
          g,
          `the VNet learns 0.0.0.0/0 both to ${nameOf(learned.firewall)} and to ${nameOf(r.firewall)}: which one its gateways prefer cannot be decided`,
        );
      learned ??= { ...r, gateway: g };
    }
  }
  if (!learned) return undefined;
  from.decision = {
    routeTable: table?.id ?? vpc,
    destination: '0.0.0.0/0',
    target: nameOf(learned.firewall),
    association: table ? association : 'implicit',
  };
  from.note += learned.note;
  return { kind: 'arrive', element: learned.firewall, from, vpc };
}

function vnetOfSubnet(index: ModelIndex, ref: VnetGateway['subnets'][number]): string | undefined {
  const s = index.resolve(ref, 'subnet');
  return s ? index.refId(s.vpc) : undefined;
}

function connectionsOf(index: ModelIndex, g: VnetGateway): VnetGatewayConnection[] {
  return index.ofKind('vnetGatewayConnection').filter((c) => index.refId(c.gateway) === g.id);
}

/** Whether a decided prefix list holds the address: the first prefix holding it, or why it cannot be decided. */
function holding(prefixes: Val<string>[], addr: Ip): { prefix?: string; why?: string } {
  for (const p of prefixes) {
    if (isUnresolved(p)) return { why: `${p.text || 'a prefix'} cannot be decided: ${p.reason}` };
    const c = parseCidr(p);
    if (!c) return { why: `${p} is not a prefix` };
    if (cidrContainsIp(c, addr)) return { prefix: p };
  }
  return {};
}

/** Point-to-site clients: their address pools are routed to the gateway. */
function clientPools(g: VnetGateway, addr: Ip): Learned {
  const h = holding(g.clientPools, addr);
  if (h.why) return undecided(`the point-to-site client pool of gateway ${nameOf(g)}: ${h.why}`);
  if (h.prefix) return undecided(`gateway ${nameOf(g)} routes ${h.prefix} to its point-to-site clients, which the model does not follow`);
  return NONE;
}

function connectionRoute(w: Walk, g: VnetGateway, c: VnetGatewayConnection, addr: Ip): Learned {
  const { index } = w;
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
    if (index.vpcCidrs(peerVnet).some((n) => cidrContainsIp(n, addr)))
      return undecided(
        `connection ${nameOf(c)} sends ${w.dst} to ${index.label(peerVnet)} over its tunnel, which the model does not follow`,
      );
    return NONE;
  }
  if (type !== 'IPsec') return undecided(`connections of type ${type} (${nameOf(c)}) are not followed`);
  const local = index.resolve(c.localGateway, 'localNetworkGateway');
  if (!local) return undecided(`the local network gateway of connection ${nameOf(c)} is not in the inputs`);
  const h = holding(local.addressSpace, addr);
  if (h.why) return undecided(`the address space of local network gateway ${nameOf(local)}: ${h.why}`);
  if (h.prefix)
    return undecided(
      `connection ${nameOf(c)} sends ${w.dst} over its tunnel to local network gateway ${nameOf(local)} (${h.prefix}), which the model does not follow`,
    );
  if (!bgp) return NONE;
  const hubGateway = local.remote ? index.resolve(local.remote, 'hubVpnGateway') : undefined;
  if (!hubGateway)
    return undecided(
      `over BGP, connection ${nameOf(c)} learns whatever the device behind local network gateway ${nameOf(local)} advertises, which the inputs do not hold (a 0.0.0.0/0 would beat the system route)`,
    );
  return fromHub(w, g, c, hubGateway);
}

/** What a Virtual WAN hub advertises to the gateway over its site-to-site connection. */
function fromHub(w: Walk, g: VnetGateway, c: VnetGatewayConnection, hubGateway: HubVpnGateway): Learned {
  const { index } = w;
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
    if (bgp) return undecided(`whether connection ${nameOf(hc)} runs BGP cannot be decided: ${bgp.reason}`);
    if (!hc.linksBgp.includes(true)) continue;
    if (isUnresolved(hc.internetSecurity))
      return undecided(
        `whether hub connection ${nameOf(hc)} propagates the hub's default route (internet_security_enabled) cannot be decided: ${hc.internetSecurity.reason}`,
      );
    if (!hc.internetSecurity) continue;
    const policy = hubInternetPolicy(w, hub);
    if (typeof policy === 'string') return undecided(policy);
    if (!policy) continue;
    out = {
      kind: 'firewall',
      firewall: policy.firewall,
      note: `; 0.0.0.0/0 learned over BGP by gateway ${nameOf(g)} (connection ${nameOf(c)}) from virtual hub ${index.label(hub)} (hub connection ${nameOf(hc)} with internet security on; routing intent ${nameOf(policy.intent)} sends Internet traffic to ${nameOf(policy.firewall)})`,
    };
  }
  return out;
}
