// Orthogonal edge routing for the reference diagram: every drawn edge runs in horizontal and vertical
// legs around the labels and chips in its way (the obstacles), never through them. One small A* per
// edge on a sparse grid of the obstacles' sides (kept a clearance away) and the channels between
// them, searched in a window around the edge's ends that widens only when it has to; bends cost
// extra so the routes stay plain. A long edge across a big estate that search gives up on takes an
// outer lane: a coarse search around the VPC boxes it has no business in, never through them. Then legs that share a line (the forward and return legs of one
// hop, the edges meeting at one gateway) are moved apart so each stays visible. Pure: runs in Node.

export interface Pt {
  x: number;
  y: number;
}
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export interface Obstacle extends Rect {
  /** The node whose label or chip this is: an edge of that node may start or end inside it. */
  owner: string;
}
export interface RouteEnd {
  id: string;
  /** The node's drawn box. */
  rect: Rect;
  /** A chip starts its edges at its centre (clipped at its border); a box at a free point inside it. */
  box: boolean;
}
export interface RouteRequest {
  id: string;
  source: RouteEnd;
  target: RouteEnd;
  /**
   * Boxes the edge has no business in (a VPC that holds neither end; one that touches an end is
   * ignored): routed around when a route exists, crossed only when none does.
   */
  avoid?: Rect[];
  /**
   * Boxes inside those (subnets) the edge has no business in either: a route through one is searched again around
   * them, and kept when that finds one (a path up through its sibling subnets reads as theirs, F234).
   */
  keepOut?: Rect[];
}

/** Distance kept between a route and any label or chip. */
const CLEAR = 6;
/** Cost of one bend, in px of length. */
const BEND = 28;
/** Spacing of the legs that share one line. */
const NUDGE = 5;
/**
 * Windows tried around an edge's ends before giving up on it (it then takes an outer lane around
 * the boxes it has no business in, see lane(), or failing that cytoscape's taxi).
 */
const WINDOWS = [40, 160, 600];
/** An edge whose window holds more obstacles than this is left to taxi (keeps a big estate fast). */
const MAX_OBSTACLES = 160;
/** Nor is a grid searched that has more points than this. */
const MAX_GRID = 8000;
/**
 * Search effort, in grid states expanded: per search, and for all the edges of one drawing. An
 * edge beyond either is drawn by cytoscape's taxi: a big estate stays as fast to draw as before
 * (the quick shapes route most of its edges), at worst with a few edges over a label.
 */
const SEARCH_STATES = 2000;
const DRAWING_STATES = 8000;
/**
 * The outer-lane search, for an edge the fine search could not route around the boxes it has no
 * business in (a long edge across a big estate): a coarse grid of those boxes and the chips and
 * labels outside them only, over the whole drawing, with its own effort (a few edges per drawing).
 */
const LANE_SEARCH_STATES = 3000;
const LANE_DRAWING_STATES = 9000;
const LANE_MAX_GRID = 24000;
/** Effort for the second searches around subnets (keepOut) of one drawing, beside DRAWING_STATES. */
const KEEP_OUT_STATES = 2000;
/** A lane keeps this far from the border of a box it runs around (its line stays visible beside it). */
const LANE_GAP = 10;

const inside = (p: Pt, r: Rect): boolean => p.x > r.x1 && p.x < r.x2 && p.y > r.y1 && p.y < r.y2;
const inflate = (r: Rect, d: number): Rect => ({ x1: r.x1 - d, y1: r.y1 - d, x2: r.x2 + d, y2: r.y2 + d });

/** Obstacles bucketed on a coarse grid, so a window finds its few without a scan of all. */
class Buckets {
  private readonly cells = new Map<number, number[]>();
  private static readonly S = 200;
  constructor(readonly all: Obstacle[]) {
    this.seen = new Int32Array(all.length);
    all.forEach((o, i) => {
      for (let cx = Math.floor(o.x1 / Buckets.S); cx <= Math.floor(o.x2 / Buckets.S); cx++)
        for (let cy = Math.floor(o.y1 / Buckets.S); cy <= Math.floor(o.y2 / Buckets.S); cy++) {
          const k = cx * 65536 + cy;
          const list = this.cells.get(k);
          if (list) list.push(i);
          else this.cells.set(k, [i]);
        }
    });
  }
  private readonly seen: Int32Array;
  private stamp = 0;
  within(w: Rect): Obstacle[] {
    const seen = this.seen;
    const stamp = ++this.stamp;
    const out: Obstacle[] = [];
    for (let cx = Math.floor(w.x1 / Buckets.S); cx <= Math.floor(w.x2 / Buckets.S); cx++)
      for (let cy = Math.floor(w.y1 / Buckets.S); cy <= Math.floor(w.y2 / Buckets.S); cy++)
        for (const i of this.cells.get(cx * 65536 + cy) ?? []) {
          if (seen[i] === stamp) continue;
          seen[i] = stamp;
          const o = this.all[i];
          if (o.x2 > w.x1 && o.x1 < w.x2 && o.y2 > w.y1 && o.y1 < w.y2) out.push(o);
        }
    return out;
  }
}

