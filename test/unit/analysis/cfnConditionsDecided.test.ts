// CloudFormation resources whose Condition the parameters' values (the user's, else the Default) decide false are
// not created (F130): left out of the model, said by the conditional-resource info, and a Ref or Fn::GetAtt of
// one is Unresolved 'X is not created (condition C is false)'. A condition they cannot decide keeps the resource,
// analysed as present. The subnets of a transit gateway attachment left out are that attachment's plumbing while
// they hold nothing (Subnet.reservedFor), not workload sources. Templates written here (ours), modelled on an
// egress VPC whose transit gateway attachment waits for a parameter.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { CfnUserValues } from '../../../src/parse/types';
import type { NetworkElement, RouteTable, Subnet } from '../../../src/model/types';
import { replaceOnce } from '../analyzeFiles';

const FILE = 'egress.yaml';
const id = (logical: string): string => `cfn:${FILE}#${logical}`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TransitGatewayId:
    Type: String
    Default: ""
  ExtraNat:
    Type: String
    Default: "no"
    AllowedValues: ["yes", "no"]
  Owner:
    Type: String
Conditions:
  HasTgw: !Not [!Equals [!Ref TransitGatewayId, ""]]
  WithExtraNat: !Equals [!Ref ExtraNat, "yes"]
  OwnedByOps: !Equals [!Ref Owner, ops]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.80.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.80.0.0/24
      AvailabilityZone: eu-west-1a
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicTable
  NatEip:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref PublicSubnet
      AllocationId: !GetAtt NatEip.AllocationId
  ExtraNatEip:
    Type: AWS::EC2::EIP
    Condition: WithExtraNat
    Properties:
      Domain: vpc
  ExtraNatGateway:
    Type: AWS::EC2::NatGateway
    Condition: WithExtraNat
    Properties:
      SubnetId: !Ref PublicSubnet
      AllocationId: !GetAtt ExtraNatEip.AllocationId
  AttachSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.80.1.0/28
      AvailabilityZone: eu-west-1a
  AttachTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AttachDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AttachTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  AttachAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AttachSubnet
      RouteTableId: !Ref AttachTable
  TgwAttachment:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Condition: HasTgw
    Properties:
      TransitGatewayId: !Ref TransitGatewayId
      VpcId: !Ref Vpc
      SubnetIds: [!Ref AttachSubnet]
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.80.10.0/24
      AvailabilityZone: eu-west-1a
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppTable
  OpsFlowLogs:
    Type: AWS::EC2::FlowLog
    Condition: OwnedByOps
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
`;

const user = (parameters: Record<string, string>): CfnUserValues => ({
  parameters: Object.fromEntries(Object.entries(parameters).map(([k, value]) => [k, { value, from: '--cfn-param' }])),
});

async function run(text: string, u?: CfnUserValues): Promise<AnalysisResult> {
  const ws = await createWorkspace(u ? { cfnUser: u } : {});
  ws.setFile(FILE, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const element = (r: AnalysisResult, logical: string): NetworkElement | undefined => r.model.elements.find((e) => e.id === id(logical));
const conditional = (r: AnalysisResult): string[] =>
  r.parseDiagnostics.filter((d) => d.code === 'conditional-resource').map((d) => d.message);
const sources = (r: AnalysisResult): string[] => r.egress.map((e) => e.subnet.replace(id(''), '')).sort();
const state = (r: AnalysisResult): string | undefined => r.states.find((s) => s.vpc === id('Vpc'))?.state;

describe('CloudFormation conditions the parameters decide (F130)', function () {
  this.timeout(60000);

  it('decided false by the Defaults: the resources are left out and said so; the attachment subnet is its plumbing', async () => {
    const r = await run(TEMPLATE);
    for (const gone of ['TgwAttachment', 'ExtraNatEip', 'ExtraNatGateway']) assert.equal(element(r, gone), undefined, gone);
    assert.deepEqual(conditional(r), [
      'ExtraNatEip is not created: condition WithExtraNat is false with ExtraNat = "no" (its Default); it is left out',
      'ExtraNatGateway is not created: condition WithExtraNat is false with ExtraNat = "no" (its Default); it is left out',
      'TgwAttachment is not created: condition HasTgw is false with TransitGatewayId = "" (its Default); it is left out',
      // Owner has no Default: whether OwnedByOps holds is decided at deploy time, as before.
      'OpsFlowLogs exists only when condition OwnedByOps holds; it is analysed as present',
    ]);
    const attach = element(r, 'AttachSubnet') as Subnet;
    assert.equal(attach.reservedFor, 'transit gateway attachment TgwAttachment, which is not created (condition HasTgw is false)');
    assert.equal((element(r, 'AppSubnet') as Subnet).reservedFor, undefined);
    // The empty attachment subnet is no workload: only the app subnet's egress is traced.
    assert.deepEqual(sources(r), ['AppSubnet']);
    assert.equal(state(r), 'Unprotected');
    // No 'refers to , which is not defined' for the empty TransitGatewayId of an attachment that is not created.
    assert.deepEqual(
      r.parseDiagnostics.filter((d) => d.code === 'missing-reference').map((d) => d.message),
      [],
    );
  });

  it('decided true by the values the user gives: present, and the info says which values decide it', async () => {
    const r = await run(TEMPLATE, user({ TransitGatewayId: 'tgw-0a1b2c3d4e5f60718', ExtraNat: 'yes' }));
    for (const kept of ['TgwAttachment', 'ExtraNatEip', 'ExtraNatGateway']) assert.ok(element(r, kept), kept);
    assert.ok(
      conditional(r).includes(
        'TgwAttachment exists only when condition HasTgw holds, as it does with TransitGatewayId = "tgw-0a1b2c3d4e5f60718" (given by --cfn-param); it is analysed as present',
      ),
    );
    assert.equal((element(r, 'AttachSubnet') as Subnet).reservedFor, undefined);
    assert.deepEqual(sources(r), ['AppSubnet']);
  });

  it('a Ref or Fn::GetAtt of a resource that is not created is Unresolved, saying so', async () => {
    const text = replaceOnce(TEMPLATE, [
      '      NatGatewayId: !Ref Nat\n  AppAssociation:',
      '      NatGatewayId: !Ref ExtraNatGateway\n  AppAssociation:',
    ]);
    const r = await run(text);
    const app = element(r, 'AppTable') as RouteTable;
    const ref = app.routes[0].target.ref;
    assert.ok(ref !== undefined && typeof ref !== 'string');
    assert.equal(ref.reason, 'ExtraNatGateway is not created (condition WithExtraNat is false)');
    const eg = r.egress.find((e) => e.subnet === id('AppSubnet'))!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
    assert.equal(state(r), 'Unknown');
    // The same route once the user creates it: through the extra NAT gateway.
    const given = await run(text, user({ ExtraNat: 'yes' }));
    assert.equal((element(given, 'AppTable') as RouteTable).routes[0].target.ref, id('ExtraNatGateway'));
    assert.equal(state(given), 'Unprotected');

    const f = parseCloudFormation(
      FILE,
      replaceOnce(TEMPLATE, ['      CidrBlock: 10.80.10.0/24\n', '      CidrBlock: !GetAtt ExtraNatEip.PublicIp\n']),
    );
    const cidr = (f.elements.find((e) => e.id === id('AppSubnet')) as Subnet).cidr;
    assert.ok(typeof cidr !== 'string');
    assert.equal(cidr.reason, 'ExtraNatEip is not created (condition WithExtraNat is false)');
  });

  it('an output whose condition is false is not exported', () => {
    const outputs = `Outputs:
  ExtraNatId:
    Condition: WithExtraNat
    Value: !Ref ExtraNatGateway
    Export:
      Name: extra-nat
  NatId:
    Value: !Ref Nat
    Export:
      Name: nat
