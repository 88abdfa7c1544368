// A CloudFormation spoke whose TGW route tables are an existing TGW's, named by parameters (F296): the association,
// propagation and TGW route that name them through `!Ref` to a parameter (or an import, or a literal id) name tables
// outside the template. That is no missing reference (no warning); which table it is is not known offline, and the
// spoke's path through the TGW says so (Unknown, naming the association). A Ref to a resource of the template that is
// no TGW route table is still a mistake of the template, warned.
import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const TABLE = '!Ref SpokeTgwRtb';

/** Our spoke: one VPC, one workload subnet whose 0/0 goes to a TGW of the template, attached and associated to `table`. */
function spoke(table = TABLE, securityTable = '!Ref SecurityTgwRtb'): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  SpokeTgwRtb:
    Type: String
    Description: the existing TGW route table the spokes associate with
  SecurityTgwRtb:
    Type: String
    Description: the existing TGW route table of the security VPC
Resources:
  Tgw:
    Type: AWS::EC2::TransitGateway
    Properties:
      DefaultRouteTableAssociation: disable
      DefaultRouteTablePropagation: disable
  AppVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.61.0.0/16
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref AppVpc
      CidrBlock: 10.61.1.0/24
      AvailabilityZone: eu-west-1a
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  AppTableAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppTable
  AppDefault:
    Type: AWS::EC2::Route
    DependsOn: SpokeAttachment
    Properties:
      RouteTableId: !Ref AppTable
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayId: !Ref Tgw
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0app
      SubnetId: !Ref AppSubnet
  SpokeAttachment:
    Type: AWS::EC2::TransitGatewayAttachment
    Properties:
      TransitGatewayId: !Ref Tgw
      VpcId: !Ref AppVpc
      SubnetIds: [!Ref AppSubnet]
  SpokeAssociation:
    Type: AWS::EC2::TransitGatewayRouteTableAssociation
    Properties:
      TransitGatewayAttachmentId: !Ref SpokeAttachment
      TransitGatewayRouteTableId: ${table}
  SpokePropagation:
    Type: AWS::EC2::TransitGatewayRouteTablePropagation
    Properties:
      TransitGatewayAttachmentId: !Ref SpokeAttachment
      TransitGatewayRouteTableId: ${securityTable}
  SpokeRange:
    Type: AWS::EC2::TransitGatewayRoute
    Properties:
      TransitGatewayRouteTableId: ${securityTable}
      DestinationCidrBlock: 10.61.0.0/16
      TransitGatewayAttachmentId: !Ref SpokeAttachment
`;
}

const missing = (r: AnalysisResult) => r.parseDiagnostics.filter((d) => d.code === 'missing-reference');
const appVpc = (r: AnalysisResult) => r.states.find((s) => s.vpc.endsWith('#AppVpc'))!;

describe('CloudFormation TGW route tables named by parameters (F296)', function () {
  this.timeout(60000);

  for (const [what, table, security] of [
    ['parameters', TABLE, '!Ref SecurityTgwRtb'],
    ['imports of another stack', "!ImportValue 'network-SpokeTgwRtb'", "!ImportValue 'network-SecurityTgwRtb'"],
    ['literal ids', 'tgw-rtb-0a1b2c3d4e5f60718', 'tgw-rtb-0f1e2d3c4b5a69788'],
  ]) {
    it(`tables named by ${what}: no missing-reference warning, the spoke Unknown naming its association`, async () => {
      const r = await analyzeFiles({ 'spoke.yaml': spoke(table, security) });
      assert.deepEqual(
        missing(r).map((d) => d.message),
        [],
      );
      const s = appVpc(r);
      assert.equal(s.state, 'Unknown');
      assert.match(s.reason, /association SpokeAssociation .*names a TGW route table the template does not hold/);
    });
  }

  it('a Ref to a resource of the template that is no TGW route table is still warned', async () => {
    const r = await analyzeFiles({ 'spoke.yaml': spoke('!Ref AppTable') });
    assert.deepEqual(
      missing(r).map((d) => [d.severity, d.message]),
      [['warning', 'SpokeAssociation: TransitGatewayRouteTableId does not name a tgwRouteTable of this template']],
    );
  });
});
