// Every example workspace, run through the built CLI as a user runs it: exactly the findings, protection
// states, score and exit code its README lists. One row per folder under examples/ (a new example needs
// its row here), grouped by the egress firewall design it shows (README, "Egress firewall designs").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

interface Expected {
  /** `code severity file:line`, in the report's order (by file, line, code). */
  findings: string[];
  states: Record<string, string>;
  /** null: n/a (every VPC/VNet with egress is Unknown). */
  score: number | null;
  /** Exit code at the default --fail-on error. */
  exit: 0 | 1;
}

const none = (states: Record<string, string>, score: number | null = 100): Expected => ({ findings: [], states, score, exit: 0 });

const EXPECTED: Record<string, Expected> = {
  // 1. Inspection after NAT (the seed design).
  'aws-distributed-egress-ok': none({ 'inspection-vpc': 'Inspection', 'workload-vpc': 'Protected' }),
  'aws-distributed-egress-asymmetric': {
    findings: [
      'asymmetric-return-bypass error workload.tf:230',
      'asymmetric-cross-az error workload.tf:238',
      'uninspected-egress warning workload.tf:276',
    ],
    states: { 'inspection-vpc': 'Inspection', 'workload-vpc': 'Partially Protected' },
    score: 50,
    exit: 1,
  },
  'aws-cli-export': {
    findings: [
      'asymmetric-return-bypass error describe-route-tables.json:235',
      'asymmetric-cross-az error describe-route-tables.json:243',
      'uninspected-egress warning describe-route-tables.json:280',
    ],
    states: { 'inspection-vpc': 'No Egress', 'workload-vpc': 'Partially Protected' },
    score: 50,
    exit: 1,
  },
  cloudformation: none({ 'inspection-vpc': 'Inspection', 'workload-vpc': 'Protected' }),
  'terraform-plan': none({ 'egress-vpc': 'Protected' }),
  // 2. Inspection before NAT.
  'aws-inspection-before-nat': none({ 'inspection-vpc': 'Inspection', 'workload-vpc': 'Protected' }),
  'aws-inspection-before-nat-broken': {
    findings: ['asymmetric-return-bypass error workload.tf:148', 'asymmetric-cross-az error workload.tf:169'],
    states: { 'inspection-vpc': 'Inspection', 'workload-vpc': 'Partially Protected' },
    score: 50,
    exit: 1,
  },
  // 3. AWS Network Firewall, distributed.
  'aws-network-firewall': none({ 'protected-vpc': 'Protected' }),
  'aws-network-firewall-broken': {
    findings: ['asymmetric-return-bypass error main.tf:147', 'asymmetric-cross-az error main.tf:150'],
    states: { 'protected-vpc': 'Partially Protected' },
    score: 50,
    exit: 1,
  },
  'aws-network-firewall-cfn': none({ 'nfw-single-az': 'Protected' }),
  // 4. Centralized inspection through a transit gateway (and a firewall attached to it natively).
  'aws-centralized-tgw-inspection': none({ inspection: 'Inspection', 'spoke-app': 'Protected' }),
  'aws-centralized-tgw-inspection-broken': {
    findings: ['tgw-appliance-mode-off error main.tf:92'],
    states: { inspection: 'Inspection', 'spoke-app': 'Protected' },
    score: 100,
    exit: 1,
  },
  // Spokes in other accounts behind a TGW shared through RAM (not in the inputs).
  'aws-shared-tgw-inspection': none({ 'org-inspection': 'Inspection' }, null),
  'aws-shared-tgw-inspection-broken': {
    findings: ['asymmetric-return-bypass error network.tf:150'],
    states: { 'org-inspection': 'Inspection' },
    score: null,
    exit: 1,
  },
  'aws-tgw-attached-firewall': none({ egress: 'Egress hub', 'spoke-app': 'Protected', 'spoke-data': 'Protected' }),
  // 5. Firewall instances.
  'aws-ngfw-instances': none({ 'app-vpc': 'Protected', 'security-vpc': 'Inspection' }),
  'aws-ngfw-instances-broken': {
    findings: ['blackhole-route error security.tf:131', 'uninspected-egress warning spoke.tf:46'],
    states: { 'app-vpc': 'Partially Protected', 'security-vpc': 'Inspection' },
    score: 50,
    exit: 1,
  },
  // 6. Azure Firewall and NVAs.
  'azure-hub-spoke-firewall': none({ 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Protected' }),
  'azure-hub-spoke-firewall-broken': {
    findings: ['uninspected-egress warning data.tf:3'],
    states: { 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Partially Protected' },
    score: 50,
    exit: 0,
  },
  'azure-hub-spoke-nva': none({ 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Protected' }),
  'azure-hub-spoke-nva-broken': {
    findings: ['uninspected-egress warning batch.tf:16'],
    states: { 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Partially Protected' },
    score: 50,
    exit: 0,
  },
  'azure-hub-spoke-nva-per-env': none({ 'vnet-hub': 'Inspection', 'vnet-spoke-dev': 'Protected', 'vnet-spoke-prod': 'Protected' }),
  'azure-hub-spoke-nva-per-env-broken': {
    // The NIC that does not forward (forward leg of the dev spoke), the prod spoke's own peering (its replies).
    findings: ['blackhole-route error nva-dev.tf:4', 'blackhole-route error spoke-prod.tf:28'],
    states: { 'vnet-hub': 'Inspection', 'vnet-spoke-dev': 'No Egress', 'vnet-spoke-prod': 'No Egress' },
    score: null,
    exit: 1,
  },
  // NVAs behind an internal Standard load balancer (HA ports): the UDR names the load balancer's frontend.
  'azure-hub-spoke-ilb': none({ 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Protected' }),
  'azure-hub-spoke-ilb-broken': {
    findings: ['blackhole-route error nva3.tf:28'],
    states: { 'vnet-hub': 'Inspection', 'vnet-spoke-app': 'Protected' },
    score: 100,
    exit: 1,
  },
  // An on-premises VNet whose VPN gateway learns a secured Virtual WAN hub's 0.0.0.0/0 over BGP.
  'azure-vwan-onprem-vpn': none({ 'vnet-onprem-dublin': 'Protected' }),
  'azure-vwan-onprem-vpn-broken': {
    findings: ['uninspected-egress warning onprem.tf:84'],
    states: { 'vnet-onprem-dublin': 'Unprotected' },
    score: 0,
    exit: 0,
  },
  'azure-cli-export': {
    findings: ['uninspected-egress warning route-table-list.json:46'],
    states: { 'vnet-hub': 'Inspection', 'vnet-spoke': 'Partially Protected' },
    score: 50,
    exit: 0,
  },
  // 7. Unknown firewalls: a firewall the model does not read.
  'aws-unknown-firewall': none({ 'ngfw-protected-vpc': 'Unknown' }, null),
  'aws-unknown-firewall-broken': {
    findings: ['uninspected-egress warning legacy.tf:16'],
    states: { 'ngfw-protected-vpc': 'Unknown' },
    score: null,
    exit: 0,
  },
  // Aviatrix spoke gateways with DCF.
  'aviatrix-dcf': {
    findings: [
      'dcf-permit-all-egress warning dcf.tf:118',
      'dcf-permit-all-egress warning dcf.tf:118',
      'dcf-not-covering warning spokes.tf:52',
      'gateway-undersized warning spokes.tf:72',
      'legacy-transit-egress info transit.tf:27',
    ],
    states: {
      'analytics-vpc': 'Unprotected',
      'dev-vpc': 'Monitored',
      'egress-transit-vpc': 'Egress hub',
      'prod-vpc': 'Protected',
      'sandbox-vpc': 'Monitored',
      'shared-svcs': 'Protected',
    },
    score: 50,
    exit: 0,
  },
};

const EXAMPLES = path.join(ROOT, 'examples');
const folders = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface Report {
  findings: { code: string; severity: string; location: { file: string; startLine: number } }[];
  states: { name: string; state: string }[];
  score: { score: number | null };
}

describe('cli: every example gives exactly the findings, states and score its README lists', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('every folder under examples/ has its expected verdicts here', () => {
    assert.deepEqual(
      folders.filter((f) => !EXPECTED[f]),
      [],
      'add a row to EXPECTED in test/unit/cli/examples.test.ts with the findings its README lists',
    );
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, function () {
      if (!folders.includes(name)) assert.fail(`examples/${name} is missing`);
      // Run from examples/ as a user would from their workspace: paths in the report are relative to it.
      const r = cli(['analyze', name, '--format', 'json'], EXAMPLES);
      assert.equal(r.stderr, '');
      const doc = JSON.parse(r.stdout) as Report;
      assert.deepEqual(
        doc.findings.map(
          (f) => `${f.code} ${f.severity} ${path.relative(name, f.location.file).split(path.sep).join('/')}:${f.location.startLine}`,
        ),
        want.findings,
      );
      assert.deepEqual(Object.fromEntries(doc.states.map((s) => [s.name, s.state])), want.states);
      assert.equal(doc.score.score, want.score);
      assert.equal(r.code, want.exit);
      // The README says what the user will see: every code, every state.
      const readme = fs.readFileSync(path.join(EXAMPLES, name, 'README.md'), 'utf8');
      for (const code of new Set(want.findings.map((f) => f.split(' ')[0])))
        assert.ok(readme.includes(`\`${code}\``), `README names ${code}`);
      if (want.findings.length === 0) assert.match(readme, /\*\*None\.\*\*|none/i, 'README says there are no findings');
      for (const state of new Set(Object.values(want.states))) assert.ok(readme.includes(state), `README names the state ${state}`);
    });
  }

  it('a -broken folder changes only what its README says: the files it shares with its example are the same', () => {
    const shared: Record<string, string[]> = {
      'aws-unknown-firewall-broken': ['main.tf', 'versions.tf'],
      'azure-hub-spoke-nva-broken': ['versions.tf', 'hub.tf', 'spoke.tf'],
      'azure-hub-spoke-nva-per-env-broken': ['versions.tf', 'hub.tf', 'spoke-dev.tf'],
      'azure-hub-spoke-ilb-broken': ['versions.tf', 'hub.tf', 'nva.tf', 'spoke.tf'],
      'azure-vwan-onprem-vpn-broken': ['hub.tf'],
    };
    for (const [broken, files] of Object.entries(shared)) {
      const ok = broken.replace(/-broken$/, '');
      for (const f of files)
        assert.equal(
          fs.readFileSync(path.join(EXAMPLES, broken, f), 'utf8'),
          fs.readFileSync(path.join(EXAMPLES, ok, f), 'utf8'),
          `examples/${broken}/${f} differs from examples/${ok}/${f}`,
        );
    }
  });
});

interface Egress {
  subnet: string;
  forward: { outcome: { kind: string; reason?: string } };
}

describe('cli: design 7, a firewall the model does not read (examples/aws-unknown-firewall)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  const run = (name: string) => JSON.parse(cli(['analyze', name, '--format', 'json', '--fail-on', 'never'], EXAMPLES).stdout);

  it('a route to the Cloud NGFW endpoint is Unknown with the firewall resource as the reason', () => {
    const doc = run('aws-unknown-firewall');
    const egress = doc.egress as Egress[];
    for (const az of ['a', 'b']) {
      const o = egress.find((e) => e.subnet === `aws_subnet.app["${az}"]`)!.forward.outcome;
      assert.equal(o.kind, 'unknown');
      assert.match(
        o.reason!,
        /: it names cloudngfwaws_ngfw egress-ngfw \(aws-unknown-firewall\/main\.tf:45; Palo Alto Cloud NGFW[^)]*\), which is not modelled$/,
      );
    }
    assert.match(doc.states[0].reason, /it names cloudngfwaws_ngfw egress-ngfw/);
  });

  it("the firewall's own subnets are never uninspected: their role is Unknown, naming the firewall", () => {
    for (const name of ['aws-unknown-firewall', 'aws-unknown-firewall-broken']) {
      const doc = run(name);
      for (const az of ['a', 'b']) {
        const o = (doc.egress as Egress[]).find((e) => e.subnet === `aws_subnet.firewall["${az}"]`)!.forward.outcome;
        assert.equal(o.kind, 'unknown', name);
        assert.match(
          o.reason!,
          new RegExp(
            `^whether ngfw-${az} is an endpoint subnet .* it holds egress-ngfw \\(${name}/main\\.tf:45\\), a cloudngfwaws_ngfw \\(Palo Alto Cloud NGFW`,
          ),
        );
      }
      const onFirewallSubnets = (doc.findings as { code: string; location: { file: string } }[]).filter((f) =>
        f.location.file.endsWith('/main.tf'),
      );
      assert.deepEqual(onFirewallSubnets, [], name);
    }
    const diag = run('aws-unknown-firewall').parseDiagnostics.find((d: { code: string }) => d.code === 'unmodelled-resource');
    assert.match(
      diag.message,
      /^cloudngfwaws_ngfw\.egress \(cloudngfwaws_ngfw: .*\) is not modelled: routes to it are Unknown, and so is egress from aws_subnet\.firewall\["a"\], aws_subnet\.firewall\["b"\]/,
    );
  });

  it("-broken: the subnet routed around the firewall is uninspected, fixed by the VPC's own design (its firewall endpoint), not a NAT GW + GWLB", () => {
    const doc = run('aws-unknown-firewall-broken');
    const [f] = doc.findings;
    assert.equal(f.code, 'uninspected-egress');
    assert.equal(
      f.fix.title,
      "Route 0.0.0.0/0 in batch-rt to the endpoint of egress-ngfw in the subnet's AZ instead of ngfw-igw, as app-a-rt does (cloudngfwaws_ngfw is not modelled: whether it inspects is not judged)",
    );
    assert.deepEqual(f.fix.edits, [], 'no mechanical edit: the endpoint id is the service');
  });
});

describe('cli: what Azure does not forward (examples/azure-hub-spoke-nva-per-env-broken)', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  interface Finding {
    code: string;
    elementId: string;
    location: { file: string; startLine: number };
    related: { location: { file: string; startLine: number } }[];
    fix: { title: string };
  }
  interface Leg {
    kind: string;
    cause?: string;
    at?: string;
  }
  const run = (name: string) => JSON.parse(cli(['analyze', name, '--format', 'json', '--fail-on', 'never'], EXAMPLES).stdout);
  const legs = (doc: { egress: { subnet: string; forward: { outcome: Leg }; return?: { outcome: Leg } }[] }, subnet: string) => {
    const e = doc.egress.find((x) => x.subnet === subnet)!;
    return { forward: e.forward.outcome, back: e.return?.outcome };
  };

  it('correct: both spokes go out and come back through their own NVA', () => {
    const doc = run('azure-hub-spoke-nva-per-env');
    for (const s of ['azurerm_subnet.prod_app', 'azurerm_subnet.dev_app']) {
      const { forward, back } = legs(doc, s);
      assert.equal(forward.kind, 'delivered', s);
      assert.equal(back?.kind, 'delivered', s);
    }
  });

  it('a NIC whose IP forwarding is left out: the forward leg is dropped at the route, the finding sits on the NIC', () => {
    const doc = run('azure-hub-spoke-nva-per-env-broken');
    const { forward, back } = legs(doc, 'azurerm_subnet.dev_app');
    assert.deepEqual([forward.kind, forward.cause, forward.at], ['dropped', 'ip-forwarding-off', 'azurerm_route_table.dev#0']);
    assert.equal(back, undefined, 'nothing leaves, so no reply is traced');
    const f = (doc.findings as Finding[]).find((x) => x.elementId === 'azurerm_network_interface.nva_dev')!;
    assert.equal(f.code, 'blackhole-route');
    assert.deepEqual([f.location.file, f.location.startLine], ['azure-hub-spoke-nva-per-env-broken/nva-dev.tf', 4]);
    assert.deepEqual(
      f.related.map((r) => `${r.location.file}:${r.location.startLine}`),
      ['azure-hub-spoke-nva-per-env-broken/spoke-dev.tf:40'],
    );
    assert.equal(f.fix.title, "Enable IP forwarding on nic-nva-dev (ip_forwarding_enabled = true) and in the appliance's operating system");
  });

  it("the spoke's own peering without allow_forwarded_traffic: traffic leaves through the NVA, the reply is dropped at that peering", () => {
    const doc = run('azure-hub-spoke-nva-per-env-broken');
    const { forward, back } = legs(doc, 'azurerm_subnet.prod_app');
    assert.equal(forward.kind, 'delivered');
    assert.deepEqual(
      [back?.kind, back?.cause, back?.at],
      ['dropped', 'forwarded-traffic-refused', 'azurerm_virtual_network_peering.prod_to_hub'],
    );
    const f = (doc.findings as Finding[]).find((x) => x.elementId === 'azurerm_virtual_network_peering.prod_to_hub')!;
    assert.equal(f.code, 'blackhole-route');
    assert.deepEqual([f.location.file, f.location.startLine], ['azure-hub-spoke-nva-per-env-broken/spoke-prod.tf', 28]);
    assert.equal(f.fix.title, 'Allow forwarded traffic on peering prod-to-hub (allow_forwarded_traffic = true)');
  });
});

describe('cli: the text report names each egress design', function () {
  this.timeout(120_000);
  before(ensureBuilt);
  const DESIGNS: [example: string, subnet: string, design: string][] = [
    ['aws-distributed-egress-ok', 'app-a (workload-vpc)', 'distributed, GWLB, inspection after NAT'],
    ['aws-inspection-before-nat', 'app-a (workload-vpc)', 'distributed, GWLB, inspection before NAT'],
    ['aws-network-firewall', 'protected-a (protected-vpc)', 'distributed, AWS Network Firewall'],
    ['aws-centralized-tgw-inspection', 'spoke-app-a (spoke-app)', 'centralized via TGW, AWS Network Firewall, inspection before NAT'],
    ['aws-tgw-attached-firewall', 'app-a-workload (spoke-app)', 'centralized via TGW, AWS Network Firewall attached to the TGW'],
    ['aws-ngfw-instances', 'app-a (app-vpc)', 'centralized via TGW, firewall instance'],
    ['azure-hub-spoke-nva', 'snet-app (vnet-spoke-app)', 'hub-spoke through the hub firewall'],
    ['azure-hub-spoke-ilb', 'snet-app (vnet-spoke-app)', 'hub-spoke through the hub firewall'],
    ['aviatrix-dcf', 'prod-vpc (prod-vpc)', 'Aviatrix spoke gateway, local egress'],
    // A branch VNet whose VPN gateway learns the hub's 0.0.0.0/0: the firewall is the hub's, in no VNet.
    ['azure-vwan-onprem-vpn', 'snet-servers (vnet-onprem-dublin)', 'secured Virtual WAN hub'],
  ];
  for (const [example, subnet, design] of DESIGNS)
    it(`${example}: ${design}`, () => {
      const text = cli(['analyze', example, '--fail-on', 'never'], EXAMPLES).stdout;
      assert.ok(text.split('\n').includes(`  ${subnet}  design: ${design}`), text);
    });

  it('a path that is not inspected, or stops before the internet, names no design', () => {
    const text = cli(['analyze', 'aws-unknown-firewall-broken', '--fail-on', 'never'], EXAMPLES).stdout;
    assert.ok(text.split('\n').includes('  batch-a (ngfw-protected-vpc)'), text);
    assert.doesNotMatch(text, /design:/);
  });
});
