// The topology webview: draws an AnalysisResult with cytoscape (the reference-architecture layout of
// reference.ts by default; layered.ts and ELK in the layout picker), animates
// a subnet's egress hop by hop, forward then return, and talks to its host only through the
// validated messages of src/protocol.ts. Runs inside VS Code and in the CLI's HTML report.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import type { AnalysisResult, EnforcementPoint, FlowSimulation, SubnetEgress } from '../src/analysis/types';
import { parseHostMessage, type HostToWebview, type WebviewToHost } from '../src/protocol';
import { storyEdge } from './camera';
import { egressKey, egressScript, findEgress, Player, simulationScript, type Mode, type Script } from './animation';
import { createControls, type Option } from './controls';
import { originals as cytoscapeOriginals, patchCytoscape } from './cytoscapePatch';
import { buildGraph, nodeForElement, type Graph, type GraphNode } from './graph';
import { LAYOUT_ENGINES, layoutLayeredGraph, layoutWithElk, type LayoutEngine } from './layout';
import { layoutReference, REF_FONT, type Placed } from './reference';
import type { Pt } from './route';
import { createNarration, renderLegend, showTooltip } from './panel';
import { readTheme, stylesheet, type Theme } from './style';
import { toSvg } from './svg';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives a reload (with the panel serializer): view choices, never the result itself. */
interface ViewState {
  subject?: string;
  mode: Mode;
  speed: number;
  expanded: string[];
  showRouteTables: boolean;
  vpcLevel: boolean;
  layout?: LayoutEngine;
}

/** Beyond this many nodes the estate is drawn at VPC level (expand on demand). */
let collapseThreshold = 400;
/** Which layout engine (layout.ts): the reference diagram unless the user or a test picks another. */
let engineSetting: LayoutEngine = 'reference';

const vscode: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

function post(m: WebviewToHost): void {
  vscode.postMessage(m);
}

const saved = vscode.getState() as Partial<ViewState> | undefined;
const view: ViewState = {
  mode: saved?.mode === 'forward' || saved?.mode === 'return' ? saved.mode : 'both',
  speed: typeof saved?.speed === 'number' && saved.speed > 0 ? saved.speed : 1,
  expanded: Array.isArray(saved?.expanded) ? saved.expanded.filter((x): x is string => typeof x === 'string') : [],
  showRouteTables: saved?.showRouteTables !== false,
  vpcLevel: saved?.vpcLevel === true,
  subject: typeof saved?.subject === 'string' ? saved.subject : undefined,
  layout: LAYOUT_ENGINES.some((l) => l.value === saved?.layout) ? saved?.layout : undefined,
};
if (view.layout) engineSetting = view.layout;
const persist = (): void => vscode.setState(view);

const $ = (id: string): HTMLElement => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`topology page is missing #${id}`);
  return e;
};

// cytoscape adds a one-rule <style> (its container's position) unless one with this id exists; made
// here with the page nonce so the strict CSP has nothing to refuse.
function preloadCytoscapeStyle(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const nonce = document.querySelector('meta[property="csp-nonce"]')?.getAttribute('content');
  const style = document.createElement('style');
  style.id = id;
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = '.__________cytoscape_container { position: relative; }';
  document.head.prepend(style);
}
preloadCytoscapeStyle();

let theme: Theme = readTheme();
let result: AnalysisResult | undefined;
let graph: Graph | undefined;
let nodeById = new Map<string, GraphNode>();
let script: Script | undefined;
let player: Player | undefined;
let simulation: FlowSimulation | undefined;
let renderGen = 0;
let renders = 0;
let filters = { vpc: '', state: '', finding: '' };
let searchHits: string[] = [];
let searchPos = -1;

const cy: Core = cytoscape({
  container: $('graph'),
  style: stylesheet(theme) as cytoscape.StylesheetJson,
  minZoom: 0.03,
  maxZoom: 3,
  boxSelectionEnabled: false,
  selectionType: 'single',
  autoungrabify: true,
});
const cytoscapePatched = patchCytoscape(cy);

const narration = createNarration($('side-title'), $('side-summary'), $('narration') as HTMLOListElement, {
  onSelect: (i) => {
    player?.pause();
    player?.goto(i);
  },
  onReveal: (i) => {
    const s = script?.steps[i];
    if (s?.hop.loc) post({ type: 'reveal', location: s.hop.loc, element: s.hop.element });
  },
});
renderLegend($('legend'));

// The narration folds away to a narrow strip (the canvas takes the room and re-fits).
{
  const side = $('side');
  const toggle = document.createElement('button');
  toggle.id = 'side-toggle';
  toggle.type = 'button';
  const setLabel = (collapsed: boolean): void => {
    toggle.textContent = collapsed ? '\u00ab' : '\u00bb';
    toggle.title = collapsed ? 'Show the narration' : 'Hide the narration';
    toggle.setAttribute('aria-label', toggle.title);
    toggle.setAttribute('aria-expanded', String(!collapsed));
  };
  setLabel(false);
  toggle.addEventListener('click', () => {
    const collapsed = document.body.classList.toggle('side-collapsed');
    setLabel(collapsed);
  });
  side.prepend(toggle);
}

