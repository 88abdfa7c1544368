// FortiOS policies beyond one IPv4 table, in configurations written for these tests: IPv6 in consolidated
// policies (`srcaddr6`/`dstaddr6`, FortiOS 6.4+) and in `config firewall policy6` (earlier), NGFW policy-based
// mode (`config firewall security-policy` after the SSL inspection & authentication policies), and what is not
// read here (another mode, consolidated policies of 6.2, proxy policies), which leaves the posture unknown with
// where it is written.
import { strict as assert } from 'node:assert';
import { bootstrapFlow, bootstrapPosture, type BootstrapFlow } from '../../../src/analysis/firewallPolicy/bootstrap';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { LineMap } from '../../../src/parse/locate';
import type { BootstrapPolicy } from '../../../src/model/types';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { repoRoot } from '../parse/helpers';

function read(config: string): BootstrapPolicy {
  const lines = new LineMap(config);
  const b = fortiOsBootstrap(config, (a, c) => ({ file: 'fgt.conf', range: lines.range(a, c) }));
  assert.ok(b?.policy, 'no policy read');
  return b.policy;
}
const posture = (config: string, family: 4 | 6 = 4) => bootstrapPosture(read(config), 'FortiOS', family);
const decide = (config: string, flow: BootstrapFlow) => bootstrapFlow(read(config), 'FortiOS', flow);

const rule = (id: number, lines: string[]): string => `edit ${id}\n${lines.map((l) => `  set ${l}`).join('\n')}\nnext`;
const section = (path: string, ...rules: string[]): string => `config ${path}\n${rules.join('\n')}\nend\n`;
const gw = ['srcintf "geneve"', 'dstintf "geneve"', 'service "ALL"'];
const v4all = ['srcaddr "all"', 'dstaddr "all"'];
const v6all = ['srcaddr6 "all"', 'dstaddr6 "all"'];
const policyBased = 'config system settings\n  set ngfw-mode policy-based\nend\n';

const objects6 = `config firewall address6
  edit "apps6"
    set ip6 2001:db8:10::/48
  next
end
config firewall addrgrp6
  edit "internal6"
    set member "apps6"
  next
end
`;

