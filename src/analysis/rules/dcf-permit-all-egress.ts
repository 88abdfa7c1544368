// An enabled permit toward the whole internet with neither a WebGroup nor a port limit.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { orderedPolicies } from '../dcf/policies';
import { isBroadPermit } from '../dcf/posture';
import { resolveGroup } from '../dcf/groups';
import { attrLocation, policyName } from '../dcf/ruleSupport';

const doc = `Fires for every enabled, enforcing (not watch-only) DCF policy whose action permits traffic to
"Anywhere" (0.0.0.0/0), "Public Internet", or SmartGroups whose CIDRs together hold every address (\`0.0.0.0/1\`
and \`128.0.0.0/1\`) with no WebGroup and no port range. Such a policy lets its source
SmartGroups send anything anywhere on the internet: the VPCs it selects are at best Monitored, never
Protected. ICMP-only policies are not reported (ports do not apply to ICMP, and a ping allowance is
usually deliberate). It is the right shape while onboarding a VPC (a logged permit-all: the
"Monitored" state), not as a final policy. Fix: narrow the destination, add a WebGroup of allowed domains
(which needs SNAT on the egress spoke) or port ranges, and end the list with a deny toward Anywhere.`;

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const p of orderedPolicies(ctx.model.elements)) {
    if (p.watch || p.protocol === 'icmp' || !isBroadPermit(index, p)) continue;
    const src = p.srcGroups.map((r) => resolveGroup(index, r).label).join(', ') || 'no source group';
    const dst = p.dstGroups.map((r) => resolveGroup(index, r).label).join(', ');
    out.push({
      message: `DCF policy ${policyName(p)} permits ${p.protocol === 'any' ? 'all protocols' : p.protocol.toUpperCase()} from ${src} to ${dst} with no WebGroup and no port limit${p.logging ? ' (logged)' : ''}: all such egress leaves unfiltered.`,
      location: p.loc,
      elementId: p.id,
      related: [attrLocation(p, 'dst_smart_groups', 'dst_ads')]
        .filter((l) => !!l)
        .map((location) => ({ location: location, message: 'destination: the whole internet' })),
      fix: { title: 'Restrict the policy with a WebGroup or port ranges, and deny the rest toward Anywhere', edits: [] },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'dcf-permit-all-egress',
  defaultSeverity: 'warning',
  title: 'DCF policy permits all egress to the internet',
  doc,
  check,
});