const controls = createControls($('toolbar'), {
  onPlayPause: () => player?.toggle(),
  onStepForward: () => {
    player?.pause();
    player?.forward();
  },
  onStepBack: () => {
    player?.pause();
    player?.back();
  },
  onRestart: () => player?.restart(),
  onSpeed: (s) => setSpeed(s),
  onMode: (m) => {
    view.mode = m;
    persist();
    reloadScript();
  },
  onSubject: (id) => selectSubject(id, false),
  onFilter: (f) => {
    filters = f;
    applyFilters();
  },
  onSearch: (text, next) => search(text, next),
  onFit: () => fitView(),
  onLayout: (e) => {
    engineSetting = e;
    view.layout = e;
    persist();
    void render();
  },
  onExport: (format) => void exportView(format),
  onRouteTables: (show) => {
    view.showRouteTables = show;
    persist();
    void render();
  },
  onVpcLevel: (on) => {
    view.vpcLevel = on;
    if (!on) view.expanded = [];
    persist();
    void render();
  },
});
controls.setSpeed(view.speed);
controls.setVpcLevel(view.vpcLevel);
controls.setLayout(engineSetting);

function status(text: string): void {
  $('status').textContent = text;
}

function setSpeed(s: number): void {
  view.speed = Math.max(0.1, Math.min(10, s));
  if (player) player.speed = view.speed;
  controls.setSpeed(view.speed);
  persist();
}

/** Parents before children: cytoscape wants a compound's parent to exist when the child is added. */
function depthOrder(nodes: GraphNode[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = (n: GraphNode): number => {
    let d = 0;
    let cur = n.parent ? byId.get(n.parent) : undefined;
    while (cur && d < 64) {
      d++;
      cur = cur.parent ? byId.get(cur.parent) : undefined;
    }
    return d;
  };
  return [...nodes].sort((a, b) => depth(a) - depth(b));
}

/** Path edges whose reverse is drawn too: the two legs are drawn apart (an offset each side). */
function legOffsets(g: Graph): Map<string, number> {
  const ids = new Set(g.edges.filter((e) => e.kind === 'path').map((e) => `${e.source}->${e.target}`));
  const out = new Map<string, number>();
  for (const e of g.edges) if (e.kind === 'path' && ids.has(`${e.target}->${e.source}`)) out.set(e.id, e.leg === 'return' ? 7 : -7);
  return out;
}

/**
 * A routed edge (route.ts) as cytoscape draws it: its ends as offsets from its nodes' centres, its
 * bends as segment weights and distances along and across the line between those ends.
 */
function routeStyle(pts: readonly Pt[], s: Placed, t: Placed, label?: Pt): Record<string, string | number> | undefined {
  const a = pts[0];
  const b = pts[pts.length - 1];
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const l2 = dx * dx + dy * dy;
  if (l2 < 1) return undefined;
  const l = Math.sqrt(l2);
  const ws: string[] = [];
  const ds: string[] = [];
  for (const p of pts.slice(1, -1)) {
    const px = p.x - a.x;
    const py = p.y - a.y;
    ws.push(((px * dx + py * dy) / l2).toFixed(5));
    ds.push(((-px * dy + py * dx) / l).toFixed(3));
  }
  // cytoscape puts a segments edge's label on its middle bend (odd count) or the middle of its
  // middle leg (even count), a straight one's half way: the layout's place is given as a margin from there.
  const inner = pts.slice(1, -1);
  const k = inner.length;
  const mid = !k
    ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
    : k % 2
      ? inner[(k - 1) / 2]
      : { x: (inner[k / 2 - 1].x + inner[k / 2].x) / 2, y: (inner[k / 2 - 1].y + inner[k / 2].y) / 2 };
  return {
    ...(label ? { lmx: label.x - mid.x, lmy: label.y - mid.y } : {}),
    se: `${(a.x - s.x).toFixed(2)}px ${(a.y - s.y).toFixed(2)}px`,
    te: `${(b.x - t.x).toFixed(2)}px ${(b.y - t.y).toFixed(2)}px`,
    ...(ws.length ? { sw: ws.join(' '), sd: ds.join(' ') } : {}),
    routed: ws.length ? 'segments' : 'straight',
  };
}

function toElements(
  g: Graph,
  positions?: ReadonlyMap<string, { x: number; y: number }>,
  placed?: ReadonlyMap<string, Placed>,
  routes?: ReadonlyMap<string, Pt[]>,
  edgeLabels?: ReadonlyMap<string, Pt>,
): ElementDefinition[] {
  const ids = new Set(g.nodes.map((n) => n.id));
  const offsets = placed ? legOffsets(g) : undefined;
  if (placed)
    return [
      // The reference layout draws every box flat, sized and placed by reference.ts.
      ...g.nodes.map((n): ElementDefinition => {
        const p = placed.get(n.id);
        return {
          group: 'nodes',
          data: {
            id: n.id,
            label: p?.label ?? n.label,
            kind: n.kind,
            width: p?.w ?? n.width,
            height: p?.h ?? n.height,
            state: n.state,
            severity: n.severity,
            synthetic: n.synthetic === true,
            vpc: n.vpc,
            tier: n.tier,
            passthrough: n.passthrough !== undefined,
            ref: true,
            box: p?.box === true,
            chip: p?.box !== true,
            glyph: p?.glyph === true,
            badge: n.badge !== undefined,
            z: p?.z ?? 10,
            lx: p?.lx ?? 0,
            ly: p?.ly ?? 0,
            fs: p?.fontSize ?? REF_FONT,
            parentBox: n.parent,
          },
          position: p ? { x: p.x, y: p.y } : { x: 0, y: 0 },
        };
      }),
      ...g.edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e): ElementDefinition => {
          const route = routes?.get(e.id);
          const s = placed.get(e.source);
          const t = placed.get(e.target);
          const routed = route && s && t ? routeStyle(route, s, t, edgeLabels?.get(e.id)) : undefined;
          return {
            group: 'edges',
            data: {
              id: e.id,
              source: e.source,
              target: e.target,
              kind: e.kind,
              label: e.kind === 'privatelink' ? undefined : e.label,
              ref: true,
              ...(routed ?? {
                off: offsets?.get(e.id) ?? 0,
                // An edge to or from the internet turns next to the internet, above every box.
                nearInternet: e.target === 'internet' ? 'target' : e.source === 'internet' ? 'source' : undefined,
              }),
            },
          };
        }),
    ];
  const nodes: ElementDefinition[] = depthOrder(g.nodes).map((n) => {
    const def: ElementDefinition = {
      group: 'nodes',
      data: {
        id: n.id,
        parent: n.parent && ids.has(n.parent) ? n.parent : undefined,
        label: n.label,
        kind: n.kind,
        width: n.width,
        height: n.height,
        state: n.state,
        severity: n.severity,
        synthetic: n.synthetic === true,
        passthrough: n.passthrough !== undefined,
        vpc: n.vpc,
      },
    };
    // Leaves carry their laid-out centre; compounds follow their children.
    const p = positions?.get(n.id);
    if (p) def.position = { x: p.x, y: p.y };
    return def;
  });
  const edges: ElementDefinition[] = g.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, kind: e.kind, label: e.label } }));
  return [...nodes, ...edges];
}

