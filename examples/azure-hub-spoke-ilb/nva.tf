# Two NVAs, each a Linux VM with an outside NIC (primary, public IP) and an inside NIC in the load balancer's
# pool. IP forwarding is on for both NICs; the guest forwards and masquerades out of eth0 (its policy, not in the
# inputs).

locals {
  nvas = {
    nva1 = { outside = "10.0.1.4", inside = "10.0.2.4" }
    nva2 = { outside = "10.0.1.5", inside = "10.0.2.5" }
  }
}

resource "azurerm_public_ip" "nva" {
  for_each            = local.nvas
  name                = "pip-${each.key}"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_network_interface" "outside" {
  for_each              = local.nvas
  name                  = "nic-${each.key}-outside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.outside.id
    private_ip_address_allocation = "Static"
    private_ip_address            = each.value.outside
    public_ip_address_id          = azurerm_public_ip.nva[each.key].id
  }
}

resource "azurerm_network_interface" "inside" {
  for_each              = local.nvas
  name                  = "nic-${each.key}-inside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.inside.id
    private_ip_address_allocation = "Static"
    private_ip_address            = each.value.inside
  }
}

resource "azurerm_network_interface_backend_address_pool_association" "inside" {
  for_each                = local.nvas
  network_interface_id    = azurerm_network_interface.inside[each.key].id
  ip_configuration_name   = "ipconfig"
  backend_address_pool_id = azurerm_lb_backend_address_pool.nva.id
}

resource "azurerm_linux_virtual_machine" "nva" {
  for_each            = local.nvas
  name                = "vm-${each.key}"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"
  network_interface_ids = [
    azurerm_network_interface.outside[each.key].id,
    azurerm_network_interface.inside[each.key].id,
  ]

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

  custom_data = base64encode("#!/bin/bash\nsysctl -w net.ipv4.ip_forward=1\nip route add 10.1.0.0/16 via 10.0.2.1 dev eth1\niptables -t nat -A POSTROUTING -o eth0 -s 10.1.0.0/16 -j MASQUERADE\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\niptables -A FORWARD -s 10.1.0.0/16 -d 203.0.113.0/24 -p tcp -m multiport --dports 80,443 -j ACCEPT\n")
}
