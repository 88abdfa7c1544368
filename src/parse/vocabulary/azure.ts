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

/** A `None` next hop drops what it matches: the route is a blackhole, whichever format wrote it. */
export function nextHopState(kind: RouteTargetKind | undefined): Route['state'] {
  return kind === 'none' ? 'blackhole' : 'active';
}

/** ARM resource types of the Azure CLI list outputs read (lower-case). */
export const AZURE_TYPES = {
  vnet: 'microsoft.network/virtualnetworks',
  routeTable: 'microsoft.network/routetables',
  nic: 'microsoft.network/networkinterfaces',
};
