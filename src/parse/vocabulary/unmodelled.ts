// Resource types that can change where packets go and that the model does not understand, for every
// input that writes them: one row each. A resource of such a type is kept as an `unmodelled` element
// naming what it touches, and reported once (`unmodelled-resource`), so that a path through what it
// touches is Unknown instead of judged as if the resource were not there (docs/domain.md, "Unknown").
// A type the model maps (aws_network_interface as a firewall's interface, ...) has no row here.
import type { Cloud, ElementKind } from '../../model/types';

export interface UnmodelledType {
  /** What it may do to packets, in a few words: "(what)" follows the resource in messages. */
  what: string;
  cloud: Cloud;
  /**
   * When a resource of the type counts: `always`; `local-exec` only with a `provisioner "local-exec"`
   * (a script run by Terraform); `names-network` only when its properties name a modelled network
   * element (a CloudFormation custom resource, whose Lambda may do anything with what it is given).
   */
  when: 'always' | 'local-exec' | 'names-network';
  /**
   * What it touches when it names no network element: `module`, the VPCs/VNets declared by the
   * module it is in (a script that creates routes reads their ids from files or state, not from
   * its own arguments).
   */
  otherwise?: 'module';
  /**
   * `gateway`: placed in a subnet, it writes routes into every subnet of that VNet; `endpoint`: something
   * packets are routed to (a firewall service's endpoints) that writes no route; `attachment`: a Cloud WAN VPC
   * attachment, which writes no route of its VPC; `corePeering`, `coreRoutes`: a Cloud WAN peering with a
   * transit gateway and the attachment of one of its route tables; `corePolicy`: the attachment of a core network
   * policy document; `coreAccepter`: the acceptance of a Cloud WAN attachment (UnmodelledResource.role).
   */
  role?: 'gateway' | 'endpoint' | 'attachment' | 'corePeering' | 'coreRoutes' | 'corePolicy' | 'coreAccepter';
}

const SCRIPT: UnmodelledType = {
  what: 'runs a local-exec script, which may create or change routes, endpoints or gateways',
  cloud: 'other',
  when: 'local-exec',
  otherwise: 'module',
};

const aws = (what: string): UnmodelledType => ({ what, cloud: 'aws', when: 'always' });
const azure = (what: string): UnmodelledType => ({ what, cloud: 'azure', when: 'always' });
const gcp = (what: string): UnmodelledType => ({ what, cloud: 'gcp', when: 'always' });
const oci = (what: string): UnmodelledType => ({ what, cloud: 'oci', when: 'always' });
const aviatrix = (what: string): UnmodelledType => ({ what, cloud: 'other', when: 'always' });

/** A Cloud WAN VPC attachment: writes no route of its VPC; the core network it joins is where routes to it lead. */
const CLOUD_WAN_VPC_ATTACHMENT: UnmodelledType = { ...aws('Cloud WAN VPC attachment'), role: 'attachment' };
/** A Cloud WAN peering with a transit gateway: writes no route; the TGW route tables attached bring the core's routes. */
const CLOUD_WAN_TGW_PEERING: UnmodelledType = { ...aws('Cloud WAN peering with a transit gateway'), role: 'corePeering' };
/** A Cloud WAN attachment of a TGW route table: the core network propagates its routes into that table. */
const CLOUD_WAN_TGW_TABLE: UnmodelledType = { ...aws('Cloud WAN attachment of a transit gateway route table'), role: 'coreRoutes' };

/** A Cloud WAN core network policy attachment: gives the core network its policy document, writes no route. */
const CLOUD_WAN_POLICY: UnmodelledType = { ...aws('Cloud WAN core network policy'), role: 'corePolicy' };
/** The acceptance of a Cloud WAN attachment: a segment requiring acceptance routes nothing through it before. */
const CLOUD_WAN_ACCEPTER: UnmodelledType = { ...aws('Cloud WAN attachment acceptance'), role: 'coreAccepter' };

