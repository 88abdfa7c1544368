// Inputs written for the Packer image tests (analysis and CLI): a VPC whose private subnet is routed to an instance
// launched from a self-owned AMI, and a Packer template that builds a transparent squid proxy with an allow-list.
import { forwardingInstanceVpc } from './applianceFixtures';

/** A VPC whose private subnet's default route names instance `filter`, launched from `data.aws_ami.filter` (`lookup`). */
export const vpc = (lookup: string) =>
  forwardingInstanceVpc(
    '  ami = data.aws_ami.filter.id',
    `data "aws_ami" "filter" {
  most_recent = true
${lookup}
}
`,
    { name: 'filter', net: '10.30' },
  );

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
