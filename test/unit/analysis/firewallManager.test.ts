import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

// A firewall VM (three interfaces, the data ones forwarding) and its manager launched into the firewall's
// management subnet, whose table goes straight to the IGW (the FTDv + FMCv single-AZ designs). The manager is
// the firewall's management plane: not a workload whose egress escapes inspection, and not an enforcement
// point even when its interface has the check off. Only where the inputs say it is a manager.
describe('a firewall manager in the firewall management subnet', function () {
  this.timeout(60000);

  const vpc = (manager: { ami: string; name: string; check?: boolean }) => `
resource "aws_vpc" "fw" {
  cidr_block = "172.20.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.fw.id
}
resource "aws_subnet" "mgmt" {
  vpc_id            = aws_vpc.fw.id
  cidr_block        = "172.20.0.0/24"
  availability_zone = "eu-central-1a"
}
resource "aws_subnet" "outside" {
  vpc_id            = aws_vpc.fw.id
  cidr_block        = "172.20.1.0/24"
  availability_zone = "eu-central-1a"
}
resource "aws_subnet" "inside" {
  vpc_id            = aws_vpc.fw.id
  cidr_block        = "172.20.2.0/24"
  availability_zone = "eu-central-1a"
}
resource "aws_route_table" "outside" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.outside.id
}
resource "aws_route_table_association" "outside" {
  subnet_id      = aws_subnet.outside.id
  route_table_id = aws_route_table.outside.id
}
resource "aws_route_table" "inside" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.ftd_inside.id
  }
}
resource "aws_route_table_association" "inside" {
  subnet_id      = aws_subnet.inside.id
  route_table_id = aws_route_table.inside.id
}
resource "aws_network_interface" "ftd_mgmt" {
  subnet_id   = aws_subnet.mgmt.id
  private_ips = ["172.20.0.10"]
}
resource "aws_network_interface" "ftd_outside" {
  subnet_id         = aws_subnet.outside.id
  source_dest_check = false
}
resource "aws_network_interface" "ftd_inside" {
  subnet_id         = aws_subnet.inside.id
  source_dest_check = false
}
resource "aws_eip" "ftd_outside" {
  domain            = "vpc"
  network_interface = aws_network_interface.ftd_outside.id
}
resource "aws_instance" "ftd" {
  ami           = "ami-0aaaaaaaaaaaaaaaa"
  instance_type = "c5.xlarge"
  network_interface {
    network_interface_id = aws_network_interface.ftd_mgmt.id
    device_index         = 0
  }
  network_interface {
    network_interface_id = aws_network_interface.ftd_outside.id
    device_index         = 1
  }
  network_interface {
    network_interface_id = aws_network_interface.ftd_inside.id
    device_index         = 2
  }
}
variable "manager_version" {
  default = "fmcv-7.4.1"
}
data "aws_ami" "manager" {
  owners = ["aws-marketplace"]
  filter {
    name   = "name"
    values = ["\${var.manager_version}*"]
  }
}
resource "aws_network_interface" "manager" {
  subnet_id         = aws_subnet.mgmt.id
  private_ips       = ["172.20.0.50"]
  source_dest_check = ${manager.check ?? true}
}
resource "aws_eip" "manager" {
  domain            = "vpc"
  network_interface = aws_network_interface.manager.id
}
resource "aws_instance" "manager" {
  ami           = ${manager.ami}
  instance_type = "c5.4xlarge"
  network_interface {
    network_interface_id = aws_network_interface.manager.id
    device_index         = 0
  }
  tags = {
    Name = "${manager.name}"
  }
}
`;

  async function run(text: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const state = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.fw')!;

  it("recognised by its image filter: the management subnet is the firewall's, no finding, the VPC is Inspection", async () => {
    const r = await run(vpc({ ami: 'data.aws_ami.manager.id', name: 'manager' }));
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress').map((f) => f.message),
      [],
    );
    assert.ok(!r.egress.some((e) => e.subnet === 'aws_subnet.mgmt'));
    assert.equal(state(r).state, 'Inspection');
    assert.doesNotMatch(state(r).reason, /manager/);
  });

  it('recognised by its Name tag, with its interface check off: still no enforcement point', async () => {
    const r = await run(vpc({ ami: '"ami-0bbbbbbbbbbbbbbbb"', name: 'Cisco FMCv', check: false }));
    assert.equal(state(r).state, 'Inspection');
    assert.match(state(r).reason, /holds only enforcement points \(aws_instance\.ftd\)/);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
  });

  it('a firewall VM by its bootstrap is a firewall whatever its Name tag says', async () => {
    const text = vpc({ ami: '"ami-0bbbbbbbbbbbbbbbb"', name: 'fw-managed-by-panorama', check: false }).replace(
      '  instance_type = "c5.4xlarge"',
      '  instance_type = "c5.4xlarge"\n  user_data     = "panorama-server=10.9.0.4\\nplugin-op-commands=aws-gwlb-inspect:enable"',
    );
    const r = await run(text);
    assert.match(state(r).reason, /holds only enforcement points \(aws_instance\.ftd, aws_instance\.manager\)/);
  });

  it('an instance the inputs do not call a manager stays a workload in that subnet', async () => {
    const r = await run(vpc({ ami: '"ami-0bbbbbbbbbbbbbbbb"', name: 'reporting' }));
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.mgmt']);
    assert.match(f[0].fix!.title, /^Move the workload to a subnet whose egress is inspected/);
  });
});
