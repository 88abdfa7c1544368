// The compound graph to lay out (toElkGraph: boxes nested as the hierarchy, edges lifted to siblings,
// path edges pointing the way egress flows) and the two engines that lay it out: the small layered
// layout of layered.ts (the default) and ELK layered in a Web Worker. The worker is created from a
// Blob of elk's worker source, which the bundle carries as text: a worker URL on the webview resource
// origin is cross-origin inside VS Code, and the page CSP only admits `worker-src blob:`. If a layout
// fails, the caller falls back to cytoscape's built-in one.
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerSource from 'elkjs/lib/elk-worker.min.js' with { type: 'text' };
import type { Graph } from './graph';
import { layoutLayered } from './layered';

/**
 * 'reference' (reference.ts: the reference-architecture diagram, AZ columns and tier rows) is the
 * default; 'layered' (layered.ts, synchronous, ~20 ms for 1,000 nodes) and 'elk' (ELK in a worker:
 * 0.1-1.5 s for the examples, ~16 s for 1,000 nodes) stay in the layout picker.
 */
export type LayoutEngine = 'reference' | 'elk' | 'layered';

export const LAYOUT_ENGINES: { value: LayoutEngine; label: string }[] = [
  { value: 'reference', label: 'Reference diagram' },
  { value: 'layered', label: 'Layered flow' },
  { value: 'elk', label: 'ELK layered' },
];

export interface Positions {
  /** Centre of every leaf node, absolute. */
  leaves: Map<string, { x: number; y: number }>;
  /** Size of the whole drawing (the root's box, from (0,0)). */
  width: number;
  height: number;
  ms: number;
}

let elk: InstanceType<typeof ELK> | undefined;
let workerUrl: string | undefined;

function getElk(): InstanceType<typeof ELK> {
  if (!elk) {
    workerUrl ??= URL.createObjectURL(new Blob([elkWorkerSource], { type: 'text/javascript' }));
    const url = workerUrl;
    elk = new ELK({ workerFactory: () => new Worker(url, { name: 'elk-layout' }) });
  }
  return elk;
}

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.edgeRouting': 'POLYLINE',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '40',
};

/** Compound padding: room at the top for the box's label (cytoscape draws it above the children). */
function compoundOptions(kind: string): Record<string, string> {
  const top = kind === 'vpc' ? 40 : kind === 'group' ? 34 : 28;
  // Inside a VPC the hops run top to bottom, VPCs and the internet left to right: the picture keeps
  // roughly the panel's aspect instead of one long strip.
  const direction = kind === 'vpc' || kind === 'az' || kind === 'subnet' ? 'DOWN' : 'RIGHT';
  return {
    'elk.padding': `[top=${top},left=16,bottom=16,right=16]`,
    'elk.spacing.nodeNode': '18',
    'elk.direction': direction,
    'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  };
}

/**
 * The ELK graph for a Graph: children nested as the compound hierarchy. Compounds are laid out one by
 * one (SEPARATE_CHILDREN: several times faster than a whole-hierarchy layering), so an edge between
 * nodes in different boxes is lifted to the two sibling boxes that contain its ends: the app subnet
 * -> NAT GW edge orders the subnets inside the AZ, the endpoint -> GWLB edge orders the two VPCs.
 */
export function toElkGraph(g: Graph): ElkNode {
  const ids = new Set(g.nodes.map((n) => n.id));
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const parentOf = (id: string): string | undefined => {
    const p = byId.get(id)?.parent;
    return p && ids.has(p) ? p : undefined;
  };
  const children = new Map<string | undefined, string[]>();
  for (const n of g.nodes) {
    const p = parentOf(n.id);
    const list = children.get(p) ?? [];
    list.push(n.id);
    children.set(p, list);
  }
  const chain = (id: string): string[] => {
    const out = [id];
    for (let cur = parentOf(id); cur && out.length < 64; cur = parentOf(cur)) out.push(cur);
    return out;
  };
  const ROOT = '__root';
  const edgesIn = new Map<string, Map<string, ElkExtendedEdge>>();
  // Route edges are drawn only on demand, so they do not shape the layout.
  for (const e of g.edges) {
    if (e.kind === 'route' || !ids.has(e.source) || !ids.has(e.target)) continue;
    // Every path edge points the way egress flows: a return leg (internet -> IGW -> ... -> subnet)
    // read backwards, so the two legs agree and the picture reads subnet -> ... -> internet.
    const [src, dst] = e.kind === 'path' && e.leg === 'return' ? [e.target, e.source] : [e.source, e.target];
    const cs = chain(src);
    const ct = chain(dst);
    const inT = new Set(ct);
    const lcaIndex = cs.findIndex((x) => inT.has(x));
    // An edge between a node and its own ancestor says nothing about the order of siblings.
    if (lcaIndex === 0 || (lcaIndex > 0 && cs[lcaIndex] === dst)) continue;
    const lca = lcaIndex < 0 ? ROOT : cs[lcaIndex];
    const a = lcaIndex < 0 ? cs[cs.length - 1] : cs[lcaIndex - 1];
    const b = lcaIndex < 0 ? ct[ct.length - 1] : ct[ct.indexOf(lca) - 1];
    if (!a || !b || a === b) continue;
    const key = `${a}->${b}`;
    const m = edgesIn.get(lca) ?? new Map<string, ElkExtendedEdge>();
    if (!m.has(key)) m.set(key, { id: `${m.size}:${lca}:${key}`, sources: [a], targets: [b] });
    edgesIn.set(lca, m);
  }
  const build = (id: string): ElkNode => {
    const n = byId.get(id)!;
    const kids = children.get(id);
    if (kids?.length)
      return { id, layoutOptions: compoundOptions(n.kind), children: kids.map(build), edges: [...(edgesIn.get(id)?.values() ?? [])] };
    return { id, width: n.width, height: n.height };
  };
  return {
    id: ROOT,
    layoutOptions: { ...ROOT_OPTIONS },
    children: (children.get(undefined) ?? []).map(build),
    edges: [...(edgesIn.get(ROOT)?.values() ?? [])],
  };
}

function collectLeaves(n: ElkNode, ox: number, oy: number, out: Map<string, { x: number; y: number }>): void {
  for (const c of n.children ?? []) {
    const x = ox + (c.x ?? 0);
    const y = oy + (c.y ?? 0);
    if (c.children?.length) collectLeaves(c, x, y, out);
    else out.set(c.id, { x: x + (c.width ?? 0) / 2, y: y + (c.height ?? 0) / 2 });
  }
}

export async function layoutWithElk(g: Graph): Promise<Positions> {
  const t0 = performance.now();
  const laid = await getElk().layout(toElkGraph(g));
  const leaves = new Map<string, { x: number; y: number }>();
  collectLeaves(laid, 0, 0, leaves);
  return { leaves, width: laid.width ?? 0, height: laid.height ?? 0, ms: performance.now() - t0 };
}

/** The same graph laid out by the small layered layout of layered.ts, synchronously (~1 ms per 50 nodes). */
export function layoutLayeredGraph(g: Graph): Positions {
  const t0 = performance.now();
  const laid = layoutLayered(toElkGraph(g));
  const leaves = new Map<string, { x: number; y: number }>();
  collectLeaves(laid, 0, 0, leaves);
  return { leaves, width: laid.width ?? 0, height: laid.height ?? 0, ms: performance.now() - t0 };
}
