// An AWS subnet's IPv4 CIDR must lie inside one of its VPC's IPv4 CIDRs (the primary and the secondary
// associations): AWS refuses any other (InvalidSubnet.Range), so such a configuration cannot deploy. Said as a
// located error (subnet-outside-network, F107's AWS twin) only when the VPC is surely the subnet's and every IPv4
// CIDR of it is known: Terraform, plan JSON, CloudFormation.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { planOf } from './planFixture';

async function diagnostics(files: Record<string, string>): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().diagnostics.filter((d) => d.code === 'subnet-outside-network');
}

// A VPC and its app subnet, the subnet's CIDR written outside the VPC's by mistake (10.1 for 10.0).
/** The inputs of `texts` that give the error (each alone, as `file`). */
async function loud(texts: string[], file: string): Promise<string[]> {
  const out: string[] = [];
  for (const text of texts) if ((await diagnostics({ [file]: text })).length > 0) out.push(text);
  return out;
}

const vpc = (subnetCidr: string, extra = '', vpcBody = 'cidr_block = "10.0.0.0/16"', subnetVpc = 'aws_vpc.main.id') => `
resource "aws_vpc" "main" {
  ${vpcBody}
}
resource "aws_subnet" "app" {
  vpc_id     = ${subnetVpc}
  cidr_block = ${subnetCidr}
}
${extra}`;

const secondary = (body: string) => `
resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  ${body}
}`;

