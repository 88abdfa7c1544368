// Egress applied on transit gateways (legacy): Aviatrix recommends DCF local egress on the spokes.
import { elementsOfKind } from '../byKind';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { attrLocation, elementLabel, labelOf, policyName } from '../dcf/ruleSupport';
import { orderedPolicies } from '../dcf/policies';
import { sourceTri } from '../dcf/posture';
import { sourceContextFor } from '../dcf/source';

const doc = `Fires (info) for each Aviatrix transit gateway with the egress capability on
(\`enable_egress_transit_firenet = true\` in Terraform, or the controller's Transit Egress Capability), and
names the spokes whose traced internet traffic leaves through it. Aviatrix documents this as legacy
transit egress: the transit acts as a central egress point for attached spokes, which only
makes sense if you already use the legacy Egress Control feature. Distributed Cloud Firewall with local
egress on each spoke is the recommended method: it inspects traffic in the VPC where it starts. Fix: plan
the move to local egress (\`single_ip_snat = true\` on the spokes, DCF policies with WebGroups), then turn
the transit's egress off. It also names the WebGroup policies that select those spokes' VPCs: their domain
filtering happens at the transit, if at all, not at a spoke gateway doing local egress.`;

function check(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  const transits = elementsOfKind(ctx.model.elements, 'aviatrixGateway').filter((e) => e.role === 'transit' && e.egressCapability === true);
  if (transits.length === 0) return out;
  // Once per analysis, not per transit; one source context per VPC, not per (policy, VPC) pair (review s17 R10).
  const webPolicies = orderedPolicies(ctx.model.elements).filter((p) => p.webGroups.length > 0);
  const contexts = new Map<string, ReturnType<typeof sourceContextFor>>();
  const contextOf = (v: string) => {
    let c = contexts.get(v);
    if (!c) contexts.set(v, (c = sourceContextFor(ctx.index, v)));
    return c;
  };
  for (const t of transits) {
    const via = ctx.egress.filter((eg) => eg.forward.inspectedBy.some((ep) => ep.kind === 'transit-egress' && ep.element === t.id));
    const spokes = elementsOfKind(ctx.model.elements, 'aviatrixGateway').filter(
      (e) => e.role === 'spoke' && typeof e.transit === 'string' && (e.transit === t.id || ctx.index.get(e.transit)?.id === t.id),
    );
    const users = via.length > 0 ? [...new Set(via.map((eg) => labelOf(ctx.index, eg.vpc)))] : [];
    const attached = spokes.map((s) => elementLabel(s));
    const whom = users.length
      ? `; egress of ${users.join(', ')} leaves through it`
      : attached.length
        ? `; attached spokes: ${attached.join(', ')}`
        : '';
    const vpcs = [...new Set(via.map((eg) => eg.vpc))];
    const web = webPolicies.filter((p) => vpcs.some((v) => sourceTri(ctx.index, p, contextOf(v)) === 'yes'));
    const webText = web.length
      ? ` WebGroup polic${web.length === 1 ? 'y' : 'ies'} ${web.map(policyName).join(', ')} select${web.length === 1 ? 's' : ''} VPCs whose egress leaves here, not from their spoke gateways: their domains are filtered at the transit only where DCF is enforced on it.`
      : '';
    out.push({
      message: `Transit gateway ${elementLabel(t)} has the egress capability on: legacy transit egress${whom}. DCF local egress on the spokes is the recommended method.${webText}`,
      location: attrLocation(t, 'enable_egress_transit_firenet', 'egress_capability', 'enable_transit_egress') ?? t.loc,
      elementId: t.id,
      related: spokes.map((s) => ({ location: s.loc, message: `spoke ${elementLabel(s)} attached to ${elementLabel(t)}` })),
      traces: via.map((eg) => eg.subnet),
      fix: { title: 'Move to DCF local egress on the spokes, then turn transit egress off', edits: [] },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'legacy-transit-egress',
  defaultSeverity: 'info',
  title: 'Egress is applied on a transit gateway (legacy)',
  doc,
  check,
});
