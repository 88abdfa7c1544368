// Review s16 R9: a set of prefixes that together hold every address ("0.0.0.0/1 + 128.0.0.0/1", every /8) is
// "any" wherever a destination or source is judged. The union test is checked against a brute force on a small
// family (6 address bits: 64 addresses), then on the real families with our own lists.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { coversFamily, prefixesCoverSpace } from '../../../src/model/cidr';

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const BITS = 6;

/** A random prefix of the 6-bit family: a length, and a network with its host bits cleared. */
const prefix = fc
  .tuple(fc.integer({ min: 0, max: BITS }), fc.integer({ min: 0, max: (1 << BITS) - 1 }))
  .map(([len, addr]) => ({ prefix: len, network: BigInt(addr & ~((1 << (BITS - len)) - 1) & ((1 << BITS) - 1)) }));

/** Every address, one by one: is it in some prefix? */
function bruteForce(ps: readonly { network: bigint; prefix: number }[]): boolean {
  for (let a = 0; a < 1 << BITS; a++) {
    const held = ps.some((p) => BigInt(a) >> BigInt(BITS - p.prefix) === p.network >> BigInt(BITS - p.prefix));
    if (!held) return false;
  }
  return true;
}

describe('prefixesCoverSpace (union of prefixes holds the whole family)', () => {
  it('agrees with checking every address of a 6-bit family', () => {
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 40 }), (ps) => {
        assert.equal(prefixesCoverSpace(ps, BITS), bruteForce(ps));
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on sets built to cover: every address split into random halves', () => {
    // Split the whole space recursively at random depths: the leaves cover it exactly; dropping one leaf does not.
    const leaves = (depth: number, seed: number[], net = 0, len = 0): { network: bigint; prefix: number }[] => {
      if (len === BITS || (seed[len % seed.length] + net) % 3 === 0 || len >= depth) return [{ network: BigInt(net), prefix: len }];
      const half = 1 << (BITS - len - 1);
      return [...leaves(depth, seed, net, len + 1), ...leaves(depth, seed, net + half, len + 1)];
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BITS }), fc.array(fc.nat(10), { minLength: 1, maxLength: 6 }), fc.nat(), (d, seed, k) => {
        const ls = leaves(d, seed);
        assert.equal(prefixesCoverSpace(ls, BITS), true);
        const dropped = ls.filter((_, i) => i !== k % ls.length);
        assert.equal(prefixesCoverSpace(dropped, BITS), bruteForce(dropped));
      }),
      { numRuns: RUNS },
    );
  });

  it('reads IPv4 and IPv6 lists as written', () => {
    assert.equal(coversFamily(['0.0.0.0/0'], 4), true);
    assert.equal(coversFamily(['0.0.0.0/1', '128.0.0.0/1'], 4), true);
    assert.equal(coversFamily(['128.0.0.0/1', '0.0.0.0/1'], 4), true);
    assert.equal(coversFamily(['0.0.0.0/1'], 4), false);
    const slash8 = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);
    assert.equal(coversFamily(slash8, 4), true);
    assert.equal(
      coversFamily(
        slash8.filter((c) => c !== '10.0.0.0/8'),
        4,
      ),
      false,
    );
    // Overlaps and a bare address are fine; unreadable text holds nothing.
    assert.equal(coversFamily(['0.0.0.0/1', '10.0.0.0/8', '128.0.0.0/2', '192.0.0.0/2', '1.2.3.4', '$X'], 4), true);
    assert.equal(coversFamily(['::/1', '8000::/1'], 6), true);
    assert.equal(coversFamily(['::/1', '8000::/1'], 4), false);
    assert.equal(coversFamily([], 4), false);
    assert.equal(coversFamily(['0.0.0.0/1', '8000::/1'], 4), false);
    assert.equal(coversFamily(['0.0.0.0/1', '8000::/1'], 6), false);
  });
});
