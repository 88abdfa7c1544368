// The inspection point a fix sends traffic to, named by its resource: the endpoint (or firewall appliance
// interface) of the subnet's AZ when there is one; when that AZ has none, the fix says so and names those
// that exist, or says one must be added. A fix that says "the endpoint of the subnet's AZ" where there is
// none points at nothing.
import { val, type ModelIndex } from '../modelIndex';
import type { RuleContext } from './rule';
import { endpointWord } from './egressPaths';
import { routedAppliance } from './natLayout';
import { agree, join, lit, names, text, w, type Wording } from './wording';

export interface InspectionPoint {
  /** A GWLB or Network Firewall endpoint, or a routed firewall appliance's forwarding interface (or the instance). */
  id: string;
  az?: string;
}

/** A firewall appliance's forwarding interface a route of its VPC targets, or the routed instance itself (not a NAT instance). */
function routedApplianceTargets(index: ModelIndex, vpc: string): string[] {
  const out = new Set<string>();
  for (const t of index.routeTablesOfVpc(vpc))
    for (const r of t.routes) {
      if ((r.target.kind !== 'eni' && r.target.kind !== 'instance') || r.target.ref === undefined) continue;
      const to = index.resolve(r.target.ref);
      const app = routedAppliance(index, to);
      // A NAT instance translates, it does not inspect: no inspection point (ModelIndex.applianceRole).
      if (!to || !app || index.applianceRole(app.id).role === 'nat') continue;
      if (to.kind === 'eni') out.add(to.id);
      else {
        const fwd = index.interfacesOf(app.id).filter((n) => n.sourceDestCheck === false);
        out.add(fwd.length === 1 ? fwd[0].id : app.id);
      }
    }
  return [...out];
}

/** The VPC's inspection points (memoised per VPC for one rule run: findings of one VPC ask again). */
export function inspectionPoints(ctx: RuleContext): (vpc: string) => InspectionPoint[] {
  const { index } = ctx;
  const memo = new Map<string, InspectionPoint[]>();
  let byVpc: Map<string, string[]> | undefined;
  return (vpc) => {
    let pts = memo.get(vpc);
    if (pts) return pts;
    if (!byVpc) {
      byVpc = new Map();
      for (const ep of index.ofKind('gwlbe')) {
        if (ep.undecided) continue;
        const v = index.vpcOf(ep.id);
        if (v) byVpc.set(v, [...(byVpc.get(v) ?? []), ep.id]);
      }
    }
    pts = [...(byVpc.get(vpc) ?? []), ...routedApplianceTargets(index, vpc)].map((id) => {
      const az = index.azOf(id);
      return az ? { id, az } : { id };
    });
    memo.set(vpc, pts);
    return pts;
  };
}

/** An inspection point by its resource: `GWLB endpoint aws_vpc_endpoint.gwlbe["a"] (eu-west-1a)`. */
export function pointName(index: ModelIndex, p: InspectionPoint): string {
  const e = index.get(p.id);
  const addr = (id: string | undefined): string => {
    const x = id ? index.get(id) : undefined;
    return x ? (x.address ?? index.label(x.id)) : (id ?? '?');
  };
  let name: string;
  if (e?.kind === 'gwlbe' && e.flavor === 'networkFirewall')
    name = `the firewall endpoint of ${addr(index.refId(e.service))} in ${addr(index.refId(e.subnet))}`;
  else if (e?.kind === 'eni') {
    const inst = index.refId(e.instance);
    name = `firewall interface ${addr(e.id)}${inst ? ` of ${addr(inst)}` : ''}`;
  } else name = `${endpointWord(index, p.id)} ${addr(p.id)}`;
  return p.az ? `${name} (${p.az})` : name;
}

/**
 * Where a fix sends traffic of `az` (undefined: the AZ is not known) in `vpc`: `to` names the point when the
 * VPC has one there (or only one, when the AZ is not known); else `to` is `generic` in that AZ and `note` says
 * why it is not there and what exists (appended to the fix's title). `generic` is the phrase the advice would
 * use of any AZ ("a GWLB endpoint"); where the VPC's inspection is a firewall instance, "a firewall appliance".
 */
