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

  // The TGW sends the workload VPC 0.0.0.0/0 from the shared VPC: the shared VPC's internet egress, whose
  // replies come back through the workload VPC's NAT GW that translated them (the same AZ's endpoint). No flow
  // between two attachments crosses it: appliance mode would change nothing.
  const defaultToWorkload = `
resource "aws_ec2_transit_gateway_route" "default_to_workload" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east_west.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
}`;
  // A third VPC whose TGW table sends everything to the workload VPC, which routes the shared VPC's range back to
  // the TGW from its endpoint subnets: branch -> shared crosses the workload VPC (a flow between two other
  // attachments), each direction in the AZ the TGW picks for it.
  const branchThroughWorkload = `
resource "aws_vpc" "branch" {
  cidr_block = "10.60.0.0/16"
}
resource "aws_subnet" "branch" {
  vpc_id            = aws_vpc.branch.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "branch" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.branch.id
  subnet_ids         = [aws_subnet.branch.id]
}
resource "aws_ec2_transit_gateway_route_table" "branch" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "branch" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.branch.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.branch.id
}
resource "aws_ec2_transit_gateway_route" "branch_default" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.branch.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.workload.id
}
resource "aws_route" "workload_to_shared" {
  route_table_id         = aws_route_table.gwlbe.id
  destination_cidr_block = "10.50.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}`;

  it('the TGW sends it another VPC’s internet egress (0.0.0.0/0), whose replies its NAT GWs pin to their AZ: still quiet', async () => {
    const r = await run({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(defaultToWorkload) });
    assert.deepEqual(modeFindings(r), []);
  });

  it('the same VPC is the inspection attachment once a flow between two other attachments crosses it', async () => {
    const r = await run({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(branchThroughWorkload) });
    const f = r.findings.filter((x) => x.code === 'tgw-appliance-mode-off');
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.workload']);
    assert.match(f[0].message, /traffic from branch to 10\.50\.0\.0\/16 \(shared\) crosses it \(TGW route table branch sends it there/);
    // Without the route back to the TGW the branch's traffic ends in the workload VPC (its egress): quiet.
    const noBack = spokeTgw(branchThroughWorkload.slice(0, branchThroughWorkload.indexOf('resource "aws_route" "workload_to_shared"')));
    assert.deepEqual(modeFindings(await run({ ...example('aws-distributed-egress-ok'), 'tgw.tf': noBack })), []);
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

  it('the same spoke with an unknown range: quiet for the 0.0.0.0/0 alone, the error once a flow between two other attachments crosses it', async () => {
    const egressOnly = await run(unknownRange({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(defaultToWorkload) }));
    assert.deepEqual(modeFindings(egressOnly), []);
    const r = await run(unknownRange({ ...example('aws-distributed-egress-ok'), 'tgw.tf': spokeTgw(branchThroughWorkload) }));
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.workload']);
  });

  // The firewalls translate the spoke's egress to their outside interface: its replies come back to the same
  // firewall whatever AZ the TGW picks. A second spoke on the spokes table sends its traffic to the app VPC
  // through the security VPC too (0.0.0.0/0; the inside table routes 10.0.0.0/8 back to the TGW): east-west.
  const dataSpoke = `
resource "aws_vpc" "data" {
  cidr_block = "10.2.0.0/16"
}
resource "aws_subnet" "data" {
  vpc_id            = aws_vpc.data.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "data" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.data.id
  subnet_ids         = [aws_subnet.data.id]
}
resource "aws_ec2_transit_gateway_route_table_association" "data" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.data.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "security_to_data" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.security.id
  destination_cidr_block         = "10.2.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.data.id
}`;
  const ngfwEgressOnly = () =>
    edit(example('aws-ngfw-instances'), 'tgw.tf', 'appliance_mode_support = "enable"', 'appliance_mode_support = "disable"');
  const ngfwOff = () => {
    const files = ngfwEgressOnly();
    return { ...files, 'tgw.tf': files['tgw.tf'] + dataSpoke };
  };

  it('two firewalls that translate the one spoke’s egress: quiet (its replies return to the firewall that translated them)', async () => {
    assert.deepEqual(modeFindings(await run(ngfwEgressOnly())), []);
  });

  it('two firewalls, each attachment subnet routed to its own AZ’s, east-west between two spokes through them: the error', async () => {
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
