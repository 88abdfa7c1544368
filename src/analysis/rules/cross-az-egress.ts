// A subnet leaves through a NAT GW or endpoint in another AZ: it works, but an AZ outage takes its egress
// down and every byte pays cross-AZ data transfer.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { azsDiffer } from '../../model/az';
import { decidingHop, decisionElement, decisionLocation, dedupe, elementRelated, endpointWord, sourceLabel, traceRef } from './egressPaths';
import type { ModelIndex } from '../modelIndex';
import type { Hop, SubnetEgress } from '../types';

const doc = `Fires when a subnet's forward egress path uses a NAT GW, GWLB endpoint or other egress hop in a
different Availability Zone than the subnet itself, for example an app subnet in us-east-1b whose default
route points at the NAT GW in us-east-1a. Traffic still flows, but the subnet loses its internet access when
the other AZ fails, and cross-AZ data transfer is billed. In the distributed egress design each AZ has its
own NAT GW and endpoint. Fix: point the route at the egress hop in the subnet's own AZ, named when the VPC has
one there (else: add one); when the route table also serves subnets of other AZs, give the subnet a table of its
own (changing the shared route would move them across instead): for traffic another VPC sends through a transit
gateway, the egress VPC's subnet in that AZ where it enters. Several AZs crossing on one route: the hop of each AZ by
name, the AZs with none to add one first.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace.`;

const EGRESS_HOPS = new Set(['natgw', 'gwlbe']);

/** A hop's word: NAT GW, GWLB endpoint or firewall endpoint (a Network Firewall's). */
function kindOf(index: ModelIndex, hop: Hop): string {
  return hop.kind === 'natgw' ? 'NAT GW' : endpointWord(index, hop.element);
}

/**
 * The hop of the same kind as `hop` in `az`: a NAT GW of its VPC (same connectivity), an endpoint of its VPC and
 * service. `none` when the inputs know the hop and its VPC and it has none there; undefined when that cannot be said
 * (a pick of a firewall's endpoints, a VPC not known).
 */
function sameKindIn(index: ModelIndex, hop: Hop, az: string): { id: string } | 'none' | undefined {
  const e = index.get(hop.element);
  const vpc = e ? index.vpcOf(e.id) : undefined;
  if (!e || !vpc) return undefined;
  let found: string | undefined;
  if (e.kind === 'natgw')
    found = index
      .ofKind('natgw')
      .find((n) => n.id !== e.id && n.connectivity === e.connectivity && index.vpcOf(n.id) === vpc && index.azOf(n.id) === az)?.id;
  else if (e.kind === 'gwlbe') {
    const service = index.refId(e.service);
    if (service === undefined) return undefined;
    found = index
      .ofKind('gwlbe')
      .find(
        (x) => x.id !== e.id && !x.undecided && index.vpcOf(x.id) === vpc && index.refId(x.service) === service && index.azOf(x.id) === az,
      )?.id;
  } else return undefined;
  return found ? { id: found } : 'none';
}

/** The hop a fix points `az`'s traffic at: by name, or "a NAT GW in <az>" with whether one must be added. */
function targetIn(index: ModelIndex, hop: Hop, az: string): { to: string; add: boolean } {
  const kind = kindOf(index, hop);
  const same = sameKindIn(index, hop, az);
  if (same === 'none') return { to: `a ${kind} in ${az}`, add: true };
  return same ? { to: `${kind} ${index.label(same.id)} (${az})`, add: false } : { to: `the ${kind} in ${az}`, add: false };
}

