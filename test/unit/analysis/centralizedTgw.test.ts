// Centralized inspection through a transit gateway (issue 15 §3, §4): the inspection VPC example and its
// broken twin, TGW route propagation on the return leg, a firewall attached to the TGW natively, and the
// egress VPC that only carries other VPCs' egress.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText } from '../exampleVariant';

const EXAMPLES = join(__dirname, '../../../../examples');
const example = (name: string) => readFileSync(join(EXAMPLES, name, 'main.tf'), 'utf8');
// The broken twin (examples/aws-centralized-tgw-inspection-broken): appliance mode off on the inspection
// attachment, so the TGW keeps each direction of a flow in the AZ it arrived from (east-west between AZs:
// firewall a one way, b the other).
const brokenTwin = () => example('aws-centralized-tgw-inspection-broken');
/** A file's text without its comments: what Terraform reads. */
const code = (text: string) =>
  text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .map((l) => l.replace(/\s+#.*$/, ''))
    .join('\n');

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const stateOf = (r: AnalysisResult, vpc: string) => r.states.find((s) => s.vpc === vpc)!.state;

describe('centralized inspection through a transit gateway', function () {
  this.timeout(60000);

  it('aws-centralized-tgw-inspection: no finding; both legs pass the same AZ firewall; the reply follows the propagated spoke CIDR', async () => {
    const r = await run(example('aws-centralized-tgw-inspection'));
    assert.deepEqual(r.findings, []);
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Protected');
    assert.equal(stateOf(r, 'aws_vpc.inspection'), 'Inspection');
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.spoke_app["a"]', 'aws_subnet.spoke_app["b"]'],
    );
    for (const az of ['a', 'b']) {
      const eg = r.egress.find((e) => e.subnet === `aws_subnet.spoke_app["${az}"]`)!;
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [
          { kind: 'network-firewall', element: 'aws_networkfirewall_firewall.central', az: `us-east-1${az}` },
        ]);
      }
      assert.deepEqual(
        eg.forward.hops.map((h) => h.kind),
        ['subnet', 'tgw', 'tgwAttachment', 'gwlbe', 'firewall', 'gwlbe', 'natgw', 'igw', 'internet'],
      );
      const tgwBack = eg.return!.hops.find((h) => h.kind === 'tgw')!;
      assert.match(tgwBack.decision!.route!, /#propagated:aws_ec2_transit_gateway_vpc_attachment\.spoke:10\.1\.0\.0\/16$/);
      assert.match(tgwBack.note, /propagated route 10\.1\.0\.0\/16 -> spoke-attachment in TGW route table firewall-tgw-rt/);
    }
  });

  it('a spoke whose only subnets hold its TGW attachment, with no instance in the inputs, is traced from them (not No Egress)', async () => {
    const ex = example('aws-centralized-tgw-inspection');
    const block = (header: string) => {
      const at = ex.indexOf(header);
      assert.ok(at >= 0, header);
      return ex.slice(at, ex.indexOf('\n}\n', at) + 3);
    };
    // The attachment placed in the app subnets, and neither the dedicated TGW subnets nor the app instances.
    const text = variantText('aws-centralized-tgw-inspection', 'main.tf', [
      { file: 'main.tf', replace: [block('resource "aws_subnet" "spoke_tgw"'), ''] },
      { file: 'main.tf', replace: [block('resource "aws_route_table_association" "spoke_tgw"'), ''] },
      { file: 'main.tf', replace: [block('resource "aws_instance" "app"'), ''] },
      {
        file: 'main.tf',
        replace: [
          'subnet_ids         = [for s in aws_subnet.spoke_tgw : s.id]',
          'subnet_ids         = [for s in aws_subnet.spoke_app : s.id]',
        ],
      },
    ]);
    const r = await run(text);
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Protected');
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.spoke_app["a"]', 'aws_subnet.spoke_app["b"]'],
    );
    assert.deepEqual(r.findings, []);
  });

  it('without the propagation the firewall route table has no route back to the spoke: the reply is dropped there', async () => {
    const text = example('aws-centralized-tgw-inspection').replace(
      /resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" \{[^}]*\}/,
      '',
    );
    assert.ok(!text.includes('aws_ec2_transit_gateway_route_table_propagation'));
    const r = await run(text);
    const back = r.egress[0].return!;
    assert.equal(back.outcome.kind, 'dropped');
    assert.match(back.outcome.kind === 'dropped' ? back.outcome.reason : '', /firewall-tgw-rt|no route/);
  });

  it('the -broken folder is the example with appliance mode off and a route table for spokes in other accounts, nothing else', () => {
    const twin = variantText('aws-centralized-tgw-inspection', 'main.tf', [
      { file: 'main.tf', replace: ['appliance_mode_support = "enable"', 'appliance_mode_support = "disable"'] },
    ]);
    // The shared spokes' resources are all named shared_spokes*.
    const blocks = code(brokenTwin()).split(/\n(?=resource )/);
    const second = blocks.filter((b) => /^resource "[a-z0-9_]+" "shared_spokes/.test(b));
    assert.deepEqual(
      second.map((b) => b.split('"')[1]),
      ['aws_ec2_transit_gateway_route_table', 'aws_ec2_transit_gateway_route'],
    );
    const strip = (t: string) => t.replace(/\n+/g, '\n');
    assert.equal(strip(blocks.filter((b) => !second.includes(b)).join('\n')), strip(code(twin)));
  });

  it('-broken: appliance mode off on the inspection attachment is exactly tgw-appliance-mode-off, and its fix clears it', async () => {
    const text = brokenTwin();
    const r = await run(text);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.severity} @ ${f.elementId}`),
      ['tgw-appliance-mode-off error @ aws_ec2_transit_gateway_vpc_attachment.inspection'],
    );
    // The flow it names: spoke-app to the spokes of other accounts rides the spoke table's 0.0.0.0/0 through the
    // inspection VPC, which routes their range back to the TGW.
    assert.match(
      r.findings[0].message,
      /traffic from spoke-attachment to 10\.0\.0\.0\/8 \(spokes outside the inputs\) crosses it \(TGW route table spoke-tgw-rt/,
    );
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Protected');
    const edit = r.findings[0].fix!.edits[0];
    const lines = text.split('\n');
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    const fixed = await run(lines.join('\n'));
    assert.deepEqual(fixed.findings, []);
  });

  // Appliance mode off and east-west between two spokes through the inspection VPC (the broken twin), but both
  // directions of every flow meet the same firewall whatever AZ the TGW picks: the error's claim would be false
  // (designs seen with one firewall instance or one Network Firewall subnet).
  const broken = {
    file: 'main.tf',
    replace: ['appliance_mode_support = "enable"', 'appliance_mode_support = "disable"'] as [string, string],
  };
  const appliancesModeFindings = (r: AnalysisResult) => r.findings.filter((f) => f.code === 'tgw-appliance-mode-off');

  it('egress only (one spoke, its replies pinned by the NAT GW that translated them): quiet', async () => {
    const text = variantText('aws-centralized-tgw-inspection', 'main.tf', [broken]);
    assert.deepEqual(appliancesModeFindings(await run(text)), []);
  });

  it('is quiet when the inspection VPC has one firewall endpoint that every TGW subnet routes to', async () => {
    const endpointOf = (zone: string) =>
      `element([for ss in aws_networkfirewall_firewall.central.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[${zone}].id], 0)`;
    const text = variantText('aws-centralized-tgw-inspection-broken', 'main.tf', [
      { file: 'main.tf', replace: ['for_each = aws_subnet.firewall\n', 'for_each = { a = aws_subnet.firewall["a"] }\n'] },
      {
        file: 'main.tf',
        replace: [
          `"0.0.0.0/0"\n    vpc_endpoint_id = ${endpointOf('each.key')}`,
          `"0.0.0.0/0"\n    vpc_endpoint_id = ${endpointOf('"a"')}`,
        ],
      },
      {
        file: 'main.tf',
        replace: [
          `local.spokes\n    vpc_endpoint_id = ${endpointOf('each.key')}`,
          `local.spokes\n    vpc_endpoint_id = ${endpointOf('"a"')}`,
        ],
      },
    ]);
    const r = await run(text);
    assert.equal(r.model.elements.filter((e) => e.kind === 'gwlbe').length, 1, 'one firewall endpoint');
    assert.deepEqual(appliancesModeFindings(r), []);
    // With the second endpoint back (the broken twin), the same attachment is the error again.
    assert.equal(appliancesModeFindings(await run(brokenTwin())).length, 1);
  });

  it('is quiet when the inspection attachment has a subnet in one AZ only', async () => {
    const text = variantText('aws-centralized-tgw-inspection-broken', 'main.tf', [
      {
        file: 'main.tf',
        replace: [
          'subnet_ids             = [for s in aws_subnet.inspection_tgw : s.id]',
          'subnet_ids             = [aws_subnet.inspection_tgw["a"].id]',
        ],
      },
    ]);
    assert.deepEqual(appliancesModeFindings(await run(text)), []);
  });
});

// A firewall attached to the TGW natively (no inspection VPC of ours), and a NAT-only egress VPC.
const attached = (policy: string) => `
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "spoke_tgw" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.250.0/28"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.spoke.id
}
resource "aws_vpc" "egress" {
  cidr_block = "100.64.0.0/16"
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "egress_tgw" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "100.64.0.0/28"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "100.64.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_nat_gateway" "egress" {
  subnet_id = aws_subnet.public.id
}
resource "aws_route_table" "egress_tgw" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress.id
  }
}
resource "aws_route_table_association" "egress_tgw" {
  subnet_id      = aws_subnet.egress_tgw.id
  route_table_id = aws_route_table.egress_tgw.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke_tgw.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.egress.id
  subnet_ids             = [aws_subnet.egress_tgw.id]
  appliance_mode_support = "enable"
}
${policy}
resource "aws_networkfirewall_firewall" "tgw" {
  name                = "tgw-firewall"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.p.arn
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  availability_zone_mapping {
    availability_zone_id = "use1-az1"
  }
}
locals {
  firewall_attachment = aws_networkfirewall_firewall.tgw.firewall_status[0].transit_gateway_attachment_sync_states[0].attachment_id
}
resource "aws_ec2_transit_gateway_route_table" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
resource "aws_ec2_transit_gateway_route" "spoke_to_firewall" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = local.firewall_attachment
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
resource "aws_ec2_transit_gateway_route_table" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
resource "aws_ec2_transit_gateway_route" "egress_to_firewall" {
  destination_cidr_block         = "10.0.0.0/8"
  transit_gateway_attachment_id  = local.firewall_attachment
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
resource "aws_ec2_transit_gateway_route_table" "inspected" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "firewall" {
  transit_gateway_attachment_id  = local.firewall_attachment
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}
resource "aws_ec2_transit_gateway_route" "inspected_out" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}
`;

const dropPolicy = `
resource "aws_networkfirewall_firewall_policy" "p" {
  name = "tgw-policy"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_strict"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
  }
}`;

describe('AWS Network Firewall attached to a transit gateway', function () {
  this.timeout(60000);

  it('a TGW route to the firewall is a hop to an enforcement point; it hands the flow back to the TGW table its attachment is associated with', async () => {
    const r = await run(attached(dropPolicy));
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.app')!;
    for (const leg of [eg.forward, eg.return!]) {
      assert.deepEqual(leg.outcome, { kind: 'delivered' });
      assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: 'aws_networkfirewall_firewall.tgw' }]);
    }
    assert.deepEqual(
      eg.forward.hops.map((h) => `${h.kind} ${h.name}`),
      [
        'subnet app',
        'tgw hub',
        'firewall tgw-firewall',
        'tgw hub',
        'tgwAttachment egress',
        'natgw egress',
        'igw egress',
        'internet internet',
      ],
    );
    assert.equal(stateOf(r, 'aws_vpc.spoke'), 'Protected');
    assert.match(
      r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.reason,
      /policy aws_networkfirewall_firewall_policy\.p .*default drop \(aws:drop_strict\)/,
    );
    assert.deepEqual(r.findings, []);
  });

  it('the egress VPC holding only a NAT GW, an IGW and TGW subnets is an Egress hub (not No Egress, not scored)', async () => {
    const r = await run(attached(dropPolicy));
    const hub = r.states.find((s) => s.vpc === 'aws_vpc.egress')!;
    assert.equal(hub.state, 'Egress hub');
    assert.match(hub.reason, /holds no workload, only NAT gateway aws_nat_gateway\.egress, internet gateway aws_internet_gateway\.egress/);
    assert.equal(r.score.counted, 1);
    // A workload in the egress VPC makes it a VPC of its own again, judged by its paths. (An empty subnet routed
    // straight to the IGW like the NAT GW's is the hub's plumbing, not a workload: before the F31 field finding
    // the empty subnet alone made the VPC Unprotected; the host in it does now.)
    const ops = `
resource "aws_subnet" "ops" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "100.64.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table_association" "ops" {
  subnet_id      = aws_subnet.ops.id
  route_table_id = aws_route_table.public.id
}
`;
    assert.equal(stateOf(await run(attached(dropPolicy) + ops), 'aws_vpc.egress'), 'Egress hub');
    const withVm = await run(
      attached(dropPolicy) +
        ops +
        `
resource "aws_instance" "ops" {
  ami                         = "ami-0abc1234"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.ops.id
  associate_public_ip_address = true
}
`,
    );
    assert.equal(stateOf(withVm, 'aws_vpc.egress'), 'Unprotected');
  });

  it('a route to the firewall from a table the firewall is associated with would loop: a loop, not an endless walk', async () => {
    const r = await run(
      attached(dropPolicy).replace(
        'transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id',
        'transit_gateway_attachment_id  = local.firewall_attachment\n  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id',
      ),
    );
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.app')!;
    assert.deepEqual(eg.forward.outcome, { kind: 'loop', at: 'aws_networkfirewall_firewall.tgw' });
  });
});
