// A route whose destination is not known offline but whose prefix length is: the operator's own address
// (`"${data.http.myip.response_body}/32"` -> IGW, for SSH to a jump host) beside 0.0.0.0/0 -> TGW -> firewall.
// It catches traffic to one address: the spoke's egress in general is what the known routes decide, the route
// is told in the narration; a flow to a named address stays Unknown (it may be that one); a prefix of unknown
// length, or a wide one, stays Unknown (docs/domain.md, "Routes to an address not known offline").
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import type { AnalysisOptions, AnalysisResult } from '../../../src/analysis/types';
import type { NetworkModel, Route } from '../../../src/model/types';
import { repoRoot } from '../parse/helpers';

const CENTRAL = readFileSync(join(repoRoot(), 'examples', 'aws-centralized-tgw-inspection', 'main.tf'), 'utf8');

/** Our centralized example with the spoke given an IGW and `destination` -> IGW in its table. */
function withRoute(destination: string): string {
  const from = `    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "spoke-rt" }`;
  assert.equal(CENTRAL.split(from).length, 2);
  return (
    CENTRAL.replace(
      from,
      `    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  route {
    cidr_block = ${destination}
    gateway_id = aws_internet_gateway.spoke.id
  }
  tags = { Name = "spoke-rt" }`,
    ) +
    `
data "http" "myip" {
  url = "https://ipv4.icanhazip.com"
}

resource "aws_internet_gateway" "spoke" {
  vpc_id = aws_vpc.spoke.id
  tags   = { Name = "spoke-igw" }
}
`
  );
}

async function build(text: string): Promise<NetworkModel> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  return ws.build().model;
}

async function run(text: string, options: AnalysisOptions = {}): Promise<AnalysisResult> {
  return analyze(await build(text), options);
}

const spoke = (r: AnalysisResult) => r.states.find((s) => s.name === 'spoke-app')!;
const MYIP = '"${data.http.myip.response_body}/32"';

