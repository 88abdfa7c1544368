// Property tests: random and mutated inputs never make a parser throw, and every location a
// parser reports (diagnostics, element loc/extent/attrs, route locs) lies inside the file.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAwsCli, AWS_CLI_KEYS } from '../../../src/parse/awsCli';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { parseAviatrixExport } from '../../../src/parse/aviatrixExport';
import { parseAzureCli } from '../../../src/parse/azureCli';
import { detectFormat } from '../../../src/parse/detect';
import { createWorkspace } from '../../../src/parse/workspace';
import { parseTree, type ParseError } from '../../../src/parse/jsonTree';
import { rangeInside } from '../../../src/parse/locate';
import type { ModelFragment } from '../../../src/parse/types';
import type { SourceRange } from '../../../src/model/types';
import { readExample } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

function assertInside(frag: ModelFragment, text: string): void {
  const check = (r: SourceRange | undefined, what: string) => {
    if (r && !rangeInside(r, text)) assert.fail(`${what} ${JSON.stringify(r)} outside the file`);
  };
  for (const d of frag.diagnostics) {
    assert.equal(d.loc.file, frag.file);
    check(d.loc.range, `diagnostic ${d.code}`);
  }
  for (const e of frag.elements) {
    check(e.loc.range, `${e.id} loc`);
    check(e.extent, `${e.id} extent`);
    for (const [k, r] of Object.entries(e.attrs ?? {})) check(r, `${e.id} attr ${k}`);
    if (e.kind === 'routeTable')
      for (const r of e.routes) {
        check(r.loc.range, r.id);
        const v = r.targetValue;
        if (v) check({ start: { line: v.line, character: v.start }, end: { line: v.line, character: v.end } }, `${r.id} ${v.attr}`);
      }
  }
}

/** Random edits of a seed text: deletions, insertions of structural characters, duplicated slices. */
function mutated(seed: string, alphabet: string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('del' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
    fc.record({
      kind: fc.constant('ins' as const),
      at: fc.nat(),
      s: fc.array(fc.constantFrom(...alphabet), { maxLength: 6 }).map((a) => a.join('')),
    }),
    fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.nat({ max: 80 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let t = seed;
    for (const e of edits) {
      const at = t.length ? e.at % t.length : 0;
      if (e.kind === 'del') t = t.slice(0, at) + t.slice(at + e.len);
      else if (e.kind === 'ins') t = t.slice(0, at) + e.s + t.slice(at);
      else t = t.slice(0, at) + t.slice(at, at + e.len) + t.slice(at);
    }
    return t;
  });
}

const JSON_ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  ' ',
  '\n',
  '\r\n',
  '\\',
  'null',
  'true',
  '0',
  '-1e9',
  '/*',
  '//',
  '\u00e9',
  '\ud83d\ude00',
  '\u2028',
];
const YAML_ALPHABET = [
  '!Ref ',
  '!GetAtt ',
  '!Select [',
  '!Cidr [',
  '!Sub ',
  ']',
  '[',
  '{',
  '}',
  ':',
  '- ',
  '  ',
  '\n',
  '\t',
  '"',
  "'",
  '&a ',
  '*a',
  '#',
  '---\n',
  '!GetAZs ""',
];

/** Random JSON built from the vocabulary a parser looks for, so it gets past the first checks. */
function vocabJson(keys: string[]): fc.Arbitrary<string> {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('obj'), tie('arr')),
    leaf: fc.oneof(
      fc.constantFrom(
        ...keys,
        'local',
        'igw-1',
        'vpc-1',
        'subnet-1',
        '10.0.0.0/16',
        '0.0.0.0/0',
        'enable',
        'GatewayLoadBalancer',
        'Microsoft.Network/routeTables',
        'def000ad-0000-0000-0000-000000000000',
      ),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 8 }),
    ),
    obj: fc.dictionary(fc.constantFrom(...keys), tie('tree'), { maxKeys: 5 }),
    arr: fc.array(tie('tree'), { maxLength: 4 }),
  }));
  return fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), tree, { maxKeys: 4 }).map((v) => JSON.stringify(v, null, 2)),
    fc.array(tree, { maxLength: 3 }).map((v) => JSON.stringify(v)),
  );
}

const AWS_KEYS = [
  ...AWS_CLI_KEYS,
  'VpcId',
  'SubnetId',
  'RouteTableId',
  'Routes',
  'Associations',
  'DestinationCidrBlock',
  'GatewayId',
  'NatGatewayId',
  'Main',
  'State',
  'Tags',
  'Key',
  'Value',
  'CidrBlock',
  'AvailabilityZone',
  'VpcEndpointType',
  'SubnetIds',
  'Options',
  'ApplianceModeSupport',
  'Attachments',
  'TransitGatewayAttachmentId',
  'DestinationPrefixListId',
];
const PLAN_KEYS = [
  'format_version',
  'planned_values',
  'values',
  'root_module',
  'child_modules',
  'resources',
  'address',
  'type',
  'mode',
  'values',
  'resource_changes',
  'change',
  'after',
  'after_unknown',
  'configuration',
  'module_calls',
  'module',
  'expressions',
  'references',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'route',
  'vpc_id',
  'cidr_block',
  'route_table_id',
  'id',
  'managed',
];
const AVX_KEYS = [
  'policies',
  'rules',
  'rulesets',
  'app_domains',
  'smart_groups',
  'web_groups',
  'name',
  'uuid',
  'action',
  'priority',
  'protocol',
  'src_ads',
  'dst_ads',
  'web_filters',
  'port_ranges',
  'lo',
  'hi',
  'selector',
  'any',
  'all',
  'match_expressions',
  'cidr',
  'snifilter',
  'external',
  'tags',
  'enable_distributed_firewalling',
  'results',
];
const AZ_KEYS = [
  'id',
  'name',
  'type',
  'location',
  'addressSpace',
  'addressPrefixes',
  'subnets',
  'addressPrefix',
  'routeTable',
  'routes',
  'nextHopType',
  'nextHopIpAddress',
  'virtualNetworkPeerings',
  'remoteVirtualNetwork',
  'peeringState',
  'enableIPForwarding',
  'ipConfigurations',
  'privateIPAddress',
  'subnet',
  'tags',
];

