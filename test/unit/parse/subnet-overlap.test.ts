// Subnets of one VPC/VNet may not overlap: AWS refuses the later (InvalidSubnet.Conflict), Azure too
// (NetcfgSubnetRangesOverlap), so such a configuration cannot deploy. Said as a located error naming both subnets,
// only when both surely exist with decided ranges (overlapping-subnets, review s17 R3).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { planOf } from './planFixture';

async function diagnostics(files: Record<string, string>): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().diagnostics.filter((d) => d.code === 'overlapping-subnets');
}

const lineOf = (text: string, s: string) => text.split('\n').findIndex((l) => l.includes(s));

// A hub VNet whose platform subnets are carved as quarters of the space (cidrsubnet(space, 2, n)) and merged
// with extra subnets the caller gives: an extra /24 lands inside the firewall's /18.
const hub = (extra: string) => `
variable "space" {
  default = ["10.0.0.0/16"]
}
variable "extra_subnets" {
  default = ${extra}
}
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-net"
  location            = "westeurope"
  address_space       = var.space
}
resource "azurerm_subnet" "hub" {
  for_each = merge(
    { AzureFirewallSubnet = { prefixes = [cidrsubnet(var.space[0], 2, 0)] } },
    { GatewaySubnet = { prefixes = [cidrsubnet(var.space[0], 2, 1)] } },
    var.extra_subnets,
  )
  name                 = each.key
  resource_group_name  = "rg-net"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = each.value.prefixes
}
`;

const awsVpc = (a: string, b: string, bVpc = 'aws_vpc.main.id', bExtra = '') => `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "other" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = ${a}
}
resource "aws_subnet" "app" {
  ${bExtra}
  vpc_id     = ${bVpc}
  cidr_block = ${b}
}
`;

const cfn = (a: string, b: string, bCondition = '') => `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Mode:
    Type: String
Conditions:
  IsBig: !Equals [!Ref Mode, big]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${a}
  AppSubnet:
    Type: AWS::EC2::Subnet${bCondition ? `\n    Condition: ${bCondition}` : ''}
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${b}
`;

