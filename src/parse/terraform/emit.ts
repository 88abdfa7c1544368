// The bridge from evaluated resource instances to model elements: typed accessors over a block
// (string, bool, number, reference), nested and dynamic blocks, locations, and the collector that
// gathers elements per file and runs the cross-resource fix-ups after every resource was read.
import type { Block, Expr, Span } from './ast';
import { evaluate, evaluateStrict, type Scope } from './evaluate';
import { InstanceGroup, joinGroup } from './instanceGroups';
import type { EvalProblem, ResourceInstance, SourceFile } from './modules';
import { dynamicEntries, forEachEntries } from './modules';
import {
  EndpointPick,
  RefVal,
  Unknown,
  anyConditional,
  asBool,
  asNumber,
  asString,
  cidrLength,
  conditionalAt,
  isSet,
  type Value,
} from './values';
import { TrackedMap, type Tracker } from './deps';
import { noteNetworkFeed, type UnreadCall } from './unreadNetworks';
import type { Declaration } from '../types';
import type {
  Cloud,
  ElementBase,
  ElementKind,
  ModuleCall,
  NetworkElement,
  Ref,
  RouteInput,
  SourceLocation,
  SourceRange,
  Unresolved,
  Val,
} from '../../model/types';
import { unresolved } from '../../model/types';
import { isPlaceholderAz } from '../../model/az';
import { parseCidr } from '../../model/cidr';
import { quoted } from '../../model/where';

/** Attributes whose reference stands for the resource itself (`aws_vpc.main.id`). */
const ID_ATTRS = new Set([
  'id',
  'arn',
  'vpc_id',
  'subnet_id',
  'service_name',
  'uuid',
  'gw_name',
  'allocation_id',
  'network_interface_id',
  // An instance's primary interface stands for the instance (routes name it as their network interface).
  'primary_network_interface_id',
  'association_id',
  'name',
]);

/** `aws_vpc.main.default_route_table_id` names the VPC's default (main) route table. */
export function defaultTableId(vpcId: string): string {
  return `${vpcId}.default_route_table`;
}

/**
 * `aws_ec2_transit_gateway.hub.association_default_route_table_id` (and `propagation_default_route_table_id`)
 * names the TGW's default route table, which AWS creates when default association or propagation is on.
 */
export function tgwDefaultTableId(tgwId: string): string {
  return `${tgwId}.default_route_table`;
}

/** Terraform's own address of an id: without the root label that qualifies ids of one root among several. */
export function tfAddress(id: string): string {
  const colon = id.indexOf(':');
  if (colon <= 0) return id;
  const bracket = id.indexOf('[');
  return (bracket < 0 || colon < bracket) && id.indexOf('.', colon) > 0 ? id.slice(colon + 1) : id;
}

/** Resource type of an absolute address: `module.a["x"].aws_subnet.b[0]` -> `aws_subnet`. */
export function resourceTypeOf(address: string): string {
  // Ids of one root among several start with the root's label: `dev:module.net.aws_vpc.this`.
  let rest = tfAddress(address);
  for (;;) {
    if (!rest.startsWith('module.')) break;
    let i = 'module.'.length;
    while (i < rest.length && rest[i] !== '.' && rest[i] !== '[') i++;
    if (rest[i] === '[') {
      const close = rest[i + 1] === '"' ? rest.indexOf('"]', i + 2) + 1 : rest.indexOf(']', i);
      if (close <= 0) return '';
      i = close + 1;
    }
    rest = rest.slice(i + 1);
  }
  const dot = rest.indexOf('.');
  return dot < 0 ? rest : rest.slice(0, dot);
}

/**
 * nameIndex space of the networks whose ranges may not all be in the inputs (subnet-outside-network is then not
 * said for their subnets), each with why; under `''`: any network of the inputs may be one.
 */
export const RANGES_OPEN = 'networkRangesOpen';

