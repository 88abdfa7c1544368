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

  it('compact() over an element that may be empty keeps the known elements: join() still knows their text', () => {
    // Terraform drops "" and null: var.u (not known) may be either, so the length is not known, but "a:enable" is there.
    const l = ev('compact(["a:enable", "", var.u, null])');
    assert.ok(l instanceof Unknown);
    assert.equal(l.parts, undefined, 'a list is no string');
    assert.ok(ev('length(compact(["a:enable", var.u]))') instanceof Unknown);
    assert.deepEqual(parts(ev('join(",", compact(["a:enable", var.u]))')), ['a:enable']);
    // A separator is known only where a known element follows or precedes: "a,c" or "a,x,c".
    assert.deepEqual(parts(ev('join(",", compact(["a", var.u, "c"]))')), ['a,', 'c']);
    assert.deepEqual(parts(ev('join(",", compact([var.u, "a", var.v, var.w]))')), ['a']);
    // What the string ends with is not known after an element that may be there.
    const tail = ev('join(",", compact(["a", var.u]))');
    assert.ok(tail instanceof Unknown && tail.suffix === undefined);
    assert.equal((ev('join(",", compact([var.u, "a/32"]))') as Unknown).suffix, 'a/32');
    // An apply-time value may be empty too; an element known to hold text is certainly there.
    assert.deepEqual(parts(ev('join(";", compact([local.ep, "x=${local.ep}", "z"]))')), ['x=', ';z']);
    // Nothing known: no text is claimed.
    assert.equal(parts(ev('join(",", compact([var.u, ""]))')), undefined);
  });

  it('lists known in part pass through concat(), flatten(), compact(), tolist() and coalescelist()', () => {
    assert.deepEqual(parts(ev('join(",", concat(compact(["a", var.u]), ["z"]))')), ['a,', 'z']);
    assert.deepEqual(parts(ev('join(",", flatten([["y"], compact(["a", var.u])]))')), ['y,a']);
    assert.deepEqual(parts(ev('join(",", compact(concat(compact(["a", var.u]), ["", "b"])))')), ['a,', 'b']);
    assert.deepEqual(parts(ev('join(",", tolist(compact(["a", var.u])))')), ['a']);
    assert.deepEqual(parts(ev('join(",", coalescelist(compact(["a", var.u]), ["b"]))')), ['a']);
    // A list that may be empty is no choice for coalescelist(); one not known at all stays so.
    assert.equal(parts(ev('join(",", coalescelist(compact([var.u]), ["b"]))')), undefined);
    assert.equal(parts(ev('join(",", concat(var.l, compact(["a", var.u])))')), undefined);
    // flatten() of a list known in part with an element that may be a list itself: not known.
    assert.equal(parts(ev('join(",", flatten([compact(["a", var.u]), var.l]))')), undefined);
    // A string known in part is one element of flatten(), not a list.
    assert.deepEqual(parts(ev('join(";", flatten(["a", ["x=${local.ep}"]]))')), ['a;', 'x=']);
  });

  it("the VM-Series' plugin-op-commands built with compact() over endpoint associations that may be absent", () => {
    // The shape of Palo Alto's examples: the written commands, then per-direction endpoint associations or null.
    const v = ev(
      'join(",", compact([local.on, try(var.assoc["vmseries01"], null), try(join(",", compact([format("aws-gwlb-associate-vpce:%s@ethernet1/1.10", local.ep)])), null)]))',
    );
    assert.ok(v instanceof Unknown);
    assert.ok(v.parts?.includes('overlay:enable'), String(v.parts));
  });

  it('parts survive nesting: a bootstrap built from a map, format() and join()', () => {
    const v = ev('join(";", compact(concat([for k, v in { swap = "enable", cmds = format("%s,%s", local.on, local.ep) } : "${k}=${v}"])))');
    assert.ok(v instanceof Unknown);
    // Parts are not anchored: what the unknown piece starts with is not claimed to follow `cmds=`.
    assert.deepEqual(v.parts, ['cmds=', 'overlay:enable,', ';swap=enable']);
  });
});
