// The egress posture a firewall's own policy gives the traffic it inspects, per vendor (awsNetworkFirewall.ts,
// azureFirewall.ts), in the vocabulary of protection states (docs/states.md):
// - restricted: internet-bound traffic ends in deny unless explicitly allowed (Protected);
// - partial: some traffic is restricted (domain lists, some drop rules), the rest passes (Partially Protected);
// - permit-all: everything passes, alerts or threat intelligence watch it (Monitored);
// - bypass: everything passes unwatched (Unprotected);
// - unknown: the policy or one of its rule groups cannot be read offline (Unknown).
// The reason names the policy that decided.
import type { Firewall, FirewallRule, FirewallRuleGroup, NetworkElement, Ref } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { ElementLookup } from '../dcf/groups';
import { awsNetworkFirewallPosture } from './awsNetworkFirewall';
import { azureFirewallPosture } from './azureFirewall';
import { sourceText, type SeenSource } from './ruleSources';

export interface PolicyPosture {
  cls: 'restricted' | 'partial' | 'permit-all' | 'bypass' | 'unknown';
  reason: string;
}

/** Display label of an element: Terraform address, else name. */
export function policyLabel(e: NetworkElement): string {
  return e.address ?? e.name ?? e.id;
}

/** What a reference to a rule group is: the group, or why its rules are not in the inputs. */
export function ruleGroupOf(index: ElementLookup, ref: Ref): FirewallRuleGroup | { missing: string } {
  const e = isUnresolved(ref) ? undefined : index.get(ref);
  if (e?.kind === 'firewallRuleGroup') return e;
  return { missing: isUnresolved(ref) ? `\`${ref.text}\` (${ref.reason})` : ref };
}

/** How many rules of a list have an action (for reasons). */
export function count(rules: FirewallRule[], action: FirewallRule['action']): number {
  return rules.filter((r) => r.action === action).length;
}

// One posture per firewall and element list: every path through the firewall asks the same question.
const memo = new WeakMap<readonly NetworkElement[], Map<string, PolicyPosture | undefined>>();

/**
 * The posture of an AWS Network Firewall or Azure Firewall for a source it sees as `source` (a CIDR or a
 * range it lies in, when known) from `sourceVpc` (for AWS HOME_NET); undefined for firewalls whose policy is
 * not modelled (GWLB appliances, NVAs).
 */
export function firewallPosture(
  index: ElementLookup,
  fw: Firewall,
  source?: SeenSource,
  sourceVpc?: string,
  family: 4 | 6 = 4,
): PolicyPosture | undefined {
  let m = memo.get(index.model.elements);
  if (!m) {
    m = new Map();
    memo.set(index.model.elements, m);
  }
  // AWS stateless rules and Azure rules may name sources, AWS rules HOME_NET: the posture is per source there.
  const key =
    source !== undefined || sourceVpc !== undefined
      ? `${fw.id}|${source === undefined ? '' : sourceText(source)}|${typeof source === 'object' ? source.within.join(',') : ''}|${sourceVpc ?? ''}|${family}`
      : `${fw.id}|${family}`;
  if (m.has(key)) return m.get(key);
  const p =
    fw.vendor === 'AWS Network Firewall'
      ? awsNetworkFirewallPosture(index, fw, source, sourceVpc, family)
      : fw.vendor === 'Azure Firewall'
        ? azureFirewallPosture(index, fw, source)
        : undefined;
  m.set(key, p);
  return p;
}
