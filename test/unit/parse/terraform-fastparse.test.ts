// The direct HCL reader (fastparse.ts) against the tree-sitter reader (ast.ts): whenever the
// direct reader accepts a file, its syntax must be exactly what tree-sitter's gives (same shapes,
// spans, values, duplicates, and no syntax error on tree-sitter's side).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTerraform } from '../../../src/parse/terraform';
import { terraformParser } from '../../../src/parse/terraform/wasm';
import { convertTree, type FileAst } from '../../../src/parse/terraform/ast';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { generateEstate } from '../../../src/bench/generate';
import { exampleFiles, mutate, mutationArb } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

function viaTreeSitter(text: string): FileAst {
  const parser = terraformParser();
  if (!parser) throw new Error('parser not initialised');
  const tree = parser.parse(text);
  if (!tree) throw new Error('no tree');
  try {
    return convertTree(tree.rootNode, text);
  } finally {
    tree.delete();
  }
}

/** 'fast' when the direct reader took the file (and agreed), 'fallback' when it left it to tree-sitter. */
function agree(text: string): 'fast' | 'fallback' {
  const fast = fastParse(text);
  if (!fast) return 'fallback';
  assert.deepStrictEqual(fast, viaTreeSitter(text), `readers disagree on:\n${text}`);
  return 'fast';
}

/** Snippets around the grammar's corners (each a whole file). */
const SNIPPETS = [
  '',
  '# only a comment\n',
  'a = 1\nb = "x"\n',
  'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n  tags = { Name = "main", "k" = 1 }\n}\n',
  'x = " a  b "\ny = "${a} ${b}"\nz = "  ${a}-x  "\nw = "a${b}c"\n',
  'x = "\\n\\t\\"\\\\ \\u00e9 \\U0001F600"\ny = "$${x} %%{y} $ % $$ %% $x"\n',
  'resource "a${b}" "c d" { }\n',
  'x = "multi\nline ${v} \n end"\n',
  'x = "é ü 😀 ${a}"\n',
  'x = a.b.c[0]["k"].d\ny = a[*].b.c[1]\nz = a.*.b\nw = f(a)[0].b[*].c\n',
  'x = a.*.id[0]\ny = a.*.b.c[1].d\nz = a.*.b[0][*].c\nw = a.*[0]\n',
  'x = (a)\ny = (a).b\nz = ((a)).b\nw = (a + b) * c\nv = a + (b)\nu = !(a)\nt = -(a).b\n',
  'x = a + b * c - d / e % f\ny = a == b && c != d || e < f && g >= h\nz = a > b\nw = a <= b\n',
  'x = -a\ny = - -a\nz = !a.b\nw = -1 * 2\nv = a - -b\nu = !a == b\n',
  'x = a ? b : c\ny = a ? b ? c : d : e\nz = a == 1 ? "x" : "y"\nw = (a ? b : c).d\nv = a ? b : (c ? d : e)\n',
  'x = [for s in var.l : s.id]\ny = {for k, v in var.m : k => v.x if v.y}\nz = {for k, v in m : v => k...}\nw = [for i, x in l : x if i > 0]\n',
  'x = f()\ny = f(a, b,)\nz = f(a, b...)\nw = provider::aws::arn_parse("x")\nv = f (a)\n',
  'x = [1, 2, 3,]\ny = []\nz = {}\nw = { a = 1, b = 2, }\nv = {\n a = 1\n b = 2\n}\nu = { "a": 1 }\n',
  'x = 1.5\ny = 0\nz = 007\nw = true\nv = false\nu = null\n',
  'x = a-b\ny = count.index-1\nz = each.value\n',
  'block {\n  # comment\n  a = 1 # trailing\n  // other\n  b = 2 /* c */\n  nested "l" {\n    c = [\n      1, # one\n      2,\n    ]\n  }\n}\n',
  'x = { a = 1 # c\n b = 2 }\ny = f(a, # c\n b)\n',
  'x = [a # c\n]\n',
  '# egress-lens:ignore a,b -- why\r\nresource "x" "y" {\n  //egress-lens:ignore c  \n  a = 1 # egress-lens:ignore d\n  #egress-lens:ignored e\n}\n',
  'x = [1, # egress-lens:ignore z\n 2]\ny = { a = 1 // egress-lens:ignore w\n }\n#  \t egress-lens:ignore v\n# egress-lens:ignore',
  'x = a # c\n  .b\n',
  'x = a ? # c\n b : c\n',
  'b {\n a = 1\n a = 2\n}\n',
  'a = 1\na = 2\n',
  'locals {\n  m = { for k in ["a", "b"] : k => upper(k) }\n}\n',
  'x = <<EOT\nhello\nEOT\n',
  'x = "%{ if a }b%{ endif }"\n',
  'x = a.0.b\n',
  'x = 1e5\n',
  'x = {\n for = 1\n}\n',
  'b l1 l2 "l3" {}\n',
  'x = "${ {a = 1}["a"] }"\n',
  'x = "${~a~}"\n',
  'x = a b\n',
  'x = [a b]\n',
  'x = {a = 1,, b = 2}\n',
  'x = (a ? b : c) + d\n',
  'x = a ? b : c ? d : e\n',
  'x = [for x in a ? b : c : x]\n',
  'resource "aws_route_table" "r" {\n  dynamic "route" {\n    for_each = var.routes\n    iterator = r\n    content {\n      cidr_block = r.value.cidr\n    }\n  }\n}\n',
  '\uFEFFa = 1\n',
  'a\u00a0= 1\n',
  'x = "a\u00a0b"\n',
  'x = "\u2003${a}"\n',
  'é = 1\n',
  'x = aé\n',
  '{ "a": 1 }\n',
];