export class Collector {
  readonly entries: { el: NetworkElement; file: string }[] = [];
  /** Resources that gave no element of their own (see ModelFragment.declared), with their file. */
  readonly declared: { d: Declaration; file: string }[] = [];
  readonly byId: Map<string, NetworkElement>;
  readonly problems: EvalProblem[] = [];
  private readonly posts: { fn: () => void; file: string | undefined }[] = [];
  /** Ref rewrites applied at the end (`aws_vpc.x.default_route_table` -> `aws_default_route_table.y`). */
  readonly aliases: Map<string, string>;
  /** Display names to ids, for references written as names (Aviatrix gw_name, Azure names). */
  readonly names = new Map<string, Map<string, string>>();
  /** VPCs whose main role an aws_main_route_table_association moved to another table. */
  readonly mainMoved: Map<string, true>;
  /**
   * VPCs some subnet resource places a subnet in, or declares with zero instances (subnetHomes.ts). Under
   * `''`: the first subnet whose VPC cannot be decided (it may be in any of them), or `true` for a block with
   * zero instances whose VPC cannot be decided (it may have declared any of them empty).
   */
  readonly subnetHomes: Map<string, true | NetworkElement>;
  /**
   * Unread modules (by the reason their outputs give, unreadNetworks.ts) some output of which a resource uses
   * as a network reference, with the flavor of network that reference tells (`''`: not told).
   */
  readonly networkFeeds: Map<string, 'vpc' | 'vnet' | ''>;
  /** Unread module calls, by the reason their outputs give (unreadNetworks.ts): their source and arguments. */
  readonly unreadCalls: Map<string, UnreadCall>;
  /** VPCs/VNets of the inputs some of whose subnets or route tables an unread module makes: why (Vpc.unreadParts). */
  readonly unreadParts: Map<string, Unresolved>;
  /**
   * TGW route table associations that cannot be placed (TgwAttachment.associationUndecided), by the attachment
   * they name; under `''` the first one whose attachment cannot be decided (it may name any of them).
   */
  readonly tgwAssociationsUndecided: Map<string, string>;
  /** Problems already reported, by file and span, for deduplication. */
  private readonly reported = new Map<string, Map<number, EvalProblem | EvalProblem[]>>();

  constructor(
    /** Charges element ids, aliases and names to the file being processed (incremental builds). */
    readonly tracker?: Tracker,
    /** Only these files are being recomputed: output for other files is dropped. */
    readonly only?: ReadonlySet<string>,
  ) {
    const t = () => this.tracker;
    this.byId = tracker ? new TrackedMap(t, 'id:') : new Map();
    this.aliases = tracker ? new TrackedMap(t, 'alias:') : new Map();
    this.mainMoved = tracker ? new TrackedMap(t, 'main:') : new Map();
    this.subnetHomes = tracker ? new TrackedMap(t, 'subnets:') : new Map();
    this.networkFeeds = tracker ? new TrackedMap(t, 'feeds:') : new Map();
    this.unreadCalls = tracker ? new TrackedMap(t, 'unread:') : new Map();
    this.unreadParts = tracker ? new TrackedMap(t, 'parts:') : new Map();
    this.tgwAssociationsUndecided = tracker ? new TrackedMap(t, 'tgwassoc:') : new Map();
  }

  /** Whether output for this file is kept in this build. */
  keeps(file: string): boolean {
    return !this.only || this.only.has(file);
  }

  private emitted(file: string): void {
    // Output written into another file's fragment ties the two files together.
    const t = this.tracker;
    if (t && t.currentFile !== undefined && t.currentFile !== file) {
      t.touch(`emit:${file}`);
      t.touch(`emit:${file}`, file);
    }
  }

