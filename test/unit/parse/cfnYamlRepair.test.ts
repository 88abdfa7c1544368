// CloudFormation reads YAML as PyYAML (YAML 1.1) does: in `!Split [-, !Ref AWS::StackId]` the lone
// `-` is the string "-", and a quoted scalar's continuation lines may sit at any indentation.
// `yaml` (1.2) refuses both; cfnYamlRepair.ts repairs them on yaml's lexer tokens, and offsets stay
// exact. Expected values were checked against PyYAML 6 (yaml.safe_load).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { get, parseYamlTree, type CNode } from '../../../src/parse/cfnTree';
import { loneFlowDashes } from '../../../src/parse/cfnYamlRepair';
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

/** The 0-based line and character of an offset. */
function at(text: string, off: number): [number, number] {
  const before = text.slice(0, off).split('\n');
  return [before.length - 1, before[before.length - 1].length];
}

describe('parse/cfnYamlRepair: a lone flow `-` is the string "-", as CloudFormation reads it', () => {
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

describe('parse/cfnYamlRepair: an indented document with `!Join [ -, [...]]` (F113)', () => {
  const text = [
    '    AWSTemplateFormatVersion: "2010-09-09"',
    '    Resources:',
    '      Tgw:',
    '        Type: "AWS::EC2::TransitGateway"',
    '        Properties:',
    '          Description: !Join [ -, [!Ref "AWS::StackName",global]]',
    '      Vpc:',
    "        Type: 'AWS::EC2::VPC'",
    '        Properties:',
    '          CidrBlock: 10.3.0.0/16',
    '          Tags:',
    '            - Key: Name',
    '              Value: !Join [ -, [!Ref "AWS::StackName"]]',
  ].join('\n');

  it('reads the join as PyYAML does, each scalar at its own line and column', () => {
    const t = parseYamlTree('t.yaml', text);
    assert.deepEqual(t.diagnostics, []);
    const desc = get(get(get(get(t.root, 'Resources'), 'Tgw'), 'Properties'), 'Description');
    assert.ok(desc?.t === 'seq' && desc.tag === '!Join');
    const [dash, list] = desc.items;
    assert.ok(dash.t === 'scalar' && list.t === 'seq');
    assert.equal(dash.value, '-');
    const line5 = text.split('\n')[5];
    assert.deepEqual(at(text, dash.start), [5, line5.indexOf('[ -') + 2]);
    // The tagged scalar starts at its tag.
    assert.deepEqual(
      list.items.map((i) => (i.t === 'scalar' ? [i.value, ...at(text, i.start)] : undefined)),
      [
        ['AWS::StackName', 5, line5.indexOf('!Ref')],
        ['global', 5, line5.indexOf('global')],
      ],
    );
  });

  it('the template gives its VPC at its line', () => {
    const f = parseCloudFormation('t.yaml', text);
    assert.deepEqual(f.diagnostics, []);
    const vpc = byId(f.elements, 'cfn:t.yaml#Vpc');
    assert.ok(vpc.kind === 'vpc');
    assert.deepEqual(vpc.cidrs, ['10.3.0.0/16']);
    assert.equal(vpc.loc.range.start.line, 6);
  });
});

describe('parse/cfnYamlRepair: a quoted scalar whose lines are indented less than YAML 1.2 requires (F113)', () => {
  // The S3 endpoint policy idiom: a JSON document in single quotes, closed at the key's column.
  const TEMPLATE = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    '    Properties:',
    '      CidrBlock: 10.2.0.0/16',
    '  Endpoint:',
    '    Type: AWS::EC2::VPCEndpoint',
    '    Properties:',
    "      PolicyDocument: '{",
    '        "Statement":[{',
    '            "Effect":"Allow", "Principal": "*", "Action":["s3:*"]',
    '        }]',
    "      }'",
    '      VpcId: !Ref Vpc',
    '      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3',
    '  Subnet:',
    '    Type: AWS::EC2::Subnet',
    '    Properties:',
    '      VpcId: !Ref Vpc',
    '      CidrBlock: 10.2.1.0/24',
  ].join('\n');

  it('reads the value PyYAML reads (lines folded into spaces), and the keys after it at their lines', () => {
    const t = parseYamlTree('t.yaml', TEMPLATE);
    assert.deepEqual(t.diagnostics, []);
    const props = get(get(get(t.root, 'Resources'), 'Endpoint'), 'Properties');
    assert.ok(props?.t === 'map');
    const policy = get(props, 'PolicyDocument');
    assert.ok(policy?.t === 'scalar');
    assert.equal(policy.value, '{ "Statement":[{ "Effect":"Allow", "Principal": "*", "Action":["s3:*"] }] }');
    assert.deepEqual(
      [at(TEMPLATE, policy.start), at(TEMPLATE, policy.end)],
      [
        [9, 22],
        [13, 8],
      ],
    );
    assert.deepEqual(
      props.entries.map((e) => [e.key, ...at(TEMPLATE, e.keyStart)]),
      [
        ['PolicyDocument', 9, 6],
        ['VpcId', 14, 6],
        ['ServiceName', 15, 6],
      ],
    );
  });

  it('the template is read: the subnet after it, at its line', () => {
    const f = parseCloudFormation('t.yaml', TEMPLATE);
    assert.deepEqual(f.diagnostics, []);
    const subnet = byId(f.elements, 'cfn:t.yaml#Subnet');
    assert.ok(subnet.kind === 'subnet');
    assert.equal(subnet.cidr, '10.2.1.0/24');
    assert.equal(subnet.loc.range.start.line, 16);
  });

  it('double quotes, escapes, a blank line and a flow item: the values PyYAML reads', () => {
    const cases: [string, unknown][] = [
      ['m:\n  k: "x \\"y\\"\n z\\\n  w"\n  n: 1\n', { m: { k: 'x "y" zw', n: 1 } }],
      ["m:\n  k: 'one\n\n two'\n  n: 1\n", { m: { k: 'one\ntwo', n: 1 } }],
      ["m:\n  k: [ 'a\n b', c]\n  n: 1\n", { m: { k: ['a b', 'c'], n: 1 } }],
      ["m:\n  k: 'it''s\nhere'\n  n: 1\n", { m: { k: "it's here", n: 1 } }],
    ];
    for (const [text, want] of cases) {
      const t = parseYamlTree('t.yaml', text);
      assert.deepEqual(t.diagnostics, [], text);
      assert.deepEqual(plain(t.root), want, text);
    }
  });

  it('what PyYAML refuses stays a located error: a document marker inside, a quoted key over two lines, no closing quote', () => {
    for (const [text, line, message] of [
      ["m:\n  k: 'a\n---\n b'\n  n: 1\n", 1, /Missing closing 'quote/],
      ["m:\n  'a\n b': 1\n", 1, /Implicit keys need to be on a single line/],
      // Read to the end of the file, as PyYAML does: yaml says so where the text ends.
      ["m:\n  k: 'a\n b\n  n: 1\n", 4, /Missing closing 'quote/],
    ] as const) {
      const t = parseYamlTree('t.yaml', text);
      const first = t.diagnostics.find((d) => d.severity === 'error');
      assert.ok(first, text);
      assert.equal(first.loc.range.start.line, line, `${text}: ${first.message}`);
      assert.match(first.message, message);
    }
  });

  it('property: any indentation of the continuation lines gives the value of the well-indented scalar', () => {
    const word = fc.stringMatching(/^[a-z{}":,*[\]]{1,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.nat({ max: 8 })), { minLength: 2, maxLength: 6 }), fc.constantFrom("'", '"'), (lines, q) => {
        const body = (indent: (n: number) => number) =>
          lines.map(([w, n], i) => (i ? ' '.repeat(indent(n)) : '') + w.replace(/["'\\]/g, '')).join('\n');
        const good = `m:\n  k: ${q}${body(() => 4)}${q}\n  n: 1\n`;
        const text = `m:\n  k: ${q}${body((n) => n)}${q}\n  n: 1\n`;
        const want = parseYamlTree('t.yaml', good);
        assert.deepEqual(want.diagnostics, []);
        const t = parseYamlTree('t.yaml', text);
        assert.deepEqual(t.diagnostics, [], text);
        assert.deepEqual(plain(t.root), plain(want.root));
        // The key after the scalar is at its own line, column 2.
        const n = t.root?.t === 'map' ? get(t.root, 'm') : undefined;
        const e = n?.t === 'map' ? n.entries.find((x) => x.key === 'n') : undefined;
        assert.ok(e);
        assert.deepEqual(at(text, e.keyStart), [text.split('\n').length - 2, 2]);
      }),
      { numRuns: 200 },
    );
  });
});

/** A tree's values as plain data. */
function plain(n: CNode | undefined): unknown {
  if (!n) return undefined;
  if (n.t === 'scalar') return n.value;
  if (n.t === 'seq') return n.items.map(plain);
  return Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)]));
}
