// Subnets of one VPC/VNet may not share an address: AWS refuses a subnet whose CIDR overlaps another subnet of
// the VPC (InvalidSubnet.Conflict), Azure one whose prefix overlaps another subnet of the VNet
// (NetcfgSubnetRangesOverlap), so the configuration cannot deploy as written: the input error `overlapping-subnets`.
// Checked over the merged model (a VNet's subnets come from several files and module instances), only where both
// subnets surely exist together with decided ranges: never on a guess.
import type { NetworkElement, SourceLocation, Subnet } from '../model/types';
import { isUnresolved } from '../model/types';
import { parseCidr } from '../model/cidr';
import type { ParseDiagnostic } from '../model/inputs';
import type { ModelFragment } from './types';

/** A decided range of a subnet: IPv4 bounds as numbers (cheap to compare), IPv6 ones as bigints. */
interface Range {
  subnet: Subnet;
  text: string;
  family: 4 | 6;
  start: number | bigint;
  end: number | bigint;
}

// Elements are never modified once built and stay the same objects across builds while their file does not
// change, so a subnet's ranges are parsed once: a build after an edit costs the grouping and the sorts.
const parsed = new WeakMap<Subnet, Range[]>();

function rangesOf(s: Subnet): Range[] {
  let out = parsed.get(s);
  if (out) return out;
  out = [];
  for (const v of [s.cidr, s.ipv6Cidr]) {
    if (v === undefined || isUnresolved(v)) continue;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
    if (m) {
      const o = [m[1], m[2], m[3], m[4]].map(Number);
      const len = Number(m[5]);
      if (o.some((x) => x > 255) || len > 32) continue;
      const size = 2 ** (32 - len);
      const start = Math.floor((((o[0] * 256 + o[1]) * 256 + o[2]) * 256 + o[3]) / size) * size;
      out.push({ subnet: s, text: v, family: 4, start, end: start + size - 1 });
      continue;
    }
    const c = parseCidr(v);
    if (!c) continue;
    const size = 1n << BigInt((c.family === 4 ? 32 : 128) - c.prefix);
    out.push({ subnet: s, text: v, family: c.family, start: c.network, end: c.network + size - 1n });
  }
  parsed.set(s, out);
  return out;
}

const REFUSAL = {
  aws: 'AWS refuses to create it (InvalidSubnet.Conflict)',
  azure: 'Azure refuses to create it (NetcfgSubnetRangesOverlap)',
} as const;

/**
 * One `overlapping-subnets` error per subnet whose decided range overlaps an earlier-sorted one of the same network
 * and family, located at the later of the two by file and line. `group` says which deployment a subnet belongs to
 * (undefined: leave it out); subnets of different groups are never compared (two CloudFormation templates may be
 * alternatives, an export may describe what a .tf creates). Left out: subnets whose existence is open (`undecided`
 * count/for_each placeholders, `conditional` ones), whose network is not decided, whose range is not known offline.
 * Sorting by start address and sweeping keeps it O(n log n) for estates of thousands of subnets.
 */
export function overlappingSubnets(elements: readonly NetworkElement[], group: (s: Subnet) => string | undefined): ParseDiagnostic[] {
  const byNetwork = new Map<string, Range[]>();
  const networks = new Map<string, NetworkElement>();
  for (const el of elements) {
    if (el.kind === 'vpc') networks.set(el.id, el);
    if (!eligible(el)) continue;
    const g = group(el);
    if (g === undefined) continue;
    for (const r of rangesOf(el)) {
      const key = `${g}\u0000${el.vpc}\u0000${r.family}`;
      let list = byNetwork.get(key);
      if (!list) byNetwork.set(key, (list = []));
      list.push(r);
    }
  }
  const out: ParseDiagnostic[] = [];
  for (const list of byNetwork.values()) if (list.length > 1) for (const [a, b] of sweep(list)) out.push(diagnostic(a, b, networks));
  return out;
}

