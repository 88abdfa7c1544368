// The egressLens.terraform.varFiles setting as the Terraform index takes it. Pure (no vscode).
import * as path from 'node:path';
import type { TerraformVariables } from '../parse/types';

/**
 * egressLens.terraform.varFiles: `{ "envs/prod": ["prod.tfvars"] }`, a root module folder (relative
 * to a workspace folder, or absolute) and the var files applied to it after terraform.tfvars and
 * *.auto.tfvars, relative to that folder as `terraform -var-file` reads them there. The files must
 * be analysed files (default include: **\/*.tfvars, **\/*.json).
 */
export function terraformVarFiles(setting: unknown, workspaceFolders: readonly string[]): TerraformVariables | undefined {
  if (!setting || typeof setting !== 'object' || Array.isArray(setting)) return undefined;
  const extra: TerraformVariables['extra'] = [];
  for (const [root, files] of Object.entries(setting as Record<string, unknown>)) {
    if (!Array.isArray(files)) continue;
    for (const wf of path.isAbsolute(root) ? [''] : workspaceFolders) {
      const rootAbs = path.resolve(wf, root);
      for (const f of files) if (typeof f === 'string') extra.push({ file: path.resolve(rootAbs, f), roots: [rootAbs] });
    }
  }
  return extra.length ? { extra } : undefined;
}
