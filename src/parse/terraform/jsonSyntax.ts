// Terraform's JSON syntax (`*.tf.json`) read into the same FileAst as HCL, so a module written in
// JSON is evaluated exactly like one written in HCL. Spans are offsets into the JSON text (jsonc-parser
// tree), so locations, attribute ranges and diagnostics point into the .tf.json file.
//
// Terraform decodes JSON against each block type's schema, which we do not have. What we do instead:
// top-level block types take their known number of labels (`resource` 2, `variable` 1, `locals` 0,
// ...); inside a resource, data, provider or nested block an object (or array of objects) is both an
// attribute (`tags`, a map) and nested block(s) (`route`): the mappers read each name one way, never
// both. `locals`, `module`, `output` and `variable` bodies hold only arguments. Strings are HCL
// templates (`"${aws_vpc.main.id}"`); a template that is one interpolation is its value, unconverted.
// A variable's `default` is a literal JSON value, as in Terraform.
import * as jsonc from 'jsonc-parser';
import type { Attribute, Block, Expr, FileAst, Span, SyntaxProblem } from './ast';
import { convertTree } from './ast';
import { fastParse } from './fastparse';
import { terraformParser } from './wasm';

const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  check: 1,
};
/** Bodies whose object values are arguments only (no nested blocks). */
const ARGS_ONLY = new Set(['locals', 'module', 'output', 'variable']);
/** Nested block types that take one label. */
const NESTED_LABELS: Record<string, number> = { dynamic: 1, provisioner: 1 };

type JNode = jsonc.Node;

export function readJsonSyntax(text: string): FileAst {
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const r = new Reader(text);
  for (const e of errors)
    r.problems.push({
      span: { start: Math.min(e.offset, text.length), end: Math.min(e.offset + e.length, text.length) },
      message: `Not valid JSON: ${jsonc.printParseErrorCode(e.error)}`,
    });
  if (root && root.type === 'object') r.file(root);
  else if (root) r.problems.push({ span: spanOf(root), message: 'A .tf.json file must hold one JSON object of blocks' });
  return { blocks: r.blocks, topAttrs: [], problems: r.problems, duplicates: r.duplicates };
}

function spanOf(n: JNode): Span {
  return { start: n.offset, end: n.offset + n.length };
}

/** `{ "//": ... }` keys are comments in Terraform's JSON syntax. */
function props(obj: JNode): { key: JNode; value: JNode }[] {
  const out: { key: JNode; value: JNode }[] = [];
  for (const p of obj.children ?? []) {
    const [key, value] = p.children ?? [];
    if (key && value && key.value !== '//') out.push({ key, value });
  }
  return out;
}

/** An object, or an array of objects (several blocks of one type); undefined for anything else. */
function bodies(v: JNode): JNode[] | undefined {
  if (v.type === 'object') return [v];
  if (v.type === 'array' && v.children?.length && v.children.every((c) => c.type === 'object')) return v.children;
  return undefined;
}

class Reader {
  readonly blocks: Block[] = [];
  readonly problems: SyntaxProblem[] = [];
  readonly duplicates: { name: string; span: Span }[] = [];

  constructor(private readonly text: string) {}

  file(root: JNode): void {
    for (const { key, value } of props(root)) {
      const type = String(key.value);
      this.labelled(type, LABELS[type] ?? 0, [], key, value, this.blocks, true);
    }
  }

  /** Descends `n` levels of labels, then reads the body (or bodies) into blocks. */
  private labelled(type: string, n: number, labels: string[], key: JNode, value: JNode, out: Block[], top: boolean): void {
    if (n > 0) {
      if (value.type !== 'object') {
        this.problems.push({ span: spanOf(value), message: `"${type}" needs ${n} more label(s) as object keys` });
        return;
      }
      for (const p of props(value)) this.labelled(type, n - 1, [...labels, String(p.key.value)], p.key, p.value, out, top);
      return;
    }
    const list = bodies(value);
    if (!list) {
      this.problems.push({ span: spanOf(value), message: `the body of "${type}" must be a JSON object` });
      return;
    }
    for (const body of list) out.push(this.block(type, labels, key, body, top));
  }

