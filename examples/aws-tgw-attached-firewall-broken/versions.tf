terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # transit_gateway_id and availability_zone_mapping on aws_networkfirewall_firewall came with v6.
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}
