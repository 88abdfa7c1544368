// Values of the static Terraform evaluator. Anything that needs a provider, state or a data
// source stays Unknown (with the expression text and why) instead of being guessed.

/** A reference to a managed resource (or one of its computed attributes), e.g. `aws_vpc.main.id`. */
export class RefVal {
  constructor(
    /** Absolute resource instance address: `module.spoke.aws_subnet.app["a"]`. */
    readonly address: string,
    /** The attribute path after the address: `['id']`, `['public_subnets', 0, 'cidr']`. */
    readonly path: (string | number)[],
    /**
     * The instance this is an attribute of, when it came from one: for an id (`azurerm_ip_group.x.id` passed
     * into a module) its written attributes can be read where the id arrives (the group's `cidrs`); for a
     * nested block's attribute, what the block writes (`azurerm_lb.x.frontend_ip_configuration[0]...`).
     */
    readonly of?: ResourceInstanceLike,
  ) {}
}

/** Where an unknown comes from when it is a data source's attribute: `data.aws_availability_zones.available` and `names`. */
export interface UnknownSource {
  address: string;
  attr?: string;
}

export class Unknown {
  constructor(
    /** Source text of the expression that could not be decided. */
    readonly text: string,
    readonly reason: string,
    /**
     * Terraform itself would reject the expression (a missing attribute, an index out of range,
     * a function given bad arguments): what try() skips and can() reports as false. Otherwise the
     * value is merely not known offline.
     */
    readonly failed = false,
    /** The data source attribute this is, for shape assumptions (slice, index). */
    readonly source?: UnknownSource,
    /**
     * A stable name for one unknown element of a list whose length is known:
     * `<az 1 of data.aws_availability_zones.available>`. Two placeholders are the same value
     * exactly when their names are equal.
     */
    readonly placeholder?: string,
    /**
     * Substrings the string certainly contains once known, from the known pieces of a template, format()
     * or join() around an unknown one (`"plugin-op-commands=a,b,${local.ids}"`): enough to read one setting
     * of a bootstrap string whose other settings are computed (partialString).
     */
    readonly parts?: readonly string[],
    /**
     * The resource whose written `name` this is (`azurerm_virtual_network.vnet.name` where the name is
     * `"${random_pet.prefix.id}-vnet"`): the string is not known offline, but a reference to it names that
     * resource, which is how Azure resources join (`virtual_network_name`, `route_table_name`).
     */
    readonly nameOf?: string,
    /**
     * Bounds of an unknown whole number: `length(data.aws_availability_zones.x.names)` is at least 1,
     * `min(length(...), 3)` is 1 to 3 (hi may be Infinity).
     */
    readonly bounds?: Bounds,
    /**
     * How the string certainly ends once known: the known run after the last unknown piece of a template
     * (`"${data.http.myip.response_body}/32"` ends with `/32`), or what a function certainly returns last
     * (cidrsubnet of a base whose prefix length is known). A CIDR's prefix length is read from it (cidrLength).
     */
    readonly suffix?: string,
    /**
     * A list whose length is not known offline because some of its elements may be dropped (compact() over an
     * element that may be "" or null): its elements in order, `undefined` where there may or may not be elements
     * (of unknown content). The others are certainly there (`compact(["a=1", var.u])` is `["a=1", undefined]`),
     * so join() still knows their text (partialJoin).
     */
    readonly elements?: readonly ListElement[],
    /**
     * The subnet whose IPv6 prefix this is (`aws_subnet.x.ipv6_cidr_block` whose value AWS assigns at apply): a
     * route to it holds that subnet's IPv6 addresses (Unresolved.prefixOf).
     */
    readonly prefixOf?: string,
  ) {}

  /** This unknown as the written name of the resource at `address`. */
  asNameOf(address: string): Unknown {
    return new Unknown(this.text, this.reason, this.failed, this.source, this.placeholder, this.parts, address, undefined, this.suffix);
  }

  /** This unknown as the IPv6 prefix of the subnet at `address`. */
  asPrefixOf(address: string): Unknown {
    return new Unknown(
      this.text,
      this.reason,
      this.failed,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      this.suffix,
      undefined,
      address,
    );
  }
}

/** An element of a list known in part (Unknown.elements): a value, or `undefined` for maybe some elements. */
export type ListElement = string | Unknown | RefVal | undefined;

