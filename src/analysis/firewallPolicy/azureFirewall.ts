// Azure Firewall policy -> egress posture. Azure Firewall processes network rules before application rules (whatever
// the priorities); within each kind a parent policy's collections (base_policy_id) before the child's, then rule
// collection groups by priority, then collections by priority, lowest first; the first rule that matches decides
// (review s16 R14), and what none matches is denied. A network rule to any destination on any protocol and port lets
// internet traffic through, watched only by threat intelligence (Alert by default; Deny also blocks known-malicious
// addresses; Off watches nothing); a deny before it holds some traffic back, one after it never applies. An
// application rule to any FQDN (`*`, or an entry that takes every name: `*.com`) opens only web traffic, and a network
// rule to any destination on some ports (TCP 80/443) only those: everything else still meets the deny (Partially
// Protected). Each rule applies only to traffic from its sources: the posture is per source (the subnet's range the
// firewall sees).
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup, Unresolved, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { ElementLookup } from '../dcf/groups';
import { AZURE_THREAT_INTEL_DEFAULT } from '../../parse/vocabulary/firewallRules';
import { policyLabel, type PolicyPosture } from './posture';
import { postureForSource, sourceText, type SeenSource, type SourcedRules } from './ruleSources';
import { elementsOfKind } from '../byKind';

// Rule groups by the policy or firewall they belong to, once per element list.
const byOwner = new WeakMap<readonly unknown[], Map<string, FirewallRuleGroup[]>>();

function groupsOf(index: ElementLookup, owner: string): FirewallRuleGroup[] {
  let m = byOwner.get(index.model.elements);
  if (!m) {
    m = new Map();
    for (const e of index.model.elements) {
      if (e.kind !== 'firewallRuleGroup' || e.vendor !== 'Azure Firewall' || typeof e.owner !== 'string') continue;
      const id = index.get(e.owner)?.id ?? e.owner;
      m.set(id, [...(m.get(id) ?? []), e]);
    }
    byOwner.set(index.model.elements, m);
  }
  return m.get(owner) ?? [];
}

/**
 * The parent policies of a policy, the farthest first (`base_policy_id`, which Azure allows one level of, read as a
 * chain in case), or why the chain cannot be read: a parent outside the inputs (a central policy) applies rules
 * first that no one here can see.
 */
