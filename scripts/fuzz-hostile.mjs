// `npm run fuzz`, second half: replays every class of hostile and damaged input of issue 17 through
// the real CLI (dist/cli.js) with a fixed seed, and prints a table: inputs, exit codes, hangs, crashes,
// max RSS and max time per class. Fails on a crash (exit other than 0/1/2, "internal error", a stack
// trace), a hang, a silent skip of a damaged input, or an RSS over the class's bound. A hang is over
// 20 s of CPU time (user + system of the CLI process: on a machine shared with other work, wall time
// stretches with the load and CPU time does not), or still running after KILL_MS of wall time (a
// process blocked on a read uses no CPU at all).
// Usage: node scripts/fuzz-hostile.mjs [--seed N] [--quick] [--table FILE] [--only 4,5]
// (--only runs the classes of those numbers; the table is then not written; --keep keeps the inputs.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'cli.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const SEED = Number(arg('--seed', '17'));
const QUICK = process.argv.includes('--quick');
const ONLY = arg('--only')?.split(',');
const HANG_MS = 20_000;
const KILL_MS = 180_000;
const MB = 1024 * 1024;

// mulberry32: the same inputs on every run of a seed.
let state = SEED >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (n) => Math.floor(rand() * n);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-fuzz-'));
const rssHook = path.join(work, 'rss.cjs');
fs.writeFileSync(
  rssHook,
  "process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeSync(2, `\\nFUZZ_MAXRSS_KB=${u.maxRSS} FUZZ_CPU_US=${u.userCPUTime + u.systemCPUTime}\\n`); } catch {} });\n",
);
let dirs = 0;
const newDir = () => {
  const d = path.join(work, `c${dirs++}`);
  fs.mkdirSync(d);
  return d;
};

/** One CLI run: exit code, wall and CPU time, max RSS, stdout/stderr (the RSS line taken out). */
function run(args, cwd = root) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--require', rssHook, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: KILL_MS,
    maxBuffer: 256 * MB,
  });
  const ms = Date.now() - t0;
  const m = /\nFUZZ_MAXRSS_KB=(\d+) FUZZ_CPU_US=(\d+)\n$/.exec(r.stderr ?? '');
  const stderr = m ? r.stderr.slice(0, m.index) : (r.stderr ?? '');
  const cpuMs = m ? Number(m[2]) / 1000 : ms;
  return { code: r.status, signal: r.signal, ms, cpuMs, rssMb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout ?? '', stderr };
}

const classes = [];
/** A class of inputs: `cases` yields [label, runResult-producing fn, check(result) -> problem or undefined]. */
function cls(name, boundMb, cases) {
  classes.push({ name, boundMb, cases });
}

function crashOf(r) {
  if (r.signal) return `killed by ${r.signal}`;
  if (![0, 1, 2].includes(r.code)) return `exit ${r.code}`;
  if (/internal error|\n\s+at .+:\d+:\d+|Aborted\(\)/.test(r.stderr)) return `crash text: ${r.stderr.slice(0, 200)}`;
  return undefined;
}

const EXAMPLES = path.join(root, 'examples');
const exampleFiles = [];
for (const ex of fs.readdirSync(EXAMPLES, { withFileTypes: true })) {
  if (!ex.isDirectory()) continue;
  for (const f of fs.readdirSync(path.join(EXAMPLES, ex.name)))
    if (/\.(tf|json|ya?ml|template)$/.test(f)) exampleFiles.push(path.join(EXAMPLES, ex.name, f));
}

