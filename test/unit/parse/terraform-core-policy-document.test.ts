// `data "aws_networkmanager_core_network_policy_document"` is rendered by the AWS provider from its blocks, with no
// API call: its `json` is the policy as the provider writes it, known offline when what is written is, and the
// core network (its own base policy, or a policy attachment) reads it as it reads a literal document.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import { isUnresolved, type UnmodelledResource } from '../../../src/model/types';

/** The policy of the unmodelled element `id` in these files: the parsed JSON, or the Unresolved reason. */
function policyOf(files: Record<string, string>, id: string): { json?: Record<string, unknown>; reason?: string; base?: true } {
  const idx = new TerraformIndex();
  for (const [name, text] of Object.entries(files)) idx.setFile(name, text);
  const el = idx
    .build()
    .flatMap((f) => f.elements)
    .find((e): e is UnmodelledResource => e.kind === 'unmodelled' && e.id === id);
  assert.ok(el, `no ${id}`);
  const p = el.corePolicy;
  assert.ok(p !== undefined, `${id} has no policy`);
  const base = el.corePolicyBase ? { base: true as const } : {};
  return isUnresolved(p) ? { reason: p.reason, ...base } : { json: JSON.parse(p) as Record<string, unknown>, ...base };
}

const CORE = `
resource "aws_networkmanager_global_network" "gn" {}

resource "aws_networkmanager_core_network" "cn" {
  global_network_id = aws_networkmanager_global_network.gn.id
}

resource "aws_networkmanager_core_network_policy_attachment" "cn" {
  core_network_id = aws_networkmanager_core_network.cn.id
  policy_document = data.aws_networkmanager_core_network_policy_document.wan.json
}
`;

// Two regions, three segments from a map (one isolated, one shared with all), an inspection group that traffic
// between prod and dev goes through, and attachments placed by tags.
const DOC = `
variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "us-east-1"]
}

locals {
  segments = {
    prod   = { isolate = true, accept = false }
    dev    = { isolate = false, accept = false }
    shared = { isolate = false, accept = true }
  }
}

data "aws_networkmanager_core_network_policy_document" "wan" {
  core_network_configuration {
    vpn_ecmp_support = false
    asn_ranges       = ["64600-64700"]
    dynamic "edge_locations" {
      for_each = var.regions
      content {
        location = edge_locations.value
      }
    }
  }

  dynamic "segments" {
    for_each = local.segments
    iterator = seg
    content {
      name                          = seg.key
      isolate_attachments           = seg.value.isolate
      require_attachment_acceptance = seg.value.accept
    }
  }

  network_function_groups {
    name                          = "inspection"
    require_attachment_acceptance = false
  }

  segment_actions {
    action  = "send-via"
    segment = "prod"
    mode    = "single-hop"
    when_sent_to {
      segments = ["dev"]
    }
    via {
      network_function_groups = ["inspection"]
    }
  }

  segment_actions {
    action     = "share"
    mode       = "attachment-route"
    segment    = "shared"
    share_with = ["*"]
  }

  segment_actions {
    action            = "share"
    segment           = "dev"
    share_with_except = ["prod", "shared"]
  }

  attachment_policies {
    rule_number = 200
    conditions {
      type = "tag-exists"
      key  = "segment"
    }
    action {
      association_method = "tag"
      tag_value_of_key   = "segment"
    }
  }

  attachment_policies {
    rule_number     = 100
    condition_logic = "and"
    conditions {
      type     = "tag-value"
      operator = "equals"
      key      = "role"
      value    = "firewall"
    }
    action {
      add_to_network_function_group = "inspection"
    }
  }
}
`;

