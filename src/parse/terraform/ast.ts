// A plain, tree-free copy of what the evaluator needs from the HCL syntax tree. The tree-sitter
// tree lives in wasm memory, so each file is converted once and the tree deleted right away.
import type { Node as TsNode } from 'web-tree-sitter';
import { commentLineEnd, isIgnoreComment } from '../suppressions';

/**
 * A plain copy of a syntax node. Reading nodes through the wasm bridge one property at a time is
 * slow (every access marshals), so the tree is copied once with a cursor and converted from here.
 */
class Node {
  hasError: boolean;
  readonly children: Node[] = [];
  readonly namedChildren: Node[] = [];

  constructor(
    private readonly src: string,
    readonly type: string,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly fieldName: string | null,
  ) {
    this.hasError = isMissing || type === 'ERROR';
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get text(): string {
    return this.src.slice(this.startIndex, this.endIndex);
  }

  childForFieldName(name: string): Node | null {
    return this.children.find((c) => c.fieldName === name) ?? null;
  }
}

const MAX_NODES = 2_000_000;

function copyTree(root: TsNode, text: string, marks: Span[]): Node {
  const cursor = root.walk();
  const make = (): Node =>
    new Node(text, cursor.nodeType, cursor.startIndex, cursor.endIndex, cursor.nodeIsNamed, cursor.nodeIsMissing, cursor.currentFieldName);
  const top = make();
  const stack: Node[] = [top];
  let count = 0;
  try {
    // Depth-first walk; each node is appended to its parent on the stack.
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const n = make();
        const parent = stack[stack.length - 1];
        parent.children.push(n);
        if (n.isNamed) parent.namedChildren.push(n);
        if (n.hasError) parent.hasError = true;
        if (n.type === 'comment' && isIgnoreComment(text, n.startIndex))
          marks.push({ start: n.startIndex, end: commentLineEnd(text, n.startIndex) });
        if (++count > MAX_NODES) break;
        if (stack.length < 400 && cursor.gotoFirstChild()) {
          stack.push(n);
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (stack.length === 1 || !cursor.gotoParent()) {
            stack.length = 0;
            break;
          }
          const done = stack.pop() as Node;
          if (done.hasError) stack[stack.length - 1].hasError = true;
        }
        if (stack.length === 0) break;
      }
    }
  } finally {
    cursor.delete();
  }
  for (const c of top.children) if (c.hasError) top.hasError = true;
  return top;
}

/** String offsets (UTF-16 code units, like JS string indices) into the file text. */
export interface Span {
  start: number;
  end: number;
}

interface ExprBase {
  s: Span;
}

export type Expr = ExprBase &
  (
    | { k: 'lit'; v: string | number | boolean | null }
    | { k: 'tmpl'; parts: (string | Expr)[] }
    | { k: 'tuple'; items: Expr[] }
    | { k: 'object'; entries: { key: Expr; value: Expr }[] }
    | { k: 'var'; name: string }
    | { k: 'attr'; obj: Expr; name: string }
    | { k: 'index'; obj: Expr; key: Expr }
    /** `obj[*].a.b` or `obj.*.a`: `steps` are applied to every element. */
    | { k: 'splat'; obj: Expr; steps: Step[] }
    | { k: 'call'; name: string; args: Expr[]; expand: boolean }
    | { k: 'cond'; c: Expr; a: Expr; b: Expr }
    | { k: 'unop'; op: string; x: Expr }
    | { k: 'binop'; op: string; l: Expr; r: Expr }
    | { k: 'for'; keyVar?: string; valVar: string; coll: Expr; key?: Expr; value: Expr; cond?: Expr; group: boolean }
    | { k: 'bad'; reason: string }
  );

export type Step = { attr: string } | { index: Expr };

export interface Attribute {
  name: string;
  expr: Expr;
  /** The whole `name = value` line(s). */
  span: Span;
}

export interface Block {
  type: string;
  labels: string[];
  /** Type and labels: `resource "aws_vpc" "main"`. */
  header: Span;
  /** The whole block including braces. */
  span: Span;
  attrs: Map<string, Attribute>;
  blocks: Block[];
}

export interface SyntaxProblem {
  span: Span;
  message: string;
}

