// Packer templates (HCL2 `*.pkr.hcl`, JSON `builders`/`provisioners`): the AMIs they build and what their
// provisioners put on them, so that an instance launched from such an image (an `ami` looked up by a `data "aws_ami"`
// the image's name or tags answer, parse/packerImages.ts) has its software in the inputs. Only the Amazon builders
// that make an AMI are read; a provisioner's script and a file it copies are files of the repository, which the
// front end reads (ModelFragment.packerWants) inside the read roots. Values the template does not decide offline (an
// environment variable, `{{timestamp}}`, `timestamp()`) are kept as undecided pieces, never guessed.
import * as path from 'node:path';
import type { SourceLocation } from '../model/types';
import type { ParseDiagnostic } from '../model/inputs';
import type { ModelFragment } from './types';
import { LineMap, fileStart } from './locate';
import { parseTree, type Node as JsonNode } from './jsonTree';
import { fastParse } from './terraform/fastparse';
import { convertTree, type Block, type Expr, type FileAst } from './terraform/ast';
import { terraformParser } from './terraform/wasm';

/** A piece of a value: literal text, or a part the template does not decide offline (what it is, as written). */
export type Piece = string | { undecided: string };

/** One step of an image's provisioning, in order. */
export type PackerStep =
  /** A shell provisioner's `inline` commands. */
  | { kind: 'inline'; text: string; loc: SourceLocation }
  /** A shell provisioner's `script` / `scripts` entry: a file of the repository (path as the inputs name files). */
  | { kind: 'script'; file: string; loc: SourceLocation }
  /** A file provisioner: a file of the repository copied onto the image at `destination`. */
  | { kind: 'file'; file: string; destination: string; loc: SourceLocation }
  /** A step whose file or destination the template does not decide offline. */
  | { kind: 'undecided'; what: string; loc: SourceLocation };

/** An AMI a Packer template builds: its name and tags as far as decided, and its provisioning. */
export interface PackerImage {
  /** The template file. */
  file: string;
  /** The build as Packer names it (`amazon-ebs.proxy`, a JSON builder's `name` or `type`). */
  build: string;
  /** The source block or builder object. */
  loc: SourceLocation;
  /** `ami_name`, as pieces; absent when not written. */
  name?: Piece[];
  /** Its `tags` (`tags` / `tag {}` blocks), keys decided. */
  tags: { key: string; value: Piece[] }[];
  steps: PackerStep[];
}

/** Builders that register an AMI. */
const AMI_BUILDERS = new Set(['amazon-ebs', 'amazon-ebssurrogate', 'amazon-instance']);

