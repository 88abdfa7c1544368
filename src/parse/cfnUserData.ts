// The text an EC2 instance of a CloudFormation template boots with (`UserData`), when the template writes it:
// a literal, `Fn::Base64` of one, the template string of `Fn::Sub` (its `${...}` variables stay as written, so
// what they decide is unknown), or `Fn::Join` over literal pieces (other pieces become an unknown value). Located
// where it is written, so what a firewall's bootstrap says is located too.
import type { CNode, CTree } from './cfnTree';
import type { SourceLocation } from '../model/types';

export interface UserDataText {
  text: string;
  locate: (start: number, end: number) => SourceLocation;
}

type Fn = (n: CNode) => { name: string; arg: CNode } | undefined;

/** Stands for a piece of a joined user data that the template does not write as text. */
const NOT_WRITTEN = '${value known at deploy time}';

export function cfnUserDataText(node: CNode | undefined, fn: Fn, file: string, text: string, tree: CTree): UserDataText | undefined {
  const whole = (n: CNode) => () => ({ file, range: tree.map.range(n.start, n.end) });
  const literal = (n: CNode): UserDataText | undefined => {
    if (n.t !== 'scalar' || typeof n.value !== 'string') return undefined;
    const s = n.value;
    const at = text.indexOf(s, n.start);
    if (at >= 0 && s.length > 0 && at + s.length <= n.end)
      return { text: s, locate: (a, b) => ({ file, range: tree.map.range(at + a, at + b) }) };
    return { text: s, locate: blockScalar(s, n) ?? whole(n) };
  };
  // A YAML block scalar (`|`) is its lines with their common indentation removed: each value line sits on its own
  // line of the file, that much further right.
  const blockScalar = (s: string, n: CNode): UserDataText['locate'] | undefined => {
    const lines = s.split('\n');
    const first = lines.find((l) => l.trim() !== '');
    if (first === undefined) return undefined;
    const head = text.indexOf(first, n.start);
    if (head < 0 || head > n.end) return undefined;
    const firstLine = tree.map.position(head).line;
    const indent = tree.map.position(head).character;
    const skipped = lines.indexOf(first);
    const fileLines = text.split(/\r?\n/);
    for (let i = skipped; i < lines.length; i++) {
      const l = lines[i];
      if (l !== '' && fileLines[firstLine + i - skipped]?.slice(indent) !== l) return undefined;
    }
    const starts: number[] = [];
    for (let i = 0, o = 0; i < lines.length; o += lines[i].length + 1, i++) starts.push(o);
    const pos = (off: number) => {
      let i = starts.length - 1;
      while (i > 0 && starts[i] > off) i--;
      return { line: firstLine + i - skipped, character: indent + off - starts[i] };
    };
    return (a, b) => ({ file, range: { start: pos(a), end: pos(b) } });
  };
  const walk = (n: CNode | undefined, depth: number): UserDataText | undefined => {
    if (!n || depth > 8) return undefined;
    const f = fn(n);
    if (!f) return literal(n);
    if (f.name === 'Fn::Base64') return walk(f.arg, depth + 1);
    if (f.name === 'Fn::Sub') return literal(f.arg.t === 'seq' ? (f.arg.items[0] ?? f.arg) : f.arg);
    if (f.name === 'Fn::Join' && f.arg.t === 'seq' && f.arg.items.length === 2) {
      const [sep, list] = f.arg.items;
      if (sep.t !== 'scalar' || list.t !== 'seq') return undefined;
      const pieces = list.items.map((i) => {
        const g = fn(i);
        const t = g?.name === 'Fn::Sub' ? literal(g.arg.t === 'seq' ? (g.arg.items[0] ?? g.arg) : g.arg) : g ? undefined : literal(i);
        return t?.text ?? NOT_WRITTEN;
      });
      return { text: pieces.join(String(sep.value ?? '')), locate: whole(n) };
    }
    return undefined;
  };
  return walk(node, 0);
}
