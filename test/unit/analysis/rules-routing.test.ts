import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkModel } from '../../../src/model/types';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { traceAllEgress } from '../../../src/analysis/trace';
import type { RawFinding, Rule } from '../../../src/analysis/rules/rule';
import { rule as bypass } from '../../../src/analysis/rules/asymmetric-return-bypass';
import { rule as returnOnly } from '../../../src/analysis/rules/asymmetric-return-only';
import { rule as crossAzAsym } from '../../../src/analysis/rules/asymmetric-cross-az';
import { rule as applianceMode } from '../../../src/analysis/rules/tgw-appliance-mode-off';
import { rule as uninspected } from '../../../src/analysis/rules/uninspected-egress';
import { rule as blackhole } from '../../../src/analysis/rules/blackhole-route';
import { rule as loop } from '../../../src/analysis/rules/routing-loop';
import { rule as crossAz } from '../../../src/analysis/rules/cross-az-egress';
import { distributedEgress } from '../../fixtures/analysis/distributedEgress';
import { aviatrix, azure, tgwEgress } from '../../fixtures/analysis/models';

const ROUTING_RULES = [bypass, returnOnly, crossAzAsym, applianceMode, uninspected, blackhole, loop, crossAz];

function run(rule: Rule, model: NetworkModel): RawFinding[] {
  const index = new ModelIndex(model);
  return rule.check({ model, index, egress: traceAllEgress(index), options: {} });
}

/** Every routing rule's codes on a model, so "must not fire" also means "nothing else fires". */
function allCodes(model: NetworkModel): string[] {
  return ROUTING_RULES.flatMap((r) => run(r, model).map(() => r.code)).sort();
}

