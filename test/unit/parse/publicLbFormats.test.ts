// An internet-facing ALB/NLB marks the subnets it is placed in (Subnet.publicLb) in Terraform, its plan JSON and
// CloudFormation alike; an internal one, a gateway one, or one whose scheme is a parameter marks nothing (F100).
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';

async function seen(files: Record<string, string>): Promise<{ marked: string[]; traced: string[] }> {
  const ws = await createWorkspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
  const b = ws.build();
  assert.deepEqual(
    b.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  const name = (id: string) => b.model.elements.find((e) => e.id === id)?.name ?? id;
  return {
    marked: b.model.elements.flatMap((e) => (e.kind === 'subnet' ? [`${e.name} ${e.publicLb ?? '-'}`] : [])).sort(),
    traced: analyze(b.model)
      .egress.map((e) => name(e.subnet))
      .sort(),
  };
}

// Four public subnets on one table to the IGW: pub-a holds an internet-facing ALB, pub-b an internet-facing NLB
// (by subnet mapping), pub-c an internal NLB,
// pub-d a load balancer whose scheme is not known offline.
const SUBNETS = [
  ['a', '10.70.0.0/24'],
  ['b', '10.70.1.0/24'],
  ['c', '10.70.2.0/24'],
  ['d', '10.70.3.0/24'],
] as const;

const TF = `
variable "scheme_internal" {
  type = bool
}

resource "aws_vpc" "edge" {
  cidr_block = "10.70.0.0/16"
  tags       = { Name = "edge" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.edge.id
}

resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.edge.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  tags = { Name = "pub-rt" }
}
${SUBNETS.map(
  ([k, cidr]) => `
resource "aws_subnet" "${k}" {
  vpc_id            = aws_vpc.edge.id
  cidr_block        = "${cidr}"
  availability_zone = "eu-west-3a"
  tags              = { Name = "pub-${k}" }
}

resource "aws_route_table_association" "${k}" {
  subnet_id      = aws_subnet.${k}.id
  route_table_id = aws_route_table.pub.id
}
`,
).join('')}
resource "aws_lb" "web" {
  name    = "web"
  subnets = [aws_subnet.a.id]
}

resource "aws_lb" "tcp" {
  name               = "tcp"
  load_balancer_type = "network"
  internal           = false
  subnet_mapping {
    subnet_id = aws_subnet.b.id
  }
}

resource "aws_lb" "inner" {
  name               = "inner"
  load_balancer_type = "network"
  internal           = true
  subnet_mapping {
    subnet_id = aws_subnet.c.id
  }
}

resource "aws_lb" "maybe" {
  name     = "maybe"
  internal = var.scheme_internal
  subnets  = [aws_subnet.d.id]
}
`;

const CFN = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Scheme:
    Type: String
    AllowedValues: [internet-facing, internal]
Resources:
  Edge:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.70.0.0/16
      Tags: [{ Key: Name, Value: edge }]
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Edge, InternetGatewayId: !Ref Igw }
  PubRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Edge
      Tags: [{ Key: Name, Value: pub-rt }]
  PubDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PubRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
${SUBNETS.map(
  ([k, cidr]) => `  Sub${k}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Edge
      CidrBlock: ${cidr}
      AvailabilityZone: eu-west-3a
      Tags: [{ Key: Name, Value: pub-${k} }]
  Assoc${k}:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Sub${k}, RouteTableId: !Ref PubRt }
`,
).join('')}  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: web
      Subnets: [!Ref Suba]
  Tcp:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: tcp
      Type: network
      Scheme: internet-facing
      SubnetMappings:
        - SubnetId: !Ref Subb
  Inner:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: inner
      Type: network
      Scheme: internal
      Subnets: [!Ref Subc]
  Maybe:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: maybe
      Scheme: !Ref Scheme
      Subnets: [!Ref Subd]
