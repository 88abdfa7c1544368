// Inputs written for the Packer image tests (analysis and CLI): a VPC whose private subnet is routed to an instance
// launched from a self-owned AMI, and a Packer template that builds a transparent squid proxy with an allow-list.

/** A VPC whose private subnet's default route names instance `filter`, launched from `data.aws_ami.filter` (`lookup`). */
export const vpc = (lookup: string) => `resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.10.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.filter.primary_network_interface_id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
data "aws_ami" "filter" {
  most_recent = true
${lookup}
}
resource "aws_instance" "filter" {
  ami                         = data.aws_ami.filter.id
  subnet_id                   = aws_subnet.public.id
  instance_type               = "t3.small"
  associate_public_ip_address = true
  source_dest_check           = false
}
`;

export const byName = (glob: string, owners = '"self"') => `  owners = [${owners}]
  filter {
    name   = "name"
    values = ["${glob}"]
  }`;

/** An HCL2 template: a timestamped name, squid installed inline, its configuration copied, a script that intercepts. */
export const HCL = `locals {
  stamp = formatdate("YYYYMMDDhhmm", timestamp())
}
variable "prefix" {
  default = "egress-filter"
}
source "amazon-ebs" "filter" {
  ami_name      = "\${var.prefix}-\${local.stamp}"
  instance_type = "t3.small"
  region        = "eu-west-1"
  ssh_username  = "ec2-user"
}
build {
  sources = ["source.amazon-ebs.filter"]
  provisioner "shell" {
    inline = ["sudo dnf install -y squid"]
  }
  provisioner "file" {
    source      = "\${path.root}/files/squid.conf"
    destination = "/tmp/squid.conf"
  }
  provisioner "shell" {
    script = "scripts/intercept.sh"
  }
}
`;

export const INTERCEPT = `#!/bin/bash
set -e
mv /tmp/squid.conf /etc/squid/squid.conf
iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-port 3129
iptables -t nat -A PREROUTING -p tcp --dport 443 -j REDIRECT --to-port 3130
systemctl enable --now squid
`;

export const SQUID_ALLOW = `http_port 3129 intercept
https_port 3130 intercept ssl-bump cert=/etc/squid/bump.pem
acl allowed dstdomain .example.org
acl tls_ok ssl::server_name .example.org
acl step1 at_step SslBump1
ssl_bump peek step1
ssl_bump splice tls_ok
ssl_bump terminate all
http_access allow allowed
http_access deny all
`;
