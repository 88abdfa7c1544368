// Azure Firewall policy -> egress posture. Azure Firewall denies what no rule allows: a policy (or classic
// rule collections) without an allow rule drops everything. A network rule to any destination on any protocol
// and port lets internet traffic through, watched only by threat intelligence (Alert by default; Deny also
// blocks known-malicious addresses; Off watches nothing). An application rule to any FQDN opens only web
// traffic, and a network rule to any destination on some ports (TCP 80/443) only those: everything else still
// meets the default deny (Partially Protected). Each rule applies only to traffic from its sources: the
// posture is per source (the subnet's range the firewall sees).
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { ElementLookup } from '../dcf/groups';
import { AZURE_THREAT_INTEL_DEFAULT } from '../../parse/vocabulary/firewallRules';
import { count, policyLabel, type PolicyPosture } from './posture';
import { postureForSource, sourceText, type SeenSource, type SourcedRules } from './ruleSources';

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

export function azureFirewallPosture(index: ElementLookup, fw: Firewall, source?: SeenSource): PolicyPosture | undefined {
  let subject: string;
  let threat = fw.threatIntel;
  let groups: FirewallRuleGroup[];
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
    groups = [...chain.parents.flatMap((x) => groupsOf(index, x.id)), ...groupsOf(index, p.id)];
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
  const rules: FirewallRule[] = [];
  for (const g of groups) {
    if (isUnresolved(g.rules))
      return { cls: 'unknown', reason: `the rules of ${policyLabel(g)} cannot be read offline: \`${g.rules.text}\` (${g.rules.reason})` };
    rules.push(...g.rules);
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
  return postureForSource(rules, source, subject, (applying, s) => judge(applying, s, c));
}

/** The posture the rules that apply to one source give it. */
function judge(
  rules: FirewallRule[],
  s: SourcedRules,
  c: { subject: string; threat: Firewall['threatIntel']; classic: boolean; noGroups: boolean; from: string },
): PolicyPosture {
  const { subject, threat } = c;
  // Said when rules of the policy were left out for their sources.
  const forSource = s.narrowed ? ` from ${c.from}` : '';
  const undecided = rules.find((r) => r.action === 'unknown');
  if (undecided) return { cls: 'unknown', reason: `whether ${subject}'s ${undecided.what} allows or denies cannot be decided offline` };
  // Verb agreement: "policy P allows", "its classic rule collections allow".
  const v = c.classic ? '' : 's';
  const allows = count(rules, 'pass');
  if (allows === 0 && c.noGroups)
    return {
      cls: 'restricted',
      reason: `${subject} has no rule collection group in the inputs, so Azure Firewall denies all traffic by default (rule collection groups another configuration attaches to it are not seen)`,
    };
  if (allows === 0)
    return { cls: 'restricted', reason: `${subject} allow${v} nothing${forSource}, so Azure Firewall denies all traffic by default` };
  const openTo = (proto: string) => rules.find((r) => r.action === 'pass' && r.dest === 'any' && r.proto === proto);
  const open = openTo('any') ?? openTo('web') ?? openTo('some');
  if (!open)
    return {
      cls: 'restricted',
      reason: `${subject} den${v ? 'ies' : 'y'} by default and allow${v} ${allows} rule${allows === 1 ? '' : 's'}${forSource} to named destinations`,
    };
  const part = s.partial.has(open) ? `, whose sources take part of ${c.from}` : '';
  const opened = `${subject} allow${v} ${open.proto === 'web' ? 'HTTP/HTTPS to any FQDN' : open.proto === 'some' ? 'some protocols and ports to any destination' : 'all traffic to any destination'} (${open.what}${part})`;
  // Web (or some ports) to anywhere is open, but everything else still meets the default deny: some traffic is restricted.
  if (open.proto !== 'any')
    return {
      cls: 'partial',
      reason: `${opened}; every other ${open.proto === 'web' ? 'protocol' : 'protocol and port'} is denied by default`,
    };
  if (isUnresolved(threat))
    return { cls: 'unknown', reason: `${opened}; its threat intelligence mode \`${threat.text}\` cannot be decided` };
  const mode = threat ?? AZURE_THREAT_INTEL_DEFAULT;
  const denies = rules.filter((r) => r.action === 'drop').length;
  if (denies > 0 || mode.toLowerCase() === 'deny')
    return {
      cls: 'partial',
      reason: `${opened}; ${denies > 0 ? `${denies} deny rule${denies === 1 ? '' : 's'}` : 'threat intelligence in Deny mode'} block${denies === 1 ? 's' : ''} the rest`,
    };
  if (mode.toLowerCase() === 'off') return { cls: 'bypass', reason: `${opened}; threat intelligence is off` };
  return { cls: 'permit-all', reason: `${opened}; threat intelligence only alerts (${mode})` };
}
