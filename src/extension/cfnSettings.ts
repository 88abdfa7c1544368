// The egressLens.cloudFormation.parameters and egressLens.cloudFormation.region settings as the CloudFormation
// parser takes them (CfnUserValues), as the CLI's --cfn-param and --region give them. Pure (no vscode).
import { AWS_REGION_NAME, CFN_PARAMETER_NAME, type CfnUserValues } from '../parse/types';

/** The values the settings give, and one line per entry left out (for the output channel). */
export function cfnUserFromSettings(parameters: unknown, region: unknown): { values?: CfnUserValues; problems: string[] } {
  const problems: string[] = [];
  const given: NonNullable<CfnUserValues['parameters']> = {};
  if (parameters && typeof parameters === 'object' && !Array.isArray(parameters)) {
    for (const [name, v] of Object.entries(parameters as Record<string, unknown>)) {
      if (!CFN_PARAMETER_NAME.test(name))
        problems.push(`egressLens.cloudFormation.parameters: "${name}" is not a parameter name (letters and digits only): ignored`);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        given[name] = { value: String(v), from: 'egressLens.cloudFormation.parameters' };
      else problems.push(`egressLens.cloudFormation.parameters: the value of ${name} must be a string, number or boolean: ignored`);
    }
  } else if (parameters !== undefined && parameters !== null)
    problems.push('egressLens.cloudFormation.parameters must be an object of parameter names and values: ignored');
  let r: CfnUserValues['region'];
  if (typeof region === 'string' && region.trim() !== '') {
    if (AWS_REGION_NAME.test(region.trim())) r = { value: region.trim(), from: 'egressLens.cloudFormation.region' };
    else problems.push(`egressLens.cloudFormation.region: "${region}" is not an AWS region name such as eu-west-1: ignored`);
  }
  const named = Object.keys(given).length > 0;
  if (!named && !r) return { problems };
  return { values: { ...(named ? { parameters: given } : {}), ...(r ? { region: r } : {}) }, problems };
}
