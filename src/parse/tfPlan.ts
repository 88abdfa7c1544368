// `terraform show -json` output (a plan, or state): resources from `planned_values` (or `values`),
// unknown attributes from `resource_changes[].change.after_unknown`, and the references of unknown
// attributes from `configuration`, so `vpc_id = aws_vpc.main.id` (known after apply) still resolves
// to the address `aws_vpc.main`. Each resource goes through the Terraform parser's own mappers (the
// schema is the provider's in both), seen through `PlanView`: element ids are resource addresses.
import { unresolved, type NetworkElement, type ElementBase, type ElementKind, type Cloud, type SourceRange } from '../model/types';
import type { Declaration, ModelFragment, ParseOptions } from './types';
import { JsonDoc, readJsonInput, type JsonNode as Node } from './jsonDoc';
import { BlockView, Collector, type Res } from './terraform/emit';
import type { Block, Span } from './terraform/ast';
import type { Scope } from './terraform/evaluate';
import type { FileAst } from './terraform/ast';
import type { SourceFile } from './terraform/modules';
import { RefVal, Unknown, type Value } from './terraform/values';
import { MAPPERS, type Mapper } from './terraform/mappers';

export function looksLikeTfPlan(doc: JsonDoc): boolean {
  const r = doc.root;
  if (!r || doc.type(r) !== 'object') return false;
  return doc.has(r, 'format_version') && (doc.has(r, 'planned_values') || doc.has(r, 'resource_changes') || doc.has(r, 'values'));
}

export function parseTfPlan(file: string, text: string, _opts?: ParseOptions): ModelFragment {
  return readJsonInput(file, text, { format: 'terraform-plan', top: 'object', what: 'terraform show -json output' }, (doc, root, out) =>
    new Plan(doc, out).read(root),
  );
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `aws_subnet.nat["a"]` -> `aws_subnet.nat`; module instance keys are kept. */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/** A JSON value as the evaluator's Value: objects become maps; null and "" are not written. */
function toValue(v: unknown): Value | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v)) return v.map((x) => toValue(x) ?? null);
  if (isObj(v)) return new Map(Object.entries(v).map(([k, x]) => [k, toValue(x) ?? null]));
  return v as Value;
}

const NO_SCOPE: Scope = { text: '', vars: new Map(), root: (_n, text) => new Unknown(text, 'not in a plan') };

/**
 * A plan object (a resource's values, or a nested block) with the accessor surface the Terraform
 * mappers read: known values as written, unknown ones as references taken from the configuration,
 * or Unknown "known after apply"; known ids of other resources become their addresses.
 */
class PlanView extends BlockView {
  constructor(
    readonly plan: Plan,
    out: Collector,
    readonly address: string,
    readonly node: Node,
    readonly values: Node | undefined,
    readonly unknown: unknown,
    readonly exprs: unknown,
    locSpan: Span,
  ) {
    const [start, end] = plan.doc.offsets(node);
    const block: Block = { type: '', labels: [], header: locSpan, span: { start, end }, attrs: new Map(), blocks: [] };
    super(out, plan.src, block, NO_SCOPE, locSpan);
  }

  protected get d(): JsonDoc {
    return this.plan.doc;
  }

  override has(name: string): boolean {
    return this.value(name) !== undefined;
  }

  override written(name: string): boolean {
    return isObj(this.exprs) && this.exprs[name] !== undefined;
  }

  override value(name: string): Value | undefined {
    const raw = this.d.get(this.values, name);
    const v = toValue(raw);
    // A list with unknown elements (`[null]`) is read from the configuration like an unknown one.
    const partly = Array.isArray(raw) && raw.includes(null);
    if (v !== undefined && !partly) return v;
    if (!partly && (!isObj(this.unknown) || this.unknown[name] !== true)) return undefined;
    const refs = this.plan.configRefs(this.exprs, name);
    if (refs === undefined) return new Unknown(this.text(name), 'known after apply (which instances it picks is not in the plan)');
    if (refs.length === 0) return partly ? v : new Unknown(this.text(name), 'known after apply');
    const one = (r: { address: string; attr: string | undefined }) => new RefVal(r.address, r.attr === undefined ? [] : [r.attr]);
    return refs.length > 1 || partly ? refs.map(one) : one(refs[0]);
  }

