// What every parser returns: model fragments plus located diagnostics. Parsers never throw.
import type { ParseDiagnostic } from '../model/inputs';
import type { NetworkElement } from '../model/types';

export type InputFormat = 'terraform' | 'terraform-plan' | 'cloudformation' | 'aws-cli' | 'aviatrix-export' | 'azure-cli';

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

/** Variables the user gives beyond the files Terraform loads by itself. */
export interface TerraformVariables {
  /**
   * In order: a var file (its key in the workspace, set with setFile like any file) or one
   * `name=value`. `roots` limits an entry to root module folders (as files are keyed); absent: every root.
   */
  extra: ({ file: string; roots?: string[] } | { name: string; value: string; roots?: string[] })[];
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
