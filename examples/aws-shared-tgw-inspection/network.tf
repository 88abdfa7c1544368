# Central egress inspection for an organisation: this network account owns the inspection VPC and a transit
# gateway shared through AWS RAM; spoke VPCs in other accounts attach to it (auto-accepted, associated with
# and propagated into the TGW's default route table, which sends 0.0.0.0/0 here).
#
# Outbound: spoke -> TGW (default table: 0.0.0.0/0 -> inspection attachment) -> TGW subnet
#           -> firewall endpoint of the same AZ (inspection before NAT) -> NAT GW of the same AZ -> IGW.
# Return:   IGW -> NAT GW -> NAT subnet table sends the spoke ranges to the same-AZ firewall endpoint
#           -> firewall subnet table sends them to the TGW -> TGW (default table: the spokes' propagated CIDRs).

locals {
  zones = {
    a = { zone = "${var.region}a", n = 0 }
    b = { zone = "${var.region}b", n = 1 }
  }
}

resource "aws_vpc" "inspection" {
  cidr_block = "100.72.0.0/20"
  tags       = { Name = "org-inspection" }
}

resource "aws_internet_gateway" "inspection" {
  vpc_id = aws_vpc.inspection.id
  tags   = { Name = "org-inspection-igw" }
}

# Three /24s per AZ: where the TGW attaches, where the firewall endpoints sit, where the NAT GWs sit.
resource "aws_subnet" "attach" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 4, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "attach-${each.key}" }
}

resource "aws_subnet" "inspect" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 4, 4 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "inspect-${each.key}" }
}

resource "aws_subnet" "egress" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 4, 8 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "egress-${each.key}" }
}

resource "aws_eip" "egress" {
  for_each = local.zones
  domain   = "vpc"
  tags     = { Name = "egress-nat-${each.key}" }
}

resource "aws_nat_gateway" "egress" {
  for_each      = local.zones
  allocation_id = aws_eip.egress[each.key].id
  subnet_id     = aws_subnet.egress[each.key].id
  tags          = { Name = "egress-nat-${each.key}" }
}

# The firewall endpoint in an AZ, picked from the firewall's sync states by its subnet.
locals {
  endpoint_of = {
    for k, s in aws_subnet.inspect : k => one([
      for st in aws_networkfirewall_firewall.org.firewall_status[0].sync_states : st.attachment[0].endpoint_id
      if st.attachment[0].subnet_id == s.id
    ])
  }
}

# TGW subnets: everything the spokes send goes to the firewall endpoint of the same AZ.
resource "aws_route_table" "attach" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = local.endpoint_of[each.key]
  }
  tags = { Name = "attach-${each.key}-rt" }
}

resource "aws_route_table_association" "attach" {
  for_each       = local.zones
  subnet_id      = aws_subnet.attach[each.key].id
  route_table_id = aws_route_table.attach[each.key].id
}

# Firewall subnets and NAT subnets: their routes are aws_route resources (below), one per AZ and range.
resource "aws_route_table" "inspect" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  tags     = { Name = "inspect-${each.key}-rt" }
}

resource "aws_route_table_association" "inspect" {
  for_each       = local.zones
  subnet_id      = aws_subnet.inspect[each.key].id
  route_table_id = aws_route_table.inspect[each.key].id
}

resource "aws_route_table" "egress" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  tags     = { Name = "egress-${each.key}-rt" }
}

resource "aws_route_table_association" "egress" {
  for_each       = local.zones
  subnet_id      = aws_subnet.egress[each.key].id
  route_table_id = aws_route_table.egress[each.key].id
}

# Inspected egress leaves the firewall subnets for the NAT GW of the same AZ.
resource "aws_route" "inspect_default" {
  for_each               = local.zones
  route_table_id         = aws_route_table.inspect[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.egress[each.key].id
}

# The NAT GWs send it out to the IGW.
resource "aws_route" "egress_default" {
  for_each               = local.zones
  route_table_id         = aws_route_table.egress[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.inspection.id
}

# The routes back to the spokes, one per AZ and spoke range.
locals {
  spoke_routes = {
    for pair in setproduct(keys(local.zones), var.spoke_cidrs) : "${pair[0]}/${pair[1]}" => { az = pair[0], cidr = pair[1] }
  }
}

# Inspected replies leave the firewall subnets for the spokes through the TGW.
resource "aws_route" "inspect_to_spokes" {
  for_each               = local.spoke_routes
  route_table_id         = aws_route_table.inspect[each.value.az].id
  destination_cidr_block = each.value.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.org.id
}

# Replies the NAT GW un-translates go to the firewall endpoint of its AZ first (inspection before NAT).
resource "aws_route" "egress_to_spokes" {
  for_each               = local.spoke_routes
  route_table_id         = aws_route_table.egress[each.value.az].id
  destination_cidr_block = each.value.cidr
  vpc_endpoint_id        = local.endpoint_of[each.value.az]
}
