// Finding and reading the input files. Folders are walked (tool and VCS folders skipped); files
// named on the command line are always read; anything unreadable is a located input error.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders never walked: dependencies, VCS data, Terraform's provider cache, our own output. */
export const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', 'demo-output']);

/** What a walk picks up; a file named explicitly is read whatever its extension. */
const INPUT_EXT = /\.(tf|tf\.json|json|ya?ml|template)$/i;

export interface InputFile {
  /** Path relative to the base directory, with forward slashes: what reports show. */
  file: string;
  text: string;
}

export interface CollectResult {
  files: InputFile[];
  /** Input errors (missing path, unreadable file): the CLI exits 2 on any. */
  errors: string[];
  /** Files skipped on purpose (too large), reported on stderr but not fatal. */
  skipped: string[];
  /** Display paths of the files named on the command line (not found by walking). */
  named: Set<string>;
}

export function displayPath(abs: string, base: string): string {
  const rel = path.relative(base, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

export function collectFiles(paths: string[], base: string, maxFileBytes: number): CollectResult {
  const out: CollectResult = { files: [], errors: [], skipped: [], named: new Set() };
  const seen = new Set<string>();
  const read = (abs: string, size: number): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const shown = displayPath(abs, base);
    if (size > maxFileBytes) {
      out.skipped.push(`${shown}: skipped, ${(size / 1048576).toFixed(1)} MB is over the ${(maxFileBytes / 1048576).toFixed(1)} MB limit (--max-file-mb)`);
      return;
    }
    try {
      out.files.push({ file: shown, text: fs.readFileSync(abs, 'utf8') });
    } catch (e) {
      out.errors.push(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.errors.push(`cannot read folder ${displayPath(dir, base)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(abs);
      } else if (ent.isFile() && INPUT_EXT.test(ent.name) && !/(^|\.)package(-lock)?\.json$|^tsconfig.*\.json$/.test(ent.name)) {
        let size = 0;
        try {
          size = fs.statSync(abs).size;
        } catch {
          /* reported by read */
        }
        read(abs, size);
      }
    }
  };
  for (const p of paths) {
    const abs = path.resolve(base, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.errors.push(code === 'ENOENT' ? `no such file or folder: ${p}` : `cannot access ${p}: ${code ?? (e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else {
      out.named.add(displayPath(abs, base));
      read(abs, st.size);
    }
  }
  return out;
}
