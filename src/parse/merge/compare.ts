// Equality of merge results that decides whether the merger may keep an object it already has:
// plain-data equality of a re-parsed element, and equality of two resolutions' references.
import { isUnresolved, type NetworkElement } from '../../model/types';
import { REF_FIELDS_BY_KIND } from '../../model/refs';

/** Two resolutions of the same element ended with the same references. */
export function sameRefs(a: NetworkElement, b: NetworkElement): boolean {
  if (a === b) return true;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const spec = REF_FIELDS_BY_KIND[a.kind];
  for (const f of spec?.one ?? []) if (!sameRef(ra[f], rb[f])) return false;
  for (const f of spec?.many ?? []) {
    const x = ra[f];
    const y = rb[f];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameRef(x[i], y[i])) return false;
  }
  if (a.kind === 'routeTable' && b.kind === 'routeTable' && a.routes !== b.routes) {
    if (a.routes.length !== b.routes.length) return false;
    for (let i = 0; i < a.routes.length; i++) {
      const p = a.routes[i];
      const q = b.routes[i];
      if (p === q) continue;
      if (!sameRef(p.target.ref, q.target.ref)) return false;
      const pd = p.destination;
      const qd = q.destination;
      if (pd !== qd && !('prefixList' in pd && 'prefixList' in qd && sameRef(pd.prefixList, qd.prefixList))) return false;
    }
  }
  if (a.kind === 'tgwRouteTable' && b.kind === 'tgwRouteTable' && a.routes !== b.routes) {
    if (a.routes.length !== b.routes.length) return false;
    for (let i = 0; i < a.routes.length; i++) if (!sameRef(a.routes[i].attachment, b.routes[i].attachment)) return false;
  }
  return true;
}

/**
 * Equal plain data (JSON-like values, what parsers make), as a deep strict equal sees it. The hot
 * path of a re-parsed file: primitives are compared without a call.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x !== y && (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || !sameData(x, y))) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const k in ra) {
    const x = ra[k];
    const y = rb[k];
    if (x !== y) {
      if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || !sameData(x, y)) return false;
    } else if (x === undefined && !(k in rb)) return false;
    n++;
  }
  // Same number of keys, all of a's in b: the same keys.
  for (const _ in rb) n--;
  return n === 0 && Object.getPrototypeOf(a) === Object.getPrototypeOf(b);
}

function sameRef(x: unknown, y: unknown): boolean {
  return x === y || (isUnresolved(x) && isUnresolved(y) && x.text === y.text && x.reason === y.reason);
}

export function sameList<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