  add(el: NetworkElement, src: SourceFile, span: Span): void {
    if (!this.keeps(src.file)) return;
    this.emitted(src.file);
    if (this.byId.has(el.id)) {
      this.problem(src, span, 'duplicate-id', 'error', `${el.id} is defined more than once`);
      return;
    }
    this.byId.set(el.id, el);
    if (el.kind === 'rtAssociation' && typeof el.mainOfVpc === 'string') this.mainMoved.set(el.mainOfVpc, true);
    if (el.kind === 'subnet') {
      if (typeof el.vpc === 'string') this.subnetHomes.set(el.vpc, true);
      else if (!this.subnetHomes.has('')) this.subnetHomes.set('', el);
    }
    this.entries.push({ el, file: src.file });
  }

  /** A resource of `src` that gave no element of its own. */
  declare(d: Declaration, src: SourceFile): void {
    if (this.keeps(src.file)) this.declared.push({ d, file: src.file });
  }

  post(fn: () => void): void {
    this.posts.push({ fn, file: this.tracker?.currentFile });
  }

  runPosts(): void {
    // A fix-up may queue another (e.g. an attachment that needs the target group's listener).
    for (let i = 0; i < this.posts.length; i++) {
      const { fn, file } = this.posts[i];
      try {
        if (this.tracker && file !== undefined) this.tracker.inFile(file, fn);
        else fn();
      } catch {
        // One broken resource must not stop the others.
      }
    }
  }

  /** References to a VPC's default route table point at aws_default_route_table when it exists. */
  applyAliases(): void {
    if (this.aliases.size === 0) return;
    const fix = (r: unknown) => (typeof r === 'string' ? (this.aliases.get(r) ?? r) : r);
    for (const { el, file } of this.entries) {
      if (el.kind !== 'rtAssociation') continue;
      if (this.tracker) this.tracker.inFile(file, () => (el.routeTable = fix(el.routeTable) as typeof el.routeTable));
      else el.routeTable = fix(el.routeTable) as typeof el.routeTable;
    }
  }

  nameIndex(space: string): Map<string, string> {
    let m = this.names.get(space);
    if (!m) {
      m = this.tracker ? new TrackedMap(() => this.tracker, `name:${space}:`) : new Map<string, string>();
      this.names.set(space, m);
    }
    return m;
  }

  problem(src: SourceFile, span: Span, code: EvalProblem['code'], severity: EvalProblem['severity'], message: string): void {
    if (!this.keeps(src.file)) return;
    this.emitted(src.file);
    let inFile = this.reported.get(src.file);
    if (!inFile) this.reported.set(src.file, (inFile = new Map()));
    const key = span.start * 4_194_304 + span.end;
    const seen = inFile.get(key);
    const dup = (p: EvalProblem) => p.code === code && p.message === message && p.span.start === span.start && p.span.end === span.end;
    if (seen && (Array.isArray(seen) ? seen.some(dup) : dup(seen))) return;
    const p: EvalProblem = { code, severity, message, src, span };
    if (!seen) inFile.set(key, p);
    else if (Array.isArray(seen)) seen.push(p);
    else inFile.set(key, [seen, p]);
    this.problems.push(p);
  }
}

/** A block (resource body, nested block or dynamic content) with typed attribute accessors. */
export class BlockView {
  constructor(
    readonly out: Collector,
    readonly src: SourceFile,
    readonly block: Block,
    readonly scope: Scope,
    /** The span diagnostics and `loc` point at: the header, or the dynamic block's header. */
    readonly locSpan: Span,
    private readonly evalAttr?: (name: string) => Value | undefined,
  ) {}

  /** A block a `dynamic` block generates: its for_each, iterator name and this iteration's position and value. */
  iteration?: { each: Expr; iterator: string; index: number; value: Value };

  has(name: string): boolean {
    return this.evalAttr ? this.evalAttr(name) !== undefined : this.block.attrs.has(name);
  }

  /** Whether the configuration writes the attribute (a value the provider computes is not written). */
  written(name: string): boolean {
    return this.block.attrs.has(name);
  }

