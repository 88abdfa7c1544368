// aws provider resources -> model elements. Cross-resource facts (aws_route into its table,
// target group attachments, the default route table) are settled in Collector post steps.
import type {
  ImageLookup,
  ElasticIp,
  EndpointService,
  Firewall,
  GatewayLoadBalancer,
  GwlbEndpoint,
  Instance,
  InternetGateway,
  NatGateway,
  NetworkElement,
  NetworkInterface,
  PrefixList,
  Ref,
  Route,
  RouteInput,
  RouteTable,
  RouteTableAssociation,
  RouteTarget,
  SourceLocation,
  Subnet,
  TargetGroup,
  TgwAttachment,
  TgwRouteTable,
  TransitGateway,
  UnmodelledResource,
  Val,
  Vpc,
  VpcPeering,
  VpnGateway,
  WrittenValue,
} from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import { EndpointPick, RefVal, Unknown, asBool, asNumber, asString, knownParts, type Value } from './values';
import { parseCidr } from '../../model/cidr';
import { resourceShape } from '../../model/refs';
import { subnetOutsideNetwork } from '../subnetRange';
import { where } from '../../model/where';
import { evaluate } from './evaluate';
import type { Span } from './ast';
import { firewallManager, ngfwBootstrap, ngfwFromTexts, type NgfwBootstrap } from '../vocabulary/ngfw';
import { applianceEvidence, forwardProxy } from '../vocabulary/appliance';
import { bootstrapXmlTexts, locatedParts, userDataTexts, type BootstrapText } from './userData';
import { panosBootstrapXml } from '../vocabulary/panosPolicy';
import { deviceIndexProblems, type LaunchSlot } from '../vocabulary/deviceIndex';
import { networkFirewallEndpointId } from './computed';
import { undecidedRoute, undecidedRoutes } from './undecidedRoutes';
import {
  BlockView,
  RANGES_OPEN,
  TfResource,
  defaultTableId,
  resourceTypeOf,
  tfAddress,
  tgwDefaultTableId,
  type Collector,
  type Res,
} from './emit';
import {
  DEFAULT_ENDPOINT_TYPE,
  DESTINATION_FIELDS,
  ENI_FIELDS,
  GWLB_ENDPOINT_TYPE,
  SOURCE_DEST_CHECK_DEFAULT,
  GWLB_TYPE,
  CLIENT_LB_TYPES,
  ROUTE_TARGET_TF_ATTRS,
  endpointTargetKind,
  routeTarget,
} from '../vocabulary/aws';

export type Mapper = (r: Res) => void;

function refType(ref: Ref | undefined): string | undefined {
  return typeof ref === 'string' ? resourceTypeOf(ref) : undefined;
}

function get<T extends NetworkElement['kind']>(
  out: Collector,
  ref: Ref | undefined,
  ...kinds: T[]
): Extract<NetworkElement, { kind: T }> | undefined {
  if (typeof ref !== 'string') return undefined;
  const id = out.aliases.get(ref) ?? ref;
  const el = out.byId.get(id);
  return el && (kinds as string[]).includes(el.kind) ? (el as Extract<NetworkElement, { kind: T }>) : undefined;
}

/** The resource type an element id names (`module.x.aws_vpc.a` -> `aws_vpc`); undefined for literal ids. */
function addressType(ref: Ref | undefined): string | undefined {
  const t = refType(ref);
  return t !== undefined && t.startsWith('aws_') ? t : undefined;
}

/** The target of an aws route, from whichever target argument is set. */
export function awsRouteTarget(b: BlockView): RouteTarget {
  const t = routeTarget('tf', (f) => (b.has(f) ? b.ref(f) : undefined), addressType);
  // A position of a Network Firewall's unordered sync_states: some endpoint of that firewall (RouteTarget.pick).
  const v = t.kind === 'gwlbe' && isUnresolved(t.ref) ? b.value('vpc_endpoint_id') : undefined;
  if (v instanceof EndpointPick) {
    const firewall = v.endpoints[0].slice(0, v.endpoints[0].indexOf('/endpoint/'));
    const at = v.zone !== undefined ? { zone: v.zone } : { position: v.position };
    return { ...t, pick: { firewall, ...at, endpoints: [...v.endpoints] } };
  }
  return t;
}

export function awsRouteDestination(b: BlockView): Route['destination'] {
  // Inline route blocks say cidr_block; aws_route says destination_cidr_block.
  for (const attr of ['cidr_block', DESTINATION_FIELDS.cidr[0].tf, 'ipv6_cidr_block', DESTINATION_FIELDS.cidr[1].tf]) {
    const c = b.cidr(attr);
    // An IPv6 destination not known offline still never holds an IPv4 address (routing.ts lookupRoute).
    const v6 = attr === 'ipv6_cidr_block' || attr === DESTINATION_FIELDS.cidr[1].tf;
    if (c !== undefined && c !== '') return { cidr: v6 ? withFamily(c, 6) : c };
  }
  const p = b.ref(DESTINATION_FIELDS.prefixList.tf);
  if (p !== undefined) return { prefixList: p };
  return { cidr: unresolved('', 'route has no destination') };
}

function routesOf(r: Res, tableId: string): Route[] {
  const views = r.blocks('route');
  // Attributes-as-blocks form: `route = [{ cidr_block = ..., nat_gateway_id = ... }]`.
  const list = views.length === 0 ? r.value('route') : undefined;
  if (Array.isArray(list)) {
    const span = r.valueSpan('route');
    for (const item of list) {
      if (item instanceof Map) views.push(new BlockView(r.out, r.src, r.block, r.scope, span, (n) => item.get(n)));
    }
  }
  const routes: Route[] = views.map((b, n) => ({
    id: `${tableId}#${n}`,
    loc: b.loc(),
    destination: awsRouteDestination(b),
    target: awsRouteTarget(b),
    state: 'active' as const,
    // Only a written `route` block has ranges of its own (not a dynamic block's content, shared by every
    // iteration, nor an object in a `route = [...]` list).
    ...(b.block.type === 'route' && b.locSpan === b.block.span ? targetValueOf(b) : {}),
    ...inputOf(r, b),
  }));
  // `route = var.routes` written but not known offline: its routes are undecided, not absent (a plan shows an
  // unwritten `route` as unknown too: computed from the aws_route resources, no undecided route of its own).
  if (list instanceof Unknown && r.block.attrs.has('route'))
    routes.push(undecidedRoute(`${tableId}#0`, r.loc(r.valueSpan('route')), unresolved(r.text('route'), list.reason)));
  return routes.concat(undecidedRoutes(r, tableId, routes.length));
}

/** The attributes a route is made from: its destination, then its target. */
const ROUTE_INPUT_ATTRS: readonly string[] = [
  'cidr_block',
  'ipv6_cidr_block',
  DESTINATION_FIELDS.cidr[0].tf,
  DESTINATION_FIELDS.cidr[1].tf,
  DESTINATION_FIELDS.prefixList.tf,
  ...ROUTE_TARGET_TF_ATTRS,
];

/** A module's route made from what its caller passes (Route.input). */
function inputOf(r: Res, b: BlockView): { input?: RouteInput } {
  const input = r.inputOf?.(b, ROUTE_INPUT_ATTRS);
  return input ? { input } : {};
}

/** The one target attribute written in a route block, when its value sits on one line. */
function targetValueOf(b: BlockView): { targetValue?: WrittenValue } {
  let found: WrittenValue | undefined;
  for (const a of b.block.attrs.values()) {
    if (!ROUTE_TARGET_TF_ATTRS.has(a.name)) continue;
    if (found) return {}; // two targets written: no single value to change
    const r = b.range(a.expr.s);
    if (r.start.line !== r.end.line) return {};
    found = { attr: a.name, line: r.start.line, start: r.start.character, end: r.end.character };
  }
  return found ? { targetValue: found } : {};
}

