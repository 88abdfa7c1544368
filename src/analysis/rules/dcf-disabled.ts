// DCF policies exist but distributed firewalling is not switched on: none of them is enforced.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { allPolicies, dcfEnablement } from '../dcf/policies';
import { attrLocation, elementLabel, policyName, replaceAttr } from '../dcf/ruleSupport';

const doc = `Fires when the inputs define Distributed Cloud Firewall policies (an
\`aviatrix_distributed_firewalling_policy_list\`, \`aviatrix_dcf_ruleset\` or controller export rules) but
distributed firewalling is not enabled: \`aviatrix_distributed_firewalling_config\` sets
\`enable_distributed_firewalling = false\`, or no such resource exists (the provider's default is false).
Until DCF is enabled the spoke gateways enforce none of the policies, so every VPC that egresses through
them leaves unfiltered however strict the policy list looks. Fix: set
\`enable_distributed_firewalling = true\` (or add the config resource).`;

function check(ctx: RuleContext): RawFinding[] {
  const policies = allPolicies(ctx.model.elements);
  if (policies.length === 0) return [];
  const en = dcfEnablement(ctx.model.elements);
  if (en.state === 'enabled' || en.state === 'unknown') return [];
  const sample = policies.slice(0, 3).map(policyName).join(', ') + (policies.length > 3 ? ', ...' : '');
  const first = policies[0];
  const related = policies.slice(0, 5).map((p) => ({ location: p.loc, message: `DCF policy ${policyName(p)} is not enforced` }));
  if (en.state === 'disabled') {
    const cfg = en.config;
    return [
      {
        message: `${policies.length} DCF ${policies.length === 1 ? 'policy exists' : 'policies exist'} (${sample}) but ${elementLabel(cfg)} sets enable_distributed_firewalling = false: none of them is enforced.`,
        location: attrLocation(cfg, 'enable_distributed_firewalling') ?? cfg.loc,
        elementId: cfg.id,
        related,
        fix: {
          title: `Set enable_distributed_firewalling = true in ${elementLabel(cfg)}`,
          edits: replaceAttr(cfg, ['enable_distributed_firewalling'], 'true'),
        },
      },
    ];
  }
  const tf = first.loc.file.endsWith('.tf');
  const at = { line: 0, character: 0 };
  return [
    {
      message: `${policies.length} DCF ${policies.length === 1 ? 'policy exists' : 'policies exist'} (${sample}) but no aviatrix_distributed_firewalling_config in the inputs enables distributed firewalling (the default is disabled): none of them is enforced.`,
      location: first.loc,
      elementId: first.id,
      related: related.slice(1),
      fix: {
        title: 'Enable Distributed Cloud Firewall (aviatrix_distributed_firewalling_config)',
        edits: tf
          ? [
              {
                file: first.loc.file,
                range: { start: at, end: at },
                newText: 'resource "aviatrix_distributed_firewalling_config" "this" {\n  enable_distributed_firewalling = true\n}\n\n',
              },
            ]
          : [],
      },
    },
  ];
}

export const rule = defineRule({
  code: 'dcf-disabled',
  defaultSeverity: 'error',
  title: 'DCF policies exist but distributed firewalling is not enabled',
  doc,
  check,
});
