// Review s16 R9, routes: `0.0.0.0/1` and `128.0.0.0/1` to one target are a default route in effect (the OpenVPN
// "def1" split): longest prefix match sends every internet address through them, and beside a `0.0.0.0/0` to a
// firewall they win. Our own edits of the aws-network-firewall example (protected subnets through the firewall
// endpoint of their AZ, the firewall subnets to the internet gateway).
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const TO_IGW = `  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }`;
const halvesTo = (target: string) =>
  ['0.0.0.0/1', '128.0.0.0/1'].map((c) => `  route {\n    cidr_block = "${c}"\n    ${target}\n  }`).join('\n');

async function protectedVpc(edit: (mainTf: string) => string) {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = edit(files['main.tf']);
  const res = await analyzeFiles(files);
  const state = res.states.find((s) => s.name === 'protected-vpc')!;
  const protectedEgress = res.egress.filter((e) => res.model.elements.find((x) => x.id === e.subnet)?.name?.startsWith('protected'));
  return { res, state, protectedEgress };
}

describe('a default route split in two halves (0.0.0.0/1 + 128.0.0.0/1)', () => {
  before(async () => {
    await initTerraform();
  });

  it('the firewall subnets reach the internet gateway through the halves as through 0.0.0.0/0: Protected', async () => {
    const { state, protectedEgress } = await protectedVpc((t) =>
      replaceOnce(t, [TO_IGW, halvesTo('gateway_id = aws_internet_gateway.main.id')]),
    );
    assert.equal(state.state, 'Protected', state.reason);
    assert.ok(protectedEgress.length > 0);
    for (const e of protectedEgress) {
      assert.equal(e.forward.outcome.kind, 'delivered', JSON.stringify(e.forward.outcome));
      // 8.8.8.8 lies in 0.0.0.0/1: that half takes it at the firewall subnet.
      assert.ok(
        e.forward.hops.some((h) => h.decision?.destination === '0.0.0.0/1' && h.decision.routeTable === 'aws_route_table.firewall'),
      );
    }
  });

  it('halves to the internet gateway beside 0.0.0.0/0 to the firewall win by length: the egress bypasses it, as a 0.0.0.0/0 to the gateway would', async () => {
    const toIgw = (t: string) =>
      replaceOnce(t, [
        '    vpc_endpoint_id = element([for ss in aws_networkfirewall',
        '    gateway_id = aws_internet_gateway.main.id\n    # element([for ss in aws_networkfirewall',
      ]);
    const split = await protectedVpc((t) =>
      replaceOnce(t, [
        '  tags = {\n    Name = "protected-${each.key}-rt"',
        `${halvesTo('gateway_id = aws_internet_gateway.main.id')}\n\n  tags = {\n    Name = "protected-\${each.key}-rt"`,
      ]),
    );
    assert.equal(split.state.state, 'Unprotected', split.state.reason);
    assert.ok(split.protectedEgress.length > 0);
    for (const e of split.protectedEgress) {
      assert.equal(e.forward.inspectedBy.length, 0);
      assert.ok(e.forward.hops.some((h) => h.decision?.destination === '0.0.0.0/1'));
    }
    // The same findings as the protected subnets' 0.0.0.0/0 sent to the internet gateway itself.
    const direct = await protectedVpc(toIgw);
    assert.equal(direct.state.state, 'Unprotected', direct.state.reason);
    assert.deepEqual(
      split.res.findings.map((f) => f.code),
      direct.res.findings.map((f) => f.code),
    );
  });
});
