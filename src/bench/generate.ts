// Synthetic estates for the benchmark: N workload VPCs in the distributed egress design (docs/domain.md)
// (2-3 AZs, app/NAT/endpoint subnet per AZ, NAT GW and GWLB endpoint per AZ, IGW with an edge route
// table), ~20 routes per table, and a share of deliberate mistakes. Written as Terraform (one file
// per VPC plus a shared inspection file) or as AWS CLI describe-* JSON (one set of files per account
// of 100 VPCs, as `aws ec2 describe-*` prints them). Deterministic for a given N.

export type EstateFormat = 'terraform' | 'aws-cli';

export interface EstateFile {
  file: string;
  text: string;
}

/** Which mistake VPC i carries, if any: about 1 in 8 VPCs is broken. */
export type Defect = 'none' | 'no-edge-table' | 'cross-az-return' | 'direct-igw';
export function defectOf(i: number): Defect {
  if (i % 10 === 3) return 'no-edge-table';
  if (i % 20 === 7) return 'cross-az-return';
  if (i % 40 === 11) return 'direct-igw';
  return 'none';
}

const REGION = 'us-east-1';
const AZ_LETTERS = ['a', 'b', 'c'];
/** Routes besides the default route: corporate prefixes toward the transit gateway. */
const EXTRA_ROUTES = 18;
const VPCS_PER_ACCOUNT = 100;

export function azCount(i: number): number {
  return i % 2 === 0 ? 3 : 2;
}

function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** VPC i owns a /22 inside 10.0.0.0/8 (room for 16,384 VPCs); its subnets are /26. */
function vpcBase(i: number): number {
  return ((10 << 24) >>> 0) + i * 1024;
}
function vpcCidr(i: number): string {
  return `${ipv4(vpcBase(i))}/22`;
}
/** Subnet k of VPC i: k = 3*az + {0 app, 1 nat, 2 endpoint}. */
function subnetCidr(i: number, k: number): string {
  return `${ipv4(vpcBase(i) + k * 64)}/26`;
}
function corporatePrefix(j: number): string {
  return `172.${16 + (j >> 4)}.${(j & 15) * 16}.0/20`;
}

function pad(i: number): string {
  return String(i).padStart(5, '0');
}

function hex(i: number, salt: number, len = 17): string {
  // A provider-looking id, unique per (i, salt): ids need not look random, only be distinct.
  return ((salt * 1_000_003 + i) >>> 0).toString(16).padStart(len, '0').slice(-len);
}

// ---------- Terraform ---------------------------------------------------------------------------

function tfInspection(): string {
  return `# Shared inspection (provider) VPC: GWLB, firewall targets, endpoint service, transit gateway.
resource "aws_vpc" "inspection" {
  cidr_block = "100.64.0.0/22"
  tags = { Name = "inspection" }
}

resource "aws_subnet" "fw_a" {
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = "100.64.0.0/26"
  availability_zone = "${REGION}a"
}

resource "aws_subnet" "fw_b" {
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = "100.64.0.64/26"
  availability_zone = "${REGION}b"
}

resource "aws_lb" "gwlb" {
  name               = "fw-gwlb"
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.fw_a.id, aws_subnet.fw_b.id]
}

resource "aws_lb_target_group" "fw" {
  name        = "fw"
  port        = 6081
  protocol    = "GENEVE"
  vpc_id      = aws_vpc.inspection.id
  target_type = "instance"
}

resource "aws_lb_listener" "gwlb" {
  load_balancer_arn = aws_lb.gwlb.id
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.fw.id
  }
}

resource "aws_instance" "fw_a" {
  ami           = "ami-0fortigate"
  instance_type = "c6i.large"
  subnet_id     = aws_subnet.fw_a.id
}

resource "aws_lb_target_group_attachment" "fw_a" {
  target_group_arn = aws_lb_target_group.fw.arn
  target_id        = aws_instance.fw_a.id
}

resource "aws_vpc_endpoint_service" "fw" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.gwlb.arn]
}

resource "aws_ec2_transit_gateway" "core" {
  description = "core"
}
`;
}

