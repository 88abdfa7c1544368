// What every parser returns: model fragments plus located diagnostics. Parsers never throw.
import type { ParseDiagnostic } from '../model/inputs';
import type { NetworkElement, SourceLocation } from '../model/types';

export type InputFormat = 'terraform' | 'terraform-plan' | 'cloudformation' | 'aws-cli' | 'aviatrix-export' | 'azure-cli';

export interface ModelFragment {
  /** The file the elements come from (for Terraform: one fragment per .tf file). */
  file: string;
  format: InputFormat;
  elements: NetworkElement[];
  diagnostics: ParseDiagnostic[];
  /**
   * Resources of the file that gave no element of their own id (a type the model does not map, or
   * a mapped type in a form it leaves out, such as a network load balancer): a reference to one is
   * then "defined here but not modelled", not "not defined". Absent when there is none.
   */
  declared?: Declaration[];
}

/** A resource the inputs define that the model holds no element for. */
export interface Declaration {
  /**
   * The id a reference to it names: for Terraform the address without the resource's own instance
   * key (`module.a["x"].aws_lb.web`; references with a key match it too), for CloudFormation
   * `cfn:<file>#<LogicalId>`.
   */
  id: string;
  /** Its resource type (`aws_lb`, `AWS::ElasticLoadBalancingV2::LoadBalancer`). */
  type: string;
  loc: SourceLocation;
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
