// AWS Cloud WAN: a route naming a core network (`CoreNetworkArn`) sends traffic to the core network through the
// VPC's Cloud WAN attachment. Where the core network takes it is its policy's choice (segments, segment actions,
// service insertion), which the model does not read; what the inputs do decide is where it cannot go: to the
// internet, when no VPC attached to a core network in the inputs has a way out. A transit gateway peered with the
// core network gets its routes in the route tables attached to it: a destination no other route of such a table
// holds goes to the core network, which reaches the peered transit gateway's VPCs too. docs/domain.md, "Cloud WAN".
import type { NetworkElement, RouteTarget, Subnet, UnmodelledResource, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, isRfc1918, parseCidr, parseIp } from '../../model/cidr';
import type { Hop } from '../types';
import { val, type ModelIndex } from '../modelIndex';
import { addHop, dropped, dstRange, nameOf, noted, unknown, type Step, type Walk } from './walk';
import {
  needsAcceptance,
  placeAttachment,
  readCorePolicy,
  sendTo,
  serves,
  sharedInto,
  type CorePolicy,
  type Placement,
  type SegmentAction,
} from './corePolicy';

/**
 * Cloud WAN attachments other than VPC attachments and transit gateway peerings (with their route table
 * attachments), which are modelled: Connect, VPN, Direct Connect. What lies behind them is not modelled, and may
 * lead to the internet.
 */
const OTHER_ATTACHMENT =
  /^(AWS::NetworkManager::(ConnectAttachment|SiteToSiteVpnAttachment|DirectConnectGatewayAttachment)|aws_networkmanager_(connect_attachment|site_to_site_vpn_attachment|dx_gateway_attachment))$/;

/**
 * Kinds of element that give a VPC a way beyond itself: the internet, on-premises, other networks, a GWLB's
 * appliances (which may route out themselves).
 */
const EXIT_KINDS = ['igw', 'eigw', 'vgw', 'natgw', 'peering', 'tgwAttachment', 'gwlbe', 'aviatrixGateway'] as const;

function label(index: ModelIndex, u: NetworkElement): string {
  return `${index.label(u.id)} (${u.loc.file}:${u.loc.range.start.line + 1})`;
}

/**
 * The ways out of a VPC attached to the core network: its elements of EXIT_KINDS (or one whose VPC is not known,
 * which may be in it) and the unmodelled resources touching it; empty when it has none. An attachment to a
 * transit gateway peered with the core network (`peered`) is the way the core network reaches the VPC, not a
 * way out.
 */
function exitsOf(index: ModelIndex, vpc: string, peered: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const k of EXIT_KINDS)
    for (const e of index.ofKind(k)) {
      // A Network Firewall endpoint hands what it passes back to its own subnet's table: no way out by itself.
      if (e.kind === 'gwlbe' && e.flavor === 'networkFirewall') continue;
      if (e.kind === 'tgwAttachment' && peered.has(index.refId(e.tgw) ?? '')) continue;
      const at = e.kind === 'peering' ? [index.refId(e.vpc), index.refId(e.peerVpc)] : [index.vpcOf(e.id)];
      if (at.includes(vpc) || at.every((v) => v === undefined)) out.push(`${e.kind} ${label(index, e)}`);
    }
  for (const u of index.unmodelledTouching(vpc)) out.push(`${u.resourceType} ${label(index, u)}`);
  return out;
}

/** The VPCs a Cloud WAN VPC attachment attaches (those it touches), undefined when it names none of the inputs. */
function attachedVpcs(index: ModelIndex, u: UnmodelledResource): string[] {
  return u.touches.map((t) => index.resolve(index.refId(t) ?? '', 'vpc')?.id).filter((v): v is string => v !== undefined);
}

/** The transit gateway a Cloud WAN peering (role `corePeering`) peers with the core network, when in the inputs. */
function peeredTgw(index: ModelIndex, u: UnmodelledResource): string | undefined {
  for (const t of u.touches) {
    const tgw = index.resolve(index.refId(t) ?? '', 'tgw');
    if (tgw) return tgw.id;
  }
  return undefined;
}

/**
 * The Cloud WAN attachments of transit gateway route table `tableId` (role `coreRoutes`): the core network
 * propagates its routes into it. Empty when there are none (the common case: no unmodelled resource at all).
 */
export function coreRoutesOf(index: ModelIndex, tableId: string): UnmodelledResource[] {
  return index.coreRoutesOfTable(tableId);
}

