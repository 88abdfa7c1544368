// What the analysis knows of its inputs besides their elements: the problems found while reading them
// (input diagnostics, before any analysis) and the Terraform root modules. Here, not in src/parse, so
// that analysis and presenters read these types from the model like everything else.
import type { SourceLocation } from './types';

// Each input-diagnostic code has the one line the README's table shows (scripts/rules.mjs writes it);
// a parser may report only these, so a new code is added here and the README follows.
export const INPUT_DIAGNOSTICS = {
  'syntax-error': 'A file cannot be parsed (HCL, JSON or YAML syntax); the error is located.',
  'duplicate-attribute': 'A Terraform argument is written more than once in one block.',
  'duplicate-id': 'The same resource, local or element id is defined twice; the later definition is ignored.',
  'duplicate-conflict':
    'Two exports of the same format define one id with different values: both files and values are named; what routing reads from them is Unknown, for the rest the value that sorts first is used.',
  'duplicate-definition':
    'A DCF policy (or the DCF switch) of a controller export is also defined in Terraform; the Terraform one is used.',
  'missing-reference': 'A reference names something the inputs do not define (resource, module source, route table); it stays Unresolved.',
  'unmodelled-reference':
    'A reference names a resource the inputs define but the model does not hold (a network load balancer, a transit gateway peering accepter): it stays Unresolved, saying where the resource is defined.',
  'missing-field': 'An input object lacks a field it needs (a CloudFormation Type, an export id, a group uuid, a policy priority).',
  'damaged-input': 'A file carries the name or part of the shape of a supported format but cannot be read as it (truncated, cut short).',
  'unknown-shape': "A file of a detected format does not have that format's top-level shape.",
  'conditional-resource':
    "A CloudFormation resource exists only under a condition: when the parameters' values (given, else their Default) decide it false, the resource is left out (not created; a `Ref` or `Fn::GetAtt` of it is Unresolved, and the subnets of a transit gateway attachment left out are its plumbing while they hold nothing), except a route or route table association decided false only by a Default that would change the routing of what exists either way (not a route to the CidrBlock of a subnet made under the same condition in its VPC: it carries only that subnet's traffic): it is kept, its existence undecided (paths it would change are Unknown), the message naming the Defaults; otherwise it is analysed as present, the message saying whether the values decide it.",
  'parameter-constraint':
    "A CloudFormation parameter's value (given by the user) or Default (where the stack takes it) breaks the parameter's AllowedPattern, MinLength/MaxLength or MinValue/MaxValue (a Default also its Type Number or AllowedValues): CloudFormation refuses a stack with it; the value is analysed as given. An AllowedPattern JavaScript cannot compile decides nothing.",
  'evaluation-budget-exceeded':
    'Terraform evaluation of a root module ran past its budget (hostile or runaway expressions); the values computed from there on are Unknown.',
  'unresolved-value':
    'A value cannot be decided offline (variable without default, data source, computed value); what it decides is Unknown.',
  'assumed-shape':
    'A list a provider returns is assumed as long as the code slices it (`slice(data.aws_availability_zones.x.names, 0, 3)`), or 1 to N long when the code bounds it (`min(length(...), 3)`: what is built for zones past the first exists only if the region has them); its elements stay unknown placeholders with stable names.',
  'assumed-range':
    'A VPC whose IPv4 CIDR an IPAM pool allocates at apply (`ipv4_ipam_pool_id`) has addresses inside the CIDRs the inputs provision to the pool (anywhere when they provision none), overlapping no other VPC of that pool; a path from it is decided only where every such address is routed the same way, else it stays Unknown.',
  'unmodelled-resource':
    'A resource that can change where packets go is of a type the model does not understand (a custom resource naming a route table, a script run by Terraform, Cloud NAT); paths through what it touches are Unknown (when a custom resource names the destination CIDRs it writes routes for, only paths to addresses inside them).',
  'subnet-outside-network':
    "A subnet's range lies inside none of its network's ranges, every one known: an Azure subnet's address prefix outside its VNet's address spaces (NetcfgSubnetRangeOutsideVnet; the VNet named by reference, or by name in the same known resource group), an AWS subnet's IPv4 CIDR outside its VPC's primary and secondary IPv4 CIDRs (InvalidSubnet.Range; Terraform, plan JSON, CloudFormation; the VPC named by reference and created by the inputs). The cloud refuses to create it, so the configuration cannot deploy as written; the subnet is analysed as written.",
  'overlapping-subnets':
    "Two subnets of one network have overlapping ranges, both surely created with decided values: AWS subnets' CIDRs in one VPC (InvalidSubnet.Conflict), Azure subnets' address prefixes in one VNet (NetcfgSubnetRangesOverlap; an Azure subnet's first prefix); Terraform and plan JSON over the configuration, CloudFormation within one template. The cloud refuses to create the later one, so the configuration cannot deploy as written; the message names both subnets and ranges, located at the later one, and both are analysed as written. A subnet whose existence or range is not decided offline (a count/for_each placeholder, a CloudFormation Condition the values do not decide true, a value from an input not known) is not compared.",
  'iteration-out-of-context':
    'A Terraform resource, data or module block uses `count.*` without a `count` argument, or `each.*` without a `for_each` argument (a `for` expression or a dynamic block binding the name is not a use): Terraform refuses to plan the configuration; the value is Unknown.',
  'invalid-device-index':
    'A Terraform aws_instance launched into its network interfaces (`network_interface` blocks, every device index known), or a CloudFormation `AWS::EC2::Instance` launched into `NetworkInterfaces` (every `DeviceIndex` known), has none at device index 0 of network card 0 (no primary interface) or gives one index twice on one network card (device indexes are per card: multi-card EFA layouts put a device 0 on each card): EC2 refuses to launch it, so the configuration cannot deploy as written; the instance is analysed as written (with no primary interface, in no subnet).',
  'resource-not-available': 'An exported NAT gateway is not available (pending, failed, deleted): routes to it drop traffic.',
  'unused-suppression':
    'An `egress-lens:ignore` comment or Metadata entry silences no finding: it names a code that is not a rule (input diagnostics cannot be ignored), no finding of that rule is located in the resource below it, or it stands above no resource (info; a stale acceptance stays visible).',
  'file-too-large': 'A file larger than `egressLens.maxFileSizeMB` is skipped.',
  'internal-error': 'A parser failed on a file; that file is reported and the others are analysed.',
} as const;

