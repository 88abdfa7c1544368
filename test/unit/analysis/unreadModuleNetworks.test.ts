import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import type { Vpc } from '../../../src/model/types';

// Networks made by a registry module whose code `terraform init` has not downloaded: one stand-in per module
// instance, at the module block, Unknown with the reason, so the report never says that no VPC has egress over a
// configuration that builds some (field finding F93).
describe('analysis: networks made by a module that was not read', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
    const b = ws.build();
    return { ws, model: b.model, result: analyze(b.model, {}, b.diagnostics) };
  }
  const standIns = (r: Awaited<ReturnType<typeof run>>) =>
    r.model.elements.filter((e): e is Vpc => e.kind === 'vpc' && e.unreadModule !== undefined);
  const states = (r: Awaited<ReturnType<typeof run>>) => r.result.states.map((s) => `${s.vpc} ${s.state}`);

  // A wrapper module of ours around the public VPC module, called for an inspection VPC and for each spoke; a
  // storage module beside it whose outputs name no network.
  const wrapper = `
variable "name" {
  type = string
}
variable "cidr" {
  type = string
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  name    = var.name
  cidr    = var.cidr
}
module "logs" {
  source = "terraform-aws-modules/s3-bucket/aws"
  bucket = "\${var.name}-logs"
}
output "vpc_id" {
  value = module.vpc.vpc_id
}
output "logs" {
  value = module.logs.s3_bucket_id
}
`;
  const root = `
variable "spokes" {
  default = { alpha = "10.1.0.0/16", beta = "10.2.0.0/16" }
}
module "inspection" {
  source = "./modules/net"
  name   = "inspection"
  cidr   = "10.0.0.0/16"
}
module "spoke" {
  source   = "./modules/net"
  for_each = var.spokes
  name     = each.key
  cidr     = each.value
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = module.inspection.logs
  policy = "{}"
}
`;

  it('gives one Unknown stand-in per instance of a well-known VPC module, located at its module block', async () => {
    const r = await run({ 'main.tf': root, 'modules/net/main.tf': wrapper });
    const ids = standIns(r).map((v) => v.id);
    assert.deepEqual(ids, ['module.inspection.module.vpc', 'module.spoke["alpha"].module.vpc', 'module.spoke["beta"].module.vpc']);
    for (const v of standIns(r)) {
      assert.equal(v.flavor, 'vpc');
      assert.equal(v.cloud, 'aws');
      assert.equal(v.loc.file, 'modules/net/main.tf');
      assert.equal(v.loc.range.start.line, 7, 'the `module "vpc" {` line');
      assert.deepEqual(
        v.moduleCalls?.map((c) => c.module),
        [v.id.slice(0, v.id.indexOf('.module.vpc'))],
      );
    }
    // The storage module makes no network: no stand-in for it.
    assert.ok(!r.model.elements.some((e) => e.id.includes('module.logs')));
    assert.deepEqual(states(r), [
      'module.inspection.module.vpc Unknown',
      'module.spoke["alpha"].module.vpc Unknown',
      'module.spoke["beta"].module.vpc Unknown',
    ]);
    const s = r.result.states.find((x) => x.vpc === 'module.spoke["beta"].module.vpc');
    assert.equal(
      s?.reason,
      'module.spoke["beta"].module.vpc (modules/net/main.tf:8) is made by module vpc (terraform-aws-modules/vpc/aws), not read: run `terraform init` so .terraform/modules exists',
    );
    // Every network is Unknown: no score, and not "no VPC has egress".
    assert.equal(r.result.score.score, null);
    assert.equal(r.result.score.counted, 3);
    assert.equal(r.result.score.unknown, 3);
  });

  // A module of any source whose outputs the configuration uses as network references.
  const netCaller = (count: number, use: string) => `
module "net" {
  source = "git::https://git.example.com/platform/network.git?ref=v2"
  count  = ${count}
  region = "eu-west-1"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = ${use}
}
`;

  it('gives stand-ins to a module of any source whose outputs feed a network reference, one per counted instance', async () => {
    const r = await run({ 'main.tf': netCaller(2, 'module.net[0].vpc_id') });
    assert.deepEqual(
      standIns(r).map((v) => [v.id, v.loc.range.start.line, v.cloud, v.flavor]),
      [
        ['module.net[0]', 1, 'aws', 'vpc'],
        ['module.net[1]', 1, 'aws', 'vpc'],
      ],
    );
    assert.deepEqual(states(r), ['module.net[0] Unknown', 'module.net[1] Unknown']);
    // Used only as something else (a tag), its outputs say nothing of networks: nothing stands in.
    const tag = await run({
      'main.tf': netCaller(2, 'aws_vpc.x.id').replace(
        'vpc_id = aws_vpc.x.id',
        'vpc_id = aws_vpc.x.id\n  tags   = { Net = module.net[0].vpc_id }',
      ),
      'vpc.tf': 'resource "aws_vpc" "x" {\n  cidr_block = "10.9.0.0/16"\n}\n',
    });
    assert.deepEqual(standIns(tag), []);
    // Zero instances make nothing.
    assert.deepEqual(standIns(await run({ 'main.tf': netCaller(0, 'module.net[0].vpc_id') })), []);
  });

  it('follows the feed through edits of another file (incremental builds agree with a fresh one)', async () => {
    const other = (use: string) => `resource "aws_route_table" "rt" {\n  vpc_id = ${use}\n}\n`;
    const caller = 'module "net" {\n  source = "acme/network/aws"\n}\nresource "aws_vpc" "own" {\n  cidr_block = "10.8.0.0/16"\n}\n';
    const r = await run({ 'main.tf': caller, 'rt.tf': other('module.net.vpc_id') });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.net'],
    );
    const { ws } = r;
    ws.setFile('rt.tf', other('aws_vpc.own.id'));
    const without = ws.build().model;
    assert.deepEqual(
      without.elements.filter((e) => e.kind === 'vpc').map((e) => e.id),
      ['aws_vpc.own'],
    );
    ws.setFile('rt.tf', other('module.net.vpc_id'));
    const again = ws.build().model;
    assert.deepEqual(
      again.elements.filter((e) => e.kind === 'vpc').map((e) => e.id),
      ['aws_vpc.own', 'module.net'],
    );
  });

  it('gives Azure VNets for a subnets module whose subnet feeds the hub firewall', async () => {
    const r = await run({
      'main.tf': `
locals {
  hubs = { weu = "10.100.0.0/16", neu = "10.200.0.0/16" }
}
module "hub" {
  source   = "Azure/subnets/azurerm"
  version  = "1.0.0"
  for_each = local.hubs
  virtual_network_name          = "hub-\${each.key}"
  virtual_network_address_space = [each.value]
  resource_group_name           = "rg-hub"
  virtual_network_location      = "westeurope"
}
resource "azurerm_public_ip" "fw" {
  name                = "fw-pip"
  location            = "westeurope"
  resource_group_name = "rg-hub"
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_firewall" "fw" {
  name                = "fw-weu"
  location            = "westeurope"
  resource_group_name = "rg-hub"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  ip_configuration {
    name                 = "cfg"
    subnet_id            = module.hub["weu"].vnet_subnets_name_id["AzureFirewallSubnet"]
    public_ip_address_id = azurerm_public_ip.fw.id
  }
}
`,
    });
    assert.deepEqual(
      standIns(r).map((v) => [v.id, v.flavor, v.cloud]),
      [
        ['module.hub["neu"]', 'vnet', 'azure'],
        ['module.hub["weu"]', 'vnet', 'azure'],
      ],
    );
    assert.deepEqual(states(r), ['module.hub["neu"] Unknown', 'module.hub["weu"] Unknown']);
  });

  // Field F132: private-registry modules for a VPC, its subnets and its route tables; the subnet and route-table
  // modules take the VPC module's id and feed only subnet_id / route_table_id references.
  const parts = (subnetVpc: string) => `
module "vpc" {
  source  = "app.terraform.io/acme/vpc/aws"
  version = "1.0.0"
  cidr    = "10.50.0.0/16"
}
module "subnet" {
  source     = "app.terraform.io/acme/subnet/aws"
  version    = "1.0.0"
  subnet_vpc = ${subnetVpc}
  cidr       = "10.50.1.0/24"
}
module "rtb" {
  source  = "app.terraform.io/acme/rtb/aws"
  version = "1.0.0"
  rtb_vpc = [module.vpc.vpc_id]
}
resource "aws_route_table_association" "a" {
  subnet_id      = module.subnet.subnet_id
  route_table_id = module.rtb.rtb_id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id = "tgw-0123456789abcdef0"
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = [module.subnet.subnet_id]
}
`;

  it('gives no stand-in to a subnet or route-table module that takes its network from a network module (F132)', async () => {
    const r = await run({ 'main.tf': parts('module.vpc.vpc_id') });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.vpc'],
    );
    assert.deepEqual(states(r), ['module.vpc Unknown']);
    // Incremental: without the attachment the VPC module's outputs name no network, and the subnet module (whose
    // output still feeds a subnet reference) stands in; adding it back agrees with a fresh build.
    const text = parts('module.vpc.vpc_id');
    const cut = text.indexOf('resource "aws_ec2_transit_gateway_vpc_attachment"');
    const { ws } = r;
    ws.setFile('main.tf', text.slice(0, cut));
    ws.setFile('tgw.tf', '');
    assert.deepEqual(
      ws
        .build()
        .model.elements.filter((e) => e.kind === 'vpc')
        .map((e) => e.id),
      ['module.rtb', 'module.subnet'],
    );
    ws.setFile('tgw.tf', text.slice(cut));
    assert.deepEqual(
      ws
        .build()
        .model.elements.filter((e) => e.kind === 'vpc')
        .map((e) => e.id),
      ['module.vpc'],
    );
    // Given a network id of no unread network module (an existing VPC by id), the subnet module still stands in.
    const alone = await run({ 'main.tf': parts('"vpc-0123456789abcdef0"') });
    assert.deepEqual(
      standIns(alone).map((v) => v.id),
      ['module.subnet', 'module.vpc'],
    );
  });

  it('gives one undecided stand-in for a well-known network module whose count is not known offline', async () => {
    const r = await run({
      'main.tf': 'variable "n" {}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  count  = var.n\n}\n',
    });
    const [v, ...more] = standIns(r);
    assert.equal(more.length, 0);
    assert.equal(v.id, 'module.vpc');
    assert.equal(v.undecided?.text, 'var.n');
    assert.match(r.result.states[0].reason, /whether module\.vpc exists cannot be decided offline/);
    assert.equal(
      v.unreadModule?.reason,
      'made by module vpc (terraform-aws-modules/vpc/aws), not read: its count cannot be decided offline',
    );
    assert.equal(r.result.states[0].state, 'Unknown');
  });

  it('leaves the Aviatrix mc-spoke approximation alone', async () => {
    const r = await run({
      'main.tf':
        'module "spoke" {\n  source = "terraform-aviatrix-modules/mc-spoke/aviatrix"\n  cloud = "AWS"\n  name = "s1"\n  cidr = "10.1.0.0/20"\n  region = "us-east-1"\n  account = "aws"\n  transit_gw = "t"\n}\n',
    });
    assert.deepEqual(standIns(r), []);
  });
});
