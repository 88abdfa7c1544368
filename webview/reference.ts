// The reference-architecture layout: the diagram engineers draw of an AWS or Azure network. Region
// box > VPC box > AZ columns side by side; subnets in rows by tier (tier.ts), aligned across the AZs,
// the internet side on top; the IGW on the VPC's top edge under the internet, its edge route table
// beside it; NAT gateways, endpoints and firewalls inside their subnets; route tables as badges on
// the subnets they serve; VPC-level resources (GWLB, target group, gateways) in a row under the AZs;
// workload VPCs on the left, transit gateways between, the inspection/hub VPCs on the right
// (Aviatrix: the transit on top of its spokes). Every box is drawn flat (no cytoscape compound): the
// layout decides each box's size, so the columns and rows line up exactly. Pure: runs in Node.
import { BADGE_CHARS, shorten, type Graph, type GraphEdge, type GraphNode } from './graph';
import { routeEdges, type Obstacle, type Pt, type RouteRequest } from './route';
import { TIER_ORDER, type Tier } from './tier';

/** Text metrics the layout assumes (style.ts draws with them): px per character, line height. */
export const REF_FONT = 12;
export const REF_BADGE_FONT = 11;
const CH = 6.6;
const CH_BADGE = 6.1;
const LINE = 15;
/** Room for the glyph at the left of a chip (style.ts draws it there). */
export const GLYPH_SLOT = 24;
const GLYPH_KINDS = new Set([
  'igw',
  'eigw',
  'vgw',
  'natgw',
  'gwlbe',
  'gwlb',
  'loadBalancer',
  'firewall',
  'gwlbFirewall',
  'tgw',
  'aviatrixGateway',
  'internet',
]);

export interface Placed {
  /** Centre and size. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** A container drawn as a box with its label at its top left. */
  box: boolean;
  /** Paint order: outer boxes first. */
  z: number;
  /** Label offset from the centre (cytoscape text-margin) and the label's own lines. */
  lx: number;
  ly: number;
  label: string;
  glyph: boolean;
  fontSize: number;
}

export interface ReferenceLayout {
  /** The graph as drawn: route tables turned into badges (extra badge nodes for shared tables). */
  graph: Graph;
  at: Map<string, Placed>;
  /** Orthogonal routes of the drawn edges (route.ts), in layout coordinates, ends included. */
  routes: Map<string, Pt[]>;
  /** Where a routed edge's label goes (its centre): on a leg of its route, clear of every other label. */
  edgeLabels: Map<string, Pt>;
  width: number;
  height: number;
  ms: number;
}

const textWidth = (lines: string[], ch: number): number => Math.max(0, ...lines.map((l) => l.length)) * ch;

/**
 * Route tables as badges: each table sits on every subnet it serves (the first keeps the table's id,
 * the others are `<table>@<subnet>` aliases with the same element and hover card); an edge route
 * table sits beside its IGW. Association edges are then redundant and dropped.
 */
