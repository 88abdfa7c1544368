// AWS Network Firewall rule variables, expanded for the firewall that enforces a rule and the source it sees
// (docs/domain.md, Network Firewall). HOME_NET is the rule group's own definition, else the policy's
// (policy variables), else the CIDRs of the VPC the firewall is deployed in, every one of them. EXTERNAL_NET
// is the group's own definition, else everything outside HOME_NET. A domain list's generated rules and the
// Suricata rules written from $HOME_NET match only traffic whose source lies in HOME_NET: in a centralized
// design the spokes' ranges lie outside the inspection VPC's, so unless HOME_NET is overridden their traffic
// matches none of those rules and meets what the policy does with unmatched traffic.
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup, RuleVariables, Val } from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import type { ElementLookup } from '../dcf/groups';
import { policyLabel } from './posture';
import { sourceCover, sourceText, type SeenSource } from './ruleSources';

/** Whom a posture is judged for: the firewall, its policy, and the source as the firewall sees it. */
export interface VariableScope {
  index: ElementLookup;
  fw: Firewall;
  policy: FirewallPolicy;
  /** The addresses the firewall sees the traffic from (a subnet's CIDR, a NAT's address, a range they lie in), when known. */
  source: SeenSource | undefined;
  /** The VPC those addresses belong to (the source subnet's, or the translating NAT's), when known. */
  sourceVpc: string | undefined;
}

/** HOME_NET for one rule group: its CIDRs (or that the source is inside it), and where that comes from. */
export interface HomeNet {
  /** The CIDRs; 'source' when the source is known to lie inside (it is in the firewall's own VPC). */
  cidrs: Val<string[]> | 'source';
  /** For reasons: `10.0.0.0/16, the CIDRs of the firewall's VPC aws_vpc.x`. */
  text: string;
  /** The rule group or policy whose variable sets it; absent when it is left at the firewall's VPC. */
  by?: FirewallRuleGroup | FirewallPolicy;
}

const HOME = 'HOME_NET';
const EXTERNAL = 'EXTERNAL_NET';

/** A variable of a variable set: its value, undefined when the set does not define it, Unresolved when that cannot be decided. */
function lookup(vars: RuleVariables | undefined, name: string, owner: string): Val<string[]> | undefined {
  if (vars === undefined) return undefined;
  if (isUnresolved(vars)) return unresolved(vars.text, `whether ${owner} defines ${name} cannot be decided offline: ${vars.reason}`);
  return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
}

/** HOME_NET as one rule group of the scope's policy sees it. */
export function homeNetFor(scope: VariableScope, group: FirewallRuleGroup | undefined): HomeNet {
  const own = group ? lookup(group.variables, HOME, `rule group ${policyLabel(group)}`) : undefined;
  if (own !== undefined)
    return { cidrs: own, text: isUnresolved(own) ? '' : `${own.join(', ')}, set by rule group ${policyLabel(group!)}`, by: group };
  const pol = lookup(scope.policy.variables, HOME, `policy ${policyLabel(scope.policy)}`);
  if (pol !== undefined)
    return { cidrs: pol, text: isUnresolved(pol) ? '' : `${pol.join(', ')}, set by policy ${policyLabel(scope.policy)}`, by: scope.policy };
  return vpcHomeNet(scope);
}

