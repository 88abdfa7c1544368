// Azure names are unique only within a resource group: resources that name each other (a subnet its
// VNet, a route its table) are joined by (resource group, name), and a bare name shared by several
// resources is Unresolved, never the last one written.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved, type NetworkElement } from '../../../src/model/types';
import { byId } from './helpers';

async function build(files: Record<string, string>): Promise<NetworkElement[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().model.elements;
}

const vnet = (id: string, rg: string, cidr: string) => `
resource "azurerm_virtual_network" "${id}" {
  name                = "shared"
  resource_group_name = "${rg}"
  address_space       = ["${cidr}"]
}`;

describe('Azure names by resource group', () => {
  before(async () => {
    await initTerraform();
  });

  it('a subnet and a route find the VNet and table of their own resource group, whatever the order written', async () => {
    const els = await build({
      'main.tf': `${vnet('a', 'rg-a', '10.1.0.0/16')}
${vnet('b', 'rg-b', '10.2.0.0/16')}
resource "azurerm_subnet" "in_a" {
  name                 = "s"
  resource_group_name  = "rg-a"
  virtual_network_name = "shared"
  address_prefixes     = ["10.1.0.0/24"]
}
resource "azurerm_route_table" "ta" {
  name                = "rt"
  resource_group_name = "rg-a"
}
resource "azurerm_route_table" "tb" {
  name                = "rt"
  resource_group_name = "rg-b"
}
resource "azurerm_route" "ra" {
  name                   = "r"
  resource_group_name    = "rg-a"
  route_table_name       = "rt"
  address_prefix         = "0.0.0.0/0"
  next_hop_type          = "Internet"
}`,
    });
    const s = byId(els, 'azurerm_subnet.in_a');
    assert.ok(s.kind === 'subnet');
    assert.equal(s.vpc, 'azurerm_virtual_network.a');
    const ta = byId(els, 'azurerm_route_table.ta');
    const tb = byId(els, 'azurerm_route_table.tb');
    assert.ok(ta.kind === 'routeTable' && tb.kind === 'routeTable');
    assert.deepEqual(
      ta.routes.map((r) => r.id),
      ['azurerm_route.ra'],
    );
    assert.deepEqual(tb.routes, []);
  });

  it('a shared name with an undecidable resource group stays Unresolved, saying why', async () => {
    const els = await build({
      'main.tf': `${vnet('a', 'rg-a', '10.1.0.0/16')}
${vnet('b', 'rg-b', '10.2.0.0/16')}
variable "rg" {}
resource "azurerm_subnet" "where" {
  name                 = "s"
  resource_group_name  = var.rg
  virtual_network_name = "shared"
  address_prefixes     = ["10.1.0.0/24"]
}`,
    });
    const s = byId(els, 'azurerm_subnet.where');
    assert.ok(s.kind === 'subnet' && isUnresolved(s.vpc), JSON.stringify(s.kind === 'subnet' && s.vpc));
    assert.match(s.vpc.reason, /several resources are named shared and the resource group cannot be decided/);
  });

  it('a name only one resource has joins when the group of that resource is not known; one in another known group does not', async () => {
    const els = await build({
      'main.tf': `
variable "rg" {}
resource "azurerm_virtual_network" "any" {
  name                = "loose"
  resource_group_name = var.rg
  address_space       = ["10.1.0.0/16"]
}
${vnet('b', 'rg-b', '10.2.0.0/16')}
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg-x"
  virtual_network_name = "loose"
  address_prefixes     = ["10.1.0.0/24"]
}
resource "azurerm_subnet" "t" {
  name                 = "t"
  resource_group_name  = "rg-x"
  virtual_network_name = "shared"
  address_prefixes     = ["10.2.0.0/24"]
}`,
    });
    const s = byId(els, 'azurerm_subnet.s');
    assert.ok(s.kind === 'subnet');
    assert.equal(s.vpc, 'azurerm_virtual_network.any');
    const t = byId(els, 'azurerm_subnet.t');
    assert.ok(t.kind === 'subnet' && isUnresolved(t.vpc));
    assert.match(t.vpc.reason, /no resource named shared in the inputs is in resource group rg-x/);
  });

  it('a name not known offline (random_pet) still names its resource through `.name`, also via a module output; a name made from it does not', async () => {
    const els = await build({
      'main.tf': `
resource "random_pet" "p" {}
resource "azurerm_virtual_network" "v" {
  name          = "\${random_pet.p.id}-vnet"
  address_space = ["10.9.0.0/16"]
}
resource "azurerm_route_table" "t" {
  name = "\${random_pet.p.id}-rt"
}
resource "azurerm_route" "r" {
  name             = "r"
  route_table_name = azurerm_route_table.t.name
  address_prefix   = "0.0.0.0/0"
  next_hop_type    = "Internet"
}
resource "azurerm_firewall" "fw" {
  name = "\${random_pet.p.id}-fw"
}
resource "azurerm_firewall_application_rule_collection" "c" {
  name                = "c"
  azure_firewall_name = azurerm_firewall.fw.name
  priority            = 100
  action              = "Allow"
}
resource "azurerm_subnet" "direct" {
  name                 = "direct"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.9.1.0/24"]
}
module "names" {
  source = "./names"
  vnet   = azurerm_virtual_network.v.name
}
resource "azurerm_subnet" "via_module" {
  name                 = "via-module"
  virtual_network_name = module.names.vnet
  address_prefixes     = ["10.9.2.0/24"]
}
resource "azurerm_subnet" "derived" {
  name                 = "derived"
  virtual_network_name = "\${azurerm_virtual_network.v.name}-old"
  address_prefixes     = ["10.9.3.0/24"]
}
resource "azurerm_subnet" "upper" {
  name                 = "upper"
  virtual_network_name = upper(azurerm_virtual_network.v.name)
  address_prefixes     = ["10.9.4.0/24"]
}`,
      'names/main.tf': `
variable "vnet" {}
output "vnet" { value = var.vnet }`,
    });
    const vpcOf = (id: string) => {
      const s = byId(els, id);
      assert.ok(s.kind === 'subnet');
      return s.vpc;
    };
    assert.equal(vpcOf('azurerm_subnet.direct'), 'azurerm_virtual_network.v');
    assert.equal(vpcOf('azurerm_subnet.via_module'), 'azurerm_virtual_network.v');
    for (const other of ['azurerm_subnet.derived', 'azurerm_subnet.upper']) {
      const v = vpcOf(other);
      assert.ok(isUnresolved(v), `${other}: ${JSON.stringify(v)}`);
      assert.match(v.reason, /random_pet\.p\.id is known only after apply/);
    }
    const t = byId(els, 'azurerm_route_table.t');
    assert.ok(t.kind === 'routeTable');
    assert.deepEqual(
      t.routes.map((r) => r.id),
      ['azurerm_route.r'],
    );
    const c = byId(els, 'azurerm_firewall_application_rule_collection.c');
    assert.ok(c.kind === 'firewallRuleGroup');
    assert.equal(c.owner, 'azurerm_firewall.fw');
  });
  it('reads a VNet peering: the VNet it is written in by (resource group, name), the remote VNet by its id', async () => {
    const els = await build({
      'main.tf': `${vnet('a', 'rg-a', '10.1.0.0/16')}
${vnet('b', 'rg-b', '10.2.0.0/16')}
resource "azurerm_virtual_network_peering" "a_to_b" {
  name                      = "a-to-b"
  resource_group_name       = "rg-a"
  virtual_network_name      = "shared"
  remote_virtual_network_id = azurerm_virtual_network.b.id
}
resource "azurerm_virtual_network_peering" "b_to_a" {
  name                      = "b-to-a"
  resource_group_name       = "rg-b"
  virtual_network_name      = azurerm_virtual_network.b.name
  remote_virtual_network_id = azurerm_virtual_network.a.id
}
resource "azurerm_virtual_network_peering" "elsewhere" {
  name                      = "to-remote"
  resource_group_name       = "rg-a"
  virtual_network_name      = "shared"
  remote_virtual_network_id = var.remote_vnet_id
}
variable "remote_vnet_id" {}`,
    });
    const ab = byId(els, 'azurerm_virtual_network_peering.a_to_b');
    const ba = byId(els, 'azurerm_virtual_network_peering.b_to_a');
    assert.ok(ab.kind === 'peering' && ba.kind === 'peering');
    assert.equal(ab.name, 'a-to-b');
    assert.equal(ab.vpc, 'azurerm_virtual_network.a');
    assert.equal(ab.peerVpc, 'azurerm_virtual_network.b');
    assert.equal(ba.vpc, 'azurerm_virtual_network.b');
    assert.equal(ba.peerVpc, 'azurerm_virtual_network.a');
    // A remote VNet the inputs cannot name stays Unresolved, never guessed.
    const far = byId(els, 'azurerm_virtual_network_peering.elsewhere');
    assert.ok(far.kind === 'peering');
    assert.equal(far.vpc, 'azurerm_virtual_network.a');
    assert.ok(isUnresolved(far.peerVpc));
  });
});
