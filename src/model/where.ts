// `file:line` (1-based, as editors and reports show it) for reasons written into analysis results, so a
// reason can name where an undecidable input is. Reports convert full locations in src/report/location.ts.
import type { SourceLocation } from './types';

export function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.range.start.line + 1}`;
}