/** Whether a file is a Packer template by its name or its JSON shape (a top-level `builders` list). */
export function looksLikePacker(file: string, text: string): boolean {
  if (/\.pkr\.hcl$/i.test(file)) return true;
  if (!/\.json$/i.test(file)) return false;
  return /"builders"\s*:\s*\[/.test(text) && /"type"\s*:\s*"amazon-/.test(text);
}

/** A Packer template's images. Never throws: what cannot be read is a diagnostic, located. */
export function parsePacker(file: string, text: string): ModelFragment {
  const lines = new LineMap(text);
  const loc = (start: number, end: number): SourceLocation => ({ file, range: lines.range(start, end) });
  const diagnostics: ParseDiagnostic[] = [];
  let images: PackerImage[] = [];
  try {
    images = /\.json$/i.test(file) ? jsonImages(file, text, loc, diagnostics) : hclImages(file, text, loc, diagnostics);
  } catch (e) {
    diagnostics.push({
      code: 'internal-error',
      severity: 'error',
      message: `Packer template could not be read: ${(e as Error).message}`,
      loc: fileStart(file),
    });
  }
  const frag: ModelFragment = { file, format: 'packer', elements: [], diagnostics };
  if (images.length > 0) frag.packerImages = images;
  return frag;
}

/** The files a template's images read (scripts, copied files): the front end reads them (Workspace.terraformWants). */
export function packerWants(images: readonly PackerImage[]): string[] {
  const out = new Set<string>();
  for (const i of images) for (const s of i.steps) if (s.kind === 'script' || s.kind === 'file') out.add(s.file);
  return [...out];
}

/** A path the template writes, as the inputs name files: relative paths are the template folder's (Packer's habit). */
function repoPath(template: string, written: string): string {
  if (path.posix.isAbsolute(written)) return path.posix.normalize(written);
  return path.posix.normalize(path.posix.join(path.posix.dirname(template), written));
}

const joined = (pieces: readonly Piece[]): string | undefined =>
  pieces.every((p) => typeof p === 'string') ? (pieces as string[]).join('') : undefined;

/** Shell text of pieces: an undecided piece stands as a variable the reader cannot decide. */
const shellText = (pieces: readonly Piece[]): string => pieces.map((p) => (typeof p === 'string' ? p : '$PACKER_UNDECIDED')).join('');

// ---------------------------------------------------------------------------------------------------------------
// JSON templates: `variables`, `builders`, `provisioners`; values are Go templates (`{{user `x`}}`).

function jsonImages(
  file: string,
  text: string,
  loc: (start: number, end: number) => SourceLocation,
  diagnostics: ParseDiagnostic[],
): PackerImage[] {
  const errors: { message: string; offset: number; length: number }[] = [];
  const root = parseTree(text, errors);
  for (const e of errors.slice(0, 5))
    diagnostics.push({ code: 'syntax-error', severity: 'error', message: `JSON: ${e.message}`, loc: loc(e.offset, e.offset + e.length) });
  if (!root || root.type !== 'object') return [];
  const prop = (n: JsonNode | undefined, key: string): JsonNode | undefined =>
    n?.type === 'object' ? n.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
  const str = (n: JsonNode | undefined): string | undefined => (n?.type === 'string' ? (n.value as string) : undefined);
  const variables = new Map<string, string>();
  for (const p of prop(root, 'variables')?.children ?? []) {
    const k = p.children?.[0]?.value;
    const v = str(p.children?.[1]);
    if (typeof k === 'string' && v !== undefined) variables.set(k, v);
  }
  const value = (s: string, depth = 0): Piece[] => goTemplate(s, variables, file, depth);
  const steps = (builder: string): PackerStep[] => {
    const out: PackerStep[] = [];
    for (const p of prop(root, 'provisioners')?.children ?? []) {
      const names = (key: string) => (prop(p, key)?.children ?? []).map(str).filter((x): x is string => x !== undefined);
      const only = names('only');
      if ((only.length > 0 && !only.includes(builder)) || names('except').includes(builder)) continue;
      const at = loc(p.offset, p.offset + p.length);
      const type = str(prop(p, 'type'));
      if (type === 'shell') {
        const inline = prop(p, 'inline');
        if (inline?.type === 'array')
          out.push({ kind: 'inline', text: (inline.children ?? []).map((c) => shellText(value(str(c) ?? ''))).join('\n'), loc: at });
        const scripts = [str(prop(p, 'script')), ...(prop(p, 'scripts')?.children ?? []).map(str)].filter(
          (x): x is string => x !== undefined,
        );
        for (const s of scripts) out.push(pathStep(file, value(s), at, (f) => ({ kind: 'script', file: f, loc: at })));
      } else if (type === 'file') {
        const src = str(prop(p, 'source'));
        const dst = str(prop(p, 'destination'));
        const direction = str(prop(p, 'direction'));
        if (direction === 'download' || src === undefined || dst === undefined) continue;
        const d = joined(value(dst));
        out.push(
          d === undefined
            ? { kind: 'undecided', what: `a file copied to ${dst}`, loc: at }
            : pathStep(file, value(src), at, (f) => ({ kind: 'file', file: f, destination: d, loc: at })),
        );
      }
    }
    return out;
  };
  const images: PackerImage[] = [];
  for (const b of prop(root, 'builders')?.children ?? []) {
    const type = str(prop(b, 'type'));
    if (type === undefined || !AMI_BUILDERS.has(type)) continue;
    const build = str(prop(b, 'name')) ?? type;
    const name = str(prop(b, 'ami_name'));
    const tags: PackerImage['tags'] = [];
    for (const t of prop(b, 'tags')?.children ?? []) {
      const k = t.children?.[0]?.value;
      const v = str(t.children?.[1]);
      if (typeof k === 'string' && v !== undefined) tags.push({ key: k, value: value(v) });
    }
    images.push({
      file,
      build,
      loc: loc(b.offset, b.offset + b.length),
      ...(name !== undefined ? { name: value(name) } : {}),
      tags,
      steps: steps(build),
    });
  }
  return images;
}

/**
 * A Go template value of a JSON template: `{{user `x`}}` is the variable's default (itself a template), `{{template_dir}}`
 * the template's folder; anything else (`{{timestamp}}`, `{{isotime}}`, `{{env `X`}}`) is undecided offline.
 */
function goTemplate(s: string, variables: ReadonlyMap<string, string>, file: string, depth: number): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    if (open < 0) {
      out.push(s.slice(i));
      break;
    }
    if (open > i) out.push(s.slice(i, open));
    const close = s.indexOf('}}', open + 2);
    if (close < 0) {
      out.push({ undecided: s.slice(open) });
      break;
    }
    const inner = s.slice(open + 2, close).trim();
    const user = /^user\s+[`"]([^`"]+)[`"]$/.exec(inner);
    const v = user ? variables.get(user[1]) : undefined;
    if (v !== undefined && depth < 8) out.push(...goTemplate(v, variables, file, depth + 1));
    else if (inner === 'template_dir') out.push('.');
    else out.push({ undecided: s.slice(open, close + 2) });
    i = close + 2;
  }
  return merge(out);
}

