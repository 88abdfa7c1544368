// Targeted speed-ups of cytoscape (3.34) for compound graphs, same results without the garbage.
// A cytoscape Collection is an array plus a Map of ids; compound bookkeeping builds them by the
// thousand only to walk them once. For a 1,000-node estate (group > VPC > AZ > subnet > resource)
// that was most of the main thread before the first frame:
// - `dirtyStyleCache()` runs for every style property that changes on an element, and for compound
//   graphs builds self + descendants + parents + their connected edges (a Collection per compound on
//   the way down) to clear one memo on each: ~40 collections of ~1,800 elements for the account box.
//   Replaced by a walk over cytoscape's own `_private` links that clears the same memo.
// - `parents()` on one element: one collection per ancestor; now one for all.
// - `zDepth()` (z-order sort, n log n comparisons) computed `parents()` even for leaves, whose depth
//   it then ignores; now a walk up the parent links.
// Each replacement is installed only if the internals look as expected; the originals stay
// reachable (`originals`) so a test can check that both give the same answers.
// The replacements reproduce one release's internals, so they are installed only on that release
// (package.json pins it exactly); any other version runs unpatched, only slower.
import cytoscape, { type Core } from 'cytoscape';

export const PATCHED_CYTOSCAPE_VERSION = '3.34.4';

interface Priv {
  styleCache?: unknown;
  group?: string;
  children?: Ele[];
  parent?: Ele | null;
  edges?: Ele[];
  source?: Ele;
  target?: Ele;
}

interface Ele {
  _private: Priv;
  zDepth(): number;
}

type Coll = ArrayLike<Ele> & {
  cy(): { hasCompoundNodes(): boolean };
  spawn(eles: Ele[], unique?: boolean): Coll;
  filter(selector: unknown): Coll;
};

export const originals: Record<string, (...args: unknown[]) => unknown> = {};
let patched: string[] | undefined;

export function patchCytoscape(cy: Core): string[] {
  if (patched) return patched;
  patched = [];
  if ((cytoscape as unknown as { version?: string }).version !== PATCHED_CYTOSCAPE_VERSION) return patched;
  const proto = Object.getPrototypeOf(cy.collection()) as Record<string, unknown>;
  const probeParent = cy.add({ group: 'nodes', data: { id: '__egress_lens_probe_p', label: '', width: 1, height: 1 } });
  const probe = cy.add({
    group: 'nodes',
    data: { id: '__egress_lens_probe', parent: '__egress_lens_probe_p', label: '', width: 1, height: 1 },
  });
  const p = (probe[0] as unknown as Ele)._private;
  const looksRight =
    !!p && Array.isArray(p.children) && Array.isArray(p.edges) && p.group === 'nodes' && p.parent === (probeParent[0] as unknown as Ele);
  const leafDepth = (probe as unknown as { zDepth(): number }).zDepth();
  cy.remove(probe.union(probeParent));
  if (!looksRight) return patched;

  const install = (name: string, fn: (this: Coll, ...args: never[]) => unknown): void => {
    const orig = proto[name];
    if (typeof orig !== 'function') return;
    originals[name] = orig as (...args: unknown[]) => unknown;
    proto[name] = fn;
    patched!.push(name);
  };

  const clear = (e: Ele): void => {
    const q = e._private;
    q.styleCache = null;
    const edges = q.edges;
    if (edges) for (let i = 0; i < edges.length; i++) edges[i]._private.styleCache = null;
  };
  install('dirtyStyleCache', function dirtyStyleCache(this: Coll) {
    if (!this.cy().hasCompoundNodes()) return originals.dirtyStyleCache.call(this);
    for (let i = 0; i < this.length; i++) {
      const ele = this[i];
      clear(ele);
      const stack = ele._private.children ? [...ele._private.children] : [];
      while (stack.length) {
        const d = stack.pop()!;
        clear(d);
        const kids = d._private.children;
        if (kids) for (let k = 0; k < kids.length; k++) stack.push(kids[k]);
      }
      for (let up = ele._private.parent; up; up = up._private.parent) clear(up);
    }
    return this;
  });

  install('parents', function parents(this: Coll, selector?: unknown) {
    if (this.length !== 1) return originals.parents.call(this, selector);
    const out: Ele[] = [];
    for (let up = this[0]._private.parent; up; up = up._private.parent) out.push(up);
    const c = this.spawn(out, true);
    return selector === undefined ? c : c.filter(selector);
  });

  if (typeof leafDepth === 'number' && leafDepth > 1e6) {
    install('zDepth', function zDepth(this: Coll) {
      const ele = this[0];
      if (!ele) return undefined;
      const q = ele._private;
      if (q.group === 'nodes') {
        if (!q.children || q.children.length === 0) return leafDepth;
        let depth = 0;
        for (let up = q.parent; up; up = up._private.parent) depth++;
        return depth;
      }
      return Math.max(q.source!.zDepth(), q.target!.zDepth(), 0);
    });
  }
  return patched;
}
