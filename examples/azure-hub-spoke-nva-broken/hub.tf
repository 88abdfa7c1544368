# Hub VNet with a network virtual appliance: a Linux VM that forwards and masquerades the spokes' traffic.
# Outbound: spoke subnet -> UDR 0.0.0.0/0 -> NVA (its NIC forwards IP) -> Internet (SNAT to the NVA's public IP).

locals {
  location = "westeurope"
}

resource "azurerm_resource_group" "net" {
  name     = "rg-hub-nva"
  location = local.location
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "nva" {
  name                 = "snet-nva"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_public_ip" "nva" {
  name                = "pip-nva"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

# IP forwarding on the NIC lets Azure hand the VM packets not addressed to it.
resource "azurerm_network_interface" "nva" {
  name                  = "nic-nva"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.4"
    public_ip_address_id          = azurerm_public_ip.nva.id
  }
}

resource "azurerm_linux_virtual_machine" "nva" {
  name                  = "vm-nva"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nva.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = file("~/.ssh/id_rsa.pub")
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  # The guest forwards and masquerades; its iptables rules below are its policy: TCP 80/443 from the spoke to 203.0.113.0/24 only, rest dropped.
  custom_data = base64encode("#!/bin/bash\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -s 10.1.0.0/16 -j MASQUERADE\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\niptables -A FORWARD -s 10.1.0.0/16 -d 203.0.113.0/24 -p tcp -m multiport --dports 80,443 -j ACCEPT\n")
}
