// Routes written by a `dynamic "route"` block (or a `route = ...` list) that cannot be decided offline. Leaving
// them out would read the table as having none of them (an Azure subnet then "reaches the internet" through the
// system route, an AWS subnet has no route): one Unresolved route stands for them, so every lookup in the
// table that they might decide is Unknown.
import type { Route, SourceLocation, Unresolved } from '../../model/types';
import type { BlockView } from './emit';

export function undecidedRoute(id: string, loc: SourceLocation, why: Unresolved): Route {
  // The same Unresolved as the destination: routing.ts then names where the routes are written.
  return { id, loc, destination: { cidr: why }, target: { kind: 'unknown', ref: why }, state: 'active', undecided: why };
}

/** Undecided routes of a table's dynamic blocks, numbered after its `first` decided routes. */
export function undecidedRoutes(r: BlockView, tableId: string, first: number): Route[] {
  return r.undecidedBlocks('route').map(({ view, why }, i) => undecidedRoute(`${tableId}#${first + i}`, view.loc(), why));
}
