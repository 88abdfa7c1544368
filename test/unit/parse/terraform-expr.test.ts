// The expression language, exactly: precedence and associativity of every operator level as
// HCL's specification gives them, in both readers (the direct reader and the tree-sitter
// conversion), and a differential property test against an independent evaluator.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTerraform } from '../../../src/parse/terraform';
import type { Expr } from '../../../src/parse/terraform/ast';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { evalBoth, viaTreeSitter } from './exprHelpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 300;

/** Shape of an expression without spans: `(a ? b : (c ? d : e))` style, for structure checks. */
function shape(e: Expr): string {
  switch (e.k) {
    case 'lit':
      return String(e.v);
    case 'var':
      return e.name;
    case 'binop':
      return `(${shape(e.l)} ${e.op} ${shape(e.r)})`;
    case 'unop':
      return `(${e.op}${shape(e.x)})`;
    case 'cond':
      return `(${shape(e.c)} ? ${shape(e.a)} : ${shape(e.b)})`;
    default:
      return `<${e.k}>`;
  }
}

function shapeBoth(src: string): string {
  const text = `x = ${src}\n`;
  const ts = shape(viaTreeSitter(text));
  const fast = fastParse(text);
  assert.ok(fast, `direct reader gave up on ${src}`);
  assert.equal(shape(fast.topAttrs[0].expr), ts, `readers disagree on ${src}`);
  return ts;
}

