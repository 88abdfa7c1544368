// SmartGroup / WebGroup / ExternalGroup resolution and membership. All answers are three-valued:
// 'unknown' whenever the inputs cannot decide (an ExternalGroup, a tag the model does not carry,
// a VM selector without modelled instances), never a guess.
import {
  AVIATRIX_ALL_WEB_UUID,
  AVIATRIX_ANYWHERE_UUID,
  AVIATRIX_PUBLIC_INTERNET_UUID,
  isUnresolved,
  type AviatrixGateway,
  type ExternalGroup,
  type Instance,
  type NetworkElement,
  type Ref,
  type SmartGroup,
  type SmartGroupSelector,
  type Subnet,
  type Vpc,
  type WebGroup,
} from '../../model/types';
import { cidrContains, cidrContainsIp, coversFamily, isRfc1918, parseCidr, parseIp, type Cidr } from '../../model/cidr';
import { countryOf, resolveDomain } from './geo';
import { normaliseDomain, type Tri } from './webGroups';

export type { Tri } from './webGroups';

// Parsed CIDRs and addresses, memoised: the same selector strings are matched for every source and
// policy, and parsing (BigInt arithmetic) dominates otherwise.
type Block = Cidr & { n4?: number };
const cidrMemo = new Map<string, Block | null>();
const ipMemo = new Map<string, ReturnType<typeof parseIp> | null>();

export function cidrOf(text: string): Cidr | undefined {
  let c = cidrMemo.get(text);
  if (c === undefined) {
    const parsed: Block | undefined = parseCidr(text);
    // IPv4 network as a plain number: containment without BigInt arithmetic.
    if (parsed?.family === 4) parsed.n4 = Number(parsed.network);
    c = parsed ?? null;
    if (cidrMemo.size > 100_000) cidrMemo.clear();
    cidrMemo.set(text, c);
  }
  return c ?? undefined;
}

function n4(c: Block): number {
  return c.n4 ?? Number(c.network);
}

/** cidrContains without BigInt arithmetic for IPv4 (the hot path of membership and shadowing). */
export function blockContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  if (outer.family === 6) return cidrContains(outer, inner);
  if (outer.prefix === 0) return true;
  const size = 2 ** (32 - outer.prefix);
  return Math.floor(n4(inner) / size) === Math.floor(n4(outer) / size);
}

export function blockContainsIp(c: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  if (c.family !== ip.family) return false;
  if (c.family === 6) return cidrContainsIp(c, ip);
  if (c.prefix === 0) return true;
  const size = 2 ** (32 - c.prefix);
  return Math.floor(Number(ip.value) / size) === Math.floor(n4(c) / size);
}

export function ipOf(text: string): ReturnType<typeof parseIp> {
  let p = ipMemo.get(text);
  if (p === undefined) {
    p = parseIp(text) ?? null;
    if (ipMemo.size > 100_000) ipMemo.clear();
    ipMemo.set(text, p);
  }
  return p ?? undefined;
}

export function triAnd(values: Tri[]): Tri {
  if (values.includes('no')) return 'no';
  return values.includes('unknown') ? 'unknown' : 'yes';
}

export function triOr(values: Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  return values.includes('unknown') ? 'unknown' : 'no';
}

/** Minimal read access to the model (ModelIndex satisfies it). */
export interface ElementLookup {
  get(id: string): NetworkElement | undefined;
  readonly model: { elements: NetworkElement[] };
}

/** What a policy's group reference resolves to. */
export type ResolvedGroup =
  | { kind: 'smart'; group: SmartGroup; label: string }
  | { kind: 'builtin'; builtin: 'anywhere' | 'publicInternet'; label: string }
  | { kind: 'web'; group: WebGroup; label: string }
  | { kind: 'allWeb'; label: string }
  | { kind: 'external'; group: ExternalGroup; label: string }
  /**
   * `undeclared`: a Terraform reference to a resource the configuration does not declare. Terraform
   * refuses such a configuration, so the reference selects nothing (said by dcf-unresolved-group).
   */
  | { kind: 'missing'; text: string; label: string; undeclared?: true };

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function builtinOf(text: string): ResolvedGroup | undefined {
  const uuid = text.match(UUID_RE)?.[0]?.toLowerCase();
  if (uuid === AVIATRIX_ANYWHERE_UUID) return { kind: 'builtin', builtin: 'anywhere', label: 'Anywhere (0.0.0.0/0)' };
  if (uuid === AVIATRIX_PUBLIC_INTERNET_UUID) return { kind: 'builtin', builtin: 'publicInternet', label: 'Public Internet' };
  if (uuid === AVIATRIX_ALL_WEB_UUID) return { kind: 'allWeb', label: 'AllWeb' };
  return undefined;
}

