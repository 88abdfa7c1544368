// A small, deterministic layered layout for the compound graph that toElkGraph builds, for estates
// too big for ELK to lay out quickly (ELK spends ~3-4 ms per compound, and a 1,000-node estate has
// ~350 compounds). Same input and output shape as ELK (ElkNode: children positioned relative to their
// parent's top-left, compounds sized to their content plus padding), same options read from the
// nodes (elk.direction, elk.padding, elk.spacing.nodeNode, elk.layered.spacing.nodeNodeBetweenLayers,
// elk.spacing.componentComponent), the same steps as ELK's layered algorithm in their simplest form:
//   each compound bottom-up (SEPARATE_CHILDREN): cycle breaking (by model order where the options
//   ask for it, else greedy), connected components
//   laid out apart and packed in rows, longest-path layering pulled towards successors, a few
//   barycenter sweeps for the order within a layer (model order breaks ties), and coordinates along
//   each layer by least squares to the neighbours' centres under the spacing constraints (pool
//   adjacent violators: exact, linear time).
// One addition ELK lacks: a layer far longer than the drawing is wide (50 workload VPCs all fed by
// the inspection VPC) is wrapped into a block of rows/columns, so a 1,000-node estate fits the panel
// as a grid instead of one endless strip. Pure: no DOM, runs in Node for the tests.

export interface LayeredEdge {
  id: string;
  sources: string[];
  targets: string[];
}

export interface LayeredNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: LayeredNode[];
  edges?: LayeredEdge[];
}

interface Options {
  down: boolean;
  padding: { top: number; left: number; bottom: number; right: number };
  nodeNode: number;
  betweenLayers: number;
  componentComponent: number;
  /** Width : height the wrapped layers and the component rows aim at. */
  aspect: number;
  /** Cycle breaking: by the children's order (elk MODEL_ORDER), else greedy (elk's default). */
  modelOrder: boolean;
}

function num(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

function readOptions(o: Record<string, string> | undefined): Options {
  const get = (k: string): string | undefined => o?.[k] ?? o?.[k.replace(/^elk\./, '')];
  const pad = { top: 12, left: 12, bottom: 12, right: 12 };
  const p = get('elk.padding');
  if (p) for (const m of p.matchAll(/(top|left|bottom|right)\s*=\s*(-?[\d.]+)/g)) pad[m[1] as keyof typeof pad] = Number(m[2]);
  return {
    down: (get('elk.direction') ?? 'RIGHT').toUpperCase() === 'DOWN',
    padding: pad,
    nodeNode: num(get('elk.spacing.nodeNode'), 20),
    betweenLayers: num(get('elk.layered.spacing.nodeNodeBetweenLayers'), 20),
    componentComponent: num(get('elk.spacing.componentComponent'), 20),
    aspect: num(get('elk.aspectRatio'), 1.6),
    modelOrder: (get('elk.layered.cycleBreaking.strategy') ?? '').toUpperCase() === 'MODEL_ORDER',
  };
}

/** Isotonic regression with gaps: minimise sum (x_i - d_i)^2 subject to x_{i+1} - x_i >= gap_i. */
export function placeInOrder(desired: number[], gaps: number[]): number[] {
  const n = desired.length;
  // With o_i the cumulative gap, y_i = x_i - o_i must be non-decreasing: plain isotonic regression.
  const offset = new Array<number>(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    offset[i] = acc;
    if (i < n - 1) acc += gaps[i];
  }
  const blockSum: number[] = [];
  const blockCount: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = desired[i] - offset[i];
    let c = 1;
    while (blockSum.length && blockSum[blockSum.length - 1] / blockCount[blockCount.length - 1] >= s / c) {
      s += blockSum.pop()!;
      c += blockCount.pop()!;
    }
    blockSum.push(s);
    blockCount.push(c);
  }
  const out = new Array<number>(n);
  let i = 0;
  for (let b = 0; b < blockSum.length; b++) {
    const mean = blockSum[b] / blockCount[b];
    for (let k = 0; k < blockCount[b]; k++, i++) out[i] = mean + offset[i];
  }
  return out;
}

/**
 * Greedy cycle breaking (Eades, Lin and Smyth, as ELK's default): sinks to the end, sources to the
 * front, else the node with the most surplus of outgoing edges; ties go to the node most fed by the
 * nodes already placed (so a chain is followed in its own order), then to model order. Returns
 * each node's position in the resulting sequence; edges pointing backwards in it get reversed.
 */
