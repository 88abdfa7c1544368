#!/usr/bin/env node
// Runs the topology webview tests (mocha, headless Debian Chromium through playwright-core).
// Rebuilds dist/webview.js first when a webview source is newer than it, with the same esbuild
// options as scripts/build.mjs, so the tests always load the bundle of the current sources.
// EGRESS_LENS_DIST picks another bundle folder (as for scripts/build.mjs) and EGRESS_LENS_TEST_OUT
// the folder the tests were compiled to (`tsc -p . --outDir <it>`), so parallel work does not clash.
'use strict';
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const Mocha = require('mocha');

const root = join(__dirname, '..', '..');
const distName = process.env.EGRESS_LENS_DIST || 'dist';
const bundle = join(root, distName, 'webview.js');

function newestSource(dir) {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    if (f.isDirectory()) t = Math.max(t, newestSource(p));
    else if (f.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

async function main() {
  const sources = Math.max(newestSource(join(root, 'webview')), statSync(join(root, 'src', 'protocol.ts')).mtimeMs);
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < sources) {
    const esbuild = require('esbuild');
    await esbuild.build({
      entryPoints: ['webview/main.ts'],
      outfile: `${distName}/webview.js`,
      bundle: true,
      sourcemap: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'warning',
      absWorkingDir: root,
    });
    console.log(`built ${distName}/webview.js`);
  }
  const outName = process.env.EGRESS_LENS_TEST_OUT || 'out';
  const compiled = join(root, outName, 'test', 'webview');
  if (!existsSync(compiled)) {
    console.error(`${outName}/test/webview is missing: run \`npx tsc -p .\` (npm run compile-tests) first`);
    process.exit(1);
  }
  const mocha = new Mocha({ timeout: 600000, reporter: 'spec', grep: process.env.MOCHA_GREP });
  for (const f of readdirSync(compiled)) if (f.endsWith('.test.js')) mocha.addFile(join(compiled, f));
  mocha.run((failures) => {
    process.exitCode = failures ? 1 : 0;
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
