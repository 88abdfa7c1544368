// The CLI finds the Packer templates of the repository holding the folder analysed when an instance's image is the
// account's own (a `data "aws_ami"` owned by `self`): a Terraform root beside a packer/ folder (F290's layout) reads the
// template and the scripts it runs; outside a git work tree the folder given is the limit, and nothing beside it is read.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, ensureBuilt } from './cliHarness';
import { byName, HCL, INTERCEPT, SQUID_ALLOW, vpc } from '../analysis/packerFixture';

function repo(git: boolean): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-packer-'));
  process.once('exit', () => fs.rmSync(top, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'infra/main.tf': vpc(byName('egress-filter-*')),
    'packer/filter.pkr.hcl': HCL,
    'packer/scripts/intercept.sh': INTERCEPT,
    'packer/files/squid.conf': SQUID_ALLOW,
  };
  for (const [f, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(top, f)), { recursive: true });
    fs.writeFileSync(path.join(top, f), t);
  }
  if (git) fs.mkdirSync(path.join(top, '.git'));
  return top;
}

describe('CLI: Packer templates of the repository', () => {
  before(ensureBuilt);

  it('in a git work tree: the template beside the root and its scripts are read, the VPC is Protected', () => {
    const r = repo(true);
    const run = cli(['analyze', '.', '--format', 'json'], path.join(r, 'infra'));
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    const s = out.states.find((x: { vpc: string }) => x.vpc === 'aws_vpc.main');
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /Packer template \.\.\/packer\/filter\.pkr\.hcl/);
  });

  it('outside a git work tree the folder given is the limit: nothing beside it is read (Unknown)', () => {
    const r = repo(false);
    const run = cli(['analyze', '.', '--format', 'json'], path.join(r, 'infra'));
    const out = JSON.parse(run.stdout);
    const s = out.states.find((x: { vpc: string }) => x.vpc === 'aws_vpc.main');
    assert.equal(s.state, 'Unknown');
    assert.doesNotMatch(s.reason, /Packer/);
  });
});
