// A DCF PERMIT that reaches every internet address on one service (TCP 443), or for every name (a WebGroup of `*`),
// before a deny-all limits services, not destinations: Partially Protected, the class the same policy gets on Azure
// Firewall and Network Firewall (review s16 R5). A WebGroup naming a domain keeps the VPC Protected.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

async function prodState(edit?: [string, string]): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles('aviatrix-dcf');
  if (edit) files['dcf.tf'] = replaceOnce(files['dcf.tf'], edit);
  const res = await analyzeFiles(files);
  const s = res.states.find((x) => x.name === 'prod-vpc')!;
  return { state: s.state, reason: s.reason };
}

describe('DCF: a service opened to every internet address', () => {
  before(async () => {
    await initTerraform();
  });

  it('HTTPS to one domain (the example as written) is Protected', async () => {
    assert.equal((await prodState()).state, 'Protected');
  });

  it('HTTPS to every address (no WebGroup) before the deny-all is Partially Protected, naming the policy', async () => {
    const s = await prodState(['    web_groups       = [aviatrix_web_group.ipinfo.uuid]\n', '']);
    assert.equal(s.state, 'Partially Protected');
    assert.match(s.reason, /"prod-https-ipinfo" permit\(s\) some protocols or ports to every internet address before .* denies the rest/);
  });

  it('a WebGroup whose filter is * matches every name: Partially Protected', async () => {
    const s = await prodState(['      snifilter = "ipinfo.io"', '      snifilter = "*"']);
    assert.equal(s.state, 'Partially Protected');
  });
});
