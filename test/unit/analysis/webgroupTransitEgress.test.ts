// A WebGroup policy selecting a spoke whose internet traffic leaves through an Egress Transit FireNet (a transit
// gateway with the egress capability): the spoke gateway's SNAT is off because egress is central, not because
// local egress was forgotten. dcf-webgroup-without-snat's quick fix (single_ip_snat = true) would move that spoke's
// egress off the FireNet and change its public source address (review s16 R7): no error there; the info
// legacy-transit-egress names the WebGroup policy instead. A spoke with SNAT off and no transit egress keeps the error.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const withWebPolicyOn = (spokeSnatOff: string, attachToEgress: boolean): Record<string, string> => {
  const files = exampleTfFiles('aviatrix-dcf');
  files['spokes.tf'] = replaceOnce(files['spokes.tf'], [
    `gw_name        = "${spokeSnatOff}-spoke"`,
    `gw_name        = "${spokeSnatOff}-spoke"\n  # (SNAT off below)`,
  ]);
  // The spoke's own single_ip_snat: the first after its gw_name.
  const text = files['spokes.tf'];
  const at = text.indexOf(`gw_name        = "${spokeSnatOff}-spoke"`);
  const snat = text.indexOf('single_ip_snat = true', at);
  files['spokes.tf'] = text.slice(0, snat) + 'single_ip_snat = false' + text.slice(snat + 'single_ip_snat = true'.length);
  files['dcf.tf'] = replaceOnce(files['dcf.tf'], [
    'src_smart_groups = [aviatrix_smart_group.prod.uuid]\n    dst_smart_groups = [local.public_internet]\n    web_groups       = [aviatrix_web_group.ipinfo.uuid]',
    `src_smart_groups = [aviatrix_smart_group.prod.uuid, aviatrix_smart_group.${spokeSnatOff}.uuid]\n    dst_smart_groups = [local.public_internet]\n    web_groups       = [aviatrix_web_group.ipinfo.uuid]`,
  ]);
  if (!attachToEgress)
    files['transit.tf'] = replaceOnce(files['transit.tf'], [
      'enable_egress_transit_firenet = true',
      'enable_egress_transit_firenet = false',
    ]);
  return files;
};

describe('dcf-webgroup-without-snat and Egress Transit FireNet', () => {
  before(async () => {
    await initTerraform();
  });

  it('a spoke whose egress leaves through the egress transit: no error, no quick fix; legacy-transit-egress names the policy', async () => {
    const res = await analyzeFiles(withWebPolicyOn('analytics', true));
    assert.deepEqual(
      res.findings.filter((f) => f.code === 'dcf-webgroup-without-snat'),
      [],
    );
    const legacy = res.findings.filter((f) => f.code === 'legacy-transit-egress');
    assert.equal(legacy.length, 1);
    assert.match(legacy[0].message, /egress of aviatrix_vpc\.spoke\["analytics"\] leaves through it/);
    assert.match(
      legacy[0].message,
      /WebGroup policy "prod-https-ipinfo" \(priority 100\) selects VPCs whose egress leaves here, not from their spoke gateways/,
    );
  });

  it('a spoke whose transit is not known offline: no path decided, no error (F309)', async () => {
    const files = withWebPolicyOn('analytics', false);
    // The attachment names a transit by a variable without a default (as a transit module's output would be): where
    // the spoke's traffic leaves, a transit's egress included, is not decided.
    files['transit.tf'] = replaceOnce(files['transit.tf'], [
      'transit_gw_name = aviatrix_transit_gateway.egress.gw_name',
      'transit_gw_name = var.elsewhere_transit',
    ]);
    files['variables.tf'] += '\nvariable "elsewhere_transit" {\n  type = string\n}\n';
    const res = await analyzeFiles(files);
    const state = res.states.find((s) => s.vpc === 'aviatrix_vpc.spoke["analytics"]');
    assert.equal(state?.state, 'Unknown', JSON.stringify(state));
    assert.deepEqual(
      res.findings.filter((f) => f.code === 'dcf-webgroup-without-snat'),
      [],
    );
  });

  it('without the egress capability the same spoke keeps the error and its quick fix', async () => {
    const res = await analyzeFiles(withWebPolicyOn('analytics', false));
    const f = res.findings.filter((x) => x.code === 'dcf-webgroup-without-snat');
    assert.equal(f.length, 1, JSON.stringify(res.findings.map((x) => x.code)));
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].fix?.title, 'Set single_ip_snat = true on aviatrix_spoke_gateway.analytics (local egress)');
  });
});
