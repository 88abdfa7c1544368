// Where a VPC's inspection sits relative to its NAT GW. Before NAT (app -> endpoint or firewall appliance ->
// NAT GW -> IGW), the NAT GW's table carries traffic that was already inspected and must keep going straight
// to the IGW: a fix that sends it to the firewall loops NAT -> firewall -> NAT, and an IGW edge route for
// post-NAT replies makes the firewall see replies without their forward flow.
import type { NetworkElement } from '../../model/types';
import type { ModelIndex } from '../modelIndex';
import type { Hop, PathTrace } from '../types';
import type { RuleContext } from './rule';

/** The subnet's decided, active 0.0.0.0/0 goes to a NAT GW of `vpc`. */
function defaultToNat(index: ModelIndex, subnet: string, vpc: string): boolean {
  const dflt = index
    .routeTableOfSubnet(subnet)
    ?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0' && r.state === 'active' && !r.undecided);
  const nat = dflt?.target.kind === 'natgw' ? index.resolve(dflt.target.ref, 'natgw') : undefined;
  return !!nat && index.vpcOf(nat.id) === vpc;
}

/** A forwarding appliance a route targets (its instance, or a forwarding interface attached to nothing of the inputs). */
export function routedAppliance(index: ModelIndex, to: NetworkElement | undefined): NetworkElement | undefined {
  if (!to) return undefined;
  if (to.kind === 'eni') {
    const inst = index.resolve(to.instance, 'instance') ?? index.resolve(to.instance, 'firewall');
    if (inst) return index.isAppliance(inst.id) ? inst : undefined;
    return to.instance === undefined && to.sourceDestCheck === false ? to : undefined;
  }
  return (to.kind === 'instance' || to.kind === 'firewall') && index.isAppliance(to.id) ? to : undefined;
}

/** The subnets an appliance forwards out of: its forwarding interfaces' (its own subnet when it has none). */
function forwardingSubnets(index: ModelIndex, appliance: NetworkElement): string[] {
  if (appliance.kind === 'eni') return [index.refId(appliance.subnet) ?? ''];
  const fwd = index.interfacesOf(appliance.id).filter((n) => n.sourceDestCheck === false);
  if (fwd.length > 0) return fwd.map((n) => index.refId(n.subnet) ?? '');
  const s = index.subnetOf(appliance.id);
  return s ? [s.id] : [];
}

/** A set of VPC ids that answers membership only (decided per VPC when asked). */
export interface VpcTest {
  has(vpc: string): boolean;
}

/**
 * VPCs whose NAT GW must keep sending straight to the IGW: a firewall or GWLB endpoint's subnet sends
 * 0.0.0.0/0 to a NAT GW of its VPC (the layout, whether or not a traced leg uses it: the spokes of an
 * inspection VPC may live in other stacks), so does the subnet a firewall appliance that a route of its VPC
 * sends traffic to forwards out of (an NGFW instance), a forward leg meets its endpoint or appliance before
 * its NAT GW, or the VPC holds the GWLB itself (an inspection VPC: the NAT GW carries the appliances' own
 * traffic).
 */
export function beforeNatVpcs(ctx: RuleContext): VpcTest {
  // Asked by several rules of one run about the few VPCs they report on: each VPC is read once per run, and
  // only when asked (reading every VPC's layout cost a fifth of an incremental analysis of a large estate).
  let out = layouts.get(ctx);
  if (!out) layouts.set(ctx, (out = beforeNatTest(ctx)));
  return out;
}

const layouts = new WeakMap<RuleContext, VpcTest>();

function beforeNatTest(ctx: RuleContext): VpcTest {
  const { index } = ctx;
  const known = new Map<string, boolean>();
  let gwlbVpcs: Set<string> | undefined;
  let legVpcs: Set<string> | undefined;
  const decide = (v: string): boolean => {
    if (!gwlbVpcs) {
      gwlbVpcs = new Set();
      for (const g of index.ofKind('gwlb')) {
        const gv = index.vpcOf(g.id);
        if (gv) gwlbVpcs.add(gv);
      }
    }
    if (gwlbVpcs.has(v)) return true;
    for (const s of index.subnetsOfVpc(v))
      for (const ep of index.gwlbEndpointsInSubnet(s.id)) if (index.vpcOf(ep.id) === v && defaultToNat(index, s.id, v)) return true;
    if (routesToApplianceBeforeNat(index, v)) return true;
    legVpcs ??= beforeNatLegVpcs(ctx);
    return legVpcs.has(v);
  };
  return {
    has(v: string): boolean {
      let b = known.get(v);
      if (b === undefined) known.set(v, (b = decide(v)));
      return b;
    },
  };
}

/** A route of `v` sends traffic to a firewall appliance of `v` whose forwarding subnet sends 0.0.0.0/0 to a NAT GW of `v`. */
function routesToApplianceBeforeNat(index: ModelIndex, v: string): boolean {
  const seen = new Set<string>();
  for (const t of index.routeTablesOfVpc(v))
    for (const r of t.routes) {
      if ((r.target.kind !== 'eni' && r.target.kind !== 'instance') || r.target.ref === undefined) continue;
      const app = routedAppliance(index, index.resolve(r.target.ref));
      if (!app || seen.has(app.id)) continue;
      seen.add(app.id);
      if (index.vpcOf(app.id) === v && forwardingSubnets(index, app).some((s) => s && defaultToNat(index, s, v))) return true;
    }
  return false;
}

/** VPCs where a traced forward leg meets an endpoint (or appliance) and then a NAT GW of the same VPC. */
function beforeNatLegVpcs(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const eg of ctx.egress) {
    // A reused trace crossed the same elements as when it was made: its answer is kept with it.
    let v = legVpc.get(eg.forward);
    if (v === undefined) legVpc.set(eg.forward, (v = readLegVpc(ctx.index, eg.forward)));
    if (v) out.add(v);
  }
  return out;
}

const legVpc = new WeakMap<PathTrace, string | null>();

function readLegVpc(index: ModelIndex, t: PathTrace): string | null {
  const ep = inspectionHop(t);
  if (!ep) return null;
  const nat = t.hops.findIndex((h) => h.kind === 'natgw');
  if (nat < ep.index) return null;
  const v = index.vpcOf(t.hops[nat].element);
  return v && v === index.vpcOf(ep.element) ? v : null;
}

/**
 * The first hop of a leg that inspects in a VPC: a GWLB or Network Firewall endpoint, or a firewall appliance
 * (an instance forwarding with source/destination check off) that a route sent the packet to.
 */
export function inspectionHop(t: PathTrace): Hop | undefined {
  return t.hops.find((h) => h.kind === 'gwlbe' || (h.enforcement?.kind === 'appliance' && h.kind !== 'gwlbFirewall'));
}

/**
 * What a route must target to send a packet to the appliance of a forward leg's `hop` (kind instance or
 * firewall, an appliance): the forwarding interface it left by toward the NAT GW (the one in the subnet whose
 * table decided the hop), its only forwarding interface, else the instance itself.
 */
export function applianceTarget(index: ModelIndex, hop: Hop): string {
  const fwd = index.interfacesOf(hop.element).filter((n) => n.sourceDestCheck === false);
  if (fwd.length === 1) return fwd[0].id;
  const table = hop.decision?.routeTable;
  const out = table ? fwd.filter((n) => index.routeTableOfSubnet(index.refId(n.subnet) ?? '')?.table.id === table) : [];
  return out.length === 1 ? out[0].id : hop.element;
}
