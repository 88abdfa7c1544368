// CloudFormation parameter values and the region the user gives (ParseOptions.cfnUser: CLI --cfn-param,
// --cfn-parameters, --region; editor settings): which templates take them, how they are checked, what the
// region decides.
import * as assert from 'node:assert/strict';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved, type NetworkElement, type Subnet } from '../../../src/model/types';
import type { CfnUserValues } from '../../../src/parse/types';

const TEMPLATE = `
Parameters:
  SubnetCidr:
    Type: String
    Default: 10.9.1.0/24
  Tier:
    Type: String
    Default: web
    AllowedValues: [web, batch]
  Count:
    Type: Number
    Default: 1
  Zones:
    Type: CommaDelimitedList
    Default: a
  Image:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
Mappings:
  Cidrs:
    eu-west-1: { Vpc: 10.1.0.0/16 }
    us-east-1: { Vpc: 10.2.0.0/16 }
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !FindInMap [Cidrs, !Ref 'AWS::Region', Vpc]
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Ref SubnetCidr
      AvailabilityZone: !Sub '\${AWS::Region}\${Tier}'
      Tags:
        - { Key: Name, Value: !Select [1, !Ref Zones] }
`;

const user = (parameters: Record<string, string>, region?: string): CfnUserValues => ({
  parameters: Object.fromEntries(Object.entries(parameters).map(([k, value]) => [k, { value, from: '--cfn-param' }])),
  ...(region ? { region: { value: region, from: '--region' } } : {}),
});

function parse(u?: CfnUserValues, text = TEMPLATE) {
  const f = parseCloudFormation('t.yaml', text, u ? { cfnUser: u } : undefined);
  const byId = (id: string) => f.elements.find((e: NetworkElement) => e.id === `cfn:t.yaml#${id}`);
  return { f, vpc: byId('Vpc') as { cidrs: unknown[] } | undefined, sub: byId('Sub') as Subnet | undefined };
}

describe('parse: CloudFormation parameter values and region the user gives', () => {
  it('without them: Defaults, and the region-keyed mapping keeps its rows (byRegion)', () => {
    const { vpc, sub, f } = parse();
    assert.equal(sub?.cidr, '10.9.1.0/24');
    const c = vpc?.cidrs[0];
    assert.ok(isUnresolved(c) && c.byRegion?.rows.length === 2);
    assert.equal(f.cfnUserParameters, undefined);
  });

  it('--region: AWS::Region is the region everywhere (the mapping row, !Sub), other pseudo parameters stay Unresolved', () => {
    const { vpc, sub, f } = parse({ region: { value: 'us-east-1', from: '--region' } });
    assert.deepEqual(vpc?.cidrs, ['10.2.0.0/16']);
    assert.equal(sub?.az, 'us-east-1web');
    assert.deepEqual(f.diagnostics, []);
    const acct = parseCloudFormation(
      't.yaml',
      `Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: !Sub '10.\${AWS::AccountId}.0.0/16' }\n`,
      { cfnUser: { region: { value: 'eu-west-1', from: '--region' } } },
    ).elements[0] as { cidrs: unknown[] };
    assert.ok(isUnresolved(acct.cidrs[0]));
  });

  it('a region the mapping has no row for: the value is Unresolved and one warning at the mapping says CloudFormation cannot deploy there', () => {
    const { vpc, f } = parse({ region: { value: 'ap-south-1', from: '--region' } });
    const c = vpc?.cidrs[0];
    assert.ok(isUnresolved(c));
    assert.match(c.reason, /mapping Cidrs has no row for region ap-south-1 \(--region\)/);
    assert.deepEqual(
      f.diagnostics.map((d) => [d.code, d.severity, d.loc.range.start.line + 1]),
      [['unresolved-value', 'warning', 20]],
    );
  });

  it('a value given wins over the Default; a list parameter is split at commas', () => {
    const { sub, f } = parse(user({ SubnetCidr: '10.9.7.0/24', Zones: 'x, y' }));
    assert.equal(sub?.cidr, '10.9.7.0/24');
    assert.equal(sub?.name, 'y');
    assert.deepEqual(f.cfnUserParameters, {
      declared: ['SubnetCidr', 'Tier', 'Count', 'Zones', 'Image'],
      applied: ['SubnetCidr', 'Zones'],
    });
    assert.deepEqual(f.diagnostics, []);
  });

  it('a value CloudFormation refuses (not a Number, not in AllowedValues) is not used: a warning at the parameter, Unresolved', () => {
    const text = TEMPLATE.replace('CidrBlock: !Ref SubnetCidr', 'CidrBlock: !Sub "10.${Count}.1.0/24"');
    const { sub, f } = parse(user({ Count: 'two', Tier: 'db' }, 'eu-west-1'), text);
    const cidr = sub?.cidr;
    assert.ok(isUnresolved(cidr));
    assert.match(cidr.reason, /parameter Count: the value "two" given by --cfn-param is not a number/);
    assert.ok(isUnresolved(sub?.az));
    assert.deepEqual(
      f.diagnostics.map((d) => [d.code, d.severity, d.loc.range.start.line + 1, /refuses/.test(d.message)]),
      [
        ['unresolved-value', 'warning', 6, true],
        ['unresolved-value', 'warning', 10, true],
      ],
    );
    // A number is a Number; one of the AllowedValues is allowed.
    const ok = parse(user({ Count: '3', Tier: 'batch' }, 'eu-west-1'), text);
    assert.equal(ok.sub?.cidr, '10.3.1.0/24');
    assert.equal(ok.sub?.az, 'eu-west-1batch');
    assert.deepEqual(ok.f.diagnostics, []);
  });

  it('a Systems Manager parameter type: the value names a parameter read at deploy time (Unresolved, no warning)', () => {
    const text = TEMPLATE.replace('CidrBlock: !Ref SubnetCidr', 'CidrBlock: !Ref Image');
    const { sub, f } = parse(user({ Image: '/my/cidr' }), text);
    const cidr = sub?.cidr;
    assert.ok(isUnresolved(cidr));
    assert.match(cidr.reason, /names a Systems Manager parameter, read at deploy time/);
    assert.deepEqual(f.diagnostics, []);
  });
});

