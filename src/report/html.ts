// The standalone HTML report: the topology webview (same bundle and page as the extension, the
// result embedded as its first message) followed by the states, the score and the findings table.
// One file, nothing fetched: it opens offline from disk in any browser.
import type { AnalysisResult } from '../analysis/types';
import { escapeHtml, escapeScriptText, renderTopologyHtml } from '../webviewHtml';
import { formatLocation } from './location';
import { sortFindings, sortStates } from './order';

export interface HtmlAssets {
  /** Text of dist/webview.js. */
  script: string;
  /** Text of the topology stylesheet, when there is one. */
  style?: string;
}

export interface HtmlReportOptions {
  title?: string;
  /** CSP nonce. Default: derived from the content, so the same inputs give the same file. */
  nonce?: string;
  /** Zero the embedded timings, for byte-identical files from the same inputs. */
  omitTiming?: boolean;
}

// Outside VS Code the page plays the host itself: a stand-in for acquireVsCodeApi answers `reveal`
// by highlighting the finding rows of that file, and the theme variables the webview CSS reads get
// values from the browser's colour scheme.
const HOST_STUB = `(function () {
  var state;
  var api = {
    postMessage: function (m) {
      if (!m || m.type !== 'reveal' || !m.location) return;
      var rows = document.querySelectorAll('#findings tbody tr');
      var first;
      rows.forEach(function (r) {
        var hit = r.getAttribute('data-file') === m.location.file || (m.element && r.getAttribute('data-element') === m.element);
        r.classList.toggle('revealed', !!hit);
        if (hit && !first) first = r;
      });
      if (first) first.scrollIntoView({ block: 'center' });
    },
    getState: function () { return state; },
    setState: function (s) { state = s; return s; }
  };
  if (typeof window.acquireVsCodeApi !== 'function') window.acquireVsCodeApi = function () { return api; };
  // A finding row, clicked or activated with Enter, focuses its element in the graph and animates its trace.
  function pick(row) {
    var el = row.getAttribute('data-element');
    var trace = row.getAttribute('data-trace');
    if (trace) window.postMessage({ type: 'trace', subnet: trace }, '*');
    if (el) window.postMessage({ type: 'focus', element: el }, '*');
    var g = document.getElementById('graph');
    if (g) g.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }
  document.addEventListener('click', function (e) {
    var row = e.target && e.target.closest && e.target.closest('#findings tbody tr');
    if (row) pick(row);
  });
  document.addEventListener('keydown', function (e) {
    var row = e.target && e.target.closest && e.target.closest('#findings tbody tr');
    if (row && e.key === 'Enter') pick(row);
  });
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.body.classList.add(dark ? 'vscode-dark' : 'vscode-light');
  document.body.setAttribute('data-vscode-theme-kind', dark ? 'vscode-dark' : 'vscode-light');
})();`;

