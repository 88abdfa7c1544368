// Hostile and damaged input through the real CLI: every case is a minimal reproducer of a defect
// a probe found (devices and FIFOs, damaged exports, bad option values, --out over an input,
// escape sequences in names, reports that differed between runs).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCapped } from '../../../src/cli/files';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const OK = path.join(ROOT, 'examples/aws-distributed-egress-ok');
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'egress-hostile-'));
const VPC = (name: string): string =>
  JSON.stringify({ Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: name }] }] });

/** The OK example's Terraform, copied into `dir`. */
function copyOk(dir: string): void {
  for (const f of fs.readdirSync(OK)) if (f.endsWith('.tf')) fs.copyFileSync(path.join(OK, f), path.join(dir, f));
}

function noStackTrace(stderr: string): void {
  assert.equal(/\n\s+at .+:\d+:\d+/.test(stderr), false, `stack trace in stderr:\n${stderr}`);
}

describe('hostile input: the CLI', function () {
  this.timeout(60_000);
  before(ensureBuilt);

  describe('1. only regular files are read, capped by bytes read', () => {
    it('a character device named on the command line is skipped with a message, exit 2 unless --allow-partial', function () {
      if (!fs.existsSync('/dev/zero')) this.skip();
      const r = cli(['analyze', '/dev/zero', OK]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /zero: skipped, a character device, not read/);
      assert.match(r.stderr, /--allow-partial/);
      const p = cli(['analyze', '/dev/zero', OK, '--allow-partial', '--fail-on', 'never']);
      assert.equal(p.code, 0, p.stderr);
      assert.match(p.stderr, /zero: skipped, a character device/);
      assert.match(p.stdout, /Egress Lens/);
    });

    it('a FIFO named x.tf in a folder is never opened (no hang)', function () {
      const dir = tmp();
      copyOk(dir);
      const made = spawnSync('mkfifo', [path.join(dir, 'x.tf')]);
      if (made.status !== 0) this.skip();
      const t0 = Date.now();
      const r = cli(['analyze', dir]);
      assert.ok(Date.now() - t0 < 30_000);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /x\.tf: skipped, a FIFO \(named pipe\), not read/);
      // Named on the command line too.
      const n = cli(['analyze', path.join(dir, 'x.tf'), '--allow-partial', path.join(dir, 'workload.tf')]);
      assert.match(n.stderr, /x\.tf: skipped, a FIFO/);
    });

    it('a socket named describe-vpcs.json is skipped', async function () {
      const dir = tmp();
      fs.writeFileSync(path.join(dir, 'describe-subnets.json'), '{"Subnets": []}');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(path.join(dir, 'describe-vpcs.json'), resolve));
      try {
        const r = cli(['analyze', dir]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /describe-vpcs\.json: skipped, a socket, not read/);
      } finally {
        server.close();
      }
    });

    it('reading stops at the cap by bytes read, whatever stat says', function () {
      if (!fs.existsSync('/dev/urandom')) this.skip();
      // /proc files report size 0 and hold more: the cap counts what is read.
      const proc = '/proc/self/maps';
      if (fs.existsSync(proc)) {
        const r = readCapped(proc, 16);
        assert.ok('skipped' in r && /over the .* limit .* while reading/.test(r.skipped), JSON.stringify(r));
      }
      const dir = tmp();
      const f = path.join(dir, 'big.tf');
      fs.writeFileSync(f, 'x'.repeat(1000));
      assert.ok('skipped' in readCapped(f, 999));
      assert.deepEqual(readCapped(f, 1000), { text: 'x'.repeat(1000) });
    });
  });

  describe('4. damaged inputs are never silent', () => {
    const cases: [string, string, string, RegExp][] = [
      [
        'a truncated describe-route-tables.json',
        'describe-route-tables.json',
        '{"RouteTables',
        /describe-route-tables\.json:1:\d+: damaged-input: Looks like an AWS CLI export/,
      ],
      ['an empty describe-subnets.json', 'describe-subnets.json', '', /describe-subnets\.json:1:1: damaged-input: .*the file is empty/],
      [
        'a list key holding an object',
        'routes.json',
        '{"RouteTables": {"rtb-1": {}}}',
        /routes\.json:1:17: damaged-input: .*RouteTables must be a list/,
      ],
      [
        'a template cut inside Resources',
        'stack.yaml',
        'Resources:\n  Vpc:\n    Type: [AWS::EC2::VPC\n',
        /stack\.yaml:\d+:\d+: damaged-input: Looks like a CloudFormation template/,
      ],
      [
        'a plan cut after its first key',
        'plan.json',
        '{"format_version": "1.2", "planned_val',
        /plan\.json:1:\d+: syntax-error: JSON syntax error/,
      ],
      [
        'a CloudFormation JSON template cut in a key',
        'vpc.template',
        '{"AWSTemplateFormatVersion',
        /vpc\.template:1:\d+: damaged-input: Looks like a CloudFormation template/,
      ],
      // Valid JSON that lost a field every real export prints: the entry is an input error, not dropped.
      [
        'a describe-subnets entry without its SubnetId',
        'describe-subnets.json',
        '{"Subnets": [\n  {"SubnetId": "subnet-0a1b2c3d4e5f60718", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"},\n  {"VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"}\n]}',
        /describe-subnets\.json:3:3: damaged-input: .*Subnet without SubnetId/,
      ],
      [
        'a describe-transit-gateways entry without its TransitGatewayId',
        'tgw.json',
        '{"TransitGateways": [{"State": "available"}]}',
        /tgw\.json:1:\d+: damaged-input: .*Transit gateway without TransitGatewayId/,
      ],
      [
        'an az network vnet list cut after its first key',
        'vnet-list.json',
        '[\n  {\n    "addressSpace": {\n      "addressPrefixes": [\n ',
        /vnet-list\.json:\d+:\d+: damaged-input: Looks like an Azure CLI export/,
      ],
      [
        'an Azure route table without its id',
        'rt.json',
        '[{"type": "Microsoft.Network/routeTables", "name": "rt", "routes": []}]',
        /rt\.json:1:2: damaged-input: .*route table without id/,
      ],
      [
        'a plan resource without its type',
        'plan.json',
        '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_vpc.v", "mode": "managed", "values": {}}]}}}',
        /plan\.json:1:\d+: damaged-input: .*resource cannot be read: it has no type/,
      ],
    ];
    for (const [name, file, text, message] of cases) {
      it(`${name}: exit 2 with its location; a located error under --allow-partial`, () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, file), text);
        copyOk(dir);
        const r = cli(['analyze', dir, '--fail-on', 'never']);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
        noStackTrace(r.stderr);
        const p = cli(['analyze', dir, '--allow-partial', '--format', 'json', '--fail-on', 'never']);
        assert.equal(p.code, 0, p.stderr);
        const d = JSON.parse(p.stdout).parseDiagnostics.find((x: { code: string; loc: { file: string } }) =>
          /^(damaged-input|syntax-error)$/.test(x.code),
        );
        assert.ok(d && d.loc.file.endsWith(file) && d.loc.startLine >= 1, p.stdout.slice(0, 500));
        assert.equal(cli(['analyze', dir, '--allow-partial']).code, 1, 'a damaged input fails --fail-on error');
      });
    }

    it('unrelated JSON and YAML stay quietly ignored', () => {
      const dir = tmp();
      fs.writeFileSync(path.join(dir, 'settings.json'), '{"editor": ');
      fs.writeFileSync(path.join(dir, 'serverless.yml'), 'service: x\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n');
      fs.writeFileSync(path.join(dir, 'describe-instances.json'), '{"Reservations": []}');
      copyOk(dir);
      const r = cli(['analyze', dir, '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    });
  });

  describe('5. conflicting duplicate exports', () => {
    it('two describe-subnets that disagree: a warning naming both files and values, the same report whichever name sorts first', () => {
      const reports: string[] = [];
      for (const [older, newer] of [
        ['a-describe-subnets.json', 'b-describe-subnets.json'],
        ['b-describe-subnets.json', 'a-describe-subnets.json'],
      ]) {
        const dir = tmp();
        const subnet = (cidr: string) =>
          JSON.stringify({ Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718', VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: cidr }] });
        fs.writeFileSync(path.join(dir, older), subnet('10.0.1.0/24'));
        fs.writeFileSync(path.join(dir, newer), subnet('10.0.2.0/24'));
        fs.writeFileSync(path.join(dir, 'describe-vpcs.json'), VPC('v'));
        const r = cli(['analyze', dir, '--format', 'json', '--fail-on', 'never']);
        assert.equal(r.code, 0, r.stderr);
        const d = (JSON.parse(r.stdout) as { parseDiagnostics: { code: string; message: string }[] }).parseDiagnostics.find(
          (x) => x.code === 'duplicate-conflict',
        );
        assert.ok(d && new RegExp(`"10\\.0\\.1\\.0/24" in \\S*${older}`).test(d.message), r.stdout.slice(0, 800));
        assert.match(d.message, new RegExp(`"10\\.0\\.2\\.0/24" in \\S*${newer}`));
        reports.push(
          JSON.stringify(JSON.parse(r.stdout).model)
            .split(path.basename(dir))
            .join('DIR')
            .split(older)
            .join('OLD')
            .split(newer)
            .join('NEW'),
        );
      }
      // The model says the same thing about the older and the newer file whichever name sorts first.
      assert.equal(reports[0].replace(/"loc":\{[^}]*\}/g, ''), reports[1].replace(/"loc":\{[^}]*\}/g, ''));
    });
  });

  describe('6. every option value is validated', () => {
    const cases: [string[], RegExp][] = [
      [['--destination', 'not-an-ip'], /--destination must be an IPv4 or IPv6 address, e\.g\. 8\.8\.8\.8 \(got "not-an-ip"\)/],
      [['--destination', ''], /--destination needs a value/],
      [['--destination', '999.1.1.1'], /--destination must be an IPv4 or IPv6 address/],
      [['--destination='], /--destination needs a value/],
      [['--out', ''], /--out needs a value/],
      [['--format='], /--format needs a value/],
      [['--simulate', ' '], /--simulate needs a value/],
      [['--max-file-mb', '0.0000001'], /--max-file-mb must be a positive number/],
      [['--max-file-mb', 'Infinity'], /--max-file-mb must be a positive number/],
      [['--allow-partial=yes'], /--allow-partial takes no value/],
      // An empty file name is refused alike for Terraform and CloudFormation values (it named no file).
      [['--var-file', ''], /--var-file needs a value \(got an empty string\)/],
      [['--var-file='], /--var-file needs a value/],
      [['--cfn-parameters', ' '], /--cfn-parameters needs a value \(got an empty string\)/],
    ];
    for (const [args, message] of cases) {
      it(`${JSON.stringify(args)} is a usage error`, () => {
        const r = cli(['analyze', OK, ...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }
    it('demo options too', () => {
      assert.match(cli(['demo', '--out-dir', '']).stderr, /--out-dir needs a value/);
      assert.match(cli(['demo', '--examples=']).stderr, /--examples needs a value/);
    });
    it('a valid destination is used', () => {
      const r = cli(['analyze', OK, '--destination', '2001:db8::1', '--format', 'json', '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes('2001:db8::1'));
    });
  });

  describe('7. --out never overwrites an input', () => {
    it('refuses an output path that is an input, and one inside an analysed folder with an input name', () => {
      const dir = tmp();
      const tf = path.join(dir, 'workload.tf');
      copyOk(dir);
      const before = fs.readFileSync(tf, 'utf8');
      const r = cli(['analyze', '.', '--out', 'workload.tf'], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--out workload\.tf is one of the inputs; refusing to overwrite it/);
      assert.equal(fs.readFileSync(tf, 'utf8'), before);
      const j = cli(['analyze', '.', '--format', 'json', '--out', 'sub/report.json'], dir);
      assert.equal(j.code, 2);
      assert.match(j.stderr, /inside the analysed folder \. with an input's name/);
      assert.equal(fs.existsSync(path.join(dir, 'sub')), false);
      // Via a symlinked folder, too.
      fs.symlinkSync(dir, path.join(os.tmpdir(), `egress-hostile-link-${process.pid}`));
      const l = cli(['analyze', tf, '--out', path.join(os.tmpdir(), `egress-hostile-link-${process.pid}`, 'workload.tf')]);
      fs.unlinkSync(path.join(os.tmpdir(), `egress-hostile-link-${process.pid}`));
      assert.equal(l.code, 2, l.stderr);
      assert.equal(fs.readFileSync(tf, 'utf8'), before);
    });

    it('writes through a temporary file: a failed run leaves the old report whole, no temp file left', () => {
      const dir = tmp();
      const out = path.join(dir, 'report.sarif');
      assert.equal(cli(['analyze', OK, '--format', 'sarif', '--out', out, '--fail-on', 'never']).code, 0);
      const good = fs.readFileSync(out, 'utf8');
      const bad = cli(['analyze', OK, '--format', 'sarif', '--out', out, '--destination', 'nope']);
      assert.equal(bad.code, 2);
      assert.equal(fs.readFileSync(out, 'utf8'), good);
      assert.deepEqual(fs.readdirSync(dir), ['report.sarif']);
    });
  });

  describe('8. no terminal escape injection', () => {
    it('control characters, ESC sequences and bidi overrides in names are shown escaped', () => {
      const dir = tmp();
      const evil = 'vpc\u001b]0;pwned\u0007\u001b[2J\u001b[H0 findings\u009b31m\u202egnp.exe\r';
      fs.writeFileSync(path.join(dir, 'describe-vpcs.json'), VPC(evil));
      fs.writeFileSync(path.join(dir, `describe-subnets\u001b[2J.json`), '{"Subnets": [');
      const r = cli(['analyze', dir, '--allow-partial', '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      for (const [where, s] of [
        ['stdout', r.stdout],
        ['stderr', r.stderr],
      ]) {
        assert.equal(
          /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s),
          false,
          `${where} holds a control character: ${JSON.stringify(s)}`,
        );
      }
      assert.ok(r.stdout.includes('vpc\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H0 findings\\x9b31m\\u202egnp.exe\\x0d'), r.stdout);
      const strict = cli(['analyze', dir]);
      assert.equal(strict.code, 2);
      assert.ok(strict.stderr.includes('describe-subnets\\x1b[2J.json'), strict.stderr);
      assert.equal(/\u001b/.test(strict.stderr), false);
    });
  });

  describe('9. reproducible reports', () => {
    for (const format of ['text', 'json', 'sarif', 'html']) {
      it(`${format}: byte-identical from two runs; timings only on stderr with --timing`, () => {
        const dir = tmp();
        const a = path.join(dir, `a.${format}`);
        const b = path.join(dir, `b.${format}`);
        assert.equal(cli(['analyze', OK, '--format', format, '--out', a, '--fail-on', 'never']).code, 0);
        const r = cli(['analyze', OK, '--format', format, '--out', b, '--fail-on', 'never', '--timing']);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)), `${format} reports differ`);
        assert.match(r.stderr, /^egress-lens: parse \d+\.\d ms, analysis \d+\.\d ms$/m);
        assert.equal(/\d ms/.test(fs.readFileSync(a, 'utf8').replace(/<script[\s\S]*?<\/script>/g, '')), false, 'a timing in the report');
      });
    }
  });

  describe('12. the HTML report forbids <base> and forms', () => {
    it("its CSP has base-uri 'none' and form-action 'none'", () => {
      const out = path.join(tmp(), 'report.html');
      const r = cli(['analyze', OK, '--format', 'html', '--out', out, '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(fs.readFileSync(out, 'utf8'))?.[1] ?? '';
      assert.match(csp, /(^|; )base-uri 'none'(;|$)/);
      assert.match(csp, /(^|; )form-action 'none'(;|$)/);
      assert.match(csp, /^default-src 'none'/);
    });
  });

  describe('3. large files are refused at once when their parser would grow far past their size', () => {
    it('a 2.5 MB CloudFormation template and a 2.5 MB .tf file: exit 2 in seconds, with the reason', () => {
      const dir = tmp();
      const cfn = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
      for (let i = 0, size = 0; size < 2.5 * 1024 * 1024; i++) {
        const block = `  Vpc${i}:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.${(i >> 8) & 255}.${i & 255}.0/24`;
        cfn.push(block);
        size += block.length + 1;
      }
      fs.writeFileSync(path.join(dir, 'big.yaml'), cfn.join('\n') + '\n');
      const tf: string[] = [];
      for (let i = 0; tf.length * 60 < 2.5 * 1024 * 1024; i++) tf.push(`resource "aws_vpc" "v${i}" {\n  cidr_block = "10.0.0.0/16"\n}\n`);
      fs.writeFileSync(path.join(dir, 'big.tf'), tf.join(''));
      copyOk(dir);
      const t0 = Date.now();
      const r = cli(['analyze', dir, '--max-file-mb', '256']);
      assert.ok(Date.now() - t0 < 20_000, `${Date.now() - t0} ms`);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /big\.yaml: skipped, 2\.\d MB is over the 2 MB a CloudFormation file may have here \(CloudFormation itself accepts templates up to 1 MB\)/,
      );
      assert.match(r.stderr, /big\.tf: skipped, 2\.\d MB is over the 2 MB a Terraform file may have here/);
      const p = cli(['analyze', dir, '--max-file-mb', '256', '--allow-partial', '--format', 'json', '--fail-on', 'never']);
      assert.equal(p.code, 0, p.stderr);
      const doc = JSON.parse(p.stdout);
      assert.ok(
        doc.model.elements.some((e: { loc: { file: string } }) => e.loc.file.endsWith('workload.tf')),
        'the rest is analysed',
      );
      assert.ok(
        doc.parseDiagnostics.some(
          (d: { code: string; loc: { file: string } }) => d.code === 'file-too-large' && d.loc.file.endsWith('big.tf'),
        ),
      );
    });
  });
});
