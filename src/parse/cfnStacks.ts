// CloudFormation templates that deploy other templates of the inputs (nested stacks, pipelines'
// CloudFormation actions): which file of the workspace a link names, and the parameter values each
// deployed template gets. A template deployed with different values by several links keeps its own
// (which deployment to analyse cannot be decided).
import * as path from 'node:path';
import type { CfnParameterValue, CfnStackLink, ParseOptions } from './types';

/** The workspace file a link names, or undefined when none (or more than one equally) fits. */
export function stackTemplateFile(parent: string, link: CfnStackLink, files: readonly string[]): string | undefined {
  if (link.match === 'relative') {
    const want = path.posix.normalize(path.posix.join(path.posix.dirname(parent), link.template));
    return files.includes(want) ? want : undefined;
  }
  // A path inside a pipeline artifact: the file whose path and the link's end alike, the whole of one of them.
  const want = link.template.replace(/^\.\//, '').split('/');
  let best: string | undefined;
  let bestLen = 0;
  let tie = false;
  for (const f of files) {
    const have = f.split('/');
    const n = Math.min(want.length, have.length);
    let same = 0;
    while (same < n && want[want.length - 1 - same] === have[have.length - 1 - same]) same++;
    if (same < n || same === 0) continue;
    if (same > bestLen) {
      best = f;
      bestLen = same;
      tie = false;
    } else if (same === bestLen) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * The parameter values of each deployed template, from every template's links (`stacks` of its
 * fragment): one deployment, or several that give the same values.
 */
export function stackParameters(
  templates: readonly { file: string; stacks?: CfnStackLink[] }[],
): Map<string, NonNullable<ParseOptions['cfnParameters']>> {
  const files = templates.map((t) => t.file);
  const links = new Map<string, { by: string; values: Record<string, CfnParameterValue> }[]>();
  for (const t of templates)
    for (const link of t.stacks ?? []) {
      const child = stackTemplateFile(t.file, link, files);
      if (!child || child === t.file) continue;
      const list = links.get(child) ?? [];
      list.push({ by: link.by, values: link.parameters });
      links.set(child, list);
    }
  const out = new Map<string, NonNullable<ParseOptions['cfnParameters']>>();
  for (const [child, list] of links) {
    if (new Set(list.map((l) => JSON.stringify(l.values))).size !== 1) continue;
    out.set(child, { by: list.map((l) => l.by).join(', '), values: list[0].values });
  }
  return out;
}