// 1. Special files.
cls('1 devices, FIFOs, sockets', 300, function* () {
  for (const dev of ['/dev/zero', '/dev/urandom', '/dev/null']) {
    if (fs.existsSync(dev))
      yield [
        dev,
        () => run(['analyze', dev, path.join(EXAMPLES, 'aws-cli-export')]),
        (r) => (r.code === 2 && /skipped, a character device/.test(r.stderr) ? undefined : 'not refused'),
      ];
  }
  const d = newDir();
  fs.copyFileSync(path.join(EXAMPLES, 'aws-cli-export', 'describe-vpcs.json'), path.join(d, 'describe-vpcs.json'));
  if (spawnSync('mkfifo', [path.join(d, 'x.tf')]).status === 0) {
    yield [
      'FIFO x.tf in a folder',
      () => run(['analyze', d]),
      (r) => (r.code === 2 && /x\.tf: skipped, a FIFO/.test(r.stderr) ? undefined : 'not refused'),
    ];
    yield [
      'FIFO x.tf named',
      () => run(['analyze', path.join(d, 'x.tf'), '--allow-partial', path.join(d, 'describe-vpcs.json')]),
      (r) => (/x\.tf: skipped, a FIFO/.test(r.stderr) && r.code !== 2 ? undefined : 'not skipped'),
    ];
  }
});

// 2. Terraform evaluation budget.
cls('2 Terraform evaluation budget', 1500, function* () {
  const cases = {
    'toset of 131k items': `locals {\n  l = flatten([for a in range(128) : [for b in range(1024) : "\${a}-\${b}"]])\n  s = toset(local.l)\n  t = distinct(concat(local.l, local.l))\n}\nresource "aws_vpc" "v" { cidr_block = length(local.s) > 0 ? "10.0.0.0/16" : "10.1.0.0/16" }\n`,
    'flatten doubled 31 times': (() => {
      const l = ['locals {', '  l0 = ["a", "b", "c", "d"]'];
      for (let i = 1; i <= 31; i++) l.push(`  l${i} = flatten([local.l${i - 1}, local.l${i - 1}])`);
      return l.join('\n') + '\n}\nresource "aws_vpc" "v" { cidr_block = length(local.l31) > 0 ? "10.0.0.0/16" : "10.1.0.0/16" }\n';
    })(),
    'nested for 1000^3':
      'locals {\n  r = range(1000)\n  x = [for i in local.r : [for j in local.r : [for k in local.r : i + j + k]]]\n}\nresource "aws_vpc" "v" { cidr_block = length(local.x) > 0 ? "10.0.0.0/16" : "x" }\n',
    'template doubling': (() => {
      const l = ['locals {', '  s0 = "abcdefghijklmnop"'];
      for (let i = 1; i <= 40; i++) l.push(`  s${i} = "\${local.s${i - 1}}\${local.s${i - 1}}"`);
      return l.join('\n') + '\n}\nresource "aws_vpc" "v" { tags = { Name = local.s40 }\n cidr_block = "10.0.0.0/16" }\n';
    })(),
  };
  for (const [label, text] of Object.entries(cases)) {
    const d = newDir();
    fs.writeFileSync(path.join(d, 'main.tf'), text);
    yield [
      label,
      () => run(['analyze', d, '--format', 'json', '--fail-on', 'never']),
      (r) => (r.code === 0 ? undefined : `exit ${r.code}`),
    ];
  }
  const each = 'for_each = toset([for i in range(1000) : tostring(i)])';
  const d = newDir();
  fs.mkdirSync(path.join(d, 'a'));
  fs.mkdirSync(path.join(d, 'b'));
  fs.mkdirSync(path.join(d, 'c'));
  fs.writeFileSync(path.join(d, 'main.tf'), `module "a" {\n  source = "./a"\n  ${each}\n}\n`);
  fs.writeFileSync(path.join(d, 'a', 'main.tf'), `module "b" {\n  source = "../b"\n  ${each}\n}\n`);
  fs.writeFileSync(path.join(d, 'b', 'main.tf'), `module "c" {\n  source = "../c"\n  ${each}\n}\n`);
  fs.writeFileSync(path.join(d, 'c', 'main.tf'), 'resource "aws_vpc" "leaf" { cidr_block = "10.9.0.0/16" }\n');
  yield [
    'module for_each 1000^3',
    () => run(['analyze', d, '--format', 'json', '--fail-on', 'never']),
    (r) => (r.code === 0 && /evaluation-budget-exceeded/.test(r.stdout) ? undefined : `exit ${r.code}, no budget diagnostic`),
  ];
});

