// The CLI on Terraform repositories laid out as teams lay them out (test/fixtures/tf-layout): the
// same verdicts from the repository, from its parent and by absolute path; sibling roots apart;
// modules read from outside the analysed folder and from modules.json; variables in Terraform's order.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportSchemaErrors, ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'tf-layout');

interface Doc {
  states: { vpc: string; state: string }[];
  findings: { code: string; elementId: string }[];
  parseDiagnostics: { code: string; message: string }[];
  model: { elements: { id: string; name: string; tags?: Record<string, string> }[] };
  terraformRoots?: { dir: string; label: string; varFiles: string[] }[];
}

function run(args: string[], cwd: string): Doc {
  const r = cli(['analyze', ...args, '--format', 'json', '--fail-on', 'never'], cwd);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Doc;
  assert.deepEqual(reportSchemaErrors(doc), []);
  return doc;
}

/** What must not depend on where the CLI starts: verdicts, ids, diagnostics, roots (paths aside). */
function verdicts(d: Doc): unknown {
  return {
    states: d.states.map((s) => [s.vpc, s.state]).sort(),
    findings: d.findings.map((f) => [f.code, f.elementId]).sort(),
    ids: d.model.elements.map((e) => e.id).sort(),
    diags: d.parseDiagnostics.map((x) => [x.code, x.message]).sort(),
    roots: (d.terraformRoots ?? []).map((r) => [r.label, r.varFiles.map((f) => path.basename(f))]),
  };
}