export function greedySequence(k: number, succs: number[][], preds: number[][]): number[] {
  const removed = new Array<boolean>(k).fill(false);
  const outd = succs.map((s) => s.length);
  const ind = preds.map((p) => p.length);
  const fed = new Array<number>(k).fill(0);
  const left: number[] = [];
  const right: number[] = [];
  let remaining = k;
  const remove = (v: number, toLeft: boolean): void => {
    removed[v] = true;
    remaining--;
    for (const s of succs[v]) {
      ind[s]--;
      if (toLeft) fed[s]++;
    }
    for (const p of preds[v]) outd[p]--;
    if (toLeft) left.push(v);
    else right.push(v);
  };
  while (remaining > 0) {
    for (let again = true; again;) {
      again = false;
      for (let v = 0; v < k; v++) {
        if (removed[v]) continue;
        if (outd[v] === 0) {
          remove(v, false);
          again = true;
        } else if (ind[v] === 0) {
          remove(v, true);
          again = true;
        }
      }
    }
    if (remaining === 0) break;
    let best = -1;
    for (let v = 0; v < k; v++) {
      if (removed[v]) continue;
      if (best < 0) {
        best = v;
        continue;
      }
      const d = outd[v] - ind[v] - (outd[best] - ind[best]);
      if (d > 0 || (d === 0 && fed[v] > fed[best])) best = v;
    }
    remove(best, true);
  }
  const seq = [...left, ...right.reverse()];
  const pos = new Array<number>(k);
  seq.forEach((v, i) => (pos[v] = i));
  return pos;
}

interface Item {
  node: LayeredNode;
  index: number;
  /** Position in the cycle-free order: every kept edge goes from a lower to a higher one. */
  topo: number;
  /** Size along the layer (width when the layers are rows, DOWN) and across it. */
  along: number;
  across: number;
  preds: number[];
  succs: number[];
  layer: number;
  /** Centre along the layer, and centre across (the layer band's middle). */
  pos: number;
  cross: number;
}

/** One laid-out connected component: its items' centres are relative to its top-left corner. */
interface Box {
  items: Item[];
  width: number;
  height: number;
}

function countCrossings(layers: Item[][], rank: Map<Item, number>, items: Item[]): number {
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const pairs: [number, number][] = [];
    for (const it of layers[l]) for (const s of it.succs) if (items[s].layer === l + 1) pairs.push([rank.get(it)!, rank.get(items[s])!]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let i = 0; i < pairs.length; i++)
      for (let j = i + 1; j < pairs.length; j++) if (pairs[j][0] > pairs[i][0] && pairs[j][1] < pairs[i][1]) total++;
  }
  return total;
}

