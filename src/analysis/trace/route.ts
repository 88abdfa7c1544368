// Route lookup and dispatch: the table decides, the target receives. Vendor semantics stay with the
// arrival of the packet at the target (arrive.ts), except a VNet's system routes, which are the implicit
// entries of every Azure route table.
import type { AviatrixGateway, NetworkElement, Ref, Route, RouteTable, RouteTarget, UnmodelledResource } from '../../model/types';
import { cidrContainsIp, isRfc1918, parseCidr, parseIp } from '../../model/cidr';
import { where } from '../../model/where';
import { isUnresolved } from '../../model/types';
import type { Hop, RouteDecision } from '../types';
import { val } from '../modelIndex';
import { lookupRoute, type NarrowRoute, type RouteLookup } from '../routing';
import { lookupRange } from './addressRange';
import { azureSystemRoute, toInternet } from './azure';
import { toCoreNetwork } from './cloudWan';
import { arrivePick } from './endpointPick';
import { gatewayWord, localEgressSpoke } from './aviatrix';
import { gatewayRouteOverUdr } from './vnetGateway';
import { dropped, dstRange, nameOf, noted, revisits, unknown, type Association, type RouteStep, type Step, type Walk } from './walk';
import { writtenToDrop } from './outcome';

export function decision(
  table: RouteTable,
  association: Association,
  route: { id: string; loc: Hop['loc']; implicit?: boolean } | undefined,
  destination: string,
  target: string,
): RouteDecision {
  return {
    routeTable: table.id,
    // Synthesised `local` routes have no id of their own in the model.
    ...(route && !route.id.includes('#local:') ? { route: route.id } : {}),
    destination,
    target,
    ...(route?.loc ? { loc: route.loc } : {}),
    association,
  };
}

export function targetLabel(w: Walk, t: RouteTarget): string {
  if (t.kind === 'local' || t.kind === 'vnetLocal') return 'local';
  if (t.kind === 'internet') return 'Internet';
  if (t.kind === 'none') return 'None';
  if (t.ref !== undefined) return isUnresolved(t.ref) ? t.ref.text : w.index.label(t.ref);
  if (t.ip !== undefined) return isUnresolved(t.ip) ? t.ip.text : t.ip;
  return t.kind;
}

/** Local delivery inside a VPC: the element owning the destination address, else its subnet. */
export function deliverLocal(w: Walk, from: Hop, vpc: string): Step {
  const { index } = w;
  // A NAT GW's private IP is often computed at apply time: the translation we made tells who owns it.
  const snat = w.translations.find((t) => t.kind === 'snat' && t.to === w.dst);
  const natOwner = snat ? index.get(snat.by) : undefined;
  if (
    (natOwner?.kind === 'natgw' || natOwner?.kind === 'eni' || natOwner?.kind === 'instance' || natOwner?.kind === 'firewall') &&
    index.vpcOf(natOwner.id) === vpc
  )
    return { kind: 'arrive', element: natOwner, from, vpc };
  const range = dstRange(w);
  if (range) {
    // Only its own VPC holds a range-only address (a local route of another VPC never matches it).
    const s = range.vpc === vpc ? index.resolve(range.subnet, 'subnet') : undefined;
    if (s) return { kind: 'arrive', element: s, from, vpc };
    return unknown(w, { cause: 'unresolved-input', what: 'source-address', source: range.subnet }, from.element);
  }
  // A subnet's stand-in address (its CIDR is not known): that subnet holds it.
  const b = w.borrowed;
  if (b && w.dst === b.ip) {
    const s = index.resolve(b.subnet, 'subnet');
    if (s && index.refId(s.vpc) === vpc) return { kind: 'arrive', element: s, from, vpc };
  }
  const owner = index.elementByIp(w.dst);
  // The reply ends at the source subnet (where the forward leg started), not at the instance inside it.
  const toOrigin = w.direction === 'return' && w.dst === w.origin && owner?.kind === 'instance';
  if (owner && !toOrigin && index.vpcOf(owner.id) === vpc) return { kind: 'arrive', element: owner, from, vpc };
  const s = index.subnetContainingIp(w.dst, vpc);
  if (s) return { kind: 'arrive', element: s, from, vpc };
  return dropped(w, { cause: 'no-subnet', vpc, ip: w.dst }, from.element);
}

