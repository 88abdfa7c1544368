// CloudFormation: a route whose Condition only a parameter's Default decides false stays undecided when it would
// change the routing of what exists (review R16), but not when its destination is written as the CidrBlock of a
// subnet created under the same Condition in the same VPC (F295): wherever the route exists that subnet exists too,
// and subnets of a VPC do not overlap, so the route carries only traffic to that subnet, which the Defaults leave out
// with it. Its destination may even be out of range under the Defaults (`!Select [2, PublicCidrs]` of a two-CIDR
// Default). Templates written here (ours), modelled on a spoke VPC with one GWLB endpoint per zone and an IGW ingress
// table, sized by a zone-count parameter.
import { strict as assert } from 'node:assert';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const FILE = 'spoke.yaml';
const id = (logical: string): string => `cfn:${FILE}#${logical}`;

const zone = (n: number, cond?: string): string => `
  Public${n}:
    Type: AWS::EC2::Subnet${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [${n - 1}, !Ref PublicCidrs]
      AvailabilityZone: !Select [${n - 1}, !GetAZs ""]
  Edge${n}:
    Type: AWS::EC2::Subnet${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [${n - 1}, !Ref EdgeCidrs]
      AvailabilityZone: !Select [${n - 1}, !GetAZs ""]
  Endpoint${n}:
    Type: AWS::EC2::VPCEndpoint${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Ref InspectionService
      VpcEndpointType: GatewayLoadBalancer
      SubnetIds: [!Ref Edge${n}]
  PublicTable${n}:
    Type: AWS::EC2::RouteTable${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      VpcId: !Ref Vpc
  PublicDefault${n}:
    Type: AWS::EC2::Route${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      RouteTableId: !Ref PublicTable${n}
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: !Ref Endpoint${n}
  PublicAssoc${n}:
    Type: AWS::EC2::SubnetRouteTableAssociation${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      SubnetId: !Ref Public${n}
      RouteTableId: !Ref PublicTable${n}
  EdgeAssoc${n}:
    Type: AWS::EC2::SubnetRouteTableAssociation${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      SubnetId: !Ref Edge${n}
      RouteTableId: !Ref EdgeTable
  Ingress${n}:
    Type: AWS::EC2::Route${cond ? `\n    Condition: ${cond}` : ''}
    Properties:
      RouteTableId: !Ref IngressTable
      DestinationCidrBlock: !Select [${n - 1}, !Ref PublicCidrs]
      VpcEndpointId: !Ref Endpoint${n}
`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ZoneCount:
    Type: String
    Default: "2"
    AllowedValues: ["2", "3"]
  PublicCidrs:
    Type: CommaDelimitedList
    Default: "10.40.1.0/24, 10.40.2.0/24"
  EdgeCidrs:
    Type: CommaDelimitedList
    Default: "10.40.11.0/24, 10.40.12.0/24"
  InspectionService:
    Type: String
Conditions:
  ThreeZones: !Equals [!Ref ZoneCount, "3"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.40.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  EdgeTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  EdgeDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EdgeTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  IngressTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  IngressAssoc:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties:
      GatewayId: !Ref Igw
      RouteTableId: !Ref IngressTable
${zone(1)}${zone(2)}${zone(3, 'ThreeZones')}`;

const state = (r: AnalysisResult) => r.states.find((s) => s.vpc === id('Vpc'))!;
const diag = (r: AnalysisResult, logical: string) =>
  r.parseDiagnostics.filter((d) => d.code === 'conditional-resource' && d.message.startsWith(`${logical} `)).map((d) => d.message);

describe('CloudFormation: a conditional route to a subnet created under the same condition (F295)', () => {
  it('is left out with the subnet: the reply to the first zone is traced, its destination out of range notwithstanding', async () => {
    const r = await analyzeFiles({ [FILE]: TEMPLATE });
    const [msg] = diag(r, 'Ingress3');
    assert.match(msg, /^Ingress3 is not created: condition ThreeZones is false with ZoneCount = "2" \(its Default\); it is left out; /);
    assert.match(msg, /subnet Public3 \(the same condition\), whose CidrBlock is its destination: subnets of a VPC do not overlap/);
    const s = state(r);
    assert.notEqual(s.state, 'Unknown', s.reason);
    assert.doesNotMatch(s.reason, /out of range/);
    for (const sub of ['Public1', 'Public2']) {
      const e = r.egress.find((x) => x.subnet === id(sub))!;
      assert.ok(e.return, `${sub} has a reply path`);
      assert.notEqual(e.return.outcome.kind, 'unknown', JSON.stringify(e.return.outcome));
      assert.ok(e.return.hops.some((h) => h.element === id(`Endpoint${sub.slice(-1)}`)));
    }
  });

  it('the same route with the stack given three zones exists (and the third zone is traced)', async () => {
    const three = replaceOnce(
      TEMPLATE,
      ['Default: "2"', 'Default: "3"'],
      ['Default: "10.40.1.0/24, 10.40.2.0/24"', 'Default: "10.40.1.0/24, 10.40.2.0/24, 10.40.3.0/24"'],
      ['Default: "10.40.11.0/24, 10.40.12.0/24"', 'Default: "10.40.11.0/24, 10.40.12.0/24, 10.40.13.0/24"'],
    );
    const r = await analyzeFiles({ [FILE]: three });
    assert.deepEqual(diag(r, 'Ingress3'), [
      'Ingress3 exists only when condition ThreeZones holds, as it does with ZoneCount = "3" (its Default); it is analysed as present',
    ]);
    const e = r.egress.find((x) => x.subnet === id('Public3'))!;
    assert.ok(e.return && e.return.outcome.kind !== 'unknown', JSON.stringify(e.return?.outcome));
  });

  it('stays undecided when the subnet with that CidrBlock is made under another condition (Unknown, R16)', async () => {
    const other = replaceOnce(
      TEMPLATE,
      [
        '  ThreeZones: !Equals [!Ref ZoneCount, "3"]',
        '  ThreeZones: !Equals [!Ref ZoneCount, "3"]\n  ThirdPublic: !Equals [!Ref ZoneCount, "3"]',
      ],
      [
        '  Public3:\n    Type: AWS::EC2::Subnet\n    Condition: ThreeZones',
        '  Public3:\n    Type: AWS::EC2::Subnet\n    Condition: ThirdPublic',
      ],
    );
    const r = await analyzeFiles({ [FILE]: other });
    assert.match(diag(r, 'Ingress3')[0], /whether it exists is not decided/);
    assert.equal(state(r).state, 'Unknown');
  });

  it("stays undecided when its destination is not that subnet's CidrBlock (a bypass of the endpoint, R16)", async () => {
    const bypass = replaceOnce(TEMPLATE, [
      '      DestinationCidrBlock: !Select [2, !Ref PublicCidrs]\n',
      '      DestinationCidrBlock: !Select [0, !Ref PublicCidrs]\n',
    ]);
    const r = await analyzeFiles({ [FILE]: bypass });
    assert.match(diag(r, 'Ingress3')[0], /whether it exists is not decided/);
    const e = r.egress.find((x) => x.subnet === id('Public1'))!;
    assert.equal(e.return?.outcome.kind, 'unknown');
  });
});
