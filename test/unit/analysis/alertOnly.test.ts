// A policy whose only rule alerts (or only watches) sees the traffic and enforces nothing: Monitored, never Protected
// nor Unknown, on every vendor that has such a rule (review s16 R16): a Network Firewall group of one Suricata
// `alert` rule, in default action order and in strict order without a default drop, or an ALERTLIST domain list; a DCF
// policy in watch mode (even one whose action is DENY). Our own inputs.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { initTerraform } from '../../../src/parse/terraform';
import { internetPosture } from '../../../src/analysis/dcf/posture';
import { ANYWHERE, model, policy, smartGroup } from '../../fixtures/dcf/build';

const LIST = `rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets              = [".amazonaws.com", "ipinfo.io"]
      }`;
const STRICT = `stateful_default_actions           = ["aws:drop_established", "aws:alert_established"]`;

async function nfw(source: string, defaults = STRICT): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aws-network-firewall');
  files['main.tf'] = replaceOnce(files['main.tf'], [LIST, source], [STRICT, defaults]);
  const s = (await analyzeFiles(files)).states.find((x) => x.name === 'protected-vpc');
  assert.ok(s);
  return { state: s.state, reason: s.reason };
}

const ONE_ALERT = `rules_string = "alert ip $HOME_NET any -> any any (msg:\\"egress\\"; sid:1;)"`;

describe('a policy that only alerts or watches: Monitored on every vendor (review s16 R16)', function () {
  this.timeout(60000);
  before(async () => {
    await initTerraform();
  });

  it('Network Firewall: one Suricata alert rule, strict order with no default drop: Monitored', async () => {
    const s = await nfw(ONE_ALERT, 'stateful_default_actions           = ["aws:alert_established"]');
    assert.equal(s.state, 'Monitored', s.reason);
    assert.match(s.reason, /1 alert rule logs it/);
    // No default action at all: the same.
    assert.equal((await nfw(ONE_ALERT, '')).state, 'Monitored');
  });

  it('Network Firewall: an ALERTLIST domain list alone (strict order, no default drop): Monitored', async () => {
    const s = await nfw(LIST.replace('"ALLOWLIST"', '"ALERTLIST"'), '');
    assert.equal(s.state, 'Monitored', s.reason);
  });

  it('DCF: a watch-mode policy (even a DENY) before the default permit observes and logs: Monitored (permit-all, logged)', () => {
    const prod = smartGroup('aviatrix_smart_group.prod', [{ cidr: '10.10.0.0/16' }]);
    for (const action of ['deny', 'permit'] as const) {
      const m = model(prod, ANYWHERE, policy('p#watch', 10, action, [prod.id], [ANYWHERE.id], { watch: true }));
      const p = internetPosture(m.index, { cidr: '10.10.0.0/16' }, 'prod');
      assert.equal(p.kind, 'permit-all', p.reason);
      assert.equal(p.logged, true);
      assert.match(p.reason, /^no enabled DCF policy enforces anything on prod; .*; watch-mode "watch" observe\(s\) and log\(s\) it$/);
    }
  });
});
