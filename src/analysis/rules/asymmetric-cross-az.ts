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
  traceRef,
  endpointWord,
  callerInput,
  type Worded,
} from './egressPaths';
import { all, lit, text, w, type Wording } from './wording';
import { applianceTarget, inspectionHop } from './natLayout';
import { oneStatelessNetworkFirewall } from '../firewallPolicy/awsNetworkFirewall';

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
(\`tgw-appliance-mode-off\`) keeps both directions of a flow between two attachments in one AZ.
A Network Firewall whose policy keeps no flow state (stateless rules and default only, nothing forwarded to the
stateful engine) handles a reply at another AZ's endpoint as the forward packet: no finding (the detour costs
cross-AZ data only).
One finding for a route written once for several instances (a shared Terraform module's route for each caller, a
\`for_each\` table's) names each instance's table, target and endpoint.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace.`;

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
  const wordings = new Map<RawFinding, Worded>();
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || !isDelivered(eg.return)) continue;
    const f = eg.forward.inspectedBy;
    const r = eg.return.inspectedBy;
    if (f.length === 0 || r.length === 0) continue;
    if (sameInspection(eg.forward.hops, eg.return.hops, f[f.length - 1], r[0])) continue;
    // One Network Firewall whose policy keeps no flow state (stateless only) treats the reply at another AZ's
    // endpoint as it would at the first: the detour costs cross-AZ data, it drops nothing.
    if (oneStatelessNetworkFirewall(index, [...f, ...r])) continue;
    const fEps = eg.forward.hops.filter((h) => h.kind === 'gwlbe');
    const rEps = eg.return.hops.filter((h) => h.kind === 'gwlbe');
    const fSet = new Set(fEps.map((h) => h.element));
    const wrong = rEps.find((h) => !fSet.has(h.element));
    let at = wrong;
    let what: Wording;
    // A hop or enforcement point with its AZ, as one name: "gwlbe-a (eu-west-1a)".
    const inAz = (name: string, az: string | undefined): string => (az ? `${name} (${az})` : name);
    if (wrong) {
      const fe = fEps[0];
      what = w`the forward leg leaves through ${lit(endpointWord(index, fe?.element))} ${inAz(fe?.name ?? '?', fe?.az)} but the reply comes back through ${inAz(wrong.name, wrong.az)}`;
    } else {
      // Same endpoints (or none): compare the enforcement points themselves, last-out against first-in.
      const fo = f[f.length - 1];
      const ri = r[0];
      if (fo.element === ri.element && !azsDiffer(fo.az, ri.az)) continue;
      at = eg.return.hops.find((h) => h.enforcement === ri);
      what = w`the forward leg is inspected by ${inAz(index.label(fo.element), fo.az)} but the reply by ${inAz(index.label(ri.element), ri.az)}`;
    }
    if (!at) continue;
    const decider = decidingHop(eg.return, at.index);
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const d = decider?.decision;
    const fe = fEps[0];
    const message = w`Asymmetric inspection across AZs for ${all(sourceLabel(index, eg))}: ${what}${d ? w`, because route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)}` : lit('')}.`;
    const forwardLeg = w`forward leg: ${lit(endpointWord(index, fe?.element))} ${fe ? inAz(fe.name, fe.az) : ''}`;
    const returnLeg = wrong ? w`return leg: ${lit(endpointWord(index, wrong.element))} ${inAz(wrong.name, wrong.az)}` : undefined;
    let fixTitle: Wording | undefined;
    out.push({
      message: text(message),
      location,
      elementId: decisionElement(index, decider) ?? at.element,
      related: [
        ...elementRelated(index, fe?.element, text(forwardLeg)),
        ...(wrong ? elementRelated(index, wrong.element, text(returnLeg!)) : []),
      ],
      traces: [traceRef(eg)],
      fix: (() => {
        const target = fe ? index.get(fe.element) : undefined;
        const edit = d?.route && target ? rewriteInlineRoute(index, d.route, target) : undefined;
        if (fe && d) {
          fixTitle = w`Point ${d.destination} in ${index.label(d.routeTable)} at ${inAz(fe.name, fe.az)}, the endpoint the forward leg uses`;
          return { title: text(fixTitle), edits: edit ? [edit] : [] };
        }
        // A firewall appliance (NGFW instance) in the forward leg: the reply goes to the interface it used.
        const fa = fe ? undefined : inspectionHop(eg.forward);
        const appliance = fa && fa.kind !== 'gwlbe' && d && index.vpcOf(d.routeTable) === index.vpcOf(fa.element) ? fa : undefined;
        if (appliance && d) {
          const iface = index.get(applianceTarget(index, appliance));
          const aEdit = d.route && iface ? rewriteInlineRoute(index, d.route, iface) : undefined;
          fixTitle = w`Point ${d.destination} in ${index.label(d.routeTable)} at ${inAz(iface ? index.label(iface.id) : appliance.name, appliance.az)}, the firewall appliance ${appliance.name} the forward leg passes`;
          return { title: text(fixTitle), edits: aEdit ? [aEdit] : [] };
        }
        // Name the enforcement point the forward leg leaves by: the one the reply must meet.
        const fo = f[f.length - 1];
        fixTitle = w`Route the reply through ${inAz(index.label(fo.element), fo.az)}, the enforcement point the forward leg passes last`;
        return { title: text(fixTitle), edits: [] };
      })(),
    });
    // The related locations as pushed: the forward leg's endpoint, then the return leg's (each when it is an element).
    const legs = [...(fe && index.get(fe.element) ? [forwardLeg] : []), ...(wrong && index.get(wrong.element) ? [returnLeg] : [])];
    const found = out[out.length - 1];
    // A module's route made from its caller's argument: whose, in the fix, and the caller's text as related.
    const given = d ? callerInput(index, d.route, d.routeTable) : undefined;
    if (given && fixTitle && found.fix) {
      fixTitle = w`${fixTitle}; ${given.note}`;
      found.fix = { ...found.fix, title: text(fixTitle) };
      found.related.push(given.related);
    }
    wordings.set(found, { message, ...(fixTitle ? { fix: fixTitle } : {}), related: legs, ...(given ? { own: [given.related] } : {}) });
  }
  return dedupe(out, (f) => locKey(f.location), wordings);
}

export const rule = defineRule({
  code: 'asymmetric-cross-az',
  defaultSeverity: 'error',
  title: 'Forward and return paths are inspected in different AZs',
  doc,
  check,
});
