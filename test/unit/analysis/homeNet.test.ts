// AWS Network Firewall's HOME_NET (issue 15 §3, §4): domain lists and rules written from $HOME_NET match
// only traffic whose source lies in HOME_NET, which is the firewall's own VPC unless a rule group or policy
// variable overrides it. A spoke behind a transit gateway is outside it by default: its traffic meets what
// the policy does with unmatched traffic. The same networks in Terraform and CloudFormation.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { VpcState } from '../../../src/analysis/types';
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup, NetworkElement } from '../../../src/model/types';
import { expandRule, homeNetFor } from '../../../src/analysis/firewallPolicy/homeNet';
import { sourceCover } from '../../../src/analysis/firewallPolicy/ruleSources';

const EXAMPLES = join(__dirname, '../../../../examples');
const read = (f: string) => readFileSync(join(EXAMPLES, f), 'utf8');

async function build(files: Record<string, string>) {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build();
}

async function stateOf(files: Record<string, string>, vpcName: string): Promise<VpcState> {
  const b = await build(files);
  const s = analyze(b.model, {}, b.diagnostics).states.find((x) => x.name === vpcName);
  assert.ok(s, vpcName);
  return s;
}

// ---- Centralized: examples/aws-centralized-tgw-inspection (spoke 10.1.0.0/16, inspection VPC 100.64.0.0/16)
// with its rule group and policy replaced.
const central = read('aws-centralized-tgw-inspection/main.tf');
const cStart = central.indexOf('resource "aws_networkfirewall_rule_group" "allow"');
const cEnd = central.indexOf('resource "aws_networkfirewall_firewall" "central"');
assert.ok(cStart > 0 && cEnd > cStart);

// ---- Distributed: examples/aws-network-firewall (the firewall in the workload's own VPC).
const dist = read('aws-network-firewall/main.tf');
const dStart = dist.indexOf('resource "aws_networkfirewall_rule_group"');
const dEnd = dist.indexOf('resource "aws_networkfirewall_firewall" "egress"');
assert.ok(dStart > 0 && dEnd > dStart);

/** A stateful group with `rules_source` and optional `rule_variables`, and a policy (default action order unless `policy` says). */
function nfw(o: { source: string; groupVars?: string; policyVars?: string; policy?: string }): string {
  return `
resource "aws_networkfirewall_rule_group" "allow" {
  name     = "egress-rules"
  type     = "STATEFUL"
  capacity = 100
  rule_group {
${o.groupVars ?? ''}
    rules_source {
${o.source}
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "central-egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
${o.policy ?? ''}
${o.policyVars ?? ''}
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }
  }
}
`;
}

const centralWith = (body: string) => ({ 'main.tf': central.slice(0, cStart) + body + '\n' + central.slice(cEnd) });
const distWith = (body: string) => ({
  'main.tf': dist.slice(0, dStart) + body.replace(/"central-egress"/, '"egress-policy"') + '\n' + dist.slice(dEnd),
});

const allowList = `      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".example.org", "updates.example.net"]
      }`;

const homeNetVar = (cidrs: string) => `    policy_variables {
      rule_variables {
        key = "HOME_NET"
        ip_set {
          definition = ${cidrs}
        }
      }
    }`;

const groupHomeNet = (cidrs: string, key = 'HOME_NET') => `    rule_variables {
      ip_sets {
        key = "${key}"
        ip_set {
          definition = ${cidrs}
        }
      }
    }`;

