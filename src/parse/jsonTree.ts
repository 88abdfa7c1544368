// JSON/JSONC with offsets: jsonc-parser's tolerant parseTree (comments and trailing commas accepted;
// on an error the tree built so far is returned). Kept behind this module so every JSON format reads
// the same node shape and error list. Also the pieces of JsonDoc's JSON.parse path: the container
// offset scan, and the JSON.parse-equal value of a tree.
import * as jsonc from 'jsonc-parser';

export type NodeType = jsonc.NodeType;
export type Node = jsonc.Node;

export interface ParseError {
  message: string;
  offset: number;
  length: number;
}

export function parseTree(text: string, errors: ParseError[]): Node | undefined {
  const raw: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, raw, { allowTrailingComma: true, disallowComments: false });
  for (const e of raw) {
    // jsonc-parser can report past the end (an unterminated `/*` comment): clamp into the text.
    const offset = Math.min(e.offset, text.length);
    errors.push({ message: jsonc.printParseErrorCode(e.error), offset, length: Math.min(e.length, text.length - offset) });
  }
  return root;
}

/** The plain JS value of a node (objects, arrays, scalars). */
export function getNodeValue(node: Node): unknown {
  return jsonc.getNodeValue(node);
}

/**
 * The same value `JSON.parse` gives, from a tree: plain objects (an own `__proto__` key stays a key),
 * a repeated key keeps its last value at its first position. The tree path and the `JSON.parse` path
 * of JsonDoc therefore hand parsers the same values.
 */
export function plainValue(node: Node): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(plainValue);
    case 'object': {
      const obj: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (!k || !v) continue;
        const key = String(k.value);
        if (key === '__proto__')
          Object.defineProperty(obj, key, { value: plainValue(v), writable: true, enumerable: true, configurable: true });
        else obj[key] = plainValue(v);
      }
      return obj;
    }
    case 'null':
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    default:
      return undefined;
  }
}

/**
 * Where every container of a JSON text is: for the n-th `{` or `[` outside strings in pre-order,
 * `start[n]` (offset of the bracket), `end[n]` (just after the closing bracket) and `next[n]` (the
 * ordinal of the first container after this one's subtree, so a container's children are found by
 * skipping). `members` counts the `:` outside strings (one per object member in valid JSON).
 */
export interface ContainerTable {
  count: number;
  members: number;
  start: Int32Array;
  end: Int32Array;
  next: Int32Array;
}

/**
 * One pass over text that `JSON.parse` accepted (so it is valid JSON: strings are closed, brackets
 * balanced). Strings are skipped with indexOf; a quote is escaped when an odd run of backslashes
 * precedes it. Returns undefined when the text does not look balanced after all.
 */
export function scanContainers(text: string): ContainerTable | undefined {
  let cap = 1024;
  let start: Int32Array<ArrayBuffer> = new Int32Array(cap);
  let end = new Int32Array(cap);
  let next = new Int32Array(cap);
  let stack = new Int32Array(64);
  let depth = 0;
  let count = 0;
  let members = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // Whitespace (most of a pretty-printed file) is below '"': none of the tests below can match it.
    if (c < 34) continue;
    if (c === 34) {
      let j = text.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return undefined;
        if (text.charCodeAt(j - 1) !== 92) break;
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j;
    } else if (c === 123 || c === 91) {
      if (count === cap) {
        cap *= 2;
        start = grow(start, cap);
        end = grow(end, cap);
        next = grow(next, cap);
      }
      if (depth === stack.length) stack = grow(stack, depth * 2);
      start[count] = i;
      stack[depth++] = count++;
    } else if (c === 125 || c === 93) {
      if (depth === 0) return undefined;
      const o = stack[--depth];
      end[o] = i + 1;
      next[o] = count;
    } else if (c === 58) members++;
  }
  return depth === 0 ? { count, members, start, end, next } : undefined;
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
