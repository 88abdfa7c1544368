// An allow entry that takes every name (review s16 R12): `*`, a wildcard over a top-level domain or a public suffix
// registries sell names under; a wildcard over a registered domain, or a name without wildcard, is a destination.
import { strict as assert } from 'node:assert';
import { everyName } from '../../../src/parse/vocabulary/everyName';

describe('everyName: allow entries that let every name out', () => {
  it('`*`, `*.*`, and wildcards over a TLD or a public suffix take every name (under it)', () => {
    assert.equal(everyName('*'), 'every name');
    assert.equal(everyName('*.*'), 'every name');
    assert.equal(everyName('.com'), 'every name under .com');
    assert.equal(everyName('*.NET.'), 'every name under .net');
    assert.equal(everyName('*org'), 'every name under .org');
    assert.equal(everyName('.co.uk'), 'every name under .co.uk');
    assert.equal(everyName('*.com.au'), 'every name under .com.au');
  });

  it('a registered domain, one host, or a bare TLD without wildcard is a destination', () => {
    for (const d of ['.amazonaws.com', '*.github.com', 'example.com', 'com', '.example.co.uk', '*.s3.amazonaws.com', '.uk.com', '*.1.2'])
      assert.equal(everyName(d), undefined, d);
  });
});
