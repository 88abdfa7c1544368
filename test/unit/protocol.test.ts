import * as assert from 'node:assert/strict';
import { egressOfTrace, parseHostMessage, parseWebviewMessage } from '../../src/protocol';

describe('protocol validation', () => {
  it('accepts a well-formed reveal and rejects malformed ones', () => {
    const loc = { file: 'main.tf', range: { start: { line: 1, character: 0 }, end: { line: 3, character: 1 } } };
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', location: loc }), { type: 'reveal', location: loc });
    assert.equal(parseWebviewMessage({ type: 'reveal', location: { file: 'x' } }), undefined);
    assert.equal(
      parseWebviewMessage({ type: 'reveal', location: { ...loc, range: { start: { line: -1, character: 0 }, end: loc.range.end } } }),
      undefined,
    );
    assert.equal(parseWebviewMessage({ type: 'run-shell', cmd: 'rm -rf /' }), undefined);
    // Only the type is kept: nothing else the page sends with it reaches the host.
    assert.deepEqual(parseWebviewMessage({ type: 'refitted', extra: 'x' }), { type: 'refitted' });
    assert.equal(parseWebviewMessage(null), undefined);
  });

  it('rejects host messages that are not results of the known version', () => {
    assert.equal(parseHostMessage({ type: 'result', result: { version: 2 } }), undefined);
    assert.equal(parseHostMessage({ type: 'config', animationSpeed: Number.NaN }), undefined);
    assert.equal(parseHostMessage({ type: 'focus', element: 'aws_vpc.app' })?.type, 'focus');
  });

  it("accepts a trace of a dual-stack subnet's IPv6 family and nothing else as a family", () => {
    assert.deepEqual(parseHostMessage({ type: 'trace', subnet: 'aws_subnet.a', family: 6 }), {
      type: 'trace',
      subnet: 'aws_subnet.a',
      family: 6,
    });
    assert.deepEqual(parseHostMessage({ type: 'trace', subnet: 'aws_subnet.a', extra: '<b>' }), { type: 'trace', subnet: 'aws_subnet.a' });
    for (const family of [4, '6', null, 6.5]) assert.equal(parseHostMessage({ type: 'trace', subnet: 'aws_subnet.a', family }), undefined);
    assert.equal(parseHostMessage({ type: 'trace', subnet: 7, family: 6 }), undefined);
  });

  it('finds the egress a trace message names: the IPv6 one only when asked for, or by its trace id', () => {
    const leg = (id: string) => ({
      id,
      direction: 'forward' as const,
      source: { element: 's', ip: '' },
      destination: { ip: '' },
      hops: [],
      outcome: { kind: 'delivered' as const },
      inspectedBy: [],
    });
    const v4 = { subnet: 'aws_subnet.a', vpc: 'aws_vpc.v', forward: leg('aws_subnet.a:forward') };
    const v6 = { subnet: 'aws_subnet.a', vpc: 'aws_vpc.v', family: 6 as const, forward: leg('aws_subnet.a:ipv6:forward') };
    // The IPv6 egress listed first still leaves the bare subnet id to the IPv4 one.
    const egress = [v6, v4];
    assert.equal(egressOfTrace(egress, 'aws_subnet.a'), v4);
    assert.equal(egressOfTrace(egress, 'aws_subnet.a', 6), v6);
    assert.equal(egressOfTrace(egress, 'aws_subnet.a:ipv6:forward'), v6);
    assert.equal(egressOfTrace([v4], 'aws_subnet.a', 6), undefined);
  });
});
