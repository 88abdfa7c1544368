// Terraform modules: a directory of .tf files. A ModuleInstance binds a module to its inputs
// (root: variable defaults and tfvars; child: the module block's arguments) and answers the
// root names an expression can use: var, local, module, data, each resource type.
import type { Attribute, Block, Expr, FileAst, Span } from './ast';
import { BUDGET_EXCEEDED, MODULE_INSTANCE_COST, RESOURCE_INSTANCE_COST, chargeBudget, noteBudgetExhausted } from './budget';
import { computedAttribute } from './computed';
import { CORE_POLICY_DOCUMENT, corePolicyDocumentJson } from './corePolicyDocument';
import { evaluate, evaluateStrict, exprText, type Scope } from './evaluate';
import { typeConversion } from './typeConstraint';
import { InstanceGroup, joinGroup } from './instanceGroups';
import { nodeKey, templateNode, type NodeKind, type Tracker } from './deps';
import type { TextRead } from './functions';
import type { LineMap } from '../locate';
import type { InputDiagnosticCode } from '../../model/inputs';
import type { ModuleCall } from '../../model/types';
import { unreadOutputsReason } from './unreadNetworks';
import {
  ModuleObj,
  Namespace,
  RefVal,
  ResourceObj,
  Unknown,
  asNumber,
  asString,
  anyConditional,
  conditionalAt,
  conditionOf,
  keyString,
  keySuffix,
  isSet,
  type ResourceInstanceLike,
  type Value,
} from './values';

export interface SourceFile {
  file: string;
  dir: string;
  text: string;
  lines: LineMap;
  ast: FileAst;
  /** A variables file (`*.tfvars`, `*.tfvars.json`): values for a root module, not module code. */
  tfvars: boolean;
  /** Values of a `.tfvars.json` file (its `ast` is empty). */
  jsonVars?: ReadonlyMap<string, Value>;
}

export interface Decl {
  block: Block;
  src: SourceFile;
}

export interface ResourceDecl extends Decl {
  type: string;
  name: string;
  /** Its dependency node, computed on first use. */
  node?: string;
}

export interface AttrDecl {
  attr: Attribute;
  src: SourceFile;
}

/** A problem found while reading or evaluating, reported by the index as a located diagnostic. */
export interface EvalProblem {
  code: InputDiagnosticCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  src: SourceFile;
  span: Span;
}

export class ModuleDef {
  readonly variables = new Map<string, Decl>();
  readonly locals = new Map<string, AttrDecl>();
  readonly resources = new Map<string, ResourceDecl>();
  /** Data sources (`aws_vpc.this`): their count/for_each decide their instance keys, known offline even when their attributes are not. */
  readonly data = new Map<string, Decl>();
  readonly calls = new Map<string, Decl>();
  readonly outputs = new Map<string, Decl>();
  /** Provider configurations: `aws` (default) and `aws.<alias>`. */
  readonly providers = new Map<string, Decl>();
  /** Variables files in this folder, in the order files were given. */
  readonly varFiles: SourceFile[] = [];
  readonly problems: EvalProblem[] = [];
  /** The resources each file contributes, in declaration order (the walk order of one file). */
  readonly resourcesByFile = new Map<string, ResourceDecl[]>();

  constructor(
    readonly dir: string,
    readonly files: SourceFile[],
  ) {
    for (const src of files) {
      if (src.tfvars) {
        this.varFiles.push(src);
        continue;
      }
      for (const block of src.ast.blocks) this.add(block, src);
    }
  }

  /**
   * Swaps one file for its new version in place when both declare the same names in the same
   * order and the module had no duplicate declarations (the common edit: values change). Map
   * entries keep their positions, so the result equals a definition built from scratch.
   */
  replaceFile(old: SourceFile, now: SourceFile): boolean {
    if (this.problems.length || old.tfvars || now.tfvars || old.dir !== now.dir) return false;
    const i = this.files.indexOf(old);
    if (i < 0 || declarationShape(old) !== declarationShape(now)) return false;
    this.files[i] = now;
    const ob = old.ast.blocks;
    const nb = now.ast.blocks;
    const resources: ResourceDecl[] = [];
    for (let k = 0; k < nb.length; k++) {
      const block = nb[k];
      const [l0, l1] = block.labels;
      const swap = <T extends { block: Block; src: SourceFile }>(
        m: Map<string, T>,
        key: string | undefined,
        extra?: Partial<T>,
      ): T | undefined => {
        if (key === undefined) return undefined;
        const cur = m.get(key);
        if (!cur || cur.block !== ob[k]) return undefined;
        const next = { ...cur, ...extra, block, src: now };
        m.set(key, next);
        return next;
      };
      switch (block.type) {
        case 'variable':
          swap(this.variables, l0);
          break;
        case 'locals': {
          for (const attr of block.attrs.values()) {
            const cur = this.locals.get(attr.name);
            if (cur && cur.src === old) this.locals.set(attr.name, { attr, src: now });
          }
          break;
        }
        case 'resource': {
          const r = swap(this.resources, l0 !== undefined && l1 !== undefined ? `${l0}.${l1}` : undefined);
          if (r) resources.push(r);
          break;
        }
        case 'module':
          swap(this.calls, l0);
          break;
        case 'output':
          swap(this.outputs, l0);
          break;
        case 'provider': {
          for (const [key, d] of this.providers) if (d.block === ob[k]) this.providers.set(key, { block, src: now });
          break;
        }
      }
    }
    this.resourcesByFile.set(now.file, resources);
    return true;
  }

  private add(block: Block, src: SourceFile): void {
    const dup = (what: string) =>
      this.problems.push({
        code: 'duplicate-id',
        severity: 'error',
        message: `${what} is declared more than once in this module`,
        src,
        span: block.header,
      });
    const [l0, l1] = block.labels;
    switch (block.type) {
      case 'variable':
        if (l0 === undefined) return;
        if (this.variables.has(l0)) dup(`variable "${l0}"`);
        else this.variables.set(l0, { block, src });
        return;
      case 'locals':
        for (const attr of block.attrs.values()) {
          if (this.locals.has(attr.name)) {
            this.problems.push({
              code: 'duplicate-id',
              severity: 'error',
              message: `local.${attr.name} is declared more than once in this module`,
              src,
              span: attr.span,
            });
          } else this.locals.set(attr.name, { attr, src });
        }
        return;
      case 'resource': {
        if (l0 === undefined || l1 === undefined) return;
        const key = `${l0}.${l1}`;
        if (this.resources.has(key)) dup(`resource ${key}`);
        else {
          const decl = { block, src, type: l0, name: l1 };
          this.resources.set(key, decl);
          let list = this.resourcesByFile.get(src.file);
          if (!list) this.resourcesByFile.set(src.file, (list = []));
          list.push(decl);
        }
        return;
      }
      case 'data':
        if (l0 !== undefined && l1 !== undefined && !this.data.has(`${l0}.${l1}`)) this.data.set(`${l0}.${l1}`, { block, src });
        return;
      case 'module':
        if (l0 === undefined) return;
        if (this.calls.has(l0)) dup(`module "${l0}"`);
        else this.calls.set(l0, { block, src });
        return;
      case 'output':
        if (l0 !== undefined && !this.outputs.has(l0)) this.outputs.set(l0, { block, src });
        return;
      case 'provider': {
        if (l0 === undefined) return;
        // Aliased configurations are keyed `aws.eu`, as resources name them (`provider = aws.eu`).
        const alias = block.attrs.get('alias')?.expr;
        const key = !alias ? l0 : alias.k === 'lit' && typeof alias.v === 'string' ? `${l0}.${alias.v}` : undefined;
        if (key !== undefined && !this.providers.has(key)) this.providers.set(key, { block, src });
        return;
      }
    }
  }
}

