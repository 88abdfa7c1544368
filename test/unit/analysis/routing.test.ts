import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseCidr, parseIp, cidrContainsIp, formatIp } from '../../../src/model/cidr';
import type { NetworkElement, Route, RouteTable } from '../../../src/model/types';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { longestPrefixMatch, lookupRoute } from '../../../src/analysis/routing';

const L = { file: 'r.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

function r(id: string, dest: Route['destination'], target: Route['target'], state: Route['state'] = 'active'): Route {
  return { id, loc: L, destination: dest, target, state };
}

function model(
  routes: Route[],
  extra: NetworkElement[] = [],
  cidrs: (string | { unresolved: true; text: string; reason: string })[] = ['10.0.0.0/16', '2600:1f18:1::/56'],
): { index: ModelIndex; table: RouteTable } {
  const table: RouteTable = { id: 'rt', kind: 'routeTable', name: 'rt', loc: L, cloud: 'aws', vpc: 'vpc', routes };
  const elements: NetworkElement[] = [{ id: 'vpc', kind: 'vpc', name: 'vpc', loc: L, cloud: 'aws', cidrs, flavor: 'vpc' }, table, ...extra];
  return { index: new ModelIndex({ elements }), table };
}

describe('routing: longest prefix match', () => {
  it('adds a local route for every VPC CIDR (IPv4 and IPv6) even when the table does not write one', () => {
    const { index, table } = model([r('d', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'igw' })]);
    const a = lookupRoute(index, table, 'vpc', '10.0.5.9');
    assert.equal(a.kind, 'match');
    assert.equal(a.kind === 'match' && a.route.target.kind, 'local');
    assert.equal(a.kind === 'match' && a.destination, '10.0.0.0/16');
    const b = lookupRoute(index, table, 'vpc', '2600:1f18:1:0:1::5');
    assert.equal(b.kind === 'match' && b.route.target.kind, 'local');
    const c = lookupRoute(index, table, 'vpc', '8.8.8.8');
    assert.equal(c.kind === 'match' && c.route.id, 'd');
    // No IPv6 default route: an IPv6 internet address has no route.
    assert.equal(lookupRoute(index, table, 'vpc', '2001:4860:4860::8888').kind, 'none');
  });

  it('honours a route more specific than local (middlebox routing) and a written route replacing local', () => {
    const { index, table } = model([
      r('mid', { cidr: '10.0.1.0/24' }, { kind: 'gwlbe', ref: 'ep' }),
      r('repl', { cidr: '10.0.0.0/16' }, { kind: 'eni', ref: 'eni' }),
    ]);
    const a = lookupRoute(index, table, 'vpc', '10.0.1.20');
    assert.equal(a.kind === 'match' && a.route.id, 'mid');
    const b = lookupRoute(index, table, 'vpc', '10.0.2.20');
    assert.equal(b.kind === 'match' && b.route.id, 'repl');
  });

  it('resolves prefix lists by their entries and reports unknown for a list not in the inputs', () => {
    const pl: NetworkElement = {
      id: 'pl',
      kind: 'prefixList',
      name: 'corp',
      loc: L,
      cloud: 'aws',
      cidrs: ['192.168.0.0/16', '172.16.0.0/12'],
    };
    const { index, table } = model(
      [r('p', { prefixList: 'pl' }, { kind: 'tgw', ref: 'tgw' }), r('d', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'igw' })],
      [pl],
    );
    const a = lookupRoute(index, table, 'vpc', '172.20.1.1');
    assert.equal(a.kind === 'match' && a.route.id, 'p');
    assert.equal(a.kind === 'match' && a.destination, 'corp');
    assert.equal((lookupRoute(index, table, 'vpc', '8.8.8.8') as { route: Route }).route.id, 'd');
    const m2 = model([
      r('p', { prefixList: 'pl-0missing' }, { kind: 'tgw', ref: 'tgw' }),
      r('d', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'igw' }),
    ]);
    const u = lookupRoute(m2.index, m2.table, 'vpc', '8.8.8.8');
    assert.equal(u.kind, 'unknown');
    assert.match(u.kind === 'unknown' ? u.reason : '', /pl-0missing/);
  });

  it('an unresolved destination makes the lookup unknown unless a host route already wins', () => {
    const { index, table } = model([
      r('u', { cidr: { unresolved: true, text: 'var.onprem', reason: 'no default' } }, { kind: 'tgw', ref: 'tgw' }),
      r('h', { cidr: '8.8.8.8/32' }, { kind: 'igw', ref: 'igw' }),
    ]);
    assert.equal(lookupRoute(index, table, 'vpc', '1.1.1.1').kind, 'unknown');
    assert.equal((lookupRoute(index, table, 'vpc', '8.8.8.8') as { route: Route }).route.id, 'h');
  });

  it('a VPC CIDR not known offline makes the lookup unknown (its local route could match)', () => {
    const { index, table } = model(
      [r('d', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'igw' })],
      [],
      ['10.0.0.0/16', { unresolved: true, text: 'var.secondary', reason: 'no default' }],
    );
    const u = lookupRoute(index, table, 'vpc', '100.64.1.1');
    assert.equal(u.kind, 'unknown');
    assert.match(u.kind === 'unknown' ? u.reason : '', /var\.secondary/);
  });

  it('returns blackhole routes as matches (the tracer drops on them)', () => {
    const { index, table } = model([r('b', { cidr: '0.0.0.0/0' }, { kind: 'natgw', ref: 'gone' }, 'blackhole')]);
    const a = lookupRoute(index, table, 'vpc', '1.2.3.4');
    assert.equal(a.kind === 'match' && a.route.state, 'blackhole');
  });

  it('property: LPM equals a brute-force reference on random IPv4 tables', () => {
    const prefix = fc.integer({ min: 0, max: 32 });
    const addr = fc.integer({ min: 0, max: 0xffffffff });
    // Small address pool so random routes overlap and ties happen.
    const near = fc
      .tuple(fc.constantFrom(0x0a000000, 0x0a010000, 0xc0a80000, 0), fc.integer({ min: 0, max: 0x1ffff }))
      .map(([b, o]) => (b + o) >>> 0);
    const entry = fc.tuple(fc.oneof(addr, near), prefix, fc.boolean());
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), fc.oneof(addr, near), (raw, ipN) => {
        const entries = raw.map(([a, p, implicit], i) => {
          const cidr = parseCidr(`${formatIp(4, BigInt(a))}/${p}`)!;
          return { cidr, route: { id: String(i), implicit } };
        });
        const ip = formatIp(4, BigInt(ipN));
        const got = longestPrefixMatch(entries, ip);
        // Reference: filter containing entries by bit-string prefix comparison, take the max prefix,
        // among those prefer written (non-implicit), then the first.
        const bits = (n: bigint) => n.toString(2).padStart(32, '0');
        const ipBits = bits(parseIp(ip)!.value);
        const containing = entries.filter((e) => ipBits.slice(0, e.cidr.prefix) === bits(e.cidr.network).slice(0, e.cidr.prefix));
        if (containing.length === 0) return got === undefined;
        const maxP = Math.max(...containing.map((e) => e.cidr.prefix));
        const top = containing.filter((e) => e.cidr.prefix === maxP);
        const want = top.find((e) => !e.route.implicit) ?? top[0];
        return got === want && cidrContainsIp(got.cidr, parseIp(ip)!);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS) || 1000 },
    );
  });

  it('property: subnetContainingIp / vpcContainingIp equal a linear most-specific scan', () => {
    const block = fc.tuple(
      fc.constantFrom(0x0a000000, 0x0a010000, 0x0a000100),
      fc.integer({ min: 0, max: 0x3ff }),
      fc.integer({ min: 8, max: 30 }),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 0x7ff }), (blocks, off) => {
        const cidrs = blocks.map(([b, o, p]) => parseCidr(`${formatIp(4, BigInt((b + o * 4) >>> 0))}/${p}`)!);
        const els: NetworkElement[] = [{ id: 'v', kind: 'vpc', name: 'v', loc: L, cloud: 'aws', cidrs: ['10.0.0.0/8'], flavor: 'vpc' }];
        cidrs.forEach((c, i) => els.push({ id: `s${i}`, kind: 'subnet', name: `s${i}`, loc: L, cloud: 'aws', vpc: 'v', cidr: c.text }));
        const index = new ModelIndex({ elements: els });
        const ip = formatIp(4, BigInt(0x0a000000 + off * 3));
        const p = parseIp(ip)!;
        let want: string | undefined;
        let len = -1;
        cidrs.forEach((c, i) => {
          if (cidrContainsIp(c, p) && c.prefix > len) {
            want = `s${i}`;
            len = c.prefix;
          }
        });
        return (
          index.subnetContainingIp(ip)?.id === want && index.subnetContainingIp(ip, 'v')?.id === want && index.vpcContainingIp(ip) === 'v'
        );
      }),
      { numRuns: Number(process.env.FUZZ_RUNS) || 1000 },
    );
  });
});

