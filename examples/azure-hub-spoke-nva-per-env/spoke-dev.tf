# The dev spoke, peered with the hub both ways; its default route goes to the dev NVA, written as
# its NVA's NIC address attribute.

resource "azurerm_virtual_network" "dev" {
  name                = "vnet-spoke-dev"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = [local.nvas.dev.spoke]
}

resource "azurerm_subnet" "dev_app" {
  name                 = "snet-dev-app"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.dev.name
  address_prefixes     = ["10.2.1.0/24"]
}

resource "azurerm_virtual_network_peering" "hub_to_dev" {
  name                      = "hub-to-dev"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.dev.id
  allow_forwarded_traffic   = true
}

# The spoke's own side decides whether the replies the hub's NVA forwards into it are taken.
resource "azurerm_virtual_network_peering" "dev_to_hub" {
  name                      = "dev-to-hub"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.dev.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  allow_forwarded_traffic   = true
}

resource "azurerm_route_table" "dev" {
  name                = "rt-spoke-dev"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name

  route {
    name                   = "default-via-nva-dev"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_network_interface.nva_dev.private_ip_address
  }
}

resource "azurerm_subnet_route_table_association" "dev_app" {
  subnet_id      = azurerm_subnet.dev_app.id
  route_table_id = azurerm_route_table.dev.id
}
