// Inspection before NAT in a centralized inspection VPC, half fixed: the NAT subnet's table sends the spokes'
// range to the firewall endpoint, but the firewall subnets' table still sends it to the NAT GW (its 0.0.0.0/0,
// or a route of its own), so the inspected reply goes NAT GW -> endpoint -> NAT GW and never reaches the spoke.
// routing-loop reports it on the firewall subnets' table, with the route back to the transit gateway as the fix
// (a quick fix in Terraform). Spokes outside the inputs (our shared-TGW fixture) and in them (our centralized
// example).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/analysis/analyze';
import { analyzeFiles, replaceOnce as edit } from '../analyzeFiles';
import type { AnalysisResult, Finding, TextEdit } from '../../../src/analysis/types';
import { findingsAt, fixEditsByFile, hasQuickFix } from '../../../src/extension/mapping';
import { repoRoot } from '../parse/helpers';
import { loadExample } from '../../fixtures/dcf/examples';
import { unresolved, type NetworkModel } from '../../../src/model/types';

const SHARED = readFileSync(join(repoRoot(), 'test', 'fixtures', 'shared-tgw-inspection', 'main.tf'), 'utf8');
const CENTRAL = readFileSync(join(repoRoot(), 'examples', 'aws-centralized-tgw-inspection', 'main.tf'), 'utf8');

const run = (text: string): Promise<AnalysisResult> => analyzeFiles({ 'main.tf': text });

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

