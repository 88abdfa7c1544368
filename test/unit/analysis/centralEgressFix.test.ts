import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';

// A spoke VPC of a central egress design: its private table sends 0.0.0.0/0 to the transit gateway (an egress or
// inspection VPC sits behind it), while one public subnet still leaves by the spoke's own internet gateway. The
// fix joins that subnet to the central path; it does not build a NAT GW and an endpoint inside the spoke.
describe('uninspected-egress in a spoke whose other subnets leave through a transit gateway', function () {
  this.timeout(60000);

  const spoke = (extra = '') => `
resource "aws_vpc" "client" { cidr_block = "172.16.0.0/24" }
resource "aws_internet_gateway" "client" { vpc_id = aws_vpc.client.id }
resource "aws_ec2_transit_gateway" "shared" {}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.client.id
  cidr_block        = "172.16.0.32/28"
  availability_zone = "ap-northeast-2a"
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.client.id
  cidr_block        = "172.16.0.48/28"
  availability_zone = "ap-northeast-2c"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "client" {
  transit_gateway_id = aws_ec2_transit_gateway.shared.id
  vpc_id             = aws_vpc.client.id
  subnet_ids         = [aws_subnet.private.id]
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.client.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.shared.id
  }
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.client.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.client.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
${extra}`;

  const uninspected = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'uninspected-egress');

  it('the fix routes the public subnet to the transit gateway as the private table does', async () => {
    // The attachment has a subnet in the public subnet's AZ.
    const f = uninspected(await analyzeFiles({ 'main.tf': spoke().replace('"ap-northeast-2c"', '"ap-northeast-2a"') }));
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.public']);
    const fix = f[0].fix?.title ?? '';
    assert.match(fix, /^Route 0\.0\.0\.0\/0 in public to the transit gateway instead of .*, as private does \(the VPC's central egress/);
    assert.doesNotMatch(fix, /through a NAT GW/);
  });

  it('when the attachment has no subnet in the AZ of the subnet, the fix adds one first (that AZ cannot reach the transit gateway)', async () => {
    const f = uninspected(await analyzeFiles({ 'main.tf': spoke() }));
    assert.equal(f.length, 1);
    assert.match(
      f[0].fix?.title ?? '',
      /^First add a subnet of ap-northeast-2c to .*client .*cannot reach the transit gateway\), then route 0\.0\.0\.0\/0 in public to the transit gateway/,
    );
  });

  it('a spoke with a GWLB endpoint of its own keeps the advice that names that endpoint', async () => {
    const f = uninspected(
      await analyzeFiles({
        'main.tf': spoke(`
resource "aws_subnet" "gwlbe" {
  vpc_id            = aws_vpc.client.id
  cidr_block        = "172.16.0.64/28"
  availability_zone = "ap-northeast-2c"
}
resource "aws_vpc_endpoint" "gwlbe" {
  vpc_id            = aws_vpc.client.id
  vpc_endpoint_type = "GatewayLoadBalancer"
  service_name      = "com.amazonaws.vpce.ap-northeast-2.vpce-svc-0123456789abcdef0"
  subnet_ids        = [aws_subnet.gwlbe.id]
}`),
      }),
    );
    const fix = f.find((x) => x.traces?.includes('aws_subnet.public'))?.fix?.title ?? '';
    assert.match(fix, /GWLB endpoint aws_vpc_endpoint\.gwlbe/);
    assert.doesNotMatch(fix, /transit gateway/);
  });

  it('without a table to the transit gateway the generic advice stays', async () => {
    const src = spoke().replace(
      'transit_gateway_id = aws_ec2_transit_gateway.shared.id\n  }',
      'gateway_id = aws_internet_gateway.client.id\n  }',
    );
    const f = uninspected(await analyzeFiles({ 'main.tf': src }));
    assert.ok(f.length >= 1);
    for (const x of f) assert.doesNotMatch(x.fix?.title ?? '', /transit gateway/);
  });
});
