// A Network Firewall policy's stateful rule group reference with `override { action = "DROP_TO_ALERT" }` (CloudFormation
// `Override: { Action: DROP_TO_ALERT }`) turns the drops of an AWS managed rule group into alerts (the documented way
// to trial one). AWS applies it to managed groups only (StatefulRuleGroupOverride: "This only applies to managed rule
// groups"): on a group of one's own it changes nothing (review s17 R15; review s16 R8 had it the other way round).
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

const MANAGED = 'arn:aws:network-firewall:eu-west-1:aws-managed:stateful-rulegroup/ThreatSignaturesMalwareStrictOrder';

/** protected-vpc with its policy's one group reference replaced by `ref` (the drop-all group or a managed group). */
async function protectedVpc(
  override: string | undefined,
  ref = 'aws_networkfirewall_rule_group.drop_all.arn',
): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = replaceOnce(
    files['main.tf'],
    [
      'stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]',
      'stateful_default_actions           = ["aws:alert_established"]',
    ],
    [
      '      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn\n    }',
      `      resource_arn = ${ref}\n${override ? `      override {\n        action = ${override}\n      }\n` : ''}    }`,
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

  it('a group of our own: the override does not apply, its drop-all protects with or without it', async () => {
    assert.equal((await protectedVpc(undefined)).state, 'Protected');
    assert.equal((await protectedVpc('"DROP_TO_ALERT"')).state, 'Protected');
    assert.equal((await protectedVpc('var.trial')).state, 'Protected');
  });

  it('an AWS managed group: whether it drops is not in the inputs (Unknown); with DROP_TO_ALERT it only alerts (Monitored)', async () => {
    const plain = await protectedVpc(undefined, `"${MANAGED}"`);
    assert.equal(plain.state, 'Unknown', plain.reason);
    assert.match(
      plain.reason,
      /whether AWS managed rule group ThreatSignaturesMalwareStrictOrder drops or only alerts is not in the inputs/,
    );
    const trial = await protectedVpc('"DROP_TO_ALERT"', `"${MANAGED}"`);
    assert.equal(trial.state, 'Monitored', trial.reason);
    assert.match(trial.reason, /1 stateful rule group; 1 alert rule logs it/);
    // An override not known offline decides nothing.
    assert.equal((await protectedVpc('var.trial', `"${MANAGED}"`)).state, 'Unknown');
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
