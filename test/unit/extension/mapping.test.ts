// The finding -> diagnostic, fix -> edit, result -> tree/CodeLens/hover/status mappings of the extension,
// run in plain mocha (no vscode). The fixture is a small distributed-egress workload VPC written out by hand: app
// subnets a/b, their route tables, an IGW edge table missing AZ a's NAT subnet, and the findings the engine
// reports on it.
import * as assert from 'assert';
import type { AnalysisResult, Finding, Hop, PathTrace, SubnetEgress } from '../../../src/analysis/types';
import type { NetworkElement, SourceLocation } from '../../../src/model/types';
import {
  blockRange,
  buildTree,
  codeSpan,
  escapeMarkdown,
  revealRefusal,
  diagnosticsByFile,
  egressSummary,
  findingsAt,
  findingTrace,
  fixEditsByFile,
  flowPrompts,
  formatSimulation,
  rememberedFlow,
  hasQuickFix,
  LENS_MAX,
  lensesForFile,
  routeHover,
  severitiesFromSetting,
  statusText,
  statusTooltip,
  tracePicks,
  vpcOf,
} from '../../../src/extension/mapping';

const F = '/ws/workload.tf';
const loc = (line: number, c0 = 0, c1 = 40, file = F): SourceLocation => ({
  file,
  range: { start: { line, character: c0 }, end: { line, character: c1 } },
});

const elements: NetworkElement[] = [
  { id: 'aws_vpc.workload', kind: 'vpc', name: 'workload', loc: loc(0), cloud: 'aws', cidrs: ['10.0.0.0/16'], flavor: 'vpc' },
  {
    id: 'aws_vpc.inspection',
    kind: 'vpc',
    name: 'inspection',
    loc: loc(0, 0, 30, '/ws/inspection.tf'),
    cloud: 'aws',
    cidrs: ['10.100.0.0/16'],
    flavor: 'vpc',
  },
  {
    id: 'aws_subnet.app_a',
    kind: 'subnet',
    name: 'app-a',
    loc: loc(10),
    cloud: 'aws',
    vpc: 'aws_vpc.workload',
    cidr: '10.0.1.0/24',
    az: 'us-east-1a',
  },
  {
    id: 'aws_subnet.app_b',
    kind: 'subnet',
    name: 'app-b',
    loc: loc(20),
    cloud: 'aws',
    vpc: 'aws_vpc.workload',
    cidr: '10.0.2.0/24',
    az: 'us-east-1b',
  },
  {
    id: 'aws_subnet.mgmt',
    kind: 'subnet',
    name: 'mgmt',
    loc: loc(30),
    cloud: 'aws',
    vpc: 'aws_vpc.workload',
    cidr: '10.0.30.0/24',
    az: 'us-east-1a',
  },
  { id: 'aws_nat_gateway.a', kind: 'natgw', name: 'nat-a', loc: loc(40), cloud: 'aws', subnet: 'aws_subnet.app_a', connectivity: 'public' },
  {
    id: 'aws_route_table.app_a',
    kind: 'routeTable',
    name: 'rt-app-a',
    loc: loc(50),
    cloud: 'aws',
    vpc: 'aws_vpc.workload',
    routes: [
      {
        id: 'aws_route_table.app_a#local',
        loc: loc(50),
        destination: { cidr: '10.0.0.0/16' },
        target: { kind: 'local' },
        state: 'active',
        implicit: true,
      },
      {
        id: 'aws_route_table.app_a#0',
        loc: loc(52, 2, 60),
        destination: { cidr: '0.0.0.0/0' },
        target: { kind: 'natgw', ref: 'aws_nat_gateway.a' },
        state: 'active',
      },
    ],
  },
  {
    id: 'aws_route_table.igw_edge',
    kind: 'routeTable',
    name: 'igw-edge',
    loc: loc(60),
    extent: { start: { line: 60, character: 0 }, end: { line: 66, character: 1 } },
    cloud: 'aws',
    vpc: 'aws_vpc.workload',
    routes: [
      {
        id: 'aws_route_table.igw_edge#0',
        loc: loc(62, 2, 70),
        destination: { cidr: '10.0.11.0/24' },
        target: { kind: 'gwlbe', ref: 'aws_vpc_endpoint.gwlbe_a' },
        state: 'active',
      },
    ],
  },
  {
    id: 'aws_route_table_association.app_a',
    kind: 'rtAssociation',
    name: 'app_a',
    loc: loc(70),
    cloud: 'aws',
    routeTable: 'aws_route_table.app_a',
    subnet: 'aws_subnet.app_a',
  },
  {
    id: 'aws_route_table_association.edge',
    kind: 'rtAssociation',
    name: 'edge',
    loc: loc(72),
    cloud: 'aws',
    routeTable: 'aws_route_table.igw_edge',
    gateway: 'aws_internet_gateway.workload',
  },
  { id: 'aws_internet_gateway.workload', kind: 'igw', name: 'igw', loc: loc(80), cloud: 'aws', vpc: 'aws_vpc.workload' },
  {
    id: 'aviatrix_spoke_gateway.spoke',
    kind: 'aviatrixGateway',
    name: 'spoke-gw',
    loc: loc(1, 0, 40, '/ws/spoke.tf'),
    cloud: 'aws',
    role: 'spoke',
    vpc: 'aws_vpc.workload',
    gwCloud: 'aws',
    size: 't3.small',
    snat: true,
  },
];

