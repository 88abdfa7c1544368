import * as assert from 'assert';
import { parseFlowSpec, simulate } from '../../../src/analysis/simulate';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import type { FlowSpec } from '../../../src/analysis/types';
import type { NetworkModel } from '../../../src/model/types';
import { loadExample } from '../../fixtures/dcf/examples';

function flow(text: string): FlowSpec {
  const p = parseFlowSpec(text);
  if (!p.ok) throw new Error(p.error);
  return p.flow;
}

describe('flow simulation', () => {
  describe('parseFlowSpec', () => {
    it('reads key=value pairs', () => {
      assert.deepStrictEqual(parseFlowSpec('src=10.0.1.15 dst=8.8.8.8 proto=icmp port=443'), {
        ok: true,
        flow: { source: '10.0.1.15', destination: '8.8.8.8', protocol: 'icmp' },
      });
      assert.deepStrictEqual(parseFlowSpec('source=aws_subnet.app_a destination=example.com protocol=TCP port=8443 sni=api.example.com'), {
        ok: true,
        flow: { source: 'aws_subnet.app_a', destination: 'example.com', protocol: 'tcp', port: 8443, label: 'api.example.com' },
      });
    });
    it('reads URLs and the reference test commands', () => {
      assert.deepStrictEqual(flow('src=10.0.1.15 dst=https://ipinfo.io'), {
        source: '10.0.1.15',
        destination: 'ipinfo.io',
        protocol: 'tcp',
        port: 443,
      });
      assert.deepStrictEqual(flow('src=10.0.1.15 curl http://ipinfo.io/json'), {
        source: '10.0.1.15',
        destination: 'ipinfo.io',
        protocol: 'tcp',
        port: 80,
      });
      assert.deepStrictEqual(flow('src=10.0.1.15 dst=http://1.2.3.4:8080/x'), {
        source: '10.0.1.15',
        destination: '1.2.3.4',
        protocol: 'tcp',
        port: 8080,
      });
      assert.deepStrictEqual(flow('ping 8.8.8.8 src=10.0.1.15'), { source: '10.0.1.15', destination: '8.8.8.8', protocol: 'icmp' });
      assert.deepStrictEqual(flow('src=10.0.1.15 dst=8.8.8.8 port=53 proto=udp'), {
        source: '10.0.1.15',
        destination: '8.8.8.8',
        protocol: 'udp',
        port: 53,
      });
    });
    it('explains what is wrong', () => {
      const err = (t: string) => {
        const p = parseFlowSpec(t);
        assert.ok(!p.ok, t);
        return p.error;
      };
      assert.match(err('dst=8.8.8.8 proto=icmp'), /missing src/);
      assert.match(err('src=10.0.1.15 proto=icmp'), /missing dst/);
      assert.match(err('src=10.0.1.15 dst=8.8.8.8 proto=gre'), /proto must be tcp, udp or icmp/);
      assert.match(err('src=10.0.1.15 dst=8.8.8.8 proto=tcp'), /port= is required/);
      assert.match(err('src=10.0.1.15 dst=8.8.8.8 proto=tcp port=70000'), /port must be 1-65535/);
      assert.match(err('src=10.0.1.15 dst=not_a_host proto=icmp'), /neither an IP address nor a domain/);
      assert.match(err('src=10.0.1.15 dst=8.8.8.8 color=red'), /unknown key "color"/);
      assert.match(err('hello'), /unexpected "hello"/);
    });
  });

  describe('the reference test flows on examples/aviatrix-dcf', () => {
    let model: NetworkModel;
    let index: ModelIndex;
    before(async () => {
      model = await loadExample('aviatrix-dcf');
      index = new ModelIndex(model);
    });
    const run = (text: string) => simulate(model, index, flow(text));

    it('ping 8.8.8.8 is allowed by prod-icmp-us at the prod spoke', () => {
      const s = run('src=10.10.0.10 ping 8.8.8.8');
      assert.strictEqual(s.outcome, 'allowed');
      assert.deepStrictEqual(
        s.verdicts.map((v) => [v.at, v.decision, v.policyName]),
        [['aviatrix_spoke_gateway.prod', 'allow', 'prod-icmp-us']],
      );
      assert.match(
        s.summary,
        /^icmp 10\.10\.0\.10 -> 8\.8\.8\.8: allowed at prod-spoke \(policy "prod-icmp-us" \(priority 110, PERMIT\)\)$/,
      );
      assert.strictEqual(s.forward.outcome.kind, 'delivered');
      assert.ok(s.return, 'an allowed flow carries its return trace');
      assert.ok(s.forward.hops.some((h) => h.kind === 'aviatrixGateway' && h.enforcement?.kind === 'aviatrix-dcf'));
    });
    it('curl http://ipinfo.io is denied by prod-deny-all (TCP 80 matches only priority 1000)', () => {
      const s = run('src=10.10.0.10 curl http://ipinfo.io');
      assert.strictEqual(s.outcome, 'denied');
      assert.deepStrictEqual(
        s.verdicts.map((v) => [v.decision, v.policyName]),
        [['deny', 'prod-deny-all']],
      );
      assert.match(s.summary, /denied at prod-spoke by policy "prod-deny-all" \(priority 1000, DENY\)/);
      assert.strictEqual(s.return, undefined);
    });
    it('curl https://ipinfo.io is allowed by the WebGroup policy', () => {
      const s = run('src=10.10.0.10 curl https://ipinfo.io');
      assert.strictEqual(s.outcome, 'allowed');
      assert.deepStrictEqual(
        s.verdicts.map((v) => [v.decision, v.policyName]),
        [['allow', 'prod-https-ipinfo']],
      );
    });
    it('https to another FQDN is denied: the allowance is only because the WebGroup names ipinfo.io', () => {
      const s = run('src=10.10.0.10 curl https://example.com');
      assert.strictEqual(s.outcome, 'denied');
      assert.strictEqual(s.verdicts[0].policyName, 'prod-deny-all');
    });
    it('ping to an address outside the US group is denied', () => {
      assert.strictEqual(run('src=10.10.0.10 ping 1.1.1.1').outcome, 'denied');
    });
    it('dev (permit-all) allows anything; shared denies everything', () => {
      const dev = run('src=10.20.0.10 dst=203.0.113.9 proto=tcp port=22');
      assert.strictEqual(dev.outcome, 'allowed');
      assert.strictEqual(dev.verdicts[0].policyName, 'dev-permit-all-logged');
      const shared = run('src=10.50.0.10 curl https://ipinfo.io');
      assert.strictEqual(shared.outcome, 'denied');
      assert.strictEqual(shared.verdicts[0].policyName, 'shared-deny-internet');
    });
    it('analytics (no policy) falls to the default action', () => {
      const s = run('src=10.30.0.10 ping 8.8.8.8');
      assert.strictEqual(s.outcome, 'allowed');
      assert.strictEqual(s.verdicts[0].policy, undefined);
      assert.match(s.verdicts[0].reason, /default action rule permits/);
    });
    it('a source outside every VPC is unknown', () => {
      const s = run('src=192.168.77.1 ping 8.8.8.8');
      assert.strictEqual(s.outcome, 'unknown');
      assert.match(s.summary, /no subnet or VPC of the inputs holds 192\.168\.77\.1/);
    });
  });

  describe('other enforcement points', () => {
    it('a GWLB firewall path is unknown: the appliance policy is not in the inputs', async () => {
      const model = await loadExample('aws-distributed-egress-ok');
      const s = simulate(model, new ModelIndex(model), flow('src=10.0.1.15 ping 8.8.8.8'));
      assert.strictEqual(s.outcome, 'unknown');
      assert.strictEqual(s.verdicts.length, 1);
      assert.strictEqual(s.verdicts[0].decision, 'unknown');
      assert.match(s.verdicts[0].reason, /policy is not in the inputs/);
      assert.ok(s.return);
    });
    it('a path with no enforcement point is allowed and says so', async () => {
      const model = await loadExample('aws-distributed-egress-asymmetric');
      const s = simulate(model, new ModelIndex(model), flow('src=10.0.30.15 ping 8.8.8.8'));
      assert.strictEqual(s.outcome, 'allowed');
      assert.deepStrictEqual(s.verdicts, []);
      assert.match(s.summary, /no enforcement point on the path/);
    });
  });
});
