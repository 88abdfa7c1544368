// `egress-lens:ignore` acceptances (model Suppression) as the parsers find them: comment lines the Terraform
// readers (fastparse.ts, ast.ts) and the YAML parser (cfnTree.ts) hand over, and CloudFormation Metadata
// (cloudformation.ts). Only a comment the parser found is read here, and only its own text.
// The analysis (analysis/suppress.ts) matches them with findings.
import type { Suppression } from '../model/inputs';
import type { Span } from './terraform/ast';
import type { FileAst } from './terraform/ast';
import type { LineMap } from './locate';

export const IGNORE_MARK = 'egress-lens:ignore';

const HASH = 35;
const SLASH = 47;

/**
 * Whether the line comment starting at `start` (`#` or `//`) is an `egress-lens:ignore` one. Cheap: the readers
 * ask it of every comment they pass, and all but these are passed over.
 */
export function isIgnoreComment(text: string, start: number): boolean {
  const c = text.charCodeAt(start);
  let p: number;
  if (c === HASH) p = start + 1;
  else if (c === SLASH && text.charCodeAt(start + 1) === SLASH) p = start + 2;
  else return false;
  while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
  if (!text.startsWith(IGNORE_MARK, p)) return false;
  const n = text.charCodeAt(p + IGNORE_MARK.length);
  return Number.isNaN(n) || n === 32 || n === 9 || n === 10 || n === 13;
}

/** The end of the comment line starting at `start`: before its line break (and a `\r`) or at the end of the text. */
export function commentLineEnd(text: string, start: number): number {
  let e = text.indexOf('\n', start);
  if (e < 0) e = text.length;
  while (e > start && (text.charCodeAt(e - 1) === 13 || text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  return e;
}

/**
 * The codes and reason of an `egress-lens:ignore` comment: `# egress-lens:ignore code[,code...] [-- reason]`
 * (`//` too). Codes are separated by commas or spaces; the reason is what follows `--`.
 */
export function readIgnoreComment(comment: string): { codes: string[]; reason?: string } {
  const body = comment.replace(/^(#|\/\/)\s*/, '');
  const rest = body.slice(IGNORE_MARK.length);
  const dash = rest.indexOf('--');
  const list = dash < 0 ? rest : rest.slice(0, dash);
  const reason = dash < 0 ? '' : rest.slice(dash + 2).trim();
  const codes = list.split(/[\s,]+/).filter((c) => c.length > 0);
  return reason ? { codes, reason } : { codes };
}

/** Whether only spaces and tabs stand between the start of the line and `at`. */
function ownLine(text: string, at: number): boolean {
  for (let p = at - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Suppressions from `egress-lens:ignore` comments (spans of the comments, as the Terraform readers recorded
 * them) to the HCL items below them: a comment on its own line accepts findings in the block or argument that
 * starts on the next line, or, through a stack of such comments, below the last of them.
 */
export function hclSuppressions(file: string, text: string, ast: FileAst, lines: LineMap): Suppression[] {
  const marks = ast.marks;
  if (!marks || marks.length === 0) return [];
  // The outermost item starting on each line (a block before its own contents).
  const itemAt = new Map<number, Span>();
  const put = (s: Span): void => {
    const line = lines.position(s.start).line;
    if (!itemAt.has(line)) itemAt.set(line, s);
  };
  const visit = (blocks: FileAst['blocks']): void => {
    for (const b of blocks) {
      put(b.span);
      for (const a of b.attrs.values()) put(a.span);
      visit(b.blocks);
    }
  };
  for (const a of ast.topAttrs) put(a.span);
  visit(ast.blocks);
  return stacked(file, text, marks, lines, (line) => itemAt.get(line));
}

/**
 * One Suppression per comment: those on their own line cover the item starting on the line after the stack of
 * ignore comments they are in (`target` gives it by line), the others nothing.
 */
export function stacked(
  file: string,
  text: string,
  marks: readonly Span[],
  lines: LineMap,
  target: (line: number) => Span | undefined,
): Suppression[] {
  const own = new Map<number, Span>();
  for (const m of marks) if (ownLine(text, m.start)) own.set(lines.position(m.start).line, m);
  const out: Suppression[] = [];
  for (const m of marks) {
    const s: Suppression = { ...readIgnoreComment(text.slice(m.start, m.end)), loc: lines.loc(file, m.start, m.end) };
    if (ownLine(text, m.start)) {
      let line = lines.position(m.start).line + 1;
      while (own.has(line)) line++;
      const t = target(line);
      if (t) s.covers = lines.range(t.start, t.end);
    }
    out.push(s);
  }
  return out;
}
