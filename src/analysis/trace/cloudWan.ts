// AWS Cloud WAN: a route naming a core network (`CoreNetworkArn`) sends traffic to the core network through the
// VPC's Cloud WAN attachment. Where the core network takes it is its policy's choice (segments, segment actions,
// service insertion), which the model does not read; what the inputs do decide is where it cannot go: to the
// internet, when no VPC attached to a core network in the inputs has a way out. A transit gateway peered with the
// core network gets its routes in the route tables attached to it: a destination no other route of such a table
// holds goes to the core network, which reaches the peered transit gateway's VPCs too. docs/domain.md, "Cloud WAN".
import type { NetworkElement, RouteTarget, UnmodelledResource } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import { addHop, dropped, nameOf, noted, unknown, type Step, type Walk } from './walk';

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
  return beyondCore(w, { core, hop, vpc, at: via.id }, own);
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
        `it may send the traffic to ${index.label(v)}, which has a way out (${exits.slice(0, 3).join(', ')}${exits.length > 3 ? ', ...' : ''}), or elsewhere: its policy (segments, segment actions) decides and is not read`,
        v,
      );
  }
  return noted(hop, dropped(w, { cause: 'core-network-closed', core, attached, ...(tgws.length > 0 ? { tgws } : {}) }, e.at));
}
