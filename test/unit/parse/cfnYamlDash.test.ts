// CloudFormation reads YAML as PyYAML (YAML 1.1) does: in `!Split [-, !Ref AWS::StackId]` the lone
// `-` is the string "-". `yaml` (1.2) refuses it; cfnYamlDash.ts finds such dashes with a scanner
// that knows flow context, quotes, comments and block scalars, and offsets stay exact.
import * as assert from 'node:assert/strict';
import { parseYamlTree, type CNode } from '../../../src/parse/cfnTree';
import { loneFlowDashes } from '../../../src/parse/cfnYamlDash';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { byId } from './helpers';

/** The scalars of a tree with the text at their offsets. */
function scalars(n: CNode | undefined, text: string, out: [unknown, string][] = []): [unknown, string][] {
  if (!n) return out;
  if (n.t === 'scalar') out.push([n.value, text.slice(n.start, n.end)]);
  else if (n.t === 'seq') for (const i of n.items) scalars(i, text, out);
  else for (const e of n.entries) scalars(e.value, text, out);
  return out;
}

describe('parse/cfnYamlDash: a lone flow `-` is the string "-", as CloudFormation reads it', () => {
  const idiom = 'Fn::Select: [0, Fn::Split: [-, Fn::Select: [2, Fn::Split: [/, !Ref AWS::StackId ]]]] # first part of the GUID\n';
  it('the stack-id GUID idiom, long and short form: no syntax error, "-" at its exact offset', () => {
    for (const text of [`Value:\n  ${idiom}`, 'Value: !Select [0, !Split [-, !Select [2, !Split [/, !Ref AWS::StackId]]]]\n']) {
      const t = parseYamlTree('t.yaml', text);
      assert.deepEqual(t.diagnostics, [], text);
      const got = scalars(t.root, text);
      assert.deepEqual(
        got.map(([v]) => v),
        [0, '-', 2, '/', 'AWS::StackId'],
      );
      // Each scalar's offsets still point at its own text (a tagged one's start at its tag).
      for (const [v, at] of got) assert.equal(at.replace(/^!\w+\s+/, ''), String(v));
    }
  });

  it('only flow scalars: dashes in quotes, block scalars, comments, plain words and block sequences are left alone', () => {
    const text = [
      'a: [-]', // 0: lone
      "b: '[-, x]'", // quoted
      'c: "[-, \\"y]"', // double quoted with an escaped quote
      'd: |',
      '  [-, z]', // block scalar body
      "  it's [-]",
      'e: [a-, -x, -] # [-]', // one lone, the comment not
      'f: {k: -, "q": [-,-]}',
      'g:',
      '  - [1, -]', // block sequence entry holding a flow sequence
      '  - x-',
      "h: it's [-] plain", // a plain scalar: brackets are text in block context
    ].join('\n');
    // Each lone dash found, shown as its line up to it.
    assert.deepEqual(
      loneFlowDashes(text).map((i) => text.slice(text.lastIndexOf('\n', i) + 1, i + 1)),
      ['a: [-', 'e: [a-, -x, -', 'f: {k: -', 'f: {k: -, "q": [-', 'f: {k: -, "q": [-,-', '  - [1, -'],
    );
    const t = parseYamlTree('t.yaml', text);
    assert.deepEqual(t.diagnostics, []);
    assert.deepEqual(
      scalars(t.root, text).map(([v]) => v),
      ['-', '[-, x]', '[-, "y]', "[-, z]\nit's [-]\n", 'a-', '-x', '-', '-', '-', '-', 1, '-', 'x-', "it's [-] plain"],
    );
  });

  it('what CloudFormation refuses too stays an error: a dash and a space in a flow sequence', () => {
    const t = parseYamlTree('t.yaml', 'a: [- , x]\n');
    assert.ok(t.diagnostics.some((d) => d.code === 'syntax-error' && d.loc.range.start.line === 0));
  });

  it('a template using the idiom is read: its resources and their values', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Vpc:',
      '    Type: AWS::EC2::VPC',
      '    Properties:',
      '      CidrBlock: !Select [1, !Split [-, "x-10.0.0.0/16"]]',
      '      Tags:',
      '        - Key: Name',
      '          Value:',
      `            ${idiom}`,
    ].join('\n');
    const f = parseCloudFormation('t.yaml', text);
    assert.deepEqual(f.diagnostics, []);
    const vpc = byId(f.elements, 'cfn:t.yaml#Vpc');
    assert.ok(vpc.kind === 'vpc');
    assert.deepEqual(vpc.cidrs, ['10.0.0.0/16']);
  });
});
