# Workload VPC, inspection BEFORE NAT, with two return-path mistakes (see the NAT route tables).
# Outbound: app subnet -> GWLB endpoint (same AZ) -> NAT GW (same AZ) -> IGW.
# Return:   IGW -> NAT GW (un-NAT) -> the NAT subnet's route table sends the app CIDR back to the
#           same-AZ GWLB endpoint (a route more specific than `local`) -> app subnet.
# No IGW edge route table: post-NAT replies must NOT be steered to the firewall a second time.

locals {
  zones = {
    a = { zone = "us-east-1a", app = 1, endpoint = 20, nat = 10 }
    b = { zone = "us-east-1b", app = 2, endpoint = 21, nat = 11 }
  }
}

resource "aws_vpc" "workload" {
  cidr_block = var.workload_cidr

  tags = {
    Name = "workload-vpc"
  }
}

resource "aws_internet_gateway" "workload" {
  vpc_id = aws_vpc.workload.id

  tags = {
    Name = "workload-igw"
  }
}

resource "aws_subnet" "app" {
  for_each = local.zones

  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, each.value.app)
  availability_zone = each.value.zone

  tags = {
    Name = "app-${each.key}"
  }
}

resource "aws_subnet" "endpoint" {
  for_each = local.zones

  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, each.value.endpoint)
  availability_zone = each.value.zone

  tags = {
    Name = "gwlbe-${each.key}"
  }
}

resource "aws_subnet" "nat" {
  for_each = local.zones

  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, each.value.nat)
  availability_zone = each.value.zone

  tags = {
    Name = "nat-${each.key}"
  }
}

resource "aws_vpc_endpoint" "gwlbe" {
  for_each = local.zones

  vpc_id            = aws_vpc.workload.id
  service_name      = aws_vpc_endpoint_service.firewall.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.endpoint[each.key].id]

  tags = {
    Name = "gwlbe-${each.key}"
  }
}

resource "aws_eip" "nat" {
  for_each = local.zones

  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  for_each = local.zones

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.nat[each.key].id

  tags = {
    Name = "natgw-${each.key}"
  }
}

# App subnets: everything leaves through the same-AZ endpoint.
resource "aws_route_table" "app" {
  for_each = local.zones

  vpc_id = aws_vpc.workload.id

  tags = {
    Name = "app-${each.key}-rt"
  }
}

resource "aws_route" "app_default" {
  for_each = local.zones

  route_table_id         = aws_route_table.app[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = aws_vpc_endpoint.gwlbe[each.key].id
}

resource "aws_route_table_association" "app" {
  for_each = local.zones

  subnet_id      = aws_subnet.app[each.key].id
  route_table_id = aws_route_table.app[each.key].id
}

# Endpoint subnets: inspected traffic goes on to the same-AZ NAT GW.
resource "aws_route_table" "endpoint" {
  for_each = local.zones

  vpc_id = aws_vpc.workload.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat[each.key].id
  }

  tags = {
    Name = "gwlbe-${each.key}-rt"
  }
}

resource "aws_route_table_association" "endpoint" {
  for_each = local.zones

  subnet_id      = aws_subnet.endpoint[each.key].id
  route_table_id = aws_route_table.endpoint[each.key].id
}

# NAT subnets, one table each. Two mistakes:
# - nat-a-rt has no route back to app-a through gwlbe-a: replies bypass the firewall;
# - nat-b-rt sends app-b's replies to gwlbe-a (the other AZ): the firewall in AZ a sees only replies.
resource "aws_route_table" "nat_a" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }

  tags = {
    Name = "nat-a-rt"
  }
}

resource "aws_route_table" "nat_b" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }

  route {
    cidr_block      = aws_subnet.app["b"].cidr_block
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe["a"].id
  }

  tags = {
    Name = "nat-b-rt"
  }
}

resource "aws_route_table_association" "nat_a" {
  subnet_id      = aws_subnet.nat["a"].id
  route_table_id = aws_route_table.nat_a.id
}

resource "aws_route_table_association" "nat_b" {
  subnet_id      = aws_subnet.nat["b"].id
  route_table_id = aws_route_table.nat_b.id
}

resource "aws_instance" "app" {
  for_each = local.zones

  ami           = var.app_ami
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app[each.key].id
  private_ip    = cidrhost(aws_subnet.app[each.key].cidr_block, 15)

  tags = {
    Name = "app-${each.key}"
  }
}
