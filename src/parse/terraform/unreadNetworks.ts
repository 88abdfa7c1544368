// Networks made by a module the inputs do not hold (a registry module whose code `terraform init` has not
// downloaded into .terraform/modules). Its resources are not modelled, but when the configuration plainly
// builds networks with it, dropping them would report "no VPC/VNet has egress" over an estate that has some:
// each instance of such a call gets a stand-in network (Vpc.unreadModule) at its `module` block, Unknown.
// A call counts as making networks when its source is a well-known network module, or when one of its
// outputs is used where the inputs name a network (a `vpc_id`, a `subnet_id`, a `virtual_network_name`...).
// One whose outputs are used only as parts of a network (a `subnet_id`, a `route_table_id`) and whose call is
// given another such module's output, or a VPC/VNet of the inputs, makes parts of that network (a subnet or
// route table module fed the VPC module's id): no stand-in of its own. Parts of a stand-in are Unknown through
// it; a VPC of the inputs some of whose parts are not read is Unknown, naming the module (Vpc.unreadParts).
import type { Block, Expr } from './ast';
import type { Collector } from './emit';
import type { ModuleInstance, SourceFile } from './modules';
import { keySuffix, RefVal, Unknown, type Value } from './values';
import { unresolved, type NetworkElement, type Unresolved, type Vpc } from '../../model/types';

/** Why an output of an unread registry module is not known: one sentence per call, found again in what derives from it. */
export function unreadOutputsReason(name: string, source: string): string {
  return `outputs of module "${name}" (${source}) are read after \`terraform init\` downloads it`;
}

const HEAD = 'outputs of module "';
const TAIL = 'downloads it';

/** The unread-module sentence inside a reason (values derived from an output keep its reason, sometimes inside another). */
export function unreadOutputsIn(reason: string): string | undefined {
  const at = reason.indexOf(HEAD);
  if (at < 0) return undefined;
  const end = reason.indexOf(TAIL, at);
  return end < 0 ? undefined : reason.slice(at, end + TAIL.length);
}

/** Attributes through which a resource names a network, or a part of one, by reference; with the flavor they tell. */
const NETWORK_REFS = new Map<string, 'vpc' | 'vnet' | ''>([
  ['vpc_id', 'vpc'],
  ['peer_vpc_id', 'vpc'],
  ['virtual_network_name', 'vnet'],
  ['virtual_network_id', 'vnet'],
  ['remote_virtual_network_id', 'vnet'],
  ['subnet_id', ''],
  ['subnet_ids', ''],
  ['subnets', ''],
  ['route_table_id', ''],
  ['route_table_name', 'vnet'],
]);

/**
 * Notes that the attribute `name` of a resource is a value derived from an unread module's outputs. Called where
 * references are read (BlockView.toRef); only reasons of unread modules cost more than a lookup.
 */
export function noteNetworkFeed(out: Collector, name: string, reason: string): void {
  const flavor = NETWORK_REFS.get(name);
  if (flavor === undefined) return;
  const key = unreadOutputsIn(reason);
  if (key === undefined) return;
  const had = out.networkFeeds.get(key);
  if (had === undefined || (had === '' && flavor !== '')) out.networkFeeds.set(key, flavor);
}

/** The module call a traversal reads an output of (`module.networks.subnets["fw"].id` -> `networks`), else undefined. */
function moduleRead(e: Expr): string | undefined {
  let x = e;
  for (let i = 0; i < 16; i++) {
    if (x.k === 'attr' && x.obj.k === 'var' && x.obj.name === 'module') return x.name;
    if (x.k === 'attr' || x.k === 'index' || x.k === 'splat') x = x.obj;
    else return undefined;
  }
  return undefined;
}

/**
 * Notes the network references a block writes as an unread module's output (`subnet_id = module.networks.x.id`):
 * for blocks whose attributes are not evaluated otherwise, a resource of a type outside the model (a private DNS
 * zone's link to the hub VNet) or another unread module's arguments (review F292: a module whose outputs feed only
 * those made no stand-in, and the estate read "no VPC/VNet has egress"). `source` gives a called module's source.
 */
export function noteWrittenFeeds(out: Collector, block: Block, source: (call: string) => string | undefined, depth = 0): void {
  for (const [name, a] of block.attrs) {
    if (!NETWORK_REFS.has(name)) continue;
    const call = moduleRead(a.expr);
    const src = call === undefined ? undefined : source(call);
    if (call !== undefined && src !== undefined) noteNetworkFeed(out, name, unreadOutputsReason(call, src));
  }
  if (depth < 2) for (const b of block.blocks) noteWrittenFeeds(out, b, source, depth + 1);
}

