// Incremental Terraform builds: any sequence of setFile / removeFile / build gives exactly the
// fragments a fresh index over the same files gives, and an edit leaves the fragments (and the
// unchanged elements) of the files it cannot affect as the same objects.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { ModelFragment } from '../../../src/parse/types';
import { generateEstate, tfVpc } from '../../../src/bench/generate';
import { exampleFiles } from './helpers';

const RUNS = Math.max(50, Math.floor((Number(process.env.FUZZ_RUNS) || 1000) / 5));

/** Files in one directory that use each other: locals, references, routes into other files' tables, duplicates. */
const CROSS: Record<string, string[]> = {
  'x/locals.tf': [
    'locals {\n  cidr = "10.0.0.0/16"\n  n    = 2\n}\n',
    'locals {\n  cidr = "10.1.0.0/16"\n  n    = 3\n}\n',
    'locals {\n  cidr = "10.1.0.0/16"\n}\n',
  ],
  'x/vpc.tf': [
    'resource "aws_vpc" "a" {\n  cidr_block = local.cidr\n}\nresource "aws_subnet" "s" {\n  count      = local.n\n  vpc_id     = aws_vpc.a.id\n  cidr_block = cidrsubnet(local.cidr, 8, count.index)\n}\n',
    'resource "aws_vpc" "a" {\n  cidr_block = "172.16.0.0/16"\n  tags = { Name = "a" }\n}\nresource "aws_default_route_table" "d" {\n  default_route_table_id = aws_vpc.a.default_route_table_id\n}\n',
    'resource "aws_vpc" "b" {\n  cidr_block = local.cidr\n}\n',
  ],
  'x/routes.tf': [
    'resource "aws_route_table" "rt" {\n  vpc_id = aws_vpc.a.id\n}\nresource "aws_route" "r" {\n  route_table_id         = aws_route_table.rt.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.g.id\n}\n',
    'resource "aws_route" "r" {\n  route_table_id         = aws_vpc.a.default_route_table_id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.g.id\n}\nresource "aws_route_table_association" "s" {\n  subnet_id      = aws_subnet.s[0].id\n  route_table_id = aws_vpc.a.default_route_table_id\n}\n',
    'resource "aws_route_table" "rt" {\n  vpc_id = aws_vpc.a.id\n}\nresource "aws_main_route_table_association" "m" {\n  vpc_id         = aws_vpc.a.id\n  route_table_id = aws_route_table.rt.id\n}\n',
  ],
  'x/igw.tf': [
    'resource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.a.id\n}\n',
    'resource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.a.id\n}\nresource "aws_vpc" "a" {\n  cidr_block = "10.9.0.0/16"\n}\n',
    'resource "aws_internet_gateway" "g" {}\nresource "aws_internet_gateway_attachment" "ga" {\n  internet_gateway_id = aws_internet_gateway.g.id\n  vpc_id              = aws_vpc.a.id\n}\n',
  ],
  'x/provider.tf': [
    'variable "region" {\n  default = "us-east-1"\n}\nprovider "aws" {\n  region = var.region\n}\n',
    'provider "aws" {\n  region = "eu-west-1"\n}\n',
  ],
  'x/mod.tf': [
    'module "m" {\n  source = "./m"\n  cidr   = local.cidr\n}\n',
    'module "m" {\n  source = "./m"\n  count  = 2\n  cidr   = "10.${count.index}.0.0/16"\n}\n',
    'module "m" {\n  source = "./m"\n  count  = var.nsub\n  cidr   = "10.${count.index}.0.0/16"\n}\n',
  ],
  'x/m/main.tf': [
    'variable "cidr" {}\nresource "aws_vpc" "mv" {\n  cidr_block = var.cidr\n}\noutput "id" {\n  value = aws_vpc.mv.id\n}\n',
    'variable "cidr" {}\nresource "aws_vpc" "mv" {\n  cidr_block = var.cidr\n}\nresource "aws_subnet" "ms" {\n  vpc_id     = aws_vpc.mv.id\n  cidr_block = cidrsubnet(var.cidr, 4, 1)\n}\n',
  ],
  'x/terraform.tfvars': ['region = "ap-south-1"\n', 'region = "us-west-2"\n', 'region = "us-west-2"\nnsub   = 2\n', 'nsub = 3\n'],
  'x/b.auto.tfvars.json': ['{"nsub": 1}', '{"region": "eu-north-1", "nsub": 2}', '{"region": "eu-north-1"}'],
  'x/vars.tf': [
    'variable "nsub" {}\nresource "aws_subnet" "v" {\n  count      = var.nsub\n  vpc_id     = aws_vpc.a.id\n  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)\n}\n',
    'variable "nsub" {\n  default = 1\n}\n',
  ],
  'x/broken.tf': [
    'resource "aws_vpc" "z" {\n  cidr_block = "10.7.0.0/16"\n',
    'resource "aws_vpc" "z" {\n  cidr_block = "10.7.0.0/16"\n}\n',
  ],
};

