import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import { designName } from '../../../src/analysis/verdict';

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
  const connection = (security: string) => `
resource "azurerm_virtual_hub_connection" "shop" {
  name                      = "conn-shop"
  virtual_hub_id            = azurerm_virtual_hub.hub.id
  remote_virtual_network_id = azurerm_virtual_network.shop.id
${security}
}
`;
  // A secured hub: Azure Firewall in the hub, routing intent sending Internet and private traffic to it.
  const securedHub = `
resource "azurerm_firewall_policy" "hub" {
  name                = "afwp-north"
  resource_group_name = "rg-wan"
  location            = "northeurope"
}
resource "azurerm_firewall_policy_rule_collection_group" "hub" {
  name               = "rcg-egress"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 200
  network_rule_collection {
    name     = "egress"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "any"
      protocols             = ["Any"]
      source_addresses      = ["*"]
      destination_addresses = ["*"]
      destination_ports     = ["*"]
    }
  }
}
resource "azurerm_firewall" "hub" {
  name                = "afw-north"
  resource_group_name = "rg-wan"
  location            = "northeurope"
  sku_name            = "AZFW_Hub"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id
  virtual_hub {
    virtual_hub_id  = azurerm_virtual_hub.hub.id
    public_ip_count = 1
  }
}
resource "azurerm_virtual_hub_routing_intent" "hub" {
  name           = "intent-north"
  virtual_hub_id = azurerm_virtual_hub.hub.id
  routing_policy {
    name         = "internet"
    destinations = ["Internet"]
    next_hop     = azurerm_firewall.hub.id
  }
  routing_policy {
    name         = "private"
    destinations = ["PrivateTraffic"]
    next_hop     = azurerm_firewall.hub.id
  }
}
`;
  const hubRouteTable = `
resource "azurerm_virtual_hub_route_table" "custom" {
  name           = "rt-custom"
  virtual_hub_id = azurerm_virtual_hub.hub.id
  route {
    name              = "default"
    destinations_type = "CIDR"
    destinations      = ["0.0.0.0/0"]
    next_hop_type     = "ResourceId"
    next_hop          = azurerm_virtual_hub_connection.shop.id
  }
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

  const web = (r: Awaited<ReturnType<typeof run>>) => r.egress.find((e) => e.subnet === 'azurerm_subnet.web');
  const reason = (r: Awaited<ReturnType<typeof run>>): string => {
    const o = web(r)?.forward.outcome;
    return o && 'reason' in o ? String(o.reason) : '';
  };
  const state = (r: Awaited<ReturnType<typeof run>>) => r.states.find((s) => s.name === 'vnet-shop')?.state;

  it('internet security on and routing intent to the hub firewall: 0.0.0.0/0 goes to the firewall, Monitored by its policy', async () => {
    const r = await run(spoke + securedHub + connection('  internet_security_enabled = true'));
    const path = web(r);
    assert.equal(path?.forward.outcome.kind, 'delivered');
    assert.deepEqual(
      path?.forward.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.match(path?.forward.hops[0].note ?? '', /0\.0\.0\.0\/0 learned from virtual hub vhub-north over connection conn-shop/);
    assert.deepEqual(
      path?.return?.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.equal(state(r), 'Monitored');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
    // The firewall is the hub's, in no VNet: the design is named for the hub, not "firewall in the VNet".
    assert.equal(path?.forward.inspectedBy[0].hub, 'azurerm_virtual_hub.hub');
    assert.equal(designName(path), 'secured Virtual WAN hub');
  });

  it('internet security off (or not written): the hub keeps its default route, the system route decides', async () => {
    for (const security of ['  internet_security_enabled = false', '']) {
      const r = await run(spoke + securedHub + connection(security));
      assert.equal(web(r)?.forward.inspectedBy.length, 0, security);
      assert.equal(state(r), 'Unprotected', security);
    }
  });

  it('internet security on but no Internet routing policy in the hub: no default route to learn, the system route decides', async () => {
    const r = await run(spoke + connection('  internet_security_enabled = true'));
    assert.equal(web(r)?.forward.outcome.kind, 'delivered');
    assert.equal(state(r), 'Unprotected');
  });

  // F301c: the fix of an uninspected Virtual WAN spoke says what the hub lacks, never "the hub firewall" it has not.
  const fix = (r: Awaited<ReturnType<typeof run>>): string =>
    r.findings.find((f) => f.code === 'uninspected-egress' && f.traces?.includes('azurerm_subnet.web'))?.fix?.title ?? '';

  it('a hub without a firewall: the fix makes it a secured hub (firewall or NVA, routing intent) and turns internet security on', async () => {
    assert.equal(
      fix(await run(spoke + connection(''))),
      'Make virtual hub vhub-north a secured hub, as it has no firewall: an Azure Firewall in it (azurerm_firewall with sku_name AZFW_Hub and a virtual_hub block) or an NVA in the hub, with routing intent sending Internet traffic there (azurerm_virtual_hub_routing_intent, an Internet policy); then turn internet_security_enabled on in conn-shop, so the hub programs 0.0.0.0/0 into this VNet',
    );
    // Internet security already on: only the hub is missing.
    assert.match(fix(await run(spoke + connection('  internet_security_enabled = true'))), /an Internet policy\)$/);
  });

  it('a secured hub and internet security off: the fix turns it on, naming the hub firewall', async () => {
    assert.equal(
      fix(await run(spoke + securedHub + connection('  internet_security_enabled = false'))),
      'Turn internet_security_enabled on in conn-shop, so the hub programs 0.0.0.0/0 into this VNet: virtual hub vhub-north sends internet traffic to its firewall afw-north',
    );
  });

  it('a hub firewall without routing intent, internet security on: the fix sets routing intent (or a hub route) to it (review s18 R15)', async () => {
    const intent = securedHub.indexOf('resource "azurerm_virtual_hub_routing_intent"');
    const firewallOnly = securedHub.slice(0, intent);
    assert.equal(
      fix(await run(spoke + firewallOnly + connection('  internet_security_enabled = true'))),
      "Set routing intent on virtual hub vhub-north sending Internet traffic to its firewall afw-north (azurerm_virtual_hub_routing_intent, an Internet policy), or add 0.0.0.0/0 -> afw-north to the hub's default route table: the VNet's connections already take the hub's default route (internet_security_enabled), but nothing in the hub sends internet traffic to the firewall",
    );
  });

  it("a secured hub, internet security on, and the subnet's own 0.0.0.0/0 -> Internet: the fix removes it", async () => {
    const udr = `
