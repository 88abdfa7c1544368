// A direct HCL reader for the common case: well-formed files without heredocs, template
// directives or other rarities. It produces exactly the FileAst that ast.ts's convertTree makes
// from the tree-sitter tree (same shapes, same spans, the same quirks of that grammar), about
// fifty times faster. On anything it is not sure about it gives up (returns undefined) and the
// caller parses with tree-sitter, which also reports syntax errors. A differential test checks
// the two readers agree.
import { unescapeHcl, type Attribute, type Block, type Expr, type FileAst, type Span, type Step } from './ast';
import { commentLineEnd, isIgnoreComment } from '../suppressions';

class GiveUp {}
const GIVE_UP = new GiveUp();

function giveUp(): never {
  throw GIVE_UP;
}

/** Nesting past these is left to tree-sitter (whose converter has its own limits). */
const MAX_DEPTH = 60;
const MAX_BLOCK_DEPTH = 50;
/** Larger files go to tree-sitter, whose converter caps the node count. */
const MAX_CHARS = 4_000_000;

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  QUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  PERCENT = 37,
  AMP = 38,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  D0 = 48,
  D9 = 57,
  COLON = 58,
  LT = 60,
  EQ = 61,
  GT = 62,
  QUESTION = 63,
  A = 65,
  Z = 90,
  LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  UNDERSCORE = 95,
  a = 97,
  z = 122,
  LBRACE = 123,
  PIPE = 124,
  RBRACE = 125,
  TILDE = 126,
}

function isIdStart(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.UNDERSCORE;
}

function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= C.D0 && c <= C.D9) || c === C.MINUS;
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= C.a && c <= 102) || (c >= C.A && c <= 70);
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

const BINARY_PREC: Record<string, number> = {
  '*': 6,
  '/': 6,
  '%': 6,
  '+': 5,
  '-': 5,
  '>': 4,
  '>=': 4,
  '<': 4,
  '<=': 4,
  '==': 3,
  '!=': 3,
  '&&': 2,
  '||': 1,
};

/** An operand as tree-sitter lays it out: a term (primary + accessors), a parenthesised term, or an operation. */
interface Operand {
  kind: 'term' | 'paren' | 'op';
  e: Expr;
  start: number;
  end: number;
}

class Reader {
  pos = 0;
  private depth = 0;
  readonly duplicates: { name: string; span: Span }[] = [];
  readonly topAttrs: Attribute[] = [];
  /** Set by skip() when it passed a comment. */
  private comment = false;
  /** `egress-lens:ignore` line comments passed (FileAst.marks), each once, in order. */
  private readonly marks: Span[] = [];

  constructor(private readonly t: string) {}

