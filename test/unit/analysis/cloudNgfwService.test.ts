// GWLB endpoints whose service is a Palo Alto Cloud NGFW's (`endpoint_mode = "CustomerManaged"`: the user creates
// the endpoints from the firewall's `endpoint_service_name`). The firewall's policy is its rulestack: when the
// inputs hold it (`cloudngfwaws_rulestack`, its `cloudngfwaws_security_rule`s), its rules decide the VPC's state and
// a simulated flow as a firewall VM's bootstrap policy does; when they do not, Unknown naming what is missing, never
// Protected on the strength of "appliance policy not in the inputs" (field: a Cloud NGFW whose rulestack is a logged
// allow-all under security profiles). Configurations written for these tests on our own example.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { createWorkspace } from '../../../src/parse/workspace';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import type { AnalysisResult } from '../../../src/analysis/types';

const SERVICE = 'service_name      = aws_vpc_endpoint_service.firewall.service_name';

const NO_PROFILES = `anti_spyware  = "None"
    anti_virus    = "None"
    vulnerability = "None"
    file_blocking = "None"`;

interface Ngfw {
  /** The NGFW's own arguments besides the usual ones. */
  ngfw?: string;
  /** The rulestack's `profile_config` body. */
  profiles?: string;
  rules: string[];
}

/** One security rule of the `egress` rulestack; `body` replaces the logged allow-all's match and action. */
function rule(name: string, priority: number | string, body = ''): string {
  return `resource "cloudngfwaws_security_rule" "${name}" {
  rulestack   = cloudngfwaws_rulestack.egress.name
  rule_list   = "LocalRule"
  priority    = ${priority}
  name        = "${name}"
${body || ALLOW_ALL}
}
`;
}

const ALLOW_ALL = `  source {
    cidrs = ["any"]
  }
  destination {
    cidrs = ["any"]
  }
  applications = ["any"]
  category {}
  protocol = "any"
  action   = "Allow"
  logging  = true`;

const DENY_ALL = `  source {
    cidrs = ["any"]
  }
  destination {
    cidrs = ["any"]
  }
  applications = ["any"]
  category {}
  protocol = "any"
  action   = "DenyResetBoth"`;

function withCloudNgfw(n: Ngfw | undefined): Record<string, string> {
  const files = exampleTfFiles('aws-distributed-egress-ok');
  assert.equal(files['workload.tf'].split(SERVICE).length, 3, 'both endpoints name the example service');
  files['workload.tf'] = files['workload.tf'].split(SERVICE).join('service_name      = cloudngfwaws_ngfw.shared.endpoint_service_name');
  files['ngfw.tf'] = `resource "cloudngfwaws_ngfw" "shared" {
  name          = "shared-ngfw"
  vpc_id        = aws_vpc.inspection.id
  endpoint_mode = "CustomerManaged"
  rulestack     = ${n ? 'cloudngfwaws_commit_rulestack.egress.rulestack' : '"egress-rules"'}
${n?.ngfw ?? ''}
  subnet_mapping {
    availability_zone = "us-east-1a"
  }
}
`;
  if (n)
    files['rulestack.tf'] = `resource "cloudngfwaws_commit_rulestack" "egress" {
  rulestack = cloudngfwaws_rulestack.egress.name
}

resource "cloudngfwaws_rulestack" "egress" {
  name  = "egress-rules"
  scope = "Local"
  profile_config {
    ${n.profiles ?? NO_PROFILES}
  }
}

${n.rules.join('\n')}`;
  return files;
}

/** The state of the VPC whose paths go through the Cloud NGFW's endpoints. */
function ngfwVpc(r: AnalysisResult): { state: string; reason: string } {
  const vpc = r.states.find((s) => s.reason.includes('GWLB firewall'));
  assert.ok(vpc, JSON.stringify(r.states.map((s) => [s.state, s.reason])));
  return vpc;
}

async function stateOf(n: Ngfw | undefined): Promise<{ state: string; reason: string }> {
  return ngfwVpc(await analyzeFiles(withCloudNgfw(n)));
}