/** Block kinds, labels, local names and provider aliases of a file, in order. */
function declarationShape(src: SourceFile): string {
  const parts: string[] = [];
  for (const b of src.ast.blocks) {
    parts.push(b.type, String(b.labels.length), ...b.labels);
    if (b.type === 'locals') parts.push(...b.attrs.keys());
    if (b.type === 'provider') {
      const alias = b.attrs.get('alias')?.expr;
      parts.push(alias ? (alias.k === 'lit' ? `=${String(alias.v)}` : '?') : '');
    }
    parts.push('\u0000');
  }
  return parts.join('\u0001');
}

/** Meta-arguments of a module block that are not inputs. */
export const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Resource types of an AWS subnet, whose `ipv6_cidr_block` names that subnet's prefix (Unknown.prefixOf). */
const SUBNET_TYPES: ReadonlySet<string> = new Set(['aws_subnet', 'aws_default_subnet']);

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
}

/** Joins a directory and a relative module source, resolving `.` and `..` (one spelling per folder). */
export function joinDir(dir: string, rel: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const abs = dir.startsWith('/') || dir.startsWith('\\');
  const out: string[] = [];
  for (const p of [...dir.split(/[\\/]/), ...rel.split(/[\\/]/)]) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      // A drive (`C:`) or the filesystem root is never left; a relative path keeps leading `..`.
      if (out.length && out[out.length - 1] !== '..' && !(out.length === 1 && out[0].endsWith(':'))) out.pop();
      else if (!abs && !(out.length === 1 && out[0].endsWith(':'))) out.push('..');
      continue;
    }
    out.push(p);
  }
  const s = out.join(sep);
  return abs ? sep + s : s || '.';
}

/** Where a path read as text leads, and its text when the inputs hold it; nothing outside the read roots is asked for. */
function resolveText(ctx: EvalContext, rootDir: string, path: string): TextRead {
  if (path === '') return { why: 'the path is empty' };
  // Terraform expands a leading `~` to the home folder: outside any workspace.
  if (/^~([\\/]|$)/.test(path)) return { why: `${path} is in the home folder, outside the folders analysed: it is not read` };
  const file = /^(\/|\\|[A-Za-z]:[\\/])/.test(path) ? joinDir(path, '.') : joinDir(rootDir, path);
  return resolveFile(ctx, file, path);
}

/** A file read as text at a path already resolved, with the same refusals as resolveText. */
function resolveFile(ctx: EvalContext, file: string, path: string): TextRead {
  if (secretPath(file)) return { why: `${path} is a git, state or credentials file: it is never read` };
  // A module folder whose .tf files the inputs hold reads its own files (a user data template beside it), wherever it is.
  if (!insideRoots(file, ctx.readRoots ?? ['.']) && !insideRoots(file, [...ctx.defs.keys()]))
    return { why: `${path} is outside the folders analysed: files outside them are never read` };
  ctx.templatesRead?.add(file);
  const t = ctx.template?.(file);
  if (t) return { file, text: t.text, lines: t.lines };
  // Looked for where Terraform would read it and not there: Terraform's file() fails, fileexists() is false (R15).
  if (ctx.absent?.(file)) return { file, absent: true, why: `no file exists at ${file}` };
  return { file, why: `${file} is not in the inputs` };
}

/**
 * Whether a path names a file that may hold secrets and is never read as text, whatever folder it is in: anything in a
 * `.git` folder (a CI checkout's config holds its token), a Terraform state (`*.tfstate*`, `.terraform/terraform.tfstate`:
 * values and backend settings in clear), or a credentials folder (`.ssh`, `.aws`, `.azure`, `.gnupg`). A report quotes
 * values it cannot use, so a configuration must not be able to pull such a file into one (review R1).
 */
export function secretPath(file: string): boolean {
  const parts = file.split(/[\\/]/).map((p) => p.toLowerCase());
  const last = parts[parts.length - 1] ?? '';
  return parts.some((p) => SECRET_DIRS.has(p)) || /\.tfstate(\.|$)/.test(last) || SECRET_FILE.test(last);
}
/** Files that hold secrets by convention (review s15 R18): dotenv files, keys and certificates, SSH identities, credentials. */
const SECRET_FILE =
  /^\.env(\..*)?$|\.(?:pem|key|p12|pfx|jks|keystore)$|^id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$|^credentials(?:\..*)?$|^\.netrc$|^\.npmrc$/;
const SECRET_DIRS = new Set(['.git', '.ssh', '.aws', '.azure', '.gnupg']);

/** A path's segments after joinDir, whether it is absolute, and a drive letter lower-cased (Windows keys). */
function pathParts(p: string): { abs: boolean; parts: string[] } {
  const n = joinDir(p, '.');
  const parts = n.split(/[\\/]/).filter((x) => x !== '' && x !== '.');
  if (parts.length && /^[A-Za-z]:$/.test(parts[0])) parts[0] = parts[0].toLowerCase();
  return { abs: /^[\\/]/.test(n) || /^[A-Za-z]:/.test(n), parts };
}

/**
 * Whether a file key is inside one of the folders (keys of the same kind): its segments start with the folder's and
 * go no further up (`..` after them). Relative keys are relative to the same folder: a folder that is only `..`
 * segments (an ancestor of it, as the repository above the folder analysed) holds every relative key that climbs
 * no higher. A relative folder never holds an absolute key, nor the reverse.
 */
export function insideRoots(file: string, roots: readonly string[]): boolean {
  const f = pathParts(file);
  const ups = (parts: string[]): number => {
    let n = 0;
    while (parts[n] === '..') n++;
    return n;
  };
  return roots.some((root) => {
    const r = pathParts(root);
    if (r.abs !== f.abs) return false;
    if (!r.abs && ups(r.parts) === r.parts.length) return ups(f.parts) <= r.parts.length;
    if (f.parts.length < r.parts.length) return false;
    for (let i = 0; i < r.parts.length; i++) if (f.parts[i] !== r.parts[i]) return false;
    return f.parts[r.parts.length] !== '..';
  });
}

/** The directory part of a file path as handed to the index, normalised as joinDir does. */
export function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const raw = i < 0 ? '.' : i === 0 ? file.slice(0, 1) : file.slice(0, i);
  // Most paths are already plain: only paths with `.`/`..` segments or doubled separators are rewritten.
  return /(^|[\\/])\.\.?([\\/]|$)|[\\/][\\/]/.test(raw) ? joinDir(raw, '.') : raw;
}

