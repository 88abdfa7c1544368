// Keeps the parsed workspace in step with the editor: indexes files on activation and on demand, follows
// saves/creates/deletes through a FileSystemWatcher, and feeds unsaved buffers to the parser as the user
// types, without touching disk. Changes are gathered into bursts (src/reanalysis.ts): a branch switch
// rewriting a thousand files is read once per file and analysed once, never beside another analysis.
import * as vscode from 'vscode';
import type { AnalysisOptions, AnalysisResult } from '../analysis/types';
import * as path from 'node:path';
import type { CfnUserValues, TerraformVariables } from '../parse/types';
import type { ParseDiagnostic } from '../model/inputs';
import type { Workspace } from '../parse/workspace';
import { Coalescer, systemTimers, type Burst, type Phase } from '../reanalysis';
import type { Core } from './core';
import { activeExcludes, isAnalysed, searchPatterns } from './glob';
import { severitiesFromSetting } from './mapping';
import { fileKey, uriOf } from './vscodeAdapter';
import { diskLookUp, WantsReader, type LookUp } from './terraformWants';
import { namedVarFileKeys, terraformVarFiles } from './varFiles';
import { cfnUserFromSettings } from './cfnSettings';

export interface Settings {
  include: string[];
  /** files.exclude (enabled entries) and egressLens.exclude. */
  exclude: string[];
  maxFileBytes: number;
  options: AnalysisOptions;
  /** egressLens.terraform.varFiles, as file keys per root folder. */
  terraformVariables?: TerraformVariables;
  /** egressLens.cloudFormation.parameters and egressLens.cloudFormation.region. */
  cfnUser?: CfnUserValues;
}

export function readSettings(log?: (s: string) => void): Settings {
  const c = vscode.workspace.getConfiguration('egressLens');
  const { severities, problems } = severitiesFromSetting(c.get('rules'));
  for (const p of problems) log?.(`settings: ${p}`);
  const cfn = cfnUserFromSettings(c.get('cloudFormation.parameters'), c.get('cloudFormation.region'));
  for (const p of cfn.problems) log?.(`settings: ${p}`);
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude');
  const own = c.get<string[]>('exclude') ?? [];
  const exclude = [...new Set([...activeExcludes(filesExclude), ...own])];
  return {
    include: c.get<string[]>('include') ?? ['**/*.tf'],
    exclude,
    maxFileBytes: Math.round((c.get<number>('maxFileSizeMB') ?? 50) * 1024 * 1024),
    options: { destination: c.get<string>('testDestination') || '8.8.8.8', severities },
    terraformVariables: terraformVarFiles(
      c.get('terraform.varFiles'),
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    ),
    ...(cfn.values ? { cfnUser: cfn.values } : {}),
  };
}

/** Whether two settings give the parser the same values (else the parser state is made anew and every file re-read). */
function sameParseValues(a: Settings, b: Settings): boolean {
  return (
    JSON.stringify(a.terraformVariables) === JSON.stringify(b.terraformVariables) && JSON.stringify(a.cfnUser) === JSON.stringify(b.cfnUser)
  );
}

/** Whether two settings select the same files with the same size cap (else the workspace is re-read). */
export function sameFiles(a: Settings, b: Settings): boolean {
  return (
    a.maxFileBytes === b.maxFileBytes &&
    a.include.join('\n') === b.include.join('\n') &&
    a.exclude.join('\n') === b.exclude.join('\n') &&
    sameParseValues(a, b)
  );
}

const READ_CONCURRENCY = 8;
/** Why a module folder was not read (the module call's diagnostic says it). */
const OUTSIDE_WORKSPACE =
  'the folder is outside the open workspace folders: the extension reads only those; add it to the workspace (File > Add Folder to Workspace) or run the CLI, which reads it';
const DEBOUNCE_MS = { save: 250, typing: 400 };
/** A burst waits at most this long for quiet before it is analysed anyway. */
const MAX_WAIT_MS = 5000;
/** A burst of this many events shows progress in the status bar. */
const STORM_EVENTS = 10;

