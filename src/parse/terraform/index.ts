// The Terraform parser: keeps each .tf file's syntax (converted from tree-sitter once per edit),
// groups files into modules by directory, evaluates every root module with its local child
// modules, and returns one model fragment per file. Never throws: problems become diagnostics.
import { convertTree, type Block, type FileAst } from './ast';
import { fastParse } from './fastparse';
import { Collector, RANGES_OPEN, TfResource, BlockView } from './emit';
import { resourceShape } from '../../model/refs';
import { evaluate, exprText } from './evaluate';
import { markVpcsWithoutSubnets, noteEmptySubnetBlock } from './subnetHomes';
import { markUnreadParts, noteWrittenFeeds, placesParts, queueUnreadNetworks, type UnreadInstance } from './unreadNetworks';
import { MAPPERS, type Mapper } from './mappers';
import { AZURE_OCCUPANT_TYPES, azurePlacementMapper, onlyPlaces } from './mapAzureOccupants';
import { aviatrixModuleKind, isFirenetModule, noteFirenetModule, synthesiseAviatrixModule } from './mapAviatrix';
import {
  ModuleDef,
  ModuleInstance,
  dirOf,
  joinDir,
  isLocalSource,
  MODULE_META,
  type EvalContext,
  type EvalProblem,
  type ResourceDecl,
  type SourceFile,
} from './modules';
import { installedDirs, isManifest, readManifest, rootLabels, rootModules, wantedInputs, type InstalledModule } from './layout';
import { isAutoVarFile, isJsonVarFile, isVarFile, jsonToValue, namedVarFiles, rootInputs, type TerraformVariables } from './rootVars';
import { DepGraph, Tracker, nodeKey, templateNode, type NodeKind } from './deps';
import { initTerraform, terraformParser } from './wasm';
import { LineMap } from '../locate';
import { readJsonSyntax } from './jsonSyntax';
import { iterationReferences } from './iterationRefs';
import { hclSuppressions } from '../suppressions';
import { DEFAULT_MAX_FILE_BYTES, type Declaration, type ModelFragment, type ParseOptions } from '../types';
import type { ParseDiagnostic, TerraformRoot } from '../../model/inputs';
import type { NetworkElement, SourceLocation } from '../../model/types';
import { budgetExhaustedAt, evaluationBudgetLeft, setEvaluationBudget } from './budget';
import type { Value } from './values';

export { initTerraform };
export type { TerraformVariables, TerraformRoot };
export { BUILTIN_GROUP_IDS } from './mapAviatrix';

interface FileEntry {
  text: string;
  src?: SourceFile;
  /** Diagnostics of reading the file itself (size, syntax). */
  diagnostics: ParseDiagnostic[];
  /** `.terraform/modules/modules.json`: the modules `terraform init` downloaded. */
  manifest?: InstalledModule[];
  /** A file the configuration reads as text (`templatefile`, `file`): its lines, made on first use. */
  template?: { lines?: LineMap };
  /** Dependency nodes the file declares, keys of its declarations, and whether it shapes modules. */
  decl: Declared;
}

interface Declared {
  nodes: string[];
  keys: string[];
  /** Module calls decide which module instances exist: such edits rebuild everything. */
  structural: boolean;
  /** A variables file's values, as text per variable name: an edit re-evaluates what reads the changed ones. */
  vars?: Map<string, string>;
}

/** What an incremental build keeps from the previous one. */
interface BuildState {
  graph: DepGraph;
  defs: Map<string, ModuleDef>;
  fragments: Map<string, ModelFragment>;
  /** The fragment each file had before its last change: an undo gets the old objects back. */
  older: Map<string, ModelFragment>;
  /** Directories with files, and whether each has a non-tfvars file: a change rebuilds everything. */
  dirs: string;
  /** The last build's values may depend on evaluation order or budget: rebuild everything. */
  fullNext: boolean;
}

export class TerraformIndex {
  /** The last full evaluation's spend: the most steps a root module used, of the budget each had. */
  lastBudget: { used: number; budget: number } | undefined;
  private readonly files = new Map<string, FileEntry>();
  /** The entry each file had before its last edit, reused when the text comes back (undo). */
  private readonly previous = new Map<string, FileEntry>();
  /** Files set or removed since the last build, with their entry at that build (undefined: new). */
  private readonly changed = new Map<string, FileEntry | undefined>();
  /** Files removed since the last build; they leave `files` at the build, unless set again. */
  private readonly removals = new Set<string>();
  private memo: ModelFragment[] | undefined;
  private state: BuildState | undefined;
  private readonly maxBytes: number;
  private readonly variables: TerraformVariables | undefined;
  /** The files the user names as variables files, read as such whatever their names. */
  private readonly namedVars: ReadonlySet<string>;
  /** The folders whose files the configuration may read as text (ParseOptions.readRoots). */
  private readonly readRoots: readonly string[];
  /** Root modules of the last build. */
  private rootList: TerraformRoot[] = [];
  /** Module folders the caller did not read, with the reason (notRead). */
  private readonly unread = new Map<string, string>();
  /** Files evaluations read as text (`templatefile(...)` of a firewall VM's user data), given or not. */
  private readonly requested = new Set<string>();
  /** Files read as text that a front end looked for inside the read roots and did not find (absent()). */
  private readonly absentFiles = new Set<string>();
  /** How the last build ran, for tests and the bench. */
  lastBuild: { mode: 'full' | 'incremental' | 'memo'; recomputed: number } = { mode: 'full', recomputed: 0 };

  constructor(opts?: ParseOptions) {
    this.maxBytes = opts?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.variables = opts?.terraformVariables;
    this.namedVars = namedVarFiles(this.variables);
    this.readRoots = opts?.readRoots ?? ['.'];
  }

  /** Root modules of the last build, with the var files applied to each. */
  roots(): TerraformRoot[] {
    return this.rootList;
  }

