# AWS Network Firewall with one endpoint per AZ, default drop with a domain allow-list.
resource "aws_networkfirewall_rule_group" "allowed_domains" {
  name     = "org-allowed-domains"
  capacity = 100
  type     = "STATEFUL"
  rule_group {
    rule_variables {
      ip_sets {
        key = "HOME_NET"
        ip_set {
          definition = var.spoke_cidrs
        }
      }
    }
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".amazonaws.com", "packages.example.net"]
      }
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "org" {
  name = "org-egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
    stateful_default_actions = ["aws:drop_established", "aws:alert_established"]
    stateful_rule_group_reference {
      priority     = 100
      resource_arn = aws_networkfirewall_rule_group.allowed_domains.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "org" {
  name                = "org-egress-firewall"
  vpc_id              = aws_vpc.inspection.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.org.arn
  dynamic "subnet_mapping" {
    for_each = aws_subnet.inspect
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}
