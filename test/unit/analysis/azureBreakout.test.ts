// An Azure table that writes 0.0.0.0/0 -> Internet itself beside routes to the firewall is a breakout someone chose
// (an Application Gateway v2 subnet whose gateway another configuration deploys): the uninspected-egress advice asks
// why before it reroutes, since rerouting would break such a gateway. A table that only sends 0.0.0.0/0 to Internet
// keeps the plain reroute advice.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { repoRoot } from '../parse/helpers';

const base = readFileSync(join(repoRoot(), 'examples', 'azure-hub-spoke-firewall', 'main.tf'), 'utf8');

function gatewaySubnet(routes: string): string {
  return `
resource "azurerm_subnet" "agw" {
  name                 = "snet-agw"
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

async function fixOf(routes: string): Promise<string> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', base + gatewaySubnet(routes));
  const b = ws.build();
  const r = analyze(b.model, {}, b.diagnostics);
  const f = r.findings.find((x) => x.code === 'uninspected-egress' && (x.traces ?? []).includes('azurerm_subnet.agw'));
  assert.ok(f, 'uninspected-egress on snet-agw');
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
});
