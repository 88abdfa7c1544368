// PLACEHOLDER CONTRACT (owned by the parsers helper): the workspace index that turns a set of files
// into one merged NetworkModel, caching per file so an edit re-parses only that file.
import type { NetworkModel } from '../model/types';
import type { ParseDiagnostic, ParseOptions, InputFormat } from './types';

export interface WorkspaceFileInfo {
  file: string;
  format: InputFormat | 'ignored';
  elements: number;
  /** Why a file was skipped (too large, unknown shape), for the output channel. */
  skippedReason?: string;
}

export interface WorkspaceBuild {
  model: NetworkModel;
  diagnostics: ParseDiagnostic[];
  files: WorkspaceFileInfo[];
  parseMs: number;
}

export interface Workspace {
  /** Add or replace one file's text. Cheap for unrelated files (cached). */
  setFile(file: string, text: string): void;
  removeFile(file: string): void;
  /** Merge all fragments into one model, resolving cross-file references. Memoised until a change. */
  build(): WorkspaceBuild;
}

export declare function createWorkspace(options?: ParseOptions & { wasmDir?: string }): Promise<Workspace>;
