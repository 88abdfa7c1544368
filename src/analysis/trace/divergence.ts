// Where the forward and return legs of one egress part ways (SubnetEgress.divergence): inspection on one
// leg only, a different GWLB endpoint, or a different enforcement point or AZ.
import type { PathTrace, SubnetEgress } from '../types';
import type { ModelIndex } from '../modelIndex';

export function divergence(index: ModelIndex, fwd: PathTrace, ret: PathTrace): SubnetEgress['divergence'] {
  const label = (id: string) => index.label(id);
  const fEnf = fwd.inspectedBy;
  const rEnf = ret.inspectedBy;
  const firstDecided = ret.hops.find((h) => h.decision && h.kind !== 'internet') ?? ret.hops[0];
  if (fEnf.length > 0 && rEnf.length === 0) {
    const fh = fwd.hops.find((h) => h.enforcement);
    // A firewall the transit gateway hands the flow to: the reply parts from it where the TGW routes it.
    const atTgw =
      fh && fh.index > 0 && fwd.hops[fh.index - 1].kind === 'tgw' ? ret.hops.find((h) => h.kind === 'tgw' && h.decision) : undefined;
    // Inspection before NAT: the reply reaches the NAT GW whatever the IGW does; the NAT subnet's table
    // is what should send it back to the endpoint, so that is where it parts (not at the IGW edge).
    const nat = fh ? fwd.hops.find((h) => h.index > fh.index && h.kind === 'natgw') : undefined;
    const atNat = nat ? ret.hops.find((h) => h.kind === 'natgw' && h.element === nat.element && h.decision) : undefined;
    return {
      returnHop: (atTgw ?? atNat ?? firstDecided).index,
      ...(fh ? { forwardHop: fh.index } : {}),
      reason: `the forward leg is inspected by ${fEnf.map((e) => label(e.element)).join(', ')} but the return leg passes no enforcement point`,
    };
  }
  if (fEnf.length === 0 && rEnf.length > 0) {
    const rh = ret.hops.find((h) => h.enforcement)!;
    return { returnHop: rh.index, reason: `only the return leg is inspected (by ${rEnf.map((e) => label(e.element)).join(', ')})` };
  }
  const fSet = new Set(fwd.hops.filter((h) => h.kind === 'gwlbe').map((h) => h.element));
  const rh = ret.hops.find((h) => h.kind === 'gwlbe' && !fSet.has(h.element));
  if (rh) {
    const fh = fwd.hops.find((h) => h.kind === 'gwlbe');
    return {
      returnHop: rh.index,
      ...(fh ? { forwardHop: fh.index } : {}),
      reason: `the return leg enters GWLB endpoint ${rh.name}${rh.az ? ` (${rh.az})` : ''}, the forward leg left through ${fh ? `${fh.name}${fh.az ? ` (${fh.az})` : ''}` : 'another one'}`,
    };
  }
  for (let i = 0; i < Math.min(fEnf.length, rEnf.length); i++) {
    const f = fEnf[fEnf.length - 1 - i];
    const r = rEnf[i];
    if (f.element !== r.element || f.az !== r.az || f.endpoint !== r.endpoint) {
      const rhop = ret.hops.find((h) => h.enforcement === r) ?? firstDecided;
      return {
        returnHop: rhop.index,
        reason: `the return leg is inspected by ${label(r.element)}${r.az ? ` (${r.az})` : ''}, the forward leg by ${label(f.element)}${f.az ? ` (${f.az})` : ''}`,
      };
    }
  }
  return undefined;
}
