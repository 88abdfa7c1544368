// The routing verdict of one egress (forward and return leg): the one sentence every surface leads with.
// Simulate Flow's narration, Trace's narration, the CodeLens, the tree's tooltips and the reports all
// call this, so no two surfaces can disagree about a path ("RETURN UNINSPECTED: bypasses gwlbe-a").
// The steps of a path (stage and sentence, numbered over both legs) come from here too: the topology's
// narration and the output channel print the same ones.
// Pure: reads the traces (and the VPC's protection state for DCF paths), nothing else.
import { azsDiffer } from '../model/az';
import type { EnforcementPoint, FlowSpec, FlowVerdict, Hop, PathTrace, RoutingVerdict, SubnetEgress, VpcState } from './types';

export type { RoutingVerdict, RoutingVerdictKind } from './types';

export interface VerdictOptions {
  /** The VPC's protection state: it decides how a path through a DCF spoke gateway reads. */
  state?: Pick<VpcState, 'state' | 'reason'>;
  /** The flow's protocol: TCP names the legs SYN / SYN-ACK, others request / reply. Egress traces: TCP. */
  protocol?: FlowSpec['protocol'];
  /** A simulated flow's policy verdicts: at a DCF spoke gateway they say whether a policy or the default action decided. */
  flowVerdicts?: readonly FlowVerdict[];
}

function where(h: { name: string; az?: string }): string {
  return h.az ? `${h.name} (${h.az})` : h.name;
}

/** The hop that holds an enforcement point, for its name. */
function epHop(t: PathTrace, ep: EnforcementPoint): Hop | undefined {
  return t.hops.find((h) => h.enforcement?.element === ep.element && (ep.az === undefined || h.enforcement.az === ep.az));
}

function epName(t: PathTrace, ep: EnforcementPoint): string {
  return epHop(t, ep)?.name ?? ep.element;
}

function unique<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}

/** Where a leg is inspected: its GWLB/firewall endpoints when it passes any, else its enforcement points. */
function inspectionHops(t: PathTrace): { name: string; az?: string; element: string }[] {
  const eps = unique(
    t.hops.filter((h) => h.kind === 'gwlbe'),
    (h) => h.element,
  );
  if (eps.length) return eps.map((h) => ({ name: h.name, az: h.az, element: h.element }));
  return unique(t.inspectedBy, (e) => `${e.element}@${e.az ?? ''}`).map((ep) => ({ name: epName(t, ep), az: ep.az, element: ep.element }));
}

function exitHop(t: PathTrace): Hop | undefined {
  return [...t.hops].reverse().find((h) => h.kind === 'igw' || h.kind === 'natgw' || h.kind === 'aviatrixGateway' || h.kind === 'eigw');
}

