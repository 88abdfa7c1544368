import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

// Our distributed Network Firewall example made dual-stack: each protected subnet's IPv6 prefix is assigned at apply,
// and the IGW edge table returns each one (its `ipv6_cidr_block`, not known offline) to the subnet's endpoint. An IPv6
// destination never holds an IPv4 address: the IPv4 reply is decided by the IPv4 routes, as without the IPv6 ones.
describe('an IPv6 route whose prefix is not known offline does not decide IPv4 lookups', function () {
  this.timeout(60000);

  it('the IPv4 reply through the IGW edge table stays decided: the same state as the IPv4-only estate', async () => {
    const files = exampleTfFiles('aws-network-firewall');
    const v4 = await analyzeFiles(files);
    const text = files['main.tf'];
    const edge = text.indexOf('dynamic "route"', text.indexOf('resource "aws_route_table" "igw_edge"'));
    assert.ok(edge > 0);
    const dual = replaceOnce(
      text.slice(0, edge) +
        `dynamic "route" {
    for_each = local.zones
    content {
      ipv6_cidr_block = aws_subnet.protected[route.key].ipv6_cidr_block
      vpc_endpoint_id = element([for ss in tolist(aws_networkfirewall_firewall.egress.firewall_status[0].sync_states) : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[route.key].id], 0)
    }
  }
  ` +
        text.slice(edge),
      ['resource "aws_vpc" "main" {\n', 'resource "aws_vpc" "main" {\n  assign_generated_ipv6_cidr_block = true\n'],
    );
    const r = await analyzeFiles({ ...files, 'main.tf': dual });
    const state = (x: typeof r) => x.states.find((s) => s.name === 'protected-vpc');
    assert.ok(state(v4));
    assert.equal(state(r)?.state, state(v4)?.state);
    assert.doesNotMatch(state(r)?.reason ?? '', /ipv6_cidr_block is not known offline/);
  });
});
