// CloudFormation parameter files (`--cfn-parameters FILE`), in the JSON shapes the AWS tools read: the AWS CLI's
// `--parameters file://...` list (`[{"ParameterKey": "K", "ParameterValue": "V"}]`), a CodePipeline template
// configuration (`{"Parameters": {"K": "V"}, "Tags": ...}`, which `aws cloudformation deploy
// --parameter-overrides file://...` reads too), and deploy's own `["K=V", ...]`. Pure: text in, located
// entries or one located message out.
import * as jsonc from 'jsonc-parser';
import { LineMap } from '../parse/locate';
import { CFN_PARAMETER_NAME as NAME } from '../parse/types';

export interface CfnParamEntry {
  name: string;
  value: string;
  /** `line:column` (1-based) of the entry in the file. */
  at: string;
}

export type CfnParamFile =
  | {
      entries: CfnParamEntry[];
      /** Entries that give no value (`UsePreviousValue`), located: not applied. */
      notes: string[];
    }
  | { error: string };

const SHAPES =
  'expected the AWS CLI\'s [{"ParameterKey": "Name", "ParameterValue": "value"}], a CodePipeline template configuration {"Parameters": {"Name": "value"}}, or ["Name=value", ...]';

export function readCfnParameterFile(text: string): CfnParamFile {
  const lines = new LineMap(text);
  const at = (offset: number): string => {
    const p = lines.position(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const errors: jsonc.ParseError[] = [];
  // A BOM is what some editors on Windows write first: JSON.parse refuses it, the AWS CLI does not.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const root = jsonc.parseTree(bom ? ' ' + text.slice(1) : text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !root)
    return {
      error: `${at(errors[0]?.offset ?? 0)}: not valid JSON (${errors.length ? jsonc.printParseErrorCode(errors[0].error) : 'empty file'})`,
    };
  const entries: CfnParamEntry[] = [];
  const notes: string[] = [];
  const scalar = (n: jsonc.Node | undefined): string | undefined =>
    n && (n.type === 'string' || n.type === 'number' || n.type === 'boolean') ? String(n.value) : undefined;
  const checkName = (name: string, n: jsonc.Node): string | undefined =>
    NAME.test(name) ? undefined : `${at(n.offset)}: "${name}" is not a CloudFormation parameter name (letters and digits only)`;

  if (root.type === 'object') {
    const params = jsonc.findNodeAtLocation(root, ['Parameters']);
    if (!params || params.type !== 'object')
      return { error: `${at(params?.offset ?? root.offset)}: ${params ? '"Parameters" must be an object of names and values' : SHAPES}` };
    for (const prop of params.children ?? []) {
      const [k, v] = prop.children ?? [];
      const name = String(k?.value ?? '');
      const bad = k ? checkName(name, k) : `${at(prop.offset)}: malformed entry`;
      if (bad) return { error: bad };
      const value = scalar(v);
      if (value === undefined)
        return { error: `${at(v?.offset ?? prop.offset)}: the value of ${name} must be a string, number or boolean` };
      entries.push({ name, value, at: at(k.offset) });
    }
    return { entries, notes };
  }
  if (root.type !== 'array') return { error: `${at(root.offset)}: ${SHAPES}` };
  for (const item of root.children ?? []) {
    if (item.type === 'string') {
      const s = String(item.value);
      const eq = s.indexOf('=');
      if (eq <= 0) return { error: `${at(item.offset)}: "${s}" is not Name=value` };
      const bad = checkName(s.slice(0, eq), item);
      if (bad) return { error: bad };
      entries.push({ name: s.slice(0, eq), value: s.slice(eq + 1), at: at(item.offset) });
      continue;
    }
    if (item.type !== 'object') return { error: `${at(item.offset)}: ${SHAPES}` };
    const key = jsonc.findNodeAtLocation(item, ['ParameterKey']);
    if (key?.type !== 'string') return { error: `${at(key?.offset ?? item.offset)}: an entry needs a "ParameterKey" string` };
    const name = String(key.value);
    const bad = checkName(name, key);
    if (bad) return { error: bad };
    const valueNode = jsonc.findNodeAtLocation(item, ['ParameterValue']);
    const previous = jsonc.findNodeAtLocation(item, ['UsePreviousValue']);
    if (!valueNode && previous?.value === true) {
      notes.push(`${at(item.offset)}: ${name} uses the stack's previous value (UsePreviousValue), which is not known offline: not applied`);
      continue;
    }
    const value = scalar(valueNode);
    if (value === undefined)
      return {
        error: `${at(valueNode?.offset ?? item.offset)}: ${valueNode ? `the ParameterValue of ${name} must be a string` : `${name} has no "ParameterValue"`}`,
      };
    entries.push({ name, value, at: at(key.offset) });
  }
  return { entries, notes };
}
