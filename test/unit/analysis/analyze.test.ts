import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { NetworkModel } from '../../../src/model/types';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze, traceFlow } from '../../../src/analysis/analyze';
import { RULES, RULE_CODES, resolveSeverity } from '../../../src/analysis/rules';
import { type AnalysisResult, type Finding, type PathTrace } from '../../../src/analysis/types';
import { distributedEgress } from '../../fixtures/analysis/distributedEgress';

const EXAMPLES = join(__dirname, '../../../../examples');

function files(dir: string, filter: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, filter) : filter(p) ? [p] : [];
  });
}

async function analyzeExample(
  name: string,
  filter: (f: string) => boolean = (f) => !f.endsWith('.md'),
): Promise<{ result: AnalysisResult; text: (file: string) => string[] }> {
  const dir = join(EXAMPLES, name);
  const ws = await createWorkspace();
  for (const f of files(dir, filter)) ws.setFile(relative(dir, f), readFileSync(f, 'utf8'));
  const b = ws.build();
  return { result: analyze(b.model, {}, b.diagnostics), text: (file) => readFileSync(join(dir, file), 'utf8').split('\n') };
}

/** code @ element (file:line, 1-based) for exact comparisons. */
function summary(fs: Finding[]): string[] {
  return fs.map((f) => `${f.code} ${f.severity} @ ${f.elementId} (${f.location.file}:${f.location.range.start.line + 1})`);
}

function lineOf(lines: string[], needle: string): number {
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

function elements(t: PathTrace): string[] {
  return t.hops.map((h) => h.element);
}

describe('analyze: example workspaces (golden)', function () {
  this.timeout(60000);

  it('aws-distributed-egress-ok: the six-stage path for both AZs, no findings, workload Protected', async () => {
    const { result } = await analyzeExample('aws-distributed-egress-ok');
    assert.deepEqual(summary(result.findings), []);
    assert.deepEqual(
      result.egress.map((e) => e.subnet),
      ['aws_subnet.app_a', 'aws_subnet.app_b'],
    );
    for (const az of ['a', 'b'] as const) {
      const eg = result.egress.find((e) => e.subnet === `aws_subnet.app_${az}`)!;
      const zone = `us-east-1${az}`;
      const fw = az === 'a' ? 'aws_instance.firewall[0]' : 'aws_instance.firewall[1]';
      assert.deepEqual(eg.forward.outcome, { kind: 'delivered' });
      assert.deepEqual(
        eg.forward.hops.map((h) => [h.stage, h.kind, h.element]),
        [
          [1, 'subnet', `aws_subnet.app_${az}`],
          [2, 'natgw', `aws_nat_gateway.nat["${az}"]`],
          [3, 'gwlbe', `aws_vpc_endpoint.gwlbe_${az}`],
          [4, 'gwlb', 'aws_lb.gwlb'],
          [4, 'gwlbFirewall', 'aws_lb_target_group.firewall'],
          [5, 'gwlbe', `aws_vpc_endpoint.gwlbe_${az}`],
          [5, 'igw', 'aws_internet_gateway.workload'],
          [undefined, 'internet', 'internet'],
        ],
      );
      assert.ok(
        eg.forward.hops.slice(0, 6).every((h) => h.az === zone),
        `forward hops stay in ${zone}`,
      );
      assert.equal(eg.forward.source.ip, az === 'a' ? '10.0.1.15' : '10.0.2.15');
      assert.equal(eg.forward.hops[0].decision!.route, `aws_route_table.app_${az}#0`);
      assert.equal(eg.forward.hops[1].decision!.route, `aws_route.nat_default["${az}"]`);
      assert.equal(eg.forward.hops[5].decision!.route, 'aws_route_table.gwlbe#0');
      assert.match(eg.forward.hops[4].note, new RegExp(fw.replace(/[[\]]/g, '.') + '|fortigate'));
      assert.deepEqual(eg.return!.outcome, { kind: 'delivered' });
      assert.deepEqual(elements(eg.return!), [
        'internet',
        'aws_internet_gateway.workload',
        `aws_vpc_endpoint.gwlbe_${az}`,
        'aws_lb.gwlb',
        'aws_lb_target_group.firewall',
        `aws_vpc_endpoint.gwlbe_${az}`,
        `aws_nat_gateway.nat["${az}"]`,
        `aws_subnet.app_${az}`,
      ]);
      assert.ok(eg.return!.hops.every((h) => h.stage === 6));
      assert.equal(eg.return!.hops[1].decision!.association, 'edge');
      assert.equal(eg.return!.hops[1].decision!.route, `aws_route_table.igw_edge#${az === 'a' ? 0 : 1}`);
      assert.equal(eg.divergence, undefined);
    }
    assert.deepEqual(
      result.states.map((s) => [s.vpc, s.state]),
      [
        ['aws_vpc.inspection', 'Inspection'],
        ['aws_vpc.workload', 'Protected'],
      ],
    );
  });

  it('aws-distributed-egress-asymmetric: exactly bypass, cross-az and uninspected, at the resources to change', async () => {
    const { result, text } = await analyzeExample('aws-distributed-egress-asymmetric');
    const lines = text('workload.tf');
    const edge = lineOf(lines, 'resource "aws_route_table" "igw_edge"');
    const mgmt = lineOf(lines, 'resource "aws_route" "mgmt_default"');
    const sorted = summary(result.findings);
    assert.deepEqual(sorted, [
      `asymmetric-return-bypass error @ aws_route_table.igw_edge (workload.tf:${edge + 1})`,
      `asymmetric-cross-az error @ aws_route_table.igw_edge#0 (workload.tf:${sorted[1].match(/:(\d+)\)$/)![1]})`,
      `uninspected-egress warning @ aws_route.mgmt_default (workload.tf:${mgmt + 1})`,
    ]);
    const [bypass, crossAz, uninspected] = result.findings as [Finding, Finding, Finding];
    // The cross-AZ route is the inline route block of the edge table.
    const routeLine = crossAz.location.range.start.line;
    assert.ok(routeLine > edge && lines[routeLine].includes('route'), lines[routeLine]);
    assert.deepEqual(bypass.traces, ['aws_subnet.app_a']);
    assert.deepEqual(
      bypass.related.map((r) => r.location.range.start.line),
      [lineOf(lines, 'resource "aws_vpc_endpoint" "gwlbe_a"'), lineOf(lines, 'resource "aws_route" "nat_default"')],
    );
    // The quick fix inserts the missing route inside the edge table block, before its closing brace.
    const edit = bypass.fix!.edits[0];
    assert.equal(edit.file, 'workload.tf');
    assert.equal(lines[edit.range.start.line], '}');
    assert.ok(edit.range.start.line > edge);
    assert.equal(edit.newText, '  route {\n    cidr_block      = "10.0.10.0/24"\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id\n  }\n');
    assert.deepEqual(
      crossAz.related.map((r) => r.message),
      ['forward leg: GWLB endpoint gwlbe-b (us-east-1b)', 'return leg: GWLB endpoint gwlbe-a (us-east-1a)'],
    );
    assert.deepEqual(uninspected.traces, ['aws_subnet.mgmt']);
    assert.equal(uninspected.related[0].location.range.start.line, lineOf(lines, 'resource "aws_internet_gateway" "workload"'));
    const appA = result.egress.find((e) => e.subnet === 'aws_subnet.app_a')!;
    assert.deepEqual(elements(appA.return!), ['internet', 'aws_internet_gateway.workload', 'aws_nat_gateway.nat["a"]', 'aws_subnet.app_a']);
    const appB = result.egress.find((e) => e.subnet === 'aws_subnet.app_b')!;
    assert.deepEqual(
      appB.return!.hops.filter((h) => h.kind === 'gwlbe').map((h) => h.element),
      ['aws_vpc_endpoint.gwlbe_a', 'aws_vpc_endpoint.gwlbe_a'],
    );
  });

  it('aws-cli-export: the same three findings on the exported ids', async () => {
    const { result } = await analyzeExample('aws-cli-export');
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.elementId, f.traces]),
      [
        ['asymmetric-return-bypass', 'rtb-007a1b2c3d4e5f6a7', ['subnet-0a11a1b2c3d4e5f61']],
        ['asymmetric-cross-az', 'rtb-007a1b2c3d4e5f6a7#1', ['subnet-0a12a1b2c3d4e5f62']],
        ['uninspected-egress', 'rtb-008a1b2c3d4e5f6a7#1', ['subnet-0d30d1e2f3a4b5c67']],
      ],
    );
    // CLI exports cannot be edited: the fix is the AWS CLI command.
    assert.deepEqual(result.findings[0].fix!.edits, []);
    assert.match(
      result.findings[0].fix!.title,
      /aws ec2 create-route --route-table-id rtb-007a1b2c3d4e5f6a7 --destination-cidr-block 10\.0\.10\.0\/24 --vpc-endpoint-id vpce-0a2a1b2c3d4e5f601/,
    );
  });

  it('azure-cli-export: only snet-dmz is uninspected; snet-workload leaves and returns through the NVA in the hub', async () => {
    const { result } = await analyzeExample('azure-cli-export');
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].code, 'uninspected-egress');
    assert.match(result.findings[0].elementId, /rt-spoke-dmz\/routes\/default-internet$/);
    const wl = result.egress.find((e) => e.subnet.endsWith('snet-workload'))!;
    assert.deepEqual(
      wl.forward.inspectedBy.map((e) => e.kind),
      ['azure-nva'],
    );
    assert.deepEqual(
      wl.return!.inspectedBy.map((e) => e.kind),
      ['azure-nva'],
    );
    assert.equal(wl.return!.outcome.kind, 'delivered');
  });

  it('cloudformation and terraform-plan: no findings, inspected both ways', async () => {
    for (const name of ['cloudformation', 'terraform-plan']) {
      const { result } = await analyzeExample(name);
      assert.deepEqual(summary(result.findings), [], name);
      assert.ok(result.egress.length > 0, name);
      for (const e of result.egress) {
        assert.equal(e.forward.outcome.kind, 'delivered', `${name} ${e.subnet}`);
        assert.ok(e.forward.inspectedBy.length > 0 && e.return!.inspectedBy.length > 0, `${name} ${e.subnet}`);
      }
    }
  });

  it('aviatrix-dcf (Terraform): every spoke VPC leaves through its spoke gateway with DCF; the README findings exactly', async () => {
    const { result } = await analyzeExample('aviatrix-dcf', (f) => f.endsWith('.tf'));
    assert.equal(result.egress.length, 5);
    for (const e of result.egress) {
      assert.deepEqual(
        e.forward.hops.map((h) => h.kind),
        ['vpc', 'aviatrixGateway', 'internet'],
        e.subnet,
      );
      assert.deepEqual(
        e.forward.inspectedBy.map((x) => x.kind),
        ['aviatrix-dcf'],
        e.subnet,
      );
      assert.equal(e.forward.hops[0].decision!.association, 'implicit');
    }
    assert.deepEqual(result.findings.map((f) => `${f.code} @ ${f.elementId}`).sort(), [
      'dcf-not-covering @ aviatrix_spoke_gateway.analytics',
      'dcf-permit-all-egress @ aviatrix_distributed_firewalling_policy_list.egress#dev-permit-all-logged',
      'dcf-permit-all-egress @ aviatrix_distributed_firewalling_policy_list.egress#sandbox-permit-all-logged',
      'gateway-undersized @ aviatrix_spoke_gateway.sandbox',
      'legacy-transit-egress @ aviatrix_transit_gateway.egress',
    ]);
    assert.equal(result.score.score, 50);
  });
});