/** What the editor does with the diagnostic: the finding under its range, its one quick fix, applied. */
function quickFix(text: string, r: AnalysisResult, f: Finding): string {
  const at = findingsAt(r.findings, 'main.tf', f.location.range, f.code);
  assert.deepEqual(at, [r.findings.indexOf(f)], 'the diagnostic range finds this finding');
  assert.ok(hasQuickFix(f), 'offered as a quick fix');
  const byFile = fixEditsByFile(f.fix);
  assert.deepEqual([...byFile.keys()], ['main.tf']);
  return applyEdits(text, byFile.get('main.tf')!);
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const summary = (r: AnalysisResult): string[] => r.findings.map((f) => `${f.code} ${f.severity} @ ${f.elementId}`);

const ENDPOINT_A =
  'one([for ss in aws_networkfirewall_firewall.hub.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall["a"].id])';
// The shared fixture with only the NAT subnet's route changed (spokes range -> the NAT GW's AZ's endpoint).
const HALF = edit(SHARED, [
  '  destination_cidr_block = each.value\n  transit_gateway_id     = aws_ec2_transit_gateway.hub.id',
  `  destination_cidr_block = each.value\n  vpc_endpoint_id        = ${ENDPOINT_A}`,
]);
const FIREWALL_DEFAULT = `  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.hub.id
  }
  tags = { Name = "hub-firewall-rt" }`;

describe('inspection before NAT, half fixed: the inspected reply sent back to the NAT GW (routing-loop)', function () {
  this.timeout(60000);

  it("spokes outside the inputs: one routing-loop on the firewall subnets' table, the spokes range -> TGW as the fix", async () => {
    const r = await run(HALF);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall']);
    const f = r.findings[0];
    assert.equal(f.location.range.start.line, lineOf(HALF, 'resource "aws_route_table" "firewall"'));
    assert.equal(
      f.message,
      'Routing loop on the return path of 10.200.0.0/16 (VPCs outside the inputs whose egress hub-tgw default route table sends to hub-attachment): ' +
        'hub-nat -> hub-firewall/firewall["a"] -> hub-firewall -> hub-firewall/firewall["a"] -> hub-nat. ' +
        'hub-public-rt sends 10.200.0.0/16 to the firewall endpoint (inspection before NAT), but hub-firewall-rt has no route for it, ' +
        "so 0.0.0.0/0 -> hub-nat (the forward leg's route) sends the inspected reply back to the NAT GW, which already un-translated it: it goes round again and never reaches the spoke.",
    );
    assert.equal(f.traces, undefined, 'no trace of the spokes is in the result');
    assert.deepEqual(
      f.related.map((x) => [x.location.range.start.line, x.message]),
      [
        [
          lineOf(HALF, 'resource "aws_route" "to_spokes"'),
          'the NAT subnet\'s route 10.200.0.0/16 -> hub-firewall/firewall["a"] in hub-public-rt sends the reply to the firewall',
        ],
        [lineOf(HALF, 'resource "aws_route_table" "firewall"') + 2, 'route 0.0.0.0/0 -> hub-nat sends it back to the NAT GW'],
      ],
    );
    assert.equal(
      f.fix!.title,
      'Route 10.200.0.0/16 in hub-firewall-rt to hub-tgw, the transit gateway the forward leg came in through (keep 0.0.0.0/0 -> hub-nat for the forward leg)',
    );
    // The table writes its routes inline: one more route block before its closing brace.
    assert.deepEqual(f.fix!.edits, [
      {
        file: 'main.tf',
        range: {
          start: { line: lineOf(HALF, 'tags = { Name = "hub-firewall-rt" }') + 1, character: 0 },
          end: { line: lineOf(HALF, 'tags = { Name = "hub-firewall-rt" }') + 1, character: 0 },
        },
        newText: '  route {\n    cidr_block         = "10.200.0.0/16"\n    transit_gateway_id = aws_ec2_transit_gateway.hub.id\n  }\n',
      },
    ]);
    // The quick fix applied: the design's fix complete, nothing left (the reply inspected and back to the TGW).
    const fixed = quickFix(HALF, r, f);
    assert.match(fixed, /tags = \{ Name = "hub-firewall-rt" \}\n {2}route \{\n {4}cidr_block {9}= "10\.200\.0\.0\/16"\n/);
    assert.deepEqual(summary(await run(fixed)), []);
  });

  it("the firewall subnets' table sending the spokes range itself to the NAT GW: that route is re-pointed to the TGW", async () => {
    const text = edit(HALF, [
      FIREWALL_DEFAULT,
      FIREWALL_DEFAULT.replace(
        '  tags',
        '  route {\n    cidr_block     = "10.200.0.0/16"\n    nat_gateway_id = aws_nat_gateway.hub.id\n  }\n  tags',
      ),
    ]);
    const r = await run(text);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall']);
    const f = r.findings[0];
    assert.match(
      f.message,
      /but hub-firewall-rt routes it 10\.200\.0\.0\/16 -> hub-nat, which sends the inspected reply back to the NAT GW/,
    );
    assert.equal(
      f.fix!.title,
      'Send 10.200.0.0/16 in hub-firewall-rt to hub-tgw, the transit gateway the forward leg came in through, instead of hub-nat',
    );
    // Only the target line changes (no second route for the same CIDR, which Terraform would refuse).
    const fixed = quickFix(text, r, f);
    assert.match(fixed, /cidr_block {5}= "10\.200\.0\.0\/16"\n {4}transit_gateway_id = aws_ec2_transit_gateway\.hub\.id\n/);
    assert.equal(fixed.split('"10.200.0.0/16"').length, text.split('"10.200.0.0/16"').length);
    assert.deepEqual(summary(await run(fixed)), []);
  });

  it("the firewall subnets' routes written as aws_route resources: the fix is one more aws_route", async () => {
    const text = edit(
      HALF,
      [FIREWALL_DEFAULT, '  tags = { Name = "hub-firewall-rt" }'],
      [
        'resource "aws_route_table_association" "firewall" {',
        `resource "aws_route" "firewall_default" {
  route_table_id         = aws_route_table.firewall.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.hub.id
}

resource "aws_route_table_association" "firewall" {`,
      ],
    );
    const r = await run(text);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall']);
    const f = r.findings[0];
    assert.equal(f.fix!.edits.length, 1);
    assert.equal(
      f.fix!.edits[0].newText,
      '\n\nresource "aws_route" "firewall_10_200_0_0_16_to_tgw" {\n  route_table_id         = aws_route_table.firewall.id\n  destination_cidr_block = "10.200.0.0/16"\n  transit_gateway_id     = aws_ec2_transit_gateway.hub.id\n}',
    );
    const fixed = quickFix(text, r, f);
    assert.doesNotMatch(fixed, /resource "aws_route_table" "firewall" \{[^}]*route \{/, 'no inline route mixed into the table');
    assert.deepEqual(summary(await run(fixed)), []);
  });

  it("spokes in the inputs (our centralized example without the firewall subnets' return route): one finding on the per-AZ table block, fixed for both AZs", async () => {
    const SPOKES_TO_TGW = `  route {
    cidr_block         = local.spokes
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "firewall-\${each.key}-rt" }`;
    const text = edit(CENTRAL, [SPOKES_TO_TGW, '  tags = { Name = "firewall-${each.key}-rt" }']);
    const r = await run(text);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall["a"]']);
    const f = r.findings[0];
    assert.equal(f.location.range.start.line, lineOf(text, 'resource "aws_route_table" "firewall"'));
    assert.deepEqual(f.traces, ['aws_subnet.spoke_app["a"]', 'aws_subnet.spoke_app["b"]']);
    assert.match(
      f.message,
      /^Routing loop on the return path of subnet spoke-app-a \(10\.1\.0\.10\), subnet spoke-app-b \(10\.1\.1\.10\): nat-a -> central-firewall\/firewall\["a"\] -> central-firewall -> central-firewall\/firewall\["a"\] -> nat-a; nat-b -> .* -> nat-b\. public-a-rt, public-b-rt send 10\.0\.0\.0\/8 to the firewall endpoint \(inspection before NAT\), but firewall-a-rt, firewall-b-rt have no route for it/,
    );
    assert.equal(
      f.fix!.title,
      'Route 10.0.0.0/8 in firewall-a-rt, firewall-b-rt to hub-tgw, the transit gateway the forward leg came in through (keep 0.0.0.0/0 -> nat-a, 0.0.0.0/0 -> nat-b for the forward leg)',
    );
    // The route is the same in every AZ (the TGW): one block added to the for_each table serves both.
    const fixed = quickFix(text, r, f);
    assert.deepEqual(summary(await run(fixed)), []);
  });

  it('per-AZ tables whose routes are aws_route resources: the fix is one aws_route over every table of the block', async () => {
    const text = edit(
      CENTRAL,
      [
        `  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress[each.key].id
  }
  route {
    cidr_block         = local.spokes
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "firewall-\${each.key}-rt" }`,
        '  tags = { Name = "firewall-${each.key}-rt" }',
      ],
      [
        'resource "aws_route_table_association" "firewall" {',
        `resource "aws_route" "firewall_default" {
  for_each               = local.zones
  route_table_id         = aws_route_table.firewall[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.egress[each.key].id
}

resource "aws_route_table_association" "firewall" {`,
      ],
    );
    const r = await run(text);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall["a"]']);
    assert.equal(
      r.findings[0].fix!.edits[0]?.newText,
      '\n\nresource "aws_route" "firewall_10_0_0_0_8_to_tgw" {\n  for_each               = aws_route_table.firewall\n  route_table_id         = each.value.id\n  destination_cidr_block = "10.0.0.0/8"\n  transit_gateway_id     = aws_ec2_transit_gateway.hub.id\n}',
    );
    assert.deepEqual(summary(await run(quickFix(text, r, r.findings[0]))), []);
  });

  it('a for_each table block that also writes a table the loop does not pass: the fix is advice, an edit would change that one too', async () => {
    const SPOKES_TO_TGW = `  route {
    cidr_block         = local.spokes
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "firewall-\${each.key}-rt" }`;
    // AZ b's firewall subnet gets a table of its own with the return route; the block still writes firewall["b"].
    const text = edit(
      CENTRAL,
      [SPOKES_TO_TGW, '  tags = { Name = "firewall-${each.key}-rt" }'],
      [
        'resource "aws_route_table_association" "firewall" {\n  for_each       = local.zones\n  subnet_id      = aws_subnet.firewall[each.key].id\n  route_table_id = aws_route_table.firewall[each.key].id\n}',
        `resource "aws_route_table_association" "firewall" {
  for_each       = local.zones
  subnet_id      = aws_subnet.firewall[each.key].id
  route_table_id = each.key == "a" ? aws_route_table.firewall["a"].id : aws_route_table.firewall_b.id
}

resource "aws_route_table" "firewall_b" {
  vpc_id = aws_vpc.inspection.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress["b"].id
  }
  route {
    cidr_block         = local.spokes
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}`,
      ],
    );
    const r = await run(text);
    assert.deepEqual(summary(r), ['routing-loop error @ aws_route_table.firewall["a"]']);
    assert.deepEqual(r.findings[0].traces, ['aws_subnet.spoke_app["a"]']);
    assert.match(r.findings[0].fix!.title, /^Route 10\.0\.0\.0\/8 in firewall-a-rt to hub-tgw/);
    assert.deepEqual(r.findings[0].fix!.edits, []);
  });

  it('the design intact (the firewall subnets return the range to the TGW), or the reply sent straight to the TGW: no routing-loop', async () => {
    assert.deepEqual(summary(await run(CENTRAL)), []);
    // The bypass (the NAT subnet's table to the TGW) is asymmetric-return-bypass's, not a loop.
    assert.deepEqual(
      (await run(SHARED)).findings.map((f) => f.code),
      ['asymmetric-return-bypass'],
    );
  });
});

describe('spokes outside the inputs: a finding per block, whichever AZ the inputs decide', function () {
  this.timeout(60000);

  // One AZ's TGW subnet route made undecidable: that AZ's flows are Unknown, the other AZ's reply still bypasses
  // the firewall through the same route block, and the finding is the same one (same element), not a new one.
  it('aws-shared-tgw-inspection-broken with attach["a"]\'s route target undecidable: the same asymmetric-return-bypass', async () => {
    const model = await loadExample('aws-shared-tgw-inspection-broken');
    const key = (r: AnalysisResult): string[] =>
      r.findings.map((f) => `${f.code} ${f.elementId} ${f.location.file.split('/').pop()}:${f.location.range.start.line}`);
    const base = analyze(model);
    assert.deepEqual(key(base), ['asymmetric-return-bypass aws_route.egress_to_spokes["a/10.32.0.0/12"] network.tf:149']);
    const els = JSON.parse(JSON.stringify(model.elements)) as NetworkModel['elements'];
    const table = els.find((e) => e.id === 'aws_route_table.attach["a"]');
    assert.ok(table?.kind === 'routeTable');
    table.routes[0].target = { ...table.routes[0].target, ref: unresolved('target', 'undecidable in this test') };
    const mutated = analyze({ elements: els });
    assert.deepEqual(key(mutated), key(base));
    // Only AZ b's flow is judged now: the message names its NAT GW alone.
    assert.match(mutated.findings[0].message, /^The reply to 10\.32\.0\.0\/12 .*NAT GW egress-nat-b's subnet route table egress-b-rt/);
  });
});
