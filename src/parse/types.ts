// What every parser returns: model fragments plus located diagnostics. Parsers never throw.
import type { ParseDiagnostic, Suppression } from '../model/inputs';
import type { NetworkElement, SourceLocation, Unresolved } from '../model/types';
import type { PackerImage } from './packer';

export type InputFormat = 'terraform' | 'terraform-plan' | 'cloudformation' | 'aws-cli' | 'aviatrix-export' | 'azure-cli' | 'packer';

export interface ModelFragment {
  /** The file the elements come from (for Terraform: one fragment per .tf file). */
  file: string;
  format: InputFormat;
  elements: NetworkElement[];
  diagnostics: ParseDiagnostic[];
  /** The file's `egress-lens:ignore` acceptances (Terraform and CloudFormation comments, CloudFormation Metadata). */
  suppressions?: Suppression[];
  /** Terraform: some element of the fragment was created by a child module call (NetworkModel.moduleInstances). */
  moduleInstances?: true;
  /** Packer: the AMIs the template builds and their provisioning (parse/packer.ts; linked in parse/packerImages.ts). */
  packerImages?: PackerImage[];
  /**
   * Resources of the file that gave no element of their own id (a type the model does not map, or
   * a mapped type in a form it leaves out, such as a network load balancer): a reference to one is
   * then "defined here but not modelled", not "not defined". Absent when there is none.
   */
  declared?: Declaration[];
  /** CloudFormation: the templates this one deploys, with the parameter values it gives them. */
  stacks?: CfnStackLink[];
  /**
   * CloudFormation: a VM-Series of the template boots from a bucket a template parameter names, so a PAN-OS
   * bootstrap.xml of the workspace may be its policy (ParseOptions.panosBootstrap).
   */
  bootsFromBucket?: true;
  /** CloudFormation: the template's outputs exported to other stacks (`Export.Name`). */
  exports?: CfnExport[];
  /** CloudFormation: the template reads a value with `Fn::ImportValue` (ParseOptions.cfnExports may join it). */
  imports?: true;
  /**
   * CloudFormation, when the user gives parameter values (CfnUserValues): the parameters the template declares,
   * and those of them it takes the user's value for (the workspace says which values no template takes).
   */
  cfnUserParameters?: { declared: string[]; applied: string[] };
  /**
   * Azure CLI exports: what links one `az ... list` file to another (a route table's next hop address to a
   * network interface of another file): the workspace binds them (azureCli.ts, bindAzureCli).
   */
  azureCli?: AzureCliLinks;
}

/** What an Azure CLI export file says that a route of another file may need (all ids lower-cased). */
export interface AzureCliLinks {
  /** Network interfaces: their VNet, private addresses and IP forwarding flag (undefined when not printed). */
  nics?: AzureCliNic[];
  /** VirtualAppliance routes with a literal next hop address, and the VNets of the subnets their table serves. */
  hops?: { table: string; route: string; ip: string }[];
  /** Route table -> VNet of a subnet it is associated with. */
  served?: [table: string, vnet: string][];
  /** Connected peerings: [VNet, remote VNet]. */
  peers?: [vnet: string, remote: string][];
  /** Private frontends of internal load balancers (`az network lb list`): a route's next hop address may be one. */
  frontends?: { lb: string; name: string; ip: string; vnet: string }[];
  /**
   * Backend pool members of those load balancers, by `<pool id>|<n>` (their place in the pool): a NIC's IP
   * configuration (the NIC may be in another file, with its IP forwarding flag), or an address in a VNet.
   */
  members?: { key: string; nic?: string; ip?: string; vnet?: string }[];
}

