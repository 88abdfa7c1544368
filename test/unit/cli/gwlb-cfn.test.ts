// GWLB designs written as CloudFormation stacks that reference each other through parameters (modelled on
// AWS's and vendors' GWLB samples; the templates are our own): the verdicts an engineer gives by reading them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT } from '../report/helpers';
import { cli, ensureBuilt } from './cliHarness';

const FIX = path.join(ROOT, 'test', 'fixtures', 'gwlb-cfn');

interface Doc {
  findings: { code: string; severity: string; message: string }[];
  states: { name: string; state: string; reason: string }[];
  egress: {
    subnet: string;
    forward: { outcome: { kind: string; reason?: string } };
    return?: { outcome: { kind: string; reason?: string } };
  }[];
}

function analyze(dir: string): Doc {
  const j = cli(['analyze', '.', '--format', 'json', '--fail-on', 'never'], path.join(FIX, dir));
  assert.equal(j.code, 0, j.stderr);
  return JSON.parse(j.stdout) as Doc;
}

function stateOf(doc: Doc, name: string): { state: string; reason: string } {
  const s = doc.states.find((x) => x.name === name);
  assert.ok(s, `no state for ${name}: ${doc.states.map((x) => x.name).join(', ')}`);
  return s;
}

describe('cli: GWLB designs in CloudFormation stacks', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  describe('centralized: inspection VPC behind a transit gateway written in another stack', () => {
    let doc: Doc;
    before(() => {
      doc = analyze('centralized');
    });

    it("no error: the inspection VPC's TGW subnets (attachment in tgw.yaml, through parameters) are not traffic sources", () => {
      assert.deepEqual(
        doc.findings.filter((f) => f.severity === 'error').map((f) => f.message),
        [],
      );
      const sources = doc.egress.map((e) => e.subnet.replace(/^.*#/, ''));
      assert.ok(!sources.includes('TransitSubnetA') && !sources.includes('TransitSubnetB'), sources.join(', '));
    });

    it('a spoke whose default route is written by the TGW stack into a table passed as a parameter is Unknown naming that route, not "dropped: no route"', () => {
      const s = stateOf(doc, 'spoke');
      assert.equal(s.state, 'Unknown');
      assert.match(
        s.reason,
        /may hold route SpokeDefaultToTgw \(tgw\.yaml:\d+\) for 0\.0\.0\.0\/0: it is written for !Ref SpokeWorkloadRtb/,
      );
      const server = doc.egress.find((e) => e.subnet.endsWith('#WorkloadSubnet'))!;
      assert.equal(server.forward.outcome.kind, 'unknown');
      // A table that already has its own default route cannot also hold the other stack's: the jump host is decided.
      const jump = doc.egress.find((e) => e.subnet.endsWith('#JumpSubnet'))!;
      assert.equal(jump.forward.outcome.kind, 'delivered');
      assert.ok(doc.findings.some((f) => f.code === 'uninspected-egress' && /subnet JumpSubnet\b/.test(f.message)));
    });

    it('the inspection VPC is Inspection; its jump host in the NAT subnet is still traced and flagged', () => {
      const s = stateOf(doc, 'InspectionVpc "{StackName}-inspection"');
      assert.equal(s.state, 'Inspection');
      assert.match(s.reason, /EgressSubnetA reaches the internet via Igw without any enforcement point/);
      const uninspected = doc.findings.filter((f) => f.code === 'uninspected-egress').map((f) => f.message);
      assert.ok(
        uninspected.some((m) => /subnet EgressSubnetA\b/.test(m)),
        uninspected.join('\n'),
      );
      assert.ok(!uninspected.some((m) => /EgressSubnetB|FirewallSubnet|TransitSubnet/.test(m)), uninspected.join('\n'));
    });
  });
  it('a custom resource that rewrites the NAT table (inspection before NAT) makes the path Unknown naming it, not an asymmetric-return-bypass', () => {
    const doc = analyze('replace-route');
    assert.deepEqual(
      doc.findings.filter((f) => f.severity === 'error').map((f) => f.message),
      [],
    );
    const s = stateOf(doc, 'egress');
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /NatRtb cannot be decided: Custom::SwapLocalRoute NatLocalToEndpoint \(egress-vpc\.yaml:\d+\) is not modelled/);
    const app = doc.egress.find((e) => e.subnet.endsWith('#AppSubnet'))!;
    assert.equal(app.forward.outcome.kind, 'unknown');
  });

  it('a template deployed by a pipeline of another template gets its parameters: the sensors GWLB in the private subnets makes them the appliance VPC’s, not workloads', () => {
    const doc = analyze('deployed-stack');
    assert.deepEqual(doc.findings, []);
    const s = stateOf(doc, 'ids-vpc');
    assert.equal(s.state, 'Inspection', s.reason);
    assert.match(s.reason, /holds only enforcement points \(SensorLb\)/);
  });

  describe('a custom resource that names the range it rewrites (DestCidr) leaves lookups outside that range decided', () => {
    let doc: Doc;
    before(() => {
      doc = analyze('replace-route-dest');
    });
    const egressOf = (subnet: string) => doc.egress.find((e) => e.subnet.endsWith(`#${subnet}`))!;

    it('the jump host in the NAT subnet reaches the internet uninspected: the rewrite of 10.70.0.0/16 cannot change that', () => {
      assert.equal(egressOf('NatSubnet').forward.outcome.kind, 'delivered');
      const f = doc.findings.filter((x) => x.code === 'uninspected-egress').map((x) => x.message);
      assert.equal(f.length, 1, f.join('\n'));
      assert.match(f[0], /subnet NatSubnet \(10\.70\.0\.10\) reaches the internet through Igw without any enforcement point/);
      assert.deepEqual(
        doc.findings.filter((x) => x.severity === 'error'),
        [],
      );
    });

    it('the workload is inspected on the way out; its reply, inside the rewritten range, is Unknown naming the resource and the range', () => {
      const w = egressOf('WorkloadSubnet');
      assert.equal(w.forward.outcome.kind, 'delivered');
      assert.equal(w.return?.outcome.kind, 'unknown');
      assert.match(
        w.return?.outcome.reason ?? '',
        /^the route to 10\.70\.2\.10 in NatRtb cannot be decided: Custom::EditLocalRoute NatLocalToEndpoint \(egress-vpc\.yaml:\d+\) is not modelled and may change its routes to 10\.70\.0\.0\/16/,
      );
      assert.equal(stateOf(doc, 'egress').state, 'Unknown');
    });

    it('a rewrite whose range is given at deploy time keeps every lookup of its table Unknown', () => {
      const t = egressOf('ToolsSubnet');
      assert.equal(t.forward.outcome.kind, 'unknown');
      assert.match(
        t.forward.outcome.reason ?? '',
        /^the routes of ToolsRtb cannot be decided: Custom::EditLocalRoute ToolsPartnerRoute .* may change them/,
      );
    });
  });
});
