// A VPC with nothing of its own to send and a NAT GW or an IGW is an Egress hub only when other VPCs' egress
// leaves through it (F78): a traced path of another VPC does, a TGW route of the inputs sends other VPCs' traffic
// to its attachment, or its NAT GW's table routes other ranges back to a transit gateway (spokes in other
// accounts). Without any of it nothing egresses from it: No Egress, or Unknown when its NAT GW's table is not
// decided. And a spoke whose only subnets hold its TGW attachment stays a source when its subnets' route table
// association is undecided (F88): Unknown, naming that association, never No Egress.
import { strict as assert } from 'node:assert';
import type { AnalysisResult } from '../../../src/analysis/types';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';

const stateOf = (r: AnalysisResult, vpc: string) => {
  const s = r.states.find((x) => x.vpc === vpc);
  assert.ok(s, `no state for ${vpc}: ${r.states.map((x) => x.vpc).join(', ')}`);
  return s;
};

// The egress VPC: an IGW, a public subnet holding the NAT GW (0.0.0.0/0 -> IGW, and the spokes' range back to
// the TGW), and an attachment subnet (0.0.0.0/0 -> NAT GW). `tgw` names the transit gateway.
const egressVpc = (tgw: string, back = '10.10.0.0/16') => `
resource "aws_vpc" "egress" {
  cidr_block = "10.99.0.0/16"
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "10.99.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_nat_gateway" "egress" {
  subnet_id = aws_subnet.public.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = "${back}"
    transit_gateway_id = ${tgw}
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_subnet" "attach" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "10.99.250.0/28"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "attach" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress.id
  }
}
resource "aws_route_table_association" "attach" {
  subnet_id      = aws_subnet.attach.id
  route_table_id = aws_route_table.attach.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = ${tgw}
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [aws_subnet.attach.id]
}
`;

// A spoke whose only subnet holds its TGW attachment (0.0.0.0/0 -> TGW), a TGW with a table for the spoke
// (0.0.0.0/0 -> the egress attachment) and one for the egress VPC (the spoke's range back), and the egress VPC.
const estate = `
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_vpc" "spoke" {
  cidr_block = "10.10.0.0/16"
}
resource "aws_subnet" "spoke" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.10.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "spoke" {
  subnet_id      = aws_subnet.spoke.id
  route_table_id = aws_route_table.spoke.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke.id]
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route" "spokes_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
resource "aws_ec2_transit_gateway_route" "egress_back" {
  destination_cidr_block         = "10.10.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.egress.id
}
${egressVpc('aws_ec2_transit_gateway.hub.id')}`;