describe('routing rules', () => {
  it('the correct distributed egress design fires no routing rule', () => {
    assert.deepEqual(allCodes(distributedEgress()), []);
    assert.deepEqual(allCodes(distributedEgress({ managedGwlb: true })), []);
  });

  describe('asymmetric-return-bypass', () => {
    it("fires on the IGW edge route table missing AZ a's NAT subnet, with an HCL route inserted before its closing brace", () => {
      const f = run(bypass, distributedEgress({ edgeMissingA: true }));
      assert.equal(f.length, 1);
      const x = f[0];
      assert.equal(x.elementId, 'rt_edge');
      assert.match(
        x.message,
        /subnet app_a \(10\.0\.1\.15\).*igw-edge-rt has no route for 10\.0\.10\.0\/24.*NAT GW natgw-a.*GWLB endpoint gwlbe-a \(us-east-1a\)/,
      );
      assert.deepEqual(x.traces, ['app_a']);
      assert.deepEqual(
        x.related.map((r) => r.message),
        ['forward leg is inspected through gwlbe-a', 'forward route 0.0.0.0/0 -> gwlbe-a in rt_nat_a'],
      );
      assert.deepEqual(x.fix!.edits, [
        {
          file: 'workload.tf',
          range: { start: { line: 212, character: 0 }, end: { line: 212, character: 0 } },
          newText: '  route {\n    cidr_block      = "10.0.10.0/24"\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id\n  }\n',
        },
      ]);
    });

    it("without any edge table: one finding on the IGW whose fix creates the table and its association with both AZs' routes", () => {
      const f = run(bypass, distributedEgress({ noEdgeTable: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'igw');
      assert.deepEqual(f[0].traces, ['app_a', 'app_b']);
      const text = f[0].fix!.edits[0].newText;
      assert.match(text, /resource "aws_route_table" "igw_edge"/);
      assert.match(text, /cidr_block {6}= "10\.0\.10\.0\/24"\n {4}vpc_endpoint_id = aws_vpc_endpoint\.gwlbe_a\.id/);
      assert.match(text, /cidr_block {6}= "10\.0\.11\.0\/24"\n {4}vpc_endpoint_id = aws_vpc_endpoint\.gwlbe_b\.id/);
      assert.match(text, /resource "aws_route_table_association" "igw_edge" \{\n {2}gateway_id {5}= "igw"/);
    });

    it('for a JSON export it gives the AWS CLI command as advice, no edits', () => {
      const m = distributedEgress({ edgeMissingA: true });
      for (const e of m.elements) e.loc = { ...e.loc, file: 'describe-route-tables.json' };
      const f = run(bypass, m);
      assert.deepEqual(f[0].fix!.edits, []);
      assert.match(
        f[0].fix!.title,
        /aws ec2 create-route --route-table-id rt_edge --destination-cidr-block 10\.0\.10\.0\/24 --vpc-endpoint-id gwlbe_a/,
      );
    });

    it('does not fire when the return leg is inspected, nor on uninspected forward legs', () => {
      assert.deepEqual(run(bypass, distributedEgress()), []);
      assert.deepEqual(run(bypass, distributedEgress({ mgmt: true })), []);
      assert.deepEqual(run(bypass, distributedEgress({ edgeCrossAz: true })), []);
    });
  });

  describe('asymmetric-cross-az', () => {
    it("fires on the edge route that sends AZ b's NAT subnet to AZ a's endpoint", () => {
      const f = run(crossAzAsym, distributedEgress({ edgeCrossAz: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'rt_edge#1');
      assert.match(
        f[0].message,
        /gwlbe-b \(us-east-1b\) but the reply comes back through gwlbe-a \(us-east-1a\), because route 10\.0\.11\.0\/24 -> gwlbe-a in igw-edge-rt/,
      );
      assert.deepEqual(
        f[0].related.map((r) => r.message),
        ['forward leg: GWLB endpoint gwlbe-b (us-east-1b)', 'return leg: GWLB endpoint gwlbe-a (us-east-1a)'],
      );
    });
    it('does not fire on a symmetric design', () => {
      assert.deepEqual(run(crossAzAsym, distributedEgress()), []);
    });
  });

  describe('asymmetric-return-only', () => {
    it('fires on the NAT route that bypasses the endpoint when the edge table still inspects the reply', () => {
      const f = run(returnOnly, distributedEgress({ natABypass: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'rt_nat_a#0');
      assert.match(f[0].message, /Only the reply to subnet app_a .* by route 0\.0\.0\.0\/0 -> workload-igw in rt_nat_a/);
      assert.equal(f[0].related[0].message, 'return route 10.0.10.0/24 -> gwlbe-a in igw-edge-rt');
    });
    it('does not fire when neither or both legs are inspected', () => {
      assert.deepEqual(run(returnOnly, distributedEgress()), []);
      assert.deepEqual(run(returnOnly, distributedEgress({ mgmt: true })), []);
    });
  });

  describe('uninspected-egress', () => {
    it('fires on the subnet route straight to the IGW', () => {
      const f = run(uninspected, distributedEgress({ mgmt: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'rt_mgmt#0');
      assert.match(f[0].message, /subnet mgmt \(10\.0\.30\.10\) reaches the internet through workload-igw without any enforcement point/);
      assert.equal(f[0].related[0].message, 'leaves for the internet through workload-igw');
    });
    it('names every subnet that shares the offending route, once', () => {
      const m = distributedEgress({ mgmt: true });
      m.elements.push({
        id: 'mgmt2',
        kind: 'subnet',
        name: 'mgmt2',
        loc: m.elements[0].loc,
        cloud: 'aws',
        vpc: 'vpc',
        cidr: '10.0.31.0/24',
        az: 'us-east-1b',
      });
      m.elements.push({
        id: 'assoc_mgmt2',
        kind: 'rtAssociation',
        name: 'assoc_mgmt2',
        loc: m.elements[0].loc,
        cloud: 'aws',
        routeTable: 'rt_mgmt',
        subnet: 'mgmt2',
      });
      const f = run(uninspected, m);
      assert.equal(f.length, 1);
      assert.deepEqual(f[0].traces, ['mgmt', 'mgmt2']);
      assert.match(f[0].message, /^subnet mgmt \(10\.0\.30\.10\), subnet mgmt2 \(10\.0\.31\.10\) reach the internet through workload-igw/);
    });

    it('fires on an Azure subnet left to the system Internet route, not on the NVA-routed one', () => {
      const f = run(uninspected, azure());
      assert.deepEqual(
        f.map((x) => x.traces),
        [['direct']],
      );
    });
    it('does not fire on inspected paths, Aviatrix local egress, or return-only inspection', () => {
      assert.deepEqual(run(uninspected, distributedEgress()), []);
      assert.deepEqual(run(uninspected, aviatrix()), []);
      assert.deepEqual(run(uninspected, distributedEgress({ natABypass: true })), []);
    });
  });

  describe('blackhole-route', () => {
    it('fires on a blackhole VPC route (an export: its target was deleted), not on a target absent from the inputs nor on a written TGW blackhole', () => {
      assert.deepEqual(
        run(blackhole, distributedEgress({ natABlackhole: true })).map((f) => f.elementId),
        ['rt_nat_a#0'],
      );
      const m = distributedEgress();
      (m.elements.find((e) => e.id === 'rt_app_b') as { routes: { target: object }[] }).routes[0].target = {
        kind: 'natgw',
        ref: 'nat-0gone',
      };
      // An id no element of the inputs has is missing input (made elsewhere, not exported), not a drop.
      assert.deepEqual(run(blackhole, m), []);
      // A TGW blackhole is written to drop (review s16 R10): on the forward leg it is the design (writtenBlackhole.test.ts).
      assert.deepEqual(run(blackhole, tgwEgress({ tgwBlackhole: true })), []);
    });
    it('does not fire on working paths or on next hop None (an intended drop)', () => {
      assert.deepEqual(run(blackhole, distributedEgress()), []);
      assert.deepEqual(run(blackhole, azure()), []);
    });
    it("decides on the outcome's cause, not on its reason text", () => {
      const m = distributedEgress({ natABlackhole: true });
      const index = new ModelIndex(m);
      const egress = traceAllEgress(index);
      const reworded = egress.map((eg) => ({ ...eg, forward: { ...eg.forward, outcome: { ...eg.forward.outcome, reason: 'reworded' } } }));
      assert.deepEqual(
        blackhole.check({ model: m, index, egress: reworded, options: {} }).map((f) => f.elementId),
        ['rt_nat_a#0'],
      );
      // The same drop told as a missing route (its text still says "blackhole") is not this rule's.
      const recaused = egress.map((eg) => ({
        ...eg,
        forward: {
          ...eg.forward,
          outcome: eg.forward.outcome.kind === 'dropped' ? { ...eg.forward.outcome, cause: 'no-route' as const } : eg.forward.outcome,
        },
      }));
      assert.deepEqual(blackhole.check({ model: m, index, egress: recaused, options: {} }), []);
    });
  });

  describe('routing-loop', () => {
    it('fires once on the route that closes the cycle', () => {
      const f = run(loop, distributedEgress({ loop: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'rt_gwlbe#0');
      assert.match(f[0].message, /natgw-a -> gwlbe-a -> egress-gwlb -> egress-fw -> gwlbe-a -> natgw-a/);
      assert.deepEqual(
        run(loop, azure({ nvaLoop: true })).map((x) => x.elementId),
        ['udr_nva#0'],
      );
    });
    it('does not fire without a loop', () => {
      assert.deepEqual(run(loop, distributedEgress()), []);
      assert.deepEqual(run(loop, azure()), []);
    });
  });

  describe('cross-az-egress', () => {
    it("fires on the app route to the other AZ's NAT GW", () => {
      const f = run(crossAz, distributedEgress({ appBToNatA: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'rt_app_b#0');
      assert.match(f[0].message, /us-east-1b egresses through NAT GW natgw-a in us-east-1a/);
    });
    it('does not fire when each AZ uses its own NAT GW and endpoint', () => {
      assert.deepEqual(run(crossAz, distributedEgress()), []);
    });
  });

  describe('tgw-appliance-mode-off', () => {
    it('fires on the inspection VPC attachment when spoke-to-spoke traffic crosses it, with an HCL edit of appliance_mode_support', () => {
      const f = run(applianceMode, tgwEgress({ secondAz: true, secondSpoke: true }));
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'att_egress');
      assert.match(
        f[0].message,
        /traffic from att-spoke(2)? to 10\.[12]\.0\.0\/16 \(att-spoke(2)?\) crosses it \(TGW route table spokes sends it there/,
      );
      assert.deepEqual(f[0].location.range, { start: { line: 50, character: 27 }, end: { line: 50, character: 36 } });
      // The traced paths are internet egress, leaving by the egress VPC's NAT GW: none crosses it.
      assert.equal(f[0].traces, undefined);
      assert.deepEqual(f[0].fix!.edits, [
        { file: 'tgw.tf', range: { start: { line: 50, character: 27 }, end: { line: 50, character: 36 } }, newText: '"enable"' },
      ]);
    });
    it('does not fire with appliance mode on, nor for the spoke attachment', () => {
      assert.deepEqual(run(applianceMode, tgwEgress({ applianceMode: true, secondAz: true, secondSpoke: true })), []);
    });
    it('does not fire on egress only: one spoke, whose replies come back through the NAT GW that translated them', () => {
      assert.deepEqual(run(applianceMode, tgwEgress({ secondAz: true })), []);
    });
    it('does not fire when the inspection VPC has one endpoint in one AZ: both directions meet it', () => {
      assert.deepEqual(run(applianceMode, tgwEgress({ secondSpoke: true })), []);
    });
  });

  it('every routing rule has a docs/rules page carrying its doc text', () => {
    for (const r of ROUTING_RULES) {
      const md = readFileSync(join(__dirname, '../../../../docs/rules', `${r.code}.md`), 'utf8');
      assert.ok(md.startsWith(`# ${r.code}\n`), r.code);
      assert.ok(md.includes(r.doc), `${r.code}: docs/rules/${r.code}.md is out of step with the rule's doc`);
      assert.ok(md.includes(`**${r.defaultSeverity}**`), r.code);
    }
  });
});