/**
 * Sorted distinct coordinates: obstacles' sides, box borders, and the middle of every gap between
 * them. A leg costs a little more along an obstacle's side than down the middle of a channel, and
 * more along a box's border (where it would hide in the border's line).
 */
function axis(sides: Float64Array, borders: Float64Array, lo: number, hi: number): { at: number[]; cost: Float64Array } {
  sides.sort();
  borders.sort();
  const at: number[] = [];
  const cost: number[] = [];
  const add = (x: number, c: number): void => {
    if (x < lo || x > hi) return;
    const last = at.length - 1;
    if (last >= 0 && x - at[last] <= 0.5) cost[last] = Math.max(cost[last], c);
    else {
      if (last >= 0 && x - at[last] > 5) {
        at.push((x + at[last]) / 2);
        cost.push(1);
      }
      at.push(x);
      cost.push(c);
    }
  };
  let i = 0;
  let j = 0;
  while (i < sides.length || j < borders.length)
    if (j >= borders.length || (i < sides.length && sides[i] <= borders[j])) add(sides[i++], 1.15);
    else add(borders[j++], 1.5);
  return { at, cost: Float64Array.from(cost) };
}

/** The coordinates of the rects' sides on one axis, and the extra values given. */
function sidesOf(rs: Rect[], horizontal: boolean, extra: number[]): Float64Array {
  const out = new Float64Array(rs.length * 2 + extra.length);
  let k = 0;
  for (const r of rs) {
    out[k++] = horizontal ? r.x1 : r.y1;
    out[k++] = horizontal ? r.x2 : r.y2;
  }
  for (const v of extra) out[k++] = v;
  return out;
}

const lowerBound = (a: number[], x: number): number => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
};

/** A binary min-heap of (cost, state). */
class Heap {
  private k: number[] = [];
  private v: number[] = [];
  get size(): number {
    return this.k.length;
  }
  push(key: number, val: number): void {
    const k = this.k;
    const v = this.v;
    let i = k.length;
    k.push(key);
    v.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p] <= key) break;
      k[i] = k[p];
      v[i] = v[p];
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }
  pop(): number {
    const k = this.k;
    const v = this.v;
    const top = v[0];
    const lk = k.pop()!;
    const lv = v.pop()!;
    if (k.length) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= k.length) break;
        if (c + 1 < k.length && k[c + 1] < k[c]) c++;
        if (k[c] >= lk) break;
        k[i] = k[c];
        v[i] = v[c];
        i = c;
      }
      k[i] = lk;
      v[i] = lv;
    }
    return top;
  }
}

/** The search's arrays, kept between searches (a drawing runs hundreds): sized to the largest grid yet. */
let scratch:
  { size: number; pt: Uint8Array; hs: Uint8Array; vs: Uint8Array; g: Float64Array; from: Int32Array; closed: Uint8Array } | undefined;
function scratchFor(points: number): NonNullable<typeof scratch> {
  if (!scratch || scratch.size < points) {
    const size = Math.max(points, 4096);
    scratch = {
      size,
      pt: new Uint8Array(size),
      hs: new Uint8Array(size),
      vs: new Uint8Array(size),
      g: new Float64Array(2 * size),
      from: new Int32Array(2 * size),
      closed: new Uint8Array(2 * size),
    };
  }
  scratch.pt.fill(0, 0, points);
  scratch.hs.fill(0, 0, points);
  scratch.vs.fill(0, 0, points);
  return scratch;
}

/** The cheapest orthogonal route from s to t avoiding `obs` (inflated), inside window w. */
interface Budget {
  states: number;
  gaveUp?: boolean;
  /** Per search (default SEARCH_STATES) and the largest grid searched (default MAX_GRID). */
  perSearch?: number;
  maxGrid?: number;
}