/** One connected component: layers, order, coordinates. Returns its items positioned from (0,0). */
function layoutComponent(items: Item[], comp: number[], o: Options): Box {
  const its = comp.map((i) => items[i]);
  // Layering: longest path from the sources (after cycle breaking every edge goes forward in `topo`),
  // then every node with successors moves down next to the nearest one (shorter edges).
  const topo = [...its].sort((a, b) => a.topo - b.topo);
  for (const it of its) it.layer = 0;
  for (const it of topo) for (const s of it.succs) items[s].layer = Math.max(items[s].layer, it.layer + 1);
  for (let k = topo.length - 1; k >= 0; k--) {
    const it = topo[k];
    if (it.succs.length) it.layer = Math.min(...it.succs.map((s) => items[s].layer)) - 1;
  }
  const nLayers = Math.max(...its.map((it) => it.layer)) + 1;
  const layers: Item[][] = Array.from({ length: nLayers }, () => []);
  for (const it of its) layers[it.layer].push(it);

  // Order within layers: barycenter sweeps on ranks, model order as the tie-break; keep the best.
  const rank = new Map<Item, number>();
  const setRanks = (): void => layers.forEach((l) => l.forEach((it, r) => rank.set(it, r)));
  setRanks();
  if (its.length > 2 && nLayers > 1) {
    let best = layers.map((l) => [...l]);
    let bestCross = countCrossings(layers, rank, items);
    for (let sweep = 0; sweep < 4 && bestCross > 0; sweep++) {
      const down = sweep % 2 === 0;
      for (let k = 0; k < nLayers; k++) {
        const l = down ? k : nLayers - 1 - k;
        const bary = new Map<Item, number>();
        for (const it of layers[l]) {
          const nb = (down ? it.preds : it.succs).map((i) => items[i]);
          bary.set(
            it,
            nb.length
              ? nb.reduce((a, b) => a + rank.get(b)! / Math.max(1, layers[b.layer].length - 1), 0) / nb.length
              : rank.get(it)! / Math.max(1, layers[l].length - 1),
          );
        }
        layers[l].sort((a, b) => bary.get(a)! - bary.get(b)! || a.index - b.index);
        layers[l].forEach((it, r) => rank.set(it, r));
      }
      const c = countCrossings(layers, rank, items);
      if (c < bestCross) {
        bestCross = c;
        best = layers.map((l) => [...l]);
      }
    }
    for (let l = 0; l < nLayers; l++) layers[l] = best[l];
    setRanks();
  }

  // Long layers become a block of several rows (DOWN) or columns (RIGHT).
  const wrapped = new Map<number, { extentAlong: number; extentAcross: number }>();
  for (let l = 0; l < nLayers; l++) {
    const layer = layers[l];
    if (layer.length < 3) continue;
    const span = layer.reduce((a, it) => a + it.along + o.nodeNode, -o.nodeNode);
    const area = layer.reduce((a, it) => a + (it.along + o.nodeNode) * (it.across + o.betweenLayers), 0);
    // DOWN: the block's width along; RIGHT: its height along. Aim at the panel's aspect.
    const target = Math.max(...layer.map((it) => it.along), o.down ? Math.sqrt(area * o.aspect) : Math.sqrt(area / o.aspect));
    if (span <= target * 1.5) continue;
    let along = 0;
    let acrossStart = 0;
    let lineAcross = 0;
    let extentAlong = 0;
    const line: Item[] = [];
    const flush = (): void => {
      for (const it of line) it.cross = acrossStart + lineAcross / 2;
      acrossStart += lineAcross + o.betweenLayers;
      line.length = 0;
      lineAcross = 0;
      along = 0;
    };
    for (const it of layer) {
      if (line.length && along + it.along > target) flush();
      it.pos = along + it.along / 2;
      along += it.along + o.nodeNode;
      extentAlong = Math.max(extentAlong, along - o.nodeNode);
      lineAcross = Math.max(lineAcross, it.across);
      line.push(it);
    }
    flush();
    for (const it of layer) it.pos -= extentAlong / 2;
    wrapped.set(l, { extentAlong, extentAcross: acrossStart - o.betweenLayers });
  }

  // Coordinates along the layers: start packed and centred, then least squares to the neighbours.
  for (let l = 0; l < nLayers; l++) {
    if (wrapped.has(l)) continue;
    const layer = layers[l];
    let a = 0;
    for (const it of layer) {
      it.pos = a + it.along / 2;
      a += it.along + o.nodeNode;
    }
    const shift = (a - o.nodeNode) / 2;
    for (const it of layer) it.pos -= shift;
  }
  const fit = (l: number, nb: (it: Item) => number[]): void => {
    if (wrapped.has(l)) return;
    const layer = layers[l];
    const desired = layer.map((it) => {
      const ns = nb(it);
      return ns.length ? ns.reduce((s, i) => s + items[i].pos, 0) / ns.length : it.pos;
    });
    const gaps = layer.slice(1).map((it, i) => (layer[i].along + it.along) / 2 + o.nodeNode);
    const x = placeInOrder(desired, gaps);
    layer.forEach((it, i) => (it.pos = x[i]));
  };
  if (nLayers > 1) {
    for (let l = 1; l < nLayers; l++) fit(l, (it) => it.preds);
    for (let l = nLayers - 2; l >= 0; l--) fit(l, (it) => it.succs);
    for (let l = 0; l < nLayers; l++) fit(l, (it) => [...it.preds, ...it.succs]);
  }

  // Across: each layer is a band as thick as its thickest node (or its wrapped block).
  let start = 0;
  for (let l = 0; l < nLayers; l++) {
    const w = wrapped.get(l);
    const thick = w ? w.extentAcross : Math.max(...layers[l].map((it) => it.across));
    for (const it of layers[l]) it.cross = w ? start + it.cross : start + thick / 2;
    start += thick + o.betweenLayers;
  }
  // Normalise to (0,0) and measure.
  let minA = Infinity;
  let maxA = -Infinity;
  let minC = Infinity;
  let maxC = -Infinity;
  for (const it of its) {
    minA = Math.min(minA, it.pos - it.along / 2);
    maxA = Math.max(maxA, it.pos + it.along / 2);
    minC = Math.min(minC, it.cross - it.across / 2);
    maxC = Math.max(maxC, it.cross + it.across / 2);
  }
  for (const it of its) {
    it.pos -= minA;
    it.cross -= minC;
  }
  const extentAlong = maxA - minA;
  const extentAcross = maxC - minC;
  return { items: its, width: o.down ? extentAlong : extentAcross, height: o.down ? extentAcross : extentAlong };
}