function hop(index: number, element: string, kind: Hop['kind'], extra: Partial<Hop> = {}): Hop {
  return { index, element, kind, name: element.split('.').pop()!, note: `at ${element}`, ...extra };
}

const fwdA: PathTrace = {
  id: 'aws_subnet.app_a:forward',
  direction: 'forward',
  source: { element: 'aws_subnet.app_a', ip: '10.0.1.15' },
  destination: { ip: '8.8.8.8' },
  hops: [
    hop(0, 'aws_subnet.app_a', 'subnet', {
      decision: {
        routeTable: 'aws_route_table.app_a',
        route: 'aws_route_table.app_a#0',
        destination: '0.0.0.0/0',
        target: 'nat-a',
        association: 'explicit',
      },
    }),
    hop(1, 'aws_nat_gateway.a', 'natgw'),
    hop(2, 'aws_vpc_endpoint.gwlbe_a', 'gwlbe', { enforcement: { kind: 'gwlb-firewall', element: 'aws_lb.gwlb' } }),
    hop(3, 'internet', 'internet'),
  ],
  outcome: { kind: 'delivered' },
  inspectedBy: [{ kind: 'gwlb-firewall', element: 'aws_lb.gwlb' }],
};
const retA: PathTrace = {
  id: 'aws_subnet.app_a:return',
  direction: 'return',
  source: { element: 'internet', ip: '8.8.8.8' },
  destination: { ip: '10.0.1.15' },
  hops: [
    hop(0, 'internet', 'internet'),
    hop(1, 'aws_internet_gateway.workload', 'igw'),
    hop(2, 'aws_nat_gateway.a', 'natgw'),
    hop(3, 'aws_subnet.app_a', 'subnet'),
  ],
  outcome: { kind: 'delivered' },
  inspectedBy: [],
};
const fwdB: PathTrace = {
  ...fwdA,
  id: 'aws_subnet.app_b:forward',
  source: { element: 'aws_subnet.app_b', ip: '10.0.2.15' },
  hops: [hop(0, 'aws_subnet.app_b', 'subnet'), hop(1, 'internet', 'internet')],
};
const retB: PathTrace = {
  ...retA,
  id: 'aws_subnet.app_b:return',
  hops: [
    hop(0, 'internet', 'internet'),
    hop(1, 'aws_internet_gateway.workload', 'igw', {
      decision: {
        routeTable: 'aws_route_table.igw_edge',
        route: 'aws_route_table.igw_edge#0',
        destination: '10.0.11.0/24',
        target: 'gwlbe_a',
        association: 'edge',
      },
    }),
    hop(2, 'aws_vpc_endpoint.gwlbe_a', 'gwlbe'),
  ],
  inspectedBy: [{ kind: 'gwlb-firewall', element: 'aws_lb.gwlb', az: 'us-east-1a' }],
};
const fwdMgmt: PathTrace = {
  ...fwdA,
  id: 'aws_subnet.mgmt:forward',
  hops: [hop(0, 'aws_subnet.mgmt', 'subnet'), hop(1, 'internet', 'internet')],
  inspectedBy: [],
};

