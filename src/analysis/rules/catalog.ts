// What users read about the codes, made from the rule modules and the input-diagnostic list so that
// each text is written once: docs/rules/<code>.md, the README's tables, and the code enums of the
// JSON schema. scripts/rules.mjs writes them during `npm run build`; a unit test fails when the files
// on disk say something else.
import { INPUT_DIAGNOSTICS } from '../../model/inputs';
import { RULES } from './index';
import type { Rule } from './rule';

export { RULES, INPUT_DIAGNOSTICS };

/** The documentation page of a rule (docs/rules/<code>.md). */
export function ruleDocPage(rule: Rule): string {
  return `# ${rule.code}\n\n${rule.title}.\n\nDefault severity: **${rule.defaultSeverity}** (configurable with \`egressLens.rules\`).\n\n${rule.doc}\n`;
}

export const README_BEGIN =
  '<!-- Rule and diagnostic tables: written by scripts/rules.mjs from src/analysis/rules and src/model/inputs.ts. -->';
export const README_END = '<!-- End of the generated tables. -->';

/** The README's tables: every rule code, then every input-diagnostic code, each sorted by code. */
export function readmeTables(rules: readonly Rule[] = RULES): string {
  const byCode = [...rules].sort((a, b) => (a.code < b.code ? -1 : 1));
  const lines = [README_BEGIN, '', '| code | default | fires when |', '|---|---|---|'];
  for (const r of byCode) lines.push(`| [\`${r.code}\`](docs/rules/${r.code}.md) | ${r.defaultSeverity} | ${r.title}. |`);
  lines.push('', 'Problems found while reading the inputs are reported with these codes (severity per case):', '');
  lines.push('| code | reported when |', '|---|---|');
  for (const code of Object.keys(INPUT_DIAGNOSTICS).sort())
    lines.push(`| \`${code}\` | ${INPUT_DIAGNOSTICS[code as keyof typeof INPUT_DIAGNOSTICS]} |`);
  lines.push('', README_END);
  return lines.join('\n');
}

/** `readme` with its generated tables replaced by `tables`; undefined when the markers are missing. */
export function withReadmeTables(readme: string, tables: string = readmeTables()): string | undefined {
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) return undefined;
  return readme.slice(0, a) + tables + readme.slice(b + README_END.length);
}

/** The JSON schema text with the code enums of findings and diagnostics set from the code lists. */
export function withSchemaCodes(schemaText: string, rules: readonly Rule[] = RULES): string {
  const schema = JSON.parse(schemaText) as { definitions: Record<string, { properties: Record<string, unknown> }> };
  const finding = schema.definitions.finding.properties;
  finding.code = { ...(finding.code as object), enum: rules.map((r) => r.code) };
  schema.definitions.diagnostic.properties.code = {
    enum: Object.keys(INPUT_DIAGNOSTICS),
    description: 'Input-diagnostic code; the README lists them.',
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
