// A FortiGate bootstrap whose policies name an address group without members (F104's root, shape written for this
// test: a one-armed FortiGate whose east-west policy names the group and whose outbound policy negates it).
// FortiOS refuses such a group, and with it the policies naming it: what runs is not what the file says, so
// the path is Unknown, and the reason says why (it was 'dstaddr-negate is enabled').
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const policies = (dst: string, groups = '') => `${groups}
config firewall policy
    edit 1
        set name "east-west"
        set srcintf "port1"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "${dst}"
        set action accept
        set schedule "always"
        set service "ALL"
        set logtraffic all
    next
    edit 2
        set name "outbound"
        set srcintf "port1"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "${dst}"
        set dstaddr-negate enable
        set action accept
        set schedule "always"
        set service "ALL"
        set logtraffic all
        set nat enable
    next
end`;

const ROUTE = `config router static
    edit 1
        set device port1
        set gateway 10.40.0.1
    next
end`;

const design = (bootstrap: string) => `
resource "aws_vpc" "sec" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.sec.id
}
locals {
  legs = { data = 0, sync = 1, mgmt = 2 }
}
resource "aws_subnet" "leg" {
  for_each   = local.legs
  vpc_id     = aws_vpc.sec.id
  cidr_block = cidrsubnet("10.40.0.0/16", 8, each.value)
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.sec.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "public" {
  for_each       = toset(["data", "mgmt"])
  subnet_id      = aws_subnet.leg[each.key].id
  route_table_id = aws_route_table.public.id
}
resource "aws_network_interface" "leg" {
  for_each          = local.legs
  subnet_id         = aws_subnet.leg[each.key].id
  source_dest_check = false
}
resource "aws_eip" "cluster" {
  network_interface = aws_network_interface.leg["data"].id
}
resource "aws_eip" "mgmt" {
  network_interface = aws_network_interface.leg["mgmt"].id
}
resource "aws_instance" "fgt" {
  ami           = "ami-0fortigate"
  instance_type = "c5.xlarge"
  user_data     = <<-EOT
${bootstrap}
EOT
  dynamic "network_interface" {
    for_each = local.legs
    content {
      device_index         = network_interface.value
      network_interface_id = aws_network_interface.leg[network_interface.key].id
    }
  }
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.sec.id
  cidr_block = "10.40.10.0/24"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.sec.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.leg["data"].id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
`;

async function run(bootstrap: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', design(bootstrap));
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

describe('a FortiOS address group without members', function () {
  this.timeout(60000);

  it('the same group with a member (a private range): decided, the negated policy covering every internet address', async () => {
    const group = `config firewall address\n    edit "spokes"\n        set subnet 10.0.0.0 255.0.0.0\n    next\nend\nconfig firewall addrgrp\n    edit "to-west"\n        set member "spokes"\n    next\nend`;
    const r = await run(`${ROUTE}\n${policies('to-west', group)}`);
    const s = r.states.find((x) => x.vpc === 'aws_vpc.sec')!;
    assert.equal(s.state, 'Monitored', s.reason);
  });

  it('an address group without members: Unknown, the reason saying FortiOS refuses it', async () => {
    const empty = `config firewall addrgrp\n    edit "to-west"\n    next\nend`;
    const r = await run(`${ROUTE}\n${policies('to-west', empty)}`);
    const s = r.states.find((x) => x.vpc === 'aws_vpc.sec')!;
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /address group "to-west" has no member \(FortiOS refuses an empty address group/);
  });
});
