// Issue 13 §3: "not defined in the workspace" is said only of what is not defined. A reference to a
// resource the inputs define but the model holds no element for (a type outside the model, a network
// load balancer) is "defined in <file> but not modelled", per format, and stays so through edits.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformIndex, initTerraform } from '../../../src/parse/terraform';
import { createWorkspace, type WorkspaceBuild } from '../../../src/parse/workspace';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { parseTfPlan } from '../../../src/parse/tfPlan';
import { mergeFragments } from '../../../src/parse/merge';
import { isUnresolved, type NetworkElement, type Ref } from '../../../src/model/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { byId, repoRoot, textAt } from './helpers';

const FIX = path.join(repoRoot(), 'test', 'fixtures', 'unmodelled');

const refsTo = (diags: ParseDiagnostic[]) => diags.filter((d) => d.code === 'unmodelled-reference' || d.code === 'missing-reference');

function reasonOf(r: Ref | undefined): string {
  assert.ok(r !== undefined && isUnresolved(r), `expected an Unresolved reference, got ${JSON.stringify(r)}`);
  return r.reason;
}

function tgwRouteAttachment(els: NetworkElement[], table: string, route: string): Ref | undefined {
  const t = byId(els, table);
  assert.ok(t.kind === 'tgwRouteTable');
  return t.routes.find((r) => r.id === route)?.attachment;
}

const LB = `
resource "aws_vpc" "v" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_lb" "web" {
  count              = 2
  load_balancer_type = "network"
  subnets            = [aws_subnet.s.id]
}

resource "aws_lb_target_group" "web" {
  port     = 443
  protocol = "TCP"
  vpc_id   = aws_vpc.v.id
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web[1].arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
`;

const PEER = `
resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_ec2_transit_gateway_route_table" "rt" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

module "peer" {
  source = "./peer"
}

resource "aws_ec2_transit_gateway_route" "to_peer" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = module.peer.attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}

resource "aws_ec2_transit_gateway_route" "elsewhere" {
  destination_cidr_block         = "10.9.0.0/16"
  transit_gateway_attachment_id  = "tgw-attach-0123456789abcdef0"
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.rt.id
}
`;

const PEER_MODULE = `
resource "aws_ec2_transit_gateway_peering_attachment_accepter" "this" {
  transit_gateway_attachment_id = "tgw-attach-0aaaabbbbccccdddd"
}

output "attachment_id" {
  value = aws_ec2_transit_gateway_peering_attachment_accepter.this.id
}
`;

async function workspace(files: Record<string, string>) {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws;
}

/** The same files in a fresh workspace build the same model and diagnostics. */
async function assertFresh(b: WorkspaceBuild, files: Record<string, string>): Promise<void> {
  const want = (await workspace(files)).build();
  assert.deepStrictEqual(b.model, want.model);
  assert.deepStrictEqual(refsTo(b.diagnostics), refsTo(want.diagnostics));
}

