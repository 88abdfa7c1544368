// A policy that can never match: one higher-priority policy already covers all of its traffic.
import type { DcfPolicy, PortRange, Ref } from '../../model/types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { orderedPolicies } from '../dcf/policies';
import { blockContains, cidrOf, resolveGroup, type ElementLookup, type ResolvedGroup } from '../dcf/groups';
import { domainPatternCovers } from '../dcf/webGroups';
import { policyName } from '../dcf/ruleSupport';

const doc = `Fires (info) when an enabled DCF policy can never match because a single policy with a lower
priority number (evaluated first, enforcing, not watch-only) covers all of its traffic: the earlier
policy's source and destination SmartGroups contain the later one's (same group, Anywhere, or CIDRs that
contain its CIDRs), its protocol is the same or ANY, its port ranges contain the later one's (or it has
none), and it has no WebGroup or WebGroups whose domains cover the later one's. The later policy is dead
configuration; when its action differs it usually means the author expected it to win. Coverage by a
combination of several earlier policies is not detected. Fix: give the intended policy a lower priority
number than the covering one, narrow the covering one, or delete the dead policy.`;

function sameGroup(a: ResolvedGroup, b: ResolvedGroup): boolean {
  if (a.kind === 'builtin' && b.kind === 'builtin') return a.builtin === b.builtin;
  if (
    (a.kind === 'smart' && b.kind === 'smart') ||
    (a.kind === 'web' && b.kind === 'web') ||
    (a.kind === 'external' && b.kind === 'external')
  )
    return a.group.id === b.group.id;
  if (a.kind === 'missing' && b.kind === 'missing') return a.text === b.text;
  return a.kind === 'allWeb' && b.kind === 'allWeb';
}

function cidrsOf(g: ResolvedGroup): string[] | undefined {
  if (g.kind === 'builtin') return g.builtin === 'anywhere' ? ['0.0.0.0/0'] : undefined;
  if (g.kind !== 'smart' || g.group.selectors.length === 0) return undefined;
  if (!g.group.selectors.every((s) => s.cidr !== undefined && !s.other)) return undefined;
  return g.group.selectors.map((s) => s.cidr!);
}

/** True when group `outer` holds every member of group `inner`. */
function groupCovers(outer: ResolvedGroup, inner: ResolvedGroup): boolean {
  if (sameGroup(outer, inner)) return true;
  if (outer.kind === 'builtin' && outer.builtin === 'anywhere') return true;
  if (outer.kind === 'builtin' && outer.builtin === 'publicInternet' && inner.kind === 'smart') {
    const c = cidrsOf(inner);
    const rfc = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '0.0.0.0/0'].map((x) => cidrOf(x)!);
    return (
      !!c &&
      c.every((x) => {
        const p = cidrOf(x);
        return !!p && p.family === 4 && !rfc.some((r) => blockContains(r, p) || blockContains(p, r));
      })
    );
  }
  const o = cidrsOf(outer);
  const i = cidrsOf(inner);
  if (!o || !i) return false;
  return i.every((ic) => {
    const ip = cidrOf(ic);
    return (
      !!ip &&
      o.some((oc) => {
        const op = cidrOf(oc);
        return !!op && blockContains(op, ip);
      })
    );
  });
}

function refsCover(index: ElementLookup, outer: Ref[], inner: Ref[]): boolean {
  if (inner.length === 0) return true;
  const o = outer.map((r) => resolveGroup(index, r));
  return inner.every((r) => {
    const g = resolveGroup(index, r);
    return o.some((og) => groupCovers(og, g));
  });
}

function portsCover(outer: PortRange[], inner: PortRange[]): boolean {
  if (outer.length === 0) return true;
  if (inner.length === 0) return false;
  return inner.every((ir) => outer.some((or) => or.lo <= ir.lo && (or.hi || or.lo) >= (ir.hi || ir.lo)));
}

function webCovers(index: ElementLookup, outer: Ref[], inner: Ref[]): boolean {
  if (outer.length === 0) return true;
  if (inner.length === 0) return false;
  const o = outer.map((r) => resolveGroup(index, r));
  if (o.some((g) => g.kind === 'allWeb')) return true;
  const patterns = o.flatMap((g) => (g.kind === 'web' && g.group.urls.length === 0 ? g.group.domains : []));
  return inner.every((r) => {
    const g = resolveGroup(index, r);
    if (o.some((og) => sameGroup(og, g))) return true;
    return (
      g.kind === 'web' &&
      g.group.urls.length === 0 &&
      g.group.domains.length > 0 &&
      g.group.domains.every((d) => patterns.some((p) => domainPatternCovers(p, d)))
    );
  });
}

/** True when every flow `inner` matches is matched by `outer`. */
export function policyCovers(index: ElementLookup, outer: DcfPolicy, inner: DcfPolicy): boolean {
  if (outer.protocol !== 'any' && outer.protocol !== inner.protocol) return false;
  // Ports do not apply to ICMP; otherwise the outer ranges must contain the inner ones.
  if (inner.protocol !== 'icmp' && !portsCover(outer.ports, inner.ports)) return false;
  return (
    refsCover(index, outer.srcGroups, inner.srcGroups) &&
    refsCover(index, outer.dstGroups, inner.dstGroups) &&
    webCovers(index, outer.webGroups, inner.webGroups)
  );
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const policies = orderedPolicies(ctx.model.elements);
  const out: RawFinding[] = [];
  for (let i = 0; i < policies.length; i++) {
    const inner = policies[i];
    if (inner.watch || inner.action === 'unknown') continue;
    const outer = policies
      .slice(0, i)
      .find((o) => !o.watch && o.action !== 'unknown' && o.priority < inner.priority && policyCovers(index, o, inner));
    if (!outer) continue;
    const same = outer.action === inner.action;
    out.push({
      message: `DCF policy ${policyName(inner)} can never match: ${policyName(outer)} is evaluated first and covers all of its traffic${same ? ' with the same action (redundant)' : `, and ${outer.action === 'permit' ? 'permits' : 'denies'} it instead`}.`,
      location: inner.loc,
      elementId: inner.id,
      related: [{ location: outer.loc, message: `covering policy ${policyName(outer)}` }],
      fix: {
        title: same
          ? `Delete the redundant policy ${policyName(inner)}`
          : `Give ${policyName(inner)} a priority lower than ${outer.priority}, or narrow ${policyName(outer)}`,
        edits: [],
      },
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'dcf-shadowed-policy',
  defaultSeverity: 'info',
  title: 'DCF policy is shadowed by a higher-priority policy',
  doc,
  check,
});
