// JSON/JSONC with offsets: jsonc-parser's tolerant parseTree (comments and trailing commas accepted;
// on an error the tree built so far is returned). Kept behind this module so every JSON format reads
// the same node shape and error list.
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
