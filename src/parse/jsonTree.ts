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
}

export interface ParseError {
  message: string;
  offset: number;
  length: number;
}

const MAX_DEPTH = 500;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Stop extends Error {}

export function parseTree(text: string, errors: ParseError[]): Node | undefined {
  const p = new JsonParser(text, errors);
  return p.parse();
}

class JsonParser {
  private i = 0;
  constructor(private readonly s: string, private readonly errors: ParseError[]) {}

  /** Containers still open; on an error their lengths are closed at the error offset. */
  private readonly open: Node[] = [];

  parse(): Node | undefined {
    const holder: Node = { type: 'array', offset: 0, length: 0, children: [] };
    try {
      this.ws();
      if (this.i >= this.s.length) this.fail('Value expected', 0);
      this.value(holder);
      this.ws();
      if (this.i < this.s.length) this.fail('End of file expected', 1);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      for (const n of this.open) n.length = Math.min(this.i, this.s.length) - n.offset;
    }
    const root = holder.children![0];
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
      else if (c === 47 && s.charCodeAt(this.i + 1) === 47) {
        while (this.i < s.length && s.charCodeAt(this.i) !== 10 && s.charCodeAt(this.i) !== 13) this.i++;
      } else if (c === 47 && s.charCodeAt(this.i + 1) === 42) {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('Unexpected end of comment', 2);
        this.i = end + 2;
      } else return;
    }
  }

  /** Parses one value and appends it to `parent.children` as soon as it exists (partial trees survive errors). */
  private value(parent: Node): void {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    const start = this.i;
    if (c === 123 || c === 91) {
      if (this.open.length >= MAX_DEPTH) this.fail('Nesting too deep', 1);
      const node: Node = { type: c === 123 ? 'object' : 'array', offset: start, length: 1, value: undefined, children: [] };
      parent.children!.push(node);
      this.open.push(node);
      this.i++;
      if (c === 123) this.objectBody(node);
      else this.arrayBody(node);
      node.length = this.i - start;
      this.open.pop();
      return;
    }
    let node: Node;
    if (c === 34) node = { type: 'string', offset: start, length: 0, value: this.string(), children: undefined };
    else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = this.i;
      const m = NUMBER.exec(s);
      if (!m) this.fail('Invalid number format', 1);
      this.i += m[0].length;
      node = { type: 'number', offset: start, length: 0, value: Number(m[0]), children: undefined };
    } else if (s.startsWith('true', this.i) || s.startsWith('false', this.i)) {
      const v = c === 116;
      this.i += v ? 4 : 5;
      node = { type: 'boolean', offset: start, length: 0, value: v, children: undefined };
    } else if (s.startsWith('null', this.i)) {
      this.i += 4;
      node = { type: 'null', offset: start, length: 0, value: null, children: undefined };
    } else this.fail(this.i >= s.length ? 'Value expected' : 'Invalid symbol', 1);
    node.length = this.i - start;
    parent.children!.push(node);
  }

  private objectBody(obj: Node): void {
    let first = true;
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) === 125) {
        this.i++;
        return;
      }
      if (!first) {
        if (this.s.charCodeAt(this.i) !== 44) this.fail('Comma expected', 1);
        this.i++;
        this.ws();
        if (this.s.charCodeAt(this.i) === 125) {
          this.i++;
          return;
        }
      }
      first = false;
      if (this.s.charCodeAt(this.i) !== 34) this.fail('Property name expected', 1);
      const pStart = this.i;
      const prop: Node = { type: 'property', offset: pStart, length: 0, value: undefined, children: [] };
      obj.children!.push(prop);
      this.open.push(prop);
      const key: Node = { type: 'string', offset: pStart, length: 0, value: this.string(), children: undefined };
      key.length = this.i - pStart;
      prop.children!.push(key);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail('Colon expected', 1);
      this.i++;
      this.ws();
      this.value(prop);
      prop.length = this.i - pStart;
      this.open.pop();
    }
  }

  private arrayBody(arr: Node): void {
    let first = true;
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) === 93) {
        this.i++;
        return;
      }
      if (!first) {
        if (this.s.charCodeAt(this.i) !== 44) this.fail('Comma expected', 1);
        this.i++;
        this.ws();
        if (this.s.charCodeAt(this.i) === 93) {
          this.i++;
          return;
        }
      }
      first = false;
      this.value(arr);
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
