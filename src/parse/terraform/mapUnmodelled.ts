// Resources of types the model does not understand but that can change where packets go (the rows of
// vocabulary/unmodelled.ts): each becomes an `unmodelled` element naming the network elements it
// touches, with one `unmodelled-resource` diagnostic, so a path through them is Unknown, never judged
// as if the resource were not there.
import type { UnmodelledResource, Unresolved, Val } from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import { UNMODELLED_TF_TYPES, unmodelledMessage, type UnmodelledType } from '../vocabulary/unmodelled';
import { RefVal, Unknown, asBool, asString, type Value } from './values';
import { evaluateStrict } from './evaluate';
import { TfResource, resourceTypeOf, tfAddress, type BlockView, type Res } from './emit';
import { vpcsMayGrow, type Mapper } from './mapAws';
import type { Block, Expr } from './ast';
import { ngfwPolicyRef } from './mapCloudNgfw';

/** Resource types whose elements a script is taken to act on when it names nothing: the module's networks. */
const NETWORK_TYPES = new Set([
  'aws_vpc',
  'aws_default_vpc',
  'azurerm_virtual_network',
  'google_compute_network',
  'oci_core_vcn',
  'aviatrix_vpc',
]);

/**
 * Mappers for the unmodelled types, given the types the model maps (a reference to one of those, or
 * to another unmodelled resource, is a network element the resource touches).
 */
export function unmodelledMappers(mapped: (type: string) => boolean): Record<string, Mapper> {
  const out: Record<string, Mapper> = {};
  for (const [type, row] of Object.entries(UNMODELLED_TF_TYPES)) out[type] = (r) => mapUnmodelled(r, row, mapped);
  return out;
}

// Programs that only build or package files on the machine running Terraform (a Lambda's dependencies, an
// archive): a command made of these alone calls no cloud API, so it cannot change a route.
const LOCAL_ONLY = new Set([
  'pip',
  'pip3',
  'npm',
  'yarn',
  'zip',
  'unzip',
  'tar',
  'mkdir',
  'echo',
  'sleep',
  'cp',
  'mv',
  'rm',
  'chmod',
  'touch',
]);

/**
 * Cloud and cluster CLI calls that only fetch a Kubernetes cluster's credentials into a kubeconfig or talk to
 * the cluster's own API (objects in the cluster, Helm releases): none changes a route, gateway or endpoint of the
 * cloud's network. Each is a program, the exact subcommand words after it, and the global options (with a value)
 * that may stand between them. A generic call of the same program (`aws ec2 ...`, `az network ...`) stays a
 * script the model does not read.
 */
interface ClusterCommand {
  program: string;
  /** The subcommand words, each position one of a set. */
  path: readonly (readonly string[])[];
  /** Options taking a value that may precede the subcommand (`aws --region eu-west-1 eks ...`). */
  globals: readonly string[];
}

const KUBECTL_VERBS = [
  'apply',
  'create',
  'delete',
  'wait',
  'rollout',
  'get',
  'describe',
  'label',
  'annotate',
  'patch',
  'config',
  'version',
  'cluster-info',
];
const HELM_VERBS = [
  'install',
  'upgrade',
  'uninstall',
  'delete',
  'repo',
  'dependency',
  'dep',
  'template',
  'lint',
  'status',
  'list',
  'pull',
  'get',
  'rollback',
  'version',
  'show',
];

const CLUSTER_COMMANDS: readonly ClusterCommand[] = [
  { program: 'az', path: [['aks'], ['get-credentials']], globals: ['--subscription'] },
  { program: 'aws', path: [['eks'], ['update-kubeconfig']], globals: ['--region', '--profile'] },
  { program: 'gcloud', path: [['container'], ['clusters'], ['get-credentials']], globals: ['--project', '--zone', '--region'] },
  { program: 'kubectl', path: [KUBECTL_VERBS], globals: ['--kubeconfig', '--context', '--namespace', '-n'] },
  { program: 'helm', path: [HELM_VERBS], globals: ['--kubeconfig', '--kube-context', '--namespace', '-n'] },
];

/** Whether one step of a command (its words) is a packaging program or a cluster command of the lists above. */
function harmlessStep(words: string[]): boolean {
  if (words.length === 0) return true;
  const [program, ...rest] = words;
  if (LOCAL_ONLY.has(program)) return true;
  const c = CLUSTER_COMMANDS.find((x) => x.program === program);
  if (!c) return false;
  // helm runs an executable of the user's as a post-renderer.
  if (program === 'helm' && rest.some((w) => w.startsWith('--post-renderer'))) return false;
  let i = 0;
  for (const allowed of c.path) {
    while (i < rest.length && c.globals.some((g) => rest[i] === g || rest[i].startsWith(`${g}=`))) i += rest[i].includes('=') ? 1 : 2;
    if (i >= rest.length || !allowed.includes(rest[i])) return false;
    i++;
  }
  return true;
}

