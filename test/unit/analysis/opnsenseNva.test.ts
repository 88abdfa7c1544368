// An Azure hub NVA running OPNsense, set up by a VM extension whose script downloads config.xml from the
// repository (by a raw GitHub URL whose path is a file of the workspace): its filter rules decide the spokes'
// posture, as a FortiGate's or VM-Series' bootstrap does. Our own small lab, modelled on an OPNsense hub-spoke
// course: a pass-all logged is Monitored, a default deny with narrow passes Protected, a damaged file Unknown
// with a located damaged-input diagnostic; an edit of the file re-analyses; without the file, the appliance's
// policy is not in the inputs (Protected, as before).
import * as assert from 'node:assert/strict';
import { createWorkspace, type Workspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { azureHub, azureNvaPublicIp, azureSpoke, azureSpokeDefaultTo } from './applianceFixtures';

const REPO = 'https://raw.githubusercontent.com/example-org/net-labs/refs/heads/main';

const hub = (settingsUris: string, command: string) => `${azureHub('rg-lab')}
resource "azurerm_subnet" "untrusted" {
  name                 = "snet-untrusted"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.0.0/24"]
}
resource "azurerm_subnet" "trusted" {
  name                 = "snet-trusted"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}
${azureNvaPublicIp.trimStart()}
resource "azurerm_network_interface" "untrusted" {
  name                  = "nic-nva-untrusted"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = "westeurope"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.untrusted.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.0.4"
    public_ip_address_id          = azurerm_public_ip.nva.id
  }
}
resource "azurerm_network_interface" "trusted" {
  name                  = "nic-nva-trusted"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = "westeurope"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.trusted.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.4"
  }
}
resource "azurerm_linux_virtual_machine" "nva" {
  name                  = "vm-nva"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.untrusted.id, azurerm_network_interface.trusted.id]
  source_image_reference {
    publisher = "thefreebsdfoundation"
    offer     = "freebsd-14_1"
    sku       = "14_1-release-zfs"
    version   = "latest"
  }
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
resource "azurerm_virtual_machine_extension" "setup" {
  name                 = "setup-opnsense"
  virtual_machine_id   = azurerm_linux_virtual_machine.nva.id
  publisher            = "Microsoft.OSTCExtensions"
  type                 = "CustomScriptForLinux"
  type_handler_version = "1.5"
  settings             = <<SETTINGS
    {
      "fileUris": [${settingsUris}],
      "commandToExecute": "${command}"
    }
  SETTINGS
}
${azureSpoke.trimStart()}
${azureSpokeDefaultTo('to-nva', 'azurerm_network_interface.trusted.private_ip_address').trimStart()}`;

/** The extension fetches the setup script, which downloads config.xml from the folder its first argument names. */
const BY_SCRIPT = hub(`"${REPO}/nva/scripts/configure-opnsense.sh"`, `sh configure-opnsense.sh '${REPO}/nva/scripts/' '24.7'`);
const SCRIPT = `#!/bin/sh
# $1: where the configuration is; $2: the OPNsense release
fetch $1config.xml
cp config.xml /usr/local/etc/config.xml
fetch https://example.org/opnsense-bootstrap.sh
sh ./opnsense-bootstrap.sh -y -r "$2"
`;

const xml = (rules: string) => `<?xml version="1.0"?>
<opnsense>
  <interfaces>
    <wan><if>hn0</if><ipaddr>dhcp</ipaddr></wan>
    <lan><if>hn1</if><ipaddr>dhcp</ipaddr></lan>
  </interfaces>
  <filter>
${rules}
  </filter>
</opnsense>
`;
const rule = (iface: string, descr: string, body: string) =>
  `    <rule>\n      <type>pass</type>\n      <interface>${iface}</interface>\n      <descr>${descr}</descr>\n${body}\n    </rule>`;
const PASS_ALL = xml(
  [
    rule(
      'wan',
      'everything in on wan',
      '      <source><any>1</any></source>\n      <destination><any>1</any></destination>\n      <log>1</log>',
    ),
    rule(
      'lan',
      'everything in on lan',
      '      <source><any>1</any></source>\n      <destination><any>1</any></destination>\n      <log>1</log>',
    ),
  ].join('\n'),
);
// HTTPS to named addresses only (a partner range), the rest denied.
const WEB_ONLY = xml(
  [
    rule(
      'wan',
      'https out',
      '      <protocol>tcp</protocol>\n      <source><any/></source>\n      <destination><address>203.0.113.0/24</address><port>443</port></destination>\n      <log>1</log>',
    ),
    rule(
      'lan',
      'https out',
      '      <protocol>tcp</protocol>\n      <source><any/></source>\n      <destination><address>203.0.113.0/24</address><port>443</port></destination>\n      <log>1</log>',
    ),
  ].join('\n'),
);
// HTTPS to any destination, the rest denied: ports to every address (Partially Protected, as on every vendor).
const WEB_ANY = xml(
  [
    rule(
      'wan',
      'https out',
      '      <protocol>tcp</protocol>\n      <source><any/></source>\n      <destination><any/><port>443</port></destination>\n      <log>1</log>',
    ),
    rule(
      'lan',
      'https out',
      '      <protocol>tcp</protocol>\n      <source><any/></source>\n      <destination><any/><port>443</port></destination>\n      <log>1</log>',
    ),
  ].join('\n'),
);

/** As the front ends do: build, give the files the configuration asks for (when the test has them), build again. */
function settle(ws: Workspace, files: Record<string, string>): void {
  for (let round = 0; round < 5; round++) {
    ws.build();
    const more = ws.terraformWants().files.filter((f) => files[f] !== undefined);
    if (more.length === 0) return;
    for (const f of more) ws.setFile(f, files[f]);
    for (const f of more) delete files[f];
  }
}

async function lab(main: string, files: Record<string, string>): Promise<{ ws: Workspace; result: AnalysisResult }> {
  const ws = await createWorkspace();
  ws.setFile('hub/main.tf', main);
  settle(ws, { ...files });
  const b = ws.build();
  return { ws, result: analyze(b.model, {}, b.diagnostics) };
}

const spoke = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!;

describe('Azure NVA running OPNsense: config.xml of the repository decides (review s16 R3)', function () {
  this.timeout(60000);

  it('downloaded by the extension script, it passes any to any, logged: Monitored, the rule and the chain of files named', async () => {
    const { result } = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT, 'nva/scripts/config.xml': PASS_ALL });
    assert.equal(spoke(result).state, 'Monitored', spoke(result).reason);
    assert.match(
      spoke(result).reason,
      /nva\/scripts\/config\.xml, downloaded by nva\/scripts\/configure-opnsense\.sh, which the VM extension runs/,
    );
    assert.match(
      spoke(result).reason,
      /OPNsense rule \d "everything in on (wan|lan)" \(nva\/scripts\/config\.xml:\d+\) passes any source to any destination, any protocol and logs all traffic/,
    );
  });

  it('a default deny with only HTTPS to named addresses passed: Protected by its rules; HTTPS to any address: Partially Protected', async () => {
    const { result } = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT, 'nva/scripts/config.xml': WEB_ONLY });
    assert.equal(spoke(result).state, 'Protected');
    assert.match(spoke(result).reason, /rule 1 "https out" .* accepts only some destinations or services; the rest is denied/);
    const open = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT, 'nva/scripts/config.xml': WEB_ANY });
    assert.equal(spoke(open.result).state, 'Partially Protected', spoke(open.result).reason);
  });

  it('named directly in fileUris: read as well', async () => {
    const direct = hub(`"${REPO}/nva/config.xml"`, `cp config.xml /conf/config.xml`);
    const { result } = await lab(direct, { 'nva/config.xml': PASS_ALL });
    assert.equal(spoke(result).state, 'Monitored');
    assert.match(spoke(result).reason, /nva\/config\.xml, named by the VM extension/);
  });

  it("fetched by the VM's custom data: read as well", async () => {
    const main = hub('', 'echo ready').replace(
      '  admin_username        = "azureuser"\n',
      `  admin_username        = "azureuser"\n  custom_data           = base64encode("#!/bin/sh\\nfetch -o /usr/local/etc/config.xml ${REPO}/nva/config.xml\\n")\n`,
    );
    const { result } = await lab(main, { 'nva/config.xml': WEB_ONLY });
    assert.equal(spoke(result).state, 'Protected');
    assert.match(spoke(result).reason, /\(nva\/config\.xml, named by the custom data\)/);
    assert.match(spoke(result).reason, /OPNsense rule 1 "https out"/);
  });

  it('a damaged config.xml: Unknown, and a damaged-input diagnostic at the extension naming where the XML breaks', async () => {
    const broken = PASS_ALL.replace('</opnsense>\n', '').replace(
      '<descr>everything in on lan</descr>',
      '<descr>everything in on lan</desc>',
    );
    const { result } = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT, 'nva/scripts/config.xml': broken });
    assert.equal(spoke(result).state, 'Unknown');
    assert.match(spoke(result).reason, /its XML is damaged: .* \(nva\/scripts\/config\.xml:\d+\)/);
    const d = result.parseDiagnostics.find((x) => x.code === 'damaged-input');
    assert.ok(d, JSON.stringify(result.parseDiagnostics));
    assert.equal(d.loc.file, 'hub/main.tf');
    assert.match(d.message, /nva\/scripts\/config\.xml, cannot be read whole: .* \(nva\/scripts\/config\.xml:\d+\)/);
  });

  it('an edit of config.xml re-analyses (incremental analyzer and a fresh analysis agree)', async () => {
    const { ws } = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT, 'nva/scripts/config.xml': PASS_ALL });
    const an = createAnalyzer();
    const step = (): string => {
      const b = ws.build();
      const inc = spoke(an.analyze(b.model, {}, b.diagnostics));
      const fresh = spoke(analyze(b.model, {}, b.diagnostics));
      assert.equal(inc.state, fresh.state);
      assert.equal(inc.reason, fresh.reason);
      return inc.state;
    };
    assert.equal(step(), 'Monitored');
    ws.setFile('nva/scripts/config.xml', WEB_ONLY);
    assert.equal(step(), 'Protected');
    ws.setFile('nva/scripts/config.xml', PASS_ALL);
    assert.equal(step(), 'Monitored');
  });

  it('without the file in the inputs: the appliance policy is not in them (Protected, as before)', async () => {
    const { result } = await lab(BY_SCRIPT, { 'nva/scripts/configure-opnsense.sh': SCRIPT });
    assert.equal(spoke(result).state, 'Protected', spoke(result).reason);
    assert.match(spoke(result).reason, /appliance policy not in the inputs/);
  });
});
