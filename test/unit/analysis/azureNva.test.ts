// An Azure NVA that is a virtual machine (examples/azure-hub-spoke-nva): the UDR's next hop written as the
// VM's address attribute reaches its forwarding NIC, and the NVA's own subnet is never a workload, also
// when a next hop the inputs cannot tie to an appliance might be it.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

const FILES = ['versions.tf', 'hub.tf', 'spoke.tf'];

async function run(edits: Edit[] = []): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const f of FILES) ws.setFile(f, variantText('azure-hub-spoke-nva', f, edits));
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;

// A second VM in the NVA subnet whose NIC forwards or not by a variable without a value, and the spoke's
// next hop written as its address: which appliance (if any) the route reaches cannot be decided.
const SECOND_NVA = `
variable "nva2_forwarding" {
  type = bool
}

resource "azurerm_network_interface" "nva2" {
  name                  = "nic-nva2"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = var.nva2_forwarding

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "nva2" {
  name                  = "vm-nva2"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nva2.id]
}
`;

describe('analysis: Azure NVA as a virtual machine', function () {
  this.timeout(60_000);

  it("the UDR to the VM's private_ip_address reaches its forwarding NIC both ways; the NVA subnet is no source", async () => {
    const r = await run();
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['azurerm_subnet.app'],
    );
    const eg = r.egress[0];
    for (const leg of [eg.forward, eg.return!]) {
      assert.deepEqual(leg.outcome, { kind: 'delivered' });
      assert.deepEqual(
        leg.inspectedBy.map((i) => i.element),
        ['azurerm_network_interface.nva'],
      );
    }
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
  });

  it('a next hop the inputs cannot tie to an appliance may be the NVA: its subnet stays no source, no uninspected-egress there', async () => {
    const r = await run([
      { file: 'hub.tf', append: SECOND_NVA },
      {
        file: 'spoke.tf',
        replace: ['azurerm_linux_virtual_machine.nva.private_ip_address', 'azurerm_linux_virtual_machine.nva2.private_ip_address'],
      },
    ]);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.elementId}`),
      [],
    );
    assert.ok(!r.egress.some((e) => e.subnet === 'azurerm_subnet.nva'), 'the NVA subnet is not traced as a source');
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
    assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
  });
});
