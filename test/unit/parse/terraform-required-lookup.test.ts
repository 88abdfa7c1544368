// A lookup that fails the run on a missing key (`m[k]`, `lookup(m, k)` without a default) constrains the worlds
// where the run succeeds: there, its key is one of the map's keys. Where that leaves one value, the lookup is
// that value: every entry the key may name holds the same one, or (in a resource's instances, a dynamic block's
// blocks) the keys every instance looks up are as many as the map's zone keys, and the provider sorts zone
// names. try(), can(), a default, a conditional's branch: the lookup need not succeed there, so nothing is decided.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { Unknown, type Value } from '../../../src/parse/terraform/values';
import type { NetworkElement } from '../../../src/model/types';
import { isUnresolved } from '../../../src/model/types';
import { evalBoth } from './exprHelpers';
import { ofKind } from './helpers';

const obj = (o: Record<string, Value>): Map<string, Value> => new Map(Object.entries(o));
const unknown = new Unknown('var.k', 'not known offline');

function build(text: string): NetworkElement[] {
  const idx = new TerraformIndex();
  idx.setFile('main.tf', text);
  return idx.build().flatMap((f) => f.elements);
}

/** Each subnet's CIDR by its address, `?` where it is not decided. */
function cidrs(els: NetworkElement[]): Record<string, string> {
  return Object.fromEntries(
    ofKind(els, 'subnet').map((s) => [s.address ?? s.id, typeof s.cidr === 'string' && !isUnresolved(s.cidr) ? s.cidr : '?']),
  );
}

describe('terraform: a lookup that must succeed', () => {
  before(async () => {
    await initTerraform();
  });

  it('an unknown key: the value every entry holds, when they all hold one; never inside try(), can(), with a default or in a branch', () => {
    const same = { local: { m: obj({ a: 'nat-1', b: 'nat-1' }) }, var: { k: unknown } };
    assert.equal(evalBoth('local.m[var.k]', same), 'nat-1');
    assert.equal(evalBoth('lookup(local.m, var.k)', same), 'nat-1');
    for (const lenient of ['try(local.m[var.k], "none")', 'lookup(local.m, var.k, "none")', 'var.k == "" ? "none" : local.m[var.k]'])
      assert.ok(typeof evalBoth(lenient, same) === 'object', lenient);
    assert.equal(evalBoth('can(local.m[var.k])', same) === true, false);
    const two = { local: { m: obj({ a: 'nat-1', b: 'nat-2' }) }, var: { k: unknown } };
    assert.ok(typeof evalBoth('local.m[var.k]', two) === 'object');
  });

  it('an unknown key known to hold some text: only the entries whose key holds it', () => {
    const names = (m: Record<string, Value>) => ({ local: { m: obj(m) }, var: { region: new Unknown('var.region', 'not known offline') } });
    assert.equal(evalBoth('local.m["${var.region}c"]', names({ 'eu-west-2a': 1, 'eu-west-2b': 2, 'eu-west-2c': 3 })), 3);
    // "us-east-1a" and "us-east-1b" both hold an "a": either may be it.
    assert.ok(typeof evalBoth('local.m["${var.region}a"]', names({ 'us-east-1a': 1, 'us-east-1b': 2 })) === 'object');
  });

  const ZONES = `
data "aws_availability_zones" "z" {
  state = "available"
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
`;

  it('count instances looking up their zone (from the provider) in a map keyed by as many written names: the names in sorted order', () => {
    const text = (names: string[], count: number): string =>
      ZONES +
      `
locals {
  cidr_by_zone = { ${names.map((n, i) => `"${n}" = "10.0.${i + 1}.0/24"`).join(', ')} }
}
resource "aws_subnet" "s" {
  count             = ${count}
  vpc_id            = aws_vpc.v.id
  availability_zone = data.aws_availability_zones.z.names[count.index]
  cidr_block        = local.cidr_by_zone[data.aws_availability_zones.z.names[count.index]]
}
`;
    // Written out of order: the provider's first name is the least of them.
    assert.deepEqual(cidrs(build(text(['eu-west-2b', 'eu-west-2a', 'eu-west-2c'], 3))), {
      'aws_subnet.s[0]': '10.0.2.0/24',
      'aws_subnet.s[1]': '10.0.1.0/24',
      'aws_subnet.s[2]': '10.0.3.0/24',
    });
    // Three zones in a map of four names: which three is not decided.
    assert.deepEqual(cidrs(build(text(['eu-west-2a', 'eu-west-2b', 'eu-west-2c', 'eu-west-2d'], 3))), {
      'aws_subnet.s[0]': '?',
      'aws_subnet.s[1]': '?',
      'aws_subnet.s[2]': '?',
    });
  });

  it('for_each instances looking up written names in a map keyed by as many zones from the provider: the zones in order; a name left out decides nothing', () => {
    const text = (keys: string[]): string =>
      ZONES +
      `
locals {
  zone_names = data.aws_availability_zones.z.names
  cidr_by_zone = {
    (local.zone_names[0]) = "10.0.1.0/24"
    (local.zone_names[1]) = "10.0.2.0/24"
  }
}
resource "aws_subnet" "s" {
  for_each          = toset([${keys.map((k) => `"${k}"`).join(', ')}])
  vpc_id            = aws_vpc.v.id
  availability_zone = each.key
  cidr_block        = local.cidr_by_zone[each.key]
}
`;
    assert.deepEqual(cidrs(build(text(['us-west-2b', 'us-west-2-lax-1a']))), {
      'aws_subnet.s["us-west-2-lax-1a"]': '10.0.1.0/24',
      'aws_subnet.s["us-west-2b"]': '10.0.2.0/24',
    });
    assert.deepEqual(cidrs(build(text(['us-west-2b']))), { 'aws_subnet.s["us-west-2b"]': '?' });
  });
});