function parentsOf(index: ElementLookup, p: FirewallPolicy): { parents: FirewallPolicy[] } | { missing: string } {
  const parents: FirewallPolicy[] = [];
  const seen = new Set([p.id]);
  let cur = p;
  while (cur.basePolicy !== undefined) {
    const b = isUnresolved(cur.basePolicy) ? undefined : index.get(cur.basePolicy);
    if (b?.kind !== 'firewallPolicy' || seen.has(b.id))
      return {
        missing: `its parent policy ${isUnresolved(cur.basePolicy) ? `\`${cur.basePolicy.text}\` (${cur.basePolicy.reason})` : cur.basePolicy} (base_policy_id of ${policyLabel(cur)}) is ${b?.kind === 'firewallPolicy' ? 'its own ancestor' : 'not in the inputs'}, and Azure applies its rule collections first`,
      };
    seen.add(b.id);
    parents.unshift(b);
    cur = b;
  }
  return { parents };
}

// Categories that record the traffic a permit-all lets through: rule hits and threat intelligence alerts
// (resource-specific tables, or the legacy AzureDiagnostics categories, which carry the alerts too).
const TRAFFIC_LOGS = new Set([
  'alllogs',
  'azfwnetworkrule',
  'azfwapplicationrule',
  'azfwthreatintel',
  'azurefirewallnetworkrule',
  'azurefirewallapplicationrule',
]);

/**
 * A permit-all is monitoring only while its logs reach a destination, as for Network Firewall (review s18 R10): Azure
 * Firewall writes its rule and threat intelligence logs only through a diagnostic setting. None in the inputs: said,
 * the state kept (it may live in another configuration or an Azure Policy); one without those categories: nothing
 * records the traffic (Unprotected).
 */
function logsDelivered(index: ElementLookup, fw: Firewall, posture: PolicyPosture): PolicyPosture {
  if (posture.cls !== 'permit-all') return posture;
  const settings = elementsOfKind(index.model.elements, 'firewallLogging').filter((l) => l.firewall === fw.id);
  if (settings.length === 0)
    return {
      ...posture,
      reason: `${posture.reason} (no diagnostic setting in the inputs names the firewall: where its logs go is not checked)`,
    };
  const types = settings.flatMap((l) => l.logTypes);
  const at = settings.map(policyLabel).join(', ');
  const delivered = types.find((t) => typeof t === 'string' && TRAFFIC_LOGS.has(t.toLowerCase()));
  if (delivered) return { ...posture, reason: `${posture.reason}; ${at} sends its ${delivered} logs` };
  const undecided = types.find(isUnresolved);
  if (undecided)
    return {
      cls: 'unknown',
      reason: `${posture.reason}, but which logs ${at} sends cannot be decided offline (\`${undecided.text}\`)`,
    };
  return {
    cls: 'bypass',
    reason: `${posture.reason}, but ${at} sends none of its rule or threat intelligence logs (${types.join(', ') || 'no category'}): nothing records the traffic`,
  };
}

export function azureFirewallPosture(index: ElementLookup, fw: Firewall, source?: SeenSource): PolicyPosture | undefined {
  const p = readAzurePosture(index, fw, source);
  return p && logsDelivered(index, fw, p);
}

function readAzurePosture(index: ElementLookup, fw: Firewall, source?: SeenSource): PolicyPosture | undefined {
  let subject: string;
  let threat = fw.threatIntel;
  let groups: FirewallRuleGroup[];
  // The policies whose collections apply, the farthest parent first (a classic firewall: itself).
  let levels: string[] = [fw.id];
  if (fw.policy !== undefined) {
    const p = isUnresolved(fw.policy) ? undefined : index.get(fw.policy);
    if (p?.kind !== 'firewallPolicy')
      return {
        cls: 'unknown',
        reason: `its firewall policy ${isUnresolved(fw.policy) ? `\`${fw.policy.text}\` (${fw.policy.reason})` : fw.policy} is not in the inputs`,
      };
    subject = `policy ${policyLabel(p)}`;
    threat = p.threatIntel;
    // Inherited rule collections (Firewall Manager's parent policy) are processed before the policy's own.
    const chain = parentsOf(index, p);
    if ('missing' in chain) return { cls: 'unknown', reason: chain.missing };
    levels = [...chain.parents.map((x) => x.id), p.id];
    groups = levels.flatMap((id) => groupsOf(index, id));
  } else {
    subject = `its classic rule collections`;
    groups = groupsOf(index, fw.id);
  }
  // No policy and no classic collection: as written the firewall has no rule at all, and Azure Firewall denies what
  // no rule allows. Collections another configuration adds (they name the firewall) would change that: said.
  if (groups.length === 0 && fw.policy === undefined)
    return {
      cls: 'restricted',
      reason: `it names no firewall policy and no classic rule collection in the inputs names it, so as written it allows nothing (Azure Firewall denies by default; rule collections kept in another configuration would change this)`,
    };
  const written: { rule: FirewallRule; level: number; group: FirewallRuleGroup }[] = [];
  for (const g of groups) {
    if (isUnresolved(g.rules))
      return { cls: 'unknown', reason: `the rules of ${policyLabel(g)} cannot be read offline: \`${g.rules.text}\` (${g.rules.reason})` };
    // A parent's collections come before the child's in each kind (levels: the farthest parent 0).
    const level = g.owner === undefined || isUnresolved(g.owner) ? 0 : Math.max(0, levels.indexOf(index.get(g.owner)?.id ?? g.owner));
    for (const rule of g.rules) written.push({ rule, level, group: g });
  }
  // Each rule applies only to traffic from its sources (ruleSources.ts says how a subnet is judged when a
  // rule takes part of it or its sources are undecided).
  const c = {
    subject,
    threat,
    classic: fw.policy === undefined,
    // A policy with no rule collection group in the inputs (F182): another configuration may attach some to it.
    noGroups: fw.policy !== undefined && groups.length === 0,
    from: source === undefined ? 'this source' : sourceText(source),
  };
  const posture = (rules: FirewallRule[]) => postureForSource(rules, source, subject, (applying, s) => judge(applying, s, c));
  const undecided = written.find((w) => isUnresolved(w.group.priority) || isUnresolved(w.rule.azureOrder?.priority));
  if (!undecided) return posture(processingOrder(written, 'written'));
  // A priority not known offline: the posture is decided when the most open order and the most closed one agree
  // (allows first among what the unknown priority may place anywhere, then denies first).
  const open = posture(processingOrder(written, 'open'));
  const closed = posture(processingOrder(written, 'closed'));
  if (open.cls === closed.cls) return open;
  const prio = isUnresolved(undecided.group.priority) ? undecided.group.priority : (undecided.rule.azureOrder!.priority as Unresolved);
  return {
    cls: 'unknown',
    reason: `${subject} processes its rule collections by priority, and the priority of ${isUnresolved(undecided.group.priority) ? policyLabel(undecided.group) : `the collection of ${undecided.rule.what}`} cannot be decided offline (\`${prio.text}\`, ${prio.reason}): ${open.reason}, or ${closed.reason}`,
  };
}