export class AnalysisService implements vscode.Disposable {
  private ws?: Workspace;
  /** What the Terraform configuration asked for and was tried, for this parser state (made anew with it). */
  private wantsReader = new WantsReader();
  /** Files handed to the parser, by key; value = where the text came from. */
  private readonly files = new Map<string, 'disk' | 'buffer'>();
  private readonly tooLarge = new Map<string, ParseDiagnostic>();
  private settings: Settings;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<AnalysisResult>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The files of pending disk events, by key (the burst holds keys only). */
  private readonly eventUris = new Map<string, vscode.Uri>();
  private readonly coalescer = new Coalescer((burst) => this.enqueue(() => this.applyBurst(burst)), systemTimers, {
    maxWaitMs: MAX_WAIT_MS,
    onPhase: (phase, pending, running) => this.showProgress(phase, pending, running),
    onError: (e) => this.log(`analysis failed: ${(e as Error).stack ?? String(e)}`),
  });
  private progress?: { report(message: string): void; end(): void };
  readonly onDidAnalyze = this.emitter.event;
  result?: AnalysisResult;

  constructor(
    private readonly core: Core,
    private readonly wasmDir: string,
    private readonly out: vscode.OutputChannel,
  ) {
    this.settings = readSettings((s) => this.log(s));
  }

  /** Whether a file (by key) is part of the analysed workspace: the only files the webview may open. */
  isAnalysed(file: string): boolean {
    return this.files.has(file);
  }

  log(s: string): void {
    this.out.appendLine(`[${new Date().toLocaleTimeString()}] ${s}`);
  }

  /** Start following the editor: watcher, buffers, settings. */
  watch(): void {
    const w = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      w,
      w.onDidCreate((u) => this.onDiskChange(u)),
      w.onDidChange((u) => this.onDiskChange(u)),
      w.onDidDelete((u) => this.onDiskDelete(u)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.onBuffer(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClosed(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('egressLens') || e.affectsConfiguration('files.exclude')) {
          const before = this.settings;
          this.settings = readSettings((s) => this.log(s));
          if (sameFiles(before, this.settings)) {
            // Severities, rules, test destination: the parsed files are still valid.
            this.coalescer.request(0, 'settings changed');
          } else {
            // The size cap, the var files and the CloudFormation values are fixed when the parser state is made.
            if (before.maxFileBytes !== this.settings.maxFileBytes || !sameParseValues(before, this.settings)) this.ws = undefined;
            this.log('settings changed: re-indexing');
            void this.indexWorkspace();
          }
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        // The folders file() may read are fixed when the parser state is made.
        this.ws = undefined;
        void this.indexWorkspace();
      }),
    );
  }

  getSettings(): Settings {
    return this.settings;
  }

  private wanted(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') return false;
    if (!vscode.workspace.getWorkspaceFolder(uri)) return false;
    // A var file named in egressLens.terraform.varFiles is read whatever its name (terraform.tfvars-example).
    if (namedVarFileKeys(this.settings.terraformVariables).has(fileKey(uri))) return true;
    // A file the configuration reads as text (`file()` of a rules CSV, a user data template): its edits re-analyse.
    if (this.ws?.terraformReads(fileKey(uri))) return true;
    return isAnalysed(vscode.workspace.asRelativePath(uri, false), this.settings.include, this.settings.exclude);
  }

