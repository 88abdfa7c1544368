// Evaluating one HCL expression read by both readers (the direct reader and tree-sitter's).
import * as assert from 'node:assert/strict';
import { terraformParser } from '../../../src/parse/terraform/wasm';
import { convertTree, type Expr } from '../../../src/parse/terraform/ast';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { evaluate, type Scope } from '../../../src/parse/terraform/evaluate';
import { Namespace, Unknown, type Value } from '../../../src/parse/terraform/values';

export function viaTreeSitter(text: string): Expr {
  const parser = terraformParser();
  if (!parser) throw new Error('parser not initialised');
  const tree = parser.parse(text);
  if (!tree) throw new Error('no tree');
  try {
    const ast = convertTree(tree.rootNode, text);
    assert.deepEqual(ast.problems, [], `tree-sitter: syntax problems in ${text}`);
    return ast.topAttrs[0].expr;
  } finally {
    tree.delete();
  }
}

/** Plain JSON of a value: maps as objects, unknowns as `{ unknown: reason }`. */
export function plain(v: Value): unknown {
  if (v instanceof Unknown) return { unknown: v.reason };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  return v;
}

/** A scope whose `var.*` / `local.*` come from an object (missing names are Unknown). */
export function scopeOf(text: string, names: Record<string, Record<string, Value>> = {}): Scope {
  return {
    text,
    vars: new Map(),
    root: (name, t) => {
      const ns = names[name];
      if (!ns) return new Unknown(t, `${name} is not known`);
      return new Namespace(name, (attr, at) => (attr in ns ? ns[attr] : new Unknown(at, `${name}.${attr} is not known`)));
    },
  };
}

/**
 * Evaluates `src` read by both readers; the direct reader must take it and agree with
 * tree-sitter's syntax exactly. Returns the plain value.
 */
export function evalBoth(src: string, names: Record<string, Record<string, Value>> = {}): unknown {
  const text = `x = ${src}\n`;
  const fast = fastParse(text);
  const ts = viaTreeSitter(text);
  assert.ok(fast, `direct reader gave up on ${src}`);
  assert.deepStrictEqual(fast.topAttrs[0].expr, ts, `readers disagree on ${src}`);
  return plain(evaluate(ts, scopeOf(text, names)));
}
