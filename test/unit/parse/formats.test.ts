import * as assert from 'node:assert/strict';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { parseAzureCli } from '../../../src/parse/azureCli';
import { parseAviatrixExport } from '../../../src/parse/aviatrixExport';
import { detectFormat, yamlTopIndent } from '../../../src/parse/detect';
import { detectDamage } from '../../../src/parse/damage';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { isUnresolved } from '../../../src/model/types';
import { readExample, exampleFiles, ofKind, byId, countKinds, textAt, rng } from './helpers';

describe('parse/tfPlan: examples/terraform-plan', () => {
  const FILE = 'examples/terraform-plan/egress.tfplan.json';
  const text = readExample('terraform-plan/egress.tfplan.json');
  const f = parseTfPlan(FILE, text);

  it('maps planned resources to elements with addresses as ids, exact counts', () => {
    assert.deepEqual(f.diagnostics, []);
    // routeTable 5: the four written and the VPC's implicit main table, as the .tf gives it.
    assert.deepEqual(countKinds(f.elements), { vpc: 1, subnet: 3, igw: 1, eip: 1, natgw: 1, gwlbe: 1, routeTable: 5, rtAssociation: 4 });
    const main = byId(f.elements, 'aws_vpc.main.default_route_table');
    assert.ok(main.kind === 'routeTable' && main.main === true && main.routes.length === 0 && main.address === undefined);
    for (const e of f.elements) if (e !== main) assert.equal(e.address, e.id);
  });

  it('resolves references that are known only after apply through configuration expressions', () => {
    const nat = byId(f.elements, 'aws_nat_gateway.main');
    assert.ok(nat.kind === 'natgw' && nat.subnet === 'aws_subnet.nat' && nat.eip === 'aws_eip.nat');
    assert.ok(nat.kind === 'natgw' && isUnresolved(nat.privateIp) && nat.privateIp.reason === 'known after apply');
    const rt = byId(f.elements, 'aws_route_table.nat');
    assert.ok(rt.kind === 'routeTable');
    if (rt.kind !== 'routeTable') return;
    assert.deepEqual(
      rt.routes.map((r) => [r.id, 'cidr' in r.destination ? r.destination.cidr : '', r.target.kind, r.target.ref]),
      [['aws_route.nat_default', '0.0.0.0/0', 'gwlbe', 'aws_vpc_endpoint.gwlbe']],
    );
    const edge = byId(f.elements, 'aws_route_table.igw_edge');
    assert.ok(
      edge.kind === 'routeTable' &&
        edge.routes[0].id === 'aws_route_table.igw_edge#0' &&
        edge.routes[0].target.ref === 'aws_vpc_endpoint.gwlbe',
    );
    const a = byId(f.elements, 'aws_route_table_association.igw_edge');
    assert.ok(a.kind === 'rtAssociation' && a.gateway === 'aws_internet_gateway.main' && a.subnet === undefined);
    const e = byId(f.elements, 'aws_vpc_endpoint.gwlbe');
    assert.ok(e.kind === 'gwlbe' && e.subnet === 'aws_subnet.gwlbe' && isUnresolved(e.service));
  });

  it('locates each element at its "address" property in planned_values', () => {
    const s = byId(f.elements, 'aws_subnet.nat');
    assert.equal(textAt(text, s.loc.range), '"address": "aws_subnet.nat"');
    assert.deepEqual(s.loc.range, rng(59, 10, 59, 37));
    assert.equal(textAt(text, s.attrs!.cidr_block), '"10.20.10.0/24"');
  });

  it('uses known ids from state values and child modules', () => {
    const plan = JSON.stringify({
      format_version: '1.0',
      values: {
        root_module: {
          resources: [
            { address: 'aws_vpc.x', mode: 'managed', type: 'aws_vpc', name: 'x', values: { id: 'vpc-123', cidr_block: '10.0.0.0/16' } },
          ],
          child_modules: [
            {
              address: 'module.net',
              resources: [
                {
                  address: 'module.net.aws_subnet.s["a"]',
                  mode: 'managed',
                  type: 'aws_subnet',
                  name: 's',
                  index: 'a',
                  values: { id: 'subnet-9', vpc_id: 'vpc-123', cidr_block: '10.0.1.0/24', availability_zone: 'us-east-1a' },
                },
              ],
            },
          ],
        },
      },
    });
    const p = parseTfPlan('state.json', plan);
    const s = byId(p.elements, 'module.net.aws_subnet.s["a"]');
    assert.ok(s.kind === 'subnet' && s.vpc === 'aws_vpc.x' && s.providerId === 'subnet-9');
  });
});

