// Two exports of the same format that disagree about one id (describe-subnets taken on two days, two
// describe-route-tables of one table): the rule that decides the folded element without looking at
// the files' names or their order, and the warning that names both files and both values. CLI
// output carries no time of export, so neither file can be called the newer one: what routing
// depends on becomes Unknown (never a guess), and a descriptive value (a name, tags) is the one that
// sorts first. docs/reliability.md states the rule.
import { REF_FIELDS_BY_KIND } from '../../model/refs';
import {
  isUnresolved,
  unresolved,
  type ElementKind,
  type ElementOf,
  type NetworkElement,
  type Route,
  type Unresolved,
} from '../../model/types';
import type { ParseDiagnostic } from '../../model/inputs';

/** Fields of E that may hold Unresolved (a Val or a Ref). */
type ValField<E> = { [F in keyof E]-?: Unresolved extends Exclude<E[F], undefined> ? F : never }[keyof E] & string;

/**
 * The single-valued fields routing reads, per kind an export can define (region, on every element,
 * too). The types tie each name to a Val/Ref field of the model.
 */
const ROUTING_FIELDS = {
  subnet: ['vpc', 'cidr', 'ipv6Cidr', 'az'],
  routeTable: ['vpc'],
  rtAssociation: ['routeTable', 'subnet', 'gateway', 'mainOfVpc'],
  igw: ['vpc'],
  eigw: ['vpc'],
  vgw: ['vpc'],
  natgw: ['subnet', 'eip', 'privateIp', 'publicIp'],
  eip: ['publicIp'],
  gwlbe: ['vpc', 'subnet', 'service'],
  endpointService: ['serviceName'],
  gwlb: ['vpc', 'crossZone'],
  targetGroup: ['loadBalancer', 'vpc'],
  instance: ['subnet', 'privateIp'],
  firewall: ['subnet', 'vpc', 'privateIp', 'policy'],
  tgwAttachment: ['tgw', 'vpc', 'applianceMode', 'routeTable'],
  tgwRouteTable: ['tgw'],
  peering: ['vpc', 'peerVpc'],
  aviatrixGateway: [
    'vpc',
    'size',
    'haSize',
    'snat',
    'egressCapability',
    'transit',
    'subnetCidr',
    'haSubnetCidr',
    'reservedHaSubnetCidr',
    'privateDefaultRoute',
    // Not privateDefaultRouteExcluded (exclude_rtb): a list of reference lists is no Val/Ref field, and no export
    // format defines gateways (only Terraform and its plan, which are filled in, not reconciled). Incremental
    // analysis re-traces what asked for a VPC's gateways when it changes (aviatrixGatewaysOfVpc).
  ],
  dcfConfig: ['enabled'],
} as const satisfies { [K in ElementKind]?: readonly ValField<ElementOf<K>>[] };
const ROUTING_BY_KIND: Partial<Record<ElementKind, readonly string[]>> = ROUTING_FIELDS;

/** Compared by neither: identity and where the definition is written. */
const NOT_COMPARED = new Set(['kind', 'id', 'providerId', 'cloud', 'loc', 'extent', 'attrs']);

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (isUnresolved(v) ? v.text : String(v));
const show = (v: unknown): string => JSON.stringify(v);
/** A flat object (tags) as text that does not depend on key order. */
const canonical = (o: Record<string, unknown>): string =>
  JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Whether field `k` of a `kind` element is a list that may hold Unresolved entries (CIDRs, references). */
function isValList(kind: ElementKind, k: string): boolean {
  return k === 'cidrs' || (REF_FIELDS_BY_KIND[kind]?.many?.includes(k) ?? false);
}

/**
 * `combined` (a's and b's definitions folded, a first) made independent of which came first: each
 * field a and b both give and disagree on follows the rule above, and one warning says where.
 * Missing or Unresolved on one side is no disagreement (the other side fills it in).
 */
