// Each DCF rule against a minimal model that fires it and a near-identical one that must not.
import * as assert from 'assert';
import type { Rule, RuleContext } from '../../../src/analysis/rules/rule';
import type { NetworkElement } from '../../../src/model/types';
import { unresolved } from '../../../src/model/types';
import type { SubnetEgress } from '../../../src/analysis/types';
import { rule as notCovering } from '../../../src/analysis/rules/dcf-not-covering';
import { rule as permitAll } from '../../../src/analysis/rules/dcf-permit-all-egress';
import { rule as disabled } from '../../../src/analysis/rules/dcf-disabled';
import { rule as unmanaged } from '../../../src/analysis/rules/dcf-enablement-unmanaged';
import { rule as webNoSnat } from '../../../src/analysis/rules/dcf-webgroup-without-snat';
import { rule as shadowed } from '../../../src/analysis/rules/dcf-shadowed-policy';
import { rule as unresolvedGroup } from '../../../src/analysis/rules/dcf-unresolved-group';
import { rule as undersized, isUndersized } from '../../../src/analysis/rules/gateway-undersized';
import { rule as legacy } from '../../../src/analysis/rules/legacy-transit-egress';
import {
  ANYWHERE,
  PUBLIC_INTERNET,
  dcfConfig,
  egress,
  externalGroup,
  model,
  policy,
  smartGroup,
  spoke,
  vpc,
  webGroup,
} from '../../fixtures/dcf/build';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { loadExample } from '../../fixtures/dcf/examples';

function run(r: Rule, elements: NetworkElement[], eg: SubnetEgress[] = []) {
  const { model: m, index } = model(...elements);
  const ctx: RuleContext = { model: m, index, egress: eg, options: {} };
  return r.check(ctx);
}

const prodVpc = vpc('aviatrix_vpc.prod', '10.10.0.0/16');
const devVpc = vpc('aviatrix_vpc.dev', '10.20.0.0/16');
const prodSg = smartGroup('aviatrix_smart_group.prod', [{ cidr: '10.10.0.0/16' }]);
const devSg = smartGroup('aviatrix_smart_group.dev', [{ cidr: '10.20.0.0/16' }]);
const prodGw = spoke('aviatrix_spoke_gateway.prod', prodVpc.id);
const devGw = spoke('aviatrix_spoke_gateway.dev', devVpc.id);
const ipinfo = webGroup('aviatrix_web_group.ipinfo', ['ipinfo.io']);
const https = policy('pl#prod-https', 100, 'permit', [prodSg.id], [PUBLIC_INTERNET.id], {
  protocol: 'tcp',
  ports: [{ lo: 443, hi: 443 }],
  webGroups: [ipinfo.id],
});
const denyAll = policy('pl#prod-deny', 1000, 'deny', [prodSg.id], [ANYWHERE.id]);
const base: NetworkElement[] = [prodVpc, devVpc, prodSg, devSg, ANYWHERE, PUBLIC_INTERNET, ipinfo, dcfConfig(true), https, denyAll];

