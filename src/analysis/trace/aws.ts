// AWS arrivals: NAT gateway, GWLB endpoint (and the GWLB and firewall behind it), internet gateway and its
// return through the edge route table, VPC peering, VPN gateway, and a routed instance (NAT instance).
import type { Firewall, GwlbEndpoint, Instance, InternetGateway, NatGateway, VpcPeering, VpnGateway } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, hostAddress, parseCidr, parseIp } from '../../model/cidr';
import type { AddressTranslation, EnforcementPoint } from '../types';
import { val, type ModelIndex } from '../modelIndex';
import type { Design } from './arrive';
import { deliverLocal, viaSubnetTable } from './route';
import { addHop, dropped, elementHop, nameOf, noted, unknown, type Exit, type Step, type Walk } from './walk';

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
  return `EIP of ${nameOf(nat)}`;
}

function arriveNat(w: Walk, nat: NatGateway): Step {
  const nip = natPrivateIp(w.index, nat);
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
  const tr: AddressTranslation = { kind: 'snat', from: w.src, to: nip.ip, by: nat.id };
  w.translations.push(tr);
  w.src = nip.ip;
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
  const first = elementHop(w, ep, `GWLB endpoint ${epName}${az ? ` (${az})` : ''} sends the packet over PrivateLink to the GWLB`, {
    stage: ret ? 6 : 3,
  });
  const gwlb = index.gwlbOfEndpoint(ep.id);
  let enforcement: EnforcementPoint;
  const nfw = ep.flavor === 'networkFirewall' ? index.resolve(ep.service, 'firewall') : undefined;
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
    enforcement = { kind: 'gwlb-firewall', element: ep.id, ...(az ? { az } : {}) };
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
      note = `no target in ${az}; cross-zone load balancing sends the flow to ${targets.map((t) => index.label(t.target)).join(', ')} in another AZ`;
    } else {
      note = `inspected by ${chosen.map((t) => index.label(t.target)).join(' or ')} (${nameOf(chosen[0].targetGroup)}${az ? `, ${az}` : ''}); allowed traffic hairpins back to ${gName} and ${epName}`;
    }
    gHop.decision = { routeTable: gwlb.id, destination: w.dst, target: chosen[0]?.targetGroup.name ?? gName, association: 'implicit' };
    const tg = chosen[0]?.targetGroup ?? targets[0]?.targetGroup;
    enforcement = { kind: 'gwlb-firewall', element: tg?.id ?? gwlb.id, ...(az ? { az } : {}) };
    addHop(
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
  const back = elementHop(w, ep, `GWLB endpoint ${epName} receives the inspected packet back`, { stage: ret ? 6 : 5 });
  w.gwlbeSeen.add(ep.id);
  return viaSubnetTable(w, back, ep.id);
}

function arriveIgw(w: Walk, igw: InternetGateway, vpc: string | undefined): Step {
  const { index } = w;
  const name = nameOf(igw);
  if (w.direction === 'return') {
    elementHop(w, igw, `the reply is routed out through ${name} again instead of reaching ${w.origin}`);
    return dropped(w, { cause: 'reply-to-internet', via: igw.id, to: w.origin }, igw.id);
  }
  if (vpc && index.refId(igw.vpc) !== vpc) {
    elementHop(w, igw, `${name} is not attached to ${index.label(vpc)}`);
    return dropped(w, { cause: 'igw-not-attached', igw: igw.id, vpc }, igw.id);
  }
  const family = parseIp(w.src)?.family;
  let publicIp = w.src;
  let tr: AddressTranslation | undefined;
  if (igw.kind === 'igw' && family === 4) {
    const viaNat = [...w.translations].reverse().find((t) => t.kind === 'snat' && t.to === w.src);
    const nat = viaNat ? index.resolve(viaNat.by, 'natgw') : undefined;
    if (nat && nat.connectivity === 'private') {
      elementHop(w, igw, `${name} cannot translate: private NAT GW ${nameOf(nat)} has no EIP`);
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
    tr
      ? `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${name} translates ${tr.from} -> ${tr.to}${tr.to.startsWith('public IP') ? ' (the source needs a public IP of its own)' : ''}`
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
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${r.src} replies to ${r.dst}`, { stage: 6 });
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
        `${igw.kind === 'igw' ? 'IGW' : 'egress-only IGW'} ${nameOf(igw)}${tr ? ` un-translates ${tr.from} -> ${tr.to}` : ' receives the reply'}${edge ? '' : '; no edge route table is associated with it, so `local` delivers straight to the subnet'}`,
        { ...(tr ? { translation: tr } : {}), stage: 6 },
      );
      if (edge) return { kind: 'route', from: hop, table: edge.table, association: 'edge', vpc };
      hop.decision = {
        routeTable: igw.id,
        destination: vpc
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
  const p = parseIp(w.dst);
  if (other && p && index.vpcCidrs(other).some((c) => cidrContainsIp(c, p))) return deliverLocal(w, hop, other);
  return noted(hop, dropped(w, { cause: 'no-transitive-peering', peering: el.id }, el.id));
}

function arriveVgw(w: Walk, el: VpnGateway): Step {
  elementHop(w, el, `virtual private gateway ${nameOf(el)}: the packet leaves for on-premises`);
  return unknown(w, { cause: 'beyond-inputs', what: 'vpn', vgw: el.id }, el.id);
}

/** A routed instance (NAT instance, appliance) that is not the destination: it forwards through its own subnet's table. */
function arriveRoutedInstance(w: Walk, el: Instance | Firewall): Step {
  const hop = elementHop(w, el, `${el.kind} ${nameOf(el)} receives the packet`);
  return viaSubnetTable(w, hop, el.id);
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
    instance: (w, el) => arriveRoutedInstance(w, el),
    firewall: (w, el) => arriveRoutedInstance(w, el),
  },
};
