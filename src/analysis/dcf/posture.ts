// The effective DCF posture of a source toward the internet, read from the policy structure:
// which policy catches "all the rest" of its internet-bound traffic, and what is allowed or denied
// before it. This is what the protection states are built on.
//
// - catch-all: destination Anywhere / Public Internet / 0.0.0.0/0, protocol ANY, no ports, no WebGroup.
// - broad permit: a permit toward the whole internet with no WebGroup and no port limit.
// - restricted: the catch-all (first that selects the source) denies, and no broad permit precedes it.
// - permit-all: the catch-all permits (or nothing matches and the default action permits) and no deny
//   toward the internet precedes it.
// - partial: the rest (a deny tail after a broad permit, or a permit tail after some denies).
import type { DcfPolicy } from '../../model/types';
import {
  groupsCoverWholeInternet,
  mayHoldInternet,
  resolveGroup,
  sourceInGroup,
  triOr,
  type ElementLookup,
  type SourceContext,
  type Tri,
} from './groups';
import { orderedPolicies, policyLabel } from './policies';
import { everyName } from '../../parse/vocabulary/everyName';

export type PostureKind = 'restricted' | 'permit-all' | 'partial' | 'unknown';

export interface Posture {
  kind: PostureKind;
  reason: string;
  /** The catch-all that decides the rest of the traffic (absent: the default action). */
  tail?: DcfPolicy;
  /** Policies that select the source and may permit internet traffic before the tail. */
  allows: DcfPolicy[];
  denies: DcfPolicy[];
  /** True when at least one enabled policy selects the source. */
  selected: boolean;
  /** permit-all only: whether the permitting rule logs (the default action rule does not). */
  logged?: boolean;
}

function names(ps: DcfPolicy[]): string {
  return ps.map((p) => `"${p.name || p.id}"`).join(', ');
}

export function isCatchAll(index: ElementLookup, p: DcfPolicy): boolean {
  return (
    p.protocol === 'any' &&
    p.ports.length === 0 &&
    p.webGroups.length === 0 &&
    groupsCoverWholeInternet(p.dstGroups.map((r) => resolveGroup(index, r)))
  );
}

/** A permit toward the whole internet without a WebGroup and without a port limit. */
export function isBroadPermit(index: ElementLookup, p: DcfPolicy): boolean {
  return (
    p.action === 'permit' &&
    p.ports.length === 0 &&
    p.webGroups.length === 0 &&
    groupsCoverWholeInternet(p.dstGroups.map((r) => resolveGroup(index, r)))
  );
}

/**
 * A permit that reaches every internet address though only on some ports, or only for names every name
 * matches (a WebGroup of \`*\` or \`*.com\`, vocabulary/everyName.ts; AllWeb): it limits services, not destinations, so a deny after it leaves the
 * source partly protected, as "TCP 443 to any" is on Azure Firewall and Network Firewall (review s16 R5).
 */
function opensEveryAddress(index: ElementLookup, p: DcfPolicy): boolean {
  return (
    p.action === 'permit' &&
    groupsCoverWholeInternet(p.dstGroups.map((r) => resolveGroup(index, r))) &&
    p.webGroups.every((r) => {
      const g = resolveGroup(index, r);
      return g.kind === 'allWeb' || (g.kind === 'web' && g.group.domains.some((d) => everyName(d) !== undefined));
    })
  );
}

export function sourceTri(index: ElementLookup, p: DcfPolicy, src: SourceContext): Tri {
  return triOr(p.srcGroups.map((r) => sourceInGroup(resolveGroup(index, r), src)));
}

