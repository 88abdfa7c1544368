// Review s16 R1, R19, R15: what a forwarding instance's user data configures, read as the shell reads it (comments
// are no evidence) and, where the tool's rules are read (iptables, firewalld direct rules, ufw, nftables), walked rule
// by rule: evidence -> classification -> the VPC's state, its reason naming the evidence and where it is written.
// User data written for these tests, in the shapes of common NAT instance, firewall and GWLB appliance designs.
import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import { applianceEvidence } from '../../../src/parse/vocabulary/appliance';
import { readShell, commandWords } from '../../../src/parse/vocabulary/shell';
import type { AnalysisResult } from '../../../src/analysis/types';
import { forwardingInstanceVpc } from './applianceFixtures';

/** A VPC whose private subnet's default route names the instance `edge`, which runs `userData` (a Terraform heredoc). */
const vpc = (userData: string) =>
  forwardingInstanceVpc(`  ami                         = "ami-0123456789abcdef0"
  user_data                   = <<-EOT
${userData
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
  EOT`);

/** The line of main.tf holding `text` (1-based), for the file:line a reason gives. */
const lineOf = (userData: string, text: string): number => {
  const t = vpc(userData);
  return t.slice(0, t.indexOf(text)).split('\n').length;
};

const run = (userData: string) => analyzeFiles({ 'main.tf': vpc(userData) });
const state = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.main')!;
const role = (text: string) => applianceEvidence({ bootstraps: [text] });

const NAT = 'sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE';

