// The packet arrives at an element. Delivery to the destination is generic; what an element does with a
// packet it forwards is its design's (AWS, TGW, Aviatrix, Azure, ...): a design is one file that lists the
// element kinds it handles, and one entry in DESIGNS below.
import type { ElementKind, ElementOf } from '../../model/types';
import { val } from '../modelIndex';
import { aviatrixDesign } from './aviatrix';
import { awsDesign } from './aws';
import { azureDesign } from './azure';
import { tgwDesign } from './tgw';
import { elementHop, nameOf, unknown, type ArriveStep, type Step, type Walk } from './walk';

/** What happens when the packet arrives at an element of kind K; undefined: not this design's element (another design's turn). */
export type Arrival<K extends ElementKind> = (w: Walk, el: ElementOf<K>, s: ArriveStep) => Step | undefined;

export interface Design {
  name: string;
  arrivals: { [K in ElementKind]?: Arrival<K> };
}

/** In order of precedence: the first design whose arrival answers decides (Azure's NVA before AWS's routed instance). */
const DESIGNS = (): Design[] => [azureDesign, awsDesign, tgwDesign, aviatrixDesign];

// Built on first use: the design modules import the walk, which imports this module.
let byKind: Map<ElementKind, Arrival<ElementKind>[]> | undefined;

function arrivalsOf(kind: ElementKind): Arrival<ElementKind>[] | undefined {
  if (!byKind) {
    byKind = new Map();
    for (const d of DESIGNS()) {
      for (const k in d.arrivals) {
        const f = d.arrivals[k as ElementKind] as Arrival<ElementKind>;
        const list = byKind.get(k as ElementKind);
        if (list) list.push(f);
        else byKind.set(k as ElementKind, [f]);
      }
    }
  }
  return byKind.get(kind);
}

export function arrive(w: Walk, s: ArriveStep): Step {
  const el = s.element;
  if (el.kind === 'subnet') {
    const inst = w.index.elementByIp(w.dst);
    elementHop(
      w,
      el,
      `delivered by local route to ${inst && inst.kind === 'instance' ? `${nameOf(inst)} (${w.dst}) in ` : `${w.dst} in `}subnet ${nameOf(el)}`,
      w.direction === 'return' ? { stage: 6 } : {},
    );
    return { kind: 'end', outcome: { kind: 'delivered' } };
  }
  if ((el.kind === 'instance' || el.kind === 'firewall') && val(el.privateIp) === w.dst) {
    elementHop(w, el, `delivered to ${el.kind} ${nameOf(el)} (${w.dst})`);
    return { kind: 'end', outcome: { kind: 'delivered' } };
  }
  for (const f of arrivalsOf(el.kind) ?? []) {
    const next = f(w, el, s);
    if (next) return next;
  }
  elementHop(w, el, `${el.kind} ${nameOf(el)} cannot forward traffic`);
  return unknown(w, { cause: 'unsupported-target', what: 'element', element: el.id, elementKind: el.kind }, el.id);
}
