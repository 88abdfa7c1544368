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
    eu-west-1: { Vpc: 10.0.0.0/12 }
    us-east-1: { Vpc: 10.0.0.0/11 }
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
    assert.deepEqual(vpc?.cidrs, ['10.0.0.0/11']);
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

// A template whose parameters carry the constraints CloudFormation checks besides Type and AllowedValues.
const CONSTRAINED = (defaults: { cidr?: string; name?: string; size?: string; zones?: string; pattern?: string } = {}) => `
Parameters:
  SubnetCidr:
    Type: String
    Default: ${defaults.cidr ?? '10.9.1.0/24'}
    AllowedPattern: ${defaults.pattern ?? "'^(\\d{1,3}\\.){3}\\d{1,3}/(1[6-9]|2[0-8])$'"}
  Name:
    Type: String
    Default: ${defaults.name ?? 'net'}
    MinLength: 2
    MaxLength: '8'
  Size:
    Type: Number
    Default: ${defaults.size ?? '2'}
    MinValue: 1
    MaxValue: 4
  Zones:
    Type: CommaDelimitedList
    Default: ${defaults.zones ?? '"a,b"'}
    AllowedPattern: '[a-f]'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.9.0.0/16 }
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Ref SubnetCidr
      Tags:
        - { Key: Name, Value: !Sub '\${Name}-\${Size}' }
`;

describe('parse: CloudFormation AllowedPattern, MinLength/MaxLength, MinValue/MaxValue (review of 51b381d)', () => {
  const diags = (f: ReturnType<typeof parse>['f']) => f.diagnostics.map((d) => [d.code, d.severity, d.loc.range.start.line + 1, d.message]);

  it('Defaults and values within them: no diagnostic', () => {
    assert.deepEqual(parse(undefined, CONSTRAINED()).f.diagnostics, []);
    const { f, sub } = parse(user({ SubnetCidr: '10.9.8.0/28', Name: 'longname', Size: '4', Zones: 'f, e' }), CONSTRAINED());
    assert.deepEqual(f.diagnostics, []);
    assert.equal(sub?.cidr, '10.9.8.0/28');
    assert.equal(sub?.name, 'longname-4');
  });

  it('a value given that breaks one: a warning at the parameter, CloudFormation refuses it, analysed as given', () => {
    const { f, sub } = parse(user({ SubnetCidr: '10.9.0.0/29', Name: 'a-very-long-name', Size: '5', Zones: 'a,z' }), CONSTRAINED());
    assert.equal(sub?.cidr, '10.9.0.0/29');
    assert.equal(sub?.name, 'a-very-long-name-5');
    assert.deepEqual(diags(f), [
      [
        'parameter-constraint',
        'warning',
        3,
        'parameter SubnetCidr: the value "10.9.0.0/29" given by --cfn-param does not match its AllowedPattern (^(\\d{1,3}\\.){3}\\d{1,3}/(1[6-9]|2[0-8])$), which CloudFormation refuses; it is analysed as given',
      ],
      [
        'parameter-constraint',
        'warning',
        7,
        'parameter Name: the value "a-very-long-name" given by --cfn-param is longer than its MaxLength (16 characters, at most 8), which CloudFormation refuses; it is analysed as given',
      ],
      [
        'parameter-constraint',
        'warning',
        12,
        'parameter Size: the value "5" given by --cfn-param is above its MaxValue (4), which CloudFormation refuses; it is analysed as given',
      ],
      [
        'parameter-constraint',
        'warning',
        17,
        'parameter Zones: the value "a,z" given by --cfn-param has "z", which does not match its AllowedPattern ([a-f]), which CloudFormation refuses; it is analysed as given',
      ],
    ]);
    // The lower bounds too.
    assert.deepEqual(
      diags(parse(user({ Name: 'x', Size: '0' }), CONSTRAINED()).f).map((d) => d[3]),
      [
        'parameter Name: the value "x" given by --cfn-param is shorter than its MinLength (1 character, at least 2), which CloudFormation refuses; it is analysed as given',
        'parameter Size: the value "0" given by --cfn-param is below its MinValue (1), which CloudFormation refuses; it is analysed as given',
      ],
    );
  });

  it('a Default that breaks one, where the stack takes it: a warning at the Default, analysed as written; a value given instead silences it', () => {
    const text = CONSTRAINED({ cidr: '10.9.1.0/30', size: '9', zones: 'g' });
    const { f, sub } = parse(undefined, text);
    assert.equal(sub?.cidr, '10.9.1.0/30');
    assert.deepEqual(diags(f), [
      [
        'parameter-constraint',
        'warning',
        5,
        'parameter SubnetCidr: its Default "10.9.1.0/30" does not match its AllowedPattern (^(\\d{1,3}\\.){3}\\d{1,3}/(1[6-9]|2[0-8])$), which CloudFormation refuses for a stack given no value for SubnetCidr; it is analysed as written',
      ],
      [
        'parameter-constraint',
        'warning',
        14,
        'parameter Size: its Default "9" is above its MaxValue (4), which CloudFormation refuses for a stack given no value for Size; it is analysed as written',
      ],
      [
        'parameter-constraint',
        'warning',
        19,
        'parameter Zones: its Default "g" does not match its AllowedPattern ([a-f]), which CloudFormation refuses for a stack given no value for Zones; it is analysed as written',
      ],
    ]);
    const given = parse(user({ SubnetCidr: '10.9.1.0/24', Size: '3', Zones: 'a' }), text);
    assert.deepEqual(given.f.diagnostics, []);
    // A Default outside AllowedValues, or not a number for a Number: said the same way.
    const tpl = parse(undefined, TEMPLATE.replace('Default: web', 'Default: db').replace('Default: 1\n', 'Default: one\n'));
    assert.deepEqual(
      diags(tpl.f).map((d) => [d[2], d[3]]),
      [
        [
          8,
          'parameter Tier: its Default "db" is not one of its AllowedValues (web, batch), which CloudFormation refuses for a stack given no value for Tier; it is analysed as written',
        ],
        [
          12,
          'parameter Count: its Default "one" is not a number (Type Number), which CloudFormation refuses for a stack given no value for Count; it is analysed as written',
        ],
      ],
    );
  });

  for (const [why, pattern] of [
    ['a Java pattern JavaScript does not compile (an inline flag)', "'(?i)^[a-z]+$'"],
    // Java's POSIX class, which the value matches: read as JavaScript outside Unicode mode it would refuse it.
    ['a Java class JavaScript does not know', "'[\\p{Alnum}./]+'"],
    ['a possessive quantifier', "'[0-9./]++'"],
    ['a group repeated without bound (it may backtrack without end)', "'(\\d+\\.?)+'"],
  ] as const)
    it(`${why}: nothing said`, () => {
      assert.deepEqual(parse(user({ SubnetCidr: '10.9.1.0/24' }), CONSTRAINED({ pattern })).f.diagnostics, []);
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
