// Why a walk ends, as data: each stop names its public cause and the element ids involved. `reasonOf` is
// the one place that turns a stop into the sentence users read; rules switch on `cause`, never on that text.
import type { ModelIndex } from '../modelIndex';
import { where } from '../../model/where';
import { isUnresolved } from '../../model/types';
import type { DropCause, TraceOutcome, UnknownCause } from '../types';

/**
 * Whether a blackhole route of this table was written to drop traffic: a TGW route table's (only Terraform and
 * CloudFormation write its routes, `blackhole = true`) or an Azure one's (next hop None). An AWS VPC route is
 * blackhole only as an export's `State`, after its target was deleted.
 */
export function writtenToDrop(table: { kind: string; cloud?: string }): boolean {
  return table.kind === 'tgwRouteTable' || table.cloud === 'azure';
}

export type DropStop =
  | { cause: 'no-route'; table: string; ip: string }
  /**
   * A route that drops what it matches: written so (`written`: a TGW route's `blackhole = true`, an Azure next hop
   * `None`, a deliberate drop) or left so by AWS after its target was deleted (an export's `State: blackhole`).
   */
  | { cause: 'blackhole'; table: string; destination: string; written?: true }
  | { cause: 'none-next-hop' }
  | { cause: 'no-subnet'; vpc: string; ip: string }
  /**
   * An Azure UDR's next hop is a network interface whose IP forwarding is off (`setting` says how), or an internal
   * load balancer (`lb`) that hands flows to such an interface in its backend pool (`pool`).
   */
  | { cause: 'ip-forwarding-off'; nic: string; setting: string; lb?: string; pool?: string }
  /**
   * An appliance in `from` forwards a packet that did not start there into `into` over `peering` (the peering
   * of `into` whose remote is `from`), and that peering does not allow forwarded traffic.
   */
  | { cause: 'forwarded-traffic-refused'; peering: string; into: string; from: string }
  | { cause: 'no-transitive-peering'; peering: string }
  | { cause: 'no-nat-session'; nat: string; ip: string }
  /** The reply leaves again: through an IGW (`via`) instead of reaching `to`, or straight back to the internet. */
  | { cause: 'reply-to-internet'; via?: string; to?: string }
  | { cause: 'igw-not-attached'; igw: string; vpc: string }
  /** IPv6 of another VPC (`from`) reaches an (egress-only) IGW of `vpc`: nothing translates it, the gateway drops it. */
  | { cause: 'ipv6-other-vpc'; igw: string; vpc: string; from: string }
  | { cause: 'private-nat'; nat: string; igw: string }
  | { cause: 'no-tgw-attachment'; tgw: string; vpc?: string }
  | { cause: 'no-transit'; gateway: string }
  | { cause: 'no-egress'; gateway: string; transit: string }
  | { cause: 'hop-limit'; limit: number }
  /** A route sends traffic to an interface (or instance) whose source/destination check drops what is not its own. */
  | { cause: 'source-dest-check'; element: string }
  /** The IGW has no public IP to translate the source to: `owner` is the subnet or interface that has none. */
  | { cause: 'no-public-ip'; owner: string; igw: string; why: string }
  /** An Azure private subnet (no default outbound access) with no NAT gateway and no public IP on its VMs. */
  | { cause: 'no-default-outbound'; subnet: string }
  /**
   * A route to a Cloud WAN core network (`core`, as written), and none of the other VPCs attached to a core network
   * in the inputs (`attached`) has a way out; attachments outside the inputs are assumed to have none either.
   * `tgws`: the transit gateways peered with the core network (their VPCs among `attached`), none with another
   * attachment that is not modelled.
   */
  | { cause: 'core-network-closed'; core: string; attached: string[]; tgws?: string[] }
  /**
   * A VPC attachment (`attachment`) of `tgw` that no route table association of the inputs names, and that AWS
   * associates with none by itself: the TGW's default association is disabled (`setting` 'tgw') or the attachment
   * opts out ('attachment'). The TGW drops what it sends; nothing outside the inputs is assumed to associate it.
   */
  | { cause: 'no-tgw-association'; attachment: string; tgw: string; setting: 'tgw' | 'attachment' };

