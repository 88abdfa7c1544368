// A written route to a few addresses that happens to hold the address the egress trace stands in for the internet
// with (8.8.8.8 when the user names none): an author's test route `8.8.8.8/32 -> GWLB endpoint` beside
// `0.0.0.0/0 -> IGW` (F131). It decides where traffic to those addresses goes, not where the internet in general
// goes: the lookup of the stand-in leaves it out (routing.ts, NARROW_BITS) and tells it in the narration; a
// destination the user names still follows it; a wide route holding the stand-in is the internet's route.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisOptions, AnalysisResult } from '../../../src/analysis/types';
import { replaceOnce } from '../analyzeFiles';
import { repoRoot } from '../parse/helpers';

const CENTRAL = readFileSync(join(repoRoot(), 'examples', 'aws-centralized-tgw-inspection', 'main.tf'), 'utf8');

const SPOKE_DEFAULT = `  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-rt" }`;

const SPOKE_IGW = `
resource "aws_internet_gateway" "spoke" {
  vpc_id = aws_vpc.spoke.id
  tags   = { Name = "spoke-igw" }
}
`;

/** Our centralized example whose app instances have public IPs, the spoke an IGW, and its table these routes. */
function spokeRoutes(...routes: [cidr: string, target: string][]): string {
  const written = routes.map(([cidr, target]) => `  route {\n    cidr_block = "${cidr}"\n    ${target}\n  }\n`).join('');
  return (
    replaceOnce(
      CENTRAL,
      [SPOKE_DEFAULT, `${written}  tags = { Name = "spoke-rt" }`],
      [
        '  subnet_id     = aws_subnet.spoke_app[each.key].id\n',
        '  subnet_id     = aws_subnet.spoke_app[each.key].id\n  associate_public_ip_address = true\n',
      ],
    ) + SPOKE_IGW
  );
}

const TO_IGW = 'gateway_id = aws_internet_gateway.spoke.id';
const TO_TGW = 'transit_gateway_id = aws_ec2_transit_gateway.hub.id';

async function run(text: string, options: AnalysisOptions = {}): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  return analyze(ws.build().model, options);
}

const spoke = (r: AnalysisResult) => r.states.find((s) => s.name === 'spoke-app')!;
const firstHop = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'aws_subnet.spoke_app["a"]')!.forward.hops[0];

