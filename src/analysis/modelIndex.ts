// Lookups over a NetworkModel, built once per analysis. The tracer and the rules ask questions such as
// "which route table decides for this subnet" or "which GWLB sits behind this endpoint"; answering them
// here keeps the walk in trace/ readable and every lookup O(1) or O(elements of one VPC).
import type {
  AviatrixGateway,
  ElementKind,
  ElementOf,
  Firewall,
  GatewayLoadBalancer,
  GwlbEndpoint,
  InternetGateway,
  Instance,
  NatGateway,
  NetworkElement,
  NetworkInterface,
  NetworkModel,
  Ref,
  Route,
  RouteTable,
  RouteTableAssociation,
  Subnet,
  TargetGroup,
  TgwAttachment,
  TgwRoute,
  TgwRouteTable,
  UnmodelledResource,
  Val,
} from '../model/types';
import { isUnresolved, unresolved } from '../model/types';
import { where } from '../model/where';
import { awsElbTaggedSubnet, azureNamedForAppGateway, azureSubnetService } from '../model/platformSubnets';
import { cidrContains, cidrContainsIp, parseCidr, parseIp, type Cidr } from '../model/cidr';
import { localAddress, namesAddress } from '../model/refs';
import { cidrInfo, cidrOf, ipv4ToNumber, type CidrInfo } from './ip4';
import { registerKinds } from './byKind';
import { hasConditional } from './conditional';
import { PrefixIndex } from './prefixIndex';
import { QueryKey } from './queryKeys';
import { pickLabel } from './endpointPickId';

export { PrefixIndex };

/** How a subnet's route table was found. */
/**
 * What a forwarding appliance does with what it forwards (ModelIndex.applianceRole): it inspects (a firewall), it
 * only translates (NAT), or the inputs do not say; `why` names the evidence, or its absence.
 */
export interface ApplianceRole {
  role: 'firewall' | 'nat' | 'unknown';
  why: string;
  /**
   * A GWLB target whose user data runs AWS's GWLB tunnel handler with its pass-through script: it sends back every
   * packet the GWLB gives it, with no filter (role unknown wherever a route, not a GWLB, sends traffic to it).
   */
  passthrough?: true;
  /** What its rules or IDS do with the egress it forwards, when read (ApplianceEvidence.enforces). */
  enforces?: { cls: 'restricted' | 'partial' | 'permit-all'; policy: string };
  /** Its rules are in its user data, not walked (ApplianceEvidence.rulesInUserData): what they are. */
  rulesInUserData?: string;
}

export interface SubnetTable {
  table: RouteTable;
  association: 'explicit' | 'main';
  /** The rtAssociation element for an explicit association (for locations). */
  via?: string;
}

/** A GWLB target (firewall / instance / IP) with the AZ it lives in, when known. */
export interface GwlbTarget {
  targetGroup: TargetGroup;
  /** Element id of the target, or the IP/text as registered when it is not a model element. */
  target: string;
  element?: NetworkElement;
  az?: string;
}

/**
 * An unmodelled resource that writes no route of what it names (UnmodelledResource.role): an endpoint, a Cloud
 * WAN VPC attachment, a Cloud WAN peering with a transit gateway or the attachment of a TGW route table (the
 * core network's routes in that table are modelled by the TGW lookup, trace/cloudWan.ts), a core network policy.
 */
/** A literal TGW attachment id (`tgw-attach-0abc`): one that already exists, not one the inputs create. */
const LITERAL_TGW_ATTACHMENT = /^tgw-attach-[0-9a-f]+$/;

