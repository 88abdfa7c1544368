// AWS's own vocabulary, stated once for every input that speaks it (Terraform and its plan JSON,
// CloudFormation, AWS CLI exports): which field of a route names which kind of target, how a gateway
// id is told apart, and what a VPC endpoint type means for routing. A new target field is one row.
import { isUnresolved, unresolved, type Ref, type Route, type RouteTarget, type RouteTargetKind } from '../../model/types';

/** How one format spells a field. */
export interface Spelling {
  /** Terraform provider attribute (also the plan JSON key). */
  tf: string;
  /** CloudFormation property. */
  cfn: string;
  /** EC2 API / AWS CLI key. */
  cli: string;
}

export type AwsFormat = keyof Spelling;

/** A route target field whose name alone decides the kind of target. */
export interface RouteTargetField extends Spelling {
  kind: RouteTargetKind;
}

/**
 * Route target fields in the order they are tried (a route sets one). A VPC endpoint field gives
 * 'gwlbe' here; `endpointTargetKind` decides once the endpoint type is known. Local and carrier
 * targets are not modelled: 'unknown', never a guess; a Cloud WAN core network is 'coreNetwork' (trace/cloudWan.ts).
 */
export const ROUTE_TARGET_FIELDS: readonly RouteTargetField[] = [
  { kind: 'natgw', tf: 'nat_gateway_id', cfn: 'NatGatewayId', cli: 'NatGatewayId' },
  { kind: 'gwlbe', tf: 'vpc_endpoint_id', cfn: 'VpcEndpointId', cli: 'VpcEndpointId' },
  { kind: 'tgw', tf: 'transit_gateway_id', cfn: 'TransitGatewayId', cli: 'TransitGatewayId' },
  { kind: 'peering', tf: 'vpc_peering_connection_id', cfn: 'VpcPeeringConnectionId', cli: 'VpcPeeringConnectionId' },
  { kind: 'eni', tf: 'network_interface_id', cfn: 'NetworkInterfaceId', cli: 'NetworkInterfaceId' },
  { kind: 'eigw', tf: 'egress_only_gateway_id', cfn: 'EgressOnlyInternetGatewayId', cli: 'EgressOnlyInternetGatewayId' },
  { kind: 'instance', tf: 'instance_id', cfn: 'InstanceId', cli: 'InstanceId' },
  { kind: 'unknown', tf: 'local_gateway_id', cfn: 'LocalGatewayId', cli: 'LocalGatewayId' },
  { kind: 'unknown', tf: 'carrier_gateway_id', cfn: 'CarrierGatewayId', cli: 'CarrierGatewayId' },
  { kind: 'coreNetwork', tf: 'core_network_arn', cfn: 'CoreNetworkArn', cli: 'CoreNetworkArn' },
];

/** Resource types of an instance, whose primary interface a route may name as its network interface. */
const INSTANCE_TYPES: ReadonlySet<string> = new Set(['aws_instance', 'AWS::EC2::Instance']);

/** The field that names an internet, virtual private or (in exports) endpoint gateway, or `local`. */
export const GATEWAY_FIELD: Spelling = { tf: 'gateway_id', cfn: 'GatewayId', cli: 'GatewayId' };

/** Every Terraform attribute that names a route's target (a route block writes one). */
export const ROUTE_TARGET_TF_ATTRS: ReadonlySet<string> = new Set([GATEWAY_FIELD.tf, ...ROUTE_TARGET_FIELDS.map((f) => f.tf)]);

/** Route destination fields, in the order they are tried. */
export const DESTINATION_FIELDS = {
  cidr: [
    { tf: 'destination_cidr_block', cfn: 'DestinationCidrBlock', cli: 'DestinationCidrBlock' },
    { tf: 'destination_ipv6_cidr_block', cfn: 'DestinationIpv6CidrBlock', cli: 'DestinationIpv6CidrBlock' },
  ],
  prefixList: { tf: 'destination_prefix_list_id', cfn: 'DestinationPrefixListId', cli: 'DestinationPrefixListId' },
} as const;

/** What a gateway reference is: by the type of the resource it names, else by its id prefix. */
// `gateway_id` also takes a NAT gateway's or a transit gateway's id: the EC2 API accepts them in GatewayId
// and routes them as if written in their own fields (F74).
export type GatewayKind = 'local' | 'igw' | 'vgw' | 'eigw' | 'vpce' | 'natgw' | 'tgw' | 'unknown';

const GATEWAY_TYPES: Record<string, GatewayKind> = {
  aws_internet_gateway: 'igw',
  aws_vpn_gateway: 'vgw',
  aws_egress_only_internet_gateway: 'eigw',
  aws_vpc_endpoint: 'vpce',
  aws_nat_gateway: 'natgw',
  aws_ec2_transit_gateway: 'tgw',
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::VPNGateway': 'vgw',
  'AWS::EC2::EgressOnlyInternetGateway': 'eigw',
  'AWS::EC2::VPCEndpoint': 'vpce',
  'AWS::EC2::NatGateway': 'natgw',
  'AWS::EC2::TransitGateway': 'tgw',
};

const GATEWAY_PREFIXES: [string, GatewayKind][] = [
  ['igw-', 'igw'],
  ['vgw-', 'vgw'],
  ['eigw-', 'eigw'],
  ['vpce-', 'vpce'],
  ['nat-', 'natgw'],
  ['tgw-', 'tgw'],
];

/**
 * `gateway_id = "local"`, a resource of a known type, or a literal AWS id. Anything else (an
 * unknown id, a resource of another type) is 'unknown': the route is not guessed to be an IGW's.
 */
