// A GWLB endpoint whose subnet is written apart from it, in an `aws_vpc_endpoint_subnet_association` (the endpoint
// has no `subnet_ids`): the endpoint sits in that subnet, which is then plumbing, not an empty workload subnet, and
// the workload subnets' paths through it are traced as with `subnet_ids`. Field: a Cisco FTDv autoscaling design
// whose app VPC's endpoint was placed this way (its endpoint subnet drew a warning whose fix sent it through a NAT
// GW and a second endpoint). Configurations written for these tests on our own example.
import * as assert from 'node:assert/strict';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';

const EXAMPLE = 'aws-distributed-egress-ok';

/** The example with endpoint `gwlbe_<az>` placed by an association resource instead of its own subnet_ids. */
function withAssociation(az: 'a' | 'b', association = true): Record<string, string> {
  const files = exampleTfFiles(EXAMPLE);
  files['workload.tf'] = replaceOnce(files['workload.tf'], [`  subnet_ids        = [aws_subnet.gwlbe_${az}.id]\n`, '']);
  if (association)
    files['assoc.tf'] = `resource "aws_vpc_endpoint_subnet_association" "gwlbe_${az}" {
  vpc_endpoint_id = aws_vpc_endpoint.gwlbe_${az}.id
  subnet_id       = aws_subnet.gwlbe_${az}.id
}
`;
  return files;
}

describe('GWLB endpoint placed by aws_vpc_endpoint_subnet_association', () => {
  it('gives the same states, findings and paths as subnet_ids on the endpoint', async () => {
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    const r = await analyzeFiles(withAssociation('a'));
    assert.deepEqual(
      r.states.map((s) => [s.vpc, s.state]),
      base.states.map((s) => [s.vpc, s.state]),
    );
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.message]),
      base.findings.map((f) => [f.code, f.severity, f.message]),
    );
    const hops = (x: typeof r) =>
      x.egress.map((e) => [
        e.subnet,
        e.forward.outcome.kind,
        e.forward.hops.map((h) => h.element).join(' '),
        e.return?.hops.map((h) => h.element).join(' '),
      ]);
    assert.deepEqual(hops(r), hops(base));
  });

  it('without the association the endpoint has no subnet: the path through it is not decided (as before)', async () => {
    const r = await analyzeFiles(withAssociation('a', false));
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    assert.notDeepEqual(
      r.states.map((s) => [s.vpc, s.state]),
      base.states.map((s) => [s.vpc, s.state]),
    );
  });

  it('an endpoint that writes its own subnet_ids keeps them', async () => {
    const files = exampleTfFiles(EXAMPLE);
    // An association naming another subnet of the VPC: the endpoint's own subnet_ids win.
    files['assoc.tf'] = `resource "aws_vpc_endpoint_subnet_association" "other" {
  vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id
  subnet_id       = aws_subnet.gwlbe_b.id
}
`;
    const base = await analyzeFiles(exampleTfFiles(EXAMPLE));
    const r = await analyzeFiles(files);
    const hops = (x: typeof r) =>
      x.egress.map((e) => [
        e.subnet,
        e.forward.outcome.kind,
        e.forward.hops.map((h) => h.element).join(' '),
        e.return?.hops.map((h) => h.element).join(' '),
      ]);
    assert.deepEqual(hops(r), hops(base));
  });
});
