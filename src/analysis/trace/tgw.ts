// Transit gateway: the route table the ingress attachment is associated with decides the egress attachment,
// and the packet enters the next VPC through that attachment's subnet.
import type { Firewall, NetworkElement, Subnet, TgwAttachment, TgwRouteTable } from '../../model/types';
import type { EnforcementPoint, Hop } from '../types';
import { isUnresolved, type Unresolved } from '../../model/types';
import { NARROW_BITS } from '../routing';
import { deliverLocal, lookupFor, narrowNote, targetLabel, unmodelledRoutes, type NarrowNoted } from './route';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import { val } from '../modelIndex';
import { where } from '../../model/where';
import type { Design } from './arrive';
import { addHop, dropped, dstRange, nameOf, noted, unknown, type Step, type Walk } from './walk';
import { tgwRangeMatch, type TgwRangeCandidate } from './addressRange';
import { coreRoutesOf, fromTgwToCoreNetwork } from './cloudWan';

function arriveTgw(w: Walk, tgwId: string, vpc: string | undefined): Step {
  const { index } = w;
  const tgw = index.get(tgwId)!;
  const name = nameOf(tgw);
  const hop = addHop(w, { element: tgw.id, kind: 'tgw', name, loc: tgw.loc }, `transit gateway ${name}`);
  const ingress = vpc ? index.tgwAttachmentsOfVpc(vpc).find((a) => index.refId(a.tgw) === tgw.id) : undefined;
  if (!ingress) return noted(hop, dropped(w, { cause: 'no-tgw-attachment', tgw: tgw.id, ...(vpc ? { vpc } : {}) }, tgw.id));
  return routeInTgw(w, tgw, hop, ingress.id, new Set());
}

interface TgwCandidate extends TgwRangeCandidate {
  /** A propagated route that may not exist (the attachment's propagation flag cannot be decided). */
  undecided?: string;
}

/**
 * The routes of a TGW route table: its static routes, then one route per CIDR of each propagating VPC
 * attachment. A static route wins over a propagated one of the same prefix (AWS's order).
 */
function tgwRoutes(w: Walk, rt: TgwRouteTable): TgwCandidate[] {
  const out: TgwCandidate[] = [...rt.routes];
  for (const p of rt.propagations) {
    const att = w.index.resolve(p, 'tgwAttachment');
    const vpc = att ? w.index.refId(att.vpc) : undefined;
    if (!att || !vpc) continue;
    for (const c of w.index.vpcCidrs(vpc))
      out.push({
        id: `${rt.id}#propagated:${att.id}:${c.text}`,
        loc: rt.loc,
        destination: c.text,
        attachment: att.id,
        blackhole: false,
        propagated: true,
      });
  }
  for (const u of rt.undecidedPropagations ?? []) {
    const vpc = w.index.refId(w.index.resolve(u.attachment, 'tgwAttachment')?.vpc);
    if (!vpc) continue;
    for (const c of w.index.vpcCidrs(vpc))
      out.push({
        id: `${rt.id}#maybe-propagated:${u.attachment}:${c.text}`,
        loc: rt.loc,
        destination: c.text,
        attachment: u.attachment,
        blackhole: false,
        propagated: true,
        undecided: u.why.text,
      });
  }
  return out;
}

/**
 * An attachment of the inputs with no TGW route table: AWS drops what it sends when it has none, which is decided
 * only when its TGW is in the inputs, AWS gives it no table by itself (the TGW's default association is disabled,
 * or the attachment opts out: TgwAttachment.defaultAssociation false) and nothing the inputs hold may associate it:
 * no association they cannot place (one whose attachment or table is not decided offline), no resource the model
 * does not read naming it or its TGW. Otherwise Unknown, `why` saying what may associate it when something does.
 */
const LITERAL_ATTACHMENT = /^tgw-attach-[0-9a-f]+$/;

