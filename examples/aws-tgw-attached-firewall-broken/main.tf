# AWS Network Firewall attached to the transit gateway natively, with one mistake: the data spoke also
# propagates into spokes-rt (see the end of the file), so replies to it go around the firewall.

locals {
  zones = {
    a = { az = "us-east-1a", index = 0 }
    b = { az = "us-east-1b", index = 1 }
  }
  spokes = {
    app  = "10.1.0.0/16"
    data = "10.2.0.0/16"
  }
  spoke_zones = merge([
    for s, cidr in local.spokes : {
      for z, zone in local.zones : "${s}-${z}" => { spoke = s, cidr = cidr, az = zone.az, index = zone.index }
    }
  ]...)

  # The firewall's own TGW attachment, as AWS reports it once the firewall is attached.
  firewall_attachment = aws_networkfirewall_firewall.tgw.firewall_status[0].transit_gateway_attachment_sync_states[0].attachment_id
}

# ---------------------------------------------------------------------------------------------------------
# Spoke VPCs: workloads only, every subnet sends 0.0.0.0/0 to the transit gateway.

resource "aws_vpc" "spoke" {
  for_each   = local.spokes
  cidr_block = each.value
  tags       = { Name = "spoke-${each.key}" }
}

resource "aws_subnet" "workload" {
  for_each          = local.spoke_zones
  vpc_id            = aws_vpc.spoke[each.value.spoke].id
  cidr_block        = cidrsubnet(each.value.cidr, 8, 10 + each.value.index)
  availability_zone = each.value.az
  tags              = { Name = "${each.key}-workload" }
}

resource "aws_subnet" "spoke_tgw" {
  for_each          = local.spoke_zones
  vpc_id            = aws_vpc.spoke[each.value.spoke].id
  cidr_block        = cidrsubnet(each.value.cidr, 12, 4080 + each.value.index)
  availability_zone = each.value.az
  tags              = { Name = "${each.key}-tgw" }
}

resource "aws_route_table" "spoke" {
  for_each = local.spokes
  vpc_id   = aws_vpc.spoke[each.key].id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-${each.key}-rt" }
}

resource "aws_route_table_association" "workload" {
  for_each       = local.spoke_zones
  subnet_id      = aws_subnet.workload[each.key].id
  route_table_id = aws_route_table.spoke[each.value.spoke].id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  for_each           = local.spokes
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke[each.key].id
  subnet_ids         = [for k, s in aws_subnet.spoke_tgw : s.id if local.spoke_zones[k].spoke == each.key]
  tags               = { Name = "${each.key}-attachment" }
}

# ---------------------------------------------------------------------------------------------------------
# Egress VPC: TGW subnets -> NAT GW of the same AZ -> IGW; the public subnets send the spoke range back to
# the TGW. No firewall here: inspection happened at the TGW before the flow got here.

resource "aws_vpc" "egress" {
  cidr_block = "100.64.0.0/16"
  tags       = { Name = "egress" }
}

resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
  tags   = { Name = "egress-igw" }
}

resource "aws_subnet" "egress_tgw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet("100.64.0.0/16", 12, each.value.index)
  availability_zone = each.value.az
  tags              = { Name = "egress-tgw-${each.key}" }
}

resource "aws_subnet" "public" {
  for_each          = local.zones
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, 10 + each.value.index)
  availability_zone = each.value.az
  tags              = { Name = "public-${each.key}" }
}

resource "aws_eip" "nat" {
  for_each = local.zones
  domain   = "vpc"
}

resource "aws_nat_gateway" "egress" {
  for_each      = local.zones
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = { Name = "nat-${each.key}" }
}

resource "aws_route_table" "egress_tgw" {
  for_each = local.zones
  vpc_id   = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress[each.key].id
  }
  tags = { Name = "egress-tgw-${each.key}-rt" }
}

resource "aws_route_table_association" "egress_tgw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.egress_tgw[each.key].id
  route_table_id = aws_route_table.egress_tgw[each.key].id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "public-rt" }
}

resource "aws_route_table_association" "public" {
  for_each       = local.zones
  subnet_id      = aws_subnet.public[each.key].id
  route_table_id = aws_route_table.public.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [for s in aws_subnet.egress_tgw : s.id]
  tags               = { Name = "egress-attachment" }
}

# ---------------------------------------------------------------------------------------------------------
# Transit gateway and the firewall attached to it.

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  tags                            = { Name = "hub-tgw" }
}

resource "aws_networkfirewall_rule_group" "web" {
  name     = "spoke-web-allow"
  type     = "STATEFUL"
  capacity = 50
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI"]
        targets              = ["ipinfo.io", ".amazonaws.com"]
      }
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "spokes" {
  name = "spoke-egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
    stateful_rule_group_reference {
      priority     = 100
      resource_arn = aws_networkfirewall_rule_group.web.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "tgw" {
  name                = "hub-firewall"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.spokes.arn
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  availability_zone_mapping {
    availability_zone_id = "use1-az1"
  }
  availability_zone_mapping {
    availability_zone_id = "use1-az2"
  }
}

# spokes-rt: the spokes and the egress VPC. Everything they send goes to the firewall first.
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes-rt" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke[each.key].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "to_firewall" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = local.firewall_attachment
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# inspected-rt: what the firewall hands back. The spokes' CIDRs by propagation, the internet via the egress VPC.
resource "aws_ec2_transit_gateway_route_table" "inspected" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "inspected-rt" }
}

resource "aws_ec2_transit_gateway_route_table_association" "firewall" {
  transit_gateway_attachment_id  = local.firewall_attachment
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke[each.key].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}

resource "aws_ec2_transit_gateway_route" "to_egress" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}

# Added later "so the app tier reaches the database directly": spokes-rt now has 10.2.0.0/16 -> data-attachment,
# which also carries the internet's replies to the data spoke, past the firewall.
resource "aws_ec2_transit_gateway_route_table_propagation" "data_direct" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke["data"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