describe('overlapping subnets of one network (overlapping-subnets)', () => {
  before(async () => {
    await initTerraform();
  });

  it('Azure Terraform: an extra subnet inside the firewall quarter is an error at the later subnet naming both', async () => {
    const text = hub('{ SharedServices = { prefixes = ["10.0.10.0/24"] } }');
    const ds = await diagnostics({ 'main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.match(
      ds[0].message,
      /subnet SharedServices \(azurerm_subnet\.hub\["SharedServices"\]\): its address prefix 10\.0\.10\.0\/24 overlaps AzureFirewallSubnet \(azurerm_subnet\.hub\["AzureFirewallSubnet"\]\)'s 10\.0\.0\.0\/18 in vnet-hub \(azurerm_virtual_network\.hub\): Azure refuses to create it \(NetcfgSubnetRangesOverlap\)/,
    );
    assert.equal(ds[0].loc.file, 'main.tf');
    assert.equal(ds[0].loc.range.start.line, lineOf(text, 'resource "azurerm_subnet" "hub"'));
    // Outside the carved quarters (10.0.128.0/18 and up): nothing.
    assert.deepEqual(await diagnostics({ 'main.tf': hub('{ SharedServices = { prefixes = ["10.0.192.0/24"] } }') }), []);
  });

  it('Azure Terraform: separate azurerm_subnet resources, located at the one written later', async () => {
    const text = `${hub('{}')}
resource "azurerm_subnet" "shared" {
  name                 = "snet-shared"
  resource_group_name  = "rg-net"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.64.0/24"]
}
`;
    const ds = await diagnostics({ 'main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(
      ds[0].message,
      /subnet snet-shared \(azurerm_subnet\.shared\): its address prefix 10\.0\.64\.0\/24 overlaps GatewaySubnet/,
    );
    assert.equal(ds[0].loc.range.start.line, lineOf(text, 'resource "azurerm_subnet" "shared"'));
  });

  it('AWS Terraform: overlapping and equal CIDRs in one VPC are errors; adjacent ones or another VPC are not', async () => {
    const text = awsVpc('"10.0.0.0/20"', '"10.0.8.0/24"');
    const ds = await diagnostics({ 'main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.match(
      ds[0].message,
      /subnet app \(aws_subnet\.app\): its CIDR 10\.0\.8\.0\/24 overlaps public \(aws_subnet\.public\)'s 10\.0\.0\.0\/20 in main \(aws_vpc\.main\): AWS refuses to create it \(InvalidSubnet\.Conflict\)/,
    );
    assert.equal(ds[0].loc.range.start.line, lineOf(text, 'resource "aws_subnet" "app"'));
    assert.equal((await diagnostics({ 'main.tf': awsVpc('"10.0.1.0/24"', '"10.0.1.0/24"') })).length, 1);
    assert.deepEqual(await diagnostics({ 'main.tf': awsVpc('"10.0.0.0/20"', '"10.0.16.0/24"') }), []);
    assert.deepEqual(await diagnostics({ 'main.tf': awsVpc('"10.0.0.0/20"', '"10.0.8.0/24"', 'aws_vpc.other.id') }), []);
  });

  it('never guesses: an undecided CIDR, count or VPC leaves the pair out', async () => {
    const undecided = [
      awsVpc('"10.0.0.0/20"', 'var.app_cidr') + 'variable "app_cidr" {}\n',
      awsVpc('"10.0.0.0/20"', '"10.0.8.0/24"', 'aws_vpc.main.id', 'count = var.with_app ? 1 : 0') + 'variable "with_app" {}\n',
      awsVpc('"10.0.0.0/20"', '"10.0.8.0/24"', 'var.vpc_id') + 'variable "vpc_id" {}\n',
    ];
    for (const text of undecided) assert.deepEqual(await diagnostics({ 'main.tf': text }), [], text);
    // Decided by a default, the count is as sure as any other value.
    const decided = awsVpc('"10.0.0.0/20"', '"10.0.8.0/24"', 'aws_vpc.main.id', 'count = var.with_app ? 1 : 0');
    assert.equal((await diagnostics({ 'main.tf': decided + 'variable "with_app" {\n  default = true\n}\n' })).length, 1);
  });

  it('an edit of another file adds and removes the error: incremental builds', async () => {
    const ws = await createWorkspace();
    const count = () => ws.build().diagnostics.filter((d) => d.code === 'overlapping-subnets').length;
    ws.setFile('main.tf', hub('{}'));
    assert.equal(count(), 0);
    ws.setFile(
      'shared.tf',
      'resource "azurerm_subnet" "shared" {\n  name = "snet-shared"\n  virtual_network_name = azurerm_virtual_network.hub.name\n  address_prefixes = ["10.0.1.0/24"]\n}\n',
    );
    assert.equal(count(), 1);
    ws.setFile(
      'shared.tf',
      'resource "azurerm_subnet" "shared" {\n  name = "snet-shared"\n  virtual_network_name = azurerm_virtual_network.hub.name\n  address_prefixes = ["10.0.128.0/24"]\n}\n',
    );
    assert.equal(count(), 0);
  });

  it('CloudFormation: overlapping subnets of one template are an error at the later; an open Condition leaves it out', async () => {
    const text = cfn('10.0.0.0/20', '10.0.4.0/24');
    const ds = await diagnostics({ 'vpc.yaml': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.match(
      ds[0].message,
      /subnet AppSubnet \(cfn:vpc\.yaml#AppSubnet\): its CIDR 10\.0\.4\.0\/24 overlaps PublicSubnet \(cfn:vpc\.yaml#PublicSubnet\)'s 10\.0\.0\.0\/20 in Vpc \(cfn:vpc\.yaml#Vpc\): AWS refuses to create it \(InvalidSubnet\.Conflict\)/,
    );
    assert.equal(ds[0].loc.range.start.line, lineOf(text, 'AppSubnet:'));
    assert.deepEqual(await diagnostics({ 'vpc.yaml': cfn('10.0.0.0/20', '10.0.16.0/24') }), []);
    // Mode has no value and no Default: whether AppSubnet exists is not decided.
    assert.deepEqual(await diagnostics({ 'vpc.yaml': cfn('10.0.0.0/20', '10.0.4.0/24', 'IsBig') }), []);
    // Two templates may be alternatives: never compared with each other.
    const twin = cfn('10.0.0.0/20', '10.0.16.0/24');
    assert.deepEqual(await diagnostics({ 'a.yaml': twin, 'b.yaml': twin.replace('10.0.0.0/20', '10.0.0.0/21') }), []);
  });

  it('two Terraform root modules writing one range into the same existing VPC are two deployments, not an overlap (review s18 R4)', async () => {
    const root = `variable "vpc_id" {
  default = "vpc-0123456789abcdef0"
}
resource "aws_subnet" "app" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.1.0/24"
}
`;
    assert.deepEqual(await diagnostics({ 'examples/dev/main.tf': root, 'examples/prod/main.tf': root }), []);
    // The same two subnets in one root are.
    const both = root + root.slice(root.indexOf('resource')).replace('"app"', '"app2"');
    const found = await diagnostics({ 'examples/dev/main.tf': both, 'examples/prod/main.tf': root });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0].message, /app2.*overlaps.*app/);
    assert.equal(found[0].loc.file, 'examples/dev/main.tf');
  });
});

// A root's .tf and the plan JSON `terraform show -json` wrote for it (F71, 0351bcc): each subnet is written in both,
// one id, merged into one element. One subnet written twice is not an overlap with itself.
const PLANNED_TF = `
resource "aws_vpc" "main" {
  cidr_block = "10.4.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.4.1.0/24"
}
resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.4.2.0/24"
}
`;

const plannedPlan = (dataCidr: string) =>
  planOf(
    [
      ['aws_vpc.main', { cidr_block: '10.4.0.0/16' }, { id: true }],
      ['aws_subnet.app', { cidr_block: '10.4.1.0/24' }, { id: true, vpc_id: true }],
      ['aws_subnet.data', { cidr_block: dataCidr }, { id: true, vpc_id: true }],
    ],
    {
      'aws_subnet.app': { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
      'aws_subnet.data': { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
    },
  );

describe('overlapping-subnets: a plan JSON beside the .tf that declares the same subnets', () => {
  before(async () => {
    await initTerraform();
  });

  it('the same subnet id in the .tf and in tfplan.json is one subnet: no error, whichever file is read first', async () => {
    const plan = plannedPlan('10.4.2.0/24');
    assert.deepEqual(await diagnostics({ 'main.tf': PLANNED_TF, 'tfplan.json': plan }), []);
    assert.deepEqual(await diagnostics({ 'tfplan.json': plan, 'main.tf': PLANNED_TF }), []);
    // The plan alone and the .tf alone: nothing either.
    assert.deepEqual(await diagnostics({ 'tfplan.json': plan }), []);
    assert.deepEqual(await diagnostics({ 'main.tf': PLANNED_TF }), []);
  });

  // Each of the two subnets is written twice (four copies): the pair is said once, at the .tf's copy, naming the
  // VPC as the .tf writes it.
  it('the same subnet written in both is still checked against the others: a real overlap stays one error', async () => {
    const tf = PLANNED_TF.replace('10.4.2.0/24', '10.4.1.128/25');
    const ds = await diagnostics({ 'main.tf': tf, 'tfplan.json': plannedPlan('10.4.1.128/25') });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(
      ds[0].message,
      /subnet data \(aws_subnet\.data\): its CIDR 10\.4\.1\.128\/25 overlaps app \(aws_subnet\.app\)'s 10\.4\.1\.0\/24 in main \(aws_vpc\.main\)/,
    );
    assert.equal(ds[0].loc.file, 'main.tf');
  });

  it('an incremental build that adds the plan after the .tf adds no error', async () => {
    const ws = await createWorkspace();
    const overlaps = () => ws.build().diagnostics.filter((d) => d.code === 'overlapping-subnets');
    ws.setFile('main.tf', PLANNED_TF);
    assert.deepEqual(overlaps(), []);
    ws.setFile('tfplan.json', plannedPlan('10.4.2.0/24'));
    assert.deepEqual(overlaps(), []);
    ws.setFile('main.tf', PLANNED_TF.replace('cidr_block = "10.4.2.0/24"', 'cidr_block = "10.4.2.0/23"'));
    assert.deepEqual(overlaps(), []);
  });
});
