// The registry and what users read about the codes stay in step with the rule modules: every rule
// module is registered, and docs/rules, the README's tables and the schema's code enums are what
// scripts/rules.mjs makes from the modules (run `npm run build` after changing a rule).
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  INPUT_DIAGNOSTICS,
  RULES,
  readmeTables,
  ruleDocPage,
  withReadmeTables,
  withSchemaCodes,
} from '../../../src/analysis/rules/catalog';
import type { Rule } from '../../../src/analysis/rules/rule';

const ROOT = join(__dirname, '../../../..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

describe('rules: catalogue', () => {
  it('every module of src/analysis/rules that exports a rule is registered, once', () => {
    const compiled = join(__dirname, '../../../src/analysis/rules');
    const exported: string[] = [];
    for (const f of readdirSync(compiled)
      .filter((x) => x.endsWith('.js'))
      .sort()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(compiled, f)) as { rule?: Rule };
      if (!mod.rule) continue;
      exported.push(mod.rule.code);
      assert.ok(
        (RULES as readonly Rule[]).includes(mod.rule),
        `${f} exports rule ${mod.rule.code}, which RULES (rules/index.ts) does not list`,
      );
    }
    assert.deepEqual([...exported].sort(), RULES.map((r) => r.code).sort());
    assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
  });

  it('docs/rules holds exactly one page per rule, made from the rule module', () => {
    const pages = readdirSync(join(ROOT, 'docs/rules'))
      .filter((f) => f.endsWith('.md'))
      .sort();
    assert.deepEqual(pages, RULES.map((r) => `${r.code}.md`).sort());
    for (const r of RULES)
      assert.equal(read(`docs/rules/${r.code}.md`), ruleDocPage(r), `docs/rules/${r.code}.md is out of date: npm run build`);
  });

  it("the README's tables list every rule code and every input-diagnostic code", () => {
    const readme = read('README.md');
    assert.equal(withReadmeTables(readme), readme, 'README.md tables are out of date: npm run build');
    const tables = readmeTables();
    for (const r of RULES) assert.ok(tables.includes(`[\`${r.code}\`](docs/rules/${r.code}.md) | ${r.defaultSeverity} |`), r.code);
    for (const code of Object.keys(INPUT_DIAGNOSTICS)) assert.ok(tables.includes(`| \`${code}\` |`), code);
  });

  it('the JSON schema enumerates the same rule and diagnostic codes', () => {
    const schema = read('docs/schema/analysis-result.schema.json');
    assert.equal(withSchemaCodes(schema), schema, 'the schema code enums are out of date: npm run build');
    const parsed = JSON.parse(schema) as { definitions: Record<string, { properties: { code: { enum: string[] } } }> };
    assert.deepEqual(
      parsed.definitions.finding.properties.code.enum,
      RULES.map((r) => r.code),
    );
    assert.deepEqual(parsed.definitions.diagnostic.properties.code.enum, Object.keys(INPUT_DIAGNOSTICS));
  });

  it('the generated tables are replaced, not appended, and need their markers', () => {
    const readme = read('README.md');
    const twice = withReadmeTables(withReadmeTables(readme)!);
    assert.equal(twice, readme);
    assert.equal(withReadmeTables('# no markers'), undefined);
    const stale = withReadmeTables(readme, readmeTables(RULES.slice(1)))!;
    assert.ok(!stale.includes(`\`${RULES[0].code}\``.concat('](')), 'a rule left out of the table is not listed');
  });
});
