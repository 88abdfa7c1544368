// OPNsense / pfSense config.xml filter rules (vocabulary/opnsensePolicy.ts): interface rules, first match wins, the
// automatic default deny after them; what is not read (floating rules, an outbound block, an alias, damage) is
// unknown, located, never guessed. Our own small configurations, modelled on an OPNsense NVA lab's.
import * as assert from 'node:assert/strict';
import { opnsenseConfigXml } from '../../../src/parse/vocabulary/opnsensePolicy';
import { bootstrapFlow, bootstrapPosture, sourceSpan } from '../../../src/analysis/firewallPolicy/bootstrap';
import { repositoryPath } from '../../../src/parse/terraform/applianceConfig';
import type { SourceLocation } from '../../../src/model/types';

const FILE = 'nva/config.xml';
const locate =
  (text: string) =>
  (a: number, b: number): SourceLocation => {
    const line = (o: number) => text.slice(0, o).split('\n').length - 1;
    return { file: FILE, range: { start: { line: line(a), character: 0 }, end: { line: line(b), character: 0 } } };
  };

/** A config.xml of `root` with two interfaces and these rules. */
const config = (rules: string, root = 'opnsense') => `<?xml version="1.0"?>
<${root}>
  <interfaces>
    <wan><if>vtnet0</if><ipaddr>dhcp</ipaddr></wan>
    <lan><if>vtnet1</if><ipaddr>dhcp</ipaddr></lan>
  </interfaces>
  <filter>
${rules}
  </filter>
</${root}>
`;

const pass = (iface: string, descr: string, extra = '', src = '<any/>', dst = '<any/>') => `    <rule>
      <type>pass</type>
      <interface>${iface}</interface>
      <ipprotocol>inet</ipprotocol>
      <descr>${descr}</descr>
      <source>${src}</source>
      <destination>${dst}</destination>
${extra}    </rule>`;

const read = (text: string) => opnsenseConfigXml(text, locate(text));
const posture = (text: string) => bootstrapPosture(read(text)!.policy, read(text)!.policy.language);