function search(s: Pt, t: Pt, obs: Rect[], boxes: Rect[], w: Rect, budget: Budget): Pt[] | undefined {
  const d = direct(s, t, obs);
  if (d) return d;
  const xs = axis(sidesOf(obs, true, [s.x, t.x, w.x1, w.x2]), sidesOf(boxes, true, []), w.x1, w.x2);
  const ys = axis(sidesOf(obs, false, [s.y, t.y, w.y1, w.y2]), sidesOf(boxes, false, []), w.y1, w.y2);
  const quick = shapes(s, t, obs, xs, ys);
  if (quick) return quick;
  const nx = xs.at.length;
  const ny = ys.at.length;
  if (budget.states <= 0 || nx * ny > (budget.maxGrid ?? MAX_GRID)) {
    budget.gaveUp = true;
    return undefined;
  }
  const X = xs.at;
  const Y = ys.at;
  // Blocked grid points, horizontal steps (ix -> ix+1) and vertical steps (iy -> iy+1).
  const { pt, hs, vs, g, from, closed } = scratchFor(nx * ny);
  for (const o of obs) {
    const a = lowerBound(X, o.x1 - 0.25);
    const b = lowerBound(X, o.x2 - 0.25); // first index at the right side (or beyond)
    const c = lowerBound(Y, o.y1 - 0.25);
    const d = lowerBound(Y, o.y2 - 0.25);
    for (let iy = c; iy < ny && Y[iy] <= o.y2 + 0.25; iy++) {
      const yIn = Y[iy] > o.y1 + 0.25 && Y[iy] < o.y2 - 0.25;
      for (let ix = a; ix < nx && X[ix] <= o.x2 + 0.25; ix++) {
        const xIn = X[ix] > o.x1 + 0.25 && X[ix] < o.x2 - 0.25;
        const i = iy * nx + ix;
        if (xIn && yIn) pt[i] = 1;
        if (yIn && ix < b) hs[i] = 1;
        if (xIn && iy < d) vs[i] = 1;
      }
    }
  }
  const si = lowerBound(Y, s.y - 0.25) * nx + lowerBound(X, s.x - 0.25);
  const ti = lowerBound(Y, t.y - 0.25) * nx + lowerBound(X, t.x - 0.25);
  pt[si] = 0;
  pt[ti] = 0;
  // State: grid point * 2 + direction of arrival (0 horizontal, 1 vertical).
  const n = nx * ny * 2;
  g.fill(Infinity, 0, n);
  from.fill(-1, 0, n);
  const heap = new Heap();
  const tx = t.x;
  const ty = t.y;
  // Weighted (greedy) A*: a route a little longer than the shortest is fine, a search of the whole window is not.
  const h = (i: number): number => 2 * (Math.abs(X[i % nx] - tx) + Math.abs(Y[(i / nx) | 0] - ty));
  g[si * 2] = 0;
  g[si * 2 + 1] = 0;
  heap.push(h(si), si * 2);
  heap.push(h(si), si * 2 + 1);
  let end = -1;
  closed.fill(0, 0, n);
  const limit = Math.min(budget.perSearch ?? SEARCH_STATES, budget.states);
  let expanded = 0;
  while (heap.size) {
    const st = heap.pop();
    if (closed[st]) continue;
    closed[st] = 1;
    if (++expanded > limit) break;
    const p = st >> 1;
    const dir = st & 1;
    if (p === ti) {
      end = st;
      break;
    }
    const gx = g[st];
    const ix = p % nx;
    const iy = (p / nx) | 0;
    const relax = (q: number, qdir: number, len: number): void => {
      if (pt[q]) return;
      const cost = gx + len + (qdir !== dir ? BEND : 0);
      const qs = q * 2 + qdir;
      if (cost < g[qs] - 1e-9) {
        g[qs] = cost;
        from[qs] = st;
        heap.push(cost + h(q), qs);
      }
    };
    if (ix + 1 < nx && !hs[p]) relax(p + 1, 0, (X[ix + 1] - X[ix]) * ys.cost[iy]);
    if (ix > 0 && !hs[p - 1]) relax(p - 1, 0, (X[ix] - X[ix - 1]) * ys.cost[iy]);
    if (iy + 1 < ny && !vs[p]) relax(p + nx, 1, (Y[iy + 1] - Y[iy]) * xs.cost[ix]);
    if (iy > 0 && !vs[p - nx]) relax(p - nx, 1, (Y[iy] - Y[iy - 1]) * xs.cost[ix]);
  }
  budget.states -= expanded;
  // Out of effort: a wider window would cost more still.
  if (end < 0 && expanded > limit) budget.gaveUp = true;
  if (end < 0) return undefined;
  const out: Pt[] = [];
  for (let st = end; st >= 0; st = from[st]) {
    const p = st >> 1;
    out.push({ x: X[p % nx], y: Y[(p / nx) | 0] });
  }
  out.reverse();
  out[0] = { ...s };
  out[out.length - 1] = { ...t };
  return simplify(out);
}

