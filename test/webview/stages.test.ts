// The design stage that heads each narrated step (webview/stages.ts).
import * as assert from 'node:assert/strict';
import type { Hop } from '../../src/analysis/types';
import { stageName } from '../../webview/stages';

const hop = (kind: Hop['kind'], name: string, extra: Partial<Hop> = {}): Hop => ({
  index: 0,
  element: name,
  kind,
  name,
  note: '',
  ...extra,
});

describe('narration stages', () => {
  it('says on which side of the NAT a GWLB endpoint inspects, in each leg', () => {
    const before = [hop('subnet', 'app-a'), hop('gwlbe', 'gwlbe-a'), hop('natgw', 'nat-a'), hop('igw', 'igw'), hop('internet', 'internet')];
    assert.equal(stageName(before, 1, 'forward'), 'GWLB endpoint gwlbe-a, before NAT');
    assert.equal(stageName(before, 2, 'forward'), 'NAT gateway nat-a, after inspection');
    const after = [hop('subnet', 'app-a'), hop('natgw', 'nat-a'), hop('gwlbe', 'gwlbe-a'), hop('igw', 'igw'), hop('internet', 'internet')];
    assert.equal(stageName(after, 2, 'forward'), 'GWLB endpoint gwlbe-a, after NAT');
    const ret = [...after].reverse();
    assert.equal(stageName(ret, 2, 'return'), 'GWLB endpoint gwlbe-a, before un-NAT');
    assert.equal(stageName(ret, 0, 'return'), 'the internet replies');
    assert.equal(stageName(ret, 4, 'return'), 'back at subnet app-a');
  });

  it('names the source, the VPC edge and an AWS Network Firewall endpoint as the design does', () => {
    const hops = [
      hop('subnet', 'protected-a'),
      hop('gwlbe', 'fw-endpoint-a'),
      hop('firewall', 'egress', { enforcement: { kind: 'network-firewall', element: 'egress' } }),
      hop('gwlbe', 'fw-endpoint-a'),
      hop('igw', 'igw-main'),
    ];
    assert.equal(stageName(hops, 0, 'forward'), 'source subnet protected-a');
    assert.equal(stageName(hops, 1, 'forward'), 'firewall endpoint fw-endpoint-a');
    assert.equal(stageName(hops, 2, 'forward'), 'firewall egress (inspection)');
    assert.equal(stageName(hops, 4, 'forward'), 'internet gateway igw-main (VPC edge)');
  });
});
