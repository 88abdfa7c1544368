// A forwarding instance launched from an AMI the repository's Packer template builds (F290's design: a self-owned
// image looked up by name, squid with an allow-list behind iptables REDIRECT): the template's provisioning (scripts,
// inline commands, files copied onto the image) is read as the instance's user data is. Only a link the inputs prove
// counts: the account's own image (`owners = ["self"]`) whose name or tag filter takes every name the template gives
// it, and no other template's. Inputs written for these tests, modelled on transparent-proxy egress designs.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { ec2Glob, globCovers } from '../../../src/parse/packerImages';
import { parsePacker } from '../../../src/parse/packer';
import { byName, HCL, INTERCEPT, SQUID_ALLOW, vpc } from './packerFixture';

const files = (lookup: string, more: Record<string, string> = {}): Record<string, string> => ({
  'infra/main.tf': vpc(lookup),
  'packer/filter.pkr.hcl': HCL,
  'packer/scripts/intercept.sh': INTERCEPT,
  'packer/files/squid.conf': SQUID_ALLOW,
  ...more,
});

async function run(input: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(input)) if (t !== '') ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const state = (r: AnalysisResult) => {
  const s = r.states.find((x) => x.vpc === 'aws_vpc.main');
  assert.ok(s, 'the VPC has a state');
  return s;
};

describe('Packer images: an instance launched from an AMI the repository builds', () => {
  it("a name filter taking every name of the template's image: its squid allow-list is the instance's policy (Protected)", async () => {
    const s = state(await run(files(byName('egress-filter-*'))));
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(
      s.reason,
      /its image's provisioning \(amazon-ebs\.filter of the Packer template packer\/filter\.pkr\.hcl, which data\.aws_ami\.filter finds\)/,
    );
    assert.match(s.reason, /`acl allowed dstdomain \.example\.org`, then `http_access deny all`/);
    assert.match(s.reason, /its policy is that allow-list/);
  });

  it('a filter narrower than the undecided timestamp, another owner, or no template: not linked (Unknown)', async () => {
    for (const lookup of [byName('egress-filter-2026*'), byName('egress-filter-*', '"123456789012"'), byName('other-*')]) {
      const s = state(await run(files(lookup)));
      assert.equal(s.state, 'Unknown', lookup);
      assert.match(s.reason, /its software is not in the inputs/);
      assert.doesNotMatch(s.reason, /Packer/);
    }
    const none = state(await run({ 'infra/main.tf': vpc(byName('egress-filter-*')) }));
    assert.equal(none.state, 'Unknown');
  });

  it('a lookup by owner alone (or with `tags`, which filter nothing on aws_ami) names the template and stays Unknown', async () => {
    const s = state(await run(files('  owners = ["self"]\n  tags = {\n    Name = "egress-filter"\n  }')));
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /data\.aws_ami\.filter \(infra\/main\.tf:\d+\) is the account's newest image, whatever built it/);
    assert.match(s.reason, /packer\/filter\.pkr\.hcl/);
  });

  it('two templates whose images the filter takes: which one it finds is not in the inputs (Unknown)', async () => {
    const s = state(
      await run(
        files(byName('egress-filter-*'), {
          'packer/copy.pkr.hcl': HCL.replace('"filter"', '"copy"').replace('amazon-ebs.filter', 'amazon-ebs.copy'),
        }),
      ),
    );
    assert.equal(s.state, 'Unknown');
    assert.match(
      s.reason,
      /several Packer builds \(amazon-ebs\.copy of packer\/copy\.pkr\.hcl, amazon-ebs\.filter of packer\/filter\.pkr\.hcl\)/,
    );
  });

  it('a squid that relays every destination is no policy; an edit of the copied file re-decides', async () => {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files(byName('egress-filter-*')))) ws.setFile(f, t);
    let b = ws.build();
    assert.equal(state(analyze(b.model, {}, b.diagnostics)).state, 'Protected');
    ws.setFile('packer/files/squid.conf', 'http_port 3129 intercept\nhttp_access allow all\n');
    b = ws.build();
    const s = state(analyze(b.model, {}, b.diagnostics));
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /its image's provisioning \(amazon-ebs\.filter .*\) runs squid with `http_access allow all`/);
  });

  it('a JSON template by tag filter: squid on a NAT instance filters only the ports iptables hands it (Partially Protected)', async () => {
    const json = JSON.stringify(
      {
        variables: { name: 'nat-squid', region: '{{env `AWS_REGION`}}' },
        builders: [
          { type: 'amazon-ebs', region: '{{user `region`}}', ami_name: '{{user `name`}} {{timestamp}}', tags: { Role: '{{user `name`}}' } },
        ],
        provisioners: [
          { type: 'shell', script: 'nat.sh' },
          { type: 'file', source: 'squid.conf', destination: '/etc/squid/' },
          { type: 'shell', inline: ['echo never'], only: ['other-builder'] },
        ],
      },
      null,
      2,
    );
    const nat = `#!/bin/sh
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-port 3129
yum install -y squid
`;
    const s = state(
      await run({
        'infra/main.tf': vpc('  owners = ["self"]\n  filter {\n    name   = "tag:Role"\n    values = ["nat-squid"]\n  }'),
        'images/nat.json': json,
        'images/nat.sh': nat,
        'images/squid.conf':
          'http_port 3129 intercept\nacl allowed dstdomain .example.org\nhttp_access allow allowed\nhttp_access deny all\n',
      }),
    );
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /amazon-ebs of the Packer template images\/nat\.json/);
    assert.match(s.reason, /hands squid only TCP port 80/);
  });

  it('a script the template runs that the inputs do not hold: nothing of the image is taken (Unknown, naming it)', async () => {
    const s = state(await run(files(byName('egress-filter-*'), { 'packer/scripts/intercept.sh': '' })));
    // A script it runs may change whatever the rest sets up: nothing of the image is taken, the reason names it.
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /whose provisioning runs packer\/scripts\/intercept\.sh \(packer\/filter\.pkr\.hcl:\d+\): not in the inputs/);
    // A copied file not read is passed over (nothing says it is used): the allow-list still reads without it.
    const banner = HCL.replace(
      '  provisioner "shell" {\n    script',
      '  provisioner "file" {\n    source      = "files/banner.txt"\n    destination = "/etc/motd"\n  }\n  provisioner "shell" {\n    script',
    );
    assert.notEqual(banner, HCL);
    const c = state(await run(files(byName('egress-filter-*'), { 'packer/filter.pkr.hcl': banner })));
    assert.equal(c.state, 'Protected');
  });
});

