// The forward leg is inspected, the reply from the internet is not. Where the fix goes depends on the layout
// (docs/domain.md): inspection after NAT needs the IGW edge route table to send the NAT subnet back to the
// endpoint; inspection before NAT needs the NAT subnet's own table to send the source subnet back to it.
import type { Firewall, RouteTable, TgwRouteTable } from '../../model/types';
import { parseCidr } from '../../model/cidr';
import { val } from '../modelIndex';
import { lookupRoute } from '../routing';
import type { SourceLocation } from '../../model/types';
import type { FixSuggestion, Hop, RelatedLocation, SubnetEgress, TextEdit } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { remoteSpokes, type RemoteSpoke } from './remoteSpokes';
import {
  decidingHop,
  cfnLogicalId,
  decisionLocation,
  insertYamlResourcesAfter,
  elementRelated,
  firstOfKind,
  formatOf,
  insertAfter,
  insertInBlock,
  isDelivered,
  locKey,
  related,
  sourceLabel,
  traceRef,
  isIpv6Egress,
  ipv6PrefixOf,
  tfRef,
  endpointWord,
  routeTargetSyntax,
} from './egressPaths';
import { applianceTarget, inspectionHop } from './natLayout';
import { inspectionPoints, pointFor } from './inspectionTarget';
import { parsePickId } from '../endpointPickId';

const doc = `Fires when a subnet's path to the internet passes an enforcement point on the way out (a GWLB
endpoint and its firewall) but the reply from the internet reaches the source without passing it. The firewall
then sees half of every flow and drops or cannot track it, and replies escape inspection. Where the fix goes
depends on where the endpoint sits relative to the NAT gateway, and the rule finds that from the forward leg.

**Inspection after NAT** (the firewall sees the NAT gateway's address):

\`\`\`
app -> NAT GW -> GWLB endpoint -> IGW            reply: IGW --edge table--> GWLB endpoint -> NAT GW -> app
\`\`\`

The internet gateway needs an edge-associated (ingress) route table that sends each NAT subnet CIDR to the
GWLB endpoint of the same AZ; without it, or without the route for that CIDR, the \`local\` route delivers
the reply straight to the NAT GW. Fix: in the IGW edge route table, \`<NAT subnet CIDR> -> <same-AZ GWLB
endpoint>\` for every AZ.

**Inspection before NAT** (the firewall sees the real source address):

\`\`\`
app -> GWLB endpoint -> NAT GW -> IGW            reply: IGW -> NAT GW --NAT subnet's table--> GWLB endpoint -> app
\`\`\`

After the NAT GW translates the reply back, the NAT subnet's route table decides; it needs a route for the
source subnet's CIDR (more specific than \`local\`) to the GWLB endpoint of the same AZ. Fix: in the NAT
subnet's route table, \`<app subnet CIDR> -> <same-AZ GWLB endpoint>\`. An IGW edge route is never the fix
here: the firewall would see post-NAT replies whose forward flow it never saw, and drop them.
The same holds for a firewall instance (an NGFW VM as EC2, source/destination check off) whose interface the
app subnet routes to and whose subnet sends 0.0.0.0/0 to the NAT GW: the NAT subnet's table returns the app
CIDR to that interface (\`network_interface_id\`), the one in the firewall's AZ.

**AWS Network Firewall attached to the transit gateway natively** (\`transit_gateway_id\`; the firewall is a
TGW attachment, \`examples/aws-tgw-attached-firewall\`):

\`\`\`
spoke -> TGW (spokes-rt: 0/0 -> firewall) -> firewall -> TGW (inspected-rt) -> egress VPC -> NAT GW -> IGW
reply: IGW -> NAT GW -> TGW (the egress attachment's table) --must send the spoke CIDR to the firewall--> ...
\`\`\`

The reply re-enters the transit gateway through the egress VPC's attachment, and the TGW route table that
attachment is associated with decides. A route there for the spoke's CIDR to the spoke's attachment
(typically the spoke propagating into it) takes the reply around the firewall. Fix, in that TGW route table:
a static route \`<spoke CIDR> -> <the firewall's attachment>\` (a static route wins over a propagated one
of the same prefix), or stop the propagation. When that table is the firewall's own (a route to the firewall
there would loop), associate the egress attachment with the table that sends traffic to the firewall.
Nothing in the egress VPC or at the IGW is the fix.

**Centralized inspection before NAT, spokes outside the inputs** (an inspection VPC whose transit gateway
other accounts attach to: shared, auto-accept, the TGW's default route table):

\`\`\`
spoke -> TGW (default table: 0/0 -> inspection attachment) -> TGW subnet -> firewall endpoint -> NAT GW -> IGW
reply: IGW -> NAT GW --NAT subnet's table: spoke range -> TGW--> TGW -> spoke       (the endpoint is skipped)
\`\`\`

The spokes are not in the inputs; the range the inspection VPC routes to its TGW (\`aws_route\` with
\`transit_gateway_id\` for the spokes' CIDR) stands for them, when the inspection attachment is associated with
the TGW's default route table (with default association and propagation on) and that table sends the internet
to it. Their egress is traced from the attachment, entering in each of its AZs. The finding sits on the NAT
subnet's route to the TGW. Fix: in the NAT subnet's table, \`<spoke range> -> <the firewall endpoint of the NAT
GW's AZ>\`, and in that endpoint's subnet table \`<spoke range> -> TGW\` when it sends the range elsewhere
(0.0.0.0/0 to the NAT GW). With one NAT GW and endpoints in several AZs, the flows entering through another AZ
pass that AZ's endpoint on the way out: the fix says to give each AZ its own NAT GW (whose table sends the range
to its own endpoint) or to send every TGW subnet's 0.0.0.0/0 to the NAT GW's AZ's endpoint, or the replies would
meet an endpoint that never saw the flow.
A dual-stack subnet's IPv6 reply (its second family, docs/domain.md) is checked alike: IPv6 is not translated, so
the IGW edge table needs a route for the subnet's own IPv6 prefix to its AZ's endpoint; the fix names the prefix (its
CIDR, or \`aws_subnet.x.ipv6_cidr_block\` / \`!Select [0, !GetAtt X.Ipv6CidrBlocks]\` when AWS assigns it at apply) and
writes it as \`ipv6_cidr_block\` / \`DestinationIpv6CidrBlock\`. When one edge table misses both families' replies,
one finding names both subjects and adds both routes. IPv6 inspected and then sent out by an egress-only internet gateway has no edge table to fix: AWS associates gateway route tables with internet and virtual private gateways only, so the fix (advice, no edit) sends the endpoint subnet's ::/0 to the VPC's internet gateway, whose edge table then routes the prefix back.`;

