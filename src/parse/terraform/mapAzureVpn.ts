// azurerm VPN gateways -> model elements: a VNet's own gateway and its connections (the routes it programs
// into the VNet), and the Virtual WAN hub side of a site-to-site VPN (which hub, which site, internet security).
import type {
  HubVpnConnection,
  HubVpnGateway,
  LocalNetworkGateway,
  VnetGateway,
  VnetGatewayConnection,
  VpnSite,
  Val,
} from '../../model/types';
import { unresolved } from '../../model/types';
import type { BlockView, Res } from './emit';
import { RefVal, type Value } from './values';
import type { Mapper } from './mapAws';
import { hubTableRef, subnetRef } from './mapAzure';

/** `bgp_enabled` (azurerm 4) or `enable_bgp` (3), false when neither is written. */
function bgpFlag(b: BlockView): Val<boolean> {
  return (b.has('bgp_enabled') ? b.bool('bgp_enabled', false) : b.bool('enable_bgp', false)) ?? false;
}

/** The resources the values of a block (and of its nested `bgp` block) are attributes of. */
function attributeOwners(b: BlockView, into: Set<string>): void {
  const walk = (v: Value | undefined, depth: number): void => {
    if (v === undefined || v === null || depth > 4) return;
    if (v instanceof RefVal) into.add(v.address);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
  };
  for (const name of b.attrNames()) walk(b.value(name), 0);
  for (const nested of b.blocks('bgp')) attributeOwners(nested, into);
}

const vnetGateway: Mapper = (r) => {
  const el: VnetGateway = {
    ...r.base('vnetGateway', 'azure', r.literal('name')),
    subnets: r.blocks('ip_configuration').map((b) => subnetRef(b, 'subnet_id') ?? unresolved('', 'subnet_id not written')),
    gatewayType: r.str('type') ?? unresolved('', 'type not written'),
    bgp: bgpFlag(r),
    clientPools: r.blocks('vpn_client_configuration').flatMap((b) => b.strs('address_space')),
  };
  r.emit(el);
};

const vnetGatewayConnection: Mapper = (r) => {
  const el: VnetGatewayConnection = {
    ...r.base('vnetGatewayConnection', 'azure', r.literal('name')),
    gateway: r.ref('virtual_network_gateway_id') ?? unresolved('', 'virtual_network_gateway_id not written'),
    connectionType: r.str('type') ?? unresolved('', 'type not written'),
    bgp: bgpFlag(r),
  };
  const local = r.ref('local_network_gateway_id');
  if (local !== undefined) el.localGateway = local;
  const peer = r.ref('peer_virtual_network_gateway_id');
  if (peer !== undefined) el.peerGateway = peer;
  r.emit(el);
};

const localNetworkGateway: Mapper = (r) => {
  const el: LocalNetworkGateway = { ...r.base('localNetworkGateway', 'azure', r.literal('name')), addressSpace: r.strs('address_space') };
  const v = r.value('gateway_address');
  if (v instanceof RefVal) el.remote = v.address;
  r.emit(el);
};

const hubVpnGateway: Mapper = (r) => {
  r.emit({
    ...r.base('hubVpnGateway', 'azure', r.literal('name')),
    hub: r.ref('virtual_hub_id') ?? unresolved('', 'virtual_hub_id not written'),
  } satisfies HubVpnGateway);
};

const vpnSite: Mapper = (r) => {
  const peers = new Set<string>();
  for (const link of r.blocks('link')) attributeOwners(link, peers);
  r.emit({ ...r.base('vpnSite', 'azure', r.literal('name')), peers: [...peers].sort() } satisfies VpnSite);
};

const hubVpnConnection: Mapper = (r: Res) => {
  const el: HubVpnConnection = {
    ...r.base('hubVpnConnection', 'azure', r.literal('name')),
    vpnGateway: r.ref('vpn_gateway_id') ?? unresolved('', 'vpn_gateway_id not written'),
    site: r.ref('remote_vpn_site_id') ?? unresolved('', 'remote_vpn_site_id not written'),
    internetSecurity: r.bool('internet_security_enabled', false) ?? false,
    linksBgp: r.blocks('vpn_link').map((b) => b.bool('bgp_enabled', false) ?? false),
  };
  const undecided = r.undecidedBlocks('routing')[0];
  const routing = r.first('routing');
  if (undecided) el.associatedTable = undecided.why;
  else if (routing?.has('associated_route_table')) el.associatedTable = hubTableRef(routing, 'associated_route_table');
  r.emit(el);
};

export const AZURE_VPN_MAPPERS: Record<string, Mapper> = {
  azurerm_virtual_network_gateway: vnetGateway,
  azurerm_virtual_network_gateway_connection: vnetGatewayConnection,
  azurerm_local_network_gateway: localNetworkGateway,
  azurerm_vpn_gateway: hubVpnGateway,
  azurerm_vpn_site: vpnSite,
  azurerm_vpn_gateway_connection: hubVpnConnection,
};
