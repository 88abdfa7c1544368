// GWLB endpoints whose service is a Palo Alto Cloud NGFW's (`endpoint_mode = "CustomerManaged"`: the user creates
// the endpoints from the firewall's `endpoint_service_name`). The firewall's policy is its rulestack, which the
// model does not read: the paths through it are Unknown naming the firewall, never Protected on the strength of
// "appliance policy not in the inputs" (field: a Cloud NGFW whose rulestack is a logged allow-all was called Protected).
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';

const SERVICE = 'service_name      = aws_vpc_endpoint_service.firewall.service_name';

function withCloudNgfw(): Record<string, string> {
  const files = exampleTfFiles('aws-distributed-egress-ok');
  assert.equal(files['workload.tf'].split(SERVICE).length, 3, 'both endpoints name the example service');
  files['workload.tf'] = files['workload.tf'].split(SERVICE).join('service_name      = cloudngfwaws_ngfw.shared.endpoint_service_name');
  files['ngfw.tf'] = `resource "cloudngfwaws_ngfw" "shared" {
  name          = "shared-ngfw"
  endpoint_mode = "CustomerManaged"
  rulestack     = "egress-rules"
}
`;
  return files;
}

describe('analysis: GWLB endpoints of a Cloud NGFW service', () => {
  it('the example as written: its VPC is judged on the GWLB appliance (not Unknown)', async () => {
    const r = await analyzeFiles(exampleTfFiles('aws-distributed-egress-ok'));
    const states = r.states.filter((s) => s.reason.includes('inspected by GWLB firewall'));
    assert.ok(states.length > 0);
    assert.ok(states.every((s) => s.state !== 'Unknown'));
  });

  it("with the endpoints on a Cloud NGFW's service, the VPC is Unknown naming the firewall and its unread rulestack", async () => {
    const r = await analyzeFiles(withCloudNgfw());
    const vpc = r.states.find((s) => s.reason.includes('GWLB firewall'));
    assert.ok(vpc, JSON.stringify(r.states.map((s) => [s.state, s.reason])));
    assert.equal(vpc.state, 'Unknown');
    assert.match(
      vpc.reason,
      /whose service is Palo Alto Cloud NGFW cloudngfwaws_ngfw\.shared: its rulestack decides what passes and is not read/,
    );
    assert.doesNotMatch(vpc.reason, /appliance policy not in the inputs/);
  });
});
