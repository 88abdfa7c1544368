// Azure: system routes when no UDR matches, network virtual appliances (a VM or firewall a UDR points to),
// and outbound access through the platform (or the NVA's public IP), with the reply back through the NVA.
import type { Firewall, Instance, RouteTable } from '../../model/types';
import { cidrContainsIp, parseIp } from '../../model/cidr';
import type { EnforcementPoint, Hop } from '../types';
import type { Design } from './arrive';
import { deliverLocal, unmodelledRoutes, viaSubnetTable } from './route';
import { addHop, elementHop, nameOf, peerName, type Association, type Exit, type Step, type Walk } from './walk';

/** Azure system routes when no UDR matches: the VNet's own space is local, everything else goes to Internet. */
export function azureSystemRoute(w: Walk, from: Hop, vpc: string, table: RouteTable | undefined, association: Association): Step {
  const { index } = w;
  const p = parseIp(w.dst);
  const local = p && index.vpcCidrs(vpc).some((c) => cidrContainsIp(c, p));
  // A route writer the model does not know (a Virtual WAN hub connection, a BGP gateway) may put a route
  // there that beats the system route outside the VNet's own space, as a custom resource may in a table.
  if (!local) {
    const touched = index.unmodelledChanging(vpc, w.dst);
    if (touched.length > 0) return unmodelledRoutes(w, from, table?.id ?? vpc, touched);
  }
  from.decision = {
    routeTable: table?.id ?? vpc,
    destination: local ? 'VNet address space' : '0.0.0.0/0',
    target: local ? 'VnetLocal' : 'Internet',
    association: table ? association : 'implicit',
  };
  from.note += local
    ? '; Azure system route: VNet address space -> VnetLocal'
    : '; Azure system route 0.0.0.0/0 -> Internet (no UDR matches)';
  if (local) return deliverLocal(w, from, vpc);
  return toInternet(w, from);
}

/** Next hop Internet: the platform's default outbound access (or the NVA's public IP) translates. */
export function toInternet(w: Walk, from: Hop): Step {
  if (w.direction === 'forward' && !w.exit) {
    const nva = [...w.inspected].reverse().find((e) => e.kind === 'azure-nva');
    w.exit = azureExit(from.vpc ?? '', nva?.element, w.src);
  }
  return { kind: 'internet', from };
}

/** A VM or firewall in a VNet that a route sends traffic to: a network virtual appliance, which enforces its policy. */
function arriveNva(w: Walk, el: Instance | Firewall): Step | undefined {
  const { index } = w;
  const azure = el.cloud === 'azure' || index.resolve(index.vpcOf(el.id), 'vpc')?.flavor === 'vnet';
  if (!azure) return undefined;
  const enforcement: EnforcementPoint = { kind: 'azure-nva', element: el.id, ...(index.azOf(el.id) ? { az: index.azOf(el.id) } : {}) };
  w.inspected.push(enforcement);
  const what = el.kind === 'firewall' && el.vendor === 'Azure Firewall' ? 'Azure Firewall' : 'network virtual appliance';
  const hop = elementHop(w, el, `${what} ${nameOf(el)} receives the packet and enforces its policy`, { enforcement });
  return viaSubnetTable(w, hop, el.id);
}

/** The reply comes back to the public address the flow left with, and through the NVA that sent it. */
function azureExit(vpc: string, nvaId: string | undefined, publicIp: string): Exit {
  return {
    kind: 'azure',
    publicIp,
    privateIp: publicIp,
    startReturn(r) {
      const { index } = r;
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${peerName(r)} replies to ${r.dst}`, {
        stage: 6,
      });
      inet.decision = { routeTable: 'internet', destination: publicIp, target: index.label(nvaId ?? vpc), association: 'implicit' };
      const nva = nvaId ? index.get(nvaId) : undefined;
      if (nva) {
        const enforcement: EnforcementPoint = {
          kind: 'azure-nva',
          element: nva.id,
          ...(index.azOf(nva.id) ? { az: index.azOf(nva.id) } : {}),
        };
        r.inspected.push(enforcement);
        const hop = elementHop(r, nva, `network virtual appliance ${nameOf(nva)} receives the reply and matches the session`, {
          enforcement,
          stage: 6,
        });
        r.dst = r.origin;
        hop.dstIp = r.dst;
        // The source may sit in a peered VNet (hub-and-spoke): deliver in the VNet that holds it.
        const home = index.subnetContainingIp(r.dst) ? index.refId(index.subnetContainingIp(r.dst)!.vpc) : undefined;
        hop.decision = {
          routeTable: nva.id,
          destination: r.dst,
          target: home && home !== vpc ? 'VNet peering' : 'VnetLocal',
          association: 'implicit',
        };
        return deliverLocal(r, hop, home ?? vpc);
      }
      r.dst = r.origin;
      return deliverLocal(r, inet, vpc);
    },
  };
}

export const azureDesign: Design = {
  name: 'azure',
  arrivals: {
    instance: (w, el) => arriveNva(w, el),
    firewall: (w, el) => arriveNva(w, el),
  },
};
