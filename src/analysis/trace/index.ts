// Hop-by-hop egress traces: from a subnet (or an Aviatrix VPC) to the internet and the reply back. The
// walk engine is walk.ts; route lookup route.ts; what each element does with a packet is its design's
// (aws.ts, tgw.ts, aviatrix.ts, azure.ts, registered in arrive.ts). This module picks the sources, their
// addresses and the destination, and reuses earlier traces (TraceCache).
import { cidrContains, formatIp, hostAddress, parseCidr, parseIp, type Cidr } from '../../model/cidr';
import { where } from '../../model/where';
import { isUnresolved, type Subnet, type TgwAttachment } from '../../model/types';
import type { AnalysisOptions, NarrowEgress, SubnetEgress, TraceOutcome } from '../types';
import { VPC_PROVIDER_ID, val, type ModelIndex } from '../modelIndex';
import { unknownOutcome } from './outcome';
import { divergence } from './divergence';
import { sourceIpOfSubnet, startForward } from './source';
import { ipamAddress, ipv6Address, regionAddress, type AddressRange } from './addressRange';
import { addHop, nameOf, newWalk, run, toTrace, type Walk } from './walk';
import { enterAttachment } from './tgw';
import { tracesIpv6Family } from './dualStack';
import { narrowExits } from './narrowExits';

export { HOP_LIMIT } from './walk';
export const DEFAULT_DESTINATION = '8.8.8.8';
/** The same public DNS service's IPv6 address: an IPv6-only subnet's egress is tested toward it. */
export const DEFAULT_DESTINATION_V6 = '2001:4860:4860::8888';

/**
 * A stand-in address for a subnet whose CIDR is not known: host 10 of the first stretch of its VPC's CIDR that no
 * other subnet's known CIDR holds. An address inside another subnet would bring the reply to that subnet instead
 * (field: a template's optional subnets of an empty parameter CIDR took the NAT GW subnet's address, and their
 * reply circled at the NAT GW: a false routing-loop error). None when the known subnets leave no room: the source
 * address is then not known.
 */
function borrowedAddress(index: ModelIndex, vpcId: string, c: Cidr, self: string): string | undefined {
  const bits = c.family === 4 ? 32n : 128n;
  const size = (x: Cidr): bigint => 1n << (bits - BigInt(x.prefix));
  const taken: Cidr[] = [];
  for (const s of index.subnetsOfVpc(vpcId)) {
    const v = s.id === self ? undefined : val(s.cidr);
    const x = v ? parseCidr(v) : undefined;
    if (x && cidrContains(c, x)) taken.push(x);
  }
  taken.sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0));
  let cursor = c.network;
  for (const x of taken) {
    if (cursor + 10n < x.network) break;
    const end = x.network + size(x);
    if (end > cursor) cursor = end;
  }
  const ip = cursor + 10n;
  return ip < c.network + size(c) ? formatIp(c.family, ip) : undefined;
}

/**
 * Egress of one source (subnet, instance, VPC or Aviatrix gateway): the forward trace to the destination
 * (default 8.8.8.8) and, when the forward leg reached the internet, the return trace. `general`: the destination
 * stands for the internet in general (Walk.standIn); by default, when none is given. `family: 6`: the IPv6
 * egress of a dual-stack subnet (dualStack.ts), its second family (SubnetEgress.family). `narrow`: an extra egress
 * toward the first host of a narrow route beside an inspected default (narrowExits.ts, SubnetEgress.narrow).
 */
