import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// A public subnet (0.0.0.0/0 -> IGW) whose host is reached at a public IP of its own: re-pointing its 0.0.0.0/0
// at a NAT GW or a firewall sends the replies to sessions arriving at that address out another way, where they
// are dropped (a NAT GW translates them, a firewall never saw the session). The advice names the host and puts
// the safe step first. A NAT GW's own table (inspection after NAT) is no such change.
describe('uninspected-egress on AWS: a host with a public IP goes behind a load balancer or DNAT first', function () {
  this.timeout(60000);

  const run = (example: string | undefined, extra: Record<string, string>): Promise<AnalysisResult> =>
    analyzeFiles({ ...(example ? exampleTfFiles(example) : {}), ...extra });

  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');

  // A public subnet of our distributed example's workload VPC in us-east-1a (which has a GWLB endpoint).
  const publicSubnet = (mapOnLaunch: boolean, host: string) => `
resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.workload.id
  cidr_block              = "10.0.60.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = ${mapOnLaunch}
}
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.workload.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }
}
resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}
${host}
`;
  const REROUTE =
    'route 0.0.0.0/0 in web through a NAT GW and GWLB endpoint aws_vpc_endpoint.gwlbe_a (us-east-1a) (or a spoke gateway with DCF) instead of workload-igw';
  const WHY =
    '. Once its internet traffic no longer goes to the IGW, the replies to sessions arriving at that public IP leave through the new route instead of the IGW that brought them in and are dropped (a NAT GW translates them to its own address, a firewall never saw the session)';

  it('a web server with an elastic IP: the fix names it and moves it behind a load balancer or DNAT before the reroute', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'web.tf': publicSubnet(
        false,
        `resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
resource "aws_eip" "web" {
  instance = aws_instance.web.id
  domain   = "vpc"
}`,
      ),
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.web']);
    assert.equal(
      f[0].fix!.title,
      `First take aws_instance.web off its public IP (put it behind a load balancer or a DNAT rule on the firewall, or reach it through SSM Session Manager), then ${REROUTE}${WHY}`,
    );
  });

  it('a bastion with associate_public_ip_address and one launched into a map_public_ip_on_launch subnet: both named', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'web.tf': publicSubnet(
        true,
        `resource "aws_instance" "bastion" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.web.id
  associate_public_ip_address = true
}
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
resource "aws_instance" "internal" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.web.id
  associate_public_ip_address = false
}`,
      ),
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    // The host launched without a public IP is not named.
    assert.equal(
      f[0].fix!.title,
      `First take aws_instance.bastion, aws_instance.web off their public IP (put them behind a load balancer or a DNAT rule on the firewall, or reach them through SSM Session Manager), then ${REROUTE}${WHY}`,
    );
  });

  it("a subnet that needs a table of its own (it shares the endpoints' table) whose host has an elastic IP: the host first", async () => {
    const r = await run('aws-distributed-egress-ok', {
      'tools.tf': `
resource "aws_subnet" "tools" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = "10.0.50.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table_association" "tools" {
  subnet_id      = aws_subnet.tools.id
  route_table_id = aws_route_table.gwlbe.id
}
resource "aws_network_interface" "tools" {
  subnet_id = aws_subnet.tools.id
}
resource "aws_instance" "tools" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  network_interface {
    network_interface_id = aws_network_interface.tools.id
    device_index         = 0
  }
}
resource "aws_eip" "tools" {
  network_interface = aws_network_interface.tools.id
  domain            = "vpc"
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table_association.tools');
    assert.match(
      f[0].fix!.title,
      /^First take aws_instance\.tools off its public IP \(put it behind a load balancer or a DNAT rule on the firewall, or reach it through SSM Session Manager\), then give this subnet a route table of its own that sends 0\.0\.0\.0\/0 through a NAT GW and GWLB endpoint aws_vpc_endpoint\.gwlbe_a \(us-east-1a\): .*\. Once its internet traffic no longer goes to the IGW, /,
    );
  });

  // Inspection after NAT: the NAT subnet's table goes to the endpoint and the IGW edge table returns the NAT
  // subnet through it, so a host with a public IP there keeps both legs on one path: no such step.
  it("a bastion in a NAT GW's own subnet (the NAT table is the change): no public-IP step", async () => {
    const r = await run(undefined, {
      'main.tf': `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_instance" "bastion" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.pub.id
  associate_public_ip_address = true
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.match(f[0].fix!.title, /^Route 0\.0\.0\.0\/0 in pub to a GWLB endpoint in us-east-1a instead of igw \(inspection after NAT; /);
    assert.doesNotMatch(f[0].fix!.title, /public IP/);
  });
  // One route table for public subnets of two AZs: one finding for both, whose fix names each AZ's endpoint (not
  // the first subnet's alone), says the shared table needs splitting, and names a public host of either subnet.
  it("public subnets of two AZs on one table: each AZ named with its endpoint, the table split, the second subnet's host named", async () => {
    const r = await run('aws-distributed-egress-ok', {
      'web.tf': `
resource "aws_subnet" "web_a" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = "10.0.60.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "web_b" {
  vpc_id            = aws_vpc.workload.id
  cidr_block        = "10.0.61.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.workload.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }
}
resource "aws_route_table_association" "web_a" {
  subnet_id      = aws_subnet.web_a.id
  route_table_id = aws_route_table.web.id
}
resource "aws_route_table_association" "web_b" {
  subnet_id      = aws_subnet.web_b.id
  route_table_id = aws_route_table.web.id
}
resource "aws_instance" "web" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.web_b.id
  associate_public_ip_address = true
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.web_a', 'aws_subnet.web_b']);
    assert.equal(
      f[0].fix!.title,
      "First take aws_instance.web off its public IP (put it behind a load balancer or a DNAT rule on the firewall, or reach it through SSM Session Manager), then route 0.0.0.0/0 in web through a NAT GW and the GWLB endpoint of each subnet's AZ (us-east-1a: GWLB endpoint aws_vpc_endpoint.gwlbe_a (us-east-1a); us-east-1b: GWLB endpoint aws_vpc_endpoint.gwlbe_b (us-east-1b)) (or a spoke gateway with DCF) instead of workload-igw. web serves subnets in us-east-1a, us-east-1b: give each AZ's subnets a route table of their own" +
        WHY,
    );
  });

  // Per-AZ tables written by one block: one finding at the route block, each AZ's endpoint named, no split.
  it('per-AZ tables written by one for_each block: each AZ named with its endpoint, no table to split', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'web.tf': `
locals {
  web = { a = { cidr = "10.0.60.0/24", az = "us-east-1a" }, b = { cidr = "10.0.61.0/24", az = "us-east-1b" } }
}
resource "aws_subnet" "web" {
  for_each          = local.web
  vpc_id            = aws_vpc.workload.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}
resource "aws_route_table" "web" {
  for_each = local.web
  vpc_id   = aws_vpc.workload.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }
}
resource "aws_route_table_association" "web" {
  for_each       = local.web
  subnet_id      = aws_subnet.web[each.key].id
  route_table_id = aws_route_table.web[each.key].id
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.web["a"]', 'aws_subnet.web["b"]']);
    assert.match(
      f[0].fix!.title,
      /^Route 0\.0\.0\.0\/0 in \S+, \S+ through a NAT GW and the GWLB endpoint of each subnet's AZ \(us-east-1a: GWLB endpoint aws_vpc_endpoint\.gwlbe_a \(us-east-1a\); us-east-1b: GWLB endpoint aws_vpc_endpoint\.gwlbe_b \(us-east-1b\)\) \(or a spoke gateway with DCF\) instead of workload-igw$/,
    );
  });
});
