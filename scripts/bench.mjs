// `npm run bench`: builds the bundles, bundles the benchmark to dist/bench.js, runs it.
// Arguments pass through: --sizes 10,100 --formats aws-cli --no-write --no-webview.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distName = process.env.EGRESS_LENS_DIST || 'dist';
// The full build gives the webview bench its bundle; the core bench itself only needs the WASM files.
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) console.error('bench: the full build failed; benchmarking the core anyway');
mkdirSync(join(root, distName), { recursive: true });
for (const [from, to] of [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
  ['node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-terraform.wasm'],
]) {
  if (!existsSync(join(root, distName, to))) copyFileSync(join(root, from), join(root, distName, to));
}
await esbuild.build({
  entryPoints: ['src/bench/main.ts'],
  outfile: `${distName}/bench.js`,
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Prefer ESM entry points: jsonc-parser's UMD build requires its own files at run time.
  mainFields: ['module', 'main'],
  // As in build.mjs: web-tree-sitter's ESM build finds its wasm through import.meta.url.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [join(root, `${distName}/bench.js`), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