/** The lookup in `table` (a route table, or a VNet's system routes) is Unknown: unmodelled resources may change it. */
export function unmodelledRoutes(w: Walk, from: Hop, table: string, touched: UnmodelledResource[]): Step {
  const scoped = touched.every((u) => w.index.destinationNets(u) !== undefined);
  return noted(
    from,
    unknown(
      w,
      {
        cause: 'unresolved-input',
        what: 'unmodelled-table',
        table,
        by: touched.map((u) => u.id),
        ...(scoped ? { ip: w.dst } : {}),
      },
      touched[0].id,
    ),
  );
}

/** The lookup of the walk's destination in a table: an exact address, or the source's range-only address. */
export function lookupFor(w: Walk, table: RouteTable, vpc: string | undefined): RouteLookup {
  const range = dstRange(w);
  return range ? lookupRange(w.index, table, vpc, range) : lookupRoute(w.index, table, vpc, w.dst, w.standIn === w.dst);
}

/** A route a lookup of the internet stand-in left out: its destination as written, length, and why its address is unknown. */
export interface NarrowNoted {
  destination: string;
  bits: number;
  unknown?: string;
  target: string;
}

/**
 * Narration of routes to a few addresses that a lookup of the internet stand-in left out (routing.ts,
 * NARROW_BITS): where traffic to those addresses goes instead of the path traced.
 */
export function narrowNote(w: Walk, routes: NarrowNoted[]): string {
  return routes
    .map(({ destination, bits, unknown, target }) => {
      const n = (w.dst.includes(':') ? 128 : 32) - bits;
      const many = n === 0 ? 'one address' : n <= 8 ? `${2 ** n} addresses` : `one /${bits} block`;
      return unknown !== undefined
        ? `; route ${destination} -> ${target} is left out: its address is not known offline (${unknown}), and it takes traffic to ${many} only, not to the internet in general`
        : `; route ${destination} -> ${target} is left out: it takes traffic to ${many} only, not to the internet in general, which ${w.dst} only stands for here`;
    })
    .join('');
}

