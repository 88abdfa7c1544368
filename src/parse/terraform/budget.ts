// The evaluation budget of the current root module. Static evaluation of hostile input (nested for
// expressions, flatten([l, l]) doubled thirty times, module for_each nested three deep) could
// otherwise run for hours or fill memory. Every expression evaluated costs a step, and every value
// built elsewhere is charged as it is built (elements of lists and maps, characters of strings,
// module and resource instances). Past the budget values are Unknown, with one located diagnostic.
import type { Value } from './values';

let budget = Infinity;
/** Where the budget first ran out (file text and offsets), for one located diagnostic. */
let exhaustedAt: { text: string; start: number; end: number } | undefined;

export const BUDGET_EXCEEDED = 'evaluation budget exceeded';

/**
 * What making one instance costs, in steps: a module instance is walked (its resources mapped, its
 * calls made), a resource instance becomes an element. Measured: about 100 µs and 20 µs, where a
 * step is about 0.5 µs.
 */
export const MODULE_INSTANCE_COST = 200;
export const RESOURCE_INSTANCE_COST = 40;

export function setEvaluationBudget(steps: number): void {
  budget = steps;
  exhaustedAt = undefined;
}

/** Steps left (negative once exhausted). */
export function evaluationBudgetLeft(): number {
  return budget;
}

/** Charges work done outside `evaluate` (values built, instances made); false once the budget is spent. */
export function chargeBudget(units: number): boolean {
  budget -= units;
  return budget >= 0;
}

/** Records where the budget ran out, once per root module. */
export function noteBudgetExhausted(text: string, start: number, end: number): void {
  exhaustedAt ??= { text, start, end };
}

export function budgetExhaustedAt(): { text: string; start: number; end: number } | undefined {
  return exhaustedAt;
}

/** What a built value costs: its elements, or its characters in 16s. */
export function valueCost(v: Value): number {
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (typeof v === 'string') return v.length >> 4;
  return 0;
}