// 3. Large files (50 MB; 5 MB with --quick), at a cap above their size.
const BIG = (QUICK ? 5 : 50) * MB;
function bigCfnJson(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const a = (i >> 8) & 255,
      b = i & 255;
    const p = `"Vpc${i}":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.${a}.${b}.0/24"}},"Sub${i}":{"Type":"AWS::EC2::Subnet","Properties":{"VpcId":{"Ref":"Vpc${i}"},"CidrBlock":"10.${a}.${b}.0/25"}}`;
    parts.push(p);
    size += p.length + 2;
  }
  return `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{\n${parts.join(',\n')}\n}}\n`;
}
function bigCfnYaml(bytes) {
  const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = `  Vpc${i}:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.${(i >> 8) & 255}.${i & 255}.0/24`;
    parts.push(p);
    size += p.length + 1;
  }
  return parts.join('\n') + '\n';
}
function bigTf(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = `resource "aws_vpc" "v${i}" {\n  cidr_block = "10.${(i >> 8) & 255}.${i & 255}.0/24"\n}\nresource "aws_subnet" "s${i}" {\n  vpc_id     = aws_vpc.v${i}.id\n  cidr_block = "10.${(i >> 8) & 255}.${i & 255}.0/25"\n}\n`;
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}
function bigCli(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const h = i.toString(16).padStart(17, '0');
    const p = `{"RouteTableId":"rtb-${h}","VpcId":"vpc-${h}","Routes":[{"DestinationCidrBlock":"0.0.0.0/0","NatGatewayId":"nat-${h}","State":"active"}],"Associations":[{"Main":false,"SubnetId":"subnet-${h}"}]}`;
    parts.push(p);
    size += p.length + 2;
  }
  return `{"RouteTables":[\n${parts.join(',\n')}\n]}\n`;
}
/** A terraform plan of route tables like bigCli's: each names a VPC and a NAT gateway the plan does not hold. */
function bigPlan(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const h = i.toString(16).padStart(17, '0');
    const p = `{"address":"aws_route_table.r${i}","mode":"managed","type":"aws_route_table","name":"r${i}","values":{"id":"rtb-${h}","vpc_id":"vpc-${h}","route":[{"cidr_block":"0.0.0.0/0","nat_gateway_id":"nat-${h}"}]}}`;
    parts.push(p);
    size += p.length + 2;
  }
  return `{"format_version":"1.2","planned_values":{"root_module":{"resources":[\n${parts.join(',\n')}\n]}}}\n`;
}
/** `az network route-table list`: each table routes to an NVA and names a subnet of a VNet the file does not hold. */
function bigAzure(bytes) {
  const parts = [];
  let size = 0;
  const sub = '/subscriptions/7f3c2a1e-9b4d-4c8e-a6f2-51d0e3b9c784/resourceGroups/rg/providers/Microsoft.Network';
  for (let i = 0; size < bytes; i++) {
    const p = `{"id":"${sub}/routeTables/rt${i}","name":"rt${i}","type":"Microsoft.Network/routeTables","location":"westeurope","routes":[{"name":"default","addressPrefix":"0.0.0.0/0","nextHopType":"VirtualAppliance","nextHopIpAddress":"10.${(i >> 8) & 255}.${i & 255}.4"}],"subnets":[{"id":"${sub}/virtualNetworks/vnet${i}/subnets/app"}]}`;
    parts.push(p);
    size += p.length + 2;
  }
  return `[\n${parts.join(',\n')}\n]\n`;
}
// Bound per format: base process plus the stated multiple of the input (docs/benchmarks.md).
const MULTIPLE = {
  'CloudFormation JSON': 20,
  'CloudFormation YAML': 20,
  Terraform: 20,
  'AWS CLI JSON': 40,
  'terraform plan JSON': 40,
  'Azure CLI JSON': 40,
  'one 50 MB string': 20,
};
cls('3 large files', Infinity, function* () {
  const inputs = [
    ['CloudFormation JSON', 'template.json', bigCfnJson],
    ['CloudFormation YAML', 'template.yaml', bigCfnYaml],
    ['Terraform', 'main.tf', bigTf],
    ['AWS CLI JSON', 'describe-route-tables.json', bigCli],
    ['terraform plan JSON', 'egress.tfplan.json', bigPlan],
    ['Azure CLI JSON', 'route-table-list.json', bigAzure],
    [
      'one 50 MB string',
      'describe-vpcs.json',
      (n) => `{"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16","Tags":[{"Key":"Name","Value":"${'x'.repeat(n)}"}]}]}`,
    ],
  ];
  for (const [label, file, gen] of inputs) {
    const d = newDir();
    fs.writeFileSync(path.join(d, file), gen(BIG));
    const size = fs.statSync(path.join(d, file)).size / MB;
    const bound = 150 + MULTIPLE[label] * size;
    yield [
      `${label} ${size.toFixed(0)} MB`,
      () =>
        run(['analyze', d, '--format', 'json', '--fail-on', 'never', '--max-file-mb', '256', '--out', path.join(work, `big${dirs}.json`)]),
      (r) =>
        r.rssMb > bound
          ? `RSS ${r.rssMb.toFixed(0)} MB over ${bound.toFixed(0)} MB`
          : r.code === 0 || (r.code === 2 && /refused|skipped/.test(r.stderr))
            ? undefined
            : `exit ${r.code}: ${r.stderr.slice(0, 200)}`,
    ];
  }
});