describe('AWS Network Firewall HOME_NET: centralized inspection (Terraform)', function () {
  this.timeout(30000);

  it('the example as written sets HOME_NET to the spokes and the inspection VPC: the allow-list applies to the spoke (Protected, no HOME_NET remark)', async () => {
    const s = await stateOf({ 'main.tf': central }, 'spoke-app');
    assert.equal(s.state, 'Protected', s.reason);
    assert.doesNotMatch(s.reason, /HOME_NET/);
  });

  it('a domain allow-list in default action order, HOME_NET left at the inspection VPC: the spoke is outside it, nothing restricts or watches its traffic: Unprotected, the reason says why', async () => {
    const s = await stateOf(centralWith(nfw({ source: allowList })), 'spoke-app');
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /HOME_NET is 100\.64\.0\.0\/16, the CIDRs of the firewall's VPC aws_vpc\.inspection/);
    assert.match(s.reason, /does not hold 10\.1\.\d+\.0\/24: ALLOWLIST of 2 domains does not match its traffic/);
  });

  it('the same allow-list with HOME_NET set by the policy to the spokes: it applies, HTTP/TLS is restricted, other protocols pass: Partially Protected', async () => {
    const s = await stateOf(
      centralWith(nfw({ source: allowList, policyVars: homeNetVar('["10.0.0.0/8", "100.64.0.0/16"]') })),
      'spoke-app',
    );
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.doesNotMatch(s.reason, /does not hold/);
  });

  it("HOME_NET set by the rule group wins over the policy's: the group's own definition decides", async () => {
    const inGroup = await stateOf(
      centralWith(nfw({ source: allowList, groupVars: groupHomeNet('["10.1.0.0/16"]'), policyVars: homeNetVar('["100.64.0.0/16"]') })),
      'spoke-app',
    );
    assert.equal(inGroup.state, 'Partially Protected', inGroup.reason);
    const outOfGroup = await stateOf(
      centralWith(nfw({ source: allowList, groupVars: groupHomeNet('["172.16.0.0/12"]'), policyVars: homeNetVar('["10.0.0.0/8"]') })),
      'spoke-app',
    );
    assert.equal(outOfGroup.state, 'Unprotected', outOfGroup.reason);
    assert.match(outOfGroup.reason, /HOME_NET is 172\.16\.0\.0\/12, set by rule group aws_networkfirewall_rule_group\.allow/);
  });

  it('strict order with aws:drop_established and HOME_NET left at the inspection VPC: the allow-list never passes the spoke, the default drop takes all of it: Protected, saying so', async () => {
    const s = await stateOf(
      centralWith(
        nfw({
          source: allowList,
          policy: `    stateful_default_actions = ["aws:drop_established"]
    stateful_engine_options { rule_order = "STRICT_ORDER" }`,
        }),
      ),
      'spoke-app',
    );
    assert.equal(s.state, 'Protected', s.reason);
    assert.match(s.reason, /default drop \(aws:drop_established\).*does not hold 10\.1\.\d+\.0\/24/);
  });

  it('Suricata alert rules written from $HOME_NET: outside HOME_NET the spoke is not watched (Unprotected); inside it, Monitored', async () => {
    const suricata = `      rules_string = <<-EOT
        alert ip $HOME_NET any -> $EXTERNAL_NET any (msg:"egress"; flow:to_server; sid:1;)
      EOT`;
    const outside = await stateOf(centralWith(nfw({ source: suricata })), 'spoke-app');
    assert.equal(outside.state, 'Unprotected', outside.reason);
    const inside = await stateOf(centralWith(nfw({ source: suricata, policyVars: homeNetVar('["10.0.0.0/8"]') })), 'spoke-app');
    assert.equal(inside.state, 'Monitored', inside.reason);
  });

  it("a group's own IP set variable ($SPOKES) is expanded; one it does not define is Unknown where it decides", async () => {
    const rules = (src: string) => `      rules_string = <<-EOT
        drop ip ${src} any -> any any (msg:"default deny"; sid:1;)
      EOT`;
    const own = await stateOf(
      centralWith(nfw({ source: rules('$SPOKES'), groupVars: groupHomeNet('["10.1.0.0/16"]', 'SPOKES') })),
      'spoke-app',
    );
    assert.equal(own.state, 'Protected', own.reason);
    const undefinedVar = await stateOf(centralWith(nfw({ source: rules('$SPOKES') })), 'spoke-app');
    assert.equal(undefinedVar.state, 'Unknown', undefinedVar.reason);
    assert.match(undefinedVar.reason, /SPOKES is defined neither by its rule group nor by the policy/);
  });

  it('HOME_NET from a variable without value: Unknown with the reason located at the variable', async () => {
    const files: Record<string, string> = centralWith(nfw({ source: allowList, policyVars: homeNetVar('var.home_net') }));
    files['variables.tf'] = 'variable "home_net" {\n  type = list(string)\n}\n';
    const s = await stateOf(files, 'spoke-app');
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /var\.home_net/);
    assert.match(s.reason, /HOME_NET/);
  });
});

