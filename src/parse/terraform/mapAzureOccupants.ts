// What azurerm resources place in a subnet without being elements of the model (a private endpoint, an AKS node
// pool, an app's VNet integration, a container group, a scale set that does not forward). Read for one purpose:
// an Azure subnet whose name says it is for an Application Gateway is reserved for a gateway another configuration
// deploys only while it holds nothing (F183, Subnet.heldBy); one holding any of these is judged as a workload subnet.
// And for every subnet: one holding only private endpoints (Subnet.onlyPrivateEndpoints) originates no traffic.
import { tfAddress, type BlockView, type Collector } from './emit';
import { RefVal, Unknown, type Value } from './values';
import type { Mapper } from './mapAws';
import type { Subnet } from '../../model/types';
import type { Block } from './ast';
import { azureNamedForAppGateway } from '../../model/platformSubnets';

/** nameIndex spaces: subnet element id -> the resource placing something in it; root label -> one whose subnet is undecided. */
const HELD = 'azureSubnetHeldBy';
const HELD_UNDECIDED = 'azureSubnetHeldUndecided';
/** The same, split by what is placed: inbound-only (a private endpoint, a private link service's NAT IP), or anything else. */
const HELD_INBOUND = 'azureSubnetHeldInbound';
const HELD_OTHER = 'azureSubnetHeldOther';
const HELD_UNDECIDED_OTHER = 'azureSubnetHeldUndecidedOther';

/**
 * Per type, the nested block path (possibly empty) and the attributes naming the subnet(s) it places things in.
 * `delegated`: Azure admits it only in a subnet delegated to its service (App Service VNet integration, container
 * groups, flexible servers, managed instances), so one whose subnet cannot be decided is in a delegated subnet,
 * which the delegation already marks: it does not keep every App Gateway name from reserving.
 */
const OCCUPANTS: Record<string, { path: string[]; attrs: string[]; delegated?: true; inbound?: true }[]> = {
  // `inbound`: answers connections only, never opens one (no traffic source).
  azurerm_private_endpoint: [{ path: [], attrs: ['subnet_id'], inbound: true }],
  azurerm_private_link_service: [{ path: ['nat_ip_configuration'], attrs: ['subnet_id'], inbound: true }],
  azurerm_kubernetes_cluster: [{ path: ['default_node_pool'], attrs: ['vnet_subnet_id', 'pod_subnet_id'] }],
  azurerm_kubernetes_cluster_node_pool: [{ path: [], attrs: ['vnet_subnet_id', 'pod_subnet_id'] }],
  azurerm_container_group: [{ path: [], attrs: ['subnet_ids'], delegated: true }],
  azurerm_container_app_environment: [{ path: [], attrs: ['infrastructure_subnet_id'] }],
  azurerm_app_service_virtual_network_swift_connection: [{ path: [], attrs: ['subnet_id'], delegated: true }],
  azurerm_linux_web_app: [{ path: [], attrs: ['virtual_network_subnet_id'], delegated: true }],
  azurerm_windows_web_app: [{ path: [], attrs: ['virtual_network_subnet_id'], delegated: true }],
  azurerm_linux_function_app: [{ path: [], attrs: ['virtual_network_subnet_id'], delegated: true }],
  azurerm_windows_function_app: [{ path: [], attrs: ['virtual_network_subnet_id'], delegated: true }],
  azurerm_logic_app_standard: [{ path: [], attrs: ['virtual_network_subnet_id'], delegated: true }],
  azurerm_api_management: [{ path: ['virtual_network_configuration'], attrs: ['subnet_id'] }],
  azurerm_postgresql_flexible_server: [{ path: [], attrs: ['delegated_subnet_id'], delegated: true }],
  azurerm_mysql_flexible_server: [{ path: [], attrs: ['delegated_subnet_id'], delegated: true }],
  azurerm_mssql_managed_instance: [{ path: [], attrs: ['subnet_id'], delegated: true }],
};

