// The merge as it was before it became incremental (git 3d95773 src/parse/merge.ts), kept as the
// reference the incremental merge is tested against (mergeIncremental.test.ts). Not used by src/.
// Since then: a missing reference to a resource a fragment declares (ModelFragment.declared) is said
// to be defined there but not modelled (the first declaration in file order; `x[0]` falls back to `x`).
// Merging fragments into one model: duplicate ids, plan-over-.tf locations, builtin groups,
// cross-file references. Pure: takes fragments, returns elements and diagnostics.
import { isUnresolved, unresolved, type NetworkElement, type Ref, type Route, type SourceLocation } from '../../../src/model/types';
import { parseIp } from '../../../src/model/cidr';
import type { Declaration, InputFormat, ModelFragment } from '../../../src/parse/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { reconcileExports } from '../../../src/parse/merge/conflict';

const EXPORT_FORMATS = new Set<InputFormat>(['aws-cli', 'azure-cli', 'aviatrix-export']);

interface Held {
  el: NetworkElement;
  format: InputFormat;
  file: string;
}

export interface MergeResult {
  elements: NetworkElement[];
  diagnostics: ParseDiagnostic[];
}

export function mergeFragments(fragments: ModelFragment[]): MergeResult {
  const diagnostics: ParseDiagnostic[] = [];
  const held = new Map<string, Held>();
  const ordered = [...fragments].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const frag of ordered) {
    for (const raw of frag.elements) {
      const el = copyForMerge(raw);
      const prev = held.get(el.id);
      if (!prev) {
        held.set(el.id, { el, format: frag.format, file: frag.file });
        continue;
      }
      if (isBuiltinGroup(prev.el) && isBuiltinGroup(el)) continue;
      if (prev.el.kind === el.kind && isTfPair(prev.format, frag.format)) {
        // The .tf definition is where users edit; the plan fills in what the .tf leaves unresolved.
        const [tf, plan] = prev.format === 'terraform' ? [prev.el, el] : [el, prev.el];
        held.set(el.id, {
          el: fillUnresolved(tf, plan, true) as NetworkElement,
          format: 'terraform',
          file: prev.format === 'terraform' ? prev.file : frag.file,
        });
        continue;
      }
      if (prev.el.kind === el.kind && EXPORT_FORMATS.has(prev.format) && prev.format === frag.format) {
        // Two exports of the same cloud object (e.g. describe-transit-gateway-attachments and
        // -vpc-attachments): the same provider id is the same resource, so combine.
        // Where they disagree, the rule of src/parse/merge/conflict.ts (not the merge mechanics under test).
        const r = reconcileExports(prev.el, prev.file, el, frag.file, fillUnresolved(prev.el, el) as NetworkElement);
        prev.el = r.el;
        if (r.diagnostic) diagnostics.push(r.diagnostic);
        continue;
      }
      diagnostics.push({
        code: 'duplicate-id',
        severity: 'warning',
        message: `${el.kind} ${el.id} is also defined in ${prev.file}; this definition is ignored`,
        loc: el.loc,
      });
    }
  }
  dropExportTwins(held, diagnostics);
  const elements = [...held.values()].map((h) => h.el);
  const declared = new Map<string, Declaration>();
  for (const frag of ordered) for (const d of frag.declared ?? []) if (!declared.has(d.id)) declared.set(d.id, d);
  resolveReferences(elements, diagnostics, declared);
  elements.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { elements, diagnostics };
}

/**
 * A copy the merge may change without touching the cached fragment: the element and the parts
 * reference resolution writes to (top-level fields, routes and their targets). Lists are replaced,
 * never edited in place. Cheaper than a deep clone on large exports.
 */
function copyForMerge(e: NetworkElement): NetworkElement {
  const c = { ...e };
  if (c.kind === 'routeTable') c.routes = c.routes.map((r) => ({ ...r, target: { ...r.target } }));
  if (c.kind === 'tgwRouteTable') c.routes = c.routes.map((r) => ({ ...r }));
  return c;
}

