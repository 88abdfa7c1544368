// One vocabulary per cloud: the same route written in each format gets the same target kind and
// state. Each case is a route the formats used to read differently.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import type { Route } from '../../../src/model/types';

/** Routes of every route table in one file, as [destination, target kind, state]. */
async function routes(file: string, text: string): Promise<string[]> {
  const ws = await createWorkspace();
  ws.setFile(file, text);
  const els = ws.build().model.elements;
  const show = (r: Route) => `${'cidr' in r.destination ? String(r.destination.cidr) : 'pl'} -> ${r.target.kind} ${r.state}`;
  return els.flatMap((e) => (e.kind === 'routeTable' ? e.routes.filter((r) => !r.implicit).map(show) : [])).sort();
}

function plan(resources: [string, Record<string, unknown>, Record<string, unknown>?, Record<string, string[]>?][]): string {
  const typeName = (a: string) => a.split('.');
  return JSON.stringify({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: resources.map(([address, values]) => ({
          address,
          mode: 'managed',
          type: typeName(address)[0],
          name: typeName(address)[1],
          values,
        })),
      },
    },
    resource_changes: resources.map(([address, , unknown]) => ({ address, change: { actions: ['create'], after_unknown: unknown ?? {} } })),
    configuration: {
      root_module: {
        resources: resources.map(([address, , , refs]) => ({
          address,
          expressions: Object.fromEntries(Object.entries(refs ?? {}).map(([k, v]) => [k, { references: v }])),
        })),
      },
    },
  });
}

describe('parse: one vocabulary per cloud', function () {
  this.timeout(30000);

  it("AWS: a network interface written as an instance's primary interface is that instance (Terraform, CloudFormation)", async () => {
    const targets = async (file: string, text: string) => {
      const ws = await createWorkspace();
      ws.setFile(file, text);
      return ws
        .build()
        .model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes.filter((r) => !r.implicit) : []))
        .map((r) => `${r.target.kind} ${String(r.target.ref)} ${r.state}`);
    };
    const tf = await targets(
      'main.tf',
      `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_instance" "fw" {
  subnet_id         = "subnet-1"
  source_dest_check = false
}
resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.fw.primary_network_interface_id
  }
}
`,
    );
    assert.deepEqual(tf, ['instance aws_instance.fw active']);
    const cfn = await targets(
      'stack.yaml',
      `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Fw:
    Type: AWS::EC2::Instance
    Properties:
      SubnetId: subnet-1
      SourceDestCheck: false
  Rt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 0.0.0.0/0
      NetworkInterfaceId: !GetAtt Fw.PrimaryNetworkInterfaceId
`,
    );
    assert.deepEqual(cfn, ['instance cfn:stack.yaml#Fw active']);
  });

  // The EC2 API takes a NAT gateway's id in GatewayId and routes to it (F74: old Terraform code writes
  // `gateway_id = aws_nat_gateway.x.id`); a gateway_id that names nothing known stays unknown, never an IGW.
  it('AWS: a gateway_id naming a NAT gateway is that NAT gateway, one naming nothing known is unknown; instance_id is an instance; in every format', async () => {
    const expected = ['0.0.0.0/0 -> natgw active', '10.9.0.0/16 -> instance active'];
    const tf = await routes(
      'main.tf',
      `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_nat_gateway" "n" {
  subnet_id = "subnet-1"
}
resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_nat_gateway.n.id
  }
  route {
    cidr_block  = "10.9.0.0/16"
    instance_id = "i-0abc"
  }
}
`,
    );
    assert.deepEqual(tf, expected);
    const pl = await routes(
      'plan.json',
      plan([
        ['aws_vpc.v', { cidr_block: '10.0.0.0/16' }, { id: true }],
        ['aws_nat_gateway.n', { subnet_id: 'subnet-1' }, { id: true }],
        [
          'aws_route_table.rt',
          { route: [{ cidr_block: '0.0.0.0/0' }, { cidr_block: '10.9.0.0/16', instance_id: 'i-0abc' }] },
          { vpc_id: true, route: [{ gateway_id: true }, {}] },
          { vpc_id: ['aws_vpc.v.id', 'aws_vpc.v'] },
        ],
      ]),
    );
    // The first route's gateway_id is known after apply and the configuration names no resource for it.
    assert.deepEqual(pl, ['0.0.0.0/0 -> unknown active', '10.9.0.0/16 -> instance active']);
    const cfn = await routes(
      'stack.yaml',
      `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: subnet-1
  Rt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Nat
  ToInstance:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationCidrBlock: 10.9.0.0/16
      InstanceId: i-0abc
`,
    );
    assert.deepEqual(cfn, expected);
    const cli = await routes(
      'describe-route-tables.json',
      JSON.stringify({
        RouteTables: [
          {
            RouteTableId: 'rtb-1',
            VpcId: 'vpc-1',
            Routes: [
              { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'nat-0123', State: 'active' },
              { DestinationCidrBlock: '10.9.0.0/16', InstanceId: 'i-0abc', State: 'active' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(cli, expected);
  });

  it('Azure: a None next hop is a blackhole route in Terraform, plan JSON and Azure CLI', async () => {
    const expected = ['10.50.0.0/16 -> none blackhole', '0.0.0.0/0 -> virtualAppliance active'].sort();
    const tf = await routes(
      'main.tf',
      `resource "azurerm_route_table" "rt" {
  name = "rt"
  route {
    name           = "drop"
    address_prefix = "10.50.0.0/16"
    next_hop_type  = "None"
  }
  route {
    name                   = "nva"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.1.4"
  }
}
`,
    );
    assert.deepEqual(tf, expected);
    const pl = await routes(
      'plan.json',
      plan([
        [
          'azurerm_route_table.rt',
          {
            name: 'rt',
            route: [
              { name: 'drop', address_prefix: '10.50.0.0/16', next_hop_type: 'None', next_hop_in_ip_address: '' },
              { name: 'nva', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.1.4' },
            ],
          },
        ],
      ]),
    );
    assert.deepEqual(pl, expected);
    const cli = await routes(
      'route-table-list.json',
      JSON.stringify([
        {
          id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/routeTables/rt',
          name: 'rt',
          type: 'Microsoft.Network/routeTables',
          routes: [
            { name: 'drop', addressPrefix: '10.50.0.0/16', nextHopType: 'None' },
            { name: 'nva', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' },
          ],
          subnets: [],
        },
      ]),
    );
    assert.deepEqual(cli, expected);
  });
});