/** The views at `path` below `b` (`default_node_pool`, then its blocks). */
function viewsAt(b: BlockView, path: readonly string[]): BlockView[] {
  let out = [b];
  for (const p of path) out = out.flatMap((v) => v.blocks(p));
  return out;
}

/** The root label of an id (`dev` of `dev:module.net.azurerm_subnet.a`; '' for a single root): placements are per root. */
function rootLabel(id: string): string {
  const address = tfAddress(id);
  return address === id ? '' : id.slice(0, id.length - address.length - 1);
}

function reasonOf(v: Value): string {
  return v instanceof Unknown ? v.reason : `known only after apply (${v instanceof RefVal ? `${v.address}.${v.path.join('.')}` : ''})`;
}

/** Notes that `what` (an element id) is placed in the subnets a value names (a subnet id, or a list of them). */
function noteValue(out: Collector, v: Value | undefined, what: string, delegated: boolean, inbound: boolean, depth = 0): void {
  if (v === undefined || v === null || depth > 4) return;
  if (Array.isArray(v)) {
    for (const x of v) noteValue(out, x, what, delegated, inbound, depth + 1);
    return;
  }
  if (v instanceof RefVal) {
    // `azurerm_subnet.x.id` (or the subnet itself): that subnet. Any other attribute names no subnet we know.
    const head = v.path[0];
    if (v.path.length === 0 || (v.path.length === 1 && head === 'id')) {
      if (!out.nameIndex(HELD).has(v.address)) out.nameIndex(HELD).set(v.address, tfAddress(what));
      const split = out.nameIndex(inbound ? HELD_INBOUND : HELD_OTHER);
      if (!split.has(v.address)) split.set(v.address, tfAddress(what));
      return;
    }
  }
  // A literal id of a subnet outside the inputs names none of them; anything else (a variable, a module output
  // not known offline, a subnet id built from its VNet's) may be any subnet of the inputs.
  if (!delegated && (v instanceof Unknown || v instanceof RefVal)) {
    const root = rootLabel(what);
    if (!out.nameIndex(HELD_UNDECIDED).has(root)) out.nameIndex(HELD_UNDECIDED).set(root, `${tfAddress(what)} (${reasonOf(v)})`);
    if (!inbound) out.nameIndex(HELD_UNDECIDED_OTHER).set(root, tfAddress(what));
  }
}

/** Notes the subnets a block's attributes place `what` in (no diagnostic: an undecided one only keeps App Gateway names from reserving). */
export function notePlacement(
  out: Collector,
  b: BlockView,
  attrs: readonly string[],
  what: string,
  delegated = false,
  inbound = false,
): void {
  for (const a of attrs) if (b.has(a)) noteValue(out, b.value(a), what, delegated, inbound);
}

/** A subnet delegation to a service other than the Application Gateway (whose subnet may be delegated to it). */
export function otherDelegation(b: BlockView): string | undefined {
  const open = b.undecidedBlocks('delegation')[0];
  if (open) return `a delegation whose ${open.why.reason}`;
  for (const d of b.blocks('delegation'))
    for (const sd of d.blocks('service_delegation')) {
      const name = sd.literal('name');
      if (name === undefined) return `delegation ${d.literal('name') ?? ''}`.trim();
      if (name.toLowerCase() !== 'microsoft.network/applicationgateways') return `its delegation to ${name}`;
    }
  return undefined;
}

/**
 * For a subnet whose name says Application Gateway: what the inputs place in it (run in the subnet mapper's post
 * step, once every resource is read). Other subnets are left alone (the field is read for those names only).
 */
export function noteHeldBy(out: Collector, el: Subnet, block: BlockView): void {
  if (!azureNamedForAppGateway(el.name)) return;
  const delegated = otherDelegation(block);
  const held = out.nameIndex(HELD).get(el.id);
  const open = out.nameIndex(HELD_UNDECIDED).get(rootLabel(el.id));
  const by = delegated ?? held ?? (open !== undefined ? `${open}, whose subnet cannot be decided offline (it may be this one)` : undefined);
  if (by !== undefined) el.heldBy = by;
}