export interface FileAst {
  blocks: Block[];
  /** Attributes outside any block: the content of a .tfvars file. */
  topAttrs: Attribute[];
  problems: SyntaxProblem[];
  /** Attributes written twice in one block, for a diagnostic. */
  duplicates: { name: string; span: Span }[];
  /**
   * `egress-lens:ignore` line comments (`#`, `//`), in order: from the comment marker to the end of its line
   * (without trailing spaces). Absent when there is none.
   */
  marks?: Span[];
}

const MAX_DEPTH = 200;

function span(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

function bad(n: Node, reason: string): Expr {
  return { k: 'bad', reason, s: span(n) };
}

/** The conditional directly inside an `expression` node, not in parentheses. */
function bareConditional(e: Node | undefined): Node | undefined {
  if (!e || e.type !== 'expression') return undefined;
  const kids = e.children.filter((c) => c.type !== 'comment');
  return kids.length === 1 && kids[0].type === 'conditional' ? kids[0] : undefined;
}

/** Decodes the escapes of an HCL quoted string literal part. */
export function unescapeHcl(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '$' && raw.startsWith('$${', i)) {
      out += '${';
      i += 2;
      continue;
    }
    if (c === '%' && raw.startsWith('%%{', i)) {
      out += '%{';
      i += 2;
      continue;
    }
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[++i];
    if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else if (e === 'r') out += '\r';
    else if (e === '"') out += '"';
    else if (e === '\\') out += '\\';
    else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = raw.slice(i + 1, i + 1 + len);
      const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
      if (Number.isFinite(cp) && cp <= 0x10ffff) {
        out += String.fromCodePoint(cp);
        i += len;
      } else out += '\\' + e;
    } else out += '\\' + e;
  }
  return out;
}

class Converter {
  readonly problems: SyntaxProblem[] = [];
  readonly duplicates: { name: string; span: Span }[] = [];

  constructor(private readonly text: string) {}

  readonly topAttrs: Attribute[] = [];