describe('terraform: the Cloud WAN policy document data source (review R14)', function () {
  this.timeout(20000);
  before(async () => {
    await initTerraform();
  });

  it('renders the blocks as the policy JSON, dynamic blocks expanded, with the provider defaults and turns', () => {
    const { json, reason } = policyOf({ 'main.tf': CORE + DOC }, 'aws_networkmanager_core_network_policy_attachment.cn');
    assert.equal(reason, undefined);
    assert.deepEqual(json, {
      version: '2021.12',
      'core-network-configuration': {
        'asn-ranges': ['64600-64700'],
        'vpn-ecmp-support': false,
        'edge-locations': [{ location: 'eu-west-1' }, { location: 'us-east-1' }],
      },
      // A map's for_each: its keys in lexical order.
      segments: [
        { name: 'dev', 'isolate-attachments': false, 'require-attachment-acceptance': false },
        { name: 'prod', 'isolate-attachments': true, 'require-attachment-acceptance': false },
        { name: 'shared', 'isolate-attachments': false, 'require-attachment-acceptance': true },
      ],
      'network-function-groups': [{ name: 'inspection', 'require-attachment-acceptance': false }],
      'segment-actions': [
        {
          action: 'send-via',
          segment: 'prod',
          mode: 'single-hop',
          'when-sent-to': { segments: ['dev'] },
          via: { 'network-function-groups': ['inspection'] },
        },
        { action: 'share', segment: 'shared', mode: 'attachment-route', 'share-with': '*' },
        // A set: reverse sorted, as the provider writes it.
        { action: 'share', segment: 'dev', 'share-with': { except: ['shared', 'prod'] } },
      ],
      'attachment-policies': [
        {
          'rule-number': 200,
          conditions: [{ type: 'tag-exists', key: 'segment' }],
          action: { 'association-method': 'tag', 'tag-value-of-key': 'segment' },
        },
        {
          'rule-number': 100,
          'condition-logic': 'and',
          conditions: [{ type: 'tag-value', operator: 'equals', key: 'role', value: 'firewall' }],
          action: { 'add-to-network-function-group': 'inspection' },
        },
      ],
    });
  });

  it('a segment written without require_attachment_acceptance requires acceptance (the provider default true)', () => {
    const doc = DOC.replace('      require_attachment_acceptance = seg.value.accept\n', '');
    const { json } = policyOf({ 'main.tf': CORE + doc }, 'aws_networkmanager_core_network_policy_attachment.cn');
    const segs = json!.segments as { 'require-attachment-acceptance': boolean }[];
    assert.deepEqual(
      segs.map((s) => s['require-attachment-acceptance']),
      [true, true, true],
    );
  });

  it('an argument not known offline leaves the whole document Unresolved, naming the argument', () => {
    const doc = DOC.replace(
      '      isolate_attachments           = seg.value.isolate\n',
      '      isolate_attachments           = seg.value.isolate\n      edge_locations                = [var.home]\n',
    );
    const { json, reason } = policyOf(
      { 'main.tf': CORE + doc + 'variable "home" {\n  type = string\n}\n' },
      'aws_networkmanager_core_network_policy_attachment.cn',
    );
    assert.equal(json, undefined);
    assert.match(
      reason!,
      /^data\.aws_networkmanager_core_network_policy_document\.wan renders it from segments\[0\]\.edge_locations `\[var\.home\]`, not known offline \(variable "home" has no default\)/,
    );
  });

  it("a dynamic block's for_each not known offline leaves it Unresolved, naming the for_each", () => {
    const doc = DOC.replace('for_each = local.segments', 'for_each = var.segments');
    const { reason } = policyOf(
      { 'main.tf': CORE + doc + 'variable "segments" {\n  type = map(any)\n}\n' },
      'aws_networkmanager_core_network_policy_attachment.cn',
    );
    assert.match(reason!, /renders it from the for_each of dynamic "segments" `var\.segments`, not known offline/);
  });

  it('what the provider refuses (share_with and share_with_except both, no core_network_configuration) renders nothing', () => {
    const both = DOC.replace('    share_with = ["*"]\n', '    share_with = ["*"]\n    share_with_except = ["dev"]\n');
    assert.match(
      policyOf({ 'main.tf': CORE + both }, 'aws_networkmanager_core_network_policy_attachment.cn').reason!,
      /fails to render it: segment_actions\[1\]\.share_with is not given exactly once/,
    );
    const bare = 'data "aws_networkmanager_core_network_policy_document" "wan" {\n  segments {\n    name = "a"\n  }\n}\n';
    assert.match(
      policyOf({ 'main.tf': CORE + bare }, 'aws_networkmanager_core_network_policy_attachment.cn').reason!,
      /no core_network_configuration block, which is required/,
    );
  });

  it('an incremental build renders it again when a local it reads changes in another file', () => {
    const idx = new TerraformIndex();
    idx.setFile('main.tf', CORE + DOC.replace(/locals \{[\s\S]*?\n\}\n/, ''));
    const locals = (accept: string) => `locals {\n  segments = {\n    prod = { isolate = true, accept = ${accept} }\n  }\n}\n`;
    idx.setFile('locals.tf', locals('false'));
    const accepts = (): unknown => {
      const el = idx
        .build()
        .flatMap((f) => f.elements)
        .find((e): e is UnmodelledResource => e.id === 'aws_networkmanager_core_network_policy_attachment.cn' && e.kind === 'unmodelled');
      const p = el?.corePolicy;
      return typeof p === 'string'
        ? (JSON.parse(p) as { segments: Record<string, unknown>[] }).segments[0]['require-attachment-acceptance']
        : p;
    };
    assert.equal(accepts(), false);
    idx.setFile('locals.tf', locals('true'));
    assert.equal(accepts(), true);
  });

  it("the core network's base policy (create_base_policy = true) is its policy, marked as the base one", () => {
    const core = `
resource "aws_networkmanager_global_network" "gn" {}

resource "aws_networkmanager_core_network" "cn" {
  global_network_id    = aws_networkmanager_global_network.gn.id
  create_base_policy   = true
  base_policy_document = data.aws_networkmanager_core_network_policy_document.wan.json
}
`;
    const p = policyOf({ 'main.tf': core + DOC }, 'aws_networkmanager_core_network.cn');
    assert.equal(p.base, true);
    assert.equal((p.json!.segments as unknown[]).length, 3);
    // Without create_base_policy (false by default) the document is not used.
    const idx = new TerraformIndex();
    idx.setFile('main.tf', core.replace('  create_base_policy   = true\n', '') + DOC);
    const cn = idx
      .build()
      .flatMap((f) => f.elements)
      .find((e): e is UnmodelledResource => e.kind === 'unmodelled' && e.id === 'aws_networkmanager_core_network.cn');
    assert.equal(cn?.corePolicy, undefined);
  });
});
