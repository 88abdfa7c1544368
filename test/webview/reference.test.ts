// The reference-architecture layout (webview/reference.ts) in Node, on the generated estate of three
// 3-AZ workload VPCs, an inspection VPC and a transit gateway: AZ columns side by side, tiers in
// rows, the IGW on the VPC's top edge, the TGW between the VPCs it connects, no overlaps.
import * as assert from 'node:assert/strict';
import { buildGraph } from '../../webview/graph';
import { labelObstacles, layoutReference, REF_BADGE_FONT, type Placed } from '../../webview/reference';
import { TIER_ORDER } from '../../webview/tier';
import { tgwEstateResult } from './fixtures/tgwEstate';

const x1 = (p: Placed): number => p.x - p.w / 2;
const x2 = (p: Placed): number => p.x + p.w / 2;
const y1 = (p: Placed): number => p.y - p.h / 2;
const y2 = (p: Placed): number => p.y + p.h / 2;
const inside = (a: Placed, b: Placed): boolean => x1(a) >= x1(b) && x2(a) <= x2(b) && y1(a) >= y1(b) && y2(a) <= y2(b);
const overlap = (a: Placed, b: Placed): boolean => x1(a) < x2(b) && x1(b) < x2(a) && y1(a) < y2(b) && y1(b) < y2(a);

