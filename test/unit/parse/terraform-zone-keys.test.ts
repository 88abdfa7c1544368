// Maps keyed by availability zones some of which are not named offline (zone placeholders): a lookup by a
// name the map does not hold as written may still hit an entry, so it is never a missing key (which try()
// would skip and can() would call false), and never a guessed entry.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTerraform } from '../../../src/parse/terraform';
import { azsDiffer } from '../../../src/model/az';
import { Unknown, type Value } from '../../../src/parse/terraform/values';
import { evalBoth } from './exprHelpers';

const AZ = (n: number, src = 'data.aws_availability_zones.a'): string => `<az ${n} of ${src}>`;
const placeholder = (name: string): Unknown => new Unknown(name, 'read from the provider', false, undefined, name);

const obj = (o: Record<string, Value>): Map<string, Value> => new Map(Object.entries(o));

/** A map as a `local`, its keys zone names or placeholders; values are the key's index. */
function mapOf(keys: string[]): Map<string, Value> {
  return new Map(keys.map((k, i) => [k, i]));
}

describe('terraform: maps keyed by zones not named offline', () => {
  before(async () => {
    await initTerraform();
  });

  it('a zone name against placeholder keys is not a missing key: try() and lookup() with a default stay Unknown', () => {
    const names = { local: { m: mapOf([AZ(1), AZ(2)]) } };
    assert.deepEqual(evalBoth('local.m["eu-west-1a"]', names), {
      unknown: 'which key of the map is the zone eu-west-1a is not known offline (its keys are zones read from the provider)',
    });
    assert.ok(!(evalBoth('try(local.m["eu-west-1a"], "fallback")', names) === 'fallback'));
    assert.deepEqual(evalBoth('can(local.m["eu-west-1a"])', names), {
      unknown: 'which key of the map is the zone eu-west-1a is not known offline (its keys are zones read from the provider)',
    });
    assert.ok(typeof evalBoth('lookup(local.m, "eu-west-1a", -1)', names) === 'object');
    assert.ok(typeof evalBoth('lookup(local.m, "eu-west-1a")', names) === 'object');
  });

  it('written keys stay exact: a present key is its entry, an absent one among names only is missing', () => {
    const names = { local: { m: mapOf(['eu-west-1a', 'eu-west-1b']), z: obj({ a: placeholder(AZ(1)) }) } };
    assert.equal(evalBoth('local.m["eu-west-1b"]', names), 1);
    assert.equal(evalBoth('try(local.m["eu-west-1c"], "fallback")', names), 'fallback');
    assert.equal(evalBoth('lookup(local.m, "eu-west-1c", -1)', names), -1);
    // A placeholder key against written names: may be either.
    assert.ok(typeof evalBoth('local.m[local.z.a]', names) === 'object');
    const own = {
      local: {
        m: mapOf([AZ(1), AZ(2)]),
        z: obj({ a: placeholder(AZ(2)), c: placeholder(AZ(3)), e: placeholder('<element 2 of data.x.ids>') }),
      },
    };
    assert.equal(evalBoth('local.m[local.z.a]', own), 1);
    // Another zone of the same source is none of them; a list element of another data source may be anything.
    assert.equal(evalBoth('try(local.m[local.z.c], "missing")', own), 'missing');
    assert.ok(typeof evalBoth('local.m[local.z.e]', own) === 'object');
    // One entry that may be it: where a missing key fails the run, that entry; in try() it may be the fallback.
    const one = { local: { m: mapOf(['x']), z: own.local.z } };
    assert.equal(evalBoth('local.m[local.z.e]', one), 0);
    assert.ok(typeof evalBoth('try(local.m[local.z.e], "missing")', one) === 'object');
  });

  it('property: a lookup is the entry of an equal key, missing only when every key is known to be another zone, else Unknown', () => {
    const pool = ['eu-west-1a', 'eu-west-1b', AZ(1), AZ(2), AZ(3), AZ(1, 'data.aws_availability_zones.b')];
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 5 }), fc.constantFrom(...pool), (keys, key) => {
        const names = { local: { m: mapOf(keys), k: obj({ v: key.startsWith('<') ? placeholder(key) : key }) } };
        const got = evalBoth('try(local.m[local.k.v], "missing")', names);
        const at = keys.indexOf(key);
        if (at >= 0) return assert.equal(got, at);
        if (keys.every((k) => azsDiffer(k, key))) return assert.equal(got, 'missing');
        assert.ok(typeof got === 'object' && got !== null && 'unknown' in got, `${key} in ${keys.join(', ')}: ${JSON.stringify(got)}`);
      }),
      { numRuns: 300 },
    );
  });
});