/** The plan example cut to a few resources: the same shape, fast enough for 1000 runs. */
function smallPlan(): string {
  const plan = JSON.parse(readExample('terraform-plan/egress.tfplan.json'));
  const keep = (rs: { address: string }[]) =>
    rs.filter((r) => /aws_vpc\.main|aws_subnet\.nat|aws_route_table\.igw_edge|aws_route\.nat_default/.test(r.address));
  plan.planned_values.root_module.resources = keep(plan.planned_values.root_module.resources);
  plan.resource_changes = keep(plan.resource_changes);
  plan.configuration.root_module.resources = keep(plan.configuration.root_module.resources);
  return JSON.stringify(plan, null, 2);
}

const SMALL_CFN = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr:
    Type: String
    Default: 10.0.0.0/16
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
      Tags: [{Key: Name, Value: v}]
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
      AvailabilityZone: !Select [0, !GetAZs ""]
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  R:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: !Sub "\${Cidr}"
      GatewayId: !Ref Igw
  Igw: {Type: AWS::EC2::InternetGateway}
  A:
    Type: AWS::EC2::GatewayRouteTableAssociation
    Properties: {GatewayId: !Ref Igw, RouteTableId: !Ref Rt}
`;

describe('parse: property tests (never throw, ranges inside the file)', function () {
  this.timeout(600000);

  it('property: jsonTree agrees with JSON.parse on valid JSON and never throws on mutations', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        const errors: ParseError[] = [];
        const n = parseTree(text, errors);
        assert.deepEqual(errors, []);
        assert.equal(n?.offset, 0);
        assert.equal(n?.length, text.length);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(mutated('{"a": [1, {"b": "c\\u0041"}], "d": null}', JSON_ALPHABET), (t) => {
        const errors: ParseError[] = [];
        parseTree(t, errors);
        for (const e of errors) assert.ok(e.offset >= 0 && e.offset + e.length <= t.length);
      }),
      { numRuns: RUNS },
    );
  });

  const jsonCases: [string, (f: string, t: string) => ModelFragment, string, string[]][] = [
    [
      'AWS CLI',
      parseAwsCli,
      readExample('aws-cli-export/describe-route-tables.json').slice(0, 4000).replace(/,\s*$/, '') + ']}]}',
      AWS_KEYS,
    ],
    ['plan JSON', parseTfPlan, smallPlan(), PLAN_KEYS],
    ['Aviatrix export', parseAviatrixExport, readExample('aviatrix-dcf/controller-export/policy-list.json'), AVX_KEYS],
    ['Azure CLI', parseAzureCli, readExample('azure-cli-export/route-table-list.json'), AZ_KEYS],
    [
      'CloudFormation JSON',
      parseCloudFormation,
      JSON.stringify(
        {
          Resources: {
            V: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { 'Fn::Select': [0, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] } } },
          },
        },
        null,
        2,
      ),
      [
        'Resources',
        'Type',
        'Properties',
        'Ref',
        'Fn::GetAtt',
        'Fn::Select',
        'Fn::Cidr',
        'AWS::EC2::Subnet',
        'AWS::EC2::Route',
        'VpcId',
        'CidrBlock',
        'RouteTableId',
      ],
    ],
  ];

  for (const [name, parse, seed, keys] of jsonCases) {
    it(`property: ${name} parser survives mutated and random inputs`, () => {
      fc.assert(
        fc.property(fc.oneof(mutated(seed, JSON_ALPHABET), vocabJson(keys), fc.string({ maxLength: 200 })), (t) => {
          const frag = parse('f.json', t);
          assertInside(frag, t);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('property: CloudFormation YAML parser survives mutated templates', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(SMALL_CFN, YAML_ALPHABET), fc.string({ maxLength: 200 })), (t) => {
        const frag = parseCloudFormation('t.yaml', t);
        assertInside(frag, t);
      }),
      { numRuns: RUNS },
    );
  });

  it('property: detectFormat never throws and the workspace keeps every location inside its file', async () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a.json', 'b.yaml', 'c.template', 'd.tf.json', 'e.txt'),
        fc.oneof(vocabJson(AWS_KEYS), mutated(SMALL_CFN, YAML_ALPHABET)),
        (f, t) => {
          detectFormat(f, t);
        },
      ),
      { numRuns: RUNS },
    );
    const ws = await createWorkspace({ terraform: null });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('x.json', 'y.json', 'z.yaml'),
            fc.oneof(vocabJson(AWS_KEYS), vocabJson(AVX_KEYS), mutated(SMALL_CFN, YAML_ALPHABET)),
          ),
          { maxLength: 4 },
        ),
        async (files) => {
          const texts = new Map<string, string>();
          for (const [f, t] of files) {
            ws.setFile(f, t);
            texts.set(f, t);
          }
          const b = ws.build();
          for (const d of b.diagnostics) {
            const t = texts.get(d.loc.file);
            if (t !== undefined) assert.ok(rangeInside(d.loc.range, t), `${d.code} outside ${d.loc.file}`);
          }
          for (const f of ['x.json', 'y.json', 'z.yaml']) ws.removeFile(f);
        },
      ),
      { numRuns: Math.max(50, Math.floor(RUNS / 5)) },
    );
  });
});