interface Missing {
  cidr: string;
  /**
   * An IPv6 prefix (the reply to a subnet's IPv6 family): how a route names it in each format (ipv6PrefixOf), for
   * the route's IPv6 destination attribute; absent where a format cannot name it (a module's subnet, a CLI export's
   * prefix not known).
   */
  v6?: { hcl?: string; yaml?: string; cli?: string };
  endpoint?: string;
  /**
   * Where the reply must meet the inspection when `endpoint` is not known: the VPC and AZ of the table the route
   * goes in, and what the design inspects with there ("a firewall endpoint"), so that the fix names the AZ's
   * inspection point or says it has none (inspectionTarget.pointFor), never a GWLB the design does not have.
   */
  at?: { vpc?: string; az?: string; generic: string };
  /** Inspection before NAT: the NAT subnet's route table that needs the route. */
  table?: string;
}

type Layout = 'after-nat' | 'before-nat' | 'tgw-firewall';

/** Firewall attached to a TGW natively: where the reply went around it. */
interface TgwBypass {
  firewall: Firewall;
  /** The TGW route table that decided the reply, and the attachment the reply entered through. */
  table: TgwRouteTable;
  ingress?: string;
  /** The table whose route sends the forward leg to the firewall (where the ingress belongs when `table` is the firewall's own). */
  forwardTable?: string;
}

/**
 * The name of the point a missing route goes to: its endpoint (or appliance interface), else the inspection
 * point of its AZ by its resource, or that AZ's lack of one, said in a note `noted` appends to the title.
 */
function pointNames(ctx: RuleContext): { epName: (m: Missing) => string; noted: (title: string) => string } {
  const { index } = ctx;
  const points = inspectionPoints(ctx);
  const notes = new Set<string>();
  const epName = (m: Missing): string => {
    if (m.endpoint) return index.label(m.endpoint);
    const p = pointFor(ctx, points, m.at?.vpc, m.at?.az, m.at?.generic ?? 'an inspection point');
    if (p.note) notes.add(p.note);
    return p.to;
  };
  return { epName, noted: (title) => (notes.size > 0 ? `${title}; ${[...notes].join('; ')}` : title) };
}

/** What a forward leg inspects with, as a fix names it where no endpoint of it is known. */
function inspectionWord(eg: SubnetEgress): string {
  const kinds = new Set(eg.forward.inspectedBy.map((e) => e.kind));
  if (kinds.has('network-firewall')) return 'a firewall endpoint';
  if (kinds.has('appliance')) return 'a firewall appliance';
  if (kinds.has('gwlb-firewall')) return 'a GWLB endpoint';
  return 'an inspection point';
}

/** Inspection before NAT: the route goes in the NAT subnet's table, next to its 0.0.0.0/0 -> IGW. */
function natTableFix(ctx: RuleContext, missing: Missing[]): FixSuggestion {
  const { index } = ctx;
  const { epName, noted } = pointNames(ctx);
  const tables = [...new Set(missing.map((m) => m.table).filter((t): t is string => !!t))];
  const title = noted(
    `Route ${missing.map((m) => `${m.cidr} to ${epName(m)}${m.table ? ` in ${index.label(m.table)}` : ''}`).join(', ')} (the NAT subnet's route table: inspection before NAT; not in the IGW edge route table)`,
  );
  const table = tables.length === 1 ? index.resolve(tables[0], 'routeTable') : undefined;
  const routable = missing.filter((m) => m.endpoint && index.get(m.endpoint));
  const edits: TextEdit[] = [];
  // One table, written once (not a count/for_each block shared by several AZs): the edit is mechanical.
  if (table && routable.length === missing.length && !(table.address ?? '').includes('[')) {
    const fmt = formatOf(table.loc.file);
    if (fmt === 'hcl') {
      const e = insertInBlock(
        table,
        routable.flatMap((m, i) => {
          const t = routeTargetSyntax(index.get(m.endpoint!)!);
          return [
            ...(i > 0 ? [''] : []),
            'route {',
            `  ${'cidr_block'.padEnd(t.attr.length)} = "${m.cidr}"`,
            `  ${t.attr} = ${t.value}`,
            '}',
          ];
        }),
      );
      if (e) edits.push(e);
    } else if (fmt === 'yaml') {
      const tableId = cfnLogicalId(table);
      const lines = routable.flatMap((m, i) => {
        const ep = index.get(m.endpoint!)!;
        const epId = cfnLogicalId(ep);
        return [
          ...(i > 0 ? [''] : []),
          `${tableId ?? 'NatRouteTable'}${epId ?? 'GwlbEndpoint'}ReturnRoute:`,
          '  Type: AWS::EC2::Route',
          '  Properties:',
          `    RouteTableId: ${tableId ? `!Ref ${tableId}` : (table.providerId ?? table.id)}`,
          `    DestinationCidrBlock: ${m.cidr}`,
          `    ${routeTargetSyntax(ep).cfn}: ${epId ? `!Ref ${epId}` : (ep.providerId ?? ep.id)}`,
        ];
      });
      const e = tableId ? insertYamlResourcesAfter(table, lines) : undefined;
      if (e) edits.push(e);
    }
  }
  if (edits.length > 0) return { title, edits };
  const json = missing.every((m) => m.table && formatOf(index.get(m.table)?.loc.file ?? '') === 'json');
  if (json)
    return {
      title: `${title}: ${missing
        .map((m) => {
          const t = index.get(m.table!);
          const ep = m.endpoint ? index.get(m.endpoint) : undefined;
          return `aws ec2 create-route --route-table-id ${t?.providerId ?? t?.id} --destination-cidr-block ${m.cidr} ${ep ? routeTargetSyntax(ep).cli : '--vpc-endpoint-id'} ${ep?.providerId ?? ep?.id ?? '<vpce id>'}`;
        })
        .join('; ')}`,
      edits: [],
    };
  return { title, edits: [] };
}

