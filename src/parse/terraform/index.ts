// The Terraform parser: keeps each .tf file's syntax (converted from tree-sitter once per edit),
// groups files into modules by directory, evaluates every root module with its local child
// modules, and returns one model fragment per file. Never throws: problems become diagnostics.
import { convertTree } from './ast';
import { Collector, Res, BlockView } from './emit';
import { AWS_MAPPERS, type Mapper } from './mapAws';
import { AZURE_MAPPERS } from './mapAzure';
import { AVIATRIX_MAPPERS, aviatrixModuleKind, synthesiseAviatrixModule } from './mapAviatrix';
import { ModuleDef, ModuleInstance, dirOf, isLocalSource, joinDir, type EvalContext, type SourceFile } from './modules';
import { initTerraform, terraformParser } from './wasm';
import { LineMap } from '../locate';
import { DEFAULT_MAX_FILE_BYTES, type ModelFragment, type ParseDiagnostic, type ParseOptions } from '../types';
import { evaluate, setEvaluationBudget } from './evaluate';
import { Unknown, type Value } from './values';

export { initTerraform };
export { BUILTIN_GROUP_IDS } from './mapAviatrix';

const MAPPERS: Record<string, Mapper> = { ...AWS_MAPPERS, ...AZURE_MAPPERS, ...AVIATRIX_MAPPERS };

interface FileEntry {
  src?: SourceFile;
  /** Diagnostics of reading the file itself (size, syntax). */
  diagnostics: ParseDiagnostic[];
}

function isTfvars(file: string): boolean {
  return /(^|[\\/])terraform\.tfvars$/.test(file) || file.endsWith('.auto.tfvars');
}

export class TerraformIndex {
  private readonly files = new Map<string, FileEntry>();
  private memo: ModelFragment[] | undefined;
  private readonly maxBytes: number;

  constructor(opts?: ParseOptions) {
    this.maxBytes = opts?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Parses one file now (initTerraform must have resolved); evaluation waits for build(). */
  setFile(file: string, text: string): void {
    this.memo = undefined;
    this.files.set(file, readFile(file, text, this.maxBytes));
  }

  removeFile(file: string): void {
    if (this.files.delete(file)) this.memo = undefined;
  }

  build(): ModelFragment[] {
    if (!this.memo) {
      try {
        this.memo = buildFragments(this.files);
      } catch (e) {
        // Last resort: keep each file's own diagnostics and say evaluation failed.
        this.memo = [...this.files].map(([file, entry]) => ({
          file,
          format: 'terraform' as const,
          elements: [],
          diagnostics: [
            ...entry.diagnostics,
            { code: 'internal-error', severity: 'error' as const, message: `Terraform evaluation failed: ${(e as Error).message}`, loc: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } },
          ],
        }));
      }
    }
    return this.memo;
  }
}

function readFile(file: string, text: string, maxBytes: number): FileEntry {
  const lines = new LineMap(text);
  const whole = (code: string, severity: ParseDiagnostic['severity'], message: string): ParseDiagnostic => ({
    code,
    severity,
    message,
    loc: { file, range: lines.range(0, Math.min(text.length, lines.text.indexOf('\n') < 0 ? text.length : lines.text.indexOf('\n'))) },
  });
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    return { diagnostics: [whole('file-too-large', 'warning', `File is larger than ${Math.round(maxBytes / 1024 / 1024)} MB and was skipped`)] };
  }
  const parser = terraformParser();
  if (!parser) return { diagnostics: [whole('internal-error', 'error', 'Terraform parser is not initialised (initTerraform was not awaited)')] };
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
    for (const d of ast.duplicates) {
      diagnostics.push({ code: 'duplicate-attribute', severity: 'error', message: `Argument "${d.name}" is written more than once in this block`, loc: { file, range: lines.range(d.span.start, d.span.end) } });
    }
    return { src: { file, dir: dirOf(file), text, lines, ast, tfvars: isTfvars(file) }, diagnostics };
  } catch (e) {
    return { diagnostics: [whole('internal-error', 'error', `Terraform file could not be read: ${(e as Error).message}`)] };
  } finally {
    tree.delete();
  }
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

function buildFragments(files: ReadonlyMap<string, FileEntry>): ModelFragment[] {
  setEvaluationBudget(evaluationBudget(files));
  try {
    return evaluateFragments(files);
  } finally {
    setEvaluationBudget(Infinity);
  }
}