export interface EvalContext {
  defs: ReadonlyMap<string, ModuleDef>;
  /** Guards against reference cycles across the whole evaluation. */
  inProgress: Set<string>;
  /** Records which names each file and name used (incremental builds). */
  tracker?: Tracker;
  /** Set when a reference cycle was cut: the values then depend on evaluation order. */
  sawCycle?: boolean;
  /**
   * Folders `terraform init` downloaded modules to, per root module folder, by module key
   * (`vpc`, `vpc.sub`), from `.terraform/modules/modules.json`.
   */
  installed?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Module folders the front end did not read, with the reason (the extension reads only open folders). */
  unread?: ReadonlyMap<string, string>;
  /** Receives each shape assumption (an info diagnostic at the expression that made it). */
  assume?: (src: SourceFile, span: Span, message: string) => void;
  /** `terraform.workspace` when the user gave it; otherwise it is not known offline. */
  workspace?: string;
  /** The text of a file the configuration reads (`templatefile`, `file`) when it was given, with its lines. */
  template?: (file: string) => { text: string; lines: LineMap } | undefined;
  /** Receives every file read as text, given or not: the front ends read the missing ones (wants). */
  templatesRead?: Set<string>;
  /** The folders whose files may be read as text (ParseOptions.readRoots); absent: `.`. */
  readRoots?: readonly string[];
  /** Whether a front end looked for this file inside the read roots and found none (TerraformIndex.absent). */
  absent?: (file: string) => boolean;
  /** What each path a module reads as text resolved to, by root folder and path: resolved once per run. */
  textReads?: Map<string, TextRead>;
}

/** Reads a node (records the dependency) and, when the value is computed, charges reads to it. */
function tracked<T>(ctx: EvalContext, key: string | undefined, fn: () => T): T {
  const t = ctx.tracker;
  if (!t || key === undefined) return fn();
  t.read(key);
  return t.inNode(key, fn);
}

/** Azure data sources that select one object by name, and the arguments that name its parents. */
const DATA_SELECTED_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  azurerm_subnet: ['virtual_network_name', 'resource_group_name'],
  azurerm_virtual_network: ['resource_group_name'],
};

/** Two values known offline and the same: equal strings, or the same attribute of the same resource. */
function sameKnown(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (a instanceof RefVal && b instanceof RefVal)
    return a.address === b.address && a.path.length === b.path.length && a.path.every((x, i) => x === b.path[i]);
  return false;
}

/** Data sources whose selector argument is the id of one object of the resource type of the same name. */
const DATA_SELECTED_BY_ID: Readonly<Record<string, string>> = {
  aws_subnet: 'id',
  aws_vpc: 'id',
  aws_nat_gateway: 'id',
  aws_network_interface: 'id',
  aws_vpc_endpoint: 'id',
  aws_ec2_transit_gateway: 'id',
  aws_route_table: 'route_table_id',
  aws_internet_gateway: 'internet_gateway_id',
  aws_instance: 'instance_id',
};

type Lazy = () => Value;

export class ResourceInstance {
  private readonly cache = new Map<string, Value>();
  readonly address: string;
  /** Set on the one placeholder instance of a block whose count/for_each cannot be decided. */
  undecided?: Unknown;
  /**
   * Set on an instance that exists only if a provider list is long enough: the one keyed by the second
   * zone of `slice(names, 0, min(length(names), 3))`, or count.index 1 of `count = length(that)`.
   */
  conditional?: Unknown;
  /** Dependency node of the resource block (all its instances). */
  readonly node: string | undefined;

  constructor(
    readonly module: ModuleInstance,
    readonly decl: ResourceDecl,
    readonly key: string | number | undefined,
    readonly vars: Map<string, Value>,
  ) {
    this.address = `${module.prefix}${decl.type}.${decl.name}${keySuffix(key)}`;
    this.node = module.ctx.tracker ? (decl.node ??= nodeKey(module.def.dir, 'res', `${decl.type}.${decl.name}`)) : undefined;
  }

  scope(extra?: Map<string, Value>): Scope {
    return this.module.scope(this.decl.src, extra ? new Map([...this.vars, ...extra]) : this.vars);
  }

  /** The value of an attribute as written, evaluated once. */
  value(name: string): Value | undefined {
    const attr = this.decl.block.attrs.get(name);
    if (!attr) return undefined;
    const ctx = this.module.ctx;
    if (this.cache.has(name)) {
      if (this.node !== undefined) ctx.tracker?.read(this.node);
      return this.cache.get(name);
    }
    const guard = `${this.address}#${name}`;
    if (ctx.inProgress.has(guard)) {
      ctx.sawCycle = true;
      return new Unknown(this.decl.src.text.slice(attr.expr.s.start, attr.expr.s.end), 'reference cycle');
    }
    ctx.inProgress.add(guard);
    try {
      const v = tracked(ctx, this.node, () => evaluateStrict(attr.expr, this.scope()));
      this.cache.set(name, v);
      return v;
    } finally {
      ctx.inProgress.delete(guard);
    }
  }

  /** Attribute access from another expression: written attributes evaluate, the rest is computed. */
  attribute(name: string, _text: string): Value {
    if (this.node !== undefined) this.module.ctx.tracker?.read(this.node);
    // The accepter of a TGW attachment shared from another account has the attachment's id: TGW route
    // tables, associations and routes that name the accepter name the attachment.
    if (name === 'id' && this.decl.type === 'aws_ec2_transit_gateway_vpc_attachment_accepter') {
      const att = this.value('transit_gateway_attachment_id');
      if (att !== undefined) return att;
    }
    if (name === 'id' || name === 'arn') return new RefVal(this.address, [name], this);
    const v = this.value(name);
    // A name Terraform would accept but that is not known offline still names this resource when referred to.
    if (name === 'name' && v instanceof Unknown && !v.failed) return v.asNameOf(this.address);
    // A subnet's IPv6 prefix AWS assigns at apply is still that subnet's (a route to it holds its addresses).
    if (name === 'ipv6_cidr_block' && SUBNET_TYPES.has(this.decl.type) && v instanceof Unknown && !v.failed)
      return v.asPrefixOf(this.address);
    if (v !== undefined) return v;
    return (
      computedAttribute(
        { address: this.address, type: this.decl.type, block: this.decl.block, scope: (x) => this.scope(x) },
        name,
        _text,
      ) ?? new RefVal(this.address, [name], this)
    );
  }

  get type(): string {
    return this.decl.type;
  }

  nested(block: string, index: number, attr: string, outer: readonly [string, number][] = []): Value | undefined {
    let holder: Block | undefined = this.decl.block;
    for (const [type, i] of [...outer, [block, index] as const]) {
      const blocks: Block[] = holder.blocks;
      // Generated blocks are not read here: which position holds what needs their iterator.
      if (blocks.some((x) => x.type === 'dynamic' && x.labels[0] === type)) return undefined;
      holder = blocks.filter((x) => x.type === type)[i];
      if (!holder) return undefined;
    }
    const b = holder;
    const a = b.attrs.get(attr);
    if (!a) return undefined;
    const scope = this.scope();
    // A written private address is the one Azure gives only with Static allocation; Dynamic picks its own.
    if (attr === 'private_ip_address') {
      const alloc = b.attrs.get('private_ip_address_allocation');
      const how = alloc ? asString(evaluateStrict(alloc.expr, scope)) : undefined;
      if (how?.toLowerCase() !== 'static') return undefined;
    }
    return evaluateStrict(a.expr, scope);
  }

