// Review s17 R16: pf rules a BSD forwarder's user data writes, walked as pf reads them (vocabulary/pfFilter.ts): last
// match unless quick, a forwarded packet filtered in on the inside interface and out on the outside one, macros and
// tables expanded where the file defines them, anything else undecided and named. pf.conf texts written for these
// tests, in the shapes FreeBSD and OpenBSD gateways use.
import { strict as assert } from 'node:assert';
import { pfForward } from '../../../src/parse/vocabulary/pfFilter';
import { readShell } from '../../../src/parse/vocabulary/shell';

/** The verdict on a pf.conf written by a quoted heredoc (plus any shell lines after it). */
const walk = (conf: string, after = '') => {
  const text = `#!/bin/sh\ncat > /etc/pf.conf <<'PF'\n${conf.trim()}\nPF\n${after}`;
  return pfForward(readShell(text), text);
};

describe('pf rules walked as pf reads them (review s17 R16)', () => {
  it('the last matching rule decides unless one is quick; what no rule matches passes', () => {
    // Last match: the pass of TCP 443 after `block all` wins for it.
    const v = walk('block all\npass proto tcp to any port 443');
    assert.equal(v.kind, 'partial');
    assert.match(v.why, /pass TCP 443 to any destination \(`pass proto tcp to any port 443`\) and block the rest \(`block all`\)/);
    // The same rules in the other order: `block all` is the last match for everything.
    assert.equal(walk('pass proto tcp to any port 443\nblock all').kind, 'blocked');
    // quick decides at once: the pass before it stands.
    const quick = walk('pass quick proto tcp to port https\nblock quick all\npass all');
    assert.equal(quick.kind, 'partial');
    assert.match(quick.why, /TCP 443/);
    // No block at all: everything passes.
    assert.equal(walk('pass out all\npass in all').kind, 'open');
  });

  it('a forwarded packet must pass in, then out: a pass out alone lets nothing through `block in`', () => {
    const v = walk('block in all\npass out all keep state');
    assert.equal(v.kind, 'blocked');
    assert.match(v.why, /pass nothing bound for the internet \(`block in all`\)/);
    // Both legs restrict, to different ports: nothing passes both.
    assert.equal(walk('block all\npass in proto tcp to port 80\npass out proto tcp to port 443').kind, 'blocked');
    // Both legs pass TCP 443: it leaves.
    assert.equal(walk('block all\npass in proto tcp to port 443\npass out proto tcp to port 443').kind, 'partial');
    // ICMP and ssh to anywhere beside 443: services to every address, Partially Protected as on any vendor.
    const ports = walk(
      'block in all\npass out all keep state\npass in inet proto tcp to any port 22\npass inet proto icmp from any to any\npass inet proto tcp to any port 443 keep state',
    );
    assert.equal(ports.kind, 'partial');
    assert.match(ports.why, /pass TCP 22, 443 and ICMP to any destination/);
  });

  it('named destinations only: an allow-list (tables and lists defined in the file, macros expanded)', () => {
    const v = walk(`
int_if = "vtnet1"
ext_if = "vtnet0"
web = "{ 80, 443 }"
table <partners> const { 203.0.113.0/24, 198.51.100.7 }
nat on $ext_if inet from 10.0.0.0/8 to any -> ($ext_if)
block log all
pass in on $int_if inet proto tcp from any to <partners> port $web
pass out on $ext_if inet proto tcp to <partners> port $web keep state
`);
    assert.equal(v.kind, 'allowlist', v.why);
    assert.match(
      v.why,
      /pass only named destinations \(`pass in on \$int_if inet proto tcp from any to <partners> port \$web`\) and block the rest \(`block log all`\)/,
    );
    // A host name: pf resolves it when it loads the rules, a named destination.
    assert.equal(walk('block all\npass to updates.example.com').kind, 'allowlist');
    // Private destinations only: nothing bound for the internet.
    assert.equal(walk('block all\npass to { 10.0.0.0/8 172.16.0.0/12 }').kind, 'blocked');
    // A negated private range is every internet address.
    assert.equal(walk('block all\npass to ! 10.0.0.0/8').kind, 'open');
  });

  it('a deny-list, or every destination from some sources only: partial', () => {
    const deny = walk('pass all\nblock in quick to 192.0.2.0/24');
    assert.equal(deny.kind, 'partial');
    assert.match(deny.why, /block some destinations \(`block in quick to 192\.0\.2\.0\/24`\) and pass the rest/);
    const src = walk('block all\npass from 10.10.0.0/16 to any');
    assert.equal(src.kind, 'partial');
    assert.match(src.why, /decide by source: for some they pass every destination \(`pass from 10\.10\.0\.0\/16 to any`\)/);
    // A few ports blocked and the rest passed (OpenBSD's stock X11 rule): said as what it blocks.
    const x11 = walk(`
set skip on lo
block return
pass
block return in on ! lo0 proto tcp to port 6000:6010
block return out log proto {tcp udp} user _pbuild
`);
    assert.equal(x11.kind, 'partial', x11.why);
    // `user` rules match the firewall's own sockets only, never a packet it forwards.
    assert.match(
      x11.why,
      /block TCP 6000-6010 to every destination \(`block return in on ! lo0 proto tcp to port 6000:6010`\) and pass the rest \(`pass`\)/,
    );
  });

  it('interfaces: the NAT interface is the outside; rules on an interface nothing ties to a side are undecided', () => {
    const two = walk(`
ext_if = "em0"
int_if = "em1"
nat on $ext_if from $int_if:network to any -> ($ext_if)
block all
pass in on $int_if proto tcp to port { 80 443 }
pass out on $ext_if keep state
`);
    assert.equal(two.kind, 'partial', two.why);
    assert.match(two.why, /TCP 80, 443 to any destination/);
    // The same rules without the NAT rule: which of em0 and em1 leads out is not known.
    const noNat = walk('block all\npass in on em1 proto tcp to port 443\npass out on em0');
    assert.equal(noNat.kind, 'undecided');
    assert.match(noNat.why, /matches an interface \(em1\) that the rules do not tie to the inside or the outside/);
    // One interface named (the NAT's): the flow may come in by it (one-armed) or by one no rule names.
    const one = walk('nat on ena0 from 10.0.0.0/8 to any -> (ena0)\nblock all\npass out on ena0\npass in on ena0 proto tcp to port 443');
    assert.equal(one.kind, 'undecided');
    assert.match(one.why, /whether it forwards in and out of ena0 .* or by an inside interface no rule names .* is not in the inputs/);
    // OpenBSD's egress group is the outside; its inside interface named: decided.
    const openbsd = walk(
      'match out on egress inet from !(egress:network) to any nat-to (egress:0)\nblock all\npass out on egress\npass in on vio1 proto udp to port domain\npass in on vio1 proto tcp to port 443',
    );
    assert.equal(openbsd.kind, 'partial', openbsd.why);
    assert.match(openbsd.why, /pass TCP 443 and UDP 53 to any destination/);
  });

  it('what cannot be decided is said, never guessed', () => {
    // A table filled from a file or at run time.
    assert.match(
      walk('table <ok> persist file "/etc/ok"\nblock all\npass to <ok>').why,
      /table ok is loaded from a file, not in the inputs/,
    );
    assert.match(walk('block all\npass to <dyn>').why, /table dyn is filled when the firewall runs/);
    assert.match(
      walk('table <ok> { 203.0.113.1 }\nblock all\npass to <ok>', 'pfctl -t ok -T add 0.0.0.0/0').why,
      /changes a pf table when it runs/,
    );
    // A macro not defined, an anchor whose rules are elsewhere, a match not read.
    assert.match(walk('block all\npass out on $ext_if').why, /uses \$ext_if, which the rules do not define/);
    assert.match(walk('anchor "corp"\nblock all').why, /`anchor "corp"` loads rules that are not in the inputs/);
    assert.equal(walk('anchor "ftp-proxy/*"\nblock all').kind, 'blocked');
    assert.match(walk('block all\npass proto tcp to port 443 probability 50%').why, /probability/);
    // A redirect hands the flow elsewhere (a transparent proxy).
    const proxy = walk(
      'nat on em0 from any to any -> (em0)\nrdr pass on em1 proto tcp to port 80 -> 127.0.0.1 port 3128\nblock all\npass out',
    );
    assert.match(proxy.why, /it redirects the traffic \(`rdr pass on em1 proto tcp to port 80 -> 127\.0\.0\.1 port 3128`\)/);
    for (const v of [walk('table <ok> persist file "/etc/ok"\nblock all\npass to <ok>'), walk('anchor "corp"\nblock all')])
      assert.equal(v.kind, 'undecided');
  });

  it('the file pf loads, written whole: quoted heredocs, echo lines, pf_rules; the shell expanding an unquoted heredoc', () => {
    const unquoted = '#!/bin/sh\ncat > /etc/pf.conf <<EOF\next_if = "vtnet0"\nblock all\npass out on $ext_if\nEOF\n';
    const u = pfForward(readShell(unquoted), unquoted);
    assert.equal(u.kind, 'undecided');
    assert.match(u.why, /the shell expands `\$ext_if` in what it writes to \/etc\/pf\.conf \(its heredoc delimiter is not quoted\)/);
    const echo = 'echo "block all" > /etc/pf.conf\necho "pass proto udp to port 53" >> /etc/pf.conf\npfctl -f /etc/pf.conf\n';
    assert.equal(pfForward(readShell(echo), echo).kind, 'partial');
    const appended = 'echo "block all" >> /etc/pf.conf\n';
    assert.match(pfForward(readShell(appended), appended).why, /appends pf rules to \/etc\/pf\.conf, which it does not write whole/);
    // pf_rules names the file: /etc/pf.conf written beside it is not what pf loads.
    const other =
      "sysrc pf_rules=/usr/local/etc/pf.rules\ncat > /usr/local/etc/pf.rules <<'R'\nblock all\nR\ncat > /etc/pf.conf <<'R'\npass all\nR\n";
    assert.equal(pfForward(readShell(other), other).kind, 'blocked');
    const missing = 'pfctl -f /root/rules.pf\n';
    assert.match(pfForward(readShell(missing), missing).why, /its pf rules are in \/root\/rules\.pf, which the user data does not write/);
  });
});
