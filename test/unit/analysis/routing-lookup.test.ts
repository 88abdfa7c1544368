// lookupRoute scans a table without expanding it; it must answer exactly what the expanded form answers
// (routeEntries + longestPrefixMatch, with the same rule for routes that cannot be placed offline).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseIp } from '../../../src/model/cidr';
import type { NetworkElement, Route, RouteTable } from '../../../src/model/types';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { longestPrefixMatch, lookupRoute, routeEntries, type RouteLookup } from '../../../src/analysis/routing';

const L = { file: 'r.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

/** The lookup as it was written before (expanded entries), the reference. */
function reference(index: ModelIndex, table: RouteTable, vpcId: string | undefined, ip: string): RouteLookup {
  const { entries, undecided } = routeEntries(index, table, vpcId);
  const best = longestPrefixMatch(entries, ip);
  const hostBits = parseIp(ip)?.family === 6 ? 128 : 32;
  if (undecided.length > 0 && (!best || best.cidr.prefix < hostBits)) {
    const u = undecided[0];
    return { kind: 'unknown', reason: `route table ${table.name || table.id}: ${u.reason}`, route: u.route };
  }
  if (!best) return { kind: 'none' };
  return { kind: 'match', route: best.route, destination: best.destination, matched: best.cidr };
}

const CIDRS = [
  '0.0.0.0/0',
  '10.0.0.0/8',
  '10.0.0.0/16',
  '10.0.1.0/24',
  '10.0.1.0/25',
  '10.0.1.128/25',
  '10.0.1.7/32',
  '192.168.0.0/16',
  '10.0.0.1/16',
  '2600:1f18::/32',
  '::/0',
  'bogus',
];
const IPS = [
  '10.0.1.7',
  '10.0.1.200',
  '10.0.2.1',
  '10.9.9.9',
  '8.8.8.8',
  '192.168.3.4',
  '2600:1f18::5',
  '2001:db8::1',
  'not-an-ip',
  '010.000.001.007',
  '10.0.1',
];

describe('routing: lookupRoute equals the expanded longest prefix match', () => {
  it('property: random tables (written, implicit, prefix-list and unresolved routes; IPv4 and IPv6) and addresses', () => {
    const route = fc.record({
      dest: fc.oneof(
        fc.constantFrom(...CIDRS).map((c) => ({ cidr: c })),
        fc.constantFrom('pl', 'pl-missing').map((p) => ({ prefixList: p })),
        fc.constant({ cidr: { unresolved: true as const, text: 'var.x', reason: 'no default' } }),
      ),
      implicit: fc.boolean(),
      blackhole: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(route, { maxLength: 8 }),
        fc.array(
          fc.oneof(
            fc.constantFrom('10.0.0.0/16', '10.0.1.0/24', '2600:1f18::/32', '100.64.0.0/22'),
            fc.constant({ unresolved: true as const, text: 'var.cidr', reason: 'no default' }),
          ),
          { maxLength: 3 },
        ),
        fc.array(fc.constantFrom('10.0.1.0/24', '172.16.0.0/12', 'bad', '10.0.0.0/16'), { maxLength: 3 }),
        fc.constantFrom(...IPS),
        fc.boolean(),
        (routes, vpcCidrs, plCidrs, ip, withVpc) => {
          const rs: Route[] = routes.map((r, i) => ({
            id: `rt#${i}`,
            loc: L,
            destination: r.dest,
            target: { kind: 'igw', ref: 'igw' },
            state: r.blackhole ? 'blackhole' : 'active',
            ...(r.implicit ? { implicit: true } : {}),
          }));
          const table: RouteTable = { id: 'rt', kind: 'routeTable', name: 'rt', loc: L, cloud: 'aws', vpc: 'vpc', routes: rs };
          const elements: NetworkElement[] = [
            { id: 'vpc', kind: 'vpc', name: 'vpc', loc: L, cloud: 'aws', cidrs: vpcCidrs, flavor: 'vpc' },
            { id: 'pl', kind: 'prefixList', name: 'corp', loc: L, cloud: 'aws', cidrs: plCidrs },
            table,
          ];
          const index = new ModelIndex({ elements });
          const vpc = withVpc ? 'vpc' : undefined;
          assert.deepEqual(lookupRoute(index, table, vpc, ip), reference(index, table, vpc, ip));
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS) || 3000 },
    );
  });
});

describe('routing: an unknown VPC CIDR of a known family (F72)', () => {
  const table: RouteTable = {
    id: 'rt',
    kind: 'routeTable',
    name: 'rt',
    loc: L,
    cloud: 'aws',
    vpc: 'vpc',
    routes: [{ id: 'rt#0', loc: L, destination: { cidr: '0.0.0.0/0' }, target: { kind: 'igw', ref: 'igw' }, state: 'active' }],
  };
  const index = (family?: 4 | 6) =>
    new ModelIndex({
      elements: [
        {
          id: 'vpc',
          kind: 'vpc',
          name: 'vpc',
          loc: L,
          cloud: 'aws',
          cidrs: [
            '10.0.0.0/16',
            { unresolved: true, text: 'aws_vpc.x.ipv6_cidr_block', reason: 'known after apply', ...(family ? { family } : {}) },
          ],
          flavor: 'vpc',
        },
        table,
      ],
    });

  it('an unknown IPv6 local route cannot hold an IPv4 address, nor an unknown IPv4 one an IPv6 address', () => {
    const r = lookupRoute(index(6), table, 'vpc', '8.8.8.8');
    assert.ok(r.kind === 'match' && r.route.id === 'rt#0', r.kind);
    assert.equal(lookupRoute(index(4), table, 'vpc', '2600:1f18::5').kind, 'none');
  });

  it('of the same family, or of no known family, it may: Unknown', () => {
    assert.equal(lookupRoute(index(6), table, 'vpc', '2600:1f18::5').kind, 'unknown');
    assert.equal(lookupRoute(index(4), table, 'vpc', '8.8.8.8').kind, 'unknown');
    assert.equal(lookupRoute(index(), table, 'vpc', '8.8.8.8').kind, 'unknown');
  });
});

describe('routing: a general lookup (the internet stand-in) leaves out known narrow routes that hold it (F131)', () => {
  const route = (id: string, destination: Route['destination'], extra: Partial<Route> = {}): Route => ({
    id,
    loc: L,
    destination,
    target: { kind: id === 'wide' ? 'igw' : 'gwlbe', ref: id },
    state: 'active',
    ...extra,
  });
  const lookup = (routes: Route[], ip: string, general: boolean, plCidrs: string[] = []) => {
    const table: RouteTable = { id: 'rt', kind: 'routeTable', name: 'rt', loc: L, cloud: 'aws', vpc: 'vpc', routes };
    const index = new ModelIndex({
      elements: [
        { id: 'vpc', kind: 'vpc', name: 'vpc', loc: L, cloud: 'aws', cidrs: ['10.0.0.0/16', '2600:1f18::/56'], flavor: 'vpc' },
        { id: 'pl', kind: 'prefixList', name: 'dns', loc: L, cloud: 'aws', cidrs: plCidrs },
        table,
      ],
    });
    return lookupRoute(index, table, 'vpc', ip, general);
  };
  const summary = (r: RouteLookup) => ({
    kind: r.kind,
    route: r.kind === 'match' ? r.route.id : undefined,
    narrow: r.kind === 'unknown' ? undefined : r.narrow?.map((n) => `${n.destination} ${n.bits}${n.unknown ? ' ?' : ''}`),
  });

  it('IPv4: a /32 or /24 holding it is left out (named with its length), a /16 is not; a named lookup takes it', () => {
    const wide = route('wide', { cidr: '0.0.0.0/0' });
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '8.8.8.8/32' })], '8.8.8.8', true)), {
      kind: 'match',
      route: 'wide',
      narrow: ['8.8.8.8/32 32'],
    });
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '8.8.8.8/32' })], '8.8.8.8', false)), {
      kind: 'match',
      route: 'dns',
      narrow: undefined,
    });
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '8.8.8.0/24' })], '8.8.8.8', true)).narrow, ['8.8.8.0/24 24']);
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '8.8.0.0/16' })], '8.8.8.8', true)), {
      kind: 'match',
      route: 'dns',
      narrow: undefined,
    });
    // Alone, nothing routes the internet in general; a route whose existence is undecided is left out as well.
    assert.deepEqual(summary(lookup([route('dns', { cidr: '8.8.8.8/32' })], '8.8.8.8', true)), {
      kind: 'none',
      route: undefined,
      narrow: ['8.8.8.8/32 32'],
    });
    const maybe = route('dns', { cidr: '8.8.8.8/32' }, { undecided: { unresolved: true, text: 'var.on', reason: 'no default' } });
    assert.deepEqual(summary(lookup([wide, maybe], '8.8.8.8', true)).route, 'wide');
    assert.equal(lookup([wide, maybe], '8.8.8.8', false).kind, 'unknown');
  });

  it('a prefix list entry holding it is left out under the list name; an unknown /32 keeps its reason', () => {
    const wide = route('wide', { cidr: '0.0.0.0/0' });
    assert.deepEqual(summary(lookup([wide, route('dns', { prefixList: 'pl' })], '8.8.8.8', true, ['8.8.8.8/32', '8.8.4.4/32'])), {
      kind: 'match',
      route: 'wide',
      narrow: ['dns (entry 8.8.8.8/32) 32'],
    });
    const unknown = route('ip', { cidr: { unresolved: true, text: 'var.ip', reason: 'no default', prefixLength: 32 } });
    assert.deepEqual(summary(lookup([wide, unknown], '8.8.8.8', true)).narrow, ['var.ip 32 ?']);
  });

  it('IPv6 the same from /48: a /128 or /48 holding the stand-in is left out, a /32 is not', () => {
    const wide = route('wide', { cidr: '::/0' });
    const v6 = '2001:4860:4860::8888';
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: `${v6}/128` })], v6, true)), {
      kind: 'match',
      route: 'wide',
      narrow: [`${v6}/128 128`],
    });
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '2001:4860:4860::/48' })], v6, true)).narrow, ['2001:4860:4860::/48 48']);
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: '2001:4860::/32' })], v6, true)).route, 'dns');
    assert.deepEqual(summary(lookup([wide, route('dns', { cidr: `${v6}/128` })], v6, false)).route, 'dns');
  });
});
