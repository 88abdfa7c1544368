// Issue 13: what the inputs cannot decide stays Unknown end to end (CLI on small workspaces of our own),
// never "No Egress", "dropped" or an error-level finding.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';
import { exampleVariant, type Edit } from '../exampleVariant';

const FIX = path.join(ROOT, 'test', 'fixtures', 'unknowns');

interface Doc {
  findings: { code: string; severity: string }[];
  states: { name: string; state: string; reason: string }[];
  score: { score: number | null; counted: number; unknown: number };
  egress: {
    subnet: string;
    forward: { outcome: { kind: string; reason?: string } };
    return?: { outcome: { kind: string } };
    divergence?: unknown;
  }[];
}

// Variants of examples/aws-distributed-egress-ok (see test/unit/exampleVariant.ts).
const EDGE_UNDECIDED: Edit[] = [
  {
    file: 'workload.tf',
    // The edge association names the IGW through a data source: whether this IGW has the edge table
    // cannot be decided offline, so the return legs are Unknown (never "no edge table" and an error).
    replace: ['  gateway_id     = aws_internet_gateway.workload.id\n', '  gateway_id     = data.aws_internet_gateway.workload.id\n'],
    append: `
data "aws_internet_gateway" "workload" {
  filter {
    name   = "attachment.vpc-id"
    values = [aws_vpc.workload.id]
  }
}
`,
  },
];
// A bastion in the GWLB endpoint subnet of AZ a, which routes 0.0.0.0/0 straight to the IGW: a
// traffic source that reaches the internet without inspection.
const BASTION_IN_ENDPOINT_SUBNET: Edit[] = [
  {
    file: 'workload.tf',
    append: `
resource "aws_instance" "bastion" {
  ami           = var.app_ami
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.gwlbe_a.id
  private_ip    = "10.0.20.30"
  associate_public_ip_address = true
  tags = {
    Name = "bastion"
  }
}
`,
  },
];

function analyze(dir: string): { doc: Doc; text: string; code: number | null } {
  const cwd = path.isAbsolute(dir) ? dir : path.join(FIX, dir);
  const j = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], cwd);
  assert.equal(j.code, 0, j.stderr);
  const t = cli(['analyze', '.'], cwd);
  return { doc: JSON.parse(j.stdout) as Doc, text: t.stdout, code: t.code };
}

function stateOf(doc: Doc, name: string): { state: string; reason: string } {
  const s = doc.states.find((x) => x.name === name);
  assert.ok(s, `no state for ${name}: ${doc.states.map((x) => x.name)}`);
  return s;
}

describe('cli: unknown inputs stay Unknown (issue 13)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('an undecidable count of subnets makes the VPC Unknown, naming the count and file:line; the score is n/a', () => {
    const { doc, text } = analyze('count-undecided');
    const s = stateOf(doc, 'nat-only');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /length\(var\.azs\)/);
    assert.match(s.reason, /main\.tf:\d+/);
    assert.equal(doc.score.score, null);
    assert.match(text, /Score: n\/a \(every one of the 1 VPC\/VNet with egress is Unknown\)/);
    assert.match(text, /Unknown \(1\):\n {4}nat-only: /);
    assert.doesNotMatch(text, / No Egress {3,}|^No findings\.$/m);
  });

  it('an association whose route table is a data source does not fall back to the main table', () => {
    const { doc } = analyze('assoc-unresolved');
    const s = stateOf(doc, 'app');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route_table_association\.app \(main\.tf:17\).*data\.aws_route_table\.shared/);
    const eg = doc.egress.find((e) => e.subnet === 'aws_subnet.app')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
  });

  it('a route made with an undecidable count makes the path Unknown, not "dropped: no route"', () => {
    const { doc } = analyze('route-undecided');
    const s = stateOf(doc, 'optional-nat');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route\.private_nat\["\?"\] \(main\.tf:\d+\).*var\.enable_nat \? 1 : 0/);
    const eg = doc.egress.find((e) => e.subnet === 'aws_subnet.private')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
  });

  it('an export route the export calls active, to an interface it does not list, is Unknown naming what to add; a blackhole route drops (F79)', () => {
    const { doc } = analyze('export-absent-target');
    const s = stateOf(doc, 'inspection');
    assert.equal(s.state, 'Unknown');
    assert.match(
      s.reason,
      /network interface eni-0c33000000000001 of instance i-0c33000000000000c is not in the inputs: .*describe-network-interfaces \/ describe-instances/,
    );
    // Only the State blackhole route is an error: the one to the absent interface is not.
    assert.deepEqual(
      doc.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      ['blackhole-route'],
    );
    const legacy = doc.egress.find((e) => e.subnet === 'subnet-0b22000000000001')!;
    assert.deepEqual(legacy.forward.outcome, {
      kind: 'dropped',
      cause: 'blackhole',
      reason: 'blackhole route 0.0.0.0/0 in legacy-app-rt',
      at: 'rtb-0b22000000000001#1',
    });
  });

  it('one to three zones (min(length(names), 3)) behind a TGW whose attachments are accepted in another account: decided where the zone count does not matter', () => {
    const { doc, text } = analyze('zone-count-tgw');
    // Every workload subnet, whichever zones exist, leaves through the TGW, the central NAT GW and the IGW.
    const app = stateOf(doc, 'app-spoke');
    assert.equal(app.state, 'Unprotected', app.reason);
    const uninspected = doc.findings.filter((f) => f.code === 'uninspected-egress');
    assert.equal(uninspected.length, 1);
    assert.deepEqual(
      doc.findings.filter((f) => f.severity === 'error'),
      [],
    );
    // The egress VPC holds a NAT GW in its first zone's public subnet only; with more zones its other public
    // subnets are empty and routed to the IGW: the hub's plumbing, not sources. An egress hub in every world.
    const out = stateOf(doc, 'central-egress');
    assert.equal(out.state, 'Egress hub', out.reason);
    for (const e of doc.egress) assert.equal(e.forward.outcome.kind, 'delivered', e.subnet);
    // The accepters are followed to their attachments; the assumption is stated once per zone list.
    assert.doesNotMatch(text, /unmodelled-reference|unresolved-value/);
    assert.equal(text.match(/assumed-shape +assumed 1 to 3 availability zones/g)?.length, 2, text);
  });

  it('an IGW edge association that cannot be decided gives an Unknown return, no asymmetric-return-bypass', () => {
    const { doc } = analyze(exampleVariant('aws-distributed-egress-ok', EDGE_UNDECIDED));
    assert.deepEqual(
      doc.findings.filter((f) => f.severity === 'error'),
      [],
    );
    const s = stateOf(doc, 'workload-vpc');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /aws_route_table_association\.igw_edge \(workload\.tf:\d+\).*data\.aws_internet_gateway\.workload/);
    for (const e of doc.egress.filter((x) => x.subnet.startsWith('aws_subnet.app'))) {
      assert.equal(e.return?.outcome.kind, 'unknown');
      assert.equal(e.divergence, undefined, 'an Unknown return does not diverge');
    }
    // The same design with the IGW named directly is judged normally (the example it is a variant of).
    const ok = JSON.parse(cli(['analyze', 'examples/aws-distributed-egress-ok', '--format', 'json']).stdout) as Doc;
    assert.equal(stateOf(ok, 'workload-vpc').state, 'Protected');
  });
});

