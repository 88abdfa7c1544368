// Hop-by-hop egress traces: from a subnet (or an Aviatrix VPC) to the internet and the reply back, the
// way DOMAIN.md §1 describes seed 000's steps 1..6. A trace is a walk over two kinds of step: a route
// lookup in a table, and the arrival of the packet at an element (NAT GW, GWLB endpoint, IGW, TGW, spoke
// gateway, NVA, ...). Every walk ends with an explicit outcome; revisiting the same element and table
// with the same packet is a loop, and no walk is longer than HOP_LIMIT hops.
import type {
  AviatrixGateway,
  GwlbEndpoint,
  NatGateway,
  NetworkElement,
  RouteTable,
  RouteTarget,
  Subnet,
  TgwAttachment,
} from '../model/types';
import { isUnresolved } from '../model/types';
import { where } from '../model/where';
import { cidrContainsIp, hostAddress, parseCidr, parseIp } from '../model/cidr';
import type {
  AddressTranslation,
  AnalysisOptions,
  EnforcementPoint,
  Hop,
  HopKind,
  PathTrace,
  RouteDecision,
  SubnetEgress,
  TraceOutcome,
} from './types';
import { val, type ModelIndex } from './modelIndex';
import { lookupRoute } from './routing';
import { droppedOutcome, unknownOutcome, type DropStop, type Dropped, type Unknown, type UnknownStop } from './trace/outcome';

export const HOP_LIMIT = 64;
export const DEFAULT_DESTINATION = '8.8.8.8';

type Association = RouteDecision['association'];

/** The next thing the walk does. */
type Step =
  | { kind: 'route'; from: Hop; table: RouteTable; association: Association; vpc: string }
  | { kind: 'arrive'; element: NetworkElement; from: Hop; vpc?: string; route?: string }
  | { kind: 'internet'; from: Hop }
  | { kind: 'end'; outcome: TraceOutcome };

/** Where the forward leg left for the internet, so the return leg can come back through it. */
type Exit =
  | { kind: 'igw'; igw: string; vpc: string; publicIp: string; privateIp: string }
  | { kind: 'aviatrix'; gateway: string; transit?: string; publicIp: string; privateIp: string }
  | { kind: 'azure'; vpc: string; nva?: string; publicIp: string; privateIp: string };

interface Walk {
  index: ModelIndex;
  direction: 'forward' | 'return';
  hops: Hop[];
  inspected: EnforcementPoint[];
  /** Route steps taken: element, table, source and destination address (a repeat is a loop). */
  visited: string[];
  src: string;
  dst: string;
  /** The trace's source address (forward) — where the return must end. */
  origin: string;
  az?: string;
  /** Translations made so far (forward), consulted by the return leg to undo them. */
  translations: AddressTranslation[];
  exit?: Exit;
  /** GWLB endpoints entered, to number seed steps 3 and 5. */
  gwlbeSeen: Set<string>;
}

function short(index: ModelIndex, id: string): string {
  return index.label(id);
}

type Stop = { kind: 'end'; outcome: Dropped | Unknown };

function dropped(w: Walk, stop: DropStop, at?: string): Stop {
  return { kind: 'end', outcome: droppedOutcome(w.index, stop, at) };
}

function unknown(w: Walk, stop: UnknownStop, at?: string): Stop {
  return { kind: 'end', outcome: unknownOutcome(w.index, stop, at) };
}

/** The stop, its reason also told in the hop's narration. */
function noted(hop: Hop, s: Stop): Stop {
  hop.note += `; ${s.outcome.reason}`;
  return s;
}

function addHop(w: Walk, e: { element: string; kind: HopKind; name: string; vpc?: string; az?: string; loc?: Hop['loc'] }, note: string, extra?: Partial<Hop>): Hop {
  if (e.az) w.az = e.az;
  // Keys in this order (the JSON output's); optional ones only when set, then `extra`'s as given.
  const hop = { index: w.hops.length, element: e.element, kind: e.kind, name: e.name } as Hop;
  if (e.az) hop.az = e.az;
  if (e.vpc) hop.vpc = e.vpc;
  if (e.loc) hop.loc = e.loc;
  hop.srcIp = w.src;
  hop.dstIp = w.dst;
  hop.note = note;
  if (extra) for (const k in extra) (hop as unknown as Record<string, unknown>)[k] = (extra as Record<string, unknown>)[k];
  w.hops.push(hop);
  return hop;
}

function elementHop(w: Walk, el: NetworkElement, note: string, extra?: Partial<Hop>): Hop {
  const { index } = w;
  return addHop(w, { element: el.id, kind: el.kind, name: el.name || el.id, vpc: index.vpcOf(el.id), az: index.azOf(el.id), loc: el.loc }, note, extra);
}

/** A usable source address for a subnet: an instance's private IP, else a host address in its CIDR. */
export function sourceIpOfSubnet(index: ModelIndex, subnet: Subnet): { ip: string; from?: string } | undefined {
  for (const inst of index.instancesInSubnet(subnet.id)) {
    const ip = val(inst.privateIp);
    if (ip && parseIp(ip)) return { ip, from: inst.id };
  }
  const c = val(subnet.cidr) ? parseCidr(val(subnet.cidr)!) : undefined;
  if (c) return { ip: hostAddress(c, c.prefix <= 27 ? 10 : 4) };
  const c6 = val(subnet.ipv6Cidr) ? parseCidr(val(subnet.ipv6Cidr)!) : undefined;
  return c6 ? { ip: hostAddress(c6, 10) } : undefined;
}

/** The private IP of a NAT GW, or an assumed host address of its subnet when the inputs leave it computed. */
function natPrivateIp(index: ModelIndex, nat: NatGateway): { ip: string; assumed: boolean } | undefined {
  const ip = val(nat.privateIp);
  if (ip && parseIp(ip)) return { ip, assumed: false };
  const s = index.subnetOf(nat.id);
  const c = s && val(s.cidr) ? parseCidr(val(s.cidr)!) : undefined;
  return c ? { ip: hostAddress(c, c.prefix <= 27 ? 10 : 4), assumed: true } : undefined;
}

function natPublicIp(index: ModelIndex, nat: NatGateway): string {
  const own = val(nat.publicIp);
  if (own) return own;
  const eip = index.resolve(nat.eip, 'eip');
  const eipIp = eip ? val(eip.publicIp) : undefined;
  if (eipIp) return eipIp;
  return `EIP of ${nat.name || nat.id}`;
}

function decision(w: Walk, table: RouteTable, association: Association, route: { id: string; loc: Hop['loc']; implicit?: boolean } | undefined, destination: string, target: string): RouteDecision {
  return {
    routeTable: table.id,
    // Synthesised `local` routes have no id of their own in the model.
    ...(route && !route.id.includes('#local:') ? { route: route.id } : {}),
    destination,
    target,
    ...(route?.loc ? { loc: route.loc } : {}),
    association,
  };
}

