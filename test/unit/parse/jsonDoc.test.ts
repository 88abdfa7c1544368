// The two ways JsonDoc reads a JSON text (native JSON.parse values + container offsets, or the
// jsonc tree) must be indistinguishable to parsers: same values, types, ranges, fragments and
// diagnostics. Checked on every JSON example and on generated JSON (array-index keys, repeated keys,
// unicode escapes, CRLF, odd keys), plus the LineMap against a naive line split.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonDoc, withJsonReadMode, type JsonNode } from '../../../src/parse/jsonDoc';
import { LineMap } from '../../../src/parse/locate';
import { detectFormat } from '../../../src/parse/detect';
import { parseAwsCli, AWS_CLI_KEYS } from '../../../src/parse/awsCli';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { parseAviatrixExport } from '../../../src/parse/aviatrixExport';
import { parseAzureCli } from '../../../src/parse/azureCli';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import type { ModelFragment } from '../../../src/parse/types';
import type { InputFormat } from '../../../src/parse/types';
import { exampleFiles } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 500;

const PARSERS: Partial<Record<InputFormat, (f: string, t: string) => ModelFragment>> = {
  'aws-cli': parseAwsCli,
  'terraform-plan': parseTfPlan,
  'aviatrix-export': parseAviatrixExport,
  'azure-cli': parseAzureCli,
  cloudformation: parseCloudFormation,
};

function at(doc: JsonDoc, n: JsonNode | undefined): unknown {
  return n && [doc.type(n), doc.offsets(n)];
}

/** Everything a parser can ask a doc about a node, recursively. */
function describeNode(doc: JsonDoc, n: JsonNode, depth = 0): unknown {
  const t = doc.type(n);
  const base = { t, range: doc.range(n), offsets: doc.offsets(n), value: doc.value(n) };
  if (depth > 12) return base;
  const slots = doc.slots(n).map((s) => ({ ...s, value: s.value ? doc.offsets(s.value) : undefined }));
  if (t === 'object') {
    const keys = doc.keys(n);
    return {
      ...base,
      keys,
      slots,
      entries: doc.entries(n).map(([k, v]) => [k, describeNode(doc, v, depth + 1)]),
      props: keys.map((k) => {
        const p = doc.propNode(n, k)!;
        return {
          k,
          has: doc.has(n, k),
          prop: [doc.type(p), doc.range(p), doc.value(p), doc.type(doc.prop(p, k))],
          keyLoc: doc.keyLoc(n, k),
          str: doc.str(n, k),
          num: doc.num(n, k),
          bool: doc.bool(n, k),
          get: doc.get(n, k),
          items: doc.items(n, k).map((x) => doc.range(x)),
          objects: doc.objects(n, k).map((x) => doc.range(x)),
          strings: doc.strings(n, k),
          diag: doc.diagAt(p, 'unknown-shape', 'info', 'm'),
        };
      }),
      missing: [
        doc.keyLoc(n, '\u0000missing'),
        doc.has(n, 'constructor'),
        at(doc, doc.prop(n, 'toString')),
        doc.str(n, '__proto__'),
        at(doc, doc.propNode(n, 'hasOwnProperty')),
      ],
      // (An attr named __proto__ sets the record's prototype to a fresh range object: never deep-equal.)
      attrs: doc.attrs(
        n,
        [...keys]
          .reverse()
          .filter((k) => k !== '__proto__')
          .concat(['missing', 'constructor']),
      ),
      attr1: keys.length && keys[keys.length - 1] !== '__proto__' ? doc.attrs(n, [keys[keys.length - 1]]) : doc.attrs(n, ['x']),
    };
  }
  if (t === 'array') {
    return {
      ...base,
      slots,
      items: doc.items(n).map((x) => describeNode(doc, x, depth + 1)),
      objects: doc.objects(n).map((x) => doc.range(x)),
      strings: doc.strings(n),
      notObject: [doc.keys(n), doc.entries(n).length, at(doc, doc.prop(n, 'length')), doc.str(n, '0')],
    };
  }
  return base;
}

function describeDoc(doc: JsonDoc): unknown {
  return { root: doc.root ? describeNode(doc, doc.root) : undefined, diagnostics: doc.diagnostics };
}

// ---- generated JSON with repeated keys, index keys, escapes and CRLF ----------------------------

