// IPv4 addresses as unsigned 32-bit numbers: the hot paths (route lookups, subnet lookups) parse and
// compare thousands of addresses per analysis, and number math avoids BigInt allocations. IPv6 keeps
// the BigInt functions of model/cidr.ts. Semantics match parseIpv4 there (four 1-3 digit parts <= 255).
import { parseCidr, type Cidr } from '../model/cidr';

/** The address as an unsigned 32-bit number, or -1 when s is not a dotted-quad IPv4 address. */
export function ipv4ToNumber(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
      if (dots > 3) return -1;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      part = part * 10 + (c - 48);
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return value * 256 + part;
}

/** Netmask of a prefix length as an unsigned 32-bit number. */
export function mask4(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A parsed CIDR with, for IPv4, its network and mask as numbers. */
export interface CidrInfo {
  cidr: Cidr;
  /** IPv4 only (0 for IPv6). */
  net: number;
  mask: number;
}

// Route tables and subnets repeat or keep the same CIDR texts from one analysis to the next: parse each once.
const parsed = new Map<string, CidrInfo | null>();

/** parseCidr with number forms, memoised (the result is shared: do not mutate it). */
export function cidrInfo(text: string): CidrInfo | undefined {
  let c = parsed.get(text);
  if (c === undefined) {
    const cidr = parseCidr(text);
    c = cidr ? { cidr, net: cidr.family === 4 ? Number(cidr.network) : 0, mask: cidr.family === 4 ? mask4(cidr.prefix) : 0 } : null;
    if (parsed.size > 200_000) parsed.clear();
    parsed.set(text, c);
  }
  return c ?? undefined;
}

/** parseCidr, memoised (the result is shared: do not mutate it). */
export function cidrOf(text: string): Cidr | undefined {
  return cidrInfo(text)?.cidr;
}
