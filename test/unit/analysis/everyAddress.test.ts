// Review s16 R9: a destination (or source) written as ranges that together hold every address ("0.0.0.0/1" and
// "128.0.0.0/1", every /8, "::/1" and "8000::/1") is "any" in every vendor's policy reading, as `0.0.0.0/0` is: one
// core helper (model/cidr.ts coversFamily) instead of literal checks. Rules written for these tests.
import * as assert from 'node:assert/strict';
import { azureRule, azureSources, fiveTupleRule, statelessRule, suricataRule } from '../../../src/parse/vocabulary/firewallRules';
import { cloudNgfwRule, type NgfwRuleInput } from '../../../src/parse/vocabulary/cloudNgfwPolicy';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { panosBootstrapXml } from '../../../src/parse/vocabulary/panosPolicy';
import { applianceEvidence } from '../../../src/parse/vocabulary/appliance';
import { groupsCoverWholeInternet, type ResolvedGroup } from '../../../src/analysis/dcf/groups';
import { bootstrapFlow } from '../../../src/analysis/firewallPolicy/bootstrap';
import { LineMap } from '../../../src/parse/locate';
import type { SmartGroup } from '../../../src/model/types';

const HALVES = ['0.0.0.0/1', '128.0.0.0/1'];
const SLASH8 = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);

