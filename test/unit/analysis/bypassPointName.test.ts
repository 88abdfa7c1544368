// asymmetric-return-bypass names the inspection point a missing return route goes to by its resource, or says the
// AZ has none: never "the same-AZ GWLB endpoint" in a design without a GWLB. Our shared-TGW fixture (AWS Network
// Firewall before one NAT GW) with the NAT GW moved to an AZ where the firewall has no endpoint, and a spoke VPC of
// the inputs inside the spokes' range: its reply and the outside spokes' meet the NAT subnet's route to the TGW.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { repoRoot } from '../parse/helpers';

const FIXTURE = readFileSync(join(repoRoot(), 'test', 'fixtures', 'shared-tgw-inspection', 'main.tf'), 'utf8');

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const NAT_IN_C = `resource "aws_subnet" "public_c" {
  vpc_id            = aws_vpc.hub.id
  cidr_block        = "10.100.4.0/24"
  availability_zone = "eu-west-1c"
  tags              = { Name = "hub-public-c" }
}

resource "aws_route_table_association" "public_c" {
  subnet_id      = aws_subnet.public_c.id
  route_table_id = aws_route_table.public.id
}

resource "aws_vpc" "spoke" {
  cidr_block = "10.200.5.0/24"
  tags       = { Name = "spoke" }
}

resource "aws_subnet" "spoke" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.200.5.0/24"
  availability_zone = "eu-west-1a"
  tags              = { Name = "spoke-app" }
}

resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-rt" }
}

resource "aws_route_table_association" "spoke" {
  subnet_id      = aws_subnet.spoke.id
  route_table_id = aws_route_table.spoke.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke.id]
  tags               = { Name = "spoke-attachment" }
}
`;

describe('asymmetric-return-bypass: a missing return route names the real inspection point of its AZ', function () {
  this.timeout(60000);

  it('Network Firewall, the NAT GW in an AZ without an endpoint: that AZ is said to have none, never a GWLB endpoint', async () => {
    const text = `${FIXTURE.replace('subnet_id     = aws_subnet.public["a"].id', 'subnet_id     = aws_subnet.public_c.id')}\n${NAT_IN_C}`;
    assert.notEqual(text, `${FIXTURE}\n${NAT_IN_C}`, 'the NAT GW moved');
    const r = await run(text);
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-bypass');
    assert.equal(f.length, 1, JSON.stringify(r.findings.map((x) => x.message)));
    const fix = f[0].fix!.title;
    assert.doesNotMatch(fix, /GWLB/);
    // The spoke of the inputs: the endpoint its forward leg passed; the spokes outside: eu-west-1c has none.
    assert.match(
      fix,
      /^Route 10\.200\.5\.0\/24 to hub-firewall\/firewall\["a"\] in hub-public-rt, 10\.200\.0\.0\/16 to a firewall endpoint in eu-west-1c in hub-public-rt \(/,
    );
    assert.match(
      fix,
      /; hub-inspection has none in eu-west-1c: add one there, or use the firewall endpoint of aws_networkfirewall_firewall\.hub in aws_subnet\.firewall\["a"\] \(eu-west-1a\), the firewall endpoint of aws_networkfirewall_firewall\.hub in aws_subnet\.firewall\["b"\] \(eu-west-1b\), whose AZ the traffic then crosses into$/,
    );
  });
});