/** A straight line or an L (one bend), if either is clear. */
function direct(s: Pt, t: Pt, obs: Rect[]): Pt[] | undefined {
  if (Math.abs(s.x - t.x) < 0.5 || Math.abs(s.y - t.y) < 0.5) {
    const straight = [s, Math.abs(s.x - t.x) < 0.5 ? { x: s.x, y: t.y } : { x: t.x, y: s.y }];
    if (clear(straight, obs)) return straight;
  } else {
    for (const c of [
      [s, { x: t.x, y: s.y }, t],
      [s, { x: s.x, y: t.y }, t],
    ])
      if (clear(c, obs)) return c;
  }
  return undefined;
}

/** Does no leg of the polyline cross the inside of an (inflated) obstacle? */
function clear(p: Pt[], obs: Rect[]): boolean {
  for (let i = 0; i + 1 < p.length; i++) for (const o of obs) if (crosses(p[i], p[i + 1], o)) return false;
  return true;
}

/**
 * Most edges need no search: a straight line, an L (one bend) or a Z (two bends, its middle leg in
 * a channel between the ends, the channels' middles first) is clear of every obstacle. Only when
 * none is does the grid search run.
 */
function shapes(
  s: Pt,
  t: Pt,
  obs: Rect[],
  xs: { at: number[]; cost: Float64Array },
  ys: { at: number[]; cost: Float64Array },
): Pt[] | undefined {
  const between = (a: { at: number[]; cost: Float64Array }, lo: number, hi: number): number[] => {
    const mid = (lo + hi) / 2;
    const out: number[] = [];
    a.at.forEach((v, i) => {
      if (v > lo + 0.5 && v < hi - 0.5) out.push(i);
    });
    return out
      .sort((i, j) => a.cost[i] - a.cost[j] || Math.abs(a.at[i] - mid) - Math.abs(a.at[j] - mid))
      .slice(0, 12)
      .map((i) => a.at[i]);
  };
  const zs: Pt[][] = [];
  for (const x of between(xs, Math.min(s.x, t.x), Math.max(s.x, t.x))) zs.push([s, { x, y: s.y }, { x, y: t.y }, t]);
  for (const y of between(ys, Math.min(s.y, t.y), Math.max(s.y, t.y))) zs.push([s, { x: s.x, y }, { x: t.x, y }, t]);
  for (const z of zs) if (clear(z, obs)) return simplify(z);
  // A U: out to a channel beside both ends and back (the nearest channels first).
  const beside = (a: { at: number[]; cost: Float64Array }, lo: number, hi: number): number[] => {
    const out: number[] = [];
    a.at.forEach((v, i) => {
      if (v < lo - 0.5 || v > hi + 0.5) out.push(i);
    });
    const dist = (i: number): number => (a.at[i] < lo ? lo - a.at[i] : a.at[i] - hi) * a.cost[i];
    return out
      .sort((i, j) => dist(i) - dist(j))
      .slice(0, 8)
      .map((i) => a.at[i]);
  };
  const us: Pt[][] = [];
  for (const x of beside(xs, Math.min(s.x, t.x), Math.max(s.x, t.x))) us.push([s, { x, y: s.y }, { x, y: t.y }, t]);
  for (const y of beside(ys, Math.min(s.y, t.y), Math.max(s.y, t.y))) us.push([s, { x: s.x, y }, { x: t.x, y }, t]);
  const len = (p: Pt[]): number => p.reduce((a, q, i) => (i ? a + Math.abs(q.x - p[i - 1].x) + Math.abs(q.y - p[i - 1].y) : 0), 0);
  us.sort((a, b) => len(a) - len(b));
  for (const u of us) if (clear(u, obs)) return simplify(u);
  return undefined;
}

/** Drops repeated and collinear points. */
function simplify(p: Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const q of p) {
    if (out.length && Math.abs(out[out.length - 1].x - q.x) < 0.01 && Math.abs(out[out.length - 1].y - q.y) < 0.01) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2];
      const b = out[out.length - 1];
      if ((Math.abs(a.x - b.x) < 0.01 && Math.abs(b.x - q.x) < 0.01) || (Math.abs(a.y - b.y) < 0.01 && Math.abs(b.y - q.y) < 0.01)) {
        out[out.length - 1] = q;
        continue;
      }
    }
    out.push(q);
  }
  return out;
}