describe('AWS Network Firewall HOME_NET: a transit-gateway-attached firewall (Terraform)', function () {
  this.timeout(30000);
  const tgw = read('aws-tgw-attached-firewall/main.tf');
  const strictDefault = `    stateful_default_actions           = ["aws:drop_established"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
`;
  assert.ok(tgw.includes(strictDefault));
  const defaultOrder = tgw.replace(strictDefault, '');

  it('as written (strict order, default drop): Protected whether or not HOME_NET holds the spokes', async () => {
    const s = await stateOf({ 'main.tf': tgw }, 'spoke-app');
    assert.equal(s.state, 'Protected', s.reason);
  });

  it('in default action order, without a HOME_NET variable: Unknown, the default HOME_NET of a firewall in no VPC of the inputs is not known; with the spokes in a policy variable: Partially Protected', async () => {
    const s = await stateOf({ 'main.tf': defaultOrder }, 'spoke-app');
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /attached to a transit gateway/);
    const set = await stateOf(
      {
        'main.tf': defaultOrder.replace(
          '    stateful_rule_group_reference {\n      priority     = 100',
          `${homeNetVar('["10.0.0.0/8"]')}\n    stateful_rule_group_reference {\n      priority     = 100`,
        ),
      },
      'spoke-app',
    );
    assert.equal(set.state, 'Partially Protected', set.reason);
  });
});

describe('AWS Network Firewall HOME_NET: distributed (Terraform)', function () {
  this.timeout(30000);

  it("the firewall in the workload's own VPC: its subnets are in HOME_NET by default; the allow-list applies (Partially Protected)", async () => {
    const s = await stateOf(distWith(nfw({ source: allowList })), 'protected-vpc');
    assert.equal(s.state, 'Partially Protected', s.reason);
  });

  it('HOME_NET overridden to a range without the workload: the allow-list no longer applies to it (Unprotected)', async () => {
    const s = await stateOf(distWith(nfw({ source: allowList, policyVars: homeNetVar('["192.168.0.0/16"]') })), 'protected-vpc');
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /HOME_NET is 192\.168\.0\.0\/16, set by policy aws_networkfirewall_firewall_policy\.egress/);
  });
});

describe('AWS Network Firewall HOME_NET: the default is every CIDR of the firewall VPC', function () {
  this.timeout(30000);

  const tf = (extra: string) => `
resource "aws_vpc" "inspection" {
  cidr_block = "100.64.0.0/16"
}
${extra}
resource "aws_networkfirewall_rule_group" "allow" {
  name     = "allow"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
    rules_source {
${allowList}
    }
  }
}
resource "aws_networkfirewall_firewall_policy" "p" {
  name = "p"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }
  }
}
resource "aws_networkfirewall_firewall" "fw" {
  name                = "fw"
  vpc_id              = aws_vpc.inspection.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.p.arn
}
`;

  async function scope(extra: string, source: string) {
    const b = await build({ 'main.tf': tf(extra) });
    const byId = new Map<string, NetworkElement>(b.model.elements.map((e) => [e.id, e]));
    const index = { get: (id: string) => byId.get(id), model: b.model };
    const fw = b.model.elements.find((e): e is Firewall => e.kind === 'firewall')!;
    const policy = b.model.elements.find((e): e is FirewallPolicy => e.kind === 'firewallPolicy')!;
    const group = b.model.elements.find((e): e is FirewallRuleGroup => e.kind === 'firewallRuleGroup')!;
    return { s: { index, fw, policy, source, sourceVpc: undefined, family: 4 as const }, group };
  }

  it('a secondary CIDR association is part of HOME_NET: a source in it matches the domain list, one outside does not', async () => {
    const assoc = `resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.inspection.id
  cidr_block = "10.20.0.0/16"
}`;
    const inside = await scope(assoc, '10.20.3.0/24');
    assert.deepEqual(homeNetFor(inside.s, inside.group).cidrs, ['100.64.0.0/16', '10.20.0.0/16']);
    const rules = inside.group.rules as FirewallRule[];
    assert.deepEqual(rules[0].sources, ['$HOME_NET']);
    assert.deepEqual(expandRule(inside.s, inside.group, rules[0]).rule.sources, ['100.64.0.0/16', '10.20.0.0/16']);
    assert.equal(sourceCover(expandRule(inside.s, inside.group, rules[0]).rule, '10.20.3.0/24'), 'all');
    const outside = await scope(assoc, '10.1.0.0/24');
    assert.equal(sourceCover(expandRule(outside.s, outside.group, rules[0]).rule, '10.1.0.0/24'), 'none');
  });

  it('a secondary CIDR the inputs do not decide: HOME_NET is undecided for a source the known CIDRs do not cover, decided for one they do', async () => {
    const assoc = `variable "extra" {
  type = string
}
resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.inspection.id
  cidr_block = var.extra
}`;
    const out = await scope(assoc, '10.1.0.0/24');
    const h = homeNetFor(out.s, out.group).cidrs;
    assert.ok(typeof h === 'object' && !Array.isArray(h), JSON.stringify(h));
    assert.match((h as { reason: string }).reason, /var\.extra/);
    const known = await scope(assoc, '100.64.1.0/24');
    assert.deepEqual(homeNetFor(known.s, known.group).cidrs, ['100.64.0.0/16']);
  });
});

