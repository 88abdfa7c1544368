// Issue 13 §3 end to end: what the model does not understand is said, never dropped in silence; Azure
// resources of several module instances with the same names stay apart (CLI on workspaces of our own).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'unmodelled');

interface Doc {
  findings: { code: string; severity: string; message: string }[];
  states: { name: string; state: string; reason: string; vpc?: string }[];
  parseDiagnostics: { code: string; severity: string; message: string; loc: { file: string; startLine: number } }[];
  egress: { subnet: string; forward: { outcome: { kind: string; reason?: string } } }[];
}

function analyze(dir: string, args: string[] = []): { doc: Doc; text: string; code: number | null } {
  const cwd = path.join(FIX, dir);
  const j = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never', ...args], cwd);
  assert.equal(j.code, 0, j.stderr);
  const t = cli(['analyze', '.', ...args], cwd);
  return { doc: JSON.parse(j.stdout) as Doc, text: t.stdout, code: t.code };
}

const unmodelled = (doc: Doc) => doc.parseDiagnostics.filter((d) => d.code === 'unmodelled-resource');

describe('cli: nothing is dropped in silence (issue 13 §3)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('a CloudFormation custom resource that rewrites a route table is reported with what it touches; it is info, the exit code stays 0', () => {
    const { doc, text, code } = analyze('cfn-custom');
    const d = unmodelled(doc);
    assert.deepEqual(
      d.map((x) => [x.severity, x.loc.startLine]),
      [
        ['info', 75],
        ['info', 92],
      ],
    );
    assert.match(d[0].message, /NatTableLocalToEndpoint \(Custom::SwapLocalRoute: .*\) is not modelled; it touches Endpoint, NatTable/);
    assert.match(text, /egress\.yaml:75:3 +info +unmodelled-resource +NatTableLocalToEndpoint/);
    assert.equal(code, 0);
  });

  it('a script Terraform runs is reported against the VPC of its module, an edited table by name', () => {
    const { doc } = analyze('tf-script');
    const d = unmodelled(doc).map((x) => x.message);
    assert.equal(d.length, 3);
    assert.match(d[0], /null_resource\.make_endpoints .*touches aws_vpc\.security/);
    assert.match(d[1], /terraform_data\.edit_table .*touches aws_route_table\.endpoints/);
    assert.match(d[2], /aws_ec2_transit_gateway_connect\.sdwan/);
  });

  it('a GCP network with Cloud NAT is reported resource by resource, Cloud NAT against its router', () => {
    const { doc } = analyze('tf-gcp-nat');
    const d = unmodelled(doc).map((x) => x.message);
    assert.equal(d.length, 4);
    assert.ok(
      d.some((m) =>
        /google_compute_router_nat\.nat \(google_compute_router_nat: GCP Cloud NAT.*touches google_compute_router\.router/.test(m),
      ),
    );
  });

  it('three spokes of one module with the same VNet and table names keep their own subnets and UDR to the hub firewall', () => {
    const { doc } = analyze('azure-names');
    const spokes = doc.states.filter((s) => s.name === 'vnet-spoke');
    assert.equal(spokes.length, 3);
    for (const s of spokes) {
      assert.equal(s.state, 'Partially Protected', s.reason);
      assert.match(s.reason, /azurerm_subnet\.apps is inspected by Azure Firewall azurerm_firewall\.hub in both directions/);
      assert.match(s.reason, /azurerm_subnet\.jump reaches the internet without any enforcement point/);
    }
    const apps = doc.egress.filter((e) => e.subnet.endsWith('azurerm_subnet.apps'));
    assert.equal(apps.length, 3);
    for (const e of apps) assert.equal(e.forward.outcome.kind, 'delivered');
  });

  it('names from random_pet still join: subnets to their VNets, the route to its table, the rule collection to its firewall', () => {
    const { doc, text } = analyze('azure-random-names');
    const state = (n: string) => doc.states.find((s) => s.name === n);
    // The hub holds only AzureFirewallSubnet and the firewall (was No Egress: its subnet was in no VNet).
    assert.equal(state('hub')?.state, 'Inspection', state('hub')?.reason);
    // The spoke's UDR reaches the firewall, whose classic collection (joined by name) allows everything with alerts.
    assert.equal(state('spoke')?.state, 'Monitored', state('spoke')?.reason);
    assert.match(
      state('spoke')!.reason,
      /azurerm_subnet\.app is inspected by Azure Firewall azurerm_firewall\.hub in both directions: its classic rule collections allow all traffic/,
    );
    assert.equal(doc.states.length, 2);
    assert.doesNotMatch(text, /unresolved-value/);
  });

  it('a UDR to the firewall written with the legacy `.0.` index resolves like [0]', () => {
    const { doc } = analyze('azure-legacy-index');
    const spoke = doc.states.find((s) => s.name === 'spoke');
    assert.equal(spoke?.state, 'Protected', spoke?.reason);
    assert.match(spoke.reason, /inspected by Azure Firewall azurerm_firewall\.fw in both directions/);
  });

  it('the summary counts the files read, those that gave elements and those skipped, with why', () => {
    const { doc, text } = analyze('inputs-summary');
    const inputs = (doc as unknown as { summary: { inputs: unknown } }).summary.inputs;
    assert.deepEqual(inputs, {
      read: 3,
      withElements: 1,
      skipped: [{ file: 'settings.json', reason: 'not a recognised network-as-code format' }],
    });
    assert.match(text, /^Egress Lens {2}\(3 files read, 1 gave elements, 1 skipped, 2 elements\)$/m);
    assert.match(text, /^Summary: no findings; 3 files read, 1 gave elements, 1 skipped \(1 not a recognised network-as-code format\)$/m);
  });

  it('a route to a resource that is defined but not modelled: Unknown saying where it is defined; what is not defined still warns', () => {
    const { doc, text, code } = analyze('declared-peering');
    const refs = doc.parseDiagnostics.filter((d) => d.code === 'unmodelled-reference' || d.code === 'missing-reference');
    assert.deepEqual(
      refs.map((d) => [d.code, d.severity, d.loc.startLine]),
      [
        ['unmodelled-reference', 'info', 59],
        ['unmodelled-reference', 'info', 73],
        ['missing-reference', 'warning', 91],
      ],
    );
    assert.match(
      refs[0].message,
      /refers to aws_ec2_transit_gateway_peering_attachment_accepter\.from_west, which is defined in main\.tf:54 \(aws_ec2_transit_gateway_peering_attachment_accepter\) but not modelled$/,
    );
    assert.match(refs[1].message, /refers to aws_lb\.ingress\[1\], which is defined in main\.tf:66 \(aws_lb\) but not modelled$/);
    assert.match(refs[2].message, /refers to tgw-attach-0ffffeeeeddddcccc, which is not defined in the workspace$/);
    const spoke = doc.states.find((s) => s.name === 'spoke');
    assert.equal(spoke?.state, 'Unknown', JSON.stringify(doc.states));
    assert.match(
      spoke.reason,
      /TGW route target aws_ec2_transit_gateway_peering_attachment_accepter\.from_west is not resolvable offline \(aws_ec2_transit_gateway_peering_attachment_accepter defined in main\.tf:54 but not modelled\)/,
    );
    assert.doesNotMatch(spoke.reason, /not defined/);
    assert.match(text, /main\.tf:59:1 +info +unmodelled-reference +aws_ec2_transit_gateway_route\.default_to_west/);
    assert.equal(code, 0);
  });

  it('a CloudFormation network load balancer named by its target group is defined but not modelled (info), not missing', () => {
    const { doc } = analyze('declared-nlb');
    const refs = doc.parseDiagnostics.filter((d) => d.code === 'unmodelled-reference' || d.code === 'missing-reference');
    assert.deepEqual(
      refs.map((d) => [d.code, d.severity, d.loc.file, d.loc.startLine]),
      [['unmodelled-reference', 'info', 'ingress.yaml', 22]],
    );
    assert.match(
      refs[0].message,
      /IngressNlb, which is defined in ingress\.yaml:15 \(AWS::ElasticLoadBalancingV2::LoadBalancer\) but not modelled$/,
    );
  });

  it('a spoke gateway whose network is not modelled (GCP with Cloud NAT) is Unknown, never No Egress', () => {
    const { doc, text } = analyze('aviatrix-phantom');
    const s = doc.states.find((x) => x.name === 'apps-vpc~-~demo-project');
    assert.equal(s?.state, 'Unknown', JSON.stringify(doc.states));
    assert.match(s.reason, /apps-spoke belongs to no VPC in the inputs/);
    assert.doesNotMatch(text, /No Egress {3,}/);
    assert.ok(unmodelled(doc).some((d) => /google_compute_router_nat\.apps/.test(d.message)));
  });
});
