// The CLI reads the files a configuration's file() names only inside the repository holding the folder analysed (its
// git work tree, else that folder): a module elsewhere in the repository reads its own files; a path climbing out
// of it, or a link inside it to a file outside, is never read (F114).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRoots } from '../../../src/cli/files';
import { cli, ensureBuilt } from './cliHarness';

/** A repository with a root folder envs/dev calling modules/net, and a file beside the repository. */
function repo(git: boolean): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-file-fn-'));
  process.once('exit', () => fs.rmSync(top, { recursive: true, force: true }));
  const r = path.join(top, 'repo');
  fs.mkdirSync(path.join(r, 'envs', 'dev'), { recursive: true });
  fs.mkdirSync(path.join(r, 'modules', 'net'), { recursive: true });
  if (git) fs.mkdirSync(path.join(r, '.git'));
  fs.writeFileSync(path.join(top, 'outside.txt'), '10.9.0.0/16\n');
  fs.writeFileSync(path.join(r, 'modules', 'net', 'cidr.txt'), '10.7.0.0/16\n');
  fs.writeFileSync(path.join(r, 'envs', 'dev', 'own.txt'), '10.6.0.0/16\n');
  fs.writeFileSync(
    path.join(r, 'envs', 'dev', 'main.tf'),
    'module "net" {\n  source = "../../modules/net"\n}\nresource "aws_vpc" "escape" {\n  cidr_block = trimspace(file("../../../outside.txt"))\n}\n' +
      'resource "aws_vpc" "own" {\n  cidr_block = trimspace(file("${path.module}/own.txt"))\n}\n',
  );
  fs.writeFileSync(
    path.join(r, 'modules', 'net', 'main.tf'),
    'resource "aws_vpc" "inside" {\n  cidr_block = trimspace(file("${path.module}/cidr.txt"))\n}\n' +
      'resource "aws_vpc" "linked" {\n  cidr_block = trimspace(file("${path.module}/link.txt"))\n}\n',
  );
  try {
    fs.symlinkSync(path.join(top, 'outside.txt'), path.join(r, 'modules', 'net', 'link.txt'));
  } catch {
    /* no links here: the link case is then the absent file's */
  }
  return r;
}

const unresolved = (stdout: string, vpc: string): string | undefined =>
  stdout.split('\n').find((l) => l.includes('unresolved-value') && l.includes(vpc === 'escape' ? 'outside.txt' : `${vpc}.txt`));