/** How the packet entered the core network, for the undecided outcomes and the closed one. */
interface Entry {
  /** The core network as written (a route's `CoreNetworkArn`), or the peering it was entered through. */
  core: string;
  /** The hop at the core network. */
  hop: Hop;
  /** The VPC the packet comes from (never a destination the core network could lead it out of). */
  vpc: string;
  /** The element the outcome is placed at when no other says where. */
  at: string;
  /** Why the core network's policy, written in the inputs, cannot be read (beyondCore's reasons say so). */
  policy?: string;
}

/** The packet follows a route to a Cloud WAN core network (`t.ref`, often a parameter) from `vpc`. */
export function toCoreNetwork(w: Walk, from: Hop, t: RouteTarget, vpc: string, routeId: string): Step {
  const { index } = w;
  // As written (`!Ref CoreNetworkArn`: the parameter's name), else the element's label.
  const core =
    t.ref === undefined ? '(unnamed)' : isUnresolved(t.ref) ? t.ref.text.replace(/^!Ref\s+/, '') || t.ref.reason : index.label(t.ref);
  const own = index
    .ofKind('unmodelled')
    .filter((u) => u.role === 'attachment')
    .filter((u) => attachedVpcs(index, u).includes(vpc));
  if (own.length === 0)
    return noted(
      from,
      unknown(
        w,
        { cause: 'beyond-inputs', what: 'core-network', core, why: `the attachment of ${index.label(vpc)} to it is not in the inputs` },
        routeId,
      ),
    );
  const via = own[0];
  const hop = addHop(
    w,
    { element: via.id, kind: 'unmodelled', name: nameOf(via), vpc, loc: via.loc },
    `Cloud WAN core network ${core}, entered through attachment ${nameOf(via)}`,
  );
  const entry = { core, hop, vpc, at: via.id };
  return (own.length === 1 ? throughPolicy(w, entry, via) : undefined) ?? beyondCore(w, entry, own);
}

/** Cloud WAN core networks as written in Terraform and CloudFormation. */
const CORE_NETWORK = new Set(['aws_networkmanager_core_network', 'AWS::NetworkManager::CoreNetwork']);

/**
 * The policy of the core network attachment `att` joins, read; undefined when the inputs give it none (the core
 * network not in them, or no policy document); `why` when one is written but cannot be read offline.
 */
function policyOf(
  index: ModelIndex,
  att: UnmodelledResource,
): { policy: CorePolicy; core: UnmodelledResource } | { why: string } | undefined {
  let core: UnmodelledResource | undefined;
  for (const t of att.touches) {
    const e = index.get(index.refId(t) ?? '');
    if (e?.kind === 'unmodelled' && CORE_NETWORK.has(e.resourceType)) core = e;
  }
  if (!core) return undefined;
  const id = core.id;
  const docs: { from: UnmodelledResource; text: Val<string> }[] = [];
  for (const u of index.ofKind('unmodelled'))
    if (u.role === 'corePolicy' && u.corePolicy !== undefined && u.touches.some((t) => index.refId(t) === id))
      docs.push({ from: u, text: u.corePolicy });
  // A base policy is live until a policy attachment puts its own.
  if (core.corePolicy !== undefined && !(core.corePolicyBase && docs.length > 0)) docs.unshift({ from: core, text: core.corePolicy });
  if (docs.length === 0) return undefined;
  if (docs.length > 1)
    return { why: `${docs.map((d) => label(index, d.from)).join(' and ')} both give it a policy document: which one is live is not known` };
  const { from, text } = docs[0];
  if (isUnresolved(text))
    return { why: `the policy document of ${label(index, from)} is not known offline (\`${text.text}\`: ${text.reason})` };
  const policy = readCorePolicy(text);
  if ('error' in policy) return { why: `the policy document of ${label(index, from)} cannot be read: ${policy.error}` };
  return { policy, core };
}

/** The VPC attachments of core network `core` in the inputs. */
function attachmentsOf(index: ModelIndex, core: string): UnmodelledResource[] {
  return index.ofKind('unmodelled').filter((u) => u.role === 'attachment' && u.touches.some((t) => index.refId(t) === core));
}

/** The region of an attachment's VPC (the core network's edge location it joins), when known. */
function regionOf(index: ModelIndex, att: UnmodelledResource): Val<string> | undefined {
  const v = attachedVpcs(index, att)[0];
  return v === undefined ? undefined : index.resolve(v, 'vpc')?.region;
}