/** The subnets of other AZs than `az` that also take `table` (changing its route would move them). */
function otherAzSubnets(index: ModelIndex, table: string | undefined, vpc: string | undefined, az: string): { name: string; az: string }[] {
  if (!table || !vpc) return [];
  const out: { name: string; az: string }[] = [];
  for (const s of index.subnetsOfVpc(vpc)) {
    const saz = index.azOf(s.id);
    if (!saz || !azsDiffer(saz, az) || index.routeTableOfSubnet(s.id)?.table.id !== table) continue;
    out.push({ name: index.label(s.id), az: saz });
  }
  return out;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(xs: string[]): string {
  return xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** The subnets of `vpc` in `az` that take `table`: where traffic from another VPC meets it (a TGW attachment's subnet). */
function entrySubnets(index: ModelIndex, table: string, vpc: string, az: string): string[] {
  return index
    .subnetsOfVpc(vpc)
    .filter((s) => index.azOf(s.id) === az && index.routeTableOfSubnet(s.id)?.table.id === table)
    .map((s) => index.label(s.id));
}

function singleFix(index: ModelIndex, eg: SubnetEgress, other: Hop, srcAz: string, table: string | undefined): string {
  const t = targetIn(index, other, srcAz);
  const vpc = index.vpcOf(other.element);
  const vpcName = vpc ? index.label(vpc) : 'its VPC';
  const add = t.add ? `Add ${t.to} (${vpcName} has none there) and ` : '';
  // The table is where the route is: the subnet's own VPC, or the egress VPC another VPC's traffic reaches (through
  // a transit gateway), whose subnets in other AZs taking it would move across if its route changed.
  const tableVpc = table ? index.vpcOf(table) : undefined;
  const own = tableVpc === undefined || tableVpc === index.vpcOf(eg.subnet);
  const shared = otherAzSubnets(index, table, tableVpc ?? index.vpcOf(eg.subnet), srcAz);
  if (shared.length > 0) {
    const also = shared.slice(0, 3).map((x) => `${x.name} (${x.az})`);
    const more = shared.length > 3 ? ` and ${shared.length - 3} more` : '';
    const entry = own ? [] : entrySubnets(index, table!, tableVpc, srcAz);
    const who = own
      ? `subnet ${index.label(eg.subnet)}`
      : entry.length > 0
        ? `${entry.length > 1 ? 'subnets' : 'subnet'} ${listed(entry)} (${srcAz}, where this traffic enters ${index.label(tableVpc)})`
        : `the subnets of ${index.label(tableVpc)} in ${srcAz} that take it`;
    const lead = `give ${who} a route table of ${entry.length > 1 ? 'their' : 'its'} own whose route points at ${t.add ? 'it' : t.to}: ${index.label(table!)} also serves ${also.join(', ')}${more}`;
    return add ? add + lead : lead.charAt(0).toUpperCase() + lead.slice(1);
  }
  return add ? `${add}point the route at it` : `Point the route at ${t.to}`;
}

/**
 * The fix for one route several AZs' subnets take: the hop each AZ has, by name, and the AZs with none, where one
 * must be added first (never "the NAT GW in <az>" for an AZ that has none).
 */
function perAzFix(index: ModelIndex, other: Hop, azs: string[], sharedTable: string | undefined): string {
  const kind = kindOf(index, other);
  const vpc = index.vpcOf(other.element);
  const targets = azs.map((az) => ({ az, ...targetIn(index, other, az) }));
  const missing = targets.filter((x) => x.add).map((x) => x.az);
  const named = targets.filter((x) => !x.add).map((x) => `${x.az}: ${x.to.replace(` (${x.az})`, '')}`);
  const add = missing.length > 0 ? `Add a ${kind} in ${listed(missing)} (${vpc ? index.label(vpc) : 'its VPC'} has none there), then ` : '';
  const which = `the ${kind} of that AZ${named.length > 0 ? ` (${named.join('; ')})` : ''}`;
  const lead = sharedTable
    ? `give the subnets of each AZ a route table of their own whose route points at ${which}: ${index.label(sharedTable)} serves them all`
    : `point each AZ's route at ${which}`;
  return add ? add + lead : lead.charAt(0).toUpperCase() + lead.slice(1);
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    const hops = eg.forward.hops;
    const srcAz = hops[0]?.az;
    if (!srcAz) continue;
    const other = hops.find((h) => EGRESS_HOPS.has(h.kind) && h.az && azsDiffer(h.az, srcAz));
    if (!other) continue;
    const decider = decidingHop(eg.forward, other.index);
    const location = decisionLocation(index, decider);
    if (!location) continue;
    const d = decider?.decision;
    const kind = kindOf(index, other);
    out.push({
      message: `${sourceLabel(index, eg)} in ${srcAz} egresses through ${kind} ${other.name} in ${other.az}${d ? ` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : ''}.`,
      location,
      elementId: decisionElement(index, decider) ?? other.element,
      related: elementRelated(index, other.element, `${kind} ${other.name} is in ${other.az}`),
      traces: [traceRef(eg)],
      fix: { title: singleFix(index, eg, other, srcAz, d?.routeTable), edits: [] },
    });
  }
  // One route several subnets take (a table shared, or a block written once): the text names each subnet's AZ,
  // and the fix each AZ's own hop, never the first subnet's AZ alone.
  return dedupe(out, (f) => f.elementId).map((f) => {
    const t = f.traces ?? [];
    if (t.length < 2) return f;
    const egs = t.map((id) => ctx.egress.find((e) => traceRef(e) === id)).filter((e): e is NonNullable<typeof e> => !!e);
    const azs = [...new Set(egs.map((e) => e.forward.hops[0]?.az).filter((az): az is string => !!az))].sort();
    const first = egs[0]?.forward.hops;
    const other = first?.find((h) => EGRESS_HOPS.has(h.kind) && h.az && azsDiffer(h.az, first[0]?.az ?? h.az));
    if (!other) return f;
    const kind = kindOf(index, other);
    const tables = new Set(
      egs.map(
        (e) =>
          decidingHop(
            e.forward,
            e.forward.hops.findIndex((h) => h.element === other.element),
          )?.decision?.routeTable,
      ),
    );
    const d = decidingHop(egs[0].forward, other.index)?.decision;
    const names = egs.map((e) => `${sourceLabel(index, e)}${e.forward.hops[0]?.az ? ` (${e.forward.hops[0].az})` : ''}`);
    const message = `${names.join(', ')} egress through ${kind} ${other.name} in ${other.az}${d ? ` (route ${d.destination} -> ${d.target} in ${index.label(d.routeTable)})` : ''}.`;
    if (azs.length < 2) return { ...f, message };
    const [table] = tables;
    const title = perAzFix(index, other, azs, tables.size === 1 && table ? table : undefined);
    return { ...f, message, fix: { title, edits: [] } };
  });
}

export const rule = defineRule({
  code: 'cross-az-egress',
  defaultSeverity: 'warning',
  title: 'Subnet egresses through a NAT GW or endpoint in another AZ',
  doc,
  check,
});