describe('analysis: an Egress hub is one other VPCs egress through (F78), and an undecided spoke is Unknown (F88)', function () {
  this.timeout(60000);

  it("the spoke's traced path leaves through the egress VPC's NAT GW: Egress hub, saying so; the spoke is traced from its attachment subnet", async () => {
    const r = await analyzeFiles({ 'main.tf': estate });
    const hub = stateOf(r, 'aws_vpc.egress');
    assert.equal(hub.state, 'Egress hub', hub.reason);
    assert.match(hub.reason, /\(the path from aws_subnet\.spoke leaves through aws_nat_gateway\.egress\)/);
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'Unprotected');
  });

  it('a NAT GW and an IGW nobody egresses through, in a VPC with no workload: No Egress, not an Egress hub', async () => {
    // The egress VPC alone, attached to no TGW: its NAT GW's subnet is all it has.
    const alone = egressVpc('var.tgw_id', '10.10.0.0/16');
    const cut = alone.indexOf('resource "aws_subnet" "attach"');
    const text = replaceOnce(alone.slice(0, cut), [
      `  route {
    cidr_block         = "10.10.0.0/16"
    transit_gateway_id = var.tgw_id
  }
`,
      '',
    ]);
    assert.doesNotMatch(text, /transit_gateway/);
    const r = await analyzeFiles({ 'main.tf': text });
    const hub = stateOf(r, 'aws_vpc.egress');
    assert.equal(hub.state, 'No Egress', hub.reason);
    assert.match(
      hub.reason,
      /holds no workload, only NAT gateway aws_nat_gateway\.egress, internet gateway aws_internet_gateway\.egress and the subnets they use, and no other VPC's egress leaves through them/,
    );
    assert.equal(r.score.counted, 0);
    // A host in the NAT GW's subnet is the VPC's own source again: Unprotected.
    const r2 = await analyzeFiles({
      'main.tf': `${text}\nresource "aws_instance" "probe" {\n  subnet_id = aws_subnet.public.id\n  associate_public_ip_address = true\n}\n`,
    });
    assert.equal(stateOf(r2, 'aws_vpc.egress').state, 'Unprotected');
  });

  it("a TGW route sends other VPCs' traffic to its attachment, though no traced path gets there: Egress hub, naming the route", async () => {
    // The spoke's own table sends the internet nowhere: its path stops in the spoke.
    const r = await analyzeFiles({
      'main.tf': replaceOnce(estate, [
        `  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "spoke" {`,
        `}
resource "aws_route_table_association" "spoke" {`,
      ]),
    });
    assert.equal(stateOf(r, 'aws_vpc.spoke').state, 'No Egress');
    const hub = stateOf(r, 'aws_vpc.egress');
    assert.equal(hub.state, 'Egress hub', hub.reason);
    assert.match(
      hub.reason,
      /transit gateway route 0\.0\.0\.0\/0 in aws_ec2_transit_gateway_route_table\.spokes \(main\.tf:\d+\) sends other VPCs' traffic to its attachment aws_ec2_transit_gateway_vpc_attachment\.egress/,
    );
  });

  it("spokes in other accounts: the egress VPC alone, its NAT GW's table routing their range back to a TGW not in the inputs: Egress hub", async () => {
    const files = { 'main.tf': `variable "tgw_id" {}\n${egressVpc('var.tgw_id', '10.0.0.0/8')}` };
    const r = await analyzeFiles(files);
    const hub = stateOf(r, 'aws_vpc.egress');
    assert.equal(hub.state, 'Egress hub', hub.reason);
    assert.match(
      hub.reason,
      /route 10\.0\.0\.0\/8 -> transit gateway in aws_route_table\.public \(main\.tf:\d+\), the table of aws_nat_gateway\.egress, sends replies back/,
    );
    // The spokes' range as a variable: still a range the VPC sends back to the TGW.
    const r2 = await analyzeFiles({
      'main.tf': `variable "tgw_id" {}\nvariable "spokes" {}\n${egressVpc('var.tgw_id', '${var.spokes}')}`,
    });
    assert.equal(stateOf(r2, 'aws_vpc.egress').state, 'Egress hub');
    // Only its own range, or only a default route, to the TGW: not the return leg of anyone's egress.
    for (const back of ['10.99.0.0/16', '0.0.0.0/0']) {
      const r3 = await analyzeFiles({ 'main.tf': `variable "tgw_id" {}\n${egressVpc('var.tgw_id', back)}` });
      assert.equal(stateOf(r3, 'aws_vpc.egress').state, 'No Egress', back);
    }
  });

  it("nothing else decides it and the NAT GW's subnet's table is undecided: Unknown, naming the association", async () => {
    // Attached to a TGW of another account; the table that decides for the NAT GW's subnet is not known.
    const text = replaceOnce(`variable "tgw_id" {}\n${egressVpc('var.tgw_id', '10.10.0.0/16')}`, [
      `resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id`,
      `variable "public_subnet" {}
resource "aws_route_table_association" "public" {
  subnet_id      = var.public_subnet`,
    ]);
    const r = await analyzeFiles({ 'main.tf': text });
    const hub = stateOf(r, 'aws_vpc.egress');
    assert.equal(hub.state, 'Unknown', hub.reason);
    assert.match(
      hub.reason,
      /whether aws_vpc\.egress carries other VPCs' egress cannot be decided: route table association aws_route_table_association\.public/,
    );
  });

  it("F88: the spoke's only subnet holds its attachment and its association's subnet_id is undecided: Unknown naming the association, not No Egress", async () => {
    const text = replaceOnce(estate, [
      `resource "aws_route_table_association" "spoke" {
  subnet_id      = aws_subnet.spoke.id`,
      `variable "spoke_subnet" {}
resource "aws_route_table_association" "spoke" {
  subnet_id      = var.spoke_subnet`,
    ]);
    const r = await analyzeFiles({ 'main.tf': text });
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.spoke'],
    );
    const spoke = stateOf(r, 'aws_vpc.spoke');
    assert.equal(spoke.state, 'Unknown', spoke.reason);
    assert.match(spoke.reason, /aws_route_table_association\.spoke .*var\.spoke_subnet/);
    // The egress VPC is still the hub the TGW sends the spokes' traffic to.
    assert.equal(stateOf(r, 'aws_vpc.egress').state, 'Egress hub');
  });
});