export function withBadges(g: Graph): Graph {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const served = new Map<string, string[]>();
  const edgeOf = new Map<string, string>();
  for (const e of g.edges) {
    if (e.kind === 'assoc' && byId.get(e.source)?.kind === 'subnet') {
      const list = served.get(e.target) ?? [];
      list.push(e.source);
      served.set(e.target, list);
    } else if (e.kind === 'edgeAssoc') edgeOf.set(e.target, e.source);
  }
  const nodes: GraphNode[] = [];
  const repOf = new Map(g.repOf);
  for (const n of g.nodes) {
    if (n.kind !== 'routeTable') {
      nodes.push(n);
      continue;
    }
    const label = badgeLabel(n.label);
    const subnets = (served.get(n.id) ?? []).sort();
    const gw = edgeOf.get(n.id);
    if (gw && byId.has(gw)) nodes.push({ ...n, label, badge: gw, parent: byId.get(gw)!.parent });
    else if (subnets.length)
      subnets.forEach((s, i) => {
        const id = i === 0 ? n.id : `${n.id}@${s}`;
        if (i > 0) repOf.set(id, id);
        nodes.push({ ...n, id, label, badge: s, parent: s });
      });
    else nodes.push({ ...n, label });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges: GraphEdge[] = g.edges.filter((e) => e.kind !== 'assoc' && e.kind !== 'edgeAssoc' && ids.has(e.source) && ids.has(e.target));
  return { ...g, nodes, edges, repOf };
}

/** A badge shows the table's name (shortened: the hover card has it whole) and its findings flag. */
function badgeLabel(label: string): string {
  const flag = /\s+\u2691\d+$/.exec(label)?.[0] ?? '';
  return shorten(label.split('\n')[0].replace(/\s+\u2691\d+$/, ''), BADGE_CHARS) + flag;
}

/** A resource with a glyph needs no second line saying what it is: its name (and findings flag). */
function chipLabel(n: GraphNode, glyph: boolean): string {
  if ((!glyph && n.kind !== 'instance') || n.kind === 'internet') return n.label;
  const lines = n.label.split('\n');
  const flag = /\s+\u2691\d+$/.exec(lines[lines.length - 1])?.[0] ?? '';
  // A GWLB target that passes every packet back says so under its name: no glyph or colour tells it.
  return wrapName(lines[0].replace(/\s+\u2691\d+$/, '')) + (n.passthrough !== undefined ? '\npass-through' : '') + flag;
}

/**
 * A long name made of parts (a Network Firewall endpoint is `firewall/subnet`) on two lines, broken
 * after the `/` nearest its middle: one 30-character line would widen its subnet, its AZ column and
 * its VPC by the difference.
 */
function wrapName(name: string): string {
  if (name.length <= 22) return name;
  let best = -1;
  for (let i = name.indexOf('/'); i > 0 && i < name.length - 1; i = name.indexOf('/', i + 1))
    if (best < 0 || Math.abs(i + 1 - name.length / 2) < Math.abs(best + 1 - name.length / 2)) best = i;
  return best < 0 ? name : `${name.slice(0, best + 1)}\n${name.slice(best + 1)}`;
}

interface Size {
  w: number;
  h: number;
}

export function layoutReference(input: Graph): ReferenceLayout {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const g = withBadges(input);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const kids = new Map<string | undefined, GraphNode[]>();
  for (const n of g.nodes) {
    const p = n.parent && byId.has(n.parent) ? n.parent : undefined;
    const list = kids.get(p) ?? [];
    list.push(n);
    kids.set(p, list);
  }
  const childrenOf = (id: string | undefined): GraphNode[] => kids.get(id) ?? [];
  const at = new Map<string, Placed>();
  /** The VPCs whose subnets are stacked (their resources under their text) to fit the panel. */
  const compact = new Set<string>();
  /** Main tables' badges beside their VPC's name (a row lower, a little wider): for a drawing taller than the panel. */
  let besideNames = false;

  const chipSize = (n: GraphNode): Size => {
    if (n.kind === 'routeTable') return { w: Math.max(44, Math.round(n.label.length * CH_BADGE + 14)), h: 20 };
    const glyph = GLYPH_KINDS.has(n.kind);
    const lines = chipLabel(n, glyph).split('\n');
    const w = Math.round(textWidth(lines, CH) + 18 + (glyph ? GLYPH_SLOT : 0));
    return { w: Math.max(n.kind === 'internet' ? 110 : 64, w), h: lines.length * LINE + 12 };
  };
  const placeChip = (n: GraphNode, cx: number, cy: number, s: Size, z = 10): void => {
    const glyph = GLYPH_KINDS.has(n.kind);
    at.set(n.id, {
      x: cx,
      y: cy,
      w: s.w,
      h: s.h,
      box: false,
      z,
      lx: glyph ? GLYPH_SLOT / 2 : 0,
      ly: 0,
      label: chipLabel(n, glyph),
      glyph,
      fontSize: n.kind === 'routeTable' ? REF_BADGE_FONT : REF_FONT,
    });
  };
  /**
   * A box whose label sits at its top left: style.ts anchors a box's label at the box's bottom right
   * corner (text-halign right, text-valign bottom), so these offsets put its first character exactly
   * 10 px in and 6 px down whatever the font's real widths.
   */
  const placeBox = (
    n: GraphNode,
    x1: number,
    y1: number,
    w: number,
    h: number,
    z: number,
    label = n.label,
    fontSize = REF_FONT,
    labelTop = 6,
  ): void => {
    at.set(n.id, {
      x: x1 + w / 2,
      y: y1 + h / 2,
      w,
      h,
      box: true,
      z,
      lx: -w + 10,
      ly: -h + labelTop,
      label,
      glyph: false,
      fontSize,
    });
  };

  // Subnets: on the left the name and CIDR with the route-table badges under them; on the right the
  // resources inside (NAT gateway, endpoint, firewall), in a zone as wide in every subnet of the AZ
  // column, so the paths between them run straight down the column's right side, clear of the text.
  // A stacked subnet (a VPC compacted to fit the panel, below) has that zone under its text instead:
  // as wide as the wider of the two, a row taller.
  const SUB_TEXT = 2 * LINE + 10;
  interface SubnetParts {
    res: GraphNode[];
    badges: GraphNode[];
    leftW: number;
    chipsW: number;
    /** The height of the text and badges, and of the resources' zone. */
    textH: number;
    chipH: number;
  }
  const subnetParts = (s: GraphNode): SubnetParts => {
    const inside = childrenOf(s.id);
    const res = inside.filter((c) => c.kind !== 'routeTable');
    const badges = inside.filter((c) => c.kind === 'routeTable');
    const textW = textWidth(s.label.split('\n'), CH);
    const badgeW = badges.reduce((a, c) => a + chipSize(c).w + 6, -6);
    const leftW = Math.max(textW, badges.length ? badgeW : 0) + 20;
    const chipsW = res.length ? res.reduce((a, c) => a + chipSize(c).w + 8, -8) + 12 : 0;
    const chipH = res.length ? Math.max(...res.map((c) => chipSize(c).h)) + 16 : 0;
    return { res, badges, leftW, chipsW, textH: SUB_TEXT + (badges.length ? 26 : 0) + 2, chipH };
  };
  const subnetSize = (s: GraphNode, stacked = false): Size => {
    const p = subnetParts(s);
    if (stacked) return { w: Math.max(120, p.leftW, p.chipsW), h: p.textH + (p.chipH ? p.chipH - 8 : 0) };
    return { w: Math.max(120, p.leftW + p.chipsW), h: Math.max(p.textH, p.chipH) };
  };
  /** `zoneW`: the width of the column's resource zone (at the right of the box; at its bottom right when stacked). */
  const placeSubnet = (s: GraphNode, x1: number, y1: number, w: number, h: number, zoneW: number, stacked = false): void => {
    const { res, badges, textH } = subnetParts(s);
    placeBox(s, x1, y1, w, h, 3);
    if (res.length) {
      const sizes = res.map(chipSize);
      const total = sizes.reduce((a, z) => a + z.w + 8, -8);
      let x = x1 + w - zoneW + (zoneW - 4 - total) / 2;
      const cy = stacked ? y1 + textH - 8 + (y1 + h - (y1 + textH - 8)) / 2 : y1 + h / 2;
      res.forEach((c, i) => {
        placeChip(c, x + sizes[i].w / 2, cy, sizes[i]);
        x += sizes[i].w + 8;
      });
    }
    let x = x1 + 10;
    for (const b of badges) {
      const z = chipSize(b);
      placeChip(b, x + z.w / 2, y1 + SUB_TEXT + 10, z, 11);
      x += z.w + 6;
    }
  };

  const EDGE_KINDS = new Set(['igw', 'eigw', 'vgw']);
  const vpcLabel = (v: GraphNode): string => v.label;

  /** Lays out a VPC at (0,0) into `local`, returns its size; shifted into place later. */
  interface Unit {
    id: string;
    w: number;
    h: number;
    /** Places the unit with its top left at (x, y). */
    place(x: number, y: number): void;
  }

  const vpcUnit = (v: GraphNode, stacked = compact.has(v.id)): Unit => {
    if (v.kind !== 'vpc') {
      const s = chipSize(v);
      return { id: v.id, w: s.w, h: s.h, place: (x, y) => placeChip(v, x + s.w / 2, y + s.h / 2, s) };
    }
    const inside = childrenOf(v.id);
    const azs = inside.filter((c) => c.kind === 'az').sort((a, b) => a.label.localeCompare(b.label));
    const looseSubnets = inside.filter((c) => c.kind === 'subnet');
    const onEdge = inside.filter((c) => EDGE_KINDS.has(c.kind));
    const edgeBadges = inside.filter(
      (c) => c.kind === 'routeTable' && c.badge && byId.get(c.badge) && EDGE_KINDS.has(byId.get(c.badge)!.kind),
    );
    // Route tables that serve no subnet explicitly (the main table): badges at the header's right.
    const headBadges = inside.filter((c) => c.kind === 'routeTable' && !edgeBadges.includes(c));
    const services = inside.filter(
      (c) => c.kind !== 'az' && c.kind !== 'subnet' && !EDGE_KINDS.has(c.kind) && !edgeBadges.includes(c) && !headBadges.includes(c),
    );
    // Columns: one per AZ, plus one for subnets without an AZ (Azure VNets are regional).
    const cols: { az?: GraphNode; subnets: GraphNode[] }[] = azs.map((az) => ({
      az,
      subnets: childrenOf(az.id).filter((c) => c.kind === 'subnet'),
    }));
    if (looseSubnets.length) cols.push({ subnets: looseSubnets });
    const sizes = new Map<string, Size>();
    const parts = new Map<string, SubnetParts>();
    for (const c of cols)
      for (const s of c.subnets) {
        sizes.set(s.id, subnetSize(s, stacked));
        parts.set(s.id, subnetParts(s));
      }
    const tiers = TIER_ORDER.filter((t) => cols.some((c) => c.subnets.some((s) => (s.tier ?? 'app') === t)));
    const cell = (c: (typeof cols)[number], t: Tier): GraphNode[] =>
      c.subnets.filter((s) => (s.tier ?? 'app') === t).sort((a, b) => a.label.localeCompare(b.label));
    const zoneW = cols.map((c) => Math.max(0, ...c.subnets.map((s) => parts.get(s.id)!.chipsW)));
    const colW = cols.map((c, i) =>
      stacked
        ? Math.max(100, ...c.subnets.map((s) => Math.max(parts.get(s.id)!.leftW, zoneW[i])))
        : Math.max(120, ...c.subnets.map((s) => parts.get(s.id)!.leftW + zoneW[i])),
    );
    const GAP = 10;
    // Several subnets of one tier in an AZ stack in sub-rows, the k-th of every AZ on one line.
    const subRowH = tiers.map((t) => {
      const depth = Math.max(0, ...cols.map((c) => cell(c, t).length));
      return Array.from({ length: depth }, (_, k) => Math.max(0, ...cols.map((c) => sizes.get(cell(c, t)[k]?.id ?? '')?.h ?? 0)));
    });
    const rowH = subRowH.map((hs) => hs.reduce((a, h) => a + h + GAP, -GAP));
    const AZ_PAD = 8;
    const AZ_HDR = 24;
    const AZ_GAP = 12;
    const azW = colW.map((w) => w + 2 * AZ_PAD);
    const azBlockW = cols.length ? azW.reduce((a, w) => a + w + AZ_GAP, -AZ_GAP) : 0;
    const azH = tiers.length ? AZ_HDR + rowH.reduce((a, h) => a + h + 14, -14) + AZ_PAD : 0;
    const svc = services.map((n) => ({ n, s: chipSize(n) }));
    const svcW = svc.reduce((a, x) => a + x.s.w + 12, -12);
    const svcH = svc.length ? Math.max(...svc.map((x) => x.s.h)) : 0;
    // Header: the label at the top left; the IGW (and its edge route table) on the top edge to its right.
    const labelLines = vpcLabel(v).split('\n');
    const headW = headBadges.reduce((a, n) => a + chipSize(n).w + 6, -6);
    const edgeChips = [...onEdge.map((n) => ({ n, s: chipSize(n) })), ...edgeBadges.map((n) => ({ n, s: chipSize(n) }))];
    // With no gateway on its top edge, the main table's badge sits beside the name (clear of the
    // name's real, bolder width), not on a row of its own: a spoke VPC stays a row lower.
    const headBeside = besideNames && headBadges.length > 0 && edgeChips.length === 0;
    const nameW = textWidth(labelLines, CH);
    const headX = Math.round(nameW * 1.15) + 22;
    const labelW = headBeside ? headX + headW + 10 : Math.max(nameW, headW) + 20;
    const edgeW = edgeChips.reduce((a, x) => a + x.s.w + 10, -10);
    const PAD = 14;
    const innerW = Math.max(azBlockW, svcW, 0);
    const beside = labelW + (edgeChips.length ? edgeW + 24 : 0) + PAD;
    // A stacked VPC narrower than its name and gateways side by side puts the name under the
    // gateways (they straddle the top edge) rather than widen the box.
    const under = stacked && edgeChips.length > 0 && beside > Math.max(innerW + 2 * PAD, 180);
    const drop = under ? 16 : 0;
    const w = under ? Math.max(labelW + PAD, edgeW + 24, innerW + 2 * PAD, 180) : Math.max(beside, innerW + 2 * PAD, 180);
    const HDR = labelLines.length * LINE + 22 + (headBadges.length && !headBeside ? 24 : 0) + drop;
    const h = HDR + azH + (svc.length ? (azH ? 16 : 0) + svcH : 0) + PAD;
    return {
      id: v.id,
      w,
      h,
      place(x, y) {
        placeBox(v, x, y, w, h, 1, vpcLabel(v), REF_FONT, 6 + drop);
        // Edge gateways on the top edge just right of the label (not centred: the egress path then
        // stays within the VPC's first columns, and a hub VPC beside its spokes fits the canvas with it).
        if (edgeChips.length) {
          let ex = under ? x + w - edgeW - 12 : x + labelW + 12;
          for (const { n, s } of edgeChips) {
            placeChip(n, ex + s.w / 2, y, s, 12);
            ex += s.w + 10;
          }
        }
        let hx = headBeside ? x + headX : x + 10;
        for (const n of headBadges) {
          const z = chipSize(n);
          const hy = headBeside ? y + 6 + (labelLines.length * LINE) / 2 : y + drop + labelLines.length * LINE + 8 + 12;
          placeChip(n, hx + z.w / 2, hy, z, 11);
          hx += z.w + 6;
        }
        let ax = x + (w - azBlockW) / 2;
        const top = y + HDR;
        cols.forEach((c, i) => {
          if (c.az) placeBox(c.az, ax, top, azW[i], azH, 2, azLabel(c.az, azW[i]), REF_BADGE_FONT);
          let ry = top + AZ_HDR;
          tiers.forEach((t, k) => {
            let sy = ry;
            cell(c, t).forEach((s, k) => {
              placeSubnet(s, ax + AZ_PAD, sy, colW[i], subRowH[tiers.indexOf(t)][k], zoneW[i], stacked);
              sy += subRowH[tiers.indexOf(t)][k] + GAP;
            });
            ry += rowH[k] + 14;
          });
          ax += azW[i] + AZ_GAP;
        });
        // From the left (under the first AZ, where the paths come down), not centred: a path through
        // the GWLB then ends nearer its VPC's left edge and fits the canvas beside the narration.
        let sx = x + PAD;
        const sy = top + azH + (azH ? 16 : 0);
        for (const { n, s } of svc) {
          placeChip(n, sx + s.w / 2, sy + svcH / 2, s);
          sx += s.w + 12;
        }
      },
    };
  };

  const subnetsIn = (v: GraphNode): GraphNode[] =>
    childrenOf(v.id)
      .flatMap((c) => (c.kind === 'az' ? childrenOf(c.id) : [c]))
      .filter((c) => c.kind === 'subnet');
  // The inspection VPC (or hub VNet, or Aviatrix transit) goes to the right of (or above) its spokes.
  const isHub = (v: GraphNode): boolean =>
    v.virtualHub === true ||
    v.state === 'Inspection' ||
    v.state === 'Egress hub' ||
    (v.state === 'No Egress' && subnetsIn(v).length > 0 && subnetsIn(v).every((s) => s.tier === 'firewall')) ||
    childrenOf(v.id).some((c) => c.kind === 'aviatrixGateway' && c.details.some(([k, val]) => k === 'role' && val === 'transit'));
  const aviatrixTransit = (v: GraphNode): boolean =>
    childrenOf(v.id).some((c) => c.kind === 'aviatrixGateway' && c.details.some(([k, val]) => k === 'role' && val === 'transit'));

  /** Units in rows of at most `perRow`, top-aligned, centred on the widest row. */
  const grid = (units: Unit[], perRow: number, gap: number): Unit => {
    const rows: Unit[][] = [];
    for (let i = 0; i < units.length; i += perRow) rows.push(units.slice(i, i + perRow));
    const rw = rows.map((r) => r.reduce((a, u) => a + u.w + gap, -gap));
    const rh = rows.map((r) => Math.max(...r.map((u) => u.h)));
    const w = Math.max(0, ...rw);
    const h = rh.reduce((a, x) => a + x + gap, -gap);
    return {
      id: '',
      w,
      h: Math.max(0, h),
      place(x, y) {
        let yy = y;
        rows.forEach((r, i) => {
          let xx = x + (w - rw[i]) / 2;
          for (const u of r) {
            u.place(xx, yy);
            xx += u.w + gap;
          }
          yy += rh[i] + gap;
        });
      },
    };
  };
  const column = (units: Unit[], gap: number): Unit => grid(units, 1, gap);
  /** Units side by side, centred on the row's middle; those in `top` on its top instead. */
  const row = (units: Unit[], gap: number, top: readonly Unit[] = []): Unit => {
    const list = units.filter((u) => u.w > 0);
    const w = list.reduce((a, u) => a + u.w + gap, -gap);
    const h = Math.max(0, ...list.map((u) => u.h));
    return {
      id: '',
      w: Math.max(0, w),
      h,
      place(x, y) {
        let xx = x;
        for (const u of list) {
          u.place(xx, top.includes(u) ? y : y + (h - u.h) / 2);
          xx += u.w + gap;
        }
      },
    };
  };
  const chipUnit = (n: GraphNode): Unit => {
    const s = chipSize(n);
    return { id: n.id, w: s.w, h: s.h, place: (x, y) => placeChip(n, x + s.w / 2, y + s.h / 2, s) };
  };

  /** Workload VPCs | transit gateways | inspection or hub VPCs; an Aviatrix transit above its spokes. */
  const arrange = (members: GraphNode[]): Unit => {
    const vpcs = members.filter((n) => n.kind === 'vpc' || n.kind === 'vpcCollapsed');
    const tgws = members.filter((n) => n.kind === 'tgw');
    // A firewall attached to a TGW natively sits under its TGW, between the spokes and the egress VPC.
    const attached = (t: GraphNode): GraphNode[] => members.filter((n) => n.attachedTo === t.id);
    const rest = members.filter(
      (n) =>
        !vpcs.includes(n) &&
        !tgws.includes(n) &&
        !(n.attachedTo && tgws.some((t) => t.id === n.attachedTo)) &&
        n.kind !== 'internet' &&
        n.kind !== 'group',
    );
    const hubs = vpcs.filter(isHub);
    const spokes = vpcs.filter((v) => !hubs.includes(v)).sort((a, b) => a.label.localeCompare(b.label));
    // Two spokes beside a hub VPC stack: three VPCs in a row do not fit a landscape panel at a readable size.
    const perRow = hubs.length > 0 && spokes.length <= 2 ? 1 : Math.max(1, Math.ceil(Math.sqrt(spokes.length * 1.5)));
    // Stacked spokes sit closer than spokes side by side: the column is what has to fit the panel's height.
    const spokeGrid = grid(
      spokes.map((v) => vpcUnit(v)),
      perRow,
      perRow === 1 ? 28 : 40,
    );
    const hubUnits = hubs.map((v) => vpcUnit(v));
    const tgwCol = column(tgws.flatMap((t) => [t, ...attached(t)]).map(chipUnit), 30);
    // The VPCs' top edges in line (their IGWs under the internet), the TGWs between them.
    const hubCol = column(hubUnits, 40);
    const restRow = row(rest.map(chipUnit), 16);
    const main = hubs.some(aviatrixTransit)
      ? column(
          [row(hubUnits, 40), spokeGrid].filter((u) => u.w > 0),
          70,
        )
      : row([spokeGrid, tgwCol, hubCol], tgws.length === 0 && peered ? PEER_GAP : 28, [spokeGrid, hubCol]);
    return column(
      [main, restRow].filter((u) => u.w > 0),
      40,
    );
  };

  // Spokes peered (or connected to a Virtual WAN hub) with no TGW between: a gap that holds the line and its label.
  const peerLabels = g.edges.filter((e) => e.kind === 'peer').map((e) => (e.label ?? '').length);
  const peered = peerLabels.length > 0;
  const PEER_GAP = Math.round(Math.max('peering'.length, ...peerLabels) * CH_BADGE * 1.15 + 34);
  const roots = childrenOf(undefined);
  const groups = roots.filter((n) => n.kind === 'group').sort((a, b) => a.label.localeCompare(b.label));
  const layOut = (): Unit => {
    const groupUnits: Unit[] = groups.map((grp) => {
      const inner = arrange(childrenOf(grp.id));
      const PAD = 16;
      // The region's name, then its VPCs: an IGW straddling a VPC's top edge stays clear of the name.
      const HDR = 38;
      const w = inner.w + 2 * PAD;
      const h = inner.h + HDR + PAD;
      return {
        id: grp.id,
        w,
        h,
        place(x, y) {
          placeBox(grp, x, y, w, h, 0, grp.label, REF_BADGE_FONT);
          inner.place(x + PAD, y + HDR);
        },
      };
    });
    const loose = arrange(roots.filter((n) => n.kind !== 'group'));
    return row(
      [...groupUnits, loose].filter((u) => u.w > 0),
      60,
    );
  };
  const internet = byId.get('internet');
  const TOP = internet ? chipSize(internet).h + 70 : 30;
  let body = layOut();
  // Wider than the panel at 100 %: VPCs stack their subnets' resources under the text (narrower
  // columns, taller rows), those that save the most width first, while the drawing stays as low as
  // the panel (or as it was). A big estate is read a VPC at a time and keeps its wide subnets.
  if (body.w > FIT.width && g.nodes.length <= ROUTE_NODES) {
    const saving = (v: GraphNode): number => vpcUnit(v, false).w - vpcUnit(v, true).w;
    const vpcs = g.nodes
      .filter((n) => n.kind === 'vpc')
      .map((v) => ({ v, save: saving(v) }))
      .filter((x) => x.save > 0)
      .sort((a, b) => b.save - a.save || a.v.id.localeCompare(b.v.id));
    for (const { v } of vpcs) {
      if (body.w <= FIT.width) break;
      compact.add(v.id);
      const next = layOut();
      if (next.w < body.w && TOP + next.h <= Math.max(FIT.height, TOP + body.h)) body = next;
      else compact.delete(v.id);
    }
  }
  // Still taller than the panel: the main tables' badges go beside their VPCs' names, if the
  // drawing stays as narrow as the panel (or as it was).
  if (TOP + body.h > FIT.height && g.nodes.length <= ROUTE_NODES) {
    besideNames = true;
    const next = layOut();
    if (next.h < body.h && next.w <= Math.max(FIT.width, body.w)) body = next;
    else besideNames = false;
  }
  body.place(0, TOP);
  if (internet) {
    // Above the IGWs it is attached to (their mean x), else above the middle.
    const igws = g.edges.filter((e) => e.target === internet.id && at.has(e.source)).map((e) => at.get(e.source)!.x);
    const s = chipSize(internet);
    const x = igws.length ? igws.reduce((a, b) => a + b, 0) / igws.length : body.w / 2;
    placeChip(internet, x, s.h / 2, s);
  }
  // Anything not placed yet (a node whose container is not drawn) goes in a row at the bottom.
  let fx = 0;
  let maxY = 0;
  for (const p of at.values()) maxY = Math.max(maxY, p.y + p.h / 2);
  for (const n of g.nodes) {
    if (at.has(n.id)) continue;
    const s = n.kind === 'subnet' ? subnetSize(n) : chipSize(n);
    if (n.kind === 'subnet') placeSubnet(n, fx, maxY + 40, s.w, s.h, subnetParts(n).chipsW);
    else placeChip(n, fx + s.w / 2, maxY + 40 + s.h / 2, s);
    fx += s.w + 16;
  }
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of at.values()) {
    x1 = Math.min(x1, p.x - p.w / 2);
    y1 = Math.min(y1, p.y - p.h / 2);
    x2 = Math.max(x2, p.x + p.w / 2);
    y2 = Math.max(y2, p.y + p.h / 2);
  }
  if (!at.size) x1 = y1 = x2 = y2 = 0;
  // Normalise to start at (0,0).
  for (const p of at.values()) {
    p.x -= x1;
    p.y -= y1;
  }
  // A full estate beyond the size at which VPCs collapse keeps cytoscape's taxi edges: routing its
  // thousand edges would slow the first paint by a fifth, and it is read zoomed in, a VPC at a time.
  const routes = at.size <= ROUTE_NODES ? routeEdges(routeRequests(g, at), labelObstacles(at), boxRects(at)) : new Map<string, Pt[]>();
  const edgeLabels = placeEdgeLabels(g, routes, at);
  const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  return { graph: g, at, routes, edgeLabels, width: x2 - x1, height: y2 - y1, ms: t1 - t0 };
}