describe('terraform expressions: precedence and associativity (both readers)', () => {
  before(async () => {
    await initTerraform();
  });

  it('conditionals are right-associative', () => {
    assert.equal(shapeBoth('a ? b : c ? d : e'), '(a ? b : (c ? d : e))');
    assert.equal(shapeBoth('a ? b : c ? d : e ? f : g'), '(a ? b : (c ? d : (e ? f : g)))');
    assert.equal(shapeBoth('a ? b ? c : d : e'), '(a ? (b ? c : d) : e)');
    assert.equal(shapeBoth('(a ? b : c) ? d : e'), '((a ? b : c) ? d : e)');
    assert.equal(shapeBoth('a ? b : (c ? d : e) ? f : g'), '(a ? b : ((c ? d : e) ? f : g))');
    // The pattern of the most used VPC module's NAT gateway count.
    const nat = 'var.single ? 1 : var.per_az ? length(var.azs) : 5';
    assert.equal(evalBoth(nat, { var: { single: false, per_az: true, azs: ['a', 'b', 'c'] } }), 3);
    assert.equal(evalBoth(nat, { var: { single: true, per_az: true, azs: ['a', 'b', 'c'] } }), 1);
    assert.equal(evalBoth(nat, { var: { single: false, per_az: false, azs: [] } }), 5);
    assert.equal(evalBoth('true ? 1 : false ? 2 : 3'), 1);
    assert.equal(evalBoth('false ? 1 : true ? 2 : 3'), 2);
    assert.equal(evalBoth('false ? 1 : false ? 2 : 3'), 3);
  });

  it('the conditional binds loosest: its parts are whole binary expressions', () => {
    assert.equal(shapeBoth('a || b ? c + d : e && f'), '((a || b) ? (c + d) : (e && f))');
    assert.equal(evalBoth('1 + 1 == 2 ? 10 * 2 : 0'), 20);
  });

  it('unary operators bind tighter than any binary operator, and after attribute access', () => {
    assert.equal(shapeBoth('-a * b'), '((-a) * b)');
    assert.equal(shapeBoth('!a && b'), '((!a) && b)');
    assert.equal(shapeBoth('!a == b'), '((!a) == b)');
    assert.equal(evalBoth('-2 * 3 + 1'), -5);
    assert.equal(evalBoth('!false && false'), false);
    assert.equal(evalBoth('- -4'), 4);
    assert.equal(evalBoth('!!true'), true);
    assert.equal(evalBoth('-var.n.x', { var: { n: new Map([['x', 7]]) } }), -7);
  });

  it('* / % share a level above + -, all left-associative', () => {
    assert.equal(shapeBoth('a * b / c % d'), '(((a * b) / c) % d)');
    assert.equal(shapeBoth('a + b * c'), '(a + (b * c))');
    assert.equal(shapeBoth('a - b - c'), '((a - b) - c)');
    assert.equal(shapeBoth('a - b + c'), '((a - b) + c)');
    assert.equal(evalBoth('12 / 2 * 3'), 18);
    assert.equal(evalBoth('7 % 4 * 2'), 6);
    assert.equal(evalBoth('10 - 4 - 3'), 3);
    assert.equal(evalBoth('10 - 4 + 3'), 9);
    assert.equal(evalBoth('2 + 3 * 4'), 14);
    assert.equal(evalBoth('(2 + 3) * 4'), 20);
    assert.equal(evalBoth('-7 % 3'), -1);
  });

  it('comparisons sit below + - and above == !=', () => {
    assert.equal(shapeBoth('a + 1 > b * 2'), '((a + 1) > (b * 2))');
    assert.equal(shapeBoth('a < b == c >= d'), '((a < b) == (c >= d))');
    assert.equal(evalBoth('1 + 2 > 2 * 1'), true);
    assert.equal(evalBoth('1 < 2 == 3 >= 4'), false);
    assert.equal(evalBoth('2 <= 2 != 3 > 4'), true);
  });

  it('== != sit below comparisons and above &&, left-associative', () => {
    assert.equal(shapeBoth('a == b != c'), '((a == b) != c)');
    assert.equal(shapeBoth('a == b && c != d'), '((a == b) && (c != d))');
    assert.equal(evalBoth('true == false != true'), true);
    assert.equal(evalBoth('1 == 1 && 2 != 2'), false);
  });

  it('&& binds tighter than ||', () => {
    assert.equal(shapeBoth('a || b && c'), '(a || (b && c))');
    assert.equal(shapeBoth('a && b || c'), '((a && b) || c)');
    assert.equal(evalBoth('true || false && false'), true);
    assert.equal(evalBoth('false && true || true'), true);
  });

  describe('property: random expressions read alike by both readers and evaluated as an independent evaluator does', () => {
    type Node =
      | { t: 'num'; v: number }
      | { t: 'bool'; v: boolean }
      | { t: 'bin'; op: string; l: Node; r: Node }
      | { t: 'un'; op: '-' | '!'; x: Node }
      | { t: 'cond'; c: Node; a: Node; b: Node };

    const PREC: Record<string, number> = {
      '||': 1,
      '&&': 2,
      '==': 3,
      '!=': 3,
      '<': 4,
      '<=': 4,
      '>': 4,
      '>=': 4,
      '+': 5,
      '-': 5,
      '*': 6,
      '/': 6,
      '%': 6,
    };

    // Well-typed expressions (Terraform would reject the others): numbers and bools.
    const { num, bool } = fc.letrec<{ num: Node; bool: Node }>((tie) => ({
      num: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: 0, max: 20 }).map((v): Node => ({ t: 'num', v })),
        fc.record({ op: fc.constantFrom('+', '-', '*'), l: tie('num'), r: tie('num') }).map((x): Node => ({ t: 'bin', ...x })),
        // Divisors are non-zero literals: a division by zero is an error in Terraform.
        fc
          .record({ op: fc.constantFrom('/', '%'), l: tie('num'), r: fc.integer({ min: 1, max: 9 }).map((v): Node => ({ t: 'num', v })) })
          .map((x): Node => ({ t: 'bin', ...x })),
        tie('num').map((x): Node => ({ t: 'un', op: '-', x })),
        fc.record({ c: tie('bool'), a: tie('num'), b: tie('num') }).map((x): Node => ({ t: 'cond', ...x })),
      ),
      bool: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.boolean().map((v): Node => ({ t: 'bool', v })),
        fc.record({ op: fc.constantFrom('&&', '||', '==', '!='), l: tie('bool'), r: tie('bool') }).map((x): Node => ({ t: 'bin', ...x })),
        fc
          .record({ op: fc.constantFrom('<', '<=', '>', '>=', '==', '!='), l: tie('num'), r: tie('num') })
          .map((x): Node => ({ t: 'bin', ...x })),
        tie('bool').map((x): Node => ({ t: 'un', op: '!', x })),
        fc.record({ c: tie('bool'), a: tie('bool'), b: tie('bool') }).map((x): Node => ({ t: 'cond', ...x })),
      ),
    }));

    /** Terraform's semantics, written independently of evaluate.ts. */
    function reference(n: Node): number | boolean {
      switch (n.t) {
        case 'num':
        case 'bool':
          return n.v;
        case 'un': {
          const x = reference(n.x);
          return n.op === '-' ? -(x as number) : !x;
        }
        case 'cond':
          return reference(n.c) ? reference(n.a) : reference(n.b);
        case 'bin': {
          const l = reference(n.l);
          const r = reference(n.r);
          const a = l as number;
          const b = r as number;
          const ops: Record<string, () => number | boolean> = {
            '+': () => a + b,
            '-': () => a - b,
            '*': () => a * b,
            '/': () => a / b,
            '%': () => a % b,
            '<': () => a < b,
            '<=': () => a <= b,
            '>': () => a > b,
            '>=': () => a >= b,
            '==': () => l === r,
            '!=': () => l !== r,
            '&&': () => (l as boolean) && r,
            '||': () => l || r,
          };
          return ops[n.op]();
        }
      }
    }

    /** Source text with only the parentheses HCL needs (plus random extra ones). */
    function print(n: Node, extra: () => boolean): string {
      const wrap = (s: string, need: boolean) => (need || extra() ? `(${s})` : s);
      switch (n.t) {
        case 'num':
        case 'bool':
          return String(n.v);
        case 'un': {
          const inner = print(n.x, extra);
          return `${n.op}${wrap(inner, n.x.t === 'bin' || n.x.t === 'cond')}`;
        }
        case 'cond':
          // The condition is a binary expression; the branches are whole expressions.
          return `${wrap(print(n.c, extra), n.c.t === 'cond')} ? ${wrap(print(n.a, extra), false)} : ${wrap(print(n.b, extra), false)}`;
        case 'bin': {
          const p = PREC[n.op];
          const needL = n.l.t === 'cond' || (n.l.t === 'bin' && PREC[n.l.op] < p);
          const needR = n.r.t === 'cond' || (n.r.t === 'bin' && PREC[n.r.op] <= p);
          return `${wrap(print(n.l, extra), needL)} ${n.op} ${wrap(print(n.r, extra), needR)}`;
        }
      }
    }

    /** The tree as shape() writes it: parentheses only from structure. */
    function shapeOf(n: Node): string {
      switch (n.t) {
        case 'num':
        case 'bool':
          return String(n.v);
        case 'un':
          return `(${n.op}${shapeOf(n.x)})`;
        case 'cond':
          return `(${shapeOf(n.c)} ? ${shapeOf(n.a)} : ${shapeOf(n.b)})`;
        case 'bin':
          return `(${shapeOf(n.l)} ${n.op} ${shapeOf(n.r)})`;
      }
    }

    for (const [name, arb] of [
      ['number', num],
      ['bool', bool],
    ] as const) {
      it(`${name} expressions (${RUNS} runs)`, () => {
        fc.assert(
          fc.property(arb, fc.infiniteStream(fc.integer({ min: 0, max: 99 }).map((x) => x < 15)), (n, coin) => {
            const it = coin[Symbol.iterator]();
            const src = print(n, () => it.next().value as boolean);
            assert.equal(shapeBoth(src), shapeOf(n), src);
            assert.deepEqual(evalBoth(src), reference(n), src);
          }),
          { numRuns: RUNS },
        );
      });
    }
  });
});
