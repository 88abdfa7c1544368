// Terraform as repositories lay it out: module sources however the folder is spelled, several root
// modules side by side, modules downloaded by `terraform init`, and variables in Terraform's order.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { joinDir, dirOf } from '../../../src/parse/terraform/modules';
import { rootLabels } from '../../../src/parse/terraform/layout';
import type { ModelFragment, TerraformVariables } from '../../../src/parse/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import type { NetworkElement } from '../../../src/model/types';
import { byId } from './helpers';
import { isJsonVarFile, isVarFile, namedVarFiles } from '../../../src/parse/terraform/rootVars';
import { createWorkspace } from '../../../src/parse/workspace';

function build(
  files: Record<string, string>,
  variables?: TerraformVariables,
): { idx: TerraformIndex; frags: ModelFragment[]; els: NetworkElement[]; diags: ParseDiagnostic[] } {
  const idx = new TerraformIndex({ terraformVariables: variables });
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { idx, frags, els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics) };
}

const MODULE = `
variable "name" { type = string }
variable "cidr" { type = string }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
output "vpc_id" { value = aws_vpc.this.id }
`;

function vpcCidr(els: NetworkElement[], id: string): unknown {
  const v = byId(els, id);
  return v.kind === 'vpc' ? v.cidrs[0] : undefined;
}

