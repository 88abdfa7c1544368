// F238: on AWS, PAN-OS takes a VM-Series' interface at device index 0 (its primary) as its management interface
// unless the bootstrap sets mgmt-interface-swap=enable; management forwards no traffic. A GWLB target group of type
// instance delivers to the primary interface, as does a route naming the instance; a route may also name that
// interface. Then the path reaches no enforcement point: Unknown, naming the swap or the data interfaces, never
// Protected, never a drop or a finding. Only when the whole bootstrap is in the inputs and does not swap: a bootstrap
// whose rest is known only at apply, or read from a bucket, leaves it as it was.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { panosMgmtSwap } from '../../../src/parse/vocabulary/ngfw';

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!;

// A spoke whose app subnet sends 0.0.0.0/0 to a GWLB endpoint, the endpoint's subnet to the spoke's IGW, whose edge
// route table sends the replies back through the endpoint (the distributed design).
const spoke = `
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_internet_gateway" "spoke" {
  vpc_id = aws_vpc.spoke.id
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "gwlbe" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block      = "10.1.1.0/24"
    vpc_endpoint_id = aws_vpc_endpoint.out.id
  }
}
resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.spoke.id
  route_table_id = aws_route_table.edge.id
}
resource "aws_vpc_endpoint" "out" {
  vpc_id            = aws_vpc.spoke.id
  service_name      = aws_vpc_endpoint_service.fw.service_name
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.gwlbe.id]
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.out.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table" "gwlbe" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.spoke.id
  }
}
resource "aws_route_table_association" "gwlbe" {
  subnet_id      = aws_subnet.gwlbe.id
  route_table_id = aws_route_table.gwlbe.id
}
`;

// The security VPC: a GWLB whose target group (type instance) registers one VM-Series with a data and a
// management interface; `first` says which one is at device index 0.
const security = (userData: string, first: 'data' | 'mgmt' = 'data') => `
resource "aws_vpc" "sec" {
  cidr_block = "10.100.0.0/16"
}
resource "aws_subnet" "data" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "mgmt" {
  vpc_id            = aws_vpc.sec.id
  cidr_block        = "10.100.3.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_lb" "gwlb" {
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.data.id]
}
resource "aws_lb_target_group" "fw" {
  port        = 6081
  protocol    = "GENEVE"
  vpc_id      = aws_vpc.sec.id
  target_type = "instance"
}
resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fw.arn
  }
}
resource "aws_lb_target_group_attachment" "fw" {
  target_group_arn = aws_lb_target_group.fw.arn
  target_id        = aws_instance.fw.id
}
resource "aws_vpc_endpoint_service" "fw" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}
resource "aws_network_interface" "data" {
  subnet_id         = aws_subnet.data.id
  source_dest_check = false
  tags              = { Name = "fw-data" }
}
resource "aws_network_interface" "mgmt" {
  subnet_id = aws_subnet.mgmt.id
  tags      = { Name = "fw-mgmt" }
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  user_data     = ${userData}
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.${first}.id
  }
}
resource "aws_network_interface_attachment" "second" {
  instance_id          = aws_instance.fw.id
  network_interface_id = aws_network_interface.${first === 'data' ? 'mgmt' : 'data'}.id
  device_index         = 1
}
`;

const swapped = '"mgmt-interface-swap=enable\\nplugin-op-commands=aws-gwlb-inspect:enable\\npanorama-server=10.255.0.10"';
const unswapped = '"plugin-op-commands=aws-gwlb-inspect:enable\\npanorama-server=10.255.0.10"';

