// The vendor-neutral network model. Every parser produces these elements; the analysis reads only
// these. Plain data (JSON-serialisable): the webview and the CLI receive the model as is.
// No `vscode` import here or anywhere in src/model, src/parse, src/analysis.
import type { Suppression } from './inputs';

/** 0-based, like VS Code's Position. */
export interface Position {
  line: number;
  character: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** Where an element is written. `file` is the path exactly as it was handed to the parser. */
export interface SourceLocation {
  file: string;
  range: SourceRange;
}

/** A value or reference the inputs cannot decide offline. Never replaced by a guess. */
export interface Unresolved {
  unresolved: true;
  /** The source text of the expression, e.g. `data.aws_vpc.shared.id` or `${AWS::Region}`. */
  text: string;
  reason: string;
  /**
   * A CIDR whose address is not known offline but whose prefix length is (`"${data.http.myip.response_body}/32"`,
   * a cidrsubnet of a base of known length): the route covers at most that many addresses (routing.ts).
   */
  prefixLength?: number;
  /**
   * The address family of a CIDR or address not known offline, when the field tells it (`ipv6_cidr_block`):
   * an IPv4 flow never falls in an unknown IPv6 prefix, nor the reverse.
   */
  family?: 4 | 6;
  /**
   * A value CloudFormation picks at deploy time from a mapping keyed by the stack's region
   * (`!FindInMap [Map, !Ref 'AWS::Region', Key]`) whose every row writes it as a literal: it is one of `rows`,
   * the one of the region the stack is deployed in (docs/domain.md, "Values chosen by region").
   */
  byRegion?: { mapping: string; rows: { region: string; value: string }[] };
  /**
   * The IPv6 prefix of this subnet (its element id), not known offline (AWS assigns it at apply): Terraform
   * `aws_subnet.x.ipv6_cidr_block`, CloudFormation `!Select [0, !GetAtt X.Ipv6CidrBlocks]`. A route to it holds exactly
   * that subnet's IPv6 addresses (trace/addressRange.ts), and none of another subnet's of its VPC.
   */
  prefixOf?: string;
}

export type Val<T> = T | Unresolved;

/** The id of another model element, or Unresolved. */
export type Ref = Val<string>;

export function isUnresolved(v: unknown): v is Unresolved {
  return typeof v === 'object' && v !== null && (v as Unresolved).unresolved === true;
}

/** A `{ unknown: reason }` (a vocabulary's value not known offline, and why); not terraform/values.ts's Unknown. */
export function isUnknownReason(v: unknown): v is { unknown: string } {
  return typeof v === 'object' && v !== null && 'unknown' in v;
}

export function unresolved(text: string, reason: string): Unresolved {
  return { unresolved: true, text, reason };
}

export type Cloud = 'aws' | 'azure' | 'gcp' | 'oci' | 'other';

export type ElementKind =
  | 'vpc'
  | 'subnet'
  | 'routeTable'
  | 'rtAssociation'
  | 'igw'
  | 'eigw'
  | 'vgw'
  | 'natgw'
  | 'eip'
  | 'gwlbe'
  | 'endpointService'
  | 'gwlb'
  | 'targetGroup'
  | 'instance'
  | 'eni'
  | 'firewall'
  | 'firewallPolicy'
  | 'firewallRuleGroup'
  | 'firewallLogging'
  | 'ngfwRulestack'
  | 'ngfwRule'
  | 'tgw'
  | 'tgwAttachment'
  | 'tgwRouteTable'
  | 'peering'
  | 'prefixList'
  | 'aviatrixGateway'
  | 'dcfConfig'
  | 'dcfPolicy'
  | 'smartGroup'
  | 'webGroup'
  | 'externalGroup'
  | 'virtualHubConnection'
  | 'routingIntent'
  | 'hubRouteTable'
  | 'hubRoute'
  | 'vnetGateway'
  | 'vnetGatewayConnection'
  | 'localNetworkGateway'
  | 'hubVpnGateway'
  | 'vpnSite'
  | 'hubVpnConnection'
  | 'loadBalancer'
  | 'unmodelled';

/** A Terraform module call that creates an element: `module.spoke_a` where its module block is written. */
export interface ModuleCall {
  /** The module instance's address below its root (`module.spoke_a`, `module.hub.module.rt["a"]`). */
  module: string;
  /** The `module "..." {` header in the calling module's file. */
  loc: SourceLocation;
}

export interface ElementBase {
  /**
   * Stable id, unique in the merged model. Terraform: the resource address with module path and
   * index (`aws_subnet.app_a`, `module.spoke.aviatrix_spoke_gateway.this`, `aws_subnet.app["a"]`).
   * AWS CLI / controller exports: the provider id (`subnet-0a1b...`). CloudFormation: the logical id
   * prefixed by the template path's stack name (`cfn:<file>#AppSubnetA`).
   */
  id: string;
  kind: ElementKind;
  /** Display name: Name tag, gw_name, logical id, ... */
  name: string;
  /**
   * Where to point a diagnostic: the block header (`resource "aws_route_table" "igw_edge"`), the
   * CloudFormation logical id key, the JSON object's first key. Short, so squiggles stay readable.
   */
  loc: SourceLocation;
  /** The whole definition (block / mapping / object), for edits that insert inside it. Same file as loc. */
  extent?: SourceRange;
  /** Value ranges of top-level attributes as written (`gw_size`, `appliance_mode_support`), for quick fixes. */
  attrs?: Record<string, SourceRange>;
  /** Provider address where there is one, e.g. `aws_route_table.nat_a` (Terraform and plan JSON). */
  address?: string;
  /** The cloud provider's own id when the input states it (`rtb-0abc`, `vpc-0123`). */
  providerId?: string;
  cloud: Cloud;
  account?: string;
  region?: Val<string>;
  tags?: Record<string, string>;
  /**
   * Set when whether (or how many times) this element exists cannot be decided offline: a Terraform
   * `count`/`for_each` that is not known gives one placeholder instance carrying this. Whatever depends
   * on the element is Unknown, never absent.
   */
  undecided?: Unresolved;
  /**
   * Set when the element exists only if a provider list is long enough: the instance for the second zone of
   * `slice(names, 0, min(length(names), 3))` exists when the region has two zones or more. It is modelled as
   * existing; the analysis judges it only where its existence does not change the verdict.
   */
  conditional?: Unresolved;
  /**
   * Terraform: the module calls that create this element, the root module's call first. The element's `loc` is in
   * the module's code, which every call shares; the calls are where each instance's inputs are decided.
   */
  moduleCalls?: ModuleCall[];
}

export interface Vpc extends ElementBase {
  kind: 'vpc';
  /** Primary and secondary CIDRs (IPv4 and IPv6). Azure VNet address spaces go here too. */
  cidrs: Val<string>[];
  /** 'vnet' for Azure. */
  flavor: 'vpc' | 'vnet';
  /**
   * The account's default VPC of its region (`aws_default_vpc`): it exists before the configuration, with
   * default subnets and routes the configuration may not declare.
   */
  accountDefault?: boolean;
  /**
   * The IPv4 CIDR is allocated from an IPAM pool at apply (`ipv4_ipam_pool_id`): where it lies is not known,
   * but allocations of one pool never overlap, it has `netmaskLength` bits when that is written, and it lies
   * inside one of `within`, the pool's CIDRs, when the inputs provision the pool (`aws_vpc_ipam_pool_cidr`).
   */
  ipam?: { pool: Ref; netmaskLength?: number; within?: string[] };
  /**
   * Terraform, for a VPC holding no subnet of the inputs: why its subnets are not known. No subnet resource
   * names it, not even one whose count/for_each is known to be empty (its subnets are made outside the
   * inputs: by the callers of a module folder analysed on its own, or another configuration), or a subnet
   * whose VPC cannot be decided may be in it. (A subnet resource with zero instances says the VPC has no
   * subnet: that is known.)
   */
  subnetsOutside?: Unresolved;
  /**
   * A stand-in for the network a module the inputs do not hold makes (Terraform: a registry module whose code
   * `terraform init` has not downloaded): it is located at the `module` block, one per module instance, and
   * holds nothing of the inputs. Why it is not read; its state is Unknown.
   */
  unreadModule?: Unresolved;
  /**
   * Terraform: some subnets or route tables of this VPC/VNet are made by a module the inputs do not hold, given
   * its id (a subnet module called with `vpc_id = aws_vpc.x.id` whose outputs are used as subnet or route table
   * ids). Why they are not read; the network's state is Unknown: those parts may carry egress.
   */
  unreadParts?: Unresolved;
}

export interface Subnet extends ElementBase {
  kind: 'subnet';
  vpc: Ref;
  cidr: Val<string>;
  ipv6Cidr?: Val<string>;
  /** An IPv6-only subnet (`ipv6_native`, `Ipv6Native`): no IPv4 range, its egress is IPv6. */
  ipv6Native?: boolean;
  /**
   * AWS: a dual-stack subnet, one that surely has an IPv6 prefix beside its IPv4 range: `ipv6_cidr_block` /
   * `Ipv6CidrBlock` written as a literal or as a block AWS assigns at apply (carved from the VPC's Amazon-provided
   * one), an `AWS::EC2::SubnetCidrBlock`, a CLI export's associated IPv6 block, or `assign_ipv6_address_on_creation` /
   * `AssignIpv6AddressOnCreation` true. Its IPv6 egress is traced as a second family (trace/dualStack.ts). Absent when
   * it has none, when it is IPv6-only (ipv6Native), or when the prefix rests on an input not known offline.
   */
  dualStack?: true;
  az?: Val<string>;
  /**
   * Whether instances launched here get a public IPv4 address (`map_public_ip_on_launch`,
   * `MapPublicIpOnLaunch`): absent when not written (AWS's default is false).
   */
  mapPublicIp?: Val<boolean>;
  /**
   * A managed service the inputs place in this subnet that needs the subnet to itself and its own route to
   * the internet (an Azure Application Gateway's `gateway_ip_configuration`): model/platformSubnets.ts.
   */
  dedicatedTo?: string;
  /**
   * Azure, read only for a subnet whose name says it is for an Application Gateway (platformSubnets.ts
   * azureNamedForAppGateway): what the inputs place in it that is no element of the model (a scale set that does not
   * forward, a private endpoint, an AKS node pool, an app's VNet integration, a delegation to a service), as
   * `azurerm_private_endpoint.pe`; or a placement whose subnet cannot be decided (it may be this one). Such a subnet
   * is not empty: it is judged by what it holds, not reserved for a gateway (ModelIndex.computeRole, F183).
   */
  heldBy?: string;
  /**
   * Azure: the inputs place only private endpoints (or private link services' NAT IPs) in this subnet, nothing else
   * that is no element of the model (mapAzureOccupants.ts): the first of them, as `azurerm_private_endpoint.pe`. A
   * private endpoint answers connections and opens none: with no NIC or VM of the model in it either, the subnet
   * originates no traffic (ModelIndex.computeRole).
   */
  onlyPrivateEndpoints?: string;
  /**
   * AWS CloudFormation: the subnet is named by a transit gateway VPC attachment that the parameters' values leave
   * out (its Condition is false): why, as `TgwAttachment is not created (condition HasTgw is false)`. While the
   * subnet holds nothing it is that attachment's plumbing, not a workload source (ModelIndex.subnetRole).
   */
  reservedFor?: string;
  /**
   * AWS: an internet-facing application or network load balancer the inputs place in this subnet (`aws_lb` /
   * `aws_alb` whose `internal` is false or not written, CloudFormation and CLI `Scheme: internet-facing`): its
   * name. It answers internet clients through the subnet's route table, whose 0.0.0.0/0 must stay on the
   * internet gateway (ModelIndex.isPublicLbSubnet).
   */
  publicLb?: string;
  /**
   * Azure: whether the platform gives the subnet's VMs default outbound access (`default_outbound_access_enabled`,
   * the export's `defaultOutboundAccess`); absent when not written (the provider's default is true). A private
   * subnet (false) reaches the internet only through a NAT gateway or a public IP of its own.
   */
  defaultOutboundAccess?: Val<boolean>;
  /** Azure: the NAT gateway associated with the subnet (by id), or why which subnet an association names is open. */
  natGateway?: Ref;
  /**
   * Azure: backend pools of public load balancers that VMs (their NICs) or scale sets of this subnet are in: an
   * outbound rule gives them outbound SNAT to its frontends' public IPs even when the subnet is private, and the
   * replies to sessions the load-balancing rules bring in must leave the way they came (the fix says so).
   */
  azureLbPools?: PublicLbMembership[];
}

/** A member of this subnet in a backend pool of a public load balancer (Subnet.azureLbPools). */
export interface PublicLbMembership {
  /** The load balancer (resource id) and its name. */
  lb: string;
  lbName: string;
  pool: string;
  poolName: string;
  /** The resource that puts the member in the pool (a NIC's pool association, a scale set). */
  via: string;
  loc: SourceLocation;
  /** The VM whose NIC is the member; absent for a scale set's instances. */
  host?: string;
  /** The outbound rule (`azurerm_lb_outbound_rule`) naming the pool, if any. */
  outbound?: { id: string; name: string; loc: SourceLocation; frontends: string[]; protocol: Val<string>; open?: Unresolved };
  /** The load-balancing rules naming the pool; `defaultSnat`: their frontend's default outbound SNAT (not disabled). */
  inbound: { id: string; name: string; loc: SourceLocation; defaultSnat: Val<boolean> }[];
  /** What the inputs leave open about the membership (an association whose existence cannot be decided). */
  open?: Unresolved;
}

export type RouteTargetKind =
  | 'local'
  | 'igw'
  | 'eigw'
  | 'vgw'
  | 'natgw'
  | 'gwlbe'
  | 'vpce'
  | 'tgw'
  | 'peering'
  | 'eni'
  | 'instance'
  | 'aviatrixGateway'
  // Azure UDR next hop types
  | 'virtualAppliance'
  | 'internet'
  | 'none'
  | 'vnetGateway'
  | 'vnetLocal'
  /** A Cloud WAN core network (`CoreNetworkArn`): `ref` as written, often a parameter (trace/cloudWan.ts). */
  | 'coreNetwork'
  | 'unknown';

export interface RouteTarget {
  kind: RouteTargetKind;
  /** The target element id (absent for `local`, Azure `internet`/`none`). */
  ref?: Ref;
  /** Azure VirtualAppliance next hop IP. */
  ip?: Val<string>;
  /**
   * A positional pick from a Network Firewall's list of endpoints (CloudFormation `!Select [N, !GetAtt
   * X.EndpointIds]`, Terraform `...sync_states[*].attachment[0].endpoint_id)[N]`). AWS does not order that
   * list, so this is one of `endpoints` (the firewall's subnet-mapping endpoints) in an AZ the inputs do not
   * say; the same position of the same firewall is the same endpoint, another position another one. Or the
   * endpoint in a named AZ (`zone`) when the endpoints' AZs are not known offline: the same zone is the same
   * endpoint, another zone name another one. Or (`attribute`) the value a CloudFormation custom resource given
   * only this firewall returns: one of its endpoints, AZ not said. `ref` stays Unresolved (nothing may read it
   * as a known endpoint).
   */
  pick?: EndpointPick;
  /**
   * Azure: the next hop is a network interface of the inputs (written as its own or its VM's address) whose IP
   * forwarding is off, so Azure drops what is sent to it but not addressed to it. `nic` is its resource id,
   * `setting` how the inputs say so. `ref` stays Unresolved: no element stands for that interface.
   */
  nonForwarding?: NonForwardingNic;
  /** AWS CLI exports: the instance a network interface target belongs to (`InstanceId` beside `NetworkInterfaceId`). */
  instance?: string;
  /**
   * Azure: the next hop address is this frontend (its name) of an internal load balancer; `ref` is the load
   * balancer (analysis/trace/azure.ts follows its rules to the appliances of their backend pools).
   */
  frontend?: string;
}

export interface NonForwardingNic {
  nic: string;
  name: string;
  setting: string;
  loc: SourceLocation;
  /** How to turn it on, in the input's own terms; absent: Terraform's `ip_forwarding_enabled = true`. */
  enable?: string;
}

/**
 * Some endpoint of a Network Firewall (RouteTarget.pick): one position of its unordered endpoint list, or
 * (`zone`) its endpoint in the AZ of that name where the inputs do not say which endpoint is in which AZ
 * (a map of the sync states keyed by AZ, the endpoints' subnets in zones read from the provider), or
 * (`attribute`, `<custom resource>.<attribute>` as written) what a CloudFormation custom resource whose
 * properties name only this firewall returns: a route's VPC endpoint can only be a Gateway Load Balancer-type
 * one, and the firewall's are the only ones its function is given; which AZ's it is the function decides (not
 * read). The same attribute is the same endpoint; another attribute may be the same endpoint or another one.
 * Exactly one of `position`, `zone` and `attribute` is set.
 */
export interface EndpointPick {
  firewall: string;
  position?: number;
  zone?: string;
  attribute?: string;
  endpoints: string[];
}

export interface Route {
  /** Unique in the model: `<routeTableId>#<n>` for inline routes, the resource id for `aws_route`. */
  id: string;
  loc: SourceLocation;
  address?: string;
  /** Exactly one of cidr / prefixList. */
  destination: { cidr: Val<string> } | { prefixList: Ref };
  target: RouteTarget;
  state: 'active' | 'blackhole';
  /** True for routes the provider adds itself (`local`); false/absent for written ones. */
  implicit?: boolean;
  /** Whether this route exists cannot be decided offline (an undecidable `count`/`for_each`). */
  undecided?: Unresolved;
  /**
   * A `None` route of an Azure table whose routes Terraform is told to ignore (`lifecycle { ignore_changes =
   * [route] }`): a placeholder a controller overwrites (`undecided` says so). An Aviatrix spoke's controller
   * replaces a `0.0.0.0/0` one with its default route to the spoke gateway (analysis/trace/route.ts).
   */
  placeholder?: true;
  /**
   * Where the one target attribute of an inline HCL `route` block is written, so a fix edits that value
   * only. Flat (one line, character offsets): tables of a TGW-attached VPC can hold 100,000 routes.
   */
  targetValue?: WrittenValue;
  /** A module's route made from its caller's argument: where the caller writes it. */
  input?: RouteInput;
}

/**
 * A route of a Terraform module made from what a module call passes in (a `dynamic "route"` over `var.routes`, a
 * destination or target written `var.x`): the caller decides it, so that is where it changes.
 */
export interface RouteInput {
  /** The module call (`module.spoke_a`) and the module's variable (`routes`). */
  module: string;
  variable: string;
  /** The caller's text: the item of a list it writes that the route is made from, else the whole argument. */
  loc: SourceLocation;
}

/** A value written on one line: its attribute's name and the value's characters [start, end). */
export interface WrittenValue {
  attr: string;
  line: number;
  start: number;
  end: number;
}

export interface RouteTable extends ElementBase {
  kind: 'routeTable';
  vpc: Ref;
  routes: Route[];
  /** True when this is the VPC's main route table (CLI `Associations[].Main`, aws_main_route_table_association, default_route_table). */
  main?: boolean;
  /**
   * Set when the inputs do not say which table this is: routes written for a table id that is a
   * CloudFormation parameter or import of another stack. It stands for any table those routes may be in
   * (analysis/routing.ts: a lookup one of its routes might win is Unknown), and is never a subnet's table.
   */
  unplaced?: Unresolved;
  /**
   * Azure: whether VNet gateway routes (BGP and static) reach the subnets of this table
   * (`bgp_route_propagation_enabled`, `disable_bgp_route_propagation`); true when not written.
   */
  gatewayPropagation?: Val<boolean>;
}

/** Subnet association, gateway (edge) association, or main-table association. Exactly one target. */
export interface RouteTableAssociation extends ElementBase {
  kind: 'rtAssociation';
  routeTable: Ref;
  subnet?: Ref;
  /** Edge association: IGW or VGW id. */
  gateway?: Ref;
  /** Main route table association of a VPC. */
  mainOfVpc?: Ref;
}

export interface InternetGateway extends ElementBase {
  kind: 'igw' | 'eigw';
  vpc: Ref;
}

export interface VpnGateway extends ElementBase {
  kind: 'vgw';
  vpc: Ref;
}

export interface NatGateway extends ElementBase {
  kind: 'natgw';
  subnet: Ref;
  connectivity: 'public' | 'private';
  eip?: Ref;
  privateIp?: Val<string>;
  publicIp?: Val<string>;
}

export interface ElasticIp extends ElementBase {
  kind: 'eip';
  publicIp?: Val<string>;
}

/** Gateway Load Balancer endpoint (aws_vpc_endpoint with vpc_endpoint_type = GatewayLoadBalancer). */
export interface GwlbEndpoint extends ElementBase {
  kind: 'gwlbe';
  vpc: Ref;
  subnet: Ref;
  /** The endpoint service (id of an endpointService element, or its service name unresolved). */
  service?: Ref;
  /**
   * How `service` was found when the endpoint's own text does not name it (an import joined to another template's
   * export, a custom resource describing the service followed): said in the reasons that rest on it.
   */
  serviceVia?: string;
  /**
   * 'networkFirewall': an AWS Network Firewall endpoint (one per subnet mapping, in that subnet); `service`
   * is then the firewall element, which inspects in the endpoint's AZ. Absent: a GWLB endpoint.
   */
  flavor?: 'networkFirewall';
}

export interface EndpointService extends ElementBase {
  kind: 'endpointService';
  loadBalancers: Ref[];
  serviceName?: Val<string>;
}

export interface GatewayLoadBalancer extends ElementBase {
  kind: 'gwlb';
  subnets: Ref[];
  crossZone: Val<boolean>;
  vpc?: Ref;
}

export interface TargetGroup extends ElementBase {
  kind: 'targetGroup';
  loadBalancer?: Ref;
  vpc?: Ref;
  protocol?: string;
  port?: number;
  /** Registered targets: instance/firewall ids or IPs. */
  targets: Ref[];
  /**
   * What in the inputs registers targets into the group when they launch (none of them listed in `targets`): an Auto
   * Scaling group naming it (`aws_autoscaling_group.x`'s `target_group_arns`, an `aws_autoscaling_attachment`, a
   * CloudFormation `AWS::AutoScaling::AutoScalingGroup`'s `TargetGroupARNs`), by address or logical id. A GWLB target
   * group with no target and nothing registering one forwards to nothing the inputs show (ModelIndex.applianceRole).
   */
  registeredBy?: string[];
}

/** What an EC2 instance says about its addresses and forwarding (an instance that became a GWLB target keeps them). */
export interface InstanceNetworking {
  /**
   * `associate_public_ip_address` / `AssociatePublicIpAddress` as written (absent: the subnet's `mapPublicIp` decides);
   * an Azure VM: true when one of its NICs names a public IP (`public_ip_address_id`).
   */
  associatePublicIp?: Val<boolean>;
  /** An elastic IP associated with the instance itself (`aws_eip.instance`, `aws_eip_association.instance_id`). */
  eip?: Ref;
  /** false: the instance forwards packets not addressed to it (a firewall, a NAT instance). AWS's default is true. */
  sourceDestCheck?: Val<boolean>;
  /**
   * What its bootstrap (user data) says it runs, when it names a firewall OS (vocabulary/ngfw.ts): the vendor,
   * and whether it routes inspected GWLB traffic out of its own interfaces (VM-Series overlay routing; why that is
   * undecided when part of the bootstrap is not known). An Azure
   * VM none of whose NICs forwards carries it too when its image is a firewall vendor's, or (vendor `nva`) when a
   * route's next hop names one of its NICs: an appliance forwarding nothing in the inputs, never a workload.
   */
  ngfw?: {
    vendor: string;
    overlayRouting: boolean;
    overlayUndecided?: string;
    policy?: BootstrapPolicy;
    policyElsewhere?: PolicyElsewhere;
    /**
     * The interface its bootstrap's routes send internet-bound traffic out of, when the bootstrap writes no policy
     * (with a policy each table carries its own `egress`): a FortiGate configured by hand after boot still routes as
     * its bootstrap says (F178).
     */
    egress?: BootstrapEgress;
    /**
     * A Palo Alto VM-Series whose whole bootstrap is in the inputs and does not set `mgmt-interface-swap` (vocabulary/
     * ngfw.ts panosMgmtSwap): where that bootstrap is written. On AWS its interface at device index 0 (the primary,
     * which a route to the instance and a GWLB target group of type instance deliver to) is then its management
     * interface, which forwards no traffic (F238).
     */
    mgmtFirst?: SourceLocation;
  };
  /**
   * What the inputs say it runs when it forwards (a route may make it an appliance): a firewall or NAT only, and
   * why. Absent: they say nothing (analysis/applianceRole.ts adds a vendor bootstrap and GWLB targets).
   */
  runs?: ApplianceEvidence;
  /**
   * An explicit forward proxy, by what the inputs say it runs (vocabulary/appliance.ts forwardProxy: squid in its
   * user data or image, or its name): clients are told to use it by configuration, not sent to it by routes. Such a
   * host that forwards nothing is an enforcement point: its subnet is its own, not a workload's (F103).
   */
  proxy?: ForwardProxy;
}

/**
 * What the inputs say of an explicit forward proxy (vocabulary/appliance.ts): `allowlist` when its configuration in
 * the inputs lets only listed destinations through (a squid allow-list ending in `http_access deny all`), `unknown`
 * when it is a proxy by its software or name and its rules are not in the inputs; `weak` when only a name says so.
 */
export interface ForwardProxy {
  policy: 'allowlist' | 'unknown';
  why: string;
  weak?: true;
}

/**
 * What the inputs say a forwarding machine runs (vocabulary/appliance.ts): a firewall (a vendor's image, a
 * bootstrap that filters packets, a name saying firewall) or NAT only (the NAT AMI, a bootstrap that only
 * translates, a name saying NAT); `why` says which, `weak` when only a name says it.
 */
export interface ApplianceEvidence {
  /**
   * `passthrough`: it forwards what it is sent with no policy (gwlbtun's pass-through script), or relays what the
   * inputs do not show it restricts (a squid that is no allow-list): no enforcement the inputs show.
   */
  role: 'firewall' | 'nat' | 'passthrough';
  why: string;
  /**
   * A pass-through the inputs spell out: it sends every packet a GWLB gives it straight back (gwlbtun's pass-through
   * script, an iptables GENEVE hairpin), so a GWLB through it inspects nothing (F201). Not a squid that relays.
   */
  hairpin?: true;
  weak?: true;
  /**
   * Said by a name alone (a Name tag, a resource or logical id): a hint, never proof that it inspects (review s16
   * R11). A firewall known only so is no enforcement point and makes no appliance (ModelIndex.applianceRole).
   */
  byName?: true;
  /**
   * What its packet filter, read rule by rule (vocabulary/packetFilter.ts), or an IDS does with the egress it
   * forwards: `restricted` (nothing or only named destinations let out), `partial` (some ports, a deny-list, some
   * sources), `permit-all` (an IDS that alerts and blocks nothing); `policy` says so in the state's reason. Absent: a
   * firewall whose policy is not evaluated (restricted, as any appliance whose rules are not read).
   */
  enforces?: { cls: 'restricted' | 'partial' | 'permit-all'; policy: string };
  /**
   * The firewall's rules are written in its user data (iptables, nftables, pf, firewalld, ufw rules; the rules an
   * inline Suricata or Snort reads) but not walked here: what they are, for the state's reason, which then says they
   * are in the inputs, not evaluated, rather than that its policy is not in the inputs (review s15 R11, s17 R16).
   */
  rulesInUserData?: string;
}

/**
 * Where a firewall VM's own policy is when its bootstrap says and the inputs do not hold it (a VM-Series managed by
 * Panorama, booting from a bucket whose bootstrap.xml is not in the inputs, or configured by hand): it counts as
 * enforcing, as any appliance whose policy is not in the inputs, and the state reason says where the policy is,
 * located at the bootstrap setting that says so.
 */
export interface PolicyElsewhere {
  reason: string;
  loc: SourceLocation;
  /** Where: Panorama, a bootstrap bucket, or the firewall itself (set by hand). */
  via: 'panorama' | 'bucket' | 'device';
}

/**
 * Whether a firewall rule's source, destination or service matches everything (`all`), only some traffic
 * (`some`), no traffic of an address family (`none`: an IPv4-only rule for IPv6 egress), or cannot be told from
 * the inputs (`unknown`, with why: a template variable, an undefined object).
 */
export type BootstrapMatch = 'all' | 'some' | 'none' | { unknown: string };

/** The addresses a rule's source or destination names, as a flow is matched against them (flow simulation). */
export interface BootstrapAddresses {
  /** IPv4 and IPv6 ranges: `10.0.0.0/8`, `::/0`, `10.0.0.5-10.0.0.9`. */
  ranges: string[];
  /** FQDN objects: a domain destination matches them by name; an address may be what they resolve to. */
  fqdns: string[];
  /** A member that cannot be compared offline (a geography, a dynamic or undefined object, a template value). */
  unknown?: string;
  /** `srcaddr-negate` / `dstaddr-negate`: the rule matches what is not named. */
  negate?: true;
  /**
   * Its members include countries (FortiOS `geography` addresses, named here as `"Canada" (CA)`): a country's
   * addresses hold much of the internet's SaaS and CDN space and name no host (review s17 R4); a flow's match stays
   * `unknown`.
   */
  countries?: string[];
}

/** One service a rule names: a protocol and its destination ports (absent: every port; `ip`: every protocol). */
export interface BootstrapService {
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmp6' | 'ip';
  ports?: [number, number][];
  /** ICMP type (absent: every type). */
  icmpType?: number;
}

export interface BootstrapServices {
  entries: BootstrapService[];
  /** A service that is not defined in the bootstrap nor a FortiOS predefined one known here, or a template value. */
  unknown?: string;
  negate?: true;
}

/** One rule of a firewall VM's bootstrap policy (FortiOS `config firewall policy` entry), reduced to what decides egress. */
export interface BootstrapRule {
  /** How a reason names it: `policy 1 "test"`. */
  name: string;
  loc: SourceLocation;
  /** Disabled rules match nothing (`set status disable`). */
  enabled: boolean | { unknown: string };
  action: 'accept' | 'deny' | { unknown: string };
  /** The interfaces it joins (`port1>port2`, `any` matches all): rules of different pairs see different traffic. */
  interfaces: string;
  /** IPv4 source and destination (`none`: the rule takes no IPv4 traffic). */
  src: BootstrapMatch;
  dst: BootstrapMatch;
  /** IPv6 source and destination (`srcaddr6`/`dstaddr6`, or a `policy6` entry's; `none`: no IPv6 traffic). */
  src6: BootstrapMatch;
  dst6: BootstrapMatch;
  service: BootstrapMatch;
  /** Security profiles applied to what it accepts (utm-status, antivirus, IPS, web filter, ...); empty: none. */
  profiles: string[] | { unknown: string };
  /** It logs every session it accepts (FortiOS `logtraffic all`); `utm` logs only security events. */
  logsAll: boolean | { unknown: string };
  /** What one flow is matched against (IPv4 and IPv6 together; each flow compares its own family). */
  flow: {
    src: BootstrapAddresses;
    dst: BootstrapAddresses;
    service: BootstrapServices;
    /** It also matches by something a 5-tuple does not carry (application, URL category, user group, internet service). */
    narrowedBy?: string;
    /**
     * What narrows it (`narrowedBy`) is the application alone (App-ID, application control, application-default
     * ports): that limits services, not destinations or sources.
     */
    byApplicationOnly?: true;
  };
}

/** One VDOM's policy (or the whole firewall's without VDOMs), its rules in evaluation order. */
export interface BootstrapTable {
  name: string;
  loc: SourceLocation;
  /** `config firewall policy` (then `policy6`); in NGFW policy-based mode, the SSL inspection & authentication policies. */
  rules: BootstrapRule[];
  /** Why the table cannot be read whole (an unclosed section, a template, a mode or section not read here), located. */
  unknown?: string;
  /**
   * NGFW policy-based mode (`set ngfw-mode policy-based`): the security policies (`config firewall security-policy`)
   * that decide what `rules` accept; first match wins, an implicit deny after the last.
   */
  security?: { loc: SourceLocation; rules: BootstrapRule[] };
  /**
   * Where internet-bound traffic leaves, by the routes the bootstrap writes (FortiOS route selection,
   * vocabulary/fortiosRoutes.ts): only the interface pairs ending in one of these (or `any`) decide egress.
   * Absent: the bootstrap does not decide it, and every pair is judged.
   */
  egress?: BootstrapEgress;
}

/** The interfaces (as policies name them: a zone for its members) internet-bound traffic may leave by, and why. */
export interface BootstrapEgress {
  /** One when the routes decide; several when they tie (ECMP), a template may render either, or a route takes some traffic. */
  interfaces: string[];
  /** The routes that chose them and those they won over, located. */
  reason: string;
  /** The same as the routes write them (`port1`, a tunnel, not its zone): the interfaces of the VM they leave by. */
  devices: string[];
}

/**
 * A firewall VM's own policy as its bootstrap configuration writes it (vocabulary/fortiosPolicy.ts): its rules
 * in evaluation order, each policy table (one per VDOM) on its own. Absent: the bootstrap writes no policy.
 */
export interface BootstrapPolicy {
  /** The configuration language: `FortiOS`. */
  language: string;
  tables: BootstrapTable[];
  /**
   * Which file it is and why it is this VM's, when its user data does not name it (a bootstrap.xml of the
   * workspace taken as the bucket's that a CloudFormation parameter names): said in the state reason.
   */
  source?: string;
}

export interface Instance extends ElementBase, InstanceNetworking {
  kind: 'instance';
  /** Its subnet: `subnet_id`, else its primary (device index 0) network interface's subnet. */
  subnet: Ref;
  privateIp?: Val<string>;
  /**
   * A firewall manager (Cisco FMC, Panorama, FortiManager) and why the inputs say so (its image's name filter,
   * its Name tag): a management plane, never an enforcement point; in a firewall's subnet, not a workload.
   */
  manager?: string;
  /**
   * The image lookup its `ami` comes from (`data.aws_ami.x.id`), as decided offline: what ties it to an image a Packer
   * template of the inputs builds (parse/packerImages.ts). Absent: its image is not looked up so.
   */
  image?: ImageLookup;
  /**
   * Why a Packer template of the inputs that builds an AMI is not taken as this instance's image (its lookup does not
   * single it out): said beside "its software is not in the inputs".
   */
  imageNote?: string;
}

/**
 * A `data "aws_ami"` lookup, as far as its arguments are decided: its owners, its `name` and `tag:<key>` filter values
 * (EC2 wildcards `*` and `?`), its `name_regex`, and the names of the filters not read (an attribute of the image, a
 * value not decided). `tags` is not among them: on an aws_ami lookup it is what the image carries, not a filter.
 */
export interface ImageLookup {
  /** Its address (`data.aws_ami.proxy`) and where it is written. */
  data: string;
  loc: SourceLocation;
  /** `owners`, when decided. */
  owners?: string[];
  /** Values of `filter { name = "name" }`, when decided (any one matches). */
  names: string[];
  nameRegex?: string;
  /** `filter { name = "tag:<key>" }`: the key and its values (any one matches). */
  tags: { key: string; values: string[] }[];
  /** Filters not read: their names (or `?` when the name is not decided). */
  others: string[];
}

/**
 * An elastic network interface (`aws_network_interface`, `AWS::EC2::NetworkInterface`). A firewall VM has
 * several (management, inside, outside); routes name them with `network_interface_id`.
 */
export interface NetworkInterface extends ElementBase {
  kind: 'eni';
  subnet: Ref;
  privateIp?: Val<string>;
  /** false: the interface forwards packets not addressed to it. AWS's default is true. */
  sourceDestCheck: Val<boolean>;
  /** The instance it is attached to, when the inputs attach it. */
  instance?: Ref;
  /** Its device index on that instance (0 is the primary interface). */
  deviceIndex?: number;
  /** An elastic IP associated with it (`aws_eip.network_interface`, `aws_eip_association`). */
  eip?: Ref;
}

/** An inspection appliance: a GWLB target, an Azure NVA, a FortiGate/Palo Alto VM. */
export interface Firewall extends ElementBase, InstanceNetworking {
  kind: 'firewall';
  subnet?: Ref;
  vpc?: Ref;
  privateIp?: Val<string>;
  vendor?: string;
  /** The firewall policy it enforces (AWS Network Firewall `firewall_policy_arn`, Azure `firewall_policy_id`), when written. */
  policy?: Ref;
  /** AWS Network Firewall attached to a transit gateway natively (`transit_gateway_id`): the TGW. */
  tgw?: Ref;
  /** Azure Firewall without a policy: classic `threat_intel_mode` (Alert, Deny, Off). */
  threatIntel?: Val<string>;
  /** Azure Firewall deployed in a Virtual WAN hub (`virtual_hub` block): the hub; it has no subnet of ours. */
  virtualHub?: Ref;
  /**
   * An Azure NVA known to be a firewall machine whether or not a route names it yet, and why: a firewall
   * vendor's image, or one of its VM's several forwarding interfaces.
   */
  dedicated?: string;
  /**
   * An Azure NVA's virtual machine's network interfaces (ids, the primary first), when that VM has two or more
   * forwarding ones: what the appliance receives on one it may send out of another (`associatePublicIp` true
   * marks those with a public IP of their own).
   */
  machineNics?: string[];
}

/**
 * One rule of a firewall rule group, reduced to what decides the egress posture (src/analysis/firewallPolicy).
 * `reject`/`Deny` read as drop; an action the inputs do not decide is 'unknown'.
 */
export interface FirewallRule {
  action: 'pass' | 'drop' | 'alert' | 'unknown';
  /** Which destinations it matches: every internet destination, or some (domains, addresses, geos). */
  dest: 'any' | 'some';
  /** Which traffic: every protocol and port, web only (HTTP/HTTPS, TLS SNI), or some. */
  proto: 'any' | 'web' | 'some';
  /**
   * AWS rules: every destination address matches, though `dest` is 'some' because the rule names ports (a 5-tuple or
   * Suricata header to ANY on port 443): what it passes reaches any internet host on those ports.
   */
  anyAddress?: true;
  /** Short text for reasons (`ALLOWLIST of 2 domains`, `drop ip $HOME_NET any -> any any`). */
  what: string;
  /**
   * The source addresses it matches, as written (CIDRs, addresses, `a-b` ranges; IP groups as their CIDRs;
   * AWS rule variables as `$NAME`, `$HOME_NET` for the addresses the firewall calls home, which analysis
   * expands for the firewall that enforces the rule); absent for any source. Unresolved when which sources it
   * matches cannot be decided offline.
   */
  sources?: Val<string[]>;
  /**
   * Azure Firewall: where the rule stands in the firewall's processing order: its collection's kind (network rules
   * are processed before application rules, whatever the priorities) and its collection's `priority` (lowest first;
   * the rule collection group's priority is its group's). Absent for AWS rules, which carry their order otherwise.
   */
  azureOrder?: { layer: 'network' | 'application'; priority: Val<number> };
  /**
   * AWS rules whose destination names rule variables or IP set references (`$ALLOWED`, `@EGRESS_PL`, `[$A,@B]`),
   * as written, when nothing else narrows it: analysis expands them for the firewall, and when they then hold every
   * address the rule matches any destination (`dest` 'any', or `anyAddress` when `ports` is 'some'). A name not
   * known offline leaves the rule undecided (review s16 R4). `negate`: the rule matches every address outside them
   * (`!$RFC1918`, `!@PL`), every internet address when they hold private ranges only.
   */
  variableDest?: { items: string[]; ports: 'any' | 'some'; negate?: true };
  /** Set by analysis: why the sets of `variableDest` are not known offline (the rule may match every address or some). */
  undecidedDest?: string;
}

/**
 * AWS Network Firewall rule variables (IP sets) by name (`HOME_NET`, `SPOKE_VPCS`), each a list of CIDRs as
 * written (an item or the whole list Unresolved when not decidable offline). Unresolved as a whole when which
 * variables are defined cannot be decided (a `dynamic` block, an intrinsic).
 */
export type RuleVariables = Val<Record<string, Val<string[]>>>;

/**
 * One AWS Network Firewall stateless rule (`stateless_rule` / `StatelessRules`), reduced to what decides which
 * internet-bound packets it takes: its standard action (custom actions only publish metrics), the sources
 * it names, and how far its destination, protocol, port and TCP flag attributes narrow it.
 */
/** The packets of one address family a stateless rule matches. */
export interface StatelessReach {
  /** Source CIDRs of the family it matches; empty for any source. */
  sources: string[];
  /** Destinations: every internet address, some, or none (none of the family, or private ranges only: never internet-bound). */
  dest: 'any' | 'some' | 'none';
}

export interface StatelessRule {
  /** Order within its group, lowest first; Unresolved when not decidable offline. */
  priority: Val<number>;
  action: 'pass' | 'drop' | 'forward' | 'unknown';
  /** What it matches of IPv4 packets and of IPv6 packets: a rule written for one family matches none of the other. */
  v4: StatelessReach;
  v6: StatelessReach;
  /** Protocols, ports and TCP flags: every packet, or some. */
  proto: 'any' | 'some';
  /** A match attribute the inputs do not decide: which packets it takes is unknown. */
  undecided?: string;
  /** Short text for reasons (`drop 0.0.0.0/0 -> 0.0.0.0/0 proto 1`). */
  what: string;
}

/**
 * A firewall policy: AWS Network Firewall's (stateless and stateful default actions, rule order, rule group
 * references) or Azure Firewall's (its rule collection groups name it). Values as written, vocabulary of
 * each vendor (`aws:forward_to_sfe`, `STRICT_ORDER`, `Alert`).
 */
export interface FirewallPolicy extends ElementBase {
  kind: 'firewallPolicy';
  vendor: 'AWS Network Firewall' | 'Azure Firewall';
  statelessDefault?: Val<string>[];
  statefulDefault?: Val<string>[];
  ruleOrder?: Val<string>;
  statelessGroups?: Ref[];
  /** The `priority` of each stateless group reference, in the order of `statelessGroups` (lowest runs first). */
  statelessPriorities?: Val<number>[];
  statefulGroups?: Ref[];
  /** Each stateful group reference's `priority` (strict order evaluates the groups by it), parallel to statefulGroups. */
  statefulPriorities?: Val<number>[];
  /**
   * Each stateful group reference's `override.action` when written (`DROP_TO_ALERT`: an AWS managed group's drops
   * only alert; AWS applies it to managed groups only), parallel to statefulGroups.
   */
  statefulOverrides?: (Val<string> | undefined)[];
  /**
   * AWS: policy variables (`policy_variables` / `PolicyVariables`): HOME_NET for every rule group of the
   * policy that does not define its own. Absent: HOME_NET is the CIDRs of the firewall's VPC.
   */
  variables?: RuleVariables;
  /** Azure: threat intelligence mode (Alert by default, Deny, Off). */
  threatIntel?: Val<string>;
  /** Azure: the parent policy it inherits from (`base_policy_id`), whose rule collections Azure applies first. */
  basePolicy?: Ref;
}

/**
 * A rule group (AWS `aws_networkfirewall_rule_group` / `AWS::NetworkFirewall::RuleGroup`) or an Azure rule
 * collection group or classic rule collection. `rules` is Unresolved when the rules cannot be read offline.
 */
export interface FirewallRuleGroup extends ElementBase {
  kind: 'firewallRuleGroup';
  vendor: 'AWS Network Firewall' | 'Azure Firewall';
  /** AWS: STATELESS / STATEFUL. Azure rule collections are all 'stateful'. */
  stage: 'stateless' | 'stateful';
  rules: Val<FirewallRule[]>;
  /** AWS STATELESS groups: their rules (`rules` is empty for them). */
  statelessRules?: Val<StatelessRule[]>;
  /** AWS stateful groups: their rule variables (`rule_variables.ip_sets` / `RuleVariables.IPSets`), which win over the policy's. */
  variables?: RuleVariables;
  /**
   * AWS stateful groups: their IP set references by name (`reference_sets.ip_set_references` /
   * `ReferenceSets.IPSetReferences`), each the managed prefix list (or resource group) its ARN names; rules write them `@NAME`.
   */
  ipSetReferences?: Val<Record<string, Ref>>;
  /** Azure: the policy (rule collection group) or the firewall (classic collection) it belongs to. */
  owner?: Ref;
  /** Azure: a rule collection group's `priority` (lowest first); absent for a classic collection. */
  priority?: Val<number>;
}

/**
 * Where a firewall delivers its logs: an AWS Network Firewall's (`aws_networkfirewall_logging_configuration` /
 * `AWS::NetworkFirewall::LoggingConfiguration`: alert rules log only through an ALERT destination), or an Azure
 * Firewall's diagnostic setting (`azurerm_monitor_diagnostic_setting`: its log categories, `allLogs` for a category
 * group of all of them or a block per category the firewall has).
 */
export interface FirewallLogging extends ElementBase {
  kind: 'firewallLogging';
  /** The firewall it configures. */
  firewall: Ref;
  /** The log types it delivers (`ALERT`, `FLOW`, `TLS`; Azure categories `AZFWThreatIntel`, `allLogs`), as written. */
  logTypes: Val<string>[];
}

/**
 * A Palo Alto Cloud NGFW rulestack (`cloudngfwaws_rulestack`): its name (how an NGFW and its rules name it) and the
 * security profiles it applies to every session its rules allow (`profile_config`, with the provider's defaults).
 */
export interface NgfwRulestack extends ElementBase {
  kind: 'ngfwRulestack';
  rulestackName: Val<string>;
  /** `Local` or `Global` (Firewall Manager's pre- and post-rules). */
  scope: Val<string>;
  /** The profiles in force (`vulnerability BestPractice`, ...); empty when every one is `None`. */
  profiles: string[] | { unknown: string };
}

/**
 * One security rule of a Cloud NGFW rulestack (`cloudngfwaws_security_rule`), read as a firewall VM's bootstrap rule
 * (vocabulary/cloudNgfwPolicy.ts) and ordered with the rulestack's others at analysis (analysis/firewallPolicy/cloudNgfw.ts).
 */
export interface NgfwRule extends ElementBase {
  kind: 'ngfwRule';
  /** The rulestack's name, as the rule names it; undefined when not written (the rule is in no rulestack). */
  rulestack?: Val<string>;
  /** `PreRule`, `LocalRule` or `PostRule` (the provider's default is `PreRule`). */
  ruleList: Val<string>;
  /** Lower first within its list. */
  priority: Val<number>;
  /** The rule, its `profiles` empty: the rulestack's apply to what it allows. */
  rule: BootstrapRule;
  /** Set on the stand-in of rules a `for_each`/`count` makes that cannot be decided offline. */
  undecided?: Unresolved;
}

/** What a Cloud NGFW (`cloudngfwaws_ngfw`) says of the policy it enforces. */
export interface CloudNgfwPolicyRef {
  /** The rulestack's name (through `cloudngfwaws_commit_rulestack`, as the provider documents). */
  rulestack: Val<string>;
  /** A global rulestack (Firewall Manager): its pre- and post-rules come before and after the local rules. */
  globalRulestack?: Val<string>;
  /** A link to Panorama or Strata Cloud Manager (`link_id`), which may push a policy of its own. */
  linkId?: Val<string>;
}

export interface TransitGateway extends ElementBase {
  kind: 'tgw';
  defaultRouteTableAssociation?: boolean;
  defaultRouteTablePropagation?: boolean;
}

export interface TgwAttachment extends ElementBase {
  kind: 'tgwAttachment';
  tgw: Ref;
  vpc: Ref;
  subnets: Ref[];
  applianceMode: Val<boolean>;
  /** TGW route table this attachment is associated with. */
  routeTable?: Ref;
  /**
   * Whether AWS associates it with its TGW's default route table, as the configuration creating it says
   * (Terraform, CloudFormation): false when the TGW's default association is disabled or the attachment opts out
   * (`transit_gateway_default_route_table_association = false`), Unresolved when that flag cannot be decided.
   * Absent: not said (a CLI export lists the associations as they are, or lacks them).
   */
  defaultAssociation?: Val<boolean>;
  /**
   * An association the inputs write but cannot place may name it (a table or an attachment id not decided
   * offline): where and why. Set by the parsers; the attachment's table is then not known to be none.
   */
  associationUndecided?: string;
}

export interface TgwRoute {
  id: string;
  loc: SourceLocation;
  destination: Val<string>;
  attachment?: Ref;
  blackhole: boolean;
}

export interface TgwRouteTable extends ElementBase {
  kind: 'tgwRouteTable';
  tgw: Ref;
  routes: TgwRoute[];
  /** Attachments associated with this table. */
  associations: Ref[];
  propagations: Ref[];
  /** Attachments whose propagation here cannot be decided offline (a flag written as an unknown value). */
  undecidedPropagations?: { attachment: string; why: Unresolved }[];
  /** The TGW's default route table (AWS creates it): attachments outside the inputs join it by default too. */
  isDefault?: true;
}

export interface VpcPeering extends ElementBase {
  kind: 'peering';
  vpc: Ref;
  peerVpc: Ref;
  /**
   * Azure: whether `vpc` takes traffic forwarded into it from `peerVpc` that did not start there
   * (`allow_forwarded_traffic`, `allowForwardedTraffic`; false when not written). domain.md, Azure hub and spoke.
   */
  allowForwardedTraffic?: Val<boolean>;
}

export interface PrefixList extends ElementBase {
  kind: 'prefixList';
  cidrs: Val<string>[];
}

/**
 * An Aviatrix egress FQDN filter (`aviatrix_fqdn`) attached to a standalone gateway by its `gw_filter_tag_list`: a
 * white list lets only the names it lists out (any TCP/UDP), a black list drops only those.
 */
export interface FqdnFilter {
  /** `fqdn_tag`, as written. */
  tag: string;
  loc: SourceLocation;
  /** `fqdn_mode`: `white` or `black` (the provider's default is white). */
  mode: Val<string>;
  /** `fqdn_enabled` (the provider's default is true). */
  enabled: Val<boolean>;
  /** Domains the inputs give it (`domain_names` blocks, `aviatrix_fqdn_tag_rule`s of its tag), as written. */
  domains: Val<string>[];
}

/**
 * Aviatrix gateway: a spoke or transit, or a standalone gateway (`aviatrix_gateway`, role `egress`): with SNAT it is
 * its VPC's egress FQDN gateway, to which the controller points the private route tables' 0.0.0.0/0.
 */
export interface AviatrixGateway extends ElementBase {
  kind: 'aviatrixGateway';
  role: 'spoke' | 'transit' | 'egress';
  /** Egress only: the FQDN filters attached to it (none: its SNAT egress is unfiltered). */
  fqdnFilters?: FqdnFilter[];
  /** The VPC/VNet it is deployed in: a model vpc id when known, else Unresolved (e.g. a literal vpc-id not in the inputs). */
  vpc: Ref;
  /** Literal VPC id / VNet as written (`vpc-0abc`, `vnet-name:rg:guid`), for display and matching. */
  vpcIdText?: string;
  /** aviatrix cloud_type: 1 AWS, 4 GCP, 8 Azure, ... mapped to Cloud. */
  gwCloud: Cloud;
  size: Val<string>;
  haSize?: Val<string>;
  /**
   * Local egress with SNAT: `single_ip_snat` / `enable_snat`, or an `aviatrix_gateway_snat` whose customized
   * policies translate traffic toward the internet (Unresolved when they cannot be decided offline).
   */
  snat: Val<boolean>;
  /** Where an `aviatrix_gateway_snat` (customized SNAT) sets this gateway's SNAT policies. */
  customizedSnat?: SourceLocation;
  /** Transit only: transit egress capability (legacy egress). */
  egressCapability?: Val<boolean>;
  /** Spoke only: the transit gateway it attaches to. */
  transit?: Ref;
  /** CIDR of the subnet the gateway is launched in (`subnet`), and of its HA gateway's (`ha_subnet`). */
  subnetCidr?: Val<string>;
  haSubnetCidr?: Val<string>;
  /**
   * CIDR of a subnet given for an HA gateway that is not launched (mc-spoke / mc-transit `hagw_subnet` with `ha_gw`
   * false or not decidable offline): Aviatrix plumbing reserved for the HA peer, not a workload subnet, while it
   * holds nothing (ModelIndex.subnetRole).
   */
  reservedHaSubnetCidr?: Val<string>;
  /**
   * Whether the controller programs a route to this gateway for 0.0.0.0/0 into its AWS VPC's private route tables,
   * when the inputs say so otherwise than by its SNAT setting: customized SNAT (`aviatrix_gateway_snat`) policies
   * toward 0.0.0.0/0 (or no `dst_cidr`) program it unless each sets `apply_route_entry = false`. Absent: as
   * `snat` says (single IP SNAT programs it). analysis/trace/route.ts.
   */
  privateDefaultRoute?: Val<boolean>;
  /**
   * Per customized SNAT policy that programs that default route, the route tables its `exclude_rtb` keeps it out of
   * (table ids, or Unresolved); absent when some such policy excludes none.
   */
  privateDefaultRouteExcluded?: Ref[][];
}

export interface DcfConfig extends ElementBase {
  kind: 'dcfConfig';
  enabled: Val<boolean>;
}

export type DcfProtocol = 'tcp' | 'udp' | 'icmp' | 'any';

export interface PortRange {
  lo: number;
  hi: number;
}

export interface DcfPolicy extends ElementBase {
  kind: 'dcfPolicy';
  /** The policy list or ruleset it belongs to. */
  list?: string;
  priority: number;
  /**
   * Normalised action; inspection variants are permit with `inspect`. `unknown` when the inputs cannot
   * decide it (a variable, a module output): never read as PERMIT.
   */
  action: 'permit' | 'deny' | 'unknown';
  /** As written: PERMIT, DENY, DEEP_PACKET_INSPECTION_PERMIT, ... */
  rawAction: string;
  inspect: boolean;
  srcGroups: Ref[];
  dstGroups: Ref[];
  webGroups: Ref[];
  protocol: DcfProtocol;
  /** Empty = all ports. */
  ports: PortRange[];
  logging: boolean;
  watch: boolean;
  /** False when written as disabled/excluded; default true. */
  enabled: boolean;
}

/** One `match_expressions` block: its fields are AND-ed. Several selectors in a group are OR-ed. */
export interface SmartGroupSelector {
  cidr?: string;
  /** Resource type: vm, vpc, subnet, k8s, ... */
  type?: string;
  name?: string;
  tags?: Record<string, string>;
  accountId?: string;
  accountName?: string;
  region?: string;
  zone?: string;
  k8sClusterId?: string;
  k8sNamespace?: string;
  k8sService?: string;
  /** Anything the parser could not interpret, kept for display. */
  other?: Record<string, string>;
}

export interface SmartGroup extends ElementBase {
  kind: 'smartGroup';
  uuid?: string;
  /** Predefined groups: def000ad-...0000 Anywhere, ...0001 Public Internet. */
  builtin?: 'anywhere' | 'publicInternet';
  selectors: SmartGroupSelector[];
}

export interface WebGroup extends ElementBase {
  kind: 'webGroup';
  uuid?: string;
  /** def000ad-...0002 AllWeb. */
  builtin?: 'allWeb';
  /** snifilter values: `example.com`, `*.example.com`. */
  domains: string[];
  /** urlfilter values. */
  urls: string[];
}

/** Synchronised from outside (GitHub, Azure service tags): members unknowable offline. */
export interface ExternalGroup extends ElementBase {
  kind: 'externalGroup';
  uuid?: string;
  source?: string;
}

export type NetworkElement =
  | Vpc
  | Subnet
  | RouteTable
  | RouteTableAssociation
  | InternetGateway
  | VpnGateway
  | NatGateway
  | ElasticIp
  | GwlbEndpoint
  | EndpointService
  | GatewayLoadBalancer
  | TargetGroup
  | Instance
  | NetworkInterface
  | Firewall
  | FirewallPolicy
  | FirewallRuleGroup
  | FirewallLogging
  | NgfwRulestack
  | NgfwRule
  | TransitGateway
  | TgwAttachment
  | TgwRouteTable
  | VpcPeering
  | PrefixList
  | AviatrixGateway
  | DcfConfig
  | DcfPolicy
  | SmartGroup
  | WebGroup
  | ExternalGroup
  | VirtualHubConnection
  | RoutingIntent
  | HubRouteTable
  | HubRoute
  | VnetGateway
  | VnetGatewayConnection
  | LocalNetworkGateway
  | HubVpnGateway
  | VpnSite
  | HubVpnConnection
  | LoadBalancer
  | UnmodelledResource;

/**
 * An Azure Virtual WAN hub's connection to a VNet (`azurerm_virtual_hub_connection`): the hub programs its
 * routes into the VNet; with internet security on, the 0.0.0.0/0 it has (routing intent) too.
 */
export interface VirtualHubConnection extends ElementBase {
  kind: 'virtualHubConnection';
  /** The connected VNet. */
  vpc: Ref;
  /** The virtual hub (an unmodelled element). */
  hub: Ref;
  /** `internet_security_enabled` (propagate the default route), false when not written. */
  internetSecurity: Val<boolean>;
  /**
   * `routing.associated_route_table_id`: the hub route table whose routes the VNet learns. Not set when no
   * `routing` block writes it (the hub's default route table); Unresolved when the id or the block is undecided.
   */
  associatedTable?: Ref;
  /** Why the connection's own routing is not followed (static VNet routes, route maps), when it writes any. */
  routingNotFollowed?: string;
}

/** A static route of a Virtual WAN hub route table (a `route` block of the table, or its own resource). */
export interface HubRouteEntry {
  /** `name`, as written. */
  routeName: string;
  /** `destinations_type`: `CIDR`, `ResourceId` or `Service`. */
  destinationsType: Val<string>;
  destinations: Val<string>[];
  /** `next_hop_type`: `ResourceId` (the provider's default). */
  nextHopType: Val<string>;
  /** The next hop: the hub's Azure Firewall, or a hub connection (an NVA in its VNet). */
  nextHop: Ref;
}

/**
 * A Virtual WAN hub route table (`azurerm_virtual_hub_route_table`). Azure names a hub's default route table
 * `defaultRouteTable` (a table of that name is the default one, brought under Terraform by import).
 */
export interface HubRouteTable extends ElementBase {
  kind: 'hubRouteTable';
  hub: Ref;
  tableName: Val<string>;
  /** Its inline `route` blocks. */
  routes: HubRouteEntry[];
  /** Why some of its routes cannot be read (a `dynamic "route"` whose for_each is undecided). */
  undecidedRoutes?: string;
}

/**
 * A static route of a hub route table written as its own resource (`azurerm_virtual_hub_route_table_route`).
 * Its table: a hub's `default_route_table_id` (`<hub>.default_route_table`), or a hub route table.
 */
export interface HubRoute extends ElementBase, HubRouteEntry {
  kind: 'hubRoute';
  table: Ref;
}

/** A Virtual WAN hub's routing intent (`azurerm_virtual_hub_routing_intent`): where the hub sends each kind of traffic. */
export interface RoutingIntent extends ElementBase {
  kind: 'routingIntent';
  hub: Ref;
  /** One per routing policy: `Internet` or `PrivateTraffic`, and the next hop (the hub's firewall or NVA). */
  policies: { destinations: Val<string>[]; nextHop: Ref }[];
}

/**
 * An Azure VPN or ExpressRoute gateway in a VNet's GatewaySubnet (`azurerm_virtual_network_gateway`): it
 * programs the routes of its connections (static prefixes, and with BGP what the peer advertises) into every
 * subnet of the VNet, unless a subnet's route table turns gateway route propagation off.
 */
export interface VnetGateway extends ElementBase {
  kind: 'vnetGateway';
  /** The subnets of its `ip_configuration` blocks (GatewaySubnet). */
  subnets: Ref[];
  /** `type`: `Vpn` or `ExpressRoute`. */
  gatewayType: Val<string>;
  /** `enable_bgp` / `bgp_enabled`, false when not written. */
  bgp: Val<boolean>;
  /** Point-to-site client address pools (`vpn_client_configuration.address_space`): routed to the gateway. */
  clientPools: Val<string>[];
}

/** A connection of a VNet gateway (`azurerm_virtual_network_gateway_connection`). */
export interface VnetGatewayConnection extends ElementBase {
  kind: 'vnetGatewayConnection';
  gateway: Ref;
  /** `type`: `IPsec`, `Vnet2Vnet` or `ExpressRoute`. */
  connectionType: Val<string>;
  /** `enable_bgp` / `bgp_enabled`, false when not written. */
  bgp: Val<boolean>;
  /** IPsec: the local network gateway standing for the other end. */
  localGateway?: Ref;
  /** Vnet2Vnet: the other VNet's gateway. */
  peerGateway?: Ref;
}

/** The other end of an IPsec connection as Azure sees it (`azurerm_local_network_gateway`). */
export interface LocalNetworkGateway extends ElementBase {
  kind: 'localNetworkGateway';
  /** `address_space`: the prefixes routed to it statically. */
  addressSpace: Val<string>[];
  /** The resource its `gateway_address` is an attribute of (a Virtual WAN hub's VPN gateway), when written so. */
  remote?: string;
}

/** A Virtual WAN hub's site-to-site VPN gateway (`azurerm_vpn_gateway`). */
export interface HubVpnGateway extends ElementBase {
  kind: 'hubVpnGateway';
  hub: Ref;
}

/** A Virtual WAN VPN site (`azurerm_vpn_site`): the resources its links' addresses are attributes of. */
export interface VpnSite extends ElementBase {
  kind: 'vpnSite';
  peers: string[];
}

/** A hub VPN gateway's connection to a site (`azurerm_vpn_gateway_connection`). */
export interface HubVpnConnection extends ElementBase {
  kind: 'hubVpnConnection';
  vpnGateway: Ref;
  site: Ref;
  /** `internet_security_enabled` (propagate the hub's default route), false when not written. */
  internetSecurity: Val<boolean>;
  /** `bgp_enabled` of each `vpn_link` (false when not written). */
  linksBgp: Val<boolean>[];
  /** `routing.associated_route_table`: not set when not written (the hub's default route table). */
  associatedTable?: Ref;
}

/**
 * A resource of a type the model does not understand that can change where packets go (a CloudFormation
 * custom resource naming a route table, a script run by Terraform, a Transit Gateway Connect, Cloud NAT).
 * It is kept, never dropped: a path through what it touches is Unknown, with it as the reason.
 */
export interface UnmodelledResource extends ElementBase {
  kind: 'unmodelled';
  /** The type as written: `Custom::ReplaceRoute`, `null_resource`, `google_compute_router_nat`. */
  resourceType: string;
  /** What it may do to packets, in a few words (`a Lambda-backed custom resource may rewrite routes`). */
  what: string;
  /**
   * The elements it names (route tables, subnets, gateways, VPCs), resolved like any reference. A VPC
   * stands for everything in it (a script that gets the VPC id may change any of its routes).
   */
  touches: Ref[];
  /**
   * The destination prefixes it writes routes for, when its properties name them (a custom resource's
   * `DestCidr`): it cannot change the lookup of an address outside every one of them. Absent, or any
   * of them unresolved: it may change any route of what it touches.
   */
  destinations?: Val<string>[];
  /**
   * `endpoint`: something packets are sent to, which writes no route (a VPC endpoint whose type cannot be
   * decided). It touches no route table: a route to it is Unknown where the route is followed, and so is
   * the egress of a subnet it is placed in (`touches`), whose role (endpoint subnet or workload subnet)
   * cannot be decided.
   * `gateway`: a route writer placed in a subnet (an Azure Route Server in RouteServerSubnet) that writes
   * the routes it learns into every subnet of that subnet's VNet: it touches the VNet.
   * `attachment`: a Cloud WAN VPC attachment (its interfaces in the subnets it names, `touches` holding them and
   * the VPC), which writes no route of the VPC: only a route naming the core network sends traffic to it
   * (docs/domain.md, "Cloud WAN").
   * `corePeering`: a Cloud WAN peering with a transit gateway (`touches` holding the TGW), which writes no route
   * itself: the TGW's route tables attached to the core network (`coreRoutes`) get the core network's routes.
   * `coreRoutes`: a Cloud WAN attachment of a transit gateway route table (`touches` holding the table and the
   * peering): the core network propagates its routes into that table (trace/cloudWan.ts, fromTgwToCoreNetwork).
   * `corePolicy`: a Cloud WAN core network policy attachment (`touches` holding the core network), which gives the
   * core network its policy document (`corePolicy`) and writes no route itself. `coreAccepter`: the acceptance of
   * a Cloud WAN attachment (`touches` holding it), which a segment may require before the attachment carries traffic.
   * `chain`: a network interface chained to a Gateway Load Balancer (Azure; `touches` holding its subnet): the traffic of
   * its public IP passes appliances the model does not follow, so the subnet's egress is Unknown; it writes no route.
   */
  role?: 'endpoint' | 'gateway' | 'attachment' | 'corePeering' | 'coreRoutes' | 'corePolicy' | 'coreAccepter' | 'chain';
  /**
   * A Cloud WAN core network (or a policy attachment, role `corePolicy`): its policy document's JSON text as the
   * inputs write it, Unresolved when not known offline (trace/corePolicy.ts reads it).
   */
  corePolicy?: Val<string>;
  /**
   * The core network's `corePolicy` is its base policy (Terraform `create_base_policy` with `base_policy_document`):
   * live until a policy attachment puts another, which then is the live one.
   */
  corePolicyBase?: true;
  /**
   * A Cloud WAN attachment (role `attachment`): its tags as the core network's attachment policies see them (the
   * provider's default tags under its own), a value not known offline Unresolved; Unresolved as a whole when the
   * map itself is not known.
   */
  coreTags?: Record<string, Val<string>> | Unresolved;
  /** A Palo Alto Cloud NGFW (`cloudngfwaws_ngfw`): the rulestack it enforces, when written. */
  cloudNgfw?: CloudNgfwPolicyRef;
  /**
   * An Aviatrix FireNet (`aviatrix_firenet`): whether it steers transit traffic to its firewalls for inspection
   * (`inspection_enabled`, true by default) and sends internet egress out through them (`egress_enabled`, false by
   * default).
   */
  firenet?: { inspection: Val<boolean>; egress: Val<boolean> };
  /** An Aviatrix FireNet firewall VM (`aviatrix_firewall_instance`): its `firewall_image` as written. */
  firewallImage?: string;
}

/** Narrow a NetworkElement union by kind (InternetGateway answers both 'igw' and 'eigw'). */
export type ElementOf<K extends ElementKind> = NetworkElement extends infer E
  ? E extends { kind: infer EK }
    ? K extends EK
      ? E
      : never
    : never
  : never;

/** The merged model of a whole workspace. Elements keyed by id, in a stable (sorted) order. */
export interface NetworkModel {
  elements: NetworkElement[];
  /**
   * Some element was created by a child module call (ElementBase.moduleCalls), so findings may need the calls
   * behind them. Set by the parse, which sees each element once, so analysis need not look at every element again.
   */
  moduleInstances?: true;
  /** The `egress-lens:ignore` acceptances the inputs write (absent when none): the analysis applies them to findings. */
  suppressions?: Suppression[];
}

/** Well-known Aviatrix UUIDs, identical on every controller. */
export const AVIATRIX_ANYWHERE_UUID = 'def000ad-0000-0000-0000-000000000000';
export const AVIATRIX_PUBLIC_INTERNET_UUID = 'def000ad-0000-0000-0000-000000000001';
export const AVIATRIX_ALL_WEB_UUID = 'def000ad-0000-0000-0000-000000000002';

/**
 * An Azure internal load balancer (`azurerm_lb` with a private frontend): a UDR may name a frontend's address
 * as its next hop (VirtualAppliance), the HA ports design in front of network virtual appliances. Its rules
 * hand the flows arriving at a frontend to the members of their backend pools (analysis/trace/azure.ts).
 */
export interface LoadBalancer extends ElementBase {
  kind: 'loadBalancer';
  /** Its private frontends (`frontend_ip_configuration` with a subnet). */
  frontends: LbFrontend[];
  /** Load-balancing rules (`azurerm_lb_rule`). */
  rules: LbRule[];
  /** Backend pools (`azurerm_lb_backend_address_pool`) and what the inputs put in them. */
  pools: LbPool[];
}

export interface LbFrontend {
  name: string;
  /** The static private address, when written. */
  privateIp?: Val<string>;
  subnet?: Ref;
}

export interface LbRule {
  id: string;
  name: string;
  loc: SourceLocation;
  /** `frontend_ip_configuration_name`. */
  frontend: Val<string>;
  /** `Tcp`, `Udp` or `All`. */
  protocol: Val<string>;
  frontendPort: Val<number>;
  backendPort: Val<number>;
  /** Its backend pools (pool ids: `LbPool.id`). */
  pools: Ref[];
}

export interface LbPool {
  /** The pool resource's id (`azurerm_lb_backend_address_pool.x`). */
  id: string;
  name: string;
  loc: SourceLocation;
  members: LbMember[];
}

/**
 * One member of a backend pool, as the inputs put it there: a NIC's IP configuration
 * (`azurerm_network_interface_backend_address_pool_association`) or an address
 * (`azurerm_lb_backend_address_pool_address`). At most one of `appliance`, `nonForwarding`, `ip` and `open`.
 */
export interface LbMember {
  /** The resource that puts it in the pool. */
  via: string;
  loc: SourceLocation;
  /** A forwarding NIC of the inputs (a `firewall` element, an NVA). */
  appliance?: string;
  /** A NIC of the inputs whose IP forwarding is surely off. */
  nonForwarding?: NonForwardingNic;
  /** An address member: whoever holds it (the analysis looks it up). */
  ip?: string;
  /** What the inputs leave open: a NIC whose forwarding cannot be decided, one not in the inputs, an address not known offline. */
  open?: Unresolved;
}