describe('reference layout (Node)', () => {
  const result = tgwEstateResult();
  const lay = layoutReference(buildGraph(result));
  const g = lay.graph;
  const at = (id: string): Placed => {
    const p = lay.at.get(id);
    assert.ok(p, `${id} is placed`);
    return p;
  };

  it('routes every drawn edge orthogonally, around every label and chip but its own ends', () => {
    const obstacles = labelObstacles(lay.at);
    const drawn = g.edges.filter((e) => e.kind === 'path' || e.kind === 'target' || e.kind === 'attach');
    assert.ok(drawn.length > 20);
    for (const e of drawn) {
      const pts = lay.routes.get(e.id);
      assert.ok(pts && pts.length >= 2, `${e.id} is routed`);
      for (let i = 0; i + 1 < pts.length; i++) {
        const [a, b] = [pts[i], pts[i + 1]];
        assert.ok(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, `${e.id} leg ${i} is horizontal or vertical`);
        for (const o of obstacles) {
          if (!at(o.owner).box && (o.owner === e.source || o.owner === e.target)) continue;
          const hit = Math.min(a.x, b.x) < o.x2 && Math.max(a.x, b.x) > o.x1 && Math.min(a.y, b.y) < o.y2 && Math.max(a.y, b.y) > o.y1;
          assert.ok(!hit, `${e.id} leg ${i} clear of ${o.owner}'s label`);
        }
      }
    }
  });

  it('keeps the forward and return legs between two nodes apart', () => {
    const pairs = g.edges.filter(
      (e) => e.kind === 'path' && g.edges.some((o) => o.kind === 'path' && o.source === e.target && o.target === e.source),
    );
    assert.ok(pairs.length > 0, 'the estate has hops taken both ways');
    for (const e of pairs) {
      const back = g.edges.find((o) => o.kind === 'path' && o.source === e.target && o.target === e.source)!;
      const a = lay.routes.get(e.id)!;
      const b = lay.routes.get(back.id)!;
      const legs = (p: typeof a) => p.slice(0, -1).map((q, i) => [q, p[i + 1]] as const);
      for (const [p, q] of legs(a))
        for (const [r, s] of legs(b)) {
          // Two collinear legs overlapping over more than a pixel would draw as one line.
          const horiz = p.y === q.y && r.y === s.y && Math.abs(p.y - r.y) < 1;
          const vert = p.x === q.x && r.x === s.x && Math.abs(p.x - r.x) < 1;
          const lo = (u: number, v: number) => Math.min(u, v);
          const hi = (u: number, v: number) => Math.max(u, v);
          const shared = horiz
            ? Math.min(hi(p.x, q.x), hi(r.x, s.x)) - Math.max(lo(p.x, q.x), lo(r.x, s.x))
            : vert
              ? Math.min(hi(p.y, q.y), hi(r.y, s.y)) - Math.max(lo(p.y, q.y), lo(r.y, s.y))
              : 0;
          assert.ok(shared <= 1, `${e.id} and ${back.id} do not share a line (${shared.toFixed(1)} px)`);
        }
    }
  });

  it('places every node of the graph', () => {
    for (const n of g.nodes) assert.ok(lay.at.has(n.id), `${n.kind} ${n.id} placed`);
  });

  it('is deterministic', () => {
    const again = layoutReference(buildGraph(result));
    assert.deepEqual([...again.at.entries()], [...lay.at.entries()]);
  });

  it('draws each VPC inside its region box, each AZ inside its VPC, each subnet inside its AZ', () => {
    for (const n of g.nodes) {
      if (!n.parent || !lay.at.has(n.parent)) continue;
      if (n.kind === 'igw') continue; // on the edge, checked below
      assert.ok(inside(at(n.id), at(n.parent)), `${n.id} inside ${n.parent}`);
    }
  });

  it('sets the AZ columns of a VPC side by side: disjoint in x, the same in y', () => {
    for (const v of g.nodes.filter((n) => n.kind === 'vpc')) {
      const azs = g.nodes.filter((n) => n.kind === 'az' && n.parent === v.id).map((n) => at(n.id));
      assert.equal(azs.length, 3, `${v.id} has three AZ columns`);
      azs.sort((a, b) => a.x - b.x);
      for (let i = 1; i < azs.length; i++) {
        assert.ok(x2(azs[i - 1]) <= x1(azs[i]), `${v.id}: AZ columns ${i - 1} and ${i} do not overlap in x`);
        assert.equal(y1(azs[i]), y1(azs[0]));
        assert.equal(y2(azs[i]), y2(azs[0]));
      }
    }
  });

  it('aligns each tier in one row across the AZs, the internet side on top', () => {
    for (const v of g.nodes.filter((n) => n.kind === 'vpc')) {
      const subs = g.nodes.filter((n) => n.kind === 'subnet' && n.vpc === v.id);
      // Two subnets of one tier in an AZ (endpoints and appliances) stack: the k-th of each AZ share a row.
      const rowTop = new Map<string, Set<number>>();
      for (const s of subs) {
        const az = s.parent;
        const rank = subs.filter((o) => o.parent === az && o.tier === s.tier && o.label < s.label).length;
        const key = `${s.tier}#${rank}`;
        rowTop.set(key, (rowTop.get(key) ?? new Set()).add(y1(at(s.id))));
      }
      for (const [row, tops] of rowTop) assert.equal(tops.size, 1, `${v.id}: the ${row} subnets share a row`);
      const order = [...new Set([...rowTop.entries()].sort((a, b) => [...a[1]][0] - [...b[1]][0]).map(([k]) => k.split('#')[0]))];
      assert.deepEqual(
        order,
        TIER_ORDER.filter((t) => subs.some((s) => s.tier === t)),
        `${v.id}: rows in tier order`,
      );
    }
    // The inspection VPC: attachment, firewall (endpoints and appliances) and public rows.
    const insp = g.nodes.filter((n) => n.kind === 'subnet' && n.vpc === 'vpc.inspection');
    assert.deepEqual([...new Set(insp.map((s) => s.tier))].sort(), ['attach', 'firewall', 'public']);
  });

  it('puts the IGW on its VPC top edge under the internet, its route tables as badges on their subnets', () => {
    const igw = at('igw.insp');
    const vpc = at('vpc.inspection');
    assert.ok(y1(igw) < y1(vpc) && y1(vpc) < y2(igw), 'the IGW straddles the top edge');
    assert.ok(x1(igw) >= x1(vpc) && x2(igw) <= x2(vpc));
    assert.ok(y2(at('internet')) < y1(igw), 'the internet is above');
    // rt.w0.private serves six subnets: a badge on each, inside the subnet.
    const badges = g.nodes.filter((n) => n.kind === 'routeTable' && n.element === 'rt.w0.private');
    assert.equal(badges.length, 6);
    for (const b of badges) assert.ok(inside(at(b.id), at(b.badge!)), `${b.id} sits on ${b.badge}`);
    assert.ok(!g.edges.some((e) => e.kind === 'assoc'), 'no association edges left');
  });

  it('puts the NAT gateways, endpoints and firewalls inside their subnets', () => {
    for (const az of ['a', 'b', 'c']) {
      assert.ok(inside(at(`nat.${az}`), at(`sn.insp.pub_${az}`)));
      assert.ok(inside(at(`gwlbe.${az}`), at(`sn.insp.fw_${az}`)));
      assert.ok(inside(at(`fw.${az}`), at(`sn.insp.appl_${az}`)));
    }
  });

  it('puts the TGW between the workload VPCs and the inspection VPC', () => {
    const tgw = at('tgw.main');
    const insp = at('vpc.inspection');
    for (const v of ['vpc.w0', 'vpc.w1', 'vpc.w2']) assert.ok(x2(at(v)) < x1(tgw), `${v} left of the TGW`);
    assert.ok(x2(tgw) < x1(insp), 'the inspection VPC right of the TGW');
  });

  it("cuts an AZ the inputs leave to a data source to its column's width, its number and the source's end kept", () => {
    // Field (ahmutysj3/aws-transit-gateway-ngfw): `<az 1 of data.aws_availability_zones.available>` ran past its column.
    const r = tgwEstateResult(1, ['a', 'b']);
    const long = '<az 1 of data.aws_availability_zones.available>';
    for (const e of r.model.elements) if (e.kind === 'subnet' && e.az === 'eu-central-1a') (e as { az?: string }).az = long;
    const lay2 = layoutReference(buildGraph(r));
    const azs = [...lay2.at.entries()].filter(([id]) => lay2.graph.nodes.find((n) => n.id === id)?.kind === 'az');
    const cut = azs.filter(([, p]) => p.label.startsWith('<az 1 '));
    assert.ok(cut.length >= 2, `an AZ box per VPC with the long name (${azs.map(([, p]) => p.label).join(' | ')})`);
    for (const [id, p] of cut) {
      assert.match(p.label, /^<az 1 (of )?\u2026([\w.]*\.)?available>$/, `${id}: "${p.label}": number and the source end kept`);
      // 6.1 px a character at 11 px (the layout's estimate), 10 px in from the box's left edge.
      assert.ok(10 + p.label.length * 6.1 * (p.fontSize / REF_BADGE_FONT) <= p.w, `${id}: "${p.label}" fits its ${p.w}-px column`);
    }
    const other = azs.find(([, p]) => p.label === 'eu-central-1b');
    assert.ok(other, 'a resolved AZ keeps its name whole');
  });

  it('overlaps no two resources, badges or subnets', () => {
    const leaves = g.nodes.filter((n) => !['group', 'vpc', 'az'].includes(n.kind)).map((n) => ({ id: n.id, n, p: at(n.id) }));
    const hits: string[] = [];
    for (let i = 0; i < leaves.length; i++)
      for (let j = i + 1; j < leaves.length; j++) {
        const a = leaves[i];
        const b = leaves[j];
        // A resource is inside its own subnet by design.
        if (a.n.parent === b.id || b.n.parent === a.id) continue;
        if (overlap(a.p, b.p)) hits.push(`${a.id} / ${b.id}`);
      }
    assert.deepEqual(hits, []);
  });
});