describe('terraform parser: repository layout', () => {
  before(async () => {
    await initTerraform();
  });

  it('spells each folder once: ./mod, mod, mod/ and a/../mod are the same folder', () => {
    assert.equal(joinDir('.', './mod'), 'mod');
    assert.equal(joinDir('.', 'mod/'), 'mod');
    assert.equal(joinDir('x', '../mod'), 'mod');
    assert.equal(joinDir('examples/complete', '../../'), '.');
    assert.equal(joinDir('.', '../..'), '../..');
    assert.equal(joinDir('/repo/examples/a', '../..'), '/repo');
    assert.equal(joinDir('C:\\repo\\x', '..\\mod'), 'C:\\repo\\mod');
    assert.equal(dirOf('./main.tf'), '.');
    assert.equal(dirOf('./modules/vpc/main.tf'), 'modules/vpc');
    assert.equal(dirOf('a/../b/main.tf'), 'b');
    assert.equal(dirOf('modules/vpc/main.tf'), 'modules/vpc');
  });

  for (const [name, root, mod] of [
    ['from the repository', 'main.tf', 'modules/vpc/main.tf'],
    ['with ./ file keys', './main.tf', './modules/vpc/main.tf'],
    ['from a parent folder', 'infra/main.tf', 'infra/modules/vpc/main.tf'],
    ['by absolute path', '/home/u/infra/main.tf', '/home/u/infra/modules/vpc/main.tf'],
  ] as const) {
    it(`finds source = "./modules/vpc" ${name}`, () => {
      const { els, diags } = build({
        [root]: 'module "vpc" {\n  source = "./modules/vpc"\n  name = "a"\n  cidr = "10.4.0.0/16"\n}\n',
        [mod]: MODULE,
      });
      assert.equal(vpcCidr(els, 'module.vpc.aws_vpc.this'), '10.4.0.0/16');
      assert.deepEqual(
        diags.filter((d) => d.code === 'missing-reference'),
        [],
      );
    });
  }

  it('reads a module above the analysed folder (examples/complete calling ../../) and does not analyse it as a root', () => {
    const { els, idx } = build({
      'main.tf': 'module "net" {\n  source = "../../"\n  name = "c"\n  cidr = "10.5.0.0/16"\n}\n',
      '../../main.tf': MODULE,
    });
    assert.deepEqual(
      els.map((e) => e.id),
      ['module.net.aws_vpc.this', 'module.net.aws_vpc.this.default_route_table'],
    );
    assert.deepEqual(
      idx.roots().map((r) => r.dir),
      ['.'],
    );
  });

  it('asks for the folders of modules it has not read, and for each root manifest', () => {
    const idx = new TerraformIndex();
    idx.setFile('examples/a/main.tf', 'module "net" {\n  source = "../../"\n}\nmodule "reg" {\n  source = "acme/vpc/aws"\n}\n');
    assert.deepEqual(idx.wants(), { dirs: ['.'], files: ['examples/a/.terraform/modules/modules.json'] });
    idx.setFile('main.tf', MODULE);
    idx.setFile(
      'examples/a/.terraform/modules/modules.json',
      JSON.stringify({ Modules: [{ Key: 'reg', Source: 'registry.terraform.io/acme/vpc/aws', Dir: '.terraform/modules/reg' }] }),
    );
    // The repository root is only a module now: only roots have a manifest worth reading.
    assert.deepEqual(idx.wants(), { dirs: ['examples/a/.terraform/modules/reg'], files: [] });
  });

  it('keeps sibling roots apart: ids qualified by root, no duplicate-id, the shared module not a root', () => {
    const call = (cidr: string) => `module "net" {\n  source = "../../modules/net"\n  name = "main"\n  cidr = "${cidr}"\n}\n`;
    const { els, diags, idx } = build({
      'envs/dev/main.tf': call('10.10.0.0/16'),
      'envs/prod/main.tf': call('10.20.0.0/16'),
      'modules/net/main.tf': MODULE,
    });
    assert.deepEqual(
      diags.filter((d) => d.code === 'duplicate-id'),
      [],
    );
    assert.equal(vpcCidr(els, 'dev:module.net.aws_vpc.this'), '10.10.0.0/16');
    assert.equal(vpcCidr(els, 'prod:module.net.aws_vpc.this'), '10.20.0.0/16');
    // The address stays Terraform's own (plan JSON and fixes use it).
    assert.equal(byId(els, 'prod:module.net.aws_vpc.this').address, 'module.net.aws_vpc.this');
    assert.deepEqual(
      idx.roots().map((r) => [r.dir, r.label]),
      [
        ['envs/dev', 'dev'],
        ['envs/prod', 'prod'],
      ],
    );
    // A module folder alone is analysed as a root, with its own variables (here: none given).
    const alone = build({ 'modules/net/main.tf': MODULE });
    assert.deepEqual(
      alone.idx.roots().map((r) => [r.dir, r.label]),
      [['modules/net', '']],
    );
  });

  it('labels roots from their deepest common folder, so the ids do not depend on where the analysis starts', () => {
    assert.deepEqual(
      [...rootLabels(['envs/dev', 'envs/prod'])],
      [
        ['envs/dev', 'dev'],
        ['envs/prod', 'prod'],
      ],
    );
    assert.deepEqual(
      [...rootLabels(['repo/envs/dev', 'repo/envs/prod'])],
      [
        ['repo/envs/dev', 'dev'],
        ['repo/envs/prod', 'prod'],
      ],
    );
    assert.deepEqual(
      [...rootLabels(['/abs/repo/examples/a', '/abs/repo/examples/b', '/abs/repo/live/x'])].map(([, l]) => l),
      ['examples/a', 'examples/b', 'live/x'],
    );
    assert.deepEqual(
      [...rootLabels(['.', 'sub'])].map(([, l]) => l),
      ['.', 'sub'],
    );
    assert.deepEqual([...rootLabels(['only'])], [['only', '']]);
  });

  it('resolves a registry module to its folder from modules.json, though it is under .terraform', () => {
    const files = {
      'main.tf':
        'module "vpc" {\n  source = "acme/vpc/aws"\n  version = "1.0.0"\n  name = "r"\n  cidr = "10.30.0.0/16"\n}\nmodule "sub" {\n  source = "./sub"\n}\n',
      'sub/main.tf': 'module "inner" {\n  source = "git::https://example.com/inner.git"\n  name = "i"\n  cidr = "10.31.0.0/16"\n}\n',
      '.terraform/modules/vpc/main.tf': MODULE,
      '.terraform/modules/inner/main.tf': MODULE,
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'vpc', Source: 'registry.terraform.io/acme/vpc/aws', Version: '1.0.0', Dir: '.terraform/modules/vpc' },
          { Key: 'sub', Source: './sub', Dir: 'sub' },
          { Key: 'sub.inner', Source: 'git::https://example.com/inner.git', Dir: '.terraform/modules/inner' },
        ],
      }),
    };
    const { els, diags, idx } = build(files);
    assert.equal(vpcCidr(els, 'module.vpc.aws_vpc.this'), '10.30.0.0/16');
    assert.equal(vpcCidr(els, 'module.sub.module.inner.aws_vpc.this'), '10.31.0.0/16');
    assert.deepEqual(
      idx.roots().map((r) => r.dir),
      ['.'],
    );
    assert.deepEqual(
      diags.filter((d) => /terraform init/.test(d.message)),
      [],
    );
  });

  it('without modules.json: one diagnostic per remote module call asks for terraform init, and its outputs are Unknown', () => {
    const { els, diags } = build({
      'main.tf': `module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  count  = 2
}
resource "aws_subnet" "s" {
  vpc_id     = module.vpc[0].vpc_id
  cidr_block = "10.0.1.0/24"
}
`,
    });
    const init = diags.filter((d) => /run `terraform init`/.test(d.message));
    assert.equal(init.length, 1, JSON.stringify(diags));
    assert.match(init[0].message, /run `terraform init` to let Egress Lens read terraform-aws-modules\/vpc\/aws/);
    const s = byId(els, 'aws_subnet.s');
    assert.ok(s.kind === 'subnet');
    assert.equal(typeof s.vpc === 'object' && s.vpc !== null && 'unresolved' in s.vpc, true, JSON.stringify(s.vpc));
  });

  it('a downloaded mc-spoke module wins over the built-in approximation, which stays the fallback', () => {
    const call =
      'module "spoke" {\n  source = "terraform-aviatrix-modules/mc-spoke/aviatrix"\n  cloud = "AWS"\n  name = "s1"\n  cidr = "10.40.0.0/16"\n  region = "us-east-1"\n  account = "aws"\n  transit_gw = "t"\n}\n';
    const approx = build({ 'main.tf': call });
    assert.ok(approx.els.some((e) => e.id === 'module.spoke.aviatrix_spoke_gateway.default'));
    assert.ok(approx.diags.some((d) => /terraform init/.test(d.message) && /approximation/.test(d.message)));
    const real = build({
      'main.tf': call,
      '.terraform/modules/spoke/main.tf':
        'variable "name" {}\nvariable "cidr" {}\nresource "aws_vpc" "real" {\n  cidr_block = var.cidr\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: 'spoke', Source: 'registry.terraform.io/terraform-aviatrix-modules/mc-spoke/aviatrix', Dir: '.terraform/modules/spoke' },
        ],
      }),
    });
    assert.deepEqual(
      real.els.map((e) => e.id).filter((id) => id.startsWith('module.spoke.')),
      ['module.spoke.aws_vpc.real', 'module.spoke.aws_vpc.real.default_route_table'],
    );
  });
});

