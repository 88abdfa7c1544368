// An Azure table that writes 0.0.0.0/0 -> Internet itself beside routes to the firewall is a breakout someone chose
// (an Application Gateway v2 subnet whose gateway another configuration deploys): the uninspected-egress advice asks
// why before it reroutes, since rerouting would break such a gateway. A table that only sends 0.0.0.0/0 to Internet
// keeps the plain reroute advice. An empty subnet named for an Application Gateway is reserved for that gateway
// (F183): no source, no advice; holding a VM, it is a workload subnet again and gets the advice.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { repoRoot } from '../parse/helpers';

const base = readFileSync(join(repoRoot(), 'examples', 'azure-hub-spoke-firewall', 'main.tf'), 'utf8');

function gatewaySubnet(routes: string, name: string): string {
  return `
resource "azurerm_subnet" "agw" {
  name                 = "${name}"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.9.0/24"]
}

resource "azurerm_route_table" "agw" {
  name                = "rt-agw"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
${routes}
}

resource "azurerm_subnet_route_table_association" "agw" {
  subnet_id      = azurerm_subnet.agw.id
  route_table_id = azurerm_route_table.agw.id
}
`;
}

const internet = `
  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
`;
const privateToFirewall = `
  route {
    name                   = "private-via-firewall"
    address_prefix         = "10.0.0.0/8"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
  }
`;

const vmInSubnet = `
resource "azurerm_network_interface" "web" {
  name                = "nic-web"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.agw.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_linux_virtual_machine" "web" {
  name                  = "vm-web"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.web.id]
}
`;

async function findingOn(routes: string, name: string, extra = '') {
  const ws = await createWorkspace();
  ws.setFile('main.tf', base + gatewaySubnet(routes, name) + extra);
  const b = ws.build();
  const r = analyze(b.model, {}, b.diagnostics);
  return r.findings.find((x) => x.code === 'uninspected-egress' && (x.traces ?? []).includes('azurerm_subnet.agw'));
}

async function fixOf(routes: string, name = 'snet-web', extra = ''): Promise<string> {
  const f = await findingOn(routes, name, extra);
  assert.ok(f, `uninspected-egress on ${name}`);
  return f.fix!.title;
}

describe('uninspected-egress: an Azure table whose 0.0.0.0/0 -> Internet is written beside routes to the firewall', function () {
  this.timeout(60000);

  it('asks why before rerouting: an Application Gateway v2 subnet needs that route', async () => {
    const title = await fixOf(internet + privateToFirewall);
    assert.match(
      title,
      /^Check why rt-agw writes 0\.0\.0\.0\/0 -> Internet beside its routes to a virtual appliance: an Application Gateway v2/,
    );
    assert.match(title, /if the subnet holds no such service, route 0\.0\.0\.0\/0 to the hub firewall or NVA/);
  });

  it('a table that only sends 0.0.0.0/0 to Internet keeps the plain reroute advice', async () => {
    const title = await fixOf(internet);
    assert.equal(title, 'Route 0.0.0.0/0 in rt-agw to the hub firewall or NVA (next hop VirtualAppliance) instead of Internet');
  });

  it('an empty subnet named snet-agw is reserved for an Application Gateway deployed elsewhere: no finding (F183)', async () => {
    assert.equal(await findingOn(internet + privateToFirewall, 'snet-agw'), undefined);
    assert.equal(await findingOn(internet, 'snet-agw'), undefined);
  });

  it('a VM in the subnet named snet-agw makes it a workload subnet again: the advice comes back', async () => {
    assert.match(await fixOf(internet + privateToFirewall, 'snet-agw', vmInSubnet), /^Check why rt-agw writes 0\.0\.0\.0\/0 -> Internet/);
    assert.equal(
      await fixOf(internet, 'snet-agw', vmInSubnet),
      'Route 0.0.0.0/0 in rt-agw to the hub firewall or NVA (next hop VirtualAppliance) instead of Internet',
    );
  });
});