/**
 * An AZ column's label, cut to the column's width: an AZ the inputs leave to a data source
 * (`<az 1 of data.aws_availability_zones.available>`) keeps its number and the source's end
 * (`<az 1 of …zones.available>`); the hover card has it whole.
 */
export function azLabel(az: GraphNode, width: number): string {
  const full = az.details.find(([k]) => k === 'name')?.[1] ?? az.label;
  const max = Math.max(8, Math.floor((width - 14) / CH_BADGE));
  if (full.length <= max) return full;
  const m = /^<az (\d+) of (.*)$/.exec(full);
  if (m) {
    // Whole dot-separated parts of the source's end, as many as fit; without the "of" if need be.
    const parts = m[2].split('.');
    for (const head of [`<az ${m[1]} of `, `<az ${m[1]} `])
      for (let k = parts.length - 1; k >= 1; k--) {
        const s = `${head}\u2026${parts.slice(parts.length - k).join('.')}`;
        if (s.length <= max) return s;
      }
  }
  return shorten(full, max);
}

/**
 * The room the diagram is fitted to at 100 % (its smallest text 11 px): the canvas beside the open
 * narration in a 1280x800 panel, less the fit's margins.
 */
export const FIT = { width: 940, height: 700 };

/** The largest drawing whose edges are routed around labels (route.ts). */
export const ROUTE_NODES = 400;

