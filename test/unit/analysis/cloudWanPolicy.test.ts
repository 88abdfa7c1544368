import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { ROOT } from '../report/helpers';
import { createWorkspace } from '../../../src/parse/workspace';
import {
  needsAcceptance,
  placeAttachment,
  readCorePolicy,
  sendTo,
  serves,
  sharedInto,
  type CorePolicy,
} from '../../../src/analysis/trace/corePolicy';
import { unresolved } from '../../../src/model/types';

// A Cloud WAN core network policy known offline (jsonencode of a locals object): attachment policies put each VPC
// attachment in a segment or a network function group by its tags, and a segment's send-to sends its default route
// to the group's attachment in the same region, whose VPC then routes the packet (firewall, NAT, internet gateway).
describe('analysis: Cloud WAN core network policy', function () {
  this.timeout(60000);

  describe('the policy reader', () => {
    const doc = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        version: '2021.12',
        segments: [{ name: 'prod', 'isolate-attachments': true, 'edge-locations': ['eu-west-1'] }, { name: 'dev' }],
        'network-function-groups': [{ name: 'insp' }],
        'segment-actions': [
          { action: 'send-to', segment: 'prod', via: { 'network-function-groups': ['insp'] } },
          {
            action: 'send-via',
            segment: 'dev',
            mode: 'single-hop',
            'when-sent-to': { segments: ['shared'] },
            via: { 'network-function-groups': ['insp'] },
          },
        ],
        'attachment-policies': [
          { 'rule-number': 300, conditions: [{ type: 'any' }], action: { 'association-method': 'constant', segment: 'dev' } },
          {
            'rule-number': 100,
            'condition-logic': 'and',
            conditions: [
              { type: 'tag-exists', key: 'fw' },
              { type: 'region', operator: 'equals', value: 'eu-west-1' },
            ],
            action: { 'add-to-network-function-group': 'insp' },
          },
          {
            'rule-number': 200,
            conditions: [{ type: 'tag-value', key: 'env', operator: 'begins-with', value: 'prod' }],
            action: { 'association-method': 'tag', 'tag-value-of-key': 'env' },
          },
        ],
        ...extra,
      });
    const policy = readCorePolicy(doc()) as CorePolicy;

    it('reads segments, groups, actions, and the attachment policies in rule-number order', () => {
      assert.ok(!('error' in policy));
      assert.deepEqual(policy.segments, [
        { name: 'prod', isolate: true, edgeLocations: ['eu-west-1'], requireAcceptance: true, denyFilter: [] },
        { name: 'dev', isolate: false, requireAcceptance: true, denyFilter: [] },
      ]);
      assert.deepEqual(policy.nfgs, ['insp']);
      assert.deepEqual(
        policy.attachmentPolicies.map((p) => p.rule),
        [100, 200, 300],
      );
      assert.deepEqual(
        sendTo(policy, 'prod').map((a) => a.nfgs),
        [['insp']],
      );
      assert.deepEqual(sendTo(policy, 'dev'), []);
    });

    it('refuses what it does not read: not JSON, another version, route policies (review s17 R8)', () => {
      assert.deepEqual(readCorePolicy('{"version": '), { error: 'it is not valid JSON' });
      assert.match((readCorePolicy(doc({ version: '2030.01' })) as { error: string }).error, /version "2030.01" is not 2021.12 or 2025.11/);
      // 2025.11 without route policies reads as 2021.12; with them, what segments propagate is not known.
      assert.deepEqual((readCorePolicy(doc({ version: '2025.11' })) as typeof policy).nfgs, ['insp']);
      assert.match(
        (readCorePolicy(doc({ version: '2025.11', 'routing-policies': [{ 'routing-policy-name': 'deny10' }] })) as { error: string }).error,
        /route policies \(routing-policies\) are not read/,
      );
      assert.match((readCorePolicy('[]') as { error: string }).error, /not a JSON object/);
    });

    // The placement without the rule that decided it.
    const place = (...a: Parameters<typeof placeAttachment>) => {
      const p = placeAttachment(...a);
      return 'rule' in p ? ('nfg' in p ? { nfg: p.nfg } : { segment: p.segment }) : p;
    };

    it('places an attachment by the first rule that holds', () => {
      assert.deepEqual(place(policy, { fw: 'x' }, 'eu-west-1'), { nfg: 'insp' });
      // Rule 100 needs both: in another region the fw tag alone does not make it a group attachment.
      assert.deepEqual(place(policy, { fw: 'x' }, 'us-east-1'), { segment: 'dev' });
      assert.deepEqual(place(policy, { env: 'prod' }, 'us-east-1'), { segment: 'prod' });
      assert.deepEqual(place(policy, { env: 'staging' }, 'us-east-1'), { segment: 'dev' });
    });

    it('reads share-with (a list, "*", {"except": [...]}) both ways, and the filters of the segment shared into (review s17 R6)', () => {
      const shares = (segments: unknown[], actions: unknown[]) =>
        sharedInto(readCorePolicy(doc({ segments, 'segment-actions': actions })) as CorePolicy, 'prod').map((x) => x.from);
      const segs = [{ name: 'prod' }, { name: 'dev' }, { name: 'hybrid' }];
      assert.deepEqual(shares(segs, [{ action: 'share', segment: 'hybrid', 'share-with': ['prod'] }]), ['hybrid']);
      assert.deepEqual(shares(segs, [{ action: 'share', segment: 'hybrid', 'share-with': '*' }]), ['hybrid']);
      assert.deepEqual(shares(segs, [{ action: 'share', segment: 'hybrid', 'share-with': { except: ['prod'] } }]), []);
      assert.deepEqual(shares(segs, [{ action: 'share', segment: 'hybrid', 'share-with': ['dev'] }]), []);
      assert.deepEqual(shares(segs, [{ action: 'share', segment: 'prod', 'share-with': { except: ['dev'] } }]), ['hybrid']);
      const denying = [{ name: 'prod', 'deny-filter': ['hybrid'] }, { name: 'hybrid' }];
      assert.deepEqual(shares(denying, [{ action: 'share', segment: 'hybrid', 'share-with': '*' }]), []);
      const allowing = [{ name: 'prod', 'allow-filter': ['dev'] }, { name: 'dev' }, { name: 'hybrid' }];
      assert.deepEqual(shares(allowing, [{ action: 'share', segment: 'prod', 'share-with': '*' }]), ['dev']);
    });

    it('require-attachment-acceptance is true unless written false; an attachment policy may require it (review s17 R7)', () => {
      assert.equal(needsAcceptance(policy, placeAttachment(policy, { env: 'prod' }, 'us-east-1')), true);
      const relaxed = readCorePolicy(
        doc({
          segments: [{ name: 'prod', 'require-attachment-acceptance': false }],
          'network-function-groups': [{ name: 'insp', 'require-attachment-acceptance': false }],
        }),
      ) as CorePolicy;
      assert.equal(needsAcceptance(relaxed, placeAttachment(relaxed, { env: 'prod' }, 'us-east-1')), false);
      assert.equal(needsAcceptance(relaxed, placeAttachment(relaxed, { fw: 'x' }, 'eu-west-1')), false);
      const byRule = readCorePolicy(
        doc({
          segments: [{ name: 'prod', 'require-attachment-acceptance': false }],
          'attachment-policies': [
            { 'rule-number': 1, conditions: [{ type: 'any' }], action: { segment: 'prod', 'require-acceptance': true } },
          ],
        }),
      ) as CorePolicy;
      assert.equal(needsAcceptance(byRule, placeAttachment(byRule, {}, 'us-east-1')), true);
    });

    it('an undecided tag or region before the deciding rule leaves the placement unknown, naming it', () => {
      const p = placeAttachment(policy, { env: unresolved('var.env', 'variable env has no default') }, 'us-east-1');
      assert.match(
        (p as { unknown: string }).unknown,
        /attachment policy 200 .*its tag env is not known offline \(`var.env`: variable env has no default\)/,
      );
      const r = placeAttachment(policy, { fw: 'x' }, unresolved('var.region', 'variable region has no default'));
      assert.match((r as { unknown: string }).unknown, /attachment policy 100 .*its VPC's region is not known offline/);
      // A rule that cannot hold whatever the undecided value is decides nothing: the next one does.
      assert.deepEqual(place(policy, { env: 'qa' }, unresolved('var.region', 'no default')), { segment: 'dev' });
      assert.match(
        (placeAttachment(policy, unresolved('var.tags', 'no default'), 'eu-west-1') as { unknown: string }).unknown,
        /its tags are not known offline/,
      );
    });

    it('no rule holds: no segment', () => {
      const only = readCorePolicy(
        doc({
          'attachment-policies': [{ 'rule-number': 1, conditions: [{ type: 'tag-exists', key: 'seg' }], action: { segment: 'prod' } }],
        }),
      ) as CorePolicy;
      assert.deepEqual(placeAttachment(only, { other: 'x' }, 'eu-west-1'), { none: true });
    });

    it('a group serves the segments that send to it or through it', () => {
      assert.equal(serves(policy, 'insp', 'prod'), true);
      assert.equal(serves(policy, 'insp', 'dev'), true);
      assert.equal(serves(policy, 'insp', 'shared'), true);
      assert.equal(serves(policy, 'insp', 'other'), false);
      assert.equal(serves(policy, 'other', 'prod'), false);
    });

    it('a send-via to every segment, written "segments": "*" as the provider\'s data source writes it (review R14)', () => {
      const all = readCorePolicy(
        doc({
          'segment-actions': [
            { action: 'send-via', segment: 'dev', 'when-sent-to': { segments: '*' }, via: { 'network-function-groups': ['insp'] } },
          ],
        }),
      ) as CorePolicy;
      assert.equal(serves(all, 'insp', 'other'), true);
    });
  });

  describe('the trace', () => {
    const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/cloud-wan-policy/main.tf'), 'utf8');

    async function run(text: string) {
      const r = await analyzeFiles({ 'main.tf': text });
      return {
        r,
        state: (id: string) => r.states.find((s) => s.vpc === id),
        path: (subnet: string) => r.egress.find((e) => e.subnet === subnet)!,
      };
    }

    it('send-to: out through the group attachment of the same region, its firewall, NAT and IGW, and back through the firewall', async () => {
      const { state, path: p } = await run(fixture);
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Protected', s?.reason);
      const e = p('aws_subnet.app');
      assert.equal(e.forward.outcome.kind, 'delivered');
      const out = e.forward.hops.map((h) => h.element);
      assert.deepEqual(out.slice(0, 3), [
        'aws_subnet.app',
        'aws_networkmanager_vpc_attachment.app',
        'aws_networkmanager_vpc_attachment.egress',
      ]);
      assert.ok(out.includes('aws_nat_gateway.egress') && out.includes('aws_internet_gateway.egress'), out.join(' '));
      assert.match(
        e.forward.hops[1].note,
        /puts app-euc1-cwan in segment apps, whose send-to sends what leaves the segment to network function group egress-fw: its attachment in eu-central-1 is egress-euc1-cwan/,
      );
      assert.deepEqual(
        e.forward.inspectedBy.map((i) => i.element),
        ['aws_networkfirewall_firewall.egress'],
      );
      assert.ok(e.return, 'a return leg');
      assert.equal(e.return.outcome.kind, 'delivered');
      const back = e.return.hops.map((h) => h.element);
      assert.deepEqual(back.slice(-3), [
        'aws_networkmanager_vpc_attachment.egress',
        'aws_networkmanager_vpc_attachment.app',
        'aws_subnet.app',
      ]);
      assert.deepEqual(
        e.return.inspectedBy.map((i) => i.element),
        ['aws_networkfirewall_firewall.egress'],
      );
    });

    // The same policy written as the provider's data source (review R14): rendered offline, read as the JSON is.
    const DATA_SOURCE = `
data "aws_networkmanager_core_network_policy_document" "cn" {
  core_network_configuration {
    asn_ranges = ["64600-64700"]
    dynamic "edge_locations" {
      for_each = ["eu-central-1", "us-east-1"]
      content {
        location = edge_locations.value
      }
    }
  }
  segments {
    name                          = "apps"
    isolate_attachments           = true
    require_attachment_acceptance = false
  }
  network_function_groups {
    name                          = "egress-fw"
    require_attachment_acceptance = false
  }
  segment_actions {
    action  = "send-to"
    segment = "apps"
    via {
      network_function_groups = ["egress-fw"]
    }
  }
  attachment_policies {
    rule_number     = 10
    condition_logic = "or"
    conditions {
      type     = "tag-value"
      key      = "role"
      operator = "equals"
      value    = "egress"
    }
    action {
      add_to_network_function_group = "egress-fw"
    }
  }
  attachment_policies {
    rule_number = 20
    conditions {
      type = "tag-exists"
      key  = "zone"
    }
    action {
      association_method = "tag"
      tag_value_of_key   = "zone"
    }
  }
}
`;
    const fromDataSource = (text: string) =>
      replaceOnce(text, [
        'policy_document = jsonencode(local.policy)',
        'policy_document = data.aws_networkmanager_core_network_policy_document.cn.json',
      ]) + DATA_SOURCE;

    it('the policy written as the data source aws_networkmanager_core_network_policy_document: traced as the JSON one (review R14)', async () => {
      const { state, path: p } = await run(fromDataSource(fixture));
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Protected', s?.reason);
      assert.match(
        p('aws_subnet.app').forward.hops[1].note,
        /puts app-euc1-cwan in segment apps, whose send-to sends what leaves the segment to network function group egress-fw: its attachment in eu-central-1 is egress-euc1-cwan/,
      );
      assert.match(
        state('aws_vpc.app_use1')!.reason,
        /network function group egress-fw, which has no attachment in us-east-1 in the inputs/,
      );
    });

    it('the data source with an argument not known offline: its policy is not read, naming the argument', async () => {
      const s = (
        await run(
          replaceOnce(fromDataSource(fixture), [
            '    name                          = "apps"',
            '    name                          = var.segment',
          ]) + 'variable "segment" {\n  type = string\n}\n',
        )
      ).state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /the policy document of cn \(main.tf:\d+\) is not known offline \(`data.aws_networkmanager_core_network_policy_document.cn.json`: data.aws_networkmanager_core_network_policy_document.cn renders it from segments\[0\].name `var.segment`, not known offline/,
      );
    });

    // The core network created with its base policy (create_base_policy), the design of AWS's Cloud WAN samples.
    const basePolicy = (text: string, attachment: boolean) => {
      const withBase = replaceOnce(fromDataSource(text), [
        'resource "aws_networkmanager_core_network" "cn" {\n  global_network_id = aws_networkmanager_global_network.gn.id\n}',
        'resource "aws_networkmanager_core_network" "cn" {\n  global_network_id    = aws_networkmanager_global_network.gn.id\n  create_base_policy   = true\n  base_policy_document = data.aws_networkmanager_core_network_policy_document.cn.json\n}',
      ]);
      return attachment ? withBase : withBase.replace(/resource "aws_networkmanager_core_network_policy_attachment" "cn" \{[^}]*\}/, '');
    };

    it("the core network's base policy (create_base_policy, base_policy_document) is its live policy", async () => {
      const s = (await run(basePolicy(fixture, false))).state('aws_vpc.app');
      assert.equal(s?.state, 'Protected', s?.reason);
    });

    it('a policy attachment replaces the base policy: its document is the live one, not two in doubt', async () => {
      // The base policy says nothing readable; the attachment's is the one read.
      const text = replaceOnce(basePolicy(fixture, true), [
        'base_policy_document = data.aws_networkmanager_core_network_policy_document.cn.json',
        'base_policy_document = "{}"',
      ]);
      const s = (await run(text)).state('aws_vpc.app');
      assert.equal(s?.state, 'Protected', s?.reason);
    });

    it('no attachment of the group in the source region: Unknown, naming the region', async () => {
      const s = (await run(fixture)).state('aws_vpc.app_use1');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /segment apps sends it to network function group egress-fw, which has no attachment in us-east-1 in the inputs/,
      );
    });

    it('a tag from a variable without default decides the segment: Unknown, naming the tag', async () => {
      const { state } = await run(
        replaceOnce(
          fixture,
          ['tags            = { Name = "app-euc1-cwan", zone = "apps" }', 'tags            = { Name = "app-euc1-cwan", zone = var.zone }'],
          ['locals {', 'variable "zone" {\n  type = string\n}\n\nlocals {'],
        ),
      );
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /which segment its policy puts app-euc1-cwan in is not decided: attachment policy 20 names its segment by its tag zone, not known offline \(`var.zone`/,
      );
    });

    it('the policy document not known offline: its policy is not read, as without one', async () => {
      const { state, path: p } = await run(
        replaceOnce(
          fixture,
          ['policy_document = jsonencode(local.policy)', 'policy_document = var.policy'],
          ['locals {', 'variable "policy" {\n  type = string\n}\n\nlocals {'],
        ),
      );
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /its policy \(segments, segment actions\) decides and is not read: the policy document of cn \(main.tf:\d+\) is not known offline \(`var.policy`: variable "policy" has no default\)/,
      );
      assert.equal(p('aws_subnet.app').forward.hops.length, 2);
    });

    it('the segment has no edge location in the source region: Unknown, naming it', async () => {
      const { state } = await run(
        replaceOnce(fixture, [
          '{ name = "apps", "isolate-attachments" = true,',
          '{ name = "apps", "edge-locations" = ["us-east-1"], "isolate-attachments" = true,',
        ]),
      );
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(s.reason, /segment apps has no edge location in eu-central-1 \(its edge-locations: us-east-1\), where app-euc1 is/);
    });

    it("the group attachment's tag puts it elsewhere: no group attachment in the region, Unknown", async () => {
      const { state } = await run(replaceOnce(fixture, ['role = "egress"', 'role = "inspection"']));
      const s = state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(s.reason, /which has no attachment in eu-central-1 in the inputs/);
    });

    // A hybrid segment whose static default route leads to an attachment (an on-premises firewall, say); its share
    // with apps is written on hybrid only. Shares are both ways: apps gets that default route beside its send-to.
    const hybrid = (share: string) =>
      replaceOnce(
        fixture,
        [
          '{ name = "apps", "isolate-attachments" = true, "require-attachment-acceptance" = false },',
          '{ name = "apps", "isolate-attachments" = true, "require-attachment-acceptance" = false },\n      { name = "hybrid", "require-attachment-acceptance" = false },',
        ],
        [
          '{ action = "send-to", segment = "apps", via = { "network-function-groups" = ["egress-fw"] } },',
          `{ action = "send-to", segment = "apps", via = { "network-function-groups" = ["egress-fw"] } },\n      { action = "create-route", segment = "hybrid", "destination-cidr-blocks" = ["0.0.0.0/0"], destinations = ["attachment-0123456789abcdef0"] },\n      { action = "share", segment = "hybrid", ${share} },`,
        ],
      );

    it('a share written on another segment whose share-with names this one brings its static default route: Unknown, naming the share (review s17 R6)', async () => {
      for (const share of ['"share-with" = ["apps"]', '"share-with" = "*"']) {
        const s = (await run(hybrid(share))).state('aws_vpc.app');
        assert.equal(s?.state, 'Unknown', share);
        assert.match(
          s.reason,
          /share action of segment hybrid shares the routes of segment hybrid with segment apps, beside its send-to: segment hybrid has a create-route 0.0.0.0\/0 holding/,
        );
      }
    });

    it('a share that excludes this segment, or shares attachment routes only (mode attachment-route), brings no default route', async () => {
      for (const share of ['"share-with" = { except = ["apps"] }', '"share-with" = ["apps"], mode = "attachment-route"']) {
        const { state, path: p } = await run(hybrid(share));
        assert.equal(state('aws_vpc.app')?.state, 'Protected', share);
        if (share.includes('mode'))
          assert.match(
            p('aws_subnet.app').forward.hops[1].note,
            /nor a VPN, Connect or Direct Connect attachment outside the inputs segment hybrid/,
          );
      }
    });

    const accepting = (text: string) =>
      replaceOnce(text, [
        '{ name = "apps", "isolate-attachments" = true, "require-attachment-acceptance" = false },',
        '{ name = "apps", "isolate-attachments" = true },',
      ]);
    const accepter =
      '\nresource "aws_networkmanager_attachment_accepter" "app" {\n  attachment_id   = aws_networkmanager_vpc_attachment.app.id\n  attachment_type = "VPC"\n}\n';

    it('a segment requiring acceptance (the default) and no accepter naming the attachment: Unknown, naming both (review s17 R7)', async () => {
      const s = (await run(accepting(fixture))).state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /its policy puts app-euc1-cwan in segment apps and segment apps requires acceptance of its attachments \(require-attachment-acceptance, true unless written false\), and no attachment accepter \(aws_networkmanager_attachment_accepter\) in the inputs names app-euc1-cwan/,
      );
      // Accepted in the inputs: traced as before.
      assert.equal((await run(accepting(fixture) + accepter)).state('aws_vpc.app')?.state, 'Protected');
    });

    // A legacy VPC that goes out over a transit gateway to the egress VPC, whose firewall subnet sends 10.0.0.0/8 back
    // to the core network: the reply enters the legacy VPC through its Cloud WAN attachment, which the way out never
    // used. Acceptance holds on the reply as on the way out.
    const legacy = `
resource "aws_ec2_transit_gateway" "tgw" {}
resource "aws_vpc" "legacy" {
  cidr_block = "10.60.0.0/16"
  tags       = { Name = "legacy-euc1" }
}
resource "aws_subnet" "legacy" {
  vpc_id            = aws_vpc.legacy.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "eu-central-1a"
}
resource "aws_route_table" "legacy" {
  vpc_id = aws_vpc.legacy.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  }
}
resource "aws_route_table_association" "legacy" {
  subnet_id      = aws_subnet.legacy.id
  route_table_id = aws_route_table.legacy.id
}
resource "aws_instance" "legacy" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.legacy.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "legacy" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.legacy.id
  subnet_ids         = [aws_subnet.legacy.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id     = aws_ec2_transit_gateway.tgw.id
  vpc_id                 = aws_vpc.egress.id
  subnet_ids             = [aws_subnet.attach.id]
  appliance_mode_support = "enable"
}
resource "aws_ec2_transit_gateway_route" "default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.tgw.association_default_route_table_id
}
resource "aws_networkmanager_vpc_attachment" "legacy" {
  core_network_id = aws_networkmanager_core_network.cn.id
  vpc_arn         = aws_vpc.legacy.arn
  subnet_arns     = [aws_subnet.legacy.arn]
  tags            = { Name = "legacy-euc1-cwan", zone = "apps" }
}
`;

    it('the reply over Cloud WAN to an attachment waiting for acceptance: Unknown on the return leg, naming it', async () => {
      const { state, path: p } = await run(accepting(fixture) + accepter + legacy);
      const e = p('aws_subnet.legacy');
      // Out over the transit gateway, through the firewall: decided.
      assert.equal(e.forward.outcome.kind, 'delivered');
      assert.ok(e.forward.hops.some((h) => h.element === 'aws_ec2_transit_gateway.tgw'));
      const back = e.return!.outcome;
      assert.equal(back.kind, 'unknown');
      const s = state('aws_vpc.legacy');
      assert.equal(s?.state, 'Unknown');
      assert.match(
        s.reason,
        /the reply to aws_subnet\.legacy cannot be traced: .*its policy puts legacy-euc1-cwan in segment apps and segment apps requires acceptance of its attachments .*no attachment accepter \(aws_networkmanager_attachment_accepter\) in the inputs names legacy-euc1-cwan/,
      );
      // Accepted in the inputs: back through the firewall and the legacy attachment.
      const legacyAccepter = accepter.replaceAll('"app"', '"legacy"').replace('vpc_attachment.app.id', 'vpc_attachment.legacy.id');
      const ok = await run(accepting(fixture) + accepter + legacy + legacyAccepter);
      assert.equal(ok.state('aws_vpc.legacy')?.state, 'Protected', ok.state('aws_vpc.legacy')?.reason);
      assert.ok(ok.path('aws_subnet.legacy').return!.hops.some((h) => h.element === 'aws_networkmanager_vpc_attachment.legacy'));
      // The app VPC, out and back over Cloud WAN through accepted attachments, is unchanged.
      assert.equal(ok.state('aws_vpc.app')?.state, 'Protected');
    });

    it("an attachment policy's require-acceptance asks for it where the segment does not", async () => {
      const s = (
        await run(
          replaceOnce(fixture, [
            'action            = { "association-method" = "tag", "tag-value-of-key" = "zone" }',
            'action            = { "association-method" = "tag", "tag-value-of-key" = "zone", "require-acceptance" = true }',
          ]),
        )
      ).state('aws_vpc.app');
      assert.equal(s?.state, 'Unknown');
      assert.match(s.reason, /attachment policy 20 requires its acceptance/);
    });

    it("a module given another provider configuration (providers = { aws = aws.x }) is in that configuration's region", async () => {
      const ws = await createWorkspace();
      ws.setFile(
        'main.tf',
        'provider "aws" {\n  region = "eu-west-1"\n}\nprovider "aws" {\n  alias  = "x"\n  region = "ap-south-1"\n}\nmodule "m" {\n  source = "./m"\n  providers = {\n    aws = aws.x\n  }\n}\nmodule "d" {\n  source = "./m"\n}\n',
      );
      ws.setFile('m/main.tf', 'resource "aws_vpc" "v" {\n  cidr_block = "10.9.0.0/16"\n}\n');
      const m = ws.build().model;
      const region = (id: string) => m.elements.find((e) => e.id === id)?.region;
      assert.equal(region('module.m.aws_vpc.v'), 'ap-south-1');
      assert.equal(region('module.d.aws_vpc.v'), 'eu-west-1');
    });
  });
});