export function reconcileExports(
  a: NetworkElement,
  fileA: string,
  b: NetworkElement,
  fileB: string,
  combined: NetworkElement,
): { el: NetworkElement; diagnostic?: ParseDiagnostic } {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const routing = ROUTING_BY_KIND[a.kind] ?? [];
  // Said the same way whichever file came first: the values in their sort order, each with its file.
  const disagree = (x: unknown, y: unknown): string => {
    const [p, q] =
      String(x) < String(y) ? [`${show(x)} in ${fileA}`, `${show(y)} in ${fileB}`] : [`${show(y)} in ${fileB}`, `${show(x)} in ${fileA}`];
    return `exports disagree: ${p}, ${q}`;
  };
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...(combined as unknown as Record<string, unknown>) })[k] = v);
  const said: string[] = [];
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const x = ra[k];
    const y = rb[k];
    if (NOT_COMPARED.has(k) || x === undefined || y === undefined || isUnresolved(x) || isUnresolved(y)) continue;
    if (isScalar(x) && isScalar(y)) {
      if (x === y) continue;
      const [lo, hi] = String(x) < String(y) ? [x, y] : [y, x];
      set(k, k === 'region' || routing.includes(k) ? unresolved(`${lo} | ${hi}`, disagree(x, y)) : lo);
      said.push(`${k} ${show(x)} in ${fileA} but ${show(y)} in ${fileB}`);
    } else if (k === 'routes' && a.kind === 'routeTable' && b.kind === 'routeTable') {
      const r = reconcileRoutes(a.id, a.routes, fileA, b.routes, fileB);
      if (!r) continue;
      set(k, r.routes);
      said.push(...r.said);
    } else if (Array.isArray(x) && Array.isArray(y)) {
      // An empty list is one the export does not give (the other command prints it).
      if (!x.length || !y.length || !x.every(isScalar) || !y.every(isScalar)) continue;
      const sx = new Set(x.map(String));
      const sy = new Set(y.map(String));
      if (sx.size === sy.size && [...sx].every((v) => sy.has(v))) continue;
      if (isValList(a.kind, k)) {
        // Both lists, sorted; an entry only one export lists is Unknown.
        const union = [...new Set([...sx, ...sy])].sort();
        set(
          k,
          union.map((v) => (sx.has(v) && sy.has(v) ? v : unresolved(v, `exports disagree: only ${sx.has(v) ? fileA : fileB} lists it`))),
        );
      } else set(k, show(x) < show(y) ? x : y);
      said.push(`${k} ${show(x)} in ${fileA} but ${show(y)} in ${fileB}`);
    } else if (isPlainObject(x) && isPlainObject(y)) {
      const cx = canonical(x);
      const cy = canonical(y);
      if (cx === cy) continue;
      set(k, cx < cy ? x : y);
      said.push(`${k} ${show(x)} in ${fileA} but ${show(y)} in ${fileB}`);
    }
  }
  if (!out) return { el: combined };
  return {
    el: out as unknown as NetworkElement,
    diagnostic: {
      code: 'duplicate-conflict',
      severity: 'warning',
      message: `${b.kind} ${b.id} is exported twice with different values: ${said.join('; ')}. What routing reads from them is Unknown; for the rest the value that sorts first is used`,
      loc: b.loc,
    },
  };
}

function routeKey(r: Route): { dest: string; full: string } {
  const d = r.destination;
  const dest = 'cidr' in d ? text(d.cidr) : `prefix list ${text(d.prefixList)}`;
  const t = r.target;
  const target = `${t.kind}${t.ref !== undefined ? ` ${text(t.ref)}` : ''}${t.ip !== undefined ? ` ${text(t.ip)}` : ''}`;
  return { dest, full: `${dest} -> ${target}${r.state === 'blackhole' ? ' (blackhole)' : ''}` };
}

/**
 * The routes of one table from two exports, when they differ: every distinct route once, sorted (ids
 * renumbered in that order); a route only one export has may or may not exist (`undecided`), so a
 * lookup it could decide is Unknown. Undefined when both exports hold the same routes.
 */
function reconcileRoutes(
  tableId: string,
  xs: readonly Route[],
  fileA: string,
  ys: readonly Route[],
  fileB: string,
): { routes: Route[]; said: string[] } | undefined {
  if (!xs.length || !ys.length) return undefined;
  const ka = new Map(xs.map((r) => [routeKey(r).full, r]));
  const kb = new Map(ys.map((r) => [routeKey(r).full, r]));
  if (ka.size === kb.size && [...ka.keys()].every((k) => kb.has(k))) return undefined;
  const all = new Map([...kb, ...ka]);
  const keys = [...all.keys()].sort();
  const byDest = new Map<string, { a: string[]; b: string[] }>();
  const routes = keys.map((k, i) => {
    const r: Route = { ...all.get(k)!, id: `${tableId}#${i}` };
    const inA = ka.has(k);
    if (inA && kb.has(k)) return r;
    r.undecided = unresolved(k, `exports disagree: only ${inA ? fileA : fileB} has this route`);
    const dest = routeKey(r).dest;
    let g = byDest.get(dest);
    if (!g) byDest.set(dest, (g = { a: [], b: [] }));
    (inA ? g.a : g.b).push(k.slice(dest.length + 4));
    return r;
  });
  const said = [...byDest].map(
    ([dest, g]) => `route ${dest} -> ${g.a.join(', ') || 'nothing'} in ${fileA} but -> ${g.b.join(', ') || 'nothing'} in ${fileB}`,
  );
  return { routes, said };
}
