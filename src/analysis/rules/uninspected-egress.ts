// A workload subnet reaches the internet and nothing enforces policy on the way: no GWLB firewall, no
// Aviatrix spoke with DCF, no NVA.
import { isUnresolved, type NetworkElement, type RouteTable, type Subnet } from '../../model/types';
import type { Hop, RelatedLocation, SubnetEgress, TextEdit } from '../types';
import type { SourceLocation } from '../../model/types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import {
  decidingHop,
  decisionElement,
  decisionLocation,
  dedupe,
  elementRelated,
  insertAfter,
  isDelivered,
  locKey,
  sourceLabel,
  tfRef,
  traceRef,
  callerInput,
  type Worded,
} from './egressPaths';
import { agree, all, combine, lit, lowerFirst, merge, names, text, w, type Wording } from './wording';
import { azureServiceNeedsInternet, azureSubnetService } from '../../model/platformSubnets';
import { beforeNatVpcs, type VpcTest } from './natLayout';
import { inspectionPoints, pointsFor, pointWording, type InspectionPoint } from './inspectionTarget';
import { learnedFirewall } from '../trace/vnetGateway';
import { instancePublicIp } from '../trace/aws';

const doc = `Fires when a subnet (or an Aviatrix spoke VPC) reaches the internet and neither the forward nor
the return path passes any enforcement point: no GWLB endpoint with its firewall, no Aviatrix spoke gateway
enforcing Distributed Cloud Firewall, no network virtual appliance. Typical causes are a legacy or management
subnet whose default route points straight at the internet gateway, or a NAT subnet routed to the IGW instead
of the GWLB endpoint. Such traffic escapes the egress policy entirely. Fix: route the subnet through the NAT
GW and GWLB endpoint of its AZ (or through the spoke gateway with local egress), or remove its internet route.

The finding sits on the route to change. A NAT subnet's 0.0.0.0/0 goes to the GWLB endpoint (inspection
after NAT). A table that carries egress machinery's own traffic is never the one to change: a GWLB or firewall
endpoint's subnet, a firewall or NAT instance's (source/destination check off), an Aviatrix gateway's, and a
NAT GW's when inspection sits before NAT (a GWLB or Network Firewall endpoint's subnet, or the subnet a routed
firewall instance forwards out of, sends 0.0.0.0/0 to the NAT GW, or the VPC holds the GWLB itself) must keep sending straight to the internet gateway, or every
workload's egress would loop. The change then goes in the workload's own table (before NAT: 0.0.0.0/0 to the
firewall endpoint of its AZ, whose subnet goes on to the NAT GW; never an IGW edge route for post-NAT replies);
and a workload (a bastion, a test host) that lives in such a subnet is found at its own declaration with the
advice to move it to a subnet whose egress is inspected; a subnet that merely shares such a table (one route
table for the endpoint subnet and an empty neighbour) is found at its association with the advice to give it a
table of its own. An empty subnet on the table of a firewall instance's own subnet, a table serving nothing
else, is that firewall's tier in a zone where it does not run: not a source.
An AWS subnet holding an internet-facing application or network load balancer (\`aws_lb\`/\`aws_alb\` whose \`internal\`
is false or not written, CloudFormation \`Scheme: internet-facing\`) whose table sends 0.0.0.0/0 to the internet gateway
or an endpoint in front of it, or tagged \`kubernetes.io/role/elb\`, is such machinery too: the load balancer answers internet clients through the subnet's 0.0.0.0/0 -> internet gateway, so no
fix moves that route. Holding nothing else it is not a source; an instance the inputs place beside the load
balancer is told to move, and a workload subnet sharing its table to get a table of its own. An internal load
balancer's subnet, and one whose scheme or subnets are not known offline, stays as it is.
The fix names the endpoint (or the firewall instance's interface) of the AZ by its resource; when that AZ has
none, it says so and names those the VPC has (whose AZ the traffic would then cross into), or that one must be
added.
An Azure subnet without a route table has no route to change (Azure's system route sends 0.0.0.0/0 to the
Internet): the finding sits on the subnet, and the fix associates it with the route table that already sends
other subnets of its VNet to the firewall (a quick fix adds the \`azurerm_subnet_route_table_association\`).
In Azure, a route table that also serves an Application Gateway's subnet keeps its 0.0.0.0/0 on Internet
(the gateway's control plane needs it): the workload subnet gets a route table of its own. A table that writes
0.0.0.0/0 -> Internet itself beside routes to a virtual appliance is a breakout someone chose (an Application Gateway
v2 subnet whose gateway is deployed elsewhere): the fix asks why before it reroutes. A subnet whose name says it
is for an Application Gateway (a whole word \`appgw\` or \`agw\`, or application/app followed by gateway/gw:
\`ApplicationGatewaySubnet\`, \`snet-appgw\`) and that holds nothing in the inputs (no NIC, VM, scale set,
private endpoint, node pool, app integration, or delegation to another service; a route table or NSG association
at most) is reserved for a gateway another configuration deploys: it is no source, so no finding and no advice
to send its 0.0.0.0/0 to the firewall (which would break an Application Gateway v2). Holding anything, or named
otherwise, it is judged as any workload subnet. A VNet whose own
VPN gateway learns 0.0.0.0/0 to a Virtual WAN hub's firewall (an on-premises site simulated by a VNet) loses
that route in a table that turns gateway route propagation off: the fix turns it back on (the hub firewall is
reached through the VPN tunnel, not inside the VNet or a peered one, so a UDR to it is not the fix). A VNet
connected to a Virtual WAN hub gets its fix from the hub, never a UDR to "the hub firewall" the hub may not have: a
hub with no firewall and no routing intent is to be made a secured hub (an Azure Firewall in it or an NVA, routing
intent with an Internet policy); a connection with internet security off gets it turned on; a subnet table's own
0.0.0.0/0 -> Internet, or its gateway route propagation off, which keep the hub's route out, are named. A VM of the
subnet with a public IP of its own (a NIC's \`public_ip_address_id\`) loses its inbound sessions once 0.0.0.0/0
goes to the firewall (the replies leave through a firewall that never saw the session): the fix removes the
public IP first (reach the VM through Azure Bastion or a DNAT rule on the firewall), and offers no quick fix.
On AWS the same holds when the fix re-points the subnet's own 0.0.0.0/0, which goes straight to the internet
gateway today, and a host of the subnet (a bastion, a web server; not a NAT or firewall instance) has a public IP
of its own (an elastic IP, \`associate_public_ip_address\`, or the subnet's \`map_public_ip_on_launch\`): the
replies to sessions arriving at that address would leave through the NAT GW or firewall instead of the internet
gateway and be dropped. The fix names the host and puts it behind a load balancer or a DNAT rule on the firewall
(or removes its public IP) first. A NAT GW's own table is not such a change (inspection after NAT: the internet
gateway's edge table returns the subnet through the endpoint).
In a VPC without an endpoint of its own whose other subnets' table sends 0.0.0.0/0 to a transit gateway (a spoke of
a central egress or inspection VPC), the fix routes the subnet to the transit gateway as that table does, rather than
building a NAT GW and an endpoint in the spoke; first, when the VPC's attachment has no subnet in the subnet's AZ, it adds one
(an AZ the attachment has no subnet in cannot reach the transit gateway).
The IPv6 egress of a dual-stack subnet (its second family, docs/domain.md) is found on its IPv6 route (\`::/0\` to an
egress-only or internet gateway), also when its IPv4 egress is inspected. IPv6 is not translated: the fix routes
\`::/0\` to the GWLB or firewall endpoint of the subnet's AZ, never through a NAT GW, whose subnet sends it on to the
internet gateway (an egress-only internet gateway takes no edge route table, so replies could not be returned
through the endpoint); a NAT GW sharing the table does not keep its IPv6 route.
One finding for subnets of several AZs (a route they share) names the inspection point of each of their AZs,
never the first subnet's alone; one route table shared by several AZs needs a table per AZ, and the fix says so.
One finding for a route written once for several instances (a shared Terraform module's route for each caller, a
\`for_each\` table's) names each instance's table, internet gateway and VPC in its message and fix, the first three
and how many more when there are more than four.
A NAT instance (a forwarding instance the inputs show runs NAT only: the Amazon NAT AMI, a mapping or parameter
named for it, user data that only masquerades, a name saying NAT) translates and does not inspect: a subnet routed
through it reaches the internet uninspected. The finding sits on the route to the NAT instance (its own table carries
what it forwards), and the fix says it is a NAT instance and why, routes the subnet through a NAT GW and a firewall
endpoint instead, or puts a firewall in its place; an Azure NVA that only masquerades (or whose iptables drops take
only what comes in on its outside interface) gets the same advice (a firewall in the path, or make it filter), and a
subnet without a route table is not told to use a table whose appliance only translates. A GWLB whose targets run AWS's
GWLB tunnel handler with its pass-through example script (\`gwlbtun -c create-passthrough.sh\`), or whose iptables
rules only DNAT the GENEVE they receive back to the GWLB on UDP 6081, carries the flow and inspects nothing: the finding sits on the appliance's declaration, and the fix runs a firewall as the GWLB's target
(a vendor's appliance, or the target made to filter what it decapsulates); the routes through the endpoint stay. A forwarding
instance the inputs say nothing about is Unknown, not this finding.`;

