// F305: an Azure VM whose network interface is chained to a Gateway Load Balancer (the NVAs behind it see the traffic
// of its public IP) is no uninspected host: its subnet's egress is Unknown naming the chain, and no fix takes the
// public IP, which carries the chain, away. Inputs written for this test.
import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';

const vnet = (chain: string) => `
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  location            = "westeurope"
  resource_group_name = "rg-app"
  address_space       = ["10.60.0.0/16"]
}
resource "azurerm_subnet" "vm" {
  name                 = "snet-vm"
  resource_group_name  = "rg-app"
  virtual_network_name = azurerm_virtual_network.app.name
  address_prefixes     = ["10.60.1.0/24"]
}
resource "azurerm_public_ip" "vm" {
  name                = "pip-vm"
  location            = "westeurope"
  resource_group_name = "rg-app"
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg-app"
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.vm.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.vm.id
${chain}
  }
}
resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm-app"
  location              = "westeurope"
  resource_group_name   = "rg-app"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.vm.id]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }
}
`;

const CHAIN =
  '    gateway_load_balancer_frontend_ip_configuration_id = "/subscriptions/0000/resourceGroups/rg-sec/providers/Microsoft.Network/loadBalancers/gwlb/frontendIPConfigurations/fe"';

describe('an Azure network interface chained to a Gateway Load Balancer (F305)', function () {
  this.timeout(60000);

  it('makes its subnet Unknown naming the chain, with no uninspected-egress warning', async () => {
    const r = await analyzeFiles({ 'main.tf': vnet(CHAIN) });
    const s = r.states.find((x) => x.vpc === 'azurerm_virtual_network.app');
    assert.equal(s?.state, 'Unknown', s?.reason);
    assert.match(s?.reason ?? '', /nic-vm \(main\.tf:\d+\), a network interface chained to a Gateway Load Balancer/);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
  });

  it('without the chain the same VM reaches the internet uninspected, and the warning is there', async () => {
    const r = await analyzeFiles({ 'main.tf': vnet('') });
    assert.equal(r.states.find((x) => x.vpc === 'azurerm_virtual_network.app')?.state, 'Unprotected');
    assert.equal(r.findings.filter((f) => f.code === 'uninspected-egress').length, 1);
  });
});
