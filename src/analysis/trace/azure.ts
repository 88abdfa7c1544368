// Azure: system routes when no UDR matches, network virtual appliances (a VM or firewall a UDR points to),
// and outbound access through the platform (or the NVA's public IP), with the reply back through the NVA.
import type {
  Firewall,
  Instance,
  LbMember,
  LbRule,
  LoadBalancer,
  NetworkElement,
  RouteTable,
  RoutingIntent,
  Subnet,
  VpcPeering,
} from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, isRfc1918, parseIp } from '../../model/cidr';
import type { Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import type { Design } from './arrive';
import { deliverLocal, unmodelledRoutes, viaSubnetTable } from './route';
import { gatewayRoute } from './vnetGateway';
import { hubTableRoute } from './hubRoutes';
import {
  addHop,
  applianceEnforcement,
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
 * hub's 0.0.0.0/0 when the hub's routing intent sends Internet traffic to its firewall, or when the hub's default
 * route table (which the connection associates with) holds a static 0.0.0.0/0 to the hub's Azure Firewall: that
 * route beats the system route. Undefined when no connection brings one (no connection, internet security off, no
 * Internet routing policy or default-table route): the system route decides. What the inputs leave open (a hub
 * route table the model does not follow, an undecided flag, association or next hop) is Unknown.
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
    const view = { name: nameOf(c), associatedTable: c.associatedTable, routingNotFollowed: c.routingNotFollowed };
    if (!c.internetSecurity) {
      // The hub's route tables may still hold a route other than 0.0.0.0/0 for the destination.
      const read = hub ? hubTableRoute(index, hub, view, w.dst, false) : undefined;
      if (typeof read === 'string' && read !== 'none') return noted(from, detail(read));
      continue;
    }
    if (!hub)
      return noted(
        from,
        detail(`the virtual hub of connection ${nameOf(c)} is not in the inputs, so whether it advertises 0.0.0.0/0 cannot be decided`),
      );
    // A static 0.0.0.0/0 -> the hub's firewall in its default route table (Firewall Manager's secured hub).
    const read = hubTableRoute(index, hub, view, w.dst, true);
    if (read === 'none') continue;
    if (typeof read === 'string') return noted(from, detail(read));
    if (read) {
      from.decision = {
        routeTable: table?.id ?? vpc,
        destination: '0.0.0.0/0',
        target: nameOf(read.firewall),
        association: table ? association : 'implicit',
      };
      from.note += `; 0.0.0.0/0 learned from virtual hub ${index.label(hub)} over connection ${nameOf(c)} (internet security on; hub route ${read.route} of its default route table sends it to ${nameOf(read.firewall)})`;
      return { kind: 'arrive', element: read.firewall, from, vpc };
    }
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
    const nva = w.nva;
    const closed = nva ? undefined : privateSubnetStop(w, from);
    if (closed) return closed;
    w.exit = azureExit(from.vpc ?? '', nva, w.src);
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
  const lb = publicLbOutbound(index, subnet, owner?.kind === 'instance' ? owner.id : undefined);
  if (lb?.kind === 'open') return open(lb.why);
  if (lb) {
    from.note += `; ${lb.note}`;
    return undefined;
  }
  return noted(from, dropped(w, { cause: 'no-default-outbound', subnet: subnet.id }, subnet.id));
}

/**
 * A private subnet's members (VM `host`, else any) in a backend pool of a public load balancer: its outbound rule
 * gives them outbound access, SNAT to its frontends' public IPs (what the note says); why that cannot be decided (an
 * undecided membership or rule, or a load-balancing rule whose frontend's default SNAT is not disabled, not
 * modelled for a private subnet); undefined when no pool gives any.
 */
function publicLbOutbound(
  index: ModelIndex,
  subnet: Subnet,
  host: string | undefined,
): { kind: 'out'; note: string } | { kind: 'open'; why: string } | undefined {
  let open: string | undefined;
  for (const m of subnet.azureLbPools ?? []) {
    if (host !== undefined && m.host !== host) continue;
    const who = m.host !== undefined ? nameOf(index.get(m.host) ?? { id: m.host }) : `the instances of ${index.label(m.via)}`;
    const pool = `backend pool ${m.poolName} of public load balancer ${m.lbName}`;
    const lead = `${nameOf(subnet)} is private (no default outbound access), but ${who} ${m.host !== undefined ? 'is' : 'are'} in ${pool}`;
    if (m.open) {
      open ??= `${lead}; whether ${index.label(m.via)} exists cannot be decided: ${m.open.reason}`;
      continue;
    }
    const o = m.outbound;
    if (o?.open) {
      open ??= `${lead}; whether its outbound rule ${o.name} exists cannot be decided: ${o.open.reason}`;
      continue;
    }
    if (o) {
      const proto = typeof o.protocol === 'string' ? ` (protocol ${o.protocol})` : '';
      const fe = o.frontends.length ? `frontend ${o.frontends.join(', ')}` : 'its frontend';
      return {
        kind: 'out',
        note: `${who} ${m.host !== undefined ? 'is' : 'are'} in ${pool}, whose outbound rule ${o.name}${proto} translates ${m.host !== undefined ? 'its' : 'their'} traffic to the public IP of ${fe}: outbound access though ${nameOf(subnet)} is private`,
      };
    }
    const snat = m.inbound.find((r) => r.defaultSnat !== false);
    if (snat)
      open ??= `${lead}, whose load-balancing rule ${snat.name} does not disable outbound SNAT (disable_outbound_snat): whether that rule's frontend gives ${m.host !== undefined ? 'it' : 'them'} outbound access is not decided here (an outbound rule or a NAT gateway would)`;
  }
  return open !== undefined ? { kind: 'open', why: open } : undefined;
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
function arriveNva(w: Walk, el: Instance | Firewall, s: ArriveStep & { behind?: LoadBalancer }): Step | undefined {
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
  const role = index.applianceRole(el.id);
  // One that only translates (a Linux VM masquerading) is no enforcement point, as a NAT gateway is none.
  const hub = el.kind === 'firewall' ? index.refId(el.virtualHub) : undefined;
  const enforcement =
    role.role === 'nat' ? undefined : { ...applianceEnforcement(el.id, index.azOf(el.id), role, 'azure-nva'), ...(hub ? { hub } : {}) };
  if (enforcement) w.inspected.push(enforcement);
  w.nva = el.id;
  const what = el.kind === 'firewall' && el.vendor === 'Azure Firewall' ? 'Azure Firewall' : 'network virtual appliance';
  const behind = s.behind ? ` (one of the appliances behind load balancer ${nameOf(s.behind)})` : '';
  const does =
    role.role === 'nat'
      ? `receives the packet (${role.why}): it translates and forwards, it does not inspect`
      : role.role === 'unknown'
        ? `receives the packet and forwards it; whether it inspects is not known (${role.why})`
        : 'receives the packet and enforces its policy';
  const hop = elementHop(w, el, `${what} ${nameOf(el)}${behind} ${does}`, enforcement ? { enforcement } : {});
  // A secured virtual hub's firewall sends Internet traffic out itself (its public IP): no subnet of ours.
  if (el.kind === 'firewall' && el.virtualHub !== undefined && w.direction === 'forward') {
    hop.note += '; the hub firewall sends it to the internet from its public IP';
    return toInternet(w, hop);
  }
  if (el.kind !== 'firewall') return viaSubnetTable(w, hop, el.id);
  const out = outInterface(index, el, w.dst);
  if (typeof out === 'string')
    return noted(hop, unknown(w, { cause: 'beyond-inputs', what: 'appliance-routing', appliance: el.id, why: out }, el.id));
  if (out.id !== el.id) hop.note += `; forwards out of its interface ${nameOf(out)}`;
  return viaSubnetTable(w, hop, out.id);
}

/**
 * The interface an Azure NVA sends a packet for internet address `dst` out of, having received it on `el`: of its
 * VM's forwarding interfaces (inside and outside), the one with a public IP of its own when exactly one has one,
 * else the primary interface (Azure gives a VM's operating system its default route there). `el` itself when its
 * VM has no other forwarding interface (one-armed), or for a private destination (the inside). Otherwise which
 * one is the appliance's own routing (why, as text).
 */
function outInterface(index: ModelIndex, el: Firewall, dst: string): Firewall | string {
  const nics = el.machineNics;
  if (!nics || isRfc1918(dst)) return el;
  const forwarding = nics.flatMap((id) => {
    const nic = id === el.id ? el : index.get(id);
    return nic?.kind === 'firewall' ? [nic] : [];
  });
  if (forwarding.length <= 1) return el;
  const outside = forwarding.filter((n) => n.associatePublicIp === true);
  if (outside.length === 1) return outside[0];
  if (forwarding[0].id === nics[0]) return forwarding[0];
  return `it can forward out of ${forwarding.map((n) => nameOf(n)).join(', ')}, and none is both its primary interface and the one outside one`;
}

/** What an internal load balancer's frontend does with a flow, from its rules and their backend pools. */
type LbDecision =
  | { kind: 'open'; why: string }
  | { kind: 'drop'; member: LbMember; pool: string }
  | { kind: 'appliances'; appliances: Firewall[]; carries: string; pools: string[]; dropping: { member: LbMember; pool: string }[] };

const HA_PORTS = (r: LbRule): boolean =>
  typeof r.protocol === 'string' && r.protocol.toLowerCase() === 'all' && r.frontendPort === 0 && r.backendPort === 0;

/**
 * Where the rules of frontend `frontend` of `lb` send a flow: every rule of the frontend must name the same
 * backend pools (else which pool a flow meets depends on its port); an HA ports rule (protocol All, ports 0)
 * carries every flow, other rules only their protocol and port (the load balancer drops the rest). A member
 * that surely does not forward drops the flows it is handed; one the inputs leave open, or no member at all,
 * is Unknown; else the appliances, which must leave by the same subnet (then one path stands for all of them).
 */
export function lbDecision(index: ModelIndex, lb: LoadBalancer, frontend: string | undefined, dst: string): LbDecision {
  const open = (why: string): LbDecision => ({ kind: 'open', why });
  if (frontend === undefined) return open(`which of its frontends the next hop address is cannot be decided`);
  const undecided = lb.rules.find((r) => isUnresolved(r.frontend));
  if (undecided)
    return open(`the frontend of rule ${undecided.name} cannot be decided (${(undecided.frontend as { reason: string }).reason})`);
  const rules = lb.rules.filter((r) => r.frontend === frontend);
  if (rules.length === 0)
    return open(
      `no load-balancing rule of the inputs uses its frontend ${frontend} (one may be written elsewhere; without one the load balancer forwards nothing)`,
    );
  let pools: string[] | undefined;
  for (const r of rules) {
    for (const [v, what] of [
      [r.protocol, 'protocol'],
      [r.frontendPort, 'frontend_port'],
      [r.backendPort, 'backend_port'],
    ] as const)
      if (isUnresolved(v)) return open(`${what} of rule ${r.name} is \`${v.text}\` (${v.reason})`);
    const ids: string[] = [];
    for (const p of r.pools) {
      if (isUnresolved(p)) return open(`a backend pool of rule ${r.name} cannot be decided: \`${p.text}\` (${p.reason})`);
      ids.push(p);
    }
    if (ids.length === 0) return open(`rule ${r.name} names no backend pool`);
    ids.sort();
    if (pools && pools.join('\u0000') !== ids.join('\u0000'))
      return open(
        `its rules on frontend ${frontend} send flows of different ports to different backend pools (${rules.map((x) => x.name).join(', ')})`,
      );
    pools = ids;
  }
  const ha = rules.find(HA_PORTS);
  const carries = ha
    ? `every protocol and port (HA ports rule ${ha.name})`
    : `only ${rules.map((r) => `${String(r.protocol).toUpperCase()} ${r.frontendPort} (rule ${r.name})`).join(', ')}; the load balancer drops other flows`;
  const members: { m: LbMember; pool: string }[] = [];
  for (const id of pools!) {
    const pool = lb.pools.find((p) => p.id === id);
    if (!pool) return open(`its backend pool ${id} is not a pool of ${nameOf(lb)} in the inputs`);
    if (pool.members.length === 0)
      return open(
        `backend pool ${pool.name} has no member in the inputs (a scale set, or another configuration, may put its appliances there)`,
      );
    for (const m of pool.members) members.push({ m, pool: pool.name });
  }
  // Every member drops: so does every flow. Some do: the flows hashed to them are lost, the others go on.
  const dropping = members.filter((x) => x.m.nonForwarding !== undefined).map((x) => ({ member: x.m, pool: x.pool }));
  if (dropping.length === members.length) return { kind: 'drop', member: dropping[0].member, pool: dropping[0].pool };
  const appliances: Firewall[] = [];
  for (const { m, pool } of members) {
    if (m.nonForwarding) continue;
    if (m.open) return open(`member ${m.via} of backend pool ${pool}: \`${m.open.text}\` (${m.open.reason})`);
    const el = m.appliance !== undefined ? index.get(m.appliance) : m.ip !== undefined ? index.elementByIp(m.ip) : undefined;
    if (el?.kind !== 'firewall' || el.cloud !== 'azure' || el.vendor === 'Azure Firewall')
      return open(
        m.ip !== undefined
          ? `no forwarding network interface of the inputs holds ${m.ip}, a member of backend pool ${pool}`
          : `member ${m.via} of backend pool ${pool} is not a forwarding network interface of the inputs`,
      );
    if (!appliances.includes(el)) appliances.push(el);
  }
  // The hash picks one per flow: one path stands for all of them only when they leave by the same subnet.
  const leave = appliances.map((a) => {
    const out = outInterface(index, a, dst);
    return typeof out === 'string' ? undefined : index.refId(out.subnet);
  });
  if (leave.some((x) => x === undefined) || new Set(leave).size > 1)
    return open(
      `its appliances (${appliances.map((a) => nameOf(a)).join(', ')}) do not all forward out of one subnet of the inputs: the path of a flow depends on which one the load balancer's hash picks`,
    );
  return { kind: 'appliances', appliances, carries, pools: pools!.map((id) => lb.pools.find((p) => p.id === id)!.name), dropping };
}

/**
 * An internal load balancer a UDR sends the packet to (next hop VirtualAppliance at its frontend): its rules hand
 * each flow to one member of their backend pool, by a hash of the flow's five-tuple. The packet goes on through
 * the first appliance (the others forward alike); a member that does not forward drops what it is handed.
 */
function arriveLoadBalancer(w: Walk, lb: LoadBalancer, s: ArriveStep): Step {
  const { index } = w;
  const here = index.vpcOf(lb.id);
  const sender = index.get(s.from.element);
  if (here && s.vpc) {
    const refused = forwardedInto(w, sender, s.vpc, here);
    if (refused) return noted(s.from, refused);
  }
  const frontend = s.frontend ?? (lb.frontends.length === 1 ? lb.frontends[0].name : undefined);
  const f = lb.frontends.find((x) => x.name === frontend);
  const ip = f && typeof f.privateIp === 'string' ? ` (${f.privateIp})` : '';
  const hop = elementHop(w, lb, `internal load balancer ${nameOf(lb)} receives the packet at frontend ${frontend ?? '?'}${ip}`);
  const d = lbDecision(index, lb, frontend, w.dst);
  if (d.kind === 'open') return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'load-balancer', lb: lb.id, why: d.why }, lb.id));
  if (d.kind === 'drop') {
    const nic = d.member.nonForwarding!;
    return noted(hop, dropped(w, { cause: 'ip-forwarding-off', nic: nic.name, setting: nic.setting, lb: lb.id, pool: d.pool }, nic.nic));
  }
  const [first, ...rest] = d.appliances;
  // Appliances of one module instance share a name: their ids tell them apart.
  const names = d.appliances.map((a) => nameOf(a));
  const shown = new Set(names).size === names.length ? names : d.appliances.map((a) => a.id);
  hop.decision = { routeTable: lb.id, destination: w.dst, target: nameOf(first), association: 'implicit' };
  hop.note += rest.length
    ? `; it carries ${d.carries} to backend pool ${d.pools.join(', ')}, whose appliances ${shown.join(', ')} forward alike: the hash of each flow's five-tuple picks one, ${shown[0]} here`
    : `; it carries ${d.carries} to backend pool ${d.pools.join(', ')}, whose one appliance is ${shown[0]}`;
  if (d.dropping.length)
    hop.note += `; the flows it hands to ${d.dropping.map((x) => x.member.nonForwarding!.name).join(', ')} (no IP forwarding: ${d.dropping.map((x) => x.member.nonForwarding!.setting).join('; ')}) are dropped there`;
  const vpc = here ?? s.vpc;
  const next = arriveNva(w, first, { kind: 'arrive', element: first, from: hop, ...(vpc ? { vpc } : {}), behind: lb });
  // Only Azure appliances are members (lbDecision): never reached.
  return next ?? unknown(w, { cause: 'unsupported-target', what: 'element', element: first.id, elementKind: first.kind }, first.id);
}