function writesNoRoute(u: UnmodelledResource): boolean {
  return (
    u.role === 'endpoint' ||
    u.role === 'attachment' ||
    u.role === 'corePeering' ||
    u.role === 'coreRoutes' ||
    u.role === 'corePolicy' ||
    u.role === 'coreAccepter' ||
    u.role === 'chain'
  );
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A plain string value, or undefined for Unresolved / absent. */
export function val<T>(v: Val<T> | undefined): T | undefined {
  return v === undefined || isUnresolved(v) ? undefined : v;
}

/** Cloud WAN VPC attachments (kept as unmodelled elements): the subnets they name are attachment subnets. */
const CLOUD_WAN_ATTACHMENT = new Set(['AWS::NetworkManager::VpcAttachment', 'aws_networkmanager_vpc_attachment']);

/**
 * Unmodelled stacks (kept as unmodelled elements) whose template deploys unknown resources (servers, gateway
 * groups) into the subnets their parameters name: such a subnet holds something, as if a host were there.
 */
const DEPLOYING_STACK = new Set(['aws_cloudformation_stack']);

/** Kinds that decide whether a subnet is infrastructure (isInfrastructureSubnet). */
const INFRA_KINDS: ElementKind[] = [
  'subnet',
  'natgw',
  'gwlbe',
  'firewall',
  'gwlb',
  'tgwAttachment',
  'targetGroup',
  'aviatrixGateway',
  'instance',
  'eni',
  // Cloud WAN attachments' subnets (CLOUD_WAN_ATTACHMENT), stacks' subnets (DEPLOYING_STACK).
  'unmodelled',
];

/** An AWS VPC id as the provider gives it: as an Unresolved reference's text, one the inputs do not define (the merge). */
export const VPC_PROVIDER_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** A VPC looked up by a data source, as the text of a reference to its id. */
const DATA_VPC_ID = /^data\.aws_vpc\.[A-Za-z_][\w-]*\.id$/;

/**
 * The existing VPC a route table's or gateway's VPC reference names, when it names one the inputs do not hold: its
 * provider id (a literal the merge found no element for), or a root module's `data "aws_vpc"` (its address, with
 * the root's label: the same text in a module's code would name another data source in each instance).
 */
function existingVpcKey(owner: string, vpc: Ref): string | undefined {
  if (!isUnresolved(vpc)) return undefined;
  if (VPC_PROVIDER_ID.test(vpc.text)) return vpc.text;
  if (!DATA_VPC_ID.test(vpc.text)) return undefined;
  const colon = owner.indexOf(':');
  const label = colon > 0 && owner.indexOf('.') > colon ? owner.slice(0, colon + 1) : '';
  return owner.startsWith('module.', label.length) ? undefined : label + vpc.text.slice(0, -'.id'.length);
}

export class ModelIndex {
  /** While set, every lookup adds its key here (see QueryKey). */
  track: Set<string> | undefined = undefined;
  readonly byId = new Map<string, NetworkElement>();
  private byKind = new Map<ElementKind, NetworkElement[]>();
  /** Alternative keys (provider ids, addresses) for references written as literals. */
  private readonly alias = new Map<string, NetworkElement>();
  private readonly subnetsByVpc = new Map<string, Subnet[]>();
  private readonly tablesByVpc = new Map<string, RouteTable[]>();
  /**
   * Existing VPCs named by their provider id (`vpc-0abc...`) that no element of the inputs is, in which the inputs
   * make route tables or internet gateways: the ids of those, by VPC id (existingVpcsRouted).
   */
  private readonly routedOutside = new Map<string, string[]>();
  private readonly subnetAssoc = new Map<string, { table: string; via: string }>();
  private readonly mainAssoc = new Map<string, string>();
  private readonly edgeAssoc = new Map<string, { table: string; via: string }>();
  /** Subnets, then gateways, associated with each table, in association order (associationsOfTable). */
  private assocByTable?: Map<string, string[]>;
  /**
   * Associations the inputs cannot decide (unresolved subnet, gateway or table, or an undecidable count),
   * by what they might apply to: a subnet or gateway id, a VPC id (`vpc:` + id, any subnet or gateway of
   * it), or `*` (anything). A subnet or gateway they might name has no decided table.
   */
  private readonly undecidedAssoc = new Map<string, string>();
  private readonly bySubnet = new Map<string, NetworkElement[]>();
  private readonly ipOwner = new Map<string, NetworkElement>();
  private readonly routes = new Map<string, { route: Route | TgwRoute; table: RouteTable | TgwRouteTable }>();
  private readonly cidrsOfVpc = new Map<string, Cidr[]>();
  /** Subnets and VPCs by (family, prefix length, network): an address lookup probes each prefix length once. */
  private readonly subnetNets = new PrefixIndex<Subnet>();
  private readonly vpcNets = new PrefixIndex<string>();
  private readonly subnetNetsByVpc = new Map<string, PrefixIndex<Subnet>>();
  private readonly attachmentsByVpc = new Map<string, TgwAttachment[]>();
  private readonly attachmentsByTgw = new Map<string, TgwAttachment[]>();
  private infra?: Map<string, 'infrastructure' | 'hosts'>;
  private applianceVpcs?: Set<string>;
  /** VPCs holding an enforcement point (appliance VPCs, firewalls, routed appliances): isTieredAttachmentSubnet. */
  private enforcementVpcs?: Set<string>;
  /** VPCs some TGW route sends other VPCs' traffic to (isEmptyHubPublicSubnet), as asked. */
  private hubVpcs?: Map<string, boolean>;
  /** Route tables that serve only forwarding appliances' subnets and empty ones (isEmptyApplianceTierSubnet), as asked. */
  private applianceTierTables?: Map<string, boolean>;
  private conditionalSeen?: boolean;
  private unplaced?: { route: Route; table: RouteTable; info: CidrInfo }[];
  private appliancesByVpc?: Map<string, string[]>;
  private gwTargets?: Set<string>;
  /** GWLB targets and instances that forward (source/destination check off): appliances, never sources. */
  private appliances?: Set<string>;
  /** Unrouted forwarding instances only a name calls firewalls (namedFirewallsIn). */
  private namedFirewalls?: Set<string>;
  /** One-interface forwarders a load balancer's target group holds, by instance id: the target group (lbForwardersIn). */
  private lbForwarders?: Map<string, string>;
  private readonly interfacesByInstance = new Map<string, NetworkInterface[]>();
  private gwlbSubnets?: Set<string>;
  private attachmentSubnets?: Set<string>;
  /** Subnets a DEPLOYING_STACK names: something unknown is deployed there (computeRole). */
  private stackSubnets?: Set<string>;
  /** Aviatrix gateways by `<vpc id>|<subnet CIDR>` (the provider takes a CIDR, not a subnet id). */
  private aviatrixSubnets?: Map<string, NetworkElement>;
  /** `<vpc>|<cidr>` of subnets kept for an HA gateway that is not launched (AviatrixGateway.reservedHaSubnetCidr). */
  private reservedHaSubnets?: Set<string>;
  private aviatrixByVpc?: Map<string, AviatrixGateway[]>;
  private touchedBy?: Map<string, UnmodelledResource[]>;
  /** Addresses UDRs send to a VirtualAppliance, and the subnets of those no element owns (an NVA without a known address). */
  private nvaHops?: { ips: Set<string>; refs: Set<string>; subnets: Set<string>; undecided: boolean };

  /** The model this index answers for (replaced by `replaceElements`). */
  model: NetworkModel;

  /** A lookup built here is a question with a key in queryKeys.ts, whose elementKeys lists its members. */
  constructor(model: NetworkModel) {
    this.model = model;
    for (const e of model.elements) {
      this.byId.set(e.id, e);
      push(this.byKind, e.kind, e);
    }
    registerKinds(model.elements, this.byKind);
    for (const e of model.elements) {
      const pid = e.providerId;
      if (pid && !this.byId.has(pid) && !this.alias.has(pid)) this.alias.set(pid, e);
      const addr = e.address;
      if (addr && !this.byId.has(addr) && !this.alias.has(addr)) this.alias.set(addr, e);
    }
    for (const s of this.ofKind('subnet')) {
      const v = this.refId(s.vpc);
      if (v) push(this.subnetsByVpc, v, s);
    }
    for (const t of this.ofKind('routeTable')) {
      const v = this.refId(t.vpc);
      if (v) push(this.tablesByVpc, v, t);
      else {
        const outside = existingVpcKey(t.id, t.vpc);
        if (outside) push(this.routedOutside, outside, t.id);
      }
      if (t.main && v && !this.mainAssoc.has(v)) this.mainAssoc.set(v, t.id);
    }
    for (const kind of ['igw', 'eigw'] as const)
      for (const g of this.ofKind(kind)) {
        const outside = existingVpcKey(g.id, g.vpc);
        if (outside) push(this.routedOutside, outside, g.id);
      }
    for (const a of this.ofKind('rtAssociation')) {
      const table = this.refId(a.routeTable);
      const subnet = this.refId(a.subnet);
      const gw = this.refId(a.gateway);
      // A literal subnet or gateway id that is not in the inputs is someone else's: not ours to doubt.
      if ((a.subnet !== undefined && !subnet && !isUnresolved(a.subnet)) || (a.gateway !== undefined && !gw && !isUnresolved(a.gateway)))
        continue;
      if (!table || a.undecided || (a.subnet !== undefined && !subnet) || (a.gateway !== undefined && !gw)) {
        this.noteUndecidedAssociation(a, table);
        continue;
      }
      const mainOf = this.refId(a.mainOfVpc);
      if (subnet) this.subnetAssoc.set(subnet, { table, via: a.id });
      if (gw) this.edgeAssoc.set(gw, { table, via: a.id });
      // An explicit main-table association overrides a `main` flag set by default_route_table.
      if (mainOf) this.mainAssoc.set(mainOf, table);
    }
    for (const v of this.ofKind('vpc')) {
      const cidrs = v.cidrs.flatMap((c) => {
        const p = isUnresolved(c) ? undefined : cidrOf(c);
        return p ? [p] : [];
      });
      this.cidrsOfVpc.set(v.id, cidrs);
      for (const c of cidrs) this.vpcNets.add(c, v.id);
    }
    for (const s of this.ofKind('subnet')) {
      const v = this.refId(s.vpc);
      for (const c of [val(s.cidr), val(s.ipv6Cidr)]) {
        const p = c ? cidrOf(c) : undefined;
        if (!p) continue;
        this.subnetNets.add(p, s);
        if (v) {
          let idx = this.subnetNetsByVpc.get(v);
          if (!idx) this.subnetNetsByVpc.set(v, (idx = new PrefixIndex<Subnet>()));
          idx.add(p, s);
        }
      }
    }
    for (const a of this.ofKind('tgwAttachment')) {
      const v = this.refId(a.vpc);
      const t = this.refId(a.tgw);
      if (v) push(this.attachmentsByVpc, v, a);
      if (t) push(this.attachmentsByTgw, t, a);
    }
    for (const n of this.ofKind('eni')) {
      const i = this.refId(n.instance);
      if (i) push(this.interfacesByInstance, i, n);
    }
    for (const e of model.elements) {
      const subnet = 'subnet' in e && typeof e.subnet !== 'undefined' ? this.refId(e.subnet) : undefined;
      if (subnet) push(this.bySubnet, subnet, e);
      if (e.kind === 'natgw' || e.kind === 'instance' || e.kind === 'firewall' || e.kind === 'eni') {
        const ip = val(e.privateIp);
        if (ip && !this.ipOwner.has(ip)) this.ipOwner.set(ip, e);
      }
    }
  }

  /**
   * Move this index to `model`, which differs from the current one only by `pairs` (old and new version of
   * elements with the same id, in place). Every field the constructor reads must be equal in both versions
   * (incremental.ts compares an index signature): then only the object references in the lookups change.
   */
  replaceElements(model: NetworkModel, pairs: [NetworkElement, NetworkElement][]): void {
    this.model = model;
    const kinds = new Set<ElementKind>();
    const swap = <T extends NetworkElement>(list: T[] | undefined, o: NetworkElement, n: NetworkElement): void => {
      const i = list ? list.indexOf(o as T) : -1;
      if (i >= 0) list![i] = n as T;
    };
    for (const [o, n] of pairs) {
      kinds.add(n.kind);
      if (this.byId.get(o.id) === o) this.byId.set(o.id, n);
      for (const t of [o.providerId, o.address]) if (t && this.alias.get(t) === o) this.alias.set(t, n);
      if (n.kind === 'subnet') {
        const v = this.refId(n.vpc);
        if (v) swap(this.subnetsByVpc.get(v), o, n);
        for (const c of [val(n.cidr), val(n.ipv6Cidr)]) {
          const p = c ? cidrOf(c) : undefined;
          if (!p) continue;
          this.subnetNets.replace(p, o as Subnet, n);
          if (v) this.subnetNetsByVpc.get(v)?.replace(p, o as Subnet, n);
        }
      } else if (n.kind === 'routeTable') {
        const v = this.refId(n.vpc);
        if (v) swap(this.tablesByVpc.get(v), o, n);
      } else if (n.kind === 'tgwAttachment') {
        const v = this.refId(n.vpc);
        const t = this.refId(n.tgw);
        if (v) swap(this.attachmentsByVpc.get(v), o, n);
        if (t) swap(this.attachmentsByTgw.get(t), o, n);
      } else if (n.kind === 'aviatrixGateway') {
        this.aviatrixByVpc = undefined;
      } else if (n.kind === 'unmodelled') {
        this.touchedBy = undefined;
        this.destNets = undefined;
        this.endpointsBySubnet = undefined;
        this.coreRoutesByTable = undefined;
      } else if (n.kind === 'eni') {
        const i = this.refId(n.instance);
        if (i) swap(this.interfacesByInstance.get(i), o, n);
      }
      if ('subnet' in n && n.subnet !== undefined) {
        const sn = this.refId(n.subnet);
        if (sn) swap(this.bySubnet.get(sn), o, n);
      }
      if (n.kind === 'natgw' || n.kind === 'instance' || n.kind === 'firewall' || n.kind === 'eni') {
        const ip = val(n.privateIp);
        if (ip && this.ipOwner.get(ip) === o) this.ipOwner.set(ip, n);
      }
    }
    // A new map: the previous model's element list keeps its own grouping (registerKinds).
    const byKind = new Map(this.byKind);
    // Same ids at the same positions (the caller's merge walk): swap the changed objects in copies of
    // their kinds' lists.
    const swapped = new Map<NetworkElement, NetworkElement>();
    for (const [o, n] of pairs) swapped.set(o, n);
    for (const k of kinds)
      byKind.set(
        k,
        (this.byKind.get(k) ?? []).map((e) => swapped.get(e) ?? e),
      );
    this.byKind = byKind;
    registerKinds(model.elements, byKind);
    this.routes.clear();
    if (pairs.some(([o, n]) => (o.kind === 'routeTable' && o.unplaced) || (n.kind === 'routeTable' && n.unplaced)))
      this.unplaced = undefined;
  }

  get(id: string): NetworkElement | undefined {
    if (this.track) this.track.add(id);
    return this.byId.get(id) ?? this.alias.get(id);
  }

  /** Whether any element exists only if a provider list is long enough (analysis/conditional.ts); once per index. */
  anyConditional(): boolean {
    return (this.conditionalSeen ??= hasConditional(this.model.elements));
  }

  ofKind<K extends ElementKind>(kind: K): ElementOf<K>[] {
    if (this.track) this.track.add(QueryKey.kind + kind);
    return (this.byKind.get(kind) ?? []) as ElementOf<K>[];
  }

  /** The element id a reference names, when it names an element of the model. */
  refId(ref: Ref | undefined): string | undefined {
    if (ref === undefined || isUnresolved(ref)) return undefined;
    return this.get(ref)?.id;
  }

  /** Resolve a reference to an element, optionally of one kind. */
  resolve<K extends ElementKind>(ref: Ref | undefined, kind?: K): ElementOf<K> | undefined {
    // refId recorded the reference; the id it answers is the element's own.
    const id = this.refId(ref);
    const e = id ? this.byId.get(id) : undefined;
    if (!e || (kind && e.kind !== kind)) return undefined;
    return e as ElementOf<K>;
  }

  subnetsOfVpc(vpcId: string): Subnet[] {
    if (this.track) this.track.add(QueryKey.subnetsOfVpc + vpcId);
    return this.subnetsByVpc.get(vpcId) ?? [];
  }

  /**
   * Existing VPCs the inputs name by provider id without holding them, in which they make route tables or internet
   * gateways (by VPC id, those elements' ids): their subnets and instances are not in the inputs.
   */
  existingVpcsRouted(): ReadonlyMap<string, readonly string[]> {
    return this.routedOutside;
  }

  routeTablesOfVpc(vpcId: string): RouteTable[] {
    if (this.track) this.track.add(QueryKey.tablesOfVpc + vpcId);
    return this.tablesByVpc.get(vpcId) ?? [];
  }

  mainRouteTable(vpcId: string): RouteTable | undefined {
    if (this.track) this.track.add(QueryKey.main + vpcId);
    const id = this.mainAssoc.get(vpcId);
    return id ? this.resolve(id, 'routeTable') : undefined;
  }

  /**
   * The table that decides for a subnet: its explicit association, else the VPC's main table. Undefined
   * when there is none, or when an association the inputs cannot decide might name the subnet
   * (`undecidedTableOf` says why): never the main table by default.
   */
  routeTableOfSubnet(subnetId: string): SubnetTable | undefined {
    if (this.track) this.track.add(QueryKey.subnetAssoc + subnetId);
    const a = this.subnetAssoc.get(subnetId);
    const t = a ? this.resolve(a.table, 'routeTable') : undefined;
    // Another association of this very subnet that may exist (a CloudFormation pair whose conditions a Default
    // decides, R16): which table it has is not decided.
    if (t && a && !(this.undecidedAssoc.size > 0 && this.undecidedAssoc.has(`s:${subnetId}`)))
      return { table: t, association: 'explicit', via: a.via };
    if (this.undecidedTableOf(subnetId, 's')) return undefined;
    const s = this.resolve(subnetId, 'subnet');
    const vpc = s ? this.refId(s.vpc) : undefined;
    const main = vpc ? this.mainRouteTable(vpc) : undefined;
    return main ? { table: main, association: 'main' } : undefined;
  }

  /**
   * Why the route table of a subnet (role `s`) or the edge table of a gateway (role `g`) cannot be
   * decided, if it cannot.
   */
  undecidedTableOf(id: string, role: 's' | 'g' = 's'): string | undefined {
    // Any association anywhere may change the answer (an unresolved one names no subnet).
    if (this.track) this.track.add(QueryKey.kind + 'rtAssociation');
    if (this.undecidedAssoc.size === 0) return undefined;
    const e = this.get(id);
    const own = e?.id ?? id;
    const vpc = e ? (e.kind === 'igw' || e.kind === 'eigw' || e.kind === 'vgw' ? this.refId(e.vpc) : this.vpcOf(e.id)) : undefined;
    return (
      this.undecidedAssoc.get(`${role}:${own}`) ??
      (vpc ? this.undecidedAssoc.get(`${role}:vpc:${vpc}`) : undefined) ??
      this.undecidedAssoc.get(`${role}:*`)
    );
  }

  private noteUndecidedAssociation(a: RouteTableAssociation, table: string | undefined): void {
    const what = (r: Ref | undefined, name: string): string | undefined =>
      r !== undefined && isUnresolved(r) ? `its ${name} \`${r.text || '?'}\` cannot be decided offline (${r.reason})` : undefined;
    const why =
      (a.undecided ? `whether it exists cannot be decided offline (\`${a.undecided.text}\`: ${a.undecided.reason})` : undefined) ??
      what(a.subnet, 'subnet') ??
      what(a.gateway, 'gateway') ??
      what(a.mainOfVpc, 'VPC') ??
      what(a.routeTable, 'route table') ??
      `its route table ${typeof a.routeTable === 'string' ? a.routeTable : '?'} is not in the inputs`;
    const reason = `route table association ${a.address ?? a.id} (${where(a.loc)}): ${why}`;
    const role = a.gateway !== undefined ? 'g' : 's';
    const target = this.refId(a.subnet) ?? this.refId(a.gateway);
    const tableEl = table ? this.resolve(table, 'routeTable') : undefined;
    // A main-table association decides every subnet of its VPC that has no explicit association.
    const vpc = this.refId(a.mainOfVpc) ?? (tableEl ? this.refId(tableEl.vpc) : undefined);
    const key = `${role}:${target ?? (vpc ? 'vpc:' + vpc : '*')}`;
    if (!this.undecidedAssoc.has(key)) this.undecidedAssoc.set(key, reason);
  }

  /** The edge-associated (gateway) route table of an IGW or VGW. */
  edgeRouteTable(gatewayId: string): { table: RouteTable; via: string } | undefined {
    if (this.track) this.track.add(QueryKey.edgeAssoc + gatewayId);
    const a = this.edgeAssoc.get(gatewayId);
    const t = a ? this.resolve(a.table, 'routeTable') : undefined;
    return t && a ? { table: t, via: a.via } : undefined;
  }

  /** The association element (subnet or edge) pointing at a table, for "associated with" notes. */
  associationsOfTable(tableId: string): string[] {
    // Indexed once (the associations are fixed at construction): asked per table and per finding, a scan of
    // every association each time made large estates quadratic.
    if (!this.assocByTable) {
      this.assocByTable = new Map();
      for (const assoc of [this.subnetAssoc, this.edgeAssoc])
        for (const [k, v] of assoc) {
          const list = this.assocByTable.get(v.table);
          if (list) list.push(k);
          else this.assocByTable.set(v.table, [k]);
        }
    }
    return [...(this.assocByTable.get(tableId) ?? [])];
  }

  /**
   * Whether a table's associations are all gateway (edge) ones, at least one: an IGW or VGW ingress table, which
   * routes what enters through the gateway and is no subnet's table. Its answer rests on every association.
   */
  isEdgeOnlyTable(tableId: string): boolean {
    if (this.track) this.track.add(QueryKey.kind + 'rtAssociation');
    const assoc = this.associationsOfTable(tableId);
    return assoc.length > 0 && assoc.every((id) => this.edgeAssoc.get(id)?.table === tableId && !this.subnetAssoc.has(id));
  }

  elementsInSubnet(subnetId: string): NetworkElement[] {
    if (this.track) this.track.add(QueryKey.bySubnet + subnetId);
    return this.bySubnet.get(subnetId) ?? [];
  }

  natGatewaysInSubnet(subnetId: string): NatGateway[] {
    return this.elementsInSubnet(subnetId).filter((e): e is NatGateway => e.kind === 'natgw');
  }

  gwlbEndpointsInSubnet(subnetId: string): GwlbEndpoint[] {
    return this.elementsInSubnet(subnetId).filter((e): e is GwlbEndpoint => e.kind === 'gwlbe');
  }

  instancesInSubnet(subnetId: string): Instance[] {
    return this.elementsInSubnet(subnetId)
      .filter((e): e is Instance => e.kind === 'instance')
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The subnet an element lives in (NAT GW, GWLBe, instance, firewall, or the subnet itself). */
  subnetOf(id: string): Subnet | undefined {
    const e = this.get(id);
    if (!e) return undefined;
    if (e.kind === 'subnet') return e;
    if ('subnet' in e && e.subnet !== undefined) return this.resolve(e.subnet, 'subnet');
    return undefined;
  }

  /** The VPC/VNet an element belongs to, through its own `vpc` or its subnet's. */
  vpcOf(id: string): string | undefined {
    const e = this.get(id);
    if (!e) return undefined;
    if (e.kind === 'vpc') return e.id;
    if ('vpc' in e && e.vpc !== undefined) {
      const v = this.refId(e.vpc);
      if (v) return v;
    }
    const s = this.subnetOf(id);
    if (s && s.id !== e.id) return this.refId(s.vpc);
    if (e.kind === 'subnet') return this.refId(e.vpc);
    if (e.kind === 'gwlb') {
      for (const sn of e.subnets) {
        const sub = this.resolve(sn, 'subnet');
        if (sub) return this.refId(sub.vpc);
      }
    }
    // An internal load balancer: the VNet of its private frontends' subnets.
    if (e.kind === 'loadBalancer') {
      for (const f of e.frontends) {
        const sub = this.resolve(f.subnet, 'subnet');
        if (sub) return this.refId(sub.vpc);
      }
    }
    return undefined;
  }

  /** AZ of an element: its own subnet's AZ (resolved values only). */
  azOf(id: string): string | undefined {
    const s = this.subnetOf(id);
    return s ? val(s.az) : undefined;
  }

  /** Parsed CIDRs of a VPC (unresolved ones skipped; `unresolvedCidrs` tells whether any were). */
  vpcCidrs(vpcId: string): Cidr[] {
    if (this.track) this.track.add(vpcId);
    return this.cidrsOfVpc.get(vpcId) ?? this.cidrsOfVpc.get(this.refId(vpcId) ?? '') ?? [];
  }

  unresolvedCidrs(vpcId: string): boolean {
    const v = this.resolve(vpcId, 'vpc');
    return !!v && v.cidrs.some((c) => isUnresolved(c));
  }

  internetGatewaysOfVpc(vpcId: string): InternetGateway[] {
    if (this.track) this.track.add(QueryKey.kind + 'igw').add(QueryKey.kind + 'eigw');
    // ElementOf<'igw'> is never (InternetGateway's kind is a union), so select by kind by hand.
    return this.model.elements.filter((e): e is InternetGateway => (e.kind === 'igw' || e.kind === 'eigw') && this.refId(e.vpc) === vpcId);
  }

  /** GWLB behind a GWLB endpoint: endpoint -> endpoint service -> load balancer. */
  gwlbOfEndpoint(gwlbeId: string): GatewayLoadBalancer | undefined {
    const ep = this.resolve(gwlbeId, 'gwlbe');
    if (!ep) return undefined;
    const svc = this.resolve(ep.service, 'endpointService');
    if (svc) {
      for (const lb of svc.loadBalancers) {
        const g = this.resolve(lb, 'gwlb');
        if (g) return g;
      }
    }
    // A service reference may point straight at the GWLB in hand-written fixtures.
    return this.resolve(ep.service, 'gwlb');
  }

  /**
   * The GWLBs of the inputs with their pass-through targets, when there is one and every target of each only passes
   * packets back (review s15 R2). Not kept between calls: each trace that asks must record what the answer reads
   * (the GWLBs, their targets' user data), or an incremental analysis would reuse it after an edit (review s16 R18).
   */
  onlyPassThroughGwlbs(): string | undefined {
    const gwlbs = this.ofKind('gwlb');
    if (gwlbs.length === 0) return undefined;
    const named: string[] = [];
    for (const g of gwlbs) {
      const targets = this.targetsOfGwlb(g.id);
      if (targets.length === 0 || !targets.every((t) => this.applianceRole(t.target).passthrough)) return undefined;
      named.push(`${this.label(g.id)}: ${[...new Set(targets.map((t) => this.label(t.target)))].join(', ')}`);
    }
    return named.join('; ');
  }

  /** Registered targets of a GWLB (through its target groups), with their AZ. */
  targetsOfGwlb(gwlbId: string): GwlbTarget[] {
    const out: GwlbTarget[] = [];
    for (const tg of this.ofKind('targetGroup')) {
      if (this.refId(tg.loadBalancer) !== gwlbId) continue;
      for (const t of tg.targets) {
        const el = this.resolve(t);
        const text = el?.id ?? (isUnresolved(t) ? t.text : t);
        const az = el ? this.azOf(el.id) : this.azOfIp(text);
        out.push({ targetGroup: tg, target: text, element: el, az });
      }
      if (tg.targets.length === 0) out.push({ targetGroup: tg, target: tg.id });
    }
    return out.filter((t, i) => i === out.findIndex((u) => u.targetGroup.id === t.targetGroup.id && u.target === t.target));
  }

  private azOfIp(ip: string): string | undefined {
    const s = this.subnetContainingIp(ip);
    return s ? val(s.az) : undefined;
  }

  /** AZs the GWLB is deployed in (its subnets' AZs). */
  gwlbAzs(gwlbId: string): string[] {
    const g = this.resolve(gwlbId, 'gwlb');
    if (!g) return [];
    return g.subnets.map((s) => this.resolve(s, 'subnet')).flatMap((s) => (s && val(s.az) ? [val(s.az)!] : []));
  }

  tgwAttachmentsOfVpc(vpcId: string): TgwAttachment[] {
    if (this.track) this.track.add(QueryKey.attachmentsOfVpc + vpcId);
    return this.attachmentsByVpc.get(vpcId) ?? [];
  }

  tgwAttachmentsOfTgw(tgwId: string): TgwAttachment[] {
    if (this.track) this.track.add(QueryKey.attachmentsOfTgw + tgwId);
    return this.attachmentsByTgw.get(tgwId) ?? [];
  }

  /** The TGW route table an attachment is associated with. */
  tgwRouteTableOf(attachmentId: string): TgwRouteTable | undefined {
    const a = this.resolve(attachmentId, 'tgwAttachment');
    const direct = a ? this.resolve(a.routeTable, 'tgwRouteTable') : undefined;
    if (direct) return direct;
    return this.ofKind('tgwRouteTable').find((t) => t.associations.some((r) => this.refId(r) === attachmentId));
  }

  /** Aviatrix gateways deployed in a VPC (by model reference or by literal VPC id text). */
  aviatrixGatewaysOfVpc(vpcId: string): AviatrixGateway[] {
    const v = this.get(vpcId);
    if (!v) return [];
    // Built once from every gateway: the answer depends on all of them.
    if (this.track) this.track.add(QueryKey.kind + 'aviatrixGateway');
    if (!this.aviatrixByVpc) {
      this.aviatrixByVpc = new Map();
      for (const g of this.ofKind('aviatrixGateway')) {
        const key = this.refId(g.vpc) ?? (g.vpcIdText ? this.get(g.vpcIdText)?.id : undefined);
        if (key) push(this.aviatrixByVpc, key, g);
      }
    }
    return this.aviatrixByVpc.get(v.id) ?? [];
  }

  /** The element (NAT GW, instance, firewall, network interface) that owns a private IP. */
  elementByIp(ip: string): NatGateway | Instance | Firewall | NetworkInterface | undefined {
    if (this.track) this.track.add(QueryKey.ipOwner + ip);
    return this.ipOwner.get(ip) as NatGateway | Instance | Firewall | NetworkInterface | undefined;
  }

  /** Network interfaces attached to an instance (or firewall), in id order. */
  interfacesOf(instanceId: string): NetworkInterface[] {
    if (this.track) this.track.add(QueryKey.interfacesOf + instanceId);
    return this.interfacesByInstance.get(instanceId) ?? [];
  }

  /**
   * Whether an instance is an appliance that forwards other hosts' traffic (a firewall VM, a NAT instance):
   * a GWLB's target, or an instance whose source/destination check is off on itself or on an attached
   * interface. Its own subnets (management, inside, outside) are infrastructure, and it is no traffic source.
   */
  isAppliance(id: string): boolean {
    this.trackRoles();
    this.prepareRoles();
    return this.appliances!.has(this.refId(id) ?? id);
  }

  /**
   * What a forwarding appliance (an instance, a firewall VM, an Azure NVA) does with what it forwards, from what the
   * inputs say it runs (docs/domain.md, section 5): a firewall when a GWLB's target group holds it (GWLB exists to
   * insert appliances), a vendor's bootstrap or image says so, or its user data filters packets (Instance.runs,
   * vocabulary/appliance.ts; a name saying firewall is a hint only, review s16 R11); NAT when its image is a NAT AMI,
   * its user data only translates, or its name says NAT; otherwise unknown: a forwarding instance may be either, and which is not
   * guessed.
   */
  applianceRole(id: string): ApplianceRole {
    this.trackRoles();
    this.prepareRoles();
    const el = this.get(id);
    // A GWLB target group with no target in the inputs and nothing in them that registers one (targetsOfGwlb's
    // stand-in): what it forwards to is not known (review s15 R12). One an Auto Scaling group fills stands for its
    // instances: the appliances the group launches.
    if (el?.kind === 'targetGroup' && el.targets.length === 0 && !el.registeredBy?.length)
      return {
        role: 'unknown',
        why: `target group ${el.address ?? this.label(el.id)} (${where(el.loc)}), which has no target in the inputs and nothing in them registers one (a target group attachment, an Auto Scaling group naming it): what it forwards to is not known`,
      };
    if (el?.kind !== 'instance' && el?.kind !== 'firewall') return { role: 'firewall', why: 'a firewall' };
    if (el.kind === 'firewall' && el.vendor !== undefined && el.vendor !== 'nva') return { role: 'firewall', why: el.vendor };
    if (el.ngfw !== undefined && el.ngfw.vendor !== 'nva')
      return { role: 'firewall', why: `its bootstrap or image says ${el.ngfw.vendor}` };
    // A GWLB target that only passes packets back enforces nothing (F136, F201): a GWLB's flows through it are
    // uninspected (trace/aws.ts), never Protected.
    if (el.runs?.role === 'passthrough')
      return {
        role: 'unknown',
        why: `${el.address ?? this.label(el.id)} (${where(el.loc)}): ${el.runs.why}`,
        ...(el.runs.hairpin ? { passthrough: true as const } : {}),
      };
    if (this.gwTargets!.has(el.id) || (el.kind === 'firewall' && el.cloud !== 'azure'))
      return { role: 'firewall', why: "a GWLB target group's target" };
    // A name saying firewall is a hint, not what it runs (review s16 R11): no Protected on a Name tag alone.
    if (el.runs && !(el.runs.role === 'firewall' && el.runs.byName))
      return {
        role: el.runs.role,
        why: el.runs.why,
        ...(el.runs.enforces ? { enforces: el.runs.enforces } : {}),
        ...(el.runs.rulesInUserData ? { rulesInUserData: el.runs.rulesInUserData } : {}),
      };
    const what = el.cloud === 'azure' ? 'network virtual appliance' : 'forwarding instance';
    const hint = `${el.runs ? `; ${el.runs.why}, a hint only` : ''}${el.kind === 'instance' && el.imageNote ? `; ${el.imageNote}` : ''}`;
    return {
      role: 'unknown',
      why: `${what} ${el.address ?? this.label(el.id)} (${where(el.loc)}): its software is not in the inputs (a NAT instance or a firewall)${hint}`,
    };
  }

  /** The most specific subnet whose CIDR (IPv4 or IPv6) contains ip, optionally within one VPC. */
  subnetContainingIp(ip: string, vpcId?: string): Subnet | undefined {
    if (this.track) this.track.add(vpcId ? QueryKey.subnetNets + vpcId : QueryKey.allSubnetNets);
    const nets = vpcId ? this.subnetNetsByVpc.get(vpcId) : this.subnetNets;
    if (!nets) return undefined;
    const n4 = ipv4ToNumber(ip);
    if (n4 >= 0) return nets.longest4(n4);
    const p = parseIp(ip);
    return p ? nets.longest(p) : undefined;
  }

  /** The VPC whose CIDRs contain ip (most specific). */
  vpcContainingIp(ip: string): string | undefined {
    if (this.track) this.track.add(QueryKey.vpcNets);
    const n4 = ipv4ToNumber(ip);
    if (n4 >= 0) return this.vpcNets.longest4(n4);
    const p = parseIp(ip);
    return p ? this.vpcNets.longest(p) : undefined;
  }

  /**
   * Infrastructure subnets host the egress machinery: a NAT GW, a GWLB endpoint or a firewall in them, a GWLB's
   * or a TGW attachment's subnets, an instance registered as a GWLB target (a firewall appliance), the subnet an
   * Aviatrix gateway is launched in, and any subnet without a workload in an appliance VPC (one that holds a
   * GWLB or its appliances: its other subnets carry the appliances' plumbing, such as the TGW attachment of a
   * centralized design whose attachment is written in another stack), and an empty subnet routed straight to
   * the IGW in an egress hub (isEmptyHubPublicSubnet), and an empty subnet on a forwarding appliance's own table
   * (isEmptyApplianceTierSubnet), and an Azure subnet that holds only private endpoints, which originate no
   * traffic (Subnet.onlyPrivateEndpoints). They are hops on workload paths, not
   * workload sources: the egress survey (trace/index.ts) and the protection states (states.ts) both skip them.
   * This is the one definition; what counts as a source inside such a subnet belongs here too.
   */
  isInfrastructureSubnet(subnetId: string): boolean {
    return this.subnetRole(subnetId) === 'infrastructure';
  }

  /**
   * The egress machinery a subnet holds, whatever else it holds (a NAT GW, a GWLB or firewall endpoint, a
   * firewall, an Aviatrix gateway): that subnet's route table carries the machinery's own traffic.
   */
  egressMachineryIn(subnetId: string): NetworkElement | undefined {
    const id = this.refId(subnetId) ?? subnetId;
    const own = this.elementsInSubnet(id).find(
      (e) => e.kind === 'natgw' || e.kind === 'gwlbe' || (e.kind === 'firewall' && !this.isIdleNva(e)),
    );
    if (own) return own;
    // A forwarding appliance (a firewall or NAT instance): its subnet's table carries what it forwards out.
    this.trackRoles();
    this.prepareRoles();
    // An explicit forward proxy (F103): its subnet's table carries the egress it relays.
    const appliance = this.elementsInSubnet(id).find((e) => this.isApplianceElement(e) || this.isExplicitProxy(e));
    if (appliance) return appliance.kind === 'eni' ? (this.resolve(appliance.instance, 'instance') ?? appliance) : appliance;
    const sub = this.resolve(id, 'subnet');
    // Internet-facing load balancers' subnet: the table carries their replies to internet clients (F95, F100).
    return this.aviatrixGatewayIn(sub) ?? (sub && this.isPublicLbSubnet(sub) ? sub : undefined);
  }

  /**
   * A subnet of internet-facing load balancers: tagged for them (model/platformSubnets.ts awsElbTaggedSubnet), or
   * holding one of the inputs (Subnet.publicLb) whose table sends 0.0.0.0/0 to the internet gateway or to an
   * endpoint in front of it (ingress routing), as such a load balancer needs. One placed where 0.0.0.0/0 goes
   * elsewhere (a transit gateway, a NAT GW), nowhere, or where the table is not decided cannot be shown to serve
   * internet clients there: the subnet stays what it was.
   */
  private isPublicLbSubnet(s: Subnet): boolean {
    if (awsElbTaggedSubnet(s)) return true;
    if (s.cloud !== 'aws' || s.publicLb === undefined) return false;
    const dflt = this.routeTableOfSubnet(s.id)?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
    return dflt?.state === 'active' && (dflt.target.kind === 'igw' || dflt.target.kind === 'gwlbe');
  }

  /**
   * A forwarding appliance or one of its interfaces: an instance that forwards (GWLB target, source/destination
   * check off) or is a firewall VM by its bootstrap (Instance.ngfw, even when it forwards nothing in the
   * inputs), an interface of one, or a forwarding interface attached to nothing in the inputs (attached by a
   * script). prepareRoles() first.
   */
  private isApplianceElement(e: NetworkElement): boolean {
    if (e.kind === 'instance') return this.appliances!.has(e.id) || e.ngfw !== undefined;
    if (e.kind !== 'eni') return false;
    return (
      this.appliances!.has(this.refId(e.instance) ?? '') ||
      this.resolve(e.instance, 'instance')?.ngfw !== undefined ||
      (e.instance === undefined && e.sourceDestCheck === false)
    );
  }

  /**
   * An explicit forward proxy (Instance.proxy: squid by its user data, image or name) that forwards nothing: clients
   * are told to use it by configuration, and what leaves its subnet is the egress it relays, an enforcement point's
   * own (F103). A proxy that forwards is an appliance (its role from Instance.runs). prepareRoles() first.
   */
  isExplicitProxy(e: NetworkElement): boolean {
    this.trackRoles();
    this.prepareRoles();
    return e.kind === 'instance' && e.proxy !== undefined && !this.isApplianceElement(e) && e.manager === undefined;
  }

  /** The Aviatrix gateway launched in a subnet (its own or its HA gateway's), matched by VPC and CIDR. */
  private aviatrixGatewayIn(s: Subnet | undefined): NetworkElement | undefined {
    if (!this.aviatrixSubnets) {
      this.aviatrixSubnets = new Map();
      this.reservedHaSubnets = new Set();
      for (const g of this.ofKind('aviatrixGateway')) {
        for (const cidr of [val(g.subnetCidr), val(g.haSubnetCidr)]) {
          const k = `${this.refId(g.vpc)}|${cidr}`;
          if (cidr && !this.aviatrixSubnets.has(k)) this.aviatrixSubnets.set(k, g);
        }
        const reserved = val(g.reservedHaSubnetCidr);
        if (reserved) this.reservedHaSubnets.add(`${this.refId(g.vpc)}|${reserved}`);
      }
    }
    const cidr = s ? val(s.cidr) : undefined;
    return s && cidr ? this.aviatrixSubnets.get(`${this.refId(s.vpc)}|${cidr}`) : undefined;
  }

  /**
   * A workload host (bastion, test host) placed in what would otherwise be an infrastructure subnet: the
   * subnet is a traffic source (its host's), but it adds no workload tier to its VPC (states.ts keeps an
   * appliance VPC whose only own sources are such hosts in the Inspection state).
   */
  isHostInInfrastructure(subnetId: string): boolean {
    return this.subnetRole(subnetId) === 'hosts';
  }

  /** The firewall appliances (GWLB targets) that live in a VPC. */
  appliancesOfVpc(vpcId: string): string[] {
    this.trackRoles();
    this.prepareRoles();
    return this.appliancesByVpc!.get(vpcId) ?? [];
  }

  /**
   * An Azure network virtual appliance (a NIC with IP forwarding) that no route sends traffic to: a VM's
   * ordinary NIC with forwarding on, no enforcement point; its subnet holds workloads. One with no known
   * address is in use when a VirtualAppliance next hop that nothing else owns lies in its subnet.
   */
  isIdleNva(e: NetworkElement): boolean {
    if (e.kind !== 'firewall' || e.cloud !== 'azure' || e.vendor === 'Azure Firewall' || e.dedicated !== undefined) return false;
    if (this.track) this.track.add(QueryKey.nvaHops);
    if (!this.nvaHops) {
      const ips = new Set<string>();
      // Next hops written as an appliance's own address attribute name it (an unresolved one names none of ours).
      const refs = new Set<string>();
      let undecided = false;
      // Read without ofKind: the query key above, not every route table, is what this answer depends on.
      for (const t of (this.byKind.get('routeTable') ?? []) as RouteTable[])
        for (const r of t.routes) {
          if (r.target.kind !== 'virtualAppliance') continue;
          if (r.target.ref !== undefined) {
            // An address attribute the inputs cannot tie to an appliance (its NIC's forwarding undecided, a
            // value known after apply) may be any appliance's.
            if (typeof r.target.ref === 'string') refs.add(r.target.ref);
            else undecided = true;
            // An internal load balancer's frontend: the appliances of its backend pools are in use.
            const lb = typeof r.target.ref === 'string' ? this.byId.get(r.target.ref) : undefined;
            if (lb?.kind === 'loadBalancer')
              for (const p of lb.pools)
                for (const m of p.members) {
                  if (m.appliance !== undefined) refs.add(m.appliance);
                  else if (m.ip !== undefined) ips.add(m.ip);
                  else if (m.open !== undefined) undecided = true;
                }
            continue;
          }
          if (typeof r.target.ip === 'string') ips.add(r.target.ip);
          else undecided = true;
        }
      const subnets = new Set<string>();
      for (const ip of ips) {
        const n4 = ipv4ToNumber(ip);
        const s = n4 >= 0 && !this.ipOwner.has(ip) ? this.subnetNets.longest4(n4) : undefined;
        if (s) subnets.add(s.id);
      }
      this.nvaHops = { ips, refs, subnets, undecided };
    }
    // A next hop the inputs cannot decide might be any appliance: none is idle.
    if (this.nvaHops.undecided || this.nvaHops.refs.has(e.id)) return false;
    const ip = val(e.privateIp);
    if (ip !== undefined) return !this.nvaHops.ips.has(ip);
    const s = this.refId(e.subnet);
    return !s || !this.nvaHops.subnets.has(s);
  }

  private subnetRole(subnetId: string): 'workload' | 'infrastructure' | 'hosts' {
    this.trackRoles();
    if (!this.infra) {
      this.infra = new Map();
      for (const s of this.ofKind('subnet')) {
        const r = this.computeRole(s.id);
        if (r !== 'workload') this.infra.set(s.id, r);
      }
    }
    return this.infra.get(this.refId(subnetId) ?? subnetId) ?? 'workload';
  }

  private computeRole(subnetId: string): 'workload' | 'infrastructure' | 'hosts' {
    this.prepareRoles();
    // Azure refuses anything but its own service in a reserved subnet (AzureBastionSubnet, GatewaySubnet...)
    // and in an Application Gateway's.
    const sub = this.resolve(subnetId, 'subnet');
    if (sub?.cloud === 'azure' && azureSubnetService(sub)) return 'infrastructure';
    const instances = this.instancesInSubnet(subnetId);
    // A firewall VM (isApplianceElement) carries no workload; a workload (bastion, test host) in a NAT or
    // endpoint subnet is a traffic source like any other. A firewall manager beside a firewall's interface
    // (the FMC in the FTD's management subnet) is that firewall's management plane, no workload either.
    let firewallHere: boolean | undefined;
    const plane = (i: Instance): boolean =>
      i.manager !== undefined && (firewallHere ??= this.elementsInSubnet(subnetId).some((e) => this.isApplianceElement(e)));
    // What a stack deploys into the subnet (a management server from a remote template) is not in the inputs:
    // the subnet is not empty, and what leaves it is traced as a host's (Unknown, through the stack).
    // An explicit forward proxy is no workload; beside workloads it does not make their subnet its own (F103).
    const hosts =
      instances.some((i) => !this.isApplianceElement(i) && !plane(i) && !this.isExplicitProxy(i)) ||
      this.stackSubnets!.has(sub?.id ?? subnetId);
    // An Azure subnet named for an Application Gateway that holds nothing of the inputs (no NIC, VM, scale set,
    // private endpoint, node pool or delegation to another service: Subnet.heldBy; a route table association at
    // most) is reserved for a gateway another configuration deploys (F183): nothing of the inputs leaves it, and a
    // workload's advice (0.0.0.0/0 to the firewall) would break an Application Gateway v2. Holding anything, it is
    // judged by what it holds, whatever its name.
    if (
      sub?.cloud === 'azure' &&
      !hosts &&
      sub.heldBy === undefined &&
      azureNamedForAppGateway(sub.name) &&
      this.elementsInSubnet(subnetId).every((e) => e.kind === 'rtAssociation')
    )
      return 'infrastructure';
    // An Azure subnet that holds only private endpoints (Subnet.onlyPrivateEndpoints) and no element of the model but
    // its route table association: it holds only private endpoints, which originate no traffic (they answer
    // connections and open none), so it is no egress source.
    if (
      sub?.cloud === 'azure' &&
      !hosts &&
      sub.onlyPrivateEndpoints !== undefined &&
      this.elementsInSubnet(subnetId).every((e) => e.kind === 'rtAssociation')
    )
      return 'infrastructure';
    const infra = (): boolean => {
      if (
        this.elementsInSubnet(subnetId).some(
          (e) => e.kind === 'natgw' || e.kind === 'gwlbe' || (e.kind === 'firewall' && !this.isIdleNva(e)),
        )
      )
        return true;
      if (this.gwlbSubnets!.has(subnetId)) return true;
      if (this.attachmentSubnets!.has(subnetId) && !this.isTieredAttachmentSubnet(sub)) return true;
      // An appliance, or the management, inside and outside interfaces of one: the firewall's own subnets.
      if (this.elementsInSubnet(subnetId).some((e) => this.isApplianceElement(e))) return true;
      // Explicit forward proxies and nothing else: what leaves is the egress they relay, not a workload's (F103).
      if (!hosts && instances.some((i) => this.isExplicitProxy(i))) return true;
      const s = sub;
      // No workload in the VPC of a GWLB and its appliances: the appliances' plumbing, not a source. (A host
      // there is in a subnet of its own, not in an infrastructure one.)
      const v = s ? this.refId(s.vpc) : undefined;
      if (!hosts && v && this.applianceVpcs!.has(v)) return true;
      // Nothing at all in a public subnet of an egress hub (a VPC the TGW sends other VPCs' traffic to): a
      // sibling of the NAT GW's subnet (kept for a NAT GW in another zone), the hub's plumbing, not a source.
      if (s && v && this.isEmptyHubPublicSubnet(s, v)) return true;
      // Nothing at all in a subnet on the table of a forwarding appliance's own subnet: that tier in a zone
      // where no appliance runs (yet), not a source.
      if (s && this.isEmptyApplianceTierSubnet(s)) return true;
      // Internet-facing load balancers' subnet: their replies leave by its route to the IGW.
      if (s && this.isPublicLbSubnet(s)) return true;
      // The subnet an Aviatrix gateway is launched in (matched by CIDR: the provider takes a CIDR, not an id).
      if (this.aviatrixGatewayIn(s)) return true;
      // The subnet kept for a transit gateway attachment the parameters leave out (a CloudFormation Condition
      // decided false), while it holds nothing: that attachment's plumbing, not a source.
      if (!hosts && s?.reservedFor !== undefined && this.elementsInSubnet(s.id).every((e) => e.kind === 'rtAssociation')) return true;
      // The subnet kept for an HA gateway that is not launched, while it holds nothing (F101).
      return !hosts && !!s && this.isReservedHaSubnet(s);
    };
    if (!infra()) return 'workload';
    // Hosts in the subnet of a GWLB endpoint its own table sends 0.0.0.0/0 to (DiscrimiNAT's design: the endpoints
    // in the workload subnets): the endpoint serves this subnet's traffic, so its hosts are the workloads it
    // filters, not a bastion beside the plumbing (F297).
    if (hosts && this.routesDefaultToOwnEndpoint(subnetId)) return 'workload';
    return hosts ? 'hosts' : 'infrastructure';
  }

  /** Whether a subnet's own table sends 0.0.0.0/0 (active, decided) to a GWLB endpoint placed in that subnet. */
  private routesDefaultToOwnEndpoint(subnetId: string): boolean {
    const id = this.refId(subnetId) ?? subnetId;
    if (this.undecidedTableOf(id)) return false;
    const dflt = this.routeTableOfSubnet(id)?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
    if (!dflt || dflt.state !== 'active' || dflt.undecided || dflt.target.kind !== 'gwlbe') return false;
    const ep = this.resolve(dflt.target.ref);
    return ep?.kind === 'gwlbe' && this.refId(ep.subnet) === id;
  }

  /**
   * A TGW attachment's subnet that is also its VPC's workload tier (the attachment's interfaces placed in the
   * private subnets): its own table sends 0.0.0.0/0 to egress machinery in its VPC (a GWLB endpoint or a NAT
   * GW), or to the TGW when the VPC has no subnet but its attachments' (a spoke of centralized egress), the VPC holds no enforcement point of its own (it is not an inspection VPC), and the TGW route tables
   * in the inputs send no other VPC's traffic to its attachment (it is not an inspection or egress hub
   * attachment). When any of it cannot be decided, the subnet stays the attachment's, except in such a spoke
   * whose attachment subnets are all it has and whose table is undecided (F88): they are still where its workloads
   * run, and their trace says which association the inputs do not decide (Unknown, never No Egress).
   */
  private isTieredAttachmentSubnet(s: Subnet | undefined): boolean {
    const v = s ? this.refId(s.vpc) : undefined;
    if (!s || !v || this.enforcementVpcs!.has(v)) return false;
    // A spoke of centralized egress whose attachment subnets are all the subnets it has: they are where its
    // workloads run (no other subnet could hold them), sending the internet to the TGW.
    const onlyAttachments = (): boolean => this.subnetsOfVpc(v).every((x) => this.attachmentSubnets!.has(x.id));
    if (this.undecidedTableOf(s.id)) {
      if (!onlyAttachments()) return false;
    } else {
      const st = this.routeTableOfSubnet(s.id);
      const dflt = st?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
      if (!dflt || dflt.state !== 'active' || dflt.undecided) return false;
      const to = this.resolve(dflt.target.ref);
      const local = (to?.kind === 'natgw' || to?.kind === 'gwlbe') && this.vpcOf(to.id) === v;
      if (!local && !(to?.kind === 'tgw' && onlyAttachments())) return false;
    }
    const own = this.vpcCidrs(v);
    return this.ofKind('tgwAttachment')
      .filter((a) => a.subnets.some((x) => this.refId(x) === s.id))
      .every((a) => this.carriesOwnTrafficOnly(a, own));
  }

  /**
   * A subnet holding nothing (no instance, interface, NAT GW or endpoint: only its route table association)
   * whose own table sends 0.0.0.0/0 straight to its VPC's internet gateway, in a VPC that is a hub: some TGW
   * route in the inputs sends addresses outside the VPC to one of its attachments (the spokes' default route
   * to a central egress VPC). When any of it cannot be decided, the subnet stays a source.
   */
  private isEmptyHubPublicSubnet(s: Subnet, v: string): boolean {
    if (this.elementsInSubnet(s.id).some((e) => e.kind !== 'rtAssociation') || this.undecidedTableOf(s.id)) return false;
    const dflt = this.routeTableOfSubnet(s.id)?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
    if (!dflt || dflt.state !== 'active' || dflt.undecided || dflt.target.kind !== 'igw') return false;
    const igw = this.resolve(dflt.target.ref);
    if (igw?.kind !== 'igw' || this.refId(igw.vpc) !== v) return false;
    this.hubVpcs ??= new Map();
    let hub = this.hubVpcs.get(v);
    if (hub === undefined) {
      hub = this.tgwRouteOfOthersTo(v) !== undefined;
      this.hubVpcs.set(v, hub);
    }
    return hub;
  }

  /**
   * An AWS subnet whose CIDR an Aviatrix gateway of its VPC was given for an HA gateway that is not launched
   * (mc-spoke `hagw_subnet` with `ha_gw = false`), holding nothing (only its route table association), tagged for no
   * Kubernetes cluster or load balancer (EKS node groups and load balancers are not modelled), whose own table sends
   * 0.0.0.0/0 straight to its VPC's internet gateway (a subnet a gateway can be launched in): the HA peer's
   * reserved place, Aviatrix plumbing. When any of it cannot be decided, the subnet stays a source.
   */
  private isReservedHaSubnet(s: Subnet): boolean {
    if (!this.reservedHaSubnets?.size || s.cloud !== 'aws') return false;
    const cidr = val(s.cidr);
    if (!cidr || !this.reservedHaSubnets.has(`${this.refId(s.vpc)}|${cidr}`)) return false;
    if (Object.keys(s.tags ?? {}).some((k) => k.startsWith('kubernetes.io/'))) return false;
    if (this.elementsInSubnet(s.id).some((e) => e.kind !== 'rtAssociation') || this.undecidedTableOf(s.id)) return false;
    const dflt = this.routeTableOfSubnet(s.id)?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
    if (!dflt || dflt.state !== 'active' || dflt.undecided || dflt.target.kind !== 'igw') return false;
    const igw = this.resolve(dflt.target.ref);
    return igw?.kind === 'igw' && this.refId(igw.vpc) === this.refId(s.vpc);
  }

  /**
   * A subnet holding nothing (only its route table association) explicitly associated with a table that serves
   * a forwarding appliance's own subnet and nothing else: every subnet on it holds appliances and their
   * interfaces, or nothing. It is the firewall's tier in a zone where no appliance runs (the outside subnets
   * fw-a/fw-b/fw-c with one firewall in fw-a): what leaves it is the appliance's own traffic, and a workload's
   * table of its own would be the wrong advice for it. A host anywhere on that table, a main table, or an
   * undecided association keeps it a source.
   */
  private isEmptyApplianceTierSubnet(s: Subnet): boolean {
    if (this.elementsInSubnet(s.id).some((e) => e.kind !== 'rtAssociation') || this.undecidedTableOf(s.id)) return false;
    const st = this.routeTableOfSubnet(s.id);
    if (st?.association !== 'explicit') return false;
    this.applianceTierTables ??= new Map();
    let tier = this.applianceTierTables.get(st.table.id);
    if (tier === undefined) {
      let appliance = false;
      tier = true;
      for (const id of this.associationsOfTable(st.table.id)) {
        const held = this.elementsInSubnet(id).filter((e) => e.kind !== 'rtAssociation');
        if (held.some((e) => !this.isApplianceElement(e))) tier = false;
        if (held.length > 0) appliance = true;
      }
      tier &&= appliance;
      this.applianceTierTables.set(st.table.id, tier);
    }
    return tier;
  }

  /**
   * A decided TGW route of the inputs that sends addresses outside VPC `v` to one of its attachments (the spokes'
   * default route to a central egress VPC): what makes `v` a hub of other VPCs' traffic. Undefined when none does.
   */
  tgwRouteOfOthersTo(v: string): { table: TgwRouteTable; route: TgwRoute; attachment: TgwAttachment } | undefined {
    const own = this.vpcCidrs(v);
    for (const a of this.ofKind('tgwAttachment')) {
      const r = this.refId(a.vpc) === v ? this.carriesOthersTraffic(a, own) : undefined;
      if (r) return { ...r, attachment: a };
    }
    return undefined;
  }

  /** Some decided TGW route of the attachment's TGW sends addresses outside `own` to it: that route. */
  private carriesOthersTraffic(a: TgwAttachment, own: Cidr[]): { table: TgwRouteTable; route: TgwRoute } | undefined {
    const tgw = this.refId(a.tgw);
    if (!tgw) return undefined;
    for (const t of this.ofKind('tgwRouteTable')) {
      if (this.refId(t.tgw) !== tgw) continue;
      for (const r of t.routes) {
        if (r.blackhole || r.attachment === undefined || isUnresolved(r.attachment) || this.refId(r.attachment) !== a.id) continue;
        const c = isUnresolved(r.destination) ? undefined : parseCidr(r.destination);
        if (c && !own.some((o) => cidrContains(o, c))) return { table: t, route: r };
      }
    }
    return undefined;
  }

  /**
   * The TGW delivers nothing but its own VPC's addresses to this attachment: every static TGW route to it is
   * for a range inside the VPC (propagation adds only the VPC's own). False when the TGW's tables are not in the
   * inputs or a route cannot be decided. When the VPC's own range is not known offline, a route to it for a range
   * no VPC CIDR block can hold still says it carries other VPCs' traffic (false); else it is not decided (undefined).
   */
  deliversOwnTrafficOnly(att: TgwAttachment): boolean | undefined {
    const vpc = this.refId(att.vpc);
    if (!vpc) return false;
    if (this.unresolvedCidrs(vpc)) return this.routedWiderThanAnyVpc(att) ? false : undefined;
    return this.carriesOwnTrafficOnly(att, this.vpcCidrs(vpc));
  }

  /** Some TGW route sends the attachment a range wider than a VPC CIDR block can be (IPv4 /16, IPv6 /44 at most). */
  private routedWiderThanAnyVpc(a: TgwAttachment): boolean {
    const tgw = this.refId(a.tgw);
    for (const t of this.ofKind('tgwRouteTable')) {
      if (!tgw || this.refId(t.tgw) !== tgw) continue;
      for (const r of t.routes) {
        if (r.attachment === undefined || isUnresolved(r.attachment) || this.refId(r.attachment) !== a.id) continue;
        const c = isUnresolved(r.destination) ? undefined : parseCidr(r.destination);
        if (c && c.prefix < (c.family === 4 ? 16 : 44)) return true;
      }
    }
    return false;
  }

  /** No TGW route sends traffic for addresses outside `own` to the attachment (its TGW and tables in the inputs). */
  private carriesOwnTrafficOnly(a: TgwAttachment, own: Cidr[]): boolean {
    const tgw = this.refId(a.tgw);
    const tables = tgw ? this.ofKind('tgwRouteTable').filter((t) => this.refId(t.tgw) === tgw) : [];
    if (tables.length === 0) return false;
    for (const t of tables)
      for (const r of t.routes) {
        if (r.attachment === undefined) continue;
        if (isUnresolved(r.attachment)) return false;
        if (this.refId(r.attachment) !== a.id) continue;
        const c = isUnresolved(r.destination) ? undefined : parseCidr(r.destination);
        if (!c || !own.some((o) => cidrContains(o, c))) return false;
      }
    return true;
  }

  /** The instance an interface `id` is attached to (a route or target naming an interface names that instance too). */
  private eniInstance(id: string): string | undefined {
    const owner = this.resolve(id, 'eni')?.instance;
    return owner === undefined ? undefined : this.refId(owner);
  }

  /** Keys of the answers prepareRoles builds from: the infrastructure kinds and the routes naming instances. */
  private trackRoles(): void {
    if (!this.track) return;
    for (const k of INFRA_KINDS) this.track.add(QueryKey.kind + k);
    this.track.add(QueryKey.routedInstances);
  }

  /**
   * Instances and interfaces some route sends traffic to (`instance_id`, `network_interface_id`, any table; an
   * interface counts for its instance too), and the VPCs in which a route names one the inputs do not decide
   * (`all`: a table whose VPC is not decided either): any forwarding instance there may be its target.
   */
  private routedInstances(): { ids: Set<string>; undecidedVpcs: Set<string>; all: boolean } {
    const ids = new Set<string>();
    const undecidedVpcs = new Set<string>();
    let all = false;
    // Read without ofKind: QueryKey.routedInstances, not every route table, is what this answer depends on.
    for (const t of (this.byKind.get('routeTable') ?? []) as RouteTable[])
      for (const r of t.routes) {
        if (r.target.kind !== 'instance' && r.target.kind !== 'eni') continue;
        const id = this.refId(r.target.ref) ?? (typeof r.target.ref === 'string' ? r.target.ref : undefined);
        if (id === undefined) {
          const v = this.refId(t.vpc);
          if (v) undecidedVpcs.add(v);
          else all = true;
          continue;
        }
        ids.add(id);
        const i = this.eniInstance(id);
        if (i) ids.add(i);
      }
    return { ids, undecidedVpcs, all };
  }

  private prepareRoles(): void {
    // Appliances are the targets of a GWLB's target groups (GENEVE); web servers behind an ALB/NLB are workloads.
    if (!this.gwTargets)
      this.gwTargets = new Set(
        this.ofKind('targetGroup')
          .filter((tg) => tg.protocol === 'GENEVE' || !!this.resolve(tg.loadBalancer, 'gwlb'))
          .flatMap((tg) =>
            tg.targets
              .map((t) => {
                // A target registered by its interface's address is the instance behind that interface.
                const id = this.refId(t);
                return (id && this.eniInstance(id)) || id;
              })
              .filter((x): x is string => !!x),
          ),
      );
    if (!this.appliances) {
      // An instance that forwards: its own source/destination check off, or one of its interfaces'. (Only GWLB
      // targets make their VPC an appliance VPC: a NAT instance does not turn its VPC's subnets into plumbing.)
      // A firewall manager (Instance.manager) forwards nothing whatever its check says: never an appliance.
      // A forwarding instance is an appliance only when traffic is sent to it: a route names it or one of its
      // interfaces, a load balancer's target group holds it, or it is a firewall VM by its bootstrap
      // (Instance.ngfw). One nothing sends traffic to (a bastion whose check was turned off) is a workload.
      this.appliances = new Set(this.gwTargets);
      // Scanned only when some instance forwards: most estates have none, and the scan reads every route.
      let routedMemo: ReturnType<ModelIndex['routedInstances']> | undefined;
      const routedFor = () => (routedMemo ??= this.routedInstances());
      // Target, by id (an interface's instance too), to the first target group holding it.
      const lbTargets = new Map<string, string>();
      // A Network Load Balancer's targets (TCP/UDP/TLS; a protocol not written may be one) may be appliances
      // it balances; an Application Load Balancer's (HTTP/HTTPS) are web servers.
      for (const tg of this.ofKind('targetGroup'))
        for (const t of /^HTTPS?$/i.test(tg.protocol ?? '') ? [] : tg.targets) {
          // A target registered by address is the element holding that address.
          const id = this.refId(t) ?? (typeof t === 'string' ? this.ipOwner.get(t)?.id : undefined);
          if (!id) continue;
          if (!lbTargets.has(id)) lbTargets.set(id, tg.id);
          const i = this.eniInstance(id);
          if (i && !lbTargets.has(i)) lbTargets.set(i, tg.id);
        }
      const lbGroupOf = (i: Instance | Firewall, nics: NetworkInterface[]): string | undefined =>
        lbTargets.get(i.id) ?? nics.map((n) => lbTargets.get(n.id)).find((x) => x !== undefined);
      const allForward = (i: Instance | Firewall, nics: NetworkInterface[]): boolean =>
        nics.length > 0 ? nics.every((n) => n.sourceDestCheck === false) : i.sourceDestCheck === false;
      const sent = (i: Instance | Firewall): boolean => {
        if (i.kind === 'firewall' || i.ngfw !== undefined) return true;
        const nics = this.interfacesByInstance.get(i.id) ?? [];
        // A firewall by what it runs (Instance.runs: a vendor's image, a filtering bootstrap, a name saying
        // firewall) all of whose interfaces forward: an appliance before any route names it (F121: firewalls whose
        // routes a script adds later). One without such evidence (a bastion whose check was copied off) is not.
        if (i.runs?.role === 'firewall' && !i.runs.byName && allForward(i, nics)) return true;
        const routed = routedFor();
        // An appliance a load balancer hands flows to forwards them out of another interface. A target with a
        // single interface may be a server (a web server whose check was turned off by copy) or a one-armed
        // NAT instance or proxy: no appliance, but its subnet's role is undecided (lbForwardersIn).
        const balanced = nics.length > 1 && lbGroupOf(i, nics) !== undefined;
        return (
          routed.all ||
          routed.ids.has(i.id) ||
          balanced ||
          nics.some((n) => routed.ids.has(n.id)) ||
          (routed.undecidedVpcs.size > 0 && routed.undecidedVpcs.has(this.vpcOf(i.id) ?? ''))
        );
      };
      for (const k of ['instance', 'firewall'] as const)
        for (const i of this.ofKind(k))
          if (i.sourceDestCheck === false && !(i.kind === 'instance' && i.manager) && sent(i)) this.appliances.add(i.id);
      for (const n of this.ofKind('eni')) {
        const i = this.refId(n.instance);
        if (!i || n.sourceDestCheck !== false || this.appliances.has(i)) continue;
        const inst = this.resolve(i, 'instance');
        if (inst?.manager) continue;
        const owner = inst ?? this.resolve(i, 'firewall');
        if (owner ? sent(owner) : true) this.appliances.add(i);
      }
      // Forwarders a name alone calls firewalls, that no route names (review s16 R11): hosts or firewalls, which the
      // inputs do not say (namedFirewallsIn).
      this.namedFirewalls = new Set();
      for (const i of this.ofKind('instance'))
        if (!this.appliances.has(i.id) && !i.manager && i.ngfw === undefined && i.runs?.role === 'firewall' && i.runs.byName)
          if (allForward(i, this.interfacesByInstance.get(i.id) ?? [])) this.namedFirewalls.add(i.id);
      this.lbForwarders = new Map();
      if (lbTargets.size > 0)
        for (const i of this.ofKind('instance')) {
          if (this.appliances.has(i.id) || i.manager || i.ngfw !== undefined) continue;
          const nics = this.interfacesByInstance.get(i.id) ?? [];
          if (nics.length > 1 || (i.sourceDestCheck !== false && !nics.some((n) => n.sourceDestCheck === false))) continue;
          const tg = lbGroupOf(i, nics);
          if (tg !== undefined) this.lbForwarders.set(i.id, tg);
        }
    }
    if (!this.gwlbSubnets)
      this.gwlbSubnets = new Set(this.ofKind('gwlb').flatMap((g) => g.subnets.map((x) => this.refId(x)).filter((x): x is string => !!x)));
    if (!this.attachmentSubnets) {
      this.attachmentSubnets = new Set(
        this.ofKind('tgwAttachment').flatMap((a) => a.subnets.map((x) => this.refId(x)).filter((x): x is string => !!x)),
      );
      // A Cloud WAN VPC attachment (not modelled) places its interfaces in the subnets it names, as a TGW's does.
      for (const u of this.ofKind('unmodelled'))
        if (CLOUD_WAN_ATTACHMENT.has(u.resourceType))
          for (const t of u.touches) {
            const sub = this.resolve(t, 'subnet');
            if (sub) this.attachmentSubnets.add(sub.id);
          }
    }
    if (!this.stackSubnets) {
      this.stackSubnets = new Set();
      for (const u of this.ofKind('unmodelled'))
        if (DEPLOYING_STACK.has(u.resourceType))
          for (const t of u.touches) {
            const sub = this.resolve(t, 'subnet');
            if (sub) this.stackSubnets.add(sub.id);
          }
    }
    this.aviatrixGatewayIn(undefined);
    if (!this.applianceVpcs) {
      this.applianceVpcs = new Set();
      for (const g of this.ofKind('gwlb')) {
        const v = this.vpcOf(g.id);
        if (v) this.applianceVpcs.add(v);
      }
      this.appliancesByVpc = new Map();
      for (const t of this.gwTargets) {
        const v = this.vpcOf(t);
        if (!v) continue;
        this.applianceVpcs.add(v);
        push(this.appliancesByVpc, v, t);
      }
      // VPCs that enforce for themselves or others: a GWLB and its appliances, a firewall, a routed appliance.
      this.enforcementVpcs = new Set(this.applianceVpcs);
      for (const f of this.ofKind('firewall')) {
        const v = f.cloud === 'aws' ? (this.refId(f.vpc) ?? this.vpcOf(f.id)) : undefined;
        if (v) this.enforcementVpcs.add(v);
      }
      for (const i of this.appliances) {
        const v = this.vpcOf(i);
        if (v) this.enforcementVpcs.add(v);
      }
    }
  }

  /**
   * Routes written into a table the inputs do not identify (a CloudFormation parameter or import of
   * another stack), by the stand-in table holding them: any table of another file may be the one.
   */
  unplacedRoutes(): { route: Route; table: RouteTable; info: CidrInfo }[] {
    if (this.track) this.track.add(QueryKey.unplaced);
    if (!this.unplaced) {
      this.unplaced = [];
      // Not under the asking trace's keys: its answer is keyed by QueryKey.unplaced alone (a `kind` key
      // here would make every route table edit re-trace the first source that asked).
      for (const t of (this.byKind.get('routeTable') ?? []) as RouteTable[]) {
        if (!t.unplaced) continue;
        for (const route of t.routes) {
          const d = route.destination;
          const info = 'cidr' in d && !isUnresolved(d.cidr) ? cidrInfo(d.cidr) : undefined;
          if (info) this.unplaced.push({ route, table: t, info });
        }
      }
    }
    return this.unplaced;
  }

  /** A VPC or TGW route by its model id, with the table holding it. */
  routeById(id: string, tableId?: string): { route: Route | TgwRoute; table: RouteTable | TgwRouteTable } | undefined {
    // Inline routes are `<table id>#<n>`, and a decision names its table: look in that table first.
    const hash = id.lastIndexOf('#');
    for (const tid of [tableId, hash > 0 ? id.slice(0, hash) : undefined]) {
      const t = tid === undefined ? undefined : this.byId.get(tid);
      if (t && (t.kind === 'routeTable' || t.kind === 'tgwRouteTable')) {
        const routes: (Route | TgwRoute)[] = t.routes;
        for (let i = 0; i < routes.length; i++) if (routes[i].id === id) return { route: routes[i], table: t };
      }
    }
    // Built on first use: only findings ask, and large estates hold hundreds of thousands of routes.
    if (this.routes.size === 0) {
      for (const t of this.ofKind('routeTable')) for (const r of t.routes) this.routes.set(r.id, { route: r, table: t });
      for (const t of this.ofKind('tgwRouteTable')) for (const r of t.routes) this.routes.set(r.id, { route: r, table: t });
    }
    return this.routes.get(id);
  }

  /** A short display label: name, else id. */
  label(id: string): string {
    const e = this.get(id);
    return e ? e.name || e.id : (pickLabel(id, (fw) => this.label(fw)) ?? id);
  }

  /**
   * The unmodelled resources (a custom resource, a script, Cloud NAT: vocabulary/unmodelled.ts) that
   * touch element `id` or its VPC/VNet, directly or through another unmodelled resource they name. A path through such an element is Unknown:
   * the resource may have changed where packets go there. Asked of route tables, subnets and route
   * targets on a path; a VPC touched stands for everything in it.
   */
  unmodelledTouching(id: string): UnmodelledResource[] {
    const all = this.ofKind('unmodelled');
    if (all.length === 0) return [];
    let by = this.touchedBy;
    if (!by) {
      by = this.touchedBy = new Map();
      // Through other unmodelled resources too: Cloud NAT names its router, the router its network. An
      // endpoint (role `endpoint`) writes no route: it touches nothing, and names where it is placed, not
      // what a resource naming it may route. A Cloud WAN VPC attachment (role `attachment`) writes no route
      // either: only a route naming the core network leads there (trace/cloudWan.ts); nor does a Cloud WAN
      // peering with a transit gateway, nor the attachment of a TGW route table, whose effect (the core
      // network's routes in that table) the TGW lookup models.
      for (const u of all) {
        if (writesNoRoute(u)) continue;
        const seen = new Set<string>();
        const todo = u.touches.flatMap((t) => this.vpnTouch(u, t));
        while (todo.length) {
          const tid = this.refId(todo.pop());
          if (!tid || seen.has(tid)) continue;
          seen.add(tid);
          push(by, tid, u);
          const next = this.byId.get(tid);
          if (next?.kind === 'unmodelled' && !writesNoRoute(next)) todo.push(...next.touches);
          // A route writer in a subnet (a Route Server) programs what it learns into every subnet of the VNet.
          if (u.role === 'gateway' && next?.kind === 'subnet') {
            const vnet = this.refId(next.vpc);
            if (vnet && !seen.has(vnet)) {
              seen.add(vnet);
              push(by, vnet, u);
            }
          }
        }
      }
    }
    const own = by.get(this.get(id)?.id ?? id) ?? [];
    const vpc = this.vpcOf(id);
    const inVpc = vpc !== undefined && vpc !== id ? (by.get(vpc) ?? []) : [];
    if (inVpc.length === 0) return own;
    if (own.length === 0) return inVpc;
    return all.filter((u) => own.includes(u) || inVpc.includes(u));
  }

  /**
   * What a Site-to-Site VPN attached to a transit gateway touches there: the TGW route tables its attachment's
   * routes (BGP, learned over the tunnels) propagate into, not the whole TGW. Those are the tables a propagation
   * of the inputs may name it in (one naming it, or an attachment not known offline other than an existing
   * `tgw-attach-` id), and the TGW's default route table when the TGW propagates by default (a VPN attachment
   * has no flag of its own to opt out). When that default table is not in the model (CloudFormation), any table
   * of the TGW may be it: the TGW, as before. A table it is only associated with gets none of its routes.
   */
  private vpnTouch(u: UnmodelledResource, t: Ref): Ref[] {
    if (u.resourceType !== 'aws_vpn_connection' && u.resourceType !== 'AWS::EC2::VPNConnection') return [t];
    const g = this.resolve(t, 'tgw');
    if (!g) return [t];
    const tables = this.ofKind('tgwRouteTable').filter((rt) => this.refId(rt.tgw) === g.id);
    const byDefault = g.defaultRouteTablePropagation !== false;
    if (byDefault && !tables.some((rt) => rt.isDefault)) return [t];
    // The TGW itself is still touched: the VPN is an attachment of it (a way out a Cloud WAN core may reach).
    this.vpnByTable.add(u.id);
    const into = tables
      .filter(
        (rt) =>
          (byDefault && rt.isDefault) ||
          rt.propagations.some((p) => (isUnresolved(p) ? !LITERAL_TGW_ATTACHMENT.test(p.text) : this.refId(p) === u.id)),
      )
      .map((rt) => rt.id);
    return [t, ...into];
  }

  private readonly vpnByTable = new Set<string>();

  /** Whether unmodelled `u` is a TGW VPN whose routes reach only the tables it touches (vpnTouch), not every table of its TGW. */
  routesOnlyInTablesTouched(u: UnmodelledResource): boolean {
    this.unmodelledTouching(u.id);
    return this.vpnByTable.has(u.id);
  }

  /**
   * The unmodelled resources that name element `id` itself (directly or through another unmodelled resource
   * they name), not merely its VPC: a custom resource or script given an attachment's id may change its options.
   */
  unmodelledNaming(id: string): UnmodelledResource[] {
    if (this.ofKind('unmodelled').length === 0) return [];
    this.unmodelledTouching(id);
    return this.touchedBy?.get(this.get(id)?.id ?? id) ?? [];
  }

  /**
   * Appliance mode of a TGW attachment: as written, unless an unmodelled resource names the attachment (a
   * custom resource calling ModifyTransitGatewayVpcAttachment, a script): then it may be set there, which the
   * inputs do not say (Unresolved, naming it).
   */
  applianceModeOf(att: TgwAttachment): Val<boolean> {
    const by = this.unmodelledNaming(att.id);
    if (by.length === 0) return att.applianceMode;
    const names = by.map((u) => `${u.name || u.id} (${u.resourceType}, ${where(u.loc)})`).join(', ');
    return unresolved(isUnresolved(att.applianceMode) ? att.applianceMode.text : String(att.applianceMode), `may be set by ${names}`);
  }

  /**
   * The unmodelled resources that may change the lookup of `ip` in route table `tableId`: those touching
   * it (unmodelledTouching), less those that write routes only for destinations (their `destinations`,
   * all decided) that do not hold `ip`. An address that is not one keeps them all.
   */
  unmodelledChanging(tableId: string, ip: string): UnmodelledResource[] {
    const touching = this.unmodelledTouching(tableId);
    if (touching.length === 0) return touching;
    const addr = parseIp(ip);
    return touching.filter((u) => {
      const nets = this.destinationNets(u);
      return !nets || !addr || nets.some((c) => cidrContainsIp(c, addr));
    });
  }

  private destNets?: Map<string, Cidr[] | undefined>;

  /** The prefixes an unmodelled resource writes routes for, when every one is decided; undefined: any. */
  destinationNets(u: UnmodelledResource): Cidr[] | undefined {
    if (!u.destinations) return undefined;
    let m = this.destNets;
    if (!m) m = this.destNets = new Map();
    if (m.has(u.id)) return m.get(u.id);
    const nets: Cidr[] = [];
    for (const d of u.destinations) {
      const c = isUnresolved(d) ? undefined : parseCidr(d);
      if (!c) {
        m.set(u.id, undefined);
        return undefined;
      }
      nets.push(c);
    }
    m.set(u.id, nets);
    return nets;
  }

  /**
   * The unmodelled resources an unresolved expression names (`cloudngfwaws_ngfw.x.status[0]...`, written in
   * the module of what holds it, so matched on the address without its module path). Asked of Unknown
   * route targets only: the reason a route to them is Unknown is that resource.
   */
  unmodelledNamedIn(text: string): UnmodelledResource[] {
    return this.ofKind('unmodelled').filter((u) => namesAddress(text, localAddress(u.id)));
  }

  private coreRoutesByTable?: Map<string, UnmodelledResource[]>;

  /**
   * The unmodelled resources of `role` by the element each of their `touches` names (`key`: its id, or undefined
   * to skip it), built once per index. `once`: a resource is listed once under an element however many of its
   * touches name it; otherwise once per touch (undecidedEndpointsIn has always listed it so, and its reason
   * shows the list).
   */
  private unmodelledByTouch(role: UnmodelledResource['role'], key: (t: Ref) => string | undefined, once: boolean) {
    const out = new Map<string, UnmodelledResource[]>();
    for (const u of this.ofKind('unmodelled')) {
      if (u.role !== role) continue;
      const seen = once ? new Set<string>() : undefined;
      for (const t of u.touches) {
        const id = key(t);
        if (id === undefined || seen?.has(id)) continue;
        seen?.add(id);
        push(out, id, u);
      }
    }
    return out;
  }

  /**
   * The Cloud WAN attachments of transit gateway route table `tableId` (unmodelled, role `coreRoutes`), by the
   * tables they name, built once: asked on every TGW lookup, so no scan of every unmodelled resource per call.
   */
  coreRoutesOfTable(tableId: string): UnmodelledResource[] {
    if (this.ofKind('unmodelled').length === 0) return [];
    this.coreRoutesByTable ??= this.unmodelledByTouch('coreRoutes', (t) => this.refId(t), true);
    if (this.coreRoutesByTable.size === 0) return [];
    return this.coreRoutesByTable.get(tableId) ?? [];
  }

  /**
   * The instances in a subnet that a Network Load Balancer's target group holds (by the instance, its interface
   * or its address), with one interface (or none written) and the source/destination check off, on it or its
   * interface, and nothing else making them appliances: a server whose check was turned off by copy, or a
   * one-armed NAT instance or proxy forwarding what the load balancer hands it out of the interface it came in
   * by. Which, the inputs do not say: while one is there, whether the subnet is a workload subnet or that
   * forwarder's own cannot be decided. `group`: the target group holding it.
   */
  lbForwardersIn(subnetId: string): { instance: Instance; group: string }[] {
    // Gated: without a target group there is none (most estates), and the answer then rests on that kind alone.
    if (this.ofKind('targetGroup').length === 0) return [];
    this.trackRoles();
    this.prepareRoles();
    if (this.lbForwarders!.size === 0) return [];
    const out: { instance: Instance; group: string }[] = [];
    for (const i of this.instancesInSubnet(subnetId)) {
      const group = this.lbForwarders!.get(i.id);
      if (group !== undefined) out.push({ instance: i, group });
    }
    return out;
  }

  /** Whether a TGW attachment or a Cloud WAN VPC attachment of the inputs places its interfaces in the subnet. */
  isAttachmentSubnet(subnetId: string): boolean {
    this.trackRoles();
    this.prepareRoles();
    return this.attachmentSubnets!.has(this.refId(subnetId) ?? subnetId);
  }

  /**
   * The instances in a subnet whose every interface forwards (source/destination check off), that no route names and
   * that only a name calls a firewall (`FW1`, `egress-fw-a`; review s16 R11): a firewall whose routes are added
   * later, or a host whose check was copied off. Which, the inputs do not say: the subnet is neither judged as a
   * workload's nor taken for the firewall's own.
   */
  namedFirewallsIn(subnetId: string): Instance[] {
    this.trackRoles();
    this.prepareRoles();
    if (this.namedFirewalls!.size === 0) return [];
    const own = this.instancesInSubnet(subnetId).filter((i) => this.namedFirewalls!.has(i.id));
    if (own.length > 0) return own;
    // An empty subnet on such a forwarder's own table (the firewall tier in the other zone): that forwarder's tier
    // if it is a firewall (isEmptyApplianceTierSubnet), a public subnet if not.
    const s = this.resolve(subnetId, 'subnet');
    if (!s || this.elementsInSubnet(s.id).some((e) => e.kind !== 'rtAssociation') || this.undecidedTableOf(s.id)) return [];
    const st = this.routeTableOfSubnet(s.id);
    if (st?.association !== 'explicit') return [];
    const named = new Set<Instance>();
    for (const id of this.associationsOfTable(st.table.id))
      for (const e of this.elementsInSubnet(id)) {
        if (e.kind === 'rtAssociation') continue;
        const i = e.kind === 'instance' ? e : e.kind === 'eni' ? this.resolve(this.eniInstance(e.id) ?? '', 'instance') : undefined;
        if (i && this.namedFirewalls!.has(i.id)) named.add(i);
        else if (!this.isApplianceElement(e)) return [];
      }
    return [...named];
  }

  private endpointsBySubnet?: Map<string, UnmodelledResource[]>;

  /**
   * The endpoints of a type the inputs cannot decide (unmodelled, role `endpoint`) placed in a subnet:
   * while one is there, whether the subnet is an endpoint subnet (no workload) or a workload subnet
   * cannot be decided.
   */
  undecidedEndpointsIn(subnetId: string): UnmodelledResource[] {
    if (this.ofKind('unmodelled').length === 0) return [];
    this.endpointsBySubnet ??= this.unmodelledByTouch('endpoint', (t) => this.resolve(t, 'subnet')?.id, false);
    return this.endpointsBySubnet.get(this.refId(subnetId) ?? subnetId) ?? [];
  }

  private chainsBySubnet?: Map<string, UnmodelledResource[]>;

  /** Network interfaces of a subnet chained to a Gateway Load Balancer (unmodelled, role `chain`). */
  gatewayLbChainsIn(subnetId: string): UnmodelledResource[] {
    if (this.ofKind('unmodelled').length === 0) return [];
    this.chainsBySubnet ??= this.unmodelledByTouch('chain', (t) => this.resolve(t, 'subnet')?.id, true);
    return this.chainsBySubnet.get(this.refId(subnetId) ?? subnetId) ?? [];
  }

  /** Forwarding interfaces and instances placed in parameter subnets, by template and parameter (unplacedAppliancesFor). */
  private unplacedAppl?: { file: string; param: string; elements: NetworkElement[]; ips: string[] }[];

  /**
   * Forwarding interfaces (source/destination check off) and their instances that a CloudFormation template
   * places in subnets given as parameters without a default (a firewall deployed into an existing VPC): which
   * subnets of the inputs those are cannot be decided, and a subnet of another template whose CIDR can hold
   * the addresses written for the parameter may be one of them, the firewall's own subnet rather than a
   * workload's. One entry per template and parameter that may name the subnet.
   */
  unplacedAppliancesFor(subnetId: string): { file: string; param: string; elements: NetworkElement[] }[] {
    if (this.track) this.track.add(QueryKey.unplacedAppliances);
    if (!this.unplacedAppl) {
      // Read without ofKind: the query key above is what this answer depends on (queryKeys.ts lists its members).
      const forwards = new Set<string>();
      for (const k of ['instance', 'eni'] as const)
        for (const e of this.byKind.get(k) ?? []) {
          if (!('sourceDestCheck' in e) || e.sourceDestCheck !== false) continue;
          forwards.add(e.id);
          if (e.kind === 'eni' && typeof e.instance === 'string') forwards.add(this.byId.get(e.instance)?.id ?? e.instance);
        }
      const groups = new Map<string, { file: string; param: string; elements: NetworkElement[]; ips: string[] }>();
      for (const k of ['instance', 'eni'] as const)
        for (const e of this.byKind.get(k) ?? []) {
          if (e.kind !== 'instance' && e.kind !== 'eni') continue;
          const param = isUnresolved(e.subnet) ? /^parameter (\S+) has no Default/.exec(e.subnet.reason)?.[1] : undefined;
          if (!param) continue;
          const inst = e.kind === 'eni' && typeof e.instance === 'string' ? (this.byId.get(e.instance)?.id ?? e.instance) : undefined;
          if (!forwards.has(e.id) && !(inst && forwards.has(inst))) continue;
          const key = `${e.loc.file}\u0000${param}`;
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { file: e.loc.file, param, elements: [], ips: [] }));
          g.elements.push(e);
          const ip = val(e.privateIp);
          if (ip) g.ips.push(ip);
        }
      this.unplacedAppl = [...groups.values()];
    }
    if (this.unplacedAppl.length === 0) return [];
    const s = this.byId.get(this.refId(subnetId) ?? subnetId);
    if (s?.kind !== 'subnet') return [];
    const cidr = val(s.cidr) ? parseCidr(val(s.cidr)!) : undefined;
    return this.unplacedAppl.filter((g) => {
      // A parameter names an existing subnet, never one of its own template.
      if (g.file === s.loc.file) return false;
      if (!cidr) return true;
      return g.ips.every((ip) => {
        const a = parseIp(ip);
        return !a || a.family !== cidr.family || cidrContainsIp(cidr, a);
      });
    });
  }
}