// 4. Damaged inputs: example files truncated, bytes flipped, lines dropped; each alone in a folder.
function mutate(text) {
  switch (int(4)) {
    case 0:
      return text.slice(0, 1 + int(Math.max(1, text.length - 2)));
    case 1: {
      const i = int(text.length);
      return text.slice(0, i) + pick(['{', '}', '[', ']', '"', ':', ',', '\u0000', '\\', ' ', '\n']) + text.slice(i + 1);
    }
    case 2: {
      const lines = text.split('\n');
      lines.splice(int(lines.length), 1 + int(3));
      return lines.join('\n');
    }
    default:
      return text.slice(0, int(text.length)) + text.slice(int(text.length));
  }
}
cls('4 damaged inputs', 400, function* () {
  const n = QUICK ? 30 : 150;
  for (let i = 0; i < n; i++) {
    const src = pick(exampleFiles);
    const name = path.basename(src);
    const d = newDir();
    const text = mutate(fs.readFileSync(src, 'utf8'));
    fs.writeFileSync(path.join(d, name), text);
    yield [
      `${path.basename(path.dirname(src))}/${name} (${path.basename(d)})`,
      () => run(['analyze', d, '--format', 'json', '--fail-on', 'never']),
      (r) => {
        if (r.code === 2) return r.stderr.includes(name) || /no input files/.test(r.stderr) ? undefined : 'exit 2 without naming the file';
        // Read: the file (alone in its folder) must have been taken as one of our formats, or have
        // said something about itself; "not recognised" for a damaged file of ours is a silent skip.
        let doc;
        try {
          doc = JSON.parse(r.stdout);
        } catch {
          return 'no JSON report';
        }
        // A .tf file is always parsed as Terraform: valid HCL with no resource left is not a skip.
        // Locations name the file relative to the analysed folder's parent (`c12/name`).
        const ours = (loc) => loc?.file === name || loc?.file?.endsWith(`/${name}`);
        const spoke = name.endsWith('.tf') || doc.model.elements.some((e) => ours(e.loc)) || doc.parseDiagnostics.some((x) => ours(x.loc));
        return spoke || r.stderr.includes(name) ? undefined : 'silent skip';
      },
    ];
  }
});

