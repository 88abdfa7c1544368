// Longest-prefix match over CIDRs: the data structure behind route lookups and "which subnet holds
// this address". One exact-match map per prefix length, probed longest first.
import type { Cidr } from '../model/cidr';
import { mask4 } from './ip4';

/** Values keyed by CIDR; `longest(ip)` finds the value of the longest prefix containing ip. */
export class PrefixIndex<T> {
  /** IPv4 networks as numbers, one map per prefix length, longest first. */
  private lens4: { prefix: number; mask: number; map: Map<number, T> }[] = [];
  private readonly byLen6 = new Map<number, Map<bigint, T>>();
  private lens6: { prefix: number; mask: bigint }[] = [];

  add(c: Cidr, v: T): void {
    if (c.family === 4) {
      let l = this.lens4.find((x) => x.prefix === c.prefix);
      if (!l) {
        this.lens4.push((l = { prefix: c.prefix, mask: mask4(c.prefix), map: new Map() }));
        this.lens4.sort((x, y) => y.prefix - x.prefix);
      }
      const net = Number(c.network);
      // The first one written wins, as a linear scan in model order would.
      if (!l.map.has(net)) l.map.set(net, v);
      return;
    }
    let m = this.byLen6.get(c.prefix);
    if (!m) {
      this.byLen6.set(c.prefix, (m = new Map()));
      const mask = c.prefix === 0 ? 0n : ((1n << BigInt(c.prefix)) - 1n) << BigInt(128 - c.prefix);
      this.lens6.push({ prefix: c.prefix, mask });
      this.lens6.sort((x, y) => y.prefix - x.prefix);
    }
    if (!m.has(c.network)) m.set(c.network, v);
  }

  /** Put `n` where `o` is stored for CIDR c. */
  replace(c: Cidr, o: T, n: T): void {
    if (c.family === 4) {
      const m = this.lens4.find((x) => x.prefix === c.prefix)?.map;
      const net = Number(c.network);
      if (m && m.get(net) === o) m.set(net, n);
      return;
    }
    const m = this.byLen6.get(c.prefix);
    if (m && m.get(c.network) === o) m.set(c.network, n);
  }

  longest(ip: { family: 4 | 6; value: bigint }): T | undefined {
    if (ip.family === 4) return this.longest4(Number(ip.value));
    for (const l of this.lens6) {
      const hit = this.byLen6.get(l.prefix)!.get(ip.value & l.mask);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** longest() for an IPv4 address given as an unsigned 32-bit number. */
  longest4(ip: number): T | undefined {
    const lens = this.lens4;
    for (let i = 0; i < lens.length; i++) {
      const l = lens[i];
      const hit = l.map.get((ip & l.mask) >>> 0);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}
