// AWS arrivals: NAT gateway, GWLB endpoint (and the GWLB and firewall behind it), internet gateway and its
// return through the edge route table, VPC peering, VPN gateway, and a routed instance (NAT instance).
import type {
  Firewall,
  GwlbEndpoint,
  Instance,
  InternetGateway,
  NatGateway,
  NetworkElement,
  NetworkInterface,
  Subnet,
  Val,
  VpcPeering,
  VpnGateway,
} from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, hostAddress, parseCidr, parseIp } from '../../model/cidr';
import type { AddressTranslation, EnforcementPoint, Hop } from '../types';
import { val, type GwlbTarget, type ModelIndex } from '../modelIndex';
import type { Design } from './arrive';
import { deliverLocal, lookupFor, targetLabel, viaSubnetTable } from './route';
import { ipamAddress, rangeFamily, regionAddress } from './addressRange';
import {
  addHop,
  applianceEnforcement,
  dropped,
  dstRange,
  elementHop,
  rangeOf,
  nameOf,
  noted,
  peerName,
  sourceNat,
  type Exit,
  type Step,
  type Walk,
  unknown,
} from './walk';
import type { UnknownStop } from './outcome';
import { forwardPickOf } from './endpointPick';
import { internetDestination } from '../../parse/vocabulary/fortiosRoutes';
import { where } from '../../model/where';

/**
 * The private IP of a NAT GW, or an assumed host address of its subnet when the inputs leave it computed, or
 * when IPAM allocates its VPC's CIDR at apply (or its subnet's CIDR is chosen by region), an address known only by
 * its range (added to the walk's).
 */
function natPrivateIp(w: Walk, nat: NatGateway): { ip: string; assumed: boolean } | undefined {
  const { index } = w;
  const ip = val(nat.privateIp);
  if (ip && parseIp(ip)) return { ip, assumed: false };
  const s = index.subnetOf(nat.id);
  const c = s && val(s.cidr) ? parseCidr(val(s.cidr)!) : undefined;
  if (c) return { ip: hostAddress(c, c.prefix <= 27 ? 10 : 4), assumed: true };
  const vpc = s ? index.refId(s.vpc) : undefined;
  const range =
    s && vpc ? (ipamAddress(index, s, vpc, `NAT GW ${nameOf(nat)}`) ?? regionAddress(index, s, vpc, `NAT GW ${nameOf(nat)}`)) : undefined;
  if (!range) return undefined;
  const known = rangeOf(w, range.text);
  if (!known) (w.ranges ??= []).push(range);
  return { ip: range.text, assumed: false };
}

function natPublicIp(index: ModelIndex, nat: NatGateway): string {
  const own = val(nat.publicIp);
  if (own) return own;
  const eip = index.resolve(nat.eip, 'eip');
  const eipIp = eip ? val(eip.publicIp) : undefined;
  if (eipIp) return eipIp;
  return `EIP of ${nameOf(nat)}`;
}

function arriveNat(w: Walk, nat: NatGateway): Step {
  const nip = natPrivateIp(w, nat);
  const name = nameOf(nat);
  if (w.direction === 'return' || (nip && w.dst === nip.ip)) {
    const map = w.translations.find((t) => t.by === nat.id && t.kind === 'snat');
    if (!map || w.dst !== map.to) {
      elementHop(w, nat, `NAT GW ${name} has no session for ${w.src} -> ${w.dst}`);
      return dropped(w, { cause: 'no-nat-session', nat: nat.id, ip: w.dst }, nat.id);
    }
    const tr: AddressTranslation = { kind: 'unsnat', from: w.dst, to: map.from, by: nat.id };
    w.dst = map.from;
    const hop = elementHop(w, nat, `NAT GW ${name} un-translates ${tr.from} -> ${tr.to}`, {
      translation: tr,
      stage: w.direction === 'return' ? 6 : undefined,
    });
    return viaSubnetTable(w, hop, nat.id);
  }
  if (!nip) {
    elementHop(w, nat, `NAT GW ${name}: its subnet's CIDR is not known`);
    return unknown(w, { cause: 'unresolved-input', what: 'nat-private-ip', nat: nat.id }, nat.id);
  }
  const tr = sourceNat(w, nip.ip, nat.id);
  const hop = elementHop(
    w,
    nat,
    `NAT GW ${name} translates ${tr.from} -> ${tr.to}${nip.assumed ? ' (private IP assumed: computed at apply time)' : ''}`,
    { translation: tr, stage: 2 },
  );
  return viaSubnetTable(w, hop, nat.id);
}

/**
 * GWLB endpoint: PrivateLink to the GWLB in the endpoint's AZ, GENEVE to a firewall there, hairpin back to
 * the same endpoint, then the endpoint subnet's table decides (stages 3, 4, 5).
 */