describe('parse/tfPlan: aviatrix provider resources', () => {
  const res = (address: string, values: object, unknown: object = {}) => ({ address, values, unknown });
  const rs = [
    res('aviatrix_vpc.prod', { name: 'prod-vpc', cidr: '10.10.0.0/16', cloud_type: 1, region: 'us-east-1' }, { vpc_id: true }),
    res(
      'aviatrix_spoke_gateway.prod',
      { gw_name: 'prod-gw', gw_size: 't3.small', single_ip_snat: true, cloud_type: 1, vpc_reg: 'us-east-1' },
      { vpc_id: true },
    ),
    res(
      'aviatrix_smart_group.prod',
      { name: 'prod', selector: [{ match_expressions: [{ cidr: '10.10.0.0/16', type: '', tags: null }] }] },
      { uuid: true },
    ),
    res('aviatrix_distributed_firewalling_config.this', { enable_distributed_firewalling: true }),
    res(
      'aviatrix_distributed_firewalling_policy_list.egress',
      {
        policies: [
          {
            name: 'p1',
            action: 'PERMIT',
            priority: 100,
            protocol: 'TCP',
            dst_smart_groups: ['def000ad-0000-0000-0000-000000000001'],
            web_groups: null,
            port_ranges: [{ lo: 443, hi: 0 }],
            logging: true,
            watch: false,
          },
        ],
      },
      { policies: [{ src_smart_groups: true }] },
    ),
  ];
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: rs.map((r) => ({
          address: r.address,
          mode: 'managed',
          type: r.address.split('.')[0],
          name: r.address.split('.')[1],
          values: r.values,
        })),
      },
    },
    resource_changes: rs.map((r) => ({ address: r.address, change: { actions: ['create'], after: r.values, after_unknown: r.unknown } })),
    configuration: {
      root_module: {
        resources: [
          {
            address: 'aviatrix_spoke_gateway.prod',
            expressions: { vpc_id: { references: ['aviatrix_vpc.prod.vpc_id', 'aviatrix_vpc.prod'] } },
          },
          {
            address: 'aviatrix_distributed_firewalling_policy_list.egress',
            expressions: {
              policies: [{ src_smart_groups: { references: ['aviatrix_smart_group.prod.uuid', 'aviatrix_smart_group.prod'] } }],
            },
          },
        ],
      },
    },
  };
  const f = parseTfPlan('avx.json', JSON.stringify(plan, null, 2));

  it('maps gateways, groups, the DCF switch and policies with the Terraform parser ids', () => {
    assert.deepEqual(f.diagnostics, []);
    const gw = byId(f.elements, 'aviatrix_spoke_gateway.prod');
    assert.ok(gw.kind === 'aviatrixGateway');
    if (gw.kind !== 'aviatrixGateway') return;
    assert.deepEqual(
      [gw.name, gw.role, gw.vpc, gw.size, gw.snat, gw.gwCloud],
      ['prod-gw', 'spoke', 'aviatrix_vpc.prod', 't3.small', true, 'aws'],
    );
    const p = byId(f.elements, 'aviatrix_distributed_firewalling_policy_list.egress#p1');
    assert.ok(p.kind === 'dcfPolicy');
    if (p.kind !== 'dcfPolicy') return;
    assert.deepEqual(p.srcGroups, ['aviatrix_smart_group.prod']);
    assert.deepEqual(p.dstGroups, ['aviatrix:public-internet']);
    assert.deepEqual(p.ports, [{ lo: 443, hi: 443 }]);
    assert.deepEqual([p.protocol, p.action, p.priority, p.logging], ['tcp', 'permit', 100, true]);
    const g = byId(f.elements, 'aviatrix_smart_group.prod');
    assert.ok(g.kind === 'smartGroup' && g.selectors[0].cidr === '10.10.0.0/16' && g.selectors[0].type === undefined);
    assert.ok(byId(f.elements, 'aviatrix:public-internet').kind === 'smartGroup');
    const cfg = byId(f.elements, 'aviatrix_distributed_firewalling_config.this');
    assert.ok(cfg.kind === 'dcfConfig' && cfg.enabled === true);
  });
});

