// The standalone HTML report in headless Chromium, as a reviewer opens the file attached to a pull request:
// the page scrolls down to the findings table, every control of the toolbar is readable (WCAG AA text
// contrast, 4.5:1) in the light and the dark colour scheme, and the print stylesheet gives ink on paper.
import * as assert from 'assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { toHtml } from '../../src/report/html';
import type { AnalysisResult } from '../../src/analysis/types';
import { exampleResult } from './examples';
import { launch, ORIGIN, ROOT, type Harness } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;

const OUT = join(ROOT, 'test-output', 'report');

/** WCAG 2 contrast ratio of two `rgb()`/`rgba()` colours (alpha ignored: callers pass opaque ones). */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

interface ControlColours {
  id: string;
  tag: string;
  text: string;
  background: string;
  /** The box of a checkbox, which must be seen against the page. */
  box?: string;
  boxBackground?: string;
}

/** Text colour and effective (first opaque) background of each toolbar control, shadow DOM included. */
async function controlColours(page: Page): Promise<ControlColours[]> {
  return page.evaluate(() => {
    const opaque = (c: string) => c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c);
    const bgOf = (start: any): string => {
      for (let n = start; n; n = n.parentNode instanceof window.ShadowRoot ? n.parentNode.host : n.parentElement) {
        if (n.nodeType !== 1) continue;
        const bg = getComputedStyle(n).backgroundColor;
        if (opaque(bg)) return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const out: any[] = [];
    for (const el of document.querySelectorAll(
      '#toolbar vscode-dropdown, #toolbar vscode-text-field, #toolbar vscode-button, #toolbar vscode-checkbox, #toolbar select, #toolbar input, #toolbar button',
    )) {
      if (el.offsetParent === null) continue;
      const sr = el.shadowRoot;
      const ctl = (sr && (sr.querySelector('.control') ?? sr.querySelector('.root'))) || el;
      const textEl = el.tagName === 'VSCODE-CHECKBOX' ? (sr?.querySelector('.label') ?? el) : ctl;
      const c: any = { id: el.id, tag: el.tagName.toLowerCase(), text: getComputedStyle(textEl).color, background: bgOf(textEl) };
      if (el.tagName === 'VSCODE-CHECKBOX') {
        c.box = getComputedStyle(ctl).borderTopColor;
        c.boxBackground = bgOf(el);
      }
      out.push(c);
    }
    return out;
  });
}

describe('HTML report in Chromium', function () {
  this.timeout(180000);
  let h: Harness;
  let html: string;
  before(async () => {
    h = await launch();
    const result: AnalysisResult = await exampleResult('aws-distributed-egress-asymmetric');
    const script = readFileSync(join(ROOT, process.env.EGRESS_LENS_DIST || 'dist', 'webview.js'), 'utf8');
    const style = readFileSync(join(ROOT, 'media', 'topology.css'), 'utf8');
    html = toHtml(result, { script, style }, { omitTiming: true });
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await h?.close();
  });

  async function open(scheme: 'light' | 'dark', media: 'screen' | 'print' = 'screen'): Promise<Page> {
    const page = await h.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: scheme, media });
    await page.route(`${ORIGIN}/report.html`, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
    await page.goto(`${ORIGIN}/report.html`);
    await page.waitForFunction(() => !!window.customElements.get('vscode-dropdown') && !!document.querySelector('#findings tbody tr'));
    await page.waitForTimeout(500);
    return page;
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the page scrolls to the findings table`, async () => {
      const page = await open(scheme);
      const before = await page.evaluate(() => ({
        scrollHeight: document.scrollingElement.scrollHeight,
        viewport: window.innerHeight,
        tableTop: document.querySelector('#findings').getBoundingClientRect().top,
      }));
      assert.ok(before.tableTop > before.viewport, 'the findings table starts below the first screen');
      assert.ok(before.scrollHeight > before.viewport, `the page is taller than the viewport (${before.scrollHeight})`);
      await page.mouse.move(640, 760);
      await page.mouse.wheel(0, 4000);
      await page.waitForFunction(() => document.scrollingElement.scrollTop > 0);
      const after = await page.evaluate(() => {
        const r = document.querySelector('#findings tbody tr').getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, scrollTop: document.scrollingElement.scrollTop };
      });
      assert.ok(after.top >= 0 && after.bottom <= 800, `the first finding is in view after scrolling (${JSON.stringify(after)})`);
      await page.screenshot({ path: join(OUT, `report-${scheme}.png`), fullPage: true });
      await page.close();
    });

    it(`${scheme}: every toolbar control reads at WCAG AA contrast (4.5:1)`, async () => {
      const page = await open(scheme);
      const controls = await controlColours(page);
      // Secondary controls live in the toolbar's overflow menu: open it and measure those too.
      if (await page.$('#btn-more')) {
        await page.click('#btn-more');
        await page.waitForTimeout(300);
        const seen = new Set(controls.map((c) => c.id));
        for (const c of await controlColours(page)) if (!seen.has(c.id)) controls.push(c);
      }
      assert.ok(controls.filter((c) => c.tag === 'vscode-dropdown').length >= 3, 'dropdowns measured');
      assert.ok(
        controls.some((c) => c.tag === 'vscode-checkbox'),
        'checkboxes measured',
      );
      const low: string[] = [];
      for (const c of controls) {
        const r = contrast(c.text, c.background);
        if (r < 4.5) low.push(`${c.tag}#${c.id} text ${c.text} on ${c.background}: ${r.toFixed(2)}`);
        if (c.box) {
          const b = contrast(c.box, c.boxBackground!);
          if (b < 4.5) low.push(`${c.tag}#${c.id} box border ${c.box} on ${c.boxBackground}: ${b.toFixed(2)}`);
        }
      }
      assert.deepStrictEqual(low, []);
      await page.close();
    });
  }

  it('print: no toolbar, ink on white, findings rows kept whole, a PDF is written', async () => {
    const page = await open('dark', 'print');
    const s = await page.evaluate(() => {
      const cell = document.querySelector('#findings tbody td:last-child');
      return {
        toolbar: getComputedStyle(document.querySelector('#toolbar')).display,
        bodyBg: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(cell).color,
        rowBreak: getComputedStyle(document.querySelector('#findings tbody tr')).breakInside,
        overflow: getComputedStyle(document.body).overflow,
      };
    });
    assert.strictEqual(s.toolbar, 'none');
    assert.strictEqual(s.bodyBg, 'rgb(255, 255, 255)');
    assert.ok(contrast(s.text, s.bodyBg) >= 7, `findings text ${s.text} on ${s.bodyBg}`);
    assert.strictEqual(s.rowBreak, 'avoid');
    assert.strictEqual(s.overflow, 'visible');
    const pdf = await page.pdf({ path: join(OUT, 'report.pdf'), format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10_000, `PDF written (${pdf.length} bytes)`);
    await page.close();
  });
});