function targetLabel(w: Walk, t: RouteTarget): string {
  if (t.kind === 'local' || t.kind === 'vnetLocal') return 'local';
  if (t.kind === 'internet') return 'Internet';
  if (t.kind === 'none') return 'None';
  if (t.ref !== undefined) return isUnresolved(t.ref) ? t.ref.text : short(w.index, t.ref);
  if (t.ip !== undefined) return isUnresolved(t.ip) ? t.ip.text : t.ip;
  return t.kind;
}

function tableName(w: Walk, t: RouteTable): string {
  return t.name || t.id;
}

/** Local delivery inside a VPC: the element owning the destination address, else its subnet. */
function deliverLocal(w: Walk, from: Hop, vpc: string): Step {
  const { index } = w;
  // A NAT GW's private IP is often computed at apply time: the translation we made tells who owns it.
  const snat = w.translations.find((t) => t.kind === 'snat' && t.to === w.dst);
  const natOwner = snat ? index.resolve(snat.by, 'natgw') : undefined;
  if (natOwner && index.vpcOf(natOwner.id) === vpc) return { kind: 'arrive', element: natOwner, from, vpc };
  const owner = index.elementByIp(w.dst);
  // The reply ends at the source subnet (where the forward leg started), not at the instance inside it.
  const toOrigin = w.direction === 'return' && w.dst === w.origin && owner?.kind === 'instance';
  if (owner && !toOrigin && index.vpcOf(owner.id) === vpc) return { kind: 'arrive', element: owner, from, vpc };
  const s = index.subnetContainingIp(w.dst, vpc);
  if (s) return { kind: 'arrive', element: s, from, vpc };
  return dropped(w, { cause: 'no-subnet', vpc, ip: w.dst }, from.element);
}

/** Route lookup in `table` for the current packet, attaching the decision to `from`. */
function routeStep(w: Walk, s: Extract<Step, { kind: 'route' }>): Step {
  const { index } = w;
  const { from, table, association, vpc } = s;
  const v = w.visited;
  let seen = false;
  for (let i = 0; i < v.length; i += 4) {
    if (v[i] === from.element && v[i + 1] === table.id && v[i + 2] === w.src && v[i + 3] === w.dst) {
      seen = true;
      break;
    }
  }
  if (!seen) v.push(from.element, table.id, w.src, w.dst);
  const r = lookupRoute(index, table, vpc, w.dst);
  if (seen) {
    if (r.kind === 'match') from.decision = decision(w, table, association, r.route, r.destination, targetLabel(w, r.route.target));
    from.note += `; ${tableName(w, table)} already sent this packet on from here: routing loop`;
    return { kind: 'end', outcome: { kind: 'loop', at: from.element } };
  }
  const isVnet = index.resolve(vpc, 'vpc')?.flavor === 'vnet';
  if (r.kind === 'unknown') return noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: r.reason }, from.element));
  if (r.kind === 'none') {
    if (isVnet) return azureSystemRoute(w, from, vpc, table, association);
    return noted(from, dropped(w, { cause: 'no-route', table: table.id, ip: w.dst }, from.element));
  }
  const route = r.route;
  const tgt = targetLabel(w, route.target);
  from.decision = decision(w, table, association, route, r.destination, tgt);
  from.note += `; route ${r.destination} -> ${tgt} in ${tableName(w, table)}${association === 'main' ? ' (main route table)' : association === 'edge' ? ' (IGW edge route table)' : ''}`;
  if (route.state === 'blackhole') {
    return dropped(w, { cause: 'blackhole', table: table.id, destination: r.destination }, route.id);
  }
  return dispatch(w, from, route.target, vpc, route.id);
}

/** Azure system routes when no UDR matches: the VNet's own space is local, everything else goes to Internet. */
function azureSystemRoute(w: Walk, from: Hop, vpc: string, table: RouteTable | undefined, association: Association): Step {
  const { index } = w;
  const p = parseIp(w.dst);
  const local = p && index.vpcCidrs(vpc).some((c) => cidrContainsIp(c, p));
  from.decision = {
    routeTable: table?.id ?? vpc,
    destination: local ? 'VNet address space' : '0.0.0.0/0',
    target: local ? 'VnetLocal' : 'Internet',
    association: table ? association : 'implicit',
  };
  from.note += local ? '; Azure system route: VNet address space -> VnetLocal' : '; Azure system route 0.0.0.0/0 -> Internet (no UDR matches)';
  if (local) return deliverLocal(w, from, vpc);
  return { kind: 'internet', from };
}

/** Send the packet to a route target. */
function dispatch(w: Walk, from: Hop, t: RouteTarget, vpc: string, routeId: string): Step {
  const { index } = w;
  switch (t.kind) {
    case 'local':
    case 'vnetLocal':
      return deliverLocal(w, from, vpc);
    case 'internet':
      return { kind: 'internet', from };
    case 'none':
      return dropped(w, { cause: 'none-next-hop' }, routeId);
    case 'unknown':
      return unknown(w, { cause: 'unsupported-target', what: 'target-type', text: targetLabel(w, t) }, routeId);
    case 'virtualAppliance': {
      const ip = t.ip !== undefined ? val(t.ip) : undefined;
      if (t.ip !== undefined && isUnresolved(t.ip)) return unknown(w, { cause: 'unresolved-input', what: 'appliance-ip', text: t.ip.text }, routeId);
      const nva = ip ? index.elementByIp(ip) : t.ref !== undefined ? index.resolve(t.ref) : undefined;
      if (!nva) return dropped(w, { cause: 'no-appliance', ...(ip ? { ip } : {}) }, routeId);
      return { kind: 'arrive', element: nva, from, vpc, route: routeId };
    }
    default: {
      if (t.ref === undefined) return unknown(w, { cause: 'missing-input', what: 'route-target-ref', targetKind: t.kind }, routeId);
      if (isUnresolved(t.ref)) return unknown(w, { cause: 'unresolved-input', what: 'route-target', text: t.ref.text, why: t.ref.reason }, routeId);
      const el = index.get(t.ref);
      if (!el) return dropped(w, { cause: 'missing-target', target: t.ref }, routeId);
      return { kind: 'arrive', element: el, from, vpc, route: routeId };
    }
  }
}

/** The route-table step from an element that forwards on, through the table of its own subnet. */
function viaSubnetTable(w: Walk, hop: Hop, elementId: string): Step {
  const { index } = w;
  const s = index.subnetOf(elementId);
  const vpc = s ? index.refId(s.vpc) : index.vpcOf(elementId);
  if (!s || !vpc) {
    hop.note += '; its subnet is not in the inputs';
    return unknown(w, { cause: 'missing-input', what: 'subnet-of', element: elementId }, elementId);
  }
  const st = index.routeTableOfSubnet(s.id);
  if (!st) {
    const undecided = index.undecidedTableOf(s.id);
    if (undecided) return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: s.id, why: undecided }, s.id));
    if (index.resolve(vpc, 'vpc')?.flavor === 'vnet') return azureSystemRoute(w, hop, vpc, undefined, 'implicit');
    return noted(hop, unknown(w, { cause: 'no-route-table', what: 'subnet-table', element: s.id }, s.id));
  }
  return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
}

