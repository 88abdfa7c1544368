// Centralized inspection before NAT for spokes outside the inputs (issue 15 §4): an inspection VPC whose
// transit gateway other accounts attach to (shared, auto-accept, default route table), TGW subnets -> Network
// Firewall endpoint -> one NAT GW -> IGW, and the public table sending the spokes' range straight back to the
// TGW. The spokes are not in the inputs; the range the VPC routes to the TGW is their source.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, replaceOnce as edit } from '../analyzeFiles';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';
import { repoRoot } from '../parse/helpers';

const FIXTURE = readFileSync(join(repoRoot(), 'test', 'fixtures', 'shared-tgw-inspection', 'main.tf'), 'utf8');

const run = (text: string): Promise<AnalysisResult> => analyzeFiles({ 'main.tf': text });

const bypass = (r: AnalysisResult): Finding[] => r.findings.filter((f) => f.code === 'asymmetric-return-bypass');
const endpointA =
  'one([for ss in aws_networkfirewall_firewall.hub.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall["a"].id])';
const toSpokesViaTgw = `  destination_cidr_block = each.value
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id`;
const firewallTableRoutes = `  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.hub.id
  }
  tags = { Name = "hub-firewall-rt" }`;

describe('centralized inspection before NAT, spokes outside the inputs', function () {
  this.timeout(60000);

  it('the reply to the spokes range leaves the NAT subnet for the TGW around the firewall: asymmetric-return-bypass on that route, fixed in the NAT subnet table', async () => {
    const r = await run(FIXTURE);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.severity} @ ${f.elementId}`),
      ['asymmetric-return-bypass error @ aws_route.to_spokes["10.200.0.0/16"]'],
    );
    const f = r.findings[0];
    // Anchored on the route that sends the reply to the TGW, in the NAT GW's subnet table.
    assert.equal(f.location.file, 'main.tf');
    assert.match(FIXTURE.split('\n')[f.location.range.start.line], /^resource "aws_route" "to_spokes"/);
    assert.match(
      f.message,
      /^Replies to 10\.200\.0\.0\/16 \(VPCs outside the inputs whose egress hub-tgw default route table sends to hub-attachment\) are not inspected/,
    );
    assert.match(
      f.message,
      /NAT GW hub-nat's subnet route table hub-public-rt sends 10\.200\.0\.0\/16 to hub-tgw, so it goes straight to transit gateway hub-tgw/,
    );
    assert.match(
      f.message,
      /skipping firewall endpoint hub-firewall\/firewall\["a"\] \(eu-west-1a\), firewall endpoint hub-firewall\/firewall\["b"\] \(eu-west-1b\)/,
    );
    assert.equal(f.traces, undefined, 'no trace of the spokes is in the result');
    const fix = f.fix!.title;
    // Before NAT: the NAT subnet's table to the endpoint of the NAT GW's AZ, never an IGW edge route.
    assert.match(
      fix,
      /^Route 10\.200\.0\.0\/16 in hub-public-rt to firewall endpoint hub-firewall\/firewall\["a"\] \(eu-west-1a\) \(the NAT subnet's route table: inspection before NAT; not in the IGW edge route table\)/,
    );
    assert.doesNotMatch(fix, /edge route table to|in the IGW edge route table$/);
    // The firewall subnets send everything to the NAT GW: the inspected reply needs its way back to the TGW.
    assert.match(
      fix,
      /, and 10\.200\.0\.0\/16 in hub-firewall-rt to hub-tgw \(hub-firewall-rt sends it to hub-nat today; the inspected reply must go back to the transit gateway\)/,
    );
    // One NAT GW, endpoints in two AZs: the forward legs entering in b must meet the same endpoint.
    assert.match(
      fix,
      /Do this with the forward leg: flows entering in eu-west-1b are inspected on the way out by hub-firewall\/firewall\["b"\] \(eu-west-1b\) and leave through hub-nat \(eu-west-1a\); their replies would meet firewall endpoint hub-firewall\/firewall\["a"\] \(eu-west-1a\) instead/,
    );
    assert.match(fix, /or route 0\.0\.0\.0\/0 of hub-tgw-rt-b to firewall endpoint hub-firewall\/firewall\["a"\] \(eu-west-1a\) too$/);
    assert.deepEqual(f.fix!.edits, []);
  });

  it('forward routes to positional picks of the endpoints (flatten(...sync_states...)[i]): the fix still names the NAT AZ endpoint and the firewall table route back to the TGW (review s17 R1)', async () => {
    const r = await run(
      edit(FIXTURE, [
        'vpc_endpoint_id = one([for ss in aws_networkfirewall_firewall.hub.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id])',
        'vpc_endpoint_id = flatten([for ss in aws_networkfirewall_firewall.hub.firewall_status[0].sync_states : [for a in ss.attachment : a.endpoint_id]])[index(keys(local.zones), each.key)]',
      ]),
    );
    const [f] = bypass(r);
    assert.ok(f, 'the bypass is found');
    assert.match(f.message, /skipping firewall endpoint hub-firewall\.EndpointIds\[0\], firewall endpoint hub-firewall\.EndpointIds\[1\]/);
    const fix = f.fix!.title;
    assert.match(fix, /^Route 10\.200\.0\.0\/16 in hub-public-rt to firewall endpoint hub-firewall\/firewall\["a"\] \(eu-west-1a\)/);
    // Without the second route the inspected reply would loop between the firewall subnets and the NAT GW.
    assert.match(fix, /, and 10\.200\.0\.0\/16 in hub-firewall-rt to hub-tgw \(hub-firewall-rt sends it to hub-nat today/);
    // Which pick is in the NAT GW's AZ is not known offline: not every forward leg is said to cross.
    assert.match(fix, /AWS lists a firewall's endpoints in no fixed order, so all but the one in eu-west-1a are another AZ's/);
  });

  it('the fix as written (single NAT GW: every TGW subnet to the NAT AZ endpoint, the spokes range back through it and on to the TGW): no finding', async () => {
    const fixed = edit(
      FIXTURE,
      ['ss.attachment[0].subnet_id == aws_subnet.firewall[each.key].id])', 'ss.attachment[0].subnet_id == aws_subnet.firewall["a"].id])'],
      [toSpokesViaTgw, `  destination_cidr_block = each.value\n  vpc_endpoint_id        = ${endpointA}`],
      [
        firewallTableRoutes,
        firewallTableRoutes.replace(
          '  tags',
          '  route {\n    cidr_block         = "10.200.0.0/16"\n    transit_gateway_id = aws_ec2_transit_gateway.hub.id\n  }\n  tags',
        ),
      ],
    );
    assert.deepEqual(bypass(await run(fixed)), []);
  });

  it('the other fix as written (a NAT GW per AZ, each public table sending the spokes range to its own AZ endpoint): no finding', async () => {
    const endpointOf = endpointA.replace('aws_subnet.firewall["a"]', 'aws_subnet.firewall[each.key]');
    const perAz = edit(
      FIXTURE,
      ['resource "aws_eip" "nat" {\n', 'resource "aws_eip" "nat" {\n  for_each = local.zones\n'],
      [
        '  allocation_id = aws_eip.nat.id\n  subnet_id     = aws_subnet.public["a"].id\n',
        '  for_each      = local.zones\n  allocation_id = aws_eip.nat[each.key].id\n  subnet_id     = aws_subnet.public[each.key].id\n',
      ],
      ['  tags          = { Name = "hub-nat" }', '  tags          = { Name = "hub-nat-${each.key}" }'],
      [
        `resource "aws_route_table" "firewall" {\n  vpc_id = aws_vpc.hub.id\n${firewallTableRoutes}`,
        `resource "aws_route_table" "firewall" {\n  for_each = local.zones\n  vpc_id   = aws_vpc.hub.id\n  route {\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = aws_nat_gateway.hub[each.key].id\n  }\n  route {\n    cidr_block         = "10.200.0.0/16"\n    transit_gateway_id = aws_ec2_transit_gateway.hub.id\n  }\n  tags = { Name = "hub-firewall-rt-\${each.key}" }`,
      ],
      ['  route_table_id = aws_route_table.firewall.id\n', '  route_table_id = aws_route_table.firewall[each.key].id\n'],
      [
        'resource "aws_route_table" "public" {\n  vpc_id = aws_vpc.hub.id\n',
        `resource "aws_route_table" "public" {\n  for_each = local.zones\n  vpc_id   = aws_vpc.hub.id\n  route {\n    cidr_block      = "10.200.0.0/16"\n    vpc_endpoint_id = ${endpointOf}\n  }\n`,
      ],
      [
        'resource "aws_route" "to_spokes" {\n  for_each               = toset(var.spoke_ranges)\n  route_table_id         = aws_route_table.public.id\n' +
          `${toSpokesViaTgw}\n}\n`,
        '',
      ],
      ['  route_table_id = aws_route_table.public.id\n}', '  route_table_id = aws_route_table.public[each.key].id\n}'],
      ['  tags = { Name = "hub-public-rt" }', '  tags = { Name = "hub-public-rt-${each.key}" }'],
    );
    const r = await run(perAz);
    assert.equal(r.model.elements.filter((e) => e.kind === 'natgw').length, 2);
    assert.deepEqual(r.findings, []);
    // The same layout whose public tables send the spokes range to the TGW: one finding per table (its own AZ's
    // endpoint each), and no single-NAT caveat since each AZ's flows meet their own NAT GW.
    const broken = edit(perAz, [
      `"10.200.0.0/16"\n    vpc_endpoint_id = ${endpointOf}\n`,
      '"10.200.0.0/16"\n    transit_gateway_id = aws_ec2_transit_gateway.hub.id\n',
    ]);
    const b = bypass(await run(broken));
    // The route is written once for both tables: one finding there, naming each table with its own AZ's endpoint.
    assert.deepEqual(
      b.map((f) => f.elementId),
      ['aws_route_table.public["a"]#0'],
    );
    assert.match(b[0].message, /hub-public-rt-a sends 10\.200\.0\.0\/16 to hub-tgw.*hub-public-rt-b sends 10\.200\.0\.0\/16 to hub-tgw/);
    assert.equal(
      b[0].fix!.title,
      'Route 10.200.0.0/16 in hub-public-rt-a to firewall endpoint hub-firewall/firewall["a"] (eu-west-1a), in hub-public-rt-b to firewall endpoint hub-firewall/firewall["b"] (eu-west-1b) (the NAT subnet\'s route table: inspection before NAT; not in the IGW edge route table)',
    );
  });

  it("the NAT subnet route alone fixed: no longer this bypass (the reply meets the endpoint after the NAT GW); the loop it makes is routing-loop's", async () => {
    const r = await run(edit(FIXTURE, [toSpokesViaTgw, `  destination_cidr_block = each.value\n  vpc_endpoint_id        = ${endpointA}`]));
    assert.deepEqual(bypass(r), []);
    assert.deepEqual(
      r.findings.map((f) => `${f.code} @ ${f.elementId}`),
      ['routing-loop @ aws_route_table.firewall'],
    );
  });

  it('stays quiet when the inputs do not say that the spokes egress arrives, or how their replies get back', async () => {
    // The default route table does not send the internet to the inspection attachment.
    const noDefaultRoute = edit(FIXTURE, [
      '  destination_cidr_block         = "0.0.0.0/0"\n',
      '  destination_cidr_block         = "10.250.0.0/16"\n',
    ]);
    assert.deepEqual(bypass(await run(noDefaultRoute)), []);
    // Attachments of other accounts join no table by default: which table routes their egress is not in the inputs.
    const noDefaultAssociation = edit(FIXTURE, [
      '  auto_accept_shared_attachments = "enable"\n',
      '  auto_accept_shared_attachments  = "enable"\n  default_route_table_association = "disable"\n',
    ]);
    assert.deepEqual(bypass(await run(noDefaultAssociation)), []);
    // Nothing propagates into the default table: the way back to the spokes is not in the inputs.
    const noPropagation = edit(FIXTURE, [
      '  auto_accept_shared_attachments = "enable"\n',
      '  auto_accept_shared_attachments  = "enable"\n  default_route_table_propagation = "disable"\n',
    ]);
    assert.deepEqual(bypass(await run(noPropagation)), []);
    // The range the VPC sends to the TGW is the VPC's own: no spoke outside the inputs to stand for.
    const ownRange = edit(FIXTURE, ['  default = ["10.200.0.0/16"]', '  default = ["10.100.128.0/17"]']);
    assert.deepEqual(bypass(await run(ownRange)), []);
  });

  it('tgw-appliance-mode-off stays quiet: no flow crosses the inspection attachment in both directions', async () => {
    // The egress replies leave through the NAT subnet's table, and the spokes' own CIDRs, propagated into the
    // default table, carry spoke-to-spoke traffic around the inspection VPC: appliance mode would change nothing.
    const r = await run(FIXTURE);
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'tgw-appliance-mode-off'),
      [],
    );
    assert.equal(r.states.find((s) => s.vpc === 'aws_vpc.hub')!.state, 'Inspection');
  });
});