type Op =
  | { kind: 'set'; file: number; variant: number; mutate: { at: number; del: number; ins: string } | null }
  | { kind: 'remove'; file: number }
  | { kind: 'build' };

const INSERTS = ['}', '{', '\n', '"', 'x = 1\n', 'local.cidr', 'aws_vpc.a.id', '# c\n', 'resource "aws_vpc" "q" {}\n'];

function mutate(text: string, m: { at: number; del: number; ins: string } | null): string {
  if (!m) return text;
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  return text.slice(0, at) + m.ins + text.slice(at + m.del);
}

/** The fragments a fresh index gives for these files, set in this order. */
function fresh(order: string[], texts: Map<string, string>): ModelFragment[] {
  const idx = new TerraformIndex({ maxFileBytes: 1_000_000 });
  for (const f of order) idx.setFile(f, texts.get(f) as string);
  return idx.build();
}

describe('terraform parser: incremental builds', function () {
  this.timeout(600_000);
  const pool: [string, string[]][] = [];

  before(async () => {
    await initTerraform();
    for (const folder of ['aviatrix-dcf', 'aws-distributed-egress-ok']) {
      for (const [f, t] of exampleFiles(folder, (p) => /\.(tf|tfvars)$/.test(p))) {
        // A second variant with other values (a CIDR or a name changed) and a third without the last block.
        pool.push([
          f,
          [
            t,
            t.replace(/10\.(\d+)\./, '10.2$1.').replace(/"([a-z]+)-/, '"$1x-'),
            t.slice(0, t.lastIndexOf('resource') > 0 ? t.lastIndexOf('resource') : t.length),
          ],
        ]);
      }
    }
    for (const [f, variants] of Object.entries(CROSS)) pool.push([f, variants]);
    for (const f of generateEstate(4, 'terraform')) {
      const m = /v0*(\d+)\.tf$/.exec(f.file);
      pool.push([f.file, m ? [f.text, tfVpc(Number(m[1]), 1), tfVpc(Number(m[1]), 2)] : [f.text]]);
    }
  });

  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        file: fc.nat(),
        variant: fc.nat(),
        mutate: fc.option(fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), ins: fc.constantFrom(...INSERTS) }), { freq: 4 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), file: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('build' as const) }) },
  );

  it('property: setFile/removeFile/build sequences give what a fresh index over the same files gives', () => {
    let incremental = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), fc.nat(), (ops, seed) => {
        const idx = new TerraformIndex({ maxFileBytes: 1_000_000 });
        const texts = new Map<string, string>();
        // Start from a random subset of the pool.
        pool.forEach(([f, v], i) => {
          if ((seed >> (i % 30)) & 1 || i % 3 === 0) {
            idx.setFile(f, v[0]);
            texts.set(f, v[0]);
          }
        });
        const check = () => {
          const got = idx.build();
          if (idx.lastBuild.mode === 'incremental') incremental++;
          assert.deepStrictEqual(new Set(got.map((g) => g.file)), new Set(texts.keys()));
          assert.deepStrictEqual(
            got,
            fresh(
              got.map((g) => g.file),
              texts,
            ),
          );
        };
        check();
        for (const o of ops) {
          if (o.kind === 'build') check();
          else if (o.kind === 'remove') {
            const f = pool[o.file % pool.length][0];
            idx.removeFile(f);
            texts.delete(f);
          } else {
            const [f, variants] = pool[o.file % pool.length];
            const text = mutate(variants[o.variant % variants.length], o.mutate);
            idx.setFile(f, text);
            texts.set(f, text);
          }
        }
        check();
      }),
      // FC_SEED / FC_PATH replay a failure fast-check reported.
      { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
    );
    // The property must exercise the incremental path, not only full rebuilds.
    if (!process.env.FC_PATH) assert.ok(incremental > RUNS / 4, `only ${incremental} incremental builds`);
  });

  it('a removed file set again before the build keeps its place (an editor replacing a file)', () => {
    const idx = new TerraformIndex();
    const files = generateEstate(3, 'terraform');
    for (const f of files) idx.setFile(f.file, f.text);
    const first = idx.build();
    idx.removeFile(files[1].file);
    idx.setFile(files[1].file, tfVpc(0, 1));
    const second = idx.build();
    assert.deepStrictEqual(
      second.map((f) => f.file),
      first.map((f) => f.file),
    );
    assert.equal(idx.lastBuild.mode, 'incremental');
    assert.deepStrictEqual(
      second,
      fresh(
        files.map((f) => f.file),
        new Map(files.map((f, i) => [f.file, i === 1 ? tfVpc(0, 1) : f.text])),
      ),
    );
  });

  it('editing a tfvars file re-evaluates only the files that read the changed variables (and their declarations)', () => {
    const files: Record<string, string> = {
      'variables.tf': 'variable "cidr" {}\nvariable "region" {\n  default = "us-east-1"\n}\nvariable "n" {\n  default = 1\n}\n',
      'provider.tf': 'provider "aws" {\n  region = var.region\n}\n',
      'vpc.tf': 'resource "aws_vpc" "a" {\n  cidr_block = var.cidr\n}\n',
      'subnets.tf':
        'resource "aws_subnet" "s" {\n  count      = var.n\n  vpc_id     = aws_vpc.a.id\n  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)\n}\n',
      'other.tf': 'resource "aws_vpc" "b" {\n  cidr_block = "10.9.0.0/16"\n}\n',
      'terraform.tfvars': 'cidr = "10.0.0.0/16"\n',
    };
    const idx = new TerraformIndex();
    for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
    const before = idx.build();
    const frag = (all: ModelFragment[], f: string) => all.find((x) => x.file === f) as ModelFragment;
    // n: read by subnets.tf (count) and, through aws_vpc.a's id, nothing else changes.
    idx.setFile('terraform.tfvars', 'cidr = "10.0.0.0/16"\nn    = 3\n');
    const after = idx.build();
    assert.equal(idx.lastBuild.mode, 'incremental');
    assert.deepEqual(
      after,
      fresh(Object.keys(files), new Map([...Object.entries(files), ['terraform.tfvars', 'cidr = "10.0.0.0/16"\nn    = 3\n']])),
    );
    assert.equal(frag(after, 'subnets.tf').elements.filter((e) => e.kind === 'subnet').length, 3);
    for (const f of ['vpc.tf', 'other.tf', 'provider.tf']) assert.equal(frag(after, f), frag(before, f), `${f} was rebuilt`);
    assert.ok(idx.lastBuild.recomputed < Object.keys(files).length, `recomputed ${idx.lastBuild.recomputed}`);
    // Dropping cidr: the VPC's CIDR becomes Unknown and the declaration gets its "no value" diagnostic.
    idx.setFile('terraform.tfvars', 'n = 3\n');
    const unset = idx.build();
    assert.equal(idx.lastBuild.mode, 'incremental');
    assert.ok(frag(unset, 'variables.tf').diagnostics.some((d) => /variable "cidr"/.test(d.message)));
    assert.equal(frag(unset, 'other.tf'), frag(before, 'other.tf'));
    assert.deepEqual(unset, fresh(Object.keys(files), new Map([...Object.entries(files), ['terraform.tfvars', 'n = 3\n']])));
  });

  it("a tfvars edit that gives a module call instances it did not have builds the module's files for them", () => {
    // Found by the property above (seed -429007873): the module's file had recorded no reads while the
    // call had no instance, so an incremental build left it without elements.
    const files: Record<string, string> = {
      'vars.tf': 'variable "nsub" {}\n',
      'mod.tf': 'module "m" {\n  source = "./m"\n  count  = var.nsub\n  cidr   = "10.${count.index}.0.0/16"\n}\n',
      'm/main.tf': 'variable "cidr" {}\nresource "aws_vpc" "mv" {\n  cidr_block = var.cidr\n}\n',
    };
    const idx = new TerraformIndex();
    for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
    idx.build();
    idx.setFile('terraform.tfvars', 'nsub = 2\n');
    const after = idx.build();
    const vpcs = after.flatMap((f) => f.elements).filter((e) => e.kind === 'vpc');
    assert.deepEqual(vpcs.map((e) => e.id).sort(), ['module.m[0].aws_vpc.mv', 'module.m[1].aws_vpc.mv']);
    assert.deepEqual(
      after,
      fresh(Object.keys(files).concat('terraform.tfvars'), new Map([...Object.entries(files), ['terraform.tfvars', 'nsub = 2\n']])),
    );
  });

  it('editing one VPC file recomputes only it and leaves every other fragment, and its unchanged elements, the same objects', () => {
    const idx = new TerraformIndex();
    const files = generateEstate(20, 'terraform');
    for (const f of files) idx.setFile(f.file, f.text);
    const before = idx.build();
    const edited = 'vpcs/v00007.tf';
    idx.setFile(edited, tfVpc(7, 3));
    const after = idx.build();
    assert.equal(idx.lastBuild.mode, 'incremental');
    assert.equal(idx.lastBuild.recomputed, 1);
    assert.equal(after.length, before.length);
    for (let i = 0; i < after.length; i++) {
      if (after[i].file === edited) continue;
      assert.equal(after[i], before[i], `${after[i].file} was rebuilt`);
    }
    const was = before.find((f) => f.file === edited) as ModelFragment;
    const now = after.find((f) => f.file === edited) as ModelFragment;
    assert.notEqual(now, was);
    // The edit added one route to the first app table: that table changed (and what follows it moved);
    // the VPC, its subnets and the gateways written before it did not.
    const table = now.elements.find((e) => e.id === 'aws_route_table.v00007_app_a');
    assert.ok(table && table !== was.elements.find((e) => e.id === table.id));
    for (const id of ['aws_vpc.v00007', 'aws_subnet.v00007_app_a', 'aws_nat_gateway.v00007_a']) {
      assert.equal(
        now.elements.find((e) => e.id === id),
        was.elements.find((e) => e.id === id),
        id,
      );
    }
    // Setting the same text again is no change at all; going back to the old text reuses the old objects.
    idx.setFile(edited, tfVpc(7, 3));
    assert.equal(idx.build(), after);
    idx.setFile(edited, files.find((f) => f.file === edited)?.text as string);
    const back = idx.build();
    assert.deepStrictEqual(back, before);
    assert.equal(
      back.find((f) => f.file === edited),
      was,
    );
  });
});
