// Cross-stack links between CloudFormation templates of the inputs: an application stack's GWLB endpoint imports
// its endpoint service (`Fn::ImportValue` of `${InspectionStack}-...`) from the inspection stack's export
// (`${AWS::StackName}-...`), whose value is read from a custom resource describing the endpoint service. The
// import joins the one template exporting that name, and the firewall behind the service decides the state; the
// reason says where the link came from. Without it, or with several exporters, the service stays unknown.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, type Workspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { isUnresolved, type GwlbEndpoint } from '../../../src/model/types';
import { cli, ensureBuilt } from '../cli/cliHarness';

interface InspectionOpts {
  /** The export's name (default `!Sub "${AWS::StackName}-GwlbServiceName"`). */
  exportName?: string;
  /** The custom resource's properties besides its ServiceToken. */
  lookupInput?: string;
  /** The custom resource's type. */
  lookupType?: string;
  /** The lookup function's inline code. */
  code?: string;
}

/** An inspection VPC: a GWLB whose one target is a FortiGate allowing and logging everything, its endpoint service exported by name. */
function inspection(o: InspectionOpts = {}): string {
  const code =
    o.code ??
    `import boto3, cfnresponse
            def handler(event, context):
              ec2 = boto3.client('ec2')
              sid = event['ResourceProperties']['ServiceId']
              cfg = ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[sid])
              cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Name': cfg['ServiceConfigurations'][0]['ServiceName']})`;
  return `AWSTemplateFormatVersion: '2010-09-09'
Description: inspection stack (test)
Resources:
  InspectVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.50.0.0/16
  ApplianceSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref InspectVpc
      CidrBlock: 10.50.1.0/24
      AvailabilityZone: eu-west-1a
  Fortigate:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0fortigate
      SubnetId: !Ref ApplianceSubnet
      SourceDestCheck: false
      UserData:
        Fn::Base64: |
          config firewall policy
            edit 1
              set srcaddr "all"
              set dstaddr "all"
              set service "ALL"
              set action accept
              set logtraffic all
            next
          end
  Gwlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: gateway
      Subnets: [!Ref ApplianceSubnet]
  Appliances:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Protocol: GENEVE
      Port: 6081
      VpcId: !Ref InspectVpc
      TargetType: instance
      Targets:
        - Id: !Ref Fortigate
  GwlbListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Gwlb
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Appliances
  GwlbService:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      GatewayLoadBalancerArns: [!Ref Gwlb]
      AcceptanceRequired: false
  LookupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  LookupFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt LookupRole.Arn
      Code:
        ZipFile: |
            ${code}
  ServiceLookup:
    Type: ${o.lookupType ?? 'Custom::ServiceNameLookup'}
    Properties:
      ServiceToken: !GetAtt LookupFunction.Arn
${o.lookupInput ?? '      ServiceId: !Ref GwlbService'}
Outputs:
  GwlbServiceName:
    Value: !GetAtt ServiceLookup.Name
    Export:
      Name: ${o.exportName ?? '!Sub "${AWS::StackName}-GwlbServiceName"'}
`;
}