/**
 * Firewall attached to the TGW: a static route per missing CIDR to the firewall's attachment in the TGW route
 * table that decided the reply; when that table is the firewall's own, the egress attachment belongs with the
 * table that sends traffic to the firewall.
 */
function tgwFirewallFix(ctx: RuleContext, missing: Missing[], b: TgwBypass): FixSuggestion {
  const { index } = ctx;
  const fwName = index.label(b.firewall.id);
  const table = index.label(b.table.id);
  const ownTable = index.tgwRouteTableOf(b.firewall.id)?.id === b.table.id;
  if (ownTable) {
    const ingress = b.ingress ? index.label(b.ingress) : 'the attachment the reply enters through';
    const target = b.forwardTable ? index.label(b.forwardTable) : 'the TGW route table that sends traffic to the firewall';
    return {
      title: `Associate ${ingress} with ${target} instead of ${table}: ${table} is ${fwName}'s own table, where a route back to the firewall would loop`,
      edits: [],
    };
  }
  const cidrs = [...new Set(missing.map((m) => m.cidr))];
  const title = `In TGW route table ${table}, route ${cidrs.join(', ')} to ${fwName}'s attachment (a static route wins over a propagated one of the same prefix), or stop propagating ${cidrs.length > 1 ? 'those spokes' : 'that spoke'} into ${table}`;
  const edits: TextEdit[] = [];
  if (formatOf(b.table.loc.file) === 'hcl' && b.firewall.address && b.table.address && /^[a-z]/.test(b.firewall.address)) {
    const base = `${(b.table.address.split('.').pop() ?? 'tgw').replace(/[^A-Za-z0-9_]/g, '_')}`;
    const text = cidrs
      .map((c) =>
        [
          `resource "aws_ec2_transit_gateway_route" "${base}_${c.replace(/[./]/g, '_')}_via_firewall" {`,
          `  destination_cidr_block         = "${c}"`,
          `  transit_gateway_attachment_id  = ${b.firewall.address}.firewall_status[0].transit_gateway_attachment_sync_states[0].attachment_id`,
          `  transit_gateway_route_table_id = ${tfRef(b.table)}`,
          '}',
        ].join('\n'),
      )
      .join('\n\n');
    const e = insertAfter(b.table, text);
    if (e) edits.push(e);
  }
  const tableId = cfnLogicalId(b.table);
  const fwId = cfnLogicalId(b.firewall);
  if (formatOf(b.table.loc.file) === 'yaml' && tableId && fwId) {
    const e = insertYamlResourcesAfter(
      b.table,
      cidrs.flatMap((c, i) => [
        ...(i > 0 ? [''] : []),
        `${tableId}${c.replace(/[^0-9]/g, '')}ViaFirewall:`,
        '  Type: AWS::EC2::TransitGatewayRoute',
        '  Properties:',
        `    DestinationCidrBlock: ${c}`,
        `    TransitGatewayAttachmentId: !GetAtt ${fwId}.TransitGatewayAttachmentId`,
        `    TransitGatewayRouteTableId: !Ref ${tableId}`,
      ]),
    );
    if (e) edits.push(e);
  }
  return { title, edits };
}