/** Routes to VPC endpoints: GWLB endpoints or not, once every endpoint's type is known. */
function fixEndpointTargets(out: Collector, table: RouteTable): void {
  const types = out.nameIndex('endpointType');
  for (const route of table.routes) {
    if (route.target.kind !== 'gwlbe' || typeof route.target.ref !== 'string') continue;
    const kind = endpointTargetKind(types.get(route.target.ref), 'prefixList' in route.destination);
    if (kind !== route.target.kind) route.target = { ...route.target, kind };
  }
}

const vpc: Mapper = (r) => {
  const cidrs: Val<string>[] = [];
  const c = r.cidr('cidr_block');
  if (c !== undefined) cidrs.push(isUnresolved(c) ? { ...c, family: 4 } : c);
  // AWS creates every default VPC with 172.31.0.0/16 (its documented layout; a re-created one gets it again).
  else if (r.type === 'aws_default_vpc') cidrs.push(DEFAULT_VPC_CIDR);
  else if (r.has('ipv4_ipam_pool_id'))
    cidrs.push({ ...unresolved(r.text('ipv4_ipam_pool_id'), 'CIDR allocated from an IPAM pool at apply time'), family: 4 });
  else cidrs.push({ ...unresolved('', 'cidr_block not written'), family: 4 });
  const v6 = r.str('ipv6_cidr_block');
  if (v6 !== undefined && !isUnresolved(v6)) cidrs.push(v6);
  else if (v6 !== undefined && ipv6Requested(r)) cidrs.push({ ...v6, family: 6 });
  const el: Vpc = { ...r.base('vpc', 'aws'), cidrs, flavor: 'vpc' };
  if (c === undefined && r.has('ipv4_ipam_pool_id')) ipamAllocation(r, el);
  const accountDefault = r.type === 'aws_default_vpc';
  if (accountDefault) el.accountDefault = true;
  r.emit(el);
  const out = r.out;
  // Where its CIDRs may hold more than the inputs say: a VPC that exists before (the default VPC, one a plan does not
  // create) may have CIDRs associated outside them; with cidr_block ignored, the VPC keeps the one it was made with.
  const open = accountDefault
    ? 'it is the default VPC, which exists before the configuration'
    : r.preexisting
      ? 'it exists before this plan: CIDRs may have been associated outside it'
      : r.ignoredChanges('cidr_block')
        ? 'its cidr_block is managed outside Terraform (ignore_changes)'
        : undefined;
  if (open) out.nameIndex(RANGES_OPEN).set(el.id, open);
  if (accountDefault) {
    // aws_default_subnet names no VPC: it is the default VPC of the provider's region (one per region).
    const key = defaultVpcKey(el.region);
    const seen = out.nameIndex('defaultVpc');
    seen.set(key, seen.has(key) ? AMBIGUOUS : el.id);
  }
  // Every VPC has a default route table holding only `local`, unless aws_default_route_table
  // manages it; it is the main table unless aws_main_route_table_association moved that role.
  out.post(() => {
    const tableId = defaultTableId(el.id);
    if (out.aliases.has(tableId)) return;
    const mainMoved = out.mainMoved.has(el.id);
    const table: RouteTable = {
      id: tableId,
      kind: 'routeTable',
      name: `${el.name} default route table`,
      loc: el.loc,
      extent: el.extent,
      cloud: 'aws',
      vpc: el.id,
      // The default VPC's main table exists before this configuration: unless aws_default_route_table
      // manages it, what it routes is not in the inputs (AWS creates it with 0.0.0.0/0 -> the VPC's IGW).
      routes: accountDefault ? [unmanagedDefaultRoute(tableId, el)] : [],
      main: !mainMoved,
    };
    out.add(table, r.src, r.locSpan);
  });
};

const DEFAULT_VPC_CIDR = '172.31.0.0/16';
const AMBIGUOUS = '#ambiguous';

function defaultVpcKey(region: Val<string> | undefined): string {
  return region === undefined ? '' : isUnresolved(region) ? `?${region.text}` : region;
}

/** The route AWS puts in a default VPC's main table, which may have changed since: its existence is undecided. */
function unmanagedDefaultRoute(tableId: string, vpc: Vpc): Route {
  const why =
    "the default VPC's main route table is not managed here (no aws_default_route_table): AWS creates it with 0.0.0.0/0 to the VPC's internet gateway, and its routes today are not in the inputs";
  return {
    id: `${tableId}#aws-default`,
    loc: vpc.loc,
    destination: { cidr: '0.0.0.0/0' },
    target: { kind: 'igw', ref: unresolved('', "the default VPC's internet gateway is not in the inputs") },
    state: 'active',
    implicit: true,
    undecided: unresolved(`${vpc.address ?? vpc.id}`, why),
  };
}

const subnet: Mapper = (r) => {
  const accountDefault = r.type === 'aws_default_subnet';
  const el: Subnet = {
    ...r.base('subnet', 'aws'),
    vpc:
      r.ref('vpc_id') ??
      unresolved('', accountDefault ? "the region's default VPC (aws_default_vpc) is not in the inputs" : 'vpc_id not written'),
    cidr:
      r.cidr('cidr_block') ??
      unresolved(
        '',
        accountDefault ? 'AWS assigns a default subnet its CIDR (a /20 of the default VPC per zone)' : 'cidr_block not written',
      ),
  };
  if (accountDefault && !r.has('vpc_id')) {
    const key = defaultVpcKey(el.region);
    r.out.post(() => {
      const v = r.out.nameIndex('defaultVpc').get(key);
      if (v !== undefined && v !== AMBIGUOUS) el.vpc = v;
    });
  }
  const v6 = r.str('ipv6_cidr_block');
  if (v6 !== undefined) el.ipv6Cidr = v6;
  if (r.bool('ipv6_native') === true) el.ipv6Native = true;
  else if (surelyIpv6(r, v6)) el.dualStack = true;
  const az = r.az('availability_zone') ?? r.az('availability_zone_id');
  if (az !== undefined) el.az = az;
  const mapPublic = r.bool(ENI_FIELDS.mapPublicIp.tf);
  if (mapPublic !== undefined) el.mapPublicIp = mapPublic;
  r.emit(el);
  // After every secondary CIDR has joined its VPC (their posts run first).
  if (!accountDefault && !el.ipv6Native) r.out.post(() => r.out.post(() => outsideVpc(r, el)));
};

/**
 * An aws_subnet whose known IPv4 CIDR lies inside none of its VPC's IPv4 CIDRs (the primary and every secondary
 * association): AWS refuses to create it, so the configuration cannot deploy as written (subnet-outside-network).
 * Only for the aws_vpc of the inputs the subnet's vpc_id names, when every IPv4 CIDR of that VPC is known: no
 * association whose CIDR, VPC or number is undecided, no unmodelled resource given the VPC (vpcsMayGrow), nothing
 * of it managed outside the inputs (RANGES_OPEN).
 */
function outsideVpc(r: Res, el: Subnet): void {
  const out = r.out;
  const vpc = get(out, el.vpc, 'vpc');
  if (!vpc || resourceTypeOf(vpc.id) !== 'aws_vpc' || vpc.unreadModule || r.ignoredChanges('cidr_block')) return;
  const message = subnetOutsideNetwork({
    cloud: 'aws',
    subnet: el.address ?? el.id,
    network: vpc.address ?? vpc.id,
    prefixes: [el.cidr],
    ranges: vpc.cidrs,
    family: 4,
  });
  // The keys are read only then: reading them for every subnet would tie every subnet's file together.
  const open = out.nameIndex(RANGES_OPEN);
  if (!message || open.has('') || open.has(vpc.id) || open.has(resourceShape(vpc.id))) return;
  out.problem(r.src, r.valueSpan('cidr_block'), 'subnet-outside-network', 'error', message);
}

/**
 * An unmodelled resource (a script, a stack) given these elements may associate another CIDR with the VPCs they
 * are or are in: their subnets are then not checked (outsideVpc). A collector key, so that incremental builds
 * recompute the subnets' files with the resource's.
 */
