# Spokes send 0.0.0.0/0 to the security VPC; the security VPC's attachment returns the spoke CIDR.
# Appliance mode keeps both directions of a flow on the same AZ's firewall.

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  tags                            = { Name = "hub-tgw" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [for k, s in aws_subnet.app : s.id]
  tags               = { Name = "app-attachment" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "security" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.security.id
  subnet_ids             = [for k, s in aws_subnet.tgw : s.id]
  appliance_mode_support = "enable"
  tags                   = { Name = "security-attachment" }
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

resource "aws_ec2_transit_gateway_route_table" "security" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "security" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "security" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.security.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.security.id
}

resource "aws_ec2_transit_gateway_route" "spokes_default" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.security.id
}

resource "aws_ec2_transit_gateway_route" "security_to_spoke" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.security.id
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
}
