// What merging means, apart from how the merger does it incrementally (merger.ts): how several
// definitions of one id fold into one element (builtin groups, a .tf and its plan, two exports of
// the same cloud object, duplicates), which export definitions of DCF objects are twins of Terraform
// ones, and how a reference the inputs do not define is reported. Pure functions over definitions.
import { isUnresolved, type ElementKind, type NetworkElement, type Ref, type RouteTarget, type SourceLocation } from '../../model/types';
import { reconcileExports } from './conflict';
import { parseIp } from '../../model/cidr';
import type { Declaration, InputFormat } from '../types';
import type { ParseDiagnostic } from '../../model/inputs';

/** One definition of an id: an element and the file (and format) it comes from. */
export interface Definition {
  readonly el: NetworkElement;
  readonly format: InputFormat;
  readonly file: string;
}

/** An id's definitions folded into the one element the model holds (before references are resolved). */
export interface Folded {
  el: NetworkElement;
  /** The format and file the folded element counts as coming from. */
  format: InputFormat;
  file: string;
  /** The definitions `el` was folded from, in file order (ignored duplicates left out). */
  used: NetworkElement[];
  /** Per definition, the duplicate-id warning it earned by being ignored (the first never does). */
  dups: (ParseDiagnostic | undefined)[];
}

const EXPORT_FORMATS = new Set<InputFormat>(['aws-cli', 'azure-cli', 'aviatrix-export']);

/** Folds an id's definitions, given in file order (file name, then position in the file). */
export function foldDefinitions(defs: readonly Definition[]): Folded {
  const d0 = defs[0];
  let el = d0.el;
  let format = d0.format;
  let file = d0.file;
  const used = [el];
  const dups: (ParseDiagnostic | undefined)[] = [undefined];
  for (let i = 1; i < defs.length; i++) {
    const d = defs[i];
    const raw = d.el;
    let dup: ParseDiagnostic | undefined;
    if (isBuiltinGroup(el) && isBuiltinGroup(raw)) {
      // The same builtin group from two files: one is enough.
    } else if (el.kind === raw.kind && isTfPair(format, d.format)) {
      // The .tf definition is where users edit; the plan fills in what the .tf leaves unresolved.
      const [tf, plan] = format === 'terraform' ? [el, raw] : [raw, el];
      el = fillUnresolved(tf, plan, true) as NetworkElement;
      used.push(raw);
      if (format !== 'terraform') file = d.file;
      format = 'terraform';
    } else if (el.kind === raw.kind && EXPORT_FORMATS.has(format) && format === d.format) {
      // Two exports of the same cloud object (e.g. describe-transit-gateway-attachments and
      // -vpc-attachments): the same provider id is the same resource, so combine. Where they
      // disagree, no file wins by its name or order: see reconcileExports.
      const r = reconcileExports(el, file, raw, d.file, fillUnresolved(el, raw) as NetworkElement);
      el = r.el;
      used.push(raw);
      dup = r.diagnostic;
    } else {
      dup = duplicateId(raw, file);
    }
    dups.push(dup);
  }
  return { el, format, file, used, dups };
}

function duplicateId(raw: NetworkElement, firstFile: string): ParseDiagnostic {
  return {
    code: 'duplicate-id',
    severity: 'warning',
    message: `${raw.kind} ${raw.id} is also defined in ${firstFile}; this definition is ignored`,
    loc: raw.loc,
  };
}

function isTfPair(a: InputFormat, b: InputFormat): boolean {
  return (a === 'terraform' && b === 'terraform-plan') || (a === 'terraform-plan' && b === 'terraform');
}

/** Builtin SmartGroups / WebGroups (Anywhere, Public Internet, ...) come with every DCF input. */
function isBuiltinGroup(e: NetworkElement): boolean {
  return (e.kind === 'smartGroup' || e.kind === 'webGroup') && e.builtin !== undefined;
}

/** A folded DCF element that can have a twin: a policy or the DCF switch, from Terraform, a plan or a controller export. */
export function hasTwinRole(el: NetworkElement | undefined, format: InputFormat): boolean {
  return (
    el !== undefined &&
    (el.kind === 'dcfPolicy' || el.kind === 'dcfConfig') &&
    (format === 'terraform' || format === 'terraform-plan' || format === 'aviatrix-export')
  );
}

/** A folded id as the twin check sees it. */
export interface HeldDefinition {
  readonly held: NetworkElement | undefined;
  readonly format: InputFormat;
}

/**
 * A controller export next to the Terraform that wrote the same policy describes each DCF policy
 * (and the DCF switch) twice under different ids. The Terraform definition is the one users edit:
 * keep it, drop the export's twin (same name and priority), and say so. `list` holds the ids with
 * a twin role (hasTwinRole), in the order they were first defined.
 */
