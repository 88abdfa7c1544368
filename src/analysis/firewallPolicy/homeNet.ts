// AWS Network Firewall rule variables, expanded for the firewall that enforces a rule and the source it sees
// (docs/domain.md, Network Firewall). HOME_NET is the rule group's own definition, else the policy's
// (policy variables), else the CIDRs of the VPC the firewall is deployed in, every one of them. EXTERNAL_NET
// is the group's own definition, else everything outside HOME_NET. A domain list's generated rules and the
// Suricata rules written from $HOME_NET match only traffic whose source lies in HOME_NET: in a centralized
// design the spokes' ranges lie outside the inspection VPC's, so unless HOME_NET is overridden their traffic
// matches none of those rules and meets what the policy does with unmatched traffic.
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup, RuleVariables, Val } from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import { coversFamily } from '../../model/cidr';
import { notInternet } from '../../parse/vocabulary/firewallRules';
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
  /** The address family of the internet destination judged. */
  family: 4 | 6;
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
export function expandRule(scope: VariableScope, group: FirewallRuleGroup | undefined, written: FirewallRule): Expanded {
  const r = expandDestination(scope, group, written);
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

/** A named set's addresses as a destination, or why they are not known offline. */
type SetAddresses = { cidrs: string[] } | { unknown: string };

/**
 * A rule whose destination names sets (review s16 R4: `pass tcp $HOME_NET any -> $ALLOWED 443`, `-> @EGRESS_PL`):
 * their addresses on this firewall decide whether it matches any destination (together they hold every IPv4 address:
 * `0.0.0.0/0`, or `0.0.0.0/1` and `128.0.0.0/1`) or some. A set not known offline (a variable neither the group nor
 * the policy defines, a definition or a prefix list whose entries are not in the inputs) may hold every address:
 * the rule is then undecided (`undecidedDest`: the posture is judged both ways), never guessed.
 */
function expandDestination(scope: VariableScope, group: FirewallRuleGroup | undefined, r: FirewallRule): FirewallRule {
  const d = r.variableDest;
  if (!d) return r;
  const cidrs: string[] = [];
  let unknown: string | undefined;
  for (const item of d.items) {
    if (!/^[$@]/.test(item)) {
      cidrs.push(item);
      continue;
    }
    const v = item.startsWith('@') ? referenceSet(scope, group, item.slice(1)) : variableSet(scope, group, item.slice(1));
    if ('unknown' in v) unknown ??= v.unknown;
    else cidrs.push(...v.cidrs);
  }
  const { dest: _dest, anyAddress: _any, ...rest } = r;
  if (d.negate) return negatedDestination(r, rest, cidrs, unknown);
  // What is known holds every address already: an unknown set adds nothing.
  const every = coversFamily(cidrs, scope.family);
  if (!every && unknown !== undefined) return { ...r, undecidedDest: unknown };
  if (!every) return { ...rest, dest: 'some' };
  return d.ports === 'any' ? { ...rest, dest: 'any' } : { ...rest, dest: 'some', anyAddress: true };
}

/**
 * A destination negating sets (`!$RFC1918`, `!@PL`): every address outside their addresses. Private and local ranges
 * only: every internet address, as `!10.0.0.0/8` written out. Some internet addresses among them: a pass reaches
 * every internet host but those (a deny-list, never named destinations: `anyAddress`), a drop takes every internet
 * host but those (what it leaves is the named few). Sets holding every IPv4 address leave none: some destinations.
 * A set not known offline may hold anything: the rule is undecided.
 */
function negatedDestination(
  r: FirewallRule,
  rest: Omit<FirewallRule, 'dest' | 'anyAddress'>,
  cidrs: string[],
  unknown: string | undefined,
): FirewallRule {
  if (unknown !== undefined) return { ...r, undecidedDest: unknown };
  const v4 = cidrs.filter((c) => !c.includes(':'));
  if (coversFamily(v4, 4)) return { ...rest, dest: 'some' };
  const kept = v4.filter((c) => !notInternet(c));
  const { items, ports } = r.variableDest!;
  if (kept.length === 0) {
    // Every internet address, as if written `any` (`variableDest` dropped: nothing is excluded that reasons must say).
    const { variableDest: _v, ...every } = rest;
    const what = `${r.what} (${items.join(', ')} hold${items.length === 1 ? 's' : ''} only private ranges: every internet address)`;
    return ports === 'any' ? { ...every, what, dest: 'any' } : { ...every, what, dest: 'some', anyAddress: true };
  }
  const what = `${r.what} (every internet address but ${shortList(kept)})`;
  if (r.action === 'pass' || ports !== 'any') return { ...rest, what, dest: 'some', anyAddress: true };
  return { ...rest, what, dest: 'any' };
}

/** The first three items and how many more. */
function shortList(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

/** `$NAME` as a destination: the group's definition, else the policy's; HOME_NET and EXTERNAL_NET by their defaults. */
function variableSet(scope: VariableScope, group: FirewallRuleGroup | undefined, name: string): SetAddresses {
  const own = group ? lookup(group.variables, name, `rule group ${policyLabel(group)}`) : undefined;
  if (name === HOME && own === undefined) {
    const home = homeNetFor(scope, group);
    // Left at the firewall's VPC, HOME_NET is a VPC's CIDRs: never every address, whatever they are.
    if (home.by === undefined) return { cidrs: [] };
    return isUnresolved(home.cidrs) ? { unknown: home.cidrs.reason } : { cidrs: home.cidrs === 'source' ? [] : home.cidrs };
  }
  // EXTERNAL_NET left at its default is everything outside HOME_NET: every internet address.
  if (name === EXTERNAL && own === undefined) return { cidrs: ['0.0.0.0/0'] };
  const v = own ?? (name === EXTERNAL ? undefined : lookup(scope.policy.variables, name, `policy ${policyLabel(scope.policy)}`));
  if (v === undefined) return { unknown: `the rule variable ${name} is defined neither by its rule group nor by the policy` };
  if (isUnresolved(v)) return { unknown: v.reason || `the ${name} definition cannot be decided offline` };
  return { cidrs: v };
}

/** `@NAME` as a destination: the managed prefix list its group's IP set reference names, when in the inputs. */
function referenceSet(scope: VariableScope, group: FirewallRuleGroup | undefined, name: string): SetAddresses {
  const refs = group?.ipSetReferences;
  if (refs === undefined) return { unknown: `the IP set reference ${name} is not defined by its rule group` };
  if (isUnresolved(refs))
    return { unknown: `whether its rule group defines the IP set reference ${name} cannot be decided offline: ${refs.reason}` };
  if (!Object.prototype.hasOwnProperty.call(refs, name))
    return { unknown: `the IP set reference ${name} is not defined by its rule group` };
  const ref = refs[name];
  const pl = isUnresolved(ref) ? undefined : scope.index.get(ref);
  if (pl?.kind !== 'prefixList')
    return {
      unknown: `the IP set reference ${name} names ${isUnresolved(ref) ? `\`${ref.text}\`` : ref}, whose addresses are not in the inputs`,
    };
  const undecided = pl.cidrs.find(isUnresolved);
  if (undecided) return { unknown: `an entry of prefix list ${policyLabel(pl)} (@${name}) is not known offline: ${undecided.reason}` };
  if (pl.cidrs.length === 0) return { unknown: `prefix list ${policyLabel(pl)} (@${name}) has no entry in the inputs` };
  return { cidrs: pl.cidrs as string[] };
}
