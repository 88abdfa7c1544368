// Inspection before NAT through a firewall instance (an NGFW VM as EC2 with a forwarding interface): app ->
// the firewall's interface -> NAT GW -> IGW. The reply is inspected only when the NAT subnet's table sends the
// app CIDR back to that interface; an IGW edge route is never the fix, and the NAT GW's table must keep its
// 0.0.0.0/0 on the IGW (sending it to the firewall would loop NAT -> firewall -> NAT).
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const findings = (r: AnalysisResult, code: string): Finding[] => r.findings.filter((f) => f.code === code);
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

interface Opts {
  /** The app subnets' 0.0.0.0/0 target (default: the firewall interface of their AZ). */
  appDefault?: string;
  /** The NAT subnets' route back for the app CIDR ('' for none). */
  natReturn?: string;
  extra?: string;
}
const APP_TO_FW = 'network_interface_id = aws_network_interface.fw[each.key].id';
const RETURN_ROUTE = (target: string) => `
  route {
    cidr_block           = aws_subnet.app[each.key].cidr_block
    ${target}
  }`;

// Per AZ: an app subnet (0.0.0.0/0 -> the firewall's interface), a firewall subnet holding the instance's one
// forwarding interface (0.0.0.0/0 -> the NAT GW of the AZ), a public subnet with the NAT GW.
const design = (o: Opts = {}) => `
locals {
  zones = { a = 0, b = 1 }
}
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "app" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1\${each.key}"
  cidr_block        = cidrsubnet("10.30.0.0/16", 8, each.value)
}
resource "aws_subnet" "fw" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1\${each.key}"
  cidr_block        = cidrsubnet("10.30.0.0/16", 8, 10 + each.value)
}
resource "aws_subnet" "pub" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1\${each.key}"
  cidr_block        = cidrsubnet("10.30.0.0/16", 8, 20 + each.value)
}
resource "aws_network_interface" "fw" {
  for_each          = local.zones
  subnet_id         = aws_subnet.fw[each.key].id
  source_dest_check = false
}
# A firewall by its image (its name alone would be a hint only, review s16 R11).
data "aws_ami" "ngfw" {
  filter {
    name   = "name"
    values = ["PA-VM-AWS-10.2*"]
  }
}
resource "aws_instance" "fw" {
  for_each      = local.zones
  ami           = data.aws_ami.ngfw.id
  instance_type = "c5.xlarge"
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.fw[each.key].id
  }
}
resource "aws_eip" "nat" {
  for_each = local.zones
  domain   = "vpc"
}
resource "aws_nat_gateway" "nat" {
  for_each      = local.zones
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.pub[each.key].id
}
resource "aws_route_table" "app" {
  for_each = local.zones
  vpc_id   = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    ${o.appDefault ?? APP_TO_FW}
  }
}
resource "aws_route_table_association" "app" {
  for_each       = local.zones
  subnet_id      = aws_subnet.app[each.key].id
  route_table_id = aws_route_table.app[each.key].id
}
resource "aws_route_table" "fw" {
  for_each = local.zones
  vpc_id   = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat[each.key].id
  }
}
resource "aws_route_table_association" "fw" {
  for_each       = local.zones
  subnet_id      = aws_subnet.fw[each.key].id
  route_table_id = aws_route_table.fw[each.key].id
}
resource "aws_route_table" "pub" {
  for_each = local.zones
  vpc_id   = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }${o.natReturn ?? RETURN_ROUTE(APP_TO_FW)}
}
resource "aws_route_table_association" "pub" {
  for_each       = local.zones
  subnet_id      = aws_subnet.pub[each.key].id
  route_table_id = aws_route_table.pub[each.key].id
}
${o.extra ?? ''}`;

// One AZ, written without for_each: the NAT subnet's table is one block, so the fix is a mechanical edit.
const single = (natReturn: boolean) => `
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1a"
  cidr_block        = "10.40.1.0/24"
}
resource "aws_subnet" "fw" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1a"
  cidr_block        = "10.40.2.0/24"
}
resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "eu-west-1a"
  cidr_block        = "10.40.3.0/24"
}
resource "aws_network_interface" "fw_data" {
  subnet_id         = aws_subnet.fw.id
  source_dest_check = false
}
# A firewall by its image (its name alone would be a hint only, review s16 R11).
data "aws_ami" "ngfw" {
  filter {
    name   = "name"
    values = ["PA-VM-AWS-10.2*"]
  }
}
resource "aws_instance" "ngfw" {
  ami           = data.aws_ami.ngfw.id
  instance_type = "c5.xlarge"
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.fw_data.id
  }
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.fw_data.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table" "fw" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "fw" {
  subnet_id      = aws_subnet.fw.id
  route_table_id = aws_route_table.fw.id
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }${
    natReturn
      ? `
  route {
    cidr_block           = "10.40.1.0/24"
    network_interface_id = aws_network_interface.fw_data.id
  }`
      : ''
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
`;

// A subnet of `az` sent straight to AZ a's NAT GW.
const LEGACY = (az: string) => `
resource "aws_subnet" "legacy" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "${az}"
  cidr_block        = "10.30.40.0/24"
}
resource "aws_route_table" "legacy" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat["a"].id
  }
}
resource "aws_route_table_association" "legacy" {
  subnet_id      = aws_subnet.legacy.id
  route_table_id = aws_route_table.legacy.id
}`;

