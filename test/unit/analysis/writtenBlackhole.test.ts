// A drop written on purpose (a TGW route's `blackhole = true`, an Azure next hop `None`) keeps a network off the
// internet by design: on the forward leg it is no finding (review s16 R10: the error's fix "point the route at an
// existing target or remove it" opened a deliberately isolated network). On the return leg it breaks a flow that
// left, and stays an error with a fix that keeps the drop. An export's `State: blackhole` (a deleted target) is
// unchanged (cli/unknowns.test.ts).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

describe('blackhole-route: drops written on purpose', () => {
  before(async () => {
    await initTerraform();
  });

  it('spokes isolated by a TGW blackhole default route: No Egress, the reason names the route, no finding', async () => {
    const files = exampleTfFiles('aws-centralized-tgw-inspection');
    files['main.tf'] = replaceOnce(files['main.tf'], [
      '  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id',
      '  blackhole                      = true\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id',
    ]);
    const res = await analyzeFiles(files);
    assert.deepEqual(
      res.findings.filter((f) => f.code === 'blackhole-route'),
      [],
    );
    const spoke = res.states.find((s) => s.name === 'spoke-app')!;
    assert.equal(spoke.state, 'No Egress');
    const t = res.egress.map((e) => e.forward).find((x) => x.outcome.kind === 'dropped')!;
    assert.equal(t.outcome.kind === 'dropped' && t.outcome.cause, 'blackhole');
    assert.match(
      t.outcome.kind === 'dropped' ? t.outcome.reason : '',
      /^route 0\.0\.0\.0\/0 in TGW route table spoke-tgw-rt drops it \(a blackhole route, written to drop traffic\)$/,
    );
  });

  it('the replies dropped by a written blackhole supernet: an error on that route whose fix keeps the drop', async () => {
    const files = exampleTfFiles('aws-centralized-tgw-inspection');
    files['main.tf'] = replaceOnce(files['main.tf'], [
      'resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {\n  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id\n',
      'resource "aws_ec2_transit_gateway_route" "private_drop" {\n  destination_cidr_block         = "10.0.0.0/8"\n  blackhole                      = true\n',
    ]);
    const res = await analyzeFiles(files);
    const fs = res.findings.filter((f) => f.code === 'blackhole-route');
    assert.ok(fs.length >= 1, JSON.stringify(res.findings.map((f) => f.code)));
    for (const f of fs) {
      assert.equal(f.severity, 'error');
      assert.equal(f.elementId, 'aws_ec2_transit_gateway_route.private_drop');
      assert.match(
        f.message,
        /^The return path of .* is dropped: route 10\.0\.0\.0\/8 in TGW route table firewall-tgw-rt drops it \(a blackhole route, written to drop traffic\)\. The flow leaves, but its replies never come back\.$/,
      );
      assert.match(f.fix?.title ?? '', /^Give the replies to .* a more specific route in firewall-tgw-rt than .*, or narrow /);
      assert.doesNotMatch(f.fix?.title ?? '', /remove it|existing target/);
    }
  });

  it('an Azure route to next hop None: No Egress by design, no finding', async () => {
    const files = exampleTfFiles('azure-hub-spoke-firewall');
    files['main.tf'] = replaceOnce(files['main.tf'], [
      '    next_hop_type          = "VirtualAppliance"\n    next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address',
      '    next_hop_type          = "None"',
    ]);
    const res = await analyzeFiles(files);
    assert.deepEqual(
      res.findings.map((f) => f.code),
      [],
    );
    assert.equal(res.states.find((s) => s.name === 'vnet-spoke-app')?.state, 'No Egress');
    const t = res.egress.map((e) => e.forward).find((x) => x.outcome.kind === 'dropped')!;
    assert.match(t.outcome.kind === 'dropped' ? t.outcome.reason : '', /drops it \(next hop None, written to drop traffic\)$/);
  });
});
