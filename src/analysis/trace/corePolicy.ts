// AWS Cloud WAN core network policy (version 2021.12), read from its JSON text when the inputs know it offline:
// the segments, the network function groups, the attachment policies (which segment or network function group an
// attachment joins, by its tags) and the segment actions that send a segment's traffic through a network function
// group (`send-to`: the segment's default route; `send-via`: traffic between segments). Pure: no model lookups
// beyond what the caller hands in. docs/domain.md, "Cloud WAN".
import type { Unresolved, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';

export interface PolicyCondition {
  type: string;
  key?: string;
  value?: string;
  operator?: string;
}

export interface AttachmentPolicy {
  rule: number;
  logic: 'and' | 'or';
  conditions: PolicyCondition[];
  /** The segment named (`association-method: constant`), the tag whose value names it (`tag`), or the network function group. */
  segment?: string;
  tagValueOf?: string;
  nfg?: string;
  /** `action.require-acceptance: true`: the attachment waits for acceptance even where its segment does not ask. */
  requireAcceptance: boolean;
}

export interface SegmentAction {
  action: string;
  segment: string;
  /** `send-to` / `send-via`: the network function groups traffic goes through. */
  nfgs: string[];
  /** `send-via`: `single-hop` or `dual-hop`. */
  mode?: string;
  /** `send-via`: the segments whose traffic with `segment` goes through the groups (`*`: every one). */
  whenSentTo: string[];
  /** Edge overrides are written (which edge's group attachment serves which edges): not read. */
  overrides: boolean;
  /** `share`: the segments it shares `segment` with (`share-with`: a list, `*`, or `{"except": [...]}`). */
  shareWith?: { all: boolean; names: string[] };
  /** `create-route`: its destination-cidr-blocks. */
  cidrs: string[];
}

export interface CorePolicy {
  segments: {
    name: string;
    edgeLocations?: string[];
    isolate: boolean;
    /** `require-attachment-acceptance`, true when not written (AWS's default). */
    requireAcceptance: boolean;
    /** `deny-filter` / `allow-filter`: the segments whose routes it takes no routes from / only from. */
    denyFilter: string[];
    allowFilter?: string[];
  }[];
  nfgs: string[];
  /** The network function groups whose `require-attachment-acceptance` is not false (AWS requires it written). */
  nfgsAccepting: string[];
  attachmentPolicies: AttachmentPolicy[];
  segmentActions: SegmentAction[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function obj(v: Json | undefined): { [k: string]: Json } | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strings(v: Json | undefined): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

/**
 * A few policy documents read, by their text: every path into a core network asks for its policy (review s16 R20).
 * Keyed by the text itself, so an edit of the document is read afresh; the results are not changed by their users.
 */
const read = new Map<string, CorePolicy | { error: string }>();

/**
 * The policy in `text`, or why it cannot be read (not JSON, not an object, a version other than 2021.12 and
 * 2025.11, or route policies, which 2025.11 adds and which are not read).
 */
export function readCorePolicy(text: string): CorePolicy | { error: string } {
  const hit = read.get(text);
  if (hit) return hit;
  const r = parseCorePolicy(text);
  if (read.size >= 8) read.delete(read.keys().next().value as string);
  read.set(text, r);
  return r;
}

function parseCorePolicy(text: string): CorePolicy | { error: string } {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return { error: 'it is not valid JSON' };
  }
  const root = obj(doc);
  if (!root) return { error: 'it is not a JSON object' };
  const version = str(root.version);
  if (version !== '2021.12' && version !== '2025.11')
    return { error: `its version ${version === undefined ? '(none)' : `"${version}"`} is not 2021.12 or 2025.11, the ones read` };
  // 2025.11 is 2021.12 plus route policies (which filter and change what segments and attachments propagate).
  const routePolicies = ['routing-policies', 'attachment-routing-policy-rules'].filter((k) => arr(root[k]).length > 0);
  if (routePolicies.length > 0) return { error: `its route policies (${routePolicies.join(', ')}) are not read` };
  const segments: CorePolicy['segments'] = [];
  for (const s of arr(root.segments)) {
    const o = obj(s);
    const name = str(o?.name);
    if (!o || name === undefined) continue;
    const edges = o['edge-locations'];
    segments.push({
      name,
      ...(Array.isArray(edges) ? { edgeLocations: edges.filter((e): e is string => typeof e === 'string') } : {}),
      isolate: o['isolate-attachments'] === true,
      requireAcceptance: o['require-attachment-acceptance'] !== false,
      denyFilter: strings(o['deny-filter']),
      ...(Array.isArray(o['allow-filter']) ? { allowFilter: strings(o['allow-filter']) } : {}),
    });
  }
  const nfgs: string[] = [];
  const nfgsAccepting: string[] = [];
  for (const g of arr(root['network-function-groups'])) {
    const name = str(obj(g)?.name);
    if (name === undefined) continue;
    nfgs.push(name);
    if (obj(g)?.['require-attachment-acceptance'] !== false) nfgsAccepting.push(name);
  }
  const attachmentPolicies: AttachmentPolicy[] = [];
  for (const p of arr(root['attachment-policies'])) {
    const o = obj(p);
    const rule = o?.['rule-number'];
    if (!o || typeof rule !== 'number') continue;
    const action = obj(o.action) ?? {};
    const conditions: PolicyCondition[] = [];
    for (const c of arr(o.conditions)) {
      const co = obj(c);
      const type = str(co?.type);
      if (!co || type === undefined) continue;
      const cond: PolicyCondition = { type };
      for (const k of ['key', 'value', 'operator'] as const) {
        const v = str(co[k]);
        if (v !== undefined) cond[k] = v;
      }
      conditions.push(cond);
    }
    const ap: AttachmentPolicy = {
      rule,
      logic: str(o['condition-logic']) === 'and' ? 'and' : 'or',
      conditions,
      requireAcceptance: action['require-acceptance'] === true,
    };
    const nfg = str(action['add-to-network-function-group']);
    if (nfg !== undefined) ap.nfg = nfg;
    else if (str(action['association-method']) === 'tag') {
      const k = str(action['tag-value-of-key']);
      if (k !== undefined) ap.tagValueOf = k;
    } else {
      const seg = str(action.segment);
      if (seg !== undefined) ap.segment = seg;
    }
    attachmentPolicies.push(ap);
  }
  attachmentPolicies.sort((a, b) => a.rule - b.rule);
  const segmentActions: SegmentAction[] = [];
  for (const a of arr(root['segment-actions'])) {
    const o = obj(a);
    const action = str(o?.action);
    const segment = str(o?.segment);
    if (!o || action === undefined || segment === undefined) continue;
    const via = obj(o.via);
    const when = obj(o['when-sent-to']);
    const share = o['share-with'];
    const except = obj(share)?.except;
    segmentActions.push({
      action,
      segment,
      nfgs: arr(via?.['network-function-groups']).filter((g): g is string => typeof g === 'string'),
      ...(str(o.mode) !== undefined ? { mode: str(o.mode) } : {}),
      // `"segments": "*"` (every segment) as the provider's data source writes it, or a list.
      whenSentTo: typeof when?.segments === 'string' ? [when.segments] : strings(when?.segments),
      overrides: arr(via?.['with-edge-overrides']).length > 0,
      ...(action === 'share'
        ? {
            shareWith:
              share === '*' || (Array.isArray(share) && share.includes('*'))
                ? { all: true, names: [] }
                : except !== undefined
                  ? { all: true, names: strings(except) }
                  : { all: false, names: strings(share) },
          }
        : {}),
      cidrs: strings(o['destination-cidr-blocks']),
    });
  }
  return { segments, nfgs, nfgsAccepting, attachmentPolicies, segmentActions };
}

/** What an attachment policy condition says of an attachment: true, false, or why it is not known offline. */
function holds(c: PolicyCondition, tags: Record<string, Val<string>>, region: Val<string> | undefined): boolean | string {
  switch (c.type) {
    case 'any':
      return true;
    case 'attachment-type':
      return c.operator !== 'not-equals' ? c.value === 'vpc' : c.value !== 'vpc';
    case 'tag-exists':
      return c.key !== undefined && Object.prototype.hasOwnProperty.call(tags, c.key);
    case 'tag-value':
    case 'region': {
      const v =
        c.type === 'region' ? region : c.key !== undefined && Object.prototype.hasOwnProperty.call(tags, c.key) ? tags[c.key] : undefined;
      if (v === undefined) return c.type === 'region' ? "its VPC's region is not known" : c.operator === 'not-equals';
      if (isUnresolved(v))
        return `${c.type === 'region' ? "its VPC's region" : `its tag ${c.key}`} is not known offline (\`${v.text}\`: ${v.reason})`;
      const want = c.value ?? '';
      switch (c.operator ?? 'equals') {
        case 'equals':
          return v === want;
        case 'not-equals':
          return v !== want;
        case 'contains':
          return v.includes(want);
        case 'begins-with':
          return v.startsWith(want);
        default:
          return `its condition operator "${c.operator}" is not read`;
      }
    }
    default:
      return `a condition of type "${c.type}" is not decided offline`;
  }
}

/** Where an attachment policy puts an attachment: a segment, a network function group, nowhere, or why not known. */
export type Placement =
  { segment: string; rule: AttachmentPolicy } | { nfg: string; rule: AttachmentPolicy } | { none: true } | { unknown: string };

/**
 * The placement of a VPC attachment with tags `tags` whose VPC is in `region`: the first attachment policy (by rule
 * number) whose conditions hold decides; a condition not decided offline before it leaves the placement unknown.
 */
export function placeAttachment(
  policy: CorePolicy,
  tags: Record<string, Val<string>> | Unresolved,
  region: Val<string> | undefined,
): Placement {
  if (isUnresolved(tags)) return { unknown: `its tags are not known offline (\`${tags.text}\`: ${tags.reason})` };
  for (const p of policy.attachmentPolicies) {
    const results = p.conditions.map((c) => holds(c, tags, region));
    const open = results.find((r): r is string => typeof r === 'string');
    // Three-valued: `and` fails on any false, `or` holds on any true; otherwise an undecided condition decides nothing.
    const match =
      p.logic === 'and'
        ? results.includes(false)
          ? false
          : open !== undefined
            ? undefined
            : results.length > 0
        : results.includes(true)
          ? true
          : open !== undefined
            ? undefined
            : false;
    if (match === undefined) return { unknown: `whether attachment policy ${p.rule} applies to it cannot be decided: ${open}` };
    if (!match) continue;
    if (p.nfg !== undefined) return { nfg: p.nfg, rule: p };
    if (p.segment !== undefined) return { segment: p.segment, rule: p };
    if (p.tagValueOf !== undefined) {
      const v = Object.prototype.hasOwnProperty.call(tags, p.tagValueOf) ? tags[p.tagValueOf] : undefined;
      if (v === undefined)
        return { unknown: `attachment policy ${p.rule} names its segment by its tag ${p.tagValueOf}, which it does not have` };
      if (isUnresolved(v))
        return {
          unknown: `attachment policy ${p.rule} names its segment by its tag ${p.tagValueOf}, not known offline (\`${v.text}\`: ${v.reason})`,
        };
      return { segment: v, rule: p };
    }
    return { unknown: `attachment policy ${p.rule} names no segment or network function group that is read` };
  }
  return { none: true };
}

/** The `send-to` actions of segment `segment` (its default route to a network function group). */
export function sendTo(policy: CorePolicy, segment: string): SegmentAction[] {
  return policy.segmentActions.filter((a) => a.action === 'send-to' && a.segment === segment);
}

/**
 * Whether network function group `nfg` serves segment `segment` (a `send-to` of that segment through it, or a
 * `send-via` naming it on either side): traffic the group's attachments send back to the segment's VPCs reaches them.
 */
export function serves(policy: CorePolicy, nfg: string, segment: string): boolean {
  return policy.segmentActions.some(
    (a) =>
      (a.action === 'send-to' || a.action === 'send-via') &&
      a.nfgs.includes(nfg) &&
      (a.segment === segment || (a.action === 'send-via' && (a.whenSentTo.includes(segment) || a.whenSentTo.includes('*')))),
  );
}

/**
 * Whether an attachment placed by `p` waits for acceptance: its segment's `require-attachment-acceptance` (true
 * unless written false), its network function group's, or its attachment policy's `require-acceptance`.
 */
export function needsAcceptance(policy: CorePolicy, p: Placement): boolean {
  if ('segment' in p) return p.rule.requireAcceptance || policy.segments.find((x) => x.name === p.segment)?.requireAcceptance !== false;
  if ('nfg' in p) return p.rule.requireAcceptance || policy.nfgsAccepting.includes(p.nfg);
  return false;
}

/**
 * The segments whose routes a `share` action brings into segment `segment` (shares are both ways: written on
 * `segment`, or on another segment whose share-with covers it), with the action. A segment whose routes
 * `segment`'s deny-filter or allow-filter keeps out is left out.
 */
export function sharedInto(policy: CorePolicy, segment: string): { from: string; by: SegmentAction }[] {
  const own = policy.segments.find((x) => x.name === segment);
  const covers = (w: { all: boolean; names: string[] }, name: string): boolean =>
    w.all ? !w.names.includes(name) : w.names.includes(name);
  const out: { from: string; by: SegmentAction }[] = [];
  for (const a of policy.segmentActions) {
    if (a.action !== 'share' || !a.shareWith) continue;
    const from =
      a.segment === segment
        ? policy.segments.map((x) => x.name).filter((n) => n !== segment && covers(a.shareWith!, n))
        : covers(a.shareWith, segment)
          ? [a.segment]
          : [];
    for (const f of from)
      if (!own?.denyFilter.includes(f) && (own?.allowFilter === undefined || own.allowFilter.includes(f))) out.push({ from: f, by: a });
  }
  return out;
}
