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
  // A private-registry design of ours: one module makes the VPC, others make its subnets and route tables and are
  // given the VPC module's id; their outputs are used only as subnet and route table ids (field finding F132).
  const partsRoot = `
module "core" {
  source  = "app.terraform.io/acme/vpc-core/aws"
  version = "2.1.0"
  cidr    = "10.60.0.0/16"
}
module "edge_net" {
  source     = "app.terraform.io/acme/subnet/aws"
  version    = "0.3.0"
  network    = module.core.id
  cidr       = "10.60.1.0/24"
  make_igw   = true
}
module "attach_net" {
  source  = "app.terraform.io/acme/subnet/aws"
  version = "0.3.0"
  network = module.core.id
  cidr    = "10.60.2.0/24"
}
module "edge_rt" {
  source  = "app.terraform.io/acme/route-table/aws"
  version = "1.0.0"
  network = module.core.id
  default_via = module.edge_net.gateway
}
# Given only the subnet module's output: a part of the same network.
module "attach_rt" {
  source  = "app.terraform.io/acme/route-table/aws"
  version = "1.0.0"
  for_each = toset(["a", "b"])
  subnet  = module.attach_net.subnet
}
resource "aws_ec2_transit_gateway" "hub" {
  description = "hub"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "core" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = module.core.vpc_id
  subnet_ids         = [module.attach_net.subnet]
}
resource "aws_route" "edge_to_hub" {
  route_table_id         = module.edge_rt.id
  destination_cidr_block = "10.0.0.0/8"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
resource "aws_route_table_association" "edge" {
  subnet_id      = module.edge_net.subnet
  route_table_id = module.edge_rt.id
}
resource "aws_route_table_association" "attach" {
  subnet_id      = module.attach_net.subnet
  route_table_id = module.attach_rt["a"].id
}
`;

  it('gives no stand-in to subnet and route table modules given another stand-in network (F132): they make its parts', async () => {
    const r = await run({ 'main.tf': partsRoot });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.core'],
    );
    assert.deepEqual(states(r), ['module.core Unknown']);
    assert.match(
      r.result.states[0].reason,
      /module\.core \(main\.tf:2\) is made by module core \(app\.terraform\.io\/acme\/vpc-core\/aws\), not read/,
    );
    // Without a use of the VPC module's outputs as a network, nothing says it makes one: the subnet modules stand in
    // as before (their outputs are used as subnets), not the VPC module; the route table modules given their outputs
    // make parts of them.
    const loose = await run({
      'main.tf': partsRoot.replace('vpc_id             = module.core.vpc_id', 'vpc_id             = "vpc-0123456789abcdef0"'),
    });
    assert.deepEqual(
      standIns(loose).map((v) => v.id),
      ['module.attach_net', 'module.edge_net'],
    );
  });

  it('keeps the stand-in of a module of parts given only outputs that name no network (a label module)', async () => {
    const r = await run({
      'main.tf': `
module "label" {
  source = "cloudposse/label/null"
  name   = "app"
}
module "net" {
  source  = "app.terraform.io/acme/subnet/aws"
  context = module.label.context
  cidr    = "10.61.1.0/24"
}
resource "aws_network_interface" "app" {
  subnet_id = module.net.subnet
}
`,
    });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.net'],
    );
  });

  it("keeps both stand-ins of two modules of parts given only each other's outputs (no network is lost)", async () => {
    const r = await run({
      'main.tf': `
module "subnets" {
  source = "app.terraform.io/acme/subnet/aws"
  table  = module.tables.id
}
module "tables" {
  source = "app.terraform.io/acme/route-table/aws"
  subnet = module.subnets.subnet
}
resource "aws_route_table_association" "a" {
  subnet_id      = module.subnets.subnet
  route_table_id = module.tables.id
}
`,
    });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.subnets', 'module.tables'],
    );
  });

  // A VPC of the inputs with one subnet of its own (routed 0.0.0.0/0 to the internet gateway) and more subnets made
  // by an unread module given the VPC's id.
  const ownVpc = (subnetsModule: string) => `
resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.70.0.0/24"
}
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}
resource "aws_instance" "web" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.web.id
  associate_public_ip_address = true
}
${subnetsModule}
`;
  const appSubnets = `
module "app_subnets" {
  source = "app.terraform.io/acme/subnets/aws"
  vpc    = aws_vpc.main.id
  cidrs  = ["10.70.10.0/24", "10.70.11.0/24"]
}
resource "aws_instance" "app" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  subnet_id     = module.app_subnets.ids[0]
}
`;

  it("keeps the stand-in of a spoke VPC module given the hub's id only to peer with it (review R14, R5)", async () => {
    const spoke = (hubId: string) => `
module "spoke" {
  source      = "app.terraform.io/acme/spoke-vpc/aws"
  cidr        = "10.71.0.0/16"
  peer_vpc_id = ${hubId}
}
resource "aws_instance" "app" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  subnet_id     = module.spoke.private_subnet_ids[0]
}
`;
    // The hub a VPC of the inputs: it stays as read (Unprotected by its own route), the spoke a network of its own.
    const r = await run({ 'main.tf': ownVpc(spoke('aws_vpc.main.id')) });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.spoke'],
    );
    assert.deepEqual(states(r).sort(), ['aws_vpc.main Unprotected', 'module.spoke Unknown']);
    // The hub itself made by an unread VPC module: two stand-ins, not one.
    const hub = await run({
      'main.tf': `module "hub" {\n  source = "app.terraform.io/acme/vpc/aws"\n}\nresource "aws_route_table" "rt" {\n  vpc_id = module.hub.vpc_id\n}\n${spoke('module.hub.vpc_id')}`,
    });
    assert.deepEqual(
      standIns(hub)
        .map((v) => v.id)
        .sort(),
      ['module.hub', 'module.spoke'],
    );
    // Given the same id as the network its subnets go in, it makes parts of the hub (F132).
    const parts = await run({ 'main.tf': ownVpc(spoke('aws_vpc.main.id').replace('peer_vpc_id', 'vpc_id     ')) });
    assert.deepEqual(standIns(parts), []);
  });

  it('makes a VPC of the inputs Unknown when an unread module given its id makes some of its subnets, with no stand-in', async () => {
    const before = await run({ 'main.tf': ownVpc('') });
    assert.deepEqual(states(before), ['aws_vpc.main Unprotected']);
    const r = await run({ 'main.tf': ownVpc(appSubnets) });
    assert.deepEqual(standIns(r), []);
    assert.deepEqual(states(r), ['aws_vpc.main Unknown']);
    assert.match(
      r.result.states[0].reason,
      /^subnets or route tables of aws_vpc\.main \(main\.tf:2\) are made by module app_subnets \(app\.terraform\.io\/acme\/subnets\/aws\), not read: run `terraform init`/,
    );
    // The subnet of the inputs is still judged: its direct route is a finding all the same.
    assert.deepEqual(
      r.result.findings.map((f) => f.code),
      before.result.findings.map((f) => f.code),
    );
    assert.ok(r.result.findings.some((f) => f.code === 'uninspected-egress'));
    // A module given the VPC's id whose outputs name no subnet or table (security groups): the VPC is judged as written.
    const sg = await run({
      'main.tf': ownVpc(
        'module "sg" {\n  source = "terraform-aws-modules/security-group/aws"\n  vpc_id = aws_vpc.main.id\n}\nresource "aws_instance" "app" {\n  ami = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  subnet_id = aws_subnet.web.id\n  vpc_security_group_ids = [module.sg.security_group_id]\n}\n',
      ),
    });
    assert.deepEqual(states(sg), ['aws_vpc.main Unprotected']);
  });

  it('names the unread module, not "no subnet resource", for a VPC of the inputs whose subnets all come from it', async () => {
    const r = await run({
      'main.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}
${appSubnets}`,
    });
    assert.deepEqual(standIns(r), []);
    assert.deepEqual(states(r), ['aws_vpc.main Unknown']);
    assert.match(r.result.states[0].reason, /^subnets or route tables of aws_vpc\.main .* made by module app_subnets/);
  });

  it("follows the parts of a VPC of the inputs through edits of the module call's file (incremental builds agree with a fresh one)", async () => {
    const vpc = ownVpc('');
    const r = await run({ 'main.tf': vpc, 'subnets.tf': appSubnets });
    assert.deepEqual(states(r), ['aws_vpc.main Unknown']);
    const { ws } = r;
    const statesOf = () => {
      const b = ws.build();
      return analyze(b.model, {}, b.diagnostics).states.map((s) => `${s.vpc} ${s.state}`);
    };
    // The instance moves to the VPC's own subnet: the module's outputs name nothing, the VPC is judged as written.
    ws.setFile('subnets.tf', appSubnets.replace('module.app_subnets.ids[0]', 'aws_subnet.web.id'));
    assert.deepEqual(statesOf(), ['aws_vpc.main Unprotected']);
    ws.setFile('subnets.tf', appSubnets);
    assert.deepEqual(statesOf(), ['aws_vpc.main Unknown']);
    // The VPC's file edited (a tag): still Unknown.
    ws.setFile('main.tf', vpc.replace('cidr_block = "10.70.0.0/16"', 'cidr_block = "10.70.0.0/16"\n  tags = { Name = "main" }'));
    assert.deepEqual(statesOf(), ['aws_vpc.main Unknown']);
  });

  // F292: a hub-spoke whose modules all come from a git source. The network module's outputs feed only the firewall
  // module's arguments and an (unmodelled) private DNS zone link: the network module stands in, Unknown, as a VNet.
  const gitHub = (dnsLink: boolean) => `
module "net" {
  source         = "git::https://example.com/acme/platform.git//modules/hub-spoke?ref=v1.4"
  resource_group = "rg-net"
}
module "fw" {
  source      = "github.com/acme/platform.git//modules/firewall?ref=v1.4"
  subnet_id   = module.net.subnets["AzureFirewallSubnet"].id
  route_table = module.net.route_table
}
${
  dnsLink
    ? `resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "hub"
  resource_group_name   = "rg-net"
  private_dns_zone_name = "privatelink.westeurope.azmk8s.io"
  virtual_network_id    = module.net.networks["hub"].id
}`
    : ''
}
`;

  it('gives a stand-in to a git-sourced module whose outputs feed only another unread module and an unmodelled resource (F292)', async () => {
    const r = await run({ 'main.tf': gitHub(true) });
    assert.deepEqual(
      standIns(r).map((v) => `${v.id} ${v.flavor} ${v.cloud}`),
      ['module.net vnet azure'],
      'the DNS link names a VNet; the firewall module (fed a subnet) makes no network of its own',
    );
    assert.deepEqual(states(r), ['module.net Unknown']);
    assert.match(r.result.states[0].reason, /made by module net \(git::https:\/\/example\.com\/acme\/platform\.git.*\), not read/);
    assert.equal(r.model.elements.filter((e) => e.kind === 'vpc').length, 1);
  });

  it("counts another unread module's subnet argument as a use of the network module's outputs (F292)", async () => {
    const r = await run({ 'main.tf': gitHub(false) });
    assert.deepEqual(
      standIns(r).map((v) => v.id),
      ['module.net'],
    );
    assert.deepEqual(states(r), ['module.net Unknown']);
    // Incremental builds agree: the firewall given a literal subnet, the network module's outputs feed nothing.
    const standInsNow = () =>
      r.ws
        .build()
        .model.elements.filter((e) => e.kind === 'vpc')
        .map((e) => e.id);
    r.ws.setFile('main.tf', gitHub(false).replace('module.net.subnets["AzureFirewallSubnet"].id', '"/subscriptions/x/subnets/fw"'));
    assert.deepEqual(standInsNow(), []);
    r.ws.setFile('main.tf', gitHub(false));
    assert.deepEqual(standInsNow(), ['module.net']);
  });
});
