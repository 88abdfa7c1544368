// Both legs are inspected, but by different endpoints/AZs: the reply lands on an appliance that never saw
// the flow leave (GWLB keeps flow state per AZ with cross-zone load balancing off).
import type { EnforcementPoint, Hop } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { azsDiffer } from '../../model/az';
import {
  decidingHop,
  decisionElement,
  decisionLocation,
  dedupe,
  elementRelated,
  isDelivered,
  locKey,
  rewriteInlineRoute,
  sourceLabel,
  endpointWord,
} from './egressPaths';
import { applianceTarget, inspectionHop } from './natLayout';

const doc = `Fires when the forward path and the return path of the same flow are both inspected but through
different GWLB endpoints, AZs or appliances. A Gateway Load Balancer keeps a flow on one appliance only if both
directions pass through the same endpoint (same AZ, cross-zone load balancing off by default), and an AWS
Network Firewall endpoint keeps its state per AZ, so the appliance that sees the reply has no state for it and
drops it, or inspects half a flow. The finding sits on the return route that picks the other AZ's endpoint;
which table holds it depends on where the endpoint sits relative to the NAT gateway.

**Inspection after NAT** (the IGW edge route table returns the NAT subnet to an endpoint):

\`\`\`
out:  app-b -> NAT GW b -> endpoint b -> IGW
back: IGW --edge table: NAT-b CIDR -> endpoint a--> endpoint a -> NAT GW b -> app-b      (b out, a back)
\`\`\`

Fix: in the IGW edge route table, point \`<NAT subnet CIDR of AZ b> -> <GWLB endpoint of AZ b>\` (each NAT
subnet to the endpoint of its own AZ).

**Inspection before NAT** (the NAT subnet's own table returns the app subnet to an endpoint):

\`\`\`
out:  app-b -> endpoint b -> NAT GW b -> IGW
back: IGW -> NAT GW b --NAT-b table: app-b CIDR -> endpoint a--> endpoint a -> app-b      (b out, a back)
\`\`\`

Fix: in the NAT subnet's route table of AZ b, point \`<app subnet CIDR> -> <endpoint of AZ b>\`. An IGW edge
route is not the fix here: after NAT the firewall would see replies whose forward flow it never saw.

The same holds for AWS Network Firewall endpoints (distributed: the IGW edge table sends each protected subnet
to its AZ's endpoint) and for the endpoints of an inspection VPC behind a transit gateway, where appliance mode
(\`tgw-appliance-mode-off\`) keeps both directions of a flow between two attachments in one AZ.`;

/**
 * The common case without allocations: every GWLB endpoint of the return leg is one of the forward leg's
 * and the forward leg's last enforcement point is the return leg's first (no finding).
 */
function sameInspection(fwd: Hop[], ret: Hop[], fo: EnforcementPoint, ri: EnforcementPoint): boolean {
  for (const h of ret) {
    if (h.kind !== 'gwlbe') continue;
    let found = false;
    for (const g of fwd) {
      if (g.kind === 'gwlbe' && g.element === h.element) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return fo.element === ri.element && !azsDiffer(fo.az, ri.az);
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || !isDelivered(eg.return)) continue;
    const f = eg.forward.inspectedBy;
    const r = eg.return.inspectedBy;
    if (f.length === 0 || r.length === 0) continue;
    if (sameInspection(eg.forward.hops, eg.return.hops, f[f.length - 1], r[0])) continue;
    const fEps = eg.forward.hops.filter((h) => h.kind === 'gwlbe');
    const rEps = eg.return.hops.filter((h) => h.kind === 'gwlbe');
    const fSet = new Set(fEps.map((h) => h.element));
    const wrong = rEps.find((h) => !fSet.has(h.element));
    let at = wrong;
    let what: string;
    if (wrong) {
      const fe = fEps[0];
      what = `the forward leg leaves through ${endpointWord(index, fe?.element)} ${fe?.name ?? '?'}${fe?.az ? ` (${fe.az})` : ''} but the reply comes back through ${wrong.name}${wrong.az ? ` (${wrong.az})` : ''}`;
    } else {
      // Same endpoints (or none): compare the enforcement points themselves, last-out against first-in.
      const fo = f[f.length - 1];
      const ri = r[0];
      if (fo.element === ri.element && !azsDiffer(fo.az, ri.az)) continue;
      at = eg.return.hops.find((h) => h.enforcement === ri);
      what = `the forward leg is inspected by ${index.label(fo.element)}${fo.az ? ` (${fo.az})` : ''} but the reply by ${index.label(ri.element)}${ri.az ? ` (${ri.az})` : ''}`;
    }
    if (!at) continue;
    const decider = decidingHop(eg.return, at.index);
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const d = decider?.decision;
    const fe = fEps[0];
    out.push({
      message: `Asymmetric inspection across AZs for ${sourceLabel(index, eg)}: ${what}${d ? `, because route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)}` : ''}.`,
      location,
      elementId: decisionElement(index, decider) ?? at.element,
      related: [
        ...elementRelated(
          index,
          fe?.element,
          `forward leg: ${endpointWord(index, fe?.element)} ${fe?.name ?? ''}${fe?.az ? ` (${fe.az})` : ''}`,
        ),
        ...(wrong
          ? elementRelated(
              index,
              wrong.element,
              `return leg: ${endpointWord(index, wrong.element)} ${wrong.name}${wrong.az ? ` (${wrong.az})` : ''}`,
            )
          : []),
      ],
      traces: [eg.subnet],
      fix: (() => {
        const target = fe ? index.get(fe.element) : undefined;
        const edit = d?.route && target ? rewriteInlineRoute(index, d.route, target) : undefined;
        if (fe && d)
          return {
            title: `Point ${d.destination} in ${index.label(d.routeTable)} at ${fe.name}${fe.az ? ` (${fe.az})` : ''}, the endpoint the forward leg uses`,
            edits: edit ? [edit] : [],
          };
        // A firewall appliance (NGFW instance) in the forward leg: the reply goes to the interface it used.
        const fa = fe ? undefined : inspectionHop(eg.forward);
        const appliance = fa && fa.kind !== 'gwlbe' && d && index.vpcOf(d.routeTable) === index.vpcOf(fa.element) ? fa : undefined;
        if (appliance && d) {
          const iface = index.get(applianceTarget(index, appliance));
          const aEdit = d.route && iface ? rewriteInlineRoute(index, d.route, iface) : undefined;
          return {
            title: `Point ${d.destination} in ${index.label(d.routeTable)} at ${iface ? index.label(iface.id) : appliance.name}${appliance.az ? ` (${appliance.az})` : ''}, the firewall appliance ${appliance.name} the forward leg passes`,
            edits: aEdit ? [aEdit] : [],
          };
        }
        // Name the enforcement point the forward leg leaves by: the one the reply must meet.
        const fo = f[f.length - 1];
        return {
          title: `Route the reply through ${index.label(fo.element)}${fo.az ? ` (${fo.az})` : ''}, the enforcement point the forward leg passes last`,
          edits: [],
        };
      })(),
    });
  }
  return dedupe(out, (f) => locKey(f.location));
}

export const rule = defineRule({
  code: 'asymmetric-cross-az',
  defaultSeverity: 'error',
  title: 'Forward and return paths are inspected in different AZs',
  doc,
  check,
});