  /**
   * The `lifecycle { ignore_changes }` expression when it names one of `attrs` (or `all`): Terraform leaves that
   * attribute as it finds it, which may not be what is written (set outside Terraform). Read from the syntax.
   */
  ignoredChanges(...attrs: string[]): Expr | undefined {
    const e = this.block.blocks.find((b) => b.type === 'lifecycle')?.attrs.get('ignore_changes')?.expr;
    const names = (x: Expr): boolean =>
      (x.k === 'var' && (x.name === 'all' || attrs.includes(x.name))) ||
      (x.k === 'lit' && typeof x.v === 'string' && (x.v === 'all' || attrs.includes(x.v)));
    return e && (names(e) || (e.k === 'tuple' && e.items.some(names))) ? e : undefined;
  }

  value(name: string): Value | undefined {
    if (this.evalAttr) return this.evalAttr(name);
    const a = this.block.attrs.get(name);
    return a ? evaluateStrict(a.expr, this.scope) : undefined;
  }

  text(name: string): string {
    const a = this.block.attrs.get(name);
    if (a) return this.src.text.slice(a.expr.s.start, a.expr.s.end);
    // A view over an object value (attributes-as-blocks): the object's own text.
    return this.evalAttr && this.locSpan !== this.block.header ? this.src.text.slice(this.locSpan.start, this.locSpan.end) : '';
  }

  valueSpan(name: string): Span {
    return this.block.attrs.get(name)?.expr.s ?? this.locSpan;
  }

  range(span: Span): SourceRange {
    return this.src.lines.range(span.start, span.end);
  }

  loc(span: Span = this.locSpan): SourceLocation {
    return { file: this.src.file, range: this.range(span) };
  }

  /** The whole block's range. */
  extent(): SourceRange {
    return this.range(this.block.span);
  }

  /** Names of the attributes written in this block, in order. */
  attrNames(): string[] {
    return [...this.block.attrs.keys()];
  }

  /** Value ranges of the written attributes, for quick fixes. */
  attrRanges(): Record<string, SourceRange> {
    const attrs: Record<string, SourceRange> = {};
    for (const a of this.block.attrs.values()) attrs[a.name] = this.range(a.expr.s);
    return attrs;
  }

  /** Reports an Unknown worth telling (not merely computed by the provider) once per attribute. */
  tell(name: string, u: Unknown): void {
    const missing = /is not declared/.test(u.reason);
    this.out.problem(
      this.src,
      this.valueSpan(name),
      missing ? 'missing-reference' : 'unresolved-value',
      missing ? 'warning' : 'info',
      `${name}: ${u.text || this.text(name)} cannot be decided offline (${u.reason})`,
    );
  }

  toStr(v: Value | undefined, name: string): Val<string> | undefined {
    if (v === undefined || v === null) return undefined;
    const s = asString(v);
    if (s !== undefined) return s;
    const text = this.text(name);
    if (v instanceof Unknown) {
      this.tell(name, v);
      const bits = v.suffix !== undefined ? cidrLength(v) : undefined;
      const u = bits === undefined ? unresolved(text, v.reason) : { ...unresolved(text, v.reason), prefixLength: bits };
      return v.prefixOf !== undefined ? { ...u, prefixOf: v.prefixOf } : u;
    }
    if (v instanceof RefVal) return unresolved(text, `known only after apply (${v.address}${v.path.length ? '.' + v.path.join('.') : ''})`);
    return unresolved(text, 'not a single value');
  }

  str(name: string): Val<string> | undefined {
    return this.toStr(this.value(name), name);
  }

  /**
   * A CIDR attribute: as str(), but a known text that is no CIDR and too long to quote (a file's text read by
   * `file()`) is unresolved and described, so no report carries it whole (review R1).
   */
  cidr(name: string): Val<string> | undefined {
    const v = this.str(name);
    if (typeof v !== 'string' || parseCidr(v) || quoted(v) === `"${v}"`) return v;
    return unresolved(this.text(name), `${name} is ${quoted(v)}, not a CIDR`);
  }