/** VPCs that hold an Aviatrix spoke gateway (one pass over the model per check, not one per finding). */
function spokeVpcs(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const e of ctx.index.ofKind('aviatrixGateway')) {
    if (e.role !== 'spoke' || typeof e.vpc !== 'string') continue;
    const v = ctx.index.get(e.vpc)?.id;
    if (v) out.add(v);
  }
  return out;
}

/**
 * Where the change goes. The last route before the internet is usually the one to change, but a table that
 * carries egress machinery's own traffic cannot be: a GWLB endpoint's or spoke gateway's subnet must reach
 * the IGW directly, and so must a NAT GW's when inspection sits before NAT (its traffic is already inspected).
 * Then the change goes upstream, in the workload's own table; and a workload living in such a subnet has no
 * route of its own to change: it has to move.
 */
interface FixPlace {
  hop: Hop | undefined;
  /** The source subnet's machinery (NAT GW, endpoint, gateway) whose table cannot change: move the workload. */
  move?: string;
  /** The NAT GW's subnet table is the one to change: inspection after NAT, 0.0.0.0/0 to the endpoint. */
  natTable?: boolean;
  /** The source's table also serves another subnet's machinery (named): the source needs a table of its own. */
  ownTable?: string;
  /** That machinery. */
  sharedWith?: NetworkElement;
}

/**
 * Egress machinery in another subnet that uses the same route table (explicitly, or as the VPC's main table):
 * that table carries the machinery's own traffic, so it cannot be re-pointed for one workload subnet.
 */
function machinerySharing(ctx: RuleContext, tableId: string, source: string): NetworkElement | undefined {
  const { index } = ctx;
  const table = index.resolve(tableId, 'routeTable');
  if (!table) return undefined;
  const subnets = index.associationsOfTable(table.id).filter((id) => index.get(id)?.kind === 'subnet');
  const vpc = index.refId(table.vpc);
  if (table.main && vpc)
    for (const s of index.subnetsOfVpc(vpc)) if (index.routeTableOfSubnet(s.id)?.association === 'main') subnets.push(s.id);
  for (const s of subnets) {
    if (s === source) continue;
    const m = index.egressMachineryIn(s);
    if (m) return m;
  }
  return undefined;
}

function fixPlace(ctx: RuleContext, eg: SubnetEgress, exitIdx: number, spoke: boolean, beforeNatIn: VpcTest): FixPlace {
  const hops = eg.forward.hops;
  const beforeNat = beforeNatIn.has(eg.vpc);
  for (let j = exitIdx - 1; j >= 0; j--) {
    const h = hops[j];
    if (!h.decision) continue;
    if (j > 0) {
      // The NAT GW's own VPC decides its layout (a spoke's traffic meets an inspection VPC's NAT GW).
      if (h.kind === 'natgw' && !spoke && !beforeNatIn.has(ctx.index.vpcOf(h.element) ?? eg.vpc)) return { hop: h, natTable: true };
      // A NAT instance's table carries what it forwards out, as a NAT GW's does; an internal load balancer in front
      // of appliances picks one of them (no route of ours): the route to it is the one to change.
      if (h.kind === 'natgw' || FIXED_TABLE_KINDS.has(h.kind) || h.kind === 'loadBalancer' || ctx.index.isAppliance(h.element)) continue;
      return { hop: h };
    }
    const own = ctx.index.egressMachineryIn(eg.subnet);
    const m = own ?? machinerySharing(ctx, h.decision.routeTable, eg.subnet);
    if (!m) return { hop: h };
    // A NAT GW sends no IPv6 of its own by the table's IPv6 routes (nothing translates IPv6): those are the subnet's to change.
    if (m.kind === 'natgw' && h.decision.destination.includes(':')) return { hop: h };
    if (m.kind === 'natgw' && !spoke && !beforeNat) return { hop: h, natTable: true };
    return own ? { hop: h, move: m.name || m.id } : { hop: h, ownTable: m.name || m.id, sharedWith: m };
  }
  return { hop: undefined };
}

/** Hops whose subnet's table carries their own traffic out and must keep doing so. */
const FIXED_TABLE_KINDS: ReadonlySet<string> = new Set(['gwlbe', 'firewall', 'gwlbFirewall', 'aviatrixGateway']);

