// Routes written by a `dynamic "route"` block (or a `route = ...` list) that cannot be decided offline. Leaving
// them out would read the table as having none of them (an Azure subnet then "reaches the internet" through the
// system route, an AWS subnet has no route): one Unresolved route stands for them, so every lookup in the
// table that they might decide is Unknown.
import type { Route, SourceLocation, Unresolved } from '../../model/types';
import type { BlockView } from './emit';
import { unresolved } from '../../model/types';
import { where } from '../../model/where';

export function undecidedRoute(id: string, loc: SourceLocation, why: Unresolved): Route {
  // The same Unresolved as the destination: routing.ts then names where the routes are written.
  return { id, loc, destination: { cidr: why }, target: { kind: 'unknown', ref: why }, state: 'active', undecided: why };
}

/** Undecided routes of a table's dynamic blocks, numbered after its `first` decided routes. */
export function undecidedRoutes(r: BlockView, tableId: string, first: number): Route[] {
  return r.undecidedBlocks('route').map(({ view, why }, i) => undecidedRoute(`${tableId}#${first + i}`, view.loc(), why));
}

/**
 * The placeholder routes of an Azure table whose `lifecycle { ignore_changes }` names `route` (or `all`): a
 * `0.0.0.0/0 -> None` route Terraform is told not to keep is one a controller overwrites (an Aviatrix spoke's
 * private tables), not a deliberate drop. Each `None` route of such a table is undecided, saying so: a path it
 * matches is Unknown, never dropped at the placeholder. Other routes stay as written (tables whose extra routes
 * are separate route resources ignore `route` too).
 */
export function routesManagedElsewhere(r: BlockView, routes: Route[]): Route[] {
  if (!routes.some((x) => x.target.kind === 'none')) return routes;
  const e = r.ignoredChanges('route');
  if (!e) return routes;
  const text = r.src.text.slice(e.s.start, e.s.end);
  const why = unresolved(
    `ignore_changes = ${text}`,
    `a next hop None in a table whose routes are managed outside Terraform (lifecycle at ${where(r.loc(e.s))}) is a placeholder: what replaces it is not in the inputs`,
  );
  return routes.map((x) => (x.undecided || x.target.kind !== 'none' ? x : { ...x, undecided: why, placeholder: true }));
}
