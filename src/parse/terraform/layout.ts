// How a repository's folders form Terraform configurations: which folders are root modules (a
// folder with .tf files that no other folder calls), the label that qualifies each root's ids when
// there are several, the modules `terraform init` downloaded (read from modules.json, never by
// walking .terraform), and which folders and files the index still needs to read.
import { isLocalSource, joinDir, type ModuleDef } from './modules';

/** One module of `.terraform/modules/modules.json`. */
export interface InstalledModule {
  key: string;
  source: string;
  dir: string;
}

const MANIFEST = /(^|[\\/])\.terraform[\\/]modules[\\/]modules\.json$/;

export function isManifest(file: string): boolean {
  return MANIFEST.test(file);
}

/** The root module folder a manifest belongs to: the folder holding `.terraform`. */
export function manifestRoot(file: string): string {
  return joinDir(file, '../../..');
}

/** The modules of a modules.json text; undefined when it is not one. */
export function readManifest(text: string): InstalledModule[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const mods = (doc as { Modules?: unknown })?.Modules;
  if (!Array.isArray(mods)) return undefined;
  const out: InstalledModule[] = [];
  for (const m of mods as Record<string, unknown>[]) {
    if (m && typeof m.Key === 'string' && typeof m.Dir === 'string')
      out.push({ key: m.Key, source: typeof m.Source === 'string' ? m.Source : '', dir: m.Dir });
  }
  return out;
}

/** Per root folder, module key -> the folder it was downloaded to (as the index spells folders). */
export function installedDirs(manifests: ReadonlyMap<string, InstalledModule[]>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [file, mods] of manifests) {
    const root = manifestRoot(file);
    const m = new Map<string, string>();
    for (const mod of mods) if (mod.key !== '') m.set(mod.key, joinDir(root, mod.dir));
    out.set(root, m);
  }
  return out;
}

function insideDotTerraform(dir: string): boolean {
  return /(^|[\\/])\.terraform([\\/]|$)/.test(dir);
}

/** Folders some module call (local source, or a downloaded module) reads as a module. */
export function calledDirs(defs: ReadonlyMap<string, ModuleDef>, installed: ReadonlyMap<string, ReadonlyMap<string, string>>): Set<string> {
  const children = new Set<string>();
  for (const def of defs.values()) {
    for (const { block } of def.calls.values()) {
      const src = block.attrs.get('source')?.expr;
      if (src?.k === 'lit' && typeof src.v === 'string' && isLocalSource(src.v)) {
        const child = joinDir(def.dir, src.v);
        if (child !== def.dir) children.add(child);
      }
    }
  }
  for (const [root, m] of installed) for (const dir of m.values()) if (dir !== root) children.add(dir);
  return children;
}

/** Folders with module code that nothing calls: each is a configuration of its own. */
export function rootModules(
  defs: ReadonlyMap<string, ModuleDef>,
  installed: ReadonlyMap<string, ReadonlyMap<string, string>>,
): ModuleDef[] {
  const children = calledDirs(defs, installed);
  return [...defs.values()].filter((d) => !children.has(d.dir) && !insideDotTerraform(d.dir) && d.files.some((f) => !f.tfvars));
}

/**
 * Labels qualifying the ids of each root when there are several: the root's folder relative to the
 * deepest folder holding them all (`envs/dev`, `envs/prod` -> `dev`, `prod`), so the ids are the
 * same whether the analysis started at the repository, its parent or an absolute path. One root: `''`.
 */
export function rootLabels(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (dirs.length <= 1) {
    for (const d of dirs) out.set(d, '');
    return out;
  }
  const split = (d: string) => (d === '.' ? [] : d.split(/[\\/]/));
  const parts = dirs.map(split);
  let common = parts[0].length;
  for (const p of parts) {
    let i = 0;
    while (i < common && i < p.length && p[i] === parts[0][i]) i++;
    common = i;
  }
  for (let i = 0; i < dirs.length; i++) out.set(dirs[i], parts[i].slice(common).join('/') || '.');
  return out;
}

/**
 * What the index would read next: folders of local modules it has no file of, downloaded module
 * folders named by a manifest, and the manifest each root module folder may have.
 */
export function wantedInputs(
  defs: ReadonlyMap<string, ModuleDef>,
  installed: ReadonlyMap<string, ReadonlyMap<string, string>>,
  have: (file: string) => boolean,
): { dirs: string[]; files: string[] } {
  const dirs = new Set<string>();
  for (const dir of calledDirs(defs, installed)) if (!defs.has(dir)) dirs.add(dir);
  const files: string[] = [];
  for (const def of rootModules(defs, installed)) {
    const m = joinDir(def.dir, '.terraform/modules/modules.json');
    if (!have(m)) files.push(m);
  }
  return { dirs: [...dirs].sort(), files: files.sort() };
}