/** Route lookup in `table` for the current packet, attaching the decision to `from`. */
export function routeStep(w: Walk, s: RouteStep): Step {
  const { index } = w;
  const { from, table, association, vpc } = s;
  const seen = revisits(w, from, table);
  // A custom resource or script that names this table (or its VPC) may have rewritten its routes: any of
  // them, or those for the destinations it names (then only a lookup of an address inside one is in doubt).
  const touched = index.unmodelledChanging(table.id, w.dst);
  if (touched.length > 0 && !seen) return unmodelledRoutes(w, from, table.id, touched);
  let r = lookupFor(w, table, vpc);
  const tableName = nameOf(table);
  // An Aviatrix spoke's placeholder 0.0.0.0/0 -> None (ignore_changes = [route]): the controller's default route.
  const controller = r.kind === 'unknown' && !seen ? controllerDefault(w, table, vpc, r.route) : undefined;
  if (controller) {
    r = lookupFor(w, { ...table, routes: table.routes.filter((x) => x !== controller.placeholder) }, vpc);
    if (r.kind === 'none') {
      from.decision = decision(table, association, controller.placeholder, '0.0.0.0/0', nameOf(controller.spoke));
      from.note += `; route 0.0.0.0/0 -> None in ${tableName} is a placeholder Terraform ignores (ignore_changes = [route]): the Aviatrix controller replaces it with its default route to spoke gateway ${nameOf(controller.spoke)} (local egress, SNAT)`;
      return { kind: 'arrive', element: controller.spoke, from, vpc };
    }
  }
  if (seen) {
    if (r.kind === 'match') from.decision = decision(table, association, r.route, r.destination, targetLabel(w, r.route.target));
    from.note += `; ${tableName} already sent this packet on from here: routing loop`;
    return { kind: 'end', outcome: { kind: 'loop', at: from.element } };
  }
  if (r.kind === 'unknown')
    return noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: r.reason }, from.element));
  if (r.kind === 'none') {
    if (r.narrow) from.note += narrowNote(w, r.narrow.map(narrowOf(w)));
    if (index.resolve(vpc, 'vpc')?.flavor === 'vnet') {
      const step = azureSystemRoute(w, from, vpc, table, association);
      if (r.sameAsTags) from.note += sameAsTagsNote(r.sameAsTags);
      return step;
    }
    const programmed = controllerPrivateDefault(w, table, vpc);
    if (programmed?.spoke) {
      from.decision = decision(table, association, undefined, '0.0.0.0/0', nameOf(programmed.spoke));
      from.note += `; ${tableName} has no route of its own for ${w.dst}: the Aviatrix controller programs 0.0.0.0/0 -> ${gatewayWord(programmed.spoke)} ${nameOf(programmed.spoke)} into its VPC's private route tables (${programmed.why})`;
      return { kind: 'arrive', element: programmed.spoke, from, vpc };
    }
    if (programmed)
      return noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: programmed.why }, from.element));
    // The table that had no route decided the drop: named on the hop (no route id, target `none`), so every surface
    // can point at it (the topology keeps it undimmed, F233).
    from.decision = decision(table, association, undefined, w.dst, 'none');
    return noted(from, dropped(w, { cause: 'no-route', table: table.id, ip: w.dst }, from.element));
  }
  const route = r.route;
  const tgt = targetLabel(w, route.target);
  const fqdn = r.matched.prefix === 0 && table.cloud === 'aws' ? egressOverDefault(w, table, vpc, route) : undefined;
  if (fqdn) {
    from.decision = decision(table, association, route, '0.0.0.0/0', nameOf(fqdn));
    from.note += `; route 0.0.0.0/0 -> ${tgt} in ${tableName} goes elsewhere than an internet gateway, so the Aviatrix controller points it to egress gateway ${nameOf(fqdn)} when its FQDN filtering is on (it keeps the old target to restore)`;
    return { kind: 'arrive', element: fqdn, from, vpc };
  }
  const overwritten = r.matched.prefix === 0 && table.cloud === 'aws' ? controllerOverDefault(w, table, vpc, route, tgt) : undefined;
  if (overwritten) return noted(from, unknown(w, { cause: 'unresolved-input', what: 'route-lookup', detail: overwritten }, from.element));
  from.decision = decision(table, association, route, r.destination, tgt);
  from.note += `; route ${r.destination} -> ${tgt} in ${tableName}${association === 'main' ? ' (main route table)' : association === 'edge' ? ' (IGW edge route table)' : ''}`;
  if (r.sameAsTags) from.note += sameAsTagsNote(r.sameAsTags);
  if (r.narrow) from.note += narrowNote(w, r.narrow.map(narrowOf(w)));
  // Azure: a gateway route longer than the UDR wins over it (a UDR to the gateway leads there anyway).
  if (table.cloud === 'azure' && !route.implicit && route.target.kind !== 'vnetGateway') {
    const learned = gatewayRouteOverUdr(w, from, vpc, table, { bits: r.matched.prefix, destination: r.destination, target: tgt });
    if (learned) return learned;
  }
  if (route.state === 'blackhole')
    return dropped(
      w,
      { cause: 'blackhole', table: table.id, destination: r.destination, ...(writtenToDrop(table) ? { written: true as const } : {}) },
      route.id,
    );
  return dispatch(w, from, route.target, vpc, route.id);
}

/**
 * The default route an Aviatrix controller writes over a placeholder: `0.0.0.0/0 -> None` in an Azure table whose
 * routes Terraform ignores (Route.placeholder), in a VNet that hosts an Aviatrix spoke gateway with SNAT (local
 * egress: the controller points the private tables' default route at it), looked up for a public address. Any
 * other case (no spoke, SNAT off or undecided, a private destination the controller may route elsewhere) stays
 * Unknown at the placeholder.
 */