describe('analyze: orchestration', () => {
  const model: NetworkModel = distributedEgress({ edgeMissingA: true, edgeCrossAz: true, mgmt: true });

  it('fills summary, egress, findings sorted by file/line/code, states, score and timing; result is plain JSON', () => {
    const r = analyze(model);
    assert.equal(r.version, 1);
    assert.equal(r.summary.elements, model.elements.length);
    assert.equal(r.summary.byKind.subnet, 9);
    assert.equal(r.summary.files, 2);
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['asymmetric-cross-az', 'asymmetric-return-bypass', 'uninspected-egress'],
    );
    const keys = r.findings.map((f) => [f.location.file, f.location.range.start.line]);
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] as number) - (b[1] as number) : a[0] < b[0] ? -1 : 1)),
    );
    assert.ok(r.states.some((s) => s.vpc === 'vpc'));
    assert.ok(r.timing.analysisMs >= 0);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });

  it('applies severity settings and switches rules off', () => {
    const r = analyze(model, { severities: { 'uninspected-egress': 'off', 'asymmetric-cross-az': 'warning' } });
    assert.deepEqual(
      r.findings.map((f) => `${f.code}:${f.severity}`),
      ['asymmetric-cross-az:warning', 'asymmetric-return-bypass:error'],
    );
  });

  it('uses the configured test destination', () => {
    const r = analyze(distributedEgress(), { destination: '1.1.1.1' });
    assert.ok(r.egress.every((e) => e.forward.destination.ip === '1.1.1.1'));
  });

  it('an empty model analyses to nothing', () => {
    const r = analyze({ elements: [] });
    assert.deepEqual([r.egress, r.findings, r.states], [[], [], []]);
  });

  it('traceFlow accepts an element id or a source IP', () => {
    const byIp = traceFlow(distributedEgress(), '10.0.2.77', '9.9.9.9')!;
    assert.equal(byIp.subnet, 'app_b');
    assert.equal(byIp.forward.source.ip, '10.0.2.77');
    assert.equal(byIp.forward.destination.ip, '9.9.9.9');
    assert.equal(traceFlow(distributedEgress(), 'app_a')!.forward.source.ip, '10.0.1.15');
    assert.equal(traceFlow(distributedEgress(), '192.0.2.1'), undefined);
  });

  it('the registry holds all 19 rules in catalogue order, each with a severity resolution', () => {
    // The catalogue order is the registry's (SARIF and the settings list the rules in it).
    const order = [
      'asymmetric-return-bypass',
      'asymmetric-return-only',
      'asymmetric-cross-az',
      'tgw-appliance-mode-off',
      'uninspected-egress',
      'dcf-not-covering',
      'dcf-permit-all-egress',
      'dcf-disabled',
      'dcf-enablement-unmanaged',
      'dcf-webgroup-without-snat',
      'dcf-shadowed-policy',
      'dcf-unresolved-group',
      'gateway-undersized',
      'blackhole-route',
      'routing-loop',
      'cross-az-egress',
      'legacy-transit-egress',
      'home-net-excludes-spokes',
      'ipv6-central-egress',
    ];
    assert.deepEqual(
      RULES.map((r) => r.code),
      order,
    );
    assert.deepEqual([...RULE_CODES], order, 'RULE_CODES is derived from the registry, in its order');
    const bypass = RULES[0];
    assert.equal(resolveSeverity(bypass, {}), 'error');
    assert.equal(resolveSeverity(bypass, { severities: { 'asymmetric-return-bypass': 'info' } }), 'info');
  });
});

