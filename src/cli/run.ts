// The commands: analyze and demo. Reads files, runs the engine, writes the chosen report, and
// returns the exit code. Everything that goes wrong for a user's reason becomes a one-line message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../analysis/rules';
import type { AnalysisResult } from '../analysis/types';
import { atOrAbove, formatLocation, toHtml, toJsonChunks, toSarif, toText, visible, type HtmlAssets } from '../report';
import { UsageError, type AnalyzeCommand, type DemoCommand, type ReportFormat } from './args';
import { analyzeFiles } from './engine';
import { collectFiles, displayPath, INPUT_EXT, readCapped, readRoots, terraformReader, type CollectResult } from './files';
import type { CfnUserValues, TerraformVariables } from '../parse/types';
import { readCfnParameterFile } from './cfnParams';
import type { WorkspaceFileInfo } from '../parse/workspace';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
  /** The folder of dist/cli.js: wasm files, webview bundle. */
  distDir: string;
}

/** An input problem (missing file, unwritable output): message on stderr, exit 2. */
export class InputError extends Error {}

/** The package version, read from the package.json beside dist/ (the CLI ships inside the package). */
export function toolVersion(distDir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(distDir, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function readAssets(distDir: string): HtmlAssets {
  const js = path.join(distDir, 'webview.js');
  let script: string;
  try {
    script = fs.readFileSync(js, 'utf8');
  } catch {
    throw new InputError(`the webview bundle ${js} is missing; run "npm run build" first`);
  }
  const style = [path.join(distDir, 'webview.css'), path.join(distDir, '..', 'media', 'topology.css')]
    .filter((p) => fs.existsSync(p))
    .map((p) => fs.readFileSync(p, 'utf8'))[0];
  return { script, style };
}

/**
 * The report for the same inputs is the same bytes: no timings (--timing prints them on stderr), the
 * HTML nonce derived from the content. Text goes to a terminal: control characters from names are
 * shown escaped.
 */
export function render(
  result: AnalysisResult,
  format: ReportFormat,
  distDir: string,
  title?: string,
  showSuppressed?: boolean,
): Iterable<string> {
  switch (format) {
    case 'text':
      return [visible(toText(result, { title, omitTiming: true, ...(showSuppressed ? { showSuppressed } : {}) }))];
    case 'json':
      // In chunks: the report of a large export is longer than the longest string V8 can hold.
      return toJsonChunks(result, { omitTiming: true });
    case 'sarif':
      return [toSarif(result, RULES, { toolVersion: toolVersion(distDir) })];
    case 'html':
      return [toHtml(result, readAssets(distDir), { title: title ? `Egress Lens: ${title}` : undefined, omitTiming: true })];
  }
}

/** Written beside the target and renamed over it: a failed run leaves the old report whole. */
function writeOut(file: string, chunks: Iterable<string>, cwd: string): void {
  const abs = path.resolve(cwd, file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fd = fs.openSync(tmp, 'wx');
    for (const chunk of chunks) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, abs);
  } catch (e) {
    try {
      if (fd !== undefined) fs.closeSync(fd);
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw new InputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The real path of a file that may not exist yet: its folder's real path plus its name. */
function realTarget(abs: string): string {
  let dir = path.dirname(abs);
  const tail = [path.basename(abs)];
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...tail);
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return abs;
      tail.unshift(path.basename(dir));
      dir = up;
    }
  }
}

/**
 * `--out` must never replace an input (`analyze . --out main.tf`), nor land in an analysed folder
 * under a name the next run would read as one.
 */
export function checkOutPath(out: string, cwd: string, collected: Pick<CollectResult, 'inputs' | 'folders'>): void {
  const target = realTarget(path.resolve(cwd, out));
  for (const input of collected.inputs) {
    if (realTarget(input) === target) throw new InputError(`--out ${out} is one of the inputs; refusing to overwrite it`);
  }
  if (!INPUT_EXT.test(target)) return;
  for (const folder of collected.folders) {
    const rel = path.relative(realTarget(folder), target);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
      throw new InputError(
        `--out ${out} is inside the analysed folder ${path.relative(cwd, folder) || '.'} with an input's name (the next run would read it); write it outside the folder or under another extension (.txt, .html, .sarif)`,
      );
    }
  }
}