/**
 * Where an edge of a node starts: a chip's centre; for a box, a point inside it clear of every
 * obstacle, on the side that faces the other end first (a VPC's attachment to the TGW beside it
 * leaves by the side nearest the TGW, not across the VPC from its far side).
 */
function port(end: RouteEnd, obs: Obstacle[], toward: Pt): Pt {
  const r = end.rect;
  const c = { x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 };
  if (!end.box) return c;
  const m = CLEAR + 1;
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const facing: Pt[] = [];
  if (toward.x < r.x1 || toward.x > r.x2) {
    const x = toward.x < r.x1 ? r.x1 + m : r.x2 - m;
    for (const y of [clamp(toward.y, r.y1 + m, r.y2 - m), c.y, r.y2 - m, r.y1 + m]) facing.push({ x, y });
  }
  if (toward.y < r.y1 || toward.y > r.y2) {
    const y = toward.y < r.y1 ? r.y1 + m : r.y2 - m;
    for (const x of [clamp(toward.x, r.x1 + m, r.x2 - m), c.x, r.x2 - m, r.x1 + m]) facing.push({ x, y });
  }
  const candidates = [
    ...facing,
    { x: r.x2 - m, y: c.y },
    { x: c.x, y: r.y2 - m },
    { x: r.x2 - m, y: r.y2 - m },
    { x: r.x1 + m, y: r.y2 - m },
    { x: r.x2 - m, y: r.y1 + m },
    // A box its label fills: on its border, below or beside the label.
    { x: r.x2 - m, y: r.y2 },
    { x: c.x, y: r.y2 },
    { x: r.x1 + m, y: r.y2 },
    { x: r.x2, y: r.y2 - m },
    c,
  ];
  // Its own label is kept clear by a pixel only: a small box is mostly label.
  return candidates.find((p) => !obs.some((o) => inside(p, inflate(o, o.owner === end.id ? 1 : CLEAR)))) ?? c;
}

/**
 * The point an end's port faces: the other end's centre; between two boxes side by side (two
 * peered VNets), the middle of the span they share, so the line between them runs straight across.
 */
function aim(other: RouteEnd, self: RouteEnd): Pt {
  const o = other.rect;
  const m = self.rect;
  const c = { x: (o.x1 + o.x2) / 2, y: (o.y1 + o.y2) / 2 };
  if (!other.box || !self.box) return c;
  const ylo = Math.max(o.y1, m.y1);
  const yhi = Math.min(o.y2, m.y2);
  const xlo = Math.max(o.x1, m.x1);
  const xhi = Math.min(o.x2, m.x2);
  // Nested boxes (a subnet in its VPC) share everything: the centre then.
  if (xhi > xlo && yhi > ylo) return c;
  if (yhi > ylo) return { x: c.x, y: (ylo + yhi) / 2 };
  if (xhi > xlo) return { x: (xlo + xhi) / 2, y: c.y };
  return c;
}

/** Do two rects share any point (an IGW straddling its VPC's top edge touches it)? */
const crossesRect = (a: Rect, b: Rect): boolean => a.x1 <= b.x2 && b.x1 <= a.x2 && a.y1 <= b.y2 && b.y1 <= a.y2;

/** Does the axis-aligned segment a-b cross the inside of r? */
function crosses(a: Pt, b: Pt, r: Rect): boolean {
  return Math.min(a.x, b.x) < r.x2 && Math.max(a.x, b.x) > r.x1 && Math.min(a.y, b.y) < r.y2 && Math.max(a.y, b.y) > r.y1;
}

/**
 * Routes every request; returns each routed edge's points (its ends on the border of a chip, or at
 * the port inside a box). An edge with no route found is absent (drawn the default way).
 */