function tfRouteTable(name: string, v: string, defaultTarget: string, extra: string[] = []): string {
  const routes = [
    `  route {\n    cidr_block = "0.0.0.0/0"\n    ${defaultTarget}\n  }`,
    ...extra,
    ...Array.from(
      { length: EXTRA_ROUTES },
      (_, j) =>
        `  route {\n    cidr_block         = "${corporatePrefix(j)}"\n    transit_gateway_id = aws_ec2_transit_gateway.core.id\n  }`,
    ),
  ];
  return `resource "aws_route_table" "${name}" {\n  vpc_id = aws_vpc.${v}.id\n${routes.join('\n')}\n  tags = { Name = "${name}" }\n}\n`;
}

/** One workload VPC in Terraform; exported for the incremental benchmark (edit one file). */
export function tfVpc(i: number, routeTweak = 0): string {
  const v = `v${pad(i)}`;
  const azs = AZ_LETTERS.slice(0, azCount(i));
  const defect = defectOf(i);
  const out: string[] = [];
  out.push(`resource "aws_vpc" "${v}" {\n  cidr_block = "${vpcCidr(i)}"\n  tags = { Name = "${v}" }\n}\n`);
  out.push(`resource "aws_internet_gateway" "${v}" {\n  vpc_id = aws_vpc.${v}.id\n}\n`);
  azs.forEach((az, a) => {
    const kinds: [string, number][] = [
      ['app', 0],
      ['nat', 1],
      ['ep', 2],
    ];
    for (const [kind, k] of kinds) {
      out.push(
        `resource "aws_subnet" "${v}_${kind}_${az}" {\n  vpc_id            = aws_vpc.${v}.id\n  cidr_block        = "${subnetCidr(i, 3 * a + k)}"\n  availability_zone = "${REGION}${az}"\n  tags = { Name = "${v}-${kind}-${az}" }\n}\n`,
      );
    }
    out.push(`resource "aws_eip" "${v}_${az}" {\n  domain = "vpc"\n}\n`);
    out.push(
      `resource "aws_nat_gateway" "${v}_${az}" {\n  subnet_id     = aws_subnet.${v}_nat_${az}.id\n  allocation_id = aws_eip.${v}_${az}.id\n}\n`,
    );
    out.push(
      `resource "aws_vpc_endpoint" "${v}_${az}" {\n  vpc_id            = aws_vpc.${v}.id\n  service_name      = aws_vpc_endpoint_service.fw.service_name\n  vpc_endpoint_type = "GatewayLoadBalancer"\n  subnet_ids        = [aws_subnet.${v}_ep_${az}.id]\n}\n`,
    );
    const appTarget =
      defect === 'direct-igw' && a === 0 ? `gateway_id = aws_internet_gateway.${v}.id` : `nat_gateway_id = aws_nat_gateway.${v}_${az}.id`;
    const tweak =
      routeTweak && a === 0
        ? [
            `  route {\n    cidr_block         = "192.168.${routeTweak & 255}.0/24"\n    transit_gateway_id = aws_ec2_transit_gateway.core.id\n  }`,
          ]
        : [];
    out.push(tfRouteTable(`${v}_app_${az}`, v, appTarget, tweak));
    out.push(tfRouteTable(`${v}_nat_${az}`, v, `vpc_endpoint_id = aws_vpc_endpoint.${v}_${az}.id`));
    out.push(tfRouteTable(`${v}_ep_${az}`, v, `gateway_id = aws_internet_gateway.${v}.id`));
    for (const kind of ['app', 'nat', 'ep']) {
      out.push(
        `resource "aws_route_table_association" "${v}_${kind}_${az}" {\n  subnet_id      = aws_subnet.${v}_${kind}_${az}.id\n  route_table_id = aws_route_table.${v}_${kind}_${az}.id\n}\n`,
      );
    }
  });
  // The IGW edge table sends each NAT subnet back through its own AZ's endpoint.
  const edge = azs.map((az, a) => {
    const via = defect === 'cross-az-return' && a === 1 ? azs[0] : az;
    return `  route {\n    cidr_block      = "${subnetCidr(i, 3 * a + 1)}"\n    vpc_endpoint_id = aws_vpc_endpoint.${v}_${via}.id\n  }`;
  });
  out.push(`resource "aws_route_table" "${v}_edge" {\n  vpc_id = aws_vpc.${v}.id\n${edge.join('\n')}\n}\n`);
  if (defect !== 'no-edge-table') {
    out.push(
      `resource "aws_route_table_association" "${v}_edge" {\n  gateway_id     = aws_internet_gateway.${v}.id\n  route_table_id = aws_route_table.${v}_edge.id\n}\n`,
    );
  }
  return out.join('\n');
}