/** Edges drawn at rest (route edges only show on demand and keep cytoscape's taxi). */
const ROUTED = new Set(['path', 'target', 'attach', 'peer', 'privatelink']);

function rectOf(p: Placed): { x1: number; y1: number; x2: number; y2: number } {
  return { x1: p.x - p.w / 2, y1: p.y - p.h / 2, x2: p.x + p.w / 2, y2: p.y + p.h / 2 };
}

export function routeRequests(g: Graph, at: ReadonlyMap<string, Placed>): RouteRequest[] {
  const out: RouteRequest[] = [];
  // An edge keeps out of the VPCs and VNets that hold neither of its ends (route.ts picks them out).
  const avoid = g.nodes.flatMap((n) => (n.kind === 'vpc' && at.get(n.id)?.box ? [rectOf(at.get(n.id)!)] : []));
  // And out of the subnets that hold neither, where a route around them exists (F234).
  const keepOut = g.nodes.flatMap((n) => (n.kind === 'subnet' && at.get(n.id)?.box ? [rectOf(at.get(n.id)!)] : []));
  for (const e of g.edges) {
    if (!ROUTED.has(e.kind) || e.source === e.target) continue;
    const s = at.get(e.source);
    const t = at.get(e.target);
    if (!s || !t) continue;
    out.push({
      id: e.id,
      source: { id: e.source, rect: rectOf(s), box: s.box },
      target: { id: e.target, rect: rectOf(t), box: t.box },
      ...(avoid.length ? { avoid } : {}),
      ...(keepOut.length ? { keepOut } : {}),
    });
  }
  return out;
}

