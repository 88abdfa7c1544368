variable "region" {
  description = "Region of both VPCs."
  type        = string
  default     = "us-east-1"
}

variable "workload_cidr" {
  description = "Application (workload) VPC CIDR."
  type        = string
  default     = "10.0.0.0/16"
}

variable "inspection_cidr" {
  description = "Provider (inspection) VPC CIDR, where the GWLB and the firewalls live."
  type        = string
  default     = "10.100.0.0/16"
}

variable "app_ami" {
  description = "AMI of the test application instances."
  type        = string
  default     = "ami-0c02fb55956c7d316"
}

variable "firewall_ami" {
  description = "FortiGate (or any GENEVE-capable appliance) AMI."
  type        = string
  default     = "ami-0f1b2c3d4e5f60718"
}
