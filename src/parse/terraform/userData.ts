// The texts a firewall VM boots with, followed from its `user_data` to where they are written: a literal or
// heredoc in the .tf file, a file of the configuration read by `file()` or `templatefile()` (with the template
// values the configuration gives and the inputs know; the others stay as written, so only the parts they do
// not touch are read), a `cloudinit_config` data source's parts or a `template_file` data source's template
// (and its `vars`), through `base64encode()`, conditionals whose condition is known, and a module's input
// variables to the caller's argument. Each text comes with where it is written, so what is read from it is
// located. Anything else gives no text: the bootstrap is then not in the inputs.
import type { Expr } from './ast';
import { evaluate, type Scope } from './evaluate';
import type { ModuleInstance, SourceFile } from './modules';
import { asBool, asString, isMap, type Value } from './values';
import type { SourceLocation } from '../../model/types';

export interface BootstrapText {
  text: string;
  /** Where an offset range of the text is written. */
  locate: (start: number, end: number) => SourceLocation;
  /** Template variables whose values are known (templatefile()'s map, a template_file's `vars`), as strings. */
  values?: ReadonlyMap<string, string>;
}

const MAX_DEPTH = 8;

/** The bootstrap texts an instance's `user_data` expression carries. */
export function userDataTexts(e: Expr, scope: Scope, src: SourceFile, module: ModuleInstance): BootstrapText[] {
  const out: BootstrapText[] = [];
  follow(e, scope, src, module, out, 0);
  return out;
}

function follow(
  e: Expr,
  scope: Scope,
  src: SourceFile,
  module: ModuleInstance,
  out: BootstrapText[],
  depth: number,
  /** The template values of the `template_file` whose template this is. */
  values?: ReadonlyMap<string, string>,
): void {
  if (depth > MAX_DEPTH) return;
  const next = (x: Expr, s = scope, f = src): void => follow(x, s, f, module, out, depth + 1);
  switch (e.k) {
    case 'call':
      if (e.expand) return;
      // The provider passes base64 text on as the instance's user data: the instance reads what was encoded.
      if ((e.name === 'base64encode' || e.name === 'trimspace' || e.name === 'chomp') && e.args.length === 1) return next(e.args[0]);
      if ((e.name === 'templatefile' && e.args.length === 2) || (e.name === 'file' && e.args.length === 1)) {
        readFileText(
          evaluate(e.args[0], scope),
          module,
          out,
          e.name === 'templatefile' ? knownStrings(evaluate(e.args[1], scope)) : values,
        );
        return;
      }
      break;
    case 'cond': {
      const c = asBool(evaluate(e.c, scope));
      if (c !== undefined) next(c ? e.a : e.b);
      return;
    }
    case 'tmpl':
      // `"${x}"` is x.
      if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return next(e.parts[0]);
      break;
    case 'attr': {
      // `var.x` in a module: the text is where the caller wrote the argument (a template it renders there).
      if (e.obj.k === 'var' && e.obj.name === 'var' && module.parent) {
        const arg = module.callArgs?.get(e.name);
        if (arg) return follow(arg.attr.expr, arg.scope, arg.src, module.parent, out, depth + 1);
      }
      const data = dataSourceOf(e);
      if (data) {
        const decl = module.def.data.get(`${data.type}.${data.name}`);
        if (!decl) return;
        const node = module.node('data', `${data.type}.${data.name}`);
        if (node !== undefined) module.ctx.tracker?.read(node);
        const dScope = module.scope(decl.src);
        if (data.type === 'template_file') {
          const t = decl.block.attrs.get('template');
          const vars = decl.block.attrs.get('vars');
          if (t) follow(t.expr, dScope, decl.src, module, out, depth + 1, vars ? knownStrings(evaluate(vars.expr, dScope)) : undefined);
          return;
        }
        for (const part of decl.block.blocks)
          if (part.type === 'part') {
            const content = part.attrs.get('content');
            if (content) next(content.expr, dScope, decl.src);
          }
        return;
      }
      break;
    }
    default:
      break;
  }
  const s = asString(evaluate(e, scope));
  if (s === undefined) return;
  // A literal or heredoc written as is: located in the .tf file; otherwise at the expression.
  const at = src.text.indexOf(s, e.s.start);
  const exact = s.length > 0 && at >= 0 && at + s.length <= e.s.end;
  out.push({
    text: s,
    locate: exact
      ? (a, b) => ({ file: src.file, range: src.lines.range(at + a, at + b) })
      : () => ({ file: src.file, range: src.lines.range(e.s.start, e.s.end) }),
  });
}