/** Replace the drawn elements in one batch (one style pass, one redraw). */
function replaceElements(
  g: Graph,
  positions?: ReadonlyMap<string, { x: number; y: number }>,
  placed?: ReadonlyMap<string, Placed>,
  routes?: ReadonlyMap<string, Pt[]>,
  edgeLabels?: ReadonlyMap<string, Pt>,
): void {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(toElements(g, positions, placed, routes, edgeLabels));
  });
}

/**
 * Fit the drawing from the layout's own extent: cy.fit would first compute the style and bounding
 * box (labels included) of every element, seconds for a 1,000-node estate, before the first frame.
 * The canvas is the stage beside the narration (the grid in topology.css), so cy.width() is the area
 * left visible. The top margin leaves room for the outermost box's label, which cytoscape draws above the box.
 */
function fitExtent(width: number, height: number): void {
  const pad = engineInUse === 'reference' ? 16 : 30;
  const top = 24;
  const w = Math.max(1, cy.width() - 2 * pad);
  const h = Math.max(1, cy.height() - 2 * pad);
  // A small diagram is not blown up past 125 %: it would look like a different, coarser picture.
  const maxZoom = engineInUse === 'reference' ? 1.25 : cy.maxZoom();
  const zoom = Math.min(maxZoom, Math.max(cy.minZoom(), Math.min(w / Math.max(1, width), h / Math.max(1, height + top))));
  // The reference diagram is fitted whole only while its text stays 11 px or more; beyond that the
  // fit shows the traced path (the packet's whole walk, forward and back) with as much of its VPCs
  // as fits, at the largest zoom that shows it, and the camera follows the packet when even the path is too big.
  const readable = engineInUse === 'reference' ? MIN_TEXT_PX / REF_FONT_MIN : 0;
  if (zoom >= readable) {
    cy.viewport({ zoom, pan: { x: (cy.width() - width * zoom) / 2, y: (cy.height() - (height + top) * zoom) / 2 + top * zoom } });
  } else fitStory(readable, width, height);
  fitted = { zoom: cy.zoom(), x: cy.pan().x, y: cy.pan().y };
  following = false;
  lastExtent = { width, height };
}

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
const unite = (a: Rect | undefined, b: Rect): Rect =>
  a ? { x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) } : b;

/**
 * The traced path's nodes: the script's hops (not every firewall behind a GWLB on it, which
 * reloadScript leaves undimmed: the hop that inspects is the GWLB's, its targets may fill other AZs).
 */
function storyNodes(s: Script | undefined): cytoscape.NodeCollection {
  let path = cy.collection();
  for (const st of s?.steps ?? []) if (st.node) path = path.union(cy.getElementById(st.node));
  return path.nodes();
}

/**
 * Fit what tells the traced path's story when the whole diagram is too big to read: first the path
 * with the whole of its VPCs, then the path with its VPCs' top-left corners (where their names are),
 * at the largest readable zoom (at most 100 %); a path too big for that (across 3-AZ VPCs) leaves the
 * traced subnet's VPC whole in view at a readable zoom, and the camera follows the packet out of it.
 */