describe('cli: Aviatrix DCF semantics (issue 13 §5)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  const codesFor = (doc: Doc, code: string) => doc.findings.filter((f) => f.code === code);

  it('watch-mode only: Monitored; an undeclared SmartGroup reference selects nothing, and state and rules agree', () => {
    const { doc } = analyze('dcf-watch-undeclared');
    assert.equal(stateOf(doc, 'db').state, 'Monitored');
    assert.match(stateOf(doc, 'db').reason, /watch-mode "db-watch"/);
    assert.equal(stateOf(doc, 'app').state, 'Unprotected');
    const notCovering = codesFor(doc, 'dcf-not-covering') as unknown as { message: string }[];
    assert.equal(notCovering.length, 1);
    assert.match(notCovering[0].message, /aws_vpc\.app/);
    const unresolvedGroup = codesFor(doc, 'dcf-unresolved-group') as unknown as { message: string }[];
    assert.match(unresolvedGroup[0].message, /does not declare: Terraform refuses it, and it selects nothing here/);
  });

  it('an undefined SmartGroup: the VPCs it may select are Unknown and no dcf-not-covering contradicts that', () => {
    const { doc } = analyze('dcf-undefined-group');
    for (const name of ['app', 'db']) {
      assert.equal(stateOf(doc, name).state, 'Unknown');
      assert.match(stateOf(doc, name).reason, /7c1e2f3a-1111-4222-8333-944455556666` is not defined/);
    }
    assert.deepEqual(codesFor(doc, 'dcf-not-covering'), []);
    assert.equal(codesFor(doc, 'dcf-unresolved-group').length, 1);
  });

  it('an action from a variable without a default is Unknown, not PERMIT', () => {
    const { doc } = analyze('dcf-action-unresolved');
    assert.equal(stateOf(doc, 'db').state, 'Unknown');
    assert.match(stateOf(doc, 'db').reason, /action of policy "db-egress" .* cannot be decided offline/);
  });
});

describe('cli: workloads in infrastructure subnets, inspection VPCs (issue 13 §4)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('a bastion in a GWLB endpoint subnet is a traffic source; the VPC holding only the GWLB and firewalls is Inspection, not scored', () => {
    const { doc, text } = analyze(exampleVariant('aws-distributed-egress-ok', BASTION_IN_ENDPOINT_SUBNET));
    const eg = doc.egress.find((e) => e.subnet === 'aws_subnet.gwlbe_a');
    assert.ok(eg, 'the endpoint subnet holding the bastion is traced');
    assert.equal(stateOf(doc, 'workload-vpc').state, 'Partially Protected');
    assert.match(
      stateOf(doc, 'workload-vpc').reason,
      /aws_subnet\.gwlbe_a reaches the internet via aws_internet_gateway\.workload without any enforcement point/,
    );
    assert.ok(doc.findings.some((f) => f.code === 'uninspected-egress'));
    assert.equal(stateOf(doc, 'inspection-vpc').state, 'Inspection');
    assert.equal(doc.score.counted, 1, 'the inspection VPC is not counted');
    assert.match(text, /inspection-vpc +Inspection +aws_vpc\.inspection holds only enforcement points/);
    // Without the bastion (the example it is a variant of) the endpoint subnet is a hop only.
    const ok = JSON.parse(cli(['analyze', 'examples/aws-distributed-egress-ok', '--format', 'json']).stdout) as Doc;
    assert.equal(
      ok.egress.some((e) => e.subnet === 'aws_subnet.gwlbe_a'),
      false,
    );
  });
});

describe('cli: reports say what happened (issue 13 §6)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  it('Azure service-tag routes: unknown only where the tag could change the next hop; the VNet is decided by its other paths', () => {
    const { doc, text } = analyze('azure-service-tags');
    const path = (name: string) => doc.egress.find((e) => e.subnet === `azurerm_subnet.${name}`)!;
    // 0.0.0.0/0 to the firewall beside AzureMachineLearning -> Internet: which one 8.8.8.8 takes is Azure's to say.
    assert.equal(path('training').forward.outcome.kind, 'unknown');
    assert.match(
      path('training').forward.outcome.reason!,
      /service tag AzureMachineLearning to Internet; the tag's prefixes are Azure's and not in the inputs, so whether 8\.8\.8\.8 is one of them cannot be decided offline \(if not, 0\.0\.0\.0\/0 -> VirtualAppliance azurerm_firewall\.hub decides\)/,
    );
    // Only a tag to Internet: the system route sends everything else there too, so the path is decided (direct).
    assert.equal(path('batch').forward.outcome.kind, 'delivered');
    // A direct path and a restricted one: Partially Protected whatever the training subnet does, and it says why.
    const s = stateOf(doc, 'vnet-ml');
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /azurerm_subnet\.inference is inspected by Azure Firewall azurerm_firewall\.hub in both directions/);
    assert.match(
      s.reason,
      /whatever the undecided path does, the state stays Partially Protected: the path from azurerm_subnet\.training cannot be decided/,
    );
    assert.equal(doc.score.unknown, 0);
    assert.doesNotMatch(text, /Unknown \(\d\):/);
  });

  it('fix texts fit the cloud: no NAT GW / GWLB advice for an Azure VNet', () => {
    const doc = JSON.parse(cli(['analyze', 'examples/azure-cli-export', '--format', 'json', '--fail-on', 'never']).stdout) as {
      findings: { code: string; fix?: { title: string } }[];
    };
    const f = doc.findings.filter((x) => x.code === 'uninspected-egress');
    assert.ok(f.length > 0);
    for (const x of f) {
      assert.match(x.fix!.title, /hub firewall or NVA \(next hop VirtualAppliance\)/);
      assert.doesNotMatch(x.fix!.title, /NAT GW|GWLB/);
    }
    const aws = JSON.parse(
      cli(['analyze', 'examples/aws-distributed-egress-asymmetric', '--format', 'json', '--fail-on', 'never']).stdout,
    ) as typeof doc;
    assert.match(
      aws.findings.find((x) => x.code === 'uninspected-egress')!.fix!.title,
      /NAT GW and GWLB endpoint aws_vpc_endpoint\.gwlbe_a \(us-east-1a\)/,
    );
  });
});

describe('cli: CloudFormation names over pseudo parameters (issue 13 §6)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  it('a Name tag written with !Sub/!Join over pseudo parameters shows placeholders beside the logical id', () => {
    const { doc, text } = analyze('cfn-names');
    assert.ok(
      doc.states.some((s) => s.name === 'Vpc "{StackName}-vpc"'),
      doc.states.map((s) => s.name).join(),
    );
    assert.match(text, /AppSubnet "\{Env\}-\{Region\}-app"/);
    assert.doesNotMatch(text, /\$\{AWS::StackName\}|!Sub|!Join/);
  });
});

describe('cli: input errors are counted (issue 13 §6)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  it('a syntax error is "1 input error" in the summary and fails --fail-on error; --help says so; the size cap is 256 MB', () => {
    const cwd = path.join(FIX, 'input-error');
    const r = cli(['analyze', '.', '--allow-partial'], cwd);
    assert.match(r.stdout, /^Summary: no findings, 1 input error/m);
    assert.equal(r.code, 1);
    assert.equal(cli(['analyze', '.'], cwd).code, 2, 'a damaged input without --allow-partial is exit 2');
    const help = cli(['--help']).stdout;
    assert.match(
      help,
      /Input errors \(a duplicate id, a syntax error\) are counted in the summary \("1 input error"\) and count as\nerrors for --fail-on error/,
    );
    assert.match(help, /--max-file-mb N +skip larger files \(default 256/);
  });
});
