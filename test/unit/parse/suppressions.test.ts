// `egress-lens:ignore` acceptances as the parsers read them: Terraform comments (both HCL readers), CloudFormation
// YAML comments above a logical id, and CloudFormation Metadata in YAML and JSON templates.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { initTerraform } from '../../../src/parse/terraform';
import { terraformParser } from '../../../src/parse/terraform/wasm';
import { convertTree } from '../../../src/parse/terraform/ast';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { readIgnoreComment } from '../../../src/parse/suppressions';
import type { Suppression } from '../../../src/model/inputs';

/** The suppressions of one file, as a workspace builds them. */
async function suppressionsOf(file: string, text: string): Promise<Suppression[]> {
  const ws = await createWorkspace();
  ws.setFile(file, text);
  return ws.build().model.suppressions ?? [];
}

/** 1-based `line:col` where a suppression is written. */
function start(loc: Suppression['loc']): string {
  return `${loc.range.start.line + 1}:${loc.range.start.character + 1}`;
}

/** 1-based `line:col-line:col` of a range, for short assertions. */
function at(r: Suppression['covers'] | Suppression['loc']['range'] | undefined): string | undefined {
  return r && `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

const TF = [
  'resource "aws_vpc" "main" {',
  '  cidr_block = "10.0.0.0/16"',
  '}',
  '',
  '# egress-lens:ignore uninspected-egress,cross-az-egress -- squid forward proxy',
  '// egress-lens:ignore blackhole-route',
  'resource "aws_route_table" "proxy" {',
  '  vpc_id = aws_vpc.main.id',
  '  # egress-lens:ignore routing-loop',
  '  route {',
  '    cidr_block = "0.0.0.0/0"',
  '    gateway_id = "igw-1" # egress-lens:ignore blackhole-route',
  '  }',
  '}',
  '',
  '# egress-lens:ignore asymmetric-cross-az',
  '',
  'resource "aws_subnet" "a" {',
  '  vpc_id     = aws_vpc.main.id',
  '  cidr_block = "10.0.1.0/24"',
  '}',
  '',
].join('\n');

describe('parse/suppressions: egress-lens:ignore', () => {
  before(async () => {
    await initTerraform();
  });

  it('reads the codes and the reason of one comment', () => {
    assert.deepEqual(readIgnoreComment('# egress-lens:ignore a,b -- a reason -- with dashes'), {
      codes: ['a', 'b'],
      reason: 'a reason -- with dashes',
    });
    assert.deepEqual(readIgnoreComment('//egress-lens:ignore a, b c'), { codes: ['a', 'b', 'c'] });
    assert.deepEqual(readIgnoreComment('# egress-lens:ignore -- only a reason'), { codes: [], reason: 'only a reason' });
  });

  it('Terraform: a comment line covers the block or argument starting on the next line, through a stack of them', async () => {
    const s = await suppressionsOf('main.tf', TF);
    assert.deepEqual(
      s.map((x) => [x.codes.join(','), x.reason, start(x.loc), at(x.covers)]),
      [
        ['uninspected-egress,cross-az-egress', 'squid forward proxy', '5:1', '7:1-14:2'],
        ['blackhole-route', undefined, '6:1', '7:1-14:2'],
        // Above a nested block: that block.
        ['routing-loop', undefined, '9:3', '10:3-13:4'],
        // At the end of a code line: above nothing.
        ['blackhole-route', undefined, '12:26', undefined],
        // A blank line between the comment and the block: above nothing.
        ['asymmetric-cross-az', undefined, '16:1', undefined],
      ],
    );
  });

  it('Terraform: the direct reader and tree-sitter record the same comments', () => {
    const fast = fastParse(TF);
    assert.ok(fast?.marks?.length === 5, 'the direct reader takes the file and records every ignore comment');
    const tree = terraformParser()!.parse(TF)!;
    try {
      assert.deepEqual(convertTree(tree.rootNode, TF).marks, fast.marks);
    } finally {
      tree.delete();
    }
  });

  it('Terraform: a file tree-sitter reads (a heredoc) gives the same suppressions', async () => {
    const heredoc = TF + 'locals {\n  x = <<EOT\n# egress-lens:ignore not-a-comment\nEOT\n}\n';
    assert.equal(fastParse(heredoc), undefined, 'left to tree-sitter');
    const s = await suppressionsOf('main.tf', heredoc);
    assert.deepEqual(
      s.map((x) => [x.codes.join(','), at(x.covers)]),
      [
        ['uninspected-egress,cross-az-egress', '7:1-14:2'],
        ['blackhole-route', '7:1-14:2'],
        ['routing-loop', '10:3-13:4'],
        ['blackhole-route', undefined],
        ['asymmetric-cross-az', undefined],
      ],
      'the heredoc line is text, not a comment',
    );
  });

  it('Terraform: a file without ignore comments gives none', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', 'resource "aws_vpc" "main" {\n  # a comment\n  cidr_block = "10.0.0.0/16" # egress-lens: not an ignore\n}\n');
    assert.equal(ws.build().model.suppressions, undefined);
  });

  it('Terraform: an edited comment is a new build (incremental)', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', TF);
    ws.setFile('other.tf', 'resource "aws_subnet" "b" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.2.0/24"\n}\n');
    const first = ws.build();
    assert.equal(first.model.suppressions?.length, 5);
    // Same length, same lines: only the comment's codes change.
    ws.setFile('main.tf', TF.replace('uninspected-egress,cross-az-egress', 'uninspected-egress,routing-loopXX'));
    const second = ws.build();
    assert.deepEqual(second.model.suppressions?.[0].codes, ['uninspected-egress', 'routing-loopXX']);
    assert.ok(second.changedFiles?.has('main.tf'));
    ws.setFile('main.tf', TF.replace('# egress-lens:ignore routing-loop', '# a plain note here'));
    assert.deepEqual(
      ws.build().model.suppressions?.map((x) => x.codes[0]),
      ['uninspected-egress', 'blackhole-route', 'blackhole-route', 'asymmetric-cross-az'],
    );
  });

  const YAML = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Resources:',
    '  # egress-lens:ignore uninspected-egress -- squid forward proxy',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    '    Properties:',
    '      CidrBlock: 10.0.0.0/16 # egress-lens:ignore routing-loop',
    '',
    '  # egress-lens:ignore blackhole-route',
    '  # a note between',
    '  Rt:',
    '    Type: AWS::EC2::RouteTable',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    '  # a note first',
    '  # egress-lens:ignore cross-az-egress,asymmetric-cross-az',
    '  Route:',
    '    Type: AWS::EC2::Route',
    '    Metadata:',
    '      egress-lens:',
    '        ignore: [uninspected-egress]',
    '        reason: accepted',
    '    Properties:',
    '      RouteTableId: !Ref Rt',
    '      DestinationCidrBlock: 0.0.0.0/0',
    '      GatewayId: igw-1',
    'Outputs:',
    '  # egress-lens:ignore dcf-disabled',
    '  X:',
    '    Value: !Ref Vpc',
    '',
  ].join('\n');

  it('CloudFormation YAML: a comment line above a logical id and a Metadata entry cover the resource', async () => {
    const s = await suppressionsOf('t.yaml', YAML);
    assert.deepEqual(
      s.map((x) => [x.codes.join(','), x.reason, start(x.loc), at(x.covers)]),
      [
        // Before the first entry (the parser puts it after `Resources:`).
        ['uninspected-egress', 'squid forward proxy', '3:3', '4:3-8:1'],
        // Another comment between it and the logical id: above nothing.
        ['blackhole-route', undefined, '9:3', undefined],
        ['cross-az-egress,asymmetric-cross-az', undefined, '16:3', '17:3-27:1'],
        ['uninspected-egress', 'accepted', '20:7', '17:3-27:1'],
      ],
      'a comment at the end of a property line, or outside Resources, is not read',
    );
  });

  it('CloudFormation JSON: Metadata only (JSON has no comments)', async () => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Subnet: {
          Type: 'AWS::EC2::Subnet',
          Metadata: { 'egress-lens': { ignore: ['uninspected-egress', 'cross-az-egress'] } },
          Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' },
        },
        Bad: { Type: 'AWS::EC2::RouteTable', Metadata: { 'egress-lens': { ignore: { Ref: 'X' } } }, Properties: { VpcId: { Ref: 'Vpc' } } },
      },
    };
    const text = JSON.stringify(template, null, 2);
    const s = await suppressionsOf('t.json', text);
    assert.deepEqual(
      s.map((x) => [x.codes.join(','), x.reason]),
      [
        ['uninspected-egress,cross-az-egress', undefined],
        ['', undefined],
      ],
    );
    const subnetStart = text.split('\n').findIndex((l) => l.includes('"Subnet"'));
    assert.equal(s[0].covers?.start.line, subnetStart);
  });
});
