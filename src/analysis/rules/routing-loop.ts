// The path comes back to an element and table it already left with the same packet: it will circle
// until its TTL runs out. Also the reply of inspection before NAT sent back into the NAT GW that already
// un-translated it (the firewall subnets' 0.0.0.0/0 -> NAT GW catching the inspected reply).
import type { Hop, PathTrace, SubnetEgress, TextEdit } from '../types';
import type { NetworkElement, RouteTable } from '../../model/types';
import type { ModelIndex } from '../modelIndex';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import {
  decisionElement,
  cfnLogicalId,
  decisionLocation,
  dedupe,
  formatOf,
  insertAfter,
  insertInBlock,
  insertYamlResourcesAfter,
  rewriteInlineRoute,
  locKey,
  related,
  sourceLabel,
  traceRef,
  tfRef,
} from './egressPaths';
import { remoteSpokes } from './remoteSpokes';
import { parseCidr } from '../../model/cidr';

const doc = `Fires when a subnet's egress path (forward or return) revisits the same hop: the packet returns to
an element and the same route table decides again with the same addresses, so it circles until its TTL
expires. Typical causes are an endpoint or NAT subnet whose default route points back at the NAT GW, or two
route tables that send a prefix to each other's targets. Fix: change the route named in the finding so the
cycle ends at the internet gateway (or the intended next hop).

**Inspection before NAT, the reply sent back to the NAT GW** (a centralized inspection VPC behind a transit
gateway, spokes in the inputs or in other accounts):

\`\`\`
reply: IGW -> NAT GW --NAT subnet's table: spoke range -> endpoint--> firewall endpoint
       --firewall subnet's table: 0.0.0.0/0 -> NAT GW--> NAT GW -> endpoint -> NAT GW ...
\`\`\`

The NAT subnet's table sends the spokes' range to the firewall endpoint (right: the reply is inspected), but
the firewall subnet's table has no route for that range, so its \`0.0.0.0/0 -> NAT GW\` (the forward leg's
route) sends the inspected reply back to the NAT GW, which already un-translated it and takes it for new
traffic: it never reaches the spoke. The finding sits on the firewall subnet's route table. Fix: in that table,
\`<spoke range> -> <transit gateway>\` (the way the forward leg came in), next to its \`0.0.0.0/0 -> NAT GW\`, or,
when the table has a route of the range's own (or more specific) to the NAT GW, that route re-pointed to the
transit gateway. In Terraform the quick fix makes the edit: an inline \`route\` block when the table writes its
routes inline, else an \`aws_route\`; none when the table's \`count\`/\`for_each\` block also writes tables the
loop does not pass (the edit would change them too). In a CloudFormation YAML template that declares the
transit gateway too, it adds an \`AWS::EC2::Route\` after the table (\`DependsOn\` the VPC's attachment when the
template declares it); re-pointing an existing route there, or a transit gateway of another stack, is advice.
An AWS CLI export records what is deployed: the fix is advice (the route to create), not an edit.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace.`;

interface Cycle {
  first: Hop;
  last: Hop;
  cycle: Hop[];
}

function loopHops(t: PathTrace): Cycle | undefined {
  if (t.outcome.kind !== 'loop') return undefined;
  const at = t.outcome.at;
  const last = [...t.hops].reverse().find((h) => h.element === at);
  const first = t.hops.find((h) => h.element === at && h.decision && h !== last);
  if (!last || !first) return undefined;
  return { first, last, cycle: t.hops.slice(first.index, last.index + 1) };
}

/**
 * The reply handed back to the NAT GW that un-translated it earlier on the same return leg: the NAT GW has no
 * session for it and sends it on as new traffic, round the same tables again.
 */
function natReentry(t: PathTrace): Cycle | undefined {
  const o = t.outcome;
  if (o.kind !== 'dropped' || o.cause !== 'no-nat-session' || !o.at) return undefined;
  const last = t.hops[t.hops.length - 1];
  if (last?.element !== o.at || last.kind !== 'natgw') return undefined;
  const first = t.hops.find((h) => h.element === o.at && h.decision && h !== last);
  if (!first) return undefined;
  const cycle = t.hops.slice(first.index, last.index + 1);
  // Through a transit gateway and back: for spokes outside the inputs that is only the inputs lacking the
  // spokes' routes (propagated from other accounts), not the reply's way.
  if (cycle.some((h) => h.kind === 'tgw' || h.kind === 'tgwAttachment')) return undefined;
  return { first, last, cycle };
}

