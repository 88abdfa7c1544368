// One VPC with a firewall instance (source/destination check off, a public IP of its own) in the first zone's
// "fw" subnet; the fw subnets of all three zones share one table whose 0.0.0.0/0 goes to the IGW; the private
// subnets send 0.0.0.0/0 to the instance. The empty fw subnets of the other zones are the firewall's tier,
// not sources; a host on that table is a source whose fix must never touch the firewall's own table.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');
const traced = (r: AnalysisResult): string[] => r.egress.map((e) => e.subnet).sort();

// `extra` is added to the file (a host somewhere, another association).
const design = (extra = '') => `
locals {
  zones = { "us-west-2a" = 0, "us-west-2b" = 1, "us-west-2c" = 2 }
}
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "edge" {
  for_each                = local.zones
  vpc_id                  = aws_vpc.main.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet("10.20.0.0/16", 8, 100 + each.value)
  map_public_ip_on_launch = true
}
resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "edge_out" {
  route_table_id         = aws_route_table.edge.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gw.id
}
resource "aws_route_table_association" "edge" {
  for_each       = aws_subnet.edge
  subnet_id      = each.value.id
  route_table_id = aws_route_table.edge.id
}
resource "aws_instance" "filter" {
  ami               = "ami-0abc"
  instance_type     = "c5.large"
  subnet_id         = aws_subnet.edge["us-west-2a"].id
  source_dest_check = false
}
resource "aws_subnet" "inner" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = cidrsubnet("10.20.0.0/16", 8, each.value)
}
resource "aws_route_table" "inner" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "inner_out" {
  route_table_id         = aws_route_table.inner.id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_instance.filter.primary_network_interface_id
}
resource "aws_route_table_association" "inner" {
  for_each       = aws_subnet.inner
  subnet_id      = each.value.id
  route_table_id = aws_route_table.inner.id
}
${extra}`;

const host = (name: string, subnet: string) => `
resource "aws_instance" "${name}" {
  ami           = "ami-0def"
  instance_type = "t3.micro"
  subnet_id     = ${subnet}.id
}
`;

describe('a forwarding appliance instance: its tier and its table', function () {
  this.timeout(60000);

  it("the empty subnets on the firewall instance's table are its tier, not sources: no finding, the VPC Protected through the instance", async () => {
    const r = await run(design());
    assert.deepEqual(traced(r), ['aws_subnet.inner["us-west-2a"]', 'aws_subnet.inner["us-west-2b"]', 'aws_subnet.inner["us-west-2c"]']);
    assert.deepEqual(uninspected(r), []);
    for (const e of r.egress) assert.equal(e.forward.inspectedBy[0]?.element, 'aws_instance.filter');
  });

  it("a host in an empty edge subnet: the table is no longer the firewall's alone, its empty subnets are sources, told to take a table of their own", async () => {
    const r = await run(design(host('probe', 'aws_subnet.edge["us-west-2b"]')));
    assert.ok(traced(r).includes('aws_subnet.edge["us-west-2b"]'));
    assert.ok(traced(r).includes('aws_subnet.edge["us-west-2c"]'));
    assert.ok(!traced(r).includes('aws_subnet.edge["us-west-2a"]'));
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.edge["us-west-2b"]', 'aws_subnet.edge["us-west-2c"]']);
    assert.match(f[0].elementId, /^aws_route_table_association\.edge\["us-west-2[bc]"\]$/);
    assert.match(
      f[0].fix!.title,
      // probe is launched with a public IP (the edge subnets map them): the reroute would cut its inbound sessions.
      /^First take aws_instance\.probe off its public IP \(put it behind a load balancer or a DNAT rule on the firewall, or reach it through SSM Session Manager\), then give this subnet a route table of its own that sends 0\.0\.0\.0\/0 to filter, the appliance the VPC's other subnets are routed through: edge also carries filter's own traffic and must keep sending it to the internet directly\. Once its internet traffic no longer goes to the IGW, /,
    );
  });

  it("a host beside the firewall instance: move the host, found at its declaration; the empty edge subnets become sources (the table is no longer the firewall's alone)", async () => {
    const r = await run(design(host('probe', 'aws_subnet.edge["us-west-2a"]')));
    const f = uninspected(r);
    const own = f.find((x) => x.traces?.includes('aws_subnet.edge["us-west-2a"]'));
    assert.ok(own);
    assert.deepEqual(own.traces, ['aws_subnet.edge["us-west-2a"]']);
    assert.equal(own.location.range.start.line, design().split('\n').length);
    assert.match(own.fix!.title, /^Move the workload to a subnet whose egress is inspected: edge also carries filter's own traffic/);
    const siblings = f.find((x) => x.traces?.includes('aws_subnet.edge["us-west-2b"]'));
    assert.ok(siblings);
    assert.match(siblings.fix!.title, /^Give this subnet a route table of its own/);
    assert.doesNotMatch(siblings.fix!.title, /^Route 0\.0\.0\.0\/0 in edge/);
  });

  it("the same layout on the VPC's main table (no explicit association): the empty subnets stay sources, with a table of their own", async () => {
    const r = await run(
      design().replace(
        /resource "aws_route_table_association" "edge" \{[^}]*\}/,
        'resource "aws_main_route_table_association" "m" {\n  vpc_id         = aws_vpc.main.id\n  route_table_id = aws_route_table.edge.id\n}',
      ),
    );
    assert.ok(traced(r).includes('aws_subnet.edge["us-west-2b"]'));
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.match(f[0].fix!.title, /^Give this subnet a route table of its own .*: edge also carries filter's own traffic/);
  });
});