describe('analysis: GWLB endpoints of a Cloud NGFW service', () => {
  it('the example as written: its VPC is judged on the GWLB appliance (not Unknown)', async () => {
    const r = await analyzeFiles(exampleTfFiles('aws-distributed-egress-ok'));
    const states = r.states.filter((s) => s.reason.includes('inspected by GWLB firewall'));
    assert.ok(states.length > 0);
    assert.ok(states.every((s) => s.state !== 'Unknown'));
  });

  it('a rulestack the inputs do not hold: Unknown naming the firewall and the rulestack, never "appliance policy not in the inputs"', async () => {
    const vpc = await stateOf(undefined);
    assert.equal(vpc.state, 'Unknown');
    assert.match(vpc.reason, /Palo Alto Cloud NGFW cloudngfwaws_ngfw\.shared: its rulestack "egress-rules" is not in the inputs/);
    assert.doesNotMatch(vpc.reason, /appliance policy not in the inputs/);
  });

  it('a logged allow of everything, no security profile: Monitored, naming the rule', async () => {
    const vpc = await stateOf({ rules: [rule('allow-all', 10)] });
    assert.equal(vpc.state, 'Monitored');
    assert.match(
      vpc.reason,
      /Palo Alto Cloud NGFW cloudngfwaws_ngfw\.shared's rulestack "egress-rules" \(rulestack\.tf:\d+\): Cloud NGFW rule "allow-all" \(rulestack\.tf:\d+\) allows any source to any destination, applications any and protocol any, with no security profile in its rulestack and logs all traffic: a logged permit-all/,
    );
  });

  it('the same allow without logging lets everything pass unwatched: Unprotected', async () => {
    const vpc = await stateOf({ rules: [rule('allow-all', 10, ALLOW_ALL.replace('logging  = true', 'logging  = false'))] });
    assert.equal(vpc.state, 'Unprotected');
    assert.match(vpc.reason, /does not log the traffic it accepts \(logging is false\)/);
  });

  it("the rulestack's security profiles (the provider's BestPractice defaults) inspect what the allow takes, every host still reachable: Partially Protected (review s17 R2)", async () => {
    const vpc = await stateOf({ profiles: '', rules: [rule('allow-all', 10)] });
    assert.equal(vpc.state, 'Partially Protected');
    assert.match(
      vpc.reason,
      /rule "allow-all" \(rulestack\.tf:\d+\) accepts every service to every internet destination under security profiles \(anti-spyware BestPractice \(the default\), anti-virus BestPractice \(the default\), vulnerability BestPractice \(the default\), file blocking BestPractice \(the default\)\) \(profiles inspect what passes, they do not limit where it goes\)/,
    );
    // Any application on its default ports to 0.0.0.0/0 under the profiles, before Cloud NGFW's default deny: the same.
    const apps = ALLOW_ALL.replace('  protocol = "any"\n', '  protocol = "application-default"\n').replace(
      'destination {\n    cidrs = ["any"]',
      'destination {\n    cidrs = ["0.0.0.0/0"]',
    );
    const defaults = await stateOf({ profiles: '', rules: [rule('apps', 10, apps)] });
    assert.equal(defaults.state, 'Partially Protected', defaults.reason);
    assert.match(
      defaults.reason,
      /accepts application-default ports to every internet destination under security profiles \(anti-spyware BestPractice/,
    );
    // Under the same profiles to one named destination: Protected.
    const one = apps.replace('cidrs = ["0.0.0.0/0"]', 'cidrs = ["203.0.113.10/32"]');
    const named = await stateOf({ profiles: '', rules: [rule('one', 10, one)] });
    assert.equal(named.state, 'Protected', named.reason);
    assert.match(named.reason, /accepts only some destinations or services, under security profiles/);
  });

  it('an allow to some countries (destination countries) is a country restriction, no named destination: Partially Protected (as FortiOS geography, review s17 R4)', async () => {
    const toCountries = (dst: string) =>
      ALLOW_ALL.replace('destination {\n    cidrs = ["any"]\n  }', `destination {\n    ${dst}\n  }`).replace(
        '  protocol = "any"\n',
        '  protocol = "application-default"\n',
      );
    const us = await stateOf({ profiles: NO_PROFILES, rules: [rule('to-us', 10, toCountries('countries = ["US", "CA"]'))] });
    assert.equal(us.state, 'Partially Protected', us.reason);
    assert.match(
      us.reason,
      /rule "to-us" \(rulestack\.tf:\d+\) accepts application-default ports to every address of some countries \(geography US, CA\)/,
    );
    assert.match(us.reason, /a country restriction names no destination/);
    // Beside a named destination, still open; a named destination alone, or a feed, names hosts: Protected.
    const beside = await stateOf({
      profiles: NO_PROFILES,
      rules: [rule('to-us', 10, toCountries('cidrs    = ["203.0.113.10/32"]\n    countries = ["US"]'))],
    });
    assert.equal(beside.state, 'Partially Protected', beside.reason);
    const named = await stateOf({ profiles: NO_PROFILES, rules: [rule('one', 10, toCountries('cidrs = ["203.0.113.10/32"]'))] });
    assert.equal(named.state, 'Protected', named.reason);
    const feed = await stateOf({ profiles: NO_PROFILES, rules: [rule('feed', 10, toCountries('feeds = ["partner-ips"]'))] });
    assert.equal(feed.state, 'Protected', feed.reason);
    // A deny of a country before the allow-all stays what it was: a deny of some traffic.
    const deny = await stateOf({
      rules: [
        rule('deny-kp', 10, DENY_ALL.replace('destination {\n    cidrs = ["any"]', 'destination {\n    countries = ["KP"]')),
        rule('allow-all', 20),
      ],
    });
    assert.equal(deny.state, 'Partially Protected', deny.reason);
  });

  it("an allow of each application's standard ports to any destination (protocol not written: application-default) before Cloud NGFW's default deny limits services, not destinations (review s16 R5)", async () => {
    const vpc = await stateOf({ rules: [rule('apps', 10, ALLOW_ALL.replace('  protocol = "any"\n', ''))] });
    assert.equal(vpc.state, 'Partially Protected');
    assert.match(
      vpc.reason,
      /rule "apps" \(rulestack\.tf:\d+\) accepts application-default ports to every internet destination with no security profile; the rest is denied/,
    );
  });

  it('priority orders the rules, lowest first: a deny-all before the allow holds everything back, after it nothing', async () => {
    const first = await stateOf({ rules: [rule('allow-all', 20), rule('deny-all', 10, DENY_ALL)] });
    assert.equal(first.state, 'Protected');
    assert.match(first.reason, /rulestack "egress-rules" \(rulestack\.tf:\d+\): Cloud NGFW's policy accepts nothing; the rest is denied/);
    const after = await stateOf({ rules: [rule('allow-all', 10), rule('deny-all', 20, DENY_ALL)] });
    assert.equal(after.state, 'Monitored');
  });

  it('a disabled deny decides nothing; a deny of some destinations before the allow leaves it partial', async () => {
    const disabled = await stateOf({ rules: [rule('deny-all', 10, `${DENY_ALL}\n  enabled = false`), rule('allow-all', 20)] });
    assert.equal(disabled.state, 'Monitored');
    const some = await stateOf({
      rules: [
        rule('deny-some', 10, DENY_ALL.replace('cidrs = ["any"]\n  }\n  applications', 'countries = ["KP"]\n  }\n  applications')),
        rule('allow-all', 20),
      ],
    });
    assert.equal(some.state, 'Partially Protected');
    assert.match(some.reason, /after rule "deny-some" denies some traffic/);
  });

  it('what cannot be decided offline is Unknown naming it: rules a for_each makes, a prefix list, the order, a management link', async () => {
    const forEach = await stateOf({
      rules: [
        `variable "rules" {
  type = map(any)
}

${rule('each', 'each.value.priority').replace('resource "cloudngfwaws_security_rule" "each" {', 'resource "cloudngfwaws_security_rule" "each" {\n  for_each = var.rules')}`,
      ],
    });
    assert.equal(forEach.state, 'Unknown');
    assert.match(
      forEach.reason,
      /which rules cloudngfwaws_security_rule\.each\["\?"\] \(rulestack\.tf:\d+\) makes cannot be decided offline/,
    );

    const prefixList = await stateOf({
      rules: [rule('from-apps', 10, ALLOW_ALL.replace('source {\n    cidrs = ["any"]', 'source {\n    prefix_lists = ["app-nets"]'))],
    });
    assert.equal(prefixList.state, 'Unknown');
    assert.match(prefixList.reason, /its source prefix list app-nets is not read here/);

    const order = await stateOf({
      rules: [
        `variable "deny_priority" {
  type = number
}

${rule('deny-all', 'var.deny_priority', DENY_ALL)}`,
        rule('allow-all', 20),
      ],
    });
    assert.equal(order.state, 'Unknown');
    assert.match(order.reason, /the priority of rule "deny-all" \(rulestack\.tf:\d+\) cannot be decided offline/);

    const linked = await stateOf({ ngfw: '  link_id = "Link-0123"', rules: [rule('allow-all', 10)] });
    assert.equal(linked.state, 'Unknown');
    assert.match(linked.reason, /linked to Panorama or Strata Cloud Manager \(link_id "Link-0123"\)/);
  });
});

describe('analysis: which Cloud NGFW an endpoint service names', () => {
  /** Two NGFWs, `fw` (a logged allow-all) and `fw2` (a deny-all); the endpoints' service is `service`. */
  function twoNgfws(service: string): Record<string, string> {
    const files = withCloudNgfw({ rules: [rule('allow-all', 10)] });
    files['ngfw.tf'] = replaceOnce(files['ngfw.tf'], ['resource "cloudngfwaws_ngfw" "shared" {', 'resource "cloudngfwaws_ngfw" "fw" {']);
    files['workload.tf'] = files['workload.tf'].split('cloudngfwaws_ngfw.shared.endpoint_service_name').join(service);
    files['ngfw2.tf'] = `resource "cloudngfwaws_ngfw" "fw2" {
  name          = "other-ngfw"
  vpc_id        = aws_vpc.inspection.id
  endpoint_mode = "CustomerManaged"
  rulestack     = cloudngfwaws_rulestack.deny.name
  subnet_mapping {
    availability_zone = "us-east-1a"
  }
}

resource "cloudngfwaws_rulestack" "deny" {
  name  = "deny-rules"
  scope = "Local"
  profile_config {
    ${NO_PROFILES}
  }
}

${rule('deny-all', 10, DENY_ALL).replace('cloudngfwaws_rulestack.egress.name', 'cloudngfwaws_rulestack.deny.name')}`;
    return files;
  }

  it("cloudngfwaws_ngfw.fw2 is not cloudngfwaws_ngfw.fw: fw2's rulestack decides", async () => {
    const vpc = ngfwVpc(await analyzeFiles(twoNgfws('cloudngfwaws_ngfw.fw2.endpoint_service_name')));
    assert.equal(vpc.state, 'Protected', vpc.reason);
    assert.match(vpc.reason, /cloudngfwaws_ngfw\.fw2's rulestack "deny-rules"/);
    const fw = ngfwVpc(await analyzeFiles(twoNgfws('cloudngfwaws_ngfw.fw.endpoint_service_name')));
    assert.equal(fw.state, 'Monitored', fw.reason);
  });

  it("a service that may be either NGFW's: Unknown, naming both", async () => {
    const files = twoNgfws('var.second ? cloudngfwaws_ngfw.fw2.endpoint_service_name : cloudngfwaws_ngfw.fw.endpoint_service_name');
    files['vars.tf'] = 'variable "second" {\n  type = bool\n}\n';
    const vpc = ngfwVpc(await analyzeFiles(files));
    assert.equal(vpc.state, 'Unknown', vpc.reason);
    assert.match(
      vpc.reason,
      /which Cloud NGFW's service this endpoint uses cannot be decided \(its service names .*cloudngfwaws_ngfw\.fw .*cloudngfwaws_ngfw\.fw2/,
    );
  });

  it('a rule whose rulestack is not written is in none: the rulestack still decides', async () => {
    const stray = rule('stray', 5, DENY_ALL).replace('  rulestack   = cloudngfwaws_rulestack.egress.name\n', '');
    const vpc = await stateOf({ rules: [rule('allow-all', 10), stray] });
    assert.equal(vpc.state, 'Monitored', vpc.reason);
  });
});

describe('flow simulation through a Cloud NGFW (Terraform workspace)', () => {
  async function sim(n: Ngfw, text: string) {
    const ws = await createWorkspace();
    for (const [name, body] of Object.entries(withCloudNgfw(n))) ws.setFile(name, body);
    const b = ws.build();
    const p = parseFlowSpec(text);
    assert.ok(p.ok);
    return simulate(b.model, new ModelIndex(b.model), p.flow);
  }

  const web = rule('web', 10, replaceOnce(ALLOW_ALL, ['  protocol = "any"\n', '  prot_port_list = ["TCP:443"]\n']));

  it("the rulestack's first matching rule decides, then the default deny from an RFC 1918 source to the internet", async () => {
    const https = await sim({ rules: [web] }, 'src=10.0.1.20 dst=1.1.1.1 proto=tcp port=443');
    assert.equal(https.outcome, 'allowed', https.summary);
    assert.equal(https.verdicts[0].policyName, 'rule "web"');
    assert.match(https.verdicts[0].reason, /Cloud NGFW rule "web" \(rulestack\.tf:\d+\) accepts it/);
    const ssh = await sim({ rules: [web] }, 'src=10.0.1.20 dst=1.1.1.1 proto=tcp port=22');
    assert.equal(ssh.outcome, 'denied', ssh.summary);
    assert.match(
      ssh.verdicts[0].reason,
      /default rule interzone-default \(from its private zone to the internet; assuming the endpoint's private prefixes are the RFC 1918 ranges, Cloud NGFW's default: its own are set outside the inputs\) .*denies it/,
    );
  });
});
