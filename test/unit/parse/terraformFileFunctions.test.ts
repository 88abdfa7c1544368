// file(), fileexists() and csvdecode() (F114): a configuration keeps rule lists in files of the repository and reads
// them with `csvdecode(file("${path.module}/..."))`. The file is read when the inputs hold it and it lies inside the
// folders analysed (ParseOptions.readRoots); a path outside them is never asked for, whatever it is written as.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import { csvRecords } from '../../../src/parse/terraform/functions';
import { insideRoots } from '../../../src/parse/terraform/modules';
import type { Vpc } from '../../../src/model/types';
import { isUnresolved } from '../../../src/model/types';

/** The CIDR of every VPC the files give, by id: a value, or `? <reason>` when unresolved. */
function cidrs(files: Record<string, string>, readRoots?: string[]): { got: Record<string, string>; wants: string[] } {
  const idx = new TerraformIndex(readRoots ? { readRoots } : {});
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const got: Record<string, string> = {};
  for (const e of idx.build().flatMap((f) => f.elements))
    if (e.kind === 'vpc') {
      const c = e.cidrs[0];
      got[e.id] = isUnresolved(c) ? `? ${c.reason}` : c;
    }
  // Each root folder's modules.json is wanted too (terraform init's manifest): not a file the configuration reads.
  return { got, wants: idx.wants().files.filter((f) => !f.endsWith('modules.json')) };
}

/** A VPC per row of a CSV the module reads with `path`, keyed by its `name` column. */
const perRow = (path: string) => `locals {
  rows = csvdecode(file(${path}))
}
resource "aws_vpc" "v" {
  for_each   = { for r in local.rows : r.name => r }
  cidr_block = each.value.cidr
}
`;

/** One VPC whose CIDR is a file's text, trimmed. */
const whole = (path: string) => `resource "aws_vpc" "v" {
  cidr_block = trimspace(file(${path}))
}
`;

