// Loads web-tree-sitter and the Terraform grammar once per process. The wasm files are looked up
// in an explicit directory, then next to the bundle (dist/), then in node_modules.
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser } from 'web-tree-sitter';

const GRAMMAR = 'tree-sitter-terraform.wasm';
const RUNTIME = 'web-tree-sitter.wasm';

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

function firstExisting(candidates: (string | undefined)[]): string | undefined {
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return undefined;
}

function fromNodeModules(request: string): string | undefined {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
}

function grammarPath(wasmDir?: string): string {
  const found = firstExisting([
    wasmDir && path.join(wasmDir, GRAMMAR),
    path.join(__dirname, GRAMMAR),
    path.join(__dirname, '..', GRAMMAR),
    fromNodeModules(`@tree-sitter-grammars/tree-sitter-hcl/${GRAMMAR}`),
  ]);
  if (!found) throw new Error(`${GRAMMAR} not found (wasmDir, ${__dirname}, node_modules)`);
  return found;
}

function runtimePath(wasmDir?: string): string | undefined {
  return firstExisting([
    wasmDir && path.join(wasmDir, RUNTIME),
    path.join(__dirname, RUNTIME),
    path.join(__dirname, '..', RUNTIME),
    fromNodeModules(`web-tree-sitter/${RUNTIME}`),
  ]);
}

/** Idempotent: the first call loads the wasm, later calls wait for the same promise. */
export function initTerraform(opts?: { wasmDir?: string }): Promise<void> {
  if (!ready) {
    const runtime = runtimePath(opts?.wasmDir);
    ready = (async () => {
      await Parser.init(runtime ? { locateFile: () => runtime } : undefined);
      const lang = await Language.load(grammarPath(opts?.wasmDir));
      const p = new Parser();
      p.setLanguage(lang);
      parser = p;
      return p;
    })();
    // A failed load may be retried (e.g. with a corrected wasmDir).
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready.then(() => undefined);
}

/** The loaded parser, or undefined before initTerraform resolved. */
export function terraformParser(): Parser | undefined {
  return parser;
}
