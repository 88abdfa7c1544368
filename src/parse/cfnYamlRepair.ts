// What CloudFormation's YAML reader (YAML 1.1, PyYAML; cfn-lint reads templates with PyYAML) accepts
// and `yaml` (1.2) refuses, repaired on yaml's own lexer tokens with every offset kept: each edit
// replaces characters one for one, so the positions of diagnostics and elements stay those of the
// user's file. Only a template that does not parse as it is gets here (cfnTree.ts).
//
// 1. A lone `-` as a flow item, `!Split [-, !Ref AWS::StackId]`, `!Join [ -, [...]]`: PyYAML starts
//    a plain scalar at a `-` that is not followed by a space, so `-,` / `-]` / `-}` is the string "-";
//    yaml reads a block sequence there and fails. The lexer yields such a dash as an indicator token
//    followed by `,`, `]` or `}` in flow context; it is replaced by one placeholder character that yaml
//    reads as a plain scalar, and the tree builder turns it back into `-` (restoreDashes).
// 2. A multi-line quoted scalar whose continuation lines are indented less than YAML 1.2 requires
//    (`PolicyDocument: '{` ... with the closing `}'` at the key's column): PyYAML does not check the
//    indentation of a quoted scalar's lines (only a `---` / `...` document marker ends it), so
//    CloudFormation reads it. yaml's lexer cuts the scalar at the first such line; the scalar is then
//    found in the text as PyYAML finds it (up to its closing quote), its line breaks become spaces so
//    yaml reads it on one line, and its value is read by yaml from the original characters as a
//    document of its own (where any indentation is allowed), with the same line folding.
import { CST, Lexer, parseDocument, isScalar } from 'yaml';

/** Repairs for one text: offsets of lone flow dashes, and quoted scalars read across lines. */
export interface YamlRepair {
  /** The text yaml reads: as long as the original, with every offset unchanged. */
  text: string;
  /** The character standing for a lone `-`, when there is one. */
  placeholder?: string;
  /** Value of each quoted scalar joined onto one line, by the offset of its opening quote. */
  quoted: Map<number, string>;
}

/** Flow indicators that end a lone `-` in PyYAML's reading. */
const FLOW_END = new Set([',', ']', '}']);
/** At most this many quoted scalars are joined in one file (each costs one more lexer pass). */
const MAX_QUOTED = 20;

interface Scan {
  dashes: number[];
  /** The offset of a quoted scalar the lexer ended before its closing quote, if any. */
  cut?: number;
}

/** One pass of yaml's lexer over `text`: lone flow dashes, and the first quoted scalar left open. */
function scan(text: string): Scan {
  // Each lexeme at its offset. A plain or block scalar's source follows a SCALAR marker and may
  // begin with any character: it is kept as a 'scalar' (or an empty one), never as an indicator.
  const toks: { s: string; at: number; scalar?: 'empty' | 'text' }[] = [];
  let off = 0;
  let scalarNext = false;
  for (const s of new Lexer().lex(text)) {
    if (scalarNext) {
      scalarNext = false;
      toks.push({ s, at: off, scalar: s === '' ? 'empty' : 'text' });
    } else if (s === CST.SCALAR) {
      scalarNext = true;
      continue;
    } else toks.push({ s, at: off });
    // The lexer's own markers are not in the source.
    if (s !== CST.DOCUMENT && s !== CST.FLOW_END) off += s.length;
  }
  const dashes: number[] = [];
  let flow = 0;
  let cut: number | undefined;
  for (let i = 0; i < toks.length; i++) {
    const { s, at, scalar } = toks[i];
    if (scalar) continue;
    if (s === '[' || s === '{') flow++;
    else if (s === ']' || s === '}') flow = Math.max(0, flow - 1);
    else if (s === CST.FLOW_END || s === CST.DOCUMENT) flow = 0;
    else if (s === '-' && flow > 0) {
      // `-` then `,` `]` `}` (the lexer may put an empty scalar between them).
      const next = toks[i + 1]?.scalar === 'empty' ? toks[i + 2] : toks[i + 1];
      if (next && !next.scalar && FLOW_END.has(next.s)) dashes.push(at);
    } else if (cut === undefined && (s[0] === "'" || s[0] === '"') && !closed(s)) cut = at;
  }
  return { dashes, cut };
}

