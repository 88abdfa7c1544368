// Maps keyed by availability zone whose keys are not all named offline: the AZs of a Network Firewall's
// endpoints come from its subnets, which often take them from data.aws_availability_zones (a placeholder
// `<az 1 of data.x>`) or from something not known at all. Looking such a map up by a zone name it does not
// hold as written is not a missing key: any entry whose zone might be that name may be it. When every such
// entry is an endpoint of one firewall the lookup is "that firewall's endpoint in this zone" (EndpointPick
// with `zone`), which the trace decides wherever the candidates route alike; anything else stays Unknown.
import { azsDiffer, isPlaceholderAz } from '../../model/az';
import { EndpointPick, RefVal, Unknown, valuesEqual, type Value } from './values';

/** A model endpoint id of a Network Firewall (computed.ts, networkFirewallEndpointId), as a value. */
function endpointOf(v: Value): string | undefined {
  return v instanceof RefVal && v.path.length === 0 && v.address.includes('/endpoint/') ? v.address : undefined;
}

function firewallOf(endpoint: string): string {
  return endpoint.slice(0, endpoint.indexOf('/endpoint/'));
}

/**
 * A map from a Network Firewall's sync states keyed by their AZ where some AZs are not known offline
 * (`zone` undefined): `{ for s in ...sync_states : s.availability_zone => s.attachment[0].endpoint_id }`.
 */
export class EndpointZones extends Unknown {
  constructor(
    text: string,
    readonly entries: readonly (readonly [string | undefined, Value])[],
  ) {
    super(text, "the AZs of the firewall's endpoints are not known offline");
  }

  /** `this[key]`: the entry of that zone, some endpoint of the firewall, or a failure when none may be it. */
  at(key: string, text: string): Value | undefined {
    const hit = this.entries.find(([z]) => z === key);
    return hit ? hit[1] : zoneLookup(this.entries, key, text);
  }
}

/** A placeholder's name (`<az 1 of data.x>`, `<element 2 of data.x.ids>`): a value not known offline. */
const PLACEHOLDER = /^<.+ of .+>$/;

/** Whether the keys `a` and `b` (names, or placeholders' names) may be the same value once known. */
function mayBe(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = PLACEHOLDER.test(a);
  const pb = PLACEHOLDER.test(b);
  if (!pa && !pb) return false;
  // Only zones are known apart (model/az.ts); any other placeholder may be anything.
  if ((pa && !isPlaceholderAz(a)) || (pb && !isPlaceholderAz(b))) return true;
  return !azsDiffer(a, b);
}

/** Whether `v` is an endpoint id, for EndpointZones (a `for` over sync states keyed by AZ yields only those). */
export function isEndpointValue(v: Value): boolean {
  return endpointOf(v) !== undefined;
}

/**
 * `m[key]` where no key of `m` is `key` as written (`key` a name or a placeholder's name): undefined when no
 * entry's key may be `key` once known (a missing key); the one endpoint, or an EndpointPick of the zone, when every entry that may be it is an endpoint of
 * one firewall; else Unknown. Only called on a miss, so the common lookup pays nothing.
 */
export function zoneLookup(entries: Iterable<readonly [string | undefined, Value]>, key: string, text: string): Value | undefined {
  const candidates: Value[] = [];
  for (const [zone, v] of entries) if (zone === undefined || mayBe(zone, key)) candidates.push(v);
  if (candidates.length === 0) return undefined;
  const ids = candidates.map(endpointOf);
  const firewall = ids[0] !== undefined ? firewallOf(ids[0]) : undefined;
  if (firewall !== undefined && ids.every((id) => id !== undefined && firewallOf(id) === firewall))
    return candidates.length === 1 ? candidates[0] : new EndpointPick(text, undefined, ids as string[], key);
  return new Unknown(text, `which key of the map is the zone ${key} is not known offline (its keys are zones read from the provider)`);
}

// A lookup that fails the run when its key is missing (`m[k]`, `lookup(m, k)` without a default, outside try()
// and can()) constrains every world in which the resource exists: there, its key is one of the map's keys.
// These decide it only from what the provider guarantees: data.aws_availability_zones sorts `names` by name
// (zone_ids follow the names' order, so `<az id N>` is not sorted by its own value), and a list's names are
// distinct. Zone names need not be `<region><letter>` from `a` on (opted-in Local Zones sort before them), so
// the letter alone decides nothing.

