// Review s15 R11, s16 R1: an NVA whose custom data writes its iptables rules has its policy in the inputs, walked rule
// by rule where it can be (vocabulary/packetFilter.ts); where it cannot, the reason says the rules are in the user
// data, never "appliance policy not in the inputs"; an NVA known by its image alone keeps that wording.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const spokeOf = async (files: Record<string, string>) =>
  (await analyzeFiles(files)).states.find((s) => s.vpc === 'azurerm_virtual_network.spoke');

describe('an NVA whose user data writes its packet filter (review s15 R11)', function () {
  this.timeout(60000);

  it('walks its iptables rules (review s16 R1): an allow-list of destinations is Protected, ports to anywhere Partially Protected', async () => {
    const st = await spokeOf(exampleTfFiles('azure-hub-spoke-nva'));
    assert.equal(st?.state, 'Protected', st?.reason);
    assert.match(
      st?.reason ?? '',
      /its iptables forwarding rules accept only named destinations \(`iptables -A FORWARD -s 10\.1\.0\.0\/16 -d 203\.0\.113\.0\/24 -p tcp -m multiport --dports 80,443 -j ACCEPT`\) and drop the rest \(its policy \(`iptables -P FORWARD DROP`\)\) \(hub\.tf:77\); its rules let only named destinations out/,
    );
    assert.doesNotMatch(st?.reason ?? '', /not in the inputs/);
    // TCP 80/443 to any destination: as the same allow on Azure Firewall, Partially Protected.
    const files = exampleTfFiles('azure-hub-spoke-nva');
    files['hub.tf'] = replaceOnce(files['hub.tf'], [' -d 203.0.113.0/24 -p tcp', ' -p tcp']);
    const ports = await spokeOf(files);
    assert.equal(ports?.state, 'Partially Protected', ports?.reason);
    assert.match(ports?.reason ?? '', /accept tcp 80,443 to any destination \(`iptables -A FORWARD -s 10\.1\.0\.0\/16 -p tcp -m multiport/);
    // A rule the walk cannot read (a set match): the rules are in the user data, not evaluated here.
    files['hub.tf'] = replaceOnce(files['hub.tf'], ['-m multiport --dports 80,443', '-m set --match-set allowed dst']);
    const set = await spokeOf(files);
    assert.equal(set?.state, 'Protected', set?.reason);
    assert.match(set?.reason ?? '', /its packet filter rules are in the user data, not evaluated here/);
    assert.match(set?.reason ?? '', /its match `-m set --match-set allowed dst` is not read here/);
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