  blockCount(block: string): number | undefined {
    let n = 0;
    for (const b of this.decl.block.blocks) {
      if (b.type === block) n++;
      else if (b.type === 'dynamic' && b.labels[0] === block) {
        // As BlockView.blocks expands it (emit.ts).
        const each = b.attrs.get('for_each');
        if (!each || !b.blocks.some((c) => c.type === 'content')) continue;
        const entries = dynamicEntries(evaluate(each.expr, this.scope()));
        if (!entries) return undefined;
        n += entries.length;
      }
    }
    return n;
  }
}

/** All instances of one resource block in one module instance. */
export class ResourceGroup {
  readonly instances: ResourceInstance[] = [];
  /** Set when count/for_each could not be decided: no instance is created. */
  readonly unknown?: Unknown;
  readonly mode: 'single' | 'count' | 'for_each';

  constructor(
    readonly module: ModuleInstance,
    readonly decl: ResourceDecl,
  ) {
    const { block, src } = decl;
    const countAttr = block.attrs.get('count');
    const eachAttr = block.attrs.get('for_each');
    const scope = module.scope(src);
    if (countAttr) {
      this.mode = 'count';
      const counted = evaluate(countAttr.expr, scope);
      // count = length(local.azs) over 1 to 3 zones: instances up to the most, those past the least conditional.
      const b = counted instanceof Unknown ? counted.bounds : undefined;
      const n = b && Number.isInteger(b.hi) && b.hi <= 1000 && b.lo >= 0 ? b.hi : asNumber(counted);
      if (n === undefined || !Number.isInteger(n) || n < 0 || n > 1000) {
        const v = counted;
        this.unknown = new Unknown(
          src.text.slice(countAttr.expr.s.start, countAttr.expr.s.end),
          v instanceof Unknown ? v.reason : 'count is not a whole number from 0 to 1000',
        );
        return;
      }
      if (!chargeBudget(n * RESOURCE_INSTANCE_COST)) {
        noteBudgetExhausted(src.text, countAttr.expr.s.start, countAttr.expr.s.end);
        this.unknown = new Unknown(src.text.slice(countAttr.expr.s.start, countAttr.expr.s.end), BUDGET_EXCEEDED);
        return;
      }
      const text = src.text.slice(countAttr.expr.s.start, countAttr.expr.s.end);
      const group = new InstanceGroup();
      for (let i = 0; i < n; i++) {
        const count = new Map<string, Value>([['index', i]]);
        const inst = new ResourceInstance(module, decl, i, new Map([['count', count]]));
        if (b && i >= b.lo) inst.conditional = new Unknown(text, `the region has ${i + 1} or more availability zones`);
        joinGroup(group, count, !inst.conditional);
        this.instances.push(inst);
      }
    } else if (eachAttr) {
      this.mode = 'for_each';
      const v = evaluate(eachAttr.expr, scope);
      const entries = forEachEntries(v);
      if (!entries) {
        this.unknown = new Unknown(
          src.text.slice(eachAttr.expr.s.start, eachAttr.expr.s.end),
          v instanceof Unknown ? v.reason : 'for_each needs a map or a set of strings',
        );
        return;
      }
      if (!chargeBudget(entries.length * RESOURCE_INSTANCE_COST)) {
        noteBudgetExhausted(src.text, eachAttr.expr.s.start, eachAttr.expr.s.end);
        this.unknown = new Unknown(src.text.slice(eachAttr.expr.s.start, eachAttr.expr.s.end), BUDGET_EXCEEDED);
        return;
      }
      const conditional = conditionalKeys(v);
      const group = new InstanceGroup();
      for (const [k, val] of entries) {
        const each = new Map<string, Value>([
          ['key', k],
          ['value', val],
        ]);
        const inst = new ResourceInstance(module, decl, k, new Map([['each', each]]));
        if (conditional?.has(k)) {
          const c = conditionOf(k);
          inst.conditional = new Unknown(
            src.text.slice(eachAttr.expr.s.start, eachAttr.expr.s.end),
            c !== undefined ? `the region has ${c} or more availability zones` : 'the region has enough availability zones',
          );
        }
        joinGroup(group, each, !inst.conditional);
        this.instances.push(inst);
      }
    } else {
      this.mode = 'single';
      this.instances.push(new ResourceInstance(module, decl, undefined, new Map()));
    }
  }

  /**
   * The one instance that stands for the undecided instances of this block: count.index, each.key and
   * each.value are unknown, and its elements say that whether they exist cannot be decided.
   */
  placeholder(): ResourceInstance | undefined {
    if (!this.unknown) return undefined;
    const inst = this.unknownInstance(new Unknown(this.unknown.text, this.unknown.reason));
    inst.undecided = this.unknown;
    return inst;
  }

  /**
   * For a block whose count/for_each is known to give no instance (`count = 0`, `for_each = {}`): an
   * instance with count.index, each.key and each.value unknown, only to read what every instance would
   * share (the VPC a subnet block names). It stands for nothing that exists and gives no element.
   */
  probe(): ResourceInstance | undefined {
    if (this.unknown || this.instances.length > 0 || this.mode === 'single') return undefined;
    return this.unknownInstance(new Unknown('', 'no instance of this block exists'));
  }

  /** An instance keyed '?' whose count.index (or each.key and each.value) is `u`. */
  private unknownInstance(u: Unknown): ResourceInstance {
    const vars =
      this.mode === 'count'
        ? new Map([['count', new Map<string, Value>([['index', u]])]])
        : new Map([
            [
              'each',
              new Map<string, Value>([
                ['key', u],
                ['value', u],
              ]),
            ],
          ]);
    return new ResourceInstance(this.module, this.decl, '?', vars);
  }

  /** The resource as a value: one object, a list (count) or a map (for_each). */
  asValue(text: string): Value {
    if (this.unknown) return new Unknown(text, this.unknown.reason);
    if (this.mode === 'single') return new ResourceObj(this.instances[0]);
    if (this.mode === 'count') return this.instances.map((i) => new ResourceObj(i));
    return new Map(this.instances.map((i) => [String(i.key), new ResourceObj(i)] as [string, Value]));
  }
}

/** The for_each keys that exist only conditionally (zones past the first of 1 to 3), or undefined when none does. */
function conditionalKeys(v: Value): Set<string> | undefined {
  if (!(v instanceof Map || Array.isArray(v)) || !anyConditional(v)) return undefined;
  const out = new Set<string>();
  if (v instanceof Map) {
    for (const k of v.keys()) if (conditionalAt(v, k)) out.add(k);
    return out;
  }
  const certain = new Set<string>();
  v.forEach((x, i) => {
    const k = keyString(x);
    if (k !== undefined) (conditionalAt(v, i) ? out : certain).add(k);
  });
  for (const k of certain) out.delete(k);
  return out;
}