/** `<az N of SRC>`: the Nth name of a sorted list of zone names (conditional or not: the same zone). */
const SORTED_AZ = /^<az (\d+) of (.+?)(?: if the region has \d+)?>$/;

/** Printable ASCII: JavaScript's order of such strings is Go's byte order (the provider's sort). */
const ASCII = /^[\x20-\x7e]+$/;

/** Position and source of a zone-name placeholder, or undefined for anything else. */
function sortedAz(s: string): [number, string] | undefined {
  const m = SORTED_AZ.exec(s);
  return m ? [Number(m[1]), m[2]] : undefined;
}

/**
 * Distinct placeholders of one sorted zone-name list, in list order (by position), or undefined when any of
 * `names` is not such a placeholder, they come from two lists, or two name the same position.
 */
function sortedPlaceholders(names: Iterable<string>): string[] | undefined {
  let src: string | undefined;
  const byPos = new Map<number, string>();
  for (const s of names) {
    const p = sortedAz(s);
    if (!p || (src !== undefined && p[1] !== src) || byPos.has(p[0])) return undefined;
    src = p[1];
    byPos.set(p[0], s);
  }
  return [...byPos.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}

/** Distinct written names, sorted as the provider sorts, or undefined when one is a placeholder or not ASCII. */
function sortedNames(names: Iterable<string>): string[] | undefined {
  const out = new Set<string>();
  for (const s of names) {
    if (!ASCII.test(s) || PLACEHOLDER.test(s)) return undefined;
    out.add(s);
  }
  return [...out].sort();
}

/**
 * `m[key]` missing as written, where the run fails unless `key` is a key of `m`, and every key of `family`
 * (the keys the same lookup takes in every instance that certainly exists, and this one) is looked up too.
 * Two shapes are decided, both by counting and order: written names looked up in a map keyed by zone-name
 * placeholders of one list (each name must be one of them; as many names as placeholders makes it a
 * one-to-one match, and both sides sort alike), or placeholders of one list looked up in a map keyed by as
 * many written names. Otherwise, when every entry that may be `key` holds the same value, that value.
 * Undefined when neither decides it (the caller keeps its Unknown).
 */
export function requiredEntry(m: Map<string, Value>, key: string, family: readonly string[] | undefined): Value | undefined {
  if (family && family.length > 0) {
    const keyIsName = !PLACEHOLDER.test(key);
    if (keyIsName) {
      // Written names against placeholder keys: the names not written in the map are the placeholders' values.
      const written = [...m.keys()].filter((k) => !PLACEHOLDER.test(k));
      const placeholders = sortedPlaceholders([...m.keys()].filter((k) => PLACEHOLDER.test(k)));
      const names = sortedNames(family.filter((k) => !m.has(k)));
      if (placeholders && names && written.every((k) => ASCII.test(k)) && names.length === placeholders.length) {
        const at = names.indexOf(key);
        if (at >= 0) return m.get(placeholders[at]);
      }
    } else {
      // Placeholders against written keys: as many of them as keys, one each.
      const keys = sortedNames(m.keys());
      const placeholders = sortedPlaceholders(family);
      if (keys && placeholders && keys.length === placeholders.length) {
        const at = placeholders.findIndex((p) => sortedAz(p)![0] === sortedAz(key)?.[0]);
        if (at >= 0) return m.get(keys[at]);
      }
    }
  }
  // Whichever entry it is, the same value.
  return sameEntry(m, (k) => k === key || mayBe(k, key));
}

/**
 * `m[key]` where the run fails unless `key` is a key of `m`, and `key` is not known offline beyond the substrings
 * it certainly holds, in order (`parts`: a template's known runs; none for a value known only after apply):
 * the value every key that may be it holds, when they all hold the same one; else undefined.
 */
export function shapedEntry(m: Map<string, Value>, parts: readonly string[]): Value | undefined {
  return sameEntry(m, (k) => PLACEHOLDER.test(k) || holdsInOrder(k, parts));
}

function holdsInOrder(s: string, parts: readonly string[]): boolean {
  let at = 0;
  for (const p of parts) {
    const i = s.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return true;
}

/** The one value the entries whose key may be the lookup's hold (a known value), or undefined. */
function sameEntry(m: Map<string, Value>, may: (k: string) => boolean): Value | undefined {
  let same: Value | undefined;
  for (const [k, v] of m) {
    if (!may(k)) continue;
    if (v instanceof Unknown || (same !== undefined && !valuesEqual(v, same))) return undefined;
    same = v;
  }
  return same;
}