`;

/** The same network as a plan JSON: ids known after apply, so references come from the configuration. */
function plan(): string {
  // An attribute's references, or a nested block's (one object of attributes per block).
  type Refs = Record<string, string[] | Record<string, string[]>[]>;
  type R = { address: string; type: string; values: Record<string, unknown>; refs: Refs };
  const expr = (refs: string[]) => ({ references: refs.flatMap((x) => [x, x.replace(/\.id$/, '')]) });
  const nested = <T>(refs: Refs, leaf: (x: string[]) => T): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(refs).map(([k, v]) => [
        k,
        v.every((x) => typeof x === 'string')
          ? leaf(v)
          : v.map((b) => Object.fromEntries(Object.entries(b).map(([bk, bv]) => [bk, leaf(bv)]))),
      ]),
    );
  const res: R[] = [
    { address: 'aws_vpc.edge', type: 'aws_vpc', values: { cidr_block: '10.70.0.0/16', tags: { Name: 'edge' } }, refs: {} },
    { address: 'aws_internet_gateway.igw', type: 'aws_internet_gateway', values: {}, refs: { vpc_id: ['aws_vpc.edge.id'] } },
    {
      address: 'aws_route_table.pub',
      type: 'aws_route_table',
      values: { tags: { Name: 'pub-rt' } },
      refs: { vpc_id: ['aws_vpc.edge.id'] },
    },
    {
      address: 'aws_route.pub_default',
      type: 'aws_route',
      values: { destination_cidr_block: '0.0.0.0/0' },
      refs: { route_table_id: ['aws_route_table.pub.id'], gateway_id: ['aws_internet_gateway.igw.id'] },
    },
    ...SUBNETS.flatMap(([k, cidr]): R[] => [
      {
        address: `aws_subnet.${k}`,
        type: 'aws_subnet',
        values: { cidr_block: cidr, availability_zone: 'eu-west-3a', tags: { Name: `pub-${k}` } },
        refs: { vpc_id: ['aws_vpc.edge.id'] },
      },
      {
        address: `aws_route_table_association.${k}`,
        type: 'aws_route_table_association',
        values: {},
        refs: { subnet_id: [`aws_subnet.${k}.id`], route_table_id: ['aws_route_table.pub.id'] },
      },
    ]),
    {
      address: 'aws_lb.web',
      type: 'aws_lb',
      values: { name: 'web', internal: false, load_balancer_type: 'application' },
      refs: { subnets: ['aws_subnet.a.id'] },
    },
    {
      address: 'aws_lb.tcp',
      type: 'aws_lb',
      values: { name: 'tcp', internal: false, load_balancer_type: 'network', subnet_mapping: [{}] },
      refs: { subnet_mapping: [{ subnet_id: ['aws_subnet.b.id'] }] },
    },
    {
      address: 'aws_lb.inner',
      type: 'aws_lb',
      values: { name: 'inner', internal: true, load_balancer_type: 'network', subnet_mapping: [{}] },
      refs: {},
    },
    {
      address: 'aws_lb.maybe',
      type: 'aws_lb',
      values: { name: 'maybe', load_balancer_type: 'application' },
      refs: { internal: ['var.scheme_internal'], subnets: ['aws_subnet.d.id'] },
    },
  ];
  const unknown = (r: R) => ({ id: true, ...nested(r.refs, () => true) });
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: {
      root_module: {
        resources: res.map((r) => ({ address: r.address, mode: 'managed', type: r.type, name: r.address.split('.')[1], values: r.values })),
      },
    },
    resource_changes: res.map((r) => ({
      address: r.address,
      mode: 'managed',
      type: r.type,
      name: r.address.split('.')[1],
      change: { actions: ['create'], before: null, after: r.values, after_unknown: unknown(r) },
    })),
    configuration: {
      root_module: {
        resources: res.map((r) => ({
          address: r.address,
          mode: 'managed',
          type: r.type,
          name: r.address.split('.')[1],
          expressions: nested(r.refs, expr),
        })),
      },
    },
  });
}

describe('parse: internet-facing load balancers mark their subnets (Terraform, plan JSON, CloudFormation)', function () {
  this.timeout(60000);

  it('the same marks and the same traced subnets in all three', async () => {
    const tf = await seen({ 'main.tf': TF });
    assert.deepEqual(tf.marked, ['pub-a web', 'pub-b tcp', 'pub-c -', 'pub-d -']);
    assert.deepEqual(tf.traced, ['pub-c', 'pub-d']);
    assert.deepEqual(await seen({ 'plan.json': plan() }), tf);
    assert.deepEqual(await seen({ 'template.yaml': CFN }), tf);
  });
});
