# Distributed Cloud Firewall: SmartGroups per VPC, one WebGroup, and the ordered policy list.
# Lower priority number = evaluated first.

locals {
  # Predefined on every controller.
  anywhere        = "def000ad-0000-0000-0000-000000000000"
  public_internet = "def000ad-0000-0000-0000-000000000001"

  # Spokes still being onboarded: a logged permit-all, so the Egress view shows them Monitored.
  monitored_spokes = {
    dev     = { priority = 200, smart_group = aviatrix_smart_group.dev.uuid }
    sandbox = { priority = 210, smart_group = aviatrix_smart_group.sandbox.uuid }
  }
}

resource "aviatrix_distributed_firewalling_config" "this" {
  enable_distributed_firewalling = true
}

resource "aviatrix_smart_group" "prod" {
  name = "prod-vpc"
  selector {
    match_expressions {
      cidr = aviatrix_vpc.spoke["prod"].cidr
    }
  }
}

resource "aviatrix_smart_group" "dev" {
  name = "dev-vpc"
  selector {
    match_expressions {
      cidr = aviatrix_vpc.spoke["dev"].cidr
    }
  }
}

resource "aviatrix_smart_group" "analytics" {
  name = "analytics-vpc"
  selector {
    match_expressions {
      cidr = aviatrix_vpc.spoke["analytics"].cidr
    }
  }
}

resource "aviatrix_smart_group" "sandbox" {
  name = "sandbox-vpc"
  selector {
    match_expressions {
      cidr = aviatrix_vpc.spoke["sandbox"].cidr
    }
  }
}

resource "aviatrix_smart_group" "shared" {
  name = "shared-svcs-vpc"
  selector {
    match_expressions {
      cidr = "10.50.0.0/16"
    }
  }
}

# The reference policy allows ICMP to any public IP within the United States. A geo feed cannot be resolved
# offline, so this example pins the reference test targets (Google public DNS, US-hosted).
resource "aviatrix_smart_group" "us" {
  name = "US"
  selector {
    match_expressions {
      cidr = "8.8.8.8/32"
    }
    match_expressions {
      cidr = "8.8.4.4/32"
    }
  }
}

resource "aviatrix_web_group" "ipinfo" {
  name = "ipinfo-io"
  selector {
    match_expressions {
      snifilter = "ipinfo.io"
    }
  }
}

resource "aviatrix_distributed_firewalling_policy_list" "egress" {
  # prod: HTTPS to one FQDN, ICMP to the US group, everything else denied -> Protected.
  policies {
    name             = "prod-https-ipinfo"
    action           = "PERMIT"
    priority         = 100
    protocol         = "TCP"
    logging          = true
    watch            = false
    src_smart_groups = [aviatrix_smart_group.prod.uuid]
    dst_smart_groups = [local.public_internet]
    web_groups       = [aviatrix_web_group.ipinfo.uuid]

    port_ranges {
      lo = 443
    }
  }

  policies {
    name             = "prod-icmp-us"
    action           = "PERMIT"
    priority         = 110
    protocol         = "ICMP"
    logging          = true
    watch            = false
    src_smart_groups = [aviatrix_smart_group.prod.uuid]
    dst_smart_groups = [aviatrix_smart_group.us.uuid]
  }

  # dev and sandbox: permit-all, logged -> Monitored (dcf-permit-all-egress).
  dynamic "policies" {
    for_each = local.monitored_spokes
    content {
      name             = "${policies.key}-permit-all-logged"
      action           = "PERMIT"
      priority         = policies.value.priority
      protocol         = "ANY"
      logging          = true
      watch            = false
      src_smart_groups = [policies.value.smart_group]
      dst_smart_groups = [local.anywhere]
    }
  }

  # shared-svcs: nothing may leave.
  policies {
    name             = "shared-deny-internet"
    action           = "DENY"
    priority         = 900
    protocol         = "ANY"
    logging          = true
    watch            = false
    src_smart_groups = [aviatrix_smart_group.shared.uuid]
    dst_smart_groups = [local.anywhere]
  }

  policies {
    name             = "prod-deny-all"
    action           = "DENY"
    priority         = 1000
    protocol         = "ANY"
    logging          = true
    watch            = false
    src_smart_groups = [aviatrix_smart_group.prod.uuid]
    dst_smart_groups = [local.anywhere]
  }

  depends_on = [aviatrix_distributed_firewalling_config.this]
}
