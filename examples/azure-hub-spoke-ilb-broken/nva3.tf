# A third NVA added to the pool later, for capacity. Its inside NIC was created from an ordinary VM's template:
# IP forwarding is not written, so it is off, and Azure drops every packet the load balancer hands it that is
# not addressed to the NIC itself: the flows hashed to nva3 never leave.

resource "azurerm_public_ip" "nva3" {
  name                = "pip-nva3"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_network_interface" "nva3_outside" {
  name                  = "nic-nva3-outside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.outside.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.6"
    public_ip_address_id          = azurerm_public_ip.nva3.id
  }
}

resource "azurerm_network_interface" "nva3_inside" {
  name                = "nic-nva3-inside"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name

  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.inside.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.2.6"
  }
}

resource "azurerm_network_interface_backend_address_pool_association" "nva3_inside" {
  network_interface_id    = azurerm_network_interface.nva3_inside.id
  ip_configuration_name   = "ipconfig"
  backend_address_pool_id = azurerm_lb_backend_address_pool.nva.id
}

resource "azurerm_linux_virtual_machine" "nva3" {
  name                = "vm-nva3"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"
  network_interface_ids = [
    azurerm_network_interface.nva3_outside.id,
    azurerm_network_interface.nva3_inside.id,
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
