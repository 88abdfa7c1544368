// IPv6 sent over a transit gateway (or any path) to another VPC's internet or egress-only internet gateway: nothing
// translates IPv6 on the way, and a gateway forwards only its own VPC's addresses, so that IPv6 never leaves.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { decidingHop, decisionElement, decisionLocation, locKey, related, sourceLabel, traceRef } from './egressPaths';
import type { SubnetEgress } from '../types';

const doc = `Fires when a subnet's IPv6 egress (its IPv6 family when dual-stack, or an IPv6-only subnet's) is sent to
the internet gateway or egress-only internet gateway of another VPC, usually over a transit gateway to a central
egress or inspection VPC: IPv6 is not translated (a NAT gateway translates IPv4, and IPv6 only to IPv4 with NAT64),
and a gateway forwards only the addresses of its own VPC, so the IPv6 never leaves, and a reply to the spoke's
prefix would not come back through that gateway either. The AWS multi-VPC whitepaper ("Centralized egress for
IPv6") gives two ways: decentralized IPv6 egress (an egress-only internet gateway in each spoke VPC, the spoke's
\`::/0\` routed to it, inspected in the spoke if it must be), or centralized IPv6 egress that translates first
(NPTv6 / NAT66 instances, or proxies behind a Network Load Balancer in the egress VPC). The finding sits on the route
that hands the IPv6 to the gateway (in the egress VPC), names every subnet whose IPv6 ends there, and relates each
spoke's own route. A warning: the subnets' IPv4 egress is judged on its own, and their state does not count the
dropped family. When an instance or appliance of the egress VPC forwards the IPv6 to the gateway (NPTv6/NAT66
instances, a firewall), whether it translates is its configuration, not the inputs': the path is Unknown naming it,
and the rule does not fire.`;

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const groups = new Map<string, { eg: SubnetEgress; at: number }[]>();
  for (const eg of ctx.egress) {
    const o = eg.forward.outcome;
    if (o.kind !== 'dropped' || o.cause !== 'ipv6-other-vpc') continue;
    const at = eg.forward.hops.findIndex((h) => h.element === o.at);
    const decider = at > 0 ? decidingHop(eg.forward, at) : undefined;
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const k = locKey(location);
    groups.set(k, [...(groups.get(k) ?? []), { eg, at }]);
  }
  const out: RawFinding[] = [];
  for (const items of groups.values()) {
    const { eg, at } = items[0];
    const igw = eg.forward.hops[at].element;
    const vpc = eg.forward.hops[at].vpc ?? index.vpcOf(igw) ?? igw;
    const decider = decidingHop(eg.forward, at)!;
    const d = decider.decision!;
    const gw = index.get(igw);
    const gwWord = gw?.kind === 'eigw' ? 'egress-only internet gateway' : 'internet gateway';
    // Subjects by VPC: subnets of several spokes may share names (a module called for each).
    const byVpc = new Map<string, SubnetEgress[]>();
    for (const i of items) byVpc.set(i.eg.vpc, [...(byVpc.get(i.eg.vpc) ?? []), i.eg]);
    const subjects =
      byVpc.size === 1
        ? [...new Set(items.map((i) => sourceLabel(index, i.eg)))].join(', ')
        : [...byVpc].map(([v, egs]) => `${[...new Set(egs.map((e) => sourceLabel(index, e)))].join(', ')} of ${index.label(v)}`).join('; ');
    const spokes = [...new Set(items.map((i) => index.label(i.eg.vpc)))];
    // Each spoke's own route that sends its IPv6 away (the first decision of its path).
    const own = items.flatMap((i) => {
      const first = i.eg.forward.hops.find((h) => h.decision);
      const dd = first?.decision;
      return dd
        ? related(
            decisionLocation(index, first),
            `${index.label(i.eg.vpc)} sends ${dd.destination} to ${dd.target} in ${index.label(dd.routeTable)}`,
          )
        : [];
    });
    const rel = [...new Map(own.map((r) => [locKey(r.location), r])).values()];
    const gwRel = gw
      ? [{ location: gw.loc, message: `${gwWord} of ${index.label(vpc)}: it forwards IPv6 only from ${index.label(vpc)}'s own addresses` }]
      : [];
    out.push({
      message: `IPv6 from ${subjects} never leaves: route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)} sends it to ${gwWord} ${index.label(igw)} of ${index.label(vpc)}, which forwards IPv6 only from ${index.label(vpc)}'s own addresses, and nothing on the way translates IPv6 (central IPv6 egress needs NPTv6/NAT66 or a proxy).`,
      location: decisionLocation(index, decider)!,
      elementId: decisionElement(index, decider) ?? igw,
      related: [...gwRel, ...rel],
      traces: [...new Set(items.map((i) => traceRef(i.eg)))],
      fix: {
        title: `Give ${spokes.length === 1 ? `${spokes[0]} its own egress-only internet gateway and route its` : `each of ${spokes.join(', ')} its own egress-only internet gateway and route their`} ::/0 there (decentralized IPv6 egress: inspect it in the VPC if it must be inspected), or translate their IPv6 in ${index.label(vpc)} before ${index.label(igw)} (NPTv6/NAT66 instances, or a proxy)`,
        edits: [],
      },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'ipv6-central-egress',
  defaultSeverity: 'warning',
  title: "IPv6 is sent to another VPC's internet gateway, which never forwards it",
  doc,
  check,
});