/** Lay out one compound's children (already sized); sets their x/y and returns the content size. */
function layoutChildren(node: LayeredNode, o: Options): { width: number; height: number } {
  const kids = node.children ?? [];
  const index = new Map<string, number>();
  kids.forEach((k, i) => index.set(k.id, i));
  const items: Item[] = kids.map((k, i) => {
    const w = k.width ?? 0;
    const h = k.height ?? 0;
    return { node: k, index: i, topo: i, along: o.down ? w : h, across: o.down ? h : w, preds: [], succs: [], layer: 0, pos: 0, cross: 0 };
  });
  // The directed edges between children, once each.
  const n = kids.length;
  const directed: [number, number][] = [];
  const seenDirected = new Set<number>();
  for (const e of node.edges ?? []) {
    const a = index.get(e.sources[0]);
    const b = index.get(e.targets[0]);
    if (a === undefined || b === undefined || a === b || seenDirected.has(a * n + b)) continue;
    seenDirected.add(a * n + b);
    directed.push([a, b]);
  }
  // Cycle breaking: every edge is made to point forward in a sequence of the children.
  if (!o.modelOrder && directed.length) {
    const succ: number[][] = kids.map(() => []);
    const pred: number[][] = kids.map(() => []);
    for (const [a, b] of directed) {
      succ[a].push(b);
      pred[b].push(a);
    }
    const pos = greedySequence(n, succ, pred);
    items.forEach((it, i) => (it.topo = pos[i]));
  }
  const seen = new Set<number>();
  const parent = kids.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const [a, b] of directed) {
    const [u, v] = items[a].topo < items[b].topo ? [a, b] : [b, a];
    const key = u * n + v;
    if (seen.has(key)) continue;
    seen.add(key);
    items[u].succs.push(v);
    items[v].preds.push(u);
    parent[find(u)] = find(v);
  }
  const comps = new Map<number, number[]>();
  for (let i = 0; i < kids.length; i++) {
    const r = find(i);
    const list = comps.get(r) ?? [];
    list.push(i);
    comps.set(r, list);
  }
  const boxes = [...comps.values()].map((c) => layoutComponent(items, c, o));
  // Pack the components in rows, the biggest first (model order among equals), as ELK's row placer does.
  const order = boxes.map((b, i) => ({ b, i, area: b.width * b.height })).sort((p, q) => q.area - p.area || p.i - q.i);
  const gap = o.componentComponent;
  const totalArea = boxes.reduce((s, b) => s + (b.width + gap) * (b.height + gap), 0);
  const rowMax = Math.max(...boxes.map((b) => b.width), Math.sqrt(totalArea) * o.aspect);
  let x = 0;
  let y = 0;
  let rowH = 0;
  let width = 0;
  for (const { b } of order) {
    if (x > 0 && x + b.width > rowMax) {
      x = 0;
      y += rowH + gap;
      rowH = 0;
    }
    for (const it of b.items) {
      const cx = o.down ? it.pos : it.cross;
      const cy = o.down ? it.cross : it.pos;
      it.node.x = x + cx - (it.node.width ?? 0) / 2;
      it.node.y = y + cy - (it.node.height ?? 0) / 2;
    }
    x += b.width + gap;
    width = Math.max(width, x - gap);
    rowH = Math.max(rowH, b.height);
  }
  return { width, height: y + rowH };
}

function layoutNode(node: LayeredNode): void {
  const kids = node.children ?? [];
  if (!kids.length) return;
  for (const k of kids) layoutNode(k);
  const o = readOptions(node.layoutOptions);
  const size = layoutChildren(node, o);
  for (const k of kids) {
    k.x = (k.x ?? 0) + o.padding.left;
    k.y = (k.y ?? 0) + o.padding.top;
  }
  node.width = size.width + o.padding.left + o.padding.right;
  node.height = size.height + o.padding.top + o.padding.bottom;
}

/** Lays out the graph in place (like elk.layout) and returns it. */
export function layoutLayered<T extends LayeredNode>(root: T): T {
  layoutNode(root);
  root.x = 0;
  root.y = 0;
  return root;
}
