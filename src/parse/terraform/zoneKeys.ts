// Maps keyed by availability zone whose keys are not all named offline: the AZs of a Network Firewall's
// endpoints come from its subnets, which often take them from data.aws_availability_zones (a placeholder
// `<az 1 of data.x>`) or from something not known at all. Looking such a map up by a zone name it does not
// hold as written is not a missing key: any entry whose zone might be that name may be it. When every such
// entry is an endpoint of one firewall the lookup is "that firewall's endpoint in this zone" (EndpointPick
// with `zone`), which the trace decides wherever the candidates route alike; anything else stays Unknown.
import { azsDiffer, isPlaceholderAz } from '../../model/az';
import { EndpointPick, RefVal, Unknown, type Value } from './values';

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
