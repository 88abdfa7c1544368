// A workload subnet reaches the internet and nothing enforces policy on the way: no GWLB firewall, no
// Aviatrix spoke with DCF, no NVA.
import type { RawFinding, Rule, RuleContext } from './rule';
import { decidingHop, decisionElement, decisionLocation, dedupe, elementRelated, isDelivered, locKey, sourceLabel } from './egressPaths';

const doc = `Fires when a subnet (or an Aviatrix spoke VPC) reaches the internet and neither the forward nor
the return path passes any enforcement point: no GWLB endpoint with its firewall, no Aviatrix spoke gateway
enforcing Distributed Cloud Firewall, no network virtual appliance. Typical causes are a legacy or management
subnet whose default route points straight at the internet gateway, or a NAT subnet routed to the IGW instead
of the GWLB endpoint. Such traffic escapes the egress policy entirely. Fix: route the subnet through the NAT
GW and GWLB endpoint of its AZ (or through the spoke gateway with local egress), or remove its internet route.`;

/** Advice that fits where the subnet lives: an Azure VNet has no NAT GW + GWLB design, an Aviatrix VPC has its spoke. */
/** VPCs that hold an Aviatrix spoke gateway (one pass over the model per check, not one per finding). */
function spokeVpcs(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const e of ctx.model.elements) {
    if (e.kind !== 'aviatrixGateway' || e.role !== 'spoke' || typeof e.vpc !== 'string') continue;
    const v = ctx.index.get(e.vpc)?.id;
    if (v) out.add(v);
  }
  return out;
}

function fixTitle(
  ctx: RuleContext,
  spokes: Set<string>,
  vpcId: string,
  d: { destination: string; target: string; routeTable: string } | undefined,
): string {
  const { index } = ctx;
  const vpc = index.get(vpcId);
  const spoke = spokes.has(vpcId);
  const where = d ? `Route ${d.destination} in ${index.label(d.routeTable)}` : "Route this subnet's internet traffic";
  const instead = d ? ` instead of ${d.target}` : '';
  if (vpc?.kind === 'vpc' && vpc.flavor === 'vnet') return `${where} to the hub firewall or NVA (next hop VirtualAppliance)${instead}`;
  if (spoke) return `${where} to the VPC's Aviatrix spoke gateway (local egress with DCF)${instead}`;
  if (!d) return 'Send this subnet through an enforcement point';
  return `${where} through a NAT GW and the GWLB endpoint of the subnet's AZ (or a spoke gateway with DCF)${instead}`;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  let spokes: Set<string> | undefined;
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || eg.forward.inspectedBy.length > 0) continue;
    if (eg.return && eg.return.inspectedBy.length > 0) continue; // asymmetric-return-only covers it
    const exitIdx = eg.forward.hops.findIndex((h) => h.kind === 'igw' || h.kind === 'eigw' || h.kind === 'internet');
    const exit = eg.forward.hops[exitIdx];
    const decider = decidingHop(eg.forward, exitIdx < 0 ? eg.forward.hops.length : exitIdx);
    const location = decisionLocation(index, decider) ?? index.get(eg.subnet)?.loc;
    if (!location) continue;
    const d = decider?.decision;
    const via = exit && exit.kind !== 'internet' ? exit.name : (d?.target ?? 'the internet');
    out.push({
      message: `${sourceLabel(index, eg)} reaches the internet through ${via} without any enforcement point${d ? ` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : ''}.`,
      location,
      elementId: decisionElement(index, decider) ?? eg.subnet,
      related: exit && exit.kind !== 'internet' ? elementRelated(index, exit.element, `leaves for the internet through ${exit.name}`) : [],
      traces: [eg.subnet],
      fix: { title: fixTitle(ctx, (spokes ??= spokeVpcs(ctx)), eg.vpc, d), edits: [] },
    });
  }
  // Subnets sharing one route (a main table, say) give one finding that names them all.
  return dedupe(out, (f) => locKey(f.location)).map((f) => {
    const t = f.traces ?? [];
    if (t.length < 2) return f;
    const names = t.map((id) => {
      const eg = ctx.egress.find((e) => e.subnet === id);
      return eg ? sourceLabel(index, eg) : id;
    });
    return { ...f, message: f.message.replace(/^.*? reaches the internet/, `${names.join(', ')} reach the internet`) };
  });
}

export const rule: Rule = {
  code: 'uninspected-egress',
  defaultSeverity: 'warning',
  title: 'Subnet reaches the internet without any enforcement point',
  doc,
  check,
};