/** A list whose length is not known offline, with the elements it certainly holds (Unknown.elements). */
export function partialList(text: string, reason: string, elements: readonly ListElement[]): Unknown {
  return new Unknown(text, reason, false, undefined, undefined, undefined, undefined, undefined, undefined, elements);
}

/** Lower and upper bound of an unknown whole number. */
export interface Bounds {
  lo: number;
  hi: number;
}

/**
 * A placeholder element that exists only when the provider's list is long enough: the second of
 * `slice(data.aws_availability_zones.x.names, 0, min(length(...), 3))` is
 * `<az 2 of data.aws_availability_zones.x if the region has 2>`.
 */
const CONDITIONAL = / if the region has (\d+)>$/;

export function conditionalName(base: string, k: number): string {
  return `${base.slice(0, -1)} if the region has ${k}>`;
}

/**
 * Collections some of whose elements exist only conditionally without saying so themselves: `range(n)` for
 * n of 1 to 3 is [0, 1, 2] whose first element is certain, `[for i in that : cidrsubnet(...)]` likewise, a map
 * built from them has conditional keys. Lists record how many elements are certain (the first ones), maps
 * which keys are conditional. Values are never modified once built, so the marks stay true.
 */
const LIST_CERTAIN = new WeakMap<Value[], number>();
const MAP_CONDITIONAL = new WeakMap<Map<string, Value>, ReadonlySet<string>>();

export function markCertain(l: Value[], certain: number): Value[] {
  if (certain < l.length) LIST_CERTAIN.set(l, certain);
  return l;
}

export function markConditionalKeys(m: Map<string, Value>, keys: ReadonlySet<string>): Map<string, Value> {
  if (keys.size > 0) MAP_CONDITIONAL.set(m, keys);
  return m;
}

/** Whether element i of a list, or the entry k of a map, exists only conditionally. */
export function conditionalAt(c: Value[] | Map<string, Value>, at: number | string): boolean {
  if (Array.isArray(c)) {
    const x = c[at as number];
    const certain = LIST_CERTAIN.get(c);
    if (certain !== undefined && (at as number) >= certain) return true;
    return conditionalValue(x);
  }
  if (MAP_CONDITIONAL.get(c)?.has(at as string) || conditionOf(at as string) !== undefined) return true;
  return conditionalValue(c.get(at as string) as Value);
}

/** Whether any element of a list or map exists only conditionally (cheap when none does). */
export function anyConditional(c: Value[] | Map<string, Value>): boolean {
  if (Array.isArray(c)) return LIST_CERTAIN.has(c) || c.some(conditionalValue);
  if (MAP_CONDITIONAL.has(c)) return true;
  for (const [k, x] of c) if ((k.endsWith('>') && conditionOf(k) !== undefined) || conditionalValue(x)) return true;
  return false;
}

/** A conditional placeholder, or a resource instance that exists only conditionally. */
function conditionalValue(x: Value): boolean {
  if (x instanceof Unknown) return x.placeholder !== undefined && conditionOf(x.placeholder) !== undefined;
  return x instanceof ResourceObj && x.instance.conditional !== undefined;
}

