// A VM-Series of a CloudFormation template booting from the bucket a parameter names: the workspace's PAN-OS
// bootstrap.xml (the only one, or the only one in a config/ folder, the bucket's layout) is taken as that bucket's
// config/bootstrap.xml, and its security rules decide; the state reason says which file and why.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, type Workspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { Instance } from '../../../src/model/types';
import { cli, ensureBuilt } from '../cli/cliHarness';
import * as os from 'node:os';

const EXAMPLE = fs.readFileSync(path.join(__dirname, '../../../../examples/cloudformation/distributed-egress.yaml'), 'utf8');

/**
 * The example's network with its two firewall instances booting as Palo Alto's templates write it: a user data
 * chosen by a condition on the bucket parameter (its Default `bucketDefault`, none when undefined), the bucket
 * given by `Fn::Join` of the setting and `!Ref` of the parameter (or `bucketValue` written in its place).
 */
function template(bucketDefault: string | undefined, bucketValue = '!Ref BootstrapBucket', written?: string): string {
  const param = `  BootstrapBucket:
    Type: String
${bucketDefault === undefined ? '' : `    Default: "${bucketDefault}"\n`}`;
  const ifBucket = `      UserData: !If
        - UseBucket
        - !Base64
          Fn::Join:
            - ''
            - - vmseries-bootstrap-aws-s3bucket=
              - ${bucketValue}
        - !Base64
          Fn::Join:
            - ';'
            - - type=dhcp-client
              - panorama-server=
              - op-command-modes=mgmt-interface-swap
              - plugin-op-commands=aws-gwlb-inspect:enable
`;
  const userData = written ?? ifBucket;
  const t = EXAMPLE.replace('Parameters:\n', `Parameters:\n${param}`)
    .replace('\nResources:\n', '\nConditions:\n  UseBucket: !Not [!Equals [!Ref BootstrapBucket, ""]]\n\nResources:\n')
    .replace('      PrivateIpAddress: 10.100.1.10\n', `      PrivateIpAddress: 10.100.1.10\n${userData}`)
    .replace('      PrivateIpAddress: 10.100.2.10\n', `      PrivateIpAddress: 10.100.2.10\n${userData}`);
  assert.equal(t.split('vmseries-bootstrap-aws-s3bucket=').length, 3, 'both firewalls boot from the bucket');
  return t;
}

/** A PAN-OS configuration with one vsys and one rule allowing everything (logged at session end unless `logEnd`). */
const xml = (logEnd = '') => `<?xml version="1.0"?>
<config version="10.2.0">
  <devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
    <zone><entry name="gwlb"><network><layer3><member>ethernet1/1</member></layer3></network></entry></zone>
    <rulebase><security><rules>
      <entry name="Allow All"><from><member>any</member></from><to><member>any</member></to><source><member>any</member></source><destination><member>any</member></destination><application><member>any</member></application><service><member>any</member></service><action>allow</action>${logEnd}</entry>
    </rules></security></rulebase>
  </entry></vsys></entry></devices>
</config>
`;

async function workspace(files: Record<string, string>): Promise<Workspace> {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws;
}

const firewall = (ws: Workspace): Instance => {
  const fw = ws.build().model.elements.find((e) => e.id === 'cfn:fw.yaml#FirewallInstanceA');
  assert.ok(fw && fw.kind === 'instance');
  return fw;
};

const workloadState = (ws: Workspace) => {
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics).states.find((s) => s.vpc === 'cfn:fw.yaml#WorkloadVpc')!;
};