export function traceEgress(
  index: ModelIndex,
  sourceElementId: string,
  opts: { sourceIp?: string; destination?: string; general?: boolean; family?: 6; narrow?: NarrowEgress } = {},
): SubnetEgress {
  let source = index.get(sourceElementId);
  // An IPv6-only subnet has no IPv4 address: its egress is IPv6, tested toward an IPv6 address (an IPv4
  // test destination stands for its service's IPv6 address), and the VPC's IPv4 range is never borrowed. The
  // IPv6 family of a dual-stack subnet is traced alike.
  const v6Only = (source?.kind === 'subnet' && source.ipv6Native === true) || opts.family === 6;
  const dest = opts.destination ?? DEFAULT_DESTINATION;
  const destIp = parseIp(dest);
  const destIsIp = !!destIp;
  const dstIp = destIsIp && !(v6Only && destIp.family === 4) ? dest : v6Only ? DEFAULT_DESTINATION_V6 : DEFAULT_DESTINATION;
  const domain = destIsIp ? undefined : dest;
  let sourceIpFrom: string | undefined;
  let srcIp = opts.sourceIp;
  if (source?.kind === 'instance' || source?.kind === 'firewall') {
    sourceIpFrom = source.id;
    srcIp = srcIp ?? val(source.privateIp);
    source = index.subnetOf(source.id) ?? source;
  }
  const vpcId = source ? (source.kind === 'vpc' ? source.id : index.vpcOf(source.id)) : undefined;
  if (!srcIp && source?.kind === 'subnet') {
    const s = sourceIpOfSubnet(index, source, v6Only);
    srcIp = s?.ip;
    sourceIpFrom = sourceIpFrom ?? s?.from;
  }
  // An IPv6 source (an IPv6-only subnet, or a dual-stack subnet's IPv6 family) whose prefix AWS assigns at apply: an
  // address of its VPC's IPv6 blocks, whose local routes hold it (addressRange.ts, ipv6Address); the reply is decided
  // where every address of them is routed alike. Without a VPC IPv6 block of the inputs the forward leg needs no
  // address of its own (nothing translates IPv6), but the reply cannot be routed back to an address not known.
  let symbolicSrc = false;
  let range6: AddressRange | undefined;
  if (!srcIp && v6Only && source?.kind === 'subnet' && !val(source.ipv6Cidr)) {
    range6 = vpcId ? ipv6Address(index, source, vpcId) : undefined;
    srcIp = range6?.text ?? 'an IPv6 address assigned at apply';
    symbolicSrc = !range6;
  }
  // A subnet of a VPC whose CIDR IPAM allocates at apply, or whose CIDR is chosen by the stack's region: some
  // address of the pool or of the rows, decided where that is enough.
  const range =
    !srcIp && !v6Only && vpcId && source?.kind === 'subnet'
      ? (ipamAddress(index, source, vpcId) ?? regionAddress(index, source, vpcId))
      : undefined;
  if (range) srcIp = range.text;
  let borrowed: Walk['borrowed'];
  if (!srcIp && vpcId && !v6Only) {
    const c = index.vpcCidrs(vpcId).find((x) => x.family === 4) ?? index.vpcCidrs(vpcId)[0];
    if (c && source?.kind === 'subnet') {
      srcIp = borrowedAddress(index, vpcId, c, source.id);
      if (srcIp) borrowed = { ip: srcIp, subnet: source.id };
    } else if (c) srcIp = hostAddress(c, 10);
  }
  if (!srcIp && source?.kind === 'aviatrixGateway') {
    const c = val(source.subnetCidr) ? parseCidr(val(source.subnetCidr)!) : undefined;
    if (c) srcIp = hostAddress(c, 10);
  }
  const sourceKey = source?.id ?? sourceElementId;
  const w = newWalk(index, 'forward', srcIp ?? 'unknown', dstIp, srcIp ?? 'unknown');
  if (domain) w.domain = domain;
  if (opts.general ?? opts.destination === undefined) w.standIn = dstIp;
  if (range) w.ranges = [range];
  if (range6) w.ranges = [range6];
  if (borrowed) w.borrowed = borrowed;
  let outcome: TraceOutcome;
  if (!source) {
    outcome = unknownOutcome(index, { cause: 'missing-input', what: 'source', source: sourceElementId });
  } else if (source.undecided) {
    addHop(
      w,
      { element: source.id, kind: source.kind, name: nameOf(source), loc: source.loc },
      `whether ${nameOf(source)} exists cannot be decided offline`,
      { stage: 1 },
    );
    outcome = unknownOutcome(
      index,
      {
        cause: 'unresolved-input',
        what: 'undecided-source',
        source: source.id,
        why: `\`${source.undecided.text}\` (${source.undecided.reason}) at ${where(source.loc)}`,
      },
      source.id,
    );
  } else if (!srcIp) {
    addHop(
      w,
      { element: source.id, kind: source.kind, name: nameOf(source), loc: source.loc },
      `the address range of ${nameOf(source)} is not known offline`,
      { stage: 1 },
    );
    outcome = unknownOutcome(index, { cause: 'unresolved-input', what: 'source-address', source: source.id }, source.id);
  } else {
    outcome = run(w, startForward(w, source, sourceIpFrom));
    // Egress from a subnet that holds an endpoint of undecidable type and no host of its own: if the
    // endpoint is a GWLB endpoint, the subnet carries no traffic of its own and judging it would be wrong.
    // (Egress that ends before the internet holds whatever the subnet is.)
    // A host whose network interface is chained to a Gateway Load Balancer (Azure): its public IP's traffic passes
    // appliances the model does not follow (F305).
    const chains = outcome.kind === 'delivered' && source.kind === 'subnet' ? index.gatewayLbChainsIn(source.id) : [];
    if (chains.length > 0)
      outcome = unknownOutcome(
        index,
        { cause: 'unresolved-input', what: 'gateway-lb-chain', subnet: source.id, chains: chains.map((u) => u.id) },
        chains[0].id,
      );
    else if (outcome.kind === 'delivered' && source.kind === 'subnet') {
      const eps = index.undecidedEndpointsIn(source.id);
      if (eps.length > 0 && !index.instancesInSubnet(source.id).some((i) => !index.isAppliance(i.id)))
        outcome = unknownOutcome(
          index,
          { cause: 'unresolved-input', what: 'undecided-endpoint-subnet', subnet: source.id, endpoints: eps.map((u) => u.id) },
          eps[0].id,
        );
      // A firewall template of the run places forwarding interfaces in parameter subnets this one may be:
      // then it may be the firewall's own subnet (its outside or HA-management one) rather than a workload's.
      else {
        const fw = index.unplacedAppliancesFor(source.id);
        if (fw.length > 0 && !index.instancesInSubnet(source.id).some((i) => !index.isAppliance(i.id)))
          outcome = unknownOutcome(
            index,
            {
              cause: 'unresolved-input',
              what: 'maybe-firewall-subnet',
              subnet: source.id,
              template: fw[0].file,
              params: fw.filter((g) => g.file === fw[0].file).map((g) => g.param),
              interfaces: fw.flatMap((g) => g.elements.map((e) => e.id)),
            },
            fw[0].elements[0].id,
          );
        // A one-interface forwarder a load balancer hands flows to: a server, or a one-armed NAT instance or
        // proxy whose subnet carries what it forwards. Through an enforcement point the path is judged the same
        // whichever it is; past none, a fix rerouting the subnet would reroute the forwarder.
        else if (w.inspected.length === 0) {
          const lbf = index.lbForwardersIn(source.id);
          const named = index.namedFirewallsIn(source.id);
          if (named.length > 0)
            outcome = unknownOutcome(
              index,
              { cause: 'unresolved-input', what: 'named-firewall-subnet', subnet: source.id, instances: named.map((x) => x.id) },
              named[0].id,
            );
          else if (lbf.length > 0)
            outcome = unknownOutcome(
              index,
              {
                cause: 'unresolved-input',
                what: 'lb-forwarder-subnet',
                subnet: source.id,
                instances: lbf.map((x) => x.instance.id),
                groups: [...new Set(lbf.map((x) => x.group))],
              },
              lbf[0].instance.id,
            );
        }
      }
    }
  }
  // Stage numbers only describe the distributed-egress shape; on other paths (e.g. NAT after inspection
  // behind a TGW) numbers out of order would mislead, so keep them only when they read in order.
  const stages = w.hops.map((h) => h.stage).filter((x): x is number => x !== undefined);
  if (stages.some((x, i) => i > 0 && x < stages[i - 1])) for (const h of w.hops) if (h.stage !== 1) delete h.stage;
  const traceKey = opts.family === 6 ? `${sourceKey}:ipv6` : opts.narrow ? `${sourceKey}:to:${opts.narrow.destination}` : sourceKey;
  const forward = toTrace(w, `${traceKey}:forward`, sourceKey, srcIp ?? 'unknown', dstIp, domain, outcome);
  const egress: SubnetEgress = {
    subnet: sourceKey,
    vpc:
      vpcId ?? (source?.kind === 'aviatrixGateway' ? (source.vpcIdText ?? source.id) : source?.kind === 'subnet' ? unheldVpc(source) : ''),
    forward,
  };
  if (opts.family === 6) egress.family = 6;
  if (opts.narrow) egress.narrow = opts.narrow;
  if (outcome.kind === 'delivered' && w.exit) returnLeg(index, w, egress, symbolicSrc);
  return egress;
}

