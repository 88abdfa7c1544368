// WebGroup matching: DCF compares the TLS SNI (HTTPS) or the HTTP Host header against a WebGroup's
// snifilter domains. `*.example.com` matches any subdomain (not the apex); `example.com` matches that
// name exactly; `*` matches every name. urlfilter entries need the URL path, which only decrypted
// traffic shows: a flow matches one only when the URL's host matches and its path is empty or `/*`.
import type { WebGroup } from '../../model/types';

export type Tri = 'yes' | 'no' | 'unknown';

export function normaliseDomain(d: string): string {
  return d.trim().toLowerCase().replace(/\.$/, '');
}

/** True when `pattern` (an snifilter value) matches the host name. */
export function domainMatches(pattern: string, host: string): boolean {
  const p = normaliseDomain(pattern);
  const h = normaliseDomain(host);
  if (!p || !h) return false;
  if (p === '*') return true;
  if (p.startsWith('*.')) {
    const base = p.slice(2);
    return h.endsWith('.' + base) && h.length > base.length + 1;
  }
  return p === h;
}

/** Host part and path of a urlfilter value (`https://example.com/path`, `example.com/*`). */
export function splitUrlFilter(url: string): { host: string; path: string } {
  const s = url.trim().replace(/^[a-z]+:\/\//i, '');
  const slash = s.indexOf('/');
  return slash < 0 ? { host: s, path: '' } : { host: s.slice(0, slash), path: s.slice(slash) };
}

/** Does the flow's SNI/Host match the WebGroup? */
export function webGroupMatches(group: WebGroup, host: string | undefined): Tri {
  if (group.builtin === 'allWeb') return host ? 'yes' : 'no';
  if (!host) return 'no';
  if (group.domains.some((d) => domainMatches(d, host))) return 'yes';
  for (const u of group.urls) {
    const { host: uh, path } = splitUrlFilter(u);
    if (!domainMatches(uh, host)) continue;
    if (path === '' || path === '/' || path === '/*') return 'yes';
    // A path filter: the path is not part of a flow spec (and not visible without TLS decryption).
    return 'unknown';
  }
  return 'no';
}

/**
 * True when every name `inner` can match is matched by `outer` (used for shadowing): `*` covers all,
 * `*.a.com` covers `b.a.com` and `*.b.a.com`, a name covers itself.
 */
export function domainPatternCovers(outer: string, inner: string): boolean {
  const o = normaliseDomain(outer);
  const i = normaliseDomain(inner);
  if (o === '*') return true;
  if (i === '*') return false;
  if (o === i) return true;
  if (o.startsWith('*.')) {
    const base = o.slice(2);
    const innerBase = i.startsWith('*.') ? i.slice(2) : i;
    return innerBase.endsWith('.' + base);
  }
  return false;
}
