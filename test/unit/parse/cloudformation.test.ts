import * as assert from 'node:assert/strict';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { isUnresolved } from '../../../src/model/types';
import { readExample, ofKind, byId, countKinds, textAt, rng } from './helpers';

const FILE = 'examples/cloudformation/distributed-egress.yaml';
const text = readExample('cloudformation/distributed-egress.yaml');
const frag = parseCloudFormation(FILE, text);
const els = frag.elements;
const id = (logical: string) => `cfn:${FILE}#${logical}`;
const short = (v: unknown) => (typeof v === 'string' ? v.replace(`cfn:${FILE}#`, '') : v);

describe('parse/cloudformation: examples/cloudformation', () => {
  it('parses the template without diagnostics, exact counts', () => {
    assert.deepEqual(frag.diagnostics, []);
    assert.equal(frag.format, 'cloudformation');
    assert.deepEqual(countKinds(els), {
      vpc: 2,
      igw: 1,
      subnet: 8,
      eip: 2,
      natgw: 2,
      gwlbe: 2,
      routeTable: 6,
      rtAssociation: 7,
      instance: 4,
      gwlb: 1,
      targetGroup: 1,
      endpointService: 1,
    });
  });

  it('resolves !Ref parameters, !Select over !Cidr, and Name tags', () => {
    const cidrs = ofKind(els, 'subnet').map((s) => [s.name, s.cidr, s.az, short(s.vpc)]);
    assert.deepEqual(cidrs, [
      ['app-a', '10.0.1.0/24', 'us-east-1a', 'WorkloadVpc'],
      ['app-b', '10.0.2.0/24', 'us-east-1b', 'WorkloadVpc'],
      ['nat-a', '10.0.10.0/24', 'us-east-1a', 'WorkloadVpc'],
      ['nat-b', '10.0.11.0/24', 'us-east-1b', 'WorkloadVpc'],
      ['gwlbe-a', '10.0.20.0/24', 'us-east-1a', 'WorkloadVpc'],
      ['gwlbe-b', '10.0.21.0/24', 'us-east-1b', 'WorkloadVpc'],
      ['fw-a', '10.100.1.0/24', 'us-east-1a', 'InspectionVpc'],
      ['fw-b', '10.100.2.0/24', 'us-east-1b', 'InspectionVpc'],
    ]);
    assert.deepEqual(
      ofKind(els, 'vpc').map((v) => [v.name, v.cidrs]),
      [
        ['workload-vpc', ['10.0.0.0/16']],
        ['inspection-vpc', ['10.100.0.0/16']],
      ],
    );
  });

  it('attaches AWS::EC2::Route resources to their tables, !GetAtt CidrBlock destinations, edge association', () => {
    const edge = byId(els, id('IgwEdgeRouteTable'));
    assert.ok(edge.kind === 'routeTable');
    if (edge.kind !== 'routeTable') return;
    assert.deepEqual(
      edge.routes.map((r) => [short(r.id), 'cidr' in r.destination ? r.destination.cidr : '', r.target.kind, short(r.target.ref)]),
      [
        ['IgwEdgeRouteNatA', '10.0.10.0/24', 'gwlbe', 'GwlbEndpointA'],
        ['IgwEdgeRouteNatB', '10.0.11.0/24', 'gwlbe', 'GwlbEndpointB'],
      ],
    );
    const assoc = byId(els, id('IgwEdgeAssociation'));
    assert.ok(assoc.kind === 'rtAssociation' && assoc.gateway === id('WorkloadIgw') && assoc.routeTable === id('IgwEdgeRouteTable'));
    const igw = byId(els, id('WorkloadIgw'));
    assert.ok(igw.kind === 'igw' && igw.vpc === id('WorkloadVpc'), 'VPCGatewayAttachment sets the IGW VPC');
    const gw = byId(els, id('GwlbeRouteTable'));
    assert.ok(gw.kind === 'routeTable' && gw.routes[0].target.kind === 'igw');
  });

  it('maps NAT GW (EIP via !GetAtt), GWLB endpoint service via !Sub, GWLB, target group and listener', () => {
    const nat = byId(els, id('NatGatewayB'));
    assert.ok(nat.kind === 'natgw' && nat.eip === id('NatEipB') && nat.subnet === id('NatSubnetB'));
    const e = byId(els, id('GwlbEndpointA'));
    assert.ok(e.kind === 'gwlbe' && e.service === id('FirewallEndpointService') && e.subnet === id('GwlbeSubnetA'));
    const lb = byId(els, id('GatewayLoadBalancer'));
    assert.ok(lb.kind === 'gwlb' && lb.crossZone === false);
    if (lb.kind === 'gwlb') assert.deepEqual(lb.subnets.map(short), ['FirewallSubnetA', 'FirewallSubnetB']);
    const tg = byId(els, id('FirewallTargetGroup'));
    assert.ok(tg.kind === 'targetGroup');
    if (tg.kind !== 'targetGroup') return;
    assert.equal(tg.loadBalancer, id('GatewayLoadBalancer'));
    assert.deepEqual(tg.targets.map(short), ['FirewallInstanceA', 'FirewallInstanceB']);
    assert.equal(tg.protocol, 'GENEVE');
    assert.equal(tg.port, 6081);
  });

  it('locates elements exactly: loc = logical id key, extent = the whole entry, attrs = property values', () => {
    const s = byId(els, id('NatSubnetA'));
    assert.deepEqual(s.loc.range, rng(75, 2, 75, 12));
    assert.equal(textAt(text, s.loc.range), 'NatSubnetA');
    assert.equal(s.extent!.start.line, 75);
    assert.equal(s.extent!.end.line, 84);
    assert.equal(textAt(text, s.attrs!.CidrBlock), '!Select [10, !Cidr [!Ref WorkloadCidr, 32, 8]]');
    const edge = byId(els, id('IgwEdgeRouteTable'));
    assert.ok(edge.kind === 'routeTable');
    if (edge.kind === 'routeTable') assert.deepEqual(edge.routes[1].loc.range, rng(309, 2, 309, 18));
  });
});