  private async workspace(): Promise<Workspace> {
    if (!this.ws) {
      // A new parser state has tried nothing the configuration asks for.
      this.wantsReader = new WantsReader();
      this.ws = await this.core.createWorkspace({
        maxFileBytes: this.settings.maxFileBytes,
        wasmDir: this.wasmDir,
        terraformVariables: this.settings.terraformVariables,
        // The configuration's file() reads nothing outside the open folders (as module folders are not read there).
        readRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => fileKey(f.uri)),
        ...(this.settings.cfnUser ? { cfnUser: this.settings.cfnUser } : {}),
      });
    }
    return this.ws;
  }

  /** Serialise every mutation of the parser state; analyses run one at a time. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const p = this.queue.then(job, job);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Re-read every analysed file in the workspace folders and analyse. */
  indexWorkspace(
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
    token?: vscode.CancellationToken,
  ): Promise<AnalysisResult | undefined> {
    return this.enqueue(async () => {
      const started = Date.now();
      // A fresh parser state (first run, or the size cap changed) knows no files yet.
      if (!this.ws) this.files.clear();
      // Files read because the configuration wanted them are dropped below (not found by the globs) and asked again.
      this.wantsReader = new WantsReader();
      const ws = await this.workspace();
      const s = this.settings;
      // findFiles' exclude replaces files.exclude, so the search pattern carries both.
      const search = searchPatterns(s.include, s.exclude);
      const exclude = search.exclude;
      const found = new Map<string, vscode.Uri>();
      for (const inc of search.include) {
        if (token?.isCancellationRequested) break;
        for (const u of await vscode.workspace.findFiles(inc, exclude, undefined, token)) found.set(fileKey(u), u);
      }
      // The var files the setting names, whatever the include globs say; one that is missing is said once.
      for (const key of namedVarFileKeys(s.terraformVariables)) {
        if (found.has(key) || !path.isAbsolute(key)) continue;
        const u = vscode.Uri.file(key);
        try {
          await vscode.workspace.fs.stat(u);
          found.set(key, u);
        } catch {
          const msg = `egressLens.terraform.varFiles: ${key} not found: its variables are not applied`;
          this.log(msg);
          void vscode.window.showWarningMessage(`Egress Lens: ${msg}`);
        }
      }
      if (token?.isCancellationRequested) {
        this.log('indexing cancelled');
        return this.result;
      }
      const uris = [...found.values()].filter((u) => this.wanted(u)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      this.log(`indexing ${uris.length} file(s) matching ${s.include.join(', ')}${exclude ? ` (excluding ${exclude})` : ''}`);
      const keep = new Set(uris.map(fileKey));
      for (const key of [...this.files.keys()]) {
        if (!keep.has(key)) {
          ws.removeFile(key);
          this.files.delete(key);
        }
      }
      this.tooLarge.clear();
      const open = new Map(vscode.workspace.textDocuments.map((d) => [fileKey(d.uri), d]));
      // Reads overlap (I/O bound); parsing happens in setFile, one file at a time on this thread.
      let done = 0;
      let next = 0;
      const worker = async () => {
        while (next < uris.length && !token?.isCancellationRequested) {
          const u = uris[next++];
          progress?.report({ message: vscode.workspace.asRelativePath(u), increment: 100 / uris.length });
          await this.readInto(ws, u, open.get(fileKey(u)));
          done++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, uris.length) }, worker));
      if (token?.isCancellationRequested) this.log(`indexing cancelled after ${done} of ${uris.length} files`);
      else await this.readTerraformWants(ws, token);
      this.analyzeNow(`indexed ${done} file(s) in ${Date.now() - started} ms`, true);
      return this.result;
    });
  }

  /**
   * What the Terraform configuration calls that the include globs did not give: module folders
   * `terraform init` downloaded (listed in `.terraform/modules/modules.json`, which the default
   * exclude hides from the search), local module folders (.tf files only, as terraform reads them) and the files
   * it reads as text (`file()`, a user data template). Read when inside an open workspace folder (a file: by its
   * real path, links resolved); otherwise the module call's diagnostic says the folder was not read, and a file
   * stays unknown. Each is tried once per parser state (WantsReader), so after an edit only what it newly names is
   * read (`afterEdit`: build first, nothing more when nothing new is wanted).
   */
  private async readTerraformWants(ws: Workspace, token?: vscode.CancellationToken, afterEdit = false): Promise<void> {
    const inside = (p: string): vscode.Uri | undefined => {
      if (!path.isAbsolute(p)) return undefined;
      const u = vscode.Uri.file(p);
      return vscode.workspace.getWorkspaceFolder(u) ? u : undefined;
    };
    await this.wantsReader.readAll(
      ws,
      {
        moduleFiles: async (d) => {
          const dir = inside(d);
          if (!dir) return { notRead: OUTSIDE_WORKSPACE };
          const out: string[] = [];
          try {
            for (const [name, type] of await vscode.workspace.fs.readDirectory(dir))
              if (type === vscode.FileType.File && /\.tf(\.json)?$/i.test(name)) out.push(fileKey(vscode.Uri.joinPath(dir, name)));
          } catch {
            /* no such folder: the module call says so */
          }
          return out;
        },
        lookUp: (f) => this.lookUp(f),
        read: async (files) => {
          for (const f of files) await this.readInto(ws, uriOf(f));
        },
        log: (line) => this.log(line),
      },
      { buildFirst: afterEdit, cancelled: () => token?.isCancellationRequested === true },
    );
  }

  /**
   * What is at a file the configuration reads as text, as the CLI decides it (review R2): inside a workspace folder
   * by its real path (a link inside the workspace to a file elsewhere is refused); nothing there is `absent` only
   * when the folder it would be in really is inside one. Remote folders (no realpath): every step from the
   * workspace folder down must be no link (FileType.SymbolicLink).
   */
  private async lookUp(file: string): Promise<LookUp> {
    if (!path.isAbsolute(file)) return 'refused';
    const u = vscode.Uri.file(file);
    const folder = vscode.workspace.getWorkspaceFolder(u);
    if (!folder) return 'refused';
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folder.uri.scheme === 'file')
      return diskLookUp(
        file,
        folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      );
    const rel = path.relative(folder.uri.fsPath, file).split(path.sep);
    let at = folder.uri;
    for (let i = 0; i < rel.length; i++) {
      at = vscode.Uri.joinPath(at, rel[i]);
      try {
        const st = await vscode.workspace.fs.stat(at);
        if (st.type & vscode.FileType.SymbolicLink) return 'refused';
        if (i === rel.length - 1) return st.type & vscode.FileType.File ? 'file' : 'refused';
      } catch (e) {
        return e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? 'absent' : 'refused';
      }
    }
    return 'refused';
  }

  private async readInto(ws: Workspace, u: vscode.Uri, doc?: vscode.TextDocument): Promise<void> {
    const key = fileKey(u);
    if (doc && doc.isDirty) {
      ws.setFile(key, doc.getText());
      this.files.set(key, 'buffer');
      this.log(`read ${vscode.workspace.asRelativePath(u)} from the unsaved editor buffer`);
      return;
    }
    try {
      const st = await vscode.workspace.fs.stat(u);
      if (st.size > this.settings.maxFileBytes) {
        ws.removeFile(key);
        this.files.delete(key);
        const msg = `${vscode.workspace.asRelativePath(u)} is ${(st.size / 1048576).toFixed(1)} MB, over egressLens.maxFileSizeMB; not analysed`;
        this.tooLarge.set(key, {
          code: 'file-too-large',
          severity: 'warning',
          message: msg,
          loc: { file: key, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        });
        this.log(`skipped ${msg}`);
        return;
      }
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(u));
      ws.setFile(key, text);
      this.files.set(key, 'disk');
      this.tooLarge.delete(key);
      this.log(`read ${vscode.workspace.asRelativePath(u)} (${st.size} bytes)`);
    } catch (e) {
      ws.removeFile(key);
      this.files.delete(key);
      this.log(`skipped ${vscode.workspace.asRelativePath(u)}: cannot read (${(e as Error).message})`);
    }
  }

  private onDiskChange(u: vscode.Uri): void {
    if (!this.wanted(u)) return;
    // Read when the burst is analysed, once however many events the file had.
    const key = fileKey(u);
    this.eventUris.set(key, u);
    this.coalescer.request(DEBOUNCE_MS.save, `changed on disk: ${vscode.workspace.asRelativePath(u)}`, { key, change: 'changed' });
  }

  private onDiskDelete(u: vscode.Uri): void {
    const key = fileKey(u);
    // Only deletions that drop an analysed file (or one an event of this burst will read) count:
    // a checkout deletes much under .git.
    const under = (k: string) => k === key || k.startsWith(key.endsWith('/') ? key : `${key}/`);
    if (![...this.files.keys(), ...this.tooLarge.keys(), ...this.eventUris.keys()].some(under)) return;
    this.eventUris.set(key, u);
    this.coalescer.request(DEBOUNCE_MS.save, `deleted: ${vscode.workspace.asRelativePath(u)}`, { key, change: 'deleted' });
  }

  private onBuffer(doc: vscode.TextDocument): void {
    if (!this.wanted(doc.uri)) return;
    const key = fileKey(doc.uri);
    const text = doc.getText();
    void this.enqueue(async () => {
      (await this.workspace()).setFile(key, text);
      this.files.set(key, doc.isDirty ? 'buffer' : 'disk');
    });
    this.coalescer.request(DEBOUNCE_MS.typing, `edited: ${vscode.workspace.asRelativePath(doc.uri)}`);
  }

  /** A buffer closed without saving: go back to what is on disk. */
  private onClosed(doc: vscode.TextDocument): void {
    const key = fileKey(doc.uri);
    if (this.files.get(key) !== 'buffer') return;
    this.eventUris.set(key, doc.uri);
    this.coalescer.request(DEBOUNCE_MS.save, `closed unsaved: ${vscode.workspace.asRelativePath(doc.uri)}`, { key, change: 'changed' });
  }

  /**
   * One burst of events: deletions first (a deleted folder arrives as one event: every file under it
   * goes), then every changed file read as it is on disk now, then one analysis. A file deleted and
   * re-created is read; one changed and then deleted with its folder fails to read and is dropped.
   */
  private async applyBurst(burst: Burst): Promise<void> {
    const ws = await this.workspace();
    const reads: vscode.Uri[] = [];
    const open = new Map(vscode.workspace.textDocuments.map((d) => [fileKey(d.uri), d]));
    for (const [key, change] of burst.files) {
      const u = this.eventUris.get(key);
      this.eventUris.delete(key);
      if (change === 'deleted') {
        const gone = [...this.files.keys(), ...this.tooLarge.keys()].filter(
          (k) => k === key || k.startsWith(key.endsWith('/') ? key : `${key}/`),
        );
        for (const k of gone) {
          ws.removeFile(k);
          this.files.delete(k);
          this.tooLarge.delete(k);
        }
        // A file the configuration reads, deleted: looked for again (then absent: file() fails, fileexists() is false).
        this.wantsReader.forget(key);
      } else if (u && !open.get(key)?.isDirty) reads.push(u); // an open dirty buffer is newer than disk
    }
    let next = 0;
    const worker = async () => {
      while (next < reads.length) {
        const u = reads[next++];
        await this.readInto(ws, u, open.get(fileKey(u)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, reads.length) }, worker));
    // What the edit newly names (a file() target, a module folder) is read now, not at the next re-index (review R9).
    try {
      await this.readTerraformWants(ws, undefined, true);
    } catch (e) {
      this.log(`reading what the Terraform configuration asks for failed: ${(e as Error).message}`);
    }
    const why =
      burst.events === 1
        ? burst.reasons[0]
        : `${burst.events} changes (${burst.reasons.join('; ')}${burst.events > burst.reasons.length ? '; ...' : ''})`;
    this.analyzeNow(why);
  }

  /** A storm (a branch switch) shows in the status bar until its analysis is done. */
  private showProgress(phase: Phase, pending: Burst | undefined, running: Burst | undefined): void {
    const events = (pending?.events ?? 0) + (running?.events ?? 0);
    if (phase === 'idle') {
      this.progress?.end();
      this.progress = undefined;
      return;
    }
    if (!this.progress && events < STORM_EVENTS) return;
    if (!this.progress) {
      let report: (m: string) => void = () => undefined;
      let end: () => void = () => undefined;
      const done = new Promise<void>((r) => (end = r));
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Egress Lens' }, (p) => {
        report = (message) => p.report({ message });
        return done;
      });
      this.progress = { report: (m) => report(m), end: () => end() };
    }
    this.progress.report(
      running
        ? `analysing ${running.events} file change(s)${pending ? `, ${pending.events} more waiting` : ''}`
        : `${events} file change(s), waiting for them to settle`,
    );
  }

  /** Resolves once no re-analysis is scheduled or running (used by the tests through the extension API). */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.coalescer.whenIdle();
      await this.queue;
      if (this.coalescer.state === 'idle') return;
    }
  }

  private analyzeNow(why: string, logSkipped = false): void {
    if (!this.ws) return;
    try {
      const b = this.ws.build();
      const diags = [...b.diagnostics, ...this.tooLarge.values()];
      const t0 = Date.now();
      const result = this.core.analyze(b.model, this.settings.options, diags);
      if (b.terraformRoots.length) result.terraformRoots = b.terraformRoots;
      if (logSkipped)
        for (const f of b.files)
          if (f.format === 'ignored' || f.skippedReason)
            this.log(`skipped ${vscode.workspace.asRelativePath(f.file)}: ${f.skippedReason ?? 'not a recognised network-as-code format'}`);
      this.result = result;
      this.sayUnused(b.cfnUserUnused);
      this.log(
        `${why}: ${b.files.filter((f) => f.format !== 'ignored').length} file(s), ${b.model.elements.length} elements, ${result.findings.length} finding(s)${result.suppressed ? ` (${result.suppressed.length} suppressed)` : ''}, ` +
          `score ${result.score.score ?? 'n/a'} (parse ${b.parseMs} ms, analysis ${Date.now() - t0} ms)`,
      );
      this.emitter.fire(result);
    } catch (e) {
      this.log(`analysis failed: ${(e as Error).stack ?? e}`);
    }
  }

  /** The last warning about CloudFormation parameter values no template takes (said again only when it changes). */
  private unusedSaid = '';

  /** egressLens.cloudFormation.parameters values no template takes: a warning, as the CLI prints one per value. */
  private sayUnused(unused: { name: string; why: string }[] | undefined): void {
    const lines = (unused ?? []).map((u) => `egressLens.cloudFormation.parameters: ${u.name} is not applied: ${u.why}`);
    const said = lines.join('\n');
    if (said === this.unusedSaid) return;
    this.unusedSaid = said;
    for (const l of lines) this.log(l);
    if (lines.length > 0) void vscode.window.showWarningMessage(`Egress Lens: ${lines.join('; ')}`);
  }

  dispose(): void {
    this.coalescer.dispose();
    this.progress?.end();
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
