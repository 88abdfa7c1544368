// An Azure subnet must lie inside its VNet's address space: Azure refuses any other prefix
// (NetcfgSubnetRangeOutsideVnet), so such a configuration cannot deploy. Said as a located error, only
// when the prefix and every address space are known (F107).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { ParseDiagnostic } from '../../../src/model/inputs';

async function diagnostics(files: Record<string, string>): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().diagnostics.filter((d) => d.code === 'subnet-outside-network');
}

// A hub and a spoke; the spoke's workload subnet written into the hub by mistake.
const network = (hubSpace: string, prefixes: string, extra = '') => `
variable "hub_space" {
  default = ${hubSpace}
}
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-net"
  location            = "westeurope"
  address_space       = var.hub_space
}
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = "rg-net"
  location            = "westeurope"
  address_space       = ["10.20.0.0/16"]
  subnet {
    name             = "snet-inline"
    address_prefixes = ["10.20.1.0/24"]
  }
}
resource "azurerm_subnet" "workload" {
  name                 = "snet-workload"
  resource_group_name  = "rg-net"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ${prefixes}
}
${extra}`;

describe('Azure subnet outside its VNet (F107)', () => {
  before(async () => {
    await initTerraform();
  });

  it("a subnet whose prefix is outside its VNet's address space is a located error naming both", async () => {
    const text = network('["10.10.0.0/16"]', '["10.20.5.0/24"]');
    const ds = await diagnostics({ 'main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.match(
      ds[0].message,
      /subnet snet-workload: address prefix 10\.20\.5\.0\/24 lies outside vnet-hub's address space 10\.10\.0\.0\/16: Azure refuses/,
    );
    // At the subnet's address_prefixes.
    assert.equal(ds[0].loc.file, 'main.tf');
    const line = text.split('\n').findIndex((l) => l.includes('["10.20.5.0/24"]'));
    assert.equal(ds[0].loc.range.start.line, line);
  });

  it('inside one of several spaces, or a known subnet inside a known VNet, is no error', async () => {
    assert.deepEqual(await diagnostics({ 'main.tf': network('["10.10.0.0/16", "10.20.0.0/16"]', '["10.20.5.0/24"]') }), []);
    assert.deepEqual(await diagnostics({ 'main.tf': network('["10.10.0.0/16"]', '["10.10.5.0/24"]') }), []);
  });

  it('an inline subnet block outside its VNet is said too', async () => {
    const ds = await diagnostics({
      'main.tf': network('["10.10.0.0/16"]', '["10.10.5.0/24"]').replace('["10.20.1.0/24"]', '["10.30.1.0/24"]'),
    });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(
      ds[0].message,
      /subnet snet-inline: address prefix 10\.30\.1\.0\/24 lies outside vnet-spoke's address space 10\.20\.0\.0\/16/,
    );
  });

  it('never on a value not known offline: an address space or a prefix from a variable without value', async () => {
    const noSpace = network('["10.10.0.0/16"]', '["10.20.5.0/24"]').replace(
      /variable "hub_space" \{\n {2}default = .*\n\}/,
      'variable "hub_space" {}',
    );
    assert.deepEqual(await diagnostics({ 'main.tf': noSpace }), []);
    assert.deepEqual(await diagnostics({ 'main.tf': network('["10.10.0.0/16"]', '[var.prefix]', 'variable "prefix" {}') }), []);
    // The VNet not in the inputs (a name the inputs do not declare): nothing to compare with.
    const elsewhere = network('["10.10.0.0/16"]', '["10.20.5.0/24"]').replace('azurerm_virtual_network.hub.name', '"vnet-shared"');
    assert.deepEqual(await diagnostics({ 'main.tf': elsewhere }), []);
  });

  it('a VNet named by a bare name only when the resource groups are known and equal: another stack may own a VNet of that name', async () => {
    const byName = (subnetGroup: string) =>
      network('["10.10.0.0/16"]', '["10.20.5.0/24"]')
        .replace('virtual_network_name = azurerm_virtual_network.hub.name', 'virtual_network_name = "vnet-hub"')
        .replace(
          /(resource "azurerm_subnet" "workload" \{\n {2}name {17}= "snet-workload"\n {2}resource_group_name {2}= )"rg-net"/,
          `$1${subnetGroup}`,
        );
    // Same known group: it is that VNet.
    const same = byName('"rg-net"');
    assert.match(same, /virtual_network_name = "vnet-hub"/);
    assert.equal((await diagnostics({ 'main.tf': same })).length, 1);
    // The subnet's group not known offline: the VNet of that name in the inputs may not be the one it names.
    const unknownGroup = byName('var.rg') + '\nvariable "rg" {}\n';
    assert.match(unknownGroup, /resource_group_name {2}= var\.rg/);
    assert.deepEqual(await diagnostics({ 'main.tf': unknownGroup }), []);
  });

  it('never when the address space or the prefix is managed outside Terraform (lifecycle ignore_changes)', async () => {
    const hubIgnoring = (ignored: string) =>
      network('["10.10.0.0/16"]', '["10.20.5.0/24"]').replace(
        '  address_space       = var.hub_space\n',
        `  address_space       = var.hub_space\n  lifecycle {\n    ignore_changes = ${ignored}\n  }\n`,
      );
    for (const ignored of ['[address_space]', 'all', '[tags, address_space]']) {
      const text = hubIgnoring(ignored);
      assert.match(text, /ignore_changes/);
      assert.deepEqual(await diagnostics({ 'main.tf': text }), [], ignored);
    }
    // Another attribute ignored: the space is as written.
    assert.equal((await diagnostics({ 'main.tf': hubIgnoring('[tags]') })).length, 1);
    // The inline subnet of a VNet whose space is ignored.
    const inline = network('["10.10.0.0/16"]', '["10.10.5.0/24"]')
      .replace('["10.20.1.0/24"]', '["10.30.1.0/24"]')
      .replace(
        '  address_space       = ["10.20.0.0/16"]\n',
        '  address_space       = ["10.20.0.0/16"]\n  lifecycle {\n    ignore_changes = [address_space]\n  }\n',
      );
    assert.match(inline, /ignore_changes/);
    assert.deepEqual(await diagnostics({ 'main.tf': inline }), []);
    // The subnet's own prefixes ignored.
    const subnet = network('["10.10.0.0/16"]', '["10.20.5.0/24"]\n  lifecycle {\n    ignore_changes = [address_prefixes]\n  }');
    assert.deepEqual(await diagnostics({ 'main.tf': subnet }), []);
  });
});
