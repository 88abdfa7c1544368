# The prod spoke, peered with the hub both ways; its default route goes to the prod NVA, written as
# its NVA's VM address attribute.

resource "azurerm_virtual_network" "prod" {
  name                = "vnet-spoke-prod"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = [local.nvas.prod.spoke]
}

resource "azurerm_subnet" "prod_app" {
  name                 = "snet-prod-app"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.prod.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_virtual_network_peering" "hub_to_prod" {
  name                      = "hub-to-prod"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.prod.id
  allow_forwarded_traffic   = true
}

# The spoke's own side decides whether the replies the hub's NVA forwards into it are taken. Written by the
# spoke team from the peering defaults: allow_forwarded_traffic is left out (false).
resource "azurerm_virtual_network_peering" "prod_to_hub" {
  name                      = "prod-to-hub"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.prod.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
}

resource "azurerm_route_table" "prod" {
  name                = "rt-spoke-prod"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name

  route {
    name                   = "default-via-nva-prod"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_linux_virtual_machine.nva_prod.private_ip_address
  }
}

resource "azurerm_subnet_route_table_association" "prod_app" {
  subnet_id      = azurerm_subnet.prod_app.id
  route_table_id = azurerm_route_table.prod.id
}