const TOKENS = [
  'resource "aws_vpc" "v" {',
  'locals {',
  'b "x" {',
  '}',
  '{',
  '\n',
  ' ',
  '=',
  'x = ',
  'y = ',
  'a',
  'b',
  'c',
  'local.a',
  'var.x',
  'each.key',
  'count.index',
  'aws_vpc.v.id',
  'a[0]',
  'a[*].b',
  'a.*.b',
  '.c',
  '["k"]',
  'f(',
  'cidrsubnet(',
  ')',
  '(',
  '[',
  ']',
  ',',
  ':',
  '?',
  '=>',
  '...',
  '+',
  '-',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '>=',
  '&&',
  '||',
  '!',
  '[for k, v in ',
  '{for k, v in ',
  ' : v]',
  ' : k => v}',
  ' if ',
  '"10.0.0.0/16"',
  '"a b"',
  '"${',
  '}"',
  '" ${x} "',
  '"$${a}"',
  '"\\n"',
  '"é"',
  '%{',
  '<<EOT\n',
  'EOT\n',
  '# c\n',
  '// c\n',
  '/* c */',
  '0',
  '1',
  '1.5',
  '-1',
  'true',
  'false',
  'null',
  'for',
  'in',
  'if',
  'é',
  '\r\n',
  '\t',
  '\\',
  'a-b',
  '::',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));

const mutation = mutationArb(TOKENS, 20, 8);

describe('terraform parser: direct reader == tree-sitter reader', function () {
  this.timeout(600_000);
  let examples: string[] = [];

  before(async () => {
    await initTerraform();
    examples = [...exampleFiles('', (f) => /\.(tf|tfvars)$/.test(f)).values()];
  });

  it('reads every example file directly, exactly as tree-sitter does', () => {
    assert.ok(examples.length >= 10);
    for (const t of examples) assert.equal(agree(t), 'fast');
  });

  it('reads the generated benchmark estate directly, exactly as tree-sitter does', () => {
    for (const f of generateEstate(12, 'terraform')) assert.equal(agree(f.text), 'fast', f.file);
  });

  it('agrees on the corners of the grammar, and takes the common ones', () => {
    const taken = SNIPPETS.filter((s) => agree(s) === 'fast');
    // Most snippets are read directly; the rare constructs fall back.
    assert.ok(taken.length >= SNIPPETS.length / 2, `only ${taken.length} of ${SNIPPETS.length}`);
    for (const s of ['x = "${a} ${b}"\n', 'x = (a + b) * c\n', 'x = a ? b : c\n', 'x = [for s in l : s]\n', 'x = f(a, b...)\n'])
      assert.equal(agree(s), 'fast', s);
    for (const s of ['x = <<EOT\nhello\nEOT\n', 'x = "%{ if a }b%{ endif }"\n', 'x = a b c d = [\n'])
      assert.equal(fastParse(s) === undefined || agree(s) === 'fast', true);
  });

  it('keeps whitespace at the ends of literal parts and reads parenthesised operands as operations', () => {
    const text = 'x = " a "\ny = "${a} ${b}"\nz = "  ${a}-x\t "\nw = (a + b) * c\nv = !(a && b)\nu = (var.x) == "y"\n';
    assert.equal(agree(text), 'fast');
    const ast = viaTreeSitter(text);
    const strip = (e: unknown): unknown =>
      Array.isArray(e)
        ? e.map(strip)
        : e && typeof e === 'object'
          ? Object.fromEntries(
              Object.entries(e)
                .filter(([k]) => k !== 's')
                .map(([k, v]) => [k, strip(v)]),
            )
          : e;
    const expr = (name: string): unknown => strip(ast.topAttrs.find((a) => a.name === name)?.expr);
    const v = (name: string) => ({ k: 'var', name });
    assert.deepEqual(expr('x'), { k: 'lit', v: ' a ' });
    assert.deepEqual(expr('y'), { k: 'tmpl', parts: [v('a'), ' ', v('b')] });
    assert.deepEqual(expr('z'), { k: 'tmpl', parts: ['  ', v('a'), '-x\t '] });
    assert.deepEqual(expr('w'), { k: 'binop', op: '*', l: { k: 'binop', op: '+', l: v('a'), r: v('b') }, r: v('c') });
    assert.deepEqual(expr('v'), { k: 'unop', op: '!', x: { k: 'binop', op: '&&', l: v('a'), r: v('b') } });
    assert.deepEqual(expr('u'), { k: 'binop', op: '==', l: { k: 'attr', obj: v('var'), name: 'x' }, r: { k: 'lit', v: 'y' } });
    // Strip markers remove the whitespace beside the interpolation (tree-sitter reads these).
    const strip1 = viaTreeSitter('x = "a  ${~ b ~}  c ${d ~}\te ${~f} "\n');
    assert.deepEqual(strip(strip1.topAttrs[0].expr), { k: 'tmpl', parts: ['a', v('b'), 'c ', v('d'), 'e', v('f'), ' '] });
    // Labels keep their whitespace too.
    assert.deepEqual(fastParse('b " l " {}\n')?.blocks[0].labels, [' l ']);
    assert.equal(agree('b " l " {}\n'), 'fast');
  });

  it('property: random token soup is read identically or left to tree-sitter', () => {
    let fast = 0;
    fc.assert(
      fc.property(soup, (s) => {
        if (agree(s) === 'fast') fast++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(fast > 0);
  });

  it('property: mutated example files are read identically or left to tree-sitter', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, ms) => {
        if (agree(mutate(examples[pick % examples.length], ms)) === 'fast') fast++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(fast > RUNS / 20, `only ${fast} of ${RUNS} mutated files were read directly`);
  });
});
