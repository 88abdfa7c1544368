import * as assert from 'node:assert/strict';
import { exampleVariant } from '../exampleVariant';
import { cli, ensureBuilt } from './cliHarness';

// issue 15, design 6 with a Virtual WAN hub: an on-premises site simulated by a VNet learns the secured hub's
// 0.0.0.0/0 over BGP through its own VPN gateway (examples/azure-vwan-onprem-vpn and its broken twin), run as
// a user runs the CLI.
interface Report {
  findings: {
    code: string;
    severity: string;
    elementId: string;
    message: string;
    location: { file: string; startLine: number };
    fix?: { title: string };
  }[];
  states: { vpc: string; state: string }[];
  egress: {
    subnet: string;
    forward: { hops: { element: string; note: string }[]; inspectedBy: { element: string }[]; outcome: { kind: string } };
    return?: { inspectedBy: { element: string }[] };
  }[];
}

function analyze(dir: string, ...more: string[]): { code: number | null; doc: Report } {
  const r = cli(['analyze', dir, '--format', 'json', ...more]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Report };
}

describe('cli: an on-premises VNet behind a secured Virtual WAN hub (VPN with BGP)', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('azure-vwan-onprem-vpn: the servers leave through the hub firewall by the learned 0.0.0.0/0, both ways; Protected, no finding', () => {
    const { code, doc } = analyze('examples/azure-vwan-onprem-vpn');
    assert.equal(code, 0);
    assert.deepEqual(doc.findings, []);
    assert.deepEqual(
      doc.egress.map((e) => e.subnet),
      ['azurerm_subnet.servers'],
      'GatewaySubnet is the gateway’s own, not a source',
    );
    const servers = doc.egress[0];
    assert.deepEqual(
      servers.forward.hops.map((h) => h.element),
      ['azurerm_subnet.servers', 'azurerm_firewall.hub', 'internet'],
    );
    assert.match(
      servers.forward.hops[0].note,
      /0\.0\.0\.0\/0 learned over BGP by gateway vgw-dublin \(connection cn-dublin-to-vhub\) from virtual hub/,
    );
    assert.deepEqual(
      servers.return?.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.deepEqual(
      doc.states.map((s) => `${s.vpc} ${s.state}`),
      ['azurerm_virtual_network.onprem Protected'],
    );
  });

  it('azure-vwan-onprem-vpn-broken: propagation off keeps the hub’s route out; one warning on the route table whose fix turns it back on', () => {
    const { code, doc } = analyze('examples/azure-vwan-onprem-vpn-broken');
    assert.equal(code, 0, 'a warning only');
    assert.equal(analyze('examples/azure-vwan-onprem-vpn-broken', '--fail-on', 'warning').code, 1);
    assert.deepEqual(
      doc.findings.map((f) => `${f.code}/${f.severity} ${f.elementId} ${f.location.file}:${f.location.startLine}`),
      ['uninspected-egress/warning azurerm_route_table.servers examples/azure-vwan-onprem-vpn-broken/onprem.tf:84'],
    );
    const f = doc.findings[0];
    assert.match(
      f.message,
      /rt-servers turns gateway route propagation off, so the 0\.0\.0\.0\/0 that gateway vgw-dublin learns to afw-vhub-ne never reaches it/,
    );
    assert.match(
      f.fix?.title ?? '',
      /^Turn gateway route propagation on in rt-servers \(bgp_route_propagation_enabled = true; in azurerm 3, disable_bgp_route_propagation = false\): gateway vgw-dublin learns 0\.0\.0\.0\/0 to the hub firewall afw-vhub-ne/,
    );
    assert.deepEqual(doc.egress[0].forward.inspectedBy, []);
    assert.deepEqual(
      doc.states.map((s) => `${s.vpc} ${s.state}`),
      ['azurerm_virtual_network.onprem Unprotected'],
    );
    // Applying the fix as written gives the correct example's verdicts.
    const fixed = exampleVariant('azure-vwan-onprem-vpn-broken', [
      { file: 'onprem.tf', replace: ['bgp_route_propagation_enabled = false', 'bgp_route_propagation_enabled = true'] },
    ]);
    const after = analyze(fixed);
    assert.equal(after.code, 0);
    assert.deepEqual(after.doc.findings, []);
    assert.deepEqual(
      after.doc.states.map((s) => s.state),
      ['Protected'],
    );
  });

  it('a UDR 0.0.0.0/0 to the Internet on the servers beats the hub’s learned 0.0.0.0/0 (equal prefixes: the UDR wins)', () => {
    const dir = exampleVariant('azure-vwan-onprem-vpn', [
      {
        file: 'onprem.tf',
        replace: [
          '  route {\n    name           = "lab-range-blackhole"',
          '  route {\n    name           = "direct"\n    address_prefix = "0.0.0.0/0"\n    next_hop_type  = "Internet"\n  }\n  route {\n    name           = "lab-range-blackhole"',
        ],
      },
    ]);
    const { doc } = analyze(dir, '--fail-on', 'never');
    assert.deepEqual(doc.egress[0].forward.inspectedBy, []);
    assert.deepEqual(
      doc.findings.map((f) => `${f.code} ${f.elementId}`),
      ['uninspected-egress azurerm_route_table.servers#0'],
    );
    assert.deepEqual(
      doc.states.map((s) => s.state),
      ['Unprotected'],
    );
  });
});