/**
 * Registry modules that make a VPC or VNet (and its subnets and routing): their root module, not a submodule
 * (`terraform-aws-modules/vpc/aws//modules/vpc-endpoints` makes no network).
 */
const NETWORK_MODULES = new Map<string, 'vpc' | 'vnet'>([
  ['terraform-aws-modules/vpc/aws', 'vpc'],
  ['aws-ia/vpc/aws', 'vpc'],
  ['cloudposse/vpc/aws', 'vpc'],
  ['azure/vnet/azurerm', 'vnet'],
  ['azure/network/azurerm', 'vnet'],
  ['azure/subnets/azurerm', 'vnet'],
  ['azure/avm-res-network-virtualnetwork/azurerm', 'vnet'],
]);

/** The registry address of a source (`registry.terraform.io/Azure/vnet/azurerm` -> `azure/vnet/azurerm`), lower case. */
function registryAddress(source: string): string {
  return source
    .toLowerCase()
    .replace(/^registry\.terraform\.io\//, '')
    .replace(/\?.*$/, '');
}

/** The flavor of network a well-known network module makes, else undefined. */
export function networkModuleFlavor(source: string): 'vpc' | 'vnet' | undefined {
  return NETWORK_MODULES.get(registryAddress(source));
}

/** The flavor a registry source's provider tells (`.../aws`, `.../azurerm`), else undefined. */
function providerFlavor(source: string): 'vpc' | 'vnet' | undefined {
  const parts = registryAddress(source).split('//')[0].split('/');
  if (parts.length !== 3) return undefined;
  return parts[2] === 'aws' ? 'vpc' : parts[2] === 'azurerm' ? 'vnet' : undefined;
}

/** An unread module call as queueUnreadNetworks registers it (Collector.unreadCalls), by its outputs' reason. */
export interface UnreadCall {
  source: string;
  /** Its arguments' values, every instance's (evaluated on demand). */
  args: () => Value[];
}

/** One instance of an unread module call: its key and its arguments' values (evaluated on demand). */
export interface UnreadInstance {
  key: string | number | undefined;
  args: () => Value[];
}

/**
 * Whether an unread module's argument may name the network its parts go in (`vpc_id`, `subnet_vpc`, `network`,
 * `virtual_network_name`, a subnet for a route table module, anything not named otherwise), as opposed to a network it
 * only points at: a spoke VPC module given `peer_vpc_id = aws_vpc.hub.id` makes its own network, not parts of the
 * hub's (review R14).
 */
export function placesParts(argument: string): boolean {
  return !/peer|remote|accepter|requester|hub|transit|destination|inspection|egress|shared|central|firewall|gwlb/.test(
    argument.toLowerCase(),
  );
}

/** What the parts an unread module makes belong to: another unread module's network, or a VPC/VNet of the inputs. */
type Parent = { module: string } | { vpc: string };

/** How deep values are searched for a network's reference, and how many leaves at most. */
const MAX_DEPTH = 4;
const MAX_LEAVES = 256;

/**
 * The network whose parts a module makes, from its arguments' values: the first output of another unread module
 * that makes a network or parts of one (whose own network is then followed), or the id of a VPC/VNet of the inputs.
 * `'cycle'` when a module met on the way is given, through its arguments, the output of one already on the way
 * (the parts may then be all there is of that network): the caller keeps its stand-in.
 */
function parentOf(out: Collector, args: readonly Value[], seen: ReadonlySet<string>): Parent | 'cycle' | undefined {
  let cycle = false;
  let leaves = 0;
  const visit = (v: Value, depth: number): Parent | undefined => {
    if (++leaves > MAX_LEAVES) return undefined;
    if (Array.isArray(v) || v instanceof Map) {
      if (depth >= MAX_DEPTH) return undefined;
      for (const x of v.values()) {
        const p = visit(x, depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    const id = v instanceof RefVal ? networkId(v) : v instanceof Unknown && v.nameOf !== undefined ? v.nameOf : undefined;
    if (id !== undefined) {
      const el = out.byId.get(id);
      return el?.kind === 'vpc' && !el.unreadModule ? { vpc: id } : undefined;
    }
    const key = v instanceof Unknown ? unreadOutputsIn(v.reason) : undefined;
    if (key === undefined) return undefined;
    if (seen.has(key)) {
      cycle = true;
      return undefined;
    }
    const call = out.unreadCalls.get(key);
    if (!call) return undefined;
    const fed = networkModuleFlavor(call.source) ?? out.networkFeeds.get(key);
    if (fed === undefined) return undefined;
    if (fed !== '') return { module: key };
    // A module of parts itself: the network its parts belong to, or its own stand-in.
    const up = parentOf(out, call.args(), new Set([...seen, key]));
    if (up === 'cycle') {
      cycle = true;
      return undefined;
    }
    return up ?? { module: key };
  };
  for (const a of args) {
    const p = visit(a, 0);
    if (p) return p;
  }
  return cycle ? 'cycle' : undefined;
}

/** The element id a reference names when it is the network's own id (`aws_vpc.x.id`, `azurerm_virtual_network.x.id`). */
function networkId(v: RefVal): string | undefined {
  const head = v.path[0];
  return v.path.length <= 1 && (head === undefined || head === 'id') ? v.address : undefined;
}

/**
 * Queues, for a module call whose code was not read, the stand-in networks of its instances: made once every
 * resource is read (an output may feed a network reference of a file read later). `why` says how to read it.
 */
export function queueUnreadNetworks(
  out: Collector,
  mod: ModuleInstance,
  name: string,
  source: string,
  src: SourceFile,
  block: Block,
  instances: readonly UnreadInstance[],
  why: string,
  undecided?: Unresolved,
): void {
  const reason = unreadOutputsReason(name, source);
  // Registered for every build (other files' modules may be given its outputs).
  const had = out.unreadCalls.get(reason);
  const args = () => instances.flatMap((i) => i.args());
  out.unreadCalls.set(reason, had ? { source, args: () => [...had.args(), ...args()] } : { source, args });
  if (!out.keeps(src.file)) return;
  const known = networkModuleFlavor(source);
  // An undecided count/for_each gives no outputs to follow: only a well-known network module then.
  if (undecided && !known) return;
  out.post(() => {
    const fed = known === undefined ? out.networkFeeds.get(reason) : undefined;
    if (known === undefined && fed === undefined) return;
    const flavor = known ?? providerFlavor(source) ?? (fed || undefined);
    const calls = mod.moduleCalls();
    const loc = { file: src.file, range: src.lines.range(block.header.start, block.header.end) };
    for (const inst of instances) {
      // Its outputs used only as parts of a network, and given another network's: it makes parts of that one.
      const parent = fed === '' ? parentOf(out, inst.args(), new Set([reason])) : undefined;
      if (parent && parent !== 'cycle') {
        if ('vpc' in parent && !out.unreadParts.has(parent.vpc))
          out.unreadParts.set(parent.vpc, unresolved(`module.${name}`, `made by module ${name} (${source}), not read: ${why}`));
        continue;
      }
      const id = `${mod.prefix}module.${name}${undecided ? '' : keySuffix(inst.key)}`;
      const el: Vpc = {
        id,
        kind: 'vpc',
        name: id.slice(mod.rootPrefix.length),
        loc,
        extent: src.lines.range(block.span.start, block.span.end),
        cloud: flavor === 'vnet' ? 'azure' : flavor === 'vpc' ? 'aws' : 'other',
        flavor: flavor ?? 'vpc',
        cidrs: [],
        unreadModule: unresolved(`module.${name}`, `made by module ${name} (${source}), not read: ${why}`),
        ...(undecided ? { undecided } : {}),
        ...(calls.length ? { moduleCalls: calls } : {}),
      };
      out.add(el, src, block.header);
    }
  });
}

/** Network resource types whose parts an unread module may make (given the network's id). */
const NETWORK_TYPES = new Set(['aws_vpc', 'azurerm_virtual_network']);

/**
 * Marks each network of `els` (just mapped) some of whose parts an unread module makes (Vpc.unreadParts), once
 * every module's post step has run (those are queued while the configuration is walked; this one is queued again
 * from its own post step, so it runs after them).
 */
export function markUnreadParts(type: string, els: readonly NetworkElement[], out: Collector): void {
  if (!NETWORK_TYPES.has(type)) return;
  for (const el of els) {
    if (el.kind !== 'vpc') continue;
    out.post(() =>
      out.post(() => {
        const parts = out.unreadParts.get(el.id);
        if (parts) el.unreadParts = parts;
      }),
    );
  }
}
