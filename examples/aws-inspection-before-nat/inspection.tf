# Provider (inspection) VPC: Gateway Load Balancer, GENEVE target group, firewall appliances,
# and the endpoint service the workload VPC's GWLB endpoints connect to over PrivateLink.

locals {
  fw_subnet_ids   = [aws_subnet.fw_a.id, aws_subnet.fw_b.id]
  fw_subnet_cidrs = [aws_subnet.fw_a.cidr_block, aws_subnet.fw_b.cidr_block]
}

resource "aws_vpc" "inspection" {
  cidr_block = var.inspection_cidr

  tags = {
    Name = "inspection-vpc"
  }
}

resource "aws_subnet" "fw_a" {
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = "10.100.1.0/24"
  availability_zone = "us-east-1a"

  tags = {
    Name = "fw-a"
  }
}

resource "aws_subnet" "fw_b" {
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = "10.100.2.0/24"
  availability_zone = "us-east-1b"

  tags = {
    Name = "fw-b"
  }
}

resource "aws_lb" "gwlb" {
  name               = "egress-gwlb"
  load_balancer_type = "gateway"
  subnets            = local.fw_subnet_ids

  # Off (the default): a flow stays on the appliance of the AZ it entered.
  enable_cross_zone_load_balancing = false

  tags = {
    Name = "egress-gwlb"
  }
}

resource "aws_lb_target_group" "firewall" {
  name        = "egress-fw"
  port        = 6081
  protocol    = "GENEVE"
  vpc_id      = aws_vpc.inspection.id
  target_type = "instance"

  health_check {
    port     = 80
    protocol = "HTTP"
    path     = "/"
  }
}

resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.firewall.arn
  }
}

resource "aws_instance" "firewall" {
  count = 2

  ami           = var.firewall_ami
  instance_type = "c6i.large"
  subnet_id     = local.fw_subnet_ids[count.index]
  private_ip    = cidrhost(local.fw_subnet_cidrs[count.index], 10)

  tags = {
    Name   = "fortigate-${count.index}"
    Vendor = "fortinet"
  }
}

resource "aws_lb_target_group_attachment" "firewall" {
  count = 2

  target_group_arn = aws_lb_target_group.firewall.arn
  target_id        = aws_instance.firewall[count.index].id
}

resource "aws_vpc_endpoint_service" "firewall" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]

  tags = {
    Name = "egress-fw-service"
  }
}