describe('a route to an address not known offline, of known prefix length', function () {
  this.timeout(60000);

  it('the model keeps the prefix length of "${...}/32" and of a cidrsubnet of a base of known length', async () => {
    const routes = async (d: string): Promise<Route[]> =>
      (await build(withRoute(d))).elements.flatMap((e) => (e.kind === 'routeTable' && e.name === 'spoke-rt' ? e.routes : []));
    const len = (rs: Route[]) =>
      rs.map((r) => {
        const c = 'cidr' in r.destination ? r.destination.cidr : undefined;
        return typeof c === 'string' ? c : c?.prefixLength;
      });
    assert.deepEqual(len(await routes(MYIP)), ['0.0.0.0/0', 32]);
    assert.deepEqual(len(await routes('"${data.http.myip.response_body}.0/24"')), ['0.0.0.0/0', 24]);
    assert.deepEqual(len(await routes('cidrsubnet("${data.http.myip.response_body}/16", 8, 3)')), ['0.0.0.0/0', 24]);
    assert.deepEqual(len(await routes('cidrsubnet(aws_vpc.spoke.cidr_block, 14, data.http.myip.status_code)')), ['0.0.0.0/0', 30]);
    // No known end, or an end that is not a length: not known.
    assert.deepEqual(len(await routes('data.http.myip.response_body')), ['0.0.0.0/0', undefined]);
    assert.deepEqual(len(await routes('"${data.http.myip.response_body}"')), ['0.0.0.0/0', undefined]);
    assert.deepEqual(len(await routes('"${data.http.myip.response_body}/x"')), ['0.0.0.0/0', undefined]);
    assert.deepEqual(len(await routes('"10.0.0.0/${data.http.myip.response_body}"')), ['0.0.0.0/0', undefined]);
  });

  it('a /32 to the IGW beside 0.0.0.0/0 -> TGW -> firewall: Protected, the route told in the narration', async () => {
    const r = await run(withRoute(MYIP));
    assert.equal(spoke(r).state, 'Protected', spoke(r).reason);
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.spoke_app["a"]')!;
    assert.equal(eg.forward.outcome.kind, 'delivered');
    // The reply to the instance: a /32 to an IGW cannot sit inside the VPC (AWS takes only a whole subnet's CIDR
    // to a NAT GW, an interface or an endpoint there), so `local` delivers it.
    assert.equal(eg.return?.outcome.kind, 'delivered');
    const first = eg.forward.hops[0];
    assert.equal(first.decision?.destination, '0.0.0.0/0');
    assert.match(
      first.note,
      /route "\$\{data\.http\.myip\.response_body\}\/32" -> spoke-igw is left out: its address is not known offline \(.*\), and it takes traffic to one address only, not to the internet in general/,
    );
  });

  it('a /24 is narrow too; a /8, a prefix of unknown length stay Unknown', async () => {
    assert.equal(spoke(await run(withRoute('"${data.http.myip.response_body}.0/24"'))).state, 'Protected');
    const wide = spoke(await run(withRoute('"${data.http.myip.response_body}/8"')));
    assert.equal(wide.state, 'Unknown');
    assert.match(
      wide.reason,
      /destination "\$\{data\.http\.myip\.response_body\}\/8" is not known offline \(.*\): a \/8 that may hold 8\.8\.8\.8, more specific than 0\.0\.0\.0\/0/,
    );
    for (const d of ['data.http.myip.response_body', '"${data.http.myip.response_body}"']) {
      const s = spoke(await run(withRoute(d)));
      assert.equal(s.state, 'Unknown', d);
      assert.match(s.reason, /is not known offline/, d);
    }
  });

  it('a destination the user names (--destination, a simulated flow) may be that address: Unknown', async () => {
    const named = spoke(await run(withRoute(MYIP), { destination: '8.8.8.8' }));
    assert.equal(named.state, 'Unknown');
    assert.match(named.reason, /a \/32 that may hold 8\.8\.8\.8, more specific than 0\.0\.0\.0\/0/);
    const model = await build(withRoute(MYIP));
    const p = parseFlowSpec('src=10.1.0.10 dst=1.2.3.4 proto=tcp port=22');
    assert.ok(p.ok);
    const s = simulate(model, new ModelIndex(model), p.flow);
    assert.equal(s.outcome, 'unknown');
    assert.match(s.summary, /a \/32 that may hold 1\.2\.3\.4, more specific than 0\.0\.0\.0\/0/);
    // A /32 to an IGW cannot hold an address of its own VPC (AWS takes only a whole subnet CIDR there).
    const inside = parseFlowSpec('src=10.1.0.10 dst=10.1.1.10 proto=tcp port=22');
    assert.ok(inside.ok);
    assert.notEqual(simulate(model, new ModelIndex(model), inside.flow).outcome, 'unknown');
  });

  it('in a TGW route table the same: a static /32 of unknown address is left out of the general lookup only', async () => {
    const text =
      CENTRAL +
      `
data "http" "myip" {
  url = "https://ipv4.icanhazip.com"
}

resource "aws_ec2_transit_gateway_route" "operator" {
  destination_cidr_block         = "\${data.http.myip.response_body}/32"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spoke.id
}
`;
    const r = await run(text);
    assert.equal(spoke(r).state, 'Protected', spoke(r).reason);
    const tgwHop = r.egress.find((e) => e.subnet === 'aws_subnet.spoke_app["a"]')!.forward.hops.find((h) => h.kind === 'tgw')!;
    assert.match(tgwHop.note, /route "\$\{data\.http\.myip\.response_body\}\/32" -> \S+ is left out: .* one address only/);
    const named = spoke(await run(text, { destination: '8.8.8.8' }));
    assert.equal(named.state, 'Unknown');
    assert.match(named.reason, /has a route to "\$\{data\.http\.myip\.response_body\}\/32" that is not known offline/);
  });
});
