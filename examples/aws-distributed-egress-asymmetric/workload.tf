# Workload VPC: the same distributed egress design as aws-distributed-egress-ok, with the
# return leg broken and one legacy subnet that goes straight to the IGW. Breaks are marked BREAK n.
# Outbound: app subnet -> NAT GW (same AZ) -> GWLB endpoint (same AZ) -> IGW.
# Return:   IGW edge route table -> GWLB endpoint (same AZ) -> NAT GW -> app subnet.

locals {
  azs = {
    a = { zone = "us-east-1a", netnum = 0 }
    b = { zone = "us-east-1b", netnum = 1 }
  }

  # The NAT route tables are built per AZ key; this map picks the same-AZ endpoint.
  gwlbe_by_az = {
    a = aws_vpc_endpoint.gwlbe_a.id
    b = aws_vpc_endpoint.gwlbe_b.id
  }
}

resource "aws_vpc" "workload" {
  cidr_block           = var.workload_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

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

# --- Application subnets (private) -------------------------------------------------------------

resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, 1)
  availability_zone = "us-east-1a"

  tags = {
    Name = "app-a"
  }
}

resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, 2)
  availability_zone = "us-east-1b"

  tags = {
    Name = "app-b"
  }
}

# --- NAT subnets, one per AZ -------------------------------------------------------------------

resource "aws_subnet" "nat" {
  for_each = local.azs

  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, 10 + each.value.netnum)
  availability_zone = each.value.zone

  tags = {
    Name = "nat-${each.key}"
  }
}

resource "aws_eip" "nat" {
  for_each = local.azs

  domain = "vpc"

  tags = {
    Name = "nat-${each.key}-eip"
  }
}

resource "aws_nat_gateway" "nat" {
  for_each = local.azs

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.nat[each.key].id

  tags = {
    Name = "natgw-${each.key}"
  }

  depends_on = [aws_internet_gateway.workload]
}

# --- GWLB endpoint subnets ---------------------------------------------------------------------

resource "aws_subnet" "gwlbe_a" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, 20)
  availability_zone = "us-east-1a"

  tags = {
    Name = "gwlbe-a"
  }
}

resource "aws_subnet" "gwlbe_b" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = cidrsubnet(var.workload_cidr, 8, 21)
  availability_zone = "us-east-1b"

  tags = {
    Name = "gwlbe-b"
  }
}

resource "aws_vpc_endpoint" "gwlbe_a" {
  vpc_id            = aws_vpc.workload.id
  service_name      = aws_vpc_endpoint_service.firewall.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.gwlbe_a.id]

  tags = {
    Name = "gwlbe-a"
  }
}

resource "aws_vpc_endpoint" "gwlbe_b" {
  vpc_id            = aws_vpc.workload.id
  service_name      = aws_vpc_endpoint_service.firewall.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.gwlbe_b.id]

  tags = {
    Name = "gwlbe-b"
  }
}

# --- Route tables ------------------------------------------------------------------------------

# Step 1: app subnet -> NAT GW in the same AZ.
resource "aws_route_table" "app_a" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat["a"].id
  }

  tags = {
    Name = "app-a-rt"
  }
}

resource "aws_route_table" "app_b" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat["b"].id
  }

  tags = {
    Name = "app-b-rt"
  }
}

resource "aws_route_table_association" "app_a" {
  subnet_id      = aws_subnet.app_a.id
  route_table_id = aws_route_table.app_a.id
}

resource "aws_route_table_association" "app_b" {
  subnet_id      = aws_subnet.app_b.id
  route_table_id = aws_route_table.app_b.id
}

# Step 2: NAT subnet -> GWLB endpoint in the same AZ.
resource "aws_route_table" "nat" {
  for_each = local.azs

  vpc_id = aws_vpc.workload.id

  tags = {
    Name = "nat-${each.key}-rt"
  }
}

resource "aws_route" "nat_default" {
  for_each = local.azs

  route_table_id         = aws_route_table.nat[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = local.gwlbe_by_az[each.key]
}

resource "aws_route_table_association" "nat" {
  for_each = local.azs

  subnet_id      = aws_subnet.nat[each.key].id
  route_table_id = aws_route_table.nat[each.key].id
}

# Step 5: inspected traffic leaves the endpoint subnets through the IGW.
resource "aws_route_table" "gwlbe" {
  vpc_id = aws_vpc.workload.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }

  tags = {
    Name = "gwlbe-rt"
  }
}

resource "aws_route_table_association" "gwlbe_a" {
  subnet_id      = aws_subnet.gwlbe_a.id
  route_table_id = aws_route_table.gwlbe.id
}

resource "aws_route_table_association" "gwlbe_b" {
  subnet_id      = aws_subnet.gwlbe_b.id
  route_table_id = aws_route_table.gwlbe.id
}

# Step 6: the return leg -- BROKEN on purpose (see README.md).
resource "aws_route_table" "igw_edge" {
  vpc_id = aws_vpc.workload.id

  # BREAK 1 (asymmetric-return-bypass): no route for AZ a's NAT subnet (10.0.10.0/24).
  # Return traffic for natgw-a falls to `local` and reaches the NAT GW without inspection.

  # BREAK 2 (asymmetric-cross-az): AZ b's NAT subnet is sent back through AZ a's endpoint.
  # Outbound leaves through gwlbe_b, the reply comes in through gwlbe_a: another appliance.
  route {
    cidr_block      = aws_subnet.nat["b"].cidr_block
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id
  }

  tags = {
    Name = "igw-edge-rt"
  }
}

resource "aws_route_table_association" "igw_edge" {
  gateway_id     = aws_internet_gateway.workload.id
  route_table_id = aws_route_table.igw_edge.id
}

# --- Legacy management subnet -----------------------------------------------------------------

# BREAK 3 (uninspected-egress): an old management subnet kept its own route table with a default
# route straight to the IGW. Its traffic never reaches a NAT GW or a GWLB endpoint.
resource "aws_subnet" "mgmt" {
  vpc_id                  = aws_vpc.workload.id
  cidr_block              = cidrsubnet(var.workload_cidr, 8, 30)
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true

  tags = {
    Name = "mgmt-legacy"
  }
}

resource "aws_route_table" "mgmt" {
  vpc_id = aws_vpc.workload.id

  tags = {
    Name = "mgmt-legacy-rt"
  }
}

resource "aws_route" "mgmt_default" {
  route_table_id         = aws_route_table.mgmt.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.workload.id
}

resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.mgmt.id
}

# --- Test instances (reference tests: ping 8.8.8.8, curl ipinfo.io) ---------------------------

resource "aws_instance" "app_a" {
  ami           = var.app_ami
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app_a.id
  private_ip    = "10.0.1.15"

  tags = {
    Name = "AppInstance-a"
  }
}

resource "aws_instance" "app_b" {
  ami           = var.app_ami
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app_b.id
  private_ip    = cidrhost(aws_subnet.app_b.cidr_block, 15)

  tags = {
    Name = "AppInstance-b"
  }
}

resource "aws_instance" "bastion" {
  ami           = var.app_ami
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.mgmt.id
  private_ip    = "10.0.30.10"

  tags = {
    Name = "bastion-legacy"
  }
}
