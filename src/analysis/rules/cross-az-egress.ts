// A subnet leaves through a NAT GW or endpoint in another AZ: it works, but an AZ outage takes its egress
// down and every byte pays cross-AZ data transfer.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { azsDiffer } from '../../model/az';
import { decidingHop, decisionElement, decisionLocation, dedupe, elementRelated, sourceLabel, traceRef } from './egressPaths';

const doc = `Fires when a subnet's forward egress path uses a NAT GW, GWLB endpoint or other egress hop in a
different Availability Zone than the subnet itself, for example an app subnet in us-east-1b whose default
route points at the NAT GW in us-east-1a. Traffic still flows, but the subnet loses its internet access when
the other AZ fails, and cross-AZ data transfer is billed. In the distributed egress design each AZ has its
own NAT GW and endpoint. Fix: point the route at the egress hop in the subnet's own AZ.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace.`;

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
      traces: [traceRef(eg)],
      fix: { title: `Point the route at the ${kind} in ${srcAz}`, edits: [] },
    });
  }
  // One route several subnets take (a table shared, or a block written once): the text names each subnet's AZ,
  // and the fix each AZ's own hop, never the first subnet's AZ alone.
  return dedupe(out, (f) => f.elementId).map((f) => {
    const t = f.traces ?? [];
    if (t.length < 2) return f;
    const egs = t.map((id) => ctx.egress.find((e) => traceRef(e) === id)).filter((e): e is NonNullable<typeof e> => !!e);
    const azs = [...new Set(egs.map((e) => e.forward.hops[0]?.az).filter((az): az is string => !!az))].sort();
    const first = egs[0]?.forward.hops;
    const other = first?.find((h) => EGRESS_HOPS.has(h.kind) && h.az && azsDiffer(h.az, first[0]?.az ?? h.az));
    if (!other) return f;
    const kind = other.kind === 'natgw' ? 'NAT GW' : 'GWLB endpoint';
    const tables = new Set(
      egs.map(
        (e) =>
          decidingHop(
            e.forward,
            e.forward.hops.findIndex((h) => h.element === other.element),
          )?.decision?.routeTable,
      ),
    );
    const d = decidingHop(egs[0].forward, other.index)?.decision;
    const names = egs.map((e) => `${sourceLabel(index, e)}${e.forward.hops[0]?.az ? ` (${e.forward.hops[0].az})` : ''}`);
    const message = `${names.join(', ')} egress through ${kind} ${other.name} in ${other.az}${d ? ` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : ''}.`;
    if (azs.length < 2) return { ...f, message };
    const [table] = tables;
    const title =
      tables.size === 1 && table
        ? `Give the subnets of each AZ (${azs.join(', ')}) a route table of their own whose route points at the ${kind} in that AZ: ${index.label(table)} serves them all`
        : `Point each AZ's route at the ${kind} in that AZ (${azs.join(', ')})`;
    return { ...f, message, fix: { title, edits: [] } };
  });
}

export const rule = defineRule({
  code: 'cross-az-egress',
  defaultSeverity: 'warning',
  title: 'Subnet egresses through a NAT GW or endpoint in another AZ',
  doc,
  check,
});