describe('parse/cloudformation: intrinsics and bad input', () => {
  const tpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  NoDefault:
    Type: String
Mappings:
  Net:
    prod:
      Cidr: 10.9.0.0/16
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !FindInMap [Net, prod, Cidr]
  Sub1:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Ref NoDefault
      AvailabilityZone: !Select [0, !GetAZs ""]
  Sub2:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !ImportValue shared-vpc
      CidrBlock: !Join ["", ["10.9.", "2.0/24"]]
      AvailabilityZone: !If [IsProd, us-east-1a, us-east-1b]
  Rt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Orphan:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Nowhere
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  Missing:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref NotDefined
      RouteTableId: !Ref Rt
`;
  const f = parseCloudFormation('t.yaml', tpl);
  const get = (l: string) => byId(f.elements, `cfn:t.yaml#${l}`);

  it('keeps deploy-time values Unresolved with their source text, never a guess', () => {
    const s1 = get('Sub1');
    assert.ok(s1.kind === 'subnet');
    if (s1.kind !== 'subnet') return;
    assert.ok(isUnresolved(s1.az));
    assert.equal(isUnresolved(s1.az) && s1.az.text, '!Select [0, !GetAZs ""]');
    assert.ok(isUnresolved(s1.cidr) && s1.cidr.text === '!Ref NoDefault' && /no Default/.test(s1.cidr.reason));
    const s2 = get('Sub2');
    assert.ok(s2.kind === 'subnet');
    if (s2.kind !== 'subnet') return;
    assert.ok(isUnresolved(s2.vpc) && s2.vpc.text === '!ImportValue shared-vpc');
    assert.equal(s2.cidr, '10.9.2.0/24');
    assert.ok(isUnresolved(s2.az));
    const v = get('Vpc');
    assert.ok(v.kind === 'vpc' && v.cidrs[0] === '10.9.0.0/16');
  });

  it('reports a route whose table is not in the template, and leaves unknown refs to the workspace', () => {
    assert.deepEqual(
      f.diagnostics.map((d) => [d.code, d.loc.range.start.line]),
      [['missing-reference', 29]],
    );
    const a = get('Missing');
    assert.ok(a.kind === 'rtAssociation' && a.subnet === 'cfn:t.yaml#NotDefined');
  });

  it('reads JSON templates with long-form intrinsics', () => {
    const json = JSON.stringify(
      {
        Resources: {
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } },
          S: {
            Type: 'AWS::EC2::Subnet',
            Properties: {
              VpcId: { Ref: 'Vpc' },
              CidrBlock: { 'Fn::Select': [3, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }] },
              AvailabilityZone: 'eu-west-1c',
            },
          },
        },
      },
      null,
      2,
    );
    const j = parseCloudFormation('t.json', json);
    assert.deepEqual(j.diagnostics, []);
    const s = byId(j.elements, 'cfn:t.json#S');
    assert.ok(s.kind === 'subnet' && s.cidr === '10.1.3.0/24' && s.vpc === 'cfn:t.json#Vpc' && s.az === 'eu-west-1c');
    assert.equal(textAt(json, s.loc.range), '"S"');
  });

  it('notes resources that exist only under a condition', () => {
    const t =
      'Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Igw:\n    Type: AWS::EC2::InternetGateway\n    Condition: IsProd\n';
    const c = parseCloudFormation('c.yaml', t);
    assert.equal(ofKind(c.elements, 'igw').length, 1);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, textAt(t, d.loc.range)]),
      [['conditional-resource', 'info', 'Condition: IsProd']],
    );
  });

  it('gives located syntax errors for broken YAML and keeps earlier resources', () => {
    const broken = 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  Bad: [unclosed\n';
    const b = parseCloudFormation('b.yaml', broken);
    assert.ok(b.diagnostics.some((d) => d.code === 'syntax-error' && d.severity === 'error'));
    assert.equal(ofKind(b.elements, 'vpc').length, 1);
  });
});
