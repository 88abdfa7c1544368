// One flow through a firewall VM whose bootstrap writes its policy (FortiOS): the policy's first matching rule
// decides, an implicit deny after the last, and Unknown only where the rules cannot decide for this 5-tuple.
// FortiOS configurations written for these tests; then the same through a Terraform workspace (a FortiGate
// behind a GWLB, test/fixtures/fortios-gwlb) and the flow simulation.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootstrapFlow, type BootstrapFlow } from '../../../src/analysis/firewallPolicy/bootstrap';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { LineMap } from '../../../src/parse/locate';
import { createWorkspace } from '../../../src/parse/workspace';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import { repoRoot } from '../parse/helpers';

function decide(config: string, flow: BootstrapFlow): { decision: string; reason: string; rule?: string } {
  const lines = new LineMap(config);
  const b = fortiOsBootstrap(config, (a, c) => ({ file: 'fgt.conf', range: lines.range(a, c) }));
  assert.ok(b?.policy, 'no policy read');
  return bootstrapFlow(b.policy, 'FortiOS', flow);
}

const rule = (id: number, lines: string[]): string => `edit ${id}\n${lines.map((l) => `  set ${l}`).join('\n')}\nnext`;
const policy = (...rules: string[]): string => `config firewall policy\n${rules.join('\n')}\nend\n`;
const gw = ['srcintf "geneve"', 'dstintf "geneve"'];

const objects = `config firewall address
  edit "apps"
    set subnet 10.10.0.0 255.255.0.0
  next
  edit "app-a"
    set subnet 10.10.1.0/24
  next
  edit "dns-pair"
    set type iprange
    set start-ip 8.8.4.4
    set end-ip 8.8.8.8
  next
  edit "updates"
    set type fqdn
    set fqdn "updates.example.com"
  next
  edit "eu"
    set type geography
    set country "FR"
  next
end
config firewall addrgrp
  edit "resolvers"
    set member "dns-pair"
  next
end
config firewall service custom
  edit "web-alt"
    set tcp-portrange 8080-8090 8443
  next
  edit "pinger"
    set protocol ICMP
    set icmptype 8
  next
end
config firewall service group
  edit "web"
    set member "HTTP" "HTTPS" "web-alt"
  next
end
`;