function fromElement(e: NetworkElement): ResolvedGroup | undefined {
  const label = e.name || e.id;
  if (e.kind === 'smartGroup') {
    if (e.builtin)
      return { kind: 'builtin', builtin: e.builtin, label: e.builtin === 'anywhere' ? 'Anywhere (0.0.0.0/0)' : 'Public Internet' };
    return { kind: 'smart', group: e, label };
  }
  if (e.kind === 'webGroup') return e.builtin === 'allWeb' ? { kind: 'allWeb', label: 'AllWeb' } : { kind: 'web', group: e, label };
  if (e.kind === 'externalGroup') return { kind: 'external', group: e, label };
  return undefined;
}

/**
 * Resolves a policy's group reference: an element id, a Terraform `<address>.uuid` expression, a
 * literal UUID (of a group in the inputs or a predefined one), else `missing`.
 */
export function resolveGroup(index: ElementLookup, ref: Ref): ResolvedGroup {
  const text = isUnresolved(ref) ? ref.text : ref;
  // Memoised per element list (one model; an incremental index moves to the next model): every rule and
  // every VPC's posture resolves the same references.
  let memo = resolveMemo.get(index.model.elements);
  if (!memo) {
    memo = new Map();
    resolveMemo.set(index.model.elements, memo);
  }
  let r = memo.get(text);
  if (!r) {
    r = resolveUncached(index, text);
    memo.set(text, r);
  }
  // The Terraform evaluator's reason for a reference to a resource no block declares.
  if (r.kind === 'missing' && isUnresolved(ref) && /is not declared/.test(ref.reason)) return { ...r, undeclared: true };
  return r;
}

const resolveMemo = new WeakMap<readonly NetworkElement[], Map<string, ResolvedGroup>>();

function resolveUncached(index: ElementLookup, text: string): ResolvedGroup {
  const candidates = [text, text.replace(/\.(uuid|id)$/, '')];
  for (const c of candidates) {
    const e = index.get(c);
    const r = e && fromElement(e);
    if (r) return r;
  }
  const byAddress = index.model.elements.find(
    (e) =>
      (e.kind === 'smartGroup' || e.kind === 'webGroup' || e.kind === 'externalGroup') &&
      e.address !== undefined &&
      candidates.includes(e.address),
  );
  if (byAddress) return fromElement(byAddress)!;
  const uuid = text.match(UUID_RE)?.[0]?.toLowerCase();
  if (uuid) {
    const byUuid = index.model.elements.find(
      (e) => (e.kind === 'smartGroup' || e.kind === 'webGroup' || e.kind === 'externalGroup') && e.uuid?.toLowerCase() === uuid,
    );
    if (byUuid) return fromElement(byUuid)!;
  }
  return builtinOf(text) ?? { kind: 'missing', text, label: text };
}

/** The traffic source as far as the inputs know it. */
export interface SourceContext {
  /** A concrete host address (flow simulation). */
  ip?: string;
  /** The block the source stands for when there is no single host (a subnet or VPC, for states). */
  cidr?: string;
  subnet?: Subnet;
  vpc?: Vpc;
  instance?: Instance;
  /** The spoke gateway the VPC egresses through (account/region fallbacks). */
  gateway?: AviatrixGateway;
}

export interface DestinationContext {
  ip?: string;
  domain?: string;
}

