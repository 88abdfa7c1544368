// Incremental analysis: an Analyzer keeps the previous run's traces and re-traces only the sources whose
// inputs changed. Every trace records the keys of the index answers it used (ModelIndex.track: element
// ids and references as written, and query keys such as "route table of subnet X" or "attachments of VPC
// Y"); between two runs the changed elements are found by id (same id, different object: changed; new or
// gone ids: added/removed), and each changed element's old and new versions name the keys of every
// answer they are part of (elementKeys). A trace that used none of those keys is reused as is. Options
// that change traces (the destination) start over. Rules, states and the score run on the whole result
// every time (they are fast); the result equals a fresh analyze() of the same model.
import type { NetworkElement, NetworkModel } from '../model/types';
import { isUnresolved } from '../model/types';
import { singleRefs } from '../model/refs';
import type { ParseDiagnostic } from '../model/inputs';
import { ModelIndex } from './modelIndex';
import { elementKeys } from './queryKeys';
import { DEFAULT_DESTINATION, traceAllEgress, type TraceCache } from './trace';
import { finishAnalysis, summarize, type Summary } from './result';
import type { AnalysisOptions, AnalysisResult, SubnetEgress } from './types';

function claims(e: NetworkElement, add: (k: string) => void): void {
  add(e.id);
  if (e.providerId) add(e.providerId);
  if (e.address) add(e.address);
}

/**
 * Keys whose answers may differ between two indexes of consecutive models, or undefined when the
 * models cannot be compared (duplicate ids): then nothing is reused.
 */
export function changedKeys(prev: ModelIndex, next: ModelIndex): Set<string> | undefined {
  if (prev.byId.size !== prev.model.elements.length || next.byId.size !== next.model.elements.length) return undefined;
  const keys = new Set<string>();
  const addKey = (k: string): void => {
    keys.add(k);
  };
  /** Texts whose resolution (id or alias) may have changed. */
  const texts = new Set<string>();
  const addText = (k: string): void => {
    texts.add(k);
  };
  let added = 0;
  for (const [id, e] of next.byId) {
    const old = prev.byId.get(id);
    if (old === e) continue;
    if (!old) {
      added++;
      claims(e, addText);
    } else {
      elementKeys(old, prev, addKey);
      if (old.providerId !== e.providerId || old.address !== e.address) {
        claims(old, addText);
        claims(e, addText);
      }
    }
    elementKeys(e, next, addKey);
  }
  if (next.byId.size - added !== prev.byId.size) {
    for (const [id, old] of prev.byId) {
      if (next.byId.has(id)) continue;
      claims(old, addText);
      elementKeys(old, prev, addKey);
    }
  }
  if (texts.size > 0) {
    // A reference whose target changed: the answers its element is part of may move (old and new index).
    for (const t of texts) keys.add(t);
    for (const model of [prev.model, next.model]) {
      for (const e of model.elements) {
        if (!singleRefs(e).some((r) => r !== undefined && !isUnresolved(r) && texts.has(r))) continue;
        elementKeys(e, prev, addKey);
        elementKeys(e, next, addKey);
      }
    }
  }
  return keys;
}

