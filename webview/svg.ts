// A small SVG serializer for the current cytoscape view (cytoscape itself only exports bitmaps):
// compound boxes, node shapes approximated by rect/ellipse/polygon, edges as their drawn polylines or
// bezier curves, labels as <text>. Every label is XML-escaped: names come from user files.
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

function colour(v: unknown, fallback: string): string {
  const s = typeof v === 'string' ? v : '';
  return /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|[a-z]+)$/.test(s) ? s : fallback;
}

function polygon(shape: string, x: number, y: number, w: number, h: number): string | undefined {
  const pts: Record<string, [number, number][]> = {
    diamond: [
      [0, -1],
      [1, 0],
      [0, 1],
      [-1, 0],
    ],
    triangle: [
      [0, -1],
      [1, 1],
      [-1, 1],
    ],
    pentagon: [
      [0, -1],
      [0.95, -0.31],
      [0.59, 0.81],
      [-0.59, 0.81],
      [-0.95, -0.31],
    ],
    hexagon: [
      [-0.5, -1],
      [0.5, -1],
      [1, 0],
      [0.5, 1],
      [-0.5, 1],
      [-1, 0],
    ],
    octagon: [
      [-0.41, -1],
      [0.41, -1],
      [1, -0.41],
      [1, 0.41],
      [0.41, 1],
      [-0.41, 1],
      [-1, 0.41],
      [-1, -0.41],
    ],
    tag: [
      [-1, -1],
      [0.5, -1],
      [1, 0],
      [0.5, 1],
      [-1, 1],
    ],
  };
  const base = shape.replace(/^round-/, '');
  const p = pts[base];
  if (!p) return undefined;
  return p.map(([px, py]) => `${num(x + (px * w) / 2)},${num(y + (py * h) / 2)}`).join(' ');
}

function nodeSvg(n: NodeSingular): string {
  if (n.style('display') === 'none') return '';
  const bb = n.boundingBox({ includeLabels: false, includeOverlays: false });
  const isParent = n.isParent();
  const w = isParent ? bb.w : n.width();
  const h = isParent ? bb.h : n.height();
  const { x, y } = n.position();
  const fill = colour(n.style('background-color'), '#ffffff');
  const fillOpacity = Number(n.style('background-opacity')) || 0;
  const stroke = colour(n.style('border-color'), '#888888');
  const sw = parseFloat(String(n.style('border-width'))) || 1;
  const dash =
    n.style('border-style') === 'dashed'
      ? ' stroke-dasharray="5,3"'
      : n.style('border-style') === 'dotted'
        ? ' stroke-dasharray="1,3"'
        : '';
  const opacity = Number(n.style('opacity'));
  const common = `fill="${fill}" fill-opacity="${num(fillOpacity)}" stroke="${stroke}" stroke-width="${num(sw)}"${dash}${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}`;
  const shape = String(n.style('shape'));
  let body: string;
  if (isParent) body = `<rect x="${num(bb.x1)}" y="${num(bb.y1)}" width="${num(w)}" height="${num(h)}" rx="6" ${common}/>`;
  else if (shape === 'ellipse') body = `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${common}/>`;
  else {
    const poly = polygon(shape, x, y, w, h);
    body = poly
      ? `<polygon points="${poly}" ${common}/>`
      : `<rect x="${num(x - w / 2)}" y="${num(y - h / 2)}" width="${num(w)}" height="${num(h)}" rx="5" ${common}/>`;
  }
  const label = String(n.data('label') ?? '');
  if (!label) return body;
  const lines = label.split('\n');
  const fs = parseFloat(String(n.style('font-size'))) || 11;
  const textColour = colour(n.style('color'), '#000000');
  const weight = n.style('font-weight') === 'bold' ? ' font-weight="bold"' : '';
  const ty = isParent ? bb.y1 - 6 - (lines.length - 1) * (fs + 2) : y - ((lines.length - 1) * (fs + 2)) / 2 + fs / 3;
  const tspans = lines.map((l, i) => `<tspan x="${num(x)}" dy="${i === 0 ? 0 : num(fs + 2)}">${xmlEscape(l)}</tspan>`).join('');
  return `${body}<text x="${num(x)}" y="${num(ty)}" font-size="${num(fs)}" text-anchor="middle" fill="${textColour}"${weight}>${tspans}</text>`;
}

function edgeSvg(e: EdgeSingular): string {
  if (e.style('display') === 'none' || e.source().style('display') === 'none' || e.target().style('display') === 'none') return '';
  const s = e.sourceEndpoint();
  const t = e.targetEndpoint();
  const ctrl = e.controlPoints?.() ?? [];
  const stroke = colour(e.style('line-color'), '#888888');
  const width = parseFloat(String(e.style('width'))) || 1;
  const dash =
    e.style('line-style') === 'dashed' ? ' stroke-dasharray="5,3"' : e.style('line-style') === 'dotted' ? ' stroke-dasharray="1,3"' : '';
  const opacity = Number(e.style('opacity'));
  let d = `M${num(s.x)},${num(s.y)}`;
  if (ctrl.length === 1) d += ` Q${num(ctrl[0].x)},${num(ctrl[0].y)} ${num(t.x)},${num(t.y)}`;
  else if (ctrl.length > 1) d += ctrl.map((p) => ` L${num(p.x)},${num(p.y)}`).join('') + ` L${num(t.x)},${num(t.y)}`;
  else d += ` L${num(t.x)},${num(t.y)}`;
  const arrow = e.style('target-arrow-shape') !== 'none' ? ` marker-end="url(#arrow-${stroke.replace(/[^a-zA-Z0-9]/g, '')})"` : '';
  let out = `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${num(width)}"${dash}${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}${arrow}/>`;
  const label = e.data('label');
  if (typeof label === 'string' && label) {
    const m = e.midpoint();
    out += `<text x="${num(m.x)}" y="${num(m.y)}" font-size="9" text-anchor="middle" fill="${colour(e.style('color'), '#666666')}">${xmlEscape(label)}</text>`;
  }
  return out;
}

/** The whole graph (not just the viewport) as a standalone SVG document. */
export function toSvg(cy: Core, background: string, font: string): string {
  const bb = cy.elements(':visible').boundingBox({});
  const pad = 20;
  const x = bb.x1 - pad;
  const y = bb.y1 - pad;
  const w = Math.max(1, bb.w + 2 * pad);
  const h = Math.max(1, bb.h + 2 * pad);
  const strokes = new Set<string>();
  cy.edges().forEach((e) => {
    strokes.add(colour(e.style('line-color'), '#888888'));
  });
  const markers = [...strokes]
    .map(
      (c) =>
        `<marker id="arrow-${c.replace(/[^a-zA-Z0-9]/g, '')}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`,
    )
    .join('');
  // Parents first, deepest last, so children paint over their boxes; edges above the boxes.
  const all = cy.nodes().toArray();
  const depth = (n: NodeSingular): number => n.ancestors().length;
  const parents = all
    .filter((n) => n.isParent())
    .sort((a, b) => depth(a) - depth(b))
    .map(nodeSvg)
    .join('\n');
  const leaves = all
    .filter((n) => !n.isParent())
    .map(nodeSvg)
    .join('\n');
  const edges = cy.edges().map(edgeSvg).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x)} ${num(y)} ${num(w)} ${num(h)}" width="${num(w)}" height="${num(h)}" font-family="${xmlEscape(font)}">
<defs>${markers}</defs>
<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${colour(background, '#ffffff')}"/>
${parents}
${edges}
${leaves}
</svg>
`;
}
