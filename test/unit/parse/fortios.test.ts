// The FortiOS CLI reader (parse/fortios.ts) and what a FortiGate's bootstrap says of its firewall policy
// (vocabulary/fortiosPolicy.ts), on configurations written for these tests.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseFortiOs, sectionsNamed, setting } from '../../../src/parse/fortios';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { LineMap } from '../../../src/parse/locate';
import type { BootstrapPolicy } from '../../../src/model/types';
import { parseCloudFormation } from '../../../src/parse/cloudformation';

function policyOf(text: string): BootstrapPolicy | undefined {
  const lines = new LineMap(text);
  return fortiOsBootstrap(text, (a, b) => ({ file: 'boot.conf', range: lines.range(a, b) }))?.policy;
}

describe('FortiOS CLI reader', () => {
  it('nests config/edit/set/next/end, with quoted values, escapes and comments, and locates each part', () => {
    const text = [
      '#config-version=FGVMK6-7.4.1',
      'config vdom',
      'edit "traffic vdom"',
      'config firewall address',
      '    edit "web \\"front\\""',
      "        set comment 'two words'",
      '        set subnet 10.0.0.0 255.255.0.0',
      '    next',
      'end',
      'next',
      'end',
    ].join('\n');
    const cfg = parseFortiOs(text);
    assert.deepEqual(cfg.problems, []);
    assert.equal(cfg.sections.length, 1);
    const vdom = cfg.sections[0];
    assert.deepEqual(vdom.path, ['vdom']);
    assert.equal(vdom.entries[0].name.text, 'traffic vdom');
    const addr = vdom.entries[0].sections[0];
    assert.deepEqual(addr.path, ['firewall', 'address']);
    const entry = addr.entries[0];
    assert.equal(entry.name.text, 'web "front"');
    assert.equal(setting(entry, 'comment')?.values[0].text, 'two words');
    assert.deepEqual(
      setting(entry, 'subnet')?.values.map((v) => v.text),
      ['10.0.0.0', '255.255.0.0'],
    );
    // Offsets point at the text that was read.
    assert.equal(text.slice(entry.start, entry.end), text.slice(text.indexOf('edit "web'), text.indexOf('    next') + 8));
    assert.ok(addr.closed && vdom.closed);
    assert.equal(sectionsNamed(cfg, ['firewall', 'address']).length, 1);
  });

  it('keeps Terraform template sequences inside one token, braces and quotes included, and marks them', () => {
    const cfg = parseFortiOs('config system geneve\nedit "g"\nset remote-ip ${lookup(var.ips, "a b")}\nnext\nend\n');
    const v = setting(cfg.sections[0].entries[0], 'remote-ip')?.values;
    assert.equal(v?.length, 1);
    assert.equal(v?.[0].text, '${lookup(var.ips, "a b")}');
    assert.equal(v?.[0].template, true);
  });

  it('a template sequence standing where a command is expected is kept as opaque, not read as a command', () => {
    const cfg = parseFortiOs('config firewall policy\n%{ for p in policies ~}\nedit ${p.id}\nnext\n%{ endfor ~}\nend\n');
    const sec = cfg.sections[0];
    assert.equal(sec.opaque.length, 2);
    assert.equal(sec.entries.length, 1);
    assert.equal(sec.entries[0].name.template, true);
  });

  it('later sets win, unset goes back to the default, append adds values', () => {
    const cfg = parseFortiOs(
      'config firewall policy\nedit 1\nset service "HTTP"\nappend service "HTTPS"\nset logtraffic all\nunset logtraffic\nnext\nend\n',
    );
    const e = cfg.sections[0].entries[0];
    assert.deepEqual(
      setting(e, 'service')?.values.map((v) => v.text),
      ['HTTP', 'HTTPS'],
    );
    assert.equal(setting(e, 'logtraffic')?.unset, true);
  });

  it('reports what does not fit at its offset and goes on: unclosed blocks, stray next/end, open quotes', () => {
    // An open quote runs to the end of the text (FortiOS values may span lines): what follows is inside it.
    const text = 'next\nconfig firewall policy\nedit 1\nset name "open\nend\n';
    const cfg = parseFortiOs(text);
    assert.deepEqual(
      cfg.problems.map((p) => p.message),
      [
        '`next` without an open `edit`',
        'unterminated double-quoted string',
        '`edit 1` is not closed by `next`',
        '`config firewall policy` is not closed by `end`',
      ],
    );
    for (const p of cfg.problems) assert.ok(p.start >= 0 && p.end <= text.length && p.start <= p.end);
    assert.equal(text.slice(cfg.problems[1].start, cfg.problems[1].start + 5), '"open');
    // `end` closes an entry left open with its section; a stray `end` is reported.
    const more = parseFortiOs('config firewall address\nedit a\nend\nend\n');
    assert.deepEqual(
      more.problems.map((p) => p.message),
      ['`edit a` is not closed by `next`', '`end` without an open `config`'],
    );
    assert.ok(more.sections[0].closed);
  });

  it('never throws, whatever the text', () => {
    const alphabet = fc.constantFrom(
      'config ',
      'edit ',
      'set ',
      'unset ',
      'next',
      'end',
      '"',
      "'",
      '\\',
      '${',
      '}',
      '%{',
      '#',
      '\n',
      ' ',
      'x',
      'all',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        const cfg = parseFortiOs(text);
        for (const p of cfg.problems) assert.ok(p.start >= 0 && p.end <= text.length);
        policyOf(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('FortiOS bootstrap policy', () => {
  it('is not FortiOS when the text is a shell script or PAN-OS settings', () => {
    const lines = new LineMap('');
    const loc = (a: number, b: number) => ({ file: 'x', range: lines.range(a, b) });
    assert.equal(fortiOsBootstrap('#!/bin/bash\nyum install -y nginx\n', loc), undefined);
    assert.equal(fortiOsBootstrap('type=dhcp-client\nplugin-op-commands=aws-gwlb-inspect:enable\n', loc), undefined);
  });

  it('a FortiOS configuration without a policy table names the vendor and no policy', () => {
    const lines = new LineMap('');
    const b = fortiOsBootstrap('config system global\n  set hostname fw\nend\n', (a, c) => ({ file: 'x', range: lines.range(a, c) }));
    assert.deepEqual(b, { vendor: 'FortiGate' });
  });

  it('reduces each policy entry to what decides egress, in written order, located in the file', () => {
    const text = [
      'config firewall policy',
      '  edit 7',
      '    set name "late id first"',
      '    set srcintf "port2"',
      '    set dstintf "port1"',
      '    set srcaddr "all"',
      '    set dstaddr "all"',
      '    set action accept',
      '    set service "ALL"',
      '    set logtraffic all',
      '  next',
      '  edit 2',
      '    set status disable',
      '    set srcaddr "all"',
      '    set dstaddr "all"',
      '    set service "DNS"',
      '    set utm-status enable',
      '    set ips-sensor "default"',
      '  next',
      'end',
    ].join('\n');
    const p = policyOf(text);
    assert.ok(p);
    assert.equal(p.tables.length, 1);
    const [a, b] = p.tables[0].rules;
    assert.equal(a.name, 'policy 7 "late id first"');
    assert.equal(a.loc.range.start.line, 1);
    assert.deepEqual(
      {
        action: a.action,
        enabled: a.enabled,
        src: a.src,
        dst: a.dst,
        service: a.service,
        profiles: a.profiles,
        logsAll: a.logsAll,
        interfaces: a.interfaces,
      },
      { action: 'accept', enabled: true, src: 'all', dst: 'all', service: 'all', profiles: [], logsAll: true, interfaces: 'port2>port1' },
    );
    // No action is deny (FortiOS's default); `utm` logging is the default, which is not `all`.
    assert.deepEqual(
      { action: b.action, enabled: b.enabled, service: b.service, profiles: b.profiles, logsAll: b.logsAll },
      { action: 'deny', enabled: false, service: 'some', profiles: ['ips-sensor "default"'], logsAll: false },
    );
  });

  it('resolves address objects and groups in the VDOM, then globally: 0.0.0.0/0 is all, undefined ones unknown', () => {
    const text = [
      'config global',
      'config firewall address',
      '  edit "anywhere"',
      '    set subnet 0.0.0.0 0.0.0.0',
      '  next',
      'end',
      'end',
      'config vdom',
      'edit traffic',
      'config firewall address',
      '  edit "saas"',
      '    set type fqdn',
      '    set fqdn "api.example.com"',
      '  next',
      'end',
      'config firewall addrgrp',
      '  edit "mixed"',
      '    set member "saas" "anywhere"',
      '  next',
      'end',
      'config firewall policy',
      '  edit 1',
      '    set srcaddr "anywhere"',
      '    set dstaddr "saas"',
      '    set service "ALL"',
      '  next',
      '  edit 2',
      '    set srcaddr "all"',
      '    set dstaddr "mixed"',
      '    set service "ALL"',
      '  next',
      '  edit 3',
      '    set srcaddr "branch-offices"',
      '    set dstaddr ${dest}',
      '    set service "ALL"',
      '  next',
      'end',
      'next',
      'end',
    ].join('\n');
    const p = policyOf(text);
    assert.ok(p);
    assert.equal(p.tables[0].name, 'VDOM traffic');
    const [r1, r2, r3] = p.tables[0].rules;
    assert.equal(r1.src, 'all');
    assert.equal(r1.dst, 'some');
    assert.equal(r2.dst, 'all');
    assert.deepEqual(r3.src, { unknown: 'address "branch-offices" is not defined in the bootstrap' });
    assert.deepEqual(r3.dst, { unknown: '`${dest}` is a template value chosen when Terraform renders the file' });
  });

  it('a policy table not closed, or holding a template line, cannot be read whole', () => {
    const head = 'config system global\nset hostname fw\nend\n';
    assert.match(policyOf(`${head}config firewall policy\nedit 1\nset action accept\nnext\n`)?.tables[0].unknown ?? '', /not closed/);
    assert.match(policyOf('config firewall policy\n${extra_policies}\nend\n')?.tables[0].unknown ?? '', /may add or change policies/);
  });
});

describe('FortiOS bootstrap in CloudFormation UserData', () => {
  const template = (userData: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  FortiGate:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0fortigate
      SubnetId: subnet-0abc
${userData}
`;

  it('Fn::Base64 of an !Sub block: the policy is read and located in the template; ${...} stays unknown', () => {
    const yaml = template(`      UserData:
        Fn::Base64: !Sub |
          config system global
            set hostname \${AWS::StackName}
          end
          config firewall policy
            edit 1
              set srcaddr "all"
              set dstaddr "all"
              set service "ALL"
              set action accept
              set logtraffic all
            next
          end`);
    const frag = parseCloudFormation('fgt.yaml', yaml);
    const fgt = frag.elements.find((e) => e.kind === 'instance');
    assert.ok(fgt && fgt.kind === 'instance');
    assert.equal(fgt.ngfw?.vendor, 'FortiGate');
    const rule = fgt.ngfw?.policy?.tables[0].rules[0];
    assert.ok(rule);
    assert.equal(rule.loc.file, 'fgt.yaml');
    assert.equal(yaml.split('\n')[rule.loc.range.start.line].trim(), 'edit 1');
    assert.deepEqual([rule.action, rule.dst, rule.service, rule.logsAll], ['accept', 'all', 'all', true]);
  });

  it('Fn::Join over literal lines reads them; a piece the template does not write is an unknown value', () => {
    const yaml = template(`      UserData:
        Fn::Base64:
          Fn::Join:
            - "\\n"
            - - "config firewall policy"
              - "edit 1"
              - "set srcaddr all"
              - !Join ["", ["set dstaddr ", !Ref Allowed]]
              - "set service ALL"
              - "set action accept"
              - "next"
              - "end"`);
    const fgt = parseCloudFormation('fgt.yaml', yaml).elements.find((e) => e.kind === 'instance');
    assert.ok(fgt && fgt.kind === 'instance');
    const tables = fgt.ngfw?.policy?.tables;
    assert.ok(tables);
    // The joined line is not written as text: it stands where a command is, so the table cannot be read whole.
    assert.match(tables[0].unknown ?? '', /value known at deploy time/);
  });

  it('a shell script as UserData names no firewall', () => {
    const fgt = parseCloudFormation('web.yaml', template(`      UserData: !Base64 "#!/bin/bash\\nyum install -y httpd\\n"`)).elements.find(
      (e) => e.kind === 'instance',
    );
    assert.ok(fgt && fgt.kind === 'instance');
    assert.equal(fgt.ngfw, undefined);
  });
});
