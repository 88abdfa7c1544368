import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { NetworkElement, Route } from '../../../src/model/types';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { findSourceForIp, HOP_LIMIT, traceAllEgress, traceEgress } from '../../../src/analysis/trace';
import type { PathTrace } from '../../../src/analysis/types';
import { distributedEgress } from '../../fixtures/analysis/distributedEgress';
import { aviatrix, azure, tgwEgress } from '../../fixtures/analysis/models';

/** [stage, kind, element, az] per hop: the shape the golden sequences pin. */
function shape(t: PathTrace): [number | undefined, string, string, string | undefined][] {
  return t.hops.map((h) => [h.stage, h.kind, h.element, h.az]);
}

describe('trace: distributed egress (hand-built model)', () => {
  const index = new ModelIndex(distributedEgress());

  it('AZ a forward: steps 1..5, SNAT to the NAT private IP, IGW 1:1 to the EIP, inspected by the AZ a firewall', () => {
    const eg = traceEgress(index, 'app_a');
    const f = eg.forward;
    assert.deepEqual(f.outcome, { kind: 'delivered' });
    const A = 'us-east-1a';
    assert.deepEqual(shape(f), [
      [1, 'subnet', 'app_a', A],
      [2, 'natgw', 'natgw_a', A],
      [3, 'gwlbe', 'gwlbe_a', A],
      [4, 'gwlb', 'gwlb', A],
      [4, 'gwlbFirewall', 'tg', A],
      [5, 'gwlbe', 'gwlbe_a', A],
      [5, 'igw', 'igw', undefined],
      [undefined, 'internet', 'internet', undefined],
    ]);
    assert.equal(f.source.ip, '10.0.1.15');
    assert.deepEqual(f.hops[1].translation, { kind: 'snat', from: '10.0.1.15', to: '10.0.10.10', by: 'natgw_a' });
    assert.deepEqual(f.hops[6].translation, { kind: 'nat11', from: '10.0.10.10', to: '203.0.113.10', by: 'igw' });
    assert.deepEqual(f.hops[0].decision, {
      routeTable: 'rt_app_a',
      route: 'rt_app_a#0',
      destination: '0.0.0.0/0',
      target: 'natgw-a',
      loc: f.hops[0].decision!.loc,
      association: 'explicit',
    });
    assert.equal(f.hops[1].decision!.route, 'rt_nat_a#0');
    assert.equal(f.hops[5].decision!.route, 'rt_gwlbe#0');
    assert.deepEqual(f.inspectedBy, [{ kind: 'gwlb-firewall', element: 'tg', az: A }]);
    assert.match(f.hops[1].note, /NAT GW natgw-a translates 10\.0\.1\.15 -> 10\.0\.10\.10; route 0\.0\.0\.0\/0 -> gwlbe-a in rt_nat_a/);
    assert.match(f.hops[4].note, /fortigate-0/);
  });

  it('AZ a return (step 6): IGW un-NAT, edge route table to the same GWLBe, firewall, local to NAT GW, un-SNAT, local to the app subnet', () => {
    const r = traceEgress(index, 'app_a').return!;
    const A = 'us-east-1a';
    assert.deepEqual(r.outcome, { kind: 'delivered' });
    assert.deepEqual(shape(r), [
      [6, 'internet', 'internet', undefined],
      [6, 'igw', 'igw', undefined],
      [6, 'gwlbe', 'gwlbe_a', A],
      [6, 'gwlb', 'gwlb', A],
      [6, 'gwlbFirewall', 'tg', A],
      [6, 'gwlbe', 'gwlbe_a', A],
      [6, 'natgw', 'natgw_a', A],
      [6, 'subnet', 'app_a', A],
    ]);
    assert.deepEqual(r.hops[1].translation, { kind: 'unnat11', from: '203.0.113.10', to: '10.0.10.10', by: 'igw' });
    assert.equal(r.hops[1].decision!.association, 'edge');
    assert.equal(r.hops[1].decision!.route, 'rt_edge#0');
    assert.equal(r.hops[5].decision!.target, 'local');
    assert.equal(r.hops[5].decision!.route, undefined, 'synthesised local routes carry no route id');
    assert.deepEqual(r.hops[6].translation, { kind: 'unsnat', from: '10.0.10.10', to: '10.0.1.15', by: 'natgw_a' });
    assert.equal(r.hops[7].dstIp, '10.0.1.15');
    assert.deepEqual(r.inspectedBy, [{ kind: 'gwlb-firewall', element: 'tg', az: A }]);
  });

  it('AZ b: same shape in us-east-1b, NAT private IP assumed from its subnet, EIP named when not known', () => {
    const eg = traceEgress(index, 'app_b');
    const B = 'us-east-1b';
    assert.deepEqual(
      shape(eg.forward).map((h) => h.slice(1, 3)),
      [
        ['subnet', 'app_b'],
        ['natgw', 'natgw_b'],
        ['gwlbe', 'gwlbe_b'],
        ['gwlb', 'gwlb'],
        ['gwlbFirewall', 'tg'],
        ['gwlbe', 'gwlbe_b'],
        ['igw', 'igw'],
        ['internet', 'internet'],
      ],
    );
    assert.ok(eg.forward.hops.slice(0, 6).every((h) => h.az === B));
    assert.equal(eg.forward.hops[1].translation!.to, '10.0.11.10');
    assert.match(eg.forward.hops[1].note, /assumed/);
    assert.equal(eg.forward.hops[6].translation!.to, 'EIP of natgw-b');
    assert.match(eg.forward.hops[4].note, /fortigate-1/);
    assert.deepEqual(
      shape(eg.return!).map((h) => h[2]),
      ['internet', 'igw', 'gwlbe_b', 'gwlb', 'tg', 'gwlbe_b', 'natgw_b', 'app_b'],
    );
    assert.equal(eg.return!.hops[1].decision!.route, 'rt_edge#1');
    assert.equal(eg.divergence, undefined);
  });

  it('survey skips infrastructure subnets (NAT, endpoint, firewall) and traces the app subnets', () => {
    assert.deepEqual(
      traceAllEgress(index).map((e) => e.subnet),
      ['app_a', 'app_b'],
    );
  });

  it('no IGW edge route table: the reply is delivered by local straight to the NAT GW (divergence at the IGW)', () => {
    const eg = traceEgress(new ModelIndex(distributedEgress({ noEdgeTable: true })), 'app_a');
    assert.deepEqual(
      eg.return!.hops.map((h) => h.kind),
      ['internet', 'igw', 'natgw', 'subnet'],
    );
    assert.deepEqual(eg.return!.inspectedBy, []);
    assert.equal(eg.return!.hops[1].decision!.association, 'implicit');
    assert.equal(eg.divergence!.returnHop, 1);
    assert.match(eg.divergence!.reason, /no enforcement point/);
  });

  it('edge route to the other AZ endpoint: divergence names both endpoints', () => {
    const eg = traceEgress(new ModelIndex(distributedEgress({ edgeCrossAz: true })), 'app_b');
    assert.deepEqual(
      eg.return!.hops.filter((h) => h.kind === 'gwlbe').map((h) => h.element),
      ['gwlbe_a', 'gwlbe_a'],
    );
    assert.equal(eg.divergence!.returnHop, 2);
    assert.match(eg.divergence!.reason, /gwlbe-a \(us-east-1a\).*gwlbe-b \(us-east-1b\)/);
  });

  it('blackhole route drops with the route id; a target absent from the inputs and an unresolved one are unknown', () => {
    const bh = traceEgress(new ModelIndex(distributedEgress({ natABlackhole: true })), 'app_a').forward;
    assert.deepEqual(bh.outcome, {
      kind: 'dropped',
      cause: 'blackhole',
      reason: 'blackhole route 0.0.0.0/0 in rt_nat_a',
      at: 'rt_nat_a#0',
    });
    const m = distributedEgress();
    const t = m.elements.find((e) => e.id === 'rt_app_a') as { routes: Route[] };
    t.routes[0].target = { kind: 'natgw', ref: 'nat-0deleted' };
    const miss = traceEgress(new ModelIndex(m), 'app_a').forward;
    assert.deepEqual(miss.outcome, {
      kind: 'unknown',
      cause: 'missing-input',
      reason:
        'route target NAT gateway nat-0deleted is not in the inputs: where it leads is not known (add its describe-nat-gateways output, or the configuration that creates it)',
      at: 'rt_app_a#0',
    });
    t.routes[0].target = { kind: 'natgw', ref: { unresolved: true, text: 'module.nat.id', reason: 'remote module' } };
    const unk = traceEgress(new ModelIndex(m), 'app_a').forward;
    assert.equal(unk.outcome.kind, 'unknown');
    assert.deepEqual(unk.outcome, {
      kind: 'unknown',
      cause: 'unresolved-input',
      reason: 'route target module.nat.id is not resolvable offline (remote module)',
      at: 'rt_app_a#0',
    });
    assert.equal(traceEgress(new ModelIndex(m), 'app_a').return, undefined);
  });

  it('a drop for no route names the table that has none on its hop (F233)', () => {
    const m = distributedEgress();
    (m.elements.find((e) => e.id === 'rt_app_a') as { routes: Route[] }).routes = [];
    const f = traceEgress(new ModelIndex(m), 'app_a').forward;
    assert.equal(f.outcome.kind === 'dropped' && f.outcome.cause, 'no-route');
    assert.equal(f.hops.length, 1);
    // The table is named, no route (there is none), so a surface keeps the deciding table in view.
    assert.deepEqual(f.hops[0].decision, { routeTable: 'rt_app_a', destination: '8.8.8.8', target: 'none', association: 'explicit' });
    // A drop at a blackhole route keeps its decision on the route as before; a delivered path's last hop has none.
    const ok = traceEgress(new ModelIndex(distributedEgress()), 'app_a').forward;
    assert.equal(ok.hops[ok.hops.length - 1].decision, undefined);
  });

  it('a route back to the NAT GW from the endpoint subnet is a loop', () => {
    const f = traceEgress(new ModelIndex(distributedEgress({ loop: true })), 'app_a').forward;
    assert.deepEqual(f.outcome, { kind: 'loop', at: 'natgw_a' });
    assert.ok(f.hops.length < HOP_LIMIT);
  });

  it('a GWLB behind a managed endpoint service outside the inputs is assumed to inspect and hairpin', () => {
    const eg = traceEgress(new ModelIndex(distributedEgress({ managedGwlb: true })), 'app_a');
    assert.deepEqual(
      eg.forward.hops.map((h) => h.kind),
      ['subnet', 'natgw', 'gwlbe', 'gwlbFirewall', 'gwlbe', 'igw', 'internet'],
    );
    assert.deepEqual(eg.forward.inspectedBy, [{ kind: 'gwlb-firewall', element: 'gwlbe_a', az: 'us-east-1a' }]);
    assert.match(eg.forward.hops[3].note, /outside the inputs/);
  });

  it('GWLB without a target in the endpoint AZ and cross-zone off says so', () => {
    const m = distributedEgress();
    (m.elements.find((e) => e.id === 'tg') as { targets: string[] }).targets = ['fw0'];
    const f = traceEgress(new ModelIndex(m), 'app_b').forward;
    const fw = f.hops.find((h) => h.kind === 'gwlbFirewall')!;
    assert.match(fw.note, /no target in us-east-1b and cross-zone load balancing is off/);
  });

  it('a given source IP and destination are used; findSourceForIp finds the most specific subnet, else the VPC', () => {
    const eg = traceEgress(index, 'app_a', { sourceIp: '10.0.1.99', destination: '1.1.1.1' });
    assert.equal(eg.forward.source.ip, '10.0.1.99');
    assert.equal(eg.forward.destination.ip, '1.1.1.1');
    assert.equal(eg.return!.hops.at(-1)!.dstIp, '10.0.1.99');
    const dom = traceEgress(index, 'app_a', { destination: 'ipinfo.io' });
    assert.deepEqual(dom.forward.destination, { ip: '8.8.8.8', domain: 'ipinfo.io' });
    assert.equal(findSourceForIp(index, '10.0.10.77'), 'nat_a');
    assert.equal(findSourceForIp(index, '10.0.99.1'), 'vpc');
    assert.equal(findSourceForIp(index, '192.0.2.1'), undefined);
  });
});

