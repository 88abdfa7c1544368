// A VPC/VNet leaves through an Aviatrix spoke gateway (local egress) but no DCF policy names it.
import { elementsOfKind } from '../byKind';
import { isUnresolved } from '../../model/types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { allPolicies, dcfEnablement, orderedPolicies } from '../dcf/policies';
import { sourceTri } from '../dcf/posture';
import { sourceContextFor } from '../dcf/source';
import { reachesInternet } from '../states';
import { elementLabel, labelOf } from '../dcf/ruleSupport';

const doc = `Fires when a VPC/VNet egresses to the internet through an Aviatrix spoke gateway (local egress,
DCF enforcement point) but no enabled DCF policy selects any of its subnets as a source: no SmartGroup of a
policy's \`src_smart_groups\` matches it by CIDR, VPC, tags, account or region. Its internet traffic then
falls through to the DCF default action rule, which permits everything unless changed, so the VPC is not
protected although it sits behind an enforcement point. Not reported while DCF itself is disabled
(\`dcf-disabled\` covers that); with no \`aviatrix_distributed_firewalling_config\` in the inputs DCF is
assumed enabled (\`dcf-enablement-unmanaged\`). Fix: create a SmartGroup for the VPC and give it explicit allow policies
(WebGroups, specific destinations) followed by a deny toward Anywhere, or a logged permit-all while you
monitor it.`;

interface SpokeEgress {
  vpc: string;
  gateway: string;
  sources: string[];
}

function spokeEgresses(ctx: RuleContext): SpokeEgress[] {
  const byVpc = new Map<string, SpokeEgress>();
  for (const eg of ctx.egress) {
    if (!reachesInternet(eg.forward)) continue;
    const ep = eg.forward.inspectedBy.find((e) => e.kind === 'aviatrix-dcf');
    if (!ep) continue;
    const entry = byVpc.get(eg.vpc) ?? { vpc: eg.vpc, gateway: ep.element, sources: [] };
    entry.sources.push(eg.subnet);
    byVpc.set(eg.vpc, entry);
  }
  // Local-egress spokes whose VPC has no traced path: the gateway's VPC stands for its sources.
  for (const gw of elementsOfKind(ctx.model.elements, 'aviatrixGateway').filter((e) => e.role === 'spoke' && e.snat === true)) {
    const vpcId =
      typeof gw.vpc === 'string' ? (ctx.index.get(gw.vpc)?.id ?? gw.vpc) : isUnresolved(gw.vpc) ? (gw.vpcIdText ?? gw.id) : gw.id;
    if (byVpc.has(vpcId) || ctx.egress.some((e) => e.vpc === vpcId)) continue;
    byVpc.set(vpcId, { vpc: vpcId, gateway: gw.id, sources: [ctx.index.get(vpcId) ? vpcId : gw.id] });
  }
  return [...byVpc.values()];
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const en = dcfEnablement(ctx.model.elements);
  if (en.state === 'unknown') return [];
  // DCF off with policies written: dcf-disabled reports it. With no config in the inputs DCF is assumed enabled.
  if (en.state === 'disabled' && allPolicies(ctx.model.elements).length > 0) return [];
  const policies = orderedPolicies(ctx.model.elements);
  const out: RawFinding[] = [];
  for (const se of spokeEgresses(ctx)) {
    const gw = index.get(se.gateway);
    if (!gw) continue;
    const selected = se.sources.some((s) => {
      const src = sourceContextFor(index, s, undefined, se.gateway);
      return policies.some((p) => sourceTri(index, p, src) !== 'no');
    });
    if (selected) continue;
    const vpcLabel = labelOf(index, se.vpc);
    out.push({
      message: `${vpcLabel} egresses through spoke gateway ${elementLabel(gw)} (local egress) but no enabled DCF policy selects it as a source: its internet traffic falls to the DCF default action (PERMIT).`,
      location: gw.loc,
      elementId: gw.id,
      related: [
        ...(index.get(se.vpc)
          ? [{ location: index.get(se.vpc)!.loc, message: `${vpcLabel}: no DCF policy's source SmartGroup selects it` }]
          : []),
        ...policies.slice(0, 1).map((p) => ({
          location: p.loc,
          message: `the DCF policy list (${policies.length} enabled ${policies.length === 1 ? 'policy' : 'policies'}) names other SmartGroups`,
        })),
      ],
      traces: se.sources,
      fix: {
        title: `Add a SmartGroup for ${vpcLabel} and DCF policies that select it (explicit allows, then deny toward Anywhere)`,
        edits: [],
      },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'dcf-not-covering',
  defaultSeverity: 'warning',
  title: 'VPC egresses through an Aviatrix spoke but no DCF policy selects it',
  doc,
  check,
});