function placementOf(index: ModelIndex, policy: CorePolicy, att: UnmodelledResource): Placement {
  return placeAttachment(policy, att.coreTags ?? {}, regionOf(index, att));
}

/**
 * Why attachment `att`, placed by `p`, carries nothing yet: its segment or network function group (or the
 * attachment policy placing it) requires acceptance and no attachment accepter of the inputs names it.
 */
function pendingAcceptance(index: ModelIndex, policy: CorePolicy, att: UnmodelledResource, p: Placement): string | undefined {
  if (!needsAcceptance(policy, p)) return undefined;
  const accepted = index.ofKind('unmodelled').some((u) => u.role === 'coreAccepter' && u.touches.some((t) => index.refId(t) === att.id));
  if (accepted) return undefined;
  const by =
    'rule' in p && p.rule.requireAcceptance
      ? `attachment policy ${p.rule.rule} requires its acceptance`
      : `${placed(p)} requires acceptance of its attachments (require-attachment-acceptance, true unless written false)`;
  return `its policy puts ${nameOf(att)} in ${placed(p)} and ${by}, and no attachment accepter (aws_networkmanager_attachment_accepter) in the inputs names ${nameOf(att)}: until it is accepted outside the inputs, it carries no traffic`;
}

/**
 * Why segment `from`, whose routes share action `by` brings into another segment, may hold a route to `dst` (an
 * internet address): its own send-to (a default route to a network function group), or a create-route holding
 * `dst` (static routes are not shared in mode attachment-route). Its attachment routes are its VPCs' CIDRs.
 */
function sharedRoute(policy: CorePolicy, from: string, by: SegmentAction, dst: string): string | undefined {
  const ip = parseIp(dst);
  const theirs = policy.segmentActions.filter((a) => a.segment === from);
  const to = theirs.find((a) => a.action === 'send-to');
  if (to)
    return `segment ${from} sends its traffic to network function group ${to.nfgs.join(', ')} (its send-to), a default route of its own`;
  if (by.mode === 'attachment-route') return undefined;
  for (const a of theirs) {
    if (a.action !== 'create-route') continue;
    const holds = a.cidrs.find((c) => {
      const cidr = parseCidr(c);
      return !cidr || !ip || cidrContainsIp(cidr, ip);
    });
    if (holds !== undefined || a.cidrs.length === 0)
      return `segment ${from} has a create-route ${holds ?? '(no destination read)'} holding ${dst}, which the share brings (its mode is not attachment-route)`;
  }
  return undefined;
}

/** How a placement is told. */
function placed(p: Placement): string {
  return 'segment' in p
    ? `segment ${p.segment}`
    : 'nfg' in p
      ? `network function group ${p.nfg}`
      : 'none' in p
        ? 'no segment'
        : 'an undecided segment';
}

/**
 * The core network's policy is in the inputs: where it takes the packet that entered through attachment `via`.
 * An attachment in a segment whose `send-to` names a network function group: an address outside the VPCs the core
 * network joins (the internet) follows the segment's default route to the group's attachment in the same region,
 * whose subnet's route table then decides. An attachment of a network function group: a reply to a VPC of a segment
 * the group serves (send-to, send-via) goes back to that VPC's attachment. Undefined where the policy does not
 * decide more than the model without it (the caller's reading then stands); Unknown naming what is missing.
 */
