# Legacy transit egress (egress applied to Aviatrix transit gateways, docs/domain.md): a transit
# gateway with Egress Transit FireNet enabled acts as a central egress point for attached spokes.
# Attribute per the provider docs: aviatrix_transit_gateway.enable_egress_transit_firenet
# ("Enable Egress Transit FireNet", provider R2.16.3+), which needs enable_transit_firenet.

resource "aviatrix_vpc" "transit" {
  cloud_type           = 1
  account_name         = var.account
  region               = var.region
  name                 = "egress-transit-vpc"
  cidr                 = "10.1.0.0/23"
  aviatrix_transit_vpc = false
  aviatrix_firenet_vpc = true
}

resource "aviatrix_transit_gateway" "egress" {
  cloud_type   = 1
  account_name = var.account
  gw_name      = "egress-transit"
  vpc_id       = aviatrix_vpc.transit.vpc_id
  vpc_reg      = var.region
  gw_size      = "c5.xlarge"
  subnet       = aviatrix_vpc.transit.public_subnets[1].cidr

  connected_transit             = true
  enable_transit_firenet        = true
  enable_egress_transit_firenet = true
}

resource "aviatrix_spoke_transit_attachment" "analytics" {
  spoke_gw_name   = aviatrix_spoke_gateway.analytics.gw_name
  transit_gw_name = aviatrix_transit_gateway.egress.gw_name
}
