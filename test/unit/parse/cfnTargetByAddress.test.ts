// A GWLB target group whose target is registered by address (TargetType ip) as `!GetAtt X.PrivateIp`: the target
// is instance X (field F135: a one-arm tunnel-handler appliance with a public IP was taken for a host, and its own
// subnet got an uninspected-egress finding whose fix routed the appliance through a firewall).
import * as assert from 'node:assert/strict';
import { cfnId, parseCloudFormation } from '../../../src/parse/cloudformation';
import { analyzeFiles } from '../analyzeFiles';

const TEMPLATE = (targetId: string, extra = ''): string => `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ApplianceVpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.30.0.0/16 }
  ApplianceSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref ApplianceVpc, CidrBlock: 10.30.0.0/24, AvailabilityZone: eu-west-1a }
  ApplianceTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref ApplianceVpc }
  ApplianceTableAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref ApplianceSubnet, RouteTableId: !Ref ApplianceTable }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref ApplianceVpc, InternetGatewayId: !Ref Igw }
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref ApplianceTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
  Appliance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: true
          SubnetId: !Ref ApplianceSubnet
${extra}
  Gwlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: { Type: gateway, Subnets: [!Ref ApplianceSubnet] }
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      VpcId: !Ref ApplianceVpc
      Protocol: GENEVE
      Port: 6081
      TargetType: ip
      Targets:
        - Id: ${targetId}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Gwlb
      DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
`;

const ENI = `
  ApplianceEni:
    Type: AWS::EC2::NetworkInterface
    Properties: { SubnetId: !Ref ApplianceSubnet }`;

const targetsOf = (text: string): unknown[] => {
  const tg = parseCloudFormation('t.yaml', text).elements.find((e) => e.kind === 'targetGroup');
  assert.ok(tg && tg.kind === 'targetGroup');
  return tg.targets;
};

describe('CloudFormation GWLB target registered by address (F135)', () => {
  it('reads `!GetAtt Instance.PrivateIp` (short and long forms) as that instance', () => {
    const id = cfnId('t.yaml', 'Appliance');
    assert.deepEqual(targetsOf(TEMPLATE('!GetAtt Appliance.PrivateIp')), [id]);
    assert.deepEqual(targetsOf(TEMPLATE('{ "Fn::GetAtt": [Appliance, PrivateIp] }')), [id]);
  });

  it("reads `!GetAtt Eni.PrimaryPrivateIpAddress` as that interface, and leaves other attributes' values unresolved", () => {
    assert.deepEqual(targetsOf(TEMPLATE('!GetAtt ApplianceEni.PrimaryPrivateIpAddress', ENI)), [cfnId('t.yaml', 'ApplianceEni')]);
    // An instance's PublicIp is not an address the GWLB can target inside the VPC: not read as the instance.
    const [t] = targetsOf(TEMPLATE('!GetAtt Appliance.PublicIp'));
    assert.equal(typeof t, 'object');
    // PrivateIp of an interface is not one of its attributes (PrimaryPrivateIpAddress is): not read as it either.
    const [u] = targetsOf(TEMPLATE('!GetAtt ApplianceEni.PrivateIp', ENI));
    assert.equal(typeof u, 'object');
  });

  it("makes the appliance's own subnet no uninspected egress of a host", async () => {
    const r = await analyzeFiles({ 't.yaml': TEMPLATE('!GetAtt Appliance.PrivateIp') });
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress').map((f) => f.message),
      [],
    );
    const state = r.states.find((s) => s.name.includes('ApplianceVpc'));
    assert.equal(state?.state, 'Inspection');
    assert.doesNotMatch(state?.reason ?? '', /judged on their own/);
  });
});
