// `egress-lens:ignore` applied by the analysis: the named findings located in the covered resource move to
// `suppressed`; states, traces and the score stay as they are; a suppression that silences nothing is reported.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const EXAMPLE = 'aws-network-firewall-broken';
const EDGE = 'resource "aws_route_table" "igw_edge" {';

function codes(r: AnalysisResult, list: 'findings' | 'suppressed' = 'findings'): string[] {
  return (r[list] ?? []).map((f) => f.code).sort();
}

function unused(r: AnalysisResult): string[] {
  return r.parseDiagnostics.filter((d) => d.code === 'unused-suppression').map((d) => `${d.loc.range.start.line + 1}: ${d.message}`);
}

const CFN = (comment: string, where: 'subnet' | 'route'): string =>
  [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Resources:',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    '    Properties:',
    '      CidrBlock: 10.0.0.0/16',
    '  Igw:',
    '    Type: AWS::EC2::InternetGateway',
    '  IgwAttach:',
    '    Type: AWS::EC2::VPCGatewayAttachment',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    '      InternetGatewayId: !Ref Igw',
    ...(where === 'subnet' ? [comment] : []),
    '  ProxySubnet:',
    '    Type: AWS::EC2::Subnet',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    '      CidrBlock: 10.0.1.0/24',
    '  Rt:',
    '    Type: AWS::EC2::RouteTable',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    ...(where === 'route' ? [comment] : []),
    '  DefaultRoute:',
    '    Type: AWS::EC2::Route',
    '    Properties:',
    '      RouteTableId: !Ref Rt',
    '      DestinationCidrBlock: 0.0.0.0/0',
    '      GatewayId: !Ref Igw',
    '  Assoc:',
    '    Type: AWS::EC2::SubnetRouteTableAssociation',
    '    Properties:',
    '      SubnetId: !Ref ProxySubnet',
    '      RouteTableId: !Ref Rt',
    '',
  ].join('\n');