export type UnknownStop =
  /** `detail`: the route lookup's own explanation (routing.ts). */
  | { cause: 'unresolved-input'; what: 'route-lookup'; detail: string }
  | { cause: 'unresolved-input'; what: 'appliance-ip'; text: string }
  /** The next hop address is in a subnet of the inputs whose elements have addresses assigned at deploy time. */
  | { cause: 'unresolved-input'; what: 'appliance-owner'; ip: string; subnet: string }
  | { cause: 'unresolved-input'; what: 'route-target'; text: string; why: string }
  /** The internet gateway's VPC is written (`text`) but not known offline (`why`): attached to the source's VPC or not. */
  | { cause: 'unresolved-input'; what: 'igw-vpc'; igw: string; text: string; why: string }
  | { cause: 'unresolved-input'; what: 'tgw-route-destination'; table: string; text: string }
  | { cause: 'unresolved-input'; what: 'tgw-route-target'; text: string; why: string }
  | { cause: 'unresolved-input'; what: 'tgw-propagation'; table: string; attachment: string; text: string }
  | { cause: 'unresolved-input'; what: 'nat-private-ip'; nat: string }
  | { cause: 'unresolved-input'; what: 'snat'; gateway: string }
  | { cause: 'unresolved-input'; what: 'transit'; gateway: string }
  | { cause: 'unresolved-input'; what: 'egress-capability'; transit: string }
  | { cause: 'unresolved-input'; what: 'source-address'; source: string }
  /** An association the inputs cannot decide may name the subnet (or the IGW, `edge`): `why` says which and where. */
  | { cause: 'unresolved-input'; what: 'undecided-table'; element: string; why: string; edge?: true }
  /** A resource the model does not understand (a custom resource, a script) touches the table or its VPC. */
  | { cause: 'unresolved-input'; what: 'unmodelled-table'; table: string; by: string[]; ip?: string }
  /** The source subnet holds an endpoint whose type cannot be decided: an endpoint subnet or a workload one. */
  | { cause: 'unresolved-input'; what: 'undecided-endpoint-subnet'; subnet: string; endpoints: string[] }
  | { cause: 'unresolved-input'; what: 'gateway-lb-chain'; subnet: string; chains: string[] }
  /**
   * The source subnet may be one of the parameter subnets (`params`) a template of the inputs places firewall
   * interfaces in (`interfaces`, forwarding ones and their instances): the firewall's own subnet or a workload's.
   */
  | {
      cause: 'unresolved-input';
      what: 'maybe-firewall-subnet';
      subnet: string;
      template: string;
      params: string[];
      interfaces: string[];
    }
  /**
   * The source subnet holds instances (`instances`) that a load balancer's target groups (`groups`) hand flows
   * to, with one interface and the source/destination check off: servers, or one-armed NAT instances or proxies
   * whose subnet carries what they forward.
   */
  | { cause: 'unresolved-input'; what: 'lb-forwarder-subnet'; subnet: string; instances: string[]; groups: string[] }
  /**
   * The source subnet holds forwarding instances (`instances`, source/destination check off) that no route names and
   * that only a name calls firewalls: the firewall's own subnet or a workload's, the inputs do not say (review s16 R11).
   */
  | { cause: 'unresolved-input'; what: 'named-firewall-subnet'; subnet: string; instances: string[] }
  /** Whether the source exists cannot be decided (an undecidable count/for_each); `why` names it and where. */
  | { cause: 'unresolved-input'; what: 'undecided-source'; source: string; why: string }
  | { cause: 'missing-input'; what: 'source'; source: string }
  | { cause: 'missing-input'; what: 'source-ip'; ip: string }
  /** What an internal load balancer does with the packet cannot be decided from the inputs (`why`). */
  | { cause: 'unresolved-input'; what: 'load-balancer'; lb: string; why: string }
  /** A UDR's VirtualAppliance next hop is an address no appliance of the inputs holds. */
  | { cause: 'missing-input'; what: 'appliance-at'; ip?: string }
  /** Whether the peering of `into` whose remote is `from` takes forwarded traffic cannot be decided (`why`). */
  | { cause: 'unresolved-input'; what: 'forwarded-traffic'; into: string; from: string; why: string }
  | { cause: 'missing-input'; what: 'subnet-of'; element: string }
  | { cause: 'missing-input'; what: 'vpc-of-subnet'; subnet: string }
  | { cause: 'missing-input'; what: 'vpc-of'; element: string }
  | { cause: 'missing-input'; what: 'tgw-of'; attachment: string }
  | { cause: 'missing-input'; what: 'attachment-subnet'; attachment: string }
  /**
   * The attachment's subnets are written but none is known offline (`text`, `reason`: a provider lookup, an
   * apply-time id), and which route table of its VPC routes the packet cannot be decided either (`why`).
   */
  | { cause: 'unresolved-input'; what: 'attachment-subnet-choice'; attachment: string; text: string; reason: string; why: string }
  | { cause: 'missing-input'; what: 'route-target-ref'; targetKind: string }
  /**
   * A route (a TGW route: `tgw`) names a target by an id no element of the inputs has: created outside them
   * (another configuration, the console), or not exported. Not a deleted target: AWS marks those `blackhole`.
   * `instance`: the instance an exported interface belongs to.
   */
  | { cause: 'missing-input'; what: 'absent-target'; target: string; targetKind: string; instance?: string; tgw?: true }
  /** A subnet's (or a source's) table, an attachment's TGW table, or an attachment subnet's table. */
  /** `why`: what the inputs hold that may give an attachment its table (attachment-table). */
  | {
      cause: 'no-route-table';
      what: 'subnet-table' | 'source-table' | 'attachment-table' | 'attachment-subnet-table';
      element: string;
      why?: string;
    }
  | { cause: 'unsupported-target'; what: 'target-type'; text: string }
  | { cause: 'unsupported-target'; what: 'element'; element: string; elementKind: string }
  | { cause: 'unsupported-target'; what: 'transit-first-hop'; gateway: string }
  /**
   * A spoke without local egress whose transit has none either, in a network the controller made (no route table
   * in the inputs) or a cloud the model does not route: that network's own ways out are not modelled.
   */
  | { cause: 'unsupported-target'; what: 'controller-network'; gateway: string; transit: string; cloud: string }
  | { cause: 'beyond-inputs'; what: 'vpn'; vgw: string }
  /** Where a Cloud WAN core network (`core`, as written) sends the packet is not decided by the inputs (`why`). */
  | { cause: 'beyond-inputs'; what: 'core-network'; core: string; why: string }
  | { cause: 'unresolved-input'; what: 'source-dest-check'; element: string; text: string }
  /** Whether the source (or the appliance's outside interface) has a public IP cannot be decided. */
  | { cause: 'unresolved-input'; what: 'public-ip'; owner: string; why: string }
  | { cause: 'beyond-inputs'; what: 'detached-interface'; eni: string }
  /** Where an appliance sends the packet is its own routing (which interface, overlay routing), not the inputs'. */
  | { cause: 'beyond-inputs'; what: 'appliance-routing'; appliance: string; why: string }
  /**
   * The packet reaches a Palo Alto VM-Series' interface at device index 0 (`via`: how), its management interface
   * since its bootstrap (`at`) does not swap it (F238): PAN-OS forwards no traffic there. Not a drop (AWS delivers
   * it; what PAN-OS does is not the inputs'), no enforcement either. `fix`: what makes the path reach a data interface.
   */
  | { cause: 'beyond-inputs'; what: 'management-interface'; appliance: string; via: string; at: string; fix: string }
  /**
   * IPv6 of another VPC (`from`) reaches an (egress-only) IGW of `vpc` after an instance or appliance of `vpc`
   * forwarded it: whether that one translates it (NPTv6/NAT66) to an address of `vpc`, so that it leaves, is its
   * own configuration.
   */
  | { cause: 'beyond-inputs'; what: 'ipv6-translation'; appliance: string; igw: string; vpc: string; from: string }
  /**
   * A positional pick of a Network Firewall's unordered endpoints (`pick`, e.g. `X.EndpointIds[0]`): the next hop
   * depends on which AZ's endpoint it is (`why`: what each endpoint's subnet does), or the other leg names an
   * endpoint of the same firewall in a way the pick cannot be compared with. `attribute`: the pick is the value
   * a CloudFormation custom resource given only the firewall returns (`<resource>.<attribute>`).
   */
  | { cause: 'unresolved-input'; what: 'endpoint-pick'; pick: string; why: string; zone?: string; attribute?: string };