/** A forwarding appliance instance that a route of its VPC sends traffic to (the VPC's own firewall or NAT instance). */
function routedAppliance(ctx: RuleContext, vpcId: string, m: NetworkElement | undefined): boolean {
  const { index } = ctx;
  // A NAT instance translates and does not inspect: sending a subnet to it is no fix.
  if (m?.kind !== 'instance' || !index.isAppliance(m.id) || index.applianceRole(m.id).role === 'nat') return false;
  return index.routeTablesOfVpc(vpcId).some((t) =>
    t.routes.some((r) => {
      const to = r.target.kind === 'instance' || r.target.kind === 'eni' ? index.resolve(r.target.ref) : undefined;
      return to !== undefined && (to.id === m.id || (to.kind === 'eni' && index.refId(to.instance) === m.id));
    }),
  );
}

// Before NAT the firewall comes first and the reply is returned to it by the NAT subnet's table, never by an
// IGW edge route (post-NAT replies would meet the firewall without their forward flow).
const BEFORE_NAT_WHY =
  "(inspection before NAT: the firewall's subnet sends on to the NAT GW, whose table returns the subnet's CIDR to the same firewall)";

/**
 * An Azure route table that writes the deciding 0.0.0.0/0 -> Internet itself while sending other prefixes to a
 * virtual appliance: a breakout someone chose (the table of an Application Gateway v2 subnet, whose gateway is
 * often deployed elsewhere), not a forgotten route. Rerouting it is advice only after asking why.
 */
function deliberateBreakout(ctx: RuleContext, tableId: string, routeId: string | undefined): boolean {
  const table = ctx.index.resolve(tableId, 'routeTable');
  if (!table || routeId === undefined) return false;
  const route = table.routes.find((r) => r.id === routeId);
  if (!route || route.target.kind !== 'internet') return false;
  return table.routes.some((r) => r.id !== routeId && r.target.kind === 'virtualAppliance');
}

/**
 * A VNet connected to a Virtual WAN hub (F301c): its internet traffic is the hub's to inspect, not a UDR's to a
 * firewall the hub may not have. The fix says what the hub lacks: a firewall or NVA in it with routing intent (a
 * secured hub), the connection's internet security (without it the hub programs no 0.0.0.0/0 into the VNet), and a
 * route table's own 0.0.0.0/0 -> Internet or turned-off gateway route propagation, which keep the hub's route out.
 * Undefined when the VNet has no hub connection, or the hub is secured and the connection takes its route.
 */
function virtualWanFix(
  ctx: RuleContext,
  vpcId: string,
  d: { routeTable: string; route?: string; destination: string } | undefined,
): Wording | undefined {
  const { index } = ctx;
  const conns = index.ofKind('virtualHubConnection').filter((c) => index.refId(c.vpc) === vpcId);
  if (conns.length === 0) return undefined;
  const hubs = [...new Set(conns.map((c) => index.refId(c.hub)).filter((h): h is string => h !== undefined))];
  if (hubs.length !== 1) return undefined;
  const hub = hubs[0];
  const firewall = index.ofKind('firewall').find((f) => f.virtualHub !== undefined && index.refId(f.virtualHub) === hub);
  const intent = index.ofKind('routingIntent').find((r) => index.refId(r.hub) === hub);
  const off = conns.filter((c) => c.internetSecurity !== true);
  const table = d ? index.resolve(d.routeTable, 'routeTable') : undefined;
  // What keeps the hub's 0.0.0.0/0 out of the subnet's table, once the hub sends it.
  const keep: Wording[] = [];
  if (table && d?.route !== undefined)
    keep.push(w`remove ${d.destination} -> Internet from ${index.label(table.id)}, which overrides the hub's route`);
  if (table?.gatewayPropagation === false)
    keep.push(w`turn gateway route propagation on in ${index.label(table.id)}, which keeps the hub's routes out`);
  const security =
    off.length > 0
      ? w`turn internet_security_enabled on in ${names(off.map((c) => index.label(c.id)))}, so the hub programs 0.0.0.0/0 into this VNet`
      : undefined;
  const tail = [...(security ? [security] : []), ...keep];
  const joined = (parts: Wording[]): Wording =>
    parts.reduce((acc, p, i) => (i === 0 ? p : i === parts.length - 1 ? w`${acc} and ${p}` : w`${acc}, ${p}`), lit(''));
  if (!firewall && !intent)
    return w`Make virtual hub ${index.label(hub)} a secured hub, as it has no firewall: an Azure Firewall in it (azurerm_firewall with sku_name AZFW_Hub and a virtual_hub block) or an NVA in the hub, with routing intent sending Internet traffic there (azurerm_virtual_hub_routing_intent, an Internet policy)${tail.length > 0 ? w`; then ${joined(tail)}` : lit('')}`;
  // A hub firewall nothing sends the hub's internet traffic to, with every connection already taking the hub's
  // default route: routing intent (or a hub route) is all that is missing (review s18 R15).
  if (tail.length === 0 && firewall && !intent)
    return w`Set routing intent on virtual hub ${index.label(hub)} sending Internet traffic to its firewall ${index.label(firewall.id)} (azurerm_virtual_hub_routing_intent, an Internet policy), or add 0.0.0.0/0 -> ${index.label(firewall.id)} to the hub's default route table: the VNet's connections already take the hub's default route (internet_security_enabled), but nothing in the hub sends internet traffic to the firewall`;
  if (tail.length === 0) return undefined;
  const has = firewall ? w`its firewall ${index.label(firewall.id)}` : w`its routing intent ${index.label(intent!.id)}`;
  const first = joined(tail);
  return w`${capitalised(first)}: virtual hub ${index.label(hub)} sends internet traffic to ${has}${!intent ? lit(' once routing intent (an Internet policy) or a static 0.0.0.0/0 in its default route table names it') : lit('')}`;
}

function capitalised(x: Wording): Wording {
  const [p, ...rest] = x.parts;
  return p && 'lit' in p ? { parts: [{ lit: p.lit.charAt(0).toUpperCase() + p.lit.slice(1) }, ...rest] } : x;
}

/**
 * Advice that fits where the subnet lives: an Azure VNet has no NAT GW + GWLB design, an Aviatrix VPC has its spoke.
 * As words and names (wording.ts): one finding for a route several instances share names each one's table and target.
 */
