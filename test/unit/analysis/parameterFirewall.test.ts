import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// A base-VPC template beside a template that deploys a firewall pair into that VPC by parameters (the vendor
// "existing VPC" CloudFormation designs): the firewall's outside and HA-management subnets route 0.0.0.0/0 to
// the IGW by design. Which subnets the parameters name cannot be decided offline, so a subnet that may be one
// of them is no workload source to re-route; and advice never names machinery the VPC does not have.
describe('firewall interfaces in parameter subnets of another template', function () {
  this.timeout(60000);

  const base = (extra = '') => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  OutsideA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.1.0/24
      AvailabilityZone: eu-west-1a
  MgmtA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.4.0/24
      AvailabilityZone: eu-west-1a
  InsideA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.2.0/24
      AvailabilityZone: eu-west-1a
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefault:
    Type: AWS::EC2::Route
    DependsOn: IgwAttach
    Properties:
      RouteTableId: !Ref PublicRt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  OutsideAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref OutsideA
      RouteTableId: !Ref PublicRt
  MgmtAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref MgmtA
      RouteTableId: !Ref PublicRt
  PrivateRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  InsideAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref InsideA
      RouteTableId: !Ref PrivateRt
${extra}`;

  const eni = (name: string, param: string, ip: string | undefined, check: boolean, index: number) => `  ${name}:
    Type: AWS::EC2::NetworkInterface
    Properties:
      SubnetId: !Ref ${param}
      SourceDestCheck: ${check}
${ip ? `      PrivateIpAddress: ${ip}\n` : ''}  ${name}Attach:
    Type: AWS::EC2::NetworkInterfaceAttachment
    Properties:
      InstanceId: !Ref Fw
      NetworkInterfaceId: !Ref ${name}
      DeviceIndex: '${index}'
`;

  const firewall = (opts: { outsideIp?: string; check?: boolean } = {}) => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
  OutsideSubnet:
    Type: AWS::EC2::Subnet::Id
  InsideSubnet:
    Type: AWS::EC2::Subnet::Id
  MgmtSubnet:
    Type: AWS::EC2::Subnet::Id
Resources:
  Fw:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0fortigate
      InstanceType: c6i.xlarge
      SubnetId: !Ref OutsideSubnet
${eni('Port2', 'InsideSubnet', '10.20.2.10', opts.check ?? false, 1)}${eni('Port4', 'MgmtSubnet', '10.20.4.10', opts.check ?? false, 3)}${eni('Port1', 'OutsideSubnet', opts.outsideIp, opts.check ?? false, 0)}`;

  async function run(files: Record<string, string>): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');
  const egressOf = (r: AnalysisResult, logical: string) => r.egress.find((e) => e.subnet.endsWith(`#${logical}`));

  it('the base VPC alone: its public subnets are sources, and the fix says what to add (no GWLB endpoint exists)', async () => {
    const r = await run({ 'base.yaml': base() });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces!.map((t) => t.replace(/^.*#/, '')).sort(), ['MgmtA', 'OutsideA']);
    assert.match(
      f[0].fix!.title,
      /^Route 0\.0\.0\.0\/0 in PublicRt through a NAT GW and a GWLB endpoint in eu-west-1a \(or a spoke gateway with DCF\) instead of Igw; Vpc has no GWLB or firewall endpoint in the inputs: one must be added, in a subnet of its own \(a subnet whose table sends 0\.0\.0\.0\/0 to the endpoint cannot hold it: the endpoint's own traffic would loop back to it\)$/,
    );
    assert.doesNotMatch(f[0].fix!.title, /the GWLB endpoint of the subnet's AZ/);
  });

  it('with the firewall template: the subnets it may be in are Unknown naming it, no finding and no re-routing advice', async () => {
    const r = await run({ 'base.yaml': base(), 'firewall.yaml': firewall() });
    assert.deepEqual(uninspected(r), []);
    for (const s of ['OutsideA', 'MgmtA']) {
      const eg = egressOf(r, s)!;
      assert.equal(eg.forward.outcome.kind, 'unknown', s);
      assert.match(
        eg.forward.outcome.kind === 'unknown' ? eg.forward.outcome.reason : '',
        new RegExp(
          `whether ${s} is a firewall's own subnet .* cannot be decided: firewall\\.yaml places forwarding firewall interfaces \\(.*Port1.*\\) in subnets given as parameters \\(.*OutsideSubnet.*\\) of a VPC it does not create, and ${s} may be one of them`,
        ),
      );
    }
    // The address written for the management interface fits only MgmtA: OutsideA may be OutsideSubnet only.
    const outside = egressOf(r, 'OutsideA')!.forward.outcome;
    assert.doesNotMatch(outside.kind === 'unknown' ? outside.reason : '', /MgmtSubnet/);
    const vpc = r.states.find((s) => s.vpc.endsWith('#Vpc'))!;
    assert.equal(vpc.state, 'Unknown');
    assert.match(vpc.reason, /firewall\.yaml places forwarding firewall interfaces/);
    // The inside subnet has no egress whatever it holds: still dropped, not Unknown.
    assert.equal(egressOf(r, 'InsideA')!.forward.outcome.kind, 'dropped');
  });

  it('a subnet that cannot hold any written address of the firewall stays a source', async () => {
    const tools = `  ToolsA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.9.0/24
  ToolsAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref ToolsA
      RouteTableId: !Ref PublicRt
`;
    // Every interface has an address (and the instance's own subnet is its outside interface's): ToolsA holds none.
    const r = await run({ 'base.yaml': base(tools), 'firewall.yaml': firewall({ outsideIp: '10.20.1.10' }) });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(
      f[0].traces!.map((t) => t.replace(/^.*#/, '')),
      ['ToolsA'],
    );
    assert.equal(egressOf(r, 'OutsideA')!.forward.outcome.kind, 'unknown');
  });

  it('a workload instance in such a subnet keeps it a source', async () => {
    const host = `  Jump:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      NetworkInterfaces:
        - DeviceIndex: '0'
          SubnetId: !Ref MgmtA
          AssociatePublicIpAddress: true
`;
    const r = await run({ 'base.yaml': base(host), 'firewall.yaml': firewall() });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.ok(f[0].traces!.some((t) => t.endsWith('#MgmtA')));
    assert.equal(egressOf(r, 'OutsideA')!.forward.outcome.kind, 'unknown');
  });

  it('interfaces that do not forward (source/destination check on) decide nothing', async () => {
    const r = await run({ 'base.yaml': base(), 'firewall.yaml': firewall({ check: true }) });
    assert.equal(uninspected(r).length, 1);
    assert.equal(egressOf(r, 'MgmtA')!.forward.outcome.kind, 'delivered');
  });
});