function throughPolicy(w: Walk, e: Entry, via: UnmodelledResource): Step | undefined {
  const { index } = w;
  const p = policyOf(index, via);
  if (!p) return undefined;
  if ('why' in p) {
    e.policy = p.why;
    return undefined;
  }
  const { policy, core } = p;
  const unmodelled = index.ofKind('unmodelled');
  // Routes a VPN, Connect or Direct Connect attachment or a peered transit gateway propagates are not modelled.
  if (unmodelled.some((u) => OTHER_ATTACHMENT.test(u.resourceType) || u.role === 'corePeering' || u.role === 'coreRoutes'))
    return undefined;
  const beyond = (why: string, id: string): Step =>
    noted(e.hop, unknown(w, { cause: 'beyond-inputs', what: 'core-network', core: e.core, why }, id));
  const mine = placementOf(index, policy, via);
  if ('unknown' in mine) return beyond(`which segment its policy puts ${nameOf(via)} in is not decided: ${mine.unknown}`, via.id);
  if ('none' in mine)
    return beyond(`no attachment policy of its policy puts ${nameOf(via)} in a segment or network function group`, via.id);
  // An attachment waiting for acceptance carries nothing, whatever the destination.
  const waiting = pendingAcceptance(index, policy, via, mine);
  const attachments = attachmentsOf(index, core.id);
  if ('nfg' in mine) return waiting ? beyond(waiting, via.id) : fromFunctionGroup(w, e, policy, mine.nfg, attachments, beyond);
  const segment = mine.segment;
  if (!policy.segments.some((x) => x.name === segment))
    return beyond(`its policy puts ${nameOf(via)} in segment ${segment}, which it does not define`, via.id);
  if (waiting) return beyond(waiting, via.id);
  // Only an internet address: one of the core network's VPCs, or another private address, is a route of a segment.
  const dst = parseIp(w.dst);
  if (w.direction !== 'forward' || !dst || dst.family !== 4 || isRfc1918(w.dst) || index.vpcContainingIp(w.dst) !== undefined)
    return undefined;
  const created = policy.segmentActions.find((a) => a.action === 'create-route' && a.segment === segment);
  if (created) return beyond(`its policy's create-route action of segment ${segment} is not read`, via.id);
  // Shares are both ways: one written on another segment whose share-with covers this one counts alike.
  const shared = sharedInto(policy, segment);
  for (const { from, by } of shared) {
    const why = sharedRoute(policy, from, by, w.dst);
    if (why)
      return beyond(
        `its policy's share action of segment ${by.segment} shares the routes of segment ${from} with segment ${segment}, beside its send-to: ${why}`,
        via.id,
      );
  }
  const actions = sendTo(policy, segment);
  if (actions.length === 0) return undefined;
  const act = actions[0];
  if (actions.length > 1 || act.nfgs.length !== 1)
    return beyond(
      `segment ${segment} sends its traffic to ${actions.flatMap((a) => a.nfgs).join(', ')}: which group's attachment takes it is not read`,
      via.id,
    );
  const nfg = act.nfgs[0];
  if (act.overrides) return beyond(`the send-to of segment ${segment} to ${nfg} has edge overrides, which are not read`, via.id);
  const region = regionOf(index, via);
  if (region === undefined || isUnresolved(region))
    return beyond(
      `segment ${segment} sends it to network function group ${nfg}, whose attachment in the region of ${index.label(e.vpc)} serves it, and that region is ${region === undefined ? 'not in the inputs' : `not known offline (\`${region.text}\`: ${region.reason})`}`,
      via.id,
    );
  const edges = policy.segments.find((x) => x.name === segment)?.edgeLocations;
  if (edges && !edges.includes(region))
    return beyond(
      `segment ${segment} has no edge location in ${region} (its edge-locations: ${edges.join(', ') || 'none'}), where ${index.label(e.vpc)} is`,
      via.id,
    );
  const candidates: UnmodelledResource[] = [];
  for (const a of attachments) {
    if (a === via) continue;
    const at = placementOf(index, policy, a);
    if (!('unknown' in at) && !('nfg' in at && at.nfg === nfg)) continue;
    const r = regionOf(index, a);
    if (r !== undefined && !isUnresolved(r) && r !== region) continue;
    if ('unknown' in at)
      return beyond(`attachment ${label(index, a)} may be one of network function group ${nfg} in ${region}: ${at.unknown}`, a.id);
    if (r === undefined || isUnresolved(r))
      return beyond(
        `attachment ${label(index, a)} of network function group ${nfg} may be in ${region}: the region of its VPC is not known offline`,
        a.id,
      );
    candidates.push(a);
  }
  if (candidates.length !== 1)
    return beyond(
      candidates.length === 0
        ? `segment ${segment} sends it to network function group ${nfg}, which has no attachment in ${region} in the inputs: which edge's attachment serves it (edge overrides, another region) is not read`
        : `segment ${segment} sends it to network function group ${nfg}, which has ${candidates.length} attachments in ${region} (${candidates.map((a) => label(index, a)).join(', ')}): which one takes it is not known`,
      via.id,
    );
  const waitingFor = pendingAcceptance(index, policy, candidates[0], placementOf(index, policy, candidates[0]));
  if (waitingFor) return beyond(waitingFor, candidates[0].id);
  const sharing = [...new Set(shared.map((x) => x.from))];
  e.hop.note += `; its policy puts ${nameOf(via)} in segment ${segment}, whose send-to sends what leaves the segment to network function group ${nfg}: its attachment in ${region} is ${nameOf(candidates[0])} (this assumes no attachment outside the inputs joins the group in ${region}${sharing.length > 0 ? `, nor a VPN, Connect or Direct Connect attachment outside the inputs segment ${sharing.join(', ')}, shared with it` : ''})`;
  return enterCoreAttachment(w, candidates[0]);
}