describe('cli: Terraform repository layouts', function () {
  this.timeout(180_000);
  before(ensureBuilt);

  for (const repo of ['module-repo', 'envs-repo', 'registry-root']) {
    it(`${repo}: the same verdicts from the repository, its parent and an absolute path`, () => {
      const here = run(['.'], path.join(FIX, repo));
      const parent = run([repo], FIX);
      const abs = run([path.join(FIX, repo)], path.parse(FIX).root);
      assert.deepEqual(verdicts(parent), verdicts(here));
      assert.deepEqual(verdicts(abs), verdicts(here));
      assert.ok(here.model.elements.length > 0);
    });
  }

  it('module-repo: examples/a and examples/b are separate roots calling ../../; the repository root is only a module', () => {
    const d = run(['.'], path.join(FIX, 'module-repo'));
    assert.deepEqual(
      d.terraformRoots?.map((r) => [r.dir, r.label]),
      [
        ['examples/a', 'a'],
        ['examples/b', 'b'],
      ],
    );
    assert.equal(d.parseDiagnostics.filter((x) => x.code === 'duplicate-id').length, 0);
    assert.deepEqual(d.states.map((s) => s.vpc).sort(), ['a:module.net.aws_vpc.this', 'b:module.net.aws_vpc.this']);
    // b turns NAT off: only a has a NAT gateway.
    assert.deepEqual(
      d.model.elements.filter((e) => /aws_nat_gateway/.test(e.id)).map((e) => e.id),
      ['a:module.net.aws_nat_gateway.this[0]'],
    );
    // Started inside examples/a, the module above it is read as terraform reads it.
    const inside = run(['.'], path.join(FIX, 'module-repo', 'examples', 'a'));
    assert.ok(inside.model.elements.some((e) => e.id === 'module.net.aws_nat_gateway.this[0]'));
    assert.equal(inside.parseDiagnostics.filter((x) => x.code === 'missing-reference').length, 0);
  });

  it('envs-repo: tfvars in Terraform order per root, --var-file and --var after them, a missing value named', () => {
    const d = run(['.'], path.join(FIX, 'envs-repo'));
    const dev = d.terraformRoots?.find((r) => r.label === 'dev');
    assert.deepEqual(dev?.varFiles, [
      'envs/dev/terraform.tfvars',
      'envs/dev/terraform.tfvars.json',
      'envs/dev/a.auto.tfvars',
      'envs/dev/b.auto.tfvars.json',
    ]);
    assert.equal(d.model.elements.find((e) => e.id === 'dev:module.network.aws_vpc.this')?.name, 'dev-auto-b');
    assert.ok(
      d.model.elements.some((e) => e.id === 'dev:module.network.aws_nat_gateway.this[0]'),
      'enable_nat from terraform.tfvars.json',
    );
    // prod's enable_nat has no value: its NAT gateway is undecided (an Unknown instance), never a guess.
    assert.ok(!d.model.elements.some((e) => e.id === 'prod:module.network.aws_nat_gateway.this[0]'));
    assert.equal(d.states.find((s) => s.vpc === 'prod:module.network.aws_vpc.this')?.state, 'Unknown');
    assert.ok(d.parseDiagnostics.some((x) => /variable "enable_nat" of root prod has no default and no value/.test(x.message)));
    const text = cli(['analyze', '.', '--fail-on', 'never'], path.join(FIX, 'envs-repo')).stdout;
    assert.match(
      text,
      /Terraform root modules \(2\)\n {2}dev: envs\/dev {2}var files: envs\/dev\/terraform\.tfvars, envs\/dev\/terraform\.tfvars\.json, envs\/dev\/a\.auto\.tfvars, envs\/dev\/b\.auto\.tfvars\.json\n {2}prod: envs\/prod {2}var files: none/,
    );
    assert.match(text, /== Root dev \(envs\/dev\)/);

    const withFile = run(['.', '--var-file', 'envs/prod/prod.tfvars'], path.join(FIX, 'envs-repo'));
    assert.ok(withFile.model.elements.some((e) => e.id === 'prod:module.network.aws_nat_gateway.this[0]'));
    assert.ok(!withFile.parseDiagnostics.some((x) => /no default and no value/.test(x.message)));
    const withVar = run(['.', '--var', 'enable_nat=true', '--var=name=cli'], path.join(FIX, 'envs-repo'));
    assert.ok(withVar.model.elements.some((e) => e.id === 'prod:module.network.aws_nat_gateway.this[0]'));
    assert.equal(
      withVar.model.elements.find((e) => e.id === 'dev:module.network.aws_vpc.this')?.name,
      'cli',
      '--var comes after every tfvars file',
    );
    assert.deepEqual(withVar.terraformRoots?.find((r) => r.label === 'prod')?.varFiles, ['--var enable_nat', '--var name']);
    const missing = cli(['analyze', '.', '--var-file', 'nope.tfvars'], path.join(FIX, 'envs-repo'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--var-file nope\.tfvars: no such file/);
    assert.equal(cli(['analyze', '.', '--var', 'novalue'], path.join(FIX, 'envs-repo')).code, 2);
  });

  it('envs-repo: --var-file takes any name, as terraform -var-file (HCL; JSON when it ends in .json); a broken one is a located input error', () => {
    const repo = path.join(FIX, 'envs-repo');
    // The prod root: labelled "prod" beside dev, unlabelled when analysed alone.
    const prod = (d: Doc, label = 'prod') => ({
      name: d.model.elements.find((e) => e.id === `${label ? `${label}:` : ''}module.network.aws_vpc.this`)?.name,
      nat: d.model.elements.some((e) => e.id === `${label ? `${label}:` : ''}module.network.aws_nat_gateway.this[0]`),
      applied: d.terraformRoots?.find((r) => r.label === label)?.varFiles,
      missing: d.parseDiagnostics.filter((x) => /no default and no value/.test(x.message)).length,
    });
    // Without the option the samples are not variables: prod's NAT stays undecided.
    assert.deepEqual(prod(run(['.'], repo)), { name: 'prod', nat: false, applied: [], missing: 1 });
    assert.deepEqual(prod(run(['.', '--var-file', 'envs/prod/prod.tfvars-example'], repo)), {
      name: 'prod-example',
      nat: true,
      applied: ['envs/prod/prod.tfvars-example'],
      missing: 0,
    });
    // From inside the root, as a user runs `terraform apply -var-file=sample.json` there.
    assert.deepEqual(prod(run(['.', '--var-file', 'sample.json'], path.join(repo, 'envs', 'prod')), ''), {
      name: 'prod-json',
      nat: true,
      applied: ['sample.json'],
      missing: 0,
    });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'el-varfile-'));
    try {
      fs.writeFileSync(path.join(tmp, 'broken.sample'), 'name = "prod\nenable_nat = true\n');
      const broken = cli(['analyze', '.', '--var-file', path.join(tmp, 'broken.sample')], path.join(repo, 'envs', 'prod'));
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /broken\.sample:\d+:\d+: syntax-error: /);
      fs.writeFileSync(path.join(tmp, 'list.json'), '["enable_nat"]');
      const list = cli(['analyze', '.', '--var-file', path.join(tmp, 'list.json')], path.join(repo, 'envs', 'prod'));
      assert.equal(list.code, 2);
      assert.match(list.stderr, /list\.json:1:1: syntax-error: A JSON variables file must hold one JSON object of variable values/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const dir = cli(['analyze', '.', '--var-file', 'envs'], repo);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /--var-file envs: not a regular file/);
    const code = cli(['analyze', '.', '--var-file', 'envs/prod/main.tf'], repo);
    assert.equal(code.code, 2);
    assert.match(code.stderr, /--var-file envs\/prod\/main\.tf: a \.tf file is module code/);
  });

  it('registry-root: a downloaded module is read through modules.json; a module not downloaded asks for terraform init', () => {
    const d = run(['.'], path.join(FIX, 'registry-root'));
    assert.ok(d.model.elements.some((e) => e.id === 'module.vpc.aws_nat_gateway.this[0]'));
    assert.deepEqual(
      d.parseDiagnostics.filter((x) => /run `terraform init`/.test(x.message)).map((x) => x.message),
      [
        'module.not_downloaded: run `terraform init` to let Egress Lens read git::https://example.com/acme/tgw.git?ref=v2; until then its resources are not modelled and its outputs are Unknown',
      ],
    );
    assert.deepEqual(
      d.terraformRoots?.map((r) => r.dir),
      ['.'],
    );
  });
});
