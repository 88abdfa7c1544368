// The walk engine. A trace is a walk over two kinds of step: a route lookup in a table (route.ts), and the
// arrival of the packet at an element (arrive.ts hands it to the design that knows the element). Every walk
// ends with an explicit outcome; revisiting the same element and table with the same packet is a loop, and
// no walk is longer than HOP_LIMIT hops.
import type { NetworkElement, RouteTable } from '../../model/types';
import type { AddressTranslation, EnforcementPoint, Hop, HopKind, PathTrace, RouteDecision, TraceOutcome } from '../types';
import type { ApplianceRole, ModelIndex } from '../modelIndex';
import { droppedOutcome, unknownOutcome, type DropStop, type Dropped, type Unknown, type UnknownStop } from './outcome';
import { routeStep } from './route';
import { arrive } from './arrive';
import type { AddressRange } from './addressRange';

export const HOP_LIMIT = 64;

export type Association = RouteDecision['association'];

export type RouteStep = { kind: 'route'; from: Hop; table: RouteTable; association: Association; vpc: string };
export type ArriveStep = {
  kind: 'arrive';
  element: NetworkElement;
  from: Hop;
  vpc?: string;
  route?: string;
  /** An internal load balancer's frontend the route's next hop is (RouteTarget.frontend). */
  frontend?: string;
};
export type Stop = { kind: 'end'; outcome: Dropped | Unknown };

/** The next thing the walk does. */
export type Step = RouteStep | ArriveStep | { kind: 'internet'; from: Hop } | { kind: 'end'; outcome: TraceOutcome };

/**
 * Where the forward leg left for the internet. Each kind of exit (IGW, Aviatrix gateway, Azure outbound, ...)
 * starts its own return leg, back in through itself.
 */
export interface Exit {
  kind: string;
  publicIp: string;
  privateIp: string;
  /** The return walk's first step; `forward` is the finished forward walk (its translations, its exit). */
  startReturn(r: Walk, forward: Walk): Step;
}

export interface Walk {
  index: ModelIndex;
  direction: 'forward' | 'return';
  hops: Hop[];
  inspected: EnforcementPoint[];
  /** Route steps taken: element, table, source and destination address (a repeat is a loop). */
  visited: string[];
  src: string;
  dst: string;
  /** The trace's source address (forward) — where the return must end. */
  origin: string;
  az?: string;
  /** Translations made so far (forward), consulted by the return leg to undo them. */
  translations: AddressTranslation[];
  exit?: Exit;
  /** GWLB endpoints entered (and positional picks of firewall endpoints: endpointPick.ts). */
  gwlbeSeen: Set<string>;
  /** On the return leg: the endpoints the forward leg entered. */
  forwardEndpoints?: Set<string>;
  /** The last Azure network virtual appliance the leg passed, inspecting or only translating (its public IP is the exit's). */
  nva?: string;
  /** Appliance instances the forward leg passed, with the interfaces it entered and left by (the return goes back through them). */
  appliances: {
    instance: string;
    inEni?: string;
    outEni?: string;
    /** GWLB overlay routing: the endpoint the flow came from and its enforcement; the reply goes back through both. */
    overlay?: { endpoint: string; enforcement: EnforcementPoint };
  }[];
  /** The destination's name when it is a domain (routed as a stand-in public address): narration names it. */
  domain?: string;
  /**
   * Addresses known only by their range (addressRange.ts: the source's, a NAT GW's private IP), shared by both
   * legs: the walk's src or dst is then one's text.
   */
  ranges?: AddressRange[];
  /**
   * The source's address when it is a stand-in (index.ts borrowedAddress: a subnet whose CIDR is not known gets an
   * address of its VPC that no other subnet holds), shared by both legs: delivered locally, it is that subnet's.
   */
  borrowed?: { ip: string; subnet: string };
  /**
   * The destination address when it stands for the internet in general (the default test destination, the user
   * named none): a lookup of it is not decided by a narrow route whose address is not known offline
   * (routing.ts, NARROW_BITS), which is told in the hop's narration instead.
   */
  standIn?: string;
}

/** The range of an address of the walk when it is a range-only one. */
export function rangeOf(w: Walk, ip: string): AddressRange | undefined {
  const rs = w.ranges;
  if (rs === undefined) return undefined;
  for (const r of rs) if (r.text === ip) return r;
  return undefined;
}

/** The range of the walk's destination when it is a range-only address. */
export function dstRange(w: Walk): AddressRange | undefined {
  return w.ranges === undefined ? undefined : rangeOf(w, w.dst);
}

/** The far end as narration names it: the domain asked for (ipinfo.io), else its address. */
export function peerName(w: Walk): string {
  return w.domain ?? (w.direction === 'forward' ? w.dst : w.src);
}

/** How an element is called in hops and sentences: its name, else its id. */
export function nameOf(e: { id: string; name?: string }): string {
  return e.name || e.id;
}

