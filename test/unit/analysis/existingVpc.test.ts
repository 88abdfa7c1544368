import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// An existing VPC named by its id (a variable's value, or looked up with data "aws_vpc"), in which the configuration
// makes an internet gateway, a route table and associations with existing subnets: the VPC is part of the estate,
// and what it holds is not in the inputs, so it is Unknown rather than absent (field finding F96). And a quoted
// reference is a string Terraform passes literally: the diagnostic says so.
describe('analysis: an existing VPC the inputs route in', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  const security = (vpc: string) => `
variable "security_vpc" {
  default = "vpc-0a1b2c3d4e5f60718"
}
variable "public_a" {
  default = "subnet-0aa11bb22cc33dd44"
}
data "aws_vpc" "security" {
  id = var.security_vpc
}
resource "aws_internet_gateway" "security" {
  vpc_id = ${vpc}
}
resource "aws_route_table" "public" {
  vpc_id = ${vpc}
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.security.id
  }
}
resource "aws_route_table_association" "public_a" {
  subnet_id      = var.public_a
  route_table_id = aws_route_table.public.id
}
`;

  for (const [how, vpc, id] of [
    ['a variable holding its id', 'var.security_vpc', 'vpc-0a1b2c3d4e5f60718'],
    ['a data "aws_vpc" lookup', 'data.aws_vpc.security.id', 'data.aws_vpc.security'],
  ])
    it(`is Unknown when named by ${how}`, async () => {
      const r = await run({ 'main.tf': security(vpc) });
      assert.deepEqual(
        r.states.map((s) => [s.vpc, s.state, s.reason]),
        [
          [
            id,
            'Unknown',
            `${id} is an existing VPC whose subnets and instances are not in the inputs; the inputs make routing in it (aws_route_table.public, aws_internet_gateway.security)`,
          ],
        ],
      );
      assert.equal(r.score.score, null);
      assert.equal(r.score.unknown, 1);
    });

  it('judges a subnet the inputs make in the existing VPC under that VPC: one state', async () => {
    const r = await run({
      'main.tf':
        security('var.security_vpc') +
        'resource "aws_subnet" "app" {\n  vpc_id     = var.security_vpc\n  cidr_block = "10.50.1.0/24"\n}\nresource "aws_route_table_association" "app" {\n  subnet_id      = aws_subnet.app.id\n  route_table_id = aws_route_table.public.id\n}\n',
    });
    assert.deepEqual(
      r.states.map((s) => [s.vpc, s.state]),
      [['vpc-0a1b2c3d4e5f60718', 'Unknown']],
    );
    assert.deepEqual(
      r.egress.map((e) => [e.subnet, e.vpc]),
      [['aws_subnet.app', 'vpc-0a1b2c3d4e5f60718']],
    );
  });

  it('is not made up for a VPC the inputs do not route in, nor for one they define', async () => {
    // Only a TGW attachment in the existing VPC: nothing of its routing is written here.
    const attachOnly = await run({
      'main.tf':
        'resource "aws_ec2_transit_gateway" "tgw" {}\nresource "aws_ec2_transit_gateway_vpc_attachment" "a" {\n  vpc_id             = "vpc-0a1b2c3d4e5f60718"\n  subnet_ids         = ["subnet-0aa11bb22cc33dd44"]\n  transit_gateway_id = aws_ec2_transit_gateway.tgw.id\n}\n',
    });
    assert.deepEqual(attachOnly.states, []);
    // The VPC in an AWS CLI export beside the configuration: it is that VPC.
    const exported = await run({
      'main.tf': security('var.security_vpc'),
      'vpcs.json': JSON.stringify({ Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.50.0.0/16', State: 'available' }] }),
    });
    assert.ok(!exported.states.some((s) => /existing VPC/.test(s.reason)));
  });

  it('calls a quoted reference a quoted string that Terraform passes literally (a warning)', async () => {
    const r = await run({
      'main.tf': `
resource "aws_vpc" "mgmt" {
  cidr_block = "10.10.0.0/16"
}
resource "aws_subnet" "mgmt" {
  vpc_id     = aws_vpc.mgmt.id
  cidr_block = "10.10.1.0/24"
}
resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_ec2_transit_gateway_vpc_attachment" "mgmt" {
  subnet_ids         = ["aws_subnet.mgmt.id"]
  vpc_id             = aws_vpc.mgmt.id
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
}
`,
    });
    const d = r.parseDiagnostics.filter((x) => x.code === 'missing-reference');
    assert.deepEqual(
      d.map((x) => [x.severity, x.message]),
      [
        [
          'warning',
          'aws_ec2_transit_gateway_vpc_attachment.mgmt: subnets is the quoted string "aws_subnet.mgmt.id", which Terraform passes literally as the value, not as a reference (write it without quotes)',
        ],
      ],
    );
  });
});
