// Property tests: random and mutated HCL never makes the Terraform parser throw, and every
// diagnostic and element location lies inside the file it names.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { rangeInside } from '../../../src/parse/locate';
import type { SourceRange } from '../../../src/model/types';
import type { ModelFragment } from '../../../src/parse/types';
import { exampleFiles, mutate, mutationArb } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

/** rangeInside, with the line lengths of each text computed once (a check runs thousands of times). */
const lineLengths = new Map<string, number[]>();
function inside(r: SourceRange, text: string): boolean {
  let lens = lineLengths.get(text);
  if (!lens) {
    lens = text.split(/\r\n|\r|\n/).map((l) => l.length);
    if (lineLengths.size > 50) lineLengths.clear();
    lineLengths.set(text, lens);
  }
  const ok = (p: SourceRange['start']) => p.line >= 0 && p.character >= 0 && p.line < lens.length && p.character <= lens[p.line];
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

/** Builds the files and checks every location against the text of the file it names. */
function check(files: Record<string, string>, reuse?: TerraformIndex): ModelFragment[] {
  const idx = reuse ?? new TerraformIndex({ maxFileBytes: 200_000 });
  for (const [f, t] of Object.entries(files)) if (!reuse) idx.setFile(f, t);
  const frags = idx.build();
  for (const frag of frags) {
    assert.ok(frag.file in files, `fragment for an unknown file ${frag.file}`);
    for (const d of frag.diagnostics) {
      assert.ok(d.loc.file in files, `diagnostic in an unknown file ${d.loc.file}`);
      // Diagnostics are few: checked with the shared helper itself.
      assert.ok(rangeInside(d.loc.range, files[d.loc.file]), `${d.code} ${JSON.stringify(d.loc.range)} outside ${d.loc.file}`);
    }
    for (const e of frag.elements) {
      const text = files[e.loc.file];
      assert.ok(inside(e.loc.range, text), `${e.id} loc outside ${e.loc.file}`);
      if (e.extent) assert.ok(inside(e.extent, text), `${e.id} extent outside`);
      for (const r of Object.values(e.attrs ?? {})) assert.ok(inside(r, text), `${e.id} attr range outside`);
      if (e.kind === 'routeTable') for (const r of e.routes) assert.ok(inside(r.loc.range, files[r.loc.file]), `${r.id} outside`);
    }
  }
  return frags;
}

/** Pieces of HCL that matter to the evaluator, glued at random. */
const TOKENS = [
  'resource "aws_vpc" "v" {',
  'resource "aws_subnet" "s" {',
  'resource "aws_route_table" "rt" {',
  'resource "aviatrix_distributed_firewalling_policy_list" "p" {',
  'module "m" {',
  'source = "./m"',
  'source = "terraform-aviatrix-modules/mc-spoke/aviatrix"',
  'locals {',
  'variable "x" {',
  'dynamic "policies" {',
  'dynamic "route" {',
  'content {',
  'route {',
  'policies {',
  '}',
  '{',
  '\n',
  ' ',
  '=',
  'count = ',
  'for_each = ',
  'cidr_block = ',
  'vpc_id = ',
  'gateway_id = ',
  'default = ',
  'x = ',
  'local.a',
  'local.b',
  'var.x',
  'each.key',
  'each.value',
  'count.index',
  'aws_vpc.v.id',
  'aws_subnet.s[0].cidr_block',
  'aws_subnet.s[*].id',
  'module.m.out',
  'data.aws_vpc.d.id',
  'cidrsubnet(',
  'cidrhost(',
  'concat(',
  'merge(',
  'lookup(',
  'format("%s-%d", ',
  ')',
  '(',
  '[',
  ']',
  ',',
  ':',
  '?',
  '=>',
  '...',
  '+',
  '*',
  '/',
  '%',
  '==',
  '&&',
  '!',
  '-',
  '[for k, v in ',
  '{for k, v in ',
  ' : v]',
  ' : k => v}',
  ' if ',
  '"10.0.0.0/16"',
  '"0.0.0.0/0"',
  '"${',
  '}"',
  '%{ if true }',
  '%{ endif }',
  '"',
  '<<EOT\n',
  'EOT\n',
  '# comment\n',
  '/* c */',
  '0',
  '1',
  '2',
  '8',
  '1000000',
  '-1',
  'true',
  'null',
  'é',
  '😀',
  '\r\n',
  '\t',
  '\\',
  'def000ad-0000-0000-0000-000000000000',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));

const mutation = mutationArb(TOKENS, 40, 12);

describe('terraform parser: properties', function () {
  this.timeout(600_000);
  let examples: [string, string][] = [];
  const indexes = new Map<string, TerraformIndex>();

  before(async () => {
    await initTerraform();
    // The smaller example files keep a run fast; they still cover every block kind.
    examples = [
      ...exampleFiles('aviatrix-dcf', (f) => f.endsWith('.tf')),
      ...exampleFiles('aws-distributed-egress-ok', (f) => f.endsWith('inspection.tf')),
    ];
    for (const [f, t] of examples) {
      const idx = indexes.get(dirOf(f)) ?? new TerraformIndex({ maxFileBytes: 200_000 });
      idx.setFile(f, t);
      indexes.set(dirOf(f), idx);
    }
  });

  it('property: random HCL token soup never throws and locations stay inside the file', () => {
    fc.assert(
      fc.property(soup, soup, (a, b) => {
        check({ 'w/main.tf': a, 'w/m/main.tf': b, 'w/m2/x.tf': `module "m" {\n source = "../m"\n}\n${b}` });
      }),
      { numRuns: RUNS },
    );
  });

  it('property: mutated example files never throw and locations stay inside the file', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), (pick, ms) => {
        const [file, text] = examples[pick % examples.length];
        const files: Record<string, string> = Object.fromEntries(examples.filter(([f]) => dirOf(f) === dirOf(file)));
        files[file] = mutate(text, ms);
        // The unchanged files stay parsed in a shared index; only the mutated one is re-read.
        const idx = indexes.get(dirOf(file)) as TerraformIndex;
        idx.setFile(file, files[file]);
        try {
          check(files, idx);
        } finally {
          idx.setFile(file, text);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('property: any string, including control characters and lone surrogates, is handled', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        check({ 'x/main.tf': s, 'x/terraform.tfvars': s });
      }),
      { numRuns: RUNS },
    );
  });
});

function dirOf(f: string): string {
  return f.slice(0, Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')));
}
