// AWS Network Firewall attached to a transit gateway natively (examples/aws-tgw-attached-firewall): the firewall
// is a TGW attachment, both legs of every spoke pass it between the TGW's two route tables.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, TextEdit } from '../../../src/analysis/types';

const EXAMPLES = join(__dirname, '../../../../examples');

async function analyzeFolder(name: string, edit: (file: string, text: string) => string = (_f, t) => t): Promise<AnalysisResult> {
  const dir = join(EXAMPLES, name);
  const ws = await createWorkspace();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.tf'))) ws.setFile(f, edit(f, readFileSync(join(dir, f), 'utf8')));
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;
const summary = (r: AnalysisResult) =>
  r.findings.map((f) => `${f.code} ${f.severity} @ ${f.elementId} (${f.location.file}:${f.location.range.start.line + 1})`);

/** The text with one edit applied (0-based line/character ranges). */
function applyEdit(text: string, e: TextEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
}

const lineOf = (dir: string, needle: string): number =>
  readFileSync(join(EXAMPLES, dir, 'main.tf'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;
const WORKLOADS = ['app-a', 'app-b', 'data-a', 'data-b'].map((k) => `aws_subnet.workload["${k}"]`);

describe('example aws-tgw-attached-firewall (AWS Network Firewall attached to the TGW natively)', function () {
  this.timeout(60000);

  it('no finding; both spokes Protected by the firewall policy, the egress VPC an Egress hub; score 100 over 2', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    assert.deepEqual(r.findings, []);
    for (const vpc of ['aws_vpc.spoke["app"]', 'aws_vpc.spoke["data"]']) {
      assert.equal(stateOf(r, vpc).state, 'Protected');
      assert.match(stateOf(r, vpc).reason, /aws_networkfirewall_firewall_policy\.spokes .*default drop \(aws:drop_established\)/);
    }
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Egress hub');
    assert.equal(r.score.counted, 2);
    assert.equal(r.score.score, 100);
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      WORKLOADS,
    );
  });

  it('forward: spokes-rt sends 0/0 to the firewall, inspected-rt to the egress VPC; back: spokes-rt to the firewall, then the propagated spoke CIDR', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    for (const s of WORKLOADS) {
      const eg = r.egress.find((e) => e.subnet === s)!;
      const [spoke, az] = s.slice('aws_subnet.workload["'.length, -2).split('-');
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: 'aws_networkfirewall_firewall.tgw' }]);
      }
      assert.deepEqual(
        eg.forward.hops.map((h) => `${h.kind} ${h.name}`),
        [
          `subnet ${spoke}-${az}-workload`,
          'tgw hub-tgw',
          'firewall hub-firewall',
          'tgw hub-tgw',
          'tgwAttachment egress-attachment',
          `natgw nat-${az}`,
          'igw egress-igw',
          'internet internet',
        ],
      );
      const fwdTgw = eg.forward.hops.filter((h) => h.kind === 'tgw').map((h) => h.decision!.route);
      assert.deepEqual(fwdTgw, ['aws_ec2_transit_gateway_route.to_firewall', 'aws_ec2_transit_gateway_route.to_egress']);
      const back = eg.return!.hops.filter((h) => h.kind === 'tgw');
      assert.equal(back[0].decision!.route, 'aws_ec2_transit_gateway_route.to_firewall');
      assert.equal(
        back[1].decision!.route,
        `aws_ec2_transit_gateway_route_table.inspected#propagated:aws_ec2_transit_gateway_vpc_attachment.spoke["${spoke}"]:10.${spoke === 'app' ? 1 : 2}.0.0/16`,
      );
      // The reply leaves the egress VPC in the AZ its NAT GW is in, and enters the spoke in the source's AZ.
      assert.equal(eg.return!.hops.find((h) => h.kind === 'natgw')!.name, `nat-${az}`);
      assert.equal(eg.return!.hops.find((h) => h.kind === 'tgwAttachment')!.az, `us-east-1${az}`);
    }
  });

  it('appliance mode is not asked of the egress attachment (no appliance there) nor of the firewall (AWS manages its attachment)', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    const att = r.model.elements.find((e) => e.id === 'aws_ec2_transit_gateway_vpc_attachment.egress');
    assert.ok(att?.kind === 'tgwAttachment' && att.applianceMode === false, 'the egress attachment has appliance mode off (not written)');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'tgw-appliance-mode-off'),
      [],
    );
  });

  it('without the firewall route in spokes-rt the spokes have no route to the internet: dropped at the TGW, never "uninspected"', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall', (f, t) =>
      f === 'main.tf' ? t.replace(/resource "aws_ec2_transit_gateway_route" "to_firewall" \{[^}]*\}/, '') : t,
    );
    const eg = r.egress.find((e) => e.subnet === WORKLOADS[0])!;
    assert.equal(eg.forward.outcome.kind, 'dropped');
    assert.deepEqual(eg.forward.inspectedBy, []);
    assert.ok(!r.findings.some((f) => f.code === 'uninspected-egress'));
  });
});