export function vpcsMayGrow(out: Collector, touches: readonly string[], by: string): void {
  for (const t of touches) {
    const e = out.byId.get(out.aliases.get(t) ?? t);
    const vpc = e?.kind === 'vpc' ? e.id : e && 'vpc' in e && typeof e.vpc === 'string' ? e.vpc : undefined;
    if (vpc !== undefined && resourceTypeOf(vpc) === 'aws_vpc') out.nameIndex(RANGES_OPEN).set(vpc, `${by} is given it`);
  }
}

const routeTable: Mapper = (r) => {
  const el: RouteTable = {
    ...r.base('routeTable', 'aws'),
    vpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
    routes: routesOf(r, r.id),
    main: false,
  };
  r.emit(el);
  r.out.post(() => fixEndpointTargets(r.out, el));
};

const defaultRouteTable: Mapper = (r) => {
  const target = r.ref('default_route_table_id');
  // default_route_table_id = aws_vpc.x.default_route_table_id resolves to `aws_vpc.x.default_route_table`.
  const vpcId =
    typeof target === 'string' && target.endsWith('.default_route_table') ? target.slice(0, -'.default_route_table'.length) : undefined;
  const el: RouteTable = {
    ...r.base('routeTable', 'aws'),
    // A plan or state knows the vpc_id the provider computed.
    vpc: vpcId ?? r.ref('vpc_id') ?? unresolved(r.text('default_route_table_id'), 'VPC of this default route table is not in the inputs'),
    routes: routesOf(r, r.id),
    main: true,
  };
  if (vpcId) r.out.aliases.set(defaultTableId(vpcId), el.id);
  r.emit(el);
  r.out.post(() => fixEndpointTargets(r.out, el));
};

const route: Mapper = (r) => {
  const tableRef = r.ref('route_table_id');
  const rt: Route = {
    id: r.id,
    loc: r.loc(),
    address: tfAddress(r.id),
    destination: awsRouteDestination(r),
    target: awsRouteTarget(r),
    state: 'active',
    ...(r.undecided ? { undecided: r.undecided } : {}),
    ...inputOf(r, r),
  };
  const out = r.out;
  out.post(() => {
    const table = get(out, tableRef, 'routeTable');
    if (!table) {
      const why =
        tableRef === undefined
          ? 'route_table_id is not written'
          : isUnresolved(tableRef)
            ? tableRef.reason
            : `${tableRef} is not in the inputs`;
      out.problem(
        r.src,
        r.valueSpan('route_table_id'),
        'missing-reference',
        'info',
        `${r.id}: its route table cannot be found (${why}); the route is not modelled`,
      );
      return;
    }
    table.routes.push(rt);
    fixEndpointTargets(out, table);
  });
};

const association: Mapper = (r) => {
  const el: RouteTableAssociation = {
    ...r.base('rtAssociation', 'aws'),
    routeTable: r.ref('route_table_id') ?? unresolved('', 'route_table_id not written'),
  };
  const s = r.ref('subnet_id');
  const g = r.ref('gateway_id');
  if (s !== undefined) el.subnet = s;
  else if (g !== undefined) el.gateway = g;
  r.emit(el);
  resolveTableAlias(r, el);
};

function resolveTableAlias(r: Res, el: RouteTableAssociation): void {
  r.out.post(() => {
    if (typeof el.routeTable === 'string') el.routeTable = r.out.aliases.get(el.routeTable) ?? el.routeTable;
  });
}

const mainAssociation: Mapper = (r) => {
  const el: RouteTableAssociation = {
    ...r.base('rtAssociation', 'aws'),
    routeTable: r.ref('route_table_id') ?? unresolved('', 'route_table_id not written'),
    mainOfVpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
  };
  r.emit(el);
  resolveTableAlias(r, el);
  r.out.post(() => {
    const t = get(r.out, el.routeTable, 'routeTable');
    if (t) t.main = true;
  });
};

const igw =
  (kind: 'igw' | 'eigw'): Mapper =>
  (r) => {
    const el: InternetGateway = { ...r.base(kind, 'aws'), vpc: r.ref('vpc_id') ?? unresolved('', 'not attached in the inputs') };
    r.emit(el);
  };

const igwAttachment: Mapper = (r) => {
  const igwRef = r.ref('internet_gateway_id');
  const vpcRef = r.ref('vpc_id');
  r.out.post(() => {
    const g = get(r.out, igwRef, 'igw', 'eigw');
    if (g && vpcRef !== undefined) g.vpc = vpcRef;
  });
};

const vgw: Mapper = (r) => {
  const el: VpnGateway = { ...r.base('vgw', 'aws'), vpc: r.ref('vpc_id') ?? unresolved('', 'not attached in the inputs') };
  r.emit(el);
};

const vgwAttachment: Mapper = (r) => {
  const gwRef = r.ref('vpn_gateway_id');
  const vpcRef = r.ref('vpc_id');
  r.out.post(() => {
    const g = get(r.out, gwRef, 'vgw');
    if (g && vpcRef !== undefined) g.vpc = vpcRef;
  });
};

const natgw: Mapper = (r) => {
  const conn = r.literal('connectivity_type');
  const el: NatGateway = {
    ...r.base('natgw', 'aws'),
    subnet: r.ref('subnet_id') ?? unresolved('', 'subnet_id not written'),
    connectivity: conn === 'private' ? 'private' : 'public',
  };
  const eip = r.ref('allocation_id');
  if (eip !== undefined) el.eip = eip;
  const ip = r.str('private_ip');
  if (ip !== undefined) el.privateIp = ip;
  // Computed: known in a plan of existing resources or a state.
  const publicIp = r.str('public_ip');
  if (publicIp !== undefined) el.publicIp = publicIp;
  r.emit(el);
};

const eip: Mapper = (r) => {
  const el: ElasticIp = { ...r.base('eip', 'aws') };
  const ip = r.str('address') ?? r.str('public_ip');
  if (ip !== undefined) el.publicIp = ip;
  r.emit(el);
  associateEip(r, el.id, r.ref('instance'), r.ref('network_interface'));
};

/** aws_eip_association: an allocated EIP onto an instance or a network interface. */
const eipAssociation: Mapper = (r) => {
  const alloc = r.ref(ENI_FIELDS.allocation.tf) ?? r.ref('public_ip');
  if (alloc === undefined) return;
  associateEip(r, alloc, r.ref(ENI_FIELDS.instance.tf), r.ref(ENI_FIELDS.networkInterface.tf));
};

function associateEip(r: Res, eipRef: Ref, inst: Ref | undefined, eni: Ref | undefined): void {
  if (inst === undefined && eni === undefined) return;
  r.out.post(() => {
    const n = get(r.out, eni, 'eni');
    if (n) n.eip = eipRef;
    const i = get(r.out, inst, 'instance', 'firewall');
    if (i) i.eip = eipRef;
  });
}

const vpcEndpoint: Mapper = (r) => {
  const type = r.literal('vpc_endpoint_type') ?? (r.has('vpc_endpoint_type') ? undefined : DEFAULT_ENDPOINT_TYPE);
  if (type !== undefined) r.out.nameIndex('endpointType').set(r.id, type);
  if (type === undefined) {
    endpointOfUndecidedType(r);
    return;
  }
  if (type !== GWLB_ENDPOINT_TYPE) return; // Interface/Gateway endpoints are not egress hops here
  gwlbEndpoint(r);
};

/**
 * `vpc_endpoint_type = aws_vpc_endpoint_service.x.service_type`: the service decides (a service of
 * Gateway Load Balancers is a GatewayLoadBalancer service, one of Network Load Balancers an Interface
 * one). Anything else cannot be decided offline: the endpoint is kept, as an unmodelled element
 * naming its VPC and subnets, never dropped.
 */
