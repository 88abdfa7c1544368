// Reports speak 1-based lines and columns (editors, SARIF, `file:line:col`), the model speaks 0-based
// (VS Code). The conversion lives here and nowhere else (src/model/where.ts only writes `file:line` into
// reason texts).
import type { SourceLocation, SourceRange } from '../model/types';

/** A 1-based region. End column is exclusive, as in SARIF (the column after the last character). */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface FlatLocation extends Region {
  file: string;
}

export function toRegion(range: SourceRange): Region {
  const startLine = range.start.line + 1;
  const startColumn = range.start.character + 1;
  let endLine = range.end.line + 1;
  let endColumn = range.end.character + 1;
  // A malformed (inverted) range would make an invalid SARIF region: collapse it to its start.
  if (endLine < startLine || (endLine === startLine && endColumn < startColumn)) {
    endLine = startLine;
    endColumn = startColumn;
  }
  return { startLine, startColumn, endLine, endColumn };
}

export function toFlatLocation(loc: SourceLocation): FlatLocation {
  return { file: loc.file, ...toRegion(loc.range) };
}

/** `file:line:col`, the form terminals and CI logs turn into links. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.range.start.line + 1}:${loc.range.start.character + 1}`;
}

/** Forward slashes everywhere, so reports are the same on every OS and SARIF URIs are valid. */
export function toPosixPath(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Order of locations in every report: file, then line, then column. */
export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  return a.range.start.character - b.range.start.character;
}
