import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// Where uninspected-egress puts its fix. A route table that carries egress machinery's own traffic (a GWLB
// endpoint's subnet, or a NAT GW's when inspection sits before NAT) must keep going to the IGW: changing it
// would loop every workload's egress. A workload living in such a subnet has to move; elsewhere the change
// goes in the last table a workload's traffic passes that may change.
describe('uninspected-egress: the fix goes where a change is possible', function () {
  this.timeout(60000);

  const run = (example: string | undefined, extra: Record<string, string>): Promise<AnalysisResult> =>
    analyzeFiles({ ...(example ? exampleTfFiles(example) : {}), ...extra });

  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');

  const bastion = (subnet: string) => `
resource "aws_instance" "bastion" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = ${subnet}.id
  associate_public_ip_address = true
}
`;

  it('a bastion in the NAT subnet of an inspection-before-NAT VPC: move it, found at the instance', async () => {
    const r = await run('aws-inspection-before-nat', { 'bastion.tf': bastion('aws_subnet.nat["a"]') });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.nat["a"]']);
    assert.equal(f[0].location.file, 'bastion.tf');
    assert.equal(f[0].location.range.start.line, 1);
    assert.match(f[0].fix!.title, /^Move the workload to a subnet whose egress is inspected: .* also carries .*'s own traffic/);
  });

  it('a bastion in a GWLB endpoint subnet (inspection after NAT): move it, never route the endpoint subnet into the endpoint', async () => {
    const r = await run('aws-distributed-egress-ok', { 'bastion.tf': bastion('aws_subnet.gwlbe_a') });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.gwlbe_a']);
    assert.equal(f[0].location.file, 'bastion.tf');
    assert.match(f[0].fix!.title, /^Move the workload/);
    assert.doesNotMatch(f[0].fix!.title, /through a NAT GW/);
  });

  const NAT_VPC = `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
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
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
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
`;

  it('a NAT-only VPC: the NAT subnet table gets the endpoint (inspection after NAT), never "through a NAT GW"', async () => {
    const r = await run(undefined, {
      'main.tf': NAT_VPC,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.pub#0');
    // The VPC has no endpoint: the advice says one must be added, never "the GWLB endpoint" as if it were there.
    assert.match(
      f[0].fix!.title,
      /^Route 0\.0\.0\.0\/0 in pub to a GWLB endpoint in us-east-1a instead of igw \(inspection after NAT; .*\); v has no GWLB or firewall endpoint in the inputs: one must be added, in a subnet of its own \(a subnet whose table sends 0\.0\.0\.0\/0 to the endpoint cannot hold it: the endpoint's own traffic would loop back to it\)$/,
    );
  });

  it('a NAT VPC that already has a GWLB endpoint: the NAT subnet table is pointed at it', async () => {
    const r = await run(undefined, {
      'main.tf': `${NAT_VPC}
resource "aws_subnet" "fw" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.3.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_vpc_endpoint" "fw" {
  vpc_id            = aws_vpc.v.id
  vpc_endpoint_type = "GatewayLoadBalancer"
  service_name      = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  subnet_ids        = [aws_subnet.fw.id]
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.pub#0');
    assert.match(
      f[0].fix!.title,
      // The endpoint the VPC has, by its resource.
      /^Route 0\.0\.0\.0\/0 in pub to GWLB endpoint aws_vpc_endpoint\.fw \(us-east-1a\) instead of igw \(inspection after NAT; /,
    );
  });
  // A subnet that shares the GWLB endpoints' route table (0.0.0.0/0 -> IGW): re-pointing that table would send the
  // endpoints' inspected traffic back into them; the subnet needs a table of its own (field: FortiGate GWLB spokes).
  it('a subnet on the table of the endpoint subnets: a table of its own, found at its association, never a change to the shared table', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'tools.tf': `
resource "aws_subnet" "tools" {
  vpc_id                  = aws_vpc.workload.id
  cidr_block              = "10.0.50.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}
resource "aws_route_table_association" "tools" {
  subnet_id      = aws_subnet.tools.id
  route_table_id = aws_route_table.gwlbe.id
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table_association.tools');
    assert.equal(f[0].location.file, 'tools.tf');
    assert.match(
      f[0].fix!.title,
      /^Give this subnet a route table of its own that sends 0\.0\.0\.0\/0 through a NAT GW and GWLB endpoint aws_vpc_endpoint\.gwlbe_a \(us-east-1a\): \S+ also carries \S+'s own traffic and must keep sending it to the internet directly$/,
    );
  });
  // The fix names the endpoint it sends to by its resource; an AZ without one is said to have none, with those
  // that exist named (a phrase "the endpoint of the subnet's AZ" there would point at nothing).
  it('a public subnet in an AZ without a GWLB endpoint: the fix says that AZ has none and names the endpoints that exist', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'tools.tf': `
resource "aws_subnet" "tools_c" {
  vpc_id                  = aws_vpc.workload.id
  cidr_block              = "10.0.60.0/24"
  availability_zone       = "us-east-1c"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "tools_c" {
  vpc_id = aws_vpc.workload.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }
}
resource "aws_route_table_association" "tools_c" {
  subnet_id      = aws_subnet.tools_c.id
  route_table_id = aws_route_table.tools_c.id
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(
      f[0].fix!.title,
      'Route 0.0.0.0/0 in tools_c through a NAT GW and a GWLB endpoint in us-east-1c (or a spoke gateway with DCF) instead of workload-igw; workload-vpc has none in us-east-1c: add one there, or use GWLB endpoint aws_vpc_endpoint.gwlbe_a (us-east-1a), GWLB endpoint aws_vpc_endpoint.gwlbe_b (us-east-1b), whose AZ the traffic then crosses into',
    );
  });

  it('the same subnet in us-east-1b, where an endpoint runs: the fix names that endpoint', async () => {
    const r = await run('aws-distributed-egress-ok', {
      'tools.tf': `
resource "aws_subnet" "tools_b" {
  vpc_id                  = aws_vpc.workload.id
  cidr_block              = "10.0.60.0/24"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "tools_b" {
  vpc_id = aws_vpc.workload.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.workload.id
  }
}
resource "aws_route_table_association" "tools_b" {
  subnet_id      = aws_subnet.tools_b.id
  route_table_id = aws_route_table.tools_b.id
}
`,
    });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.equal(
      f[0].fix!.title,
      'Route 0.0.0.0/0 in tools_b through a NAT GW and GWLB endpoint aws_vpc_endpoint.gwlbe_b (us-east-1b) (or a spoke gateway with DCF) instead of workload-igw',
    );
  });
});