describe('parse/tfPlan: azurerm resources', () => {
  const rs: [string, object, object][] = [
    ['azurerm_subnet_route_table_association.dmz', {}, { id: true, subnet_id: true, route_table_id: true }],
    ['azurerm_virtual_network.spoke', { name: 'vnet-spoke', location: 'westeurope', address_space: ['10.1.0.0/16'] }, { id: true }],
    ['azurerm_subnet.dmz', { name: 'snet-dmz', virtual_network_name: 'vnet-spoke', address_prefixes: ['10.1.2.0/24'] }, { id: true }],
    [
      'azurerm_route_table.dmz',
      {
        name: 'rt-dmz',
        location: 'westeurope',
        route: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'Internet', next_hop_in_ip_address: '' }],
      },
      { id: true },
    ],
    [
      'azurerm_route.nva',
      {
        name: 'to-nva',
        route_table_name: 'rt-dmz',
        address_prefix: '10.0.0.0/8',
        next_hop_type: 'VirtualAppliance',
        next_hop_in_ip_address: '10.0.1.4',
      },
      { id: true },
    ],
  ];
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: rs.map(([address, values]) => ({
          address,
          mode: 'managed',
          type: address.split('.')[0],
          name: address.split('.')[1],
          values,
        })),
      },
    },
    resource_changes: rs.map(([address, , unknown]) => ({ address, change: { actions: ['create'], after_unknown: unknown } })),
    configuration: {
      root_module: {
        resources: [
          {
            address: 'azurerm_subnet_route_table_association.dmz',
            expressions: {
              subnet_id: { references: ['azurerm_subnet.dmz.id', 'azurerm_subnet.dmz'] },
              route_table_id: { references: ['azurerm_route_table.dmz.id', 'azurerm_route_table.dmz'] },
            },
          },
        ],
      },
    },
  };
  const f = parseTfPlan('az.json', JSON.stringify(plan));

  it('maps VNets, subnets by VNet name, route tables with inline and separate routes, associations', () => {
    assert.deepEqual(f.diagnostics, []);
    const s = byId(f.elements, 'azurerm_subnet.dmz');
    assert.ok(s.kind === 'subnet' && s.vpc === 'azurerm_virtual_network.spoke' && s.cidr === '10.1.2.0/24');
    const rt = byId(f.elements, 'azurerm_route_table.dmz');
    assert.ok(rt.kind === 'routeTable');
    if (rt.kind !== 'routeTable') return;
    assert.equal(rt.vpc, 'azurerm_virtual_network.spoke');
    assert.deepEqual(
      rt.routes.map((r) => [r.id, r.target]),
      [
        ['azurerm_route_table.dmz#0', { kind: 'internet' }],
        ['azurerm_route.nva', { kind: 'virtualAppliance', ip: '10.0.1.4' }],
      ],
    );
    const a = byId(f.elements, 'azurerm_subnet_route_table_association.dmz');
    assert.ok(a.kind === 'rtAssociation' && a.subnet === 'azurerm_subnet.dmz' && a.routeTable === 'azurerm_route_table.dmz');
  });
});

