// F108: a route's VpcEndpointId written as `!GetAtt C.Attr` of a Lambda-backed custom resource whose properties
// name exactly one Network Firewall: one of that firewall's endpoints, AZ not decided (RouteTarget.pick
// `attribute`), as a positional pick of EndpointIds. Fixture: test/fixtures/nfw-custom-resource (ours).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SubnetEgress } from '../../../src/analysis/types';
import type { Route } from '../../../src/model/types';

const FILE = 'template.yaml';
const BASE = readFileSync(join(__dirname, '../../../../test/fixtures/nfw-custom-resource', FILE), 'utf8');
const id = (logical: string): string => `cfn:${FILE}#${logical}`;
const FW = id('Firewall');
const pick = (attr: string): string => `${FW}#value[EndpointLookup.${attr}]`;

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture holds ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile(FILE, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

function route(r: AnalysisResult, logical: string): Route {
  const found = r.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : [])).find((x) => x.id === id(logical));
  assert.ok(found, logical);
  return found;
}

function egress(r: AnalysisResult, subnet: string): SubnetEgress {
  const eg = r.egress.find((e) => e.subnet === id(subnet));
  assert.ok(eg, subnet);
  return eg;
}

const reason = (o: SubnetEgress['forward']['outcome']): string => (o.kind === 'unknown' ? o.reason : `(${o.kind})`);
const state = (r: AnalysisResult): string | undefined => r.states.find((s) => s.vpc === id('Vpc'))?.state;

/** The fixture with `extra` added to the custom resource's properties (and `resources` to the template). */
function withProperty(extra: string, resources = ''): string {
  return edit(BASE, '      SecondZone: !Ref ZoneB\n', `      SecondZone: !Ref ZoneB\n      ${extra}\n${resources}`);
}