  override text(name: string): string {
    return this.plan.configText(this.exprs, name) ?? `${this.address}.${name}`;
  }

  override valueSpan(name: string): Span {
    const n = this.values ? this.d.propNode(this.values, name) : undefined;
    if (!n) return this.locSpan;
    const [start, end] = this.d.offsets(n);
    return { start, end };
  }

  /** The id is a reference to a resource of the plan (known after apply) or its known id: read from its values. */
  override idAttribute(v: Value, attr: string): { address: string; value: Value } | undefined {
    const address =
      v instanceof RefVal
        ? v.path.length === 1 && v.path[0] === 'id'
          ? v.address
          : undefined
        : typeof v === 'string'
          ? this.plan.addressOfId(v)
          : undefined;
    const value = address === undefined ? undefined : this.plan.attributeOf(address, attr);
    return value === undefined ? undefined : { address: address!, value };
  }

  override toRef(v: Value | undefined, name: string, text?: string): ReturnType<BlockView['toRef']> {
    // Every instance of a counted resource where one id is read (`element(aws_subnet.x[*].id, 0)`): which one is not in the plan.
    if (Array.isArray(v) && v.length > 1 && v.every((x) => x instanceof RefVal))
      return unresolved(text ?? this.text(name), 'known after apply (one of several instances; which one is not in the plan)');
    if (typeof v === 'string') {
      const a = this.plan.addressOfId(v);
      if (a !== undefined && a !== this.address) return a;
    }
    return super.toRef(v, name, text ?? this.text(name));
  }

  /** "Known after apply" is the normal state of a plan: not worth a diagnostic per attribute. */
  override tell(): void {}

  override attrNames(): string[] {
    return this.d.keys(this.values).filter((k) => this.has(k));
  }

  override attrRanges(): Record<string, SourceRange> {
    return this.d.attrs(this.values ?? this.node, this.d.keys(this.values)) ?? {};
  }

  override blocks(type: string): BlockView[] {
    const items = this.d.objects(this.values, type);
    const unk = isObj(this.unknown) ? this.unknown[type] : undefined;
    const ex = isObj(this.exprs) ? this.exprs[type] : undefined;
    return items.map((n, i) => {
      const [start, end] = this.d.offsets(n);
      return new PlanView(
        this.plan,
        this.out,
        this.address,
        n,
        n,
        Array.isArray(unk) ? unk[i] : undefined,
        Array.isArray(ex) ? ex[i] : undefined,
        { start, end },
      );
    });
  }
}

/** A resource of the plan, mapped by the mapper of its type. */
class PlanResource extends PlanView implements Res {
  constructor(
    plan: Plan,
    out: Collector,
    readonly type: string,
    address: string,
    node: Node,
    values: Node | undefined,
    unknown: unknown,
    exprs: unknown,
  ) {
    // Located at the resource's "address" property: short and precise.
    const key = plan.doc.propNode(node, 'address') ?? node;
    const [start, end] = plan.doc.offsets(key);
    super(plan, out, address, node, values, unknown, exprs, { start, end });
  }

  get id(): string {
    return this.address;
  }

  /** A plan has expanded every count and for_each. */
  readonly undecided = undefined;

  get preexisting(): boolean {
    return !this.plan.created.has(this.address);
  }

  base<K extends ElementKind>(kind: K, cloud: Cloud, name?: string): ElementBase & { kind: K } {
    const tags = this.stringMap('tags');
    const id = this.d.get(this.values, 'id');
    return {
      id: this.address,
      kind,
      name: tags?.Name ?? name ?? this.address,
      loc: this.loc(),
      extent: this.extent(),
      attrs: this.attrRanges(),
      address: this.address,
      cloud,
      ...(typeof id === 'string' && id !== '' ? { providerId: id } : {}),
      ...(tags && Object.keys(tags).length ? { tags } : {}),
    };
  }

  emit(el: NetworkElement): void {
    this.out.add(el, this.src, this.locSpan);
  }
}