/**
 * A controller export next to the Terraform that wrote the same policy describes each DCF policy
 * (and the DCF switch) twice under different ids. The Terraform definition is the one users edit:
 * keep it, drop the export's twin (same name and priority), and say so.
 */
function dropExportTwins(held: Map<string, Held>, diagnostics: ParseDiagnostic[]): void {
  const tfPolicies = new Map<string, string>();
  let tfConfig: string | undefined;
  for (const h of held.values()) {
    if (h.format !== 'terraform' && h.format !== 'terraform-plan') continue;
    if (h.el.kind === 'dcfPolicy') tfPolicies.set(`${h.el.name}\u0000${h.el.priority}`, h.el.id);
    if (h.el.kind === 'dcfConfig') tfConfig = h.el.id;
  }
  if (!tfPolicies.size && !tfConfig) return;
  for (const [id, h] of held) {
    if (h.format !== 'aviatrix-export') continue;
    const twin =
      h.el.kind === 'dcfPolicy' ? tfPolicies.get(`${h.el.name}\u0000${h.el.priority}`) : h.el.kind === 'dcfConfig' ? tfConfig : undefined;
    if (!twin) continue;
    held.delete(id);
    diagnostics.push({
      code: 'duplicate-definition',
      severity: 'info',
      message: `${h.el.name} is also defined in Terraform as ${twin}; that definition is used`,
      loc: h.el.loc,
    });
  }
}

function isTfPair(a: InputFormat, b: InputFormat): boolean {
  return (a === 'terraform' && b === 'terraform-plan') || (a === 'terraform-plan' && b === 'terraform');
}

function isBuiltinGroup(e: NetworkElement): boolean {
  return (e.kind === 'smartGroup' || e.kind === 'webGroup') && e.builtin !== undefined;
}

/** `primary` with every Unresolved or missing value taken from `secondary` where it has one. */
/** `planLists`: a .tf list holding only unresolved items takes the plan's decided list (a splat of an undecided count). */
export function fillUnresolved(primary: unknown, secondary: unknown, planLists = false): unknown {
  if (secondary === undefined) return primary;
  if (primary === undefined || (isUnresolved(primary) && !isUnresolved(secondary))) return secondary;
  if (Array.isArray(primary) && Array.isArray(secondary)) {
    if (primary.length === 0) return secondary;
    if (planLists && primary.every(isUnresolved) && secondary.length > 0 && !secondary.some(isUnresolved)) return secondary;
    if (primary.every(hasId) && secondary.every(hasId)) {
      // Routes and the like: pair by id, never by position; items only the secondary knows are added.
      const byId = new Map(secondary.map((x) => [x.id, x]));
      const ids = new Set(primary.map((x) => x.id));
      return [...primary.map((x) => fillUnresolved(x, byId.get(x.id), planLists)), ...secondary.filter((x) => !ids.has(x.id))];
    }
    return primary.map((p, i) => (i < secondary.length ? fillUnresolved(p, secondary[i], planLists) : p));
  }
  if (isPlainObject(primary) && isPlainObject(secondary) && !isUnresolved(primary)) {
    const out: Record<string, unknown> = { ...primary };
    for (const k of Object.keys(secondary)) {
      // Locations stay with the primary definition.
      if (k === 'loc' || k === 'extent' || k === 'attrs') continue;
      out[k] = fillUnresolved(primary[k], secondary[k], planLists);
    }
    return out;
  }
  return primary;
}

