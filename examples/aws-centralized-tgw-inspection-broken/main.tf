# Centralized egress inspection through a transit gateway (two AZs).
# Outbound: spoke subnet -> TGW (spoke route table) -> inspection VPC TGW subnet -> firewall endpoint (same AZ)
#           -> NAT GW (same AZ) -> IGW.
# Return:   IGW -> NAT GW -> NAT subnet table sends the spoke range to the same-AZ firewall endpoint
#           -> firewall subnet table sends it to the TGW -> TGW (firewall route table, spoke CIDR propagated)
#           -> spoke.
# East-west: spokes in other accounts attach to the same transit gateway with the shared-spokes route table
# (their attachments are not in these inputs), whose 0.0.0.0/0 also carries their traffic to each other into
# the inspection VPC; the firewall subnets send 10.0.0.0/8 back to the TGW.
# BROKEN: appliance mode is off on the inspection attachment, so the TGW picks the inspection VPC's AZ of each
# direction from the AZ the packet came from: a flow between two of those spokes in different AZs meets firewall
# endpoint a one way and endpoint b the other, and the stateful firewall drops it. (Egress to the internet stays
# symmetric: the reply comes back through the NAT GW that translated it, hence through its AZ's endpoint.)

locals {
  zones = {
    a = { zone = "us-east-1a", n = 0 }
    b = { zone = "us-east-1b", n = 1 }
  }
  spokes = "10.0.0.0/8"
}

# ---------------------------------------------------------------- spoke VPC
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
  tags       = { Name = "spoke-app" }
}

resource "aws_subnet" "spoke_app" {
  for_each          = local.zones
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = cidrsubnet(aws_vpc.spoke.cidr_block, 8, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "spoke-app-${each.key}" }
}

resource "aws_subnet" "spoke_tgw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = cidrsubnet(aws_vpc.spoke.cidr_block, 12, 4000 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "spoke-tgw-${each.key}" }
}

resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-rt" }
}

resource "aws_route_table_association" "spoke_app" {
  for_each       = local.zones
  subnet_id      = aws_subnet.spoke_app[each.key].id
  route_table_id = aws_route_table.spoke.id
}

resource "aws_route_table_association" "spoke_tgw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.spoke_tgw[each.key].id
  route_table_id = aws_route_table.spoke.id
}

resource "aws_instance" "app" {
  for_each      = local.zones
  ami           = "ami-0c02fb55956c7d316"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.spoke_app[each.key].id
  tags          = { Name = "app-${each.key}" }
}

# ---------------------------------------------------------------- transit gateway
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  tags                            = { Name = "hub-tgw" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [for s in aws_subnet.spoke_tgw : s.id]
  tags               = { Name = "spoke-attachment" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.inspection.id
  subnet_ids             = [for s in aws_subnet.inspection_tgw : s.id]
  appliance_mode_support = "disable" # the mistake: "enable" keeps both directions in one AZ
  tags                   = { Name = "inspection-attachment" }
}

# Spokes send everything to the inspection VPC.
resource "aws_ec2_transit_gateway_route_table" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spoke-tgw-rt" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}

resource "aws_ec2_transit_gateway_route" "spoke_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}

# Spokes in other accounts (shared through RAM) are associated with this table; it sends everything, their
# traffic to each other included, to the inspection VPC.
resource "aws_ec2_transit_gateway_route_table" "shared_spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "shared-spokes-tgw-rt" }
}

resource "aws_ec2_transit_gateway_route" "shared_spokes_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared_spokes.id
}

# Inspected traffic comes back to the spokes by their propagated CIDRs.
resource "aws_ec2_transit_gateway_route_table" "firewall" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "firewall-tgw-rt" }
}

resource "aws_ec2_transit_gateway_route_table_association" "inspection" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.firewall.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.firewall.id
}

# ---------------------------------------------------------------- inspection VPC
resource "aws_vpc" "inspection" {
  cidr_block = "100.64.0.0/16"
  tags       = { Name = "inspection" }
}

resource "aws_internet_gateway" "inspection" {
  vpc_id = aws_vpc.inspection.id
  tags   = { Name = "inspection-igw" }
}

resource "aws_subnet" "inspection_tgw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 12, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "inspection-tgw-${each.key}" }
}

resource "aws_subnet" "firewall" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 12, 16 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "firewall-${each.key}" }
}

resource "aws_subnet" "public" {
  for_each          = local.zones
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 8, 10 + each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "public-${each.key}" }
}

resource "aws_eip" "nat" {
  for_each = local.zones
  domain   = "vpc"
}

resource "aws_nat_gateway" "egress" {
  for_each      = local.zones
  subnet_id     = aws_subnet.public[each.key].id
  allocation_id = aws_eip.nat[each.key].id
  tags          = { Name = "nat-${each.key}" }
}

resource "aws_networkfirewall_rule_group" "allow" {
  name     = "egress-allow"
  type     = "STATEFUL"
  capacity = 100
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".amazonaws.com", "packages.example.org"]
      }
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "central-egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
    # HOME_NET defaults to this VPC's CIDR (100.64.0.0/16): the spokes' traffic would match no rule of the
    # domain list and end in the default drop, allowed domains included. It must hold the spokes.
    policy_variables {
      rule_variables {
        key = "HOME_NET"
        ip_set {
          definition = [local.spokes, aws_vpc.inspection.cidr_block]
        }
      }
    }
    stateful_rule_group_reference {
      priority     = 10
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "central" {
  name                = "central-firewall"
  vpc_id              = aws_vpc.inspection.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.egress.arn
  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}

# TGW subnets: everything from the spokes to the firewall endpoint of the same AZ.
resource "aws_route_table" "inspection_tgw" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.central.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)
  }
  tags = { Name = "inspection-tgw-${each.key}-rt" }
}

resource "aws_route_table_association" "inspection_tgw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.inspection_tgw[each.key].id
  route_table_id = aws_route_table.inspection_tgw[each.key].id
}

# Firewall subnets: inspected egress to the NAT GW of the same AZ, inspected replies back to the TGW.
resource "aws_route_table" "firewall" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress[each.key].id
  }
  route {
    cidr_block         = local.spokes
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "firewall-${each.key}-rt" }
}

resource "aws_route_table_association" "firewall" {
  for_each       = local.zones
  subnet_id      = aws_subnet.firewall[each.key].id
  route_table_id = aws_route_table.firewall[each.key].id
}

# NAT subnets: out to the IGW; replies to the spokes through the same-AZ firewall endpoint (inspection before NAT).
resource "aws_route_table" "public" {
  for_each = local.zones
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.inspection.id
  }
  route {
    cidr_block      = local.spokes
    vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.central.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)
  }
  tags = { Name = "public-${each.key}-rt" }
}

resource "aws_route_table_association" "public" {
  for_each       = local.zones
  subnet_id      = aws_subnet.public[each.key].id
  route_table_id = aws_route_table.public[each.key].id
}
