import * as assert from 'assert';
import * as fc from 'fast-check';
import { internetPosture, isBroadPermit } from '../../../src/analysis/dcf/posture';
import { evaluateFlow } from '../../../src/analysis/dcf/evaluate';
import { combine, computeStates, type ClassifiedPath, type PathClass } from '../../../src/analysis/states';
import { computeScore } from '../../../src/analysis/score';
import { analyze } from '../../../src/analysis/analyze';
import type { RuleContext } from '../../../src/analysis/rules/rule';
import type { NetworkElement } from '../../../src/model/types';
import { unresolved } from '../../../src/model/types';
import type { SubnetEgress, VpcState } from '../../../src/analysis/types';
import {
  ANYWHERE,
  PUBLIC_INTERNET,
  dcfConfig,
  egress,
  model,
  policy,
  smartGroup,
  spoke,
  subnet,
  vpc,
  webGroup,
} from '../../fixtures/dcf/build';
import { loadExample } from '../../fixtures/dcf/examples';

function states(elements: NetworkElement[], eg: SubnetEgress[]): Record<string, VpcState> {
  const { model: m, index } = model(...elements);
  const ctx: RuleContext = { model: m, index, egress: eg, options: {} };
  return Object.fromEntries(computeStates(ctx).map((s) => [s.vpc, s]));
}

const v = vpc('aws_vpc.w', '10.0.0.0/16');
const a = subnet('aws_subnet.a', v.id, '10.0.1.0/24');
const b = subnet('aws_subnet.b', v.id, '10.0.2.0/24');
const fw = { kind: 'gwlb-firewall' as const, element: 'aws_lb_target_group.fw', az: 'us-east-1a' };