  private block(type: string, labels: string[], key: JNode, body: JNode, top: boolean): Block {
    const block: Block = {
      type,
      labels,
      header: spanOf(key),
      span: { start: key.offset, end: body.offset + body.length },
      attrs: new Map(),
      blocks: [],
    };
    const argsOnly = top && ARGS_ONLY.has(type);
    for (const { key: k, value: v } of props(body)) {
      const name = String(k.value);
      const attr: Attribute = {
        name,
        expr:
          top && type === 'variable' && (name === 'default' || name === 'type')
            ? this.literal(v, name === 'type')
            : name === 'provider' && top && (type === 'resource' || type === 'data')
              ? this.providerRef(v)
              : this.expr(v),
        span: { start: k.offset, end: v.offset + v.length },
      };
      if (block.attrs.has(name)) this.duplicates.push({ name, span: attr.span });
      else block.attrs.set(name, attr);
      if (argsOnly && !(type === 'variable' && name === 'validation')) continue;
      const nested = NESTED_LABELS[name] ?? 0;
      if (nested > 0 || bodies(v)) this.labelled(name, nested, [], k, v, block.blocks, false);
    }
    return block;
  }

  /** `"provider": "aws.eu"` is the reference HCL writes bare (`provider = aws.eu`). */
  private providerRef(v: JNode): Expr {
    const m = v.type === 'string' ? /^([a-zA-Z0-9_-]+)\.([a-zA-Z0-9_-]+)$/.exec(v.value as string) : null;
    if (!m) return this.expr(v);
    const s = { start: v.offset + 1, end: v.offset + v.length - 1 };
    return { k: 'attr', obj: { k: 'var', name: m[1], s: { start: s.start, end: s.start + m[1].length } }, name: m[2], s };
  }

  /** A JSON value as it is, no template evaluation (a variable's default); a `type` keeps the span inside its quotes. */
  private literal(v: JNode, typeText: boolean): Expr {
    const s = spanOf(v);
    switch (v.type) {
      case 'string':
        return { k: 'lit', v: v.value as string, s: typeText ? { start: s.start + 1, end: s.end - 1 } : s };
      case 'number':
      case 'boolean':
        return { k: 'lit', v: v.value as number | boolean, s };
      case 'null':
        return { k: 'lit', v: null, s };
      case 'array':
        return { k: 'tuple', items: (v.children ?? []).map((c) => this.literal(c, false)), s };
      case 'object':
        return {
          k: 'object',
          entries: props(v).map(({ key, value }) => ({
            key: { k: 'lit', v: String(key.value), s: spanOf(key) },
            value: this.literal(value, false),
          })),
          s,
        };
      default:
        return { k: 'bad', reason: 'not a JSON value', s };
    }
  }

  private expr(v: JNode): Expr {
    const s = spanOf(v);
    switch (v.type) {
      case 'string':
        return this.template(v);
      case 'number':
      case 'boolean':
        return { k: 'lit', v: v.value as number | boolean, s };
      case 'null':
        return { k: 'lit', v: null, s };
      case 'array':
        return { k: 'tuple', items: (v.children ?? []).map((c) => this.expr(c)), s };
      case 'object':
        return {
          k: 'object',
          entries: props(v).map(({ key, value }) => ({ key: this.template(key), value: this.expr(value) })),
          s,
        };
      default:
        return { k: 'bad', reason: 'not a JSON value', s };
    }
  }

  /** A JSON string as an HCL template: its raw text (quotes included) is read by the HCL reader. */
  private template(v: JNode): Expr {
    const s = spanOf(v);
    const raw = this.text.slice(s.start, s.end);
    if (!raw.includes('${') && !raw.includes('%{')) return { k: 'lit', v: v.value as string, s };
    // JSON escapes are HCL's, but for `\/` (rare: read as `/`; spans after it in the string move by one).
    const snippet = `x=${raw.replace(/\\\//g, '/')}\n`;
    const ast = parseHcl(snippet);
    const attr = ast?.topAttrs[0];
    if (!ast || !attr || ast.problems.length || ast.blocks.length) {
      this.problems.push({ span: s, message: 'This string is not a valid Terraform template' });
      return { k: 'bad', reason: 'not a valid template', s };
    }
    const e = shift(attr.expr, s.start - 2);
    // A template that is only one interpolation is that value, unconverted (HCL's rule).
    return e.k === 'tmpl' && e.parts.length === 1 && typeof e.parts[0] !== 'string' ? e.parts[0] : e;
  }
}

function parseHcl(text: string): FileAst | undefined {
  const fast = fastParse(text);
  if (fast) return fast;
  const parser = terraformParser();
  const tree = parser?.parse(text);
  if (!tree) return undefined;
  try {
    return convertTree(tree.rootNode, text);
  } finally {
    tree.delete();
  }
}

/** Moves every span of an expression read from a snippet to where the snippet sits in the file. */
function shift<T>(x: T, by: number): T {
  if (Array.isArray(x)) {
    for (const i of x) shift(i, by);
    return x;
  }
  if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === 's') {
        const sp = v as Span;
        sp.start += by;
        sp.end += by;
      } else shift(v, by);
    }
  }
  return x;
}
