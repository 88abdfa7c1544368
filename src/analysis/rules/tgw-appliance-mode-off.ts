// Centralized inspection behind a transit gateway needs appliance mode on the inspection VPC's attachment;
// without it the TGW picks the AZ per direction and the two halves of a flow can hit different appliances.
import type { TgwAttachment } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { val } from '../modelIndex';
import type { TextEdit } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { formatOf, insertInBlock, replaceAttr } from './egressPaths';

const doc = `Fires when traffic is inspected centrally behind a transit gateway (the VPC attached to the TGW
holds GWLB endpoints or firewall appliances, or a traced path enters such a VPC through the TGW) and that
attachment has appliance mode disabled. Without appliance mode the transit gateway keeps each direction of a
flow in the AZ it arrived from, so a flow between sources in different AZs can be inspected by one appliance
outbound and another on the way back, and stateful inspection drops it. Fix: enable appliance mode on the
inspection VPC attachment (\`appliance_mode_support = "enable"\`, \`ApplianceModeSupport: enable\`).

Designs: an inspection VPC behind the TGW with GWLB endpoints, AWS Network Firewall endpoints or firewall
instances (\`examples/aws-centralized-tgw-inspection-broken\`, appliance mode off: spokes -> TGW -> inspection VPC TGW subnet ->
firewall endpoint -> NAT GW -> IGW). It stays quiet when appliance mode is on, and for an AWS Network Firewall
attached to the TGW natively (\`transit_gateway_id\`), whose attachment AWS manages. It also stays quiet when
both directions of every flow must meet the same appliance whatever AZ the TGW picks: the inspection VPC has
one enforcement point (one GWLB or firewall endpoint, one firewall instance), when every subnet of the
attachment routes to the same one (an active-passive pair whose routes name the active unit), or when the
attachment has one subnet. A VPC with endpoints of its own for its own internet traffic, to which the TGW
delivers only the VPC's own addresses (a spoke), is no inspection VPC for it; when the VPC's range is not known
offline and no TGW route sends it a range wider than a VPC can hold (0.0.0.0/0), only a traced path decides.`;

function isInspectionVpc(ctx: RuleContext, vpc: string): boolean {
  const { index } = ctx;
  return (
    index.subnetsOfVpc(vpc).some((s) => index.elementsInSubnet(s.id).some((e) => e.kind === 'gwlbe' || e.kind === 'firewall')) ||
    index.ofKind('firewall').some((f) => index.refId(f.vpc) === vpc)
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

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  // Attachments a traced path entered right before being inspected in that VPC.
  const onPath = new Map<string, string[]>();
  for (const eg of ctx.egress) {
    for (let leg = 0; leg < 2; leg++) {
      const t = leg === 0 ? eg.forward : eg.return;
      if (!t) continue;
      const hops = t.hops;
      for (let i = 0; i < hops.length; i++) {
        const h = hops[i];
        if (h.kind !== 'tgwAttachment') continue;
        // Inspected inside the VPC it entered: a GWLB endpoint there, or an appliance there, before the next TGW.
        let inspected = false;
        for (let j = i + 1; j < hops.length; j++) {
          const n = hops[j];
          if (n.kind === 'tgw') break;
          if (n.vpc === h.vpc && (n.kind === 'gwlbe' || !!n.enforcement)) {
            inspected = true;
            break;
          }
        }
        if (!inspected) continue;
        const list = onPath.get(h.element);
        if (list) list.push(eg.subnet);
        else onPath.set(h.element, [eg.subnet]);
      }
    }
  }
  for (const att of index.ofKind('tgwAttachment')) {
    if (isUnresolved(att.applianceMode) || val(att.applianceMode) !== false) continue;
    const vpc = index.refId(att.vpc);
    const tgw = index.refId(att.tgw);
    const traces = onPath.get(att.id);
    // A VPC with its own endpoints for its own north-south traffic is no inspection VPC for the TGW when
    // the TGW delivers it nothing but its own addresses (a spoke: the VPC's local route takes them). When that
    // is not decided (the VPC's range is not known offline), an error would be a guess: only a traced path says.
    const central =
      !!vpc &&
      isInspectionVpc(ctx, vpc) &&
      !!tgw &&
      index.tgwAttachmentsOfTgw(tgw).length > 1 &&
      index.deliversOwnTrafficOnly(att) === false;
    if (!traces && !central) continue;
    if (oneWayIn(ctx, att, vpc)) continue;
    const range = att.attrs?.['appliance_mode_support'] ?? att.attrs?.['ApplianceModeSupport'];
    out.push({
      message: `Transit gateway attachment ${att.name || att.id} of inspection VPC ${vpc ? index.label(vpc) : '?'} has appliance mode disabled: the two directions of a flow through ${tgw ? index.label(tgw) : 'the transit gateway'} can be inspected in different AZs.`,
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