function unassociated(
  w: Walk,
  tgw: NetworkElement,
  attachmentId: string,
): { kind: 'none'; setting: 'tgw' | 'attachment' } | { kind: 'unknown'; why?: string } {
  const { index } = w;
  const att = index.resolve(attachmentId, 'tgwAttachment');
  if (!att || att.routeTable !== undefined || att.defaultAssociation !== false || index.refId(att.tgw) !== tgw.id)
    return { kind: 'unknown' };
  if (att.associationUndecided) return { kind: 'unknown', why: att.associationUndecided };
  for (const t of index.ofKind('tgwRouteTable')) {
    // A literal attachment id the inputs do not define (`tgw-attach-0abc`) names an attachment that already
    // exists, not one they create.
    const u = t.associations.find((a) => isUnresolved(a) && !LITERAL_ATTACHMENT.test(a.text));
    if (u && isUnresolved(u))
      return {
        kind: 'unknown',
        why: `TGW route table ${nameOf(t)} (${where(t.loc)}) is associated with attachment \`${u.text}\`, which cannot be decided offline (${u.reason})`,
      };
  }
  const by = [...index.unmodelledNaming(att.id), ...index.unmodelledTouching(tgw.id)];
  if (by.length > 0)
    return {
      kind: 'unknown',
      why: `${by[0].resourceType} ${by[0].name || by[0].id} (${where(by[0].loc)}) names it or its transit gateway and is not modelled: it may associate it`,
    };
  return { kind: 'none', setting: tgw.kind === 'tgw' && tgw.defaultRouteTableAssociation === false ? 'tgw' : 'attachment' };
}

