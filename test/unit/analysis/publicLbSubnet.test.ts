import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// Subnets tagged kubernetes.io/role/elb (the AWS Load Balancer Controller's internet-facing LB subnets, F95):
// their 0.0.0.0/0 must stay on the IGW, since the load balancers answer internet clients through it. They are
// ingress plumbing, not egress sources, and no fix reroutes their table.
describe('public load-balancer subnets (kubernetes.io/role/elb)', function () {
  this.timeout(60000);

  const vpc = (lbTags: string, appOnLbTable: boolean): string => `
resource "aws_vpc" "eks" {
  cidr_block = "10.40.0.0/16"
  tags       = { Name = "eks" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.eks.id
}

resource "aws_subnet" "lb" {
  vpc_id            = aws_vpc.eks.id
  cidr_block        = "10.40.0.0/24"
  availability_zone = "eu-west-1a"
  tags              = { Name = "lb-public"${lbTags} }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.eks.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
  tags              = { Name = "app" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.eks.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  tags = { Name = "public-rt" }
}

resource "aws_route_table_association" "lb" {
  subnet_id      = aws_subnet.lb.id
  route_table_id = aws_route_table.public.id
}
${
  appOnLbTable
    ? `
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.public.id
}
`
    : `
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.eks.id
  tags   = { Name = "app-rt" }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
`
}`;

  const ELB = `, "kubernetes.io/role/elb" = "1"`;
  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');
  const traced = (r: AnalysisResult): string[] => r.egress.map((e) => e.subnet).sort();

  it('an untagged public subnet with nothing in it is a source told to reroute (the baseline)', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('', false) });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.lb']);
    assert.match(f[0].fix!.title, /^Route 0\.0\.0\.0\/0 in public-rt/);
  });

  it('tagged kubernetes.io/role/elb = "1" (or ""): not a source, no finding', async () => {
    for (const tags of [ELB, `, "kubernetes.io/role/elb" = ""`]) {
      const r = await analyzeFiles({ 'main.tf': vpc(tags, false) });
      assert.deepEqual(uninspected(r), []);
      assert.deepEqual(traced(r), ['aws_subnet.app']);
    }
  });

  it('the tag with another value keeps the subnet a source', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc(`, "kubernetes.io/role/elb" = "0"`, false) });
    assert.deepEqual(uninspected(r)[0]?.traces, ['aws_subnet.lb']);
  });

  it("a workload sharing the load balancers' table gets a table of its own, never a rerouted public-rt", async () => {
    const r = await analyzeFiles({ 'main.tf': vpc(ELB, true) });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.app']);
    assert.match(f[0].fix!.title, /^Give this subnet a route table of its own .*: public-rt also carries lb-public's own traffic/);
  });
});