function evaluateFragments(files: ReadonlyMap<string, FileEntry>): ModelFragment[] {
  const fragments = new Map<string, ModelFragment>();
  for (const [file, entry] of files) {
    fragments.set(file, { file, format: 'terraform', elements: [], diagnostics: [...entry.diagnostics] });
  }
  const byDir = new Map<string, SourceFile[]>();
  for (const entry of files.values()) {
    if (!entry.src) continue;
    const list = byDir.get(entry.src.dir) ?? [];
    list.push(entry.src);
    byDir.set(entry.src.dir, list);
  }
  const defs = new Map<string, ModuleDef>();
  for (const [dir, srcs] of byDir) defs.set(dir, new ModuleDef(dir, srcs));

  const out = new Collector();
  const ctx: EvalContext = { defs, inProgress: new Set() };
  for (const def of defs.values()) out.problems.push(...def.problems);

  for (const def of rootModules(defs)) {
    const inputs = new Map<string, () => Value>();
    for (const [name, t] of def.tfvars) {
      let memo: Value | undefined;
      inputs.set(name, () => (memo ??= evaluate(t.attr.expr, { text: t.src.text, vars: new Map(), root: (_n, text) => new Unknown(text, 'tfvars values must be literals') })));
    }
    walk(new ModuleInstance(ctx, def, '', inputs, [def.dir]), out);
  }
  out.runPosts();
  applyAliases(out);

  for (const { el, file } of out.entries) fragments.get(file)?.elements.push(el);
  for (const p of out.problems) {
    fragments.get(p.src.file)?.diagnostics.push({ code: p.code, severity: p.severity, message: p.message, loc: { file: p.src.file, range: p.src.lines.range(p.span.start, p.span.end) } });
  }
  return [...fragments.values()];
}

/** Directories whose modules no module call in the index uses as a local source. */
function rootModules(defs: ReadonlyMap<string, ModuleDef>): ModuleDef[] {
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
  return [...defs.values()].filter((d) => !children.has(d.dir) && d.files.some((f) => !f.tfvars));
}

function walk(mod: ModuleInstance, out: Collector): void {
  for (const decl of mod.def.resources.values()) {
    const mapper = MAPPERS[decl.type];
    if (!mapper) continue; // resources outside the model are ignored quietly
    try {
      const group = mod.group(decl);
      if (group.unknown) {
        out.problem(decl.src, decl.block.header, 'unresolved-value', 'info', `${mod.prefix}${decl.type}.${decl.name}: ${group.unknown.text} cannot be decided offline (${group.unknown.reason}); no instance is modelled`);
        continue;
      }
      for (const inst of group.instances) {
        try {
          mapper(new Res(out, inst));
        } catch (e) {
          out.problem(decl.src, decl.block.header, 'internal-error', 'warning', `${inst.address} could not be read: ${(e as Error).message}`);
        }
      }
    } catch (e) {
      out.problem(decl.src, decl.block.header, 'internal-error', 'warning', `${decl.type}.${decl.name} could not be read: ${(e as Error).message}`);
    }
  }
  for (const name of mod.def.calls.keys()) {
    try {
      const call = mod.call(name);
      if (!call) continue;
      const { block, src } = call.decl;
      if (call.unknown) {
        out.problem(src, block.header, 'unresolved-value', 'info', `module.${name}: ${call.unknown.text} cannot be decided offline (${call.unknown.reason}); its resources are not modelled`);
        continue;
      }
      const remote = call.source !== undefined && !isLocalSource(call.source) ? aviatrixModuleKind(call.source) : undefined;
      for (const inst of call.instances) {
        if (inst.child) walk(inst.child, out);
        else if (remote) {
          const prefix = `${mod.prefix}module.${name}${inst.key === undefined ? '' : typeof inst.key === 'number' ? `[${inst.key}]` : `[${JSON.stringify(inst.key)}]`}.`;
          synthesiseAviatrixModule(new BlockView(out, src, block, mod.scope(src, inst.vars), block.header), prefix, remote);
        } else if (call.source !== undefined && isLocalSource(call.source)) {
          out.problem(src, block.attrs.get('source')?.expr.s ?? block.header, 'missing-reference', 'warning', `module.${name}: ${call.source} is not in the workspace`);
        }
      }
    } catch (e) {
      const decl = mod.def.calls.get(name);
      if (decl) out.problem(decl.src, decl.block.header, 'internal-error', 'warning', `module.${name} could not be read: ${(e as Error).message}`);
    }
  }
}

/** References to a VPC's default route table point at aws_default_route_table when it exists. */
function applyAliases(out: Collector): void {
  if (out.aliases.size === 0) return;
  const fix = (r: unknown) => (typeof r === 'string' ? (out.aliases.get(r) ?? r) : r);
  for (const { el } of out.entries) {
    if (el.kind === 'rtAssociation') el.routeTable = fix(el.routeTable) as typeof el.routeTable;
  }
}
