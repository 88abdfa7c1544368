// Protection state of each VPC/VNet (docs/domain.md, section 3), from its subnets' egress traces.
//
// Per path (one source subnet's forward trace toward the internet, and its return):
// - bypass: reaches the internet through no enforcement point (or through a spoke gateway while DCF
//   is not enabled);
// - GWLB firewall / Azure NVA: the appliance's own policy is not in the inputs; an enforced path
//   counts as restricted (Protected) when the return comes back through the same enforcement point,
//   as partial when it does not (the appliance sees half the flow). The AWS examples' READMEs state
//   the same choice. When the firewall VMs' bootstrap writes their policy (FortiOS), it decides
//   (firewallPolicy/bootstrap.ts); GWLB endpoints of a Palo Alto Cloud NGFW's service are decided by its
//   rulestack when the inputs hold it (firewallPolicy/cloudNgfw.ts).
// - AWS Network Firewall / Azure Firewall inspected both ways: their policy decides (firewallPolicy/).
// - Aviatrix DCF on a spoke gateway: the DCF posture of the source (dcf/posture.ts); a permit-all
//   that is not logged (no policy selects the source, so the default action permits) counts as bypass;
// - legacy transit egress: DCF posture when DCF is enabled, else Unknown (the legacy Egress Control
//   policy is not in the inputs).
// - a path whose reply never comes back (dropped, or round a loop) has no working egress: as no path out,
//   whether the forward leg was inspected or not (a reply that comes back uninspected is the partial above).
// A dual-stack subnet's IPv6 egress (SubnetEgress.family 6) is a second family of the same source: the subnet's
// class is the worse of its two families' (mergeFamilies), a path that does not leave counting as the best; the
// reason names the family (`subnet (IPv6)`). An IPv4 path through the firewall beside an IPv6 path that leaves by
// an egress-only internet gateway uninspected is a bypass.
// Per VPC: no path out -> No Egress; any undecidable path -> Unknown, unless every outcome of it gives
// the same state (see combine); all bypass -> Unprotected; all restricted -> Protected; all permit-all ->
// Monitored; bypass mixed only with permit-all -> Unprotected; any other mix -> Partially Protected.
// Infrastructure subnets (ModelIndex.isInfrastructureSubnet) are hops of other subnets' paths, not
// traffic sources, and are skipped. A VPC holding enforcement points whose only own sources are hosts in
// such subnets (ModelIndex.isHostInInfrastructure: a bastion in the NAT subnet) is Inspection.
// A VPC whose spoke gateway does local egress but for which nothing was traced is classified from
// the gateway itself (local egress points the VPC's default route to it).
import { elementsOfKind } from './byKind';
import { where } from '../model/where';
import {
  isUnresolved,
  type AviatrixGateway,
  type Firewall,
  type Instance,
  type NatGateway,
  type NetworkElement,
  type Route,
  type Val,
  type Vpc,
} from '../model/types';
import type { ModelIndex } from './modelIndex';
import { cidrContains, parseCidr } from '../model/cidr';
import { narrowExits } from './trace/narrowExits';
import type { RuleContext } from './rules/rule';
import { endpointWord } from './rules/egressPaths';
import type { EnforcementPoint, PathTrace, ProtectionState, SubnetEgress, VpcState } from './types';
import { dcfAssumption, dcfEnablement, isDcfEnforcing } from './dcf/policies';
import { internetPosture } from './dcf/posture';
import { sourceContextFor } from './dcf/source';
import type { ElementLookup } from './dcf/groups';
import { firewallPosture } from './firewallPolicy/posture';
import { oneStatelessNetworkFirewall, statefulRulesNameSources } from './firewallPolicy/awsNetworkFirewall';
import { appliancePosture, hasBootstrapPolicy, sourceSpan } from './firewallPolicy/bootstrap';
import { cloudNgfwAt, cloudNgfwPosture } from './firewallPolicy/cloudNgfw';
import { conditionalHop } from './conditional';
import { asUserData, SQUID_ALLOWLIST, SQUID_SOME_PORTS } from '../parse/vocabulary/appliance';
import { traceEgress } from './trace';
import { fqdnPosture } from './fqdnFilter';
import type { SeenSource } from './firewallPolicy/ruleSources';
import { seenSource } from './firewallPolicy/seenSource';

export type PathClass = 'none' | 'bypass' | 'restricted' | 'permit-all' | 'partial' | 'unknown';

export interface ClassifiedPath {
  cls: PathClass;
  reason: string;
  /** An unknown about the VPC itself (whether it exists), not about one of its paths: nothing decides past it. */
  whole?: true;
  /** A `none` path whose traffic leaves but whose reply never comes back (dropped or looping). */
  replyLost?: true;
  /**
   * A `none` path that rests on an assumption its reason states (a Cloud WAN core network without a way out, a TGW
   * attachment no association of the inputs names).
   */
  assumed?: true;
  /**
   * A `none` path whose table has no route for the internet in general but narrow routes out (a `/32` or a `/24` to a
   * VPN gateway, docs/domain.md "Narrow routes") whose traces reach no internet exit: what they carry,
   * `8.8.8.8/32 -> vgw`, for the state's reason (R23, R17).
   */
  narrowOnly?: string;
}

/**
 * Terraform address where there is one (it is what the user edits), with its root module's label
 * when the id carries one (`dev:aws_vpc.main`); else the display name, not a long provider id.
 */
function label(index: ElementLookup, id: string): string {
  const e = index.get(id);
  if (!e) return id;
  if (e.address) return e.id.length > e.address.length && e.id.endsWith(`:${e.address}`) ? e.id : e.address;
  return e.name || e.id;
}

/**
 * The Egress hub reason of an Aviatrix transit VPC: the transit gateway, and its FireNet and the FireNet's firewall
 * VMs where the inputs give them (F301: a FireNet firewall is what inspects the spokes' traffic there), with what the
 * FireNet's `inspection_enabled` and `egress_enabled` say of the spokes' traffic.
 */
