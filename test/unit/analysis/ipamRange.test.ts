import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// VPCs whose IPv4 CIDR an IPAM pool allocates at apply (a hub of shared-services VPCs behind a TGW that sends
// 0.0.0.0/0 to an egress VPC and blackholes the pool): the source is "some address of the pool", and a hop is
// decided only when every such address is routed the same way.
describe('analysis: sources whose address IPAM allocates at apply', function () {
  this.timeout(30000);

  const POOL = '172.20.0.0/14';

  interface Opts {
    /** Text of the pool's aws_vpc_ipam_pool_cidr resource (empty: the inputs provision none). */
    poolCidr?: string;
    netmask?: string;
    /** Extra resources. */
    extra?: string;
    /** The egress VPC's CIDR arguments. */
    egressCidr?: string;
  }

  function workspaceText(o: Opts = {}): string {
    const netmask = o.netmask ?? 'ipv4_netmask_length = 24';
    const poolCidr =
      o.poolCidr ??
      `resource "aws_vpc_ipam_pool_cidr" "org" {
  ipam_pool_id = aws_vpc_ipam_pool.org.id
  cidr         = var.pool_cidr
}`;
    return `
variable "pool_cidr" {
  default = "${POOL}"
}
resource "aws_vpc_ipam" "main" {
  operating_regions {
    region_name = "us-west-2"
  }
}
resource "aws_vpc_ipam_pool" "org" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.main.private_default_scope_id
  locale         = "us-west-2"
}
${poolCidr}

resource "aws_vpc" "shared" {
  ipv4_ipam_pool_id   = aws_vpc_ipam_pool.org.id
  ${netmask}
  tags = { Name = "shared" }
}
resource "aws_subnet" "shared_app" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = cidrsubnet(aws_vpc.shared.cidr_block, 3, 1)
  availability_zone = "us-west-2a"
  tags = { Name = "shared-app" }
}
resource "aws_subnet" "shared_tgw" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = cidrsubnet(aws_vpc.shared.cidr_block, 4, 0)
  availability_zone = "us-west-2a"
}
resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.shared.id
}
resource "aws_route_table_association" "shared_app" {
  subnet_id      = aws_subnet.shared_app.id
  route_table_id = aws_route_table.shared.id
}
resource "aws_route_table_association" "shared_tgw" {
  subnet_id      = aws_subnet.shared_tgw.id
  route_table_id = aws_route_table.shared.id
}
resource "aws_route" "shared_default" {
  route_table_id         = aws_route_table.shared.id
  destination_cidr_block = "0.0.0.0/0"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.shared.id
  subnet_ids         = [aws_subnet.shared_tgw.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.egress.id
  subnet_ids         = [aws_subnet.egress_tgw.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_route_table" "hub" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
}
resource "aws_ec2_transit_gateway_route" "to_egress" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
}
resource "aws_ec2_transit_gateway_route" "pool_blackhole" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
  destination_cidr_block         = var.pool_cidr
  blackhole                      = true
}

resource "aws_vpc" "egress" {
  ${o.egressCidr ?? 'ipv4_ipam_pool_id   = aws_vpc_ipam_pool.org.id\n  ipv4_netmask_length = 24'}
  tags = { Name = "egress" }
}
resource "aws_subnet" "egress_tgw" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet(aws_vpc.egress.cidr_block, 4, 0)
  availability_zone = "us-west-2a"
}
resource "aws_subnet" "egress_public" {
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet(aws_vpc.egress.cidr_block, 4, 1)
  availability_zone = "us-west-2a"
}
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.egress.id
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "egress" {
  subnet_id     = aws_subnet.egress_public.id
  allocation_id = aws_eip.nat.id
}
resource "aws_route_table" "egress_tgw" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress.id
  }
}
resource "aws_route_table_association" "egress_tgw" {
  subnet_id      = aws_subnet.egress_tgw.id
  route_table_id = aws_route_table.egress_tgw.id
}
resource "aws_route_table" "egress_public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
  route {
    cidr_block         = var.pool_cidr
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route_table_association" "egress_public" {
  subnet_id      = aws_subnet.egress_public.id
  route_table_id = aws_route_table.egress_public.id
}
${o.extra ?? ''}
`;
  }

  async function run(o: Opts = {}) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', workspaceText(o));
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    const e = r.egress.find((x) => x.subnet === 'aws_subnet.shared_app');
    assert.ok(e, 'the shared-app subnet is traced');
    const state = r.states.find((s) => s.vpc === 'aws_vpc.shared');
    return { r, e, state, diagnostics: b.diagnostics };
  }

  it('decides the path when every address of the pool is routed the same way, on both legs, and states the assumption once per VPC', async () => {
    const { e, state, diagnostics } = await run();
    assert.equal(e.forward.source.ip, `<IPAM address in ${POOL}>`);
    assert.equal(e.forward.outcome.kind, 'delivered', JSON.stringify(e.forward.outcome));
    assert.deepEqual(
      e.forward.hops.map((h) => h.kind),
      ['subnet', 'tgw', 'tgwAttachment', 'natgw', 'igw', 'internet'],
    );
    assert.equal(e.return?.outcome.kind, 'delivered', JSON.stringify(e.return?.outcome));
    const back = e.return.hops;
    // The pool's route in the egress VPC, then the shared VPC's own propagation (more specific than the
    // pool's blackhole), then its local route to the source subnet.
    assert.ok(back.some((h) => h.decision?.destination === POOL && h.decision.target === 'hub'));
    const tgwHop = back.find((h) => h.kind === 'tgw');
    assert.equal(tgwHop?.decision?.destination, '<CIDR of shared>');
    assert.equal(back[back.length - 1].element, 'aws_subnet.shared_app');
    assert.equal(state?.state, 'Unprotected', state?.reason);
    const assumed = diagnostics.filter((d) => d.code === 'assumed-range');
    assert.equal(assumed.length, 2, JSON.stringify(assumed));
    assert.match(
      assumed[0].message,
      /is a \/24 inside 172\.20\.0\.0\/14 \(the pool's CIDR in the inputs\) and overlaps no other VPC of the pool/,
    );
  });

  it('a route that holds only part of the pool and would beat the VPC route keeps the return Unknown, naming it', async () => {
    const { e, state } = await run({
      extra: `
resource "aws_route" "part" {
  route_table_id         = aws_route_table.egress_public.id
  destination_cidr_block = "172.21.3.0/24"
  gateway_id             = aws_internet_gateway.egress.id
}`,
    });
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.equal(e.return?.outcome.kind, 'unknown');
    assert.match(
      e.return.outcome.reason ?? '',
      /route aws_route\.part \(main\.tf:\d+\) to 172\.21\.3\.0\/24 holds only part of 172\.20\.0\.0\/14/,
    );
    assert.match(e.return.outcome.reason ?? '', /allocated by IPAM at apply/);
    // The forward leg alone decides the state: it reaches the internet through no enforcement point.
    assert.equal(state?.state, 'Unprotected');
  });

  it('a route inside the pool that is less specific than the VPC netmask cannot win over the VPC own route', async () => {
    // 172.22.0.0/16 -> the egress attachment: wherever the /24 lies, the propagated /24 is more specific.
    const { e } = await run({
      extra: `
resource "aws_ec2_transit_gateway_route" "part" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
  destination_cidr_block         = "172.22.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
}`,
    });
    assert.equal(e.return?.outcome.kind, 'delivered', JSON.stringify(e.return?.outcome));
  });

  it('without the netmask length, a route holding the whole pool may be the VPC CIDR itself: the return is Unknown', async () => {
    const { e } = await run({
      netmask: '',
      extra: `
resource "aws_ec2_transit_gateway_route" "part" {
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.hub.id
  destination_cidr_block         = "172.22.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
}`,
    });
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.equal(e.return?.outcome.kind, 'unknown');
    // The pool's blackhole would replace the VPC's propagated route if IPAM allocated the whole pool to it.
    assert.match(
      e.return.outcome.reason ?? '',
      /TGW route table hub: route aws_ec2_transit_gateway_route\.pool_blackhole \(main\.tf:\d+\) holds the whole range, and whether it is exactly the VPC's own CIDR .* depends on the netmask length/,
    );
  });

  function otherPool(cidr: string): Opts {
    return {
      egressCidr: 'ipv4_ipam_pool_id   = aws_vpc_ipam_pool.other.id\n  ipv4_netmask_length = 24',
      extra: `
resource "aws_vpc_ipam_pool" "other" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.main.private_default_scope_id
}
resource "aws_vpc_ipam_pool_cidr" "other" {
  ipam_pool_id = aws_vpc_ipam_pool.other.id
  cidr         = "${cidr}"
}`,
    };
  }

  it('an egress VPC of another pool whose CIDR overlaps the first one may hold the address: the return is Unknown', async () => {
    const { e } = await run(otherPool('172.16.0.0/12'));
    assert.equal(e.forward.outcome.kind, 'delivered');
    assert.equal(e.return?.outcome.kind, 'unknown');
    assert.match(e.return.outcome.reason ?? '', /is the local route of egress, whose CIDR is not known offline/);
  });

  it('an egress VPC of another pool disjoint from the first one never holds the address: the return is decided', async () => {
    const { e } = await run(otherPool('192.168.0.0/16'));
    assert.equal(e.return?.outcome.kind, 'delivered', JSON.stringify(e.return?.outcome));
  });

  it('when the inputs provision no CIDR to the pool, the first table is undecided: its local route may hold the destination', async () => {
    const { e, state, diagnostics } = await run({ poolCidr: '' });
    assert.equal(e.forward.outcome.kind, 'unknown');
    assert.match(e.forward.outcome.reason ?? '', /local route\) is not known offline/);
    assert.equal(state?.state, 'Unknown');
    assert.ok(
      diagnostics.some(
        (d) => d.code === 'assumed-range' && /a \/24 somewhere \(the inputs provision no CIDR to the pool\)/.test(d.message),
      ),
    );
  });

  it('a VPC with a secondary CIDR is not bounded by its pool: its source stays without an address', async () => {
    const { e } = await run({
      extra: `
resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.shared.id
  cidr_block = "100.64.0.0/24"
}`,
    });
    assert.notEqual(e.forward.source.ip, `<IPAM address in ${POOL}>`);
  });
});
