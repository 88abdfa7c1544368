// Elements of one kind, in model order, grouped once per element list: rules and states ask for a few
// kinds (DCF policies, spoke gateways, VPCs) and scanning the whole model for each was a cost of its own.
import type { ElementKind, ElementOf, NetworkElement } from '../model/types';

const memo = new WeakMap<readonly NetworkElement[], Map<ElementKind, NetworkElement[]>>();

export function elementsOfKind<K extends ElementKind>(elements: readonly NetworkElement[], kind: K): ElementOf<K>[] {
  let m = memo.get(elements);
  if (!m) {
    m = new Map();
    for (const e of elements) {
      const list = m.get(e.kind);
      if (list) list.push(e);
      else m.set(e.kind, [e]);
    }
    memo.set(elements, m);
  }
  return (m.get(kind) ?? []) as ElementOf<K>[];
}

/** Use an index's grouping (same kinds, model order) for this element list instead of grouping it again. */
export function registerKinds(elements: readonly NetworkElement[], byKind: Map<ElementKind, NetworkElement[]>): void {
  memo.set(elements, byKind);
}