/** The reply to a forward walk that reached the internet, back in through its exit; sets egress.return. */
function returnLeg(index: ModelIndex, w: Walk, egress: SubnetEgress, symbolicSrc = false): void {
  const { forward } = egress;
  const sourceKey = egress.subnet;
  const dstIp = forward.destination.ip;
  const domain = forward.destination.domain;
  const srcIp = forward.source.ip;
  const r = newWalk(index, 'return', dstIp, w.exit!.publicIp, srcIp);
  r.translations = w.translations;
  r.appliances = w.appliances;
  r.forwardEndpoints = w.gwlbeSeen;
  if (domain) r.domain = domain;
  if (w.ranges) r.ranges = w.ranges;
  if (w.borrowed) r.borrowed = w.borrowed;
  r.az = w.az;
  const rOutcome = symbolicSrc
    ? unknownOutcome(index, { cause: 'unresolved-input', what: 'source-address', source: sourceKey }, sourceKey)
    : run(r, w.exit!.startReturn(r, w));
  const ret = toTrace(r, `${forward.id.replace(/:forward$/, '')}:return`, sourceKey, srcIp, dstIp, domain, rOutcome);
  ret.source = { element: 'internet', ip: dstIp };
  ret.destination = { ip: srcIp };
  egress.return = ret;
  // A return leg the inputs cannot decide does not diverge: it is Unknown.
  const d = rOutcome.kind === 'unknown' ? undefined : divergence(index, forward, ret);
  if (d) egress.divergence = d;
}

