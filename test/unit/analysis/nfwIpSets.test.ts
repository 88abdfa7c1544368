// Review s16 R4: a Network Firewall rule whose destination is an IP set (a rule variable `$EXTERNAL_ALLOWED`, an IP
// set reference `@EGRESS_PL` to a managed prefix list) is judged with the set's addresses: a set that holds every
// address (`0.0.0.0/0`, or `0.0.0.0/1` and `128.0.0.0/1`) makes the rule match any destination, a narrow one some;
// a set not known offline (defined nowhere, a variable with no default, a prefix list whose entries are not in the
// inputs) leaves the rule undecided: Unknown, never guessed either way. Our own rule groups on the aws-network-firewall
// example (strict order, default drop_established): a pass to named destinations only is Protected, a pass of TCP 443
// to every address beside the default drop is Partially Protected.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { FirewallRuleGroup } from '../../../src/model/types';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const PASS_443 = 'pass tcp $HOME_NET any -> $EXTERNAL_ALLOWED 443 (flow:to_server; sid:1;)';

/** A stateful group in strict order with `rules` and `extra` inside rule_group (rule variables, reference sets). */
function group(rules: string, extra: string): string {
  return `
resource "aws_networkfirewall_rule_group" "sets" {
  name     = "egress-sets"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
${extra}
    rules_source {
      rules_string = "${rules}"
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}
`;
}

const ipSet = (key: string, defs: string) => `    rule_variables {
      ip_sets {
        key = "${key}"
        ip_set {
          definition = ${defs}
        }
      }
    }`;

const reference = (key: string) => `    reference_sets {
      ip_set_references {
        key = "${key}"
        ip_set_reference {
          reference_arn = aws_ec2_managed_prefix_list.egress.arn
        }
      }
    }`;

const prefixList = (entries: string[]) => `
resource "aws_ec2_managed_prefix_list" "egress" {
  name           = "egress-destinations"
  address_family = "IPv4"
  max_entries    = 5
${entries.map((c) => `  entry {\n    cidr = "${c}"\n  }`).join('\n')}
}
`;

async function protectedVpc(extraTf: string): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = replaceOnce(files['main.tf'], [
    'resource_arn = aws_networkfirewall_rule_group.allow_domains.arn',
    'resource_arn = aws_networkfirewall_rule_group.sets.arn',
  ]);
  files['sets.tf'] = extraTf;
  const res = await analyzeFiles(files);
  const s = res.states.find((x) => x.name === 'protected-vpc')!;
  return { state: s.state, reason: s.reason };
}

