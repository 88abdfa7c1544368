// Issue 17 item 4: an export that is valid JSON but lost a field every real export prints (an entry
// without its id, a plan resource without its type) is damaged. Each such entry is a located
// `damaged-input` error, the rest of the file is still read, and the editor shows the error.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticsByFile } from '../../../src/extension/mapping';
import { createWorkspace } from '../../../src/parse/workspace';

async function build(files: Record<string, string>) {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build();
}

const damage = (b: Awaited<ReturnType<typeof build>>) => b.diagnostics.filter((d) => d.code === 'damaged-input');

describe('parse: entries that lost their id are input errors (issue 17 item 4)', () => {
  it('AWS CLI: the entry without its id is located, its neighbours are read', async () => {
    const text = [
      '{"Subnets": [',
      '  {"SubnetId": "subnet-0a1b2c3d4e5f60718", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"},',
      '  {"VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"}',
      ']}',
    ].join('\n');
    const b = await build({ 'describe-subnets.json': text });
    const [d] = damage(b);
    assert.ok(d, JSON.stringify(b.diagnostics));
    assert.equal(d.severity, 'error');
    assert.match(d.message, /Subnet without SubnetId/);
    assert.deepEqual([d.loc.file, d.loc.range.start.line], ['describe-subnets.json', 2]);
    assert.deepEqual(
      b.model.elements.map((e) => e.id),
      ['subnet-0a1b2c3d4e5f60718'],
    );
    // The editor shows it as an error at that line.
    const specs = diagnosticsByFile(analyze(b.model, {}, b.diagnostics)).get('describe-subnets.json')!;
    const spec = specs.find((x) => x.code === 'damaged-input');
    assert.deepEqual([spec?.severity, spec?.range], ['error', d.loc.range]);
  });

  it('AWS CLI: every kind read by id says so, EC2-Classic addresses (no AllocationId) stay quiet', async () => {
    const lists: Record<string, string> = {
      Vpcs: 'VPC without VpcId',
      RouteTables: 'Route table without RouteTableId',
      NatGateways: 'NAT gateway without NatGatewayId',
      InternetGateways: 'Internet gateway without InternetGatewayId',
      VpcEndpoints: 'VPC endpoint without VpcEndpointId',
      VpcPeeringConnections: 'VPC peering connection without VpcPeeringConnectionId',
      TransitGateways: 'Transit gateway without TransitGatewayId',
      TransitGatewayVpcAttachments: 'Transit gateway attachment without TransitGatewayAttachmentId',
      TransitGatewayRouteTables: 'Transit gateway route table without TransitGatewayRouteTableId',
      LoadBalancers: 'Load balancer without LoadBalancerArn',
      TargetGroups: 'Target group without TargetGroupArn',
      ServiceConfigurations: 'Endpoint service without ServiceId',
    };
    const doc = Object.fromEntries(Object.keys(lists).map((k) => [k, [{ State: 'available' }]]));
    const b = await build({
      'export.json': JSON.stringify({
        ...doc,
        Reservations: [{ Instances: [{ PrivateIpAddress: '10.0.0.1' }] }],
        Addresses: [{ PublicIp: '1.2.3.4' }],
      }),
    });
    const messages = damage(b).map((d) => d.message);
    for (const m of [...Object.values(lists), 'Instance without InstanceId'])
      assert.ok(
        messages.some((x) => x.endsWith(m)),
        `${m} in ${messages.join('\n')}`,
      );
    assert.equal(messages.length, Object.keys(lists).length + 1, 'nothing for the address without AllocationId');
  });

  it('Azure CLI: a VNet subnet and a NIC without id', async () => {
    const vnet = {
      type: 'Microsoft.Network/virtualNetworks',
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v',
      name: 'v',
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [{ name: 'lost', addressPrefix: '10.0.1.0/24' }],
    };
    const nic = { type: 'Microsoft.Network/networkInterfaces', name: 'nic', enableIPForwarding: true };
    const b = await build({ 'az.json': JSON.stringify([vnet, nic]) });
    assert.deepEqual(
      damage(b).map((d) => d.message.replace(/^.*: /, '')),
      ['subnet without id', 'network interface without id'],
    );
    assert.ok(b.model.elements.some((e) => e.kind === 'vpc'));
  });
});
