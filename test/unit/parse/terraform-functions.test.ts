// Terraform's built-in functions as the static evaluator computes them, with the examples of
// Terraform's documentation (both readers), and how each behaves on unknown arguments: an
// unknown argument gives an unknown result, never a failure.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { Unknown, type Value } from '../../../src/parse/terraform/values';
import { callFunction } from '../../../src/parse/terraform/functions';
import { evalBoth, scopeOf, viaTreeSitter } from './exprHelpers';
import { evaluate } from '../../../src/parse/terraform/evaluate';

const U = { unknown: true };

/** Plain value, with any unknown folded to `{ unknown: true }` (and failed ones to `{ failed: true }`). */
function ev(src: string, names: Record<string, Record<string, Value>> = {}): unknown {
  const fold = (v: unknown): unknown => {
    if (v && typeof v === 'object' && 'unknown' in v) return U;
    if (Array.isArray(v)) return v.map(fold);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fold(x)]));
    return v;
  };
  return fold(evalBoth(src, names));
}

/** Whether the expression fails as Terraform would reject it (what try() skips). */
function fails(src: string, names: Record<string, Record<string, Value>> = {}): boolean {
  return ev(`can(${src})`, names) === false;
}

const unknown = new Unknown('var.x', 'not known offline');
const NAMES = { var: { u: unknown, list: ['a', 'b'], m: new Map<string, Value>([['a', 1]]) } };

