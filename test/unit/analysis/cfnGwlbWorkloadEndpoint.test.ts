// A filtering NAT behind a GWLB, its GWLB endpoints placed in the workload subnets (each subnet's table sends
// 0.0.0.0/0 to the endpoint in that subnet) and the appliances launched by an Auto Scaling group in a public subnet.
// The hosts beside the endpoint are the workloads it filters, not a bastion beside plumbing: the VPC is judged as a
// workload VPC, never Inspection (F297). The endpoint's ServiceName spells the service's name from its Ref
// (`com.amazonaws.vpce.<region>.<service id>`, CloudFormation having no attribute for it): that is the template's
// endpoint service, so the path goes through its GWLB and the reason names the appliances the group registers (F299).
// Templates written here (ours), modelled on DiscrimiNAT's GWLB demo.
import { strict as assert } from 'node:assert';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const FILE = 'filter.yaml';
const id = (logical: string): string => `cfn:${FILE}#${logical}`;

const SERVICE_NAME = `!Join ["", ["com.amazonaws.vpce.", !Ref "AWS::Region", ".", !Ref FilterService]]`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.70.0.0/16
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
      CidrBlock: 10.70.0.0/24
      AvailabilityZone: eu-west-1a
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.70.10.0/24
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
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicTable
  PrivateTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateTable
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: !Ref FilterEndpoint
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateSubnet
      RouteTableId: !Ref PrivateTable
  FilterLb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: gateway
      Subnets: [!Ref PrivateSubnet]
  FilterTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 6081
      Protocol: GENEVE
      VpcId: !Ref Vpc
  FilterListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref FilterLb
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref FilterTargets
  FilterTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        InstanceType: t3.small
  FilterGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate:
        LaunchTemplateId: !Ref FilterTemplate
        Version: !GetAtt FilterTemplate.LatestVersionNumber
      TargetGroupARNs: [!Ref FilterTargets]
      VPCZoneIdentifier: [!Ref PublicSubnet]
  FilterService:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      AcceptanceRequired: false
      GatewayLoadBalancerArns: [!Ref FilterLb]
  FilterEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: ${SERVICE_NAME}
      VpcEndpointType: GatewayLoadBalancer
      SubnetIds: [!Ref PrivateSubnet]
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.small
      SubnetId: !Ref PrivateSubnet
`;

const state = (r: AnalysisResult) => r.states.find((s) => s.vpc === id('Vpc'))!;
const app = (r: AnalysisResult) => r.egress.find((e) => e.subnet === id('PrivateSubnet'))!;

describe('GWLB endpoints in the workload subnets, a filtering NAT behind them (F297, F299)', () => {
  it('the endpoint is linked to the service its ServiceName spells, and the reason names the appliances behind the GWLB', async () => {
    const r = await analyzeFiles({ [FILE]: TEMPLATE });
    const e = app(r);
    assert.ok(
      e.forward.hops.some((h) => h.element === id('FilterLb')),
      'the path goes through the GWLB',
    );
    assert.equal(e.forward.outcome.kind, 'unknown');
    const text = JSON.stringify(e.forward.outcome);
    assert.match(text, /sends 8\.8\.8\.8 back to FilterEndpoint itself/);
    assert.match(
      text,
      /the appliances behind FilterLb \(the instances FilterGroup registers in target group FilterTargets\) send it out on their own/,
    );
    assert.doesNotMatch(text, /Fn::Join/);
  });

  it('the same service spelled with !Sub is linked too', async () => {
    const sub = replaceOnce(TEMPLATE, [SERVICE_NAME, '!Sub "com.amazonaws.vpce.${AWS::Region}.${FilterService}"']);
    const r = await analyzeFiles({ [FILE]: sub });
    assert.ok(app(r).forward.hops.some((h) => h.element === id('FilterLb')));
  });

  it('a name spelled otherwise (another prefix) is not taken for the service', async () => {
    const other = replaceOnce(TEMPLATE, ['"com.amazonaws.vpce."', '"com.example.vpce."']);
    const r = await analyzeFiles({ [FILE]: other });
    assert.ok(!app(r).forward.hops.some((h) => h.element === id('FilterLb')));
  });

  it('the hosts beside the endpoint are workloads: the VPC is judged as a workload VPC, not Inspection', async () => {
    const r = await analyzeFiles({ [FILE]: TEMPLATE });
    const s = state(r);
    assert.equal(s.state, 'Unknown', s.reason);
    assert.doesNotMatch(s.reason, /holds only enforcement points/);
    assert.match(s.reason, /the path from PrivateSubnet cannot be decided/);
  });

  it('without a workload in the private subnet the VPC stays Inspection', async () => {
    const empty = replaceOnce(TEMPLATE, [
      '  App:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0\n      InstanceType: t3.small\n      SubnetId: !Ref PrivateSubnet\n',
      '',
    ]);
    const r = await analyzeFiles({ [FILE]: empty });
    assert.equal(state(r).state, 'Inspection');
  });

  it('a host in an endpoint subnet whose own table goes to the IGW (a bastion beside the plumbing) keeps the VPC Inspection', async () => {
    const bastion = replaceOnce(TEMPLATE, [
      '      DestinationCidrBlock: 0.0.0.0/0\n      VpcEndpointId: !Ref FilterEndpoint\n',
      '      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: !Ref Igw\n',
    ]);
    const r = await analyzeFiles({ [FILE]: bastion });
    assert.equal(state(r).state, 'Inspection', state(r).reason);
  });
});
