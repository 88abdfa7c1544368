import * as assert from 'node:assert/strict';
import { parseAwsCli } from '../../../src/parse/awsCli';
import { isUnresolved } from '../../../src/model/types';
import { exampleFiles, ofKind, byId, countKinds, textAt, rng } from './helpers';

const files = exampleFiles('aws-cli-export', (f) => f.endsWith('.json'));
const parsed = [...files].map(([f, t]) => parseAwsCli(f, t));
const all = parsed.flatMap((p) => p.elements);
const text = (name: string) => [...files].find(([f]) => f.endsWith(name))![1];

describe('parse/awsCli: examples/aws-cli-export', () => {
  it('reads every describe-* file without diagnostics and with exact counts', () => {
    assert.equal(files.size, 6);
    for (const p of parsed) assert.deepEqual(p.diagnostics, [], p.file);
    assert.deepEqual(countKinds(all), { vpc: 2, subnet: 9, routeTable: 9, rtAssociation: 10, natgw: 2, igw: 1, gwlbe: 2 });
  });

  it('maps subnets with CIDR, AZ, VPC, Name tag and region', () => {
    const s = byId(all, 'subnet-0b11b1c2d3e4f5a64');
    assert.equal(s.kind, 'subnet');
    if (s.kind !== 'subnet') return;
    assert.equal(s.name, 'nat-b');
    assert.equal(s.cidr, '10.0.11.0/24');
    assert.equal(s.az, 'us-east-1b');
    assert.equal(s.vpc, 'vpc-0a1b2c3d4e5f60718');
    assert.equal(s.region, 'us-east-1');
    assert.equal(s.account, '111122223333');
  });

  it('maps routes: local implicit, NAT, GWLB endpoint (GatewayId vpce-), IGW', () => {
    const edge = byId(all, 'rtb-007a1b2c3d4e5f6a7');
    assert.equal(edge.kind, 'routeTable');
    if (edge.kind !== 'routeTable') return;
    assert.equal(edge.name, 'igw-edge-rt');
    assert.deepEqual(
      edge.routes.map((r) => [
        r.id,
        'cidr' in r.destination ? r.destination.cidr : '',
        r.target.kind,
        r.target.ref,
        r.state,
        r.implicit ?? false,
      ]),
      [
        ['rtb-007a1b2c3d4e5f6a7#0', '10.0.0.0/16', 'local', undefined, 'active', true],
        ['rtb-007a1b2c3d4e5f6a7#1', '10.0.11.0/24', 'gwlbe', 'vpce-0a2a1b2c3d4e5f601', 'active', false],
      ],
    );
    const app = byId(all, 'rtb-002a1b2c3d4e5f6a7');
    assert.ok(app.kind === 'routeTable' && app.routes[1].target.kind === 'natgw' && app.routes[1].target.ref === 'nat-0a1a2b3c4d5e6f701');
    const mgmt = byId(all, 'rtb-008a1b2c3d4e5f6a7');
    assert.ok(mgmt.kind === 'routeTable' && mgmt.routes[1].target.kind === 'igw' && mgmt.routes[1].target.ref === 'igw-0c1d2e3f4a5b60789');
  });

  it('maps subnet, edge (GatewayId) and main associations', () => {
    const assocs = ofKind(all, 'rtAssociation');
    const edge = assocs.filter((a) => a.gateway !== undefined);
    assert.equal(edge.length, 1);
    assert.equal(edge[0].gateway, 'igw-0c1d2e3f4a5b60789');
    assert.equal(edge[0].routeTable, 'rtb-007a1b2c3d4e5f6a7');
    const main = assocs.filter((a) => a.mainOfVpc !== undefined).map((a) => [a.routeTable, a.mainOfVpc]);
    assert.deepEqual(main.sort(), [
      ['rtb-001a1b2c3d4e5f6a7', 'vpc-0a1b2c3d4e5f60718'],
      ['rtb-009a1b2c3d4e5f6a7', 'vpc-0f9e8d7c6b5a40321'],
    ]);
    assert.equal(assocs.filter((a) => a.subnet !== undefined).length, 7);
    assert.deepEqual(
      ofKind(all, 'routeTable')
        .filter((t) => t.main)
        .map((t) => t.id)
        .sort(),
      ['rtb-001a1b2c3d4e5f6a7', 'rtb-009a1b2c3d4e5f6a7'],
    );
  });

  it('maps NAT gateways, IGW attachment and GWLB endpoints', () => {
    const nat = byId(all, 'nat-0a1a2b3c4d5e6f701');
    assert.ok(nat.kind === 'natgw');
    if (nat.kind !== 'natgw') return;
    assert.equal(nat.subnet, 'subnet-0b10b1c2d3e4f5a63');
    assert.equal(nat.privateIp, '10.0.10.42');
    assert.equal(nat.publicIp, '3.210.14.27');
    assert.equal(nat.connectivity, 'public');
    const igw = byId(all, 'igw-0c1d2e3f4a5b60789');
    assert.ok(igw.kind === 'igw' && igw.vpc === 'vpc-0a1b2c3d4e5f60718');
    const e = byId(all, 'vpce-0b2a1b2c3d4e5f602');
    assert.ok(e.kind === 'gwlbe');
    if (e.kind !== 'gwlbe') return;
    assert.equal(e.subnet, 'subnet-0c21c1d2e3f4a5b66');
    assert.ok(isUnresolved(e.service) && e.service.text === 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788');
  });

  it('locates elements exactly: loc is the id property, extent the object, routes the route object', () => {
    const s = byId(all, 'subnet-0a11a1b2c3d4e5f61');
    assert.deepEqual(s.loc.range, rng(11, 12, 11, 50));
    assert.equal(textAt(text('describe-subnets.json'), s.loc.range), '"SubnetId": "subnet-0a11a1b2c3d4e5f61"');
    assert.equal(textAt(text('describe-subnets.json'), s.extent!).split('\n')[0], '{');
    const edge = byId(all, 'rtb-007a1b2c3d4e5f6a7');
    assert.equal(textAt(text('describe-route-tables.json'), edge.loc.range), '"RouteTableId": "rtb-007a1b2c3d4e5f6a7"');
    assert.equal(edge.loc.range.start.line, 234);
    if (edge.kind !== 'routeTable') return;
    const r = edge.routes[1];
    assert.equal(r.loc.range.start.line, 242);
    assert.match(
      textAt(text('describe-route-tables.json'), r.loc.range),
      /^\{\s+"DestinationCidrBlock": "10\.0\.11\.0\/24",[\s\S]*"State": "active"\s+\}$/,
    );
  });

  it('handles merged files, blackhole routes, deleted NAT GWs and TGW attachments from two commands', () => {
    const merged = JSON.stringify(
      {
        RouteTables: [
          {
            RouteTableId: 'rtb-1',
            VpcId: 'vpc-1',
            Routes: [
              { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-gone', Origin: 'CreateRoute', State: 'blackhole' },
              { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-s3', Origin: 'CreateRoute', State: 'active' },
              { DestinationCidrBlock: '10.9.0.0/16', TransitGatewayId: 'tgw-1', Origin: 'CreateRoute', State: 'active' },
            ],
            Associations: [],
          },
        ],
        NatGateways: [{ NatGatewayId: 'nat-gone', SubnetId: 'subnet-1', State: 'deleted' }],
        TransitGatewayVpcAttachments: [
          {
            TransitGatewayAttachmentId: 'tgw-attach-1',
            TransitGatewayId: 'tgw-1',
            VpcId: 'vpc-1',
            SubnetIds: ['subnet-1'],
            Options: { ApplianceModeSupport: 'disable' },
          },
        ],
        TransitGatewayAttachments: [
          {
            TransitGatewayAttachmentId: 'tgw-attach-1',
            TransitGatewayId: 'tgw-1',
            ResourceType: 'vpc',
            ResourceId: 'vpc-1',
            Association: { TransitGatewayRouteTableId: 'tgw-rtb-1', State: 'associated' },
          },
        ],
        TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', TransitGatewayId: 'tgw-1' }],
      },
      null,
      2,
    );
    const f = parseAwsCli('merged.json', merged);
    assert.deepEqual(countKinds(f.elements), { routeTable: 1, tgwAttachment: 1, tgwRouteTable: 1 });
    const rt = f.elements[0];
    assert.ok(rt.kind === 'routeTable');
    if (rt.kind !== 'routeTable') return;
    assert.equal(rt.routes[0].state, 'blackhole');
    assert.deepEqual(rt.routes[1].destination, { prefixList: 'pl-63a5400a' });
    assert.equal(rt.routes[1].target.kind, 'vpce');
    assert.equal(rt.routes[2].target.kind, 'tgw');
    assert.deepEqual(
      f.diagnostics.map((d) => d.code),
      ['resource-not-available'],
    );
    const att = ofKind(f.elements, 'tgwAttachment')[0];
    assert.equal(att.applianceMode, false);
    assert.equal(att.routeTable, 'tgw-rtb-1');
    assert.deepEqual(att.subnets, ['subnet-1']);
    assert.deepEqual(ofKind(f.elements, 'tgwRouteTable')[0].associations, ['tgw-attach-1']);
  });

  it('reads the GWLB, its target group and the endpoint service (elbv2 and endpoint-service exports)', () => {
    const arn = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/egress-gwlb/0a1b2c3d4e5f6a7b';
    const tgArn = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/egress-fw/1a2b3c4d5e6f7a8b';
    const t = JSON.stringify({
      LoadBalancers: [
        {
          LoadBalancerArn: arn,
          LoadBalancerName: 'egress-gwlb',
          Type: 'gateway',
          VpcId: 'vpc-i',
          State: { Code: 'active' },
          AvailabilityZones: [
            { ZoneName: 'us-east-1a', SubnetId: 'subnet-fa' },
            { ZoneName: 'us-east-1b', SubnetId: 'subnet-fb' },
          ],
        },
        { LoadBalancerArn: 'arn:alb', LoadBalancerName: 'web', Type: 'application' },
      ],
      TargetGroups: [
        {
          TargetGroupArn: tgArn,
          TargetGroupName: 'egress-fw',
          Protocol: 'GENEVE',
          Port: 6081,
          VpcId: 'vpc-i',
          LoadBalancerArns: [arn],
          TargetType: 'instance',
        },
      ],
      ServiceConfigurations: [
        {
          ServiceId: 'vpce-svc-0f1e',
          ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e',
          ServiceType: [{ ServiceType: 'GatewayLoadBalancer' }],
          GatewayLoadBalancerArns: [arn],
        },
      ],
    });
    const f = parseAwsCli('elb.json', t);
    assert.deepEqual(countKinds(f.elements), { gwlb: 1, targetGroup: 1, endpointService: 1 });
    const lb = ofKind(f.elements, 'gwlb')[0];
    assert.deepEqual([lb.name, lb.subnets, lb.crossZone, lb.vpc], ['egress-gwlb', ['subnet-fa', 'subnet-fb'], false, 'vpc-i']);
    const tg = ofKind(f.elements, 'targetGroup')[0];
    assert.deepEqual([tg.name, tg.protocol, tg.port, tg.loadBalancer], ['egress-fw', 'GENEVE', 6081, arn]);
    const svc = ofKind(f.elements, 'endpointService')[0];
    assert.deepEqual([svc.id, svc.serviceName, svc.loadBalancers], ['vpce-svc-0f1e', 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e', [arn]]);
  });

  it('reports syntax errors with a location and keeps what it could read', () => {
    const t = '{\n  "Subnets": [\n    {"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24"},\n    {"SubnetId": \n  ]\n}';
    const f = parseAwsCli('broken.json', t);
    assert.ok(f.diagnostics.some((d) => d.code === 'syntax-error' && d.loc.file === 'broken.json'));
    assert.equal(ofKind(f.elements, 'subnet')[0]?.cidr, '10.0.0.0/24');
  });
});

describe('parse/awsCli: dual-stack subnets', () => {
  const subnets = (extra: string) =>
    parseAwsCli(
      'describe-subnets.json',
      `{"Subnets": [{"SubnetId": "subnet-0a", "VpcId": "vpc-01", "CidrBlock": "10.9.1.0/24", "AvailabilityZone": "us-east-1a"${extra}}]}`,
    ).elements.filter((e) => e.kind === 'subnet');

  it('an associated IPv6 block makes the subnet dual-stack, with that prefix', () => {
    const [s] = subnets(
      `, "Ipv6CidrBlockAssociationSet": [{"AssociationId": "subnet-cidr-assoc-1", "Ipv6CidrBlock": "2600:1f18:9:1::/64", "Ipv6CidrBlockState": {"State": "associated"}}]`,
    );
    assert.ok(s.kind === 'subnet' && s.dualStack === true && s.ipv6Cidr === '2600:1f18:9:1::/64');
  });

  it('a subnet without an IPv6 block is not dual-stack', () => {
    const [s] = subnets(`, "Ipv6CidrBlockAssociationSet": []`);
    assert.ok(s.kind === 'subnet' && s.dualStack === undefined);
  });
});
