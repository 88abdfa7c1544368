// The harness most analysis tests share: some input files (an example's, a fixture's, or written in the
// test) through the workspace and the analysis, as the CLI runs them, with exact text edits on the way.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace } from '../../src/parse/workspace';
import { analyze } from '../../src/analysis/analyze';
import type { AnalysisResult } from '../../src/analysis/types';
import { ROOT } from './report/helpers';

/** The analysis of these files (name -> text), built as one workspace. */
export async function analyzeFiles(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

/** The Terraform files of `examples/<example>`, by name. */
export function exampleTfFiles(example: string): Record<string, string> {
  const dir = path.join(ROOT, 'examples', example);
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.tf'))) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return files;
}

/** `text` with each [from, to] replaced; each `from` must occur exactly once, so an edit whose anchor moved fails loudly. */
export function replaceOnce(text: string, ...edits: [from: string, to: string][]): string {
  for (const [from, to] of edits) {
    const at = text.indexOf(from);
    assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" must occur exactly once`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}
