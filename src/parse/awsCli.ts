// AWS CLI exports (`aws ec2 describe-*` JSON), one command per file or several merged into one
// object. Recognised by the top-level keys the CLI prints, never by file name. Ids are the AWS ids.
import { applianceEvidence } from './vocabulary/appliance';
import {
  unresolved,
  type NetworkElement,
  type Route,
  type RouteTarget,
  type Vpc,
  type Subnet,
  type RouteTable,
  type RouteTableAssociation,
  type TgwAttachment,
  type TgwRouteTable,
  type Val,
  type InternetGateway,
  type NatGateway,
  type GwlbEndpoint,
  type ElasticIp,
  type Instance,
  type NetworkInterface,
  type VpcPeering,
  type TransitGateway,
  type GatewayLoadBalancer,
  type TargetGroup,
  type EndpointService,
} from '../model/types';
import type { ModelFragment, ParseOptions } from './types';
import { JsonDoc, readJsonInput, awsTags, type JsonNode as Node } from './jsonDoc';
import { GWLB_ENDPOINT_TYPE, GWLB_TYPE, endpointTargetKind, routeDestination, routeTarget } from './vocabulary/aws';

/** What `el` adds to the common fields: the kind's own fields (and a `name` that overrides the tag's). */
type ElementFields<E extends NetworkElement> = Omit<
  E,
  'id' | 'name' | 'loc' | 'extent' | 'attrs' | 'providerId' | 'cloud' | 'account' | 'tags'
> & { name?: string };

/** Top-level keys printed by the describe commands this parser reads. */
export const AWS_CLI_KEYS = [
  'Vpcs',
  'Subnets',
  'RouteTables',
  'NatGateways',
  'InternetGateways',
  'EgressOnlyInternetGateways',
  'VpcEndpoints',
  'TransitGateways',
  'TransitGatewayAttachments',
  'TransitGatewayVpcAttachments',
  'TransitGatewayRouteTables',
  'VpcPeeringConnections',
  'Addresses',
  'Reservations',
  'NetworkInterfaces',
  // elbv2 describe-load-balancers / describe-target-groups, ec2 describe-vpc-endpoint-service-configurations
  'LoadBalancers',
  'TargetGroups',
  'ServiceConfigurations',
] as const;

/** Strings the reader pools at a time (see AwsCliReader.s). */
const POOL_SIZE = 1 << 16;

export function parseAwsCli(file: string, text: string, _opts?: ParseOptions): ModelFragment {
  return readJsonInput(file, text, { format: 'aws-cli', top: 'object', what: 'AWS CLI export' }, (doc, root, out) =>
    new AwsCliReader(doc, out).read(root),
  );
}

class AwsCliReader {
  /** Endpoint types seen in this file, so a `vpce-` route target can be told GWLB from gateway endpoint. */
  private readonly endpointTypes = new Map<string, string>();

  constructor(
    private readonly doc: JsonDoc,
    private readonly out: ModelFragment,
  ) {}

  /**
   * An element: the common fields (id, name, loc, extent, attrs, providerId, cloud, account, tags),
   * then `fields` in order; undefined values are left out. Built by assignment: object spread and
   * `delete` are both slow in V8 (and `delete` leaves the element a dictionary-mode object).
   */
  private el<E extends NetworkElement>(obj: Node, idKey: string, id: string, extra: string[] | undefined, fields: ElementFields<E>): E {
    const d = this.doc;
    const tags = awsTags(d, obj);
    const e: Record<string, unknown> = { id, name: tags?.Name ?? id, loc: d.keyLoc(obj, idKey), extent: d.range(obj) };
    const attrs = extra ? d.attrs(obj, extra) : undefined;
    if (attrs !== undefined) e.attrs = attrs;
    e.providerId = id;
    e.cloud = 'aws';
    const account = d.str(obj, 'OwnerId');
    if (account !== undefined) e.account = this.s(account);
    if (tags !== undefined) e.tags = tags;
    const f = fields as Record<string, unknown>;
    for (const k in f) {
      const v = f[k];
      if (v !== undefined) e[k] = typeof v === 'string' ? this.s(v) : v;
    }
    return e as unknown as E;
  }