function transitHubReason(index: ModelIndex, vpcLabel: string, vpc: string, transit: AviatrixGateway): string {
  const near = index.unmodelledTouching(vpc);
  const firenets = near.filter((u) => u.resourceType === 'aviatrix_firenet');
  const firewalls = near.filter((u) => u.resourceType === 'aviatrix_firewall_instance');
  const gw = `Aviatrix transit gateway ${label(index, transit.id)}`;
  const tail = 'and is not scored (their paths are judged at the spokes)';
  if (firenets.length === 0 && firewalls.length === 0)
    return `${vpcLabel} holds no workload, only ${gw} and its own subnets: it carries its spokes' traffic (their internet egress too when transit egress is on) ${tail}`;
  const fw = firewalls
    .map((f) => {
      const at = label(index, f.id);
      const image = f.firewallImage ? `, firewall_image "${f.firewallImage}"` : '';
      return f.name && !at.endsWith(`.${f.name}`) ? `${f.name} (${at}${image})` : `${at}${image ? ` (${image.slice(2)})` : ''}`;
    })
    .join(', ');
  const fws = `firewall${firewalls.length > 1 ? 's' : ''} ${fw}`;
  const what =
    firenets.length === 0
      ? `FireNet ${fws}`
      : `FireNet ${firenets.map((f) => label(index, f.id)).join(', ')}${firewalls.length > 0 ? ` with ${fws}` : ''}`;
  const flags = firenets.map((f) => f.firenet).find((x) => x !== undefined);
  const flag = (v: Val<boolean>, name: string, on: string, off: string): string =>
    isUnresolved(v) ? `${name} \`${v.text}\` is not known offline (${v.reason})` : v ? on : off;
  const carries = !flags
    ? 'which its FireNet may steer through the firewall'
    : `${flag(flags.inspection, 'whether its FireNet inspects it', 'which its FireNet steers through the firewall where its inspection policies select it', 'not inspected: inspection_enabled = false')}; ${flag(flags.egress, 'whether their internet egress leaves through the firewall: egress_enabled', 'its FireNet sends their internet egress out through the firewall (egress_enabled = true), which is not modelled', 'their internet egress does not leave through the firewall (egress_enabled = false), only through the transit when transit egress is on')}`;
  return `${vpcLabel} holds no workload, only ${gw}, its ${what}, and its own subnets: it carries its spokes' traffic (${carries}) ${tail}`;
}

/** True when the forward trace left for the internet. */
export function reachesInternet(t: PathTrace): boolean {
  return t.outcome.kind === 'delivered' && (t.hops.length === 0 || t.hops[t.hops.length - 1].kind === 'internet');
}

function classifyDcf(index: ElementLookup, ep: EnforcementPoint, egress: { subnet: string }, subject: string): ClassifiedPath {
  const gw = label(index, ep.element);
  const en = dcfEnablement(index.model.elements);
  const enforcing = isDcfEnforcing(en);
  if (enforcing === 'unknown') return { cls: 'unknown', reason: en.state === 'unknown' ? en.reason : 'DCF enablement is unknown' };
  if (!enforcing) {
    if (ep.kind === 'transit-egress')
      return {
        cls: 'unknown',
        reason: `${subject} egresses through transit gateway ${gw} (legacy egress); its Egress Control policy is not in the inputs`,
      };
    const cfg = en.state === 'disabled' ? ` (${label(index, en.config.id)} has enable_distributed_firewalling = false)` : '';
    return { cls: 'bypass', reason: `${subject} leaves through spoke gateway ${gw} but DCF is not enabled${cfg}` };
  }
  const posture = internetPosture(index, sourceContextFor(index, egress.subnet, undefined, ep.element), subject);
  // Monitored means a logged permit-all; an unlogged one (e.g. the default action) neither restricts
  // nor monitors: Unprotected.
  const cls: PathClass = posture.kind === 'permit-all' && !posture.logged ? 'bypass' : posture.kind;
  return { cls, reason: `${dcfAssumption(en)}${posture.reason} (at ${gw})` };
}

function classifyEnforcement(index: ElementLookup, e: SubnetEgress, ep: EnforcementPoint, subject: string): ClassifiedPath {
  if (ep.kind === 'aviatrix-dcf' || ep.kind === 'transit-egress') return classifyDcf(index, ep, e, subject);
  if (ep.kind === 'aviatrix-fqdn') {
    const gw = index.get(ep.element);
    if (gw?.kind === 'aviatrixGateway') {
      const gwLabel = label(index, gw.id);
      const p = fqdnPosture(gw, gwLabel);
      return { cls: p.kind, reason: subject === gwLabel ? p.reason : `${subject} leaves through ${p.reason}` };
    }
  }
  const vendor = index.get(ep.element)?.kind === 'firewall' ? (index.get(ep.element) as { vendor?: string }).vendor : undefined;
  const what =
    ep.kind === 'gwlb-firewall'
      ? 'GWLB firewall'
      : ep.kind === 'network-firewall'
        ? 'AWS Network Firewall'
        : ep.kind === 'appliance'
          ? `${vendor ? `${vendor} ` : ''}firewall appliance`
          : vendor === 'Azure Firewall'
            ? 'Azure Firewall'
            : 'Azure NVA';
  const at = label(index, ep.element) + serviceLink(index, e.forward, ep);
  // A GWLB whose targets only pass packets back: the flow is carried, not inspected (F201).
  if (ep.passes) return { cls: 'bypass', reason: `${subject} reaches the internet uninspected: its GWLB's target ${ep.passes}` };
  // A forwarding appliance the inputs do not show to run a firewall (nor NAT only): whether it inspects is not known.
  if (ep.unproven) return { cls: 'unknown', reason: `${subject} passes ${ep.unproven}` };
  if (
    e.return &&
    !e.return.inspectedBy.some(
      (r) => r.element === ep.element && r.endpoint === ep.endpoint && (ep.az === undefined || r.az === undefined || r.az === ep.az),
    ) &&
    // Another endpoint of one Network Firewall that keeps no flow state handles the reply as the first would.
    !(e.return.inspectedBy.length > 0 && oneStatelessNetworkFirewall(index, [ep, ...e.return.inspectedBy]))
  ) {
    const how =
      e.return.inspectedBy.length === 0
        ? 'bypasses inspection'
        : `is inspected elsewhere (${e.return.inspectedBy.map((r) => label(index, r.element) + (r.az ? ` in ${r.az}` : '')).join(', ')})`;
    return {
      cls: 'partial',
      reason: `${subject}'s forward path is inspected by ${what} ${at}${ep.az ? ` in ${ep.az}` : ''} but its return ${how}`,
    };
  }
  const fw = index.get(ep.element);
  const family = e.forward.destination.ip.includes(':') ? 6 : 4;
  const posture =
    fw?.kind === 'firewall' && (ep.kind === 'network-firewall' || ep.kind === 'azure-nva')
      ? (firewallPosture(index, fw, ...policySource(index, e, fw), family) ??
        // An NVA whose VM a configuration file of the repository sets up (an OPNsense config.xml): its filter rules.
        (ep.kind === 'azure-nva'
          ? appliancePosture(index, ep, family, sourceSpan(seenSource(index, e, { id: ep.element })[0]))
          : undefined))
      : appliancePosture(
          index,
          ep,
          family,
          // A rule naming sources decides by the subnet the appliance sees the flow come from.
          sourceSpan(seenSource(index, e, { id: ep.element })[0]),
        );
  if (posture) return { cls: posture.cls, reason: `${subject} is inspected by ${what} ${at} in both directions: ${posture.reason}` };
  // GWLB endpoints of a Palo Alto Cloud NGFW's service: its rulestack decides (firewallPolicy/cloudNgfw.ts).
  const ngfw = cloudNgfwAt(index, ep);
  if (ngfw) {
    const p = cloudNgfwPosture(index, ngfw, family, sourceSpan(seenSource(index, e, { id: ep.element })[0]));
    return { cls: p.cls, reason: `${subject} is inspected by ${what} ${at} in both directions: ${p.reason}` };
  }
  // What shows a forwarding appliance (not a GWLB's) runs a firewall: its image, its bootstrap, its name.
  const shown =
    ep.evidence && (ep.kind === 'appliance' || (ep.kind === 'azure-nva' && vendor !== 'Azure Firewall'))
      ? `a firewall: ${ep.evidence}; `
      : '';
  // Its packet filter's rules, walked (vocabulary/packetFilter.ts), or an IDS that only alerts (review s16 R1, R19).
  if (shown && ep.enforces)
    return {
      cls: ep.enforces.cls,
      reason: `${subject} is inspected by ${what} ${at} in both directions (${shown}${ep.enforces.policy})`,
    };
  // A squid allow-list on a NAT instance filters only the ports iptables hands it; the rest leaves (review s15 R19).
  // Evidence from an image's provisioning (a Packer template's) reads as user data's.
  const evidence = ep.evidence === undefined ? undefined : asUserData(ep.evidence);
  if (shown && evidence?.startsWith(SQUID_SOME_PORTS))
    return {
      cls: 'partial',
      reason: `${subject} is inspected by ${what} ${at} in both directions (${shown}its policy is that allow-list for those ports only)`,
    };
  // A squid allow-list in its user data is its policy, read (vocabulary/appliance.ts squidConfig). Rules its user
  // data writes that are not walked (any packet filter's, an inline IDS's) are in the inputs, only not evaluated
  // here (review s15 R11, s17 R16): the evidence says so by its kind, not by its wording.
  const policy = evidence?.startsWith(SQUID_ALLOWLIST)
    ? 'its policy is that allow-list'
    : shown && ep.rulesInUserData
      ? `its ${ep.rulesInUserData} are in the user data, not evaluated here`
      : 'appliance policy not in the inputs';
  return {
    cls: 'restricted',
    reason: `${subject} is inspected by ${what} ${at} in both directions (${shown}${policy}; inspection is enforced)`,
  };
}