describe('a known narrow route that holds the internet stand-in (F131)', function () {
  this.timeout(60000);

  it('8.8.8.8/32 -> TGW (the firewall) beside 0.0.0.0/0 -> IGW: the internet leaves uninspected by the IGW', async () => {
    const r = await run(spokeRoutes(['0.0.0.0/0', TO_IGW], ['8.8.8.8/32', TO_TGW]));
    assert.equal(spoke(r).state, 'Unprotected', spoke(r).reason);
    const f = r.findings.find((x) => x.code === 'uninspected-egress');
    assert.ok(f, r.findings.map((x) => x.code).join(', '));
    assert.match(f.message, /route 0\.0\.0\.0\/0 -> spoke-igw in spoke-rt/);
    const hop = firstHop(r);
    assert.equal(hop.decision?.destination, '0.0.0.0/0');
    assert.match(
      hop.note,
      /route 8\.8\.8\.8\/32 -> hub-tgw is left out: it takes traffic to one address only, not to the internet in general, which 8\.8\.8\.8 only stands for here/,
    );
  });

  it('the other way round, 8.8.8.8/32 -> IGW beside 0.0.0.0/0 -> TGW: the internet inspected, the route told and traced on its own (R15)', async () => {
    const r = await run(spokeRoutes(['0.0.0.0/0', TO_TGW], ['8.8.8.8/32', TO_IGW]));
    assert.match(firstHop(r).note, /route 8\.8\.8\.8\/32 -> spoke-igw is left out: it takes traffic to one address only/);
    // The route's own egress (narrowExit.test.ts) leaves uninspected: Partially Protected, a warning on that route.
    assert.equal(spoke(r).state, 'Partially Protected', spoke(r).reason);
    const f = r.findings.find((x) => x.code === 'uninspected-egress');
    assert.match(
      f?.message ?? '',
      /\(10\.1\.0\.10 to 8\.8\.8\.8\/32\), .* reach the internet through spoke-igw .*route 8\.8\.8\.8\/32 -> spoke-igw in spoke-rt/,
    );
    // Its replies come straight back through the IGW (no edge table): a bypass, not an asymmetry.
    assert.equal(f?.severity, 'warning');
    assert.ok(!r.findings.some((x) => x.severity === 'error'), r.findings.map((x) => x.code).join(', '));
    // A /24 is narrow too (256 addresses).
    const r24 = await run(spokeRoutes(['0.0.0.0/0', TO_TGW], ['8.8.8.0/24', TO_IGW]));
    assert.equal(spoke(r24).state, 'Partially Protected', spoke(r24).reason);
    assert.match(firstHop(r24).note, /route 8\.8\.8\.0\/24 -> spoke-igw is left out: it takes traffic to 256 addresses only/);
  });

  it('a wide route holding the stand-in (8.0.0.0/8 -> IGW) is the internet route; a narrow one not holding it is not in that lookup', async () => {
    const wide = await run(spokeRoutes(['0.0.0.0/0', TO_TGW], ['8.0.0.0/8', TO_IGW]));
    assert.equal(spoke(wide).state, 'Unprotected', spoke(wide).reason);
    assert.equal(firstHop(wide).decision?.destination, '8.0.0.0/8');
    // A narrow route not holding it is not in the default lookup at all; its own egress is traced (R15).
    const other = await run(spokeRoutes(['0.0.0.0/0', TO_TGW], ['1.1.1.1/32', TO_IGW]));
    assert.equal(spoke(other).state, 'Partially Protected');
    assert.doesNotMatch(firstHop(other).note, /left out/);
  });

  it('only the narrow route: no route for the internet in general, the route told and traced on its own (R17)', async () => {
    const r = await run(spokeRoutes(['8.8.8.8/32', TO_IGW]));
    assert.match(firstHop(r).note, /route 8\.8\.8\.8\/32 -> spoke-igw is left out/);
    // Traffic to 8.8.8.8 does leave by the IGW, uninspected: that path decides the spoke, not No Egress.
    assert.equal(spoke(r).state, 'Unprotected', spoke(r).reason);
    assert.match(spoke(r).reason, /\(traffic to 8\.8\.8\.8\/32\) reaches the internet via aws_internet_gateway\.spoke/);
  });

  it('a destination the user names follows the route (--destination 8.8.8.8)', async () => {
    const named = await run(spokeRoutes(['0.0.0.0/0', TO_IGW], ['8.8.8.8/32', TO_TGW]), { destination: '8.8.8.8' });
    assert.equal(spoke(named).state, 'Protected', spoke(named).reason);
    assert.equal(firstHop(named).decision?.destination, '8.8.8.8/32');
  });

  it('in a TGW route table the same: a static 8.8.8.8/32 is left out of the general lookup only', async () => {
    const text =
      CENTRAL +
      `
resource "aws_ec2_transit_gateway_route" "google_dns" {
  destination_cidr_block         = "8.8.8.8/32"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
`;
    const r = await run(text);
    assert.equal(spoke(r).state, 'Protected', spoke(r).reason);
    const tgwHop = r.egress.find((e) => e.subnet === 'aws_subnet.spoke_app["a"]')!.forward.hops.find((h) => h.kind === 'tgw')!;
    assert.match(tgwHop.note, /route 8\.8\.8\.8\/32 -> blackhole is left out: it takes traffic to one address only/);
    const named = await run(text, { destination: '8.8.8.8' });
    assert.notEqual(spoke(named).state, 'Protected');
  });
});