describe('terraform: file(), fileexists(), csvdecode()', () => {
  before(async () => {
    await initTerraform();
  });

  describe('csvdecode (Go encoding/csv, as Terraform)', () => {
    it('quoted fields hold commas, line breaks and doubled quotes; CRLF ends a line as LF; empty lines are skipped', () => {
      assert.deepEqual(csvRecords('a,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"two\r\nlines",\n'), [
        ['a', 'b', 'c'],
        ['1', 'x, y', 'say "hi"'],
        ['2', 'two\nlines', ''],
      ]);
      // No newline at the end, a carriage return ending the text dropped as Go does.
      assert.deepEqual(csvRecords('a,b\n1,2\r'), [
        ['a', 'b'],
        ['1', '2'],
      ]);
    });

    it('a record with another number of fields than the header, a stray or unclosed quote are errors', () => {
      assert.deepEqual(csvRecords('a,b,c\n1,2,3\n4,5\n'), { error: 'line 3 has 2 fields, the header 3' });
      assert.deepEqual(csvRecords('a,b\n1,x"y\n'), { error: 'line 2: a quote inside a field that is not quoted' });
      assert.deepEqual(csvRecords('a,b\n1,"x"y\n'), { error: "line 2: text after a quoted field's closing quote" });
      assert.deepEqual(csvRecords('a,b\n1,"x\n'), { error: 'line 2: a quoted field is not closed' });
      // A space before a quote makes the quote part of an unquoted field (no lazy quotes).
      assert.deepEqual(csvRecords('a,b\n1, "x"\n'), { error: 'line 2: a quote inside a field that is not quoted' });
    });

    it('the header row names the values, all strings; a malformed file leaves what reads it unresolved with the reason', () => {
      const csv = 'name,cidr,note\nalpha,10.1.0.0/16,"first, of two"\nbeta,10.2.0.0/16,\n';
      const { got } = cidrs({ 'main.tf': perRow('"${path.module}/nets.csv"'), 'nets.csv': csv });
      assert.deepEqual(got, { 'aws_vpc.v["alpha"]': '10.1.0.0/16', 'aws_vpc.v["beta"]': '10.2.0.0/16' });
      const bad = cidrs({ 'main.tf': perRow('"${path.module}/nets.csv"'), 'nets.csv': 'name,cidr\nalpha,10.1.0.0/16,extra\n' });
      assert.deepEqual(Object.keys(bad.got), ['aws_vpc.v["?"]']);
      const idx = new TerraformIndex();
      idx.setFile('main.tf', perRow('"${path.module}/nets.csv"'));
      idx.setFile('nets.csv', 'name,cidr\nalpha,10.1.0.0/16,extra\n');
      const diags = idx.build().flatMap((f) => f.diagnostics);
      assert.ok(
        diags.some((d) => /csvdecode: line 2 has 3 fields, the header 2/.test(d.message)),
        diags.map((d) => d.message).join('\n'),
      );
      // A repeated column name is an error in Terraform (review R4), not the last column's value.
      const dupIdx = new TerraformIndex();
      dupIdx.setFile('main.tf', perRow('"${path.module}/nets.csv"'));
      dupIdx.setFile('nets.csv', 'name,cidr,cidr\nalpha,10.1.0.0/16,10.9.0.0/16\n');
      const dupDiags = dupIdx.build().flatMap((f) => f.diagnostics);
      assert.ok(
        dupDiags.some((d) => /csvdecode: duplicate column name "cidr"/.test(d.message)),
        dupDiags.map((d) => d.message).join('\n'),
      );
    });
  });

  describe('file()', () => {
    it('reads a file of the configuration by path.module, path.root or a relative path, from the root module folder', () => {
      const files = {
        'env/main.tf': 'module "net" {\n  source = "../modules/net"\n}\n',
        'modules/net/main.tf': whole('"${path.module}/cidr.txt"') + whole('"${path.root}/root.txt"').replace('"v"', '"w"'),
        'modules/net/cidr.txt': '10.7.0.0/16\n',
        'env/root.txt': '10.8.0.0/16\n',
      };
      assert.deepEqual(cidrs(files).got, { 'module.net.aws_vpc.v': '10.7.0.0/16', 'module.net.aws_vpc.w': '10.8.0.0/16' });
      // Terraform takes a relative path from the folder it runs in (the root module's), not the module's.
      const rel = { ...files, 'modules/net/main.tf': whole('"../modules/net/cidr.txt"') };
      assert.deepEqual(cidrs(rel).got, { 'module.net.aws_vpc.v': '10.7.0.0/16' });
    });

    it('a file not given yet is asked for (the front ends read it and build again) and is unresolved until then', () => {
      const { got, wants } = cidrs({ 'main.tf': whole('"${path.module}/cidr.txt"') });
      assert.deepEqual(got, { 'aws_vpc.v': '? file(): cidr.txt is not in the inputs' });
      assert.deepEqual(wants, ['cidr.txt']);
    });

    it('a path outside the folders analysed is never asked for: ../, absolute, the home folder', () => {
      for (const [path, shown] of [
        ['"../../etc/passwd"', '../../etc/passwd'],
        ['"${path.module}/../secrets.txt"', './../secrets.txt'],
        ['"/etc/passwd"', '/etc/passwd'],
        ['"~/.ssh/id_rsa"', '~/.ssh/id_rsa'],
      ]) {
        const { got, wants } = cidrs({ 'main.tf': whole(path), '../secrets.txt': '10.9.0.0/16', '/etc/passwd': '10.9.0.0/16' });
        assert.deepEqual(wants, [], path);
        assert.match(got['aws_vpc.v'], /^\? file\(\): /, path);
        assert.ok(got['aws_vpc.v'].includes(`${shown} is `) && /outside the folders analysed/.test(got['aws_vpc.v']), got['aws_vpc.v']);
      }
    });

    it('with read roots, a module elsewhere in the repository reads its files; climbing out of the roots is refused', () => {
      const files = {
        'repo/envs/dev/main.tf': 'module "net" {\n  source = "../../modules/net"\n}\n',
        'repo/modules/net/main.tf':
          whole('"${path.module}/cidr.txt"') + whole('"${path.module}/../../../outside.txt"').replace('"v"', '"w"'),
        'repo/modules/net/cidr.txt': '10.7.0.0/16',
        'outside.txt': '10.9.0.0/16',
      };
      const { got, wants } = cidrs(files, ['repo']);
      assert.equal(got['module.net.aws_vpc.v'], '10.7.0.0/16');
      assert.match(got['module.net.aws_vpc.w'], /outside the folders analysed/);
      assert.deepEqual(wants, []);
      // Only the root folder given: a module whose .tf files the inputs hold still reads the files of its own folder
      // (a user data template beside it; review R7), never a path climbing out of it.
      const narrow = cidrs(files, ['repo/envs/dev']).got;
      assert.equal(narrow['module.net.aws_vpc.v'], '10.7.0.0/16');
      assert.match(narrow['module.net.aws_vpc.w'], /outside the folders analysed/);
    });

    it('a git, state or credentials file is never read, even inside the folders analysed (review R1)', () => {
      for (const path of [
        '".git/config"',
        '"${path.root}/.git/config"',
        '"terraform.tfstate"',
        '".terraform/terraform.tfstate"',
        '"env/x.tfstate.backup"',
        '".aws/credentials"',
      ]) {
        const name = JSON.parse(path.replace('${path.root}/', ''));
        const { got, wants } = cidrs({ 'main.tf': whole(path), [name]: 'AUTHORIZATION: basic c2VjcmV0' });
        assert.deepEqual(wants, [], path);
        assert.match(got['aws_vpc.v'], /is a git, state or credentials file: it is never read/, path);
        assert.doesNotMatch(got['aws_vpc.v'], /c2VjcmV0/, path);
      }
      // A file merely named like one is read.
      assert.equal(cidrs({ 'main.tf': whole('"gitconfig.txt"'), 'gitconfig.txt': '10.8.0.0/16' }).got['aws_vpc.v'], '10.8.0.0/16');
    });

    it('insideRoots compares whole segments and never lets `..` climb out', () => {
      assert.equal(insideRoots('a/b.csv', ['.']), true);
      assert.equal(insideRoots('../b.csv', ['.']), false);
      assert.equal(insideRoots('../../etc/passwd', ['..']), false);
      assert.equal(insideRoots('../repo/x.csv', ['..']), true);
      // The repository two folders above the one analysed holds what the folder holds, and its parent's files.
      assert.equal(insideRoots('fgt.conf', ['../..']), true);
      assert.equal(insideRoots('../../modules/x.tpl', ['../..']), true);
      assert.equal(insideRoots('../../../x.tpl', ['../..']), false);
      assert.equal(insideRoots('x.csv', ['../sibling']), false);
      assert.equal(insideRoots('repo2/x.csv', ['repo']), false);
      assert.equal(insideRoots('/home/u/ws/x.csv', ['/home/u/ws']), true);
      assert.equal(insideRoots('/home/u/ws2/x.csv', ['/home/u/ws']), false);
      assert.equal(insideRoots('/etc/passwd', ['.']), false);
      assert.equal(insideRoots('x.csv', ['/home/u/ws']), false);
      assert.equal(insideRoots('C:\\ws\\x.csv', ['c:\\ws']), true);
    });

    it('fileexists() is true for a file the inputs hold, unknown otherwise (it may exist and not be read)', () => {
      const tf = `resource "aws_vpc" "v" {
  cidr_block = fileexists("\${path.module}/a.txt") ? "10.1.0.0/16" : "10.2.0.0/16"
}
`;
      assert.deepEqual(cidrs({ 'main.tf': tf, 'a.txt': 'x' }).got, { 'aws_vpc.v': '10.1.0.0/16' });
      assert.match(cidrs({ 'main.tf': tf }).got['aws_vpc.v'], /fileexists\(\): a\.txt is not in the inputs/);
    });

    it('a file looked for inside the read roots and not there: fileexists() false, file() fails as in Terraform (review R15)', () => {
      const tf = `locals {
  extra = fileexists("\${path.module}/extra.csv") ? csvdecode(file("\${path.module}/extra.csv")) : []
}
resource "aws_vpc" "opt" {
  cidr_block = length(local.extra) == 0 ? "10.2.0.0/16" : "10.1.0.0/16"
}
resource "aws_vpc" "gone" {
  cidr_block = trimspace(file("\${path.module}/gone.txt"))
}
resource "aws_vpc" "tried" {
  cidr_block = try(trimspace(file("\${path.module}/gone.txt")), "10.3.0.0/16")
}
resource "aws_vpc" "can" {
  cidr_block = can(file("\${path.module}/gone.txt")) ? "10.4.0.0/16" : "10.5.0.0/16"
}
resource "aws_vpc" "out" {
  cidr_block = fileexists("../outside.txt") ? "10.6.0.0/16" : "10.7.0.0/16"
}
`;
      const vpcs = (idx: TerraformIndex): Record<string, string> => {
        const got: Record<string, string> = {};
        for (const e of idx.build().flatMap((f) => f.elements))
          if (e.kind === 'vpc') got[e.id] = isUnresolved(e.cidrs[0]) ? `? ${e.cidrs[0].reason}` : e.cidrs[0];
        return got;
      };
      const idx = new TerraformIndex();
      idx.setFile('main.tf', tf);
      // Not looked for yet: unknown (it may exist and not have been read).
      assert.match(vpcs(idx)['aws_vpc.opt'], /fileexists\(\): extra\.csv is not in the inputs/);
      assert.deepEqual(
        idx.wants().files.filter((f) => !f.endsWith('modules.json')),
        ['extra.csv', 'gone.txt'],
      );
      // A path outside the roots is never asked for, so never said absent; a file no build read is not either.
      assert.equal(idx.absent('../outside.txt'), false);
      assert.equal(idx.absent('notes.txt'), false);
      assert.equal(idx.absent('extra.csv'), true);
      assert.equal(idx.absent('gone.txt'), true);
      assert.equal(idx.absent('gone.txt'), false, 'said once');
      const got = vpcs(idx);
      assert.equal(got['aws_vpc.opt'], '10.2.0.0/16');
      assert.equal(got['aws_vpc.gone'], '? file(): no file exists at gone.txt');
      // A failure, as Terraform's: try() takes the next argument and can() is false.
      assert.equal(got['aws_vpc.tried'], '10.3.0.0/16');
      assert.equal(got['aws_vpc.can'], '10.5.0.0/16');
      assert.match(got['aws_vpc.out'], /outside the folders analysed/);
      assert.deepEqual(
        idx.wants().files.filter((f) => !f.endsWith('modules.json')),
        [],
      );
      const diags = idx.build().flatMap((f) => f.diagnostics.map((d) => d.message));
      assert.ok(
        diags.some((m) => /file\(\): no file exists at gone\.txt/.test(m)),
        diags.join('\n'),
      );
      // The file appears: read, as a fresh build reads it; removed again, unknown until looked for again.
      idx.setFile('extra.csv', 'name\nx\n');
      idx.setFile('gone.txt', '10.8.0.0/16\n');
      const after = vpcs(idx);
      assert.equal(after['aws_vpc.opt'], '10.1.0.0/16');
      assert.equal(after['aws_vpc.gone'], '10.8.0.0/16');
      const fresh = new TerraformIndex();
      for (const [f, t] of [
        ['main.tf', tf],
        ['extra.csv', 'name\nx\n'],
        ['gone.txt', '10.8.0.0/16\n'],
      ])
        fresh.setFile(f, t);
      assert.deepEqual(vpcs(fresh), after);
      idx.removeFile('gone.txt');
      assert.equal(vpcs(idx)['aws_vpc.gone'], '? file(): gone.txt is not in the inputs');
    });

    it('an input of another format that the configuration reads as text is read as text too (review R8)', async () => {
      const subnets = '{"Subnets":[{"SubnetId":"subnet-1","VpcId":"vpc-1","CidrBlock":"10.5.1.0/24"}]}';
      const cfn =
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.6.0.0/16\n';
      const ws = await createWorkspace();
      ws.setFile(
        'main.tf',
        'resource "aws_vpc" "j" {\n  cidr_block = jsondecode(file("subnets.json")).Subnets[0].CidrBlock\n}\n' +
          'resource "aws_vpc" "y" {\n  cidr_block = yamldecode(file("${path.module}/cfn.yaml")).Resources.Vpc.Properties.CidrBlock\n}\n',
      );
      ws.setFile('subnets.json', subnets);
      ws.setFile('cfn.yaml', cfn);
      const cidrOf = (id: string): unknown => {
        const v = ws.build().model.elements.find((e): e is Vpc => e.kind === 'vpc' && e.id === id);
        return v && (isUnresolved(v.cidrs[0]) ? v.cidrs[0].reason : v.cidrs[0]);
      };
      // The first build learns what the configuration reads; the front end hands the wanted files again (CLI, editor).
      ws.build();
      assert.deepEqual(
        ws
          .terraformWants()
          .files.filter((f) => !f.endsWith('modules.json'))
          .sort(),
        ['cfn.yaml', 'subnets.json'],
      );
      ws.setFile('subnets.json', subnets);
      ws.setFile('cfn.yaml', cfn);
      assert.deepEqual(
        ws.terraformWants().files.filter((f) => !f.endsWith('modules.json')),
        [],
      );
      assert.equal(cidrOf('aws_vpc.j'), '10.5.1.0/24');
      assert.equal(cidrOf('aws_vpc.y'), '10.6.0.0/16');
      // Each is still the input of its own format it was.
      const files = ws.build().files;
      assert.deepEqual(
        files.map((f) => [f.file, f.format, f.file === 'main.tf' ? undefined : f.elements]),
        [
          ['cfn.yaml', 'cloudformation', 1],
          ['main.tf', 'terraform', undefined],
          ['subnets.json', 'aws-cli', 1],
        ],
      );
      // An edit of it reaches both; its removal leaves the Terraform value unknown again.
      ws.setFile('subnets.json', subnets.replace('10.5.1.0/24', '10.5.2.0/24'));
      assert.equal(cidrOf('aws_vpc.j'), '10.5.2.0/24');
      ws.removeFile('subnets.json');
      assert.equal(cidrOf('aws_vpc.j'), 'file(): subnets.json is not in the inputs');
    });

    it('trim() cuts the characters of its cutset from both ends', () => {
      const tf = 'resource "aws_vpc" "v" {\n  cidr_block = trim(" \\r10.3.0.0/16 \\r", " \\r")\n}\n';
      assert.deepEqual(cidrs({ 'main.tf': tf }).got, { 'aws_vpc.v': '10.3.0.0/16' });
    });

    it('an edit of the file alone re-evaluates what reads it (incremental), as a fresh build would', () => {
      const idx = new TerraformIndex();
      idx.setFile('main.tf', perRow('"${path.module}/nets.csv"'));
      idx.setFile('other.tf', 'resource "aws_vpc" "o" {\n  cidr_block = "10.50.0.0/16"\n}\n');
      idx.setFile('nets.csv', 'name,cidr\nalpha,10.1.0.0/16\n');
      idx.build();
      const edited = 'name,cidr\nalpha,10.1.0.0/16\nbeta,10.2.0.0/16\n';
      idx.setFile('nets.csv', edited);
      const frags = idx.build();
      assert.equal(idx.lastBuild.mode, 'incremental');
      const vpcs = frags.flatMap((f) => f.elements.filter((e) => e.kind === 'vpc').map((e) => e.id));
      assert.deepEqual(vpcs.sort(), ['aws_vpc.o', 'aws_vpc.v["alpha"]', 'aws_vpc.v["beta"]']);
      const fresh = new TerraformIndex();
      fresh.setFile('main.tf', perRow('"${path.module}/nets.csv"'));
      fresh.setFile('other.tf', 'resource "aws_vpc" "o" {\n  cidr_block = "10.50.0.0/16"\n}\n');
      fresh.setFile('nets.csv', edited);
      assert.deepStrictEqual(frags, fresh.build());
    });

    it('through the workspace: the file is read as the configuration asks for it, and only then', async () => {
      const ws = await createWorkspace();
      ws.setFile('main.tf', whole('"${path.module}/cidr.txt"'));
      ws.setFile('notes.txt', 'not read');
      ws.build();
      assert.ok(ws.terraformWants().files.includes('cidr.txt'));
      assert.equal(ws.terraformReads('cidr.txt'), true);
      assert.equal(ws.terraformReads('notes.txt'), false);
      ws.setFile('cidr.txt', '10.4.0.0/16');
      const vpc = ws.build().model.elements.find((e): e is Vpc => e.kind === 'vpc');
      assert.deepEqual(vpc?.cidrs, ['10.4.0.0/16']);
    });
  });
});