/**
 * How the GWLB endpoint that handed the flow to `ep` was linked to its service when its own text does not name
 * it (an import joined to another template's export): the verdict rests on that link, so the reason says it.
 */
function serviceLink(index: ElementLookup, t: PathTrace, ep: EnforcementPoint): string {
  if (ep.kind !== 'gwlb-firewall') return '';
  const at = t.hops.findIndex((h) => h.enforcement?.element === ep.element);
  for (let i = at - 1; i >= 0; i--) {
    const el = index.get(t.hops[i].element);
    if (el?.kind === 'gwlbe') return el.serviceVia ? ` (behind ${label(index, el.id)}, whose service is ${el.serviceVia})` : '';
  }
  return '';
}

/**
 * The addresses a firewall whose rules may name sources sees as the source of a path (seenSource.ts), for the
 * firewalls whose posture depends on them: AWS Network Firewall policies with stateless groups or stateful
 * rules naming sources, Azure Firewall.
 */
function policySource(index: ElementLookup, e: SubnetEgress, fw: Firewall): [SeenSource | undefined, string | undefined] {
  if (fw.vendor === 'AWS Network Firewall') {
    if (fw.policy === undefined || isUnresolved(fw.policy)) return [undefined, undefined];
    const p = index.get(fw.policy);
    if (p?.kind !== 'firewallPolicy' || (!p.statelessGroups?.length && !statefulRulesNameSources(index, p))) return [undefined, undefined];
  } else if (fw.vendor !== 'Azure Firewall') return [undefined, undefined];
  return seenSource(index, e, fw, (id) => label(index, id));
}

const RANK: Record<PathClass, number> = { restricted: 3, partial: 2, 'permit-all': 1, unknown: 0, bypass: -1, none: -2 };

// Classifications of paths that do not involve DCF, by trace object: an incremental analysis hands the
// same SubnetEgress back only when nothing it was traced from changed, and such a classification reads
// nothing else (labels of the elements on the path). DCF classifications depend on the policy set: not kept.
const classified = new WeakMap<SubnetEgress, ClassifiedPath>();

// States of VPCs whose every path has a kept classification, by the VPC's first path: the same VPC
// element and the same path objects (nothing they were traced from changed) give the same state.
const stateCache = new WeakMap<SubnetEgress, { vpc: NetworkElement | undefined; traced: SubnetEgress[]; state: VpcState }>();

/**
 * A GWLB target's bootstrap writes the policy that decides the path: read from the firewall VM, which the trace
 * does not depend on, so an edit of its user data keeps the trace and must not keep the classification. The
 * same holds of a Cloud NGFW's rulestack and rules.
 */
function bootstrapDecides(index: ElementLookup, e: SubnetEgress): boolean {
  return e.forward.inspectedBy.some(
    (ep) => ep.kind === 'gwlb-firewall' && (hasBootstrapPolicy(index, ep) || cloudNgfwAt(index, ep) !== undefined),
  );
}

function classifyPath(index: ElementLookup, e: SubnetEgress): ClassifiedPath {
  const hit = classified.get(e);
  if (hit && !bootstrapDecides(index, e)) return hit;
  const c = classifyPathUncached(index, e);
  // DCF and firewall-policy classifications read policies the trace does not depend on: not kept (nor those
  // read from a GWLB target's bootstrap).
  if (!e.forward.inspectedBy.some((ep) => ep.kind !== 'gwlb-firewall') && !bootstrapDecides(index, e)) classified.set(e, c);
  return c;
}

/**
 * The narrow routes out (narrowExits: a few public addresses to an IGW, a NAT GW, ...) of the table that had no route
 * for the internet stand-in, when the path was dropped there for want of one (review s16 R23). Each was traced as an
 * extra egress of the subnet (traceAllEgress, review s17 R17); one that reaches the internet is a path of its own, so
 * a VPC still No Egress has none that does (a VPN, a peer, a transit gateway the inputs do not follow): named.
 */
function narrowOnly(index: ElementLookup, f: PathTrace): string | undefined {
  if (f.outcome.kind !== 'dropped' || f.outcome.cause !== 'no-route') return undefined;
  const tableId = f.hops.at(-1)?.decision?.routeTable;
  const table = tableId ? index.get(tableId) : undefined;
  if (table?.kind !== 'routeTable') return undefined;
  const exits = narrowExits(table);
  if (exits.length === 0) return undefined;
  const target = (t: Route['target']) => (t.ref === undefined ? t.kind : isUnresolved(t.ref) ? t.ref.text : label(index, t.ref));
  return exits.map((x) => `${x.cidr.text} -> ${target(x.route.target)}`).join(', ');
}

