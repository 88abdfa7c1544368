// Where a VPC's inspection sits relative to its NAT GW. Before NAT (app -> endpoint -> NAT GW -> IGW), the NAT
// GW's table carries traffic that was already inspected and must keep going straight to the IGW: a fix that
// sends it to the endpoint loops NAT -> endpoint -> NAT, and an IGW edge route for post-NAT replies makes the
// firewall see replies without their forward flow.
import type { RuleContext } from './rule';

/**
 * VPCs whose NAT GW must keep sending straight to the IGW: a firewall or GWLB endpoint's subnet sends
 * 0.0.0.0/0 to a NAT GW of its VPC (the layout, whether or not a traced leg uses it: the spokes of an
 * inspection VPC may live in other stacks), a forward leg meets its endpoint before its NAT GW, or
 * the VPC holds the GWLB itself (an inspection VPC: the NAT GW carries the appliances' own traffic).
 */
export function beforeNatVpcs(ctx: RuleContext): Set<string> {
  const { index } = ctx;
  const out = new Set<string>();
  for (const g of index.ofKind('gwlb')) {
    const v = index.vpcOf(g.id);
    if (v) out.add(v);
  }
  for (const ep of index.ofKind('gwlbe')) {
    const v = index.vpcOf(ep.id);
    const sub = index.refId(ep.subnet);
    if (!v || !sub || out.has(v)) continue;
    const dflt = index
      .routeTableOfSubnet(sub)
      ?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0' && r.state === 'active' && !r.undecided);
    const nat = dflt?.target.kind === 'natgw' ? index.resolve(dflt.target.ref, 'natgw') : undefined;
    if (nat && index.vpcOf(nat.id) === v) out.add(v);
  }
  // A traced leg: the VPC holding that endpoint and NAT GW (a spoke's leg meets an inspection VPC's).
  for (const eg of ctx.egress) {
    const hops = eg.forward.hops;
    const ep = hops.findIndex((h) => h.kind === 'gwlbe');
    const nat = hops.findIndex((h) => h.kind === 'natgw');
    if (ep < 0 || nat < ep) continue;
    const v = index.vpcOf(hops[nat].element);
    if (v && v === index.vpcOf(hops[ep].element)) out.add(v);
  }
  return out;
}
