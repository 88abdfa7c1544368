// AWS Cloud WAN: a route naming a core network (`CoreNetworkArn`) sends traffic to the core network through the
// VPC's Cloud WAN attachment. Where the core network takes it is its policy's choice (segments, segment actions,
// service insertion), which the model does not read; what the inputs do decide is where it cannot go: to the
// internet, when no VPC attached to a core network in the inputs has a way out. docs/domain.md, "Cloud WAN".
import type { NetworkElement, RouteTarget, UnmodelledResource } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import { addHop, dropped, nameOf, noted, unknown, type Step, type Walk } from './walk';

/**
 * Cloud WAN attachments other than VPC attachments (Connect, transit gateway peering and route table
 * attachments, VPN, Direct Connect): what lies behind them is not modelled, and may lead to the internet.
 */
const OTHER_ATTACHMENT =
  /^(AWS::NetworkManager::(ConnectAttachment|TransitGatewayPeering|TransitGatewayRouteTableAttachment|SiteToSiteVpnAttachment|DirectConnectGatewayAttachment)|aws_networkmanager_(connect_attachment|transit_gateway_peering|transit_gateway_route_table_attachment|site_to_site_vpn_attachment|dx_gateway_attachment))$/;

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
 * which may be in it) and the unmodelled resources touching it; empty when it has none.
 */
function exitsOf(index: ModelIndex, vpc: string): string[] {
  const out: string[] = [];
  for (const k of EXIT_KINDS)
    for (const e of index.ofKind(k)) {
      // A Network Firewall endpoint hands what it passes back to its own subnet's table: no way out by itself.
      if (e.kind === 'gwlbe' && e.flavor === 'networkFirewall') continue;
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

/** The packet follows a route to a Cloud WAN core network (`t.ref`, often a parameter) from `vpc`. */
export function toCoreNetwork(w: Walk, from: Hop, t: RouteTarget, vpc: string, routeId: string): Step {
  const { index } = w;
  // As written (`!Ref CoreNetworkArn`: the parameter's name), else the element's label.
  const core =
    t.ref === undefined ? '(unnamed)' : isUnresolved(t.ref) ? t.ref.text.replace(/^!Ref\s+/, '') || t.ref.reason : index.label(t.ref);
  // Every undecided outcome: the core network may carry the traffic beyond the inputs, for the reason given.
  const beyond = (at: Hop, why: string, id: string): Step =>
    noted(at, unknown(w, { cause: 'beyond-inputs', what: 'core-network', core, why }, id));
  const unmodelled = index.ofKind('unmodelled');
  const attachments = unmodelled.filter((u) => u.role === 'attachment');
  const own = attachments.filter((u) => attachedVpcs(index, u).includes(vpc));
  if (own.length === 0) return beyond(from, `the attachment of ${index.label(vpc)} to it is not in the inputs`, routeId);
  const via = own[0];
  const hop = addHop(
    w,
    { element: via.id, kind: 'unmodelled', name: nameOf(via), vpc, loc: via.loc },
    `Cloud WAN core network ${core}, entered through attachment ${nameOf(via)}`,
  );
  const other = unmodelled.filter((u) => OTHER_ATTACHMENT.test(u.resourceType));
  if (other.length > 0)
    return beyond(
      hop,
      `it may send the traffic to ${other.map((u) => `${u.resourceType} ${label(index, u)}`).join(', ')}, which is not modelled`,
      other[0].id,
    );
  const others = attachments.filter((u) => !own.includes(u));
  const unplaced = others.filter((u) => attachedVpcs(index, u).length === 0);
  if (unplaced.length > 0)
    return beyond(
      hop,
      `it may send the traffic to the VPC of ${unplaced.map((u) => label(index, u)).join(', ')}, which is not in the inputs`,
      unplaced[0].id,
    );
  const attached = [...new Set(others.flatMap((u) => attachedVpcs(index, u)))].filter((v) => v !== vpc);
  if (attached.length === 0)
    return beyond(hop, `no other VPC attached to a core network is in the inputs: where it leads is not known`, via.id);
  for (const v of attached) {
    const exits = exitsOf(index, v);
    if (exits.length > 0)
      return beyond(
        hop,
        `it may send the traffic to ${index.label(v)}, which has a way out (${exits.slice(0, 3).join(', ')}${exits.length > 3 ? ', ...' : ''}), or elsewhere: its policy (segments, segment actions) decides and is not read`,
        v,
      );
  }
  return noted(hop, dropped(w, { cause: 'core-network-closed', core, attached }, via.id));
}