  /**
   * Inputs the index has not seen and would read: folders of called modules (outside what was
   * given, or downloaded by `terraform init`) and each root folder's `.terraform/modules/modules.json`.
   * The caller reads the .tf files of those folders and the manifests that exist, then builds.
   */
  wants(): { dirs: string[]; files: string[] } {
    // Right after a build (nothing set or removed since) its module folders are the files' own: asked after every
    // edit by the extension, so not made again.
    const defs = this.memo && this.state ? this.state.defs : buildDefs(this.liveFiles(), undefined, undefined);
    const has = (f: string): boolean => this.files.has(f) && !this.removals.has(f);
    const w = wantedInputs(defs, installedDirs(this.manifests()), has);
    // Files the last build read as text and did not have (known only once the configuration is evaluated).
    for (const f of this.requested) if (!has(f) && !this.absentFiles.has(f) && !w.files.includes(f)) w.files.push(f);
    return w;
  }

  /**
   * A file the configuration reads as text that the front end looked for, inside the read roots (links resolved),
   * and found none: `fileexists()` of it is false and `file()` fails, as in Terraform. Setting or removing the file
   * forgets this (the front end looks again). True when that changed the model.
   */
  absent(file: string): boolean {
    if (!this.requested.has(file) || this.absentFiles.has(file) || (this.files.has(file) && !this.removals.has(file))) return false;
    this.absentFiles.add(file);
    // Rare (once per missing file and session): the next build is a full one.
    this.state = undefined;
    this.memo = undefined;
    return true;
  }

  /** Whether the configuration reads this file as text (a template): the workspace hands it here. */
  reads(file: string): boolean {
    return this.requested.has(file);
  }

  private liveFiles(): Map<string, FileEntry> {
    if (this.removals.size === 0) return this.files;
    return new Map([...this.files].filter(([f]) => !this.removals.has(f)));
  }

  private manifests(): Map<string, InstalledModule[]> {
    const out = new Map<string, InstalledModule[]>();
    for (const [file, e] of this.files) if (e.manifest && !this.removals.has(file)) out.set(file, e.manifest);
    return out;
  }

  /**
   * A module folder the caller did not read, and why (the extension reads only inside open workspace
   * folders): the module call's diagnostic gives the reason. True when that changed the model.
   */
  notRead(dir: string, reason: string): boolean {
    if (this.unread.get(dir) === reason) return false;
    this.unread.set(dir, reason);
    // Rare (once per folder and indexing): the next build is a full one.
    this.state = undefined;
    this.memo = undefined;
    return true;
  }

  /** Parses one file now (initTerraform must have resolved); evaluation waits for build(). */
  setFile(file: string, text: string): void {
    this.absentFiles.delete(file);
    const old = this.files.get(file);
    // Removed and set again before a build (an editor's replace): the file keeps its place.
    const back = this.removals.delete(file);
    if (old && old.text === text) {
      if (back) this.memo = undefined;
      return;
    }
    const prev = this.previous.get(file);
    const entry = prev && prev.text === text ? prev : readFile(file, text, this.maxBytes, this.namedVars);
    if (old) this.previous.set(file, old);
    this.noteChange(file, old);
    this.files.set(file, entry);
  }

  removeFile(file: string): void {
    if (this.absentFiles.delete(file)) {
      // No longer known to be absent: what read it is undecided again.
      this.state = undefined;
      this.memo = undefined;
    }
    const old = this.files.get(file);
    if (!old || this.removals.has(file)) return;
    this.noteChange(file, old);
    this.removals.add(file);
  }

  private noteChange(file: string, old: FileEntry | undefined): void {
    this.memo = undefined;
    if (!this.changed.has(file)) this.changed.set(file, old);
  }

  build(): ModelFragment[] {
    if (this.memo) {
      this.lastBuild = { mode: 'memo', recomputed: 0 };
      return this.memo;
    }
    for (const file of this.removals) {
      this.files.delete(file);
      this.previous.delete(file);
    }
    this.removals.clear();
    const changed = new Map<string, FileEntry | undefined>();
    for (const [file, old] of this.changed) if (old === undefined || old !== this.files.get(file)) changed.set(file, old);
    this.changed.clear();
    if (changed.size === 0 && this.state) {
      this.memo = [...this.state.fragments.values()];
      this.lastBuild = { mode: 'memo', recomputed: 0 };
      return this.memo;
    }
    try {
      this.memo = (this.state && this.incremental(this.state, changed)) || this.full();
    } catch (e) {
      // Last resort: keep each file's own diagnostics and say evaluation failed.
      this.state = undefined;
      this.memo = [...this.files].map(([file, entry]) => ({
        file,
        format: 'terraform' as const,
        elements: [],
        diagnostics: [
          ...entry.diagnostics,
          {
            code: 'internal-error',
            severity: 'error' as const,
            message: `Terraform evaluation failed: ${(e as Error).message}`,
            loc: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
          },
        ],
      }));
    }
    return this.memo;
  }

  private full(): ModelFragment[] {
    const graph = new DepGraph();
    const defs = buildDefs(this.files, undefined, undefined);
    const budget = evaluationBudget(this.files);
    const run = runEvaluation(defs, graph, undefined, budget, this.evalSetup());
    this.rootList = run.roots;
    const old = this.state?.fragments;
    const fragments = new Map<string, ModelFragment>();
    for (const file of this.files.keys()) {
      const frag = assemble(file, this.files.get(file) as FileEntry, defs, run);
      fragments.set(file, this.reuseAll(file, frag, old, this.state?.older));
      graph.setKeys(file, fileKeys(this.files.get(file) as FileEntry, run.keys.get(file)));
    }
    this.lastBudget = { used: run.used, budget };
    this.state = {
      graph,
      defs,
      fragments,
      older: this.state?.older ?? new Map(),
      dirs: dirSignature(this.files),
      fullNext: run.sawCycle || run.used > budget / 2,
    };
    this.lastBuild = { mode: 'full', recomputed: this.files.size };
    return [...fragments.values()];
  }