/**
 * The rules in Azure Firewall's processing order: network rules before application rules, whatever the priorities;
 * within each kind a parent policy's before the child's, then by rule collection group priority, then by rule
 * collection priority, lowest first (classic collections have only the last); ties as written. A priority not known
 * offline is placed where it opens the most (`open`: allows first, denies last) or the least (`closed`).
 */
export function processingOrder(
  written: { rule: FirewallRule; level: number; group: FirewallRuleGroup }[],
  undecided: 'written' | 'open' | 'closed',
): FirewallRule[] {
  const at = (v: Val<number> | undefined, rule: FirewallRule): number => {
    if (typeof v === 'number') return v;
    if (v === undefined || undecided === 'written') return 0;
    // An action not known may allow: placed as an allow.
    const allows = rule.action !== 'drop';
    return allows === (undecided === 'open') ? -Infinity : Infinity;
  };
  const key = (w: (typeof written)[number]) => [
    w.rule.azureOrder?.layer === 'application' ? 1 : 0,
    w.level,
    at(w.group.priority, w.rule),
    at(w.rule.azureOrder?.priority, w.rule),
  ];
  return written
    .map((w, i) => ({ w, i, k: key(w) }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j++) if (a.k[j] !== b.k[j]) return a.k[j] < b.k[j] ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.w.rule);
}

/**
 * The posture the rules that apply to one source give it, walked in processing order (first match wins): an allow
 * of everything or a deny of everything ends the walk; Azure Firewall's default deny ends it after the last rule.
 */
