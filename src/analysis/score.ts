// Egress Security Score (docs/domain.md, section 4). Aviatrix's own formula is not public; this product's is
// round(100 * sum(w) / N) over the VPC/VNets with egress (every state but No Egress, Inspection and Egress hub), with
// w = 1 Protected, 0.5 Partially Protected, 0.25 Monitored, 0 Unprotected, 0 Unknown.
import { PROTECTION_STATES, type EgressScore, type ProtectionState, type VpcState } from './types';

export const STATE_WEIGHTS: Record<ProtectionState, number> = {
  Protected: 1,
  'Partially Protected': 0.5,
  Monitored: 0.25,
  Unprotected: 0,
  Unknown: 0,
  'No Egress': 0,
  Inspection: 0,
  'Egress hub': 0,
};

export const SCORE_FORMULA =
  'round(100 * sum(w) / N) over VPC/VNets with egress; w = 1 Protected, 0.5 Partially Protected, 0.25 Monitored, 0 Unprotected, 0 Unknown (Unknown counted in N and reported separately; n/a when every one is Unknown; No Egress, Inspection and Egress hub excluded)';

export function computeScore(states: VpcState[]): EgressScore {
  const byState = Object.fromEntries(PROTECTION_STATES.map((s) => [s, 0])) as Record<ProtectionState, number>;
  for (const s of states) byState[s.state]++;
  const counted = states.filter((s) => s.state !== 'No Egress' && s.state !== 'Inspection' && s.state !== 'Egress hub');
  const sum = counted.reduce((acc, s) => acc + STATE_WEIGHTS[s.state], 0);
  return {
    // Every counted VPC Unknown: a number would only measure what the inputs do not say.
    score: counted.length === 0 || byState.Unknown === counted.length ? null : Math.round((100 * sum) / counted.length),
    counted: counted.length,
    unknown: byState.Unknown,
    byState,
    formula: SCORE_FORMULA,
  };
}