  /**
   * An availability zone: its name, or for a zone not known offline but with a known identity
   * the placeholder `<az 1 of data.aws_availability_zones.x>` (see model/az.ts), else Unresolved.
   */
  az(name: string): Val<string> | undefined {
    const v = this.value(name);
    if (v instanceof Unknown && v.placeholder !== undefined && isPlaceholderAz(v.placeholder)) return v.placeholder;
    return this.toStr(v, name);
  }

  /** A plain string when decided, else undefined. */
  literal(name: string): string | undefined {
    const v = this.value(name);
    return v === undefined ? undefined : asString(v);
  }

  num(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined || v === null) return undefined;
    const n = asNumber(v);
    if (n === undefined && v instanceof Unknown) this.tell(name, v);
    return n;
  }

  bool(name: string, dflt?: boolean): Val<boolean> | undefined {
    const v = this.value(name);
    if (v === undefined || v === null) return dflt;
    const b = asBool(v);
    if (b !== undefined) return b;
    if (v instanceof Unknown) this.tell(name, v);
    return unresolved(this.text(name), v instanceof Unknown ? v.reason : 'not a bool');
  }

  /** A reference (element id), a literal provider id, or Unresolved. */
  toRef(v: Value | undefined, name: string, text = this.text(name)): Ref | undefined {
    if (v === undefined || v === null) return undefined;
    if (v instanceof RefVal) {
      const head = v.path[0];
      if (v.path.length === 1 && (head === 'default_route_table_id' || head === 'main_route_table_id')) return defaultTableId(v.address);
      if (v.path.length === 1 && (head === 'association_default_route_table_id' || head === 'propagation_default_route_table_id'))
        return tgwDefaultTableId(v.address);
      if (v.path.length <= 1 && (head === undefined || (typeof head === 'string' && ID_ATTRS.has(head)))) return v.address;
      return unresolved(text, `known only after apply (${v.address}.${v.path.join('.')})`);
    }
    const s = asString(v);
    if (s !== undefined) return s;
    // `azurerm_virtual_network.x.name` whose name is not known offline: that resource all the same.
    if (v instanceof Unknown && v.nameOf !== undefined) return v.nameOf;
    if (v instanceof Unknown) {
      // A firewall endpoint picked by position is read as such by the route mapper (RouteTarget.pick).
      if (!(v instanceof EndpointPick)) this.tell(name, v);
      noteNetworkFeed(this.out, name, v.reason);
      return unresolved(text, v.reason);
    }
    return unresolved(text, 'not a reference');
  }

  ref(name: string): Ref | undefined {
    return this.toRef(this.value(name), name);
  }

  /**
   * An attribute of the resource whose id a value is (`azurerm_ip_group.x.id`, also when passed into a
   * module): the resource's address and the attribute's value, when the inputs hold that resource.
   */
  idAttribute(v: Value, attr: string, text: string): { address: string; value: Value } | undefined {
    if (!(v instanceof RefVal) || !v.of || v.path.length !== 1 || v.path[0] !== 'id') return undefined;
    return { address: v.address, value: v.of.attribute(attr, text) };
  }

  /** A list attribute as references (`subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]`). */
  refs(name: string): Ref[] {
    const v = this.value(name);
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v.map((x) => this.toRef(x, name)).filter((x): x is Ref => x !== undefined);
    const one = this.toRef(v, name);
    return one === undefined ? [] : [one];
  }

  strs(name: string): Val<string>[] {
    const v = this.value(name);
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v.map((x) => this.toStr(x, name)).filter((x): x is Val<string> => x !== undefined);
    const one = this.toStr(v, name);
    return one === undefined ? [] : [one];
  }

  /** A map of strings (tags); undefined when absent or not decidable. */
  stringMap(name: string): Record<string, string> | undefined {
    const v = this.value(name);
    if (!(v instanceof Map)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, x] of v) {
      const s = asString(x);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  /** Nested blocks of a type in source order: written ones and `dynamic "<type>"` expansions. */
  blocks(type: string): BlockView[] {
    const out: BlockView[] = [];
    for (const b of this.block.blocks) {
      if (b.type === type) out.push(new BlockView(this.out, this.src, b, this.scope, b.span));
      else if (b.type === 'dynamic' && b.labels[0] === type) out.push(...this.dynamic(b, type));
    }
    return out;
  }

  /**
   * The `dynamic "<type>"` blocks whose for_each cannot be decided offline, which blocks() skips: a mapper whose
   * answer depends on every block of the type (a route table's routes) carries them as Unresolved, never as absent.
   */
  undecidedBlocks(type: string): { view: BlockView; why: Unresolved }[] {
    const out: { view: BlockView; why: Unresolved }[] = [];
    for (const b of this.block.blocks) {
      if (b.type !== 'dynamic' || b.labels[0] !== type || !b.blocks.some((c) => c.type === 'content')) continue;
      const each = b.attrs.get('for_each');
      const u = each ? undecidedEach(evaluate(each.expr, this.scope), this.src.text.slice(each.expr.s.start, each.expr.s.end)) : undefined;
      if (!u) continue;
      const view = new BlockView(this.out, this.src, b, this.scope, { start: b.span.start, end: b.header.end });
      out.push({ view, why: unresolved(`dynamic "${type}"`, `for_each \`${view.text('for_each')}\`: ${u.reason}`) });
    }
    return out;
  }

  private dynamic(b: Block, type: string): BlockView[] {
    const content = b.blocks.find((c) => c.type === 'content');
    const each = b.attrs.get('for_each');
    if (!content || !each) return [];
    const itAttr = b.attrs.get('iterator');
    const iterator = itAttr && itAttr.expr.k === 'var' ? itAttr.expr.name : type;
    const v = evaluate(each.expr, this.scope);
    const entries = dynamicEntries(v);
    if (!entries) {
      const u = undecidedEach(v, this.src.text.slice(each.expr.s.start, each.expr.s.end))!;
      this.out.problem(
        this.src,
        each.expr.s,
        'unresolved-value',
        'info',
        `dynamic "${type}": ${u.text} cannot be decided offline (${u.reason}); its blocks are skipped`,
      );
      return [];
    }
    // A list's key is the index; a set's, the element itself; a map's, the entry's key (dynamicEntries).
    const set = Array.isArray(v) && isSet(v);
    const listKeys = Array.isArray(v) && !set;
    // Every generated block is evaluated, as a resource's instances are (lookups there: evaluate.ts lookupFamily);
    // zones past the first exist only in some regions.
    const group = new InstanceGroup();
    const someConditional = (v instanceof Map || Array.isArray(v)) && anyConditional(v);
    return entries.map(([k, val], i) => {
      const it = new Map<string, Value>([
        ['key', listKeys ? i : set ? val : k],
        ['value', val],
      ]);
      joinGroup(group, it, !someConditional || (v instanceof Map && !conditionalAt(v, k)));
      const vars = new Map(this.scope.vars);
      vars.set(iterator, it);
      // The dynamic block's header is what the user wrote for these generated blocks.
      const view = new BlockView(this.out, this.src, content, { ...this.scope, vars }, { start: b.span.start, end: b.header.end });
      view.iteration = { each: each.expr, iterator, index: listKeys ? i : -1, value: val };
      return view;
    });
  }

  /** First nested block of a type, if any. */
  first(type: string): BlockView | undefined {
    return this.blocks(type)[0];
  }
}

