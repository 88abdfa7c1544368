// A CloudFormation route to one address not known offline, written `!Join ['/', [!Ref Ip, 32]]` or
// `!Sub '${Ip}/32'` (an operator's address, a parameter without default): a /32 of unknown address, which the
// lookup of the internet stand-in leaves out, as Terraform's "${var.ip}/32". A spoke whose table holds only that
// route and the local one has no way to the internet. Field: FortiGate TGW spoke templates whose table held only
// the WanIP /32 -> IGW (Unknown before; and a table with no other match made the lookup fail). Templates written
// for these tests.
import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../analyzeFiles';

function template(destination: string, defaultRoute: boolean): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  WanIP:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.9.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.9.1.0/24
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Sub
      RouteTableId: !Ref Table
  Admin:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationCidrBlock: ${destination}
      GatewayId: !Ref Igw
${
  defaultRoute
    ? `  Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
`
    : ''
}`;
}

const JOIN = `!Join ['/', [!Ref WanIP, 32]]`;
const SUB = `!Sub '\${WanIP}/32'`;

describe('CloudFormation /32 route of an address not known offline', () => {
  it('is left out of the internet lookup: only the local route and it, No Egress (Join and Sub)', async () => {
    for (const d of [JOIN, SUB]) {
      const r = await analyzeFiles({ 'spoke.yaml': template(d, false) });
      assert.deepEqual(
        r.states.map((s) => s.state),
        ['No Egress'],
        d,
      );
    }
  });

  it('does not hide the default route: Unprotected through the IGW', async () => {
    const r = await analyzeFiles({ 'spoke.yaml': template(JOIN, true) });
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['Unprotected'],
    );
  });

  it('a Join whose tail is not a prefix length stays an unknown destination (Unknown)', async () => {
    const r = await analyzeFiles({ 'spoke.yaml': template(`!Join ['', [!Ref WanIP, '/3x']]`, false) });
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['Unknown'],
    );
  });
});