export function internetPosture(index: ElementLookup, src: SourceContext, subject: string): Posture {
  const allows: DcfPolicy[] = [];
  const denies: DcfPolicy[] = [];
  const maybeDenies: DcfPolicy[] = [];
  const broad: DcfPolicy[] = [];
  const maybeBroad: DcfPolicy[] = [];
  const watched: DcfPolicy[] = [];
  let tail: DcfPolicy | undefined;
  for (const p of orderedPolicies(index.model.elements)) {
    const s = sourceTri(index, p, src);
    if (s === 'no') continue;
    if (p.watch) {
      // Observes and logs, enforces nothing: it makes a permitted flow monitored.
      if (s === 'yes' && triOr(p.dstGroups.map((r) => mayHoldInternet(resolveGroup(index, r)))) !== 'no') watched.push(p);
      continue;
    }
    const toInternet = triOr(p.dstGroups.map((r) => mayHoldInternet(resolveGroup(index, r))));
    if (toInternet === 'no') continue;
    // An action the inputs cannot decide decides nothing we can state: not a PERMIT.
    if (p.action === 'unknown') {
      return {
        kind: 'unknown',
        reason: `the action of ${policyLabel(p)} cannot be decided offline, and it may select ${subject}'s internet traffic`,
        allows,
        denies,
        selected: true,
      };
    }
    // A source SmartGroup that is not defined anywhere: whether the policy selects the source is not
    // known, so neither is what it does to the source's traffic (state and rules agree on Unknown).
    if (s === 'unknown') {
      const missing = p.srcGroups.map((r) => resolveGroup(index, r)).find((g) => g.kind === 'missing');
      if (missing)
        return {
          kind: 'unknown',
          reason: `whether ${policyLabel(p)} selects ${subject} cannot be decided: its source SmartGroup \`${missing.label}\` is not defined in the inputs`,
          allows,
          denies,
          selected: true,
        };
    }
    if (isCatchAll(index, p)) {
      if (s === 'unknown') {
        return {
          kind: 'unknown',
          reason: `whether catch-all ${policyLabel(p)} selects ${subject} cannot be decided from the inputs`,
          allows,
          denies,
          selected: true,
          tail: p,
        };
      }
      tail = p;
      break;
    }
    if (p.action === 'permit') {
      allows.push(p);
      if (isBroadPermit(index, p) || opensEveryAddress(index, p)) (s === 'yes' ? broad : maybeBroad).push(p);
    } else if (s === 'yes') denies.push(p);
    else maybeDenies.push(p);
  }
  const selected = tail !== undefined || allows.length > 0 || denies.length > 0 || maybeDenies.length > 0;
  const tailText = tail ? policyLabel(tail) : 'the DCF default action rule (PERMIT)';
  if (tail?.action === 'deny') {
    if (broad.length > 0) {
      return {
        kind: 'partial',
        reason: broad.every((p) => isBroadPermit(index, p))
          ? `${names(broad)} permit(s) all internet traffic on some protocols before ${tailText} denies the rest`
          : `${names(broad)} permit(s) some protocols or ports to every internet address before ${tailText} denies the rest`,
        tail,
        allows,
        denies,
        selected,
      };
    }
    if (maybeBroad.length > 0) {
      return {
        kind: 'unknown',
        reason: `broad permit ${names(maybeBroad)} may select ${subject} (source group undecidable) before ${tailText}`,
        tail,
        allows,
        denies,
        selected,
      };
    }
    const allowed = allows.length ? `; explicit allows: ${names(allows)}` : '; nothing is allowed';
    return { kind: 'restricted', reason: `${tailText} denies internet traffic from ${subject}${allowed}`, tail, allows, denies, selected };
  }
  if (denies.length > 0) {
    return {
      kind: 'partial',
      reason: `${names(denies)} deny some internet traffic from ${subject}, the rest is permitted by ${tailText}`,
      tail,
      allows,
      denies,
      selected,
    };
  }
  if (maybeDenies.length > 0) {
    return {
      kind: 'unknown',
      reason: `deny ${names(maybeDenies)} may select ${subject} (source group undecidable); the rest is permitted by ${tailText}`,
      tail,
      allows,
      denies,
      selected,
    };
  }
  const logged = tail?.logging ?? false;
  const watch = !logged && watched.length > 0 ? `; watch-mode ${names(watched)} observe(s) and log(s) it` : '';
  const why = tail
    ? `${tailText} permits all internet traffic from ${subject}${logged ? ' (logged)' : watch ? watch : ' (not logged)'}`
    : `no enabled DCF policy ${selected ? 'restricts' : watched.length > 0 ? 'enforces anything on' : 'selects'} ${subject}; the DCF default action rule permits its internet traffic${watch || ' (not logged)'}`;
  return { kind: 'permit-all', reason: why, tail, allows, denies, selected, logged: logged || watched.length > 0 };
}
