// Centralized inspection behind a transit gateway needs appliance mode on the inspection VPC's attachment;
// without it the TGW picks the AZ per direction and the two halves of a flow can hit different appliances.
import type { TgwAttachment, TgwRouteTable } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContains, parseCidr, type Cidr } from '../../model/cidr';
import type { TextEdit } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { formatOf, insertInBlock, replaceAttr, traceRef } from './egressPaths';

const doc = `Fires when a flow between two transit gateway attachments crosses an inspection VPC (a VPC attached
to the TGW that holds GWLB endpoints, firewall endpoints or firewall appliances) whose attachment has appliance
mode disabled. Without appliance mode the TGW sends each direction of a flow into the inspection VPC in the AZ
the packet came from, so a flow between a source in one AZ and a destination in another (spoke to spoke,
spoke to VPN) is inspected by one appliance outbound and another on the way back, and stateful inspection
drops it. Fix: enable appliance mode on the inspection VPC attachment (\`appliance_mode_support = "enable"\`,
\`ApplianceModeSupport: enable\`).

Such a flow: a TGW route table associated with another attachment (or a table no attachment of the inputs is
associated with: it carries spokes outside the inputs) sends the range of a third one (its VPC's CIDR, a
static route's destination, or, for spokes outside the inputs, a range the inspection VPC routes back to the
TGW) to the inspection attachment, by a route for it or by a wider one such as 0.0.0.0/0 when nothing more
specific is there, and the inspection VPC routes that range back to the TGW
(\`examples/aws-centralized-tgw-inspection-broken\`: a spoke and the spokes of other accounts whose tables
send everything to the inspection VPC), or a traced path enters the VPC, is inspected there and leaves it through a TGW again.

It stays quiet for internet egress only: the reply comes back through the NAT GW (or the firewall) that
translated the request in the inspection VPC, hence through that AZ's appliance whatever AZ the TGW picked
(an egress VPC behind its firewall endpoints whose spokes send their east-west traffic to another VPC).
It stays quiet when appliance mode is on or is not decided (an unknown value, or a resource the model does not
read, such as a custom resource or a script, that names the attachment and may set it), and for an AWS
Network Firewall attached to the TGW natively (\`transit_gateway_id\`), whose attachment AWS manages. It also
stays quiet when both directions of every flow must meet the same appliance whatever AZ the TGW picks: the
inspection VPC has one enforcement point (one GWLB or firewall endpoint, one firewall instance), every subnet
of the attachment routes to the same one (an active-passive pair whose routes name the active unit), or the
attachment has one subnet.`;

function isInspectionVpc(ctx: RuleContext, vpc: string): boolean {
  const { index } = ctx;
  return (
    index
      .subnetsOfVpc(vpc)
      .some((s) =>
        index
          .elementsInSubnet(s.id)
          .some((e) => e.kind === 'gwlbe' || e.kind === 'firewall' || (e.kind === 'instance' && index.isAppliance(e.id))),
      ) || index.ofKind('firewall').some((f) => index.refId(f.vpc) === vpc)
  );
}

/**
 * How many places a flow entering the VPC can be inspected: each GWLB or Network Firewall endpoint (one AZ
 * each) and each routed appliance not behind a GWLB (a GWLB keeps a flow's two directions on one target by
 * itself). Infinity when one of them stands for an undecided number of instances.
 */
function enforcementPoints(ctx: RuleContext, vpc: string): number {
  const { index } = ctx;
  const behindGwlb = new Set(index.appliancesOfVpc(vpc));
  const points = new Set<string>();
  for (const s of index.subnetsOfVpc(vpc))
    for (const e of index.elementsInSubnet(s.id)) {
      const routed = (e.kind === 'firewall' || (e.kind === 'instance' && index.isAppliance(e.id))) && !behindGwlb.has(e.id);
      if (e.kind !== 'gwlbe' && !routed) continue;
      if (e.undecided) return Infinity;
      points.add(e.id);
    }
  return points.size;
}

/**
 * The enforcement points the attachment's own subnets route to (GWLB or firewall endpoints, forwarding
 * appliances; an interface counts as its instance), or undefined when a table or target cannot be decided.
 * An active-passive pair whose routes all name the active unit is one point: the passive one takes over the
 * routes on failover, never a share of the flows.
 */
