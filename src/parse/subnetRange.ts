// A subnet must lie inside its network: an Azure subnet inside one of its VNet's address spaces, an AWS subnet's
// IPv4 CIDR inside one of its VPC's IPv4 CIDRs (the primary and the secondary associations). The cloud refuses any
// other range, so the configuration cannot deploy as written: the input error `subnet-outside-network` (F107).
// Each reader decides whether the network is surely the subnet's and whether every range of it is in the inputs;
// this says whether the known ranges leave a prefix out, and how.
import type { Val } from '../model/types';
import { isUnresolved } from '../model/types';
import { cidrContains, parseCidr } from '../model/cidr';

const REFUSAL = {
  azure: {
    prefix: 'address prefix',
    prefixes: 'address prefixes',
    space: 'address space',
    refusal: 'Azure refuses to create the subnet (NetcfgSubnetRangeOutsideVnet)',
  },
  aws: { prefix: 'CIDR', prefixes: 'CIDRs', space: 'CIDR', refusal: 'AWS refuses to create the subnet (InvalidSubnet.Range)' },
} as const;

/**
 * The message of `subnet-outside-network` when a known prefix of the subnet lies inside none of the network's
 * ranges of its address family; undefined when every prefix is inside one, or when a prefix, or a range of a
 * family some prefix has (or of a family not known), is not known offline. `family` 4 keeps only the network's
 * IPv4 ranges (an AWS subnet's `cidr_block`).
 */
export function subnetOutsideNetwork(o: {
  cloud: 'aws' | 'azure';
  subnet: string;
  network: string;
  prefixes: readonly Val<string>[];
  ranges: readonly Val<string>[];
  family?: 4;
}): string | undefined {
  if (o.prefixes.length === 0 || o.prefixes.some(isUnresolved)) return undefined;
  const prefixes = (o.prefixes as string[]).map(parseCidr);
  if (prefixes.some((c) => c === undefined)) return undefined;
  const families = new Set(prefixes.map((c) => c!.family));
  if (o.family !== undefined && [...families].some((f) => f !== o.family)) return undefined;
  const ranges: { text: string; cidr: NonNullable<ReturnType<typeof parseCidr>> }[] = [];
  for (const r of o.ranges) {
    if (isUnresolved(r)) {
      if (r.family === undefined || families.has(r.family)) return undefined;
      continue;
    }
    const c = parseCidr(r);
    if (c === undefined) return undefined;
    if (o.family === undefined || c.family === o.family) ranges.push({ text: r, cidr: c });
  }
  if (ranges.length === 0) return undefined;
  const outside = (o.prefixes as string[]).filter((_, i) => !ranges.some((r) => cidrContains(r.cidr, prefixes[i]!)));
  if (outside.length === 0) return undefined;
  const w = REFUSAL[o.cloud];
  const many = outside.length > 1;
  const space = `${w.space}${ranges.length > 1 ? 's' : ''} ${ranges.map((r) => r.text).join(', ')}`;
  return `subnet ${o.subnet}: ${many ? w.prefixes : w.prefix} ${outside.join(', ')} ${many ? 'lie' : 'lies'} outside ${o.network}'s ${space}: ${w.refusal}; it is analysed as written`;
}