function fitStory(readable: number, width: number, height: number): void {
  const pad = 10;
  const top = 24;
  const cw = cy.width();
  const ch = cy.height();
  const nodes = storyNodes(scriptFor(view.subject));
  let path: Rect | undefined;
  let vpcs: Rect | undefined;
  let corners: Rect | undefined;
  for (const n of nodes.toArray()) {
    const b = n.boundingBox({ includeLabels: false });
    path = unite(path, b);
    const vpc = nodeById.get(n.id())?.vpc;
    const v = vpc ? cy.getElementById(vpc) : undefined;
    if (v?.nonempty() && v.isNode()) {
      const vb = v.boundingBox({ includeLabels: false });
      vpcs = unite(vpcs, vb);
      corners = unite(corners, { x1: vb.x1, y1: vb.y1, x2: vb.x1 + 1, y2: vb.y1 + 1 });
    }
  }
  const zoomFor = (r: Rect): number =>
    Math.min(1, (cw - 2 * pad) / Math.max(1, r.x2 - r.x1), (ch - 2 * pad) / Math.max(1, r.y2 - r.y1 + top));
  const show = (r: Rect, z: number): void => {
    const x = storyEdge(r.x1, r.x2, cw / z, 0, width, z, pad);
    const y = storyEdge(r.y1 - top, r.y2, ch / z, -top, height, z, pad);
    cy.viewport({ zoom: z, pan: { x: -x * z, y: -y * z } });
  };
  if (path) {
    const withVpcs = unite(path, vpcs ?? path);
    const withNames = unite(path, corners ?? path);
    for (const r of [withVpcs, withNames]) {
      const z = zoomFor(r);
      if (z >= readable) return show(r, z);
    }
  }
  // No path, or a path too big to show whole: the traced subnet's VPC with the internet above it,
  // at the largest readable zoom that shows it (its top left if it is bigger).
  const source = view.subject && result ? (findEgress(result.egress, view.subject)?.subnet ?? view.subject) : view.subject;
  const vpcId = source ? (nodeById.get(source)?.vpc ?? source) : undefined;
  const subjectNode = vpcId ? cy.getElementById(vpcId).union(cy.getElementById('internet')) : cy.collection();
  const box = subjectNode.nonempty() ? subjectNode.boundingBox({ includeLabels: false }) : { x1: 0, y1: 0, x2: width, y2: height };
  show(box, Math.max(readable, zoomFor(box)));
}

/** Smallest text the reference layout draws (route-table badges, AZ labels) and the least it may show on screen. */
const REF_FONT_MIN = 11;
const MIN_TEXT_PX = 11;
let engineInUse = '';
/** The viewport the last fit set: a re-fit on resize happens only while the user has not moved it. */
let fitted: { zoom: number; x: number; y: number } | undefined;
/** The camera is moving after the packet from a fitted view (keepInView). */
let following = false;
let lastExtent: { width: number; height: number } | undefined;

function fitView(): void {
  if (lastExtent && engineInUse === 'reference') fitExtent(lastExtent.width, lastExtent.height);
  else {
    cy.fit(undefined, 30);
    fitted = { zoom: cy.zoom(), x: cy.pan().x, y: cy.pan().y };
    following = false;
  }
}

function userMovedSinceFit(): boolean {
  // The camera's own move after the packet is not the user's.
  if (following) return false;
  if (!fitted) return true;
  const p = cy.pan();
  return Math.abs(cy.zoom() - fitted.zoom) > 1e-6 || Math.abs(p.x - fitted.x) > 0.5 || Math.abs(p.y - fitted.y) > 0.5;
}

async function render(): Promise<void> {
  if (!result) return;
  const gen = ++renderGen;
  const t0 = performance.now();
  const g = buildGraph(result, {
    showRouteTables: view.showRouteTables,
    collapseThreshold,
    expanded: new Set(view.expanded),
    forceCollapse: view.vpcLevel,
  });
  player?.pause();
  document.body.dataset.ready = '0';
  status(`Laying out ${g.nodes.length} nodes\u2026`);
  // The layout runs first (in a worker); only then are the elements created, already in place, so
  // cytoscape never styles and redraws a pile of unpositioned nodes while the layout is under way.
  let layoutMs = 0;
  let engine: string = engineSetting;
  let positions: Map<string, { x: number; y: number }> | undefined;
  let placed: Map<string, Placed> | undefined;
  let routes: Map<string, Pt[]> | undefined;
  let edgeLabels: Map<string, Pt> | undefined;
  let extent = { width: 0, height: 0 };
  let drawnGraph = g;
  try {
    if (engine === 'reference') {
      const lay = layoutReference(g);
      layoutMs = lay.ms;
      placed = lay.at;
      routes = lay.routes;
      edgeLabels = lay.edgeLabels;
      drawnGraph = lay.graph;
      extent = lay;
    } else {
      const pos = engine === 'layered' ? layoutLayeredGraph(g) : await layoutWithElk(g);
      layoutMs = pos.ms;
      positions = pos.leaves;
      extent = pos;
    }
  } catch (err) {
    if (gen === renderGen)
      post({ type: 'log', level: 'error', message: `${engine} layout failed, using the built-in layout: ${String(err)}` });
    engine = 'cose';
  }
  if (gen !== renderGen) return;
  graph = drawnGraph;
  nodeById = new Map(drawnGraph.nodes.map((n) => [n.id, n]));
  const tAdd = performance.now();
  engineInUse = engine;
  document.body.classList.toggle('layout-reference', engine === 'reference');
  replaceElements(drawnGraph, positions, placed, routes, edgeLabels);
  // The subject decides what a too-big diagram is fitted to (fitExtent): pick it first.
  if (!view.subject || !(result.egress.some((e) => egressKey(e) === view.subject) || view.subject.startsWith('sim:'))) {
    const first = result.egress.find((e) => e.divergence) ?? result.egress[0];
    view.subject = first ? egressKey(first) : view.subject;
  }
  if (positions || placed) fitExtent(extent.width, extent.height);
  else {
    cy.layout({ name: 'cose', animate: false, fit: true, padding: 30 }).run();
    fitted = undefined;
  }
  const addMs = performance.now() - tAdd;
  applyFilters();
  // Long option lists (a hundred subnets) are filled after the first frame.
  updateControls(g.nodes.length > 400 || result.egress.length + result.simulations.length > 60);
  reloadScript();
  const ms = performance.now() - t0;
  document.body.dataset.ready = '1';
  document.body.dataset.nodes = String(cy.nodes().length);
  document.body.dataset.edges = String(cy.edges().length);
  document.body.dataset.layoutMs = String(Math.round(layoutMs));
  document.body.dataset.addMs = String(Math.round(addMs));
  document.body.dataset.renderMs = String(Math.round(ms));
  document.body.dataset.layoutEngine = engine;
  document.body.dataset.renders = String(++renders);
  status(
    `${g.nodes.length} nodes, ${g.edges.length} edges` +
      (g.collapsed ? ` \u00b7 VPC level (double-click a VPC to expand)` : '') +
      ` \u00b7 score ${result.score.score ?? 'n/a'}`,
  );
  document.dispatchEvent(new CustomEvent('egress-lens-rendered'));
}