describe('trace: Aviatrix, Azure, transit gateway', () => {
  it('Aviatrix spoke with SNAT: implicit controller route, DCF enforcement, return through the spoke', () => {
    const index = new ModelIndex(aviatrix());
    const all = traceAllEgress(index);
    assert.deepEqual(
      all.map((e) => e.subnet),
      ['dark', 'legacy', 'prod'],
    );
    const prod = all.find((e) => e.subnet === 'prod')!;
    assert.deepEqual(
      prod.forward.hops.map((h) => [h.kind, h.element]),
      [
        ['vpc', 'prod'],
        ['aviatrixGateway', 'gw_prod'],
        ['internet', 'internet'],
      ],
    );
    assert.equal(prod.forward.hops[0].decision!.association, 'implicit');
    assert.match(prod.forward.hops[0].note, /controller manages/);
    assert.deepEqual(prod.forward.inspectedBy, [{ kind: 'aviatrix-dcf', element: 'gw_prod' }]);
    assert.deepEqual(prod.return!.inspectedBy, [{ kind: 'aviatrix-dcf', element: 'gw_prod' }]);
    assert.equal(prod.return!.outcome.kind, 'delivered');
    const legacy = all.find((e) => e.subnet === 'legacy')!;
    assert.deepEqual(legacy.forward.inspectedBy, [{ kind: 'transit-egress', element: 'transit' }]);
    // Neither its spoke nor the transit takes internet traffic, but a VPC the controller made has other ways out
    // the inputs do not show (public subnets with an IGW route): Unknown, not dropped.
    const dark = all.find((e) => e.subnet === 'dark')!;
    assert.equal(dark.forward.outcome.kind, 'unknown');
    assert.equal(dark.forward.outcome.kind === 'unknown' && dark.forward.outcome.cause, 'unsupported-target');
    assert.match(
      dark.forward.outcome.kind === 'unknown' ? dark.forward.outcome.reason : '',
      /nor transit .* \(no egress capability\).*internet gateway route of the public subnets/,
    );
    assert.equal(dark.return, undefined);
  });

  it('Aviatrix with a modelled route table pointing at the spoke gateway follows it explicitly', () => {
    const eg = traceEgress(new ModelIndex(aviatrix({ withRouteTable: true })), 'prod_app');
    assert.equal(eg.forward.hops[0].decision!.route, 'prod_rt#0');
    assert.equal(eg.forward.hops[1].element, 'gw_prod');
    assert.equal(eg.return!.hops.at(-1)!.element, 'prod_app');
  });

  it('Azure: VirtualAppliance by IP (azure-nva), system route to Internet, None drops', () => {
    const index = new ModelIndex(azure());
    const app = traceEgress(index, 'app');
    assert.deepEqual(
      app.forward.hops.map((h) => h.element),
      ['app', 'nva', 'internet'],
    );
    assert.deepEqual(app.forward.inspectedBy, [{ kind: 'azure-nva', element: 'nva', evidence: 'paloalto' }]);
    assert.equal(app.forward.hops[1].decision!.target, 'Internet');
    assert.deepEqual(
      app.return!.hops.map((h) => h.element),
      ['internet', 'nva', 'app'],
    );
    const direct = traceEgress(index, 'direct');
    assert.deepEqual(
      direct.forward.hops.map((h) => h.kind),
      ['subnet', 'internet'],
    );
    assert.deepEqual(direct.forward.inspectedBy, []);
    const blocked = traceEgress(index, 'blocked');
    assert.equal(blocked.forward.outcome.kind, 'dropped');
    assert.equal(traceEgress(new ModelIndex(azure({ nvaLoop: true })), 'app').forward.outcome.kind, 'loop');
  });

  it('TGW: spoke -> TGW route table of the association -> egress attachment -> GWLBe -> NAT -> IGW, and back', () => {
    const eg = traceEgress(new ModelIndex(tgwEgress()), 'spoke_app');
    assert.deepEqual(
      eg.forward.hops.map((h) => h.element),
      ['spoke_app', 'tgw', 'att_egress', 'ep', 'ep#service', 'ep', 'nat', 'igw', 'internet'],
    );
    assert.deepEqual(eg.forward.hops[1].decision, {
      routeTable: 'tgw_rt_spokes',
      route: 'tgw_rt_spokes#0',
      destination: '0.0.0.0/0',
      target: 'att-egress',
      loc: eg.forward.hops[1].decision!.loc,
      association: 'tgw',
    });
    assert.match(eg.forward.hops[2].note, /appliance mode off/);
    // Out-of-order stages are dropped on shapes other than the distributed egress design.
    assert.deepEqual(
      eg.forward.hops.map((h) => h.stage).filter((s) => s !== undefined),
      [1],
    );
    assert.deepEqual(
      eg.return!.hops.map((h) => h.element),
      ['internet', 'igw', 'nat', 'ep', 'ep#service', 'ep', 'tgw', 'att_spoke', 'spoke_app'],
    );
    assert.equal(eg.return!.outcome.kind, 'delivered');
    const bh = traceEgress(new ModelIndex(tgwEgress({ tgwBlackhole: true })), 'spoke_app');
    assert.deepEqual(bh.forward.outcome, {
      kind: 'dropped',
      cause: 'blackhole',
      reason: 'route 0.0.0.0/0 in TGW route table spokes drops it (a blackhole route, written to drop traffic)',
      at: 'tgw_rt_spokes#0',
    });
  });

  it('public subnet through a GWLB endpoint (IGW 1:1 to the instance public IP) and IPv6 through an egress-only IGW', () => {
    const L = { file: 'a.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const b = { loc: L, cloud: 'aws' as const };
    const rt = (id: string, routes: [string, Route['target']][]): NetworkElement => ({
      ...b,
      id,
      kind: 'routeTable',
      name: id,
      vpc: 'vpc',
      routes: routes.map(([cidr, target], i) => ({ id: `${id}#${i}`, loc: L, destination: { cidr }, target, state: 'active' as const })),
    });
    const els: NetworkElement[] = [
      { ...b, id: 'vpc', kind: 'vpc', name: 'vpc', cidrs: ['10.0.0.0/16', '2600:1f18:1::/56'], flavor: 'vpc' },
      { ...b, id: 'eigw', kind: 'eigw', name: 'eigw', vpc: 'vpc' },
      { ...b, id: 'igw', kind: 'igw', name: 'igw', vpc: 'vpc' },
      { ...b, id: 's', kind: 'subnet', name: 's', vpc: 'vpc', cidr: '10.0.1.0/24', ipv6Cidr: '2600:1f18:1:1::/64', az: 'a' },
      { ...b, id: 'ep_sn', kind: 'subnet', name: 'ep_sn', vpc: 'vpc', cidr: '10.0.2.0/24', az: 'a' },
      { ...b, id: 'ep', kind: 'gwlbe', name: 'ep', vpc: 'vpc', subnet: 'ep_sn' },
      rt('rt', [
        ['::/0', { kind: 'eigw', ref: 'eigw' }],
        ['0.0.0.0/0', { kind: 'gwlbe', ref: 'ep' }],
      ]),
      { ...b, id: 'a', kind: 'rtAssociation', name: 'a', routeTable: 'rt', subnet: 's' },
      rt('rte', [['0.0.0.0/0', { kind: 'igw', ref: 'igw' }]]),
      { ...b, id: 'ae', kind: 'rtAssociation', name: 'ae', routeTable: 'rte', subnet: 'ep_sn' },
      rt('redge', [['10.0.1.0/24', { kind: 'gwlbe', ref: 'ep' }]]),
      { ...b, id: 'aedge', kind: 'rtAssociation', name: 'aedge', routeTable: 'redge', gateway: 'igw' },
    ];
    const index = new ModelIndex({ elements: els });
    const v4 = traceEgress(index, 's');
    assert.deepEqual(
      v4.forward.hops.map((h) => h.element),
      ['s', 'ep', 'ep#service', 'ep', 'igw', 'internet'],
    );
    assert.deepEqual(v4.forward.hops[4].translation, { kind: 'nat11', from: '10.0.1.10', to: 'public IP of 10.0.1.10', by: 'igw' });
    assert.deepEqual(
      v4.return!.hops.map((h) => h.element),
      ['internet', 'igw', 'ep', 'ep#service', 'ep', 's'],
    );
    assert.equal(v4.return!.hops[1].decision!.route, 'redge#0');
    const v6 = traceEgress(index, 's', { sourceIp: '2600:1f18:1:1::10', destination: '2001:4860:4860::8888' });
    assert.deepEqual(
      v6.forward.hops.map((h) => h.element),
      ['s', 'eigw', 'internet'],
    );
    assert.equal(v6.forward.hops[1].translation, undefined, 'IPv6 is not translated');
    assert.deepEqual(
      v6.return!.hops.map((h) => h.element),
      ['internet', 'eigw', 's'],
    );
    assert.equal(v6.return!.outcome.kind, 'delivered');
  });

  it('results are plain JSON', () => {
    const eg = traceAllEgress(new ModelIndex(distributedEgress()));
    assert.deepEqual(JSON.parse(JSON.stringify(eg)), eg);
  });
});

describe('trace: property', () => {
  it('property: traces always end within the hop limit on random models with loops and dead ends', () => {
    const subnets = ['s0', 's1', 's2', 's3'];
    const targets = fc.oneof(
      fc.constantFrom<Route['target']>(
        { kind: 'igw', ref: 'igw' },
        { kind: 'natgw', ref: 'n0' },
        { kind: 'natgw', ref: 'n1' },
        { kind: 'gwlbe', ref: 'e0' },
        { kind: 'gwlbe', ref: 'e1' },
        { kind: 'local' },
        { kind: 'natgw', ref: 'gone' },
        { kind: 'tgw', ref: 'tgw' },
        { kind: 'eni', ref: 'i0' },
      ),
    );
    const route = fc.tuple(
      fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '8.0.0.0/7', '10.0.3.5/32'),
      targets,
      fc.boolean(),
    );
    const tables = fc.array(fc.array(route, { maxLength: 4 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(tables, fc.boolean(), (ts, edge) => {
        const L = { file: 'p.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
        const b = { loc: L, cloud: 'aws' as const };
        const el: NetworkElement[] = [
          { ...b, id: 'vpc', kind: 'vpc', name: 'vpc', cidrs: ['10.0.0.0/16'], flavor: 'vpc' },
          { ...b, id: 'igw', kind: 'igw', name: 'igw', vpc: 'vpc' },
          { ...b, id: 'tgw', kind: 'tgw', name: 'tgw' },
          {
            ...b,
            id: 'att',
            kind: 'tgwAttachment',
            name: 'att',
            tgw: 'tgw',
            vpc: 'vpc',
            subnets: ['s3'],
            applianceMode: false,
            routeTable: 'trt',
          },
          {
            ...b,
            id: 'trt',
            kind: 'tgwRouteTable',
            name: 'trt',
            tgw: 'tgw',
            associations: ['att'],
            propagations: [],
            routes: [{ id: 'trt#0', loc: L, destination: '0.0.0.0/0', attachment: 'att', blackhole: false }],
          },
          ...subnets.map((s, i): NetworkElement => ({
            ...b,
            id: s,
            kind: 'subnet',
            name: s,
            vpc: 'vpc',
            cidr: `10.0.${i}.0/24`,
            az: i % 2 ? 'b' : 'a',
          })),
          { ...b, id: 'n0', kind: 'natgw', name: 'n0', subnet: 's1', connectivity: 'public' },
          { ...b, id: 'n1', kind: 'natgw', name: 'n1', subnet: 's2', connectivity: 'public' },
          { ...b, id: 'e0', kind: 'gwlbe', name: 'e0', vpc: 'vpc', subnet: 's2' },
          { ...b, id: 'e1', kind: 'gwlbe', name: 'e1', vpc: 'vpc', subnet: 's3' },
          { ...b, id: 'i0', kind: 'instance', name: 'i0', subnet: 's1', privateIp: '10.0.1.7' },
        ];
        ts.forEach((routes, i) => {
          el.push({
            ...b,
            id: `rt${i}`,
            kind: 'routeTable',
            name: `rt${i}`,
            vpc: 'vpc',
            routes: routes.map(([cidr, target, bh], j) => ({
              id: `rt${i}#${j}`,
              loc: L,
              destination: { cidr },
              target,
              state: bh && j === 0 ? 'blackhole' : 'active',
            })),
          });
          el.push({
            ...b,
            id: `a${i}`,
            kind: 'rtAssociation',
            name: `a${i}`,
            routeTable: `rt${i}`,
            ...(i === 3 && edge ? { gateway: 'igw' } : { subnet: subnets[i] }),
          });
        });
        const index = new ModelIndex({ elements: el });
        for (const s of subnets) {
          const eg = traceEgress(index, s);
          for (const t of [eg.forward, eg.return]) {
            if (!t) continue;
            if (t.hops.length > HOP_LIMIT) return false;
            if (!['delivered', 'dropped', 'loop', 'unknown'].includes(t.outcome.kind)) return false;
          }
        }
        return true;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS) || 1000 },
    );
  });
});

describe('trace: transit gateway route targets', () => {
  const L = { file: 't.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const b = { loc: L, cloud: 'aws' as const };
  function estate(target: string): NetworkElement[] {
    return [
      { ...b, id: 'vpc', kind: 'vpc', name: 'spoke', cidrs: ['10.1.0.0/16'], flavor: 'vpc' },
      { ...b, id: 's0', kind: 'subnet', name: 'app', vpc: 'vpc', cidr: '10.1.1.0/24', az: 'a' },
      {
        ...b,
        id: 'rt',
        kind: 'routeTable',
        name: 'rt',
        vpc: 'vpc',
        routes: [{ id: 'rt#0', loc: L, destination: { cidr: '0.0.0.0/0' }, target: { kind: 'tgw', ref: 'tgw' }, state: 'active' }],
      },
      { ...b, id: 'as', kind: 'rtAssociation', name: 'as', routeTable: 'rt', subnet: 's0' },
      { ...b, id: 'tgw', kind: 'tgw', name: 'tgw' },
      {
        ...b,
        id: 'att',
        kind: 'tgwAttachment',
        name: 'att',
        tgw: 'tgw',
        vpc: 'vpc',
        subnets: ['s0'],
        applianceMode: false,
        routeTable: 'trt',
      },
      { ...b, id: 'fw', kind: 'firewall', name: 'tgw-attached-firewall', vendor: 'AWS Network Firewall' },
      {
        ...b,
        id: 'trt',
        kind: 'tgwRouteTable',
        name: 'trt',
        tgw: 'tgw',
        associations: ['att'],
        propagations: [],
        routes: [{ id: 'trt#0', loc: L, destination: '0.0.0.0/0', attachment: target, blackhole: false }],
      },
    ];
  }

  it('a TGW route to something that exists but is not a VPC attachment is Unknown; one to an id absent from the inputs too', () => {
    const fw = traceEgress(new ModelIndex({ elements: estate('fw') }), 's0').forward;
    assert.equal(fw.outcome.kind, 'unknown');
    assert.equal((fw.outcome as { cause: string }).cause, 'unsupported-target');
    const gone = traceEgress(new ModelIndex({ elements: estate('tgw-attach-gone') }), 's0').forward;
    assert.equal(gone.outcome.kind, 'unknown');
    assert.equal((gone.outcome as { cause: string }).cause, 'missing-input');
    assert.match((gone.outcome as { reason: string }).reason, /TGW attachment tgw-attach-gone is not in the inputs/);
  });
});
