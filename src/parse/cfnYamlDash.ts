// What CloudFormation's YAML reader (YAML 1.1, PyYAML) accepts and `yaml` (1.2) refuses: a lone `-`
// as a flow item, `!Split [-, !Ref AWS::StackId]`. PyYAML starts a plain scalar at a `-` that is
// not followed by a space, so `-,` / `-]` / `-}` is the string "-"; yaml reads a block sequence
// there and fails. A small scanner (flow depth, quotes, comments, block scalars) finds those dashes,
// and each is replaced by one placeholder character that yaml reads as a plain scalar: one UTF-16
// unit for one, so every offset and position stays exact. The tree builder turns the placeholder
// back into `-` (restoreDashes).

/** Characters that end a lone flow `-` in PyYAML's reading. */
const FLOW_END = new Set([',', ']', '}']);
const SPACE = new Set([' ', '\t']);

/**
 * Offsets of the `-` characters that are whole flow scalars. A scan, not a parse: it knows enough of
 * YAML to skip quoted scalars, comments and block scalar (`|`, `>`) bodies.
 */
export function loneFlowDashes(text: string): number[] {
  // Most templates have no `-` right before `,`, `]` or `}`: then there is nothing to scan for.
  if (!/-[,\]}]/.test(text)) return [];
  const out: number[] = [];
  const n = text.length;
  let flow = 0; // depth of [ ] / { }
  let quote: "'" | '"' | undefined;
  let nodeStart = true; // the next non-space character begins a node
  let lineStart = 0;
  let indent = 0;
  let keyCol = -1; // column of this line's block mapping key, if any
  let dashCol = -1; // column of this line's last block sequence dash, if any
  let nodeCol = 0; // column where the current node began
  let blockOwner = -2; // inside a block scalar body: lines indented more than this belong to it
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (i === lineStart) {
      let j = i;
      while (j < n && text[j] === ' ') j++;
      indent = j - i;
      if (blockOwner > -2) {
        const blank = j >= n || text[j] === '\n' || text[j] === '\r';
        if (blank || indent > blockOwner) {
          i = skipLine(text, i);
          lineStart = i + 1;
          continue;
        }
        blockOwner = -2;
      }
      if (!quote && flow === 0) nodeStart = true;
      keyCol = dashCol = -1;
    }
    if (c === '\n') {
      lineStart = i + 1;
      continue;
    }
    if (quote) {
      if (quote === "'" && c === "'") {
        if (text[i + 1] === "'") i++;
        else quote = undefined;
      } else if (quote === '"' && c === '\\') i++;
      else if (quote === '"' && c === '"') quote = undefined;
      continue;
    }
    if (SPACE.has(c) || c === '\r') continue;
    const prev = i === lineStart ? '\n' : text[i - 1];
    if (c === '#' && (prev === '\n' || SPACE.has(prev))) {
      i = skipLine(text, i) - 1;
      continue;
    }
    const next = text[i + 1] ?? '\n';
    const spaceNext = next === ' ' || next === '\t' || next === '\n' || next === '\r';
    const col = i - lineStart;
    if (nodeStart && (c === "'" || c === '"')) {
      quote = c;
      nodeStart = false;
      nodeCol = col;
      continue;
    }
    if (nodeStart && (c === '!' || c === '&' || c === '*')) {
      // A tag or anchor comes before its node; an alias is the node.
      while (i + 1 < n && !SPACE.has(text[i + 1]) && text[i + 1] !== '\n' && !(flow && /[,[\]{}]/.test(text[i + 1]))) i++;
      nodeStart = c !== '*';
      continue;
    }
    if (flow > 0) {
      if (c === '[' || c === '{') {
        flow++;
        nodeStart = true;
      } else if (c === ']' || c === '}') {
        flow--;
        nodeStart = false;
      } else if (c === ',') nodeStart = true;
      else if (c === ':' && (spaceNext || FLOW_END.has(next) || next === '[' || next === '{')) nodeStart = true;
      else if (c === '-' && nodeStart && FLOW_END.has(next)) {
        out.push(i);
        nodeStart = false;
      } else nodeStart = false;
      continue;
    }
    // Block context.
    if (nodeStart && (c === '[' || c === '{')) {
      flow = 1;
      continue;
    }
    if (nodeStart && (c === '-' || c === '?') && spaceNext) {
      if (c === '-') dashCol = col;
      continue;
    }
    if (c === ':' && spaceNext) {
      keyCol = nodeCol;
      nodeStart = true;
      continue;
    }
    if (nodeStart && (c === '|' || c === '>')) {
      // The body is every following line indented more than the key (or the dash) that owns it.
      blockOwner = keyCol >= 0 ? keyCol : dashCol >= 0 ? dashCol : indent - 1;
      i = skipLine(text, i) - 1;
      continue;
    }
    if (nodeStart) {
      nodeStart = false;
      nodeCol = col;
    }
  }
  return out;
}

/** The index of the newline ending the line that holds `i` (or the text's length). */
function skipLine(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}

/** A private-use character the text does not hold, or undefined (then nothing is replaced). */
function placeholderFor(text: string): string | undefined {
  for (let cp = 0xe000; cp < 0xe100; cp++) {
    const ch = String.fromCharCode(cp);
    if (!text.includes(ch)) return ch;
  }
  return undefined;
}

/** `text` with each lone flow dash replaced by `placeholder` (same length), and that placeholder. */
export function quoteLoneDashes(text: string): { text: string; placeholder?: string } {
  const at = loneFlowDashes(text);
  if (!at.length) return { text };
  const placeholder = placeholderFor(text);
  if (!placeholder) return { text };
  const parts: string[] = [];
  let from = 0;
  for (const i of at) {
    parts.push(text.slice(from, i), placeholder);
    from = i + 1;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), placeholder };
}

/** A scalar read from the rewritten text, as the original text spells it. */
export function restoreDashes(s: string, placeholder: string): string {
  return s.includes(placeholder) ? s.split(placeholder).join('-') : s;
}
