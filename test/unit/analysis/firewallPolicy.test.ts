// Firewall policies decide the state of the paths their firewall inspects (issue 15 §3, §6): the same
// network with one policy swapped at a time, in Terraform and in CloudFormation.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { VpcState } from '../../../src/analysis/types';

const EXAMPLES = join(__dirname, '../../../../examples');
const read = (f: string) => readFileSync(join(EXAMPLES, f), 'utf8');

async function stateOf(files: Record<string, string>, vpcName: string): Promise<VpcState> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  const s = analyze(b.model, {}, b.diagnostics).states.find((x) => x.name === vpcName);
  assert.ok(s, vpcName);
  return s;
}

// ---- AWS Network Firewall, Terraform: examples/aws-network-firewall with its policy and rule groups replaced.
const tfBase = read('aws-network-firewall/main.tf');
const tfStart = tfBase.indexOf('resource "aws_networkfirewall_rule_group"');
const tfEnd = tfBase.indexOf('resource "aws_networkfirewall_firewall" "egress"');
assert.ok(tfStart > 0 && tfEnd > tfStart);

function tfWith(policy: string): Record<string, string> {
  return { 'main.tf': tfBase.slice(0, tfStart) + policy + '\n' + tfBase.slice(tfEnd) };
}

function tfPolicy(body: string, groups = ''): string {
  return `${groups}
resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "egress-policy"
  firewall_policy {
${body}
  }
}`;
}

const allowList = `
resource "aws_networkfirewall_rule_group" "allow" {
  name     = "allow-domains"
  type     = "STATEFUL"
  capacity = 100
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".example.org"]
      }
    }
  }
}`;

const suricata = (rules: string) => `
resource "aws_networkfirewall_rule_group" "suricata" {
  name     = "suricata"
  type     = "STATEFUL"
  capacity = 100
  rules    = <<-EOT
${rules}
  EOT
}`;

