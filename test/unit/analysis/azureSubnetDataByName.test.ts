// A `data "azurerm_subnet"` whose name, VNet name and resource group are those of a subnet of the inputs (a vendor's
// cluster template reusing its own subnets this way) is that subnet: a NIC placed through it sits in that subnet, and
// an address computed from its `address_prefix` is known. A data source naming anything else stays a provider read.
// Field: a Check Point cluster on Azure whose members' NICs and backend load balancer find their subnets so; the
// frontend/backend subnets looked empty and drew warnings whose fixes sent the cluster's interfaces to its own load
// balancer. Configurations written for these tests on our own example.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const EXAMPLE = 'azure-hub-spoke-nva';

/** The example with the NVA's NIC placed through a data source `lookup` (its body given), its address from the prefix. */
function viaData(body: string, address = 'cidrhost(data.azurerm_subnet.lookup.address_prefix, 4)'): Record<string, string> {
  const files = exampleTfFiles(EXAMPLE);
  files['hub.tf'] = replaceOnce(
    files['hub.tf'],
    ['    subnet_id                     = azurerm_subnet.nva.id\n', '    subnet_id                     = data.azurerm_subnet.lookup.id\n'],
    ['    private_ip_address            = "10.0.1.4"\n', `    private_ip_address            = ${address}\n`],
  );
  files['lookup.tf'] = `data "azurerm_subnet" "lookup" {\n${body}}\n`;
  return files;
}

const SAME = `  name                 = azurerm_subnet.nva.name
  virtual_network_name = azurerm_virtual_network.hub.name
  resource_group_name  = azurerm_resource_group.net.name
`;

const view = (r: Awaited<ReturnType<typeof analyzeFiles>>) => ({
  states: r.states.map((s) => [s.vpc, s.state]),
  findings: r.findings.map((f) => [f.code, f.severity, f.message]),
  paths: r.egress.map((e) => [e.subnet, e.forward.outcome.kind, e.forward.hops.map((h) => h.element).join(' ')]),
});

describe('data "azurerm_subnet" naming a subnet of the inputs', () => {
  it('is that subnet: the same states, findings and paths as the direct reference', async () => {
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    const r = await analyzeFiles(viaData(SAME));
    assert.deepEqual(view(r), view(base));
    assert.ok(r.states.length > 0);
  });

  it("a VNet name or resource group that differs from the subnet's is a provider read (not that subnet)", async () => {
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    for (const body of [
      SAME.replace('azurerm_virtual_network.hub.name', 'azurerm_virtual_network.spoke.name'),
      SAME.replace('azurerm_resource_group.net.name', '"rg-other"'),
      `${SAME}  provider_extra        = "x"\n`,
      // Another provider configuration (another subscription, whose subnet of that name is another object).
      `${SAME}  provider             = azurerm.spoke\n`,
    ]) {
      const r = await analyzeFiles(viaData(body));
      assert.notDeepEqual(view(r), view(base), body);
    }
  });

  it("a name that is a string, not the resource's name attribute, is a provider read", async () => {
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    const r = await analyzeFiles(viaData(SAME.replace('azurerm_subnet.nva.name', '"snet-nva"')));
    assert.notDeepEqual(view(r), view(base));
  });
});