// 5. Conflicting duplicate exports.
cls('5 conflicting duplicates', 300, function* () {
  const d = newDir();
  const subnet = (cidr) =>
    JSON.stringify({
      Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718', VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: cidr, AvailabilityZone: 'eu-west-1a' }],
    });
  fs.writeFileSync(path.join(d, 'a-describe-subnets.json'), subnet('10.0.1.0/24'));
  fs.writeFileSync(path.join(d, 'b-describe-subnets.json'), subnet('10.0.2.0/24'));
  yield [
    'two describe-subnets disagree',
    () => run(['analyze', d, '--format', 'json', '--fail-on', 'never']),
    (r) =>
      /a-describe-subnets\.json.*b-describe-subnets\.json|b-describe-subnets\.json.*a-describe-subnets\.json/.test(r.stdout)
        ? undefined
        : 'no diagnostic naming both files',
  ];
});

// 6. Argument validation.
cls('6 option values', 300, function* () {
  const ok = path.join(EXAMPLES, 'aws-distributed-egress-ok');
  const bad = [
    ['--destination', 'not-an-ip'],
    ['--destination', ''],
    ['--destination', '999.1.1.1'],
    ['--format', ''],
    ['--out', ''],
    ['--fail-on', 'x'],
    ['--rule', ''],
    ['--simulate', ''],
    ['--max-file-mb', '-1'],
    ['--max-file-mb', 'NaN'],
    ['--destination='],
  ];
  for (const a of bad)
    yield [
      a.join(' '),
      () => run(['analyze', ok, ...a]),
      (r) => (r.code === 2 && /needs a value|must be|expects/.test(r.stderr) ? undefined : `exit ${r.code}`),
    ];
});

// 7. --out over an input.
cls('7 --out over an input', 300, function* () {
  const d = newDir();
  for (const f of fs.readdirSync(path.join(EXAMPLES, 'aws-distributed-egress-ok')))
    fs.copyFileSync(path.join(EXAMPLES, 'aws-distributed-egress-ok', f), path.join(d, f));
  const before = fs.readFileSync(path.join(d, 'workload.tf'), 'utf8');
  for (const out of ['workload.tf', './workload.tf', 'new.tf', 'sub/x.json']) {
    yield [
      out,
      () => run(['analyze', '.', '--out', out], d),
      (r) =>
        r.code === 2 && fs.readFileSync(path.join(d, 'workload.tf'), 'utf8') === before ? undefined : 'input overwritten or not refused',
    ];
  }
});

// 8. Terminal escapes.
cls('8 terminal escapes', 300, function* () {
  const evil = ['\u001b]0;pwned\u0007', '\u001b[2J\u001b[H', '\u009b31m', '\u202e', '\r0 findings', '\u0000', '\u2066x\u2069'];
  for (let i = 0; i < 6; i++) {
    const d = newDir();
    const name = `vpc${pick(evil)}${pick(evil)}end`;
    fs.writeFileSync(
      path.join(d, 'describe-vpcs.json'),
      JSON.stringify({ Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: name }] }] }),
    );
    fs.writeFileSync(path.join(d, `describe-subnets${pick(evil)}.json`), '{"Subnets": [');
    yield [
      JSON.stringify(name),
      () => run(['analyze', d, '--allow-partial', '--fail-on', 'never']),
      (r) =>
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(r.stdout + r.stderr)
          ? 'control character on the terminal'
          : undefined,
    ];
  }
});