describe('firewall policy: AWS Network Firewall (Terraform)', function () {
  this.timeout(30000);

  it('strict order with a default drop and an allow-list: Protected, the reason names the policy', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_strict"]
    stateful_engine_options { rule_order = "STRICT_ORDER" }
    stateful_rule_group_reference {
      priority     = 1
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }`,
          allowList,
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Protected');
    assert.match(
      s.reason,
      /policy aws_networkfirewall_firewall_policy\.egress forwards everything to the stateful engine with default drop \(aws:drop_strict\)/,
    );
    assert.match(s.reason, /1 domain allow-list/);
  });

  it('the same allow-list in default action order: only HTTP/TLS is restricted, other protocols pass: Partially Protected', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }`,
          allowList,
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Partially Protected');
    assert.match(s.reason, /other protocols pass \(no default drop\)/);
  });

  it('an allow-list whose domains come from a file: what it does to other flows is known, its count is not said', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }`,
          allowList.replace('targets              = [".example.org"]', 'targets              = yamldecode(file("domains.yml"))'),
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Partially Protected');
    assert.match(s.reason, /ALLOWLIST of domains not known offline: other HTTP\/TLS dropped, other protocols pass/);
    assert.doesNotMatch(s.reason, /of 1 domain/);
  });

  it('a catch-all Suricata drop after pass rules (default action order): Protected', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`pass tls $HOME_NET any -> any any (tls.sni; content:".example.org"; endswith; sid:1;)
drop ip $HOME_NET any -> any any (msg:"default deny"; sid:2;)`),
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Protected');
    assert.match(s.reason, /a rule drops everything no rule passes \(drop ip \$HOME_NET any -> any any\)/);
  });

  // Suricata rules apply to their sources (F34): protected-a is 10.20.1.0/24, protected-b 10.20.2.0/24.
  it("a Suricata pass-all for one subnet's range opens that subnet only; for another range it opens none; an undecided source variable is Unknown", async () => {
    const policy = (passSource: string) =>
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`pass ip ${passSource} any -> any any (sid:1;)
drop ip $HOME_NET any -> any any (msg:"default deny"; sid:2;)`),
        ),
      );
    const one = await stateOf(policy('10.20.1.0/24'), 'protected-vpc');
    assert.equal(one.state, 'Partially Protected', one.reason);
    assert.match(one.reason, /a rule passes all traffic \(pass ip 10\.20\.1\.0\/24 any -> any any\)/);
    assert.match(one.reason, /a rule drops everything no rule passes/);
    const other = await stateOf(policy('10.99.0.0/16'), 'protected-vpc');
    assert.equal(other.state, 'Protected', other.reason);
    const variable = await stateOf(policy('$JUMPHOSTS'), 'protected-vpc');
    assert.equal(variable.state, 'Unknown', variable.reason);
    assert.match(variable.reason, /pass ip \$JUMPHOSTS any -> any any applies to 10\.20\.\d\.0\/24 cannot be decided offline/);
  });

  it('a Suricata drop of part of a subnet (a /26) earns it no credit; a drop of its whole range does', async () => {
    const policy = (dropSource: string) =>
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`drop tcp ${dropSource} any -> any 22 (sid:1;)
alert ip $HOME_NET any -> any any (sid:2;)`),
        ),
      );
    const whole = await stateOf(policy('10.20.0.0/16'), 'protected-vpc');
    assert.equal(whole.state, 'Partially Protected', whole.reason);
    const part = await stateOf(policy('[10.20.1.0/26,10.20.2.0/26]'), 'protected-vpc');
    assert.equal(part.state, 'Monitored', part.reason);
  });

  it('alert rules only: everything passes and is logged: Monitored', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`alert ip $HOME_NET any -> any any (msg:"egress"; sid:1;)`),
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Monitored');
    assert.match(s.reason, /passes everything \(no drop rule, no default drop\), 1 stateful rule group; 1 alert rule logs it/);
  });

  it('default action order: a pass-all applies before every alert rule, which then never sees a packet: nothing is logged, Unprotected (review s18 R2)', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`pass ip any any -> any any (sid:1;)
alert icmp any any -> any any (msg:"icmp"; sid:2;)`),
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(
      s.reason,
      /a rule passes all traffic \(pass ip any any -> any any\), and in action order it applies before the alert rule, which never sees a packet; nothing alerts on it/,
    );
  });

  // Strict order: groups by priority, lowest first, each group's rules as written; a pass-all ends evaluation for
  // what reaches it, so only the rules before it decide.
  const strictPolicy = (first: string, firstPriority: number, allowPriority: number, defaults = '["aws:drop_strict"]') =>
    tfPolicy(
      `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ${defaults}
    stateful_engine_options { rule_order = "STRICT_ORDER" }
    stateful_rule_group_reference {
      priority     = ${allowPriority}
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }
    stateful_rule_group_reference {
      priority     = ${firstPriority}
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
      allowList + suricata(first),
    );
  const ALERTS_THEN_PASS = `alert tcp $HOME_NET any -> any 443 (msg:"tls"; sid:1;)
pass ip $HOME_NET any -> any any (msg:"all"; sid:100;)`;

  it('strict order: alerts then a pass-all in the first group by priority: everything passes, logged: Monitored (the default drop never applies)', async () => {
    const s = await stateOf(tfWith(strictPolicy(ALERTS_THEN_PASS, 1, 2)), 'protected-vpc');
    assert.equal(s.state, 'Monitored');
    assert.match(
      s.reason,
      /passes all traffic that reaches it in strict order \(the 2 rules after it never see that traffic\), and nothing before it drops; 1 alert rule logs it/,
    );
  });

  it('strict order: the same pass-all group after the allow-list by priority: the allow-list and its drop come first: Partially Protected', async () => {
    const s = await stateOf(tfWith(strictPolicy(ALERTS_THEN_PASS, 2, 1)), 'protected-vpc');
    assert.equal(s.state, 'Partially Protected');
    assert.match(s.reason, /before it ALLOWLIST/);
  });

  it('strict order: a drop before the pass-all in the same group: Partially Protected; a priority not written: Unknown as before', async () => {
    const dropFirst = await stateOf(
      tfWith(
        strictPolicy(`drop tcp $HOME_NET any -> any 22 (msg:"ssh"; sid:1;)\npass ip $HOME_NET any -> any any (msg:"all"; sid:100;)`, 1, 2),
      ),
      'protected-vpc',
    );
    assert.equal(dropFirst.state, 'Partially Protected');
    const noPriority = await stateOf(tfWith(strictPolicy(ALERTS_THEN_PASS, 1, 2).replace('priority     = 1\n', '')), 'protected-vpc');
    assert.equal(noPriority.state, 'Unknown');
    assert.match(noPriority.reason, /its place in strict order is not evaluated/);
  });

  // F170: as Azure Firewall's network rule to any destination on some ports, a pass to every address on some ports
  // (or HTTP/TLS to any host) opens those to the whole internet; the drop holds back only the rest.
  it('a pass to any destination on some ports beside the default drop, or before a drop of everything: Partially Protected', async () => {
    const https = `pass tcp $HOME_NET any -> any 443 (msg:"https out"; flow:to_server; sid:1;)`;
    const strict = await stateOf(tfWith(strictPolicy(https, 1, 2)), 'protected-vpc');
    assert.equal(strict.state, 'Partially Protected', strict.reason);
    assert.match(
      strict.reason,
      /with default drop \(aws:drop_strict\), but pass tcp \$HOME_NET any -> any 443 passes some protocols or ports to any destination: the rest is held back/,
    );
    const tls = await stateOf(tfWith(strictPolicy('pass tls $HOME_NET any -> any any (sid:1;)', 1, 2)), 'protected-vpc');
    assert.equal(tls.state, 'Partially Protected', tls.reason);
    assert.match(tls.reason, /passes HTTP\/TLS to any destination/);
    const dropAfter = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          suricata(`${https}\ndrop ip $HOME_NET any -> any any (msg:"default deny"; sid:2;)`),
        ),
      ),
      'protected-vpc',
    );
    assert.equal(dropAfter.state, 'Partially Protected', dropAfter.reason);
  });

  it('the same port to a named address, or a pass to any destination that a strict-order drop of everything comes before: Protected', async () => {
    const named = await stateOf(tfWith(strictPolicy('pass tcp $HOME_NET any -> 203.0.113.10 443 (sid:1;)', 1, 2)), 'protected-vpc');
    assert.equal(named.state, 'Protected', named.reason);
    const shadowed = await stateOf(
      tfWith(strictPolicy('drop ip $HOME_NET any -> any any (sid:1;)\npass tcp $HOME_NET any -> any 443 (sid:2;)', 1, 2)),
      'protected-vpc',
    );
    assert.equal(shadowed.state, 'Protected', shadowed.reason);
  });

  it('strict order: a pass of one flow state (established, or the handshake) is no pass-all: the drop after it, or the default drop, decides', async () => {
    const established = await stateOf(
      tfWith(
        strictPolicy(
          `pass ip $HOME_NET any -> any any (msg:"established"; flow:established; sid:1;)\ndrop ip $HOME_NET any -> any any (msg:"rest"; sid:2;)`,
          1,
          2,
        ),
      ),
      'protected-vpc',
    );
    assert.equal(established.state, 'Protected');
    const handshake = await stateOf(
      tfWith(
        strictPolicy(
          `pass ip $HOME_NET any -> any any (msg:"handshake"; flow:not_established, to_server; sid:1;)\npass tls $HOME_NET any -> any 443 (tls.sni; content:"example.org"; endswith; sid:2;)`,
          1,
          2,
          '["aws:drop_established"]',
        ),
      ),
      'protected-vpc',
    );
    assert.equal(handshake.state, 'Protected');
  });

  it('a logging configuration of the firewall decides whether its alerts are logged: ALERT delivered: Monitored; FLOW only: the alerts go nowhere: Unprotected', async () => {
    const alerting = tfWith(
      tfPolicy(
        `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
        suricata(`alert ip $HOME_NET any -> any any (msg:"egress"; sid:1;)`),
      ),
    )['main.tf'];
    const logging = (types: string[]) => `
resource "aws_networkfirewall_logging_configuration" "egress" {
  firewall_arn = aws_networkfirewall_firewall.egress.arn
  logging_configuration {
${types
  .map(
    (t) => `    log_destination_config {
      log_destination = { logGroup = "/nfw/${t.toLowerCase()}" }
      log_destination_type = "CloudWatchLogs"
      log_type             = "${t}"
    }`,
  )
  .join('\n')}
  }
}
`;
    const none = await stateOf({ 'main.tf': alerting }, 'protected-vpc');
    assert.equal(none.state, 'Monitored');
    assert.match(none.reason, /no logging configuration in the inputs names the firewall: where its alerts go is not checked/);
    const alert = await stateOf({ 'main.tf': alerting, 'logging.tf': logging(['FLOW', 'ALERT']) }, 'protected-vpc');
    assert.equal(alert.state, 'Monitored');
    assert.match(alert.reason, /; aws_networkfirewall_logging_configuration\.egress delivers the ALERT logs$/);
    const flow = await stateOf({ 'main.tf': alerting, 'logging.tf': logging(['FLOW']) }, 'protected-vpc');
    assert.equal(flow.state, 'Unprotected', flow.reason);
    assert.match(
      flow.reason,
      /but aws_networkfirewall_logging_configuration\.egress delivers no ALERT logs \(FLOW\): the alerts go nowhere/,
    );
    // A policy that drops is not made less by where its logs go.
    const dropping = tfWith(
      tfPolicy(
        `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
        suricata(`drop ip $HOME_NET any -> any any (msg:"deny"; sid:1;)`),
      ),
    )['main.tf'];
    assert.equal((await stateOf({ 'main.tf': dropping, 'logging.tf': logging(['FLOW']) }, 'protected-vpc')).state, 'Protected');
  });

  it('stateless default aws:pass: the stateful rules never see the traffic: Unprotected', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:pass"]
    stateless_fragment_default_actions = ["aws:pass"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }`,
          allowList,
        ),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Unprotected');
    assert.match(s.reason, /forwards everything without stateful inspection \(stateless default aws:pass\)/);
  });

  it('no rule group at all: Unprotected', async () => {
    const s = await stateOf(
      tfWith(
        tfPolicy(`stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]`),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Unprotected');
    assert.match(s.reason, /no stateful rule group/);
  });

  it('a rule group whose rules come from a file, or a policy that is not in the inputs: Unknown with the reason', async () => {
    const fromFile = await stateOf(
      tfWith(
        tfPolicy(
          `stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.suricata.arn
    }`,
          `