// The theme variables the webview CSS and the UI toolkit's controls read, with VS Code's Light+ / Dark+
// values: without them the toolkit falls back to its dark defaults (dark text on dark dropdowns,
// invisible checkboxes in a light page). Borders of inputs and checkboxes are dark enough (>= 4.5:1
// against the page) to see the control. The page scrolls (the webview's own CSS pins it to the
// viewport) and prints: the toolbar goes, colours turn to ink on paper, table rows do not split.
const REPORT_STYLE = `
:root { color-scheme: light dark;
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-font-family: ui-monospace, Menlo, Consolas, monospace;
  --vscode-editor-background: #ffffff; --vscode-editor-foreground: #1f1f1f; --vscode-foreground: #1f1f1f;
  --vscode-sideBar-background: #f3f3f3; --vscode-panel-background: #f8f8f8; --vscode-panel-border: #d4d4d4; --vscode-focusBorder: #005fb8;
  --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8; --vscode-button-border: transparent;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #1f1f1f; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #1f1f1f; --vscode-dropdown-border: #6e6e6e; --vscode-settings-dropdownListBorder: #6e6e6e;
  --vscode-input-background: #ffffff; --vscode-input-foreground: #1f1f1f; --vscode-input-placeholderForeground: #6b6b6b;
  --vscode-checkbox-background: #ffffff; --vscode-checkbox-foreground: #1f1f1f; --vscode-checkbox-border: #6e6e6e;
  --vscode-badge-background: #d6d6d6; --vscode-badge-foreground: #1f1f1f;
  --vscode-list-activeSelectionBackground: #cce4f7; --vscode-list-activeSelectionForeground: #1f1f1f; --vscode-list-hoverBackground: #f0f0f0;
  --vscode-editorWidget-background: #f8f8f8; --vscode-editorWidget-border: #c8c8c8;
  --vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-foreground: #1f1f1f; --vscode-editorHoverWidget-border: #c8c8c8;
  --vscode-scrollbarSlider-background: rgba(100, 100, 100, 0.4); --vscode-scrollbarSlider-hoverBackground: rgba(100, 100, 100, 0.7); --vscode-scrollbarSlider-activeBackground: rgba(0, 0, 0, 0.6);
  --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #c25e00; --vscode-testing-iconPassed: #388a34;
  --vscode-errorForeground: #c72e0f; --vscode-editorWarning-foreground: #8a6500; --vscode-editorInfo-foreground: #0063c9;
  --vscode-descriptionForeground: #5f5f5f; --vscode-textLink-foreground: #005fb8; --vscode-textLink-activeForeground: #005fb8; }
@media (prefers-color-scheme: dark) { :root {
  --vscode-editor-background: #1e1e1e; --vscode-editor-foreground: #d4d4d4; --vscode-foreground: #cccccc;
  --vscode-sideBar-background: #252526; --vscode-panel-background: #1e1e1e; --vscode-panel-border: #3c3c3c; --vscode-focusBorder: #3794ff;
  --vscode-button-background: #0e639c; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #1177bb;
  --vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #ffffff; --vscode-button-secondaryHoverBackground: #45494e;
  --vscode-dropdown-background: #3c3c3c; --vscode-dropdown-foreground: #f0f0f0; --vscode-dropdown-border: #949494; --vscode-settings-dropdownListBorder: #949494;
  --vscode-input-background: #3c3c3c; --vscode-input-foreground: #f0f0f0; --vscode-input-placeholderForeground: #b0b0b0;
  --vscode-checkbox-background: #3c3c3c; --vscode-checkbox-foreground: #f0f0f0; --vscode-checkbox-border: #949494;
  --vscode-badge-background: #4d4d4d; --vscode-badge-foreground: #ffffff;
  --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #ffffff; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-editorWidget-background: #252526; --vscode-editorWidget-border: #454545;
  --vscode-editorHoverWidget-background: #252526; --vscode-editorHoverWidget-foreground: #cccccc; --vscode-editorHoverWidget-border: #454545;
  --vscode-scrollbarSlider-background: rgba(121, 121, 121, 0.4); --vscode-scrollbarSlider-hoverBackground: rgba(100, 100, 100, 0.7); --vscode-scrollbarSlider-activeBackground: rgba(191, 191, 191, 0.4);
  --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-testing-iconPassed: #73c991;
  --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #cca700; --vscode-editorInfo-foreground: #3794ff;
  --vscode-descriptionForeground: #a8a8a8; --vscode-textLink-foreground: #3794ff; --vscode-textLink-activeForeground: #3794ff; } }
html, body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); }
html, body { height: auto; min-height: 100%; overflow: visible; overflow-y: auto; }
#app { height: 80vh; min-height: 480px; }
#report { padding: 16px 24px 48px; font-size: 13px; }
#report h2 { font-size: 15px; margin: 20px 0 8px; }
#report table { border-collapse: collapse; width: 100%; }
#report th, #report td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
#report code, #report .loc { font-family: var(--vscode-editor-font-family); font-size: 12px; }
#report .sev-error { color: var(--vscode-errorForeground); font-weight: 600; }
#report .sev-warning { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
#report .sev-info { color: var(--vscode-editorInfo-foreground); }
#report .related { color: var(--vscode-descriptionForeground); margin: 2px 0 0; padding-left: 16px; }
#report tr.revealed, #report #findings tbody tr:focus { outline: 2px solid var(--vscode-focusBorder); }
#report #findings tbody tr { cursor: pointer; }
#report .score { font-size: 22px; font-weight: 600; }
@media print {
  :root { color-scheme: light;
    --vscode-editor-background: #ffffff; --vscode-editor-foreground: #000000; --vscode-foreground: #000000;
    --vscode-sideBar-background: #ffffff; --vscode-panel-border: #999999; --vscode-descriptionForeground: #333333;
    --vscode-errorForeground: #b00020; --vscode-editorWarning-foreground: #7a5800; --vscode-editorInfo-foreground: #00458f; }
  html, body { height: auto; overflow: visible; background: #ffffff; color: #000000; font-size: 11pt; }
  #toolbar, #legend, #tooltip { display: none !important; }
  #app { display: block; height: auto; min-height: 0; }
  #stage { height: 14cm; break-inside: avoid; }
  #side { max-height: none; overflow: visible; border: 0; }
  #report { padding: 0; font-size: 10pt; }
  #report h2 { break-after: avoid; }
  #report tr { break-inside: avoid; }
  #report #findings tbody tr { cursor: auto; }
}
`;

