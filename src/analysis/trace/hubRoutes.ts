// Azure Virtual WAN hub route tables (Firewall Manager's secured hub before routing intent): a static route
// 0.0.0.0/0 -> the hub's Azure Firewall in the hub's default route table is what the connections associated
// with that table learn, when their internet security is on (docs/domain.md, "Azure Virtual WAN").
import type { Firewall, HubRouteEntry, Ref } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import type { ModelIndex } from '../modelIndex';
import { nameOf } from './walk';

/** The `<hub>.default_route_table` id the parser gives `azurerm_virtual_hub.x.default_route_table_id`. */
const DEFAULT_SUFFIX = '.default_route_table';

/** Azure's own name of a hub's default route table. */
const DEFAULT_NAME = 'defaultRouteTable';

/** Which hub route table an id names: its hub and whether it is the default one; why not, when the inputs cannot say. */
function tableOf(index: ModelIndex, ref: Ref): { hub: string; isDefault: boolean; label: string } | string {
  if (isUnresolved(ref)) return `cannot be decided: ${ref.reason}`;
  const t = index.resolve(ref, 'hubRouteTable');
  if (t) {
    const hub = index.refId(t.hub);
    if (!hub) return `is ${nameOf(t)}, whose virtual hub is not in the inputs`;
    if (isUnresolved(t.tableName))
      return `is ${nameOf(t)}, whose name cannot be decided (whether it is the hub's ${DEFAULT_NAME}): ${t.tableName.reason}`;
    return { hub, isDefault: t.tableName === DEFAULT_NAME, label: `route table ${nameOf(t)}` };
  }
  if (ref.endsWith(DEFAULT_SUFFIX)) {
    const hub = index.refId(ref.slice(0, -DEFAULT_SUFFIX.length));
    if (hub) return { hub, isDefault: true, label: `the default route table of ${index.label(hub)}` };
  }
  return `is ${ref}, not a hub route table of the inputs`;
}

/** A connection of a hub, as far as its route table matters: VNet or VPN site. */
export interface HubConnectionView {
  name: string;
  /** Its associated route table when written (else the hub's default route table). */
  associatedTable?: Ref;
  /** Why its own routing is not followed, when it writes any. */
  routingNotFollowed?: string;
}

/**
 * What the route tables of virtual hub `hub` give a connection for destination `dst`:
 * - undefined: the inputs write no hub route table or hub route of this hub (routing intent, if any, decides);
 * - `none`: none of the routes its (default) table holds reaches `dst`, or the one that does is 0.0.0.0/0 and
 *   internet security is off (Azure programs the default route only into connections that propagate it);
 * - the hub firewall the default table's 0.0.0.0/0 sends `dst` to, with the route's name;
 * - why the inputs cannot decide (a route in another table, another next hop, an undecided table id or
 *   association, a connection associated with another table, a longer prefix holding `dst`): Unknown.
 * The connection's propagation does not matter: a static route of the table it associates with is programmed
 * into it whatever tables it propagates to.
 */