/**
 * `data.cloudinit_config.x.rendered` (and the template provider's `template_cloudinit_config`, `template_file`),
 * also one instance of a counted data source (`data.template_file.x[count.index].rendered`): every instance
 * renders the same template, so its policy text is the same.
 */
function dataSourceOf(e: Expr): { type: string; name: string } | undefined {
  if (e.k !== 'attr' || e.name !== 'rendered') return undefined;
  const n = e.obj.k === 'index' ? e.obj.obj : e.obj;
  if (n.k !== 'attr' || n.obj.k !== 'attr' || n.obj.obj.k !== 'var' || n.obj.obj.name !== 'data') return undefined;
  const type = n.obj.name;
  if (type !== 'cloudinit_config' && type !== 'template_cloudinit_config' && type !== 'template_file') return undefined;
  return { type, name: n.name };
}

/** The entries of a template variables map whose values are known strings, numbers or booleans. */
function knownStrings(v: Value): ReadonlyMap<string, string> | undefined {
  if (!isMap(v)) return undefined;
  const m = new Map<string, string>();
  for (const [k, x] of v) {
    const s = asString(x);
    if (s !== undefined) m.set(k, s);
  }
  return m.size ? m : undefined;
}

/** A file read by path (ModuleInstance.readText: inside the folders analysed, its edits tracked). */
function readFileText(p: unknown, module: ModuleInstance, out: BootstrapText[], values?: ReadonlyMap<string, string>): void {
  const path = asString(p as never);
  if (path === undefined) return;
  const t = module.readText(path);
  if (!('text' in t)) return;
  out.push({ text: t.text, locate: (a, b) => ({ file: t.file, range: t.lines.range(a, b) }), ...(values ? { values } : {}) });
}

/**
 * Known parts of a user data (what evaluating it gives), each with where it is written when one of the texts
 * followed to their source holds it (a literal, a heredoc, a file read by file()): reasons then name file:line.
 */
export function locatedParts(parts: readonly string[], located: readonly BootstrapText[]): (string | BootstrapText)[] {
  return parts.map((p) => {
    for (const t of located) {
      const at = t.text.indexOf(p);
      if (at >= 0) return { text: p, locate: (a: number, b: number) => t.locate(at + a, at + b) };
    }
    return p;
  });
}

const S3_OBJECTS = ['aws_s3_object', 'aws_s3_bucket_object'];

/**
 * The PAN-OS configurations a VM-Series booting from a bucket may read: `config/bootstrap.xml` objects the
 * configuration uploads (`key = "config/bootstrap.xml"` with `source` or `content` a file of the repository), in
 * the VM's module and the modules above it up to the root. Which bucket an object goes to is not compared (the
 * bucket's name is usually known only at apply): the caller takes one such object as the VM's, several as unknown.
 */
export function bootstrapXmlTexts(module: ModuleInstance): { texts: BootstrapText[]; objects: string[] } {
  const texts: BootstrapText[] = [];
  const objects: string[] = [];
  for (let m: ModuleInstance | undefined = module; m; m = m.parent)
    for (const [key, decl] of m.def.resources) {
      if (!S3_OBJECTS.includes(decl.type)) continue;
      const node = m.node('res', key);
      if (node !== undefined) m.ctx.tracker?.read(node);
      const scope = m.scope(decl.src);
      const k = decl.block.attrs.get('key');
      if (!k || asString(evaluate(k.expr, scope))?.replace(/^\//, '') !== 'config/bootstrap.xml') continue;
      objects.push(`${m.prefix}${key}`);
      const source = decl.block.attrs.get('source');
      const content = decl.block.attrs.get('content');
      if (source) readFileText(evaluate(source.expr, scope), m, texts);
      else if (content) texts.push(...userDataTexts(content.expr, scope, decl.src, m));
    }
  return { texts, objects };
}