function fixFor(
  ctx: RuleContext,
  layout: Layout,
  missing: Missing[],
  edge: RouteTable | undefined,
  igwId: string,
  tgw?: TgwBypass,
): FixSuggestion {
  if (layout === 'before-nat') return natTableFix(ctx, missing);
  if (layout === 'tgw-firewall' && tgw) return tgwFirewallFix(ctx, missing, tgw);
  const { index } = ctx;
  const igw = index.get(igwId);
  const { epName, noted } = pointNames(ctx);
  if (igw?.kind === 'eigw') {
    // AWS associates a gateway route table with an internet gateway or a virtual private gateway only (review R10):
    // the reply can meet the endpoint only if the IPv6 leaves by the VPC's internet gateway, whose edge table routes it.
    const vpc = index.vpcOf(igw.id);
    const inet = vpc ? index.internetGatewaysOfVpc(vpc).find((g) => g.kind === 'igw') : undefined;
    const via = inet ? `internet gateway ${index.label(inet.id)}` : 'an internet gateway of the VPC';
    return {
      title: noted(
        `An egress-only internet gateway takes no edge route table: send the endpoint subnet's ::/0 to ${via} instead of ${index.label(igw.id)}, and route ${missing.map((m) => `${m.cidr} to ${epName(m)}`).join(', ')} in that gateway's edge route table (or inspect the IPv6 elsewhere)`,
      ),
      edits: [],
    };
  }
  // Without an edge route table the edit creates one: the title says so rather than name a table that is not there.
  const where = edge
    ? `in ${index.label(edge.id)} (the IGW edge route table)`
    : `in a new IGW edge route table (a route table associated with ${igw ? index.label(igw.id) : 'the IGW'}, which has none)`;
  const title = noted(`Route ${missing.map((m) => `${m.cidr} to ${epName(m)}`).join(', ')} ${where}`);
  const file = edge?.loc.file ?? igw?.loc.file ?? '';
  const fmt = formatOf(file);
  const edits: TextEdit[] = [];
  // An IPv6 prefix is written only where the format can name it (ipv6PrefixOf).
  const routable = missing.filter(
    (m) => m.endpoint && index.get(m.endpoint) && (!m.v6 || (fmt === 'hcl' ? m.v6.hcl : fmt === 'yaml' ? m.v6.yaml : m.v6.cli)),
  );
  const routeLines = (indent: string): string[] =>
    routable.flatMap((m, i) => {
      const t = routeTargetSyntax(index.get(m.endpoint!)!);
      const attr = m.v6 ? 'ipv6_cidr_block' : 'cidr_block';
      const width = Math.max(attr.length, t.attr.length);
      return [
        ...(i > 0 ? [''] : []),
        `${indent}route {`,
        `${indent}  ${attr.padEnd(width)} = ${m.v6 ? m.v6.hcl! : `"${m.cidr}"`}`,
        `${indent}  ${t.attr.padEnd(width)} = ${t.value}`,
        `${indent}}`,
      ];
    });
  if (fmt === 'hcl' && routable.length === missing.length) {
    if (edge) {
      const e = insertInBlock(edge, routeLines(''));
      if (e) edits.push(e);
    } else if (igw) {
      const vpc = index.vpcOf(igw.id);
      const vpcEl = vpc ? index.get(vpc) : undefined;
      const base = (igw.address?.split('.').pop() ?? 'igw').replace(/[^A-Za-z0-9_]/g, '_');
      const text = [
        `resource "aws_route_table" "${base}_edge" {`,
        `  vpc_id = ${vpcEl ? tfRef(vpcEl) : '"<vpc id>"'}`,
        '',
        ...routeLines('  '),
        '}',
        '',
        `resource "aws_route_table_association" "${base}_edge" {`,
        `  gateway_id     = ${tfRef(igw)}`,
        `  route_table_id = aws_route_table.${base}_edge.id`,
        '}',
      ].join('\n');
      const e = insertAfter(igw, text);
      if (e) edits.push(e);
    }
  }
  if (fmt === 'yaml' && routable.length === missing.length) {
    // CloudFormation: routes are resources of their own (AWS::EC2::Route), placed after the table.
    const routeRes = (tableRef: string): string[] =>
      routable.flatMap((m, i) => {
        const ep = index.get(m.endpoint!)!;
        const epId = cfnLogicalId(ep);
        return [
          ...(i > 0 ? [''] : []),
          `${epId ?? 'GwlbEndpoint'}ReturnRoute${m.v6 ? 'Ipv6' : ''}:`,
          '  Type: AWS::EC2::Route',
          '  Properties:',
          `    RouteTableId: ${tableRef}`,
          m.v6 ? `    DestinationIpv6CidrBlock: ${m.v6.yaml!}` : `    DestinationCidrBlock: ${m.cidr}`,
          `    ${routeTargetSyntax(ep).cfn}: ${epId ? `!Ref ${epId}` : (ep.providerId ?? ep.id)}`,
        ];
      });
    const edgeId = edge ? cfnLogicalId(edge) : undefined;
    const igwId = igw ? cfnLogicalId(igw) : undefined;
    if (edge && edgeId) {
      const e = insertYamlResourcesAfter(edge, routeRes(`!Ref ${edgeId}`));
      if (e) edits.push(e);
    } else if (!edge && igw && igwId) {
      const vpc = index.vpcOf(igw.id);
      const vpcId = vpc ? cfnLogicalId(index.get(vpc)!) : undefined;
      const table = `${igwId}EdgeRouteTable`;
      const e = insertYamlResourcesAfter(igw, [
        `${table}:`,
        '  Type: AWS::EC2::RouteTable',
        '  Properties:',
        `    VpcId: ${vpcId ? `!Ref ${vpcId}` : '<vpc id>'}`,
        '',
        `${igwId}EdgeAssociation:`,
        '  Type: AWS::EC2::GatewayRouteTableAssociation',
        '  Properties:',
        `    GatewayId: !Ref ${igwId}`,
        `    RouteTableId: !Ref ${table}`,
        '',
        ...routeRes(`!Ref ${table}`),
      ]);
      if (e) edits.push(e);
    }
  }
  if (edits.length > 0) return { title, edits };
  const advice =
    fmt === 'yaml'
      ? `${title}: for each, an AWS::EC2::Route with DestinationCidrBlock and VpcEndpointId in the route table associated with the IGW (AWS::EC2::GatewayRouteTableAssociation).`
      : fmt === 'json'
        ? `${title}: ${missing
            .map((m) => {
              const ep = m.endpoint ? index.get(m.endpoint) : undefined;
              return `aws ec2 create-route --route-table-id ${edge?.providerId ?? edge?.id ?? '<igw edge route table>'} ${m.v6 ? `--destination-ipv6-cidr-block ${m.v6.cli ?? '<ipv6 prefix>'}` : `--destination-cidr-block ${m.cidr}`} ${ep ? routeTargetSyntax(ep).cli : '--vpc-endpoint-id'} ${ep?.providerId ?? ep?.id ?? '<vpce id>'}`;
            })
            .join('; ')}`
        : title;
  return { title: advice, edits: [] };
}

interface Item {
  layout: Layout;
  location: SourceLocation;
  elementId: string;
  subject: string;
  /** The traced source (absent for spokes outside the inputs: no trace of theirs is in the result). */
  trace?: string;
  missing: Missing;
  deliveredTo: string;
  skipped: string;
  how: string;
  edge?: RouteTable;
  igw: string;
  related: RelatedLocation[];
  tgw?: TgwBypass;
  remote?: RemoteFix;
}

/** Where the reply must be routed to meet the forward leg's inspection: its endpoint, or the appliance's interface. */
function returnTarget(ctx: RuleContext, hop: Hop): string {
  return hop.kind === 'gwlbe' ? hop.element : applianceTarget(ctx.index, hop);
}

/**
 * Inspection before NAT: where the reply leaves the NAT GW, the NAT subnet's table must send the source
 * subnet back to the endpoint. Undefined when the return leg gives no NAT hop to judge (no guess).
 */
