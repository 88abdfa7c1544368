// A Network Firewall policy's stateful rule group reference with `override { action = "DROP_TO_ALERT" }` (CloudFormation
// `Override: { Action: DROP_TO_ALERT }`) turns every drop of that group into an alert (the documented way to trial a
// group): its drop rules protect nothing (review s16 R8: they were read as drops, Protected where AWS only alerts).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const DROP_GROUP = `
resource "aws_networkfirewall_rule_group" "drop_all" {
  name     = "drop-all"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
    rules_source {
      rules_string = "drop ip $HOME_NET any -> any any (sid:1;)"
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}
`;

async function protectedVpc(override: string | undefined): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = replaceOnce(
    files['main.tf'],
    [
      'stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]',
      'stateful_default_actions           = ["aws:alert_established"]',
    ],
    [
      '      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn\n    }',
      `      resource_arn = aws_networkfirewall_rule_group.drop_all.arn\n${override ? `      override {\n        action = ${override}\n      }\n` : ''}    }`,
    ],
  );
  files['drop.tf'] = DROP_GROUP + (override === 'var.trial' ? 'variable "trial" {}\n' : '');
  const res = await analyzeFiles(files);
  const s = res.states.find((x) => x.name === 'protected-vpc')!;
  return { state: s.state, reason: s.reason };
}

describe('Network Firewall: a rule group referenced with override DROP_TO_ALERT', () => {
  before(async () => {
    await initTerraform();
  });

  it('without the override the drop-all group protects', async () => {
    assert.equal((await protectedVpc(undefined)).state, 'Protected');
  });

  it('with DROP_TO_ALERT its drops only alert: Monitored', async () => {
    const s = await protectedVpc('"DROP_TO_ALERT"');
    assert.equal(s.state, 'Monitored', s.reason);
    assert.match(s.reason, /no drop rule, no default drop\), 1 stateful rule group; 1 alert rule logs it/);
  });

  it('an override action not known offline decides nothing: Unknown', async () => {
    assert.equal((await protectedVpc('var.trial')).state, 'Unknown');
  });
});

describe('CloudFormation: StatefulRuleGroupReferences Override.Action', () => {
  it('is read beside each reference', async () => {
    const { createWorkspace } = await import('../../../src/parse/workspace');
    const ws = await createWorkspace();
    ws.setFile(
      'policy.yaml',
      `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: p
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulRuleGroupReferences:
          - ResourceArn: arn:aws:network-firewall:eu-west-1:123456789012:stateful-rulegroup/a
            Override: { Action: DROP_TO_ALERT }
          - ResourceArn: arn:aws:network-firewall:eu-west-1:123456789012:stateful-rulegroup/b
`,
    );
    const p = ws.build().model.elements.find((e) => e.kind === 'firewallPolicy');
    assert.deepEqual(p?.kind === 'firewallPolicy' ? p.statefulOverrides : 'none', ['DROP_TO_ALERT', undefined]);
  });
});
