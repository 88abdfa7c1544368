// A hub-spoke (the azure-hub-spoke-firewall example) whose hub also reserves a subnet for an Application Gateway
// that another configuration deploys (F183, the shape of a public hub-spoke whose gateway lives in a services
// root), and whose spoke routes name another subnet's range through azurerm 2.x's `address_prefix` (F181).
import { strict as assert } from 'node:assert';
import type { AnalysisResult } from '../../../src/analysis/types';
import { hubSpokeWith, linuxVmIn } from './azureHubSpokeFixture';
import { azureNamedForAppGateway } from '../../../src/model/platformSubnets';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';

const reserved = (name: string, extra = '') => `
resource "azurerm_subnet" "agw" {
  name                 = "${name}"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.2.0/24"]
}
resource "azurerm_route_table" "agw" {
  name                = "rt-agw"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
}
resource "azurerm_subnet_route_table_association" "agw" {
  subnet_id      = azurerm_subnet.agw.id
  route_table_id = azurerm_route_table.agw.id
}
${extra}`;

const vmIn = linuxVmIn('agw', 'web');

const run = hubSpokeWith;

const hub = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.hub');
const onAgw = (r: AnalysisResult) =>
  r.findings.filter((f) => f.code === 'uninspected-egress' && JSON.stringify(f).includes('azurerm_subnet.agw'));

describe('an empty subnet named for an Application Gateway (F183)', function () {
  this.timeout(60000);

  it('is reserved for a gateway deployed elsewhere: no source, no advice to send its 0.0.0.0/0 to the firewall', async () => {
    for (const name of ['ApplicationGatewaySubnet', 'snet-appgw-hub']) {
      const r = await run(reserved(name));
      assert.deepEqual(onAgw(r), [], name);
      assert.equal(hub(r)?.state, 'Inspection', `${name}: ${hub(r)?.reason}`);
    }
  });

  it('named otherwise, the same empty subnet is a workload subnet as before', async () => {
    const r = await run(reserved('snet-web'));
    assert.equal(onAgw(r).length, 1);
    assert.equal(hub(r)?.state, 'Unprotected', hub(r)?.reason);
  });

  it('holding only a private endpoint, it is no source either: the endpoint originates no traffic', async () => {
    const r = await run(
      reserved(
        'ApplicationGatewaySubnet',
        `
resource "azurerm_private_endpoint" "pe" {
  name                = "pe-kv"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  subnet_id           = azurerm_subnet.agw.id
}`,
      ),
    );
    assert.deepEqual(onAgw(r), []);
    assert.equal(hub(r)?.state, 'Inspection', hub(r)?.reason);
  });

  it('a scale set, an undecided private endpoint or a delegation to another service placed in it makes it a workload subnet', async () => {
    const held = {
      'scale set': `
resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name                = "vmss-web"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  sku                 = "Standard_B2s"
  instances           = 2
  admin_username      = "azureuser"
  network_interface {
    name    = "nic"
    primary = true
    ip_configuration {
      name      = "ipconfig"
      primary   = true
      subnet_id = azurerm_subnet.agw.id
    }
  }
}`,
      'private endpoint whose subnet is a variable': `
variable "pe_subnet" {
  type = string
}
resource "azurerm_private_endpoint" "pe" {
  name                = "pe-kv"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  subnet_id           = var.pe_subnet
}`,
    };
    for (const [what, extra] of Object.entries(held)) {
      const r = await run(reserved('ApplicationGatewaySubnet', extra));
      assert.equal(onAgw(r).length, 1, what);
      assert.equal(hub(r)?.state, 'Unprotected', `${what}: ${hub(r)?.reason}`);
    }
    const delegated = (service: string) =>
      reserved('snet-appgw').replace(
        'address_prefixes     = ["10.0.2.0/24"]',
        `address_prefixes     = ["10.0.2.0/24"]
  delegation {
    name = "d"
    service_delegation {
      name = "${service}"
    }
  }`,
      );
    assert.equal(onAgw(await run(delegated('Microsoft.Web/serverFarms'))).length, 1, 'delegated to App Service');
    assert.deepEqual(onAgw(await run(delegated('Microsoft.Network/applicationGateways'))), [], 'delegated to the gateway');
  });

  it('a VM placed in it makes it a source whatever its name', async () => {
    const r = await run(reserved('ApplicationGatewaySubnet', vmIn));
    assert.equal(onAgw(r).length, 1);
    assert.equal(hub(r)?.state, 'Unprotected', hub(r)?.reason);
  });
});