/** Terraform (and plan JSON) resource types. */
export const UNMODELLED_TF_TYPES: Readonly<Record<string, UnmodelledType>> = {
  null_resource: SCRIPT,
  terraform_data: SCRIPT,
  // AWS
  aws_ec2_transit_gateway_connect: aws('Transit Gateway Connect attachment: GRE tunnels and BGP to an appliance'),
  aws_ec2_transit_gateway_connect_peer: aws('Transit Gateway Connect peer: BGP routes from an appliance'),
  aws_ec2_transit_gateway_peering_attachment: aws('Transit Gateway peering attachment to another transit gateway'),
  aws_ec2_transit_gateway_prefix_list_reference: aws('Transit Gateway route to a prefix list'),
  aws_vpn_connection: aws('Site-to-Site VPN: routes learned over the tunnels'),
  aws_vpn_connection_route: aws('static route of a Site-to-Site VPN'),
  aws_vpn_gateway_route_propagation: aws('propagates VPN routes into a route table'),
  aws_dx_gateway_association: aws('Direct Connect gateway association: routes from on-premises'),
  aws_networkmanager_core_network: aws('Cloud WAN core network'),
  aws_networkmanager_vpc_attachment: CLOUD_WAN_VPC_ATTACHMENT,
  aws_networkmanager_core_network_policy_attachment: CLOUD_WAN_POLICY,
  aws_networkmanager_attachment_accepter: CLOUD_WAN_ACCEPTER,
  aws_networkmanager_connect_attachment: aws('Cloud WAN Connect attachment'),
  aws_networkmanager_transit_gateway_peering: CLOUD_WAN_TGW_PEERING,
  aws_networkmanager_transit_gateway_route_table_attachment: CLOUD_WAN_TGW_TABLE,
  aws_networkmanager_site_to_site_vpn_attachment: aws('Cloud WAN Site-to-Site VPN attachment'),
  aws_networkmanager_dx_gateway_attachment: aws('Cloud WAN Direct Connect gateway attachment'),
  // A CloudFormation stack from Terraform: its template (often a remote `template_url`) may create instances,
  // routes or gateways in the subnets and VPCs its `parameters` name (a vendor's management server or
  // gateway group); counted only when it names some.
  aws_cloudformation_stack: {
    what: 'CloudFormation stack: its template may create instances, routes or gateways in what its parameters name',
    cloud: 'aws',
    when: 'names-network',
  },
  aws_vpc_route_server: aws('VPC Route Server: BGP routes into route tables'),
  aws_vpc_route_server_propagation: aws('VPC Route Server propagation into a route table'),
  aws_ec2_carrier_gateway: aws('carrier gateway (Wavelength)'),
  aws_ec2_local_gateway_route_table_vpc_association: aws('Outposts local gateway route table'),
  // A firewall service whose endpoints are placed in its subnets and routed to: an enforcement point the
  // model does not read, so a route to it and its subnets' own egress are Unknown, never "uninspected".
  cloudngfwaws_ngfw: { ...aws('Palo Alto Cloud NGFW: firewall endpoints in its subnets, its rulestack decides'), role: 'endpoint' },
  // Azure
  azurerm_virtual_hub: azure('Virtual WAN hub'),
  azurerm_route_server: { ...azure('Route Server: BGP routes into the VNet'), role: 'gateway' },
  // Google Cloud: not modelled at all
  google_compute_network: gcp('GCP VPC network'),
  google_compute_subnetwork: gcp('GCP subnet'),
  google_compute_route: gcp('GCP route'),
  google_compute_router: gcp('GCP Cloud Router'),
  google_compute_router_nat: gcp('GCP Cloud NAT: internet egress for the network'),
  google_compute_network_peering: gcp('GCP VPC peering'),
  google_compute_vpn_tunnel: gcp('GCP VPN tunnel'),
  google_compute_ha_vpn_gateway: gcp('GCP HA VPN gateway'),
  google_network_connectivity_spoke: gcp('GCP Network Connectivity Center spoke'),
  // Oracle Cloud: not modelled at all
  oci_core_vcn: oci('OCI virtual cloud network'),
  oci_core_subnet: oci('OCI subnet'),
  oci_core_route_table: oci('OCI route table'),
  oci_core_internet_gateway: oci('OCI internet gateway'),
  oci_core_nat_gateway: oci('OCI NAT gateway'),
  oci_core_drg_attachment: oci('OCI dynamic routing gateway attachment'),
  // Aviatrix
  aviatrix_gateway: aviatrix('standalone Aviatrix gateway (egress FQDN filtering, VPN)'),
  aviatrix_firenet: aviatrix('Aviatrix FireNet: transit traffic steered to firewall instances'),
  aviatrix_firewall_instance: aviatrix('firewall VM (VM-Series, FortiGate, Check Point) of an Aviatrix FireNet'),
  aviatrix_firewall_instance_association: aviatrix('firewall instance associated with an Aviatrix FireNet'),
  aviatrix_transit_firenet_policy: aviatrix('Aviatrix FireNet inspection policy'),
  aviatrix_transit_gateway_peering: aviatrix('Aviatrix transit peering'),
};

