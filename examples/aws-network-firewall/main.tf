# Distributed AWS Network Firewall, one endpoint per AZ in the VPC it protects.
# Outbound: protected subnet -> firewall endpoint (same AZ) -> IGW.
# Return:   IGW edge route table -> firewall endpoint (same AZ) -> protected subnet.

locals {
  zones = {
    a = { zone = "us-east-1a", protected = 1, firewall = 101 }
    b = { zone = "us-east-1b", protected = 2, firewall = 102 }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"

  tags = {
    Name = "protected-vpc"
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id

  tags = {
    Name = "protected-igw"
  }
}

resource "aws_subnet" "firewall" {
  for_each = local.zones

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value.firewall)
  availability_zone = each.value.zone

  tags = {
    Name = "firewall-${each.key}"
  }
}

resource "aws_subnet" "protected" {
  for_each = local.zones

  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value.protected)
  availability_zone       = each.value.zone
  map_public_ip_on_launch = true

  tags = {
    Name = "protected-${each.key}"
  }
}

resource "aws_networkfirewall_rule_group" "allow_domains" {
  name     = "allow-domains"
  type     = "STATEFUL"
  capacity = 100

  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".amazonaws.com", "ipinfo.io"]
      }
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "egress-policy"

  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]

    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }

    stateful_rule_group_reference {
      priority     = 10
      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "egress" {
  name                = "egress-firewall"
  vpc_id              = aws_vpc.main.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.egress.arn

  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}

# Protected subnets leave through the firewall endpoint of their own AZ.
resource "aws_route_table" "protected" {
  for_each = local.zones

  vpc_id = aws_vpc.main.id

  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)
  }

  tags = {
    Name = "protected-${each.key}-rt"
  }
}

resource "aws_route_table_association" "protected" {
  for_each = local.zones

  subnet_id      = aws_subnet.protected[each.key].id
  route_table_id = aws_route_table.protected[each.key].id
}

# Firewall subnets: inspected traffic goes to the internet.
resource "aws_route_table" "firewall" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = {
    Name = "firewall-rt"
  }
}

resource "aws_route_table_association" "firewall" {
  for_each = local.zones

  subnet_id      = aws_subnet.firewall[each.key].id
  route_table_id = aws_route_table.firewall.id
}

# Replies from the internet: each protected subnet back through its own AZ's endpoint.
resource "aws_route_table" "igw_edge" {
  vpc_id = aws_vpc.main.id

  dynamic "route" {
    for_each = local.zones
    content {
      cidr_block      = aws_subnet.protected[route.key].cidr_block
      vpc_endpoint_id = element([for ss in tolist(aws_networkfirewall_firewall.egress.firewall_status[0].sync_states) : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[route.key].id], 0)
    }
  }

  tags = {
    Name = "igw-edge-rt"
  }
}

resource "aws_route_table_association" "igw_edge" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.igw_edge.id
}

resource "aws_instance" "app" {
  for_each = local.zones

  ami           = "ami-0c02fb55956c7d316"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.protected[each.key].id

  tags = {
    Name = "app-${each.key}"
  }
}
