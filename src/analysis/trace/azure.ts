// Azure: system routes when no UDR matches, network virtual appliances (a VM or firewall a UDR points to),
// and outbound access through the platform (or the NVA's public IP), with the reply back through the NVA.
import type { Firewall, Instance, NetworkElement, RouteTable, RoutingIntent, VpcPeering } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, parseIp } from '../../model/cidr';
import type { EnforcementPoint, Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import type { Design } from './arrive';
import { deliverLocal, unmodelledRoutes, viaSubnetTable } from './route';
import { gatewayRoute } from './vnetGateway';
import {
  addHop,
  dropped,
  elementHop,
  nameOf,
  noted,
  peerName,
  rangeOf,
  unknown,
  type ArriveStep,
  type Association,
  type Exit,
  type Step,
  type Stop,
  type Walk,
} from './walk';

/** Azure system routes when no UDR matches: the VNet's own space is local, everything else goes to Internet. */
export function azureSystemRoute(w: Walk, from: Hop, vpc: string, table: RouteTable | undefined, association: Association): Step {
  const { index } = w;
  const p = parseIp(w.dst);
  const local = p && index.vpcCidrs(vpc).some((c) => cidrContainsIp(c, p));
  // A route writer the model does not know (a Route Server, a script) may put a route there that beats the
  // system route outside the VNet's own space, as a custom resource may in a table; so may the VNet's own
  // gateway (vnetGateway.ts) or a Virtual WAN hub connection.
  if (!local) {
    const touched = index.unmodelledChanging(vpc, w.dst);
    if (touched.length > 0) return unmodelledRoutes(w, from, table?.id ?? vpc, touched);
    const gateway = gatewayRoute(w, from, vpc, table, association);
    if (gateway) return gateway;
    const hub = hubDefaultRoute(w, from, vpc, table, association);
    if (hub) return hub;
  }
  from.decision = {
    routeTable: table?.id ?? vpc,
    destination: local ? 'VNet address space' : '0.0.0.0/0',
    target: local ? 'VnetLocal' : 'Internet',
    association: table ? association : 'implicit',
  };
  from.note += local
    ? '; Azure system route: VNet address space -> VnetLocal'
    : '; Azure system route 0.0.0.0/0 -> Internet (no UDR matches)';
  if (local) return deliverLocal(w, from, vpc);
  return toInternet(w, from);
}

/**
 * A VNet connected to a Virtual WAN hub with internet security on (propagate the default route) learns the
 * hub's 0.0.0.0/0 when the hub's routing intent sends Internet traffic to its firewall: that route beats the
 * system route. Undefined when no connection brings one (no connection, internet security off, no Internet
 * routing policy): the system route decides. What the inputs leave open (a hub route table the model does
 * not follow, an undecided flag or next hop) is Unknown.
 */
function hubDefaultRoute(w: Walk, from: Hop, vpc: string, table: RouteTable | undefined, association: Association): Step | undefined {
  const { index } = w;
  const connections = index.ofKind('virtualHubConnection').filter((c) => index.refId(c.vpc) === vpc);
  if (connections.length === 0) return undefined;
  const detail = (why: string) => unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: why }, from.element);
  for (const c of connections) {
    const hub = index.refId(c.hub);
    // Hub route tables and static routes the model does not follow may carry a 0.0.0.0/0 of their own.
    const touched = [...(hub ? index.unmodelledTouching(hub) : []), ...index.unmodelledTouching(c.id)];
    if (touched.length > 0) return unmodelledRoutes(w, from, table?.id ?? vpc, touched);
    if (isUnresolved(c.internetSecurity))
      return noted(
        from,
        detail(
          `whether hub connection ${nameOf(c)} propagates the hub's default route (internet_security_enabled) cannot be decided: ${c.internetSecurity.reason}`,
        ),
      );
    if (!c.internetSecurity) continue;
    if (!hub)
      return noted(
        from,
        detail(`the virtual hub of connection ${nameOf(c)} is not in the inputs, so whether it advertises 0.0.0.0/0 cannot be decided`),
      );
    const policy = hubInternetPolicy(index, hub);
    if (typeof policy === 'string') return noted(from, detail(policy));
    if (!policy) continue;
    const { firewall: fw, intent } = policy;
    from.decision = {
      routeTable: table?.id ?? vpc,
      destination: '0.0.0.0/0',
      target: nameOf(fw),
      association: table ? association : 'implicit',
    };
    from.note += `; 0.0.0.0/0 learned from virtual hub ${index.label(hub)} over connection ${nameOf(c)} (internet security on; routing intent ${nameOf(intent)} sends Internet traffic to ${nameOf(fw)})`;
    return { kind: 'arrive', element: fw, from, vpc };
  }
  // Internet security on, but no Internet routing policy in the inputs: the hub advertises no default route.
  return undefined;
}

