// A small tolerant XML reader, for firewall configurations written as XML (a PAN-OS bootstrap.xml): elements with
// their attributes, text and children, each with the offsets of its tags so what is read from it is located.
// It never throws: a tag left open, an end tag that closes nothing, an unterminated comment or an unknown entity
// is a problem with its offsets, and the tree is what the text makes sense as. Declarations, processing
// instructions, comments and a DOCTYPE are skipped; CDATA is text; the five named entities and character
// references are decoded. Namespaces are kept in names as written (`pan:rule`). No external entity is ever read.

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Its text content (direct text and CDATA, decoded, in order; children's text not included). */
  text: string;
  /** Offset of its start tag's `<`. */
  start: number;
  /** Offset after its start tag's `>`. */
  tagEnd: number;
  /** Offset after its end tag (or after the start tag of an empty element, or where it was left open). */
  end: number;
}

export interface XmlProblem {
  message: string;
  start: number;
  end: number;
}

export interface XmlDocument {
  /** The first top-level element; undefined when the text holds none. */
  root?: XmlElement;
  problems: XmlProblem[];
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes entity and character references; an unknown one is kept as written, with a problem. */
function decode(s: string, at: number, problems: XmlProblem[]): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string, off: number) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    } else if (ref in NAMED) return NAMED[ref];
    problems.push({ message: `unknown entity ${whole}`, start: at + off, end: at + off + whole.length });
    return whole;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

export function parseXml(text: string): XmlDocument {
  const problems: XmlProblem[] = [];
  const tops: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const addText = (s: string, at: number): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += decode(s, at, problems);
    else if (s.trim() !== '') problems.push({ message: 'text outside the root element', start: at, end: at + s.length });
  };
  /** Skips to `close` after `from`; a construct never closed runs to the end, with a problem. */
  const skipTo = (from: number, close: string, what: string): number => {
    const j = text.indexOf(close, from);
    if (j >= 0) return j + close.length;
    problems.push({ message: `${what} is not closed`, start: from, end: text.length });
    return text.length;
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      addText(text.slice(i), i);
      break;
    }
    if (lt > i) addText(text.slice(i, lt), i);
    if (text.startsWith('<!--', lt)) i = skipTo(lt + 4, '-->', 'a comment');
    else if (text.startsWith('<![CDATA[', lt)) {
      const j = text.indexOf(']]>', lt + 9);
      const body = text.slice(lt + 9, j < 0 ? text.length : j);
      const top = stack[stack.length - 1];
      if (top) top.text += body;
      i = skipTo(lt + 9, ']]>', 'a CDATA section');
    } else if (text.startsWith('<?', lt)) i = skipTo(lt + 2, '?>', 'a processing instruction');
    else if (text.startsWith('<!', lt)) {
      // A DOCTYPE, with an internal subset in brackets when it has one.
      const bracket = text.indexOf('[', lt);
      const gt = text.indexOf('>', lt);
      i =
        bracket >= 0 && gt >= 0 && bracket < gt
          ? skipTo(skipTo(bracket, ']', 'a DOCTYPE'), '>', 'a DOCTYPE')
          : skipTo(lt + 2, '>', 'a declaration');
    } else if (text[lt + 1] === '/') {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(text);
      const gt = text.indexOf('>', lt);
      const end = gt < 0 ? text.length : gt + 1;
      const name = m?.[0] ?? '';
      // Close up to the element it names (those left open inside it end here); one naming no open element is ignored.
      let k = stack.length - 1;
      while (k >= 0 && stack[k].name !== name) k--;
      if (k < 0) problems.push({ message: `end tag </${name}> closes no open element`, start: lt, end });
      else
        while (stack.length > k) {
          const el = stack.pop()!;
          if (stack.length > k) problems.push({ message: `<${el.name}> is not closed before </${name}>`, start: el.start, end: el.tagEnd });
          el.end = end;
        }
      i = end;
    } else {
      NAME.lastIndex = lt + 1;
      const m = NAME.exec(text);
      if (!m) {
        // A lone `<` in text: kept as text.
        problems.push({ message: 'a `<` that starts no tag', start: lt, end: lt + 1 });
        addText('<', lt);
        i = lt + 1;
        continue;
      }
      const el: XmlElement = { name: m[0], attrs: new Map(), children: [], text: '', start: lt, tagEnd: lt, end: lt };
      let j = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(text);
        if (!a) break;
        el.attrs.set(a[1], decode(a[3] ?? a[4] ?? '', a.index, problems));
        j = ATTR.lastIndex;
      }
      const gt = text.indexOf('>', j);
      if (gt < 0) problems.push({ message: `the tag <${el.name}> is not closed`, start: lt, end: text.length });
      else if (text.slice(j, gt).trim() !== '' && text.slice(j, gt).trim() !== '/')
        problems.push({ message: `unreadable attributes in <${el.name}>`, start: j, end: gt });
      const selfClosing = gt > 0 && text[gt - 1] === '/';
      el.tagEnd = el.end = gt < 0 ? text.length : gt + 1;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else tops.push(el);
      if (!selfClosing && gt >= 0) stack.push(el);
      i = el.tagEnd;
    }
  }
  for (const el of stack) {
    problems.push({ message: `<${el.name}> is not closed`, start: el.start, end: el.tagEnd });
    el.end = text.length;
  }
  if (tops.length > 1) problems.push({ message: 'more than one root element', start: tops[1].start, end: tops[1].tagEnd });
  return { ...(tops[0] ? { root: tops[0] } : {}), problems };
}

/** The children of an element with a name. */
export const childrenNamed = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];

/** The first child with a name, following a path of names. */
export function childAt(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) cur = cur?.children.find((c) => c.name === name);
  return cur;
}

/** The `<entry name="...">` children of an element, by name (the first of a name wins). */
export function entries(el: XmlElement | undefined): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  for (const c of childrenNamed(el, 'entry')) {
    const n = c.attrs.get('name');
    if (n !== undefined && !out.has(n)) out.set(n, c);
  }
  return out;
}

/** The trimmed texts of an element's `<member>` children. */
export const members = (el: XmlElement | undefined): string[] => childrenNamed(el, 'member').map((m) => m.text.trim());