function classifyPathUncached(index: ElementLookup, e: SubnetEgress): ClassifiedPath {
  // An extra egress along a narrow route (SubnetEgress.narrow) is named by the addresses it carries.
  const subject = label(index, e.subnet) + (e.family === 6 ? ' (IPv6)' : '') + (e.narrow ? ` (traffic to ${e.narrow.destination})` : '');
  const f = e.forward;
  if (f.outcome.kind === 'unknown') return { cls: 'unknown', reason: `the path from ${subject} cannot be decided: ${f.outcome.reason}` };
  if (!reachesInternet(f)) {
    // A core network with no way out in the inputs, a TGW attachment nothing in them associates: No Egress on an
    // assumption, which the state's reason states.
    if (f.outcome.kind === 'dropped' && (f.outcome.cause === 'core-network-closed' || f.outcome.cause === 'no-tgw-association'))
      return { cls: 'none', reason: `${subject} has no path to the internet: ${f.outcome.reason}`, assumed: true };
    const narrow = narrowOnly(index, f);
    if (narrow) return { cls: 'none', reason: `${subject} has no path to the internet in general`, narrowOnly: `${subject}: ${narrow}` };
    return { cls: 'none', reason: `${subject} has no path to the internet` };
  }
  // A reply that never comes back (dropped, or round a loop) leaves no working egress, inspected or not; one
  // that comes back uninspected is a bypass of the return leg (classifyEnforcement), a different thing.
  const lost = e.return ? lostReply(index, e.return, e.subnet, subject) : undefined;
  if (lost) return { cls: 'none', reason: lost, replyLost: true };
  // An enforced forward leg whose reply cannot be traced: whether the enforcement is whole is not known.
  if (f.inspectedBy.length > 0 && e.return?.outcome.kind === 'unknown')
    return { cls: 'unknown', reason: `the reply to ${subject} cannot be traced: ${e.return.outcome.reason}` };
  if (f.inspectedBy.length === 0) {
    const exit = [...f.hops]
      .reverse()
      .find((h) => h.kind === 'igw' || h.kind === 'natgw' || h.kind === 'aviatrixGateway' || h.kind === 'eigw');
    return {
      cls: 'bypass',
      reason: `${subject} reaches the internet${exit ? ` via ${label(index, exit.element)}` : ''} without any enforcement point`,
    };
  }
  // Several enforcement points on one path: the most restrictive one decides.
  const results = f.inspectedBy.map((ep) => classifyEnforcement(index, e, ep, subject));
  return results.reduce((a, b) => (RANK[b.cls] > RANK[a.cls] ? b : a));
}

/**
 * Why the reply to a path that left for the internet never reaches its source, naming the route that sent it
 * where it is lost; undefined when it arrives or cannot be traced (that is Unknown, above).
 */
function lostReply(index: ElementLookup, r: PathTrace, source: string, subject: string): string | undefined {
  const o = r.outcome;
  if (o.kind !== 'dropped' && o.kind !== 'loop') return undefined;
  // The source's own address range is not in the inputs (a default subnet AWS numbers): the address the trace
  // picked for it is no one's, and the reply's miss says nothing about the network.
  const src = index.get(source);
  if (o.kind === 'dropped' && o.cause === 'no-subnet' && src?.kind === 'subnet' && typeof src.cidr !== 'string') return undefined;
  const routed = [...r.hops].reverse().find((h) => h.decision?.route !== undefined);
  const d = routed?.decision;
  const route = d ? `route ${d.destination} -> ${d.target} in ${label(index, d.routeTable)}` : undefined;
  const head = `the reply to ${subject}`;
  if (o.kind === 'loop') {
    const start = r.hops.findIndex((h) => h.element === o.at);
    const path = r.hops
      .slice(start < 0 ? 0 : start)
      .map((h) => h.name)
      .join(' -> ');
    return `${head} goes round a routing loop (${path})${route ? `; ${route} closes it` : ''}`;
  }
  // Handed back to the NAT GW that already un-translated it: a loop the NAT GW ends by dropping it.
  const again = o.cause === 'no-nat-session' && r.hops.filter((h) => h.element === o.at).length > 1;
  if (again)
    return `${head} is sent back to ${label(index, o.at!)}, which already un-translated it (a routing loop: ${r.hops
      .slice(r.hops.findIndex((h) => h.element === o.at))
      .map((h) => h.name)
      .join(' -> ')})${route ? `; ${route} sends it there` : ''}`;
  return `${head} is dropped: ${o.reason}${route && !o.reason.includes(d!.routeTable) && !o.reason.includes(label(index, d!.routeTable)) ? ` (after ${route})` : ''}`;
}

/** How bad a family's class is for the subnet (lower is worse): a family that does not leave changes nothing. */
const FAMILY_RANK: Record<PathClass, number> = { bypass: -1, unknown: 0, 'permit-all': 1, partial: 2, restricted: 3, none: 4 };

/**
 * A dual-stack subnet's two families as one path of the subnet: the worse class of the two (an IPv6 bypass beside an
 * inspected IPv4 path is a bypass; an undecided IPv6 path beside an inspected IPv4 one is undecided), its reason
 * first and the other family's after it when that one leaves too. Lists without a second family come back as they are.
 */
function mergeFamilies(traced: SubnetEgress[], paths: ClassifiedPath[]): { traced: SubnetEgress[]; paths: ClassifiedPath[] } {
  if (!traced.some((e) => e.family === 6)) return { traced, paths };
  const outT: SubnetEgress[] = [];
  const outP: ClassifiedPath[] = [];
  const at = new Map<string, number>();
  traced.forEach((e, i) => {
    if (e.family === 6) return;
    if (!e.narrow) at.set(e.subnet, outT.length);
    outT.push(e);
    outP.push(paths[i]);
  });
  traced.forEach((e, i) => {
    if (e.family !== 6) return;
    const j = at.get(e.subnet);
    if (j === undefined) {
      outT.push(e);
      outP.push(paths[i]);
      return;
    }
    const v4 = outP[j];
    const v6 = paths[i];
    if (FAMILY_RANK[v6.cls] >= FAMILY_RANK[v4.cls]) return;
    outP[j] = v4.cls === 'none' ? v6 : { ...v6, reason: `${v6.reason}; ${v4.reason}` };
  });
  return { traced: outT, paths: outP };
}

/** Classifies a VPC that has a local-egress spoke gateway but no traced path. */
function classifyFromGateway(index: ElementLookup, vpc: Vpc, gw: AviatrixGateway): ClassifiedPath | undefined {
  if (gw.snat !== true)
    return isUnresolved(gw.snat)
      ? { cls: 'unknown', reason: `SNAT of spoke gateway ${label(index, gw.id)} is \`${gw.snat.text}\`` }
      : undefined;
  if (gw.role === 'egress') {
    const p = fqdnPosture(gw, label(index, gw.id));
    return { cls: p.kind, reason: `${label(index, vpc.id)}: ${p.reason}` };
  }
  const ep: EnforcementPoint = { kind: 'aviatrix-dcf', element: gw.id };
  return classifyDcf(index, ep, { subnet: vpc.id }, label(index, vpc.id));
}

/**
 * The state of a VPC from its classified paths. An unknown path may turn out to be any class (no egress,
 * bypass, permit-all, partial, restricted); the state is decided anyway when every one of those outcomes
 * gives the same state, which happens only when the decided paths already hold a partial path, or a
 * restricted one beside a bypass or permit-all: the mix stays Partially Protected whatever is added to it.
 * Any other decided set can still become Unprotected, Protected or Monitored (or stay so): Unknown.
 */
