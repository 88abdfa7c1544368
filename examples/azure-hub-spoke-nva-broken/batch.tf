# BROKEN: a subnet added to the spoke for a batch job that "needed direct internet access": its own route
# table sends 0.0.0.0/0 to Internet, so its traffic never reaches the NVA in the hub.

resource "azurerm_subnet" "batch" {
  name                 = "snet-batch"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}

resource "azurerm_route_table" "batch" {
  name                = "rt-spoke-batch"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name

  route {
    name           = "default-direct"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
}

resource "azurerm_subnet_route_table_association" "batch" {
  subnet_id      = azurerm_subnet.batch.id
  route_table_id = azurerm_route_table.batch.id
}
