// Shared by the parser tests: example files from disk and small model lookups.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { NetworkElement, ElementKind, ElementOf, SourceRange } from '../../../src/model/types';

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'examples'))) dir = path.dirname(dir);
  return dir;
}

/** Files of an example folder (recursively), keyed by their path relative to the repo root. */
export function exampleFiles(folder: string, filter: (f: string) => boolean = () => true): Map<string, string> {
  const root = repoRoot();
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (filter(p)) out.set(path.relative(root, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'examples', folder));
  return out;
}

export function readExample(rel: string): string {
  return fs.readFileSync(path.join(repoRoot(), 'examples', rel), 'utf8');
}

export function ofKind<K extends ElementKind>(els: NetworkElement[], kind: K): ElementOf<K>[] {
  return els.filter((e): e is ElementOf<K> => e.kind === kind);
}

export function byId(els: NetworkElement[], id: string): NetworkElement {
  const e = els.find((x) => x.id === id);
  if (!e) throw new Error(`no element ${id}`);
  return e;
}

export function countKinds(els: NetworkElement[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const e of els) c[e.kind] = (c[e.kind] ?? 0) + 1;
  return c;
}

/** The text a range covers, to assert ranges by what they point at as well as by numbers. */
export function textAt(text: string, r: SourceRange): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  const parts = [lines[r.start.line].slice(r.start.character)];
  for (let l = r.start.line + 1; l < r.end.line; l++) parts.push(lines[l]);
  parts.push(lines[r.end.line].slice(0, r.end.character));
  return parts.join('\n');
}

export function rng(sl: number, sc: number, el: number, ec: number): SourceRange {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** An edit for property tests: delete `del` characters at `at` (modulo the length) and insert `ins`. */
export type Mutation = { at: number; del: number; ins: string };

export function mutationArb(tokens: readonly string[], maxDel: number, maxIns: number): fc.Arbitrary<Mutation> {
  return fc.record({
    at: fc.nat(),
    del: fc.nat({ max: maxDel }),
    ins: fc.oneof(fc.string({ maxLength: maxIns }), fc.constantFrom(...tokens)),
  });
}

export function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    t = t.slice(0, at) + m.ins + t.slice(at + m.del);
  }
  return t;
}