/** Whether a subnet takes part: its existence decided, its network decided, in a cloud that refuses overlaps. */
function eligible(el: NetworkElement): el is Subnet {
  return el.kind === 'subnet' && !el.undecided && !el.conditional && !isUnresolved(el.vpc) && (el.cloud === 'aws' || el.cloud === 'azure');
}

interface FragmentPart {
  subnets: Subnet[];
  networks: NetworkElement[];
}

/**
 * overlappingSubnets over fragments kept from one build to the next (the workspace's Terraform and plan inputs, one
 * deployment): a fragment of an unchanged file is the same object, its subnets read once; only the networks a new
 * or dropped fragment's subnets belong to are sorted and swept again (a pass over every element of a large estate on
 * each build cost more than the rest of an incremental build). Network names are looked up at each call.
 */
export class FragmentOverlaps {
  private readonly parts = new WeakMap<ModelFragment, FragmentPart>();
  private current = new Set<ModelFragment>();
  private readonly lists = new Map<string, Range[]>();
  private readonly pairs = new Map<string, [Range, Range][]>();
  /** The list keys a subnet's ranges went in under (its root's labels may change before it goes). */
  private readonly keysOf = new WeakMap<Subnet, string[]>();
  /** Subnets as a plan JSON wrote them (the same id may be written in the .tf too). */
  private readonly planned = new WeakSet<Subnet>();

  /**
   * `roots`: the labels of the workspace's Terraform root modules (`dev`, `prod`; one root: none). Element ids of a
   * multi-root workspace begin with their root's label: each root is its own deployment (its own state and
   * apply), so only subnets of one root are compared (review s18 R4: two alternative roots writing into one
   * existing VPC by its id are not an overlap).
   */
  check(fragments: readonly ModelFragment[], roots: readonly string[] = []): ParseDiagnostic[] {
    const next = new Set(fragments);
    const dirty = new Set<string>();
    const labels = [...roots].filter((r) => r !== '').sort((a, b) => b.length - a.length);
    for (const f of fragments) {
      if (this.current.has(f)) continue;
      for (const s of this.partOf(f).subnets) {
        const root = labels.find((l) => s.id.startsWith(`${l}:`)) ?? '';
        const keys: string[] = [];
        for (const r of rangesOf(s)) {
          const key = `${root}\u0000${s.vpc as string}\u0000${r.family}`;
          let list = this.lists.get(key);
          if (!list) this.lists.set(key, (list = []));
          list.push(r);
          keys.push(key);
          dirty.add(key);
        }
        this.keysOf.set(s, keys);
      }
    }
    // Dropped fragments: each list they were in is filtered once.
    const gone = new Set<Subnet>();
    for (const f of this.current) {
      if (next.has(f)) continue;
      for (const s of this.partOf(f).subnets) {
        gone.add(s);
        for (const key of this.keysOf.get(s) ?? []) dirty.add(key);
      }
    }
    if (gone.size > 0)
      for (const key of dirty) {
        const list = this.lists.get(key)?.filter((x) => !gone.has(x.subnet));
        if (list && list.length > 0) this.lists.set(key, list);
        else this.lists.delete(key);
      }
    this.current = next;
    for (const key of dirty) {
      const list = this.lists.get(key);
      const found = list && list.length > 1 ? sweep(list) : [];
      if (found.length > 0) this.pairs.set(key, found);
      else this.pairs.delete(key);
    }
    if (this.pairs.size === 0) return [];
    // A network written in the .tf and in its plan: the .tf's (read first) names it as the user wrote it.
    const networks = new Map<string, NetworkElement>();
    for (const f of fragments) for (const n of this.partOf(f).networks) if (!networks.has(n.id)) networks.set(n.id, n);
    // Two subnets each written in the .tf and in its plan JSON overlap once, not once per copy: the pair is said
    // once, by the copies the plan wrote least of (the .tf's definition, where the user edits and the merged element
    // points), else the first by place.
    const byPair = new Map<string, { d: ParseDiagnostic; planned: number }>();
    for (const found of this.pairs.values())
      for (const [a, b] of found) {
        const d = diagnostic(a, b, networks);
        const planned = (this.planned.has(a.subnet) ? 1 : 0) + (this.planned.has(b.subnet) ? 1 : 0);
        const key = [a.subnet.id, b.subnet.id].sort().join('\u0000');
        const prev = byPair.get(key);
        if (!prev || planned < prev.planned || (planned === prev.planned && before(d.loc, prev.d.loc))) byPair.set(key, { d, planned });
      }
    const out = [...byPair.values()].map((x) => x.d);
    // In the order of their places, whichever builds made them (an incremental build and a fresh one agree).
    return out.sort((x, y) =>
      before(x.loc, y.loc) ? -1 : before(y.loc, x.loc) ? 1 : x.message < y.message ? -1 : x.message > y.message ? 1 : 0,
    );
  }