/** What an interpolation in a command stands for as a shell word, or undefined when it could be anything. */
function interpolated(e: Expr, scope: BlockView['scope']): string | undefined {
  const v = evaluateStrict(e, scope);
  const s = asString(v);
  // A known value: as written, when it is one plain word.
  if (s !== undefined) return /^[\w.:/@+,=-]+$/.test(s) ? s : undefined;
  // A resource's or module's attribute (a cluster's name, its zone): a name the provider or the cloud gives,
  // never shell text; an input variable or a local may hold anything.
  const root = rootName(e);
  if ((v instanceof RefVal || v instanceof Unknown) && root !== undefined && (root === 'module' || root === 'data' || root.includes('_')))
    return ARG;
  return undefined;
}

/** A word no command name is: an argument whose value is not known offline. */
const ARG = '\u0001';

function rootName(e: Expr): string | undefined {
  if (e.k === 'var') return e.name;
  if (e.k === 'attr' || e.k === 'index' || e.k === 'splat') return rootName(e.obj);
  return undefined;
}

/** The command of a `local-exec`, with Terraform's interpolations read as the words they stand for. */
function commandText(p: BlockView): string | undefined {
  const cmd = p.literal('command');
  if (cmd !== undefined) return cmd;
  const e = p.block.attrs.get('command')?.expr;
  if (e?.k !== 'tmpl') return undefined;
  let out = '';
  for (const part of e.parts) {
    const w = typeof part === 'string' ? part : interpolated(part, p.scope);
    if (w === undefined) return undefined;
    out += w;
  }
  return out;
}

/**
 * A `local-exec` whose command, as written, is only such programs (`pip3 install -r requirements.txt -t code/`)
 * or cluster commands (`aws eks update-kubeconfig --name ${module.eks.cluster_name}`, `kubectl apply -f x.yaml`),
 * run by the default shell: no interpreter of its own, no command or variable substitution of the shell that
 * could run anything else.
 */
