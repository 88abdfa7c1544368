// Issue 17 item 5: two exports that disagree about the same id. The diagnostic names both files and
// both values; the answer follows a rule (routing fields Unknown, others the value sorting first)
// and never the order of the file names.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved } from '../../../src/model/types';
import { byId } from './helpers';

const subnet = (cidr: string, name: string) =>
  JSON.stringify({ Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718', VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: cidr, AvailabilityZone: 'eu-west-1a', Tags: [{ Key: 'Name', Value: name }] }] });

async function build(files: Record<string, string>) {
  const ws = await createWorkspace({ terraform: null });
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build();
}

describe('parse: conflicting duplicate exports (issue 17 item 5)', () => {
  it('names both files and values; the routing field is Unknown whichever file sorts first', async () => {
    const results = [];
    for (const [fa, fb] of [
      ['a/describe-subnets.json', 'b/describe-subnets.json'],
      ['b/describe-subnets.json', 'a/describe-subnets.json'],
    ]) {
      const b = await build({ [fa]: subnet('10.0.1.0/24', 'app-old'), [fb]: subnet('10.0.2.0/24', 'app-new') });
      const d = b.diagnostics.find((x) => x.code === 'duplicate-conflict');
      assert.ok(d, JSON.stringify(b.diagnostics));
      assert.equal(d.severity, 'warning');
      // Both files, both values, each value with its file.
      assert.match(d.message, /cidr "10\.0\.[12]\.0\/24" in [ab]\/describe-subnets\.json but "10\.0\.[12]\.0\/24" in [ab]\/describe-subnets\.json/);
      assert.ok(d.message.includes(`"10.0.1.0/24" in ${fa}`) && d.message.includes(`"10.0.2.0/24" in ${fb}`), d.message);
      assert.ok(d.message.includes(`"app-old" in ${fa}`) && d.message.includes(`"app-new" in ${fb}`), d.message);
      const s = byId(b.model.elements, 'subnet-0a1b2c3d4e5f60718');
      assert.ok(s.kind === 'subnet' && isUnresolved(s.cidr) && /exports disagree/.test(s.cidr.reason), JSON.stringify(s));
      results.push({ cidr: s.kind === 'subnet' && isUnresolved(s.cidr) ? s.cidr.text : '', name: s.name });
    }
    // The same answer whichever file name sorts first.
    assert.deepEqual(results[0], results[1]);
    assert.deepEqual(results[0], { cidr: '10.0.1.0/24 | 10.0.2.0/24', name: 'app-new' });
  });

  it('agreeing exports of one object still combine without a word', async () => {
    const b = await build({ 'a/describe-subnets.json': subnet('10.0.1.0/24', 'app'), 'b/describe-subnets.json': subnet('10.0.1.0/24', 'app') });
    assert.equal(b.diagnostics.filter((x) => /duplicate/.test(x.code)).length, 0);
    const s = byId(b.model.elements, 'subnet-0a1b2c3d4e5f60718');
    assert.ok(s.kind === 'subnet' && s.cidr === '10.0.1.0/24');
  });
});
