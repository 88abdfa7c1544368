// A Network Firewall whose policy sends nothing to the stateful engine keeps no flow state: a reply through another
// AZ's endpoint is handled as the forward packet was. asymmetric-cross-az (an error whose premise is a stateful
// appliance dropping the reply) does not fire for it, and the state is the policy's own, not "inspected elsewhere".
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';

const base = readFileSync(join(__dirname, '../../../../examples/aws-network-firewall/main.tf'), 'utf8');

// examples/aws-network-firewall with the IGW edge route of protected-b sent to zone a's endpoint, and a policy body.
function variant(policyBody: string): string {
  const crossed = base.replace(
    'ss.attachment[0].subnet_id == aws_subnet.firewall[route.key].id], 0)',
    'ss.attachment[0].subnet_id == aws_subnet.firewall["a"].id], 0)',
  );
  assert.notEqual(crossed, base);
  const start = crossed.indexOf('  firewall_policy {', crossed.indexOf('resource "aws_networkfirewall_firewall_policy" "egress"'));
  const end = crossed.indexOf('resource "aws_networkfirewall_firewall" "egress"');
  assert.ok(start > 0 && end > start);
  return `${crossed.slice(0, start)}  firewall_policy {\n${policyBody}\n  }\n}\n\n${crossed.slice(end)}`;
}

async function run(text: string) {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const statelessDrop23 = `
resource "aws_networkfirewall_rule_group" "telnet" {
  name     = "drop-telnet"
  type     = "STATELESS"
  capacity = 10
  rule_group {
    rules_source {
      stateless_rules_and_custom_actions {
        stateless_rule {
          priority = 1
          rule_definition {
            actions = ["aws:drop"]
            match_attributes {
              protocols = [6]
              destination_port {
                from_port = 23
                to_port   = 23
              }
            }
          }
        }
      }
    }
  }
}
`;

describe('analysis: a Network Firewall that keeps no flow state', function () {
  this.timeout(30000);

  it("stateless only (drop telnet, pass the rest): no asymmetric-cross-az error for a reply through the other AZ; the state is the policy's own", async () => {
    const text = variant(`    stateless_default_actions          = ["aws:pass"]
    stateless_fragment_default_actions = ["aws:pass"]
    stateless_rule_group_reference {
      priority     = 1
      resource_arn = aws_networkfirewall_rule_group.telnet.arn
    }`).replace(
      'resource "aws_networkfirewall_firewall_policy" "egress"',
      `${statelessDrop23}\nresource "aws_networkfirewall_firewall_policy" "egress"`,
    );
    const r = await run(text);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'asymmetric-cross-az').map((f) => f.message),
      [],
    );
    const s = r.states.find((x) => x.name === 'protected-vpc');
    assert.ok(s);
    assert.doesNotMatch(s.reason, /inspected elsewhere/);
  });

  it('the same crossed route with the stateful engine in use (forward_to_sfe): the error stays', async () => {
    const r = await run(
      variant(`    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }`),
    );
    assert.equal(r.findings.filter((f) => f.code === 'asymmetric-cross-az').length, 1);
    assert.match(r.states.find((x) => x.name === 'protected-vpc')!.reason, /inspected elsewhere/);
  });
});
