// A test workspace that is one of our examples with a few exact edits: the variant says only what it
// changes, so it cannot drift from the example it is a variant of (and is not a second copy of it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './report/helpers';

export interface Edit {
  file: string;
  /** Replaced exactly once: a variant whose anchor moved or repeats fails loudly. */
  replace?: [from: string, to: string];
  append?: string;
}

/** The example's text of `file` with the edits that apply to it. */
export function variantText(example: string, file: string, edits: readonly Edit[]): string {
  let text = fs.readFileSync(path.join(ROOT, 'examples', example, file), 'utf8');
  for (const e of edits) {
    if (e.file !== file) continue;
    if (e.replace) {
      const [from, to] = e.replace;
      const at = text.indexOf(from);
      assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `examples/${example}/${file}: "${from}" must occur exactly once`);
      text = text.slice(0, at) + to + text.slice(at + from.length);
    }
    if (e.append) text += e.append;
  }
  return text;
}

/** A folder holding the example's input files (not its README) with the edits applied. */
export function exampleVariant(example: string, edits: readonly Edit[]): string {
  const src = path.join(ROOT, 'examples', example);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `el-${example}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const f of fs.readdirSync(src)) {
    if (f === 'README.md' || !fs.statSync(path.join(src, f)).isFile()) continue;
    fs.writeFileSync(path.join(dir, f), variantText(example, f, edits));
  }
  for (const e of edits) assert.ok(fs.existsSync(path.join(dir, e.file)), `examples/${example} has no ${e.file}`);
  return dir;
}
