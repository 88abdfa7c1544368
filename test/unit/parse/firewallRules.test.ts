// The firewall rule vocabulary: Suricata lines, 5-tuple rules, domain lists and Azure rules reduced to
// (action, destinations, traffic).
import { strict as assert } from 'node:assert';
import { unresolved } from '../../../src/model/types';
import {
  azureRule,
  domainListRules,
  fiveTupleRule,
  fqdnUnder,
  statelessRule,
  suricataRule,
  suricataRules,
  type StatelessMatch,
} from '../../../src/parse/vocabulary/firewallRules';

describe('firewall rule vocabulary', () => {
  it('a catch-all Suricata drop toward the internet matches every destination and protocol', () => {
    assert.deepEqual(
      [
        suricataRule('drop ip $HOME_NET any -> $EXTERNAL_NET any (msg:"default deny"; flow:to_server; sid:9;)'),
        suricataRule('reject ip any any -> any any (sid:10;)'),
      ].map((r) => r && [r.action, r.dest, r.proto]),
      [
        ['drop', 'any', 'any'],
        ['drop', 'any', 'any'],
      ],
    );
  });

  it('narrowed rules match some traffic: a port, a content match, a geo, an ingress destination, a reply flow', () => {
    const lines = [
      'drop tcp $HOME_NET any -> any 22 (sid:1;)',
      'reject tls $HOME_NET any -> any any (tls.sni; content:".ru"; nocase; sid:2;)',
      'alert ip $HOME_NET any -> any any (geoip:dst,RU; sid:3;)',
      'drop ip any any -> $HOME_NET any (flow:to_server; sid:4;)',
      'pass tcp any any -> $HOME_NET any (flow:not_established, to_client; sid:5;)',
    ];
    assert.deepEqual(
      lines.map((l) => suricataRule(l)).map((r) => r && `${r.action} ${r.dest} ${r.proto}`),
      ['drop some some', 'drop some web', 'alert some any', 'drop some any', 'pass some some'],
    );
  });

  it('comments and blank lines are no rules; a line that is not a rule is an unknown action', () => {
    const rules = suricataRules('# header\n\npass ip $HOME_NET any -> any any (sid:1;)\nnot a rule at all\n');
    assert.deepEqual(
      rules.map((r) => `${r.action} ${r.dest} ${r.proto}`),
      ['pass any any', 'unknown some some'],
    );
  });

  it('5-tuple rules and domain lists', () => {
    const f = fiveTupleRule('DROP', { protocol: 'IP', source: '$HOME_NET', destination: 'ANY', destinationPort: 'ANY' });
    assert.deepEqual([f.action, f.dest, f.proto], ['drop', 'any', 'any']);
    const icmp = fiveTupleRule('ALERT', { protocol: 'ICMP', source: 'ANY', destination: 'ANY', destinationPort: 'ANY' });
    assert.deepEqual([icmp.action, icmp.dest, icmp.proto], ['alert', 'any', 'some']);
    assert.deepEqual(
      domainListRules('ALLOWLIST', ['.example.org', '.amazonaws.com']).map((r) => `${r.action} ${r.dest} ${r.proto}`),
      ['pass some web', 'drop any web'],
    );
    // An allowed entry that takes every name (a TLD, a public suffix) passes HTTP/TLS to every destination (review s16 R12).
    for (const wide of ['.com', '*', '.co.uk'])
      assert.deepEqual(
        domainListRules('ALLOWLIST', ['.example.org', wide]).map((r) => `${r.action} ${r.dest} ${r.proto}`),
        ['pass any web', 'drop any web'],
        wide,
      );
    assert.deepEqual(
      domainListRules('DENYLIST', ['a.test', 'b.test', 'c.test']).map((r) => `${r.action} ${r.dest} ${r.proto}`),
      ['drop some web'],
    );
  });

  it('Suricata and 5-tuple sources: any is every source; CIDRs, lists and rule variables ($HOME_NET, $JUMP) are kept as written (the firewall decides what they hold); negations are undecided', () => {
    const src = (line: string) => {
      const r = suricataRule(line)!;
      const s = r.sources;
      return `${r.dest} ${s === undefined ? 'any' : Array.isArray(s) ? s.join(',') : `unresolved ${s.text}`}`;
    };
    assert.deepEqual(
      [
        'pass ip $HOME_NET any -> any any (sid:1;)',
        'pass ip 10.1.2.0/24 any -> any any (sid:2;)',
        'drop tcp [10.1.0.0/16,192.168.1.5] any -> any any (sid:3;)',
        'pass ip $JUMP any -> any any (sid:4;)',
        'pass ip !10.1.0.0/16 any -> any any (sid:5;)',
        'pass ip 10.1.2.0/24 any <> any any (sid:6;)',
        'pass ip [$HOME_NET,192.168.0.0/16] any -> any any (sid:7;)',
        'pass ip any any -> any any (sid:8;)',
        'pass ip !$HOME_NET any -> any any (sid:9;)',
      ].map(src),
      [
        'any $HOME_NET',
        'any 10.1.2.0/24',
        'any 10.1.0.0/16,192.168.1.5',
        'any $JUMP',
        'any unresolved !10.1.0.0/16',
        'any any',
        'any $HOME_NET,192.168.0.0/16',
        'any any',
        'any unresolved !$HOME_NET',
      ],
    );
    const t = fiveTupleRule('PASS', { protocol: 'IP', source: '10.1.2.0/24', destination: 'ANY', destinationPort: 'ANY' });
    assert.deepEqual([t.action, t.dest, t.proto, t.sources], ['pass', 'any', 'any', ['10.1.2.0/24']]);
    const h = fiveTupleRule('DROP', { protocol: 'IP', source: '$HOME_NET', destination: 'ANY', destinationPort: 'ANY' });
    assert.deepEqual(h.sources, ['$HOME_NET']);
  });

  it('domain lists: every generated rule is written from $HOME_NET (it matches traffic from HOME_NET only)', () => {
    for (const type of ['ALLOWLIST', 'DENYLIST', 'ALERTLIST'])
      assert.deepEqual(
        domainListRules(type, ['a.test', 'b.test']).map((r) => r.sources),
        (type === 'ALLOWLIST' ? [1, 2] : [1]).map(() => ['$HOME_NET']),
        type,
      );
  });

  it('Azure sources: * is every source, addresses and IP group CIDRs are kept, undecided ones are kept undecided', () => {
    const r = (sources: Parameters<typeof azureRule>[2]['sources']) =>
      azureRule('Allow', 'network', { name: 'x', destinations: ['*'], ports: ['*'], protocols: ['Any'], sources }).sources;
    assert.equal(r(['*']), undefined);
    assert.equal(r(undefined), undefined);
    assert.deepEqual(r(['10.0.2.0/24', '10.0.3.1-10.0.3.9']), ['10.0.2.0/24', '10.0.3.1-10.0.3.9']);
    const u = unresolved('var.jump', 'no value');
    assert.equal(r(u), u);
  });

  it('Azure: an allow to * on any protocol and every port is an allow-all; named FQDNs are some', () => {
    const all = azureRule('Allow', 'network', { name: 'any', destinations: ['*'], ports: ['*'], protocols: ['Any'] });
    assert.deepEqual([all.action, all.dest, all.proto], ['pass', 'any', 'any']);
    const dns = azureRule('Allow', 'network', { name: 'dns', destinations: ['*'], ports: ['53'], protocols: ['UDP'] });
    assert.deepEqual([dns.action, dns.dest, dns.proto], ['pass', 'any', 'some']);
    const web = azureRule('Allow', 'application', { name: 'web', destinations: ['*'], protocols: [] });
    assert.deepEqual([web.action, web.dest, web.proto], ['pass', 'any', 'web']);
    const named = azureRule('Deny', 'application', { name: 'x', destinations: ['example.org'], protocols: [] });
    assert.deepEqual([named.action, named.dest], ['drop', 'some']);
  });

  it('Azure: TCP and UDP on every port to * is an allow-all (ICMP left out changes no egress flow); TCP alone is some', () => {
    const tcpUdp = azureRule('Allow', 'network', { name: 'all', destinations: ['*'], ports: ['*'], protocols: ['TCP', 'UDP'] });
    assert.deepEqual([tcpUdp.dest, tcpUdp.proto], ['any', 'any']);
    const tcp = azureRule('Allow', 'network', { name: 'tcp', destinations: ['*'], ports: ['*'], protocols: ['TCP'] });
    assert.deepEqual([tcp.dest, tcp.proto], ['any', 'some']);
    const someUdp = azureRule('Allow', 'network', { name: 'p', destinations: ['*'], ports: ['53', '443'], protocols: ['TCP', 'UDP'] });
    assert.equal(someUdp.proto, 'some');
  });

  it('Suricata destinations: a list holding any / 0.0.0.0/0, or a negation of private ranges or $HOME_NET only, is every internet address', () => {
    const every = [
      'pass ip $HOME_NET any -> [any] any (sid:1;)',
      'pass ip $HOME_NET any -> [0.0.0.0/0,::/0] any (sid:1;)',
      'pass ip any any -> [0.0.0.0/0] any (sid:1;)',
      'pass ip $HOME_NET any -> !10.0.0.0/8 any (sid:1;)',
      'pass ip $HOME_NET any -> [!10.0.0.0/8,!172.16.0.0/12,!192.168.0.0/16] any (sid:1;)',
      'pass ip $HOME_NET any -> ![10.0.0.0/8,192.168.0.0/16] any (sid:1;)',
      'pass ip $HOME_NET any -> [!$HOME_NET] any (sid:1;)',
      'pass ip $HOME_NET any -> ![$HOME_NET] any (sid:1;)',
    ];
    assert.deepEqual(
      every.map((l) => suricataRule(l)?.dest),
      every.map(() => 'any'),
    );
    const some = [
      'pass ip $HOME_NET any -> [1.1.1.1,8.8.8.8] any (sid:1;)',
      'pass ip $HOME_NET any -> !1.1.1.1 any (sid:1;)',
      'pass ip $HOME_NET any -> [!10.0.0.0/8,1.2.3.4] any (sid:1;)',
      'pass ip $HOME_NET any -> ![$RFC_1918] any (sid:1;)',
      'pass ip $HOME_NET any -> [::/0] any (sid:1;)',
      'pass ip $HOME_NET any -> [[0.0.0.0/0]] any (sid:1;)',
    ];
    assert.deepEqual(
      some.map((l) => suricataRule(l)?.dest),
      some.map(() => 'some'),
    );
    // A negated set is judged by its addresses in analysis; a negation awsAnyDest decides is every address already.
    const negated = [
      ['pass ip $HOME_NET any -> ![$RFC_1918] any (sid:1;)', ['$RFC_1918'], 'any'],
      ['pass tcp $HOME_NET any -> !$RFC_1918 443 (sid:1;)', ['$RFC_1918'], 'some'],
      ['pass ip $HOME_NET any -> !@PRIVATE any (sid:1;)', ['@PRIVATE'], 'any'],
      ['pass ip $HOME_NET any -> [!$A,!10.0.0.0/8] any (sid:1;)', ['$A', '10.0.0.0/8'], 'any'],
      ['pass ip $HOME_NET any -> !1.1.1.1 any (sid:1;)', ['1.1.1.1'], 'any'],
    ] as const;
    for (const [line, items, ports] of negated)
      assert.deepEqual(suricataRule(line)?.variableDest, { items: [...items], negate: true, ports }, line);
    for (const line of [
      'pass ip $HOME_NET any -> [!$A,$B] any (sid:1;)',
      'pass ip $HOME_NET any -> !$HOME_NET any (sid:1;)',
      'pass ip $HOME_NET any -> ![!$A] any (sid:1;)',
    ])
      assert.equal(suricataRule(line)?.variableDest, undefined, line);
    assert.deepEqual(
      fiveTupleRule('PASS', { protocol: 'TCP', source: '$HOME_NET', destination: '!$RFC_1918', destinationPort: '443' }).variableDest,
      {
        items: ['$RFC_1918'],
        negate: true,
        ports: 'some',
      },
    );
    // On some ports only: any address, some traffic (a pass of web to everywhere beside a default drop).
    assert.equal(suricataRule('pass tcp $HOME_NET any -> [0.0.0.0/0,::/0] 443 (sid:2;)')?.anyAddress, true);
  });

  it('stateless rules: the standard action beside custom actions; every port range 0:65535 is no narrowing; private destinations only never take internet traffic', () => {
    const m = (x: Partial<StatelessMatch>): StatelessMatch => ({
      sources: [],
      destinations: [],
      sourcePorts: [],
      destinationPorts: [],
      protocols: [],
      tcpFlags: false,
      ...x,
    });
    const all = statelessRule(1, ['MetricsAction', 'aws:pass'], m({ sources: ['0.0.0.0/0'], sourcePorts: ['0:65535'] }));
    assert.deepEqual([all.action, all.v4.sources, all.v4.dest, all.proto], ['pass', [], 'any', 'any']);
    const web = statelessRule(2, ['aws:forward_to_sfe'], m({ sources: ['10.0.0.0/8'], destinationPorts: ['443:443'], protocols: ['6'] }));
    assert.deepEqual([web.action, web.v4.sources, web.v4.dest, web.proto], ['forward', ['10.0.0.0/8'], 'any', 'some']);
    // A rule from IPv4 sources takes no IPv6 packet.
    assert.equal(web.v6.dest, 'none');
    const eastWest = statelessRule(3, ['aws:drop'], m({ destinations: ['10.0.0.0/8', '192.168.0.0/16'] }));
    assert.equal(eastWest.v4.dest, 'none');
    const named = statelessRule(4, ['aws:pass'], m({ destinations: ['10.0.0.0/8', '203.0.113.0/24'] }));
    assert.equal(named.v4.dest, 'some');
    const flags = statelessRule(5, ['aws:drop'], m({ tcpFlags: true }));
    assert.equal(flags.proto, 'some');
    // Two standard actions, or one the vocabulary does not know, decide nothing; an undecided source is said.
    assert.equal(statelessRule(6, ['aws:pass', 'aws:drop'], m({})).action, 'unknown');
    assert.equal(statelessRule(7, ['aws:reject'], m({})).action, 'unknown');
    assert.equal(statelessRule(8, ['aws:pass'], m({ sources: [unresolved('var.home_net', 'no value')] })).undecided, 'var.home_net');
  });
  it('an FQDN known only from its end names a host under that domain when the end is a dot and two or more literal labels', () => {
    // "${random}.blob.core.windows.net", "${random}logs.dfs.core.windows.net": the unknown part is in the leading label.
    assert.equal(fqdnUnder('.blob.core.windows.net', ['.blob.core.windows.net']), 'blob.core.windows.net');
    assert.equal(fqdnUnder('logs.DFS.core.windows.net', ['logs.DFS.core.windows.net']), 'dfs.core.windows.net');
    // Too short, no dot, not a label, a wildcard anywhere in what is known: not decided.
    assert.equal(fqdnUnder('.com', ['.com']), undefined);
    assert.equal(fqdnUnder('store', ['store']), undefined);
    assert.equal(fqdnUnder('.blob.core.windows.net/x', []), undefined);
    assert.equal(fqdnUnder('.core..net', []), undefined);
    assert.equal(fqdnUnder('.blob.core.windows.net', ['*.', '.blob.core.windows.net']), undefined);
    assert.equal(fqdnUnder('x_y.example.com', []), undefined);
  });
});