export function hubTableRoute(
  index: ModelIndex,
  hub: string,
  conn: HubConnectionView,
  dst: string,
  internetSecurity: boolean,
): { firewall: Firewall; route: string } | 'none' | string | undefined {
  const tables = index.ofKind('hubRouteTable');
  const standalone = index.ofKind('hubRoute');
  if (tables.length === 0 && standalone.length === 0) return undefined;
  const entries: { entry: HubRouteEntry; table: string; undecided?: string }[] = [];
  const why: string[] = [];
  for (const t of tables) {
    const where = tableOf(index, t.id);
    if (typeof where === 'string') {
      why.push(`hub route table ${nameOf(t)} ${where}`);
      continue;
    }
    if (where.hub !== hub) continue;
    if (!where.isDefault) {
      // Another table with no static route of its own: only a connection associated with it would care (below).
      if (t.routes.length === 0 && !t.undecidedRoutes) continue;
      why.push(
        `hub route table ${nameOf(t)} of ${index.label(hub)} is not its default route table (${DEFAULT_NAME}); routes of other hub route tables are not modelled`,
      );
      continue;
    }
    if (t.undecided) why.push(`whether hub route table ${nameOf(t)} exists cannot be decided: ${t.undecided.reason}`);
    if (t.undecidedRoutes) why.push(`some routes of hub route table ${nameOf(t)} cannot be decided: ${t.undecidedRoutes}`);
    for (const entry of t.routes) entries.push({ entry, table: where.label });
  }
  for (const r of standalone) {
    const where = tableOf(index, r.table);
    if (typeof where === 'string') {
      why.push(`the route table of hub route ${nameOf(r)} ${where}`);
      continue;
    }
    if (where.hub !== hub) continue;
    if (!where.isDefault) {
      why.push(
        `hub route ${nameOf(r)} is in ${where.label}, not the default route table (${DEFAULT_NAME}) of ${index.label(hub)}; routes of other hub route tables are not modelled`,
      );
      continue;
    }
    entries.push({ entry: r, table: where.label, ...(r.undecided ? { undecided: r.undecided.reason } : {}) });
  }
  // This hub has no route table of its own in the inputs.
  if (entries.length === 0 && why.length === 0) return undefined;
  if (why.length > 0) return why[0];
  if (index.ofKind('routingIntent').some((i) => index.refId(i.hub) === hub))
    return `${index.label(hub)} has both routing intent and static routes in its default route table; how Azure combines them is not modelled`;
  // The connection's association: the default route table unless written otherwise.
  if (conn.associatedTable !== undefined) {
    const a = tableOf(index, conn.associatedTable);
    if (typeof a === 'string') return `the route table connection ${conn.name} associates with ${a}`;
    if (a.hub !== hub || !a.isDefault)
      return `connection ${conn.name} associates with ${a.label}, not the default route table of ${index.label(hub)}; routes of other hub route tables are not modelled`;
  }
  if (conn.routingNotFollowed) return `connection ${conn.name} writes ${conn.routingNotFollowed}, which the model does not follow`;
  for (const other of index.ofKind('virtualHubConnection'))
    if (index.refId(other.hub) === hub && other.routingNotFollowed)
      return `connection ${nameOf(other)} of ${index.label(hub)} writes ${other.routingNotFollowed}, which may reach its route tables and which the model does not follow`;
  const ip = parseIp(dst);
  if (!ip) return `${dst} is not an address`;
  let best: { bits: number; prefix: string; entry: HubRouteEntry; undecided?: string }[] = [];
  for (const { entry, undecided } of entries) {
    const name = `hub route ${entry.routeName}`;
    if (isUnresolved(entry.destinationsType)) return `the destinations type of ${name} cannot be decided: ${entry.destinationsType.reason}`;
    if (entry.destinationsType !== 'CIDR')
      return `${name} has destinations of type ${entry.destinationsType}, which the model does not follow`;
    for (const d of entry.destinations) {
      if (isUnresolved(d)) return `a destination of ${name} cannot be decided: ${d.reason}`;
      const c = parseCidr(d);
      if (!c) return `destination ${d} of ${name} is not a prefix`;
      if (!cidrContainsIp(c, ip)) continue;
      if (best.length > 0 && best[0].bits > c.prefix) continue;
      if (best.length > 0 && best[0].bits < c.prefix) best = [];
      best.push({ bits: c.prefix, prefix: c.text, entry, ...(undecided ? { undecided } : {}) });
    }
  }
  if (best.length === 0) return 'none';
  const top = best[0];
  if (top.bits !== 0)
    return `hub route ${top.entry.routeName} sends ${top.prefix} (holding ${dst}) to its next hop; hub routes other than 0.0.0.0/0 are not modelled`;
  // Azure programs the default route only into connections with internet security on.
  if (!internetSecurity) return 'none';
  let found: { firewall: Firewall; route: string } | undefined;
  for (const b of best) {
    const name = `hub route ${b.entry.routeName}`;
    if (b.undecided) return `whether ${name} exists cannot be decided: ${b.undecided}`;
    if (isUnresolved(b.entry.nextHopType)) return `the next hop type of ${name} cannot be decided: ${b.entry.nextHopType.reason}`;
    if (b.entry.nextHopType !== 'ResourceId')
      return `${name} has a next hop of type ${b.entry.nextHopType}, which the model does not follow`;
    const fw = index.resolve(index.refId(b.entry.nextHop), 'firewall');
    if (!fw || fw.vendor !== 'Azure Firewall')
      return `the next hop of ${name} (0.0.0.0/0) is not an Azure Firewall of the inputs; other next hops of hub routes are not modelled`;
    if (fw.virtualHub === undefined || index.refId(fw.virtualHub) !== hub)
      return `the next hop of ${name} (0.0.0.0/0) is ${nameOf(fw)}, not an Azure Firewall in ${index.label(hub)}`;
    if (found && found.firewall.id !== fw.id)
      return `hub routes ${found.route} and ${b.entry.routeName} both send 0.0.0.0/0, to different firewalls`;
    found = { firewall: fw, route: b.entry.routeName };
  }
  return found;
}
