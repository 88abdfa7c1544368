import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// Subnets an internet-facing ALB or NLB is placed in (aws_lb / aws_alb whose `internal` is false or not written,
// F100): the load balancer answers internet clients through the subnet's 0.0.0.0/0 -> IGW, which must stay. Such a
// subnet is ingress plumbing, not an egress source, unless the inputs place an instance there as well.
describe('internet-facing load balancer subnets (aws_lb, internal = false)', function () {
  this.timeout(60000);

  const network = (opts: { lb?: string; appOnLbTable?: boolean; hostInLb?: boolean } = {}): string => `
variable "internal" {
  type = bool
}

resource "aws_vpc" "ingress" {
  cidr_block = "10.60.0.0/16"
  tags       = { Name = "ingress" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.ingress.id
}

resource "aws_subnet" "lb" {
  for_each          = { a = "10.60.0.0/24", b = "10.60.1.0/24" }
  vpc_id            = aws_vpc.ingress.id
  cidr_block        = each.value
  availability_zone = "eu-central-1\${each.key}"
  tags              = { Name = "lb-\${each.key}" }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.ingress.id
  cidr_block        = "10.60.8.0/24"
  availability_zone = "eu-central-1a"
  tags              = { Name = "app" }
}

resource "aws_route_table" "lb" {
  vpc_id = aws_vpc.ingress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  tags = { Name = "lb-rt" }
}

resource "aws_route_table_association" "lb" {
  for_each       = aws_subnet.lb
  subnet_id      = each.value.id
  route_table_id = aws_route_table.lb.id
}
${
  opts.appOnLbTable
    ? `
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.lb.id
}
`
    : `
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.ingress.id
  tags   = { Name = "app-rt" }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
`
}${
    opts.hostInLb
      ? `
resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.lb["a"].id
  associate_public_ip_address = true
  tags          = { Name = "web" }
}
`
      : ''
  }
${opts.lb ?? ''}`;

  const alb = (internal: string): string => `
resource "aws_lb" "web" {
  name               = "web-alb"
  load_balancer_type = "application"
  ${internal}
  subnets            = [for s in aws_subnet.lb : s.id]
}
`;

  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');
  const traced = (r: AnalysisResult): string[] => r.egress.map((e) => e.subnet).sort();
  const LB_SUBNETS = ['aws_subnet.lb["a"]', 'aws_subnet.lb["b"]'];

  it('without a load balancer the empty public subnets are sources told to reroute (the baseline)', async () => {
    const r = await analyzeFiles({ 'main.tf': network() });
    assert.deepEqual(traced(r), ['aws_subnet.app', ...LB_SUBNETS]);
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual([...(f[0].traces ?? [])].sort(), LB_SUBNETS);
    assert.match(f[0].fix!.title, /^Route 0\.0\.0\.0\/0 in lb-rt/);
    assert.equal(r.states.find((s) => s.name === 'ingress')?.state, 'Unprotected');
  });

  it('an internet-facing ALB (internal = false, or not written) makes its subnets plumbing: no source, no finding', async () => {
    for (const internal of ['internal = false', '']) {
      const r = await analyzeFiles({ 'main.tf': network({ lb: alb(internal) }) });
      assert.deepEqual(traced(r), ['aws_subnet.app'], internal);
      assert.deepEqual(uninspected(r), [], internal);
      // The app subnet's table has no route out: nothing in the VPC egresses, and the VPC is not Unprotected.
      assert.equal(r.states.find((s) => s.name === 'ingress')?.state, 'No Egress', internal);
    }
  });

  it('an aws_alb and an internet-facing NLB by subnet_mapping count the same', async () => {
    const nlb = `
resource "aws_alb" "web" {
  subnets = [aws_subnet.lb["a"].id]
}

resource "aws_lb" "tcp" {
  load_balancer_type = "network"
  internal           = false
  subnet_mapping {
    subnet_id = aws_subnet.lb["b"].id
  }
}
`;
    const r = await analyzeFiles({ 'main.tf': network({ lb: nlb }) });
    assert.deepEqual(traced(r), ['aws_subnet.app']);
    assert.deepEqual(uninspected(r), []);
  });

  it('an internal load balancer, or one whose scheme is not known offline, leaves its subnets sources', async () => {
    for (const internal of ['internal = true', 'internal = var.internal']) {
      const r = await analyzeFiles({ 'main.tf': network({ lb: alb(internal) }) });
      assert.deepEqual(traced(r), ['aws_subnet.app', ...LB_SUBNETS], internal);
      assert.deepEqual([...(uninspected(r)[0]?.traces ?? [])].sort(), LB_SUBNETS, internal);
    }
  });

  it('one placed where 0.0.0.0/0 does not lead to the internet gateway cannot serve internet clients: its subnet stays a source', async () => {
    const misplaced = `
resource "aws_lb" "web" {
  internal = false
  subnets  = [aws_subnet.app.id]
}
`;
    const r = await analyzeFiles({ 'main.tf': network({ lb: misplaced }) });
    assert.deepEqual(traced(r), ['aws_subnet.app', ...LB_SUBNETS]);
  });

  it('a gateway load balancer is not an internet-facing one', async () => {
    const gwlb = `
resource "aws_lb" "gw" {
  load_balancer_type = "gateway"
  subnets            = [for s in aws_subnet.lb : s.id]
}
`;
    const r = await analyzeFiles({ 'main.tf': network({ lb: gwlb }) });
    // Its subnets are the GWLB's (infrastructure) as before; the marker is not set on them.
    assert.ok(r.egress.every((e) => !LB_SUBNETS.includes(e.subnet)));
    assert.deepEqual(uninspected(r), []);
  });

  it('an instance beside the load balancer is still a source, told to move, never to reroute the subnet', async () => {
    const r = await analyzeFiles({ 'main.tf': network({ lb: alb('internal = false'), hostInLb: true }) });
    assert.deepEqual(traced(r), ['aws_subnet.app', 'aws_subnet.lb["a"]']);
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.lb["a"]']);
    assert.match(f[0].fix!.title, /^Move the workload to a subnet whose egress is inspected: lb-rt also carries lb-a's own traffic/);
  });

  it("a workload sharing the load balancer's table gets a table of its own, never a rerouted lb-rt", async () => {
    const r = await analyzeFiles({ 'main.tf': network({ lb: alb('internal = false'), appOnLbTable: true }) });
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.app']);
    assert.match(f[0].fix!.title, /^Give this subnet a route table of its own .*: lb-rt also carries lb-[ab]'s own traffic/);
  });
  it('an edit of the load balancer alone (its scheme, in another file) is seen by the incremental analysis as by a fresh one', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', network());
    const an = createAnalyzer();
    const steps: [string, string[]][] = [
      [alb('internal = false'), ['aws_subnet.app']],
      [alb('internal = true'), ['aws_subnet.app', ...LB_SUBNETS]],
      [alb(''), ['aws_subnet.app']],
    ];
    for (const [lb, want] of steps) {
      ws.setFile('lb.tf', lb);
      const model = ws.build().model;
      const r = an.analyze(model);
      assert.deepEqual(traced(r), want, lb);
      assert.deepEqual(r.states, analyze(model).states, lb);
    }
  });
});