function beforeNatItem(ctx: RuleContext, eg: SubnetEgress, fwdEp: Hop, fwdNat: Hop, rel: RelatedLocation[]): Item | undefined {
  const { index } = ctx;
  const ret = eg.return!;
  const retNat = ret.hops.find((h) => h.kind === 'natgw' && h.element === fwdNat.element);
  const d = retNat?.decision;
  if (!retNat || !d) return undefined;
  const table = index.resolve(d.routeTable, 'routeTable');
  const src = index.subnetContainingIp(eg.forward.source.ip);
  const cidr = src && val(src.cidr) ? val(src.cidr)! : (parseCidr(eg.forward.source.ip)?.text ?? eg.forward.source.ip);
  const matched = d.route ? index.routeById(d.route) : undefined;
  const wrongRoute = matched && d.target !== 'local' ? matched : undefined;
  const location = wrongRoute ? wrongRoute.route.loc : (table?.loc ?? index.get(retNat.element)?.loc);
  if (!location) return undefined;
  const tableName = table ? index.label(table.id) : index.label(d.routeTable);
  const delivered = ret.hops[retNat.index + 1];
  return {
    layout: 'before-nat',
    location,
    elementId: wrongRoute ? wrongRoute.route.id : (table?.id ?? retNat.element),
    subject: sourceLabel(index, eg),
    trace: traceRef(eg),
    missing: { cidr, endpoint: returnTarget(ctx, fwdEp), ...(table ? { table: table.id } : {}) },
    deliveredTo: delivered ? delivered.name : eg.forward.source.ip,
    skipped: `${endpointWord(index, fwdEp.element)} ${fwdEp.name}${fwdEp.az ? ` (${fwdEp.az})` : ''}`,
    how: wrongRoute
      ? `NAT GW ${retNat.name}'s subnet route table ${tableName} sends ${cidr} to ${d.target}, so it goes`
      : `NAT GW ${retNat.name}'s subnet route table ${tableName} has no route for ${cidr} (more specific than \`local\`), so \`local\` delivers it`,
    igw: firstOfKind(ret, 'igw')?.element ?? retNat.element,
    related: rel,
  };
}

/** The forward leg's hop through an AWS Network Firewall attached to the transit gateway natively. */
function tgwFirewallHop(ctx: RuleContext, eg: SubnetEgress): { hop: Hop; firewall: Firewall } | undefined {
  const hops = eg.forward.hops;
  for (let i = 1; i < hops.length; i++) {
    const h = hops[i];
    if (h.kind !== 'firewall' || !h.enforcement || hops[i - 1].kind !== 'tgw') continue;
    const fw = ctx.index.get(h.element);
    if (fw?.kind === 'firewall' && fw.tgw !== undefined) return { hop: h, firewall: fw };
  }
  return undefined;
}

/**
 * Firewall attached to the TGW: the reply re-enters the TGW and is routed around the firewall by the table its
 * ingress attachment is associated with. Undefined when the return leg shows no such TGW decision (no guess).
 */
function tgwFirewallItem(ctx: RuleContext, eg: SubnetEgress, fw: { hop: Hop; firewall: Firewall }): Item | undefined {
  const { index } = ctx;
  const ret = eg.return!;
  const tgwHop = ret.hops.find((h) => h.kind === 'tgw' && h.decision?.association === 'tgw');
  const d = tgwHop?.decision;
  const table = d ? index.resolve(d.routeTable, 'tgwRouteTable') : undefined;
  if (!tgwHop || !d || !table) return undefined;
  const static_ = d.route ? index.routeById(d.route, d.routeTable) : undefined;
  const location = static_ ? static_.route.loc : table.loc;
  // The reply enters the TGW through its VPC's attachment (as the trace picks it: the one on this TGW).
  const prev = ret.hops[tgwHop.index - 1];
  const fromVpc = prev ? (prev.vpc ?? index.vpcOf(prev.element)) : undefined;
  const ingress = fromVpc ? index.tgwAttachmentsOfVpc(fromVpc).find((a) => index.refId(a.tgw) === tgwHop.element)?.id : undefined;
  const fwdDecider = eg.forward.hops[fw.hop.index - 1]?.decision;
  return {
    layout: 'tgw-firewall',
    location,
    elementId: static_ ? d.route! : table.id,
    subject: sourceLabel(index, eg),
    trace: traceRef(eg),
    missing: { cidr: d.destination },
    deliveredTo: d.target,
    skipped: `AWS Network Firewall ${fw.hop.name}`,
    how: `TGW route table ${index.label(table.id)}${ingress ? ` (it routes what enters through ${index.label(ingress)})` : ''} ${/#propagated:/.test(d.route ?? '') ? 'has the propagated route' : 'routes'} ${d.destination} -> ${d.target}, which sends it`,
    igw: firstOfKind(ret, 'igw')?.element ?? tgwHop.element,
    related: [
      ...elementRelated(index, fw.firewall.id, `forward leg is inspected by ${fw.hop.name}, attached to the transit gateway`),
      ...(fwdDecider?.loc
        ? related(
            fwdDecider.loc,
            `forward route ${fwdDecider.destination} -> ${fwdDecider.target} in TGW route table ${index.label(fwdDecider.routeTable)}`,
          )
        : []),
    ],
    tgw: {
      firewall: fw.firewall,
      table,
      ...(ingress ? { ingress } : {}),
      ...(fwdDecider ? { forwardTable: fwdDecider.routeTable } : {}),
    },
  };
}

/** Spokes outside the inputs (centralized inspection, spokes in other accounts): what their fix needs. */
interface RemoteFix {
  tgw: string;
  nat: string;
  natAz?: string;
  /** The endpoint the forward leg passed entering in `entryAz`, and the TGW subnet table that sent it there. */
  entryAz: string;
  fwdEndpoint: string;
  fwdAz?: string;
  fwdTable?: string;
  /** The NAT GW's AZ's endpoint of that firewall, and its subnet's table when it does not send the spoke range to the TGW. */
  natEndpoint?: string;
  firewallTable?: { table: string; target: string };
}

/**
 * Centralized inspection before NAT for spokes outside the inputs (remoteSpokes.ts): when the forward leg passes
 * a firewall endpoint before the NAT GW and the NAT GW's table sends the reply to the TGW without an endpoint,
 * and the TGW can send it nowhere in the inputs but back to this attachment (the spokes' routes are propagated
 * there from outside the inputs), the reply is not inspected.
 */
function remoteSpokeItems(ctx: RuleContext): Item[] {
  const out: Item[] = [];
  for (const s of remoteSpokes(ctx)) {
    const item = remoteItem(ctx, s);
    if (item) out.push(item);
  }
  return out;
}

