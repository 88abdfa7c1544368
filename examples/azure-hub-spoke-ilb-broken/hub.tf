# Hub VNet with two network virtual appliances behind an internal Standard load balancer (HA ports).
# Outbound: spoke subnet -> UDR 0.0.0.0/0 -> the load balancer's frontend -> one NVA (inside NIC) -> its outside
# NIC (public IP) -> Internet. The load balancer picks an NVA per flow; the reply comes back to the public IP of
# the NVA that sent the flow, so the same NVA sees both directions.

locals {
  location = "westeurope"
}

resource "azurerm_resource_group" "net" {
  name     = "rg-hub-ilb"
  location = local.location
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "outside" {
  name                 = "snet-nva-outside"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet" "inside" {
  name                 = "snet-nva-inside"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_lb" "nva" {
  name                = "lb-nva-inside"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  sku                 = "Standard"

  frontend_ip_configuration {
    name                          = "fe-inside"
    subnet_id                     = azurerm_subnet.inside.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.2.10"
  }
}

resource "azurerm_lb_backend_address_pool" "nva" {
  name            = "pool-nva-inside"
  loadbalancer_id = azurerm_lb.nva.id
}

resource "azurerm_lb_probe" "nva" {
  name            = "probe-ssh"
  loadbalancer_id = azurerm_lb.nva.id
  protocol        = "Tcp"
  port            = 22
}

# HA ports: every protocol and port of every flow that reaches the frontend goes to the pool.
resource "azurerm_lb_rule" "ha_ports" {
  name                           = "ha-ports"
  loadbalancer_id                = azurerm_lb.nva.id
  frontend_ip_configuration_name = "fe-inside"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.nva.id]
  probe_id                       = azurerm_lb_probe.nva.id
  protocol                       = "All"
  frontend_port                  = 0
  backend_port                   = 0
  enable_floating_ip             = true
}
