// F101: in an AWS VPC whose Aviatrix spoke gateway does SNAT (local egress), the controller programs 0.0.0.0/0 ->
// the gateway into the private route tables (those without a default route of their own). Single IP SNAT does;
// customized SNAT policies toward 0.0.0.0/0 do unless apply_route_entry = false, and not into a table their
// exclude_rtb names. What the inputs cannot decide is Unknown, never "dropped: no route".
import * as assert from 'node:assert/strict';
import type { AnalysisResult, SubnetEgress } from '../../../src/analysis/types';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { handBuiltVpc } from './handBuiltVpc';

/**
 * A spoke VPC built by hand: the gateway's public subnet, two private tiers on tables with no route at all (the
 * controller's to fill), and a batch tier whose table sends 0.0.0.0/0 to a NAT gateway of its own.
 */
const vpc = `${handBuiltVpc({
  name: 'spoke',
  cidr: '10.40.0.0/20',
  publicSubnet: 'gw',
  publicCidr: '10.40.0.0/28',
  tiers: [
    { name: 'app', cidr: '10.40.4.0/24', table: '  lifecycle {\n    ignore_changes = [route]\n  }' },
    { name: 'data', cidr: '10.40.5.0/24' },
  ],
  batchCidr: '10.40.6.0/24',
})}
variable "snat" {
  type = bool
}
variable "excluded" {
  type = string
}
`;

const gateway = (snat: string) => `
resource "aviatrix_spoke_gateway" "spoke" {
  cloud_type     = 1
  account_name   = "aws"
  gw_name        = "spoke-eu"
  vpc_id         = aws_vpc.spoke.id
  vpc_reg        = "eu-west-1"
  gw_size        = "t3.medium"
  subnet         = aws_subnet.gw.cidr_block
  ${snat}
}
`;

/** Customized SNAT of the spoke gateway: its policies, each with these extra attributes. */
const customized = (...extras: string[]) => `
resource "aviatrix_gateway_snat" "spoke" {
  gw_name   = aviatrix_spoke_gateway.spoke.gw_name
  snat_mode = "customized_snat"
${extras
  .map(
    (extra) => `  snat_policy {
    src_cidr   = "10.40.0.0/20"
    dst_cidr   = "0.0.0.0/0"
    protocol   = "all"
    interface  = "eth0"
    connection = ""
    snat_ips   = aviatrix_spoke_gateway.spoke.private_ip
    ${extra}
  }
`,
  )
  .join('')}}
`;

const run = (...texts: string[]): Promise<AnalysisResult> => analyzeFiles({ 'main.tf': vpc + texts.join('\n') });
const path = (r: AnalysisResult, subnet: string): SubnetEgress => {
  const e = r.egress.find((x) => x.subnet === `aws_subnet.${subnet}`);
  assert.ok(e, subnet);
  return e;
};
const reason = (r: AnalysisResult, subnet: string): string => {
  const o = path(r, subnet).forward.outcome;
  return 'reason' in o ? o.reason : '';
};
const outcome = (r: AnalysisResult, subnet: string): string => {
  const e = path(r, subnet);
  return `${e.forward.outcome.kind} ${e.forward.hops.map((h) => h.name).join(' > ')}`;
};