function arriveGwlbe(w: Walk, ep: GwlbEndpoint): Step {
  const { index } = w;
  const az = index.azOf(ep.id);
  const epName = nameOf(ep);
  const ret = w.direction === 'return';
  const via = ep.serviceVia ? ` (its service: ${ep.serviceVia})` : '';
  const first = elementHop(w, ep, `GWLB endpoint ${epName}${az ? ` (${az})` : ''} sends the packet over PrivateLink to the GWLB${via}`, {
    stage: ret ? 6 : 3,
  });
  const gwlb = index.gwlbOfEndpoint(ep.id);
  let enforcement: EnforcementPoint;
  let chosenTargets = (): GwlbTarget[] => [];
  let fwHop: Hop | undefined;
  const nfw = ep.flavor === 'networkFirewall' ? index.resolve(ep.service, 'firewall') : undefined;
  // The forward leg entered a positional pick of this firewall's endpoints: whether this is that one is not known.
  const pick = nfw && ret ? forwardPickOf(w, nfw.id) : undefined;
  if (pick)
    return noted(
      first,
      unknown(
        w,
        {
          cause: 'unresolved-input',
          what: 'endpoint-pick',
          ...pick,
          why: `the reply enters ${epName}${az ? ` (${az})` : ''}: whether that is the endpoint the forward leg left through cannot be decided`,
        },
        ep.id,
      ),
    );
  if (nfw) {
    // AWS Network Firewall: the endpoint hands the flow to the firewall's engine in the same AZ and back.
    const fName = nameOf(nfw);
    first.note = `firewall endpoint ${epName}${az ? ` (${az})` : ''} hands the packet to AWS Network Firewall ${fName}`;
    first.decision = { routeTable: ep.id, destination: w.dst, target: fName, association: 'implicit' };
    enforcement = { kind: 'network-firewall', element: nfw.id, ...(az ? { az } : {}) };
    addHop(
      w,
      { element: nfw.id, kind: 'firewall', name: fName, vpc: index.vpcOf(ep.id), loc: nfw.loc, ...(az ? { az } : {}) },
      `AWS Network Firewall ${fName} inspects the flow${az ? ` in ${az}` : ''} and returns allowed traffic to ${epName}`,
      { enforcement, stage: ret ? 6 : 4 },
    );
  } else if (!gwlb) {
    const svc = ep.service === undefined ? 'an endpoint service' : isUnresolved(ep.service) ? ep.service.text : index.label(ep.service);
    first.decision = { routeTable: ep.id, destination: w.dst, target: svc, association: 'implicit' };
    // A service not known offline (a parameter) while every GWLB of the inputs only passes packets back (the AWS
    // samples' appliance stack beside its spoke stack): not assumed to inspect (review s15 R2).
    const reflectors = ep.service !== undefined && isUnresolved(ep.service) ? index.onlyPassThroughGwlbs() : undefined;
    const unproven = reflectors
      ? `${svc}, an endpoint service not known offline, while every GWLB of the inputs passes packets back uninspected (${reflectors}): whether ${svc} is one of them is not known`
      : undefined;
    enforcement = { kind: 'gwlb-firewall', element: ep.id, ...(az ? { az } : {}), ...(unproven ? { unproven } : {}) };
    const epVpc = index.vpcOf(ep.id);
    addHop(
      w,
      { element: `${ep.id}#service`, kind: 'gwlbFirewall', name: svc, ...(epVpc ? { vpc: epVpc } : {}), ...(az ? { az } : {}) },
      `the GWLB behind ${svc} is outside the inputs (a managed provider such as FortiGate CNF); assumed to inspect and hairpin back to ${epName}`,
      { enforcement, stage: ret ? 6 : 4 },
    );
  } else {
    const gName = nameOf(gwlb);
    first.decision = { routeTable: ep.id, destination: w.dst, target: gName, association: 'implicit' };
    const crossZone = val(gwlb.crossZone);
    const gHop = addHop(
      w,
      { element: gwlb.id, kind: 'gwlb', name: gName, vpc: index.vpcOf(gwlb.id), loc: gwlb.loc, ...(az ? { az } : {}) },
      `GWLB ${gName} receives the flow in ${az ?? "the endpoint's AZ"} and sends it over GENEVE (UDP 6081) to a target`,
      { stage: ret ? 6 : 4 },
    );
    const targets = index.targetsOfGwlb(gwlb.id);
    // A target group's stand-in (no target listed: targetsOfGwlb) is in no AZ in particular: it stands in every one.
    const inAz = az ? targets.filter((t) => t.az === az || (t.element === undefined && t.target === t.targetGroup.id)) : targets;
    let chosen = inAz;
    chosenTargets = () => chosen;
    let note: string;
    if (targets.length === 0) {
      note = `no target group with targets is registered to ${gName} in the inputs`;
    } else if (inAz.length === 0 && crossZone !== true) {
      note = `${gName} has no target in ${az} and cross-zone load balancing is ${crossZone === false ? 'off' : 'not known'}: the flow has no appliance in its AZ`;
      chosen = [];
    } else if (inAz.length === 0) {
      chosen = targets;
      note = `no target in ${az}; cross-zone load balancing sends the flow to ${targets.map((t) => index.label(t.target)).join(', ')} in another AZ`;
    } else {
      note = `inspected by ${chosen.map((t) => index.label(t.target)).join(' or ')} (${nameOf(chosen[0].targetGroup)}${az ? `, ${az}` : ''}); allowed traffic hairpins back to ${gName} and ${epName}`;
    }
    gHop.decision = { routeTable: gwlb.id, destination: w.dst, target: chosen[0]?.targetGroup.name ?? gName, association: 'implicit' };
    // A target group of type instance delivers to the instance's primary interface: a VM-Series' management
    // interface unless its bootstrap swaps it (F238). One such target among those the flow may meet is enough.
    const mgmtTarget = chosen.map((t) => ({ t, m: vmSeriesManagement(index, t.element) })).find((x) => x.m !== undefined);
    if (mgmtTarget?.m) {
      const { t, m } = mgmtTarget;
      const on = m.primary ? ` (${nameOf(m.primary)})` : '';
      const what =
        t.element?.kind === 'eni'
          ? `target group ${nameOf(t.targetGroup)} registers network interface ${nameOf(t.element)}, at device index 0 of ${nameOf(m.appliance)}, so GWLB ${gName} delivers the flow there`
          : `target group ${nameOf(t.targetGroup)} registers instance ${nameOf(m.appliance)}, so GWLB ${gName} delivers the flow to its primary network interface${on}`;
      return noted(
        gHop,
        unknown(
          w,
          {
            cause: 'beyond-inputs',
            what: 'management-interface',
            appliance: m.appliance.id,
            via: what,
            at: m.at,
            fix: "set mgmt-interface-swap=enable in its bootstrap, with its data interface at device index 0 and its management interface at 1 (as Palo Alto's GWLB designs do)",
          },
          gwlb.id,
        ),
      );
    }
    const tg = chosen[0]?.targetGroup ?? targets[0]?.targetGroup;
    // Targets that only pass packets back (gwlbtun's pass-through script) inspect nothing: the GWLB carries the flow
    // uninspected (F201). Targets the inputs say nothing of: not known (F136).
    const roles = chosen.map((t) => index.applianceRole(t.target));
    const passes = roles.length > 0 && roles.every((r) => r.passthrough) ? roles.map((r) => r.why).join('; ') : undefined;
    // No target group of the inputs on the GWLB at all: what it forwards to is not known either (review s15 R12).
    const unproven =
      !passes && roles.length > 0 && roles.every((r) => r.role === 'unknown')
        ? roles.map((r) => r.why).join('; ')
        : targets.length === 0
          ? `GWLB ${index.label(gwlb.id)} (${where(gwlb.loc)}), to which no target group of the inputs is attached: what it forwards to is not known`
          : chosen.length === 0
            ? `GWLB ${index.label(gwlb.id)} (${where(gwlb.loc)}), which has no target for the flow: ${note}`
            : undefined;
    if (passes)
      note = `sent to ${chosen.map((t) => index.label(t.target)).join(' or ')}, which ${chosen.length > 1 ? 'pass' : 'passes'} every packet back uninspected; every packet hairpins back to ${gName} and ${epName}`;
    enforcement = {
      kind: 'gwlb-firewall',
      element: tg?.id ?? gwlb.id,
      ...(az ? { az } : {}),
      ...(unproven ? { unproven } : {}),
      ...(passes ? { passes } : {}),
    };
    fwHop = addHop(
      w,
      {
        element: tg?.id ?? gwlb.id,
        kind: 'gwlbFirewall',
        name: tg ? nameOf(tg) : gName,
        vpc: index.vpcOf(gwlb.id),
        ...(az ? { az } : {}),
        ...(tg ? { loc: tg.loc } : {}),
      },
      note,
      { enforcement, stage: ret ? 6 : 4 },
    );
  }
  w.inspected.push(enforcement);
  w.gwlbeSeen.add(ep.id);
  const overlay = !ret && gwlb ? overlayRouting(w, ep, gwlb.id, chosenTargets()) : undefined;
  if (overlay?.kind === 'routes' && fwHop) fwHop.note = fwHop.note.replace(/; allowed traffic hairpins back .*$/, '');
  if (overlay?.kind === 'routes') return overlayForward(w, ep, overlay.appliance, overlay.outside, enforcement, overlay.why);
  // The endpoint's own subnet table sends the packet straight back into this endpoint: an appliance that hands it
  // back over GENEVE would loop, so the design works only if the appliance sends it out itself (a filtering NAT
  // behind the GWLB, as DiscrimiNAT's): what it does is its software, not in the inputs. Unknown, not a loop (F298).
  if (!ret && !overlay && returnsToItself(w, ep)) {
    const { appliance, behind, many } = selfReturnAppliance(ep, gwlb, chosenTargets());
    return noted(
      fwHop ?? first,
      unknown(
        w,
        {
          cause: 'beyond-inputs',
          what: 'appliance-routing',
          appliance,
          why: `the subnet table of ${epName} sends ${w.dst} back to ${epName} itself, so the flow gets out only if ${behind} ${many ? 'send' : 'sends'} it out on ${many ? 'their' : 'its'} own instead of returning it to ${epName}`,
        },
        ep.id,
      ),
    );
  }
  const back = elementHop(
    w,
    ep,
    enforcement.passes !== undefined
      ? `GWLB endpoint ${epName} receives the packet back uninspected`
      : `GWLB endpoint ${epName} receives the inspected packet back`,
    { stage: ret ? 6 : 5 },
  );
  return overlay ? unknown(w, overlay.stop, ep.id) : viaSubnetTable(w, back, ep.id);
}

