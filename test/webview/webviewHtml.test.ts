// The page template (pure): strict CSP with the nonce, nothing inline without it, hostile strings
// escaped wherever they land (URIs, title, the embedded initial message).
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, jsonForScript, renderTopologyHtml } from '../../src/webviewHtml';

describe('renderTopologyHtml', () => {
  const base = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'AbC123xyz987nonce' };

  it('carries the strict CSP and puts the nonce on every script and style', () => {
    const html = renderTopologyHtml({ ...base, scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/topology.css' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, contentSecurityPolicy(base.cspSource, base.nonce));
    assert.match(
      csp,
      /^default-src 'none'; img-src \S+ data:; style-src \S+ 'nonce-AbC123xyz987nonce'; script-src 'nonce-AbC123xyz987nonce'; font-src \S+; worker-src blob:; base-uri 'none'; form-action 'none'$/,
    );
    for (const tag of html.match(/<(script|style|link)\b[^>]*>/g) ?? []) assert.match(tag, /nonce="AbC123xyz987nonce"/, tag);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('escapes URIs, the title and the embedded result', () => {
    const evil = '"><script>alert(1)</script>';
    const html = renderTopologyHtml({
      ...base,
      scriptUri: `https://x/a.js${evil}`,
      title: evil,
      initialState: { type: 'result', name: `</script><script>alert(2)</script>` },
    });
    assert.equal((html.match(/<script\b/g) ?? []).length, 2, 'only the bundle and the JSON block');
    assert.ok(!html.includes('<script>alert'));
    const json = /<script type="application\/json" id="egress-lens-initial" nonce="[^"]+">([^<]*)<\/script>/.exec(html)?.[1];
    assert.deepEqual(JSON.parse(json!), { type: 'result', name: '</script><script>alert(2)</script>' });
    assert.equal(jsonForScript('<&>\u2028'), '"\\u003c\\u0026\\u003e\\u2028"');
  });

  it('inlines the bundle without letting it close its element, and refuses a weak nonce', () => {
    const html = renderTopologyHtml({ ...base, inlineScript: 'var s = "</script><b>";', inlineStyle: 'a{}</style><b>' });
    assert.ok(html.includes('var s = "<\\/script><b>";'));
    assert.ok(html.includes('a{}<\\/style><b>'));
    assert.throws(() => renderTopologyHtml({ ...base, nonce: 'x' }));
    assert.throws(() => renderTopologyHtml({ ...base, cspSource: "x; script-src 'unsafe-inline'" }));
  });
});
