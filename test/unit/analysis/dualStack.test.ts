import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';
import { toText } from '../../../src/report/text';

// A dual-stack subnet (an IPv4 range and an IPv6 prefix) sends IPv6 by its table's IPv6 routes: a second egress
// family, traced toward an IPv6 address beside the IPv4 one. The subnet's class is the worse of the two.
describe('analysis: the IPv6 egress of dual-stack subnets', function () {
  this.timeout(60000);

  // The distributed GWLB design (inspected both ways, Protected) with app_a made dual-stack, its IPv6 routed by `v6Route`.
  function dualStackTf(v6Route: string | undefined, extra: [string, string][] = []): Record<string, string> {
    const files = exampleTfFiles('aws-distributed-egress-ok');
    files['workload.tf'] = replaceOnce(
      files['workload.tf'],
      [
        '  cidr_block           = var.workload_cidr\n',
        '  cidr_block           = var.workload_cidr\n  ipv6_ipam_pool_id    = "ipam-pool-0123456789abcdef0"\n  ipv6_cidr_block      = "2600:1f18:10:ab00::/56"\n',
      ],
      [
        '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 1)\n',
        '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 1)\n  ipv6_cidr_block   = "2600:1f18:10:ab01::/64"\n',
      ],
      [
        '    nat_gateway_id = aws_nat_gateway.nat["a"].id\n  }\n',
        `    nat_gateway_id = aws_nat_gateway.nat["a"].id\n  }\n${v6Route ?? ''}`,
      ],
      ...extra,
    );
    files['eigw.tf'] = `
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.workload.id
}
`;
    return files;
  }

  const EIGW_ROUTE = `
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
`;
  const GWLBE_ROUTE = `
  route {
    ipv6_cidr_block = "::/0"
    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id
  }
`;
  // The endpoint subnets send IPv6 on to the IGW, whose edge table returns app_a's prefix through the same endpoint.
  const V6_ONWARD: [string, string][] = [
    [
      '    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.workload.id\n  }\n',
      '    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.workload.id\n  }\n  route {\n    ipv6_cidr_block = "::/0"\n    gateway_id      = aws_internet_gateway.workload.id\n  }\n',
    ],
    [
      '    cidr_block      = aws_subnet.nat["b"].cidr_block\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_b.id\n  }\n',
      '    cidr_block      = aws_subnet.nat["b"].cidr_block\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_b.id\n  }\n  route {\n    ipv6_cidr_block = aws_subnet.app_a.ipv6_cidr_block\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id\n  }\n',
    ],
  ];

  const workload = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.workload');
  const appA = (r: AnalysisResult) => r.egress.filter((e) => e.subnet === 'aws_subnet.app_a');

  it('IPv4 inspected, IPv6 out by an egress-only IGW: the subnet is a bypass, found at the ::/0 route, fixed toward its AZ endpoint', async () => {
    const r = await analyzeFiles(dualStackTf(EIGW_ROUTE));
    const [v4, v6] = appA(r);
    assert.equal(v4.family, undefined);
    assert.equal(v4.forward.destination.ip, '8.8.8.8');
    assert.ok(v4.forward.inspectedBy.length > 0);
    assert.equal(v6.family, 6);
    assert.equal(v6.forward.id, 'aws_subnet.app_a:ipv6:forward');
    assert.equal(v6.forward.destination.ip, '2001:4860:4860::8888');
    assert.equal(v6.forward.source.ip, '2600:1f18:10:ab01::a');
    assert.deepEqual(
      v6.forward.hops.map((h) => h.kind),
      ['subnet', 'eigw', 'internet'],
    );
    // AWS takes no gateway route table on an egress-only IGW: the reply's narration must not suggest one.
    const eigwBack = v6.return?.hops.find((h) => h.kind === 'eigw');
    assert.match(eigwBack?.note ?? '', /an egress-only IGW takes no edge route table, so `local` delivers straight to the subnet/);
    assert.doesNotMatch(eigwBack?.note ?? '', /no edge route table is associated/);
    // app_b stays inspected: one bypassing subnet beside an inspected one.
    const s = workload(r);
    assert.equal(s?.state, 'Partially Protected');
    assert.match(
      s.reason,
      /^aws_subnet\.app_a \(IPv6\) reaches the internet via aws_egress_only_internet_gateway\.eigw without any enforcement point/,
    );
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.app_a#1');
    assert.deepEqual(f[0].traces, ['aws_subnet.app_a:ipv6:forward']);
    assert.match(
      f[0].message,
      /^subnet app-a \(IPv6 2600:1f18:10:ab01::a\) reaches the internet through eigw without any enforcement point \(route ::\/0 -> eigw in app-a-rt\)/,
    );
    assert.match(
      f[0].fix!.title,
      /^Route ::\/0 in app-a-rt to GWLB endpoint .*gwlbe.* \(us-east-1a\) instead of eigw \(IPv6 is not translated: the endpoint's subnet sends it on to the internet gateway, whose edge route table returns the subnet's IPv6 prefix to the same endpoint; /,
    );
    assert.doesNotMatch(f[0].fix!.title, /NAT GW/);
    // The text report counts subnets once, the paths apart.
    const subnets = new Set(r.egress.map((e) => e.subnet)).size;
    assert.ok(r.egress.length > subnets);
    assert.match(toText(r), new RegExp(`Egress paths \\(${r.egress.length} paths of ${subnets} subnets;`));
  });

  it('a VPC whose every subnet is inspected over IPv4 but leaves over IPv6 uninspected is Unprotected', async () => {
    const r = await analyzeFiles(
      dualStackTf(EIGW_ROUTE, [
        [
          '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 2)\n',
          '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 2)\n  ipv6_cidr_block   = "2600:1f18:10:ab02::/64"\n',
        ],
        ['    nat_gateway_id = aws_nat_gateway.nat["b"].id\n  }\n', `    nat_gateway_id = aws_nat_gateway.nat["b"].id\n  }\n${EIGW_ROUTE}`],
      ]),
    );
    const s = workload(r);
    assert.equal(s?.state, 'Unprotected');
    // The reason names the family and what the IPv4 path does.
    assert.match(
      s.reason,
      /\(IPv6\) reaches the internet via aws_egress_only_internet_gateway\.eigw without any enforcement point; aws_subnet\.app_a is inspected by GWLB firewall/,
    );
  });

  it('IPv6 through the GWLB endpoint and back through it: inspected both ways, the state stays Protected', async () => {
    const r = await analyzeFiles(dualStackTf(GWLBE_ROUTE, V6_ONWARD));
    const [, v6] = appA(r);
    assert.equal(v6.family, 6);
    assert.equal(v6.forward.outcome.kind, 'delivered');
    assert.ok(v6.forward.inspectedBy.length > 0);
    assert.equal(v6.return?.outcome.kind, 'delivered');
    assert.ok(v6.return.inspectedBy.length > 0);
    assert.equal(workload(r)?.state, 'Protected');
    assert.deepEqual(
      r.findings.filter((x) => x.code === 'uninspected-egress'),
      [],
    );
  });

  it('IPv6 through the endpoint whose reply comes back around it: the subnet is only partly inspected', async () => {
    const r = await analyzeFiles(dualStackTf(GWLBE_ROUTE, [V6_ONWARD[0]]));
    const [, v6] = appA(r);
    assert.equal(v6.return?.inspectedBy.length, 0);
    const s = workload(r);
    assert.equal(s?.state, 'Partially Protected');
    assert.match(s.reason, /aws_subnet\.app_a \(IPv6\)'s forward path is inspected by GWLB firewall .* but its return bypasses inspection/);
  });

  it('a dual-stack subnet whose table has no IPv6 route: one egress, the result unchanged', async () => {
    const base = await analyzeFiles(exampleTfFiles('aws-distributed-egress-ok'));
    const r = await analyzeFiles(dualStackTf(undefined));
    assert.equal(appA(r).length, 1);
    assert.deepEqual(
      r.states.map((s) => [s.vpc, s.state, s.reason]),
      base.states.map((s) => [s.vpc, s.state, s.reason]),
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      base.findings.map((f) => f.code),
    );
  });

  it('an IPv6 prefix that rests on a variable without default is not surely there: no IPv6 egress is traced', async () => {
    const files = dualStackTf(EIGW_ROUTE);
    files['workload.tf'] = replaceOnce(files['workload.tf'], [
      '  ipv6_cidr_block   = "2600:1f18:10:ab01::/64"\n',
      '  ipv6_cidr_block   = var.v6 ? "2600:1f18:10:ab01::/64" : null\n',
    ]);
    files['v6.tf'] = 'variable "v6" {\n  type = bool\n}\n';
    const r = await analyzeFiles(files);
    assert.equal(appA(r).length, 1);
    assert.equal(workload(r)?.state, 'Protected');
  });

  // kallu/aws-templates' Lambda-in-VPC design: no NAT GW, IPv6 out by an egress-only IGW (the prefix AWS assigns).
  const CFN = (subnetV6: string, extra = '') => `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
  VpcV6:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      AmazonProvidedIpv6CidrBlock: true
  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.1.0/24
${subnetV6}
  AppTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref App
      RouteTableId: !Ref AppTable
  AppV6Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppTable
      DestinationIpv6CidrBlock: ::/0
      EgressOnlyInternetGatewayId: !Ref Eigw
${extra}`;

  it('CloudFormation: a subnet with an assigned IPv6 prefix and ::/0 to an egress-only IGW is Unprotected, not No Egress', async () => {
    const r = await analyzeFiles({
      'vpc.yaml': CFN(
        `      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]
      AssignIpv6AddressOnCreation: true`,
      ),
    });
    assert.deepEqual(
      r.states.map((s) => s.state),
      ['Unprotected'],
    );
    assert.match(r.states[0].reason, /App \(IPv6\) reaches the internet via Eigw without any enforcement point/);
    const f = r.findings.filter((x) => x.code === 'uninspected-egress');
    assert.equal(f.length, 1);
    assert.match(f[0].elementId, /AppV6Default/);
    assert.match(f[0].message, /route ::\/0 -> Eigw/);
  });

  it('CloudFormation: an AWS::EC2::SubnetCidrBlock makes the subnet dual-stack; a prefix chosen by a condition does not', async () => {
    const assoc = await analyzeFiles({
      'vpc.yaml': CFN(
        '',
        `  AppV6:
    Type: AWS::EC2::SubnetCidrBlock
    Properties:
      SubnetId: !Ref App
      Ipv6CidrBlock: !Select [1, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]
`,
      ),
    });
    assert.deepEqual(
      assoc.states.map((s) => s.state),
      ['Unprotected'],
    );
    const conditional = await analyzeFiles({
      'vpc.yaml': CFN(
        `      Ipv6CidrBlock: !If [HasV6, !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]], !Ref AWS::NoValue]`,
      ).replace('Resources:', 'Conditions:\n  HasV6: !Equals [!Ref AWS::Region, us-east-1]\nResources:'),
    });
    assert.deepEqual(
      conditional.states.map((s) => s.state),
      ['No Egress'],
    );
  });

  it("IPv6 sent over a transit gateway to another VPC's egress-only IGW is dropped there: nothing translates IPv6", async () => {
    const r = await analyzeFiles({
      'main.tf': `
resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_vpc" "spoke" {
  cidr_block        = "10.1.0.0/16"
  ipv6_ipam_pool_id = "ipam-pool-0123456789abcdef0"
  ipv6_cidr_block   = "2600:1f18:20:100::/56"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.1.0/24"
  ipv6_cidr_block   = "2600:1f18:20:101::/64"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "spoke_tgw" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.spoke.id
  route {
    ipv6_cidr_block    = "::/0"
    transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke_tgw.id]
  ipv6_support       = "enable"
}
resource "aws_vpc" "egress" {
  cidr_block        = "10.0.0.0/16"
  ipv6_ipam_pool_id = "ipam-pool-0123456789abcdef0"
  ipv6_cidr_block   = "2600:1f18:20:200::/56"
}
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_subnet" "egress_tgw" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = "10.0.1.0/24"
  ipv6_cidr_block   = "2600:1f18:20:201::/64"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "egress_tgw" {
  vpc_id = aws_vpc.egress.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
}
resource "aws_route_table_association" "egress_tgw" {
  subnet_id      = aws_subnet.egress_tgw.id
  route_table_id = aws_route_table.egress_tgw.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [aws_subnet.egress_tgw.id]
  ipv6_support       = "enable"
}
resource "aws_ec2_transit_gateway_route" "v6" {
  destination_cidr_block         = "::/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.tgw.association_default_route_table_id
}
`,
    });
    const v6 = r.egress.find((e) => e.subnet === 'aws_subnet.app' && e.family === 6);
    assert.equal(v6?.forward.outcome.kind, 'dropped');
    assert.match(
      v6.forward.outcome.reason,
      /^eigw forwards IPv6 only from the addresses of egress, and this source is of spoke: IPv6 is not translated/,
    );
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')?.state, 'No Egress');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
    // What an engineer says of it: a warning on the route that hands the spoke's IPv6 to that gateway, relating the
    // spoke's own ::/0, with the whitepaper's two ways out (an egress-only IGW per spoke, or NAT66/a proxy centrally).
    const f = r.findings.filter((x) => x.code === 'ipv6-central-egress');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].elementId, 'aws_route_table.egress_tgw#0');
    assert.deepEqual(f[0].traces, ['aws_subnet.app:ipv6:forward']);
    assert.match(
      f[0].message,
      /^IPv6 from subnet app \(IPv6 2600:1f18:20:101::a\) never leaves: route ::\/0 -> eigw in egress_tgw sends it to egress-only internet gateway eigw of egress, which forwards IPv6 only from egress's own addresses/,
    );
    assert.ok(
      f[0].related.some((x) => x.message === 'spoke sends ::/0 to tgw in app'),
      JSON.stringify(f[0].related),
    );
    assert.match(
      f[0].fix!.title,
      /^Give spoke its own egress-only internet gateway and route its ::\/0 there .*or translate their IPv6 in egress before eigw \(NPTv6\/NAT66/,
    );
  });

  it('a public subnet holding a NAT GW and a host: the ::/0 to the IGW is changed in its own table, never "inspection after NAT"', async () => {
    const r = await analyzeFiles({
      'main.tf': `
resource "aws_vpc" "v" {
  cidr_block                       = "10.5.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "pub" {
  vpc_id                          = aws_vpc.v.id
  cidr_block                      = "10.5.0.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.v.ipv6_cidr_block, 8, 0)
  assign_ipv6_address_on_creation = true
  availability_zone               = "us-east-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_instance" "host" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.pub.id
  associate_public_ip_address = true
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
`,
    });
    const f = r.findings.filter((x) => x.code === 'uninspected-egress' && x.elementId === 'aws_route_table.pub#1');
    assert.equal(f.length, 1);
    assert.match(
      f[0].fix!.title,
      /^Route ::\/0 in pub to a GWLB or firewall endpoint in us-east-1a instead of igw \(IPv6 is not translated: /,
    );
    assert.doesNotMatch(f[0].fix!.title, /inspection after NAT/);
  });

  // The other routing rules see the IPv6 family too: their findings sit on the IPv6 route to change, name the family,
  // and list the IPv6 trace. A cause the two families share at one anchor (an edge table missing both replies' routes)
  // is one finding naming both.
  it('IPv6 inspected, then out by an egress-only IGW: the reply bypass is found, but no edge table is proposed for that gateway (review R10)', async () => {
    const eigwOnward: [string, string] = [
      '    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.workload.id\n  }\n',
      '    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.workload.id\n  }\n  route {\n    ipv6_cidr_block        = "::/0"\n    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id\n  }\n',
    ];
    const r = await analyzeFiles(dualStackTf(GWLBE_ROUTE, [eigwOnward]));
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-bypass' && x.traces?.includes('aws_subnet.app_a:ipv6:forward'));
    assert.equal(f.length, 1);
    assert.match(f[0].message, /egress-only IGW eigw takes no edge route table, so `local` delivers it straight to app-a/);
    assert.doesNotMatch(f[0].message, /IGW eigw has no edge route table/);
    // AWS associates gateway route tables with internet and virtual private gateways only: advice, no edit.
    assert.deepEqual(f[0].fix!.edits, []);
    assert.match(
      f[0].fix!.title,
      /^An egress-only internet gateway takes no edge route table: send the endpoint subnet's ::\/0 to internet gateway .+ instead of eigw, and route 2600:1f18:10:ab01::\/64 to gwlbe-a in that gateway's edge route table/,
    );
  });

  it("IPv6's reply comes back around the endpoint: asymmetric-return-bypass on the edge table, routing app_a's IPv6 prefix", async () => {
    const r = await analyzeFiles(dualStackTf(GWLBE_ROUTE, [V6_ONWARD[0]]));
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-bypass');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.igw_edge');
    assert.deepEqual(f[0].traces, ['aws_subnet.app_a:ipv6:forward']);
    assert.match(
      f[0].message,
      /^The reply to subnet app-a \(IPv6 2600:1f18:10:ab01::a\) is not inspected: .* has no route for 2600:1f18:10:ab01::\/64, so `local` delivers it straight to app-a/,
    );
    assert.match(f[0].fix!.title, /^Route 2600:1f18:10:ab01::\/64 to gwlbe-a in igw-edge-rt/);
    assert.match(
      f[0].fix!.edits[0].newText,
      /ipv6_cidr_block = "2600:1f18:10:ab01::\/64"\n\s+vpc_endpoint_id = aws_vpc_endpoint\.gwlbe_a\.id/,
    );
    assert.doesNotMatch(f[0].fix!.edits[0].newText, /10\.0\./);
  });

  it('the IPv4 and IPv6 replies of one subnet both missing from the edge table: one finding names both families and both routes', async () => {
    const files = dualStackTf(GWLBE_ROUTE, [V6_ONWARD[0]]);
    // The IPv4 reply to nat-a loses its edge route too.
    files['workload.tf'] = replaceOnce(files['workload.tf'], [
      '  route {\n    cidr_block      = aws_subnet.nat["a"].cidr_block\n    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id\n  }\n',
      '',
    ]);
    const r = await analyzeFiles(files);
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-bypass');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].traces, ['aws_subnet.app_a', 'aws_subnet.app_a:ipv6:forward']);
    assert.match(f[0].message, /^Replies to subnet app-a \(10\.0\.1\.15\), subnet app-a \(IPv6 2600:1f18:10:ab01::a\) are not inspected/);
    assert.match(f[0].fix!.title, /^Route 10\.0\.10\.0\/24 to gwlbe-a, 2600:1f18:10:ab01::\/64 to gwlbe-a in igw-edge-rt/);
  });

  it("IPv6's edge route names another AZ's endpoint: asymmetric-cross-az on that IPv6 route", async () => {
    const r = await analyzeFiles(
      dualStackTf(GWLBE_ROUTE, [
        V6_ONWARD[0],
        [
          V6_ONWARD[1][0],
          V6_ONWARD[1][1].replace(
            'vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id\n  }\n',
            'vpc_endpoint_id = aws_vpc_endpoint.gwlbe_b.id\n  }\n',
          ),
        ],
      ]),
    );
    const f = r.findings.filter((x) => x.code === 'asymmetric-cross-az');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.igw_edge#2');
    assert.deepEqual(f[0].traces, ['aws_subnet.app_a:ipv6:forward']);
    assert.match(
      f[0].message,
      /for subnet app-a \(IPv6 2600:1f18:10:ab01::a\): .*because route 2600:1f18:10:ab01::\/64 -> gwlbe-b in igw-edge-rt/,
    );
  });

  it('IPv6 leaves by the IGW but its reply is routed through the endpoint: asymmetric-return-only on the ::/0 route', async () => {
    const r = await analyzeFiles(
      dualStackTf(
        `
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.workload.id
  }
`,
        V6_ONWARD,
      ),
    );
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-only');
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_route_table.app_a#1');
    assert.deepEqual(f[0].traces, ['aws_subnet.app_a:ipv6:forward']);
    assert.match(f[0].message, /^Only the reply to subnet app-a \(IPv6 2600:1f18:10:ab01::a\) is inspected/);
    assert.match(f[0].fix!.title, /^Send ::\/0 in app-a-rt to gwlbe-a instead of workload-igw/);
  });

  // A prefix AWS assigns at apply (carved from the VPC's Amazon-provided block): the reply is decided on the VPC's
  // IPv6 block, which the VPC's local route holds, where every route of the tables it meets treats that block alike.
  const assigned = (files: Record<string, string>): Record<string, string> => {
    files['workload.tf'] = replaceOnce(
      files['workload.tf'],
      [
        '  ipv6_ipam_pool_id    = "ipam-pool-0123456789abcdef0"\n  ipv6_cidr_block      = "2600:1f18:10:ab00::/56"\n',
        '  assign_generated_ipv6_cidr_block = true\n',
      ],
      ['  ipv6_cidr_block   = "2600:1f18:10:ab01::/64"\n', '  ipv6_cidr_block   = cidrsubnet(aws_vpc.workload.ipv6_cidr_block, 8, 1)\n'],
    );
    return files;
  };

  it("an assigned prefix whose reply the edge table leaves to `local`: decided (was Unknown), the fix routes the subnet's ipv6_cidr_block", async () => {
    const r = await analyzeFiles(assigned(dualStackTf(GWLBE_ROUTE, [V6_ONWARD[0]])));
    const [, v6] = appA(r);
    assert.equal(v6.forward.source.ip, '<IPv6 address of app-a>');
    assert.equal(v6.return?.outcome.kind, 'delivered');
    assert.deepEqual(
      v6.return.hops.map((h) => h.kind),
      ['internet', 'igw', 'subnet'],
    );
    assert.equal(workload(r)?.state, 'Partially Protected');
    const f = r.findings.filter((x) => x.code === 'asymmetric-return-bypass');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /^The reply to subnet app-a \(IPv6\) is not inspected: .* has no route for app-a's IPv6 prefix/);
    assert.match(f[0].fix!.edits[0].newText, /ipv6_cidr_block = aws_subnet\.app_a\.ipv6_cidr_block\n/);
  });

  it('an assigned prefix the edge table routes by a destination not known offline stays Unknown, naming that route', async () => {
    const files = assigned(dualStackTf(GWLBE_ROUTE, V6_ONWARD));
    files['workload.tf'] = replaceOnce(files['workload.tf'], [
      '    ipv6_cidr_block = aws_subnet.app_a.ipv6_cidr_block\n',
      '    ipv6_cidr_block = cidrsubnet(aws_vpc.workload.ipv6_cidr_block, 8, 1)\n',
    ]);
    const r = await analyzeFiles(files);
    const [, v6] = appA(r);
    assert.equal(v6.return?.outcome.kind, 'unknown');
    assert.match(v6.return.outcome.reason, /route table igw-edge-rt: route .* has a destination not known offline/);
    assert.equal(workload(r)?.state, 'Unknown');
    assert.deepEqual(
      r.findings.filter((x) => x.code === 'asymmetric-return-bypass'),
      [],
    );
  });

  // F134: a route to the subnet's own IPv6 prefix, written as its attribute (Terraform `aws_subnet.x.ipv6_cidr_block`,
  // CloudFormation `!Select [0, !GetAtt X.Ipv6CidrBlocks]`), holds that subnet's addresses though AWS assigns them.
  it("an assigned prefix the IGW edge table routes back by the subnet's own ipv6_cidr_block: the reply is inspected (Protected)", async () => {
    const r = await analyzeFiles(assigned(dualStackTf(GWLBE_ROUTE, V6_ONWARD)));
    const [, v6] = appA(r);
    assert.equal(v6.return?.outcome.kind, 'delivered');
    assert.ok(v6.return.inspectedBy.length > 0);
    assert.equal(v6.return.hops[1].decision?.destination, 'aws_subnet.app_a.ipv6_cidr_block');
    assert.equal(workload(r)?.state, 'Protected');
    // Another subnet's prefix in the same table holds none of app_a's addresses.
    const files = assigned(dualStackTf(GWLBE_ROUTE, V6_ONWARD));
    files['workload.tf'] = replaceOnce(
      files['workload.tf'],
      ['    ipv6_cidr_block = aws_subnet.app_a.ipv6_cidr_block\n', '    ipv6_cidr_block = aws_subnet.app_b.ipv6_cidr_block\n'],
      [
        '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 2)\n',
        '  cidr_block        = cidrsubnet(var.workload_cidr, 8, 2)\n  ipv6_cidr_block   = cidrsubnet(aws_vpc.workload.ipv6_cidr_block, 8, 2)\n',
      ],
    );
    const other = await analyzeFiles(files);
    const [, o6] = appA(other);
    assert.equal(o6.return?.outcome.kind, 'delivered');
    assert.equal(o6.return.inspectedBy.length, 0);
  });

  it("CloudFormation: a route to !Select [0, !GetAtt Subnet.Ipv6CidrBlocks] names that subnet's prefix", async () => {
    const r = await analyzeFiles({
      'vpc.yaml': CFN(
        `      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]`,
        `  Back:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppTable
      DestinationIpv6CidrBlock: !Select [0, !GetAtt App.Ipv6CidrBlocks]
      EgressOnlyInternetGatewayId: !Ref Eigw
`,
      ),
    });
    const t = r.model.elements.find((e) => e.kind === 'routeTable' && e.id.endsWith('#AppTable'));
    const route = t?.kind === 'routeTable' ? t.routes.find((x) => x.id.endsWith('#Back')) : undefined;
    const d = route && 'cidr' in route.destination ? route.destination.cidr : undefined;
    assert.ok(d && typeof d === 'object' && d.prefixOf?.endsWith('#App'), JSON.stringify(d));
  });

  // Review R12: the centralized inspection example made dual-stack, the spokes' IPv6 sent over the TGW to instances of
  // the inspection VPC (source/destination check off) that forward it to its IGW: the rule's own fix (NPTv6/NAT66
  // instances in the egress VPC). Whether they translate is their configuration: Unknown, and no warning.
  function centralV6(v6Target: string): Record<string, string> {
    const files = exampleTfFiles('aws-centralized-tgw-inspection');
    files['main.tf'] = replaceOnce(
      files['main.tf'],
      ['  cidr_block = "10.1.0.0/16"\n', '  cidr_block = "10.1.0.0/16"\n  ipv6_cidr_block = "2600:1f18:aaaa:bb00::/56"\n'],
      [
        '  cidr_block        = cidrsubnet(aws_vpc.spoke.cidr_block, 8, each.value.n)\n',
        '  cidr_block        = cidrsubnet(aws_vpc.spoke.cidr_block, 8, each.value.n)\n  ipv6_cidr_block   = cidrsubnet("2600:1f18:aaaa:bb00::/56", 8, each.value.n)\n',
      ],
      [
        '  vpc_id = aws_vpc.spoke.id\n  route {\n',
        '  vpc_id = aws_vpc.spoke.id\n  route {\n    ipv6_cidr_block    = "::/0"\n    transit_gateway_id = aws_ec2_transit_gateway.hub.id\n  }\n  route {\n',
      ],
      ['  cidr_block = "100.64.0.0/16"\n', '  cidr_block = "100.64.0.0/16"\n  ipv6_cidr_block = "2600:1f18:cccc:dd00::/56"\n'],
      [
        '  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 8, 10 + each.value.n)\n',
        '  cidr_block        = cidrsubnet(aws_vpc.inspection.cidr_block, 8, 10 + each.value.n)\n  ipv6_cidr_block   = cidrsubnet("2600:1f18:cccc:dd00::/56", 8, 10 + each.value.n)\n',
      ],
      [
        '# TGW subnets: everything from the spokes to the firewall endpoint of the same AZ.\nresource "aws_route_table" "inspection_tgw" {\n  for_each = local.zones\n  vpc_id   = aws_vpc.inspection.id\n',
        `# TGW subnets: everything from the spokes to the firewall endpoint of the same AZ.\nresource "aws_route_table" "inspection_tgw" {\n  for_each = local.zones\n  vpc_id   = aws_vpc.inspection.id\n  route {\n    ipv6_cidr_block = "::/0"\n    ${v6Target}\n  }\n`,
      ],
    );
    files['v6.tf'] = `
resource "aws_ec2_transit_gateway_route" "spoke_default6" {
  destination_cidr_block         = "::/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
resource "aws_route" "public6" {
  for_each                    = local.zones
  route_table_id              = aws_route_table.public[each.key].id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.inspection.id
}
resource "aws_instance" "nat66" {
  for_each          = local.zones
  ami               = "ami-0123456789abcdef0"
  instance_type     = "t3.small"
  subnet_id         = aws_subnet.public[each.key].id
  source_dest_check = false
  tags              = { Name = "nat66-\${each.key}" }
}
`;
    return files;
  }

  it('central IPv6 egress through forwarding instances of the egress VPC (NPTv6/NAT66): Unknown naming them, no ipv6-central-egress', async () => {
    const r = await analyzeFiles(centralV6('network_interface_id = aws_instance.nat66[each.key].primary_network_interface_id'));
    const v6 = r.egress.filter((e) => e.vpc === 'aws_vpc.spoke' && e.family === 6);
    assert.equal(v6.length, 2);
    for (const e of v6) {
      assert.equal(e.forward.outcome.kind, 'unknown', JSON.stringify(e.forward.outcome));
      assert.equal(e.forward.outcome.cause, 'beyond-inputs');
      assert.match(
        e.forward.outcome.reason,
        /^inspection-igw forwards IPv6 only from the addresses of inspection, and this source is of spoke-app: nat66-[ab] forwarded it there and may translate IPv6 \(NPTv6\/NAT66\) to an address of inspection, which its configuration decides: whether it leaves is not known offline$/,
      );
    }
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'ipv6-central-egress'),
      [],
    );
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')?.state, 'Unknown');
  });

  it('central IPv6 egress inspected by the Network Firewall, then out the egress VPC IGW: dropped and the warning fires (a managed firewall translates nothing, review s15 R14)', async () => {
    const files = centralV6(
      'vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.central.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)',
    );
    files['v6.tf'] += `
resource "aws_route" "firewall6" {
  for_each                    = local.zones
  route_table_id              = aws_route_table.firewall[each.key].id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.inspection.id
}
`;
    const r = await analyzeFiles(files);
    const v6 = r.egress.filter((e) => e.vpc === 'aws_vpc.spoke' && e.family === 6);
    assert.equal(v6.length, 2);
    for (const e of v6) {
      assert.ok(
        e.forward.hops.some((h) => h.kind === 'firewall'),
        e.forward.hops.map((h) => h.kind).join(' > '),
      );
      assert.equal(e.forward.outcome.kind === 'dropped' && e.forward.outcome.cause, 'ipv6-other-vpc', JSON.stringify(e.forward.outcome));
    }
    assert.equal(r.findings.filter((f) => f.code === 'ipv6-central-egress').length, 1);
  });

  it('central IPv6 egress handed straight to the egress VPC IGW (no instance on the way): still dropped, the warning fires', async () => {
    const r = await analyzeFiles(centralV6('gateway_id      = aws_internet_gateway.inspection.id'));
    const v6 = r.egress.filter((e) => e.vpc === 'aws_vpc.spoke' && e.family === 6);
    assert.equal(v6.length, 2);
    for (const e of v6) assert.equal(e.forward.outcome.kind === 'dropped' && e.forward.outcome.cause, 'ipv6-other-vpc');
    assert.equal(r.findings.filter((f) => f.code === 'ipv6-central-egress').length, 1);
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.spoke')?.state, 'Protected');
  });
});
