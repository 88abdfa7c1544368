// Colours come from the VS Code theme (CSS variables on <html>), read at render time and again when
// the body's theme class changes; cytoscape draws on canvas and cannot read CSS variables itself.
import type { ProtectionState } from '../src/analysis/types';
import { glyphUri } from './glyphs';

export interface Theme {
  kind: 'light' | 'dark' | 'hc';
  bg: string;
  fg: string;
  muted: string;
  border: string;
  accent: string;
  /** Egress path edges: a chart blue, never the focus colour (orange in high contrast, like `highlight`). */
  path: string;
  error: string;
  warning: string;
  info: string;
  ok: string;
  font: string;
  edge: string;
  highlight: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): Theme {
  const cls = document.body.classList;
  const kind: Theme['kind'] =
    cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light')
      ? 'hc'
      : cls.contains('vscode-light')
        ? 'light'
        : 'dark';
  const dark = kind !== 'light' && !cls.contains('vscode-high-contrast-light');
  return {
    kind,
    bg: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    fg: cssVar('--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f'),
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#616161'),
    border: cssVar('--vscode-panel-border', dark ? '#3c3c3c' : '#d0d0d0'),
    accent: cssVar('--vscode-focusBorder', '#007fd4'),
    path: cssVar('--vscode-charts-blue', '#3794ff'),
    error: cssVar('--vscode-errorForeground', '#f14c4c'),
    warning: cssVar('--vscode-editorWarning-foreground', '#cca700'),
    info: cssVar('--vscode-editorInfo-foreground', '#3794ff'),
    ok: cssVar('--vscode-testing-iconPassed', '#388a34'),
    font: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    edge: dark ? '#8a8a8a' : '#8c8c8c',
    highlight: cssVar('--vscode-charts-orange', '#d18616'),
  };
}

/** Fixed state hues (readable on both backgrounds); drawn as a light tint of the VPC box. */
export const STATE_COLOUR: Record<ProtectionState, string> = {
  Protected: '#2e9e44',
  'Partially Protected': '#d9a400',
  Monitored: '#2f7fd1',
  Unprotected: '#d93b3b',
  Unknown: '#8a8a8a',
  'No Egress': '#7a6fb0',
  Inspection: '#a0522d',
  'Egress hub': '#5f8a8b',
};

/** Node shape and colour per kind. */
const KIND_LOOK: Record<string, { shape: string; colour: string }> = {
  subnet: { shape: 'round-rectangle', colour: '#4e8fd6' },
  natgw: { shape: 'round-diamond', colour: '#8c5bd6' },
  gwlbe: { shape: 'round-hexagon', colour: '#d67d2e' },
  gwlb: { shape: 'round-octagon', colour: '#c0392b' },
  loadBalancer: { shape: 'round-octagon', colour: '#c0392b' },
  targetGroup: { shape: 'round-tag', colour: '#a84432' },
  firewall: { shape: 'round-pentagon', colour: '#d6452e' },
  gwlbFirewall: { shape: 'round-pentagon', colour: '#d6452e' },
  instance: { shape: 'round-rectangle', colour: '#6b8e9e' },
  igw: { shape: 'round-triangle', colour: '#2e9e6b' },
  eigw: { shape: 'round-triangle', colour: '#2e9e6b' },
  vgw: { shape: 'round-triangle', colour: '#5d7f9e' },
  tgw: { shape: 'ellipse', colour: '#7a4fbf' },
  aviatrixGateway: { shape: 'round-diamond', colour: '#e0662b' },
  routeTable: { shape: 'round-rectangle', colour: '#8a8f99' },
  internet: { shape: 'ellipse', colour: '#3d8bd9' },
  unmodelled: { shape: 'round-rectangle', colour: '#8a8f99' },
};