/**
 * Where a virtual hub's routing intent sends Internet traffic, which is the 0.0.0.0/0 it advertises to its
 * connections with internet security on: its firewall; undefined when no routing policy takes Internet
 * traffic (the hub advertises no default route); why not, when the inputs cannot decide.
 */
export function hubInternetPolicy(index: ModelIndex, hub: string): { firewall: Firewall; intent: RoutingIntent } | string | undefined {
  for (const intent of index.ofKind('routingIntent').filter((i) => index.refId(i.hub) === hub))
    for (const p of intent.policies) {
      if (p.destinations.some(isUnresolved))
        return `which traffic routing policy ${nameOf(intent)} sends to its next hop cannot be decided`;
      if (!p.destinations.includes('Internet')) continue;
      const firewall = index.resolve(index.refId(p.nextHop), 'firewall');
      if (!firewall)
        return `the next hop of routing intent ${nameOf(intent)} for Internet traffic is not a firewall of the inputs, so where the hub sends 0.0.0.0/0 cannot be decided`;
      return { firewall, intent };
    }
  return undefined;
}

/** Next hop Internet: the platform's default outbound access (or the NVA's public IP) translates. */
export function toInternet(w: Walk, from: Hop): Step {
  if (w.direction === 'forward' && !w.exit) {
    const nva = [...w.inspected].reverse().find((e) => e.kind === 'azure-nva');
    const closed = nva ? undefined : privateSubnetStop(w, from);
    if (closed) return closed;
    w.exit = azureExit(from.vpc ?? '', nva?.element, w.src);
  }
  return { kind: 'internet', from };
}

/**
 * A private subnet (default outbound access off) reaches the internet only through a NAT gateway or a public
 * IP of its own (an NVA passed on the way translates with its own): without either, nothing translates the
 * packet and it goes nowhere. Undefined when something does (or the subnet is not private).
 */
function privateSubnetStop(w: Walk, from: Hop): Stop | undefined {
  const { index } = w;
  const range = rangeOf(w, w.origin);
  const subnet = range ? index.resolve(range.subnet, 'subnet') : index.subnetContainingIp(w.origin);
  const flag = subnet?.defaultOutboundAccess;
  if (!subnet || flag === undefined || flag === true) return undefined;
  const open = (why: string) => noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: why }, subnet.id));
  if (isUnresolved(flag))
    return open(`whether ${nameOf(subnet)} has default outbound access cannot be decided: \`${flag.text}\` (${flag.reason})`);
  const nat = subnet.natGateway;
  if (nat !== undefined) {
    if (!isUnresolved(nat)) return undefined;
    return open(
      `${nameOf(subnet)} is private (no default outbound access); whether a NAT gateway serves it cannot be decided: ${nat.reason}`,
    );
  }
  const owner = index.elementByIp(w.origin);
  const hosts = owner?.kind === 'instance' ? [owner] : index.instancesInSubnet(subnet.id).filter((i) => !index.isAppliance(i.id));
  for (const h of hosts) {
    const p = h.associatePublicIp;
    if (p === true) return undefined;
    if (p !== undefined && isUnresolved(p))
      return open(
        `${nameOf(subnet)} is private (no default outbound access); whether ${nameOf(h)} has a public IP cannot be decided: ${p.reason}`,
      );
  }
  return noted(from, dropped(w, { cause: 'no-default-outbound', subnet: subnet.id }, subnet.id));
}

/**
 * A packet that an appliance (`sender`) of VNet `from` forwards into VNet `into` over their peering: the peering
 * of `into` whose remote is `from` must allow forwarded traffic when the packet did not start in `from`
 * (domain.md, Azure hub and spoke). Undefined when it passes; the stop when it is dropped or undecided. Azure
 * Firewall is not held to it: Microsoft's own hub-spoke deployments send spokes' egress through it with the
 * flag off on both sides, and the replies reach the spokes.
 */