// ---------- AWS CLI JSON ------------------------------------------------------------------------

interface Ids {
  vpc: string;
  igw: string;
  subnet(a: number, k: number): string;
  nat(a: number): string;
  vpce(a: number): string;
  rtb(a: number, k: number): string;
  edge: string;
}

function ids(i: number): Ids {
  return {
    vpc: `vpc-${hex(i, 1)}`,
    igw: `igw-${hex(i, 2)}`,
    subnet: (a, k) => `subnet-${hex(i * 16 + a * 3 + k, 3)}`,
    nat: (a) => `nat-${hex(i * 4 + a, 4)}`,
    vpce: (a) => `vpce-${hex(i * 4 + a, 5)}`,
    rtb: (a, k) => `rtb-${hex(i * 16 + a * 3 + k, 6)}`,
    edge: `rtb-${hex(i, 7)}`,
  };
}

const TGW = 'tgw-0c0ffee0c0ffee000';
const ACCOUNT = (acct: number) => String(100000000000 + acct);

function cliRoutes(def: Record<string, string>, extra: Record<string, string>[] = []): Record<string, string>[] {
  return [
    { DestinationCidrBlock: '0.0.0.0/0', ...def, Origin: 'CreateRoute', State: 'active' },
    ...extra,
    ...Array.from({ length: EXTRA_ROUTES }, (_, j) => ({
      DestinationCidrBlock: corporatePrefix(j),
      TransitGatewayId: TGW,
      Origin: 'CreateRoute',
      State: 'active',
    })),
  ];
}

