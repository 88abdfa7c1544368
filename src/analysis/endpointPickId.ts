// How a pick of a Network Firewall's endpoints (trace/endpointPick.ts) is named: it stands as a hop and an
// enforcement id of its own, `<firewall>#EndpointIds[N]` or `<firewall>#zone[<az>]`, which no model element has.
// Kept apart so the index can label it without importing the trace.
import type { EndpointPick } from '../model/types';

const MARK = '#EndpointIds[';
const ZONE = '#zone[';

/** The hop and enforcement id of a pick: `<firewall>#EndpointIds[N]`, or `<firewall>#zone[<az>]`. */
export function pickId(pick: EndpointPick): string {
  return pick.zone !== undefined ? `${pick.firewall}${ZONE}${pick.zone}]` : `${pick.firewall}${MARK}${pick.position}]`;
}

/** The parts of a pick id, or undefined for any other id. */
export function parsePickId(id: string): { firewall: string; position?: string; zone?: string } | undefined {
  if (!id.endsWith(']')) return undefined;
  const m = id.indexOf(MARK);
  if (m >= 0) return { firewall: id.slice(0, m), position: id.slice(m + MARK.length, -1) };
  const z = id.indexOf(ZONE);
  return z >= 0 ? { firewall: id.slice(0, z), zone: id.slice(z + ZONE.length, -1) } : undefined;
}

/** How a pick is named, given its firewall's name: `<firewall>.EndpointIds[N]`, or `<firewall> endpoint in <az>`. */
export function pickLabel(id: string, firewallName: (firewall: string) => string): string | undefined {
  const p = parsePickId(id);
  if (!p) return undefined;
  const fw = firewallName(p.firewall);
  return p.zone !== undefined ? `${fw} endpoint in ${p.zone}` : `${fw}.EndpointIds[${p.position}]`;
}
