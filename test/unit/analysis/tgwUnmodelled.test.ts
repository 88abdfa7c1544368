import { strict as assert } from 'node:assert';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';

// A transit gateway route table is looked up only when nothing the model does not read may have written its
// routes (a custom resource given the TGW's id). Otherwise a table without a route for the internet would decide
// "dropped". A Cloud WAN route table attachment is modelled instead: cloudWanTgwPeering.test.ts.
describe('analysis: transit gateway tables touched by unmodelled resources', function () {
  this.timeout(30000);

  const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.40.0.0/24
  Workload:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.40.0.0/26
  Attach:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.40.0.64/28
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Workload
      RouteTableId: !Ref Table
  Tgw:
    Type: AWS::EC2::TransitGateway
    Properties:
      DefaultRouteTableAssociation: disable
      DefaultRouteTablePropagation: disable
  TgwAttachment:
    Type: AWS::EC2::TransitGatewayAttachment
    Properties:
      TransitGatewayId: !Ref Tgw
      VpcId: !Ref Vpc
      SubnetIds: [!Ref Attach]
  TgwTable:
    Type: AWS::EC2::TransitGatewayRouteTable
    Properties:
      TransitGatewayId: !Ref Tgw
  TgwAssoc:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties:
      TransitGatewayAttachmentId: !Ref TgwAttachment
      TransitGatewayRouteTableId: !Ref TgwTable
  Default:
    Type: AWS::EC2::Route
    DependsOn: TgwAttachment
    Properties:
      RouteTableId: !Ref Table
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayId: !Ref Tgw
`;

  const workload = async (text: string) => {
    const r = await analyzeFiles({ 't.yaml': text });
    return r.egress.find((e) => e.subnet === 'cfn:t.yaml#Workload')!.forward.outcome;
  };

  it('nothing else names the TGW: its table has no route for the internet, the packet is dropped', async () => {
    const o = await workload(template);
    assert.equal(o.kind, 'dropped');
    assert.match(o.reason, /no route for 8\.8\.8\.8 in TGW route table TgwTable/);
  });

  it('a custom resource given the TGW id: Unknown, naming it', async () => {
    const o = await workload(
      replaceOnce(template, [
        '  Default:\n',
        `  TgwRoutes:
    Type: Custom::TgwRoutes
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:111122223333:function:routes
      TransitGatewayId: !Ref Tgw
  Default:
`,
      ]),
    );
    assert.equal(o.kind, 'unknown');
    assert.match(o.reason, /routes of TGW route table TgwTable cannot be decided: Custom::TgwRoutes TgwRoutes/);
  });
});