/**
 * Subject choice and the toolbar's option lists. With `deferLists` (big estates) the lists, a few
 * hundred toolkit elements, are filled after the first frame: nothing on screen needs them sooner.
 */
function updateControls(deferLists = false): void {
  if (!result) return;
  const r = result;
  // A dual-stack subnet has an egress per family: both are listed, each named by its family.
  const dual = dualStackSubnets(r);
  const subjects: Option[] = r.egress.map((e) => ({
    value: egressKey(e),
    label: `${e.divergence ? '\u26a0 ' : ''}${e.forward.hops[0]?.name ?? e.subnet}${e.family === 6 ? ' \u00b7 IPv6' : dual.has(e.subnet) ? ' \u00b7 IPv4' : ''}`,
  }));
  r.simulations.forEach((s, i) =>
    subjects.push({ value: `sim:${i}`, label: `flow: ${s.flow.label ?? s.flow.destination} (${s.outcome})` }),
  );
  if (simulation && !r.simulations.includes(simulation))
    subjects.push({ value: 'sim:current', label: `flow: ${simulation.flow.label ?? simulation.flow.destination} (${simulation.outcome})` });
  if (!view.subject || !subjects.some((s) => s.value === view.subject)) {
    const divergent = r.egress.find((e) => e.divergence);
    view.subject = divergent ? egressKey(divergent) : subjects[0]?.value;
  }
  const fill = (): void => {
    controls.setSubjects(subjects, view.subject);
    const vpcs = r.model.elements.filter((e) => e.kind === 'vpc').map((v) => ({ value: v.id, label: v.name }));
    const states = [...new Set(r.states.map((s) => s.state))].map((s) => ({ value: s, label: s }));
    const findings = [...new Set(r.findings.map((f) => f.code))].map((c) => ({ value: c, label: c }));
    controls.setFilterOptions(vpcs, states, findings);
  };
  if (!deferLists) return fill();
  const gen = renderGen;
  requestAnimationFrame(() => setTimeout(() => gen === renderGen && result === r && fill(), 0));
}

function scriptFor(subject: string | undefined): Script | undefined {
  if (!result || !graph || !subject) return undefined;
  if (subject === 'sim:current' && simulation) return simulationScript(simulation, graph, view.mode);
  if (subject.startsWith('sim:')) {
    const s = result.simulations[Number(subject.slice(4))];
    return s ? simulationScript(s, graph, view.mode) : undefined;
  }
  const e = findEgress(result.egress, subject);
  return e
    ? egressScript(
        e,
        graph,
        view.mode,
        result.states.find((s) => s.vpc === e.vpc),
        familyOf(result, e),
      )
    : undefined;
}

/** The family the narration names: either of a dual-stack subnet's, an IPv6-only subnet's; none for plain IPv4. */
function familyOf(r: AnalysisResult, e: SubnetEgress): 'IPv4' | 'IPv6' | undefined {
  if (e.family === 6) return 'IPv6';
  if (dualStackSubnets(r).has(e.subnet)) return 'IPv4';
  const subnet = r.model.elements.find((x) => x.id === e.subnet);
  return subnet?.kind === 'subnet' && subnet.ipv6Native === true ? 'IPv6' : undefined;
}

/** The subnets with an egress per family (a dual-stack subnet's IPv6 egress beside its IPv4 one). */
function dualStackSubnets(r: AnalysisResult): Set<string> {
  return new Set(r.egress.filter((e) => e.family === 6).map((e) => e.subnet));
}

const PATH_CLASSES = 'onpath asym diverge dim taken visited current dropped undecided allow deny uninspected';

/**
 * A subject whose egress reaches the internet with no firewall on the way: its path is drawn red, the
 * reply too when it comes back through no firewall either (`back`).
 */
function uninspected(subject: string | undefined): { forward: boolean; back: boolean } {
  const none = { forward: false, back: false };
  if (!result || !subject) return none;
  const sim =
    subject === 'sim:current' ? simulation : subject.startsWith('sim:') ? result.simulations[Number(subject.slice(4))] : undefined;
  const legs = sim ?? findEgress(result.egress, subject);
  const fwd = legs?.forward;
  const forward = !!fwd && fwd.outcome.kind === 'delivered' && noInspection(fwd.inspectedBy) && fwd.hops.some((h) => h.kind === 'internet');
  return { forward, back: forward && !!legs?.return && noInspection(legs.return.inspectedBy) };
}

/** No enforcement point, or only GWLB targets that pass every packet back (F201): nothing inspects the leg. */
function noInspection(eps: readonly EnforcementPoint[]): boolean {
  return eps.every((ep) => ep.passes !== undefined);
}

/** The nodes and edges of the current script: the only elements a step changes. */
let stepEles: cytoscape.CollectionReturnValue | undefined;

