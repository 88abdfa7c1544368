// A small glob matcher for workspace-relative paths, so the file watcher and the buffer listener apply the
// same include/exclude settings as `workspace.findFiles` does. Supports `**`, `*`, `?`, `[...]` and
// (nested) `{a,b}`, which is the syntax of VS Code's `files.exclude` and our include/exclude settings.
// vscode-free so it is unit tested in plain mocha.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  const re = new RegExp(`^${translate(glob.replace(/\\/g, '/'))}$`);
  cache.set(glob, re);
  return re;
}

function translate(g: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        const slashAfter = g[i + 2] === '/';
        const atSegStart = i === 0 || g[i - 1] === '/' || g[i - 1] === '{' || g[i - 1] === ',';
        if (atSegStart && slashAfter) {
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
      } else {
        let body = g.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^$()|\\/]/g, (m) => (m === '/' ? '/' : `\\${m}`));
    }
  }
  while (depth-- > 0) out += ')';
  return out;
}

export function matchesGlob(relPath: string, glob: string): boolean {
  return globToRegExp(glob).test(relPath.replace(/\\/g, '/'));
}

export function matchesAny(relPath: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchesGlob(relPath, g));
}

/** The active patterns of a `files.exclude`-shaped setting (`{ "**\/.git": true }`); `when` clauses are ignored. */
export function activeExcludes(filesExclude: Record<string, unknown> | undefined): string[] {
  if (!filesExclude) return [];
  return Object.entries(filesExclude)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

/** One pattern for `findFiles`' exclude argument: passing a pattern there replaces files.exclude, so both are merged. */
export function combinedExclude(filesExclude: Record<string, unknown> | undefined, exclude: readonly string[]): string | undefined {
  const all = [...new Set([...activeExcludes(filesExclude), ...exclude])];
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : `{${all.join(',')}}`;
}

/**
 * Whether a workspace-relative path is analysed. files.exclude patterns like `**\/.git` name folders, so a
 * pattern also excludes everything under a matching folder.
 */
export function isAnalysed(relPath: string, include: readonly string[], exclude: readonly string[]): boolean {
  const p = relPath.replace(/\\/g, '/');
  if (!matchesAny(p, include)) return false;
  const parts = p.split('/');
  for (let i = 1; i <= parts.length; i++) {
    if (matchesAny(parts.slice(0, i).join('/'), exclude)) return false;
  }
  return true;
}

/**
 * The patterns for `workspace.findFiles`: the includes as one brace group when none has braces of its own
 * (one search instead of one per pattern; VS Code globs do not nest braces), and one exclude pattern from
 * the brace-free excludes. Excludes with braces are still applied afterwards by isAnalysed.
 */
export function searchPatterns(include: readonly string[], exclude: readonly string[]): { include: string[]; exclude?: string } {
  const hasBraces = (g: string) => /[{}]/.test(g);
  return {
    include: include.length > 1 && !include.some(hasBraces) ? [`{${include.join(',')}}`] : [...include],
    exclude: combinedExclude(
      undefined,
      exclude.filter((g) => !hasBraces(g)),
    ),
  };
}
