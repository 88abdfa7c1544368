// What the editor reads beyond its include globs for Terraform (no `vscode` import: unit-tested): module folders a
// configuration calls, terraform init's manifests, and the files it reads as text (`file()`, a user data template).
// One reader per parser state remembers what it tried, so after every edit only what the edit newly names is read
// (review R9: a `file()` target typed into a buffer was read only on re-index).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../parse/workspace';

/** What is at a wanted file: a file to read, nothing (looked for inside the read folders), or not to be looked at. */
export type LookUp = 'file' | 'absent' | 'refused';

/** How the editor reaches the disk (analysisService: vscode.workspace.fs and the workspace folders). */
export interface WantsIo {
  /** The .tf files of a module folder; `{ notRead }` when the folder is not read (outside the workspace folders). */
  moduleFiles(dir: string): Promise<string[] | { notRead: string }>;
  /** What is at a file the configuration reads as text (`refused`: outside the read folders, or through a link). */
  lookUp(file: string): Promise<LookUp>;
  /** Reads the files into the workspace (setFile). */
  read(files: string[]): Promise<void>;
  log?(line: string): void;
}

export class WantsReader {
  /** Folders and files looked at for this parser state: each once, until forget(). */
  private readonly tried = new Set<string>();

  /** A file deleted (or a folder under which files went): what it names is looked at again when wanted. */
  forget(key: string): void {
    const under = key.endsWith('/') || key.endsWith('\\') ? key : `${key}${key.includes('\\') && !key.includes('/') ? '\\' : '/'}`;
    for (const k of [...this.tried]) if (k === key || k.startsWith(under)) this.tried.delete(k);
  }

  /**
   * Reads what the configuration wants and was not tried, until nothing new is wanted: what the evaluated
   * configuration reads as text is known only after a build, so one build is made when nothing else is wanted
   * (memoised: the analysis that follows reuses it). `buildFirst` (after an edit) builds before asking, so the
   * question costs nothing when the edit names nothing new. Returns whether anything was read or found absent.
   */
  async readAll(ws: Workspace, io: WantsIo, opts: { buildFirst?: boolean; cancelled?: () => boolean } = {}): Promise<boolean> {
    let built = false;
    let changed = false;
    if (opts.buildFirst) {
      ws.build();
      built = true;
    }
    for (let depth = 0; depth < 32 && !opts.cancelled?.(); depth++) {
      const wants = ws.terraformWants();
      const found: string[] = [];
      for (const d of wants.dirs) {
        if (this.tried.has(d)) continue;
        this.tried.add(d);
        const r = await io.moduleFiles(d);
        if (Array.isArray(r)) found.push(...r);
        else {
          io.log?.(`module folder ${d} is outside the workspace folders: not read`);
          ws.terraformNotRead(d, r.notRead);
        }
      }
      let missing = false;
      for (const f of wants.files) {
        if (this.tried.has(f)) continue;
        this.tried.add(f);
        const at = await io.lookUp(f);
        if (at === 'file') found.push(f);
        else if (at === 'absent' && ws.terraformAbsent(f)) missing = true;
        else if (at === 'refused')
          io.log?.(
            `${f} is read by the configuration but not by the extension: outside the workspace folders or through a link leading out of them`,
          );
      }
      if (found.length > 0) await io.read(found);
      if (found.length > 0 || missing) {
        changed = true;
        built = false;
        continue;
      }
      if (built) return changed;
      built = true;
      ws.build();
    }
    return changed;
  }
}

/** Whether a real path is a folder's or under it. */
function within(real: string, folder: string): boolean {
  const rel = path.relative(folder, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * What is at a file on this machine's disk (file: URIs), as the CLI decides it: its real path (links resolved) must
 * be inside one of the folders' real paths, else `refused` (a link in the workspace to ~/.aws/credentials is never
 * read, review R2). Nothing there (not even a dangling link) is `absent` when the nearest existing folder above it
 * really is inside them; anything that cannot be looked at is `refused`.
 */
export async function diskLookUp(file: string, folders: readonly string[]): Promise<LookUp> {
  const reals: string[] = [];
  for (const f of folders) {
    try {
      reals.push(await fsp.realpath(f));
    } catch {
      /* a folder gone: nothing in it is read */
    }
  }
  const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;
  try {
    await fsp.lstat(file);
  } catch (e) {
    if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') return 'refused';
    for (let d = path.dirname(file); ; d = path.dirname(d)) {
      try {
        await fsp.lstat(d);
      } catch (e2) {
        if (code(e2) !== 'ENOENT' || path.dirname(d) === d) return 'refused';
        continue;
      }
      // The nearest thing there: a dangling link fails realpath (its target may exist where Terraform runs).
      try {
        const real = await fsp.realpath(d);
        return reals.some((r) => within(real, r)) ? 'absent' : 'refused';
      } catch {
        return 'refused';
      }
    }
  }
  try {
    const real = await fsp.realpath(file);
    const st = await fsp.stat(real);
    return st.isFile() && reals.some((r) => within(real, r)) ? 'file' : 'refused';
  } catch {
    return 'refused';
  }
}