/** Inspection before NAT whose inspected reply goes back to the NAT GW: what the loop finding needs. */
interface ReplyLoop {
  subject: string;
  trace?: string;
  path: string;
  /** The NAT subnet's route that sent the reply to the endpoint (its destination is the range to return). */
  natHop: Hop;
  /** The endpoint subnet's table, and the endpoint's hop whose route there sends the reply back to the NAT GW. */
  table: RouteTable;
  closer: Hop;
  /** The transit gateway the forward leg came in through: the way back. */
  tgw?: NetworkElement;
  /** The NAT GW's VPC's attachment to it (a route to a TGW needs the VPC attached first). */
  attachment?: NetworkElement;
}

function replyLoop(index: ModelIndex, eg: SubnetEgress, c: Cycle, subject: string, trace?: string): ReplyLoop | undefined {
  const hops = c.cycle.slice(0, -1);
  const closer = [...hops]
    .reverse()
    .find((h) => h.kind === 'gwlbe' && h.decision && index.get(h.decision.routeTable)?.kind === 'routeTable');
  const table = closer ? index.resolve(closer.decision!.routeTable, 'routeTable') : undefined;
  const range = c.first.decision ? parseCidr(c.first.decision.destination) : undefined;
  // The NAT subnet's table sending everything to the endpoint is the forward leg's loop, not this one.
  if (!closer || !table || !range || range.prefix === 0) return undefined;
  // The forward leg entered the NAT GW's VPC through a transit gateway attachment: the reply goes back there.
  const vpc = index.vpcOf(c.first.element);
  const entry = eg.forward.hops.find(
    (h) => h.kind === 'tgwAttachment' && index.refId(index.resolve(h.element, 'tgwAttachment')?.vpc) === vpc,
  );
  const att = entry ? index.resolve(entry.element, 'tgwAttachment') : undefined;
  const tgwId = att ? index.refId(att.tgw) : undefined;
  const tgw = tgwId ? index.get(tgwId) : undefined;
  return {
    subject,
    ...(trace ? { trace } : {}),
    path: c.cycle.map((h) => h.name).join(' -> '),
    natHop: c.first,
    table,
    closer,
    ...(tgw ? { tgw } : {}),
    ...(att ? { attachment: att } : {}),
  };
}

