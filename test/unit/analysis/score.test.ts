import * as assert from 'assert';
import { computeScore } from '../../../src/analysis/score';
import type { ProtectionState, VpcState } from '../../../src/analysis/types';

const st = (...s: ProtectionState[]): VpcState[] => s.map((state, i) => ({ vpc: `v${i}`, name: `v${i}`, state, reason: 'r' }));

describe('Egress Security Score', () => {
  it('round(100 * sum(w) / N) with the documented weights', () => {
    assert.strictEqual(computeScore(st('Protected')).score, 100);
    assert.strictEqual(computeScore(st('Partially Protected')).score, 50);
    assert.strictEqual(computeScore(st('Monitored')).score, 25);
    assert.strictEqual(computeScore(st('Unprotected')).score, 0);
    assert.strictEqual(computeScore(st('Protected', 'Monitored', 'Monitored', 'Unprotected', 'Protected')).score, 50);
    // 1.25 / 2 = 62.5 -> 63; 1.75 / 3 = 58.33 -> 58
    assert.strictEqual(computeScore(st('Protected', 'Monitored')).score, 63);
    assert.strictEqual(computeScore(st('Protected', 'Partially Protected', 'Monitored')).score, 58);
  });
  it('No Egress is not counted; Unknown is counted with weight 0 and reported', () => {
    const s = computeScore(st('Protected', 'No Egress', 'Unknown'));
    assert.strictEqual(s.score, 50);
    assert.strictEqual(s.counted, 2);
    assert.strictEqual(s.unknown, 1);
    assert.deepStrictEqual(s.byState, {
      Protected: 1,
      'Partially Protected': 0,
      Monitored: 0,
      Unprotected: 0,
      Unknown: 1,
      'No Egress': 1,
      Inspection: 0,
      'Egress hub': 0,
    });
    assert.match(s.formula, /round\(100 \* sum\(w\) \/ N\)/);
  });
  it('null when nothing has egress', () => {
    assert.strictEqual(computeScore(st('No Egress')).score, null);
    assert.strictEqual(computeScore([]).score, null);
    assert.strictEqual(computeScore([]).counted, 0);
  });
});

describe('score: what is left out (issue 13)', () => {
  const st1 = (state: ProtectionState, vpc: string = state) => ({ vpc, name: vpc, state, reason: 'r' });
  it('n/a when every counted VPC is Unknown; Inspection and No Egress are not counted', () => {
    const all = computeScore([st1('Unknown', 'a'), st1('Unknown', 'b'), st1('Inspection'), st1('No Egress')]);
    assert.equal(all.score, null);
    assert.equal(all.counted, 2);
    assert.equal(all.unknown, 2);
    const mixed = computeScore([st1('Unknown', 'a'), st1('Protected'), st1('Inspection')]);
    assert.equal(mixed.score, 50);
    assert.equal(mixed.counted, 2);
    assert.equal(mixed.byState.Inspection, 1);
  });

  it("an Egress hub (NAT/IGW only, carrying other VPCs' egress) is not counted either", () => {
    const s = computeScore([st1('Protected'), st1('Egress hub'), st1('Unprotected')]);
    assert.equal(s.counted, 2);
    assert.equal(s.score, 50);
    assert.equal(s.byState['Egress hub'], 1);
  });
});