resource "aws_networkfirewall_rule_group" "suricata" {
  name     = "suricata"
  type     = "STATEFUL"
  capacity = 100
  rules    = file("\${path.module}/suricata.rules")
}`,
        ),
      ),
      'protected-vpc',
    );
    assert.equal(fromFile.state, 'Unknown');
    assert.match(fromFile.reason, /the rules of aws_networkfirewall_rule_group\.suricata cannot be read offline/);
    const missing = await stateOf(
      {
        'main.tf':
          tfWith('')['main.tf'].replace('aws_networkfirewall_firewall_policy.egress.arn', 'var.policy_arn') +
          '\nvariable "policy_arn" {}\n',
      },
      'protected-vpc',
    );
    assert.equal(missing.state, 'Unknown');
    assert.match(missing.reason, /its firewall policy `var\.policy_arn`/);
  });

  it('an AWS managed threat group beside a default drop stays Protected; alone it is Unknown (drop or alert is not in the inputs)', async () => {
    const managed = 'arn:aws:network-firewall:us-east-1:aws-managed:stateful-rulegroup/ThreatSignaturesMalwareStrictOrder';
    const withDrop = await stateOf(
      tfWith(
        tfPolicy(`stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established"]
    stateful_engine_options { rule_order = "STRICT_ORDER" }
    stateful_rule_group_reference {
      priority     = 1
      resource_arn = "${managed}"
    }`),
      ),
      'protected-vpc',
    );
    assert.equal(withDrop.state, 'Protected');
    const alone = await stateOf(
      tfWith(
        tfPolicy(`stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = "${managed}"
    }`),
      ),
      'protected-vpc',
    );
    assert.equal(alone.state, 'Unknown');
    assert.match(alone.reason, /ThreatSignaturesMalwareStrictOrder drops or only alerts/);
  });
});

// ---- Stateless rule groups: what the stateless engine passes, drops or forwards before the stateful engine.
const stateless = (name: string, rules: string) => `
resource "aws_networkfirewall_rule_group" "${name}" {
  name     = "${name}"
  type     = "STATELESS"
  capacity = 100
  rule_group {
    rules_source {
      stateless_rules_and_custom_actions {
${rules}
      }
    }
  }
}`;

/** One stateless_rule; `match` is the body of match_attributes. */
const slRule = (priority: number, action: string, match: string) => `        stateless_rule {
          priority = ${priority}
          rule_definition {
            actions = ["${action}"]
            match_attributes {
${match}
            }
          }
        }`;

/** match_attributes blocks of one kind (`source`, `destination`), one per CIDR. */
const addressBlocks = (kind: string, cidrs: string[]) =>
  cidrs.map((c) => `              ${kind} {\n                address_definition = "${c}"\n              }`).join('\n');

const anyToAny = `              source {
                address_definition = "0.0.0.0/0"
              }
              destination {
                address_definition = "0.0.0.0/0"
              }`;

/** TCP 80 and 443 from `src` to anywhere. */
const webFrom = (src: string) => `              source {
                address_definition = "${src}"
              }
              destination {
                address_definition = "0.0.0.0/0"
              }
              destination_port {
                from_port = 80
                to_port   = 80
              }
              destination_port {
                from_port = 443
                to_port   = 443
              }
              protocols = [6]`;

const everythingFrom = (src: string) => `              source {
                address_definition = "${src}"
              }
              destination {
                address_definition = "0.0.0.0/0"
              }`;

/** A policy with one stateless group reference and the allow-list, in `order`. */
const slPolicy = (statelessDefault: string, strict: boolean) =>
  tfPolicy(
    `stateless_default_actions          = ["${statelessDefault}"]
    stateless_fragment_default_actions = ["${statelessDefault}"]
    ${strict ? 'stateful_default_actions           = ["aws:drop_strict"]\n    stateful_engine_options { rule_order = "STRICT_ORDER" }' : ''}
    stateless_rule_group_reference {
      priority     = 10
      resource_arn = aws_networkfirewall_rule_group.sl.arn
    }
    stateful_rule_group_reference {
      ${strict ? 'priority     = 1' : ''}
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }`,
    allowList,
  );

describe('firewall policy: AWS Network Firewall stateless rule groups (Terraform)', function () {
  this.timeout(30000);

  it('a stateless aws:pass of 0.0.0.0/0 on every protocol at the first priority: the stateful default drop never sees the traffic: Unprotected', async () => {
    const s = await stateOf(
      tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', slRule(1, 'aws:pass', anyToAny))),
      'protected-vpc',
    );
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(
      s.reason,
      /forwards everything without stateful inspection \(stateless rule aws:pass any -> any \(aws_networkfirewall_rule_group\.sl\)\)/,
    );
  });

  it('the same pass behind a stateless drop of ICMP: the drop carves a slice, the rest still goes out uninspected: Partially Protected', async () => {
    const s = await stateOf(
      tfWith(
        slPolicy('aws:forward_to_sfe', true) +
          stateless('sl', `${slRule(1, 'aws:drop', anyToAny + '\n              protocols = [1]')}\n${slRule(2, 'aws:pass', anyToAny)}`),
      ),
      'protected-vpc',
    );
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /stateless engine drops aws:drop any -> any proto 1 .*, passes the rest uninspected \(stateless rule aws:pass/);
  });

  it('forward TCP 80/443 of the home network, drop the rest of it: the stateful engine decides the web slice (strict default drop: Protected; an allow-list alone: Partially Protected)', async () => {
    const rules = `${slRule(10, 'aws:forward_to_sfe', webFrom('10.0.0.0/8'))}\n${slRule(100, 'aws:drop', everythingFrom('10.0.0.0/8'))}`;
    const strict = await stateOf(tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', rules)), 'protected-vpc');
    assert.equal(strict.state, 'Protected', strict.reason);
    assert.match(
      strict.reason,
      /forwards aws:forward_to_sfe 10\.0\.0\.0\/8 -> any proto 6 port 80:80,443:443 .* to the stateful engine, drops the rest \(stateless rule aws:drop 10\.0\.0\.0\/8 -> any/,
    );
    assert.match(strict.reason, /its stateful engine takes what is forwarded with default drop \(aws:drop_strict\)/);
    const list = await stateOf(tfWith(slPolicy('aws:forward_to_sfe', false) + stateless('sl', rules)), 'protected-vpc');
    assert.equal(list.state, 'Partially Protected', list.reason);
  });

  it('stateless rules for sources the firewall does not see from this VPC take nothing of its traffic', async () => {
    // The protected subnets are in 10.20.0.0/16: rules for 192.168.0.0/16 leave the policy's own defaults in force.
    const rules = `${slRule(1, 'aws:pass', everythingFrom('192.168.0.0/16'))}`;
    const s = await stateOf(tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', rules)), 'protected-vpc');
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /forwards everything to the stateful engine with default drop/);
    // A rule for a range that holds only part of a protected subnet passes part of its traffic uninspected.
    const part = await stateOf(
      tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', slRule(1, 'aws:pass', everythingFrom('10.20.1.0/25')))),
      'protected-vpc',
    );
    assert.equal(part.state, 'Partially Protected', part.reason);
  });

  it('a stateless default aws:pass with a group that forwards the web: the rest leaves uninspected: Partially Protected; a default aws:drop with the same group: Protected', async () => {
    const rules = slRule(10, 'aws:forward_to_sfe', webFrom('0.0.0.0/0'));
    const pass = await stateOf(tfWith(slPolicy('aws:pass', true) + stateless('sl', rules)), 'protected-vpc');
    assert.equal(pass.state, 'Partially Protected', pass.reason);
    assert.match(pass.reason, /passes the rest uninspected \(stateless default aws:pass\)/);
    const drop = await stateOf(tfWith(slPolicy('aws:drop', true) + stateless('sl', rules)), 'protected-vpc');
    assert.equal(drop.state, 'Protected', drop.reason);
    // A pass of TCP 80/443 to anywhere, uninspected, before a default drop: the web is open, the rest dropped.
    const open = await stateOf(
      tfWith(slPolicy('aws:drop', true) + stateless('sl', slRule(10, 'aws:pass', webFrom('0.0.0.0/0')))),
      'protected-vpc',
    );
    assert.equal(open.state, 'Partially Protected', open.reason);
  });

  it('a rule between private ranges only never takes internet-bound traffic; a source the inputs do not decide is Unknown', async () => {
    const eastWest = slRule(
      1,
      'aws:pass',
      `              source {
                address_definition = "10.0.0.0/8"
              }
              destination {
                address_definition = "10.0.0.0/8"
              }`,
    );
    const s = await stateOf(tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', eastWest)), 'protected-vpc');
    assert.equal(s.state, 'Protected', s.reason);
    const undecided = await stateOf(
      {
        'main.tf':
          tfWith(slPolicy('aws:forward_to_sfe', true) + stateless('sl', slRule(1, 'aws:pass', everythingFrom('${var.home_net}'))))[
            'main.tf'
          ] + '\nvariable "home_net" {}\n',
      },
      'protected-vpc',
    );
    assert.equal(undecided.state, 'Unknown', undecided.reason);
    assert.match(
      undecided.reason,
      /stateless rule aws:pass "\$\{var\.home_net\}" -> any \(aws_networkfirewall_rule_group\.sl\) matches `"\$\{var\.home_net\}"`, which cannot be decided offline/,
    );
  });

  it('a stateless drop of every IPv6 address drops no IPv4 packet: with a stateless default aws:pass the IPv4 traffic leaves uninspected (review s18 R12)', async () => {
    const dropV6 = slRule(1, 'aws:drop', addressBlocks('destination', ['::/0']));
    const s = await stateOf(tfWith(slPolicy('aws:pass', false) + stateless('sl', dropV6)), 'protected-vpc');
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /forwards everything without stateful inspection \(stateless default aws:pass\)/);
    // The same drop written for IPv4 as well takes every packet.
    const dropAll = slRule(1, 'aws:drop', addressBlocks('destination', ['::/0', '0.0.0.0/0']));
    const all = await stateOf(tfWith(slPolicy('aws:pass', false) + stateless('sl', dropAll)), 'protected-vpc');
    assert.equal(all.state, 'Protected', all.reason);
    assert.match(all.reason, /drops every packet no stateless rule passes/);
  });
});

// ---- The same policies in CloudFormation: examples/aws-network-firewall-cfn with the policy replaced.
const cfnBase = read('aws-network-firewall-cfn/template.yaml');
const cfnStart = cfnBase.indexOf('  AllowedDomains:');
const cfnEnd = cfnBase.indexOf('  EgressFirewall:');
assert.ok(cfnStart > 0 && cfnEnd > cfnStart);

function cfnWith(resources: string): Record<string, string> {
  return { 'template.yaml': cfnBase.slice(0, cfnStart) + resources + '\n' + cfnBase.slice(cfnEnd) };
}

describe('firewall policy: the same policies in CloudFormation agree with Terraform', function () {
  this.timeout(30000);
  const cases: [string, string, string][] = [
    [
      'strict order, default drop, allow-list',
      `  AllowedDomains:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: allow-domains
      Type: STATEFUL
      Capacity: 100
      RuleGroup:
        RulesSource:
          RulesSourceList: { GeneratedRulesType: ALLOWLIST, TargetTypes: [TLS_SNI], Targets: [.example.org] }
        StatefulRuleOptions: { RuleOrder: STRICT_ORDER }
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulDefaultActions: ["aws:drop_strict"]
        StatefulEngineOptions: { RuleOrder: STRICT_ORDER }
        StatefulRuleGroupReferences:
          - { ResourceArn: !GetAtt AllowedDomains.RuleGroupArn, Priority: 1 }
