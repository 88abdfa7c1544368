#!/usr/bin/env node
// Topology webview performance in headless Debian Chromium: layout + first paint for synthetic
// estates of ~100 and ~1,000 nodes (full layout and the collapsed VPC-level view), how long the main
// thread was blocked meanwhile, the renderer's main-thread CPU time for it (wall times stretch on a
// loaded machine, CPU time much less), and the animation step rate.
// Needs dist/webview.js (npm run build; EGRESS_LENS_DIST=<folder> reads another build folder).
// Prints a small text table; `npm run bench` includes it.
// Usage: node scripts/bench-webview.mjs [--sizes 100,1000] [--engine reference|layered|elk] [--write]
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const sizesArg = process.argv.indexOf('--sizes');
const sizes = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100, 1000];
const engineArg = process.argv.indexOf('--engine');
const engine = engineArg > 0 ? process.argv[engineArg + 1] : undefined;
// EGRESS_LENS_DIST: the build's output folder (as for scripts/build.mjs), default dist.
const distName = process.env.EGRESS_LENS_DIST || 'dist';
const bundlePath = join(root, distName, 'webview.js');
if (!existsSync(bundlePath)) {
  console.error(`bench-webview: ${distName}/webview.js is missing, run \`npm run build\` first`);
  process.exit(1);
}

// The synthetic estate and the page template, bundled from their TypeScript sources.
const work = mkdtempSync(join(tmpdir(), 'egress-lens-bench-'));
const helper = join(work, 'helper.cjs');
await esbuild.build({
  stdin: {
    contents:
      "export { syntheticResult } from './test/webview/fixtures/synthetic'; export { renderTopologyHtml } from './src/webviewHtml';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile: helper,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
const { syntheticResult, renderTopologyHtml } = require(helper);

const ORIGIN = 'https://webview.test';
const navigatorCpus = () => cpus().length;
const bundle = readFileSync(bundlePath, 'utf8');
const css = readFileSync(join(root, 'media', 'topology.css'), 'utf8');
const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: await require('./chromium.cjs').chromiumPath(),
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width: 1400, height: 860 },
});
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.pathname === '/dist/webview.js') return route.fulfill({ body: bundle, contentType: 'text/javascript' });
  if (url.pathname === '/media/topology.css') return route.fulfill({ body: css, contentType: 'text/css' });
  if (url.pathname === '/index.html')
    return route.fulfill({
      contentType: 'text/html',
      body: renderTopologyHtml({
        cspSource: ORIGIN,
        nonce: `bench${Date.now()}nonce`,
        scriptUri: `${ORIGIN}/dist/webview.js`,
        styleUri: `${ORIGIN}/media/topology.css`,
      }),
    });
  return route.abort();
});

const STUB = `window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });`;

async function measure(vpcs, full) {
  const page = await context.newPage();
  await page.addInitScript(STUB);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => typeof egressLensDebug === 'object');
  if (full) await page.evaluate(() => egressLensDebug.setCollapseThreshold(1e9));
  if (engine) await page.evaluate((e) => egressLensDebug.setLayoutEngine?.(e), engine);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  // ThreadTime: CPU seconds of the renderer's main thread.
  const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value ?? NaN;
  const result = syntheticResult(vpcs);
  // Warm the layout worker once so the number is layout + paint, not worker start-up.
  await page.evaluate((r) => window.postMessage({ type: 'result', result: r }, '*'), syntheticResult(1));
  await page.waitForFunction(() => document.body.dataset.renders === '1', null, { timeout: 600_000 });
  const cpu0 = await threadTime();
  const m = await page.evaluate(async (r) => {
    // Longest gap between 10 ms timer ticks while the layout runs: how long the main thread was
    // blocked (requestAnimationFrame is throttled in headless Chromium, timers are not).
    let maxGap = 0;
    let last = performance.now();
    let watching = true;
    const watch = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (watching) setTimeout(watch, 10);
    };
    setTimeout(watch, 10);
    const t0 = performance.now();
    const done = new Promise((res) => document.addEventListener('egress-lens-rendered', res, { once: true }));
    window.postMessage({ type: 'result', result: r }, '*');
    await done;
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const firstPaint = performance.now() - t0;
    watching = false;
    return {
      firstPaint,
      maxGap,
      nodes: Number(document.body.dataset.nodes),
      edges: Number(document.body.dataset.edges),
      layout: Number(document.body.dataset.layoutMs),
      engine: document.body.dataset.layoutEngine,
    };
  }, result);
  const mainCpu = ((await threadTime()) - cpu0) * 1000;
  // Animation: the cost of one hop step (classes on the path, narration, redraw), as steps per second.
  const fps = await page.evaluate(async () => {
    const p = egressLensDebug.player;
    if (!p || !p.script.steps.length) return 0;
    const n = 60;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      if (p.index >= p.script.steps.length - 1) p.goto(-1);
      p.forward();
      await new Promise((res) => setTimeout(res, 0));
    }
    return (n * 1000) / (performance.now() - t0);
  });
  await page.close();
  return { ...m, mainCpu, fps };
}

const load0 = loadavg();
const rows = [];
for (const n of sizes) {
  const vpcs = Math.max(1, Math.round(n / 18));
  rows.push({ label: `~${n} nodes, full`, ...(await measure(vpcs, true)) });
  if (n > 400) rows.push({ label: `~${n} nodes, VPC level`, ...(await measure(vpcs, false)) });
}
await context.close();
rmSync(work, { recursive: true, force: true });

const load1 = loadavg();
const pad = (s, w) => String(s).padEnd(w);
const lines = [
  `${pad('estate', 24)}${pad('nodes', 7)}${pad('edges', 7)}${pad('engine', 11)}${pad('layout ms', 11)}${pad('first paint ms', 16)}${pad('max UI block ms', 17)}${pad('main CPU ms', 13)}${pad('steps/s', 9)}`,
  ...rows.map(
    (r) =>
      `${pad(r.label, 24)}${pad(r.nodes, 7)}${pad(r.edges, 7)}${pad(r.engine, 11)}${pad(Math.round(r.layout), 11)}${pad(Math.round(r.firstPaint), 16)}${pad(Math.round(r.maxGap), 17)}${pad(Math.round(r.mainCpu), 13)}${pad(r.fps.toFixed(0), 9)}`,
  ),
  'layout: the layout engine alone (reference: reference.ts, the default, and layered: layered.ts, on the main thread; elk: ELK in a Web Worker, warmed first); first paint: message posted -> graph drawn (wall);',
  'max UI block: longest main-thread stall meanwhile (10 ms timer); main CPU: renderer main-thread CPU time over the same span; steps/s: hop steps the animation can render per second.',
  `load average (1 min) at start ${load0[0].toFixed(1)}, at end ${load1[0].toFixed(1)}, on ${navigatorCpus()} CPUs.`,
];
const text = lines.join('\n');
console.log(text);
if (process.argv.includes('--write')) writeFileSync(join(root, 'test-output', 'bench-webview.txt'), text + '\n');
