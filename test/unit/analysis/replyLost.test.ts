// A path whose traffic leaves for the internet but whose reply never comes back (it loops, or a route drops it)
// has no working egress: its VPC is No Egress, with the loop or the drop and its route table as the reason, not
// Protected because the forward leg was inspected. A reply that comes back uninspected stays a bypass of the
// return leg (Partially Protected); one the inputs cannot trace stays Unknown.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, replaceOnce as edit } from '../analyzeFiles';
import type { AnalysisResult, TextEdit } from '../../../src/analysis/types';
import { repoRoot } from '../parse/helpers';

const run = analyzeFiles;

/** Text edits (0-based line/character) applied bottom-up, as the editor applies a quick fix. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)))
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const states = (r: AnalysisResult): string[] => r.states.map((s) => `${s.name} ${s.state}`).sort();
const codes = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.code} ${f.severity}`);

const CFN = readFileSync(join(repoRoot(), 'test', 'fixtures', 'reply-loop-cfn', 'egress.yaml'), 'utf8');
const CFN_RETURN = `  FirewallToSpokes:
    Type: AWS::EC2::Route
    DependsOn: InspectionAttachment
    Properties: { RouteTableId: !Ref FirewallRtb, DestinationCidrBlock: 10.20.0.0/16, TransitGatewayId: !Ref Tgw }
`;
// The half fix: the NAT subnet returns the spoke range to the endpoint, the firewall subnet's table does not
// return it to the TGW, so its 0.0.0.0/0 -> Nat hands the inspected reply back to the NAT GW.
const CFN_LOOP = edit(CFN, [CFN_RETURN, '']);

describe('a reply that never comes back: No Egress, not Protected', function () {
  this.timeout(60000);

  it('our CloudFormation inspection VPC whole: the spoke Protected (inspected both ways, the reply back through the TGW)', async () => {
    const r = await run({ 'egress.yaml': CFN });
    assert.deepEqual(codes(r), []);
    assert.deepEqual(states(r), ['InspectionVpc Inspection', 'SpokeVpc Protected']);
    assert.equal(r.score.score, 100);
  });

  it('half fixed (the inspected reply loops back to the NAT GW): the spoke is No Egress, naming the loop and the route that closes it; no score', async () => {
    const r = await run({ 'egress.yaml': CFN_LOOP });
    assert.deepEqual(codes(r), ['routing-loop error']);
    assert.deepEqual(states(r), ['InspectionVpc Inspection', 'SpokeVpc No Egress']);
    assert.equal(
      r.states.find((s) => s.name === 'SpokeVpc')!.reason,
      'no subnet of SpokeVpc has a working path to the internet (traffic leaves, but no reply comes back): the reply to SpokeSubnet is sent back to Nat, ' +
        'which already un-translated it (a routing loop: Nat -> Endpoint -> Lb -> Appliances -> Endpoint -> Nat); route 0.0.0.0/0 -> Nat in FirewallRtb sends it there',
    );
    // No VPC with working egress is left to score (it was 100, the loop counted as protection).
    assert.equal(r.score.score, null);
    assert.equal(r.score.byState['No Egress'], 1);
  });

  it("routing-loop's CloudFormation quick fix: an AWS::EC2::Route to the TGW after the firewall subnet's table, waiting for the attachment; applied, nothing is left", async () => {
    const r = await run({ 'egress.yaml': CFN_LOOP });
    const f = r.findings[0];
    assert.equal(
      f.fix!.title,
      'Route 10.20.0.0/16 in FirewallRtb to Tgw, the transit gateway the forward leg came in through (keep 0.0.0.0/0 -> Nat for the forward leg)',
    );
    const lines = CFN_LOOP.split('\n');
    const table = lines.indexOf('  FirewallRtb:');
    assert.deepEqual(f.fix!.edits, [
      {
        file: 'egress.yaml',
        // Right after the table's mapping (its logical id line and two more).
        range: { start: { line: table + 3, character: 0 }, end: { line: table + 3, character: 0 } },
        newText:
          '\n  FirewallRtb10200016ToTgw:\n    Type: AWS::EC2::Route\n    DependsOn: InspectionAttachment\n    Properties:\n' +
          '      RouteTableId: !Ref FirewallRtb\n      DestinationCidrBlock: 10.20.0.0/16\n      TransitGatewayId: !Ref Tgw\n',
      },
    ]);
    const fixed = applyEdits(CFN_LOOP, f.fix!.edits);
    const after = await run({ 'egress.yaml': fixed });
    assert.deepEqual(codes(after), []);
    assert.deepEqual(states(after), ['InspectionVpc Inspection', 'SpokeVpc Protected']);
  });
});

describe('a blackholed reply (our AWS CLI export): No Egress, the drop and its table named', function () {
  this.timeout(60000);
  const dir = join(repoRoot(), 'examples', 'aws-cli-export');
  const files = (): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
    );
  const blackholed = (cidr: string): string => `{
                    "DestinationCidrBlock": "${cidr}",
                    "GatewayId": "vpce-0a2a1b2c3d4e5f601",
                    "Origin": "CreateRoute",
                    "State": "blackhole"
                }`;

  it('the example as exported: Partially Protected (a return that bypasses inspection still arrives)', async () => {
    assert.deepEqual(states(await run(files())), ['inspection-vpc No Egress', 'workload-vpc Partially Protected']);
  });

  it("the IGW edge table's routes for every subnet's replies blackholed (the endpoint deleted): No Egress", async () => {
    const f = files();
    const edge = `{
                    "DestinationCidrBlock": "10.0.11.0/24",
                    "GatewayId": "vpce-0a2a1b2c3d4e5f601",
                    "Origin": "CreateRoute",
                    "State": "active"
                }`;
    f['describe-route-tables.json'] = edit(f['describe-route-tables.json'], [
      edge,
      [blackholed('10.0.10.0/24'), blackholed('10.0.11.0/24'), blackholed('10.0.30.0/24')].join(',\n                '),
    ]);
    const r = await run(f);
    assert.deepEqual(states(r), ['inspection-vpc No Egress', 'workload-vpc No Egress']);
    assert.match(
      r.states.find((s) => s.name === 'workload-vpc')!.reason,
      /^no subnet of workload-vpc has a working path to the internet \(traffic leaves, but no reply comes back\): the reply to app-a is dropped: blackhole route 10\.0\.10\.0\/24 in igw-edge-rt$/,
    );
    assert.equal(r.score.score, null);
  });

  it("only app-b's reply blackholed: the VPC stays Partially Protected by its other paths (app-a's reply bypasses, mgmt-legacy is uninspected)", async () => {
    const f = files();
    f['describe-route-tables.json'] = edit(f['describe-route-tables.json'], [
      `"DestinationCidrBlock": "10.0.11.0/24",
                    "GatewayId": "vpce-0a2a1b2c3d4e5f601",
                    "Origin": "CreateRoute",
                    "State": "active"`,
      blackholed('10.0.11.0/24').slice(1, -1).trim(),
    ]);
    const r = await run(f);
    assert.deepEqual(states(r), ['inspection-vpc No Egress', 'workload-vpc Partially Protected']);
    assert.equal(r.egress.find((e) => e.subnet.endsWith('subnet-0a12a1b2c3d4e5f62'))?.return?.outcome.kind, 'dropped');
  });
});
