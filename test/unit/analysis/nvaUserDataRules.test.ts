// Review s15 R11: an NVA whose custom data writes its iptables rules has its policy in the inputs (not evaluated
// rule by rule): the reason says so, never "appliance policy not in the inputs"; an NVA known by its image alone
// keeps that wording.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const spokeOf = async (files: Record<string, string>) =>
  (await analyzeFiles(files)).states.find((s) => s.vpc === 'azurerm_virtual_network.spoke');

describe('an NVA whose user data writes its packet filter (review s15 R11)', function () {
  this.timeout(60000);

  it('says its rules are in the user data, not that its policy is absent from the inputs', async () => {
    const st = await spokeOf(exampleTfFiles('azure-hub-spoke-nva'));
    assert.equal(st?.state, 'Protected', st?.reason);
    assert.match(st?.reason ?? '', /`iptables -P FORWARD DROP`; its packet filter rules are in the user data, not evaluated here/);
    assert.doesNotMatch(st?.reason ?? '', /not in the inputs/);
  });

  it('an NVA known by its firewall image alone: its policy is not in the inputs', async () => {
    const files = exampleTfFiles('azure-hub-spoke-nva');
    files['hub.tf'] = replaceOnce(
      files['hub.tf'],
      [/ {2}custom_data = base64encode\([^\n]*\n/.exec(files['hub.tf'])![0], ''],
      ['publisher = "Canonical"', 'publisher = "fortinet"'],
    );
    const st = await spokeOf(files);
    assert.equal(st?.state, 'Protected', st?.reason);
    assert.match(st?.reason ?? '', /appliance policy not in the inputs/);
    assert.doesNotMatch(st?.reason ?? '', /user data/);
  });
});