export function stylesheet(t: Theme): unknown[] {
  // Labels too small on screen to read (a 1,000-node estate fitted to the panel) are not drawn:
  // they cost most of the first frame; zooming in brings them back.
  const nodeText = {
    color: t.fg,
    'font-family': t.font,
    'font-size': 11,
    'min-zoomed-font-size': 5,
    'text-wrap': 'wrap',
    'text-max-width': 210,
    'text-valign': 'center',
    'text-halign': 'center',
  };
  const hc = t.kind === 'hc';
  const s: unknown[] = [
    {
      selector: 'node',
      style: {
        ...nodeText,
        label: 'data(label)',
        width: 'data(width)',
        height: 'data(height)',
        shape: 'round-rectangle',
        'background-color': t.bg,
        'background-opacity': 1,
        'border-width': hc ? 2 : 1.5,
        'border-color': t.border,
      },
    },
    {
      selector: ':parent',
      style: {
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-weight': 'bold',
        padding: 14,
        'background-opacity': 0.04,
        'background-color': t.fg,
        'border-style': 'solid',
      },
    },
    {
      selector: 'node[kind = "group"]',
      style: { 'border-style': 'dashed', 'background-opacity': 0, color: t.muted, 'font-weight': 'normal' },
    },
    {
      selector: 'node[kind = "az"]',
      style: { 'border-style': 'dotted', 'background-opacity': 0.03, color: t.muted, 'font-weight': 'normal', padding: 10 },
    },
    { selector: 'node[kind = "vpc"]', style: { 'border-width': 2, padding: 18 } },
    {
      selector: 'node[kind = "vpcCollapsed"]',
      style: { shape: 'round-rectangle', 'border-width': 2, 'border-style': 'double', 'border-color': t.accent },
    },
    { selector: 'node[kind = "subnet"]:parent', style: { 'border-color': KIND_LOOK.subnet.colour, 'font-weight': 'normal' } },
  ];
  for (const [kind, look] of Object.entries(KIND_LOOK)) {
    s.push({
      selector: `node[kind = "${kind}"]:childless`,
      style: { shape: look.shape, 'border-color': look.colour, 'border-width': hc ? 3 : 2 },
    });
  }
  // A GWLB target that passes every packet back (F201) is no enforcement point: none of a firewall's red.
  s.push({ selector: 'node[?passthrough]:childless', style: { 'border-color': hc ? t.fg : t.muted } });
  s.push(
    {
      selector: 'node[kind = "internet"]',
      style: { 'background-color': KIND_LOOK.internet.colour, 'background-opacity': 0.15, 'font-weight': 'bold' },
    },
    { selector: 'node[kind = "routeTable"]', style: { 'border-style': 'dashed', color: t.muted, 'font-size': 10 } },
    { selector: 'node[?synthetic]', style: { 'border-style': 'dashed' } },
    { selector: 'node[kind = "unmodelled"]', style: { 'border-style': 'dashed', 'border-width': hc ? 3 : 2 } },
  );
  for (const [state, colour] of Object.entries(STATE_COLOUR)) {
    s.push({
      selector: `node[state = "${state}"]`,
      style: { 'background-color': colour, 'background-opacity': hc ? 0.05 : 0.1, 'border-color': colour },
    });
  }
  s.push(
    { selector: 'node[severity = "info"]', style: { 'border-color': t.info, 'border-width': 3 } },
    { selector: 'node[severity = "warning"]', style: { 'border-color': t.warning, 'border-width': 3 } },
    { selector: 'node[severity = "error"]', style: { 'border-color': t.error, 'border-width': 3.5 } },
    {
      selector: 'edge',
      style: {
        width: 1.2,
        'line-color': t.edge,
        'target-arrow-color': t.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        'font-family': t.font,
        'font-size': 9,
        'min-zoomed-font-size': 5,
        color: t.muted,
        'text-background-color': t.bg,
        'text-background-opacity': 0.85,
        'text-background-padding': 1,
        'text-rotation': 'autorotate',
      },
    },
    { selector: 'edge[label]', style: { label: 'data(label)' } },
    { selector: 'edge[kind = "route"]', style: { display: 'none', 'line-style': 'dashed', 'line-dash-pattern': [4, 3], opacity: 0.9 } },
    { selector: 'edge[kind = "route"].show', style: { display: 'element', 'z-index': 40 } },
    {
      selector: 'edge[kind = "assoc"], edge[kind = "edgeAssoc"]',
      style: { 'line-style': 'dotted', 'target-arrow-shape': 'none', opacity: 0.6 },
    },
    {
      selector: 'edge[kind = "privatelink"]',
      style: { 'line-style': 'dashed', 'line-color': KIND_LOOK.gwlbe.colour, 'target-arrow-color': KIND_LOOK.gwlbe.colour, opacity: 0.7 },
    },
    {
      selector: 'edge[kind = "target"], edge[kind = "attach"], edge[kind = "peer"]',
      style: { 'target-arrow-shape': 'none', opacity: 0.7 },
    },
    { selector: 'edge[kind = "path"]', style: { width: 2, 'line-color': t.path, 'target-arrow-color': t.path, opacity: 0.55 } },
    ...referenceRules(t),
    // Animation and selection states. `.dim` pushes everything off the current path into the background.
    { selector: '.dim', style: { opacity: 0.35 } },
    { selector: 'edge.onpath', style: { opacity: 0.9, width: 2.5 } },
    {
      selector: 'edge.taken',
      style: { 'line-color': t.highlight, 'target-arrow-color': t.highlight, width: 4, opacity: 1, 'z-index': 20 },
    },
    {
      selector: 'edge.asym',
      style: { 'line-color': t.error, 'target-arrow-color': t.error, 'line-style': 'solid', width: 3.5, opacity: 1 },
    },
    { selector: 'edge.asym.taken', style: { width: 5 } },
    // An egress that reaches the internet uninspected is as wrong as an asymmetric return: red.
    {
      selector: 'edge.uninspected',
      style: { 'line-color': t.error, 'target-arrow-color': t.error, 'line-style': 'solid', width: 3.5, opacity: 1 },
    },
    { selector: 'edge.uninspected.taken', style: { width: 5 } },
    { selector: 'node.visited', style: { 'border-color': t.highlight, 'border-width': 3 } },
    {
      selector: 'node.current',
      style: {
        'border-color': t.highlight,
        'border-width': 5,
        'overlay-color': t.highlight,
        'overlay-opacity': 0.18,
        'overlay-padding': 6,
        'z-index': 30,
      },
    },
    { selector: 'node.diverge', style: { 'border-color': t.error, 'border-width': 5, 'border-style': 'double', 'outline-width': 0 } },
    { selector: 'node.dropped', style: { 'background-color': t.error, 'background-opacity': 0.35, 'border-color': t.error } },
    {
      selector: 'node.undecided',
      style: {
        'background-color': STATE_COLOUR.Unknown,
        'background-opacity': 0.3,
        'border-color': STATE_COLOUR.Unknown,
        'border-style': 'dashed',
      },
    },
    { selector: 'node.allow', style: { 'border-color': t.ok, 'border-width': 5 } },
    {
      selector: 'node.deny',
      style: { 'border-color': t.error, 'border-width': 5, 'background-color': t.error, 'background-opacity': 0.25 },
    },
    { selector: 'node.match', style: { 'overlay-color': t.accent, 'overlay-opacity': 0.25, 'overlay-padding': 5 } },
    { selector: ':selected', style: { 'overlay-color': t.accent, 'overlay-opacity': 0.2, 'overlay-padding': 4 } },
    { selector: '.filtered', style: { display: 'none' } },
  );
  return s;
}

