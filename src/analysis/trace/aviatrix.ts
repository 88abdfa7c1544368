// Aviatrix: a spoke gateway with SNAT is local egress and enforces DCF; without it the packet goes on to
// its transit (legacy transit egress). The controller manages the VPC's routes when the inputs hold none.
import type { AviatrixGateway } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { AddressTranslation, EnforcementPoint, Hop } from '../types';
import { val, type ModelIndex } from '../modelIndex';
import type { Design } from './arrive';
import { addHop, dropped, nameOf, peerName, sourceNat, type Exit, type Step, type Walk, unknown } from './walk';

/**
 * The gateway a VPC's default route implicitly points to when the controller manages its tables: its egress FQDN
 * gateway (a standalone gateway with SNAT, which takes the private tables' 0.0.0.0/0), else its spoke gateway.
 */
export function localEgressSpoke(index: ModelIndex, vpc: string): AviatrixGateway | undefined {
  const all = index.aviatrixGatewaysOfVpc(vpc);
  const egress = all.find((g) => g.role === 'egress' && val(g.snat) === true);
  if (egress) return egress;
  const gws = all.filter((g) => g.role === 'spoke');
  return gws.find((g) => val(g.snat) === true) ?? gws[0];
}

/** Gateway words for a hop's text: `egress gateway` (standalone, FQDN) or `spoke gateway`. */
export function gatewayWord(gw: AviatrixGateway): string {
  return gw.role === 'egress' ? 'egress gateway' : 'spoke gateway';
}