describe('references to resources defined but not modelled (issue 13 §3)', () => {
  before(async () => {
    await initTerraform();
  });

  it('Terraform: a network load balancer with count is declared once, without evaluating it; x[1] finds it', async () => {
    const ws = await workspace({ 'main.tf': LB });
    const b = ws.build();
    const d = refsTo(b.diagnostics);
    assert.deepEqual(
      d.map((x) => [x.code, x.severity, x.message]),
      [
        [
          'unmodelled-reference',
          'info',
          'aws_lb_target_group.web: loadBalancer refers to aws_lb.web[1], which is defined in main.tf:11 (aws_lb) but not modelled',
        ],
      ],
    );
    const tg = byId(b.model.elements, 'aws_lb_target_group.web');
    assert.ok(tg.kind === 'targetGroup');
    assert.equal(reasonOf(tg.loadBalancer), 'aws_lb defined in main.tf:11 but not modelled');
  });

  it('Terraform: a type outside the model inside a module instance is declared under its module address', async () => {
    const ws = await workspace({ 'main.tf': PEER, 'peer/main.tf': PEER_MODULE });
    const b = ws.build();
    const a = tgwRouteAttachment(b.model.elements, 'aws_ec2_transit_gateway_route_table.rt', 'aws_ec2_transit_gateway_route.to_peer');
    assert.equal(reasonOf(a), 'aws_ec2_transit_gateway_peering_attachment_accepter defined in peer/main.tf:2 but not modelled');
    const d = refsTo(b.diagnostics).map((x) => [x.code, x.severity, x.message]);
    assert.deepEqual(d, [
      [
        'unmodelled-reference',
        'info',
        'aws_ec2_transit_gateway_route.to_peer: attachment refers to module.peer.aws_ec2_transit_gateway_peering_attachment_accepter.this, which is defined in peer/main.tf:2 (aws_ec2_transit_gateway_peering_attachment_accepter) but not modelled',
      ],
      // What no input defines keeps its warning.
      [
        'missing-reference',
        'warning',
        'aws_ec2_transit_gateway_route.elsewhere: attachment refers to tgw-attach-0123456789abcdef0, which is not defined in the workspace',
      ],
    ]);
    const e = tgwRouteAttachment(b.model.elements, 'aws_ec2_transit_gateway_route_table.rt', 'aws_ec2_transit_gateway_route.elsewhere');
    assert.equal(reasonOf(e), 'not defined in the workspace');
  });

  it('Terraform: the fragment lists only what gave no element, at its block header', async () => {
    const tf = new TerraformIndex();
    tf.setFile('main.tf', LB);
    const frag = tf.build().find((f) => f.file === 'main.tf');
    // The target group and the VPC are elements; the listener is folded into its target group.
    assert.deepEqual(
      frag?.declared?.map((d) => [d.id, d.type, d.loc.file, textAt(LB, d.loc.range)]),
      [
        ['aws_lb.web', 'aws_lb', 'main.tf', 'resource "aws_lb" "web"'],
        ['aws_lb_listener.web', 'aws_lb_listener', 'main.tf', 'resource "aws_lb_listener" "web"'],
      ],
    );
  });

  it('Terraform edits: a type change, a move, a removal and an undo each give what a fresh workspace gives', async () => {
    // The load balancer in a file of its own: an edit there changes what the other file's elements read.
    const at = LB.indexOf('resource "aws_lb" "web"');
    const end = LB.indexOf('resource "aws_lb_target_group"');
    const lb = LB.slice(at, end);
    const rest = LB.slice(0, at) + LB.slice(end);
    let files: Record<string, string> = { 'lb.tf': lb, 'main.tf': rest };
    const ws = await workspace(files);
    const step = async (next: Record<string, string>) => {
      for (const f of Object.keys(files)) if (!(f in next)) ws.removeFile(f);
      for (const [f, t] of Object.entries(next)) ws.setFile(f, t);
      files = next;
      const b = ws.build();
      await assertFresh(b, files);
      return b;
    };
    const lbReason = (b: WorkspaceBuild) => {
      const tg = byId(b.model.elements, 'aws_lb_target_group.web');
      assert.ok(tg.kind === 'targetGroup');
      return tg.loadBalancer;
    };
    const b0 = ws.build();
    await assertFresh(b0, files);
    assert.equal(reasonOf(lbReason(b0)), 'aws_lb defined in lb.tf:1 but not modelled');
    // Two lines down: the line in the reason follows; only the element that reads it changes.
    const moved = await step({ ...files, 'lb.tf': '\n\n' + lb });
    assert.equal(reasonOf(lbReason(moved)), 'aws_lb defined in lb.tf:3 but not modelled');
    assert.deepEqual([...moved.changedIds!].sort(), ['aws_lb_target_group.web']);
    // A gateway load balancer is modelled: the reference resolves, nothing is said.
    const gw = await step({ ...files, 'lb.tf': lb.replace('"network"', '"gateway"') });
    assert.equal(lbReason(gw), 'aws_lb.web[1]');
    assert.deepEqual(refsTo(gw.diagnostics), []);
    // The load balancer's file removed: Terraform's own "not declared", never "defined but not modelled".
    const gone = await step({ 'main.tf': rest });
    assert.match(reasonOf(lbReason(gone)), /aws_lb\.web is not declared/);
    assert.ok(!gone.diagnostics.some((d) => d.code === 'unmodelled-reference'));
    // Undo: as at first.
    const back = await step({ 'lb.tf': lb, 'main.tf': rest });
    assert.deepStrictEqual(back.model, b0.model);
  });

  it('terraform plan JSON: unmapped and left-out resources are declared by address; an id in a value finds them', () => {
    const res = (address: string, type: string, values: Record<string, unknown>) => ({
      address,
      mode: 'managed',
      type,
      name: address.split('.')[1].replace(/\[.*$/, ''),
      ...(address.endsWith(']') ? { index: Number(/\[(\d+)\]$/.exec(address)![1]) } : {}),
      values,
    });
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            res('aws_ec2_transit_gateway.hub', 'aws_ec2_transit_gateway', { id: 'tgw-1' }),
            res('aws_ec2_transit_gateway_route_table.rt', 'aws_ec2_transit_gateway_route_table', {
              id: 'tgw-rtb-1',
              transit_gateway_id: 'tgw-1',
            }),
            res('aws_ec2_transit_gateway_peering_attachment_accepter.west', 'aws_ec2_transit_gateway_peering_attachment_accepter', {
              id: 'tgw-attach-9',
            }),
            res('aws_ec2_transit_gateway_route.to_west', 'aws_ec2_transit_gateway_route', {
              destination_cidr_block: '0.0.0.0/0',
              transit_gateway_attachment_id: 'tgw-attach-9',
              transit_gateway_route_table_id: 'tgw-rtb-1',
            }),
            res('aws_lb.nlb[0]', 'aws_lb', {
              arn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/a/1',
              load_balancer_type: 'network',
            }),
            res('aws_lb.nlb[1]', 'aws_lb', {
              arn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/b/2',
              load_balancer_type: 'network',
            }),
          ],
        },
      },
    };
    const text = JSON.stringify(plan, null, 2);
    const frag = parseTfPlan('plan.json', text);
    assert.deepEqual(
      frag.declared?.map((d) => [d.id, d.type, d.loc.range.start.line + 1]),
      [
        ['aws_ec2_transit_gateway_peering_attachment_accepter.west', 'aws_ec2_transit_gateway_peering_attachment_accepter', 26],
        ['aws_ec2_transit_gateway_route.to_west', 'aws_ec2_transit_gateway_route', 35],
        // One entry for both instances, at the first.
        ['aws_lb.nlb', 'aws_lb', 46],
      ],
    );
    assert.match(text.split('\n')[25], /"address": "aws_ec2_transit_gateway_peering_attachment_accepter.west"/);
    const m = mergeFragments([frag]);
    const a = tgwRouteAttachment(m.elements, 'aws_ec2_transit_gateway_route_table.rt', 'aws_ec2_transit_gateway_route.to_west');
    assert.equal(reasonOf(a), 'aws_ec2_transit_gateway_peering_attachment_accepter defined in plan.json:26 but not modelled');
    assert.deepEqual(
      m.diagnostics.map((d) => [d.code, d.severity]),
      [['unmodelled-reference', 'info']],
    );
  });

  it('CloudFormation: a network load balancer named by a target group is defined but not modelled; modelled resources are not declared', () => {
    const text = fs.readFileSync(path.join(FIX, 'declared-nlb', 'ingress.yaml'), 'utf8');
    const frag = parseCloudFormation('ingress.yaml', text);
    assert.deepEqual(
      frag.declared?.map((d) => [d.id, d.type, d.loc.range.start.line + 1]),
      [
        ['cfn:ingress.yaml#IngressNlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 15],
        ['cfn:ingress.yaml#IngressListener', 'AWS::ElasticLoadBalancingV2::Listener', 29],
      ],
    );
    const m = mergeFragments([frag]);
    const tg = byId(m.elements, 'cfn:ingress.yaml#IngressTargets');
    assert.ok(tg.kind === 'targetGroup');
    assert.equal(reasonOf(tg.loadBalancer), 'AWS::ElasticLoadBalancingV2::LoadBalancer defined in ingress.yaml:15 but not modelled');
    assert.deepEqual(
      m.diagnostics.map((d) => [d.code, d.severity, d.loc.range.start.line + 1, d.message]),
      [
        [
          'unmodelled-reference',
          'info',
          22,
          'cfn:ingress.yaml#IngressTargets: loadBalancer refers to cfn:ingress.yaml#IngressNlb, which is defined in ingress.yaml:15 (AWS::ElasticLoadBalancingV2::LoadBalancer) but not modelled',
        ],
      ],
    );
  });

  it('the first declaration in file order is the one named; removing it names the next', () => {
    const at = (file: string, line: number) => ({ file, range: { start: { line, character: 0 }, end: { line, character: 1 } } });
    const user = {
      file: 'c.json',
      format: 'terraform-plan' as const,
      elements: [
        {
          id: 'aws_lb_target_group.t',
          kind: 'targetGroup',
          name: 't',
          loc: at('c.json', 0),
          cloud: 'aws',
          targets: [],
          loadBalancer: 'aws_lb.x["a"]',
        } as NetworkElement,
      ],
      diagnostics: [],
    };
    const decl = (file: string, line: number) => ({
      file,
      format: 'terraform' as const,
      elements: [],
      diagnostics: [],
      declared: [{ id: 'aws_lb.x', type: 'aws_lb', loc: at(file, line) }],
    });
    const reason = (frags: Parameters<typeof mergeFragments>[0]) => {
      const tg = byId(mergeFragments(frags).elements, 'aws_lb_target_group.t');
      return tg.kind === 'targetGroup' ? reasonOf(tg.loadBalancer) : '';
    };
    assert.equal(reason([user, decl('b.tf', 4), decl('a.tf', 7)]), 'aws_lb defined in a.tf:8 but not modelled');
    assert.equal(reason([user, decl('b.tf', 4)]), 'aws_lb defined in b.tf:5 but not modelled');
    assert.equal(reason([user]), 'not defined in the workspace');
  });
});