function controllerDefault(
  w: Walk,
  table: RouteTable,
  vpc: string,
  placeholder: Route | undefined,
): { placeholder: Route; spoke: AviatrixGateway } | undefined {
  if (!placeholder?.placeholder || table.cloud !== 'azure' || w.dst.includes(':') || isRfc1918(w.dst)) return undefined;
  if (!('cidr' in placeholder.destination) || placeholder.destination.cidr !== '0.0.0.0/0') return undefined;
  const spoke = localEgressSpoke(w.index, vpc);
  return spoke && val(spoke.snat) === true ? { placeholder, spoke } : undefined;
}

/** Shared address space (RFC 6598): like RFC 1918, no internet destination. */
const SHARED_SPACE = parseCidr('100.64.0.0/10')!;

/**
 * The default route an Aviatrix controller programs into the private route tables (no 0.0.0.0/0 to an internet
 * gateway: here those with none, controllerOverDefault those with one elsewhere) of an AWS VPC whose spoke gateway does SNAT: single IP SNAT, or customized SNAT policies toward 0.0.0.0/0 that apply
 * their route entry (AviatrixGateway.privateDefaultRoute), except in tables their `exclude_rtb` names. Looked up
 * for an internet address on the forward leg. `spoke` when it is there; only `why` when whether it is cannot be
 * decided offline; undefined when it is not (SNAT off, no spoke gateway: the lookup finds no route).
 */
function controllerPrivateDefault(w: Walk, table: RouteTable, vpc: string): { spoke?: AviatrixGateway; why: string } | undefined {
  if (w.direction !== 'forward' || table.cloud !== 'aws' || w.dst.includes(':') || isRfc1918(w.dst)) return undefined;
  const ip = parseIp(w.dst);
  if (!ip || cidrContainsIp(SHARED_SPACE, ip)) return undefined;
  let undecided: string | undefined;
  // An egress FQDN gateway first: enabling its filtering points the private tables' 0.0.0.0/0 to it.
  const gws = w.index.aviatrixGatewaysOfVpc(vpc);
  for (const g of [...gws.filter((x) => x.role === 'egress'), ...gws.filter((x) => x.role === 'spoke')]) {
    const on = g.privateDefaultRoute ?? g.snat;
    const by = g.customizedSnat ? `customized SNAT at ${where(g.customizedSnat)}` : 'single IP SNAT';
    if (isUnresolved(on)) {
      undecided ??= `whether the Aviatrix controller programs 0.0.0.0/0 -> ${gatewayWord(g)} ${nameOf(g)} into ${nameOf(table)} cannot be decided offline: ${on.reason} (${on.text})`;
      continue;
    }
    if (on !== true) continue;
    const lists = g.privateDefaultRouteExcluded;
    if (!lists) return { spoke: g, why: by };
    // A literal id (`rtb-...`) no table of the inputs has may be this one when its id is known only after apply.
    const names = (x: Ref): boolean | undefined => {
      if (isUnresolved(x)) return undefined;
      const id = w.index.refId(x);
      if (id === table.id || x === table.providerId) return true;
      return id === undefined && table.providerId === undefined ? undefined : false;
    };
    // Programmed when some policy surely does not exclude this table; kept out when every policy names it.
    if (lists.some((l) => l.every((x) => names(x) === false))) return { spoke: g, why: by };
    if (lists.every((l) => l.some((x) => names(x) === true))) continue;
    undecided ??= `whether the \`exclude_rtb\` of the customized SNAT policies at ${where(g.customizedSnat!)} keeps the Aviatrix controller's 0.0.0.0/0 -> ${gatewayWord(g)} ${nameOf(g)} out of ${nameOf(table)} cannot be decided offline`;
  }
  return undecided === undefined ? undefined : { why: undecided };
}

/**
 * A table whose own 0.0.0.0/0 goes elsewhere than an internet gateway (a NAT gateway, the TGW, a VGW, an appliance)
 * is private to the Aviatrix controller, which programs its default route to a spoke gateway with SNAT into such
 * tables too (docs/domain.md): AWS holds one 0.0.0.0/0 per table, so which one it holds once the controller has run
 * is not known offline. The reason why, or undefined when the controller programs nothing here (as
 * controllerPrivateDefault) or the route already goes to the gateway it would program.
 */
