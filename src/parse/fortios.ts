// A reader of FortiOS CLI configuration, as a FortiGate VM reads it from its bootstrap (user data or a
// config file): lines of commands, `config <path>` opening a section that `end` closes, `edit <name>` an
// entry of a table section that `next` closes, `set <key> <values>` and `unset <key>` inside either. Tokens
// are separated by blanks; double or single quotes hold blanks, a backslash escapes the next character; a
// line starting with `#` is a comment. The text may be a Terraform template: `${...}` and `%{...}` are kept
// inside tokens as written (their value is chosen when Terraform renders the file), and a token holding one
// is marked `template`. Never throws: what does not fit is a problem at its offset and reading goes on.

export interface FosToken {
  /** The value: quotes removed, escapes applied. */
  text: string;
  start: number;
  end: number;
  /** Holds a template interpolation or directive: its value is not in the text. */
  template: boolean;
}

export interface FosSetting {
  key: string;
  values: FosToken[];
  /** `unset`: back to the default. */
  unset: boolean;
  start: number;
  end: number;
}

/** What can hold settings and sections: a `config` section or one `edit` entry. */
export interface FosBlock {
  settings: FosSetting[];
  sections: FosSection[];
  /** Lines that are a template interpolation or directive where a command stands: they may expand to anything. */
  opaque: FosToken[];
}

export interface FosSection extends FosBlock {
  /** `config firewall policy` -> ['firewall', 'policy']. */
  path: string[];
  entries: FosEntry[];
  start: number;
  /** Offset after `end`, or the end of the text when the section is not closed. */
  end: number;
  closed: boolean;
}

export interface FosEntry extends FosBlock {
  name: FosToken;
  start: number;
  end: number;
  closed: boolean;
}

export interface FosProblem {
  message: string;
  start: number;
  end: number;
}

export interface FosConfig extends FosBlock {
  problems: FosProblem[];
}

/** Reads one line into tokens from `i`; returns the tokens and the offset of the next line. */
function lineTokens(text: string, i: number, problems: FosProblem[]): { tokens: FosToken[]; next: number } {
  const tokens: FosToken[] = [];
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
    if (i >= n) return { tokens, next: n };
    if (text[i] === '\n') return { tokens, next: i + 1 };
    const start = i;
    let value = '';
    let template = false;
    let quote: string | undefined;
    while (i < n) {
      const c = text[i];
      if (quote) {
        if (c === quote) {
          quote = undefined;
          i++;
          continue;
        }
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        // A quoted value may span lines (a certificate, a comment).
      } else {
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n') break;
        if (c === '"' || c === "'") {
          quote = c;
          i++;
          continue;
        }
        if (c === '\\' && i + 1 < n && text[i + 1] !== '\n') {
          value += text[i + 1];
          i += 2;
          continue;
        }
      }
      if ((c === '$' || c === '%') && text[i + 1] === '{') {
        // A template interpolation or directive, braces balanced: one piece of the token whatever it holds.
        const close = templateEnd(text, i + 2);
        template = true;
        value += text.slice(i, close);
        i = close;
        continue;
      }
      value += c;
      i++;
    }
    if (quote) problems.push({ message: `unterminated ${quote === '"' ? 'double' : 'single'}-quoted string`, start, end: i });
    tokens.push({ text: value, start, end: i, template });
  }
}

