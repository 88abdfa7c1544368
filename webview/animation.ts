// The hop-by-hop script of one SubnetEgress or FlowSimulation, and the player that walks it.
// Pure except for the timer: the script says which node and edge each step lights up; main.ts
// applies it to cytoscape and the narration panel.
import type { FlowSimulation, FlowVerdict, Hop, PathTrace, SubnetEgress, TraceOutcome, VpcState } from '../src/analysis/types';
import { designName, routingVerdict } from '../src/analysis/verdict';
import { egressOfTrace } from '../src/protocol';
import { pathEdgeId, type Graph } from './graph';

export type Leg = 'forward' | 'return';
export type Mode = 'both' | 'forward' | 'return';

export interface Step {
  leg: Leg;
  /** Position of the hop in its trace. */
  hopIndex: number;
  hop: Hop;
  /** Node drawn for the hop (its own, or its collapsed VPC). */
  node?: string;
  /** Edge taken to arrive here (absent on a leg's first hop, or when both hops share a collapsed node). */
  edge?: string;
  /** The return leg has diverged from the forward leg's mirror at or before this hop. */
  asym: boolean;
  /** This hop is where the return leg diverges. */
  diverge: boolean;
  /** Set on a leg's last hop when the packet did not arrive. */
  stop?: Exclude<TraceOutcome, { kind: 'delivered' }>;
  verdict?: FlowVerdict;
}

export interface Script {
  title: string;
  summary: string;
  steps: Step[];
  /** The egress/simulation subject (subnet or VPC id) for restore. */
  subject: string;
  divergenceReason?: string;
}

function legSteps(trace: PathTrace, leg: Leg, g: Graph, divergeAt: number | undefined, verdicts: FlowVerdict[]): Step[] {
  const out: Step[] = [];
  let prevNode: string | undefined;
  trace.hops.forEach((hop, i) => {
    const node = g.repOf.get(hop.kind === 'internet' ? 'internet' : hop.element) ?? g.repOf.get(hop.element);
    const edge = prevNode && node && prevNode !== node ? pathEdgeId(prevNode, node) : undefined;
    // The diverging hop makes the wrong decision; the edges after it are the asymmetric leg.
    const asym = leg === 'return' && divergeAt !== undefined && i > divergeAt;
    const verdict = verdicts.find((v) => v.at === hop.element || v.at === hop.enforcement?.element);
    out.push({ leg, hopIndex: i, hop, node, edge, asym, diverge: leg === 'return' && i === divergeAt, verdict });
    if (node) prevNode = node;
  });
  const last = out[out.length - 1];
  if (last && trace.outcome.kind !== 'delivered') last.stop = trace.outcome;
  return out;
}

/**
 * The steps of a forward and a return leg, with the red asymmetric leg and the "diverges here" step.
 * Trace (a subnet's egress) and Simulate Flow (one flow) both build their steps here: one code path.
 */
function legsScript(legs: Pick<SubnetEgress, 'forward' | 'return' | 'divergence'>, g: Graph, mode: Mode, verdicts: FlowVerdict[]): Step[] {
  const div = legs.divergence?.returnHop;
  const steps: Step[] = [];
  if (mode !== 'return') steps.push(...legSteps(legs.forward, 'forward', g, undefined, verdicts));
  if (mode !== 'forward' && legs.return) steps.push(...legSteps(legs.return, 'return', g, div, verdicts));
  return steps;
}

/** The real destination: the domain asked for (ipinfo.io), else the address. */
function destinationOf(t: PathTrace): string {
  return t.destination.domain ?? t.destination.ip;
}

/**
 * The key the toolbar, the saved view and the script name an egress by: its subnet (or VPC) id, and
 * `<subnet>:ipv6` for the IPv6 egress of a dual-stack subnet (SubnetEgress.family), its second family.
 */
export function egressKey(e: Pick<SubnetEgress, 'subnet' | 'family'>): string {
  return e.family === 6 ? `${e.subnet}:ipv6` : e.subnet;
}

/** The egress a key names (egressKey), else what a `trace` message names (egressOfTrace). */
export function findEgress(egress: readonly SubnetEgress[], key: string, family?: 6): SubnetEgress | undefined {
  const v6 = family === undefined && key.endsWith(':ipv6') ? egress.find((x) => x.family === 6 && egressKey(x) === key) : undefined;
  return v6 ?? egressOfTrace(egress, key, family);
}

/**
 * `family`: the address family the narration names (a dual-stack subnet's egress of either family, an
 * IPv6-only subnet's egress), when the subnet's egress is not plain IPv4.
 */
export function egressScript(
  e: SubnetEgress,
  g: Graph,
  mode: Mode,
  state?: Pick<VpcState, 'state' | 'reason'>,
  family?: 'IPv4' | 'IPv6',
): Script {
  const verdict = routingVerdict(e, state ? { state } : {});
  const design = designName(e);
  return {
    title: `Egress of ${e.forward.hops[0]?.name ?? e.subnet}${family ? ` (${family})` : ''}`,
    summary: `${verdict.headline} (${e.forward.source.ip} -> ${destinationOf(e.forward)})${design ? ` \u00b7 design: ${design}` : ''}`,
    steps: legsScript(e, g, mode, []),
    subject: egressKey(e),
    divergenceReason: e.divergence?.reason,
  };
}

export function simulationScript(s: FlowSimulation, g: Graph, mode: Mode): Script {
  const f = s.flow;
  const verdict = s.routing ?? routingVerdict(s, { protocol: f.protocol, flowVerdicts: s.verdicts });
  const lead =
    s.outcome === 'denied' ? `DENIED: ${s.summary}` : `${verdict.headline} \u00b7 policy ${s.outcome.toUpperCase()}: ${s.summary}`;
  return {
    title: `Flow ${f.protocol.toUpperCase()} ${f.source} -> ${f.label ?? f.destination}${f.port ? ':' + f.port : ''}`,
    summary: lead,
    steps: legsScript(s, g, mode, s.verdicts),
    subject: s.forward.source.element,
    divergenceReason: s.divergence?.reason,
  };
}

/** Index-based player; `onStep` renders. Speed multiplies the base rate (1 = one hop every 900 ms). */
export class Player {
  index = -1;
  speed = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    public script: Script,
    private readonly onStep: (index: number) => void,
    private readonly onPlayingChange: (playing: boolean) => void,
  ) {}

  get playing(): boolean {
    return this.timer !== undefined;
  }

  goto(i: number): void {
    this.index = Math.max(-1, Math.min(this.script.steps.length - 1, i));
    this.onStep(this.index);
  }
  forward(): void {
    this.goto(this.index + 1);
  }
  back(): void {
    this.goto(this.index - 1);
  }
  restart(): void {
    this.pause();
    this.goto(-1);
  }
  play(): void {
    if (this.playing) return;
    if (this.index >= this.script.steps.length - 1) this.goto(-1);
    const tick = (): void => {
      this.forward();
      if (this.index >= this.script.steps.length - 1) {
        this.pause();
        return;
      }
      this.timer = setTimeout(tick, 900 / this.speed);
    };
    this.timer = setTimeout(tick, 120);
    this.onPlayingChange(true);
  }
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const was = this.playing;
    this.timer = undefined;
    if (was) this.onPlayingChange(false);
  }
  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }
}