/** The reply comes back to the public address the flow left with, and through the NVA that sent it. */
function azureExit(vpc: string, nvaId: string | undefined, publicIp: string): Exit {
  return {
    kind: 'azure',
    publicIp,
    privateIp: publicIp,
    startReturn(r, forward) {
      const { index } = r;
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${peerName(r)} replies to ${r.dst}`, {
        stage: 6,
      });
      inet.decision = { routeTable: 'internet', destination: publicIp, target: index.label(nvaId ?? vpc), association: 'implicit' };
      const nva = nvaId ? index.get(nvaId) : undefined;
      if (nva) {
        const role = index.applianceRole(nva.id);
        const enforcement = role.role === 'nat' ? undefined : applianceEnforcement(nva.id, index.azOf(nva.id), role, 'azure-nva');
        if (enforcement) r.inspected.push(enforcement);
        // A reply to the address of the interface the flow left by comes back to that interface.
        const out = nva.kind === 'firewall' ? outInterface(index, nva, forward.dst) : undefined;
        const by = out !== undefined && typeof out !== 'string' && out.id !== nva.id ? ` (on its interface ${nameOf(out)})` : '';
        const hop = elementHop(r, nva, `network virtual appliance ${nameOf(nva)} receives the reply${by} and matches the session`, {
          ...(enforcement ? { enforcement } : {}),
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
    loadBalancer: (w, el, s) => arriveLoadBalancer(w, el, s),
  },
};