function endpointOfUndecidedType(r: Res): void {
  const v = r.value('vpc_endpoint_type');
  const svc =
    v instanceof RefVal && resourceTypeOf(v.address) === 'aws_vpc_endpoint_service' && v.path[0] === 'service_type' ? v.address : undefined;
  if (svc !== undefined) {
    const types = r.out.nameIndex('serviceType');
    r.out.post(() => {
      const t = types.get(svc);
      if (t !== undefined) {
        r.out.nameIndex('endpointType').set(r.id, t);
        if (t === GWLB_ENDPOINT_TYPE) gwlbEndpoint(r);
      } else keepUndecided(r, `the type of ${tfAddress(svc)} cannot be decided offline`);
    });
    return;
  }
  keepUndecided(
    r,
    isUnresolved(r.str('vpc_endpoint_type') ?? '') ? 'vpc_endpoint_type cannot be decided offline' : 'vpc_endpoint_type is not a string',
  );
}

function keepUndecided(r: Res, why: string): void {
  const subnets = r.refs('subnet_ids').filter((x): x is string => typeof x === 'string');
  const touches = [r.ref('vpc_id'), ...subnets].filter((x): x is string => typeof x === 'string');
  const el: UnmodelledResource = {
    ...r.base('unmodelled', 'aws'),
    resourceType: r.type,
    what: `VPC endpoint of a type not known offline (${why}); a route to it may go to a GWLB endpoint`,
    touches,
    // It writes no route: only a route to it, and its subnets' own egress, are in doubt (not its whole VPC).
    role: 'endpoint',
  };
  r.emit(el);
  r.out.problem(
    r.src,
    r.valueSpan('vpc_endpoint_type'),
    'unmodelled-resource',
    'info',
    `${tfAddress(r.id)} is kept but not modelled as an endpoint: ${why}; routes to it are Unknown${subnets.length > 0 ? `, and so is egress from ${subnets.map(tfAddress).join(', ')} (an endpoint subnet or a workload one)` : ''}`,
  );
}

function gwlbEndpoint(r: Res): void {
  const subnets = r.refs('subnet_ids');
  const cfg = r.first('subnet_configuration');
  const el: GwlbEndpoint = {
    ...r.base('gwlbe', 'aws'),
    vpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
    subnet: subnets[0] ?? cfg?.ref('subnet_id') ?? unresolved('', 'subnet_ids not written'),
  };
  const svc = r.value('service_name');
  if (svc !== undefined) {
    const ref = r.toRef(svc, 'service_name');
    el.service =
      typeof ref === 'string' && refType(ref) !== 'aws_vpc_endpoint_service'
        ? unresolved(ref, 'endpoint service is not in the inputs')
        : ref;
  }
  r.emit(el);
}

/**
 * aws_vpc_endpoint_subnet_association: the subnet of an endpoint that writes no `subnet_ids` of its own (a GWLB
 * endpoint has one subnet). Applied in a second round: an endpoint whose type its service decides is itself
 * emitted in a fix-up. An endpoint that writes its subnets keeps them.
 */
const endpointSubnetAssociation: Mapper = (r) => {
  const endpoint = r.ref('vpc_endpoint_id');
  const subnet = r.ref('subnet_id');
  if (endpoint === undefined || subnet === undefined) return;
  r.out.post(() =>
    r.out.post(() => {
      const ep = get(r.out, endpoint, 'gwlbe');
      if (ep && isUnresolved(ep.subnet) && ep.subnet.text === '') ep.subnet = subnet;
    }),
  );
};

/**
 * AWS Network Firewall: the firewall (the enforcement point) and one endpoint per subnet mapping, in that
 * subnet, named as computed.ts names the ids that `firewall_status` hands to routes.
 */
const networkFirewall: Mapper = (r) => {
  const vpc = r.ref('vpc_id') ?? unresolved('', 'vpc_id not written');
  const fw: Firewall = { ...r.base('firewall', 'aws', r.literal('name')), vpc, vendor: 'AWS Network Firewall' };
  const policy = r.ref('firewall_policy_arn');
  if (policy !== undefined) fw.policy = policy;
  const tgw = r.ref('transit_gateway_id');
  if (tgw !== undefined) fw.tgw = tgw;
  r.emit(fw);
  r.blocks('subnet_mapping').forEach((m, i) => {
    const subnet = m.ref('subnet_id') ?? unresolved('', 'subnet_mapping without subnet_id');
    const key = typeof subnet === 'string' ? subnet : i;
    const ep: GwlbEndpoint = {
      ...r.base('gwlbe', 'aws'),
      id: networkFirewallEndpointId(r.id, key),
      name: `${fw.name}/${typeof subnet === 'string' ? subnet.replace(/^.*\./, '') : i + 1}`,
      loc: m.loc(),
      vpc,
      subnet,
      service: r.id,
      flavor: 'networkFirewall',
    };
    delete ep.address;
    r.emit(ep);
  });
};

/** An extra endpoint of a firewall, in another subnet or VPC. */
const nfwEndpointAssociation: Mapper = (r) => {
  const m = r.first('subnet_mapping');
  const ep: GwlbEndpoint = {
    ...r.base('gwlbe', 'aws'),
    vpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
    subnet: m?.ref('subnet_id') ?? unresolved('', 'subnet_mapping without subnet_id'),
    service: r.ref('firewall_arn') ?? unresolved('', 'firewall_arn not written'),
    flavor: 'networkFirewall',
  };
  r.emit(ep);
};

const endpointService: Mapper = (r) => {
  const el: EndpointService = { ...r.base('endpointService', 'aws'), loadBalancers: r.refs('gateway_load_balancer_arns') };
  // Its service_type, for endpoints that take their type from it.
  const gwlb = r.has('gateway_load_balancer_arns');
  if (gwlb !== r.has('network_load_balancer_arns')) r.out.nameIndex('serviceType').set(r.id, gwlb ? GWLB_ENDPOINT_TYPE : 'Interface');
  const name = r.str('service_name');
  if (name !== undefined) el.serviceName = name;
  r.emit(el);
};

/**
 * An application or network load balancer facing the internet (`internal` false or not written): not on any
 * egress path, but the subnets it is placed in carry its replies to internet clients (Subnet.publicLb). Read
 * quietly: a type, scheme or subnet list not known offline marks nothing (those subnets stay as they are).
 */
function publicLoadBalancer(r: Res): void {
  const type = r.value('load_balancer_type');
  if (type !== undefined && type !== null && !CLIENT_LB_TYPES.has(asString(type) ?? '')) return;
  const internal = r.value('internal');
  if (internal !== undefined && internal !== null && asBool(internal) !== false) return;
  const subnets: string[] = [];
  const add = (v: Value | undefined): void => {
    for (const x of Array.isArray(v) ? v : [v]) {
      const ref = x instanceof RefVal || typeof x === 'string' ? r.toRef(x, 'subnets') : undefined;
      if (typeof ref === 'string') subnets.push(ref);
    }
  };
  add(r.value('subnets'));
  for (const m of r.blocks('subnet_mapping')) add(m.value('subnet_id'));
  if (subnets.length === 0) return;
  const name = r.literal('name') ?? r.id;
  r.out.post(() => {
    for (const id of subnets) {
      const s = get(r.out, id, 'subnet');
      if (s && s.publicLb === undefined) s.publicLb = name;
    }
  });
}

const loadBalancer: Mapper = (r) => {
  if (r.literal('load_balancer_type') !== GWLB_TYPE) return publicLoadBalancer(r);
  const subnets = r.refs('subnets');
  for (const m of r.blocks('subnet_mapping')) {
    const s = m.ref('subnet_id');
    if (s !== undefined) subnets.push(s);
  }
  const el: GatewayLoadBalancer = {
    ...r.base('gwlb', 'aws', r.literal('name')),
    subnets,
    crossZone: r.bool('enable_cross_zone_load_balancing', false) ?? false,
  };
  r.emit(el);
  r.out.post(() => {
    const first = get(r.out, subnets[0], 'subnet');
    if (first && el.vpc === undefined) el.vpc = first.vpc;
  });
};

const targetGroup: Mapper = (r) => {
  const el: TargetGroup = { ...r.base('targetGroup', 'aws', r.literal('name')), targets: [] };
  const proto = r.literal('protocol');
  if (proto !== undefined) el.protocol = proto;
  const port = r.num('port');
  if (port !== undefined) el.port = port;
  const v = r.ref('vpc_id');
  if (v !== undefined) el.vpc = v;
  r.emit(el);
};