/**
 * What no edge may cross: every chip and badge whole, and the label of every box (at its top left,
 * as placeBox puts it), sized generously: the layout's text metrics are estimates and bold text is wider.
 */
export function labelObstacles(at: ReadonlyMap<string, Placed>): Obstacle[] {
  const out: Obstacle[] = [];
  for (const [id, p] of at) {
    const r = rectOf(p);
    if (!p.box) {
      out.push({ owner: id, ...r });
      continue;
    }
    const lines = p.label.split('\n');
    const w = textWidth(lines, CH) * (p.fontSize / REF_FONT) * 1.15 + 4;
    const h = lines.length * Math.ceil(p.fontSize * 1.25) + 2;
    // The label's top: placeBox's offset from the bottom (ly) as an offset from the top.
    const top = r.y1 + p.h + p.ly;
    out.push({ owner: id, x1: r.x1 + 8, y1: top - 2, x2: r.x1 + 10 + w, y2: top + h });
  }
  return out;
}

/** The drawn boxes (VPC, AZ, subnet, group): edges may cross them, but run better beside their borders. */
export function boxRects(at: ReadonlyMap<string, Placed>): Obstacle[] {
  const out: Obstacle[] = [];
  for (const [id, p] of at) if (p.box) out.push({ owner: id, ...rectOf(p) });
  return out;
}

