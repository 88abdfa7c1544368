import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// The account's default VPC exists before the configuration, with a subnet per zone and a main table that
// AWS routes 0.0.0.0/0 to its internet gateway. Only what the configuration manages is known.
describe('analysis: the default VPC (aws_default_vpc)', function () {
  this.timeout(30000);

  async function run(body: string) {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `provider "aws" {
  region = "eu-west-1"
}
resource "aws_default_vpc" "d" {
  tags = { Name = "default" }
}
${body}`,
    );
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const state = (r: Awaited<ReturnType<typeof run>>) => r.states.map((s) => `${s.name} ${s.state}`);
  const subnet = `
resource "aws_default_subnet" "a" {
  availability_zone = "eu-west-1a"
}`;
  const managedMain = (routes: string) => `
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_default_vpc.d.id
}
resource "aws_default_route_table" "main" {
  default_route_table_id = aws_default_vpc.d.default_route_table_id
  ${routes}
}`;

  it('adopted alone (tags, DNS settings) it is Unknown: its default subnets and routes are not in the inputs', async () => {
    const r = await run('');
    assert.deepEqual(state(r), ['default Unknown']);
    assert.match(r.states[0].reason, /default VPC.*not in the inputs/);
  });

  it('a default subnet (no vpc_id) is in the default VPC; its main table, not managed here, makes its path Unknown', async () => {
    const r = await run(subnet);
    assert.deepEqual(
      r.egress.map((e) => `${e.subnet} ${e.vpc} ${e.forward.outcome.kind}`),
      ['aws_default_subnet.a aws_default_vpc.d unknown'],
    );
    assert.deepEqual(state(r), ['default Unknown']);
    assert.match(r.states[0].reason, /aws_default_route_table/);
  });

  it('managed by aws_default_route_table, the main table routes what the code writes: nothing means No Egress', async () => {
    assert.deepEqual(state(await run(subnet + managedMain(''))), ['default No Egress']);
  });

  it('managed with 0.0.0.0/0 to the internet gateway: the default subnet is Unprotected, with a finding', async () => {
    const r = await run(
      subnet +
        managedMain(`route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }`),
    );
    assert.deepEqual(state(r), ['default Unprotected']);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress aws_default_subnet.a'],
    );
  });

  // (Before issue 13's rule that No Egress needs every subnet known, an ordinary VPC that no subnet resource
  // names was No Egress too; it is now Unknown for that reason, see subnetsOutside.test.ts.)
  it('an ordinary VPC gets no default subnets: declared with zero subnets it is still No Egress', async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\nresource "aws_subnet" "s" {\n  count      = 0\n  vpc_id     = aws_vpc.v.id\n  cidr_block = "10.0.1.0/24"\n}\n',
    );
    const b = ws.build();
    assert.deepEqual(
      analyze(b.model, {}, b.diagnostics).states.map((s) => s.state),
      ['No Egress'],
    );
    ws.setFile('main.tf', 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n');
    const alone = ws.build();
    const [s] = analyze(alone.model, {}, alone.diagnostics).states;
    assert.equal(s.state, 'Unknown');
    assert.doesNotMatch(s.reason, /default VPC/);
  });
});
