// tgw-appliance-mode-off names an inspection attachment only: one the TGW sends other VPCs' traffic to, whose
// flows can meet different appliances. A spoke with GWLB endpoints of its own for its own north-south traffic,
// and an active-passive firewall pair whose routes all name the active unit, are not that (field: Fortinet's
// GWLB-in-every-VPC and FGCP-behind-TGW modules, where the error was false).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const EXAMPLES = join(__dirname, '../../../../examples');

function example(name: string): Record<string, string> {
  const dir = join(EXAMPLES, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const modeFindings = (r: AnalysisResult) =>
  r.findings.filter((f) => f.code === 'tgw-appliance-mode-off').map((f) => `${f.severity} @ ${f.elementId}`);

/** Replaces `from` exactly once in one file of the example. */
function edit(files: Record<string, string>, file: string, from: string, to: string): Record<string, string> {
  const text = files[file];
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `${file}: "${from}" must occur exactly once`);
  return { ...files, [file]: text.slice(0, at) + to + text.slice(at + from.length) };
}

// The distributed example's workload VPC (its own GWLB endpoints for its own egress) joined to a TGW with a
// second VPC, appliance mode left at its default (off). The TGW's table only propagates the VPCs' own ranges.
const spokeTgw = (extraRoute: string) => `
resource "aws_vpc" "shared" {
  cidr_block = "10.50.0.0/16"
}
resource "aws_subnet" "shared" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.50.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "workload" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.workload.id
  subnet_ids         = [aws_subnet.app_a.id, aws_subnet.app_b.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.shared.id
  subnet_ids         = [aws_subnet.shared.id]
}
resource "aws_ec2_transit_gateway_route_table" "east_west" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "workload" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
}
resource "aws_ec2_transit_gateway_route_table_association" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "workload" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
}
${extraRoute}
`;

describe('tgw-appliance-mode-off: only an attachment whose flows can meet different appliances', function () {
  this.timeout(60000);

  it('a spoke with GWLB endpoints of its own, to which the TGW delivers only its own range, is no inspection VPC', async () => {
    const r = await run({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw('') });
    assert.equal(r.model.elements.filter((e) => e.kind === 'gwlbe').length, 2, 'two endpoints in two AZs');
    assert.deepEqual(modeFindings(r), []);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.workload')!.state, 'Protected');
  });

  it('the same VPC is the inspection attachment again once the TGW sends it other VPCs’ traffic', async () => {
    const toWorkload = `
resource "aws_ec2_transit_gateway_route" "default_to_workload" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
}`;
    const r = await run({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(toWorkload) });
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.workload']);
  });

  // The workload VPC's range left to a variable without a default (field: a blueprint opened before its tfvars
  // are copied): whether the TGW sends it anything but its own range is then decided by the routes alone.
  const unknownRange = (files: Record<string, string>) => edit(files, 'variables.tf', 'default     = "10.0.0.0/16"', '');

  it('a spoke whose range is not known offline, the TGW propagating only its own: no error (undecided, not a guess)', async () => {
    const r = await run(unknownRange({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw('') }));
    assert.ok(
      r.model.elements.some((e) => e.kind === 'vpc' && e.id === 'aws_vpc.workload' && e.cidrs.some((c) => typeof c !== 'string')),
      'the workload range is unresolved',
    );
    assert.deepEqual(modeFindings(r), []);
  });

  it('the same spoke with an unknown range is the inspection attachment once the TGW sends it 0.0.0.0/0', async () => {
    const toWorkload = `
resource "aws_ec2_transit_gateway_route" "default_to_workload" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
}`;
    const r = await run(unknownRange({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(toWorkload) }));
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.workload']);
  });

  const ngfwOff = () =>
    edit(example('aws-ngfw-instances'), 'tgw.tf', 'appliance_mode_support = "enable"', 'appliance_mode_support = "disable"');

  it('two firewalls, each attachment subnet routed to its own AZ’s: the error', async () => {
    assert.deepEqual(modeFindings(await run(ngfwOff())), ['error @ aws_ec2_transit_gateway_vpc_attachment.security']);
  });

  it('an active-passive pair whose every attachment-subnet route names the active unit: quiet', async () => {
    const ap = edit(
      ngfwOff(),
      'security.tf',
      'network_interface_id   = aws_network_interface.inside[each.key].id',
      'network_interface_id   = aws_network_interface.inside["a"].id',
    );
    const r = await run(ap);
    // Still two firewall instances in the VPC: the count is of what the attachment's routes name.
    assert.equal(r.model.elements.filter((e) => e.kind === 'instance' && /firewall/.test(e.id)).length, 2);
    assert.deepEqual(modeFindings(r), []);
  });
});
