// examples/aws-shared-tgw-inspection(-broken) through the built CLI as a user runs it: centralized inspection
// before NAT for spokes in other accounts (not in the inputs). Exactly the findings, states, score and exit code
// the READMEs list; and the half fix the broken README warns about (the firewall subnets without their route
// back to the TGW) as routing-loop, whose quick fix, applied, leaves nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { exampleVariant } from '../exampleVariant';
import { cli, ensureBuilt } from './cliHarness';

const EXAMPLES = path.join(ROOT, 'examples');

interface Report {
  findings: {
    code: string;
    severity: string;
    message: string;
    location: { file: string; startLine: number };
    fix?: {
      title: string;
      edits: { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number; newText: string }[];
    };
  }[];
  states: { name: string; state: string }[];
  score: { score: number | null };
}

function analyze(name: string, cwd = EXAMPLES): { doc: Report; code: number | null } {
  const r = cli(['analyze', name, '--format', 'json'], cwd);
  assert.equal(r.stderr, '');
  return { doc: JSON.parse(r.stdout) as Report, code: r.code };
}

const lineOf = (file: string, needle: string): number => {
  const i = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i + 1;
};
const at = (doc: Report): string[] => doc.findings.map((f) => `${f.code} ${f.severity} ${f.location.file}:${f.location.startLine}`);

describe('cli: examples/aws-shared-tgw-inspection (spokes in other accounts behind a shared TGW)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('correct: no finding, the inspection VPC is Inspection, score n/a, exit 0', () => {
    const { doc, code } = analyze('aws-shared-tgw-inspection');
    assert.deepEqual(at(doc), []);
    assert.deepEqual(
      doc.states.map((s) => [s.name, s.state]),
      [['org-inspection', 'Inspection']],
    );
    assert.equal(doc.score.score, null);
    assert.equal(code, 0);
    const readme = fs.readFileSync(path.join(EXAMPLES, 'aws-shared-tgw-inspection', 'README.md'), 'utf8');
    assert.match(readme, /\*\*None\.\*\*/);
    assert.match(readme, /\*\*Inspection\*\*/);
  });

  it("-broken: asymmetric-return-bypass on the NAT subnets' route to the TGW, fixed in their tables with each AZ's endpoint, exit 1", () => {
    const name = 'aws-shared-tgw-inspection-broken';
    const { doc, code } = analyze(name);
    const route = lineOf(path.join(EXAMPLES, name, 'network.tf'), 'resource "aws_route" "egress_to_spokes"');
    assert.deepEqual(at(doc), [`asymmetric-return-bypass error ${name}/network.tf:${route}`]);
    const [f] = doc.findings;
    assert.match(
      f.message,
      /^Replies to 10\.32\.0\.0\/12 \(VPCs outside the inputs whose egress org-tgw default route table sends to inspection-attachment\) are not inspected/,
    );
    // Each NAT subnet's route is its own clause, ending where its reply goes.
    for (const az of ['a', 'b'])
      assert.ok(
        f.message.includes(
          `NAT GW egress-nat-${az}'s subnet route table egress-${az}-rt sends 10.32.0.0/12 to org-tgw, so it goes straight to transit gateway org-tgw`,
        ),
        f.message,
      );
    assert.equal(
      f.fix!.title,
      'Route 10.32.0.0/12 in egress-a-rt to firewall endpoint org-egress-firewall/inspect["a"] (eu-central-1a), in egress-b-rt to firewall endpoint org-egress-firewall/inspect["b"] (eu-central-1b) (the NAT subnet\'s route table: inspection before NAT; not in the IGW edge route table)',
    );
    assert.deepEqual(
      doc.states.map((s) => [s.name, s.state]),
      [['org-inspection', 'Inspection']],
    );
    assert.equal(doc.score.score, null);
    assert.equal(code, 1);
    const readme = fs.readFileSync(path.join(EXAMPLES, name, 'README.md'), 'utf8');
    assert.ok(readme.includes('`asymmetric-return-bypass`'));
    assert.ok(readme.includes('**Inspection**'));
    // The broken folder differs from its example only in the route its README names.
    for (const file of ['firewall.tf', 'tgw.tf', 'variables.tf', 'versions.tf'])
      assert.equal(
        fs.readFileSync(path.join(EXAMPLES, name, file), 'utf8'),
        fs.readFileSync(path.join(EXAMPLES, 'aws-shared-tgw-inspection', file), 'utf8'),
        file,
      );
  });

  it('the half fix (firewall subnets without their route back to the TGW): routing-loop on their table; its quick fix applied leaves nothing', () => {
    const backToTgw = `# Inspected replies leave the firewall subnets for the spokes through the TGW.
resource "aws_route" "inspect_to_spokes" {
  for_each               = local.spoke_routes
  route_table_id         = aws_route_table.inspect[each.value.az].id
  destination_cidr_block = each.value.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.org.id
}
`;
    const dir = exampleVariant('aws-shared-tgw-inspection', [{ file: 'network.tf', replace: [backToTgw, ''] }]);
    const { doc, code } = analyze('.', dir);
    const table = lineOf(path.join(dir, 'network.tf'), 'resource "aws_route_table" "inspect"');
    assert.deepEqual(at(doc), [`routing-loop error network.tf:${table}`]);
    const [f] = doc.findings;
    assert.match(
      f.message,
      /egress-a-rt, egress-b-rt send 10\.32\.0\.0\/12 to the firewall endpoint \(inspection before NAT\), but inspect-a-rt, inspect-b-rt have no route for it/,
    );
    assert.equal(
      f.fix!.title,
      'Route 10.32.0.0/12 in inspect-a-rt, inspect-b-rt to org-tgw, the transit gateway the forward leg came in through (keep 0.0.0.0/0 -> egress-nat-a, 0.0.0.0/0 -> egress-nat-b for the forward leg)',
    );
    assert.equal(code, 1);
    // The table's routes are aws_route resources: the quick fix is one more, over every table of the block.
    assert.equal(f.fix!.edits.length, 1);
    const e = f.fix!.edits[0];
    assert.equal(e.file, 'network.tf');
    assert.match(e.newText, /^\n\nresource "aws_route" "inspect_10_32_0_0_12_to_tgw" \{\n {2}for_each {15}= aws_route_table\.inspect\n/);
    const file = path.join(dir, 'network.tf');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // 1-based line and column in the JSON report; the edit inserts at one point.
    assert.equal(e.startLine, e.endLine);
    assert.equal(e.startColumn, e.endColumn);
    const line = lines[e.startLine - 1];
    lines[e.startLine - 1] = line.slice(0, e.startColumn - 1) + e.newText + line.slice(e.startColumn - 1);
    fs.writeFileSync(file, lines.join('\n'));
    const after = analyze('.', dir);
    assert.deepEqual(at(after.doc), []);
    assert.equal(after.code, 0);
  });
});