/** Aviatrix spoke gateway: local egress with SNAT enforces DCF; otherwise legacy transit egress. */
export function arriveAviatrix(w: Walk, gw: AviatrixGateway): Step {
  const { index } = w;
  const name = nameOf(gw);
  const vpc = index.refId(gw.vpc);
  const snat = val(gw.snat);
  const hopBase = { element: gw.id, kind: 'aviatrixGateway' as const, name, ...(vpc ? { vpc } : {}), loc: gw.loc };
  // Sent by the controller's implicit default route of a VPC whose route tables are not in the inputs (source.ts).
  const last = w.hops.at(-1)?.decision;
  const implicit = last?.association === 'implicit' && vpc !== undefined && last.routeTable === vpc;
  if (gw.role === 'transit') {
    addHop(w, hopBase, `transit gateway ${name} cannot be a first-hop egress point`);
    return unknown(w, { cause: 'unsupported-target', what: 'transit-first-hop', gateway: gw.id }, gw.id);
  }
  if (gw.role === 'egress') return arriveEgressGateway(w, gw, hopBase);
  if (isUnresolved(gw.snat)) {
    addHop(w, hopBase, `spoke gateway ${name}: whether it SNATs (local egress) is not known offline (${gw.snat.text})`);
    return unknown(w, { cause: 'unresolved-input', what: 'snat', gateway: gw.id }, gw.id);
  }
  if (snat) {
    const enforcement: EnforcementPoint = { kind: 'aviatrix-dcf', element: gw.id };
    w.inspected.push(enforcement);
    const publicIp = `public IP of ${name}`;
    const tr = sourceNat(w, publicIp, gw.id);
    w.exit = aviatrixExit(gw.id, undefined, publicIp, tr.from);
    const hop = addHop(w, hopBase, `spoke gateway ${name} enforces DCF and translates ${tr.from} -> its public IP (local egress)`, {
      enforcement,
      translation: tr,
    });
    hop.decision = { routeTable: gw.id, destination: w.dst, target: 'internet', association: 'implicit' };
    return { kind: 'internet', from: hop };
  }
  const transit = index.resolve(gw.transit, 'aviatrixGateway');
  const hop = addHop(
    w,
    hopBase,
    `spoke gateway ${name} has no local egress (SNAT off); it forwards to ${transit ? `transit ${nameOf(transit)}` : 'its transit'}`,
  );
  if (!transit) {
    if (gw.transit !== undefined && isUnresolved(gw.transit))
      return unknown(w, { cause: 'unresolved-input', what: 'transit', gateway: gw.id }, gw.id);
    // A spoke whose VPC/VNet is not in the inputs: that network's own routes decide its workloads' egress.
    if (index.refId(gw.vpc) === undefined) return unknown(w, { cause: 'missing-input', what: 'vpc-of', element: gw.id }, gw.id);
    return dropped(w, { cause: 'no-transit', gateway: gw.id }, gw.id);
  }
  const tName = nameOf(transit);
  hop.decision = { routeTable: gw.id, destination: w.dst, target: tName, association: 'implicit' };
  const egress = transit.egressCapability === undefined ? false : val(transit.egressCapability);
  if (egress === undefined) {
    addHop(
      w,
      { element: transit.id, kind: 'aviatrixGateway', name: tName, loc: transit.loc },
      `transit ${tName}: egress capability not known offline${isUnresolved(transit.egressCapability) ? ` (${transit.egressCapability.reason})` : ''}`,
    );
    return unknown(w, { cause: 'unresolved-input', what: 'egress-capability', transit: transit.id }, transit.id);
  }
  if (!egress) {
    addHop(w, { element: transit.id, kind: 'aviatrixGateway', name: tName, loc: transit.loc }, `transit ${tName} has no egress capability`);
    // A network the controller made (reached by its implicit default route) has ways out the inputs do not show
    // (AWS public subnets with an IGW route, Azure's system route); a cloud the model does not route, its own.
    // A spoke whose VPC/VNet is not in the inputs (a literal id): that network's own routes decide its workloads' egress (F291).
    if (vpc === undefined) return unknown(w, { cause: 'missing-input', what: 'vpc-of', element: gw.id }, gw.id);
    if (implicit || (gw.gwCloud !== 'aws' && gw.gwCloud !== 'azure'))
      return unknown(
        w,
        { cause: 'unsupported-target', what: 'controller-network', gateway: gw.id, transit: transit.id, cloud: gw.gwCloud },
        gw.id,
      );
    return dropped(w, { cause: 'no-egress', gateway: gw.id, transit: transit.id }, transit.id);
  }
  const enforcement: EnforcementPoint = { kind: 'transit-egress', element: transit.id };
  w.inspected.push(enforcement);
  const publicIp = `public IP of ${tName}`;
  const tr = sourceNat(w, publicIp, transit.id);
  w.exit = aviatrixExit(gw.id, transit.id, publicIp, tr.from);
  const th = addHop(
    w,
    {
      element: transit.id,
      kind: 'aviatrixGateway',
      name: tName,
      ...(index.refId(transit.vpc) ? { vpc: index.refId(transit.vpc) } : {}),
      loc: transit.loc,
    },
    `transit ${tName} applies egress (legacy transit egress) and translates ${tr.from} -> its public IP`,
    { enforcement, translation: tr },
  );
  th.decision = { routeTable: transit.id, destination: w.dst, target: 'internet', association: 'implicit' };
  return { kind: 'internet', from: th };
}

/**
 * A standalone egress gateway (`aviatrix_gateway` with SNAT): its FQDN filters decide what leaves (states.ts), and it
 * translates to its public IP. Without SNAT (a VPN gateway) nothing of the inputs says where it sends on.
 */
function arriveEgressGateway(w: Walk, gw: AviatrixGateway, hopBase: Parameters<typeof addHop>[1]): Step {
  const name = nameOf(gw);
  if (val(gw.snat) !== true) {
    addHop(
      w,
      hopBase,
      isUnresolved(gw.snat)
        ? `egress gateway ${name}: whether it SNATs (local egress) is not known offline (${gw.snat.text})`
        : `standalone gateway ${name} has SNAT off: where it forwards is not in the inputs`,
    );
    return unknown(w, { cause: 'unresolved-input', what: 'snat', gateway: gw.id }, gw.id);
  }
  const enforcement: EnforcementPoint = { kind: 'aviatrix-fqdn', element: gw.id };
  w.inspected.push(enforcement);
  const publicIp = `public IP of ${name}`;
  const tr = sourceNat(w, publicIp, gw.id);
  w.exit = aviatrixExit(gw.id, undefined, publicIp, tr.from);
  const filters = gw.fqdnFilters ?? [];
  const by = filters.length
    ? `applies its FQDN filter${filters.length > 1 ? 's' : ''} ${filters.map((f) => f.tag).join(', ')}`
    : 'has no FQDN filter in the inputs';
  const hop = addHop(w, hopBase, `egress gateway ${name} ${by} and translates ${tr.from} -> its public IP (local egress)`, {
    enforcement,
    translation: tr,
  });
  hop.decision = { routeTable: gw.id, destination: w.dst, target: 'internet', association: 'implicit' };
  return { kind: 'internet', from: hop };
}