`;
    assert.deepEqual(
      parseCloudFormation(FILE, TEMPLATE + outputs).exports?.map((e) => e.output),
      ['NatId'],
    );
    assert.deepEqual(
      parseCloudFormation(FILE, TEMPLATE + outputs, { cfnUser: user({ ExtraNat: 'yes' }) }).exports?.map((e) => e.output),
      ['ExtraNatId', 'NatId'],
    );
  });

  it('an edit of the template re-decides its conditions (incremental analysis equals a fresh one)', async () => {
    const ws = await createWorkspace();
    const analyzer = createAnalyzer();
    const step = (text: string): AnalysisResult => {
      ws.setFile(FILE, text);
      const b = ws.build();
      const fresh = analyze(b.model, {}, b.diagnostics);
      const inc = analyzer.analyze(b.model, {}, b.diagnostics);
      assert.deepEqual(inc.egress, fresh.egress);
      assert.deepEqual(inc.states, fresh.states);
      assert.deepEqual(inc.findings, fresh.findings);
      return inc;
    };
    assert.deepEqual(sources(step(TEMPLATE)), ['AppSubnet']);
    // The Default now names a transit gateway: the attachment is created, its subnet is its attachment's.
    const withTgw = step(replaceOnce(TEMPLATE, ['    Default: ""\n', '    Default: tgw-0a1b2c3d4e5f60718\n']));
    assert.ok(element(withTgw, 'TgwAttachment'));
    assert.equal((element(withTgw, 'AttachSubnet') as Subnet).reservedFor, undefined);
    assert.deepEqual(sources(withTgw), ['AppSubnet']);
    // No attachment written at all: the empty subnet is kept for nothing, a workload subnet like any other.
    const start = TEMPLATE.indexOf('  TgwAttachment:\n');
    const end = TEMPLATE.indexOf('  AppSubnet:\n');
    assert.deepEqual(sources(step(TEMPLATE.slice(0, start) + TEMPLATE.slice(end))), ['AppSubnet', 'AttachSubnet']);
    // Back to the first text: the same result as at first.
    assert.deepEqual(sources(step(TEMPLATE)), ['AppSubnet']);
  });
  it("a deploying template's parameters decide the nested template's conditions, and an edit of them re-decides", async () => {
    const ws = await createWorkspace();
    const parent = (tgw: string): string => `Resources:
  Egress:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./egress.yaml
      Parameters:
        TransitGatewayId: "${tgw}"
        Owner: ops
`;
    const child = (logical: string): NetworkElement | undefined =>
      ws.build().model.elements.find((e) => e.id === `cfn:net/egress.yaml#${logical}`);
    ws.setFile('net/egress.yaml', TEMPLATE);
    ws.setFile('net/main.yaml', parent('tgw-0a1b2c3d4e5f60718'));
    assert.ok(child('TgwAttachment'));
    assert.ok(
      ws
        .build()
        .diagnostics.some(
          (d) =>
            d.message ===
            'TgwAttachment exists only when condition HasTgw holds, as it does with TransitGatewayId = "tgw-0a1b2c3d4e5f60718" (given by net/main.yaml Egress); it is analysed as present',
        ),
    );
    ws.setFile('net/main.yaml', parent(''));
    assert.equal(child('TgwAttachment'), undefined);
    assert.equal(
      (child('AttachSubnet') as Subnet).reservedFor,
      'transit gateway attachment TgwAttachment, which is not created (condition HasTgw is false)',
    );
  });
});