  private partOf(f: ModelFragment): FragmentPart {
    let p = this.parts.get(f);
    if (p) return p;
    p = { subnets: [], networks: [] };
    for (const el of f.elements) {
      if (el.kind === 'vpc') p.networks.push(el);
      else if (eligible(el)) {
        p.subnets.push(el);
        if (f.format === 'terraform-plan') this.planned.add(el);
      }
    }
    this.parts.set(f, p);
    return p;
  }
}

/** The overlapping pairs of one network's ranges: sorted by start, each range against the one reaching furthest. */
function sweep(list: Range[]): [Range, Range][] {
  const out: [Range, Range][] = [];
  list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  let reach = list[0];
  for (let i = 1; i < list.length; i++) {
    const r = list[i];
    if (r.start <= reach.end && !sameSubnet(reach.subnet, r.subnet)) out.push([reach, r]);
    if (r.end > reach.end) reach = r;
  }
  return out;
}

/**
 * One subnet written twice, not two: the same element id from two inputs (a plan JSON beside its .tf, merged into
 * one element), or an inline `subnet` block and an azurerm_subnet of the same name.
 */
function sameSubnet(a: Subnet, b: Subnet): boolean {
  return a.id === b.id || sameAzureSubnet(a, b);
}

/** An inline `subnet` block and an azurerm_subnet of the same name are one Azure subnet written twice, not two. */
function sameAzureSubnet(a: Subnet, b: Subnet): boolean {
  return a.cloud === 'azure' && a.name !== '' && a.name === b.name;
}

function diagnostic(a: Range, b: Range, networks: Map<string, NetworkElement>): ParseDiagnostic {
  const [first, later] =
    before(a.subnet.loc, b.subnet.loc) || (same(a.subnet.loc, b.subnet.loc) && a.subnet.id < b.subnet.id) ? [a, b] : [b, a];
  const net = networks.get(later.subnet.vpc as string);
  const netName = net ? label(net) : (later.subnet.vpc as string);
  const what = later.subnet.cloud === 'azure' ? 'address prefix' : 'CIDR';
  return {
    code: 'overlapping-subnets',
    severity: 'error',
    message: `subnet ${label(later.subnet)}: its ${what} ${later.text} overlaps ${label(first.subnet)}'s ${first.text} in ${netName}: ${REFUSAL[later.subnet.cloud as 'aws' | 'azure']}; both are analysed as written`,
    loc: later.subnet.loc,
  };
}

function label(s: NetworkElement): string {
  return s.name && s.name !== s.id ? `${s.name} (${s.id})` : s.id;
}

function before(a: SourceLocation, b: SourceLocation): boolean {
  if (a.file !== b.file) return a.file < b.file;
  const pa = a.range.start;
  const pb = b.range.start;
  return pa.line !== pb.line ? pa.line < pb.line : pa.character < pb.character;
}

function same(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}
