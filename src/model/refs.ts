// Which fields of each element kind name other elements: the schema fact the merge checks references
// by and incremental analysis follows references by. The types tie each name to the model, so a field
// renamed or retyped in types.ts fails to compile here. Routes (route tables' targets and prefix-list
// destinations, TGW routes' attachments) are references too, read by their own code.
import type { ElementKind, ElementOf, NetworkElement, Ref } from './types';

/** Fields of E that hold one reference. */
type OneRefField<E> = { [F in keyof E]-?: [Exclude<E[F], undefined>] extends [Ref] ? F : never }[keyof E] & string;
/** Fields of E that hold a list of references. */
type ManyRefField<E> = { [F in keyof E]-?: [Exclude<E[F], undefined>] extends [readonly Ref[]] ? F : never }[keyof E] & string;

export interface RefFields<E> {
  readonly one?: readonly OneRefField<E>[];
  readonly many?: readonly ManyRefField<E>[];
}

/** Reference fields per element kind: single references and reference lists. */
export const REF_FIELDS = {
  subnet: { one: ['vpc'] },
  routeTable: { one: ['vpc'] },
  rtAssociation: { one: ['routeTable', 'subnet', 'gateway', 'mainOfVpc'] },
  igw: { one: ['vpc'] },
  eigw: { one: ['vpc'] },
  vgw: { one: ['vpc'] },
  natgw: { one: ['subnet', 'eip'] },
  gwlbe: { one: ['vpc', 'subnet', 'service'] },
  endpointService: { many: ['loadBalancers'] },
  gwlb: { one: ['vpc'], many: ['subnets'] },
  targetGroup: { one: ['loadBalancer', 'vpc'], many: ['targets'] },
  instance: { one: ['subnet', 'eip'] },
  eni: { one: ['subnet', 'instance', 'eip'] },
  firewall: { one: ['subnet', 'vpc', 'eip'] },
  tgwAttachment: { one: ['tgw', 'vpc', 'routeTable'], many: ['subnets'] },
  tgwRouteTable: { one: ['tgw'], many: ['associations', 'propagations'] },
  peering: { one: ['vpc', 'peerVpc'] },
  aviatrixGateway: { one: ['vpc', 'transit'] },
  dcfPolicy: { many: ['srcGroups', 'dstGroups', 'webGroups'] },
  unmodelled: { many: ['touches'] },
} as const satisfies { [K in ElementKind]?: RefFields<ElementOf<K>> };

/** The same table, read by kind at run time (field names as plain strings). */
export const REF_FIELDS_BY_KIND: Partial<Record<ElementKind, { readonly one?: readonly string[]; readonly many?: readonly string[] }>> =
  REF_FIELDS;

/**
 * The single references of an element, in table order (undefined where the field is absent). What
 * the index resolves while it builds its lookups is a subset of these.
 */
export function singleRefs(e: NetworkElement): (Ref | undefined)[] {
  const one = REF_FIELDS_BY_KIND[e.kind]?.one;
  if (!one) return [];
  const rec = e as unknown as Record<string, Ref | undefined>;
  return one.map((f) => rec[f]);
}

/** A resource address without its instance keys: `module.m["a"].aws_subnet.x[0]` -> `module.m.aws_subnet.x`. */
export function resourceShape(address: string): string {
  let out = '';
  let depth = 0;
  for (const ch of address) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** A Terraform address without its module path (`module.a.module.b["k"].aws_x.y` -> `aws_x.y`). */
export function localAddress(address: string): string {
  return address.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)+/, '');
}

/**
 * True when `text` (an expression, or a reason quoting one) names the resource at `address` as a whole: the
 * character before it is not part of a longer address (`[\w.]`), and an attribute or an index follows
 * (`.` or `[`), so `cloudngfwaws_ngfw.fw` is not found in `cloudngfwaws_ngfw.fw2.id`.
 */
export function namesAddress(text: string, address: string): boolean {
  for (let at = text.indexOf(address); at >= 0; at = text.indexOf(address, at + 1))
    if ((at === 0 || !/[\w.]/.test(text[at - 1])) && /^[.[]/.test(text.slice(at + address.length))) return true;
  return false;
}