function shorten(s: string, max = 44): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function routingVerdict(e: Pick<SubnetEgress, 'forward' | 'return' | 'divergence'>, opts: VerdictOptions = {}): RoutingVerdict {
  const f = e.forward;
  if (f.outcome.kind === 'unknown')
    return { kind: 'unknown', headline: `UNKNOWN: ${f.outcome.reason}`, short: '? path cannot be decided', bad: false };
  if (f.outcome.kind === 'dropped')
    return { kind: 'dropped', headline: `DROPPED: ${f.outcome.reason}`, short: shorten(`✖ dropped: ${f.outcome.reason}`), bad: true };
  if (f.outcome.kind === 'loop') {
    const at = f.hops.find((h) => h.element === (f.outcome as { at: string }).at)?.name ?? f.outcome.at;
    return { kind: 'loop', headline: `ROUTING LOOP at ${at}`, short: shorten(`✖ routing loop at ${at}`), bad: true };
  }
  const last = f.hops[f.hops.length - 1];
  if (last && last.kind !== 'internet') {
    const by = f.inspectedBy.length
      ? `inspected by ${unique(
          f.inspectedBy.map((ep) => epName(f, ep)),
          (x) => x,
        ).join(', ')}`
      : 'no enforcement point';
    return {
      kind: 'internal',
      headline: `INTERNAL: delivered to ${last.name}, not the internet (${by})`,
      short: shorten(`→ ${last.name}`),
      bad: false,
    };
  }
  const tcp = opts.protocol === undefined || opts.protocol === 'tcp';
  const [out, back] = tcp ? ['SYN', 'SYN-ACK'] : ['request', 'reply'];
  if (f.inspectedBy.length === 0) {
    const exit = exitHop(f);
    return {
      kind: 'uninspected',
      headline: `UNINSPECTED: leaves${exit ? ` through ${exit.name}` : ''} with no enforcement point on the path`,
      short: shorten(`⚠ uninspected${exit ? ` (via ${exit.name})` : ''}`),
      bad: true,
    };
  }
  // A GWLB whose targets only pass packets back (gwlbtun's pass-through script): nothing inspects the flow (F201).
  const passes = f.inspectedBy.find((ep) => ep.passes !== undefined);
  if (passes && f.inspectedBy.every((ep) => ep.passes !== undefined))
    return {
      kind: 'uninspected',
      headline: `UNINSPECTED: through ${passes.passes}`,
      short: shorten(`⚠ uninspected (pass-through at ${epName(f, passes)})`),
      bad: true,
    };
  // A forwarding appliance the inputs do not show to run a firewall (nor NAT): whether the path is inspected is not known.
  const unproven = f.inspectedBy.find((ep) => ep.unproven !== undefined);
  if (unproven && f.inspectedBy.every((ep) => ep.unproven !== undefined))
    return {
      kind: 'unknown',
      headline: `UNKNOWN: through ${unproven.unproven}`,
      short: shorten(`? ${epName(f, unproven)}: NAT or firewall?`),
      bad: false,
    };
  // A DCF spoke gateway is an enforcement point, not proof of inspection: the policies decide.
  const dcfOnly = f.inspectedBy.every((ep) => ep.kind === 'aviatrix-dcf' || ep.kind === 'transit-egress');
  const gw = unique(
    f.inspectedBy.map((ep) => epName(f, ep)),
    (x) => x,
  ).join(', ');
  const through = `through spoke gateway ${gw} (DCF enforcement point)`;
  const byDefault = opts.flowVerdicts?.find((v) => f.inspectedBy.some((ep) => ep.element === v.at) && !v.policy);
  if (dcfOnly && byDefault && byDefault.decision === 'allow' && /default action/.test(byDefault.reason))
    return {
      kind: 'unprotected',
      headline: `UNPROTECTED: ${through}; no policy matches this flow: default action PERMIT`,
      short: shorten(`⚠ default PERMIT at ${gw}`),
      bad: true,
    };
  if (dcfOnly && opts.state) {
    const st = opts.state;
    if (st.state === 'Unprotected') {
      const why = /DCF is not enabled/.test(st.reason)
        ? 'DCF is not enabled, so it enforces nothing'
        : /no enabled DCF policy selects/.test(st.reason)
          ? 'no policy selects this VPC: default action PERMIT'
          : st.reason;
      return { kind: 'unprotected', headline: `UNPROTECTED: ${through}; ${why}`, short: shorten(`⚠ unprotected at ${gw}`), bad: true };
    }
    if (st.state === 'Monitored')
      return { kind: 'monitored', headline: `MONITORED: ${through}; ${st.reason}`, short: shorten(`◐ monitored at ${gw}`), bad: false };
  }
  const r = e.return;
  const fIns = inspectionHops(f);
  const fNames = unique(
    fIns.map((h) => h.name),
    (x) => x,
  ).join(', ');
  if (!r)
    return {
      kind: 'inspected',
      headline: `INSPECTED via ${fNames}; the reply is not traced`,
      short: shorten(`✓ via ${fNames}`),
      bad: false,
    };
  if (r.outcome.kind === 'unknown')
    return { kind: 'unknown', headline: `UNKNOWN RETURN: ${r.outcome.reason}`, short: '? return cannot be decided', bad: false };
  if (r.outcome.kind !== 'delivered') {
    const why = r.outcome.kind === 'dropped' ? r.outcome.reason : `routing loop at ${r.outcome.at}`;
    return { kind: 'return-dropped', headline: `RETURN DROPPED: ${why}`, short: shorten(`✖ return dropped`), bad: true };
  }
  if (r.inspectedBy.length === 0)
    return {
      kind: 'return-uninspected',
      headline: `RETURN UNINSPECTED: bypasses ${fNames}`,
      short: shorten(`⚠ return bypasses ${fNames}`),
      bad: true,
    };
  const rIns = inspectionHops(r);
  const fSet = new Set(fIns.map((h) => h.element));
  const wrong = rIns.find((h) => !fSet.has(h.element));
  const fo = fIns[fIns.length - 1];
  const ri = rIns[0];
  const otherAz = (a?: { az?: string }, b?: { az?: string }) => !!a?.az && !!b?.az && azsDiffer(a.az, b.az);
  if (wrong || (fo && ri && otherAz(fo, ri))) {
    const via = wrong ?? ri;
    const from = wrong ? fIns[0] : fo;
    return {
      kind: 'asymmetric',
      headline: `ASYMMETRIC: ${out} via ${where(from)}, ${back} via ${where(via)}: a stateful firewall drops it`,
      short: shorten(`⚠ return via ${via.name}${otherAz(from, via) ? ' (other AZ)' : ''}`),
      bad: true,
    };
  }
  if (e.divergence) return { kind: 'asymmetric', headline: `ASYMMETRIC: ${e.divergence.reason}`, short: '⚠ asymmetric return', bad: true };
  const by = unique(
    f.inspectedBy.map((ep) => epName(f, ep)),
    (x) => x,
  ).join(', ');
  const how = by === fNames ? `by ${by}` : `by ${by} via ${fNames}`;
  return { kind: 'inspected', headline: `INSPECTED both ways ${how}`, short: shorten(`✓ inspected via ${fNames}`), bad: false };
}