/** Damage in a file the run reads (syntax errors, a file shaped like ours that is not): input errors. */
const DAMAGE_CODES = new Set(['syntax-error', 'damaged-input']);

/**
 * Files the workspace did not use. A file met while walking a folder that is simply not network code
 * (tsconfig.json, a policy document) is not worth a line; a file named on the command line, or one
 * skipped for another reason (parser unavailable, too large), is.
 */
export function skippedNotes(files: WorkspaceFileInfo[], named: ReadonlySet<string>): string[] {
  return files
    .filter((f) => f.format === 'ignored' && f.skippedReason && (named.has(f.file) || !/not a recognised/.test(f.skippedReason)))
    .map((f) => `${f.file}: skipped, ${f.skippedReason}`);
}

/** Files read, files that gave elements, files skipped and why: the summary says all three. */
export function inputCounts(
  files: WorkspaceFileInfo[],
  skippedByWalk: readonly string[],
): NonNullable<AnalysisResult['summary']['inputs']> {
  const skipped: { file: string; reason: string }[] = [];
  for (const s of skippedByWalk) {
    const at = s.indexOf(': skipped, ');
    skipped.push(at < 0 ? { file: s, reason: 'not read' } : { file: s.slice(0, at), reason: s.slice(at + ': skipped, '.length) });
  }
  for (const f of files) if (f.format === 'ignored') skipped.push({ file: f.file, reason: f.skippedReason ?? 'not a recognised input' });
  return { read: files.length, withElements: files.filter((f) => f.elements > 0).length, skipped };
}

/** Exit 1 when a finding, or an input error in a parsed file, reaches the threshold. */
export function exitCodeFor(result: AnalysisResult, failOn: AnalyzeCommand['failOn']): 0 | 1 {
  if (failOn === 'never') return 0;
  const hit =
    result.findings.some((f) => atOrAbove(f.severity, failOn)) ||
    result.parseDiagnostics.some((d) => d.severity === 'error' && atOrAbove(d.severity, failOn));
  return hit ? 1 : 0;
}

