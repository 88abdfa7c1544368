// An allow-list entry that takes every name (`*`, a wildcard over a top-level domain or a public suffix: `.com`,
// `*.com`, `.co.uk`) lets nearly every host out: on each vendor that allows by name it is read as an allow of every
// destination for the traffic it applies to, the class an allow of `*` already had (review s16 R12): Network Firewall
// domain lists, Azure Firewall application rules, DCF WebGroups. A wildcard over a registered domain
// (`.amazonaws.com`, `*.microsoft.com`) stays a named destination. Our own examples, one entry changed.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { initTerraform } from '../../../src/parse/terraform';

async function stateIn(example: string, file: string, vpc: string, edit?: [string, string]): Promise<{ state: string; reason: string }> {
  const files = exampleTfFiles(example);
  if (edit) files[file] = replaceOnce(files[file], edit);
  const s = (await analyzeFiles(files)).states.find((x) => x.name === vpc);
  assert.ok(s, vpc);
  return { state: s.state, reason: s.reason };
}

describe('allow-list entries that take every name (review s16 R12)', function () {
  this.timeout(60000);
  before(async () => {
    await initTerraform();
  });

  it('Network Firewall: a domain list allowing .com beside the strict default drop passes HTTP/TLS everywhere: Partially Protected; .amazonaws.com stays Protected', async () => {
    const targets = 'targets              = [".amazonaws.com", "ipinfo.io"]';
    const nfw = (list?: string) => stateIn('aws-network-firewall', 'main.tf', 'protected-vpc', list ? [targets, list] : undefined);
    assert.equal((await nfw()).state, 'Protected');
    for (const wide of ['".com"', '".co.uk"', '"*"']) {
      const s = await nfw(`targets              = [".amazonaws.com", ${wide}]`);
      assert.equal(s.state, 'Partially Protected', `${wide}: ${s.reason}`);
      assert.match(s.reason, /ALLOWLIST of 2 domains \(`[^`]+` takes every name( under \.[a-z.]+)?\) passes HTTP\/TLS to any destination/);
    }
  });

  it('Azure Firewall: an application rule to *.com opens the web as * does: Partially Protected; *.microsoft.com stays Protected', async () => {
    const fqdns = 'destination_fqdns = ["packages.microsoft.com", "security.ubuntu.com"]';
    const az = (list: string) => stateIn('azure-hub-spoke-firewall', 'main.tf', 'vnet-spoke-app', [fqdns, `destination_fqdns = [${list}]`]);
    const com = await az('"packages.microsoft.com", "*.com"');
    assert.equal(com.state, 'Partially Protected', com.reason);
    assert.match(
      com.reason,
      /allows HTTP\/HTTPS to any FQDN \(application rule os-updates \(Allow; `\*\.com` takes every name under \.com\)\)/,
    );
    assert.equal((await az('"*.microsoft.com"')).state, 'Protected');
  });

  it('DCF: a WebGroup of *.com on HTTPS to the internet before the deny-all limits services, not destinations: Partially Protected; *.ipinfo.io stays Protected', async () => {
    const sni = 'snifilter = "ipinfo.io"';
    const dcf = (filter: string) => stateIn('aviatrix-dcf', 'dcf.tf', 'prod-vpc', [sni, `snifilter = "${filter}"`]);
    const com = await dcf('*.com');
    assert.equal(com.state, 'Partially Protected', com.reason);
    assert.match(com.reason, /"prod-https-ipinfo" permit\(s\) some protocols or ports to every internet address/);
    assert.equal((await dcf('*.ipinfo.io')).state, 'Protected');
  });
});