/** Why a dynamic block's for_each value gives no blocks offline; undefined when it is a collection. */
function undecidedEach(v: Value, text: string): Unknown | undefined {
  if (forEachEntries(v) !== undefined || Array.isArray(v)) return undefined;
  return v instanceof Unknown ? v : new Unknown(text, 'for_each needs a collection');
}

/** A resource being mapped, whichever input wrote it (a .tf block, or a plan JSON resource). */
export interface Res extends BlockView {
  /** The resource address, which is the element id. */
  readonly id: string;
  readonly type: string;
  /** The fields every element has: id, location, extent, attribute ranges, name, tags. */
  base<K extends ElementKind>(kind: K, cloud: Cloud, name?: string): ElementBase & { kind: K };
  emit(el: NetworkElement): void;
  /** Set on the placeholder of a block whose count/for_each cannot be decided offline. */
  readonly undecided: Unresolved | undefined;
  /** A plan or state: the resource exists before this apply (the plan does not create it). */
  readonly preexisting?: boolean;
  /** A module's route (this resource, or a block of it) made from its caller's argument (.tf only). */
  inputOf?(view: BlockView, attrs: readonly string[]): RouteInput | undefined;
}

/** `var.x`, `route.value.y`, `each.value`: the name the reference starts from and its first step. */
function refRoot(e: Expr): { root: string; first?: string } | undefined {
  let cur = e;
  let first: string | undefined;
  while (cur.k === 'attr' || cur.k === 'index') {
    if (cur.k === 'attr') first = cur.name;
    else first = cur.key.k === 'lit' && typeof cur.key.v === 'string' ? cur.key.v : undefined;
    cur = cur.obj;
  }
  return cur.k === 'var' ? { root: cur.name, ...(first !== undefined ? { first } : {}) } : undefined;
}

