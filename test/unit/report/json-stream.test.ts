// The JSON report is written in chunks (issue 17 item 3: the report of a 50 MB AWS CLI export is longer
// than the longest string V8 holds). The chunks must join to exactly what one JSON.stringify gives.
import * as assert from 'node:assert/strict';
import type { AnalysisResult } from '../../../src/analysis/types';
import { toJson, toJsonChunks, toJsonDocument } from '../../../src/report';
import { loadResultFixture } from './helpers';

const whole = (r: AnalysisResult, omitTiming = false): string => JSON.stringify(toJsonDocument(r, { omitTiming }), null, 2) + '\n';
const loc = (file: string, line: number) => ({ file, range: { start: { line, character: 2 }, end: { line: line + 1, character: 0 } } });

describe('report: JSON written in chunks', () => {
  it('is byte-identical to one JSON.stringify of the document, with and without timing', () => {
    const result = loadResultFixture('asymmetric-result.json');
    assert.equal(toJson(result), whole(result));
    assert.equal(toJson(result, { omitTiming: true }), whole(result, true));
  });

  it('keeps JSON.stringify rules at every depth: undefined left out of objects and null in arrays, empty containers, escapes', () => {
    const base = loadResultFixture('asymmetric-result.json');
    const odd = {
      ...base,
      summary: { ...base.summary, extra: undefined, fn: () => 1, nan: NaN, inf: -Infinity, empty: {}, none: [] },
      simulations: [undefined, [], {}, { a: [[], [{}], 'x\ny "q" \u2028 \u001b'] }] as never,
      states: [],
      egress: [
        { subnet: 'b', hole: undefined },
        { subnet: 'a', nested: { deeper: { deepest: [1, [2, [3]]] } } },
      ] as never,
      model: {
        elements: [
          ...base.model.elements,
          { id: 'zz', kind: 'x', name: undefined, loc: loc('a.tf', 3), attrs: { r: loc('b.tf', 0).range, list: [loc('c.tf', 9)] } },
          // eslint-disable-next-line no-sparse-arrays
          { id: 'zy', tags: {}, list: [], sparse: [1, , 3] },
        ] as never,
      },
    } as unknown as AnalysisResult;
    assert.equal(toJson(odd), whole(odd));
    assert.doesNotThrow(() => JSON.parse(toJson(odd)));
  });

  it('never builds the whole text: a report of many megabytes comes in chunks of about a megabyte', () => {
    const base = loadResultFixture('asymmetric-result.json');
    const elements = [];
    for (let i = 0; i < 40_000; i++)
      elements.push({ id: `rtb-${String(i).padStart(8, '0')}`, kind: 'route-table', loc: loc('describe-route-tables.json', i) });
    const big = { ...base, model: { elements } } as unknown as AnalysisResult;
    const chunks = [...toJsonChunks(big)];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    assert.ok(total > 8_000_000, `report of ${total} characters`);
    assert.ok(chunks.length > 5, `${chunks.length} chunks`);
    assert.ok(Math.max(...chunks.map((c) => c.length)) < 2 * 1024 * 1024, 'no chunk holds the report');
    assert.equal(chunks.join(''), whole(big));
  });
});
