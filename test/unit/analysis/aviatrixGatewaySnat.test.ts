// Customized SNAT (aviatrix_gateway_snat) on a spoke gateway, F89: policies that translate traffic out of eth0
// toward 0.0.0.0/0 are local egress, as single_ip_snat is; a gateway with customized SNAT never gets the
// single_ip_snat fix (the two modes are exclusive); policies not decidable offline leave SNAT Unresolved.
import * as assert from 'node:assert/strict';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { AviatrixGateway } from '../../../src/model/types';
import { isUnresolved } from '../../../src/model/types';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const example = exampleTfFiles('aviatrix-dcf');

/** The example with the prod spoke's single IP SNAT replaced by this customized SNAT resource. */
function withCustomSnat(snat: string, extra: Record<string, string> = {}): Promise<AnalysisResult> {
  const spokes = replaceOnce(example['spokes.tf'], [
    '  subnet         = aviatrix_vpc.spoke["prod"].public_subnets[0].cidr\n  single_ip_snat = true\n',
    '  subnet         = aviatrix_vpc.spoke["prod"].public_subnets[0].cidr\n',
  ]);
  return analyzeFiles({ ...example, 'spokes.tf': spokes, 'snat.tf': snat, ...extra });
}

const policy = (dst: string, itf: string, conn: string): string =>
  `  snat_policy {\n    src_cidr   = "10.10.0.0/16"\n    dst_cidr   = ${dst}\n    protocol   = "all"\n    interface  = ${itf}\n    connection = ${conn}\n    snat_ips   = aviatrix_spoke_gateway.prod.private_ip\n  }\n`;

const snatResource = (gwName: string, ...policies: string[]): string =>
  `resource "aviatrix_gateway_snat" "prod" {\n  gw_name   = ${gwName}\n  snat_mode = "customized_snat"\n\n${policies.join('\n')}}\n`;

const toTransit = policy('"0.0.0.0/0"', '""', 'aviatrix_transit_gateway.egress.gw_name');
const toInternet = policy('"0.0.0.0/0"', '"eth0"', '""');

function prodGateway(r: AnalysisResult): AviatrixGateway {
  const gw = r.model.elements.find((e) => e.id === 'aviatrix_spoke_gateway.prod');
  assert.ok(gw?.kind === 'aviatrixGateway');
  return gw;
}

const webNoSnat = (r: AnalysisResult) => r.findings.filter((f) => f.code === 'dcf-webgroup-without-snat');
const prodState = (r: AnalysisResult) => r.states.find((s) => s.name === 'prod-vpc');

describe('aviatrix_gateway_snat (customized SNAT, F89)', () => {
  it('without SNAT at all the prod spoke gets the single_ip_snat fix (the baseline the variants change)', async () => {
    const r = await analyzeFiles({
      ...example,
      'spokes.tf': replaceOnce(example['spokes.tf'], [
        '  single_ip_snat = true\n\n  manage_transit_gateway_attachment = false\n}\n\nresource "aviatrix_spoke_gateway" "dev"',
        '  single_ip_snat = false\n\n  manage_transit_gateway_attachment = false\n}\n\nresource "aviatrix_spoke_gateway" "dev"',
      ]),
    });
    const f = webNoSnat(r);
    assert.equal(f.length, 1);
    assert.match(f[0].fix!.title, /single_ip_snat = true/);
  });

  it('a policy out of eth0 toward 0.0.0.0/0 is local egress: SNAT on, no finding, the WebGroup policies enforce', async () => {
    const r = await withCustomSnat(snatResource('aviatrix_spoke_gateway.prod.gw_name', toTransit, toInternet));
    const gw = prodGateway(r);
    assert.equal(gw.snat, true);
    assert.equal(gw.customizedSnat?.file, 'snat.tf');
    assert.deepEqual(webNoSnat(r), []);
    assert.equal(prodState(r)?.state, 'Protected');
  });

  it('names the gateway by its gw_name as written, too', async () => {
    const r = await withCustomSnat(snatResource('"prod-spoke"', toInternet));
    assert.equal(prodGateway(r).snat, true);
    assert.deepEqual(webNoSnat(r), []);
  });

  it('policies only toward the transit or private space: SNAT off, the finding has no single_ip_snat fix and points at the SNAT resource', async () => {
    const r = await withCustomSnat(
      snatResource('aviatrix_spoke_gateway.prod.gw_name', toTransit, policy('"100.64.0.0/10"', '"eth0"', '""')),
    );
    assert.equal(prodGateway(r).snat, false);
    const f = webNoSnat(r);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].fix, undefined);
    assert.equal(f[0].location.file, 'snat.tf');
    assert.match(f[0].message, /customized SNAT policies/);
  });

  it('a policy not decidable offline: SNAT Unresolved, the rule quiet, the VPC Unknown', async () => {
    const r = await withCustomSnat(
      snatResource('aviatrix_spoke_gateway.prod.gw_name', toTransit, policy('var.internet_cidr', '"eth0"', '""')),
      { 'more.tf': 'variable "internet_cidr" {\n  type = string\n}\n' },
    );
    assert.ok(isUnresolved(prodGateway(r).snat));
    assert.deepEqual(webNoSnat(r), []);
    assert.equal(prodState(r)?.state, 'Unknown');
  });

  it('an mc-spoke gateway named by the module output module.<call>.spoke_gateway.gw_name', async () => {
    const snat = `resource "aviatrix_gateway_snat" "shared" {\n  gw_name = module.shared.spoke_gateway.gw_name\n\n${toInternet}}\n`;
    const spokes = replaceOnce(example['spokes.tf'], ['  single_ip_snat = true\n  ha_gw          = false\n', '  ha_gw          = false\n']);
    const r = await analyzeFiles({ ...example, 'spokes.tf': spokes, 'snat.tf': snat });
    const gw = r.model.elements.find((e) => e.id === 'module.shared.aviatrix_spoke_gateway.default');
    assert.ok(gw?.kind === 'aviatrixGateway');
    assert.equal(gw.snat, true);
    assert.equal(gw.customizedSnat?.file, 'snat.tf');
  });

  it('a gateway name not decidable offline leaves the spokes whose SNAT is not written Unresolved', async () => {
    const snat = `variable "which" {\n  type = string\n}\n\nresource "aviatrix_gateway_snat" "some" {\n  gw_name = var.which\n\n${toInternet}}\n`;
    const r = await withCustomSnat(snat);
    assert.ok(isUnresolved(prodGateway(r).snat));
    const dev = r.model.elements.find((e) => e.id === 'aviatrix_spoke_gateway.dev');
    assert.ok(dev?.kind === 'aviatrixGateway');
    assert.equal(dev.snat, true);
    assert.deepEqual(webNoSnat(r), []);
  });
});
