import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import { parseAzureCli } from '../../../src/parse/azureCli';

// Azure private subnets (default outbound access off): the system route 0.0.0.0/0 -> Internet exists, but
// without a NAT gateway or a public IP nothing translates the traffic, so it is no internet egress.
describe('analysis: Azure private subnets (no default outbound access)', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  const vnet = (extra: string, flag = 'false') => `
resource "azurerm_virtual_network" "data" {
  name                = "vnet-data"
  location            = "northeurope"
  resource_group_name = "rg-data"
  address_space       = ["10.40.0.0/16"]
}
resource "azurerm_subnet" "pe" {
  name                            = "snet-pe"
  resource_group_name             = "rg-data"
  virtual_network_name            = azurerm_virtual_network.data.name
  address_prefixes                = ["10.40.3.0/24"]
  default_outbound_access_enabled = ${flag}
}
${extra}`;

  const natGateway = `
resource "azurerm_nat_gateway" "out" {
  name                = "ng-data"
  location            = "northeurope"
  resource_group_name = "rg-data"
}
resource "azurerm_subnet_nat_gateway_association" "pe" {
  subnet_id      = azurerm_subnet.pe.id
  nat_gateway_id = azurerm_nat_gateway.out.id
}`;

  const vmWithPublicIp = (pip: string) => `
resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "northeurope"
  resource_group_name = "rg-data"
  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.pe.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = ${pip}
  }
}
resource "azurerm_public_ip" "vm" {
  name                = "pip-vm"
  location            = "northeurope"
  resource_group_name = "rg-data"
  allocation_method   = "Static"
}
resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm-data"
  location              = "northeurope"
  resource_group_name   = "rg-data"
  size                  = "Standard_B2s"
  network_interface_ids = [azurerm_network_interface.vm.id]
}`;

  const pe = (r: Awaited<ReturnType<typeof run>>) => r.egress.find((e) => e.subnet === 'azurerm_subnet.pe');
  const state = (r: Awaited<ReturnType<typeof run>>) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.data');

  it('no NAT gateway, no public IP: dropped at the system route, no uninspected-egress, the VNet does not "reach the internet"', async () => {
    const r = await run({ 'main.tf': vnet('') });
    const out = pe(r)?.forward.outcome;
    assert.equal(out?.kind, 'dropped');
    assert.match(JSON.stringify(out), /private subnet: no default outbound access/);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
    assert.doesNotMatch(state(r)?.reason ?? '', /reaches the internet/);
    assert.notEqual(state(r)?.state, 'Unprotected');
  });

  it('default outbound access on (written true): the system route still reaches the internet uninspected', async () => {
    const r = await run({ 'main.tf': vnet('', 'true') });
    assert.equal(pe(r)?.forward.outcome.kind, 'delivered');
    assert.ok(r.findings.some((f) => f.code === 'uninspected-egress'));
  });

  it('a NAT gateway on the private subnet gives it outbound access: internet egress, uninspected', async () => {
    const r = await run({ 'main.tf': vnet(natGateway) });
    assert.equal(pe(r)?.forward.outcome.kind, 'delivered');
    assert.ok(r.findings.some((f) => f.code === 'uninspected-egress'));
  });

  it('a VM with a public IP in the private subnet reaches the internet by it', async () => {
    const r = await run({ 'main.tf': vnet(vmWithPublicIp('azurerm_public_ip.vm.id')) });
    assert.equal(pe(r)?.forward.outcome.kind, 'delivered');
  });

  it('an undecidable flag is Unknown with its reason, never dropped', async () => {
    const r = await run({
      'main.tf': vnet('variable "outbound" {\n  type = bool\n}\n', 'var.outbound'),
    });
    const out = pe(r)?.forward.outcome;
    assert.equal(out?.kind, 'unknown');
    assert.match(JSON.stringify(out), /default outbound access cannot be decided/);
  });

  it('the Azure CLI export: defaultOutboundAccess false is read onto the subnet, with its NAT gateway', () => {
    const doc = JSON.stringify([
      {
        id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-data',
        type: 'Microsoft.Network/virtualNetworks',
        name: 'vnet-data',
        location: 'northeurope',
        addressSpace: { addressPrefixes: ['10.40.0.0/16'] },
        subnets: [
          {
            id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-data/subnets/snet-pe',
            name: 'snet-pe',
            addressPrefix: '10.40.3.0/24',
            defaultOutboundAccess: false,
          },
          {
            id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-data/subnets/snet-ng',
            name: 'snet-ng',
            addressPrefix: '10.40.4.0/24',
            defaultOutboundAccess: false,
            natGateway: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-data' },
          },
        ],
      },
    ]);
    const frag = parseAzureCli('export.json', doc);
    const subnets = frag.elements.filter((e) => e.kind === 'subnet');
    const byName = (n: string) => subnets.find((s) => s.name === n) as { defaultOutboundAccess?: unknown; natGateway?: unknown };
    assert.equal(byName('snet-pe').defaultOutboundAccess, false);
    assert.equal(byName('snet-pe').natGateway, undefined);
    assert.equal(byName('snet-ng').defaultOutboundAccess, false);
    assert.match(String(byName('snet-ng').natGateway), /natgateways\/ng-data/i);
  });
});