/** Apply text edits (0-based line/character) to one file's text. */
function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

describe('analyze: quick fixes repair what they claim to', function () {
  this.timeout(60000);

  async function run(files: Record<string, string>): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('Terraform: applying the asymmetric-return-bypass edit removes the finding and inspects the return leg', async () => {
    const dir = join(EXAMPLES, 'aws-distributed-egress-asymmetric');
    const files = Object.fromEntries(files_(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
    const before = await run(files);
    const bypass = before.findings.find((f) => f.code === 'asymmetric-return-bypass')!;
    files['workload.tf'] = applyEdits(files['workload.tf'], bypass.fix!.edits);
    const after = await run(files);
    assert.deepEqual(
      after.findings.map((f) => f.code),
      ['asymmetric-cross-az', 'uninspected-egress'],
    );
    const appA = after.egress.find((e) => e.subnet === 'aws_subnet.app_a')!;
    assert.deepEqual(
      appA.return!.inspectedBy.map((e) => e.az),
      ['us-east-1a'],
    );
  });

  it("Terraform: the asymmetric-cross-az edit changes only vpc_endpoint_id to the forward leg's endpoint, keeping the CIDR reference", async () => {
    const dir = join(EXAMPLES, 'aws-distributed-egress-asymmetric');
    const files = Object.fromEntries(files_(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
    const before = await run(files);
    const cross = before.findings.find((f) => f.code === 'asymmetric-cross-az')!;
    assert.equal(cross.fix!.edits.length, 1);
    assert.equal(cross.fix!.edits[0].newText, 'aws_vpc_endpoint.gwlbe_b.id');
    const was = files['workload.tf'];
    files['workload.tf'] = applyEdits(files['workload.tf'], cross.fix!.edits);
    // One line differs, and the destination is still the subnet's reference, not its CIDR.
    const diff = was
      .split('\n')
      .map((l, i) => [l, files['workload.tf'].split('\n')[i]])
      .filter(([a, b]) => a !== b);
    assert.deepEqual(diff, [['    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id', '    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_b.id']]);
    assert.match(
      files['workload.tf'],
      /cidr_block {6}= aws_subnet\.nat\["b"\]\.cidr_block\n {4}vpc_endpoint_id = aws_vpc_endpoint\.gwlbe_b\.id/,
    );
    const after = await run(files);
    assert.deepEqual(
      after.findings.map((f) => f.code),
      ['asymmetric-return-bypass', 'uninspected-egress'],
    );
    const appB = after.egress.find((e) => e.subnet === 'aws_subnet.app_b')!;
    assert.equal(appB.divergence, undefined);
  });

  it('Terraform: without any IGW edge route table, the edit creates one (table + association) and the finding goes', async () => {
    const dir = join(EXAMPLES, 'aws-distributed-egress-ok');
    const files = Object.fromEntries(files_(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
    const ok = files['workload.tf'];
    files['workload.tf'] = ok
      .replace(/resource "aws_route_table" "igw_edge" \{[\s\S]*?\n\}\n/, '')
      .replace(/resource "aws_route_table_association" "igw_edge" \{[\s\S]*?\n\}\n/, '');
    assert.notEqual(files['workload.tf'], ok);
    const before = await run(files);
    assert.deepEqual(
      before.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['asymmetric-return-bypass @ aws_internet_gateway.workload'],
    );
    assert.deepEqual(before.findings[0].traces, ['aws_subnet.app_a', 'aws_subnet.app_b']);
    // The title names the table the edit creates, not an edge route table that is not there.
    assert.match(
      before.findings[0].fix!.title,
      / in a new IGW edge route table \(a route table associated with workload-igw, which has none\)$/,
    );
    files['workload.tf'] = applyEdits(files['workload.tf'], before.findings[0].fix!.edits);
    assert.match(
      files['workload.tf'],
      /resource "aws_route_table_association" "workload_edge" \{\n {2}gateway_id {5}= aws_internet_gateway\.workload\.id/,
    );
    const after = await run(files);
    assert.deepEqual(after.findings, []);
    assert.ok(after.egress.every((e) => e.return!.inspectedBy.length === 1 && e.divergence === undefined));
  });

  it('CloudFormation: with an edge route removed, the YAML edit adds an AWS::EC2::Route that restores inspection', async () => {
    const text = readFileSync(join(EXAMPLES, 'cloudformation', 'distributed-egress.yaml'), 'utf8');
    const broken = text.replace(/\n {2}IgwEdgeRouteNatA:\n(?: {4}.*\n)+/, '\n');
    assert.notEqual(broken, text);
    const before = await run({ 'distributed-egress.yaml': broken });
    assert.deepEqual(
      before.findings.map((f) => f.code),
      ['asymmetric-return-bypass'],
    );
    const edits = before.findings[0].fix!.edits;
    assert.equal(edits.length, 1);
    assert.match(
      edits[0].newText,
      /GwlbEndpointAReturnRoute:\n {4}Type: AWS::EC2::Route\n {4}Properties:\n {6}RouteTableId: !Ref IgwEdgeRouteTable\n {6}DestinationCidrBlock: 10\.0\.10\.0\/24\n {6}VpcEndpointId: !Ref GwlbEndpointA/,
    );
    const after = await run({ 'distributed-egress.yaml': applyEdits(broken, edits) });
    assert.deepEqual(after.findings, []);
  });

  // An Azure subnet nobody associated with a route table follows Azure's system route straight to the
  // Internet: no route to change, so the finding sits on the subnet and the fix associates the table the
  // VNet's other subnets already use to reach the firewall.
  it('Azure: a subnet without a route table is found at the subnet, and the association edit puts it behind the firewall', async () => {
    const main = readFileSync(join(EXAMPLES, 'azure-hub-spoke-firewall', 'main.tf'), 'utf8');
    const data = `
resource "azurerm_subnet" "data" {
  name                 = "snet-data"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
`;
    const before = await run({ 'main.tf': main, 'data.tf': data });
    const f = before.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'azurerm_subnet.data');
    assert.equal(f[0].location.file, 'data.tf');
    assert.equal(f[0].location.range.start.line, 1);
    assert.equal(
      f[0].fix!.title,
      'Associate snet-data with rt-spoke-app, which sends 0.0.0.0/0 to the hub firewall (next hop VirtualAppliance)',
    );
    assert.equal(f[0].fix!.edits.length, 1);
    const fixed = applyEdits(data, f[0].fix!.edits);
    assert.ok(
      fixed.includes(
        'resource "azurerm_subnet_route_table_association" "data" {\n  subnet_id      = azurerm_subnet.data.id\n  route_table_id = azurerm_route_table.spoke.id\n}',
      ),
      fixed,
    );
    const after = await run({ 'main.tf': main, 'data.tf': fixed });
    assert.deepEqual(
      after.findings.map((x) => x.code),
      [],
    );
    const eg = after.egress.find((e) => e.subnet === 'azurerm_subnet.data')!;
    assert.deepEqual(
      eg.forward.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.equal(after.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')?.state, 'Protected');
  });

  // A test VM reached over RDP at a public IP of its own: with 0.0.0.0/0 to the firewall its replies would leave
  // through the firewall, which never saw the sessions, and be dropped. The public IP goes first; no quick fix.
  const testVm = (publicIp: string) => `
resource "azurerm_subnet" "data" {
  name                 = "snet-data"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
resource "azurerm_public_ip" "vm" {
  name                = "pip-test"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_network_interface" "vm" {
  name                = "nic-test"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.net.name
  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.data.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = ${publicIp}
  }
}
resource "azurerm_windows_virtual_machine" "vm" {
  name                  = "vm-test"
  resource_group_name   = azurerm_resource_group.net.name
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  admin_password        = "not-a-real-one-1!"
  network_interface_ids = [azurerm_network_interface.vm.id]
}
`;

  it('Azure: a subnet whose VM has a public IP: remove the public IP first, then associate; no quick fix', async () => {
    const main = readFileSync(join(EXAMPLES, 'azure-hub-spoke-firewall', 'main.tf'), 'utf8');
    const r = await run({ 'main.tf': main, 'data.tf': testVm('azurerm_public_ip.vm.id') });
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'azurerm_subnet.data');
    assert.equal(
      f[0].fix!.title,
      'Remove the public IP of vm-test (reach it through Azure Bastion or a DNAT rule on the hub firewall), then associate snet-data with rt-spoke-app, which sends 0.0.0.0/0 to the hub firewall (next hop VirtualAppliance): with 0.0.0.0/0 to the firewall, the replies to sessions arriving at that public IP would leave through the firewall, which never saw them, and be dropped',
    );
    assert.deepEqual(f[0].fix!.edits, []);
    // Without the public IP the association alone is the fix again, with its quick fix.
    const plain = await run({ 'main.tf': main, 'data.tf': testVm('null') });
    const g = plain.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(g.length, 1);
    assert.match(g[0].fix!.title, /^Associate snet-data with rt-spoke-app/);
    assert.equal(g[0].fix!.edits.length, 1);
  });

  // Azure forms a subnet id from its VNet's id; quickstarts write the association that way for an inline subnet.
  it('Azure: a subnet_id written as "${vnet.id}/subnets/<name>" names the VNet\'s inline subnet', async () => {
    const main = readFileSync(join(EXAMPLES, 'azure-hub-spoke-firewall', 'main.tf'), 'utf8')
      .replace(/resource "azurerm_subnet" "workload" \{[^}]*\}/, '# inline below')
      .replace(
        'address_space       = ["10.1.0.0/16"]',
        'address_space       = ["10.1.0.0/16"]\n  subnet {\n    name             = "snet-workload"\n    address_prefixes = ["10.1.1.0/24"]\n  }',
      )
      .replace(
        'subnet_id      = azurerm_subnet.workload.id',
        'subnet_id      = "${azurerm_virtual_network.spoke.id}/subnets/snet-workload"',
      );
    const r = await run({ 'main.tf': main });
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    const eg = r.egress.find((e) => e.subnet === 'azurerm_virtual_network.spoke#subnet:snet-workload')!;
    assert.deepEqual(
      eg.forward.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
  });

  it('Azure: with no table in the VNet that reaches a firewall, the advice names none and edits nothing', async () => {
    const vnet = `
resource "azurerm_virtual_network" "v" {
  name                = "vnet-solo"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.9.0.0/16"]
}
resource "azurerm_subnet" "s" {
  name                 = "snet-solo"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.9.1.0/24"]
}
`;
    const r = await run({ 'main.tf': vnet });
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'azurerm_subnet.s');
    assert.equal(
      f[0].fix!.title,
      'Associate snet-solo with a route table that sends 0.0.0.0/0 to the hub firewall or NVA (next hop VirtualAppliance)',
    );
    assert.deepEqual(f[0].fix!.edits, []);
  });
});

function files_(dir: string): string[] {
  return files(dir, (f) => !f.endsWith('.md'));
}

describe('analyze: inspection before NAT (app -> GWLB endpoint -> NAT GW -> IGW)', function () {
  this.timeout(60000);

  async function run(files: Record<string, string>): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const load = (name: string): Record<string, string> => {
    const dir = join(EXAMPLES, name);
    return Object.fromEntries(files_(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
  };

  it('correct layout: no finding, the reply leaves the NAT GW through the same-AZ endpoint, workload Protected', async () => {
    const { result } = await analyzeExample('aws-inspection-before-nat');
    assert.deepEqual(summary(result.findings), []);
    for (const az of ['a', 'b']) {
      const eg = result.egress.find((e) => e.subnet === `aws_subnet.app["${az}"]`)!;
      const kinds = (t: PathTrace): string[] => t.hops.map((h) => h.kind).filter((k) => k === 'gwlbe' || k === 'natgw' || k === 'igw');
      assert.deepEqual(kinds(eg.forward), ['gwlbe', 'gwlbe', 'natgw', 'igw'], 'endpoint before NAT on the way out');
      assert.deepEqual(kinds(eg.return!), ['igw', 'natgw', 'gwlbe', 'gwlbe'], 'and after the NAT GW on the way back');
      assert.deepEqual(
        eg.return!.inspectedBy.map((e) => e.az),
        [`us-east-1${az}`],
      );
    }
    assert.equal(result.states.find((s) => s.vpc === 'aws_vpc.workload')!.state, 'Protected');
  });

  it("broken layout: the bypass is anchored on the NAT subnet's table with a NAT-table fix, never an IGW edge route", async () => {
    const { result, text } = await analyzeExample('aws-inspection-before-nat-broken');
    const lines = text('workload.tf');
    assert.deepEqual(summary(result.findings), [
      `asymmetric-return-bypass error @ aws_route_table.nat_a (workload.tf:${lineOf(lines, 'resource "aws_route_table" "nat_a"') + 1})`,
      `asymmetric-cross-az error @ aws_route_table.nat_b#1 (workload.tf:${lineOf(lines, 'cidr_block      = aws_subnet.app["b"].cidr_block')})`,
    ]);
    const bypass = result.findings[0];
    assert.match(bypass.message, /nat-a-rt has no route for 10\.0\.1\.0\/24/);
    assert.match(bypass.fix!.title, /^Route 10\.0\.1\.0\/24 to gwlbe-a in nat-a-rt/);
    assert.doesNotMatch(bypass.fix!.title, /Route [^(]* in the IGW edge route table/);
    assert.ok(
      bypass.fix!.edits.every((e) => !e.newText.includes('aws_route_table_association')),
      'no IGW edge table is created',
    );
    assert.match(result.findings[1].fix!.title, /^Point 10\.0\.2\.0\/24 in nat-b-rt at gwlbe-b/);
  });

  it("applying both quick fixes gives the correct layout's verdicts", async () => {
    const files = load('aws-inspection-before-nat-broken');
    const before = await run(files);
    files['workload.tf'] = applyEdits(
      files['workload.tf'],
      before.findings.flatMap((f) => f.fix!.edits),
    );
    const after = await run(files);
    assert.deepEqual(after.findings, []);
    assert.equal(after.states.find((s) => s.vpc === 'aws_vpc.workload')!.state, 'Protected');
  });

  it('the old advice would break it: an IGW edge route to the endpoint for the NAT subnet makes replies reach the firewall after NAT', async () => {
    // What the rule must never prescribe for this layout: the edge table steers post-NAT replies into the
    // endpoint, which forwards them to the NAT subnet, and the stateful firewall has no forward flow for them.
    const files = load('aws-inspection-before-nat');
    files['edge.tf'] = `resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block      = aws_subnet.nat["a"].cidr_block
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe["a"].id
  }
}

resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.workload.id
  route_table_id = aws_route_table.edge.id
}
`;
    const r = await run(files);
    const appA = r.egress.find((e) => e.subnet === 'aws_subnet.app["a"]')!;
    const first = appA.return!.hops.findIndex((h) => h.kind === 'gwlbe');
    const nat = appA.return!.hops.findIndex((h) => h.kind === 'natgw');
    assert.ok(first >= 0 && first < nat, 'the edge route sends the reply to the endpoint before the NAT GW has un-translated it');
  });
});

describe('analyze: AWS Network Firewall, distributed (protected subnet -> firewall endpoint -> IGW)', function () {
  this.timeout(60000);

  it('one endpoint per subnet mapping resolves through the firewall_status idiom; both legs inspected in their AZ; Protected', async () => {
    const { result } = await analyzeExample('aws-network-firewall');
    assert.deepEqual(summary(result.findings), []);
    const eps = result.model.elements.filter((e) => e.kind === 'gwlbe');
    assert.deepEqual(
      eps.map((e) => `${e.id} ${e.kind === 'gwlbe' ? `${e.flavor} ${e.subnet}` : ''}`),
      [
        'aws_networkfirewall_firewall.egress/endpoint/aws_subnet.firewall["a"] networkFirewall aws_subnet.firewall["a"]',
        'aws_networkfirewall_firewall.egress/endpoint/aws_subnet.firewall["b"] networkFirewall aws_subnet.firewall["b"]',
      ],
    );
    // The firewall's own subnets are not traffic sources: only the protected subnets are traced.
    assert.deepEqual(
      result.egress.map((e) => e.subnet),
      ['aws_subnet.protected["a"]', 'aws_subnet.protected["b"]'],
    );
    for (const az of ['a', 'b']) {
      const eg = result.egress.find((e) => e.subnet === `aws_subnet.protected["${az}"]`)!;
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [
          { kind: 'network-firewall', element: 'aws_networkfirewall_firewall.egress', az: `us-east-1${az}` },
        ]);
      }
    }
    assert.equal(result.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Protected');
  });

  it('broken edge table: bypass and cross-AZ on the edge table, fixes that name the endpoint by the same idiom', async () => {
    const { result } = await analyzeExample('aws-network-firewall-broken');
    assert.deepEqual(
      result.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['asymmetric-return-bypass @ aws_route_table.igw_edge', 'asymmetric-cross-az @ aws_route_table.igw_edge#0'],
    );
    assert.match(result.findings[0].message, /skipping firewall endpoint egress-firewall\/firewall\["a"\] \(us-east-1a\)/);
    const idiom = (subnet: string): string =>
      `one([for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall["${subnet}"].id])`;
    assert.ok(result.findings[0].fix!.edits[0].newText.includes(`vpc_endpoint_id = ${idiom('a')}`));
    // The cross-AZ fix replaces only the target's value in the existing route.
    assert.equal(result.findings[1].fix!.edits[0].newText, idiom('b'));
    assert.equal(result.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Partially Protected');
  });

  it('an endpoint picked for another subnet, or by a filter the inputs cannot decide, is never guessed', async () => {
    const dir = join(EXAMPLES, 'aws-network-firewall');
    const text = readFileSync(join(dir, 'main.tf'), 'utf8');
    const ws = await createWorkspace();
    // A literal subnet id in the filter: no mapping has it, so the list is empty and element() fails.
    ws.setFile(
      'main.tf',
      text.replace(
        'ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)',
        'ss.attachment[0].subnet_id == "subnet-0123"], 0)',
      ),
    );
    ws.setFile('versions.tf', readFileSync(join(dir, 'versions.tf'), 'utf8'));
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Unknown');
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });
});

describe('analyze: Azure hub-spoke through Azure Firewall', function () {
  this.timeout(60000);

  it('broken: the subnet added without a route table association is the one finding, on the subnet; the spoke is Partially Protected', async () => {
    const { result } = await analyzeExample('azure-hub-spoke-firewall-broken');
    assert.deepEqual(summary(result.findings), ['uninspected-egress warning @ azurerm_subnet.data (data.tf:3)']);
    assert.deepEqual(
      result.findings[0].related?.map((r) => `${r.location.file}:${r.location.range.start.line + 1}`),
      ['main.tf:125'],
    );
    assert.equal(result.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!.state, 'Partially Protected');
    assert.equal(result.states.find((s) => s.vpc === 'azurerm_virtual_network.hub')!.state, 'Inspection');
  });

  it("the UDR written as the firewall's private_ip_address attribute reaches the firewall; spoke Protected, firewall subnet not a source", async () => {
    const { result } = await analyzeExample('azure-hub-spoke-firewall');
    assert.deepEqual(summary(result.findings), []);
    const fw = result.model.elements.find((e) => e.id === 'azurerm_firewall.hub')!;
    assert.equal(fw.kind, 'firewall');
    assert.deepEqual(
      result.egress.map((e) => e.subnet),
      ['azurerm_subnet.workload'],
    );
    const eg = result.egress[0];
    assert.deepEqual(
      eg.forward.hops.map((h) => h.element),
      ['azurerm_subnet.workload', 'azurerm_firewall.hub', 'internet'],
    );
    assert.deepEqual(
      eg.forward.inspectedBy.map((e) => e.element),
      ['azurerm_firewall.hub'],
    );
    assert.deepEqual(
      eg.return!.inspectedBy.map((e) => e.element),
      ['azurerm_firewall.hub'],
    );
    const st = result.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!;
    assert.equal(st.state, 'Protected');
    assert.match(st.reason, /Azure Firewall/);
  });

  it("without the UDR the spoke leaves by Azure's system route, uninspected (and the legacy `.0.` form resolves too)", async () => {
    const dir = join(EXAMPLES, 'azure-hub-spoke-firewall');
    const text = readFileSync(join(dir, 'main.tf'), 'utf8');
    const run = async (t: string): Promise<AnalysisResult> => {
      const ws = await createWorkspace();
      ws.setFile('main.tf', t);
      const b = ws.build();
      return analyze(b.model, {}, b.diagnostics);
    };
    const noUdr = await run(text.replace(/resource "azurerm_subnet_route_table_association" "workload" \{[\s\S]*?\n\}\n/, ''));
    assert.deepEqual(
      noUdr.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress azurerm_subnet.workload'],
    );
    const legacy = await run(
      text.replace(
        'azurerm_firewall.hub.ip_configuration[0].private_ip_address',
        'azurerm_firewall.hub.ip_configuration.0.private_ip_address',
      ),
    );
    assert.deepEqual(
      legacy.egress[0].forward.inspectedBy.map((e) => e.element),
      ['azurerm_firewall.hub'],
    );
  });
});

describe('analyze: Network Firewall endpoint idioms and quick fixes', function () {
  this.timeout(60000);
  const dirOf = (n: string): string => join(EXAMPLES, n);
  async function run(files: Record<string, string>): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('one([for ...]) picks the same endpoint as element([for ...], 0)', async () => {
    const dir = dirOf('aws-network-firewall');
    const text = readFileSync(join(dir, 'main.tf'), 'utf8');
    const withOne = text.replace(
      /element\(\[for ss in aws_networkfirewall_firewall\.egress\.firewall_status\[0\]\.sync_states : (.*?)\], 0\)/,
      'one([for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : $1])',
    );
    assert.notEqual(withOne, text);
    const r = await run({ 'main.tf': withOne });
    assert.deepEqual(r.findings, []);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Protected');
  });

  it('a position of the unordered sync_states is some endpoint of the firewall: decided where the AZ does not matter, Unknown where it does', async () => {
    const text = readFileSync(join(dirOf('aws-network-firewall'), 'main.tf'), 'utf8');
    const positional = '(aws_networkfirewall_firewall.egress.firewall_status[0].sync_states[*].attachment[0].endpoint_id)[0]';
    const forwardOnly = text.replace(
      /element\(\[for ss in aws_networkfirewall_firewall\.egress\.firewall_status\[0\]\.sync_states : .*?\], 0\)/,
      positional,
    );
    const bothLegs = forwardOnly.replace(/element\(\[for ss in tolist\(.*?\], 0\)/, positional);
    assert.ok(forwardOnly !== text && bothLegs !== forwardOnly);
    const fw = 'aws_networkfirewall_firewall.egress';
    // Both legs through position 0: the same endpoint, whichever AZ it is in; the firewall subnets share one table.
    const both = await run({ 'main.tf': bothLegs });
    const routes = both.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : []));
    const picked = routes.filter((r) => r.target.pick);
    assert.ok(picked.length >= 2);
    for (const r of picked) {
      assert.equal(r.target.pick!.firewall, fw);
      assert.equal(r.target.pick!.position, 0);
      assert.equal(r.target.pick!.endpoints.length, 2);
      assert.ok(typeof r.target.ref !== 'string', 'never the first mapping written');
    }
    for (const eg of both.egress) {
      assert.deepEqual(eg.forward.inspectedBy, [{ kind: 'network-firewall', element: fw, endpoint: `${fw}#EndpointIds[0]` }]);
      assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy);
    }
    assert.equal(both.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Protected');
    assert.deepEqual(both.findings, []);
    // The reply named by subnet, the way out by position: whether they are the same endpoint is not known.
    const mixed = await run({ 'main.tf': forwardOnly });
    for (const eg of mixed.egress) {
      assert.equal(eg.return!.outcome.kind, 'unknown');
      assert.match(
        eg.return!.outcome.kind === 'unknown' ? eg.return!.outcome.reason : '',
        /whether that is the endpoint the forward leg left through/,
      );
    }
    assert.equal(mixed.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Unknown');
    assert.deepEqual(mixed.findings, []);
  });

  it('a sync state taken by position (tolist(...sync_states)[0], directly or through a local) is the same pick of some endpoint', async () => {
    const text = readFileSync(join(dirOf('aws-network-firewall'), 'main.tf'), 'utf8');
    const fw = 'aws_networkfirewall_firewall.egress';
    const direct = `tolist(${fw}.firewall_status[0].sync_states)[0].attachment[0].endpoint_id`;
    const bothLegs = (target: string): string =>
      text
        .replace(/element\(\[for ss in aws_networkfirewall_firewall\.egress\.firewall_status\[0\]\.sync_states : .*?\], 0\)/, target)
        .replace(/element\(\[for ss in tolist\(.*?\], 0\)/, target);
    for (const [label, files] of [
      ['direct', { 'main.tf': bothLegs(direct) }],
      [
        'through a local',
        {
          'main.tf': bothLegs('local.fw_states[0].attachment[0].endpoint_id'),
          'locals.tf': `locals {\n  fw_states = tolist(${fw}.firewall_status[0].sync_states)\n}\n`,
        },
      ],
    ] as const) {
      assert.notEqual(files['main.tf'], text, label);
      const r = await run(files);
      const picked = r.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : [])).filter((x) => x.target.pick);
      assert.ok(picked.length >= 2, label);
      for (const x of picked) {
        assert.equal(x.target.pick!.firewall, fw, label);
        assert.equal(x.target.pick!.position, 0, label);
      }
      for (const eg of r.egress) assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy, label);
      assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Protected', label);
      assert.deepEqual(r.findings, [], label);
    }
  });

  it('without an IGW edge route table, a bypass of positional picks names them as firewall endpoints of the firewall, never by id', async () => {
    const text = readFileSync(join(dirOf('aws-network-firewall'), 'main.tf'), 'utf8');
    const fw = 'aws_networkfirewall_firewall.egress';
    const target = `tolist(${fw}.firewall_status[0].sync_states)[0].attachment[0].endpoint_id`;
    const noEdge = text
      .replace(/element\(\[for ss in aws_networkfirewall_firewall\.egress\.firewall_status\[0\]\.sync_states : .*?\], 0\)/, target)
      .replace(/resource "aws_route_table" "igw_edge" \{[\s\S]*?\n\}\n/, '')
      .replace(/resource "aws_route_table_association" "igw_edge" \{[\s\S]*?\n\}\n/, '');
    assert.ok(!noEdge.includes('"igw_edge"') && noEdge.includes(target));
    const r = await run({ 'main.tf': noEdge });
    const bypass = r.findings.filter((f) => f.code === 'asymmetric-return-bypass');
    assert.equal(bypass.length, 1);
    assert.match(bypass[0].message, /skipping firewall endpoint egress-firewall\.EndpointIds\[0\] that inspect/);
    assert.doesNotMatch(bypass[0].message + bypass[0].fix!.title, /GWLB|#EndpointIds|aws_networkfirewall_firewall\./);
    assert.match(
      bypass[0].fix!.title,
      /to egress-firewall\.EndpointIds\[0\] in a new IGW edge route table \(a route table associated with /,
    );
  });

  it('applying both quick fixes of the broken example gives the correct verdicts', async () => {
    const dir = dirOf('aws-network-firewall-broken');
    const files = { 'main.tf': readFileSync(join(dir, 'main.tf'), 'utf8') };
    const before = await run(files);
    assert.equal(before.findings.length, 2);
    files['main.tf'] = applyEdits(
      files['main.tf'],
      before.findings.flatMap((f) => f.fix!.edits),
    );
    const after = await run(files);
    assert.deepEqual(after.findings, []);
    assert.equal(after.states.find((s) => s.vpc === 'aws_vpc.main')!.state, 'Protected');
  });
});

describe('analyze: AWS Network Firewall in CloudFormation (EndpointIds idiom)', function () {
  this.timeout(60000);
  const FILE = 'template.yaml';
  const fw = (logical: string): string => `cfn:${FILE}#${logical}`;

  it('one subnet mapping: the positional Select over EndpointIds is that endpoint; both legs inspected; Protected', async () => {
    const { result } = await analyzeExample('aws-network-firewall-cfn');
    assert.deepEqual(summary(result.findings), []);
    const ep = `${fw('EgressFirewall')}/endpoint/FirewallSubnet`;
    assert.deepEqual(
      result.model.elements
        .filter((e) => e.kind === 'gwlbe' || e.kind === 'firewall')
        .map(
          (e) =>
            `${e.kind} ${e.id} ${e.kind === 'gwlbe' ? `${e.flavor} ${String(e.subnet)} ${String(e.service)}` : e.kind === 'firewall' ? `${e.vendor} ${String(e.policy)}` : ''}`,
        ),
      [
        `firewall ${fw('EgressFirewall')} AWS Network Firewall ${fw('EgressPolicy')}`,
        `gwlbe ${ep} networkFirewall ${fw('FirewallSubnet')} ${fw('EgressFirewall')}`,
      ],
    );
    const routes = result.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : []));
    assert.deepEqual(
      routes
        .filter((r) => r.target.kind === 'gwlbe')
        .map((r) => `${r.id} -> ${String(r.target.ref)}`)
        .sort(),
      [`${fw('EdgeToProtected')} -> ${ep}`, `${fw('ProtectedDefaultRoute')} -> ${ep}`],
    );
    // The firewall subnet is the enforcement point, not a traffic source.
    assert.deepEqual(
      result.egress.map((e) => e.subnet),
      [fw('ProtectedSubnet')],
    );
    const eg = result.egress[0];
    for (const leg of [eg.forward, eg.return!]) {
      assert.deepEqual(leg.outcome, { kind: 'delivered' });
      assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: fw('EgressFirewall'), az: 'eu-west-1a' }]);
    }
    assert.equal(result.states.find((s) => s.vpc === fw('Vpc'))!.state, 'Protected');
  });

  it('two subnet mappings: a positional Select does not say which AZ, so the route stays Unresolved (Unknown when the AZ matters, no guess, no error)', async () => {
    const text = readFileSync(join(EXAMPLES, 'aws-network-firewall-cfn', FILE), 'utf8')
      .replace(
        '        - SubnetId: !Ref FirewallSubnet\n',
        '        - SubnetId: !Ref FirewallSubnet\n        - SubnetId: !Ref FirewallSubnetB\n',
      )
      .replace(
        '  ProtectedSubnet:\n',
        '  FirewallSubnetB:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: eu-west-1b\n      CidrBlock: 10.30.0.16/28\n\n  ProtectedSubnet:\n',
      );
    assert.ok(text.includes('FirewallSubnetB'));
    const ws = await createWorkspace();
    ws.setFile(FILE, text);
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    assert.deepEqual(
      r.model.elements.filter((e) => e.kind === 'gwlbe').map((e) => e.id),
      [`${fw('EgressFirewall')}/endpoint/FirewallSubnet`, `${fw('EgressFirewall')}/endpoint/FirewallSubnetB`],
    );
    const routes = r.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : []));
    for (const id of ['ProtectedDefaultRoute', 'EdgeToProtected']) {
      const route = routes.find((x) => x.id === fw(id))!;
      const ref = route.target.ref;
      assert.ok(ref !== undefined && typeof ref !== 'string', `${id} is not resolved to one endpoint`);
      assert.match(ref.reason, /EgressFirewall\.EndpointIds .*order AWS does not guarantee/);
      assert.deepEqual(route.target.pick, {
        firewall: fw('EgressFirewall'),
        position: 0,
        endpoints: [`${fw('EgressFirewall')}/endpoint/FirewallSubnet`, `${fw('EgressFirewall')}/endpoint/FirewallSubnetB`],
      });
    }
    // The second endpoint's subnet has no route table: where the pick sends the packet on cannot be decided.
    assert.match(
      r.egress[0].forward.outcome.kind === 'unknown' ? r.egress[0].forward.outcome.reason : '',
      /subnet FirewallSubnetB has no route table/,
    );
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      [fw('ProtectedSubnet')],
    );
    assert.equal(r.states.find((s) => s.vpc === fw('Vpc'))!.state, 'Unknown');
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.deepEqual(
      r.findings.filter((f) => /uninspected|unprotected/i.test(f.code)),
      [],
    );
  });
  /** The example with a second firewall subnet in eu-west-1b, its own table sending 0.0.0.0/0 to `target`. */
  function twoMappings(target: string, edgePosition = 0): string {
    const text = readFileSync(join(EXAMPLES, 'aws-network-firewall-cfn', FILE), 'utf8')
      .replace(
        '        - SubnetId: !Ref FirewallSubnet\n',
        '        - SubnetId: !Ref FirewallSubnet\n        - SubnetId: !Ref FirewallSubnetB\n',
      )
      .replace(
        '  ProtectedSubnet:\n',
        [
          '  FirewallSubnetB:',
          '    Type: AWS::EC2::Subnet',
          '    Properties:',
          '      VpcId: !Ref Vpc',
          '      AvailabilityZone: eu-west-1b',
          '      CidrBlock: 10.30.0.16/28',
          '  FirewallRouteTableB:',
          '    Type: AWS::EC2::RouteTable',
          '    Properties:',
          '      VpcId: !Ref Vpc',
          '  FirewallDefaultRouteB:',
          '    Type: AWS::EC2::Route',
          '    Properties:',
          '      RouteTableId: !Ref FirewallRouteTableB',
          '      DestinationCidrBlock: 0.0.0.0/0',
          `      ${target}`,
          '  FirewallAssociationB:',
          '    Type: AWS::EC2::SubnetRouteTableAssociation',
          '    Properties:',
          '      SubnetId: !Ref FirewallSubnetB',
          '      RouteTableId: !Ref FirewallRouteTableB',
          '  ProtectedSubnet:',
          '',
        ].join('\n'),
      )
      .replace(
        '      DestinationCidrBlock: 10.30.10.0/24\n      VpcEndpointId: !Select [1, !Split [":", !Select [0,',
        `      DestinationCidrBlock: 10.30.10.0/24\n      VpcEndpointId: !Select [1, !Split [":", !Select [${edgePosition},`,
      );
    assert.ok(text.includes('FirewallRouteTableB') && text.includes(`!Select [${edgePosition}, !GetAtt`));
    return text;
  }
  async function runText(text: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile(FILE, text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const pick = (n: number): string => `${fw('EgressFirewall')}#EndpointIds[${n}]`;

  it('two subnet mappings whose subnets both route to the IGW, the same position on both legs: the firewall decides (Protected), no AZ is claimed', async () => {
    const r = await runText(twoMappings('GatewayId: !Ref Igw'));
    const eg = r.egress.find((e) => e.subnet === fw('ProtectedSubnet'))!;
    for (const leg of [eg.forward, eg.return!]) {
      assert.deepEqual(leg.outcome, { kind: 'delivered' });
      // Inspected by the firewall at one endpoint (the pick), in an AZ that is not claimed.
      assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: fw('EgressFirewall'), endpoint: pick(0) }]);
      assert.ok(leg.hops.filter((h) => h.element === pick(0)).every((h) => h.az === undefined));
    }
    assert.equal(eg.divergence, undefined);
    assert.equal(r.states.find((s) => s.vpc === fw('Vpc'))!.state, 'Protected');
    assert.deepEqual(summary(r.findings), []);
  });

  it('the reply routed to another position of the same firewall enters another endpoint: asymmetric, never Protected', async () => {
    const r = await runText(twoMappings('GatewayId: !Ref Igw', 1));
    const eg = r.egress.find((e) => e.subnet === fw('ProtectedSubnet'))!;
    assert.deepEqual(eg.return!.outcome, { kind: 'delivered' });
    assert.deepEqual(
      eg.return!.inspectedBy.map((e) => e.endpoint),
      [pick(1)],
    );
    assert.equal(r.states.find((s) => s.vpc === fw('Vpc'))!.state, 'Partially Protected');
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.elementId}`),
      [`asymmetric-cross-az ${fw('EdgeToProtected')}`],
    );
  });

  it("the endpoints' subnets route the packet to different places: the next hop depends on the AZ, so Unknown naming both tables", async () => {
    const r = await runText(twoMappings('GatewayId: !Ref NoSuchGateway'));
    const eg = r.egress.find((e) => e.subnet === fw('ProtectedSubnet'))!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
    assert.match(
      eg.forward.outcome.kind === 'unknown' ? eg.forward.outcome.reason : '',
      /^egress\.EndpointIds\[0\] is one of the firewall's endpoints.*: FirewallRouteTable \(firewall, eu-west-1a\) sends 8\.8\.8\.8 to Igw; FirewallRouteTableB \(FirewallSubnetB, eu-west-1b\) sends 8\.8\.8\.8 to \S*NoSuchGateway$/,
    );
    // The firewall did inspect the packet before the AZ mattered.
    assert.deepEqual(
      eg.forward.inspectedBy.map((e) => e.element),
      [fw('EgressFirewall')],
    );
    assert.equal(r.states.find((s) => s.vpc === fw('Vpc'))!.state, 'Unknown');
    assert.deepEqual(r.findings, []);
  });
});
