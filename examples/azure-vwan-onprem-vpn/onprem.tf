# "On-premises" simulated by a VNet: a route-based VPN gateway running BGP connects it to the hub, and its
# servers reach the internet only through the hub firewall, by the default route the hub advertises.

resource "azurerm_resource_group" "onprem" {
  name     = "rg-onprem-dublin"
  location = local.location
}

resource "azurerm_virtual_network" "onprem" {
  name                = "vnet-onprem-dublin"
  resource_group_name = azurerm_resource_group.onprem.name
  location            = local.location
  address_space       = ["10.50.0.0/16"]
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.onprem.name
  virtual_network_name = azurerm_virtual_network.onprem.name
  address_prefixes     = ["10.50.0.0/27"]
}

resource "azurerm_subnet" "servers" {
  name                 = "snet-servers"
  resource_group_name  = azurerm_resource_group.onprem.name
  virtual_network_name = azurerm_virtual_network.onprem.name
  address_prefixes     = ["10.50.1.0/24"]
}

resource "azurerm_public_ip" "vgw" {
  name                = "pip-vgw-dublin"
  resource_group_name = azurerm_resource_group.onprem.name
  location            = local.location
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_virtual_network_gateway" "onprem" {
  name                = "vgw-dublin"
  resource_group_name = azurerm_resource_group.onprem.name
  location            = local.location
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
  bgp_enabled         = true

  bgp_settings {
    asn = 65050
  }

  ip_configuration {
    name                 = "vgw-ipconfig"
    public_ip_address_id = azurerm_public_ip.vgw.id
    subnet_id            = azurerm_subnet.gateway.id
  }
}

# The hub's VPN gateway seen from the site: its public address and BGP speaker.
resource "azurerm_local_network_gateway" "hub" {
  name                = "lgw-vhub-ne"
  resource_group_name = azurerm_resource_group.onprem.name
  location            = local.location
  gateway_address     = azurerm_vpn_gateway.hub.ip_configuration[0].public_ip_address

  bgp_settings {
    asn                 = azurerm_vpn_gateway.hub.bgp_settings[0].asn
    bgp_peering_address = tolist(azurerm_vpn_gateway.hub.bgp_settings[0].instance_0_bgp_peering_address[0].default_ips)[0]
  }
}

resource "azurerm_virtual_network_gateway_connection" "hub" {
  name                       = "cn-dublin-to-vhub"
  resource_group_name        = azurerm_resource_group.onprem.name
  location                   = local.location
  type                       = "IPsec"
  bgp_enabled                = true
  virtual_network_gateway_id = azurerm_virtual_network_gateway.onprem.id
  local_network_gateway_id   = azurerm_local_network_gateway.hub.id
  shared_key                 = "example-only-not-a-secret"
}

# Gateway routes stay on: the hub's 0.0.0.0/0 must reach the servers. No UDR for 0.0.0.0/0 here, since
# one would beat the learned default route (between equal prefixes a UDR wins).
resource "azurerm_route_table" "servers" {
  name                          = "rt-servers"
  resource_group_name           = azurerm_resource_group.onprem.name
  location                      = local.location
  bgp_route_propagation_enabled = true

  route {
    name           = "lab-range-blackhole"
    address_prefix = "192.168.99.0/24"
    next_hop_type  = "None"
  }
}

resource "azurerm_subnet_route_table_association" "servers" {
  subnet_id      = azurerm_subnet.servers.id
  route_table_id = azurerm_route_table.servers.id
}
