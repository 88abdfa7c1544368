// A Network Firewall rule group built from a CSV file of the repository (F114): the example's distributed firewall
// takes a second stateful group from a module whose 5-tuple rules are the rows of rules/egress.csv
// (`csvdecode(file("${path.module}/rules/egress.csv"))`, a dynamic "stateful_rule" per row). The rows decide the
// verdict as rules written in the .tf file would; an edit of the CSV alone re-analyses; a malformed CSV is Unknown
// with Terraform's reason.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace, type Workspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

const FIXTURE = join(__dirname, '../../../../test/fixtures/nfw-csv-rules');
const MODULE = 'modules/egress-rules/main.tf';
const CSV = 'modules/egress-rules/rules/egress.csv';
const csv = readFileSync(join(FIXTURE, CSV), 'utf8');

const EX = 'aws-network-firewall';
/** The example's policy references the module's group after its own domain allow-list. */
const WITH_MODULE: Edit[] = [
  {
    file: 'main.tf',
    replace: [
      `      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn
    }`,
      `      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn
    }

    stateful_rule_group_reference {
      priority     = 20
      resource_arn = module.egress_rules.arn
    }`,
    ],
  },
  { file: 'main.tf', append: '\nmodule "egress_rules" {\n  source = "./modules/egress-rules"\n  name   = "egress-rules"\n}\n' },
];

const VPC = 'aws_vpc.main';
const stateOf = (r: AnalysisResult) => r.states.find((s) => s.vpc === VPC)!;

/** The workspace as the front ends fill it: the .tf files, a build, then the files the configuration asks for. */
async function workspace(csvText: string | undefined): Promise<Workspace> {
  const ws = await createWorkspace();
  for (const f of ['main.tf', 'versions.tf']) ws.setFile(f, variantText(EX, f, WITH_MODULE));
  ws.setFile(MODULE, readFileSync(join(FIXTURE, MODULE), 'utf8'));
  ws.build();
  assert.ok(ws.terraformWants().files.includes(CSV), ws.terraformWants().files.join(', '));
  if (csvText !== undefined) ws.setFile(CSV, csvText);
  return ws;
}

function result(ws: Workspace): AnalysisResult {
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

describe('AWS Network Firewall rules from a CSV file (csvdecode(file(...)))', function () {
  this.timeout(60_000);

  it('the fixture is CRLF with quoted commas and doubled quotes (so the test reads what it says it reads)', () => {
    assert.match(csv, /\r\n/);
    assert.match(csv, /"no mail relay, from any subnet"/);
    assert.match(csv, /""v2""/);
  });

  it("the CSV's rows are the group's rules: a drop and a pass to one address with default drop, Protected", async () => {
    const s = stateOf(result(await workspace(csv)));
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /with default drop \(aws:drop_established\), 2 stateful rule groups, 1 domain allow-list, 1 pass rule/);
  });

  it('without the CSV in the inputs the group is not read: Unknown, naming the file', async () => {
    const s = stateOf(result(await workspace(undefined)));
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /file\(\): modules\/egress-rules\/rules\/egress\.csv is not in the inputs/);
  });

  it('a row with a field missing is an error in Terraform: Unknown with the line', async () => {
    const bad = csv.replace('198.51.100.10/32,443,', '198.51.100.10/32,');
    const s = stateOf(result(await workspace(bad)));
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /csvdecode: line 3 has 6 fields, the header 7/);
  });

  it('an edit of the CSV alone changes the verdict, incrementally as a fresh analysis does', async () => {
    const ws = await workspace(csv);
    const an = createAnalyzer();
    const step = (): string => {
      const b = ws.build();
      const inc = an.analyze(b.model, {}, b.diagnostics);
      const fresh = analyze(b.model, {}, b.diagnostics);
      assert.equal(stateOf(inc).state, stateOf(fresh).state);
      assert.equal(stateOf(inc).reason, stateOf(fresh).reason);
      return stateOf(inc).state;
    };
    assert.equal(step(), 'Protected');
    // A last row passing everything: in strict order what the rules before it drop is dropped, the rest passes.
    ws.setFile(CSV, `${csv}3,pass,IP,10.20.0.0/16,ANY,ANY,everything else\r\n`);
    assert.equal(step(), 'Partially Protected');
    assert.match(stateOf(result(ws)).reason, /pass ip 10\.20\.0\.0\/16 -> ANY:ANY passes all traffic that reaches it in strict order/);
    ws.setFile(CSV, csv);
    assert.equal(step(), 'Protected');
  });
});