class Plan {
  /** Every resource instance address of the plan. */
  private readonly elementAddresses = new Set<string>();
  /** The instances (`x[0]`, `x["k"]`) of each counted or for_each resource address (`x`), in the plan's order. */
  private readonly instances = new Map<string, string[]>();
  private readonly idToAddress = new Map<string, string>();
  private readonly valuesByAddress = new Map<string, Node>();
  private readonly exprsByConfigAddress = new Map<string, unknown>();
  /** The resources the plan creates (a replacement too); any other exists before it (a state: every one). */
  readonly created = new Set<string>();
  readonly src: SourceFile;

  constructor(
    readonly doc: JsonDoc,
    readonly out: ModelFragment,
  ) {
    const ast: FileAst = { blocks: [], topAttrs: [], problems: [], duplicates: [] };
    this.src = { file: doc.file, dir: '', text: doc.text, lines: doc.map, ast, tfvars: false };
  }

  addressOfId(id: string): string | undefined {
    return this.idToAddress.get(id);
  }

  /** A known attribute of a resource of the plan. */
  attributeOf(address: string, attr: string): Value | undefined {
    const values = this.valuesByAddress.get(address);
    return values === undefined ? undefined : toValue(this.doc.get(values, attr));
  }

  /**
   * Resource addresses (and the attribute read) an expression references, only those in this plan.
   * A reference to a counted or for_each resource as a whole (`aws_subnet.x[*].id`, `[for s in aws_subnet.x : s.id]`:
   * Terraform lists `aws_subnet.x`) stands for every instance, in the plan's order; when the expression also reads
   * `count.index`, `each`, a variable, a local or a data source (`aws_subnet.x[count.index].id` is listed the same way), which instances it
   * picks is not known: undefined, the value stays unknown.
   */
  configRefs(exprs: unknown, attr: string): { address: string; attr: string | undefined }[] | undefined {
    const e = isObj(exprs) ? exprs[attr] : undefined;
    const refs =
      isObj(e) && Array.isArray(e.references) ? (e.references as unknown[]).filter((r): r is string => typeof r === 'string') : [];
    const found: { address: string; attr: string | undefined }[] = [];
    const add = (hit: { address: string; attr: string | undefined }) => {
      if (!found.some((f) => f.address === hit.address)) found.push(hit);
    };
    const picks = refs.some((r) => /^(count|each|var|local|data)\./.test(r));
    for (const r of refs) {
      if (this.elementAddresses.has(r)) {
        add({ address: r, attr: undefined });
        continue;
      }
      const m = /^(.*)\.([a-z_]+)$/.exec(r);
      if (m && this.elementAddresses.has(m[1])) {
        add({ address: m[1], attr: m[2] });
        continue;
      }
      const all = this.instances.get(r);
      // Terraform 1.x lists `aws_subnet.x[0].id`, `aws_subnet.x[0]` and `aws_subnet.x` for one instance: that one.
      if (all !== undefined && !refs.some((o) => o.startsWith(`${r}[`))) {
        if (picks) return undefined;
        for (const a of all) add({ address: a, attr: undefined });
      }
    }
    return found;
  }

  configText(exprs: unknown, attr: string): string | undefined {
    const e = isObj(exprs) ? exprs[attr] : undefined;
    if (isObj(e) && Array.isArray(e.references) && e.references.length) return (e.references as unknown[]).map(String).join(', ');
    return undefined;
  }