/** Adjacent literal pieces joined. */
function merge(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return out;
}

/** A step naming a file of the repository, or undecided when its path is not. */
function pathStep(template: string, pieces: Piece[], loc: SourceLocation, make: (file: string) => PackerStep): PackerStep {
  const p = joined(pieces);
  return p === undefined ? { kind: 'undecided', what: `a file named ${shellText(pieces)}`, loc } : make(repoPath(template, p));
}

// ---------------------------------------------------------------------------------------------------------------
// HCL2 templates: `variable`, `locals`, `source "amazon-ebs" "x"`, `build { sources, source, provisioner }`.

function hclAst(
  text: string,
  file: string,
  loc: (s: number, e: number) => SourceLocation,
  diagnostics: ParseDiagnostic[],
): FileAst | undefined {
  const fast = fastParse(text);
  if (fast) return fast;
  const parser = terraformParser();
  if (!parser) {
    diagnostics.push({ code: 'internal-error', severity: 'error', message: 'HCL parser is not initialised', loc: fileStart(file) });
    return undefined;
  }
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    const ast = convertTree(tree.rootNode, text);
    for (const p of ast.problems)
      diagnostics.push({ code: 'syntax-error', severity: 'error', message: p.message, loc: loc(p.span.start, p.span.end) });
    return ast;
  } finally {
    tree.delete();
  }
}

/** The values an HCL2 template decides: variable defaults and locals, by name. */
interface HclScope {
  vars: Map<string, Expr>;
  locals: Map<string, Expr>;
}

/** An expression as pieces: literals, templates, `var.x` / `local.x` with a decided value, `path.root` (the template's folder). */
function hclPieces(e: Expr | undefined, scope: HclScope, depth = 0): Piece[] {
  if (!e) return [{ undecided: '?' }];
  const undecided = (): Piece[] => [{ undecided: '…' }];
  if (depth > 8) return undecided();
  switch (e.k) {
    case 'lit':
      return e.v === null ? undecided() : [String(e.v)];
    case 'tmpl':
      return merge(e.parts.flatMap((p) => (typeof p === 'string' ? [p] : hclPieces(p, scope, depth + 1))));
    case 'attr':
      if (e.obj.k === 'var') {
        const from = e.obj.name === 'var' ? scope.vars : e.obj.name === 'local' ? scope.locals : undefined;
        if (from?.has(e.name)) return hclPieces(from.get(e.name), scope, depth + 1);
        if (e.obj.name === 'path' && e.name === 'root') return ['.'];
        return [{ undecided: `${e.obj.name}.${e.name}` }];
      }
      return undecided();
    case 'call':
      return [{ undecided: `${e.name}()` }];
    default:
      return undecided();
  }
}

function hclList(e: Expr | undefined, scope: HclScope): Piece[][] | undefined {
  if (e?.k === 'tuple') return e.items.map((i) => hclPieces(i, scope));
  return undefined;
}

/** An object's entries with a decided key. */
function hclEntries(e: Expr | undefined, scope: HclScope): { key: string; value: Piece[] }[] {
  if (e?.k !== 'object') return [];
  const out: { key: string; value: Piece[] }[] = [];
  for (const { key, value } of e.entries) {
    const k = key.k === 'var' ? key.name : joined(hclPieces(key, scope));
    if (k !== undefined) out.push({ key: k, value: hclPieces(value, scope) });
  }
  return out;
}