/** For a conditional placeholder name, how many elements the list must have for it to exist. */
export function conditionOf(name: string): number | undefined {
  if (!name.endsWith('>')) return undefined;
  const m = CONDITIONAL.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Lists whose order Terraform does not define: a Network Firewall's `firewall_status[0].sync_states` is a set,
 * and so is what a splat or a `for` over it makes. Kept aside (the lists stay plain arrays for everything else).
 */
const UNORDERED = new WeakSet<Value[]>();

export function markUnordered<T extends Value[]>(l: T): T {
  UNORDERED.add(l);
  return l;
}

export function isUnordered(l: Value[]): boolean {
  return UNORDERED.has(l);
}

/**
 * Lists that are Terraform sets (toset() and the set functions made them): a dynamic block over one gives its
 * iterator each element as both key and value, where a list gives the index as key (review s16 R21).
 */
const SETS = new WeakSet<Value[]>();

export function markSet<T extends Value[]>(l: T): T {
  SETS.add(l);
  return l;
}

export function isSet(l: Value[]): boolean {
  return SETS.has(l);
}

/** `to`, a copy of the list or map `from`, with the marks `from` carries (certain prefix, conditional keys, unordered). */
export function copyMarks<T extends Value[] | Map<string, Value>>(from: T, to: T): T {
  if (Array.isArray(from)) {
    const certain = LIST_CERTAIN.get(from);
    if (certain !== undefined) LIST_CERTAIN.set(to as Value[], certain);
    if (UNORDERED.has(from)) UNORDERED.add(to as Value[]);
    if (SETS.has(from)) SETS.add(to as Value[]);
  } else {
    const keys = MAP_CONDITIONAL.get(from);
    if (keys) MAP_CONDITIONAL.set(to as Map<string, Value>, keys);
  }
  return to;
}

/**
 * Some endpoint of a Network Firewall, one of `endpoints`, which one is not known offline (RouteTarget.pick):
 * position `position` of its unordered endpoint ids (`(...sync_states[*].attachment[0].endpoint_id)[0]`), or,
 * with `zone`, the endpoint in the AZ of that name where the endpoints' AZs are not known offline
 * (`{ for s in ...sync_states : s.availability_zone => s.attachment[0].endpoint_id }["eu-west-2a"]`).
 */
export class EndpointPick extends Unknown {
  constructor(
    text: string,
    readonly position: number | undefined,
    readonly endpoints: readonly string[],
    readonly zone?: string,
  ) {
    super(
      text,
      zone === undefined
        ? `sync_states is a set: position ${position} of it is one of the firewall's ${endpoints.length} endpoints, in an AZ not known offline`
        : `the endpoint in ${zone} is one of the firewall's ${endpoints.length} endpoints whose AZs are not known offline`,
    );
  }
}

/**
 * Element `i` of a list: exact when the list is ordered or has one element; of an unordered list of endpoint
 * ids, an EndpointPick; of another unordered list, not known.
 */
export function unorderedAt(l: Value[], i: number, text: string): Value | undefined {
  if (!UNORDERED.has(l) || l.length <= 1 || i < 0 || i >= l.length) return undefined;
  const ids = l.map((x) => (x instanceof RefVal && x.path.length === 0 && x.address.includes('/endpoint/') ? x.address : undefined));
  if (ids.every((x): x is string => x !== undefined)) return new EndpointPick(text, i, ids);
  // A sync state taken by position (`tolist(...sync_states)[0].attachment[0].endpoint_id`): its endpoint is the
  // same pick; its AZ and subnet are those of an endpoint not known offline.
  const stateIds = l.map(syncStateEndpoint);
  if (stateIds.every((x): x is string => x !== undefined)) {
    const unknownAz = new Unknown(text, `the AZ of element ${i} of a set (firewall_status sync_states): Terraform does not order it`);
    const attachment = new Map<string, Value>([
      ['endpoint_id', new EndpointPick(text, i, stateIds)],
      ['subnet_id', new Unknown(text, `the subnet of element ${i} of a set (firewall_status sync_states): Terraform does not order it`)],
      ['status', 'READY'],
    ]);
    return new Map<string, Value>([
      ['availability_zone', unknownAz],
      ['attachment', [attachment]],
    ]);
  }
  return new Unknown(text, `element ${i} of a set (firewall_status sync_states): Terraform does not order it`);
}

/** The endpoint id of a synthesized Network Firewall sync state (computed.ts), or undefined for anything else. */
function syncStateEndpoint(x: Value): string | undefined {
  if (!(x instanceof Map)) return undefined;
  const att = x.get('attachment');
  const first = Array.isArray(att) && att.length === 1 ? att[0] : undefined;
  const ep = first instanceof Map ? first.get('endpoint_id') : undefined;
  return ep instanceof RefVal && ep.path.length === 0 && ep.address.includes('/endpoint/') ? ep.address : undefined;
}

/**
 * A string made of known and unknown pieces, in order (a template, format(), join()): Unknown, with the first
 * unknown piece's reason, remembering the known runs between unknown pieces and what those are known to contain.
 */
export function partialString(text: string, pieces: readonly (string | Unknown | RefVal)[]): Unknown {
  const parts: string[] = [];
  let run = '';
  let first: Unknown | RefVal | undefined;
  // The known end: the last unknown piece's own suffix, then the known run after it.
  let tail = '';
  for (const p of pieces) {
    if (typeof p === 'string') {
      run += p;
      tail += p;
      continue;
    }
    first ??= p;
    if (run) parts.push(run);
    run = '';
    if (p instanceof Unknown && p.parts) parts.push(...p.parts);
    tail = p instanceof Unknown && p.suffix !== undefined ? p.suffix : '';
  }
  if (run) parts.push(run);
  const reason =
    first instanceof Unknown
      ? first.reason
      : first
        ? `${first.address}${first.path.length ? '.' + first.path.join('.') : ''} is known only after apply`
        : 'not known';
  return new Unknown(
    text,
    reason,
    first instanceof Unknown && first.failed,
    undefined,
    undefined,
    parts.length ? parts : undefined,
    undefined,
    undefined,
    tail || undefined,
  );
}

/**
 * The prefix length of a CIDR whose address is not known offline but whose end is (`"${x}/32"`, `"${x}.0/24"`):
 * a CIDR has one `/`, so a known end holding a `/` followed only by digits is the prefix length.
 */
export function cidrLength(u: Unknown): number | undefined {
  const s = u.suffix;
  if (s === undefined) return undefined;
  const at = s.lastIndexOf('/');
  const digits = at < 0 ? '' : s.slice(at + 1);
  if (digits.length < 1 || digits.length > 3) return undefined;
  let n = 0;
  for (const ch of digits) {
    if (ch < '0' || ch > '9') return undefined;
    n = n * 10 + (ch.charCodeAt(0) - 48);
  }
  return n <= 128 ? n : undefined;
}

/** Substrings a string value certainly contains: itself when known, an Unknown's known parts, else none. */
export function knownParts(v: Value): readonly string[] {
  if (typeof v === 'string') return [v];
  return v instanceof Unknown ? (v.parts ?? []) : [];
}

/** An expression Terraform would reject. */
export function failure(text: string, reason: string): Unknown {
  return new Unknown(text, reason, true);
}

/** An Unknown for a larger expression that depends on `u`: same reason, same failure flag. */
export function unknownFrom(text: string, u: Unknown): Unknown {
  return new Unknown(text, u.reason, u.failed);
}

/** The placeholder name of an unknown element, when it has one. */
export function placeholderOf(v: Value): string | undefined {
  return v instanceof Unknown ? v.placeholder : undefined;
}

/** A string usable as a map key or for_each key: a string, number or bool, or a placeholder's name. */
export function keyString(v: Value): string | undefined {
  return asString(v) ?? placeholderOf(v);
}

/** A resource instance used as a value; attribute access evaluates what the user wrote. */
export class ResourceObj {
  constructor(readonly instance: ResourceInstanceLike) {}
}

/** A module call instance used as a value; attribute access evaluates its outputs. */
export class ModuleObj {
  constructor(readonly instance: ModuleInstanceLike) {}
}

/** A root name such as `var`, `local`, `aws_subnet` or `data`: only attribute access is meaningful. */
export class Namespace {
  constructor(
    readonly name: string,
    readonly get: (attr: string, text: string) => Value,
  ) {}
}

export interface ResourceInstanceLike {
  readonly address: string;
  readonly type?: string;
  /** Set when the instance exists only if a provider list is long enough (see conditionOf). */
  readonly conditional?: Unknown;
  attribute(name: string, text: string): Value;
  /**
   * What the `index`-th written `<block>` block writes for `attr`; undefined when it writes nothing there, or
   * when the blocks' order is not known offline (a dynamic block of the type). `outer`: the blocks it is nested
   * in, outermost first, each by type and position.
   */
  nested?(block: string, index: number, attr: string, outer?: readonly [string, number][]): Value | undefined;
  /** How many `<block>` blocks are written; undefined when a dynamic block of the type leaves it open. */
  blockCount?(block: string): number | undefined;
}

export interface ModuleInstanceLike {
  readonly prefix: string;
  output(name: string, text: string): Value;
}

export type Value =
  string | number | boolean | null | Value[] | Map<string, Value> | RefVal | Unknown | ResourceObj | ModuleObj | Namespace;

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}

export function isMap(v: Value): v is Map<string, Value> {
  return v instanceof Map;
}

/** Terraform's string conversion of primitives; undefined for anything else. */
export function asString(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

export function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function asBool(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A resource key as it appears in an address: `[0]` or `["a"]`. */
export function keySuffix(key: string | number | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** Structural equality for `==`; Unknown handled by the caller. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k) as Value)) return false;
    return true;
  }
  if (a instanceof RefVal && b instanceof RefVal) return a.address === b.address && a.path.join('.') === b.path.join('.');
  // A placeholder element equals itself and its own name (each.key of a for_each over placeholders).
  const pa = placeholderOf(a);
  const pb = placeholderOf(b);
  if (pa !== undefined || pb !== undefined) return (pa ?? a) === (pb ?? b);
  return false;
}
