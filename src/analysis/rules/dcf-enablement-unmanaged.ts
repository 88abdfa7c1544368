// DCF policies exist but nothing in the inputs manages the controller-wide DCF switch (F94).
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { allPolicies, dcfEnablement } from '../dcf/policies';
import { policyName } from '../dcf/ruleSupport';

const doc = `Fires when the inputs define Distributed Cloud Firewall policies but no
\`aviatrix_distributed_firewalling_config\` (nor a controller export of it): whether distributed firewalling
is enabled is a controller-wide setting that is often managed elsewhere (in CoPilot, or by another
configuration), so its absence here is no evidence that DCF is off. The policies are enforced only if DCF
is enabled on the controller; the protection states and flow verdicts are computed from the policies on
that assumption, and their reasons say so ("assuming DCF is enabled on the controller"). Information
only: check that DCF is enabled on the controller, or manage the switch in these inputs
(\`enable_distributed_firewalling = true\`); \`dcf-disabled\` reports a switch the inputs turn off. No quick
fix: a second configuration managing the singleton would contend with the one that manages it now.`;

function check(ctx: RuleContext): RawFinding[] {
  const policies = allPolicies(ctx.model.elements);
  if (policies.length === 0) return [];
  if (dcfEnablement(ctx.model.elements).state !== 'absent') return [];
  const sample = policies.slice(0, 3).map(policyName).join(', ') + (policies.length > 3 ? ', ...' : '');
  const first = policies[0];
  return [
    {
      message: `${policies.length} DCF ${policies.length === 1 ? 'policy exists' : 'policies exist'} (${sample}) but no aviatrix_distributed_firewalling_config in the inputs manages whether distributed firewalling is enabled: ${policies.length === 1 ? 'it counts' : 'they count'} only if DCF is enabled on the controller, which the protection states assume.`,
      location: first.loc,
      elementId: first.id,
      related: policies.slice(1, 5).map((p) => ({ location: p.loc, message: `DCF policy ${policyName(p)}` })),
    },
  ];
}

export const rule = defineRule({
  code: 'dcf-enablement-unmanaged',
  defaultSeverity: 'info',
  title: 'DCF policies exist but DCF enablement is not managed in the inputs',
  doc,
  check,
});