const targetAttachment: Mapper = (r) => {
  const tgRef = r.ref('target_group_arn');
  const target = interfaceLookedUp(r, 'target_id') ?? r.ref('target_id');
  r.out.post(() => {
    const tg = get(r.out, tgRef, 'targetGroup');
    if (!tg || target === undefined) return;
    tg.targets.push(target);
    // A registered target of a GENEVE (GWLB) target group is an inspection appliance.
    if (tg.protocol !== 'GENEVE' || typeof target !== 'string') return;
    const inst = get(r.out, target, 'instance');
    if (inst) {
      const fw = inst as unknown as Firewall;
      fw.kind = 'firewall';
      if (inst.tags?.Vendor) fw.vendor = inst.tags.Vendor;
      else if (inst.ngfw) fw.vendor = inst.ngfw.vendor;
    }
  });
};

/**
 * An Auto Scaling group (or attachment) naming target groups: their targets are the instances it launches, which the
 * inputs do not list; the group records it (TargetGroup.registeredBy).
 */
const autoscalingRegistration =
  (...attrs: string[]): Mapper =>
  (r) => {
    const tgs = attrs.flatMap((a) => r.refs(a));
    // The provider's newer form: `traffic_source { identifier = <target group arn>, type = "elbv2" }` (review s16 R22).
    for (const b of r.blocks('traffic_source')) {
      const type = b.str('type');
      const id = b.ref('identifier');
      if ((type === undefined || type === 'elbv2') && id !== undefined) tgs.push(id);
    }
    const by = tfAddress(r.id);
    r.out.post(() => {
      for (const t of tgs) {
        const tg = get(r.out, t, 'targetGroup');
        if (tg && !(tg.registeredBy ??= []).includes(by)) tg.registeredBy.push(by);
      }
    });
  };

const listener: Mapper = (r) => {
  const lb = r.ref('load_balancer_arn');
  const tgs = r.blocks('default_action').map((a) => a.ref('target_group_arn'));
  r.out.post(() => {
    for (const t of tgs) {
      const tg = get(r.out, t, 'targetGroup');
      if (tg && lb !== undefined && tg.loadBalancer === undefined) tg.loadBalancer = lb;
    }
  });
};

const instance: Mapper = (r) => {
  const subnet = r.ref('subnet_id');
  const el: Instance = { ...r.base('instance', 'aws'), subnet: subnet ?? unresolved('', 'subnet_id not written') };
  const ip = r.str('private_ip');
  if (ip !== undefined) el.privateIp = ip;
  const pub = r.bool(ENI_FIELDS.associatePublicIp.tf);
  if (pub !== undefined) el.associatePublicIp = pub;
  const sdc = r.bool(ENI_FIELDS.sourceDestCheck.tf);
  if (sdc !== undefined) el.sourceDestCheck = sdc;
  const ud = userData(r);
  const udAt = (): SourceLocation => r.loc(r.valueSpan(r.block.attrs.has('user_data') ? 'user_data' : 'user_data_base64'));
  const ngfw = (ud === undefined ? undefined : ngfwBootstrap(knownParts(ud), udAt, typeof ud !== 'string')) ?? bootstrapFiles(r);
  if (ngfw?.policyElsewhere?.via === 'bucket') bucketPolicy(r, ngfw);
  if (ngfw) el.ngfw = ngfw;
  // A firewall VM by its bootstrap is a firewall, whatever its name says (`fw-managed-by-panorama`).
  const manager = ngfw ? undefined : managerOf(r, el.tags?.Name);
  if (manager) el.manager = manager;
  // What it runs, should a route make it an appliance: its image's name filter or source, its user data, its names.
  if (!ngfw && !manager) {
    const image = amiLookup(r);
    if (image) el.image = image;
    const clues = {
      images: [...amiNames(r), r.text('ami')].filter((x) => x !== ''),
      bootstraps: ud === undefined ? [] : locatedParts(knownParts(ud), userDataSources(r)),
      names: [el.tags?.Name, el.address ?? el.id].filter((x): x is string => x !== undefined),
    };
    const runs = applianceEvidence(clues);
    if (runs) el.runs = runs;
    // An explicit forward proxy clients are told to use (squid): its subnet is its own (F103).
    const proxy = forwardProxy(clues);
    if (proxy) el.proxy = proxy;
  }
  r.emit(el);
  launchDeviceIndexes(r);
  // Interfaces attached at launch (`network_interface { network_interface_id, device_index }`).
  const nics = [...r.blocks('network_interface'), ...r.blocks('primary_network_interface')].map((b) => ({
    eni: b.ref(ENI_FIELDS.networkInterface.tf),
    index: b.num(ENI_FIELDS.deviceIndex.tf) ?? 0,
  }));
  const out = r.out;
  out.post(() => {
    for (const n of nics) attachEni(out, n.eni, el.id, n.index);
    // After every attachment: an instance launched into interfaces lives in its primary interface's subnet.
    if (subnet === undefined)
      out.post(() => {
        const primary = primaryEni(out, el.id);
        if (!primary) return;
        el.subnet = primary.subnet;
        if (el.privateIp === undefined && primary.privateIp !== undefined) el.privateIp = primary.privateIp;
      });
  });
};

/**
 * An aws_instance launched into its interfaces (`network_interface` blocks) whose device indexes, every one known,
 * have no 0 (no primary interface) or one twice: EC2 refuses to launch it, so the configuration cannot deploy as
 * written (invalid-device-index, F138). The instance is analysed as written: without a primary interface it is
 * placed in no subnet. Not when a `primary_network_interface` block gives the primary, or a dynamic block's
 * for_each is undecided.
 */
function launchDeviceIndexes(r: Res): void {
  const nics = r.blocks('network_interface');
  if (nics.length === 0 || r.blocks('primary_network_interface').length > 0 || r.undecidedBlocks('network_interface').length > 0) return;
  const slots: LaunchSlot[] = [];
  for (const b of nics) {
    const v = b.value(ENI_FIELDS.deviceIndex.tf);
    const device = v === undefined || v === null ? undefined : asNumber(v);
    const written = b.written('network_card_index') ? b.value('network_card_index') : 0;
    const card = written === undefined || written === null ? undefined : asNumber(written);
    if (device === undefined || card === undefined) return;
    slots.push({ card, device });
  }
  const at = (b: BlockView): Span => (b.written(ENI_FIELDS.deviceIndex.tf) ? b.valueSpan(ENI_FIELDS.deviceIndex.tf) : b.locSpan);
  for (const p of deviceIndexProblems(resourceShape(r.id), slots, 'configuration', '; the instance is placed in no subnet'))
    r.out.problem(r.src, at(nics[p.at]), 'invalid-device-index', 'error', p.message);
}

/**
 * The firewall manager an instance runs, when the inputs say so: the name filter (or `name_regex`) of the
 * `data.aws_ami` its `ami` comes from, else its Name tag.
 */
function managerOf(r: Res, nameTag: string | undefined): string | undefined {
  for (const n of amiNames(r)) {
    const m = firewallManager(n);
    if (m) return `${m} (image ${n})`;
  }
  const m = nameTag ? firewallManager(nameTag) : undefined;
  return m ? `${m} (Name ${nameTag})` : undefined;
}

/** The image names `ami = data.aws_ami.x.id` looks up (its `name` filter values and `name_regex`), as decided. */
function amiNames(r: Res): string[] {
  const l = amiLookup(r);
  return l ? [...l.names, ...(l.nameRegex !== undefined ? [l.nameRegex] : [])] : [];
}

/**
 * The `data.aws_ami` lookup `ami = data.aws_ami.x.id` names, as far as its arguments are decided (Instance.image):
 * owners, `name` and `tag:<key>` filters, `name_regex`, and the filters not read.
 */