function arrive(w: Walk, s: Extract<Step, { kind: 'arrive' }>): Step {
  const { index } = w;
  const el = s.element;
  switch (el.kind) {
    case 'natgw':
      return arriveNat(w, el);
    case 'gwlbe':
      return arriveGwlbe(w, el);
    case 'igw':
    case 'eigw':
      return arriveIgw(w, el, s.vpc);
    case 'tgw':
      return arriveTgw(w, el.id, s.vpc);
    case 'aviatrixGateway':
      return arriveAviatrix(w, el);
    case 'subnet': {
      const inst = w.index.elementByIp(w.dst);
      elementHop(w, el, `delivered by local route to ${inst && inst.kind === 'instance' ? `${inst.name || inst.id} (${w.dst}) in ` : `${w.dst} in `}subnet ${el.name || el.id}`, w.direction === 'return' ? { step: 6 } : {});
      return { kind: 'end', outcome: { kind: 'delivered' } };
    }
    case 'instance':
    case 'firewall': {
      if (val(el.privateIp) === w.dst) {
        elementHop(w, el, `delivered to ${el.kind} ${el.name || el.id} (${w.dst})`);
        return { kind: 'end', outcome: { kind: 'delivered' } };
      }
      // A routed appliance (NVA, NAT instance): it forwards through its own subnet's table.
      const azure = el.cloud === 'azure' || index.resolve(index.vpcOf(el.id), 'vpc')?.flavor === 'vnet';
      const enforcement: EnforcementPoint | undefined = el.kind === 'firewall' || azure ? { kind: 'azure-nva', element: el.id, ...(index.azOf(el.id) ? { az: index.azOf(el.id) } : {}) } : undefined;
      if (enforcement && azure) w.inspected.push(enforcement);
      const what = el.kind === 'firewall' && el.vendor === 'Azure Firewall' ? 'Azure Firewall' : azure ? 'network virtual appliance' : el.kind;
      const hop = elementHop(w, el, `${what} ${el.name || el.id} receives the packet${enforcement && azure ? ' and enforces its policy' : ''}`, enforcement && azure ? { enforcement } : {});
      if (w.direction === 'return' && w.exit?.kind === 'azure' && w.exit.nva === el.id) {
        // Return through the NVA that translated outbound: undo its SNAT.
        const back = w.translations.find((t) => t.by === el.id);
        if (back && w.dst === back.to) {
          hop.translation = { kind: 'unsnat', from: w.dst, to: back.from, by: el.id };
          w.dst = back.from;
          hop.dstIp = w.dst;
        }
      }
      return viaSubnetTable(w, hop, el.id);
    }
    case 'vgw':
      elementHop(w, el, `virtual private gateway ${el.name || el.id}: the packet leaves for on-premises`);
      return unknown(w, { cause: 'beyond-inputs', what: 'vpn', vgw: el.id }, el.id);
    case 'peering': {
      const here = s.vpc;
      const other = index.refId(el.vpc) === here ? index.refId(el.peerVpc) : index.refId(el.vpc);
      const hop = elementHop(w, el, `VPC peering ${el.name || el.id}`);
      const p = parseIp(w.dst);
      if (other && p && index.vpcCidrs(other).some((c) => cidrContainsIp(c, p))) return deliverLocal(w, hop, other);
      return noted(hop, dropped(w, { cause: 'no-transitive-peering', peering: el.id }, el.id));
    }
    case 'tgwAttachment': {
      const tgw = index.refId(el.tgw);
      if (tgw) return arriveTgw(w, tgw, s.vpc);
      return unknown(w, { cause: 'missing-input', what: 'tgw-of', attachment: el.id }, el.id);
    }
    default:
      elementHop(w, el, `${el.kind} ${el.name || el.id} cannot forward traffic`);
      return unknown(w, { cause: 'unsupported-target', what: 'element', element: el.id, elementKind: el.kind }, el.id);
  }
}

function arriveNat(w: Walk, nat: NatGateway): Step {
  const { index } = w;
  const nip = natPrivateIp(index, nat);
  const name = nat.name || nat.id;
  if (w.direction === 'return' || (nip && w.dst === nip.ip)) {
    const map = w.translations.find((t) => t.by === nat.id && t.kind === 'snat');
    if (!map || w.dst !== map.to) {
      elementHop(w, nat, `NAT GW ${name} has no session for ${w.src} -> ${w.dst}`);
      return dropped(w, { cause: 'no-nat-session', nat: nat.id, ip: w.dst }, nat.id);
    }
    const tr: AddressTranslation = { kind: 'unsnat', from: w.dst, to: map.from, by: nat.id };
    w.dst = map.from;
    const hop = elementHop(w, nat, `NAT GW ${name} un-translates ${tr.from} -> ${tr.to}`, { translation: tr, step: w.direction === 'return' ? 6 : undefined });
    return viaSubnetTable(w, hop, nat.id);
  }
  if (!nip) {
    elementHop(w, nat, `NAT GW ${name}: its subnet's CIDR is not known`);
    return unknown(w, { cause: 'unresolved-input', what: 'nat-private-ip', nat: nat.id }, nat.id);
  }
  const tr: AddressTranslation = { kind: 'snat', from: w.src, to: nip.ip, by: nat.id };
  w.translations.push(tr);
  w.src = nip.ip;
  const hop = elementHop(w, nat, `NAT GW ${name} translates ${tr.from} -> ${tr.to}${nip.assumed ? ' (private IP assumed: computed at apply time)' : ''}`, { translation: tr, step: 2 });
  return viaSubnetTable(w, hop, nat.id);
}

/**
 * GWLB endpoint: PrivateLink to the GWLB in the endpoint's AZ, GENEVE to a firewall there, hairpin back to
 * the same endpoint, then the endpoint subnet's table decides (steps 3, 4, 5).
 */