/** for_each over a map (sorted keys) or a set/list of strings (key = value). */
export function forEachEntries(v: Value): [string, Value][] | undefined {
  if (v instanceof Map) {
    if (v.size > 1000) return undefined;
    return [...v.keys()].sort().map((k) => [k, v.get(k) as Value]);
  }
  if (Array.isArray(v)) {
    if (v.length > 1000) return undefined;
    // Keys by hash; a placeholder element (`<az 1 of data.aws_availability_zones.x>`) keys by
    // its name and stays the unknown value as each.value.
    const byKey = new Map<string, Value>();
    for (const x of v) {
      const s = keyString(x);
      if (s === undefined) return undefined;
      if (!byKey.has(s)) byKey.set(s, asString(x) ?? x);
    }
    return [...byKey.keys()].sort().map((k) => [k, byKey.get(k) as Value]);
  }
  return undefined;
}

/**
 * What a dynamic block iterates: a list in order, repeats included, each element at its index; a set (toset()) in
 * its order, each element as its own key (review s16 R21); a map by its keys in lexical order. Unlike a resource's
 * for_each, which takes a set of strings (or a map) by key, a list is not made distinct nor sorted (F221).
 */
export function dynamicEntries(v: Value): [string, Value][] | undefined {
  if (!Array.isArray(v)) return forEachEntries(v);
  if (!isSet(v)) return v.map((x, i) => [String(i), x]);
  // An element with no key string (a reference known only after apply) is keyed by its place; the iterator's key is
  // the element itself either way (emit.ts).
  return v.map((x, i) => [keyString(x) ?? String(i), x]);
}

export interface ChildCall {
  decl: Decl;
  name: string;
  source: string | undefined;
  /** Instances of a local module; empty for a remote one. */
  instances: { key: string | number | undefined; child?: ModuleInstance; vars: Map<string, Value> }[];
  mode: 'single' | 'count' | 'for_each';
  unknown?: Unknown;
  /** A registry or git source resolved through modules.json. */
  installed?: boolean;
}

/** A provider configuration as written in a `providers` map (`aws`, `aws.pdx`, `"aws.pdx"`), else undefined. */
function providerName(e: Expr): string | undefined {
  if (e.k === 'lit' && typeof e.v === 'string') return e.v;
  if (e.k === 'tmpl' && e.parts.length === 1 && typeof e.parts[0] === 'string') return e.parts[0];
  if (e.k === 'var') return e.name;
  if (e.k === 'attr' && e.obj.k === 'var') return `${e.obj.name}.${e.name}`;
  return undefined;
}

/** A module block's `providers` map: each of the child's provider names to the caller's configuration. */
function providerMap(e: Expr | undefined): Map<string, string> | undefined {
  if (e?.k !== 'object') return undefined;
  const out = new Map<string, string>();
  for (const { key, value } of e.entries) {
    const k = providerName(key);
    const v = providerName(value);
    if (k !== undefined && v !== undefined) out.set(k, v);
  }
  return out.size > 0 ? out : undefined;
}

export class ModuleInstance {
  private readonly localCache = new Map<string, Value>();
  private readonly varCache = new Map<string, Value>();
  private readonly groups = new Map<ResourceDecl, ResourceGroup>();
  private readonly callCache = new Map<string, ChildCall>();

  constructor(
    readonly ctx: EvalContext,
    readonly def: ModuleDef,
    /** `''` for a root module, `module.net.` / `module.net["a"].` for a child. */
    readonly prefix: string,
    /** Bound inputs: the module block's arguments, or tfvars for a root module. */
    private readonly inputs: Map<string, Lazy>,
    /** Module directories on the call stack, to stop recursive module calls. */
    readonly stack: string[],
    readonly parent?: ModuleInstance,
    /** Module key as modules.json writes it (`vpc`, `vpc.sub`); `''` for a root. */
    readonly keyPath = '',
  ) {
    this.rootDir = parent ? parent.rootDir : def.dir;
    this.rootPrefix = parent ? parent.rootPrefix : prefix;
  }

  /** The root instance's prefix (its label, `dev:`, or ''): module addresses below the root leave it out. */
  readonly rootPrefix: string;

  /** Folder of the root module this instance belongs to. */
  readonly rootDir: string;

  /** Where this instance's module block is written (a file of the parent module); absent for a root. */
  callSite?: { src: SourceFile; span: Span };

  private calls?: ModuleCall[];

  /** The module calls creating this instance, the root module's first (ElementBase.moduleCalls); made once. */
  moduleCalls(): ModuleCall[] {
    if (this.calls) return this.calls;
    if (!this.parent || !this.callSite) return (this.calls = []);
    const { src, span } = this.callSite;
    return (this.calls = [
      ...this.parent.moduleCalls(),
      { module: this.prefix.slice(this.rootPrefix.length, -1), loc: { file: src.file, range: src.lines.range(span.start, span.end) } },
    ]);
  }

  /**
   * The module block's arguments as written in the caller (`userdata = data.template_file.x.rendered`), for
   * readers that follow an input to where its text is written rather than to its value.
   */
  callArgs?: Map<string, { attr: Attribute; scope: Scope; src: SourceFile }>;

  /**
   * The module block's `providers = { aws = aws.pdx }`: the caller's configuration each of this module's provider
   * names stands for (a name it leaves out is the caller's own of the same name).
   */
  providerMap?: Map<string, string>;

  private readonly regions = new Map<string, Value | undefined>();

  /** The dependency node of a name of this module (undefined when nothing is tracked). */
  node(kind: NodeKind, name: string): string | undefined {
    return this.ctx.tracker ? nodeKey(this.def.dir, kind, name) : undefined;
  }

  /** `region` of a provider configuration (`aws`, `aws.eu`), inherited from the calling module. */
  providerRegion(provider: string): Value | undefined {
    const key = this.node('provider', provider);
    if (this.regions.has(provider)) {
      if (key !== undefined) this.ctx.tracker?.read(key);
      return this.regions.get(provider);
    }
    return tracked(this.ctx, key, () => {
      const d = this.def.providers.get(provider);
      const attr = d?.block.attrs.get('region');
      const v =
        d && attr ? evaluate(attr.expr, this.scope(d.src)) : this.parent?.providerRegion(this.providerMap?.get(provider) ?? provider);
      this.regions.set(provider, v);
      return v;
    });
  }

  /**
   * `default_tags { tags = ... }` of a provider configuration (`aws`, `aws.eu`), inherited like its region: the
   * evaluated map, an Unknown when it is not known offline, undefined when the configuration writes none.
   */
  providerDefaultTags(provider: string): Value | undefined {
    const key = this.node('provider', provider);
    if (key !== undefined) this.ctx.tracker?.read(key);
    const d = this.def.providers.get(provider);
    if (!d) return this.parent?.providerDefaultTags(this.providerMap?.get(provider) ?? provider);
    const block = d.block.blocks.find((b) => b.type === 'default_tags');
    const attr = block?.attrs.get('tags');
    return attr ? evaluate(attr.expr, this.scope(d.src)) : undefined;
  }

  scope(src: SourceFile, vars: ReadonlyMap<string, Value> = new Map()): Scope {
    return { text: src.text, vars, root: (name, text) => this.root(name, text), assume: this.assumeIn(src), files: this };
  }