/**
 * The packet entered the core network through an attachment of network function group `nfg`: to the VPC holding
 * its destination, when that VPC's attachment is in a segment the group serves.
 */
function fromFunctionGroup(
  w: Walk,
  e: Entry,
  policy: CorePolicy,
  nfg: string,
  attachments: UnmodelledResource[],
  beyond: (why: string, id: string) => Step,
): Step | undefined {
  const { index } = w;
  const range = dstRange(w);
  const vpc = range ? range.vpc : index.vpcContainingIp(w.dst);
  if (vpc === undefined || vpc === e.vpc) return undefined;
  const theirs = attachments.filter((a) => attachedVpcs(index, a).includes(vpc));
  if (theirs.length !== 1) return undefined;
  const att = theirs[0];
  const at = placementOf(index, policy, att);
  if ('unknown' in at) return beyond(`which segment its policy puts ${nameOf(att)} in is not decided: ${at.unknown}`, att.id);
  if (!('segment' in at) || !serves(policy, nfg, at.segment))
    return beyond(
      `its policy puts ${nameOf(att)} in ${placed(at)}, which network function group ${nfg} does not serve (no send-to or send-via through it): the route back is not read`,
      att.id,
    );
  // The attachment it would leave by carries nothing until accepted, on a reply as on the way out (a VPC that went out
  // another way, a transit gateway say, gets its replies over Cloud WAN only through an accepted attachment).
  const waiting = pendingAcceptance(index, policy, att, at);
  if (waiting) return beyond(waiting, att.id);
  e.hop.note += `; its policy puts the attachment in network function group ${nfg}, which serves segment ${at.segment} of ${nameOf(att)}: back to ${index.label(vpc)}`;
  return enterCoreAttachment(w, att);
}

/** The packet leaves the core network into a VPC through its Cloud WAN attachment: the attachment subnet's table decides. */
function enterCoreAttachment(w: Walk, att: UnmodelledResource): Step {
  const { index } = w;
  const vpc = attachedVpcs(index, att)[0];
  const subnets = att.touches.map((t) => index.resolve(index.refId(t) ?? '', 'subnet')).filter((s): s is Subnet => s !== undefined);
  const subnet = subnets.find((s) => val(s.az) === w.az) ?? subnets[0];
  const az = subnet ? val(subnet.az) : undefined;
  const hop = addHop(
    w,
    { element: att.id, kind: 'unmodelled', name: nameOf(att), vpc, ...(az ? { az } : {}), loc: att.loc },
    `enters ${index.label(vpc)} through Cloud WAN attachment ${nameOf(att)}${subnet ? ` in ${index.label(subnet.id)}` : ''}`,
  );
  if (!subnet) return unknown(w, { cause: 'missing-input', what: 'attachment-subnet', attachment: att.id }, att.id);
  const st = index.routeTableOfSubnet(subnet.id);
  if (!st) {
    const undecided = index.undecidedTableOf(subnet.id);
    if (undecided)
      return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: subnet.id, why: undecided }, subnet.id));
    return noted(hop, unknown(w, { cause: 'no-route-table', what: 'attachment-subnet-table', element: subnet.id }, subnet.id));
  }
  return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
}

/**
 * The packet leaves transit gateway `tgw` for the Cloud WAN core network its route table `tableId` is attached
 * to (`attachments`, role `coreRoutes`): no other route of the table holds the destination, so the core
 * network's routes decide, if it has one.
 */
