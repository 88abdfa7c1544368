// The Terraform parser on the example workspaces: exact counts, key fields and ranges.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { ModelFragment } from '../../../src/parse/types';
import type { NetworkElement } from '../../../src/model/types';
import { byId, countKinds, exampleFiles, ofKind, rng, textAt } from './helpers';

function load(folder: string): { frags: ModelFragment[]; els: NetworkElement[]; texts: Map<string, string> } {
  const texts = exampleFiles(folder, (f) => f.endsWith('.tf'));
  const idx = new TerraformIndex();
  for (const [file, text] of texts) idx.setFile(file, text);
  const frags = idx.build();
  return { frags, els: frags.flatMap((f) => f.elements), texts };
}

function file(texts: Map<string, string>, name: string): [string, string] {
  const e = [...texts].find(([f]) => f.endsWith(name));
  if (!e) throw new Error(`no file ${name}`);
  return e;
}

describe('terraform parser: examples', () => {
  before(async () => {
    await initTerraform();
  });

  describe('aws-distributed-egress-ok', () => {
    const ws = () => load('aws-distributed-egress-ok');

    it('produces one fragment per .tf file, no diagnostics, and the expected inventory', () => {
      const { frags, els } = ws();
      assert.equal(frags.length, 4);
      assert.ok(frags.every((f) => f.format === 'terraform'));
      assert.deepEqual(
        frags.flatMap((f) => f.diagnostics),
        [],
      );
      assert.deepEqual(countKinds(els), {
        vpc: 2,
        subnet: 8,
        igw: 1,
        eip: 2,
        natgw: 2,
        gwlbe: 2,
        routeTable: 8, // app_a, app_b, nat[a], nat[b], gwlbe, igw_edge + both VPCs' default tables
        rtAssociation: 7,
        instance: 2,
        gwlb: 1,
        targetGroup: 1,
        firewall: 2,
        endpointService: 1,
      });
      const ids = els.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    });

    it('evaluates cidrsubnet over variables, for_each keys and attribute references', () => {
      const { els } = ws();
      const subnets = Object.fromEntries(ofKind(els, 'subnet').map((s) => [s.id, [s.cidr, s.az, s.vpc]]));
      assert.deepEqual(subnets, {
        'aws_subnet.app_a': ['10.0.1.0/24', 'us-east-1a', 'aws_vpc.workload'],
        'aws_subnet.app_b': ['10.0.2.0/24', 'us-east-1b', 'aws_vpc.workload'],
        'aws_subnet.nat["a"]': ['10.0.10.0/24', 'us-east-1a', 'aws_vpc.workload'],
        'aws_subnet.nat["b"]': ['10.0.11.0/24', 'us-east-1b', 'aws_vpc.workload'],
        'aws_subnet.gwlbe_a': ['10.0.20.0/24', 'us-east-1a', 'aws_vpc.workload'],
        'aws_subnet.gwlbe_b': ['10.0.21.0/24', 'us-east-1b', 'aws_vpc.workload'],
        'aws_subnet.fw_a': ['10.100.1.0/24', 'us-east-1a', 'aws_vpc.inspection'],
        'aws_subnet.fw_b': ['10.100.2.0/24', 'us-east-1b', 'aws_vpc.inspection'],
      });
      const vpc = byId(els, 'aws_vpc.workload');
      assert.equal(vpc.kind === 'vpc' && vpc.cidrs[0], '10.0.0.0/16');
      assert.equal(vpc.region, 'us-east-1', 'region of the aws provider block (var.region default)');
      const appB = byId(els, 'aws_instance.app_b');
      assert.equal(appB.kind === 'instance' && appB.privateIp, '10.0.2.15', 'cidrhost(aws_subnet.app_b.cidr_block, 15)');
    });

    it('reads inline routes and aws_route resources with their targets', () => {
      const { els } = ws();
      const routes = (id: string) => {
        const t = byId(els, id);
        assert.equal(t.kind, 'routeTable');
        return t.kind === 'routeTable'
          ? t.routes.map((r) => [r.id, 'cidr' in r.destination ? r.destination.cidr : '?', r.target.kind, r.target.ref])
          : [];
      };
      assert.deepEqual(routes('aws_route_table.app_a'), [['aws_route_table.app_a#0', '0.0.0.0/0', 'natgw', 'aws_nat_gateway.nat["a"]']]);
      assert.deepEqual(routes('aws_route_table.nat["b"]'), [
        ['aws_route.nat_default["b"]', '0.0.0.0/0', 'gwlbe', 'aws_vpc_endpoint.gwlbe_b'],
      ]);
      assert.deepEqual(routes('aws_route_table.gwlbe'), [['aws_route_table.gwlbe#0', '0.0.0.0/0', 'igw', 'aws_internet_gateway.workload']]);
      assert.deepEqual(routes('aws_route_table.igw_edge'), [
        ['aws_route_table.igw_edge#0', '10.0.10.0/24', 'gwlbe', 'aws_vpc_endpoint.gwlbe_a'],
        ['aws_route_table.igw_edge#1', '10.0.11.0/24', 'gwlbe', 'aws_vpc_endpoint.gwlbe_b'],
      ]);
      // Default route tables: only `local` (left to the analysis), main.
      const def = byId(els, 'aws_vpc.inspection.default_route_table');
      assert.ok(def.kind === 'routeTable' && def.main === true && def.routes.length === 0 && def.vpc === 'aws_vpc.inspection');
    });

    it('reads subnet and edge associations', () => {
      const { els } = ws();
      const assoc = Object.fromEntries(
        ofKind(els, 'rtAssociation').map((a) => [a.id, [a.routeTable, a.subnet ?? null, a.gateway ?? null]]),
      );
      assert.deepEqual(assoc, {
        'aws_route_table_association.app_a': ['aws_route_table.app_a', 'aws_subnet.app_a', null],
        'aws_route_table_association.app_b': ['aws_route_table.app_b', 'aws_subnet.app_b', null],
        'aws_route_table_association.nat["a"]': ['aws_route_table.nat["a"]', 'aws_subnet.nat["a"]', null],
        'aws_route_table_association.nat["b"]': ['aws_route_table.nat["b"]', 'aws_subnet.nat["b"]', null],
        'aws_route_table_association.gwlbe_a': ['aws_route_table.gwlbe', 'aws_subnet.gwlbe_a', null],
        'aws_route_table_association.gwlbe_b': ['aws_route_table.gwlbe', 'aws_subnet.gwlbe_b', null],
        'aws_route_table_association.igw_edge': ['aws_route_table.igw_edge', null, 'aws_internet_gateway.workload'],
      });
    });

    it('links NAT gateways, endpoints, the GWLB, its target group and the firewalls', () => {
      const { els } = ws();
      const nat = byId(els, 'aws_nat_gateway.nat["a"]');
      assert.ok(nat.kind === 'natgw');
      assert.deepEqual([nat.subnet, nat.eip, nat.connectivity], ['aws_subnet.nat["a"]', 'aws_eip.nat["a"]', 'public']);
      const e = byId(els, 'aws_vpc_endpoint.gwlbe_b');
      assert.ok(e.kind === 'gwlbe');
      assert.deepEqual([e.vpc, e.subnet, e.service], ['aws_vpc.workload', 'aws_subnet.gwlbe_b', 'aws_vpc_endpoint_service.firewall']);
      const svc = byId(els, 'aws_vpc_endpoint_service.firewall');
      assert.ok(svc.kind === 'endpointService');
      assert.deepEqual(svc.loadBalancers, ['aws_lb.gwlb']);
      const lb = byId(els, 'aws_lb.gwlb');
      assert.ok(lb.kind === 'gwlb');
      assert.deepEqual([lb.subnets, lb.crossZone, lb.vpc], [['aws_subnet.fw_a', 'aws_subnet.fw_b'], false, 'aws_vpc.inspection']);
      const tg = byId(els, 'aws_lb_target_group.firewall');
      assert.ok(tg.kind === 'targetGroup');
      assert.deepEqual(
        [tg.protocol, tg.port, tg.loadBalancer, tg.targets],
        ['GENEVE', 6081, 'aws_lb.gwlb', ['aws_instance.firewall[0]', 'aws_instance.firewall[1]']],
      );
      const fw = ofKind(els, 'firewall').map((f) => [f.id, f.subnet, f.privateIp, f.vendor]);
      assert.deepEqual(fw, [
        ['aws_instance.firewall[0]', 'aws_subnet.fw_a', '10.100.1.10', 'fortinet'],
        ['aws_instance.firewall[1]', 'aws_subnet.fw_b', '10.100.2.10', 'fortinet'],
      ]);
    });

    it('locates elements: header as loc, whole block as extent, attribute value ranges', () => {
      const { els, texts } = ws();
      const [wf, wtext] = file(texts, 'aws-distributed-egress-ok/workload.tf');
      const edge = byId(els, 'aws_route_table.igw_edge');
      assert.equal(edge.loc.file, wf);
      assert.equal(textAt(wtext, edge.loc.range), 'resource "aws_route_table" "igw_edge"');
      assert.deepEqual(edge.loc.range, rng(229, 0, 229, 37));
      assert.ok(edge.extent && textAt(wtext, edge.extent).endsWith('Name = "igw-edge-rt"\n  }\n}'));
      const r0 = edge.kind === 'routeTable' ? edge.routes[0] : undefined;
      assert.ok(r0);
      assert.deepEqual(r0.loc.range, rng(232, 2, 235, 3));
      assert.ok(textAt(wtext, r0.loc.range).startsWith('route {'));
      const natA = byId(els, 'aws_subnet.nat["a"]');
      assert.equal(textAt(wtext, natA.loc.range), 'resource "aws_subnet" "nat"');
      assert.equal(textAt(wtext, natA.attrs!.cidr_block), 'cidrsubnet(var.workload_cidr, 8, 10 + each.value.netnum)');
      const [, itext] = file(texts, 'aws-distributed-egress-ok/inspection.tf');
      const lb = byId(els, 'aws_lb.gwlb');
      assert.equal(textAt(itext, lb.attrs!.enable_cross_zone_load_balancing), 'false');
    });
  });

  describe('aws-distributed-egress-asymmetric', () => {
    it('keeps the broken edge table and the legacy subnet exactly as written', () => {
      const { frags, els } = load('aws-distributed-egress-asymmetric');
      assert.deepEqual(
        frags.flatMap((f) => f.diagnostics),
        [],
      );
      const edge = byId(els, 'aws_route_table.igw_edge');
      assert.ok(edge.kind === 'routeTable');
      assert.deepEqual(
        edge.routes.map((r) => ['cidr' in r.destination ? r.destination.cidr : '?', r.target.ref]),
        [['10.0.11.0/24', 'aws_vpc_endpoint.gwlbe_a']],
      );
      const mgmt = byId(els, 'aws_route_table.mgmt');
      assert.ok(mgmt.kind === 'routeTable');
      assert.deepEqual(
        mgmt.routes.map((r) => [r.id, r.target.kind, r.target.ref]),
        [['aws_route.mgmt_default', 'igw', 'aws_internet_gateway.workload']],
      );
      const s = byId(els, 'aws_subnet.mgmt');
      assert.ok(s.kind === 'subnet' && s.cidr === '10.0.30.0/24' && s.az === 'us-east-1a');
      assert.equal(ofKind(els, 'subnet').length, 9);
      assert.equal(ofKind(els, 'instance').length, 3);
    });
  });

  describe('aviatrix-dcf', () => {
    const ws = () => load('aviatrix-dcf');

    it('reads VPCs, gateways (size, SNAT, egress capability, transit) and the mc-spoke module', () => {
      const { frags, els, texts } = ws();
      const spokesSourceLine = () =>
        file(texts, 'aviatrix-dcf/spokes.tf')[1]
          .split('\n')
          .findIndex((l) => /source\s*=\s*"terraform-aviatrix-modules\/mc-spoke/.test(l));
      // Issue 14: the mc-spoke registry module is approximated until `terraform init` downloads it, and
      // says so once; the controller credentials (no default, no tfvars) are named as terraform would ask.
      const diags = frags
        .flatMap((f) => f.diagnostics)
        .map((d) => `${d.loc.file.split('/').slice(-2).join('/')}:${d.loc.range.start.line + 1} ${d.severity} ${d.message}`);
      assert.deepEqual(
        diags.filter((d) => /terraform init/.test(d)),
        [
          'aviatrix-dcf/spokes.tf:' +
            (spokesSourceLine() + 1) +
            ' info module.shared: run `terraform init` to let Egress Lens read terraform-aviatrix-modules/mc-spoke/aviatrix; until then a built-in approximation of the Aviatrix mc-spoke module stands in',
        ],
      );
      assert.deepEqual(
        diags
          .filter((d) => !/terraform init/.test(d))
          .map((d) => /^aviatrix-dcf\/variables\.tf:\d+ info variable "(controller_\w+)" has no default and no value/.exec(d)?.[1]),
        ['controller_ip', 'controller_username', 'controller_password'],
      );
      assert.deepEqual(countKinds(els), { dcfConfig: 1, smartGroup: 8, webGroup: 1, dcfPolicy: 6, vpc: 6, aviatrixGateway: 6 });
      const gws = Object.fromEntries(
        ofKind(els, 'aviatrixGateway').map((g) => [g.id, [g.role, g.vpc, g.size, g.snat, g.egressCapability ?? null, g.transit ?? null]]),
      );
      assert.deepEqual(gws, {
        'aviatrix_spoke_gateway.prod': ['spoke', 'aviatrix_vpc.spoke["prod"]', 't3.medium', true, null, null],
        'aviatrix_spoke_gateway.dev': ['spoke', 'aviatrix_vpc.spoke["dev"]', 't3.medium', true, null, null],
        'aviatrix_spoke_gateway.analytics': [
          'spoke',
          'aviatrix_vpc.spoke["analytics"]',
          't3.medium',
          true,
          null,
          'aviatrix_transit_gateway.egress',
        ],
        'aviatrix_spoke_gateway.sandbox': ['spoke', 'aviatrix_vpc.spoke["sandbox"]', 't3.small', true, null, null],
        'module.shared.aviatrix_spoke_gateway.default': [
          'spoke',
          'module.shared.aviatrix_vpc.default[0]',
          't3.medium',
          true,
          null,
          'aviatrix_transit_gateway.egress',
        ],
        'aviatrix_transit_gateway.egress': ['transit', 'aviatrix_vpc.transit', 'c5.xlarge', false, true, null],
      });
      const vpcs = Object.fromEntries(ofKind(els, 'vpc').map((v) => [v.id, [v.cidrs, v.cloud, v.region]]));
      assert.deepEqual(vpcs['aviatrix_vpc.spoke["analytics"]'], [['10.30.0.0/16'], 'aws', 'us-east-1']);
      assert.deepEqual(vpcs['module.shared.aviatrix_vpc.default[0]'], [['10.50.0.0/16'], 'aws', 'us-east-1']);
      const sandbox = byId(els, 'aviatrix_spoke_gateway.sandbox');
      assert.ok(sandbox.kind === 'aviatrixGateway');
      assert.deepEqual(
        sandbox.subnetCidr && typeof sandbox.subnetCidr === 'object' ? sandbox.subnetCidr.unresolved : null,
        true,
        'subnet is computed by the provider',
      );
    });

    it('reads the policy list in order, including the dynamic block, with builtin groups', () => {
      const { els } = ws();
      const list = 'aviatrix_distributed_firewalling_policy_list.egress';
      const pols = ofKind(els, 'dcfPolicy').map((p) => [
        p.id.slice(list.length + 1),
        p.priority,
        p.rawAction,
        p.protocol,
        p.srcGroups,
        p.dstGroups,
        p.webGroups,
        p.ports,
        p.logging,
      ]);
      assert.deepEqual(pols, [
        [
          'prod-https-ipinfo',
          100,
          'PERMIT',
          'tcp',
          ['aviatrix_smart_group.prod'],
          ['aviatrix:public-internet'],
          ['aviatrix_web_group.ipinfo'],
          [{ lo: 443, hi: 443 }],
          true,
        ],
        ['prod-icmp-us', 110, 'PERMIT', 'icmp', ['aviatrix_smart_group.prod'], ['aviatrix_smart_group.us'], [], [], true],
        ['dev-permit-all-logged', 200, 'PERMIT', 'any', ['aviatrix_smart_group.dev'], ['aviatrix:anywhere'], [], [], true],
        ['sandbox-permit-all-logged', 210, 'PERMIT', 'any', ['aviatrix_smart_group.sandbox'], ['aviatrix:anywhere'], [], [], true],
        ['shared-deny-internet', 900, 'DENY', 'any', ['aviatrix_smart_group.shared'], ['aviatrix:anywhere'], [], [], true],
        ['prod-deny-all', 1000, 'DENY', 'any', ['aviatrix_smart_group.prod'], ['aviatrix:anywhere'], [], [], true],
      ]);
      assert.deepEqual(
        ofKind(els, 'dcfPolicy').map((p) => p.action),
        ['permit', 'permit', 'permit', 'permit', 'deny', 'deny'],
      );
      const anywhere = byId(els, 'aviatrix:anywhere');
      assert.ok(anywhere.kind === 'smartGroup' && anywhere.builtin === 'anywhere');
      const pub = byId(els, 'aviatrix:public-internet');
      assert.ok(pub.kind === 'smartGroup' && pub.builtin === 'publicInternet');
      const sg = byId(els, 'aviatrix_smart_group.prod');
      assert.ok(sg.kind === 'smartGroup');
      assert.deepEqual(sg.selectors, [{ cidr: '10.10.0.0/16' }], 'cidr = aviatrix_vpc.spoke["prod"].cidr');
      const us = byId(els, 'aviatrix_smart_group.us');
      assert.ok(us.kind === 'smartGroup');
      assert.deepEqual(us.selectors, [{ cidr: '8.8.8.8/32' }, { cidr: '8.8.4.4/32' }]);
      const wg = byId(els, 'aviatrix_web_group.ipinfo');
      assert.ok(wg.kind === 'webGroup');
      assert.deepEqual([wg.domains, wg.urls], [['ipinfo.io'], []]);
      const cfg = byId(els, 'aviatrix_distributed_firewalling_config.this');
      assert.ok(cfg.kind === 'dcfConfig' && cfg.enabled === true);
    });

    it('locates dynamic policies at their dynamic block and the module spoke at its call', () => {
      const { els, texts } = ws();
      const [, dcf] = file(texts, 'aviatrix-dcf/dcf.tf');
      const dev = byId(els, 'aviatrix_distributed_firewalling_policy_list.egress#dev-permit-all-logged');
      assert.equal(textAt(dcf, dev.loc.range), 'dynamic "policies"');
      const prod = byId(els, 'aviatrix_distributed_firewalling_policy_list.egress#prod-deny-all');
      assert.ok(textAt(dcf, prod.loc.range).startsWith('policies {\n    name             = "prod-deny-all"'));
      const [, spokes] = file(texts, 'aviatrix-dcf/spokes.tf');
      const shared = byId(els, 'module.shared.aviatrix_spoke_gateway.default');
      assert.equal(textAt(spokes, shared.loc.range), 'module "shared"');
      assert.equal(textAt(spokes, shared.attrs!.instance_size), '"t3.medium"');
      const sandbox = byId(els, 'aviatrix_spoke_gateway.sandbox');
      assert.equal(textAt(spokes, sandbox.attrs!.gw_size), '"t3.small"');
    });
  });
});
