// A FortiGate instance with four interfaces (F97's shape, written for this test): outside and management both
// hold an elastic IP, so "the one interface with a public IP" cannot say which one internet-bound traffic leaves
// by. Its bootstrap's default route names the port; FortiGate-VM numbers its ports in the instance's interface
// order (port N is the interface at device index N-1), so the routes pick the interface.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const bootstrap = (routes: string) => `config system interface
    edit port1
        set mode static
        set ip 10.30.0.10 255.255.255.0
    next
    edit port2
        set mode static
        set ip 10.30.1.10 255.255.255.0
    next
end
${routes}
config firewall policy
    edit 1
        set name "out"
        set srcintf "port2"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set service "ALL"
        set logtraffic all
        set nat enable
    next
    edit 2
        set name "to-management"
        set srcintf "port2"
        set dstintf "port4"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
    next
end
`;

const defaultVia = (port: string) => `config router static
    edit 1
        set device ${port}
        set gateway 10.30.0.1
    next
end`;

const design = (routes: string) => `
resource "aws_vpc" "fw" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.fw.id
}
locals {
  legs = { outside = 0, inside = 1, sync = 2, admin = 3 }
}
resource "aws_subnet" "leg" {
  for_each   = local.legs
  vpc_id     = aws_vpc.fw.id
  cidr_block = cidrsubnet("10.30.0.0/16", 8, each.value)
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "public" {
  for_each       = toset(["outside", "admin"])
  subnet_id      = aws_subnet.leg[each.key].id
  route_table_id = aws_route_table.public.id
}
resource "aws_network_interface" "leg" {
  for_each          = local.legs
  subnet_id         = aws_subnet.leg[each.key].id
  source_dest_check = false
}
resource "aws_eip" "outside" {
  network_interface = aws_network_interface.leg["outside"].id
}
resource "aws_eip" "admin" {
  network_interface = aws_network_interface.leg["admin"].id
}
resource "aws_instance" "fgt" {
  ami           = "ami-0fortigate"
  instance_type = "c5.xlarge"
  user_data     = <<-EOT
${bootstrap(routes)}
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
  vpc_id     = aws_vpc.fw.id
  cidr_block = "10.30.10.0/24"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.leg["inside"].id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
`;

async function run(routes: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', design(routes));
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const appPath = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'aws_subnet.app');

describe('a FortiGate with several public interfaces: its bootstrap routes pick the one internet traffic leaves by', function () {
  this.timeout(60000);

  it('the default route over port1 leaves by the interface at device index 0, and the port1 policy decides', async () => {
    const r = await run(defaultVia('port1'));
    const p = appPath(r);
    assert.ok(p, 'the app subnet is traced');
    const fgt = p.forward.hops.find((h) => h.element === 'aws_instance.fgt');
    assert.ok(fgt, JSON.stringify(p.forward.hops.map((h) => h.element)));
    assert.match(
      fgt.note,
      /forwards out of leg\["outside"\] \(its bootstrap's routes: internet-bound traffic leaves by port1.*port1 is its interface at device index 0\)/,
    );
    const vpc = r.states.find((s) => s.vpc === 'aws_vpc.fw');
    assert.equal(vpc?.state, 'Monitored', vpc?.reason);
  });

  it('a default route over port4 leaves by the management interface (device index 3), where the policy lets only HTTPS out', async () => {
    const r = await run(defaultVia('port4'));
    const fgt = appPath(r)?.forward.hops.find((h) => h.element === 'aws_instance.fgt');
    assert.match(fgt?.note ?? '', /forwards out of leg\["admin"\]/);
    // HTTPS to every destination, the rest denied: services limited, destinations not (review s16 R5).
    const vpc = r.states.find((s) => s.vpc === 'aws_vpc.fw');
    assert.equal(vpc?.state, 'Partially Protected', vpc?.reason);
    assert.match(vpc?.reason ?? '', /policy 2 "to-management" .* accepts tcp\/443 to every internet destination/);
  });

  it('without routes in the bootstrap the interface is not decided: Unknown, naming the candidates', async () => {
    const r = await run('');
    const vpc = r.states.find((s) => s.vpc === 'aws_vpc.fw');
    assert.equal(vpc?.state, 'Unknown', vpc?.reason);
    assert.match(vpc?.reason ?? '', /by its own routing, which is not in the inputs: it can forward out of/);
  });
});

// F104's shape (written for this test): a one-armed FortiGate whose data port receives the spokes' traffic and
// sends it back out (policy port1 -> port1, default route over port1), with a management port holding an elastic
// IP of its own as well. The one other interface with an EIP is not where internet traffic leaves.
const oneArmed = `
resource "aws_vpc" "fw" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.fw.id
}
resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.fw.id
  cidr_block = "10.40.0.0/24"
}
resource "aws_subnet" "mgmt" {
  vpc_id     = aws_vpc.fw.id
  cidr_block = "10.40.1.0/24"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "data" {
  subnet_id      = aws_subnet.data.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.public.id
}
resource "aws_network_interface" "data" {
  subnet_id         = aws_subnet.data.id
  source_dest_check = false
}
resource "aws_network_interface" "mgmt" {
  subnet_id         = aws_subnet.mgmt.id
  source_dest_check = false
}
resource "aws_eip" "cluster" {
  network_interface = aws_network_interface.data.id
}
resource "aws_eip" "mgmt" {
  network_interface = aws_network_interface.mgmt.id
}
resource "aws_instance" "fgt" {
  ami           = "ami-0fortigate"
  instance_type = "c5.xlarge"
  user_data     = <<-EOT
config system interface
    edit port1
        set mode static
        set ip 10.40.0.10 255.255.255.0
    next
    edit port2
        set mode static
        set ip 10.40.1.10 255.255.255.0
    next
end
config router static
    edit 1
        set device port1
        set gateway 10.40.0.1
    next
end
config firewall policy
    edit 1
        set name "south-north"
        set srcintf "port1"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set service "ALL"
        set logtraffic all
        set nat enable
    next
end
EOT
  primary_network_interface {
    network_interface_id = aws_network_interface.data.id
  }
}
resource "aws_network_interface_attachment" "mgmt" {
  instance_id          = aws_instance.fgt.id
  network_interface_id = aws_network_interface.mgmt.id
  device_index         = 1
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.fw.id
  cidr_block = "10.40.10.0/24"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.fw.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.data.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
`;

describe('a one-armed FortiGate whose management port has an elastic IP too (F104)', function () {
  this.timeout(60000);

  it('leaves by the port its bootstrap routes name, the one the traffic came in by, not by the management port', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', oneArmed);
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    const p = appPath(r);
    assert.ok(p, 'the app subnet is traced');
    const fgt = p.forward.hops.find((h) => h.element === 'aws_instance.fgt');
    assert.match(fgt?.note ?? '', /forwards out of data \(its bootstrap's routes: .*port1 is its interface at device index 0\)/, fgt?.note);
    assert.doesNotMatch(fgt?.note ?? '', /mgmt/);
    assert.equal(p.forward.outcome.kind, 'delivered');
    assert.equal(p.return?.outcome.kind, 'delivered');
    const vpc = r.states.find((s) => s.vpc === 'aws_vpc.fw');
    assert.equal(vpc?.state, 'Monitored', vpc?.reason);
  });
});

// F178's shape (written for this test): a FortiGate whose inside port (port2) forwards with its source/dest check
// off, and whose outside port (port1) keeps the check on but holds an elastic IP. Its bootstrap writes no firewall
// policy (one made by hand after boot), takes port1's DHCP default route and turns port2's off. The jump subnet and
// port2's own subnet send 0.0.0.0/0 to port2: going back out of port2 would be a loop; it leaves by port1, translated.
const insideOnly = (port2DefaultGw: string) => `
resource "aws_vpc" "mgmt" {
  cidr_block = "10.50.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.mgmt.id
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.mgmt.id
  cidr_block = "10.50.1.0/24"
}
resource "aws_subnet" "inside" {
  vpc_id     = aws_vpc.mgmt.id
  cidr_block = "10.50.64.0/24"
}
resource "aws_subnet" "jump" {
  vpc_id     = aws_vpc.mgmt.id
  cidr_block = "10.50.65.0/24"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.mgmt.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "inside" {
  vpc_id = aws_vpc.mgmt.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_network_interface.port2.id
  }
}
resource "aws_route_table_association" "inside" {
  subnet_id      = aws_subnet.inside.id
  route_table_id = aws_route_table.inside.id
}
resource "aws_route_table_association" "jump" {
  subnet_id      = aws_subnet.jump.id
  route_table_id = aws_route_table.inside.id
}
resource "aws_network_interface" "port1" {
  subnet_id = aws_subnet.public.id
}
resource "aws_network_interface" "port2" {
  subnet_id         = aws_subnet.inside.id
  source_dest_check = false
}
resource "aws_eip" "port1" {
  network_interface = aws_network_interface.port1.id
}
resource "aws_instance" "fgt" {
  ami           = "ami-0fortigate"
  instance_type = "c5.large"
  user_data     = <<-EOT
config system interface
    edit port1
        set mode dhcp
    next
    edit port2
        set mode dhcp
${port2DefaultGw}
    next
end
config router static
    edit 1
        set dst 10.50.65.0 255.255.255.0
        set gateway 10.50.64.1
        set device "port2"
    next
end
EOT
  network_interface {
    network_interface_id = aws_network_interface.port1.id
    device_index         = 0
  }
  network_interface {
    network_interface_id = aws_network_interface.port2.id
    device_index         = 1
  }
}
resource "aws_instance" "jumphost" {
  ami           = "ami-0windows"
  instance_type = "t3.small"
  subnet_id     = aws_subnet.jump.id
}
`;

describe('a FortiGate whose outside port keeps its source/dest check on (F178)', function () {
  this.timeout(60000);

  async function runInside(port2DefaultGw: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('main.tf', insideOnly(port2DefaultGw));
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it("leaves by port1's elastic IP when its routes name port1: no routing loop, the jump subnet Protected", async () => {
    const r = await runInside('        set defaultgw disable');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'routing-loop').map((f) => f.message),
      [],
    );
    const p = r.egress.find((e) => e.subnet === 'aws_subnet.jump');
    const fgt = p?.forward.hops.find((h) => h.element === 'aws_instance.fgt');
    assert.match(fgt?.note ?? '', /forwards out of port1 \(its bootstrap's routes: internet-bound traffic leaves by port1/);
    assert.match(fgt?.note ?? '', /translates 10\.50\.65\.\d+ -> 10\.50\.1\.\d+/);
    assert.equal(p?.forward.outcome.kind, 'delivered');
    const vpc = r.states.find((s) => s.vpc === 'aws_vpc.mgmt');
    assert.equal(vpc?.state, 'Protected', vpc?.reason);
  });

  it('when both ports learn a default route its routes do not decide, and port1 is not picked for them', async () => {
    const r = await runInside('');
    const p = r.egress.find((e) => e.subnet === 'aws_subnet.jump');
    const fgt = p?.forward.hops.find((h) => h.element === 'aws_instance.fgt');
    assert.ok(fgt, 'the jump subnet reaches the FortiGate');
    assert.doesNotMatch(fgt.note, /its bootstrap's routes/);
  });
});
