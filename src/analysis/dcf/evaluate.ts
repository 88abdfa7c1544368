// DCF policy evaluation for one flow: policies in priority order (lower number first), the first
// enforcing match decides. Three-valued: when a policy may or may not match (an ExternalGroup, an
// address the bundled geo table does not know), the outcome is 'unknown' unless every way it could
// go gives the same action. `watch = true` policies only observe (provider docs) and never decide.
// No match: DCF's default action rule, PERMIT when DCF is enabled (provider docs).
import type { DcfPolicy, PortRange } from '../../model/types';
import {
  destinationInGroup,
  resolveGroup,
  sourceInGroup,
  triAnd,
  triOr,
  type DestinationContext,
  type ElementLookup,
  type SourceContext,
  type Tri,
} from './groups';
import { webGroupMatches } from './webGroups';
import { orderedPolicies, policyLabel } from './policies';

export interface DcfFlow {
  src: SourceContext;
  dst: DestinationContext;
  protocol: 'tcp' | 'udp' | 'icmp';
  port?: number;
  /** SNI (HTTPS) or Host (HTTP); defaults to dst.domain. */
  host?: string;
}

export interface PolicyMatch {
  policy: DcfPolicy;
  result: Tri;
  parts: { source: Tri; destination: Tri; protocol: Tri; port: Tri; webGroup: Tri };
  /** Why the match is 'unknown' or 'no', naming the groups. */
  why: string;
}

export interface DcfDecision {
  decision: 'allow' | 'deny' | 'unknown';
  /** The deciding policy (absent for the default action). */
  policy?: DcfPolicy;
  reason: string;
  trail: PolicyMatch[];
  /** Watch-mode policies that matched: they log, they do not enforce. */
  watched: DcfPolicy[];
}

export function portTri(ranges: PortRange[], protocol: DcfFlow['protocol'], port: number | undefined): Tri {
  if (ranges.length === 0 || protocol === 'icmp') return 'yes';
  if (port === undefined) return 'unknown';
  return ranges.some((r) => port >= r.lo && port <= (r.hi || r.lo)) ? 'yes' : 'no';
}

export function protocolTri(policy: DcfPolicy, protocol: DcfFlow['protocol']): Tri {
  return policy.protocol === 'any' || policy.protocol === protocol ? 'yes' : 'no';
}

export function matchPolicy(index: ElementLookup, policy: DcfPolicy, flow: DcfFlow): PolicyMatch {
  const srcGroups = policy.srcGroups.map((r) => resolveGroup(index, r));
  const dstGroups = policy.dstGroups.map((r) => resolveGroup(index, r));
  const source = triOr(srcGroups.map((g) => sourceInGroup(g, flow.src)));
  const destination = triOr(dstGroups.map((g) => destinationInGroup(index, g, flow.dst)));
  const protocol = protocolTri(policy, flow.protocol);
  const port = portTri(policy.ports, flow.protocol, flow.port);
  let webGroup: Tri = 'yes';
  const host = flow.host ?? flow.dst.domain;
  if (policy.webGroups.length > 0) {
    // WebGroups match the SNI/Host of TCP traffic; a flow without a name cannot match them.
    webGroup =
      flow.protocol !== 'tcp'
        ? 'no'
        : triOr(
            policy.webGroups.map((r): Tri => {
              const g = resolveGroup(index, r);
              if (g.kind === 'web') return webGroupMatches(g.group, host);
              if (g.kind === 'allWeb') return host ? 'yes' : 'no';
              return 'unknown';
            }),
          );
  }
  const result = triAnd([source, destination, protocol, port, webGroup]);
  const why: string[] = [];
  const describe = (t: Tri, what: string) => {
    if (t !== 'yes' && (result === t || t === 'no')) why.push(`${what} ${t === 'no' ? 'does not match' : 'cannot be decided'}`);
  };
  describe(source, `source (${srcGroups.map((g) => g.label).join(', ') || 'no group'})`);
  describe(destination, `destination (${dstGroups.map((g) => g.label).join(', ') || 'no group'})`);
  describe(protocol, `protocol ${policy.protocol.toUpperCase()}`);
  describe(port, `ports ${policy.ports.map((r) => (r.hi && r.hi !== r.lo ? `${r.lo}-${r.hi}` : `${r.lo}`)).join(',')}`);
  describe(
    webGroup,
    `WebGroup (${policy.webGroups.map((r) => resolveGroup(index, r).label).join(', ')}) for ${host ? `"${host}"` : 'a flow without SNI/Host'}`,
  );
  return { policy, result, parts: { source, destination, protocol, port, webGroup }, why: why.join('; ') };
}

function verb(p: DcfPolicy): 'allow' | 'deny' | 'unknown' {
  return p.action === 'permit' ? 'allow' : p.action === 'deny' ? 'deny' : 'unknown';
}

/** Evaluates the enabled policies of the model against a flow. */
export function evaluateFlow(
  index: ElementLookup,
  flow: DcfFlow,
  policies: DcfPolicy[] = orderedPolicies(index.model.elements),
): DcfDecision {
  const trail = policies.map((p) => matchPolicy(index, p, flow));
  const watched = trail.filter((m) => m.policy.watch && m.result !== 'no').map((m) => m.policy);
  const decide = (from: number): Omit<DcfDecision, 'trail' | 'watched'> => {
    for (let j = from; j < trail.length; j++) {
      const m = trail[j];
      if (m.result === 'no' || m.policy.watch) continue;
      const action = verb(m.policy);
      if (action === 'unknown')
        return {
          decision: 'unknown',
          policy: m.policy,
          reason: `${policyLabel(m.policy)} ${m.result === 'yes' ? 'matches' : 'may match'} but its action cannot be decided offline`,
        };
      if (m.result === 'yes') return { decision: action, policy: m.policy, reason: `${policyLabel(m.policy)} matches` };
      const rest = decide(j + 1);
      if (rest.decision === action) {
        return {
          decision: action,
          policy: rest.policy ?? m.policy,
          reason: `${rest.reason} (${policyLabel(m.policy)} may match first: ${m.why}; same action)`,
        };
      }
      return { decision: 'unknown', policy: m.policy, reason: `${policyLabel(m.policy)} may match: ${m.why}` };
    }
    return { decision: 'allow', reason: 'no policy matches; the DCF default action rule permits' };
  };
  return { ...decide(0), trail, watched };
}
