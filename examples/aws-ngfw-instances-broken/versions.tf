terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

variable "firewall_ami" {
  description = "Marketplace image of the firewall VM (FortiGate, VM-Series or CloudGuard)."
  type        = string
  default     = "ami-0f1e2d3c4b5a69788"
}

variable "app_ami" {
  type    = string
  default = "ami-0a1b2c3d4e5f60718"
}
