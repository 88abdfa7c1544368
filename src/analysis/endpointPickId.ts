// How a pick of a Network Firewall's endpoints (trace/endpointPick.ts) is named: it stands as a hop and an
// enforcement id of its own, `<firewall>#EndpointIds[N]`, `<firewall>#zone[<az>]` or `<firewall>#value[<attr>]`,
// which no model element has. Kept apart so the index can label it without importing the trace.
import type { EndpointPick } from '../model/types';

const MARK = '#EndpointIds[';
const ZONE = '#zone[';
const VALUE = '#value[';

/** The hop and enforcement id of a pick: `<firewall>#EndpointIds[N]`, `<firewall>#zone[<az>]` or `<firewall>#value[<attr>]`. */
export function pickId(pick: EndpointPick): string {
  if (pick.attribute !== undefined) return `${pick.firewall}${VALUE}${pick.attribute}]`;
  return pick.zone !== undefined ? `${pick.firewall}${ZONE}${pick.zone}]` : `${pick.firewall}${MARK}${pick.position}]`;
}

/** The parts of a pick id, or undefined for any other id. */
export function parsePickId(id: string): { firewall: string; position?: string; zone?: string; attribute?: string } | undefined {
  if (!id.endsWith(']')) return undefined;
  const m = id.indexOf(MARK);
  if (m >= 0) return { firewall: id.slice(0, m), position: id.slice(m + MARK.length, -1) };
  const z = id.indexOf(ZONE);
  if (z >= 0) return { firewall: id.slice(0, z), zone: id.slice(z + ZONE.length, -1) };
  const v = id.indexOf(VALUE);
  return v >= 0 ? { firewall: id.slice(0, v), attribute: id.slice(v + VALUE.length, -1) } : undefined;
}

/**
 * How a pick is named, given its firewall's name: `<firewall>.EndpointIds[N]`, `<firewall> endpoint in <az>`, or
 * `<firewall> endpoint <custom resource>.<attribute>`.
 */
export function pickLabel(id: string, firewallName: (firewall: string) => string): string | undefined {
  const p = parsePickId(id);
  if (!p) return undefined;
  const fw = firewallName(p.firewall);
  if (p.attribute !== undefined) return `${fw} endpoint ${p.attribute}`;
  return p.zone !== undefined ? `${fw} endpoint in ${p.zone}` : `${fw}.EndpointIds[${p.position}]`;
}