// ---------------------------------------------------------------- steps

const STAGE_NAMES: Record<string, string> = {
  subnet: 'subnet',
  natgw: 'NAT gateway',
  gwlbe: 'GWLB endpoint',
  gwlb: 'Gateway Load Balancer',
  gwlbFirewall: 'firewall',
  firewall: 'firewall',
  instance: 'instance',
  igw: 'internet gateway',
  eigw: 'egress-only IGW',
  vgw: 'VPN gateway',
  tgw: 'transit gateway',
  aviatrixGateway: 'Aviatrix gateway',
  vpc: 'VPC',
};

/**
 * The design stage `hops[i]` stands for within its leg ("GWLB endpoint gwlbe-a, before NAT"): the
 * topology's narration heads every step with it and the output channel numbers its steps with it.
 */
export function stageName(hops: readonly Hop[], i: number, leg: 'forward' | 'return'): string {
  const h = hops[i];
  if (h.kind === 'internet') return leg === 'forward' ? 'the internet' : 'the internet replies';
  // An AWS Network Firewall endpoint is modelled as a GWLB endpoint; the design calls it a firewall endpoint.
  const nfw = hops.some((x) => x.enforcement?.kind === 'network-firewall');
  const name = `${h.kind === 'gwlbe' && nfw ? 'firewall endpoint' : (STAGE_NAMES[h.kind] ?? h.kind)} ${h.name}`;
  const before = hops.slice(0, i);
  const after = hops.slice(i + 1);
  const natBefore = before.some((x) => x.kind === 'natgw');
  const natAfter = after.some((x) => x.kind === 'natgw');
  // A leg whose only enforcement points are GWLB targets that pass every packet back (gwlbtun's pass-through
  // script, the GENEVE hairpin: F201) goes through the GWLB uninspected: no stage of it is called inspection.
  const passLeg = passesOnly(hops);
  const inspected = !passLeg && before.some((x) => x.kind === 'gwlbe' || x.kind === 'firewall' || x.kind === 'gwlbFirewall');
  switch (h.kind) {
    case 'subnet':
      if (i === 0) return leg === 'forward' ? `source ${name}` : `reply enters at ${name}`;
      return i === hops.length - 1 ? `back at ${name}` : name;
    case 'gwlbe': {
      // Which side of the NAT the endpoint inspects, in the leg's own direction.
      const nat = leg === 'forward' ? 'NAT' : 'un-NAT';
      const side = natBefore ? `after ${nat}` : natAfter ? `before ${nat}` : '';
      return side ? `${name}, ${side}` : name;
    }
    case 'gwlbFirewall':
      if (h.enforcement?.passes !== undefined) return `pass-through ${h.name} (inspects nothing)`;
      return `${name} (inspection)`;
    case 'gwlb':
      // The GWLB hands the flow to its targets: to a pass-through, nothing inspects it.
      if (passLeg || hops[i + 1]?.enforcement?.passes !== undefined) return `${name} (to a pass-through target)`;
      return `${name} (inspection)`;
    case 'firewall':
      return `${name} (inspection)`;
    case 'natgw':
      return inspected ? `${name}, after inspection` : name;
    case 'igw':
      return `${name} (VPC edge)`;
    case 'aviatrixGateway':
      return h.enforcement ? `${name} (DCF enforcement point)` : name;
    default:
      return name;
  }
}

/** A leg that passes enforcement points, every one a GWLB target that only passes packets back (F201). */
function passesOnly(hops: readonly Hop[]): boolean {
  let any = false;
  for (const h of hops) {
    if (!h.enforcement) continue;
    if (h.enforcement.passes === undefined) return false;
    any = true;
  }
  return any;
}

/**
 * The egress design a path follows, in the words engineers use ("distributed, GWLB, inspection after NAT",
 * "centralized via TGW, AWS Network Firewall, inspection before NAT", "hub-spoke through the hub firewall", "secured
 * Virtual WAN hub"):
 * the topology's narration and the text report name it. Read from the forward leg's hops alone; undefined when
 * the leg passes no enforcement point or does not reach the internet.
 */
