// Only the reply is inspected: the forward leg leaves without passing the appliance the return leg
// enters, so the appliance sees replies to flows it never saw start and (stateful) drops them.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import {
  decidingHop,
  decisionElement,
  decisionLocation,
  dedupe,
  elementRelated,
  isDelivered,
  locKey,
  related,
  rewriteInlineRoute,
  sourceLabel,
  traceRef,
  endpointWord,
  callerInput,
  type Worded,
} from './egressPaths';
import { agree, all, lit, text, w, type Wording } from './wording';
import { beforeNatVpcs, type VpcTest } from './natLayout';

const doc = `Fires when the return path from the internet passes an enforcement point (typically the IGW edge
route table sends the reply through a GWLB endpoint) but the forward path reaches the internet without it,
for example when the NAT subnet's default route points straight at the IGW instead of the GWLB endpoint. A
stateful firewall then sees only replies, drops them, and the flow breaks; if it lets them through, nothing
was inspected on the way out. Fix: route the forward leg through the same GWLB endpoint (same AZ) the return
leg uses, usually \`0.0.0.0/0 -> GWLB endpoint\` in the NAT subnet's route table (inspection after NAT). When
inspection sits before NAT (the endpoint's subnet, or a firewall instance's, sends 0.0.0.0/0 to the NAT GW), the NAT subnet's table must
keep its 0.0.0.0/0 on the IGW, or every flow would loop NAT GW -> endpoint -> NAT GW: the finding then sits on
the route that sent the packet to the NAT GW (the workload's), and the fix sends it to the endpoint instead.
One finding for a route written once for several instances (a shared Terraform module's route for each caller, a
\`for_each\` table's) names each instance's table, target and endpoint.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace.`;

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  const wordings = new Map<RawFinding, Worded>();
  let beforeNat: VpcTest | undefined;
  for (const eg of ctx.egress) {
    if (!isDelivered(eg.forward) || !eg.return) continue;
    if (eg.forward.inspectedBy.length > 0 || eg.return.inspectedBy.length === 0) continue;
    // The forward route that hands the packet to its exit (IGW, spoke, Internet) without enforcement.
    const exitIdx = eg.forward.hops.findIndex((h) => h.kind === 'igw' || h.kind === 'eigw' || h.kind === 'internet');
    let decider = decidingHop(eg.forward, exitIdx < 0 ? eg.forward.hops.length : exitIdx);
    // Before NAT, the NAT GW's own table is not the one to change: the table that sent the packet to it is.
    if (decider?.kind === 'natgw' && (beforeNat ??= beforeNatVpcs(ctx)).has(index.vpcOf(decider.element) ?? eg.vpc))
      decider = decidingHop(eg.forward, decider.index) ?? decider;
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const ret = eg.return;
    const rh = ret.hops.find((h) => h.enforcement)!;
    const rEp = eg.return.hops.find((h) => h.kind === 'gwlbe');
    const rDecider = rEp ? decidingHop(eg.return, rEp.index) : undefined;
    const d = decider?.decision;
    // Names as slots: one finding for subnets sharing the route (or a module's route for each caller) names all.
    const message = w`Only the ${agree('reply', 'replies', 'next')} to ${all(sourceLabel(index, eg))} ${agree('is', 'are')} inspected (by ${rEp ? w`${lit(endpointWord(index, rEp.element))} ${rEp.name}` : rh.name}); the forward leg leaves uninspected${d ? w` by route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)}` : lit('')}.`;
    const rd = rDecider?.decision;
    const returnRoute = w`return route ${rd?.destination ?? ''} -> ${rd?.target ?? ''} in ${rd ? index.label(rd.routeTable) : ''}`;
    let fixTitle: Wording | undefined;
    out.push({
      message: text(message),
      location,
      elementId: decisionElement(index, decider) ?? eg.subnet,
      related: [
        ...related(decisionLocation(index, rDecider), text(returnRoute)),
        ...elementRelated(index, rEp?.element ?? rh.element, 'the return leg is inspected here'),
      ],
      traces: [traceRef(eg)],
      fix: (() => {
        // The endpoint, or the interface a firewall appliance took the reply in by (what a route targets).
        const prev = rEp ? undefined : ret.hops[rh.index - 1];
        const target = rEp ? index.get(rEp.element) : prev?.kind === 'eni' ? index.get(prev.element) : undefined;
        const edit = d?.route && target ? rewriteInlineRoute(index, d.route, target) : undefined;
        fixTitle = d
          ? w`Send ${d.destination} in ${index.label(d.routeTable)} to ${rEp ? rEp.name : target ? `${index.label(target.id)} (firewall appliance ${rh.name})` : rh.name} instead of ${d.target}`
          : lit('Route the forward leg through the same enforcement point as the return leg');
        return { title: text(fixTitle), edits: edit ? [edit] : [] };
      })(),
    });
    const f = out[out.length - 1];
    // A module's route made from its caller's argument: whose, in the fix, and the caller's text as related.
    const given = d ? callerInput(index, d.route, d.routeTable) : undefined;
    if (given && fixTitle && f.fix) {
      fixTitle = w`${fixTitle}; ${given.note}`;
      f.fix = { ...f.fix, title: text(fixTitle) };
      f.related.push(given.related);
    }
    wordings.set(f, {
      message,
      ...(fixTitle ? { fix: fixTitle } : {}),
      related: f.related.map((_, i) => (i === 0 && rDecider && decisionLocation(index, rDecider) ? returnRoute : undefined)),
      ...(given ? { own: [given.related] } : {}),
    });
  }
  return dedupe(out, (f) => locKey(f.location), wordings);
}

export const rule = defineRule({
  code: 'asymmetric-return-only',
  defaultSeverity: 'error',
  title: 'Return path is inspected but the forward path is not',
  doc,
  check,
});