/**
 * The appliance a self-returning endpoint's flow depends on (F298), and how the reason names it: a target the flow
 * meets; else the instances an Auto Scaling group registers in the GWLB's target group (named by that group, F299);
 * else the GWLB, else the endpoint.
 */
function selfReturnAppliance(
  ep: GwlbEndpoint,
  gwlb: NetworkElement | undefined,
  chosen: GwlbTarget[],
): { appliance: string; behind: string; many?: boolean } {
  const el = chosen.find((t) => t.element)?.element;
  if (el) return { appliance: el.id, behind: `the appliance behind it` };
  const launched = chosen.find((t) => t.element === undefined && t.targetGroup.registeredBy?.length)?.targetGroup;
  if (launched && gwlb) {
    const by = launched.registeredBy!;
    return {
      appliance: launched.id,
      behind: `the appliances behind ${nameOf(gwlb)} (the instances ${by.join(' and ')} ${by.length > 1 ? 'register' : 'registers'} in target group ${nameOf(launched)})`,
      many: true,
    };
  }
  return { appliance: gwlb?.id ?? ep.id, behind: 'the appliance behind it' };
}

/** Whether the table of the endpoint's own subnet routes the destination back to that same endpoint. */
function returnsToItself(w: Walk, ep: GwlbEndpoint): boolean {
  const { index } = w;
  const s = index.subnetOf(ep.id);
  const st = s ? index.routeTableOfSubnet(s.id) : undefined;
  const vpc = s ? index.refId(s.vpc) : undefined;
  if (!st || !vpc) return false;
  const r = lookupFor(w, st.table, vpc);
  return r.kind === 'match' && r.route.target.kind === 'gwlbe' && index.refId(r.route.target.ref) === ep.id;
}

/** The one forwarding interface with an elastic IP of an appliance (its outside), if it has exactly one. */
function outsideInterface(index: ModelIndex, el: NetworkElement | undefined): NetworkInterface | undefined {
  if (!el) return undefined;
  const out = index.interfacesOf(el.id).filter((n) => n.sourceDestCheck === false && n.eip !== undefined);
  return out.length === 1 ? out[0] : undefined;
}

/**
 * The endpoint's subnet has no route for the packet, but the GWLB's appliances have an outside interface with
 * an elastic IP: they can send it out themselves (VM-Series "overlay routing"). When the bootstrap of every
 * appliance the flow may meet enables it, that is the path (overlayForward); otherwise their own configuration
 * decides: Unknown, not dropped. The same when the endpoint's table would send internet-bound traffic back to a
 * transit gateway (the combined design: its 0/0 -> TGW carries the replies to the spokes) and every appliance
 * enables overlay routing: with it on, the appliance's own default route out of its public interface is what
 * makes that design reach the internet. Without it the endpoint's route is followed as before.
 */
