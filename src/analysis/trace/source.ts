// The start of the forward leg: the source's address and its first hop, and what routes it when the inputs
// hold no route table (the Aviatrix controller's implicit default route, Azure system routes).
import type { NetworkElement, Subnet } from '../../model/types';
import { hostAddress, parseCidr, parseIp } from '../../model/cidr';
import type { Hop } from '../types';
import { val, type ModelIndex } from '../modelIndex';
import { arriveAviatrix, gatewayWord, localEgressSpoke } from './aviatrix';
import { azureSystemRoute } from './azure';
import { addHop, nameOf, noted, unknown, type Step, type Walk } from './walk';

/**
 * A usable source address for a subnet: an instance's private IP, else a host address in its CIDR. `v6Only`: an
 * IPv6 address only (an IPv6-only subnet, or the IPv6 family of a dual-stack one).
 */
export function sourceIpOfSubnet(
  index: ModelIndex,
  subnet: Subnet,
  v6Only = subnet.ipv6Native === true,
): { ip: string; from?: string } | undefined {
  for (const inst of index.instancesInSubnet(subnet.id)) {
    const ip = val(inst.privateIp);
    const p = ip ? parseIp(ip) : undefined;
    if (ip && p && !(v6Only && p.family === 4)) return { ip, from: inst.id };
  }
  const c = val(subnet.cidr) && !v6Only ? parseCidr(val(subnet.cidr)!) : undefined;
  if (c) return { ip: hostAddress(c, c.prefix <= 27 ? 10 : 4) };
  const c6 = val(subnet.ipv6Cidr) ? parseCidr(val(subnet.ipv6Cidr)!) : undefined;
  return c6 ? { ip: hostAddress(c6, 10) } : undefined;
}

/** "ipinfo.io (routed as the public address 8.8.8.8)" for a domain, else the address. */
function sendsTo(w: Walk): string {
  return w.domain ? `${w.domain} (routed as the public address ${w.dst})` : w.dst;
}

/** Forward leg: the first hop at the source and what decides after it. */
export function startForward(w: Walk, source: NetworkElement, sourceIpFrom: string | undefined): Step {
  const { index } = w;
  if (source.kind === 'subnet') {
    const vpc = index.refId(source.vpc);
    const az = val(source.az);
    const hop = addHop(
      w,
      { element: source.id, kind: 'subnet', name: nameOf(source), ...(vpc ? { vpc } : {}), ...(az ? { az } : {}), loc: source.loc },
      `${sourceIpFrom ? `${index.label(sourceIpFrom)} (${w.src})` : w.src} in subnet ${nameOf(source)} sends to ${sendsTo(w)}`,
      { stage: 1 },
    );
    if (!vpc) return unknown(w, { cause: 'missing-input', what: 'vpc-of-subnet', subnet: source.id }, source.id);
    const st = index.routeTableOfSubnet(source.id);
    if (st) return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
    const undecided = index.undecidedTableOf(source.id);
    if (undecided)
      return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: source.id, why: undecided }, source.id));
    return implicitTable(w, hop, vpc, source.id);
  }
  // A VPC (Aviatrix VPC without modelled subnets) or an Aviatrix gateway as source.
  if (source.kind === 'aviatrixGateway') return arriveAviatrix(w, source);
  const vpc = source.kind === 'vpc' ? source.id : index.vpcOf(source.id);
  const hop = addHop(
    w,
    { element: source.id, kind: source.kind, name: nameOf(source), ...(vpc ? { vpc } : {}), loc: source.loc },
    `${w.src} in ${nameOf(source)} sends to ${sendsTo(w)}`,
    { stage: 1 },
  );
  if (!vpc) return unknown(w, { cause: 'missing-input', what: 'vpc-of', element: source.id }, source.id);
  return implicitTable(w, hop, vpc, source.id);
}

/** No route table in the inputs: the Aviatrix controller's implicit default route, Azure system routes, or unknown. */
function implicitTable(w: Walk, hop: Hop, vpc: string, at: string): Step {
  const { index } = w;
  const spoke = localEgressSpoke(index, vpc);
  if (spoke) {
    hop.decision = { routeTable: vpc, destination: '0.0.0.0/0', target: nameOf(spoke), association: 'implicit' };
    hop.note += `; no route table in the inputs: the Aviatrix controller manages this VPC's routes and points 0.0.0.0/0 to ${gatewayWord(spoke)} ${nameOf(spoke)}`;
    return { kind: 'arrive', element: spoke, from: hop, vpc };
  }
  if (index.resolve(vpc, 'vpc')?.flavor === 'vnet') return azureSystemRoute(w, hop, vpc, undefined, 'implicit');
  return noted(hop, unknown(w, { cause: 'no-route-table', what: 'source-table', element: at }, at));
}
