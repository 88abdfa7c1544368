// AWS managed rule groups (`arn:aws:network-firewall:<region>:aws-managed:stateful-rulegroup/...`) are not in
// the inputs: what they match and whether a policy override turns their drops into alerts is unknown. They
// never pass everything, so a default drop still restricts; but a policy that passes by default and whose only
// stateful rules are a managed threat-signature group lets everything else through: never Protected.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { VpcState } from '../../../src/analysis/types';

const EXAMPLE = readFileSync(join(__dirname, '../../../../examples/aws-network-firewall/main.tf'), 'utf8');
const start = EXAMPLE.indexOf('resource "aws_networkfirewall_rule_group"');
const end = EXAMPLE.indexOf('resource "aws_networkfirewall_firewall" "egress"');

const MANAGED = 'arn:aws:network-firewall:us-east-1:aws-managed:stateful-rulegroup/ThreatSignaturesMalwareStrictOrder';

/** examples/aws-network-firewall with its rule group and policy replaced by a policy of `engine` and `refs`. */
function withPolicy(engine: string, refs: string): string {
  const policy = `
resource "aws_networkfirewall_rule_group" "allow" {
  name     = "egress-allow"
  type     = "STATEFUL"
  capacity = 100
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI"]
        targets              = [".example.org"]
      }
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "egress-policy"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
${engine}
${refs}
  }
}
`;
  return EXAMPLE.slice(0, start) + policy + '\n' + EXAMPLE.slice(end);
}

const ref = (arn: string, priority?: number) => `    stateful_rule_group_reference {
${priority !== undefined ? `      priority     = ${priority}\n` : ''}      resource_arn = ${arn}
    }`;
const STRICT = (defaults: string) => `    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
${defaults ? `    stateful_default_actions = ${defaults}` : ''}`;

async function state(text: string): Promise<VpcState> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  const s = analyze(b.model, {}, b.diagnostics).states.find((x) => x.name === 'protected-vpc');
  assert.ok(s);
  return s;
}

describe('AWS Network Firewall: AWS managed rule groups (content not in the inputs)', function () {
  this.timeout(30000);

  it('strict order, default drop, a managed threat group beside the allow-list: the default drop still restricts (Protected)', async () => {
    const s = await state(
      withPolicy(STRICT('["aws:drop_established"]'), `${ref(`"${MANAGED}"`, 1)}\n${ref('aws_networkfirewall_rule_group.allow.arn', 10)}`),
    );
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /default drop \(aws:drop_established\), 2 stateful rule groups/);
  });

  it('strict order, default drop, the managed group alone: still Protected (everything it does not drop meets the default drop)', async () => {
    const s = await state(withPolicy(STRICT('["aws:drop_established"]'), ref(`"${MANAGED}"`, 1)));
    assert.equal(s.state, 'Protected', s.reason);
  });

  it('default action order, the managed threat group the only stateful rules: not Protected, the managed group named as the reason', async () => {
    const s = await state(withPolicy('', ref(`"${MANAGED}"`)));
    // It drops known threats unless an override makes it alert, and passes the rest either way: at best
    // Partially Protected, at worst Monitored; which is not in the inputs.
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(
      s.reason,
      /without default drop; whether AWS managed rule group ThreatSignaturesMalwareStrictOrder drops or only alerts is not in the inputs/,
    );
  });

  it('strict order without a default drop, the managed group the only stateful rules: not Protected either', async () => {
    const s = await state(withPolicy(STRICT(''), ref(`"${MANAGED}"`, 1)));
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /AWS managed rule group ThreatSignaturesMalwareStrictOrder/);
  });
});
