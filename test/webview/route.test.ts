// The edge router of webview/route.ts in Node (pure): a long edge across a row of crowded VPCs it
// has no business in, too many labels on the way for the fine search, is routed on an outer lane
// around them (it was left to cytoscape's taxi, drawn straight through every one of them).
import * as assert from 'node:assert/strict';
import { routeEdges, type Obstacle, type Pt, type Rect, type RouteRequest } from '../../webview/route';

/** Does the axis-aligned leg a-b cross the inside of r? */
const crosses = (a: Pt, b: Pt, r: Rect): boolean =>
  Math.min(a.x, b.x) < r.x2 && Math.max(a.x, b.x) > r.x1 && Math.min(a.y, b.y) < r.y2 && Math.max(a.y, b.y) > r.y1;

/**
 * A source chip in its VPC at the left, a target chip in its VPC at the right, and between them
 * `n` VPCs, 200 x 900 px each, every one full of chips (a subnet's route table badges).
 */
function estate(n: number): { requests: RouteRequest[]; obstacles: Obstacle[]; boxes: Obstacle[]; between: Rect[] } {
  const obstacles: Obstacle[] = [];
  const boxes: Obstacle[] = [];
  const between: Rect[] = [];
  const vpc = (id: string, x1: number): Rect => {
    const r = { x1, y1: 0, x2: x1 + 200, y2: 900 };
    boxes.push({ owner: id, ...r });
    obstacles.push({ owner: id, x1: x1 + 8, y1: 4, x2: x1 + 120, y2: 20 });
    return r;
  };
  const src = vpc('vpc-src', 0);
  const chip = (id: string, x: number, y: number): Rect => {
    const r = { x1: x - 40, y1: y - 10, x2: x + 40, y2: y + 10 };
    obstacles.push({ owner: id, ...r });
    return r;
  };
  const s = chip('gw-src', 100, 450);
  for (let k = 0; k < n; k++) {
    const x1 = 260 + k * 260;
    between.push(vpc(`vpc-${k}`, x1));
    // Four columns of chips, 24 rows: 96 labels per VPC.
    for (let row = 0; row < 24; row++) for (let col = 0; col < 2; col++) chip(`c-${k}-${row}-${col}`, x1 + 55 + col * 95, 40 + row * 35);
  }
  const tx = 260 + n * 260;
  const dst = vpc('vpc-dst', tx);
  const t = chip('gw-dst', tx + 100, 450);
  const avoid = [src, ...between, dst];
  const requests: RouteRequest[] = [
    {
      id: 'p:gw-src->gw-dst',
      source: { id: 'gw-src', rect: s, box: false },
      target: { id: 'gw-dst', rect: t, box: false },
      avoid,
    },
  ];
  return { requests, obstacles, boxes, between };
}

describe('edge router (webview/route.ts)', () => {
  it('routes a long edge across a row of crowded VPCs on an outer lane around them, not through them', () => {
    const { requests, obstacles, boxes, between } = estate(10);
    const routes = routeEdges(requests, obstacles, boxes);
    const p = routes.get('p:gw-src->gw-dst');
    assert.ok(p, 'the edge is routed (not left to the taxi edge through every VPC)');
    for (let i = 0; i + 1 < p.length; i++) {
      assert.ok(Math.abs(p[i].x - p[i + 1].x) < 0.01 || Math.abs(p[i].y - p[i + 1].y) < 0.01, `leg ${i} is orthogonal`);
      for (const r of between) assert.ok(!crosses(p[i], p[i + 1], r), `leg ${i} keeps out of the VPC at x ${r.x1}`);
    }
    // It leaves its chip and arrives at the other one (clipped at their borders).
    assert.ok(Math.abs(p[0].x - 100) <= 40.5 && Math.abs(p[0].y - 450) <= 10.5, 'starts on the source chip');
    const last = p[p.length - 1];
    assert.ok(Math.abs(last.x - (260 + 10 * 260 + 100)) <= 40.5 && Math.abs(last.y - 450) <= 10.5, 'ends on the target chip');
    // Above or below the row, not along a box's border: a visible gap from every VPC it runs around.
    const lane = p.slice(1, -1).map((q) => q.y);
    assert.ok(
      lane.some((y) => y < -6 || y > 906),
      `the lane runs outside the row (${lane.join(', ')})`,
    );
  });

  it('still routes a short edge between neighbours with the fine search, clear of their labels', () => {
    const { requests, obstacles, boxes } = estate(0);
    const p = routeEdges(requests, obstacles, boxes).get('p:gw-src->gw-dst');
    assert.ok(p);
    // Straight across the gap between the two VPCs: no detour outside them.
    assert.ok(
      p.every((q) => q.y >= 0 && q.y <= 900),
      `no detour: ${JSON.stringify(p)}`,
    );
  });
});