function hasId(v: unknown): v is { id: string } {
  return isPlainObject(v) && typeof v.id === 'string';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ref fields per element kind: single refs and ref lists. */
const REF_FIELDS: Partial<Record<NetworkElement['kind'], { one?: string[]; many?: string[] }>> = {
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
  instance: { one: ['subnet'] },
  firewall: { one: ['subnet', 'vpc'] },
  tgwAttachment: { one: ['tgw', 'vpc', 'routeTable'], many: ['subnets'] },
  tgwRouteTable: { one: ['tgw'], many: ['associations', 'propagations'] },
  peering: { one: ['vpc', 'peerVpc'] },
  aviatrixGateway: { one: ['vpc', 'transit'] },
  dcfPolicy: { many: ['srcGroups', 'dstGroups', 'webGroups'] },
};

/** Route targets without elements of their own in the model: not checked. */
const UNCHECKED_TARGETS = new Set(['eni', 'unknown', 'local', 'internet', 'none', 'vnetLocal', 'virtualAppliance']);

function resolveReferences(elements: NetworkElement[], diagnostics: ParseDiagnostic[], declared: Map<string, Declaration>): void {
  const ids = new Set(elements.map((e) => e.id));
  const byProviderId = new Map<string, string>();
  for (const e of elements) if (e.providerId && !byProviderId.has(e.providerId)) byProviderId.set(e.providerId, e.id);
  const byServiceName = new Map<string, string>();
  for (const e of elements) if (e.kind === 'endpointService' && typeof e.serviceName === 'string') byServiceName.set(e.serviceName, e.id);

  const check = (ref: Ref, owner: string, field: string, loc: SourceLocation, severity: ParseDiagnostic['severity'] = 'warning'): Ref => {
    if (isUnresolved(ref)) {
      // A service given by name resolves when the provider side is in the inputs.
      const svc = field === 'service' ? byServiceName.get(ref.text) : undefined;
      return svc ?? ref;
    }
    if (ids.has(ref)) return ref;
    const viaProvider = byProviderId.get(ref);
    if (viaProvider) return viaProvider;
    const key = /\[("[^"]*"|[^\]"]*)\]$/.exec(ref);
    const decl = declared.get(ref) ?? (key ? declared.get(ref.slice(0, key.index)) : undefined);
    if (decl) {
      const where = `${decl.loc.file}:${decl.loc.range.start.line + 1}`;
      diagnostics.push({
        code: 'unmodelled-reference',
        severity: 'info',
        message: `${owner}: ${field} refers to ${ref}, which is defined in ${where} (${decl.type}) but not modelled`,
        loc,
      });
      return unresolved(ref, `${decl.type} defined in ${where} but not modelled`);
    }
    diagnostics.push({
      code: 'missing-reference',
      severity,
      message: `${owner}: ${field} refers to ${ref}, which is not defined in the workspace`,
      loc,
    });
    return unresolved(ref, 'not defined in the workspace');
  };

  for (const e of elements) {
    const rec = e as unknown as Record<string, unknown>;
    const spec = REF_FIELDS[e.kind];
    for (const f of spec?.one ?? []) {
      const v = rec[f];
      if (v !== undefined) rec[f] = check(v as Ref, e.id, f, e.loc, e.kind === 'peering' && f === 'peerVpc' ? 'info' : 'warning');
    }
    for (const f of spec?.many ?? []) {
      const v = rec[f];
      if (!Array.isArray(v)) continue;
      // Target groups may list IP targets; those are addresses, not ids.
      rec[f] = v.map((r: Ref) => (typeof r === 'string' && f === 'targets' && parseIp(r) ? r : check(r, e.id, f, e.loc)));
    }
    if (e.kind === 'routeTable') for (const r of e.routes) checkRoute(r, check);
    if (e.kind === 'tgwRouteTable')
      for (const r of e.routes) if (r.attachment !== undefined) r.attachment = check(r.attachment, r.id, 'attachment', r.loc);
  }
}

function checkRoute(
  r: Route,
  check: (ref: Ref, owner: string, field: string, loc: SourceLocation, severity?: ParseDiagnostic['severity']) => Ref,
): void {
  if (r.target.ref !== undefined && !UNCHECKED_TARGETS.has(r.target.kind)) r.target.ref = check(r.target.ref, r.id, 'target', r.loc);
  // AWS-managed prefix lists (S3, DynamoDB) are rarely in the inputs: informational only.
  if ('prefixList' in r.destination) r.destination = { prefixList: check(r.destination.prefixList, r.id, 'destination', r.loc, 'info') };
}