/** HOME_NET left at its default: every CIDR of the firewall's VPC (primary and secondary associations). */
function vpcHomeNet(scope: VariableScope): HomeNet {
  const { index, fw } = scope;
  const ref = fw.vpc;
  const vpc = ref === undefined || isUnresolved(ref) ? undefined : index.get(ref);
  if (vpc?.kind !== 'vpc') {
    if ((ref === undefined || isUnresolved(ref)) && fw.tgw !== undefined)
      return {
        cidrs: unresolved(
          '$HOME_NET',
          'no policy or rule group variable sets HOME_NET, and the firewall is attached to a transit gateway, not deployed in a VPC of the inputs: what HOME_NET holds by default is not in the inputs',
        ),
        text: '',
      };
    const what =
      ref === undefined ? 'is not written' : isUnresolved(ref) ? `\`${ref.text}\` is not known offline` : `${ref} is not in the inputs`;
    return {
      cidrs: unresolved(
        '$HOME_NET',
        `no policy or rule group variable sets HOME_NET, so it is the CIDRs of the firewall's VPC, and that VPC ${what}`,
      ),
      text: '',
    };
  }
  const at = `the CIDRs of the firewall's VPC ${policyLabel(vpc)}`;
  // A subnet or NAT of the firewall's own VPC lies inside its CIDRs, whatever they are.
  if (scope.sourceVpc !== undefined && scope.sourceVpc === vpc.id) return { cidrs: 'source', text: at };
  const known = vpc.cidrs.filter((c): c is string => !isUnresolved(c));
  const undecided = vpc.cidrs.find(isUnresolved);
  const text = `${known.join(', ') || 'no known CIDR'}, ${at} (not overridden by a policy or rule group variable)`;
  if (undecided && sourceCover({ sources: known }, scope.source) !== 'all')
    return {
      cidrs: unresolved(
        '$HOME_NET',
        `no policy or rule group variable sets HOME_NET, so it is ${at}, and ${undecided.text ? `\`${undecided.text}\`` : 'one of them'} is not known offline (${undecided.reason})`,
      ),
      text,
    };
  return { cidrs: known, text };
}

/** The result of expanding one rule: the rule as it applies, and whether HOME_NET left this source out of it. */
interface Expanded {
  rule: FirewallRule;
  /** HOME_NET as the rule's group sees it, when the rule names it. */
  home?: HomeNet;
}

/**
 * A rule with its variables replaced by addresses for the scope's source: `$HOME_NET`, `$EXTERNAL_NET` and
 * the group's (or policy's) own IP sets. A variable whose value the inputs do not decide leaves the rule's
 * sources Unresolved (its posture is then Unknown where the rule decides it).
 */
export function expandRule(scope: VariableScope, group: FirewallRuleGroup | undefined, r: FirewallRule): Expanded {
  const srcs = r.sources;
  if (srcs === undefined || isUnresolved(srcs) || !srcs.some((s) => s.startsWith('$'))) return { rule: r };
  const out: string[] = [];
  let home: HomeNet | undefined;
  const undecided = (v: { text: string; reason: string }): Expanded => ({
    rule: { ...r, sources: unresolved(v.text, v.reason) },
    ...(home ? { home } : {}),
  });
  const all = (): Expanded => {
    const { sources: _drop, ...rest } = r;
    return { rule: rest, ...(home ? { home } : {}) };
  };
  for (const s of srcs) {
    if (!s.startsWith('$')) {
      out.push(s);
      continue;
    }
    const name = s.slice(1);
    const own = group ? lookup(group.variables, name, `rule group ${policyLabel(group)}`) : undefined;
    if (name === HOME || (name === EXTERNAL && own === undefined)) {
      home ??= homeNetFor(scope, group);
      const h = home.cidrs;
      if (isUnresolved(h)) return undecided(h);
      if (name === HOME) {
        if (h === 'source') return all();
        out.push(...h);
        continue;
      }
      // EXTERNAL_NET: everything outside HOME_NET, read against this source.
      const inside = h === 'source' ? 'all' : sourceCover({ sources: h }, scope.source);
      if (inside === 'none') return all();
      if (inside !== 'all')
        return undecided({
          text: s,
          reason: `EXTERNAL_NET is everything outside HOME_NET (${home.text}), and ${scope.source === undefined ? 'the source' : sourceText(scope.source)} is not known to lie wholly inside or outside it`,
        });
      continue;
    }
    const v = own ?? lookup(scope.policy.variables, name, `policy ${policyLabel(scope.policy)}`);
    if (v === undefined)
      return undecided({ text: s, reason: `the rule variable ${name} is defined neither by its rule group nor by the policy` });
    if (isUnresolved(v)) return undecided(v);
    out.push(...v);
  }
  return { rule: { ...r, sources: out }, ...(home ? { home } : {}) };
}
