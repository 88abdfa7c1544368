// A GWLB whose target group has no target in the inputs (review s15 R12): with nothing in them that registers one (no
// target group attachment, no Auto Scaling group naming it), what the GWLB forwards to is not known, so its paths are
// Unknown naming the empty group; an Auto Scaling group naming the group (Terraform `target_group_arns`, an
// `aws_autoscaling_attachment`, CloudFormation `TargetGroupARNs`) fills it with the appliances it launches.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';

const OK = exampleTfFiles('aws-distributed-egress-ok');

const ATTACHMENT = `resource "aws_lb_target_group_attachment" "firewall" {
  count = 2

  target_group_arn = aws_lb_target_group.firewall.arn
  target_id        = aws_instance.firewall[count.index].id
}
`;

/** The example without its target group attachments (and so without appliances the GWLB names), plus `extra`. */
function withoutTargets(extra = ''): Record<string, string> {
  return { ...OK, 'inspection.tf': replaceOnce(OK['inspection.tf'], [ATTACHMENT, extra]) };
}

const ASG = `resource "aws_launch_template" "fw" {
  image_id      = var.firewall_ami
  instance_type = "c6i.large"
}

resource "aws_autoscaling_group" "fw" {
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = local.fw_subnet_ids
  target_group_arns   = [aws_lb_target_group.firewall.arn]
  launch_template {
    id = aws_launch_template.fw.id
  }
}
`;

const states = (r: AnalysisResult) => r.states.filter((s) => s.state !== 'Inspection' && s.state !== 'Egress hub');

describe('a GWLB target group with no target in the inputs (R12)', function () {
  this.timeout(60000);

  it('nothing registers a target: Unknown, naming the empty target group', async () => {
    const base = await analyzeFiles(OK);
    assert.ok(states(base).length > 0 && states(base).every((s) => s.state === 'Protected'), JSON.stringify(states(base)));
    const r = await analyzeFiles(withoutTargets());
    assert.ok(states(r).length > 0);
    for (const s of states(r)) {
      assert.equal(s.state, 'Unknown', s.reason);
      assert.match(
        s.reason,
        /target group aws_lb_target_group\.firewall \(inspection\.tf:\d+\), which has no target in the inputs and nothing in them registers one .*what it forwards to is not known/,
      );
    }
    assert.ok(!r.findings.some((f) => f.severity === 'error'), r.findings.map((f) => f.code).join(', '));
  });

  it('an Auto Scaling group naming the target group registers its instances: enforced, as before', async () => {
    const r = await analyzeFiles(withoutTargets(ASG));
    for (const s of states(r)) assert.equal(s.state, 'Protected', s.reason);
    const tg = r.model.elements.find((e) => e.id === 'aws_lb_target_group.firewall');
    assert.deepEqual(tg?.kind === 'targetGroup' ? tg.registeredBy : undefined, ['aws_autoscaling_group.fw']);
    // An aws_autoscaling_attachment does the same.
    const att = await analyzeFiles(
      withoutTargets(
        ASG.replace('  target_group_arns   = [aws_lb_target_group.firewall.arn]\n', '') +
          `resource "aws_autoscaling_attachment" "fw" {
  autoscaling_group_name = aws_autoscaling_group.fw.id
  lb_target_group_arn    = aws_lb_target_group.firewall.arn
}
`,
      ),
    );
    for (const s of states(att)) assert.equal(s.state, 'Protected', s.reason);
  });

  it('a GWLB no target group of the inputs is attached to: Unknown too', async () => {
    const r = await analyzeFiles({
      ...OK,
      'inspection.tf': replaceOnce(
        OK['inspection.tf'],
        [ATTACHMENT, ''],
        [
          '    target_group_arn = aws_lb_target_group.firewall.arn\n  }\n}',
          '    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fw/abc"\n  }\n}',
        ],
      ),
    });
    for (const s of states(r)) {
      assert.equal(s.state, 'Unknown', s.reason);
      assert.match(s.reason, /GWLB .*to which no target group of the inputs is attached: what it forwards to is not known/);
    }
  });
});
