// Layered layout with ELK, run in a Web Worker so a 1,000-node estate never freezes the view.
// The worker is created from a Blob of elk's worker source, which the bundle carries as text: a
// worker URL on the webview resource origin is cross-origin inside VS Code, and the page CSP only
// admits `worker-src blob:`. If the worker cannot start, the caller falls back to a local layout.
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerSource from 'elkjs/lib/elk-worker.min.js' with { type: 'text' };
import type { Graph } from './graph';

export interface Positions {
  /** Centre of every leaf node, absolute. */
  leaves: Map<string, { x: number; y: number }>;
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
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
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
  return { 'elk.padding': `[top=${top},left=16,bottom=16,right=16]`, 'elk.spacing.nodeNode': '18' };
}

/** The ELK graph for a Graph: children nested as the compound hierarchy, every edge at the root. */
export function toElkGraph(g: Graph): ElkNode {
  const children = new Map<string | undefined, string[]>();
  const ids = new Set(g.nodes.map((n) => n.id));
  for (const n of g.nodes) {
    const p = n.parent && ids.has(n.parent) ? n.parent : undefined;
    const list = children.get(p) ?? [];
    list.push(n.id);
    children.set(p, list);
  }
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const ancestors = (id: string): Set<string> => {
    const out = new Set<string>();
    let cur = byId.get(id)?.parent;
    while (cur && !out.has(cur)) {
      out.add(cur);
      cur = byId.get(cur)?.parent;
    }
    return out;
  };
  const build = (id: string): ElkNode => {
    const n = byId.get(id)!;
    const kids = children.get(id);
    if (kids?.length) return { id, layoutOptions: compoundOptions(n.kind), children: kids.map(build) };
    return { id, width: n.width, height: n.height };
  };
  // Route edges are drawn only on demand, so they do not shape the layout.
  // ELK rejects edges between a node and its own ancestor; they add nothing to the layering anyway.
  const edges: ElkExtendedEdge[] = g.edges
    .filter((e) => e.kind !== 'route')
    .filter((e) => ids.has(e.source) && ids.has(e.target) && !ancestors(e.source).has(e.target) && !ancestors(e.target).has(e.source))
    .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  return { id: '__root', layoutOptions: ROOT_OPTIONS, children: (children.get(undefined) ?? []).map(build), edges };
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
  return { leaves, ms: performance.now() - t0 };
}
