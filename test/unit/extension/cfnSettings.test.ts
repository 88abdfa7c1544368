import * as assert from 'node:assert/strict';
import { cfnUserFromSettings } from '../../../src/extension/cfnSettings';

describe('extension: egressLens.cloudFormation.parameters and .region', () => {
  it('unset or empty: no values', () => {
    assert.deepEqual(cfnUserFromSettings(undefined, undefined), { problems: [] });
    assert.deepEqual(cfnUserFromSettings({}, ''), { problems: [] });
  });

  it('values of every scalar type as strings, and the region, named as settings', () => {
    assert.deepEqual(cfnUserFromSettings({ VpcCidr: '10.0.0.0/16', Count: 2, Nat: true }, ' eu-west-1 '), {
      values: {
        parameters: {
          VpcCidr: { value: '10.0.0.0/16', from: 'egressLens.cloudFormation.parameters' },
          Count: { value: '2', from: 'egressLens.cloudFormation.parameters' },
          Nat: { value: 'true', from: 'egressLens.cloudFormation.parameters' },
        },
        region: { value: 'eu-west-1', from: 'egressLens.cloudFormation.region' },
      },
      problems: [],
    });
  });

  it('what cannot be a value is left out, each said once', () => {
    const r = cfnUserFromSettings({ 'vpc-cidr': 'x', List: ['a'], Ok: 'y', __proto__x: 1 }, 'Ireland');
    assert.deepEqual(r.values, { parameters: { Ok: { value: 'y', from: 'egressLens.cloudFormation.parameters' } } });
    assert.equal(r.problems.length, 4);
    assert.match(r.problems[0], /"vpc-cidr" is not a parameter name/);
    assert.match(r.problems[1], /the value of List must be a string, number or boolean/);
    assert.match(r.problems[3], /"Ireland" is not an AWS region name/);
    assert.deepEqual(cfnUserFromSettings(['a'], undefined).problems, [
      'egressLens.cloudFormation.parameters must be an object of parameter names and values: ignored',
    ]);
  });
});