  read(root: Node): void {
    const d = this.doc;
    const unknownByAddress = new Map<string, unknown>();
    for (const rc of d.objects(root, 'resource_changes')) {
      const addr = d.str(rc, 'address');
      const change = d.prop(rc, 'change');
      if (addr && change) unknownByAddress.set(addr, d.get(change, 'after_unknown'));
      const actions = d.get(change, 'actions');
      if (addr && Array.isArray(actions) && actions.includes('create')) this.created.add(addr);
    }
    this.collectConfig(d.prop(d.prop(root, 'configuration'), 'root_module'), '');
    const pv = d.prop(root, 'planned_values') ?? d.prop(root, 'values');
    const nodes: Node[] = [];
    const walk = (mod: Node | undefined, depth: number) => {
      if (!mod || depth > 50) return;
      // One by one: spreading a module of over about 120,000 resources into push() overflows the stack.
      for (const r of d.objects(mod, 'resources')) nodes.push(r);
      for (const c of d.objects(mod, 'child_modules')) walk(c, depth + 1);
    };
    walk(d.prop(pv, 'root_module'), 0);
    if (!pv) {
      // A plan without planned_values: fall back to the `after` side of each change.
      for (const rc of d.objects(root, 'resource_changes')) nodes.push(rc);
    }
    const found: { address: string; type: string; node: Node; values: Node | undefined }[] = [];
    for (const n of nodes) {
      if ((d.str(n, 'mode') ?? 'managed') !== 'managed') continue;
      const address = d.str(n, 'address');
      const type = d.str(n, 'type');
      if (!address || !type) {
        // Terraform always prints both: the plan was cut or edited. An input error, never a silent skip.
        this.out.diagnostics.push(
          d.diagAt(
            n,
            'damaged-input',
            'error',
            `Looks like a terraform plan but a resource cannot be read: it has no ${address ? 'type' : 'address'}`,
          ),
        );
        continue;
      }
      const values = pv ? d.prop(n, 'values') : d.prop(d.prop(n, 'change'), 'after');
      if (!pv && d.type(values) !== 'object') continue;
      found.push({ address, type, node: n, values });
      if (values !== undefined) this.valuesByAddress.set(address, values);
      this.elementAddresses.add(address);
      const whole = configAddress(address);
      if (whole !== address) {
        const list = this.instances.get(whole);
        if (list) list.push(address);
        else this.instances.set(whole, [address]);
      }
      // Known ids, ARNs and (Aviatrix) uuids name the resource that has them.
      for (const key of ['id', 'arn', 'uuid']) {
        const id = d.str(values, key);
        if (id) this.idToAddress.set(id, address);
      }
    }
    const out = new Collector();
    const declared = new Map<string, Declaration>();
    for (const f of found) {
      const mapper = MAPPERS[f.type];
      const n = out.entries.length;
      if (mapper) this.map(mapper, f, out, unknownByAddress);
      // A type outside the model, or a mapped one in a form it leaves out: a reference to it says so.
      if (out.entries.length === n) {
        const id = configAddress(f.address);
        if (!declared.has(id)) {
          const [start, end] = d.offsets(d.propNode(f.node, 'address') ?? f.node);
          declared.set(id, { id, type: f.type, loc: { file: d.file, range: d.map.range(start, end) } });
        }
      }
    }
    out.runPosts();
    out.applyAliases();
    for (const { el } of out.entries) this.out.elements.push(el);
    if (declared.size) this.out.declared = [...declared.values()];
    for (const p of out.problems)
      this.out.diagnostics.push({
        code: p.code,
        severity: p.severity,
        message: p.message,
        loc: { file: p.src.file, range: d.map.range(p.span.start, p.span.end) },
      });
  }

  private map(
    mapper: Mapper,
    f: { address: string; type: string; node: Node; values: Node | undefined },
    out: Collector,
    unknownByAddress: Map<string, unknown>,
  ): void {
    const r = new PlanResource(
      this,
      out,
      f.type,
      f.address,
      f.node,
      f.values,
      unknownByAddress.get(f.address),
      this.exprsByConfigAddress.get(configAddress(f.address)),
    );
    try {
      mapper(r);
    } catch (e) {
      out.problem(this.src, r.locSpan, 'internal-error', 'warning', `${f.address} could not be read: ${(e as Error).message}`);
    }
  }

  private collectConfig(mod: Node | undefined, prefix: string, depth = 0): void {
    const d = this.doc;
    if (!mod || depth > 50) return;
    for (const r of d.objects(mod, 'resources')) {
      const a = d.str(r, 'address');
      if (a) this.exprsByConfigAddress.set(prefix + a, d.get(r, 'expressions'));
    }
    const calls = d.prop(mod, 'module_calls');
    for (const [name, call] of d.entries(calls)) {
      this.collectConfig(d.prop(call, 'module'), `${prefix}module.${name}.`, depth + 1);
    }
  }
}