`,
      'Protected',
    ],
    [
      'allow-list in default action order',
      `  AllowedDomains:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: allow-domains
      Type: STATEFUL
      Capacity: 100
      RuleGroup:
        RulesSource:
          RulesSourceList: { GeneratedRulesType: ALLOWLIST, TargetTypes: [TLS_SNI], Targets: [.example.org] }
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulRuleGroupReferences:
          - ResourceArn: !Ref AllowedDomains
`,
      'Partially Protected',
    ],
    [
      '5-tuple alert rule only',
      `  AlertAll:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: alert-all
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RulesSource:
          StatefulRules:
            - Action: ALERT
              Header: { Protocol: IP, Source: ANY, SourcePort: ANY, Direction: FORWARD, Destination: ANY, DestinationPort: ANY }
              RuleOptions: [{ Keyword: "sid:1" }]
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulRuleGroupReferences:
          - ResourceArn: !Ref AlertAll
`,
      'Monitored',
    ],
    [
      'strict order: alerts then a pass-all at priority 1, the allow-list at priority 2 never reached',
      `  AlertThenPass:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: alert-then-pass
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RulesSource:
          StatefulRules:
            - Action: ALERT
              Header: { Protocol: TCP, Source: ANY, SourcePort: ANY, Direction: ANY, Destination: ANY, DestinationPort: 443 }
              RuleOptions: [{ Keyword: "sid:1" }]
            - Action: PASS
              Header: { Protocol: IP, Source: ANY, SourcePort: ANY, Direction: ANY, Destination: ANY, DestinationPort: ANY }
              RuleOptions: [{ Keyword: "sid:100" }]
        StatefulRuleOptions: { RuleOrder: STRICT_ORDER }
  AllowedDomains:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: allow-domains
      Type: STATEFUL
      Capacity: 100
      RuleGroup:
        RulesSource:
          RulesSourceList: { GeneratedRulesType: ALLOWLIST, TargetTypes: [TLS_SNI], Targets: [.example.org] }
        StatefulRuleOptions: { RuleOrder: STRICT_ORDER }
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulDefaultActions: ["aws:drop_strict"]
        StatefulEngineOptions: { RuleOrder: STRICT_ORDER }
        StatefulRuleGroupReferences:
          - { ResourceArn: !Ref AllowedDomains, Priority: 2 }
          - { ResourceArn: !Ref AlertThenPass, Priority: 1 }
`,
      'Monitored',
    ],
    [
      'stateless pass',
      `  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:pass"]
        StatelessFragmentDefaultActions: ["aws:pass"]
`,
      'Unprotected',
    ],
    [
      '5-tuple alert rule only, its firewall logging FLOW only: the alerts go nowhere',
      `  AlertAll:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: alert-all
      Type: STATEFUL
      Capacity: 10
      RuleGroup:
        RulesSource:
          StatefulRules:
            - Action: ALERT
              Header: { Protocol: IP, Source: ANY, SourcePort: ANY, Direction: FORWARD, Destination: ANY, DestinationPort: ANY }
              RuleOptions: [{ Keyword: "sid:1" }]
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatefulRuleGroupReferences:
          - ResourceArn: !Ref AlertAll
  EgressLogging:
    Type: AWS::NetworkFirewall::LoggingConfiguration
    Properties:
      FirewallArn: !Ref EgressFirewall
      LoggingConfiguration:
        LogDestinationConfigs:
          - LogType: FLOW
            LogDestinationType: S3
            LogDestination: { bucketName: nfw-logs }