  /**
   * A file the configuration reads as text (`file()`, a user data template, a bucket object's `source`): Terraform
   * takes a relative path from the folder it runs in, the root module's. Only a file inside the folders the analysis
   * was given (EvalContext.readRoots) is asked for; whoever reads it depends on its node, so an edit of the file
   * (or its arrival: the front ends read the files asked for, then build again) evaluates the reader again.
   */
  readText(path: string): TextRead {
    const ctx = this.ctx;
    const key = `${this.rootDir}\0${path}`;
    let r = ctx.textReads?.get(key);
    if (!r) {
      r = resolveText(ctx, this.rootDir, path);
      (ctx.textReads ??= new Map()).set(key, r);
    }
    if (r.file !== undefined) ctx.tracker?.read(templateNode(r.file));
    return r;
  }

  /**
   * A file named by its path in the repository (a raw GitHub URL's path, `scripts/config.xml`): looked for under
   * each folder the analysis may read (EvalContext.readRoots: the git work tree holding the folders given), tracked
   * as readText's files are. The reads that found a file, or else those of every root (so its arrival is seen).
   */
  readRepositoryText(rel: string): TextRead[] {
    const ctx = this.ctx;
    const out: TextRead[] = [];
    if (rel === '' || /^(\/|\\|[A-Za-z]:[\\/]|~)/.test(rel) || rel.split(/[\\/]/).includes('..')) return out;
    for (const root of ctx.readRoots ?? ['.']) {
      const file = joinDir(root, rel);
      const key = `\0repo\0${file}`;
      let r = ctx.textReads?.get(key);
      if (!r) {
        r = resolveFile(ctx, file, rel);
        (ctx.textReads ??= new Map()).set(key, r);
      }
      if (r.file !== undefined) ctx.tracker?.read(templateNode(r.file));
      out.push(r);
    }
    const found = out.filter((r) => 'text' in r);
    return found.length ? found : out;
  }

  private readonly assumeFns = new Map<SourceFile, (message: string, span: Span) => void>();

  private assumeIn(src: SourceFile): ((message: string, span: Span) => void) | undefined {
    const sink = this.ctx.assume;
    if (!sink) return undefined;
    let fn = this.assumeFns.get(src);
    if (!fn) this.assumeFns.set(src, (fn = (message, span) => sink(src, span, message)));
    return fn;
  }

  /** `path.module`: this module's folder relative to the root module's (`.` for the root). */
  private pathModule(): string {
    return relativeDir(this.stack[0] ?? this.def.dir, this.def.dir);
  }

  /** Namespaces are stateless: one per root name and module instance. */
  private readonly namespaces = new Map<string, Namespace>();

  root(name: string, text: string): Value {
    const cached = this.namespaces.get(name);
    if (cached) return cached;
    let ns: Namespace;
    switch (name) {
      case 'var':
        ns = new Namespace('var', (n, t) => this.variable(n, t));
        break;
      case 'local':
        ns = new Namespace('local', (n, t) => this.local(n, t));
        break;
      case 'module':
        ns = new Namespace('module', (n, t) => this.moduleValue(n, t));
        break;
      case 'data':
        ns = new Namespace('data', (type) => new Namespace(`data.${type}`, (n, t) => this.dataValue(type, n, t)));
        break;
      case 'resource':
        // `resource.TYPE.NAME` is Terraform's explicit spelling of `TYPE.NAME` (F294).
        ns = new Namespace('resource', (type) => new Namespace(`resource.${type}`, (n, t) => this.resourceValue(type, n, t)));
        break;
      case 'path':
        ns = new Namespace('path', (n, t) => {
          if (n === 'module') return this.pathModule();
          if (n === 'root') return '.';
          // The folder terraform runs in: the root module's, when its path is absolute.
          const root = this.stack[0] ?? this.def.dir;
          if (n === 'cwd' && /^(\/|[A-Za-z]:[\\/])/.test(root)) return root;
          return new Unknown(t, `path.${n} is not known offline`);
        });
        break;
      case 'terraform':
        ns = new Namespace('terraform', (n, t) =>
          n === 'workspace' && this.ctx.workspace !== undefined
            ? this.ctx.workspace
            : new Unknown(t, `terraform.${n} is chosen when terraform runs`),
        );
        break;
      case 'self':
        return new Unknown(text, `${name}.* is not evaluated offline`);
      case 'count':
      case 'each':
        return new Unknown(text, `${name} is only available in a resource or module block with ${name === 'count' ? 'count' : 'for_each'}`);
      default:
        ns = new Namespace(name, (n, t) => this.resourceValue(name, n, t));
    }
    this.namespaces.set(name, ns);
    return ns;
  }

  variable(name: string, text: string): Value {
    const key = this.node('var', name);
    if (this.varCache.has(name)) {
      if (key !== undefined) this.ctx.tracker?.read(key);
      return this.varCache.get(name) as Value;
    }
    const guard = `${this.prefix}var.${name}`;
    if (this.ctx.inProgress.has(guard)) {
      this.ctx.sawCycle = true;
      return new Unknown(text, 'reference cycle');
    }
    this.ctx.inProgress.add(guard);
    let v: Value;
    try {
      v = tracked(this.ctx, key, () => {
        const decl = this.def.variables.get(name);
        const input = this.inputs.get(name);
        // The value converted to the declared type: its optional(...) attributes filled in (typeConstraint.ts).
        const type = decl?.block.attrs.get('type');
        const conv = decl && type ? typeConversion(type.expr, decl.src.text) : undefined;
        if (input) return conv ? conv(input()) : input();
        if (!decl) return new Unknown(text, `variable "${name}" is not declared`);
        const def = decl.block.attrs.get('default');
        if (!def) return new Unknown(text, `variable "${name}" has no default`);
        const v = evaluate(def.expr, this.scope(decl.src));
        return conv ? conv(v) : v;
      });
    } finally {
      this.ctx.inProgress.delete(guard);
    }
    this.varCache.set(name, v);
    return v;
  }

  local(name: string, text: string): Value {
    const key = this.node('local', name);
    if (this.localCache.has(name)) {
      if (key !== undefined) this.ctx.tracker?.read(key);
      return this.localCache.get(name) as Value;
    }
    const decl = this.def.locals.get(name);
    if (!decl) {
      if (key !== undefined) this.ctx.tracker?.read(key);
      return new Unknown(text, `local.${name} is not declared`);
    }
    const guard = `${this.prefix}local.${name}`;
    if (this.ctx.inProgress.has(guard)) {
      this.ctx.sawCycle = true;
      return new Unknown(text, 'reference cycle');
    }
    this.ctx.inProgress.add(guard);
    try {
      const v = tracked(this.ctx, key, () => evaluateStrict(decl.attr.expr, this.scope(decl.src)));
      this.localCache.set(name, v);
      return v;
    } finally {
      this.ctx.inProgress.delete(guard);
    }
  }

