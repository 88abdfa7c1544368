// Networks made by a module the inputs do not hold (a registry module whose code `terraform init` has not
// downloaded into .terraform/modules). Its resources are not modelled, but when the configuration plainly
// builds networks with it, dropping them would report "no VPC/VNet has egress" over an estate that has some:
// each instance of such a call gets a stand-in network (Vpc.unreadModule) at its `module` block, Unknown.
// A call counts as making networks when its source is a well-known network module, or when one of its
// outputs is used where the inputs name a network (a `vpc_id`, a `subnet_id`, a `virtual_network_name`...).
import type { Block } from './ast';
import type { Collector } from './emit';
import { evaluate } from './evaluate';
import type { ModuleInstance, SourceFile } from './modules';
import { keySuffix, Unknown, type Value } from './values';
import { unresolved, type Unresolved, type Vpc } from '../../model/types';

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

/** Whether the unread module of sentence `key` (a call of `mod`) gets a stand-in network of its own flavor. */
function makesNetwork(out: Collector, mod: ModuleInstance, key: string): boolean {
  const fed = out.networkFeeds.get(key);
  if (fed === 'vpc' || fed === 'vnet') return true;
  for (const name of mod.def.calls.keys()) {
    const source = mod.call(name)?.source;
    if (source !== undefined && unreadOutputsReason(name, source) === key) return networkModuleFlavor(source) !== undefined;
  }
  return false;
}

/** The flavor a registry source's provider tells (`.../aws`, `.../azurerm`), else undefined. */
function providerFlavor(source: string): 'vpc' | 'vnet' | undefined {
  const parts = registryAddress(source).split('//')[0].split('/');
  if (parts.length !== 3) return undefined;
  return parts[2] === 'aws' ? 'vpc' : parts[2] === 'azurerm' ? 'vnet' : undefined;
}

/** Arguments of a module call that configure Terraform, not the module. */
const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** The unread-module sentences (unreadOutputsReason) inside a value: the unread modules it is made of. */
function unreadIn(v: Value, found: Set<string>, depth = 0): void {
  if (depth > 4 || found.size > 8) return;
  if (v instanceof Unknown) {
    const k = unreadOutputsIn(v.reason);
    if (k !== undefined) found.add(k);
  } else if (Array.isArray(v)) for (const x of v) unreadIn(x, found, depth + 1);
  else if (v instanceof Map) for (const x of v.values()) unreadIn(x, found, depth + 1);
}

/** The unread modules whose outputs the arguments of a module call (its first instance) are made of. */
function unreadInputs(mod: ModuleInstance, src: SourceFile, block: Block, vars: ReadonlyMap<string, Value> | undefined): Set<string> {
  const found = new Set<string>();
  const scope = mod.scope(src, vars);
  for (const attr of block.attrs.values()) if (!META_ARGS.has(attr.name)) unreadIn(evaluate(attr.expr, scope), found);
  return found;
}

/**
 * Queues, for a module call whose code was not read, the stand-in networks of its instances: made once every
 * resource is read (an output may feed a network reference of a file read later). `why` says how to read it.
 * A call whose outputs feed only subnet and route-table references (a subnet or route-table module) while one of its
 * arguments comes from an unread module that makes a network (its outputs feed a `vpc_id`, or a well-known network
 * module) makes parts of that network, not a network of its own: no stand-in (field F132).
 */
export function queueUnreadNetworks(
  out: Collector,
  mod: ModuleInstance,
  name: string,
  source: string,
  src: SourceFile,
  block: Block,
  keys: readonly (string | number | undefined)[],
  why: string,
  undecided?: Unresolved,
  vars?: ReadonlyMap<string, Value>,
): void {
  if (!out.keeps(src.file)) return;
  const known = networkModuleFlavor(source);
  // An undecided count/for_each gives no outputs to follow: only a well-known network module then.
  if (undecided && !known) return;
  const reason = unreadOutputsReason(name, source);
  const inputs = known === undefined ? unreadInputs(mod, src, block, vars) : undefined;
  out.post(() => {
    const fed = known === undefined ? out.networkFeeds.get(reason) : undefined;
    if (known === undefined && fed === undefined) return;
    if (fed === '' && inputs && [...inputs].some((k) => makesNetwork(out, mod, k))) return;
    const flavor = known ?? providerFlavor(source) ?? (fed || undefined);
    const calls = mod.moduleCalls();
    const loc = { file: src.file, range: src.lines.range(block.header.start, block.header.end) };
    for (const key of keys) {
      const id = `${mod.prefix}module.${name}${undecided ? '' : keySuffix(key)}`;
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
