// A narrow route that leaves uninspected beside an inspected default (review s15 R15): the default trace stands for
// the internet in general and leaves narrow routes out (F131, standInRoute.test.ts), so a `8.8.8.0/24 -> IGW` beside
// `0.0.0.0/0 -> firewall` was never seen. Such a route is traced as an extra egress of the subnet toward its first
// host (SubnetEgress.narrow, trace/narrowExits.ts), kept when it reaches the internet uninspected: the state is at
// worst Partially Protected, and the findings are located on that route.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { createAnalyzer } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import type { AnalysisResult } from '../../../src/analysis/types';

const NFW = exampleTfFiles('aws-network-firewall');

const PROTECTED_DEFAULT = `  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states`;

/** Our Network Firewall example whose app instances have public IPs and whose protected tables hold `route`s too. */
function withRoutes(...routes: [cidr: string, target: string][]): Record<string, string> {
  const written = routes.map(([cidr, target]) => `  route {\n    cidr_block = "${cidr}"\n    ${target}\n  }\n\n`).join('');
  return {
    ...NFW,
    'main.tf': replaceOnce(
      NFW['main.tf'],
      [PROTECTED_DEFAULT, written + PROTECTED_DEFAULT],
      [
        '  subnet_id     = aws_subnet.protected[each.key].id\n',
        '  subnet_id     = aws_subnet.protected[each.key].id\n  associate_public_ip_address = true\n',
      ],
    ),
  };
}

const TO_IGW = 'gateway_id = aws_internet_gateway.main.id';
const TO_ENDPOINT =
  'vpc_endpoint_id = element([for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id], 0)';
const vpc = (r: AnalysisResult) => r.states.find((s) => s.name === 'protected-vpc')!;
const narrow = (r: AnalysisResult) => r.egress.filter((e) => e.narrow);