resource "azurerm_route_table" "web" {
  name                = "rt-web"
  resource_group_name = "rg-shop"
  location            = "northeurope"
  route {
    name           = "direct"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
}
resource "azurerm_subnet_route_table_association" "web" {
  subnet_id      = azurerm_subnet.web.id
  route_table_id = azurerm_route_table.web.id
}
`;
    assert.equal(
      fix(await run(spoke + securedHub + connection('  internet_security_enabled = true') + udr)),
      "Remove 0.0.0.0/0 -> Internet from rt-web, which overrides the hub's route: virtual hub vhub-north sends internet traffic to its firewall afw-north",
    );
  });

  it('an undecided internet security flag, or a hub route table the model does not follow: Unknown, no warning', async () => {
    const undecided = await run(spoke + securedHub + connection('  internet_security_enabled = var.secure') + 'variable "secure" {}\n');
    assert.equal(web(undecided)?.forward.outcome.kind, 'unknown');
    assert.match(reason(undecided), /whether hub connection conn-shop propagates the hub's default route/);
    assert.equal(state(undecided), 'Unknown');
    const custom = await run(spoke + connection('  internet_security_enabled = true') + hubRouteTable);
    assert.equal(web(custom)?.forward.outcome.kind, 'unknown');
    assert.match(reason(custom), /hub route table rt-custom of vhub-north is not its default route table \(defaultRouteTable\)/);
    assert.deepEqual(
      custom.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
  });

  // Firewall Manager's secured hub before routing intent (F111): a static route 0.0.0.0/0 -> the hub's Azure
  // Firewall in the hub's default route table, learned by the connections associated with it (internet security on).
  const hubFirewall = `
resource "azurerm_firewall_policy" "hub" {
  name                = "afwp-north"
  resource_group_name = "rg-wan"
  location            = "northeurope"
}
resource "azurerm_firewall_policy_rule_collection_group" "hub" {
  name               = "rcg-egress"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 200
  application_rule_collection {
    name     = "updates"
    priority = 100
    action   = "Allow"
    rule {
      name              = "os-updates"
      source_addresses  = ["10.61.0.0/16"]
      destination_fqdns = ["packages.example.org"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }
}
resource "azurerm_firewall" "hub" {
  name                = "afw-north"
  resource_group_name = "rg-wan"
  location            = "northeurope"
  sku_name            = "AZFW_Hub"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id
  virtual_hub {
    virtual_hub_id  = azurerm_virtual_hub.hub.id
    public_ip_count = 1
  }
}
`;
  const defaultRoute = (table: string, nextHop = 'azurerm_firewall.hub.id') => `
resource "azurerm_virtual_hub_route_table_route" "internet" {
  route_table_id    = ${table}
  name              = "internet-via-firewall"
  destinations_type = "CIDR"
  destinations      = ["0.0.0.0/0"]
  next_hop_type     = "ResourceId"
  next_hop          = ${nextHop}
}
`;
  const secure = connection('  internet_security_enabled = true');

  it("a static 0.0.0.0/0 to the hub's firewall in the hub's default route table: the connection learns it, the policy decides (Protected)", async () => {
    const forms = [
      defaultRoute('azurerm_virtual_hub.hub.default_route_table_id'),
      defaultRoute('"${azurerm_virtual_hub.hub.id}/hubRouteTables/defaultRouteTable"'),
      // The default table itself, brought under Terraform by import, with an inline route among others.
      `
resource "azurerm_virtual_hub_route_table" "default" {
  name           = "defaultRouteTable"
  virtual_hub_id = azurerm_virtual_hub.hub.id
  labels         = ["default"]
  route {
    name              = "private-via-firewall"
    destinations_type = "CIDR"
    destinations      = ["10.0.0.0/8", "0.0.0.0/0"]
    next_hop_type     = "ResourceId"
    next_hop          = azurerm_firewall.hub.id
  }
}
`,
    ];
    for (const form of forms) {
      const r = await run(spoke + hubFirewall + secure + form);
      const path = web(r);
      assert.equal(path?.forward.outcome.kind, 'delivered', form);
      assert.deepEqual(
        path?.forward.inspectedBy.map((i) => i.element),
        ['azurerm_firewall.hub'],
      );
      assert.deepEqual(
        path?.return?.inspectedBy.map((i) => i.element),
        ['azurerm_firewall.hub'],
      );
      assert.match(
        path?.forward.hops[0].note ?? '',
        /0\.0\.0\.0\/0 learned from virtual hub vhub-north over connection conn-shop .*default route table sends it to afw-north/,
      );
      assert.equal(state(r), 'Protected', form);
      assert.deepEqual(
        r.findings.filter((f) => f.code === 'uninspected-egress'),
        [],
      );
    }
    // Written in a routing block as the default table: the same.
    const associated = await run(
      spoke +
        hubFirewall +
        defaultRoute('azurerm_virtual_hub.hub.default_route_table_id') +
        connection(`  internet_security_enabled = true
  routing {
    associated_route_table_id = azurerm_virtual_hub.hub.default_route_table_id
  }`),
    );
    assert.equal(state(associated), 'Protected');
  });

  it("a rule allowing anything from the hub's point-to-site pool, named by the gateway's nested block, does not open the VNet's egress", async () => {
    const p2s = `
resource "azurerm_vpn_server_configuration" "p2s" {
  name                     = "p2s-config"
  resource_group_name      = "rg-wan"
  location                 = "northeurope"
  vpn_authentication_types = ["Certificate"]
}
resource "azurerm_point_to_site_vpn_gateway" "p2s" {
  name                        = "p2s-gw"
  resource_group_name         = "rg-wan"
  location                    = "northeurope"
  virtual_hub_id              = azurerm_virtual_hub.hub.id
  vpn_server_configuration_id = azurerm_vpn_server_configuration.p2s.id
  scale_unit                  = 1
  connection_configuration {
    name = "p2s-clients"
    vpn_client_address_pool {
      address_prefixes = ["172.30.0.0/24"]
    }
  }
}
resource "azurerm_firewall_policy_rule_collection_group" "clients" {
  name               = "rcg-clients"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 300
  network_rule_collection {
    name     = "clients"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "any-from-clients"
      protocols             = ["Any"]
      source_addresses      = azurerm_point_to_site_vpn_gateway.p2s.connection_configuration[0].vpn_client_address_pool[0].address_prefixes
      destination_addresses = ["*"]
      destination_ports     = ["*"]
    }
  }
}
`;
    const r = await run(spoke + hubFirewall + secure + defaultRoute('azurerm_virtual_hub.hub.default_route_table_id') + p2s);
    assert.equal(state(r), 'Protected');
    // From the pool itself the rule allows anything: the same rule read for a VNet inside the pool.
    const inPool = await run(
      (spoke + hubFirewall + secure + defaultRoute('azurerm_virtual_hub.hub.default_route_table_id') + p2s)
        .replace('["10.61.0.0/16"]', '["172.30.0.0/16"]')
        .replace('["10.61.1.0/24"]', '["172.30.0.0/24"]'),
    );
    assert.equal(state(inPool), 'Monitored');
  });

  it('internet security off: Azure does not program the default route into the VNet, the system route decides (Unprotected)', async () => {
    for (const security of ['  internet_security_enabled = false', '']) {
      const r = await run(spoke + hubFirewall + connection(security) + defaultRoute('azurerm_virtual_hub.hub.default_route_table_id'));
      assert.equal(web(r)?.forward.outcome.kind, 'delivered', security);
      assert.equal(web(r)?.forward.inspectedBy.length, 0, security);
      assert.equal(state(r), 'Unprotected', security);
    }
  });

  it('a route in another hub route table, an undecided table id, another association or next hop: Unknown with the reason, no warning', async () => {
    const customTable = `
resource "azurerm_virtual_hub_route_table" "spokes" {
  name           = "rt-spokes"
  virtual_hub_id = azurerm_virtual_hub.hub.id
  labels         = ["spokes"]
}
`;
    const cases: [string, RegExp][] = [
      [
        secure + customTable + defaultRoute('azurerm_virtual_hub_route_table.spokes.id'),
        /hub route internet-via-firewall is in route table rt-spokes, not the default route table \(defaultRouteTable\) of vhub-north/,
      ],
      [
        secure + defaultRoute('var.table') + 'variable "table" {}\n',
        /the route table of hub route internet-via-firewall cannot be decided/,
      ],
      [
        connection(`  internet_security_enabled = true
  routing {
    associated_route_table_id = azurerm_virtual_hub_route_table.spokes.id
  }`) +
          customTable +
          defaultRoute('azurerm_virtual_hub.hub.default_route_table_id'),
        /connection conn-shop associates with route table rt-spokes, not the default route table of vhub-north/,
      ],
      [
        secure + defaultRoute('azurerm_virtual_hub.hub.default_route_table_id', 'azurerm_virtual_hub_connection.shop.id'),
        /the next hop of hub route internet-via-firewall \(0\.0\.0\.0\/0\) is not an Azure Firewall of the inputs/,
      ],
      [
        securedHub.slice(securedHub.indexOf('resource "azurerm_virtual_hub_routing_intent"')) +
          secure +
          defaultRoute('azurerm_virtual_hub.hub.default_route_table_id'),
        /has both routing intent and static routes in its default route table/,
      ],
    ];
    for (const [extra, why] of cases) {
      const r = await run(spoke + hubFirewall + extra);
      assert.equal(web(r)?.forward.outcome.kind, 'unknown', String(why));
      assert.match(reason(r), why);
      assert.equal(state(r), 'Unknown');
      assert.deepEqual(
        r.findings.filter((f) => f.code === 'uninspected-egress'),
        [],
      );
    }
  });

  it('a route writer the model does not follow touching the VNet (a script given its id) makes its system route lookup Unknown', async () => {
    const r = await run(
      spoke +
        `
resource "terraform_data" "routes" {
  triggers_replace = [azurerm_virtual_network.shop.id]
  provisioner "local-exec" {
    command = "./add-routes.sh"
  }
}
`,
    );
    assert.equal(web(r)?.forward.outcome.kind, 'unknown');
    assert.match(reason(r), /terraform_data .* is not modelled and may change them/);
    assert.equal(state(r), 'Unknown');
  });
});