describe('Packer templates: parsing', () => {
  it('HCL2 and JSON: names and tags as decided pieces, provisioning in order; broken templates give diagnostics, never throw', async () => {
    await createWorkspace();
    const h = parsePacker('p/t.pkr.hcl', HCL);
    assert.equal(h.format, 'packer');
    const img = h.packerImages?.[0];
    assert.ok(img);
    assert.deepEqual(img.name, ['egress-filter-', { undecided: 'formatdate()' }]);
    assert.deepEqual(
      img.steps.map((s) => s.kind + (s.kind === 'script' || s.kind === 'file' ? ` ${s.file}` : '')),
      ['inline', 'file p/files/squid.conf', 'script p/scripts/intercept.sh'],
    );
    for (const [f, t] of [
      ['x.pkr.hcl', 'source "amazon-ebs" "a" {\n  ami_name = \n'],
      ['x.json', '{"builders": [{"type": "amazon-ebs", "ami_name": 3}], "provisioners": [1, null, {"type": "file"}]'],
      ['y.json', '{"builders": "amazon-"}'],
    ]) {
      const frag = parsePacker(f, t);
      assert.ok(Array.isArray(frag.diagnostics));
    }
    assert.ok(parsePacker('x.pkr.hcl', 'source "amazon-ebs" "a" {\n  ami_name = \n').diagnostics.some((d) => d.code === 'syntax-error'));
  });

  it('EC2 filter wildcards: a decided name matched whole; an undecided part only by a trailing `*` after a decided prefix', () => {
    assert.ok(ec2Glob('web-?-*', 'web-1-2024'));
    assert.ok(!ec2Glob('web-*', 'app-web-1'));
    assert.ok(globCovers('web-*', ['web-', { undecided: '{{timestamp}}' }]));
    assert.ok(globCovers('w*b-*', ['web-', { undecided: '{{timestamp}}' }]));
    assert.ok(!globCovers('web-1*', ['web-', { undecided: '{{timestamp}}' }]));
    assert.ok(!globCovers('web-*-x', ['web-', { undecided: '{{timestamp}}' }, '-x']));
    assert.ok(globCovers('web-base', ['web-base']));
  });
});
