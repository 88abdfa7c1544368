// Builds the three bundles with esbuild: extension host (node/cjs, `vscode` external),
// CLI (node/cjs) and the topology webview (browser/iife). Copies the tree-sitter wasm files
// next to the node bundles so the Terraform parser finds them at run time.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// EGRESS_LENS_DIST: another output folder (one level below the root), so parallel work does not clash.
const distName = process.env.EGRESS_LENS_DIST || 'dist';
const dist = join(root, distName);
mkdirSync(dist, { recursive: true });

for (const [from, to] of [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
  ['node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-terraform.wasm'],
]) {
  copyFileSync(join(root, from), join(dist, to));
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// Node bundles are CommonJS, but web-tree-sitter's ESM build (picked for `import`) locates its wasm
// through import.meta.url, which esbuild leaves empty in cjs output: give it the bundle's own URL.
const nodeImportMeta = {
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;",
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: `${distName}/extension.js`,
    platform: 'node',
    // jsonc-parser's `main` is a UMD bundle esbuild cannot follow; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    define: nodeImportMeta.define,
    banner: { js: nodeImportMeta.banner },
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: `${distName}/cli.js`,
    platform: 'node',
    // jsonc-parser's `main` is a UMD bundle esbuild cannot follow; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    format: 'cjs',
    target: 'node20',
    define: nodeImportMeta.define,
    banner: { js: `#!/usr/bin/env node\n${nodeImportMeta.banner}` },
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: `${distName}/webview.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((b) => existsSync(join(root, b.entryPoints[0])));

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
