import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { byId } from './helpers';
import { planOf } from './planFixture';

// A root whose variables have no default (the values come from a tfvars file kept out of the repository) and
// the plan JSON of that root beside it (F71): the plan decided the counts the .tf leaves undecided.
const TF = `
variable "names" {}
variable "cidrs" {}

resource "aws_vpc" "hub" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_subnet" "private" {
  count      = length(var.names)
  vpc_id     = aws_vpc.hub.id
  cidr_block = var.cidrs[count.index]
}

resource "aws_ec2_transit_gateway" "tgw" {}

resource "aws_ec2_transit_gateway_vpc_attachment" "hub" {
  subnet_ids         = aws_subnet.private[*].id
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.hub.id
}
`;

const PLAN = planOf(
  [
    ['aws_vpc.hub', { cidr_block: '10.9.0.0/16', assign_generated_ipv6_cidr_block: false }, { id: true, ipv6_cidr_block: true }],
    ['aws_subnet.private[0]', { cidr_block: '10.9.0.0/24' }, { id: true, vpc_id: true }],
    ['aws_subnet.private[1]', { cidr_block: '10.9.1.0/24' }, { id: true, vpc_id: true }],
    ['aws_ec2_transit_gateway.tgw', {}, { id: true }],
    ['aws_ec2_transit_gateway_vpc_attachment.hub', {}, { id: true, subnet_ids: true, vpc_id: true, transit_gateway_id: true }],
  ],
  {
    'aws_subnet.private': { vpc_id: { references: ['aws_vpc.hub'] }, cidr_block: { references: ['var.cidrs', 'count.index'] } },
    'aws_ec2_transit_gateway_vpc_attachment.hub': {
      subnet_ids: { references: ['aws_subnet.private'] },
      vpc_id: { references: ['aws_vpc.hub'] },
      transit_gateway_id: { references: ['aws_ec2_transit_gateway.tgw'] },
    },
  },
  { names: ['a', 'b'], cidrs: ['10.9.0.0/24', '10.9.1.0/24'] },
);

describe('parse/workspace: a plan JSON beside the .tf of its root (F71)', () => {
  it('the .tf alone: one undecided placeholder subnet', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', TF);
    const ids = ws
      .build()
      .model.elements.filter((e) => e.kind === 'subnet')
      .map((e) => e.id);
    assert.deepEqual(ids, ['aws_subnet.private["?"]']);
  });

  it("the plan's instances replace the .tf's undecided placeholder; the .tf's list of them is the plan's", async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', TF);
    ws.setFile('plan.json', PLAN);
    const b = ws.build();
    const subnets = b.model.elements.filter((e) => e.kind === 'subnet');
    assert.deepEqual(
      subnets.map((e) => [e.id, e.kind === 'subnet' && e.cidr]),
      [
        ['aws_subnet.private[0]', '10.9.0.0/24'],
        ['aws_subnet.private[1]', '10.9.1.0/24'],
      ],
    );
    const att = byId(b.model.elements, 'aws_ec2_transit_gateway_vpc_attachment.hub');
    assert.ok(att.kind === 'tgwAttachment');
    assert.deepEqual(att.kind === 'tgwAttachment' && att.subnets, ['aws_subnet.private[0]', 'aws_subnet.private[1]']);
    // The .tf still locates what it defines.
    assert.equal(att.loc.file, 'main.tf');
    assert.ok(!b.diagnostics.some((d) => d.code === 'missing-reference' || d.code === 'duplicate-id'), JSON.stringify(b.diagnostics));
  });

  it('the placeholder is back when the plan goes; a plan of other resources leaves it', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', TF);
    ws.setFile('plan.json', PLAN);
    ws.build();
    ws.removeFile('plan.json');
    assert.ok(ws.build().model.elements.some((e) => e.id === 'aws_subnet.private["?"]'));
    ws.setFile('other.json', planOf([['aws_subnet.public[0]', { cidr_block: '10.9.9.0/24' }]], {}));
    assert.ok(ws.build().model.elements.some((e) => e.id === 'aws_subnet.private["?"]'));
  });
});
