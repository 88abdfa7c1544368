// A CloudFormation route whose target is a Fn::If held because only a parameter's Default decides it (F156, R16): the
// path is Unknown with the reason the template gives (which Default, which branch, what the other would be) and the
// parameter to pass, not "route target of unknown type" (review s15 R21).
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  UseFw:
    Type: String
    Default: 'true'
    AllowedValues: ['true', 'false']
Conditions:
  Fw: !Equals [!Ref UseFw, 'true']
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      MapPublicIpOnLaunch: true
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref App
      RouteTableId: !Ref AppTable
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !If [Fw, !Ref 'AWS::NoValue', !Ref Igw]
      VpcEndpointId: !If [Fw, vpce-0123456789abcdef0, !Ref 'AWS::NoValue']
`;

async function run(values?: Record<string, string>): Promise<AnalysisResult> {
  const parameters = Object.fromEntries(Object.entries(values ?? {}).map(([k, value]) => [k, { value, from: '--cfn-param' as const }]));
  const ws = await createWorkspace(values ? { cfnUser: { parameters } } : {});
  ws.setFile('t.yaml', TEMPLATE);
  return analyze(ws.build().model);
}

describe('a CloudFormation route target held because only a Default decides it (R21)', function () {
  this.timeout(60000);

  it('is Unknown with the held reason and the parameter to pass', async () => {
    const r = await run();
    const s = r.states.find((x) => x.name === 'Vpc')!;
    assert.equal(s.state, 'Unknown');
    assert.equal(
      s.reason,
      "the path from App cannot be decided: route target !If [Fw, !Ref 'AWS::NoValue', !Ref Igw] is not resolvable offline (AppDefault: condition Fw holds only because UseFw takes its Default (\"true\"), not a value the stack is given, picking `!Ref 'AWS::NoValue'`; with another value it is `!Ref Igw`: pass `--cfn-param UseFw=...` (or the setting egressLens.cloudFormation.parameters) to decide it)",
    );
    assert.equal(r.egress[0].forward.outcome.kind === 'unknown' && r.egress[0].forward.outcome.cause, 'unresolved-input');
  });

  it('decided when the value is given', async () => {
    const off = await run({ UseFw: 'false' });
    assert.equal(off.states.find((x) => x.name === 'Vpc')!.state, 'Unprotected');
  });
});
