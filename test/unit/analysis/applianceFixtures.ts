// Terraform written for the appliance tests (applianceRole, applianceBootstrap, opnsenseNva, packerImage): the
// single-VPC NAT instance design on AWS and the pieces of an Azure hub-spoke whose spoke's UDR sends 0/0 to a hub NVA.
// One copy, so that a test says only what its appliance runs.

/**
 * A VPC with a public subnet (0/0 to the IGW) and a private one whose 0/0 names instance `name`, which lives in the
 * public subnet with a public IP and source/destination check off. `instance` is the rest of its body (an ami, user
 * data, tags); `extra` follows the instance (a data source it reads).
 */
export function forwardingInstanceVpc(instance: string, extra = '', opts: { name?: string; net?: string } = {}): string {
  const name = opts.name ?? 'edge';
  const net = opts.net ?? '10.20';
  return `
resource "aws_vpc" "main" {
  cidr_block = "${net}.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "${net}.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "${net}.10.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.${name}.primary_network_interface_id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_instance" "${name}" {
  subnet_id                   = aws_subnet.public.id
  instance_type               = "t3.micro"
  associate_public_ip_address = true
  source_dest_check           = false
${instance}
}
${extra}`;
}

/** An Azure resource group `rg` and hub VNet `hub` (10.0.0.0/16) in westeurope. */
export const azureHub = (group: string) => `
resource "azurerm_resource_group" "rg" {
  name     = "${group}"
  location = "westeurope"
}
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}`;

/** The NVA's public IP `nva`. */
export const azureNvaPublicIp = `
resource "azurerm_public_ip" "nva" {
  name                = "pip-nva"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  allocation_method   = "Static"
  sku                 = "Standard"
}`;

/** A spoke VNet (10.1.0.0/16, subnet `app`) peered both ways with the hub, forwarded traffic allowed. */
export const azureSpoke = `
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  address_space       = ["10.1.0.0/16"]
}
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}
resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "spoke-to-hub"
  resource_group_name       = azurerm_resource_group.rg.name
  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  allow_forwarded_traffic   = true
}
resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  name                      = "hub-to-spoke"
  resource_group_name       = azurerm_resource_group.rg.name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
  allow_forwarded_traffic   = true
}`;

/** The spoke subnet's route table: 0/0 to the virtual appliance at `nextHop` (an address or an expression). */
export const azureSpokeDefaultTo = (route: string, nextHop: string) => `
resource "azurerm_route_table" "spoke" {
  name                = "rt-spoke"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  route {
    name                   = "${route}"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = ${nextHop}
  }
}
resource "azurerm_subnet_route_table_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  route_table_id = azurerm_route_table.spoke.id
}
`;