function pointsNamedByAttachment(ctx: RuleContext, att: TgwAttachment): Set<string> | undefined {
  const { index } = ctx;
  const named = new Set<string>();
  for (const ref of att.subnets) {
    const s = index.refId(ref);
    const st = s ? index.routeTableOfSubnet(s) : undefined;
    if (!s || !st || index.get(s)?.undecided) return undefined;
    for (const r of st.table.routes) {
      if (r.implicit || r.state !== 'active') continue;
      const k = r.target.kind;
      if (k !== 'gwlbe' && k !== 'eni' && k !== 'instance') continue;
      if (r.undecided) return undefined;
      const e = index.resolve(r.target.ref);
      if (!e || e.undecided) return undefined;
      const owner = e.kind === 'eni' && e.instance ? index.resolve(e.instance) : undefined;
      const point = owner ?? e;
      if (point.kind === 'gwlbe' || point.kind === 'firewall' || (point.kind === 'instance' && index.isAppliance(point.id)))
        named.add(point.id);
      else if (e.kind === 'eni' && index.isAppliance(e.id)) named.add(e.id);
    }
  }
  return named;
}

/**
 * Both directions of every flow meet one appliance: one attachment subnet (AZ), every attachment subnet
 * routing to the same one enforcement point, or one enforcement point in the VPC.
 */
function oneWayIn(ctx: RuleContext, att: TgwAttachment, vpc: string | undefined): boolean {
  const subnets = att.subnets.map((s) => ctx.index.refId(s));
  if (subnets.length === 1 && subnets[0] && !ctx.index.get(subnets[0])?.undecided) return true;
  if (pointsNamedByAttachment(ctx, att)?.size === 1) return true;
  return !!vpc && enforcementPoints(ctx, vpc) === 1;
}

function fix(att: TgwAttachment): { title: string; edits: TextEdit[] } {
  const title = `Enable appliance mode on ${att.name || att.id}`;
  const fmt = formatOf(att.loc.file);
  if (fmt === 'hcl') {
    const e = replaceAttr(att, ['appliance_mode_support'], '"enable"') ?? insertInBlock(att, ['appliance_mode_support = "enable"']);
    return { title, edits: e ? [e] : [] };
  }
  if (fmt === 'yaml') {
    const e = replaceAttr(att, ['ApplianceModeSupport', 'Options.ApplianceModeSupport'], 'enable');
    return { title: e ? title : `${title}: set Options: { ApplianceModeSupport: enable }`, edits: e ? [e] : [] };
  }
  return {
    title: `${title}: aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id ${att.providerId ?? att.id} --options ApplianceModeSupport=enable`,
    edits: [],
  };
}

/** The owner of the ranges of spokes outside the inputs. */
const OUTSIDE = 'outside';

/** A range some traffic is addressed to, and who it belongs to: an attachment id, or `outside` (spokes not in the inputs). */
interface Destination {
  cidr: Cidr;
  owner: string;
}

const overlaps = (a: Cidr, b: Cidr): boolean => cidrContains(a, b) || cidrContains(b, a);

/**
 * The ranges the inspection VPC's route tables send back to the transit gateway (after inspection: the replies
 * to the spokes, flows on to another attachment). Decided routes only.
 */
function rangesBackToTgw(ctx: RuleContext, vpc: string, tgw: string): Cidr[] {
  const { index } = ctx;
  const out: Cidr[] = [];
  for (const t of index.routeTablesOfVpc(vpc))
    for (const r of t.routes) {
      if (r.state !== 'active' || r.undecided || r.target.kind !== 'tgw' || index.refId(r.target.ref) !== tgw) continue;
      const texts = 'cidr' in r.destination ? [r.destination.cidr] : (index.resolve(r.destination.prefixList, 'prefixList')?.cidrs ?? []);
      for (const d of texts) {
        const c = isUnresolved(d) ? undefined : parseCidr(d);
        if (c && !out.some((o) => o.text === c.text)) out.push(c);
      }
    }
  return out;
}

/**
 * Where TGW route table `t` sends traffic for range `x` (the longest route holding all of it; a static route
 * beats a propagated one of the same prefix): the target attachment id, `blackhole`, or undefined when none
 * does or a route that may win cannot be decided offline. `outsideProp`: attachments outside the inputs
 * propagate their (unknown) ranges into the table, so a range of theirs is not decided here.
 */
