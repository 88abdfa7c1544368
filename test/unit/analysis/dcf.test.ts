import * as assert from 'assert';
import * as fc from 'fast-check';
import { evaluateFlow, type DcfFlow } from '../../../src/analysis/dcf/evaluate';
import { domainMatches, domainPatternCovers, webGroupMatches } from '../../../src/analysis/dcf/webGroups';
import { countryOf, resolveDomain } from '../../../src/analysis/dcf/geo';
import { blockContains, blockContainsIp, cidrOf, resolveGroup, sourceInGroup } from '../../../src/analysis/dcf/groups';
import { cidrContains, cidrContainsIp, isRfc1918, parseCidr, parseIp } from '../../../src/model/cidr';
import type { DcfPolicy } from '../../../src/model/types';
import { ANYWHERE, PUBLIC_INTERNET, externalGroup, model, policy, smartGroup, vpc, webGroup } from '../../fixtures/dcf/build';

const prod = smartGroup('aviatrix_smart_group.prod', [{ cidr: '10.10.0.0/16' }]);
const us = smartGroup('aviatrix_smart_group.us', [{ cidr: '8.8.8.8/32' }, { cidr: '8.8.4.4/32' }]);
const ipinfo = webGroup('aviatrix_web_group.ipinfo', ['ipinfo.io']);

function flow(dst: string, protocol: DcfFlow['protocol'], port?: number, src = '10.10.1.15'): DcfFlow {
  return { src: { ip: src }, dst: parseIp(dst) ? { ip: dst } : { domain: dst }, protocol, ...(port ? { port } : {}) };
}