export function combine(vpcLabel: string, paths: ClassifiedPath[]): { state: ProtectionState; reason: string } {
  const unknown = paths.filter((p) => p.cls === 'unknown');
  if (unknown.length === 0) return combineDecided(vpcLabel, paths);
  const decided = paths.filter((p) => p.cls !== 'unknown');
  const has = (c: PathClass) => decided.some((p) => p.cls === c);
  if (unknown.some((p) => p.whole) || !(has('partial') || (has('restricted') && (has('bypass') || has('permit-all')))))
    return { state: 'Unknown', reason: unknown[0].reason };
  const d = combineDecided(vpcLabel, decided);
  const which = unknown.length === 1 ? 'the undecided path does' : `the ${unknown.length} undecided paths do`;
  return {
    state: d.state,
    reason: `${d.reason}; whatever ${which}, the state stays ${d.state}: ${unknown.map((p) => p.reason).join('; ')}`,
  };
}

/**
 * A single-VPC GWLB design (review s16 R6): subnets of the inspection VPC that hold nothing in the inputs, whose
 * table sends `0.0.0.0/0` to one of the VPC's own GWLB endpoints, while no TGW attachment of the inputs is in the VPC.
 * They are another stack's attachment subnets or the design's workload tier whose hosts are deployed elsewhere:
 * plumbing, not sources, and no finding; the reason names them rather than say only that other VPCs are inspected.
 */
function ownTier(ctx: RuleContext, vpc: string): string {
  const index = ctx.index;
  if (index.tgwAttachmentsOfVpc(vpc).length > 0) return '';
  const words = new Set<string>();
  const tier = index.subnetsOfVpc(vpc).filter((s) => {
    if (index.isAttachmentSubnet(s.id) || index.elementsInSubnet(s.id).some((e) => e.kind !== 'rtAssociation')) return false;
    const dflt = index.routeTableOfSubnet(s.id)?.table.routes.find((r) => 'cidr' in r.destination && r.destination.cidr === '0.0.0.0/0');
    const ep = dflt && dflt.state === 'active' && dflt.target.kind === 'gwlbe' ? index.refId(dflt.target.ref) : undefined;
    if (ep === undefined || index.vpcOf(ep) !== vpc) return false;
    words.add(endpointWord(index, ep));
    return true;
  });
  if (tier.length === 0) return '';
  const one = tier.length === 1;
  // Network Firewall endpoints are firewall endpoints (review s18 R7).
  const eps = words.size === 1 ? `${[...words][0]}s` : 'endpoints';
  return `; ${tier.map((s) => label(index, s.id)).join(', ')} ${one ? 'routes' : 'route'} 0.0.0.0/0 through its own ${eps} and ${one ? 'holds' : 'hold'} nothing in the inputs: plumbing (attachment subnets of another stack, or the workload tier of a single-VPC design whose hosts are deployed elsewhere), not judged as a source`;
}

/**
 * The narrow routes out of a VPC without egress to the internet in general, named in its reason (R23): traced, none
 * reaches the internet in the inputs (one that does makes a path of its own, review s17 R17).
 */
function narrowReason(paths: ClassifiedPath[]): string {
  const narrow = paths.map((p) => p.narrowOnly).filter((x): x is string => x !== undefined);
  if (narrow.length === 0) return '';
  return ` in general; its only routes out are narrow routes to a few public addresses (${narrow.join('; ')}), and traffic to those addresses reaches no internet exit in the inputs`;
}

function combineDecided(vpcLabel: string, paths: ClassifiedPath[]): { state: ProtectionState; reason: string } {
  const out = paths.filter((p) => p.cls !== 'none');
  const of = (c: PathClass) => out.filter((p) => p.cls === c);
  const first = (c: PathClass) => of(c)[0]?.reason ?? '';
  if (out.length === 0) {
    // Traffic that leaves but whose reply never comes back is no egress either; the reason says where it is lost.
    const lost = paths.find((p) => p.replyLost);
    const assumed = paths.find((p) => p.assumed);
    return {
      state: 'No Egress',
      reason: lost
        ? `no subnet of ${vpcLabel} has a working path to the internet (traffic leaves, but no reply comes back): ${lost.reason}`
        : `no subnet of ${vpcLabel} has a path to the internet${narrowReason(paths)}${assumed ? `; ${assumed.reason}` : ''}`,
    };
  }
  if (of('bypass').length === out.length) return { state: 'Unprotected', reason: first('bypass') };
  if (of('restricted').length === out.length)
    return { state: 'Protected', reason: out.length === 1 ? first('restricted') : `every path is enforced: ${first('restricted')}` };
  if (of('permit-all').length === out.length) return { state: 'Monitored', reason: first('permit-all') };
  if (of('restricted').length === 0 && of('partial').length === 0) {
    return { state: 'Unprotected', reason: `${first('bypass')}; other paths are only monitored (${first('permit-all')})` };
  }
  const weak = of('bypass')[0] ?? of('partial')[0] ?? of('permit-all')[0];
  const strong = of('restricted')[0] ?? of('partial')[0];
  const reason = weak === strong || !strong ? weak.reason : `${weak.reason}; ${strong.reason}`;
  return { state: 'Partially Protected', reason };
}

/**
 * Paths that rest on conditional elements (analysis/conditional.ts). A path from a source that exists only
 * if the region has enough zones leaves the state as it is when its class is among those of the certain
 * sources' paths (then every number of zones gives the same classes): it is set aside. Otherwise, and
 * when a path goes through an element its source does not imply, the state depends on how many zones
 * there are: that path is Unknown, saying so.
 */
function settleConditional(
  index: ElementLookup,
  traced: SubnetEgress[],
  paths: ClassifiedPath[],
  vpcLabel: string,
): { traced: SubnetEgress[]; paths: ClassifiedPath[] } {
  const out: { e: SubnetEgress; p: ClassifiedPath }[] = [];
  const certain = new Set<PathClass>();
  const later: { e: SubnetEgress; p: ClassifiedPath; source: NetworkElement }[] = [];
  traced.forEach((e, i) => {
    let p = paths[i];
    const via = p.cls === 'none' || p.cls === 'unknown' ? undefined : conditionalHop(index, e);
    if (via)
      p = {
        cls: 'unknown',
        reason: `the path from ${label(index, e.subnet)} goes through ${label(index, via.id)}, which exists only if ${via.conditional?.reason ?? 'the region has enough zones'} (\`${via.conditional?.text}\` at ${where(via.loc)})`,
      };
    const source = index.get(e.subnet);
    if (source?.conditional) later.push({ e, p, source });
    else {
      certain.add(p.cls);
      out.push({ e, p });
    }
  });
  for (const { e, p, source } of later) {
    if (certain.has(p.cls) || p.cls === 'none') continue;
    out.push({
      e,
      p: {
        cls: 'unknown',
        reason: `${vpcLabel}'s state depends on how many availability zones the region has: ${label(index, source.id)} exists only if ${source.conditional?.reason ?? 'the region has enough zones'} (\`${source.conditional?.text}\` at ${where(source.loc)}), and then ${p.reason}`,
      },
    });
  }
  return { traced: out.map((x) => x.e), paths: out.map((x) => x.p) };
}