function arriveGwlbe(w: Walk, ep: GwlbEndpoint): Step {
  const { index } = w;
  const az = index.azOf(ep.id);
  const epName = ep.name || ep.id;
  const ret = w.direction === 'return';
  const first = elementHop(w, ep, `GWLB endpoint ${epName}${az ? ` (${az})` : ''} sends the packet over PrivateLink to the GWLB`, { step: ret ? 6 : 3 });
  const gwlb = index.gwlbOfEndpoint(ep.id);
  let enforcement: EnforcementPoint;
  const nfw = ep.flavor === 'networkFirewall' ? index.resolve(ep.service, 'firewall') : undefined;
  if (nfw) {
    // AWS Network Firewall: the endpoint hands the flow to the firewall's engine in the same AZ and back.
    const fName = nfw.name || nfw.id;
    first.note = `firewall endpoint ${epName}${az ? ` (${az})` : ''} hands the packet to AWS Network Firewall ${fName}`;
    first.decision = { routeTable: ep.id, destination: w.dst, target: fName, association: 'implicit' };
    enforcement = { kind: 'network-firewall', element: nfw.id, ...(az ? { az } : {}) };
    addHop(w, { element: nfw.id, kind: 'firewall', name: fName, vpc: index.vpcOf(ep.id), loc: nfw.loc, ...(az ? { az } : {}) }, `AWS Network Firewall ${fName} inspects the flow${az ? ` in ${az}` : ''} and returns allowed traffic to ${epName}`, { enforcement, step: ret ? 6 : 4 });
  } else if (!gwlb) {
    const svc = ep.service === undefined ? 'an endpoint service' : isUnresolved(ep.service) ? ep.service.text : short(index, ep.service);
    first.decision = { routeTable: ep.id, destination: w.dst, target: svc, association: 'implicit' };
    enforcement = { kind: 'gwlb-firewall', element: ep.id, ...(az ? { az } : {}) };
    const epVpc = index.vpcOf(ep.id);
    addHop(w, { element: `${ep.id}#service`, kind: 'gwlbFirewall', name: svc, ...(epVpc ? { vpc: epVpc } : {}), ...(az ? { az } : {}) }, `the GWLB behind ${svc} is outside the inputs (a managed provider such as FortiGate CNF); assumed to inspect and hairpin back to ${epName}`, { enforcement, step: ret ? 6 : 4 });
  } else {
    const gName = gwlb.name || gwlb.id;
    first.decision = { routeTable: ep.id, destination: w.dst, target: gName, association: 'implicit' };
    const crossZone = val(gwlb.crossZone);
    const gHop = addHop(w, { element: gwlb.id, kind: 'gwlb', name: gName, vpc: index.vpcOf(gwlb.id), loc: gwlb.loc, ...(az ? { az } : {}) }, `GWLB ${gName} receives the flow in ${az ?? 'the endpoint\'s AZ'} and sends it over GENEVE (UDP 6081) to a target`, { step: ret ? 6 : 4 });
    const targets = index.targetsOfGwlb(gwlb.id);
    const inAz = az ? targets.filter((t) => t.az === az) : targets;
    let chosen = inAz;
    let note: string;
    if (targets.length === 0) {
      note = `no target group with targets is registered to ${gName} in the inputs`;
    } else if (inAz.length === 0 && crossZone !== true) {
      note = `${gName} has no target in ${az} and cross-zone load balancing is ${crossZone === false ? 'off' : 'not known'}: the flow has no appliance in its AZ`;
      chosen = [];
    } else if (inAz.length === 0) {
      chosen = targets;
      note = `no target in ${az}; cross-zone load balancing sends the flow to ${targets.map((t) => short(index, t.target)).join(', ')} in another AZ`;
    } else {
      note = `inspected by ${chosen.map((t) => short(index, t.target)).join(' or ')} (${chosen[0]!.targetGroup.name || chosen[0]!.targetGroup.id}${az ? `, ${az}` : ''}); allowed traffic hairpins back to ${gName} and ${epName}`;
    }
    gHop.decision = { routeTable: gwlb.id, destination: w.dst, target: chosen[0]?.targetGroup.name ?? gName, association: 'implicit' };
    const tg = chosen[0]?.targetGroup ?? targets[0]?.targetGroup;
    enforcement = { kind: 'gwlb-firewall', element: tg?.id ?? gwlb.id, ...(az ? { az } : {}) };
    addHop(w, { element: tg?.id ?? gwlb.id, kind: 'gwlbFirewall', name: tg ? tg.name || tg.id : gName, vpc: index.vpcOf(gwlb.id), ...(az ? { az } : {}), ...(tg ? { loc: tg.loc } : {}) }, note, { enforcement, step: ret ? 6 : 4 });
  }
  w.inspected.push(enforcement);
  const back = elementHop(w, ep, `GWLB endpoint ${epName} receives the inspected packet back`, { step: ret ? 6 : 5 });
  w.gwlbeSeen.add(ep.id);
  return viaSubnetTable(w, back, ep.id);
}

function arriveIgw(w: Walk, igw: NetworkElement & { vpc: import('../model/types').Ref }, vpc: string | undefined): Step {
  const { index } = w;
  const name = igw.name || igw.id;
  if (w.direction === 'return') {
    elementHop(w, igw, `the reply is routed out through ${name} again instead of reaching ${w.origin}`);
    return dropped(w, { cause: 'reply-to-internet', via: igw.id, to: w.origin }, igw.id);
  }
  if (vpc && index.refId(igw.vpc) !== vpc) {
    elementHop(w, igw, `${name} is not attached to ${short(index, vpc)}`);
    return dropped(w, { cause: 'igw-not-attached', igw: igw.id, vpc }, igw.id);
  }
  const family = parseIp(w.src)?.family;
  let publicIp = w.src;
  let tr: AddressTranslation | undefined;
  if (igw.kind === 'igw' && family === 4) {
    const viaNat = [...w.translations].reverse().find((t) => t.kind === 'snat' && t.to === w.src);
    const nat = viaNat ? index.resolve(viaNat.by, 'natgw') : undefined;
    if (nat && nat.connectivity === 'private') {
      elementHop(w, igw, `${name} cannot translate: private NAT GW ${nat.name || nat.id} has no EIP`);
      return dropped(w, { cause: 'private-nat', nat: nat.id, igw: igw.id }, igw.id);
    }
    publicIp = nat ? natPublicIp(index, nat) : `public IP of ${w.src}`;
    tr = { kind: 'nat11', from: w.src, to: publicIp, by: igw.id };
    w.translations.push(tr);
    w.src = publicIp;
  }
  const hop = elementHop(
    w,
    igw,
    tr ? `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${name} translates ${tr.from} -> ${tr.to}${tr.to.startsWith('public IP') ? ' (the source needs a public IP of its own)' : ''}` : `${name} forwards the packet to the internet`,
    { ...(tr ? { translation: tr } : {}), step: 5 },
  );
  hop.decision = { routeTable: igw.id, destination: w.dst, target: 'internet', association: 'implicit' };
  w.exit = { kind: 'igw', igw: igw.id, vpc: index.refId(igw.vpc) ?? vpc ?? '', publicIp, privateIp: tr?.from ?? w.src };
  return { kind: 'internet', from: hop };
}

