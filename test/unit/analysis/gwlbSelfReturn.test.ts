// A GWLB endpoint in the workload subnet whose own table sends 0.0.0.0/0 back to that endpoint: an appliance that
// returns the flow over GENEVE would loop, so the design only works when the appliance behind the GWLB sends the
// flow out itself (a filtering NAT such as DiscrimiNAT, whose GWLB templates put the endpoints in the private
// subnets and the appliances in public ones). Which it does is its software: the path is Unknown naming the
// appliance, never a routing-loop error whose fix would take the subnet's default route off the filter (F298).
// Configurations written for these tests.
import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../analyzeFiles';

function design(endpointSubnet: 'private' | 'endpoint'): Record<string, string> {
  return {
    'main.tf': `
resource "aws_vpc" "v" {
  cidr_block = "10.60.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.60.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "endpoint" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.60.2.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
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
  vpc_id = aws_vpc.v.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.filter.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table" "endpoint" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "endpoint" {
  subnet_id      = aws_subnet.endpoint.id
  route_table_id = aws_route_table.endpoint.id
}
resource "aws_lb" "filter" {
  name               = "filter"
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.private.id]
}
resource "aws_lb_target_group" "filter" {
  name     = "filter"
  port     = 6081
  protocol = "GENEVE"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb_listener" "filter" {
  load_balancer_arn = aws_lb.filter.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.filter.arn
  }
}
resource "aws_instance" "appliance" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "t3.small"
  subnet_id         = aws_subnet.public.id
  source_dest_check = false
}
resource "aws_lb_target_group_attachment" "appliance" {
  target_group_arn = aws_lb_target_group.filter.arn
  target_id        = aws_instance.appliance.id
}
resource "aws_vpc_endpoint_service" "filter" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.filter.arn]
}
resource "aws_vpc_endpoint" "filter" {
  vpc_id            = aws_vpc.v.id
  service_name      = aws_vpc_endpoint_service.filter.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.${endpointSubnet}.id]
}
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  subnet_id     = aws_subnet.private.id
}
`,
  };
}

describe('GWLB endpoint whose own subnet routes back to it (F298)', () => {
  it('no routing-loop: the workload path is Unknown, naming the appliance behind the GWLB', async () => {
    const r = await analyzeFiles(design('private'));
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'routing-loop').map((f) => f.message),
      [],
    );
    const app = r.egress.find((e) => e.subnet === 'aws_subnet.private');
    assert.ok(app, 'the workload subnet is traced');
    assert.equal(app.forward.outcome.kind, 'unknown');
    assert.match(JSON.stringify(app.forward.outcome), /"reason":"appliance decides where the packet goes/);
    assert.match(JSON.stringify(app.forward.outcome), /sends it out on its own/);
  });

  it('an endpoint in a subnet of its own still hairpins back and leaves through that subnet', async () => {
    const r = await analyzeFiles(design('endpoint'));
    const app = r.egress.find((e) => e.subnet === 'aws_subnet.private');
    assert.ok(app);
    assert.notEqual(app.forward.outcome.kind, 'unknown');
    assert.ok(app.forward.hops.some((h) => h.element === 'aws_internet_gateway.igw'));
  });
});
