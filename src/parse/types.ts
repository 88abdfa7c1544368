// What every parser returns: model fragments plus located diagnostics. Parsers never throw.
import type { NetworkElement, SourceLocation } from '../model/types';
import type { InputDiagnosticCode } from './diagnosticCodes';

export type InputFormat =
  | 'terraform'
  | 'terraform-plan'
  | 'cloudformation'
  | 'aws-cli'
  | 'aviatrix-export'
  | 'azure-cli';

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
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
