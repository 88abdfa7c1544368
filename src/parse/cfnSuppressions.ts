// `egress-lens:ignore` acceptances of a CloudFormation template (model Suppression): `# egress-lens:ignore` comment
// lines above a resource's logical id (YAML: the comments the YAML parser gives, CTree.ignoreComments) and a
// resource's `Metadata: {egress-lens: {ignore: [codes], reason: text}}` (YAML and JSON). Each covers the resource.
import type { Suppression } from '../model/inputs';
import { entry, get, type CNode, type CTree } from './cfnTree';
import { stacked } from './suppressions';

export function cfnSuppressions(file: string, text: string, tree: CTree, template: CNode): Suppression[] {
  const res = get(template, 'Resources');
  if (res?.t !== 'map') return [];
  const map = tree.map;
  const out: Suppression[] = [];
  if (tree.ignoreComments) {
    const byLine = new Map<number, { start: number; end: number }>();
    for (const e of res.entries) byLine.set(map.position(e.keyStart).line, { start: e.keyStart, end: e.value.end });
    out.push(...stacked(file, text, tree.ignoreComments, map, (line) => byLine.get(line)));
  }
  for (const e of res.entries) {
    const m = entry(get(e.value, 'Metadata'), 'egress-lens');
    if (!m) continue;
    out.push({ ...metadataIgnore(m.value), loc: map.loc(file, m.keyStart, m.value.end), covers: map.range(e.keyStart, e.value.end) });
  }
  return out;
}

/** `{ignore: [codes] | "code,code", reason?: text}`: the codes written as literals (none when it is not that shape). */
function metadataIgnore(n: CNode): { codes: string[]; reason?: string } {
  const ignore = get(n, 'ignore');
  const codes: string[] = [];
  const add = (v: CNode): void => {
    if (v.t === 'scalar' && typeof v.value === 'string' && !v.tag) codes.push(...v.value.split(/[\s,]+/).filter((c) => c.length > 0));
  };
  if (ignore?.t === 'seq') ignore.items.forEach(add);
  else if (ignore) add(ignore);
  const reason = get(n, 'reason');
  return reason?.t === 'scalar' && typeof reason.value === 'string' && reason.value.trim()
    ? { codes, reason: reason.value.trim() }
    : { codes };
}
