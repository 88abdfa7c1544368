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

const REPORT_STYLE = `
:root { color-scheme: light dark;
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, Menlo, Consolas, monospace;
  --vscode-editor-background: #ffffff; --vscode-editor-foreground: #1f1f1f; --vscode-foreground: #1f1f1f;
  --vscode-sideBar-background: #f3f3f3; --vscode-panel-border: #d4d4d4; --vscode-focusBorder: #0078d4;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-errorForeground: #c72e0f; --vscode-editorWarning-foreground: #b58900; --vscode-editorInfo-foreground: #1a85ff;
  --vscode-descriptionForeground: #616161; --vscode-textLink-foreground: #006ab1; }
@media (prefers-color-scheme: dark) { :root {
  --vscode-editor-background: #1e1e1e; --vscode-editor-foreground: #d4d4d4; --vscode-foreground: #cccccc;
  --vscode-sideBar-background: #252526; --vscode-panel-border: #3c3c3c; --vscode-focusBorder: #0078d4;
  --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #cca700; --vscode-editorInfo-foreground: #3794ff;
  --vscode-descriptionForeground: #9d9d9d; --vscode-textLink-foreground: #3794ff; } }
html, body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); }
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
