// PLACEHOLDER CONTRACT (owned by the routing/trace helper): lookups over a NetworkModel.
import type { NetworkModel, NetworkElement, ElementKind, ElementOf } from '../model/types';

export class ModelIndex {
  readonly byId = new Map<string, NetworkElement>();
  constructor(readonly model: NetworkModel) {
    for (const e of model.elements) this.byId.set(e.id, e);
  }
  get(id: string): NetworkElement | undefined {
    return this.byId.get(id);
  }
  ofKind<K extends ElementKind>(kind: K): ElementOf<K>[] {
    return this.model.elements.filter((e): e is ElementOf<K> => e.kind === kind);
  }
}