const PARENT = `
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        SubnetCidr: 10.5.5.0/24
`;

const CHILD = `
Parameters:
  SubnetCidr:
    Type: String
  Spare:
    Type: String
    Default: 10.5.9.0/24
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.5.0.0/16 }
  Sub:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: !Ref SubnetCidr }
  Other:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: !Ref Spare, AvailabilityZone: !Sub '\${AWS::Region}a' }
`;

const PIPELINE = `
Resources:
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Deploy
          Actions:
            - Name: Net
              ActionTypeId: { Category: Deploy, Owner: AWS, Provider: CloudFormation, Version: '1' }
              Configuration:
                TemplatePath: Src::child.yaml
                ParameterOverrides: '{"SubnetCidr": "10.5.5.0/24"}'
`;

async function build(files: Record<string, string>, u: CfnUserValues) {
  const ws = await createWorkspace({ terraform: null, cfnUser: u });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  const el = (id: string) => b.model.elements.find((e) => e.id === id) as Subnet | undefined;
  return { b, el };
}

describe('workspace: which templates take the user’s CloudFormation values', () => {
  it('a nested stack takes none: its parent gives its parameters, the others keep their Default; the region reaches it', async () => {
    const { b, el } = await build(
      { 'parent.yaml': PARENT, 'child.yaml': CHILD },
      user({ SubnetCidr: '10.5.77.0/24', Spare: '10.5.78.0/24' }, 'eu-west-1'),
    );
    assert.equal(el('cfn:child.yaml#Sub')?.cidr, '10.5.5.0/24');
    assert.equal(el('cfn:child.yaml#Other')?.cidr, '10.5.9.0/24');
    assert.equal(el('cfn:child.yaml#Other')?.az, 'eu-west-1a');
    assert.deepEqual(
      b.cfnUserUnused?.map((u) => u.name),
      ['SubnetCidr', 'Spare'],
    );
    assert.match(b.cfnUserUnused?.[0].why ?? '', /only child\.yaml declares it, and the template deploying it gives its value/);
  });

  it('the same template alone (not deployed by another) takes them', async () => {
    const { b, el } = await build({ 'child.yaml': CHILD }, user({ SubnetCidr: '10.5.77.0/24', Missing: 'x' }));
    assert.equal(el('cfn:child.yaml#Sub')?.cidr, '10.5.77.0/24');
    assert.deepEqual(b.cfnUserUnused, [{ name: 'Missing', why: 'no CloudFormation template of the inputs declares it' }]);
  });

  it('a template a pipeline deploys takes those its ParameterOverrides do not give (a template configuration file)', async () => {
    const { b, el } = await build(
      { 'pipeline.yaml': PIPELINE, 'child.yaml': CHILD },
      user({ SubnetCidr: '10.5.77.0/24', Spare: '10.5.78.0/24' }),
    );
    assert.equal(el('cfn:child.yaml#Sub')?.cidr, '10.5.5.0/24');
    assert.equal(el('cfn:child.yaml#Other')?.cidr, '10.5.78.0/24');
    assert.deepEqual(
      b.cfnUserUnused?.map((u) => u.name),
      ['SubnetCidr'],
    );
  });

  it('a nested stack two parents deploy with different values keeps its Defaults, not the user’s values', async () => {
    const other = PARENT.replace('10.5.5.0/24', '10.5.6.0/24').replace('Child:', 'Child2:');
    const { el } = await build(
      { 'parent.yaml': PARENT, 'parent2.yaml': other, 'child.yaml': CHILD },
      user({ SubnetCidr: '10.5.77.0/24', Spare: '10.5.78.0/24' }),
    );
    assert.ok(isUnresolved(el('cfn:child.yaml#Sub')?.cidr));
    assert.equal(el('cfn:child.yaml#Other')?.cidr, '10.5.9.0/24');
  });
});
