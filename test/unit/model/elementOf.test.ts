import * as assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import type { ElementOf, InternetGateway } from '../../../src/model/types';

describe('ElementOf', () => {
  it('narrows kinds shared by one interface (igw and eigw are both InternetGateway)', () => {
    const loc = { file: 'm.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const igw: InternetGateway = { id: 'aws_internet_gateway.a', kind: 'igw', name: 'a', loc, cloud: 'aws', vpc: 'aws_vpc.a' };
    const eigw: InternetGateway = { ...igw, id: 'aws_egress_only_internet_gateway.b', kind: 'eigw' };
    const index = new ModelIndex({ elements: [igw, eigw] });
    // Typed as InternetGateway[] (was never[]): reading .vpc must compile.
    const igws: ElementOf<'igw'>[] = index.ofKind('igw');
    assert.deepEqual(
      igws.map((g) => g.vpc),
      ['aws_vpc.a'],
    );
    assert.deepEqual(
      index.ofKind('eigw').map((g) => g.id),
      ['aws_egress_only_internet_gateway.b'],
    );
  });
});
