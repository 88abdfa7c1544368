// The HTML report opened from disk in headless Chromium, offline: the topology graph must render
// (cytoscape canvases with real pixels) and the findings table must list every finding.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumPath } from '../../webview/harness';
import { cli, ensureBuilt } from './cliHarness';

// Once with the Chromium the machine has, once with the one npm ships (what a machine without a
// system browser uses: scripts/chromium.cjs), so `npm ci && npm test` needs no Debian package.
for (const browser of ['system', 'npm'] as const)
  describe(`cli: HTML report in headless Chromium (${browser === 'npm' ? 'the npm-shipped Chromium' : 'default Chromium'})`, function () {
    this.timeout(180_000);
    let context: BrowserContext;
    let profile: string;

    before(async () => {
      ensureBuilt();
      // A fresh profile per run, offline: the report must need nothing from the network.
      profile = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: await chromiumPath({ npm: browser === 'npm' }),
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        offline: true,
        viewport: { width: 1400, height: 1000 },
      });
    });
    after(async () => {
      await context?.close();
      fs.rmSync(profile, { recursive: true, force: true });
    });

    it('renders the graph and the findings table of the asymmetric example, offline', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-html-'));
      const file = path.join(dir, 'report.html');
      const json = JSON.parse(cli(['analyze', 'examples/aws-distributed-egress-asymmetric', '--format', 'json']).stdout);
      const r = cli(['analyze', 'examples/aws-distributed-egress-asymmetric', '--format', 'html', '--out', file]);
      assert.equal(r.code, 1, r.stderr);

      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (q) => {
        if (!q.url().startsWith('file:') && !q.url().startsWith('data:') && !q.url().startsWith('blob:')) requests.push(q.url());
      });
      await page.goto(pathToFileURL(file).href);

      // The graph: cytoscape draws into canvases inside #graph once the layout has run.
      // (Browser-side code as strings: this project compiles without the DOM lib.)
      await pollPage(page, `[...document.querySelectorAll('#graph canvas')].some((c) => c.width > 100 && c.height > 100)`, 60_000);
      await page.waitForTimeout(1500);
      const shot = await page.locator('#graph').screenshot();
      const { variance, distinct } = await page.evaluate<{ variance: number; distinct: number }>(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${shot.toString('base64')}';
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let sum = 0, sq = 0;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 16) {
        const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
        sum += y;
        sq += y * y;
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      const n = d.length / 16;
      return { variance: sq / n - (sum / n) ** 2, distinct: colours.size };
    })()`);
      assert.ok(variance > 20 && distinct > 8, `graph looks blank: variance ${variance.toFixed(1)}, ${distinct} colours`);

      const rows = await page.locator('#findings tbody tr').count();
      assert.equal(rows, json.findings.length);
      const firstCode = await page.locator('#findings tbody tr td code').first().textContent();
      assert.equal(firstCode, json.findings[0].code);
      // Clicking a finding animates its trace in the graph: the side panel names the traced subnet.
      // Pick a finding about another subnet than the one shown first, so the change is visible.
      const shown = (await page.locator('#side-title').textContent()) ?? '';
      const nameOf = (id: string): string => json.model.elements.find((e: { id: string; name: string }) => e.id === id)?.name ?? id;
      const withTrace = json.findings.findIndex((f: { traces?: string[] }) => f.traces?.length && !shown.includes(nameOf(f.traces[0])));
      assert.ok(withTrace >= 0, `no finding traces a subnet other than the one shown (${shown})`);
      {
        const subnet = { name: nameOf(json.findings[withTrace].traces[0]) };
        await page.locator('#findings tbody tr').nth(withTrace).click();
        await pollPage(page, `(document.getElementById('side-title')?.textContent ?? '').includes(${JSON.stringify(subnet.name)})`, 10_000);
      }
      assert.deepEqual(requests, [], 'the report fetched something from the network');
      assert.deepEqual(errors, []);
      await page.close();
    });
  });

/**
 * Polls a page expression from node. page.waitForFunction evaluates its predicate with eval inside
 * the page once it has to poll, which the report's strict CSP (no 'unsafe-eval') rightly blocks.
 */
async function pollPage(
  page: { evaluate(expr: string): Promise<unknown>; waitForTimeout(ms: number): Promise<void> },
  expr: string,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expr)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expr}`);
    await page.waitForTimeout(100);
  }
}
