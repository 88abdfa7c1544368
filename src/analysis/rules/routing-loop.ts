// The path comes back to an element and table it already left with the same packet: it will circle
// until its TTL runs out.
import type { Hop, PathTrace } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { decisionElement, decisionLocation, dedupe, related, sourceLabel } from './egressPaths';

const doc = `Fires when a subnet's egress path (forward or return) revisits the same hop: the packet returns to
an element and the same route table decides again with the same addresses, so it circles until its TTL
expires. Typical causes are an endpoint or NAT subnet whose default route points back at the NAT GW, or two
route tables that send a prefix to each other's targets. Fix: change the route named in the finding so the
cycle ends at the internet gateway (or the intended next hop).`;

function loopHops(t: PathTrace): { first: Hop; last: Hop; cycle: Hop[] } | undefined {
  if (t.outcome.kind !== 'loop') return undefined;
  const at = t.outcome.at;
  const last = [...t.hops].reverse().find((h) => h.element === at);
  const first = t.hops.find((h) => h.element === at && h.decision && h !== last);
  if (!last || !first) return undefined;
  return { first, last, cycle: t.hops.slice(first.index, last.index + 1) };
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    for (let i = 0; i < 2; i++) {
      const leg = i === 0 ? 'forward' : 'return';
      const t = i === 0 ? eg.forward : eg.return;
      const l = t ? loopHops(t) : undefined;
      if (!l) continue;
      // The route that closes the cycle: the last decision before we came back to the start.
      const closer = [...l.cycle]
        .slice(0, -1)
        .reverse()
        .find((h) => h.decision);
      const location = decisionLocation(index, closer) ?? decisionLocation(index, l.last);
      if (!location) continue;
      const path = l.cycle.map((h) => h.name).join(' -> ');
      out.push({
        message: `Routing loop on the ${leg} path of ${sourceLabel(index, eg)}: ${path}${closer?.decision ? `; route ${closer.decision.destination} -> ${closer.decision.target} in ${index.label(closer.decision.routeTable)} closes the cycle` : ''}.`,
        location,
        elementId: decisionElement(index, closer) ?? l.last.element,
        related: related(decisionLocation(index, l.first), `the cycle starts here (${l.first.name})`),
        traces: [eg.subnet],
        fix: { title: 'Change the route that closes the cycle so traffic leaves through the intended gateway', edits: [] },
      });
    }
  }
  return dedupe(out, (f) => f.elementId);
}

export const rule = defineRule({
  code: 'routing-loop',
  defaultSeverity: 'error',
  title: 'Egress path revisits a hop (routing loop)',
  doc,
  check,
});