describe("the Aviatrix controller default route in an AWS spoke VPC's private route tables (F101)", function () {
  this.timeout(30000);

  it('single IP SNAT: both private tables reach the internet through the spoke gateway (DCF); the NAT table is Unknown', async () => {
    const r = await run(gateway('single_ip_snat = true'));
    for (const s of ['app', 'data']) {
      assert.equal(outcome(r, s), `delivered ${s} > spoke-eu > internet`, s);
      const e = path(r, s);
      assert.deepEqual(
        e.forward.inspectedBy.map((p) => p.kind),
        ['aviatrix-dcf'],
      );
      assert.equal(e.return?.outcome.kind, 'delivered', s);
      assert.match(
        e.forward.hops[0].note,
        /has no route of its own for 8\.8\.8\.8: the Aviatrix controller programs 0\.0\.0\.0\/0 -> spoke gateway spoke-eu into its VPC's private route tables \(single IP SNAT\)/,
      );
      assert.deepEqual(e.forward.hops[0].decision, {
        routeTable: `aws_route_table.${s}`,
        destination: '0.0.0.0/0',
        target: 'spoke-eu',
        association: 'explicit',
      });
    }
    // Its 0.0.0.0/0 goes to a NAT gateway, not an IGW: private to the controller, which programs its own route there.
    assert.equal(outcome(r, 'batch'), 'unknown batch');
    assert.match(
      reason(r, 'batch'),
      /^route table batch sends 0\.0\.0\.0\/0 to nat, not to an internet gateway, so the Aviatrix controller counts it as a private route table and programs 0\.0\.0\.0\/0 -> spoke gateway spoke-eu into it \(single IP SNAT\): which of the two routes the table holds once the controller has run is not known offline/,
    );
    assert.ok(!r.findings.some((f) => f.code === 'uninspected-egress' && f.traces?.some((t) => t.includes('batch'))));
  });

  it('a table with its own 0.0.0.0/0 elsewhere keeps it when nothing is programmed or exclude_rtb keeps it out', async () => {
    const off = await run(gateway('single_ip_snat = false'));
    assert.match(outcome(off, 'batch'), /^delivered batch > .*nat/);
    const excluded = await run(gateway(''), customized('exclude_rtb = aws_route_table.batch.id'));
    assert.match(outcome(excluded, 'batch'), /^delivered batch > .*nat/);
    assert.equal(outcome(excluded, 'app'), 'delivered app > spoke-eu > internet');
    const undecided = await run(gateway('single_ip_snat = var.snat'));
    assert.equal(outcome(undecided, 'batch'), 'unknown batch');
    assert.match(
      reason(undecided, 'batch'),
      /not to an internet gateway.*cannot be decided offline.*: if it does, its route replaces that one/,
    );
  });

  it('SNAT off: no default route is programmed, the private tables drop internet traffic as written', async () => {
    for (const snat of ['single_ip_snat = false', '']) {
      const r = await run(gateway(snat));
      assert.equal(outcome(r, 'app'), 'dropped app', snat);
      assert.equal(reason(r, 'app').includes('no route'), true, snat);
    }
  });

  it('SNAT not decidable offline: Unknown, never dropped', async () => {
    const r = await run(gateway('single_ip_snat = var.snat'));
    assert.equal(path(r, 'app').forward.outcome.kind, 'unknown');
    assert.match(reason(r, 'app'), /spoke gateway spoke-eu/);
  });

  it("a private destination is not the controller default route's to decide: still no route", async () => {
    const ws = await import('../../../src/parse/workspace');
    const { analyze } = await import('../../../src/analysis/analyze');
    const w = await ws.createWorkspace();
    w.setFile('main.tf', vpc + gateway('single_ip_snat = true'));
    const b = w.build();
    const r = analyze(b.model, { destination: '172.20.1.1' }, b.diagnostics);
    assert.equal(path(r, 'app').forward.outcome.kind, 'dropped');
  });

  it('customized SNAT policies toward 0.0.0.0/0 program it; apply_route_entry = false on every one does not', async () => {
    const on = await run(gateway(''), customized('', ''));
    assert.equal(outcome(on, 'app'), 'delivered app > spoke-eu > internet');
    assert.match(path(on, 'app').forward.hops[0].note, /\(customized SNAT at main\.tf:\d+\)/);
    const off = await run(gateway(''), customized('apply_route_entry = false', 'apply_route_entry = false'));
    assert.equal(outcome(off, 'app'), 'dropped app');
    // One policy that applies its route entry is enough.
    const mixed = await run(gateway(''), customized('apply_route_entry = false', ''));
    assert.equal(outcome(mixed, 'app'), 'delivered app > spoke-eu > internet');
  });

  it('exclude_rtb keeps the default route out of the table it names, when every policy names it', async () => {
    const r = await run(gateway(''), customized('exclude_rtb = aws_route_table.data.id'));
    assert.equal(outcome(r, 'app'), 'delivered app > spoke-eu > internet');
    assert.equal(outcome(r, 'data'), 'dropped data');
    const other = await run(gateway(''), customized('exclude_rtb = aws_route_table.data.id', ''));
    assert.equal(outcome(other, 'data'), 'delivered data > spoke-eu > internet');
  });

  it('an edit of exclude_rtb alone (AviatrixGateway.privateDefaultRouteExcluded) is seen by the incremental analysis as by a fresh one', async () => {
    const ws = await createWorkspace();
    const an = createAnalyzer();
    ws.setFile('main.tf', vpc + gateway('') + customized('exclude_rtb = aws_route_table.data.id'));
    const before = ws.build().model;
    const r0 = an.analyze(before);
    assert.equal(outcome(r0, 'data'), 'dropped data');
    ws.setFile('main.tf', vpc + gateway('') + customized('exclude_rtb = aws_route_table.app.id'));
    const after = ws.build().model;
    // Only the gateway changed: the index is moved over in place (no field it reads changed) and the traces
    // that asked for the VPC's gateways are traced again.
    const changed = after.elements.filter((e, i) => e !== before.elements[i]);
    assert.deepEqual(
      changed.map((e) => e.kind),
      ['aviatrixGateway'],
    );
    const r = an.analyze(after);
    assert.equal(outcome(r, 'data'), 'delivered data > spoke-eu > internet');
    assert.equal(outcome(r, 'app'), 'dropped app');
    const fresh = analyze(after);
    assert.deepEqual(r.egress, fresh.egress);
    assert.deepEqual(r.states, fresh.states);
  });

  it('a literal exclude_rtb id may be a Terraform table, whose id is known after apply only: Unknown', async () => {
    const r = await run(gateway(''), customized('exclude_rtb = "rtb-0a1b2c3d4e5f67890"'));
    for (const s of ['app', 'data']) {
      assert.equal(path(r, s).forward.outcome.kind, 'unknown', s);
      assert.match(reason(r, s), /exclude_rtb/, s);
    }
    // A policy that names no table leaves it programmed whatever the other one names.
    const other = await run(gateway(''), customized('exclude_rtb = "rtb-0a1b2c3d4e5f67890"', ''));
    assert.equal(outcome(other, 'data'), 'delivered data > spoke-eu > internet');
  });

  it('an exclude_rtb or apply_route_entry not decidable offline: Unknown', async () => {
    const r = await run(gateway(''), customized('exclude_rtb = var.excluded'));
    assert.equal(path(r, 'app').forward.outcome.kind, 'unknown');
    assert.match(reason(r, 'app'), /exclude_rtb/);
    const apply = await run(gateway(''), customized('apply_route_entry = var.snat'));
    assert.equal(path(apply, 'data').forward.outcome.kind, 'unknown');
  });

  it('an mc-spoke gateway in the existing VPC with customized SNAT named by the module output (as the EKS blueprint)', async () => {
    const r = await run(
      `module "spoke" {
  source           = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  cloud            = "AWS"
  name             = "spoke-eu"
  region           = "eu-west-1"
  account          = "aws"
  ha_gw            = false
  use_existing_vpc = true
  vpc_id           = aws_vpc.spoke.id
  gw_subnet        = aws_subnet.gw.cidr_block
}`,
      replaceOnce(customized(''), ['gw_name   = aviatrix_spoke_gateway.spoke.gw_name', 'gw_name   = module.spoke.spoke_gateway.gw_name']),
    );
    assert.equal(outcome(r, 'app'), 'delivered app > spoke-eu > internet');
    assert.equal(outcome(r, 'data'), 'delivered data > spoke-eu > internet');
  });
});