/** TGW: the route table the ingress attachment is associated with decides the egress attachment. */
function arriveTgw(w: Walk, tgwId: string, vpc: string | undefined): Step {
  const { index } = w;
  const tgw = index.get(tgwId)!;
  const name = tgw.name || tgw.id;
  const hop = addHop(w, { element: tgw.id, kind: 'tgw', name, loc: tgw.loc }, `transit gateway ${name}`);
  const ingress = vpc ? index.tgwAttachmentsOfVpc(vpc).find((a) => index.refId(a.tgw) === tgw.id) : undefined;
  if (!ingress) return noted(hop, dropped(w, { cause: 'no-tgw-attachment', tgw: tgw.id, ...(vpc ? { vpc } : {}) }, tgw.id));
  const rt = index.tgwRouteTableOf(ingress.id);
  if (!rt) return noted(hop, unknown(w, { cause: 'no-route-table', what: 'attachment-table', element: ingress.id }, ingress.id));
  const p = parseIp(w.dst);
  let best: (typeof rt.routes)[number] | undefined;
  let bestLen = -1;
  let undecided: string | undefined;
  for (const r of rt.routes) {
    const d = val(r.destination);
    const c = d ? parseCidr(d) : undefined;
    if (!c) {
      undecided = isUnresolved(r.destination) ? r.destination.text : String(r.destination);
      continue;
    }
    if (p && cidrContainsIp(c, p) && c.prefix > bestLen) {
      best = r;
      bestLen = c.prefix;
    }
  }
  if (undecided !== undefined && bestLen < 32) return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'tgw-route-destination', table: rt.id, text: undecided }, rt.id));
  if (!best) return noted(hop, dropped(w, { cause: 'no-route', table: rt.id, ip: w.dst }, rt.id));
  const egress = index.resolve(best.attachment, 'tgwAttachment');
  hop.decision = { routeTable: rt.id, route: best.id, destination: val(best.destination) ?? '?', target: egress ? egress.name || egress.id : best.blackhole ? 'blackhole' : '?', loc: best.loc, association: 'tgw' };
  hop.note += `; route ${val(best.destination)} -> ${hop.decision.target} in TGW route table ${rt.name || rt.id}`;
  if (best.blackhole) return dropped(w, { cause: 'blackhole', table: rt.id, destination: String(val(best.destination)) }, best.id);
  if (!egress) {
    if (best.attachment !== undefined && isUnresolved(best.attachment)) return unknown(w, { cause: 'unresolved-input', what: 'tgw-route-target', text: best.attachment.text }, best.id);
    return dropped(w, { cause: 'missing-target', target: best.attachment ?? '?', tgw: true }, best.id);
  }
  return enterAttachment(w, egress);
}

/** The packet leaves the TGW into a VPC through an attachment ENI: that subnet's table decides. */
function enterAttachment(w: Walk, att: TgwAttachment): Step {
  const { index } = w;
  const subnets = att.subnets.map((s) => index.resolve(s, 'subnet')).filter((s): s is Subnet => !!s);
  // Without appliance mode the TGW keeps the flow in the AZ it came from, when the attachment has one.
  const sameAz = subnets.find((s) => val(s.az) === w.az);
  const subnet = sameAz ?? subnets[0];
  const mode = val(att.applianceMode);
  const modeText = mode === true ? 'appliance mode on' : mode === false ? 'appliance mode off' : 'appliance mode not known';
  const hop = addHop(
    w,
    { element: att.id, kind: 'tgwAttachment', name: att.name || att.id, vpc: index.refId(att.vpc), ...(subnet && val(subnet.az) ? { az: val(subnet.az) } : {}), loc: att.loc },
    `enters ${short(index, index.refId(att.vpc) ?? '?')} through attachment ${att.name || att.id}${subnet ? ` in ${short(index, subnet.id)}` : ''} (${modeText})`,
  );
  if (!subnet) return unknown(w, { cause: 'missing-input', what: 'attachment-subnet', attachment: att.id }, att.id);
  const vpc = index.refId(subnet.vpc);
  const st = index.routeTableOfSubnet(subnet.id);
  if (!st || !vpc) {
    const undecided = index.undecidedTableOf(subnet.id);
    if (undecided) return unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: subnet.id, why: undecided }, subnet.id);
    return unknown(w, { cause: 'no-route-table', what: 'attachment-subnet-table', element: subnet.id }, subnet.id);
  }
  return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
}

function transitOf(w: Walk, gw: AviatrixGateway): AviatrixGateway | undefined {
  return w.index.resolve(gw.transit, 'aviatrixGateway');
}

/** Aviatrix spoke gateway: local egress with SNAT enforces DCF; otherwise legacy transit egress. */
function arriveAviatrix(w: Walk, gw: AviatrixGateway): Step {
  const { index } = w;
  const name = gw.name || gw.id;
  const vpc = index.refId(gw.vpc);
  const snat = val(gw.snat);
  const hopBase = { element: gw.id, kind: 'aviatrixGateway' as const, name, ...(vpc ? { vpc } : {}), loc: gw.loc };
  if (gw.role === 'transit') {
    addHop(w, hopBase, `transit gateway ${name} cannot be a first-hop egress point`);
    return unknown(w, { cause: 'unsupported-target', what: 'transit-first-hop', gateway: gw.id }, gw.id);
  }
  if (isUnresolved(gw.snat)) {
    addHop(w, hopBase, `spoke gateway ${name}: whether it SNATs (local egress) is not known offline (${gw.snat.text})`);
    return unknown(w, { cause: 'unresolved-input', what: 'snat', gateway: gw.id }, gw.id);
  }
  if (snat) {
    const enforcement: EnforcementPoint = { kind: 'aviatrix-dcf', element: gw.id };
    w.inspected.push(enforcement);
    const publicIp = `public IP of ${name}`;
    const tr: AddressTranslation = { kind: 'snat', from: w.src, to: publicIp, by: gw.id };
    w.translations.push(tr);
    w.exit = { kind: 'aviatrix', gateway: gw.id, publicIp, privateIp: w.src };
    w.src = publicIp;
    const hop = addHop(w, hopBase, `spoke gateway ${name} enforces DCF and translates ${tr.from} -> its public IP (local egress)`, { enforcement, translation: tr });
    hop.decision = { routeTable: gw.id, destination: w.dst, target: 'internet', association: 'implicit' };
    return { kind: 'internet', from: hop };
  }
  const transit = transitOf(w, gw);
  const hop = addHop(w, hopBase, `spoke gateway ${name} has no local egress (SNAT off); it forwards to ${transit ? `transit ${transit.name || transit.id}` : 'its transit'}`);
  if (!transit) {
    if (gw.transit !== undefined && isUnresolved(gw.transit)) return unknown(w, { cause: 'unresolved-input', what: 'transit', gateway: gw.id }, gw.id);
    return dropped(w, { cause: 'no-transit', gateway: gw.id }, gw.id);
  }
  hop.decision = { routeTable: gw.id, destination: w.dst, target: transit.name || transit.id, association: 'implicit' };
  const egress = transit.egressCapability === undefined ? false : val(transit.egressCapability);
  const tName = transit.name || transit.id;
  if (egress === undefined) {
    addHop(w, { element: transit.id, kind: 'aviatrixGateway', name: tName, loc: transit.loc }, `transit ${tName}: egress capability not known offline`);
    return unknown(w, { cause: 'unresolved-input', what: 'egress-capability', transit: transit.id }, transit.id);
  }
  if (!egress) {
    addHop(w, { element: transit.id, kind: 'aviatrixGateway', name: tName, loc: transit.loc }, `transit ${tName} has no egress capability`);
    return dropped(w, { cause: 'no-egress', gateway: gw.id, transit: transit.id }, transit.id);
  }
  const enforcement: EnforcementPoint = { kind: 'transit-egress', element: transit.id };
  w.inspected.push(enforcement);
  const publicIp = `public IP of ${tName}`;
  const tr: AddressTranslation = { kind: 'snat', from: w.src, to: publicIp, by: transit.id };
  w.translations.push(tr);
  w.exit = { kind: 'aviatrix', gateway: gw.id, transit: transit.id, publicIp, privateIp: w.src };
  w.src = publicIp;
  const th = addHop(w, { element: transit.id, kind: 'aviatrixGateway', name: tName, ...(index.refId(transit.vpc) ? { vpc: index.refId(transit.vpc) } : {}), loc: transit.loc }, `transit ${tName} applies egress (legacy transit egress) and translates ${tr.from} -> its public IP`, { enforcement, translation: tr });
  th.decision = { routeTable: transit.id, destination: w.dst, target: 'internet', association: 'implicit' };
  return { kind: 'internet', from: th };
}

