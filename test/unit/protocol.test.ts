import * as assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage } from '../../src/protocol';

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
});