  group(decl: ResourceDecl): ResourceGroup {
    let g = this.groups.get(decl);
    const node = this.ctx.tracker ? (decl.node ??= nodeKey(this.def.dir, 'res', `${decl.type}.${decl.name}`)) : undefined;
    if (!g) {
      g = tracked(this.ctx, node, () => new ResourceGroup(this, decl));
      this.groups.set(decl, g);
    } else if (node !== undefined) this.ctx.tracker?.read(node);
    return g;
  }

  /**
   * A data source: its attributes are read from the provider, but with `for_each` or `count` its instance
   * keys are known offline (`{for k, v in data.aws_vpc.this : ...}` over an empty for_each is `{}`).
   */
  dataValue(type: string, name: string, text: string): Value {
    const address = `${this.prefix}data.${type}.${name}`;
    const one = (t: string, key = '') =>
      new Unknown(t, `data.${type}.${name}${key} is read from the provider`, false, { address: address + key });
    const decl = this.def.data.get(`${type}.${name}`);
    const node = this.node('data', `${type}.${name}`);
    if (node !== undefined) this.ctx.tracker?.read(node);
    const countAttr = decl?.block.attrs.get('count');
    const eachAttr = decl?.block.attrs.get('for_each');
    if (decl && !countAttr && !eachAttr) {
      if (type === CORE_POLICY_DOCUMENT) return new ResourceObj(this.rendered(address, node, decl));
      const same = tracked(this.ctx, node, () => this.lookedUpById(type, decl) ?? this.lookedUpByName(type, decl));
      if (same) return new ResourceObj(same);
    }
    if (!decl || (!countAttr && !eachAttr)) return one(text);
    return tracked(this.ctx, node, () => {
      const scope = this.scope(decl.src);
      if (countAttr) {
        const n = asNumber(evaluate(countAttr.expr, scope));
        if (n === undefined || !Number.isInteger(n) || n < 0 || n > 1000) return one(text);
        return Array.from({ length: n }, (_, i) => one(`${text}[${i}]`, `[${i}]`));
      }
      const entries = forEachEntries(evaluate(eachAttr!.expr, scope));
      if (!entries) return one(text);
      return new Map<string, Value>(entries.map(([k]) => [k, one(`${text}["${k}"]`, `["${k}"]`)]));
    });
  }

  /**
   * A data source the provider computes from what is written, with no API call (corePolicyDocument.ts): its `json`
   * rendered on access, once per reference, inside the data source's node so an edit of what it reads renders it
   * again; its other attributes are the arguments as written.
   */
  private rendered(address: string, node: string | undefined, decl: { block: Block; src: SourceFile }): ResourceInstanceLike {
    return {
      address,
      type: CORE_POLICY_DOCUMENT,
      attribute: (name: string, text: string): Value => {
        if (name !== 'json') {
          const a = decl.block.attrs.get(name);
          return a ? evaluate(a.expr, this.scope(decl.src)) : new Unknown(text, `${address}.${name} is read from the provider`);
        }
        const guard = `${address}#json`;
        if (this.ctx.inProgress.has(guard)) {
          this.ctx.sawCycle = true;
          return new Unknown(text, 'reference cycle');
        }
        this.ctx.inProgress.add(guard);
        try {
          return tracked(this.ctx, node, () => corePolicyDocumentJson(address, decl.block, this.scope(decl.src), text));
        } finally {
          this.ctx.inProgress.delete(guard);
        }
      },
    };
  }

  /**
   * A data source that selects one object by its id alone (`data "aws_subnet" "x" { id = aws_subnet.public.id }`,
   * often through a module variable) where the id is that of a resource of the same type in the inputs: the
   * provider returns that resource, so its attributes are the resource's (its written `cidr_block`, its `vpc_id`).
   * Any other selector or filter may narrow or fail: read from the provider.
   */
  private lookedUpById(type: string, decl: { block: Block; src: SourceFile }): ResourceInstanceLike | undefined {
    const selector = DATA_SELECTED_BY_ID[type];
    if (!selector || decl.block.blocks.length > 0) return undefined;
    if ([...decl.block.attrs.keys()].some((k) => k !== selector && k !== 'provider' && k !== 'depends_on')) return undefined;
    const attr = decl.block.attrs.get(selector);
    if (!attr) return undefined;
    const v = evaluate(attr.expr, this.scope(decl.src));
    if (!(v instanceof RefVal) || v.path.length !== 1 || v.path[0] !== 'id' || !v.of) return undefined;
    // The id must be of a resource of the data source's own type (`...aws_subnet.public["a"]`).
    const tail = v.of.address.slice(v.of.address.lastIndexOf(`${type}.`));
    return tail.startsWith(`${type}.`) && !tail.slice(type.length + 1).includes('.') ? v.of : undefined;
  }

  /**
   * A data source that selects one Azure object by its name and its parents' (`data "azurerm_subnet" "x" { name =
   * azurerm_subnet.frontend.name, virtual_network_name = ..., resource_group_name = ... }`) where the name is that of a
   * resource of the same type in this module, written with one instance, and every parent argument gives exactly what
   * that resource writes for it: the provider returns that resource. Its `address_prefix` (what the data source reads
   * from the subnet) is then the resource's only prefix. Any other selector, a mismatch, or a value not known offline:
   * read from the provider.
   */
  private lookedUpByName(type: string, decl: { block: Block; src: SourceFile }): ResourceInstanceLike | undefined {
    const parents = DATA_SELECTED_BY_NAME[type];
    if (!parents || decl.block.blocks.length > 0) return undefined;
    const allowed = new Set(['name', ...parents, 'provider', 'depends_on']);
    if ([...decl.block.attrs.keys()].some((k) => !allowed.has(k))) return undefined;
    const e = decl.block.attrs.get('name')?.expr;
    if (!e || e.k !== 'attr' || e.name !== 'name' || e.obj.k !== 'attr' || e.obj.obj.k !== 'var' || e.obj.obj.name !== type)
      return undefined;
    const target = this.def.resources.get(`${type}.${e.obj.name}`);
    if (!target || target.block.attrs.has('count') || target.block.attrs.has('for_each')) return undefined;
    // Names are unique per subscription only: the lookup reads the resource when both use the same provider
    // configuration (none, or the same alias written the same way).
    const provider = (b: Block, text: string): string | undefined => {
      const a = b.attrs.get('provider');
      return a ? exprText(a.expr, text) : undefined;
    };
    if (provider(decl.block, decl.src.text) !== provider(target.block, target.src.text)) return undefined;
    const v = this.resourceValue(type, e.obj.name, '');
    if (!(v instanceof ResourceObj)) return undefined;
    const inst = v.instance;
    const scope = this.scope(decl.src);
    for (const p of parents) {
      const a = decl.block.attrs.get(p);
      if (!a || !sameKnown(evaluate(a.expr, scope), inst.attribute(p, p))) return undefined;
    }
    if (type !== 'azurerm_subnet') return inst;
    const prefixes = inst.attribute('address_prefixes', 'address_prefixes');
    const one = Array.isArray(prefixes) && prefixes.length === 1 && typeof prefixes[0] === 'string' ? prefixes[0] : undefined;
    return {
      address: inst.address,
      ...(inst.type !== undefined ? { type: inst.type } : {}),
      ...(inst.conditional !== undefined ? { conditional: inst.conditional } : {}),
      attribute: (name: string, text: string): Value => {
        const own = inst.attribute(name, text);
        return name === 'address_prefix' && typeof own !== 'string' && one !== undefined ? one : own;
      },
      ...(inst.nested ? { nested: inst.nested.bind(inst) } : {}),
      ...(inst.blockCount ? { blockCount: inst.blockCount.bind(inst) } : {}),
    };
  }

