// A Cloud NGFW security rule read as a firewall VM's bootstrap rule (vocabulary/cloudNgfwPolicy.ts), and a
// rulestack's security profiles with the provider's defaults. Inputs written for these tests.
import * as assert from 'node:assert/strict';
import { cloudNgfwDefaults, cloudNgfwProfiles, cloudNgfwRule, type NgfwRuleInput } from '../../../src/parse/vocabulary/cloudNgfwPolicy';
import { bootstrapFlow, bootstrapPosture } from '../../../src/analysis/firewallPolicy/bootstrap';

const loc = { file: 'rules.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

const input = (over: Partial<NgfwRuleInput> = {}): NgfwRuleInput => ({
  name: 'r',
  loc,
  action: 'Allow',
  source: { cidrs: ['any'] },
  destination: { cidrs: ['any'] },
  applications: ['any'],
  protocol: 'any',
  ...over,
});

describe('vocabulary: Cloud NGFW security rules', () => {
  it('an allow of any source to any destination, applications and protocol any, takes everything and logs by default', () => {
    const r = cloudNgfwRule(input());
    assert.equal(r.action, 'accept');
    assert.deepEqual([r.src, r.dst, r.src6, r.dst6, r.service], ['all', 'all', 'all', 'all', 'all']);
    assert.equal(r.logsAll, true);
    assert.equal(r.enabled, true);
    assert.equal(r.flow.narrowedBy, undefined);
  });

  it('0.0.0.0/0 is every IPv4 destination and no IPv6 one', () => {
    const r = cloudNgfwRule(input({ destination: { cidrs: ['0.0.0.0/0'] } }));
    assert.equal(r.dst, 'all');
    assert.equal(r.dst6, 'none');
  });

  it('the deny actions deny; application-default (also when protocol is not written) and App-IDs narrow the rule', () => {
    for (const a of ['DenySilent', 'DenyResetServer', 'DenyResetBoth']) assert.equal(cloudNgfwRule(input({ action: a })).action, 'deny');
    assert.deepEqual(cloudNgfwRule(input({ action: 'Drop' })).action, { unknown: 'action `Drop` is not read here' });
    const appDefault = cloudNgfwRule(input({ protocol: undefined }));
    assert.equal(appDefault.service, 'some');
    assert.equal(appDefault.flow.narrowedBy, 'application-default ports');
    const web = cloudNgfwRule(input({ applications: ['web-browsing', 'ssl'] }));
    assert.equal(web.flow.narrowedBy, 'application (web-browsing, ssl)');
    const ports = cloudNgfwRule(input({ protocol: undefined, protPortList: ['TCP:443', 'udp:53'] }));
    assert.equal(ports.service, 'some');
    assert.deepEqual(ports.flow.service.entries, [
      { protocol: 'tcp', ports: [[443, 443]] },
      { protocol: 'udp', ports: [[53, 53]] },
    ]);
  });

  it('countries, feeds and FQDN lists are some addresses; a prefix list is not read; a negated private destination is every internet one', () => {
    assert.equal(cloudNgfwRule(input({ destination: { fqdnLists: ['updates'] } })).dst, 'some');
    assert.equal(cloudNgfwRule(input({ destination: { countries: ['FR'] } })).dst6, 'some');
    assert.deepEqual(cloudNgfwRule(input({ source: { prefixLists: ['apps'] } })).src, {
      unknown: 'its source prefix list apps is not read here',
    });
    const negated = cloudNgfwRule(input({ destination: { cidrs: ['10.0.0.0/8', '192.168.0.0/16'] }, negateDestination: true }));
    assert.equal(negated.dst, 'all');
    assert.deepEqual(cloudNgfwRule(input({ destination: { cidrs: ['8.8.8.8'] }, negateDestination: true })).dst, {
      unknown: 'negate_destination is true',
    });
  });

  it('a value not known offline is unknown, named', () => {
    const r = cloudNgfwRule(input({ action: { unknown: '`var.action` (no value)' }, logging: { unknown: '`var.log`' } }));
    assert.deepEqual(r.action, { unknown: 'its action is not known: `var.action` (no value)' });
    assert.deepEqual(r.logsAll, { unknown: 'logging is not known: `var.log`' });
  });

  it('a negation not known offline leaves a side of any address unknown, for a flow as for the posture', () => {
    const r = cloudNgfwRule(input({ negateSource: { unknown: '`var.negate`' } }));
    assert.deepEqual(r.src, { unknown: 'negate_source is not known: `var.negate`' });
    assert.equal(r.flow.src.unknown, '`var.negate`');
    const policy = { language: 'Cloud NGFW', tables: [{ name: 'rulestack "x"', loc, rules: [r, ...cloudNgfwDefaults(loc)] }] };
    const d = bootstrapFlow(policy, 'Cloud NGFW', { src: '10.0.1.20', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.equal(d.decision, 'unknown', d.reason);
  });

  it("a rulestack's profiles: the provider's defaults where not written, None left out", () => {
    assert.deepEqual(cloudNgfwProfiles({}), [
      'anti-spyware BestPractice (the default)',
      'anti-virus BestPractice (the default)',
      'vulnerability BestPractice (the default)',
      'file blocking BestPractice (the default)',
    ]);
    assert.deepEqual(cloudNgfwProfiles({ antiSpyware: 'None', antiVirus: 'None', vulnerability: 'None', fileBlocking: 'None' }), []);
    assert.deepEqual(
      cloudNgfwProfiles({ antiSpyware: 'None', antiVirus: 'None', vulnerability: 'None', fileBlocking: 'None', urlFiltering: 'Custom' }),
      ['URL filtering Custom'],
    );
    assert.deepEqual(cloudNgfwProfiles({ vulnerability: { unknown: 'x' } }), { unknown: 'its vulnerability profile is not known: x' });
  });

  it('the default rules deny internet-bound traffic from an RFC 1918 source, and leave any other traffic unknown', () => {
    // Application-default ports to one partner range (to any destination it would limit services only: review s16 R5).
    const narrowed = { ...cloudNgfwRule(input({ protocol: undefined, destination: { cidrs: ['203.0.113.0/24'] } })) };
    const policy = { language: 'Cloud NGFW', tables: [{ name: 'rulestack "x"', loc, rules: [narrowed, ...cloudNgfwDefaults(loc)] }] };
    const spoke = { family: 4 as const, lo: 0x0a000100n, hi: 0x0a0001ffn };
    assert.equal(bootstrapPosture(policy, 'Cloud NGFW', 4, spoke).cls, 'restricted');
    const toAny = {
      ...policy,
      tables: [{ ...policy.tables[0], rules: [cloudNgfwRule(input({ protocol: undefined })), ...cloudNgfwDefaults(loc)] }],
    };
    assert.equal(bootstrapPosture(toAny, 'Cloud NGFW', 4, spoke).cls, 'partial');
    const cgnat = { family: 4 as const, lo: 0x64400000n, hi: 0x644000ffn };
    const other = bootstrapPosture(policy, 'Cloud NGFW', 4, cgnat);
    assert.equal(other.cls, 'unknown');
    assert.match(other.reason, /default rules for other traffic/);
    assert.equal(bootstrapPosture(policy, 'Cloud NGFW', 6).cls, 'unknown');
  });
});
