// F302: a GWLB `ip` target group whose targets are `aws_network_interface.X.private_ip` of ENIs that write their address
// as the one entry of `private_ips` (F5 SSL Orchestrator's BIG-IP external interfaces): the provider reports that entry
// as the ENI's `private_ip`, so the targets are known offline and each AZ has its appliance. Several `private_ips`
// (a set) leave the primary undecided; an enabled `private_ip_list` is ordered and its first entry is primary.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const OK = exampleTfFiles('aws-distributed-egress-ok');

const INSTANCE_TARGETS = `resource "aws_instance" "firewall" {
  count = 2

  ami           = var.firewall_ami
  instance_type = "c6i.large"
  subnet_id     = local.fw_subnet_ids[count.index]
  private_ip    = cidrhost(local.fw_subnet_cidrs[count.index], 10)

  tags = {
    Name   = "fortigate-\${count.index}"
    Vendor = "fortinet"
  }
}

resource "aws_lb_target_group_attachment" "firewall" {
  count = 2

  target_group_arn = aws_lb_target_group.firewall.arn
  target_id        = aws_instance.firewall[count.index].id
}
`;

/** The example with its appliances registered by the address of an ENI that writes `addresses` (one line of HCL). */
function ipTargets(addresses: string): Record<string, string> {
  const enis = `resource "aws_network_interface" "fw_data" {
  count = 2

  subnet_id         = local.fw_subnet_ids[count.index]
  ${addresses}
  source_dest_check = false
}

resource "aws_instance" "firewall" {
  count = 2

  ami           = var.firewall_ami
  instance_type = "c6i.large"

  network_interface {
    network_interface_id = aws_network_interface.fw_data[count.index].id
    device_index         = 0
  }

  tags = {
    Name   = "fortigate-\${count.index}"
    Vendor = "fortinet"
  }
}

locals {
  appliance_addresses = { a = aws_network_interface.fw_data[0].private_ip, b = aws_network_interface.fw_data[1].private_ip }
}

resource "aws_lb_target_group_attachment" "firewall" {
  for_each = local.appliance_addresses

  target_group_arn = aws_lb_target_group.firewall.arn
  target_id        = each.value
}
`;
  const inspection = replaceOnce(OK['inspection.tf'], [INSTANCE_TARGETS, enis], ['target_type = "instance"', 'target_type = "ip"']);
  return { ...OK, 'inspection.tf': inspection };
}

const scored = (r: AnalysisResult) => {
  const out = r.states.filter((s) => s.state !== 'Inspection');
  assert.ok(out.length > 0, JSON.stringify(r.states));
  return out;
};

describe('an ENI address written as its one private_ips entry (F302)', function () {
  this.timeout(60000);

  it('one private_ips entry: the ip targets are known and each AZ has its appliance, as with instance targets', async () => {
    const r = await analyzeFiles(ipTargets('private_ips       = [cidrhost(local.fw_subnet_cidrs[count.index], 11)]'));
    for (const s of scored(r)) assert.equal(s.state, 'Protected', s.reason);
  });

  it('an enabled private_ip_list: its first entry is the primary address', async () => {
    const r = await analyzeFiles(
      ipTargets(
        'private_ip_list_enabled = true\n  private_ip_list = [cidrhost(local.fw_subnet_cidrs[count.index], 11), cidrhost(local.fw_subnet_cidrs[count.index], 12)]',
      ),
    );
    for (const s of scored(r)) assert.equal(s.state, 'Protected', s.reason);
  });

  it('two private_ips entries (a set): which is primary is not decided, the paths stay Unknown', async () => {
    const r = await analyzeFiles(
      ipTargets('private_ips       = [cidrhost(local.fw_subnet_cidrs[count.index], 11), cidrhost(local.fw_subnet_cidrs[count.index], 12)]'),
    );
    for (const s of scored(r)) assert.equal(s.state, 'Unknown', s.reason);
  });
});