export function classifyGateway(id: string | undefined, resourceType?: string): GatewayKind {
  if (id === 'local') return 'local';
  if (resourceType !== undefined) return GATEWAY_TYPES[resourceType] ?? 'unknown';
  for (const [prefix, kind] of GATEWAY_PREFIXES) if (id?.startsWith(prefix)) return kind;
  return 'unknown';
}

/**
 * The target of a route, from its fields as one format spells them. `ref` reads a field (undefined
 * when absent or null); `typeOf` names the resource type a reference stands for, when it stands for a
 * resource of the inputs. A route to a VPC endpoint says 'gwlbe' until `endpointTargetKind` decides.
 */
export function routeTarget(
  format: AwsFormat,
  ref: (field: string) => Ref | undefined,
  typeOf: (ref: string) => string | undefined,
): RouteTarget {
  const gw = ref(GATEWAY_FIELD[format]);
  if (gw !== undefined) {
    if (gw === 'local') return { kind: 'local' };
    const kind = typeof gw === 'string' ? classifyGateway(gw, typeOf(gw)) : 'unknown';
    return { kind: kind === 'vpce' ? 'gwlbe' : kind === 'local' ? 'unknown' : kind, ref: gw };
  }
  for (const f of ROUTE_TARGET_FIELDS) {
    const r = ref(f[format]);
    if (r === undefined) continue;
    // `network_interface_id = aws_instance.fw.primary_network_interface_id`: the instance's primary interface.
    if (f.kind === 'eni' && typeof r === 'string' && INSTANCE_TYPES.has(typeOf(r) ?? '')) return { kind: 'instance', ref: r };
    return { kind: f.kind, ref: r };
  }
  return { kind: 'unknown', ref: unresolved('', 'route has no target') };
}

/** The destination of a route: a prefix list, else the first CIDR field written. */
export function routeDestination(
  format: AwsFormat,
  str: (field: string) => string | Ref | undefined,
  ref: (field: string) => Ref | undefined,
): Route['destination'] {
  const pl = ref(DESTINATION_FIELDS.prefixList[format]);
  if (pl !== undefined) return { prefixList: pl };
  for (const f of DESTINATION_FIELDS.cidr) {
    const c = str(f[format]);
    // An IPv6 destination not known offline still never holds an IPv4 address (routing.ts lookupRoute).
    if (c !== undefined && c !== '') return { cidr: f === DESTINATION_FIELDS.cidr[1] && isUnresolved(c) ? { ...c, family: 6 } : c };
  }
  return { cidr: unresolved('', 'route has no destination') };
}

/** VpcEndpointType of a Gateway Load Balancer endpoint, the only endpoint that is an egress hop. */
export const GWLB_ENDPOINT_TYPE = 'GatewayLoadBalancer';

/** VpcEndpointType when none is written (Terraform and CloudFormation default). */
export const DEFAULT_ENDPOINT_TYPE = 'Gateway';

/**
 * The target kind of a route to a VPC endpoint. A known type decides. Unknown: a CIDR destination
 * can only be routed to a GWLB endpoint (gateway endpoints take prefix-list routes, interface
 * endpoints are no route targets), so 'gwlbe'; a prefix-list route is a gateway endpoint's.
 */
export function endpointTargetKind(endpointType: string | undefined, toPrefixList: boolean): 'gwlbe' | 'vpce' {
  if (endpointType !== undefined) return endpointType === GWLB_ENDPOINT_TYPE ? 'gwlbe' : 'vpce';
  return toPrefixList ? 'vpce' : 'gwlbe';
}

/** Load balancer type of a Gateway Load Balancer (`aws_lb.load_balancer_type`, CFN/CLI `Type`). */
export const GWLB_TYPE = 'gateway';

/** Load balancer types that face clients (`aws_lb.load_balancer_type`, CFN/CLI `Type`); `application` is the default. */
export const CLIENT_LB_TYPES: ReadonlySet<string> = new Set(['application', 'network']);

/** The scheme of a load balancer reachable from the internet (CFN/CLI `Scheme`; the default when not written). */
export const INTERNET_FACING_SCHEME = 'internet-facing';

/** `enable` / `disable` options (appliance mode, TGW default route table association/propagation). */
export function enableFlag(v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v === 'enable';
}

/**
 * Network interfaces, instances and elastic IPs as each format spells them. A firewall VM is an instance
 * with several interfaces; `source_dest_check = false` lets an interface forward packets not addressed to it.
 */
export const ENI_FIELDS = {
  subnet: { tf: 'subnet_id', cfn: 'SubnetId', cli: 'SubnetId' },
  privateIp: { tf: 'private_ip', cfn: 'PrivateIpAddress', cli: 'PrivateIpAddress' },
  sourceDestCheck: { tf: 'source_dest_check', cfn: 'SourceDestCheck', cli: 'SourceDestCheck' },
  deviceIndex: { tf: 'device_index', cfn: 'DeviceIndex', cli: 'DeviceIndex' },
  instance: { tf: 'instance_id', cfn: 'InstanceId', cli: 'InstanceId' },
  networkInterface: { tf: 'network_interface_id', cfn: 'NetworkInterfaceId', cli: 'NetworkInterfaceId' },
  associatePublicIp: { tf: 'associate_public_ip_address', cfn: 'AssociatePublicIpAddress', cli: 'AssociatePublicIpAddress' },
  mapPublicIp: { tf: 'map_public_ip_on_launch', cfn: 'MapPublicIpOnLaunch', cli: 'MapPublicIpOnLaunch' },
  allocation: { tf: 'allocation_id', cfn: 'AllocationId', cli: 'AllocationId' },
} as const satisfies Record<string, Spelling>;

/** AWS's default source/destination check of an interface or instance: on (the interface drops what is not its own). */
export const SOURCE_DEST_CHECK_DEFAULT = true;