/**
 * The egress FQDN gateway whose filtering takes a private table's own 0.0.0.0/0 (to a NAT gateway, the TGW, an
 * appliance: anything but an internet gateway), as the controller does when filtering is enabled on the VPC
 * (Aviatrix "Planning Your Egress Control Deployment"), else undefined.
 */
function egressOverDefault(w: Walk, table: RouteTable, vpc: string, route: Route): AviatrixGateway | undefined {
  if (route.target.kind === 'igw' || route.target.kind === 'aviatrixGateway') return undefined;
  if (!('cidr' in route.destination) || route.destination.cidr !== '0.0.0.0/0') return undefined;
  const g = controllerPrivateDefault(w, table, vpc)?.spoke;
  return g?.role === 'egress' ? g : undefined;
}

function controllerOverDefault(w: Walk, table: RouteTable, vpc: string, route: Route, tgt: string): string | undefined {
  if (route.target.kind === 'igw' || route.target.kind === 'aviatrixGateway') return undefined;
  if (!('cidr' in route.destination) || route.destination.cidr !== '0.0.0.0/0') return undefined;
  const programmed = controllerPrivateDefault(w, table, vpc);
  if (!programmed) return undefined;
  const own = `route table ${nameOf(table)} sends 0.0.0.0/0 to ${tgt}, not to an internet gateway, so the Aviatrix controller counts it as a private route table`;
  if (!programmed.spoke) return `${own}; ${programmed.why}: if it does, its route replaces that one`;
  return `${own} and programs 0.0.0.0/0 -> ${gatewayWord(programmed.spoke)} ${nameOf(programmed.spoke)} into it (${programmed.why}): which of the two routes the table holds once the controller has run is not known offline`;
}

function narrowOf(w: Walk): (r: NarrowRoute) => NarrowNoted {
  return ({ route, destination, bits, unknown }) => ({
    destination,
    bits,
    ...(unknown !== undefined ? { unknown } : {}),
    target: targetLabel(w, route.target),
  });
}

/** Service-tag routes that may match instead lead to the same next hop: the path is the same either way. */
function sameAsTagsNote(tagged: Route[]): string {
  const tags = tagged.map((t) => ('cidr' in t.destination ? String(t.destination.cidr) : t.id)).join(', ');
  return ` (service tag ${tags} may cover it too: same next hop)`;
}