describe('protection states', () => {
  it("skips the same infrastructure subnets as the egress survey: a GWLB target's subnet, a NAT GW's subnet named by its provider id", () => {
    const L = a.loc;
    // The appliance lives in an inspection VPC of its own (in the workload VPC, every empty subnet would be
    // the appliances' plumbing: see the appliance VPC test below).
    const iv = vpc('aws_vpc.insp', '10.9.0.0/16');
    const f = subnet('aws_subnet.fw', iv.id, '10.9.9.0/24');
    const n = subnet('aws_subnet.nat', v.id, '10.0.8.0/24', { providerId: 'subnet-0nat' });
    const appliance: NetworkElement = {
      id: 'aws_instance.fw',
      kind: 'instance',
      name: 'fw',
      loc: L,
      cloud: 'aws',
      subnet: f.id,
      privateIp: '10.0.9.10',
    };
    const tg: NetworkElement = {
      id: 'aws_lb_target_group.fw',
      kind: 'targetGroup',
      name: 'fw',
      loc: L,
      cloud: 'aws',
      protocol: 'GENEVE',
      targets: [appliance.id],
    };
    const nat: NetworkElement = {
      id: 'aws_nat_gateway.n',
      kind: 'natgw',
      name: 'n',
      loc: L,
      cloud: 'aws',
      subnet: 'subnet-0nat',
      connectivity: 'public',
    };
    const elements = [v, iv, a, f, n, appliance, tg, nat];
    const { index } = model(...elements);
    assert.deepEqual(
      [a, f, n].map((x) => index.isInfrastructureSubnet(x.id)),
      [false, true, true],
    );
    // Their own (bypassing) paths, if anything traced them, are not the VPC's workload paths.
    const s = states(elements, [egress(a.id, v.id, [fw], { returnInspectedBy: [fw] }), egress(f.id, iv.id, []), egress(n.id, v.id, [])]);
    assert.strictEqual(s[v.id].state, 'Protected');
    assert.strictEqual(s[iv.id].state, 'Inspection');
  });
  describe('appliance VPC (a GWLB and its appliances)', () => {
    // Modelled on centralized GWLB designs: the TGW attachment is written in another stack (its subnets
    // come in as parameters), so nothing in this VPC says which subnet it uses.
    const av = vpc('cfn:appliance.yaml#Vpc', '192.168.1.0/24');
    const tgwSub = subnet('cfn:appliance.yaml#TgwSubnet', av.id, '192.168.1.0/28');
    const applSub = subnet('cfn:appliance.yaml#ApplianceSubnet', av.id, '192.168.1.16/28');
    const natSub = subnet('cfn:appliance.yaml#NatSubnet', av.id, '192.168.1.32/28');
    const L = a.loc;
    const gwlb: NetworkElement = {
      id: 'cfn:appliance.yaml#Gwlb',
      kind: 'gwlb',
      name: 'gwlb',
      loc: L,
      cloud: 'aws',
      subnets: [applSub.id],
      crossZone: false,
    };
    const appliance: NetworkElement = {
      id: 'cfn:appliance.yaml#Appliance',
      kind: 'instance',
      name: 'appliance',
      loc: L,
      cloud: 'aws',
      subnet: applSub.id,
    };
    const tg: NetworkElement = {
      id: 'cfn:appliance.yaml#Tg',
      kind: 'targetGroup',
      name: 'tg',
      loc: L,
      cloud: 'aws',
      protocol: 'GENEVE',
      loadBalancer: gwlb.id,
      targets: [appliance.id],
    };
    const natgw: NetworkElement = {
      id: 'cfn:appliance.yaml#Nat',
      kind: 'natgw',
      name: 'nat',
      loc: L,
      cloud: 'aws',
      subnet: natSub.id,
      connectivity: 'public',
    };
    const bastion: NetworkElement = {
      id: 'cfn:appliance.yaml#Bastion',
      kind: 'instance',
      name: 'bastion',
      loc: L,
      cloud: 'aws',
      subnet: natSub.id,
    };
    const base = [av, tgwSub, applSub, natSub, gwlb, appliance, tg, natgw];

    it("a subnet without a workload is the appliances' plumbing, not a source; the VPC is Inspection", () => {
      const { index } = model(...base);
      assert.deepEqual(
        [tgwSub, applSub, natSub].map((x) => index.isInfrastructureSubnet(x.id)),
        [true, true, true],
      );
      const s = states(base, []);
      assert.strictEqual(s[av.id].state, 'Inspection');
    });
    it('a bastion in its NAT subnet is still a source, judged on its own; the VPC stays Inspection and says so', () => {
      const els = [...base, bastion];
      const { index } = model(...els);
      assert.strictEqual(index.isInfrastructureSubnet(natSub.id), false);
      assert.strictEqual(index.isHostInInfrastructure(natSub.id), true);
      assert.strictEqual(index.isInfrastructureSubnet(tgwSub.id), true);
      const s = states(els, [egress(natSub.id, av.id, [])]);
      assert.strictEqual(s[av.id].state, 'Inspection');
      assert.match(s[av.id].reason, /judged on their own \(Unprotected\): .*NatSubnet reaches the internet/);
    });
    it('a host in a subnet of its own makes that subnet a workload source: the VPC is judged like any other', () => {
      const app = subnet('cfn:appliance.yaml#AppSubnet', av.id, '192.168.1.64/28');
      const server: NetworkElement = {
        id: 'cfn:appliance.yaml#Server',
        kind: 'instance',
        name: 'server',
        loc: L,
        cloud: 'aws',
        subnet: app.id,
      };
      const els = [...base, app, server];
      const { index } = model(...els);
      assert.strictEqual(index.isInfrastructureSubnet(app.id), false);
      assert.strictEqual(index.isHostInInfrastructure(app.id), false);
      const s = states(els, [egress(app.id, av.id, [])]);
      assert.strictEqual(s[av.id].state, 'Unprotected');
    });
    it('a VPC with GWLB endpoints only (a distributed spoke) keeps its empty subnets as sources', () => {
      const sv = vpc('cfn:spoke.yaml#Vpc', '10.0.0.0/16');
      const appSub = subnet('cfn:spoke.yaml#AppSubnet', sv.id, '10.0.1.0/24');
      const epSub = subnet('cfn:spoke.yaml#EpSubnet', sv.id, '10.0.0.0/28');
      const ep: NetworkElement = {
        id: 'cfn:spoke.yaml#Gwlbe',
        kind: 'gwlbe',
        name: 'gwlbe',
        loc: L,
        cloud: 'aws',
        vpc: sv.id,
        subnet: epSub.id,
        service: gwlb.id,
      };
      const { index } = model(...base, sv, appSub, epSub, ep);
      assert.deepEqual(
        [appSub, epSub].map((x) => index.isInfrastructureSubnet(x.id)),
        [false, true],
      );
    });
  });
  it('No Egress when no subnet reaches the internet', () => {
    const s = states([v, a], [egress(a.id, v.id, [], { reaches: false })]);
    assert.strictEqual(s[v.id].state, 'No Egress');
    assert.match(s[v.id].reason, /no subnet of w /);
  });
  it('Unprotected when every path bypasses enforcement; the reason names the subnet', () => {
    const s = states([v, a], [egress(a.id, v.id, [])]);
    assert.strictEqual(s[v.id].state, 'Unprotected');
    assert.match(s[v.id].reason, /aws_subnet\.a reaches the internet/);
  });
  it('GWLB firewall both ways is Protected; a return that bypasses it is Partially Protected', () => {
    assert.strictEqual(states([v, a], [egress(a.id, v.id, [fw], { returnInspectedBy: [fw] })])[v.id].state, 'Protected');
    const half = states([v, a], [egress(a.id, v.id, [fw], { returnInspectedBy: [] })])[v.id];
    assert.strictEqual(half.state, 'Partially Protected');
    assert.match(half.reason, /return bypasses inspection/);
    const crossAz = states([v, a], [egress(a.id, v.id, [fw], { returnInspectedBy: [{ ...fw, az: 'us-east-1b' }] })])[v.id];
    assert.strictEqual(crossAz.state, 'Partially Protected');
  });
  it('a bypassing subnet next to an inspected one is Partially Protected', () => {
    const s = states([v, a, b], [egress(a.id, v.id, [fw], { returnInspectedBy: [fw] }), egress(b.id, v.id, [])]);
    assert.strictEqual(s[v.id].state, 'Partially Protected');
    assert.match(s[v.id].reason, /aws_subnet\.b/);
  });
  it('Unknown when a path cannot be decided', () => {
    const s = states(
      [v, a, b],
      [egress(a.id, v.id, [fw], { returnInspectedBy: [fw] }), egress(b.id, v.id, [], { unknown: 'route table not in the inputs' })],
    );
    assert.strictEqual(s[v.id].state, 'Unknown');
    assert.match(s[v.id].reason, /route table not in the inputs/);
  });
  describe('an unknown path beside decided ones (F29)', () => {
    const c = subnet('aws_subnet.c', v.id, '10.0.3.0/24');
    const open = egress(b.id, v.id, []);
    const undecided = egress(c.id, v.id, [], { unknown: 'destination "AzureMachineLearning" is not a CIDR' });
    const inspected = egress(a.id, v.id, [fw], { returnInspectedBy: [fw] });
    const halfInspected = egress(a.id, v.id, [fw], { returnInspectedBy: [] });

    it('a bypass and a restricted path decide Partially Protected; the reason still names the undecided path and why', () => {
      const s = states([v, a, b, c], [inspected, open, undecided])[v.id];
      assert.strictEqual(s.state, 'Partially Protected');
      assert.match(s.reason, /aws_subnet\.b reaches the internet/);
      assert.match(s.reason, /aws_subnet\.a is inspected by GWLB firewall/);
      assert.match(
        s.reason,
        /whatever the undecided path does, the state stays Partially Protected: the path from aws_subnet\.c cannot be decided: destination "AzureMachineLearning" is not a CIDR/,
      );
    });
    it('a partial path decides Partially Protected alone', () => {
      const s = states([v, a, c], [halfInspected, undecided])[v.id];
      assert.strictEqual(s.state, 'Partially Protected');
      assert.match(s.reason, /return bypasses inspection; whatever the undecided path does/);
    });
    it('a bypass alone, or a restricted path alone, leaves the state to the undecided path: Unknown', () => {
      for (const decided of [open, inspected]) {
        const s = states([v, a, b, c], [decided, undecided])[v.id];
        assert.strictEqual(s.state, 'Unknown');
        assert.match(s.reason, /^the path from aws_subnet\.c cannot be decided/);
      }
    });
    it('a VPC whose existence cannot be decided stays Unknown whatever its paths', () => {
      const maybe = vpc('aws_vpc.w', '10.0.0.0/16', { undecided: unresolved('var.create', 'variable "create" has no default') });
      const s = states([maybe, a, b], [halfInspected, open])[v.id];
      assert.strictEqual(s.state, 'Unknown');
      assert.match(s.reason, /whether w exists cannot be decided offline: `var.create`/);
    });
    it('decides exactly when every outcome of the undecided paths gives the same state (all mixes of up to 3 decided and 2 undecided paths)', () => {
      const outcomes: PathClass[] = ['none', 'bypass', 'permit-all', 'partial', 'restricted'];
      const path = (cls: PathClass, i: number): ClassifiedPath => ({ cls, reason: `${cls} ${i}` });
      const mixes = (n: number): PathClass[][] => (n === 0 ? [[]] : mixes(n - 1).flatMap((m) => outcomes.map((o) => [...m, o])));
      let decidedCount = 0;
      for (let n = 0; n <= 3; n++)
        for (const decided of mixes(n))
          for (let k = 1; k <= 2; k++) {
            const paths = [...decided.map(path), ...Array.from({ length: k }, (_, i) => path('unknown', n + i))];
            const got = combine('w', paths).state;
            const possible = new Set(mixes(k).map((m) => combine('w', [...decided, ...m].map(path)).state));
            const expected = possible.size === 1 ? [...possible][0] : 'Unknown';
            assert.strictEqual(got, expected, `${decided.join(',')} + ${k} unknown: ${[...possible].join('/')}`);
            if (got !== 'Unknown') decidedCount++;
          }
      // Not vacuous: some mixes are decided, all of them Partially Protected.
      assert.ok(decidedCount > 50, String(decidedCount));
    });
  });
  it('skips infrastructure subnets (NAT GW subnet heading to the IGW is a hop, not a source)', () => {
    const nat = subnet('aws_subnet.nat', v.id, '10.0.10.0/24');
    const natgw: NetworkElement = {
      id: 'aws_nat_gateway.a',
      kind: 'natgw',
      name: 'nat',
      loc: a.loc,
      cloud: 'aws',
      subnet: nat.id,
      connectivity: 'public',
    };
    const s = states([v, a, nat, natgw], [egress(a.id, v.id, [fw], { returnInspectedBy: [fw] }), egress(nat.id, v.id, [])]);
    assert.strictEqual(s[v.id].state, 'Protected');
  });

  describe('DCF', () => {
    const pv = vpc('aviatrix_vpc.prod', '10.10.0.0/16');
    const gw = spoke('aviatrix_spoke_gateway.prod', pv.id);
    const sg = smartGroup('aviatrix_smart_group.prod', [{ cidr: '10.10.0.0/16' }]);
    const web = webGroup('aviatrix_web_group.w', ['ipinfo.io']);
    const dcfEg = [egress(pv.id, pv.id, [{ kind: 'aviatrix-dcf', element: gw.id }])];
    const allow = policy('pl#https', 10, 'permit', [sg.id], [PUBLIC_INTERNET.id], {
      protocol: 'tcp',
      ports: [{ lo: 443, hi: 443 }],
      webGroups: [web.id],
    });
    const deny = policy('pl#deny', 100, 'deny', [sg.id], [ANYWHERE.id]);
    const permitAll = policy('pl#all', 100, 'permit', [sg.id], [ANYWHERE.id]);
    const common = [pv, gw, sg, web, ANYWHERE, PUBLIC_INTERNET];
    const st = (els: NetworkElement[], eg = dcfEg) => states([...common, ...els], eg)[pv.id];

    it('explicit allows then deny toward Anywhere: Protected', () => {
      const s = st([dcfConfig(true), allow, deny]);
      assert.strictEqual(s.state, 'Protected');
      assert.match(s.reason, /"deny".*denies internet traffic from prod; explicit allows: "https"/);
    });
    it('logged permit-all: Monitored; unlogged: Unprotected', () => {
      assert.strictEqual(st([dcfConfig(true), permitAll]).state, 'Monitored');
      assert.strictEqual(st([dcfConfig(true), { ...permitAll, logging: false }]).state, 'Unprotected');
    });
    it('some denies before a permit-all: Partially Protected', () => {
      const denySome = policy('pl#no-smtp', 5, 'deny', [sg.id], [ANYWHERE.id], { protocol: 'tcp', ports: [{ lo: 25, hi: 25 }] });
      assert.strictEqual(st([dcfConfig(true), denySome, permitAll]).state, 'Partially Protected');
    });
    it('a broad TCP permit before the deny: Partially Protected', () => {
      const tcpAll = policy('pl#tcp', 5, 'permit', [sg.id], [ANYWHERE.id], { protocol: 'tcp' });
      assert.strictEqual(st([dcfConfig(true), tcpAll, deny]).state, 'Partially Protected');
    });
    it('no policy selects the VPC: Unprotected (default action permits, not logged)', () => {
      const s = st([dcfConfig(true)]);
      assert.strictEqual(s.state, 'Unprotected');
      assert.match(s.reason, /no enabled DCF policy selects prod/);
    });
    it('DCF disabled: Unprotected; DCF enablement unresolved: Unknown', () => {
      const off = st([dcfConfig(false), allow, deny]);
      assert.strictEqual(off.state, 'Unprotected');
      assert.match(off.reason, /DCF is not enabled/);
      assert.strictEqual(st([dcfConfig(unresolved('var.on', 'no default')), allow, deny]).state, 'Unknown');
    });
    it('no DCF config in the inputs: the policies decide, the reason states the assumption that DCF is enabled (F94)', () => {
      const s = st([allow, deny]);
      assert.strictEqual(s.state, 'Protected');
      assert.match(s.reason, /^assuming DCF is enabled on the controller: policy "deny"/);
      assert.doesNotMatch(st([dcfConfig(true), allow, deny]).reason, /assuming/);
    });
    it('a catch-all whose source group cannot be decided: Unknown', () => {
      const tagged = smartGroup('aviatrix_smart_group.vms', [{ type: 'vm', tags: { env: 'prod' } }]);
      const s = st([dcfConfig(true), tagged, policy('pl#vm-deny', 10, 'deny', [tagged.id], [ANYWHERE.id])]);
      assert.strictEqual(s.state, 'Unknown');
      assert.match(s.reason, /"vm-deny"/);
    });
    it('a local-egress spoke with no traced path is classified from the gateway', () => {
      assert.strictEqual(st([dcfConfig(true), allow, deny], []).state, 'Protected');
    });
  });

  describe('golden: examples', () => {
    it('aviatrix-dcf: the README states and score 50', async () => {
      const r = analyze(await loadExample('aviatrix-dcf'));
      const got = Object.fromEntries(r.states.map((s) => [s.vpc, s.state]));
      assert.deepStrictEqual(got, {
        'aviatrix_vpc.spoke["prod"]': 'Protected',
        'aviatrix_vpc.spoke["dev"]': 'Monitored',
        'aviatrix_vpc.spoke["sandbox"]': 'Monitored',
        'aviatrix_vpc.spoke["analytics"]': 'Unprotected',
        'module.shared.aviatrix_vpc.default[0]': 'Protected',
        'aviatrix_vpc.transit': 'Egress hub',
      });
      const prod = r.states.find((s) => s.vpc === 'aviatrix_vpc.spoke["prod"]')!;
      assert.match(prod.reason, /"prod-deny-all".*explicit allows: "prod-https-ipinfo", "prod-icmp-us".*aviatrix_spoke_gateway\.prod/);
      assert.deepStrictEqual(
        { score: r.score.score, counted: r.score.counted, unknown: r.score.unknown },
        { score: 50, counted: 5, unknown: 0 },
      );
      assert.deepStrictEqual(r.score, computeScore(r.states));
    });
    it('aws-distributed-egress-ok: workload Protected, inspection Inspection (No Egress before issue 13)', async () => {
      const r = analyze(await loadExample('aws-distributed-egress-ok'));
      assert.deepStrictEqual(Object.fromEntries(r.states.map((s) => [s.vpc, s.state])), {
        'aws_vpc.inspection': 'Inspection',
        'aws_vpc.workload': 'Protected',
      });
      assert.strictEqual(r.score.score, 100);
    });
    it('aws-distributed-egress-asymmetric: workload Partially Protected', async () => {
      const r = analyze(await loadExample('aws-distributed-egress-asymmetric'));
      const w = r.states.find((s) => s.vpc === 'aws_vpc.workload')!;
      assert.strictEqual(w.state, 'Partially Protected');
      assert.match(w.reason, /aws_subnet\.mgmt/);
      assert.strictEqual(r.states.find((s) => s.vpc === 'aws_vpc.inspection')!.state, 'Inspection');
      assert.strictEqual(r.score.score, 50);
    });
  });

  it('property: the DCF posture agrees with evaluating concrete flows', function () {
    // `npm run fuzz` runs 20x more cases: scale the time budget with them.
    this.timeout(Math.max(20000, (Number(process.env.FUZZ_RUNS) || 1000) * 20));
    const runs = Number(process.env.FUZZ_RUNS) || 1000;
    const own = smartGroup('sg.own', [{ cidr: '10.10.0.0/16' }]);
    const other = smartGroup('sg.other', [{ cidr: '10.20.0.0/16' }]);
    const wide = smartGroup('sg.wide', [{ cidr: '10.0.0.0/8' }]);
    const pub = smartGroup('sg.pub', [{ cidr: '203.0.113.0/24' }]);
    const srcs = [own.id, other.id, wide.id, ANYWHERE.id];
    const dsts = [ANYWHERE.id, PUBLIC_INTERNET.id, pub.id, other.id];
    const groups = [own, other, wide, pub, ANYWHERE, PUBLIC_INTERNET];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            priority: fc.integer({ min: 0, max: 30 }),
            action: fc.constantFrom('permit' as const, 'deny' as const),
            src: fc.nat(srcs.length - 1),
            dst: fc.constantFrom(0, 0, 1, 2, 3),
            // Weighted toward catch-alls (ANY, no port) so that broad permits and deny tails meet often.
            protocol: fc.constantFrom('any' as const, 'any' as const, 'tcp' as const, 'udp' as const, 'icmp' as const),
            port: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined, freq: 2 }),
            watch: fc.boolean(),
            logging: fc.boolean(),
          }),
          { maxLength: 6 },
        ),
        fc.array(
          fc.record({
            host: fc.integer({ min: 1, max: 65534 }),
            dst: fc.constantFrom('203.0.113.7', '8.8.8.8', '198.51.100.1'),
            protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
            port: fc.integer({ min: 1, max: 100 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (specs, flows) => {
          const policies = specs.map((x, i) =>
            policy(`pp#${i}`, x.priority, x.action, [srcs[x.src]], [dsts[x.dst]], {
              protocol: x.protocol,
              ports: x.protocol === 'icmp' || x.port === undefined ? [] : [{ lo: x.port, hi: x.port }],
              watch: x.watch,
              logging: x.logging,
            }),
          );
          const { index } = model(...groups, ...policies);
          const posture = internetPosture(index, { cidr: '10.10.0.0/16' }, 'vpc');
          assert.notStrictEqual(posture.kind, 'unknown');
          for (const f of flows) {
            const ip = `10.10.${f.host >> 8}.${f.host & 255}`;
            const d = evaluateFlow(index, { src: { ip }, dst: { ip: f.dst }, protocol: f.protocol, port: f.port });
            if (posture.kind === 'permit-all') assert.strictEqual(d.decision, 'allow', `${posture.reason}: ${d.reason}`);
            if (posture.kind === 'restricted') {
              // Allowed only by one of the explicit allows the posture lists.
              if (d.decision === 'allow')
                assert.ok(
                  d.policy && posture.allows.includes(d.policy) && !isBroadPermit(index, d.policy),
                  `${posture.reason}: ${d.reason}`,
                );
              if (posture.allows.length === 0) assert.strictEqual(d.decision, 'deny');
            }
          }
        },
      ),
      { numRuns: runs },
    );
  });
});