/** Everything ModelIndex's constructor reads from an element: equal signatures give equal lookups. */
export function indexSignature(e: NetworkElement): string {
  const x = e as unknown as Record<string, unknown>;
  return JSON.stringify([
    e.kind,
    e.id,
    e.providerId,
    e.address,
    x.vpc,
    x.subnet,
    x.routeTable,
    x.gateway,
    x.mainOfVpc,
    x.main,
    x.tgw,
    x.cidr,
    x.ipv6Cidr,
    x.ipv6Native,
    x.cidrs,
    x.privateIp,
    x.subnets,
    x.targets,
    x.loadBalancer,
    // A target group's protocol: an ALB's targets are servers, an NLB's may be appliances (ModelIndex.prepareRoles).
    e.kind === 'targetGroup' ? (e.protocol ?? null) : undefined,
    x.role,
    x.subnetCidr,
    x.haSubnetCidr,
    x.reservedHaSubnetCidr,
    x.vpcIdText,
    x.instance,
    x.sourceDestCheck,
    // A firewall manager is no appliance and, beside a firewall, no host (ModelIndex.subnetRole).
    x.manager,
    // A firewall VM (its bootstrap or image says so) is an appliance before any route names it (ModelIndex.prepareRoles).
    e.kind === 'instance' || e.kind === 'firewall' ? x.ngfw !== undefined : undefined,
    // An explicit forward proxy's subnet is its own (ModelIndex.isExplicitProxy).
    e.kind === 'instance' ? x.proxy !== undefined : undefined,
    x.undecided,
    // Conditional elements make the states settle them (ModelIndex.anyConditional).
    x.conditional,
    // A stand-in table's routes are answered to every lookup (ModelIndex.unplacedRoutes).
    x.unplaced,
    // Which Azure NVAs are in use (ModelIndex.isIdleNva).
    e.kind === 'routeTable'
      ? e.routes.flatMap((r) => (r.target.kind === 'virtualAppliance' ? [r.target.ip ?? null, r.target.ref ?? null] : []))
      : e.kind === 'firewall'
        ? e.dedicated
        : e.kind === 'loadBalancer'
          ? e.pools.map((p) => p.members.map((m) => m.appliance ?? m.ip ?? (m.open ? null : '')))
          : undefined,
    // Which instances a route sends traffic to (ModelIndex.isAppliance).
    e.kind === 'routeTable'
      ? e.routes.flatMap((r) => (r.target.kind === 'instance' || r.target.kind === 'eni' ? [r.target.ref ?? null] : []))
      : undefined,
    // A subnet's name decides whether it is one of Azure's reserved subnets, its kubernetes.io/role/elb tag or an
    // internet-facing load balancer in it whether it is a public load balancers' subnet, any kubernetes.io/ tag
    // whether it may be an HA gateway's reserved subnet (ModelIndex.subnetRole).
    e.kind === 'subnet'
      ? [
          e.name,
          e.tags?.['kubernetes.io/role/elb'] ?? null,
          Object.keys(e.tags ?? {}).some((k) => k.startsWith('kubernetes.io/')),
          e.publicLb ?? null,
          e.dedicatedTo ?? null,
          e.reservedFor ?? null,
          e.heldBy ?? null,
          e.onlyPrivateEndpoints ?? null,
        ]
      : undefined,
    // Default routes and TGW routes decide whether an attachment subnet is a workload tier (ModelIndex.subnetRole).
    e.kind === 'routeTable'
      ? e.routes.flatMap((r) => ('cidr' in r.destination && r.destination.cidr === '0.0.0.0/0' ? [r.target.ref ?? null, r.state] : []))
      : e.kind === 'tgwRouteTable'
        ? e.routes.map((r) => [r.destination, r.attachment ?? null])
        : undefined,
  ]);
}

/**
 * Elements that differ between two element lists, by one merge walk (the workspace sorts elements by
 * id, and unchanged ones are the same objects): same-id pairs that are different objects, and whether
 * any element was added or removed (or the lists are not in id order, which counts as the same).
 */
export function diffElements(
  prev: readonly NetworkElement[],
  next: readonly NetworkElement[],
): { pairs: [NetworkElement, NetworkElement][]; addedOrRemoved: boolean } {
  const pairs: [NetworkElement, NetworkElement][] = [];
  if (prev.length !== next.length) return { pairs, addedOrRemoved: true };
  for (let i = 0; i < next.length; i++) {
    const o = prev[i];
    const n = next[i];
    if (o === n) continue;
    if (o.id !== n.id) return { pairs, addedOrRemoved: true };
    pairs.push([o, n]);
  }
  return { pairs, addedOrRemoved: false };
}

interface Entry {
  egress: SubnetEgress;
  deps: string[];
}

/** Traces by source id, with the keys each one used. */
class TraceStore implements TraceCache {
  private entries = new Map<string, Entry>();
  private used = new Set<string>();
  /** Sources by the keys they used (may list a source twice, or one traced again since: rebuilt when too stale). */
  private byKey = new Map<string, string[]>();
  private links = 0;
  private liveLinks = 0;
  reused = 0;
  traced = 0;

  get(source: string): SubnetEgress | undefined {
    const e = this.entries.get(source);
    if (e) {
      this.used.add(source);
      this.reused++;
    }
    return e?.egress;
  }