export function routeEdges(requests: RouteRequest[], obstacles: Obstacle[], boxes: Obstacle[] = []): Map<string, Pt[]> {
  const buckets = new Buckets(obstacles);
  const borders = new Buckets(boxes);
  const routes = new Map<string, Pt[]>();
  const ends = new Map<string, RouteRequest>();
  // The forward and return edges of one hop share their ends: one search for both.
  const found = new Map<string, Pt[]>();
  const budget: Budget = { states: DRAWING_STATES };
  const laneBudget: Budget = { states: LANE_DRAWING_STATES, perSearch: LANE_SEARCH_STATES, maxGrid: LANE_MAX_GRID };
  // The second search of an edge routed through a subnet it has no business in: its own effort, so the edges after
  // it keep theirs.
  const keepBudget: Budget = { states: KEEP_OUT_STATES };
  let drawn: Rect | undefined;
  /** The boxes each edge was routed around: the nudge keeps it out of them too. */
  const kept = new Map<string, Rect[]>();
  const foundAround = new Map<string, Rect[]>();
  for (const rq of requests) {
    const near = buckets.within(inflate(bbox([rq.source.rect, rq.target.rect]), 8));
    const s = port(rq.source, near, aim(rq.target, rq.source));
    const t = port(rq.target, near, aim(rq.source, rq.target));
    if (Math.abs(s.x - t.x) < 0.5 && Math.abs(s.y - t.y) < 0.5) continue;
    const key = `${s.x},${s.y},${t.x},${t.y}`;
    const rkey = `${t.x},${t.y},${s.x},${s.y}`;
    const back = found.get(rkey) ?? found.get(key);
    if (back) {
      const p = found.has(key) ? back.map((q) => ({ ...q })) : back.map((q) => ({ ...q })).reverse();
      routes.set(rq.id, p);
      ends.set(rq.id, rq);
      const around = foundAround.get(key) ?? foundAround.get(rkey);
      if (around) kept.set(rq.id, around);
      continue;
    }
    const mine = (o: Obstacle): boolean => (o.owner === rq.source.id && !rq.source.box) || (o.owner === rq.target.id && !rq.target.box);
    // First around the boxes to avoid (a path from a spoke to the internet does not run through the
    // hub VNet beside it), then, if that finds nothing, through them.
    const avoid = (rq.avoid ?? []).filter((r) => !crossesRect(r, rq.source.rect) && !crossesRect(r, rq.target.rect));
    const fine = (around: Rect[], budget: Budget): Pt[] | undefined => {
      budget.gaveUp = false;
      for (const pad of WINDOWS) {
        if (budget.gaveUp) break;
        // A wider window only helps the grid search (the quick shapes stay between the ends).
        if (pad !== WINDOWS[0] && budget.states <= 0) break;
        const w = inflate(
          bbox([
            { x1: s.x, y1: s.y, x2: s.x, y2: s.y },
            { x1: t.x, y1: t.y, x2: t.x, y2: t.y },
          ]),
          pad,
        );
        const obs = buckets.within(w).filter((o) => !mine(o));
        if (obs.length > MAX_OBSTACLES) break;
        const path = search(
          s,
          t,
          [
            ...obs.map((o) => inflate(o, o.owner === rq.source.id || o.owner === rq.target.id ? 1 : CLEAR)),
            ...around.filter((r) => crossesRect(r, w)).map((r) => inflate(r, CLEAR)),
          ],
          borders.within(w),
          w,
          budget,
        );
        if (path) return path;
      }
      return undefined;
    };
    for (let around of avoid.length ? [avoid, []] : [[]]) {
      let path = fine(around, budget);
      if (path && rq.keepOut) {
        // Through a subnet that holds neither end (a sibling of the source's): around the subnets, when a route exists.
        const through = (r: Rect): boolean => path!.some((p, i) => i > 0 && crosses(path![i - 1], p, r));
        const out = rq.keepOut.filter((r) => !crossesRect(r, rq.source.rect) && !crossesRect(r, rq.target.rect));
        if (out.some(through)) {
          const kept = [...around, ...out];
          const better = fine(kept, keepBudget);
          if (better) {
            path = better;
            around = kept;
          }
        }
      }
      if (!path && laneBudget.states > 0 && around.some((r) => crossesRect(r, span(s, t)))) {
        // The fine search gave up (too many labels on the way, or out of effort) and the taxi edge
        // would cut through a box to avoid (one lies between the ends): an outer lane around the
        // boxes to avoid, clear of the chips and labels outside them.
        drawn ??= bbox([...obstacles, ...boxes, { x1: s.x, y1: s.y, x2: s.x, y2: s.y }, { x1: t.x, y1: t.y, x2: t.x, y2: t.y }]);
        const w = inflate(bbox([drawn, ...(rq.avoid ?? [])]), 40);
        path = lane(
          s,
          t,
          around,
          buckets.within(w).filter((o) => !mine(o)),
          rq,
          w,
          laneBudget,
        );
      }
      if (path) {
        found.set(
          key,
          path.map((q) => ({ ...q })),
        );
        routes.set(rq.id, path);
        ends.set(rq.id, rq);
        if (around.length) {
          kept.set(rq.id, around);
          foundAround.set(key, around);
        }
        break;
      }
    }
  }
  nudge(routes, ends, buckets, kept);
  for (const [id, p] of routes) {
    const rq = ends.get(id)!;
    // Moves can leave a leg of no length or two legs in line: cytoscape needs neither.
    const clipped = clip(simplify(p), rq);
    if (clipped && clipped.length >= 2) routes.set(id, simplify(clipped));
    else routes.delete(id);
  }
  return routes;
}

