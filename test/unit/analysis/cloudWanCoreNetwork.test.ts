import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved } from '../../../src/model/types';
import { ROOT } from '../report/helpers';

// A route to a Cloud WAN core network (CoreNetworkArn) goes to the core network through the VPC's Cloud WAN
// attachment, which writes no route itself; where the core network sends it is its policy's choice (not read),
// so the path is decided only when no VPC attached to a core network in the inputs has a way out. Every CIDR of
// the fixture is the row of the stack's region in a mapping: the sources are walked with an address of the rows.
describe('analysis: Cloud WAN core network and CIDRs chosen by region', function () {
  this.timeout(60000);

  const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/cloud-wan-east-west/east-west.yaml'), 'utf8');
  const vpc = (id: string) => `cfn:ew.yaml#${id}`;

  async function run(text: string) {
    const r = await analyzeFiles({ 'ew.yaml': text });
    return { r, state: (id: string) => r.states.find((s) => s.vpc === vpc(id)) };
  }

  it('east-west only, no VPC with a way out: the workload VPCs are No Egress, the reason stating the assumption', async () => {
    const { r, state } = await run(fixture);
    for (const id of ['AppVpc', 'BatchVpc']) {
      const s = state(id);
      assert.equal(s?.state, 'No Egress', s?.reason);
      assert.match(s.reason, /core network CoreNetworkArn has no way to the internet in the inputs/);
      assert.match(s.reason, /assumes the core network has no attachment outside the inputs/);
    }
    assert.equal(state('InspVpc')?.state, 'Inspection');
    // The source is an address of the rows (one per region), named in the walk.
    const app = r.egress.find((e) => e.subnet === 'cfn:ew.yaml#AppWorkload')!;
    assert.equal(app.forward.outcome.kind, 'dropped');
    assert.equal(app.forward.outcome.kind === 'dropped' && app.forward.outcome.cause, 'core-network-closed');
    assert.match(app.forward.source.ip, /10\.31\.0\.0\/26, 10\.61\.0\.0\/26 \(AppCidrs by the stack's region\)/);
    assert.deepEqual(
      app.forward.hops.map((h) => h.element),
      ['cfn:ew.yaml#AppWorkload', 'cfn:ew.yaml#AppCloudWan'],
    );
  });

  it('an attached VPC with an internet gateway: Unknown, the core network policy decides', async () => {
    const { state } = await run(
      replaceOnce(fixture, [
        '  InspPolicy:\n',
        `  InspIgw:
    Type: AWS::EC2::InternetGateway
  InspIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref InspVpc
      InternetGatewayId: !Ref InspIgw
  InspPolicy:
`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(
      s.reason,
      /core network CoreNetworkArn takes the traffic is not decided by the inputs: it may send the traffic to InspVpc, which has a way out \(igw InspIgw/,
    );
    assert.match(s.reason, /its policy \(segments, segment actions\) decides and is not read/);
  });

  it('no other VPC attached to a core network in the inputs: Unknown, never No Egress', async () => {
    // Only the app VPC's attachment: where its default route leads is outside the inputs.
    const { state } = await run(
      replaceOnce(
        fixture,
        ['  BatchCloudWan:\n    Type: AWS::NetworkManager::VpcAttachment', '  BatchCloudWan:\n    Type: AWS::SSM::Parameter'],
        ['  InspCloudWan:\n    Type: AWS::NetworkManager::VpcAttachment', '  InspCloudWan:\n    Type: AWS::SSM::Parameter'],
      ),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /no other VPC attached to a core network is in the inputs/);
  });

  it('a route to the core network from a VPC whose attachment is not in the inputs: Unknown', async () => {
    const { r, state } = await run(
      replaceOnce(fixture, [
        '  AppCloudWan:\n    Type: AWS::NetworkManager::VpcAttachment',
        '  AppCloudWan:\n    Type: AWS::SSM::Parameter',
      ]),
    );
    assert.equal(state('AppVpc')?.state, 'Unknown');
    const app = r.egress.find((e) => e.subnet === vpc('AppWorkload'))!;
    assert.equal(app.forward.outcome.kind, 'unknown');
    assert.match(app.forward.outcome.reason, /the attachment of AppVpc to it is not in the inputs/);
  });

  it('another kind of Cloud WAN attachment in the inputs (a Connect attachment): Unknown, naming it', async () => {
    const { state } = await run(
      replaceOnce(fixture, [
        '  InspPolicy:\n',
        `  SdWan:
    Type: AWS::NetworkManager::ConnectAttachment
    Properties:
      CoreNetworkId: !Ref CoreNetworkId
      EdgeLocation: eu-central-1
      TransportAttachmentId: !Ref InspCloudWan
      Options:
        Protocol: GRE
  InspPolicy:
`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /AWS::NetworkManager::ConnectAttachment SdWan/);
  });

  it("the attachment no longer makes the attached VPC's tables undecidable", async () => {
    const r = await analyzeFiles({ 'ew.yaml': fixture });
    const diag = r.parseDiagnostics.find((d) => d.message.startsWith('AppCloudWan'));
    assert.match(diag?.message ?? '', /writes no route/);
    assert.ok(!r.egress.some((e) => /may change them/.test(JSON.stringify(e.forward.outcome))));
  });

  it('parse: a CIDR from a mapping keyed by AWS::Region keeps its rows; rows that agree are the value', async () => {
    const ws = await createWorkspace();
    ws.setFile('ew.yaml', fixture);
    const m = ws.build().model;
    const sub = m.elements.find((e) => e.id === vpc('AppWorkload'));
    assert.ok(sub?.kind === 'subnet' && isUnresolved(sub.cidr));
    assert.deepEqual(sub.kind === 'subnet' && isUnresolved(sub.cidr) ? sub.cidr.byRegion : undefined, {
      mapping: 'AppCidrs',
      rows: [
        { region: 'eu-central-1', value: '10.31.0.0/26' },
        { region: 'us-west-2', value: '10.61.0.0/26' },
      ],
    });
    // InspCidrs writes the same CIDR for every region: whatever the region, that is the CIDR.
    const insp = m.elements.find((e) => e.id === vpc('InspVpc'));
    assert.deepEqual(insp?.kind === 'vpc' ? insp.cidrs : undefined, ['100.64.0.0/24']);
  });

  it('a route whose destination holds some rows of the source only: the reply is Unknown naming the rows', async () => {
    // Give the app VPC an internet gateway and a public default route, and a route for one region's workload
    // CIDR to the core network in the IGW's edge table: the reply's way depends on the region.
    const { r, state } = await run(
      replaceOnce(
        fixture,
        [
          '      CoreNetworkArn: !Ref CoreNetworkArn\n  AppCloudWan:',
          `      GatewayId: !Ref AppIgw
  AppIgw:
    Type: AWS::EC2::InternetGateway
  AppIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref AppVpc
      InternetGatewayId: !Ref AppIgw
  AppEdgeTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  AppEdgeAssoc:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties:
      GatewayId: !Ref AppIgw
      RouteTableId: !Ref AppEdgeTable
  AppEdgeEuRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppEdgeTable
      DestinationCidrBlock: 10.31.0.0/26
      CoreNetworkArn: !Ref CoreNetworkArn
  AppCloudWan:`,
        ],
        ['    DependsOn: AppCloudWan\n', ''],
      ),
    );
    // The way out is decided whatever the region (straight to the IGW: a bypass), the way back is not.
    assert.equal(state('AppVpc')?.state, 'Unprotected');
    const back = r.egress.find((e) => e.subnet === vpc('AppWorkload'))?.return;
    assert.equal(back?.outcome.kind, 'unknown');
    assert.match(
      back.outcome.reason,
      /route AppEdgeEuRoute \(ew\.yaml:\d+\) to 10\.31\.0\.0\/26 holds only part of 10\.31\.0\.0\/26, 10\.61\.0\.0\/26/,
    );
    assert.match(
      back.outcome.reason,
      /is in the row of the stack's region of mapping AppCidrs \(eu-central-1: 10\.31\.0\.0\/26, us-west-2: 10\.61\.0\.0\/26\)/,
    );
  });
});
