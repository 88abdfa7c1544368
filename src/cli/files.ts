// Finding and reading the input files. Folders are walked (tool and VCS folders skipped); files
// named on the command line are always read; anything unreadable is a located input error.
// Only regular files are read, and a read stops at the size cap whatever `stat` says: /dev/zero,
// a FIFO named x.tf or a socket would otherwise fill memory or block forever.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretPath } from '../parse/terraform/modules';
import { looksLikePacker } from '../parse/packer';

/** Folders never walked: dependencies, VCS data, Terraform's provider cache, our own output. */
export const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', 'demo-output']);

/** What a walk picks up; a file named explicitly is read whatever its extension. */
export const INPUT_EXT = /\.(tf|tf\.json|tfvars|json|ya?ml|template|pkr\.hcl)$/i;

/** A PAN-OS bootstrap.xml: what a VM-Series' bootstrap bucket holds, read beside the template that boots it. */
export const BOOTSTRAP_XML = /^bootstrap\.xml$/i;

export interface InputFile {
  /** Path relative to the base directory, with forward slashes: what reports show. */
  file: string;
  text: string;
}

export interface CollectResult {
  files: InputFile[];
  /** Input errors (missing path, unreadable file): the CLI exits 2 on any. */
  errors: string[];
  /** Inputs not read (too large, not a regular file): the CLI exits 2 unless --allow-partial. */
  skipped: string[];
  /** Display paths of the files named on the command line (not found by walking). */
  named: Set<string>;
  /** Absolute paths of every input met (read or skipped): --out must not be one of them. */
  inputs: Set<string>;
  /** Absolute paths of the folders walked. */
  folders: string[];
}

export function displayPath(abs: string, base: string): string {
  const rel = path.relative(base, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

/** What kind of non-regular file this is, for the message. */
function kindOf(st: fs.Stats | fs.Dirent): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

export type ReadOutcome = { text: string } | { skipped: string } | { error: string };

/**
 * Reads one regular file, at most `maxBytes` bytes: the count is of bytes actually read, so a file
 * that grows, or lies about its size, stops at the cap. Opened non-blocking, so a FIFO swapped in
 * after the check cannot hang the run; the open descriptor is checked again (fstat).
 */
export function readCapped(abs: string, maxBytes: number): ReadOutcome {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { skipped: `${kindOf(st)}, not read` };
    if (st.size > maxBytes) return { skipped: `${mb(st.size)} is over the ${mb(maxBytes)} limit (--max-file-mb)` };
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1));
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { skipped: `over the ${mb(maxBytes)} limit (--max-file-mb) while reading` };
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads what the Terraform configuration calls beyond the given folders, as `terraform` itself
 * would: the .tf files of a local module folder outside them (`source = "../../"`), the folders
 * `terraform init` downloaded modules to, each root's `.terraform/modules/modules.json`, and the
 * files the configuration reads as text (`file()`, a firewall VM's `templatefile`). Each folder and file is tried
 * once; nothing but .tf files, manifests and those files is read, and a file only when it really is inside `roots`
 * (absolute folders: ReadRoots.real), so a link inside them to a file elsewhere is not followed. A file read as text
 * that does not exist, in a folder really inside them, is told to `absent` (Terraform's file() fails on it).
 */
export function terraformReader(
  base: string,
  maxFileBytes: number,
  roots?: readonly string[],
): (wants: { dirs: string[]; files: string[]; packer?: true }, absent?: (file: string) => void) => InputFile[] {
  const tried = new Set<string>();
  let templatesRead = false;
  // Module folders whose .tf files were read: each reads its own files (a user data template beside it) wherever it is.
  const moduleDirs: string[] = [];
  const readOne = (abs: string, out: InputFile[], contained = false): void => {
    if (contained && (secretPath(abs) || (roots && !realInside(abs, [...roots, ...moduleDirs])))) return;
    // Absent, unreadable or too large: the module call then says it was not read.
    const r = fs.existsSync(abs) ? readCapped(abs, maxFileBytes) : undefined;
    if (r && 'text' in r) out.push({ file: displayPath(abs, base), text: r.text });
  };
  return (wants, absent) => {
    const out: InputFile[] = [];
    for (const d of wants.dirs) {
      const abs = path.resolve(base, d);
      if (tried.has(abs)) continue;
      tried.add(abs);
      let names: string[];
      try {
        names = fs.readdirSync(abs).sort();
      } catch {
        continue;
      }
      const before = out.length;
      for (const n of names) if (/\.tf(\.json)?$/i.test(n)) readOne(path.join(abs, n), out);
      if (out.length > before) {
        try {
          moduleDirs.push(fs.realpathSync(abs));
        } catch {
          /* gone: nothing in it is read */
        }
      }
    }
    // The Packer templates of the read roots, once: an image the configuration looks up may be built by one.
    if (wants.packer && !templatesRead && roots) {
      templatesRead = true;
      for (const abs of packerTemplates(roots, maxFileBytes)) {
        if (tried.has(abs.file)) continue;
        tried.add(abs.file);
        out.push({ file: displayPath(abs.file, base), text: abs.text });
      }
    }
    for (const f of wants.files) {
      const abs = path.resolve(base, f);
      if (tried.has(abs)) continue;
      tried.add(abs);
      if (absent && !secretPath(abs) && missingInside(abs, roots ? [...roots, ...moduleDirs] : undefined)) absent(f);
      else readOne(abs, out, true);
    }
    return out;
  };
}

/** How many folder entries the search for Packer templates looks at, at most (a large monorepo is cut short). */
const PACKER_SEARCH_ENTRIES = 20_000;

/**
 * The Packer templates inside the folders (real paths), links not followed: `*.pkr.hcl`, and JSON files with an
 * Amazon builder (parse/packer.ts looksLikePacker), in sorted order, tool and VCS folders skipped.
 */
function packerTemplates(roots: readonly string[], maxFileBytes: number): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (++seen > PACKER_SEARCH_ENTRIES) return;
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name) && depth < 12) walk(abs, depth + 1);
        continue;
      }
      if (!ent.isFile() || !/\.(pkr\.hcl|json)$/i.test(ent.name) || /(^|\.)package(-lock)?\.json$|^tsconfig.*\.json$/.test(ent.name))
        continue;
      if (secretPath(abs)) continue;
      const r = readCapped(abs, maxFileBytes);
      if ('text' in r && looksLikePacker(ent.name, r.text)) out.push({ file: abs, text: r.text });
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/**
 * Whether nothing is at a path (not even a link) and its nearest existing folder really is inside one of the folders
 * (links resolved; no folders: anywhere): then Terraform finds no file there either. A path under a link leading
 * elsewhere, or one that cannot be looked at (permissions), is not said to be missing.
 */