function amiLookup(r: Res): ImageLookup | undefined {
  if (!(r instanceof TfResource)) return undefined;
  const e = r.block.attrs.get('ami')?.expr;
  if (e?.k !== 'attr' || e.name !== 'id' || e.obj.k !== 'attr' || e.obj.obj.k !== 'attr') return undefined;
  const d = e.obj.obj;
  if (d.name !== 'aws_ami' || d.obj.k !== 'var' || d.obj.name !== 'data') return undefined;
  const module = r.inst.module;
  const decl = module.def.data.get(`aws_ami.${e.obj.name}`);
  if (!decl) return undefined;
  const node = module.node('data', `aws_ami.${e.obj.name}`);
  if (node !== undefined) module.ctx.tracker?.read(node);
  const scope = module.scope(decl.src);
  // The decided strings of a value, and whether that is all of it.
  const strs = (v: Value | undefined): { known: string[]; all: boolean } => {
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
    const known = list.filter((x): x is string => typeof x === 'string');
    return { known, all: (typeof v === 'string' || Array.isArray(v)) && known.length === list.length };
  };
  const prefix = module.prefix;
  const out: ImageLookup = {
    data: `${prefix}data.aws_ami.${e.obj.name}`,
    loc: { file: decl.src.file, range: decl.src.lines.range(decl.block.header.start, decl.block.header.end) },
    names: [],
    tags: [],
    others: [],
  };
  const owners = decl.block.attrs.get('owners');
  const ownersValue = owners ? strs(evaluate(owners.expr, scope)) : undefined;
  if (ownersValue?.all) out.owners = ownersValue.known;
  for (const f of decl.block.blocks) {
    if (f.type !== 'filter') continue;
    const name = f.attrs.get('name');
    const values = f.attrs.get('values');
    const n = name ? evaluate(name.expr, scope) : undefined;
    const vs = strs(values ? evaluate(values.expr, scope) : undefined);
    // Name values as far as decided (an image name says a vendor); one not decided is a filter not read too.
    if (n === 'name') out.names.push(...vs.known);
    if (typeof n !== 'string' || !vs.all) out.others.push(typeof n === 'string' ? n : '?');
    else if (n.startsWith('tag:')) out.tags.push({ key: n.slice(4), values: vs.known });
    else if (n !== 'name') out.others.push(n);
  }
  const re = decl.block.attrs.get('name_regex');
  const reValue = re ? evaluate(re.expr, scope) : undefined;
  if (typeof reValue === 'string') out.nameRegex = reValue;
  else if (re) out.others.push('name_regex');
  return out;
}

/**
 * An instance's user data as the instance sees it. The provider passes text that is already base64 on as is,
 * so `base64encode(x)` carries x: x is read (possibly in part, Unknown.parts), not its encoding.
 */
function userData(r: Res): Value | undefined {
  const a = r.block.attrs.get('user_data') ?? r.block.attrs.get('user_data_base64');
  if (!a) return undefined;
  const e = a.expr;
  return evaluate(e.k === 'call' && e.name === 'base64encode' && e.args.length === 1 && !e.expand ? e.args[0] : e, r.scope);
}

/**
 * `data.aws_network_interface.x.private_ip` where the data source looks up a managed interface by id
 * (`id = aws_network_interface.y.id`): the address is that interface's, known at apply; the target is it.
 */
function interfaceLookedUp(r: Res, attr: string): string | undefined {
  if (!(r instanceof TfResource)) return undefined;
  const e = r.block.attrs.get(attr)?.expr;
  if (e?.k !== 'attr' || e.name !== 'private_ip' || e.obj.k !== 'attr' || e.obj.obj.k !== 'attr') return undefined;
  const d = e.obj.obj;
  if (d.name !== 'aws_network_interface' || d.obj.k !== 'var' || d.obj.name !== 'data') return undefined;
  const module = r.inst.module;
  const decl = module.def.data.get(`aws_network_interface.${e.obj.name}`);
  const id = decl?.block.attrs.get('id');
  if (!decl || !id) return undefined;
  const node = module.node('data', `aws_network_interface.${e.obj.name}`);
  if (node !== undefined) module.ctx.tracker?.read(node);
  const v = evaluate(id.expr, module.scope(decl.src));
  return v instanceof RefVal && v.path.length === 1 && v.path[0] === 'id' && resourceTypeOf(v.address) === 'aws_network_interface'
    ? v.address
    : undefined;
}

/**
 * A VM-Series booting from a bucket: the configuration's one `config/bootstrap.xml` object, when the repository
 * holds its file, writes the policy; several such objects leave which one is the VM's unknown.
 */
function bucketPolicy(r: Res, ngfw: NgfwBootstrap): void {
  if (!(r instanceof TfResource) || !ngfw.policyElsewhere) return;
  const { texts, objects } = bootstrapXmlTexts(r.inst.module);
  if (objects.length > 1) {
    ngfw.policyElsewhere = {
      ...ngfw.policyElsewhere,
      reason: `its policy is in a bootstrap bucket's config/bootstrap.xml, and the configuration uploads several such objects (${objects.join(', ')}): which one is its policy is not read here`,
    };
    return;
  }
  const policy = texts.length === 1 ? panosBootstrapXml(texts[0].text, texts[0].locate) : undefined;
  if (!policy) return;
  ngfw.policy = policy;
  delete ngfw.policyElsewhere;
}

/** What the whole texts the user data carries say (a FortiOS configuration in a template file, a heredoc). */
/** The user data's texts followed to where they are written (userData.ts), for locations in reasons. */
function userDataSources(r: Res): BootstrapText[] {
  if (!(r instanceof TfResource)) return [];
  const a = r.block.attrs.get('user_data') ?? r.block.attrs.get('user_data_base64');
  return a ? userDataTexts(a.expr, r.scope, r.inst.decl.src, r.inst.module) : [];
}

function bootstrapFiles(r: Res): NgfwBootstrap | undefined {
  if (!(r instanceof TfResource)) return undefined;
  const a = r.block.attrs.get('user_data') ?? r.block.attrs.get('user_data_base64');
  return a ? ngfwFromTexts(userDataTexts(a.expr, r.scope, r.inst.decl.src, r.inst.module)) : undefined;
}

function attachEni(out: Collector, eniRef: Ref | undefined, instanceId: Ref, deviceIndex: number | undefined): void {
  const n = get(out, eniRef, 'eni');
  if (!n) return;
  n.instance = instanceId;
  if (deviceIndex !== undefined) n.deviceIndex = deviceIndex;
}

/** The device-index-0 interface attached to an instance, if the inputs attach one. */
function primaryEni(out: Collector, instanceId: string): NetworkInterface | undefined {
  for (const e of out.byId.values()) if (e.kind === 'eni' && e.instance === instanceId && e.deviceIndex === 0) return e;
  return undefined;
}

const networkInterface: Mapper = (r) => {
  const el: NetworkInterface = {
    ...r.base('eni', 'aws'),
    subnet: r.ref(ENI_FIELDS.subnet.tf) ?? unresolved('', 'subnet_id not written'),
    sourceDestCheck: r.bool(ENI_FIELDS.sourceDestCheck.tf, SOURCE_DEST_CHECK_DEFAULT) ?? SOURCE_DEST_CHECK_DEFAULT,
  };
  const ip = r.str(ENI_FIELDS.privateIp.tf) ?? r.strs('private_ips')[0] ?? r.strs('private_ip_list')[0];
  if (ip !== undefined) el.privateIp = ip;
  r.emit(el);
  for (const a of r.blocks('attachment')) {
    const inst = a.ref('instance');
    if (inst !== undefined) {
      el.instance = inst;
      const i = a.num(ENI_FIELDS.deviceIndex.tf);
      if (i !== undefined) el.deviceIndex = i;
    }
  }
};

/** aws_network_interface_attachment: an interface attached to an instance after launch. */
const networkInterfaceAttachment: Mapper = (r) => {
  const inst = r.ref(ENI_FIELDS.instance.tf);
  const eni = r.ref(ENI_FIELDS.networkInterface.tf);
  const index = r.num(ENI_FIELDS.deviceIndex.tf);
  if (inst === undefined) return;
  r.out.post(() => attachEni(r.out, eni, inst, index));
};

