// The azure-hub-spoke-firewall example with resources added to its main.tf, and a plain Linux VM to put in a subnet:
// shared by the tests of hub subnets that are or are not egress sources (azureAppGatewaySubnet,
// azurePrivateEndpointSubnet).
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

/** The example with `extra` appended to its main.tf, analysed. */
export async function hubSpokeWith(extra: string): Promise<AnalysisResult> {
  const files = exampleTfFiles('azure-hub-spoke-firewall');
  files['main.tf'] += extra;
  return analyzeFiles(files);
}

/** An Ubuntu VM `name` (its NIC `name` too) in `azurerm_subnet.<subnet>`, in the example's resource group. */
export const linuxVmIn = (subnet: string, name: string) => `
resource "azurerm_network_interface" "${name}" {
  name                = "nic-${name}"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.${subnet}.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_linux_virtual_machine" "${name}" {
  name                  = "vm-${name}"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.${name}.id]
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
}`;