type J = null | boolean | number | string | J[] | { pairs: [string, J][] };

const KEYS = [
  'a',
  'b',
  'VpcId',
  'Routes',
  'Tags',
  'Key',
  'Value',
  '0',
  '1',
  '12',
  '01',
  '-1',
  '4294967295',
  '4294967294',
  '__proto__',
  'constructor',
  'toString',
  'a"b',
  'a\\b',
  '\u00e9t\u00e9',
  '\ud83d\ude00',
  '',
  ' ',
  'x:y',
  '{',
  '[',
  'line\nbreak',
];

const jsonTree: fc.Arbitrary<J> = fc.letrec<{ j: J }>((tie) => ({
  j: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    fc.oneof(
      fc.constantFrom(...KEYS, 'true', '10.0.0.0/16', '"', '\\', '/*', '\u2028', '\r\n'),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    fc.array(tie('j'), { maxLength: 4 }),
    fc.record({
      pairs: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 3 })), tie('j')), {
        maxLength: 5,
      }),
    }),
  ),
})).j;

interface Style {
  indent: number;
  nl: '\n' | '\r\n' | '\r';
  escape: boolean;
}

/** JSON text of a tree; `escape` writes every non-ASCII character and every 'a' as \uXXXX. */
function write(j: J, s: Style, depth = 0): string {
  const pad = (d: number) => (s.indent ? s.nl + ' '.repeat(s.indent * d) : '');
  const str = (x: string) => {
    const q = JSON.stringify(x);
    return s.escape ? q.replace(/[^\x20-\x7e]|a/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : q;
  };
  if (j === null || typeof j === 'boolean' || typeof j === 'number') return JSON.stringify(j);
  if (typeof j === 'string') return str(j);
  if (Array.isArray(j)) return j.length ? `[${j.map((x) => pad(depth + 1) + write(x, s, depth + 1)).join(',')}${pad(depth)}]` : '[]';
  return j.pairs.length
    ? `{${j.pairs.map(([k, v]) => `${pad(depth + 1)}${str(k)}${s.indent ? ': ' : ':'}${write(v, s, depth + 1)}`).join(',')}${pad(depth)}}`
    : '{}';
}

const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(0, 1, 2),
  nl: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
  escape: fc.boolean(),
});