`,
      'Unprotected',
    ],
    [
      'a stateless rule passing 0.0.0.0/0 on every protocol before a stateful default drop',
      `  PassAll:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: pass-all
      Type: STATELESS
      Capacity: 10
      RuleGroup:
        RulesSource:
          StatelessRulesAndCustomActions:
            StatelessRules:
              - Priority: 1
                RuleDefinition:
                  Actions: ["aws:pass"]
                  MatchAttributes:
                    Sources: [{ AddressDefinition: 0.0.0.0/0 }]
                    Destinations: [{ AddressDefinition: 0.0.0.0/0 }]
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
        StatelessRuleGroupReferences:
          - { ResourceArn: !Ref PassAll, Priority: 1 }
        StatefulDefaultActions: ["aws:drop_strict"]
        StatefulEngineOptions: { RuleOrder: STRICT_ORDER }
`,
      'Unprotected',
    ],
    [
      'stateless: forward TCP 443 and drop the rest, then a stateful default drop',
      `  WebOnly:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: web-only
      Type: STATELESS
      Capacity: 10
      RuleGroup:
        RulesSource:
          StatelessRulesAndCustomActions:
            StatelessRules:
              - Priority: 10
                RuleDefinition:
                  Actions: ["aws:forward_to_sfe"]
                  MatchAttributes:
                    DestinationPorts: [{ FromPort: 443, ToPort: 443 }]
                    Protocols: [6]
              - Priority: 20
                RuleDefinition:
                  Actions: ["aws:drop"]
                  MatchAttributes: {}
  EgressPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: ["aws:pass"]
        StatelessFragmentDefaultActions: ["aws:pass"]
        StatelessRuleGroupReferences:
          - { ResourceArn: !GetAtt WebOnly.RuleGroupArn, Priority: 1 }
        StatefulDefaultActions: ["aws:drop_strict"]
        StatefulEngineOptions: { RuleOrder: STRICT_ORDER }
`,
      'Protected',
    ],
  ];
  for (const [what, resources, expected] of cases) {
    it(`${what}: ${expected}`, async () => {
      const s = await stateOf(cfnWith(resources), 'nfw-single-az');
      assert.equal(s.state, expected, s.reason);
      assert.match(s.reason, /policy egress[ ']/);
    });
  }
});

// ---- Azure Firewall: examples/azure-hub-spoke-firewall with its rule collection group replaced.
const azBase = read('azure-hub-spoke-firewall/main.tf');
const azStart = azBase.indexOf('resource "azurerm_firewall_policy_rule_collection_group" "egress"');
const azEnd = azBase.indexOf('resource "azurerm_firewall" "hub"');
assert.ok(azStart > 0 && azEnd > azStart);

function azWith(rules: string, policyExtra = ''): Record<string, string> {
  let t = azBase.slice(0, azStart) + rules + '\n' + azBase.slice(azEnd);
  if (policyExtra)
    t = t.replace('resource "azurerm_firewall_policy" "egress" {', `resource "azurerm_firewall_policy" "egress" {\n  ${policyExtra}`);
  return { 'main.tf': t };
}

const rcg = (collections: string) => `
resource "azurerm_firewall_policy_rule_collection_group" "egress" {
  name               = "rcg-egress"
  firewall_policy_id = azurerm_firewall_policy.egress.id
  priority           = 500
${collections}
}`;

const allowAllNetwork = `
  network_rule_collection {
    name     = "allow-all"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "any"
      protocols             = ["Any"]
      source_addresses      = ["*"]
      destination_addresses = ["*"]
      destination_ports     = ["*"]
    }
  }`;

describe('firewall policy: Azure Firewall', function () {
  this.timeout(30000);

  it('a policy without any allow rule denies everything: Protected', async () => {
    const s = await stateOf(azWith(''), 'vnet-spoke-app');
    assert.equal(s.state, 'Protected');
    // No rule collection group at all (F182): the reason says what is not in the inputs, not that the policy allows nothing.
    assert.match(
      s.reason,
      /policy azurerm_firewall_policy\.egress has no rule collection group in the inputs, so Azure Firewall denies all traffic by default \(rule collection groups another configuration attaches to it are not seen\)/,
    );
    // A group whose only collection denies: the policy allows nothing.
    const denyOnly = await stateOf(azWith(rcg(allowAllNetwork.replace('"Allow"', '"Deny"'))), 'vnet-spoke-app');
    assert.equal(denyOnly.state, 'Protected');
    assert.match(
      denyOnly.reason,
      /policy azurerm_firewall_policy\.egress allows nothing before network rule any \(Deny\), which denies everything$/,
    );
  });

  it('a firewall with no policy and no classic collection in the inputs allows nothing as written: Protected, saying collections kept elsewhere would change it', async () => {
    const files = azWith('');
    files['main.tf'] = files['main.tf'].replace('  firewall_policy_id  = azurerm_firewall_policy.egress.id\n', '');
    assert.ok(!files['main.tf'].includes('firewall_policy_id  ='));
    const s = await stateOf(files, 'vnet-spoke-app');
    assert.equal(s.state, 'Protected');
    assert.match(
      s.reason,
      /names no firewall policy and no classic rule collection in the inputs names it, so as written it allows nothing/,
    );
  });

  it('a parent policy (base_policy_id) is applied first: its allow-all opens the child that allows nothing; a parent outside the inputs is Unknown', async () => {
    const parent = `
resource "azurerm_firewall_policy" "parent" {
  name                = "fwpolicy-parent"
  resource_group_name = "rg"
  location            = "westeurope"
}
resource "azurerm_firewall_policy_rule_collection_group" "parent" {
  name               = "rcg-parent"
  firewall_policy_id = azurerm_firewall_policy.parent.id
  priority           = 100
${allowAllNetwork}
}
`;
    const inherited = await stateOf(azWith(parent, 'base_policy_id = azurerm_firewall_policy.parent.id'), 'vnet-spoke-app');
    assert.equal(inherited.state, 'Monitored');
    assert.match(inherited.reason, /allows all traffic to any destination \(network rule any \(Allow\)\)/);
    // The same parent not named by the policy changes nothing.
    assert.equal((await stateOf(azWith(parent), 'vnet-spoke-app')).state, 'Protected');
    const central = await stateOf(
      azWith('', 'base_policy_id = "/subscriptions/0000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/corp-parent"'),
      'vnet-spoke-app',
    );
    assert.equal(central.state, 'Unknown');
    assert.match(
      central.reason,
      /its parent policy .*corp-parent.* \(base_policy_id of azurerm_firewall_policy\.egress\) is not in the inputs, and Azure applies its rule collections first/,
    );
  });

  it('an allow-all network rule with threat intelligence in its default Alert mode: Monitored; Off: Unprotected; Deny: Partially Protected', async () => {
    const alert = await stateOf(azWith(rcg(allowAllNetwork)), 'vnet-spoke-app');
    assert.equal(alert.state, 'Monitored');
    assert.match(alert.reason, /allows all traffic to any destination \(network rule any \(Allow\)\); threat intelligence only alerts/);
    const off = await stateOf(azWith(rcg(allowAllNetwork), 'threat_intelligence_mode = "Off"'), 'vnet-spoke-app');
    assert.equal(off.state, 'Unprotected');
    const deny = await stateOf(azWith(rcg(allowAllNetwork), 'threat_intelligence_mode = "Deny"'), 'vnet-spoke-app');
    assert.equal(deny.state, 'Partially Protected');
  });

  it("the same allow-all is Monitored only while a diagnostic setting sends the firewall's rule or threat logs: none in the inputs is said; one without them is Unprotected (review s18 R10)", async () => {
    const alert = await stateOf(azWith(rcg(allowAllNetwork)), 'vnet-spoke-app');
    assert.match(alert.reason, /no diagnostic setting in the inputs names the firewall: where its logs go is not checked/);
    const withSetting = (body: string): Record<string, string> => {
      const files = azWith(rcg(allowAllNetwork));
      files['main.tf'] += `
