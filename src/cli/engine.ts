// The one place the CLI meets the core: files in, AnalysisResult out.
import { analyze } from '../analysis/analyze';
import { ModelIndex } from '../analysis/modelIndex';
import { parseFlowSpec, simulate } from '../analysis/simulate';
import type { AnalysisOptions, AnalysisResult, FlowSpec } from '../analysis/types';
import type { CfnUserValues, TerraformVariables } from '../parse/types';
import { createWorkspace, type WorkspaceFileInfo } from '../parse/workspace';
import type { InputFile } from './files';
import { UsageError } from './args';

export interface EngineOptions extends AnalysisOptions {
  terraformVariables?: TerraformVariables;
  /** CloudFormation parameter values and region the user gives. */
  cfnUser?: CfnUserValues;
  maxFileBytes: number;
  /** Folder holding the tree-sitter wasm files (next to dist/cli.js). */
  wasmDir: string;
  simulate?: string[];
  /** The folders whose files the Terraform configuration may read as text (readRoots(...).keys). */
  readRoots?: readonly string[];
  /** Reads the Terraform inputs the configuration calls beyond the given files (see terraformReader). */
  readMore?: (wants: { dirs: string[]; files: string[]; packer?: true }, absent?: (file: string) => void) => InputFile[];
}

/** Parses the `--simulate` specs up front, so a typo fails before any work. */
export function parseFlows(specs: string[]): FlowSpec[] {
  return specs.map((s) => {
    const f = parseFlowSpec(s);
    if (!f.ok) throw new UsageError(`--simulate "${s}": ${f.error}`);
    return f.flow;
  });
}

export interface EngineRun {
  result: AnalysisResult;
  /** What the workspace made of each file (format, elements, why skipped). */
  files: WorkspaceFileInfo[];
  /** The user's CloudFormation parameter values no template takes, and why (WorkspaceBuild.cfnUserUnused). */
  cfnUserUnused?: { name: string; why: string }[];
}

export async function analyzeFiles(files: InputFile[], options: EngineOptions): Promise<EngineRun> {
  const flows = parseFlows(options.simulate ?? []);
  const ws = await createWorkspace({
    maxFileBytes: options.maxFileBytes,
    wasmDir: options.wasmDir,
    terraformVariables: options.terraformVariables,
    ...(options.readRoots ? { readRoots: options.readRoots } : {}),
    ...(options.cfnUser ? { cfnUser: options.cfnUser } : {}),
  });
  for (const f of files) ws.setFile(f.file, f.text);
  // Modules called from outside the given folders, and downloaded ones, may call further modules.
  const readWanted = (): boolean => {
    let read = false;
    for (let depth = 0; options.readMore && depth < 32; depth++) {
      let missing = false;
      const more = options.readMore(ws.terraformWants(), (f) => {
        if (ws.terraformAbsent(f)) missing = true;
      });
      if (missing) read = true;
      if (more.length === 0) break;
      for (const f of more) ws.setFile(f.file, f.text);
      read = true;
    }
    return read;
  };
  readWanted();
  let build = ws.build();
  // Files the evaluated configuration reads as text (a firewall VM's templatefile) are known only now; a file one of
  // them names (a config.xml a VM extension's script downloads) only after that one is read: a few rounds at most.
  for (let round = 0; round < 4 && readWanted(); round++) build = ws.build();
  const result = analyze(build.model, { destination: options.destination, severities: options.severities }, build.diagnostics);
  result.timing.parseMs = build.parseMs;
  if (build.terraformRoots.length) result.terraformRoots = build.terraformRoots;
  if (flows.length) {
    const index = new ModelIndex(build.model);
    for (const flow of flows) result.simulations.push(simulate(build.model, index, flow));
  }
  return { result, files: build.files, ...(build.cfnUserUnused ? { cfnUserUnused: build.cfnUserUnused } : {}) };
}