/** Longest prefix match in the route table the ingress attachment (or TGW-attached firewall) is associated with. */
function routeInTgw(w: Walk, tgw: NetworkElement, hop: Hop, ingressId: string, firewalls: Set<string>): Step {
  const { index } = w;
  const rt = index.tgwRouteTableOf(ingressId);
  if (!rt) {
    const none = unassociated(w, tgw, ingressId);
    if (none.kind === 'none')
      return noted(hop, dropped(w, { cause: 'no-tgw-association', attachment: ingressId, tgw: tgw.id, setting: none.setting }, ingressId));
    return noted(
      hop,
      unknown(
        w,
        { cause: 'no-route-table', what: 'attachment-table', element: ingressId, ...(none.why ? { why: none.why } : {}) },
        ingressId,
      ),
    );
  }
  // A resource the model does not read that names the table or its transit gateway (a custom resource given the
  // TGW's id, a Cloud WAN route table attachment propagating the core network's routes) may have written routes.
  const touched = index.unmodelledChanging(rt.id, w.dst);
  for (const u of index.unmodelledTouching(tgw.id)) if (!touched.includes(u) && !index.routesOnlyInTablesTouched(u)) touched.push(u);
  if (touched.length > 0) return unmodelledRoutes(w, hop, rt.id, touched);
  // A table attached to a Cloud WAN core network also holds the core network's routes (trace/cloudWan.ts).
  const core = coreRoutesOf(index, rt.id);
  let best: TgwCandidate | undefined;
  const range = dstRange(w);
  if (range) {
    const m = tgwRangeMatch(index, rt, range);
    if (m.kind === 'unknown') return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: m.reason }, rt.id));
    best = m.best;
  } else {
    const p = parseIp(w.dst);
    let bestLen = -1;
    let undecided: string | undefined;
    let maybe: TgwCandidate | undefined;
    let maybeLen = -1;
    // Static routes whose destination is not known offline but whose prefix length is (routing.ts, NARROW_BITS).
    let sized: TgwCandidate[] | undefined;
    // Routes left out of a lookup of the internet stand-in: narrow ones of unknown address, and known ones holding it.
    let narrow: NarrowNoted[] | undefined;
    const narrowFrom = p && w.standIn === w.dst ? NARROW_BITS[p.family] : undefined;
    const narrowTarget = (r: TgwCandidate): string => {
      const att = typeof r.attachment === 'string' ? index.get(r.attachment) : undefined;
      return r.blackhole ? 'blackhole' : att ? nameOf(att) : '?';
    };
    for (const r of tgwRoutes(w, rt)) {
      const d = val(r.destination);
      const c = d ? parseCidr(d) : undefined;
      if (!c && isUnresolved(r.destination) && r.destination.prefixLength !== undefined) {
        (sized ??= []).push(r);
        continue;
      }
      if (!c) {
        undecided = isUnresolved(r.destination) ? r.destination.text : String(r.destination);
        continue;
      }
      if (narrowFrom !== undefined && c.prefix >= narrowFrom && cidrContainsIp(c, p!)) {
        (narrow ??= []).push({ destination: c.text, bits: c.prefix, target: narrowTarget(r) });
        continue;
      }
      if (r.undecided !== undefined) {
        if (p && cidrContainsIp(c, p) && c.prefix > maybeLen) {
          maybe = r;
          maybeLen = c.prefix;
        }
        continue;
      }
      if (p && cidrContainsIp(c, p) && (c.prefix > bestLen || (c.prefix === bestLen && best?.propagated && !r.propagated))) {
        best = r;
        bestLen = c.prefix;
      }
    }
    if (undecided !== undefined && bestLen < 32)
      return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'tgw-route-destination', table: rt.id, text: undecided }, rt.id));
    // One of known length holds the address only if more specific than the best (or as specific as a propagated
    // best, which a static route beats); a narrow one is left out of a lookup of the internet stand-in.
    if (sized && p) {
      for (const r of sized) {
        const u = r.destination as Unresolved;
        const len = u.prefixLength!;
        if (len > (p.family === 6 ? 128 : 32) || len < bestLen || (len === bestLen && !best?.propagated)) continue;
        if (narrowFrom !== undefined && len >= narrowFrom) {
          (narrow ??= []).push({ destination: u.text, bits: len, unknown: u.reason, target: narrowTarget(r) });
          continue;
        }
        return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'tgw-route-destination', table: rt.id, text: u.text }, rt.id));
      }
    }
    if (narrow) hop.note += narrowNote(w, narrow);
    // A route that may exist and would win (or tie with a propagated one) leaves the lookup undecided.
    if (maybe && (maybeLen > bestLen || (maybeLen === bestLen && best?.propagated)))
      return noted(
        hop,
        unknown(
          w,
          {
            cause: 'unresolved-input',
            what: 'tgw-propagation',
            table: rt.id,
            attachment: String(maybe.attachment),
            text: maybe.undecided!,
          },
          rt.id,
        ),
      );
  }
  if (core.length > 0) {
    // Nothing else holds the destination: the core network's routes decide (it drops what none of them holds).
    if (!best) {
      const ingress = index.get(ingressId);
      const from = ingress?.kind === 'tgwAttachment' ? index.refId(ingress.vpc) : undefined;
      return fromTgwToCoreNetwork(w, hop, rt.id, core, from ?? '');
    }
    // A route the core network propagates may be more specific than the best one (a static host route wins).
    const d = val(best.destination);
    const c = d ? parseCidr(d) : undefined;
    if (best.propagated || !c || c.prefix < (c.family === 6 ? 128 : 32))
      return noted(
        hop,
        unknown(
          w,
          {
            cause: 'beyond-inputs',
            what: 'core-network',
            core: `attached to TGW route table ${nameOf(rt)} (${core.map(nameOf).join(', ')})`,
            why: `it may propagate into the table a route for ${w.dst} more specific than ${d ?? '?'}; its policy decides and is not read`,
          },
          core[0].id,
        ),
      );
  }
  if (!best) return noted(hop, dropped(w, { cause: 'no-route', table: rt.id, ip: w.dst }, rt.id));
  const egress = index.resolve(best.attachment, 'tgwAttachment');
  const other = !egress && typeof best.attachment === 'string' ? index.get(best.attachment) : undefined;
  hop.decision = {
    routeTable: rt.id,
    route: best.id,
    destination: val(best.destination) ?? '?',
    target: egress ? nameOf(egress) : other ? nameOf(other) : best.blackhole ? 'blackhole' : '?',
    loc: best.loc,
    association: 'tgw',
  };
  hop.note += `; ${best.propagated ? 'propagated ' : ''}route ${val(best.destination)} -> ${hop.decision.target} in TGW route table ${nameOf(rt)}`;
  // A TGW blackhole route is written so (Terraform, CloudFormation): a deliberate drop.
  if (best.blackhole)
    return dropped(w, { cause: 'blackhole', table: rt.id, destination: String(val(best.destination)), written: true }, best.id);
  if (!egress) {
    if (best.attachment !== undefined && isUnresolved(best.attachment))
      return unknown(
        w,
        { cause: 'unresolved-input', what: 'tgw-route-target', text: best.attachment.text, why: best.attachment.reason },
        best.id,
      );
    if (other?.kind === 'firewall' && other.tgw !== undefined && index.refId(other.tgw) === tgw.id)
      return throughAttachedFirewall(w, tgw, other, firewalls);
    // A target that exists but is not a VPC attachment (a VPN, a Connect attachment) is beyond what the
    // model follows: Unknown, never a missing target.
    if (other) return unknown(w, { cause: 'unsupported-target', what: 'target-type', text: nameOf(other) }, best.id);
    // An id no element has: made elsewhere or not exported (a deleted attachment's route is a blackhole).
    if (typeof best.attachment === 'string')
      return unknown(
        w,
        { cause: 'missing-input', what: 'absent-target', target: best.attachment, targetKind: 'attachment', tgw: true },
        best.id,
      );
    return unknown(w, { cause: 'missing-input', what: 'route-target-ref', targetKind: 'TGW attachment' }, best.id);
  }
  return enterAttachment(w, egress);
}

