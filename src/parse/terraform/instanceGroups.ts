// The instances of one resource block with count/for_each, for lookups that fail the run on a missing key: the
// same attribute is evaluated in every instance, so a lookup there takes every instance's key (evaluate.ts
// lookupFamily). Instances that exist only in some regions (zones past the first) are left out.
import type { Expr } from './ast';
import type { Value } from './values';

/** The keys one lookup takes in every certain instance, with the map they index (the same object in each). */
export interface LookupFamily {
  obj: Value;
  keys: string[];
}

export class InstanceGroup {
  /** The `each` / `count` objects of the instances that certainly exist. */
  readonly certain: Map<string, Value>[] = [];
  /** Per key expression: its family, or null when it is not the same map in every instance or a key is undecided. */
  readonly families = new Map<Expr, LookupFamily | null>();
}

const GROUPS = new WeakMap<object, InstanceGroup>();

/** Registers an instance's `each` / `count` object with its block's group. */
export function joinGroup(group: InstanceGroup, instanceVar: Map<string, Value>, certain: boolean): void {
  GROUPS.set(instanceVar, group);
  if (certain) group.certain.push(instanceVar);
}

export function instanceGroupOf(instanceVar: Map<string, Value>): InstanceGroup | undefined {
  return GROUPS.get(instanceVar);
}