// Both unions must name exactly the public causes (types.ts).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const dropCausesMatch: Same<DropStop['cause'], DropCause> = true;
const unknownCausesMatch: Same<UnknownStop['cause'], UnknownCause> = true;
void dropCausesMatch;
void unknownCausesMatch;

export type Dropped = Extract<TraceOutcome, { kind: 'dropped' }>;
export type Unknown = Extract<TraceOutcome, { kind: 'unknown' }>;

export function droppedOutcome(index: ModelIndex, stop: DropStop, at?: string): Dropped {
  return { kind: 'dropped', cause: stop.cause, reason: dropReason(index, stop), ...(at !== undefined ? { at } : {}) };
}

export function unknownOutcome(index: ModelIndex, stop: UnknownStop, at?: string): Unknown {
  return { kind: 'unknown', cause: stop.cause, reason: unknownReason(index, stop), ...(at !== undefined ? { at } : {}) };
}

function tableText(index: ModelIndex, table: string): string {
  return `${index.get(table)?.kind === 'tgwRouteTable' ? 'TGW route table ' : ''}${index.label(table)}`;
}

function dropReason(index: ModelIndex, s: DropStop): string {
  const l = (id: string) => index.label(id);
  switch (s.cause) {
    case 'no-route':
      return `no route for ${s.ip} in ${tableText(index, s.table)}`;
    case 'blackhole':
      return s.written
        ? `route ${s.destination} in ${tableText(index, s.table)} drops it (${index.get(s.table)?.cloud === 'azure' ? 'next hop None' : 'a blackhole route'}, written to drop traffic)`
        : `blackhole route ${s.destination} in ${tableText(index, s.table)}`;
    case 'none-next-hop':
      return 'next hop type None drops the packet';
    case 'no-subnet':
      return `no subnet of ${l(s.vpc)} contains ${s.ip}`;
    case 'ip-forwarding-off':
      if (s.lb !== undefined)
        return `load balancer ${l(s.lb)} hands flows to network interface ${s.nic} (backend pool ${s.pool ?? '?'}), which does not forward (${s.setting}): Azure drops what is sent to it but not addressed to it`;
      return `network interface ${s.nic} does not forward (${s.setting}): Azure drops what is sent to it but not addressed to it`;
    case 'forwarded-traffic-refused':
      return `peering ${l(s.peering)} of ${l(s.into)} does not allow forwarded traffic (allow_forwarded_traffic off): Azure drops what an appliance of ${l(s.from)} forwards into ${l(s.into)} that did not start in ${l(s.from)}`;
    case 'no-transitive-peering':
      return `peering ${l(s.peering)} does not carry traffic beyond the peer VPC (no edge-to-edge routing)`;
    case 'no-nat-session':
      return `NAT GW ${l(s.nat)} has no translation for ${s.ip}`;
    case 'reply-to-internet':
      return s.via ? `the reply to ${s.to ?? '?'} is routed back out through ${l(s.via)}` : 'the reply went back to the internet';
    case 'igw-not-attached':
      return `internet gateway ${l(s.igw)} is not attached to ${l(s.vpc)}`;
    case 'ipv6-other-vpc':
      return `${l(s.igw)} forwards IPv6 only from the addresses of ${l(s.vpc)}, and this source is of ${l(s.from)}: IPv6 is not translated, so central IPv6 egress needs NPTv6 (NAT66) or a proxy in the egress VPC`;
    case 'private-nat':
      return `private NAT GW ${l(s.nat)} has no public IP for ${l(s.igw)}`;
    case 'no-tgw-attachment':
      return `${s.vpc ? l(s.vpc) : 'the VPC'} has no attachment to ${l(s.tgw)} in the inputs`;
    case 'no-transit':
      return `spoke ${l(s.gateway)} has no local egress and no transit in the inputs`;
    case 'no-egress':
      return `neither spoke ${l(s.gateway)} (SNAT off) nor transit ${l(s.transit)} (no egress) leaves for the internet`;
    case 'hop-limit':
      return `hop limit (${s.limit}) reached`;
    case 'source-dest-check':
      return `${l(s.element)} has its source/destination check on: it drops packets not addressed to it`;
    case 'no-public-ip':
      return `${l(s.owner)} has no public IP, so ${l(s.igw)} cannot translate its traffic (${s.why})`;
    case 'core-network-closed':
      return `Cloud WAN core network ${s.core} has no way to the internet in the inputs: no VPC attached to it there${s.tgws ? `, directly or through transit gateway ${s.tgws.map(l).join(', ')},` : ''} (${s.attached.map(l).join(', ')}) has an internet gateway, NAT gateway, VPN gateway, peering, ${s.tgws ? 'other ' : ''}transit gateway attachment or GWLB endpoint${s.tgws ? `, and nothing else (a VPN, Connect or peering attachment) is attached to ${s.tgws.length > 1 ? 'those transit gateways' : 'the transit gateway'}` : ''}; this assumes the core network has no attachment outside the inputs (another stack, region or account) that leads to the internet`;
    case 'no-tgw-association':
      return `attachment ${l(s.attachment)} is associated with no route table of ${l(s.tgw)}: ${
        s.setting === 'tgw'
          ? 'the transit gateway does not associate attachments with its default route table (default association disabled)'
          : 'it opts out of the default route table association (transit_gateway_default_route_table_association = false)'
      } and no association in the inputs names it, so the transit gateway drops what it sends; this assumes no configuration outside the inputs associates it`;
    case 'no-default-outbound':
      return `private subnet: no default outbound access (${l(s.subnet)} turns it off, has no NAT gateway and its VMs have no public IP, so nothing translates its traffic to the internet)`;
  }
}

