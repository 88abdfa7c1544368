// A lookup that fails the run when its key is missing decides which entry it is, where counting and order leave
// one choice: a network hub whose routes find the Network Firewall's endpoint in a map keyed by the endpoints'
// AZs (`{ for s in ...sync_states : s.availability_zone => s.attachment[0].endpoint_id }`), looked up by the
// written zone names "<region>a", "<region>b", "<region>c", while the firewall's subnets take their zones from
// data.aws_availability_zones (sorted by name). Every route instance looks up its own name; in every world where
// they all exist, the three names are the three zones, in the same order. A lookup with a default, or in try(),
// need not succeed: it decides nothing.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { Route } from '../../../src/model/types';

const FW = 'aws_networkfirewall_firewall.hub';
const endpoint = (zone: string): string => `${FW}/endpoint/aws_subnet.firewall["eu-west-2${zone}"]`;

interface Opts {
  /** How the TGW subnets' 0/0 and the public subnets' return name the endpoint of their key. */
  lookup?: (key: string) => string;
  /** The positions of the provider's zone names the firewall's subnets take (one per tier). */
  firewallZones?: number;
}

/** Our hub: two IPAM-allocated VPCs behind a TGW, an inspection VPC with a Network Firewall and a NAT GW per AZ. */
function hub(o: Opts = {}): string {
  const lookup = o.lookup ?? ((k) => `local.fw_endpoint_by_az[${k}]`);
  const fwZones = o.firewallZones ?? 3;
  const spoke = (name: string, octet: number): string => `
resource "aws_vpc" "${name}" {
  ipv4_ipam_pool_id   = aws_vpc_ipam_pool.org.id
  ipv4_netmask_length = 22
  tags                = { Name = "${name}" }
}
resource "aws_subnet" "${name}" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.${name}.id
  cidr_block        = cidrsubnet(aws_vpc.${name}.cidr_block, 4, ${octet} + each.value.n)
  availability_zone = each.value.az
}
resource "aws_instance" "${name}" {
  for_each      = local.tiers
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.${name}[each.key].id
}
resource "aws_route_table" "${name}" {
  vpc_id = aws_vpc.${name}.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "${name}" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.${name}[each.key].id
  route_table_id = aws_route_table.${name}.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "${name}" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.${name}.id
  subnet_ids         = [for s in aws_subnet.${name} : s.id]
}
resource "aws_ec2_transit_gateway_route_table_association" "${name}" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.${name}.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "${name}" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.${name}.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}
`;
  return `
variable "region" {
  default = "eu-west-2"
}
data "aws_availability_zones" "here" {
  state = "available"
}
locals {
  zone_names = data.aws_availability_zones.here.names
  tiers = {
    "\${var.region}a" = { az = local.zone_names[0], n = 0 }
    "\${var.region}b" = { az = local.zone_names[1], n = 1 }
    "\${var.region}c" = { az = local.zone_names[2], n = 2 }
  }
  fw_tiers = { for k, v in local.tiers : k => v if v.n < ${fwZones} }
  fw_endpoint_by_az = { for s in aws_networkfirewall_firewall.hub.firewall_status[0].sync_states : s.availability_zone => s.attachment[0].endpoint_id }
}

resource "aws_vpc_ipam" "org" {
  operating_regions {
    region_name = var.region
  }
}
resource "aws_vpc_ipam_pool" "org" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.org.private_default_scope_id
  locale         = var.region
}
resource "aws_vpc_ipam_pool_cidr" "org" {
  ipam_pool_id = aws_vpc_ipam_pool.org.id
  cidr         = "10.0.0.0/10"
}
${spoke('dns', 0)}
${spoke('endpoints', 4)}

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route" "spokes_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
resource "aws_ec2_transit_gateway_route_table" "inspected" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "inspection" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspected.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.inspection.id
  subnet_ids             = [for s in aws_subnet.attach : s.id]
  appliance_mode_support = "enable"
}

resource "aws_vpc" "inspection" {
  cidr_block = "100.64.0.0/16"
}
resource "aws_internet_gateway" "inspection" {
  vpc_id = aws_vpc.inspection.id
}
resource "aws_subnet" "attach" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, each.value.n)
  availability_zone = each.value.az
}
resource "aws_subnet" "firewall" {
  for_each          = local.fw_tiers
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, 10 + each.value.n)
  availability_zone = each.value.az
}
resource "aws_subnet" "public" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet("100.64.0.0/16", 8, 20 + each.value.n)
  availability_zone = each.value.az
}
resource "aws_eip" "nat" {
  for_each = local.tiers
  domain   = "vpc"
}
resource "aws_nat_gateway" "nat" {
  for_each      = local.tiers
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
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
resource "aws_networkfirewall_firewall_policy" "hub" {
  name = "hub"
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
resource "aws_networkfirewall_firewall" "hub" {
  name                = "hub"
  vpc_id              = aws_vpc.inspection.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.hub.arn
  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall
    content {
      subnet_id = subnet_mapping.value.id
    }
  }
}

resource "aws_route_table" "attach" {
  for_each = local.tiers
  vpc_id   = aws_vpc.inspection.id
}
resource "aws_route" "attach_default" {
  for_each               = local.tiers
  route_table_id         = aws_route_table.attach[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id        = ${lookup('each.key')}
}
resource "aws_route_table_association" "attach" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.attach[each.key].id
  route_table_id = aws_route_table.attach[each.key].id
}
resource "aws_route_table" "firewall" {
  for_each = local.fw_tiers
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat[each.key].id
  }
  route {
    cidr_block         = "10.0.0.0/10"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "firewall" {
  for_each       = local.fw_tiers
  subnet_id      = aws_subnet.firewall[each.key].id
  route_table_id = aws_route_table.firewall[each.key].id
}
resource "aws_route_table" "public" {
  for_each = local.tiers
  vpc_id   = aws_vpc.inspection.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.inspection.id
  }
}
resource "aws_route" "public_return" {
  for_each               = local.tiers
  route_table_id         = aws_route_table.public[each.key].id
  destination_cidr_block = "10.0.0.0/10"
  vpc_endpoint_id        = ${lookup('each.key')}
}
resource "aws_route_table_association" "public" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.public[each.key].id
  route_table_id = aws_route_table.public[each.key].id
}
`;
}