describe('bootstrap policy for one flow (FortiOS)', () => {
  const estate =
    objects +
    policy(
      rule(1, [...gw, 'srcaddr "all"', 'dstaddr "all"', 'service "SSH"', 'action deny']),
      rule(2, [...gw, 'srcaddr "apps"', 'dstaddr "resolvers"', 'service "DNS"', 'action accept']),
      rule(3, [...gw, 'srcaddr "app-a"', 'dstaddr "all"', 'service "web"', 'action accept']),
      rule(4, [...gw, 'srcaddr "all"', 'dstaddr "all"', 'service "pinger"', 'action accept', 'status disable']),
    );

  it('the first matching rule decides, by its id; what no rule matches meets the implicit deny', () => {
    const ssh = decide(estate, { src: '10.10.1.5', dst: '8.8.8.8', protocol: 'tcp', port: 22 });
    assert.equal(ssh.decision, 'deny');
    assert.equal(ssh.rule, 'policy 1');
    assert.match(ssh.reason, /FortiOS policy 1 \(fgt\.conf:\d+\) denies it/);
    const dns = decide(estate, { src: '10.10.2.9', dst: '8.8.8.8', protocol: 'udp', port: 53 });
    assert.deepEqual([dns.decision, dns.rule], ['allow', 'policy 2']);
    // Custom services in a group, a port inside a written range.
    for (const port of [80, 443, 8085, 8443])
      assert.equal(decide(estate, { src: '10.10.1.5', dst: '1.1.1.1', protocol: 'tcp', port }).rule, 'policy 3', `port ${port}`);
    const off = decide(estate, { src: '10.10.1.5', dst: '1.1.1.1', protocol: 'tcp', port: 8091 });
    assert.equal(off.decision, 'deny');
    assert.equal(off.rule, undefined);
    assert.match(off.reason, /no FortiOS policy matches it: the implicit deny/);
    // Outside the source range of policy 3; a DNS server outside the range of policy 2.
    assert.equal(decide(estate, { src: '10.10.2.9', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).decision, 'deny');
    assert.equal(decide(estate, { src: '10.10.2.9', dst: '1.1.1.1', protocol: 'udp', port: 53 }).decision, 'deny');
    // A disabled rule matches nothing.
    assert.equal(decide(estate, { src: '10.10.1.5', dst: '1.1.1.1', protocol: 'icmp' }).decision, 'deny');
    assert.equal(
      decide(estate.replace('set status disable', 'set status enable'), { src: '10.10.1.5', dst: '1.1.1.1', protocol: 'icmp' }).rule,
      'policy 4',
    );
  });

  it('a subnet as the source decides when a range holds all of it or none of it, and is unknown when it holds part', () => {
    assert.equal(decide(estate, { src: '10.10.1.0/24', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).rule, 'policy 3');
    assert.equal(decide(estate, { src: '10.20.0.0/24', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).decision, 'deny');
    const part = decide(estate, { src: '10.10.0.0/23', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.equal(part.decision, 'unknown');
    assert.match(part.reason, /policy 3 .* is not known: 10\.10\.1\.0\/24 holds only some of the source subnet's addresses/);
  });

  it('an FQDN object matches a domain by name; for an address, and for a geography, the rule cannot decide', () => {
    const cfg = objects + policy(rule(7, [...gw, 'srcaddr "all"', 'dstaddr "updates"', 'service "HTTPS"', 'action accept']));
    assert.equal(decide(cfg, { src: '10.10.1.5', dst: 'updates.example.com', protocol: 'tcp', port: 443 }).rule, 'policy 7');
    assert.equal(decide(cfg, { src: '10.10.1.5', dst: 'other.example.com', protocol: 'tcp', port: 443 }).decision, 'deny');
    const ip = decide(cfg, { src: '10.10.1.5', dst: '203.0.113.7', protocol: 'tcp', port: 443 });
    assert.equal(ip.decision, 'unknown');
    assert.match(ip.reason, /whether FortiOS policy 7 .* matches this flow is not known: FQDN address updates\.example\.com is resolved/);
    // A service that does not match decides even when the address cannot be told.
    assert.equal(decide(cfg, { src: '10.10.1.5', dst: '203.0.113.7', protocol: 'tcp', port: 22 }).decision, 'deny');
    const geo = objects + policy(rule(8, [...gw, 'srcaddr "all"', 'dstaddr "eu"', 'service "ALL"', 'action deny']));
    const g = decide(geo, { src: '10.10.1.5', dst: '203.0.113.7', protocol: 'tcp', port: 443 });
    assert.equal(g.decision, 'unknown');
    assert.match(g.reason, /address "eu" \(FR\) is a geography, which a flow's address alone does not match/);
  });

  it('what the bootstrap does not define, or a template chooses, is unknown with the reason', () => {
    const undef = decide(policy(rule(1, [...gw, 'srcaddr "all"', 'dstaddr "partners"', 'service "ALL"', 'action accept'])), {
      src: '10.0.0.1',
      dst: '1.1.1.1',
      protocol: 'tcp',
      port: 443,
    });
    assert.equal(undef.decision, 'unknown');
    assert.match(undef.reason, /address "partners" is not defined in the bootstrap/);
    const svc = decide(policy(rule(1, [...gw, 'srcaddr "all"', 'dstaddr "all"', 'service "CUSTOM-APP"', 'action accept'])), {
      src: '10.0.0.1',
      dst: '1.1.1.1',
      protocol: 'tcp',
      port: 443,
    });
    assert.equal(svc.decision, 'unknown');
    assert.match(svc.reason, /service "CUSTOM-APP" is not defined in the bootstrap/);
    const t = decide(policy(rule(1, [...gw, 'srcaddr "all"', 'dstaddr "all"', 'service "ALL"', 'action ${verdict}'])), {
      src: '10.0.0.1',
      dst: '1.1.1.1',
      protocol: 'tcp',
      port: 443,
    });
    assert.equal(t.decision, 'unknown');
    assert.match(t.reason, /its action in policy 1 .* is not known: `\$\{verdict\}` is a template value/);
    // An unknown source with a rule for every source still decides.
    const all = decide(policy(rule(1, [...gw, 'srcaddr "all"', 'dstaddr "all"', 'service "ALL"', 'action accept'])), {
      dst: '1.1.1.1',
      protocol: 'udp',
      port: 123,
    });
    assert.equal(all.decision, 'allow');
  });

  it('negation inverts a known match; interface pairs that decide differently leave the flow unknown', () => {
    const neg =
      objects + policy(rule(1, [...gw, 'srcaddr "all"', 'dstaddr "resolvers"', 'dstaddr-negate enable', 'service "ALL"', 'action accept']));
    assert.equal(decide(neg, { src: '10.0.0.1', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).decision, 'allow');
    assert.equal(decide(neg, { src: '10.0.0.1', dst: '8.8.8.8', protocol: 'tcp', port: 443 }).decision, 'deny');
    const pairs = policy(
      rule(1, ['srcintf "port2"', 'dstintf "port1"', 'srcaddr "all"', 'dstaddr "all"', 'service "ALL"', 'action accept']),
      rule(2, ['srcintf "port3"', 'dstintf "port1"', 'srcaddr "all"', 'dstaddr "all"', 'service "HTTPS"', 'action accept']),
    );
    assert.equal(decide(pairs, { src: '10.0.0.1', dst: '1.1.1.1', protocol: 'tcp', port: 443 }).decision, 'allow');
    const split = decide(pairs, { src: '10.0.0.1', dst: '1.1.1.1', protocol: 'tcp', port: 22 });
    assert.equal(split.decision, 'unknown');
    assert.match(split.reason, /decides this flow differently by VDOM or interface pair/);
  });
});

describe('flow simulation through a FortiGate behind a GWLB (Terraform workspace)', () => {
  const fixture = path.join(repoRoot(), 'test', 'fixtures', 'fortios-gwlb');
  const read = (p: string) => fs.readFileSync(path.join(fixture, p), 'utf8');

  async function sim(conf: string | undefined, text: string) {
    const ws = await createWorkspace();
    ws.setFile('modules/estate/main.tf', read('modules/estate/main.tf'));
    ws.setFile('root/main.tf', read('restricted/main.tf'));
    let b = ws.build();
    // The template is read once the configuration that renders it is evaluated, as the front ends do.
    if (conf !== undefined) {
      ws.setFile('root/fortigate.conf', conf);
      b = ws.build();
    }
    const p = parseFlowSpec(text);
    assert.ok(p.ok);
    return simulate(b.model, new ModelIndex(b.model), p.flow);
  }

  it("the FortiGate's bootstrap policy decides the flow at its hop, naming the policy", async () => {
    const conf = read('restricted/fortigate.conf');
    const updates = await sim(conf, 'src=10.10.1.20 dst=https://updates.example.com');
    assert.equal(updates.outcome, 'allowed');
    assert.equal(updates.verdicts[0].decision, 'allow');
    assert.equal(updates.verdicts[0].policyName, 'policy 1 "updates-only"');
    assert.match(updates.summary, /root\/fortigate\.conf:\d+\) accepts it/);
    const web = await sim(conf, 'src=10.10.1.20 dst=203.0.113.10 proto=tcp port=80');
    assert.equal(web.outcome, 'allowed');
    assert.equal(web.verdicts[0].policyName, 'policy 2 "web-scanned"');
    const ssh = await sim(conf, 'src=10.10.1.20 dst=1.1.1.1 proto=tcp port=22');
    assert.equal(ssh.outcome, 'denied');
    assert.match(ssh.summary, /denied at .*the implicit deny/);
    // HTTPS to an address: policy 1's FQDN may resolve to it, so the FortiGate cannot be decided there.
    const https = await sim(conf, 'src=10.10.1.20 dst=1.1.1.1 proto=tcp port=443');
    assert.equal(https.outcome, 'unknown');
    assert.match(https.summary, /FQDN address updates\.example\.com is resolved when the firewall runs/);
  });

  it('without the bootstrap file the policy is not in the inputs: unknown, as before', async () => {
    const s = await sim(undefined, 'src=10.10.1.20 dst=1.1.1.1 proto=tcp port=22');
    assert.equal(s.outcome, 'unknown');
    assert.match(s.verdicts[0].reason, /its policy is not in the inputs/);
  });
});
