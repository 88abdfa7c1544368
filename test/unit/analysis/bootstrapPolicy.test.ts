// The egress posture of a firewall VM's own policy written in its bootstrap (analysis/firewallPolicy/bootstrap.ts),
// decided from FortiOS configurations written for these tests, and the same through a whole Terraform workspace:
// a FortiGate behind a GWLB whose user data is a cloud-init part rendered from a template file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootstrapPosture } from '../../../src/analysis/firewallPolicy/bootstrap';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { LineMap } from '../../../src/parse/locate';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import { repoRoot } from '../parse/helpers';

function posture(rules: string, vdoms?: string[], objects = ''): { cls: string; reason: string } {
  const text = vdoms
    ? `config vdom\n${vdoms.map((v, i) => `edit vd${i}\nconfig firewall policy\n${v}\nend\nnext\n`).join('')}end\n`
    : `${objects}config firewall policy\n${rules}\nend\n`;
  const lines = new LineMap(text);
  const b = fortiOsBootstrap(text, (a, c) => ({ file: 'fgt.conf', range: lines.range(a, c) }));
  assert.ok(b?.policy, 'no policy read');
  return bootstrapPosture(b.policy, 'FortiOS');
}

const rule = (id: number, lines: string[]): string => `edit ${id}\n${lines.map((l) => `  set ${l}`).join('\n')}\nnext`;
const anyAny = ['srcintf "gwlb"', 'dstintf "gwlb"', 'srcaddr "all"', 'dstaddr "all"', 'service "ALL"'];

