import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { ROOT } from '../report/helpers';

// A transit gateway peered with a Cloud WAN core network: the route tables attached to the core network
// (TransitGatewayRouteTableAttachment) get the core network's routes, so a destination no other route of the table
// holds goes to the core network, whose policy is not read. The path is decided (dropped, No Egress on the stated
// assumption) only when nothing the core network reaches in the inputs (VPCs attached to it, VPCs on the peered
// transit gateway) has a way out; a custom resource creating the TGW policy table is not a route writer when its
// function's role allows no route change.
describe('analysis: Cloud WAN core network peered with a transit gateway', function () {
  this.timeout(60000);

  const dir = path.join(ROOT, 'test/fixtures/cloud-wan-east-west');
  const yaml = fs.readFileSync(path.join(dir, 'tgw-peering.yaml'), 'utf8');
  const tf = fs.readFileSync(path.join(dir, 'tgw-peering.tf'), 'utf8');

  async function run(text: string) {
    const r = await analyzeFiles({ 'p.yaml': text });
    return {
      r,
      state: (id: string) => r.states.find((s) => s.vpc === `cfn:p.yaml#${id}`),
      out: (subnet: string) => r.egress.find((e) => e.subnet === `cfn:p.yaml#${subnet}`)!.forward,
    };
  }

  it('east-west only: the workload VPCs on the transit gateway are No Egress, the reason stating the assumption', async () => {
    const { state, out } = await run(yaml);
    for (const id of ['AppVpc', 'BatchVpc']) {
      const s = state(id);
      assert.equal(s?.state, 'No Egress', s?.reason);
      assert.match(s.reason, /core network peered through HubPeering has no way to the internet in the inputs/);
      assert.match(s.reason, /directly or through transit gateway Hub/);
      assert.match(s.reason, /assumes the core network has no attachment outside the inputs/);
    }
    assert.equal(state('InspVpc')?.state, 'Inspection');
    const app = out('AppWorkload');
    assert.equal(app.outcome.kind === 'dropped' && app.outcome.cause, 'core-network-closed');
    assert.deepEqual(
      app.hops.map((h) => h.element),
      ['cfn:p.yaml#AppWorkload', 'cfn:p.yaml#Hub', 'cfn:p.yaml#AppHubTableOnCore'],
    );
    assert.match(app.hops[1].note, /no other route of TGW route table AppHubTable holds 8\.8\.8\.8/);
    // The batch table holds a route for the batch CIDR only (propagated): the internet still goes to the core.
    assert.equal(out('BatchWorkload').outcome.kind, 'dropped');
  });

  it('Terraform: the same design is No Egress', async () => {
    const r = await analyzeFiles({ 'p.tf': tf });
    const s = r.states.find((x) => x.vpc === 'aws_vpc.app');
    assert.equal(s?.state, 'No Egress', s?.reason);
    assert.match(s.reason, /core network peered through hub has no way to the internet in the inputs/);
  });

  it('a VPC on the peered transit gateway with a NAT gateway: Unknown, naming it', async () => {
    const { state } = await run(
      replaceOnce(yaml, [
        '  # ---- inspection VPC',
        `  BatchIgw:
    Type: AWS::EC2::InternetGateway
  BatchIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref BatchVpc
      InternetGatewayId: !Ref BatchIgw
  BatchEip:
    Type: AWS::EC2::EIP
  BatchNat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref BatchAttach
      AllocationId: !GetAtt BatchEip.AllocationId
  # ---- inspection VPC`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /it may send the traffic to BatchVpc, which has a way out \(igw BatchIgw/);
  });

  it('an inspection VPC with an internet gateway: Unknown, the core network policy decides', async () => {
    const { state } = await run(
      replaceOnce(yaml, [
        '  InspPolicy:\n',
        `  InspIgw:
    Type: AWS::EC2::InternetGateway
  InspIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref InspVpc
      InternetGatewayId: !Ref InspIgw
  InspPolicy:
`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /it may send the traffic to InspVpc, which has a way out \(igw InspIgw/);
  });

  it('a static default route in the attached table: Unknown, a propagated route may be more specific', async () => {
    const { state } = await run(
      replaceOnce(yaml, [
        '  # ---- workload VPC "app"',
        `  AppHubDefault:
    Type: AWS::EC2::TransitGatewayRoute
    Properties:
      TransitGatewayRouteTableId: !Ref AppHubTable
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayAttachmentId: !Ref BatchHubAttachment
  # ---- workload VPC "app"`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /may propagate into the table a route for 8\.8\.8\.8 more specific than 0\.0\.0\.0\/0/);
  });

  it('the policy table function may also write routes: the tables cannot be decided, naming it', async () => {
    const { r, state } = await run(replaceOnce(yaml, ['- ec2:DescribeTransitGatewayPolicyTables', '- ec2:CreateTransitGatewayRoute']));
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /routes of TGW route table AppHubTable cannot be decided: Custom::HubPolicyTable HubPolicyTable/);
    assert.ok(!r.parseDiagnostics.some((d) => /changes no route/.test(d.message)));
  });

  it('a policy resource attached to the function role may allow more: the custom resource is kept', async () => {
    const { state } = await run(
      replaceOnce(yaml, [
        '  PolicyTableFunction:\n',
        `  MoreRights:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: more
      Roles: [!Ref PolicyTableRole]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: ['ec2:DescribeRegions']
            Resource: '*'
  PolicyTableFunction:
`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /Custom::HubPolicyTable HubPolicyTable/);
  });

  it('a role with no inline rights (given elsewhere, or abridged) or with a fixed name: the custom resource is kept', async () => {
    const start = yaml.indexOf('      Policies:\n');
    const end = yaml.indexOf('      ManagedPolicyArns:');
    const bare = await run(yaml.slice(0, start) + yaml.slice(end));
    assert.match(bare.state('AppVpc')?.reason ?? '', /Custom::HubPolicyTable HubPolicyTable/);
    const named = await run(replaceOnce(yaml, ['      Policies:\n', '      RoleName: policy-table\n      Policies:\n']));
    assert.match(named.state('AppVpc')?.reason ?? '', /Custom::HubPolicyTable HubPolicyTable/);
  });

  it('a VPN attached to the peered transit gateway: Unknown, naming it', async () => {
    const { state } = await run(
      replaceOnce(yaml, [
        '  # ---- inspection VPC',
        `  Branch:
    Type: AWS::EC2::CustomerGateway
    Properties:
      BgpAsn: 65010
      IpAddress: 198.51.100.7
      Type: ipsec.1
  BranchVpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Branch
      TransitGatewayId: !Ref Hub
  # ---- inspection VPC`,
      ]),
    );
    const s = state('AppVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /BranchVpn/);
  });

  it('a VPC route to the core network sees the peered transit gateway: its VPCs are where the core may send', async () => {
    // An ops VPC attached to the core network directly sends 0.0.0.0/0 to it; the app VPC (on the peered transit
    // gateway) has an internet gateway: the core network has a way out.
    const { state } = await run(
      replaceOnce(yaml, [
        '  # ---- inspection VPC',
        `  AppIgw:
    Type: AWS::EC2::InternetGateway
  AppIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref AppVpc
      InternetGatewayId: !Ref AppIgw
  OpsVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.73.0.0/24
  OpsWorkload:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref OpsVpc
      CidrBlock: 10.73.0.0/26
  OpsAttach:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref OpsVpc
      CidrBlock: 10.73.0.64/28
  OpsTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref OpsVpc
  OpsAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref OpsWorkload
      RouteTableId: !Ref OpsTable
  OpsToCore:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref OpsTable
      DestinationCidrBlock: 0.0.0.0/0
      CoreNetworkArn: !Ref CoreNetworkArn
  OpsCloudWan:
    Type: AWS::NetworkManager::VpcAttachment
    Properties:
      CoreNetworkId: !Ref CoreNetworkId
      VpcArn: !Sub 'arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:vpc/\${OpsVpc}'
      SubnetArns:
        - !Sub 'arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:subnet/\${OpsAttach}'
  # ---- inspection VPC`,
      ]),
    );
    const s = state('OpsVpc');
    assert.equal(s?.state, 'Unknown');
    assert.match(s.reason, /it may send the traffic to AppVpc, which has a way out \(igw AppIgw/);
  });
});