function overlayRouting(
  w: Walk,
  ep: GwlbEndpoint,
  gwlbId: string,
  chosen: GwlbTarget[],
):
  | { kind: 'routes'; appliance: Instance | Firewall; outside: NetworkInterface; why: string }
  | { kind: 'unknown'; stop: UnknownStop }
  | undefined {
  const { index } = w;
  const s = index.subnetOf(ep.id);
  const st = s ? index.routeTableOfSubnet(s.id) : undefined;
  const vpc = s ? index.refId(s.vpc) : undefined;
  if (!st || !vpc) return undefined;
  const r = lookupFor(w, st.table, vpc);
  // Only internet-bound traffic: the firewall's virtual router sends private destinations its own way.
  const toTgw = r.kind === 'match' && r.route.target.kind === 'tgw' && internetDestination(w.dst) ? r.route : undefined;
  if (r.kind !== 'none' && !toTgw) return undefined;
  const overlayOn = (t: GwlbTarget) => {
    const el = t.element;
    return (el?.kind === 'instance' || el?.kind === 'firewall') && el.ngfw?.overlayRouting === true && !!outsideInterface(index, el);
  };
  if (chosen.length > 0 && chosen.every(overlayOn)) {
    const el = chosen[0].element as Instance | Firewall;
    const why = toTgw
      ? `${nameOf(st.table)} would send it to ${targetLabel(w, toTgw.target)}`
      : `${nameOf(st.table)} has no route for ${w.dst}`;
    return { kind: 'routes', appliance: el, outside: outsideInterface(index, el)!, why };
  }
  if (toTgw) return undefined;
  // The appliance named is one whose bootstrap does not enable it, if any (the others may).
  let found: { el: NetworkElement; outside: NetworkInterface } | undefined;
  for (const t of index.targetsOfGwlb(gwlbId)) {
    const outside = t.element
      ? index.interfacesOf(t.element.id).find((n) => n.sourceDestCheck === false && n.eip !== undefined)
      : undefined;
    if (!outside) continue;
    found ??= { el: t.element!, outside };
    if (!overlayOn(t)) {
      found = { el: t.element!, outside };
      break;
    }
  }
  if (!found) return undefined;
  const ngfw = found.el.kind === 'instance' || found.el.kind === 'firewall' ? found.el.ngfw : undefined;
  const says = ngfw?.overlayRouting
    ? 'enabled in its bootstrap, but not decided for every appliance the flow may meet: each needs it and one outside interface'
    : ngfw?.overlayUndecided
      ? `whether its bootstrap enables it cannot be decided: ${ngfw.overlayUndecided}`
      : 'its bootstrap in the inputs does not enable it';
  return {
    kind: 'unknown',
    stop: {
      cause: 'beyond-inputs',
      what: 'appliance-routing',
      appliance: found.el.id,
      why: `${nameOf(st.table)} has no route for ${w.dst}, and the appliance can send it out of its outside interface ${nameOf(found.outside)} (overlay routing; ${says})`,
    },
  };
}

/**
 * Overlay routing enabled in the appliance's bootstrap: instead of returning the inspected packet to the
 * endpoint, the appliance routes it itself, out of its outside interface, translating to that interface's
 * address (the IGW then maps it to the elastic IP). The reply reaches that interface, and the appliance sends
 * it back over GENEVE to the endpoint the flow came from (applianceReturn).
 */
function overlayForward(
  w: Walk,
  ep: GwlbEndpoint,
  el: Instance | Firewall,
  out: NetworkInterface,
  enforcement: EnforcementPoint,
  why: string,
): Step {
  const { index } = w;
  const hop = elementHop(
    w,
    el,
    `${applianceName(el)} routes the inspected packet itself instead of returning it to ${nameOf(ep)} (overlay routing, enabled in its bootstrap; ${why}): out of its outside interface ${nameOf(out)}`,
    { stage: 5, ...(enforcement.az ? { az: enforcement.az } : {}) },
  );
  w.appliances.push({ instance: el.id, outEni: out.id, overlay: { endpoint: ep.id, enforcement } });
  const ip = interfaceIp(index, out);
  if (ip) {
    const tr = sourceNat(w, ip, out.id);
    hop.translation = tr;
    hop.srcIp = ip;
    hop.note += `; translates ${tr.from} -> ${tr.to}`;
  }
  return viaSubnetTable(w, hop, out.id);
}

/** Whether a firewall element can translate addresses (a firewall VM, an NVA), unlike a managed firewall service. */
function mayTranslate(index: ModelIndex, id: string): boolean {
  const fw = index.get(id);
  return fw?.kind === 'firewall' && fw.vendor !== 'AWS Network Firewall' && fw.vendor !== 'Azure Firewall';
}

/** A VPC's id as AWS writes it: a literal one names a VPC that exists outside the inputs. */
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;

