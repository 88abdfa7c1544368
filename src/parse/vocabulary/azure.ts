// Azure's own vocabulary, stated once for every input that speaks it (azurerm Terraform and its plan
// JSON, Azure CLI exports): UDR next hop types and what they mean for a route's state.
import type { Route, RouteTargetKind } from '../../model/types';

/** `next_hop_type` / `nextHopType` values, keyed lower-case (the CLI prints them in varying case). */
const NEXT_HOP: Record<string, RouteTargetKind> = {
  virtualappliance: 'virtualAppliance',
  internet: 'internet',
  none: 'none',
  vnetlocal: 'vnetLocal',
  virtualnetworkgateway: 'vnetGateway',
};

/** The target kind of a next hop type; undefined when the value is not one Azure defines. */
export function nextHopKind(hop: string | undefined): RouteTargetKind | undefined {
  return hop === undefined ? undefined : NEXT_HOP[hop.toLowerCase()];
}

/** How Azure spells a next hop type (`VirtualAppliance`), for reasons and notes. */
const NEXT_HOP_NAME: Partial<Record<RouteTargetKind, string>> = {
  virtualAppliance: 'VirtualAppliance',
  internet: 'Internet',
  none: 'None',
  vnetLocal: 'VnetLocal',
  local: 'VnetLocal',
  vnetGateway: 'VirtualNetworkGateway',
};

export function nextHopName(kind: RouteTargetKind): string {
  return NEXT_HOP_NAME[kind] ?? kind;
}

/**
 * A UDR's address prefix may be a service tag instead of a CIDR (`AzureMachineLearning`, `Storage.WestEurope`):
 * the route then covers the prefixes Azure publishes for that tag, which change over time and are not in the
 * inputs. Azure accepts nothing else that is not a CIDR there.
 */
export function isServiceTag(prefix: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(prefix);
}

/** A `None` next hop drops what it matches: the route is a blackhole, whichever format wrote it. */
export function nextHopState(kind: RouteTargetKind | undefined): Route['state'] {
  return kind === 'none' ? 'blackhole' : 'active';
}

/** ARM resource types of the Azure CLI list outputs read (lower-case). */
export const AZURE_TYPES = {
  vnet: 'microsoft.network/virtualnetworks',
  routeTable: 'microsoft.network/routetables',
  nic: 'microsoft.network/networkinterfaces',
  lb: 'microsoft.network/loadbalancers',
};