describe('rules: DCF', () => {
  it('every DCF rule has a doc page with the same text', () => {
    for (const r of [notCovering, permitAll, disabled, unmanaged, webNoSnat, shadowed, unresolvedGroup, undersized, legacy]) {
      const md = fs.readFileSync(path.join(__dirname, '../../../../docs/rules', `${r.code}.md`), 'utf8');
      assert.ok(md.startsWith(`# ${r.code}\n`), r.code);
      assert.ok(md.includes(r.doc), `${r.code} doc page differs from the rule's doc`);
      assert.ok(md.includes(`**${r.defaultSeverity}**`), r.code);
    }
  });

  describe('dcf-not-covering', () => {
    const eg = [
      egress(prodVpc.id, prodVpc.id, [{ kind: 'aviatrix-dcf', element: prodGw.id }]),
      egress(devVpc.id, devVpc.id, [{ kind: 'aviatrix-dcf', element: devGw.id }]),
    ];
    it('fires for the VPC no policy selects, at its spoke gateway', () => {
      const f = run(notCovering, [...base, prodGw, devGw], eg);
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, devGw.id);
      assert.deepStrictEqual(f[0].location, devGw.loc);
      assert.match(f[0].message, /aviatrix_vpc\.dev egresses through spoke gateway aviatrix_spoke_gateway\.dev/);
    });
    it('does not fire once a policy selects it (here: from Anywhere)', () => {
      const all = policy('pl#all', 50, 'permit', [ANYWHERE.id], [ANYWHERE.id], { protocol: 'icmp' });
      assert.deepStrictEqual(run(notCovering, [...base, prodGw, devGw, all], eg), []);
    });
    it('falls back to local-egress spokes when nothing was traced', () => {
      const f = run(notCovering, [...base, prodGw, devGw]);
      assert.deepStrictEqual(
        f.map((x) => x.elementId),
        [devGw.id],
      );
    });
    it('leaves disabled DCF to dcf-disabled', () => {
      const off = base.map((e) => (e.kind === 'dcfConfig' ? dcfConfig(false) : e));
      assert.deepStrictEqual(run(notCovering, [...off, prodGw, devGw], eg), []);
    });
  });

  describe('dcf-permit-all-egress', () => {
    it('fires for a permit to Anywhere without WebGroup or ports', () => {
      const p = policy('pl#dev-all', 200, 'permit', [devSg.id], [ANYWHERE.id]);
      const f = run(permitAll, [...base, p]);
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, p.id);
      assert.deepStrictEqual(f[0].location, p.loc);
      assert.match(f[0].message, /"dev-all" \(priority 200\) permits all protocols from dev to Anywhere/);
    });
    it('fires for Public Internet and TCP-any-port too', () => {
      const p = policy('pl#tcp', 200, 'permit', [devSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp' });
      assert.strictEqual(run(permitAll, [...base, p]).length, 1);
    });
    it('does not fire with a port limit, a WebGroup, ICMP only, watch mode, a deny, or a specific destination', () => {
      const us = smartGroup('aviatrix_smart_group.us', [{ cidr: '8.8.8.8/32' }]);
      const ps = [
        policy('pl#a', 200, 'permit', [devSg.id], [ANYWHERE.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] }),
        policy('pl#b', 201, 'permit', [devSg.id], [ANYWHERE.id], { protocol: 'tcp', webGroups: [ipinfo.id] }),
        policy('pl#c', 202, 'permit', [devSg.id], [ANYWHERE.id], { protocol: 'icmp' }),
        policy('pl#d', 203, 'permit', [devSg.id], [ANYWHERE.id], { watch: true }),
        policy('pl#e', 204, 'deny', [devSg.id], [ANYWHERE.id]),
        policy('pl#f', 205, 'permit', [devSg.id], [us.id]),
      ];
      assert.deepStrictEqual(run(permitAll, [...base, us, ...ps]), []);
    });
  });

  describe('dcf-disabled', () => {
    it('fires at enable_distributed_firewalling = false with a fix to true', () => {
      const cfg = dcfConfig(false);
      const f = run(disabled, [...base.filter((e) => e.kind !== 'dcfConfig'), cfg]);
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, cfg.id);
      assert.deepStrictEqual(f[0].location.range, cfg.attrs!['enable_distributed_firewalling']);
      assert.deepStrictEqual(f[0].fix!.edits, [
        { file: cfg.loc.file, range: cfg.attrs!['enable_distributed_firewalling'], newText: 'true' },
      ]);
      assert.match(f[0].message, /2 DCF policies exist/);
    });
    it('does not fire when enabled, when undecidable, without policies, or when no config is in the inputs (F94)', () => {
      assert.deepStrictEqual(run(disabled, base), []);
      const unk = dcfConfig(unresolved('var.dcf', 'variable without default'));
      assert.deepStrictEqual(run(disabled, [...base.filter((e) => e.kind !== 'dcfConfig'), unk]), []);
      assert.deepStrictEqual(run(disabled, [prodVpc, dcfConfig(false)]), []);
      assert.deepStrictEqual(
        run(
          disabled,
          base.filter((e) => e.kind !== 'dcfConfig'),
        ),
        [],
      );
    });
  });

  describe('dcf-enablement-unmanaged', () => {
    it('tells at the first policy, without a fix, when no config is in the inputs', () => {
      const f = run(
        unmanaged,
        base.filter((e) => e.kind !== 'dcfConfig'),
      );
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, https.id);
      assert.deepStrictEqual(f[0].location, https.loc);
      assert.strictEqual(f[0].fix, undefined);
      assert.match(f[0].message, /2 DCF policies exist .* only if DCF is enabled on the controller/);
    });
    it('is quiet when a config manages the switch (on, off or undecidable) or without policies', () => {
      assert.deepStrictEqual(run(unmanaged, base), []);
      assert.deepStrictEqual(run(unmanaged, [...base.filter((e) => e.kind !== 'dcfConfig'), dcfConfig(false)]), []);
      const unk = dcfConfig(unresolved('var.dcf', 'variable without default'));
      assert.deepStrictEqual(run(unmanaged, [...base.filter((e) => e.kind !== 'dcfConfig'), unk]), []);
      assert.deepStrictEqual(run(unmanaged, [prodVpc]), []);
    });
    it('its severity is info, and dcf-disabled keeps error', () => {
      assert.strictEqual(unmanaged.defaultSeverity, 'info');
      assert.strictEqual(disabled.defaultSeverity, 'error');
    });
  });

  describe('dcf-webgroup-without-snat', () => {
    it('fires on the spoke without SNAT that a WebGroup policy selects, fix sets single_ip_snat = true', () => {
      const gw = spoke('aviatrix_spoke_gateway.prod', prodVpc.id, { snat: false });
      const f = run(webNoSnat, [...base, gw]);
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, gw.id);
      assert.deepStrictEqual(f[0].fix!.edits, [{ file: gw.loc.file, range: gw.attrs!['single_ip_snat'], newText: 'true' }]);
      assert.deepStrictEqual(
        f[0].related.map((r) => r.location),
        [https.loc],
      );
    });
    it('inserts the attribute when it is not written', () => {
      const gw = spoke('aviatrix_spoke_gateway.prod', prodVpc.id, { snat: false, attrs: {} });
      const f = run(webNoSnat, [...base, gw]);
      assert.deepStrictEqual(f[0].fix!.edits, [
        {
          file: 'spokes.tf',
          range: { start: { line: gw.extent!.end.line, character: 0 }, end: { line: gw.extent!.end.line, character: 0 } },
          newText: '  single_ip_snat = true\n',
        },
      ]);
    });
    it('does not fire with SNAT on, or on a spoke the WebGroup policy does not select', () => {
      assert.deepStrictEqual(run(webNoSnat, [...base, prodGw]), []);
      assert.deepStrictEqual(run(webNoSnat, [...base, spoke('aviatrix_spoke_gateway.dev', devVpc.id, { snat: false })]), []);
    });
  });

  describe('dcf-shadowed-policy', () => {
    it('fires when a higher-priority policy covers all the traffic of a later one', () => {
      const later = policy('pl#prod-icmp', 1100, 'permit', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'icmp' });
      const f = run(shadowed, [...base, later]);
      assert.strictEqual(f.length, 1);
      assert.strictEqual(f[0].elementId, later.id);
      assert.deepStrictEqual(f[0].related[0].location, denyAll.loc);
      assert.match(f[0].message, /"prod-icmp" \(priority 1100\) can never match: "prod-deny" \(priority 1000\)/);
    });
    it('understands CIDR containment, ports and WebGroup domains', () => {
      const wide = smartGroup('aviatrix_smart_group.wide', [{ cidr: '10.0.0.0/8' }]);
      const outer = policy('pl#outer', 10, 'permit', [wide.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 400, hi: 500 }] });
      const inner = policy('pl#inner', 20, 'deny', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] });
      assert.deepStrictEqual(
        run(shadowed, [prodSg, wide, PUBLIC_INTERNET, outer, inner]).map((x) => x.elementId),
        ['pl#inner'],
      );
      const wild = webGroup('aviatrix_web_group.wild', ['*.io']);
      const o2 = policy('pl#o2', 10, 'permit', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', webGroups: [wild.id] });
      const i2 = policy('pl#i2', 20, 'permit', [prodSg.id], [PUBLIC_INTERNET.id], {
        protocol: 'tcp',
        ports: [{ lo: 443, hi: 443 }],
        webGroups: [ipinfo.id],
      });
      assert.deepStrictEqual(
        run(shadowed, [prodSg, PUBLIC_INTERNET, wild, ipinfo, o2, i2]).map((x) => x.elementId),
        ['pl#i2'],
      );
    });
    it('does not fire for the reference policy list, partial overlap, or a later policy with wider ports', () => {
      assert.deepStrictEqual(run(shadowed, base), []);
      const a = policy('pl#a', 10, 'deny', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] });
      const b = policy('pl#b', 20, 'permit', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 400, hi: 500 }] });
      const c = policy('pl#c', 30, 'permit', [prodSg.id, devSg.id], [PUBLIC_INTERNET.id], {
        protocol: 'tcp',
        ports: [{ lo: 443, hi: 443 }],
      });
      // c: prod's part is covered by a, dev's is not.
      assert.deepStrictEqual(run(shadowed, [prodSg, devSg, PUBLIC_INTERNET, a, b, c]), []);
      // Same priority: order among equals is not a dependable contract, nothing reported.
      const d = policy('pl#d', 10, 'deny', [prodSg.id], [PUBLIC_INTERNET.id], { protocol: 'tcp', ports: [{ lo: 443, hi: 443 }] });
      assert.deepStrictEqual(run(shadowed, [prodSg, PUBLIC_INTERNET, a, d]), []);
    });
  });

  describe('dcf-unresolved-group', () => {
    it('fires per policy field naming an undefined group', () => {
      const p = policy('pl#x', 10, 'permit', ['aviatrix_smart_group.gone.uuid'], [PUBLIC_INTERNET.id], {
        webGroups: ['aviatrix_web_group.nope.uuid'],
      });
      const f = run(unresolvedGroup, [...base, p]);
      assert.strictEqual(f.length, 2);
      assert.deepStrictEqual(f[0].location.range, p.attrs!['src_smart_groups']);
      assert.match(f[0].message, /source SmartGroup `aviatrix_smart_group\.gone\.uuid`/);
      assert.match(f[1].message, /WebGroup `aviatrix_web_group\.nope\.uuid`/);
    });
    it('does not fire for defined groups, predefined UUIDs, or defined ExternalGroups', () => {
      const gh = externalGroup('aviatrix_external_group.gh');
      const p = policy('pl#y', 10, 'permit', [prodSg.id], ['def000ad-0000-0000-0000-000000000001', gh.id], {
        webGroups: ['def000ad-0000-0000-0000-000000000002'],
      });
      assert.deepStrictEqual(run(unresolvedGroup, [...base, gh, p]), []);
    });
  });

  describe('gateway-undersized', () => {
    it('fires on a local-egress spoke below t3.medium, fix replaces gw_size', () => {
      const gw = spoke('aviatrix_spoke_gateway.sandbox', devVpc.id, { size: 't3.small' });
      const f = run(undersized, [gw]);
      assert.strictEqual(f.length, 1);
      assert.deepStrictEqual(f[0].location.range, gw.attrs!['gw_size']);
      assert.deepStrictEqual(f[0].fix!.edits, [{ file: 'spokes.tf', range: gw.attrs!['gw_size'], newText: '"t3.medium"' }]);
      assert.match(f[0].message, /size t3\.small, below the minimum t3\.medium for AWS/);
    });
    it('uses Standard_B2ms on Azure and checks the HA gateway', () => {
      const gw = spoke('aviatrix_spoke_gateway.az', 'vnet', {
        gwCloud: 'azure',
        cloud: 'azure',
        size: 'Standard_B2ms',
        haSize: 'Standard_B1ms',
        attrs: { ha_gw_size: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } },
      });
      const f = run(undersized, [gw]);
      assert.strictEqual(f.length, 1);
      assert.match(f[0].message, /HA gateway .* Standard_B1ms, below the minimum Standard_B2ms for Azure/);
      assert.strictEqual(f[0].fix!.edits[0].newText, '"Standard_B2ms"');
    });
    it('does not fire at the minimum, above it, without SNAT, or on an unresolved size', () => {
      assert.deepStrictEqual(
        run(undersized, [
          spoke('a', 'v'),
          spoke('b', 'v', { size: 'c5.xlarge' }),
          spoke('c', 'v', { size: 't3.micro', snat: false }),
          spoke('d', 'v', { size: unresolved('var.size', 'no default') }),
        ]),
        [],
      );
    });
    it('size comparison', () => {
      assert.strictEqual(isUndersized('aws', 't3.nano'), true);
      assert.strictEqual(isUndersized('aws', 't3a.small'), true);
      assert.strictEqual(isUndersized('aws', 't3.medium'), false);
      assert.strictEqual(isUndersized('aws', 'm5.large'), false);
      assert.strictEqual(isUndersized('aws', 'weird'), undefined);
      assert.strictEqual(isUndersized('azure', 'Standard_B1s'), true);
      assert.strictEqual(isUndersized('azure', 'Standard_B2s'), true);
      assert.strictEqual(isUndersized('azure', 'Standard_B2ms'), false);
      assert.strictEqual(isUndersized('azure', 'Standard_D2s_v3'), false);
      assert.strictEqual(isUndersized('azure', 'Standard_DS1_v2'), true);
    });
  });

  describe('legacy-transit-egress', () => {
    const transit = spoke('aviatrix_transit_gateway.egress', 'aviatrix_vpc.transit', {
      role: 'transit',
      egressCapability: true,
      snat: false,
      attrs: { enable_egress_transit_firenet: { start: { line: 3, character: 34 }, end: { line: 3, character: 38 } } },
    });
    it('fires on a transit gateway with egress on, naming the VPCs that leave through it', () => {
      const gw = spoke('aviatrix_spoke_gateway.analytics', devVpc.id, { transit: transit.id, snat: false });
      const eg = [egress(devVpc.id, devVpc.id, [{ kind: 'transit-egress', element: transit.id }])];
      const f = run(legacy, [devVpc, transit, gw], eg);
      assert.strictEqual(f.length, 1);
      assert.deepStrictEqual(f[0].location.range, transit.attrs!['enable_egress_transit_firenet']);
      assert.match(f[0].message, /egress of aviatrix_vpc\.dev leaves through it/);
      assert.deepStrictEqual(
        f[0].related.map((r) => r.location),
        [gw.loc],
      );
    });
    it('does not fire without the egress capability', () => {
      assert.deepStrictEqual(run(legacy, [{ ...transit, egressCapability: false }]), []);
    });
  });

  describe('golden: examples/aviatrix-dcf', () => {
    const DCF_CODES = new Set<string>(
      [notCovering, permitAll, disabled, unmanaged, webNoSnat, shadowed, unresolvedGroup, undersized, legacy].map((r) => r.code),
    );
    it('Terraform: exactly the README findings of the DCF rules, at the README locations', async () => {
      const r = analyze(await loadExample('aviatrix-dcf'));
      const got = r.findings
        .filter((f) => DCF_CODES.has(f.code))
        .map((f) => [f.code, f.severity, f.elementId, path.basename(f.location.file), f.location.range.start.line + 1])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[2]).localeCompare(String(b[2])));
      assert.deepStrictEqual(got, [
        ['dcf-not-covering', 'warning', 'aviatrix_spoke_gateway.analytics', 'spokes.tf', 52],
        ['dcf-permit-all-egress', 'warning', 'aviatrix_distributed_firewalling_policy_list.egress#dev-permit-all-logged', 'dcf.tf', 118],
        [
          'dcf-permit-all-egress',
          'warning',
          'aviatrix_distributed_firewalling_policy_list.egress#sandbox-permit-all-logged',
          'dcf.tf',
          118,
        ],
        ['gateway-undersized', 'warning', 'aviatrix_spoke_gateway.sandbox', 'spokes.tf', 72],
        ['legacy-transit-egress', 'info', 'aviatrix_transit_gateway.egress', 'transit.tf', 27],
      ]);
      const undersizedFix = r.findings.find((f) => f.code === 'gateway-undersized')!.fix!.edits[0];
      const line = fs.readFileSync(undersizedFix.file, 'utf8').split('\n')[undersizedFix.range.start.line];
      assert.strictEqual(line.slice(undersizedFix.range.start.character, undersizedFix.range.end.character), '"t3.small"');
      assert.strictEqual(undersizedFix.newText, '"t3.medium"');
    });
    it('controller export: the same policy findings, no unresolved group', async () => {
      const r = analyze(await loadExample('aviatrix-dcf/controller-export'));
      const got = r.findings.filter((f) => DCF_CODES.has(f.code)).map((f) => [f.code, f.message.match(/"([^"]+)"/)?.[1]]);
      assert.deepStrictEqual(got, [
        ['dcf-permit-all-egress', 'dev-permit-all-logged'],
        ['dcf-permit-all-egress', 'sandbox-permit-all-logged'],
      ]);
    });
  });
});
