// The design stage each hop of a leg stands for, in the words of the egress designs ("GWLB endpoint
// gwlbe-a, before NAT"): the narration heads every step with it. Pure.
import type { Hop } from '../src/analysis/types';

const NAMES: Record<string, string> = {
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

/** The stage of `hops[i]` within its leg. */
export function stageName(hops: readonly Hop[], i: number, leg: 'forward' | 'return'): string {
  const h = hops[i];
  if (h.kind === 'internet') return leg === 'forward' ? 'the internet' : 'the internet replies';
  // An AWS Network Firewall endpoint is modelled as a GWLB endpoint; the design calls it a firewall endpoint.
  const nfw = hops.some((x) => x.enforcement?.kind === 'network-firewall');
  const name = `${h.kind === 'gwlbe' && nfw ? 'firewall endpoint' : (NAMES[h.kind] ?? h.kind)} ${h.name}`;
  const before = hops.slice(0, i);
  const after = hops.slice(i + 1);
  const natBefore = before.some((x) => x.kind === 'natgw');
  const natAfter = after.some((x) => x.kind === 'natgw');
  const inspected = before.some((x) => x.kind === 'gwlbe' || x.kind === 'firewall' || x.kind === 'gwlbFirewall');
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
    case 'gwlb':
    case 'gwlbFirewall':
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