  /** Top level: blocks of the body, also the intact blocks inside an ERROR node. */
  file(root: Node): Block[] {
    this.collectProblems(root, 0);
    const blocks: Block[] = [];
    const visit = (n: Node, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'block') {
          const b = this.block(c, 0);
          if (b) blocks.push(b);
        } else if (c.type === 'attribute' && n.type === 'body' && depth <= 1) {
          const a = this.attribute(c, 0);
          if (a) this.topAttrs.push(a);
        } else if (c.type === 'body' || c.type === 'ERROR') visit(c, depth + 1);
      }
    };
    visit(root, 0);
    return blocks;
  }

  private collectProblems(n: Node, depth: number): void {
    if (this.problems.length >= 50 || depth > MAX_DEPTH) return;
    if (!n.hasError && !n.isMissing) return;
    if (n.isMissing) {
      this.problems.push({ span: span(n), message: `missing ${n.type}` });
      return;
    }
    if (n.isError || n.type === 'ERROR') {
      const snippet = this.text.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 30)).split(/\r?\n/)[0];
      this.problems.push({ span: span(n), message: `syntax error near '${snippet}'` });
    }
    for (const c of n.children) this.collectProblems(c, depth + 1);
  }

  block(n: Node, depth: number): Block | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let type = '';
    const labels: string[] = [];
    let headerEnd = n.startIndex;
    let body: Node | undefined;
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'identifier' && !type) {
        type = c.text;
        headerEnd = c.endIndex;
      } else if (c.type === 'string_lit' || (c.type === 'identifier' && type)) {
        labels.push(c.type === 'identifier' ? c.text : this.stringLit(c));
        headerEnd = c.endIndex;
      } else if (c.type === 'body') body = c;
    }
    if (!type) return undefined;
    const attrs = new Map<string, Attribute>();
    const blocks: Block[] = [];
    if (body) {
      for (const c of body.namedChildren) {
        if (!c) continue;
        if (c.type === 'attribute') {
          const a = this.attribute(c, depth);
          if (!a) continue;
          if (attrs.has(a.name)) this.duplicates.push({ name: a.name, span: a.span });
          else attrs.set(a.name, a);
        } else if (c.type === 'block') {
          const b = this.block(c, depth + 1);
          if (b) blocks.push(b);
        }
      }
    }
    return { type, labels, header: { start: n.startIndex, end: headerEnd }, span: span(n), attrs, blocks };
  }

  /**
   * The text between the quotes, unescaped. Taken from source offsets, not from the
   * template_literal nodes: the grammar leaves whitespace at the ends of a chunk out of them.
   */
  private stringLit(n: Node): string {
    const open = n.children.find((c) => c?.type === 'quoted_template_start');
    const close = n.children.find((c) => c?.type === 'quoted_template_end');
    const from = open ? open.endIndex : n.startIndex;
    const to = close ? close.startIndex : n.endIndex;
    return to > from ? unescapeHcl(this.text.slice(from, to)) : '';
  }

  attribute(n: Node, depth: number): Attribute | undefined {
    let name = '';
    let expr: Expr | undefined;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'identifier' && !name) name = c.text;
      else if (c.type === 'expression') expr = this.expr(c, depth + 1);
    }
    if (!name) return undefined;
    return { name, expr: expr ?? bad(n, 'missing value'), span: span(n) };
  }

  expr(n: Node, depth: number): Expr {
    if (depth > MAX_DEPTH) return bad(n, 'expression nested too deeply');
    if (n.hasError) return bad(n, 'syntax error');
    switch (n.type) {
      case 'expression':
        return this.expression(n, depth);
      case 'literal_value':
        return this.literal(n);
      case 'template_expr': {
        const c = n.namedChildren[0];
        return c ? this.template(c, depth) : bad(n, 'empty template');
      }
      case 'collection_value': {
        const c = n.namedChildren[0];
        return c ? this.collection(c, depth) : bad(n, 'empty collection');
      }
      case 'variable_expr':
        return { k: 'var', name: n.namedChildren[0]?.text ?? n.text, s: span(n) };
      case 'function_call':
        return this.call(n, depth);
      case 'conditional':
        return this.conditional(n, depth);
      case 'operation': {
        const c = n.namedChildren[0];
        return c ? this.expr(c, depth + 1) : bad(n, 'empty operation');
      }
      case 'unary_operation': {
        // Operands come flattened: a primary followed by its accessors, e.g. `!x.y[0]`.
        const kids = n.children.filter((c): c is Node => !!c && c.type !== 'comment');
        const opNode = kids[0];
        const rest = kids.slice(1).filter((c) => c.isNamed);
        if (!opNode || opNode.isNamed || rest.length === 0) return bad(n, 'incomplete operation');
        return { k: 'unop', op: opNode.text, x: this.chain(rest, depth + 1), s: span(n) };
      }
      case 'binary_operation': {
        // A parenthesised operand comes as `(` expression `)` among the operation's children:
        // the inner expression is the operand (accessors after `)` chain onto it).
        const kids = n.children.filter((c): c is Node => !!c && c.type !== 'comment' && (c.isNamed || (c.type !== '(' && c.type !== ')')));
        const at = kids.findIndex((c, i) => i > 0 && !c.isNamed);
        if (at <= 0 || at === kids.length - 1) return bad(n, 'incomplete operation');
        const left = kids.slice(0, at);
        const right = kids.slice(at + 1);
        if (right.some((c) => !c.isNamed)) return bad(n, 'unexpected operator');
        return { k: 'binop', op: kids[at].text, l: this.chain(left, depth + 1), r: this.chain(right, depth + 1), s: span(n) };
      }
      case 'for_expr': {
        const c = n.namedChildren[0];
        return c ? this.forExpr(c, depth) : bad(n, 'empty for');
      }
      default:
        return bad(n, `unsupported expression ${n.type}`);
    }
  }

  /**
   * HCL's conditional is right-associative (`a ? b : c ? d : e` is `a ? b : (c ? d : e)`), the
   * grammar nests it to the left: `(a ? b : c) ? d : e` without the parentheses. The left spine of
   * unparenthesised conditionals is read back in source order and nested to the right.
   */
  private conditional(n: Node, depth: number): Expr {
    const spine: Node[] = [n];
    for (;;) {
      const inner = bareConditional(spine[spine.length - 1].namedChildren[0]);
      if (!inner) break;
      if (spine.length + depth > MAX_DEPTH) return bad(n, 'expression nested too deeply');
      spine.push(inner);
    }
    // spine[last] is `c0 ? a0 : b0`; each one above adds `? a_i : b_i` after it.
    const parts: Node[] = [];
    for (let i = spine.length - 1; i >= 0; i--) {
      const [c, a, b] = spine[i].namedChildren;
      if (!c || !a || !b) return bad(n, 'incomplete conditional');
      if (i === spine.length - 1) parts.push(c);
      parts.push(a, b);
    }
    // parts: c0 a0 b0 a1 b1 ... ak bk -> c0 ? a0 : (b0 ? a1 : (b1 ? ... : bk))
    let tail = this.expr(parts[parts.length - 1], depth + 1);
    for (let i = parts.length - 3; i >= 0; i -= 2) {
      const c = parts[i];
      tail = {
        k: 'cond',
        c: this.expr(c, depth + 1),
        a: this.expr(parts[i + 1], depth + 1),
        b: tail,
        s: { start: c.startIndex, end: n.endIndex },
      };
    }
    return tail.k === 'cond' ? { ...tail, s: span(n) } : tail;
  }

  /** `expression`: a primary (or a parenthesised expression) followed by get_attr/index/splat. */
  private expression(n: Node, depth: number): Expr {
    const kids = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (kids.length === 0) return bad(n, 'empty expression');
    return this.chain(kids, depth);
  }

  /** A primary followed by accessors, given as sibling nodes. */
  private chain(kids: Node[], depth: number): Expr {
    const start = kids[0].startIndex;
    let cur = this.expr(kids[0], depth + 1);
    for (let i = 1; i < kids.length; i++) {
      const c = kids[i];
      const s = { start, end: c.endIndex };
      if (c.type === 'get_attr') {
        cur = { k: 'attr', obj: cur, name: c.namedChildren[0]?.text ?? '', s };
      } else if (c.type === 'index') {
        cur = { k: 'index', obj: cur, key: this.indexKey(c, depth), s };
      } else if (c.type === 'splat') {
        const sp = c.namedChildren[0];
        // The attribute-only (legacy) splat `.*` applies attributes and `.0` indexes to each element; a `[...]` index
        // ends it and, with what follows, applies to the result: `a.*.id[0]` is `[for o in a : o.id][0]`. The full
        // splat `[*]` applies every accessor that follows to each element.
        const attrOnly = sp?.type === 'attr_splat';
        const steps: Step[] = [];
        const after: Node[] = [];
        let end = c.startIndex + 2;
        const take = (st: Node): void => {
          if (attrOnly && (after.length > 0 || (st.type === 'index' && st.namedChildren[0]?.type === 'new_index'))) {
            after.push(st);
            return;
          }
          if (st.type === 'get_attr') steps.push({ attr: st.namedChildren[0]?.text ?? '' });
          else steps.push({ index: this.indexKey(st, depth) });
          end = st.endIndex;
        };
        for (const st of sp?.namedChildren ?? []) if (st && (st.type === 'get_attr' || st.type === 'index')) take(st);
        // Accessors written after the splat node belong to it as well.
        while (i + 1 < kids.length && (kids[i + 1].type === 'get_attr' || kids[i + 1].type === 'index')) take(kids[++i]);
        if (!attrOnly || after.length === 0) end = kids[i].endIndex;
        cur = { k: 'splat', obj: cur, steps, s: { start, end } };
        for (const st of after) {
          const s2 = { start, end: st.endIndex };
          cur =
            st.type === 'get_attr'
              ? { k: 'attr', obj: cur, name: st.namedChildren[0]?.text ?? '', s: s2 }
              : { k: 'index', obj: cur, key: this.indexKey(st, depth), s: s2 };
        }
      } else {
        return { k: 'bad', reason: `unsupported expression part ${c.type}`, s: { start, end: kids[kids.length - 1].endIndex } };
      }
    }
    return cur;
  }

  private indexKey(n: Node, depth: number): Expr {
    const inner = n.namedChildren[0];
    if (!inner) return bad(n, 'empty index');
    if (inner.type === 'new_index') {
      const e = inner.namedChildren[0];
      return e ? this.expr(e, depth + 1) : bad(n, 'empty index');
    }
    // legacy_index: `.0`
    const digits = inner.text.replace(/^\./, '');
    return { k: 'lit', v: Number(digits), s: span(inner) };
  }

  private literal(n: Node): Expr {
    const c = n.namedChildren[0];
    if (!c) return bad(n, 'empty literal');
    switch (c.type) {
      case 'numeric_lit': {
        const v = Number(c.text);
        return Number.isFinite(v) ? { k: 'lit', v, s: span(n) } : bad(n, 'bad number');
      }
      case 'bool_lit':
        return { k: 'lit', v: c.text === 'true', s: span(n) };
      case 'null_lit':
        return { k: 'lit', v: null, s: span(n) };
      case 'string_lit':
        return { k: 'lit', v: this.stringLit(c), s: span(n) };
      default:
        return bad(n, `unsupported literal ${c.type}`);
    }
  }

  private template(n: Node, depth: number): Expr {
    const parts: (string | Expr)[] = [];
    const heredoc = n.type === 'heredoc_template';
    if (!heredoc) return this.quotedTemplate(n, depth);
    if (n.namedChildren.some((c) => c?.type === 'template_interpolation')) return this.heredocWithInterpolations(n, depth);
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'template_literal') parts.push(heredoc ? c.text : unescapeHcl(c.text));
      else if (c.type === 'template_interpolation') {
        const e = c.namedChildren.find((x) => x?.type === 'expression');
        parts.push(e ? this.expr(e, depth + 1) : bad(c, 'empty interpolation'));
      } else if (c.type === 'template_directive') return bad(n, 'template directives (%{ }) are not evaluated');
    }
    if (heredoc) {
      // The grammar leaves the newline after the opening marker inside the first literal.
      if (typeof parts[0] === 'string') parts[0] = parts[0].replace(/^\r?\n/, '');
      const last = parts.length - 1;
      if (typeof parts[last] === 'string') parts[last] = parts[last].replace(/[ \t]*$/, '');
    }
    if (parts.length === 0) return { k: 'lit', v: '', s: span(n) };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0], s: span(n) };
    return { k: 'tmpl', parts, s: span(n) };
  }

  /**
   * A heredoc with interpolations: its literal parts are the source text between the interpolations (the
   * grammar's template_literal nodes lose the whitespace next to an interpolation: `-n ${x} -g` is not
   * `-n${x}-g`), from the line after the opening marker to the line of the closing one. Leading whitespace of
   * the first line and the closing line's indentation are left out, as for a heredoc without interpolations.
   */
  private heredocWithInterpolations(n: Node, depth: number): Expr {
    const parts: (string | Expr)[] = [];
    const idents = n.children.filter((c) => c?.type === 'heredoc_identifier');
    let from = idents[0] ? idents[0].endIndex : n.startIndex;
    const end = idents.length > 1 ? idents[idents.length - 1].startIndex : n.endIndex;
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'template_directive') return bad(n, 'template directives (%{ }) are not evaluated');
      if (c.type !== 'template_interpolation') continue;
      if (c.startIndex > from) parts.push(this.text.slice(from, c.startIndex));
      const e = c.namedChildren.find((x) => x?.type === 'expression');
      parts.push(e ? this.expr(e, depth + 1) : bad(c, 'empty interpolation'));
      from = c.endIndex;
    }
    if (end > from) parts.push(this.text.slice(from, end));
    if (typeof parts[0] === 'string') parts[0] = parts[0].replace(/^[^\n]*\n/, '').replace(/^[ \t]+/, '');
    const last = parts.length - 1;
    if (typeof parts[last] === 'string') parts[last] = parts[last].replace(/[ \t]*$/, '');
    return { k: 'tmpl', parts: parts.filter((x) => x !== ''), s: span(n) };
  }

  /**
   * A quoted template: literal parts are the source text between the quotes and the
   * interpolations (the grammar's template_literal nodes lose whitespace at their ends).
   */
  private quotedTemplate(n: Node, depth: number): Expr {
    const parts: (string | Expr)[] = [];
    let from = -1;
    // A strip marker (`${~ x ~}`) removes the whitespace next to the interpolation.
    let stripNext = false;
    const literalUpTo = (to: number, stripEnd: boolean): void => {
      let lit = from >= 0 && to > from ? unescapeHcl(this.text.slice(from, to)) : '';
      if (stripNext) lit = lit.trimStart();
      if (stripEnd) lit = lit.trimEnd();
      if (lit) parts.push(lit);
      stripNext = false;
    };
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'quoted_template_start') from = c.endIndex;
      else if (c.type === 'quoted_template_end') {
        literalUpTo(c.startIndex, false);
        from = -1;
      } else if (c.type === 'template_interpolation') {
        const at = c.namedChildren.findIndex((x) => x?.type === 'expression');
        const e = at >= 0 ? c.namedChildren[at] : undefined;
        const strips = c.namedChildren.map((x, i) => (x?.type === 'strip_marker' ? i : -1)).filter((i) => i >= 0);
        literalUpTo(
          c.startIndex,
          strips.some((i) => i < at || at < 0),
        );
        parts.push(e ? this.expr(e, depth + 1) : bad(c, 'empty interpolation'));
        from = c.endIndex;
        stripNext = at >= 0 && strips.some((i) => i > at);
      } else if (c.type === 'template_directive') return bad(n, 'template directives (%{ }) are not evaluated');
    }
    if (parts.length === 0) return { k: 'lit', v: '', s: span(n) };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0], s: span(n) };
    return { k: 'tmpl', parts, s: span(n) };
  }

  private collection(n: Node, depth: number): Expr {
    if (n.type === 'tuple') {
      const items: Expr[] = [];
      for (const c of n.namedChildren) if (c?.type === 'expression') items.push(this.expr(c, depth + 1));
      return { k: 'tuple', items, s: span(n) };
    }
    if (n.type === 'object') {
      const entries: { key: Expr; value: Expr }[] = [];
      for (const c of n.namedChildren) {
        if (c?.type !== 'object_elem') continue;
        const k = c.childForFieldName('key');
        const v = c.childForFieldName('val');
        if (!k || !v) continue;
        entries.push({ key: this.objectKey(k, depth), value: this.expr(v, depth + 1) });
      }
      return { k: 'object', entries, s: span(n) };
    }
    return bad(n, `unsupported collection ${n.type}`);
  }

  /** A bare identifier as an object key is the literal string, not a variable. */
  private objectKey(k: Node, depth: number): Expr {
    const kids = k.namedChildren.filter((c): c is Node => !!c);
    if (kids.length === 1 && kids[0].type === 'variable_expr') return { k: 'lit', v: kids[0].text, s: span(k) };
    return this.expr(k, depth + 1);
  }

  private call(n: Node, depth: number): Expr {
    const name = n.namedChildren[0]?.text ?? '';
    const argsNode = n.namedChildren.find((c) => c?.type === 'function_arguments');
    const args: Expr[] = [];
    let expand = false;
    for (const c of argsNode?.namedChildren ?? []) {
      if (!c) continue;
      if (c.type === 'expression') args.push(this.expr(c, depth + 1));
      else if (c.type === 'ellipsis') expand = true;
    }
    return { k: 'call', name, args, expand, s: span(n) };
  }

  private forExpr(n: Node, depth: number): Expr {
    const intro = n.namedChildren.find((c) => c?.type === 'for_intro');
    if (!intro) return bad(n, 'incomplete for');
    const ids = intro.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text);
    const collNode = intro.namedChildren.find((c) => c?.type === 'expression');
    if (!collNode || ids.length === 0) return bad(n, 'incomplete for');
    const exprs = n.namedChildren.filter((c): c is Node => c?.type === 'expression');
    const condNode = n.namedChildren.find((c) => c?.type === 'for_cond');
    const condExpr = condNode?.namedChildren.find((c) => c?.type === 'expression');
    const group = n.children.some((c) => c?.type === 'ellipsis');
    const base = {
      keyVar: ids.length === 2 ? ids[0] : undefined,
      valVar: ids.length === 2 ? ids[1] : ids[0],
      coll: this.expr(collNode, depth + 1),
      cond: condExpr ? this.expr(condExpr, depth + 1) : undefined,
      group,
      s: span(n),
    };
    if (n.type === 'for_object_expr') {
      if (exprs.length < 2) return bad(n, 'incomplete for');
      return { k: 'for', ...base, key: this.expr(exprs[0], depth + 1), value: this.expr(exprs[1], depth + 1) };
    }
    if (exprs.length < 1) return bad(n, 'incomplete for');
    return { k: 'for', ...base, value: this.expr(exprs[0], depth + 1) };
  }
}

/** Converts a parsed tree; the caller deletes the tree afterwards. */
export function convertTree(tsRoot: TsNode, text: string): FileAst {
  const marks: Span[] = [];
  const root = copyTree(tsRoot, text, marks);
  const conv = new Converter(text);
  const blocks = conv.file(root);
  const ast: FileAst = { blocks, topAttrs: conv.topAttrs, problems: conv.problems, duplicates: conv.duplicates };
  if (marks.length > 0) ast.marks = marks;
  return ast;
}
