// A small, bundled, documented IP -> country table and domain -> address table. Egress Lens makes no
// network look-ups: anything not listed here is `undefined` (unknown), never guessed.
//
// Sources and caveats (recorded from public registry/geolocation knowledge, not from a live look-up made
// by this product; addresses and geolocation can change, so treat entries as examples to extend):
// - 8.8.8.8, 8.8.4.4: Google Public DNS, ARIN-registered to Google LLC, geolocated US.
// - 208.67.222.222, 208.67.220.220: Cisco OpenDNS resolvers, ARIN-registered, geolocated US.
// - 1.1.1.1, 1.0.0.1: Cloudflare's resolver, an APNIC research prefix; commercial geo databases
//   commonly report AU. Anycast: the serving site is wherever the nearest Cloudflare PoP is.
// - ipinfo.io: has resolved to 34.117.59.81, a Google Cloud anycast address
//   ARIN-registered to Google LLC, geolocated US. Used only to place the reference `curl ipinfo.io` test.
// The reference test flows (docs/domain.md, section 6: ICMP to public addresses in the US) only need 8.8.8.8 = US.
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';

/** ISO 3166-1 alpha-2 country of well-known addresses. Longest prefix wins. */
const GEO_TABLE: { cidr: string; country: string; note: string }[] = [
  { cidr: '8.8.8.8/32', country: 'US', note: 'Google Public DNS' },
  { cidr: '8.8.4.4/32', country: 'US', note: 'Google Public DNS' },
  { cidr: '208.67.222.222/32', country: 'US', note: 'OpenDNS' },
  { cidr: '208.67.220.220/32', country: 'US', note: 'OpenDNS' },
  { cidr: '1.1.1.1/32', country: 'AU', note: 'Cloudflare DNS (APNIC prefix; anycast)' },
  { cidr: '1.0.0.1/32', country: 'AU', note: 'Cloudflare DNS (APNIC prefix; anycast)' },
  { cidr: '34.117.59.81/32', country: 'US', note: 'ipinfo.io (Google Cloud anycast)' },
];

/** Domain -> IPv4 address, for matching a domain destination against CIDR/geo SmartGroups. */
const DNS_TABLE: Record<string, string> = {
  'ipinfo.io': '34.117.59.81',
  'dns.google': '8.8.8.8',
  'one.one.one.one': '1.1.1.1',
};

const PARSED = GEO_TABLE.map((g) => ({ ...g, block: parseCidr(g.cidr)! })).sort((a, b) => b.block.prefix - a.block.prefix);

/** Country code of an address, or undefined when the bundled table does not list it. */
export function countryOf(ip: string): string | undefined {
  const p = parseIp(ip);
  if (!p) return undefined;
  return PARSED.find((g) => cidrContainsIp(g.block, p))?.country;
}

/** The bundled address of a domain, or undefined (no DNS look-ups offline). */
export function resolveDomain(domain: string): string | undefined {
  return DNS_TABLE[domain.toLowerCase().replace(/\.$/, '')];
}
