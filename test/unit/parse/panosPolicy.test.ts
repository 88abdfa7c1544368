// A VM-Series' own security policy read from PAN-OS configuration XML (vocabulary/panosPolicy.ts) and judged as a
// FortiGate's is (firewallPolicy/bootstrap.ts), on configurations written for these tests.
import { strict as assert } from 'node:assert';
import { LineMap } from '../../../src/parse/locate';
import { panosBootstrapXml } from '../../../src/parse/vocabulary/panosPolicy';
import { bootstrapFlow, bootstrapPosture, sourceSpan } from '../../../src/analysis/firewallPolicy/bootstrap';
import type { BootstrapPolicy } from '../../../src/model/types';

function read(text: string): BootstrapPolicy {
  const lines = new LineMap(text);
  const p = panosBootstrapXml(text, (a, b) => ({ file: 'bootstrap.xml', range: lines.range(a, b) }));
  assert.ok(p, 'a PAN-OS configuration');
  return p;
}

/** A firewall configuration with one vsys: its zones, objects and security rules as XML fragments. */
const config = (o: { zones?: string[]; objects?: string; rules: string; defaults?: string }) => `<?xml version="1.0"?>
<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <zone>${(o.zones ?? ['inspect']).map((z) => `<entry name="${z}"><network><layer3><member>ethernet1/1</member></layer3></network></entry>`).join('')}</zone>
          ${o.objects ?? ''}
          <rulebase>
            <security>
              <rules>
${o.rules}
              </rules>
            </security>
            ${o.defaults ? `<default-security-rules><rules>${o.defaults}</rules></default-security-rules>` : ''}
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>`;

const rule = (name: string, body: string) => `                <entry name="${name}">${body}</entry>`;
const any = (k: string) => `<${k}><member>any</member></${k}>`;
const anyAll = ['from', 'to', 'source', 'destination', 'application', 'service'].map(any).join('');

