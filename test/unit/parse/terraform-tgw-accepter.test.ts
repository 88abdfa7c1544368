// A TGW attachment shared from another account is accepted there (aws_ec2_transit_gateway_vpc_attachment_accepter);
// the accepter's id is the attachment's id, so TGW associations, propagations and routes that name it name the
// attachment.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { NetworkElement } from '../../../src/model/types';
import { byId } from './helpers';

const FILES = {
  'main.tf': `
resource "aws_ec2_transit_gateway" "hub" {}
resource "aws_ec2_transit_gateway_route_table" "rt" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.1.0.0/24"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "att" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.v.id
  subnet_ids         = [aws_subnet.a.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "acc" {
  transit_gateway_attachment_id = aws_ec2_transit_gateway_vpc_attachment.att.id
}
resource "aws_ec2_transit_gateway_route_table_association" "a" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.acc.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "p" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.acc.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
resource "aws_ec2_transit_gateway_route" "default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.acc.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
# Accepting an attachment id written as a literal (made outside these inputs): that id.
resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "literal" {
  transit_gateway_attachment_id = "tgw-attach-0abc"
}
resource "aws_ec2_transit_gateway_route" "other" {
  destination_cidr_block         = "10.9.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.literal.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
`,
};

describe('terraform: a TGW attachment accepter is its attachment', () => {
  before(async () => {
    await initTerraform();
  });

  it('associations, propagations and routes naming the accepter name the attachment; no unmodelled reference', () => {
    const idx = new TerraformIndex();
    for (const [f, t] of Object.entries(FILES)) idx.setFile(f, t);
    const frags = idx.build();
    const els: NetworkElement[] = frags.flatMap((f) => f.elements);
    const rt = byId(els, 'aws_ec2_transit_gateway_route_table.rt');
    assert.ok(rt.kind === 'tgwRouteTable');
    assert.deepEqual(rt.associations, ['aws_ec2_transit_gateway_vpc_attachment.att']);
    assert.deepEqual(rt.propagations, ['aws_ec2_transit_gateway_vpc_attachment.att']);
    assert.deepEqual(
      rt.routes.map((r) => [r.destination, r.attachment]),
      [
        ['0.0.0.0/0', 'aws_ec2_transit_gateway_vpc_attachment.att'],
        ['10.9.0.0/16', 'tgw-attach-0abc'],
      ],
    );
    const att = byId(els, 'aws_ec2_transit_gateway_vpc_attachment.att');
    assert.ok(att.kind === 'tgwAttachment' && att.routeTable === 'aws_ec2_transit_gateway_route_table.rt');
    assert.deepEqual(
      frags.flatMap((f) => f.diagnostics).filter((d) => d.code === 'unmodelled-reference'),
      [],
    );
  });
});