resource "azurerm_monitor_diagnostic_setting" "fw" {
  name                       = "fw-logs"
  target_resource_id         = azurerm_firewall.hub.id
  log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/ops/providers/Microsoft.OperationalInsights/workspaces/law"
${body}
}
`;
      return files;
    };
    const logged = await stateOf(withSetting('  enabled_log {\n    category = "AZFWThreatIntel"\n  }'), 'vnet-spoke-app');
    assert.equal(logged.state, 'Monitored', logged.reason);
    assert.match(logged.reason, /azurerm_monitor_diagnostic_setting\.fw sends its AZFWThreatIntel logs/);
    // Every category the firewall has, through the data source that lists them.
    const all = await stateOf(
      withSetting(`  dynamic "enabled_log" {
    for_each = data.azurerm_monitor_diagnostic_categories.fw.log_category_types
    content {
      category = enabled_log.value
    }
  }`),
      'vnet-spoke-app',
    );
    assert.equal(all.state, 'Monitored', all.reason);
    const metricsOnly = await stateOf(withSetting('  enabled_log {\n    category = "AZFWDnsQuery"\n  }'), 'vnet-spoke-app');
    assert.equal(metricsOnly.state, 'Unprotected', metricsOnly.reason);
    assert.match(metricsOnly.reason, /sends none of its rule or threat intelligence logs \(AZFWDnsQuery\): nothing records the traffic/);
  });

  it('HTTP/HTTPS to any FQDN opens the web only (Partially Protected: other protocols meet the default deny); a rule whose action is a variable without value is Unknown', async () => {
    const web = await stateOf(
      azWith(
        rcg(`
  application_rule_collection {
    name     = "web"
    priority = 100
    action   = "Allow"
    rule {
      name              = "all-web"
      source_addresses  = ["*"]
      destination_fqdns = ["*"]
      protocols {
        type = "Https"
        port = 443
      }
    }
  }`),
      ),
      'vnet-spoke-app',
    );
    assert.equal(web.state, 'Partially Protected');
    assert.match(web.reason, /allows HTTP\/HTTPS to any FQDN .*; every other protocol is denied by default/);
    const unknown = await stateOf(
      azWith(rcg(allowAllNetwork.replace('action   = "Allow"', 'action   = var.action')) + '\nvariable "action" {}\n'),
      'vnet-spoke-app',
    );
    assert.equal(unknown.state, 'Unknown');
    assert.match(unknown.reason, /allows or denies cannot be decided offline/);
  });

  // Azure's quickstarts name destinations by IP groups (`destination_ip_groups = [azurerm_ip_group.x.id]`): the
  // group's written CIDRs decide, as an address list would; a group that is not in the inputs stays Unknown.
  it('a network rule to IP groups reads the CIDRs of the groups: private ranges only is Protected; a group not in the inputs is Unknown', async () => {
    const groups = `
resource "azurerm_ip_group" "spokes" {
  name                = "ipg-spokes"
  location            = "westeurope"
  resource_group_name = "rg-network"
  cidrs               = var.spoke_cidrs
}
variable "spoke_cidrs" {
  default = ["10.1.0.0/16", "10.2.0.0/16"]
}
`;
    const toGroups = (dest: string) => `
  network_rule_collection {
    name     = "east-west"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "spokes"
      protocols             = ["Any"]
      source_addresses      = ["10.1.0.0/16"]
      destination_ip_groups = [${dest}]
      destination_ports     = ["*"]
    }
  }`;
    const known = await stateOf({ ...azWith(rcg(toGroups('azurerm_ip_group.spokes.id'))), 'groups.tf': groups }, 'vnet-spoke-app');
    assert.equal(known.state, 'Protected', known.reason);
    const foreign = await stateOf(
      { ...azWith(rcg(toGroups('"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/ipGroups/shared"'))), 'groups.tf': groups },
      'vnet-spoke-app',
    );
    assert.equal(foreign.state, 'Unknown', foreign.reason);
  });

  it('an IP group id passed into a module as a variable is followed to the group: its CIDRs decide (Protected), as when written in the rule', async () => {
    // The rule collection group lives in a module; the root gives it the policy and the group's id.
    const module = `
variable "policy_id" {}
variable "spokes_group_id" {}
resource "azurerm_firewall_policy_rule_collection_group" "egress" {
  name               = "rcg-egress"
  firewall_policy_id = var.policy_id
  priority           = 500
  network_rule_collection {
    name     = "east-west"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "spokes"
      protocols             = ["Any"]
      source_ip_groups      = [var.spokes_group_id]
      destination_ip_groups = [var.spokes_group_id]
      destination_ports     = ["*"]
    }
  }
}`;
    const call = (groupId: string) => `
module "rules" {
  source          = "./rules"
  policy_id       = azurerm_firewall_policy.egress.id
  spokes_group_id = ${groupId}
}
resource "azurerm_ip_group" "spokes" {
  name                = "ipg-spokes"
  location            = "westeurope"
  resource_group_name = "rg-network"
  cidrs               = ["10.1.0.0/16", "10.2.0.0/16"]
}`;
    const files = (groupId: string) => {
      const f = azWith('');
      f['main.tf'] += call(groupId);
      f['rules/main.tf'] = module;
      return f;
    };
    const followed = await stateOf(files('azurerm_ip_group.spokes.id'), 'vnet-spoke-app');
    assert.equal(followed.state, 'Protected', followed.reason);
    // An id that is only a string (a group made elsewhere) has no CIDRs in the inputs.
    const foreign = await stateOf(
      files('"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/ipGroups/shared"'),
      'vnet-spoke-app',
    );
    assert.equal(foreign.state, 'Unknown', foreign.reason);
    assert.match(foreign.reason, /network rule spokes/);
  });

  it('a network rule to any destination on TCP 80/443 opens those ports only: Partially Protected (every other port meets the default deny)', async () => {
    const ports = await stateOf(
      azWith(
        rcg(`
  network_rule_collection {
    name     = "spoke-to-internet"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "allow-web"
      protocols             = ["TCP"]
      source_addresses      = ["10.1.1.0/24"]
      destination_addresses = ["*"]
      destination_ports     = ["80", "443"]
    }
  }`),
      ),
      'vnet-spoke-app',
    );
    assert.equal(ports.state, 'Partially Protected');
    assert.match(
      ports.reason,
      /allows some protocols and ports to any destination \(network rule allow-web \(Allow\)\); every other protocol and port is denied by default/,
    );
  });

  it('classic rule collections name their firewall: an allow-all application collection opens the web only', async () => {
    const t = azWith('')['main.tf'].replace('  firewall_policy_id  = azurerm_firewall_policy.egress.id\n', '');
    const s = await stateOf(
      {
        'main.tf': `${t}
resource "azurerm_firewall_application_rule_collection" "web" {
  name                = "web"
  azure_firewall_name = azurerm_firewall.hub.name
  resource_group_name = azurerm_resource_group.net.name
  priority            = 100
  action              = "Allow"
  rule {
    name             = "all"
    source_addresses = ["10.1.0.0/16"]
    target_fqdns     = ["*"]
    protocol {
      port = "443"
      type = "Https"
    }
  }
}
`,
      },
      'vnet-spoke-app',
    );
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /its classic rule collections allow HTTP\/HTTPS to any FQDN/);
  });

  // F105: a storage account's FQDN whose name is random: the name is known only after apply, the domain is not.
  const classicFqdns = (fqdns: string) => {
    const t = azWith('')['main.tf'].replace('  firewall_policy_id  = azurerm_firewall_policy.egress.id\n', '');
    return {
      'main.tf': `${t}