describe("VM-Series of a CloudFormation template: the workspace's bootstrap.xml as its bucket's", function () {
  this.timeout(20000);

  it('the only PAN-OS bootstrap.xml: its logged allow-all makes the workload VPC Monitored, the reason naming the file and why', async () => {
    const ws = await workspace({ 'fw.yaml': template('fw-bootstrap'), 'bootstrap/config/bootstrap.xml': xml() });
    assert.equal(
      firewall(ws).ngfw?.policy?.source,
      'bootstrap/config/bootstrap.xml, the workspace\'s only PAN-OS bootstrap.xml, taken as the config/bootstrap.xml of the bucket parameter BootstrapBucket names (condition UseBucket holds with BootstrapBucket = "fw-bootstrap" (its Default))',
    );
    const st = workloadState(ws);
    assert.equal(st.state, 'Monitored', st.reason);
    assert.match(
      st.reason,
      /fortigate-0's bootstrap \(bootstrap\/config\/bootstrap\.xml, the workspace's only PAN-OS bootstrap\.xml, taken as [^)]*\(its Default\)\)\): PAN-OS rule "Allow All" \(bootstrap\/config\/bootstrap\.xml:6\) allows any to any/,
    );
    // The file is listed as read by the template, not skipped.
    assert.equal(ws.build().files.find((f) => f.file === 'bootstrap/config/bootstrap.xml')?.format, 'cloudformation');
    // Its rule not logging: Unprotected; the file removed: back to an appliance whose policy is not in the inputs.
    ws.setFile('bootstrap/config/bootstrap.xml', xml('<log-end>no</log-end>'));
    assert.equal(workloadState(ws).state, 'Unprotected');
    ws.removeFile('bootstrap/config/bootstrap.xml');
    const back = workloadState(ws);
    assert.equal(back.state, 'Protected', back.reason);
    assert.match(back.reason, /its policy is in the config\/bootstrap\.xml of a bootstrap bucket named at apply, not in the inputs/);
  });

  it('several: the only one in a config/ folder is taken; two there are not told apart, and none is taken', async () => {
    const ws = await workspace({
      'fw.yaml': template('fw-bootstrap'),
      'bootstrap/config/bootstrap.xml': xml(),
      'samples/bootstrap.xml': xml('<log-end>no</log-end>'),
    });
    assert.match(
      firewall(ws).ngfw?.policy?.source ?? '',
      /^bootstrap\/config\/bootstrap\.xml, the only one of the workspace's 2 PAN-OS bootstrap\.xml files in a config\/ folder \(a bootstrap bucket's layout\), taken as/,
    );
    assert.equal(workloadState(ws).state, 'Monitored');
    ws.setFile('other/config/bootstrap.xml', xml('<log-end>no</log-end>'));
    const fw = firewall(ws);
    assert.equal(fw.ngfw?.policy, undefined);
    assert.match(
      fw.ngfw?.policyElsewhere?.reason ?? '',
      /several PAN-OS bootstrap\.xml files \(bootstrap\/config\/bootstrap\.xml, other\/config\/bootstrap\.xml, samples\/bootstrap\.xml\) and which one is uploaded there is not decided, so none is taken/,
    );
    assert.equal(workloadState(ws).state, 'Protected');
  });

  it('a bootstrap.xml that is no PAN-OS configuration is not counted', async () => {
    const ws = await workspace({
      'fw.yaml': template('fw-bootstrap'),
      'bootstrap/config/bootstrap.xml': xml(),
      'app/bootstrap.xml': '<?xml version="1.0"?>\n<beans><bean id="x"/></beans>\n',
    });
    assert.match(firewall(ws).ngfw?.policy?.source ?? '', /the workspace's only PAN-OS bootstrap\.xml/);
  });

  it('the condition not holding (the bucket parameter left blank): the other user data, no bucket, no bootstrap.xml taken', async () => {
    const ws = await workspace({ 'fw.yaml': template(''), 'bootstrap/config/bootstrap.xml': xml() });
    const fw = firewall(ws);
    assert.equal(fw.ngfw?.policy, undefined);
    assert.match(fw.ngfw?.policyElsewhere?.reason ?? '', /^its bootstrap names no Panorama and no bootstrap bucket/);
    assert.equal(workloadState(ws).state, 'Protected');
    // Without the interface swap, the GWLB (target type instance) delivers to its management interface (F238).
    ws.setFile('fw.yaml', template('').replace(/ {14}- op-command-modes=mgmt-interface-swap\n/g, ''));
    const mgmt = workloadState(ws);
    assert.equal(mgmt.state, 'Unknown');
    assert.match(mgmt.reason, /management interface: its bootstrap \(fw\.yaml:\d+\) does not set mgmt-interface-swap=enable/);
  });

  it('the condition not decided (no Default): either way, not taken', async () => {
    const ws = await workspace({ 'fw.yaml': template(undefined), 'bootstrap/config/bootstrap.xml': xml() });
    const fw = firewall(ws);
    assert.equal(fw.ngfw?.policy, undefined);
    assert.match(fw.ngfw?.policyElsewhere?.reason ?? '', /^as UseBucket decides at deploy time, either/);
  });

  it('the bucket written as ${Parameter} in a Fn::Sub user data: taken', async () => {
    const sub =
      '      UserData: !Base64\n        Fn::Sub: "mgmt-interface-swap=enable\\nvmseries-bootstrap-aws-s3bucket=${BootstrapBucket}\\n"\n';
    const ws = await workspace({ 'fw.yaml': template('fw-bootstrap', '', sub), 'bootstrap/config/bootstrap.xml': xml() });
    assert.match(
      firewall(ws).ngfw?.policy?.source ?? '',
      /taken as the config\/bootstrap\.xml of the bucket parameter BootstrapBucket names$/,
    );
    assert.equal(workloadState(ws).state, 'Monitored');
  });

  it('a bucket the template names itself, not a parameter: the file is not taken as its bucket', async () => {
    const ws = await workspace({ 'fw.yaml': template('fw-bootstrap', 'my-own-bucket'), 'bootstrap/config/bootstrap.xml': xml() });
    const fw = firewall(ws);
    assert.equal(fw.ngfw?.policy, undefined);
    assert.equal(fw.ngfw?.policyElsewhere?.via, 'bucket');
  });

  it('the CLI reads a bootstrap.xml met while walking the folder, as a user runs it', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panos-bucket-'));
    try {
      fs.writeFileSync(path.join(dir, 'fw.yaml'), template('fw-bootstrap'));
      fs.mkdirSync(path.join(dir, 'bootstrap', 'config'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'bootstrap', 'config', 'bootstrap.xml'), xml());
      fs.writeFileSync(path.join(dir, 'bootstrap', 'config', 'init-cfg.txt'), 'type=dhcp-client\n');
      const r = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], dir);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { states: { vpc: string; state: string; reason: string }[] };
      const st = doc.states.find((s) => s.vpc === 'cfn:fw.yaml#WorkloadVpc');
      assert.equal(st?.state, 'Monitored', st?.reason);
      assert.match(st?.reason ?? '', /bootstrap\/config\/bootstrap\.xml, the workspace's only PAN-OS bootstrap\.xml/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
