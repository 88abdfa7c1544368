import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import type { Vpc } from '../../../src/model/types';

// A VPC is No Egress only when its subnets are known: a subnet resource with zero instances says there are
// none; a VPC that no subnet resource names (a VPC module folder analysed without the callers that make its
// subnets) or that may hold a subnet whose VPC cannot be decided is Unknown.
describe('analysis: a VPC whose subnets the inputs do not give', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return { model: b.model, result: analyze(b.model, {}, b.diagnostics) };
  }
  const states = (r: Awaited<ReturnType<typeof run>>) => r.result.states.map((s) => `${s.vpc} ${s.state}`);

  // A reusable VPC module: the VPC (created unless an existing one is looked up), an optional IGW, and the
  // VPC's id as an output for the callers, which make the subnets with another module.
  const vpcModule = `
variable "name" {
  type = string
}
variable "create_vpc" {
  default = true
}
variable "create_igw" {
  default = true
}
resource "aws_vpc" "this" {
  count      = var.create_vpc ? 1 : 0
  cidr_block = "10.40.0.0/16"
  tags       = { Name = var.name }
}
resource "aws_internet_gateway" "this" {
  count  = var.create_igw ? 1 : 0
  vpc_id = aws_vpc.this[0].id
}
output "vpc_id" {
  value = aws_vpc.this[0].id
}
`;

  it('a VPC module folder that declares no subnet is Unknown, located at the VPC, not No Egress', async () => {
    const r = await run({ 'main.tf': vpcModule });
    assert.deepEqual(states(r), ['aws_vpc.this[0] Unknown']);
    const s = r.result.states[0];
    assert.match(s.reason, /the subnets of aws_vpc\.this\[0\] \(main\.tf:11\) are not known: no subnet resource of the inputs names it/);
    assert.equal(r.result.findings.length, 0);
  });

  it('a subnet resource whose for_each is known to be empty says the VPC has no subnet: No Egress', async () => {
    const r = await run({
      'main.tf': `${vpcModule}
variable "subnets" {
  default = null
}
resource "aws_subnet" "this" {
  for_each   = var.subnets == null ? {} : var.subnets
  vpc_id     = aws_vpc.this[0].id
  cidr_block = each.value
}`,
    });
    assert.deepEqual(states(r), ['aws_vpc.this[0] No Egress']);
    assert.equal((r.model.elements.find((e) => e.kind === 'vpc') as Vpc).subnetsOutside, undefined);
  });

  it('so does count = 0, also when the subnet resource is in a module the VPC id is passed to', async () => {
    const r = await run({
      'main.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.41.0.0/16"
}
module "subnets" {
  source = "./subnets"
  vpc_id = aws_vpc.main.id
  zones  = []
}`,
      'subnets/main.tf': `
variable "vpc_id" {}
variable "zones" {}
resource "aws_subnet" "app" {
  count      = length(var.zones)
  vpc_id     = var.vpc_id
  cidr_block = cidrsubnet("10.41.0.0/16", 8, count.index)
}`,
    });
    assert.deepEqual(states(r), ['aws_vpc.main No Egress']);
  });

  it('a subnet resource with instances decides as before; one with an undecidable count stays Unknown for that reason', async () => {
    const placed = await run({
      'main.tf': `${vpcModule}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.this[0].id
  cidr_block = "10.40.1.0/24"
}`,
    });
    assert.deepEqual(states(placed), ['aws_vpc.this[0] No Egress']);
    const undecided = await run({
      'main.tf': `${vpcModule}
variable "zones" {
  type = list(string)
}
resource "aws_subnet" "private" {
  count      = length(var.zones)
  vpc_id     = aws_vpc.this[0].id
  cidr_block = cidrsubnet("10.40.0.0/16", 8, count.index)
}`,
    });
    assert.deepEqual(states(undecided), ['aws_vpc.this[0] Unknown']);
    assert.match(undecided.result.states[0].reason, /length\(var\.zones\)/);
  });

  it('a subnet whose VPC cannot be decided may be in a VPC that has no other: that VPC is Unknown, naming the subnet', async () => {
    const r = await run({
      'main.tf': `${vpcModule}
variable "shared_vpc_id" {
  type = string
}
resource "aws_subnet" "app" {
  vpc_id     = var.shared_vpc_id
  cidr_block = "10.40.2.0/24"
}`,
    });
    const s = r.result.states.find((x) => x.vpc === 'aws_vpc.this[0]')!;
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /subnet aws_subnet\.app \(main\.tf:\d+\) is in a VPC that cannot be decided .*it may be in this one/);
  });

  it('a VPC with subnets of its own keeps its verdict beside a VPC that has none in the inputs', async () => {
    const r = await run({
      'main.tf': `
resource "aws_vpc" "app" {
  cidr_block = "10.42.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.42.1.0/24"
}
resource "aws_vpc" "shared" {
  cidr_block = "10.43.0.0/16"
}`,
    });
    assert.deepEqual(states(r), ['aws_vpc.app No Egress', 'aws_vpc.shared Unknown']);
  });
});