/**
 * The item of a list the caller writes (`routes = [{ ... }, { ... }]`) that one iteration is made from: the string
 * literal of that value (a list of strings iterates in key order), else the item at the iteration's position.
 */
function listItem(e: Expr, item: { index: number; value: Value }): Span | undefined {
  if (e.k !== 'tuple') return undefined;
  const s = asString(item.value);
  if (s !== undefined) return e.items.find((x) => x.k === 'lit' && x.v === s)?.s;
  return item.index >= 0 && item.index < e.items.length ? e.items[item.index].s : undefined;
}

/** The module variable a collection is (`var.routes`, `toset(var.routes)`). */
function collectionVar(e: Expr): string | undefined {
  let cur = e;
  while (cur.k === 'call' && cur.args.length === 1 && (cur.name === 'toset' || cur.name === 'tolist' || cur.name === 'tomap'))
    cur = cur.args[0];
  if (cur.k !== 'attr' || cur.obj.k !== 'var' || cur.obj.name !== 'var') return undefined;
  return cur.name;
}

/** A resource instance of a .tf file. */
export class TfResource extends BlockView implements Res {
  constructor(
    out: Collector,
    readonly inst: ResourceInstance,
  ) {
    super(out, inst.decl.src, inst.decl.block, inst.scope(), inst.decl.block.header, (n) => inst.value(n));
  }

  get id(): string {
    return this.inst.address;
  }

  get type(): string {
    return this.inst.decl.type;
  }

  /** The fields every element has: id, location, extent, attribute ranges, name, tags. */
  base<K extends ElementKind>(kind: K, cloud: Cloud, name?: string): ElementBase & { kind: K } {
    const attrs = this.attrRanges();
    const tags = shownTags(this.stringMap('tags'));
    const label = `${this.inst.decl.name}${this.inst.key === undefined ? '' : typeof this.inst.key === 'number' ? `[${this.inst.key}]` : `["${this.inst.key}"]`}`;
    return {
      id: this.id,
      kind,
      name: tags?.Name ?? (name !== undefined && showable(name) ? name : undefined) ?? label,
      loc: this.loc(),
      extent: this.range(this.block.span),
      attrs,
      address: tfAddress(this.id),
      cloud,
      ...(tags ? { tags } : {}),
      ...this.providerRegion(cloud),
      ...(this.undecided ? { undecided: this.undecided } : {}),
      ...(this.inst.conditional ? { conditional: unresolved(this.inst.conditional.text, this.inst.conditional.reason) } : {}),
      ...this.moduleCalls(),
    };
  }