describe('appliance user data read as shell (review s16 R1, R19, R15)', function () {
  this.timeout(60000);

  it('the shell reader: comments dropped, quotes, continuations, heredoc bodies, cloud-init list items, sh -c', () => {
    const sh = readShell(
      [
        '#!/bin/bash',
        '# suricata -c /etc/suricata.yaml   (a note, not a command)',
        'echo "# not a comment" && iptables -A FORWARD \\',
        '  -j DROP # trailing note',
        "cat > /etc/pf.conf <<'PF'",
        '# pf comment',
        "pass out all # it's fine",
        'PF',
        '  - [ iptables, -P, FORWARD, DROP ]',
        `sh -c 'nft add table ip nat; nft list ruleset'`,
      ].join('\n'),
    );
    const words = sh.commands.map((c) => commandWords(c).join(' '));
    assert.deepEqual(words, [
      'echo # not a comment',
      'iptables -A FORWARD -j DROP',
      'cat > /etc/pf.conf',
      'pass out all',
      'iptables -P FORWARD DROP',
      'sh -c nft add table ip nat; nft list ruleset',
      'nft add table ip nat',
      'nft list ruleset',
    ]);
    assert.equal(sh.heredocs.length, 1);
    assert.doesNotMatch(sh.code, /suricata|pf comment|trailing note|it's fine/);
    assert.match(sh.code, /# not a comment/);
    // One pass: a long hostile line is read in linear time.
    const long = readShell(`${'iptables -A FORWARD -j ACCEPT '.repeat(20000)}# x`);
    assert.equal(long.commands.length, 1);
  });

  it('R1a: a word only a comment or a message holds is no evidence; the same word in a command is', async () => {
    const commented = `#!/bin/bash\n# TODO: install suricata in IPS mode here\n${NAT}\necho "suricata comes later"`;
    assert.equal(role(commented)?.role, 'nat');
    const r = await run(commented);
    assert.equal(state(r).state, 'Unprotected');
    // Suricata installed and started, nothing putting it inline: an IDS, which alerts and blocks nothing (Monitored).
    const ids = `#!/bin/bash\n${NAT}\napt-get install -y suricata\nsystemctl enable --now suricata`;
    const m = await run(ids);
    assert.equal(state(m).state, 'Monitored', state(m).reason);
    assert.match(
      state(m).reason,
      new RegExp(
        `its user data runs Suricata \\(\`apt-get install -y suricata\` \\(main\\.tf:${lineOf(ids, 'apt-get install')}\\)\\) with nothing in the inputs putting it inline .*Suricata as an IDS alerts and blocks nothing`,
      ),
    );
    assert.deepEqual(
      m.findings.filter((f) => f.severity === 'error'),
      [],
    );
    // Inline (an NFQUEUE rule hands it what it forwards): it drops what its rules say, a firewall.
    const ips = `#!/bin/bash\n${NAT}\nyum install -y suricata\niptables -I FORWARD -j NFQUEUE --queue-num 0\nsuricata -c /etc/suricata/suricata.yaml -q 0 -D`;
    const p = await run(ips);
    assert.equal(state(p).state, 'Protected', state(p).reason);
    assert.match(state(p).reason, /runs Suricata .* inline \(`iptables -I FORWARD -j NFQUEUE --queue-num 0`\)/);
    assert.equal(role('snort -Q --daq nfq -c /etc/snort/snort.conf')?.why.includes('inline'), true);
    // The rules it reads are not in the user data (downloaded, shipped): its policy is not in the inputs.
    assert.match(state(p).reason, /drops what its rules say; appliance policy not in the inputs/);
  });

  it('R16: the reason says rules written in the user data are in the inputs by the evidence kind, whatever the tool', async () => {
    // An inline Suricata whose rules the user data writes: they are in the inputs, not evaluated here.
    const ipsRules = [
      '#!/bin/bash',
      NAT,
      'yum install -y suricata',
      "cat > /etc/suricata/rules/local.rules <<'R'",
      'drop tcp $HOME_NET any -> $EXTERNAL_NET 23 (msg:"telnet out"; sid:1000001;)',
      'R',
      'iptables -I FORWARD -j NFQUEUE --queue-num 0',
      'suricata -c /etc/suricata/suricata.yaml -q 0 -D',
    ].join('\n');
    assert.equal(role(ipsRules)?.rulesInUserData, 'Suricata rules');
    const s = await run(ipsRules);
    assert.match(
      state(s).reason,
      /drops what its rules say; its Suricata rules are in the user data, not evaluated here; inspection is enforced/,
    );
    // firewalld zones (not walked): the same wording as iptables rules that are not walked.
    const zones = [
      'sysctl -w net.ipv4.ip_forward=1',
      'firewall-cmd --permanent --zone=internal --set-target=DROP',
      'firewall-cmd --reload',
    ].join('\n');
    assert.equal(role(zones)?.rulesInUserData, 'packet filter rules');
    const z = await run(zones);
    assert.equal(state(z).state, 'Protected', state(z).reason);
    assert.match(
      state(z).reason,
      /firewalld \(`firewall-cmd --permanent --zone=internal --set-target=DROP`.*its packet filter rules are in the user data, not evaluated here/,
    );
    assert.doesNotMatch(state(z).reason, /not in the inputs/);
  });

  it('R1d: iptables FORWARD walked: DROP with accepts between inside ranges only is Protected; ACCEPT all with MASQUERADE a NAT', async () => {
    const filtering = [
      NAT,
      'iptables -P FORWARD DROP',
      'iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT',
      'iptables -A FORWARD -s 10.20.0.0/16 -d 10.30.0.0/16 -j ACCEPT',
      'iptables -A FORWARD -s 10.30.0.0/16 -d 10.20.0.0/16 -j ACCEPT',
    ].join('\n');
    const f = await run(filtering);
    assert.equal(state(f).state, 'Protected', state(f).reason);
    assert.match(
      state(f).reason,
      new RegExp(
        `accept nothing bound for the internet and drop the rest \\(its policy \\(\`iptables -P FORWARD DROP\`\\)\\) \\(main\\.tf:${lineOf(filtering, 'iptables -P FORWARD DROP')}\\); its rules let nothing out to the internet`,
      ),
    );
    const open = [NAT, 'iptables -P FORWARD ACCEPT', 'iptables -A FORWARD -j ACCEPT'].join('\n');
    const o = await run(open);
    assert.equal(state(o).state, 'Unprotected');
    const [finding] = o.findings.filter((x) => x.code === 'uninspected-egress');
    assert.match(
      finding.fix!.title,
      /edge is a NAT instance \(its user data translates \(`iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE` \(main\.tf:\d+\)\) and its iptables forwarding rules accept every destination/,
    );
    // Named destinations only: Protected; ports to any destination, or every destination from some sources: partial.
    const allow = `${NAT}\niptables -P FORWARD DROP\niptables -A FORWARD -d 203.0.113.0/24 -p tcp --dport 443 -j ACCEPT`;
    assert.equal(state(await run(allow)).state, 'Protected');
    const ports = `${NAT}\niptables -P FORWARD DROP\niptables -A FORWARD -p tcp --dport 443 -j ACCEPT`;
    assert.equal(state(await run(ports)).state, 'Partially Protected');
    const sources = `${NAT}\niptables -P FORWARD DROP\niptables -A FORWARD -s 10.20.10.0/24 -j ACCEPT`;
    const s = await run(sources);
    assert.equal(state(s).state, 'Partially Protected');
    assert.match(state(s).reason, /accept every destination from 10\.20\.10\.0\/24 only/);
  });

  it('R1b: ufw — outgoing rules guard the machine; routed rules and the routed policy decide what it forwards', async () => {
    const beforeRules = [
      'cat >> /etc/ufw/before.rules <<EOF',
      '*nat',
      ':POSTROUTING ACCEPT [0:0]',
      '-A POSTROUTING -s 10.20.0.0/16 -o eth0 -j MASQUERADE',
      'COMMIT',
      'EOF',
      'sysctl -w net.ipv4.ip_forward=1',
    ].join('\n');
    // The host's own egress locked down, forwarding opened in /etc/default/ufw: a NAT instance.
    const host = [
      beforeRules,
      `sed -i 's/DEFAULT_FORWARD_POLICY="DROP"/DEFAULT_FORWARD_POLICY="ACCEPT"/' /etc/default/ufw`,
      'ufw default deny outgoing',
      'ufw allow out 443/tcp',
      'ufw --force enable',
    ].join('\n');
    const h = await run(host);
    assert.equal(state(h).state, 'Unprotected', state(h).reason);
    assert.match(h.findings.find((x) => x.code === 'uninspected-egress')!.fix!.title, /its ufw forwarding rules accept every destination/);
    // Routed traffic denied but for one destination: a firewall with an allow-list.
    const routed = [
      beforeRules,
      'ufw default deny routed',
      'ufw route allow out on eth0 to 203.0.113.10 port 443 proto tcp',
      'ufw --force enable',
    ].join('\n');
    const r = await run(routed);
    assert.equal(state(r).state, 'Protected', state(r).reason);
    assert.match(
      state(r).reason,
      new RegExp(
        `its ufw forwarding rules accept only named destinations \\(\`ufw route allow out on eth0 to 203\\.0\\.113\\.10 port 443 proto tcp\`\\)`,
      ),
    );
    // Rules written but ufw never enabled: they filter nothing.
    assert.equal(role(`${NAT}\nufw default deny routed`)?.role, 'nat');
    // Only incoming rules (a web server's): host hardening, no evidence of a forwarding filter.
    assert.equal(role("ufw allow 'Apache'\nufw --force enable"), undefined);
  });

  it('R1c, s17 R16: FreeBSD pf written by user data is walked as pf reads it (last match, in and out legs); nat on alone translates', async () => {
    // An allow-list: both legs pass TCP 443 to one range only, the rest is blocked.
    const pf = [
      '#!/bin/sh',
      'cat << PF_END > /etc/pf.conf',
      'nat on ena0 from 10.20.0.0/16 to any -> (ena0)',
      'block all',
      'pass in proto tcp to 203.0.113.0/24 port 443 keep state',
      'pass out proto tcp to 203.0.113.0/24 port 443 keep state',
      'PF_END',
      'sysrc gateway_enable=YES',
      'sysrc pf_enable=YES',
    ].join('\n');
    const p = await run(pf);
    assert.equal(state(p).state, 'Protected', state(p).reason);
    assert.match(
      state(p).reason,
      new RegExp(
        `its user data filters what it forwards: its pf rules pass only named destinations \\(\`pass in proto tcp to 203\\.0\\.113\\.0/24 port 443 keep state\`\\) and block the rest \\(\`block all\`\\) \\(main\\.tf:${lineOf(pf, 'block all')}\\); its rules let only named destinations out\\)`,
      ),
    );
    assert.doesNotMatch(state(p).reason, /not evaluated here|not in the inputs/);
    // Passing out only: forwarded traffic is filtered in first, where `block all` is the last match: nothing leaves.
    const outOnly = pf.replace(/pass in .*\n/, '').replace('pass out proto tcp to 203.0.113.0/24 port 443', 'pass out all');
    const o = await run(outOnly);
    assert.equal(state(o).state, 'Protected', state(o).reason);
    assert.match(state(o).reason, /its pf rules pass nothing bound for the internet \(`block all`\)/);
    // A FreeBSD design of the field (ericdahl's, our own words): block in, pass out all, then ssh, ICMP and 443 to any
    // address. Ports to every address: Partially Protected, as on any vendor.
    const ports = [
      '#!/bin/sh',
      "cat << 'PF' > /etc/pf.conf",
      'block in all',
      'pass out all keep state',
      'pass in inet proto tcp to any port 22',
      'pass inet proto icmp from any to any',
      'pass inet proto tcp to any port 443 keep state',
      'PF',
      'sysrc gateway_enable=YES',
    ].join('\n');
    const pp = await run(ports);
    assert.equal(state(pp).state, 'Partially Protected', state(pp).reason);
    assert.match(
      state(pp).reason,
      new RegExp(
        `its pf rules pass TCP 22, 443 and ICMP to any destination \\(\`pass in inet proto tcp to any port 22\`\\) and block the rest \\(\`block in all\`\\) \\(main\\.tf:${lineOf(ports, 'block in all')}\\); its rules restrict only some of it`,
      ),
    );
    // A table loaded from a file: what it holds is not in the inputs; the rules are, not evaluated here (never a guess).
    const table = ports
      .replace('block in all', 'table <ok> persist file "/etc/pf.ok"\nblock in all')
      .replace('to any port 443', 'to <ok> port 443');
    const t = await run(table);
    assert.equal(state(t).state, 'Protected', state(t).reason);
    assert.match(
      state(t).reason,
      /table ok is loaded from a file, not in the inputs .*its packet filter rules are in the user data, not evaluated here/,
    );
    const natOnly = pf
      .replace('block all', '# block all (later)')
      .replace(/pass in .*\n/, '')
      .replace(/pass out .*/, 'pass all');
    const n = await run(natOnly);
    assert.equal(state(n).state, 'Unprotected', state(n).reason);
    // A block on the NAT's interface only: whether the flow also arrives by it (one-armed) is not in the inputs, and
    // the two readings differ (ssh blocked, or nothing): undecided, said, never a guess.
    const natBlock = pf
      .replace(/pass in .*\n/, '')
      .replace(/pass out .*/, 'pass all')
      .replace('block all', 'block in quick on ena0 proto tcp to port 22');
    const nb = await run(natBlock);
    assert.equal(state(nb).state, 'Protected', state(nb).reason);
    assert.match(
      state(nb).reason,
      /whether it forwards in and out of ena0 \(its pf rules block TCP 22 to every destination .*\) or by an inside interface no rule names \(its pf rules pass every destination .*\) is not in the inputs; its packet filter rules are in the user data, not evaluated here/,
    );
  });

  it('R19: firewalld and nftables classify as iptables does', async () => {
    const direct = [
      'sysctl -w net.ipv4.ip_forward=1',
      'firewall-cmd --permanent --zone=public --add-masquerade',
      'firewall-cmd --permanent --direct --add-rule ipv4 filter FORWARD 0 -d 203.0.113.0/24 -j ACCEPT',
      'firewall-cmd --permanent --direct --add-rule ipv4 filter FORWARD 1 -j DROP',
      'firewall-cmd --reload',
    ].join('\n');
    const d = await run(direct);
    assert.equal(state(d).state, 'Protected', state(d).reason);
    assert.match(
      state(d).reason,
      /accept only named destinations \(`firewall-cmd --permanent --direct --add-rule ipv4 filter FORWARD 0 -d 203\.0\.113\.0\/24 -j ACCEPT`\)/,
    );
    assert.equal(state(await run('sysctl -w net.ipv4.ip_forward=1\nfirewall-cmd --permanent --add-masquerade')).state, 'Unprotected');

    const nftNat = 'sysctl -w net.ipv4.ip_forward=1\nnft add table ip nat\nnft add rule ip nat postrouting oifname "eth0" masquerade';
    assert.equal(state(await run(nftNat)).state, 'Unprotected');
    const ruleset = [
      'cat > /etc/nftables.conf <<EOF',
      'table inet filter {',
      '  chain input {',
      '    type filter hook input priority 0; policy drop;',
      '  }',
      '  chain forward {',
      '    type filter hook forward priority 0; policy drop;',
      '    ct state established,related accept',
      '    ip daddr 203.0.113.0/24 tcp dport 443 accept',
      '  }',
      '}',
      'table ip nat {',
      '  chain postrouting {',
      '    type nat hook postrouting priority 100;',
      '    oifname "eth0" masquerade',
      '  }',
      '}',
      'EOF',
      'nft -f /etc/nftables.conf',
      'sysctl -w net.ipv4.ip_forward=1',
    ].join('\n');
    const n = await run(ruleset);
    assert.equal(state(n).state, 'Protected', state(n).reason);
    assert.match(
      state(n).reason,
      /its nftables forwarding rules accept only named destinations \(`ip daddr 203\.0\.113\.0\/24 tcp dport 443 accept`\)/,
    );
    // Only the machine's own input chain drops: it filters nothing it forwards, a NAT.
    const inputOnly = ruleset.replace('policy drop;\n    ct state', 'policy accept;\n    ct state');
    assert.equal(state(await run(inputOnly)).state, 'Unprotected');
  });

  it('R15: gwlbtun with a script the inputs do not hold is Unknown naming the handler; one the user data writes is read', async () => {
    const fetched = [
      '#!/bin/bash',
      'git clone https://github.com/aws-samples/aws-gateway-load-balancer-tunnel-handler.git /opt/gwlbtun',
      'cd /opt/gwlbtun && cmake . && make',
      '/opt/gwlbtun/gwlbtun -c /opt/gwlbtun/example-scripts/create-nat.sh -p 80 &',
    ].join('\n');
    const u = await run(fetched);
    assert.equal(state(u).state, 'Unknown', state(u).reason);
    assert.match(
      state(u).reason,
      new RegExp(
        `runs AWS's GWLB tunnel handler \\(gwlbtun \\(main\\.tf:${lineOf(fetched, '/opt/gwlbtun/gwlbtun -c')}\\)\\) with /opt/gwlbtun/example-scripts/create-nat\\.sh, a script the inputs do not hold`,
      ),
    );
    // The script written by the user data: its rules are its policy.
    const written = [
      '#!/bin/bash',
      'cat > /opt/create-route.sh <<EOF',
      '#!/bin/bash',
      'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
      'iptables -P FORWARD DROP',
      'iptables -A FORWARD -d 198.51.100.7 -j ACCEPT',
      'EOF',
      'chmod +x /opt/create-route.sh',
      'sysctl -w net.ipv4.ip_forward=1',
      '/opt/gwlbtun -c /opt/create-route.sh -p 80',
    ].join('\n');
    const w = await run(written);
    assert.equal(state(w).state, 'Protected', state(w).reason);
    assert.match(state(w).reason, /accept only named destinations \(`iptables -A FORWARD -d 198\.51\.100\.7 -j ACCEPT`\)/);
    // The pass-through script: every packet straight back (a GWLB target's case is in applianceRole.test.ts).
    assert.equal(role('ExecStart=/root/gwlbtun/gwlbtun -c /root/gwlbtun/example-scripts/create-passthrough.sh -p 80')?.hairpin, true);
  });
});