/** The subject the loaded script is of (the host sets view.subject before it asks for the script). */
let loadedSubject: string | undefined;

function reloadScript(): void {
  player?.pause();
  script = scriptFor(view.subject);
  loadedSubject = view.subject;
  stepEles = undefined;
  cy.batch(() => {
    cy.elements().removeClass(PATH_CLASSES);
    if (!script) return;
    const red = uninspected(view.subject);
    let onPath = cy.collection();
    for (const s of script.steps) {
      const n = s.node ? cy.getElementById(s.node) : cy.collection();
      onPath = onPath.union(n);
      if (s.diverge) n.addClass('diverge');
      if (s.edge) {
        const e = cy.getElementById(s.edge);
        onPath = onPath.union(e);
        e.addClass('onpath');
        if (s.asym) e.addClass('asym');
        if (s.leg === 'forward' ? red.forward : red.back) e.addClass('uninspected');
      }
    }
    // The appliances behind a GWLB (or target group) on the path are on it too: they inspect it (or, drawn as
    // pass-through, carry it back uninspected).
    const lbs = onPath.nodes('[kind = "gwlb"], [kind = "targetGroup"], [kind = "gwlbFirewall"]');
    onPath = onPath
      .union(lbs.outgoers('edge[kind = "target"]').targets())
      .union(lbs.outgoers('edge[kind = "target"]').targets().outgoers('edge[kind = "target"]').targets());
    // The route tables that decided a hop (the IGW edge table of a diverging return among them) are
    // on it too: dimmed, the table a finding names would be the faintest thing on the screen.
    const tables = new Set(script.steps.map((s) => s.hop.decision?.routeTable).filter((t): t is string => !!t));
    if (tables.size)
      onPath = onPath.union(cy.nodes('[kind = "routeTable"]').filter((n) => tables.has(nodeById.get(n.id())?.element ?? n.id())));
    // Boxes (VPC, AZ, subnet in the reference layout) are the map: they are never dimmed.
    cy.elements().not(onPath).not(onPath.ancestors()).not('node[?box]').addClass('dim');
    stepEles = onPath;
  });
  narration.show(script);
  player = script ? new Player(script, applyStep, (p) => controls.setPlaying(p)) : undefined;
  if (player) player.speed = view.speed;
  applyStep(-1);
}

function applyStep(i: number, focusNarration = false): void {
  const steps = script?.steps ?? [];
  cy.batch(() => {
    // Only the script's own elements carry step classes: touching all 2,000 elements of a large
    // estate would restyle and redraw all of them at every hop.
    (stepEles ?? cy.elements()).removeClass('taken visited current dropped undecided allow deny');
    for (let k = 0; k <= i && k < steps.length; k++) {
      const s = steps[k];
      const n = s.node ? cy.getElementById(s.node) : cy.collection();
      n.addClass(k === i ? 'current' : 'visited');
      if (s.edge) cy.getElementById(s.edge).addClass('taken');
      // Where the inputs cannot decide the next hop is not where a packet is dropped: grey, not red.
      if (s.stop && k === i) n.addClass(s.stop.kind === 'unknown' ? 'undecided' : 'dropped');
      if (s.verdict?.decision === 'allow') n.addClass('allow');
      if (s.verdict?.decision === 'deny') n.addClass('deny');
    }
  });
  narration.setCurrent(i, focusNarration);
  const s = steps[i];
  controls.setStepLabel(steps.length ? `${Math.max(0, i + 1)} / ${steps.length}${s ? ` \u00b7 ${s.leg}` : ''}` : '');
  document.body.dataset.step = String(i);
  document.body.dataset.currentElement = s?.hop.element ?? '';
  document.body.dataset.currentNode = s?.node ?? '';
  placeStatus(i >= 0);
  if (s?.node) keepInView(cy.getElementById(s.node));
}

/**
 * The status line's plate over a drawing the camera moved along the path: where it would hide the text of a box or a
 * chip (a subnet's name at the canvas's bottom left), it goes to the bottom right corner, or, covering text there
 * too, out of the way until the view moves on (F235). At rest (no step shown) it stays where it is.
 */
function placeStatus(stepping: boolean): void {
  const plate = $('status');
  plate.classList.remove('right', 'aside');
  if (!stepping || !plate.textContent) return;
  const g = $('graph').getBoundingClientRect();
  const hides = (): boolean => {
    const r = plate.getBoundingClientRect();
    const x1 = r.left - g.left;
    const y1 = r.top - g.top;
    const x2 = x1 + r.width;
    const y2 = y1 + r.height;
    const over = (b: { x1: number; y1: number; x2: number; y2: number }): boolean => b.x1 < x2 && b.x2 > x1 && b.y1 < y2 && b.y2 > y1;
    return cy.nodes(':visible').some((n) => {
      // The reference layout draws every label inside its node: a chip is its text, a box only its label (its
      // border and inside under a plate hide nothing).
      if (!over(n.renderedBoundingBox({ includeLabels: false, includeOverlays: false }))) return false;
      return (
        !n.data('box') ||
        over(n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }))
      );
    });
  };
  if (!hides()) return;
  plate.classList.add('right');
  if (hides()) {
    plate.classList.remove('right');
    plate.classList.add('aside');
  }
}

/**
 * The camera follows the packet: a hop outside the viewport (or within a margin of its edge) is centred,
 * except that on the reference diagram the view then slides back onto the drawing where centring would show
 * empty canvas past its edge (a path ending at the internet, on top), the hop staying in view.
 */