function fixTitle(
  ctx: RuleContext,
  spoke: boolean,
  beforeNatIn: VpcTest,
  vpcId: string,
  place: FixPlace,
  points: (vpc: string) => InspectionPoint[],
  sourceAz: string | undefined,
  dst: string,
  azs?: readonly string[],
  tables?: readonly string[],
): Wording {
  const { index } = ctx;
  const vpc = index.get(vpcId);
  const d = place.hop?.decision;
  // An Azure subnet without a route table follows the system routes: the subnet itself carries the machinery.
  const carrier = !d ? 'its route table' : index.resolve(d.routeTable, 'routeTable') ? index.label(d.routeTable) : 'its subnet';
  // The layout of the VPC whose table changes (a spoke's traffic may be fixed in an inspection VPC's table).
  const tableVpc = (d ? index.vpcOf(d.routeTable) : undefined) ?? vpcId;
  const beforeNat = beforeNatIn.has(tableVpc);
  // The endpoint (or firewall interface) of the AZ of the subnet whose table changes, by name, or why there is none.
  const hopAz = place.hop ? (place.hop.az ?? index.azOf(place.hop.element)) : undefined;
  let note: Wording | undefined;
  const point = (generic: string, az = hopAz ?? sourceAz): Wording => {
    // Subnets of several AZs in one finding: each AZ's point, never the first subnet's alone.
    const p = azs && azs.length > 1 ? pointsFor(ctx, points, tableVpc, azs, generic) : pointWording(ctx, points, tableVpc, az, generic);
    note = p.note;
    return p.to;
  };
  const noted = (title: Wording): Wording => (note ? w`${title}; ${note}` : title);
  if (place.move)
    return w`Move the workload to a subnet whose egress is inspected: ${carrier} also carries ${place.move}'s own traffic and must keep sending it to the internet directly`;
  if (place.ownTable && d) {
    const via =
      vpc?.kind === 'vpc' && vpc.flavor === 'vnet'
        ? lit('to the hub firewall or NVA (next hop VirtualAppliance)')
        : spoke
          ? lit("to the VPC's Aviatrix spoke gateway (local egress with DCF)")
          : beforeNat
            ? w`to ${point('a firewall endpoint', sourceAz)} ${lit(BEFORE_NAT_WHY)}`
            : routedAppliance(ctx, vpcId, place.sharedWith)
              ? w`to ${place.ownTable}, the appliance the VPC's other subnets are routed through`
              : w`through a NAT GW and ${point('a GWLB endpoint', sourceAz)}`;
    return noted(
      w`Give this subnet a route table of its own that sends ${d.destination} ${via}: ${index.label(d.routeTable)} also carries ${place.ownTable}'s own traffic and must keep sending it to the internet directly`,
    );
  }
  // The tables the route is written in: this one, or each one a shared route block writes (one per AZ or caller).
  const inTables = tables && tables.length > 1 ? names(tables.map((t) => index.label(t))) : d ? index.label(d.routeTable) : '';
  const where = d ? w`Route ${d.destination} in ${inTables}` : lit("Route this subnet's internet traffic");
  const instead = d ? w` instead of ${d.target}` : lit('');
  if (vpc?.kind === 'vpc' && vpc.flavor === 'vnet') {
    const suppressed = d && !d.route ? suppressedHubRoute(ctx, d.routeTable, vpcId, dst) : undefined;
    if (suppressed) return suppressed.title;
    // A table shared with a managed service's subnet (an Application Gateway's) cannot send 0.0.0.0/0 to a firewall.
    const shared = d ? servedPlatformSubnets(ctx, d.routeTable) : [];
    if (shared.length)
      return w`Give the workload subnet a route table of its own with ${d!.destination} to the hub firewall or NVA (next hop VirtualAppliance): ${index.label(d!.routeTable)} also serves ${names(shared, true)}, whose ${d!.destination} must stay on ${d!.target}`;
    if (d && deliberateBreakout(ctx, d.routeTable, d.route))
      return w`Check why ${index.label(d.routeTable)} writes ${d.destination} -> Internet beside its routes to a virtual appliance: an Application Gateway v2 with a public frontend needs exactly that route on its subnet, and rerouting it would break the gateway; if the subnet holds no such service, route ${d.destination} to the hub firewall or NVA (next hop VirtualAppliance)${instead}`;
    return virtualWanFix(ctx, vpcId, d) ?? w`${where} to the hub firewall or NVA (next hop VirtualAppliance)${instead}`;
  }
  if (spoke) return w`${where} to the VPC's Aviatrix spoke gateway (local egress with DCF)${instead}`;
  if (!d) return lit('Send this subnet through an enforcement point');
  if (place.natTable)
    return noted(
      w`${where} to ${point('a GWLB endpoint')}${instead} (inspection after NAT; the IGW edge route table then returns the NAT subnet to the same endpoint)`,
    );
  // IPv6 is not translated: the endpoint sits in front of the (egress-only) internet gateway, no NAT GW.
  if (d.destination.includes(':'))
    return noted(
      w`${where} to ${point('a GWLB or firewall endpoint')}${instead} ${lit("(IPv6 is not translated: the endpoint's subnet sends it on to the internet gateway, whose edge route table returns the subnet's IPv6 prefix to the same endpoint; an egress-only internet gateway takes no edge route table, so replies through it would come back around the firewall)")}`,
    );
  if (beforeNat) return noted(w`${where} to ${point('a firewall endpoint')}${instead} ${lit(BEFORE_NAT_WHY)}`);
  const unread = unmodelledFirewallRoute(ctx, vpcId);
  if (unread)
    return w`${where} to the endpoint of ${unread.firewall} in the subnet's AZ${instead}, as ${unread.table} does (${unread.type} is not modelled: whether it inspects is not judged)`;
  const central = points(tableVpc).length === 0 ? centralEgressTable(ctx, tableVpc, d.routeTable) : undefined;
  if (central) {
    const title = w`${where} to the transit gateway${instead}, as ${central} ${agree('does', 'do')} (the VPC's central egress; whether that path inspects is judged on the subnets already using it)`;
    const gap = attachmentGap(ctx, tableVpc, azs && azs.length > 1 ? azs : hopAz ? [hopAz] : sourceAz ? [sourceAz] : []);
    if (!gap)
      return w`${title}; check that the VPC's transit gateway attachment has a subnet in this subnet's AZ (a subnet in an AZ the attachment has none in cannot reach the transit gateway)`;
    if (gap.missing.length === 0) return title;
    return w`First add a subnet of ${gap.missing.join(', ')} to ${gap.attachment} (a subnet in an AZ the attachment has none in cannot reach the transit gateway), then ${lowerFirst(title)}`;
  }
  return noted(w`${where} through a NAT GW and ${point('a GWLB endpoint')} (or a spoke gateway with DCF)${instead}`);
}

/**
 * The AZs among `azs` in which no transit gateway attachment of the VPC has a subnet (AWS: resources there cannot
 * reach the transit gateway), naming the attachment; undefined when the attachments' AZs, or the subnet's, are not
 * all known (or the VPC has no attachment in the inputs).
 */
function attachmentGap(ctx: RuleContext, vpcId: string, azs: readonly string[]): { missing: string[]; attachment: string } | undefined {
  const { index } = ctx;
  const atts = index.tgwAttachmentsOfVpc(vpcId);
  if (atts.length === 0 || azs.length === 0) return undefined;
  const covered = new Set<string>();
  for (const a of atts) {
    // An export of the attachment without its subnets (describe-transit-gateway-attachments) says nothing of its AZs.
    if (a.subnets.length === 0) return undefined;
    for (const s of a.subnets) {
      const id = index.refId(s);
      const az = id ? index.azOf(id) : undefined;
      if (!az) return undefined;
      covered.add(az);
    }
  }
  return { missing: azs.filter((z) => !covered.has(z)), attachment: index.label(atts[0].id) };
}