describe('parse/azureCli: examples/azure-cli-export', () => {
  const files = exampleFiles('azure-cli-export', (p) => p.endsWith('.json'));
  const frags = [...files].map(([file, t]) => parseAzureCli(file, t));
  const els = frags.flatMap((x) => x.elements);
  const P = '/subscriptions/7f3c2a1e-9b4d-4c8e-a6f2-51d0e3b9c784/resourcegroups/rg-network/providers/microsoft.network';

  it('reads VNets, subnets, peerings, route tables (UDRs), associations and the NVA, exact counts', () => {
    for (const x of frags) assert.deepEqual(x.diagnostics, []);
    // Associations appear in both the VNet and the route-table listings (merged by the workspace).
    assert.deepEqual(countKinds(els), { firewall: 1, routeTable: 2, rtAssociation: 4, vpc: 2, peering: 2, subnet: 3 });
    const v = byId(els, `${P}/virtualnetworks/vnet-spoke`);
    assert.ok(v.kind === 'vpc' && v.flavor === 'vnet' && v.cidrs[0] === '10.1.0.0/16' && v.region === 'westeurope');
  });

  it('maps next hop types and IPs', () => {
    const w = byId(els, `${P}/routetables/rt-spoke-workload`);
    assert.ok(w.kind === 'routeTable');
    if (w.kind !== 'routeTable') return;
    assert.equal(w.vpc, `${P}/virtualnetworks/vnet-spoke`);
    assert.deepEqual(w.routes[0].target, { kind: 'virtualAppliance', ip: '10.0.1.4' });
    const d = byId(els, `${P}/routetables/rt-spoke-dmz`);
    assert.ok(
      d.kind === 'routeTable' &&
        d.routes[0].target.kind === 'internet' &&
        'cidr' in d.routes[0].destination &&
        d.routes[0].destination.cidr === '0.0.0.0/0',
    );
    const nva = ofKind(els, 'firewall')[0];
    assert.equal(nva.privateIp, '10.0.1.4');
    assert.equal(nva.subnet, `${P}/virtualnetworks/vnet-hub/subnets/snet-nva`);
    assert.equal(nva.vendor, 'paloalto');
    assert.equal(nva.name, 'vm-nva-01');
  });

  it('keeps service-tag destinations as written (as Terraform does; the lookup decides what they change), anything else that is no CIDR Unresolved, and None next hops as blackholes', () => {
    const t = JSON.stringify([
      {
        id: '/x/routeTables/r',
        name: 'r',
        type: 'Microsoft.Network/routeTables',
        routes: [
          { name: 'a', addressPrefix: 'AzureCloud', nextHopType: 'Internet' },
          { name: 'b', addressPrefix: '10.0.0.0/8', nextHopType: 'None' },
          { name: 'c', addressPrefix: '10.0.0.0/33', nextHopType: 'Internet' },
        ],
      },
    ]);
    const r = parseAzureCli('rt.json', t).elements[0];
    assert.ok(r.kind === 'routeTable');
    if (r.kind !== 'routeTable') return;
    assert.deepEqual(r.routes[0].destination, { cidr: 'AzureCloud' });
    assert.ok('cidr' in r.routes[2].destination && isUnresolved(r.routes[2].destination.cidr));
    assert.equal(r.routes[1].state, 'blackhole');
    assert.ok(isUnresolved(r.vpc));
  });
});