function keepInView(n: cytoscape.CollectionReturnValue): void {
  if (n.empty()) return;
  // The node itself (not its label or highlight halo), within a margin smaller than the fit's own
  // (fitStory's 10 px): a path fitted whole never moves the camera.
  const bb = n.renderedBoundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false });
  const w = cy.width();
  const h = cy.height();
  const m = 6;
  if (bb.x1 < m || bb.y1 < m || bb.x2 > w - m || bb.y2 > h - m) {
    cy.stop(true, true);
    const follow = !userMovedSinceFit();
    // Until the move ends (cytoscape reports a queued animation as running only from its first frame).
    document.body.dataset.camera = 'moving';
    following = follow;
    cy.animate(
      { pan: followPan(n) },
      {
        duration: 250,
        complete: () => {
          following = false;
          if (follow) fitted = { zoom: cy.zoom(), x: cy.pan().x, y: cy.pan().y };
          placeStatus(true);
          document.body.dataset.camera = 'still';
        },
      },
    );
  }
}

/** The pan that centres `n`, slid onto the reference drawing (its extent, the fit's 24 px above it) on each axis. */
function followPan(n: cytoscape.CollectionReturnValue): cytoscape.Position {
  const z = cy.zoom();
  const b = n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false });
  const m = 16 / z;
  const axis = (r1: number, r2: number, view: number, lo: number, hi: number): number => {
    let at = (r1 + r2 - view) / 2;
    if (lastExtent && engineInUse === 'reference' && hi - lo + 2 * m > view) at = Math.min(Math.max(at, lo - m), hi + m - view);
    // The hop itself stays in view whatever the slide.
    return Math.min(Math.max(at, r2 + m - view), r1 - m);
  };
  const x = axis(b.x1, b.x2, cy.width() / z, 0, lastExtent?.width ?? 0);
  const y = axis(b.y1, b.y2, cy.height() / z, -24, lastExtent?.height ?? 0);
  return { x: -x * z, y: -y * z };
}

function selectSubject(id: string, play: boolean): void {
  // A view still at its fit is re-fitted: a diagram too big to show whole is fitted to the traced path.
  const refit = loadedSubject !== id && !userMovedSinceFit();
  view.subject = id;
  persist();
  if (refit) {
    cy.stop(true);
    fitView();
  }
  reloadScript();
  if (play) player?.play();
}

function applyFilters(): void {
  if (!result) return;
  const keepVpc = (vpc: string | undefined): boolean => {
    if (!vpc) return true;
    if (filters.vpc && vpc !== filters.vpc) return false;
    if (filters.state && result!.states.find((s) => s.vpc === vpc)?.state !== filters.state) return false;
    if (filters.finding) {
      const hit = result!.findings.some((f) => {
        if (f.code !== filters.finding) return false;
        const rep = graph ? nodeForElement(result!, graph, f.elementId) : undefined;
        return (rep && (rep === vpc || nodeById.get(rep)?.vpc === vpc)) || f.elementId === vpc;
      });
      if (!hit) return false;
    }
    return true;
  };
  if (!filters.vpc && !filters.state && !filters.finding) {
    cy.nodes('.filtered').removeClass('filtered');
    return;
  }
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const g = nodeById.get(n.id());
      const vpc = g?.kind === 'vpc' || g?.kind === 'vpcCollapsed' ? g.id : g?.vpc;
      if (keepVpc(vpc)) n.removeClass('filtered');
      else n.addClass('filtered');
    });
  });
}

function search(text: string, next: boolean): void {
  const q = text.trim().toLowerCase();
  cy.nodes().removeClass('match');
  if (!q) {
    searchHits = [];
    return;
  }
  if (!next || !searchHits.length) {
    searchHits = cy
      .nodes()
      .filter((n) => {
        const g = nodeById.get(n.id());
        return !!g && (g.label.toLowerCase().includes(q) || g.id.toLowerCase().includes(q));
      })
      .map((n) => n.id());
    searchPos = -1;
  }
  for (const id of searchHits) cy.getElementById(id).addClass('match');
  status(`${searchHits.length} match${searchHits.length === 1 ? '' : 'es'} for \u201c${text.trim()}\u201d`);
  if (next && searchHits.length) {
    searchPos = (searchPos + 1) % searchHits.length;
    focusNode(searchHits[searchPos]);
  }
}

function focusNode(id: string): void {
  const n = cy.getElementById(id);
  if (n.empty()) return;
  cy.$(':selected').unselect();
  n.select();
  cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 0.9) }, { duration: 300 });
  document.body.dataset.focused = id;
}

function reveal(id: string): void {
  const g = nodeById.get(id);
  if (g?.loc) post({ type: 'reveal', location: g.loc, element: g.element ?? g.id });
}

async function exportView(format: 'png' | 'svg'): Promise<void> {
  if (format === 'png') {
    const data = cy.png({ output: 'base64uri', full: true, scale: 2, bg: theme.bg, maxWidth: 8000, maxHeight: 8000 });
    post({ type: 'export', format, data });
  } else {
    post({ type: 'export', format, data: toSvg(cy, theme.bg, theme.font) });
  }
}