/** A CloudFormation custom resource (`Custom::X`, `AWS::CloudFormation::CustomResource`). */
const CUSTOM: UnmodelledType = {
  what: 'custom resource: its Lambda may create or change routes with what it is given',
  cloud: 'aws',
  when: 'names-network',
};

/** CloudFormation resource types (custom resources: see `unmodelledCfnType`). */
export const UNMODELLED_CFN_TYPES: Readonly<Record<string, UnmodelledType>> = {
  'AWS::CloudFormation::CustomResource': CUSTOM,
  'AWS::EC2::TransitGatewayConnect': aws('Transit Gateway Connect attachment: GRE tunnels and BGP to an appliance'),
  'AWS::EC2::TransitGatewayPeeringAttachment': aws('Transit Gateway peering attachment to another transit gateway'),
  'AWS::EC2::VPNConnection': aws('Site-to-Site VPN: routes learned over the tunnels'),
  'AWS::EC2::VPNConnectionRoute': aws('static route of a Site-to-Site VPN'),
  'AWS::EC2::VPNGatewayRoutePropagation': aws('propagates VPN routes into a route table'),
  'AWS::NetworkManager::CoreNetwork': aws('Cloud WAN core network'),
  'AWS::NetworkManager::VpcAttachment': CLOUD_WAN_VPC_ATTACHMENT,
  'AWS::NetworkManager::ConnectAttachment': aws('Cloud WAN Connect attachment'),
  'AWS::NetworkManager::TransitGatewayPeering': CLOUD_WAN_TGW_PEERING,
  'AWS::NetworkManager::TransitGatewayRouteTableAttachment': CLOUD_WAN_TGW_TABLE,
  'AWS::NetworkManager::SiteToSiteVpnAttachment': aws('Cloud WAN Site-to-Site VPN attachment'),
  'AWS::NetworkManager::DirectConnectGatewayAttachment': aws('Cloud WAN Direct Connect gateway attachment'),
  'AWS::EC2::CarrierGateway': aws('carrier gateway (Wavelength)'),
};

/** A CloudFormation `Fn::ForEach` loop (AWS::LanguageExtensions) that cannot be expanded (its `what` then says why). */
export const UNEXPANDED_LOOP: UnmodelledType = {
  what: 'loop of the AWS::LanguageExtensions transform',
  cloud: 'aws',
  when: 'always',
};

/** The row of a CloudFormation type, custom resources included. */
export function unmodelledCfnType(type: string): UnmodelledType | undefined {
  return type.startsWith('Custom::') ? CUSTOM : UNMODELLED_CFN_TYPES[type];
}

/** The row of a Terraform resource type. */
export function unmodelledTfType(type: string): UnmodelledType | undefined {
  return Object.prototype.hasOwnProperty.call(UNMODELLED_TF_TYPES, type) ? UNMODELLED_TF_TYPES[type] : undefined;
}

/**
 * Kinds of element an unmodelled resource "touches" when it names one: where packets are routed
 * (VPCs, subnets, route tables and their associations, gateways and endpoints, transit). Naming a
 * load balancer, an endpoint service or an address is not touching a path.
 */
export const TOUCHABLE_KINDS: ReadonlySet<ElementKind> = new Set<ElementKind>([
  'vpc',
  'subnet',
  'routeTable',
  'rtAssociation',
  'igw',
  'eigw',
  'vgw',
  'natgw',
  'gwlbe',
  'firewall',
  'instance',
  'tgw',
  'tgwAttachment',
  'tgwRouteTable',
  'peering',
  'aviatrixGateway',
  'unmodelled',
]);

