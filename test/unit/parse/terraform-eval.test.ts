// The Terraform parser on small inline workspaces: evaluation (count, for_each, locals,
// variables, functions, modules), the resources outside the examples, and diagnostics.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { ModelFragment } from '../../../src/parse/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { isUnresolved, type NetworkElement } from '../../../src/model/types';
import { fastParse } from '../../../src/parse/terraform/fastparse';
import { byId, ofKind, textAt } from './helpers';

function build(
  files: Record<string, string>,
  opts?: { maxFileBytes?: number },
): { frags: ModelFragment[]; els: NetworkElement[]; diags: ParseDiagnostic[] } {
  const idx = new TerraformIndex(opts);
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { frags, els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics) };
}

function cidrOf(els: NetworkElement[], id: string): unknown {
  const s = byId(els, id);
  return s.kind === 'subnet' ? s.cidr : undefined;
}

describe('terraform parser: evaluation', () => {
  before(async () => {
    await initTerraform();
    await initTerraform(); // idempotent
  });

  it('expands count with count.index and cidrsubnet over a variable default', () => {
    const { els, diags } = build({
      'w/main.tf': `
variable "cidr" { default = "10.8.0.0/16" }
variable "azs" { default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
resource "aws_vpc" "v" { cidr_block = var.cidr }
resource "aws_subnet" "s" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index * 2)
  availability_zone = var.azs[count.index]
  tags              = { Name = "s-\${count.index}" }
}`,
    });
    assert.deepEqual(diags, []);
    const s = ofKind(els, 'subnet').map((x) => [x.id, x.cidr, x.az, x.name]);
    assert.deepEqual(s, [
      ['aws_subnet.s[0]', '10.8.0.0/20', 'eu-west-1a', 's-0'],
      ['aws_subnet.s[1]', '10.8.32.0/20', 'eu-west-1b', 's-1'],
      ['aws_subnet.s[2]', '10.8.64.0/20', 'eu-west-1c', 's-2'],
    ]);
  });

  it('expands for_each over a set and over a for expression, with each.key / each.value', () => {
    const { els } = build({
      'w/main.tf': `
locals {
  base  = "10.1.0.0/16"
  tiers = ["app", "db"]
  nets  = { for i, t in local.tiers : t => cidrsubnet(local.base, 8, i + 1) }
}
resource "aws_vpc" "v" { cidr_block = local.base }
resource "aws_subnet" "tier" {
  for_each   = local.nets
  vpc_id     = aws_vpc.v.id
  cidr_block = each.value
  tags       = { Name = upper(each.key) }
}
resource "aws_subnet" "named" {
  for_each   = toset(["x", "y"])
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.1.\${each.key == "x" ? 10 : 11}.0/24"
}`,
    });
    assert.deepEqual(cidrOf(els, 'aws_subnet.tier["app"]'), '10.1.1.0/24');
    assert.deepEqual(cidrOf(els, 'aws_subnet.tier["db"]'), '10.1.2.0/24');
    assert.equal(byId(els, 'aws_subnet.tier["db"]').name, 'DB');
    assert.deepEqual(cidrOf(els, 'aws_subnet.named["x"]'), '10.1.10.0/24');
    assert.deepEqual(cidrOf(els, 'aws_subnet.named["y"]'), '10.1.11.0/24');
  });

  it('keeps computed and external values Unresolved, never guessed, and says why', () => {
    const { els, diags } = build({
      'w/main.tf': `
variable "cidr" {}
data "aws_vpc" "shared" { id = "vpc-0123" }
resource "aws_subnet" "a" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = var.cidr
}
resource "aws_subnet" "b" {
  vpc_id     = "vpc-0abc"
  cidr_block = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)
}
resource "aws_subnet" "c" {
  count      = length(data.aws_vpc.shared.cidr_block_associations)
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.0.0/24"
}`,
    });
    const a = byId(els, 'aws_subnet.a');
    assert.ok(a.kind === 'subnet' && isUnresolved(a.vpc) && isUnresolved(a.cidr));
    assert.ok(isUnresolved(a.vpc) && a.vpc.text === 'data.aws_vpc.shared.id');
    assert.ok(isUnresolved(a.cidr) && /no default/.test(a.cidr.reason));
    const b = byId(els, 'aws_subnet.b');
    assert.ok(b.kind === 'subnet' && b.vpc === 'vpc-0abc', 'a literal provider id stays as written');
    assert.ok(isUnresolved(b.cidr) && b.cidr.text === 'cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)');
    // Issue 13: an undecidable count keeps one placeholder that says so (it was dropped: absence read as "no subnet").
    const c = els.filter((e) => e.id.startsWith('aws_subnet.c'));
    assert.deepEqual(
      c.map((e) => e.id),
      ['aws_subnet.c["?"]'],
      'unknown count: one placeholder instance',
    );
    assert.ok(c[0].undecided && c[0].undecided.text === 'length(data.aws_vpc.shared.cidr_block_associations)');
    const codes = diags.map((d) => `${d.code}:${d.severity}`).sort();
    // The fifth (issue 14): the root variable read without a default or a value, named with how to give it.
    assert.deepEqual(codes, [
      'unresolved-value:info',
      'unresolved-value:info',
      'unresolved-value:info',
      'unresolved-value:info',
      'unresolved-value:info',
    ]);
    assert.ok(diags.some((d) => /count/.test(d.message) || /no instance/.test(d.message)));
    assert.ok(diags.some((d) => /variable "cidr" has no default and no value/.test(d.message)));
  });

  it('evaluates template, conditional, splat, merge/lookup/concat/format and arithmetic', () => {
    const { els } = build({
      'w/main.tf': `
locals {
  env    = "prod"
  common = { Team = "net" }
  sizes  = { prod = "t3.large", dev = "t3.small" }
  octet  = 3 * 4 + 1
}
resource "aws_vpc" "v" {
  cidr_block = format("10.%d.0.0/16", local.octet)
  tags       = merge(local.common, { Name = "\${local.env}-vpc", Size = lookup(local.sizes, local.env, "none") })
}
resource "aws_subnet" "s" {
  count      = local.env == "prod" ? 2 : 1
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(aws_vpc.v.cidr_block, 8, count.index)
}
resource "aws_lb" "g" {
  load_balancer_type = "gateway"
  subnets            = concat(aws_subnet.s[*].id, [])
}`,
    });
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    assert.deepEqual(v.cidrs, ['10.13.0.0/16']);
    assert.deepEqual(v.tags, { Team: 'net', Name: 'prod-vpc', Size: 't3.large' });
    assert.equal(v.name, 'prod-vpc');
    assert.deepEqual(cidrOf(els, 'aws_subnet.s[1]'), '10.13.1.0/24');
    const g = byId(els, 'aws_lb.g');
    assert.ok(g.kind === 'gwlb');
    assert.deepEqual(g.subnets, ['aws_subnet.s[0]', 'aws_subnet.s[1]']);
    assert.equal(g.vpc, 'aws_vpc.v');
  });

  // F82: HCL gives a template that is one interpolation the value itself, of any type: `"${list}"` is the list.
  it('reads a template that is one interpolation as its value (a list stays a list)', () => {
    const { els } = build({
      'w/main.tf': `
locals {
  prefixes = ["10.10.8.0/24"]
}
resource "aws_vpc" "v" {
  cidr_block = "\${cidrsubnet("10.13.0.0/16", 8, 1)}"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrhost(join(", ", "\${local.prefixes}"), 0) == "10.10.8.0" ? "10.13.1.0/24" : "10.13.2.0/24"
}`,
    });
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    assert.deepEqual(v.cidrs, ['10.13.1.0/24']);
    assert.deepEqual(cidrOf(els, 'aws_subnet.s'), '10.13.1.0/24');
  });

  it('follows local modules: inputs bound, ids prefixed, outputs usable by the caller', () => {
    const { els, frags, diags } = build({
      'root/main.tf': `
module "net" {
  source = "./modules/net"
  cidr   = "10.20.0.0/16"
  name   = "blue"
}
module "pair" {
  source   = "./modules/net"
  for_each = { a = "10.30.0.0/16", b = "10.31.0.0/16" }
  cidr     = each.value
  name     = "pair-\${each.key}"
}
resource "aws_route_table" "extra" {
  vpc_id = module.net.vpc_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = module.net.igw_id
  }
}`,
      'root/modules/net/main.tf': `
variable "cidr" {}
variable "name" { default = "x" }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_internet_gateway" "this" { vpc_id = aws_vpc.this.id }
output "vpc_id" { value = aws_vpc.this.id }
output "igw_id" { value = aws_internet_gateway.this.id }`,
    });
    assert.deepEqual(diags, []);
    const vpcs = ofKind(els, 'vpc').map((v) => [v.id, v.cidrs[0], v.name]);
    assert.deepEqual(vpcs.sort(), [
      ['module.net.aws_vpc.this', '10.20.0.0/16', 'blue'],
      ['module.pair["a"].aws_vpc.this', '10.30.0.0/16', 'pair-a'],
      ['module.pair["b"].aws_vpc.this', '10.31.0.0/16', 'pair-b'],
    ]);
    const rt = byId(els, 'aws_route_table.extra');
    assert.ok(rt.kind === 'routeTable');
    assert.equal(rt.vpc, 'module.net.aws_vpc.this');
    assert.deepEqual(rt.routes[0].target, { kind: 'igw', ref: 'module.net.aws_internet_gateway.this' });
    // Child elements are located in the child's file; the child dir is not a root of its own.
    const child = frags.find((f) => f.file === 'root/modules/net/main.tf');
    assert.equal(child?.elements.filter((e) => e.kind === 'vpc').length, 3);
    assert.ok(!els.some((e) => e.id === 'aws_vpc.this'));
  });

  it('takes the region from the provider configuration a resource names', () => {
    const { els } = build({
      'p/main.tf': `
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}
resource "aws_vpc" "us" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "eu" {
  provider   = aws.eu
  cidr_block = "10.1.0.0/16"
}`,
    });
    assert.equal(byId(els, 'aws_vpc.us').region, 'us-east-1');
    assert.equal(byId(els, 'aws_vpc.eu').region, 'eu-west-1');
  });

  it('reads tfvars over variable defaults in the root module', () => {
    const { els } = build({
      'r/variables.tf': 'variable "cidr" { default = "10.0.0.0/16" }',
      'r/main.tf': 'resource "aws_vpc" "v" { cidr_block = var.cidr }',
      'r/terraform.tfvars': 'cidr = "172.16.0.0/16"\n',
    });
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc');
    assert.deepEqual(v.cidrs, ['172.16.0.0/16']);
  });

  it('models default and main route tables, prefix lists, blackhole-prone targets and endpoint kinds', () => {
    const { els } = build({
      'w/main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "w" { cidr_block = "10.9.0.0/16" }
resource "aws_default_route_table" "d" {
  default_route_table_id = aws_vpc.v.default_route_table_id
  route {
    cidr_block                = "0.0.0.0/0"
    vpc_peering_connection_id = aws_vpc_peering_connection.p.id
  }
}
resource "aws_vpc_peering_connection" "p" {
  vpc_id      = aws_vpc.v.id
  peer_vpc_id = aws_vpc.w.id
}
resource "aws_route_table" "m" { vpc_id = aws_vpc.w.id }
resource "aws_main_route_table_association" "m" {
  vpc_id         = aws_vpc.w.id
  route_table_id = aws_route_table.m.id
}
resource "aws_ec2_managed_prefix_list" "pl" {
  name           = "corp"
  address_family = "IPv4"
  max_entries    = 2
  entry { cidr = "192.168.0.0/16" }
  entry { cidr = "172.16.0.0/12" }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.w.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
}
resource "aws_route" "to_s3" {
  route_table_id             = aws_route_table.m.id
  destination_prefix_list_id = aws_ec2_managed_prefix_list.pl.id
  vpc_endpoint_id            = aws_vpc_endpoint.s3.id
}
resource "aws_route" "local" {
  route_table_id         = aws_route_table.m.id
  destination_cidr_block = "10.9.0.0/16"
  gateway_id             = "local"
}`,
    });
    const d = byId(els, 'aws_default_route_table.d');
    assert.ok(d.kind === 'routeTable' && d.main === true && d.vpc === 'aws_vpc.v');
    assert.deepEqual(d.routes[0].target, { kind: 'peering', ref: 'aws_vpc_peering_connection.p' });
    assert.ok(!els.some((e) => e.id === 'aws_vpc.v.default_route_table'), 'managed default table replaces the implicit one');
    const wDefault = byId(els, 'aws_vpc.w.default_route_table');
    assert.ok(wDefault.kind === 'routeTable' && wDefault.main === false, 'main moved by aws_main_route_table_association');
    const m = byId(els, 'aws_route_table.m');
    assert.ok(m.kind === 'routeTable' && m.main === true);
    assert.deepEqual(
      m.routes.map((r) => [r.id, r.destination, r.target]),
      [
        ['aws_route.to_s3', { prefixList: 'aws_ec2_managed_prefix_list.pl' }, { kind: 'vpce', ref: 'aws_vpc_endpoint.s3' }],
        ['aws_route.local', { cidr: '10.9.0.0/16' }, { kind: 'local' }],
      ],
    );
    const assoc = byId(els, 'aws_main_route_table_association.m');
    assert.ok(assoc.kind === 'rtAssociation' && assoc.mainOfVpc === 'aws_vpc.w' && assoc.routeTable === 'aws_route_table.m');
    const pl = byId(els, 'aws_ec2_managed_prefix_list.pl');
    assert.ok(pl.kind === 'prefixList');
    assert.deepEqual(pl.cidrs, ['192.168.0.0/16', '172.16.0.0/12']);
    const peer = byId(els, 'aws_vpc_peering_connection.p');
    assert.ok(peer.kind === 'peering' && peer.peerVpc === 'aws_vpc.w');
  });

  it('reads routes written as a list attribute (attributes-as-blocks)', () => {
    const { els } = build({
      'w/main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "i" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route = [
    { cidr_block = "0.0.0.0/0", gateway_id = aws_internet_gateway.i.id },
    { ipv6_cidr_block = "::/0", gateway_id = aws_internet_gateway.i.id },
  ]
}
resource "aws_route_table" "empty" {
  vpc_id = aws_vpc.v.id
  route  = []
}`,
    });
    const pub = byId(els, 'aws_route_table.public');
    assert.ok(pub.kind === 'routeTable');
    assert.deepEqual(
      pub.routes.map((r) => [r.id, r.destination, r.target]),
      [
        ['aws_route_table.public#0', { cidr: '0.0.0.0/0' }, { kind: 'igw', ref: 'aws_internet_gateway.i' }],
        ['aws_route_table.public#1', { cidr: '::/0' }, { kind: 'igw', ref: 'aws_internet_gateway.i' }],
      ],
    );
    const empty = byId(els, 'aws_route_table.empty');
    assert.ok(empty.kind === 'routeTable' && empty.routes.length === 0);
  });

  it('reads transit gateways, attachments with appliance mode, TGW route tables', () => {
    const { els } = build({
      'w/main.tf': `
resource "aws_vpc" "insp" { cidr_block = "10.50.0.0/16" }
resource "aws_subnet" "tgw" {
  vpc_id     = aws_vpc.insp.id
  cidr_block = "10.50.0.0/28"
}
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "insp" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.insp.id
  subnet_ids             = [aws_subnet.tgw.id]
  appliance_mode_support = "disable"
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route" "default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.insp.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table_association" "insp" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.insp.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}`,
    });
    const hub = byId(els, 'aws_ec2_transit_gateway.hub');
    assert.ok(hub.kind === 'tgw' && hub.defaultRouteTableAssociation === false && hub.defaultRouteTablePropagation === true);
    const att = byId(els, 'aws_ec2_transit_gateway_vpc_attachment.insp');
    assert.ok(att.kind === 'tgwAttachment');
    assert.deepEqual(
      [att.tgw, att.vpc, att.subnets, att.applianceMode, att.routeTable],
      ['aws_ec2_transit_gateway.hub', 'aws_vpc.insp', ['aws_subnet.tgw'], false, 'aws_ec2_transit_gateway_route_table.spokes'],
    );
    const rt = byId(els, 'aws_ec2_transit_gateway_route_table.spokes');
    assert.ok(rt.kind === 'tgwRouteTable');
    assert.deepEqual(
      rt.routes.map((r) => [r.destination, r.attachment, r.blackhole]),
      [['0.0.0.0/0', 'aws_ec2_transit_gateway_vpc_attachment.insp', false]],
    );
    assert.deepEqual(rt.associations, ['aws_ec2_transit_gateway_vpc_attachment.insp']);
  });

  it('reads azurerm VNets, subnets, route tables with UDRs and associations by name', () => {
    const { els } = build({
      'az/main.tf': `
resource "azurerm_virtual_network" "hub" {
  name                = "hub-vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.100.0.0/16"]
}
resource "azurerm_subnet" "app" {
  name                 = "app"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.100.1.0/24"]
}
resource "azurerm_route_table" "app" {
  name                = "app-udr"
  location            = "westeurope"
  resource_group_name = "rg"
  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.100.0.4"
  }
}
resource "azurerm_route" "internet" {
  name                = "to-internet"
  resource_group_name = "rg"
  route_table_name    = azurerm_route_table.app.name
  address_prefix      = "203.0.113.0/24"
  next_hop_type       = "Internet"
}
resource "azurerm_subnet_route_table_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  route_table_id = azurerm_route_table.app.id
}`,
    });
    const vnet = byId(els, 'azurerm_virtual_network.hub');
    assert.ok(vnet.kind === 'vpc' && vnet.flavor === 'vnet' && vnet.cloud === 'azure' && vnet.region === 'westeurope');
    assert.deepEqual(vnet.cidrs, ['10.100.0.0/16']);
    const sub = byId(els, 'azurerm_subnet.app');
    assert.ok(sub.kind === 'subnet' && sub.vpc === 'azurerm_virtual_network.hub' && sub.cidr === '10.100.1.0/24');
    const rt = byId(els, 'azurerm_route_table.app');
    assert.ok(rt.kind === 'routeTable');
    assert.equal(rt.vpc, 'azurerm_virtual_network.hub', 'VNet of the associated subnet');
    assert.deepEqual(
      rt.routes.map((r) => [r.id, r.destination, r.target]),
      [
        ['azurerm_route_table.app#0', { cidr: '0.0.0.0/0' }, { kind: 'virtualAppliance', ip: '10.100.0.4' }],
        ['azurerm_route.internet', { cidr: '203.0.113.0/24' }, { kind: 'internet' }],
      ],
    );
  });

  it('reads aviatrix dcf_ruleset rules, external groups, literal UUIDs, inspection actions and mc-transit', () => {
    const { els } = build({
      'avx/main.tf': `
resource "aviatrix_smart_group" "geo_us" {
  name = "geo-us"
  selector {
    match_expressions {
      external = "geo"
      ext_args = { country_iso_code = "US" }
    }
  }
}
resource "aviatrix_smart_group" "vms" {
  name = "vms"
  selector {
    match_expressions {
      type         = "vm"
      account_name = "prod"
      tags         = { env = "prod" }
    }
  }
}
resource "aviatrix_dcf_ruleset" "rs" {
  name = "egress"
  rules {
    name             = "inspect-web"
    action           = "DEEP_PACKET_INSPECTION_PERMIT"
    priority         = 5
    protocol         = "TCP"
    src_smart_groups = [aviatrix_smart_group.vms.uuid]
    dst_smart_groups = [aviatrix_smart_group.geo_us.uuid, "def000ad-0000-0000-0000-000000000001"]
    web_groups       = ["def000ad-0000-0000-0000-000000000002"]
    port_ranges {
      lo = 80
    }
    port_ranges {
      lo = 8000
      hi = 8080
    }
  }
  rules {
    name             = "other"
    action           = "DENY"
    priority         = 9
    protocol         = "ANY"
    watch            = true
    src_smart_groups = ["0d1e2f3a-0000-4000-8000-000000000001"]
    dst_smart_groups = ["def000ad-0000-0000-0000-000000000000"]
  }
}
module "transit" {
  source                        = "terraform-aviatrix-modules/mc-transit/aviatrix"
  cloud                         = "Azure"
  name                          = "hub"
  region                        = "West Europe"
  cidr                          = "10.1.0.0/23"
  account                       = "az"
  enable_egress_transit_firenet = true
}`,
    });
    const geo = byId(els, 'aviatrix_smart_group.geo_us');
    assert.ok(geo.kind === 'externalGroup' && geo.source === 'geo');
    const vms = byId(els, 'aviatrix_smart_group.vms');
    assert.ok(vms.kind === 'smartGroup');
    assert.deepEqual(vms.selectors, [{ type: 'vm', accountName: 'prod', tags: { env: 'prod' } }]);
    const [a, b] = ofKind(els, 'dcfPolicy');
    assert.deepEqual(
      [a.id, a.list, a.action, a.inspect, a.priority, a.ports],
      [
        'aviatrix_dcf_ruleset.rs#inspect-web',
        'aviatrix_dcf_ruleset.rs',
        'permit',
        true,
        5,
        [
          { lo: 80, hi: 80 },
          { lo: 8000, hi: 8080 },
        ],
      ],
    );
    assert.deepEqual(
      [a.srcGroups, a.dstGroups, a.webGroups],
      [['aviatrix_smart_group.vms'], ['aviatrix_smart_group.geo_us', 'aviatrix:public-internet'], ['aviatrix:all-web']],
    );
    assert.deepEqual(
      [b.action, b.watch, b.srcGroups, b.dstGroups],
      ['deny', true, ['0d1e2f3a-0000-4000-8000-000000000001'], ['aviatrix:anywhere']],
    );
    const gw = byId(els, 'module.transit.aviatrix_transit_gateway.default');
    assert.ok(gw.kind === 'aviatrixGateway');
    assert.deepEqual(
      [gw.role, gw.gwCloud, gw.egressCapability, gw.vpc],
      ['transit', 'azure', true, 'module.transit.aviatrix_vpc.default[0]'],
    );
    assert.ok(isUnresolved(gw.size), 'mc-transit default size is not guessed');
    const vnet = byId(els, 'module.transit.aviatrix_vpc.default[0]');
    assert.ok(vnet.kind === 'vpc' && vnet.flavor === 'vnet');
  });

  it('links spokes to transits by gateway name, by .gw_name and by .id', () => {
    const gw = (kind: string, name: string, extra = '') =>
      `resource "aviatrix_${kind}_gateway" "${name}" {\n  cloud_type = 1\n  gw_name = "${name}-gw"\n  vpc_id = "vpc-1"\n  gw_size = "t3.medium"\n${extra}}\n`;
    const { els } = build({
      'avx/main.tf': [
        gw('transit', 't1'),
        gw('spoke', 'a', '  transit_gw = "t1-gw"\n'),
        gw('spoke', 'b'),
        gw('spoke', 'c'),
        'resource "aviatrix_spoke_transit_attachment" "b" {\n  spoke_gw_name = aviatrix_spoke_gateway.b.gw_name\n  transit_gw_name = aviatrix_transit_gateway.t1.gw_name\n}\n',
        'resource "aviatrix_spoke_transit_attachment" "c" {\n  spoke_gw_name = aviatrix_spoke_gateway.c.id\n  transit_gw_name = aviatrix_transit_gateway.t1.id\n}\n',
      ].join(''),
    });
    for (const s of ['a', 'b', 'c']) {
      const g = byId(els, `aviatrix_spoke_gateway.${s}`);
      assert.ok(g.kind === 'aviatrixGateway');
      assert.equal(g.transit, 'aviatrix_transit_gateway.t1', s);
      assert.ok(isUnresolved(g.vpc) && g.vpcIdText === 'vpc-1', 'a literal VPC id outside the inputs');
    }
  });

  it('models the DCF default action rule as the last policy, Anywhere to Anywhere', () => {
    const { els } = build({
      'avx/dcf.tf': 'resource "aviatrix_distributed_firewalling_default_action_rule" "d" {\n  action  = "DENY"\n  logging = true\n}\n',
    });
    const d = byId(els, 'aviatrix_distributed_firewalling_default_action_rule.d');
    assert.ok(d.kind === 'dcfPolicy');
    assert.deepEqual(
      [d.action, d.logging, d.protocol, d.srcGroups, d.dstGroups, d.priority],
      ['deny', true, 'any', ['aviatrix:anywhere'], ['aviatrix:anywhere'], 2147483647],
    );
    assert.ok(byId(els, 'aviatrix:anywhere'));
  });

  it('reports syntax errors located in the file and keeps the intact blocks', () => {
    const text = 'resource "aws_vpc" "ok" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_subnet" "broken" {\n  cidr_block = \n}\n';
    const { els, diags } = build({ 'e/main.tf': text });
    const syntax = diags.filter((d) => d.code === 'syntax-error');
    assert.ok(syntax.length >= 1);
    for (const d of syntax) {
      assert.equal(d.severity, 'error');
      assert.equal(d.loc.file, 'e/main.tf');
      assert.ok(d.loc.range.start.line >= 4 && d.loc.range.end.line <= 7, JSON.stringify(d.loc.range));
    }
    assert.ok(els.some((e) => e.id === 'aws_vpc.ok'));
  });

  it('reports duplicate resource addresses, missing references, missing local modules and big files', () => {
    const { els, diags } = build(
      {
        'd/a.tf': 'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\n',
        'd/b.tf':
          'resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }\nresource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.nope.id\n  cidr_block = "10.0.1.0/24"\n}\nmodule "gone" { source = "./missing" }\n',
        'd/big.tf': `# ${'x'.repeat(2000)}\n`,
      },
      { maxFileBytes: 1000 },
    );
    const by = (code: string) => diags.filter((d) => d.code === code);
    assert.equal(by('duplicate-id').length, 1);
    assert.equal(by('duplicate-id')[0].loc.file, 'd/b.tf');
    assert.deepEqual(by('duplicate-id')[0].loc.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } });
    const missing = by('missing-reference');
    assert.equal(missing.length, 2);
    assert.ok(missing.some((d) => /aws_vpc\.nope/.test(d.message)));
    assert.ok(missing.some((d) => /\.\/missing/.test(d.message)));
    assert.equal(by('file-too-large').length, 1);
    assert.equal(by('file-too-large')[0].loc.file, 'd/big.tf');
    assert.equal(ofKind(els, 'vpc').length, 1);
  });

  it('re-evaluates only after a change and drops removed files', () => {
    const idx = new TerraformIndex();
    idx.setFile('m/a.tf', 'variable "c" { default = "10.0.0.0/16" }');
    idx.setFile('m/b.tf', 'resource "aws_vpc" "v" { cidr_block = var.c }');
    const first = idx.build();
    assert.equal(idx.build(), first, 'memoised');
    idx.setFile('m/a.tf', 'variable "c" { default = "10.7.0.0/16" }');
    const v = idx
      .build()
      .flatMap((f) => f.elements)
      .find((e) => e.id === 'aws_vpc.v');
    assert.ok(v?.kind === 'vpc' && v.cidrs[0] === '10.7.0.0/16');
    idx.removeFile('m/b.tf');
    assert.deepEqual(
      idx.build().map((f) => f.file),
      ['m/a.tf'],
    );
  });

  it('survives reference cycles and self references', () => {
    const { els } = build({
      'c/main.tf':
        'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_vpc" "v" { cidr_block = local.a }\nresource "aws_subnet" "s" {\n  vpc_id = aws_vpc.v.id\n  cidr_block = aws_subnet.s.cidr_block\n}\n',
    });
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc' && isUnresolved(v.cidrs[0]) && /cycle/.test(v.cidrs[0].reason));
    const s = byId(els, 'aws_subnet.s');
    assert.ok(s.kind === 'subnet' && isUnresolved(s.cidr));
  });

  it('stops hostile nested for expressions with a bounded budget instead of hanging', function () {
    this.timeout(60_000);
    const { els, diags } = build({
      'h/main.tf': `locals {
  r = range(1000)
  x = [for i in local.r : [for j in local.r : [for k in local.r : i + j + k]]]
}
resource "aws_vpc" "v" { cidr_block = length(local.x) > 0 ? "10.0.0.0/16" : "x" }`,
    });
    const v = byId(els, 'aws_vpc.v');
    assert.ok(v.kind === 'vpc' && isUnresolved(v.cidrs[0]) && /budget/.test(v.cidrs[0].reason));
    assert.ok(diags.some((d) => d.code === 'unresolved-value' && /budget/.test(d.message)));
    // The next build starts with a fresh budget.
    const again = build({ 'h/main.tf': 'resource "aws_vpc" "v" { cidr_block = cidrsubnet("10.0.0.0/8", 8, 3) }' });
    const v2 = byId(again.els, 'aws_vpc.v');
    assert.ok(v2.kind === 'vpc' && v2.cidrs[0] === '10.3.0.0/16');
  });

  it('handles CRLF line endings and non-ASCII text in ranges', () => {
    const text = '# ünïcode 😀\r\nresource "aws_vpc" "v" {\r\n  cidr_block = "10.0.0.0/16"\r\n  tags = { Name = "été" }\r\n}\r\n';
    const { els } = build({ 'u/main.tf': text });
    const v = byId(els, 'aws_vpc.v');
    assert.equal(v.name, 'été');
    assert.deepEqual(v.loc.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 22 } });
    assert.equal(textAt(text, v.attrs!.cidr_block), '"10.0.0.0/16"');
  });
  describe('quoted strings keep their whitespace, parenthesised operands are evaluated (both readers)', () => {
    const text = `
variable "base" { default = "10.20.0.0/16" }
variable "i" { default = 2 }
locals {
  a    = "10.20.200.0/24"
  env  = "prod"
  tier = "app"
}
resource "aws_vpc" "v" {
  cidr_block = var.base
  tags       = { Name = " edge vpc " }
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "\${local.a}"
  tags       = { Name = "\${local.env} \${local.tier}", Note = "  \${local.env} - \${var.i}\ttab " }
}
resource "aws_subnet" "t" {
  count      = (local.env) == "prod" ? 2 : 0
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.base, 8, (var.i + 1) * 2 + count.index)
  tags       = { Name = "t \${(count.index + 1) * 10}" }
}
resource "aws_subnet" "u" {
  count      = !(var.i > 1 && var.i < 5) ? 1 : 0
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.base, 8, 99)
}
resource "aws_subnet" "w" {
  count      = 10 - (var.i * 4) - (1) == 1 && !(false) ? 1 : 0
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.base, 4 * (2), -(-(var.i)))
}`;
    // A heredoc makes the direct reader leave the file to tree-sitter.
    const viaTreeSitter = text + '\nlocals {\n  doc = <<EOT\nx\nEOT\n}\n';

    for (const [reader, file] of [
      ['direct reader', text],
      ['tree-sitter', viaTreeSitter],
    ] as const) {
      it(`reads and evaluates them exactly (${reader})`, () => {
        assert.equal(fastParse(file) === undefined, reader === 'tree-sitter');
        const { els, diags } = build({ 'q/main.tf': file });
        assert.deepEqual(diags, []);
        const v = byId(els, 'aws_vpc.v');
        assert.equal(v.name, ' edge vpc ');
        const s = byId(els, 'aws_subnet.s');
        assert.ok(s.kind === 'subnet');
        assert.equal(s.cidr, '10.20.200.0/24');
        assert.equal(s.name, 'prod app');
        assert.deepEqual(s.tags, { Name: 'prod app', Note: '  prod - 2\ttab ' });
        const t = ofKind(els, 'subnet')
          .filter((x) => x.id.startsWith('aws_subnet.t'))
          .map((x) => [x.id, x.cidr, x.name]);
        assert.deepEqual(t, [
          ['aws_subnet.t[0]', '10.20.6.0/24', 't 10'],
          ['aws_subnet.t[1]', '10.20.7.0/24', 't 20'],
        ]);
        assert.ok(!els.some((x) => x.id.startsWith('aws_subnet.u')), 'u has count 0');
        assert.equal(cidrOf(els, 'aws_subnet.w[0]'), '10.20.2.0/24');
      });
    }
  });
});