describe('routing: routes whose existence is undecided (issue 13)', () => {
  const U = { unresolved: true as const, text: 'var.enable_nat ? 1 : 0', reason: 'variable "enable_nat" has no default' };
  it('an undecided route that would win makes the lookup unknown, naming it; a more specific decided route still wins', () => {
    const maybe: Route = { ...r('nat', { cidr: '0.0.0.0/0' }, { kind: 'natgw', ref: 'nat' }), undecided: U };
    const { index, table } = model([maybe, r('onprem', { cidr: '192.168.0.0/16' }, { kind: 'vgw', ref: 'vgw' })]);
    const a = lookupRoute(index, table, 'vpc', '8.8.8.8');
    assert.equal(a.kind, 'unknown');
    assert.match(
      a.kind === 'unknown' ? a.reason : '',
      /whether route nat \(r\.tf:1\) exists cannot be decided offline \(`var\.enable_nat \? 1 : 0`/,
    );
    const b = lookupRoute(index, table, 'vpc', '192.168.1.1');
    assert.equal(b.kind === 'match' && b.route.id, 'onprem');
    assert.equal(lookupRoute(index, table, 'vpc', '10.0.0.5').kind, 'match', 'local is more specific than the undecided default');
  });
  it('without the undecided flag the same route decides (the flag is what makes it unknown)', () => {
    const { index, table } = model([r('nat', { cidr: '0.0.0.0/0' }, { kind: 'natgw', ref: 'nat' })]);
    assert.equal(lookupRoute(index, table, 'vpc', '8.8.8.8').kind, 'match');
  });
});

describe('model index: associations the inputs cannot decide (issue 13)', () => {
  const U = (text: string) => ({ unresolved: true as const, text, reason: `${text} is read from the provider` });
  const els = (assoc: Partial<import('../../../src/model/types').RouteTableAssociation>): NetworkElement[] => [
    { id: 'vpc', kind: 'vpc', name: 'vpc', loc: L, cloud: 'aws', cidrs: ['10.0.0.0/16'], flavor: 'vpc' },
    { id: 'main', kind: 'routeTable', name: 'main', loc: L, cloud: 'aws', vpc: 'vpc', routes: [], main: true },
    { id: 'rt', kind: 'routeTable', name: 'rt', loc: L, cloud: 'aws', vpc: 'vpc', routes: [] },
    { id: 's1', kind: 'subnet', name: 's1', loc: L, cloud: 'aws', vpc: 'vpc', cidr: '10.0.1.0/24' },
    { id: 's2', kind: 'subnet', name: 's2', loc: L, cloud: 'aws', vpc: 'vpc', cidr: '10.0.2.0/24' },
    { id: 'igw', kind: 'igw', name: 'igw', loc: L, cloud: 'aws', vpc: 'vpc' },
    { id: 'a', kind: 'rtAssociation', name: 'a', loc: L, cloud: 'aws', routeTable: 'rt', ...assoc },
  ];
  it('an unresolved table keeps its subnet off the main table; other subnets keep the main table', () => {
    const index = new ModelIndex({ elements: els({ subnet: 's1', routeTable: U('data.aws_route_table.x.id') }) });
    assert.equal(index.routeTableOfSubnet('s1'), undefined);
    assert.match(
      index.undecidedTableOf('s1') ?? '',
      /route table association a \(r\.tf:1\): its route table `data\.aws_route_table\.x\.id`/,
    );
    assert.equal(index.routeTableOfSubnet('s2')?.table.id, 'main');
  });
  it("an unresolved subnet may name any subnet of its table's VPC that has no decided association", () => {
    const index = new ModelIndex({ elements: els({ subnet: U('data.aws_subnet.x.id') }) });
    assert.equal(index.routeTableOfSubnet('s1'), undefined);
    assert.equal(index.routeTableOfSubnet('s2'), undefined);
    assert.match(index.undecidedTableOf('s2') ?? '', /its subnet `data\.aws_subnet\.x\.id`/);
    assert.equal(index.undecidedTableOf('igw', 'g'), undefined, 'a subnet association says nothing of the IGW edge');
  });
  it('an unresolved gateway makes the IGW edge table undecided; a decided association decides', () => {
    assert.match(
      new ModelIndex({ elements: els({ gateway: U('data.aws_internet_gateway.x.id') }) }).undecidedTableOf('igw', 'g') ?? '',
      /its gateway/,
    );
    const decided = new ModelIndex({ elements: els({ gateway: 'igw' }) });
    assert.equal(decided.edgeRouteTable('igw')?.table.id, 'rt');
    assert.equal(decided.undecidedTableOf('igw', 'g'), undefined);
    const literal = new ModelIndex({ elements: els({ subnet: 'subnet-0notours' }) });
    assert.equal(literal.routeTableOfSubnet('s1')?.table.id, 'main', 'a literal id outside the inputs is another subnet');
  });
});

describe('routing: Azure UDRs to a service tag', () => {
  function azure(routes: Route[]): { index: ModelIndex; table: RouteTable } {
    const table: RouteTable = { id: 'rt', kind: 'routeTable', name: 'rt-training', loc: L, cloud: 'azure', vpc: 'vnet', routes };
    const elements: NetworkElement[] = [
      { id: 'vnet', kind: 'vpc', name: 'vnet', loc: L, cloud: 'azure', cidrs: ['10.1.0.0/16'], flavor: 'vnet' },
      table,
    ];
    return { index: new ModelIndex({ elements }), table };
  }
  const toFirewall = r('default', { cidr: '0.0.0.0/0' }, { kind: 'virtualAppliance', ip: '10.0.1.4' });
  const tagToInternet = r('ml', { cidr: 'AzureMachineLearning' }, { kind: 'internet' });

  it('a tag route to another next hop than the rest of the table decides makes the lookup unknown, saying which tag, address and fallback', () => {
    const { index, table } = azure([toFirewall, tagToInternet]);
    const u = lookupRoute(index, table, 'vnet', '8.8.8.8');
    assert.equal(u.kind, 'unknown');
    assert.equal(u.kind === 'unknown' && u.route?.id, 'ml');
    assert.equal(
      u.kind === 'unknown' && u.reason,
      "route table rt-training: route ml sends service tag AzureMachineLearning to Internet; the tag's prefixes are Azure's and not in the inputs, so whether 8.8.8.8 is one of them cannot be decided offline (if not, 0.0.0.0/0 -> VirtualAppliance 10.0.1.4 decides)",
    );
  });

  it('a tag route to the same next hop decides: the written route, or the system route when nothing else matches', () => {
    const sameFirewall = r('kv', { cidr: 'AzureKeyVault.WestEurope' }, { kind: 'virtualAppliance', ip: '10.0.1.4' });
    const both = azure([toFirewall, sameFirewall]);
    const m = lookupRoute(both.index, both.table, 'vnet', '8.8.8.8');
    assert.equal(m.kind === 'match' && m.route.id, 'default');
    assert.deepEqual(m.kind === 'match' && m.sameAsTags?.map((t) => t.id), ['kv']);
    // Only the tag to Internet: Azure's system route 0.0.0.0/0 -> Internet answers the same.
    const { index, table } = azure([tagToInternet]);
    const n = lookupRoute(index, table, 'vnet', '8.8.8.8');
    assert.equal(n.kind, 'none');
    assert.deepEqual(n.kind === 'none' && n.sameAsTags?.map((t) => t.id), ['ml']);
    // A tag to a firewall beside no other route: the system route would go to Internet instead.
    const alone = azure([sameFirewall]);
    assert.equal(lookupRoute(alone.index, alone.table, 'vnet', '8.8.8.8').kind, 'unknown');
  });

  it('a host route for the address wins whatever the tag covers (an exact tie goes to the explicit prefix)', () => {
    const host = r('host', { cidr: '8.8.8.8/32' }, { kind: 'internet' });
    const { index, table } = azure([toFirewall, r('fw-tag', { cidr: 'Storage' }, { kind: 'virtualAppliance', ip: '10.0.9.9' }), host]);
    const m = lookupRoute(index, table, 'vnet', '8.8.8.8');
    assert.equal(m.kind === 'match' && m.route.id, 'host');
    assert.equal(lookupRoute(index, table, 'vnet', '1.1.1.1').kind, 'unknown');
  });

  it('outside Azure a destination that is no CIDR stays undecided as before', () => {
    const { index, table } = model([
      r('d', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'igw' }),
      r('t', { cidr: 'Storage' }, { kind: 'igw', ref: 'igw' }),
    ]);
    const u = lookupRoute(index, table, 'vpc', '8.8.8.8');
    assert.equal(u.kind === 'unknown' && u.reason, 'route table rt: destination "Storage" is not a CIDR');
  });
});
