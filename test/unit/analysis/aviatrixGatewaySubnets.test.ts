import { strict as assert } from 'node:assert';
import { replaceOnce } from '../analyzeFiles';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// The subnets Aviatrix gateways are launched in carry the gateways' own traffic: they are infrastructure,
// not workloads with uninspected egress, however the gateway names its VPC and subnets.
describe('analysis: Aviatrix gateway subnets', function () {
  this.timeout(30000);

  async function run(text: string) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return { ...analyze(b.model, {}, b.diagnostics), diagnostics: b.diagnostics, model: b.model };
  }
  const flagged = (r: Awaited<ReturnType<typeof run>>): string[] =>
    r.findings.filter((f) => f.code === 'uninspected-egress').flatMap((f) => f.traces ?? []);

  // A spoke VPC written by hand (gateway, public and private tiers), then mc-spoke told to use it.
  const existingVpc = (extra: string) => `
resource "aws_vpc" "spoke" {
  cidr_block = "10.8.0.0/22"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.spoke.id
}
resource "aws_route_table" "rt" {
  for_each = toset(["gw-a", "gw-b", "web"])
  vpc_id   = aws_vpc.spoke.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
locals {
  tiers = { gw-a = "10.8.0.0/26", gw-b = "10.8.0.64/26", web = "10.8.1.0/24" }
}
resource "aws_subnet" "s" {
  for_each   = local.tiers
  vpc_id     = aws_vpc.spoke.id
  cidr_block = each.value
}
resource "aws_route_table_association" "a" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.s[each.key].id
  route_table_id = aws_route_table.rt[each.key].id
}
${extra}
`;

  it("mc-spoke in an existing VPC: the gw_subnet and hagw_subnet subnets are the gateways', not workloads", async () => {
    const r = await run(
      existingVpc(`
module "spoke" {
  source           = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  cloud            = "AWS"
  name             = "app"
  region           = "eu-west-1"
  account          = "aws"
  use_existing_vpc = true
  vpc_id           = aws_vpc.spoke.id
  gw_subnet        = aws_subnet.s["gw-a"].cidr_block
  hagw_subnet      = aws_subnet.s["gw-b"].cidr_block
}`),
    );
    assert.deepEqual(flagged(r), ['aws_subnet.s["web"]']);
    const f = r.findings.find((x) => x.code === 'uninspected-egress');
    assert.ok(f?.fix && !/gw-a|gw-b/.test(f.fix.title), f?.fix?.title);
  });

  // F101: the module ignores hagw_subnet without an HA gateway, but the subnet was made for the HA peer.
  describe('without HA (ha_gw = false or undecided), the subnet given as hagw_subnet', () => {
    const noHa = (haGw: string, extra = '') =>
      existingVpc(`
module "spoke" {
  source           = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  cloud            = "AWS"
  name             = "app"
  region           = "eu-west-1"
  account          = "aws"
  ha_gw            = ${haGw}
  use_existing_vpc = true
  vpc_id           = aws_vpc.spoke.id
  gw_subnet        = aws_subnet.s["gw-a"].cidr_block
  hagw_subnet      = aws_subnet.s["gw-b"].cidr_block
}
variable "ha" {
  type = bool
}
${extra}`);
    const sources = (r: Awaited<ReturnType<typeof run>>) => r.egress.map((e) => e.subnet).sort();

    it('holding nothing, is reserved Aviatrix plumbing: no source, no finding; the gateway has no HA subnet', async () => {
      for (const haGw of ['false', 'var.ha']) {
        const r = await run(noHa(haGw));
        assert.deepEqual(flagged(r), ['aws_subnet.s["web"]'], haGw);
        assert.deepEqual(sources(r), ['aws_subnet.s["web"]'], haGw);
        const gw = r.model.elements.find((e) => e.id === 'module.spoke.aviatrix_spoke_gateway.default');
        assert.ok(gw?.kind === 'aviatrixGateway');
        assert.equal(gw.haSubnetCidr, undefined, haGw);
        assert.equal(gw.reservedHaSubnetCidr, '10.8.0.64/26', haGw);
        // Its table is its own: the web subnet's fix does not say it carries a gateway's traffic.
        const f = r.findings.find((x) => x.code === 'uninspected-egress');
        assert.ok(f?.fix && !/gw-b/.test(f.fix.title), f?.fix?.title);
      }
    });

    it('holding an instance, or tagged for a Kubernetes cluster, stays a workload subnet', async () => {
      const host = noHa(
        'false',
        `resource "aws_instance" "test" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.s["gw-b"].id
  associate_public_ip_address = true
}`,
      );
      assert.deepEqual(flagged(await run(host)).sort(), ['aws_subnet.s["gw-b"]', 'aws_subnet.s["web"]']);
      const tagged = replaceOnce(noHa('false'), [
        '  cidr_block = each.value\n}',
        '  cidr_block = each.value\n  tags       = each.key == "gw-b" ? { "kubernetes.io/cluster/apps" = "shared" } : {}\n}',
      ]);
      assert.deepEqual(flagged(await run(tagged)).sort(), ['aws_subnet.s["gw-b"]', 'aws_subnet.s["web"]']);
    });

    it('on a table without a default route to the internet gateway (no place for a gateway), stays a source', async () => {
      const r = await run(
        replaceOnce(noHa('false'), [
          'resource "aws_route_table_association" "a" {',
          `resource "aws_route_table" "none" {
  vpc_id = aws_vpc.spoke.id
}
resource "aws_route_table_association" "a" {`,
        ]).replace(
          'route_table_id = aws_route_table.rt[each.key].id',
          'route_table_id = each.key == "gw-b" ? aws_route_table.none.id : aws_route_table.rt[each.key].id',
        ),
      );
      assert.deepEqual(sources(r), ['aws_subnet.s["gw-b"]', 'aws_subnet.s["web"]']);
    });
  });

  it('aviatrix_spoke_gateway ha_subnet and a separate aviatrix_spoke_ha_gateway name gateway subnets too', async () => {
    const gw = (ha: string) =>
      existingVpc(`
resource "aviatrix_spoke_gateway" "gw" {
  cloud_type   = 1
  account_name = "aws"
  gw_name      = "app"
  vpc_id       = aws_vpc.spoke.id
  vpc_reg      = "eu-west-1"
  gw_size      = "t3.small"
  subnet       = aws_subnet.s["gw-a"].cidr_block
  ${ha === 'inline' ? 'ha_subnet = aws_subnet.s["gw-b"].cidr_block' : ''}
}
${
  ha === 'resource'
    ? `resource "aviatrix_spoke_ha_gateway" "ha" {
  primary_gw_name = aviatrix_spoke_gateway.gw.id
  subnet          = aws_subnet.s["gw-b"].cidr_block
}`
    : ''
}`);
    assert.deepEqual(flagged(await run(gw('inline'))), ['aws_subnet.s["web"]']);
    assert.deepEqual(flagged(await run(gw('resource'))), ['aws_subnet.s["web"]']);
    assert.deepEqual(flagged(await run(gw('none'))).sort(), ['aws_subnet.s["gw-b"]', 'aws_subnet.s["web"]']);
  });

  // Aviatrix names an Azure VNet "<vnet name>:<resource group>"; demos give the group a random name.
  const azure = (rgPart: string) => `
resource "random_pet" "rg" {
  prefix = "demo"
}
resource "azurerm_resource_group" "main" {
  name     = "rg-\${random_pet.rg.id}"
  location = "westeurope"
}
resource "azurerm_resource_group" "other" {
  name     = "rg-other-\${random_pet.rg.id}"
  location = "westeurope"
}
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  address_space       = ["10.20.0.0/20"]
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.main.name
}
resource "azurerm_subnet" "gw" {
  name                 = "snet-gateway"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.20.0.0/24"]
}
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.20.1.0/24"]
}
resource "azurerm_route_table" "direct" {
  name                = "rt-direct"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.main.name
  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
}
resource "azurerm_subnet_route_table_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  route_table_id = azurerm_route_table.direct.id
}
resource "azurerm_subnet_route_table_association" "gw" {
  subnet_id      = azurerm_subnet.gw.id
  route_table_id = azurerm_route_table.direct.id
}
resource "aviatrix_spoke_gateway" "gw" {
  cloud_type   = 8
  account_name = "azure"
  gw_name      = "az-spoke"
  vpc_id       = "\${azurerm_virtual_network.spoke.name}:\${${rgPart}}"
  vpc_reg      = "West Europe"
  gw_size      = "Standard_B2ms"
  subnet       = azurerm_subnet.gw.address_prefixes[0]
}
`;

  it('an Azure gateway whose vpc_id is "${vnet.name}:${its resource group}" is in that VNet, even with a random group name', async () => {
    for (const rg of ['azurerm_resource_group.main.name', 'azurerm_virtual_network.spoke.resource_group_name']) {
      const r = await run(azure(rg));
      const gw = r.model.elements.find((e) => e.id === 'aviatrix_spoke_gateway.gw');
      assert.equal(gw?.kind === 'aviatrixGateway' ? gw.vpc : undefined, 'azurerm_virtual_network.spoke', rg);
      assert.deepEqual(flagged(r), ['azurerm_subnet.app'], rg);
      assert.deepEqual(
        r.states.map((s) => `${s.name} ${s.state}`),
        ['vnet-spoke Unprotected'],
        rg,
      );
      assert.ok(!r.diagnostics.some((d) => /vpc_id/.test(d.message)), rg);
    }
  });

  // F81: the Aviatrix provider's own form, format("%s:%s:%s", name, group, guid); the guid is known only after apply.
  it('an Azure gateway whose vpc_id is format("%s:%s:%s", vnet.name, its group, vnet.guid) is in that VNet', async () => {
    const text = replaceOnce(azure('azurerm_resource_group.main.name'), [
      'vpc_id       = "${azurerm_virtual_network.spoke.name}:${azurerm_resource_group.main.name}"',
      'vpc_id       = format("%s:%s:%s", azurerm_virtual_network.spoke.name, azurerm_virtual_network.spoke.resource_group_name, azurerm_virtual_network.spoke.guid)',
    ]);
    const r = await run(text);
    const gw = r.model.elements.find((e) => e.id === 'aviatrix_spoke_gateway.gw');
    assert.equal(gw?.kind === 'aviatrixGateway' ? gw.vpc : undefined, 'azurerm_virtual_network.spoke');
    assert.deepEqual(flagged(r), ['azurerm_subnet.app']);
    assert.deepEqual(
      r.states.map((s) => `${s.name} ${s.state}`),
      ['vnet-spoke Unprotected'],
    );
  });

  // F81: the spoke's private tables carry a placeholder 0.0.0.0/0 -> None that Terraform ignores; with SNAT on the
  // spoke gateway (local egress) the Aviatrix controller replaces it with its default route to the gateway.
  describe('a private table whose 0.0.0.0/0 -> None placeholder the controller rewrites (ignore_changes = [route])', () => {
    const privateTable = (opts: { ignore?: boolean; snat?: string } = {}) =>
      replaceOnce(
        replaceOnce(azure('azurerm_resource_group.main.name'), [
          `  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }`,
          `${opts.ignore === false ? '' : '  lifecycle {\n    ignore_changes = [route]\n  }\n'}  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "None"
  }`,
        ]),
        [
          '  subnet       = azurerm_subnet.gw.address_prefixes[0]',
          `  subnet       = azurerm_subnet.gw.address_prefixes[0]\n  single_ip_snat = ${opts.snat ?? 'true'}`,
        ],
      ).replace(/resource "azurerm_subnet_route_table_association" "gw" \{[^}]*\}/, '');
    const app = (r: Awaited<ReturnType<typeof run>>) => r.egress.find((e) => e.subnet === 'azurerm_subnet.app');

    it("with SNAT on the spoke gateway: the workload's egress is the gateway's (DCF), the gateway's subnet is its own", async () => {
      const r = await run(privateTable());
      const e = app(r);
      assert.deepEqual(
        e?.forward.hops.map((h) => h.name),
        ['snet-app', 'az-spoke', 'internet'],
      );
      assert.match(
        e?.forward.hops[0].note ?? '',
        /placeholder Terraform ignores \(ignore_changes = \[route\]\): the Aviatrix controller replaces it with its default route to spoke gateway az-spoke/,
      );
      assert.equal(e?.forward.hops[0].decision?.route, 'azurerm_route_table.direct#0');
      assert.deepEqual(
        e?.forward.inspectedBy.map((p) => p.kind),
        ['aviatrix-dcf'],
      );
      assert.deepEqual(
        r.egress.map((x) => x.subnet),
        ['azurerm_subnet.app'],
      );
      assert.deepEqual(flagged(r), []);
      assert.notEqual(r.states[0].state, 'Unknown');
    });

    it('SNAT off or undecided: the placeholder stays Unknown (the controller may not write a default route there)', async () => {
      for (const snat of ['false', 'var.snat']) {
        const r = await run(privateTable({ snat }) + (snat === 'var.snat' ? 'variable "snat" {\n  type = bool\n}\n' : ''));
        assert.equal(app(r)?.forward.outcome.kind, 'unknown', snat);
        assert.match(JSON.stringify(app(r)?.forward.outcome), /ignore_changes = \[route\]/, snat);
      }
    });

    it('without ignore_changes the None route is what the table holds: dropped there', async () => {
      const r = await run(privateTable({ ignore: false }));
      assert.equal(app(r)?.forward.outcome.kind, 'dropped');
    });
  });

  it('another resource group in the vpc_id is not that VNet: the gateway stays unplaced', async () => {
    const r = await run(azure('azurerm_resource_group.other.name'));
    const gw = r.model.elements.find((e) => e.id === 'aviatrix_spoke_gateway.gw');
    assert.ok(gw?.kind === 'aviatrixGateway' && typeof gw.vpc !== 'string');
    assert.ok(flagged(r).includes('azurerm_subnet.gw'));
  });
  it('a transit VPC holding only its transit gateway is an Egress hub (not scored), never No Egress', async () => {
    const r = await run(`
module "transit" {
  source  = "terraform-aviatrix-modules/mc-transit/aviatrix"
  cloud   = "aws"
  name    = "transit-eu"
  region  = "eu-west-1"
  cidr    = "10.90.0.0/23"
  account = "aws"
}`);
    assert.deepEqual(
      r.states.map((s) => `${s.name} ${s.state}`),
      ['transit-eu Egress hub'],
    );
    assert.match(r.states[0].reason, /transit gateway/);
    assert.equal(r.score.score, null);
  });
});
