variable "region" {
  type    = string
  default = "eu-central-1"
}

# The address ranges of the spoke VPCs that other accounts attach to the shared transit gateway. They are
# not in this workspace: each account attaches its own VPC, and its CIDR propagates into the default table.
variable "spoke_cidrs" {
  type    = list(string)
  default = ["10.32.0.0/12"]
}