describe('analysis/suppress: egress-lens:ignore', () => {
  const files = exampleTfFiles(EXAMPLE);

  it('moves the named findings located in the resource to `suppressed`, with where and why, and changes nothing else', async () => {
    const plain = await analyzeFiles(files);
    assert.deepEqual(codes(plain), ['asymmetric-cross-az', 'asymmetric-return-bypass']);
    const accepted = await analyzeFiles({
      ...files,
      'main.tf': replaceOnce(files['main.tf'], [EDGE, `# egress-lens:ignore asymmetric-cross-az -- known, fixed in Q3\n${EDGE}`]),
    });
    assert.deepEqual(codes(accepted), ['asymmetric-return-bypass'], 'the other code is not silenced');
    assert.deepEqual(codes(accepted, 'suppressed'), ['asymmetric-cross-az']);
    const s = accepted.suppressed![0];
    assert.deepEqual(s.suppression?.reason, 'known, fixed in Q3');
    assert.equal(s.suppression?.location.file, 'main.tf');
    const text = replaceOnce(files['main.tf'], [EDGE, `# egress-lens:ignore asymmetric-cross-az -- known, fixed in Q3\n${EDGE}`]);
    assert.equal(s.suppression.location.range.start.line, text.split('\n').indexOf(EDGE) - 1, 'the comment line above the resource');
    const before = plain.findings.find((f) => f.code === 'asymmetric-cross-az')!;
    assert.equal(s.message, before.message);
    assert.equal(s.location.range.start.line, before.location.range.start.line + 1, 'the same finding, one line lower');
    assert.deepEqual(unused(accepted), []);
    assert.deepEqual(accepted.states, plain.states);
    assert.deepEqual(accepted.score, plain.score);
    assert.deepEqual(
      accepted.egress.map((e) => [e.subnet, e.forward.outcome, e.return?.outcome, e.divergence?.reason]),
      plain.egress.map((e) => [e.subnet, e.forward.outcome, e.return?.outcome, e.divergence?.reason]),
    );
  });

  it('reports unknown codes, input-diagnostic codes, codes without such a finding, and a comment above nothing', async () => {
    const r = await analyzeFiles({
      ...files,
      'main.tf': replaceOnce(
        files['main.tf'],
        [EDGE, `# egress-lens:ignore asymmetric-cross-az,uninspected-egress,not-a-rule,syntax-error\n${EDGE}`],
        ['resource "aws_vpc" "main" {', '# egress-lens:ignore routing-loop\n\nresource "aws_vpc" "main" {'],
      ),
    });
    assert.deepEqual(codes(r, 'suppressed'), ['asymmetric-cross-az']);
    const u = unused(r);
    assert.equal(u.length, 2, u.join('\n'));
    assert.match(u.join('\n'), /: unused egress-lens:ignore: it stands directly above no resource/);
    assert.match(
      u.join('\n'),
      /no uninspected-egress finding is located in its resource; not-a-rule is not a rule code; syntax-error is an input diagnostic, which cannot be ignored/,
    );
    assert.ok(r.parseDiagnostics.filter((d) => d.code === 'unused-suppression').every((d) => d.severity === 'info'));
  });

  it('a rule turned off makes no unused report for its code', async () => {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files))
      ws.setFile(f, f === 'main.tf' ? replaceOnce(t, [EDGE, `# egress-lens:ignore routing-loop\n${EDGE}`]) : t);
    const b = ws.build();
    assert.equal(unused(analyze(b.model, {}, b.diagnostics)).length, 1);
    assert.deepEqual(unused(analyze(b.model, { severities: { 'routing-loop': 'off' } }, b.diagnostics)), []);
  });

  it('CloudFormation: a finding is accepted where it is located (the route), and a comment above the subnet says where that is', async () => {
    const comment = '  # egress-lens:ignore uninspected-egress -- squid forward proxy';
    const onRoute = await analyzeFiles({ 't.yaml': CFN(comment, 'route') });
    assert.deepEqual(codes(onRoute), []);
    assert.deepEqual(codes(onRoute, 'suppressed'), ['uninspected-egress']);
    assert.equal(onRoute.states[0].state, 'Unprotected', 'the state is what the code does');
    const onSubnet = await analyzeFiles({ 't.yaml': CFN(comment, 'subnet') });
    assert.deepEqual(codes(onSubnet), ['uninspected-egress']);
    assert.deepEqual(unused(onSubnet), [
      '14: unused egress-lens:ignore: the uninspected-egress finding about this resource is located at t.yaml:24:3, where the change goes: write the comment above that resource',
    ]);
  });

  it('incremental: an edited comment is picked up, and the result equals a fresh analysis', async () => {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const analyzer = createAnalyzer();
    const steps = [
      EDGE,
      `# egress-lens:ignore asymmetric-cross-az\n${EDGE}`,
      `# egress-lens:ignore asymmetric-return-bypass\n${EDGE}`,
      `# egress-lens:ignore asymmetric-return-bypasX\n${EDGE}`,
    ];
    const expected = [[], ['asymmetric-cross-az'], ['asymmetric-return-bypass'], []];
    for (let i = 0; i < steps.length; i++) {
      ws.setFile('main.tf', replaceOnce(files['main.tf'], [EDGE, steps[i]]));
      const b = ws.build();
      const r = analyzer.analyze(b.model, {}, b.diagnostics);
      assert.deepEqual(codes(r, 'suppressed'), expected[i], `step ${i}`);
      const fresh = analyze(b.model, {}, b.diagnostics);
      assert.deepEqual({ ...r, timing: undefined }, { ...fresh, timing: undefined }, `step ${i}: incremental equals fresh`);
    }
    assert.ok(analyzer.stats.reused > 0 && analyzer.stats.traced === 0, 'an edit of the comment alone re-traces nothing');
  });
});