function cliAccount(acct: number, from: number, to: number, routeTweakVpc = -1): EstateFile[] {
  const owner = ACCOUNT(acct);
  const Vpcs: unknown[] = [];
  const Subnets: unknown[] = [];
  const RouteTables: unknown[] = [];
  const NatGateways: unknown[] = [];
  const InternetGateways: unknown[] = [];
  const VpcEndpoints: unknown[] = [];
  for (let i = from; i < to; i++) {
    const id = ids(i);
    const defect = defectOf(i);
    const azs = AZ_LETTERS.slice(0, azCount(i));
    const local = { DestinationCidrBlock: vpcCidr(i), GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
    Vpcs.push({
      CidrBlock: vpcCidr(i),
      DhcpOptionsId: 'dopt-0aa11',
      State: 'available',
      VpcId: id.vpc,
      OwnerId: owner,
      InstanceTenancy: 'default',
      CidrBlockAssociationSet: [
        { AssociationId: `vpc-cidr-assoc-${hex(i, 8)}`, CidrBlock: vpcCidr(i), CidrBlockState: { State: 'associated' } },
      ],
      IsDefault: false,
      Tags: [{ Key: 'Name', Value: `v${pad(i)}` }],
    });
    InternetGateways.push({ Attachments: [{ State: 'available', VpcId: id.vpc }], InternetGatewayId: id.igw, OwnerId: owner, Tags: [] });
    azs.forEach((az, a) => {
      ['app', 'nat', 'ep'].forEach((kind, k) => {
        Subnets.push({
          AvailabilityZone: `${REGION}${az}`,
          AvailabilityZoneId: `use1-az${a + 1}`,
          AvailableIpAddressCount: 59,
          CidrBlock: subnetCidr(i, 3 * a + k),
          DefaultForAz: false,
          MapPublicIpOnLaunch: false,
          State: 'available',
          SubnetId: id.subnet(a, k),
          VpcId: id.vpc,
          OwnerId: owner,
          Tags: [{ Key: 'Name', Value: `v${pad(i)}-${kind}-${az}` }],
        });
      });
      const natIp = vpcBase(i) + (3 * a + 1) * 64 + 10;
      NatGateways.push({
        CreateTime: '2026-01-01T00:00:00.000Z',
        NatGatewayAddresses: [
          {
            AllocationId: `eipalloc-${hex(i * 4 + a, 9)}`,
            NetworkInterfaceId: `eni-${hex(i * 4 + a, 10)}`,
            PrivateIp: ipv4(natIp),
            PublicIp: ipv4(((3 << 24) >>> 0) + i * 4 + a),
            IsPrimary: true,
            Status: 'succeeded',
          },
        ],
        NatGatewayId: id.nat(a),
        State: 'available',
        SubnetId: id.subnet(a, 1),
        VpcId: id.vpc,
        ConnectivityType: 'public',
        Tags: [],
      });
      VpcEndpoints.push({
        VpcEndpointId: id.vpce(a),
        VpcEndpointType: 'GatewayLoadBalancer',
        VpcId: id.vpc,
        ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0fw0000000000000a',
        State: 'available',
        RouteTableIds: [],
        SubnetIds: [id.subnet(a, 2)],
        Groups: [],
        PrivateDnsEnabled: false,
        RequesterManaged: false,
        NetworkInterfaceIds: [`eni-${hex(i * 4 + a, 11)}`],
        CreationTimestamp: '2026-01-01T00:00:00.000Z',
        Tags: [],
        OwnerId: owner,
      });
      const appDef: Record<string, string> = defect === 'direct-igw' && a === 0 ? { GatewayId: id.igw } : { NatGatewayId: id.nat(a) };
      const tweak =
        i === routeTweakVpc && a === 0
          ? [{ DestinationCidrBlock: '192.168.7.0/24', TransitGatewayId: TGW, Origin: 'CreateRoute', State: 'active' }]
          : [];
      const defs: Record<string, string>[] = [appDef, { GatewayId: id.vpce(a) }, { GatewayId: id.igw }];
      defs.forEach((def, k) => {
        RouteTables.push({
          Associations: [
            {
              Main: false,
              RouteTableAssociationId: `rtbassoc-${hex(i * 16 + a * 3 + k, 12)}`,
              RouteTableId: id.rtb(a, k),
              SubnetId: id.subnet(a, k),
              AssociationState: { State: 'associated' },
            },
          ],
          PropagatingVgws: [],
          RouteTableId: id.rtb(a, k),
          Routes: [local, ...cliRoutes(def, k === 0 ? tweak : [])],
          Tags: [],
          VpcId: id.vpc,
          OwnerId: owner,
        });
      });
    });
    const edgeRoutes = azs.map((_, a) => ({
      DestinationCidrBlock: subnetCidr(i, 3 * a + 1),
      GatewayId: id.vpce(defect === 'cross-az-return' && a === 1 ? 0 : a),
      Origin: 'CreateRoute',
      State: 'active',
    }));
    RouteTables.push({
      Associations:
        defect === 'no-edge-table'
          ? []
          : [
              {
                Main: false,
                RouteTableAssociationId: `rtbassoc-${hex(i, 13)}`,
                RouteTableId: id.edge,
                GatewayId: id.igw,
                AssociationState: { State: 'associated' },
              },
            ],
      PropagatingVgws: [],
      RouteTableId: id.edge,
      Routes: [local, ...edgeRoutes],
      Tags: [{ Key: 'Name', Value: `v${pad(i)}-edge` }],
      VpcId: id.vpc,
      OwnerId: owner,
    });
  }
  const dir = `account-${String(acct).padStart(3, '0')}`;
  // Pretty-printed with 4 spaces, exactly as `aws ec2 describe-* --output json` prints.
  const j = (o: unknown) => JSON.stringify(o, null, 4) + '\n';
  // The shared transit gateway the corporate routes point at lives in the first account.
  const tgw: EstateFile[] =
    acct === 0
      ? [
          {
            file: `${dir}/describe-transit-gateways.json`,
            text: j({
              TransitGateways: [
                {
                  TransitGatewayId: TGW,
                  TransitGatewayArn: `arn:aws:ec2:${REGION}:${owner}:transit-gateway/${TGW}`,
                  State: 'available',
                  OwnerId: owner,
                  Description: 'core',
                  CreationTime: '2026-01-01T00:00:00.000Z',
                  Options: {
                    AmazonSideAsn: 64512,
                    AutoAcceptSharedAttachments: 'disable',
                    DefaultRouteTableAssociation: 'enable',
                    DefaultRouteTablePropagation: 'enable',
                    VpnEcmpSupport: 'enable',
                    DnsSupport: 'enable',
                    MulticastSupport: 'disable',
                  },
                  Tags: [],
                },
              ],
            }),
          },
        ]
      : [];
  return [
    ...tgw,
    { file: `${dir}/describe-vpcs.json`, text: j({ Vpcs }) },
    { file: `${dir}/describe-subnets.json`, text: j({ Subnets }) },
    { file: `${dir}/describe-route-tables.json`, text: j({ RouteTables }) },
    { file: `${dir}/describe-nat-gateways.json`, text: j({ NatGateways }) },
    { file: `${dir}/describe-internet-gateways.json`, text: j({ InternetGateways }) },
    { file: `${dir}/describe-vpc-endpoints.json`, text: j({ VpcEndpoints }) },
  ];
}

/** The account file set holding VPC i, with one extra route in its first app table (incremental bench). */
export function cliAccountWithTweak(n: number, i: number): EstateFile[] {
  const acct = Math.floor(i / VPCS_PER_ACCOUNT);
  return cliAccount(acct, acct * VPCS_PER_ACCOUNT, Math.min(n, (acct + 1) * VPCS_PER_ACCOUNT), i);
}

/**
 * The estate's files one by one (an AWS CLI account's file set at a time), so a benchmark can hand
 * each to the parser and let it go, as a run that reads files from disk does.
 */
export function* estateFiles(n: number, format: EstateFormat): Generator<EstateFile> {
  if (format === 'terraform') {
    // One directory, one Terraform module: the VPC files refer to the TGW and GWLB service declared here.
    yield { file: 'vpcs/inspection.tf', text: tfInspection() };
    for (let i = 0; i < n; i++) yield { file: `vpcs/v${pad(i)}.tf`, text: tfVpc(i) };
    return;
  }
  for (let acct = 0; acct * VPCS_PER_ACCOUNT < n; acct++) {
    yield* cliAccount(acct, acct * VPCS_PER_ACCOUNT, Math.min(n, (acct + 1) * VPCS_PER_ACCOUNT));
  }
}

export function generateEstate(n: number, format: EstateFormat): EstateFile[] {
  return [...estateFiles(n, format)];
}

/** How many VPCs of the first n carry each defect: the benchmark prints it beside the findings. */
export function defectCounts(n: number): Record<Defect, number> {
  const c: Record<Defect, number> = { none: 0, 'no-edge-table': 0, 'cross-az-return': 0, 'direct-igw': 0 };
  for (let i = 0; i < n; i++) c[defectOf(i)]++;
  return c;
}