function judge(
  rules: FirewallRule[],
  s: SourcedRules,
  c: { subject: string; threat: Firewall['threatIntel']; classic: boolean; noGroups: boolean; from: string },
): PolicyPosture {
  const { subject, threat } = c;
  // Said when rules of the policy were left out for their sources.
  const forSource = s.narrowed ? ` from ${c.from}` : '';
  // Verb agreement: "policy P allows", "its classic rule collections allow".
  const v = c.classic ? '' : 's';
  let allows = 0;
  const denies: FirewallRule[] = [];
  // The first allow to every destination of some traffic only (HTTP/HTTPS to any FQDN, TCP 443 to any address).
  let someToAny: FirewallRule | undefined;
  const opened = (open: FirewallRule) =>
    `${subject} allow${v} ${open.proto === 'web' ? 'HTTP/HTTPS to any FQDN' : open.proto === 'some' ? 'some protocols and ports to any destination' : 'all traffic to any destination'} (${open.what}${s.partial.has(open) ? `, whose sources take part of ${c.from}` : ''})`;
  const deniedBefore = (what: string) => `${denies.length} deny rule${denies.length === 1 ? '' : 's'} before ${what}`;
  for (const r of rules) {
    if (r.action === 'unknown')
      return { cls: 'unknown', reason: `whether ${subject}'s ${r.what} allows or denies cannot be decided offline` };
    const all = r.dest === 'any' && r.proto === 'any';
    if (r.action === 'drop' && all)
      return denied(s, c, allows, someToAny, opened, `${r.what} denies everything the rules before it do not allow`);
    if (r.action === 'drop') {
      denies.push(r);
      continue;
    }
    if (r.action !== 'pass') continue;
    if (!all) {
      if (r.dest === 'any') someToAny ??= r;
      else allows++;
      continue;
    }
    // Everything is allowed here: what the rules after it say never applies.
    if (denies.length > 0)
      return { cls: 'partial', reason: `${opened(r)}; ${deniedBefore('it')} block${denies.length === 1 ? 's' : ''} some traffic` };
    if (isUnresolved(threat))
      return { cls: 'unknown', reason: `${opened(r)}; its threat intelligence mode \`${threat.text}\` cannot be decided` };
    const mode = threat ?? AZURE_THREAT_INTEL_DEFAULT;
    if (mode.toLowerCase() === 'deny') return { cls: 'partial', reason: `${opened(r)}; threat intelligence in Deny mode blocks the rest` };
    if (mode.toLowerCase() === 'off') return { cls: 'bypass', reason: `${opened(r)}; threat intelligence is off` };
    return { cls: 'permit-all', reason: `${opened(r)}; threat intelligence only alerts (${mode})` };
  }
  if (allows === 0 && !someToAny && c.noGroups)
    return {
      cls: 'restricted',
      reason: `${subject} has no rule collection group in the inputs, so Azure Firewall denies all traffic by default (rule collection groups another configuration attaches to it are not seen)`,
    };
  return denied(s, c, allows, someToAny, opened, undefined, forSource);
}

/**
 * The walk ended in a deny of everything (a rule, or Azure Firewall's default deny): restricted, unless an allow
 * before it opened some traffic to every destination (the services are limited, the destinations not).
 */
function denied(
  s: SourcedRules,
  c: { subject: string; classic: boolean; from: string },
  allows: number,
  someToAny: FirewallRule | undefined,
  opened: (r: FirewallRule) => string,
  by?: string,
  forSource = s.narrowed ? ` from ${c.from}` : '',
): PolicyPosture {
  const { subject } = c;
  const v = c.classic ? '' : 's';
  if (someToAny)
    return {
      cls: 'partial',
      reason: `${opened(someToAny)}; every other ${someToAny.proto === 'web' ? 'protocol' : 'protocol and port'} is denied${by ? ` (${by})` : ' by default'}`,
    };
  if (allows === 0)
    return by
      ? {
          cls: 'restricted',
          reason: `${subject} allow${v} nothing${forSource} before ${by.replace(/ denies everything the rules before it do not allow$/, '')}, which denies everything`,
        }
      : { cls: 'restricted', reason: `${subject} allow${v} nothing${forSource}, so Azure Firewall denies all traffic by default` };
  return {
    cls: 'restricted',
    reason: `${subject} ${by ? `allow${v}` : `den${v ? 'ies' : 'y'} by default and allow${v}`} ${allows} rule${allows === 1 ? '' : 's'}${forSource} to named destinations${by ? `, then ${by}` : ''}`,
  };
}