describe('parse/jsonDoc: the JSON.parse path and the jsonc tree path agree', function () {
  this.timeout(600000);

  const examples = [...exampleFiles('', (f) => f.endsWith('.json'))];

  it('reads every JSON example on the value path', () => {
    assert.ok(examples.length >= 10, 'the examples are there');
    for (const [file, text] of examples) assert.equal(JsonDoc.open(file, text).fast, true, file);
  });

  it('gives the same fragments (elements, locations, attrs, diagnostics) on every JSON example', () => {
    for (const [file, text] of examples) {
      const format = detectFormat(file, text);
      const parse = format && PARSERS[format];
      assert.ok(parse, `${file} is detected (${format})`);
      const fast = parse(file, text);
      const tree = withJsonReadMode('tree', () => parse(file, text));
      assert.ok(fast.elements.length > 0 || format === 'aviatrix-export', `${file} has elements`);
      assert.deepEqual(fast, tree, file);
      assert.deepEqual(describeDoc(JsonDoc.open(file, text)), describeDoc(JsonDoc.open(file, text, 'tree')), file);
    }
  });

  it('gives the same fragments on CRLF and escaped copies of the examples', () => {
    for (const [file, text] of examples) {
      const format = detectFormat(file, text)!;
      const parse = PARSERS[format]!;
      const crlf = text.replace(/\n/g, '\r\n');
      const escaped = text.replace(/"([A-Za-z]+)"/g, (_m, w: string) => `"\\u00${w.charCodeAt(0).toString(16)}${w.slice(1)}"`);
      for (const t of [crlf, escaped]) {
        assert.equal(JsonDoc.open(file, t).fast, true);
        assert.deepEqual(
          parse(file, t),
          withJsonReadMode('tree', () => parse(file, t)),
          file,
        );
      }
    }
  });

  it('gives the same CloudFormation JSON fragments on both paths (every node located)', () => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Cidr: { Type: 'String', Default: '10.0.0.0/16' } },
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { Ref: 'Cidr' }, Tags: [{ Key: 'Name', Value: 'v\u00e9' }] } },
        Sub: {
          Type: 'AWS::EC2::Subnet',
          Properties: {
            VpcId: { Ref: 'Vpc' },
            CidrBlock: { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }] },
          },
        },
        Rt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
        Igw: { Type: 'AWS::EC2::InternetGateway' },
        R: {
          Type: 'AWS::EC2::Route',
          Properties: { RouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
        },
      },
    };
    for (const text of [
      JSON.stringify(template, null, 2),
      JSON.stringify(template),
      JSON.stringify(template, null, 4).replace(/\n/g, '\r\n'),
    ]) {
      assert.equal(JsonDoc.open('t.json', text).fast, true);
      const fast = parseCloudFormation('t.json', text);
      assert.deepEqual(
        fast.elements.map((e) => e.kind),
        ['vpc', 'subnet', 'routeTable', 'igw'],
      );
      assert.deepEqual(
        fast,
        withJsonReadMode('tree', () => parseCloudFormation('t.json', text)),
      );
    }
  });

  it('falls back to the tree for comments, trailing commas, repeated keys, index keys and scalars', () => {
    const tree = (t: string) => !JsonDoc.open('f.json', t).fast;
    assert.ok(tree('{"a": 1 /* c */}'));
    assert.ok(tree('{"a": [1,],}'));
    assert.ok(tree('{"a": 1, "a": 2}'));
    assert.ok(tree('{"a": {}, "a": 2}'));
    assert.ok(tree('{"b": {}, "0": []}'));
    assert.ok(tree('{"a": "\\u0030", "4294967294": 1}'));
    assert.ok(tree('"just a string"'));
    assert.ok(tree('\uFEFF{"a": 1}'));
    assert.ok(tree('{"a": 1'));
    assert.ok(!tree('{"01": {}, "4294967295": [], "-1": 1, "__proto__": {"x": 1}}'));
    assert.ok(!tree('[{"a": "}]{[\\"\\\\"}, {"b\\\\": ["\\\\\\"", 1e3, -0, true, null]}]'));
  });

  it('locates properties with escaped keys and strings with escaped quotes exactly', () => {
    const text = '{\r\n  "x\\"": [1, {"k": "v\\\\"}],\r\n  "\\u0061b": "q\\"\\\\",\r\n  "n": -1.5e+3\r\n}';
    const doc = JsonDoc.open('f.json', text);
    assert.equal(doc.fast, true);
    assert.deepEqual(doc.keys(doc.root), ['x"', 'ab', 'n']);
    assert.deepEqual(doc.offsets(doc.propNode(doc.root, 'ab')!), [text.indexOf('"\\u0061b"'), text.indexOf(',\r\n  "n"')]);
    assert.deepEqual(doc.attrs(doc.root!, ['n', 'ab']), {
      n: { start: { line: 3, character: 7 }, end: { line: 3, character: 14 } },
      ab: { start: { line: 2, character: 13 }, end: { line: 2, character: 20 } },
    });
    assert.deepEqual(doc.keyLoc(doc.items(doc.root, 'x"')[1], 'k').range, {
      start: { line: 1, character: 14 },
      end: { line: 1, character: 24 },
    });
    assert.deepEqual(describeDoc(doc), describeDoc(JsonDoc.open('f.json', text, 'tree')));
  });

  it('property: generated JSON reads the same on both paths (repeated and index keys, escapes, CRLF)', () => {
    let fast = 0;
    let tree = 0;
    fc.assert(
      fc.property(jsonTree, style, (j, s) => {
        const text = write(j, s);
        const a = JsonDoc.open('g.json', text);
        const b = JsonDoc.open('g.json', text, 'tree');
        assert.equal(b.fast, false);
        if (a.fast) fast++;
        else tree++;
        assert.deepEqual(describeDoc(a), describeDoc(b));
      }),
      { numRuns: RUNS * 2 },
    );
    // Both outcomes happen: the fallback is exercised, and the value path is not always refused.
    assert.ok(fast > RUNS / 4 && tree > 0, `fast ${fast}, tree ${tree}`);
  });

  it('property: generated inputs in each format give the same fragments on both paths', () => {
    const vocab: [InputFormat, string[]][] = [
      [
        'aws-cli',
        [
          ...AWS_CLI_KEYS,
          'VpcId',
          'SubnetId',
          'RouteTableId',
          'Routes',
          'Associations',
          'DestinationCidrBlock',
          'GatewayId',
          'Main',
          'State',
          'Tags',
          'Key',
          'Value',
          'CidrBlock',
          'Options',
          '0',
        ],
      ],
      [
        'aviatrix-export',
        [
          'policies',
          'rules',
          'name',
          'uuid',
          'priority',
          'src_ads',
          'dst_ads',
          'selector',
          'any',
          'all',
          'match_expressions',
          'tags',
          'enable_distributed_firewalling',
          'results',
          '1',
        ],
      ],
      [
        'azure-cli',
        [
          'id',
          'name',
          'type',
          'subnets',
          'addressPrefix',
          'routeTable',
          'routes',
          'nextHopType',
          'tags',
          'addressSpace',
          'addressPrefixes',
        ],
      ],
      [
        'terraform-plan',
        [
          'format_version',
          'planned_values',
          'root_module',
          'resources',
          'address',
          'type',
          'values',
          'id',
          'child_modules',
          'configuration',
          'module_calls',
          'module',
          'expressions',
        ],
      ],
      [
        'cloudformation',
        [
          'AWSTemplateFormatVersion',
          'Resources',
          'Parameters',
          'Type',
          'Properties',
          'Ref',
          'Fn::GetAtt',
          'Fn::Select',
          'Fn::Cidr',
          'AWS::EC2::VPC',
          'AWS::EC2::Subnet',
          'AWS::EC2::Route',
          'VpcId',
          'CidrBlock',
          'RouteTableId',
          'Default',
        ],
      ],
    ];
    for (const [format, keys] of vocab) {
      const leaf = fc.oneof(
        fc.constantFrom(...keys, 'local', 'igw-1', 'vpc-1', '10.0.0.0/16', 'aws_vpc', 'Microsoft.Network/routeTables', 'true'),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      );
      const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj'), tie('arr')),
        obj: fc.array(fc.tuple(fc.constantFrom(...keys), tie('tree')), { maxLength: 5 }).map((pairs) => ({ pairs })),
        arr: fc.array(tie('tree'), { maxLength: 4 }),
      }));
      const top =
        format === 'azure-cli'
          ? fc.array(tree, { maxLength: 3 })
          : fc.array(fc.tuple(fc.constantFrom(...keys), tree), { maxLength: 5 }).map((pairs) => ({ pairs }));
      fc.assert(
        fc.property(top as fc.Arbitrary<J>, style, (j, s) => {
          const text = write(j, s);
          const parse = PARSERS[format]!;
          assert.deepEqual(
            parse('g.json', text),
            withJsonReadMode('tree', () => parse('g.json', text)),
          );
        }),
        { numRuns: RUNS },
      );
    }
  });
});

