// Which row of the reference diagram a subnet belongs to: the tiers engineers draw across the AZ
// columns of a VPC, from the internet inward. Decided from what the subnet holds and how it routes
// first (those are facts of the inputs), then from its name, else "application". Pure.

export type Tier = 'public' | 'firewall' | 'app' | 'data' | 'attach';

/** Top to bottom: the internet side first. */
export const TIER_ORDER: readonly Tier[] = ['public', 'firewall', 'app', 'data', 'attach'];

export const TIER_LABEL: Record<Tier, string> = {
  public: 'public / NAT',
  firewall: 'firewall / endpoint',
  app: 'application',
  data: 'data',
  attach: 'TGW attachment',
};

export interface SubnetFacts {
  name: string;
  /** Kinds of the resources drawn inside the subnet (natgw, gwlbe, firewall, instance, unmodelled...). */
  holds: readonly string[];
  /** Target kinds of the default route (0.0.0.0/0 or ::/0) of the subnet's route table, if known. */
  defaultVia: readonly string[];
  /** A TGW attachment of the VPC names this subnet. */
  tgwAttachment?: boolean;
}

const NAME_RULES: [RegExp, Tier][] = [
  [/(^|[^a-z])(tgw|transit|attach(ment)?)([^a-z]|$)/i, 'attach'],
  [/(^|[^a-z])(fw|firewall|gwlbe?|endpoints?|inspection|nva|vpce)([^a-z]|$)|azurefirewallsubnet/i, 'firewall'],
  [/(^|[^a-z])(public|pub|nat|dmz|ingress|edge|egress)([^a-z]|$)/i, 'public'],
  [/(^|[^a-z])(db|data|database|rds|storage)([^a-z]|$)/i, 'data'],
];

export function subnetTier(f: SubnetFacts): Tier {
  if (f.tgwAttachment) return 'attach';
  // What the subnet holds: a NAT gateway makes it the public tier even when it routes to a firewall
  // endpoint (inspection after NAT); an endpoint or a firewall makes it the firewall tier.
  if (f.holds.includes('natgw')) return 'public';
  // A firewall endpoint Egress Lens does not model (kind unmodelled) is one all the same.
  if (f.holds.some((k) => k === 'gwlbe' || k === 'firewall' || k === 'gwlbFirewall' || k === 'unmodelled')) return 'firewall';
  for (const [re, tier] of NAME_RULES) if (re.test(f.name)) return tier;
  // A subnet whose default route leaves through the IGW is public whatever its name.
  if (f.defaultVia.includes('igw') || f.defaultVia.includes('internet')) return 'public';
  return 'app';
}
