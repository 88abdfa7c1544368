// Real AnalysisResults for the webview tests: each workspace under examples/ parsed and analysed by
// the product's own core (out/ compiled code), exactly as the extension and the CLI do.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../src/analysis/types';
import { ROOT } from './harness';

const INPUT = /\.(tf|tf\.json|json|ya?ml|template)$/i;

function walk(dir: string, out: string[]): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (INPUT.test(f)) out.push(p);
  }
  return out;
}

export function exampleNames(): string[] {
  const dir = join(ROOT, 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort();
}

/** The reference test commands (docs/domain.md, section 6), replayed from the first subnet that has an egress trace. */
const FLOWS = ['ping 8.8.8.8', 'curl http://ipinfo.io', 'curl https://ipinfo.io'];

export async function exampleResult(name: string): Promise<AnalysisResult> {
  const result = await folderResult(join('examples', name));
  if (name.includes('aviatrix') || name.includes('dcf')) await addSimulations(result);
  return result;
}

/**
 * Every input under `folder` (relative to the repository) parsed and analysed, as the CLI does from that folder;
 * `edit` changes a file's text first (a variant of an example).
 */
export async function folderResult(folder: string, edit?: (file: string, text: string) => string): Promise<AnalysisResult> {
  // Loaded lazily: the core is written by other engineers and may be absent while they work.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createWorkspace } = require('../../src/parse/workspace') as typeof import('../../src/parse/workspace');
  const { analyze } = require('../../src/analysis/analyze') as typeof import('../../src/analysis/analyze');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ws = await createWorkspace({ wasmDir: join(ROOT, process.env.EGRESS_LENS_DIST || 'dist') });
  for (const f of walk(join(ROOT, folder), [])) {
    const file = relative(ROOT, f).split('\\').join('/');
    const text = readFileSync(f, 'utf8');
    ws.setFile(file, edit ? edit(file, text) : text);
  }
  const build = ws.build();
  return analyze(build.model, {}, build.diagnostics);
}

async function addSimulations(result: AnalysisResult): Promise<void> {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const sim = require('../../src/analysis/simulate') as typeof import('../../src/analysis/simulate');
    const { ModelIndex } = require('../../src/analysis/modelIndex') as typeof import('../../src/analysis/modelIndex');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const source = result.egress[0]?.subnet;
    if (!source) return;
    const index = new ModelIndex(result.model);
    for (const text of FLOWS) {
      const parsed = sim.parseFlowSpec(`src=${source} ${text}`);
      if (!parsed.ok) continue;
      result.simulations.push(sim.simulate(result.model, index, parsed.flow));
    }
  } catch {
    // Simulation is optional for these tests.
  }
}
