// Which parser reads a file: by extension, then by shape. Cheap first: a regex over the text
// rejects unrelated JSON/YAML (package.json, k8s manifests) before anything is parsed; only
// candidates get one confirming parse.
import type { InputFormat } from './types';
import { JsonDoc } from './jsonDoc';
import { AWS_CLI_KEYS } from './awsCli';
import { looksLikeAviatrixExport } from './aviatrixExport';
import { looksLikeAzureCli } from './azureCli';
import { looksLikeTfPlan } from './tfPlan';
import { looksLikePacker } from './packer';

const JSON_EXT = /\.(json|jsonc|template)$/i;
const YAML_EXT = /\.(ya?ml|template)$/i;

const RE_PLAN = /"format_version"\s*:/;
const RE_CFN_JSON = /"AWSTemplateFormatVersion"\s*:|"Type"\s*:\s*"AWS::/;
const RE_AWS_CLI = new RegExp(`"(${AWS_CLI_KEYS.join('|')})"\\s*:\\s*\\[`);
const RE_AZURE = /"type"\s*:\s*"Microsoft\.Network\/(virtualNetworks|routeTables|networkInterfaces|loadBalancers)"/i;
const RE_AVIATRIX =
  /"(src_ads|dst_ads|src_smart_groups|dst_smart_groups|app_domains|smart_groups|web_groups|enable_distributed_firewalling)"\s*:/;
const RE_CFN_YAML_TYPE = /^\s+Type\s*:\s*['"]?AWS::/m;

export function detectFormat(file: string, text: string): InputFormat | undefined {
  // Module code, variables files, and the manifest of modules `terraform init` downloaded.
  if (/\.(tf|tf\.json|tfvars|tfvars\.json)$/i.test(file) || /(^|[\\/])\.terraform[\\/]modules[\\/]modules\.json$/.test(file))
    return 'terraform';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  const jsonish = head.startsWith('{') || head.startsWith('[');
  // Packer templates: HCL2 by name, JSON by its `builders` of an Amazon builder.
  if (/\.pkr\.hcl$/i.test(file) || (/\.json$/i.test(file) && head.startsWith('{') && looksLikePacker(file, text))) return 'packer';
  if (JSON_EXT.test(file) && jsonish) return detectJson(file, text);
  if (YAML_EXT.test(file) && !jsonish) return detectYaml(text);
  return undefined;
}

function detectYaml(text: string): InputFormat | undefined {
  const top = cfnYamlTopKey(text);
  if (top === 'AWSTemplateFormatVersion') return 'cloudformation';
  if (top === 'Resources' && RE_CFN_YAML_TYPE.test(text)) return 'cloudformation';
  return undefined;
}

/**
 * The indentation of a YAML document's top-level mapping: the column of its first key, on the first
 * line that is not blank, a comment, a directive or a document marker. Most templates start at
 * column 0; some are indented as a whole (every line by four spaces), which YAML allows.
 */
export function yamlTopIndent(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    let j = i;
    while (text[j] === ' ') j++;
    const c = text[j];
    const end = text.indexOf('\n', j);
    const line = text.slice(j, end < 0 ? text.length : end).trimEnd();
    const marker = j === i && (line === '---' || line.startsWith('--- #') || line.startsWith('%'));
    if (line !== '' && c !== '#' && !marker) return j - i;
    if (end < 0) break;
    i = end + 1;
  }
  return 0;
}

/** Whether a line of `text` is `key:` at exactly `indent` spaces (a string search, not a parse). */
function keyAt(text: string, indent: number, key: string): boolean {
  const needle = ' '.repeat(indent) + key;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (at > 0 && text[at - 1] !== '\n' && !(at === 1 && text.charCodeAt(0) === 0xfeff)) continue;
    let k = at + needle.length;
    while (text[k] === ' ' || text[k] === '\t') k++;
    if (text[k] === ':') return true;
  }
  return false;
}

/**
 * The CloudFormation key a YAML text holds at the indentation of its top-level mapping (column 0, or
 * the column of the document's first key when the whole document is indented): AWSTemplateFormatVersion
 * first, else Resources. A serverless.yml's `resources:` / `  Resources:` is nested, not top-level.
 */
export function cfnYamlTopKey(text: string): 'AWSTemplateFormatVersion' | 'Resources' | undefined {
  const top = yamlTopIndent(text);
  for (const key of ['AWSTemplateFormatVersion', 'Resources'] as const)
    if (keyAt(text, 0, key) || (top > 0 && keyAt(text, top, key))) return key;
  return undefined;
}

function detectJson(file: string, text: string): InputFormat | undefined {
  // Each hint is a regex over the whole text: tested only when its answer matters (a 50 MB AWS CLI
  // export matches its own hint in the first lines, and the others need not scan it to the end).
  const memo: Partial<Record<'plan' | 'cfn' | 'cli' | 'azure' | 'avx', boolean>> = {};
  const plan = () => (memo.plan ??= RE_PLAN.test(text));
  const cfn = () => (memo.cfn ??= RE_CFN_JSON.test(text));
  const cli = () => (memo.cli ??= RE_AWS_CLI.test(text));
  const azure = () => (memo.azure ??= RE_AZURE.test(text));
  const avx = () => (memo.avx ??= RE_AVIATRIX.test(text));
  if (!cli() && !plan() && !cfn() && !azure() && !avx()) return undefined;
  const hinted = (): InputFormat =>
    plan() ? 'terraform-plan' : cfn() ? 'cloudformation' : cli() ? 'aws-cli' : azure() ? 'azure-cli' : 'aviatrix-export';
  const doc = JsonDoc.open(file, text);
  JsonDoc.handOff(doc);
  const root = doc.root;
  if (!root) return doc.diagnostics.length ? hinted() : undefined;
  // Shape first, hint second: the same answers as testing every hint up front.
  if (looksLikeTfPlan(doc) && plan()) return 'terraform-plan';
  const isObject = doc.type(root) === 'object';
  if (isObject && (doc.has(root, 'AWSTemplateFormatVersion') || doc.type(doc.prop(root, 'Resources')) === 'object') && cfn())
    return 'cloudformation';
  if (isObject && AWS_CLI_KEYS.some((k) => doc.has(root, k)) && cli()) return 'aws-cli';
  if (looksLikeAzureCli(doc) && azure()) return 'azure-cli';
  if (looksLikeAviatrixExport(doc) && avx()) return 'aviatrix-export';
  // A broken file that looks like one of ours: hand it to that parser so the user sees its syntax errors.
  if (doc.diagnostics.length) return hinted();
  return undefined;
}