function packagesOnly(p: BlockView): boolean {
  if (p.has('interpreter')) return false;
  const cmd = commandText(p);
  if (cmd === undefined || /[`$<>]/.test(cmd)) return false;
  const steps = cmd.split(/&&|\|\||;|\||\n/).map((x) => x.trim());
  return steps.every((x) => x === '' || harmlessStep(x.split(/\s+/)));
}

function mapUnmodelled(r: Res, row: UnmodelledType, mapped: (type: string) => boolean): void {
  if (row.when === 'local-exec') {
    const scripts = r.blocks('provisioner').filter((p) => p.block.labels[0] === 'local-exec');
    if (scripts.length === 0 || scripts.every(packagesOnly)) return;
  }
  // Nested blocks name what the resource is placed in too (a gateway's `ip_configuration { subnet_id }`).
  const views = [r, ...nestedViews(r, 0)];
  const named = new Set<string>();
  for (const b of views) collectRefs(b, named, mapped);
  if (r instanceof TfResource) for (const b of views) collectWritten(r, b.block, named, mapped);
  let touches: string[] = [...named].filter((a) => a !== r.id).sort();
  let scope: string | undefined;
  if (touches.length === 0 && row.otherwise === 'module' && r instanceof TfResource) {
    touches = moduleNetworks(r);
    if (touches.length === 0) return; // a script in a module without networks: nothing to doubt
    scope = 'the networks of its module, which its script may change';
  }
  if (touches.length === 0 && row.when === 'names-network') return;
  const el: UnmodelledResource = {
    ...r.base('unmodelled', row.cloud, r.literal('name')),
    resourceType: r.type,
    what: row.what,
    touches,
    ...(row.role ? { role: row.role } : {}),
  };
  if (r.type === 'cloudngfwaws_ngfw') el.cloudNgfw = ngfwPolicyRef(r);
  if (r.type === 'aviatrix_firenet')
    el.firenet = { inspection: r.bool('inspection_enabled', true) ?? true, egress: r.bool('egress_enabled', false) ?? false };
  if (r.type === 'aviatrix_firewall_instance') {
    const image = r.literal('firewall_image');
    if (image !== undefined) el.firewallImage = image;
    // The name the controller gives the VM (the resource's own label is Terraform's).
    const name = r.literal('firewall_name');
    if (name !== undefined) el.name = name;
  }
  if (row.role === 'corePolicy' || r.type === 'aws_networkmanager_core_network') {
    const policy = policyDocument(r, 'policy_document');
    if (policy !== undefined) el.corePolicy = policy;
    // The base policy the core network is created with when `create_base_policy = true` (false by default): set
    // LIVE so attachments can join before a policy attachment puts the full one.
    else if (r.type === 'aws_networkmanager_core_network' && r.block.attrs.has('base_policy_document')) {
      const create = r.value('create_base_policy');
      const base = policyDocument(r, 'base_policy_document');
      if (base !== undefined && create instanceof Unknown) {
        el.corePolicy = unresolved(create.text, `whether the core network is created with its base policy: ${create.reason}`);
        el.corePolicyBase = true;
      } else if (base !== undefined && asBool(create ?? false) === true) {
        el.corePolicy = base;
        el.corePolicyBase = true;
      }
    }
  }
  if (row.role === 'attachment') el.coreTags = attachmentTags(r);
  r.emit(el);
  r.out.post(() => vpcsMayGrow(r.out, touches, tfAddress(r.id)));
  // An endpoint writes no route: only a route to it and its subnets' own egress are in doubt.
  const subnets = row.role === 'endpoint' ? touches.filter((t) => SUBNET_TYPES.has(resourceTypeOf(t))) : [];
  r.out.problem(
    r.src,
    r.locSpan,
    'unmodelled-resource',
    'info',
    row.role === 'endpoint'
      ? `${tfAddress(r.id)} (${r.type}: ${row.what}) is not modelled: routes to it are Unknown${subnets.length > 0 ? `, and so is egress from ${subnets.map(tfAddress).join(', ')} (its own subnets or workload ones)` : ''}`
      : unmodelledMessage(
          tfAddress(r.id),
          r.type,
          row,
          touches.map((t) => tfAddress(t)),
          scope,
        ),
  );
}

/** A Cloud WAN policy document (`policy_document`, a JSON string): its text, Unresolved when not known offline. */
function policyDocument(r: Res, name: 'policy_document' | 'base_policy_document'): Val<string> | undefined {
  const v = r.value(name);
  if (v === undefined || v === null) return undefined;
  const s = asString(v);
  if (s !== undefined) return s;
  if (v instanceof Unknown) return unresolved(v.text, v.reason);
  const at = r.block.attrs.get(name);
  return at ? unresolved(r.src.text.slice(at.expr.s.start, at.expr.s.end), 'it is not a JSON string known offline') : undefined;
}

/** A tag map's values as strings, a value not known offline Unresolved; the map Unresolved when not a known map. */
function tagValues(v: Value | undefined, what: string): Record<string, Val<string>> | Unresolved {
  if (v === undefined || v === null) return {};
  if (!(v instanceof Map)) return v instanceof Unknown ? unresolved(v.text, v.reason) : unresolved(what, 'it is not a map known offline');
  const out: Record<string, Val<string>> = {};
  for (const [k, x] of v) {
    const s = asString(x);
    out[k] = s !== undefined ? s : x instanceof Unknown ? unresolved(x.text, x.reason) : unresolved(`${what}["${k}"]`, 'not known offline');
  }
  return out;
}

/** A Cloud WAN attachment's tags as its core network sees them: the provider's `default_tags` under its own `tags`. */
function attachmentTags(r: Res): Record<string, Val<string>> | Unresolved {
  const own = tagValues(r.value('tags'), 'tags');
  if (!(r instanceof TfResource)) return own;
  const defaults = tagValues(r.providerDefaultTags(), 'default_tags');
  if (isUnresolved(defaults)) return defaults;
  if (isUnresolved(own)) return own;
  return { ...defaults, ...own };
}

const SUBNET_TYPES = new Set(['aws_subnet', 'aws_default_subnet', 'azurerm_subnet']);

const SKIPPED_BLOCKS = new Set(['lifecycle', 'timeouts']);

/** The nested blocks of a block, written or `dynamic`, at every depth, in source order. */
function nestedViews(b: BlockView, depth: number): BlockView[] {
  if (depth > 4) return [];
  const types = new Set<string>();
  for (const c of b.block.blocks) {
    const type = c.type === 'dynamic' ? c.labels[0] : c.type;
    if (type !== undefined && !SKIPPED_BLOCKS.has(type)) types.add(type);
  }
  const out: BlockView[] = [];
  for (const type of types) for (const v of b.blocks(type)) out.push(v, ...nestedViews(v, depth + 1));
  return out;
}

const SKIPPED_ATTRS = new Set(['depends_on', 'count', 'for_each', 'provider', 'lifecycle']);

/** Resource references in the evaluated attributes of a block, kept when they name a type on a path. */
function collectRefs(b: BlockView, into: Set<string>, mapped: (type: string) => boolean): void {
  for (const name of b.attrNames()) if (!SKIPPED_ATTRS.has(name)) walkValue(b.value(name), into, mapped, 0);
}

function walkValue(v: Value | undefined, into: Set<string>, mapped: (type: string) => boolean, depth: number): void {
  if (v === undefined || v === null || depth > 8) return;
  if (v instanceof RefVal) {
    if (mapped(resourceTypeOf(v.address))) into.add(v.address);
  } else if (Array.isArray(v)) for (const x of v) walkValue(x, into, mapped, depth + 1);
  else if (v instanceof Map) for (const x of v.values()) walkValue(x, into, mapped, depth + 1);
}

/**
 * References as written (`router = google_compute_router.r.name` evaluates to the name written there,
 * not to a reference): every instance of a resource of the same module that the evaluation did not
 * already name.
 */
function collectWritten(r: TfResource, block: Block, into: Set<string>, mapped: (type: string) => boolean): void {
  const keys = new Set<string>();
  for (const [name, a] of block.attrs) if (!SKIPPED_ATTRS.has(name)) traversals(a.expr, keys, 0);
  const mod = r.inst.module;
  for (const key of keys) {
    const decl = mod.def.resources.get(key);
    if (!decl || !mapped(decl.type)) continue;
    const base = `${mod.prefix}${key}`;
    if ([...into].some((a) => a === base || a.startsWith(`${base}[`))) continue;
    const node = mod.node('res', key);
    if (node) r.out.tracker?.read(node);
    const g = mod.group(decl);
    const ph = g.placeholder();
    for (const i of ph ? [ph] : g.instances) into.add(i.address);
  }
}

const NOT_RESOURCES = new Set(['var', 'local', 'module', 'data', 'each', 'count', 'path', 'self', 'terraform']);

/** `type.name` of each resource traversal in an expression. */
function traversals(e: Expr, out: Set<string>, depth: number): void {
  if (depth > 40) return;
  switch (e.k) {
    case 'attr':
      if (e.obj.k === 'var' && !NOT_RESOURCES.has(e.obj.name) && e.obj.name.includes('_')) out.add(`${e.obj.name}.${e.name}`);
      else traversals(e.obj, out, depth + 1);
      return;
    case 'index':
      traversals(e.obj, out, depth + 1);
      traversals(e.key, out, depth + 1);
      return;
    case 'splat':
      traversals(e.obj, out, depth + 1);
      return;
    case 'tmpl':
      for (const p of e.parts) if (typeof p !== 'string') traversals(p, out, depth + 1);
      return;
    case 'tuple':
      for (const x of e.items) traversals(x, out, depth + 1);
      return;
    case 'object':
      for (const x of e.entries) {
        traversals(x.key, out, depth + 1);
        traversals(x.value, out, depth + 1);
      }
      return;
    case 'call':
      for (const x of e.args) traversals(x, out, depth + 1);
      return;
    case 'cond':
      traversals(e.c, out, depth + 1);
      traversals(e.a, out, depth + 1);
      traversals(e.b, out, depth + 1);
      return;
    case 'unop':
      traversals(e.x, out, depth + 1);
      return;
    case 'binop':
      traversals(e.l, out, depth + 1);
      traversals(e.r, out, depth + 1);
      return;
    case 'for':
      traversals(e.coll, out, depth + 1);
      return;
    default:
      return;
  }
}

/** The VPCs/VNets declared by the module instance the resource is in (every instance of each). */
function moduleNetworks(r: TfResource): string[] {
  const mod = r.inst.module;
  const out: string[] = [];
  for (const decl of mod.def.resources.values()) {
    if (!NETWORK_TYPES.has(decl.type)) continue;
    const node = mod.node('res', `${decl.type}.${decl.name}`);
    if (node) r.out.tracker?.read(node);
    const g = mod.group(decl);
    const ph = g.placeholder();
    for (const i of ph ? [ph] : g.instances) out.push(i.address);
  }
  return out.sort();
}
