// A subnet leaves through a NAT GW or endpoint in another AZ: it works, but an AZ outage takes its egress
// down and every byte pays cross-AZ data transfer.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { azsDiffer } from '../../model/az';
import { decidingHop, decisionElement, decisionLocation, dedupe, elementRelated, sourceLabel } from './egressPaths';

const doc = `Fires when a subnet's forward egress path uses a NAT GW, GWLB endpoint or other egress hop in a
different Availability Zone than the subnet itself, for example an app subnet in us-east-1b whose default
route points at the NAT GW in us-east-1a. Traffic still flows, but the subnet loses its internet access when
the other AZ fails, and cross-AZ data transfer is billed. In the distributed egress design each AZ has its
own NAT GW and endpoint. Fix: point the route at the egress hop in the subnet's own AZ.`;

const EGRESS_HOPS = new Set(['natgw', 'gwlbe']);

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    const hops = eg.forward.hops;
    const srcAz = hops[0]?.az;
    if (!srcAz) continue;
    const other = hops.find((h) => EGRESS_HOPS.has(h.kind) && h.az && azsDiffer(h.az, srcAz));
    if (!other) continue;
    const decider = decidingHop(eg.forward, other.index);
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const d = decider?.decision;
    const kind = other.kind === 'natgw' ? 'NAT GW' : 'GWLB endpoint';
    out.push({
      message: `${sourceLabel(index, eg)} in ${srcAz} egresses through ${kind} ${other.name} in ${other.az}${d ? ` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : ''}.`,
      location,
      elementId: decisionElement(index, decider) ?? other.element,
      related: elementRelated(index, other.element, `${kind} ${other.name} is in ${other.az}`),
      traces: [eg.subnet],
      fix: { title: `Point the route at the ${kind} in ${srcAz}`, edits: [] },
    });
  }
  return dedupe(out, (f) => f.elementId);
}

export const rule = defineRule({
  code: 'cross-az-egress',
  defaultSeverity: 'warning',
  title: 'Subnet egresses through a NAT GW or endpoint in another AZ',
  doc,
  check,
});