describe('CloudFormation custom resource returning a Network Firewall endpoint (F108)', function () {
  this.timeout(60000);

  it('the value of a custom resource given only the firewall is a pick of its endpoints, AZ not said; same value both ways: Protected', async () => {
    const r = await run(BASE);
    for (const [logical, attr] of [
      ['AppDefaultA', 'FirstEndpoint'],
      ['EdgeToAppA', 'FirstEndpoint'],
      ['AppDefaultB', 'SecondEndpoint'],
    ]) {
      const t = route(r, logical).target;
      assert.equal(t.kind, 'gwlbe');
      assert.deepEqual(t.pick, {
        firewall: FW,
        attribute: `EndpointLookup.${attr}`,
        endpoints: [`${FW}/endpoint/InspectionSubnetA`, `${FW}/endpoint/InspectionSubnetB`],
      });
      assert.ok(t.ref !== undefined && typeof t.ref !== 'string', 'never read as a known endpoint');
    }
    for (const [subnet, attr] of [
      ['AppSubnetA', 'FirstEndpoint'],
      ['AppSubnetB', 'SecondEndpoint'],
    ]) {
      const eg = egress(r, subnet);
      for (const leg of [eg.forward, eg.return!]) {
        assert.deepEqual(leg.outcome, { kind: 'delivered' });
        assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: FW, endpoint: pick(attr) }]);
        // No AZ is claimed for the endpoint: nothing may rest on a guessed one.
        assert.ok(leg.hops.filter((h) => h.element === pick(attr)).every((h) => h.az === undefined));
      }
      assert.match(eg.forward.hops[1].name, new RegExp(`^outbound endpoint EndpointLookup\\.${attr}$`));
      assert.match(eg.forward.hops[1].note, /custom resource given only this firewall returns/);
      assert.equal(eg.divergence, undefined);
    }
    assert.equal(state(r), 'Protected');
    assert.deepEqual(r.findings, []);
    // Its function's role only reads Network Firewall: it writes no route.
    assert.deepEqual(
      r.parseDiagnostics.filter((d) => d.code === 'unmodelled-resource').map((d) => d.message.replace(/ \(.*$/, '')),
      ['EndpointLookup'],
    );
    assert.match(
      r.parseDiagnostics.find((d) => d.code === 'unmodelled-resource')!.message,
      /changes no route: the role LookupRole .*network-firewall:DescribeFirewall/,
    );
  });

  it("the reply routed to the resource's other value: whether it is the same endpoint is not known, so Unknown and no cross-AZ finding", async () => {
    const text = edit(
      BASE,
      '      DestinationCidrBlock: 10.60.10.0/24\n      VpcEndpointId: !GetAtt EndpointLookup.FirstEndpoint',
      '      DestinationCidrBlock: 10.60.10.0/24\n      VpcEndpointId: !GetAtt EndpointLookup.SecondEndpoint',
    );
    const r = await run(text);
    const eg = egress(r, 'AppSubnetA');
    assert.deepEqual(eg.forward.outcome, { kind: 'delivered' });
    assert.equal(eg.return!.outcome.kind, 'unknown');
    assert.match(
      reason(eg.return!.outcome),
      /^outbound endpoint EndpointLookup\.SecondEndpoint is what custom resource EndpointLookup returns given only the firewall.*the forward leg left through outbound endpoint EndpointLookup\.FirstEndpoint: whether the reply enters the same endpoint cannot be decided$/,
    );
    assert.equal(state(r), 'Unknown');
    assert.deepEqual(r.findings, []);
  });

  it("the firewall subnets route the packet differently: the next hop depends on the function's AZ choice, Unknown naming both tables", async () => {
    const text = edit(
      BASE,
      [
        '  InspectionDefaultB:',
        '    Type: AWS::EC2::Route',
        '    DependsOn: IgwAttachment',
        '    Properties:',
        '      RouteTableId: !Ref InspectionRouteTableB',
        '      DestinationCidrBlock: 0.0.0.0/0',
        '      GatewayId: !Ref Igw',
        '',
      ].join('\n'),
      '',
    );
    const r = await run(text);
    for (const subnet of ['AppSubnetA', 'AppSubnetB']) {
      const eg = egress(r, subnet);
      assert.match(
        reason(eg.forward.outcome),
        /its function decides \(not read offline\), and the next hop depends on it: InspectionRouteTableA \(InspectionSubnetA, ap-southeast-2a\) sends 8\.8\.8\.8 to Igw; InspectionRouteTableB \(InspectionSubnetB, ap-southeast-2b\) has no route for 8\.8\.8\.8$/,
      );
      // The firewall inspected the packet before the AZ mattered.
      assert.deepEqual(
        eg.forward.inspectedBy.map((e) => e.element),
        [FW],
      );
    }
    assert.equal(state(r), 'Unknown');
    assert.deepEqual(r.findings, []);
  });

  it('a Gateway Load Balancer endpoint in the same VPC could be the value too: Unknown naming it; one in another VPC changes nothing', async () => {
    const gwlbe = (vpc: string): string =>
      [
        '  OtherEndpoint:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcEndpointType: GatewayLoadBalancer',
        '      ServiceName: com.amazonaws.vpce.ap-southeast-2.vpce-svc-0123456789abcdef0',
        `      VpcId: ${vpc}`,
        '      SubnetIds: [subnet-0a1b2c3d]',
        '',
      ].join('\n');
    const same = await run(edit(BASE, '  Igw:\n', `${gwlbe('!Ref Vpc')}  Igw:\n`));
    for (const subnet of ['AppSubnetA', 'AppSubnetB']) {
      const eg = egress(same, subnet);
      assert.match(reason(eg.forward.outcome), /Gateway Load Balancer endpoint OtherEndpoint may be the one it names/);
      assert.deepEqual(eg.forward.inspectedBy, []);
    }
    assert.equal(state(same), 'Unknown');
    assert.deepEqual(same.findings, []);
    const otherVpc = '  OtherVpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.61.0.0/16\n\n';
    const elsewhere = await run(edit(BASE, '  Igw:\n', `${otherVpc}${gwlbe('!Ref OtherVpc')}  Igw:\n`));
    assert.equal(state(elsewhere), 'Protected');
    // Its VPC not known offline (an existing VPC's id names no element of the inputs): it may be this one.
    const unknownVpc = await run(edit(BASE, '  Igw:\n', `${gwlbe('vpc-0f0e0d0c0b0a09080')}  Igw:\n`));
    assert.match(reason(egress(unknownVpc, 'AppSubnetA').forward.outcome), /OtherEndpoint, whose VPC is not known offline, may be the one/);
    // A VPC endpoint whose type is not known offline may be a Gateway Load Balancer one: not read as the firewall's.
    const kindByParameter = gwlbe('!Ref Vpc').replace('VpcEndpointType: GatewayLoadBalancer', 'VpcEndpointType: !Ref EndpointKind');
    const typeUnknown = await run(
      edit(edit(BASE, '  Igw:\n', `${kindByParameter}  Igw:\n`), 'Parameters:\n', 'Parameters:\n  EndpointKind:\n    Type: String\n'),
    );
    assert.equal(route(typeUnknown, 'AppDefaultA').target.pick, undefined);
    assert.equal(state(typeUnknown), 'Unknown');
  });

  it('a custom resource naming no firewall, two firewalls, or something else an endpoint id could come from: the value stays Unresolved', async () => {
    const secondFirewall = [
      '  FirewallTwo:',
      '    Type: AWS::NetworkFirewall::Firewall',
      '    Properties:',
      '      FirewallName: second',
      '      FirewallPolicyArn: !Ref Policy',
      '      VpcId: !Ref Vpc',
      '      SubnetMappings:',
      '        - SubnetId: !Ref InspectionSubnetB',
      '',
    ].join('\n');
    const service = ['  Service:', '    Type: AWS::EC2::VPCEndpointService', '    Properties:', '      AcceptanceRequired: false', ''].join(
      '\n',
    );
    const cases: [string, string][] = [
      [
        'no firewall',
        edit(
          BASE,
          '      FirewallArn: !Ref Firewall\n',
          '      FirewallArn: arn:aws:network-firewall:ap-southeast-2:111122223333:firewall/outbound\n',
        ),
      ],
      ['two firewalls', withProperty('OtherFirewall: !GetAtt FirewallTwo.FirewallArn', secondFirewall)],
      ['an endpoint service', withProperty('Service: !Ref Service', service)],
      [
        'a parameter not known offline',
        edit(withProperty('Extra: !Ref Extra'), 'Parameters:\n', 'Parameters:\n  Extra:\n    Type: String\n'),
      ],
      ['an endpoint id', withProperty('Extra: vpce-0123456789abcdef0')],
      ['an import', withProperty('Extra: !ImportValue shared-endpoint')],
    ];
    for (const [label, text] of cases) {
      const r = await run(text);
      const t = route(r, 'AppDefaultA').target;
      assert.equal(t.pick, undefined, label);
      assert.ok(t.ref !== undefined && typeof t.ref !== 'string', label);
      assert.equal(reason(egress(r, 'AppSubnetA').forward.outcome).includes('not resolvable offline'), true, label);
      assert.equal(state(r), 'Unknown', label);
      assert.deepEqual(
        r.findings.filter((f) => f.severity === 'error'),
        [],
        label,
      );
    }
    // An attribute that echoes one of the resource's properties is that property's value, not the function's result.
    const echo = await run(
      edit(BASE, 'VpcEndpointId: !GetAtt EndpointLookup.FirstEndpoint\n', 'VpcEndpointId: !GetAtt EndpointLookup.FirstZone\n'),
    );
    assert.equal(route(echo, 'AppDefaultA').target.pick, undefined);
    // Literals, AZ-typed parameters and resources no endpoint comes from, beside the firewall, leave the reading as it is.
    const more = await run(withProperty('Settings: { Retries: 3, Rules: !Ref AllowList, Zones: [!Ref ZoneA, !Ref ZoneB] }'));
    assert.equal(route(more, 'AppDefaultA').target.pick?.attribute, 'EndpointLookup.FirstEndpoint');
    assert.equal(state(more), 'Protected');
  });
});