describe('DCF posture: watch mode and what cannot be decided (issue 13 §5)', () => {
  const app = smartGroup('aviatrix_smart_group.app', [{ cidr: '10.10.0.0/16' }]);
  const src = { cidr: '10.10.0.0/16' };
  it('a watch-mode policy that selects the source makes the default permit monitored (logged), not unprotected', () => {
    const watch = policy('p#watch', 10, 'permit', [app.id], [PUBLIC_INTERNET.id], { watch: true, logging: true });
    const { index } = model(app, PUBLIC_INTERNET, watch);
    const p = internetPosture(index, src, 'app');
    assert.strictEqual(p.kind, 'permit-all');
    assert.strictEqual(p.logged, true);
    assert.match(p.reason, /watch-mode "watch" observe/);
    // Without the watch policy the same source is an unlogged permit-all.
    const bare = internetPosture(model(app, PUBLIC_INTERNET).index, src, 'app');
    assert.strictEqual(bare.logged, false);
  });
  it('an action the inputs cannot decide is Unknown, never PERMIT; flows it may decide are unknown', () => {
    const p = policy('p#x', 10, 'unknown', [app.id], [ANYWHERE.id], { rawAction: 'var.action' });
    const { index } = model(app, ANYWHERE, p);
    const posture = internetPosture(index, src, 'app');
    assert.strictEqual(posture.kind, 'unknown');
    assert.match(posture.reason, /action of policy "x" \(priority 10, var\.action\) cannot be decided/);
    assert.strictEqual(
      evaluateFlow(index, { src: { ip: '10.10.0.5' }, dst: { ip: '8.8.8.8' }, protocol: 'tcp', port: 443 }).decision,
      'unknown',
    );
  });
  it('a source SmartGroup defined nowhere makes the posture Unknown; a Terraform reference to an undeclared resource selects nothing', () => {
    const missing = policy('p#m', 10, 'permit', ['7c1e2f3a-1111-4222-8333-944455556666'], [PUBLIC_INTERNET.id], { protocol: 'tcp' });
    const u = internetPosture(model(PUBLIC_INTERNET, missing).index, src, 'app');
    assert.strictEqual(u.kind, 'unknown');
    assert.match(u.reason, /source SmartGroup `7c1e2f3a-.*` is not defined/);
    const undeclaredRef = unresolved('aviatrix_smart_group.gone.uuid', 'resource aviatrix_smart_group.gone is not declared in this module');
    const undeclared = { ...missing, srcGroups: [undeclaredRef] };
    const n = internetPosture(model(PUBLIC_INTERNET, undeclared).index, src, 'app');
    assert.strictEqual(n.kind, 'permit-all');
    assert.strictEqual(n.selected, false);
  });
});