export function fromTgwToCoreNetwork(w: Walk, from: Hop, tableId: string, attachments: UnmodelledResource[], vpc: string): Step {
  const { index } = w;
  const via = attachments[0];
  const peering = via.touches
    .map((t) => index.get(index.refId(t) ?? ''))
    .find((e): e is UnmodelledResource => e?.kind === 'unmodelled' && e.role === 'corePeering');
  const core = `peered through ${peering ? nameOf(peering) : nameOf(via)}`;
  from.note += `; no other route of TGW route table ${index.label(tableId)} holds ${w.dst}: the Cloud WAN core network it is attached to (${nameOf(via)}) decides`;
  const hop = addHop(
    w,
    { element: via.id, kind: 'unmodelled', name: nameOf(via), loc: via.loc },
    `Cloud WAN core network ${core}, entered through route table attachment ${nameOf(via)}`,
  );
  return beyondCore(w, { core, hop, vpc, at: via.id }, []);
}

/**
 * Where the core network may take the packet: to every VPC attached to a core network in the inputs (through a
 * VPC attachment, or to a transit gateway peered with one). Dropped (`core-network-closed`) when none of them,
 * nor a peered transit gateway, has a way out; Unknown naming the reason otherwise. `own`: the source VPC's own
 * attachments, which lead nowhere else.
 */
function beyondCore(w: Walk, e: Entry, own: UnmodelledResource[]): Step {
  const { index } = w;
  const { core, hop, vpc } = e;
  // Every undecided outcome: the core network may carry the traffic beyond the inputs, for the reason given.
  const beyond = (why: string, id: string): Step => noted(hop, unknown(w, { cause: 'beyond-inputs', what: 'core-network', core, why }, id));
  const unmodelled = index.ofKind('unmodelled');
  const other = unmodelled.filter((u) => OTHER_ATTACHMENT.test(u.resourceType));
  if (other.length > 0)
    return beyond(
      `it may send the traffic to ${other.map((u) => `${u.resourceType} ${label(index, u)}`).join(', ')}, which is not modelled`,
      other[0].id,
    );
  const others = unmodelled.filter((u) => u.role === 'attachment' && !own.includes(u));
  const unplaced = others.filter((u) => attachedVpcs(index, u).length === 0);
  if (unplaced.length > 0)
    return beyond(
      `it may send the traffic to the VPC of ${unplaced.map((u) => label(index, u)).join(', ')}, which is not in the inputs`,
      unplaced[0].id,
    );
  // Transit gateways peered with the core network: the core network reaches every VPC attached to them.
  const peerings = unmodelled.filter((u) => u.role === 'corePeering');
  const unpeered = peerings.filter((u) => peeredTgw(index, u) === undefined);
  if (unpeered.length > 0)
    return beyond(
      `it may send the traffic to the transit gateway of ${unpeered.map((u) => label(index, u)).join(', ')}, which is not in the inputs`,
      unpeered[0].id,
    );
  const tgws = [...new Set(peerings.map((u) => peeredTgw(index, u)!))];
  const peered = new Set(tgws);
  for (const t of tgws) {
    // A VPN, Connect, peering or custom resource naming the transit gateway: what it leads to is not modelled.
    const by = index.unmodelledTouching(t);
    if (by.length > 0)
      return beyond(
        `it may send the traffic to transit gateway ${index.label(t)}, which ${by.map((u) => `${u.resourceType} ${label(index, u)}`).join(', ')} may lead elsewhere (not modelled)`,
        by[0].id,
      );
  }
  const attached = [
    ...new Set([
      ...others.flatMap((u) => attachedVpcs(index, u)),
      ...tgws.flatMap((t) => index.tgwAttachmentsOfTgw(t).map((a) => index.refId(a.vpc) ?? '')),
    ]),
  ].filter((v) => v !== vpc);
  if (attached.some((v) => v === ''))
    return beyond(`a VPC attached to transit gateway ${tgws.map((t) => index.label(t)).join(', ')} is not in the inputs`, tgws[0]);
  if (attached.length === 0) return beyond(`no other VPC attached to a core network is in the inputs: where it leads is not known`, e.at);
  for (const v of attached) {
    const exits = exitsOf(index, v, peered);
    if (exits.length > 0)
      return beyond(
        `it may send the traffic to ${index.label(v)}, which has a way out (${exits.slice(0, 3).join(', ')}${exits.length > 3 ? ', ...' : ''}), or elsewhere: its policy (segments, segment actions) decides and ${e.policy ? `is not read: ${e.policy}` : 'is not read'}`,
        v,
      );
  }
  return noted(hop, dropped(w, { cause: 'core-network-closed', core, attached, ...(tgws.length > 0 ? { tgws } : {}) }, e.at));
}