function forwardedInto(w: Walk, sender: NetworkElement | undefined, from: string, into: string): Stop | undefined {
  const { index } = w;
  if (from === into || !sender || (sender.kind !== 'firewall' && sender.kind !== 'instance')) return undefined;
  if (sender.kind === 'firewall' && (sender.vendor === 'Azure Firewall' || sender.virtualHub !== undefined)) return undefined;
  const src = parseIp(w.src);
  if (src && index.vpcCidrs(from).some((c) => cidrContainsIp(c, src))) return undefined;
  let peering: VpcPeering | undefined;
  let other: VpcPeering | undefined;
  for (const p of index.ofKind('peering')) {
    const a = index.refId(p.vpc);
    const b = index.refId(p.peerVpc);
    if (a === into && b === from) peering = p;
    else if (a === from && b === into) other = p;
  }
  const undecided = (why: string) =>
    unknown(w, { cause: 'unresolved-input', what: 'forwarded-traffic', into, from, why }, peering?.id ?? sender.id);
  // With no peering of the two in the inputs the walk assumes them peered, as routing to a peered VNet does.
  if (!peering && !other) return undefined;
  if (!peering)
    return undecided(
      `the peering of ${index.label(into)} with ${index.label(from)} is not in the inputs (only ${nameOf(other!)}, the other side), so whether it allows forwarded traffic is not known`,
    );
  const allow = peering.allowForwardedTraffic;
  if (allow === undefined || allow === true) return undefined;
  if (isUnresolved(allow))
    return undecided(`allow_forwarded_traffic of peering ${nameOf(peering)} is ${allow.text || 'not decidable'} (${allow.reason})`);
  return dropped(w, { cause: 'forwarded-traffic-refused', peering: peering.id, into, from }, peering.id);
}

/** A VM or firewall in a VNet that a route sends traffic to: a network virtual appliance, which enforces its policy. */
function arriveNva(w: Walk, el: Instance | Firewall, s: ArriveStep): Step | undefined {
  const { index } = w;
  const azure = el.cloud === 'azure' || index.resolve(index.vpcOf(el.id), 'vpc')?.flavor === 'vnet';
  if (!azure) return undefined;
  // Sent on by an appliance of another VNet (a chain of appliances): the peering into this one decides.
  const here = index.vpcOf(el.id);
  const sender = index.get(s.from.element);
  if (here && s.vpc) {
    const refused = forwardedInto(w, sender, s.vpc, here);
    if (refused) return noted(s.from, refused);
  }
  const enforcement: EnforcementPoint = { kind: 'azure-nva', element: el.id, ...(index.azOf(el.id) ? { az: index.azOf(el.id) } : {}) };
  w.inspected.push(enforcement);
  const what = el.kind === 'firewall' && el.vendor === 'Azure Firewall' ? 'Azure Firewall' : 'network virtual appliance';
  const hop = elementHop(w, el, `${what} ${nameOf(el)} receives the packet and enforces its policy`, { enforcement });
  // A secured virtual hub's firewall sends Internet traffic out itself (its public IP): no subnet of ours.
  if (el.kind === 'firewall' && el.virtualHub !== undefined && w.direction === 'forward') {
    hop.note += '; the hub firewall sends it to the internet from its public IP';
    return toInternet(w, hop);
  }
  return viaSubnetTable(w, hop, el.id);
}

/** The reply comes back to the public address the flow left with, and through the NVA that sent it. */
function azureExit(vpc: string, nvaId: string | undefined, publicIp: string): Exit {
  return {
    kind: 'azure',
    publicIp,
    privateIp: publicIp,
    startReturn(r) {
      const { index } = r;
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${peerName(r)} replies to ${r.dst}`, {
        stage: 6,
      });
      inet.decision = { routeTable: 'internet', destination: publicIp, target: index.label(nvaId ?? vpc), association: 'implicit' };
      const nva = nvaId ? index.get(nvaId) : undefined;
      if (nva) {
        const enforcement: EnforcementPoint = {
          kind: 'azure-nva',
          element: nva.id,
          ...(index.azOf(nva.id) ? { az: index.azOf(nva.id) } : {}),
        };
        r.inspected.push(enforcement);
        const hop = elementHop(r, nva, `network virtual appliance ${nameOf(nva)} receives the reply and matches the session`, {
          enforcement,
          stage: 6,
        });
        r.dst = r.origin;
        hop.dstIp = r.dst;
        // The source may sit in a peered VNet (hub-and-spoke): deliver in the VNet that holds it.
        const home = index.subnetContainingIp(r.dst) ? index.refId(index.subnetContainingIp(r.dst)!.vpc) : undefined;
        hop.decision = {
          routeTable: nva.id,
          destination: r.dst,
          target: home && home !== vpc ? 'VNet peering' : 'VnetLocal',
          association: 'implicit',
        };
        // The reply comes from the internet, not from the appliance's VNet: forwarded traffic into the source's.
        const refused = home ? forwardedInto(r, nva, index.vpcOf(nva.id) ?? vpc, home) : undefined;
        if (refused) return noted(hop, refused);
        return deliverLocal(r, hop, home ?? vpc);
      }
      r.dst = r.origin;
      return deliverLocal(r, inet, vpc);
    },
  };
}

export const azureDesign: Design = {
  name: 'azure',
  arrivals: {
    instance: (w, el, s) => arriveNva(w, el, s),
    firewall: (w, el, s) => arriveNva(w, el, s),
  },
};
