import { strict as assert } from 'node:assert';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { evaluate } from '../../../src/parse/terraform/evaluate';
import { RefVal, Unknown, type Value } from '../../../src/parse/terraform/values';
import { scopeOf } from './exprHelpers';

// Strings known in part: a bootstrap string whose endpoint ids are computed at apply time still says which
// settings it writes. The known runs around unknown pieces are kept (Unknown.parts), nothing is guessed.
describe('terraform: strings known in part', () => {
  const ids = new RefVal('aws_vpc_endpoint.out', ['id']);
  function ev(src: string): Value {
    const text = `x = ${src}\n`;
    const ast = fastParse(text);
    assert.ok(ast, `direct reader gave up on ${src}`);
    return evaluate(ast.topAttrs[0].expr, scopeOf(text, { local: { ep: ids, on: 'overlay:enable' } }));
  }
  const parts = (v: Value) => (v instanceof Unknown ? v.parts : `known: ${String(v)}`);

  it('a template keeps the text around an unknown interpolation', () => {
    assert.deepEqual(parts(ev('"a=${local.ep};b=${local.on}"')), ['a=', ';b=overlay:enable']);
    // A template that is one interpolation is the value itself (HCL), here the reference.
    assert.equal(ev('"${local.ep}"'), ids);
  });

  it('format() keeps its known verbs and text', () => {
    assert.deepEqual(parts(ev('format("%s,%s@%s", local.on, local.ep, "eth1")')), ['overlay:enable,', '@eth1']);
    // A verb that needs the value itself (a width) cannot be laid out: nothing is kept.
    assert.equal(parts(ev('format("%s,%9s", local.on, local.ep)')), undefined);
  });

  it('join() of a list of known length keeps known elements and separators', () => {
    assert.deepEqual(parts(ev('join(";", ["k=v", local.ep, "z=1"])')), ['k=v;', ';z=1']);
  });

  it('compact() keeps an unknown element that is known to hold text, so the list length is known', () => {
    assert.equal(ev('length(compact(["a", "x=${local.ep}", ""]))'), 2);
    assert.ok(ev('compact(["a", local.ep])') instanceof Unknown);
  });

  it('parts survive nesting: a bootstrap built from a map, format() and join()', () => {
    const v = ev('join(";", compact(concat([for k, v in { swap = "enable", cmds = format("%s,%s", local.on, local.ep) } : "${k}=${v}"])))');
    assert.ok(v instanceof Unknown);
    // Parts are not anchored: what the unknown piece starts with is not claimed to follow `cmds=`.
    assert.deepEqual(v.parts, ['cmds=', 'overlay:enable,', ';swap=enable']);
  });
});
