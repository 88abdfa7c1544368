// CloudFormation: what a parameter's Default alone decides about routing (review R16, F155, F156). A Fn::If whose
// condition the parameters' values decide is read as the branch they pick (AWS::NoValue: the property unset, the list
// item dropped); a routing resource (route, subnet or gateway association) whose Condition is false only because a
// parameter takes its Default, and that would change the routing of what exists either way, is kept as a route or
// association whose existence is not decided: a path it would change is Unknown, never Protected on a Default nobody
// gave. The same for a routing resource's Fn::If decided only by a Default whose other branch names something that
// exists. Resources built for more zones, optional subnets and attachments stay left out (F130). Templates written
// here (ours), modelled on a one-zone Network Firewall egress VPC with a debug switch.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { CfnUserValues } from '../../../src/parse/types';
import type { RouteTable, TgwAttachment } from '../../../src/model/types';
import { replaceOnce } from '../analyzeFiles';

const FILE = 'egress.yaml';
const id = (logical: string): string => `cfn:${FILE}#${logical}`;

const ENDPOINT = '!Select [1, !Split [":", !Select [0, !GetAtt Firewall.EndpointIds]]]';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DebugBypass:
    Type: String
    Default: "false"
    AllowedValues: ["true", "false"]
  SecondAz:
    Type: String
    Default: "no"
