// A transit gateway attachment whose subnets are a provider lookup (`subnet_ids = [data.aws_subnets.x.ids[0]]`,
// F97b): the packet enters through some subnet of the attachment's VPC. A reply addressed inside the VPC ends at
// the `local` route whichever subnet that is, unless a table of the VPC has a more specific route (a middlebox);
// a packet for the internet depends on which subnet it is. No AZ is taken from the unknown subnet.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult, SubnetEgress } from '../../../src/analysis/types';

const EXAMPLE = 'aws-centralized-tgw-inspection';

/** The example's spoke (or inspection) attachment placed by a subnet lookup of its VPC, plus `extra` HCL. */
async function run(opts: { spoke?: boolean; inspection?: boolean; extra?: string; edits?: [string, string][] }): Promise<AnalysisResult> {
  const files = exampleTfFiles(EXAMPLE);
  const edits: [string, string][] = [...(opts.edits ?? [])];
  if (opts.spoke)
    edits.push([
      'subnet_ids         = [for s in aws_subnet.spoke_tgw : s.id]',
      'subnet_ids         = [element(flatten(data.aws_subnets.spoke.ids), 0)]',
    ]);
  if (opts.inspection)
    edits.push([
      'subnet_ids             = [for s in aws_subnet.inspection_tgw : s.id]',
      'subnet_ids             = [data.aws_subnets.inspection.ids[0]]',
    ]);
  files['main.tf'] =
    replaceOnce(files['main.tf'], ...edits) +
    `
data "aws_subnets" "spoke" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.spoke.id]
  }
}

data "aws_subnets" "inspection" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.inspection.id]
  }
}
${opts.extra ?? ''}`;
  return analyzeFiles(files);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;
const egressOf = (r: AnalysisResult, subnet: string): SubnetEgress => r.egress.find((e) => e.subnet === subnet)!;
const attachmentHop = (hops: SubnetEgress['forward']['hops'], id: string) => hops.find((h) => h.element === id)!;

describe('a TGW attachment whose subnets are not known offline', function () {
  this.timeout(60000);

  it('the reply into the spoke ends at local in every table of the VPC: delivered, no AZ taken, no finding', async () => {
    const r = await run({ spoke: true });
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected');
    assert.deepEqual(r.findings, []);
    for (const az of ['a', 'b']) {
      const eg = egressOf(r, `aws_subnet.spoke_app["${az}"]`);
      assert.deepEqual(eg.return!.outcome, { kind: 'delivered' });
      const hop = attachmentHop(eg.return!.hops, 'aws_ec2_transit_gateway_vpc_attachment.spoke');
      assert.equal(hop.az, undefined);
      assert.match(
        hop.note,
        /its subnet is not known offline \(`\[element\(flatten\(data\.aws_subnets\.spoke\.ids\), 0\)\]`\), but every route table of spoke-app \(2, the main one included\) sends 10\.1\.\d+\.\d+ to local/,
      );
      const last = eg.return!.hops[eg.return!.hops.length - 1];
      assert.equal(last.element, `aws_subnet.spoke_app["${az}"]`);
      assert.equal(last.az, `us-east-1${az}`);
    }
  });

  it("a table of the spoke sending one subnet to a middlebox leaves that subnet's reply Unknown, naming the table", async () => {
    const r = await run({
      spoke: true,
      extra: `
resource "aws_route" "to_middlebox" {
  route_table_id         = aws_route_table.spoke.id
  destination_cidr_block = aws_subnet.spoke_app["a"].cidr_block
  network_interface_id   = "eni-0a1b2c3d4e5f60718"
}
`,
    });
    const a = egressOf(r, 'aws_subnet.spoke_app["a"]').return!.outcome;
    assert.equal(a.kind, 'unknown');
    assert.equal(a.kind === 'unknown' && a.cause, 'unresolved-input');
    assert.match(
      a.reason,
      /^the subnet of attachment spoke-attachment is not known offline \(`\[element\(flatten\(data\.aws_subnets\.spoke\.ids\), 0\)\]`: .*\), and which route table of its VPC routes the packet cannot be decided: the route tables of spoke-app it may be in do not all send 10\.1\.0\.\d+ to local: spoke-rt sends it to eni-0a1b2c3d4e5f60718; the other one sends it to local$/,
    );
    // Subnet b's CIDR is outside the middlebox route: every table sends its reply to local.
    assert.deepEqual(egressOf(r, 'aws_subnet.spoke_app["b"]').return!.outcome, { kind: 'delivered' });
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unknown');
  });

  it("an ingress table of the spoke's IGW (edge association only) is no subnet's: the reply is still delivered (review of e25876f #3)", async () => {
    const ingress = (assoc: string) => `
resource "aws_internet_gateway" "spoke" {
  vpc_id = aws_vpc.spoke.id
}
resource "aws_route_table" "spoke_ingress" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block           = aws_subnet.spoke_app["a"].cidr_block
    network_interface_id = "eni-0a1b2c3d4e5f60718"
  }
}
resource "aws_route_table_association" "spoke_ingress" {
  ${assoc}
  route_table_id = aws_route_table.spoke_ingress.id
}
`;
    const r = await run({ spoke: true, extra: ingress('gateway_id     = aws_internet_gateway.spoke.id') });
    assert.deepEqual(egressOf(r, 'aws_subnet.spoke_app["a"]').return!.outcome, { kind: 'delivered' });
    // The same table associated with a subnet may be the attachment subnet's: Unknown, naming it.
    const sub = await run({ spoke: true, extra: ingress('subnet_id      = aws_subnet.spoke_app["b"].id') });
    const out = egressOf(sub, 'aws_subnet.spoke_app["a"]').return!.outcome;
    assert.equal(out.kind, 'unknown');
    assert.match(out.kind === 'unknown' ? out.reason : '', /spoke_ingress sends it to eni-0a1b2c3d4e5f60718/);
  });

  it("a route table whose VPC cannot be decided may be one of the spoke's: Unknown, naming it", async () => {
    const r = await run({
      spoke: true,
      extra: `
variable "vpc_id" {
  type = string
}

resource "aws_route_table" "stray" {
  vpc_id = var.vpc_id
  tags   = { Name = "stray-rt" }
}
`,
    });
    const out = egressOf(r, 'aws_subnet.spoke_app["a"]').return!.outcome;
    assert.equal(out.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /route table stray-rt \(main\.tf:\d+\) may be a table of spoke-app: its VPC `var\.vpc_id` cannot be decided offline/,
    );
  });

  it('an Azure route table (its VNet is known by its subnets only) is no table of an AWS VPC', async () => {
    const r = await run({
      spoke: true,
      extra: `
resource "azurerm_route_table" "unassociated" {
  name                = "unassociated-rt"
  location            = "westeurope"
  resource_group_name = "rg"
}
`,
    });
    assert.deepEqual(egressOf(r, 'aws_subnet.spoke_app["a"]').return!.outcome, { kind: 'delivered' });
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected');
  });

  it('a spoke with only its main table: that table decides', async () => {
    const r = await run({
      spoke: true,
      edits: [
        [
          'resource "aws_route_table" "spoke" {\n  vpc_id = aws_vpc.spoke.id',
          'resource "aws_default_route_table" "spoke" {\n  default_route_table_id = aws_vpc.spoke.default_route_table_id',
        ],
        [
          'route_table_id = aws_route_table.spoke.id\n}\n\nresource "aws_route_table_association" "spoke_tgw"',
          'route_table_id = aws_default_route_table.spoke.id\n}\n\nresource "aws_route_table_association" "spoke_tgw"',
        ],
        [
          'subnet_id      = aws_subnet.spoke_tgw[each.key].id\n  route_table_id = aws_route_table.spoke.id',
          'subnet_id      = aws_subnet.spoke_tgw[each.key].id\n  route_table_id = aws_default_route_table.spoke.id',
        ],
      ],
    });
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected');
    const hop = attachmentHop(egressOf(r, 'aws_subnet.spoke_app["a"]').return!.hops, 'aws_ec2_transit_gateway_vpc_attachment.spoke');
    assert.match(hop.note, /but spoke-app has only its main route table: it decides; route 10\.1\.0\.0\/16 -> local in spoke-rt \(/);
    assert.equal(hop.decision?.routeTable, 'aws_default_route_table.spoke');
  });

  it('the forward leg into the inspection VPC depends on the subnet: Unknown, naming the tables, and no AZ-based finding', async () => {
    const r = await run({ inspection: true });
    const eg = egressOf(r, 'aws_subnet.spoke_app["a"]');
    const out = eg.forward.outcome;
    assert.equal(out.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /which route table of its VPC routes the packet cannot be decided: the route tables of .* it may be in do not all send 8\.8\.8\.8 to local: .*(has no route for it|sends it to)/,
    );
    assert.equal(attachmentHop(eg.forward.hops, 'aws_ec2_transit_gateway_vpc_attachment.inspection').az, undefined);
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unknown');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'tgw-appliance-mode-off' || f.code === 'asymmetric-cross-az'),
      [],
    );
  });
});