/** The route `<range> -> TGW` in the endpoint subnet's table, in the way that table's routes are written. */
function returnRouteEdit(table: RouteTable, cidrs: string[], tgw: NetworkElement, attachment?: NetworkElement): TextEdit | undefined {
  const fmt = formatOf(table.loc.file);
  if (fmt === 'hcl') {
    // Inline route blocks and aws_route resources must not be mixed on one table: follow the table.
    const written = table.routes.filter((r) => !r.implicit);
    const inline = written.length === 0 || written.some((r) => r.id.startsWith(`${table.id}#`));
    if (inline)
      return insertInBlock(
        table,
        cidrs.flatMap((c, i) => [
          ...(i > 0 ? [''] : []),
          'route {',
          `  cidr_block         = "${c}"`,
          `  transit_gateway_id = ${tfRef(tgw)}`,
          '}',
        ]),
      );
    const address = table.address ?? '';
    const base = /^aws_route_table\.([A-Za-z0-9_-]+)(\["[^"]*"\])?$/.exec(address);
    if (!base) return undefined;
    const forEach = !!base[2];
    return insertAfter(
      table,
      cidrs
        .map((c) =>
          [
            `resource "aws_route" "${base[1]}_${c.replace(/[./]/g, '_')}_to_tgw" {`,
            ...(forEach
              ? [`  for_each               = aws_route_table.${base[1]}`, '  route_table_id         = each.value.id']
              : [`  route_table_id         = ${tfRef(table)}`]),
            `  destination_cidr_block = "${c}"`,
            `  transit_gateway_id     = ${tfRef(tgw)}`,
            '}',
          ].join('\n'),
        )
        .join('\n\n'),
    );
  }
  // CloudFormation: routes are resources of their own, placed after the table; the TGW must be a resource of the
  // same template for `!Ref` to name it (one of another stack is named through a parameter we cannot choose).
  const tableId = cfnLogicalId(table);
  const tgwId = cfnLogicalId(tgw);
  // Created with the template, the route waits for the VPC's attachment, without which AWS refuses it.
  const attId = attachment && attachment.loc.file === table.loc.file ? cfnLogicalId(attachment) : undefined;
  if (fmt === 'yaml' && tableId && tgwId && tgw.loc.file === table.loc.file)
    return insertYamlResourcesAfter(
      table,
      cidrs.flatMap((c, i) => [
        ...(i > 0 ? [''] : []),
        `${tableId}${c.replace(/[^0-9]/g, '')}ToTgw:`,
        '  Type: AWS::EC2::Route',
        ...(attId ? [`  DependsOn: ${attId}`] : []),
        '  Properties:',
        `    RouteTableId: !Ref ${tableId}`,
        `    DestinationCidrBlock: ${c}`,
        `    TransitGatewayId: !Ref ${tgwId}`,
      ]),
    );
  return undefined;
}

/** Every route table written by the same block as `table` (the instances of a `count`/`for_each` table). */
function sameBlock(index: ModelIndex, table: RouteTable): RouteTable[] {
  const k = locKey(table.loc);
  return index.ofKind('routeTable').filter((t) => locKey(t.loc) === k);
}

/**
 * One finding per table to change (a table written once for several AZs: one finding naming each). The fix adds
 * `<range> -> TGW` next to the less specific route that catches the reply (0.0.0.0/0 -> NAT GW, the forward
 * leg's), or re-points the route when it is the range's own (or more specific).
 */
function replyLoopFindings(index: ModelIndex, loops: ReplyLoop[]): RawFinding[] {
  const groups = new Map<string, ReplyLoop[]>();
  for (const l of loops) {
    const k = locKey(l.table.loc);
    groups.set(k, [...(groups.get(k) ?? []), l]);
  }
  const out: RawFinding[] = [];
  const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
  const verb = (xs: string[], one: string, many: string): string => `${xs.join(', ')} ${xs.length > 1 ? many : one}`;
  for (const ls of groups.values()) {
    const first = ls[0];
    const tables = uniq(ls.map((l) => index.label(l.table.id)));
    const cidrs = uniq(ls.map((l) => l.natHop.decision!.destination));
    const natTables = uniq(ls.map((l) => index.label(l.natHop.decision!.routeTable)));
    const closers = uniq(ls.map((l) => `${l.closer.decision!.destination} -> ${l.closer.decision!.target}`));
    const tgws = uniq(ls.flatMap((l) => (l.tgw ? [l.tgw] : [])));
    const tgw = tgws.length === 1 && ls.every((l) => l.tgw) ? tgws[0] : undefined;
    const atts = uniq(ls.flatMap((l) => (l.attachment ? [l.attachment] : [])));
    const subjects = uniq(ls.map((l) => l.subject));
    // A route as specific as the range catches the reply: it is the one to re-point, not one to add beside it.
    const covering = ls.every((l) => {
      const c = parseCidr(l.closer.decision!.destination);
      const r = parseCidr(l.natHop.decision!.destination);
      return !!c && !!r && c.prefix < r.prefix;
    });
    const them = cidrs.length > 1 ? 'them' : 'it';
    const message = `Routing loop on the return path of ${subjects.join(', ')}: ${uniq(ls.map((l) => l.path)).join('; ')}. ${verb(natTables, 'sends', 'send')} ${cidrs.join(', ')} to the firewall endpoint (inspection before NAT), but ${
      covering
        ? `${verb(tables, 'has', 'have')} no route for ${them}, so ${verb(closers, "(the forward leg's route) sends", "(the forward leg's routes) send")}`
        : `${verb(tables, 'routes', 'route')} ${them} ${closers.join(', ')}, which ${closers.length > 1 ? 'send' : 'sends'}`
    } the inspected reply back to the NAT GW, which already un-translated it: it goes round again and never reaches the spoke.`;
    const back = tgw ? `${index.label(tgw.id)}, the transit gateway the forward leg came in through` : 'the way the forward leg came in';
    const title = covering
      ? `Route ${cidrs.join(', ')} in ${tables.join(', ')} to ${back} (keep ${closers.join(', ')} for the forward leg)`
      : `Send ${uniq(ls.map((l) => l.closer.decision!.destination)).join(', ')} in ${tables.join(', ')} to ${back}, instead of ${uniq(ls.map((l) => l.closer.decision!.target)).join(', ')}`;
    // The tables' block serves every table it writes: edit it only when each of them loops the same way.
    const whole = sameBlock(index, first.table).every((t) => ls.some((l) => l.table.id === t.id));
    const module = (first.table.address ?? '').startsWith('module.');
    let edit: TextEdit | undefined;
    if (tgw && whole && !module) {
      const routes = uniq(ls.map((l) => l.closer.decision!.route));
      edit = covering
        ? returnRouteEdit(first.table, cidrs, tgw, atts.length === 1 ? atts[0] : undefined)
        : routes.length === 1 && routes[0] && uniq(ls.map((l) => l.table.id)).length === 1
          ? rewriteInlineRoute(index, routes[0], tgw)
          : undefined;
    }
    out.push({
      message,
      location: first.table.loc,
      // The block's first table, whichever of its tables' loops the inputs decide.
      elementId: sameBlock(index, first.table)
        .map((t) => t.id)
        .reduce((a, b) => (b < a ? b : a)),
      related: [
        ...related(
          decisionLocation(index, first.natHop),
          `the NAT subnet's route ${first.natHop.decision!.destination} -> ${first.natHop.decision!.target} in ${index.label(first.natHop.decision!.routeTable)} sends the reply to the firewall`,
        ),
        ...related(
          decisionLocation(index, first.closer),
          `route ${first.closer.decision!.destination} -> ${first.closer.decision!.target} sends it back to the NAT GW`,
        ),
      ],
      ...(ls.some((l) => l.trace) ? { traces: uniq(ls.flatMap((l) => (l.trace ? [l.trace] : []))) } : {}),
      fix: { title, edits: edit ? [edit] : [] },
    });
  }
  return out;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  const replyLoops: ReplyLoop[] = [];
  for (const eg of ctx.egress) {
    for (let i = 0; i < 2; i++) {
      const leg = i === 0 ? 'forward' : 'return';
      const t = i === 0 ? eg.forward : eg.return;
      const reentry = i === 1 && t ? natReentry(t) : undefined;
      if (reentry) {
        const rl = replyLoop(index, eg, reentry, sourceLabel(index, eg), traceRef(eg));
        if (rl) replyLoops.push(rl);
        continue;
      }
      const l = t ? loopHops(t) : undefined;
      if (!l) continue;
      // The route that closes the cycle: the last decision before we came back to the start.
      const closer = [...l.cycle]
        .slice(0, -1)
        .reverse()
        .find((h) => h.decision);
      const location = decisionLocation(index, closer) ?? decisionLocation(index, l.last);
      if (!location) continue;
      const path = l.cycle.map((h) => h.name).join(' -> ');
      out.push({
        message: `Routing loop on the ${leg} path of ${sourceLabel(index, eg)}: ${path}${closer?.decision ? `; route ${closer.decision.destination} -> ${closer.decision.target} in ${index.label(closer.decision.routeTable)} closes the cycle` : ''}.`,
        location,
        elementId: decisionElement(index, closer) ?? l.last.element,
        related: related(decisionLocation(index, l.first), `the cycle starts here (${l.first.name})`),
        traces: [traceRef(eg)],
        fix: { title: 'Change the route that closes the cycle so traffic leaves through the intended gateway', edits: [] },
      });
    }
  }
  // Spokes outside the inputs: their replies, traced from the inspection attachment (remoteSpokes.ts).
  for (const s of remoteSpokes(ctx)) {
    const t = s.egress.return;
    const reentry = t ? natReentry(t) : undefined;
    const subject = `${s.range.cidr} (VPCs outside the inputs whose egress ${index.label(s.table.id)} sends to ${index.label(s.attachment.id)})`;
    const rl = reentry ? replyLoop(index, s.egress, reentry, subject) : undefined;
    if (rl) replyLoops.push(rl);
  }
  return [...dedupe(out, (f) => f.elementId), ...replyLoopFindings(index, replyLoops)];
}

export const rule = defineRule({
  code: 'routing-loop',
  defaultSeverity: 'error',
  title: 'Egress path revisits a hop (routing loop)',
  doc,
  check,
});
