// Subnets a cloud reserves by name for one managed service of its own. Azure refuses any other resource in
// them, so they never hold a workload, and most of them must reach the internet directly: a UDR sending
// AzureBastionSubnet's or GatewaySubnet's 0.0.0.0/0 to a firewall is unsupported or breaks the service.
// They are hops of other subnets' paths (the firewall's subnet) or the platform's own, never egress sources.
// An Application Gateway (v1 or v2) needs a subnet of its own too, under any name, and its control plane
// needs 0.0.0.0/0 to go to the internet: a UDR sending it to a firewall is unsupported (docs/domain.md,
// section 5). Its subnet is known from the gateway's configuration (Subnet.dedicatedTo), not from a name.

/** Azure's reserved subnet names and the service each is for (names are matched exactly, as Azure does). */
const AZURE_PLATFORM_SUBNETS: Record<string, string> = {
  AzureFirewallSubnet: 'Azure Firewall',
  AzureFirewallManagementSubnet: 'Azure Firewall management',
  GatewaySubnet: 'VPN/ExpressRoute gateway',
  AzureBastionSubnet: 'Azure Bastion',
  RouteServerSubnet: 'Azure Route Server',
};

/** The managed service an Azure subnet is reserved for, from its name; undefined for an ordinary subnet. */
export function azurePlatformService(name: string | undefined): string | undefined {
  return name !== undefined && Object.hasOwn(AZURE_PLATFORM_SUBNETS, name) ? AZURE_PLATFORM_SUBNETS[name] : undefined;
}

/** The managed service that owns an Azure subnet (a reserved name, or a service placed in it); undefined for a workload subnet. */
export function azureSubnetService(subnet: { name?: string; dedicatedTo?: string }): string | undefined {
  return azurePlatformService(subnet.name) ?? subnet.dedicatedTo;
}
