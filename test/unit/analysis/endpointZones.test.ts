// A Network Firewall's endpoints looked up by AZ: `{ for s in ...sync_states : s.availability_zone =>
// s.attachment[0].endpoint_id }[key]`. Where the endpoints' subnets name their zones as written (a literal, or the
// same placeholder as the key) the lookup is exact; where they do not, it is "the firewall's endpoint in that
// zone", one of its endpoints, decided only where every candidate routes alike.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { Route } from '../../../src/model/types';

const EXAMPLES = join(__dirname, '../../../../examples');
const FW = 'aws_networkfirewall_firewall.egress';

async function run(files: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

function routesOf(r: AnalysisResult): Route[] {
  return r.model.elements.flatMap((e) => (e.kind === 'routeTable' ? e.routes : []));
}

function stateOf(r: AnalysisResult, vpc: string): string | undefined {
  return r.states.find((s) => s.vpc === vpc)?.state;
}

const LOOKUP = `
locals {
  eni_lookup = { for state in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : state.availability_zone => state.attachment[0].endpoint_id }
}
`;

describe('Network Firewall endpoints looked up by AZ (distributed example)', function () {
  this.timeout(60000);
  const base = readFileSync(join(EXAMPLES, 'aws-network-firewall', 'main.tf'), 'utf8');
  const FORWARD = /element\(\[for ss in aws_networkfirewall_firewall\.egress\.firewall_status\[0\]\.sync_states : .*?\], 0\)/;
  const RETURN = /element\(\[for ss in tolist\(.*?\], 0\)/;
  /** The example with both legs' endpoints written as `fwd` and `ret` (each.key / route.key are "a", "b"). */
  const variant = (fwd: string, ret: string, zones?: [string, string]): string => {
    let t = base.replace(FORWARD, fwd).replace(RETURN, ret) + LOOKUP;
    if (zones) t = t.replace('zone = "us-east-1a"', `zone = ${zones[0]}`).replace('zone = "us-east-1b"', `zone = ${zones[1]}`);
    assert.ok(!FORWARD.test(t) && !RETURN.test(t));
    return t;
  };

  it('subnets in written zones: the map is decided per key, each route names its own endpoint; Protected', async () => {
    const r = await run({ 'main.tf': variant('local.eni_lookup[each.value.zone]', 'local.eni_lookup[local.zones[route.key].zone]') });
    const targets = routesOf(r)
      .filter((x) => x.target.kind === 'gwlbe')
      .map((x) => x.target.ref)
      .sort();
    assert.deepEqual(targets, [
      `${FW}/endpoint/aws_subnet.firewall["a"]`,
      `${FW}/endpoint/aws_subnet.firewall["a"]`,
      `${FW}/endpoint/aws_subnet.firewall["b"]`,
      `${FW}/endpoint/aws_subnet.firewall["b"]`,
    ]);
    assert.equal(stateOf(r, 'aws_vpc.main'), 'Protected');
    assert.deepEqual(r.findings, []);
  });

  it('the idiom as lookup(), element(values()), try() and a one() filter on the AZ decides the same endpoints', async () => {
    const forms: [string, string][] = [
      ['lookup(local.eni_lookup, each.value.zone)', 'lookup(local.eni_lookup, local.zones[route.key].zone)'],
      [
        'element(values(local.eni_lookup), index(sort([for z in local.zones : z.zone]), each.value.zone))',
        'element(values(local.eni_lookup), index(sort([for z in local.zones : z.zone]), local.zones[route.key].zone))',
      ],
      ['try(local.eni_lookup[each.value.zone], null)', 'try(local.eni_lookup[local.zones[route.key].zone], null)'],
      [
        'one([for s in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : s.attachment[0].endpoint_id if s.availability_zone == each.value.zone])',
        'one([for s in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states : s.attachment[0].endpoint_id if s.availability_zone == aws_subnet.firewall[route.key].availability_zone])',
      ],
    ];
    for (const [fwd, ret] of forms) {
      const r = await run({ 'main.tf': variant(fwd, ret) });
      const a = routesOf(r).find((x) => x.id === 'aws_route_table.protected["a"]#0')!;
      assert.equal(a.target.ref, `${FW}/endpoint/aws_subnet.firewall["a"]`, fwd);
      assert.equal(stateOf(r, 'aws_vpc.main'), 'Protected', fwd);
      assert.deepEqual(r.findings, [], fwd);
    }
  });

  it('subnets in zones read from the provider, routes keyed by zone names, every name looked up on both legs: as many names as zones, sorted alike: each its own endpoint; Protected', async () => {
    const names = 'data.aws_availability_zones.azs.names';
    const t =
      variant('local.eni_lookup[each.value.key]', 'local.eni_lookup[local.zones[route.key].key]', [`${names}[0]`, `${names}[1]`])
        .replace('a = { zone', 'a = { key = "us-east-1a", zone')
        .replace('b = { zone', 'b = { key = "us-east-1b", zone') + '\ndata "aws_availability_zones" "azs" {}\n';
    const r = await run({ 'main.tf': t });
    // Each instance (and each dynamic route block) looks its name up, and a missing key fails the run: where the
    // routes exist, "us-east-1a" and "us-east-1b" are the provider's two names, which it sorts.
    assert.deepEqual(
      routesOf(r).filter((x) => x.target.pick),
      [],
    );
    const targets = routesOf(r)
      .filter((x) => x.target.kind === 'gwlbe')
      .map((x) => `${x.id} ${String(x.target.ref)}`)
      .sort();
    assert.deepEqual(targets, [
      `aws_route_table.igw_edge#0 ${FW}/endpoint/aws_subnet.firewall["a"]`,
      `aws_route_table.igw_edge#1 ${FW}/endpoint/aws_subnet.firewall["b"]`,
      `aws_route_table.protected["a"]#0 ${FW}/endpoint/aws_subnet.firewall["a"]`,
      `aws_route_table.protected["b"]#0 ${FW}/endpoint/aws_subnet.firewall["b"]`,
    ]);
    for (const eg of r.egress) assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy);
    assert.equal(stateOf(r, 'aws_vpc.main'), 'Protected');
    assert.deepEqual(r.findings, []);
    // Every route by the one name "us-east-1a": it is one of the two zones, which one is not decided (one name
    // for two zones); the same zone on both legs is the same endpoint (EndpointPick.zone).
    const single = await run({
      'main.tf': t
        .replace('local.eni_lookup[each.value.key]', 'local.eni_lookup["us-east-1a"]')
        .replace('local.eni_lookup[local.zones[route.key].key]', 'local.eni_lookup["us-east-1a"]'),
    });
    assert.equal(routesOf(single).filter((x) => x.target.pick?.zone === 'us-east-1a').length, 4);
    assert.equal(stateOf(single, 'aws_vpc.main'), 'Protected');
    for (const x of routesOf(single).filter((y) => y.target.pick)) {
      assert.equal(x.target.pick!.firewall, FW);
      assert.deepEqual(x.target.pick!.endpoints, [`${FW}/endpoint/aws_subnet.firewall["a"]`, `${FW}/endpoint/aws_subnet.firewall["b"]`]);
      assert.ok(typeof x.target.ref !== 'string', 'never one endpoint guessed');
    }
    // The same map looked up by the subnets' own zone placeholders: decided per key again, no pick.
    const own = await run({
      'main.tf': t
        .replace('local.eni_lookup[each.value.key]', 'local.eni_lookup[each.value.zone]')
        .replace('local.eni_lookup[local.zones[route.key].key]', 'local.eni_lookup[local.zones[route.key].zone]'),
    });
    assert.deepEqual(
      routesOf(own).filter((x) => x.target.pick),
      [],
    );
    assert.equal(stateOf(own, 'aws_vpc.main'), 'Protected');
  });

  it('zones not known at all: the lookup is still one of the endpoints; a position on the other leg cannot be compared: Unknown', async () => {
    const t = variant('local.eni_lookup[each.value.key]', 'local.eni_lookup[local.zones[route.key].key]', ['var.zone_a', 'var.zone_b'])
      .replace('a = { zone', 'a = { key = "us-east-1a", zone')
      .replace('b = { zone', 'b = { key = "us-east-1b", zone');
    const vars = 'variable "zone_a" {}\nvariable "zone_b" {}\n';
    const r = await run({ 'main.tf': t + vars });
    assert.equal(routesOf(r).filter((x) => x.target.pick?.zone !== undefined).length, 4);
    assert.equal(stateOf(r, 'aws_vpc.main'), 'Protected');
    // The reply by position 0 of the unordered list: the same endpoint as the zone's, or not, cannot be told.
    const mixed = await run({
      'main.tf':
        t.replace(
          'local.eni_lookup[local.zones[route.key].key]',
          '(aws_networkfirewall_firewall.egress.firewall_status[0].sync_states[*].attachment[0].endpoint_id)[0]',
        ) + vars,
    });
    for (const eg of mixed.egress) {
      assert.equal(eg.return!.outcome.kind, 'unknown');
      assert.match(eg.return!.outcome.kind === 'unknown' ? eg.return!.outcome.reason : '', /whether the reply enters the same endpoint/);
    }
    assert.equal(stateOf(mixed, 'aws_vpc.main'), 'Unknown');
    assert.deepEqual(mixed.findings, []);
  });

  it('a position of the endpoints through flatten(), concat(), distinct() or reverse() of a for over sync_states is a pick, as through a splat: Unknown (review s15 R13)', async () => {
    const STATES = 'aws_networkfirewall_firewall.egress.firewall_status[0].sync_states';
    const at = '[each.key == "a" ? 0 : 1]';
    const ret = 'local.eni_lookup[local.zones[route.key].zone]';
    const verdict = async (fwd: string): Promise<[string | undefined, number]> => {
      const r = await run({ 'main.tf': variant(fwd, ret) });
      return [stateOf(r, 'aws_vpc.main'), routesOf(r).filter((x) => x.target.pick?.position !== undefined).length];
    };
    const splat = await verdict(`(${STATES}[*].attachment[0].endpoint_id)${at}`);
    assert.deepEqual(splat, ['Unknown', 2]);
    for (const fwd of [
      `flatten([for st in aws_networkfirewall_firewall.egress.firewall_status : [for sy in st.sync_states : [for a in sy.attachment : a.endpoint_id]]])${at}`,
      `concat([for sy in ${STATES} : sy.attachment[0].endpoint_id])${at}`,
      `distinct([for sy in ${STATES} : sy.attachment[0].endpoint_id])${at}`,
      `reverse([for sy in ${STATES} : sy.attachment[0].endpoint_id])${at}`,
    ])
      assert.deepEqual(await verdict(fwd), splat, fwd);
  });

  it("a zone name on the way out, a zone placeholder on the way back: the names every instance looks up are the two zones in order, so subnet b returns through zone 1's endpoint: cross-AZ, at the edge route", async () => {
    const names = 'data.aws_availability_zones.azs.names';
    const t =
      variant('local.eni_lookup[each.value.key]', `local.eni_lookup[${names}[0]]`, [`${names}[0]`, `${names}[1]`])
        .replace('a = { zone', 'a = { key = "us-east-1a", zone')
        .replace('b = { zone', 'b = { key = "us-east-1b", zone') + '\ndata "aws_availability_zones" "azs" {}\n';
    const r = await run({ 'main.tf': t });
    // The reply to both subnets by zone 1's placeholder is exactly firewall["a"]'s endpoint; "us-east-1b", looked
    // up beside "us-east-1a" by the other instance, is zone 2: firewall["b"]'s.
    const ret = routesOf(r).find((x) => x.id === 'aws_route_table.igw_edge#1')!;
    assert.equal(ret.target.ref, `${FW}/endpoint/aws_subnet.firewall["a"]`);
    const out = routesOf(r).find((x) => x.id === 'aws_route_table.protected["b"]#0')!;
    assert.equal(out.target.ref, `${FW}/endpoint/aws_subnet.firewall["b"]`);
    assert.equal(stateOf(r, 'aws_vpc.main'), 'Partially Protected');
    assert.deepEqual(
      r.findings.map((f) => `${f.severity} ${f.code} ${f.fix?.title ?? ''}`),
      [
        'error asymmetric-cross-az Point 10.20.2.0/24 in igw-edge-rt at egress-firewall/firewall["b"] (<az 2 of data.aws_availability_zones.azs>), the endpoint the forward leg uses',
      ],
    );
    // Looked up by the one name "us-east-1a" only, the way out cannot be compared with the reply's placeholder: Unknown, no finding.
    const one = await run({ 'main.tf': t.replace('local.eni_lookup[each.value.key]', 'local.eni_lookup["us-east-1a"]') });
    assert.equal(stateOf(one, 'aws_vpc.main'), 'Unknown');
    assert.deepEqual(
      one.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });
});

// Modelled on a centralized design: one table per AZ key ("us-east-1a"...), subnets whose zones are the
// provider's names in order, the workload's 0/0 to the firewall endpoint of its key, the firewall subnet's 0/0
// to the NAT GW of its key, the public subnet's return to the endpoint of its key.
function perAzDesign(zoneOf: (i: number) => string): string {
  return `
data "aws_availability_zones" "azs" {}

locals {
  tiers = {
    "us-east-1a" = { az = ${zoneOf(0)}, n = 0 }
    "us-east-1b" = { az = ${zoneOf(1)}, n = 1 }
  }
  eni_lookup = { for state in aws_networkfirewall_firewall.fw.firewall_status[0].sync_states : state.availability_zone => state.attachment[0].endpoint_id }
}

resource "aws_vpc" "v" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}

resource "aws_subnet" "app" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.8.0.0/16", 8, each.value.n)
  availability_zone = each.value.az
}

resource "aws_subnet" "fw" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.8.0.0/16", 8, 10 + each.value.n)
  availability_zone = each.value.az
}

resource "aws_subnet" "pub" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.8.0.0/16", 8, 20 + each.value.n)
  availability_zone = each.value.az
}

resource "aws_instance" "app" {
  for_each      = local.tiers
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app[each.key].id
}

resource "aws_networkfirewall_firewall" "fw" {
  name                = "central"
  vpc_id              = aws_vpc.v.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.p.arn
  dynamic "subnet_mapping" {
    for_each = aws_subnet.fw
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}

resource "aws_networkfirewall_rule_group" "allow" {
  name     = "allow"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI"]
        targets              = [".example.com"]
      }
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "p" {
  name = "p"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_default_actions           = ["aws:drop_established"]
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
    stateful_rule_group_reference {
      priority     = 1
      resource_arn = aws_networkfirewall_rule_group.allow.arn
    }
  }
}

resource "aws_eip" "nat" {
  for_each = local.tiers
  domain   = "vpc"
}

resource "aws_nat_gateway" "nat" {
  for_each      = local.tiers
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.pub[each.key].id
}

resource "aws_route_table" "app" {
  for_each = local.tiers
  vpc_id   = aws_vpc.v.id
}

resource "aws_route" "app_out" {
  for_each               = local.tiers
  route_table_id         = aws_route_table.app[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = local.eni_lookup[each.key]
}

resource "aws_route_table_association" "app" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.app[each.key].id
  route_table_id = aws_route_table.app[each.key].id
}

resource "aws_route_table" "fw" {
  for_each = local.tiers
  vpc_id   = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat[each.key].id
  }
}

resource "aws_route_table_association" "fw" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.fw[each.key].id
  route_table_id = aws_route_table.fw[each.key].id
}

resource "aws_route_table" "pub" {
  for_each = local.tiers
  vpc_id   = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route" "pub_back" {
  for_each               = local.tiers
  route_table_id         = aws_route_table.pub[each.key].id
  destination_cidr_block = "10.8.0.0/20"
  vpc_endpoint_id        = local.eni_lookup[each.key]
}

resource "aws_route_table_association" "pub" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.pub[each.key].id
  route_table_id = aws_route_table.pub[each.key].id
}
`;
}

describe('Network Firewall endpoints looked up by AZ key, one NAT GW per AZ', function () {
  this.timeout(60000);

  it("keys that are the subnets' written zones: each key its own endpoint and NAT GW; inspected both ways, Protected", async () => {
    const r = await run({ 'main.tf': perAzDesign((i) => `"us-east-1${'ab'[i]}"`) });
    assert.deepEqual(
      routesOf(r).filter((x) => x.target.pick),
      [],
    );
    for (const eg of r.egress.filter((e) => e.subnet.startsWith('aws_subnet.app'))) {
      assert.equal(eg.forward.outcome.kind, 'delivered', eg.subnet);
      assert.deepEqual(
        eg.forward.inspectedBy.map((e) => e.element),
        ['aws_networkfirewall_firewall.fw'],
      );
      assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy);
    }
    assert.equal(stateOf(r, 'aws_vpc.v'), 'Protected');
  });

  it('zones read from the provider in order, every key a zone name each instance looks up: the names are the zones in order; each key its own endpoint and NAT GW, Protected', async () => {
    const r = await run({ 'main.tf': perAzDesign((i) => `data.aws_availability_zones.azs.names[${i}]`) });
    assert.deepEqual(
      routesOf(r).filter((x) => x.target.pick),
      [],
    );
    for (const eg of r.egress.filter((e) => e.subnet.startsWith('aws_subnet.app'))) {
      assert.equal(eg.forward.outcome.kind, 'delivered', eg.subnet);
      const key = /\["(.+)"\]$/.exec(eg.subnet)![1];
      assert.ok(
        eg.forward.hops.some((h) => h.element === `aws_networkfirewall_firewall.fw/endpoint/aws_subnet.fw["${key}"]`),
        eg.subnet,
      );
      assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy, eg.subnet);
    }
    assert.equal(stateOf(r, 'aws_vpc.v'), 'Protected');
    assert.deepEqual(r.findings, []);
  });

  it('zones read from the provider in order, one key looked up by every route: which endpoint is in "us-east-1a" decides the NAT GW and whether the reply returns through it: Unknown, saying why', async () => {
    const r = await run({
      'main.tf': perAzDesign((i) => `data.aws_availability_zones.azs.names[${i}]`).replace(
        /local\.eni_lookup\[each\.key\]/g,
        'local.eni_lookup["us-east-1a"]',
      ),
    });
    const picks = routesOf(r).filter((x) => x.target.pick);
    assert.equal(picks.length, 4);
    const app = r.egress.find((e) => e.subnet === 'aws_subnet.app["us-east-1b"]')!;
    // Inspected whichever endpoint it is; the next hop is not decided.
    assert.deepEqual(
      app.forward.inspectedBy.map((e) => e.endpoint),
      ['aws_networkfirewall_firewall.fw#zone[us-east-1a]'],
    );
    assert.equal(app.forward.outcome.kind, 'unknown');
    const reason = app.forward.outcome.kind === 'unknown' ? app.forward.outcome.reason : '';
    assert.match(reason, /which of them is in us-east-1a cannot be decided offline/);
    assert.match(reason, /the next hop depends on it/);
    assert.equal(stateOf(r, 'aws_vpc.v'), 'Unknown');
    assert.deepEqual(r.findings, []);
  });
});
