import * as assert from 'node:assert/strict';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { isUnresolved } from '../../../src/model/types';
import { byId } from './helpers';
import { planOf } from './planFixture';

describe('parse/tfPlan: references to a counted resource as a whole (F73)', () => {
  const subnet = (i: number) => ({ cidr_block: `10.9.${i}.0/24`, availability_zone: 'us-east-1a' });
  const rs: [string, object, object?][] = [
    ['aws_vpc.hub', { cidr_block: '10.9.0.0/16', assign_generated_ipv6_cidr_block: false }, { id: true }],
    ['aws_subnet.private[0]', subnet(0), { id: true, vpc_id: true }],
    ['aws_subnet.private[1]', subnet(1), { id: true, vpc_id: true }],
    ['aws_ec2_transit_gateway.tgw', {}, { id: true }],
    ['aws_ec2_transit_gateway_vpc_attachment.hub', {}, { id: true, subnet_ids: true, vpc_id: true, transit_gateway_id: true }],
    ['aws_ec2_transit_gateway_vpc_attachment.picked', {}, { id: true, subnet_ids: true, vpc_id: true, transit_gateway_id: true }],
    ['aws_route_table.rt', {}, { id: true, vpc_id: true }],
    ['aws_route_table_association.one', {}, { id: true, subnet_id: true, route_table_id: true }],
    ['aws_route_table_association.v1', {}, { id: true, subnet_id: true, route_table_id: true }],
    ['aws_route_table_association.each[0]', {}, { id: true, subnet_id: true, route_table_id: true }],
    ['aws_route_table_association.each[1]', {}, { id: true, subnet_id: true, route_table_id: true }],
  ];
  const rt = { references: ['aws_route_table.rt'] };
  const exprs = {
    'aws_subnet.private': { vpc_id: { references: ['aws_vpc.hub'] } },
    'aws_route_table.rt': { vpc_id: { references: ['aws_vpc.hub'] } },
    // subnet_ids = aws_subnet.private[*].id (terraform 0.12 lists the resource as a whole)
    'aws_ec2_transit_gateway_vpc_attachment.hub': {
      subnet_ids: { references: ['aws_subnet.private'] },
      vpc_id: { references: ['aws_vpc.hub'] },
      transit_gateway_id: { references: ['aws_ec2_transit_gateway.tgw'] },
    },
    // subnet_ids = [for s in aws_subnet.private : s.id if s.availability_zone == var.az]: which ones is not in the plan
    'aws_ec2_transit_gateway_vpc_attachment.picked': {
      subnet_ids: { references: ['aws_subnet.private', 'var.az'] },
      vpc_id: { references: ['aws_vpc.hub'] },
      transit_gateway_id: { references: ['aws_ec2_transit_gateway.tgw'] },
    },
    // subnet_id = aws_subnet.private[0].id, as terraform 0.12 lists it
    'aws_route_table_association.one': { subnet_id: { references: ['aws_subnet.private[0]'] }, route_table_id: rt },
    // subnet_id = aws_subnet.private[1].id, as terraform 1.x lists it
    'aws_route_table_association.v1': {
      subnet_id: { references: ['aws_subnet.private[1].id', 'aws_subnet.private[1]', 'aws_subnet.private'] },
      route_table_id: rt,
    },
    // subnet_id = aws_subnet.private[count.index].id
    'aws_route_table_association.each': { subnet_id: { references: ['aws_subnet.private', 'count.index'] }, route_table_id: rt },
  };
  const f = parseTfPlan('plan.json', planOf(rs, exprs));

  it('a list attribute referencing the whole resource holds every instance, in the plan order', () => {
    const a = byId(f.elements, 'aws_ec2_transit_gateway_vpc_attachment.hub');
    assert.ok(a.kind === 'tgwAttachment');
    assert.deepEqual(a.kind === 'tgwAttachment' && a.subnets, ['aws_subnet.private[0]', 'aws_subnet.private[1]']);
  });

  it('an instance named by index is that instance only (terraform 0.12 and 1.x reference lists)', () => {
    const one = byId(f.elements, 'aws_route_table_association.one');
    assert.ok(one.kind === 'rtAssociation' && one.subnet === 'aws_subnet.private[0]');
    const v1 = byId(f.elements, 'aws_route_table_association.v1');
    assert.ok(v1.kind === 'rtAssociation' && v1.subnet === 'aws_subnet.private[1]');
  });

  it('an expression that picks instances by count.index or a variable stays unknown, never every instance', () => {
    for (const id of ['aws_route_table_association.each[0]', 'aws_route_table_association.each[1]']) {
      const e = byId(f.elements, id);
      assert.ok(e.kind === 'rtAssociation' && isUnresolved(e.subnet), id);
    }
    const p = byId(f.elements, 'aws_ec2_transit_gateway_vpc_attachment.picked');
    assert.ok(p.kind === 'tgwAttachment');
    if (p.kind !== 'tgwAttachment') return;
    assert.ok(p.subnets.every((s) => isUnresolved(s)) && p.subnets.length === 1, JSON.stringify(p.subnets));
  });
});

describe('parse/tfPlan: a VPC IPv6 block known after apply (F72)', () => {
  const vpc = (values: object, exprs: object = {}) => {
    const f = parseTfPlan(
      'plan.json',
      planOf([['aws_vpc.v', { cidr_block: '10.9.0.0/16', ...values }, { id: true, ipv6_cidr_block: true, ipv6_association_id: true }]], {
        'aws_vpc.v': exprs,
      }),
    );
    const v = byId(f.elements, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    return v.kind === 'vpc' ? v.cidrs : [];
  };

  it('not asked for (assign_generated_ipv6_cidr_block false, no IPAM pool, not written): the VPC has no IPv6 block', () => {
    assert.deepEqual(vpc({ assign_generated_ipv6_cidr_block: false }), ['10.9.0.0/16']);
    assert.deepEqual(vpc({}), ['10.9.0.0/16']);
  });

  it('asked for: an IPv6 block not known offline, marked IPv6', () => {
    for (const cidrs of [
      vpc({ assign_generated_ipv6_cidr_block: true }),
      vpc({ ipv6_ipam_pool_id: 'ipam-pool-0123' }),
      vpc({}, { ipv6_cidr_block: { references: ['var.v6'] } }),
    ]) {
      assert.equal(cidrs.length, 2);
      const u = cidrs[1];
      assert.ok(isUnresolved(u) && u.family === 6, JSON.stringify(cidrs));
    }
  });
});