function hclImages(
  file: string,
  text: string,
  loc: (start: number, end: number) => SourceLocation,
  diagnostics: ParseDiagnostic[],
): PackerImage[] {
  const ast = hclAst(text, file, loc, diagnostics);
  if (!ast) return [];
  const scope: HclScope = { vars: new Map(), locals: new Map() };
  const sources = new Map<string, Block>();
  for (const b of ast.blocks) {
    if (b.type === 'variable' && b.labels[0] !== undefined) {
      const d = b.attrs.get('default');
      if (d) scope.vars.set(b.labels[0], d.expr);
    } else if (b.type === 'locals') for (const [k, a] of b.attrs) scope.locals.set(k, a.expr);
    else if (b.type === 'local' && b.labels[0] !== undefined) {
      const x = b.attrs.get('expression');
      if (x) scope.locals.set(b.labels[0], x.expr);
    } else if (b.type === 'source' && b.labels.length === 2) sources.set(`${b.labels[0]}.${b.labels[1]}`, b);
  }
  const images: PackerImage[] = [];
  for (const build of ast.blocks) {
    if (build.type !== 'build') continue;
    // `sources = ["source.amazon-ebs.x"]` and `source "source.amazon-ebs.x" { name = "y", overrides }` blocks.
    const used: { key: string; extra?: Block }[] = [];
    for (const s of hclList(build.attrs.get('sources')?.expr, scope) ?? []) {
      const k = joined(s);
      if (k !== undefined) used.push({ key: k.replace(/^source\./, '') });
    }
    for (const b of build.blocks)
      if (b.type === 'source' && b.labels[0] !== undefined) used.push({ key: b.labels[0].replace(/^source\./, ''), extra: b });
    for (const u of used) {
      const src = sources.get(u.key);
      const type = u.key.split('.')[0];
      if (!src || !AMI_BUILDERS.has(type)) continue;
      const rename = u.extra ? joined(hclPieces(u.extra.attrs.get('name')?.expr, scope)) : undefined;
      const buildName = u.extra?.attrs.has('name') && rename !== undefined ? `${type}.${rename}` : u.key;
      const attr = (n: string) => u.extra?.attrs.get(n) ?? src.attrs.get(n);
      const name = attr('ami_name');
      const tags = hclEntries(attr('tags')?.expr, scope);
      for (const b of [...src.blocks, ...(u.extra?.blocks ?? [])]) {
        if (b.type !== 'tag') continue;
        const k = joined(hclPieces(b.attrs.get('key')?.expr, scope));
        if (k !== undefined) tags.push({ key: k, value: hclPieces(b.attrs.get('value')?.expr, scope) });
      }
      images.push({
        file,
        build: buildName,
        loc: loc(src.header.start, src.header.end),
        ...(name ? { name: hclPieces(name.expr, scope) } : {}),
        tags,
        steps: hclSteps(file, build, buildName, scope, loc),
      });
    }
  }
  return images;
}

function hclSteps(
  file: string,
  build: Block,
  buildName: string,
  scope: HclScope,
  loc: (s: number, e: number) => SourceLocation,
): PackerStep[] {
  const out: PackerStep[] = [];
  for (const p of build.blocks) {
    if (p.type !== 'provisioner') continue;
    const names = (n: string) => (hclList(p.attrs.get(n)?.expr, scope) ?? []).map(joined).filter((x): x is string => x !== undefined);
    const only = names('only').map((x) => x.replace(/^source\./, ''));
    const except = names('except').map((x) => x.replace(/^source\./, ''));
    if ((only.length > 0 && !only.includes(buildName)) || except.includes(buildName)) continue;
    const at = loc(p.header.start, p.header.end);
    if (p.labels[0] === 'shell') {
      const inline = hclList(p.attrs.get('inline')?.expr, scope);
      if (inline) out.push({ kind: 'inline', text: inline.map(shellText).join('\n'), loc: at });
      const script = p.attrs.get('script');
      const scripts = [...(script ? [hclPieces(script.expr, scope)] : []), ...(hclList(p.attrs.get('scripts')?.expr, scope) ?? [])];
      for (const s of scripts) out.push(pathStep(file, s, at, (f) => ({ kind: 'script', file: f, loc: at })));
    } else if (p.labels[0] === 'file') {
      const direction = joined(hclPieces(p.attrs.get('direction')?.expr, scope));
      const src = p.attrs.get('source');
      const dst = p.attrs.get('destination');
      if (direction === 'download' || !src || !dst) continue;
      const d = joined(hclPieces(dst.expr, scope));
      out.push(
        d === undefined
          ? { kind: 'undecided', what: 'a file copied to a destination not decided', loc: at }
          : pathStep(file, hclPieces(src.expr, scope), at, (f) => ({ kind: 'file', file: f, destination: d, loc: at })),
      );
    }
  }
  return out;
}