  /** Recomputes only the files the changes can reach; undefined when everything must be rebuilt. */
  private incremental(state: BuildState, changed: Map<string, FileEntry | undefined>): ModelFragment[] | undefined {
    if (state.fullNext) return undefined;
    for (const [file, old] of changed) {
      if (old?.decl.structural || this.files.get(file)?.decl.structural) return undefined;
    }
    if (dirSignature(this.files) !== state.dirs) return undefined;
    const { graph } = state;
    // Files reached through names the changed files declare (before and after the edit).
    const seeds: string[] = [];
    // A variables file: the root variables whose value changed, in every root it applies to, and the
    // files declaring them (their "no value" diagnostic may come or go).
    const declaring: string[] = [];
    for (const [file, old] of changed) {
      if (old) seeds.push(...old.decl.nodes);
      const now = this.files.get(file);
      if (now) seeds.push(...now.decl.nodes);
      if (!old?.decl.vars && !now?.decl.vars) continue;
      const names = changedVars(old?.decl.vars, now?.decl.vars);
      for (const dir of this.varFileRoots(file, state))
        for (const name of names) {
          const n = nodeKey(dir, 'var', name);
          seeds.push(n);
          declaring.push(`decl:${n}`);
        }
    }
    const dirty = new Set<string>();
    for (const k of declaring) for (const f of graph.touchersOf(k)) if (this.files.has(f)) dirty.add(f);
    for (const file of changed.keys()) if (this.files.has(file)) dirty.add(file);
    for (const f of graph.readersOf(seeds)) if (this.files.has(f)) dirty.add(f);
    const removed = [...changed.keys()].filter((f) => !this.files.has(f));
    this.coDirty(graph, dirty, [...dirty, ...removed]);

    const defs = buildDefs(this.files, state.defs, changed);
    const budget = evaluationBudget(this.files);
    for (let round = 0; ; round++) {
      if (round > 8) return undefined;
      const run = runEvaluation(defs, graph, dirty, budget, this.evalSetup());
      if (run.sawCycle || run.used > budget / 2) return undefined;
      // Keys the recomputed files touch now may be touched by files that were left alone.
      const more = new Set<string>();
      for (const file of dirty) {
        for (const k of fileKeys(this.files.get(file) as FileEntry, run.keys.get(file))) {
          for (const g of graph.touchersOf(k)) if (!dirty.has(g) && this.files.has(g)) more.add(g);
        }
      }
      if (more.size) {
        for (const g of more) dirty.add(g);
        this.coDirty(graph, dirty, [...more]);
        continue;
      }
      // A module call evaluated again (a variable its count, for_each or inputs read changed) may give
      // its module other instances, and the module's files recorded no reads for instances that did not
      // exist: only a full build reaches them.
      for (const file of dirty) if (this.files.get(file)?.decl.structural) return undefined;
      for (const file of removed) {
        graph.dropKeys(file);
        state.fragments.delete(file);
        state.older.delete(file);
      }
      const fragments = new Map<string, ModelFragment>();
      for (const file of this.files.keys()) {
        const entry = this.files.get(file) as FileEntry;
        if (dirty.has(file)) {
          fragments.set(file, this.reuseAll(file, assemble(file, entry, defs, run), state.fragments, state.older));
          graph.setKeys(file, fileKeys(entry, run.keys.get(file)));
        } else fragments.set(file, state.fragments.get(file) as ModelFragment);
      }
      state.fragments = fragments;
      state.defs = defs;
      this.rootList = run.roots;
      this.lastBuild = { mode: 'incremental', recomputed: dirty.size };
      return [...fragments.values()];
    }
  }

  /** Root folders a variables file gives values to: its own for terraform.tfvars and *.auto.tfvars, else those the var-file options name. */
  private varFileRoots(file: string, state: BuildState): string[] {
    if (isAutoVarFile(file)) return [dirOf(file)];
    const dirs = new Set<string>();
    for (const e of this.variables?.extra ?? [])
      if ('file' in e && e.file === file) for (const d of e.roots ?? state.defs.keys()) dirs.add(d);
    return [...dirs];
  }

  private evalSetup(): EvalSetup {
    return {
      installed: installedDirs(this.manifests()),
      variables: this.variables,
      fileByKey: (f) => this.files.get(f)?.src,
      unread: this.unread,
      template: (f) => {
        const e = this.files.get(f);
        if (!e?.template || this.removals.has(f)) return undefined;
        return { text: e.text, lines: (e.template.lines ??= new LineMap(e.text)) };
      },
      requested: this.requested,
      readRoots: this.readRoots,
      absent: (f) => this.absentFiles.has(f),
    };
  }

  /** The new fragment, or an equal previous one (last build's, or the one before the file's last change). */
  private reuseAll(
    file: string,
    frag: ModelFragment,
    last: Map<string, ModelFragment> | undefined,
    older: Map<string, ModelFragment> | undefined,
  ): ModelFragment {
    const prev = last?.get(file);
    const before = older?.get(file);
    if (before && before !== prev && same(before, frag)) {
      if (prev) older?.set(file, prev);
      return before;
    }
    const out = reuse(prev, frag);
    if (prev && out !== prev) older?.set(file, prev);
    return out;
  }

  /** Adds every file sharing a collector or declaration key with a dirty one, transitively. */
  private coDirty(graph: DepGraph, dirty: Set<string>, start: string[]): void {
    const queue = [...start];
    const seenKeys = new Set<string>();
    while (queue.length) {
      const f = queue.pop() as string;
      const keys: string[] = [...(graph.fileKeys.get(f) ?? [])];
      const now = this.files.get(f);
      if (now) keys.push(...now.decl.keys);
      for (const k of keys) {
        if (seenKeys.has(k)) continue;
        seenKeys.add(k);
        for (const g of graph.touchersOf(k)) {
          if (dirty.has(g) || !this.files.has(g)) continue;
          dirty.add(g);
          queue.push(g);
        }
      }
    }
  }
}