function run(w: Walk, first: Step): TraceOutcome {
  let s = first;
  for (;;) {
    if (w.hops.length >= HOP_LIMIT) return dropped(w, { cause: 'hop-limit', limit: HOP_LIMIT }, w.hops[w.hops.length - 1]?.element).outcome;
    switch (s.kind) {
      case 'end':
        return s.outcome;
      case 'route':
        s = routeStep(w, s);
        break;
      case 'arrive':
        s = arrive(w, s);
        break;
      case 'internet': {
        if (w.direction === 'return') return dropped(w, { cause: 'reply-to-internet' }, s.from.element).outcome;
        addHop(w, { element: 'internet', kind: 'internet', name: 'internet' }, `reaches ${w.dst}`);
        if (!w.exit) {
          // Azure: the platform's default outbound access (or the NVA's public IP) translates.
          const vpc = s.from.vpc ?? '';
          const nva = [...w.inspected].reverse().find((e) => e.kind === 'azure-nva');
          w.exit = { kind: 'azure', vpc, ...(nva ? { nva: nva.element } : {}), publicIp: w.src, privateIp: w.src };
        }
        return { kind: 'delivered' };
      }
    }
  }
}

function newWalk(index: ModelIndex, direction: 'forward' | 'return', src: string, dst: string, origin: string): Walk {
  return { index, direction, hops: [], inspected: [], visited: [], src, dst, origin, translations: [], gwlbeSeen: new Set() };
}

function trace(w: Walk, id: string, sourceElement: string, sourceIp: string, dst: string, domain: string | undefined, outcome: TraceOutcome): PathTrace {
  return {
    id,
    direction: w.direction,
    source: { element: sourceElement, ip: sourceIp },
    destination: { ip: dst, ...(domain ? { domain } : {}) },
    hops: w.hops,
    outcome,
    inspectedBy: w.inspected,
  };
}

/** The spoke gateway a VPC's default route implicitly points to when the controller manages its tables. */
function localEgressSpoke(index: ModelIndex, vpc: string): AviatrixGateway | undefined {
  const gws = index.aviatrixGatewaysOfVpc(vpc).filter((g) => g.role === 'spoke');
  return gws.find((g) => val(g.snat) === true) ?? gws[0];
}

/** Forward leg: the first hop at the source and what decides after it. */
function startForward(w: Walk, source: NetworkElement, sourceIpFrom: string | undefined): Step {
  const { index } = w;
  if (source.kind === 'subnet') {
    const vpc = index.refId(source.vpc);
    const az = val(source.az);
    const hop = addHop(
      w,
      { element: source.id, kind: 'subnet', name: source.name || source.id, ...(vpc ? { vpc } : {}), ...(az ? { az } : {}), loc: source.loc },
      `${sourceIpFrom ? `${short(index, sourceIpFrom)} (${w.src})` : w.src} in subnet ${source.name || source.id} sends to ${w.dst}`,
      { step: 1 },
    );
    if (!vpc) return unknown(w, { cause: 'missing-input', what: 'vpc-of-subnet', subnet: source.id }, source.id);
    const st = index.routeTableOfSubnet(source.id);
    if (st) return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
    const undecided = index.undecidedTableOf(source.id);
    if (undecided) return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: source.id, why: undecided }, source.id));
    return implicitTable(w, hop, vpc, source.id);
  }
  // A VPC (Aviatrix VPC without modelled subnets) or an Aviatrix gateway as source.
  if (source.kind === 'aviatrixGateway') return arriveAviatrix(w, source);
  const vpc = source.kind === 'vpc' ? source.id : index.vpcOf(source.id);
  const hop = addHop(w, { element: source.id, kind: source.kind, name: source.name || source.id, ...(vpc ? { vpc } : {}), loc: source.loc }, `${w.src} in ${source.name || source.id} sends to ${w.dst}`, { step: 1 });
  if (!vpc) return unknown(w, { cause: 'missing-input', what: 'vpc-of', element: source.id }, source.id);
  return implicitTable(w, hop, vpc, source.id);
}

/** No route table in the inputs: the Aviatrix controller's implicit default route, Azure system routes, or unknown. */
function implicitTable(w: Walk, hop: Hop, vpc: string, at: string): Step {
  const { index } = w;
  const spoke = localEgressSpoke(index, vpc);
  if (spoke) {
    hop.decision = { routeTable: vpc, destination: '0.0.0.0/0', target: spoke.name || spoke.id, association: 'implicit' };
    hop.note += `; no route table in the inputs: the Aviatrix controller manages this VPC's routes and points 0.0.0.0/0 to spoke gateway ${spoke.name || spoke.id}`;
    return { kind: 'arrive', element: spoke, from: hop, vpc };
  }
  if (index.resolve(vpc, 'vpc')?.flavor === 'vnet') return azureSystemRoute(w, hop, vpc, undefined, 'implicit');
  return noted(hop, unknown(w, { cause: 'no-route-table', what: 'source-table', element: at }, at));
}