/** Terraform types the model maps to elements that are not on a path (TOUCHABLE_KINDS, by type). */
export const UNTOUCHABLE_TF_TYPES: ReadonlySet<string> = new Set([
  'aws_eip',
  'cloudngfwaws_rulestack',
  'cloudngfwaws_security_rule',
  'aws_vpc_endpoint_service',
  'aws_lb',
  'aws_alb',
  'aws_lb_target_group',
  'aws_alb_target_group',
  'aws_lb_target_group_attachment',
  'aws_alb_target_group_attachment',
  'aws_lb_listener',
  'aws_alb_listener',
  'aws_ec2_managed_prefix_list',
  'aviatrix_distributed_firewalling_config',
  'aviatrix_distributed_firewalling_policy_list',
  'aviatrix_dcf_ruleset',
  'aviatrix_distributed_firewalling_default_action_rule',
  'aviatrix_smart_group',
  'aviatrix_web_group',
  'aws_networkfirewall_firewall_policy',
  'aws_networkfirewall_rule_group',
  'aws_networkfirewall_logging_configuration',
  'azurerm_firewall_policy',
  'azurerm_firewall_policy_rule_collection_group',
  'azurerm_firewall_application_rule_collection',
  'azurerm_firewall_network_rule_collection',
]);

/**
 * Properties of a custom resource that name the destination of the routes it writes (`DestCidr`,
 * `DestinationCidrBlock`, `Destination`, `Prefix`): when each is a CIDR the inputs decide, only lookups
 * of addresses inside one of them can be changed by the resource.
 */
export const DESTINATION_PROPERTY = /cidr|prefix|^dest/i;

/**
 * The one sentence of an `unmodelled-resource` diagnostic; `destinations`, the prefixes it writes routes
 * for when the inputs decide them.
 */
export function unmodelledMessage(
  label: string,
  type: string,
  row: UnmodelledType,
  touched: string[],
  scope?: string,
  destinations?: string[],
): string {
  if (row.role === 'corePeering')
    return `${label} (${type}) peers ${touched.length > 0 ? touched.join(', ') : 'a transit gateway'} with a Cloud WAN core network and writes no route itself: the transit gateway route tables attached to the core network get its routes, and where the core network takes traffic is its policy's choice, which is not read`;
  if (row.role === 'coreRoutes')
    return `${label} (${type}) attaches ${touched.length > 0 ? touched.join(', ') : 'a transit gateway route table'} to a Cloud WAN core network, which propagates its routes into that table: where they send a destination is the core network policy's choice, which is not read (a path through the table is decided only when no other route of it holds the destination and nothing the core network reaches in the inputs has a way to the internet)`;
  if (row.role === 'corePolicy')
    return `${label} (${type}) gives ${touched.length > 0 ? touched.join(', ') : 'a Cloud WAN core network'} its policy document and writes no route: where the core network takes traffic is read from that document when it is known offline`;
  if (row.role === 'coreAccepter')
    return `${label} (${type}) accepts ${touched.length > 0 ? touched.join(', ') : 'a Cloud WAN attachment'} into its core network and writes no route: a segment that requires acceptance carries an attachment's traffic only once accepted`;
  if (row.role === 'attachment')
    return `${label} (${type}) attaches ${touched.length > 0 ? touched.join(', ') : 'a VPC'} to a Cloud WAN core network and writes no route: only a route naming the core network sends traffic there, and where the core network takes it is its policy's choice: read from the policy document when the inputs know it offline (its segments, send-to and network function groups), otherwise such a path is decided only when no VPC attached to a core network in the inputs has a way to the internet`;
  const what = `${label} (${type}: ${row.what}) is not modelled`;
  if (touched.length === 0) return `${what}; it names no network element of the inputs`;
  const list = touched.length > 6 ? `${touched.slice(0, 6).join(', ')} and ${touched.length - 6} more` : touched.join(', ');
  const to = destinations?.length ? ` to an address in ${destinations.join(' or ')}` : '';
  return `${what}; it touches ${list}${scope ? ` (${scope})` : ''}: a path through ${touched.length > 1 ? 'them' : 'it'}${to} is Unknown`;
}