/** The reply comes back to the gateway that SNATed (the spoke, or its transit), which matches the session. */
function aviatrixExit(gateway: string, transit: string | undefined, publicIp: string, privateIp: string): Exit {
  return {
    kind: 'aviatrix',
    publicIp,
    privateIp,
    startReturn(r) {
      const { index } = r;
      const inet = addHop(r, { element: 'internet', kind: 'internet', name: 'internet' }, `${peerName(r)} replies to ${r.dst}`, {
        stage: 6,
      });
      const gw = index.resolve(gateway, 'aviatrixGateway')!;
      const egressAt = transit ? index.resolve(transit, 'aviatrixGateway')! : gw;
      inet.decision = { routeTable: 'internet', destination: publicIp, target: nameOf(egressAt), association: 'implicit' };
      const enforcement: EnforcementPoint = {
        kind: transit ? 'transit-egress' : gw.role === 'egress' ? 'aviatrix-fqdn' : 'aviatrix-dcf',
        element: egressAt.id,
      };
      r.inspected.push(enforcement);
      const tr: AddressTranslation = { kind: 'unsnat', from: publicIp, to: privateIp, by: egressAt.id };
      r.dst = privateIp;
      const hop = addHop(
        r,
        {
          element: egressAt.id,
          kind: 'aviatrixGateway',
          name: nameOf(egressAt),
          ...(index.refId(egressAt.vpc) ? { vpc: index.refId(egressAt.vpc) } : {}),
          loc: egressAt.loc,
        },
        `${transit ? 'transit' : gatewayWord(gw)} ${nameOf(egressAt)} matches the session (${transit ? 'transit egress' : gw.role === 'egress' ? 'FQDN filter' : 'DCF'}) and un-translates -> ${privateIp}`,
        { enforcement, translation: tr, stage: 6 },
      );
      return intoSpokeVpc(r, hop, gw, transit);
    },
  };
}

/** From the egress gateway back into the spoke's VPC: through the spoke (after a transit), then local delivery. */
function intoSpokeVpc(r: Walk, hop: Hop, gw: AviatrixGateway, transit: string | undefined): Step {
  const { index } = r;
  if (transit) {
    hop.decision = { routeTable: transit, destination: r.dst, target: nameOf(gw), association: 'implicit' };
    addHop(
      r,
      { element: gw.id, kind: 'aviatrixGateway', name: nameOf(gw), loc: gw.loc },
      `spoke gateway ${nameOf(gw)} forwards the reply into its VPC`,
      { stage: 6 },
    );
  }
  const vpc = index.refId(gw.vpc);
  const last = r.hops[r.hops.length - 1];
  last.decision = { routeTable: vpc ?? gw.id, destination: r.dst, target: 'local', association: 'implicit' };
  if (!vpc) return { kind: 'end', outcome: { kind: 'delivered' } };
  const s = index.subnetContainingIp(r.dst, vpc);
  if (s) return { kind: 'arrive', element: s, from: last, vpc };
  const v = index.get(vpc)!;
  addHop(r, { element: v.id, kind: 'vpc', name: nameOf(v), vpc: v.id, loc: v.loc }, `delivered to ${r.dst} in ${nameOf(v)}`, { stage: 6 });
  return { kind: 'end', outcome: { kind: 'delivered' } };
}

export const aviatrixDesign: Design = {
  name: 'aviatrix',
  arrivals: {
    aviatrixGateway: (w, gw) => arriveAviatrix(w, gw),
  },
};