const egress: SubnetEgress[] = [
  {
    subnet: 'aws_subnet.app_a',
    vpc: 'aws_vpc.workload',
    forward: fwdA,
    return: retA,
    divergence: { returnHop: 2, reason: 'the return skips aws_vpc_endpoint.gwlbe_a' },
  },
  { subnet: 'aws_subnet.app_b', vpc: 'aws_vpc.workload', forward: fwdB, return: retB },
  { subnet: 'aws_subnet.mgmt', vpc: 'aws_vpc.workload', forward: fwdMgmt },
];

const bypass: Finding = {
  code: 'asymmetric-return-bypass',
  severity: 'error',
  message: 'Return traffic to aws_nat_gateway.a bypasses aws_vpc_endpoint.gwlbe_a',
  location: loc(60, 0, 38),
  elementId: 'aws_route_table.igw_edge',
  related: [{ location: loc(52, 2, 60), message: 'forward leg: 0.0.0.0/0 -> nat-a' }],
  traces: ['aws_subnet.app_a'],
  fix: {
    title: 'Add 10.0.10.0/24 -> gwlbe_a to the IGW edge route table',
    edits: [
      {
        file: F,
        range: { start: { line: 63, character: 0 }, end: { line: 63, character: 0 } },
        newText: '  route {\n    cidr_block      = "10.0.10.0/24"\n  }\n',
      },
      { file: F, range: { start: { line: 61, character: 0 }, end: { line: 61, character: 0 } }, newText: '  # fixed\n' },
      { file: '/ws/other.tf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'x' },
    ],
  },
};
const uninspected: Finding = {
  code: 'uninspected-egress',
  severity: 'warning',
  message: 'aws_subnet.mgmt reaches the internet without inspection',
  location: loc(30, 0, 30),
  elementId: 'aws_subnet.mgmt',
  related: [],
  fix: { title: 'Route mgmt through a NAT GW', edits: [] },
};
const undersized: Finding = {
  code: 'gateway-undersized',
  severity: 'warning',
  message: 'spoke-gw is t3.small, below t3.medium',
  location: loc(1, 0, 40, '/ws/spoke.tf'),
  elementId: 'aviatrix_spoke_gateway.spoke',
  related: [],
};

const result: AnalysisResult = {
  version: 1,
  model: { elements },
  summary: { elements: elements.length, byKind: {}, files: 3 },
  egress,
  findings: [bypass, uninspected, undersized],
  states: [
    { vpc: 'aws_vpc.workload', name: 'workload', state: 'Partially Protected', reason: 'mgmt bypasses the GWLB endpoints' },
    { vpc: 'aws_vpc.inspection', name: 'inspection', state: 'No Egress', reason: 'no subnet routes to the internet' },
  ],
  score: {
    score: 50,
    counted: 1,
    unknown: 0,
    byState: {
      Protected: 0,
      'Partially Protected': 1,
      Monitored: 0,
      Unprotected: 0,
      Unknown: 0,
      'No Egress': 1,
      Inspection: 0,
      'Egress hub': 0,
    },
    formula: 'round(100 * sum(w) / N)',
  },
  parseDiagnostics: [{ code: 'syntax-error', severity: 'error', message: 'unexpected "}"', loc: loc(5, 0, 1, '/ws/broken.tf') }],
  simulations: [],
  timing: { parseMs: 1, analysisMs: 1 },
};

describe('extension mapping: findings -> diagnostics', () => {
  it('puts each finding at its location with code, severity, related information and its index', () => {
    const byFile = diagnosticsByFile(result);
    const wl = byFile.get(F)!;
    assert.deepStrictEqual(
      wl.map((d) => [d.code, d.range.start.line, d.severity]),
      [
        ['uninspected-egress', 30, 'warning'],
        ['asymmetric-return-bypass', 60, 'error'],
      ],
      'sorted by position',
    );
    const d = wl[1];
    assert.strictEqual(d.rule, true);
    assert.strictEqual(d.finding, 0);
    assert.deepStrictEqual(d.range, bypass.location.range);
    assert.deepStrictEqual(d.related, [{ location: loc(52, 2, 60), message: 'forward leg: 0.0.0.0/0 -> nat-a' }]);
    assert.strictEqual(byFile.get('/ws/spoke.tf')![0].code, 'gateway-undersized');
  });

  it('turns parse diagnostics into diagnostics without a rule page', () => {
    const [p] = diagnosticsByFile(result).get('/ws/broken.tf')!;
    assert.deepStrictEqual([p.code, p.severity, p.rule, p.finding], ['syntax-error', 'error', false, undefined]);
  });

  it('applies the user severity: override or off', () => {
    const byFile = diagnosticsByFile(result, { 'uninspected-egress': 'error', 'gateway-undersized': 'off' });
    assert.strictEqual(byFile.get(F)!.find((d) => d.code === 'uninspected-egress')!.severity, 'error');
    assert.strictEqual(byFile.has('/ws/spoke.tf'), false, 'a file whose only finding is off gets no entry');
  });

  it('reads egressLens.rules, rejecting unknown codes and values', () => {
    const { severities, problems } = severitiesFromSetting({
      'cross-az-egress': 'off',
      'blackhole-route': 'warning',
      'no-such-rule': 'off',
      'routing-loop': 'fatal',
    });
    assert.deepStrictEqual(severities, { 'cross-az-egress': 'off', 'blackhole-route': 'warning' });
    assert.strictEqual(problems.length, 2);
    assert.match(problems.join('\n'), /no-such-rule/);
    assert.match(problems.join('\n'), /routing-loop/);
    assert.deepStrictEqual(severitiesFromSetting(undefined), { severities: {}, problems: [] });
    assert.strictEqual(severitiesFromSetting(['x']).problems.length, 1);
  });

  it('finds the findings under a range, optionally by code (code actions)', () => {
    const at = (line: number, code?: string) =>
      findingsAt(result.findings, F, { start: { line, character: 5 }, end: { line, character: 5 } }, code);
    assert.deepStrictEqual(at(60), [0]);
    assert.deepStrictEqual(at(60, 'uninspected-egress'), []);
    assert.deepStrictEqual(at(30), [1]);
    assert.deepStrictEqual(at(45), []);
    assert.deepStrictEqual(findingsAt(result.findings, '/ws/other.tf', bypass.location.range), []);
  });
});

describe('extension mapping: fixes -> edits', () => {
  it('groups a fix by file, bottom-up within a file', () => {
    const m = fixEditsByFile(bypass.fix);
    assert.deepStrictEqual([...m.keys()], [F, '/ws/other.tf']);
    assert.deepStrictEqual(
      m.get(F)!.map((e) => e.range.start.line),
      [63, 61],
    );
    assert.strictEqual(m.get(F)![0].newText, bypass.fix!.edits[0].newText);
  });

  it('offers a quick fix only when the fix has edits', () => {
    assert.strictEqual(hasQuickFix(bypass), true);
    assert.strictEqual(hasQuickFix(uninspected), false);
    assert.strictEqual(hasQuickFix(undersized), false);
    assert.strictEqual(fixEditsByFile(undefined).size, 0);
  });

  it('points "show this path" at the finding trace, else its own subnet', () => {
    assert.strictEqual(findingTrace(bypass, egress), 'aws_subnet.app_a');
    assert.strictEqual(findingTrace(uninspected, egress), 'aws_subnet.mgmt');
    assert.strictEqual(findingTrace(undersized, egress), undefined);
    assert.strictEqual(findingTrace({ ...undersized, traces: ['aws_subnet.app_b:return'] }, egress), 'aws_subnet.app_b');
  });

  it('points an IPv6 finding\'s "show this path" at the dual-stack subnet\'s IPv6 egress, not its IPv4 one', () => {
    const v6: SubnetEgress = {
      subnet: 'aws_subnet.mgmt',
      vpc: 'aws_vpc.workload',
      family: 6,
      forward: { ...fwdMgmt, id: 'aws_subnet.mgmt:ipv6:forward' },
    };
    const dual = [...egress, v6];
    assert.strictEqual(findingTrace({ ...uninspected, traces: ['aws_subnet.mgmt:ipv6:forward'] }, dual), 'aws_subnet.mgmt:ipv6:forward');
    assert.strictEqual(findingTrace({ ...uninspected, traces: ['aws_subnet.mgmt'] }, dual), 'aws_subnet.mgmt');
    // The quick pick lists the subnet once per family, each named by it.
    const picks = tracePicks({ ...result, egress: dual }).filter((p) => p.subnet === 'aws_subnet.mgmt');
    assert.deepStrictEqual(
      picks.map((p) => [p.label, p.family]),
      [
        ['mgmt · IPv4', undefined],
        ['mgmt · IPv6', 6],
      ],
    );
  });
});

describe('extension mapping: tree, CodeLens, hover, status', () => {
  it('groups VPCs by protection state in the documented order, with subnets and findings', () => {
    const tree = buildTree(result);
    assert.deepStrictEqual(
      tree.map((n) => [n.label, n.description]),
      [
        ['Partially Protected', '1'],
        ['No Egress', '1'],
      ],
    );
    const vpc = tree[0].children[0];
    assert.strictEqual(vpc.kind, 'vpc');
    assert.strictEqual(vpc.label, 'workload');
    // The spoke gateway finding has no subnet: it sits on the VPC, before the subnets.
    assert.deepStrictEqual(
      vpc.children.map((c) => `${c.kind}:${c.label}`),
      ['finding:spoke-gw is t3.small, below t3.medium', 'subnet:app-a', 'subnet:app-b', 'subnet:mgmt'],
    );
    const appA = vpc.children[1];
    assert.strictEqual(appA.kind === 'subnet' && appA.description, '10.0.1.0/24 us-east-1a');
    assert.deepStrictEqual(
      appA.children.map((c) => c.kind === 'finding' && c.description),
      ['asymmetric-return-bypass'],
    );
    assert.deepStrictEqual(appA.kind === 'subnet' && appA.location, elements[2].loc);
    assert.strictEqual(tree[1].children[0].children.length, 0, 'no subnets in the inspection VPC fixture');
  });

  it('follows element references to find the VPC', () => {
    const byId = new Map(elements.map((e) => [e.id, e]));
    assert.strictEqual(vpcOf('aws_nat_gateway.a', byId), 'aws_vpc.workload');
    assert.strictEqual(vpcOf('aws_route_table_association.app_a', byId), 'aws_vpc.workload');
    assert.strictEqual(vpcOf('aws_vpc.inspection', byId), 'aws_vpc.inspection');
    assert.strictEqual(vpcOf('nope', byId), undefined);
  });

  it('summarises a subnet egress forward and return', () => {
    // The routing verdict (analysis/verdict.ts): the sentence Simulate Flow and Trace lead with too.
    assert.strictEqual(egressSummary(egress[0]), 'RETURN UNINSPECTED: bypasses gwlbe_a');
    assert.strictEqual(egressSummary(egress[2]), 'UNINSPECTED: leaves with no enforcement point on the path');
    const dropped: SubnetEgress = {
      ...egress[2],
      forward: { ...fwdMgmt, outcome: { kind: 'dropped', cause: 'blackhole', reason: 'blackhole route' } },
    };
    assert.strictEqual(egressSummary(dropped), 'DROPPED: blackhole route');
  });

  it('puts one lens, action first, above subnets, route tables and spoke gateways; a table counts the legs it carries', () => {
    const lenses = lensesForFile(F, result);
    assert.deepStrictEqual(
      lenses.map((l) => `${l.range.start.line}:${l.title}`),
      [
        '10:Trace egress · ⚠ return bypasses gwlbe_a',
        '20:Trace egress · ⚠ return via gwlbe_a',
        '30:Trace egress · ⚠ uninspected',
        '50:Trace egress · 1 forward leg',
        // The IGW edge table decides no subnet's first hop but carries app-b's reply: counted, as the hover says.
        '60:Trace egress · 1 return leg',
      ],
    );
    assert.ok(lenses.every((l) => l.title.length <= LENS_MAX));
    assert.match(lenses[0].tooltip!, /^RETURN UNINSPECTED: bypasses gwlbe_a\n\nworkload: Partially Protected\. /);
    const rtTrace = lenses.find((l) => l.range.start.line === 50)!;
    assert.deepStrictEqual([rtTrace.command, rtTrace.args], ['egressLens.traceEgress', ['aws_subnet.app_a']]);
    const edge = lenses.find((l) => l.range.start.line === 60)!;
    assert.deepStrictEqual(edge.args, ['aws_subnet.app_b']);
    assert.match(routeHover(F, { line: 62, character: 3 }, result)!, /app-b return/, 'the hover lists the same leg');
    assert.ok(!lenses.some((l) => l.range.start.line === 40), 'no lens on a NAT gateway');
    const withMain: AnalysisResult = {
      ...result,
      model: {
        elements: [
          ...elements,
          {
            id: 'aws_vpc.workload#main',
            kind: 'routeTable',
            name: 'main',
            loc: loc(0),
            cloud: 'aws',
            vpc: 'aws_vpc.workload',
            main: true,
            routes: [
              {
                id: 'm#local',
                loc: loc(0),
                destination: { cidr: '10.0.0.0/16' },
                target: { kind: 'local' },
                state: 'active',
                implicit: true,
              },
            ],
          },
        ],
      },
    };
    assert.ok(!lensesForFile(F, withMain).some((l) => l.range.start.line === 0), 'no lens for an implicit, unused main table');
    const spoke = lensesForFile('/ws/spoke.tf', result);
    assert.strictEqual(spoke[0].title, 'Trace egress · 3 subnets egress here');
    assert.deepStrictEqual(spoke[0].args, [['aws_subnet.app_a', 'aws_subnet.app_b', 'aws_subnet.mgmt']]);
  });

  it('hovers a route with the subnets using its table and the paths it is a hop of', () => {
    const md = routeHover(F, { line: 52, character: 10 }, result)!;
    assert.match(md, /route `0\.0\.0\.0\/0 → aws_nat_gateway\.a` in rt-app-a/);
    assert.match(md, /Subnets using this table: app-a/);
    assert.match(md, /- app-a forward \(hop 1: app_a\)/);
    const edge = routeHover(F, { line: 62, character: 3 }, result)!;
    assert.match(edge, /Edge-associated with igw/);
    assert.match(edge, /- app-b return \(hop 2: workload\)/);
    assert.strictEqual(routeHover(F, { line: 50, character: 1 }, result), undefined, 'the implicit local route has no hover');
    assert.strictEqual(routeHover(F, { line: 53, character: 1 }, result), undefined);
  });

  it('grows a block-header location to its closing brace, skipping braces in strings and comments', () => {
    const lines = [
      'resource "aws_route" "mgmt_default" {',
      '  route_table_id = "}{"  # }',
      '  gateway_id     = aws_internet_gateway.workload.id',
      '}',
      'resource "x" "y" {}',
    ];
    const header = { start: { line: 0, character: 0 }, end: { line: 0, character: 36 } };
    assert.deepStrictEqual(blockRange(lines, header), { start: header.start, end: { line: 3, character: 1 } });
    const multi = { start: { line: 0, character: 0 }, end: { line: 3, character: 1 } };
    assert.strictEqual(blockRange(lines, multi), multi, 'a range that already spans lines is kept');
    const noBrace = { start: { line: 1, character: 2 }, end: { line: 1, character: 10 } };
    assert.strictEqual(blockRange(lines, noBrace), noBrace);
    const unclosed = ['resource "a" "b" {', '  x = 1'];
    assert.deepStrictEqual(blockRange(unclosed, header), header);
  });

  it('hovers anywhere inside a route written as its own resource when the text is given', () => {
    const aws: AnalysisResult = JSON.parse(JSON.stringify(result));
    const rt = aws.model.elements.find((e) => e.id === 'aws_route_table.app_a')!;
    if (rt.kind !== 'routeTable') throw new Error('fixture');
    rt.routes[1].loc = loc(52, 0, 36);
    const lines: string[] = [];
    lines[52] = 'resource "aws_route" "app_a_default" {';
    lines[53] = '  nat_gateway_id = aws_nat_gateway.a.id';
    lines[54] = '}';
    assert.strictEqual(routeHover(F, { line: 53, character: 4 }, aws), undefined, 'without the text only the header matches');
    assert.match(routeHover(F, { line: 53, character: 4 }, aws, lines)!, /Subnets using this table: app-a/);
    assert.strictEqual(routeHover(F, { line: 55, character: 0 }, aws, lines), undefined);
  });

  it('shows the score and counts in the status bar', () => {
    assert.strictEqual(statusText(result.score), '$(shield) 50');
    assert.strictEqual(statusText({ ...result.score, score: null }), '$(shield) –');
    const tip = statusTooltip(result);
    // The score and the counts first, then the states, then the formula.
    assert.match(tip, /^Egress Security Score: 50\/100\n1 error, 2 warnings\n\nPartially Protected: 1\nNo Egress: 1\n\nround\(100/);
    assert.match(
      statusTooltip({ ...result, findings: [...result.findings, { ...result.findings[0], severity: 'info' }] }),
      /\n1 error, 2 warnings, 1 info\n/,
    );
    assert.doesNotMatch(tip, /Protected: 0/);
    // Findings accepted by egress-lens:ignore are counted apart.
    assert.match(statusTooltip({ ...result, suppressed: [result.findings[0]] }), /\n1 error, 2 warnings, 1 suppressed\n/);
    assert.doesNotMatch(tip, /suppressed/);
  });

  it('lists traced subnets for the quick pick, optionally restricted', () => {
    const picks = tracePicks(result);
    assert.deepStrictEqual(
      picks.map((p) => p.label),
      ['app-a', 'app-b', 'mgmt'],
    );
    assert.strictEqual(picks[0].description, '10.0.1.0/24 · workload · Partially Protected');
    assert.deepStrictEqual(
      tracePicks(result, ['aws_subnet.mgmt']).map((p) => p.subnet),
      ['aws_subnet.mgmt'],
    );
  });

  it('offers the last flow Simulate Flow asked for, field by field, as the workspace state kept it', () => {
    const asked = { source: 'app-b', destination: 'ipinfo.io', protocol: 'udp' as const, port: 53, label: 'ipinfo.io' };
    // The workspace state keeps JSON: what comes back is a copy, read field by field.
    const last = rememberedFlow(JSON.parse(JSON.stringify(asked)));
    assert.deepStrictEqual(last, { source: 'app-b', destination: 'ipinfo.io', protocol: 'udp', port: 53 });
    assert.deepStrictEqual(flowPrompts(last, 'app-a', '1.1.1.1'), {
      source: 'app-b',
      destination: 'ipinfo.io',
      protocols: ['udp', 'tcp', 'icmp'],
      port: '53',
    });
    // Nothing remembered: the first traced subnet, the configured destination, TCP, 443.
    assert.deepStrictEqual(flowPrompts(rememberedFlow(undefined), 'app-a', undefined), {
      source: 'app-a',
      destination: '8.8.8.8',
      protocols: ['tcp', 'udp', 'icmp'],
      port: '443',
    });
    assert.equal(flowPrompts({}, 'app-a', '1.1.1.1').destination, '1.1.1.1');
    // A damaged or foreign value keeps only what is well typed.
    assert.deepStrictEqual(rememberedFlow({ source: 7, destination: 'x.example', protocol: 'sctp', port: '80' }), {
      destination: 'x.example',
    });
    assert.deepStrictEqual(rememberedFlow('src=app-a'), {});
  });

  it('writes a flow simulation for the output channel', () => {
    const text = formatSimulation({
      flow: { source: '10.0.1.15', destination: 'ipinfo.io', protocol: 'tcp', port: 443, label: 'ipinfo.io' },
      forward: fwdA,
      verdicts: [{ at: 'aviatrix_spoke_gateway.spoke', decision: 'deny', policyName: 'default-deny', reason: 'no WebGroup matches' }],
      outcome: 'denied',
      summary: 'denied by default-deny',
    });
    assert.match(text, /^Simulate tcp\/443 10\.0\.1\.15 -> ipinfo\.io: DENIED/);
    assert.match(text, /verdict at aviatrix_spoke_gateway\.spoke: deny by default-deny - no WebGroup matches/);
    // Each leg in the verdict's words (the endpoint's name, as the headline has it), each step headed
    // by its design stage as the topology's narration heads it.
    assert.match(text, /forward 10\.0\.1\.15 -> 8\.8\.8\.8: INSPECTED via gwlbe_a$/m);
    assert.match(text, /^ {4}1\. source subnet app_a - at aws_subnet\.app_a$/m);
    assert.match(text, /^ {4}3\. GWLB endpoint gwlbe_a, after NAT - at aws_vpc_endpoint\.gwlbe_a$/m);
    assert.doesNotMatch(text, /inspected by aws_lb\.gwlb|\(gwlbe\)/, 'not the old wording (element ids, hop kinds)');
  });

  it('11. names from the inputs cannot put links, images or HTML into the hover Markdown', () => {
    const evil: AnalysisResult = JSON.parse(JSON.stringify(result));
    const rt = evil.model.elements.find((e) => e.id === 'aws_route_table.app_a')!;
    rt.name =
      'rt ![x](https://evil.example/p.png) <img src=https://evil.example/q.png> [run](command:workbench.action.terminal.new)\n# big';
    const sub = evil.model.elements.find((e) => e.id === 'aws_subnet.app_a')!;
    sub.name = '<b>&lt;</b>`code`';
    const md = routeHover(F, { line: 52, character: 10 }, evil)!;
    assert.ok(md.includes('rt \\!\\[x\\]\\(https://evil.example/p.png\\) \\<img src=https://evil.example/q.png\\>'), md);
    assert.doesNotMatch(md, /(^|[^\\])[!]?\[[^\]]*\]\(/, 'no link or image syntax');
    assert.doesNotMatch(md, /(^|[^\\])<[a-z]/i, 'no HTML tag');
    assert.doesNotMatch(md, /^# big/m, 'no heading from a line break in a name');
    assert.match(md, /Subnets using this table: \\<b\\>\\&lt;\\<\/b\\>\\`code\\`/);
    assert.equal(escapeMarkdown('a\r\nb'), 'a b');
    assert.equal(codeSpan('x`y``z'), '``` x`y``z ```');
    assert.equal(codeSpan('0.0.0.0/0'), '`0.0.0.0/0`');
  });

  it('10. the webview may reveal only files of the analysed workspace', () => {
    const analysed = new Set(['/ws/main.tf']);
    const at = (file: string): SourceLocation => ({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    assert.equal(
      revealRefusal(at('/ws/main.tf'), (f) => analysed.has(f)),
      undefined,
    );
    for (const f of ['/home/u/.ssh/config', '/ws/../etc/passwd', 'command:workbench.action.terminal.new', 'https://evil.example/x']) {
      assert.match(
        revealRefusal(at(f), (x) => analysed.has(x))!,
        /is not a file of the analysed workspace/,
        f,
      );
    }
  });
});