/** FNV-1a over the content: a nonce that is stable for the same report. */
function contentNonce(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return 'el' + h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

function reportSection(result: AnalysisResult): string {
  const e = escapeHtml;
  const out: string[] = ['<section id="report" aria-label="Egress Lens report">'];
  const sc = result.score;
  out.push(
    '<h2>Egress Security Score</h2>',
    `<p><span class="score" id="score">${sc.score === null ? 'n/a' : `${sc.score}/100`}</span> over ${sc.counted} VPC/VNet(s) with egress, ${sc.unknown} Unknown.<br><small>${e(sc.formula)}</small></p>`,
  );
  const states = sortStates(result.states);
  out.push(
    '<h2>Protection state per VPC/VNet</h2>',
    '<table id="states"><thead><tr><th>VPC/VNet</th><th>State</th><th>Why</th></tr></thead><tbody>',
  );
  for (const s of states)
    out.push(`<tr><td>${e(s.name)}<br><code>${e(s.vpc)}</code></td><td>${e(s.state)}</td><td>${e(s.reason)}</td></tr>`);
  out.push('</tbody></table>');
  const findings = sortFindings(result.findings);
  out.push(
    `<h2>Findings (${findings.length})</h2>`,
    '<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th></tr></thead><tbody>',
  );
  for (const f of findings) {
    const related = f.related.length
      ? `<ul class="related">${f.related.map((r) => `<li><span class="loc">${e(formatLocation(r.location))}</span> ${e(r.message)}</li>`).join('')}</ul>`
      : '';
    const fix = f.fix ? `<div class="related">Fix: ${e(f.fix.title)}</div>` : '';
    out.push(
      `<tr tabindex="0" title="Show in the graph" data-file="${e(f.location.file)}" data-element="${e(f.elementId)}"${f.traces?.length ? ` data-trace="${e(f.traces[0])}"` : ''}><td class="sev-${e(f.severity)}">${e(f.severity)}</td><td><code>${e(f.code)}</code></td>` +
        `<td class="loc">${e(formatLocation(f.location))}</td><td>${e(f.message)}${related}${fix}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (result.suppressed?.length) {
    out.push(`<h2>Suppressed findings (${result.suppressed.length})</h2>`, '<ul id="suppressed">');
    for (const f of sortFindings(result.suppressed)) {
      const why = f.suppression
        ? ` (accepted at ${formatLocation(f.suppression.location)}${f.suppression.reason ? `: ${f.suppression.reason}` : ''})`
        : '';
      out.push(
        `<li><span class="loc">${e(formatLocation(f.location))}</span> ${e(f.severity)} <code>${e(f.code)}</code> ${e(f.message)}${e(why)}</li>`,
      );
    }
    out.push('</ul>');
  }
  if (result.parseDiagnostics.length) {
    out.push('<h2>Input diagnostics</h2><ul id="diagnostics">');
    for (const d of result.parseDiagnostics)
      out.push(`<li><span class="loc">${e(formatLocation(d.loc))}</span> ${e(d.severity)} <code>${e(d.code)}</code> ${e(d.message)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}

export function toHtml(result: AnalysisResult, assets: HtmlAssets, options: HtmlReportOptions = {}): string {
  const nonce = options.nonce ?? contentNonce(JSON.stringify(result.findings) + assets.script.length);
  const page = renderTopologyHtml({
    cspSource: "'self'",
    nonce,
    inlineScript: assets.script,
    inlineStyle: (assets.style ?? '') + REPORT_STYLE,
    initialState: { type: 'result', result: options.omitTiming ? { ...result, timing: { parseMs: 0, analysisMs: 0 } } : result },
    title: options.title ?? 'Egress Lens report',
  });
  // The report and the host stand-in go before the first script of the body, so the stub exists
  // before the bundle runs.
  const body = page.indexOf('<body');
  const firstScript = page.indexOf('<script', body);
  const at = firstScript >= 0 ? firstScript : page.lastIndexOf('</body>');
  const injected = `${reportSection(result)}\n<script nonce="${escapeHtml(nonce)}">${escapeScriptText(HOST_STUB)}</script>\n`;
  return page.slice(0, at) + injected + page.slice(at);
}
