variable "controller_ip" {
  description = "Aviatrix Controller address."
  type        = string
}

variable "controller_username" {
  type = string
}

variable "controller_password" {
  type      = string
  sensitive = true
}

variable "account" {
  description = "Aviatrix access account onboarded for AWS."
  type        = string
  default     = "aws-prod"
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "spoke_gw_size" {
  description = "Aviatrix: use at least t3.medium on AWS when applying local egress."
  type        = string
  default     = "t3.medium"
}