Conditions:
  Bypass: !Equals [!Ref DebugBypass, "true"]
  TwoAz: !Equals [!Ref SecondAz, "yes"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.30.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  FirewallSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.30.0.0/28
      AvailabilityZone: eu-west-1a
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.30.10.0/24
      AvailabilityZone: eu-west-1a
  Rules:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: allow-web
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RulesSource:
          RulesSourceList:
            GeneratedRulesType: ALLOWLIST
            TargetTypes: [TLS_SNI]
            Targets: [".example.com"]
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulEngineOptions:
          RuleOrder: STRICT_ORDER
        StatefulDefaultActions: ["aws:drop_established"]
        StatefulRuleGroupReferences:
          - ResourceArn: !Ref Rules
            Priority: 10
  Firewall:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: egress
      FirewallPolicyArn: !Ref Policy
      VpcId: !Ref Vpc
      SubnetMappings:
        - SubnetId: !Ref FirewallSubnet
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppTable
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: ${ENDPOINT}
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppTable
  FirewallTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  FirewallDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref FirewallTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  FirewallAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref FirewallSubnet
      RouteTableId: !Ref FirewallTable
  EdgeTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  EdgeToApp:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EdgeTable
      DestinationCidrBlock: 10.30.10.0/24
      VpcEndpointId: ${ENDPOINT}
  EdgeAssociation:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties:
      GatewayId: !Ref Igw
      RouteTableId: !Ref EdgeTable
  DebugRoute:
    Type: AWS::EC2::Route
    Condition: Bypass
    Properties:
      RouteTableId: !Ref AppTable
      DestinationCidrBlock: 8.0.0.0/7
      GatewayId: !Ref Igw
  AppSubnetB:
    Type: AWS::EC2::Subnet
    Condition: TwoAz
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.30.11.0/24
      AvailabilityZone: eu-west-1b
  AppTableB:
    Type: AWS::EC2::RouteTable
    Condition: TwoAz
    Properties:
      VpcId: !Ref Vpc
  AppDefaultB:
    Type: AWS::EC2::Route
    Condition: TwoAz
    Properties:
      RouteTableId: !Ref AppTableB
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  AppAssociationB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Condition: TwoAz
    Properties:
      SubnetId: !Ref AppSubnetB
      RouteTableId: !Ref AppTableB
`;

const user = (parameters: Record<string, string>): CfnUserValues => ({
  parameters: Object.fromEntries(Object.entries(parameters).map(([k, value]) => [k, { value, from: '--cfn-param' }])),
});

async function run(files: Record<string, string>, u?: CfnUserValues): Promise<AnalysisResult> {
  const ws = await createWorkspace(u ? { cfnUser: u } : {});
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const vpcState = (r: AnalysisResult, vpc = id('Vpc')) => r.states.find((s) => s.vpc === vpc)!;
const table = (r: AnalysisResult, logical: string): RouteTable => r.model.elements.find((e) => e.id === id(logical)) as RouteTable;
const errors = (r: AnalysisResult): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);

describe('CloudFormation: what a Default alone decides about routing (R16, F155, F156)', function () {
  this.timeout(60000);

  it('a bypass route left out only by a Default: kept as a route that may exist, the VPC Unknown naming the Default, no finding', async () => {
    const r = await run({ [FILE]: TEMPLATE });
    const debug = table(r, 'AppTable').routes.find((x) => x.id === id('DebugRoute'));
    assert.ok(debug?.undecided, 'the debug route is kept, its existence undecided');
    assert.equal(
      debug.undecided.reason,
      'condition Bypass is false only because DebugBypass takes its Default ("false"), not a value the stack is given: with another value DebugRoute exists (pass `--cfn-param DebugBypass=...` (or the setting egressLens.cloudFormation.parameters) to decide it)',
    );
    const st = vpcState(r);
    assert.equal(st.state, 'Unknown', st.reason);
    assert.match(st.reason, /route cfn:egress\.yaml#DebugRoute .* DebugBypass takes its Default \("false"\)/);
    assert.deepEqual(errors(r), []);
    // The zone-B subnet, its table, route and association stay left out (F130): nothing of them exists either way.
    for (const gone of ['AppSubnetB', 'AppTableB', 'AppAssociationB'])
      assert.equal(
        r.model.elements.find((e) => e.id === id(gone)),
        undefined,
      );
    const said = r.parseDiagnostics.filter((d) => d.code === 'conditional-resource').map((d) => d.message);
    assert.ok(said.includes('AppDefaultB is not created: condition TwoAz is false with SecondAz = "no" (its Default); it is left out'));
    assert.ok(
      said.some((m) =>
        m.startsWith(
          'DebugRoute exists only when condition Bypass holds. It does not with DebugBypass = "false" (its Default), but a Default is not',
        ),
      ),
    );
  });

  it("a bypass through its own gateway, which the same Default leaves out: the route is kept, its target 'not created'", async () => {
    const text =
      replaceOnce(TEMPLATE, [
        '      DestinationCidrBlock: 8.0.0.0/7\n      GatewayId: !Ref Igw\n',
        '      DestinationCidrBlock: 8.0.0.0/7\n      NatGatewayId: !Ref DebugNat\n',
      ]) +
      `  DebugEip:
    Type: AWS::EC2::EIP
    Condition: Bypass
  DebugNat:
    Type: AWS::EC2::NatGateway
    Condition: Bypass
    Properties:
      SubnetId: !Ref FirewallSubnet
      AllocationId: !GetAtt DebugEip.AllocationId
`;
    const r = await run({ [FILE]: text });
    const debug = table(r, 'AppTable').routes.find((x) => x.id === id('DebugRoute'));
    assert.ok(debug?.undecided);
    assert.equal(
      r.model.elements.find((e) => e.id === id('DebugNat')),
      undefined,
    );
    assert.equal(vpcState(r).state, 'Unknown', vpcState(r).reason);
    // A route waiting for a parameter left empty (an optional attachment, F130) is left out.
    const optional = replaceOnce(TEMPLATE, [
      '      DestinationCidrBlock: 8.0.0.0/7\n',
      '      DestinationCidrBlock: !Ref SecondAz\n',
    ]).replace('    Default: "no"\n', '    Default: ""\n');
    const o = await run({ [FILE]: optional });
    assert.equal(
      table(o, 'AppTable').routes.find((x) => x.id === id('DebugRoute')),
      undefined,
    );
    assert.equal(vpcState(o).state, 'Protected', vpcState(o).reason);
  });

  it('the value the stack is given decides: left out (Protected) or present (Unprotected, with the bypass error)', async () => {
    const off = await run({ [FILE]: TEMPLATE }, user({ DebugBypass: 'false' }));
    assert.equal(
      table(off, 'AppTable').routes.find((x) => x.id === id('DebugRoute')),
      undefined,
    );
    assert.equal(vpcState(off).state, 'Protected', vpcState(off).reason);
    const on = await run({ [FILE]: TEMPLATE }, user({ DebugBypass: 'true' }));
    assert.equal(vpcState(on).state, 'Unprotected', vpcState(on).reason);
    assert.deepEqual(errors(on), ['asymmetric-return-only']);
  });

  it('a nested stack: the Default is what its parent gives it, so the route is left out', async () => {
    const parent = `Resources:
  Egress:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./egress.yaml
`;
    const r = await run({ [FILE]: TEMPLATE, 'main.yaml': parent });
    assert.equal(
      table(r, 'AppTable').routes.find((x) => x.id === id('DebugRoute')),
      undefined,
    );
    assert.equal(vpcState(r).state, 'Protected', vpcState(r).reason);
  });

  it('a route to a private range, or in a table left out too, changes no internet path: the VPC stays Protected', async () => {
    const text = replaceOnce(TEMPLATE, ['      DestinationCidrBlock: 8.0.0.0/7\n', '      DestinationCidrBlock: 10.99.0.0/16\n']);
    const r = await run({ [FILE]: text });
    assert.ok(table(r, 'AppTable').routes.find((x) => x.id === id('DebugRoute'))?.undecided);
    assert.equal(vpcState(r).state, 'Protected', vpcState(r).reason);
  });

  it('Fn::If in a route decided only by a Default, whose other branch is the internet gateway: the target Unresolved, naming the Default (F156)', async () => {
    const text = replaceOnce(TEMPLATE, [
      `      DestinationCidrBlock: 0.0.0.0/0\n      VpcEndpointId: ${ENDPOINT}\n  AppAssociation:`,
      `      DestinationCidrBlock: 0.0.0.0/0\n      VpcEndpointId: !If [Bypass, !Ref AWS::NoValue, ${ENDPOINT}]\n      GatewayId: !If [Bypass, !Ref Igw, !Ref AWS::NoValue]\n  AppAssociation:`,
    ]);
    const r = await run({ [FILE]: text });
    const route = table(r, 'AppTable').routes.find((x) => x.id === id('AppDefault'))!;
    const ref = route.target.ref;
    assert.ok(ref !== undefined && typeof ref !== 'string', 'the target is not decided');
    assert.equal(
      ref.reason,
      'AppDefault: condition Bypass is false only because DebugBypass takes its Default ("false"), not a value the stack is given, picking `!Ref AWS::NoValue`; with another value it is `!Ref Igw`: pass `--cfn-param DebugBypass=...` (or the setting egressLens.cloudFormation.parameters) to decide it',
    );
    assert.equal(vpcState(r).state, 'Unknown');
    // Given by the user: the branch it picks (the unset GatewayId dropped), Protected; or the internet gateway.
    const off = await run({ [FILE]: text }, user({ DebugBypass: 'false' }));
    const offRoute = table(off, 'AppTable').routes.find((x) => x.id === id('AppDefault'))!;
    assert.equal(offRoute.target.kind, 'gwlbe');
    assert.equal(vpcState(off).state, 'Protected', vpcState(off).reason);
    const on = await run({ [FILE]: text }, user({ DebugBypass: 'true' }));
    assert.equal(table(on, 'AppTable').routes.find((x) => x.id === id('AppDefault'))!.target.ref, id('Igw'));
    assert.equal(vpcState(on).state, 'Unprotected');
  });

  it('two associations of one subnet whose conditions a Default decides: which table it has is not decided', async () => {
    const text =
      replaceOnce(TEMPLATE, [
        '  AppAssociation:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:',
        '  AppAssociation:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Condition: Inspected\n    Properties:',
      ]).replace('Conditions:\n', 'Conditions:\n  Inspected: !Not [Condition: Bypass]\n') +
      `  DirectAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Condition: Bypass
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref FirewallTable
`;
    const r = await run({ [FILE]: text });
    const st = vpcState(r);
    assert.equal(st.state, 'Unknown', st.reason);
    assert.match(st.reason, /DirectAssociation .*DebugBypass takes its Default/);
    assert.equal(vpcState(await run({ [FILE]: text }, user({ DebugBypass: 'false' }))).state, 'Protected');
    assert.equal(vpcState(await run({ [FILE]: text }, user({ DebugBypass: 'true' }))).state, 'Unprotected');
  });

  it('Fn::If decided by the values: the branch (AWS::NoValue drops a list item); undecided: Unresolved naming the condition (F155)', () => {
    const text = `Parameters:
  TransitGatewayId:
    Type: String
    Default: tgw-0123456789abcdef0
  WithB:
    Type: String
    Default: "no"
  Owner:
    Type: String
Conditions:
  HasB: !Equals [!Ref WithB, "yes"]
  Ops: !Equals [!Ref Owner, ops]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !If [Ops, 10.1.0.0/16, 10.2.0.0/16]
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.2.0.0/24
  SubnetB:
    Type: AWS::EC2::Subnet
    Condition: HasB
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.2.1.0/24
  Attachment:
    Type: AWS::EC2::TransitGatewayVpcAttachment
    Properties:
      TransitGatewayId: !Ref TransitGatewayId
      VpcId: !Ref Vpc
      SubnetIds: [!Ref SubnetA, !If [HasB, !Ref SubnetB, !Ref AWS::NoValue]]
`;
    const f = parseCloudFormation(FILE, text);
    const att = f.elements.find((e) => e.id === id('Attachment')) as TgwAttachment;
    assert.deepEqual(att.subnets, [id('SubnetA')]);
    const vpc = f.elements.find((e) => e.id === id('Vpc'));
    assert.ok(vpc?.kind === 'vpc');
    const cidr = vpc.cidrs[0];
    assert.ok(typeof cidr !== 'string');
    assert.equal(
      cidr.reason,
      "Fn::If is evaluated at deploy time: the parameters' values do not decide condition Ops (Owner (no value: it has no Default))",
    );
    const given = parseCloudFormation(FILE, text, { cfnUser: user({ WithB: 'yes', Owner: 'ops' }) });
    assert.deepEqual((given.elements.find((e) => e.id === id('Attachment')) as TgwAttachment).subnets, [id('SubnetA'), id('SubnetB')]);
    const v2 = given.elements.find((e) => e.id === id('Vpc'));
    assert.ok(v2?.kind === 'vpc');
    assert.deepEqual(v2.cidrs, ['10.1.0.0/16']);
  });
});
