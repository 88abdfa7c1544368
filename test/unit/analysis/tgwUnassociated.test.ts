// A TGW attachment that no route table association names (F106): when its TGW is in the inputs and AWS gives it
// no table by itself (the TGW's default association disabled, or the attachment opting out), the TGW drops what
// it sends: No Egress, the reason stating the assumption that nothing outside the inputs associates it. Anything
// in the inputs that may still associate it (an association whose attachment or table is not decided, a flag
// not decided) keeps the path Unknown.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult, SubnetEgress } from '../../../src/analysis/types';
import { repoRoot } from '../parse/helpers';

const EXAMPLE = 'aws-centralized-tgw-inspection';
const SPOKE_ASSOCIATION = `resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}`;

/** Our centralized-inspection example with the spoke attachment's association removed (or replaced), and edits. */
async function run(opts: { association?: string; edits?: [string, string][]; extra?: string } = {}): Promise<AnalysisResult> {
  const files = exampleTfFiles(EXAMPLE);
  files['main.tf'] = replaceOnce(files['main.tf'], [SPOKE_ASSOCIATION, opts.association ?? ''], ...(opts.edits ?? [])) + (opts.extra ?? '');
  return analyzeFiles(files);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;
const spokeEgress = (r: AnalysisResult): SubnetEgress[] => r.egress.filter((e) => e.subnet.startsWith('aws_subnet.spoke_app'));
const reasonOf = (o: SubnetEgress['forward']['outcome']): string => ('reason' in o ? o.reason : '');
const ATTACHMENT = 'aws_ec2_transit_gateway_vpc_attachment.spoke';

describe('a TGW attachment no association names', function () {
  this.timeout(60000);

  it('TGW default association disabled, no association: dropped at the TGW, the spoke No Egress on a stated assumption', async () => {
    const r = await run();
    const eg = spokeEgress(r);
    assert.equal(eg.length, 2);
    for (const e of eg) {
      const o = e.forward.outcome;
      assert.equal(o.kind, 'dropped');
      assert.equal(o.kind === 'dropped' && o.cause, 'no-tgw-association');
      assert.equal(o.kind === 'dropped' && o.at, ATTACHMENT);
      assert.match(reasonOf(o), /default association disabled\) and no association in the inputs names it/);
    }
    const s = stateOf(r, 'aws_vpc.spoke');
    assert.equal(s.state, 'No Egress');
    assert.match(s.reason, /this assumes no configuration outside the inputs associates it/);
    // A drop on a missing association is not a blackhole route, nor any other finding.
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
  });

  it('the TGW associates by default but the attachment opts out: dropped, the reason naming the attachment flag', async () => {
    const r = await run({
      edits: [
        ['default_route_table_association = "disable"', 'default_route_table_association = "enable"'],
        [
          '  tags               = { Name = "spoke-attachment" }',
          '  transit_gateway_default_route_table_association = false\n  tags = { Name = "spoke-attachment" }',
        ],
      ],
    });
    for (const e of spokeEgress(r)) {
      const o = e.forward.outcome;
      assert.equal(o.kind === 'dropped' && o.cause, 'no-tgw-association');
      assert.match(reasonOf(o), /opts out of the default route table association/);
    }
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'No Egress');
  });

  it("the attachment's opt-out flag not known offline: Unknown (it may be in the TGW's default table)", async () => {
    const r = await run({
      edits: [
        ['default_route_table_association = "disable"', 'default_route_table_association = "enable"'],
        [
          '  tags               = { Name = "spoke-attachment" }',
          '  transit_gateway_default_route_table_association = var.join_default\n  tags = { Name = "spoke-attachment" }',
        ],
      ],
      extra: '\nvariable "join_default" {\n  type = bool\n}\n',
    });
    for (const e of spokeEgress(r)) assert.equal(e.forward.outcome.kind, 'unknown');
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unknown');
  });

  it('an association whose attachment is not known offline: Unknown, naming it', async () => {
    const r = await run({
      association: `resource "aws_ec2_transit_gateway_route_table_association" "other" {
  transit_gateway_attachment_id  = var.attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}`,
      extra: '\nvariable "attachment_id" {\n  type = string\n}\n',
    });
    for (const e of spokeEgress(r)) {
      const o = e.forward.outcome;
      assert.equal(o.kind === 'unknown' && o.cause, 'no-route-table');
      assert.match(reasonOf(o), /is associated with no TGW route table in the inputs, but .*var\.attachment_id/);
    }
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unknown');
  });

  it('an association of the attachment with a table the inputs do not hold: Unknown, naming it', async () => {
    const r = await run({
      association: `resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = var.spoke_table_id
}`,
      extra: '\nvariable "spoke_table_id" {\n  type = string\n}\n',
    });
    for (const e of spokeEgress(r)) {
      const o = e.forward.outcome;
      assert.equal(o.kind === 'unknown' && o.cause, 'no-route-table');
      assert.match(reasonOf(o), /names a TGW route table the inputs do not hold \(`var\.spoke_table_id`/);
    }
  });

  it('an association of another attachment with a literal id (outside the inputs) does not keep it Unknown', async () => {
    const r = await run({
      association: `resource "aws_ec2_transit_gateway_route_table_association" "other" {
  transit_gateway_attachment_id  = "tgw-attach-0123456789abcdef0"
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}`,
    });
    for (const e of spokeEgress(r)) assert.equal(e.forward.outcome.kind === 'dropped' && e.forward.outcome.cause, 'no-tgw-association');
  });
});

describe('a CloudFormation TGW attachment no association names', function () {
  this.timeout(60000);
  const CFN = readFileSync(join(repoRoot(), 'test', 'fixtures', 'reply-loop-cfn', 'egress.yaml'), 'utf8');
  const ASSOC = `  SpokeTgwAssoc:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties: { TransitGatewayAttachmentId: !Ref SpokeAttachment, TransitGatewayRouteTableId: !Ref SpokeTgwRtb }
`;
  const spoke = async (text: string) =>
    (await analyzeFiles({ 'egress.yaml': text })).egress.find((e) => e.subnet.endsWith('#SpokeSubnet'))!;

  it('DefaultRouteTableAssociation: disable and no association: dropped', async () => {
    const o = (await spoke(replaceOnce(CFN, [ASSOC, '']))).forward.outcome;
    assert.equal(o.kind === 'dropped' && o.cause, 'no-tgw-association');
  });

  it('default association on (the default table is not in the template): Unknown', async () => {
    const text = replaceOnce(CFN, [ASSOC, ''], ['DefaultRouteTableAssociation: disable', 'DefaultRouteTableAssociation: enable']);
    assert.equal((await spoke(text)).forward.outcome.kind, 'unknown');
  });

  it('an association whose attachment is a parameter: Unknown', async () => {
    const text = replaceOnce(
      CFN,
      [ASSOC, ASSOC.replace('!Ref SpokeAttachment', '!Ref OtherAttachment').replace('SpokeTgwAssoc', 'OtherTgwAssoc')],
      ['Resources:\n', 'Parameters:\n  OtherAttachment: { Type: String }\nResources:\n'],
    );
    const o = (await spoke(text)).forward.outcome;
    assert.equal(o.kind === 'unknown' && o.cause, 'no-route-table');
    assert.match(reasonOf(o), /OtherTgwAssoc/);
  });
});