/** Offset after the `}` closing a template sequence whose body starts at `i` (the end of the text if none). */
function templateEnd(text: string, i: number): number {
  let depth = 1;
  let quote = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Reads a FortiOS configuration text. */
export function parseFortiOs(text: string): FosConfig {
  const problems: FosProblem[] = [];
  const top: FosConfig = { settings: [], sections: [], opaque: [], problems };
  // The open blocks, innermost last: the top, then alternating sections and entries.
  const stack: (FosConfig | FosSection | FosEntry)[] = [top];
  const isSection = (b: FosBlock): b is FosSection => 'path' in b;
  const isEntry = (b: FosBlock): b is FosEntry => 'name' in b;
  let i = 0;
  while (i < text.length) {
    const lineStart = i;
    const { tokens, next } = lineTokens(text, i, problems);
    i = next;
    if (tokens.length === 0) continue;
    const head = tokens[0];
    if (!head.template && head.text.startsWith('#') && text[head.start] === '#') continue;
    const cur = stack[stack.length - 1];
    const lineEnd = tokens[tokens.length - 1].end;
    if (head.template) {
      cur.opaque.push(head);
      continue;
    }
    switch (head.text) {
      case 'config': {
        const sec: FosSection = {
          path: tokens.slice(1).map((t) => t.text),
          settings: [],
          sections: [],
          opaque: [],
          entries: [],
          start: lineStart + (head.start - lineStart),
          end: text.length,
          closed: false,
        };
        if (tokens.length < 2) problems.push({ message: '`config` without a path', start: head.start, end: lineEnd });
        cur.sections.push(sec);
        stack.push(sec);
        break;
      }
      case 'edit': {
        if (!isSection(cur)) {
          problems.push({ message: '`edit` outside a `config` section', start: head.start, end: lineEnd });
          break;
        }
        const name = tokens[1] ?? { text: '', start: head.end, end: head.end, template: false };
        if (!tokens[1]) problems.push({ message: '`edit` without a name', start: head.start, end: lineEnd });
        const entry: FosEntry = { name, settings: [], sections: [], opaque: [], start: head.start, end: text.length, closed: false };
        cur.entries.push(entry);
        stack.push(entry);
        break;
      }
      case 'next': {
        if (isEntry(cur)) {
          cur.end = lineEnd;
          cur.closed = true;
          stack.pop();
        } else problems.push({ message: '`next` without an open `edit`', start: head.start, end: lineEnd });
        break;
      }
      case 'end': {
        // `end` closes the innermost section; an entry left open inside it closes with it.
        let k = stack.length - 1;
        while (k > 0 && !isSection(stack[k])) k--;
        if (k === 0) {
          problems.push({ message: '`end` without an open `config`', start: head.start, end: lineEnd });
          break;
        }
        for (let j = stack.length - 1; j > k; j--) {
          const open = stack[j] as FosEntry;
          problems.push({ message: `\`edit ${open.name.text}\` is not closed by \`next\``, start: open.start, end: open.name.end });
          open.end = head.start;
        }
        const sec = stack[k] as FosSection;
        sec.end = lineEnd;
        sec.closed = true;
        stack.length = k;
        break;
      }
      case 'set':
      case 'unset':
      case 'append': {
        if (!tokens[1]) {
          problems.push({ message: `\`${head.text}\` without a key`, start: head.start, end: lineEnd });
          break;
        }
        const unset = head.text === 'unset';
        const values = tokens.slice(2);
        const prev = head.text === 'append' ? cur.settings.find((s) => s.key === tokens[1].text) : undefined;
        if (prev) {
          prev.values = [...prev.values, ...values];
          prev.end = lineEnd;
        } else cur.settings.push({ key: tokens[1].text, values: unset ? [] : values, unset, start: head.start, end: lineEnd });
        break;
      }
      default:
        // Other commands (select, delete, rename, execute, ...) change no setting this reader needs.
        break;
    }
  }
  for (let j = stack.length - 1; j > 0; j--) {
    const open = stack[j];
    if (isSection(open))
      problems.push({ message: `\`config ${open.path.join(' ')}\` is not closed by \`end\``, start: open.start, end: open.start + 6 });
    else if (isEntry(open))
      problems.push({ message: `\`edit ${open.name.text}\` is not closed by \`next\``, start: open.start, end: open.name.end });
  }
  return top;
}

/** The last value a block gives a key (later `set`s win), or undefined when it sets none. */
export function setting(block: FosBlock, key: string): FosSetting | undefined {
  for (let k = block.settings.length - 1; k >= 0; k--) if (block.settings[k].key === key) return block.settings[k];
  return undefined;
}

/** Every section with the path, at any depth (inside VDOM entries, `config global`), in text order. */
export function sectionsNamed(
  block: FosBlock,
  path: string[],
  out: { section: FosSection; within: FosBlock[] }[] = [],
  within: FosBlock[] = [],
): { section: FosSection; within: FosBlock[] }[] {
  for (const s of block.sections) {
    if (s.path.length === path.length && s.path.every((p, k) => p === path[k])) out.push({ section: s, within });
    sectionsNamed(s, path, out, [...within, s]);
    for (const e of s.entries) sectionsNamed(e, path, out, [...within, s, e]);
  }
  return out;
}