const tgw: Mapper = (r) => {
  const el: TransitGateway = {
    ...r.base('tgw', 'aws'),
    defaultRouteTableAssociation: r.literal('default_route_table_association') !== 'disable',
    defaultRouteTablePropagation: r.literal('default_route_table_propagation') !== 'disable',
  };
  r.emit(el);
  // AWS creates a default route table with the TGW when either default is on (both are, unless disabled).
  // Emitted now, not in a fix-up, so that routes and associations naming it find it in theirs.
  if (el.defaultRouteTableAssociation || el.defaultRouteTablePropagation) {
    const table: TgwRouteTable = {
      id: tgwDefaultTableId(el.id),
      kind: 'tgwRouteTable',
      name: `${el.name} default route table`,
      loc: el.loc,
      ...(el.extent ? { extent: el.extent } : {}),
      cloud: 'aws',
      tgw: el.id,
      routes: [],
      associations: [],
      propagations: [],
      isDefault: true,
    };
    r.out.add(table, r.src, r.locSpan);
  }
};

/**
 * An attachment left to the TGW's defaults is associated with (and propagates to) its default route table,
 * unless `transit_gateway_default_route_table_association` (`_propagation`) is false. A flag that cannot be
 * decided leaves the attachment unassociated (the trace is Unknown there) or its propagation undecided (a
 * packet its CIDRs could route is Unknown, never dropped).
 */
function joinDefaultTable(r: Res, attachment: TgwAttachment): void {
  const assoc = r.bool('transit_gateway_default_route_table_association', true);
  const prop = r.bool('transit_gateway_default_route_table_propagation', true);
  // A second-round fix-up: it runs after every explicit association has set its table.
  r.out.post(() =>
    r.out.post(() => {
      const el = get(r.out, attachment.id, 'tgwAttachment');
      const g = el ? get(r.out, el.tgw, 'tgw') : undefined;
      const t = g ? get(r.out, tgwDefaultTableId(g.id), 'tgwRouteTable') : undefined;
      if (!el) return;
      // Whether AWS gives it a table by itself: off for certain only when written so (an unknown TGW flag reads as on).
      const byDefault = g?.defaultRouteTableAssociation === false ? false : assoc;
      if (byDefault !== true) el.defaultAssociation = byDefault;
      const undecided = r.out.tgwAssociationsUndecided.get(el.id) ?? r.out.tgwAssociationsUndecided.get('');
      if (undecided !== undefined && el.routeTable === undefined) el.associationUndecided = undecided;
      if (!g || !t) return;
      if (g.defaultRouteTableAssociation && assoc === true && el.routeTable === undefined) {
        el.routeTable = t.id;
        t.associations.push(el.id);
      }
      if (g.defaultRouteTablePropagation && prop === true) t.propagations.push(el.id);
      else if (g.defaultRouteTablePropagation && isUnresolved(prop))
        (t.undecidedPropagations ??= []).push({ attachment: el.id, why: prop });
    }),
  );
}

const tgwVpcAttachment: Mapper = (r) => {
  const mode = r.value('appliance_mode_support');
  const applianceMode: Val<boolean> =
    mode === undefined || mode === null
      ? false
      : asString(mode) === 'enable'
        ? true
        : asString(mode) === 'disable'
          ? false
          : unresolved(r.text('appliance_mode_support'), 'appliance_mode_support cannot be decided offline');
  const el: TgwAttachment = {
    ...r.base('tgwAttachment', 'aws'),
    tgw: r.ref('transit_gateway_id') ?? unresolved('', 'transit_gateway_id not written'),
    vpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
    subnets: r.refs('subnet_ids'),
    applianceMode,
  };
  r.emit(el);
  joinDefaultTable(r, el);
};

const tgwRouteTable: Mapper = (r) => {
  const el: TgwRouteTable = {
    ...r.base('tgwRouteTable', 'aws'),
    tgw: r.ref('transit_gateway_id') ?? unresolved('', 'transit_gateway_id not written'),
    routes: [],
    associations: [],
    propagations: [],
  };
  r.emit(el);
};

const tgwRoute: Mapper = (r) => {
  const tableRef = r.ref('transit_gateway_route_table_id');
  const att = r.ref('transit_gateway_attachment_id');
  const blackhole = r.bool('blackhole', false);
  const dest = r.cidr('destination_cidr_block') ?? unresolved('', 'destination_cidr_block not written');
  r.out.post(() => {
    const t = get(r.out, tableRef, 'tgwRouteTable');
    if (!t) return;
    t.routes.push({
      id: r.id,
      loc: r.loc(),
      destination: dest,
      ...(att !== undefined ? { attachment: att } : {}),
      blackhole: blackhole === true,
    });
  });
};

/**
 * An association the model cannot place: its attachment is not decided offline (it may name any attachment), or
 * it names an attachment of the inputs with a table they do not hold (`Collector.tgwAssociationsUndecided`).
 * A literal or data-source attachment id names an attachment outside the inputs: not one of theirs.
 */
function undecidedAssociation(r: Res, table: TgwRouteTable | undefined, tableRef: Ref | undefined, att: Ref | undefined): void {
  const at = `association ${r.id} (${where(r.loc())})`;
  const map = r.out.tgwAssociationsUndecided;
  if (att === undefined || isUnresolved(att)) {
    if (!map.has(''))
      map.set('', `${at} names attachment \`${att?.text ?? ''}\`, which cannot be decided offline (${att?.reason ?? 'not written'})`);
    return;
  }
  const a = get(r.out, att, 'tgwAttachment');
  if (!a || table || map.has(a.id)) return;
  const text = tableRef === undefined ? 'none written' : isUnresolved(tableRef) ? `\`${tableRef.text}\`, not decided offline` : tableRef;
  map.set(a.id, `${at} names a TGW route table the inputs do not hold (${text})`);
}

const tgwAssociation =
  (which: 'associations' | 'propagations'): Mapper =>
  (r) => {
    const tableRef = r.ref('transit_gateway_route_table_id');
    const att = r.ref('transit_gateway_attachment_id');
    r.out.post(() => {
      const t = get(r.out, tableRef, 'tgwRouteTable');
      if (which === 'associations') undecidedAssociation(r, t, tableRef, att);
      if (!t || att === undefined) return;
      t[which].push(att);
      if (which === 'associations') {
        const a = get(r.out, att, 'tgwAttachment');
        if (a && typeof tableRef === 'string') a.routeTable = tableRef;
      }
    });
  };

const peering: Mapper = (r) => {
  const el: VpcPeering = {
    ...r.base('peering', 'aws'),
    vpc: r.ref('vpc_id') ?? unresolved('', 'vpc_id not written'),
    peerVpc: r.ref('peer_vpc_id') ?? unresolved('', 'peer_vpc_id not written'),
  };
  r.emit(el);
};

const prefixList: Mapper = (r) => {
  const cidrs = r
    .blocks('entry')
    .map((e) => e.str('cidr'))
    .filter((c): c is Val<string> => c !== undefined);
  // Entries of a dynamic block not known offline: a route to the list then matches Unknown, not nothing.
  for (const { why } of r.undecidedBlocks('entry')) cidrs.push(why);
  const el: PrefixList = { ...r.base('prefixList', 'aws', r.literal('name')), cidrs };
  r.emit(el);
};

/** The IPAM pool a reference names: the pool resource's address, a literal pool id, or Unresolved. */
function ipamPool(r: Res, attr: string): Ref {
  const v = r.value(attr);
  if (v instanceof RefVal && (v.path.length === 0 || (v.path.length === 1 && v.path[0] === 'id'))) return v.address;
  const s = v === undefined ? undefined : asString(v);
  return s !== undefined && s !== '' ? s : unresolved(r.text(attr), 'IPAM pool not known offline');
}

/** Provisioned pool CIDRs by pool, space-separated; `?` stands for one that is not known offline. */
const POOL_CIDRS = 'ipamPoolCidrs';