function arriveIgw(w: Walk, igw: InternetGateway, vpc: string | undefined): Step {
  const { index } = w;
  const name = nameOf(igw);
  if (w.direction === 'return') {
    elementHop(w, igw, `the reply is routed out through ${name} again instead of reaching ${w.origin}`);
    return dropped(w, { cause: 'reply-to-internet', via: igw.id, to: w.origin }, igw.id);
  }
  const undecided = isUnresolved(igw.vpc) && igw.vpc.text && !VPC_ID.test(igw.vpc.text) ? igw.vpc : undefined;
  if (vpc && index.refId(igw.vpc) !== vpc) {
    // Its VPC is written but not known offline (`vpc_id = var.vpc_id`): attached here or elsewhere, the inputs do not
    // say; neither a way out nor a drop is guessed (review s16 R13). Not written at all, it is attached to nothing;
    // a literal id of a VPC outside the inputs is another VPC than this one.
    if (undecided) {
      elementHop(w, igw, `which VPC ${name} is attached to is not known offline`);
      return unknown(w, { cause: 'unresolved-input', what: 'igw-vpc', igw: igw.id, text: undecided.text, why: undecided.reason }, igw.id);
    }
    elementHop(w, igw, `${name} is not attached to ${index.label(vpc)}`);
    return dropped(w, { cause: 'igw-not-attached', igw: igw.id, vpc }, igw.id);
  }
  // A range-only address (the source's, a NAT GW's) is an address of its subnet, of the range's family.
  const srcRange = rangeOf(w, w.src);
  const family = srcRange ? rangeFamily(srcRange) : parseIp(w.src)?.family;
  // Nothing translates IPv6 on the way: an (egress-only) IGW forwards only its own VPC's addresses, so another VPC's
  // IPv6 sent to it over a transit gateway never leaves (central IPv6 egress needs NPTv6 or a proxy).
  const from = w.hops[0]?.vpc;
  const igwVpc = index.refId(igw.vpc) ?? vpc;
  if (family !== 4 && w.dst.includes(':') && w.translations.length === 0 && from && igwVpc && from !== igwVpc) {
    // An instance or appliance of the gateway's VPC that forwarded it may translate IPv6 (NPTv6/NAT66), the central
    // egress design's own way out: what it does is its configuration, not the inputs' (review R12).
    // A managed firewall service (AWS Network Firewall) translates nothing: only instances and firewall VMs may (R14).
    const forwarder = [...w.hops]
      .reverse()
      .find((h) => (h.kind === 'instance' || (h.kind === 'firewall' && mayTranslate(index, h.element))) && h.vpc === igwVpc);
    elementHop(w, igw, `${name} forwards IPv6 only from the addresses of ${index.label(igwVpc)}`);
    if (forwarder)
      return unknown(
        w,
        { cause: 'beyond-inputs', what: 'ipv6-translation', appliance: forwarder.element, igw: igw.id, vpc: igwVpc, from },
        igw.id,
      );
    return dropped(w, { cause: 'ipv6-other-vpc', igw: igw.id, vpc: igwVpc, from }, igw.id);
  }
  let publicIp = w.src;
  let tr: AddressTranslation | undefined;
  if (igw.kind === 'igw' && family === 4) {
    const viaNat = [...w.translations].reverse().find((t) => t.kind === 'snat' && t.to === w.src);
    const nat = viaNat ? index.resolve(viaNat.by, 'natgw') : undefined;
    if (nat && nat.connectivity === 'private') {
      elementHop(w, igw, `${name} cannot translate: private NAT GW ${nameOf(nat)} has no EIP`);
      return dropped(w, { cause: 'private-nat', nat: nat.id, igw: igw.id }, igw.id);
    }
    const outside = nat ? undefined : [...w.translations].reverse().find((t) => t.kind === 'snat' && t.to === w.src);
    const eni = outside ? index.resolve(outside.by, 'eni') : undefined;
    const appliance = outside && !eni ? (index.resolve(outside.by, 'instance') ?? index.resolve(outside.by, 'firewall')) : undefined;
    if (nat) publicIp = natPublicIp(index, nat);
    else {
      const pub: PublicIp = eni
        ? interfacePublicIp(index, eni)
        : appliance
          ? { kind: 'yes', ip: `public IP of ${nameOf(appliance)}` }
          : sourcePublicIp(index, w.origin, rangeOf(w, w.origin)?.subnet);
      if (pub.kind !== 'yes') {
        elementHop(w, igw, `${name} has no public IP to translate ${w.src} to`);
        return pub.kind === 'no'
          ? dropped(w, { cause: 'no-public-ip', owner: pub.owner, igw: igw.id, why: pub.why }, igw.id)
          : unknown(w, { cause: 'unresolved-input', what: 'public-ip', owner: pub.owner, why: pub.why }, igw.id);
      }
      publicIp = pub.ip ?? `public IP of ${w.src}`;
    }
    tr = { kind: 'nat11', from: w.src, to: publicIp, by: igw.id };
    w.translations.push(tr);
    w.src = publicIp;
  }
  const hop = elementHop(
    w,
    igw,
    tr
      ? `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${name} translates ${tr.from} -> ${tr.to}${tr.to.startsWith('public IP') ? ' (its own public IP)' : ''}`
      : `${name} forwards the packet to the internet`,
    { ...(tr ? { translation: tr } : {}), stage: 5 },
  );
  hop.decision = { routeTable: igw.id, destination: w.dst, target: 'internet', association: 'implicit' };
  w.exit = igwExit(igw.id, index.refId(igw.vpc) ?? vpc ?? '', publicIp, tr?.from ?? w.src);
  return { kind: 'internet', from: hop };
}