// ---- CloudFormation: examples/aws-network-firewall-cfn with HOME_NET set by PolicyVariables or RuleVariables.
describe('AWS Network Firewall HOME_NET (CloudFormation)', function () {
  this.timeout(30000);
  const cfn = read('aws-network-firewall-cfn/template.yaml');

  function vpcName(): string {
    const m = /Key: Name\s*\n\s*Value: ([\w-]+)/.exec(cfn.slice(cfn.indexOf('AWS::EC2::VPC')));
    assert.ok(m);
    return m[1];
  }

  // Default action order: the allow-list alone decides whether HTTP/TLS is restricted.
  const strict =
    '        StatefulEngineOptions:\n          RuleOrder: STRICT_ORDER\n        StatefulDefaultActions: ["aws:drop_established", "aws:alert_established"]\n';
  assert.ok(cfn.includes(strict));
  const defaultOrder = cfn.replace(strict, '');
  const policyVars = (defs: string) =>
    defaultOrder.replace(
      '        StatefulRuleGroupReferences:',
      `        PolicyVariables:\n          RuleVariables:\n            HOME_NET:\n              Definition: ${defs}\n        StatefulRuleGroupReferences:`,
    );
  const groupVars = (text: string, defs: string) =>
    text.replace(
      '        RulesSource:\n          RulesSourceList:',
      `        RuleVariables:\n          IPSets:\n            HOME_NET:\n              Definition: ${defs}\n        RulesSource:\n          RulesSourceList:`,
    );

  it("the allow-list in default action order applies to the firewall's own VPC (HOME_NET by default): Partially Protected", async () => {
    const s = await stateOf({ 'template.yaml': defaultOrder }, vpcName());
    assert.equal(s.state, 'Partially Protected', s.reason);
  });

  it('PolicyVariables set HOME_NET to a range without the subnet: the allow-list does not apply to it (Unprotected), as in Terraform', async () => {
    const s = await stateOf({ 'template.yaml': policyVars('[192.168.0.0/16]') }, vpcName());
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(s.reason, /HOME_NET is 192\.168\.0\.0\/16, set by policy egress/);
  });

  it("the rule group's RuleVariables win over the policy's PolicyVariables", async () => {
    const s = await stateOf({ 'template.yaml': groupVars(policyVars('[192.168.0.0/16]'), '[10.30.0.0/16]') }, vpcName());
    assert.equal(s.state, 'Partially Protected', s.reason);
  });

  it('HOME_NET from a parameter without a value: Unknown, naming the parameter', async () => {
    const text = policyVars('[!Ref HomeNet]').replace(/^Parameters:\n/m, 'Parameters:\n  HomeNet:\n    Type: String\n');
    assert.ok(text.includes('Parameters:\n  HomeNet:\n    Type: String'));
    const s = await stateOf({ 'template.yaml': text }, vpcName());
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /HomeNet/);
  });

  it('the model holds the same variables whichever format wrote them', async () => {
    const c = await build({ 'template.yaml': groupVars(policyVars('[10.0.0.0/8, 172.16.0.0/12]'), '[10.30.0.0/16]') });
    const t = await build(
      distWith(
        nfw({ source: allowList, groupVars: groupHomeNet('["10.30.0.0/16"]'), policyVars: homeNetVar('["10.0.0.0/8", "172.16.0.0/12"]') }),
      ),
    );
    const vars = (m: typeof c) =>
      m.model.elements
        .filter((e): e is FirewallPolicy | FirewallRuleGroup => e.kind === 'firewallPolicy' || e.kind === 'firewallRuleGroup')
        .filter((e) => e.vendor === 'AWS Network Firewall')
        .map((e) => [e.kind, e.variables]);
    assert.deepEqual(vars(c).sort(), vars(t).sort());
    assert.deepEqual(vars(c).sort(), [
      ['firewallPolicy', { HOME_NET: ['10.0.0.0/8', '172.16.0.0/12'] }],
      ['firewallRuleGroup', { HOME_NET: ['10.30.0.0/16'] }],
    ]);
  });
});

