# Aviatrix spoke gateways with local egress. single_ip_snat turns on SNAT, and the
# VPC default route then points at the spoke gateway, which enforces DCF inside the VPC.

locals {
  spoke_vpcs = {
    prod      = "10.10.0.0/16"
    dev       = "10.20.0.0/16"
    analytics = "10.30.0.0/16"
    sandbox   = "10.40.0.0/16"
  }
}

resource "aviatrix_vpc" "spoke" {
  for_each = local.spoke_vpcs

  cloud_type           = 1
  account_name         = var.account
  region               = var.region
  name                 = "${each.key}-vpc"
  cidr                 = each.value
  aviatrix_transit_vpc = false
  aviatrix_firenet_vpc = false
}

resource "aviatrix_spoke_gateway" "prod" {
  cloud_type     = 1
  account_name   = var.account
  gw_name        = "prod-spoke"
  vpc_id         = aviatrix_vpc.spoke["prod"].vpc_id
  vpc_reg        = var.region
  gw_size        = var.spoke_gw_size
  subnet         = aviatrix_vpc.spoke["prod"].public_subnets[0].cidr
  single_ip_snat = true

  manage_transit_gateway_attachment = false
}

resource "aviatrix_spoke_gateway" "dev" {
  cloud_type     = 1
  account_name   = var.account
  gw_name        = "dev-spoke"
  vpc_id         = aviatrix_vpc.spoke["dev"].vpc_id
  vpc_reg        = var.region
  gw_size        = var.spoke_gw_size
  subnet         = aviatrix_vpc.spoke["dev"].public_subnets[0].cidr
  single_ip_snat = true

  manage_transit_gateway_attachment = false
}

# Local egress is on, but no DCF policy names this VPC's SmartGroup (dcf-not-covering).
resource "aviatrix_spoke_gateway" "analytics" {
  cloud_type     = 1
  account_name   = var.account
  gw_name        = "analytics-spoke"
  vpc_id         = aviatrix_vpc.spoke["analytics"].vpc_id
  vpc_reg        = var.region
  gw_size        = var.spoke_gw_size
  subnet         = aviatrix_vpc.spoke["analytics"].public_subnets[0].cidr
  single_ip_snat = true

  manage_transit_gateway_attachment = false
}

# Below Aviatrix's minimum for local egress on AWS (gateway-undersized).
resource "aviatrix_spoke_gateway" "sandbox" {
  cloud_type     = 1
  account_name   = var.account
  gw_name        = "sandbox-spoke"
  vpc_id         = aviatrix_vpc.spoke["sandbox"].vpc_id
  vpc_reg        = var.region
  gw_size        = "t3.small"
  subnet         = aviatrix_vpc.spoke["sandbox"].public_subnets[0].cidr
  single_ip_snat = true

  manage_transit_gateway_attachment = false
}

# A fifth spoke through the public module: the module is remote, Egress Lens recognises it by its
# source and synthesises module.shared.aviatrix_vpc.default[0] and
# module.shared.aviatrix_spoke_gateway.default from these inputs.
module "shared" {
  source  = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  version = "1.6.9"

  cloud          = "AWS"
  name           = "shared-svcs"
  cidr           = "10.50.0.0/16"
  region         = var.region
  account        = var.account
  instance_size  = "t3.medium"
  single_ip_snat = true
  ha_gw          = false
  transit_gw     = aviatrix_transit_gateway.egress.gw_name
}
