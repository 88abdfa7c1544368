// The forward leg is inspected, the reply from the internet is not: usually a missing IGW edge route table
// or a missing NAT-subnet route in it, so `local` hands the reply straight to the NAT GW (seed 000 step 6).
import type { RouteTable } from '../../model/types';
import { parseCidr } from '../../model/cidr';
import { val } from '../modelIndex';
import type { FixSuggestion, TextEdit } from '../types';
import type { RawFinding, Rule, RuleContext } from './rule';
import {
  decidingHop,
  decisionLocation,
  dedupe,
  elementRelated,
  firstOfKind,
  formatOf,
  insertAfter,
  insertInBlock,
  isDelivered,
  locKey,
  related,
  sourceLabel,
  tfRef,
} from './egressPaths';

const doc = `Fires when a subnet's path to the internet passes an enforcement point on the way out (a GWLB
endpoint and its firewall) but the reply from the internet reaches the source without passing it. In the
distributed egress design the internet gateway needs an edge-associated (ingress) route table that sends each
NAT subnet (or public workload subnet) CIDR to the GWLB endpoint of the same AZ; without it, or without the
route for that CIDR, the \`local\` route delivers the reply straight to the NAT GW. The firewall then sees half
of every flow and drops or cannot track it, and replies escape inspection. Fix: associate a route table with
the IGW and add \`<NAT subnet CIDR> -> <GWLB endpoint in the same AZ>\` for every AZ.`;

function fixFor(ctx: RuleContext, cidr: string, endpointId: string | undefined, edge: RouteTable | undefined, igwId: string): FixSuggestion {
  const { index } = ctx;
  const ep = endpointId ? index.get(endpointId) : undefined;
  const igw = index.get(igwId);
  const title = `Route ${cidr} to ${ep ? ep.name || ep.id : 'the same-AZ GWLB endpoint'} in the IGW edge route table`;
  const file = edge?.loc.file ?? igw?.loc.file ?? '';
  const fmt = formatOf(file);
  const edits: TextEdit[] = [];
  if (fmt === 'hcl' && ep) {
    if (edge) {
      const e = insertInBlock(edge, ['route {', `  cidr_block      = "${cidr}"`, `  vpc_endpoint_id = ${tfRef(ep)}`, '}']);
      if (e) edits.push(e);
    } else if (igw) {
      const vpc = index.vpcOf(igw.id);
      const vpcEl = vpc ? index.get(vpc) : undefined;
      const base = (igw.address?.split('.').pop() ?? 'igw').replace(/[^A-Za-z0-9_-]/g, '_');
      const text = [
        `resource "aws_route_table" "${base}_edge" {`,
        `  vpc_id = ${vpcEl ? tfRef(vpcEl) : '"<vpc id>"'}`,
        '',
        '  route {',
        `    cidr_block      = "${cidr}"`,
        `    vpc_endpoint_id = ${tfRef(ep)}`,
        '  }',
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
  if (edits.length > 0) return { title, edits };
  const epId = ep?.providerId ?? ep?.id ?? '<vpce id>';
  const advice =
    fmt === 'yaml'
      ? `${title}: add an AWS::EC2::Route with DestinationCidrBlock: ${cidr} and VpcEndpointId: !Ref ${ep?.id.split('#').pop() ?? 'GwlbEndpoint'} to the route table associated with the IGW (AWS::EC2::GatewayRouteTableAssociation).`
      : fmt === 'json'
        ? `${title}: aws ec2 create-route --route-table-id ${edge?.providerId ?? edge?.id ?? '<igw edge route table>'} --destination-cidr-block ${cidr} --vpc-endpoint-id ${epId}`
        : title;
  return { title: advice, edits: [] };
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || !isDelivered(eg.return)) continue;
    if (eg.forward.inspectedBy.length === 0 || eg.return.inspectedBy.length > 0) continue;
    const ret = eg.return;
    const igwHop = firstOfKind(ret, 'igw') ?? firstOfKind(ret, 'eigw');
    if (!igwHop) continue;
    const fwdEp = firstOfKind(eg.forward, 'gwlbe');
    const fwdRouteHop = fwdEp ? decidingHop(eg.forward, fwdEp.index) : undefined;
    // The address the reply is routed on after the IGW, and the subnet that holds it (the NAT subnet).
    const privateIp = igwHop.dstIp ?? eg.forward.source.ip;
    const holder = index.subnetContainingIp(privateIp);
    const cidr = holder && val(holder.cidr) ? val(holder.cidr)! : (parseCidr(`${privateIp}/32`)?.text ?? privateIp);
    const d = igwHop.decision;
    const edge = d?.association === 'edge' ? index.resolve(d.routeTable, 'routeTable') : undefined;
    const igwName = igwHop.name;
    const wrongRoute = edge && d?.route ? index.routeById(d.route) : undefined;
    const location = wrongRoute ? wrongRoute.route.loc : (edge?.loc ?? index.get(igwHop.element)?.loc);
    if (!location) continue;
    const skipped = fwdEp ? `GWLB endpoint ${fwdEp.name}${fwdEp.az ? ` (${fwdEp.az})` : ''}` : eg.forward.inspectedBy.map((e) => index.label(e.element)).join(', ');
    const delivered = ret.hops[igwHop.index + 1];
    const how = edge
      ? wrongRoute
        ? `IGW ${igwName}'s edge route table ${edge.name || edge.id} sends ${cidr} to ${d?.target}`
        : `IGW ${igwName}'s edge route table ${edge.name || edge.id} has no route for ${cidr}, so \`local\` delivers it`
      : `IGW ${igwName} has no edge route table, so \`local\` delivers it`;
    const message = `The reply to ${sourceLabel(index, eg)} is not inspected: ${how} straight to ${delivered ? `${delivered.kind === 'natgw' ? 'NAT GW ' : ''}${delivered.name}` : privateIp}, skipping ${skipped} that inspects the forward leg.`;
    out.push({
      message,
      location,
      elementId: wrongRoute ? wrongRoute.route.id : (edge?.id ?? igwHop.element),
      related: [
        ...elementRelated(index, fwdEp?.element, `forward leg is inspected through ${fwdEp?.name ?? 'this endpoint'}`),
        ...related(decisionLocation(index, fwdRouteHop), `forward route ${fwdRouteHop?.decision?.destination ?? ''} -> ${fwdRouteHop?.decision?.target ?? ''} in ${fwdRouteHop?.decision ? index.label(fwdRouteHop.decision.routeTable) : ''}`),
      ],
      traces: [eg.subnet],
      fix: fixFor(ctx, cidr, fwdEp?.element, edge, igwHop.element),
    });
  }
  return dedupe(out, (f) => `${locKey(f.location)}|${f.fix?.title}`);
}

export const rule: Rule = {
  code: 'asymmetric-return-bypass',
  defaultSeverity: 'error',
  title: 'Return traffic from the internet bypasses the inspection the forward path passes',
  doc,
  check,
};