// 9. Reproducible reports.
cls('9 reproducible reports', 400, function* () {
  for (const format of ['text', 'json', 'sarif', 'html']) {
    const d = newDir();
    const args = (o) => [
      'analyze',
      path.join(EXAMPLES, 'aws-distributed-egress-asymmetric'),
      '--format',
      format,
      '--fail-on',
      'never',
      '--out',
      path.join(d, o),
    ];
    yield [
      format,
      () => {
        const a = run(args('a'));
        const b = run(args('b'));
        return {
          ...b,
          ms: Math.max(a.ms, b.ms),
          cpuMs: Math.max(a.cpuMs, b.cpuMs),
          rssMb: Math.max(a.rssMb, b.rssMb),
          same: fs.readFileSync(path.join(d, 'a')).equals(fs.readFileSync(path.join(d, 'b'))),
        };
      },
      (r) => (r.same ? undefined : 'reports differ'),
    ];
  }
});

// Run and tabulate.
const rows = [];
const failures = [];
for (const c of classes) {
  if (ONLY && !ONLY.includes(c.name.split(' ')[0])) continue;
  const codes = new Map();
  let inputs = 0,
    hangs = 0,
    crashes = 0,
    maxRss = 0,
    maxMs = 0,
    maxCpuMs = 0,
    bad = 0;
  for (const [label, exec, check] of c.cases()) {
    inputs++;
    const r = exec();
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    maxRss = Math.max(maxRss, r.rssMb || 0);
    maxMs = Math.max(maxMs, r.ms);
    maxCpuMs = Math.max(maxCpuMs, r.cpuMs);
    const problems = [];
    if (r.cpuMs > HANG_MS || r.signal === 'SIGTERM') {
      hangs++;
      problems.push(
        r.signal === 'SIGTERM' ? `hang: killed after ${(r.ms / 1000).toFixed(1)} s` : `hang ${(r.cpuMs / 1000).toFixed(1)} s CPU`,
      );
    }
    const crash = crashOf(r);
    if (crash) {
      crashes++;
      problems.push(crash);
    }
    if (r.rssMb > c.boundMb) problems.push(`RSS ${r.rssMb.toFixed(0)} MB over ${c.boundMb} MB`);
    const p = check(r);
    if (p) problems.push(p);
    if (problems.length) {
      bad++;
      failures.push(`${c.name} / ${label}: ${problems.join('; ')}`);
    }
    process.stderr.write(
      `${problems.length ? 'FAIL' : 'ok  '} ${c.name} / ${label} (exit ${r.code}, ${(r.cpuMs / 1000).toFixed(1)} s CPU, ${(r.ms / 1000).toFixed(1)} s wall, ${r.rssMb.toFixed(0)} MB)\n`,
    );
  }
  const exits = [...codes.entries()]
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  rows.push(
    `| ${c.name} | ${inputs} | ${exits} | ${hangs} | ${crashes} | ${bad} | ${maxRss.toFixed(0)} | ${(maxCpuMs / 1000).toFixed(1)} | ${(maxMs / 1000).toFixed(1)} |`,
  );
}
const table = [
  `Seed ${SEED}${QUICK ? ' (--quick)' : ''}, node ${process.version}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(
      ' / ',
    )} at the end. Hang: over ${HANG_MS / 1000} s of CPU time (user + system), or killed after ${KILL_MS / 1000} s of wall time. Crash: exit not 0/1/2, "internal error", a stack trace or Aborted().`,
  '',
  '| class | inputs | exit codes | hangs | crashes | failed checks | max RSS (MB) | max CPU time (s) | max wall time (s) |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ...rows,
].join('\n');
console.log(table);
// --table FILE: a file with a "## Fuzz table" heading gets that section replaced (docs/reliability.md).
const out = arg('--table');
if (out && !ONLY) {
  const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const at = old.indexOf('## Fuzz table\n');
  fs.writeFileSync(out, at >= 0 ? `${old.slice(0, at)}## Fuzz table\n\n${table}\n` : `${table}\n`);
}
if (process.argv.includes('--keep')) console.error(`inputs kept in ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
if (failures.length) {
  console.error(`\n${failures.length} failure(s):\n${failures.join('\n')}`);
  process.exit(1);
}
