import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// Azure Virtual WAN: a VNet connected to a virtual hub takes the routes the hub gives it (0.0.0.0/0 to the
// hub's firewall when the connection has internet security), which beat Azure's system route 0.0.0.0/0 -> Internet.
describe('analysis: Azure Virtual WAN hub connections', function () {
  this.timeout(30000);

  const spoke = `
resource "azurerm_virtual_wan" "wan" {
  name                = "vwan-corp"
  resource_group_name = "rg-wan"
  location            = "northeurope"
}
resource "azurerm_virtual_hub" "hub" {
  name                = "vhub-north"
  resource_group_name = "rg-wan"
  location            = "northeurope"
  virtual_wan_id      = azurerm_virtual_wan.wan.id
  address_prefix      = "10.60.0.0/23"
}
resource "azurerm_virtual_network" "shop" {
  name                = "vnet-shop"
  resource_group_name = "rg-shop"
  location            = "northeurope"
  address_space       = ["10.61.0.0/16"]
}
resource "azurerm_subnet" "web" {
  name                 = "snet-web"
  resource_group_name  = "rg-shop"
  virtual_network_name = azurerm_virtual_network.shop.name
  address_prefixes     = ["10.61.1.0/24"]
}
`;
  const connection = `
resource "azurerm_virtual_hub_connection" "shop" {
  name                      = "conn-shop"
  virtual_hub_id            = azurerm_virtual_hub.hub.id
  remote_virtual_network_id = azurerm_virtual_network.shop.id
  internet_security_enabled = true
}
`;

  async function run(text: string) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('without a hub connection the system route decides: Unprotected, with its warning', async () => {
    const r = await run(spoke);
    assert.equal(r.egress.find((e) => e.subnet === 'azurerm_subnet.web')?.forward.outcome.kind, 'delivered');
    assert.equal(r.states.find((s) => s.name === 'vnet-shop')?.state, 'Unprotected');
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['uninspected-egress'],
    );
  });

  it('a VNet connected to a hub the model does not follow: its system route lookup is Unknown, no warning', async () => {
    const r = await run(spoke + connection);
    const path = r.egress.find((e) => e.subnet === 'azurerm_subnet.web');
    assert.equal(path?.forward.outcome.kind, 'unknown');
    assert.match(path?.forward.outcome.reason ?? '', /azurerm_virtual_hub_connection conn-shop .* is not modelled and may change them/);
    assert.equal(r.states.find((s) => s.name === 'vnet-shop')?.state, 'Unknown');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
  });
});
