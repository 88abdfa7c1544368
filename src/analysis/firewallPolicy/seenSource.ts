// The addresses a firewall sees a traced path come from, for the rules of its policy that name sources (AWS
// Network Firewall stateless rules and HOME_NET, Azure Firewall rules): the source subnet's CIDR, or the one
// address a NAT translated it to, or, when IPAM allocates them at apply, the pool's CIDRs they lie in; and
// the VPC they belong to (an AWS firewall's HOME_NET is its own VPC's CIDRs by default).
import type { Firewall } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { parseIp } from '../../model/cidr';
import type { ElementLookup } from '../dcf/groups';
import type { SubnetEgress } from '../types';
import { ipamBounds } from '../trace/addressRange';
import { policyLabel } from './posture';
import type { SeenSource } from './ruleSources';

/** A source IPAM allocates in a VPC whose pool's CIDRs the inputs provision: somewhere inside them. */
function ipamSource(index: ElementLookup, vpcId: string | undefined, what: string): SeenSource | undefined {
  const v = vpcId === undefined ? undefined : index.get(vpcId);
  const within = v?.kind === 'vpc' ? ipamBounds(v)?.map((c) => c.text) : undefined;
  return within ? { within, text: `${what} (IPAM allocates its VPC's CIDR inside ${within.join(', ')})` } : undefined;
}

/**
 * What `fw` (a firewall, or any enforcing element: a GWLB target group, an appliance) sees as the source of the forward path of `e`, and the VPC it belongs to; [undefined, undefined]
 * when the path does not meet the firewall. `label` names a translating NAT in texts.
 */
export function seenSource(
  index: ElementLookup,
  e: SubnetEgress,
  fw: Pick<Firewall, 'id'>,
  label: (id: string) => string = (id) => {
    const x = index.get(id);
    return x ? policyLabel(x) : id;
  },
): [SeenSource | undefined, string | undefined] {
  const at = e.forward.hops.findIndex((h) => h.enforcement?.element === fw.id);
  const hop = at < 0 ? undefined : e.forward.hops[at];
  if (!hop?.srcIp) return [undefined, undefined];
  if (hop.srcIp !== e.forward.source.ip) {
    // The last translation before the firewall: its hop is in the VPC of the address it gave.
    const nat = e.forward.hops
      .slice(0, at + 1)
      .reverse()
      .find((h) => h.translation !== undefined);
    if (parseIp(hop.srcIp)) return [hop.srcIp.includes(':') ? `${hop.srcIp}/128` : `${hop.srcIp}/32`, nat?.vpc];
    return [nat ? ipamSource(index, nat.vpc, `the address of ${label(nat.element)}`) : undefined, nat?.vpc];
  }
  const subnet = index.get(e.subnet);
  const vpc = subnet?.kind === 'subnet' && !isUnresolved(subnet.vpc) ? index.get(subnet.vpc)?.id : undefined;
  if (subnet?.kind !== 'subnet') return [undefined, vpc];
  // A dual-stack subnet's IPv6 family: the firewall sees its IPv6 prefix, not its IPv4 range.
  if (e.family === 6) return [typeof subnet.ipv6Cidr === 'string' ? subnet.ipv6Cidr : undefined, vpc];
  if (typeof subnet.cidr === 'string') return [subnet.cidr, vpc];
  if (parseIp(hop.srcIp) || subnet.ipv6Native === true) return [undefined, vpc];
  return [ipamSource(index, vpc, `the subnet's addresses`), vpc];
}