describe('every address written as several ranges (review s16 R9)', () => {
  it('Network Firewall Suricata: [0.0.0.0/1,128.0.0.0/1] is any destination; one half is some', () => {
    assert.equal(suricataRule('drop ip $HOME_NET any -> [0.0.0.0/1,128.0.0.0/1] any (sid:1;)')?.dest, 'any');
    const tls = suricataRule('pass tcp $HOME_NET any -> [0.0.0.0/1,128.0.0.0/1] 443 (sid:2;)');
    assert.equal(tls?.dest, 'some');
    assert.equal(tls?.anyAddress, true);
    const half = suricataRule('pass tcp $HOME_NET any -> [0.0.0.0/1] 443 (sid:3;)');
    assert.equal(half?.anyAddress, undefined);
    assert.equal(suricataRule(`drop ip any any -> [${SLASH8.join(',')}] any (sid:4;)`)?.dest, 'any');
    assert.equal(fiveTupleRule('DROP', { protocol: 'IP', destination: '0.0.0.0/0' }).dest, 'any');
  });

  it('Network Firewall stateless: destinations 0.0.0.0/1 and 128.0.0.0/1 are every address, as are such sources', () => {
    const m = (destinations: string[], sources: string[] = []) => ({
      sources,
      destinations,
      sourcePorts: [],
      destinationPorts: [],
      protocols: [],
      tcpFlags: false,
    });
    assert.equal(statelessRule(1, ['aws:pass'], m(HALVES)).v4.dest, 'any');
    assert.equal(statelessRule(1, ['aws:pass'], m(['::/1', '8000::/1'])).v6.dest, 'any');
    assert.equal(statelessRule(1, ['aws:pass'], m(['0.0.0.0/1'])).v4.dest, 'some');
    assert.deepEqual(statelessRule(1, ['aws:drop'], m([], HALVES)).v4.sources, []);
  });

  it('Network Firewall stateless: addresses of one family match no packet of the other (review s18 R12)', () => {
    const m = (destinations: string[], sources: string[] = []) => ({
      sources,
      destinations,
      sourcePorts: [],
      destinationPorts: [],
      protocols: [],
      tcpFlags: false,
    });
    // "Drop all IPv6": every IPv6 packet, no IPv4 one.
    const v6Drop = statelessRule(1, ['aws:drop'], m(['::/0']));
    assert.deepEqual([v6Drop.v4.dest, v6Drop.v6.dest], ['none', 'any']);
    assert.match(v6Drop.what, /-> ::\/0/);
    const v6Sources = statelessRule(1, ['aws:pass'], m([], ['::/1', '8000::/1']));
    assert.deepEqual([v6Sources.v4.dest, v6Sources.v6.dest, v6Sources.v6.sources], ['none', 'any', []]);
    // Both families written: each family is judged by its own addresses.
    const mixed = statelessRule(1, ['aws:drop'], m(['0.0.0.0/0', '2001:db8::/32']));
    assert.deepEqual([mixed.v4.dest, mixed.v6.dest], ['any', 'some']);
    assert.equal(statelessRule(1, ['aws:drop'], m(['0.0.0.0/0', '::/0'])).what, 'aws:drop any -> any');
  });

  it('Azure Firewall: destination and source addresses that hold every address are any', () => {
    const r = azureRule('Allow', 'network', { name: 'out', destinations: HALVES, ports: ['*'], protocols: ['Any'] });
    assert.equal(r.dest, 'any');
    assert.equal(r.proto, 'any');
    assert.equal(
      azureRule('Allow', 'network', { name: 'out', destinations: ['0.0.0.0/1'], ports: ['*'], protocols: ['Any'] }).dest,
      'some',
    );
    assert.deepEqual(azureSources(SLASH8), {});
    assert.deepEqual(azureSources(['10.0.0.0/8']), { sources: ['10.0.0.0/8'] });
  });

  it('Cloud NGFW: destination CIDRs that hold every IPv4 address are all of IPv4', () => {
    const loc = { file: 'rules.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const input = (cidrs: string[]): NgfwRuleInput => ({
      name: 'r',
      loc,
      action: 'Allow',
      source: { cidrs: ['any'] },
      destination: { cidrs },
      applications: ['any'],
      protocol: 'any',
    });
    assert.equal(cloudNgfwRule(input(HALVES)).dst, 'all');
    assert.equal(cloudNgfwRule(input(HALVES)).dst6, 'none');
    assert.equal(cloudNgfwRule(input(['0.0.0.0/1'])).dst, 'some');
  });

  it('FortiOS: address objects 0.0.0.0/1 and 128.0.0.0/1 as dstaddr are all', () => {
    const text = [
      'config firewall address',
      '  edit "low"',
      '    set subnet 0.0.0.0 128.0.0.0',
      '  next',
      '  edit "high"',
      '    set subnet 128.0.0.0 128.0.0.0',
      '  next',
      'end',
      'config firewall policy',
      '  edit 1',
      '    set srcintf "port2"',
      '    set dstintf "port1"',
      '    set srcaddr "all"',
      '    set dstaddr "low" "high"',
      '    set action accept',
      '    set service "ALL"',
      '  next',
      '  edit 2',
      '    set srcintf "port2"',
      '    set dstintf "port1"',
      '    set srcaddr "all"',
      '    set dstaddr "low"',
      '    set action accept',
      '    set service "ALL"',
      '  next',
      'end',
    ].join('\n');
    const lines = new LineMap(text);
    const p = fortiOsBootstrap(text, (a, b) => ({ file: 'boot.conf', range: lines.range(a, b) }))?.policy;
    assert.ok(p);
    const [both, low] = p.tables[0].rules;
    assert.equal(both.dst, 'all');
    assert.equal(low.dst, 'some');
    // A flow to 8.8.8.8 (in the low half) and to 203.0.113.5 (in the high one) both meet the pair's accept.
    for (const dst of ['8.8.8.8', '203.0.113.5'])
      assert.equal(bootstrapFlow(p, 'FortiGate', { src: '10.1.2.3', protocol: 'tcp', port: 443, dst }).decision, 'allow', dst);
  });

  it('PAN-OS: destination members 0.0.0.0/1 and 128.0.0.0/1 are any', () => {
    const rule = (name: string, dst: string[]) =>
      `<entry name="${name}"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination>${dst.map((d) => `<member>${d}</member>`).join('')}</destination><application><member>any</member></application><service><member>any</member></service><action>allow</action></entry>`;
    const text = `<?xml version="1.0"?><config version="10.2.0"><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1"><zone><entry name="inspect"><network><layer3><member>ethernet1/1</member></layer3></network></entry></zone><rulebase><security><rules>${rule('both', HALVES)}${rule('low', ['0.0.0.0/1'])}</rules></security></rulebase></entry></vsys></entry></devices></config>`;
    const lines = new LineMap(text);
    const p = panosBootstrapXml(text, (a, b) => ({ file: 'bootstrap.xml', range: lines.range(a, b) }));
    assert.ok(p);
    const [both, low] = p.tables[0].rules;
    assert.equal(both.dst, 'all');
    assert.equal(low.dst, 'some');
  });

  it('Aviatrix DCF: destination SmartGroups whose CIDRs together hold every address are the whole internet', () => {
    const smart = (name: string, cidrs: string[]): ResolvedGroup => {
      const group = { id: name, kind: 'smartGroup', name, selectors: cidrs.map((cidr) => ({ cidr })) } as unknown as SmartGroup;
      return { kind: 'smart', group, label: name };
    };
    assert.equal(groupsCoverWholeInternet([smart('both', HALVES)]), true);
    assert.equal(groupsCoverWholeInternet([smart('low', ['0.0.0.0/1']), smart('high', ['128.0.0.0/1'])]), true);
    assert.equal(groupsCoverWholeInternet([smart('low', ['0.0.0.0/1'])]), false);
  });

  it('iptables: a FORWARD accept to -d 0.0.0.0/0 (or both halves) matches everything, as one with no -d', () => {
    // A NAT router that drops only what comes in on its outside interface translates what it forwards, unfiltered.
    const nat =
      'sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\niptables -A FORWARD -i eth0 -j DROP\n';
    const role = (fwd: string) => applianceEvidence({ bootstraps: [nat + fwd] })?.role;
    assert.equal(role('iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n'), 'nat');
    assert.equal(role('iptables -A FORWARD -i eth1 -o eth0 -d 0.0.0.0/1,128.0.0.0/1 -j ACCEPT\n'), 'nat');
    assert.equal(role('iptables -A FORWARD -i eth1 -o eth0 -d 0.0.0.0/0 -j ACCEPT\n'), 'nat');
    // One half only narrows the accept; under the FORWARD policy ACCEPT the other half passes anyway (the walk,
    // packetFilter.ts), under DROP the machine filters.
    assert.equal(role('iptables -A FORWARD -i eth1 -o eth0 -d 0.0.0.0/1 -j ACCEPT\n'), 'nat');
    assert.equal(role('iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -o eth0 -d 0.0.0.0/1 -j ACCEPT\n'), 'firewall');
  });
});
