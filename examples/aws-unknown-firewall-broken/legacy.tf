# BROKEN: a subnet added later for a batch job, given public IPs and its own route table straight to the
# IGW. Its traffic never meets the Cloud NGFW.

resource "aws_subnet" "batch" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, 50)
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
  tags                    = { Name = "batch-a" }
}

resource "aws_route_table" "batch" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "batch-rt" }

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "batch" {
  subnet_id      = aws_subnet.batch.id
  route_table_id = aws_route_table.batch.id
}