/**
 * The label of a routed edge ("appliance mode", "peering") sits on one of its legs, or just beside
 * it, where its box is clear of every chip and node label and of the labels placed before it: the
 * place that crosses the fewest box borders and other edges, on the longest legs and their middles
 * first. An edge with no such place keeps cytoscape's default (the middle of its route).
 */
function placeEdgeLabels(g: Graph, routes: ReadonlyMap<string, Pt[]>, at: ReadonlyMap<string, Placed>): Map<string, Pt> {
  const out = new Map<string, Pt>();
  const labelled = g.edges.filter((e) => e.label && e.kind !== 'privatelink' && routes.has(e.id));
  if (!labelled.length) return out;
  type R = { x1: number; y1: number; x2: number; y2: number };
  const taken: R[] = labelObstacles(at);
  const boxes: R[] = [...at.values()].filter((p) => p.box).map(rectOf);
  const meets = (a: R, b: R): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const legsOf = (pts: Pt[]): R[] =>
    pts.slice(0, -1).map((p, i) => ({
      x1: Math.min(p.x, pts[i + 1].x),
      y1: Math.min(p.y, pts[i + 1].y),
      x2: Math.max(p.x, pts[i + 1].x),
      y2: Math.max(p.y, pts[i + 1].y),
    }));
  for (const e of labelled) {
    const pts = routes.get(e.id)!;
    const w = e.label!.length * CH_BADGE * 1.15 + 10;
    const h = 18;
    const others: R[] = [];
    for (const [id, p] of routes) if (id !== e.id) others.push(...legsOf(p));
    const legs = pts
      .slice(0, -1)
      .map((p, i) => ({ a: p, b: pts[i + 1], len: Math.abs(pts[i + 1].x - p.x) + Math.abs(pts[i + 1].y - p.y) }))
      .sort((u, v) => v.len - u.len);
    let best: { c: Pt; cost: number } | undefined;
    legs.forEach(({ a, b, len }, rank) => {
      const flat = Math.abs(a.y - b.y) < 0.5;
      // Along the leg, the label's middle from where the label just touches its start to where it
      // just touches its end (past the leg's ends for a short leg), every 8 px, the middle first.
      const half = flat ? w / 2 : h / 2;
      const mid = len / 2;
      const along: number[] = [];
      for (let k = -half + 6; k <= len + half - 6; k += 8) along.push(k);
      along.push(mid);
      const side = flat ? h / 2 + 3 : w / 2 + 3;
      for (const k of along)
        for (const [off, far] of [
          [0, 0],
          [-1, 0],
          [1, 0],
          [-1, 1],
          [1, 1],
        ]) {
          const f = len > 0 ? k / len : 0.5;
          const on = { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
          // Beside a horizontal leg: above or below it; beside a vertical one: left or right of it.
          const d = off * (side + far * 13);
          const c = flat ? { x: on.x, y: on.y + d } : { x: on.x + d, y: on.y };
          const box = { x1: c.x - w / 2, y1: c.y - h / 2, x2: c.x + w / 2, y2: c.y + h / 2 };
          if (taken.some((o) => meets(o, box))) continue;
          // A label across a box's border reads as part of neither side; one over another edge hides it.
          const straddles = boxes.filter(
            (r) => meets(r, box) && !(box.x1 >= r.x1 && box.x2 <= r.x2 && box.y1 >= r.y1 && box.y2 <= r.y2),
          ).length;
          const hides = others.filter((r) => meets(r, box)).length;
          const cost = 4 * straddles + hides + (off ? 1 + far : 0) + Math.abs(k - mid) / 100 + 0.3 * rank;
          if (!best || cost < best.cost) best = { c, cost };
        }
    });
    if (best) {
      out.set(e.id, best.c);
      taken.push({ x1: best.c.x - w / 2, y1: best.c.y - h / 2, x2: best.c.x + w / 2, y2: best.c.y + h / 2 });
    }
  }
  return out;
}