describe('parse/aviatrixExport: examples/aviatrix-dcf/controller-export', () => {
  const files = exampleFiles('aviatrix-dcf/controller-export', (p) => p.endsWith('.json'));
  const frags = [...files].map(([file, t]) => parseAviatrixExport(file, t));
  const els = frags.flatMap((x) => x.elements);
  const policyText = [...files].find(([p]) => p.endsWith('policy-list.json'))![1];

  it('reads policies, SmartGroups, the WebGroup, builtins and the DCF switch, exact counts', () => {
    for (const x of frags) assert.deepEqual(x.diagnostics, []);
    // policy-list references the builtins Anywhere and Public Internet too (deduplicated on merge).
    assert.deepEqual(countKinds(els), { smartGroup: 10, webGroup: 1, dcfConfig: 1, dcfPolicy: 6 });
    const cfg = ofKind(els, 'dcfConfig')[0];
    assert.equal(cfg.enabled, true);
  });

  it('maps the policy fields and builtin UUIDs to builtin ids', () => {
    const p = ofKind(els, 'dcfPolicy').find((x) => x.name === 'prod-https-ipinfo')!;
    assert.equal(p.priority, 100);
    assert.equal(p.action, 'permit');
    assert.equal(p.protocol, 'tcp');
    assert.deepEqual(p.ports, [{ lo: 443, hi: 443 }]);
    assert.deepEqual(p.srcGroups, ['3f6b1c2e-8a4d-4f0e-9b7a-1c2d3e4f5a01']);
    assert.deepEqual(p.dstGroups, ['aviatrix:public-internet']);
    assert.deepEqual(p.webGroups, ['7a2d9e4c-1b3f-4c5d-8e6f-0a1b2c3d4e07']);
    assert.equal(p.logging, true);
    assert.equal(p.watch, false);
    assert.equal(p.enabled, true);
    const dev = ofKind(els, 'dcfPolicy').find((x) => x.name === 'dev-permit-all-logged')!;
    assert.deepEqual([dev.protocol, dev.dstGroups, dev.ports], ['any', ['aviatrix:anywhere'], []]);
    assert.equal(textAt(policyText, p.loc.range), '"name": "prod-https-ipinfo"');
    assert.equal(textAt(policyText, p.attrs!.priority), '100');
  });

  it('maps selectors, WebGroup domains and builtin flags', () => {
    const us = ofKind(els, 'smartGroup').find((g) => g.name === 'US')!;
    assert.deepEqual(us.selectors, [{ cidr: '8.8.8.8/32' }, { cidr: '8.8.4.4/32' }]);
    const web = ofKind(els, 'webGroup')[0];
    assert.deepEqual([web.name, web.domains, web.urls], ['ipinfo-io', ['ipinfo.io'], []]);
    const any = ofKind(els, 'smartGroup').filter((g) => g.id === 'aviatrix:anywhere');
    assert.ok(any.length >= 1 && any.every((g) => g.builtin === 'anywhere'));
  });

  it('reads rulesets, tags and ExternalGroups; inspection actions are permit + inspect', () => {
    const t = JSON.stringify({
      name: 'egress-ruleset',
      rules: [
        {
          name: 'r1',
          action: 'DEEP_PACKET_INSPECTION_PERMIT',
          priority: 5,
          protocol: 'UDP',
          src_smart_groups: ['g1'],
          dst_smart_groups: ['ext'],
          port_ranges: [{ lo: 53, hi: 54 }],
        },
      ],
      app_domains: [
        { uuid: 'g1', name: 'tagged', selector: { any: [{ all: { type: 'vm', 'tags.env': 'prod', region: 'us-east-1' } }] } },
        { uuid: 'ext', name: 'github', selector: { any: [{ all: { external: 'github', 'ext_args.services': 'hooks' } }] } },
      ],
    });
    const x = parseAviatrixExport('rs.json', t);
    const r = ofKind(x.elements, 'dcfPolicy')[0];
    assert.deepEqual([r.action, r.inspect, r.protocol, r.list, r.ports], ['permit', true, 'udp', 'egress-ruleset', [{ lo: 53, hi: 54 }]]);
    const g = ofKind(x.elements, 'smartGroup')[0];
    assert.deepEqual(g.selectors, [{ type: 'vm', tags: { env: 'prod' }, region: 'us-east-1' }]);
    const e = ofKind(x.elements, 'externalGroup')[0];
    assert.equal(e.source, 'github');
  });
});

