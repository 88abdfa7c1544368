// What every parser returns: model fragments plus located diagnostics. Parsers never throw.
import type { NetworkElement, SourceLocation } from '../model/types';
import type { InputDiagnosticCode } from './diagnosticCodes';

export type InputFormat = 'terraform' | 'terraform-plan' | 'cloudformation' | 'aws-cli' | 'aviatrix-export' | 'azure-cli';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface ParseDiagnostic {
  /** Stable kebab-case code, one of diagnosticCodes.ts. */
  code: InputDiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  loc: SourceLocation;
}

export interface ModelFragment {
  /** The file the elements come from (for Terraform: one fragment per .tf file). */
  file: string;
  format: InputFormat;
  elements: NetworkElement[];
  diagnostics: ParseDiagnostic[];
}

export interface ParseOptions {
  /** Files larger than this are skipped with a `file-too-large` diagnostic. Default 5 MB. */
  maxFileBytes?: number;
  /** Terraform variables given beyond the files Terraform loads by itself (CLI --var-file / --var, editor setting). */
  terraformVariables?: TerraformVariables;
}

/** A Terraform root module of the workspace: its folder, the label qualifying its ids (`''` when it is the only root), the var files applied in order. */
export interface TerraformRoot {
  dir: string;
  label: string;
  varFiles: string[];
}

/** Variables the user gives beyond the files Terraform loads by itself. */
export interface TerraformVariables {
  /**
   * In order: a var file (its key in the workspace, set with setFile like any file) or one
   * `name=value`. `roots` limits an entry to root module folders (as files are keyed); absent: every root.
   */
  extra: ({ file: string; roots?: string[] } | { name: string; value: string; roots?: string[] })[];
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