describe('FortiOS bootstrap policy: IPv6', () => {
  it('a consolidated policy takes the families whose addresses it names', () => {
    const both = section('firewall policy', rule(1, [...gw, ...v4all, ...v6all, 'action accept', 'logtraffic all']));
    assert.equal(posture(both, 4).cls, 'permit-all');
    assert.equal(posture(both, 6).cls, 'permit-all');
    // IPv4 only: IPv6 egress meets the implicit deny.
    const four = section('firewall policy', rule(1, [...gw, ...v4all, 'action accept', 'logtraffic all']));
    assert.equal(posture(four, 4).cls, 'permit-all');
    const six = posture(four, 6);
    assert.equal(six.cls, 'restricted');
    assert.match(six.reason, /policy accepts nothing/);
    // IPv6 only: the other way round.
    const only6 = section('firewall policy', rule(1, [...gw, ...v6all, 'action accept']));
    assert.equal(posture(only6, 4).cls, 'restricted');
    assert.equal(posture(only6, 6).cls, 'bypass');
  });

  it('IPv6 address objects and groups are read for IPv6 only; one not defined is unknown for IPv6 alone', () => {
    const cfg =
      objects6 +
      section('firewall policy', rule(1, [...gw, ...v4all, 'srcaddr6 "internal6"', 'dstaddr6 "all"', 'action accept', 'logtraffic all']));
    assert.equal(posture(cfg, 4).cls, 'permit-all');
    // Some IPv6 sources only: as for IPv4, a rule that takes some traffic ends in the implicit deny.
    assert.equal(posture(cfg, 6).cls, 'restricted');
    const undef = section('firewall policy', rule(1, [...gw, ...v4all, 'srcaddr6 "all"', 'dstaddr6 "partners6"', 'action accept']));
    assert.equal(posture(undef, 4).cls, 'bypass');
    assert.match(posture(undef, 6).reason, /IPv6 address "partners6" is not defined in the bootstrap/);
  });

  it('`config firewall policy6` (before FortiOS 6.4) holds the IPv6 rules of the VDOM', () => {
    const cfg =
      section('firewall policy', rule(1, [...gw, ...v4all, 'action accept', 'logtraffic all'])) +
      section('firewall policy6', rule(1, ['srcintf "geneve"', 'dstintf "geneve"', ...v4all, 'service "HTTPS"', 'action accept']));
    assert.equal(posture(cfg, 4).cls, 'permit-all');
    const p6 = posture(cfg, 6);
    // HTTPS to every IPv6 destination, then the implicit deny: services limited, destinations not (review s16 R5).
    assert.equal(p6.cls, 'partial');
    assert.match(p6.reason, /policy6 1 \(fgt\.conf:\d+\) accepts tcp\/443 to every internet destination with no security profile/);
  });

  it('an IPv6 flow is matched against IPv6 addresses and ICMPv6, and named by its policy', () => {
    const cfg =
      objects6 +
      section(
        'firewall policy',
        rule(1, [...gw, ...v4all, 'action deny']),
        rule(2, [
          'srcintf "geneve"',
          'dstintf "geneve"',
          'srcaddr6 "internal6"',
          'dstaddr6 "all"',
          'service "HTTPS" "PING6"',
          'action accept',
        ]),
      );
    const https = decide(cfg, { src: '2001:db8:10::5', dst: '2001:4860:4860::8888', protocol: 'tcp', port: 443 });
    assert.deepEqual([https.decision, https.rule], ['allow', 'policy 2']);
    assert.equal(decide(cfg, { src: '2001:db8:10::5', dst: '2001:4860:4860::8888', protocol: 'icmp' }).rule, 'policy 2');
    assert.equal(decide(cfg, { src: '2001:db8:99::5', dst: '2001:4860:4860::8888', protocol: 'tcp', port: 443 }).decision, 'deny');
    // The same HTTPS over IPv4 meets policy 1.
    assert.equal(decide(cfg, { src: '10.0.0.5', dst: '8.8.8.8', protocol: 'tcp', port: 443 }).rule, 'policy 1');
  });
});