  set(source: string, egress: SubnetEgress, deps: Set<string>): void {
    const entry = { egress, deps: [...deps] };
    const old = this.entries.get(source);
    if (old) this.liveLinks -= old.deps.length;
    this.entries.set(source, entry);
    this.liveLinks += entry.deps.length;
    this.link(source, entry.deps);
    this.used.add(source);
    this.traced++;
  }

  private link(source: string, deps: string[]): void {
    const m = this.byKey;
    for (const d of deps) {
      const list = m.get(d);
      if (list) list.push(source);
      else m.set(d, [source]);
    }
    this.links += deps.length;
  }

  clear(): void {
    this.entries.clear();
    this.byKey = new Map();
    this.links = 0;
    this.liveLinks = 0;
  }

  invalidate(keys: Set<string>): void {
    if (keys.size === 0) return;
    if (this.links > 3 * this.liveLinks + 1024) {
      this.byKey = new Map();
      this.links = 0;
      for (const [source, e] of this.entries) this.link(source, e.deps);
    }
    for (const k of keys) {
      const sources = this.byKey.get(k);
      if (!sources) continue;
      for (const source of sources) {
        const e = this.entries.get(source);
        if (!e) continue;
        this.entries.delete(source);
        this.liveLinks -= e.deps.length;
      }
    }
  }

  beginRun(): void {
    this.used = new Set();
    this.reused = 0;
    this.traced = 0;
  }

  /** Drop the traces of sources that are no longer traced. */
  endRun(): void {
    if (this.used.size === this.entries.size) return;
    for (const [source, e] of this.entries) {
      if (this.used.has(source)) continue;
      this.entries.delete(source);
      this.liveLinks -= e.deps.length;
    }
  }
}

export interface Analyzer {
  /** Same contract and result as analyze(); reuses the previous call's traces where their inputs did not change. */
  analyze(model: NetworkModel, options?: AnalysisOptions, parseDiagnostics?: ParseDiagnostic[]): AnalysisResult;
  /** Traces reused and traced by the last call (for benchmarks and tests). */
  readonly stats: { reused: number; traced: number };
}

/**
 * An incremental analyzer. Feed it successive builds of the same workspace: elements of files that did
 * not change should be the same objects from one build to the next (anything else is treated as changed,
 * which is correct but slower).
 */
export function createAnalyzer(): Analyzer {
  const store = new TraceStore();
  let prev: ModelIndex | undefined;
  /** The previous index had no duplicate ids (required for reuse). */
  let prevUnique = false;
  let prevDestination: string | undefined;
  let prevSummary: Summary | undefined;
  return {
    get stats() {
      return { reused: store.reused, traced: store.traced };
    },
    analyze(model: NetworkModel, options: AnalysisOptions = {}, parseDiagnostics: ParseDiagnostic[] = []): AnalysisResult {
      const t0 = performance.now();
      const destination = options.destination ?? DEFAULT_DESTINATION;
      let index: ModelIndex | undefined;
      let keys: Set<string> | undefined;
      let summary: Summary | undefined;
      if (prev && prevUnique && prevDestination === destination) {
        // Edits inside elements that keep every field the index reads: move the index over in place.
        const d = diffElements(prev.model.elements, model.elements);
        if (!d.addedOrRemoved && d.pairs.every(([o, n]) => o.kind === n.kind && indexSignature(o) === indexSignature(n))) {
          keys = new Set();
          const add = (k: string): void => {
            keys!.add(k);
          };
          for (const [o] of d.pairs) elementKeys(o, prev, add);
          prev.replaceElements(model, d.pairs);
          index = prev;
          // Same kinds (in the signature) and, when no element moved to another file, the same summary.
          if (prevSummary && d.pairs.every(([o, n]) => o.loc.file === n.loc.file))
            summary = { ...prevSummary, byKind: { ...prevSummary.byKind } };
        }
      }
      if (!index) {
        index = new ModelIndex(model);
        keys = prev && prevUnique && prevDestination === destination ? changedKeys(prev, index) : undefined;
      }
      prevUnique = index.byId.size === model.elements.length;
      if (keys && prevUnique) store.invalidate(keys);
      else store.clear();
      store.beginRun();
      const egress = traceAllEgress(index, options, store);
      store.endRun();
      prev = index;
      prevDestination = destination;
      summary ??= summarize(model);
      prevSummary = summary;
      return finishAnalysis(model, index, egress, options, parseDiagnostics, t0, summary);
    },
  };
}