describe('aws-tgw-attached-firewall broken: a spoke propagated into the table that routes the replies', function () {
  this.timeout(60000);
  const OK = 'aws-tgw-attached-firewall';
  // The broken twin (the example's README describes it): the app spoke also propagates into spokes-rt.
  const APPEND = `
resource "aws_ec2_transit_gateway_route_table_propagation" "app_direct" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
`;
  const broken = (edit: (t: string) => string = (t) => t) => analyzeFolder(OK, (f, t) => (f === 'main.tf' ? edit(t + APPEND) : t));

  it('exactly one asymmetric-return-bypass, on the TGW route table spokes-rt, for both data subnets; data Partially Protected; score 75', async () => {
    const r = await broken();
    const table = lineOf(OK, 'resource "aws_ec2_transit_gateway_route_table" "spokes"');
    assert.deepEqual(summary(r), [`asymmetric-return-bypass error @ aws_ec2_transit_gateway_route_table.spokes (main.tf:${table})`]);
    const f = r.findings[0];
    assert.deepEqual(f.traces, ['aws_subnet.workload["app-a"]', 'aws_subnet.workload["app-b"]']);
    assert.match(
      f.message,
      /TGW route table spokes-rt \(it routes what enters through egress-attachment\) has the propagated route 10\.1\.0\.0\/16 -> app-attachment/,
    );
    assert.match(f.message, /skipping AWS Network Firewall hub-firewall/);
    // Never the inspection-after-NAT fix: no IGW edge table, no endpoint.
    assert.doesNotMatch(f.fix!.title, /edge|endpoint/i);
    assert.match(f.fix!.title, /In TGW route table spokes-rt, route 10\.1\.0\.0\/16 to hub-firewall's attachment/);
    assert.equal(stateOf(r, 'aws_vpc.spoke["app"]').state, 'Partially Protected');
    assert.equal(stateOf(r, 'aws_vpc.spoke["data"]').state, 'Protected');
    assert.equal(r.score.score, 75);
    // The reply parts from the forward path where the TGW routes it, not at the IGW.
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.workload["app-a"]')!;
    assert.equal(eg.return!.hops[eg.divergence!.returnHop].kind, 'tgw');
  });

  it('the quick fix adds a static route to the firewall attachment in spokes-rt; applied, the example has no finding', async () => {
    const r = await broken();
    const edits = r.findings[0].fix!.edits;
    assert.equal(edits.length, 1);
    assert.match(
      edits[0].newText,
      /resource "aws_ec2_transit_gateway_route" "spokes_10_1_0_0_16_via_firewall" \{\n {2}destination_cidr_block *= "10\.1\.0\.0\/16"\n {2}transit_gateway_attachment_id *= aws_networkfirewall_firewall\.tgw\.firewall_status\[0\]\.transit_gateway_attachment_sync_states\[0\]\.attachment_id\n {2}transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table\.spokes\.id\n\}/,
    );
    assert.equal(edits[0].file, 'main.tf');
    const fixed = await broken((t) => applyEdit(t, edits[0]));
    assert.deepEqual(summary(fixed), []);
    assert.equal(stateOf(fixed, 'aws_vpc.spoke["app"]').state, 'Protected');
  });

  it('a static route to the spoke instead of the propagation: the finding is on that route', async () => {
    const r = await broken((t) =>
      t.replace(
        /resource "aws_ec2_transit_gateway_route_table_propagation" "app_direct" \{[^}]*\}/,
        `resource "aws_ec2_transit_gateway_route" "app_direct" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}`,
      ),
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['asymmetric-return-bypass @ aws_ec2_transit_gateway_route.app_direct'],
    );
    assert.match(r.findings[0].message, /spokes-rt .* routes 10\.1\.0\.0\/16 -> app-attachment/);
  });

  it("the egress attachment associated with the firewall's own table: the fix is the association, never a route back to the firewall", async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall', (f, t) =>
      f === 'main.tf'
        ? t.replace(
            'transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id',
            'transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id',
          )
        : t,
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['asymmetric-return-bypass @ aws_ec2_transit_gateway_route_table.inspected'],
    );
    assert.equal(r.findings[0].traces?.length, 4);
    assert.match(r.findings[0].fix!.title, /^Associate egress-attachment with spokes-rt instead of inspected-rt/);
    assert.deepEqual(r.findings[0].fix!.edits, []);
  });
});