  resourceValue(type: string, name: string, text: string): Value {
    const key = `${type}.${name}`;
    const decl = this.def.resources.get(key);
    if (!decl) {
      const node = this.node('res', key);
      if (node !== undefined) this.ctx.tracker?.read(node);
      return new Unknown(text, `resource ${key} is not declared in this module`);
    }
    return this.group(decl).asValue(text);
  }

  call(name: string): ChildCall | undefined {
    const node = this.node('module', name);
    if (node !== undefined) this.ctx.tracker?.read(node);
    const cached = this.callCache.get(name);
    if (cached) return cached;
    return tracked(this.ctx, node, () => this.makeCall(name));
  }

  private makeCall(name: string): ChildCall | undefined {
    const decl = this.def.calls.get(name);
    if (!decl) return undefined;
    const { block, src } = decl;
    const scope = this.scope(src);
    const sourceAttr = block.attrs.get('source');
    const sv = sourceAttr ? evaluate(sourceAttr.expr, scope) : undefined;
    const source = typeof sv === 'string' ? sv : undefined;
    const call: ChildCall = { decl, name, source, instances: [], mode: 'single' };
    this.callCache.set(name, call);
    const countAttr = block.attrs.get('count');
    const eachAttr = block.attrs.get('for_each');
    const keyed: { key: string | number | undefined; vars: Map<string, Value> }[] = [];
    if (countAttr) {
      call.mode = 'count';
      const v = evaluate(countAttr.expr, scope);
      const n = asNumber(v);
      if (n === undefined || !Number.isInteger(n) || n < 0 || n > 100) {
        call.unknown = new Unknown(
          src.text.slice(countAttr.expr.s.start, countAttr.expr.s.end),
          v instanceof Unknown ? v.reason : 'count is not a whole number from 0 to 100',
        );
      } else for (let i = 0; i < n; i++) keyed.push({ key: i, vars: new Map([['count', new Map<string, Value>([['index', i]])]]) });
    } else if (eachAttr) {
      call.mode = 'for_each';
      const v = evaluate(eachAttr.expr, scope);
      const entries = forEachEntries(v);
      if (!entries)
        call.unknown = new Unknown(
          src.text.slice(eachAttr.expr.s.start, eachAttr.expr.s.end),
          v instanceof Unknown ? v.reason : 'for_each needs a map or a set of strings',
        );
      else
        for (const [k, val] of entries)
          keyed.push({
            key: k,
            vars: new Map([
              [
                'each',
                new Map<string, Value>([
                  ['key', k],
                  ['value', val],
                ]),
              ],
            ]),
          });
    } else keyed.push({ key: undefined, vars: new Map() });
    // Each instance is a module evaluated again: 1,000 x 1,000 x 1,000 nested for_each is charged
    // as it is made, and stops at the budget.
    if (!call.unknown && !chargeBudget(keyed.length * (MODULE_INSTANCE_COST + block.attrs.size))) {
      const at = (eachAttr ?? countAttr)?.expr.s ?? block.header;
      noteBudgetExhausted(src.text, at.start, at.end);
      call.unknown = new Unknown(src.text.slice(at.start, at.end), BUDGET_EXCEEDED);
      keyed.length = 0;
    }

    const keyPath = this.keyPath ? `${this.keyPath}.${name}` : name;
    const childDir =
      source === undefined
        ? undefined
        : isLocalSource(source)
          ? joinDir(this.def.dir, source)
          : this.ctx.installed?.get(this.rootDir)?.get(keyPath);
    call.installed = childDir !== undefined && !isLocalSource(source as string);
    const childDef = childDir !== undefined ? this.ctx.defs.get(childDir) : undefined;
    for (const k of keyed) {
      let child: ModuleInstance | undefined;
      if (childDef && !this.stack.includes(childDef.dir) && this.stack.length < 16) {
        const inputs = new Map<string, Lazy>();
        const callArgs = new Map<string, { attr: Attribute; scope: Scope; src: SourceFile }>();
        const callScope = this.scope(src, k.vars);
        for (const attr of block.attrs.values()) {
          if (MODULE_META.has(attr.name)) continue;
          let memo: Value | undefined;
          inputs.set(attr.name, () => (memo ??= evaluateStrict(attr.expr, callScope)));
          callArgs.set(attr.name, { attr, scope: callScope, src });
        }
        child = new ModuleInstance(
          this.ctx,
          childDef,
          `${this.prefix}module.${name}${keySuffix(k.key)}.`,
          inputs,
          [...this.stack, childDef.dir],
          this,
          keyPath,
        );
        child.callArgs = callArgs;
        const providers = providerMap(block.attrs.get('providers')?.expr);
        if (providers) child.providerMap = providers;
        child.callSite = { src, span: block.header };
      }
      call.instances.push({ key: k.key, child, vars: k.vars });
    }
    return call;
  }

  moduleValue(name: string, text: string): Value {
    const call = this.call(name);
    if (!call) return new Unknown(text, `module "${name}" is not declared`);
    if (call.unknown) return new Unknown(text, call.unknown.reason);
    const objs = call.instances.map((i) =>
      i.child
        ? new ModuleObj(i.child)
        : new Namespace(
            `module.${name}`,
            (_n, t) =>
              new Unknown(
                t,
                call.source !== undefined && !isLocalSource(call.source)
                  ? unreadOutputsReason(name, call.source)
                  : `outputs of module "${name}" (${call.source ?? 'unknown source'}) are not available offline`,
              ),
          ),
    );
    if (call.mode === 'single') return objs[0];
    if (call.mode === 'count') return objs;
    return new Map(call.instances.map((i, n) => [String(i.key), objs[n]] as [string, Value]));
  }

  output(name: string, text: string): Value {
    const key = this.node('output', name);
    if (key !== undefined) this.ctx.tracker?.read(key);
    const decl = this.def.outputs.get(name);
    const attr = decl?.block.attrs.get('value');
    if (!decl || !attr) return new Unknown(text, `module output "${name}" is not declared`);
    const guard = `${this.prefix}output.${name}`;
    if (this.ctx.inProgress.has(guard)) {
      this.ctx.sawCycle = true;
      return new Unknown(text, 'reference cycle');
    }
    this.ctx.inProgress.add(guard);
    try {
      return tracked(this.ctx, key, () => evaluateStrict(attr.expr, this.scope(decl.src)));
    } finally {
      this.ctx.inProgress.delete(guard);
    }
  }
}

/** `to` relative to `from` with `/` separators (`.` when equal), as Terraform writes path.module. */
export function relativeDir(from: string, to: string): string {
  const parts = (d: string) => d.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const a = parts(from);
  const b = parts(to);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rel = [...a.slice(i).map(() => '..'), ...b.slice(i)];
  return rel.length ? rel.join('/') : '.';
}
