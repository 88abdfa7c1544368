import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisOptions } from '../../../src/analysis/types';
import { createWorkspace } from '../../../src/parse/workspace';

// A VNet with a VPN gateway in its GatewaySubnet: the gateway programs the routes it learns (over BGP, or
// its local network gateways' prefixes) into every subnet of the VNet, and a learned 0.0.0.0/0 beats
// Azure's system route 0.0.0.0/0 -> Internet. A "branch" VNet simulating an office, as labs build them.
describe('analysis: a VNet behind its own VPN gateway', function () {
  this.timeout(30000);

  const branch = `
resource "azurerm_virtual_network" "branch" {
  name                = "vnet-branch"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
  address_space       = ["10.70.0.0/22"]
}
resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = "rg-branch"
  virtual_network_name = azurerm_virtual_network.branch.name
  address_prefixes     = ["10.70.0.0/27"]
}
resource "azurerm_subnet" "desks" {
  name                 = "snet-desks"
  resource_group_name  = "rg-branch"
  virtual_network_name = azurerm_virtual_network.branch.name
  address_prefixes     = ["10.70.1.0/24"]
}
resource "azurerm_public_ip" "vgw" {
  name                = "pip-vgw-branch"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
  allocation_method   = "Static"
}
`;
  const gateway = (bgp: string) => `
resource "azurerm_virtual_network_gateway" "branch" {
  name                = "vgw-branch"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
${bgp}
  ip_configuration {
    name                 = "primary"
    public_ip_address_id = azurerm_public_ip.vgw.id
    subnet_id            = azurerm_subnet.gateway.id
  }
}
`;

  async function run(text: string, options: AnalysisOptions = {}) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return { ...analyze(b.model, options, b.diagnostics), diagnostics: b.diagnostics };
  }
  type Run = Awaited<ReturnType<typeof run>>;
  const desks = (r: Run) => r.egress.find((e) => e.subnet === 'azurerm_subnet.desks');
  const reason = (r: Run): string => {
    const o = desks(r)?.forward.outcome;
    return o && 'reason' in o ? String(o.reason) : '';
  };
  const state = (r: Run) => r.states.find((s) => s.name === 'vnet-branch')?.state;

  it('without a gateway the system route decides: Unprotected, with its warning', async () => {
    const r = await run(branch);
    assert.equal(desks(r)?.forward.outcome.kind, 'delivered');
    assert.equal(state(r), 'Unprotected');
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['uninspected-egress'],
    );
  });

  const onPremDevice = `
resource "azurerm_local_network_gateway" "office" {
  name                = "lgw-office"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
  gateway_address     = "203.0.113.10"
  address_space       = ["192.0.2.1/32"]
  bgp_settings {
    asn                 = 65010
    bgp_peering_address = "192.0.2.1"
  }
}
resource "azurerm_virtual_network_gateway_connection" "office" {
  name                       = "cn-office"
  resource_group_name        = "rg-branch"
  location                   = "swedencentral"
  type                       = "IPsec"
  enable_bgp                 = true
  virtual_network_gateway_id = azurerm_virtual_network_gateway.branch.id
  local_network_gateway_id   = azurerm_local_network_gateway.office.id
  shared_key                 = "not-a-secret"
}
`;
  // A Virtual WAN hub with its firewall (allow all, logged) and routing intent, and a site-to-site VPN
  // gateway whose site is the branch gateway: the branch side's local network gateway is the hub's gateway.
  const hub = (security: string) => `
resource "azurerm_virtual_wan" "wan" {
  name                = "vwan-lab"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
}
resource "azurerm_virtual_hub" "hub" {
  name                = "vhub-sweden"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
  virtual_wan_id      = azurerm_virtual_wan.wan.id
  address_prefix      = "10.80.0.0/23"
}
resource "azurerm_firewall_policy" "hub" {
  name                = "afwp-hub"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
}
resource "azurerm_firewall_policy_rule_collection_group" "hub" {
  name               = "rcg-all"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 100
  network_rule_collection {
    name     = "all"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "everything"
      protocols             = ["Any"]
      source_addresses      = ["*"]
      destination_addresses = ["*"]
      destination_ports     = ["*"]
    }
  }
}
resource "azurerm_firewall" "hub" {
  name                = "afw-hub"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
  sku_name            = "AZFW_Hub"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id
  virtual_hub {
    virtual_hub_id  = azurerm_virtual_hub.hub.id
    public_ip_count = 1
  }
}
resource "azurerm_virtual_hub_routing_intent" "hub" {
  name           = "intent-hub"
  virtual_hub_id = azurerm_virtual_hub.hub.id
  routing_policy {
    name         = "internet"
    destinations = ["Internet"]
    next_hop     = azurerm_firewall.hub.id
  }
}
resource "azurerm_vpn_gateway" "hub" {
  name                = "vpngw-hub"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
  virtual_hub_id      = azurerm_virtual_hub.hub.id
}
resource "azurerm_vpn_site" "branch" {
  name                = "site-branch"
  resource_group_name = "rg-wan"
  location            = "swedencentral"
  virtual_wan_id      = azurerm_virtual_wan.wan.id
  link {
    name       = "primary"
    ip_address = azurerm_virtual_network_gateway.branch.bgp_settings[0].peering_addresses[0].tunnel_ip_addresses[0]
    bgp {
      asn             = azurerm_virtual_network_gateway.branch.bgp_settings[0].asn
      peering_address = azurerm_virtual_network_gateway.branch.bgp_settings[0].peering_addresses[0].default_addresses[0]
    }
  }
}
resource "azurerm_vpn_gateway_connection" "branch" {
  name               = "hubcn-branch"
  vpn_gateway_id     = azurerm_vpn_gateway.hub.id
  remote_vpn_site_id = azurerm_vpn_site.branch.id
${security}
  vpn_link {
    name             = "primary"
    vpn_site_link_id = azurerm_vpn_site.branch.link[0].id
    bgp_enabled      = true
    shared_key       = "not-a-secret"
  }
}
resource "azurerm_local_network_gateway" "hub" {
  name                = "lgw-hub"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
  gateway_address     = azurerm_vpn_gateway.hub.ip_configuration[0].public_ip_address
  bgp_settings {
    asn                 = 65515
    bgp_peering_address = tolist(azurerm_vpn_gateway.hub.bgp_settings[0].instance_0_bgp_peering_address[0].default_ips)[0]
  }
}
resource "azurerm_virtual_network_gateway_connection" "hub" {
  name                       = "cn-hub"
  resource_group_name        = "rg-branch"
  location                   = "swedencentral"
  type                       = "IPsec"
  enable_bgp                 = true
  virtual_network_gateway_id = azurerm_virtual_network_gateway.branch.id
  local_network_gateway_id   = azurerm_local_network_gateway.hub.id
  shared_key                 = "not-a-secret"
}
`;
  const deskTable = (propagation: string) => `
resource "azurerm_route_table" "desks" {
  name                = "rt-desks"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
${propagation}
  route {
    name           = "lab"
    address_prefix = "10.99.0.0/16"
    next_hop_type  = "VnetLocal"
  }
}
resource "azurerm_subnet_route_table_association" "desks" {
  subnet_id      = azurerm_subnet.desks.id
  route_table_id = azurerm_route_table.desks.id
}
`;
  const uninspected = (r: Run) => r.findings.filter((f) => f.code === 'uninspected-egress');

  it('a BGP gateway connected to an on-premises device learns what the device advertises: Unknown at the gateway, no warning', async () => {
    const r = await run(branch + gateway('  enable_bgp = true') + onPremDevice);
    assert.equal(desks(r)?.forward.outcome.kind, 'unknown');
    assert.match(reason(r), /connection cn-office learns whatever the device behind local network gateway lgw-office advertises/);
    const o = desks(r)?.forward.outcome;
    assert.equal(o && 'at' in o ? o.at : undefined, 'azurerm_virtual_network_gateway.branch');
    assert.equal(state(r), 'Unknown');
    assert.deepEqual(uninspected(r), []);
  });

  it('without BGP the gateway programs only its connections’ prefixes: the system route decides an internet address', async () => {
    const r = await run(branch + gateway('  enable_bgp = false') + onPremDevice);
    assert.equal(desks(r)?.forward.outcome.kind, 'delivered');
    assert.equal(state(r), 'Unprotected');
    assert.equal(uninspected(r).length, 1);
  });

  it('a gateway without connections (point-to-site only) gives no route to the internet: the system route decides', async () => {
    const r = await run(
      branch +
        gateway(`  enable_bgp = true
  vpn_client_configuration {
    address_space = ["172.16.201.0/24"]
  }`),
    );
    assert.equal(desks(r)?.forward.outcome.kind, 'delivered');
    assert.equal(state(r), 'Unprotected');
  });

  it('a BGP gateway connected to a Virtual WAN hub whose connection has internet security: 0.0.0.0/0 to the hub firewall, Monitored', async () => {
    const r = await run(branch + gateway('  enable_bgp = true') + hub('  internet_security_enabled = true'));
    const path = desks(r);
    assert.equal(path?.forward.outcome.kind, 'delivered', reason(r));
    assert.deepEqual(
      path?.forward.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.match(
      path?.forward.hops[0].note ?? '',
      /0\.0\.0\.0\/0 learned over BGP by gateway vgw-branch \(connection cn-hub\) from virtual hub vhub-sweden \(hub connection hubcn-branch with internet security on/,
    );
    assert.deepEqual(
      path?.return?.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.equal(state(r), 'Monitored');
    assert.deepEqual(uninspected(r), []);
  });

  // F111: Firewall Manager's secured hub before routing intent: the default route table's static 0.0.0.0/0 to the
  // hub firewall is what the hub advertises to a site connection associated with that table.
  const intentBlock = /resource "azurerm_virtual_hub_routing_intent" "hub" \{[^]*?\n\}\n/;
  const tableRoute = (table: string) => `
resource "azurerm_virtual_hub_route_table_route" "internet" {
  route_table_id    = ${table}
  name              = "internet-via-firewall"
  destinations_type = "CIDR"
  destinations      = ["0.0.0.0/0"]
  next_hop_type     = "ResourceId"
  next_hop          = azurerm_firewall.hub.id
}
resource "azurerm_virtual_hub_route_table" "branches" {
  name           = "rt-branches"
  virtual_hub_id = azurerm_virtual_hub.hub.id
}
`;
  it('a hub whose default route table sends 0.0.0.0/0 to its firewall advertises it to the site (Monitored); a route in another table is Unknown', async () => {
    const secured = hub('  internet_security_enabled = true').replace(intentBlock, '');
    assert.doesNotMatch(secured, /routing_intent/);
    const r = await run(branch + gateway('  enable_bgp = true') + secured + tableRoute('azurerm_virtual_hub.hub.default_route_table_id'));
    const path = desks(r);
    assert.equal(path?.forward.outcome.kind, 'delivered', reason(r));
    assert.deepEqual(
      path?.forward.inspectedBy.map((i) => i.element),
      ['azurerm_firewall.hub'],
    );
    assert.match(path?.forward.hops[0].note ?? '', /hub route internet-via-firewall of its default route table sends it to afw-hub/);
    assert.equal(state(r), 'Monitored');
    const other = await run(branch + gateway('  enable_bgp = true') + secured + tableRoute('azurerm_virtual_hub_route_table.branches.id'));
    assert.equal(desks(other)?.forward.outcome.kind, 'unknown');
    assert.match(reason(other), /hub route internet-via-firewall is in route table rt-branches, not the default route table/);
    assert.deepEqual(uninspected(other), []);
  });

  it('internet security off on the hub side: the hub advertises no default route, the system route decides', async () => {
    for (const security of ['  internet_security_enabled = false', '']) {
      const r = await run(branch + gateway('  enable_bgp = true') + hub(security));
      assert.equal(desks(r)?.forward.inspectedBy.length, 0, security);
      assert.equal(state(r), 'Unprotected', security);
    }
  });

  it('a route table turning gateway route propagation off keeps the hub’s route out of the subnet: the system route decides', async () => {
    for (const off of ['  bgp_route_propagation_enabled = false', '  disable_bgp_route_propagation = true']) {
      const r = await run(branch + gateway('  enable_bgp = true') + hub('  internet_security_enabled = true') + deskTable(off));
      assert.equal(desks(r)?.forward.inspectedBy.length, 0, off);
      assert.match(desks(r)?.forward.hops[0].note ?? '', /gateway route propagation is off in rt-desks/, off);
      assert.equal(state(r), 'Unprotected', off);
    }
    const on = await run(branch + gateway('  enable_bgp = true') + hub('  internet_security_enabled = true') + deskTable(''));
    assert.equal(state(on), 'Monitored');
    const undecided = await run(
      branch +
        gateway('  enable_bgp = true') +
        hub('  internet_security_enabled = true') +
        deskTable('  bgp_route_propagation_enabled = var.propagate') +
        'variable "propagate" {}\n',
    );
    assert.equal(state(undecided), 'Unknown');
    assert.match(reason(undecided), /whether rt-desks lets gateway routes in \(BGP route propagation\) cannot be decided/);
  });

  it('a hub VPN connection whose site does not name the gateway: what the hub advertises to it cannot be decided', async () => {
    const text = hub('  internet_security_enabled = true')
      .replace(/ip_address = azurerm_virtual_network_gateway[^\n]*/, 'ip_address = "198.51.100.7"')
      .replace(/bgp \{[^}]*\}/, '');
    const r = await run(branch + gateway('  enable_bgp = true') + text);
    assert.equal(state(r), 'Unknown');
    assert.match(reason(r), /no connection of hub VPN gateway vpngw-hub has a VPN site naming gateway vgw-branch/);
  });

  it('a Route Server named by its subnet touches the whole VNet: the system route lookup is Unknown at it', async () => {
    const r = await run(
      branch +
        `
resource "azurerm_subnet" "rs" {
  name                 = "RouteServerSubnet"
  resource_group_name  = "rg-branch"
  virtual_network_name = azurerm_virtual_network.branch.name
  address_prefixes     = ["10.70.2.0/27"]
}
resource "azurerm_route_server" "rs" {
  name                 = "rs-branch"
  resource_group_name  = "rg-branch"
  location             = "swedencentral"
  sku                  = "Standard"
  public_ip_address_id = azurerm_public_ip.vgw.id
  subnet_id            = azurerm_subnet.rs.id
}
`,
    );
    assert.equal(desks(r)?.forward.outcome.kind, 'unknown');
    assert.match(reason(r), /azurerm_route_server rs-branch .* is not modelled and may change them/);
    assert.equal(state(r), 'Unknown');
  });

  // Azure picks the longest prefix first; only between equal prefixes does a UDR beat a gateway route.
  describe('a UDR against the routes the gateway programs', () => {
    const udrTable = (prefix: string, propagation = '') => `
resource "azurerm_route_table" "desks" {
  name                = "rt-desks"
  resource_group_name = "rg-branch"
  location            = "swedencentral"
${propagation}
  route {
    name           = "out"
    address_prefix = "${prefix}"
    next_hop_type  = "Internet"
  }
}
resource "azurerm_subnet_route_table_association" "desks" {
  subnet_id      = azurerm_subnet.desks.id
  route_table_id = azurerm_route_table.desks.id
}
`;
    // A static (no BGP) connection whose local network gateway holds the test destination's /24.
    const staticTo = (space: string) => onPremDevice.replace('["192.0.2.1/32"]', `["${space}"]`);
    // UDRs of /24 or longer that hold 8.8.8.8 are left out of the default trace, which stands for the internet in
    // general (routing.ts, NARROW_BITS): where they compete with gateway routes, the destination is named.
    const NAMED: AnalysisOptions = { destination: '8.8.8.8' };

    it('a hub’s learned 0.0.0.0/0 never beats a UDR 0.0.0.0/0: the UDR decides', async () => {
      const r = await run(branch + gateway('  enable_bgp = true') + hub('  internet_security_enabled = true') + udrTable('0.0.0.0/0'));
      assert.equal(desks(r)?.forward.outcome.kind, 'delivered', reason(r));
      assert.equal(desks(r)?.forward.inspectedBy.length, 0);
      assert.equal(desks(r)?.forward.hops[0].decision?.destination, '0.0.0.0/0');
      assert.equal(desks(r)?.forward.hops[0].decision?.target, 'Internet');
      assert.equal(state(r), 'Unprotected');
    });

    it('what an on-premises device advertises over BGP may be more specific than a UDR 0.0.0.0/0: Unknown at the gateway', async () => {
      const r = await run(branch + gateway('  enable_bgp = true') + onPremDevice + udrTable('0.0.0.0/0'));
      assert.equal(desks(r)?.forward.outcome.kind, 'unknown');
      const o = desks(r)?.forward.outcome;
      assert.equal(o && 'at' in o ? o.at : undefined, 'azurerm_virtual_network_gateway.branch');
      assert.match(
        reason(r),
        /learns whatever the device behind local network gateway lgw-office advertises.*a learned route more specific than the UDR 0\.0\.0\.0\/0 -> Internet of rt-desks would win/,
      );
      assert.equal(state(r), 'Unknown');
      assert.deepEqual(uninspected(r), []);
    });

    it('a host route cannot be beaten, and turning gateway propagation off keeps the device’s routes out: the UDR decides', async () => {
      for (const [prefix, propagation] of [
        ['8.8.8.8/32', ''],
        ['0.0.0.0/0', '  bgp_route_propagation_enabled = false'],
      ]) {
        const r = await run(branch + gateway('  enable_bgp = true') + onPremDevice + udrTable(prefix, propagation), NAMED);
        assert.equal(desks(r)?.forward.outcome.kind, 'delivered', `${prefix} ${propagation}: ${reason(r)}`);
        assert.equal(desks(r)?.forward.hops[0].decision?.destination, prefix);
        assert.equal(state(r), 'Unprotected');
      }
    });

    it('a static connection prefix longer than the UDR wins; an equal or shorter one loses to the UDR', async () => {
      const longer = await run(branch + gateway('  enable_bgp = false') + staticTo('8.8.8.0/24') + udrTable('8.8.0.0/16'));
      assert.equal(desks(longer)?.forward.outcome.kind, 'unknown');
      assert.match(
        reason(longer),
        /connection cn-office sends 8\.8\.8\.8 over its tunnel to local network gateway lgw-office \(8\.8\.8\.0\/24\).*that \/24 is more specific than the UDR 8\.8\.0\.0\/16 -> Internet of rt-desks, so it wins/,
      );
      for (const prefix of ['8.8.8.0/24', '8.8.8.0/25']) {
        const r = await run(branch + gateway('  enable_bgp = false') + staticTo('8.8.8.0/24') + udrTable(prefix), NAMED);
        assert.equal(desks(r)?.forward.outcome.kind, 'delivered', `${prefix}: ${reason(r)}`);
        assert.equal(desks(r)?.forward.hops[0].decision?.destination, prefix);
      }
      // Without a UDR the static prefix beats the system route 0.0.0.0/0 as before.
      const none = await run(branch + gateway('  enable_bgp = false') + staticTo('8.8.8.0/24'));
      assert.equal(desks(none)?.forward.outcome.kind, 'unknown');
    });

    it('over BGP a device may advertise inside its static prefix: a UDR as long as the static prefix does not settle it', async () => {
      const r = await run(branch + gateway('  enable_bgp = true') + staticTo('8.8.8.0/24') + udrTable('8.8.8.0/24'), NAMED);
      assert.equal(desks(r)?.forward.outcome.kind, 'unknown');
      assert.match(reason(r), /a learned route more specific than the UDR 8\.8\.8\.0\/24 -> Internet of rt-desks would win/);
    });

    it('an undecided propagation setting matters only where a gateway route would win', async () => {
      const undecided = '  bgp_route_propagation_enabled = var.propagate';
      const hubOnly = await run(
        branch +
          gateway('  enable_bgp = true') +
          hub('  internet_security_enabled = true') +
          udrTable('0.0.0.0/0', undecided) +
          'variable "propagate" {}\n',
      );
      assert.equal(desks(hubOnly)?.forward.outcome.kind, 'delivered', reason(hubOnly));
      const device = await run(
        branch + gateway('  enable_bgp = true') + onPremDevice + udrTable('0.0.0.0/0', undecided) + 'variable "propagate" {}\n',
      );
      assert.equal(desks(device)?.forward.outcome.kind, 'unknown');
      assert.match(reason(device), /whether rt-desks lets gateway routes in \(BGP route propagation\) cannot be decided/);
    });
  });
});