/**
 * AWS Network Firewall attached to the transit gateway natively: the TGW hands it the flow, it inspects, and
 * the flow re-enters the TGW through the firewall's own attachment, routed by the table that attachment is
 * associated with.
 */
function throughAttachedFirewall(w: Walk, tgw: NetworkElement, fw: Firewall, firewalls: Set<string>): Step {
  if (firewalls.has(fw.id)) return { kind: 'end', outcome: { kind: 'loop', at: fw.id } };
  firewalls.add(fw.id);
  const ret = w.direction === 'return';
  const enforcement: EnforcementPoint = { kind: 'network-firewall', element: fw.id };
  addHop(
    w,
    { element: fw.id, kind: 'firewall', name: nameOf(fw), loc: fw.loc },
    `AWS Network Firewall ${nameOf(fw)}, attached to transit gateway ${nameOf(tgw)}, inspects the flow and returns allowed traffic to it`,
    { enforcement, stage: ret ? 6 : 4 },
  );
  w.inspected.push(enforcement);
  const back = addHop(
    w,
    { element: tgw.id, kind: 'tgw', name: nameOf(tgw), loc: tgw.loc },
    `transit gateway ${nameOf(tgw)} receives the inspected flow from ${nameOf(fw)}'s attachment`,
  );
  return routeInTgw(w, tgw, back, fw.id, firewalls);
}

/** The packet leaves the TGW into a VPC through an attachment ENI: that subnet's table decides. */
export function enterAttachment(w: Walk, att: TgwAttachment): Step {
  const { index } = w;
  const subnets = att.subnets.map((s) => index.resolve(s, 'subnet')).filter((s): s is Subnet => !!s);
  // Without appliance mode the TGW keeps the flow in the AZ it came from, when the attachment has one.
  const sameAz = subnets.find((s) => val(s.az) === w.az);
  const subnet = sameAz ?? subnets[0];
  const written = index.applianceModeOf(att);
  const mode = val(written);
  const modeText =
    mode === true
      ? 'appliance mode on'
      : mode === false
        ? 'appliance mode off'
        : `appliance mode not known${written !== att.applianceMode && isUnresolved(written) ? `: it ${written.reason}` : ''}`;
  const hop = addHop(
    w,
    {
      element: att.id,
      kind: 'tgwAttachment',
      name: nameOf(att),
      vpc: index.refId(att.vpc),
      ...(subnet && val(subnet.az) ? { az: val(subnet.az) } : {}),
      loc: att.loc,
    },
    `enters ${index.label(index.refId(att.vpc) ?? '?')} through attachment ${nameOf(att)}${subnet ? ` in ${index.label(subnet.id)}` : ''} (${modeText})`,
  );
  if (!subnet) {
    // Every subnet written but none known offline (a provider lookup, an apply-time id): some subnet of its VPC.
    if (att.subnets.length > 0 && att.subnets.every(isUnresolved)) return anySubnetOfVpc(w, att, hop, att.subnets[0]);
    return unknown(w, { cause: 'missing-input', what: 'attachment-subnet', attachment: att.id }, att.id);
  }
  const vpc = index.refId(subnet.vpc);
  const st = index.routeTableOfSubnet(subnet.id);
  if (!st || !vpc) {
    const undecided = index.undecidedTableOf(subnet.id);
    if (undecided) return unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: subnet.id, why: undecided }, subnet.id);
    return unknown(w, { cause: 'no-route-table', what: 'attachment-subnet-table', element: subnet.id }, subnet.id);
  }
  return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
}

/** How many tables' next hops a reason lists before counting the rest. */
const LISTED = 4;

/**
 * The packet enters through an attachment whose subnets are not known offline (`subnet_ids` from a provider
 * lookup such as `data.aws_subnets`, or an apply-time id): its interface is in some subnet of the attachment's
 * VPC, and that subnet's route table decides, the VPC's main table unless another table of the VPC is associated.
 * When the VPC and all its tables are in the inputs and every table sends the packet to `local` (a reply to an
 * address inside the VPC: only a more specific route to a middlebox would differ), the subnet does not matter;
 * when the VPC has only its main table, that table decides. Otherwise Unknown, saying where the tables differ.
 * No AZ is taken from the unknown subnet: the hop has none and the walk drops the AZ it had.
 */