export interface AzureCliNic {
  id: string;
  name: string;
  vnet?: string;
  ips: string[];
  forwarding?: boolean;
  /** The flag as printed (`enableIPForwarding: false`), for reasons. */
  setting: string;
  loc: SourceLocation;
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

/**
 * A template that a CloudFormation template deploys: a nested stack (`AWS::CloudFormation::Stack`
 * with a local `TemplateURL`) or a pipeline's CloudFormation action (`TemplatePath` with
 * `ParameterOverrides`). The workspace gives the child its parameters (ParseOptions.cfnParameters).
 */
export interface CfnStackLink {
  /**
   * The child's path as written: relative to the deploying file's folder (`relative`), or inside a
   * pipeline artifact whose root is not in the inputs (`suffix`: the workspace file it ends with).
   */
  template: string;
  match: 'relative' | 'suffix';
  /** The deploying resource (its logical id), for reasons. */
  by: string;
  parameters: Record<string, CfnParameterValue>;
}

/** A parameter value given by a deploying template: a literal, one of its elements, or undecidable. */
export type CfnParameterValue = { literal: string } | { element: string } | Unresolved;

/**
 * An output a CloudFormation template exports to other stacks: its name, a literal or the exporting stack's own
 * name followed by a literal (`${AWS::StackName}-VpcId`: `stackSuffix` is `-VpcId`), and its value.
 */
export interface CfnExport {
  /** The output's logical name, for reasons. */
  output: string;
  name: { literal: string } | { stackSuffix: string };
  value: CfnParameterValue;
  /** How the value was read when it took more than a reference (a custom resource followed), for reasons. */
  via?: string;
}

export interface ParseOptions {
  /** Files larger than this are skipped with a `file-too-large` diagnostic. Default 5 MB. */
  maxFileBytes?: number;
  /** Terraform variables given beyond the files Terraform loads by itself (CLI --var-file / --var, editor setting). */
  terraformVariables?: TerraformVariables;
  /**
   * Terraform: the folders (file keys, as handed to setFile) whose files the configuration may read as text: `file()`,
   * `templatefile()` of user data, a bucket object's `source`. A path outside them is never asked for (a hostile
   * `file("../../etc/passwd")` stays unknown, so no report carries what it holds). Absent: `.`, the folder relative
   * file keys start from (a key climbing out of it with `..`, or an absolute one, is outside).
   */
  readRoots?: readonly string[];
  /**
   * CloudFormation: parameter values given by the template that deploys this one (CfnStackLink). `pipeline`: every
   * deploying link is a pipeline's CloudFormation action, whose template configuration file may give the
   * parameters its ParameterOverrides do not (so the user's values fill those: CfnUserValues).
   */
  cfnParameters?: { by: string; values: Record<string, CfnParameterValue>; pipeline?: true };
  /** CloudFormation: parameter values and the region the user gives (CLI --cfn-param, --cfn-parameters, --region; editor settings). */
  cfnUser?: CfnUserValues;
  /**
   * CloudFormation: the PAN-OS bootstrap.xml the workspace holds, for a VM-Series booting from a bucket a template
   * parameter names (the workspace picks it, `why` says how), or the several it holds when none can be picked.
   */
  panosBootstrap?: { file: string; text: string; why: string } | { several: string[] };
  /** CloudFormation: the exports of the workspace's other templates, for this one's `Fn::ImportValue` (cfnStacks.ts). */
  cfnExports?: { file: string; exports: CfnExport[] }[];
}

/**
 * What the user says of how the CloudFormation templates are deployed, as `aws cloudformation deploy
 * --parameter-overrides ... --region ...` would. `from` names where each value came from, for reasons.
 */
export interface CfnUserValues {
  /**
   * Parameter values by name, for every template that declares the name and that no template of the inputs
   * deploys as a nested stack (a nested stack's parameters are what its parent gives, else their Default). A
   * template a pipeline deploys takes them where the pipeline's ParameterOverrides give nothing.
   */
  parameters?: Record<string, { value: string; from: string }>;
  /** `AWS::Region`, for every template (a nested stack is in its parent's region). */
  region?: { value: string; from: string };
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

/** An AWS region name (CfnUserValues.region): `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`. */
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** A CloudFormation logical name, as a template declares a parameter: letters and digits. */
export const CFN_PARAMETER_NAME = /^[A-Za-z0-9]+$/;
