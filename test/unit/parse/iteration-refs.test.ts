// `count.index` in a block without `count` (or `each.*` without `for_each`): Terraform refuses to plan
// ('Reference to "count" in non-counted context'). A located input error says so (iteration-out-of-context, F139),
// beside the Unknown the value already is; the names a for expression or a dynamic block's iterator binds are not it.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { ParseDiagnostic } from '../../../src/model/inputs';

async function diagnostics(files: Record<string, string>): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().diagnostics.filter((d) => d.code === 'iteration-out-of-context');
}

// A VPC module's private route tables, one per NAT instance the caller passes in, the count forgotten.
const routeTable = (meta: string) => `
variable "nat_instances" {
  type    = list(string)
  default = ["i-0123456789abcdef0", "i-0fedcba9876543210"]
}
resource "aws_route_table" "private" {
  ${meta}
  vpc_id = "vpc-0123456789abcdef0"
  route {
    cidr_block  = "0.0.0.0/0"
    instance_id = var.nat_instances[count.index]
  }
  tags = { Name = "private-rt-\${count.index}" }
}
`;

describe('Terraform count/each out of context (iteration-out-of-context)', () => {
  before(async () => {
    await initTerraform();
  });

  it('count.index in a resource without count: one located error at its first use, naming the block', async () => {
    const text = routeTable('');
    const ds = await diagnostics({ 'vpc/main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.equal(
      ds[0].message,
      'count.index is used in resource "aws_route_table" "private", which has no count: Terraform refuses to plan this configuration (Reference to "count" in non-counted context); what depends on it is Unknown',
    );
    assert.equal(ds[0].loc.file, 'vpc/main.tf');
    const line = text.split('\n').findIndex((l) => l.includes('instance_id'));
    assert.equal(ds[0].loc.range.start.line, line);
    assert.equal(text.split('\n')[line].slice(ds[0].loc.range.start.character, ds[0].loc.range.end.character), 'count.index');
    // With count: nothing. With for_each instead: count is still out of context.
    assert.deepEqual(await diagnostics({ 'main.tf': routeTable('count = length(var.nat_instances)') }), []);
    assert.equal((await diagnostics({ 'main.tf': routeTable('for_each = toset(var.nat_instances)') })).length, 1);
  });

  it('each.* without for_each (a module call, a data source) is an error; with for_each, or bound by for / dynamic, it is not', async () => {
    const ds = await diagnostics({
      'main.tf': `
module "spoke" {
  source = "./spoke"
  name   = each.key
}
data "aws_subnet" "s" {
  count = 2
  id    = each.value
}
`,
    });
    assert.deepEqual(
      ds.map((d) => d.message.replace(/: Terraform refuses.*/, '')),
      ['each.key is used in module "spoke", which has no for_each', 'each.value is used in data "aws_subnet" "s", which has no for_each'],
    );
    assert.match(ds[0].message, /\(Reference to "each" in context without for_each\)/);
    const fine = await diagnostics({
      'main.tf': `
variable "rules" {
  default = { web = 443, ssh = 22 }
}
resource "aws_security_group" "sg" {
  name = join(",", [for each in keys(var.rules) : each])
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }
  }
  dynamic "egress" {
    for_each = var.rules
    iterator = each
    content {
      from_port = each.value
      to_port   = each.value
      protocol  = "tcp"
    }
  }
}
resource "aws_subnet" "x" {
  for_each   = { a = "10.0.1.0/24" }
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = each.value
  tags       = { Name = [for count in [1] : "\${each.key}-\${count}"][0] }
}
`,
    });
    assert.deepEqual(fine, []);
  });

  it("a dynamic block's for_each is read in the resource: count.index there without count is an error", async () => {
    const ds = await diagnostics({
      'main.tf': `
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = [count.index]
    content {
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }
  }
}
`,
    });
    assert.equal(ds.length, 1);
    assert.equal(ds[0].loc.range.start.line, 3);
  });

  it('Terraform JSON syntax is read the same; an override file is not checked (another file may set count)', async () => {
    const json = JSON.stringify({ resource: { aws_route_table: { private: { vpc_id: 'vpc-1', tags: { Name: 'rt-${count.index}' } } } } });
    assert.equal((await diagnostics({ 'main.tf.json': json })).length, 1);
    assert.deepEqual(await diagnostics({ 'main_override.tf': routeTable('') }), []);
  });
});
