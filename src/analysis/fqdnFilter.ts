// An Aviatrix egress FQDN gateway's filters (`aviatrix_fqdn`): what they let out toward the internet. A white list lets
// only the names it lists out (any TCP/UDP, every other destination dropped, Aviatrix docs "Egress FQDN FAQ"); a black
// list drops only those and lets the rest out, logged by the controller; a disabled filter, or none, lets all out.
import type { AviatrixGateway, FqdnFilter } from '../model/types';
import { isUnresolved } from '../model/types';
import { where } from '../model/where';

export type FqdnPosture =
  { kind: 'restricted' | 'partial' | 'permit-all' | 'bypass' | 'unknown'; reason: string } | { kind: 'unknown'; reason: string };

const said = (f: FqdnFilter): string => `FQDN filter ${f.tag} (${where(f.loc)})`;

/** What an egress gateway's FQDN filters let out toward the internet, as a path class of docs/states.md. */
export function fqdnPosture(gw: AviatrixGateway, gwLabel: string): FqdnPosture {
  const filters = gw.fqdnFilters ?? [];
  if (filters.length === 0)
    return { kind: 'bypass', reason: `egress gateway ${gwLabel} translates to its public IP with no FQDN filter attached in the inputs` };
  const undecided = filters.find((f) => isUnresolved(f.enabled) || isUnresolved(f.mode));
  if (undecided)
    return { kind: 'unknown', reason: `whether ${said(undecided)} at ${gwLabel} is on, and a white or black list, is not known offline` };
  const on = filters.filter((f) => f.enabled === true);
  if (on.length === 0)
    return {
      kind: 'bypass',
      reason: `egress gateway ${gwLabel}: its ${filters.map(said).join(', ')} ${filters.length > 1 ? 'are' : 'is'} disabled (fqdn_enabled = false)`,
    };
  const white = on.filter((f) => String(f.mode).toLowerCase() === 'white');
  const other = on.find((f) => !['white', 'black'].includes(String(f.mode).toLowerCase()));
  if (other)
    return { kind: 'unknown', reason: `${said(other)} at ${gwLabel} has fqdn_mode \`${String(other.mode)}\`, neither white nor black` };
  if (white.length === 0)
    return {
      kind: 'permit-all',
      reason: `egress gateway ${gwLabel}: ${on.map(said).join(', ')} ${on.length > 1 ? 'are black lists' : 'is a black list'}: every other name leaves, logged by the controller`,
    };
  const domains = white.flatMap((f) => f.domains);
  const any = domains.find((d) => d === '*');
  if (any !== undefined)
    return {
      kind: 'partial',
      reason: `egress gateway ${gwLabel}: the white list of ${white.map(said).join(', ')} allows every name (\`*\`)`,
    };
  if (domains.some(isUnresolved))
    return {
      kind: 'unknown',
      reason: `egress gateway ${gwLabel}: a domain of the white list of ${white.map(said).join(', ')} is not known offline`,
    };
  return {
    kind: 'restricted',
    reason: `egress gateway ${gwLabel}: the white list of ${white.map(said).join(', ')} (${domains.length} domain${domains.length === 1 ? '' : 's'} in the inputs) lets only the names it lists out; every other destination is dropped`,
  };
}

/** Whether a white or black list entry (`*.example.com`, `example.com`) matches a name. */
function matches(entry: string, name: string): boolean {
  const e = entry.toLowerCase();
  const n = name.toLowerCase();
  if (e === '*') return true;
  if (e.startsWith('*.')) return n.endsWith(e.slice(1)) || n === e.slice(2);
  return e === n;
}

/** One flow through an egress gateway: allowed or denied by its filters, or unknown (an IP destination, an undecided list). */
export function fqdnFlow(
  gw: AviatrixGateway,
  gwLabel: string,
  destination: string,
  isIp: boolean,
): { decision: 'allow' | 'deny' | 'unknown'; reason: string } {
  const posture = fqdnPosture(gw, gwLabel);
  if (posture.kind === 'bypass') return { decision: 'allow', reason: posture.reason };
  if (posture.kind === 'unknown') return { decision: 'unknown', reason: posture.reason };
  if (isIp) return { decision: 'unknown', reason: `egress gateway ${gwLabel} filters by name; the flow names an address` };
  const on = (gw.fqdnFilters ?? []).filter((f) => f.enabled === true);
  const white = on.filter((f) => String(f.mode).toLowerCase() === 'white');
  const lists = white.length > 0 ? white : on;
  const hit = lists.find((f) => f.domains.some((d) => typeof d === 'string' && matches(d, destination)));
  if (white.length > 0)
    return hit
      ? { decision: 'allow', reason: `${said(hit)} at ${gwLabel} lists ${destination}` }
      : { decision: 'deny', reason: `no white list at ${gwLabel} lists ${destination}` };
  return hit
    ? { decision: 'deny', reason: `${said(hit)} at ${gwLabel} black-lists ${destination}` }
    : { decision: 'allow', reason: `no black list at ${gwLabel} names ${destination}` };
}
