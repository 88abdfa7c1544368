# A Virtual WAN hub secured by Azure Firewall: routing intent sends Internet and private traffic to the
# firewall, and the hub's site-to-site VPN gateway accepts the on-premises site over BGP.

locals {
  location = "northeurope"
}

resource "azurerm_resource_group" "wan" {
  name     = "rg-wan"
  location = local.location
}

resource "azurerm_virtual_wan" "wan" {
  name                = "vwan-corp"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
}

resource "azurerm_virtual_hub" "hub" {
  name                = "vhub-ne"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
  virtual_wan_id      = azurerm_virtual_wan.wan.id
  address_prefix      = "10.100.0.0/23"
}

resource "azurerm_firewall_policy" "hub" {
  name                = "afwp-vhub-ne"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
}

# Azure Firewall denies what no rule allows: the site's servers may reach their update mirrors over HTTPS.
resource "azurerm_firewall_policy_rule_collection_group" "hub" {
  name               = "rcg-site-egress"
  firewall_policy_id = azurerm_firewall_policy.hub.id
  priority           = 200

  application_rule_collection {
    name     = "allow-updates"
    priority = 100
    action   = "Allow"

    rule {
      name              = "os-updates"
      source_addresses  = ["10.50.0.0/16"]
      destination_fqdns = ["packages.microsoft.com", "security.ubuntu.com"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }
}

resource "azurerm_firewall" "hub" {
  name                = "afw-vhub-ne"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
  sku_name            = "AZFW_Hub"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.hub.id

  virtual_hub {
    virtual_hub_id  = azurerm_virtual_hub.hub.id
    public_ip_count = 1
  }
}

resource "azurerm_virtual_hub_routing_intent" "hub" {
  name           = "ri-vhub-ne"
  virtual_hub_id = azurerm_virtual_hub.hub.id

  routing_policy {
    name         = "internet"
    destinations = ["Internet"]
    next_hop     = azurerm_firewall.hub.id
  }
  routing_policy {
    name         = "private"
    destinations = ["PrivateTraffic"]
    next_hop     = azurerm_firewall.hub.id
  }
}

resource "azurerm_vpn_gateway" "hub" {
  name                = "vpngw-vhub-ne"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
  virtual_hub_id      = azurerm_virtual_hub.hub.id
}

# The site is the on-premises VNet's gateway: its tunnel address and BGP speaker.
resource "azurerm_vpn_site" "dublin" {
  name                = "site-dublin"
  resource_group_name = azurerm_resource_group.wan.name
  location            = local.location
  virtual_wan_id      = azurerm_virtual_wan.wan.id

  link {
    name       = "isp-a"
    ip_address = azurerm_virtual_network_gateway.onprem.bgp_settings[0].peering_addresses[0].tunnel_ip_addresses[0]
    bgp {
      asn             = azurerm_virtual_network_gateway.onprem.bgp_settings[0].asn
      peering_address = azurerm_virtual_network_gateway.onprem.bgp_settings[0].peering_addresses[0].default_addresses[0]
    }
  }
}

# Internet security on: the hub advertises its default route (to the firewall) to the site.
resource "azurerm_vpn_gateway_connection" "dublin" {
  name                      = "vpncn-site-dublin"
  vpn_gateway_id            = azurerm_vpn_gateway.hub.id
  remote_vpn_site_id        = azurerm_vpn_site.dublin.id
  internet_security_enabled = true

  vpn_link {
    name             = "isp-a"
    vpn_site_link_id = azurerm_vpn_site.dublin.link[0].id
    bgp_enabled      = true
    protocol         = "IKEv2"
    shared_key       = "example-only-not-a-secret"
  }
}
