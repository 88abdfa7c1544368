// tgw-appliance-mode-off asks appliance mode of an inspection attachment only when some flow between two other
// attachments crosses it (east-west, spoke to spokes outside the inputs), and only when the inputs decide that
// appliance mode is off. Internet egress whose replies come back through the NAT GW that translated them meets
// the same AZ's appliance both ways (field: F69 a custom resource enabling it, F70 an egress-only VPC beside an
// east-west inspection VPC, F77 spokes in other accounts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';
import { repoRoot } from '../parse/helpers';
import { variantText } from '../exampleVariant';

const read = (...p: string[]) => readFileSync(join(repoRoot(), ...p), 'utf8');
// Two spokes on one TGW table whose only route is 0.0.0.0/0 to the inspection VPC (NAT GW per AZ behind the
// firewall endpoints, 10.0.0.0/8 routed back to the TGW), appliance mode off.
const BROKEN = variantText('aws-centralized-tgw-inspection', 'main.tf', [
  {
    file: 'main.tf',
    replace: [
      'appliance_mode_support = "enable"',
      'appliance_mode_support = "disable" # the mistake: "enable" keeps both directions in one AZ',
    ],
    // A second spoke VPC on the spoke TGW table, its CIDR propagated into the firewall table.
    append: `
resource "aws_vpc" "spoke_data" {
  cidr_block = "10.2.0.0/16"
  tags       = { Name = "spoke-data" }
}

# Its data subnets hold its TGW attachment too.
resource "aws_subnet" "spoke_data" {
  for_each          = local.zones
  vpc_id            = aws_vpc.spoke_data.id
  cidr_block        = cidrsubnet(aws_vpc.spoke_data.cidr_block, 8, each.value.n)
  availability_zone = each.value.zone
  tags              = { Name = "spoke-data-\${each.key}" }
}

resource "aws_route_table" "spoke_data" {
  vpc_id = aws_vpc.spoke_data.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-data-rt" }
}

resource "aws_route_table_association" "spoke_data" {
  for_each       = local.zones
  subnet_id      = aws_subnet.spoke_data[each.key].id
  route_table_id = aws_route_table.spoke_data.id
}

resource "aws_instance" "spoke_data" {
  for_each      = local.zones
  ami           = "ami-0c02fb55956c7d316"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.spoke_data[each.key].id
  tags          = { Name = "data-\${each.key}" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke_data" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke_data.id
  subnet_ids         = [for s in aws_subnet.spoke_data : s.id]
  tags               = { Name = "spoke-data-attachment" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke_data" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke_data.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke_data" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke_data.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.firewall.id
}
`,
  },
]);
// The example: one spoke in the inputs and a table for spokes in other accounts, the same mistake.
const EXAMPLE = read('examples', 'aws-centralized-tgw-inspection-broken', 'main.tf');
const SHARED = read('test', 'fixtures', 'shared-tgw-inspection', 'main.tf');

const run = (text: string): Promise<AnalysisResult> => analyzeFiles({ 'main.tf': text });
const modeFindings = (r: AnalysisResult) =>
  r.findings.filter((f) => f.code === 'tgw-appliance-mode-off').map((f) => `${f.severity} @ ${f.elementId}`);