export function findExportTwins<T extends HeldDefinition>(list: readonly T[]): { dropped: Set<T>; diagnostics: ParseDiagnostic[] } {
  const tfPolicies = new Map<string, string>();
  let tfConfig: string | undefined;
  for (const st of list) {
    const h = st.held!;
    if (st.format !== 'terraform' && st.format !== 'terraform-plan') continue;
    if (h.kind === 'dcfPolicy') tfPolicies.set(`${h.name}\u0000${h.priority}`, h.id);
    if (h.kind === 'dcfConfig') tfConfig = h.id;
  }
  const dropped = new Set<T>();
  const diagnostics: ParseDiagnostic[] = [];
  if (!tfPolicies.size && !tfConfig) return { dropped, diagnostics };
  for (const st of list) {
    const h = st.held!;
    if (st.format !== 'aviatrix-export') continue;
    const twin = h.kind === 'dcfPolicy' ? tfPolicies.get(`${h.name}\u0000${h.priority}`) : h.kind === 'dcfConfig' ? tfConfig : undefined;
    if (!twin) continue;
    dropped.add(st);
    diagnostics.push({
      code: 'duplicate-definition',
      severity: 'info',
      message: `${h.name} is also defined in Terraform as ${twin}; that definition is used`,
      loc: h.loc,
    });
  }
  return { dropped, diagnostics };
}

/** Route targets without elements of their own in the model: not checked. */
const UNCHECKED_TARGETS = new Set<RouteTarget['kind']>(['eni', 'unknown', 'local', 'internet', 'none', 'vnetLocal', 'virtualAppliance']);

/** Whether a route's target names an element the model should hold. */
export function isCheckedTarget(t: RouteTarget): boolean {
  return t.ref !== undefined && !UNCHECKED_TARGETS.has(t.kind);
}

/** Target groups may list IP targets; those are addresses, not ids. */
export function isAddressTarget(field: string, r: Ref): boolean {
  return typeof r === 'string' && field === 'targets' && parseIp(r) !== undefined;
}

export type ReferenceSeverity = 'warning' | 'info';

/**
 * How loud a reference the inputs do not define is: a peer VPC is often in another account's
 * inputs, and AWS-managed prefix lists (S3, DynamoDB; a route's destination) are rarely in the
 * inputs, so those inform; every other missing reference warns.
 */
export function missingReferenceSeverity(owner: ElementKind | 'route', field: string): ReferenceSeverity {
  return (owner === 'peering' && field === 'peerVpc') || (owner === 'route' && field === 'destination') ? 'info' : 'warning';
}

export function missingReference(
  owner: string,
  field: string,
  ref: string,
  loc: SourceLocation,
  severity: ReferenceSeverity,
): ParseDiagnostic {
  return {
    code: 'missing-reference',
    severity,
    // Joined, not concatenated: one flat string instead of a chain of five pieces (a damaged export
    // can hold hundreds of thousands of these).
    message: quotedReference(ref)
      ? [
          owner,
          ': ',
          field,
          ' is the quoted string "',
          ref,
          '", which Terraform passes literally as the value, not as a reference (write it without quotes)',
        ].join('')
      : [owner, ': ', field, ' refers to ', ref, ', which is not defined in the workspace'].join(''),
    loc,
  };
}

/** `var.x`, `local.x`, or a resource's id attribute (`aws_subnet.a.id`, `module.m.aws_vpc.v[0].id`, `data.aws_vpc.v.id`). */
const QUOTED_REFERENCE =
  /^(?:(?:var|local|each|count)\.[A-Za-z_]|(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.(?:id|arn|[a-z_]+_id)$)/;

/**
 * A reference that is a Terraform expression's text (`"aws_subnet.mgmt.id"`, `"var.subnet"`): it can only come from
 * a quoted string, since a reference's value is the id of what it names (an element id has no attribute part).
 */
function quotedReference(ref: string): boolean {
  return QUOTED_REFERENCE.test(ref);
}

/**
 * A reference to a resource the inputs define but the model does not hold: said as such (info),
 * never "not defined in the workspace".
 */
export function unmodelledReference(owner: string, field: string, ref: string, loc: SourceLocation, d: Declaration): ParseDiagnostic {
  return {
    code: 'unmodelled-reference',
    severity: 'info',
    message: `${owner}: ${field} refers to ${ref}, which is defined in ${where(d)} (${d.type}) but not modelled`,
    loc,
  };
}

/** The reason an Unresolved reference to a declared but unmodelled resource gives. */
export function unmodelledReason(d: Declaration): string {
  return `${d.type} defined in ${where(d)} but not modelled`;
}

function where(d: Declaration): string {
  return `${d.loc.file}:${d.loc.range.start.line + 1}`;
}

/**
 * The declaration id a Terraform reference with an instance key falls back to: `aws_lb.web[0]` and
 * `aws_lb.web["a"]` -> `aws_lb.web` (module instance keys stay); undefined without a key.
 */
export function declarationBase(ref: string): string | undefined {
  if (ref.charCodeAt(ref.length - 1) !== 93 /* ] */) return undefined;
  const open = ref.endsWith('"]') ? ref.lastIndexOf('["') : ref.lastIndexOf('[');
  return open > 0 ? ref.slice(0, open) : undefined;
}

/** `primary` with every Unresolved or missing value taken from `secondary` where it has one. */
/** `planLists`: a .tf list holding only unresolved items takes the plan's decided list (a splat of an undecided count). */
export function fillUnresolved(primary: unknown, secondary: unknown, planLists = false): unknown {
  if (secondary === undefined) return primary;
  if (primary === undefined || (isUnresolved(primary) && !isUnresolved(secondary))) return secondary;
  if (Array.isArray(primary) && Array.isArray(secondary)) {
    if (primary.length === 0) return secondary;
    // `aws_subnet.x[*].id` of a count not known offline is one unknown item; the plan has the list.
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
