// A route to a positional pick of an AWS Network Firewall's endpoints (RouteTarget.pick): AWS lists them in
// no guaranteed order, so the pick is one of them, in an AZ the inputs do not say. A pick by AZ name (`zone`:
// a map of the sync states keyed by AZ, the endpoints' subnets in zones read from the provider) is alike:
// one of them, the same name the same endpoint. What does not depend on
// the AZ is decided: the firewall inspects the flow; the same pick on the other leg is the same endpoint and
// another pick another one; the next hop is decided when the subnet of every candidate endpoint routes the
// packet the same way. What depends on the AZ (which NAT GW, a cross-AZ hop) is Unknown, never the written order.
// The value a CloudFormation custom resource given only the firewall returns (`attribute`) is alike: one of its
// endpoints, the same attribute the same endpoint; another attribute may be the same endpoint or another.
import { isUnresolved, type EndpointPick, type RouteTable } from '../../model/types';
import { azsDiffer } from '../../model/az';
import type { EnforcementPoint, Hop } from '../types';
import type { ModelIndex } from '../modelIndex';
import { lookupFor, targetLabel, viaSubnetTable } from './route';
import { addHop, nameOf, noted, unknown, type Association, type Step, type Walk } from './walk';
import { parsePickId, pickId, pickLabel } from '../endpointPickId';

export { pickId };

/** How a pick is named: `<firewall name>.EndpointIds[N]`, `<firewall name> endpoint in <az>` or `... endpoint <attr>`. */
function pickName(index: ModelIndex, id: string): string {
  return pickLabel(id, (fw) => index.label(fw)) ?? id;
}

/** The pick of `firewall` the forward leg entered, if any (the return leg compares its endpoints with it). */
export function forwardPickOf(w: Walk, firewall: string): { pick: string; zone?: string; attribute?: string } | undefined {
  if (!w.forwardEndpoints) return undefined;
  for (const id of w.forwardEndpoints) {
    const p = parsePickId(id);
    if (p?.firewall !== firewall) continue;
    return { pick: pickName(w.index, id), ...pickKind(p) };
  }
  return undefined;
}

/** The zone or custom resource attribute of a parsed pick id, as the endpoint-pick stop carries it. */
function pickKind(p: { zone?: string; attribute?: string }): { zone?: string; attribute?: string } {
  return p.attribute !== undefined ? { attribute: p.attribute } : p.zone !== undefined ? { zone: p.zone } : {};
}

/**
 * A pick of the same firewall the forward leg entered that cannot be told the same as or different from
 * `id`: a position against a zone, two zones one of which is not named offline, or a custom resource's value
 * against any other pick. Same ids are the same endpoint; two positions, or two zones known to differ, are
 * different ones.
 */
function incomparableForward(w: Walk, firewall: string, id: string): string | undefined {
  if (!w.forwardEndpoints) return undefined;
  const me = parsePickId(id);
  const mine = me?.zone;
  for (const f of w.forwardEndpoints) {
    const p = f === id ? undefined : parsePickId(f);
    if (p?.firewall !== firewall) continue;
    if (me?.attribute !== undefined || p.attribute !== undefined) return f;
    const theirs = p.zone;
    if (mine === undefined && theirs === undefined) continue;
    if (mine !== undefined && theirs !== undefined && azsDiffer(mine, theirs)) continue;
    return f;
  }
  return undefined;
}

/**
 * For a custom resource's value (`pick.attribute`): the endpoints it may be, those the template gave plus the
 * firewall's other endpoints in the inputs (an endpoint association made elsewhere), or why it cannot be
 * decided: a Gateway Load Balancer endpoint in the route's VPC, which the value could name as well.
 */
function valueCandidates(w: Walk, pick: EndpointPick, firewall: string, vpc: string): { endpoints: string[] } | { why: string } {
  const { index } = w;
  const endpoints = [...pick.endpoints];
  for (const e of index.ofKind('gwlbe')) {
    if (endpoints.includes(e.id)) continue;
    if (e.flavor === 'networkFirewall') {
      const of = index.resolve(e.service, 'firewall')?.id;
      if (of === firewall) endpoints.push(e.id);
      else if (of === undefined) return { why: `${nameOf(e)}, an endpoint of a firewall not known offline, may be the one it names` };
      continue;
    }
    // A VPC id that names no element of the inputs is not the route's VPC (an element of them).
    const unknownVpc = isUnresolved(e.vpc);
    if (unknownVpc || index.refId(e.vpc) === vpc)
      return {
        why: `Gateway Load Balancer endpoint ${nameOf(e)}${unknownVpc ? ', whose VPC is not known offline,' : ''} may be the one it names: a route in this VPC may name it as well`,
      };
  }
  return { endpoints };
}