describe("F238: a VM-Series' interface at device index 0 is its management interface on AWS unless swapped", function () {
  this.timeout(60000);

  describe('the bootstrap setting (panosMgmtSwap)', () => {
    it('mgmt-interface-swap=enable, or mgmt-interface-swap among the op-command-modes, swaps it', () => {
      assert.equal(panosMgmtSwap(['mgmt-interface-swap=enable;panorama-server=10.0.0.1'], false), 'on');
      assert.equal(panosMgmtSwap(['type=dhcp-client\nop-command-modes=jumbo-frame, mgmt-interface-swap\n'], false), 'on');
      assert.equal(panosMgmtSwap(['mgmt-interface-swap="enable"'], true), 'on');
    });
    it('a whole bootstrap without it, or with it disabled, does not', () => {
      assert.equal(panosMgmtSwap(['plugin-op-commands=aws-gwlb-inspect:enable\npanorama-server=10.0.0.1'], false), 'off');
      assert.equal(panosMgmtSwap(['op-command-modes=jumbo-frame'], false), 'off');
      assert.equal(panosMgmtSwap(['mgmt-interface-swap=disable;panorama-server=', ';dgname=x'], true), 'off');
    });
    it('undecided when the rest of the bootstrap may set it: values known at apply, a template value, a bucket or a secret', () => {
      assert.equal(panosMgmtSwap(['plugin-op-commands=aws-gwlb-inspect:enable;', ''], true), 'undecided');
      assert.equal(panosMgmtSwap(['panorama-server=10.0.0.1\n${value known at deploy time}'], false), 'undecided');
      assert.equal(panosMgmtSwap(['vmseries-bootstrap-aws-s3bucket=fw-boot'], false), 'undecided');
      assert.equal(panosMgmtSwap(['vmseries-bootstrap-aws-s3bucket=fw-boot;mgmt-interface-swap=disable'], false), 'undecided');
      assert.equal(panosMgmtSwap(['secret_name=fw-bootstrap'], false), 'undecided');
    });
  });

  describe('behind a GWLB target group of type instance', () => {
    it('swapped, its data interface at device index 0: inspected, Protected', async () => {
      const r = await run({ 'spoke.tf': spoke, 'security.tf': security(swapped) });
      assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected', stateOf(r, 'aws_vpc.spoke').reason);
    });

    it('the swap in op-command-modes (the init-cfg.txt form): Protected', async () => {
      const ud = '"op-command-modes=jumbo-frame,mgmt-interface-swap\\nplugin-op-commands=aws-gwlb-inspect:enable"';
      const r = await run({ 'spoke.tf': spoke, 'security.tf': security(ud) });
      assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected');
    });

    for (const first of ['data', 'mgmt'] as const)
      it(`no swap (device index 0: its ${first} interface): Unknown naming the swap, no finding`, async () => {
        const r = await run({ 'spoke.tf': spoke, 'security.tf': security(unswapped, first) });
        const e = r.egress.find((x) => x.subnet === 'aws_subnet.app')!;
        assert.equal(e.forward.outcome.kind, 'unknown');
        assert.deepEqual(e.forward.inspectedBy, []);
        const st = stateOf(r, 'aws_vpc.spoke');
        assert.equal(st.state, 'Unknown');
        assert.match(
          st.reason,
          new RegExp(
            `target group fw registers instance fw, so GWLB gwlb delivers the flow to its primary network interface \\(fw-${first}\\), which is Palo Alto VM-Series fw's management interface: its bootstrap \\(security\\.tf:\\d+\\) does not set mgmt-interface-swap=enable, so PAN-OS keeps the interface at device index 0 for management, which forwards no traffic; set mgmt-interface-swap=enable in its bootstrap, with its data interface at device index 0 and its management interface at 1`,
          ),
        );
        assert.deepEqual(r.findings, []);
      });

    it('a bootstrap known only in part (the rest at apply) or booting from a bucket: as before, Protected', async () => {
      const partial = '"plugin-op-commands=aws-gwlb-inspect:enable\\npanorama-server=${aws_vpc.sec.id}"';
      const bucket = '"vmseries-bootstrap-aws-s3bucket=fw-bootstrap\\nplugin-op-commands=aws-gwlb-inspect:enable"';
      for (const ud of [partial, bucket]) {
        const r = await run({ 'spoke.tf': spoke, 'security.tf': security(ud) });
        assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Protected', ud);
      }
    });

    it('an instance that is no VM-Series by its bootstrap: as before', async () => {
      const r = await run({ 'spoke.tf': spoke, 'security.tf': security('"#!/bin/bash\\necho hello"', 'mgmt') });
      assert.doesNotMatch(stateOf(r, 'aws_vpc.spoke').reason, /management interface/);
    });
  });

  // One VPC: the app subnet's 0.0.0.0/0 goes to the VM-Series (its management interface at device index 0, its
  // outside interface at 1 with an elastic IP in the public subnet).
  const routed = (target: string, userData: string) => `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "v" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_subnet" "mgmt" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.3.0/24"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.v.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "mgmt" {
  subnet_id      = aws_subnet.mgmt.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    ${target}
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_network_interface" "mgmt" {
  subnet_id = aws_subnet.mgmt.id
  tags      = { Name = "fw-mgmt" }
}
resource "aws_network_interface" "outside" {
  subnet_id         = aws_subnet.public.id
  source_dest_check = false
  tags              = { Name = "fw-outside" }
}
resource "aws_eip" "outside" {
  domain            = "vpc"
  network_interface = aws_network_interface.outside.id
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  user_data     = ${userData}
  network_interface {
    device_index         = 0
    network_interface_id = aws_network_interface.mgmt.id
  }
  network_interface {
    device_index         = 1
    network_interface_id = aws_network_interface.outside.id
  }
}
`;
  const dataFix = /route to a data interface \(fw-outside at device index 1\) instead/;

  describe('routed to', () => {
    it('its data interface: through the firewall, Protected', async () => {
      const r = await run({ 'main.tf': routed('network_interface_id = aws_network_interface.outside.id', unswapped) });
      assert.equal(stateOf(r, 'aws_vpc.v').state, 'Protected', stateOf(r, 'aws_vpc.v').reason);
    });

    it('its interface at device index 0 (source/destination check on): Unknown naming the data interface, not a drop', async () => {
      const r = await run({ 'main.tf': routed('network_interface_id = aws_network_interface.mgmt.id', unswapped) });
      const st = stateOf(r, 'aws_vpc.v');
      assert.equal(st.state, 'Unknown');
      assert.match(
        st.reason,
        /the route sends the packet to network interface fw-mgmt, at device index 0 of fw, which is Palo Alto VM-Series fw's management interface: its bootstrap \(main\.tf:\d+\) does not set mgmt-interface-swap=enable/,
      );
      assert.match(st.reason, dataFix);
      assert.deepEqual(r.findings, []);
    });

    it('the instance (AWS delivers to its primary interface): Unknown naming the data interface', async () => {
      const r = await run({ 'main.tf': routed('network_interface_id = aws_instance.fw.primary_network_interface_id', unswapped) });
      const viaInstance = await run({ 'main.tf': routed('instance_id = aws_instance.fw.id', unswapped) });
      for (const x of [r, viaInstance]) {
        const st = stateOf(x, 'aws_vpc.v');
        assert.equal(st.state, 'Unknown');
        assert.match(st.reason, /management interface/);
        assert.match(st.reason, dataFix);
        assert.deepEqual(x.findings, []);
      }
      assert.match(
        stateOf(viaInstance, 'aws_vpc.v').reason,
        /the route names instance fw, so AWS delivers the packet to its primary network interface \(fw-mgmt\), which is Palo Alto VM-Series fw's management interface/,
      );
    });

    it('swapped: device index 0 is a data interface, as before', async () => {
      const r = await run({ 'main.tf': routed('instance_id = aws_instance.fw.id', swapped) });
      assert.doesNotMatch(stateOf(r, 'aws_vpc.v').reason, /management interface/);
    });
  });
});