describe('CLI: file() reads inside the repository only', function () {
  this.timeout(60_000);
  before(ensureBuilt);

  it('in a git work tree: the module elsewhere in it reads its file; ../ out of it and a link to outside are not read', () => {
    const r = repo(true);
    const run = cli(['analyze', '.'], path.join(r, 'envs', 'dev'));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(unresolved(run.stdout, 'cidr'), undefined, run.stdout);
    assert.equal(unresolved(run.stdout, 'own'), undefined, run.stdout);
    assert.match(unresolved(run.stdout, 'escape') ?? '', /\.\.\/\.\.\/\.\.\/outside\.txt is outside the folders analysed/);
    assert.match(unresolved(run.stdout, 'link') ?? '', /link\.txt is not in the inputs/);
    assert.doesNotMatch(run.stdout, /10\.9\.0\.0/);
  });

  it('outside any work tree the folder given is the limit, but a module read from beside it reads its own files', () => {
    const r = repo(false);
    const run = cli(['analyze', '.'], path.join(r, 'envs', 'dev'));
    // Its .tf files are read, so are the files of its folder (a user data template beside it; review R7).
    assert.equal(unresolved(run.stdout, 'cidr'), undefined, run.stdout);
    assert.match(unresolved(run.stdout, 'escape') ?? '', /outside\.txt is outside the folders analysed/);
    assert.doesNotMatch(run.stdout, /10\.9\.0\.0/);
    assert.equal(unresolved(run.stdout, 'own'), undefined, run.stdout);
    assert.deepEqual(readRoots(['.'], path.join(r, 'envs', 'dev')).keys, ['.']);
    fs.mkdirSync(path.join(r, '.git'));
    assert.deepEqual(readRoots(['.', 'main.tf'], path.join(r, 'envs', 'dev')).keys, ['../..']);
  });

  it('a file looked for inside the work tree and not there: fileexists() false, file() fails; under a link out, unknown (review R15)', () => {
    const r = repo(true);
    const dev = path.join(r, 'envs', 'dev');
    fs.mkdirSync(path.join(path.dirname(r), 'elsewhere'));
    let linked = true;
    try {
      fs.symlinkSync(path.join(path.dirname(r), 'elsewhere'), path.join(dev, 'out-link'));
    } catch {
      linked = false;
    }
    fs.appendFileSync(
      path.join(dev, 'main.tf'),
      'resource "aws_vpc" "opt" {\n  cidr_block = fileexists("${path.module}/extra.csv") ? "10.1.0.0/16" : "10.2.0.0/16"\n}\n' +
        'resource "aws_vpc" "gone" {\n  cidr_block = trimspace(file("${path.module}/gone.txt"))\n}\n' +
        'resource "aws_vpc" "far" {\n  cidr_block = fileexists("${path.module}/out-link/x.csv") ? "10.3.0.0/16" : "10.4.0.0/16"\n}\n',
    );
    const run = cli(['analyze', '.', '--format', 'json'], dev);
    assert.equal(run.code, 0, run.stderr);
    const vpcs = new Map<string, unknown>();
    const walk = (o: unknown): void => {
      if (Array.isArray(o)) o.forEach(walk);
      else if (o && typeof o === 'object') {
        const e = o as { kind?: string; id?: string; cidrs?: unknown[] };
        if (e.kind === 'vpc' && e.id) vpcs.set(e.id, e.cidrs?.[0]);
        Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(run.stdout));
    assert.equal(vpcs.get('aws_vpc.opt'), '10.2.0.0/16');
    assert.match((vpcs.get('aws_vpc.gone') as { reason: string }).reason, /^file\(\): no file exists at gone\.txt$/);
    // A folder reached through a link leading out of the work tree is not looked in: unknown, not false.
    if (linked) assert.match((vpcs.get('aws_vpc.far') as { reason: string }).reason, /out-link\/x\.csv is not in the inputs/);
  });

  it('a file text quoted in a reason is described, not quoted whole, in every output format (review R1)', () => {
    const r = repo(true);
    const dev = path.join(r, 'envs', 'dev');
    fs.writeFileSync(path.join(dev, 'blob.txt'), `MARKER-${'x'.repeat(100)}\nsecond line MARKER-END\n`);
    fs.writeFileSync(
      path.join(dev, 'main.tf'),
      'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\nresource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.v.id\n  cidr_block = "10.0.1.0/24"\n}\n' +
        'resource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.v.id\n}\nresource "aws_route_table" "rt" {\n  vpc_id = aws_vpc.v.id\n' +
        '  route {\n    cidr_block = trimspace(file("blob.txt"))\n    gateway_id = aws_internet_gateway.g.id\n  }\n}\n' +
        'resource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.s.id\n  route_table_id = aws_route_table.rt.id\n}\n',
    );
    for (const format of ['text', 'json', 'sarif', 'html']) {
      const out = path.join(r, `report.${format}`);
      const run = cli(['analyze', '.', '--format', format, '--out', out], dev);
      assert.equal(run.code, 0, run.stderr);
      const report = fs.readFileSync(out, 'utf8');
      assert.match(report, /cidr_block is a text of 130 characters, not a CIDR/, format);
      assert.doesNotMatch(report + run.stdout + run.stderr, /MARKER/, format);
    }
  });

  it('a file text used as a name or tag is not shown; dotenv, key and credentials files are never read (review s15 R18)', () => {
    const r = repo(true);
    const dev = path.join(r, 'envs', 'dev');
    fs.writeFileSync(path.join(dev, 'notes.txt'), 'NAMEMARK-ghp_AAAA\nsecond line\n');
    fs.writeFileSync(path.join(dev, '.env'), 'TOKEN=ENVMARK-ghp_BBBB\n');
    fs.writeFileSync(path.join(dev, 'id_rsa'), 'KEYMARK-----\n');
    fs.writeFileSync(
      path.join(dev, 'main.tf'),
      'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  tags = { Name = file("notes.txt"), Owner = file("notes.txt") }\n}\n' +
        'resource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.v.id\n  cidr_block = "10.0.1.0/24"\n  tags = { Name = trimspace(file(".env")) }\n}\n' +
        'resource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.v.id\n  tags = { Name = file("id_rsa") }\n}\n',
    );
    for (const format of ['text', 'json', 'sarif', 'html']) {
      const out = path.join(r, `report.${format}`);
      const run = cli(['analyze', '.', '--format', format, '--out', out], dev);
      assert.equal(run.code, 0, run.stderr);
      const report = fs.readFileSync(out, 'utf8');
      assert.doesNotMatch(report + run.stdout + run.stderr, /NAMEMARK|ENVMARK|KEYMARK/, format);
    }
  });

  it('never reads the .git folder or a state file, though inside the work tree (review R1)', () => {
    const r = repo(true);
    fs.writeFileSync(path.join(r, '.git', 'config'), '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu\n');
    fs.writeFileSync(path.join(r, 'envs', 'dev', 'terraform.tfstate'), '{"secret": "c2VjcmV0LXRva2Vu"}');
    fs.appendFileSync(
      path.join(r, 'envs', 'dev', 'main.tf'),
      'resource "aws_vpc" "git" {\n  cidr_block = trimspace(file("${path.root}/../../.git/config"))\n}\n' +
        'resource "aws_vpc" "state" {\n  cidr_block = file("terraform.tfstate")\n}\n',
    );
    for (const format of ['text', 'json', 'sarif', 'html']) {
      const out = path.join(r, `report.${format}`);
      const run = cli(['analyze', '.', '--format', format, '--out', out], path.join(r, 'envs', 'dev'));
      assert.equal(run.code, 0, run.stderr);
      const report = fs.readFileSync(out, 'utf8');
      assert.match(report, /a git, state or credentials file: it is never read/, format);
      assert.doesNotMatch(report + run.stdout + run.stderr, /c2VjcmV0LXRva2Vu/, format);
    }
  });
});