  /**
   * Distinct strings of this file, kept once: the same ids and CIDRs recur in thousands of routes.
   * Started afresh every POOL_SIZE strings: an export of unique ids (a 50 MB one names 850,000)
   * would otherwise grow a map of them all, and strings that recur still recur within a window.
   */
  private pool = new Map<string, string>();

  /** The pooled copy of a string that goes into the model. */
  private s<T extends string | undefined>(v: T): T {
    if (v === undefined) return v;
    const p = this.pool.get(v);
    if (p !== undefined) return p as T;
    if (this.pool.size === POOL_SIZE) this.pool = new Map();
    this.pool.set(v, v);
    return v;
  }

  private push(e: NetworkElement): void {
    this.out.elements.push(e);
  }

  /**
   * An entry without the id the CLI always prints was damaged (cut, edited): an input error at the
   * entry, never a silent skip (the rest of the file is still read).
   */
  private missingId(obj: Node, what: string, key: string): void {
    this.out.diagnostics.push(
      this.doc.diagAt(obj, 'damaged-input', 'error', `Looks like an AWS CLI export but an entry cannot be read: ${what} without ${key}`),
    );
  }

  read(root: Node): void {
    const d = this.doc;
    for (const ep of d.objects(root, 'VpcEndpoints')) {
      const id = d.str(ep, 'VpcEndpointId');
      if (id) this.endpointTypes.set(id, d.str(ep, 'VpcEndpointType') ?? '');
    }
    for (const o of d.objects(root, 'Vpcs')) this.vpc(o);
    for (const o of d.objects(root, 'Subnets')) this.subnet(o);
    for (const o of d.objects(root, 'RouteTables')) this.routeTable(o);
    for (const o of d.objects(root, 'InternetGateways')) this.igw(o, 'igw', 'InternetGatewayId');
    for (const o of d.objects(root, 'EgressOnlyInternetGateways')) this.igw(o, 'eigw', 'EgressOnlyInternetGatewayId');
    for (const o of d.objects(root, 'NatGateways')) this.natgw(o);
    for (const o of d.objects(root, 'VpcEndpoints')) this.endpoint(o);
    for (const o of d.objects(root, 'Addresses')) this.eip(o);
    for (const r of d.objects(root, 'Reservations')) for (const o of d.objects(r, 'Instances')) this.instance(o);
    for (const o of d.objects(root, 'NetworkInterfaces')) this.networkInterface(o);
    for (const o of d.objects(root, 'VpcPeeringConnections')) this.peering(o);
    for (const o of d.objects(root, 'TransitGateways')) this.tgw(o);
    for (const o of d.objects(root, 'LoadBalancers')) this.gwlb(o);
    for (const o of d.objects(root, 'TargetGroups')) this.targetGroup(o);
    for (const o of d.objects(root, 'ServiceConfigurations')) this.endpointService(o);
    this.tgwAttachments(root);
    for (const o of d.objects(root, 'TransitGatewayRouteTables')) this.tgwRouteTable(o);
    this.linkTgwTables();
  }

