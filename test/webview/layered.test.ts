// The layered layout of webview/layered.ts in Node (pure: no DOM, no browser): the spacing solver is
// exact, cycle breaking follows chains, and a compound graph comes out nested and overlap-free.
import * as assert from 'node:assert/strict';
import { greedySequence, layoutLayered, placeInOrder, type LayeredNode } from '../../webview/layered';

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  parent?: string;
}

/** Absolute boxes of every node below the root. */
function boxes(n: LayeredNode, ox = 0, oy = 0, parent?: string, out: Box[] = []): Box[] {
  for (const c of n.children ?? []) {
    const b = { id: c.id, x: ox + (c.x ?? NaN), y: oy + (c.y ?? NaN), w: c.width ?? NaN, h: c.height ?? NaN, parent };
    out.push(b);
    boxes(c, b.x, b.y, c.id, out);
  }
  return out;
}

const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('layered layout (webview/layered.ts)', () => {
  it('places nodes in order as close to their wishes as the gaps allow (least squares)', () => {
    assert.deepEqual(placeInOrder([0, 100, 200], [10, 10]), [0, 100, 200], 'wishes that fit are kept');
    // Two nodes that both want 0 with a gap of 10 settle symmetrically.
    assert.deepEqual(placeInOrder([0, 0], [10]), [-5, 5]);
    const x = placeInOrder([5, 0, 3, 50], [20, 20, 20]);
    for (let i = 0; i + 1 < x.length; i++) assert.ok(x[i + 1] - x[i] >= 20 - 1e-9, `gap ${i} respected: ${x}`);
    // The first three collide: the least-squares block is centred on their mean wish (8/3).
    assert.ok(Math.abs(x[0] + 20 - 8 / 3) < 1e-9 && x[3] === 50, `got ${x}`);
  });

  it('breaks a two-way chain in its own order (a -> b -> c, not a and c above b)', () => {
    // a <-> b <-> c: the forward and return legs through three subnets.
    const succs = [[1], [0, 2], [1]];
    const preds = [[1], [0, 2], [1]];
    const pos = greedySequence(3, succs, preds);
    assert.ok(pos[0] < pos[1] && pos[1] < pos[2], `sequence ${pos}`);
  });

  it('nests children inside their compound with its padding, and nothing overlaps', () => {
    const leaf = (id: string, w = 80, h = 40): LayeredNode => ({ id, width: w, height: h });
    const vpc = (v: number): LayeredNode => ({
      id: `vpc${v}`,
      layoutOptions: { 'elk.direction': 'DOWN', 'elk.padding': '[top=40,left=16,bottom=16,right=16]', 'elk.spacing.nodeNode': '18' },
      children: [
        {
          id: `az${v}a`,
          layoutOptions: { 'elk.direction': 'DOWN', 'elk.padding': '[top=28,left=16,bottom=16,right=16]' },
          children: [leaf(`app${v}a`), leaf(`nat${v}a`, 120)],
          edges: [
            { id: 'e1', sources: [`app${v}a`], targets: [`nat${v}a`] },
            { id: 'e2', sources: [`nat${v}a`], targets: [`app${v}a`] },
          ],
        },
        {
          id: `az${v}b`,
          layoutOptions: { 'elk.direction': 'DOWN' },
          children: [leaf(`app${v}b`), leaf(`nat${v}b`)],
          edges: [{ id: 'e1', sources: [`app${v}b`], targets: [`nat${v}b`] }],
        },
        leaf(`igw${v}`, 60, 60),
        leaf(`rt${v}`),
      ],
      edges: [
        { id: 'a', sources: [`az${v}a`], targets: [`igw${v}`] },
        { id: 'b', sources: [`az${v}b`], targets: [`igw${v}`] },
      ],
    });
    const root: LayeredNode = {
      id: 'root',
      layoutOptions: {
        'elk.direction': 'RIGHT',
        'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
        'elk.spacing.componentComponent': '40',
      },
      children: [
        {
          id: 'group',
          layoutOptions: { 'elk.direction': 'RIGHT' },
          children: [leaf('hub', 100, 60), ...Array.from({ length: 12 }, (_, v) => vpc(v))],
          edges: Array.from({ length: 12 }, (_, v) => ({ id: `h${v}`, sources: ['hub'], targets: [`vpc${v}`] })),
        },
        leaf('internet', 90, 60),
      ],
      edges: [{ id: 'i', sources: ['group'], targets: ['internet'] }],
    };
    layoutLayered(root);
    const all = boxes(root);
    const byId = new Map(all.map((b) => [b.id, b]));
    for (const b of all) {
      assert.ok([b.x, b.y, b.w, b.h].every(Number.isFinite), `${b.id} has a finite box`);
      if (!b.parent) continue;
      const p = byId.get(b.parent)!;
      assert.ok(b.x >= p.x && b.y >= p.y && b.x + b.w <= p.x + p.w + 1e-6 && b.y + b.h <= p.y + p.h + 1e-6, `${b.id} inside ${p.id}`);
    }
    // Siblings never overlap (which with nesting means no two boxes overlap unless one holds the other).
    for (const a of all)
      for (const b of all) if (a !== b && a.parent === b.parent) assert.ok(!overlap(a, b), `${a.id} and ${b.id} overlap`);
    // The padding is kept: the first AZ starts 16 right of and 40 below its VPC's corner, or further.
    const az = byId.get('az0a')!;
    const v0 = byId.get('vpc0')!;
    assert.ok(az.y - v0.y >= 40 && az.x - v0.x >= 16);
    // Inside an AZ (DOWN) the chain runs downwards; the hub feeds the VPCs from the left (RIGHT).
    assert.ok(byId.get('nat0a')!.y > byId.get('app0a')!.y + 40);
    assert.ok(byId.get('hub')!.x + 100 <= Math.min(...Array.from({ length: 12 }, (_, v) => byId.get(`vpc${v}`)!.x)));
    // Twelve VPCs in one layer are wrapped into a block of columns, not one strip 12 boxes tall.
    const xs = new Set(Array.from({ length: 12 }, (_, v) => Math.round(byId.get(`vpc${v}`)!.x)));
    assert.ok(xs.size >= 2, `VPCs spread over ${xs.size} column(s)`);
    assert.ok(byId.get('internet')!.x >= byId.get('group')!.x + byId.get('group')!.w, 'the internet is right of the estate');
  });
});