/**
 * An edge's route around the boxes it has no business in, over the whole drawing: the boxes (kept
 * LANE_GAP away) and the chips and labels outside them are the obstacles; the labels inside them
 * need not be (the route does not enter them). When that finds nothing, the labels inside the
 * VPCs holding the edge's ends are left out too (it may cross them, as the taxi edge did).
 */
function lane(s: Pt, t: Pt, around: Rect[], near: Obstacle[], rq: RouteRequest, w: Rect, budget: Budget): Pt[] | undefined {
  const within = (o: Rect, r: Rect): boolean => o.x1 >= r.x1 && o.x2 <= r.x2 && o.y1 >= r.y1 && o.y2 <= r.y2;
  // First clear of every label and chip outside the avoided boxes (those in the VPCs holding the
  // ends too); if that grid is too big or finds nothing, of those outside every VPC only.
  const outside = near.filter((o) => !around.some((r) => within(o, r)));
  const vpcs = rq.avoid ?? around;
  const outer = outside.filter((o) => !vpcs.some((r) => within(o, r)));
  for (const labels of outer.length < outside.length ? [outside, outer] : [outside]) {
    const obs = [
      // The ends' ports may sit within LANE_GAP of an avoided box: such a box is kept CLEAR away only.
      ...around.map((r) => {
        const g = inflate(r, LANE_GAP);
        return inside(s, g) || inside(t, g) ? inflate(r, CLEAR) : g;
      }),
      ...labels.map((o) => inflate(o, o.owner === rq.source.id || o.owner === rq.target.id ? 1 : CLEAR)),
    ];
    budget.gaveUp = false;
    const path = search(s, t, obs, [], w, budget);
    if (path || budget.states <= 0) return path;
  }
  return undefined;
}

/** The rect two points span. */
const span = (a: Pt, b: Pt): Rect => ({ x1: Math.min(a.x, b.x), y1: Math.min(a.y, b.y), x2: Math.max(a.x, b.x), y2: Math.max(a.y, b.y) });

function bbox(rs: Rect[]): Rect {
  return {
    x1: Math.min(...rs.map((r) => r.x1)),
    y1: Math.min(...rs.map((r) => r.y1)),
    x2: Math.max(...rs.map((r) => r.x2)),
    y2: Math.max(...rs.map((r) => r.y2)),
  };
}

/**
 * Legs of different edges on one line, overlapping, are spread NUDGE apart (alternately each side);
 * a move that would bring a leg onto a label or chip, or an end out of its node, is not made.
 */