describe('AWS subnet outside its VPC (subnet-outside-network)', () => {
  before(async () => {
    await initTerraform();
  });

  it("Terraform: a subnet whose CIDR is outside its VPC's CIDR is a located error naming both", async () => {
    const text = vpc('"10.1.1.0/24"');
    const ds = await diagnostics({ 'main.tf': text });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].severity, 'error');
    assert.match(
      ds[0].message,
      /subnet aws_subnet\.app: CIDR 10\.1\.1\.0\/24 lies outside aws_vpc\.main's CIDR 10\.0\.0\.0\/16: AWS refuses to create the subnet \(InvalidSubnet\.Range\)/,
    );
    const line = text.split('\n').findIndex((l) => l.includes('"10.1.1.0/24"'));
    assert.equal(ds[0].loc.file, 'main.tf');
    assert.equal(ds[0].loc.range.start.line, line);
    // Inside the VPC: nothing.
    assert.deepEqual(await diagnostics({ 'main.tf': vpc('"10.0.1.0/24"') }), []);
  });

  it('a secondary CIDR association holds the subnet; outside every one, each is named', async () => {
    const assoc = secondary('vpc_id = aws_vpc.main.id\n  cidr_block = "10.1.0.0/16"');
    assert.deepEqual(await diagnostics({ 'main.tf': vpc('"10.1.1.0/24"', assoc) }), []);
    // Through a module output too: the association joins the VPC the subnet names.
    const ds = await diagnostics({ 'main.tf': vpc('"10.2.1.0/24"', assoc) });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /lies outside aws_vpc\.main's CIDRs 10\.0\.0\.0\/16, 10\.1\.0\.0\/16:/);
  });

  it('an edit of another file (an association added, changed, removed) updates the error: incremental builds', async () => {
    const ws = await createWorkspace();
    const count = () => ws.build().diagnostics.filter((d) => d.code === 'subnet-outside-network').length;
    ws.setFile('main.tf', vpc('"10.1.1.0/24"'));
    ws.setFile('other.tf', 'resource "aws_vpc" "other" {\n  cidr_block = "10.8.0.0/16"\n}\n');
    assert.equal(count(), 1);
    ws.setFile('extra.tf', secondary('vpc_id = aws_vpc.main.id\n  cidr_block = "10.1.0.0/16"'));
    assert.equal(count(), 0);
    ws.setFile('extra.tf', secondary('vpc_id = aws_vpc.main.id\n  cidr_block = "10.2.0.0/16"'));
    assert.equal(count(), 1);
    ws.setFile('extra.tf', secondary('vpc_id = aws_vpc.main.id\n  ipv4_ipam_pool_id = "ipam-pool-0123"'));
    assert.equal(count(), 0);
    ws.setFile('extra.tf', secondary('vpc_id = aws_vpc.other.id\n  cidr_block = "10.1.0.0/16"'));
    assert.equal(count(), 1);
    ws.removeFile('extra.tf');
    assert.equal(count(), 1);
    ws.setFile('main.tf', vpc('"10.0.1.0/24"'));
    assert.equal(count(), 0);
  });

  it('a module subnet given the VPC of its caller is checked against that VPC', async () => {
    const ds = await diagnostics({
      'main.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
module "net" {
  source = "./net"
  vpc_id = aws_vpc.main.id
}`,
      'net/main.tf': `
variable "vpc_id" {}
resource "aws_subnet" "app" {
  vpc_id     = var.vpc_id
  cidr_block = "10.9.0.0/24"
}`,
    });
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].loc.file, 'net/main.tf');
  });

  it('never when a CIDR of the VPC is undecided: IPAM, an association by IPAM, for_each undecided, an unknown value', async () => {
    const quiet = [
      // The VPC's CIDR allocated by IPAM.
      vpc('"10.1.1.0/24"', '', 'ipv4_ipam_pool_id = "ipam-pool-0123"\n  ipv4_netmask_length = 16'),
      // The VPC's CIDR from a variable without a value.
      vpc('"10.1.1.0/24"', 'variable "cidr" {}', 'cidr_block = var.cidr'),
      // A secondary association whose CIDR IPAM allocates.
      vpc('"10.1.1.0/24"', secondary('vpc_id = aws_vpc.main.id\n  ipv4_ipam_pool_id = "ipam-pool-0123"\n  ipv4_netmask_length = 20')),
      // Secondary associations over a set not known offline.
      vpc(
        '"10.1.1.0/24"',
        'variable "extra" {}\n' + secondary('for_each = toset(var.extra)\n  vpc_id = aws_vpc.main.id\n  cidr_block = each.value'),
      ),
      // A secondary association whose CIDR is not known offline.
      vpc('"10.1.1.0/24"', 'variable "extra" {}\n' + secondary('vpc_id = aws_vpc.main.id\n  cidr_block = var.extra')),
      // A secondary association naming a VPC that is not one of the inputs (it may be this one).
      vpc('"10.1.1.0/24"', 'variable "vpc" {}\n' + secondary('vpc_id = var.vpc\n  cidr_block = "10.1.0.0/16"')),
      // A script that is given the VPC may associate another CIDR.
      vpc(
        '"10.1.1.0/24"',
        `resource "null_resource" "cidr" {
  provisioner "local-exec" {
    command = "aws ec2 associate-vpc-cidr-block --vpc-id \${aws_vpc.main.id} --cidr-block 10.1.0.0/16"
  }
}`,
      ),
      // The subnet's CIDR not known offline.
      vpc('var.cidr', 'variable "cidr" {}'),
    ];
    assert.deepEqual(await loud(quiet, 'main.tf'), []);
  });

  it("never when the VPC is not surely the subnet's: a data source, a variable, the default VPC", async () => {
    const quiet = [
      vpc('"10.1.1.0/24"', 'data "aws_vpc" "shared" {\n  id = "vpc-0123"\n}', undefined, 'data.aws_vpc.shared.id'),
      vpc('"10.1.1.0/24"', 'variable "vpc_id" {}', undefined, 'var.vpc_id'),
      vpc('"10.1.1.0/24"', 'resource "aws_default_vpc" "d" {}', undefined, 'aws_default_vpc.d.id'),
    ];
    assert.deepEqual(await loud(quiet, 'main.tf'), []);
  });

  it('never when an import block adopts the VPC (it exists before the configuration, CIDRs may be associated outside it)', async () => {
    const outside = vpc('"100.64.0.0/18"');
    assert.equal((await diagnostics({ 'main.tf': outside })).length, 1);
    for (const to of ['aws_vpc.main', 'aws_vpc.main[0]', 'aws_vpc.main[each.key]'])
      assert.deepEqual(
        await diagnostics({ 'main.tf': outside, 'imports.tf': `import {\n  to = ${to}\n  id = "vpc-0123456789abcdef0"\n}\n` }),
        [],
        to,
      );
    // An import of another VPC leaves this one checked.
    assert.equal(
      (await diagnostics({ 'main.tf': outside, 'imports.tf': 'import {\n  to = aws_vpc.other\n  id = "vpc-0123456789abcdef0"\n}\n' }))
        .length,
      1,
    );
  });

  it('an IPv6-only subnet is out of scope', async () => {
    const text = vpc(
      'null\n  ipv6_native = true\n  ipv6_cidr_block = "2600:1f18:1::/64"',
      '',
      'cidr_block = "10.0.0.0/16"\n  assign_generated_ipv6_cidr_block = true',
    );
    assert.deepEqual(await diagnostics({ 'main.tf': text }), []);
  });

  it('never when the VPC keeps a CIDR set outside Terraform: ignore_changes on cidr_block (or all), or on the subnet', async () => {
    for (const ignored of ['[cidr_block]', 'all', '[tags, cidr_block]']) {
      const text = vpc('"10.1.1.0/24"', '', `cidr_block = "10.0.0.0/16"\n  lifecycle {\n    ignore_changes = ${ignored}\n  }`);
      assert.deepEqual(await diagnostics({ 'main.tf': text }), [], ignored);
    }
    // Another attribute ignored changes nothing.
    const tags = vpc('"10.1.1.0/24"', '', 'cidr_block = "10.0.0.0/16"\n  lifecycle {\n    ignore_changes = [tags]\n  }');
    assert.equal((await diagnostics({ 'main.tf': tags })).length, 1);
    const subnet = vpc('"10.1.1.0/24"\n  lifecycle {\n    ignore_changes = [cidr_block]\n  }');
    assert.deepEqual(await diagnostics({ 'main.tf': subnet }), []);
  });

  describe('plan JSON', () => {
    const plan = (subnetCidr: string, extra: [string, object][] = []) =>
      planOf(
        [
          ['aws_vpc.main', { cidr_block: '10.0.0.0/16' }],
          ['aws_subnet.app', { cidr_block: subnetCidr }, { id: true, vpc_id: true }],
          ...extra.map(([a, v]): [string, object, object] => [a, v, { id: true, vpc_id: true }]),
        ],
        {
          'aws_subnet.app': { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
          'aws_vpc_ipv4_cidr_block_association.extra': { vpc_id: { references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
        },
      );

    it('a plan creating the VPC and a subnet outside it: the error, at the subnet', async () => {
      const ds = await diagnostics({ 'plan.json': plan('10.1.1.0/24') });
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.equal(ds[0].loc.file, 'plan.json');
      assert.match(ds[0].message, /subnet aws_subnet\.app: CIDR 10\.1\.1\.0\/24 lies outside aws_vpc\.main's CIDR 10\.0\.0\.0\/16/);
      assert.deepEqual(await diagnostics({ 'plan.json': plan('10.0.1.0/24') }), []);
      const extra: [string, object][] = [['aws_vpc_ipv4_cidr_block_association.extra', { cidr_block: '10.1.0.0/16' }]];
      assert.deepEqual(await diagnostics({ 'plan.json': plan('10.1.1.0/24', extra) }), []);
    });

    it('never for a VPC that exists before the plan (CIDRs may have been associated outside it)', async () => {
      const p = JSON.parse(plan('10.1.1.0/24'));
      for (const rc of p.resource_changes) if (rc.address === 'aws_vpc.main') rc.change.actions = ['no-op'];
      assert.deepEqual(await diagnostics({ 'plan.json': JSON.stringify(p, null, 2) }), []);
    });
  });

  describe('CloudFormation', () => {
    const template = (subnetCidr: string, extra = '') => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${subnetCidr}
${extra}`;

    it('a subnet outside its VPC is a located error; a VPCCidrBlock holds it', async () => {
      const text = template('10.1.1.0/24');
      const ds = await diagnostics({ 'vpc.yaml': text });
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.equal(ds[0].severity, 'error');
      assert.match(ds[0].message, /subnet AppSubnet: CIDR 10\.1\.1\.0\/24 lies outside Vpc's CIDR 10\.0\.0\.0\/16: AWS refuses/);
      assert.equal(
        ds[0].loc.range.start.line,
        text.split('\n').findIndex((l) => l.includes('CidrBlock: 10.1.1.0/24')),
      );
      const withSecondary = `  Secondary:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.1.0.0/16
`;
      assert.deepEqual(await diagnostics({ 'vpc.yaml': template('10.1.1.0/24', withSecondary) }), []);
      const ds2 = await diagnostics({ 'vpc.yaml': template('10.2.1.0/24', withSecondary) });
      assert.match(ds2[0]?.message ?? '', /outside Vpc's CIDRs 10\.0\.0\.0\/16, 10\.1\.0\.0\/16/);
    });

    it('never when a CIDR of the VPC is undecided: a VPCCidrBlock by IPAM, a parameter without default, a custom resource or nested stack given the VPC', async () => {
      const quiet = [
        template(
          '10.1.1.0/24',
          `  Secondary:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      Ipv4IpamPoolId: ipam-pool-0123
      Ipv4NetmaskLength: 20
`,
        ),
        template(
          '10.1.1.0/24',
          `  Secondary:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Ref ExtraCidr
Parameters:
  ExtraCidr:
    Type: String
`,
        ),
        template(
          '10.1.1.0/24',
          `  AddCidr:
    Type: Custom::AssociateCidr
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:111122223333:function:associate
      VpcId: !Ref Vpc
`,
        ),
        // A nested stack given the VPC (it may associate a CIDR the subnet waits for).
        template(
          '10.1.1.0/24',
          `  Extra:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/secondary-cidr.yaml
      Parameters:
        VpcId: !Ref Vpc
`,
        ),
      ];
      assert.deepEqual(await loud(quiet, 'vpc.yaml'), []);
    });
  });
});
