// `file:line` (1-based, as editors and reports show it) for reasons written into analysis results, so a
// reason can name where an undecidable input is. Reports convert full locations in src/report/location.ts.
import type { SourceLocation } from './types';

export function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.range.start.line + 1}`;
}

/** The longest value quoted whole in a reason or message; a longer one, or one holding a line break, is described. */
export const QUOTE_MAX_CHARS = 64;

/**
 * A value for a reason or message: `"text"` when short and on one line, else `a text of N characters`. A configuration can make a value of a file's text
 * (`file()`): a report must never carry a file whole (review R1).
 */
export function quoted(value: string): string {
  if (value.length <= QUOTE_MAX_CHARS && !/[\r\n]/.test(value)) return `"${value}"`;
  return `a text of ${value.length} characters`;
}