/** Return leg: from the internet back through the forward leg's exit. */
function startReturn(w: Walk, exit: Exit, forward: Walk): Step {
  const { index } = w;
  const inet = addHop(w, { element: 'internet', kind: 'internet', name: 'internet' }, `${w.src} replies to ${w.dst}`, { step: 6 });
  if (exit.kind === 'igw') {
    const igw = index.get(exit.igw)!;
    inet.decision = { routeTable: 'internet', destination: exit.publicIp, target: igw.name || igw.id, association: 'implicit' };
    const map = forward.translations.find((t) => t.kind === 'nat11' && t.by === igw.id);
    let tr: AddressTranslation | undefined;
    if (map) {
      tr = { kind: 'unnat11', from: map.to, to: map.from, by: igw.id };
      w.dst = map.from;
    }
    const edge = index.edgeRouteTable(igw.id);
    const undecidedEdge = edge ? undefined : index.undecidedTableOf(igw.id, 'g');
    if (undecidedEdge) {
      const hop = elementHop(w, igw, `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${igw.name || igw.id} receives the reply`, { step: 6 });
      return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: igw.id, why: undecidedEdge, edge: true }, igw.id));
    }
    const hop = elementHop(w, igw, `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${igw.name || igw.id}${tr ? ` un-translates ${tr.from} -> ${tr.to}` : ' receives the reply'}${edge ? '' : '; no edge route table is associated with it, so `local` delivers straight to the subnet'}`, { ...(tr ? { translation: tr } : {}), step: 6 });
    if (edge) return { kind: 'route', from: hop, table: edge.table, association: 'edge', vpc: exit.vpc };
    hop.decision = { routeTable: igw.id, destination: exit.vpc ? index.vpcCidrs(exit.vpc).map((c) => c.text).join(', ') || 'VPC CIDR' : 'VPC CIDR', target: 'local', association: 'implicit' };
    return deliverLocal(w, hop, exit.vpc);
  }
  if (exit.kind === 'aviatrix') {
    const gw = index.resolve(exit.gateway, 'aviatrixGateway')!;
    const egressAt = exit.transit ? index.resolve(exit.transit, 'aviatrixGateway')! : gw;
    inet.decision = { routeTable: 'internet', destination: exit.publicIp, target: egressAt.name || egressAt.id, association: 'implicit' };
    const enforcement: EnforcementPoint = { kind: exit.transit ? 'transit-egress' : 'aviatrix-dcf', element: egressAt.id };
    w.inspected.push(enforcement);
    const tr: AddressTranslation = { kind: 'unsnat', from: exit.publicIp, to: exit.privateIp, by: egressAt.id };
    w.dst = exit.privateIp;
    const hop = addHop(w, { element: egressAt.id, kind: 'aviatrixGateway', name: egressAt.name || egressAt.id, ...(index.refId(egressAt.vpc) ? { vpc: index.refId(egressAt.vpc) } : {}), loc: egressAt.loc }, `${exit.transit ? 'transit' : 'spoke gateway'} ${egressAt.name || egressAt.id} matches the session (${exit.transit ? 'transit egress' : 'DCF'}) and un-translates -> ${exit.privateIp}`, { enforcement, translation: tr, step: 6 });
    return finishAviatrixReturn(w, hop, gw, exit);
  }
  // Azure: the reply comes back to the public address the flow left with, and through the NVA that sent it.
  inet.decision = { routeTable: 'internet', destination: exit.publicIp, target: exit.nva ? short(index, exit.nva) : short(index, exit.vpc), association: 'implicit' };
  const nva = exit.nva ? index.get(exit.nva) : undefined;
  if (nva) {
    const enforcement: EnforcementPoint = { kind: 'azure-nva', element: nva.id, ...(index.azOf(nva.id) ? { az: index.azOf(nva.id) } : {}) };
    w.inspected.push(enforcement);
    const hop = elementHop(w, nva, `network virtual appliance ${nva.name || nva.id} receives the reply and matches the session`, { enforcement, step: 6 });
    w.dst = w.origin;
    hop.dstIp = w.dst;
    // The source may sit in a peered VNet (hub-and-spoke): deliver in the VNet that holds it.
    const home = index.subnetContainingIp(w.dst) ? index.refId(index.subnetContainingIp(w.dst)!.vpc) : undefined;
    hop.decision = { routeTable: nva.id, destination: w.dst, target: home && home !== exit.vpc ? 'VNet peering' : 'VnetLocal', association: 'implicit' };
    return deliverLocal(w, hop, home ?? exit.vpc);
  }
  w.dst = w.origin;
  return deliverLocal(w, inet, exit.vpc);
}

function finishAviatrixReturn(w: Walk, hop: Hop, gw: AviatrixGateway, exit: Extract<Exit, { kind: 'aviatrix' }>): Step {
  const { index } = w;
  if (exit.transit) {
    hop.decision = { routeTable: exit.transit, destination: w.dst, target: gw.name || gw.id, association: 'implicit' };
    addHop(w, { element: gw.id, kind: 'aviatrixGateway', name: gw.name || gw.id, loc: gw.loc }, `spoke gateway ${gw.name || gw.id} forwards the reply into its VPC`, { step: 6 });
  }
  const vpc = index.refId(gw.vpc);
  const last = w.hops[w.hops.length - 1]!;
  last.decision = { routeTable: vpc ?? gw.id, destination: w.dst, target: 'local', association: 'implicit' };
  if (!vpc) return { kind: 'end', outcome: { kind: 'delivered' } };
  const s = index.subnetContainingIp(w.dst, vpc);
  if (s) return { kind: 'arrive', element: s, from: last, vpc };
  const v = index.get(vpc)!;
  addHop(w, { element: v.id, kind: 'vpc', name: v.name || v.id, vpc: v.id, loc: v.loc }, `delivered to ${w.dst} in ${v.name || v.id}`, { step: 6 });
  return { kind: 'end', outcome: { kind: 'delivered' } };
}

/** Where forward and return legs part ways, for SubnetEgress.divergence. */
function divergence(index: ModelIndex, fwd: PathTrace, ret: PathTrace): SubnetEgress['divergence'] {
  const fEnf = fwd.inspectedBy;
  const rEnf = ret.inspectedBy;
  const fEps = fwd.hops.filter((h) => h.kind === 'gwlbe').map((h) => h.element);
  const firstDecided = ret.hops.find((h) => h.decision && h.kind !== 'internet') ?? ret.hops[0]!;
  if (fEnf.length > 0 && rEnf.length === 0) {
    const fh = fwd.hops.find((h) => h.enforcement);
    return { returnHop: firstDecided.index, ...(fh ? { forwardHop: fh.index } : {}), reason: `the forward leg is inspected by ${fEnf.map((e) => short(index, e.element)).join(', ')} but the return leg passes no enforcement point` };
  }
  if (fEnf.length === 0 && rEnf.length > 0) {
    const rh = ret.hops.find((h) => h.enforcement)!;
    return { returnHop: rh.index, reason: `only the return leg is inspected (by ${rEnf.map((e) => short(index, e.element)).join(', ')})` };
  }
  const fSet = new Set(fEps);
  const rh = ret.hops.find((h) => h.kind === 'gwlbe' && !fSet.has(h.element));
  if (rh) {
    const fh = fwd.hops.find((h) => h.kind === 'gwlbe');
    return { returnHop: rh.index, ...(fh ? { forwardHop: fh.index } : {}), reason: `the return leg enters GWLB endpoint ${rh.name}${rh.az ? ` (${rh.az})` : ''}, the forward leg left through ${fh ? `${fh.name}${fh.az ? ` (${fh.az})` : ''}` : 'another one'}` };
  }
  for (let i = 0; i < Math.min(fEnf.length, rEnf.length); i++) {
    const f = fEnf[fEnf.length - 1 - i]!;
    const r = rEnf[i]!;
    if (f.element !== r.element || f.az !== r.az) {
      const rhop = ret.hops.find((h) => h.enforcement === r) ?? firstDecided;
      return { returnHop: rhop.index, reason: `the return leg is inspected by ${short(index, r.element)}${r.az ? ` (${r.az})` : ''}, the forward leg by ${short(index, f.element)}${f.az ? ` (${f.az})` : ''}` };
    }
  }
  return undefined;
}

/**
 * Egress of one source (subnet, instance, VPC or Aviatrix gateway): the forward trace to the destination
 * (default 8.8.8.8) and, when the forward leg reached the internet, the return trace.
 */