function tgwTarget(ctx: RuleContext, t: TgwRouteTable, x: Destination, outsideProp: boolean): string | undefined {
  const { index } = ctx;
  if (x.owner === OUTSIDE && outsideProp) return undefined;
  let best: { prefix: number; to: string | undefined; propagated: boolean } | undefined;
  const take = (c: Cidr, to: string | undefined, propagated: boolean): void => {
    if (!cidrContains(c, x.cidr)) return;
    if (!best || c.prefix > best.prefix || (c.prefix === best.prefix && best.propagated && !propagated))
      best = { prefix: c.prefix, to, propagated };
  };
  for (const r of t.routes) {
    const c = isUnresolved(r.destination) ? undefined : parseCidr(r.destination);
    if (!c) return undefined;
    if (r.blackhole) take(c, 'blackhole', false);
    else if (r.attachment === undefined || isUnresolved(r.attachment)) {
      if (cidrContains(c, x.cidr)) return undefined;
    } else take(c, index.refId(r.attachment) ?? r.attachment, false);
  }
  for (const p of t.propagations) {
    const a = index.resolve(p, 'tgwAttachment');
    const v = a ? index.refId(a.vpc) : undefined;
    if (!a || !v) continue;
    // An attachment's own range: the spokes outside the inputs may be anywhere in a range of theirs.
    if (x.owner === OUTSIDE && index.unresolvedCidrs(v)) return undefined;
    for (const c of index.vpcCidrs(v)) take(c, a.id, true);
  }
  const decided: { prefix: number; to: string | undefined; propagated: boolean } | undefined = best;
  for (const u of t.undecidedPropagations ?? []) {
    const v = index.refId(index.resolve(u.attachment, 'tgwAttachment')?.vpc);
    if (!v) continue;
    for (const c of index.vpcCidrs(v))
      if (cidrContains(c, x.cidr) && (!decided || c.prefix > decided.prefix || (c.prefix === decided.prefix && decided.propagated)))
        return undefined;
  }
  return decided?.to;
}

/**
 * A flow between two other attachments that the TGW routes through attachment `att` and that its VPC sends
 * back to the TGW (east-west between spokes, spoke to VPN or to another VPC's egress): the TGW picks each
 * direction's AZ independently, which is what appliance mode fixes. A table associated with an attachment of
 * the inputs, or one no attachment of the inputs is associated with (it carries spokes outside the inputs),
 * sends a range of another attachment (its VPC's CIDR, a static route's destination, or, when spokes are
 * outside the inputs, a range the inspection VPC routes back to the TGW) to `att`. Egress to the internet that
 * leaves the VPC (its replies come back through the NAT GW, or the appliance, that translated them: the same
 * AZ) is no such flow. Undefined when none is decided.
 */
function crossingFlow(ctx: RuleContext, att: TgwAttachment, vpc: string, tgwId: string): string | undefined {
  const { index } = ctx;
  const back = rangesBackToTgw(ctx, vpc, tgwId);
  if (back.length === 0) return undefined;
  const tgw = index.resolve(tgwId, 'tgw');
  const tables = index.ofKind('tgwRouteTable').filter((t) => index.refId(t.tgw) === tgwId);
  const attachments = index.tgwAttachmentsOfTgw(tgwId);
  const sources: { table: TgwRouteTable; from: string }[] = [];
  for (const a of attachments) {
    if (a.id === att.id) continue;
    const t = index.tgwRouteTableOf(a.id);
    if (t && index.refId(t.tgw) === tgwId) sources.push({ table: t, from: a.id });
  }
  // Tables the spokes outside the inputs use: one nothing of the inputs is associated with, or the default
  // table when attachments join it by default.
  for (const t of tables)
    if (t.isDefault ? tgw?.defaultRouteTableAssociation !== false : t.associations.length === 0) sources.push({ table: t, from: OUTSIDE });
  if (sources.length === 0) return undefined;
  const dests: Destination[] = [];
  for (const a of attachments) {
    const v = index.refId(a.vpc);
    if (a.id !== att.id && v) for (const c of index.vpcCidrs(v)) dests.push({ cidr: c, owner: a.id });
  }
  for (const t of tables)
    for (const r of t.routes) {
      if (r.blackhole || r.attachment === undefined || isUnresolved(r.attachment) || isUnresolved(r.destination)) continue;
      const to = index.refId(r.attachment) ?? r.attachment;
      const c = parseCidr(r.destination);
      if (c && to !== att.id) dests.push({ cidr: c, owner: to });
    }
  if (sources.some((s) => s.from === OUTSIDE)) for (const c of back) dests.push({ cidr: c, owner: OUTSIDE });
  // Only ranges the VPC routes back to the TGW can cross it; each table is looked up once per range.
  const crossing = dests.filter((d) => back.some((b) => overlaps(b, d.cidr)));
  const looked = new Map<string, Map<Destination, string | undefined>>();
  for (const s of sources) {
    const outsideProp = !!s.table.isDefault && tgw?.defaultRouteTablePropagation !== false;
    let memo = looked.get(s.table.id);
    if (!memo) looked.set(s.table.id, (memo = new Map()));
    for (const d of crossing) {
      if (d.owner === s.from && s.from !== OUTSIDE) continue;
      if (!memo.has(d)) memo.set(d, tgwTarget(ctx, s.table, d, outsideProp));
      if (memo.get(d) !== att.id) continue;
      const how = `(TGW route table ${index.label(s.table.id)} sends it there, the VPC routes it back to the TGW)`;
      if (s.from === OUTSIDE && d.owner === OUTSIDE) return `traffic between spokes outside the inputs in ${d.cidr.text} crosses it ${how}`;
      const who = (id: string) => (id === OUTSIDE ? 'spokes outside the inputs' : index.label(id));
      return `traffic from ${who(s.from)} to ${d.cidr.text} (${who(d.owner)}) crosses it ${how}`;
    }
  }
  return undefined;
}

