// A transit gateway left to its defaults has a default route table: every attachment that does not opt out
// is associated with it and propagates its VPC's CIDRs to it, and `association_default_route_table_id` /
// `propagation_default_route_table_id` name it. Designs seen in the field route spokes through it and
// associate only the egress (or firewall) attachment with a table of its own.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

async function run(text: string, vars = ''): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text + vars);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

/** A spoke whose private subnet sends 0/0 to the TGW, and a central NAT VPC behind it. */
const hub = (spokeAttachment: string, egressAttachment: string) => `
resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "spoke_private" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "spoke_tgw" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.0.0/28"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "spoke_private" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "spoke_private" {
  subnet_id      = aws_subnet.spoke_private.id
  route_table_id = aws_route_table.spoke_private.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke_tgw.id]
${spokeAttachment}
}

resource "aws_vpc" "egress" {
  cidr_block = "10.100.0.0/16"
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "egress_tgw" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "10.100.0.0/28"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "egress_public" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "10.100.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" {}
resource "aws_nat_gateway" "egress" {
  subnet_id     = aws_subnet.egress_public.id
  allocation_id = aws_eip.nat.id
}
resource "aws_route_table" "egress_tgw" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress.id
  }
}
resource "aws_route_table_association" "egress_tgw" {
  subnet_id      = aws_subnet.egress_tgw.id
  route_table_id = aws_route_table.egress_tgw.id
}
resource "aws_route_table" "egress_public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "egress_public" {
  subnet_id      = aws_subnet.egress_public.id
  route_table_id = aws_route_table.egress_public.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [aws_subnet.egress_tgw.id]
${egressAttachment}
}

# Spokes reach the egress VPC through the default table.
resource "aws_ec2_transit_gateway_route" "to_egress" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.association_default_route_table_id
}
`;

/** The egress attachment has a table of its own, which learns the spokes from the default table's peers. */
const egressTable = `
  transit_gateway_default_route_table_association = false
}
resource "aws_ec2_transit_gateway_route_table" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "spoke_to_egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
`;

const spokePath = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'aws_subnet.spoke_private')!;
const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)?.state;

describe('a transit gateway default route table', () => {
  it('an attachment left to the defaults is associated with it: the spoke reaches the central NAT and the reply comes back', async () => {
    const r = await run(hub('', egressTable));
    const e = spokePath(r);
    assert.equal(e.forward.outcome.kind, 'delivered', JSON.stringify(e.forward.outcome));
    assert.ok(
      e.forward.hops.some((h) => h.decision?.routeTable === 'aws_ec2_transit_gateway.hub.default_route_table'),
      'the spoke attachment is routed by the default table',
    );
    assert.equal(e.return?.outcome.kind, 'delivered', JSON.stringify(e.return?.outcome));
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Unprotected');
    assert.ok(r.findings.some((f) => f.code === 'uninspected-egress' && f.traces?.includes('aws_subnet.spoke_private')));
  });

  it('the reply follows the CIDRs propagated to the default table by attachments that do not opt out', async () => {
    // Both attachments on the default table: the reply from the egress VPC is routed there too, by the
    // spoke's propagated CIDR; opting the spoke out of propagation leaves no route back.
    const both = await run(hub('', ''));
    assert.equal(spokePath(both).return?.outcome.kind, 'delivered');
    const optedOut = await run(hub('  transit_gateway_default_route_table_propagation = false', ''));
    const back = spokePath(optedOut).return!;
    assert.equal(back.outcome.kind, 'dropped', JSON.stringify(back.outcome));
  });

  it('an attachment that opts out of default association, and that no association names, has no table: dropped at the TGW (F106)', async () => {
    const r = await run(hub('  transit_gateway_default_route_table_association = false', egressTable));
    const o = spokePath(r).forward.outcome;
    assert.equal(o.kind === 'dropped' && o.cause, 'no-tgw-association', JSON.stringify(o));
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'No Egress');
  });

  it('a TGW with both defaults disabled has no default table', async () => {
    const r = await run(
      hub('', egressTable).replace(
        'resource "aws_ec2_transit_gateway" "hub" {}',
        'resource "aws_ec2_transit_gateway" "hub" {\n  default_route_table_association = "disable"\n  default_route_table_propagation = "disable"\n}',
      ),
    );
    assert.ok(!r.model.elements.some((e) => e.id === 'aws_ec2_transit_gateway.hub.default_route_table'));
    // The spoke attachment, which no association names, is in no table: dropped there (F106).
    const o = spokePath(r).forward.outcome;
    assert.equal(o.kind === 'dropped' && o.cause, 'no-tgw-association', JSON.stringify(o));
  });

  it('an undecidable propagation flag makes the reply Unknown, never dropped', async () => {
    const r = await run(hub('  transit_gateway_default_route_table_propagation = var.propagate', ''), '\nvariable "propagate" {}\n');
    assert.equal(spokePath(r).forward.outcome.kind, 'delivered', JSON.stringify(spokePath(r).forward.outcome));
    const back = spokePath(r).return!;
    assert.equal(back.outcome.kind, 'unknown', JSON.stringify(back.outcome));
    assert.match(back.outcome.kind === 'unknown' ? back.outcome.reason : '', /propagates its CIDRs .*var\.propagate/);
    // The forward leg alone decides the state: it leaves uninspected whatever the reply does.
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Unprotected');
  });
});