export function arrivePick(w: Walk, pick: EndpointPick, routeId: string, routeVpc: string): Step {
  const { index } = w;
  const fw = index.resolve(pick.firewall, 'firewall');
  const id = pickId(pick);
  const name = pickName(index, id);
  const kind = pickKind(pick);
  let ids = pick.endpoints;
  if (fw && pick.attribute !== undefined) {
    const c = valueCandidates(w, pick, fw.id, routeVpc);
    if ('why' in c) return unknown(w, { cause: 'unresolved-input', what: 'endpoint-pick', pick: name, why: c.why, ...kind }, routeId);
    ids = c.endpoints;
  }
  const eps = ids.map((x) => index.resolve(x, 'gwlbe'));
  if (!fw || eps.length === 0 || eps.some((e) => !e))
    return unknown(
      w,
      { cause: 'unresolved-input', what: 'route-target', text: name, why: 'the firewall or its endpoints are not in the inputs' },
      routeId,
    );
  const endpoints = eps as NonNullable<(typeof eps)[number]>[];
  const ret = w.direction === 'return';
  const fName = nameOf(fw);
  const vpc = index.vpcOf(fw.id) ?? index.vpcOf(endpoints[0].id);
  const hop = { element: id, kind: 'gwlbe' as const, name, ...(vpc ? { vpc } : {}) };
  const which =
    pick.attribute !== undefined
      ? `${endpoints.length === 1 ? `the endpoint of ${fName}` : `one of the ${endpoints.length} endpoints of ${fName}`} (${pick.attribute} is what a custom resource given only this firewall returns, and a route's VPC endpoint can only be a Gateway Load Balancer-type one: ${endpoints.length === 1 ? "the firewall's" : "which AZ's is its function's choice, not read"})`
      : pick.zone !== undefined
        ? `the endpoint of ${fName} in ${pick.zone}, one of its ${endpoints.length} endpoints (which is in ${pick.zone} is not known offline)`
        : `one of the ${endpoints.length} endpoints of ${fName} (AWS does not order them: its AZ is not known)`;
  const zone = kind;
  const first = addHop(w, hop, `firewall endpoint ${name}, ${which}, hands the packet to AWS Network Firewall ${fName}`, {
    stage: ret ? 6 : 3,
  });
  // The forward leg named an endpoint of this firewall by its subnet, or entered a pick of it this one cannot
  // be compared with: whether the reply enters the same endpoint is not known.
  const concrete = ret && w.forwardEndpoints ? endpoints.find((e) => w.forwardEndpoints!.has(e.id)) : undefined;
  const other = ret && !concrete ? incomparableForward(w, fw.id, id) : undefined;
  const forwardVia = concrete ? nameOf(concrete) : other ? pickName(index, other) : undefined;
  if (forwardVia !== undefined)
    return noted(
      first,
      unknown(
        w,
        {
          cause: 'unresolved-input',
          what: 'endpoint-pick',
          pick: name,
          why: `the forward leg left through ${forwardVia}: whether the reply enters the same endpoint cannot be decided`,
          ...zone,
        },
        id,
      ),
    );
  first.decision = { routeTable: id, destination: w.dst, target: fName, association: 'implicit' };
  const enforcement: EnforcementPoint = { kind: 'network-firewall', element: fw.id, endpoint: id };
  addHop(
    w,
    { element: fw.id, kind: 'firewall', name: fName, ...(vpc ? { vpc } : {}), loc: fw.loc },
    `AWS Network Firewall ${fName} inspects the flow in the AZ of ${name} and returns allowed traffic to it`,
    { enforcement, stage: ret ? 6 : 4 },
  );
  w.inspected.push(enforcement);
  w.gwlbeSeen.add(id);
  const back = addHop(w, hop, `firewall endpoint ${name} receives the inspected packet back`, { stage: ret ? 6 : 5 });
  return sameNextHop(
    w,
    back,
    name,
    endpoints.map((e) => e.id),
    kind,
  );
}

/**
 * The next hop from a pick: the route every candidate endpoint's subnet takes for the packet, when they agree
 * (the walk goes on through the first one's table, which decides the same); otherwise Unknown, naming each.
 */
function sameNextHop(w: Walk, back: Hop, name: string, endpoints: string[], kind: { zone?: string; attribute?: string }): Step {
  const { index } = w;
  const looks: { table: RouteTable; association: Association; vpc: string; key: string; says: string }[] = [];
  for (const ep of endpoints) {
    const s = index.subnetOf(ep);
    const vpc = s ? index.refId(s.vpc) : undefined;
    const st = s ? index.routeTableOfSubnet(s.id) : undefined;
    // That endpoint's subnet cannot be read: the usual step through it says why.
    if (!s || !vpc || !st || index.unmodelledChanging(st.table.id, w.dst).length > 0) return viaSubnetTable(w, back, ep);
    const r = lookupFor(w, st.table, vpc);
    if (r.kind === 'unknown') return { kind: 'route', from: back, table: st.table, association: st.association, vpc };
    const t = r.kind === 'match' ? r.route.target : undefined;
    const key =
      r.kind === 'none' || !t
        ? 'none'
        : [
            r.route.state,
            t.kind,
            typeof t.ref === 'string' ? t.ref : (t.ref?.text ?? ''),
            typeof t.ip === 'string' ? t.ip : '',
            t.pick ? pickId(t.pick) : '',
          ].join('|');
    const az = index.azOf(ep);
    const says = `${nameOf(st.table)} (${nameOf(s)}${az ? `, ${az}` : ''}) ${r.kind === 'match' && t ? `sends ${w.dst} to ${targetLabel(w, t)}` : `has no route for ${w.dst}`}`;
    looks.push({ table: st.table, association: st.association, vpc, key, says });
  }
  const [one] = looks;
  if (looks.every((l) => l.key === one.key && l.vpc === one.vpc)) {
    if (looks.length > 1)
      back.note += `; the subnet of every endpoint routes it the same way (${looks.map((l) => nameOf(l.table)).join(', ')})`;
    return { kind: 'route', from: back, table: one.table, association: one.association, vpc: one.vpc };
  }
  return noted(
    back,
    unknown(
      w,
      {
        cause: 'unresolved-input',
        what: 'endpoint-pick',
        pick: name,
        why: `the next hop depends on it: ${looks.map((l) => l.says).join('; ')}`,
        ...kind,
      },
      back.element,
    ),
  );
}