export async function runAnalyze(cmd: AnalyzeCommand, io: Io): Promise<number> {
  const collected = collectFiles(cmd.paths, io.cwd, cmd.maxFileBytes);
  if (collected.errors.length) throw new InputError(collected.errors.join('\n'));
  if (cmd.out) checkOutPath(cmd.out, io.cwd, collected);
  if (collected.skipped.length && !cmd.allowPartial) {
    throw new InputError(
      [...collected.skipped, `${collected.skipped.length} input(s) not read; --allow-partial reports the rest`].join('\n'),
    );
  }
  for (const s of collected.skipped) io.stderr(`egress-lens: ${s}\n`);
  if (collected.files.length === 0) throw new InputError(`no input files (.tf, .json, .yaml, .yml, .template) in ${cmd.paths.join(', ')}`);
  const terraformVariables = varFiles(cmd, io.cwd, collected.files, cmd.maxFileBytes);
  const cfn = cfnUserValues(cmd, io.cwd, cmd.maxFileBytes);
  // A parameters file inside an analysed folder is the option's, not an input (as a var file is Terraform's).
  const paramFiles = new Set(cmd.cfnParams.flatMap((p) => ('file' in p ? [displayPath(path.resolve(io.cwd, p.file), io.cwd)] : [])));
  if (paramFiles.size > 0) collected.files = collected.files.filter((f) => !paramFiles.has(f.file));
  for (const note of cfn.notes) io.stderr(`egress-lens: warning: ${note}\n`);
  const roots = readRoots(cmd.paths, io.cwd);
  const { result, files, cfnUserUnused } = await analyzeFiles(collected.files, {
    maxFileBytes: cmd.maxFileBytes,
    wasmDir: io.distDir,
    terraformVariables,
    cfnUser: cfn.values,
    readRoots: roots.keys,
    readMore: terraformReader(io.cwd, cmd.maxFileBytes, roots.real),
    destination: cmd.destination,
    severities: cmd.severities,
    simulate: cmd.simulate,
  });
  // A value no template takes is said where it was given, as a warning: the run goes on without it.
  for (const u of cfnUserUnused ?? [])
    io.stderr(`egress-lens: warning: ${cfn.where.get(u.name) ?? `--cfn-param ${u.name}`}: parameter ${u.name} is not applied: ${u.why}\n`);
  const notes = skippedNotes(files, collected.named);
  result.summary.inputs = inputCounts(files, collected.skipped);
  // A file refused by the parser (over its format's ceiling, no parser) is a skipped input too.
  const refused = notes.filter((n) => !/not a recognised/.test(n));
  if (refused.length && !cmd.allowPartial)
    throw new InputError([...refused, `${refused.length} input(s) not read; --allow-partial reports the rest`].join('\n'));
  for (const note of notes) io.stderr(`egress-lens: ${note}\n`);
  const damage = result.parseDiagnostics.filter((d) => d.severity === 'error' && DAMAGE_CODES.has(d.code));
  if (damage.length && !cmd.allowPartial) {
    const lines = damage.map((d) => `${formatLocation(d.loc)}: ${d.code}: ${d.message}`);
    throw new InputError(
      [
        ...lines,
        `${new Set(damage.map((d) => d.loc.file)).size} damaged input file(s); --allow-partial reports the rest with these as located errors`,
      ].join('\n'),
    );
  }
  if (cmd.timing)
    io.stderr(`egress-lens: parse ${result.timing.parseMs.toFixed(1)} ms, analysis ${result.timing.analysisMs.toFixed(1)} ms\n`);
  const report = render(result, cmd.format, io.distDir, undefined, cmd.showSuppressed);
  if (cmd.out) {
    writeOut(cmd.out, report, io.cwd);
    const accepted = result.suppressed?.length ? `, ${result.suppressed.length} suppressed` : '';
    io.stderr(`egress-lens: wrote ${cmd.out} (${result.findings.length} findings${accepted})\n`);
  } else for (const chunk of report) io.stdout(chunk);
  return exitCodeFor(result, cmd.failOn);
}

/**
 * `--var-file` / `--var` as the index takes them: each var file read (relative to the current
 * folder, as terraform reads it) and keyed as the walk keys files. Any name is a variables file, as
 * for `terraform -var-file` (HCL; JSON when the name ends in .json): samples ship as
 * `terraform.tfvars-example` or `terraform-tfvars.sample`. Its syntax errors are located input errors.
 */
function varFiles(
  cmd: AnalyzeCommand,
  cwd: string,
  files: { file: string; text: string }[],
  maxBytes: number,
): TerraformVariables | undefined {
  if (cmd.vars.length === 0) return undefined;
  const extra: TerraformVariables['extra'] = [];
  for (const v of cmd.vars) {
    if (!('file' in v)) {
      extra.push(v);
      continue;
    }
    const abs = path.resolve(cwd, v.file);
    const key = displayPath(abs, cwd);
    if (/\.tf(\.json)?$/i.test(key))
      throw new InputError(`--var-file ${v.file}: a .tf file is module code, not a variables file (name = value lines)`);
    if (!files.some((f) => f.file === key)) {
      const read = readCapped(abs, maxBytes);
      if ('error' in read) throw new InputError(`--var-file ${v.file}: ${read.error === 'ENOENT' ? 'no such file' : read.error}`);
      if ('skipped' in read) throw new InputError(`--var-file ${v.file}: ${read.skipped}`);
      files.push({ file: key, text: read.text });
    }
    extra.push({ file: key });
  }
  return { extra };
}