function remoteItem(ctx: RuleContext, spoke: RemoteSpoke): Item | undefined {
  const { index } = ctx;
  const { attachment: att, table, az, range, egress: eg } = spoke;
  const ret = eg.return;
  if (!isDelivered(eg.forward) || eg.forward.inspectedBy.length === 0 || !ret) return undefined;
  const fwdEp = firstOfKind(eg.forward, 'gwlbe');
  const fwdNat = firstOfKind(eg.forward, 'natgw');
  if (!fwdEp || !fwdNat || fwdEp.index > fwdNat.index) return undefined;
  const retNat = ret.hops.find((h) => h.kind === 'natgw' && h.element === fwdNat.element);
  const d = retNat?.decision;
  if (!retNat || !d || ret.hops.slice(0, retNat.index + 1).some((h) => !!h.enforcement || h.kind === 'gwlbe')) return undefined;
  const next = ret.hops[retNat.index + 1];
  if (next?.kind !== 'tgw' || next.element !== index.refId(att.tgw)) return undefined;
  // The TGW's answer in the inputs: back through this attachment (its own default route), or none. The
  // spokes' own routes, propagated into the default table from outside the inputs, are what delivers it.
  const td = next.decision;
  if (td) {
    const r = td.route ? index.routeById(td.route, td.routeTable) : undefined;
    if (td.routeTable !== table.id || !r || !('attachment' in r.route) || index.refId(r.route.attachment) !== att.id) return undefined;
  } else if (ret.outcome.kind !== 'dropped' || ret.outcome.cause !== 'no-route') return undefined;
  const rt = index.resolve(d.routeTable, 'routeTable');
  const matched = d.route ? index.routeById(d.route, d.routeTable) : undefined;
  const location = matched?.route.loc ?? rt?.loc;
  if (!location) return undefined;
  const natAz = retNat.az ?? index.azOf(retNat.element);
  const natEndpoint = natAz ? sameFirewallEndpoint(ctx, fwdEp.element, natAz) : undefined;
  const fwTable = natEndpoint ? firewallTableGap(ctx, natEndpoint, range.host, next.element) : undefined;
  const tableName = rt ? index.label(rt.id) : index.label(d.routeTable);
  const fwdDecider = decidingHop(eg.forward, fwdEp.index)?.decision;
  return {
    layout: 'before-nat',
    location,
    elementId: matched ? matched.route.id : (rt?.id ?? retNat.element),
    subject: `${range.cidr} (VPCs outside the inputs whose egress ${index.label(table.id)} sends to ${index.label(att.id)})`,
    missing: {
      cidr: range.cidr,
      ...(natEndpoint ? { endpoint: natEndpoint } : {}),
      ...(rt ? { table: rt.id } : {}),
      at: { vpc: index.vpcOf(retNat.element), ...(natAz ? { az: natAz } : {}), generic: `a ${endpointWord(index, fwdEp.element)}` },
    },
    deliveredTo: `transit gateway ${next.name}`,
    skipped: `${endpointWord(index, fwdEp.element)} ${fwdEp.name}${fwdEp.az ? ` (${fwdEp.az})` : ''}`,
    how: `NAT GW ${retNat.name}'s subnet route table ${tableName} sends ${range.cidr} to ${d.target}, so it goes`,
    igw: firstOfKind(ret, 'igw')?.element ?? retNat.element,
    related: [
      ...elementRelated(index, fwdEp.element, `forward leg of ${range.cidr} entering in ${az} is inspected through ${fwdEp.name}`),
      ...(fwdDecider?.loc
        ? related(
            fwdDecider.loc,
            `forward route ${fwdDecider.destination} -> ${fwdDecider.target} in ${index.label(fwdDecider.routeTable)}`,
          )
        : []),
    ],
    remote: {
      tgw: next.element,
      nat: retNat.element,
      ...(natAz ? { natAz } : {}),
      entryAz: az,
      fwdEndpoint: fwdEp.element,
      ...(fwdEp.az ? { fwdAz: fwdEp.az } : {}),
      ...(fwdDecider ? { fwdTable: fwdDecider.routeTable } : {}),
      ...(natEndpoint ? { natEndpoint } : {}),
      ...(fwTable ? { firewallTable: fwTable } : {}),
    },
  };
}

/**
 * The endpoint in `az` of the firewall (or GWLB service) `endpoint` belongs to. A pick of a Network Firewall's
 * endpoints (`<firewall>#EndpointIds[N]`: no element of its own) is one of that firewall's endpoints.
 */
function sameFirewallEndpoint(ctx: RuleContext, endpoint: string, az: string): string | undefined {
  const { index } = ctx;
  const pick = parsePickId(endpoint);
  if (pick)
    return index
      .ofKind('gwlbe')
      .find(
        (e) =>
          e.flavor === 'networkFirewall' &&
          !e.undecided &&
          index.resolve(e.service, 'firewall')?.id === pick.firewall &&
          index.azOf(e.id) === az,
      )?.id;
  const ep = index.get(endpoint);
  if (ep?.kind !== 'gwlbe') return undefined;
  if (index.azOf(ep.id) === az) return ep.id;
  const vpc = index.vpcOf(ep.id);
  return index
    .ofKind('gwlbe')
    .find((e) => e.id !== ep.id && index.vpcOf(e.id) === vpc && e.service === ep.service && !e.undecided && index.azOf(e.id) === az)?.id;
}

/** The endpoint's subnet table, when it does not send `ip` to the TGW: the inspected reply must go back there. */
function firewallTableGap(ctx: RuleContext, endpoint: string, ip: string, tgw: string): { table: string; target: string } | undefined {
  const { index } = ctx;
  const subnet = index.subnetOf(endpoint);
  const st = subnet ? index.routeTableOfSubnet(subnet.id) : undefined;
  if (!subnet || !st) return undefined;
  const m = lookupRoute(index, st.table, index.vpcOf(subnet.id), ip);
  if (m.kind !== 'match') return m.kind === 'none' ? { table: st.table.id, target: 'nothing' } : undefined;
  if (m.route.target.kind === 'tgw' && index.refId(m.route.target.ref) === tgw) return undefined;
  const to = m.route.target.ref !== undefined ? index.refId(m.route.target.ref) : undefined;
  return { table: st.table.id, target: to ? index.label(to) : m.route.target.kind };
}

/**
 * Spokes outside the inputs: the reply goes to the NAT GW's AZ's endpoint in the NAT subnet's table, and from
 * the endpoint's subnet back to the TGW. With one NAT GW and forward legs through other AZs' endpoints, that
 * alone would make those flows meet one endpoint out and another back: the fix says so and how to avoid it.
 */