export function newWalk(index: ModelIndex, direction: 'forward' | 'return', src: string, dst: string, origin: string): Walk {
  return {
    index,
    direction,
    hops: [],
    inspected: [],
    visited: [],
    src,
    dst,
    origin,
    translations: [],
    gwlbeSeen: new Set(),
    appliances: [],
  };
}

export function addHop(
  w: Walk,
  e: { element: string; kind: HopKind; name: string; vpc?: string; az?: string; loc?: Hop['loc'] },
  note: string,
  extra?: Partial<Hop>,
): Hop {
  if (e.az) w.az = e.az;
  // Keys in this order (the JSON output's); optional ones only when set, then `extra`'s as given.
  const hop = { index: w.hops.length, element: e.element, kind: e.kind, name: e.name } as Hop;
  if (e.az) hop.az = e.az;
  if (e.vpc) hop.vpc = e.vpc;
  if (e.loc) hop.loc = e.loc;
  hop.srcIp = w.src;
  hop.dstIp = w.dst;
  hop.note = note;
  if (extra) for (const k in extra) (hop as unknown as Record<string, unknown>)[k] = (extra as Record<string, unknown>)[k];
  w.hops.push(hop);
  return hop;
}

/** Source NAT on the way out: the walk's source address becomes `to`, recorded as done by `by`. */
export function sourceNat(w: Walk, to: string, by: string): AddressTranslation {
  const tr: AddressTranslation = { kind: 'snat', from: w.src, to, by };
  w.translations.push(tr);
  w.src = to;
  return tr;
}

export function elementHop(w: Walk, el: NetworkElement, note: string, extra?: Partial<Hop>): Hop {
  const { index } = w;
  return addHop(
    w,
    { element: el.id, kind: el.kind, name: nameOf(el), vpc: index.vpcOf(el.id), az: index.azOf(el.id), loc: el.loc },
    note,
    extra,
  );
}

export function dropped(w: Walk, stop: DropStop, at?: string): Stop {
  return { kind: 'end', outcome: droppedOutcome(w.index, stop, at) };
}

export function unknown(w: Walk, stop: UnknownStop, at?: string): Stop {
  return { kind: 'end', outcome: unknownOutcome(w.index, stop, at) };
}

/** The stop, its reason also told in the hop's narration. */
export function noted(hop: Hop, s: Stop): Stop {
  hop.note += `; ${s.outcome.reason}`;
  return s;
}

/** Records a route step; true when the walk took the same one (same element, table and packet) before. */
export function revisits(w: Walk, from: Hop, table: RouteTable): boolean {
  const v = w.visited;
  for (let i = 0; i < v.length; i += 4) {
    if (v[i] === from.element && v[i + 1] === table.id && v[i + 2] === w.src && v[i + 3] === w.dst) return true;
  }
  v.push(from.element, table.id, w.src, w.dst);
  return false;
}

export function run(w: Walk, first: Step): TraceOutcome {
  let s = first;
  for (;;) {
    if (w.hops.length >= HOP_LIMIT) return dropped(w, { cause: 'hop-limit', limit: HOP_LIMIT }, w.hops[w.hops.length - 1]?.element).outcome;
    switch (s.kind) {
      case 'end':
        return s.outcome;
      case 'route':
        s = routeStep(w, s);
        break;
      case 'arrive':
        s = arrive(w, s);
        break;
      case 'internet':
        if (w.direction === 'return') return dropped(w, { cause: 'reply-to-internet' }, s.from.element).outcome;
        addHop(w, { element: 'internet', kind: 'internet', name: 'internet' }, `reaches ${peerName(w)}`);
        return { kind: 'delivered' };
    }
  }
}

export function toTrace(
  w: Walk,
  id: string,
  sourceElement: string,
  sourceIp: string,
  dst: string,
  domain: string | undefined,
  outcome: TraceOutcome,
): PathTrace {
  return {
    id,
    direction: w.direction,
    source: { element: sourceElement, ip: sourceIp },
    destination: { ip: dst, ...(domain ? { domain } : {}) },
    hops: w.hops,
    outcome,
    inspectedBy: w.inspected,
  };
}

/**
 * The enforcement point of a forwarding appliance that may inspect (ModelIndex.applianceRole): one the inputs show
 * to run a firewall names the evidence; one they do not is unproven (its paths are Unknown).
 */
export function applianceEnforcement(
  id: string,
  az: string | undefined,
  role: ApplianceRole,
  kind: 'appliance' | 'azure-nva' = 'appliance',
): EnforcementPoint {
  return {
    kind,
    element: id,
    ...(az ? { az } : {}),
    ...(role.role === 'unknown'
      ? { unproven: role.why }
      : {
          evidence: role.why,
          ...(role.enforces ? { enforces: role.enforces } : {}),
          ...(role.rulesInUserData ? { rulesInUserData: role.rulesInUserData } : {}),
        }),
  };
}