function nudge(routes: Map<string, Pt[]>, ends: Map<string, RouteRequest>, buckets: Buckets, kept: ReadonlyMap<string, Rect[]>): void {
  interface Leg {
    id: string;
    i: number;
    horiz: boolean;
    at: number;
    lo: number;
    hi: number;
  }
  const lines = new Map<string, Leg[]>();
  for (const [id, p] of routes)
    for (let i = 0; i + 1 < p.length; i++) {
      const horiz = Math.abs(p[i].y - p[i + 1].y) < 0.01;
      const at = horiz ? p[i].y : p[i].x;
      const lo = horiz ? Math.min(p[i].x, p[i + 1].x) : Math.min(p[i].y, p[i + 1].y);
      const hi = horiz ? Math.max(p[i].x, p[i + 1].x) : Math.max(p[i].y, p[i + 1].y);
      const key = `${horiz ? 'h' : 'v'}${Math.round(at * 2)}`;
      const list = lines.get(key);
      const leg = { id, i, horiz, at, lo, hi };
      if (list) list.push(leg);
      else lines.set(key, [leg]);
    }
  for (const legs of lines.values()) {
    if (legs.length < 2) continue;
    legs.sort((a, b) => a.lo - b.lo || a.id.localeCompare(b.id));
    // Legs that overlap one another (transitively) form a bundle; each gets its own offset.
    let bundle: Leg[] = [];
    let reach = -Infinity;
    const flush = (): void => {
      if (bundle.length > 1) spread(bundle);
      bundle = [];
    };
    for (const l of legs) {
      if (l.lo >= reach - 0.5) flush();
      bundle.push(l);
      reach = Math.max(reach, l.hi);
    }
    flush();
  }

  function spread(bundle: Leg[]): void {
    const offsets = [0, NUDGE, -NUDGE, 2 * NUDGE, -2 * NUDGE, 3 * NUDGE, -3 * NUDGE, 4 * NUDGE, -4 * NUDGE];
    const pairOf = (l: Leg): string => {
      const rq = ends.get(l.id)!;
      return [rq.source.id, rq.target.id].sort().join('|');
    };
    // Interval colouring: a leg takes the first offset no leg it overlaps has taken (and it can move
    // to). When the line is too crowded for that (many edges into one gateway), it at least keeps
    // off the offset of the other leg of its own hop (the forward and return legs stay two lines).
    const placed: { lo: number; hi: number; d: number; pair: string }[] = [];
    const overlaps = (p: { lo: number; hi: number }, l: Leg): boolean => Math.min(p.hi, l.hi) - Math.max(p.lo, l.lo) > 0.5;
    for (const l of bundle) {
      const pair = pairOf(l);
      let done = false;
      for (const strict of [true, false]) {
        for (const d of offsets) {
          if (placed.some((p) => p.d === d && overlaps(p, l) && (strict || p.pair === pair))) continue;
          if (d === 0 || tryMove(l, d)) {
            placed.push({ lo: l.lo, hi: l.hi, d, pair });
            done = true;
            break;
          }
        }
        if (done) break;
      }
    }
  }

  function tryMove(l: Leg, d: number): boolean {
    const p = routes.get(l.id)!;
    const rq = ends.get(l.id)!;
    const a = p[l.i];
    const b = p[l.i + 1];
    const old = [{ ...a }, { ...b }];
    if (l.horiz) {
      a.y += d;
      b.y += d;
    } else {
      a.x += d;
      b.x += d;
    }
    const ok = clearOfObstacles(p, l.i, rq, buckets, kept.get(l.id)) && endsInside(p, rq);
    if (!ok) {
      Object.assign(a, old[0]);
      Object.assign(b, old[1]);
    }
    return ok;
  }
}

/** The legs around index i (it, and its neighbours) cross no label or chip but the edge's own, nor a box it keeps out of. */
function clearOfObstacles(p: Pt[], i: number, rq: RouteRequest, buckets: Buckets, around: Rect[] = []): boolean {
  for (let k = Math.max(0, i - 1); k <= Math.min(p.length - 2, i + 1); k++) {
    const a = p[k];
    const b = p[k + 1];
    if (around.some((r) => crosses(a, b, inflate(r, 2)))) return false;
    const w = { x1: Math.min(a.x, b.x) - 1, y1: Math.min(a.y, b.y) - 1, x2: Math.max(a.x, b.x) + 1, y2: Math.max(a.y, b.y) + 1 };
    for (const o of buckets.within(w)) {
      if ((o.owner === rq.source.id && !rq.source.box) || (o.owner === rq.target.id && !rq.target.box)) continue;
      if (crosses(a, b, inflate(o, 2))) return false;
    }
  }
  return true;
}

/** A moved end stays well inside its node (chips), or inside its box. */
function endsInside(p: Pt[], rq: RouteRequest): boolean {
  const inner = (r: Rect): Rect => inflate(r, -3);
  return inside(p[0], inner(rq.source.rect)) && inside(p[p.length - 1], inner(rq.target.rect));
}

/** Cuts a chip's end of the route at the chip's border (the route starts at its centre). */
function clip(p: Pt[], rq: RouteRequest): Pt[] | undefined {
  let out = p.map((q) => ({ ...q }));
  if (!rq.source.box) out = clipStart(out, rq.source.rect);
  if (!out.length) return undefined;
  if (!rq.target.box) out = clipStart(out.reverse(), rq.target.rect).reverse();
  return out.length >= 2 ? out : undefined;
}

function clipStart(p: Pt[], r: Rect): Pt[] {
  // Drop points inside the rect; the first leg leaving it starts on its border.
  let i = 0;
  while (i < p.length && inside(p[i], r)) i++;
  if (i === 0 || i === p.length) return i === p.length ? [] : p;
  const a = p[i - 1];
  const b = p[i];
  const q = { ...a };
  if (Math.abs(a.x - b.x) < 0.01) q.y = b.y > a.y ? r.y2 : r.y1;
  else q.x = b.x > a.x ? r.x2 : r.x1;
  return [q, ...p.slice(i)];
}
