# Distributed egress through a firewall service that Egress Lens does not model: Palo Alto Cloud NGFW
# for AWS, one firewall endpoint per AZ in the VPC it protects.
# Outbound: app subnet -> Cloud NGFW endpoint (same AZ) -> firewall subnet table -> IGW.
# Return:   IGW edge route table -> Cloud NGFW endpoint (same AZ) -> app subnet.
# The endpoints' ids and what the rulestack allows are known only to the service, so every path through it
# is Unknown, with the firewall as the reason; its own subnets are never judged as workloads.

locals {
  zones = {
    a = { zone = "us-east-1a", app = 1, firewall = 101 }
    b = { zone = "us-east-1b", app = 2, firewall = 102 }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "ngfw-protected-vpc" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "ngfw-igw" }
}

resource "aws_subnet" "app" {
  for_each = local.zones

  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value.app)
  availability_zone       = each.value.zone
  map_public_ip_on_launch = true
  tags                    = { Name = "app-${each.key}" }
}

resource "aws_subnet" "firewall" {
  for_each = local.zones

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value.firewall)
  availability_zone = each.value.zone
  tags              = { Name = "ngfw-${each.key}" }
}

# The firewall and its rules live in the Cloud NGFW service: the rulestack is managed there too.
resource "cloudngfwaws_ngfw" "egress" {
  name        = "egress-ngfw"
  vpc_id      = aws_vpc.main.id
  account_id  = "111122223333"
  description = "Egress inspection for the app subnets"
  rulestack   = "egress-rulestack"

  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}

# The app subnets send everything to the Cloud NGFW endpoint of their AZ.
resource "aws_route_table" "app" {
  for_each = local.zones

  vpc_id = aws_vpc.main.id
  tags   = { Name = "app-${each.key}-rt" }
}

resource "aws_route" "app_default" {
  for_each = local.zones

  route_table_id         = aws_route_table.app[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = [for a in cloudngfwaws_ngfw.egress.status[0].attachment : a.endpoint_id if a.subnet_id == aws_subnet.firewall[each.key].id][0]
}

resource "aws_route_table_association" "app" {
  for_each = local.zones

  subnet_id      = aws_subnet.app[each.key].id
  route_table_id = aws_route_table.app[each.key].id
}

# The firewall subnets hand inspected traffic to the IGW.
resource "aws_route_table" "firewall" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "ngfw-rt" }

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "firewall" {
  for_each = local.zones

  subnet_id      = aws_subnet.firewall[each.key].id
  route_table_id = aws_route_table.firewall.id
}

# Replies from the internet go back through the endpoint of the app subnet's AZ.
resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "ngfw-edge-rt" }
}

resource "aws_route" "edge_to_app" {
  for_each = local.zones

  route_table_id         = aws_route_table.edge.id
  destination_cidr_block = aws_subnet.app[each.key].cidr_block
  vpc_endpoint_id        = [for a in cloudngfwaws_ngfw.egress.status[0].attachment : a.endpoint_id if a.subnet_id == aws_subnet.firewall[each.key].id][0]
}

resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.edge.id
}