/** Send the packet to a route target. */
function dispatch(w: Walk, from: Hop, t: RouteTarget, vpc: string, routeId: string): Step {
  const { index } = w;
  switch (t.kind) {
    case 'local':
    case 'vnetLocal':
      return deliverLocal(w, from, vpc);
    case 'internet':
      return toInternet(w, from);
    case 'none':
      return dropped(w, { cause: 'none-next-hop' }, routeId);
    case 'unknown':
      // A target written but not known offline (a Fn::If only a Default decides, a parameter): its reason, not its type.
      if (t.ref !== undefined && isUnresolved(t.ref) && t.ref.text !== '' && t.ref.reason !== '')
        return unknown(w, { cause: 'unresolved-input', what: 'route-target', text: t.ref.text, why: t.ref.reason }, routeId);
      return unknown(w, { cause: 'unsupported-target', what: 'target-type', text: targetLabel(w, t) }, routeId);
    case 'coreNetwork':
      return toCoreNetwork(w, from, t, vpc, routeId);
    case 'virtualAppliance': {
      // Azure delivers to a NIC without IP forwarding only what is addressed to it.
      if (t.nonForwarding)
        return dropped(w, { cause: 'ip-forwarding-off', nic: t.nonForwarding.name, setting: t.nonForwarding.setting }, routeId);
      const ip = t.ip !== undefined ? val(t.ip) : undefined;
      if (t.ip !== undefined && isUnresolved(t.ip))
        return unknown(w, { cause: 'unresolved-input', what: 'appliance-ip', text: t.ip.text }, routeId);
      if (!ip && t.ref !== undefined && isUnresolved(t.ref))
        return unknown(w, { cause: 'unresolved-input', what: 'route-target', text: t.ref.text, why: t.ref.reason }, routeId);
      const nva = ip ? (index.elementByIp(ip) ?? applianceByAddress(w, ip)) : t.ref !== undefined ? index.resolve(t.ref) : undefined;
      if (typeof nva === 'string') return unknown(w, { cause: 'unresolved-input', what: 'appliance-owner', ip: ip!, subnet: nva }, routeId);
      // Nothing of the inputs holds the address: an appliance of another configuration or subscription may.
      if (!nva) return unknown(w, { cause: 'missing-input', what: 'appliance-at', ...(ip ? { ip } : {}) }, routeId);
      return { kind: 'arrive', element: nva, from, vpc, route: routeId, ...(t.frontend !== undefined ? { frontend: t.frontend } : {}) };
    }
    default: {
      if (t.pick) return arrivePick(w, t.pick, routeId, vpc);
      if (t.ref === undefined) return unknown(w, { cause: 'missing-input', what: 'route-target-ref', targetKind: t.kind }, routeId);
      if (isUnresolved(t.ref))
        return unknown(w, { cause: 'unresolved-input', what: 'route-target', text: t.ref.text, why: t.ref.reason }, routeId);
      const el = index.get(t.ref);
      // An id no element has is missing input (made elsewhere, not exported), never a deleted target:
      // AWS marks a route whose target is gone `blackhole` (route.state), and Terraform cannot plan a
      // reference to an undeclared resource (Unresolved, above).
      if (!el)
        return unknown(
          w,
          {
            cause: 'missing-input',
            what: 'absent-target',
            target: t.ref,
            targetKind: t.kind,
            ...(t.instance ? { instance: t.instance } : {}),
          },
          routeId,
        );
      return { kind: 'arrive', element: el, from, vpc, route: routeId };
    }
  }
}

/**
 * The owner of a next hop address that no element states: an address in a subnet whose one forwarding
 * element has an address assigned at deploy time is that element's (AzureFirewallSubnet admits only the
 * firewall, which takes an address of it); with several such elements, which one cannot be decided
 * (the subnet's id is returned); with none, nothing of the inputs owns it.
 */
function applianceByAddress(w: Walk, ip: string): NetworkElement | string | undefined {
  const s = w.index.subnetContainingIp(ip);
  if (!s) return undefined;
  const open = w.index
    .elementsInSubnet(s.id)
    // An Azure VM is mapped only when none of its NICs forwards: never a next hop.
    .filter(
      (e) =>
        (e.kind === 'firewall' || (e.kind === 'instance' && e.cloud !== 'azure')) &&
        (e.privateIp === undefined || isUnresolved(e.privateIp)),
    );
  if (open.length === 0) return undefined;
  return open.length === 1 && open[0].kind === 'firewall' ? open[0] : s.id;
}

/** The route-table step from an element that forwards on, through the table of its own subnet. */
export function viaSubnetTable(w: Walk, hop: Hop, elementId: string): Step {
  const { index } = w;
  const s = index.subnetOf(elementId);
  const vpc = s ? index.refId(s.vpc) : index.vpcOf(elementId);
  if (!s || !vpc) {
    hop.note += '; its subnet is not in the inputs';
    return unknown(w, { cause: 'missing-input', what: 'subnet-of', element: elementId }, elementId);
  }
  const st = index.routeTableOfSubnet(s.id);
  if (!st) {
    const undecided = index.undecidedTableOf(s.id);
    if (undecided)
      return noted(hop, unknown(w, { cause: 'unresolved-input', what: 'undecided-table', element: s.id, why: undecided }, s.id));
    if (index.resolve(vpc, 'vpc')?.flavor === 'vnet') return azureSystemRoute(w, hop, vpc, undefined, 'implicit');
    return noted(hop, unknown(w, { cause: 'no-route-table', what: 'subnet-table', element: s.id }, s.id));
  }
  return { kind: 'route', from: hop, table: st.table, association: st.association, vpc };
}