const NO_TABLE = 'has no route table in the inputs (no explicit association, no main table)';

/** What an unresolved route target names that the model does not read: the reason the route is Unknown. */
function unmodelledNamed(index: ModelIndex, text: string): string {
  const named = index.unmodelledNamedIn(text);
  if (named.length === 0) return '';
  return `: it names ${named.map((u) => `${u.resourceType} ${u.name || u.id} (${where(u.loc)}; ${u.what}), which is not modelled`).join('; ')}`;
}

/** What a route target of each kind is, and the describe commands whose output holds it. */
const ABSENT_TARGET: Record<string, [string, string]> = {
  natgw: ['NAT gateway', 'describe-nat-gateways'],
  gwlbe: ['VPC endpoint', 'describe-vpc-endpoints'],
  vpce: ['VPC endpoint', 'describe-vpc-endpoints'],
  tgw: ['transit gateway', 'describe-transit-gateways / describe-transit-gateway-vpc-attachments'],
  peering: ['VPC peering connection', 'describe-vpc-peering-connections'],
  eni: ['network interface', 'describe-network-interfaces'],
  instance: ['instance', 'describe-instances'],
  igw: ['internet gateway', 'describe-internet-gateways'],
  eigw: ['egress-only internet gateway', 'describe-egress-only-internet-gateways'],
  vgw: ['virtual private gateway', 'describe-vpn-gateways'],
  attachment: ['TGW attachment', 'describe-transit-gateway-attachments'],
};

