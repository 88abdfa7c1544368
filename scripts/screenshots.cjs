#!/usr/bin/env node
// The topology pictures (the README shows three): every example in the light, dark and high-contrast themes at
// 1280x800, in the default (reference) layout, animated to the step that tells the story (the hop
// where an asymmetric return diverges, else the last forward hop). Writes docs/images/topology-*.png,
// reduced to a 128-colour palette with pngquant when it is installed (apt-get install pngquant).
// Needs `npm run build` and `npm run compile-tests` first (it drives the webview test harness).
'use strict';
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const H = require(join(root, 'out/test/webview/harness.js'));
const { exampleNames, exampleResult } = require(join(root, 'out/test/webview/examples.js'));

// `node scripts/screenshots.cjs aviatrix-dcf ...` redraws only those examples.
const EXAMPLES = process.argv.length > 2 ? process.argv.slice(2) : exampleNames();
const THEMES = ['light', 'dark', 'hc'];

async function main() {
  const h = await H.launch();
  try {
    for (const name of EXAMPLES) {
      const r = await exampleResult(name);
      const e = r.egress.find((x) => x.divergence) ?? r.egress.find((x) => x.return) ?? r.egress[0];
      for (const theme of THEMES) {
        const page = await H.openPage(h, { theme });
        await page.setViewportSize({ width: 1280, height: 800 });
        await H.postResult(page, r);
        if (e) {
          await page.evaluate((s) => window.postMessage({ type: 'trace', subnet: s }, '*'), e.subnet);
          await page.waitForFunction((s) => globalThis.egressLensDebug.script?.subject === s, e.subnet);
          await page.evaluate(() => globalThis.egressLensDebug.player.pause());
          const target = e.divergence ? e.forward.hops.length + e.divergence.returnHop : e.forward.hops.length - 1;
          await page.evaluate((i) => globalThis.egressLensDebug.player.goto(i), target);
          await page.waitForFunction(() => !globalThis.egressLensDebug.cy.animated() && document.body.dataset.camera !== 'moving');
        }
        await page.waitForTimeout(200);
        const file = join(root, 'docs', 'images', `topology-${name}-${theme}.png`);
        await page.screenshot({ path: file });
        try {
          execFileSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '128', file]);
        } catch {
          // No pngquant: the full-colour PNG stays.
        }
        console.log(file);
        await page.close();
      }
    }
  } finally {
    await h.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
