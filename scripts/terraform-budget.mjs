// How much of the Terraform evaluation budget real code uses: for each folder given, every .tf file
// under it is loaded as a user's workspace would be, and the most steps any root module spent is
// printed beside the budget it had. Needs `npm run build` (wasm) and `npm run compile-tests` (out/).
// Usage: node scripts/terraform-budget.mjs <folder>...
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.resolve(process.env.EGRESS_LENS_TEST_OUT ?? path.join(root, 'out'));
const { initTerraform, TerraformIndex } = require(path.join(outDir, 'src/parse/terraform/index.js'));

const SKIP = new Set(['node_modules', '.git', '.terraform']);
function tfFiles(dir, base, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory() && !SKIP.has(e.name)) tfFiles(abs, base, out);
    else if (e.isFile() && /\.tf$/.test(e.name)) out.push(abs);
  }
  return out;
}

await initTerraform({ wasmDir: path.join(root, 'dist') });
console.log('| folder | .tf files | steps used (most of any root module) | budget per root module | share |');
console.log('|---|---:|---:|---:|---:|');
let worst = 0;
for (const dir of process.argv.slice(2).filter((d) => fs.statSync(d).isDirectory())) {
  const files = tfFiles(dir, dir);
  if (!files.length) continue;
  const index = new TerraformIndex({ maxFileBytes: 256 * 1024 * 1024 });
  for (const f of files) index.setFile(path.relative(dir, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8'));
  index.build();
  const { used, budget } = index.lastBudget;
  worst = Math.max(worst, used / budget);
  console.log(
    `| ${path.basename(dir)} | ${files.length} | ${used.toLocaleString('en-US')} | ${budget.toLocaleString('en-US')} | ${((100 * used) / budget).toFixed(2)}% |`,
  );
}
console.log(`\nlargest share of the budget: ${(100 * worst).toFixed(2)}%`);