describe('Network Firewall: a destination written as an IP set (review s16 R4)', () => {
  before(async () => {
    await initTerraform();
  });

  it('a rule variable of named destinations passes only them: Protected', async () => {
    const s = await protectedVpc(group(PASS_443, ipSet('EXTERNAL_ALLOWED', '["203.0.113.0/24", "198.51.100.10/32"]')));
    assert.equal(s.state, 'Protected', s.reason);
  });

  it('a rule variable that holds every address (0.0.0.0/1 and 128.0.0.0/1) passes TCP 443 to any host: Partially Protected', async () => {
    const s = await protectedVpc(group(PASS_443, ipSet('EXTERNAL_ALLOWED', '["0.0.0.0/1", "128.0.0.0/1"]')));
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /EXTERNAL_ALLOWED/);
  });

  it('a variable defined by no group and no policy is Unknown, naming it', async () => {
    const s = await protectedVpc(group(PASS_443, ''));
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /EXTERNAL_ALLOWED is defined neither by its rule group nor by the policy/);
  });

  it('a definition from a variable with no default is Unknown', async () => {
    const s = await protectedVpc(group(PASS_443, ipSet('EXTERNAL_ALLOWED', 'var.allowed')) + 'variable "allowed" {}\n');
    assert.equal(s.state, 'Unknown', s.reason);
  });

  it('an IP set reference to a prefix list in the inputs is read by its entries', async () => {
    const rules = 'pass tcp $HOME_NET any -> @EGRESS_PL 443 (flow:to_server; sid:1;)';
    const narrow = await protectedVpc(group(rules, reference('EGRESS_PL')) + prefixList(['203.0.113.0/24']));
    assert.equal(narrow.state, 'Protected', narrow.reason);
    const every = await protectedVpc(group(rules, reference('EGRESS_PL')) + prefixList(['0.0.0.0/1', '128.0.0.0/1']));
    assert.equal(every.state, 'Partially Protected', every.reason);
  });

  it('a prefix list whose entries are not in the inputs, or a reference the group does not define, is Unknown', async () => {
    const rules = 'pass tcp $HOME_NET any -> @EGRESS_PL 443 (flow:to_server; sid:1;)';
    const empty = await protectedVpc(group(rules, reference('EGRESS_PL')) + prefixList([]));
    assert.equal(empty.state, 'Unknown', empty.reason);
    assert.match(empty.reason, /has no entry in the inputs/);
    const undefinedRef = await protectedVpc(group(rules, ''));
    assert.equal(undefinedRef.state, 'Unknown', undefinedRef.reason);
  });

  it('a drop to a set that holds every address drops everything: Protected; to a narrow set, only some', async () => {
    const rules = 'drop ip $HOME_NET any -> $BLOCKED any (sid:1;)';
    // With the policy's default drop left out, only the rule restricts.
    const every = await protectedVpcNoDefault(group(rules, ipSet('BLOCKED', '["0.0.0.0/1", "128.0.0.0/1"]')));
    assert.equal(every.state, 'Protected', every.reason);
    const some = await protectedVpcNoDefault(group(rules, ipSet('BLOCKED', '["203.0.113.0/24"]')));
    assert.equal(some.state, 'Partially Protected', some.reason);
  });

  it('a group that defines EXTERNAL_NET narrowly makes $EXTERNAL_NET some destinations', async () => {
    const rules = 'pass tcp $HOME_NET any -> $EXTERNAL_NET 443 (flow:to_server; sid:1;)';
    const dflt = await protectedVpc(group(rules, ''));
    assert.equal(dflt.state, 'Partially Protected', dflt.reason);
    const narrow = await protectedVpc(group(rules, ipSet('EXTERNAL_NET', '["203.0.113.0/24"]')));
    assert.equal(narrow.state, 'Protected', narrow.reason);
  });
});

async function protectedVpcNoDefault(extraTf: string): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = replaceOnce(
    files['main.tf'],
    ['resource_arn = aws_networkfirewall_rule_group.allow_domains.arn', 'resource_arn = aws_networkfirewall_rule_group.sets.arn'],
    [
      'stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]',
      'stateful_default_actions           = ["aws:alert_established"]',
    ],
  );
  files['sets.tf'] = extraTf;
  const res = await analyzeFiles(files);
  const s = res.states.find((x) => x.name === 'protected-vpc')!;
  return { state: s.state, reason: s.reason };
}

describe('CloudFormation: RuleVariables.IPSets and ReferenceSets.IPSetReferences as destinations', () => {
  it('reads the sets and the rule that names them', async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'fw.yaml',
      `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Rules:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: egress-sets
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RuleVariables:
          IPSets:
            EXTERNAL_ALLOWED:
              Definition: ["0.0.0.0/1", "128.0.0.0/1"]
        ReferenceSets:
          IPSetReferences:
            EGRESS_PL:
              ReferenceArn: arn:aws:ec2:eu-west-1:123456789012:prefix-list/pl-0abc
        RulesSource:
          RulesString: |
            pass tcp $HOME_NET any -> [$EXTERNAL_ALLOWED,@EGRESS_PL] 443 (sid:1;)
`,
    );
    const g = ws.build().model.elements.find((e): e is FirewallRuleGroup => e.kind === 'firewallRuleGroup')!;
    assert.deepEqual(g.variables, { EXTERNAL_ALLOWED: ['0.0.0.0/1', '128.0.0.0/1'] });
    assert.deepEqual(g.ipSetReferences, { EGRESS_PL: 'arn:aws:ec2:eu-west-1:123456789012:prefix-list/pl-0abc' });
    assert.ok(Array.isArray(g.rules));
    assert.deepEqual(g.rules[0].variableDest, { items: ['$EXTERNAL_ALLOWED', '@EGRESS_PL'], ports: 'some' });
  });
});

