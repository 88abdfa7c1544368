// The filter configuration an appliance VM is set up with, followed from what its VM extension runs to a file of
// the repository: an OPNsense or pfSense config.xml (vocabulary/opnsensePolicy.ts) the extension's settings name
// (a path, or a URL whose path is the file's in the repository), or that a script they fetch downloads
// (OPNsense's configureopnsense.sh: `fetch $1config.xml`, its first argument the URL of the repository folder).
// A URL is taken as a file of the repository when it is a GitHub file URL (raw.githubusercontent.com, github.com
// .../raw|blob/...) whose path, under a folder the analysis may read, is a file of the inputs; nothing is fetched.
// Several different config.xml files leave the policy unknown; a damaged one is read as far as it goes, its
// damage told. Every file looked at is tracked (ModuleInstance.readRepositoryText): its edits re-read it.
import type { TextRead } from './functions';
import type { ModuleInstance } from './modules';
import type { BootstrapPolicy } from '../../model/types';
import { opnsenseConfigXml } from '../vocabulary/opnsensePolicy';
import { readShell } from '../vocabulary/shell';

export interface ApplianceConfig {
  policy: BootstrapPolicy;
  /** The config.xml cannot be read whole: what and where. */
  damage?: { file: string; message: string; at: string };
}

type Found = Extract<TextRead, { text: string }>;

const URL = /https?:\/\/[^\s'"\\<>`]+/g;
const CONFIG = /(?:^|[\s'"=(])((?:https?:\/\/)?[\w.$/{}:~-]*config\.xml)(?=$|[\s'"`);])/g;

/** The repository path a GitHub file URL names: `raw.githubusercontent.com/o/r/<ref>/<path>`, `github.com/o/r/raw|blob/<ref>/<path>`. */
export function repositoryPath(url: string): string | undefined {
  const m = /^https?:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  let segs = m[2]
    .split(/[?#]/)[0]
    .split('/')
    .filter((s) => s !== '');
  if (host === 'raw.githubusercontent.com') segs = segs.slice(2);
  else if (host === 'github.com' && (segs[2] === 'raw' || segs[2] === 'blob')) segs = segs.slice(3);
  else return undefined;
  // A ref written as `refs/heads/main` takes three segments, a branch, tag or commit one.
  segs = segs[0] === 'refs' ? segs.slice(3) : segs.slice(1);
  if (!segs.length) return undefined;
  try {
    return segs.map(decodeURIComponent).join('/');
  } catch {
    // A malformed escape (`%E0%A4%A`) names no file of the repository; parsers never throw.
    return undefined;
  }
}

/** The text a URL or path names in the repository, when the inputs hold it. */
function readRef(ref: string, module: ModuleInstance): Found[] {
  const rel = /^https?:/.test(ref) ? repositoryPath(ref) : ref.replace(/^\.\//, '');
  if (rel === undefined || rel.includes('$')) return [];
  const reads: TextRead[] = /^https?:/.test(ref)
    ? module.readRepositoryText(rel)
    : [module.readText(rel), ...module.readRepositoryText(rel)];
  return reads.flatMap((r) => ('text' in r ? [r] : []));
}

/**
 * The arguments a command line passes to a script (`sh configureopnsense.sh 'a' "b" c`), as far as they are written:
 * of the places naming the script (its URL in fileUris, the command), the one followed by the most.
 */
function scriptArgs(texts: readonly string[], script: string): string[] {
  let best: string[] = [];
  for (const t of texts)
    for (let at = t.indexOf(script); at >= 0; at = t.indexOf(script, at + 1)) {
      const args: string[] = [];
      const re = /[ \t]+(?:'([^']*)'|"([^"]*)"|([^\s'";&|]+))/y;
      re.lastIndex = at + script.length;
      for (let m = re.exec(t); m; m = re.exec(t)) args.push(m[1] ?? m[2] ?? m[3]);
      if (args.length > best.length) best = args;
    }
  return best;
}

/** `$1config.xml` with the script's arguments put in; undefined when one is not known. */
function substitute(token: string, args: readonly string[]): string | undefined {
  let unknown = false;
  const out = token.replace(/\$(?:\{(\d)\}|(\d))/g, (_m, a: string | undefined, b: string | undefined) => {
    const v = args[Number(a ?? b) - 1];
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown || out.includes('$') ? undefined : out;
}

const configRefs = (text: string): string[] => [...text.matchAll(CONFIG)].map((m) => m[1]);

/**
 * The config.xml a script downloads or copies: the words of its commands (vocabulary/shell.ts: quotes removed, a
 * comment or an echoed message's quotes no command) that end in config.xml.
 */
const scriptConfigRefs = (text: string): string[] =>
  readShell(text).commands.flatMap((c) => c.words.filter((w) => /^(?:https?:\/\/)?[\w.$/{}:~-]*config\.xml$/.test(w)));

/**
 * The OPNsense or pfSense configuration a VM extension's settings or a VM's custom data (their strings: `what`) set
 * the VM up with, when a file of the repository holds it; undefined when none is found.
 */
export function applianceConfig(texts: readonly string[], module: ModuleInstance, what = 'VM extension'): ApplianceConfig | undefined {
  const found = new Map<string, { read: Found; via?: string }>();
  // config.xml named by the settings themselves (a fileUris entry, a path).
  for (const t of texts)
    for (const ref of configRefs(t)) if (!ref.includes('$')) for (const f of readRef(ref, module)) found.set(f.file, { read: f });
  // A script the settings fetch, which downloads it by URL (only URLs: its other mentions are the VM's own files).
  for (const t of texts)
    for (const url of t.match(URL) ?? []) {
      const path = repositoryPath(url);
      if (path === undefined || !/\.(sh|bash|ps1)$/i.test(path)) continue;
      const name = path.split('/').pop()!;
      const args = scriptArgs(texts, name);
      for (const script of readRef(url, module))
        for (const ref of scriptConfigRefs(script.text)) {
          const full = substitute(ref, args);
          if (full === undefined || !/^https?:/.test(full)) continue;
          for (const f of readRef(full, module)) found.set(f.file, { read: f, via: `${script.file}, which the ${what} runs` });
        }
    }
  const read = [...found].flatMap(([file, f]) => {
    const x = opnsenseConfigXml(f.read.text, (a, b) => ({ file, range: f.read.lines.range(a, b) }));
    return x ? [{ file, via: f.via, ...x }] : [];
  });
  if (read.length === 0) return undefined;
  const first = read[0];
  const source = `${first.file}${first.via ? `, downloaded by ${first.via}` : `, named by the ${what}`}`;
  if (read.length > 1)
    return {
      policy: {
        language: first.policy.language,
        source,
        tables: [
          {
            ...first.policy.tables[0],
            rules: [],
            unknown: `the ${what} leads to several configurations (${read.map((x) => x.file).join(', ')}): which one the VM runs is not read here`,
          },
        ],
      },
    };
  return {
    policy: { ...first.policy, source },
    ...(first.damage ? { damage: { file: first.file, ...first.damage } } : {}),
  };
}