describe('a narrow route that leaves uninspected beside an inspected default (R15)', function () {
  this.timeout(60000);

  it('8.8.8.0/24 -> IGW beside 0.0.0.0/0 -> the firewall: the replies come back into the stateful firewall (error on that route)', async () => {
    const base = await analyzeFiles(NFW);
    assert.equal(vpc(base).state, 'Protected', vpc(base).reason);
    assert.equal(narrow(base).length, 0);
    const r = await analyzeFiles(withRoutes(['8.8.8.0/24', TO_IGW]));
    assert.equal(vpc(r).state, 'Partially Protected', vpc(r).reason);
    assert.match(
      vpc(r).reason,
      /aws_subnet\.protected\["a"\] \(traffic to 8\.8\.8\.0\/24\) reaches the internet via aws_internet_gateway\.main/,
    );
    // The default path is still the firewall's, and the extra egress is traced toward the route's first host.
    const n = narrow(r);
    assert.deepEqual(
      n.map((e) => [e.subnet, e.forward.id, e.forward.destination.ip, e.narrow?.destination]),
      [
        ['aws_subnet.protected["a"]', 'aws_subnet.protected["a"]:to:8.8.8.0/24:forward', '8.8.8.1', '8.8.8.0/24'],
        ['aws_subnet.protected["b"]', 'aws_subnet.protected["b"]:to:8.8.8.0/24:forward', '8.8.8.1', '8.8.8.0/24'],
      ],
    );
    const main = r.egress.find((e) => e.subnet === 'aws_subnet.protected["a"]' && !e.narrow)!;
    assert.equal(main.forward.inspectedBy.length, 1);
    const f = r.findings.find((x) => x.code === 'asymmetric-return-only');
    assert.ok(f, r.findings.map((x) => `${x.code}: ${x.message}`).join('\n'));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /the forward leg leaves uninspected by route 8\.8\.8\.0\/24 -> protected-igw/);
    // Located on the narrow route (the first protected table's), and tied to the extra egress's trace.
    const lines = withRoutes(['8.8.8.0/24', TO_IGW])['main.tf'].split('\n');
    assert.match(lines[f.location.range.start.line], /route \{/);
    assert.match(lines[f.location.range.start.line + 1], /8\.8\.8\.0\/24/);
    assert.ok(f.traces?.includes('aws_subnet.protected["a"]:to:8.8.8.0/24:forward'), String(f.traces));
  });

  it('not traced: a private range, a route beside an uninspected default, a route toward enforcement', async () => {
    // A private range (an on-premises /24 to the IGW makes no sense, to a peering it is no internet egress).
    const priv = await analyzeFiles(withRoutes(['192.168.7.0/24', TO_IGW]));
    assert.equal(narrow(priv).length, 0);
    assert.equal(vpc(priv).state, 'Protected', vpc(priv).reason);
    // A wide route is the internet's own (it holds addresses the default trace stands for): not an extra egress.
    const wide = await analyzeFiles(withRoutes(['1.0.0.0/16', TO_IGW]));
    assert.equal(narrow(wide).length, 0);
    // Beside a default that already bypasses: nothing to add.
    const files = withRoutes(['8.8.8.0/24', TO_IGW]);
    files['main.tf'] = replaceOnce(files['main.tf'], [TO_ENDPOINT, TO_IGW]);
    const bypass = await analyzeFiles(files);
    assert.equal(vpc(bypass).state, 'Unprotected', vpc(bypass).reason);
    assert.equal(narrow(bypass).length, 0);
    // Toward enforcement (F131): a narrow route to an endpoint adds no egress.
    assert.equal(narrow(await analyzeFiles(withRoutes(['8.8.8.8/32', 'vpc_endpoint_id = "vpce-0123456789abcdef0"']))).length, 0);
  });

  it('a longer route inside the narrow one (8.8.8.0/25 -> the firewall): the first address it leaves, 8.8.8.128, is traced (R11)', async () => {
    const r = await analyzeFiles(withRoutes(['8.8.8.0/25', TO_ENDPOINT], ['8.8.8.0/24', TO_IGW]));
    assert.equal(vpc(r).state, 'Partially Protected', vpc(r).reason);
    assert.deepEqual(
      narrow(r).map((e) => [e.forward.destination.ip, e.narrow?.destination]),
      [
        ['8.8.8.128', '8.8.8.0/24'],
        ['8.8.8.128', '8.8.8.0/24'],
      ],
    );
    // Both halves to the firewall: nothing is left for the IGW route, which adds no egress.
    const covered = await analyzeFiles(withRoutes(['8.8.8.0/25', TO_ENDPOINT], ['8.8.8.128/25', TO_ENDPOINT], ['8.8.8.0/24', TO_IGW]));
    assert.equal(narrow(covered).length, 0);
    assert.equal(vpc(covered).state, 'Protected', vpc(covered).reason);
    // A /32 at the first host takes only that address: the next one is traced.
    const one = await analyzeFiles(withRoutes(['8.8.8.1/32', TO_ENDPOINT], ['8.8.8.0/24', TO_IGW]));
    assert.deepEqual([...new Set(narrow(one).map((e) => e.forward.destination.ip))], ['8.8.8.2']);
  });

  it('no default, only a narrow route to a NAT gateway whose subnet goes through the firewall: that egress is inspected, not No Egress (R17)', async () => {
    // protected-a keeps only 8.8.8.0/24 to a NAT gateway placed in protected-b, whose table sends it to the firewall.
    const files = {
      ...NFW,
      'main.tf':
        replaceOnce(NFW['main.tf'], [
          '  route_table_id = aws_route_table.protected[each.key].id',
          '  route_table_id = each.key == "a" ? aws_route_table.narrow_only.id : aws_route_table.protected[each.key].id',
        ]) +
        `
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.protected["b"].id
}
resource "aws_route_table" "narrow_only" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "8.8.8.0/24"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
`,
    };
    const r = await analyzeFiles(files);
    const n = narrow(r);
    assert.deepEqual(
      n.map((e) => [e.subnet, e.forward.destination.ip, e.forward.inspectedBy.length]),
      [['aws_subnet.protected["a"]', '8.8.8.1', 1]],
    );
    // Its one way out goes through the firewall both ways, as protected-b's default does: Protected, not No Egress.
    assert.equal(vpc(r).state, 'Protected', vpc(r).reason);
    assert.match(vpc(r).reason, /aws_subnet\.protected\["a"\] \(traffic to 8\.8\.8\.0\/24\) is inspected by AWS Network Firewall/);
  });

  it('the incremental analyzer gives the same result, and drops the extra egress when the route goes', async () => {
    const files = withRoutes(['8.8.8.0/24', TO_IGW]);
    const ws = await createWorkspace();
    for (const [n, t] of Object.entries(files)) ws.setFile(n, t);
    const a = createAnalyzer();
    const first = a.analyze(ws.build().model);
    assert.deepEqual(first.egress, (await analyzeFiles(files)).egress);
    assert.equal(narrow(first).length, 2);
    // A longer route to the firewall inside the narrow one: the address traced moves past it (R11).
    ws.setFile('main.tf', withRoutes(['8.8.8.0/25', TO_ENDPOINT], ['8.8.8.0/24', TO_IGW])['main.tf']);
    const moved = a.analyze(ws.build().model);
    assert.deepEqual(
      narrow(moved).map((e) => e.forward.destination.ip),
      ['8.8.8.128', '8.8.8.128'],
    );
    ws.setFile('main.tf', NFW['main.tf']);
    const second = a.analyze(ws.build().model);
    assert.equal(narrow(second).length, 0);
    assert.equal(vpc(second).state, 'Protected');
  });
});