  /** Skips whitespace and comments from p; returns the next position. */
  private skip(p: number): number {
    const t = this.t;
    this.comment = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === C.SPACE || c === C.LF || c === C.TAB || c === C.CR) {
        p++;
        continue;
      }
      if (c === C.HASH || (c === C.SLASH && t.charCodeAt(p + 1) === C.SLASH)) {
        this.comment = true;
        // Most comments are passed at the cost of a character or two: an ignore comment starts `#`, blanks, `e`.
        let q = c === C.HASH ? p + 1 : p + 2;
        while (t.charCodeAt(q) === C.SPACE || t.charCodeAt(q) === C.TAB) q++;
        if (t.charCodeAt(q) === 101 && isIgnoreComment(t, p)) this.mark(p);
        const nl = t.indexOf('\n', p);
        p = nl < 0 ? t.length : nl;
        continue;
      }
      if (c === C.SLASH && t.charCodeAt(p + 1) === C.STAR) {
        this.comment = true;
        const end = t.indexOf('*/', p + 2);
        if (end < 0) giveUp();
        p = end + 2;
        continue;
      }
      return p;
    }
  }

  private mark(p: number): void {
    const last = this.marks[this.marks.length - 1];
    if (last && last.start >= p) {
      // Passed again (a lookahead skips the same comments twice).
      if (this.marks.some((m) => m.start === p)) return;
    }
    this.marks.push({ start: p, end: commentLineEnd(this.t, p) });
    if (last && last.start > p) this.marks.sort((a, b) => a.start - b.start);
  }

  /** Skips whitespace where a comment would land inside a node the converter reads positionally. */
  private skipNoComment(p: number): number {
    const q = this.skip(p);
    if (this.comment) giveUp();
    return q;
  }

  private code(p: number): number {
    return this.t.charCodeAt(p);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) giveUp();
  }

  /** Reads an identifier at p (the grammar's: letters, digits, `_`, `-` and `::`); returns its end. */
  private identEnd(p: number): number {
    const t = this.t;
    if (!isIdStart(t.charCodeAt(p))) giveUp();
    p++;
    for (;;) {
      const c = t.charCodeAt(p);
      if (isIdChar(c)) p++;
      else if (c === C.COLON && t.charCodeAt(p + 1) === C.COLON) p += 2;
      else break;
    }
    // A non-ASCII letter would continue the identifier in the grammar.
    if (t.charCodeAt(p) > 127) giveUp();
    return p;
  }

  file(): FileAst {
    const t = this.t;
    const blocks: Block[] = [];
    let p = this.skip(0);
    while (p < t.length) {
      const item = this.bodyItem(p, 0);
      if ('labels' in item) blocks.push(item);
      else this.topAttrs.push(item);
      p = this.skip(this.pos);
    }
    const ast: FileAst = { blocks, topAttrs: this.topAttrs, problems: [], duplicates: this.duplicates };
    if (this.marks.length > 0) ast.marks = this.marks;
    return ast;
  }

  /** An attribute or a block starting at p; leaves pos after it. */
  private bodyItem(p: number, depth: number): Block | Attribute {
    const start = p;
    const nameEnd = this.identEnd(p);
    const name = this.t.slice(start, nameEnd);
    if (KEYWORDS.has(name)) giveUp();
    let q = this.skipNoComment(nameEnd);
    const c = this.code(q);
    if (c === C.EQ) {
      const n = this.code(q + 1);
      if (n === C.EQ || n === C.GT) giveUp();
      this.pos = this.skipNoComment(q + 1);
      const expr = this.expr();
      return { name, expr, span: { start, end: this.pos } };
    }
    if (depth > MAX_BLOCK_DEPTH) giveUp();
    const labels: string[] = [];
    let headerEnd = nameEnd;
    for (;;) {
      const l = this.code(q);
      if (l === C.QUOTE) {
        const s = this.quoted(q, false);
        labels.push(s.parts.length ? (s.parts[0] as string) : '');
        headerEnd = this.pos;
      } else if (isIdStart(l)) {
        const e = this.identEnd(q);
        const label = this.t.slice(q, e);
        if (KEYWORDS.has(label)) giveUp();
        labels.push(label);
        headerEnd = e;
      } else break;
      q = this.skipNoComment(headerEnd);
    }
    if (this.code(q) !== C.LBRACE) giveUp();
    const attrs = new Map<string, Attribute>();
    const blocks: Block[] = [];
    q = this.skip(q + 1);
    while (this.code(q) !== C.RBRACE) {
      if (q >= this.t.length) giveUp();
      const item = this.bodyItem(q, depth + 1);
      if ('labels' in item) blocks.push(item);
      else if (attrs.has(item.name)) this.duplicates.push({ name: item.name, span: item.span });
      else attrs.set(item.name, item);
      q = this.skip(this.pos);
    }
    this.pos = q + 1;
    return { type: name, labels, header: { start, end: headerEnd }, span: { start, end: q + 1 }, attrs, blocks };
  }

  /** An `expression` node at pos: a conditional or an operand. */
  private expr(): Expr {
    this.enter();
    const start = this.pos;
    const c = this.binary(0);
    let q = this.skip(this.pos);
    if (this.code(q) !== C.QUESTION) {
      this.depth--;
      return c.e;
    }
    if (this.comment) giveUp();
    this.pos = this.skipNoComment(q + 1);
    const a = this.expr();
    q = this.skipNoComment(this.pos);
    if (this.code(q) !== C.COLON) giveUp();
    this.pos = this.skipNoComment(q + 1);
    // Right-associative, as in HCL: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`.
    const b = this.expr();
    this.depth--;
    return { k: 'cond', c: c.e, a, b, s: { start, end: this.pos } };
  }

  private operator(q: number): string | undefined {
    const c = this.code(q);
    const n = this.code(q + 1);
    switch (c) {
      case C.STAR:
      case C.SLASH:
      case C.PERCENT:
      case C.PLUS:
        return String.fromCharCode(c);
      case C.MINUS:
        return '-';
      case C.GT:
        return n === C.EQ ? '>=' : '>';
      case C.LT:
        if (n === C.LT) giveUp(); // heredoc
        return n === C.EQ ? '<=' : '<';
      case C.EQ:
        return n === C.EQ ? '==' : undefined;
      case C.BANG:
        return n === C.EQ ? '!=' : undefined;
      case C.AMP:
        if (n !== C.AMP) giveUp();
        return '&&';
      case C.PIPE:
        if (n !== C.PIPE) giveUp();
        return '||';
    }
    return undefined;
  }

  /** Operands joined by binary operators of at least `min` precedence, left-associative. */
  private binary(min: number): Operand {
    let left = this.unary();
    for (;;) {
      const q = this.skip(this.pos);
      const op = this.operator(q);
      if (op === undefined) return left;
      // `/` and `*` might start a comment; skip() already consumed those.
      const prec = BINARY_PREC[op];
      if (prec < min) return left;
      if (this.comment) giveUp();
      this.pos = this.skipNoComment(q + op.length);
      const right = this.binary(prec + 1);
      const s = { start: left.start, end: right.end };
      // A parenthesised operand is its inner expression (the span of the operation includes `(`).
      const e: Expr = { k: 'binop', op, l: left.e, r: right.e, s };
      left = { kind: 'op', e, start: s.start, end: s.end };
    }
  }

  private unary(): Operand {
    const p = this.pos;
    const c = this.code(p);
    if (c === C.MINUS || c === C.BANG) {
      if (c === C.BANG && this.code(p + 1) === C.EQ) giveUp();
      this.pos = this.skipNoComment(p + 1);
      this.enter();
      const inner = this.unary();
      this.depth--;
      const e: Expr = { k: 'unop', op: c === C.MINUS ? '-' : '!', x: inner.e, s: { start: p, end: inner.end } };
      return { kind: 'op', e, start: p, end: inner.end };
    }
    return this.term();
  }

  /** A primary (or a parenthesised expression) and its accessors. */
  private term(): Operand {
    const start = this.pos;
    let kind: Operand['kind'] = 'term';
    let chainStart = start;
    let cur: Expr;
    if (this.code(start) === C.LPAREN) {
      kind = 'paren';
      this.pos = this.skipNoComment(start + 1);
      chainStart = this.pos;
      cur = this.expr();
      const q = this.skipNoComment(this.pos);
      if (this.code(q) !== C.RPAREN) giveUp();
      this.pos = q + 1;
    } else cur = this.primary();
    for (;;) {
      const q = this.skip(this.pos);
      const c = this.code(q);
      if (c !== C.DOT && c !== C.LBRACKET) break;
      const n = this.code(q + 1);
      if (c === C.DOT && n === C.DOT) break; // `...`
      if (this.comment) giveUp();
      if ((c === C.DOT && n === C.STAR) || (c === C.LBRACKET && n === C.STAR && this.code(q + 2) === C.RBRACKET)) {
        this.pos = q + (c === C.DOT ? 2 : 3);
        // `.*` (attribute-only) takes attributes per element; a `[...]` ends it and applies to the result (ast.ts chain).
        const attrOnly = c === C.DOT;
        const steps: Step[] = [];
        for (;;) {
          const r = this.skip(this.pos);
          const d = this.code(r);
          if (d === C.DOT) {
            const dn = this.code(r + 1);
            if (dn === C.STAR) break;
            if (this.comment) giveUp();
            steps.push({ attr: this.getAttr(r) });
          } else if (d === C.LBRACKET) {
            if (attrOnly) break;
            if (this.code(r + 1) === C.STAR) break;
            if (this.comment) giveUp();
            steps.push({ index: this.index(r) });
          } else break;
        }
        cur = { k: 'splat', obj: cur, steps, s: { start: chainStart, end: this.pos } };
      } else if (c === C.DOT) {
        const name = this.getAttr(q);
        cur = { k: 'attr', obj: cur, name, s: { start: chainStart, end: this.pos } };
      } else {
        const key = this.index(q);
        cur = { k: 'index', obj: cur, key, s: { start: chainStart, end: this.pos } };
      }
    }
    return { kind, e: cur, start, end: this.pos };
  }

  /** `.name` at q; leaves pos after the name. */
  private getAttr(q: number): string {
    const p = q + 1;
    const c = this.code(p);
    if (!isIdStart(c)) giveUp(); // legacy `.0` index, spaces: rare, left to tree-sitter
    const e = this.identEnd(p);
    const name = this.t.slice(p, e);
    if (KEYWORDS.has(name)) giveUp();
    this.pos = e;
    return name;
  }

  /** `[expr]` at q; leaves pos after `]`. */
  private index(q: number): Expr {
    this.pos = this.skipNoComment(q + 1);
    const key = this.expr();
    const r = this.skipNoComment(this.pos);
    if (this.code(r) !== C.RBRACKET) giveUp();
    this.pos = r + 1;
    return key;
  }

  private primary(): Expr {
    const t = this.t;
    const p = this.pos;
    const c = this.code(p);
    if (c === C.QUOTE) {
      const { parts, template } = this.quoted(p, true);
      const s = { start: p, end: this.pos };
      if (!template || parts.length === 0) return { k: 'lit', v: parts.length ? (parts[0] as string) : '', s };
      if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0], s };
      return { k: 'tmpl', parts, s };
    }
    if (isDigit(c)) {
      let e = p;
      while (isDigit(this.code(e))) e++;
      if (this.code(e) === C.DOT && isDigit(this.code(e + 1))) {
        e++;
        while (isDigit(this.code(e))) e++;
        const x = this.code(e);
        if (x === 101 || x === 69) giveUp(); // exponents: left to tree-sitter
      }
      const after = this.code(e);
      if (isIdChar(after) || after === C.DOT || after > 127) giveUp();
      this.pos = e;
      return { k: 'lit', v: Number(t.slice(p, e)), s: { start: p, end: e } };
    }
    if (isIdStart(c)) {
      const e = this.identEnd(p);
      const name = t.slice(p, e);
      if (name === 'true' || name === 'false') {
        this.pos = e;
        return { k: 'lit', v: name === 'true', s: { start: p, end: e } };
      }
      if (name === 'null') {
        this.pos = e;
        return { k: 'lit', v: null, s: { start: p, end: e } };
      }
      if (KEYWORDS.has(name)) giveUp();
      const q = this.skip(e);
      if (this.code(q) === C.LPAREN) {
        if (this.comment) giveUp();
        return this.call(p, name, q);
      }
      this.pos = e;
      return { k: 'var', name, s: { start: p, end: e } };
    }
    if (c === C.LBRACKET) return this.tuple(p);
    if (c === C.LBRACE) return this.object(p);
    return giveUp();
  }

  private call(start: number, name: string, open: number): Expr {
    const args: Expr[] = [];
    let expand = false;
    let q = this.skip(open + 1);
    while (this.code(q) !== C.RPAREN) {
      if (expand || (args.length > 0 && this.code(q) !== C.COMMA)) giveUp();
      if (args.length > 0) {
        q = this.skip(q + 1);
        if (this.code(q) === C.RPAREN) break; // trailing comma
      }
      this.pos = q;
      args.push(this.expr());
      q = this.skip(this.pos);
      if (this.code(q) === C.DOT && this.code(q + 1) === C.DOT && this.code(q + 2) === C.DOT) {
        expand = true;
        q = this.skip(q + 3);
        if (this.code(q) !== C.RPAREN) giveUp();
      }
    }
    this.pos = q + 1;
    return { k: 'call', name, args, expand, s: { start, end: q + 1 } };
  }

  /** Whether `for` starts a for expression at q (after `[` or `{`). */
  private isFor(q: number): boolean {
    const t = this.t;
    if (!t.startsWith('for', q)) return false;
    const n = this.code(q + 3);
    return !isIdChar(n) && !(n === C.COLON && this.code(q + 4) === C.COLON) && n <= 127;
  }

  private tuple(start: number): Expr {
    let q = this.skip(start + 1);
    if (this.isFor(q)) {
      if (this.comment) giveUp();
      return this.forExpr(start, q, false);
    }
    const items: Expr[] = [];
    while (this.code(q) !== C.RBRACKET) {
      if (items.length > 0) {
        if (this.code(q) !== C.COMMA) giveUp();
        q = this.skip(q + 1);
        if (this.code(q) === C.RBRACKET) break;
      }
      this.pos = q;
      items.push(this.expr());
      q = this.skip(this.pos);
    }
    this.pos = q + 1;
    return { k: 'tuple', items, s: { start, end: q + 1 } };
  }

  private object(start: number): Expr {
    let q = this.skip(start + 1);
    if (this.isFor(q)) {
      if (this.comment) giveUp();
      return this.forExpr(start, q, true);
    }
    const entries: { key: Expr; value: Expr }[] = [];
    let comma = true;
    while (this.code(q) !== C.RBRACE) {
      if (this.code(q) === C.COMMA) {
        // Commas are optional between elements, one at most, and may end the list.
        if (comma) giveUp();
        comma = true;
        q = this.skip(q + 1);
        continue;
      }
      comma = false;
      const keyStart = q;
      let key: Expr;
      if (isIdStart(this.code(q))) {
        const e = this.identEnd(q);
        const name = this.t.slice(q, e);
        if (KEYWORDS.has(name)) giveUp();
        const r = this.skip(e);
        const n = this.code(r);
        if ((n === C.EQ && this.code(r + 1) !== C.EQ) || n === C.COLON) {
          if (this.comment) giveUp();
          key = { k: 'lit', v: name, s: { start: keyStart, end: e } };
          this.pos = e;
        } else {
          this.pos = q;
          key = this.expr();
        }
      } else {
        this.pos = q;
        key = this.expr();
      }
      let r = this.skipNoComment(this.pos);
      const sep = this.code(r);
      if (!((sep === C.EQ && this.code(r + 1) !== C.EQ && this.code(r + 1) !== C.GT) || sep === C.COLON)) giveUp();
      this.pos = this.skipNoComment(r + 1);
      const value = this.expr();
      entries.push({ key, value });
      r = this.skip(this.pos);
      q = r;
    }
    this.pos = q + 1;
    return { k: 'object', entries, s: { start, end: q + 1 } };
  }

  private forExpr(start: number, q: number, object: boolean): Expr {
    const close = object ? C.RBRACE : C.RBRACKET;
    let p = this.skipNoComment(q + 3);
    const ids: string[] = [];
    for (;;) {
      const e = this.identEnd(p);
      const id = this.t.slice(p, e);
      if (KEYWORDS.has(id)) giveUp();
      ids.push(id);
      p = this.skipNoComment(e);
      if (this.code(p) === C.COMMA && ids.length === 1) {
        p = this.skipNoComment(p + 1);
        continue;
      }
      break;
    }
    if (!this.t.startsWith('in', p) || isIdChar(this.code(p + 2)) || this.code(p + 2) > 127) giveUp();
    this.pos = this.skipNoComment(p + 2);
    const coll = this.expr();
    if (coll.k === 'cond') giveUp();
    p = this.skipNoComment(this.pos);
    if (this.code(p) !== C.COLON) giveUp();
    this.pos = this.skipNoComment(p + 1);
    const first = this.expr();
    let key: Expr | undefined;
    let value = first;
    let group = false;
    p = this.skipNoComment(this.pos);
    if (object) {
      if (this.code(p) !== C.EQ || this.code(p + 1) !== C.GT) giveUp();
      this.pos = this.skipNoComment(p + 2);
      key = first;
      value = this.expr();
      p = this.skipNoComment(this.pos);
      if (this.code(p) === C.DOT && this.code(p + 1) === C.DOT && this.code(p + 2) === C.DOT) {
        group = true;
        p = this.skipNoComment(p + 3);
      }
    }
    let cond: Expr | undefined;
    if (this.t.startsWith('if', p) && !isIdChar(this.code(p + 2)) && this.code(p + 2) <= 127) {
      this.pos = this.skipNoComment(p + 2);
      cond = this.expr();
      p = this.skipNoComment(this.pos);
    }
    if (this.code(p) !== close) giveUp();
    this.pos = p + 1;
    const base = {
      keyVar: ids.length === 2 ? ids[0] : undefined,
      valVar: ids.length === 2 ? ids[1] : ids[0],
      coll,
      cond,
      group,
      s: { start, end: p + 1 },
    };
    if (object) return { k: 'for', ...base, key, value };
    return { k: 'for', ...base, value };
  }

  /**
   * A quoted string at p: literal parts are the text between the quotes and interpolations,
   * whitespace included (as ast.ts takes them from source offsets). Labels (`template` false)
   * take `${` literally. Leaves pos after the closing quote.
   */
  private quoted(p: number, template: boolean): { parts: (string | Expr)[]; template: boolean } {
    const t = this.t;
    const parts: (string | Expr)[] = [];
    let litStart = -1;
    let litEnd = -1;
    let interpolated = false;
    let i = p + 1;
    const flush = () => {
      if (litStart >= 0) parts.push(unescapeHcl(t.slice(litStart, litEnd)));
      litStart = -1;
    };
    for (;;) {
      const c = t.charCodeAt(i);
      if (i >= t.length) giveUp();
      let len = 1;
      if (c === C.QUOTE) {
        flush();
        this.pos = i + 1;
        return { parts, template: interpolated };
      }
      // A line break inside quotes is not HCL; tabs and spaces are literal text.
      if ((c < 32 && c !== C.TAB) || c === 0x7f) giveUp();
      if (c > 127) {
        // Unicode spaces are skipped by the scanner; leave those files to tree-sitter.
        if (/\s/.test(t[i]) || c === 0xfeff) giveUp();
        if (c >= 0xd800 && c <= 0xdbff) len = 2;
      } else if (c === C.BACKSLASH) {
        const e = t.charCodeAt(i + 1);
        if (e === C.QUOTE || e === 110 || e === 114 || e === 116 || e === C.BACKSLASH) len = 2;
        else if (e === 117 || e === 85) {
          const n = e === 117 ? 4 : 8;
          for (let k = 0; k < n; k++) if (!isHex(t.charCodeAt(i + 2 + k))) giveUp();
          len = 2 + n;
        } else giveUp();
      } else if (template && c === C.DOLLAR) {
        const n = t.charCodeAt(i + 1);
        if (n === C.LBRACE) {
          flush();
          interpolated = true;
          const q = this.skipNoComment(i + 2);
          if (this.code(q) === C.TILDE || this.code(q) === C.RBRACE) giveUp();
          this.pos = q;
          parts.push(this.expr());
          const r = this.skipNoComment(this.pos);
          if (this.code(r) !== C.RBRACE) giveUp();
          i = r + 1;
          continue;
        }
        if (n === C.DOLLAR) len = t.charCodeAt(i + 2) === C.LBRACE ? 3 : 2;
      } else if (template && c === C.PERCENT) {
        const n = t.charCodeAt(i + 1);
        if (n === C.LBRACE) giveUp(); // template directives
        if (n === C.PERCENT) len = t.charCodeAt(i + 2) === C.LBRACE ? 3 : 2;
      }
      if (litStart < 0) litStart = i;
      i += len;
      litEnd = i;
    }
  }
}

/** The file's syntax as convertTree would give it, or undefined when tree-sitter must read it. */
export function fastParse(text: string): FileAst | undefined {
  if (text.length > MAX_CHARS) return undefined;
  try {
    return new Reader(text).file();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    // Deep recursion and the like: tree-sitter decides.
    return undefined;
  }
}