// Pointer interaction.
cy.on('tap', 'node', (e) => {
  const id = (e.target as NodeSingular).id();
  reveal(id);
});
cy.on('dbltap', 'node', (e) => {
  const id = (e.target as NodeSingular).id();
  const g = nodeById.get(id);
  if (!g || !result) return;
  if (g.kind === 'vpcCollapsed') {
    view.expanded = [...new Set([...view.expanded, id])];
    persist();
    void render();
  } else if (result.egress.some((x) => x.subnet === id)) {
    view.subject = id;
    updateControls();
    selectSubject(id, true);
  } else if (g.kind === 'vpc' && graph?.collapsed && view.expanded.includes(id)) {
    view.expanded = view.expanded.filter((x) => x !== id);
    persist();
    void render();
  }
});
const tip = $('tooltip');
cy.on('mouseover', 'node', (e) => {
  const n = e.target as NodeSingular;
  const g = nodeById.get(n.id());
  if (!g) return;
  const p = e.renderedPosition ?? n.renderedPosition();
  showTooltip(tip, g, p.x, p.y);
});
cy.on('mouseout', 'node', () => {
  tip.hidden = true;
});
// A route table's routes are drawn only while it is hovered or selected: drawn all the time they
// cross the whole picture and bury the egress path.
cy.on('mouseover select', 'node[kind = "routeTable"]', (e) => {
  (e.target as NodeSingular).connectedEdges('[kind = "route"]').addClass('show');
});
cy.on('mouseout unselect', 'node[kind = "routeTable"]', (e) => {
  const n = e.target as NodeSingular;
  if (!n.selected()) n.connectedEdges('[kind = "route"]').removeClass('show');
});
cy.on('pan zoom', () => {
  tip.hidden = true;
});

// Keyboard on the graph: arrows step, Space plays, Enter reveals the selected node (or the current hop).
$('graph').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight') {
    player?.pause();
    player?.forward();
  } else if (e.key === 'ArrowLeft') {
    player?.pause();
    player?.back();
  } else if (e.key === ' ') player?.toggle();
  else if (e.key === 'Home') player?.restart();
  else if (e.key === 'Enter') {
    const sel = cy.$('node:selected');
    const id = sel.nonempty() ? sel.id() : document.body.dataset.currentNode;
    if (sel.empty() && script && player && player.index >= 0) {
      const h = script.steps[player.index].hop;
      if (h.loc) post({ type: 'reveal', location: h.loc, element: h.element });
    } else if (id) reveal(id);
  } else if (e.key === 'f') fitView();
  else if (e.key === 'Tab' && !e.shiftKey && script?.steps.length) {
    e.preventDefault();
    applyStep(Math.max(0, player?.index ?? 0), true);
  } else return;
  e.preventDefault();
});

// Re-fit when the panel changes size (resized, revealed, maximised, the Output panel opening) unless
// the user has zoomed or panned since the last fit.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const keep = !userMovedSinceFit();
    cy.resize();
    if (keep && cy.width() > 0 && cy.height() > 0) {
      fitView();
      document.body.dataset.refits = String(Number(document.body.dataset.refits ?? 0) + 1);
      post({ type: 'refitted' });
    }
  }, 60);
}).observe($('graph'));

new MutationObserver(() => {
  theme = readTheme();
  cy.style(stylesheet(theme) as cytoscape.StylesheetJson);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'result':
      result = msg.result;
      if (!Array.isArray(result.simulations)) result.simulations = [];
      if (!Array.isArray(result.states)) result.states = [];
      void render();
      break;
    case 'trace':
      if (result) {
        const e = findEgress(result.egress, msg.subnet, msg.family);
        if (e) {
          view.subject = egressKey(e);
          updateControls();
          selectSubject(view.subject, true);
        } else status(`No ${msg.family === 6 ? 'IPv6 ' : ''}egress trace for ${msg.subnet}`);
      }
      break;
    case 'simulation':
      simulation = msg.simulation;
      view.subject = 'sim:current';
      updateControls();
      selectSubject('sim:current', true);
      break;
    case 'focus': {
      const id = result && graph ? nodeForElement(result, graph, msg.element) : undefined;
      if (id) focusNode(id);
      break;
    }
    case 'config':
      setSpeed(msg.animationSpeed);
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = parseHostMessage(e.data);
  if (msg) handle(msg);
});
window.addEventListener('error', (e) => post({ type: 'log', level: 'error', message: `webview: ${e.message}` }));

// The CLI report embeds its messages in the page (no host to post them).
const initial = document.getElementById('egress-lens-initial');
if (initial?.textContent) {
  try {
    const data: unknown = JSON.parse(initial.textContent);
    for (const m of Array.isArray(data) ? data : [data]) {
      const msg = parseHostMessage(m);
      if (msg) handle(msg);
    }
  } catch (err) {
    status(`Embedded result is not valid JSON: ${String(err)}`);
  }
}

// Test and bench hook: read-only access to the live graph (no effect on the host).
(globalThis as unknown as { egressLensDebug: unknown }).egressLensDebug = {
  cy,
  get graph() {
    return graph;
  },
  get script() {
    return script;
  },
  get player() {
    return player;
  },
  usesToolkit: controls.usesToolkit,
  /** Which cytoscape internals were replaced (cytoscapePatch.ts), and the originals, for the tests. */
  cytoscapePatched,
  cytoscapeOriginals,
  /** Bench: lay out big estates in full instead of collapsing them. */
  setCollapseThreshold(n: number) {
    collapseThreshold = n;
  },
  /** Tests and bench: pick the layout engine ('reference', the default, 'layered' or 'elk'). */
  setLayoutEngine(e: LayoutEngine) {
    engineSetting = e;
    controls.setLayout(e);
  },
};

if (!result) status('Waiting for the analysis\u2026');
post({ type: 'ready' });