/**
 * For every subnet (the subnet mapper's post step): whether what the inputs place in it is only private endpoints
 * and private link services' NAT IPs, which answer connections and open none. Not when anything else is placed in
 * it, when some other placement of its root cannot be decided (it may be this subnet), or when it is delegated to a
 * service. The model's elements in it (a NIC, a VM) are ModelIndex.computeRole's to weigh.
 */
export function noteOnlyPrivateEndpoints(out: Collector, el: Subnet, block: BlockView): void {
  const pe = out.nameIndex(HELD_INBOUND).get(el.id);
  if (pe === undefined || out.nameIndex(HELD_OTHER).has(el.id) || out.nameIndex(HELD_UNDECIDED_OTHER).has(rootLabel(el.id))) return;
  if (el.dedicatedTo !== undefined || otherDelegation(block) !== undefined || block.blocks('delegation').length > 0) return;
  el.onlyPrivateEndpoints = pe;
}

/** Attribute names that put a resource in a subnet (`subnet_id`, `app_subnet_id`, `subnet_resource_id`, `subnet_ids`). */
const PLACING = /(?:^|_)subnet_(?:resource_)?ids?$/;
/** Types and blocks that name a subnet to let its traffic in (network rules, ACLs, IP restrictions), placing nothing. */
const ACCESS = /rule|restriction|acl|association|endpoint_storage_policy/;

const placers = new WeakMap<Block, Mapper | null>();
const placementOnly = new WeakSet<Mapper>();

/**
 * For an azurerm type the model does not map: where its arguments put it in a subnet, read as the listed occupants
 * are (a Machine Learning compute cluster's `subnet_resource_id`, a Redis cache's `subnet_id`, a Batch pool's
 * `network_configuration.subnet_id`): anything placed there may open connections, so a subnet holding it and a
 * private endpoint is no longer "only private endpoints" (review s18 R5). Undefined when nothing is placed.
 */
export function azurePlacementMapper(type: string, block: Block): Mapper | undefined {
  if (!type.startsWith('azurerm_') || ACCESS.test(type)) return undefined;
  let m = placers.get(block);
  if (m === undefined) {
    const places: { path: string[]; attrs: string[] }[] = [];
    const scan = (b: Block, path: string[]): void => {
      const attrs = [...b.attrs.keys()].filter((a) => PLACING.test(a));
      if (attrs.length > 0) places.push({ path, attrs });
      if (path.length >= 3) return;
      for (const c of b.blocks) {
        // `dynamic "network" { content { ... } }` is read as its `network` blocks.
        const name = c.type === 'dynamic' ? c.labels[0] : c.type;
        if (name === undefined || ACCESS.test(name)) continue;
        const body = c.type === 'dynamic' ? c.blocks.find((x) => x.type === 'content') : c;
        if (body) scan(body, [...path, name]);
      }
    };
    scan(block, []);
    m =
      places.length === 0
        ? null
        : (r) => {
            for (const p of places) for (const v of viewsAt(r, p.path)) notePlacement(r.out, v, p.attrs, r.id);
          };
    if (m) placementOnly.add(m);
    placers.set(block, m);
  }
  return m ?? undefined;
}

/** A mapper that only notes placements (its resources are not announced as undecided: nothing of them is modelled). */
export function onlyPlaces(m: Mapper): boolean {
  return placementOnly.has(m);
}

/** Types read only for where they are placed (their count is not announced: nothing else of them is modelled). */
export const AZURE_OCCUPANT_TYPES: ReadonlySet<string> = new Set(Object.keys(OCCUPANTS));

export const AZURE_OCCUPANT_MAPPERS: Record<string, Mapper> = Object.fromEntries(
  Object.entries(OCCUPANTS).map(([type, places]) => [
    type,
    ((r) => {
      const what = r.id;
      for (const p of places) for (const v of viewsAt(r, p.path)) notePlacement(r.out, v, p.attrs, what, p.delegated, p.inbound);
    }) satisfies Mapper,
  ]),
);