export function pointFor(
  ctx: RuleContext,
  points: (vpc: string) => InspectionPoint[],
  vpc: string | undefined,
  az: string | undefined,
  generic: string,
): { to: string; note?: string } {
  const p = pointWording(ctx, points, vpc, az, generic);
  return p.note ? { to: text(p.to), note: text(p.note) } : { to: text(p.to) };
}

/** pointFor as words and names (wording.ts): the VPC, its AZ and its points are names a merged finding lists. */
export function pointWording(
  ctx: RuleContext,
  points: (vpc: string) => InspectionPoint[],
  vpc: string | undefined,
  az: string | undefined,
  generic: string,
): { to: Wording; note?: Wording } {
  const { index } = ctx;
  const all = vpc ? points(vpc) : [];
  const here = az ? all.filter((p) => p.az === az) : all.length === 1 ? all : [];
  if (here.length === 1) return { to: w`${pointName(index, here[0])}` };
  const list = (ps: InspectionPoint[]) =>
    names(
      ps.map((p) => pointName(index, p)),
      true,
    );
  if (here.length > 1) return { to: w`${lit(generic)} in ${az!}`, note: w`${az!} has ${lit(String(here.length))}: ${list(here)}` };
  const vpcName = vpc ? index.label(vpc) : 'the VPC';
  const what = all.length > 0 && all.every((p) => index.get(p.id)?.kind !== 'gwlbe') ? 'a firewall appliance' : generic;
  if (all.length === 0)
    return {
      to: az ? w`${lit(generic)} in ${az}` : lit(generic),
      note: w`${vpcName} ${agree('has', 'have')} no GWLB or firewall endpoint in the inputs: one must be added, in a subnet of its own (a subnet whose table sends 0.0.0.0/0 to the endpoint cannot hold it: the endpoint's own traffic would loop back to it)`,
    };
  if (!az) return { to: w`${lit(what)} of the subnet's AZ`, note: w`its AZ is not known offline; ${vpcName} has ${list(all)}` };
  return {
    to: w`${lit(what)} in ${az}`,
    note: w`${vpcName} ${agree('has', 'have')} none in ${az}: add one there, or use ${list(all)}, whose AZ the traffic then crosses into`,
  };
}

/**
 * pointFor over the subnets of several AZs one fix speaks for (a route shared by them): each AZ's point, by
 * AZ, and every AZ's note; never the first subnet's AZ alone.
 */
export function pointsFor(
  ctx: RuleContext,
  points: (vpc: string) => InspectionPoint[],
  vpc: string | undefined,
  azs: readonly string[],
  generic: string,
): { to: Wording; note?: Wording } {
  if (!vpc || points(vpc).length === 0) {
    const p = pointWording(ctx, points, vpc, azs[0], generic);
    return { to: w`${lit(generic)} in each of ${names(azs, true)}`, ...(p.note ? { note: p.note } : {}) };
  }
  const parts: Wording[] = [];
  const notes = new Map<string, Wording>();
  for (const az of azs) {
    const p = pointWording(ctx, points, vpc, az, generic);
    parts.push(w`${az}: ${p.to}`);
    if (p.note) notes.set(text(p.note), p.note);
  }
  // As pointFor says it: a VPC whose inspection is a firewall instance has appliances, not endpoints.
  const noun = points(vpc).every((p) => ctx.index.get(p.id)?.kind !== 'gwlbe') ? 'firewall appliance' : generic.replace(/^an? /, '');
  return {
    to: w`the ${lit(noun)} of each subnet's AZ (${join(parts, '; ')})`,
    ...(notes.size ? { note: join([...notes.values()], '; ') } : {}),
  };
}

/** The AZ of a subnet (resolved values only). */
export function subnetAz(index: ModelIndex, subnet: string): string | undefined {
  const s = index.resolve(subnet, 'subnet');
  return s ? val(s.az) : undefined;
}