describe('OPNsense / pfSense config.xml filter rules', () => {
  it('any to any passed and logged on every interface: a logged permit-all, the rule named and located', () => {
    const text = config(
      [
        pass(
          'wan',
          'admin to the firewall',
          '      <protocol>tcp</protocol>\n      <log>1</log>\n',
          '<any/>',
          '<network>wanip</network><port>443</port>',
        ),
        pass('wan', 'all in wan', '      <log>1</log>\n'),
        pass('lan', 'lan net out', '      <log/>\n', '<network>lan</network>'),
        pass('lan', 'all in lan', '      <log>1</log>\n'),
      ].join('\n'),
    );
    const p = posture(text);
    assert.equal(p.cls, 'permit-all');
    assert.match(
      p.reason,
      /^OPNsense rule 2 "all in wan" \(nva\/config\.xml:\d+\) passes any source to any destination, any protocol and logs all traffic/,
    );
  });

  it('the same rules unlogged: everything passes unwatched (bypass)', () => {
    const p = posture(config([pass('wan', 'all in wan'), pass('lan', 'all in lan')].join('\n')));
    assert.equal(p.cls, 'bypass');
    assert.match(p.reason, /its log flag is off/);
  });

  it('a default deny with narrow passes (web to a named range): restricted, and a flow decided by its port', () => {
    const text = config(
      [
        pass(
          'lan',
          'web out',
          '      <protocol>tcp</protocol>\n      <log>1</log>\n',
          '<any/>',
          '<address>203.0.113.0/24</address><port>443</port>',
        ),
        pass(
          'lan',
          'dns to resolver',
          '      <protocol>udp</protocol>\n',
          '<network>lan</network>',
          '<address>10.0.0.53</address><port>53</port>',
        ),
        pass('wan', 'disabled all', '      <disabled>1</disabled>\n      <log>1</log>\n'),
      ].join('\n'),
    );
    const p = posture(text);
    assert.equal(p.cls, 'restricted');
    assert.match(p.reason, /rule 1 "web out" .* accepts only some destinations or services; the rest is denied/);
    const policy = read(text)!.policy;
    assert.equal(bootstrapFlow(policy, 'OPNsense', { dst: '203.0.113.9', protocol: 'tcp', port: 22 }).decision, 'deny');
  });

  it('a block of everything before a pass-all: restricted', () => {
    const block = `    <rule><type>block</type><interface>lan</interface><source><any/></source><destination><any/></destination></rule>`;
    const p = posture(config([block, pass('lan', 'all in lan', '      <log>1</log>\n')].join('\n')));
    assert.equal(p.cls, 'restricted');
  });

  it('a damaged config.xml: the table is unknown with where the XML breaks, and the damage is told', () => {
    const text = config(pass('lan', 'all in lan', '      <log>1</log>\n'))
      .replace('</descr>', '</desc>')
      .replace('</opnsense>\n', '');
    const x = read(text)!;
    assert.ok(x.damage);
    assert.match(x.damage.at, /^nva\/config\.xml:\d+/);
    const p = posture(text);
    assert.equal(p.cls, 'unknown');
    assert.match(
      p.reason,
      /OPNsense.s configuration policy \(filter, nva\/config\.xml:\d+\) cannot be read whole: its XML is damaged: .* \(nva\/config\.xml:\d+\)/,
    );
  });

  it('not read, so unknown: a floating rule, an outbound block, an alias, a rule that is not quick', () => {
    const floating = pass('lan', 'float', '      <floating>yes</floating>\n      <log>1</log>\n');
    assert.match(posture(config(floating)).reason, /floating rule/);
    const outBlock = `    <rule><type>block</type><interface>wan</interface><direction>out</direction><source><any/></source><destination><any/></destination></rule>`;
    assert.match(posture(config([outBlock, pass('lan', 'all', '      <log>1</log>\n')].join('\n'))).reason, /blocks traffic leaving wan/);
    const alias = pass('lan', 'to alias', '      <log>1</log>\n', '<any/>', '<address>Blocklist</address>');
    const a = posture(config(alias));
    assert.equal(a.cls, 'unknown');
    assert.match(a.reason, /Blocklist is an alias or network not read here/);
    const notQuick = pass('lan', 'last match', '      <quick>0</quick>\n      <log>1</log>\n');
    assert.match(posture(config(notQuick)).reason, /is not quick/);
  });

  it("LAN net is the interface's subnet from <interfaces>; a dynamic address leaves it known when the firewall runs", () => {
    const staticLan = (rules: string) =>
      config(rules).replace(
        '<lan><if>vtnet1</if><ipaddr>dhcp</ipaddr></lan>',
        '<lan><if>vtnet1</if><ipaddr>10.0.1.4</ipaddr><subnet>24</subnet></lan>',
      );
    const text = staticLan(
      [
        pass('lan', 'lan net out', '      <log>1</log>\n', '<network>lan</network>'),
        `    <rule><type>block</type><interface>lan</interface><source><any/></source><destination><any/></destination></rule>`,
      ].join('\n'),
    );
    const policy = read(text)!.policy;
    const rule1 = policy.tables[0].rules[0];
    assert.equal(rule1.src, 'some');
    assert.deepEqual(rule1.flow.src.ranges, ['10.0.1.0/24']);
    assert.equal(rule1.flow.src.unknown, undefined);
    // A flow from the LAN subnet meets rule 1; one from a spoke behind it (another range) meets the block.
    assert.equal(bootstrapFlow(policy, 'OPNsense', { src: '10.0.1.20', dst: '8.8.8.8', protocol: 'tcp', port: 443 }).decision, 'allow');
    assert.equal(bootstrapFlow(policy, 'OPNsense', { src: '10.1.0.5', dst: '8.8.8.8', protocol: 'tcp', port: 443 }).decision, 'deny');
    // The egress of the LAN subnet itself: a logged permit-all; of a spoke's subnet: denied (restricted).
    const lan = bootstrapPosture(policy, 'OPNsense', 4, sourceSpan('10.0.1.0/24'));
    assert.equal(lan.cls, 'permit-all', lan.reason);
    assert.equal(bootstrapPosture(policy, 'OPNsense', 4, sourceSpan('10.1.0.0/24')).cls, 'restricted');
    // DHCP on the LAN: its subnet is known when the firewall runs, not here.
    const dyn = read(config(pass('lan', 'lan net out', '', '<network>lan</network>')))!.policy.tables[0].rules[0];
    assert.match(
      String(dyn.flow.src.unknown),
      /network lan is the subnet of interface lan \(its address is `dhcp`\), known when the firewall runs/,
    );
  });

  it('aliases: host and network aliases by their content (nested ones followed), port aliases; URL tables and unknown names stay unknown', () => {
    const withAliases = (rules: string, aliases: string) => config(rules).replace('  <filter>', `${aliases}\n  <filter>`);
    const opnAliases = `  <OPNsense><Firewall><Alias><aliases>
    <alias uuid="a1"><enabled>1</enabled><name>Partners</name><type>host</type><content>203.0.113.10
updates.example.com
PartnerNets</content></alias>
    <alias uuid="a2"><enabled>1</enabled><name>PartnerNets</name><type>network</type><content>198.51.100.0/24</content></alias>
    <alias uuid="a3"><enabled>1</enabled><name>Web</name><type>port</type><content>443
8443</content></alias>
    <alias uuid="a4"><enabled>1</enabled><name>Feed</name><type>urltable</type><content>https://feeds.example.org/list.txt</content></alias>
    <alias uuid="a5"><enabled>0</enabled><name>Old</name><type>host</type><content>192.0.2.1</content></alias>
  </aliases></Alias></Firewall></OPNsense>`;
    const rules = pass(
      'lan',
      'web to partners',
      '      <protocol>tcp</protocol>\n      <log>1</log>\n',
      '<any/>',
      '<address>Partners</address><port>Web</port>',
    );
    const text = withAliases(rules, opnAliases);
    const policy = read(text)!.policy;
    const r = policy.tables[0].rules[0];
    assert.deepEqual(r.flow.dst.ranges, ['203.0.113.10', '198.51.100.0/24']);
    assert.deepEqual(r.flow.dst.fqdns, ['updates.example.com']);
    assert.deepEqual(r.flow.service.entries, [
      {
        protocol: 'tcp',
        ports: [
          [443, 443],
          [8443, 8443],
        ],
      },
    ]);
    // An allow-list of named destinations before the default deny: restricted; flows decided by the alias members.
    assert.equal(bootstrapPosture(policy, 'OPNsense').cls, 'restricted');
    assert.equal(bootstrapFlow(policy, 'OPNsense', { dst: '198.51.100.7', protocol: 'tcp', port: 8443 }).decision, 'allow');
    assert.equal(bootstrapFlow(policy, 'OPNsense', { dst: '198.51.100.7', protocol: 'tcp', port: 22 }).decision, 'deny');
    // Another address on a listed port: the host name in the alias may resolve to it, which is not known offline.
    const other = bootstrapFlow(policy, 'OPNsense', { dst: '8.8.8.8', protocol: 'tcp', port: 443 });
    assert.equal(other.decision, 'unknown');
    assert.match(other.reason, /updates\.example\.com is resolved when the firewall runs/);
    // A URL table: fetched when the firewall runs, never guessed; a disabled alias is not read either.
    const feed = posture(withAliases(pass('lan', 'to feed', '      <log>1</log>\n', '<any/>', '<address>Feed</address>'), opnAliases));
    assert.equal(feed.cls, 'unknown');
    assert.match(feed.reason, /alias Feed is of type urltable: its addresses are fetched or set when the firewall runs/);
    assert.match(
      posture(withAliases(pass('lan', 'to old', '', '<any/>', '<address>Old</address>'), opnAliases)).reason,
      /alias Old is disabled/,
    );
    // pfSense (and older OPNsense) aliases: <aliases> with space-separated addresses, under <pfsense>.
    const pfs = config(pass('lan', 'to partners', '      <log/>\n', '<any/>', '<address>Partners</address>'), 'pfsense').replace(
      '  <filter>',
      '  <aliases><alias><name>Partners</name><type>network</type><address>203.0.113.0/24 198.51.100.0/24</address></alias></aliases>\n  <filter>',
    );
    const pr = read(pfs)!.policy.tables[0].rules[0];
    assert.deepEqual(pr.flow.dst.ranges, ['203.0.113.0/24', '198.51.100.0/24']);
    // A loop of aliases is not followed for ever.
    const loop = withAliases(
      pass('lan', 'loop', '', '<any/>', '<address>A</address>'),
      `  <OPNsense><Firewall><Alias><aliases><alias><name>A</name><type>networkgroup</type><content>B</content></alias><alias><name>B</name><type>networkgroup</type><content>A</content></alias></aliases></Alias></Firewall></OPNsense>`,
    );
    assert.match(posture(loop).reason, /nests aliases in a loop or too deep \(A > B > A\)/);
  });

  it('an outbound pass changes nothing: the inbound rules decide', () => {
    const outPass = `    <rule><type>pass</type><interface>wan</interface><direction>out</direction><source><any/></source><destination><any/></destination><log>1</log></rule>`;
    assert.equal(posture(config([outPass, pass('lan', 'all', '      <log>1</log>\n')].join('\n'))).cls, 'permit-all');
  });

  it('pfSense writes the same schema under <pfsense>', () => {
    const x = read(config(pass('lan', 'all', '      <log/>\n'), 'pfsense'))!;
    assert.equal(x.policy.language, 'pfSense');
    assert.equal(bootstrapPosture(x.policy, 'pfSense').cls, 'permit-all');
  });

  it('not an OPNsense or pfSense configuration: nothing', () => {
    assert.equal(read('<config><devices/></config>'), undefined);
    assert.equal(read('plain text'), undefined);
  });

  it('GitHub file URLs name a path of the repository', () => {
    assert.equal(repositoryPath('https://raw.githubusercontent.com/o/r/refs/heads/main/nva/scripts/setup.sh'), 'nva/scripts/setup.sh');
    assert.equal(repositoryPath('https://raw.githubusercontent.com/o/r/main/nva/config.xml'), 'nva/config.xml');
    // A malformed escape names no file (and never throws).
    assert.equal(repositoryPath('https://raw.githubusercontent.com/o/r/main/nva/%E0%A4%A.xml'), undefined);
    assert.equal(repositoryPath('https://github.com/o/r/raw/v1.2/nva/config.xml'), 'nva/config.xml');
    assert.equal(repositoryPath('https://example.com/nva/config.xml'), undefined);
  });
});
