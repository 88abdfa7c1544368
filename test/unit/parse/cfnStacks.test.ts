// CloudFormation templates deployed by other templates of the inputs (nested stacks, pipelines'
// CloudFormation actions) get the parameter values their deployer gives them.
import * as assert from 'node:assert/strict';
import { stackParameters, stackTemplateFile } from '../../../src/parse/cfnStacks';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved, type NetworkElement } from '../../../src/model/types';
import type { CfnStackLink } from '../../../src/parse/types';

const link = (template: string, match: CfnStackLink['match']): CfnStackLink => ({ template, match, by: 'p', parameters: {} });

const PARENT = (deploy: string) => `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.4.0.0/16 }
  Inside:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.4.1.0/24 }
${deploy}
`;

const NESTED = (name: string, subnet: string) => `
  ${name}:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child/lb.yaml
      Parameters:
        Where: ${subnet}
        Size: 3
`;

const CHILD = `
Parameters:
  Where:
    Type: String
  Size:
    Type: Number
    Default: 1
Resources:
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: { Type: gateway, Subnets: [!Ref Where] }
`;

async function lbSubnets(files: Record<string, string>): Promise<unknown[]> {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const lb = ws.build().model.elements.find((e: NetworkElement) => e.id === 'cfn:net/child/lb.yaml#Lb');
  assert.ok(lb?.kind === 'gwlb');
  return lb.subnets;
}

describe('CloudFormation stacks deployed by other templates', () => {
  it('finds the deployed file: relative to the deployer, or the one file a pipeline artifact path ends like', () => {
    const files = ['net/main.yaml', 'net/child/lb.yaml', 'other/lb.yaml', '/abs/repo/cfn/app.yaml'];
    assert.equal(stackTemplateFile('net/main.yaml', link('./child/lb.yaml', 'relative'), files), 'net/child/lb.yaml');
    assert.equal(stackTemplateFile('net/main.yaml', link('../other/lb.yaml', 'relative'), files), 'other/lb.yaml');
    assert.equal(stackTemplateFile('net/main.yaml', link('lb.yaml', 'relative'), files), undefined);
    assert.equal(stackTemplateFile('net/main.yaml', link('repo/net/child/lb.yaml', 'suffix'), files), 'net/child/lb.yaml');
    assert.equal(stackTemplateFile('x.yaml', link('cfn/app.yaml', 'suffix'), files), '/abs/repo/cfn/app.yaml');
    // Two files end alike as far as they go: which one the artifact holds cannot be decided.
    assert.equal(stackTemplateFile('x.yaml', link('lb.yaml', 'suffix'), files), undefined);
  });

  it('a pipeline action’s ParameterOverrides (a Fn::Sub over JSON) give elements, literals, and pipeline variables unresolved', () => {
    const f = parseCloudFormation(
      'main.yaml',
      PARENT(`
  Pipe:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Deploy
          Actions:
            - Name: Plan
              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: CloudFormation, Version: "1" }
              Configuration:
                TemplatePath: Src::cfn/lb.yaml
                ParameterOverrides: !Sub '{"Where": "\${Inside}", "Size": "2", "Image": "#{Build.image}"}'
            - Name: Apply
              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: CloudFormation, Version: "1" }
              Configuration: { ActionMode: CHANGE_SET_EXECUTE }
`),
    );
    assert.equal(f.stacks?.length, 1);
    const l = f.stacks[0];
    assert.equal(l.template, 'cfn/lb.yaml');
    assert.equal(l.match, 'suffix');
    assert.deepEqual(l.parameters.Where, { element: 'cfn:main.yaml#Inside' });
    assert.deepEqual(l.parameters.Size, { literal: '2' });
    assert.ok(isUnresolved(l.parameters.Image));
  });

  it('a nested stack gives its parameters: the child’s GWLB sits in the parent’s subnet; a remote TemplateURL links nothing', async () => {
    assert.deepEqual(await lbSubnets({ 'net/main.yaml': PARENT(NESTED('Lbs', '!Ref Inside')), 'net/child/lb.yaml': CHILD }), [
      'cfn:net/main.yaml#Inside',
    ]);
    const remote = parseCloudFormation(
      'main.yaml',
      PARENT(NESTED('Lbs', '!Ref Inside').replace('./child/lb.yaml', 'https://s3.amazonaws.com/bucket/lb.yaml')),
    );
    assert.equal(remote.stacks, undefined);
    // Never in silence: the nested stack and its URL are named, its template is not analysed.
    assert.deepEqual(
      remote.diagnostics.filter((d) => d.code === 'unmodelled-resource').map((d) => [d.severity, d.message, d.loc.range.start.line]),
      [
        [
          'info',
          'nested stack Lbs: its template at https://s3.amazonaws.com/bucket/lb.yaml is outside the inputs; what it deploys is not analysed',
          9,
        ],
      ],
    );
  });

  it('two templates whose subnets sit in a VPC parameter without default: one Unknown state per template, named after the parameter', async () => {
    // Two sibling templates deployed into an existing VPC each; the VPC is a parameter in both.
    const inVpc = (cidr: string) => `
Parameters:
  VPC:
    Type: AWS::EC2::VPC::Id
Resources:
  Host:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref VPC, CidrBlock: ${cidr} }
  Table:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref VPC }
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Host, RouteTableId: !Ref Table }
`;
    const ws = await createWorkspace({ terraform: null });
    ws.setFile('a.yaml', inVpc('10.8.1.0/24'));
    ws.setFile('b.yaml', inVpc('10.9.1.0/24'));
    const b = ws.build();
    const { analyze } = await import('../../../src/analysis/analyze');
    const r = analyze(b.model, {}, b.diagnostics);
    assert.deepEqual(r.states.map((s) => [s.vpc, s.name, s.state]).sort(), [
      ['VPC (parameter of a.yaml)', 'VPC (parameter of a.yaml)', 'Unknown'],
      ['VPC (parameter of b.yaml)', 'VPC (parameter of b.yaml)', 'Unknown'],
    ]);
  });

  it('deployed twice with different values, the child keeps its own parameters (which deployment cannot be decided)', async () => {
    const two = PARENT(NESTED('First', '!Ref Inside') + NESTED('Second', 'subnet-0123456789abcdef0'));
    const subnets = await lbSubnets({ 'net/main.yaml': two, 'net/child/lb.yaml': CHILD });
    assert.ok(isUnresolved(subnets[0]), JSON.stringify(subnets));
    assert.equal(stackParameters([{ file: 'net/main.yaml', stacks: parseCloudFormation('net/main.yaml', two).stacks }]).size, 0);
  });

  it('an edit of the deployer re-binds the child; removing the link gives the child its own parameters back', async () => {
    const ws = await createWorkspace({ terraform: null });
    ws.setFile('net/child/lb.yaml', CHILD);
    ws.setFile('net/main.yaml', PARENT(NESTED('Lbs', '!Ref Inside')));
    const lb = () => ws.build().model.elements.find((e) => e.id === 'cfn:net/child/lb.yaml#Lb');
    const first = lb();
    assert.ok(first?.kind === 'gwlb');
    assert.deepEqual(first.subnets, ['cfn:net/main.yaml#Inside']);
    ws.setFile('net/main.yaml', PARENT(''));
    const second = lb();
    assert.ok(second?.kind === 'gwlb');
    assert.ok(isUnresolved(second.subnets[0]));
  });
});