/** Attachments a traced path entered, was inspected behind, and left again through a transit gateway. */
function crossedOnPath(ctx: RuleContext): Map<string, string[]> {
  const onPath = new Map<string, string[]>();
  for (const eg of ctx.egress) {
    for (let leg = 0; leg < 2; leg++) {
      const t = leg === 0 ? eg.forward : eg.return;
      if (!t) continue;
      const hops = t.hops;
      for (let i = 0; i < hops.length; i++) {
        const h = hops[i];
        if (h.kind !== 'tgwAttachment') continue;
        // Inspected inside the VPC it entered (a GWLB endpoint there, or an appliance there), then back into a
        // TGW: a flow between two attachments. Leaving by the VPC's own NAT GW or IGW is not (the reply meets
        // the AZ that translated it).
        let inspected = false;
        let crossed = false;
        for (let j = i + 1; j < hops.length; j++) {
          const n = hops[j];
          if (n.kind === 'tgw') {
            crossed = inspected;
            break;
          }
          if (n.vpc === h.vpc && (n.kind === 'gwlbe' || !!n.enforcement)) inspected = true;
        }
        if (!crossed) continue;
        const list = onPath.get(h.element);
        if (list) list.push(traceRef(eg));
        else onPath.set(h.element, [traceRef(eg)]);
      }
    }
  }
  return onPath;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  let onPath: Map<string, string[]> | undefined;
  for (const att of index.ofKind('tgwAttachment')) {
    // Appliance mode not decided (written as an unknown value, or an unmodelled resource naming the
    // attachment may set it): no finding.
    const mode = index.applianceModeOf(att);
    if (isUnresolved(mode) || mode !== false) continue;
    const vpc = index.refId(att.vpc);
    const tgw = index.refId(att.tgw);
    onPath ??= crossedOnPath(ctx);
    const traces = onPath.get(att.id);
    const flow = vpc && tgw && isInspectionVpc(ctx, vpc) ? crossingFlow(ctx, att, vpc, tgw) : undefined;
    if (!traces && !flow) continue;
    if (oneWayIn(ctx, att, vpc)) continue;
    const range = att.attrs?.['appliance_mode_support'] ?? att.attrs?.['ApplianceModeSupport'];
    out.push({
      message: `Transit gateway attachment ${att.name || att.id} of inspection VPC ${vpc ? index.label(vpc) : '?'} has appliance mode disabled: ${flow ?? 'a traced path crosses it between two attachments'}, so ${tgw ? index.label(tgw) : 'the transit gateway'} picks the AZ of each direction on its own and the two directions of a flow can be inspected in different AZs.`,
      location: range ? { file: att.loc.file, range } : att.loc,
      elementId: att.id,
      related: tgw && index.get(tgw) ? [{ location: index.get(tgw)!.loc, message: `transit gateway ${index.label(tgw)}` }] : [],
      ...(traces ? { traces: [...new Set(traces)] } : {}),
      fix: fix(att),
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'tgw-appliance-mode-off',
  defaultSeverity: 'error',
  title: 'Inspection VPC attachment has transit gateway appliance mode disabled',
  doc,
  check,
});