describe('terraform parser: variables in Terraform order', () => {
  before(async () => {
    await initTerraform();
  });

  const vars =
    'variable "a" { default = "default" }\nvariable "b" { default = "default" }\nvariable "c" { default = "default" }\nvariable "d" { default = "default" }\nvariable "e" { default = "default" }\n';
  const use =
    'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  tags = { A = var.a, B = var.b, C = var.c, D = var.d, E = var.e }\n}\n';

  it('defaults < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) by name < var files and --var as given', () => {
    const files = {
      'r/variables.tf': vars,
      'r/main.tf': use,
      // Given in an order unlike Terraform's, to show the index sorts them.
      'r/z.auto.tfvars': 'c = "z.auto"\nd = "z.auto"\n',
      'r/b.auto.tfvars.json': '{ "b": "b.auto.json", "c": "b.auto.json", "d": "b.auto.json" }',
      'r/terraform.tfvars.json': '{ "a": "tfvars.json", "b": "tfvars.json" }',
      'r/terraform.tfvars': 'a = "tfvars"\nb = "tfvars"\ne = "tfvars"\n',
      'r/other.tfvars': 'e = "never: not named"\n',
      'vars/prod.tfvars': 'd = "var-file"\n',
    };
    const tags = (v?: TerraformVariables) => {
      const { els, idx } = build(files, v);
      const vpc = byId(els, 'aws_vpc.v');
      return { tags: vpc.tags, applied: idx.roots()[0].varFiles };
    };
    assert.deepEqual(tags(), {
      tags: { A: 'tfvars.json', B: 'b.auto.json', C: 'z.auto', D: 'z.auto', E: 'tfvars' },
      applied: ['r/terraform.tfvars', 'r/terraform.tfvars.json', 'r/b.auto.tfvars.json', 'r/z.auto.tfvars'],
    });
    const given = tags({ extra: [{ name: 'd', value: 'cli' }, { file: 'vars/prod.tfvars' }, { name: 'e', value: 'cli-e' }] });
    assert.deepEqual(given.tags, { A: 'tfvars.json', B: 'b.auto.json', C: 'z.auto', D: 'var-file', E: 'cli-e' });
    assert.deepEqual(given.applied.slice(4), ['--var d', 'vars/prod.tfvars', '--var e']);
    // An entry limited to another root is not applied here.
    assert.equal(tags({ extra: [{ name: 'd', value: 'x', roots: ['elsewhere'] }] }).tags?.D, 'z.auto');
  });

  it('--var takes a string as written, and an HCL value for other types', () => {
    const { els } = build(
      {
        'main.tf':
          'variable "cidr" { type = string }\nvariable "azs" { type = list(string) }\nresource "aws_subnet" "s" {\n  count = length(var.azs)\n  vpc_id = "vpc-1"\n  cidr_block = cidrsubnet(var.cidr, 8, count.index)\n  availability_zone = var.azs[count.index]\n}\n',
      },
      {
        extra: [
          { name: 'cidr', value: '10.9.0.0/16' },
          { name: 'azs', value: '["eu-west-1a", "eu-west-1b"]' },
        ],
      },
    );
    const s1 = byId(els, 'aws_subnet.s[1]');
    assert.ok(s1.kind === 'subnet');
    assert.equal(s1.cidr, '10.9.1.0/24');
    assert.equal(s1.az, 'eu-west-1b');
  });

  it('a root variable with no default and no value is Unknown, with one diagnostic naming it and how to give it', () => {
    const { els, diags } = build({ 'main.tf': 'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n' });
    const d = diags.filter((x) => /variable "cidr" has no default and no value/.test(x.message));
    assert.equal(d.length, 1);
    assert.match(d[0].message, /terraform\.tfvars.*--var-file.*--var cidr=/);
    assert.equal(d[0].loc.range.start.line, 0);
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    assert.equal(typeof v.cidrs[0], 'object');
    // A child module's variable gets its value from the call: no such diagnostic.
    const child = build({
      'main.tf': 'module "m" {\n  source = "./m"\n  cidr = "10.0.0.0/16"\n}\n',
      'm/main.tf': 'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n',
    });
    assert.deepEqual(
      child.diags.filter((x) => /no default and no value/.test(x.message)),
      [],
    );
  });

  it("a var file the user names is read whatever its name: HCL, JSON when the name ends in .json; unnamed, only Terraform's own names load", () => {
    const files = {
      'r/variables.tf': vars,
      'r/main.tf': use,
      'r/template.auto.tfvars': 'a = "auto"\n',
      'r/terraform.tfvars-example': 'b = "example"\nc = "example"\n',
      'r/terraform-tfvars.sample': 'c = "sample"\n',
      'r/sample.json': '{ "d": "json", "e": ["x"] }',
    };
    const run = (v?: TerraformVariables) => {
      const { els, idx, diags } = build(files, v);
      return { tags: byId(els, 'aws_vpc.v').tags, applied: idx.roots()[0].varFiles, diags };
    };
    // Not named: the samples are not variables (terraform apply without -var-file ignores them).
    const plain = run();
    assert.deepEqual(plain.tags, { A: 'auto', B: 'default', C: 'default', D: 'default', E: 'default' });
    assert.deepEqual(plain.applied, ['r/template.auto.tfvars']);
    const named = run({
      extra: [{ file: 'r/terraform.tfvars-example' }, { file: 'r/terraform-tfvars.sample' }, { file: 'r/sample.json' }],
    });
    assert.equal(named.tags?.A, 'auto');
    assert.equal(named.tags?.B, 'example');
    assert.equal(named.tags?.C, 'sample', 'a later var file wins');
    assert.equal(named.tags?.D, 'json', 'a .json name is read as JSON');
    assert.deepEqual(named.applied, ['r/template.auto.tfvars', 'r/terraform.tfvars-example', 'r/terraform-tfvars.sample', 'r/sample.json']);
    assert.deepEqual(
      named.diags.filter((d) => d.severity === 'error'),
      [],
    );
    // A sample that does not parse: located errors in it, as terraform -var-file would fail.
    const broken = build(
      { ...files, 'r/terraform.tfvars-example': 'b = "unterminated\n' },
      { extra: [{ file: 'r/terraform.tfvars-example' }] },
    );
    const err = broken.diags.filter((d) => d.code === 'syntax-error');
    assert.ok(err.length > 0);
    assert.ok(err.every((d) => d.loc.file === 'r/terraform.tfvars-example'));
    const notObject = build({ ...files, 'r/sample.json': '["d"]' }, { extra: [{ file: 'r/sample.json' }] });
    assert.deepEqual(
      notObject.diags.filter((d) => d.code === 'syntax-error').map((d) => [d.loc.file, d.message]),
      [['r/sample.json', 'A JSON variables file must hold one JSON object of variable values']],
    );
  });

  it('path rules: *.tfvars(.json) are variables files by name, any other name only when named, .tf never; .json is JSON', () => {
    const named = namedVarFiles({ extra: [{ file: 'r/terraform.tfvars-example' }, { name: 'x', value: '1' }, { file: 'r/main.tf' }] });
    assert.deepEqual([...named], ['r/terraform.tfvars-example', 'r/main.tf']);
    assert.equal(isVarFile('r/prod.tfvars'), true);
    assert.equal(isVarFile('r/prod.TFVARS.json'), true);
    assert.equal(isVarFile('r/terraform.tfvars-example'), false);
    assert.equal(isVarFile('r/terraform.tfvars-example', named), true);
    assert.equal(isVarFile('r/other.tfvars-example', named), false);
    assert.equal(isVarFile('r/main.tf', named), false, 'module code stays module code');
    assert.equal(isJsonVarFile('r/sample.json'), true);
    assert.equal(isJsonVarFile('r/b.auto.tfvars.json'), true);
    assert.equal(isJsonVarFile('r/terraform.tfvars-example'), false);
    assert.equal(isJsonVarFile('r/vars.json.sample'), false);
  });

  it('the workspace hands a named var file to Terraform whatever its name or content looks like', async () => {
    const text = '{ "AWSTemplateFormatVersion": "no", "cidr": "10.7.0.0/16" }';
    const files: Record<string, string> = {
      'r/main.tf': 'variable "cidr" { default = "10.0.0.0/16" }\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n',
      'r/vars.json': text,
    };
    const run = async (named: boolean) => {
      const ws = await createWorkspace({ terraformVariables: named ? { extra: [{ file: 'r/vars.json' }] } : undefined });
      for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
      const b = ws.build();
      return { cidr: vpcCidr(b.model.elements, 'aws_vpc.v'), format: b.files.find((f) => f.file === 'r/vars.json')?.format };
    };
    assert.deepEqual(await run(true), { cidr: '10.7.0.0/16', format: 'terraform' });
    assert.notEqual((await run(false)).format, 'terraform');
    assert.equal((await run(false)).cidr, '10.0.0.0/16');
  });

  it('an edited var file with a sample name gives what a fresh build gives', () => {
    const files: Record<string, string> = {
      'r/variables.tf': 'variable "cidr" { default = "10.0.0.0/16" }\n',
      'r/vpc.tf': 'resource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n',
      'r/terraform.tfvars-example': 'cidr = "10.1.0.0/16"\n',
    };
    const given: TerraformVariables = { extra: [{ file: 'r/terraform.tfvars-example' }] };
    const idx = new TerraformIndex({ terraformVariables: given });
    for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
    assert.equal(
      vpcCidr(
        idx.build().flatMap((f) => f.elements),
        'aws_vpc.v',
      ),
      '10.1.0.0/16',
    );
    idx.setFile('r/terraform.tfvars-example', 'cidr = "10.2.0.0/16"\n');
    const second = idx.build();
    assert.equal(idx.lastBuild.mode, 'incremental');
    const fresh = build({ ...files, 'r/terraform.tfvars-example': 'cidr = "10.2.0.0/16"\n' }, given);
    assert.deepEqual(
      second.flatMap((f) => f.elements),
      fresh.els,
    );
    assert.equal(vpcCidr(fresh.els, 'aws_vpc.v'), '10.2.0.0/16');
  });

  it('an edited tfvars file gives what a fresh build gives', () => {
    const files: Record<string, string> = {
      'r/variables.tf': 'variable "cidr" { default = "10.0.0.0/16" }\nvariable "other" { default = "x" }\n',
      'r/vpc.tf': 'resource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n',
      'r/other.tf': 'resource "aws_vpc" "w" {\n  cidr_block = "10.50.0.0/16"\n  tags = { O = var.other }\n}\n',
      'r/terraform.tfvars': 'cidr = "10.1.0.0/16"\n',
    };
    const idx = new TerraformIndex();
    for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
    const first = idx.build();
    idx.setFile('r/terraform.tfvars', 'cidr = "10.2.0.0/16"\n');
    const second = idx.build();
    // Unchanged elements stay the same objects (the analysis compares by identity).
    assert.equal(
      second.find((f) => f.file === 'r/other.tf'),
      first.find((f) => f.file === 'r/other.tf'),
    );
    const fresh = build({ ...files, 'r/terraform.tfvars': 'cidr = "10.2.0.0/16"\n' });
    assert.deepEqual(
      second.flatMap((f) => f.elements),
      fresh.els,
    );
    assert.equal(vpcCidr(fresh.els, 'aws_vpc.v'), '10.2.0.0/16');
  });
});