describe('terraform functions (documented examples, both readers)', () => {
  before(async () => {
    await initTerraform();
  });

  it('regex and regexall (RE2 syntax: named groups, captures)', () => {
    assert.equal(ev('regex("[a-z]+", "53453453.345345aaabbbccc23454")'), 'aaabbbccc');
    assert.deepEqual(ev(String.raw`regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`), ['2019', '02', '01']);
    assert.deepEqual(ev('regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")'), {
      scheme: 'https',
      authority: 'terraform.io',
    });
    assert.ok(fails('regex("[a-z]+", "53453453.34534523454")'));
    assert.deepEqual(ev('regexall("[a-z]+", "1234abcd5678efgh9")'), ['abcd', 'efgh']);
    assert.equal(ev('length(regexall("[a-z]+", "1234abcd5678efgh9"))'), 2);
    assert.equal(ev('length(regexall("[a-z]+", "123456789")) > 0'), false);
    assert.equal(ev('regex("(?i)ABC", "xabcx")'), 'abc');
    // Syntax whose meaning differs between RE2 and JavaScript is not guessed.
    assert.deepEqual(ev(String.raw`regex("\\pL+", "abc")`), U);
  });

  it('replace, with a substring and with a regular expression', () => {
    assert.equal(ev('replace("1 + 2 + 3", "+", "-")'), '1 - 2 - 3');
    assert.equal(ev('replace("hello world", "/w.*d/", "everybody")'), 'hello everybody');
    assert.equal(ev('replace("subnet-a-1", "/(\\\\w+)-(\\\\w)-(\\\\d)/", "$3-$2-$${1}")'), '1-a-subnet');
  });

  it('format and formatlist', () => {
    assert.equal(ev('format("Hello, %s!", "Ander")'), 'Hello, Ander!');
    assert.equal(ev('format("There are %d lights", 4)'), 'There are 4 lights');
    assert.equal(ev('format("%s-%02d", "az", 3)'), 'az-03');
    assert.equal(ev('format("%-5s|%5s|", "a", "b")'), 'a    |    b|');
    assert.equal(ev('format("%.2f %x %X %o %b %t %q", 3.14159, 255, 255, 8, 5, true, "x")'), '3.14 ff FF 10 101 true "x"');
    assert.equal(ev('format("%v", [1, "a"])'), '[1,"a"]');
    assert.equal(ev('format("100%%")'), '100%');
    assert.deepEqual(ev('formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])'), [
      'Hello, Valentina!',
      'Hello, Ander!',
      'Hello, Olivia!',
      'Hello, Sam!',
    ]);
    assert.deepEqual(ev('formatlist("%s, %s!", "Salutations", ["Valentina", "Ander", "Olivia", "Sam"])'), [
      'Salutations, Valentina!',
      'Salutations, Ander!',
      'Salutations, Olivia!',
      'Salutations, Sam!',
    ]);
    assert.ok(fails('format("%d", "x")'));
  });

  it('string functions: join, split, lower, upper, trimprefix, trimsuffix, trimspace, substr', () => {
    assert.equal(ev('join("-", ["foo", "bar", "baz"])'), 'foo-bar-baz');
    assert.equal(ev('join(", ", ["foo"])'), 'foo');
    assert.deepEqual(ev('split(",", "foo,bar,baz")'), ['foo', 'bar', 'baz']);
    assert.deepEqual(ev('split(",", "foo")'), ['foo']);
    assert.deepEqual(ev('split(",", "")'), ['']);
    assert.equal(ev('lower("HELLO")'), 'hello');
    assert.equal(ev('upper("hello")'), 'HELLO');
    assert.equal(ev('trimprefix("helloworld", "hello")'), 'world');
    assert.equal(ev('trimprefix("helloworld", "cat")'), 'helloworld');
    assert.equal(ev('trimsuffix("helloworld", "world")'), 'hello');
    assert.equal(ev(String.raw`trimspace("  hello\n\n")`), 'hello');
    assert.equal(ev('substr("hello world", 1, 4)'), 'ello');
    assert.equal(ev('substr("🤔🤷", 0, 1)'.replace(/🤔🤷/, 'ab')), 'a');
    assert.equal(ev('substr("hello world", -5, -1)'), 'world');
    assert.equal(ev('substr("hello world", 6, 10)'), 'world');
  });

  it('coalesce, coalescelist, compact, concat, contains, distinct', () => {
    assert.equal(ev('coalesce("a", "b")'), 'a');
    assert.equal(ev('coalesce("", "b")'), 'b');
    assert.equal(ev('coalesce(1, 2)'), 1);
    assert.deepEqual(ev('coalescelist(["a", "b"], ["c", "d"])'), ['a', 'b']);
    assert.deepEqual(ev('coalescelist([], ["c", "d"])'), ['c', 'd']);
    assert.deepEqual(ev('compact(["a", "", "b", null, "c"])'), ['a', 'b', 'c']);
    assert.deepEqual(ev('concat(["a", ""], ["b", "c"])'), ['a', '', 'b', 'c']);
    assert.equal(ev('contains(["a", "b", "c"], "a")'), true);
    assert.equal(ev('contains(["a", "b", "c"], "d")'), false);
    assert.deepEqual(ev('distinct(["a", "b", "a", "c", "d", "b"])'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ev('distinct([{a = 1}, {a = 1}, [1], [1], 1, "1"])'), [{ a: 1 }, [1], 1, '1']);
  });

  it('element, flatten, index, keys, values, length, lookup, merge', () => {
    assert.equal(ev('element(["a", "b", "c"], 1)'), 'b');
    assert.equal(ev('element(["a", "b", "c"], 3)'), 'a');
    assert.equal(ev('element(["a", "b", "c"], length(["a", "b", "c"])-1)'), 'c');
    assert.deepEqual(ev('flatten([["a", "b"], [], ["c"]])'), ['a', 'b', 'c']);
    assert.deepEqual(ev('flatten([[["a", "b"], []], ["c"]])'), ['a', 'b', 'c']);
    assert.equal(ev('index(["a", "b", "c"], "b")'), 1);
    assert.ok(fails('index(["a"], "z")'));
    assert.deepEqual(ev('keys({a=1, c=2, d=3})'), ['a', 'c', 'd']);
    assert.deepEqual(ev('values({a=3, c=2, d=1})'), [3, 2, 1]);
    assert.equal(ev('length([])'), 0);
    assert.equal(ev('length(["a", "b"])'), 2);
    assert.equal(ev('length({"a" = "b"})'), 1);
    assert.equal(ev('length("hello")'), 5);
    assert.equal(ev('lookup({a="ay", b="bee"}, "a", "what?")'), 'ay');
    assert.equal(ev('lookup({a="ay", b="bee"}, "c", "what?")'), 'what?');
    assert.deepEqual(ev('merge({a="b", c="d"}, {e="f", c="z"})'), { a: 'b', c: 'z', e: 'f' });
    assert.deepEqual(ev('merge({a="b"}, {a=[1,2], c="z"}, {d=3})'), { a: [1, 2], c: 'z', d: 3 });
  });

  it('range, reverse, slice, sort, one, sum, min, max', () => {
    assert.deepEqual(ev('range(3)'), [0, 1, 2]);
    assert.deepEqual(ev('range(1, 4)'), [1, 2, 3]);
    assert.deepEqual(ev('range(1, 8, 2)'), [1, 3, 5, 7]);
    assert.deepEqual(ev('range(1, 4, 0.5)'), [1, 1.5, 2, 2.5, 3, 3.5]);
    assert.deepEqual(ev('range(4, 1)'), [4, 3, 2]);
    assert.deepEqual(ev('range(10, 5, -2)'), [10, 8, 6]);
    assert.deepEqual(ev('reverse([1, 2, 3])'), [3, 2, 1]);
    assert.deepEqual(ev('slice(["a", "b", "c", "d"], 1, 3)'), ['b', 'c']);
    assert.ok(fails('slice(["a"], 0, 3)'));
    assert.deepEqual(ev('sort(["e", "d", "a", "x"])'), ['a', 'd', 'e', 'x']);
    assert.equal(ev('one([])'), null);
    assert.equal(ev('one(["hello"])'), 'hello');
    assert.ok(fails('one(["hello", "goodbye"])'));
    assert.equal(ev('sum([10, 13, 6, 4.5])'), 33.5);
    assert.equal(ev('max(12, 54, 3)'), 54);
    assert.equal(ev('max([12, 54, 3]...)'), 54);
    assert.equal(ev('min(12, 54, 3)'), 3);
  });

  it('chunklist: fixed-size chunks, the last shorter; size 0 is one chunk; a negative size fails', () => {
    assert.deepEqual(ev('chunklist(["a", "b", "c", "d", "e"], 2)'), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(ev('chunklist(["a", "b", "c", "d", "e"], 1)'), [['a'], ['b'], ['c'], ['d'], ['e']]);
    assert.deepEqual(ev('chunklist(["a", "b", "c"], 0)'), [['a', 'b', 'c']]);
    assert.deepEqual(ev('chunklist([], 3)'), []);
    // A firewall module's way of spreading instances over zones: the zone numbers of 2 instances over 2 zones.
    assert.deepEqual(ev('chunklist(sort(flatten(chunklist(setproduct(range(2), range(1, 3)), 2)[0])), 2)[1]'), ['1', '2']);
    assert.equal(fails('chunklist(["a"], -1)'), true);
    assert.deepEqual(ev('chunklist(var.u, 2)', NAMES), U);
    assert.deepEqual(ev('chunklist(["a"], var.u)', NAMES), U);
  });

  it('sets: toset, setproduct, setunion, setintersection (hash-based, in Terraform iteration order)', () => {
    assert.deepEqual(ev('toset(["a", "b", "c"])'), ['a', 'b', 'c']);
    assert.deepEqual(ev('toset(["c", "b", "b"])'), ['b', 'c']);
    assert.deepEqual(ev('toset(["a", "b", 3])'), ['3', 'a', 'b']);
    assert.deepEqual(ev('setproduct(["development", "staging", "production"], ["app1", "app2"])'), [
      ['development', 'app1'],
      ['development', 'app2'],
      ['staging', 'app1'],
      ['staging', 'app2'],
      ['production', 'app1'],
      ['production', 'app2'],
    ]);
    assert.deepEqual(ev('setunion(["a", "b"], ["b", "c"], ["d"])'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ev('setintersection(["a", "b"], ["b", "c"], ["b", "d"])'), ['b']);
    assert.deepEqual(ev('setsubtract(["c", "a", "b", "a"], ["b", "d"])'), ['a', 'c']);
    assert.deepEqual(ev('setsubtract(var.u, ["a"])', NAMES), U);
    assert.deepEqual(ev('setsubtract(["a"], var.u)', NAMES), U);
    // Hash-based: 20,000 distinct values are linear work (pairwise comparison would take seconds).
    const many: Value[] = Array.from({ length: 20_000 }, (_, i) => `s${i}`);
    const t = Date.now();
    for (const fn of ['distinct', 'toset']) assert.equal((callFunction(fn, [[...many, ...many]], 'x') as Value[]).length, 20_000);
    assert.equal((callFunction('setunion', [many, many], 'x') as Value[]).length, 20_000);
    assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
  });

  it('type conversions: tolist, tomap, tonumber, tostring, tobool', () => {
    assert.deepEqual(ev('tolist(["a", "b", "c"])'), ['a', 'b', 'c']);
    assert.deepEqual(ev('tomap({"a" = 1, "b" = 2})'), { a: 1, b: 2 });
    assert.equal(ev('tonumber("1")'), 1);
    assert.equal(ev('tonumber(1)'), 1);
    assert.equal(ev('tonumber(null)'), null);
    assert.ok(fails('tonumber("no")'));
    assert.equal(ev('tostring("hello")'), 'hello');
    assert.equal(ev('tostring(1)'), '1');
    assert.equal(ev('tostring(true)'), 'true');
    assert.equal(ev('tostring(null)'), null);
    assert.ok(fails('tostring([])'));
  });

  it("Terraform 0.12's list() and map(): a list of the arguments, a map of key/value pairs", () => {
    assert.deepEqual(ev('list("a", "b", "c")'), ['a', 'b', 'c']);
    assert.deepEqual(ev('list()'), []);
    assert.equal(ev('join("", list("bucket=", "my-bucket"))'), 'bucket=my-bucket');
    assert.deepEqual(ev('list("a", var.u)', NAMES), ['a', U]);
    assert.deepEqual(ev('map("a", "1", "b", "2")'), { a: '1', b: '2' });
    assert.equal(ev('lookup(map("az1", "10.0.1.0/24", "az2", "10.0.2.0/24"), "az2")'), '10.0.2.0/24');
    assert.deepEqual(ev('keys(map("b", 1, "a", 2))'), ['a', 'b']);
    // Terraform rejects an odd count, no pair at all and a repeated key.
    assert.ok(fails('map("a", 1, "b")'));
    assert.ok(fails('map()'));
    assert.ok(fails('map("a", 1, "a", 2)'));
    assert.ok(fails('map(null, 1)'));
    // An unknown key leaves the map unknown, not failed.
    assert.deepEqual(ev('map(var.u, 1)', NAMES), U);
    assert.equal(fails('map(var.u, 1)', NAMES), false);
  });

  it('zipmap, jsondecode, jsonencode, yamldecode', () => {
    assert.deepEqual(ev('zipmap(["a", "b"], [1, 2])'), { a: 1, b: 2 });
    assert.deepEqual(ev(String.raw`jsondecode("{\"hello\": \"world\"}")`), { hello: 'world' });
    assert.equal(ev('jsondecode("true")'), true);
    assert.equal(ev('jsonencode({"hello"="world"})'), '{"hello":"world"}');
    assert.equal(ev('jsonencode({b = [1, true, null], a = "<&>"})'), '{"a":"\\u003c\\u0026\\u003e","b":[1,true,null]}');
    assert.deepEqual(ev('yamldecode("hello: world")'), { hello: 'world' });
    assert.equal(ev('yamldecode("true")'), true);
    assert.deepEqual(ev('yamldecode("{a: &foo [1, 2, 3], b: *foo}")'), { a: [1, 2, 3], b: [1, 2, 3] });
    assert.ok(fails('jsondecode("{")'));
  });

  it('base64encode and base64decode (UTF-8, standard alphabet, padding required), as Terraform', () => {
    assert.equal(ev('base64encode("Hello World")'), 'SGVsbG8gV29ybGQ=');
    assert.equal(ev('base64decode("SGVsbG8gV29ybGQ=")'), 'Hello World');
    assert.equal(ev('base64encode("é")'), 'w6k=');
    assert.equal(ev('base64decode(base64encode("iptables -A FORWARD -j DROP\\n<&>"))'), 'iptables -A FORWARD -j DROP\n<&>');
    assert.ok(fails('base64decode("SGVsbG8")'), 'no padding');
    assert.ok(fails('base64decode("SGVs bG8=")'), 'a character outside the alphabet');
    assert.ok(fails('base64decode("/w==")'), 'not UTF-8');
    assert.deepEqual(ev('base64encode(var.u)', NAMES), U);
    assert.equal(fails('base64decode(var.u)', NAMES), false);
  });

  it('jsonencode of a string known in part keeps the known JSON around it and its known runs, escaped', () => {
    const src = '"echo \'${base64encode("ip_forward=1")}\' | base64 -d > /tmp/a.sh && sh /tmp/a.sh ${var.u}"';
    const cmd = evaluate(viaTreeSitter(`x = ${src}\n`), scopeOf(`x = ${src}\n`, NAMES));
    assert.ok(cmd instanceof Unknown);
    const v = callFunction(
      'jsonencode',
      [
        new Map<string, Value>([
          ['commandToExecute', cmd],
          ['n', 1],
        ]),
      ],
      'jsonencode(...)',
    );
    assert.ok(v instanceof Unknown && !v.failed);
    assert.deepEqual(v.parts, [
      '{"commandToExecute":"',
      "echo 'aXBfZm9yd2FyZD0x' | base64 -d \\u003e /tmp/a.sh \\u0026\\u0026 sh /tmp/a.sh ",
      '","n":1}',
    ]);
    // A value of no known part is a gap; a failed one fails the whole, as before.
    const gap = callFunction('jsonencode', [[unknown, 'a"b']], 'jsonencode(...)');
    assert.ok(gap instanceof Unknown);
    assert.deepEqual(gap.parts, ['[', ',"a\\"b"]']);
    const bad = callFunction('jsonencode', [[new Unknown('x', 'rejected', true)]], 'jsonencode(...)');
    assert.ok(bad instanceof Unknown && bad.failed);
  });

  it('splats: [*] applies what follows to each element, .* only attributes (an index ends it)', () => {
    const L = '[{id = "x", a = [1, 2]}, {id = "y", a = [3, 4]}]';
    assert.deepEqual(ev(`${L}[*].a[0]`), [1, 3]);
    assert.deepEqual(ev(`${L}.*.a[0]`), [1, 2]);
    assert.equal(ev(`${L}.*.id[0]`), 'x');
    assert.equal(ev(`${L}.*.id[1]`), 'y');
    assert.deepEqual(ev(`${L}.*.id`), ['x', 'y']);
    assert.equal(ev(`length(${L}.*.a[1])`), 2);
  });

  it('transpose: each value becomes a key holding the keys that listed it, in key order', () => {
    assert.deepEqual(ev('transpose({"a" = ["1", "2"], "b" = ["2", "3"]})'), { '1': ['a'], '2': ['a', 'b'], '3': ['b'] });
    assert.deepEqual(ev('transpose({b = ["x"], a = ["x"]})'), { x: ['a', 'b'] });
    // A subnet-to-VPC map built from a VPC-to-subnets map (zipmap over keys and values of the transpose).
    assert.deepEqual(
      ev(
        'zipmap(keys(transpose({dmz = ["app", "vpn"], public = ["api"]})), flatten(values(transpose({dmz = ["app", "vpn"], public = ["api"]}))))',
      ),
      { api: 'public', app: 'dmz', vpn: 'dmz' },
    );
    assert.deepEqual(ev('transpose({})'), {});
    assert.ok(fails('transpose(["a"])'));
  });

  it('cidrhost, cidrnetmask, cidrsubnet, cidrsubnets', () => {
    assert.equal(ev('cidrhost("10.12.112.0/20", 16)'), '10.12.112.16');
    assert.equal(ev('cidrhost("10.12.112.0/20", 268)'), '10.12.113.12');
    assert.equal(ev('cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)'), 'fd00:fd12:3456:7890::22');
    assert.equal(ev('cidrhost("10.0.0.0/24", -1)'), '10.0.0.255');
    assert.equal(ev('cidrnetmask("172.16.0.0/12")'), '255.240.0.0');
    assert.equal(ev('cidrsubnet("172.16.0.0/12", 4, 2)'), '172.18.0.0/16');
    assert.equal(ev('cidrsubnet("10.1.2.0/24", 4, 15)'), '10.1.2.240/28');
    assert.equal(ev('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)'), 'fd00:fd12:3456:7800:a200::/72');
    assert.deepEqual(ev('cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)'), ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    assert.deepEqual(ev('cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)'), [
      'fd00:fd12:3456:7800::/72',
      'fd00:fd12:3456:7800:100::/72',
      'fd00:fd12:3456:7800:200::/72',
      'fd00:fd12:3456:7800:300::/88',
    ]);
    assert.ok(fails('cidrsubnet("10.0.0.0/24", 4, 16)'));
    assert.ok(fails('cidrhost("10.0.0.0/24", 256)'));
  });

  it('try and can: failures are skipped, unknown values stay unknown (as Terraform)', () => {
    assert.equal(ev('try({a = 1}.b, "fallback")'), 'fallback');
    assert.equal(ev('try(["x"][3], ["y"][0])'), 'y');
    assert.equal(ev('try(tonumber("x"), 2)'), 2);
    assert.equal(ev('try({a = 1}.a, 2)'), 1);
    assert.equal(ev('can(regex("^[a-z]+$", "abc"))'), true);
    assert.equal(ev('can(regex("^[a-z]+$", "123"))'), false);
    assert.equal(ev('can({a = 1}.b)'), false);
    assert.equal(ev('can(cidrhost("10.0.0.0/24", 300))'), false);
    // An unknown value might still fail once known: try and can cannot decide.
    assert.deepEqual(ev('try(var.u, "fallback")', NAMES), U);
    assert.deepEqual(ev('can(var.u)', NAMES), U);
    assert.deepEqual(ev('try({a = 1}.b, var.u, "z")', NAMES), U);
    assert.equal(ev('try(var.list[5], var.list[1])', NAMES), 'b');
  });

  it('an unknown argument gives an unknown result, never a failure', () => {
    for (const call of [
      'regex("a", var.u)',
      'regexall(var.u, "a")',
      'replace(var.u, "a", "b")',
      'format("%s", var.u)',
      'formatlist("%s", var.u)',
      'join(",", var.u)',
      'join(",", ["a", var.u])',
      'split(",", var.u)',
      'lower(var.u)',
      'trimprefix(var.u, "a")',
      'substr(var.u, 0, 1)',
      'coalesce(var.u, "a")',
      'coalescelist(var.u, ["a"])',
      'compact(["a", var.u])',
      'concat(var.u, ["a"])',
      'contains(["a", var.u], "b")',
      'distinct(["a", var.u])',
      'element(var.u, 0)',
      'flatten([var.u])',
      'index(var.u, "a")',
      'keys(var.u)',
      'length(var.u)',
      'lookup(var.u, "a", 1)',
      'merge(var.m, var.u)',
      'range(var.u)',
      'reverse(var.u)',
      'setproduct(var.u, ["a"])',
      'setunion(var.u, ["a"])',
      'setintersection(["a"], var.u)',
      'slice(var.u, 0, 1)',
      'chunklist(var.u, 2)',
      'sort(["a", var.u])',
      'toset(["a", var.u])',
      'tonumber(var.u)',
      'zipmap(var.u, [1])',
      'transpose(var.u)',
      'transpose({a = [var.u]})',
      'one(var.u)',
      'sum([1, var.u])',
      'max(1, var.u)',
      'jsonencode({a = var.u})',
      'jsondecode(var.u)',
      'yamldecode(var.u)',
      'cidrhost(var.u, 1)',
      'cidrnetmask(var.u)',
      'cidrsubnet("10.0.0.0/16", 8, var.u)',
      'cidrsubnets(var.u, 4, 4)',
    ]) {
      const text = `x = ${call}\n`;
      assert.deepEqual(ev(call, NAMES), U, call);
      assert.equal(ev(`can(${call})`, NAMES) === false, false, `${call} must not fail (${text})`);
    }
    // Known elements decide what they can.
    assert.equal(ev('contains(["a", var.u], "a")', NAMES), true);
    assert.equal(ev('length(["a", var.u])', NAMES), 2);
    assert.equal(ev('element(["a", var.u], 0)', NAMES), 'a');
  });
});