function absentTarget(s: { target: string; targetKind: string; instance?: string; tgw?: true }): string {
  const [what, cmd] = ABSENT_TARGET[s.tgw ? 'attachment' : s.targetKind] ?? ['route target', ''];
  const of = s.instance ? ` of instance ${s.instance}` : '';
  const add = `${cmd ? `its ${cmd}${s.instance ? ' / describe-instances' : ''} output, or ` : ''}the configuration that creates it`;
  return `${s.tgw ? 'TGW ' : ''}route target ${what} ${s.target}${of} is not in the inputs: where it leads is not known (add ${add})`;
}

function unknownReason(index: ModelIndex, s: UnknownStop): string {
  const l = (id: string) => index.label(id);
  switch (s.what) {
    case 'route-lookup':
      return s.detail;
    case 'appliance-ip':
      return `virtual appliance IP ${s.text} is not known offline`;
    case 'appliance-owner':
      return `which element of subnet ${l(s.subnet)} has the next hop address ${s.ip} is not known offline (its addresses are assigned at deploy time)`;
    case 'igw-vpc':
      return `which VPC internet gateway ${l(s.igw)} is attached to is not known offline (${s.text}: ${s.why}): whether it is this VPC's way out is not decided`;
    case 'route-target':
      return `route target ${s.text} is not resolvable offline (${s.why})${unmodelledNamed(index, s.text)}`;
    case 'tgw-route-destination':
      return `TGW route table ${l(s.table)} has a route to ${s.text} that is not known offline`;
    case 'tgw-route-target':
      return `TGW route target ${s.text} is not resolvable offline (${s.why})`;
    case 'tgw-propagation':
      return `whether ${l(s.attachment)} propagates its CIDRs to TGW route table ${l(s.table)} is not known offline (${s.text})`;
    case 'nat-private-ip':
      return `NAT GW ${l(s.nat)}'s private IP is not known offline`;
    case 'snat':
      return `SNAT setting of ${l(s.gateway)} is not known offline`;
    case 'transit': {
      const g = index.get(s.gateway);
      const t = g?.kind === 'aviatrixGateway' && isUnresolved(g.transit) ? g.transit : undefined;
      return `transit of ${l(s.gateway)} is not resolvable offline${t ? ` (${t.text ? `${t.text}: ` : ''}${t.reason})` : ''}`;
    }
    case 'egress-capability': {
      const g = index.get(s.transit);
      const e = g?.kind === 'aviatrixGateway' && isUnresolved(g.egressCapability) ? g.egressCapability : undefined;
      return `egress capability of ${l(s.transit)} is not known offline${e ? ` (${e.reason})` : ''}`;
    }
    case 'source-address':
      return `no source address for ${l(s.source)} (its CIDR is not known offline)`;
    case 'undecided-table':
      return s.edge
        ? `whether ${l(s.element)} has an edge route table cannot be decided: ${s.why}`
        : `the route table of ${l(s.element)} cannot be decided: ${s.why}`;
    case 'unmodelled-table':
      return `${s.ip ? `the route to ${s.ip} in` : 'the routes of'} ${tableText(index, s.table)} cannot be decided: ${s.by
        .map((id) => {
          const u = index.get(id);
          if (u?.kind !== 'unmodelled') return id;
          const nets = s.ip ? index.destinationNets(u) : undefined;
          const them = nets ? `its routes to ${nets.map((c) => c.text).join(', ')}` : 'them';
          return `${u.resourceType} ${u.name || u.id} (${where(u.loc)}) is not modelled and may change ${them} (${u.what})`;
        })
        .join('; ')}`;
    case 'gateway-lb-chain':
      return `${l(s.subnet)} holds ${s.chains
        .map((id) => {
          const u = index.get(id);
          return u?.kind === 'unmodelled' ? `${u.name || u.id} (${where(u.loc)}), a ${u.what}` : id;
        })
        .join('; ')}`;
    case 'undecided-endpoint-subnet':
      return `whether ${l(s.subnet)} is an endpoint subnet (which carries no traffic of its own) or holds workloads cannot be decided: it holds ${s.endpoints
        .map((id) => {
          const u = index.get(id);
          if (u?.kind !== 'unmodelled') return id;
          // A VPC endpoint of undecided type, or a firewall service the model does not read (Cloud NGFW).
          const held = `${u.name || u.id} (${where(u.loc)})`;
          return u.resourceType === 'aws_vpc_endpoint' || u.resourceType === 'AWS::EC2::VPCEndpoint'
            ? `${held}, an endpoint whose type is not known offline`
            : `${held}, a ${u.resourceType} (${u.what}) that is not modelled`;
        })
        .join(', ')}`;
    case 'maybe-firewall-subnet': {
      const names = [...new Set(s.interfaces.map((id) => index.get(id)?.name.replace(/ ".*$/, '') || id))];
      const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
      return `whether ${l(s.subnet)} is a firewall's own subnet (which carries the firewall's traffic, not a workload's) or a workload subnet cannot be decided: ${s.template} places forwarding firewall interfaces (${shown}) in subnets given as parameters (${s.params.join(', ')}) of a VPC it does not create, and ${l(s.subnet)} may be one of them`;
    }
    case 'named-firewall-subnet': {
      const them = s.instances.map((id) => l(id)).join(', ');
      const why = s.instances
        .map((id) => index.get(id))
        .map((e) => (e?.kind === 'instance' && e.runs ? e.runs.why : undefined))
        .find((x) => x);
      return `whether ${l(s.subnet)} is a workload subnet or a firewall's own subnet cannot be decided: ${them} ${s.instances.length === 1 ? 'forwards' : 'forward'} (source/destination check off) and no route sends traffic to ${s.instances.length === 1 ? 'it' : 'them'}; ${why ?? 'a name says firewall'}, a hint only (what runs there is not in the inputs)`;
    }
    case 'lb-forwarder-subnet': {
      const them = s.instances.map((id) => l(id)).join(', ');
      return `whether ${l(s.subnet)} is a workload subnet or a forwarder's own subnet (which carries what it forwards) cannot be decided: ${them} ${s.instances.length === 1 ? 'is a one-interface forwarder' : 'are one-interface forwarders'} behind a load balancer (a target of ${s.groups.map((g) => l(g)).join(', ')}, source/destination check off): a server or a one-armed NAT/proxy`;
    }
    case 'undecided-source':
      return `whether ${index.get(s.source)?.address ?? s.source} exists cannot be decided offline: ${s.why}`;
    case 'source':
      return `source ${s.source} is not in the inputs`;
    case 'source-ip':
      return `no subnet or VPC of the inputs holds ${s.ip}`;
    case 'appliance-at':
      return `no network interface or firewall of the inputs holds the next hop address ${s.ip ?? '?'}: an appliance deployed by another configuration (or in another subscription) may, so where it leads is not known`;
    case 'load-balancer':
      return `where load balancer ${l(s.lb)} sends the packet cannot be decided: ${s.why}`;
    case 'forwarded-traffic':
      return `whether ${l(s.into)} takes what an appliance of ${l(s.from)} forwards into it cannot be decided: ${s.why}`;
    case 'subnet-of':
      return `subnet of ${l(s.element)} is not in the inputs`;
    case 'vpc-of-subnet':
      return `the VPC of subnet ${l(s.subnet)} is not in the inputs`;
    case 'vpc-of':
      return `${l(s.element)} belongs to no VPC in the inputs`;
    case 'tgw-of':
      return `transit gateway of ${l(s.attachment)} is not in the inputs`;
    case 'attachment-subnet':
      return `attachment ${l(s.attachment)} has no subnet in the inputs`;
    case 'attachment-subnet-choice':
      return `the subnet of attachment ${l(s.attachment)} is not known offline (\`${s.text}\`: ${s.reason}), and which route table of its VPC routes the packet cannot be decided: ${s.why}`;
    case 'route-target-ref':
      return `route target ${s.targetKind} names no resource`;
    case 'absent-target':
      return absentTarget(s);
    case 'subnet-table':
      return `subnet ${l(s.element)} ${NO_TABLE}`;
    case 'source-table':
      return `${l(s.element)} ${NO_TABLE}`;
    case 'attachment-table':
      return `attachment ${l(s.element)} is associated with no TGW route table in the inputs${s.why ? `, but ${s.why}` : ''}`;
    case 'attachment-subnet-table':
      return `attachment subnet ${l(s.element)} has no route table in the inputs`;
    case 'target-type':
      return `route target of unknown type (${s.text})`;
    case 'element': {
      const u = index.get(s.element);
      if (u?.kind === 'unmodelled')
        return `where a route to ${u.name || u.id} (${where(u.loc)}) leads cannot be decided: it is not modelled (${u.resourceType}: ${u.what})`;
      return `a ${s.elementKind} (${l(s.element)}) is not a route target the tracer understands`;
    }
    case 'transit-first-hop':
      return `routed straight to transit gateway ${l(s.gateway)}`;
    case 'controller-network': {
      const own =
        s.cloud === 'aws'
          ? 'the internet gateway route of the public subnets the controller makes in it'
          : s.cloud === 'azure'
            ? "Azure's system route to the Internet in subnets the controller does not program"
            : `the ${s.cloud.toUpperCase()} network's own default route`;
      return `neither spoke ${l(s.gateway)} (no local egress) nor transit ${l(s.transit)} (no egress capability) takes internet traffic, but the network's other way out (${own}) is not modelled: whether its workloads reach the internet is not known offline`;
    }
    case 'vpn':
      return `leaves through VPN gateway ${l(s.vgw)}; beyond the inputs`;
    case 'core-network':
      return `where Cloud WAN core network ${s.core} takes the traffic is not decided by the inputs: ${s.why}`;
    case 'source-dest-check':
      return `whether ${l(s.element)} forwards traffic (source_dest_check ${s.text}) is not known offline`;
    case 'public-ip':
      return `whether ${l(s.owner)} has a public IP cannot be decided: ${s.why}`;
    case 'detached-interface':
      return `network interface ${l(s.eni)} is attached to no instance in the inputs (attached at boot by a script, or by another configuration)`;
    case 'ipv6-translation':
      return `${l(s.igw)} forwards IPv6 only from the addresses of ${l(s.vpc)}, and this source is of ${l(s.from)}: ${l(s.appliance)} forwarded it there and may translate IPv6 (NPTv6/NAT66) to an address of ${l(s.vpc)}, which its configuration decides: whether it leaves is not known offline`;
    case 'appliance-routing':
      return `${l(s.appliance)} decides where the packet goes by its own routing, which is not in the inputs: ${s.why}`;
    case 'management-interface':
      return `${s.via}, which is Palo Alto VM-Series ${l(s.appliance)}'s management interface: its bootstrap (${s.at}) does not set mgmt-interface-swap=enable, so PAN-OS keeps the interface at device index 0 for management, which forwards no traffic; ${s.fix}`;
    case 'endpoint-pick':
      if (s.attribute !== undefined)
        return `${s.pick} is what custom resource ${s.attribute.split('.')[0]} returns given only the firewall, one of the firewall's endpoints: which AZ's endpoint it is, its function decides (not read offline), and ${s.why}`;
      return s.zone !== undefined
        ? `${s.pick} is one of the firewall's endpoints, and which of them is in ${s.zone} cannot be decided offline (their subnets' AZs are not known), and ${s.why}`
        : `${s.pick} is one of the firewall's endpoints, and AWS does not order them: which AZ's endpoint it is cannot be decided offline, and ${s.why}`;
  }
}
