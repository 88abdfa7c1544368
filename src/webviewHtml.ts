// The topology page's HTML. Pure (no vscode import): the extension's WebviewPanel and the CLI's
// standalone HTML report both call it, the report with the bundle and stylesheet inlined.
//
// CSP: nothing loads unless listed. Scripts and inline styles need the per-load nonce. The one
// addition to the usual webview policy is `worker-src blob:`: the ELK layout runs in a Web Worker
// created from a Blob of the worker source that the bundle carries (a worker URL from the webview's
// resource origin is cross-origin in VS Code and would be refused), so the layout of large graphs
// never blocks the UI thread. The nonce is also published in `<meta property="csp-nonce">`, the
// convention FAST (the toolkit) and our own bundle use to create the few <style> elements they need
// (cytoscape's container rule, the toolkit's :focus-visible probe) without 'unsafe-inline'.

export interface TopologyHtmlOptions {
  /** `webview.cspSource` in VS Code; for a standalone file something like `'self'`. */
  cspSource: string;
  /** Fresh per load, [A-Za-z0-9+/=] only. */
  nonce: string;
  /** URI of dist/webview.js (ignored when inlineScript is given). */
  scriptUri?: string;
  /** URI of media/topology.css (ignored when inlineStyle is given). */
  styleUri?: string;
  /** The bundle's text, inlined (CLI report). */
  inlineScript?: string;
  /** The stylesheet's text, inlined (CLI report). */
  inlineStyle?: string;
  /** A JSON-serialisable first message (e.g. `{type:'result', result}`) embedded for an offline report. */
  initialState?: unknown;
  /** Page title. */
  title?: string;
}

const NONCE_RE = /^[A-Za-z0-9+/=_-]{8,}$/;

/** HTML-escape text placed in element content or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Make text safe inside a <script> element: `</script` and `<!--` cannot end or confuse the element,
 * and U+2028/9 cannot break older parsers. JSON stays valid JSON.
 */
export function escapeScriptText(s: string): string {
  return s
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can be formed. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    'worker-src blob:',
    // No <base> may redirect relative URLs, no form may post anywhere.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderTopologyHtml(o: TopologyHtmlOptions): string {
  if (!NONCE_RE.test(o.nonce)) throw new Error('renderTopologyHtml: nonce must be at least 8 characters of [A-Za-z0-9+/=_-]');
  if (/[;\r\n]/.test(o.cspSource)) throw new Error('renderTopologyHtml: cspSource must not contain ; or newlines');
  const nonce = escapeHtml(o.nonce);
  const style =
    o.inlineStyle !== undefined
      ? `<style nonce="${nonce}">${o.inlineStyle.replace(/<\/(style)/gi, '<\\/$1')}</style>`
      : o.styleUri
        ? `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(o.styleUri)}">`
        : '';
  const script =
    o.inlineScript !== undefined
      ? `<script nonce="${nonce}">${escapeScriptText(o.inlineScript)}</script>`
      : o.scriptUri
        ? `<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>`
        : '';
  const initial =
    o.initialState === undefined
      ? ''
      : `<script type="application/json" id="egress-lens-initial" nonce="${nonce}">${jsonForScript(o.initialState)}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.cspSource, o.nonce).replace(/[&"<>]/g, (c) => escapeHtml(c))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title ?? 'Egress Lens: Topology')}</title>
${style}
</head>
<body>
<div id="app">
  <header id="toolbar" role="toolbar" aria-label="Topology controls"></header>
  <main id="stage">
    <div id="graph" role="application" aria-label="Network topology graph" tabindex="0"></div>
    <div id="status" role="status" aria-live="polite"></div>
    <div id="tooltip" role="tooltip" hidden></div>
  </main>
  <aside id="side" aria-label="Path narration">
    <h2 id="side-title">Egress path</h2>
    <p id="side-summary"></p>
    <ol id="narration" aria-label="Hops"></ol>
    <div id="legend" aria-label="Legend"></div>
  </aside>
</div>
${initial}
${script}
</body>
</html>
`;
}
