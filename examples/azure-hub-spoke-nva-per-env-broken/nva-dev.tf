# The development environment's NVA, in the same hub subnet as the production one. Rebuilt from a plain VM
# module: the NIC no longer says ip_forwarding_enabled (Azure's default is off), the guest still forwards.

resource "azurerm_network_interface" "nva_dev" {
  name                  = "nic-nva-dev"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = local.nvas.dev.ip
    public_ip_address_id          = azurerm_public_ip.nva_dev.id
  }
}

resource "azurerm_linux_virtual_machine" "nva_dev" {
  name                  = "vm-nva-dev"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nva_dev.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = file("~/.ssh/id_rsa.pub")
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  # pfSense Plus from the Marketplace (FreeBSD: a Linux VM resource for Azure).
  custom_data = base64encode("#!/bin/bash\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\niptables -A FORWARD -d 203.0.113.0/24 -p tcp -m multiport --dports 80,443 -j ACCEPT\n")
  source_image_reference {
    publisher = "netgate"
    offer     = "netgate-pfsense-plus-fw-vpn-router"
    sku       = "netgate-pfsense-plus"
    version   = "latest"
  }

  plan {
    publisher = "netgate"
    product   = "netgate-pfsense-plus-fw-vpn-router"
    name      = "netgate-pfsense-plus"
  }
}
