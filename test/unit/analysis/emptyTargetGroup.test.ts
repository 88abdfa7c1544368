// A GWLB whose target group has no target in the inputs (review s15 R12): with nothing in them that registers one (no
// target group attachment, no Auto Scaling group naming it), what the GWLB forwards to is not known, so its paths are
// Unknown naming the empty group; an Auto Scaling group naming the group (Terraform `target_group_arns`, an
// `aws_autoscaling_attachment`, CloudFormation `TargetGroupARNs`) fills it with the appliances it launches.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import type { AnalysisResult } from '../../../src/analysis/types';
import { createWorkspace } from '../../../src/parse/workspace';

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
/** The scored states, at least one (a loop over none would assert nothing: review s17 R9). */
const scored = (r: AnalysisResult) => {
  const out = states(r);
  assert.ok(out.length > 0, `no scored VPC: ${JSON.stringify(r.states.map((s) => [s.name, s.state]))}`);
  return out;
};

describe('a GWLB target group with no target in the inputs (R12)', function () {
  this.timeout(60000);

  it('nothing registers a target: Unknown, naming the empty target group', async () => {
    const base = await analyzeFiles(OK);
    assert.ok(states(base).length > 0 && states(base).every((s) => s.state === 'Protected'), JSON.stringify(states(base)));
    const r = await analyzeFiles(withoutTargets());
    assert.ok(states(r).length > 0);
    for (const s of scored(r)) {
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
    for (const s of scored(r)) assert.equal(s.state, 'Protected', s.reason);
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
    for (const s of scored(att)) assert.equal(s.state, 'Protected', s.reason);
    // So do the provider's traffic_source forms, in the group and as an attachment (review s16 R22); another type does not.
    const noArns = ASG.replace('  target_group_arns   = [aws_lb_target_group.firewall.arn]\n', '');
    const inGroup = await analyzeFiles(
      withoutTargets(
        noArns.replace(
          '  launch_template {',
          '  traffic_source {\n    identifier = aws_lb_target_group.firewall.arn\n    type       = "elbv2"\n  }\n  launch_template {',
        ),
      ),
    );
    for (const s of scored(inGroup)) assert.equal(s.state, 'Protected', s.reason);
    const tsAttachment = (type: string) =>
      analyzeFiles(
        withoutTargets(
          noArns +
            `resource "aws_autoscaling_traffic_source_attachment" "fw" {
  autoscaling_group_name = aws_autoscaling_group.fw.id
  traffic_source {
    identifier = aws_lb_target_group.firewall.arn
    type       = "${type}"
  }
}
`,
        ),
      );
    for (const s of scored(await tsAttachment('elbv2'))) assert.equal(s.state, 'Protected', s.reason);
    for (const s of scored(await tsAttachment('vpc-lattice'))) assert.equal(s.state, 'Unknown', s.reason);
  });

  it('a GWLB to which no target group of the inputs is attached: Unknown too', async () => {
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
    for (const s of scored(r)) {
      assert.equal(s.state, 'Unknown', s.reason);
      assert.match(s.reason, /GWLB .*to which no target group of the inputs is attached: what it forwards to is not known/);
    }
  });
});

describe('CloudFormation: an Auto Scaling group registers into a target group (R12, review s16 R22)', () => {
  const template = (group: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  FwTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: { Protocol: GENEVE, Port: 6081, VpcId: vpc-0123456789abcdef0, TargetType: instance }
  FwGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "4"
${group}
`;
  const registeredBy = async (group: string) => {
    const ws = await createWorkspace();
    ws.setFile('fw.yaml', template(group));
    const tg = ws.build().model.elements.find((e) => e.kind === 'targetGroup');
    return tg?.kind === 'targetGroup' ? tg.registeredBy : undefined;
  };

  it('TargetGroupARNs and TrafficSources of type elbv2 register; another type does not', async () => {
    assert.deepEqual(await registeredBy('      TargetGroupARNs: [!Ref FwTargets]'), ['FwGroup']);
    assert.deepEqual(await registeredBy('      TrafficSources:\n        - Identifier: !Ref FwTargets\n          Type: elbv2'), ['FwGroup']);
    assert.equal(await registeredBy('      TrafficSources:\n        - Identifier: !Ref FwTargets\n          Type: vpc-lattice'), undefined);
  });
});
