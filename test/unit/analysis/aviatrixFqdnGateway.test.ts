// F291: a standalone Aviatrix gateway with SNAT (`aviatrix_gateway`, `single_ip_snat`) is its VPC's egress FQDN gateway:
// the controller points the private route tables' 0.0.0.0/0 to it (those without one, and those whose 0.0.0.0/0 goes
// elsewhere than an internet gateway), and the `aviatrix_fqdn` filters that name it decide what leaves: a white list
// only what it lists (Protected), a black list all but what it lists (Monitored), `*` on a white list every name
// (Partially Protected), no filter on (Unprotected). Before, the gateway was an unmodelled resource and its VPC, known
// only by id, was left out of the report.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { handBuiltVpc } from './handBuiltVpc';

describe('analysis: Aviatrix egress FQDN gateway (standalone aviatrix_gateway with SNAT)', function () {
  this.timeout(60000);

  // An export-like estate: the gateway in an existing VPC named by id, a white list attached by gateway name, its
  // domains as tag rules of their own.
  const gateway = `
resource "aviatrix_gateway" "egress" {
  cloud_type     = 1
  account_name   = "payments-prod"
  gw_name        = "payments-egress-gw"
  vpc_id         = "vpc-0a1b2c3d4e5f60718"
  vpc_reg        = "eu-west-1"
  gw_size        = "t3.small"
  subnet         = "10.60.0.0/26"
  single_ip_snat = true
}
`;
  const filter = `
resource "aviatrix_fqdn" "payments" {
  fqdn_tag     = "payments-outbound"
  fqdn_mode    = "white"
  fqdn_enabled = true
  gw_filter_tag_list {
    gw_name = "payments-egress-gw"
  }
  manage_domain_names = false
}
resource "aviatrix_fqdn_tag_rule" "psp" {
  fqdn_tag_name = "payments-outbound"
  fqdn          = "api.psp.example.net"
  protocol      = "tcp"
  port          = "443"
}
resource "aviatrix_fqdn_tag_rule" "updates" {
  fqdn_tag_name = "payments-outbound"
  fqdn          = "*.updates.example.org"
  protocol      = "tcp"
  port          = "443"
}
`;
  const states = (r: Awaited<ReturnType<typeof analyzeFiles>>) => r.states.map((s) => `${s.vpc} ${s.state}`);

  it('judges a VPC known only by id whose only gateway is an egress FQDN gateway by its white list: Protected', async () => {
    const r = await analyzeFiles({ 'gateway.tf': gateway, 'fqdn.tf': filter });
    assert.deepEqual(states(r), ['vpc-0a1b2c3d4e5f60718 Protected']);
    assert.match(
      r.states[0].reason,
      /white list of FQDN filter payments-outbound \(fqdn\.tf:2\) \(2 domains in the inputs\) lets only the names it lists out/,
    );
    assert.equal(
      r.parseDiagnostics.filter((d) => d.code === 'unmodelled-resource').length,
      0,
      'the standalone gateway is modelled, not noted as unmodelled',
    );
  });

  it('reads a black list as Monitored, `*` on a white list as Partially Protected, a disabled filter or none as Unprotected', async () => {
    const black = await analyzeFiles({ 'gateway.tf': gateway, 'fqdn.tf': replaceOnce(filter, ['"white"', '"black"']) });
    assert.deepEqual(states(black), ['vpc-0a1b2c3d4e5f60718 Monitored']);
    assert.match(black.states[0].reason, /is a black list: every other name leaves/);
    const star = await analyzeFiles({ 'gateway.tf': gateway, 'fqdn.tf': replaceOnce(filter, ['"*.updates.example.org"', '"*"']) });
    assert.deepEqual(states(star), ['vpc-0a1b2c3d4e5f60718 Partially Protected']);
    const off = await analyzeFiles({
      'gateway.tf': gateway,
      'fqdn.tf': replaceOnce(filter, ['fqdn_enabled = true', 'fqdn_enabled = false']),
    });
    assert.deepEqual(states(off), ['vpc-0a1b2c3d4e5f60718 Unprotected']);
    const none = await analyzeFiles({ 'gateway.tf': gateway });
    assert.deepEqual(states(none), ['vpc-0a1b2c3d4e5f60718 Unprotected']);
    assert.match(none.states[0].reason, /no FQDN filter attached in the inputs/);
  });

  it('takes the egress of a VPC whose spoke gateway has SNAT off (the spoke carries only private traffic to its transit)', async () => {
    const spoke = `
resource "aviatrix_transit_gateway" "hub" {
  cloud_type   = 1
  account_name = "payments-prod"
  gw_name      = "hub-transit"
  vpc_id       = "vpc-0ffff00001111222"
  vpc_reg      = "eu-west-1"
  gw_size      = "c5.large"
  subnet       = "10.0.0.0/26"
}
resource "aviatrix_spoke_gateway" "payments" {
  cloud_type   = 1
  account_name = "payments-prod"
  gw_name      = "payments-spoke-gw"
  vpc_id       = "vpc-0a1b2c3d4e5f60718"
  vpc_reg      = "eu-west-1"
  gw_size      = "t3.small"
  subnet       = "10.60.0.64/26"
}
resource "aviatrix_spoke_transit_attachment" "payments" {
  spoke_gw_name   = aviatrix_spoke_gateway.payments.gw_name
  transit_gw_name = aviatrix_transit_gateway.hub.gw_name
}
`;
    const r = await analyzeFiles({ 'gateway.tf': gateway, 'fqdn.tf': filter, 'spoke.tf': spoke });
    assert.deepEqual(states(r), ['vpc-0a1b2c3d4e5f60718 Protected']);
    const without = await analyzeFiles({ 'spoke.tf': spoke });
    assert.deepEqual(states(without), ['vpc-0a1b2c3d4e5f60718 Unknown'], 'the spoke alone: its VPC is not in the inputs (F291 in part)');
  });

  // A VPC written out: a private tier on a table with no route (the controller's to fill), a batch tier whose 0.0.0.0/0
  // goes to a NAT gateway (the controller repoints it when filtering is on), the gateway's public subnet.
  const vpc = `${handBuiltVpc({
    name: 'app',
    cidr: '10.70.0.0/20',
    publicSubnet: 'public',
    publicCidr: '10.70.0.0/26',
    tiers: [{ name: 'app', cidr: '10.70.4.0/24' }],
    batchCidr: '10.70.5.0/24',
  })}
resource "aviatrix_gateway" "egress" {
  cloud_type     = 1
  account_name   = "app-prod"
  gw_name        = "app-egress-gw"
  vpc_id         = aws_vpc.app.id
  vpc_reg        = "eu-west-1"
  gw_size        = "t3.small"
  subnet         = aws_subnet.public.cidr_block
  single_ip_snat = true
}
resource "aviatrix_fqdn" "app" {
  fqdn_tag     = "app-outbound"
  fqdn_mode    = "white"
  fqdn_enabled = true
  gw_filter_tag_list {
    gw_name = aviatrix_gateway.egress.gw_name
  }
  domain_names {
    fqdn  = "registry.example.com"
    proto = "tcp"
    port  = "443"
  }
}
`;

  it("sends a written VPC's private tiers (no default route, or one to a NAT gateway) through the egress gateway", async () => {
    const r = await analyzeFiles({ 'main.tf': vpc });
    assert.deepEqual(states(r), ['aws_vpc.app Protected']);
    const byId = (s: string) => r.egress.find((e) => e.subnet === s)!;
    for (const s of ['aws_subnet.app', 'aws_subnet.batch']) {
      const f = byId(s).forward;
      assert.equal(f.outcome.kind, 'delivered', s);
      assert.deepEqual(
        f.inspectedBy.map((ep) => `${ep.kind} ${ep.element}`),
        ['aviatrix-fqdn aviatrix_gateway.egress'],
        s,
      );
    }
    assert.match(
      byId('aws_subnet.batch').forward.hops[0].note,
      /goes elsewhere than an internet gateway, so the Aviatrix controller points it to egress gateway/,
    );
  });

  it('leaves a standalone gateway without SNAT written (a VPN or site-to-cloud gateway) unmodelled, as before', async () => {
    const vpn = replaceOnce(gateway, ['  single_ip_snat = true\n', '  vpn_access     = true\n']);
    const r = await analyzeFiles({ 'gateway.tf': vpn, 'fqdn.tf': filter });
    assert.deepEqual(states(r), []);
    assert.deepEqual(
      r.parseDiagnostics.filter((d) => d.code === 'unmodelled-resource').map((d) => d.message.split(' ')[0]),
      ['aviatrix_gateway.egress'],
    );
    const off = await analyzeFiles({ 'gateway.tf': replaceOnce(gateway, ['single_ip_snat = true', 'single_ip_snat = false']) });
    assert.deepEqual(states(off), []);
  });

  it("adds no state of its own for an egress gateway whose VPC is an unread module's output (the module's stand-in stands for it)", async () => {
    const r = await analyzeFiles({
      'main.tf': `
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  name   = "egress"
  cidr   = "10.90.0.0/16"
}
${replaceOnce(gateway, ['"vpc-0a1b2c3d4e5f60718"', 'module.vpc.vpc_id'])}`,
    });
    assert.deepEqual(states(r), ['module.vpc Unknown']);
  });

  it('simulates a flow by name against the white list: a listed name leaves, another is dropped at the gateway', async () => {
    const ws = await createWorkspace();
    ws.setFile('main.tf', vpc);
    const b = ws.build();
    const sim = (text: string) => {
      const p = parseFlowSpec(text);
      assert.ok(p.ok);
      return simulate(b.model, new ModelIndex(b.model), p.flow);
    };
    const listed = sim('src=10.70.4.10 dst=https://registry.example.com');
    assert.equal(listed.verdicts[0].decision, 'allow');
    const other = sim('src=10.70.4.10 dst=https://paste.example.net');
    assert.equal(other.verdicts[0].decision, 'deny');
    assert.match(other.verdicts[0].reason, /no white list at app-egress-gw lists paste\.example\.net/);
  });
});