describe('dcf evaluation', () => {
  it('evaluates in priority order (lower number first), not input order', () => {
    const deny = policy('p#deny', 10, 'deny', [prod.id], [ANYWHERE.id]);
    const permit = policy('p#permit', 20, 'permit', [prod.id], [ANYWHERE.id]);
    const a = model(prod, ANYWHERE, permit, deny);
    assert.strictEqual(evaluateFlow(a.index, flow('8.8.8.8', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(a.index, flow('8.8.8.8', 'icmp')).policy?.id, 'p#deny');
    const b = model(prod, ANYWHERE, { ...permit, priority: 5 }, deny);
    assert.strictEqual(evaluateFlow(b.index, flow('8.8.8.8', 'icmp')).decision, 'allow');
  });

  it('matches ports and protocols', () => {
    const m = model(
      prod,
      ANYWHERE,
      PUBLIC_INTERNET,
      policy('p#https', 100, 'permit', [prod.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] }),
      policy('p#dns', 110, 'permit', [prod.id], [PUBLIC_INTERNET.id], { protocol: 'udp', ports: [{ lo: 53, hi: 53 }] }),
      policy('p#high', 120, 'permit', [prod.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 8000, hi: 8100 }] }),
      policy('p#deny', 1000, 'deny', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'tcp', 443)).policy?.id, 'p#https');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'tcp', 80)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'udp', 443)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'udp', 53)).policy?.id, 'p#dns');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'tcp', 8050)).policy?.id, 'p#high');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'tcp', 8101)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'icmp')).decision, 'deny');
    // A flow without a port against a port-limited permit cannot be decided.
    assert.strictEqual(evaluateFlow(m.index, flow('9.9.9.9', 'tcp')).decision, 'unknown');
  });

  it('Public Internet excludes RFC 1918; Anywhere holds everything', () => {
    const m = model(
      prod,
      ANYWHERE,
      PUBLIC_INTERNET,
      policy('p#pi', 10, 'permit', [prod.id], [PUBLIC_INTERNET.id]),
      policy('p#deny', 20, 'deny', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(m.index, flow('8.8.8.8', 'icmp')).decision, 'allow');
    assert.strictEqual(evaluateFlow(m.index, flow('10.20.0.5', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('172.16.0.1', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('192.168.1.1', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('172.32.0.1', 'icmp')).decision, 'allow');
    // A domain name is public even when its address is not known offline.
    assert.strictEqual(evaluateFlow(m.index, flow('example.org', 'tcp', 443)).decision, 'allow');
  });

  it('resolves the predefined UUIDs when the parser left them as literals', () => {
    const m = model(prod, policy('p#pi', 10, 'deny', [prod.id], ['def000ad-0000-0000-0000-000000000001']));
    assert.strictEqual(resolveGroup(m.index, 'def000ad-0000-0000-0000-000000000001').kind, 'builtin');
    assert.strictEqual(evaluateFlow(m.index, flow('8.8.8.8', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('10.0.0.1', 'icmp')).decision, 'allow');
  });

  it('matches WebGroups on SNI/Host for TCP only, with wildcards', () => {
    const wild = webGroup('aviatrix_web_group.wild', ['*.example.com']);
    const m = model(
      prod,
      ANYWHERE,
      PUBLIC_INTERNET,
      ipinfo,
      wild,
      policy('p#web', 100, 'permit', [prod.id], [PUBLIC_INTERNET.id], {
        protocol: 'tcp',
        ports: [{ lo: 443, hi: 443 }],
        webGroups: [ipinfo.id, wild.id],
      }),
      policy('p#deny', 1000, 'deny', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(m.index, flow('ipinfo.io', 'tcp', 443)).decision, 'allow');
    assert.strictEqual(evaluateFlow(m.index, flow('api.example.com', 'tcp', 443)).decision, 'allow');
    assert.strictEqual(evaluateFlow(m.index, flow('a.b.example.com', 'tcp', 443)).decision, 'allow');
    assert.strictEqual(evaluateFlow(m.index, flow('example.com', 'tcp', 443)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('notexample.com', 'tcp', 443)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('ipinfo.io', 'tcp', 80)).decision, 'deny');
    // No SNI: an IP destination cannot match a WebGroup.
    assert.strictEqual(evaluateFlow(m.index, flow('34.117.59.81', 'tcp', 443)).decision, 'deny');
    // An explicit SNI on an IP flow does.
    assert.strictEqual(evaluateFlow(m.index, { ...flow('34.117.59.81', 'tcp', 443), host: 'ipinfo.io' }).decision, 'allow');
  });

  it('domain and URL filter helpers', () => {
    assert.ok(domainMatches('IPINFO.io.', 'ipinfo.io'));
    assert.ok(domainMatches('*', 'anything.net'));
    assert.ok(!domainMatches('*.a.com', 'a.com'));
    assert.ok(domainPatternCovers('*.a.com', 'x.a.com'));
    assert.ok(domainPatternCovers('*.a.com', '*.b.a.com'));
    assert.ok(!domainPatternCovers('*.a.com', 'a.com'));
    assert.ok(!domainPatternCovers('a.com', '*.a.com'));
    const urls = webGroup('w', [], ['https://docs.example.com/*', 'example.net/private']);
    assert.strictEqual(webGroupMatches(urls, 'docs.example.com'), 'yes');
    assert.strictEqual(webGroupMatches(urls, 'example.net'), 'unknown');
    assert.strictEqual(webGroupMatches(urls, 'other.org'), 'no');
  });

  it('ExternalGroups and missing groups give unknown, unless every outcome is the same', () => {
    const gh = externalGroup('aviatrix_external_group.github');
    const m = model(
      prod,
      ANYWHERE,
      gh,
      policy('p#gh', 10, 'permit', [prod.id], [gh.id]),
      policy('p#deny', 20, 'deny', [prod.id], [ANYWHERE.id]),
    );
    const d = evaluateFlow(m.index, flow('140.82.112.3', 'tcp', 443));
    assert.strictEqual(d.decision, 'unknown');
    assert.strictEqual(d.policy?.id, 'p#gh');
    assert.match(d.reason, /cannot be decided/);
    const same = model(
      prod,
      ANYWHERE,
      gh,
      policy('p#gh', 10, 'permit', [prod.id], [gh.id]),
      policy('p#allow', 20, 'permit', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(same.index, flow('140.82.112.3', 'tcp', 443)).decision, 'allow');
    const missing = model(prod, ANYWHERE, policy('p#x', 10, 'deny', ['aviatrix_smart_group.gone.uuid'], [ANYWHERE.id]));
    assert.strictEqual(resolveGroup(missing.index, 'aviatrix_smart_group.gone.uuid').kind, 'missing');
    assert.strictEqual(evaluateFlow(missing.index, flow('8.8.8.8', 'icmp')).decision, 'unknown');
  });

  it('watch-mode policies observe but do not decide', () => {
    const m = model(
      prod,
      ANYWHERE,
      policy('p#watch', 10, 'deny', [prod.id], [ANYWHERE.id], { watch: true }),
      policy('p#ok', 20, 'permit', [prod.id], [ANYWHERE.id]),
    );
    const d = evaluateFlow(m.index, flow('8.8.8.8', 'icmp'));
    assert.strictEqual(d.decision, 'allow');
    assert.deepStrictEqual(
      d.watched.map((p) => p.id),
      ['p#watch'],
    );
  });

  it('disabled policies are ignored; no match falls to the default action (permit)', () => {
    const m = model(prod, ANYWHERE, policy('p#off', 10, 'deny', [prod.id], [ANYWHERE.id], { enabled: false }));
    const d = evaluateFlow(m.index, flow('8.8.8.8', 'icmp'));
    assert.strictEqual(d.decision, 'allow');
    assert.strictEqual(d.policy, undefined);
    assert.match(d.reason, /default action/);
  });

  it('geo SmartGroups use the bundled table, unknown for unlisted addresses', () => {
    const geo = smartGroup('aviatrix_smart_group.geo_us', [{ other: { external: 'geo', ext_args: '{"country_iso_code":"US"}' } }]);
    const m = model(
      prod,
      ANYWHERE,
      geo,
      policy('p#us', 10, 'permit', [prod.id], [geo.id], { protocol: 'icmp' }),
      policy('p#deny', 20, 'deny', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(m.index, flow('8.8.8.8', 'icmp')).decision, 'allow');
    assert.strictEqual(evaluateFlow(m.index, flow('1.1.1.1', 'icmp')).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('203.0.113.7', 'icmp')).decision, 'unknown');
    assert.strictEqual(countryOf('8.8.8.8'), 'US');
    assert.strictEqual(countryOf('203.0.113.7'), undefined);
  });

  it('CIDR destinations and a domain: unknown unless the domain is in the bundled DNS table', () => {
    const m = model(
      prod,
      ANYWHERE,
      us,
      policy('p#us', 10, 'permit', [prod.id], [us.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] }),
      policy('p#deny', 20, 'deny', [prod.id], [ANYWHERE.id]),
    );
    assert.strictEqual(evaluateFlow(m.index, flow('unlisted.example', 'tcp', 443)).decision, 'unknown');
    assert.strictEqual(resolveDomain('ipinfo.io'), '34.117.59.81');
    assert.strictEqual(evaluateFlow(m.index, flow('ipinfo.io', 'tcp', 443)).decision, 'deny');
    assert.strictEqual(evaluateFlow(m.index, flow('dns.google', 'tcp', 443)).decision, 'allow');
  });

  it('source SmartGroups by CIDR, VPC name, tags, account and region', () => {
    const v = vpc('aviatrix_vpc.prod', '10.10.0.0/16', {
      name: 'prod-vpc',
      tags: { env: 'prod', team: 'a' },
      account: 'aws-prod',
      region: 'us-east-1',
    });
    const { index } = model(v);
    const g = (sel: Parameters<typeof smartGroup>[1]) => resolveGroup(model(smartGroup('g', sel)).index, 'g');
    const src = { vpc: v, cidr: '10.10.0.0/16' };
    assert.ok(index);
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', name: 'prod-vpc' }]), src), 'yes');
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', name: 'dev-vpc' }]), src), 'no');
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', tags: { env: 'prod' } }]), src), 'yes');
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', tags: { env: 'prod' }, region: 'eu-west-1' }]), src), 'no');
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', accountName: 'aws-prod', region: 'us-east-1' }]), src), 'yes');
    assert.strictEqual(sourceInGroup(g([{ type: 'vpc', name: 'x' }, { cidr: '10.0.0.0/8' }]), src), 'yes');
    // A block straddling the selector: some hosts in, some out.
    assert.strictEqual(sourceInGroup(g([{ cidr: '10.10.0.0/17' }]), src), 'unknown');
    assert.strictEqual(sourceInGroup(g([{ cidr: '10.10.0.0/17' }]), { ...src, ip: '10.10.1.1' }), 'yes');
    assert.strictEqual(sourceInGroup(g([{ cidr: '10.10.0.0/17' }]), { ...src, ip: '10.10.200.1' }), 'no');
    // VMs are not modelled for a whole VPC; k8s never offline.
    assert.strictEqual(sourceInGroup(g([{ type: 'vm', tags: { app: 'web' } }]), src), 'unknown');
    assert.strictEqual(sourceInGroup(g([{ type: 'k8s', k8sNamespace: 'ns' }]), src), 'unknown');
  });
});

// Brute-force reference: straight from the definition in docs/domain.md, with groups that are all decidable.
type G = { id: string; cidrs: string[] } | { id: string; builtin: 'anywhere' | 'publicInternet' };
function refInGroup(g: G, ip: string): boolean {
  if ('builtin' in g) return g.builtin === 'anywhere' || !isRfc1918(ip);
  return g.cidrs.some((c) => cidrContainsIp(parseCidr(c)!, parseIp(ip)!));
}
function reference(
  groups: G[],
  policies: DcfPolicy[],
  f: { src: string; dst: string; protocol: 'tcp' | 'udp' | 'icmp'; port: number },
): 'allow' | 'deny' {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const order = policies.map((p, i) => [p, i] as const).sort((a, b) => a[0].priority - b[0].priority || a[1] - b[1]);
  for (const [p] of order) {
    if (!p.enabled || p.watch) continue;
    if (!p.srcGroups.some((r) => refInGroup(byId.get(r as string)!, f.src))) continue;
    if (!p.dstGroups.some((r) => refInGroup(byId.get(r as string)!, f.dst))) continue;
    if (p.protocol !== 'any' && p.protocol !== f.protocol) continue;
    if (f.protocol !== 'icmp' && p.ports.length && !p.ports.some((r) => f.port >= r.lo && f.port <= r.hi)) continue;
    return p.action === 'permit' ? 'allow' : 'deny';
  }
  return 'allow';
}

describe('dcf evaluation property', () => {
  const runs = Number(process.env.FUZZ_RUNS) || 1000;
  const ipArb = fc.oneof(
    fc
      .tuple(fc.constantFrom(10, 172, 192, 8, 34, 100), fc.nat(255), fc.nat(255), fc.nat(255))
      .map(([a, b, c, d]) => `${a}.${a === 192 ? 168 : a === 172 ? 16 + (b % 16) : b}.${c}.${d}`),
    fc.constantFrom('10.10.1.15', '8.8.8.8', '10.20.0.1'),
  );
  const cidrArb = fc.tuple(ipArb, fc.integer({ min: 0, max: 32 })).map(([ip, len]) => parseCidr(`${ip}/${len}`)!.text);
  const groupsArb = fc.array(fc.array(cidrArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
  it('property: the first matching policy by priority decides, as a brute-force reference says, whatever the input order', function () {
    // `npm run fuzz` runs 20x more cases: scale the time budget with them.
    this.timeout(Math.max(20000, (Number(process.env.FUZZ_RUNS) || 1000) * 20));
    fc.assert(
      fc.property(
        groupsArb,
        fc.array(
          fc.record({
            priority: fc.integer({ min: 0, max: 50 }),
            action: fc.constantFrom('permit' as const, 'deny' as const),
            src: fc.nat(10),
            dst: fc.nat(10),
            protocol: fc.constantFrom('any' as const, 'tcp' as const, 'udp' as const, 'icmp' as const),
            ports: fc.array(
              fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 200 })).map(([lo, w]) => ({ lo, hi: lo + w })),
              { maxLength: 2 },
            ),
            watch: fc.boolean(),
            enabled: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        fc.record({
          src: ipArb,
          dst: ipArb,
          protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
          port: fc.integer({ min: 1, max: 1200 }),
        }),
        (cidrGroups, specs, f) => {
          const groups: G[] = [
            { id: ANYWHERE.id, builtin: 'anywhere' },
            { id: PUBLIC_INTERNET.id, builtin: 'publicInternet' },
            ...cidrGroups.map((cidrs, i) => ({ id: `sg${i}`, cidrs })),
          ];
          const pick = (n: number) => groups[n % groups.length].id;
          const policies = specs.map((s, i) =>
            policy(`pl#${i}`, s.priority, s.action, [pick(s.src)], [pick(s.dst)], {
              protocol: s.protocol,
              ports: s.protocol === 'icmp' ? [] : s.ports,
              watch: s.watch,
              enabled: s.enabled,
            }),
          );
          const elements = [
            ANYWHERE,
            PUBLIC_INTERNET,
            ...cidrGroups.map((cidrs, i) =>
              smartGroup(
                `sg${i}`,
                cidrs.map((cidr) => ({ cidr })),
              ),
            ),
          ];
          const dflow: DcfFlow = { src: { ip: f.src }, dst: { ip: f.dst }, protocol: f.protocol, port: f.port };
          const got = evaluateFlow(model(...elements, ...policies).index, dflow);
          assert.strictEqual(got.decision, reference(groups, policies, f));
          // Determinism: same answer twice, and policies with distinct priorities give the same answer in any input order.
          assert.deepStrictEqual(evaluateFlow(model(...elements, ...policies).index, dflow).decision, got.decision);
          const distinct = new Set(policies.map((p) => p.priority)).size === policies.length;
          if (distinct) {
            const reversed = evaluateFlow(model(...elements, ...[...policies].reverse()).index, dflow);
            assert.strictEqual(reversed.decision, got.decision);
            assert.strictEqual(reversed.policy?.id, got.policy?.id);
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it('property: the fast IPv4 containment agrees with the BigInt reference', function () {
    // `npm run fuzz` runs 20x more cases: scale the time budget with them.
    this.timeout(Math.max(20000, (Number(process.env.FUZZ_RUNS) || 1000) * 20));
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, fc.integer({ min: 0, max: 32 }), (a, pa, b, pb) => {
        const outer = cidrOf(`${a}/${pa}`)!;
        const inner = cidrOf(`${b}/${pb}`)!;
        assert.strictEqual(blockContains(outer, inner), cidrContains(outer, inner));
        assert.strictEqual(blockContainsIp(outer, parseIp(b)!), cidrContainsIp(outer, parseIp(b)!));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS) || 1000 },
    );
  });
});