describe('parse/locate: LineMap', () => {
  /** Line and column by splitting the text (the definition LineMap must agree with). */
  function naive(text: string, offset: number): { line: number; character: number } {
    // Between the \r and \n of a CRLF: the end of that line's text.
    const o = text[offset] === '\n' && text[offset - 1] === '\r' ? offset - 1 : offset;
    const lines = text.slice(0, o).split(/\r\n|\r|\n/);
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  }

  it('property: positions agree with a line split for \\n, \\r\\n and lone \\r, in any query order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'bc', '\n', '\r\n', '\r', '\u00e9', ' '), { maxLength: 40 }).map((a) => a.join('')),
        fc.array(fc.nat(), { maxLength: 10 }),
        (text, qs) => {
          const map = new LineMap(text);
          for (const q of [...qs.map((x) => x % (text.length + 1)), 0, text.length])
            assert.deepEqual(map.position(q), naive(text, q), `${JSON.stringify(text)} @${q}`);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('clamps offsets outside the text and handles a large file read in order and out of order', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    const map = new LineMap(text);
    assert.deepEqual(map.position(-5), { line: 0, character: 0 });
    assert.deepEqual(map.position(text.length + 10), { line: 4999, character: 9 });
    assert.deepEqual(map.position(NaN), { line: 0, character: 0 });
    const offsets = [0, 7, 8, 20000, 100, 100, 30000, text.length];
    for (const o of offsets) {
      const lines = text.slice(0, o).split('\n');
      assert.deepEqual(map.position(o), { line: lines.length - 1, character: lines[lines.length - 1].length }, String(o));
    }
  });
});