describe('an Azure CLI export: a subnet named for an Application Gateway (F183)', () => {
  const rg = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network';
  const sources = async (agw: object) => {
    const vnet = {
      type: 'Microsoft.Network/virtualNetworks',
      id: `${rg}/virtualNetworks/spoke`,
      name: 'spoke',
      location: 'westeurope',
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [
        { id: `${rg}/virtualNetworks/spoke/subnets/snet-appgw`, name: 'snet-appgw', addressPrefix: '10.1.1.0/24', ...agw },
        { id: `${rg}/virtualNetworks/spoke/subnets/snet-vm`, name: 'snet-vm', addressPrefix: '10.1.2.0/24' },
      ],
    };
    const ws = await createWorkspace();
    ws.setFile('vnet-list.json', JSON.stringify([vnet]));
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics).egress.map((e) => b.model.elements.find((x) => x.id === e.subnet)?.name);
  };

  it('listing nothing, it is reserved; listing a NIC, it is a source; listing only a private endpoint, no source either (as in Terraform)', async () => {
    assert.deepEqual(await sources({}), ['snet-vm']);
    const nic = { ipConfigurations: [{ id: `${rg}/networkInterfaces/nic1/ipConfigurations/c`, resourceGroup: 'rg' }] };
    assert.deepEqual(await sources(nic), ['snet-appgw', 'snet-vm']);
    // The endpoint originates no traffic (Subnet.onlyPrivateEndpoints): not reserved for a gateway, and not a source.
    const pe = { privateEndpoints: [{ id: `${rg}/privateEndpoints/pe1`, resourceGroup: 'rg' }] };
    assert.deepEqual(await sources(pe), ['snet-vm']);
    assert.deepEqual(await sources({ ...pe, ...nic }), ['snet-appgw', 'snet-vm']);
  });
});

describe('azureNamedForAppGateway: whole words only', () => {
  it('reads the usual names and refuses look-alikes', () => {
    for (const n of [
      'ApplicationGatewaySubnet',
      'snet-appgw-hub',
      'agw-subnet',
      'app-gw',
      'AppGwSubnet',
      'AGWSubnet',
      'subnet_app_gateway',
    ])
      assert.equal(azureNamedForAppGateway(n), true, n);
    for (const n of ['GatewaySubnet', 'snet-gateway', 'wagwan', 'snet-app', 'agwx', 'snet-application', 'snet-apim-gw', undefined])
      assert.equal(azureNamedForAppGateway(n), false, String(n));
  });
});

describe("azurerm 2.x's computed subnet address_prefix (F181)", function () {
  this.timeout(60000);

  const toHub = (prefixes: string) => `
resource "azurerm_subnet" "shared" {
  name                 = "snet-shared"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ${prefixes}
}
resource "azurerm_route" "to_shared" {
  name                   = "to-shared"
  resource_group_name    = azurerm_resource_group.net.name
  route_table_name       = azurerm_route_table.spoke.name
  address_prefix         = azurerm_subnet.shared.address_prefix
  next_hop_type          = "VirtualAppliance"
  next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
}`;
  const spoke = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke');

  it('is the one address_prefixes entry: the spoke route is decided', async () => {
    const r = await run(toHub('["10.0.3.0/24"]'));
    assert.notEqual(spoke(r)?.state, 'Unknown', spoke(r)?.reason);
  });

  it('with several entries it is not decided: the spoke stays Unknown', async () => {
    const r = await run(toHub('["10.0.3.0/24", "10.0.4.0/24"]'));
    assert.equal(spoke(r)?.state, 'Unknown', spoke(r)?.reason);
    assert.match(spoke(r)?.reason ?? '', /address_prefix/);
  });
});