  /** Set on the placeholder of a block whose count/for_each cannot be decided offline. */
  get undecided(): Unresolved | undefined {
    const u = this.inst.undecided;
    return u ? unresolved(u.text, u.reason) : undefined;
  }

  /**
   * Where the caller writes what a route of this module instance is made from: an attribute of the route written
   * `var.x`, or the iteration of a `dynamic` block (or of this resource's for_each) over `var.x`. The caller's list
   * item when it writes the list and the item is found, else its whole argument. Undefined in a root module.
   */
  inputOf(view: BlockView, attrs: readonly string[]): RouteInput | undefined {
    const mod = this.inst.module;
    const args = mod.callArgs;
    const call = mod.moduleCalls().at(-1);
    if (!args || !call) return undefined;
    for (const name of attrs) {
      const a = view.block.attrs.get(name);
      const ref = a ? refRoot(a.expr) : undefined;
      if (!ref) continue;
      let variable: string | undefined;
      let item: { index: number; value: Value } | undefined;
      if (ref.root === 'var') variable = ref.first;
      else if (view.iteration && ref.root === view.iteration.iterator && ref.first === 'value') {
        variable = collectionVar(view.iteration.each);
        item = view.iteration;
      } else if (ref.root === 'each' && ref.first === 'value') {
        const each = this.block.attrs.get('for_each');
        variable = each ? collectionVar(each.expr) : undefined;
        const v = this.inst.key !== undefined ? this.inst.vars.get('each') : undefined;
        if (v instanceof Map) item = { index: -1, value: v.get('value') as Value };
      }
      const arg = variable !== undefined ? args.get(variable) : undefined;
      if (!arg || variable === undefined) continue;
      const at = item ? listItem(arg.attr.expr, item) : undefined;
      const span = at ?? arg.attr.span;
      return { module: call.module, variable, loc: { file: arg.src.file, range: arg.src.lines.range(span.start, span.end) } };
    }
    return undefined;
  }

  /** A resource of a child module instance: the module calls that create it, the root's first. */
  private moduleCalls(): { moduleCalls?: ModuleCall[] } {
    const calls = this.inst.module.moduleCalls();
    return calls.length ? { moduleCalls: calls } : {};
  }

  /** The provider configuration an AWS resource uses (`aws`, `aws.eu`). */
  private awsProvider(): string {
    // `provider = aws.eu` is a reference to a configuration, read from the syntax, not evaluated.
    const p = this.block.attrs.get('provider')?.expr;
    return p?.k === 'attr' && p.obj.k === 'var' && p.obj.name === 'aws' ? `aws.${p.name}` : 'aws';
  }

  /** The `default_tags` of an AWS resource's provider configuration (an Unknown when not known offline). */
  providerDefaultTags(): Value | undefined {
    return this.type.startsWith('aws_') ? this.inst.module.providerDefaultTags(this.awsProvider()) : undefined;
  }

  /** AWS resources live in the region of the provider configuration. */
  private providerRegion(cloud: Cloud): { region?: Val<string> } {
    if (cloud !== 'aws' || !this.type.startsWith('aws_')) return {};
    const v = this.inst.module.providerRegion(this.awsProvider());
    const s = v === undefined ? undefined : asString(v);
    if (s !== undefined) return { region: s };
    if (v instanceof Unknown) return { region: unresolved(v.text, v.reason) };
    return {};
  }

  emit(el: NetworkElement): void {
    this.out.add(el, this.src, this.locSpan);
  }
}

/**
 * A name or tag value fit to show in a report: a value read from a file (`Name = file(".env")`) may hold a whole
 * file, secrets included, and every report prints names (review s15 R18). Longer than a name is, or with a line
 * break: left out (the element is named by its address).
 */
function showable(v: string): boolean {
  return v.length <= 256 && !/[\r\n]/.test(v);
}

function shownTags(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!tags || Object.values(tags).every(showable)) return tags;
  return Object.fromEntries(Object.entries(tags).filter(([, v]) => showable(v)));
}
