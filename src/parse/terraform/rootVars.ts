// Input variables of a root module, loaded in Terraform's order: variable defaults, then
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical order of their names,
// then the var files and `name=value` pairs the user gives (CLI --var-file / --var, editor setting),
// in the order given. A later source wins. tfvars values are literals: nothing in them is evaluated
// against the module.
import { evaluate } from './evaluate';
import { fastParse } from './fastparse';
import type { ModuleDef, SourceFile } from './modules';
import { Unknown, type Value } from './values';
import type { TerraformVariables } from '../types';

export type { TerraformVariables };

export type Lazy = () => Value;

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? file : file.slice(i + 1);
}

/**
 * A variables file: `*.tfvars(.json)` by name, or any file the user names as one (`--var-file`,
 * egressLens.terraform.varFiles): Terraform reads whatever name `-var-file` gives (samples ship as
 * `terraform.tfvars-example`, `terraform-tfvars.sample`). Module code (`.tf`, `.tf.json`) stays code.
 */
export function isVarFile(file: string, named?: ReadonlySet<string>): boolean {
  if (/\.tfvars(\.json)?$/i.test(file)) return true;
  return named !== undefined && named.has(file) && !/\.tf(\.json)?$/i.test(file);
}

/** A variables file in JSON syntax: Terraform's rule for `-var-file` is the name ending in `.json`. */
export function isJsonVarFile(file: string): boolean {
  return /\.json$/i.test(file);
}

/** The files the user names as variables files (their index keys). */
export function namedVarFiles(vars: TerraformVariables | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const e of vars?.extra ?? []) if ('file' in e) out.add(e.file);
  return out;
}

/** Terraform loads these by itself from the root module's folder; other var files only when named. */
export function isAutoVarFile(file: string): boolean {
  const b = baseName(file);
  return b === 'terraform.tfvars' || b === 'terraform.tfvars.json' || /\.auto\.tfvars(\.json)?$/.test(b);
}

/** Sort key of an auto-loaded file: terraform.tfvars, terraform.tfvars.json, then *.auto.* by name. */
function autoRank(file: string): string {
  const b = baseName(file);
  return b === 'terraform.tfvars' ? '0' : b === 'terraform.tfvars.json' ? '1' : `2${b}`;
}

/** A .tfvars.json document as values: objects are maps, arrays are lists. */
export function jsonToValue(v: unknown): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(jsonToValue);
  if (typeof v === 'object')
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToValue(x)] as [string, Value]));
  return null;
}

/** One file's values, lazily evaluated once each. */
function fileLayer(src: SourceFile): Map<string, Lazy> {
  const layer = new Map<string, Lazy>();
  if (src.jsonVars) {
    for (const [name, v] of src.jsonVars) layer.set(name, () => v);
    return layer;
  }
  for (const a of src.ast.topAttrs) {
    let memo: Value | undefined;
    layer.set(
      a.name,
      () =>
        (memo ??= evaluate(a.expr, {
          text: src.text,
          vars: new Map(),
          root: (_n, text) => new Unknown(text, 'tfvars values must be literals'),
        })),
    );
  }
  return layer;
}

/**
 * `--var name=value`: Terraform takes the text as a string for a variable of type string (or
 * without a type), and as an HCL expression for any other type.
 */
function cliValue(def: ModuleDef, name: string, value: string): Lazy {
  let memo: Value | undefined;
  return () => {
    if (memo !== undefined) return memo;
    const decl = def.variables.get(name);
    const type = decl?.block.attrs.get('type');
    const typeText = type ? decl!.src.text.slice(type.expr.s.start, type.expr.s.end).trim() : 'string';
    if (typeText === 'string' || typeText === 'any') return (memo = value);
    const text = `v = ${value}\n`;
    const ast = fastParse(text);
    const attr = ast?.topAttrs[0];
    memo =
      attr && ast.blocks.length === 0
        ? evaluate(attr.expr, { text, vars: new Map(), root: (_n, t) => new Unknown(t, '--var values must be literals') })
        : new Unknown(value, `--var ${name}: not a ${typeText} value`);
    return memo;
  };
}

export interface RootInputs {
  inputs: Map<string, Lazy>;
  /** The var files applied, in order (index keys); `--var name` for each pair. */
  applied: string[];
}

/** The values of a root module's variables from every source, in Terraform's order. */
export function rootInputs(
  def: ModuleDef,
  vars: TerraformVariables | undefined,
  fileByKey: (file: string) => SourceFile | undefined,
): RootInputs {
  const inputs = new Map<string, Lazy>();
  const applied: string[] = [];
  const auto = def.varFiles
    .filter((f) => isAutoVarFile(f.file))
    .sort((a, b) => (autoRank(a.file) < autoRank(b.file) ? -1 : autoRank(a.file) > autoRank(b.file) ? 1 : 0));
  const layer = (src: SourceFile) => {
    for (const [k, v] of fileLayer(src)) inputs.set(k, v);
    applied.push(src.file);
  };
  for (const src of auto) layer(src);
  for (const e of vars?.extra ?? []) {
    if (e.roots && !e.roots.includes(def.dir)) continue;
    if ('file' in e) {
      const src = fileByKey(e.file);
      if (src) layer(src);
    } else {
      inputs.set(e.name, cliValue(def, e.name, e.value));
      applied.push(`--var ${e.name}`);
    }
  }
  return { inputs, applied };
}