function strVal(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function eqi(a: string | undefined, b: string): Tri {
  if (a === undefined) return 'unknown';
  return a.toLowerCase() === b.toLowerCase() ? 'yes' : 'no';
}

function tagsMatch(have: Record<string, string> | undefined, want: Record<string, string>): Tri {
  if (!have) return 'unknown';
  return Object.entries(want).every(([k, v]) => have[k] === v) ? 'yes' : 'no';
}

/** A `geo` external feed selector: `external = "geo"`, `ext_args = { country_iso_code = "US" }`. */
export function geoCountryOfSelector(sel: SmartGroupSelector): string | undefined | null {
  const o = sel.other ?? {};
  const ext = o['external'] ?? o['ext'];
  if (ext === undefined) return null;
  if (ext.toLowerCase() !== 'geo') return undefined;
  const direct = o['country_iso_code'] ?? o['ext_args.country_iso_code'];
  if (direct) return direct.toUpperCase();
  const args = o['ext_args'];
  const m = args?.match(/country_iso_code"?\s*[:=]\s*"?([A-Za-z]{2})/);
  return m ? m[1].toUpperCase() : undefined;
}

/** Selector fields the matcher understands; anything else makes the selector undecidable. */
function otherKeys(sel: SmartGroupSelector): string[] {
  return Object.keys(sel.other ?? {});
}

function ipTri(cidrText: string, ip: string): Tri {
  const c = cidrOf(cidrText);
  const p = ipOf(ip);
  if (!c || !p) return 'unknown';
  return blockContainsIp(c, p) ? 'yes' : 'no';
}

/** Does the source (host or block) fall in a `cidr` selector? A block straddling it is 'unknown'. */
function sourceCidrTri(sel: string, src: SourceContext): Tri {
  if (src.ip) return ipTri(sel, src.ip);
  const outer = cidrOf(sel);
  const inner = src.cidr ? cidrOf(src.cidr) : undefined;
  if (!outer || !inner) return 'unknown';
  if (blockContains(outer, inner)) return 'yes';
  return blockContains(inner, outer) ? 'unknown' : 'no';
}

function accountOf(src: SourceContext): string | undefined {
  return src.vpc?.account ?? src.subnet?.account ?? src.gateway?.account;
}

function regionOf(src: SourceContext): string | undefined {
  return strVal(src.vpc?.region) ?? strVal(src.subnet?.region) ?? strVal(src.gateway?.region);
}

/** One match_expressions block against the source: its fields are AND-ed. */
export function sourceSelectorTri(sel: SmartGroupSelector, src: SourceContext): Tri {
  if (sel.cidr !== undefined) return sourceCidrTri(sel.cidr, src);
  const o = sel.other ?? {};
  if (o['fqdn'] !== undefined || o['site'] !== undefined || o['s2c'] !== undefined) return 'no';
  const geo = geoCountryOfSelector(sel);
  if (geo !== null) {
    // A feed of public addresses: a private source is never in it.
    if (src.ip) return isRfc1918(src.ip) ? 'no' : geo && countryOf(src.ip) ? (countryOf(src.ip) === geo ? 'yes' : 'no') : 'unknown';
    return src.cidr && cidrOf(src.cidr) && isRfc1918(src.cidr.split('/')[0]) ? 'no' : 'unknown';
  }
  if (otherKeys(sel).length > 0 || sel.k8sClusterId || sel.k8sNamespace || sel.k8sService) return 'unknown';
  const type = sel.type?.toLowerCase();
  let target: { name?: string; tags?: Record<string, string>; zone?: string } | undefined;
  if (type === 'vpc') target = src.vpc ? { name: src.vpc.name, tags: src.vpc.tags } : undefined;
  else if (type === 'subnet')
    target = src.subnet ? { name: src.subnet.name, tags: src.subnet.tags, zone: strVal(src.subnet.az) } : undefined;
  else if (type === 'vm') {
    // Without a concrete instance the VMs of a subnet are not in the inputs.
    if (!src.instance) return 'unknown';
    target = { name: src.instance.name, tags: src.instance.tags, zone: undefined };
  } else return 'unknown';
  if (!target) return 'unknown';
  const parts: Tri[] = [];
  if (sel.name !== undefined) parts.push(eqi(target.name, sel.name));
  if (sel.tags && Object.keys(sel.tags).length > 0) parts.push(tagsMatch(target.tags, sel.tags));
  if (sel.accountName !== undefined || sel.accountId !== undefined) parts.push(eqi(accountOf(src), (sel.accountName ?? sel.accountId)!));
  if (sel.region !== undefined) parts.push(eqi(regionOf(src), sel.region));
  if (sel.zone !== undefined) parts.push(eqi(target.zone, sel.zone));
  return triAnd(parts);
}

/** Is the source a member of the resolved group? */
export function sourceInGroup(g: ResolvedGroup, src: SourceContext): Tri {
  switch (g.kind) {
    case 'builtin':
      if (g.builtin === 'anywhere') return 'yes';
      // Public Internet excludes RFC 1918 space: private workloads are not in it.
      if (src.ip) return isRfc1918(src.ip) ? 'no' : 'yes';
      return src.cidr && isRfc1918(src.cidr.split('/')[0]) ? 'no' : 'unknown';
    case 'smart':
      return triOr(g.group.selectors.map((s) => sourceSelectorTri(s, src)));
    case 'external':
      return 'unknown';
    case 'missing':
      return g.undeclared ? 'no' : 'unknown';
    default:
      return 'no';
  }
}

/** The VPCs whose CIDRs hold an address (for `type = vpc` destination selectors). */
function vpcsHolding(index: ElementLookup, ip: string): Vpc[] {
  const p = ipOf(ip);
  if (!p) return [];
  return index.model.elements.filter(
    (e): e is Vpc => e.kind === 'vpc' && e.cidrs.some((c) => typeof c === 'string' && !!cidrOf(c) && blockContainsIp(cidrOf(c)!, p)),
  );
}

function destSelectorTri(index: ElementLookup, sel: SmartGroupSelector, dst: DestinationContext): Tri {
  const ip = dst.ip ?? (dst.domain ? resolveDomain(dst.domain) : undefined);
  if (sel.cidr !== undefined) return ip ? ipTri(sel.cidr, ip) : 'unknown';
  const o = sel.other ?? {};
  if (o['fqdn'] !== undefined) {
    if (dst.domain) return normaliseDomain(o['fqdn']) === normaliseDomain(dst.domain) ? 'yes' : 'no';
    return 'unknown';
  }
  const geo = geoCountryOfSelector(sel);
  if (geo !== null) {
    if (!geo || !ip) return 'unknown';
    if (isRfc1918(ip)) return 'no';
    const c = countryOf(ip);
    return c === undefined ? 'unknown' : c === geo ? 'yes' : 'no';
  }
  if (otherKeys(sel).length > 0) return 'unknown';
  const type = sel.type?.toLowerCase();
  if (type === 'vpc' || type === 'subnet' || type === 'vm' || type === 'k8s') {
    // Cloud resources hold private addresses; a public or domain destination is not one of them.
    if (!ip) return dst.domain ? 'no' : 'unknown';
    if (!isRfc1918(ip)) return 'no';
    if (type !== 'vpc') return 'unknown';
    const holders = vpcsHolding(index, ip);
    if (holders.length === 0) return 'unknown';
    return triOr(
      holders.map((v) =>
        triAnd([
          sel.name !== undefined ? eqi(v.name, sel.name) : 'yes',
          sel.tags && Object.keys(sel.tags).length ? tagsMatch(v.tags, sel.tags) : 'yes',
          sel.region !== undefined ? eqi(strVal(v.region), sel.region) : 'yes',
          sel.accountName !== undefined || sel.accountId !== undefined ? eqi(v.account, (sel.accountName ?? sel.accountId)!) : 'yes',
        ]),
      ),
    );
  }
  return 'unknown';
}

/** Is the destination (an IP, or a domain whose address is unknown offline) in the resolved group? */
export function destinationInGroup(index: ElementLookup, g: ResolvedGroup, dst: DestinationContext): Tri {
  switch (g.kind) {
    case 'builtin':
      if (g.builtin === 'anywhere') return 'yes';
      if (dst.ip) return isRfc1918(dst.ip) ? 'no' : 'yes';
      // A public domain name: its address is public even when it is not known offline.
      return dst.domain ? 'yes' : 'unknown';
    case 'smart':
      return triOr(g.group.selectors.map((s) => destSelectorTri(index, s, dst)));
    case 'external':
    case 'missing':
      return 'unknown';
    default:
      return 'no';
  }
}

// DCF postures judge the spokes' IPv4 internet traffic (the traced flow): a group of IPv6 ranges holds none of it,
// `::/0` included (review s18 R12).

/** True when the group stands for the whole (IPv4) internet (a catch-all destination). */
export function coversWholeInternet(g: ResolvedGroup): boolean {
  if (g.kind === 'builtin') return true;
  if (g.kind !== 'smart') return false;
  // `0.0.0.0/0`, or CIDR selectors that together hold every IPv4 address (`0.0.0.0/1` and `128.0.0.0/1`: review s16 R9).
  return coversFamily(
    g.group.selectors.flatMap((s) => (s.cidr !== undefined ? [s.cidr] : [])),
    4,
  );
}

/**
 * True when a policy's destination groups together stand for the whole internet: one of them does, or their CIDR
 * selectors together hold every IPv4 address (one SmartGroup `0.0.0.0/1`, another `128.0.0.0/1`: review s16 R9).
 */
export function groupsCoverWholeInternet(groups: readonly ResolvedGroup[]): boolean {
  if (groups.some(coversWholeInternet)) return true;
  return coversFamily(
    groups.flatMap((g) => (g.kind === 'smart' ? g.group.selectors.flatMap((s) => (s.cidr !== undefined ? [s.cidr] : [])) : [])),
    4,
  );
}

/** True when a destination group can hold internet (public) addresses at all. */
export function mayHoldInternet(g: ResolvedGroup): Tri {
  if (g.kind === 'builtin') return 'yes';
  if (g.kind === 'external' || g.kind === 'missing') return 'unknown';
  if (g.kind !== 'smart') return 'no';
  return triOr(
    g.group.selectors.map((s): Tri => {
      if (s.cidr !== undefined) {
        const c = cidrOf(s.cidr);
        if (!c) return 'unknown';
        if (c.family === 6) return 'no';
        const rfc = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((x) => cidrOf(x)!);
        return rfc.some((r) => blockContains(r, c)) ? 'no' : 'yes';
      }
      const o = s.other ?? {};
      if (o['fqdn'] !== undefined || geoCountryOfSelector(s) !== null) return 'yes';
      if (['vpc', 'subnet', 'vm', 'k8s'].includes(s.type?.toLowerCase() ?? '')) return 'no';
      return 'unknown';
    }),
  );
}