  private vpc(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'VpcId');
    if (!id) return this.missingId(o, 'VPC', 'VpcId');
    const cidrs: Val<string>[] = [];
    const primary = d.str(o, 'CidrBlock');
    if (primary) cidrs.push(primary);
    for (const a of d.objects(o, 'CidrBlockAssociationSet')) {
      const c = d.str(a, 'CidrBlock');
      const state = d.str(d.prop(a, 'CidrBlockState'), 'State');
      if (c && !cidrs.includes(c) && (state === undefined || state === 'associated')) cidrs.push(c);
    }
    for (const a of d.objects(o, 'Ipv6CidrBlockAssociationSet')) {
      const c = d.str(a, 'Ipv6CidrBlock');
      if (c && !cidrs.includes(c)) cidrs.push(c);
    }
    this.push(this.el<Vpc>(o, 'VpcId', id, ['CidrBlock'], { kind: 'vpc', cidrs, flavor: 'vpc' }));
  }

  private subnet(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'SubnetId');
    if (!id) return this.missingId(o, 'Subnet', 'SubnetId');
    const az = d.str(o, 'AvailabilityZone');
    const ipv6 = d
      .objects(o, 'Ipv6CidrBlockAssociationSet')
      .map((a) => d.str(a, 'Ipv6CidrBlock'))
      .find((c) => c);
    const s = this.el<Subnet>(o, 'SubnetId', id, ['CidrBlock', 'AvailabilityZone'], {
      kind: 'subnet',
      vpc: d.str(o, 'VpcId') ?? unresolved('', 'subnet export has no VpcId'),
      cidr: d.str(o, 'CidrBlock') ?? unresolved('', 'subnet export has no CidrBlock'),
      az: az ?? unresolved('', 'subnet export has no AvailabilityZone'),
    });
    if (ipv6) s.ipv6Cidr = ipv6;
    // An associated IPv6 block (or addresses assigned on creation, which AWS allows only with one): dual-stack.
    if (ipv6 || d.bool(o, 'AssignIpv6AddressOnCreation') === true) s.dualStack = true;
    if (az && /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(az)) s.region = az.slice(0, -1);
    this.push(s);
  }

  private routeTable(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'RouteTableId');
    if (!id) return this.missingId(o, 'Route table', 'RouteTableId');
    const vpc = d.str(o, 'VpcId') ?? unresolved('', 'route table export has no VpcId');
    const routes: Route[] = d.objects(o, 'Routes').map((r, i) => this.route(id, r, i));
    const assocs = d.objects(o, 'Associations');
    const rt = this.el<RouteTable>(o, 'RouteTableId', id, undefined, { kind: 'routeTable', vpc, routes });
    if (assocs.some((a) => d.bool(a, 'Main') === true)) rt.main = true;
    this.push(rt);
    assocs.forEach((a, i) => {
      const state = d.str(d.prop(a, 'AssociationState'), 'State');
      if (state === 'disassociated' || state === 'failed') return;
      const providerId = d.str(a, 'RouteTableAssociationId');
      const aid = providerId ?? `${id}#assoc${i}`;
      // Built field by field (no `delete`), in the order the model has always listed them.
      const assoc = {
        id: aid,
        kind: 'rtAssociation',
        name: aid,
        loc: d.keyLoc(a, 'RouteTableAssociationId'),
        extent: d.range(a),
      } as RouteTableAssociation;
      if (providerId) assoc.providerId = providerId;
      assoc.cloud = 'aws';
      assoc.routeTable = this.s(d.str(a, 'RouteTableId') ?? id);
      const subnet = d.str(a, 'SubnetId');
      const gateway = d.str(a, 'GatewayId');
      if (d.bool(a, 'Main') === true) assoc.mainOfVpc = typeof vpc === 'string' ? this.s(vpc) : vpc;
      else if (subnet) assoc.subnet = this.s(subnet);
      else if (gateway) assoc.gateway = this.s(gateway);
      else return;
      this.push(assoc);
    });
  }

  private route(rtId: string, r: Node, i: number): Route {
    const d = this.doc;
    const read = (f: string) => this.s(d.str(r, f));
    const destination = routeDestination('cli', read, read);
    const target = this.routeTarget(read, 'prefixList' in destination);
    const route: Route = {
      id: `${rtId}#${i}`,
      loc: d.loc(r),
      destination,
      target,
      state: d.str(r, 'State') === 'blackhole' ? 'blackhole' : 'active',
    };
    if (target.kind === 'local') route.implicit = true;
    return route;
  }

  private routeTarget(read: (field: string) => string | undefined, toPrefixList: boolean): RouteTarget {
    const t = routeTarget('cli', read, () => undefined);
    // GWLB endpoint routes print as GatewayId vpce-...; the endpoint's type, when this file has it, decides.
    if (t.kind === 'gwlbe' && typeof t.ref === 'string')
      return { kind: endpointTargetKind(this.endpointTypes.get(t.ref), toPrefixList), ref: t.ref };
    // An instance's interface prints both ids: the instance names what to export when the interface is absent.
    const instance = t.kind === 'eni' ? read('InstanceId') : undefined;
    if (instance) t.instance = instance;
    return t;
  }

  private igw(o: Node, kind: 'igw' | 'eigw', idKey: string): void {
    const d = this.doc;
    const id = d.str(o, idKey);
    if (!id) return this.missingId(o, 'Internet gateway', idKey);
    const att = d.objects(o, 'Attachments').find((a) => {
      const s = d.str(a, 'State');
      return s === undefined || s === 'available' || s === 'attached' || s === 'attaching';
    });
    const vpc = att ? d.str(att, 'VpcId') : undefined;
    this.push(this.el<InternetGateway>(o, idKey, id, undefined, { kind, vpc: vpc ?? unresolved('', 'gateway is not attached to a VPC') }));
  }

  private natgw(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'NatGatewayId');
    if (!id) return this.missingId(o, 'NAT gateway', 'NatGatewayId');
    const state = d.str(o, 'State');
    if (state === 'deleted' || state === 'deleting' || state === 'failed') {
      this.out.diagnostics.push(
        d.diagAt(d.propNode(o, 'State'), 'resource-not-available', 'info', `NAT gateway ${id} is ${state}: routes to it drop traffic`),
      );
      return;
    }
    const addr =
      d.objects(o, 'NatGatewayAddresses').find((a) => d.bool(a, 'IsPrimary') !== false) ?? d.objects(o, 'NatGatewayAddresses')[0];
    const privateIp = addr ? d.str(addr, 'PrivateIp') : undefined;
    const publicIp = addr ? d.str(addr, 'PublicIp') : undefined;
    this.push(
      this.el<NatGateway>(o, 'NatGatewayId', id, ['SubnetId', 'ConnectivityType'], {
        kind: 'natgw',
        subnet: d.str(o, 'SubnetId') ?? unresolved('', 'NAT gateway export has no SubnetId'),
        connectivity: d.str(o, 'ConnectivityType') === 'private' ? 'private' : 'public',
        privateIp: privateIp || undefined,
        publicIp: publicIp || undefined,
      }),
    );
  }

  private endpoint(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'VpcEndpointId');
    if (!id) return this.missingId(o, 'VPC endpoint', 'VpcEndpointId');
    // Only GWLB endpoints take part in egress inspection; gateway/interface endpoints are not modelled.
    if (d.str(o, 'VpcEndpointType') !== GWLB_ENDPOINT_TYPE) return;
    const subnets = d.strings(o, 'SubnetIds');
    const serviceName = d.str(o, 'ServiceName');
    this.push(
      this.el<GwlbEndpoint>(o, 'VpcEndpointId', id, ['SubnetIds', 'ServiceName'], {
        kind: 'gwlbe',
        vpc: d.str(o, 'VpcId') ?? unresolved('', 'endpoint export has no VpcId'),
        subnet: subnets[0] ?? unresolved('', 'GWLB endpoint without subnet'),
        // The service lives in the provider's account: by name only, resolved later if the inputs define it.
        service: serviceName ? unresolved(serviceName, 'endpoint service given by name') : undefined,
      }),
    );
  }

  private eip(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'AllocationId');
    // EC2-Classic addresses have no AllocationId, and no VPC role.
    if (!id) return;
    const publicIp = d.str(o, 'PublicIp');
    this.push(this.el<ElasticIp>(o, 'AllocationId', id, undefined, { kind: 'eip', publicIp: publicIp || undefined }));
  }

  private instance(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'InstanceId');
    if (!id) return this.missingId(o, 'Instance', 'InstanceId');
    const privateIp = d.str(o, 'PrivateIpAddress');
    const check = d.bool(o, 'SourceDestCheck');
    const el = this.el<Instance>(o, 'InstanceId', id, undefined, {
      kind: 'instance',
      subnet: d.str(o, 'SubnetId') ?? unresolved('', 'instance export has no SubnetId'),
      privateIp: privateIp || undefined,
      // Off makes the instance forward (a firewall, a NAT instance); on is AWS's default, left unwritten.
      sourceDestCheck: check === false ? false : undefined,
    });
    // What it runs, should a route make it an appliance: an export names only its image id, so its name says.
    const runs = check === false && el.name !== id ? applianceEvidence({ names: [el.name] }) : undefined;
    if (runs) el.runs = runs;
    this.push(el);
  }

  /**
   * An interface of describe-network-interfaces that an instance uses (a firewall VM's inside or outside
   * interface: routes name it, its source/destination check says whether it forwards). Interfaces AWS
   * services own (NAT gateways, endpoints, load balancers, TGW attachments) are those elements already.
   */
  private networkInterface(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'NetworkInterfaceId');
    if (!id) return this.missingId(o, 'Network interface', 'NetworkInterfaceId');
    const type = d.str(o, 'InterfaceType');
    if ((type !== undefined && type !== 'interface') || d.bool(o, 'RequesterManaged') === true) return;
    const att = d.prop(o, 'Attachment');
    const status = d.str(att, 'Status');
    const attached = att !== undefined && status !== 'detached' && status !== 'detaching';
    const instance = attached ? d.str(att, 'InstanceId') : undefined;
    const deviceIndex = attached ? d.num(att, 'DeviceIndex') : undefined;
    const eip = d.str(d.prop(o, 'Association'), 'AllocationId');
    const check = d.bool(o, 'SourceDestCheck');
    const privateIp = d.str(o, 'PrivateIpAddress');
    this.push(
      this.el<NetworkInterface>(o, 'NetworkInterfaceId', id, ['SubnetId', 'SourceDestCheck'], {
        kind: 'eni',
        subnet: d.str(o, 'SubnetId') ?? unresolved('', 'network interface export has no SubnetId'),
        privateIp: privateIp || undefined,
        // The CLI always prints it; AWS's default is on.
        sourceDestCheck: check ?? true,
        instance: instance || undefined,
        deviceIndex: instance ? deviceIndex : undefined,
        eip: eip || undefined,
      }),
    );
  }

  private peering(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'VpcPeeringConnectionId');
    if (!id) return this.missingId(o, 'VPC peering connection', 'VpcPeeringConnectionId');
    const req = d.str(d.prop(o, 'RequesterVpcInfo'), 'VpcId');
    const acc = d.str(d.prop(o, 'AccepterVpcInfo'), 'VpcId');
    this.push(
      this.el<VpcPeering>(o, 'VpcPeeringConnectionId', id, undefined, {
        kind: 'peering',
        vpc: req ?? unresolved('', 'no requester VPC'),
        peerVpc: acc ?? unresolved('', 'no accepter VPC'),
      }),
    );
  }

  private tgw(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'TransitGatewayId');
    if (!id) return this.missingId(o, 'Transit gateway', 'TransitGatewayId');
    const opts = d.prop(o, 'Options');
    const assoc = d.str(opts, 'DefaultRouteTableAssociation');
    const prop = d.str(opts, 'DefaultRouteTablePropagation');
    this.push(
      this.el<TransitGateway>(o, 'TransitGatewayId', id, undefined, {
        kind: 'tgw',
        defaultRouteTableAssociation: assoc ? assoc === 'enable' : undefined,
        defaultRouteTablePropagation: prop ? prop === 'enable' : undefined,
      }),
    );
  }

  private gwlb(o: Node): void {
    const d = this.doc;
    const arn = d.str(o, 'LoadBalancerArn');
    if (!arn) return this.missingId(o, 'Load balancer', 'LoadBalancerArn');
    if (d.str(o, 'Type') !== GWLB_TYPE) return;
    const subnets = d
      .objects(o, 'AvailabilityZones')
      .map((z) => d.str(z, 'SubnetId'))
      .filter((x): x is string => !!x);
    const vpc = d.str(o, 'VpcId');
    this.push(
      this.el<GatewayLoadBalancer>(o, 'LoadBalancerArn', arn, undefined, {
        name: d.str(o, 'LoadBalancerName') ?? arn,
        kind: 'gwlb',
        subnets,
        // Cross-zone load balancing is off unless enabled (describe-load-balancer-attributes does not name its LB).
        crossZone: false,
        vpc: vpc || undefined,
      }),
    );
  }

  private targetGroup(o: Node): void {
    const d = this.doc;
    const arn = d.str(o, 'TargetGroupArn');
    if (!arn) return this.missingId(o, 'Target group', 'TargetGroupArn');
    const lb = d.strings(o, 'LoadBalancerArns')[0];
    const vpc = d.str(o, 'VpcId');
    const protocol = d.str(o, 'Protocol');
    const port = d.num(o, 'Port');
    this.push(
      this.el<TargetGroup>(o, 'TargetGroupArn', arn, undefined, {
        name: d.str(o, 'TargetGroupName') ?? arn,
        kind: 'targetGroup',
        // Registered targets come from describe-target-health, which does not name its target group.
        targets: [],
        loadBalancer: lb || undefined,
        vpc: vpc || undefined,
        protocol: protocol || undefined,
        port,
      }),
    );
  }

  private endpointService(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'ServiceId');
    if (!id) return this.missingId(o, 'Endpoint service', 'ServiceId');
    const lbs = d.strings(o, 'GatewayLoadBalancerArns');
    if (!lbs.length) return;
    const serviceName = d.str(o, 'ServiceName');
    this.push(
      this.el<EndpointService>(o, 'ServiceId', id, undefined, {
        kind: 'endpointService',
        loadBalancers: lbs,
        serviceName: serviceName || undefined,
      }),
    );
  }

  private readonly attachments = new Map<string, TgwAttachment>();

  /** describe-transit-gateway-attachments and -vpc-attachments describe the same ids: merge them. */
  private tgwAttachments(root: Node): void {
    const d = this.doc;
    const upsert = (o: Node, vpcKey: string): TgwAttachment | undefined => {
      const id = d.str(o, 'TransitGatewayAttachmentId');
      if (!id) {
        this.missingId(o, 'Transit gateway attachment', 'TransitGatewayAttachmentId');
        return undefined;
      }
      let a = this.attachments.get(id);
      if (!a) {
        a = this.el<TgwAttachment>(o, 'TransitGatewayAttachmentId', id, undefined, {
          kind: 'tgwAttachment',
          tgw: d.str(o, 'TransitGatewayId') ?? unresolved('', 'attachment has no TransitGatewayId'),
          vpc: d.str(o, vpcKey) ?? unresolved('', 'attachment has no VPC'),
          subnets: [],
          applianceMode: unresolved('', 'appliance mode is only in describe-transit-gateway-vpc-attachments'),
        });
        this.attachments.set(id, a);
        this.push(a);
      }
      return a;
    };
    for (const o of d.objects(root, 'TransitGatewayVpcAttachments')) {
      const a = upsert(o, 'VpcId');
      if (!a) continue;
      a.subnets = d.strings(o, 'SubnetIds');
      const mode = d.str(d.prop(o, 'Options'), 'ApplianceModeSupport');
      a.applianceMode = mode === undefined ? false : mode === 'enable';
      a.attrs = { ...(a.attrs ?? {}), ...(this.doc.attrs(o, ['Options']) ?? {}) };
    }
    for (const o of d.objects(root, 'TransitGatewayAttachments')) {
      if (d.str(o, 'ResourceType') !== undefined && d.str(o, 'ResourceType') !== 'vpc') continue;
      const a = upsert(o, 'ResourceId');
      const rtb = d.str(d.prop(o, 'Association'), 'TransitGatewayRouteTableId');
      if (a && rtb) a.routeTable = rtb;
    }
  }

  private readonly tgwTables: TgwRouteTable[] = [];

  private tgwRouteTable(o: Node): void {
    const d = this.doc;
    const id = d.str(o, 'TransitGatewayRouteTableId');
    if (!id) return this.missingId(o, 'Transit gateway route table', 'TransitGatewayRouteTableId');
    const t = this.el<TgwRouteTable>(o, 'TransitGatewayRouteTableId', id, undefined, {
      kind: 'tgwRouteTable',
      tgw: d.str(o, 'TransitGatewayId') ?? unresolved('', 'route table has no TransitGatewayId'),
      // Routes come from search-transit-gateway-routes, which does not name its table: not modelled.
      routes: [],
      associations: [],
      propagations: [],
    });
    this.tgwTables.push(t);
    this.push(t);
  }

  private linkTgwTables(): void {
    for (const t of this.tgwTables) {
      for (const a of this.attachments.values()) if (a.routeTable === t.id) t.associations.push(a.id);
    }
  }
}