/**
 * Egress of addresses outside the inputs that reach a VPC through its TGW attachment (the spokes of an
 * inspection VPC in other accounts): `srcIp` enters through the attachment's subnet in `az` (the TGW keeps a
 * flow in the AZ it came from) and is traced from there to `destination` and back. The source element is the
 * attachment; what happens before it (the spoke's own routing) is not in the inputs and not claimed.
 */
export function traceFromAttachment(
  index: ModelIndex,
  attachment: TgwAttachment,
  az: string,
  srcIp: string,
  destination = DEFAULT_DESTINATION,
  general = false,
): SubnetEgress {
  const w = newWalk(index, 'forward', srcIp, destination, srcIp);
  if (general) w.standIn = destination;
  w.az = az;
  const outcome = run(w, enterAttachment(w, attachment));
  const key = `${attachment.id}@${az}:${srcIp}`;
  const egress: SubnetEgress = {
    subnet: attachment.id,
    vpc: index.refId(attachment.vpc) ?? '',
    forward: toTrace(w, `${key}:forward`, attachment.id, srcIp, destination, undefined, outcome),
  };
  if (outcome.kind === 'delivered' && w.exit) returnLeg(index, w, egress);
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
    if (!(xs[i - 1].id < xs[i].id)) {
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

function traceOne(
  index: ModelIndex,
  source: string,
  destination: string,
  general: boolean,
  cache: TraceCache | undefined,
  family?: 6,
  narrow?: NarrowEgress,
): SubnetEgress {
  const opts = { destination, general, ...(family ? { family } : {}), ...(narrow ? { narrow } : {}) };
  if (!cache) return traceEgress(index, source, opts);
  const key = family ? `${source}:ipv6` : narrow ? `${source}:to:${narrow.destination}` : source;
  const hit = cache.get(key);
  if (hit) return hit;
  const deps = new Set<string>();
  index.track = deps;
  try {
    const eg = traceEgress(index, source, opts);
    cache.set(key, eg, deps);
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
  // The default destination stands for the internet in general; one the user names is that address.
  const general = options.destination === undefined;
  const out: SubnetEgress[] = [];
  const subnets = byId(index.ofKind('subnet'));
  // A dual-stack subnet's IPv6 egress, right after its IPv4 one (dualStack.ts); not for a destination the user
  // names by an address (that address is of one family).
  const v6 = general || !parseIp(destination) ? DEFAULT_DESTINATION_V6 : undefined;
  for (const s of subnets) {
    if (index.isInfrastructureSubnet(s.id)) continue;
    const eg = traceOne(index, s.id, destination, general, cache);
    out.push(eg);
    if (general) narrowEgress(index, s.id, eg, cache, out);
    if (v6 && s.dualStack && tracesIpv6Family(index, s, v6)) out.push(traceOne(index, s.id, destination, general, cache, 6));
  }
  // Egress FQDN gateways with SNAT first: they, not a spoke of the same VPC, take its default route (localEgressSpoke).
  const gateways = index.ofKind('aviatrixGateway');
  // Not one whose VPC is an unread module's output: that network's own stand-in stands for it.
  const egress = gateways.filter(
    (g) => g.role === 'egress' && val(g.snat) === true && (index.refId(g.vpc) !== undefined || g.vpcIdText !== undefined),
  );
  const spokes = gateways.filter((g) => g.role === 'spoke');
  const seen = new Set<string>();
  for (const g of [...byId(egress), ...byId(spokes)]) {
    const vpc = index.refId(g.vpc);
    if (vpc) {
      if (seen.has(vpc) || index.subnetsOfVpc(vpc).length > 0) continue;
      seen.add(vpc);
      out.push(traceOne(index, vpc, destination, general, cache));
    } else {
      // The VPC is not in the inputs (a literal vpc id): the gateway stands for it.
      const key = g.vpcIdText ?? g.id;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(traceOne(index, g.id, destination, general, cache));
    }
  }
  return out;
}

/**
 * The extra egresses of a subnet along the narrow routes of its table that may leave uninspected (narrowExits.ts),
 * each traced toward the first address the route itself carries. Beside an inspected default (review s15 R15) one is
 * kept when it reaches the internet through no enforcement point: the default says the rest. Where nothing of the
 * default leaves (no route for the internet in general, review s17 R17), they are the subnet's only egress: one is
 * kept when it reaches the internet at all, inspected or not, and the exits of the table the default was dropped at
 * for want of a route are traced too (`0.0.0.0/0` to a NAT gateway whose table holds only `8.8.8.8/32 -> IGW`). A
 * narrow exit that ends at a VPN, at a peer or in a transit gateway the inputs cannot follow is not kept: it is no
 * internet egress found (the state's reason names it). Cheap gate first: the table has such a route (memoised per
 * table), and the default egress was inspected or did not leave.
 */
function narrowEgress(index: ModelIndex, subnet: string, eg: SubnetEgress, cache: TraceCache | undefined, out: SubnetEgress[]): void {
  const d = eg.forward;
  const inspected = d.inspectedBy.length > 0 && d.outcome.kind === 'delivered';
  const alone = d.outcome.kind === 'dropped' || d.outcome.kind === 'loop';
  if (!inspected && !alone) return;
  const st = index.routeTableOfSubnet(subnet);
  let exits = st ? narrowExits(st.table) : [];
  if (alone && d.outcome.kind === 'dropped' && d.outcome.cause === 'no-route') {
    const at = d.hops.at(-1)?.decision?.routeTable;
    const table = at !== undefined && at !== st?.table.id ? index.get(at) : undefined;
    if (table?.kind === 'routeTable') {
      const more = narrowExits(table).filter((x) => !exits.some((y) => y.cidr.text === x.cidr.text));
      if (more.length > 0) exits = [...exits, ...more];
    }
  }
  for (const x of exits) {
    const n = traceOne(index, subnet, x.address, false, cache, undefined, { route: x.route.id, destination: x.cidr.text });
    const f = n.forward;
    if (f.outcome.kind !== 'delivered' || f.hops[f.hops.length - 1]?.kind !== 'internet') continue;
    if (inspected && f.inspectedBy.length > 0) continue;
    out.push(n);
  }
}

/**
 * The VPC a subnet names that the inputs do not hold because it is a CloudFormation parameter without default:
 * one placeholder per parameter and template, named after them, so the parameter VPCs of two templates are two
 * states. Other VPCs not in the inputs stay one nameless placeholder.
 */
function unheldVpc(subnet: Subnet): string {
  const v = subnet.vpc;
  if (!isUnresolved(v)) return '';
  // An existing VPC named by its id (states.ts: one the inputs route in is judged under that id).
  if (VPC_PROVIDER_ID.test(v.text)) return v.text;
  const param = /^parameter (\S+) has no Default/.exec(v.reason)?.[1];
  return param ? `${param} (parameter of ${subnet.loc.file})` : '';
}