async function run(text: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

function endpointRoutes(r: AnalysisResult): Route[] {
  return r.model.elements
    .flatMap((e) => (e.kind === 'routeTable' ? e.routes : []))
    .filter((x) => x.id.startsWith('aws_route.attach_default') || x.id.startsWith('aws_route.public_return'));
}

function stateOf(r: AnalysisResult, vpc: string): string | undefined {
  return r.states.find((s) => s.vpc === vpc)?.state;
}

describe('a lookup that must succeed: Network Firewall endpoints by written zone names, zones from the provider', function () {
  this.timeout(60000);

  it('every route looks up its own zone name, as many names as endpoints: each is the endpoint of the same position; both IPAM VPCs inspected both ways, Protected', async () => {
    const r = await run(hub());
    const routes = endpointRoutes(r);
    assert.equal(routes.length, 6);
    for (const x of routes) {
      const zone = /\["eu-west-2([abc])"\]/.exec(x.id)![1];
      assert.equal(x.target.ref, endpoint(zone), x.id);
      assert.equal(x.target.pick, undefined, x.id);
    }
    const spokes = r.egress.filter((e) => /^aws_subnet\.(dns|endpoints)\[/.test(e.subnet));
    assert.equal(spokes.length, 6);
    for (const eg of spokes) {
      const zone = /\["eu-west-2([abc])"\]/.exec(eg.subnet)![1];
      assert.equal(eg.forward.outcome.kind, 'delivered', eg.subnet);
      assert.deepEqual(
        eg.forward.inspectedBy.map((i) => i.element),
        [FW],
        eg.subnet,
      );
      assert.ok(
        eg.forward.hops.some((h) => h.element === endpoint(zone)),
        `${eg.subnet} leaves through its zone's endpoint`,
      );
      assert.equal(eg.return!.outcome.kind, 'delivered', eg.subnet);
      assert.deepEqual(eg.return!.inspectedBy, eg.forward.inspectedBy, eg.subnet);
    }
    assert.equal(stateOf(r, 'aws_vpc.dns'), 'Protected');
    assert.equal(stateOf(r, 'aws_vpc.endpoints'), 'Protected');
    // No routing finding. HOME_NET is left at the inspection VPC (100.64.0.0/16): the allow-list never matches
    // the spokes (the pool, 10.0.0.0/10), whose traffic the default drop takes, allowed domain included.
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['home-net-excludes-spokes'],
    );
    assert.match(r.findings[0].message, /does not hold 10\.0\.0\.0\/10/);
  });

  it('lookup() with a default, or the lookup inside try(), need not succeed: never decided, the spokes stay Unknown', async () => {
    for (const lookup of [
      (k: string) => `lookup(local.fw_endpoint_by_az, ${k}, null)`,
      (k: string) => `try(local.fw_endpoint_by_az[${k}], null)`,
    ]) {
      const r = await run(hub({ lookup }));
      for (const x of endpointRoutes(r)) assert.ok(typeof x.target.ref !== 'string', `${lookup('k')}: ${x.id} is never one endpoint`);
      assert.equal(stateOf(r, 'aws_vpc.dns'), 'Unknown', lookup('k'));
      assert.equal(stateOf(r, 'aws_vpc.endpoints'), 'Unknown', lookup('k'));
      assert.deepEqual(
        r.findings.filter((f) => f.severity === 'error'),
        [],
      );
    }
    // Without the default, lookup() fails as an index does: decided again.
    const strict = await run(hub({ lookup: (k) => `lookup(local.fw_endpoint_by_az, ${k})` }));
    assert.equal(stateOf(strict, 'aws_vpc.dns'), 'Protected');
  });

  it('three zone names against two endpoints cannot all be found: nothing decided, Unknown, never a finding', async () => {
    const r = await run(hub({ firewallZones: 2 }));
    for (const x of endpointRoutes(r)) assert.ok(typeof x.target.ref !== 'string', `${x.id} is never one endpoint`);
    assert.equal(stateOf(r, 'aws_vpc.dns'), 'Unknown');
    assert.equal(stateOf(r, 'aws_vpc.endpoints'), 'Unknown');
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  it("a lookup in a conditional's branch is not counted as made by every instance (the branch may depend on the instance): decides nothing", async () => {
    const r = await run(hub({ lookup: (k) => `each.value.n >= 0 ? local.fw_endpoint_by_az[${k}] : null` }));
    for (const x of endpointRoutes(r)) assert.ok(typeof x.target.ref !== 'string', `${x.id} is never one endpoint`);
    assert.equal(stateOf(r, 'aws_vpc.dns'), 'Unknown');
  });
});
