// Offsets to VS Code style positions. Every parser turns character offsets (jsonTree, yaml) into
// 0-based line/character ranges with one LineMap per file, and clamps so no range leaves the file.
import type { Position, SourceLocation, SourceRange } from '../model/types';

export class LineMap {
  /** Offset of the first character of each line: after \n, \r\n or a lone \r. */
  private readonly starts: Int32Array;
  private readonly lines: number;
  /** The line of the last lookup: locations are mostly asked for in file order. */
  private last = 0;
  /** Whether the text has a \r at all (else no offset can sit inside a CRLF). */
  private readonly crlf: boolean;

  constructor(readonly text: string) {
    // indexOf finds each \n natively; a typed array grown by doubling is far cheaper than number[].push.
    let starts = new Int32Array(256);
    let n = 1;
    const crlf = (this.crlf = text.indexOf('\r') >= 0);
    for (let i = crlf ? 0 : text.indexOf('\n'); i >= 0 && i < text.length; i = crlf ? i + 1 : text.indexOf('\n', i + 1)) {
      if (crlf) {
        const c = text.charCodeAt(i);
        if (c !== 10 && (c !== 13 || text.charCodeAt(i + 1) === 10)) continue;
      }
      if (n === starts.length) {
        const bigger = new Int32Array(n * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[n++] = i + 1;
    }
    this.lines = n;
    this.starts = starts;
  }

  /** The line an offset (already clamped into the text) is on. */
  private lineOf(off: number): number {
    const s = this.starts;
    const n = this.lines;
    let lo = this.last;
    if (s[lo] <= off) {
      // Forward from the last lookup: a few lines ahead is the common case (the end of an object).
      for (let k = 0; k < 8; k++) {
        if (lo + 1 === n || s[lo + 1] > off) return (this.last = lo);
        lo++;
      }
    } else lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  position(offset: number): Position {
    const len = this.text.length;
    const off =
      offset >= 0 && offset <= len ? Math.floor(offset) : Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, len));
    const line = this.lineOf(off);
    const start = this.starts[line];
    // An offset between the \r and \n of a CRLF is the end of that line's text.
    const inCrlf = this.crlf && off > start && this.text.charCodeAt(off) === 10 && this.text.charCodeAt(off - 1) === 13;
    return { line, character: off - start - (inCrlf ? 1 : 0) };
  }

  range(start: number, end: number): SourceRange {
    const s = Math.max(0, Math.min(start, this.text.length));
    return { start: this.position(s), end: this.position(Math.max(s, end)) };
  }

  loc(file: string, start: number, end: number): SourceLocation {
    return { file, range: this.range(start, end) };
  }

  /** The position just after the last character: the largest valid position in the file. */
  endPosition(): Position {
    return this.position(this.text.length);
  }
}

/** A zero-length location at the top of a file, for whole-file diagnostics. */
export function fileStart(file: string): SourceLocation {
  return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** Is `r` inside a file of the given text (used by tests and the workspace's sanity checks). */
export function rangeInside(r: SourceRange, text: string): boolean {
  const map = new LineMap(text);
  const end = map.endPosition();
  const ok = (p: Position): boolean => {
    if (p.line < 0 || p.character < 0 || p.line > end.line) return false;
    const lineLen = lineLength(text, p.line);
    return p.character <= lineLen;
  };
  const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return ok(r.start) && ok(r.end) && before(r.start, r.end);
}

function lineLength(text: string, line: number): number {
  const start = offsetOfLine(text, line);
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i - start;
}

function offsetOfLine(text: string, line: number): number {
  let l = 0;
  let i = 0;
  while (l < line && i < text.length) {
    const c = text[i++];
    if (c === '\n') l++;
    else if (c === '\r') {
      if (text[i] === '\n') i++;
      l++;
    }
  }
  return i;
}
