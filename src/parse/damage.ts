// Damaged inputs are never silent. A file the detector did not take, but that carries the name or
// part of the shape of one of our formats (a truncated describe-route-tables.json, a CloudFormation
// template cut before its first Type), is reported as a located `damaged-input` error instead of
// being skipped as "not network code". Unrelated files (a broken package manifest, a serverless.yml
// holding an AWS:: string) stay ignored: every hint below is one only our formats carry.
import type { InputFormat } from './types';
import type { ParseDiagnostic } from '../model/inputs';
import { AWS_CLI_KEYS } from './awsCli';
import { JsonDoc } from './jsonDoc';
import { parseYamlTree } from './cfnTree';
import { fileStart } from './locate';
import { cfnYamlTopKey } from './detect';

const WHAT: Record<InputFormat, string> = {
  terraform: 'Terraform',
  'terraform-plan': 'a terraform plan (show -json)',
  cloudformation: 'a CloudFormation template',
  'aws-cli': 'an AWS CLI export',
  'aviatrix-export': 'an Aviatrix export',
  'azure-cli': 'an Azure CLI export',
  packer: 'a Packer template',
};

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());

/** The file names of the AWS CLI commands we read: describe-route-tables, describe-subnets, ... */
const RE_CLI_NAME = new RegExp(`(^|[/._-])describe-(${AWS_CLI_KEYS.map(kebab).join('|')})([._-]|$)`, 'i');
/** Key hints that survive truncation: the opening quote and the name are enough. */
const JSON_HINTS: [InputFormat, RegExp][] = [
  ['terraform-plan', /"(format_version|terraform_version|planned_values|resource_changes)\b/],
  ['cloudformation', /"AWSTemplateFormatVersion\b|"Type"\s*:\s*"AWS::/],
  ['aws-cli', new RegExp(`"(${AWS_CLI_KEYS.join('|')})"\\s*(:|$)|^\\s*\\{\\s*"(${AWS_CLI_KEYS.join('|')})`)],
  // ARM's type names, or key names only the az network list outputs print (a list cut after its first key).
  [
    'azure-cli',
    /Microsoft\.Network\/(virtualNetworks|routeTables|networkInterfaces)|"(addressSpace|nextHopType|ipConfigurations|virtualNetworkPeerings)"\s*(:|$)/i,
  ],
  ['aviatrix-export', /"(src_smart_groups|dst_smart_groups|enable_distributed_firewalling)\b/],
];
const RE_JSON_EXT = /\.(json|jsonc|template)$/i;
const RE_YAML_EXT = /\.(ya?ml|template)$/i;
const RE_CFN_NAME = /(cloudformation|cfn)/i;

const MAX_REPORTED = 5;

function damaged(
  file: string,
  format: InputFormat,
  why: string,
  problems: ParseDiagnostic[],
  fallback: string,
): { format: InputFormat; diagnostics: ParseDiagnostic[] } {
  const head = `Looks like ${WHAT[format]} (${why}) but cannot be read`;
  const diagnostics: ParseDiagnostic[] = problems.length
    ? problems
        .slice(0, MAX_REPORTED)
        .map((d) => ({ code: 'damaged-input', severity: 'error', message: `${head}: ${d.message}`, loc: d.loc }))
    : [{ code: 'damaged-input', severity: 'error', message: `${head}: ${fallback}`, loc: fileStart(file) }];
  return { format, diagnostics };
}

/**
 * For a file `detectFormat` did not take: the format it looks like and located errors saying why it
 * cannot be read, or undefined when it is simply not one of ours.
 */
export function detectDamage(file: string, text: string): { format: InputFormat; diagnostics: ParseDiagnostic[] } | undefined {
  const body = text.replace(/^\uFEFF/, '');
  const head = body.trimStart();
  const jsonish = head.startsWith('{') || head.startsWith('[');
  if (RE_JSON_EXT.test(file) && (jsonish || !RE_YAML_EXT.test(file))) {
    const named = RE_CLI_NAME.test(file);
    const hint = JSON_HINTS.find(([, re]) => re.test(body));
    if (!named && !hint) return undefined;
    const format: InputFormat = hint ? hint[0] : 'aws-cli';
    const why = named
      ? `file name ${file.split('/').pop()}`
      : `it holds ${hint![1]
          .exec(body)![0]
          .replace(/^\s*\{?\s*/, '')
          .slice(0, 40)}`;
    if (head === '') return damaged(file, format, why, [], 'the file is empty');
    if (!jsonish) return damaged(file, format, why, [], 'it does not start with { or [');
    const doc = JsonDoc.open(file, text);
    const syntax = doc.diagnostics.filter((d) => d.severity === 'error');
    if (syntax.length || !doc.root) return damaged(file, format, why, syntax, 'it is not valid JSON');
    // Valid JSON: only a top-level key of ours holding the wrong kind of value is damage.
    if (doc.type(doc.root) === 'object') {
      for (const k of AWS_CLI_KEYS) {
        const v = doc.prop(doc.root, k);
        if (v !== undefined && doc.type(v) !== 'array')
          return damaged(file, 'aws-cli', `key ${k}`, [doc.diagAt(v, 'damaged-input', 'error', `${k} must be a list`)], '');
      }
      const res = doc.prop(doc.root, 'Resources');
      if (doc.has(doc.root, 'AWSTemplateFormatVersion') && doc.type(res) !== 'object') {
        return damaged(
          file,
          'cloudformation',
          'key AWSTemplateFormatVersion',
          [doc.diagAt(res ?? doc.root, 'damaged-input', 'error', 'Resources must be a map of resources')],
          '',
        );
      }
    }
    if (named)
      return damaged(
        file,
        'aws-cli',
        why,
        [],
        `it has none of the lists such an export holds (${AWS_CLI_KEYS.slice(0, 4).join(', ')}, ...)`,
      );
    return undefined;
  }
  if (RE_YAML_EXT.test(file) && !jsonish) {
    // Top-level CloudFormation keys, at the indentation of the document's first key (a serverless.yml
    // nests its Resources under `resources:`).
    const top = cfnYamlTopKey(body);
    const hinted = top !== undefined || (RE_CFN_NAME.test(file) && /AWS::/.test(body));
    if (!hinted) return undefined;
    const why = top ? `top-level ${top}` : `file name ${file.split('/').pop()} and AWS:: types`;
    const tree = parseYamlTree(file, text);
    const errors = tree.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) return damaged(file, 'cloudformation', why, errors, '');
    return undefined;
  }
  return undefined;
}