export function designName(e: Pick<SubnetEgress, 'forward'>): string | undefined {
  const f = e.forward;
  if (f.outcome.kind !== 'delivered' || f.inspectedBy.length === 0) return undefined;
  const hops = f.hops;
  if (hops[hops.length - 1]?.kind !== 'internet') return undefined;
  const kinds = new Set(f.inspectedBy.map((ep) => ep.kind));
  if (kinds.has('aviatrix-dcf')) return 'Aviatrix spoke gateway, local egress';
  if (kinds.has('aviatrix-fqdn')) return 'Aviatrix egress FQDN gateway';
  if (kinds.has('transit-egress')) return 'Aviatrix transit egress';
  // The first hop that inspects: the endpoint in the source's VPC (distributed) or an enforcement point elsewhere.
  const at = hops.findIndex((h) => h.kind === 'gwlbe' || h.enforcement !== undefined);
  if (at < 0) return undefined;
  const src = hops[0].vpc;
  const remote = src !== undefined && hops[at].vpc !== undefined && hops[at].vpc !== src;
  // An Azure Firewall in a Virtual WAN hub is in no VNet: a secured hub, whichever VNet or branch sends to it.
  if (hops[at].enforcement?.hub !== undefined) return 'secured Virtual WAN hub';
  if (kinds.has('azure-nva')) return remote ? 'hub-spoke through the hub firewall' : 'firewall in the VNet';
  const viaTgw = hops.slice(0, at).some((h) => h.kind === 'tgw');
  // A firewall the TGW routes to directly is attached to it natively (no inspection VPC of ours).
  if (viaTgw && kinds.has('network-firewall') && hops[at - 1]?.kind === 'tgw')
    return 'centralized via TGW, AWS Network Firewall attached to the TGW';
  // Targets that only pass packets back (F201): the GWLB design without its inspection.
  const passes = f.inspectedBy.every((ep) => ep.passes !== undefined);
  const what = kinds.has('network-firewall')
    ? 'AWS Network Firewall'
    : kinds.has('appliance')
      ? 'firewall instance'
      : passes
        ? 'GWLB with a pass-through target (no inspection)'
        : 'GWLB';
  // Which side of the NAT GW the leg leaves by the inspection sits (none: the firewall or the IGW translates).
  const nat = hops.findIndex((h) => h.kind === 'natgw');
  const side = nat < 0 || passes ? undefined : nat < at ? 'inspection after NAT' : 'inspection before NAT';
  return [viaTgw ? 'centralized via TGW' : remote ? 'centralized' : 'distributed', what, side].filter(Boolean).join(', ');
}

/**
 * One leg in the verdict's words, for a line per leg (the output channel): where it is inspected
 * (the endpoints' names, as the headline names them), or why it is not, or why it stops.
 */
export function legVerdict(t: PathTrace): string {
  const o = t.outcome;
  if (o.kind === 'unknown') return `UNKNOWN: ${o.reason}`;
  if (o.kind === 'dropped') return `DROPPED: ${o.reason}`;
  if (o.kind === 'loop') return `ROUTING LOOP at ${t.hops.find((h) => h.element === o.at)?.name ?? o.at}`;
  const last = t.hops[t.hops.length - 1];
  const to = last && last.kind !== 'internet' && t.direction === 'forward' ? `delivered to ${last.name}, not the internet; ` : '';
  if (!t.inspectedBy.length) {
    const exit = t.direction === 'forward' ? exitHop(t) : undefined;
    return `${to}UNINSPECTED: ${exit ? `leaves through ${exit.name} with no` : 'no'} enforcement point on the ${t.direction} leg`;
  }
  const names = unique(
    inspectionHops(t).map((h) => where(h)),
    (x) => x,
  ).join(', ');
  return `${to}INSPECTED via ${names}`;
}

/** One numbered step of a traced path: the same number, stage and sentence as the narration. */
export interface Step {
  /** 1-based, counted over both legs (the return continues the forward's numbers). */
  n: number;
  leg: 'forward' | 'return';
  stage: string;
  note: string;
  /** Set on the return hop where the path diverges from the forward one. */
  diverges?: string;
}

export function legSteps(t: PathTrace, first = 1, divergence?: SubnetEgress['divergence']): Step[] {
  const leg = t.direction === 'return' ? 'return' : 'forward';
  return t.hops.map((h, i) => ({
    n: first + i,
    leg,
    stage: stageName(t.hops, i, leg),
    note: h.note,
    ...(divergence && leg === 'return' && h.index === divergence.returnHop ? { diverges: divergence.reason } : {}),
  }));
}
