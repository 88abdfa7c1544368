// The topology follows the editor: which element is defined under the cursor, on a real example.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { elementAt } from '../../../src/extension/mapping';
import type { NetworkModel } from '../../../src/model/types';

const EXAMPLE = path.join(__dirname, '../../../../examples/aws-distributed-egress-asymmetric');

describe('extension mapping: element under the cursor', () => {
  let model: NetworkModel;
  let lines: string[];
  const file = path.join(EXAMPLE, 'workload.tf');

  before(async () => {
    const ws = await createWorkspace();
    for (const f of fs.readdirSync(EXAMPLE).filter((n) => n.endsWith('.tf')))
      ws.setFile(path.join(EXAMPLE, f), fs.readFileSync(path.join(EXAMPLE, f), 'utf8'));
    model = ws.build().model;
    lines = fs.readFileSync(file, 'utf8').split('\n');
  });

  const lineOf = (text: string, after = 0) => lines.findIndex((l, i) => i >= after && l.includes(text));

  it('finds the resource whose block holds the cursor, inside nested blocks too', () => {
    const header = lineOf('resource "aws_route_table" "igw_edge"');
    const inRoute = lineOf('vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id', header);
    assert.equal(elementAt(model, file, { line: header, character: 3 }), 'aws_route_table.igw_edge');
    assert.equal(elementAt(model, file, { line: inRoute, character: 8 }), 'aws_route_table.igw_edge');
    const subnet = lineOf('resource "aws_subnet" "mgmt"');
    assert.equal(elementAt(model, file, { line: subnet + 1, character: 2 }), 'aws_subnet.mgmt');
  });

  it('finds nothing between blocks or in another file', () => {
    const header = lineOf('resource "aws_route_table" "igw_edge"');
    assert.equal(elementAt(model, file, { line: header - 1, character: 0 }), undefined);
    assert.equal(elementAt(model, path.join(EXAMPLE, 'nope.tf'), { line: header, character: 3 }), undefined);
  });
});
