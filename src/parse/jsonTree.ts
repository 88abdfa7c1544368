// A small JSON/JSONC parser that keeps offsets, in the node shape of jsonc-parser's parseTree.
// Ours rather than jsonc-parser's because that package's `main` is a UMD bundle whose inner
// requires esbuild cannot follow when bundling for node; this one has no such problem.
// Tolerant like jsonc-parser: comments and trailing commas are accepted, and on an error the
// tree built so far is returned with the error's offset.

export type NodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';

export interface Node {
  type: NodeType;
  offset: number;
  length: number;
  value?: unknown;
  children?: Node[];
  parent?: Node;
}

export interface ParseError {
  message: string;
  offset: number;
  length: number;
}

const MAX_DEPTH = 500;

class Stop extends Error {}

export function parseTree(text: string, errors: ParseError[]): Node | undefined {
  const p = new JsonParser(text, errors);
  return p.parse();
}

class JsonParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string, private readonly errors: ParseError[]) {}

  parse(): Node | undefined {
    let root: Node | undefined;
    try {
      this.ws();
      if (this.i >= this.s.length) {
        this.fail('Value expected', 0);
        return undefined;
      }
      root = this.value(undefined, (n) => (root = n));
      this.ws();
      if (this.i < this.s.length) this.fail('End of file expected', 1);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    return root;
  }

  private fail(message: string, length: number): never {
    this.errors.push({ message, offset: Math.min(this.i, this.s.length), length: Math.max(0, Math.min(length, this.s.length - this.i)) });
    throw new Stop();
  }

  /** Whitespace and comments. */
  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) this.i++;
      else if (c === 47 && s[this.i + 1] === '/') {
        while (this.i < s.length && s[this.i] !== '\n' && s[this.i] !== '\r') this.i++;
      } else if (c === 47 && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) {
          this.fail('Unexpected end of comment', 2);
        }
        this.i = end + 2;
      } else return;
    }
  }

  /**
   * Parses one value. `attach` hooks the node into its parent as soon as it exists, so a later
   * error still leaves the partial container in the tree.
   */
  private value(parent: Node | undefined, attach: (n: Node) => void): Node {
    const s = this.s;
    const c = s[this.i];
    const start = this.i;
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_DEPTH) this.fail('Nesting too deep', 1);
      const node: Node = { type: c === '{' ? 'object' : 'array', offset: start, length: 1, children: [], parent };
      attach(node);
      this.i++;
      try {
        if (c === '{') this.objectBody(node);
        else this.arrayBody(node);
      } finally {
        node.length = this.i - start;
        this.depth--;
      }
      return node;
    }
    let node: Node;
    if (c === '"') node = { type: 'string', offset: start, length: 0, value: this.string(), parent };
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(this.i, this.i + 400));
      if (!m) this.fail('Invalid number format', 1);
      this.i += m[0].length;
      node = { type: 'number', offset: start, length: 0, value: Number(m[0]), parent };
    } else if (s.startsWith('true', this.i) || s.startsWith('false', this.i)) {
      const v = s.startsWith('true', this.i);
      this.i += v ? 4 : 5;
      node = { type: 'boolean', offset: start, length: 0, value: v, parent };
    } else if (s.startsWith('null', this.i)) {
      this.i += 4;
      node = { type: 'null', offset: start, length: 0, value: null, parent };
    } else this.fail(this.i >= s.length ? 'Value expected' : 'Invalid symbol', 1);
    node.length = this.i - start;
    attach(node);
    return node;
  }

  private objectBody(obj: Node): void {
    this.ws();
    let first = true;
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return;
      }
      if (!first) {
        if (this.s[this.i] !== ',') this.fail('Comma expected', 1);
        this.i++;
        this.ws();
        if (this.s[this.i] === '}') {
          this.i++;
          return;
        }
      }
      first = false;
      if (this.s[this.i] !== '"') this.fail('Property name expected', 1);
      const pStart = this.i;
      const prop: Node = { type: 'property', offset: pStart, length: 0, children: [], parent: obj };
      const key: Node = { type: 'string', offset: pStart, length: 0, value: this.string(), parent: prop };
      key.length = this.i - pStart;
      prop.children!.push(key);
      obj.children!.push(prop);
      try {
        this.ws();
        if (this.s[this.i] !== ':') this.fail('Colon expected', 1);
        this.i++;
        this.ws();
        this.value(prop, (n) => prop.children!.push(n));
      } finally {
        prop.length = this.i - pStart;
      }
    }
  }

  private arrayBody(arr: Node): void {
    let first = true;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return;
      }
      if (!first) {
        if (this.s[this.i] !== ',') this.fail('Comma expected', 1);
        this.i++;
        this.ws();
        if (this.s[this.i] === ']') {
          this.i++;
          return;
        }
      }
      first = false;
      this.value(arr, (n) => arr.children!.push(n));
    }
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let chunk = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('Unexpected end of string', 0);
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (c === 10 || c === 13) this.fail('Unexpected end of string', 1);
      if (c === 92) {
        out += s.slice(chunk, this.i);
        const e = s[this.i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid unicode sequence in string', 2);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          this.i += 2;
        } else this.fail('Invalid escape character in string', 2);
        chunk = this.i;
        continue;
      }
      this.i++;
    }
  }
}

/** The plain JS value of a node (objects, arrays, scalars). */
export function getNodeValue(node: Node): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(getNodeValue);
    case 'object': {
      const obj: Record<string, unknown> = Object.create(null);
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && v) obj[String(k.value)] = getNodeValue(v);
      }
      return { ...obj };
    }
    default:
      return node.value;
  }
}