function missingInside(abs: string, roots: readonly string[] | undefined): boolean {
  try {
    fs.lstatSync(abs);
    return false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') return false;
  }
  for (let d = path.dirname(abs); ; d = path.dirname(d)) {
    try {
      fs.lstatSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) return false;
      continue;
    }
    return roots ? realInside(d, roots) : true;
  }
}

/** Whether a file's real path (links resolved) is inside one of the folders. */
function realInside(abs: string, roots: readonly string[]): boolean {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    return false;
  }
  return roots.some((r) => {
    const rel = path.relative(r, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

export interface ReadRoots {
  /** As the input files are named (relative to the base, `/` separators): ParseOptions.readRoots. */
  keys: string[];
  /** Absolute, links resolved: for terraformReader. */
  real: string[];
}

/**
 * The folders whose files the Terraform configuration may read as text (`file()`, `templatefile()`): for each path
 * given, the git work tree holding it (a module elsewhere in the repository reads its own files), else the folder
 * given (a file's folder). Nothing outside them is read, whatever path the configuration writes.
 */
export function readRoots(paths: readonly string[], base: string): ReadRoots {
  const keys = new Set<string>();
  const real = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(base, p);
    let dir = abs;
    try {
      if (!fs.statSync(abs).isDirectory()) dir = path.dirname(abs);
    } catch {
      dir = path.dirname(abs);
    }
    let root = dir;
    for (let d = dir; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.git'))) {
        root = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    const rel = path.relative(base, root);
    keys.add(rel === '' ? '.' : rel.split(path.sep).join('/'));
    try {
      real.add(fs.realpathSync(root));
    } catch {
      /* gone: nothing in it is read */
    }
  }
  return { keys: [...keys], real: [...real] };
}

export function collectFiles(paths: string[], base: string, maxFileBytes: number): CollectResult {
  const out: CollectResult = { files: [], errors: [], skipped: [], named: new Set(), inputs: new Set(), folders: [] };
  const seen = new Set<string>();
  const read = (abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    out.inputs.add(abs);
    const shown = displayPath(abs, base);
    const r = readCapped(abs, maxFileBytes);
    if ('text' in r) out.files.push({ file: shown, text: r.text });
    else if ('skipped' in r) out.skipped.push(`${shown}: skipped, ${r.skipped}`);
    else out.errors.push(`cannot read ${shown}: ${r.error}`);
  };
  const walk = (dir: string): void => {
    out.folders.push(dir);
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
        continue;
      }
      if (!(INPUT_EXT.test(ent.name) || BOOTSTRAP_XML.test(ent.name)) || /(^|\.)package(-lock)?\.json$|^tsconfig.*\.json$/.test(ent.name))
        continue;
      if (ent.isFile()) read(abs);
      else if (!ent.isSymbolicLink()) {
        // A device, FIFO or socket with an input's name: say so, never open it.
        out.inputs.add(abs);
        out.skipped.push(`${displayPath(abs, base)}: skipped, ${kindOf(ent)}, not read`);
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
      if (st.isFile()) read(abs);
      else {
        out.inputs.add(abs);
        out.skipped.push(`${displayPath(abs, base)}: skipped, ${kindOf(st)}, not read`);
      }
    }
  }
  return out;
}
