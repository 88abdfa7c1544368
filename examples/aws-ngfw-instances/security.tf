# The security VPC: two firewall VMs (one per AZ), each with three interfaces. Spokes reach it through the
# transit gateway; the TGW attachment subnets send everything to the same-AZ firewall's inside interface;
# the firewall leaves for the internet through its outside interface, which has an elastic IP, and
# translates the spokes' addresses to it.

locals {
  zones = {
    a = { zone = "eu-central-1a", n = 0 }
    b = { zone = "eu-central-1b", n = 1 }
  }
}

resource "aws_vpc" "security" {
  cidr_block = "10.100.0.0/16"
  tags       = { Name = "security-vpc" }
}

resource "aws_internet_gateway" "security" {
  vpc_id = aws_vpc.security.id
  tags   = { Name = "security-igw" }
}

resource "aws_subnet" "mgmt" {
  for_each          = local.zones
  vpc_id            = aws_vpc.security.id
  cidr_block        = cidrsubnet("10.100.0.0/16", 8, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "mgmt-${each.key}" }
}

resource "aws_subnet" "outside" {
  for_each          = local.zones
  vpc_id            = aws_vpc.security.id
  cidr_block        = cidrsubnet("10.100.0.0/16", 8, 10 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "outside-${each.key}" }
}

resource "aws_subnet" "inside" {
  for_each          = local.zones
  vpc_id            = aws_vpc.security.id
  cidr_block        = cidrsubnet("10.100.0.0/16", 8, 20 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "inside-${each.key}" }
}

resource "aws_subnet" "tgw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.security.id
  cidr_block        = cidrsubnet("10.100.0.0/16", 8, 30 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "tgw-attach-${each.key}" }
}

# Management and outside interfaces go to the internet directly: they are the firewall's own.
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.security.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.security.id
  }
  tags = { Name = "security-public" }
}

resource "aws_route_table_association" "mgmt" {
  for_each       = local.zones
  subnet_id      = aws_subnet.mgmt[each.key].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "outside" {
  for_each       = local.zones
  subnet_id      = aws_subnet.outside[each.key].id
  route_table_id = aws_route_table.public.id
}

# The inside interfaces send the spokes' replies back to the transit gateway.
resource "aws_route_table" "inside" {
  vpc_id = aws_vpc.security.id
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "security-inside" }
}

resource "aws_route_table_association" "inside" {
  for_each       = local.zones
  subnet_id      = aws_subnet.inside[each.key].id
  route_table_id = aws_route_table.inside.id
}

# Traffic from the spokes arrives in the attachment subnet of its AZ and goes to that AZ's firewall.
resource "aws_route_table" "tgw" {
  for_each = local.zones
  vpc_id   = aws_vpc.security.id
  tags     = { Name = "security-tgw-${each.key}" }
}

resource "aws_route" "tgw_to_firewall" {
  for_each               = local.zones
  route_table_id         = aws_route_table.tgw[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_network_interface.inside[each.key].id
}

resource "aws_route_table_association" "tgw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.tgw[each.key].id
  route_table_id = aws_route_table.tgw[each.key].id
}

# The firewall VMs: port1 (management) at launch, the outside and inside interfaces attached after.
resource "aws_network_interface" "mgmt" {
  for_each    = local.zones
  subnet_id   = aws_subnet.mgmt[each.key].id
  private_ips = [cidrhost(aws_subnet.mgmt[each.key].cidr_block, 10)]
  tags        = { Name = "fw-${each.key}-mgmt" }
}

resource "aws_network_interface" "outside" {
  for_each          = local.zones
  subnet_id         = aws_subnet.outside[each.key].id
  private_ips       = [cidrhost(aws_subnet.outside[each.key].cidr_block, 10)]
  source_dest_check = false
  tags              = { Name = "fw-${each.key}-outside" }
}

resource "aws_network_interface" "inside" {
  for_each          = local.zones
  subnet_id         = aws_subnet.inside[each.key].id
  private_ips       = [cidrhost(aws_subnet.inside[each.key].cidr_block, 10)]
  source_dest_check = false
  tags              = { Name = "fw-${each.key}-inside" }
}

resource "aws_instance" "firewall" {
  for_each      = local.zones
  ami           = var.firewall_ami
  instance_type = "c6i.xlarge"

  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.mgmt[each.key].id
  }

  tags = { Name = "fw-${each.key}" }
}

resource "aws_network_interface_attachment" "outside" {
  for_each             = local.zones
  instance_id          = aws_instance.firewall[each.key].id
  network_interface_id = aws_network_interface.outside[each.key].id
  device_index         = 1
}

resource "aws_network_interface_attachment" "inside" {
  for_each             = local.zones
  instance_id          = aws_instance.firewall[each.key].id
  network_interface_id = aws_network_interface.inside[each.key].id
  device_index         = 2
}

resource "aws_eip" "mgmt" {
  for_each          = local.zones
  domain            = "vpc"
  network_interface = aws_network_interface.mgmt[each.key].id
  tags              = { Name = "fw-${each.key}-mgmt" }
}

resource "aws_eip" "outside" {
  for_each = local.zones
  domain   = "vpc"
  tags     = { Name = "fw-${each.key}-outside" }
}

resource "aws_eip_association" "outside" {
  for_each             = local.zones
  allocation_id        = aws_eip.outside[each.key].id
  network_interface_id = aws_network_interface.outside[each.key].id
}
