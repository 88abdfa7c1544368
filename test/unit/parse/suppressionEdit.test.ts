// The "Ignore <code> for this resource" edit (the editor's quick fix): applied to the file, the re-analysis
// accepts that finding and only it, and the edit is a comment above the resource with its indentation
// (Terraform, CloudFormation YAML) or the resource's Metadata (CloudFormation JSON).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { ignoreEdit, type IgnoreEdit } from '../../../src/parse/suppressionEdit';
import type { AnalysisResult } from '../../../src/analysis/types';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';

function apply(text: string, edit: IgnoreEdit): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  // Bottom-up, so earlier offsets stay valid.
  const edits = [...edit.edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  for (const e of edits) text = text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  return text;
}

const key = (r: AnalysisResult, list: 'findings' | 'suppressed'): string[] => (r[list] ?? []).map((f) => `${f.code} ${f.message}`).sort();

/** For each finding: its edit, applied, accepts exactly that finding (same message), leaving the others. */
async function eachFindingAccepted(files: Record<string, string>): Promise<string[]> {
  const plain = await analyzeFiles(files);
  assert.ok(plain.findings.length > 0);
  const texts: string[] = [];
  for (const f of plain.findings) {
    const file = f.location.file;
    const edit = ignoreEdit(file, files[file], f.location.range, f.code);
    assert.ok(edit, `an edit for ${f.code} at ${file}`);
    assert.equal(edit.title, `Ignore ${f.code} for this resource`);
    const text = apply(files[file], edit);
    texts.push(text);
    const after = await analyzeFiles({ ...files, [file]: text });
    assert.deepEqual(key(after, 'suppressed'), [`${f.code} ${f.message}`], `${f.code} accepted`);
    assert.deepEqual(
      key(after, 'findings'),
      key(plain, 'findings').filter((k) => k !== `${f.code} ${f.message}`),
    );
    const unused = (r: AnalysisResult) => r.parseDiagnostics.filter((d) => d.code === 'unused-suppression').length;
    assert.equal(unused(after), unused(plain), 'the edit is used');
  }
  return texts;
}

const YAML = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  'Resources:',
  '    Vpc:',
  '        Type: AWS::EC2::VPC',
  '        Properties:',
  '            CidrBlock: 10.0.0.0/16',
  '    Igw:',
  '        Type: AWS::EC2::InternetGateway',
  '    IgwAttach:',
  '        Type: AWS::EC2::VPCGatewayAttachment',
  '        Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }',
  '    ProxySubnet:',
  '        Type: AWS::EC2::Subnet',
  '        Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }',
  '    Rt:',
  '        Type: AWS::EC2::RouteTable',
  '        Properties: { VpcId: !Ref Vpc }',
  '    DefaultRoute:',
  '        Type: AWS::EC2::Route',
  '        Properties:',
  '            RouteTableId: !Ref Rt',
  '            DestinationCidrBlock: 0.0.0.0/0',
  '            GatewayId: !Ref Igw',
  '    Assoc:',
  '        Type: AWS::EC2::SubnetRouteTableAssociation',
  '        Properties: { SubnetId: !Ref ProxySubnet, RouteTableId: !Ref Rt }',
  '',
].join('\n');

const JSON_TEMPLATE = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Igw: { Type: 'AWS::EC2::InternetGateway' },
      IgwAttach: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Igw' } } },
      ProxySubnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' } },
      Rt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
      DefaultRoute: {
        Type: 'AWS::EC2::Route',
        Metadata: { 'egress-lens': { ignore: ['cross-az-egress'] } },
        Properties: { RouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
      },
      Assoc: {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: { Ref: 'ProxySubnet' }, RouteTableId: { Ref: 'Rt' } },
      },
    },
  },
  null,
  4,
);

describe('parse/suppressionEdit: the "Ignore <code> for this resource" edit', () => {
  before(async () => {
    await initTerraform();
  });

  it('Terraform: a `#` comment line above the top-level block holding the finding, for each finding of an example', async () => {
    const files = exampleTfFiles('aws-network-firewall-broken');
    const texts = await eachFindingAccepted(files);
    assert.ok(texts.every((t) => t.includes('# egress-lens:ignore ')));
    assert.ok(texts.some((t) => t.includes('\n# egress-lens:ignore asymmetric-cross-az\nresource "aws_route_table" "igw_edge" {\n')));
  });

  it('Terraform: keeps the indentation of the block line and the file line ends', () => {
    const text = 'locals {}\r\n  resource "aws_route" "r" {\r\n    route_table_id = "rtb-1"\r\n  }\r\n';
    const at = { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } };
    assert.equal(
      apply(text, ignoreEdit('main.tf', text, at, 'uninspected-egress')!),
      'locals {}\r\n  # egress-lens:ignore uninspected-egress\r\n  resource "aws_route" "r" {\r\n    route_table_id = "rtb-1"\r\n  }\r\n',
    );
    assert.equal(
      ignoreEdit('main.tf', text, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, 'x')?.edits[0].range.start.line,
      0,
    );
    assert.equal(ignoreEdit('main.tf', '\n\n', at, 'x'), undefined, 'no block holds it');
  });

  it('CloudFormation YAML: a comment above the logical id, indented as it', async () => {
    const [text] = await eachFindingAccepted({ 't.yaml': YAML });
    assert.ok(text.includes('\n    # egress-lens:ignore uninspected-egress\n    DefaultRoute:\n'));
  });

  it('CloudFormation JSON: the code joins the resource Metadata list', async () => {
    const [text] = await eachFindingAccepted({ 't.json': JSON_TEMPLATE });
    const doc = JSON.parse(text) as { Resources: { DefaultRoute: { Metadata: unknown } } };
    assert.deepEqual(doc.Resources.DefaultRoute.Metadata, { 'egress-lens': { ignore: ['cross-az-egress', 'uninspected-egress'] } });
    const withoutMeta = JSON_TEMPLATE.replace(
      ',\n            "Metadata": {\n                "egress-lens": {\n                    "ignore": [\n                        "cross-az-egress"\n                    ]\n                }\n            }',
      '',
    );
    assert.notEqual(withoutMeta, JSON_TEMPLATE);
    const [added] = await eachFindingAccepted({ 't.json': withoutMeta });
    assert.deepEqual((JSON.parse(added) as typeof doc).Resources.DefaultRoute.Metadata, {
      'egress-lens': { ignore: ['uninspected-egress'] },
    });
    assert.ok(added.includes('\n            "Metadata": {\n                "egress-lens": {'), 'indented as the template');
  });

  it('no edit for formats without a place to write it (an AWS CLI export)', () => {
    const text = '{"RouteTables": []}';
    assert.equal(ignoreEdit('rt.json', text, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, 'x'), undefined);
  });
});