function remoteFix(ctx: RuleContext, missing: Missing[], items: Item[]): FixSuggestion {
  const { index } = ctx;
  const remotes = items.map((i) => i.remote!);
  const cidrs = [...new Set(missing.map((m) => m.cidr))].join(', ');
  // No endpoint of the firewall in the NAT GW's AZ: say so and name those that exist (or that one must be added).
  const points = inspectionPoints(ctx);
  const notes = new Set<string>();
  const epText = (r: RemoteFix): string => {
    if (r.natEndpoint) return `${endpointWord(index, r.natEndpoint)} ${index.label(r.natEndpoint)}${r.natAz ? ` (${r.natAz})` : ''}`;
    const p = pointFor(ctx, points, index.vpcOf(r.nat), r.natAz, 'a firewall endpoint');
    if (p.note) notes.add(p.note);
    return `${p.to} (${index.label(r.nat)}'s AZ)`;
  };
  const natTable = (i: Item): string =>
    i.missing.table ? index.label(i.missing.table) : `${index.label(i.remote!.nat)}'s subnet route table`;
  const routes = [...new Set(items.map((i) => `in ${natTable(i)} to ${epText(i.remote!)}`))];
  let title = `Route ${cidrs} ${routes.join(', ')} (the NAT subnet's route table: inspection before NAT; not in the IGW edge route table)`;
  const fw = [...new Map(remotes.filter((r) => r.firewallTable).map((r) => [r.firewallTable!.table, r])).values()];
  if (fw.length > 0)
    title += `, and ${cidrs} in ${fw.map((r) => index.label(r.firewallTable!.table)).join(', ')} to ${index.label(remotes[0].tgw)} (${fw
      .map((r) => `${index.label(r.firewallTable!.table)} sends it to ${r.firewallTable!.target} today`)
      .join(', ')}; the inspected reply must go back to the transit gateway)`;
  // Flows whose forward leg passes an endpoint of another AZ than the NAT GW they leave through.
  const crossed = remotes.filter((r) => r.fwdEndpoint !== r.natEndpoint && !(r.natAz && r.fwdAz === r.natAz));
  if (crossed.length > 0) {
    const byNat = new Map<string, RemoteFix[]>();
    for (const r of crossed) byNat.set(r.nat, [...(byNat.get(r.nat) ?? []), r]);
    const parts = [...byNat.values()].map((rs) => {
      const eps = [...new Set(rs.map((x) => `${index.label(x.fwdEndpoint)}${x.fwdAz ? ` (${x.fwdAz})` : ''}`))].join(', ');
      const via = `flows entering in ${[...new Set(rs.map((x) => x.entryAz))].join(', ')} are inspected on the way out by ${eps} and leave through ${index.label(rs[0].nat)}${rs[0].natAz ? ` (${rs[0].natAz})` : ''}`;
      // Picks of a firewall's endpoints are in AZs not known offline: one of them may be the NAT GW's AZ's endpoint.
      return rs.some((x) => parsePickId(x.fwdEndpoint))
        ? `${via}; AWS lists a firewall's endpoints in no fixed order, so all but the one in ${rs[0].natAz ?? "the NAT GW's AZ"} are another AZ's: the replies of their flows would meet ${epText(rs[0])}, which never saw them, and be dropped`
        : `${via}; their replies would meet ${epText(rs[0])} instead, which never saw the flow and drops it`;
    });
    const tables = [
      ...new Set(
        crossed
          .map((x) => x.fwdTable)
          .filter((t): t is string => !!t)
          .map((t) => index.label(t)),
      ),
    ];
    title += `. Do this with the forward leg: ${parts.join('; ')}. Give each AZ its own NAT GW whose subnet route table sends ${cidrs} to its own AZ's endpoint, or route 0.0.0.0/0 of ${tables.length > 0 ? tables.join(', ') : "those AZs' TGW subnet route tables"} to ${byNat.size === 1 ? epText(crossed[0]) : "the NAT GW's AZ's endpoint"} too`;
  }
  if (notes.size > 0) title += `. ${[...notes].join('; ')}`;
  return { title, edits: [] };
}

/**
 * Spokes outside the inputs: one finding per route (or table) block, whichever AZs' flows reach it. Its element
 * is the block's first instance, so that a flow the inputs cannot decide (one AZ's entry Unknown) leaves the
 * same finding, not one named after the next instance.
 */