resource "random_string" "sa" {
  length  = 8
  special = false
  upper   = false
}
resource "azurerm_firewall_application_rule_collection" "storage" {
  name                = "storage"
  azure_firewall_name = azurerm_firewall.hub.name
  resource_group_name = azurerm_resource_group.net.name
  priority            = 100
  action              = "Allow"
  rule {
    name             = "app-storage"
    source_addresses = ["10.1.0.0/16"]
    target_fqdns     = [${fqdns}]
    protocol {
      port = "443"
      type = "Https"
    }
  }
}
`,
    };
  };

  it('an application rule to an FQDN whose leading label is known only after apply names one host under its literal domain (Protected)', async () => {
    for (const fqdn of ['"${random_string.sa.result}.blob.core.windows.net"', '"${random_string.sa.result}logs.dfs.core.windows.net"']) {
      const s = await stateOf(classicFqdns(fqdn), 'vnet-spoke-app');
      assert.equal(s.state, 'Protected', `${fqdn}: ${s.reason}`);
      assert.match(s.reason, /deny by default and allow 1 rule to named destinations/);
    }
  });

  it('an FQDN whose known end is not a domain of two labels, or that holds a wildcard, stays undecided (Unknown)', async () => {
    for (const fqdn of [
      '"${random_string.sa.result}.net"',
      '"${random_string.sa.result}"',
      '"*.${random_string.sa.result}.blob.core.windows.net"',
      '"${random_string.sa.result}.blob.core.windows.net/*"',
      '"www.example.com", random_string.sa.result',
    ]) {
      const s = await stateOf(classicFqdns(fqdn), 'vnet-spoke-app');
      assert.equal(s.state, 'Unknown', `${fqdn}: ${s.reason}`);
      assert.match(s.reason, /application rule app-storage allows or denies cannot be decided offline/);
    }
  });

  it('a policy application rule to such an FQDN is decided the same way', async () => {
    const s = await stateOf(
      {
        ...azWith(
          rcg(
            appCollection(
              'Allow',
              webRule('storage', 'source_addresses  = ["10.1.0.0/16"]', '"${random_string.sa.result}.blob.core.windows.net"'),
            ),
          ),
        ),
        'random.tf': 'resource "random_string" "sa" {\n  length = 8\n}\n',
      },
      'vnet-spoke-app',
    );
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /denies by default and allows 1 rule to named destinations/);
  });
});

// ---- Azure Firewall rules apply to their sources only (F34): an open rule for a hub jumphost's range says
// nothing about a spoke subnet outside it. The spoke's only subnet is snet-workload, 10.1.1.0/24.
const webRule = (name: string, sources: string, fqdns = '"*"') => `
    rule {
      name              = "${name}"
      ${sources}
      destination_fqdns = [${fqdns}]
      protocols {
        type = "Https"
        port = 443
      }
    }`;
const appCollection = (action: string, rules: string) => `
  application_rule_collection {
    name     = "web-${action.toLowerCase()}"
    priority = ${action === 'Deny' ? 100 : 200}
    action   = "${action}"
${rules}
  }`;
const ipGroups = `
resource "azurerm_ip_group" "jumphost" {
  name                = "ipg-jumphost"
  location            = "westeurope"
  resource_group_name = "rg-network"
  cidrs               = ["10.0.2.0/24"]
}
resource "azurerm_ip_group" "spoke" {
  name                = "ipg-spoke"
  location            = "westeurope"
  resource_group_name = "rg-network"
  cidrs               = ["10.1.0.0/16"]
}
`;

describe('firewall policy: Azure Firewall rules apply to their sources', function () {
  this.timeout(30000);

  it('HTTP/HTTPS to any FQDN for a jumphost IP group and an FQDN allow-list for the spoke: the spoke subnet meets only the allow-list (Protected)', async () => {
    const rules = rcg(
      appCollection(
        'Allow',
        webRule('jumphost-to-internet', 'source_ip_groups  = [azurerm_ip_group.jumphost.id]') +
          webRule('spoke-updates', 'source_ip_groups  = [azurerm_ip_group.spoke.id]', '"packages.microsoft.com"'),
      ),
    );
    const s = await stateOf({ ...azWith(rules), 'groups.tf': ipGroups }, 'vnet-spoke-app');
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /allows 1 rule from 10\.1\.1\.0\/24 to named destinations/);
    assert.doesNotMatch(s.reason, /jumphost-to-internet/);
    // The same open rule for the spoke's own range opens its web: Partially Protected, as before.
    const mine = await stateOf(
      {
        ...azWith(rcg(appCollection('Allow', webRule('jumphost-to-internet', 'source_ip_groups  = [azurerm_ip_group.spoke.id]')))),
        'groups.tf': ipGroups,
      },
      'vnet-spoke-app',
    );
    assert.equal(mine.state, 'Partially Protected', mine.reason);
    assert.match(mine.reason, /HTTP\/HTTPS to any FQDN \(application rule jumphost-to-internet \(Allow\)\)/);
  });

  it("a second spoke subnet inside the open rule's sources makes the VNet Partially Protected; the restricted subnet stays restricted", async () => {
    const f = azWith(rcg(appCollection('Allow', webRule('jumphost-to-internet', 'source_addresses  = ["10.1.2.0/24"]'))));
    f['jump.tf'] = `