// A destination negating a set (`!$RFC1918`, `!@PRIVATE_PL`, `[!$A,!$B]`) matches every address outside its
// addresses: judged by them, as `!10.0.0.0/8` written out is. Private ranges only: every internet address.
describe('Network Firewall: a destination negating an IP set', () => {
  before(async () => {
    await initTerraform();
  });

  const RFC1918 = ipSet('RFC1918', '["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]');

  it('a pass to every address outside the private ranges passes everything to the internet: not Protected', async () => {
    const s = await protectedVpc(group('pass ip $HOME_NET any -> !$RFC1918 any (sid:1;)', RFC1918));
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /!\$RFC1918.*RFC1918 holds only private ranges: every internet address/);
  });

  it('TCP 443 to every address outside the private ranges beside the default drop: Partially Protected', async () => {
    for (const dst of ['!$RFC1918', '![$RFC1918]', '[!$RFC1918,!100.64.0.0/10]']) {
      const s = await protectedVpc(group(`pass tcp $HOME_NET any -> ${dst} 443 (flow:to_server; sid:1;)`, RFC1918));
      assert.equal(s.state, 'Partially Protected', `${dst}: ${s.reason}`);
      assert.match(s.reason, /passes some protocols or ports to any destination/, dst);
    }
  });

  it('a pass to every address but some public ones is a deny-list beside the default drop: Partially Protected', async () => {
    const s = await protectedVpc(
      group('pass ip $HOME_NET any -> !$BLOCKED any (sid:1;)', ipSet('BLOCKED', '["203.0.113.0/24", "10.0.0.0/8"]')),
    );
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /every internet address but 203\.0\.113\.0\/24\) passes to every internet destination but those it excludes/);
    // Written out, the same: a pass to every address but one public host is no allow-list.
    const literal = await protectedVpc(group('pass ip $HOME_NET any -> !203.0.113.10 any (sid:1;)', ''));
    assert.equal(literal.state, 'Partially Protected', literal.reason);
  });

  it('a drop of every address outside a private prefix list drops all internet traffic: Protected without a default drop', async () => {
    const rules = 'drop ip $HOME_NET any -> !@PRIVATE_PL any (sid:1;)';
    const s = await protectedVpcNoDefault(group(rules, reference('PRIVATE_PL')) + prefixList(['10.0.0.0/8', '192.168.0.0/16']));
    assert.equal(s.state, 'Protected', s.reason);
    // The prefix list's entries not in the inputs: undecided, never guessed.
    const empty = await protectedVpcNoDefault(group(rules, reference('PRIVATE_PL')) + prefixList([]));
    assert.equal(empty.state, 'Unknown', empty.reason);
    assert.match(empty.reason, /has no entry in the inputs/);
  });

  it('a drop of every address but some public ones leaves only those: Protected without a default drop', async () => {
    const rules = 'drop ip $HOME_NET any -> !$ALLOWED any (sid:1;)';
    const s = await protectedVpcNoDefault(group(rules, ipSet('ALLOWED', '["203.0.113.0/24"]')));
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /every internet address but 203\.0\.113\.0\/24/);
  });

  it('a negated variable defined nowhere is Unknown, naming it', async () => {
    const s = await protectedVpc(group('pass tcp $HOME_NET any -> !$INTERNAL 443 (sid:1;)', ''));
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /INTERNAL is defined neither by its rule group nor by the policy/);
  });

  it('a 5-tuple stateful rule to !$RFC1918 on port 443 is read the same way', async () => {
    const tf = `
resource "aws_networkfirewall_rule_group" "sets" {
  name     = "egress-sets"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
${RFC1918}
    rules_source {
      stateful_rule {
        action = "PASS"
        header {
          protocol         = "TCP"
          source           = "$HOME_NET"
          source_port      = "ANY"
          direction        = "FORWARD"
          destination      = "!$RFC1918"
          destination_port = "443"
        }
        rule_option {
          keyword  = "sid"
          settings = ["1"]
        }
      }
    }
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
  }
}
`;
    const s = await protectedVpc(tf);
    assert.equal(s.state, 'Partially Protected', s.reason);
    // A named public set (not negated) stays named destinations.
    const named = await protectedVpc(tf.replace('"!$RFC1918"', '"$RFC1918"'));
    assert.equal(named.state, 'Protected', named.reason);
  });
});