function anySubnetOfVpc(w: Walk, att: TgwAttachment, hop: Hop, subnetIds: Unresolved): Step {
  const { index } = w;
  delete w.az;
  const stop = (why: string): Step =>
    noted(
      hop,
      unknown(
        w,
        {
          cause: 'unresolved-input',
          what: 'attachment-subnet-choice',
          attachment: att.id,
          text: subnetIds.text,
          reason: subnetIds.reason,
          why,
        },
        att.id,
      ),
    );
  const vpcId = index.refId(att.vpc);
  const vpc = vpcId ? index.resolve(vpcId, 'vpc') : undefined;
  if (!vpcId || !vpc) return stop('its VPC is not in the inputs');
  const v = nameOf(vpc);
  const outside = vpc.unreadModule ?? vpc.unreadParts ?? vpc.subnetsOutside;
  if (outside) return stop(`subnets of ${v} are not in the inputs (${outside.reason}), nor perhaps their route tables`);
  if (vpc.accountDefault) return stop(`${v} is the account's default VPC, whose subnets and route tables are not all in the inputs`);
  const main = index.mainRouteTable(vpcId);
  if (!main) return stop(`the main route table of ${v} is not in the inputs`);
  // A table of the VPC the inputs hold without knowing it: an association they cannot decide, a table whose VPC they cannot.
  for (const s of index.subnetsOfVpc(vpcId)) {
    const why = index.undecidedTableOf(s.id);
    if (why) return stop(why);
  }
  const stray = index.ofKind('routeTable').find((t) => t.cloud === 'aws' && !t.unplaced && isUnresolved(t.vpc));
  if (stray && isUnresolved(stray.vpc))
    return stop(
      `route table ${nameOf(stray)} (${where(stray.loc)}) may be a table of ${v}: its VPC \`${stray.vpc.text}\` cannot be decided offline (${stray.vpc.reason})`,
    );
  // An ingress table (associated with the IGW or VGW only) is no subnet's: the attachment's subnet is not on it.
  const ofVpc = index.routeTablesOfVpc(vpcId).filter((t) => t === main || !index.isEdgeOnlyTable(t.id));
  const tables = ofVpc.includes(main) ? ofVpc : [main, ...ofVpc];
  if (tables.length === 1 && tables[0] === main) {
    hop.note += `; its subnet is not known offline (\`${subnetIds.text}\`), but ${v} has only its main route table: it decides`;
    return { kind: 'route', from: hop, table: main, association: 'main', vpc: vpcId };
  }
  const others: string[] = [];
  let local = 0;
  for (const t of tables) {
    const name = `${nameOf(t)}${t === main ? ' (main)' : ''}`;
    const touched = index.unmodelledChanging(t.id, w.dst);
    if (touched.length > 0) {
      const u = touched[0];
      others.push(`${name} may be changed by ${u.resourceType} ${u.name || u.id} (${where(u.loc)}), which is not modelled`);
      continue;
    }
    const r = lookupFor(w, t, vpcId);
    if (r.kind === 'match' && r.route.target.kind === 'local' && r.route.state === 'active') local++;
    else if (r.kind === 'match')
      others.push(`${name} sends it to ${targetLabel(w, r.route.target)}${r.route.state === 'blackhole' ? ' (blackhole)' : ''}`);
    else if (r.kind === 'none') others.push(`${name} has no route for it`);
    else others.push(r.reason);
  }
  if (others.length === 0) {
    hop.note += `; its subnet is not known offline (\`${subnetIds.text}\`), but every route table of ${v} (${tables.length}, the main one included) sends ${w.dst} to local: the packet is delivered inside the VPC whichever subnet holds the attachment`;
    return deliverLocal(w, hop, vpcId);
  }
  const listed = others.length > LISTED ? [...others.slice(0, LISTED), `and ${others.length - LISTED} more`] : others;
  return stop(
    `the route tables of ${v} it may be in do not all send ${w.dst} to local: ${listed.join('; ')}${local === 1 ? '; the other one sends it to local' : local > 1 ? `; the other ${local} send it to local` : ''}`,
  );
}

export const tgwDesign: Design = {
  name: 'tgw',
  arrivals: {
    tgw: (w, tgw, s) => arriveTgw(w, tgw.id, s.vpc),
    tgwAttachment: (w, att, s) => {
      const tgw = w.index.refId(att.tgw);
      if (tgw) return arriveTgw(w, tgw, s.vpc);
      return unknown(w, { cause: 'missing-input', what: 'tgw-of', attachment: att.id }, att.id);
    },
  },
};