describe('PAN-OS bootstrap.xml security policy', () => {
  it('an allow-all on the one zone behind a GWLB logs at session end by default: a logged permit-all (Monitored)', () => {
    const text = config({ rules: rule('allow everything', `${anyAll}<action>allow</action>`) });
    const p = bootstrapPosture(read(text), 'PAN-OS');
    assert.equal(p.cls, 'permit-all', p.reason);
    const line = text.split('\n').findIndex((l) => l.includes('allow everything')) + 1;
    assert.match(
      p.reason,
      new RegExp(
        `PAN-OS rule "allow everything" \\(bootstrap\\.xml:${line}\\) allows any to any, application and service any, with no security profile and logs all traffic`,
      ),
    );
  });

  it('the same with log-end no: everything passes unwatched (Unprotected)', () => {
    const p = bootstrapPosture(read(config({ rules: rule('allow', `${anyAll}<action>allow</action><log-end>no</log-end>`) })), 'PAN-OS');
    assert.equal(p.cls, 'bypass', p.reason);
    assert.match(p.reason, /log at session end is off/);
  });

  it('security profiles on the allow-all inspect what it lets through, every host still reachable: partial (review s17 R2)', () => {
    const body = `${anyAll}<action>allow</action><profile-setting><group><member>strict</member></group></profile-setting>`;
    const p = bootstrapPosture(read(config({ rules: rule('inspect all', body) })), 'PAN-OS');
    assert.equal(p.cls, 'partial', p.reason);
    assert.match(
      p.reason,
      /accepts every service to every internet destination under security profiles \(group "strict"\) \(profiles inspect/,
    );
    // The same profiles on an allow to a named destination, intrazone-default overridden to deny: restricted.
    const named = body.replace(any('destination'), '<destination><member>203.0.113.10</member></destination>');
    const deny = '<entry name="intrazone-default"><action>deny</action></entry>';
    const toOne = bootstrapPosture(read(config({ rules: rule('inspect one', named), defaults: deny })), 'PAN-OS');
    assert.equal(toOne.cls, 'restricted', toOne.reason);
    assert.match(toOne.reason, /accepts only some destinations or services, under security profiles \(group "strict"\)/);
  });

  it('allows of some applications on one zone: the rest meets intrazone-default, an unlogged allow (Unprotected), unless overridden to deny (Partially Protected: the applications reach every destination, review s16 R5)', () => {
    const web = rule(
      'web out',
      `${any('from')}${any('to')}${any('source')}${any('destination')}<application><member>web-browsing</member><member>ssl</member></application><service><member>application-default</member></service><action>allow</action>`,
    );
    const open = bootstrapPosture(read(config({ rules: web })), 'PAN-OS');
    assert.equal(open.cls, 'bypass', open.reason);
    assert.match(open.reason, /predefined rule intrazone-default/);
    const held = bootstrapPosture(
      read(config({ rules: web, defaults: '<entry name="intrazone-default"><action>deny</action><log-end>yes</log-end></entry>' })),
      'PAN-OS',
    );
    assert.equal(held.cls, 'partial', held.reason);
    assert.match(
      held.reason,
      /rule "web out" .* accepts application \(web-browsing, ssl\) to every internet destination with no security profile; the rest is denied \(services are limited, destinations are not\)/,
    );
    // The same applications to a named destination only: restricted.
    const named = web.replace(any('destination'), '<destination><member>203.0.113.10</member></destination>');
    const toOne = bootstrapPosture(
      read(config({ rules: named, defaults: '<entry name="intrazone-default"><action>deny</action></entry>' })),
      'PAN-OS',
    );
    assert.equal(toOne.cls, 'restricted', toOne.reason);
    assert.match(toOne.reason, /accepts only some destinations or services; the rest is denied/);
  });

  it('an allow to a region (a country code, a region object without addresses) is a country restriction: partial, as FortiOS geography (review s17 R4)', () => {
    const deny = '<entry name="intrazone-default"><action>deny</action></entry>';
    const objects = `<region>
            <entry name="HQ-space"><address><member>198.51.100.0/24</member></address></entry>
            <entry name="Nordics"><geo-location><latitude>60</latitude><longitude>15</longitude></geo-location></entry>
          </region>`;
    const to = (dst: string) =>
      config({
        objects,
        defaults: deny,
        rules: rule(
          'to region',
          `${any('from')}${any('to')}${any('source')}<destination>${dst}</destination>${any('application')}${any('service')}<action>allow</action>`,
        ),
      });
    const us = bootstrapPosture(read(to('<member>US</member><member>CA</member>')), 'PAN-OS');
    assert.equal(us.cls, 'partial', us.reason);
    assert.match(
      us.reason,
      /rule "to region" \(bootstrap\.xml:\d+\) accepts every service to every address of some countries \(geography US, CA\) with no security profile; the rest is denied \(a country restriction names no destination\)/,
    );
    // A country beside a named address: still open. A region object without addresses: a geography too.
    assert.equal(bootstrapPosture(read(to('<member>203.0.113.10</member><member>DE</member>')), 'PAN-OS').cls, 'partial');
    const nordics = bootstrapPosture(read(to('<member>Nordics</member>')), 'PAN-OS');
    assert.equal(nordics.cls, 'partial', nordics.reason);
    assert.match(nordics.reason, /geography region "Nordics"/);
    // A region object defined by its addresses is those addresses: named destinations, restricted.
    const hq = read(to('<member>HQ-space</member>'));
    assert.equal(bootstrapPosture(hq, 'PAN-OS').cls, 'restricted');
    assert.equal(bootstrapFlow(hq, 'PAN-OS', { src: '10.1.2.3', dst: '198.51.100.7', protocol: 'tcp', port: 443 }).decision, 'allow');
    // A flow to one address: the country's addresses are not in the inputs.
    const flow = bootstrapFlow(read(to('<member>US</member>')), 'PAN-OS', { src: '10.1.2.3', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.equal(flow.decision, 'unknown', flow.reason);
    assert.match(flow.reason, /US is a region, which a flow's address alone does not match/);
  });

  it('two zones, trust to untrust: a rule of that pair decides, and what it does not take meets interzone-default (deny)', () => {
    const objects = `<address><entry name="apps"><ip-netmask>10.1.0.0/16</ip-netmask></entry></address>
      <service><entry name="tcp-443"><protocol><tcp><port>443</port></tcp></protocol></entry></service>`;
    const text = config({
      zones: ['trust', 'untrust'],
      objects,
      rules: rule(
        'apps https',
        `<from><member>trust</member></from><to><member>untrust</member></to><source><member>apps</member></source>${any('destination')}${any('application')}<service><member>tcp-443</member></service><action>allow</action>`,
      ),
    });
    const policy = read(text);
    // HTTPS to every destination from the apps range (review s16 R5): Partially Protected for a subnet in it, held
    // back for one outside it, and not known when the source is not.
    assert.equal(bootstrapPosture(policy, 'PAN-OS', 4, sourceSpan('10.1.2.0/24')).cls, 'partial');
    assert.equal(bootstrapPosture(policy, 'PAN-OS', 4, sourceSpan('10.9.0.0/24')).cls, 'restricted');
    const unsure = bootstrapPosture(policy, 'PAN-OS');
    assert.equal(unsure.cls, 'unknown', unsure.reason);
    assert.match(
      unsure.reason,
      /accepts tcp\/443 to every internet destination from some sources: whether this egress is among them is not known/,
    );
    const https = bootstrapFlow(policy, 'PAN-OS', { src: '10.1.2.3', dst: '1.1.1.1', protocol: 'tcp', port: 443 });
    assert.equal(https.decision, 'allow', https.reason);
    assert.equal(https.rule, 'rule "apps https"');
    const ssh = bootstrapFlow(policy, 'PAN-OS', { src: '10.1.2.3', dst: '1.1.1.1', protocol: 'tcp', port: 22 });
    assert.equal(ssh.decision, 'deny', ssh.reason);
    assert.match(ssh.reason, /predefined rule interzone-default .* denies it/);
  });

  it('a deny of everything before the allow-all holds everything back; a disabled one does not', () => {
    const deny = rule('block', `${anyAll}<action>drop</action>`);
    const allow = rule('allow', `${anyAll}<action>allow</action>`);
    assert.equal(bootstrapPosture(read(config({ rules: deny + allow })), 'PAN-OS').cls, 'restricted');
    const off = rule('block', `${anyAll}<action>drop</action><disabled>yes</disabled>`);
    assert.equal(bootstrapPosture(read(config({ rules: off + allow })), 'PAN-OS').cls, 'permit-all');
  });

  it('what the configuration does not define, and XML that cannot be read whole, are unknown, located', () => {
    const undefinedSource = rule(
      'x',
      `${any('from')}${any('to')}<source><member>corp-nets</member></source>${any('destination')}${any('application')}${any('service')}<action>allow</action>`,
    );
    const u = bootstrapPosture(read(config({ rules: undefinedSource })), 'PAN-OS');
    assert.equal(u.cls, 'unknown');
    assert.match(u.reason, /address corp-nets is not defined in the configuration/);
    const damaged = config({ rules: rule('allow', `${anyAll}<action>allow</action>`) }).replace('</rules>', '');
    const d = bootstrapPosture(read(damaged), 'PAN-OS');
    assert.equal(d.cls, 'unknown');
    assert.match(d.reason, /the XML cannot be read whole: <rules> is not closed before <\/security> \(bootstrap\.xml:\d+/);
  });

  it('is not PAN-OS when the text is another XML document or no XML', () => {
    const lines = new LineMap('');
    const loc = (a: number, b: number) => ({ file: 'x', range: lines.range(a, b) });
    assert.equal(panosBootstrapXml('<project><devices/></project>', loc), undefined);
    assert.equal(panosBootstrapXml('type=dhcp-client\npanorama-server=10.0.0.1', loc), undefined);
  });
});
