// Elements that exist only if a provider list is long enough (model ElementBase.conditional): the subnet
// built for the second zone of `slice(names, 0, min(length(names), 3))` exists when the region has two
// zones or more. They are modelled and traced as existing; a verdict that rests on them holds only where
// it is the same in every world (every number of zones the inputs allow).
import type { NetworkElement } from '../model/types';
import type { ElementLookup } from './dcf/groups';
import type { SubnetEgress } from './types';

/** `<az 2 of data.x if the region has 2>` in an element id: the zone list and the length it needs. */
const CONDITION = /<az (?:id )?\d+ of (.+?) if the region has (\d+)>/;

interface Condition {
  list: string;
  atLeast: number;
}

function conditionOf(el: NetworkElement): Condition | undefined {
  const m = CONDITION.exec(el.id);
  return m ? { list: m[1], atLeast: Number(m[2]) } : undefined;
}

/**
 * Whether `el` exists whenever `source` does: it is not conditional, or both are built for zones of one
 * list and el's zone comes no later than the source's.
 */
function impliedBy(el: NetworkElement, source: NetworkElement | undefined): boolean {
  if (!el.conditional) return true;
  if (!source?.conditional) return false;
  const a = conditionOf(el);
  const b = conditionOf(source);
  return !!a && !!b && a.list === b.list && a.atLeast <= b.atLeast;
}

/**
 * The first element an egress path goes through that may not exist when its source does (a conditional
 * subnet, attachment or gateway): the path then depends on how many zones the region has.
 */
export function conditionalHop(index: ElementLookup, e: SubnetEgress): NetworkElement | undefined {
  const source = index.get(e.subnet);
  for (const trace of [e.forward, e.return]) {
    if (!trace) continue;
    for (const h of trace.hops) {
      const el = index.get(h.element);
      if (el?.conditional && el !== source && !impliedBy(el, source)) return el;
    }
  }
  return undefined;
}

/** Whether any element of the model is conditional (most models have none: nothing else to do). */
export function hasConditional(elements: readonly NetworkElement[]): boolean {
  for (const e of elements) if (e.conditional) return true;
  return false;
}