function blockElementId(ctx: RuleContext, item: Item): string {
  const { index } = ctx;
  const vpc = index.vpcOf(item.remote!.nat);
  if (!vpc) return item.elementId;
  const k = locKey(item.location);
  let best = item.elementId;
  for (const t of index.routeTablesOfVpc(vpc)) {
    if (locKey(t.loc) === k && t.id < best) best = t.id;
    for (const r of t.routes) if (locKey(r.loc) === k && r.id < best) best = r.id;
  }
  return best;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const groups = new Map<string, Item[]>();
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || !isDelivered(eg.return)) continue;
    if (eg.forward.inspectedBy.length === 0 || eg.return.inspectedBy.length > 0) continue;
    const ret = eg.return;
    const igwHop = firstOfKind(ret, 'igw') ?? firstOfKind(ret, 'eigw');
    if (!igwHop) continue;
    const tgwFw = tgwFirewallHop(ctx, eg);
    if (tgwFw) {
      // The fix is in the transit gateway, never in the egress VPC or at its IGW.
      const item = tgwFirewallItem(ctx, eg, tgwFw);
      if (item) {
        const k = locKey(item.location);
        groups.set(k, [...(groups.get(k) ?? []), item]);
      }
      continue;
    }
    // A GWLB or firewall endpoint, or a firewall appliance (NGFW instance) a route sends the packet to.
    const fwdEp = inspectionHop(eg.forward);
    const fwdRouteHop = fwdEp ? decidingHop(eg.forward, fwdEp.index) : undefined;
    const fwdNat = firstOfKind(eg.forward, 'natgw');
    const relatedFwd = (): RelatedLocation[] => [
      ...elementRelated(index, fwdEp?.element, `forward leg is inspected through ${fwdEp?.name ?? 'this endpoint'}`),
      ...related(
        decisionLocation(index, fwdRouteHop),
        `forward route ${fwdRouteHop?.decision?.destination ?? ''} -> ${fwdRouteHop?.decision?.target ?? ''} in ${fwdRouteHop?.decision ? index.label(fwdRouteHop.decision.routeTable) : ''}`,
      ),
    ];
    if (fwdEp && fwdNat && fwdEp.index < fwdNat.index) {
      // Inspection before NAT: the reply is routed by the NAT subnet's table once the NAT GW un-translates it.
      const item = beforeNatItem(ctx, eg, fwdEp, fwdNat, relatedFwd());
      if (item) {
        const k = locKey(item.location);
        groups.set(k, [...(groups.get(k) ?? []), item]);
      }
      continue;
    }
    // The address the reply is routed on after the IGW, and the subnet that holds it (the NAT subnet). IPv6 is not
    // translated: the reply is routed on the source's own IPv6 prefix (known, or one AWS assigns at apply).
    const privateIp = igwHop.dstIp ?? eg.forward.source.ip;
    const v6 = isIpv6Egress(eg);
    const holder = v6 ? (index.subnetContainingIp(privateIp) ?? index.resolve(eg.subnet, 'subnet')) : index.subnetContainingIp(privateIp);
    const prefix = v6 && holder ? ipv6PrefixOf(index, holder) : undefined;
    const cidr = prefix ? prefix.text : holder && val(holder.cidr) ? val(holder.cidr)! : (parseCidr(privateIp)?.text ?? privateIp);
    const d = igwHop.decision;
    const edge = d?.association === 'edge' ? index.resolve(d.routeTable, 'routeTable') : undefined;
    // A matched `local` route (exports list it in edge tables too) means the NAT subnet's route is missing.
    const matched = edge && d?.route ? index.routeById(d.route) : undefined;
    const wrongRoute = matched && d?.target !== 'local' ? matched : undefined;
    const location = wrongRoute ? wrongRoute.route.loc : (edge?.loc ?? index.get(igwHop.element)?.loc);
    if (!location) continue;
    const delivered = ret.hops[igwHop.index + 1];
    const how =
      igwHop.kind === 'eigw'
        ? `egress-only IGW ${igwHop.name} takes no edge route table, so \`local\` delivers it`
        : edge
          ? wrongRoute
            ? `IGW ${igwHop.name}'s edge route table ${edge.name || edge.id} sends ${cidr} to ${d?.target}`
            : `IGW ${igwHop.name}'s edge route table ${edge.name || edge.id} has no route for ${cidr}, so \`local\` delivers it`
          : `IGW ${igwHop.name} has no edge route table, so \`local\` delivers it`;
    const item: Item = {
      layout: 'after-nat',
      location,
      elementId: wrongRoute ? wrongRoute.route.id : (edge?.id ?? igwHop.element),
      subject: sourceLabel(index, eg),
      trace: traceRef(eg),
      missing: {
        cidr,
        ...(prefix
          ? {
              v6: {
                ...(prefix.hcl ? { hcl: prefix.hcl } : {}),
                ...(prefix.yaml ? { yaml: prefix.yaml } : {}),
                ...(prefix.cli ? { cli: prefix.cli } : {}),
              },
            }
          : {}),
        ...(fwdEp ? { endpoint: returnTarget(ctx, fwdEp) } : {}),
        // The reply must meet the inspection in the NAT subnet's AZ, in the IGW's VPC.
        at: { vpc: index.vpcOf(igwHop.element), ...(holder && val(holder.az) ? { az: val(holder.az)! } : {}), generic: inspectionWord(eg) },
      },
      deliveredTo: delivered ? `${delivered.kind === 'natgw' ? 'NAT GW ' : ''}${delivered.name}` : privateIp,
      skipped: fwdEp
        ? `${endpointWord(index, fwdEp.element)} ${fwdEp.name}${fwdEp.az ? ` (${fwdEp.az})` : ''}`
        : eg.forward.inspectedBy.map((e) => index.label(e.element)).join(', '),
      how,
      ...(edge ? { edge } : {}),
      igw: igwHop.element,
      related: relatedFwd(),
    };
    const k = locKey(location);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  for (const item of remoteSpokeItems(ctx)) {
    const k = locKey(item.location);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  const out: RawFinding[] = [];
  for (const items of groups.values()) {
    const first = items[0];
    const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
    const missing = items
      .map((i) => i.missing)
      .filter((m, i, all) => all.findIndex((n) => n.cidr === m.cidr && n.endpoint === m.endpoint) === i);
    const subjects = uniq(items.map((i) => i.subject));
    const message =
      items.length === 1
        ? `The reply to ${first.subject} is not inspected: ${first.how} straight to ${first.deliveredTo}, skipping ${first.skipped} that inspects the forward leg.`
        : `Replies to ${subjects.join(', ')} are not inspected: ${mergedHows(items)}, skipping ${uniq(items.map((i) => i.skipped)).join(', ')} that inspect the forward legs.`;
    const rel: RelatedLocation[] = [];
    for (const r of items.flatMap((i) => i.related)) if (!rel.some((x) => locKey(x.location) === locKey(r.location))) rel.push(r);
    out.push({
      message,
      location: first.location,
      elementId: first.remote ? blockElementId(ctx, first) : first.elementId,
      related: rel,
      ...(items.some((i) => i.trace) ? { traces: uniq(items.flatMap((i) => (i.trace ? [i.trace] : []))) } : {}),
      fix: first.remote ? remoteFix(ctx, missing, items) : fixFor(ctx, first.layout, missing, first.edge, first.igw, first.tgw),
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'asymmetric-return-bypass',
  defaultSeverity: 'error',
  title: 'Return traffic from the internet bypasses the inspection the forward path passes',
  doc,
  check,
});

/** Each distinct route's clause keeps its own destination ("... so it goes straight to X; ... so `local` delivers it
 * straight to Y"); one clause shared by several replies speaks of them. */
function mergedHows(items: { how: string; deliveredTo: string }[]): string {
  const clauses = [...new Set(items.map((i) => `${i.how} straight to ${i.deliveredTo}`))];
  return clauses.length === 1 ? clauses[0].replace(/ it straight to /, ' them straight to ') : clauses.join('; ');
}
