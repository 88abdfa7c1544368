import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cidrContains,
  cidrContainsIp,
  cidrHost,
  cidrSubnet,
  formatIp,
  isRfc1918,
  parseCidr,
  parseIp,
  parseIpv6,
} from '../../../src/model/cidr';

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

describe('cidr', () => {
  it('parses and normalises IPv4 and IPv6 blocks', () => {
    assert.equal(parseCidr('10.0.1.7/24')?.text, '10.0.1.0/24');
    assert.equal(parseCidr('0.0.0.0/0')?.prefix, 0);
    assert.equal(parseCidr('2600:1f18:abcd:1200::/56')?.text, '2600:1f18:abcd:1200::/56');
    assert.equal(parseCidr('::/0')?.text, '::/0');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('10.0.0/8'), undefined);
    assert.equal(parseCidr('256.0.0.0/8'), undefined);
    assert.equal(parseCidr('1:2:3:4:5:6:7:8:9/64'), undefined);
    assert.equal(parseIpv6('::ffff:1.2.3.4'), 0xffff01020304n);
  });

  it('implements Terraform cidrsubnet and cidrhost', () => {
    // Values from the Terraform documentation examples.
    assert.equal(cidrSubnet('172.16.0.0/12', 4, 2), '172.18.0.0/16');
    assert.equal(cidrSubnet('10.1.2.0/24', 4, 15), '10.1.2.240/28');
    assert.equal(cidrSubnet('fd00:fd12:3456:7890::/56', 16, 162), 'fd00:fd12:3456:7800:a200::/72');
    assert.equal(cidrHost('10.12.112.0/20', 16), '10.12.112.16');
    assert.equal(cidrHost('10.12.112.0/20', 268), '10.12.113.12');
    assert.equal(cidrSubnet('10.0.0.0/16', 8, 256), undefined);
  });

  it('knows RFC 1918 space', () => {
    assert.ok(isRfc1918('10.9.8.7'));
    assert.ok(isRfc1918('172.31.255.255'));
    assert.ok(!isRfc1918('172.32.0.1'));
    assert.ok(!isRfc1918('8.8.8.8'));
  });

  it('property: containment agrees with a string-of-bits reference', () => {
    const bits = (v: number) => (v >>> 0).toString(2).padStart(32, '0');
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.integer({ min: 0, max: 32 }), fc.nat(0xffffffff), (a, p, b) => {
        const c = parseCidr(`${formatIp(4, BigInt(a))}/${p}`)!;
        const ip = parseIp(formatIp(4, BigInt(b)))!;
        assert.equal(cidrContainsIp(c, ip), bits(a).slice(0, p) === bits(b).slice(0, p));
        const inner = parseCidr(`${formatIp(4, BigInt(b))}/32`)!;
        assert.equal(cidrContains(c, inner), cidrContainsIp(c, ip));
      }),
      { numRuns: RUNS },
    );
  });

  it('property: IPv6 format/parse round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        assert.equal(parseIp(formatIp(6, v))?.value, v);
      }),
      { numRuns: RUNS },
    );
  });
});
