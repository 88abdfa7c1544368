// A single-VPC GWLB design (review s16 R6): the GWLB, its appliance and its endpoint in one VPC with a workload subnet
// whose table sends 0.0.0.0/0 to the endpoint, and no host in that subnet in the inputs. The subnet is the design's
// plumbing (it cannot be told from a centralized design's attachment subnet written in another stack): no finding,
// the VPC Inspection, and the reason names the subnet instead of saying only that other VPCs are inspected. A host
// placed there (with a public IP: no NAT in this design) makes it a workload subnet, inspected both ways: Protected.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles } from '../analyzeFiles';

const design = (host: string) => `
resource "aws_vpc" "one" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.one.id
}
resource "aws_subnet" "appliance" {
  vpc_id            = aws_vpc.one.id
  cidr_block        = "10.40.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "gwlbe" {
  vpc_id            = aws_vpc.one.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.one.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_lb" "gwlb" {
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.appliance.id]
}
resource "aws_lb_target_group" "fw" {
  port     = 6081
  protocol = "GENEVE"
  vpc_id   = aws_vpc.one.id
}
resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fw.arn
  }
}
resource "aws_lb_target_group_attachment" "fw" {
  target_group_arn = aws_lb_target_group.fw.arn
  target_id        = aws_instance.fw.id
}
resource "aws_instance" "fw" {
  ami       = "ami-0123456789abcdef0"
  subnet_id = aws_subnet.appliance.id
}
resource "aws_vpc_endpoint_service" "gwlb" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}
resource "aws_vpc_endpoint" "gwlbe" {
  service_name      = aws_vpc_endpoint_service.gwlb.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.gwlbe.id]
  vpc_id            = aws_vpc.one.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.one.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table" "gwlbe" {
  vpc_id = aws_vpc.one.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "gwlbe" {
  subnet_id      = aws_subnet.gwlbe.id
  route_table_id = aws_route_table.gwlbe.id
}
resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.one.id
  route {
    cidr_block      = "10.40.2.0/24"
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe.id
  }
}
resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.igw.id
  route_table_id = aws_route_table.edge.id
}
${host}`;

describe('single-VPC GWLB design, its workload subnet empty in the inputs (review s16 R6)', () => {
  before(async () => {
    await initTerraform();
  });

  it("no host in the app subnet: Inspection naming it as the design's tier, not a source, no finding", async () => {
    const res = await analyzeFiles({ 'main.tf': design('') });
    const s = res.states.find((x) => x.vpc === 'aws_vpc.one')!;
    assert.equal(s.state, 'Inspection');
    assert.match(
      s.reason,
      /; aws_subnet\.app routes 0\.0\.0\.0\/0 through its own GWLB endpoints and holds nothing in the inputs: plumbing \(attachment subnets of another stack, or the workload tier of a single-VPC design whose hosts are deployed elsewhere\), not judged as a source$/,
    );
    assert.ok(!res.egress.some((e) => e.subnet === 'aws_subnet.app'));
    assert.deepEqual(res.findings, []);
  });

  it('a host placed in it: a workload subnet, inspected both ways by the GWLB (Protected), no finding', async () => {
    const res = await analyzeFiles({
      'main.tf': design(
        'resource "aws_instance" "web" {\n  ami                         = "ami-0123456789abcdef0"\n  subnet_id                   = aws_subnet.app.id\n  associate_public_ip_address = true\n}\n',
      ),
    });
    assert.equal(res.states.find((x) => x.vpc === 'aws_vpc.one')!.state, 'Protected');
    assert.ok(res.egress.some((e) => e.subnet === 'aws_subnet.app'));
    assert.deepEqual(res.findings, []);
  });
});
