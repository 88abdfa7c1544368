// Headless Chromium (scripts/chromium.cjs: Debian's /usr/bin/chromium, else the npm-shipped one; via
// playwright-core, no browser download) hosting the
// real dist/webview.js in the real page from renderTopologyHtml, with a stub acquireVsCodeApi that
// records what the webview posts. Pages are served from a fake origin by request interception, so the
// CSP is enforced exactly as written and any request for anything else is caught and counted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderTopologyHtml } from '../../src/webviewHtml';
import type { AnalysisResult } from '../../src/analysis/types';
import type { WebviewToHost } from '../../src/protocol';

// Browser globals for the callbacks that page.evaluate runs in the page (the root tsconfig has no DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const Image: any;

export const ROOT = join(__dirname, '..', '..', '..');
export const ORIGIN = 'https://webview.test';

/** The Chromium to drive: see scripts/chromium.cjs (system, CHROMIUM_PATH, or the npm package). */
export function chromiumPath(opts?: { npm?: boolean }): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(ROOT, 'scripts', 'chromium.cjs')) as { chromiumPath(o?: { npm?: boolean }): Promise<string> }).chromiumPath(opts);
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Harness {
  context: BrowserContext;
  /** Requests the page made to anything other than the page, bundle and stylesheet. */
  strayRequests: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Harness> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'egress-lens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: await chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
  });
  const strayRequests: string[] = [];
  // EGRESS_LENS_DIST: the bundle folder scripts/build.mjs and run.js wrote (default dist).
  const bundle = readFileSync(join(ROOT, process.env.EGRESS_LENS_DIST || 'dist', 'webview.js'), 'utf8');
  const css = readFileSync(join(ROOT, 'media', 'topology.css'), 'utf8');
  let n = 0;
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      if (url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
      strayRequests.push(url.href);
      return route.abort();
    }
    if (url.pathname === '/dist/webview.js') return route.fulfill({ body: bundle, contentType: 'text/javascript' });
    if (url.pathname === '/media/topology.css') return route.fulfill({ body: css, contentType: 'text/css' });
    if (url.pathname === '/index.html') {
      const nonce = `testnonce${++n}${Date.now()}`;
      const inline = url.searchParams.get('inline') === '1';
      const html = renderTopologyHtml({
        cspSource: ORIGIN,
        nonce,
        scriptUri: `${ORIGIN}/dist/webview.js`,
        styleUri: `${ORIGIN}/media/topology.css`,
        ...(inline ? { inlineScript: bundle, inlineStyle: css } : {}),
      });
      return route.fulfill({ body: html, contentType: 'text/html' });
    }
    strayRequests.push(url.href);
    return route.abort();
  });
  return {
    context,
    strayRequests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Theme variables as VS Code sets them on <html>, plus the body class. */
export const THEMES = {
  light: {
    cls: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#1f1f1f',
      '--vscode-descriptionForeground': '#616161',
      '--vscode-panel-border': '#d4d4d4',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#e51400',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-editorInfo-foreground': '#1a85ff',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  dark: {
    cls: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-editorInfo-foreground': '#3794ff',
      '--vscode-sideBar-background': '#181818',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  hc: {
    cls: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-errorForeground': '#f48771',
      '--vscode-editorWarning-foreground': '#ffd700',
      '--vscode-editorInfo-foreground': '#3794ff',
      '--vscode-sideBar-background': '#000000',
      '--vscode-list-activeSelectionBackground': '#000000',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

const INIT_SCRIPT = `
(() => {
  const posted = [];
  let state;
  window.__posted = posted;
  window.__alerts = [];
  window.__csp = [];
  window.alert = (m) => { window.__alerts.push(String(m)); };
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
})();
`;

export async function openPage(h: Harness, opts: { theme?: ThemeName; inline?: boolean } = {}): Promise<Page> {
  const page = await h.context.newPage();
  await page.addInitScript(INIT_SCRIPT);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${ORIGIN}/index.html${opts.inline ? '?inline=1' : ''}`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  await setTheme(page, opts.theme ?? 'dark');
  return page;
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors: string[] }).errors ?? [];
}

export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  const t = THEMES[theme];
  await page.evaluate(
    ({ cls, vars }) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(cls);
    },
    { cls: t.cls, vars: t.vars },
  );
}

/** Post a host message and, for results, wait until the layout is drawn. */
export async function postResult(page: Page, result: AnalysisResult): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.renders ?? 0));
  await page.evaluate((r) => window.postMessage({ type: 'result', result: r }, '*'), result as unknown);
  await page.waitForFunction((b) => Number(document.body.dataset.renders ?? 0) > b, before, { timeout: 60_000 });
}

export async function postMessage(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg);
}

export async function posted(page: Page): Promise<WebviewToHost[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
}

export async function clearPosted(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __posted: unknown[] }).__posted.length = 0;
  });
}

/** Population variance of the luminance of a PNG, computed by the browser's own decoder. */
export async function pixelStats(h: Harness, png: Buffer): Promise<{ variance: number; distinct: number }> {
  const page = await h.context.newPage();
  try {
    await page.route('**/*', (r) => r.abort());
    return await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let sq = 0;
      const colours = new Set<number>();
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const l = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
        sum += l;
        sq += l * l;
        if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      const mean = sum / n;
      return { variance: sq / n - mean * mean, distinct: colours.size };
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}
