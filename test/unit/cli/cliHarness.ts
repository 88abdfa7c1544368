// Runs the real bundled CLI (dist/cli.js) as a user would, building it first when it is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';

export const CLI = path.join(ROOT, 'dist', 'cli.js');

export function ensureBuilt(): void {
  if (fs.existsSync(CLI) && fs.existsSync(path.join(ROOT, 'dist', 'webview.js'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