/** An application VPC whose workload subnet leaves through a GWLB endpoint of the imported service, then its IGW. */
function application(serviceName = '!ImportValue\n        Fn::Sub: "${InspectionStack}-GwlbServiceName"', stackDefault?: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Description: application stack (test)
Parameters:
  InspectionStack:
    Type: String
${stackDefault === undefined ? '' : `    Default: ${stackDefault}\n`}Resources:
  AppVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.60.0.0/16
  AppIgw:
    Type: AWS::EC2::InternetGateway
  AppIgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref AppVpc
      InternetGatewayId: !Ref AppIgw
  EndpointSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref AppVpc
      CidrBlock: 10.60.0.0/28
      AvailabilityZone: eu-west-1a
  WorkloadSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref AppVpc
      CidrBlock: 10.60.1.0/24
      AvailabilityZone: eu-west-1a
  InspectEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref AppVpc
      VpcEndpointType: GatewayLoadBalancer
      SubnetIds: [!Ref EndpointSubnet]
      ServiceName: ${serviceName}
  WorkloadTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  WorkloadDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref WorkloadTable
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: !Ref InspectEndpoint
  WorkloadAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref WorkloadTable
      SubnetId: !Ref WorkloadSubnet
  EndpointTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  EndpointDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EndpointTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref AppIgw
  EndpointAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref EndpointTable
      SubnetId: !Ref EndpointSubnet
  EdgeTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  EdgeToWorkload:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EdgeTable
      DestinationCidrBlock: 10.60.1.0/24
      VpcEndpointId: !Ref InspectEndpoint
  EdgeAssoc:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties:
      RouteTableId: !Ref EdgeTable
      GatewayId: !Ref AppIgw
`;
}

async function workspace(files: Record<string, string>): Promise<Workspace> {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws;
}

const endpoint = (ws: Workspace): GwlbEndpoint => {
  const ep = ws.build().model.elements.find((e) => e.id === 'cfn:app.yaml#InspectEndpoint');
  assert.ok(ep && ep.kind === 'gwlbe');
  return ep;
};

const appState = (ws: Workspace) => {
  const b = ws.build();
  const st = analyze(b.model, {}, b.diagnostics).states.find((s) => s.vpc === 'cfn:app.yaml#AppVpc');
  assert.ok(st);
  return st;
};

/** The application stack's verdict without the link: an appliance whose policy is not in the inputs, never a read policy. */
function assertNotJoined(ws: Workspace, reason: RegExp): void {
  const ep = endpoint(ws);
  assert.ok(ep.service !== undefined && isUnresolved(ep.service), JSON.stringify(ep.service));
  assert.match(ep.service.reason, reason);
  assert.equal(ep.serviceVia, undefined);
  const st = appState(ws);
  assert.equal(st.state, 'Protected', st.reason);
  assert.match(st.reason, /appliance policy not in the inputs/);
}

describe('CloudFormation cross-stack imports joined to exports of the inputs', function () {
  this.timeout(20000);

  it("a stack-name parameter (no Default) and a suffix join the one `${AWS::StackName}` export of that suffix; the firewall's logged allow-all decides", async () => {
    const ws = await workspace({ 'inspection.yaml': inspection(), 'app.yaml': application() });
    const ep = endpoint(ws);
    assert.equal(ep.service, 'cfn:inspection.yaml#GwlbService');
    assert.equal(
      ep.serviceVia,
      "imported from inspection.yaml's export ${AWS::StackName}-GwlbServiceName (output GwlbServiceName; ServiceLookup.Name read as " +
        "endpoint service GwlbService, the custom resource's only input (its function LookupFunction's inline code describes endpoint " +
        "services)), taken as InspectionStack's stack (the only template of the inputs exporting that name)",
    );
    const st = appState(ws);
    assert.equal(st.state, 'Monitored', st.reason);
    assert.match(
      st.reason,
      /behind InspectEndpoint, whose service is imported from inspection\.yaml's export \$\{AWS::StackName\}-GwlbServiceName/,
    );
    assert.match(st.reason, /Fortigate's bootstrap: .*logs all traffic/);
  });

  it('the spoke template alone: the service stays an unresolved import and the state what it was (policy not in the inputs)', async () => {
    const ws = await workspace({ 'app.yaml': application() });
    assertNotJoined(ws, /^imported from another stack$/);
  });

  it('two templates exporting that suffix: not joined, the reason naming both; the link comes back when one goes', async () => {
    const ws = await workspace({ 'inspection.yaml': inspection(), 'inspection-b.yaml': inspection(), 'app.yaml': application() });
    assertNotJoined(
      ws,
      /2 templates of the inputs have an export named \$\{AWS::StackName\}-GwlbServiceName \(inspection-b\.yaml \(output GwlbServiceName\), inspection\.yaml \(output GwlbServiceName\)\), and which stack is meant is not decided/,
    );
    ws.removeFile('inspection-b.yaml');
    assert.equal(endpoint(ws).service, 'cfn:inspection.yaml#GwlbService');
    assert.equal(appState(ws).state, 'Monitored');
    ws.removeFile('inspection.yaml');
    assertNotJoined(ws, /^imported from another stack$/);
  });

  it('a parameter Default: the value is said as the stack name taken', async () => {
    const ws = await workspace({ 'inspection.yaml': inspection(), 'app.yaml': application(undefined, 'shared-inspection') });
    assert.match(endpoint(ws).serviceVia ?? '', /InspectionStack = shared-inspection is then that stack's name\)$/);
    assert.equal(appState(ws).state, 'Monitored');
  });

  it('Fn::Join on both sides joins as Fn::Sub does', async () => {
    const ws = await workspace({
      'inspection.yaml': inspection({ exportName: "!Join ['-', [!Ref 'AWS::StackName', GwlbServiceName]]" }),
      'app.yaml': application("!ImportValue\n        Fn::Join: ['-', [!Ref InspectionStack, GwlbServiceName]]"),
    });
    assert.equal(endpoint(ws).service, 'cfn:inspection.yaml#GwlbService');
  });

  it('literal names join exactly: a literal import meets a literal export, never a stack-name pattern', async () => {
    const literal = await workspace({
      'inspection.yaml': inspection({ exportName: 'shared-gwlb-service' }),
      'app.yaml': application('!ImportValue shared-gwlb-service'),
    });
    assert.equal(endpoint(literal).service, 'cfn:inspection.yaml#GwlbService');
    assert.match(
      endpoint(literal).serviceVia ?? '',
      /^imported from inspection\.yaml's export shared-gwlb-service \(output GwlbServiceName;/,
    );
    const other = await workspace({
      'inspection.yaml': inspection({ exportName: 'shared-gwlb-service' }),
      'app.yaml': application('!ImportValue other-gwlb-service'),
    });
    assertNotJoined(other, /^imported from another stack$/);
    // `prod-GwlbServiceName` written out: which stack exports it is not said by a parameter, so no pattern is matched.
    const pattern = await workspace({ 'inspection.yaml': inspection(), 'app.yaml': application('!ImportValue prod-GwlbServiceName') });
    assertNotJoined(pattern, /^imported from another stack$/);
  });

  it('a custom resource that cannot be read as the service (another input, or nothing says it describes endpoint services): joined, but the value stays unknown', async () => {
    const extra = await workspace({
      'inspection.yaml': inspection({ lookupInput: '      ServiceId: !Ref GwlbService\n      Vpc: !Ref InspectVpc' }),
      'app.yaml': application(),
    });
    assertNotJoined(
      extra,
      /^imported from inspection\.yaml's export \$\{AWS::StackName\}-GwlbServiceName .*: attribute Name is known only after deployment$/,
    );
    const silent = await workspace({
      'inspection.yaml': inspection({ code: 'def handler(event, context):\n              pass' }),
      'app.yaml': application(),
    });
    assertNotJoined(silent, /attribute Name is known only after deployment$/);
    // The type alone may say it.
    const typed = await workspace({
      'inspection.yaml': inspection({
        code: 'def handler(event, context):\n              pass',
        lookupType: 'Custom::DescribeVpcEndpointServiceName',
      }),
      'app.yaml': application(),
    });
    assert.match(endpoint(typed).serviceVia ?? '', /\(its type Custom::DescribeVpcEndpointServiceName describes endpoint services\)/);
  });

  it('the CLI joins the two templates of a folder, as a user runs it', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-imports-'));
    try {
      fs.writeFileSync(path.join(dir, 'inspection.yaml'), inspection());
      fs.writeFileSync(path.join(dir, 'app.yaml'), application());
      const r = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], dir);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { states: { vpc: string; state: string; reason: string }[] };
      const st = doc.states.find((s) => s.vpc === 'cfn:app.yaml#AppVpc');
      assert.equal(st?.state, 'Monitored', st?.reason);
      assert.match(st?.reason ?? '', /taken as InspectionStack's stack/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