// The spoke's CIDR allocated by an IPAM pool at apply: its addresses are not known, but they lie inside the
// pool's provisioned CIDRs. HOME_NET decides when the whole pool lies inside it or outside it.
describe('AWS Network Firewall HOME_NET: a spoke whose CIDR IPAM allocates (Terraform)', function () {
  this.timeout(30000);
  const spokeVpc = 'resource "aws_vpc" "spoke" {\n  cidr_block = "10.1.0.0/16"\n';
  assert.ok(central.includes(spokeVpc));
  const ipam = `
resource "aws_vpc_ipam" "org" {
  operating_regions {
    region_name = "eu-west-1"
  }
}
resource "aws_vpc_ipam_pool" "spokes" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.org.private_default_scope_id
}
resource "aws_vpc_ipam_pool_cidr" "spokes" {
  ipam_pool_id = aws_vpc_ipam_pool.spokes.id
  cidr         = "10.16.0.0/12"
}
`;
  /** The centralized example with its spoke allocated from the pool (10.16.0.0/12). */
  const ipamWith = (body: string) => {
    const files = centralWith(body);
    files['main.tf'] =
      files['main.tf'].replace(
        spokeVpc,
        'resource "aws_vpc" "spoke" {\n  ipv4_ipam_pool_id   = aws_vpc_ipam_pool.spokes.id\n  ipv4_netmask_length = 16\n',
      ) + ipam;
    return files;
  };

  it('HOME_NET (10.0.0.0/8) holds the whole pool: the allow-list applies, HTTP/TLS restricted, other protocols pass: Partially Protected, saying the pool lies inside', async () => {
    const s = await stateOf(ipamWith(nfw({ source: allowList, policyVars: homeNetVar('["10.0.0.0/8", "100.64.0.0/16"]') })), 'spoke-app');
    assert.equal(s.state, 'Partially Protected', s.reason);
    assert.match(
      s.reason,
      /HOME_NET is 10\.0\.0\.0\/8, 100\.64\.0\.0\/16, set by policy aws_networkfirewall_firewall_policy\.egress, which holds all of the subnet's addresses \(IPAM allocates its VPC's CIDR inside 10\.16\.0\.0\/12\)/,
    );
  });

  it('HOME_NET (172.16.0.0/12, by the rule group) is disjoint from the pool: the allow-list does not apply: Unprotected, saying why', async () => {
    const s = await stateOf(ipamWith(nfw({ source: allowList, groupVars: groupHomeNet('["172.16.0.0/12"]') })), 'spoke-app');
    assert.equal(s.state, 'Unprotected', s.reason);
    assert.match(
      s.reason,
      /HOME_NET is 172\.16\.0\.0\/12, set by rule group aws_networkfirewall_rule_group\.allow, which does not hold the subnet's addresses \(IPAM allocates its VPC's CIDR inside 10\.16\.0\.0\/12\): ALLOWLIST of 2 domains does not match its traffic/,
    );
  });

  it('HOME_NET (10.16.0.0/16) holds part of the pool: where IPAM allocates the spoke decides: Unknown, naming both ranges', async () => {
    const s = await stateOf(ipamWith(nfw({ source: allowList, groupVars: groupHomeNet('["10.16.0.0/16"]') })), 'spoke-app');
    assert.equal(s.state, 'Unknown', s.reason);
    assert.match(s.reason, /its sources 10\.16\.0\.0\/16 hold only part of 10\.16\.0\.0\/12/);
  });
});