describe('inspection before NAT through a firewall instance (NGFW VM)', function () {
  this.timeout(30000);

  it('the NAT subnets send the app CIDR back to the firewall interface of their AZ: both legs inspected, no finding, Protected', async () => {
    const r = await run(design());
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    assert.equal(r.states[0]?.state, 'Protected', r.states[0]?.reason);
  });

  it('no route back in the NAT subnets: asymmetric-return-bypass on the NAT subnet table, fixed there with the firewall interface, never an IGW edge route', async () => {
    const text = design({ natReturn: '' });
    const f = findings(await run(text), 'asymmetric-return-bypass');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "pub"'));
    assert.match(f[0].message, /NAT GW nat\["a"\]'s subnet route table pub\["a"\] has no route for 10\.30\.0\.0\/24/);
    assert.match(f[0].message, /skipping firewall appliance fw\["a"\] \(eu-west-1a\), firewall appliance fw\["b"\] \(eu-west-1b\)/);
    assert.equal(
      f[0].fix!.title,
      'Route 10.30.0.0/24 to fw["a"] in pub["a"], 10.30.1.0/24 to fw["b"] in pub["b"] (the NAT subnet\'s route table: inspection before NAT; not in the IGW edge route table)',
    );
    // A table of a for_each resource serves every AZ: no edit, the title says what to write.
    assert.deepEqual(f[0].fix!.edits, []);
  });

  it('one AZ written without for_each: the quick fix adds the route to the firewall interface in the NAT subnet table', async () => {
    const text = single(false);
    const f = findings(await run(text), 'asymmetric-return-bypass');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "pub"'));
    assert.equal(f[0].fix!.edits.length, 1);
    assert.equal(
      f[0].fix!.edits[0].newText,
      '  route {\n    cidr_block           = "10.40.1.0/24"\n    network_interface_id = aws_network_interface.fw_data.id\n  }\n',
    );
    // The edit, applied, is the correct design: no finding left.
    const lines = text.split('\n');
    const e = f[0].fix!.edits[0];
    lines.splice(e.range.start.line, 0, e.newText.replace(/\n$/, ''));
    const fixed = await run(lines.join('\n'));
    assert.deepEqual(
      fixed.findings.map((x) => x.code),
      [],
    );
    assert.deepEqual(fixed.findings, (await run(single(true))).findings);
  });

  it("the NAT subnet of AZ b returns its app CIDR to AZ a's firewall: asymmetric-cross-az points the route at AZ b's interface", async () => {
    const text = design({ natReturn: RETURN_ROUTE('network_interface_id = aws_network_interface.fw["a"].id') });
    const f = findings(await run(text), 'asymmetric-cross-az');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'network_interface_id = aws_network_interface.fw["a"].id') - 2);
    assert.equal(
      f[0].fix!.title,
      'Point 10.30.1.0/24 in pub["b"] at fw["b"] (eu-west-1b), the firewall appliance fw["b"] the forward leg passes',
    );
  });

  it('app subnets sent straight to the NAT GW, replies returned through the firewall: asymmetric-return-only fixes the app table, never the NAT table (a loop)', async () => {
    const text = design({ appDefault: 'nat_gateway_id = aws_nat_gateway.nat[each.key].id' });
    const f = findings(await run(text), 'asymmetric-return-only');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "app"') + 3);
    // One route block for both AZs' tables: the finding names each AZ's table, firewall and NAT GW (F85), never app["a"]'s alone.
    assert.equal(
      f[0].fix!.title,
      'Send 0.0.0.0/0 in app["a"], app["b"] to fw["a"] (firewall appliance fw["a"]), fw["b"] (firewall appliance fw["b"]) instead of nat["a"], nat["b"]',
    );
    assert.match(f[0].message, /^Only the replies to subnet app\["a"\] \([\d.]+\), subnet app\["b"\] \([\d.]+\) are inspected/);
    assert.match(f[0].message, /by route 0\.0\.0\.0\/0 -> nat\["a"\], nat\["b"\] in app\["a"\], app\["b"\]\.$/);
  });

  it("a legacy subnet sent to the NAT GW beside the firewall design: uninspected-egress fixes the legacy table, never the NAT GW's", async () => {
    const extra = LEGACY('eu-west-1a');
    const text = design({ extra });
    const f = findings(await run(text), 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].location.range.start.line, lineOf(text, 'resource "aws_route_table" "legacy"') + 2);
    assert.equal(
      f[0].fix!.title,
      'Route 0.0.0.0/0 in legacy to firewall interface aws_network_interface.fw["a"] of aws_instance.fw["a"] (eu-west-1a) instead of nat["a"] (inspection before NAT: the firewall\'s subnet sends on to the NAT GW, whose table returns the subnet\'s CIDR to the same firewall)',
    );
  });

  it('the legacy subnet in an AZ without a firewall: the fix says so and names the firewall interfaces that exist', async () => {
    const text = design({ extra: LEGACY('eu-west-1c') });
    const f = findings(await run(text), 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(
      f[0].fix!.title,
      'Route 0.0.0.0/0 in legacy to a firewall appliance in eu-west-1c instead of nat["a"] (inspection before NAT: the firewall\'s subnet sends on to the NAT GW, whose table returns the subnet\'s CIDR to the same firewall); main has none in eu-west-1c: add one there, or use firewall interface aws_network_interface.fw["a"] of aws_instance.fw["a"] (eu-west-1a), firewall interface aws_network_interface.fw["b"] of aws_instance.fw["b"] (eu-west-1b), whose AZ the traffic then crosses into',
    );
  });
});