describe('bootstrap policy posture (FortiOS)', () => {
  it('an accept all/all/ALL without a security profile that logs all traffic is a logged permit-all', () => {
    const p = posture(rule(1, [...anyAny, 'action accept', 'logtraffic all']));
    assert.equal(p.cls, 'permit-all');
    assert.match(
      p.reason,
      /FortiOS policy 1 \(fgt\.conf:2\) accepts all to all, service ALL, with no security profile and logs all traffic/,
    );
  });

  it('the same accept logging only security events (utm, the default) or nothing lets everything through unwatched', () => {
    assert.equal(posture(rule(1, [...anyAny, 'action accept', 'logtraffic utm'])).cls, 'bypass');
    assert.equal(posture(rule(1, [...anyAny, 'action accept'])).cls, 'bypass');
    assert.equal(posture(rule(1, [...anyAny, 'action accept', 'logtraffic disable'])).cls, 'bypass');
  });

  it('accepts limited to some destinations, with or without security profiles, end in the implicit deny: restricted', () => {
    const partner = 'config firewall address\nedit "partner"\n  set subnet 203.0.113.0 255.255.255.0\nnext\nend\n';
    const p = posture(
      [
        rule(1, ['srcaddr "all"', 'dstaddr "partner"', 'service "HTTPS"', 'action accept', 'logtraffic all']),
        rule(2, ['srcaddr "all"', 'dstaddr "partner"', 'service "ALL"', 'action accept', 'utm-status enable', 'av-profile "default"']),
      ].join('\n'),
      undefined,
      partner,
    );
    assert.equal(p.cls, 'restricted');
    assert.match(p.reason, /policy 1 \(fgt\.conf:7\) accepts only some destinations or services; the rest is denied/);
    const scanned = posture(
      rule(2, ['srcaddr "all"', 'dstaddr "partner"', 'service "ALL"', 'action accept', 'utm-status enable', 'av-profile "default"']),
      undefined,
      partner,
    );
    assert.equal(scanned.cls, 'restricted');
    assert.match(scanned.reason, /accepts only some destinations or services, under security profiles \(av-profile "default"\)/);
  });

  it('an accept of every service to every destination under security profiles is partial: they inspect, every host stays reachable (review s17 R2)', () => {
    const p = posture(rule(1, [...anyAny, 'action accept', 'utm-status enable', 'webfilter-profile "strict"']));
    assert.equal(p.cls, 'partial');
    assert.match(
      p.reason,
      /policy 1 \(fgt\.conf:2\) accepts every service to every internet destination under security profiles \(webfilter-profile "strict"\) \(profiles inspect what passes; what a URL or web filter profile blocks is not read here, so no destination limit is counted\)$/,
    );
    // Before it, a deny of everything: restricted; an accept to a named destination first does not change it.
    assert.equal(
      posture(
        [rule(2, [...anyAny, 'action deny']), rule(1, [...anyAny, 'action accept', 'utm-status enable', 'av-profile "a"'])].join('\n'),
      ).cls,
      'restricted',
    );
    // A URL category narrows where: restricted, profiles or not.
    const url = rule(1, [...anyAny, 'url-category 26', 'action accept', 'utm-status enable', 'webfilter-profile "strict"']);
    assert.equal(posture(url).cls, 'restricted');
  });

  it('an accept of some services to every destination with no profile before the deny limits services, not destinations: partial (review s16 R5)', () => {
    const https = rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service "HTTPS" "DNS"', 'action accept', 'logtraffic all']);
    const p = posture(https);
    assert.equal(p.cls, 'partial');
    assert.match(
      p.reason,
      /FortiOS policy 1 \(fgt\.conf:2\) accepts tcp\/443, tcp\/53, udp\/53 to every internet destination with no security profile; the rest is denied \(services are limited, destinations are not\)/,
    );
    // An explicit deny of everything after it: the same.
    assert.equal(posture([https, rule(2, [...anyAny, 'action deny'])].join('\n')).cls, 'partial');
    // Under a security profile it is inspected, and every host is still reachable: partial too (review s17 R2).
    const ips = posture(
      rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service "HTTPS"', 'action accept', 'utm-status enable', 'ips-sensor "default"']),
    );
    assert.equal(ips.cls, 'partial');
    assert.match(
      ips.reason,
      /accepts tcp\/443 to every internet destination under security profiles \(ips-sensor "default"\); the rest is denied/,
    );
    // Behind a deny of everything it is never reached: restricted.
    assert.equal(posture([rule(2, [...anyAny, 'action deny']), https].join('\n')).cls, 'restricted');
    // Application control alone limits services too (policy-based security policies name applications); a user group
    // limits who, and a URL category where: restricted.
    const app = rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service "ALL"', 'application 15832', 'action accept']);
    assert.equal(posture(app).cls, 'partial');
    const users = rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service "HTTPS"', 'groups "staff"', 'action accept']);
    assert.equal(posture(users).cls, 'restricted');
  });

  it('a wildcard FQDN address that takes every name (*.com) is every destination: HTTPS to it is partial, *.example.com restricted (review s16 R12)', () => {
    const obj = (f: string) => `config firewall address\nedit "web"\n  set type wildcard-fqdn\n  set wildcard-fqdn "${f}"\nnext\nend\n`;
    const https = rule(1, ['srcaddr "all"', 'dstaddr "web"', 'service "HTTPS"', 'action accept']);
    const com = posture(https, undefined, obj('*.com'));
    assert.equal(com.cls, 'partial', com.reason);
    assert.equal(posture(https, undefined, obj('*.example.com')).cls, 'restricted');
  });

  it('an accept to geography addresses (a group of countries) is a country restriction, no named destination: partial (review s17 R4)', () => {
    const geo = (name: string, cc: string) => `edit "${name}"\n  set type geography\n  set country "${cc}"\nnext\n`;
    const objects =
      `config firewall address\n${geo('UnitedStates', 'US')}${geo('UnitedStatesIslands', 'UM')}${geo('Canada', 'CA')}` +
      'edit "partner"\n  set subnet 203.0.113.0 255.255.255.0\nnext\nend\n' +
      'config firewall addrgrp\nedit "NorthAmerica"\n  set member "Canada" "UnitedStates" "UnitedStatesIslands"\nnext\nend\n';
    const egress = (dst: string, more: string[] = []) =>
      rule(1, [
        'srcintf "gwlb"',
        'dstintf "port1"',
        'srcaddr "all"',
        `dstaddr ${dst}`,
        'service "ALL"',
        'action accept',
        'logtraffic all',
        ...more,
      ]);
    const p = posture(egress('"NorthAmerica"'), undefined, objects);
    assert.equal(p.cls, 'partial', p.reason);
    assert.match(
      p.reason,
      /policy 1 \(fgt\.conf:\d+\) accepts every service to every address of some countries \(geography "Canada" \(CA\), "UnitedStates" \(US\), "UnitedStatesIslands" \(UM\)\) with no security profile; the rest is denied \(a country restriction names no destination\)/,
    );
    // HTTPS only, or under a profile, or beside a named subnet: a country is still open.
    assert.equal(
      posture(rule(1, ['srcaddr "all"', 'dstaddr "Canada"', 'service "HTTPS"', 'action accept']), undefined, objects).cls,
      'partial',
    );
    assert.equal(posture(egress('"NorthAmerica"', ['utm-status enable', 'av-profile "default"']), undefined, objects).cls, 'partial');
    assert.equal(posture(egress('"partner" "Canada"'), undefined, objects).cls, 'partial');
    // The named subnet alone: restricted.
    assert.equal(posture(egress('"partner"'), undefined, objects).cls, 'restricted');
  });

  it('an accept to a dynamic (fabric connector) address is a destination decided at run time: unknown, unless its filter names instances by id', () => {
    const dyn = (filter?: string, extra = '') =>
      `config firewall address\nedit "app-servers"\n  set type dynamic\n  set sdn "aws-conn"\n${filter !== undefined ? `  set filter "${filter}"\n` : ''}${extra}next\nend\n`;
    const accept = rule(1, ['srcaddr "all"', 'dstaddr "app-servers"', 'service "HTTPS"', 'action accept']);
    for (const filter of ['Tag.Role=web', 'ServiceTag=AzureCloud', 'Region=us-east-1 | InstanceId=i-0a1b2c3d4e5f60718']) {
      const p = posture(accept, undefined, dyn(filter));
      assert.equal(p.cls, 'unknown', `${filter}: ${p.reason}`);
      assert.match(
        p.reason,
        new RegExp(
          `address "app-servers" is a dynamic address of fabric connector "aws-conn" whose filter \`${filter.replace(/[|.]/g, '\\$&')}\` selects its members when the firewall runs: whether it names a few hosts or much of the internet is not in the inputs`,
        ),
      );
    }
    const none = posture(accept, undefined, dyn());
    assert.equal(none.cls, 'unknown', none.reason);
    assert.match(none.reason, /with no filter written/);
    // A filter naming instances by id (each alternative): those hosts, named destinations: restricted as before.
    for (const filter of [
      'InstanceId=i-0a1b2c3d4e5f60718',
      'InstanceId=i-0a1b2c3d4e5f60718 | InstanceId=i-0f1e2d3c4b5a69788',
      'Region=us-east-1 & InstanceId=i-0a1b2c3d4e5f60718',
    ])
      assert.equal(posture(accept, undefined, dyn(filter)).cls, 'restricted', filter);
    // Any destination not known, with services narrowed (HTTPS to an address the bootstrap does not define): it would
    // open HTTPS to every host were it every address, so unknown (it read restricted: services narrowed).
    const undefinedDst = posture(rule(1, ['srcaddr "all"', 'dstaddr "elsewhere"', 'service "HTTPS"', 'action accept']));
    assert.equal(undefinedDst.cls, 'unknown', undefinedDst.reason);
    assert.match(undefinedDst.reason, /address "elsewhere" is not defined in the bootstrap/);
    // Another sub-type (FSSO users, EMS tags) names endpoints: as before.
    assert.equal(posture(accept, undefined, dyn('Tag.Role=web', '  set sub-type ems-tag\n')).cls, 'restricted');
    // A deny of one still holds back only some traffic; a deny of everything before the accept leaves it nothing.
    const denyDyn = rule(1, ['srcaddr "all"', 'dstaddr "app-servers"', 'service "ALL"', 'action deny']);
    const allowAll = rule(2, [...anyAny, 'action accept']);
    assert.equal(posture([denyDyn, allowAll].join('\n'), undefined, dyn('Tag.Role=bad')).cls, 'partial');
    const denyAll = rule(1, [...anyAny, 'action deny']);
    assert.equal(posture([denyAll, accept.replace('edit 1', 'edit 2')].join('\n'), undefined, dyn('Tag.Role=web')).cls, 'restricted');
  });

  it('profiles count only under utm-status enable, and utm-status enable alone inspects nothing (review s15 R6)', () => {
    // Enabled with no profile: a logged permit-all, never "accepts only under security profiles (utm-status enable)".
    const bare = posture(rule(1, [...anyAny, 'action accept', 'utm-status enable', 'logtraffic all']));
    assert.equal(bare.cls, 'permit-all');
    assert.doesNotMatch(bare.reason, /security profiles \(/);
    // A profile under utm-status disable is not applied.
    const off = posture(rule(1, [...anyAny, 'action accept', 'utm-status disable', 'av-profile "default"', 'logtraffic all']));
    assert.equal(off.cls, 'permit-all');
    assert.equal(posture(rule(1, [...anyAny, 'action accept', 'utm-status disable', 'ips-sensor "default"'])).cls, 'bypass');
    // Written without any utm-status (default disable): whether it applies is not decided, never restricted.
    const unset = posture(rule(1, [...anyAny, 'action accept', 'webfilter-profile "strict"', 'logtraffic all']));
    assert.equal(unset.cls, 'unknown');
    assert.match(unset.reason, /webfilter-profile "strict" is set without `utm-status enable`/);
    // The profiles are what the reason names, not utm-status.
    const on = posture(rule(1, [...anyAny, 'action accept', 'utm-status enable', 'av-profile "default"', 'ips-sensor "high"']));
    assert.equal(on.cls, 'partial');
    assert.match(on.reason, /under security profiles \(av-profile "default", ips-sensor "high"\)/);
  });

  it('an ssl-ssh-profile alone is not a security profile: the accept is still a permit-all', () => {
    assert.equal(posture(rule(1, [...anyAny, 'action accept', 'ssl-ssh-profile "deep-inspection"', 'logtraffic all'])).cls, 'permit-all');
  });

  it('order decides: a deny of everything first, or an action left unset (deny), holds everything back', () => {
    assert.equal(
      posture([rule(9, [...anyAny, 'action deny']), rule(1, [...anyAny, 'action accept', 'logtraffic all'])].join('\n')).cls,
      'restricted',
    );
    assert.equal(posture(rule(1, [...anyAny])).cls, 'restricted');
    // A disabled deny does not.
    assert.equal(
      posture([rule(9, [...anyAny, 'action deny', 'status disable']), rule(1, [...anyAny, 'action accept', 'logtraffic all'])].join('\n'))
        .cls,
      'permit-all',
    );
  });

  it('a permit-all after denies of some traffic is partial', () => {
    const p = posture(
      [
        rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service "SMB"', 'action deny']),
        rule(2, [...anyAny, 'action accept', 'logtraffic all']),
      ].join('\n'),
    );
    assert.equal(p.cls, 'partial');
    assert.match(p.reason, /after policy 1 denies some traffic/);
  });

  it('what decides and is not known is unknown with the reason: a template value, an undefined address, a broad accept from some sources', () => {
    const t = posture(rule(1, ['srcaddr "all"', 'dstaddr "all"', 'service ${svc}', 'action accept', 'logtraffic all']));
    assert.equal(t.cls, 'unknown');
    assert.match(t.reason, /its service in policy 1 \(fgt\.conf:2\) is not known: `\$\{svc\}` is a template value/);
    const a = posture(rule(1, ['srcaddr "all"', 'dstaddr "partner-net"', 'service "ALL"', 'action accept']));
    assert.equal(a.cls, 'unknown');
    assert.match(a.reason, /address "partner-net" is not defined in the bootstrap/);
    const s = posture(rule(1, ['srcaddr "lab"', 'dstaddr "all"', 'service "ALL"', 'action accept', 'logtraffic all']));
    assert.equal(s.cls, 'unknown');
    assert.match(s.reason, /from some sources .*whether this egress is among them is not known/);
    assert.equal(posture(rule(1, [...anyAny, 'action ${verdict}'])).cls, 'unknown');
    assert.equal(posture(rule(1, [...anyAny, 'action accept', 'logtraffic ${log}'])).cls, 'unknown');
  });

  it('VDOMs or interface pairs that decide differently leave the posture unknown; agreeing ones decide', () => {
    const open = rule(1, [...anyAny, 'action accept', 'logtraffic all']);
    const shut = rule(1, [...anyAny, 'action deny']);
    assert.equal(posture('', [open, shut]).cls, 'unknown');
    assert.equal(posture('', [open, open]).cls, 'permit-all');
    const pairs = [
      rule(1, ['srcintf "port2"', 'dstintf "port1"', 'srcaddr "all"', 'dstaddr "all"', 'service "ALL"', 'action accept', 'logtraffic all']),
      rule(2, ['srcintf "port3"', 'dstintf "port1"', 'srcaddr "all"', 'dstaddr "all"', 'service "HTTPS"', 'action accept']),
    ].join('\n');
    const p = posture(pairs);
    assert.equal(p.cls, 'unknown');
    assert.match(p.reason, /decides differently by VDOM or interface pair/);
  });
});

describe('bootstrap policy through a Terraform workspace (FortiGate behind a GWLB)', () => {
  const fixture = path.join(repoRoot(), 'test', 'fixtures', 'fortios-gwlb');
  const moduleTf = fs.readFileSync(path.join(fixture, 'modules', 'estate', 'main.tf'), 'utf8');
  const rootTf = fs.readFileSync(path.join(fixture, 'monitored', 'main.tf'), 'utf8');
  const conf = (name: string) => fs.readFileSync(path.join(fixture, name, 'fortigate.conf'), 'utf8');

  async function workload(confText: string | undefined) {
    const ws = await createWorkspace();
    ws.setFile('modules/estate/main.tf', moduleTf);
    ws.setFile('root/main.tf', rootTf);
    let b = ws.build();
    // The template is wanted once the configuration is evaluated, as the front ends read it.
    assert.ok(ws.terraformWants().files.includes('root/fortigate.conf'), ws.terraformWants().files.join(', '));
    if (confText !== undefined) {
      ws.setFile('root/fortigate.conf', confText);
      b = ws.build();
    }
    const r = analyze(b.model, {}, b.diagnostics);
    const s = r.states.find((x) => x.name === 'workload');
    assert.ok(s);
    return { state: s, ws, model: b.model };
  }

  it('without the template file the appliance policy is not in the inputs (the path counts as enforced)', async () => {
    const { state } = await workload(undefined);
    assert.equal(state.state, 'Protected');
    assert.match(state.reason, /appliance policy not in the inputs/);
  });

  it('the template read from the root folder decides: a logged permit-all is Monitored, located in the .conf file', async () => {
    const { state, model } = await workload(conf('monitored'));
    assert.equal(state.state, 'Monitored');
    assert.match(
      state.reason,
      /module\.estate\.aws_instance\.fortigate's bootstrap: FortiOS policy 10 "inspect-all" \(root\/fortigate\.conf:18\)/,
    );
    const fgt = model.elements.find((e) => e.id === 'module.estate.aws_instance.fortigate');
    assert.ok(fgt && (fgt.kind === 'instance' || fgt.kind === 'firewall'));
    assert.equal(fgt.ngfw?.vendor, 'FortiGate');
  });

  it('the monitored policy with utm-status enable and no profile, or a profile under utm-status disable, stays Monitored (review s15 R6); a profile makes it Partially Protected (s17 R2)', async () => {
    const accept = '        set logtraffic all\n';
    const enabled = (await workload(conf('monitored').replace(accept, `${accept}        set utm-status enable\n`))).state;
    assert.equal(enabled.state, 'Monitored');
    assert.doesNotMatch(enabled.reason, /security profiles/);
    const off = conf('monitored').replace(accept, `${accept}        set utm-status disable\n        set av-profile "default"\n`);
    assert.equal((await workload(off)).state.state, 'Monitored');
    const on = conf('monitored').replace(accept, `${accept}        set utm-status enable\n        set av-profile "default"\n`);
    const p = (await workload(on)).state;
    assert.equal(p.state, 'Partially Protected');
    assert.match(p.reason, /under security profiles \(av-profile "default"\)/);
  });

  it('restricted, unlogged and templated policies give Protected, Unprotected and Unknown', async () => {
    assert.equal((await workload(conf('restricted'))).state.state, 'Protected');
    assert.equal((await workload(conf('unlogged'))).state.state, 'Unprotected');
    const t = (await workload(conf('templated'))).state;
    assert.equal(t.state, 'Unknown');
    assert.match(t.reason, /allowed_destinations/);
  });

  it('an edit of the template file alone changes the verdict (the files reading it are evaluated again)', async () => {
    const { ws } = await workload(conf('monitored'));
    ws.setFile('root/fortigate.conf', conf('restricted'));
    const b = ws.build();
    const s = analyze(b.model, {}, b.diagnostics).states.find((x) => x.name === 'workload');
    assert.equal(s?.state, 'Protected');
  });

  it('an incremental analysis sees a policy the template file brings, and the one it takes away, as a fresh one does', async () => {
    const ws = await createWorkspace();
    ws.setFile('modules/estate/main.tf', moduleTf);
    ws.setFile('root/main.tf', rootTf);
    const an = createAnalyzer();
    const stateOf = (r: ReturnType<typeof analyze>) => r.states.find((x) => x.name === 'workload')?.state;
    const step = () => {
      const b = ws.build();
      const inc = an.analyze(b.model, {}, b.diagnostics);
      assert.equal(stateOf(inc), stateOf(analyze(b.model, {}, b.diagnostics)));
      return stateOf(inc);
    };
    assert.equal(step(), 'Protected');
    ws.setFile('root/fortigate.conf', conf('monitored'));
    assert.equal(step(), 'Monitored');
    ws.setFile('root/fortigate.conf', 'config system global\nset hostname fw\nend\n');
    assert.equal(step(), 'Protected');
    ws.setFile('root/fortigate.conf', conf('unlogged'));
    assert.equal(step(), 'Unprotected');
  });

  it('a condition choosing the S3 bootstrap (not in the inputs) reads no policy', async () => {
    const s3 = rootTf.replace('bootstrap = "fortigate.conf"', 'bootstrap = "fortigate.conf"\n  use_s3_bootstrap = true');
    const ws = await createWorkspace();
    ws.setFile('modules/estate/main.tf', moduleTf);
    ws.setFile('root/main.tf', s3);
    ws.setFile('root/fortigate.conf', conf('monitored'));
    const b = ws.build();
    const st = analyze(b.model, {}, b.diagnostics).states.find((x) => x.name === 'workload');
    assert.equal(st?.state, 'Protected');
    assert.match(st?.reason ?? '', /appliance policy not in the inputs/);
  });
});
