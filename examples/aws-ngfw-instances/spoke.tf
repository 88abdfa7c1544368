# The spoke: app instances with no public IP send everything to the transit gateway. The TGW attachment
# uses the app subnets themselves (as many vendor modules do), which stay workload subnets. A database
# subnet keeps an old route to the spoke's own IGW, but its instance has no public IP: no path out.

resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
  tags       = { Name = "app-vpc" }
}

resource "aws_internet_gateway" "spoke" {
  vpc_id = aws_vpc.spoke.id
  tags   = { Name = "app-igw" }
}

resource "aws_subnet" "app" {
  for_each          = local.zones
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = cidrsubnet("10.1.0.0/16", 8, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "app-${each.key}" }
}

resource "aws_subnet" "db" {
  vpc_id                  = aws_vpc.spoke.id
  cidr_block              = "10.1.50.0/24"
  availability_zone       = "eu-central-1a"
  map_public_ip_on_launch = false
  tags                    = { Name = "db-a" }
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "app" }
}

resource "aws_route_table_association" "app" {
  for_each       = local.zones
  subnet_id      = aws_subnet.app[each.key].id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.spoke.id
  }
  tags = { Name = "db" }
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}

resource "aws_instance" "app" {
  for_each      = local.zones
  ami           = var.app_ami
  instance_type = "t3.small"
  subnet_id     = aws_subnet.app[each.key].id
  private_ip    = cidrhost(aws_subnet.app[each.key].cidr_block, 20)
  tags          = { Name = "app-${each.key}" }
}

resource "aws_instance" "db" {
  ami           = var.app_ami
  instance_type = "t3.small"
  subnet_id     = aws_subnet.db.id
  private_ip    = "10.1.50.20"
  tags          = { Name = "db-a" }
}
