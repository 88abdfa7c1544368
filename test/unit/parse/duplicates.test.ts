// Issue 17 item 5: two exports that disagree about the same id. The warning names both files and
// both values; the model follows a rule (what routing reads is Unknown, the rest the value sorting
// first) and never the order or names of the files. Identical duplicates stay silent.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved, type NetworkElement } from '../../../src/model/types';
import { byId } from './helpers';

const SUBNET = 'subnet-0a1b2c3d4e5f60718';
const subnet = (cidr: string, name: string) =>
  JSON.stringify({
    Subnets: [
      {
        SubnetId: SUBNET,
        VpcId: 'vpc-0a1b2c3d4e5f60718',
        CidrBlock: cidr,
        AvailabilityZone: 'eu-west-1a',
        Tags: [{ Key: 'Name', Value: name }],
      },
    ],
  });
const routes = (target: Record<string, string>, extra: object[] = []) =>
  JSON.stringify({
    RouteTables: [
      {
        RouteTableId: 'rtb-0a1b2c3d4e5f60718',
        VpcId: 'vpc-0a1b2c3d4e5f60718',
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
          { DestinationCidrBlock: '0.0.0.0/0', ...target, State: 'active' },
          ...extra,
        ],
        Associations: [{ Main: false, SubnetId: SUBNET, RouteTableAssociationId: 'rtbassoc-1' }],
      },
    ],
  });
const VPC = JSON.stringify({ Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.0.0.0/16' }] });

async function build(files: Record<string, string>) {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build();
}

/**
 * An element without its locations, each file named by its content's role: what a file's name or
 * order must not change.
 */
function semantic(e: NetworkElement, roles: Record<string, string>): unknown {
  const named = (v: string) => Object.entries(roles).reduce((t, [file, role]) => t.split(file).join(role), v);
  return JSON.parse(
    JSON.stringify(e, (k, v: unknown) =>
      k === 'loc' || k === 'extent' || k === 'attrs' ? undefined : typeof v === 'string' ? named(v) : v,
    ),
  );
}

describe('parse: conflicting duplicate exports (issue 17 item 5)', () => {
  it('names both files and values; the routing field is Unknown whichever file sorts first', async () => {
    const results = [];
    for (const [fa, fb] of [
      ['a/describe-subnets.json', 'b/describe-subnets.json'],
      ['b/describe-subnets.json', 'a/describe-subnets.json'],
    ]) {
      const b = await build({ [fa]: subnet('10.0.1.0/24', 'app-old'), [fb]: subnet('10.0.2.0/24', 'app-new') });
      const d = b.diagnostics.filter((x) => x.code === 'duplicate-conflict');
      assert.equal(d.length, 1, JSON.stringify(b.diagnostics));
      assert.equal(d[0].severity, 'warning');
      // Both files, both values, each value with its file.
      const m = d[0].message;
      assert.ok(m.includes('"10.0.1.0/24" in ' + fa) && m.includes('"10.0.2.0/24" in ' + fb), m);
      assert.ok(m.includes('"app-old" in ' + fa) && m.includes('"app-new" in ' + fb), m);
      const s = byId(b.model.elements, SUBNET);
      assert.ok(s.kind === 'subnet' && isUnresolved(s.cidr) && /exports disagree/.test(s.cidr.reason), JSON.stringify(s));
      results.push(semantic(s, { [fa]: 'OLD', [fb]: 'NEW' }));
    }
    // The same element whichever file name sorts first; the name is the one sorting first.
    assert.deepEqual(results[0], results[1]);
    assert.equal((results[0] as { name: string }).name, 'app-new');
  });

  it('two route tables that disagree on the default route: both routes may exist, so egress is Unknown, not either file', async () => {
    const states: string[] = [];
    const models: unknown[] = [];
    for (const [fa, fb] of [
      ['x/describe-route-tables.json', 'y/describe-route-tables.json'],
      ['y/describe-route-tables.json', 'x/describe-route-tables.json'],
    ]) {
      const b = await build({
        'describe-vpcs.json': VPC,
        'describe-subnets.json': subnet('10.0.1.0/24', 'app'),
        [fa]: routes({ NatGatewayId: 'nat-0aaaaaaaaaaaaaaaa' }),
        [fb]: routes({ GatewayId: 'igw-0bbbbbbbbbbbbbbbb' }, [
          { DestinationCidrBlock: '192.168.0.0/16', GatewayId: 'igw-0bbbbbbbbbbbbbbbb', State: 'blackhole' },
        ]),
      });
      const d = b.diagnostics.find((x) => x.code === 'duplicate-conflict');
      assert.ok(d, JSON.stringify(b.diagnostics));
      // Each route with its file (the files are named in their sort order).
      for (const part of [
        'route 0.0.0.0/0 -> ',
        `natgw nat-0aaaaaaaaaaaaaaaa in ${fa}`,
        `igw igw-0bbbbbbbbbbbbbbbb in ${fb}`,
        'route 192.168.0.0/16 -> ',
        `nothing in ${fa}`,
        `igw igw-0bbbbbbbbbbbbbbbb (blackhole) in ${fb}`,
      ])
        assert.ok(d.message.includes(part), `${part} in ${d.message}`);
      const rt = byId(b.model.elements, 'rtb-0a1b2c3d4e5f60718');
      assert.ok(rt.kind === 'routeTable');
      // The local route both hold stays decided; each default route may or may not exist.
      assert.deepEqual(
        rt.routes.map((r) => [r.id, r.undecided !== undefined]),
        [
          ['rtb-0a1b2c3d4e5f60718#0', true],
          ['rtb-0a1b2c3d4e5f60718#1', true],
          ['rtb-0a1b2c3d4e5f60718#2', false],
          ['rtb-0a1b2c3d4e5f60718#3', true],
        ],
      );
      models.push(semantic(rt, { [fa]: 'NAT', [fb]: 'IGW' }));
      const result = analyze(b.model, {}, b.diagnostics);
      states.push(result.egress.find((g) => g.subnet === SUBNET)!.forward.outcome.kind);
    }
    assert.deepEqual(models[0], models[1]);
    assert.deepEqual(states, ['unknown', 'unknown']);
  });

  it('identical exports of one object combine without a word, whatever their route order', async () => {
    const a = routes({ NatGatewayId: 'nat-0aaaaaaaaaaaaaaaa' });
    const reordered = JSON.parse(a) as { RouteTables: { Routes: unknown[] }[] };
    reordered.RouteTables[0].Routes.reverse();
    const b = await build({
      'a/describe-subnets.json': subnet('10.0.1.0/24', 'app'),
      'b/describe-subnets.json': subnet('10.0.1.0/24', 'app'),
      'a/describe-route-tables.json': a,
      'b/describe-route-tables.json': JSON.stringify(reordered),
    });
    assert.deepEqual(
      b.diagnostics.filter((x) => /duplicate/.test(x.code)),
      [],
    );
    const s = byId(b.model.elements, SUBNET);
    assert.ok(s.kind === 'subnet' && s.cidr === '10.0.1.0/24');
    const rt = byId(b.model.elements, 'rtb-0a1b2c3d4e5f60718');
    assert.ok(rt.kind === 'routeTable' && rt.routes.length === 2 && rt.routes.every((r) => !r.undecided));
  });
});