// The same mistake in CloudFormation (one spoke, one AZ): the quick fix is an AWS::EC2::TransitGatewayRoute.
const CFN = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SpokeVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.2.0.0/16
  WorkloadSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref SpokeVpc
      CidrBlock: 10.2.1.0/24
      AvailabilityZone: us-east-1a
  SpokeTgwSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref SpokeVpc
      CidrBlock: 10.2.255.0/28
      AvailabilityZone: us-east-1a
  SpokeRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref SpokeVpc
  SpokeDefault:
    Type: AWS::EC2::Route
    DependsOn: SpokeAttachment
    Properties:
      RouteTableId: !Ref SpokeRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayId: !Ref Tgw
  WorkloadAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref WorkloadSubnet
      RouteTableId: !Ref SpokeRouteTable
  SpokeTgwAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SpokeTgwSubnet
      RouteTableId: !Ref SpokeRouteTable
  EgressVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 100.64.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref EgressVpc
      InternetGatewayId: !Ref Igw
  EgressTgwSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref EgressVpc
      CidrBlock: 100.64.0.0/28
      AvailabilityZone: us-east-1a
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref EgressVpc
      CidrBlock: 100.64.10.0/24
      AvailabilityZone: us-east-1a
  NatEip:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip.AllocationId
      SubnetId: !Ref PublicSubnet
  EgressTgwRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref EgressVpc
  EgressTgwDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EgressTgwRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  EgressTgwAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref EgressTgwSubnet
      RouteTableId: !Ref EgressTgwRouteTable
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref EgressVpc
  PublicDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicToSpokes:
    Type: AWS::EC2::Route
    DependsOn: EgressAttachment
    Properties:
      RouteTableId: !Ref PublicRouteTable
      DestinationCidrBlock: 10.0.0.0/8
      TransitGatewayId: !Ref Tgw
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicRouteTable
  Tgw:
    Type: AWS::EC2::TransitGateway
    Properties:
      DefaultRouteTableAssociation: disable
      DefaultRouteTablePropagation: disable
  SpokeAttachment:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Properties:
      TransitGatewayId: !Ref Tgw
      VpcId: !Ref SpokeVpc
      SubnetIds: [!Ref SpokeTgwSubnet]
  EgressAttachment:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Properties:
      TransitGatewayId: !Ref Tgw
      VpcId: !Ref EgressVpc
      SubnetIds: [!Ref EgressTgwSubnet]
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: drop-all
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulDefaultActions: ["aws:drop_strict"]
        StatefulEngineOptions:
          RuleOrder: STRICT_ORDER
  Firewall:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: hub-firewall
      FirewallPolicyArn: !Ref Policy
      TransitGatewayId: !Ref Tgw
      AvailabilityZoneMappings:
        - AvailabilityZone: us-east-1a
  SpokesTable:
    Type: AWS::EC2::TransitGatewayRouteTable
    Properties:
      TransitGatewayId: !Ref Tgw
  SpokeToSpokes:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties:
      TransitGatewayAttachmentId: !Ref SpokeAttachment
      TransitGatewayRouteTableId: !Ref SpokesTable
  EgressToSpokes:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties:
      TransitGatewayAttachmentId: !Ref EgressAttachment
      TransitGatewayRouteTableId: !Ref SpokesTable
  SpokesToFirewall:
    Type: AWS::EC2::TransitGatewayRoute
    Properties:
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayAttachmentId: !GetAtt Firewall.TransitGatewayAttachmentId
      TransitGatewayRouteTableId: !Ref SpokesTable
  SpokePropagatedIntoSpokes:
    Type: AWS::EC2::TransitGatewayRouteTablePropagation
    Properties:
      TransitGatewayAttachmentId: !Ref SpokeAttachment
      TransitGatewayRouteTableId: !Ref SpokesTable
  InspectedTable:
    Type: AWS::EC2::TransitGatewayRouteTable
    Properties:
      TransitGatewayId: !Ref Tgw
  FirewallToInspected:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties:
      TransitGatewayAttachmentId: !GetAtt Firewall.TransitGatewayAttachmentId
      TransitGatewayRouteTableId: !Ref InspectedTable
  SpokeIntoInspected:
    Type: AWS::EC2::TransitGatewayRouteTablePropagation
    Properties:
      TransitGatewayAttachmentId: !Ref SpokeAttachment
      TransitGatewayRouteTableId: !Ref InspectedTable
  InspectedToEgress:
    Type: AWS::EC2::TransitGatewayRoute
    Properties:
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayAttachmentId: !Ref EgressAttachment
      TransitGatewayRouteTableId: !Ref InspectedTable
`;

describe('a firewall attached to the TGW in CloudFormation, with the spoke propagated into the table of the replies', function () {
  this.timeout(60000);

  async function runCfn(text: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('tgw.yaml', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('asymmetric-return-bypass on SpokesTable; the quick fix adds an AWS::EC2::TransitGatewayRoute to the firewall; applied, no finding', async () => {
    const r = await runCfn(CFN);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['asymmetric-return-bypass @ cfn:tgw.yaml#SpokesTable'],
    );
    const edits = r.findings[0].fix!.edits;
    assert.equal(edits.length, 1);
    assert.equal(
      edits[0].newText.trim(),
      [
        'SpokesTable1020016ViaFirewall:',
        '    Type: AWS::EC2::TransitGatewayRoute',
        '    Properties:',
        '      DestinationCidrBlock: 10.2.0.0/16',
        '      TransitGatewayAttachmentId: !GetAtt Firewall.TransitGatewayAttachmentId',
        '      TransitGatewayRouteTableId: !Ref SpokesTable',
      ].join('\n'),
    );
    const fixed = await runCfn(applyEdit(CFN, edits[0]));
    assert.deepEqual(summary(fixed), []);
    assert.equal(stateOf(fixed, 'cfn:tgw.yaml#SpokeVpc').state, 'Protected');
  });
});