// The finding home-net-excludes-spokes: at the variable (or the policy when HOME_NET is defaulted), naming the
// spoke CIDRs left out; only when the inputs decide it.
describe('rule home-net-excludes-spokes', function () {
  this.timeout(30000);
  async function findings(files: Record<string, string>) {
    const b = await build(files);
    return analyze(b.model, {}, b.diagnostics).findings.filter((f) => f.code === 'home-net-excludes-spokes');
  }

  it('HOME_NET left at the inspection VPC: one warning at the policy naming the spoke VPC CIDR, the fix keeps the inspection VPC', async () => {
    const f = await findings(centralWith(nfw({ source: allowList })));
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].elementId, 'aws_networkfirewall_firewall_policy.egress');
    assert.match(
      f[0].message,
      /HOME_NET is 100\.64\.0\.0\/16, the CIDRs of the firewall's VPC aws_vpc\.inspection.*does not hold 10\.1\.0\.0\/16: ALLOWLIST of 2 domains, written from \$HOME_NET, does not match/,
    );
    assert.equal(
      f[0].fix?.title,
      'Set HOME_NET in policy_variables { rule_variables { key = "HOME_NET" } } of aws_networkfirewall_firewall_policy.egress to 10.1.0.0/16, 100.64.0.0/16 (the spokes and the firewall\'s VPC)',
    );
    assert.ok(f[0].traces?.some((t) => t.includes('spoke_app')));
  });

  it('HOME_NET set by the rule group to a range without the spoke: at the rule group, adding the spoke CIDR', async () => {
    const f = await findings(centralWith(nfw({ source: allowList, groupVars: groupHomeNet('["172.16.0.0/12"]') })));
    assert.equal(f.length, 1);
    assert.equal(f[0].elementId, 'aws_networkfirewall_rule_group.allow');
    assert.equal(f[0].fix?.title, 'Add 10.1.0.0/16 to HOME_NET in the rule_variables of aws_networkfirewall_rule_group.allow');
  });

  it('quiet when HOME_NET holds the spokes (the example as written, a policy variable), or when no rule is written from $HOME_NET', async () => {
    assert.equal((await findings({ 'main.tf': central })).length, 0);
    assert.equal((await findings(centralWith(nfw({ source: allowList, policyVars: homeNetVar('["10.0.0.0/8"]') })))).length, 0);
    const fromAny = `      rules_string = <<-EOT
        drop ip any any -> any any (msg:"deny"; sid:1;)
      EOT`;
    assert.equal((await findings(centralWith(nfw({ source: fromAny })))).length, 0);
  });

  it('quiet when HOME_NET is not known offline, and in a distributed design (the firewall inspects its own VPC)', async () => {
    const files: Record<string, string> = centralWith(nfw({ source: allowList, policyVars: homeNetVar('var.home_net') }));
    files['variables.tf'] = 'variable "home_net" {\n  type = list(string)\n}\n';
    assert.equal((await findings(files)).length, 0);
    assert.equal((await findings(distWith(nfw({ source: allowList })))).length, 0);
  });

  it('an IPAM spoke: fires when the pool lies outside HOME_NET, naming the pool; quiet when the allocation may land inside', async () => {
    const spokeVpc = 'resource "aws_vpc" "spoke" {\n  cidr_block = "10.1.0.0/16"\n';
    const ipamWith = (body: string) => {
      const files = centralWith(body);
      files['main.tf'] =
        files['main.tf'].replace(
          spokeVpc,
          'resource "aws_vpc" "spoke" {\n  ipv4_ipam_pool_id   = aws_vpc_ipam_pool.spokes.id\n  ipv4_netmask_length = 16\n',
        ) +
        `
resource "aws_vpc_ipam" "org" {
  operating_regions {
    region_name = "eu-west-1"
  }
}
resource "aws_vpc_ipam_pool" "spokes" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.org.private_default_scope_id
}
resource "aws_vpc_ipam_pool_cidr" "spokes" {
  ipam_pool_id = aws_vpc_ipam_pool.spokes.id
  cidr         = "10.16.0.0/12"
}
`;
      return files;
    };
    const outside = await findings(ipamWith(nfw({ source: allowList, groupVars: groupHomeNet('["172.16.0.0/12"]') })));
    assert.equal(outside.length, 1);
    assert.equal(outside[0].fix?.title, 'Add 10.16.0.0/12 to HOME_NET in the rule_variables of aws_networkfirewall_rule_group.allow');
    assert.equal((await findings(ipamWith(nfw({ source: allowList, groupVars: groupHomeNet('["10.16.0.0/16"]') })))).length, 0);
  });
});