/** Tier tints of subnet boxes in the reference diagram: public green, the rest blue (as AWS draws them). */
const TIER_COLOUR: Record<string, string> = {
  public: '#3f9c35',
  firewall: '#d6452e',
  app: '#2f7fd1',
  data: '#7a6fb0',
  attach: '#7a4fbf',
};

/**
 * The reference layout (reference.ts) draws every box flat: sizes, label offsets, paint order and
 * font sizes come from the layout as data; boxes carry their label at the top left, resources are
 * chips with a glyph, route tables small badges; edges are orthogonal (taxi).
 */
function referenceRules(t: Theme): unknown[] {
  const hc = t.kind === 'hc';
  const out: unknown[] = [
    {
      selector: 'node[?ref]',
      style: {
        width: 'data(width)',
        height: 'data(height)',
        'font-size': 'data(fs)',
        'text-margin-x': 'data(lx)',
        'text-margin-y': 'data(ly)',
        'z-index': 'data(z)',
        'z-index-compare': 'manual',
        'text-max-width': 2000,
        'line-height': 1.25,
        'min-zoomed-font-size': 4,
        'text-valign': 'center',
        'text-halign': 'center',
        padding: 0,
      },
    },
    {
      selector: 'node[?box]',
      style: {
        shape: 'round-rectangle',
        'text-justification': 'left',
        'text-halign': 'right',
        'text-valign': 'bottom',
        'background-color': t.fg,
        'background-opacity': 0.025,
        'border-width': hc ? 2 : 1.5,
        'border-color': t.border,
        'border-style': 'solid',
      },
    },
    {
      selector: 'node[?box][kind = "vpc"]',
      style: { 'font-weight': 'bold', 'border-width': 2, 'border-color': hc ? t.fg : '#8c4fff', 'background-opacity': 0 },
    },
    { selector: 'node[?box][kind = "group"]', style: { 'border-style': 'dashed', 'background-opacity': 0, color: t.muted } },
    {
      selector: 'node[?box][kind = "az"]',
      style: { 'border-style': 'dashed', 'background-opacity': 0, color: t.muted, 'border-color': t.muted },
    },
    { selector: 'node[?box][kind = "subnet"]', style: { 'background-opacity': hc ? 0 : 0.08, 'border-width': hc ? 2 : 1.5 } },
    {
      selector: 'node[?chip]',
      style: { shape: 'round-rectangle', 'background-color': t.bg, 'background-opacity': 1, 'border-width': hc ? 2 : 1.5 },
    },
    {
      selector: 'node[?badge]',
      style: { 'border-style': 'solid', 'border-width': 1, color: t.fg, 'background-color': t.bg, 'background-opacity': 1 },
    },
    {
      selector: 'edge[?ref]',
      style: {
        'curve-style': 'taxi',
        'taxi-direction': 'auto',
        // Turn right after leaving the source: the text of a subnet sits at its left, the resources
        // (and the edges' ends) at its right, so a short first leg keeps the runs off the labels.
        'taxi-turn': 22,
        'taxi-turn-min-distance': 6,
        'font-size': 11,
        'text-rotation': 'none',
        'z-index': 8,
        'z-index-compare': 'manual',
      },
    },
    { selector: 'edge[?ref][nearInternet = "target"]', style: { 'taxi-turn': -36 } },
    { selector: 'edge[?ref][nearInternet = "source"]', style: { 'taxi-turn': 36 } },
    // The two legs of one path between the same two nodes are drawn apart.
    { selector: 'edge[?ref][off > 0]', style: { 'source-endpoint': '7px 7px', 'target-endpoint': '7px 7px' } },
    { selector: 'edge[?ref][off < 0]', style: { 'source-endpoint': '-7px -7px', 'target-endpoint': '-7px -7px' } },
    // Routed around labels and chips by route.ts: its bends and ends exactly.
    {
      selector: 'edge[?ref][routed = "segments"]',
      style: {
        'curve-style': 'segments',
        'edge-distances': 'endpoints',
        'segment-weights': 'data(sw)',
        'segment-distances': 'data(sd)',
        'source-endpoint': 'data(se)',
        'target-endpoint': 'data(te)',
      },
    },
    { selector: 'edge[?ref][lmx]', style: { 'text-margin-x': 'data(lmx)', 'text-margin-y': 'data(lmy)' } },
    {
      selector: 'edge[?ref][routed = "straight"]',
      style: { 'curve-style': 'straight', 'source-endpoint': 'data(se)', 'target-endpoint': 'data(te)' },
    },
  ];
  for (const [tier, colour] of Object.entries(TIER_COLOUR))
    out.push({
      selector: `node[?box][kind = "subnet"][tier = "${tier}"]`,
      style: { 'border-color': hc ? t.fg : colour, 'background-color': colour },
    });
  // A VPC box tells its protection state; a resource with a finding its severity.
  for (const [state, colour] of Object.entries(STATE_COLOUR))
    out.push({
      selector: `node[?box][state = "${state}"]`,
      style: { 'border-color': colour, 'background-color': colour, 'background-opacity': hc ? 0.04 : 0.06 },
    });
  out.push({ selector: 'node[?ref][?passthrough]', style: { 'border-color': hc ? t.fg : t.muted } });
  out.push(
    { selector: 'node[?ref][severity = "info"]', style: { 'border-color': t.info, 'border-width': 3 } },
    { selector: 'node[?ref][severity = "warning"]', style: { 'border-color': t.warning, 'border-width': 3 } },
    { selector: 'node[?ref][severity = "error"]', style: { 'border-color': t.error, 'border-width': 3.5 } },
  );
  for (const [kind, look] of Object.entries(KIND_LOOK)) {
    const uri = glyphUri(kind, hc ? t.fg : look.colour);
    if (!uri) continue;
    out.push({
      selector: `node[?glyph][kind = "${kind}"]`,
      style: {
        'background-image': uri,
        'background-width': 18,
        'background-height': 18,
        'background-position-x': 7,
        'background-position-y': '50%',
        'background-clip': 'none',
        'background-image-containment': 'over',
        'background-image-opacity': 1,
      },
    });
  }
  // A pass-through GWLB target (F201) keeps its chip's glyph slot, with an arrow straight through, not a wall.
  const through = glyphUri('passthrough', hc ? t.fg : t.muted);
  if (through) out.push({ selector: 'node[?glyph][?passthrough]', style: { 'background-image': through } });
  return out;
}
