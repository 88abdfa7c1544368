// DCF policies exist but distributed firewalling is switched off: none of them is enforced.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { allPolicies, dcfEnablement } from '../dcf/policies';
import { attrLocation, elementLabel, policyName, replaceAttr } from '../dcf/ruleSupport';

const doc = `Fires when the inputs define Distributed Cloud Firewall policies (an
\`aviatrix_distributed_firewalling_policy_list\`, \`aviatrix_dcf_ruleset\` or controller export rules) but
distributed firewalling is switched off: \`aviatrix_distributed_firewalling_config\` sets
\`enable_distributed_firewalling = false\` (or leaves it at its default, false), or a controller export says
it is disabled. Until DCF is enabled the spoke gateways enforce none of the policies, so every VPC that
egresses through them leaves unfiltered however strict the policy list looks. When no such resource or
export is in the inputs, the controller-wide switch is managed elsewhere and its state is not known:
\`dcf-enablement-unmanaged\` (info) says so instead. Fix: set \`enable_distributed_firewalling = true\`.`;

function check(ctx: RuleContext): RawFinding[] {
  const policies = allPolicies(ctx.model.elements);
  if (policies.length === 0) return [];
  const en = dcfEnablement(ctx.model.elements);
  if (en.state !== 'disabled') return [];
  const sample = policies.slice(0, 3).map(policyName).join(', ') + (policies.length > 3 ? ', ...' : '');
  const related = policies.slice(0, 5).map((p) => ({ location: p.loc, message: `DCF policy ${policyName(p)} is not enforced` }));
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

export const rule = defineRule({
  code: 'dcf-disabled',
  defaultSeverity: 'error',
  title: 'DCF policies exist but distributed firewalling is not enabled',
  doc,
  check,
});
