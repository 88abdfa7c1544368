// A subnet whose CIDR is not known offline (a template parameter with an empty default, for an optional subnet)
// is traced from a stand-in address of its VPC. That address must be one no other subnet holds: an address inside
// the NAT GW's own subnet brought the reply back there, where it circled at the NAT GW (field: a false
// routing-loop error on a VPC template with optional second and third AZs). Template written for these tests.
import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../analyzeFiles';

/** One AZ of a NAT GW VPC, plus a private subnet whose CIDR is `cidrB` (an optional AZ's). */
function template(vpcCidr: string, cidrB: string, aCidrs = ['10.0.0.0/24', '10.0.1.0/24']): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  PrivCidrB:
    Type: String
    Default: "${cidrB}"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: ${vpcCidr}
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  PubA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${aCidrs[0]}
  PubTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PubDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PubTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PubAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PubA
      RouteTableId: !Ref PubTable
  NatEip:
    Type: AWS::EC2::EIP
  NatA:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref PubA
      AllocationId: !GetAtt NatEip.AllocationId
  PrivA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${aCidrs[1]}
  PrivB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Ref PrivCidrB
  PrivTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatA
  PrivAssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivA
      RouteTableId: !Ref PrivTable
  PrivAssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivB
      RouteTableId: !Ref PrivTable
`;
}

const B = 'cfn:vpc.yaml#PrivB';

describe('stand-in source address of a subnet whose CIDR is not known', () => {
  it('lies outside the other subnets: the reply comes back to that subnet, no routing loop', async () => {
    const r = await analyzeFiles({ 'vpc.yaml': template('10.0.0.0/21', '') });
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'routing-loop').map((f) => f.message),
      [],
    );
    const e = r.egress.find((x) => x.subnet === B);
    assert.ok(e, r.egress.map((x) => x.subnet).join(', '));
    assert.equal(e.forward.source.ip, '10.0.2.10');
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.equal(e.return?.outcome.kind, 'delivered');
    assert.equal(e.return?.hops.at(-1)?.element, B);
    // The same uninspected egress as its sibling in AZ a.
    const a = r.egress.find((x) => x.subnet === 'cfn:vpc.yaml#PrivA');
    assert.deepEqual(
      e.forward.hops.slice(1).map((h) => h.element),
      a?.forward.hops.slice(1).map((h) => h.element),
    );
  });

  it('skips every known subnet, wherever they sit in the range', async () => {
    const r = await analyzeFiles({ 'vpc.yaml': template('10.0.0.0/21', '', ['10.0.1.0/24', '10.0.0.0/24']) });
    assert.equal(r.egress.find((x) => x.subnet === B)?.forward.source.ip, '10.0.2.10');
    const gap = await analyzeFiles({ 'vpc.yaml': template('10.0.0.0/21', '', ['10.0.0.0/24', '10.0.4.0/24']) });
    assert.equal(gap.egress.find((x) => x.subnet === B)?.forward.source.ip, '10.0.1.10');
  });

  it('when the known subnets fill the VPC, the source address is not known: Unknown, not a guess', async () => {
    const r = await analyzeFiles({ 'vpc.yaml': template('10.0.0.0/23', '', ['10.0.0.0/24', '10.0.1.0/24']) });
    const e = r.egress.find((x) => x.subnet === B);
    assert.equal(e?.forward.outcome.kind, 'unknown');
  });

  it('a subnet with a known CIDR keeps its own address', async () => {
    const r = await analyzeFiles({ 'vpc.yaml': template('10.0.0.0/21', '10.0.3.0/24') });
    assert.equal(r.egress.find((x) => x.subnet === B)?.forward.source.ip, '10.0.3.10');
  });
});
