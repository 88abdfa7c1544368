# Hub VNet with one network virtual appliance per environment: two Linux VMs that forward and masquerade,
# vm-nva-prod for the production spoke and vm-nva-dev for the development spoke (separate blast radius,
# separate change windows). Outbound: spoke subnet -> UDR 0.0.0.0/0 -> its environment's NVA -> Internet
# (SNAT to that NVA's public IP).

locals {
  location = "northeurope"
  nvas = {
    prod = { ip = "10.0.1.4", spoke = "10.1.0.0/16" }
    dev  = { ip = "10.0.1.5", spoke = "10.2.0.0/16" }
  }
}

resource "azurerm_resource_group" "net" {
  name     = "rg-hub-nva-per-env"
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

resource "azurerm_public_ip" "nva_prod" {
  name                = "pip-nva-prod"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_public_ip" "nva_dev" {
  name                = "pip-nva-dev"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

# IP forwarding on the NIC lets Azure hand the VM packets not addressed to it.
resource "azurerm_network_interface" "nva_prod" {
  name                  = "nic-nva-prod"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = local.nvas.prod.ip
    public_ip_address_id          = azurerm_public_ip.nva_prod.id
  }
}

resource "azurerm_linux_virtual_machine" "nva_prod" {
  name                  = "vm-nva-prod"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nva_prod.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = file("~/.ssh/id_rsa.pub")
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
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
