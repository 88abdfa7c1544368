// An internet gateway whose VPC is written but not known offline (review s16 R13): `coalesce(var.vpc_id,
// aws_vpc.this.id)` with the variable null or "" is the reference (a resource's id is never empty), so the gateway is
// the VPC's; `vpc_id = var.vpc_id` with no value decides nothing: a route to it is Unknown, naming the value, never a
// way out to the internet nor a drop ("not attached"). An IGW with no vpc_id and no attachment is attached to nothing.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles } from '../analyzeFiles';

const vpcAndRoute = (igwVpc: string) => `
resource "aws_vpc" "this" {
  cidr_block = "10.20.0.0/16"
}
resource "aws_internet_gateway" "gw" {
${igwVpc}
}
resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.20.1.0/24"
}
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}
`;

async function run(variable: string, igwVpc: string, extra = '') {
  const res = await analyzeFiles({ 'main.tf': variable + vpcAndRoute(igwVpc) + extra });
  const state = res.states.find((s) => s.name === 'this')!;
  const out = res.egress.find((e) => e.subnet === 'aws_subnet.web')!.forward.outcome;
  return { res, state, out };
}

describe('internet gateway whose VPC is not known offline (review s16 R13)', () => {
  before(async () => {
    await initTerraform();
  });

  for (const dflt of ['null', '""'])
    it(`coalesce(var.vpc_id, aws_vpc.this.id) with the variable ${dflt}: the gateway is the VPC's (Unprotected)`, async () => {
      const { res, state, out } = await run(
        `variable "vpc_id" {\n  type    = string\n  default = ${dflt}\n}\n`,
        '  vpc_id = coalesce(var.vpc_id, aws_vpc.this.id)',
      );
      assert.equal(out.kind, 'delivered');
      assert.equal(state.state, 'Unprotected');
      assert.deepEqual(
        res.findings.map((f) => f.code),
        ['uninspected-egress'],
      );
    });

  it("coalesce(var.vpc_id, aws_vpc.this.id) with the variable set to another VPC: not this VPC's gateway", async () => {
    const { state, out } = await run(
      `variable "vpc_id" {\n  type    = string\n  default = "vpc-0123456789abcdef0"\n}\n`,
      '  vpc_id = coalesce(var.vpc_id, aws_vpc.this.id)',
    );
    assert.equal(out.kind, 'dropped');
    assert.equal(state.state, 'No Egress');
  });

  it('vpc_id = var.vpc_id with no value: Unknown naming the value, no finding, no drop', async () => {
    const { res, state, out } = await run(`variable "vpc_id" {\n  type = string\n}\n`, '  vpc_id = var.vpc_id');
    assert.equal(out.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /^which VPC internet gateway gw is attached to is not known offline \(var\.vpc_id: /,
    );
    assert.equal(state.state, 'Unknown');
    assert.deepEqual(res.findings, []);
  });

  it('coalesce over a variable with no value: Unknown (the variable may name another VPC)', async () => {
    const { state, out } = await run(`variable "vpc_id" {\n  type = string\n}\n`, '  vpc_id = coalesce(var.vpc_id, aws_vpc.this.id)');
    assert.equal(out.kind, 'unknown');
    assert.equal(state.state, 'Unknown');
  });

  it('aws_internet_gateway_attachment: its vpc_id decides; one not known offline leaves the path Unknown', async () => {
    const attach = (vpc: string) => `
resource "aws_internet_gateway_attachment" "gw" {
  internet_gateway_id = aws_internet_gateway.gw.id
  vpc_id              = ${vpc}
}
`;
    const known = await run('', '', attach('aws_vpc.this.id'));
    assert.equal(known.out.kind, 'delivered');
    assert.equal(known.state.state, 'Unprotected');
    const open = await run(`variable "vpc_id" {\n  type = string\n}\n`, '', attach('var.vpc_id'));
    assert.equal(open.out.kind, 'unknown');
    assert.equal(open.state.state, 'Unknown');
  });

  it('no vpc_id and no attachment: attached to nothing, the route drops there (No Egress)', async () => {
    const { state, out } = await run('', '');
    assert.equal(out.kind, 'dropped');
    assert.equal(state.state, 'No Egress');
  });
});
