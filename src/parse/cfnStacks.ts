// CloudFormation templates that deploy other templates of the inputs (nested stacks, pipelines'
// CloudFormation actions): which file of the workspace a link names, and the parameter values each
// deployed template gets. A template deployed with different values by several links keeps its own
// (which deployment to analyse cannot be decided). And the exports of stacks that other templates import
// (`Fn::ImportValue`): which template's export an import names.
import * as path from 'node:path';
import type { CfnExport, CfnParameterValue, CfnStackLink, ParseOptions } from './types';

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
 * fragment): one deployment, or several that give the same values. `everyDeployed`: a template deployed
 * by several links with different values is listed too, with no values (none is taken: it keeps its
 * Defaults), so that the user's parameter values (CfnUserValues) are not taken for it either.
 */
export function stackParameters(
  templates: readonly { file: string; stacks?: CfnStackLink[] }[],
  everyDeployed = false,
): Map<string, NonNullable<ParseOptions['cfnParameters']>> {
  const files = templates.map((t) => t.file);
  const links = new Map<string, { by: string; values: Record<string, CfnParameterValue>; pipeline: boolean }[]>();
  for (const t of templates)
    for (const link of t.stacks ?? []) {
      const child = stackTemplateFile(t.file, link, files);
      if (!child || child === t.file) continue;
      const list = links.get(child) ?? [];
      list.push({ by: link.by, values: link.parameters, pipeline: link.match === 'suffix' });
      links.set(child, list);
    }
  const out = new Map<string, NonNullable<ParseOptions['cfnParameters']>>();
  for (const [child, list] of links) {
    const by = list.map((l) => l.by).join(', ');
    const pipeline = list.every((l) => l.pipeline) ? { pipeline: true as const } : {};
    if (new Set(list.map((l) => JSON.stringify(l.values))).size !== 1) {
      if (everyDeployed) out.set(child, { by, values: {}, ...pipeline });
      continue;
    }
    out.set(child, { by, values: list[0].values, ...pipeline });
  }
  return out;
}

/**
 * The name an `Fn::ImportValue` reads: its value when the template decides it (a literal, a parameter's Default
 * or given value), and, when it is a parameter followed by a literal (`!Sub "${NetworkStack}-VpcId"`), that
 * parameter and the literal: the parameter then names the exporting stack.
 */
export interface ImportName {
  literal?: string;
  stackParameter?: { name: string; suffix: string };
}

export type ImportJoin = { value: CfnParameterValue; why: string } | { several: string[]; what: string };

/**
 * The export of another template an import joins, and why; `several` when more than one template exports that
 * name (which stack is meant is not decided); undefined when none does. A literal name joins a literal export of
 * that name; a stack-name parameter followed by a literal joins the one export named `${AWS::StackName}` followed by
 * the same literal, the parameter taken as that template's stack.
 */
export function joinImport(
  name: ImportName,
  templates: readonly { file: string; exports: readonly CfnExport[] }[],
): ImportJoin | undefined {
  const said = (file: string, e: CfnExport, shown: string): string =>
    `${file}'s export ${shown} (output ${e.output}${e.via ? `; ${e.via}` : ''})`;
  if (name.literal !== undefined) {
    const hits = templates.flatMap((t) =>
      t.exports.filter((e) => 'literal' in e.name && e.name.literal === name.literal).map((e) => ({ file: t.file, e })),
    );
    if (hits.length > 1) return { several: hits.map((h) => `${h.file} (output ${h.e.output})`).sort(), what: `export ${name.literal}` };
    if (hits.length === 1) return { value: hits[0].e.value, why: said(hits[0].file, hits[0].e, name.literal) };
  }
  const sp = name.stackParameter;
  if (!sp || sp.suffix === '') return undefined;
  const hits = templates.flatMap((t) =>
    t.exports.filter((e) => 'stackSuffix' in e.name && e.name.stackSuffix === sp.suffix).map((e) => ({ file: t.file, e })),
  );
  const shown = `\${AWS::StackName}${sp.suffix}`;
  if (hits.length > 1) return { several: hits.map((h) => `${h.file} (output ${h.e.output})`).sort(), what: `an export named ${shown}` };
  if (hits.length === 0) return undefined;
  const given =
    name.literal !== undefined
      ? `; ${sp.name} = ${name.literal.slice(0, name.literal.length - sp.suffix.length)} is then that stack's name`
      : '';
  return {
    value: hits[0].e.value,
    why: `${said(hits[0].file, hits[0].e, shown)}, taken as ${sp.name}'s stack (the only template of the inputs exporting that name${given})`,
  };
}