describe('tgw-appliance-mode-off: which flows cross the inspection attachment', function () {
  this.timeout(60000);

  it('spoke-to-spoke riding the 0.0.0.0/0 to the inspection VPC (no more specific route in the spokes table): the error', async () => {
    assert.deepEqual(modeFindings(await run(BROKEN)), ['error @ aws_ec2_transit_gateway_vpc_attachment.inspection']);
  });

  it("the example: a spoke and the spokes of other accounts riding their tables' 0.0.0.0/0 to the inspection VPC: the error", async () => {
    assert.deepEqual(modeFindings(await run(EXAMPLE)), ['error @ aws_ec2_transit_gateway_vpc_attachment.inspection']);
  });

  // F70: the spokes table sends 10.0.0.0/8 to an east-west inspection VPC and only 0.0.0.0/0 here: every flow
  // through this VPC is internet egress, whose reply returns through the NAT GW that translated it.
  const eastWestElsewhere = `
resource "aws_vpc" "east_west" {
  cidr_block = "10.9.0.0/16"
}
resource "aws_subnet" "east_west" {
  for_each          = local.zones
  vpc_id            = aws_vpc.east_west.id
  cidr_block        = cidrsubnet(aws_vpc.east_west.cidr_block, 8, each.value.n)
  availability_zone = each.value.zone
}
resource "aws_ec2_transit_gateway_vpc_attachment" "east_west" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.east_west.id
  subnet_ids             = [for s in aws_subnet.east_west : s.id]
  appliance_mode_support = "enable"
}
resource "aws_ec2_transit_gateway_route_table_association" "east_west" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.firewall.id
}
resource "aws_ec2_transit_gateway_route" "spokes_east_west" {
  destination_cidr_block         = "10.0.0.0/8"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
`;

  it('an egress-only inspection VPC behind NAT GWs, east-west sent to another VPC: quiet', async () => {
    const r = await run(BROKEN + eastWestElsewhere);
    assert.deepEqual(modeFindings(r), []);
    // Its egress is still inspected both ways, in the AZ it entered.
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')!.state, 'Protected');
  });

  it('the east-west route narrower than a spoke (10.9.0.0/16 only): spoke-to-spoke rides the 0.0.0.0/0 again, the error', async () => {
    const r = await run(BROKEN + replaceOnce(eastWestElsewhere, ['"10.0.0.0/8"', '"10.9.0.0/16"']));
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.inspection']);
  });

  // F69: appliance mode turned on by something the model does not read (here a script given the attachment's id).
  const script = `
resource "null_resource" "appliance_mode" {
  triggers = {
    attachment = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  }
  provisioner "local-exec" {
    command = "aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id \${aws_ec2_transit_gateway_vpc_attachment.inspection.id} --options ApplianceModeSupport=enable"
  }
}
`;

  it('an unmodelled resource naming the attachment may set appliance mode: not decided, no finding; the trace says why', async () => {
    const r = await run(
      replaceOnce(BROKEN, ['  appliance_mode_support = "disable" # the mistake: "enable" keeps both directions in one AZ\n', '']) + script,
    );
    assert.deepEqual(modeFindings(r), []);
    const hop = r.egress
      .flatMap((e) => e.forward.hops)
      .find((h) => h.kind === 'tgwAttachment' && h.element === 'aws_ec2_transit_gateway_vpc_attachment.inspection');
    assert.match(hop?.note ?? '', /appliance mode not known: it may be set by appliance_mode \(null_resource, main\.tf:\d+\)/);
  });

  it('an unmodelled resource that names only the VPC, not the attachment, leaves appliance mode as written: the error', async () => {
    const vpcOnly = replaceOnce(script, [
      'aws_ec2_transit_gateway_vpc_attachment.inspection.id\n  }',
      'aws_vpc.inspection.id\n  }',
    ]).replace('${aws_ec2_transit_gateway_vpc_attachment.inspection.id}', 'tgw-attach-0123');
    assert.deepEqual(modeFindings(await run(BROKEN + vpcOnly)), ['error @ aws_ec2_transit_gateway_vpc_attachment.inspection']);
  });

  // F77: the spokes attach from other accounts and are associated outside the inputs with a table whose only
  // route is 0.0.0.0/0 to the inspection attachment; the inspection VPC routes their range back to the TGW.
  const outsideSpokesTable = `
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route" "spokes_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.hub.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
`;

  it('spokes outside the inputs on a table of their own sending 0.0.0.0/0 here, their range routed back to the TGW: the error', async () => {
    // Without that table the spokes are in the default table, where their own CIDRs propagate: quiet.
    assert.deepEqual(modeFindings(await run(SHARED)), []);
    const r = await run(SHARED + outsideSpokesTable);
    assert.deepEqual(modeFindings(r), ['error @ aws_ec2_transit_gateway_vpc_attachment.hub']);
    assert.match(
      r.findings.find((f) => f.code === 'tgw-appliance-mode-off')!.message,
      /traffic between spokes outside the inputs in 10\.200\.0\.0\/16 crosses it \(TGW route table spokes sends it there/,
    );
  });

  it('the same table, but the inspection VPC routes nothing back to the TGW: no flow between attachments crosses it', async () => {
    const noBack = replaceOnce(SHARED, [
      '  transit_gateway_id     = aws_ec2_transit_gateway.hub.id\n}',
      '  nat_gateway_id         = aws_nat_gateway.hub.id\n}',
    ]);
    assert.deepEqual(modeFindings(await run(noBack + outsideSpokesTable)), []);
  });
});