export function computeStates(ctx: RuleContext): VpcState[] {
  const index: ElementLookup = ctx.index;
  const byVpc = new Map<string, SubnetEgress[]>();
  for (const e of ctx.egress) {
    if (ctx.index.isInfrastructureSubnet(e.subnet)) continue;
    const list = byVpc.get(e.vpc) ?? [];
    list.push(e);
    byVpc.set(e.vpc, list);
  }
  const vpcs = elementsOfKind(ctx.model.elements, 'vpc');
  const spokeByVpc = new Map<string, AviatrixGateway>();
  const transitByVpc = new Map<string, AviatrixGateway>();
  for (const e of elementsOfKind(ctx.model.elements, 'aviatrixGateway')) {
    if (typeof e.vpc !== 'string') continue;
    const id = index.get(e.vpc)?.id ?? e.vpc;
    // An egress FQDN gateway with SNAT takes its VPC's default route before a spoke (localEgressSpoke).
    if (e.role === 'egress') {
      if (e.snat === true) spokeByVpc.set(id, e);
      continue;
    }
    const byRole = e.role === 'spoke' ? spokeByVpc : transitByVpc;
    if (!byRole.has(id)) byRole.set(id, e);
  }
  const outside = ctx.index.existingVpcsRouted();
  const ids = [...new Set([...vpcs.map((v) => v.id), ...byVpc.keys(), ...outside.keys()])];
  // Built on first use: an incremental run answers most VPCs from stateCache and needs none of these.
  let enforcement: Map<string, string[]> | undefined;
  /** Firewall VMs (by their bootstrap) with no forwarding interface in the inputs, by VPC. */
  const idle = new Map<string, string[]>();
  /** Explicit forward proxies (ModelIndex.isExplicitProxy), by VPC: enforcement points clients use by configuration (F103). */
  const proxies = new Map<string, Instance[]>();
  const enforcementIn = (): Map<string, string[]> => {
    if (enforcement) return enforcement;
    enforcement = new Map();
    for (const kind of ['gwlb', 'firewall', 'instance'] as const) {
      for (const e of elementsOfKind(ctx.model.elements, kind)) {
        // An instance counts when it is an appliance (it forwards others' traffic: a firewall VM), or a firewall
        // VM by its bootstrap that forwards nothing in the inputs (its data interfaces are not there).
        const appliance = e.kind !== 'instance' || ctx.index.isAppliance(e.id);
        if (e.kind === 'instance' && ctx.index.isExplicitProxy(e)) {
          const v = ctx.index.vpcOf(e.id);
          if (v) proxies.set(v, [...(proxies.get(v) ?? []), e]);
          continue;
        }
        if (!appliance && (e.kind !== 'instance' || !e.ngfw)) continue;
        // An Azure NIC with IP forwarding that no route sends to is a VM's, not an enforcement point.
        if (ctx.index.isIdleNva(e)) continue;
        const v = ctx.index.vpcOf(e.id);
        if (v) enforcement.set(v, [...(enforcement.get(v) ?? []), label(index, e.id)]);
        if (v && !appliance) idle.set(v, [...(idle.get(v) ?? []), label(index, e.id)]);
      }
    }
    return enforcement;
  };
  // Whether any instance is said to be a proxy: states near one are not answered from the cache (what proxies say is
  // not among the paths it compares).
  let proxyClue: boolean | undefined;
  const anyProxy = (): boolean => (proxyClue ??= elementsOfKind(ctx.model.elements, 'instance').some((i) => i.proxy !== undefined));
  const proxyLabel = (p: Instance): string => `${label(index, p.id)} (an explicit forward proxy: ${p.proxy!.why})`;
  const withAppliances = (v: string): string[] | undefined => {
    const own = enforcementIn().get(v);
    const appliances = ctx.index.appliancesOfVpc(v).map((t) => label(index, t));
    const relays = (proxies.get(v) ?? []).map(proxyLabel);
    return own || appliances.length || relays.length ? [...new Set([...(own ?? []), ...appliances, ...relays])] : undefined;
  };
  /** Explicit forward proxies in a VPC or in one peered with it (F103): what its hosts may be told to use. */
  const proxiesNear = (v: string): string[] => {
    // Gated by the cheap scan: enforcementIn() reads every appliance (and the Azure next hops) on first use.
    if (!anyProxy()) return [];
    enforcementIn();
    if (proxies.size === 0) return [];
    const vpcs = new Set([v]);
    for (const p of elementsOfKind(ctx.model.elements, 'peering')) {
      const a = ctx.index.refId(p.vpc);
      const b = ctx.index.refId(p.peerVpc);
      if (a === v && b) vpcs.add(b);
      if (b === v && a) vpcs.add(a);
    }
    return [...vpcs].flatMap((x) => (proxies.get(x) ?? []).map(proxyLabel));
  };
  /**
   * A proxy's own way out, traced from the proxy as any source (its public IP, its subnet's NAT): delivered, or the
   * class and reason of a path that is not (none: it has no way out; unknown: not decided). Review s15 R20.
   */
  const proxyOut = (p: Instance): ClassifiedPath | undefined => {
    const e = traceEgress(ctx.index, p.id, { destination: ctx.options.destination, general: ctx.options.destination === undefined });
    const c = classifyPath(index, e);
    return c.cls === 'none' || c.cls === 'unknown' ? c : undefined;
  };
  /**
   * A VPC whose subnets have no route out but which holds explicit forward proxies (F103): its hosts' only way out is
   * the proxy they are told to use, when the proxy itself has one (review s15 R20). Protected when a proxy with a
   * way out has its allow-list in the inputs, else Unknown naming it; Unknown when the proxies' own paths are not
   * decided; No Egress, naming them, when none has a way out.
   */
  const forcedToProxy = (vpcLabel: string, v: string, noEgress: string): { state: ProtectionState; reason: string } | undefined => {
    if (!anyProxy()) return undefined;
    enforcementIn();
    const all = proxies.get(v);
    if (!all) return undefined;
    const blocked = all.map((p) => ({ p, out: proxyOut(p) }));
    const ps = blocked.filter((x) => x.out === undefined).map((x) => x.p);
    if (ps.length === 0) {
      const undecided = blocked.find((x) => x.out!.cls === 'unknown');
      const names = all.map(proxyLabel).join(', ');
      return undecided
        ? {
            state: 'Unknown',
            reason: `${vpcLabel}'s subnets have no route to the internet; their only way out is ${names}, which hosts use when configured to, and whether it has a way out itself cannot be decided: ${undecided.out!.reason}`,
          }
        : {
            state: 'No Egress',
            reason: `${noEgress}; ${names} in it ${all.length > 1 ? 'have' : 'has'} no way out either (${blocked.map((x) => x.out!.reason).join('; ')}): nothing leaves through ${all.length > 1 ? 'them' : 'it'}`,
          };
    }
    const listed = ps.find((p) => p.proxy!.policy === 'allowlist');
    const why = `${vpcLabel}'s subnets have no route to the internet; their only way out is ${listed ? proxyLabel(listed) : ps.map(proxyLabel).join(', ')}, which hosts use when configured to`;
    return listed
      ? { state: 'Protected', reason: `${why}: what leaves goes through it` }
      : { state: 'Unknown', reason: `${why}: what it lets through is not in the inputs` };
  };
  let withSubnets: Set<string> | undefined;
  const hasSubnets = (v: string): boolean => {
    if (!withSubnets) {
      withSubnets = new Set();
      for (const s of elementsOfKind(ctx.model.elements, 'subnet')) {
        const sv = ctx.index.vpcOf(s.id);
        if (sv) withSubnets.add(sv);
      }
    }
    return withSubnets.has(v);
  };
  /** NAT GWs and IGWs by VPC (labels for the reason, NAT GWs for their tables), and each one's VPC. */
  let exits: Map<string, { labels: string[]; nats: NatGateway[] }> | undefined;
  const exitVpc = new Map<string, string>();
  const exitsIn = (v: string): { labels: string[]; nats: NatGateway[] } | undefined => {
    if (!exits) {
      exits = new Map();
      for (const kind of ['natgw', 'igw'] as const) {
        for (const e of elementsOfKind(ctx.model.elements, kind)) {
          const ev = ctx.index.vpcOf(e.id);
          if (!ev) continue;
          exitVpc.set(e.id, ev);
          const x = exits.get(ev) ?? { labels: [], nats: [] };
          x.labels.push(`${kind === 'natgw' ? 'NAT gateway' : 'internet gateway'} ${label(index, e.id)}`);
          if (e.kind === 'natgw') x.nats.push(e);
          exits.set(ev, x);
        }
      }
    }
    return exits.get(v);
  };
  /** A NAT GW or IGW -> the first traced path of another VPC whose forward leg leaves through it; built on first use. */
  let usedExits: Map<string, SubnetEgress> | undefined;
  /**
   * Why a VPC with nothing of its own to send and NAT GWs or an IGW is the egress hub of other VPCs (F78): a traced
   * path of another VPC leaves through them; or a TGW route of the inputs sends other VPCs' addresses to its
   * attachment; or a NAT GW's table routes a range outside the VPC back to a transit gateway (the return leg of
   * spokes outside the inputs, in other accounts). `unknown` when none holds but a NAT GW's table is not decided.
   */
  const hubEvidence = (v: string, nats: NatGateway[]): { why: string } | { unknown: string } | undefined => {
    if (!usedExits) {
      usedExits = new Map();
      for (const e of ctx.egress)
        for (const h of e.forward.hops) {
          if (h.kind !== 'natgw' && h.kind !== 'igw') continue;
          const ev = exitVpc.get(h.element);
          if (ev && ev !== e.vpc && !usedExits.has(h.element)) usedExits.set(h.element, e);
        }
    }
    for (const n of nats) {
      const by = usedExits.get(n.id);
      if (by) return { why: `the path from ${label(index, by.subnet)} leaves through ${label(index, n.id)}` };
    }
    for (const [id, by] of usedExits)
      if (exitVpc.get(id) === v) return { why: `the path from ${label(index, by.subnet)} leaves through ${label(index, id)}` };
    const tgwRoute = ctx.index.tgwRouteOfOthersTo(v);
    if (tgwRoute)
      return {
        why: `transit gateway route ${tgwRoute.route.destination} in ${label(index, tgwRoute.table.id)} (${where(tgwRoute.route.loc)}) sends other VPCs' traffic to its attachment ${label(index, tgwRoute.attachment.id)}`,
      };
    const own = ctx.index.vpcCidrs(v);
    let undecided: string | undefined;
    for (const n of nats) {
      const sn = ctx.index.refId(n.subnet);
      const st = sn ? ctx.index.routeTableOfSubnet(sn) : undefined;
      if (!st) {
        undecided ??= sn ? ctx.index.undecidedTableOf(sn) : undefined;
        continue;
      }
      for (const r of st.table.routes) {
        if (r.state !== 'active' || r.target.kind !== 'tgw') continue;
        const d = 'cidr' in r.destination ? r.destination.cidr : undefined;
        const c = d !== undefined && !isUnresolved(d) ? parseCidr(d) : undefined;
        // The spokes' ranges (a prefix list, a range given as a variable included), not a default route, nor the VPC's own.
        if (c && (c.prefix === 0 || own.some((o) => cidrContains(o, c)))) continue;
        const dest = d === undefined ? 'a prefix list' : isUnresolved(d) ? `\`${d.text}\`` : d;
        const at = `route ${dest} -> transit gateway in ${label(index, st.table.id)} (${where(r.loc)})`;
        if (r.undecided) undecided ??= `whether ${at} exists cannot be decided offline (\`${r.undecided.text}\`: ${r.undecided.reason})`;
        else return { why: `${at}, the table of ${label(index, n.id)}, sends replies back to VPCs outside it` };
      }
    }
    return undecided ? { unknown: undecided } : undefined;
  };
  return ids.map((id): VpcState => {
    const vpc = index.get(id);
    const all = byVpc.get(id) ?? [];
    let traced = all;
    const hit = all.length > 0 ? stateCache.get(all[0]) : undefined;
    // An Inspection or Egress hub state also names the VPC's enforcement points and exits, which an edit can
    // change without touching its paths (a second firewall registered with the GWLB): worked out again.
    if (
      hit &&
      hit.vpc === vpc &&
      !anyProxy() &&
      hit.state.state !== 'Inspection' &&
      hit.state.state !== 'Egress hub' &&
      hit.traced.length === all.length &&
      hit.traced.every((e, i) => e === all[i] && !bootstrapDecides(index, e))
    )
      return hit.state;
    const name = vpc?.name || id;
    const vpcLabel = label(index, id);
    let paths = traced.map((e) => classifyPath(index, e));
    if (ctx.index.anyConditional() && traced.length > 0) {
      const settled = settleConditional(index, traced, paths, vpcLabel);
      traced = settled.traced;
      paths = settled.paths;
    }
    ({ traced, paths } = mergeFamilies(traced, paths));
    if (vpc?.undecided)
      paths.push({
        cls: 'unknown',
        whole: true,
        reason: `whether ${vpcLabel} exists cannot be decided offline: \`${vpc.undecided.text}\` (${vpc.undecided.reason}) at ${where(vpc.loc)}`,
      });
    // The account's default VPC comes with a default subnet per zone: when the inputs declare none of its
    // subnets, what they route is not in the inputs.
    if (vpc?.kind === 'vpc' && vpc.accountDefault && traced.length === 0 && !hasSubnets(id))
      paths.push({
        cls: 'unknown',
        reason: `${vpcLabel} is the account's default VPC: AWS gives it a default subnet in each availability zone (routed 0.0.0.0/0 to its internet gateway when created); those subnets and their routes are not in the inputs`,
      });
    // Subnets or route tables of it made by a module the inputs do not hold: they may carry egress.
    if (vpc?.kind === 'vpc' && vpc.unreadParts)
      paths.push({ cls: 'unknown', reason: `subnets or route tables of ${vpcLabel} (${where(vpc.loc)}) are ${vpc.unreadParts.reason}` });
    // A VPC no subnet resource of the inputs names (a module folder analysed without the callers that make
    // its subnets): what it routes is not in the inputs. One declared with zero subnets has none: that is known.
    if (vpc?.kind === 'vpc' && vpc.subnetsOutside && !vpc.unreadParts && traced.length === 0 && !hasSubnets(id))
      paths.push({
        cls: 'unknown',
        reason: `the subnets of ${vpcLabel} (${where(vpc.loc)}) are not known: ${vpc.subnetsOutside.reason}`,
      });
    // An existing VPC, named by its id, in which the inputs make routing: what else it holds is not in the inputs.
    const routed = vpc ? undefined : outside.get(id);
    if (routed && traced.length === 0)
      paths.push({
        cls: 'unknown',
        reason: `${vpcLabel} is an existing VPC whose subnets and instances are not in the inputs; the inputs make routing in it (${routed.map((r) => label(index, r)).join(', ')})`,
      });
    // A stand-in for the network of a module the inputs do not hold: what it routes is not in the inputs.
    if (vpc?.kind === 'vpc' && vpc.unreadModule)
      paths.push({ cls: 'unknown', reason: `${vpcLabel} (${where(vpc.loc)}) is ${vpc.unreadModule.reason}` });
    // Only when nothing was traced for the VPC: a traced path that does not get out is the answer.
    if (paths.length === 0 && vpc?.kind === 'vpc') {
      const gw = spokeByVpc.get(id);
      const viaGw = gw && classifyFromGateway(index, vpc, gw);
      if (viaGw) paths.push(viaGw);
    }
    // Nothing of its own to send but hosts placed in its infrastructure subnets (a bastion in the NAT
    // subnet), and enforcement points inside: the inspection VPC of other VPCs' paths. The hosts' own
    // paths are still judged (findings) and named in the reason.
    const onlyHosts = traced.length === paths.length && traced.every((e) => ctx.index.isHostInInfrastructure(e.subnet));
    const holds = onlyHosts ? withAppliances(id) : undefined;
    const own = holds && paths.some((p) => p.cls !== 'none') ? combine(vpcLabel, paths) : undefined;
    // Nothing of its own to send, no enforcement point, but NAT gateways or an internet gateway, and other VPCs'
    // egress leaves through them (hubEvidence): the egress VPC of others (centralized egress behind a TGW). Its
    // subnets reach the internet: never No Egress. Without such evidence nothing egresses from it: No Egress (it
    // holds no workload, and a NAT GW or IGW nobody uses lets nothing out), or Unknown when a NAT GW's table is
    // not decided.
    const exitsHere = paths.length === 0 && !holds && vpc?.kind === 'vpc' && hasSubnets(id) ? exitsIn(id) : undefined;
    const evidence = exitsHere ? hubEvidence(id, exitsHere.nats) : undefined;
    const why = evidence && 'why' in evidence ? evidence.why : undefined;
    const hubExits = why ? exitsHere?.labels : undefined;
    let unused: string | undefined;
    if (exitsHere && !hubExits && !transitByVpc.has(id)) {
      if (evidence && 'unknown' in evidence)
        paths.push({ cls: 'unknown', reason: `whether ${vpcLabel} carries other VPCs' egress cannot be decided: ${evidence.unknown}` });
      else
        unused = `${vpcLabel} holds no workload, only ${exitsHere.labels.join(', ')} and the subnets they use, and no other VPC's egress leaves through them (no traced path does, no transit gateway route of the inputs sends other VPCs' traffic to it, and its NAT gateways' tables route nothing back to a transit gateway): nothing egresses from it`;
    }
    // Only firewall VMs with no forwarding data interface in the inputs (not there, or IP forwarding off): they inspect no path here.
    const idleOnly = holds && holds.every((h) => idle.get(id)?.includes(h));
    const proxyOnly = holds && holds.every((h) => (proxies.get(id) ?? []).some((p) => proxyLabel(p) === h));
    // Nothing of its own but an Aviatrix transit gateway (and its own subnets): the transit VPC of the spokes.
    const transit = paths.length === 0 && !holds && !hubExits && vpc?.kind === 'vpc' ? transitByVpc.get(id) : undefined;
    const state: VpcState = holds
      ? {
          vpc: id,
          name,
          state: 'Inspection',
          reason:
            (proxyOnly
              ? `${vpcLabel} holds only ${holds.join(', ')} and the subnets they use: what leaves them is the egress they relay for the hosts configured to use them, judged at those hosts' VPCs; not scored`
              : idleOnly
                ? `${vpcLabel} holds only firewall VMs (${holds.join(', ')}) with no forwarding data interface in the inputs: they inspect no path here, and their management subnets are their own; not scored`
                : `${vpcLabel} holds only enforcement points (${holds.join(', ')}) and the subnets they use: it inspects other VPCs' traffic and is not scored${ownTier(ctx, id)}`) +
            (own ? `; hosts in those subnets are judged on their own (${own.state}): ${own.reason}` : ''),
        }
      : hubExits
        ? {
            vpc: id,
            name,
            state: 'Egress hub',
            reason: `${vpcLabel} holds no workload, only ${hubExits.join(', ')} and the subnets they use: it carries other VPCs' egress to the internet (${why}) and is not scored (their paths are judged at their own VPCs)`,
          }
        : transit
          ? {
              vpc: id,
              name,
              state: 'Egress hub',
              reason: transitHubReason(ctx.index, vpcLabel, id, transit),
            }
          : unused
            ? { vpc: id, name, state: 'No Egress', reason: unused }
            : { vpc: id, name, ...combine(vpcLabel, paths) };
    // No route out, but an explicit forward proxy in the VPC: its hosts' egress is the proxy's to allow (F103).
    const forced = state.state === 'No Egress' && traced.length > 0 ? forcedToProxy(vpcLabel, id, state.reason) : undefined;
    // What proxies say is not among the paths the cache compares: such a state is worked out again.
    let nearProxy = false;
    if (forced) Object.assign(state, forced);
    else if (state.state === 'Unprotected' || state.state === 'Partially Protected') {
      const near = proxiesNear(id);
      nearProxy = near.length > 0;
      if (nearProxy)
        state.reason += `; ${near.join(', ')} ${near.length > 1 ? 'are' : 'is'} in the inputs, but nothing in the network sends this traffic to it: hosts told to use it can still leave without it`;
    }
    if (all.length > 0 && !forced && !nearProxy && all.every((e) => classified.has(e) && !bootstrapDecides(index, e)))
      stateCache.set(all[0], { vpc, traced: all, state });
    return state;
  });
}
