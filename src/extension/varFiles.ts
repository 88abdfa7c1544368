// The egressLens.terraform.varFiles setting as the Terraform index takes it. Pure (no vscode).
import * as path from 'node:path';
import type { TerraformVariables } from '../parse/types';

/**
 * egressLens.terraform.varFiles: `{ "envs/prod": ["prod.tfvars"] }`, a root module folder (relative
 * to a workspace folder, or absolute) and the var files applied to it after terraform.tfvars and
 * *.auto.tfvars, relative to that folder as `terraform -var-file` reads them there. Any name is a
 * var file, as for `terraform -var-file` (HCL; JSON when the name ends in .json): the service reads
 * the named files whatever the include globs say (`terraform.tfvars-example` is not in them).
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

/** The var files the setting names (absolute paths, as the service keys files). */
export function namedVarFileKeys(vars: TerraformVariables | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of vars?.extra ?? []) if ('file' in e) out.add(e.file);
  return out;
}
