# Azure hub-spoke egress through Azure Firewall, with the mistake of data.tf: a subnet added to the spoke
# later that nobody associated with the spoke's route table.
# Outbound: snet-workload -> UDR 0.0.0.0/0 -> Azure Firewall (hub, AzureFirewallSubnet) -> Internet;
#           snet-data -> Azure's system route 0.0.0.0/0 -> Internet, past the firewall.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.0"
    }
  }
}

provider "azurerm" {
  features {}
}

locals {
  location = "westeurope"
}

resource "azurerm_resource_group" "net" {
  name     = "rg-network"
  location = local.location
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "firewall" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/26"]
}

resource "azurerm_public_ip" "firewall" {
  name                = "pip-firewall"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_firewall_policy" "egress" {
  name                = "fwpolicy-egress"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
}

# Azure Firewall denies what no rule allows: the spoke may reach two named FQDNs over HTTPS, nothing else.
resource "azurerm_firewall_policy_rule_collection_group" "egress" {
  name               = "rcg-egress"
  firewall_policy_id = azurerm_firewall_policy.egress.id
  priority           = 500

  application_rule_collection {
    name     = "allow-updates"
    priority = 100
    action   = "Allow"

    rule {
      name              = "os-updates"
      source_addresses  = ["10.1.0.0/16"]
      destination_fqdns = ["packages.microsoft.com", "security.ubuntu.com"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }
}

resource "azurerm_firewall" "hub" {
  name                = "fw-hub"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.egress.id

  ip_configuration {
    name                 = "ipconfig"
    subnet_id            = azurerm_subnet.firewall.id
    public_ip_address_id = azurerm_public_ip.firewall.id
  }
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke-app"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_subnet" "workload" {
  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  name                      = "hub-to-spoke"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "spoke-to-hub"
  resource_group_name       = azurerm_resource_group.net.name
  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  allow_forwarded_traffic   = true
}

# The spoke's default route goes to the firewall, written as the firewall's own address attribute.
resource "azurerm_route_table" "spoke" {
  name                = "rt-spoke-app"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name

  route {
    name                   = "default-via-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
  }
}

resource "azurerm_subnet_route_table_association" "workload" {
  subnet_id      = azurerm_subnet.workload.id
  route_table_id = azurerm_route_table.spoke.id
}
