// AWS Network Firewall attached to a transit gateway natively (examples/aws-tgw-attached-firewall): the firewall
// is a TGW attachment, both legs of every spoke pass it between the TGW's two route tables.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const EXAMPLES = join(__dirname, '../../../../examples');

async function analyzeFolder(name: string, edit: (file: string, text: string) => string = (_f, t) => t): Promise<AnalysisResult> {
  const dir = join(EXAMPLES, name);
  const ws = await createWorkspace();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.tf'))) ws.setFile(f, edit(f, readFileSync(join(dir, f), 'utf8')));
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;
const WORKLOADS = ['app-a', 'app-b', 'data-a', 'data-b'].map((k) => `aws_subnet.workload["${k}"]`);

describe('example aws-tgw-attached-firewall (AWS Network Firewall attached to the TGW natively)', function () {
  this.timeout(60000);

  it('no finding; both spokes Protected by the firewall policy, the egress VPC an Egress hub; score 100 over 2', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    assert.deepEqual(r.findings, []);
    for (const vpc of ['aws_vpc.spoke["app"]', 'aws_vpc.spoke["data"]']) {
      assert.equal(stateOf(r, vpc).state, 'Protected');
      assert.match(stateOf(r, vpc).reason, /aws_networkfirewall_firewall_policy\.spokes .*default drop \(aws:drop_established\)/);
    }
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Egress hub');
    assert.equal(r.score.counted, 2);
    assert.equal(r.score.score, 100);
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      WORKLOADS,
    );
  });

  it('forward: spokes-rt sends 0/0 to the firewall, inspected-rt to the egress VPC; back: spokes-rt to the firewall, then the propagated spoke CIDR', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    for (const s of WORKLOADS) {
      const eg = r.egress.find((e) => e.subnet === s)!;
      const [spoke, az] = s.slice('aws_subnet.workload["'.length, -2).split('-');
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: 'aws_networkfirewall_firewall.tgw' }]);
      }
      assert.deepEqual(
        eg.forward.hops.map((h) => `${h.kind} ${h.name}`),
        [
          `subnet ${spoke}-${az}-workload`,
          'tgw hub-tgw',
          'firewall hub-firewall',
          'tgw hub-tgw',
          'tgwAttachment egress-attachment',
          `natgw nat-${az}`,
          'igw egress-igw',
          'internet internet',
        ],
      );
      const fwdTgw = eg.forward.hops.filter((h) => h.kind === 'tgw').map((h) => h.decision!.route);
      assert.deepEqual(fwdTgw, ['aws_ec2_transit_gateway_route.to_firewall', 'aws_ec2_transit_gateway_route.to_egress']);
      const back = eg.return!.hops.filter((h) => h.kind === 'tgw');
      assert.equal(back[0].decision!.route, 'aws_ec2_transit_gateway_route.to_firewall');
      assert.equal(
        back[1].decision!.route,
        `aws_ec2_transit_gateway_route_table.inspected#propagated:aws_ec2_transit_gateway_vpc_attachment.spoke["${spoke}"]:10.${spoke === 'app' ? 1 : 2}.0.0/16`,
      );
      // The reply leaves the egress VPC in the AZ its NAT GW is in, and enters the spoke in the source's AZ.
      assert.equal(eg.return!.hops.find((h) => h.kind === 'natgw')!.name, `nat-${az}`);
      assert.equal(eg.return!.hops.find((h) => h.kind === 'tgwAttachment')!.az, `us-east-1${az}`);
    }
  });

  it('appliance mode is not asked of the egress attachment (no appliance there) nor of the firewall (AWS manages its attachment)', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall');
    const att = r.model.elements.find((e) => e.id === 'aws_ec2_transit_gateway_vpc_attachment.egress');
    assert.ok(att?.kind === 'tgwAttachment' && att.applianceMode === false, 'the egress attachment has appliance mode off (not written)');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'tgw-appliance-mode-off'),
      [],
    );
  });

  it('without the firewall route in spokes-rt the spokes have no route to the internet: dropped at the TGW, never "uninspected"', async () => {
    const r = await analyzeFolder('aws-tgw-attached-firewall', (f, t) =>
      f === 'main.tf' ? t.replace(/resource "aws_ec2_transit_gateway_route" "to_firewall" \{[^}]*\}/, '') : t,
    );
    const eg = r.egress.find((e) => e.subnet === WORKLOADS[0])!;
    assert.equal(eg.forward.outcome.kind, 'dropped');
    assert.deepEqual(eg.forward.inspectedBy, []);
    assert.ok(!r.findings.some((f) => f.code === 'uninspected-egress'));
  });
});
