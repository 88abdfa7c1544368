// The second egress family of a dual-stack subnet (docs/domain.md, "Dual-stack subnets"): beside its IPv4 egress,
// a subnet with an IPv6 prefix sends IPv6 by its table's IPv6 routes (`::/0` to an egress-only internet gateway,
// an internet gateway, a GWLB endpoint), which nothing translates and which often bypasses the firewall that the
// IPv4 path goes through. It is traced only when it can matter: the subnet surely has an IPv6 prefix
// (Subnet.dualStack) and its table routes the IPv6 test address somewhere (a cheap check of one table's routes;
// a table without such a route leaves IPv6 nowhere to go, which is what the IPv4 trace already says of the subnet
// when it has no route either, and no IPv6 egress to add when it has one).
import type { Subnet } from '../../model/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import type { ModelIndex } from '../modelIndex';

/** Whether a subnet's IPv6 egress is traced as a second family toward `dst` (an IPv6 address). */
export function tracesIpv6Family(index: ModelIndex, subnet: Subnet, dst: string): boolean {
  if (subnet.dualStack !== true || subnet.ipv6Native === true) return false;
  const st = index.routeTableOfSubnet(subnet.id);
  if (!st) return false;
  const ip = parseIp(dst);
  if (ip?.family !== 6) return false;
  for (const r of st.table.routes) {
    const d = r.destination;
    if (!('cidr' in d) || typeof d.cidr !== 'string' || !d.cidr.includes(':')) continue;
    const c = parseCidr(d.cidr);
    if (c && cidrContainsIp(c, ip)) return true;
  }
  return false;
}
