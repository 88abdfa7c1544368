// Subnets a cloud reserves by name for one managed service of its own. Azure refuses any other resource in
// them, so they never hold a workload, and most of them must reach the internet directly: a UDR sending
// AzureBastionSubnet's or GatewaySubnet's 0.0.0.0/0 to a firewall is unsupported or breaks the service.
// They are hops of other subnets' paths (the firewall's subnet) or the platform's own, never egress sources.
// An Application Gateway (v1 or v2) needs a subnet of its own too, under any name, and its control plane
// needs 0.0.0.0/0 to go to the internet: a UDR sending it to a firewall is unsupported (docs/domain.md,
// section 5). Its subnet is known from the gateway's configuration (Subnet.dedicatedTo); from a name only while it
// holds nothing in the inputs (azureNamedForAppGateway, F183: reserved for a gateway another configuration deploys).
// A subnet delegated to a service that places only its own endpoints there (the Private DNS Resolver's
// inbound/outbound endpoints) holds no workload either, but its route is free: a UDR to a firewall is fine.
// Other delegations (App Service VNet integration, container groups) carry the workload's own egress.

/** Azure's reserved subnet names and the service each is for (names are matched exactly, as Azure does). */
const AZURE_PLATFORM_SUBNETS: Record<string, string> = {
  AzureFirewallSubnet: 'Azure Firewall',
  AzureFirewallManagementSubnet: 'Azure Firewall management',
  GatewaySubnet: 'VPN/ExpressRoute gateway',
  AzureBastionSubnet: 'Azure Bastion',
  RouteServerSubnet: 'Azure Route Server',
};

/** Subnet delegations (service_delegation name, case-insensitive as Azure reads it) whose subnet holds only the service's endpoints. */
const AZURE_ENDPOINT_DELEGATIONS: Record<string, string> = {
  'microsoft.network/dnsresolvers': 'Private DNS Resolver',
  // NFS/SMB volume endpoints only: they serve clients, they open no internet egress.
  'microsoft.netapp/volumes': 'Azure NetApp Files',
};

/** The service owning a subnet delegated to one of `delegations` that holds only its endpoints; undefined otherwise. */
export function azureDelegatedService(delegations: readonly string[]): string | undefined {
  for (const d of delegations) {
    const key = d.toLowerCase();
    if (Object.hasOwn(AZURE_ENDPOINT_DELEGATIONS, key)) return AZURE_ENDPOINT_DELEGATIONS[key];
  }
  return undefined;
}

/** Whether a subnet's own service needs its 0.0.0.0/0 to stay on Internet (a UDR to a firewall would break it). */
export function azureServiceNeedsInternet(service: string): boolean {
  return !Object.values(AZURE_ENDPOINT_DELEGATIONS).includes(service);
}

/** The managed service an Azure subnet is reserved for, from its name; undefined for an ordinary subnet. */
export function azurePlatformService(name: string | undefined): string | undefined {
  return name !== undefined && Object.hasOwn(AZURE_PLATFORM_SUBNETS, name) ? AZURE_PLATFORM_SUBNETS[name] : undefined;
}

/**
 * Whether an Azure subnet's name says it is for an Application Gateway: one of its words (split at separators and
 * at camel case) is `appgw` or `agw`, or two consecutive words are application/app + gateway/gw
 * (`ApplicationGatewaySubnet`, `snet-appgw-hub`, `agw-subnet`, `app-gw`, `AGWSubnet`). Whole words only: `wagwan`
 * or `snet-gateway` are not. Used only for a subnet that holds nothing in the inputs (ModelIndex.computeRole, F183):
 * a gateway another configuration deploys there would break if the subnet's 0.0.0.0/0 went to a firewall, and
 * nothing of the inputs leaves it. A subnet holding anything is judged by what it holds, whatever its name.
 */
export function azureNamedForAppGateway(name: string | undefined): boolean {
  if (name === undefined) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((x) => x !== '');
  return words.some(
    (w, i) => APP_GATEWAY_WORDS.has(w) || ((w === 'application' || w === 'app') && (words[i + 1] === 'gateway' || words[i + 1] === 'gw')),
  );
}

const APP_GATEWAY_WORDS = new Set(['appgw', 'agw', 'appgateway', 'applicationgateway', 'appgwsubnet', 'agwsubnet']);

/** The managed service that owns an Azure subnet (a reserved name, or a service placed in it); undefined for a workload subnet. */
export function azureSubnetService(subnet: { name?: string; dedicatedTo?: string }): string | undefined {
  return azurePlatformService(subnet.name) ?? subnet.dedicatedTo;
}

/**
 * An AWS subnet tagged for internet-facing load balancers: `kubernetes.io/role/elb` with `1` or an empty value, the
 * tag by which the AWS Load Balancer Controller (and Kubernetes' in-tree cloud provider) picks the subnets of
 * internet-facing NLBs/ALBs (F95). Those load balancers answer internet clients through the subnet's route table,
 * so its 0.0.0.0/0 must stay on the internet gateway: it is ingress plumbing, not an egress source. A subnet the
 * inputs place an internet-facing ALB/NLB in (Subnet.publicLb, F100) is one too when its route table lets that load
 * balancer serve internet clients (ModelIndex.isPublicLbSubnet). An instance the inputs place in such a subnet as
 * well is still a source, told to move (ModelIndex.computeRole).
 */
export function awsElbTaggedSubnet(subnet: { cloud?: string; tags?: Readonly<Record<string, string>> }): boolean {
  const v = subnet.cloud === 'aws' ? subnet.tags?.['kubernetes.io/role/elb'] : undefined;
  return v === '1' || v === '';
}