/**
 * Another table of the VPC that sends 0.0.0.0/0 to a transit gateway: the VPC's egress is central (an egress or
 * inspection VPC behind the TGW), so the subnet that leaves by its own internet gateway joins that path rather than
 * getting a NAT GW and an endpoint of its own.
 */
function centralEgressTable(ctx: RuleContext, vpcId: string, except: string): string | undefined {
  const { index } = ctx;
  for (const t of index.routeTablesOfVpc(vpcId)) {
    if (t.id === except) continue;
    if (t.routes.some((r) => r.target.kind === 'tgw' && 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0'))
      return index.label(t.id);
  }
  return undefined;
}

/**
 * A table of the VPC whose default route goes to a firewall service the model does not read (a Cloud NGFW
 * endpoint, unmodelled with role `endpoint`): the VPC's own egress design, which the fix follows.
 */
function unmodelledFirewallRoute(ctx: RuleContext, vpcId: string): { firewall: string; type: string; table: string } | undefined {
  const { index } = ctx;
  for (const t of index.routeTablesOfVpc(vpcId))
    for (const r of t.routes) {
      if (!('cidr' in r.destination) || r.destination.cidr !== '0.0.0.0/0') continue;
      const ref = 'ref' in r.target ? r.target.ref : undefined;
      if (!isUnresolved(ref)) continue;
      const fw = index.unmodelledNamedIn(ref.text).find((u) => u.role === 'endpoint');
      if (fw) return { firewall: fw.name || fw.id, type: fw.resourceType, table: index.label(t.id) };
    }
  return undefined;
}

/**
 * The system route decided in an Azure route table that turns gateway route propagation off, while the VNet's
 * own gateway learns the destination's route to a hub firewall (a Virtual WAN hub's 0.0.0.0/0 over BGP): the
 * fix is to let that route in (the hub firewall is behind the VPN tunnel, not in this VNet or a peered one).
 */
function suppressedHubRoute(ctx: RuleContext, tableId: string, vpcId: string, dst: string): { title: Wording; why: string } | undefined {
  const table = ctx.index.resolve(tableId, 'routeTable');
  if (table?.gatewayPropagation !== false) return undefined;
  const learned = learnedFirewall(ctx.index, vpcId, dst);
  if (!learned) return undefined;
  const l = (id: string) => ctx.index.label(id);
  return {
    title: w`Turn gateway route propagation on in ${l(table.id)} (bgp_route_propagation_enabled = true; in azurerm 3, disable_bgp_route_propagation = false): gateway ${l(learned.gateway.id)} learns 0.0.0.0/0 to the hub firewall ${l(learned.firewall.id)}, which the table now keeps out`,
    why: `${l(table.id)} turns gateway route propagation off, so the 0.0.0.0/0 that gateway ${l(learned.gateway.id)} learns to ${l(learned.firewall.id)} never reaches it and Azure's system route 0.0.0.0/0 -> Internet decides`,
  };
}

/**
 * An Azure subnet without a route table: Azure's system route decides, so there is no route to change; the fix
 * is to associate the subnet with a table that sends 0.0.0.0/0 to the firewall (one its VNet already uses, when
 * there is one), and the finding sits on the subnet.
 */
function unassociatedAzureSubnet(ctx: RuleContext, eg: SubnetEgress, hop: Hop | undefined): Subnet | undefined {
  const d = hop?.decision;
  if (!d || d.association !== 'implicit') return undefined;
  const vnet = ctx.index.get(d.routeTable);
  if (vnet?.kind !== 'vpc' || vnet.flavor !== 'vnet') return undefined;
  return ctx.index.resolve(eg.subnet, 'subnet');
}

/** A route table of another subnet of the VNet whose 0.0.0.0/0 goes to a virtual appliance (the firewall). */
function firewallTableOfVnet(ctx: RuleContext, vnetId: string): RouteTable | undefined {
  const toAppliance = (t: RouteTable) =>
    t.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0' && r.target.kind === 'virtualAppliance');
  // Next hops (as written) that a traced subnet of the VNet reaches the internet through uninspected: an appliance
  // that only translates (a NAT-only NVA, or the load balancer in front of such NVAs) is no firewall to send to.
  let open: Set<string> | undefined;
  const nextHop = (t: RouteTable) => {
    const r = toAppliance(t);
    return r ? JSON.stringify([r.target.ip, r.target.ref]) : undefined;
  };
  for (const s of ctx.index.subnetsOfVpc(vnetId)) {
    const t = ctx.index.routeTableOfSubnet(s.id);
    if (t?.association !== 'explicit' || !toAppliance(t.table)) continue;
    open ??= new Set(
      ctx.egress
        .filter((e) => e.vpc === vnetId && isDelivered(e.forward) && e.forward.inspectedBy.length === 0)
        .flatMap((e) => {
          const own = ctx.index.routeTableOfSubnet(e.subnet);
          const hop = own ? nextHop(own.table) : undefined;
          return hop ? [hop] : [];
        }),
    );
    if (!open.has(nextHop(t.table)!)) return t.table;
  }
  return undefined;
}

/** The association resource that puts a Terraform subnet behind a table (none for count/for_each subnets, or when the name is taken). */
function associationEdit(ctx: RuleContext, subnet: Subnet, table: RouteTable): TextEdit | undefined {
  const m = subnet.address?.match(/^azurerm_subnet\.([A-Za-z_][\w-]*)$/);
  if (!m || !table.address || table.address.includes('[') || table.address.startsWith('module.')) return undefined;
  const name = `azurerm_subnet_route_table_association.${m[1]}`;
  if (ctx.index.get(name)) return undefined;
  return insertAfter(
    subnet,
    `resource "azurerm_subnet_route_table_association" "${m[1]}" {\n  subnet_id      = ${tfRef(subnet)}\n  route_table_id = ${tfRef(table)}\n}`,
  );
}

/** Subnets of a managed service that needs its own route to the internet (model/platformSubnets.ts) that a route table serves, as `name (service)`. */
function servedPlatformSubnets(ctx: RuleContext, tableId: string): string[] {
  const out: string[] = [];
  for (const id of ctx.index.associationsOfTable(tableId)) {
    const s = ctx.index.get(id);
    const service = s?.kind === 'subnet' ? azureSubnetService(s) : undefined;
    if (service && azureServiceNeedsInternet(service)) out.push(`${s!.name || s!.id} (${service})`);
  }
  return out;
}

/**
 * An Azure subnet's hosts reachable at a public IP of their own (a NIC's `public_ip_address_id`). Sending the
 * subnet's 0.0.0.0/0 to the firewall makes the replies to sessions that arrive at that public IP leave through
 * the firewall, which never saw them and drops them (inbound RDP/SSH breaks): the public IP goes first.
 * On AWS the same holds for the source's own table when its 0.0.0.0/0 goes straight to the IGW (awsPublicIpFirst).
 */
function publicIpFirst(ctx: RuleContext, eg: SubnetEgress, title: Wording): { title: Wording; publicHosts: boolean } {
  const { index } = ctx;
  const title0 = title;
  const vnet = index.get(eg.vpc);
  if (vnet?.kind !== 'vpc' || vnet.flavor !== 'vnet') return { title, publicHosts: false };
  const hosts = index.instancesInSubnet(eg.subnet).filter((i) => i.associatePublicIp === true && !index.isAppliance(i.id) && !i.ngfw);
  title = publicLbFirst(ctx, eg, title) ?? title;
  if (hosts.length === 0) return { title, publicHosts: title !== title0 };
  const labels = names(
    hosts.map((h) => index.label(h.id)),
    true,
  );
  const them = hosts.length === 1 ? 'it' : 'them';
  return {
    title: w`Remove the public IP of ${labels} (reach ${lit(them)} through Azure Bastion or a DNAT rule on the hub firewall), then ${lowerFirst(title)}: with 0.0.0.0/0 to the firewall, the replies to sessions arriving at that public IP would leave through the firewall, which never saw them, and be dropped`,
    publicHosts: true,
  };
}

/**
 * Azure: members of the subnet in a backend pool of a public load balancer whose load-balancing rules bring sessions
 * in at its public frontend. Once 0.0.0.0/0 goes to the firewall, the replies to those sessions leave through it (it
 * never saw them) instead of the load balancer, and are dropped: the service goes behind the firewall first.
 * Undefined when no such member.
 */
function publicLbFirst(ctx: RuleContext, eg: SubnetEgress, title: Wording): Wording | undefined {
  const { index } = ctx;
  const subnet = index.resolve(eg.subnet, 'subnet');
  const served = (subnet?.azureLbPools ?? []).filter((m) => !m.open && m.inbound.length > 0 && !(m.host && index.isAppliance(m.host)));
  if (served.length === 0) return undefined;
  const lbs = [...new Set(served.map((m) => m.lbName))];
  const rules = [...new Set(served.flatMap((m) => m.inbound.map((r) => r.name)))];
  const lb = names(lbs);
  return w`Publish the service of public load balancer ${lb} through the hub firewall (a DNAT rule) or an Application Gateway instead, then ${lowerFirst(title)}: with 0.0.0.0/0 to the firewall, the replies to sessions arriving at ${lb}'s public frontend (${lit(rules.length === 1 ? 'rule' : 'rules')} ${names(rules)}) would leave through the firewall, which never saw them, and be dropped`;
}

const lower = (t: string): string => `${t.charAt(0).toLowerCase()}${t.slice(1)}`;

/**
 * AWS: the hosts of the source subnet whose public IP the fix would cut off. The fix re-points the subnet's own
 * 0.0.0.0/0, which goes straight to the IGW today, while a host (a bastion, a web server) is reached at a
 * public IP of its own (an elastic IP, on it or its interface, associate_public_ip_address, or the subnet's
 * map_public_ip_on_launch). Once 0.0.0.0/0 goes to a NAT GW or a firewall, the replies to sessions arriving at
 * that public IP leave that way instead of through the IGW that brought them in: the NAT GW translates them to
 * its own address, a firewall never saw the session; either way they are dropped. Appliances (NAT or firewall
 * instances) are no such host, and a NAT GW's own table (inspection after NAT: the IGW edge table returns its
 * subnet through the endpoint) is not the source's.
 */
function awsPublicHosts(ctx: RuleContext, eg: SubnetEgress, place: FixPlace): string[] {
  const { index } = ctx;
  const d = place.hop?.decision;
  if (place.move || place.natTable || !d || place.hop?.index !== 0 || d.destination.includes(':')) return [];
  if (eg.forward.hops[1]?.kind !== 'igw') return [];
  const vpc = index.get(eg.vpc);
  const subnet = index.resolve(eg.subnet, 'subnet');
  if (!subnet || (vpc?.kind === 'vpc' && vpc.flavor === 'vnet')) return [];
  // The trace lets the subnet out through the IGW only when a host has a public IP (an undecided one makes it
  // Unknown: no finding); those decided are named.
  return index
    .instancesInSubnet(subnet.id)
    .filter((h) => !index.isAppliance(h.id) && !h.ngfw && instancePublicIp(index, h, subnet) === true)
    .map((h) => h.address ?? index.label(h.id));
}

/** The AWS fix with the public-IP step first (awsPublicHosts). */
/**
 * A route to one address or a small range, the only way out or beside an inspected default, is usually written on
 * purpose (the replies to a management source, a VPN peer's endpoint): the fix asks why before rerouting it (review
 * s18 R14), as the Azure breakout fix does.
 */
function narrowFirst(title: string, entries: readonly Entry[]): string {
  const dests = [...new Set(entries.map((e) => e.narrow))];
  // A fix that already asks why (an Azure breakout beside virtual appliance routes) is not asked twice.
  if (dests.length !== 1 || dests[0] === undefined || title.startsWith('Check why')) return title;
  return `Check why ${dests[0]} has a route of its own to the internet: a route to one address or a small range is usually deliberate (the replies to a management source, a VPN peer's endpoint); if it is not, ${lower(title)}`;
}

function awsPublicIpFirst(title: string, hosts: readonly string[]): string {
  if (hosts.length === 0) return title;
  const them = hosts.length === 1 ? 'it' : 'them';
  return `First take ${hosts.join(', ')} off ${hosts.length === 1 ? 'its' : 'their'} public IP (put ${them} behind a load balancer or a DNAT rule on the firewall, or reach ${them} through SSM Session Manager), then ${lower(title)}. Once its internet traffic no longer goes to the IGW, the replies to sessions arriving at that public IP leave through the new route instead of the IGW that brought them in and are dropped (a NAT GW translates them to its own address, a firewall never saw the session)`;
}

/** The declaration of the first workload instance in a subnet (where "move it" applies), else undefined. */
function workloadLoc(ctx: RuleContext, subnetId: string) {
  const { index } = ctx;
  return index.instancesInSubnet(subnetId).find((i) => !index.isAppliance(i.id) && i.ngfw === undefined)?.loc;
}

/**
 * A NAT instance (or an Azure VM that only masquerades) the path passes: it forwards and translates, it does not
 * inspect (ModelIndex.applianceRole). The fix says so: the route to it is the one to change.
 */
function natAppliance(ctx: RuleContext, eg: SubnetEgress): { name: string; why: string } | undefined {
  for (const h of eg.forward.hops) {
    if (h.kind !== 'instance' && h.kind !== 'firewall') continue;
    if (!ctx.index.isAppliance(h.element) && ctx.index.get(h.element)?.kind !== 'firewall') continue;
    const role = ctx.index.applianceRole(h.element);
    if (role.role === 'nat') return { name: ctx.index.label(h.element), why: role.why };
  }
  return undefined;
}

/**
 * A path whose only enforcement points are GWLBs whose targets all pass packets back uninspected (AWS's GWLB tunnel
 * handler with its pass-through script, F201), both ways: the GWLB design is in place, its appliance inspects
 * nothing. The finding sits on the appliance (what to change is what it runs, not a route).
 */
function passThrough(
  ctx: RuleContext,
  eg: SubnetEgress,
): { gwlb: string; group: string; groupId: string; target: string; element: string; loc: SourceLocation; why: string } | undefined {
  const { index } = ctx;
  const eps = eg.forward.inspectedBy;
  if (!isDelivered(eg.forward) || eps.length === 0 || !eps.every((ep) => ep.passes !== undefined)) return undefined;
  if (eg.return && eg.return.inspectedBy.some((ep) => ep.passes === undefined)) return undefined;
  const ep = eps[0];
  const tg = index.get(ep.element);
  if (tg?.kind !== 'targetGroup') return undefined;
  const targets = tg.targets
    .map((t) => index.resolve(t))
    .filter((t): t is NetworkElement => t !== undefined && index.applianceRole(t.id).passthrough === true);
  // The target of the path's AZ (the one its reason names), else the first.
  const target = targets.find((t) => ep.az !== undefined && index.azOf(t.id) === ep.az) ?? targets[0];
  if (!target) return undefined;
  const gwlb = index.get(index.refId(tg.loadBalancer) ?? '');
  return {
    gwlb: gwlb ? index.label(gwlb.id) : 'the GWLB',
    group: index.label(tg.id),
    groupId: tg.id,
    target: index.label(target.id),
    element: target.id,
    loc: target.loc,
    why: ep.passes!,
  };
}

/** Per finding location, one entry per subnet it speaks for: what its fix was written from. */
interface Entry {
  spoke: boolean;
  vpc: string;
  place: FixPlace;
  sourceAz?: string;
  dst: string;
  /** The fix as fixTitle gives it (before the public-IP step), and the AZ and table it changes. */
  base: Wording;
  /** What the fix adds about a NAT instance on the path (natAppliance). */
  wrap?: (t: Wording) => Wording;
  /** The fix of this subnet alone (with the public-IP step). */
  fix: Wording;
  /** Whose argument the route is made from (a module's route). */
  given?: Wording;
  az?: string;
  table?: string;
  /** An extra egress along a narrow route (SubnetEgress.narrow): the route's destination. */
  narrow?: string;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  let spokes: Set<string> | undefined;
  let beforeNat: VpcTest | undefined;
  const points = inspectionPoints(ctx);
  // Per finding location: the entries of its subnets (not for a workload that must move) and their public hosts.
  const groups = new Map<string, { entries: Entry[]; hosts: Set<string> }>();
  // Each finding's message and fix as words and names: one finding for several subnets names each one's objects.
  const wordings = new Map<RawFinding, Worded>();
  const push = (f: RawFinding, message: Wording, fix: Wording, related?: Wording[], own?: RelatedLocation[]): void => {
    out.push(f);
    wordings.set(f, { message, fix, ...(related ? { related } : {}), ...(own ? { own } : {}) });
  };
  for (const eg of ctx.egress) {
    const pass = passThrough(ctx, eg);
    if (pass) {
      const message = w`${all(sourceLabel(index, eg))} ${agree('reaches', 'reach')} the internet through ${pass.gwlb} without any enforcement point: its target ${lit(pass.why)}.`;
      const fix = w`Run a firewall as ${pass.gwlb}'s target instead of the pass-through ${pass.target}, which inspects nothing: register a firewall appliance in ${pass.group} (a vendor's GWLB-ready image), or make the target filter the traffic it decapsulates (for gwlbtun, a create script that filters instead of the pass-through one); the routes through the GWLB endpoint stay as they are`;
      push(
        {
          message: text(message),
          location: pass.loc,
          elementId: pass.element,
          related: elementRelated(index, pass.groupId, `${pass.group} registers it with ${pass.gwlb}`),
          traces: [traceRef(eg)],
          fix: { title: text(fix), edits: [] },
        },
        message,
        fix,
      );
      continue;
    }
    if (!isDelivered(eg.forward) || eg.forward.inspectedBy.length > 0) continue;
    if (eg.return && eg.return.inspectedBy.length > 0) continue; // asymmetric-return-only covers it
    const exitIdx = eg.forward.hops.findIndex((h) => h.kind === 'igw' || h.kind === 'eigw' || h.kind === 'internet');
    const exit = eg.forward.hops[exitIdx];
    const end = exitIdx < 0 ? eg.forward.hops.length : exitIdx;
    const decider = decidingHop(eg.forward, end);
    const spoke = (spokes ??= spokeVpcs(ctx)).has(eg.vpc);
    const before = (beforeNat ??= beforeNatVpcs(ctx));
    const place = fixPlace(ctx, eg, end, spoke, before);
    const bare = place.move ? undefined : unassociatedAzureSubnet(ctx, eg, place.hop ?? decider);
    if (bare) {
      const table = firewallTableOfVnet(ctx, eg.vpc);
      const fix = publicIpFirst(
        ctx,
        eg,
        table
          ? w`Associate ${index.label(bare.id)} with ${index.label(table.id)}, which sends 0.0.0.0/0 to the hub firewall (next hop VirtualAppliance)`
          : (virtualWanFix(ctx, eg.vpc, undefined) ??
              w`Associate ${index.label(bare.id)} with a route table that sends 0.0.0.0/0 to the hub firewall or NVA (next hop VirtualAppliance)`),
      );
      // The association alone would cut the public IP's sessions: no quick fix then.
      const edit = table && !fix.publicHosts ? associationEdit(ctx, bare, table) : undefined;
      const exitName = exit && exit.kind !== 'internet' ? w`${exit.name}` : lit('the internet');
      const message = w`${all(sourceLabel(index, eg))} ${agree('reaches', 'reach')} ${exitName} without any enforcement point: ${agree('it has', 'they have', 'first')} no route table, so Azure's system route 0.0.0.0/0 -> Internet decides.`;
      push(
        {
          message: text(message),
          location: bare.loc,
          elementId: bare.id,
          related: table
            ? elementRelated(index, table.id, `${index.label(table.id)} sends 0.0.0.0/0 to the firewall for other subnets of the VNet`)
            : [],
          traces: [traceRef(eg)],
          fix: { title: text(fix.title), edits: edit ? [edit] : [] },
        },
        message,
        fix.title,
      );
      continue;
    }
    // The finding sits where the change goes; a workload that must move is found at its own declaration, and a
    // subnet that needs a table of its own at its association (or itself, when it uses the main table).
    const anchor = place.move ? undefined : (place.hop ?? decider);
    const assoc = place.ownTable ? index.routeTableOfSubnet(eg.subnet)?.via : undefined;
    const location = place.ownTable
      ? (index.get(assoc ?? eg.subnet)?.loc ?? index.get(eg.subnet)?.loc)
      : ((anchor ? decisionLocation(index, anchor) : workloadLoc(ctx, eg.subnet)) ?? index.get(eg.subnet)?.loc);
    if (!location) continue;
    // Past a NAT instance the route to change is the one to it (the finding's), not its own table's.
    const d = (natAppliance(ctx, eg) ? place.hop?.decision : undefined) ?? decider?.decision;
    const via = exit && exit.kind !== 'internet' ? exit.name : (d?.target ?? 'the internet');
    const hubRoute = d && !d.route ? suppressedHubRoute(ctx, d.routeTable, eg.vpc, eg.forward.destination.ip) : undefined;
    const sourceAz = index.azOf(eg.subnet);
    const nat = natAppliance(ctx, eg);
    const vnet = index.get(eg.vpc);
    const natTitle = (t: Wording): Wording =>
      !nat
        ? t
        : vnet?.kind === 'vpc' && vnet.flavor === 'vnet'
          ? w`Put a firewall in the path: ${nat.name} only translates (${lit(nat.why)}); send ${d?.destination ?? lit('the traffic')} to a firewall (Azure Firewall, or an NVA that filters) instead, or make ${nat.name} filter what it forwards`
          : w`${nat.name} is a NAT instance (${lit(nat.why)}): it translates and does not inspect. ${t}; or run a firewall in its place`;
    const raw = fixTitle(ctx, spoke, before, eg.vpc, place, points, sourceAz, eg.forward.destination.ip);
    const title = natTitle(raw);
    const key = locKey(location);
    // A module's route made from its caller's argument: the fix says whose argument, the caller's text is related.
    const given =
      !place.move && !place.ownTable && anchor?.decision
        ? callerInput(index, anchor.decision.route, anchor.decision.routeTable)
        : undefined;
    // A VM with a public IP of its own loses its inbound sessions to the reroute: its public IP goes first.
    const own = place.move ? title : publicIpFirst(ctx, eg, title).title;
    const fix = given ? w`${own}; ${given.note}` : own;
    if (!place.move) {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { entries: [], hosts: new Set() }));
      for (const h of awsPublicHosts(ctx, eg, place)) g.hosts.add(h);
      // The AZ of the table that changes (the source's own, or a hop's downstream: a NAT GW's), as fixTitle reads it.
      const az = (place.hop ? (place.hop.az ?? index.azOf(place.hop.element)) : undefined) ?? sourceAz;
      g.entries.push({
        spoke,
        vpc: eg.vpc,
        place,
        ...(sourceAz ? { sourceAz } : {}),
        dst: eg.forward.destination.ip,
        base: raw,
        ...(nat ? { wrap: natTitle } : {}),
        fix,
        ...(given ? { given: given.note } : {}),
        ...(az ? { az } : {}),
        ...(place.hop?.decision ? { table: place.hop.decision.routeTable } : {}),
        ...(eg.narrow ? { narrow: eg.narrow.destination } : {}),
      });
    }
    const viaName =
      via === 'the internet'
        ? lit(via)
        : nat
          ? vnet?.kind === 'vpc' && vnet.flavor === 'vnet'
            ? w`${via} (after network virtual appliance ${nat.name}, which only translates)`
            : w`${via} (after NAT instance ${nat.name}, which does not inspect)`
          : w`${via}`;
    const message = hubRoute
      ? w`${all(sourceLabel(index, eg))} ${agree('reaches', 'reach')} the internet through ${viaName} without any enforcement point: ${lit(hubRoute.why)}.`
      : w`${all(sourceLabel(index, eg))} ${agree('reaches', 'reach')} the internet through ${viaName} without any enforcement point${d ? w` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : lit('')}.`;
    const leaves = w`leaves for the internet through ${exit ? exit.name : ''}`;
    push(
      {
        message: text(message),
        location,
        elementId: place.ownTable ? (assoc ?? eg.subnet) : ((anchor ? decisionElement(index, anchor) : undefined) ?? eg.subnet),
        related: [
          ...(exit && exit.kind !== 'internet' ? elementRelated(index, exit.element, text(leaves)) : []),
          ...(given ? [given.related] : []),
        ],
        traces: [traceRef(eg)],
        fix: { title: text(fix), edits: [] },
      },
      message,
      fix,
      // The related messages by index: the exit's (when it is an element), then the caller's text (its own).
      exit && exit.kind !== 'internet' && index.get(exit.element) ? [leaves] : [],
      given ? [given.related] : undefined,
    );
  }
  // Subnets sharing one route (a main table, say, or a shared module's route written for each caller) give one
  // finding that names them all, and each one's table and exit; its fix names the inspection point of each of
  // their AZs (a table several AZs share needs one per AZ) and every public host.
  return dedupe(out, (f) => locKey(f.location), wordings).map((f) => {
    const t = f.traces ?? [];
    const g = groups.get(locKey(f.location));
    if (!g) return f;
    let title = f.fix?.title ?? '';
    if (t.length > 1) {
      // Per VPC whose subnets the finding speaks for (one, unless a shared module's route serves several), the
      // fix for the AZs of its subnets; then those of every VPC, merged.
      const byVpc = new Map<string, Entry[]>();
      for (const e of g.entries) byVpc.set(e.vpc, [...(byVpc.get(e.vpc) ?? []), e]);
      let multiAz = false;
      const titles = [...byVpc.values()].map((es) => {
        const first = es[0];
        const azs = [...new Set(es.flatMap((e) => (e.az ? [e.az] : [])))].sort();
        const tables = [...new Set(es.flatMap((e) => (e.table ? [e.table] : [])))];
        const own = merge(es.map((e) => e.fix));
        if (azs.length < 2) return own;
        const before = beforeNat ?? beforeNatVpcs(ctx);
        const at = (ts?: string[]): Wording =>
          fixTitle(ctx, first.spoke, before, first.vpc, first.place, points, first.sourceAz, first.dst, azs, ts);
        if (text(at()) === text(first.base)) return own;
        multiAz = true;
        // A route block written once for each AZ's table: every table it writes.
        const full = first.wrap ? first.wrap(at(tables)) : at(tables);
        const multi = first.given ? w`${full}; ${first.given}` : full;
        return tables.length === 1 && !first.place.ownTable
          ? w`${multi}. ${index.label(tables[0])} ${agree('serves', 'serve')} subnets in ${names(azs, true)}: give each AZ's subnets a route table of their own`
          : multi;
      });
      if (multiAz) title = combine(titles, '. ');
    }
    title = narrowFirst(awsPublicIpFirst(title, [...g.hosts]), g.entries);
    return f.fix ? { ...f, fix: { ...f.fix, title } } : f;
  });
}

export const rule = defineRule({
  code: 'uninspected-egress',
  defaultSeverity: 'warning',
  title: 'Subnet reaches the internet without any enforcement point',
  doc,
  check,
});