function dirSignature(files: ReadonlyMap<string, FileEntry>): string {
  const dirs = new Map<string, boolean>();
  for (const [f, e] of files) {
    if (e.src) dirs.set(e.src.dir, (dirs.get(e.src.dir) ?? false) || !e.src.tfvars);
    else if (e.manifest) dirs.set(f, true);
  }
  return [...dirs].map(([d, n]) => `${d}:${n}`).join('\n');
}

function fileKeys(entry: FileEntry, touched: Set<string> | undefined): Set<string> {
  const keys = new Set(touched);
  for (const k of entry.decl.keys) keys.add(k);
  return keys;
}

/** A .tfvars.json value as comparable text (maps and lists of literals). */
function valueText(v: Value): string {
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${JSON.stringify(k)}:${valueText(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(',')}]`;
  return JSON.stringify(v) ?? String(v);
}

/** Names of the variables whose value a variables file's edit changed (added, removed or rewritten). */
function changedVars(old: Map<string, string> | undefined, now: Map<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [name, text] of old ?? []) if (now?.get(name) !== text) out.push(name);
  for (const name of now?.keys() ?? []) if (!old?.has(name)) out.push(name);
  return out;
}

/** Names a file declares, as dependency nodes and as keys shared with other declarations of them. */
function declared(src: SourceFile | undefined): Declared {
  const d: Declared = { nodes: [], keys: [], structural: false };
  if (!src) return d;
  if (src.tfvars) {
    d.vars = new Map();
    if (src.jsonVars) for (const [name, v] of src.jsonVars) d.vars.set(name, valueText(v));
    else for (const a of src.ast.topAttrs) d.vars.set(a.name, src.text.slice(a.expr.s.start, a.expr.s.end));
    return d;
  }
  const add = (kind: NodeKind, name: string) => {
    const n = nodeKey(src.dir, kind, name);
    d.nodes.push(n);
    d.keys.push(`decl:${n}`);
  };
  for (const block of src.ast.blocks) {
    const [l0, l1] = block.labels;
    switch (block.type) {
      case 'variable':
        if (l0 !== undefined) add('var', l0);
        break;
      case 'locals':
        for (const a of block.attrs.values()) add('local', a.name);
        break;
      case 'resource':
        if (l0 !== undefined && l1 !== undefined) add('res', `${l0}.${l1}`);
        break;
      case 'data':
        if (l0 !== undefined && l1 !== undefined) add('data', `${l0}.${l1}`);
        break;
      case 'module':
        d.structural = true;
        break;
      case 'output':
        if (l0 !== undefined) add('output', l0);
        break;
      case 'provider': {
        if (l0 === undefined) break;
        const alias = block.attrs.get('alias')?.expr;
        add('provider', l0);
        if (alias) {
          if (alias.k === 'lit' && typeof alias.v === 'string') add('provider', `${l0}.${alias.v}`);
          else d.structural = true;
        }
        break;
      }
    }
  }
  return d;
}

function readFile(file: string, text: string, maxBytes: number, namedVars: ReadonlySet<string>): FileEntry {
  if (isManifest(file)) {
    const manifest = readManifest(text);
    const diagnostics: ParseDiagnostic[] = manifest
      ? []
      : [
          {
            code: 'syntax-error',
            severity: 'warning',
            message: 'Not a Terraform modules.json: the modules terraform init downloaded are not read',
            loc: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
          },
        ];
    return { text, diagnostics, manifest: manifest ?? [], decl: { nodes: [], keys: [], structural: true } };
  }
  // Neither module code nor variables: a text the configuration reads (a template of user data). Its node makes
  // the files that read it evaluate again when it changes.
  // A variables file the user names is one whatever its name (terraform.tfvars-example).
  const vars = isVarFile(file, namedVars);
  if (!vars && !/\.(tf|tf\.json)$/i.test(file))
    return { text, diagnostics: [], template: {}, decl: { nodes: [templateNode(file)], keys: [], structural: false } };
  const entry = vars
    ? isJsonVarFile(file)
      ? readJsonVars(file, text)
      : readSource(file, text, maxBytes, true)
    : /\.tf\.json$/i.test(file)
      ? readJsonSource(file, text, maxBytes)
      : readSource(file, text, maxBytes, false);
  return { text, ...entry, decl: declared(entry.src) };
}

const EMPTY_AST: FileAst = { blocks: [], topAttrs: [], problems: [], duplicates: [] };

function readJsonVars(file: string, text: string): { src?: SourceFile; diagnostics: ParseDiagnostic[] } {
  const lines = new LineMap(text);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return {
      diagnostics: [
        {
          code: 'syntax-error',
          severity: 'error',
          message: `Not valid JSON: ${(e as Error).message}`,
          loc: { file, range: lines.range(0, 0) },
        },
      ],
    };
  }
  const vars = jsonToValue(doc);
  if (!(vars instanceof Map))
    return {
      diagnostics: [
        {
          code: 'syntax-error',
          severity: 'error',
          message: 'A JSON variables file must hold one JSON object of variable values',
          loc: { file, range: lines.range(0, 0) },
        },
      ],
    };
  return { src: { file, dir: dirOf(file), text, lines, ast: EMPTY_AST, tfvars: true, jsonVars: vars }, diagnostics: [] };
}

/** A `.tf.json` file: Terraform's JSON syntax, read into the same syntax tree as HCL (jsonSyntax.ts). */
function readJsonSource(file: string, text: string, maxBytes: number): { src?: SourceFile; diagnostics: ParseDiagnostic[] } {
  const lines = new LineMap(text);
  if (Buffer.byteLength(text, 'utf8') > maxBytes)
    return {
      diagnostics: [
        {
          code: 'file-too-large',
          severity: 'warning',
          message: `File is larger than ${Math.round(maxBytes / 1024 / 1024)} MB and was skipped`,
          loc: { file, range: lines.range(0, 0) },
        },
      ],
    };
  const ast = readJsonSyntax(text.replace(/^\uFEFF/, ' '));
  const diagnostics: ParseDiagnostic[] = ast.problems.map((p) => ({
    code: 'syntax-error',
    severity: 'error',
    message: p.message,
    loc: { file, range: lines.range(p.span.start, p.span.end) },
  }));
  diagnostics.push(...duplicateDiagnostics(file, ast, lines));
  return { src: { file, dir: dirOf(file), text, lines, ast, tfvars: false }, diagnostics };
}

function readSource(file: string, text: string, maxBytes: number, tfvars: boolean): { src?: SourceFile; diagnostics: ParseDiagnostic[] } {
  const lines = new LineMap(text);
  const whole = (code: ParseDiagnostic['code'], severity: ParseDiagnostic['severity'], message: string): ParseDiagnostic => ({
    code,
    severity,
    message,
    loc: { file, range: lines.range(0, Math.min(text.length, lines.text.indexOf('\n') < 0 ? text.length : lines.text.indexOf('\n'))) },
  });
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    return {
      diagnostics: [whole('file-too-large', 'warning', `File is larger than ${Math.round(maxBytes / 1024 / 1024)} MB and was skipped`)],
    };
  }
  const parser = terraformParser();
  if (!parser)
    return { diagnostics: [whole('internal-error', 'error', 'Terraform parser is not initialised (initTerraform was not awaited)')] };
  // Well-formed files are read directly; tree-sitter reads the rest (and reports syntax errors).
  const fast = fastParse(text);
  if (fast)
    return {
      src: { file, dir: dirOf(file), text, lines, ast: fast, tfvars },
      diagnostics: duplicateDiagnostics(file, fast, lines),
    };
  let tree;
  try {
    tree = parser.parse(text);
  } catch (e) {
    return { diagnostics: [whole('internal-error', 'error', `Terraform file could not be parsed: ${(e as Error).message}`)] };
  }
  if (!tree) return { diagnostics: [whole('internal-error', 'error', 'Terraform file could not be parsed')] };
  try {
    const ast = convertTree(tree.rootNode, text);
    const diagnostics: ParseDiagnostic[] = ast.problems.map((p) => ({
      code: 'syntax-error',
      severity: 'error',
      message: p.message,
      loc: { file, range: lines.range(p.span.start, p.span.end) },
    }));
    diagnostics.push(...duplicateDiagnostics(file, ast, lines));
    return { src: { file, dir: dirOf(file), text, lines, ast, tfvars }, diagnostics };
  } catch (e) {
    return { diagnostics: [whole('internal-error', 'error', `Terraform file could not be read: ${(e as Error).message}`)] };
  } finally {
    tree.delete();
  }
}

/** What one file's syntax shows Terraform refuses: an argument written twice in a block; count/each out of context (F139). */
function duplicateDiagnostics(file: string, ast: FileAst, lines: LineMap): ParseDiagnostic[] {
  const out: ParseDiagnostic[] = ast.duplicates.map((d) => ({
    code: 'duplicate-attribute',
    severity: 'error',
    message: `Argument "${d.name}" is written more than once in this block`,
    loc: { file, range: lines.range(d.span.start, d.span.end) },
  }));
  // An override file's blocks merge into another file's, which may set count or for_each.
  if (/(^|[\\/_])override\.tf(\.json)?$/.test(file)) return out;
  for (const r of iterationReferences(ast, lines.text))
    out.push({
      code: 'iteration-out-of-context',
      severity: 'error',
      message: r.message,
      loc: { file, range: lines.range(r.span.start, r.span.end) },
    });
  return out;
}

/**
 * Expression evaluations allowed per build: a fixed floor plus a share per character of source.
 * Real configurations use a small fraction; hostile nested for-expressions stop in about a second.
 */
function evaluationBudget(files: ReadonlyMap<string, FileEntry>): number {
  let chars = 0;
  for (const e of files.values()) chars += e.src?.text.length ?? 0;
  return 2_000_000 + 20 * chars;
}

/**
 * Module definitions by directory. Unchanged directories keep theirs; a changed one is updated in
 * place when its files only changed values (see ModuleDef.replaceFile), else rebuilt.
 */
function buildDefs(
  files: ReadonlyMap<string, FileEntry>,
  old: ReadonlyMap<string, ModuleDef> | undefined,
  changed: ReadonlyMap<string, FileEntry | undefined> | undefined,
): Map<string, ModuleDef> {
  const byDir = new Map<string, SourceFile[]>();
  for (const entry of files.values()) {
    if (!entry.src) continue;
    let list = byDir.get(entry.src.dir);
    if (!list) byDir.set(entry.src.dir, (list = []));
    list.push(entry.src);
  }
  const changedDirs = new Map<string, [SourceFile | undefined, SourceFile | undefined][]>();
  for (const [file, was] of changed ?? []) {
    const now = files.get(file);
    for (const dir of new Set([was?.src?.dir, now?.src?.dir])) {
      if (dir === undefined) continue;
      let l = changedDirs.get(dir);
      if (!l) changedDirs.set(dir, (l = []));
      l.push([was?.src, now?.src]);
    }
  }
  const defs = new Map<string, ModuleDef>();
  for (const [dir, srcs] of byDir) {
    const prev = changed ? old?.get(dir) : undefined;
    const swaps = changedDirs.get(dir);
    if (prev && !swaps) defs.set(dir, prev);
    else if (prev && swaps && swaps.every(([a, b]) => a && b && prev.replaceFile(a, b)) && sameList(prev.files, srcs)) defs.set(dir, prev);
    else defs.set(dir, new ModuleDef(dir, srcs));
  }
  return defs;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface EvalSetup {
  installed: Map<string, Map<string, string>>;
  variables: TerraformVariables | undefined;
  fileByKey: (file: string) => SourceFile | undefined;
  unread: ReadonlyMap<string, string>;
  template: EvalContext['template'];
  requested: Set<string>;
  readRoots: readonly string[];
  absent: (file: string) => boolean;
}

interface Run {
  roots: TerraformRoot[];
  out: Collector;
  keys: Map<string, Set<string>>;
  sawCycle: boolean;
  used: number;
  perFile?: { elements: Map<string, NetworkElement[]>; problems: Map<string, EvalProblem[]>; declared: Map<string, Declaration[]> };
}

/** Evaluates the root modules; with `only`, maps just the resources of those files. */
function runEvaluation(
  defs: ReadonlyMap<string, ModuleDef>,
  graph: DepGraph,
  only: ReadonlySet<string> | undefined,
  budget: number,
  setup: EvalSetup,
): Run {
  const tracker = new Tracker(graph);
  const out = new Collector(tracker, only);
  const ctx: EvalContext = {
    defs,
    inProgress: new Set(),
    tracker,
    installed: setup.installed,
    unread: setup.unread,
    template: setup.template,
    templatesRead: setup.requested,
    readRoots: setup.readRoots,
    absent: setup.absent,
    assume: (src, span, message) => out.problem(src, span, 'assumed-shape', 'info', message),
  };
  // One budget per root module (and one for the deferred work after them): a heavy root cannot
  // starve the others. `used` is the most any of them spent.
  let used = 0;
  const settle = (root: string): void => {
    used = Math.max(used, budget - evaluationBudgetLeft());
    const at = budgetExhaustedAt();
    if (at) budgetProblem(defs, out, at, root, budget);
  };
  try {
    const roots = rootModules(defs, setup.installed);
    const labels = rootLabels(roots.map((d) => d.dir));
    const infos: TerraformRoot[] = [];
    const done: [ModuleInstance, Map<string, unknown>][] = [];
    for (const def of roots) {
      setEvaluationBudget(budget);
      const label = labels.get(def.dir) ?? '';
      const { inputs, applied } = rootInputs(def, setup.variables, setup.fileByKey);
      infos.push({ dir: def.dir, label, varFiles: applied });
      const mod = new ModuleInstance(ctx, def, label ? `${label}:` : '', inputs, [def.dir]);
      walk(mod, out, []);
      done.push([mod, inputs]);
      settle(def.dir);
    }
    setEvaluationBudget(budget);
    for (const def of roots) importedNetworks(def, labels.get(def.dir) ?? '', out, tracker);
    for (const [mod, inputs] of done) missingVariables(mod, inputs, out);
    out.runPosts();
    out.applyAliases();
    settle('');
    return { roots: infos, out, keys: tracker.keys, sawCycle: ctx.sawCycle === true, used };
  } finally {
    setEvaluationBudget(Infinity);
  }
}

/**
 * A root module's `import` blocks adopt existing objects: an imported VPC or VNet exists before the configuration, and
 * CIDRs may have been associated with it outside the inputs, so its subnets' ranges are not checked against it
 * (RANGES_OPEN, subnet-outside-network). Keyed by the address without instance keys (an import `for_each` writes
 * them from expressions), as outsideVpc looks it up.
 */
function importedNetworks(def: ModuleDef, label: string, out: Collector, tracker: Tracker): void {
  for (const src of def.files)
    for (const block of src.ast.blocks) {
      const to = block.type === 'import' ? block.attrs.get('to') : undefined;
      if (!to) continue;
      const address = exprText(to.expr, src.text).replace(/\s+/g, '');
      if (!/(^|\.)(aws_vpc|azurerm_virtual_network)\./.test(address)) continue;
      const key = resourceShape(`${label ? `${label}:` : ''}${address}`);
      tracker.inFile(src.file, () =>
        out.nameIndex(RANGES_OPEN).set(key, 'it is adopted by an import block: it exists before the configuration'),
      );
    }
}

/** The located diagnostic for a spent budget: at the expression where it ran out. */
function budgetProblem(
  defs: ReadonlyMap<string, ModuleDef>,
  out: Collector,
  at: { text: string; start: number; end: number },
  root: string,
  budget: number,
): void {
  for (const def of defs.values()) {
    const src = def.files.find((f) => f.text === at.text);
    if (!src) continue;
    out.problem(
      src,
      { start: at.start, end: at.end },
      'evaluation-budget-exceeded',
      'warning',
      `Evaluation budget exceeded${root ? ` in root module ${root}` : ''} (${budget.toLocaleString('en-US')} steps, from the size of the Terraform): values computed from here on are Unknown`,
    );
    return;
  }
}

function groupRun(run: Run): NonNullable<Run['perFile']> {
  const elements = new Map<string, NetworkElement[]>();
  const problems = new Map<string, EvalProblem[]>();
  const declared = new Map<string, Declaration[]>();
  for (const { el, file } of run.out.entries) {
    let l = elements.get(file);
    if (!l) elements.set(file, (l = []));
    l.push(el);
  }
  for (const { d, file } of run.out.declared) {
    let l = declared.get(file);
    if (!l) declared.set(file, (l = []));
    l.push(d);
  }
  for (const p of run.out.problems) {
    let l = problems.get(p.src.file);
    if (!l) problems.set(p.src.file, (l = []));
    l.push(p);
  }
  return { elements, problems, declared };
}

/** Structural equality of plain data (elements and diagnostics are JSON-like). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * The previous fragment when nothing in it changed, else the new one with every unchanged element
 * and diagnostic replaced by its previous object: consumers compare by identity.
 */
function reuse(old: ModelFragment | undefined, now: ModelFragment): ModelFragment {
  if (!old) return now;
  const oldEls = new Map<string, NetworkElement>();
  for (const el of old.elements) oldEls.set(el.id, el);
  let allSame = old.elements.length === now.elements.length && old.diagnostics.length === now.diagnostics.length;
  for (let i = 0; i < now.elements.length; i++) {
    const prev = oldEls.get(now.elements[i].id);
    if (prev && same(prev, now.elements[i])) now.elements[i] = prev;
    if (now.elements[i] !== old.elements[i]) allSame = false;
  }
  for (let i = 0; i < now.diagnostics.length; i++) {
    const prev = old.diagnostics[i];
    if (prev && same(prev, now.diagnostics[i])) now.diagnostics[i] = prev;
    else allSame = false;
  }
  if (old.declared !== now.declared) {
    if (old.declared && now.declared && same(old.declared, now.declared)) now.declared = old.declared;
    else allSame = false;
  }
  // An edited egress-lens:ignore comment changes the fragment even where its elements stay the same.
  if (old.suppressions !== now.suppressions) {
    if (old.suppressions && now.suppressions && same(old.suppressions, now.suppressions)) now.suppressions = old.suppressions;
    else allSame = false;
  }
  return allSame ? old : now;
}

/** One file's fragment from a run: its own diagnostics, its module's, then evaluation's. */
function assemble(file: string, entry: FileEntry, defs: ReadonlyMap<string, ModuleDef>, run: Run): ModelFragment {
  const frag: ModelFragment = { file, format: 'terraform', elements: [], diagnostics: [...entry.diagnostics] };
  const src = entry.src;
  if (!src) return frag;
  const push = (p: EvalProblem) =>
    frag.diagnostics.push({
      code: p.code,
      severity: p.severity,
      message: p.message,
      loc: { file: p.src.file, range: p.src.lines.range(p.span.start, p.span.end) },
    });
  for (const p of defs.get(src.dir)?.problems ?? []) if (p.src.file === file) push(p);
  const own = (run.perFile ??= groupRun(run));
  for (const el of own.elements.get(file) ?? []) {
    frag.elements.push(el);
    if (el.moduleCalls) frag.moduleInstances = true;
  }
  for (const p of own.problems.get(file) ?? []) push(p);
  const declared = own.declared.get(file);
  if (declared) frag.declared = declared;
  if (src.ast.marks) frag.suppressions = hclSuppressions(file, src.text, src.ast, src.lines);
  return frag;
}
/**
 * A root variable without a default nor a value is Unknown (terraform would ask for it): say which
 * and how to give it, once. It depends only on the variable's file and the var files, so an
 * incremental build gives the same diagnostics as a fresh one.
 */
function missingVariables(mod: ModuleInstance, inputs: ReadonlyMap<string, unknown>, out: Collector): void {
  for (const [name, decl] of mod.def.variables) {
    if (inputs.has(name) || decl.block.attrs.has('default')) continue;
    const where = mod.prefix ? ` of root ${mod.prefix.slice(0, -1)}` : '';
    out.problem(
      decl.src,
      decl.block.header,
      'unresolved-value',
      'info',
      `variable "${name}"${where} has no default and no value, so what depends on it is Unknown: set it in terraform.tfvars or a *.auto.tfvars file, or give --var-file FILE / --var ${name}=VALUE (editor: egressLens.terraform.varFiles)`,
    );
  }
}

/**
 * Maps the resources of a module instance and walks its child modules. `calls` are the dependency
 * nodes of the module calls that created this instance: its resources exist because of them.
 * With a collector limited to some files, only their resources are mapped.
 */
function walk(mod: ModuleInstance, out: Collector, calls: string[]): void {
  const tracker = out.tracker;
  const visit = (decl: ResourceDecl) => {
    const mapper = MAPPERS[decl.type] ?? azurePlacementMapper(decl.type, decl.block);
    // A type outside the model is only noted, not evaluated: a reference to it then says so.
    const run = mapper ? () => mapResource(mod, decl, mapper, out, calls) : () => declareResource(mod, decl, out, calls);
    if (tracker) tracker.inFile(decl.src.file, run);
    else run();
  };
  if (out.only) {
    // Declaration order is file order, then order within a file: only the recomputed files.
    for (const src of mod.def.files)
      if (out.only.has(src.file)) for (const decl of mod.def.resourcesByFile.get(src.file) ?? []) visit(decl);
  } else for (const decl of mod.def.resources.values()) visit(decl);
  for (const name of mod.def.calls.keys()) {
    const decl = mod.def.calls.get(name);
    if (tracker && decl) tracker.inFile(decl.src.file, () => walkCall(mod, name, out, calls));
    else walkCall(mod, name, out, calls);
  }
}

function mapResource(mod: ModuleInstance, decl: ResourceDecl, mapper: Mapper, out: Collector, calls: string[]): void {
  for (const c of calls) out.tracker?.read(c);
  try {
    const group = mod.group(decl);
    const placeholder = group.placeholder();
    if (group.unknown && !AZURE_OCCUPANT_TYPES.has(decl.type) && !onlyPlaces(mapper)) {
      out.problem(
        decl.src,
        decl.block.header,
        'unresolved-value',
        'info',
        `${mod.prefix}${decl.type}.${decl.name}: ${group.mode} ${group.unknown.text} cannot be decided offline (${group.unknown.reason}); one placeholder ${placeholder?.address ?? ''} is modelled and what depends on it is Unknown`,
      );
    }
    let bare = false;
    const first = out.entries.length;
    for (const inst of placeholder ? [placeholder] : group.instances) {
      const n = out.entries.length;
      try {
        mapper(new TfResource(out, inst));
      } catch (e) {
        out.problem(decl.src, decl.block.header, 'internal-error', 'warning', `${inst.address} could not be read: ${(e as Error).message}`);
      }
      // A mapped type in a form the model leaves out (a network load balancer): no element.
      if (out.entries.length === n) bare = true;
    }
    if (bare) declareResource(mod, decl, out, []);
    noteEmptySubnetBlock(group, out);
    const els = out.entries.slice(first).map((x) => x.el);
    markVpcsWithoutSubnets(decl.type, els, out);
    markUnreadParts(decl.type, els, out);
  } catch (e) {
    out.problem(
      decl.src,
      decl.block.header,
      'internal-error',
      'warning',
      `${decl.type}.${decl.name} could not be read: ${(e as Error).message}`,
    );
  }
}

/**
 * An instance of an unread module call: its key and its arguments' values in the caller, evaluated when asked (by
 * the post step deciding its stand-in, so that step's file reads what they depend on), stating no shape assumption.
 */
function unreadInstance(
  mod: ModuleInstance,
  src: SourceFile,
  block: Block,
  key: string | number | undefined,
  vars: Map<string, Value>,
): UnreadInstance {
  return {
    key,
    args: () => {
      const scope = { ...mod.scope(src, vars), assume: undefined };
      const values: Value[] = [];
      // Only arguments that may say where its parts go (unreadNetworks.ts placesParts): not a peer's or hub's id.
      for (const attr of block.attrs.values())
        if (!MODULE_META.has(attr.name) && placesParts(attr.name)) values.push(evaluate(attr.expr, scope));
      return values;
    },
  };
}

/** How to let Egress Lens read a registry module (a stand-in network's reason). */
const UNREAD_WHY = 'run `terraform init` so .terraform/modules exists';

/** Header locations of resource blocks (a block belongs to one parse of one file), computed once. */
const headerLocs = new WeakMap<object, SourceLocation>();

/** Notes a resource block that gives no element of its own (ModelFragment.declared). */
function declareResource(mod: ModuleInstance, decl: ResourceDecl, out: Collector, calls: string[]): void {
  for (const c of calls) out.tracker?.read(c);
  let loc = headerLocs.get(decl.block);
  if (!loc)
    headerLocs.set(
      decl.block,
      (loc = { file: decl.src.file, range: decl.src.lines.range(decl.block.header.start, decl.block.header.end) }),
    );
  out.declare({ id: `${mod.prefix}${decl.type}.${decl.name}`, type: decl.type, loc }, decl.src);
  noteWrittenFeeds(out, decl.block, (name) => unreadSource(mod, name));
}

/** The source of a remote module call of `mod` whose code was not read (its outputs are Unknown), else undefined. */
function unreadSource(mod: ModuleInstance, name: string): string | undefined {
  const call = mod.call(name);
  if (!call || call.source === undefined || isLocalSource(call.source)) return undefined;
  return call.instances.some((i) => i.child) ? undefined : call.source;
}

function walkCall(mod: ModuleInstance, name: string, out: Collector, calls: string[]): void {
  for (const c of calls) out.tracker?.read(c);
  try {
    const call = mod.call(name);
    if (!call) return;
    const { block, src } = call.decl;
    if (call.unknown) {
      out.problem(
        src,
        block.header,
        'unresolved-value',
        'info',
        `module.${name}: ${call.unknown.text} cannot be decided offline (${call.unknown.reason}); its resources are not modelled`,
      );
      // A registry network module all the same: one stand-in network whose existence and number are undecided.
      if (call.source !== undefined && !isLocalSource(call.source) && !aviatrixModuleKind(call.source))
        queueUnreadNetworks(
          out,
          mod,
          name,
          call.source,
          src,
          block,
          [{ key: undefined, args: () => [] }],
          `its ${call.mode} cannot be decided offline`,
          {
            unresolved: true,
            text: call.unknown.text,
            reason: call.unknown.reason,
          },
        );
      return;
    }
    const isRemote = call.source !== undefined && !isLocalSource(call.source);
    const remote = isRemote ? aviatrixModuleKind(call.source as string) : undefined;
    const node = mod.node('module', name);
    const chain = node === undefined ? calls : [...calls, node];
    if (isRemote && !call.instances.some((i) => i.child)) {
      const at = block.attrs.get('source')?.expr.s ?? block.header;
      const approx = remote
        ? `; until then a built-in approximation of the Aviatrix mc-${remote} module stands in`
        : '; until then its resources are not modelled and its outputs are Unknown';
      const why = call.installed
        ? `its downloaded folder was not read; run \`terraform init\` again to let Egress Lens read ${call.source}`
        : `run \`terraform init\` to let Egress Lens read ${call.source}`;
      out.problem(src, at, 'unresolved-value', 'info', `module.${name}: ${why}${approx}`);
      // Its arguments are not evaluated: the networks they name from another unread module's outputs are noted here.
      if (!remote) noteWrittenFeeds(out, block, (other) => unreadSource(mod, other));
      // The networks it makes stand in, Unknown (the Aviatrix approximation models its own).
      if (!remote)
        queueUnreadNetworks(
          out,
          mod,
          name,
          call.source as string,
          src,
          block,
          call.instances.map((i) => unreadInstance(mod, src, block, i.key, i.vars)),
          call.installed ? 'its downloaded folder was not read; run `terraform init` again' : UNREAD_WHY,
        );
    }
    for (const inst of call.instances) {
      if (inst.child) walk(inst.child, out, chain);
      else if (remote) {
        if (!out.keeps(src.file)) continue;
        const prefix = `${mod.prefix}module.${name}${inst.key === undefined ? '' : typeof inst.key === 'number' ? `[${inst.key}]` : `[${JSON.stringify(inst.key)}]`}.`;
        synthesiseAviatrixModule(new BlockView(out, src, block, mod.scope(src, inst.vars), block.header), prefix, remote, mod.prefix);
      } else if (isRemote && isFirenetModule(call.source as string)) {
        if (out.keeps(src.file))
          noteFirenetModule(new BlockView(out, src, block, mod.scope(src, inst.vars), block.header), name, mod.prefix);
      } else if (call.source !== undefined && isLocalSource(call.source)) {
        out.problem(
          src,
          block.attrs.get('source')?.expr.s ?? block.header,
          'missing-reference',
          'warning',
          `module.${name}: ${call.source} was not read (${mod.ctx.unread?.get(joinDir(mod.def.dir, call.source)) ?? 'no .tf file of that folder is among the analysed files: it does not exist, or it is outside the folders being analysed'})`,
        );
      }
    }
  } catch (e) {
    const decl = mod.def.calls.get(name);
    if (decl)
      out.problem(decl.src, decl.block.header, 'internal-error', 'warning', `module.${name} could not be read: ${(e as Error).message}`);
  }
}