/**
 * A VPC whose IPv4 CIDR an IPAM pool allocates at apply: what is known of it (the pool, the netmask length,
 * the pool's provisioned CIDRs), and the assumption the trace makes, stated once at the pool argument.
 */
function ipamAllocation(r: Res, el: Vpc): void {
  const pool = ipamPool(r, 'ipv4_ipam_pool_id');
  const nv = r.value('ipv4_netmask_length');
  const n = nv === undefined ? undefined : asNumber(nv);
  const ipam: NonNullable<Vpc['ipam']> = {
    pool,
    ...(n !== undefined && Number.isInteger(n) && n >= 0 && n <= 32 ? { netmaskLength: n } : {}),
  };
  el.ipam = ipam;
  const out = r.out;
  out.post(() => {
    const got = typeof pool === 'string' ? out.nameIndex(POOL_CIDRS).get(pool) : undefined;
    const within = got?.split(' ');
    if (within && !within.includes('?')) ipam.within = within;
    const size = ipam.netmaskLength !== undefined ? `a /${ipam.netmaskLength}` : 'a block';
    const where = ipam.within
      ? `${size} inside ${ipam.within.join(', ')} (the pool's CIDR${ipam.within.length > 1 ? 's' : ''} in the inputs) and overlaps no other VPC of the pool`
      : typeof pool === 'string'
        ? `${size} somewhere (${got ? 'a CIDR the inputs provision to the pool is not known offline' : 'the inputs provision no CIDR to the pool'}) and overlaps no other VPC of the pool`
        : `${size} somewhere (the pool is not known offline)`;
    out.problem(
      r.src,
      r.valueSpan('ipv4_ipam_pool_id'),
      'assumed-range',
      'info',
      `assumed the IPv4 CIDR of ${el.address ?? el.id}, which IPAM allocates at apply, is ${where}: a path from it is decided only where every such address is routed the same way`,
    );
  });
}

const ipamPoolCidr: Mapper = (r) => {
  const pool = ipamPool(r, 'ipam_pool_id');
  if (typeof pool !== 'string') return;
  const c = r.literal('cidr');
  const text = c !== undefined && parseCidr(c)?.family === 4 ? parseCidr(c)!.text : '?';
  const m = r.out.nameIndex(POOL_CIDRS);
  const prev = m.get(pool);
  m.set(pool, prev === undefined ? text : `${prev} ${text}`);
};

/**
 * Whether a subnet surely has an IPv6 prefix (Subnet.dualStack): `ipv6_cidr_block` is a literal or a value only
 * apply fixes (a block carved from the VPC's Amazon-provided one), not one resting on an input not known offline
 * (a variable without default in its condition); or `assign_ipv6_address_on_creation` is true, which AWS accepts only
 * on a subnet with an IPv6 prefix.
 */
function surelyIpv6(r: Res, v6: Val<string> | undefined): boolean {
  if (r.bool('assign_ipv6_address_on_creation') === true) return true;
  if (v6 === undefined) return false;
  if (!isUnresolved(v6)) return true;
  const v = r.value('ipv6_cidr_block');
  return v instanceof RefVal || (v instanceof Unknown && v.reason.includes('known only after apply'));
}

/**
 * Whether a VPC whose IPv6 block is not known offline has one: asked for (`assign_generated_ipv6_cidr_block`, an
 * IPAM pool) or written. A plan lists `ipv6_cidr_block` as known after apply on every new VPC (the provider
 * computes it): with none of these the VPC has no IPv6 block.
 */
function ipv6Requested(r: Res): boolean {
  const gen = r.bool('assign_generated_ipv6_cidr_block');
  return gen === true || isUnresolved(gen) || r.has('ipv6_ipam_pool_id') || r.written('ipv6_cidr_block');
}

const secondaryCidr: Mapper = (r) => {
  const vpcRef = r.ref('vpc_id');
  const v4 = r.str('cidr_block');
  const v6 = v4 === undefined ? r.str('ipv6_cidr_block') : undefined;
  const cidr = v4 !== undefined ? withFamily(v4, 4) : v6 !== undefined ? withFamily(v6, 6) : undefined;
  // An IPv4 CIDR the inputs do not write (IPAM allocates it), or associations whose number is undecided.
  const open =
    r.undecided !== undefined
      ? `${r.id}: its count/for_each cannot be decided offline`
      : v4 === undefined && v6 === undefined
        ? `${r.id}: its IPv4 CIDR is allocated at apply`
        : undefined;
  r.out.post(() => {
    const v = get(r.out, vpcRef, 'vpc');
    if (v && cidr !== undefined) v.cidrs.push(cidr);
    // One whose VPC is not one of the inputs may be any of them.
    if (open || !v) r.out.nameIndex(RANGES_OPEN).set(v ? v.id : '', open ?? `${r.id}: its vpc_id names no VPC of the inputs`);
  });
};

/** awscc (Cloud Control) secondary CIDRs are not read: the VPC they name (any, if not known) may hold more. */
const unreadSecondaryCidr: Mapper = (r) => {
  const vpcRef = r.ref('vpc_id');
  r.out.post(() => r.out.nameIndex(RANGES_OPEN).set(get(r.out, vpcRef, 'vpc')?.id ?? '', `${r.id} is not read`));
};

function withFamily(v: Val<string>, family: 4 | 6): Val<string> {
  return isUnresolved(v) ? { ...v, family } : v;
}

export const AWS_MAPPERS: Record<string, Mapper> = {
  aws_vpc: vpc,
  aws_default_vpc: vpc,
  aws_subnet: subnet,
  aws_default_subnet: subnet,
  aws_route_table: routeTable,
  aws_default_route_table: defaultRouteTable,
  aws_route: route,
  aws_route_table_association: association,
  aws_main_route_table_association: mainAssociation,
  aws_internet_gateway: igw('igw'),
  aws_egress_only_internet_gateway: igw('eigw'),
  aws_internet_gateway_attachment: igwAttachment,
  aws_vpn_gateway: vgw,
  aws_vpn_gateway_attachment: vgwAttachment,
  aws_nat_gateway: natgw,
  aws_eip: eip,
  aws_eip_association: eipAssociation,
  aws_network_interface: networkInterface,
  aws_network_interface_attachment: networkInterfaceAttachment,
  aws_vpc_endpoint: vpcEndpoint,
  aws_vpc_endpoint_subnet_association: endpointSubnetAssociation,
  aws_networkfirewall_firewall: networkFirewall,
  aws_networkfirewall_vpc_endpoint_association: nfwEndpointAssociation,
  aws_vpc_endpoint_service: endpointService,
  aws_lb: loadBalancer,
  aws_alb: loadBalancer,
  aws_lb_target_group: targetGroup,
  aws_alb_target_group: targetGroup,
  aws_lb_target_group_attachment: targetAttachment,
  aws_autoscaling_group: autoscalingRegistration('target_group_arns'),
  aws_autoscaling_attachment: autoscalingRegistration('lb_target_group_arn', 'alb_target_group_arn'),
  aws_autoscaling_traffic_source_attachment: autoscalingRegistration(),
  aws_alb_target_group_attachment: targetAttachment,
  aws_lb_listener: listener,
  aws_alb_listener: listener,
  aws_instance: instance,
  aws_ec2_transit_gateway: tgw,
  aws_ec2_transit_gateway_vpc_attachment: tgwVpcAttachment,
  aws_ec2_transit_gateway_route_table: tgwRouteTable,
  aws_ec2_transit_gateway_route: tgwRoute,
  aws_ec2_transit_gateway_route_table_association: tgwAssociation('associations'),
  aws_ec2_transit_gateway_route_table_propagation: tgwAssociation('propagations'),
  aws_vpc_peering_connection: peering,
  aws_ec2_managed_prefix_list: prefixList,
  aws_vpc_ipv4_cidr_block_association: secondaryCidr,
  awscc_ec2_vpc_cidr_block: unreadSecondaryCidr,
  aws_vpc_ipam_pool_cidr: ipamPoolCidr,
};
