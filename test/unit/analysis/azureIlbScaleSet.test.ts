// F87: the NVAs behind an Azure internal load balancer run as a scale set: its network interfaces put every
// instance into the backend pools their IP configurations name, and one appliance stands for the set's instances
// (per interface), forwarding as the interface's flag says.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText } from '../exampleVariant';

/** The ILB example's hub (load balancer, HA ports rule, pool) and spoke, with a scale set instead of its two VMs. */
async function withScaleSet(scaleSet: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const f of ['versions.tf', 'hub.tf', 'spoke.tf']) ws.setFile(f, variantText('azure-hub-spoke-ilb', f, []));
  ws.setFile('vmss.tf', scaleSet);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const nic = (name: string, subnet: string, extra: string, pool: boolean, pub = false) => `
  network_interface {
    name    = "${name}"
    primary = ${name === 'outside'}
${extra}
    ip_configuration {
      name      = "ipconfig"
      primary   = true
      subnet_id = azurerm_subnet.${subnet}.id
${pool ? '      load_balancer_backend_address_pool_ids = [azurerm_lb_backend_address_pool.nva.id]\n' : ''}${pub ? '      public_ip_address {\n        name = "pip"\n      }\n' : ''}    }
  }`;

const vmss = (type: string, inside: string, outside = '    ip_forwarding_enabled = true') => `
resource "${type}" "nva" {
  name                = "vmss-nva"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  sku                 = "Standard_D2s_v5"
  instances           = 2
  custom_data         = base64encode("#!/bin/bash\niptables -P FORWARD DROP\niptables -A FORWARD -d 203.0.113.0/24 -p tcp --dport 443 -j ACCEPT\n")
${nic('outside', 'outside', outside, false, true)}
${nic('inside', 'inside', inside, true)}
}
`;

const app = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'azurerm_subnet.app')!;
const stateOf = (r: AnalysisResult, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;
const reason = (r: AnalysisResult) => {
  const o = app(r).forward.outcome;
  return o.kind === 'unknown' || o.kind === 'dropped' ? o.reason : '';
};

describe('analysis: Azure internal load balancer in front of a scale set of NVAs (F87)', function () {
  this.timeout(60_000);

  for (const [type, flag] of [
    ['azurerm_linux_virtual_machine_scale_set', 'ip_forwarding_enabled'],
    ['azurerm_windows_virtual_machine_scale_set', 'enable_ip_forwarding'],
    ['azurerm_orchestrated_virtual_machine_scale_set', 'ip_forwarding_enabled'],
  ])
    it(`${type} (${flag}): the spoke goes through the load balancer to the set's inside interface, out of its outside one`, async () => {
      const r = await withScaleSet(vmss(type, `    ${flag} = true`, `    ${flag} = true`));
      const e = app(r);
      assert.deepEqual(
        e.forward.hops.map((h) => h.name),
        ['snet-app', 'lb-nva-inside', 'vmss-nva/inside', 'internet'],
      );
      assert.match(e.forward.hops[1].note, /to backend pool pool-nva-inside, whose one appliance is vmss-nva\/inside/);
      assert.match(e.forward.hops[2].note, /forwards out of its interface vmss-nva\/outside/);
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      assert.deepEqual(r.findings, []);
    });

  it('the legacy azurerm_virtual_machine_scale_set (network_profile, ip_forwarding) too', async () => {
    const legacy = vmss('azurerm_virtual_machine_scale_set', '    ip_forwarding = true', '    ip_forwarding = true')
      .replaceAll('network_interface {', 'network_profile {')
      .replace('public_ip_address {', 'public_ip_address_configuration {');
    const r = await withScaleSet(legacy);
    assert.deepEqual(
      app(r).forward.hops.map((h) => h.name),
      ['snet-app', 'lb-nva-inside', 'vmss-nva/inside', 'internet'],
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it("the pool's interface without IP forwarding (not written: off by default): every flow is dropped there, blackhole-route at the scale set's interface", async () => {
    const text = vmss('azurerm_linux_virtual_machine_scale_set', '');
    const r = await withScaleSet(text);
    assert.equal(app(r).forward.outcome.kind, 'dropped');
    assert.match(
      reason(r),
      /hands flows to network interface vmss-nva\/inside \(backend pool pool-nva-inside\), which does not forward \(ip_forwarding_enabled not set, off by default\)/,
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'No Egress');
    const f = r.findings.filter((x) => x.code === 'blackhole-route');
    // At the inside interface's block (no flag written there).
    const inside = text.split('\n').findIndex((l) => l.includes('name    = "inside"')) - 1;
    assert.deepEqual(
      f.map((x) => [x.location.file, x.location.range.start.line]),
      [['vmss.tf', inside]],
    );
    assert.match(f[0].fix?.title ?? '', /\(ip_forwarding_enabled = true in network_interface inside of vmss-nva\)/);
    assert.match(f[0].related[0].message, /puts vmss-nva\/inside in backend pool pool-nva-inside/);
  });

  it('a flag the inputs cannot decide: Unknown, naming it', async () => {
    const r = await withScaleSet(
      vmss('azurerm_linux_virtual_machine_scale_set', '    ip_forwarding_enabled = var.forwarding') +
        'variable "forwarding" {\n  type = bool\n}\n',
    );
    assert.equal(app(r).forward.outcome.kind, 'unknown');
    assert.match(reason(r), /member azurerm_linux_virtual_machine_scale_set.nva of backend pool pool-nva-inside: `var.forwarding`/);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
  });

  it('a scale set in no pool adds no member: the empty pool stays Unknown', async () => {
    const r = await withScaleSet(
      vmss('azurerm_linux_virtual_machine_scale_set', '    ip_forwarding_enabled = true').replace(
        / {6}load_balancer_backend_address_pool_ids.*\n/,
        '',
      ),
    );
    assert.match(reason(r), /backend pool pool-nva-inside has no member in the inputs/);
  });
});
