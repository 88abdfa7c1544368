// The edit that accepts a finding where it is located (the editor's "Ignore <code> for this resource" quick fix):
// an `egress-lens:ignore` comment line above the resource holding the finding's location (Terraform: the
// top-level block; CloudFormation YAML: the logical id under Resources), with that line's indentation, or, in a
// CloudFormation JSON template (no comments), the code added to the resource's `Metadata.egress-lens.ignore`.
// Each file is read with its parser: tree-sitter HCL (or the direct reader), yaml, jsonc-parser.
import * as jsonc from 'jsonc-parser';
import type { Position, SourceRange } from '../model/types';
import { detectFormat } from './detect';
import { get, parseJsonTree, parseYamlTree, type CNode } from './cfnTree';
import { LineMap } from './locate';
import { IGNORE_MARK } from './suppressions';
import { fastParse } from './terraform/fastparse';
import { convertTree, type FileAst } from './terraform/ast';
import { terraformParser } from './terraform/wasm';

export interface IgnoreEdit {
  title: string;
  edits: { range: SourceRange; newText: string }[];
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function hclAst(text: string): FileAst | undefined {
  const fast = fastParse(text);
  if (fast) return fast;
  const tree = terraformParser()?.parse(text);
  if (!tree) return undefined;
  try {
    return convertTree(tree.rootNode, text);
  } finally {
    tree.delete();
  }
}

/** A comment line `<indent># egress-lens:ignore <code>` inserted before the line of `offset`. */
function commentAbove(text: string, lines: LineMap, offset: number, code: string): IgnoreEdit['edits'] {
  const line = lines.position(offset).line;
  const lineStart = offset - lines.position(offset).character;
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  return [{ range: { start: at, end: at }, newText: `${text.slice(lineStart, i)}# ${IGNORE_MARK} ${code}${eol}` }];
}

/**
 * The edit accepting `code`'s finding located at `at` in `file` (whose text is `text`); undefined when the file is
 * not Terraform or a CloudFormation template, or no resource holds the location.
 */
export function ignoreEdit(file: string, text: string, at: SourceRange, code: string): IgnoreEdit | undefined {
  const title = `Ignore ${code} for this resource`;
  const lines = new LineMap(text);
  const holds = (start: number, end: number): boolean => before(lines.position(start), at.start) && before(at.end, lines.position(end));
  if (/\.tf$/i.test(file)) {
    const ast = hclAst(text);
    const block = ast?.blocks.find((b) => holds(b.span.start, b.span.end));
    return block ? { title, edits: commentAbove(text, lines, block.span.start, code) } : undefined;
  }
  if (detectFormat(file, text) !== 'cloudformation') return undefined;
  const json = /^\s*[{[]/.test(text);
  const tree = json ? parseJsonTree(file, text) : parseYamlTree(file, text);
  const resources = get(tree.root, 'Resources');
  const res = resources?.t === 'map' ? resources.entries.find((e) => holds(e.keyStart, e.value.end)) : undefined;
  if (!res) return undefined;
  if (!json) return { title, edits: commentAbove(text, lines, res.keyStart, code) };
  // JSON: the code joins the resource's Metadata `egress-lens.ignore` list.
  const ignore = get(get(get(res.value, 'Metadata'), 'egress-lens'), 'ignore');
  const codes =
    ignore?.t === 'seq' ? ignore.items.flatMap((i: CNode) => (i.t === 'scalar' && typeof i.value === 'string' ? [i.value] : [])) : [];
  if (codes.includes(code)) return undefined;
  // The template's indentation unit, from the logical id's (two levels deep).
  const keyLine = res.keyStart - lines.position(res.keyStart).character;
  let n = keyLine;
  while (text[n] === ' ' || text[n] === '\t') n++;
  const tabs = text[keyLine] === '\t';
  const edits = jsonc.modify(text, ['Resources', res.key, 'Metadata', 'egress-lens', 'ignore'], [...codes, code], {
    formattingOptions: {
      insertSpaces: !tabs,
      tabSize: tabs ? 1 : Math.max(1, Math.floor((n - keyLine) / 2)),
      eol: text.includes('\r\n') ? '\r\n' : '\n',
    },
  });
  return { title, edits: edits.map((e) => ({ range: lines.range(e.offset, e.offset + e.length), newText: e.content })) };
}