export type InputDiagnosticCode = keyof typeof INPUT_DIAGNOSTICS;

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface ParseDiagnostic {
  /** Stable kebab-case code, one of INPUT_DIAGNOSTICS. */
  code: InputDiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  loc: SourceLocation;
}

/**
 * An `egress-lens:ignore` acceptance written in the inputs: a comment line directly above a Terraform block or
 * argument, or above a CloudFormation resource's logical id (YAML), or a resource's `Metadata: {egress-lens:
 * {ignore: [...]}}` (YAML and JSON templates). The analysis moves the findings of the named rules located inside
 * `covers` out of the findings (AnalysisResult.suppressed); states, traces and the score do not change.
 */
export interface Suppression {
  /** Rule codes as written (checked by the analysis: an unknown one is reported). */
  codes: string[];
  /** The text after `--` (the Metadata's `reason`), when given. */
  reason?: string;
  /** The comment or Metadata entry itself: where an unused one is reported. */
  loc: SourceLocation;
  /** The text it accepts findings in (same file as `loc`): the block or argument below it, the resource. Absent: above none. */
  covers?: SourceLocation['range'];
}

/** A Terraform root module of the workspace: its folder, the label qualifying its ids (`''` when it is the only root), the var files applied in order. */
export interface TerraformRoot {
  dir: string;
  label: string;
  varFiles: string[];
}