/** The reply comes in through the IGW: it undoes its 1:1 NAT, then its edge route table (or `local`) decides. */
function igwExit(igwId: string, vpc: string, publicIp: string, privateIp: string): Exit {
  return {
    kind: 'igw',
    publicIp,
    privateIp,
    startReturn(r, forward) {
      const { index } = r;
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${peerName(r)} replies to ${r.dst}`, {
        stage: 6,
      });
      const igw = index.get(igwId)!;
      inet.decision = { routeTable: 'internet', destination: publicIp, target: nameOf(igw), association: 'implicit' };
      const map = forward.translations.find((t) => t.kind === 'nat11' && t.by === igw.id);
      let tr: AddressTranslation | undefined;
      if (map) {
        tr = { kind: 'unnat11', from: map.to, to: map.from, by: igw.id };
        r.dst = map.from;
      }
      const edge = index.edgeRouteTable(igw.id);
      const undecidedEdge = edge ? undefined : index.undecidedTableOf(igw.id, 'g');
      if (undecidedEdge) {
        const hop = elementHop(r, igw, `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${nameOf(igw)} receives the reply`, { stage: 6 });
        return noted(
          hop,
          unknown(r, { cause: 'unresolved-input', what: 'undecided-table', element: igw.id, why: undecidedEdge, edge: true }, igw.id),
        );
      }
      const hop = elementHop(
        r,
        igw,
        `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${nameOf(igw)}${tr ? ` un-translates ${tr.from} -> ${tr.to}` : ' receives the reply'}${edge ? '' : igw.kind === 'igw' ? '; no edge route table is associated with it, so `local` delivers straight to the subnet' : '; an egress-only IGW takes no edge route table, so `local` delivers straight to the subnet'}`,
        { ...(tr ? { translation: tr } : {}), stage: 6 },
      );
      if (edge) return { kind: 'route', from: hop, table: edge.table, association: 'edge', vpc };
      const range = dstRange(r);
      hop.decision = {
        routeTable: igw.id,
        destination: range
          ? range.vpcCidr
          : vpc
            ? index
                .vpcCidrs(vpc)
                .map((c) => c.text)
                .join(', ') || 'VPC CIDR'
            : 'VPC CIDR',
        target: 'local',
        association: 'implicit',
      };
      return deliverLocal(r, hop, vpc);
    },
  };
}

function arrivePeering(w: Walk, el: VpcPeering, here: string | undefined): Step {
  const { index } = w;
  const other = index.refId(el.vpc) === here ? index.refId(el.peerVpc) : index.refId(el.vpc);
  const hop = elementHop(w, el, `VPC peering ${nameOf(el)}`);
  const range = dstRange(w);
  if (range && other !== undefined) {
    if (other === range.vpc) return deliverLocal(w, hop, other);
    return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'source-address', source: range.subnet }, el.id));
  }
  const p = parseIp(w.dst);
  if (other && p && index.vpcCidrs(other).some((c) => cidrContainsIp(c, p))) return deliverLocal(w, hop, other);
  return noted(hop, dropped(w, { cause: 'no-transitive-peering', peering: el.id }, el.id));
}

function arriveVgw(w: Walk, el: VpnGateway): Step {
  elementHop(w, el, `virtual private gateway ${nameOf(el)}: the packet leaves for on-premises`);
  return unknown(w, { cause: 'beyond-inputs', what: 'vpn', vgw: el.id }, el.id);
}

type PublicIp = { kind: 'yes'; ip?: string } | { kind: 'no' | 'unknown'; owner: string; why: string };

/** The public IP of an appliance's outside interface: its elastic IP. */
function interfacePublicIp(index: ModelIndex, eni: NetworkInterface): PublicIp {
  if (eni.eip === undefined) return { kind: 'no', owner: eni.id, why: 'no elastic IP is associated with it' };
  const e = index.resolve(eni.eip, 'eip');
  return { kind: 'yes', ip: (e ? val(e.publicIp) : undefined) ?? `EIP of ${nameOf(eni)}` };
}

/**
 * Whether the source can leave through an IGW without a NAT: the IGW translates only addresses that have a
 * public IP. The source's instances decide (an elastic IP, `associate_public_ip_address`, else the subnet's
 * `map_public_ip_on_launch`); a subnet without modelled instances can hold one that has a public IP, so its
 * route to the IGW is egress (docs/states.md).
 */
function sourcePublicIp(index: ModelIndex, origin: string, subnetId?: string): PublicIp {
  const owner = index.elementByIp(origin);
  const subnet = subnetId !== undefined ? index.resolve(subnetId, 'subnet') : index.subnetContainingIp(origin);
  const hosts =
    owner?.kind === 'instance' ? [owner] : subnet ? index.instancesInSubnet(subnet.id).filter((i) => !index.isAppliance(i.id)) : [];
  if (!subnet || hosts.length === 0) return { kind: 'yes' };
  let unknownWhy: string | undefined;
  for (const h of hosts) {
    const p = instancePublicIp(index, h, subnet);
    if (p === true) return { kind: 'yes', ip: `public IP of ${nameOf(h)}` };
    if (p !== false) unknownWhy ??= p;
  }
  if (unknownWhy) return { kind: 'unknown', owner: subnet.id, why: unknownWhy };
  return {
    kind: 'no',
    owner: subnet.id,
    why: `${hosts.map((h) => nameOf(h)).join(', ')} ${hosts.length === 1 ? 'has' : 'have'} no elastic IP and no associate_public_ip_address, and the subnet does not map public IPs on launch`,
  };
}

/** Whether an instance has a public IP of its own (an elastic IP, on it or an interface; the launch setting): true / false, or why it cannot be decided. */
export function instancePublicIp(index: ModelIndex, h: Instance, subnet: Subnet): boolean | string {
  if (h.eip !== undefined || index.interfacesOf(h.id).some((n) => n.eip !== undefined)) return true;
  const a = h.associatePublicIp;
  if (a !== undefined) return isUnresolved(a) ? `associate_public_ip_address of ${nameOf(h)} is \`${a.text}\` (${a.reason})` : a;
  const m = subnet.mapPublicIp;
  if (m !== undefined && isUnresolved(m)) return `map_public_ip_on_launch of ${nameOf(subnet)} is \`${m.text}\` (${m.reason})`;
  return m === true;
}

/**
 * A Palo Alto VM-Series whose bootstrap, wholly in the inputs, does not swap its management interface: on AWS its
 * interface at device index 0 (its primary, where a route to the instance and a GWLB target group of type instance
 * deliver) is its management interface, which forwards no traffic (F238). The element the packet is handed to (an
 * instance, or its device-index-0 interface) -> what the Unknown stop needs; undefined for anything else.
 */
function vmSeriesManagement(
  index: ModelIndex,
  el: NetworkElement | undefined,
): { appliance: Instance | Firewall; primary?: NetworkInterface; data: NetworkInterface[]; at: string } | undefined {
  const owner =
    el?.kind === 'eni'
      ? el.deviceIndex === 0
        ? (index.resolve(el.instance, 'instance') ?? index.resolve(el.instance, 'firewall'))
        : undefined
      : el?.kind === 'instance' || el?.kind === 'firewall'
        ? el
        : undefined;
  const at = owner?.ngfw?.mgmtFirst;
  if (!owner || !at) return undefined;
  const nics = index.interfacesOf(owner.id);
  const primary = nics.find((n) => n.deviceIndex === 0);
  const data = nics.filter((n) => n.deviceIndex !== undefined && n.deviceIndex > 0).sort((a, b) => a.deviceIndex! - b.deviceIndex!);
  return { appliance: owner, ...(primary ? { primary } : {}), data, at: where(at) };
}

/** The data interfaces of a VM-Series to route to instead of its management interface, as a reason's words. */
function dataInterfaces(m: { data: NetworkInterface[] }): string {
  return m.data.length > 0
    ? `route to a data interface (${m.data.map((n) => `${nameOf(n)} at device index ${n.deviceIndex}`).join(' or ')}) instead`
    : 'its data interfaces (device index 1 and up) are not in the inputs';
}

/** The vendor or role an appliance is shown with. */
function applianceName(el: Instance | Firewall): string {
  return `${el.kind === 'firewall' && el.vendor ? `${el.vendor} ` : ''}appliance ${nameOf(el)}`;
}

/**
 * A route sends the packet to an interface: the instance it is attached to receives it, if the interface
 * forwards (source/destination check off). A forwarding instance is an enforcement point.
 */
function arriveEni(w: Walk, eni: NetworkInterface, route: string | undefined): Step {
  const { index } = w;
  const hop = elementHop(w, eni, `network interface ${nameOf(eni)} receives the packet`);
  // The reply to an address the appliance translated to: the session is its own.
  const snat = w.direction === 'return' ? w.translations.find((t) => t.kind === 'snat' && t.by === eni.id && t.to === w.dst) : undefined;
  const inst = index.resolve(eni.instance, 'instance') ?? index.resolve(eni.instance, 'firewall');
  if (snat && inst) return applianceReturn(w, inst, snat.from);
  // A VM-Series' management interface forwards nothing, whatever its source/destination check (F238).
  const mgmt = vmSeriesManagement(index, eni);
  if (mgmt)
    return noted(
      hop,
      unknown(
        w,
        {
          cause: 'beyond-inputs',
          what: 'management-interface',
          appliance: mgmt.appliance.id,
          via: `the route sends the packet to network interface ${nameOf(eni)}, at device index 0 of ${nameOf(mgmt.appliance)}`,
          at: mgmt.at,
          fix: dataInterfaces(mgmt),
        },
        eni.id,
      ),
    );
  if (isUnresolved(eni.sourceDestCheck))
    return noted(
      hop,
      unknown(w, { cause: 'unresolved-input', what: 'source-dest-check', element: eni.id, text: eni.sourceDestCheck.text }, eni.id),
    );
  // Dropped at the route that sent it here: blackhole-route reports it on the interface.
  if (eni.sourceDestCheck) return noted(hop, dropped(w, { cause: 'source-dest-check', element: eni.id }, route ?? eni.id));
  if (!inst) {
    if (eni.instance !== undefined && isUnresolved(eni.instance))
      return noted(
        hop,
        unknown(w, { cause: 'unresolved-input', what: 'route-target', text: eni.instance.text, why: eni.instance.reason }, eni.id),
      );
    return noted(hop, unknown(w, { cause: 'beyond-inputs', what: 'detached-interface', eni: eni.id }, eni.id));
  }
  return applianceForward(w, inst, eni);
}

/** A route names an instance (`instance_id`): an appliance forwards and enforces; another instance forwards through its subnet. */
function arriveRoutedInstance(w: Walk, el: Instance | Firewall, route: string | undefined): Step {
  const { index } = w;
  // The reply to the address the appliance translated to (its own): the session is its own.
  const snat = w.direction === 'return' ? w.translations.find((t) => t.kind === 'snat' && t.by === el.id && t.to === w.dst) : undefined;
  if (snat) return applianceReturn(w, el, snat.from);
  // AWS delivers a route to an instance to its primary interface: a VM-Series' management interface (F238).
  const mgmt = vmSeriesManagement(index, el);
  if (mgmt) {
    const hop = elementHop(w, el, `${applianceName(el)} receives the packet`);
    const on = mgmt.primary ? ` (${nameOf(mgmt.primary)})` : '';
    return noted(
      hop,
      unknown(
        w,
        {
          cause: 'beyond-inputs',
          what: 'management-interface',
          appliance: el.id,
          via: `the route names instance ${nameOf(el)}, so AWS delivers the packet to its primary network interface${on}`,
          at: mgmt.at,
          fix: dataInterfaces(mgmt),
        },
        el.id,
      ),
    );
  }
  if (index.isAppliance(el.id)) {
    const primary = index.interfacesOf(el.id).find((n) => n.deviceIndex === 0);
    return applianceForward(w, el, primary);
  }
  const hop = elementHop(w, el, `${el.kind} ${nameOf(el)} receives the packet`);
  if (el.sourceDestCheck === true) return noted(hop, dropped(w, { cause: 'source-dest-check', element: el.id }, route ?? el.id));
  return viaSubnetTable(w, hop, el.id);
}

/**
 * The appliance enforces its policy and forwards the packet out of one of its forwarding interfaces: the one its
 * bootstrap's routes name when they decide (possibly the one it came in by: one-armed), else the one other than the
 * interface it came in by (an inside/outside pair); one interface: back out of it (one-armed).
 * Leaving by an interface with an elastic IP (its outside), it translates the source to that interface.
 */
function applianceForward(w: Walk, el: Instance | Firewall, inEni: NetworkInterface | undefined): Step {
  const { index } = w;
  const az = index.azOf(el.id) ?? (inEni ? index.azOf(inEni.id) : undefined);
  const role = index.applianceRole(el.id);
  // A NAT instance translates and forwards: no enforcement point, as a NAT GW is none.
  const enforcement = role.role === 'nat' ? undefined : applianceEnforcement(el.id, az, role);
  if (enforcement) w.inspected.push(enforcement);
  const hop = elementHop(
    w,
    el,
    role.role === 'nat'
      ? `NAT instance ${nameOf(el)} receives the packet (${role.why}): it translates and forwards, it does not inspect`
      : role.role === 'unknown'
        ? `${applianceName(el)} receives the packet and forwards it; whether it inspects is not known (${role.why})`
        : `${applianceName(el)} receives the packet and enforces its policy (not in the inputs)`,
    { ...(enforcement ? { enforcement } : {}), ...(az ? { az } : {}) },
  );
  const forwarding = index.interfacesOf(el.id).filter((n) => n.sourceDestCheck === false);
  if (forwarding.length === 0 && !inEni) {
    w.appliances.push({ instance: el.id });
    // One interface with a public IP of its own (a NAT instance, a one-armed firewall): the IGW maps only
    // that address, so what the appliance sends out it sends from there.
    const sub = el.kind === 'instance' ? index.subnetOf(el.id) : undefined;
    if (w.direction === 'forward' && sub && instancePublicIp(index, el as Instance, sub) === true) {
      const ip = hostIp(index, el.privateIp, el.id);
      if (ip) {
        const tr = sourceNat(w, ip, el.id);
        hop.translation = tr;
        hop.srcIp = ip;
        hop.note += `; translates ${tr.from} -> ${tr.to} (its own address, which has a public IP)`;
      }
    }
    return viaSubnetTable(w, hop, el.id);
  }
  const others = forwarding.filter((n) => n.id !== inEni?.id);
  const withEip = others.filter((n) => n.eip !== undefined);
  // The bootstrap's routes, when they decide the port, say where it sends internet-bound traffic, the interface it
  // came in by included (F104: a one-armed FortiGate, port1 in and out, whose management port has an EIP too).
  // Came in by its only forwarding interface, it may still leave by a port with an elastic IP whose source/dest
  // check is on when its routes name that port (F178): leaving there it translates to that interface's own address,
  // which the check lets out.
  const outside =
    others.length === 0 && inEni
      ? bootstrapOut(
          w,
          el,
          index.interfacesOf(el.id).filter((n) => n.sourceDestCheck === false || n.eip !== undefined),
        )
      : undefined;
  const decided = others.length > 0 ? bootstrapOut(w, el, forwarding) : outside?.eni.id !== inEni?.id ? outside : undefined;
  const routed = decided ?? (others.length > 1 && withEip.length !== 1 ? bootstrapOut(w, el, others) : undefined);
  const out =
    decided?.eni ??
    (others.length === 0 ? (inEni ?? forwarding[0]) : others.length === 1 ? others[0] : withEip.length === 1 ? withEip[0] : routed?.eni);
  if (!out)
    return noted(
      hop,
      unknown(
        w,
        {
          cause: 'beyond-inputs',
          what: 'appliance-routing',
          appliance: el.id,
          why: `it can forward out of ${others.map((n) => nameOf(n)).join(', ')}`,
        },
        el.id,
      ),
    );
  w.appliances.push({ instance: el.id, ...(inEni ? { inEni: inEni.id } : {}), outEni: out.id });
  if (out.eip !== undefined && w.direction === 'forward') {
    const ip = interfaceIp(index, out);
    if (ip) {
      const tr = sourceNat(w, ip, out.id);
      hop.translation = tr;
      hop.srcIp = ip;
      hop.note += `; translates ${tr.from} -> ${tr.to} (${nameOf(out)}, its outside interface)`;
    }
  }
  hop.note += `; forwards out of ${nameOf(out)}${routed ? ` (${routed.why})` : ''}`;
  return viaSubnetTable(w, hop, out.id);
}

/**
 * The interface a FortiGate sends internet-bound traffic out of when its bootstrap's routes decide the port
 * (vocabulary/fortiosRoutes.ts) and that port is one of the candidates: FortiGate-VM numbers its ports in the
 * order of the instance's interfaces, port N being the one at device index N-1. Undefined when they do not.
 */
function bootstrapOut(
  w: Walk,
  el: Instance | Firewall,
  candidates: NetworkInterface[],
): { eni: NetworkInterface; why: string } | undefined {
  // Each policy table's routes, or (no policy written) the bootstrap's own (F178).
  const tables = el.ngfw?.policy?.tables;
  const egresses = tables?.length ? tables.map((t) => t.egress) : el.ngfw?.egress ? [el.ngfw.egress] : [];
  if (w.direction !== 'forward' || egresses.length === 0 || !internetDestination(w.dst)) return undefined;
  const picked = new Set<NetworkInterface | undefined>();
  for (const egress of egresses) {
    if (!egress) return undefined;
    for (const d of egress.devices) {
      const m = /^port(\d+)$/.exec(d);
      picked.add(m ? candidates.find((n) => n.deviceIndex === Number(m[1]) - 1) : undefined);
    }
  }
  const [eni] = picked;
  if (picked.size !== 1 || !eni) return undefined;
  const egress = egresses.find((x) => x !== undefined)!;
  return {
    eni,
    why: `its bootstrap's routes: ${egress.reason}; port${(eni.deviceIndex ?? 0) + 1} is its interface at device index ${eni.deviceIndex}`,
  };
}

/** An interface's private IP, or an assumed host address of its subnet when it is computed at apply time. */
function interfaceIp(index: ModelIndex, eni: NetworkInterface): string | undefined {
  return hostIp(index, eni.privateIp, eni.id);
}

function hostIp(index: ModelIndex, privateIp: Val<string> | undefined, id: string): string | undefined {
  const ip = val(privateIp);
  if (ip && parseIp(ip)) return ip;
  const s = index.subnetOf(id);
  const c = s && val(s.cidr) ? parseCidr(val(s.cidr)!) : undefined;
  return c ? hostAddress(c, c.prefix <= 27 ? 11 : 5) : undefined;
}

/** The reply reaches the appliance's outside address: it matches the session, enforces, and sends it back in. */
function applianceReturn(w: Walk, el: Instance | Firewall, to: string): Step {
  const { index } = w;
  const passed = w.appliances.find((a) => a.instance === el.id);
  const viaEp = passed?.overlay ? index.resolve(passed.overlay.endpoint, 'gwlbe') : undefined;
  if (passed?.overlay && viaEp) {
    // Overlay routing: the session came from a GWLB endpoint; the reply goes back over GENEVE to it, inspected
    // by the same appliance the forward leg met there.
    w.inspected.push(passed.overlay.enforcement);
    const tr: AddressTranslation = { kind: 'unsnat', from: w.dst, to, by: el.id };
    w.dst = to;
    elementHop(
      w,
      el,
      `${applianceName(el)} matches the session, un-translates ${tr.from} -> ${tr.to} and returns it over GENEVE to GWLB endpoint ${nameOf(viaEp)}, where the flow came from`,
      { enforcement: passed.overlay.enforcement, translation: tr, stage: 6 },
    );
    const back = elementHop(w, viaEp, `GWLB endpoint ${nameOf(viaEp)} receives the inspected reply`, { stage: 6 });
    return viaSubnetTable(w, back, viaEp.id);
  }
  const az = index.azOf(el.id);
  const role = index.applianceRole(el.id);
  const enforcement = role.role === 'nat' ? undefined : applianceEnforcement(el.id, az, role);
  if (enforcement) w.inspected.push(enforcement);
  const tr: AddressTranslation = { kind: 'unsnat', from: w.dst, to, by: el.id };
  w.dst = to;
  const back = passed?.inEni ? index.resolve(passed.inEni, 'eni') : undefined;
  const hop = elementHop(
    w,
    el,
    `${role.role === 'nat' ? `NAT instance ${nameOf(el)}` : applianceName(el)} matches the session, un-translates ${tr.from} -> ${tr.to}${role.role === 'firewall' ? ' and enforces its policy' : ''}${back ? `; sends it back in through ${nameOf(back)}` : ''}`,
    { ...(enforcement ? { enforcement } : {}), translation: tr, stage: 6 },
  );
  return viaSubnetTable(w, hop, back?.id ?? el.id);
}

export const awsDesign: Design = {
  name: 'aws',
  arrivals: {
    natgw: (w, nat) => arriveNat(w, nat),
    gwlbe: (w, ep) => arriveGwlbe(w, ep),
    igw: (w, igw, s) => arriveIgw(w, igw, s.vpc),
    eigw: (w, igw, s) => arriveIgw(w, igw, s.vpc),
    peering: (w, p, s) => arrivePeering(w, p, s.vpc),
    vgw: (w, vgw) => arriveVgw(w, vgw),
    instance: (w, el, s) => arriveRoutedInstance(w, el, s.route),
    firewall: (w, el, s) => arriveRoutedInstance(w, el, s.route),
    eni: (w, el, s) => arriveEni(w, el, s.route),
  },
};