export function traceEgress(index: ModelIndex, sourceElementId: string, opts: { sourceIp?: string; destination?: string } = {}): SubnetEgress {
  const dest = opts.destination ?? DEFAULT_DESTINATION;
  const destIsIp = !!parseIp(dest);
  const dstIp = destIsIp ? dest : DEFAULT_DESTINATION;
  const domain = destIsIp ? undefined : dest;
  let source = index.get(sourceElementId);
  let sourceIpFrom: string | undefined;
  let srcIp = opts.sourceIp;
  if (source?.kind === 'instance' || source?.kind === 'firewall') {
    sourceIpFrom = source.id;
    srcIp = srcIp ?? val(source.privateIp);
    source = index.subnetOf(source.id) ?? source;
  }
  const vpcId = source ? (source.kind === 'vpc' ? source.id : index.vpcOf(source.id)) : undefined;
  if (!srcIp && source?.kind === 'subnet') {
    const s = sourceIpOfSubnet(index, source);
    srcIp = s?.ip;
    sourceIpFrom = sourceIpFrom ?? s?.from;
  }
  if (!srcIp && vpcId) {
    const c = index.vpcCidrs(vpcId).find((x) => x.family === 4) ?? index.vpcCidrs(vpcId)[0];
    if (c) srcIp = hostAddress(c, 10);
  }
  if (!srcIp && source?.kind === 'aviatrixGateway') {
    const c = val(source.subnetCidr) ? parseCidr(val(source.subnetCidr)!) : undefined;
    if (c) srcIp = hostAddress(c, 10);
  }
  const sourceKey = source?.id ?? sourceElementId;
  const w = newWalk(index, 'forward', srcIp ?? 'unknown', dstIp, srcIp ?? 'unknown');
  let outcome: TraceOutcome;
  if (!source) {
    outcome = unknownOutcome(index, { cause: 'missing-input', what: 'source', source: sourceElementId });
  } else if (source.undecided) {
    addHop(w, { element: source.id, kind: source.kind, name: source.name || source.id, loc: source.loc }, `whether ${source.name || source.id} exists cannot be decided offline`, { step: 1 });
    outcome = unknownOutcome(index, { cause: 'unresolved-input', what: 'undecided-source', source: source.id, why: `\`${source.undecided.text}\` (${source.undecided.reason}) at ${where(source.loc)}` }, source.id);
  } else if (!srcIp) {
    addHop(w, { element: source.id, kind: source.kind, name: source.name || source.id, loc: source.loc }, `the address range of ${source.name || source.id} is not known offline`, { step: 1 });
    outcome = unknownOutcome(index, { cause: 'unresolved-input', what: 'source-address', source: source.id }, source.id);
  } else {
    outcome = run(w, startForward(w, source, sourceIpFrom));
  }
  // Seed 000's step numbers only describe its own shape; on other paths (e.g. NAT after inspection
  // behind a TGW) numbers out of order would mislead, so keep them only when they read in order.
  const steps = w.hops.map((h) => h.step).filter((x): x is number => x !== undefined);
  if (steps.some((x, i) => i > 0 && x < steps[i - 1]!)) for (const h of w.hops) if (h.step !== 1) delete h.step;
  const forward = trace(w, `${sourceKey}:forward`, sourceKey, srcIp ?? 'unknown', dstIp, domain, outcome);
  const egress: SubnetEgress = { subnet: sourceKey, vpc: vpcId ?? (source?.kind === 'aviatrixGateway' ? source.vpcIdText ?? source.id : ''), forward };
  if (outcome.kind === 'delivered' && w.exit) {
    const r = newWalk(index, 'return', dstIp, w.exit.publicIp, srcIp!);
    r.translations = w.translations;
    r.az = w.az;
    const rOutcome = run(r, startReturn(r, w.exit, w));
    const ret = trace(r, `${sourceKey}:return`, sourceKey, srcIp!, dstIp, domain, rOutcome);
    ret.source = { element: 'internet', ip: dstIp };
    ret.destination = { ip: srcIp! };
    egress.return = ret;
    // A return leg the inputs cannot decide does not diverge: it is Unknown.
    const d = rOutcome.kind === 'unknown' ? undefined : divergence(index, forward, ret);
    if (d) egress.divergence = d;
  }
  return egress;
}

/** The subnet (most specific) or VPC whose CIDR contains ip. */
export function findSourceForIp(index: ModelIndex, ip: string): string | undefined {
  return index.subnetContainingIp(ip)?.id ?? index.vpcContainingIp(ip);
}

/** Elements in id order (the workspace already sorts the model by id: then no copy, no sort). */
function byId<T extends { id: string }>(xs: T[]): T[] {
  const known = sortedMemo.get(xs);
  if (known) return known as T[];
  let out = xs;
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i - 1]!.id < xs[i]!.id)) {
      out = [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      break;
    }
  }
  sortedMemo.set(xs, out);
  return out;
}

// Kind lists an incremental index did not touch are the same arrays from one run to the next (and are
// not modified): sort each once.
const sortedMemo = new WeakMap<object[], object[]>();

/** Reuse of earlier traces (incremental.ts): a trace whose recorded lookups did not change is taken as is. */
export interface TraceCache {
  get(source: string): SubnetEgress | undefined;
  /** A fresh trace and the keys of every index answer it used (ModelIndex.track). */
  set(source: string, egress: SubnetEgress, deps: Set<string>): void;
}

function traceOne(index: ModelIndex, source: string, destination: string, cache: TraceCache | undefined): SubnetEgress {
  if (!cache) return traceEgress(index, source, { destination });
  const hit = cache.get(source);
  if (hit) return hit;
  const deps = new Set<string>();
  index.track = deps;
  try {
    const eg = traceEgress(index, source, { destination });
    cache.set(source, eg, deps);
    return eg;
  } finally {
    index.track = undefined;
  }
}

/**
 * Egress of every workload source: each subnet that is not an infrastructure hop (NAT, endpoint,
 * firewall, attachment subnets), and each VPC with Aviatrix spoke gateways but no modelled subnets.
 */
export function traceAllEgress(index: ModelIndex, options: AnalysisOptions = {}, cache?: TraceCache): SubnetEgress[] {
  const destination = options.destination ?? DEFAULT_DESTINATION;
  const out: SubnetEgress[] = [];
  const subnets = byId(index.ofKind('subnet'));
  for (const s of subnets) {
    if (index.isInfrastructureSubnet(s.id)) continue;
    out.push(traceOne(index, s.id, destination, cache));
  }
  const spokes = index.ofKind('aviatrixGateway').filter((g) => g.role === 'spoke');
  const seen = new Set<string>();
  for (const g of byId(spokes)) {
    const vpc = index.refId(g.vpc);
    if (vpc) {
      if (seen.has(vpc) || index.subnetsOfVpc(vpc).length > 0) continue;
      seen.add(vpc);
      out.push(traceOne(index, vpc, destination, cache));
    } else {
      // The VPC is not in the inputs (a literal vpc id): the gateway stands for it.
      const key = g.vpcIdText ?? g.id;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(traceOne(index, g.id, destination, cache));
    }
  }
  return out;
}
