# The transit gateway other accounts attach their spoke VPCs to: shared through RAM, attachments accepted
# automatically, each associated with and propagated into the default route table.
resource "aws_ec2_transit_gateway" "org" {
  description                    = "organisation egress hub"
  auto_accept_shared_attachments = "enable"
  tags                           = { Name = "org-tgw" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id     = aws_ec2_transit_gateway.org.id
  vpc_id                 = aws_vpc.inspection.id
  subnet_ids             = [for s in aws_subnet.attach : s.id]
  appliance_mode_support = "enable"
  tags                   = { Name = "inspection-attachment" }
}

# Everything the spokes send to the internet goes to the inspection VPC.
resource "aws_ec2_transit_gateway_route" "default_to_inspection" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.org.association_default_route_table_id
}

resource "aws_ram_resource_share" "tgw" {
  name                      = "org-tgw"
  allow_external_principals = false
}

resource "aws_ram_resource_association" "tgw" {
  resource_arn       = aws_ec2_transit_gateway.org.arn
  resource_share_arn = aws_ram_resource_share.tgw.arn
}

resource "aws_ram_principal_association" "org" {
  principal          = "arn:aws:organizations::111122223333:organization/o-exampleorgid"
  resource_share_arn = aws_ram_resource_share.tgw.arn
}
