// Writes what users read about the codes from the rule modules (src/analysis/rules/*.ts) and the
// input-diagnostic list (src/model/inputs.ts): docs/rules/<code>.md, the README's rule and
// diagnostic tables, and the code enums of docs/schema/analysis-result.schema.json. Run by
// `npm run build`; `--check` only reports files that would change (exit 1).
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync, readdirSync, unlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const tmp = mkdtempSync(join(tmpdir(), 'egress-lens-rules-'));
const outfile = join(tmp, 'catalog.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/analysis/rules/catalog.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const catalog = createRequire(import.meta.url)(outfile);
rmSync(tmp, { recursive: true, force: true });

const stale = [];
function put(rel, text) {
  const file = join(root, rel);
  let old;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) return;
  stale.push(rel);
  if (!check) writeFileSync(file, text);
}

const docs = 'docs/rules';
const pages = new Set();
for (const rule of catalog.RULES) {
  pages.add(`${rule.code}.md`);
  put(`${docs}/${rule.code}.md`, catalog.ruleDocPage(rule));
}
for (const f of readdirSync(join(root, docs))) {
  if (!f.endsWith('.md') || pages.has(f)) continue;
  stale.push(`${docs}/${f} (no rule)`);
  if (!check) unlinkSync(join(root, docs, f));
}
const readme = catalog.withReadmeTables(readFileSync(join(root, 'README.md'), 'utf8'));
if (readme === undefined) {
  console.error('README.md: the generated-table markers are missing');
  process.exit(1);
}
put('README.md', readme);
const schema = 'docs/schema/analysis-result.schema.json';
put(schema, catalog.withSchemaCodes(readFileSync(join(root, schema), 'utf8')));

if (stale.length) console.log(`${check ? 'out of date' : 'rules: wrote'}: ${stale.join(', ')}`);
if (check && stale.length) process.exit(1);
