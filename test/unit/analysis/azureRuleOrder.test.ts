// Azure Firewall processes its rules in order, and the first match decides (review s16 R14): network rules before
// application rules whatever the priorities; within each kind a parent policy's collections before the child's, then
// rule collection groups by priority, then collections by priority. A Deny-all or an Allow-all that comes first is
// honoured; what comes after it never applies. Configurations written for these tests on our own hub-and-spoke
// example (examples/azure-hub-spoke-firewall), its rule collection group replaced.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { initTerraform } from '../../../src/parse/terraform';

const RCG_START = 'resource "azurerm_firewall_policy_rule_collection_group" "egress" {';
const FIREWALL = 'resource "azurerm_firewall" "hub" {';

/** The example with its rule collection group replaced by `groups` (and the policy given `policyExtra`). */
async function spoke(groups: string, policyExtra = ''): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('azure-hub-spoke-firewall');
  let t = files['main.tf'];
  t = t.slice(0, t.indexOf(RCG_START)) + groups + '\n' + t.slice(t.indexOf(FIREWALL));
  if (policyExtra)
    t = replaceOnce(t, [
      'resource "azurerm_firewall_policy" "egress" {',
      `resource "azurerm_firewall_policy" "egress" {\n  ${policyExtra}`,
    ]);
  files['main.tf'] = t;
  const s = (await analyzeFiles(files)).states.find((x) => x.name === 'vnet-spoke-app');
  assert.ok(s);
  return { state: s.state, reason: s.reason };
}

const group = (name: string, priority: string | number, body: string, policy = 'egress') => `
resource "azurerm_firewall_policy_rule_collection_group" "${name}" {
  name               = "rcg-${name}"
  firewall_policy_id = azurerm_firewall_policy.${policy}.id
  priority           = ${priority}
${body}
}
`;

/** A network collection of one rule to any destination (all protocols and ports, or `ports` only). */
const network = (name: string, priority: number, action: 'Allow' | 'Deny', ports = '"*"', protocols = '"Any"') => `
  network_rule_collection {
    name     = "${name}"
    priority = ${priority}
    action   = "${action}"
    rule {
      name                  = "${name}"
      protocols             = [${protocols}]
      source_addresses      = ["*"]
      destination_addresses = ["*"]
      destination_ports     = [${ports}]
    }
  }`;

const webToAny = (priority: number) => `
  application_rule_collection {
    name     = "web-any"
    priority = ${priority}
    action   = "Allow"
    rule {
      name              = "web-any"
      source_addresses  = ["*"]
      destination_fqdns = ["*"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }`;

describe('Azure Firewall: rules in processing order, first match (review s16 R14)', function () {
  this.timeout(60000);
  before(async () => {
    await initTerraform();
  });

  it('a Deny-all group of higher priority than an Allow-all group holds everything back; the other way round the deny never applies', async () => {
    const denyFirst = await spoke(
      group('deny', 100, network('deny-all', 100, 'Deny')) + group('allow', 200, network('allow-all', 100, 'Allow')),
    );
    assert.equal(denyFirst.state, 'Protected', denyFirst.reason);
    assert.match(denyFirst.reason, /allows nothing before network rule deny-all \(Deny\), which denies everything/);
    const allowFirst = await spoke(
      group('deny', 300, network('deny-all', 100, 'Deny')) + group('allow', 200, network('allow-all', 100, 'Allow')),
    );
    assert.equal(allowFirst.state, 'Monitored', allowFirst.reason);
    assert.match(
      allowFirst.reason,
      /allows all traffic to any destination \(network rule allow-all \(Allow\)\); threat intelligence only alerts/,
    );
  });

  it('within a group, collections by priority: a deny of some traffic before the Allow-all holds it back (Partially Protected), after it nothing', async () => {
    const smbDeny = (p: number) => network('deny-smb', p, 'Deny', '"445"', '"TCP"');
    const before = await spoke(group('g', 100, smbDeny(100) + network('allow-all', 200, 'Allow')));
    assert.equal(before.state, 'Partially Protected', before.reason);
    assert.match(before.reason, /1 deny rule before it blocks some traffic/);
    const after = await spoke(group('g', 100, smbDeny(300) + network('allow-all', 200, 'Allow')));
    assert.equal(after.state, 'Monitored', after.reason);
  });

  it('network rules come before application rules whatever the priorities: a network Deny-all of the lowest priority still precedes an application allow of any FQDN', async () => {
    const s = await spoke(group('web', 100, webToAny(100)) + group('deny', 65000, network('deny-all', 65000, 'Deny')));
    assert.equal(s.state, 'Protected', s.reason);
    // Without the network deny the application rule opens the web.
    assert.equal((await spoke(group('web', 100, webToAny(100)))).state, 'Partially Protected');
  });

  it("a parent policy's collections come first whatever the priorities: its Deny-all at 65000 precedes the child's Allow-all at 100", async () => {
    const parent = `
resource "azurerm_firewall_policy" "parent" {
  name                = "fwpolicy-parent"
  resource_group_name = "rg"
  location            = "westeurope"
}
${group('parent', 65000, network('deny-all', 65000, 'Deny'), 'parent')}`;
    const base = 'base_policy_id = azurerm_firewall_policy.parent.id';
    const s = await spoke(parent + group('child', 100, network('allow-all', 100, 'Allow')), base);
    assert.equal(s.state, 'Protected', s.reason);
    // A parent's application allow still comes after the child's network rules (network before application).
    const app = parent.replace(network('deny-all', 65000, 'Deny'), webToAny(100));
    const t = await spoke(app + group('child', 100, network('deny-all', 100, 'Deny')), base);
    assert.equal(t.state, 'Protected', t.reason);
  });

  it('a priority not known offline: Unknown naming it when the order decides; decided when every order agrees', async () => {
    const v = '\nvariable "deny_priority" {}\n';
    const s = await spoke(
      group('deny', 'var.deny_priority', network('deny-all', 100, 'Deny')) + group('allow', 200, network('allow-all', 100, 'Allow')) + v,
    );
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(
      s.reason,
      /the priority of azurerm_firewall_policy_rule_collection_group\.deny cannot be decided offline \(`var\.deny_priority`/,
    );
    // Two denies: whatever the order, nothing is allowed.
    const t = await spoke(
      group('deny', 'var.deny_priority', network('deny-all', 100, 'Deny')) +
        group('other', 200, network('deny-web', 100, 'Deny', '"443"', '"TCP"')) +
        v,
    );
    assert.equal(t.state, 'Protected', t.reason);
  });
});
