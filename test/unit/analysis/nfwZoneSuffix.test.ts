// A route's VpcEndpointId written as the zone-suffix idiom over a Network Firewall's unordered EndpointIds:
// `!Select [0, !Split [',', !Select [1, !Split ['a:', !Join [',', !GetAtt FW.EndpointIds]]]]]` is the firewall's
// endpoint in the AZ whose name ends in "a". Decided from the AZs of the firewall's subnet mappings; Unresolved
// when one is not known offline, when several end so, or when none does. Fixture: test/fixtures/nfw-zone-suffix
// (ours).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult, SubnetEgress } from '../../../src/analysis/types';
import type { Route } from '../../../src/model/types';

const FILE = 'template.yaml';
const BASE = readFileSync(join(__dirname, '../../../../test/fixtures/nfw-zone-suffix', FILE), 'utf8');
const id = (logical: string): string => `cfn:${FILE}#${logical}`;
const endpoint = (subnet: string): string => `${id('Firewall')}/endpoint/${subnet}`;

const run = (text: string): Promise<AnalysisResult> => analyzeFiles({ [FILE]: text });

function route(r: AnalysisResult, logical: string): Route {
  const found = r.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : [])).find((x) => x.id === id(logical));
  assert.ok(found, logical);
  return found;
}

function egress(r: AnalysisResult, subnet: string): SubnetEgress {
  const eg = r.egress.find((e) => e.subnet === id(subnet));
  assert.ok(eg, subnet);
  return eg;
}

/** The reason a route's target is not known, or the endpoint it names. */
function targetOf(r: AnalysisResult, logical: string): string {
  const ref = route(r, logical).target.ref;
  return ref === undefined ? '(none)' : typeof ref === 'string' ? ref : `unresolved: ${ref.reason}`;
}

const state = (r: AnalysisResult): string | undefined => r.states.find((s) => s.vpc === id('Vpc'))?.state;

const AZ_B = '      AvailabilityZone: !Sub ${AWS::Region}b\n      CidrBlock: 10.70.0.16/28';

describe('CloudFormation zone-suffix pick of a Network Firewall endpoint (!Split at "a:" of the joined EndpointIds)', function () {
  this.timeout(60000);

  it('the AZs end in the letters the splits name: each route is the endpoint of its AZ, both ways through it, Protected', async () => {
    const r = await run(BASE);
    assert.equal(targetOf(r, 'WorkloadDefaultA'), endpoint('FirewallSubnetA'));
    assert.equal(targetOf(r, 'EdgeToWorkloadA'), endpoint('FirewallSubnetA'));
    assert.equal(targetOf(r, 'WorkloadDefaultB'), endpoint('FirewallSubnetB'));
    assert.equal(targetOf(r, 'EdgeToWorkloadB'), endpoint('FirewallSubnetB'));
    for (const [subnet, fw] of [
      ['WorkloadSubnetA', 'FirewallSubnetA'],
      ['WorkloadSubnetB', 'FirewallSubnetB'],
    ]) {
      const eg = egress(r, subnet);
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: id('Firewall') }]);
        assert.ok(
          leg.hops.some((h) => h.element === endpoint(fw)),
          `${subnet} passes ${fw}'s endpoint`,
        );
        assert.ok(!leg.hops.some((h) => h.element === endpoint(fw === 'FirewallSubnetA' ? 'FirewallSubnetB' : 'FirewallSubnetA')));
      }
    }
    assert.equal(state(r), 'Protected');
    assert.deepEqual(r.findings, []);
  });

  it('AZs written as literal names or as a Join ending in the letter are read alike', async () => {
    const r = await run(
      replaceOnce(
        BASE,
        [
          '      AvailabilityZone: !Sub ${AWS::Region}a\n      CidrBlock: 10.70.0.0/28',
          '      AvailabilityZone: eu-west-1a\n      CidrBlock: 10.70.0.0/28',
        ],
        [AZ_B, "      AvailabilityZone: !Join ['', [!Ref AWS::Region, b]]\n      CidrBlock: 10.70.0.16/28"],
      ),
    );
    assert.equal(targetOf(r, 'WorkloadDefaultA'), endpoint('FirewallSubnetA'));
    assert.equal(targetOf(r, 'WorkloadDefaultB'), endpoint('FirewallSubnetB'));
    assert.equal(state(r), 'Protected');
  });

  it("a mapping's AZ not known offline: the pick is Unresolved naming that subnet, and the VPC Unknown", async () => {
    const r = await run(replaceOnce(BASE, [AZ_B, "      AvailabilityZone: !Select [1, !GetAZs '']\n      CidrBlock: 10.70.0.16/28"]));
    for (const logical of ['WorkloadDefaultA', 'WorkloadDefaultB'])
      assert.match(
        targetOf(r, logical),
        /^unresolved: Firewall\.EndpointIds split at '[ab]:' is the firewall's endpoint in the AZ whose name ends in "[ab]"; the AZ of subnet FirewallSubnetB \(!Select \[1, !GetAZs ''\]\) is not known offline/,
      );
    assert.equal(egress(r, 'WorkloadSubnetA').forward.outcome.kind, 'unknown');
    assert.equal(state(r), 'Unknown');
    assert.deepEqual(r.findings, []);
  });

  it('two mappings in AZs ending in the letter: which one the split takes depends on the order AWS lists them in', async () => {
    const r = await run(replaceOnce(BASE, [AZ_B, '      AvailabilityZone: !Sub ${AWS::Region}-lax-1a\n      CidrBlock: 10.70.0.16/28']));
    assert.match(
      targetOf(r, 'WorkloadDefaultA'),
      /; subnets FirewallSubnetA, FirewallSubnetB are all in AZs ending so, and which endpoint the split takes depends on the order AWS lists them in$/,
    );
    // No mapping ends in "b" any more.
    assert.match(targetOf(r, 'WorkloadDefaultB'), /no subnet mapping of it is in such an AZ, so the Fn::Select finds no item/);
    assert.equal(state(r), 'Unknown');
    assert.deepEqual(r.findings, []);
  });

  it('a firewall with one subnet mapping: the split at its AZ letter is its endpoint, at another letter no item', async () => {
    const r = await run(
      replaceOnce(BASE, [
        '        - SubnetId: !Ref FirewallSubnetA\n        - SubnetId: !Ref FirewallSubnetB\n',
        '        - SubnetId: !Ref FirewallSubnetA\n',
      ]),
    );
    assert.equal(targetOf(r, 'WorkloadDefaultA'), endpoint('FirewallSubnetA'));
    assert.match(targetOf(r, 'WorkloadDefaultB'), /in the AZ whose name ends in "b"; no subnet mapping of it is in such an AZ/);
    assert.deepEqual(egress(r, 'WorkloadSubnetA').forward.outcome, { kind: 'delivered' });
  });

  it('the split value taken without the second split (an id followed by the rest of the list) is not read as the endpoint', async () => {
    const r = await run(
      replaceOnce(BASE, [
        '      DestinationCidrBlock: 0.0.0.0/0\n      VpcEndpointId: !Select [0, !Split [",", !Select [1, !Split ["a:", !Join [",", !GetAtt Firewall.EndpointIds]]]]]',
        '      DestinationCidrBlock: 0.0.0.0/0\n      VpcEndpointId: !Select [1, !Split ["a:", !Join [",", !GetAtt Firewall.EndpointIds]]]',
      ]),
    );
    assert.match(
      targetOf(r, 'WorkloadDefaultA'),
      /^unresolved: what follows 'a:' in Firewall\.EndpointIds joined with ',' is an endpoint id followed by the endpoints listed after it$/,
    );
  });
});
