// hasBootstrapPolicy (the states' cheap question "does a firewall VM at this enforcement point carry a bootstrap
// policy that was read") answers exactly when appliancePosture is defined, on every enforcement point of every
// traced path: the bundled examples and the FortiGate-behind-a-GWLB fixture with its policy, without it, with a
// templated one, and with a second target that writes none (a flow may land on either: the posture is unknown).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appliancePosture, hasBootstrapPolicy } from '../../../src/analysis/firewallPolicy/bootstrap';
import { analyze } from '../../../src/analysis/analyze';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { createWorkspace } from '../../../src/parse/workspace';
import type { NetworkModel } from '../../../src/model/types';
import { exampleFiles, repoRoot } from '../parse/helpers';

/** Every enforcement point of every traced path: [predicate, posture defined]. */
function answers(model: NetworkModel): { ep: string; cheap: boolean; full: boolean }[] {
  const index = new ModelIndex(model);
  const out: { ep: string; cheap: boolean; full: boolean }[] = [];
  for (const e of analyze(model).egress)
    for (const ep of [...e.forward.inspectedBy, ...(e.return?.inspectedBy ?? [])])
      out.push({ ep: `${ep.kind} ${ep.element}`, cheap: hasBootstrapPolicy(index, ep), full: appliancePosture(index, ep) !== undefined });
  return out;
}

describe('hasBootstrapPolicy answers as appliancePosture !== undefined', () => {
  it('on every enforcement point of the bundled examples', async () => {
    let points = 0;
    for (const folder of fs.readdirSync(path.join(repoRoot(), 'examples'), { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      const ws = await createWorkspace();
      for (const [file, text] of exampleFiles(folder.name)) ws.setFile(file, text);
      for (const a of answers(ws.build().model)) {
        assert.equal(a.cheap, a.full, `${folder.name}: ${a.ep}`);
        points++;
      }
    }
    assert.ok(points > 20, `only ${points} enforcement points`);
  });

  it('behind a GWLB whose FortiGate writes its policy, does not, templates it, or shares the target group with one that does not', async () => {
    const fixture = path.join(repoRoot(), 'test', 'fixtures', 'fortios-gwlb');
    const read = (p: string) => fs.readFileSync(path.join(fixture, p), 'utf8');
    const second = `
resource "aws_instance" "fortigate_b" {
  ami           = "ami-0fortigate0000000"
  instance_type = "c6i.large"
  subnet_id     = aws_subnet.fgt_data.id
  private_ip    = "10.200.1.50"
}

resource "aws_lb_target_group_attachment" "fgt_b" {
  target_group_arn = aws_lb_target_group.fgt.arn
  target_id        = aws_instance.fortigate_b.id
}
`;
    const seen = new Set<string>();
    for (const [variant, conf, extra] of [
      ['none', undefined, ''],
      ['monitored', read('monitored/fortigate.conf'), ''],
      ['templated', read('templated/fortigate.conf'), ''],
      ['mixed', read('monitored/fortigate.conf'), second],
    ] as const) {
      const ws = await createWorkspace();
      ws.setFile('modules/estate/main.tf', read('modules/estate/main.tf') + extra);
      ws.setFile('root/main.tf', read('monitored/main.tf'));
      ws.build();
      if (conf !== undefined) ws.setFile('root/fortigate.conf', conf);
      const b = ws.build();
      const gwlb = answers(b.model).filter((a) => a.ep.startsWith('gwlb-firewall'));
      assert.ok(gwlb.length > 0, variant);
      for (const a of gwlb) {
        assert.equal(a.cheap, a.full, `${variant}: ${a.ep}`);
        seen.add(`${variant}:${a.cheap}`);
      }
      if (variant === 'mixed') {
        const st = analyze(b.model, {}, b.diagnostics).states.find((s) => s.name === 'workload');
        assert.equal(st?.state, 'Unknown');
        assert.match(st?.reason ?? '', /policy is not in the inputs, and a flow may land on either/);
      }
    }
    assert.deepEqual([...seen].sort(), ['mixed:true', 'monitored:true', 'none:false', 'templated:true']);
  });
});
