// A VM-Series' bootstrap settings (init-cfg keys in its user data) say where its policy is: Panorama, a bootstrap
// bucket, or the firewall itself. None is in the inputs: the reason names the place and is located at its setting.
import { strict as assert } from 'node:assert';
import { LineMap } from '../../../src/parse/locate';
import { ngfwBootstrap, ngfwFromTexts, panosPolicyElsewhere } from '../../../src/parse/vocabulary/ngfw';

const located = (text: string) => {
  const lines = new LineMap(text);
  return { text, locate: (a: number, b: number) => ({ file: 'fw.yaml', range: lines.range(a, b) }) };
};

describe('VM-Series bootstrap: where its policy is', () => {
  it('Panorama: the server and device group, located at the panorama-server line', () => {
    const t = located('type=dhcp-client\nplugin-op-commands=aws-gwlb-inspect:enable\npanorama-server=10.255.0.10\ndgname=egress-dg\n');
    const b = ngfwFromTexts([t]);
    assert.equal(b?.vendor, 'Palo Alto VM-Series');
    assert.equal(b?.overlayRouting, false);
    assert.equal(b?.policy, undefined);
    assert.equal(
      b?.policyElsewhere?.reason,
      'its policy is pushed by Panorama 10.255.0.10, device group egress-dg and is not in the inputs',
    );
    assert.deepEqual(b?.policyElsewhere?.loc.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 27 } });
  });

  it('an empty panorama-server (the template left blank) is no Panorama: the policy is set on the firewall', () => {
    const t = located('type=dhcp-client;panorama-server=;plugin-op-commands=aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable');
    const b = ngfwFromTexts([t]);
    assert.equal(b?.overlayRouting, true);
    assert.match(b?.policyElsewhere?.reason ?? '', /names no Panorama and no bootstrap bucket: its policy is configured on the firewall/);
    // Located at the first PAN-OS setting, the one that says this is a VM-Series bootstrap.
    assert.equal(b?.policyElsewhere?.loc.range.start.character, 17);
  });

  it('a bootstrap bucket: its name, located at the setting', () => {
    const t = located('vmseries-bootstrap-aws-s3bucket=fw-bootstrap-eu;mgmt-interface-swap=enable');
    const e = panosPolicyElsewhere([t]);
    assert.equal(e.reason, 'it boots from bootstrap bucket fw-bootstrap-eu, whose config/bootstrap.xml (its policy) is not in the inputs');
    assert.deepEqual(e.loc.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 47 } });
  });

  it('pieces of a user data known in part: a setting left empty before a value known at apply is not taken as empty', () => {
    const at = () => ({ file: 'main.tf', range: new LineMap('').range(0, 0) });
    const b = ngfwBootstrap(['mgmt-interface-swap=enable;panorama-server=', ';tplname=stack'], at, true);
    assert.equal(
      b?.policyElsewhere?.reason,
      'its bootstrap names a Panorama server known only at apply; a policy it pushes is not in the inputs',
    );
    assert.equal(b?.policyElsewhere?.loc.file, 'main.tf');
    // Fully known and empty: no Panorama.
    const c = ngfwBootstrap(['mgmt-interface-swap=enable;panorama-server='], at, false);
    assert.match(c?.policyElsewhere?.reason ?? '', /configured on the firewall/);
  });

  it('no PAN-OS setting: not a VM-Series', () => {
    assert.equal(ngfwFromTexts([located('#!/bin/bash\nyum install -y nginx\n')]), undefined);
    assert.equal(
      ngfwBootstrap(['#!/bin/bash'], () => ({ file: 'x', range: new LineMap('').range(0, 0) }), false),
      undefined,
    );
  });
});
