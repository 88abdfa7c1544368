// IPv4/IPv6 addresses and CIDR blocks as bigints: parse, contain, compare. Shared by the parsers
// (cidrsubnet), routing (longest prefix match) and DCF (SmartGroup CIDR selectors).

export interface Cidr {
  family: 4 | 6;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** The text as given, normalised (`10.0.1.0/24`). */
  text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

export function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length < 2) return undefined;
  let tail4: bigint | undefined;
  let str = s;
  // Embedded IPv4 tail (::ffff:1.2.3.4).
  const lastColon = str.lastIndexOf(':');
  if (str.includes('.')) {
    tail4 = parseIpv4(str.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    str = str.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = str.split('::');
  if (dbl.length > 2) return undefined;
  const head = dbl[0] ? dbl[0].split(':') : [];
  const tail = dbl.length === 2 && dbl[1] ? dbl[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (dbl.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(dbl.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

export function parseIp(s: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(':') ? parseIpv6(s) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BITS[family];
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((sh) => String((value >> sh) & 255n)).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Parses `10.0.0.0/16` (host bits are cleared) or a bare address (as /32 or /128). */
export function parseCidr(s: string): Cidr | undefined {
  const [addr, len, extra] = s.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = BITS[ip.family];
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const network = ip.value & mask(ip.family, prefix);
  return { family: ip.family, network, prefix, text: `${formatIp(ip.family, network)}/${prefix}` };
}

export function cidrContainsIp(c: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return c.family === ip.family && (ip.value & mask(c.family, c.prefix)) === c.network;
}

/** True when `inner` lies entirely within `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family && outer.prefix <= inner.prefix && (inner.network & mask(outer.family, outer.prefix)) === outer.network
  );
}

/** The nth host address of a block (n = 0 is the network address). */
export function hostAddress(c: Cidr, n: number): string {
  return formatIp(c.family, c.network + BigInt(n));
}

/** Terraform's cidrsubnet(prefix, newbits, netnum); undefined when out of range. */
export function cidrSubnet(base: string, newbits: number, netnum: number): string | undefined {
  const c = parseCidr(base);
  if (!c || !Number.isInteger(newbits) || !Number.isInteger(netnum) || newbits < 0 || netnum < 0) return undefined;
  const prefix = c.prefix + newbits;
  if (prefix > BITS[c.family] || BigInt(netnum) >= 1n << BigInt(newbits)) return undefined;
  const network = c.network | (BigInt(netnum) << BigInt(BITS[c.family] - prefix));
  return `${formatIp(c.family, network)}/${prefix}`;
}

/** Terraform's cidrhost(prefix, hostnum). */
export function cidrHost(base: string, hostnum: number): string | undefined {
  const c = parseCidr(base);
  if (!c || !Number.isInteger(hostnum) || hostnum < 0 || BigInt(hostnum) >= 1n << BigInt(BITS[c.family] - c.prefix)) return undefined;
  return hostAddress(c, hostnum);
}

/** The RFC 1918 private IPv4 blocks, as written. */
export const RFC1918_BLOCKS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** IPv4 blocks that are never an internet destination: private, shared (CGNAT), loopback, link-local, "this network", multicast and reserved. */
export const NOT_INTERNET_V4: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/3',
];

const RFC1918 = RFC1918_BLOCKS.map((s) => parseCidr(s)!);

/** True for an IPv4 prefix or address (`10.1.0.0/16`, `10.0.0.5`) inside one RFC 1918 block: no internet address. */
export function isRfc1918Range(range: string): boolean {
  const c = parseCidr(range);
  return !!c && RFC1918.some((b) => cidrContains(b, c));
}

/** True for RFC 1918 private IPv4 space (what Aviatrix "Public Internet" excludes). */
export function isRfc1918(ip: string): boolean {
  const p = parseIp(ip);
  return !!p && RFC1918.some((c) => cidrContainsIp(c, p));
}

/**
 * Whether prefixes (each a network and a length, in a family of `bits` address bits) together hold every
 * address of the family: merged in address order, they must leave no gap from the first address to the last.
 * `0.0.0.0/1` and `128.0.0.0/1` do, as does every /8 written out. Generic in `bits` so a test can check it
 * against every address of a small family.
 */
export function prefixesCoverSpace(prefixes: readonly { network: bigint; prefix: number }[], bits: number): boolean {
  const ranges = prefixes
    .map((p) => ({ start: p.network, end: p.network + (1n << BigInt(bits - p.prefix)) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let next = 0n;
  for (const r of ranges) {
    if (r.start > next) return false;
    if (r.end > next) next = r.end;
  }
  return next >= 1n << BigInt(bits);
}

/**
 * Whether CIDRs as written (`0.0.0.0/0`; `0.0.0.0/1`, `128.0.0.0/1`; bare addresses count as hosts; other text is
 * ignored) together hold every address of a family: a destination or source written so is "any" for that family.
 */
export function coversFamily(cidrs: readonly string[], family: 4 | 6): boolean {
  const parsed = cidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined && c.family === family);
  return prefixesCoverSpace(parsed, BITS[family]);
}

/**
 * A literal address as a firewall configuration writes one: `10.0.0.1` (as `10.0.0.1/32`), `10.0.0.0/24`,
 * `10.0.0.1-10.0.0.9`, IPv6 alike; undefined when it is not one (an object name, an alias).
 */
export function literalAddress(text: string): string | undefined {
  if (parseCidr(text)) return text;
  const ip = parseIp(text);
  if (ip) return `${text}/${ip.family === 4 ? 32 : 128}`;
  const dash = text.indexOf('-');
  if (dash > 0) {
    const lo = parseIp(text.slice(0, dash));
    const hi = parseIp(text.slice(dash + 1));
    if (lo && hi && lo.family === hi.family) return text;
  }
  return undefined;
}