describe('FortiOS bootstrap policy: NGFW policy-based mode', () => {
  const first = section('firewall policy', rule(1, [...gw, ...v4all, 'ssl-ssh-profile "certificate-inspection"', 'action accept']));

  it('the security policies decide what the first stage passes', () => {
    const open = policyBased + first + section('firewall security-policy', rule(5, [...gw, ...v4all, 'action accept', 'logtraffic all']));
    const p = posture(open);
    assert.equal(p.cls, 'permit-all');
    assert.match(p.reason, /security-policy 5 \(fgt\.conf:\d+\) accepts all to all/);
    const apps =
      policyBased + first + section('firewall security-policy', rule(5, [...gw, ...v4all, 'application 15832 16354', 'action accept']));
    // Applications to every destination, with no profile: services limited, destinations not (review s16 R5).
    assert.equal(posture(apps).cls, 'partial');
    // Accepting only a user group's sessions (either mode) takes only some traffic.
    assert.equal(
      posture(section('firewall policy', rule(1, [...gw, ...v4all, 'groups "staff"', 'action accept', 'logtraffic all']))).cls,
      'restricted',
    );
    // No security policy: everything the first stage passes meets the implicit deny.
    assert.equal(posture(policyBased + first).cls, 'restricted');
    // A FortiOS 6.2 security policy writes srcaddr4/dstaddr4.
    const v62 =
      policyBased + first + section('firewall security-policy', rule(5, [...gw, 'srcaddr4 "all"', 'dstaddr4 "all"', 'action accept']));
    assert.equal(posture(v62).cls, 'bypass');
    // A security policy has no utm-status: its profiles apply as written (review s15 R6); they inspect, every host stays
    // reachable (review s17 R2).
    const profiled =
      policyBased + first + section('firewall security-policy', rule(5, [...gw, ...v4all, 'av-profile "default"', 'action accept']));
    assert.equal(posture(profiled).cls, 'partial');
    assert.match(posture(profiled).reason, /under security profiles \(av-profile "default"\)/);
  });

  it('a flow is allowed or denied by the security policy that matches it, after the first stage accepts it', () => {
    const cfg =
      policyBased +
      first +
      section(
        'firewall security-policy',
        rule(5, ['srcintf "geneve"', 'dstintf "geneve"', ...v4all, 'service "SSH"', 'action deny']),
        rule(6, ['srcintf "geneve"', 'dstintf "geneve"', ...v4all, 'service "HTTPS"', 'action accept']),
        rule(7, ['srcintf "geneve"', 'dstintf "geneve"', ...v4all, 'service "ALL"', 'application 15832', 'action accept']),
      );
    const https = decide(cfg, { src: '10.0.0.5', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.deepEqual([https.decision, https.rule], ['allow', 'security-policy 6']);
    assert.match(https.reason, /policy 1 \(fgt\.conf:\d+\) accepts it, then FortiOS security-policy 6 \(fgt\.conf:\d+\) accepts it/);
    assert.equal(decide(cfg, { src: '10.0.0.5', dst: '1.1.1.1', protocol: 'tcp', port: 22 }).rule, 'security-policy 5');
    // An application match is not in a 5-tuple.
    const app = decide(cfg, { src: '10.0.0.5', dst: '1.1.1.1', protocol: 'udp', port: 53 });
    assert.equal(app.decision, 'unknown');
    assert.match(app.reason, /security-policy 7 .* also matches by `application`/);
    const none = decide(policyBased + first, { src: '10.0.0.5', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.equal(none.decision, 'deny');
    assert.match(none.reason, /no FortiOS security policy matches it: the implicit deny/);
  });

  it('the mode is read per VDOM, and a VDOM edited twice keeps its objects', () => {
    const cfg = `config vdom
edit inspect
config system settings
  set ngfw-mode policy-based
end
config firewall address
  edit "apps"
    set subnet 10.10.0.0/16
  next
end
next
edit inspect
${first}${section('firewall security-policy', rule(5, ['srcintf "geneve"', 'dstintf "geneve"', 'srcaddr "apps"', 'dstaddr "all"', 'service "ALL"', 'action accept']))}next
end
`;
    const t = read(cfg).tables;
    assert.equal(t.length, 1);
    assert.equal(t[0].name, 'VDOM inspect');
    assert.ok(t[0].security);
    assert.equal(decide(cfg, { src: '10.10.0.5', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).rule, 'security-policy 5');
    assert.equal(decide(cfg, { src: '10.20.0.5', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).decision, 'deny');
  });
});

describe('FortiOS bootstrap policy: what is not read leaves the posture unknown, located', () => {
  const accept = section('firewall policy', rule(1, [...gw, ...v4all, 'action accept', 'logtraffic all']));

  it('an ngfw-mode not known, or chosen by a template', () => {
    const odd = posture('config system settings\n  set ngfw-mode hybrid\nend\n' + accept);
    assert.equal(odd.cls, 'unknown');
    assert.match(odd.reason, /ngfw-mode `hybrid` \(fgt\.conf:2\) is not read here/);
    const t = posture('config system settings\n  set ngfw-mode ${mode}\nend\n' + accept);
    assert.equal(t.cls, 'unknown');
    assert.match(t.reason, /`set ngfw-mode \$\{mode\}` \(fgt\.conf:2\) is a template value/);
    // Profile-based, written or by default, is the policy table as read.
    assert.equal(posture('config system settings\n  set ngfw-mode profile-based\nend\n' + accept).cls, 'permit-all');
  });

  it('security policies outside policy-based mode, consolidated policies, proxy policies', () => {
    const stray = posture(accept + section('firewall security-policy', rule(5, [...gw, ...v4all, 'action deny'])));
    assert.equal(stray.cls, 'unknown');
    assert.match(stray.reason, /security policies are written \(fgt\.conf:\d+\) but the VDOM's ngfw-mode is not policy-based/);
    const cons = posture(
      'config system settings\n  set consolidated-firewall-mode enable\nend\n' +
        section('firewall consolidated policy', rule(1, [...gw, 'srcaddr4 "all"', 'dstaddr4 "all"', 'action accept'])),
    );
    assert.equal(cons.cls, 'unknown');
    assert.match(cons.reason, /`config firewall consolidated policy` \(fgt\.conf:4\) decides which sessions pass and is not read here/);
    const proxy = posture(accept + section('firewall proxy-policy', rule(1, ['proxy transparent-web', 'action accept'])));
    assert.equal(proxy.cls, 'unknown');
    assert.match(proxy.reason, /`config firewall proxy-policy` \(fgt\.conf:\d+\)/);
    const flow = decide(accept + section('firewall proxy-policy', rule(1, ['proxy transparent-web', 'action accept'])), {
      src: '10.0.0.5',
      dst: '1.1.1.1',
      protocol: 'tcp',
      port: 443,
    });
    assert.equal(flow.decision, 'unknown');
  });
});

describe('FortiOS bootstrap policy: the posture of an IPv6-only workload behind a FortiGate (Terraform workspace)', () => {
  const fixture = path.join(repoRoot(), 'test', 'fixtures', 'fortios-gwlb');
  const read = (p: string) => fs.readFileSync(path.join(fixture, p), 'utf8');
  // The fixture's workload VPC made IPv6-only: the app subnet is IPv6-native and routes ::/0 to the GWLB endpoint.
  const v6Module = (): string => {
    const edits: [string, string][] = [
      ['  cidr_block = "10.10.0.0/16"\n', '  cidr_block = "10.10.0.0/16"\n  ipv6_cidr_block = "2001:db8:10::/56"\n'],
      ['  cidr_block        = "10.10.1.0/24"\n', '  ipv6_native = true\n  ipv6_cidr_block = "2001:db8:10:1::/64"\n'],
      ['    cidr_block      = "0.0.0.0/0"\n    vpc_endpoint_id', '    ipv6_cidr_block = "::/0"\n    vpc_endpoint_id'],
      [
        '    gateway_id = aws_internet_gateway.workload.id\n  }\n',
        '    gateway_id = aws_internet_gateway.workload.id\n  }\n  route {\n    ipv6_cidr_block = "::/0"\n    gateway_id = aws_internet_gateway.workload.id\n  }\n',
      ],
      ['    cidr_block      = "10.10.1.0/24"\n    vpc_endpoint_id', '    ipv6_cidr_block = "2001:db8:10:1::/64"\n    vpc_endpoint_id'],
    ];
    let text = read('modules/estate/main.tf');
    for (const [from, to] of edits) {
      assert.ok(text.includes(from), from);
      text = text.replace(from, to);
    }
    return text;
  };

  async function workload(conf: string) {
    const ws = await createWorkspace();
    ws.setFile('modules/estate/main.tf', v6Module());
    ws.setFile('root/main.tf', read('monitored/main.tf'));
    ws.build();
    ws.setFile('root/fortigate.conf', conf);
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    const e = r.egress.find((x) => x.subnet === 'module.estate.aws_subnet.app');
    assert.equal(e?.forward.destination.ip.includes(':'), true, 'the app subnet egresses over IPv6');
    assert.equal(e?.forward.inspectedBy.length, 1);
    const s = r.states.find((x) => x.name === 'workload');
    assert.ok(s);
    return s;
  }

  it('an IPv4-only accept-all holds IPv6 egress back; one naming IPv6 addresses too is a logged permit-all for it', async () => {
    const v4only = read('monitored/fortigate.conf');
    const held = await workload(v4only);
    assert.equal(held.state, 'Protected');
    assert.match(held.reason, /FortiOS's policy accepts nothing; the rest is denied/);
    const both = v4only.replace(
      '        set dstaddr "all"\n',
      '        set dstaddr "all"\n        set srcaddr6 "all"\n        set dstaddr6 "all"\n',
    );
    assert.notEqual(both, v4only);
    const open = await workload(both);
    assert.equal(open.state, 'Monitored');
    assert.match(open.reason, /policy 10 "inspect-all" \(root\/fortigate\.conf:\d+\) accepts all to all/);
  });
});
