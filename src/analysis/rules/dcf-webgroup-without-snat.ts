// A WebGroup (domain) policy applies to a spoke that does not SNAT / do local egress.
import { elementsOfKind } from '../byKind';
import type { SubnetEgress } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { orderedPolicies } from '../dcf/policies';
import { sourceTri } from '../dcf/posture';
import { sourceContextFor } from '../dcf/source';
import { attrLocation, elementLabel, insertAttr, policyName, replaceAttr } from '../dcf/ruleSupport';

const doc = `Fires when an enabled DCF policy with WebGroups (allowed domains/URLs) selects, as its source, a
VPC/VNet whose Aviatrix spoke gateway has SNAT off (\`single_ip_snat = false\`, or \`enable_snat = false\` on
older providers, and no \`aviatrix_gateway_snat\` whose customized policies translate traffic toward the
internet). Egress through DCF needs both: SNAT on the egress spoke gateways, and DCF policies
that use WebGroups. Without SNAT the spoke does not do local egress, so the
WebGroup policy never sees that VPC's internet traffic and the domain filtering it promises does not
happen. A gateway with customized SNAT (\`aviatrix_gateway_snat\`) does local egress when one of its policies
translates traffic out of \`eth0\` toward 0.0.0.0/0 with no \`connection\`; when its policies cannot be decided
offline the rule stays quiet. Fix: set \`single_ip_snat = true\` on the spoke gateway (local egress), the quick
fix does it; on a gateway with customized SNAT (single IP and customized SNAT are exclusive modes), add a
customized policy toward the internet instead: there is no quick fix. Not when the VPC's traced internet traffic
leaves through a transit gateway's egress (Egress Transit FireNet): there the policies are evaluated at the
transit, and turning local egress on would move the spoke's egress off the FireNet and change its public
source address; \`legacy-transit-egress\` names the WebGroup policies and the way to move. Nor when no egress path
of the VPC is decided by the inputs (its transit is a module output not read offline): whether it leaves through a
transit's egress is not known, and the fix would add a local egress the design may keep off.`;

/** Whether an egress path leaves through an Aviatrix transit gateway's egress capability. */
function leavesByTransitEgress(eg: SubnetEgress): boolean {
  return eg.forward.inspectedBy.some((ep) => ep.kind === 'transit-egress');
}

/**
 * The VPCs none of whose default egress paths the inputs decide (every forward trace Unknown for an input not
 * known offline, such as a transit named by an unread module's output): where their traffic leaves, a transit's
 * egress included, is not known, so a spoke's SNAT being off proves nothing (F309). A trace Unknown only for
 * the controller-made IGW route (`unsupported-target`) has already found that neither spoke nor transit egresses.
 */
function undecidedVpcs(egress: readonly SubnetEgress[]): Set<string> {
  const decided = new Set<string>();
  const seen = new Set<string>();
  for (const eg of egress) {
    if (eg.narrow) continue;
    seen.add(eg.vpc);
    const o = eg.forward.outcome;
    if (o.kind !== 'unknown' || (o.cause !== 'unresolved-input' && o.cause !== 'missing-input')) decided.add(eg.vpc);
  }
  return new Set([...seen].filter((v) => !decided.has(v)));
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const webPolicies = orderedPolicies(ctx.model.elements).filter((p) => p.webGroups.length > 0);
  if (webPolicies.length === 0) return [];
  const out: RawFinding[] = [];
  const spokes = elementsOfKind(ctx.model.elements, 'aviatrixGateway').filter((e) => e.role === 'spoke' && e.snat === false);
  // The VPCs whose egress leaves through a transit's egress capability, once (not per spoke: review s17 R10).
  const viaTransitEgress = new Set(ctx.egress.filter(leavesByTransitEgress).map((eg) => eg.vpc));
  const undecided = undecidedVpcs(ctx.egress);
  for (const gw of spokes) {
    const vpcId = typeof gw.vpc === 'string' ? (index.get(gw.vpc)?.id ?? gw.vpc) : gw.id;
    const src = sourceContextFor(index, index.get(vpcId) ? vpcId : gw.id, undefined, gw.id);
    const applying = webPolicies.filter((p) => sourceTri(index, p, src) === 'yes');
    if (applying.length === 0) continue;
    // Egress through a transit's egress capability: DCF is evaluated there, not a spoke without SNAT (review s16 R7).
    if (viaTransitEgress.has(vpcId)) continue;
    // No path of the VPC decided (its transit not known offline): it may leave through a transit's egress (F309).
    if (undecided.has(vpcId)) continue;
    const related = applying.map((p) => ({ location: p.loc, message: `WebGroup policy ${policyName(p)}` }));
    const applies = `WebGroup policy ${applying.map(policyName).join(', ')} applies to ${vpcId === gw.id ? (gw.vpcIdText ?? gw.id) : elementLabel(index.get(vpcId)!)}`;
    if (gw.customizedSnat) {
      // Single IP SNAT and customized SNAT are exclusive modes of one gateway: switching modes would drop the
      // customized policies (often the SNAT toward the transit), so there is no quick fix (F89).
      out.push({
        message: `${applies} but the customized SNAT policies of spoke gateway ${elementLabel(gw)} translate no traffic toward the internet (none goes out of eth0 to 0.0.0.0/0): without local egress the WebGroup never filters its internet traffic.`,
        location: gw.customizedSnat,
        elementId: gw.id,
        related: [{ location: gw.loc, message: `spoke gateway ${elementLabel(gw)}` }, ...related],
      });
      continue;
    }
    const snatAttr = gw.attrs?.['single_ip_snat'] ? 'single_ip_snat' : gw.attrs?.['enable_snat'] ? 'enable_snat' : undefined;
    const edits = snatAttr ? replaceAttr(gw, [snatAttr], 'true') : insertAttr(gw, 'single_ip_snat = true');
    out.push({
      message: `${applies} but spoke gateway ${elementLabel(gw)} has SNAT off: without local egress the WebGroup never filters its internet traffic.`,
      location: attrLocation(gw, 'single_ip_snat', 'enable_snat') ?? gw.loc,
      elementId: gw.id,
      related,
      fix: { title: `Set single_ip_snat = true on ${elementLabel(gw)} (local egress)`, edits },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'dcf-webgroup-without-snat',
  defaultSeverity: 'error',
  title: 'WebGroup policy applies to a spoke without SNAT / local egress',
  doc,
  check,
});
