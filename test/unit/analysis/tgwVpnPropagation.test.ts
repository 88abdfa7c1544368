// A Site-to-Site VPN attached to a transit gateway (F300): its routes, learned over the tunnels, enter only the TGW
// route tables its attachment propagates into: those a propagation names it in, and the TGW's default route table
// when the TGW propagates by default. A table it is merely associated with, or one it does not propagate into,
// gets none of them: a spoke whose table that is keeps its decided path. Our centralized-inspection example (TGW
// defaults disabled, the spoke's table 0/0 -> the inspection VPC) with a VPN to an on-premises site added.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const EXAMPLE = 'aws-centralized-tgw-inspection';
const VPN = `
resource "aws_customer_gateway" "onprem" {
  bgp_asn    = 65010
  ip_address = "198.51.100.10"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "onprem" {
  customer_gateway_id = aws_customer_gateway.onprem.id
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  type                = "ipsec.1"
  tags                = { Name = "vpn-onprem" }
}

# The VPN attachment is associated with the firewall table only (traffic from on-premises is inspected).
data "aws_ec2_transit_gateway_vpn_attachment" "onprem" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpn_connection_id  = aws_vpn_connection.onprem.id
}

resource "aws_ec2_transit_gateway_route_table_association" "onprem" {
  transit_gateway_attachment_id  = data.aws_ec2_transit_gateway_vpn_attachment.onprem.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.firewall.id
}
`;
const PROPAGATE_TO_SPOKE = `
resource "aws_ec2_transit_gateway_route_table_propagation" "onprem" {
  transit_gateway_attachment_id  = aws_vpn_connection.onprem.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
`;

async function run(extra: string, ...edits: [string, string][]): Promise<AnalysisResult> {
  const files = exampleTfFiles(EXAMPLE);
  files['main.tf'] = replaceOnce(files['main.tf'], ...edits) + extra;
  return analyzeFiles(files);
}

const spoke = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.spoke')!;

describe('a TGW Site-to-Site VPN adds routes only where its attachment propagates (F300)', function () {
  this.timeout(60000);

  it('no propagation, TGW default propagation disabled: the spoke table gets nothing, the spoke as without the VPN', async () => {
    const without = spoke(await run(''));
    const r = await run(VPN);
    assert.equal(without.state, 'Protected');
    assert.equal(spoke(r).state, without.state);
    assert.doesNotMatch(spoke(r).reason, /vpn-onprem/);
  });

  it('its attachment propagated into the spoke table: Unknown, naming the VPN', async () => {
    const s = spoke(await run(VPN + PROPAGATE_TO_SPOKE));
    assert.equal(s.state, 'Unknown');
    assert.match(
      s.reason,
      /the routes of TGW route table spoke-tgw-rt cannot be decided: aws_vpn_connection vpn-onprem .* may change them/,
    );
  });

  const PROPAGATE_BY_DEFAULT: [string, string] = [
    'default_route_table_propagation = "disable"',
    'default_route_table_propagation = "enable"',
  ];

  it('TGW default propagation enabled: the VPN propagates into the default table only, the spoke (associated elsewhere) kept', async () => {
    const s = spoke(await run(VPN, PROPAGATE_BY_DEFAULT));
    assert.equal(s.state, 'Protected');
  });

  it('TGW default propagation enabled and the spoke in the default table: Unknown, naming the VPN', async () => {
    const SPOKE_ASSOCIATION = `resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}`;
    const s = spoke(
      await run(
        VPN,
        PROPAGATE_BY_DEFAULT,
        ['default_route_table_association = "disable"', 'default_route_table_association = "enable"'],
        [SPOKE_ASSOCIATION, ''],
      ),
    );
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /hub-tgw default route table cannot be decided: aws_vpn_connection vpn-onprem/);
  });
});
