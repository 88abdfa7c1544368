// A dynamic block over a set (toset()) gives its iterator each element as both key and value; over a list the key is
// the index (F221). Review s16 R21: after F221 a set's `.key` was its index, so `cidr_block = route.key` made routes to
// "0" and "1".
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';

async function routeCidrs(forEach: string, field: 'key' | 'value', declarations = ''): Promise<unknown[]> {
  const ws = await createWorkspace();
  ws.setFile(
    'main.tf',
    `locals {
  out = ["8.8.8.0/24", "1.1.1.0/24", "8.8.8.0/24"]
}
${declarations}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_route_table" "a" {
  vpc_id = aws_vpc.v.id
  dynamic "route" {
    for_each = ${forEach}
    content {
      cidr_block = route.${field}
      gateway_id = aws_internet_gateway.igw.id
    }
  }
}
`,
  );
  const t = ws.build().model.elements.find((e) => e.kind === 'routeTable');
  assert.ok(t && t.kind === 'routeTable');
  return t.routes.map((r) => ('cidr' in r.destination ? r.destination.cidr : undefined));
}

describe('dynamic blocks over a set and over a list', () => {
  before(async () => {
    await initTerraform();
  });

  it("over toset(): each element is the iterator's key and value, distinct, in the set's order", async () => {
    assert.deepEqual(await routeCidrs('toset(local.out)', 'key'), ['1.1.1.0/24', '8.8.8.0/24']);
    assert.deepEqual(await routeCidrs('toset(local.out)', 'value'), ['1.1.1.0/24', '8.8.8.0/24']);
  });

  it('over the set functions (setunion, setintersection, setsubtract, setproduct of a set): each element is its own key', async () => {
    assert.deepEqual(await routeCidrs('setunion(local.out, ["9.9.9.0/24"])', 'key'), ['1.1.1.0/24', '8.8.8.0/24', '9.9.9.0/24']);
    assert.deepEqual(await routeCidrs('setintersection(local.out, ["8.8.8.0/24"])', 'key'), ['8.8.8.0/24']);
    assert.deepEqual(await routeCidrs('setsubtract(local.out, ["8.8.8.0/24"])', 'key'), ['1.1.1.0/24']);
    // A set of pairs: the key is the pair, so [0] of it is the first set's element.
    assert.deepEqual(await routeCidrs('[for p in setproduct(toset(local.out), ["x"]) : p[0]]', 'value'), ['1.1.1.0/24', '8.8.8.0/24']);
  });

  it('over a variable of type set(string): its value is converted to a set (distinct, sorted, each element its own key)', async () => {
    const decl = `variable "nets" {
  type    = set(string)
  default = ["8.8.8.0/24", "1.1.1.0/24", "8.8.8.0/24"]
}`;
    assert.deepEqual(await routeCidrs('var.nets', 'key', decl), ['1.1.1.0/24', '8.8.8.0/24']);
    // The same default under list(string) stays a list: the index is the key.
    const asList = decl.replace('set(string)', 'list(string)');
    assert.deepEqual(
      (await routeCidrs('var.nets', 'key', asList)).map((c) => (typeof c === 'string' ? c : 'unresolved')),
      ['0', '1', '2'],
    );
  });

  it('over a list: the key is the index, the value the element, repeats kept', async () => {
    assert.deepEqual(await routeCidrs('local.out', 'value'), ['8.8.8.0/24', '1.1.1.0/24', '8.8.8.0/24']);
    assert.deepEqual(
      (await routeCidrs('local.out', 'key')).map((c) => (typeof c === 'string' ? c : 'unresolved')),
      ['0', '1', '2'],
    );
  });

  it('over toset() of ids known only after apply: one block per element, each given its element (no internal error)', async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "fw" {
  count             = 2
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}
resource "aws_networkfirewall_firewall" "f" {
  name                = "f"
  firewall_policy_arn = "arn:aws:network-firewall:eu-west-1:123456789012:firewall-policy/p"
  vpc_id              = aws_vpc.v.id
  dynamic "subnet_mapping" {
    for_each = toset(aws_subnet.fw[*].id)
    content {
      subnet_id = subnet_mapping.value
    }
  }
}
`,
    );
    const b = ws.build();
    assert.deepEqual(
      b.diagnostics.filter((d) => d.code === 'internal-error'),
      [],
    );
    const endpoints = b.model.elements.filter((e) => e.kind === 'gwlbe');
    assert.deepEqual(endpoints.map((e) => (e.kind === 'gwlbe' ? e.subnet : undefined)).sort(), ['aws_subnet.fw[0]', 'aws_subnet.fw[1]']);
  });
});