/** Whether a quoted-scalar token ends with its closing quote. */
function closed(tok: string): boolean {
  const q = tok[0];
  for (let i = 1; i < tok.length; i++) {
    if (q === '"' && tok[i] === '\\') i++;
    else if (tok[i] === q) {
      if (q === "'" && tok[i + 1] === "'") i++;
      else return i === tok.length - 1;
    }
  }
  return false;
}

/**
 * The offset of the closing quote of the quoted scalar opening at `start`, as PyYAML scans it: any
 * indentation on the continuation lines, but a line starting with a document marker ends the
 * document (an error there too). Undefined when there is none.
 */
function closingQuote(text: string, start: number): number | undefined {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    } else if (c === '\n') {
      const m = text.slice(i + 1, i + 4);
      if ((m === '---' || m === '...') && /^[\s]?$/.test(text[i + 4] ?? '')) return undefined;
    }
  }
  return undefined;
}

/** The text with the quoted scalar at `start` joined onto one line, and its value; or undefined. */
function joinQuoted(text: string, start: number): { text: string; value: string } | undefined {
  const end = closingQuote(text, start);
  if (end === undefined) return undefined;
  // A quoted key spanning lines is refused by PyYAML too.
  let k = end + 1;
  while (text[k] === ' ' || text[k] === '\t') k++;
  if (text[k] === ':' && /^[\s,\]}]?$/.test(text[k + 1] ?? '')) return undefined;
  const raw = text.slice(start, end + 1);
  const alone = parseDocument(raw);
  if (alone.errors.length || !isScalar(alone.contents) || typeof alone.contents.value !== 'string') return undefined;
  const oneLine = raw.replace(/[\r\n]/g, ' ');
  return { text: text.slice(0, start) + oneLine + text.slice(end + 1), value: alone.contents.value };
}

/** A private-use character the text does not hold, or undefined (then no dash is replaced). */
function placeholderFor(text: string): string | undefined {
  for (let cp = 0xe000; cp < 0xe100; cp++) {
    const ch = String.fromCharCode(cp);
    if (!text.includes(ch)) return ch;
  }
  return undefined;
}

/** Offsets of the `-` characters that are whole flow scalars in PyYAML's reading. */
export function loneFlowDashes(text: string): number[] {
  return scan(text).dashes;
}

/**
 * The repairs of a text `yaml` refuses, or undefined when there is nothing to repair. With
 * `quoted` false, only lone dashes are repaired (the fallback when joining quoted scalars did not
 * make the template readable: yaml's own errors at the quote then say more).
 */
export function repairCfnYaml(text: string, quoted = true): YamlRepair | undefined {
  let t = text;
  const values = new Map<number, string>();
  let s = scan(t);
  while (quoted && s.cut !== undefined && values.size < MAX_QUOTED) {
    const joined = joinQuoted(t, s.cut);
    if (!joined) break;
    values.set(s.cut, joined.value);
    t = joined.text;
    s = scan(t);
  }
  if (!s.dashes.length && !values.size) return undefined;
  const placeholder = s.dashes.length ? placeholderFor(text) : undefined;
  if (placeholder) {
    const chars = t.split('');
    for (const i of s.dashes) chars[i] = placeholder;
    t = chars.join('');
  } else if (!values.size) return undefined;
  return { text: t, placeholder, quoted: values };
}

/** A scalar read from the repaired text, as the original text spells it. */
export function restoreDashes(s: string, placeholder: string): string {
  return s.includes(placeholder) ? s.split(placeholder).join('-') : s;
}