describe('parse/detect', () => {
  it('detects every example file by shape', () => {
    const expect: [string, string][] = [
      ['aws-cli-export', 'aws-cli'],
      ['cloudformation', 'cloudformation'],
      ['terraform-plan', 'terraform-plan'],
      ['azure-cli-export', 'azure-cli'],
      ['aviatrix-dcf/controller-export', 'aviatrix-export'],
    ];
    for (const [folder, format] of expect) {
      for (const [file, t] of exampleFiles(folder, (p) => !p.endsWith('.md'))) assert.equal(detectFormat(file, t), format, file);
    }
    for (const [file, t] of exampleFiles('aws-distributed-egress-ok'))
      assert.equal(detectFormat(file, t), file.endsWith('.tf') ? 'terraform' : undefined, file);
  });

  it('ignores unrelated JSON and YAML, and does not trust file names', () => {
    assert.equal(detectFormat('package.json', '{"name": "x", "dependencies": {}}'), undefined);
    assert.equal(detectFormat('describe-route-tables.json', '{"name": "x"}'), undefined);
    assert.equal(detectFormat('k8s.yaml', 'apiVersion: v1\nkind: Service\n'), undefined);
    assert.equal(detectFormat('routes.json', '{"RouteTables": []}'), 'aws-cli');
    assert.equal(detectFormat('x.template', 'Resources:\n  V:\n    Type: AWS::EC2::VPC\n'), 'cloudformation');
    assert.equal(detectFormat('notes.txt', '{"Vpcs": []}'), undefined);
  });

  it("reads a template whose whole document is indented (its root keys share the first line's indentation)", () => {
    const indented = (s: string) =>
      s
        .split('\n')
        .map((l) => (l ? `    ${l}` : l))
        .join('\n');
    const tpl = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  V:\n    Type: AWS::EC2::VPC\n`;
    assert.equal(detectFormat('fw.yaml', indented(tpl)), 'cloudformation');
    assert.equal(detectFormat('fw.yaml', `# a comment\n\n---\n${indented(tpl)}`), 'cloudformation');
    assert.equal(detectFormat('fw.yaml', indented('Resources:\n  V:\n    Type: AWS::EC2::VPC\n')), 'cloudformation');
    // Nested keys of that name are not the root's: a serverless.yml's resources, a k8s manifest.
    assert.equal(detectFormat('serverless.yml', 'service: x\nresources:\n  Resources:\n    V:\n      Type: AWS::EC2::VPC\n'), undefined);
    assert.equal(detectFormat('k8s.yaml', '  apiVersion: v1\n  kind: Service\n'), undefined);
    assert.equal(detectFormat('odd.yaml', 'x:\n    AWSTemplateFormatVersion: "2010-09-09"\n'), undefined);
  });

  it('hands broken files that look like ours to their parser so syntax errors are shown', () => {
    assert.equal(detectFormat('rt.json', '{"RouteTables": [ {"RouteTableId": "rtb-1", }'), 'aws-cli');
  });

  // F113: a template indented as a whole (every line by four spaces) is valid YAML and CloudFormation
  // reads it; the sniff looks for the top-level keys at the indentation of the document's first key.
  const indent = (lines: string[], n: number) => lines.map((l) => (l ? ' '.repeat(n) + l : l)).join('\n') + '\n';
  const TEMPLATE = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    '',
    'Resources:',
    '  Vpc:',
    "    Type: 'AWS::EC2::VPC'",
    '    Properties:',
    '      CidrBlock: 10.1.0.0/16',
  ];

  it('takes a template indented as a whole, after comments and a document marker, and reads it in place', () => {
    for (const n of [2, 4]) {
      const text = '# egress VPC\n---\n' + indent(TEMPLATE, n);
      assert.equal(yamlTopIndent(text), n);
      assert.equal(detectFormat('net.yaml', text), 'cloudformation');
      // Without the version key: Resources at the top indentation and an AWS:: type.
      assert.equal(detectFormat('net.yaml', indent(TEMPLATE.slice(2), n)), 'cloudformation');
      const f = parseCloudFormation('net.yaml', text);
      assert.deepEqual(f.diagnostics, []);
      const vpc = byId(f.elements, 'cfn:net.yaml#Vpc');
      assert.ok(vpc.kind === 'vpc');
      assert.deepEqual(vpc.cidrs, ['10.1.0.0/16']);
      assert.equal(vpc.loc.range.start.line, 5, 'the VPC is located at its own line');
    }
  });

  it('an indented template that does not parse is a located error, never skipped', () => {
    // A stray flow end on line 7 (0-based 6): the parser, not the skip list, takes the file.
    const broken = indent([...TEMPLATE.slice(0, 6), '      CidrBlock: [10.1.0.0/16]]'], 4);
    assert.equal(detectFormat('net.yaml', broken), 'cloudformation');
    const f = parseCloudFormation('net.yaml', broken);
    const err = f.diagnostics.find((d) => d.code === 'syntax-error' && d.severity === 'error');
    assert.ok(err, JSON.stringify(f.diagnostics));
    assert.equal(err.loc.range.start.line, 6);
    // Cut before its first Type: not taken by the sniff, reported as damage at its location.
    const cut = indent(['Resources:', '  Vpc:', '    Properties: [x]]'], 4);
    assert.equal(detectFormat('net.yaml', cut), undefined);
    const d = detectDamage('net.yaml', cut);
    assert.equal(d?.format, 'cloudformation');
    assert.match(d.diagnostics[0].message, /top-level Resources/);
    assert.equal(d.diagnostics[0].loc.range.start.line, 2);
  });

  it('a Resources key nested below the first key is not top-level, at any indentation', () => {
    for (const n of [0, 4]) {
      const serverless = indent(['service: x', 'resources:', '  Resources:', '    Q:', '      Type: AWS::SQS::Queue'], n);
      assert.equal(detectFormat('serverless.yml', serverless), undefined);
      assert.equal(detectDamage('serverless.yml', serverless + indent(['  x: [y]]'], n)), undefined);
    }
  });
});