resource "azurerm_subnet" "jumphost" {
  name                 = "snet-jumphost"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
resource "azurerm_subnet_route_table_association" "jumphost" {
  subnet_id      = azurerm_subnet.jumphost.id
  route_table_id = azurerm_route_table.spoke.id
}`;
    const s = await stateOf(f, 'vnet-spoke-app');
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(s.reason, /azurerm_subnet\.jumphost is inspected .*HTTP\/HTTPS to any FQDN \(application rule jumphost-to-internet/);
    assert.match(s.reason, /azurerm_subnet\.workload is inspected .*allows nothing from 10\.1\.1\.0\/24/);
  });

  it('an open rule whose sources take part of the subnet (a /26 of its /24) opens the subnet; a deny of part of it earns no credit', async () => {
    const part = await stateOf(
      azWith(rcg(appCollection('Allow', webRule('part-to-internet', 'source_addresses  = ["10.1.1.0/26"]')))),
      'vnet-spoke-app',
    );
    assert.equal(part.state, 'Partially Protected', part.reason);
    assert.match(part.reason, /part-to-internet \(Allow\), whose sources take part of 10\.1\.1\.0\/24\)/);
    // Two ranges that together hold the whole subnet (an address range and a /25) take all of it.
    const whole = await stateOf(
      azWith(rcg(appCollection('Allow', webRule('halves', 'source_addresses  = ["10.1.1.0-10.1.1.127", "10.1.1.128/25"]')))),
      'vnet-spoke-app',
    );
    assert.equal(whole.state, 'Partially Protected', whole.reason);
    assert.doesNotMatch(whole.reason, /take part of/);
    // Allow everything with threat intelligence alerting: a deny of the whole subnet's SSH restricts some of its
    // traffic (Partially Protected); the same deny for a /26 of it leaves the other addresses Monitored.
    const denySsh = (src: string) => `
  network_rule_collection {
    name     = "deny-ssh"
    priority = 50
    action   = "Deny"
    rule {
      name                  = "ssh"
      protocols             = ["TCP"]
      source_addresses      = ["${src}"]
      destination_addresses = ["*"]
      destination_ports     = ["22"]
    }
  }`;
    const wholeDeny = await stateOf(azWith(rcg(denySsh('10.1.1.0/24') + allowAllNetwork)), 'vnet-spoke-app');
    assert.equal(wholeDeny.state, 'Partially Protected', wholeDeny.reason);
    const partDeny = await stateOf(azWith(rcg(denySsh('10.1.1.0/26') + allowAllNetwork)), 'vnet-spoke-app');
    assert.equal(partDeny.state, 'Monitored', partDeny.reason);
  });

  it('sources the inputs do not decide: Unknown where the rule decides the state, decided where it does not', async () => {
    const foreign = 'source_ip_groups  = ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/ipGroups/shared"]';
    const open = await stateOf(azWith(rcg(appCollection('Allow', webRule('shared-to-internet', foreign)))), 'vnet-spoke-app');
    assert.equal(open.state, 'Unknown', open.reason);
    assert.match(
      open.reason,
      /whether policy azurerm_firewall_policy\.egress's application rule shared-to-internet \(Allow\) applies to 10\.1\.1\.0\/24 cannot be decided offline/,
    );
    // A variable without a value as the sources: the same.
    const variable = await stateOf(
      azWith(
        rcg(appCollection('Allow', webRule('var-to-internet', 'source_addresses  = var.jump_cidrs'))) + '\nvariable "jump_cidrs" {}\n',
      ),
      'vnet-spoke-app',
    );
    assert.equal(variable.state, 'Unknown', variable.reason);
    // The same undecided sources on a rule to named FQDNs: restricted whether it applies or not.
    const named = await stateOf(
      azWith(rcg(appCollection('Allow', webRule('shared-updates', foreign, '"packages.microsoft.com"')))),
      'vnet-spoke-app',
    );
    assert.equal(named.state, 'Protected', named.reason);
    // Beside a web allow-all of the spoke: partly open whether the undecided rule applies or not.
    const beside = await stateOf(
      azWith(
        rcg(
          appCollection(
            'Allow',
            webRule('shared-updates', foreign, '"packages.microsoft.com"') + webRule('spoke-web', 'source_addresses  = ["10.1.0.0/16"]'),
          ),
        ),
      ),
      'vnet-spoke-app',
    );
    assert.equal(beside.state, 'Partially Protected', beside.reason);
    // An empty string as the source is no address: said quoted, not as a blank.
    const empty = await stateOf(
      azWith(rcg(appCollection('Allow', webRule('blank-to-internet', 'source_addresses  = [""]')))),
      'vnet-spoke-app',
    );
    assert.equal(empty.state, 'Unknown', empty.reason);
    assert.match(empty.reason, /its sources "" are not addresses Egress Lens reads/);
  });

  it('classic rule collections apply to their source_addresses too', async () => {
    const t = azWith('')['main.tf'].replace('  firewall_policy_id  = azurerm_firewall_policy.egress.id\n', '');
    const classic = (src: string) => `${t}
resource "azurerm_firewall_network_rule_collection" "out" {
  name                = "out"
  azure_firewall_name = azurerm_firewall.hub.name
  resource_group_name = azurerm_resource_group.net.name
  priority            = 100
  action              = "Allow"
  rule {
    name                  = "all"
    source_addresses      = ["${src}"]
    destination_addresses = ["*"]
    destination_ports     = ["*"]
    protocols             = ["Any"]
  }
}
`;
    const other = await stateOf({ 'main.tf': classic('10.0.2.0/24') }, 'vnet-spoke-app');
    assert.equal(other.state, 'Protected', other.reason);
    assert.match(other.reason, /its classic rule collections allow nothing from 10\.1\.1\.0\/24/);
    const spoke = await stateOf({ 'main.tf': classic('10.1.0.0/16') }, 'vnet-spoke-app');
    assert.equal(spoke.state, 'Monitored', spoke.reason);
  });
});

describe('AWS Network Firewall: an extra endpoint (VpcEndpointAssociation) is the same firewall in another subnet', function () {
  this.timeout(30000);

  it('a route to !GetAtt X.EndpointId reaches the firewall; its subnet is no traffic source', async () => {
    const extra = `  SecondFirewallSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Ref Az
      CidrBlock: 10.30.0.32/28

  SecondEndpoint:
    Type: AWS::NetworkFirewall::VpcEndpointAssociation
    Properties:
      FirewallArn: !Ref EgressFirewall
      VpcId: !Ref Vpc
      SubnetMapping:
        SubnetId: !Ref SecondFirewallSubnet

  SecondFirewallAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SecondFirewallSubnet
      RouteTableId: !Ref FirewallRouteTable

  OtherSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Ref Az
      CidrBlock: 10.30.20.0/24

  OtherRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc

  OtherDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref OtherRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      VpcEndpointId: !GetAtt SecondEndpoint.EndpointId

  OtherAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref OtherSubnet
      RouteTableId: !Ref OtherRouteTable

  EdgeToOther:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref EdgeRouteTable
      DestinationCidrBlock: 10.30.20.0/24
      VpcEndpointId: !GetAtt SecondEndpoint.EndpointId
`;
    const ws = await createWorkspace();
    ws.setFile('template.yaml', `${cfnBase.trimEnd()}\n\n${extra}`);
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['cfn:template.yaml#OtherSubnet', 'cfn:template.yaml#ProtectedSubnet'],
    );
    const other = r.egress.find((e) => e.subnet === 'cfn:template.yaml#OtherSubnet')!;
    for (const leg of [other.forward, other.return!]) {
      assert.deepEqual(leg.outcome, { kind: 'delivered' });
      assert.deepEqual(leg.inspectedBy, [{ kind: 'network-firewall', element: 'cfn:template.yaml#EgressFirewall', az: 'eu-west-1a' }]);
    }
    assert.deepEqual(r.findings, []);
    assert.equal(r.states.find((s) => s.name === 'nfw-single-az')!.state, 'Protected');
  });
});

// ---- Review s18 R12: a DCF deny to every IPv6 address denies none of the spokes' IPv4 traffic.
describe('firewall policy: Aviatrix DCF destinations of the other address family', function () {
  this.timeout(30000);
  const dcfFiles = (deniedTo: string): Record<string, string> => {
    const files: Record<string, string> = {};
    for (const f of ['dcf.tf', 'spokes.tf', 'transit.tf', 'variables.tf', 'versions.tf']) files[f] = read(`aviatrix-dcf/${f}`);
    const deny = files['dcf.tf'].indexOf('name             = "prod-deny-all"');
    assert.ok(deny > 0);
    const at = files['dcf.tf'].indexOf('dst_smart_groups = [local.anywhere]', deny);
    files['dcf.tf'] =
      files['dcf.tf'].slice(0, at) +
      'dst_smart_groups = [aviatrix_smart_group.denied.uuid]' +
      files['dcf.tf'].slice(at + 'dst_smart_groups = [local.anywhere]'.length) +
      `
resource "aviatrix_smart_group" "denied" {
  name = "denied"
  selector {
    match_expressions {
      cidr = "${deniedTo}"
    }
  }
}
`;
    return files;
  };

  it('prod-deny-all to a SmartGroup 0.0.0.0/0 keeps prod Protected; to ::/0 it denies no IPv4 flow, and the default permit lets prod out', async () => {
    const v4 = await stateOf(dcfFiles('0.0.0.0/0'), 'prod-vpc');
    assert.equal(v4.state, 'Protected', v4.reason);
    const v6 = await stateOf(dcfFiles('::/0'), 'prod-vpc');
    assert.notEqual(v6.state, 'Protected', v6.reason);
    assert.notEqual(v6.state, 'Partially Protected', v6.reason);
  });
});