/**
 * `--cfn-param`, `--cfn-parameters` and `--region` as the CloudFormation parser takes them (CfnUserValues), a later
 * value of a name winning; where each name was last given (`file:line:col` or `--cfn-param NAME`), for warnings. A
 * parameters file that cannot be read or is not one of the shapes readCfnParameterFile takes is an input error.
 */
export function cfnUserValues(
  cmd: Pick<AnalyzeCommand, 'cfnParams' | 'region'>,
  cwd: string,
  maxBytes: number,
): { values?: CfnUserValues; where: Map<string, string>; notes: string[] } {
  const where = new Map<string, string>();
  const notes: string[] = [];
  const parameters: NonNullable<CfnUserValues['parameters']> = {};
  for (const p of cmd.cfnParams) {
    if (!('file' in p)) {
      parameters[p.name] = { value: p.value, from: '--cfn-param' };
      where.set(p.name, `--cfn-param ${p.name}`);
      continue;
    }
    // Named as the user wrote it: the file is an option's value, not an input of the walk.
    const shown = p.file;
    const read = readCapped(path.resolve(cwd, p.file), maxBytes);
    if ('error' in read) throw new InputError(`--cfn-parameters ${p.file}: ${read.error === 'ENOENT' ? 'no such file' : read.error}`);
    if ('skipped' in read) throw new InputError(`--cfn-parameters ${p.file}: ${read.skipped}`);
    const parsed = readCfnParameterFile(read.text);
    if ('error' in parsed) throw new InputError(`--cfn-parameters ${shown}:${parsed.error}`);
    for (const n of parsed.notes) notes.push(`${shown}:${n}`);
    for (const e of parsed.entries) {
      parameters[e.name] = { value: e.value, from: `--cfn-parameters ${shown}` };
      where.set(e.name, `${shown}:${e.at}`);
    }
  }
  const region = cmd.region ? { value: cmd.region, from: '--region' } : undefined;
  const named = Object.keys(parameters).length > 0;
  const values: CfnUserValues | undefined =
    named || region ? { ...(named ? { parameters } : {}), ...(region ? { region } : {}) } : undefined;
  return { values, where, notes };
}

/** The README's main command: every examples/* folder analysed, text to stdout, HTML to the out dir. */
export async function runDemo(cmd: DemoCommand, io: Io): Promise<number> {
  const examples = path.resolve(io.cwd, cmd.examples ?? path.join(io.distDir, '..', 'examples'));
  let dirs: string[];
  try {
    dirs = fs
      .readdirSync(examples, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    throw new InputError(`no examples folder at ${examples}`);
  }
  if (dirs.length === 0) throw new InputError(`${examples} has no example folders`);
  const written: string[] = [];
  for (const name of dirs) {
    const collected = collectFiles([path.join(examples, name)], io.cwd, 5 * 1024 * 1024);
    if (collected.errors.length) throw new InputError(collected.errors.join('\n'));
    if (collected.files.length === 0) continue;
    const roots = readRoots([path.join(examples, name)], io.cwd);
    const { result } = await analyzeFiles(collected.files, {
      maxFileBytes: 5 * 1024 * 1024,
      wasmDir: io.distDir,
      readRoots: roots.keys,
      readMore: terraformReader(io.cwd, 5 * 1024 * 1024, roots.real),
    });
    io.stdout(toText(result, { title: name, maxPaths: 12 }) + '\n');
    const base = path.join(cmd.outDir, name);
    writeOut(`${base}.html`, render(result, 'html', io.distDir, name), io.cwd);
    writeOut(`${base}.sarif`, render(result, 'sarif', io.distDir), io.cwd);
    writeOut(`${base}.json`, render(result, 'json', io.distDir), io.cwd);
    written.push(`${base}.html`);
  }
  io.stdout(`Reports written (open in a browser, offline):\n${written.map((w) => `  ${w}`).join('\n')}\n`);
  return 0;
}

export { UsageError };
