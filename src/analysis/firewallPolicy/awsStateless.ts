// AWS Network Firewall's stateless engine: each packet meets the stateless rules first, groups in policy
// priority order and rules in rule priority order, lowest first; the first rule that matches applies its
// action (aws:pass: out uninspected, aws:drop, aws:forward_to_sfe: to the stateful engine), and a packet no
// rule matches takes the stateless default action. Evaluated for the internet-bound packets of one source
// (the addresses the firewall sees): a rule that takes all of them ends the walk; rules that take some of
// them carve slices out of the traffic; what the slices and the rest meet decides the posture.
import type { FirewallPolicy, FirewallRuleGroup, StatelessReach, StatelessRule } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContains, parseCidr, type Cidr } from '../../model/cidr';
import type { ElementLookup } from '../dcf/groups';
import { NFW_STATELESS } from '../../parse/vocabulary/firewallRules';
import { policyLabel, ruleGroupOf, type PolicyPosture } from './posture';
import type { SeenSource } from './ruleSources';

type Action = 'pass' | 'drop' | 'forward';

interface Placed {
  rule: StatelessRule;
  group: FirewallRuleGroup;
}

/** The stateless rules of a policy in evaluation order, or why that order is not in the inputs. */
function ordered(index: ElementLookup, p: FirewallPolicy, name: string): Placed[] | string {
  const refs = p.statelessGroups ?? [];
  const prios = p.statelessPriorities ?? [];
  const groups: { prio: number; group: FirewallRuleGroup }[] = [];
  for (const [i, ref] of refs.entries()) {
    const g = ruleGroupOf(index, ref);
    if ('missing' in g) return `${name} references stateless rule group ${g.missing}, which is not in the inputs`;
    const prio = prios[i];
    if (prio === undefined || isUnresolved(prio))
      return `the priority of ${name}'s stateless rule group ${policyLabel(g)} cannot be decided offline, and it orders the stateless rules`;
    groups.push({ prio, group: g });
  }
  const out: Placed[] = [];
  for (const { group } of groups.sort((a, b) => a.prio - b.prio)) {
    const rules = group.statelessRules;
    if (rules === undefined) return `${policyLabel(group)} is referenced as a stateless rule group but is not one`;
    if (isUnresolved(rules)) return `the stateless rules of ${policyLabel(group)} cannot be read offline: ${rules.reason}`;
    const undecided = rules.find((r) => isUnresolved(r.priority));
    if (undecided) return `the priority of stateless rule ${undecided.what} of ${policyLabel(group)} cannot be decided offline`;
    const sorted = [...rules].sort((a, b) => (a.priority as number) - (b.priority as number));
    for (const rule of sorted) out.push({ rule, group });
  }
  return out;
}

/**
 * How much of the source's traffic a rule's sources take: all, some, or none of it; `some` when the source is
 * not known. A source known only to lie in some CIDRs (`within`) is taken whole or not at all only when
 * every one of them is; otherwise `some` (where its addresses lie decides, the slice is weighed as partial).
 */
function sourceCover(rule: StatelessReach, source: Cidr | undefined, within?: Cidr[]): 'all' | 'some' | 'none' {
  if (rule.sources.length === 0) return 'all';
  if (within) {
    const covers = new Set(within.map((w) => sourceCover(rule, w)));
    return covers.size === 1 ? [...covers][0] : 'some';
  }
  if (!source) return 'some';
  const cidrs = rule.sources.map(parseCidr);
  if (cidrs.some((c) => c && cidrContains(c, source))) return 'all';
  if (cidrs.every((c) => c && !cidrContains(source, c))) return 'none';
  return 'some';
}

const describe = (x: Placed) => `${x.rule.what} (${policyLabel(x.group)})`;

/**
 * The posture a policy gives the internet-bound traffic of a source seen as `source` (a CIDR; undefined when
 * not known) to an internet address of `family`, given the posture of its stateful engine (asked only when
 * something is forwarded to it; `head` opens its reason).
 */
export function statelessPosture(
  index: ElementLookup,
  p: FirewallPolicy,
  name: string,
  source: SeenSource | undefined,
  family: 4 | 6,
  stateful: (head: string) => PolicyPosture,
): PolicyPosture {
  const sl = (p.statelessDefault ?? []) as string[];
  const dflt: Action | undefined = sl.includes(NFW_STATELESS.drop)
    ? 'drop'
    : sl.includes(NFW_STATELESS.pass)
      ? 'pass'
      : sl.includes(NFW_STATELESS.forward)
        ? 'forward'
        : undefined;
  const rules = ordered(index, p, name);
  if (typeof rules === 'string') return { cls: 'unknown', reason: rules };
  const src = typeof source === 'string' ? parseCidr(source) : undefined;
  const within = typeof source === 'object' ? source.within.map(parseCidr).filter((c): c is Cidr => c !== undefined) : undefined;
  // A range that cannot be read bounds nothing: judged as a source not known.
  const bounded = within && typeof source === 'object' && within.length === source.within.length ? within : undefined;
  const carves: { x: Placed; action: Action; dest: StatelessReach['dest'] }[] = [];
  let terminal: { action: Action; by?: Placed } | undefined;
  for (const x of rules) {
    const r = x.rule;
    if (r.undecided !== undefined)
      return {
        cls: 'unknown',
        reason: `${name}'s stateless rule ${describe(x)} matches \`${r.undecided}\`, which cannot be decided offline`,
      };
    // What the rule matches of this family's packets (none when it is written for the other family).
    const reach = r[family === 6 ? 'v6' : 'v4'];
    if (reach.dest === 'none') continue;
    const cover = sourceCover(reach, src, bounded);
    if (cover === 'none') continue;
    if (r.action === 'unknown')
      return { cls: 'unknown', reason: `${name}'s stateless rule ${describe(x)} has no standard action Egress Lens knows` };
    if (cover === 'all' && reach.dest === 'any' && r.proto === 'any') {
      terminal = { action: r.action, by: x };
      break;
    }
    carves.push({ x, action: r.action, dest: reach.dest });
  }
  if (!terminal) {
    if (!dflt)
      return { cls: 'unknown', reason: `${name} has no stateless default action Egress Lens knows (${sl.join(', ') || 'none written'})` };
    terminal = { action: dflt };
  }
  const restOf = terminal.by ? `stateless rule ${describe(terminal.by)}` : `stateless default ${NFW_STATELESS[terminal.action]}`;
  // Without slices the rest is everything: the reasons of a policy without stateless rules stay as they were.
  if (carves.length === 0) {
    if (terminal.action === 'drop') return { cls: 'restricted', reason: `${name} drops every packet no stateless rule passes (${restOf})` };
    if (terminal.action === 'pass') return { cls: 'bypass', reason: `${name} forwards everything without stateful inspection (${restOf})` };
    if (!terminal.by) return stateful(`${name} forwards everything to the stateful engine`);
  }
  const forwarded = terminal.action === 'forward' || carves.some((c) => c.action === 'forward');
  const s = forwarded ? stateful('its stateful engine takes what is forwarded') : undefined;
  if (s?.cls === 'unknown') return s;
  let restricts = false;
  let maybeRestricts = false;
  let open = false;
  let unlogged = false;
  const take = (st: PolicyPosture, slice: boolean) => {
    if (st.cls === 'restricted') restricts = true;
    else if (st.cls === 'partial') {
      // Which traffic the stateful rules drop is not weighed against a slice: they may drop none of it.
      if (slice) maybeRestricts = true;
      else restricts = true;
      open = true;
      unlogged = true;
    } else {
      open = true;
      if (st.cls === 'bypass') unlogged = true;
    }
  };
  for (const c of carves) {
    if (c.action === 'drop') restricts = true;
    else if (c.action === 'forward') take(s!, true);
    // A pass to named destinations is an explicit allow; to every destination it opens a protocol or port uninspected.
    else if (c.dest === 'any') {
      open = true;
      unlogged = true;
    }
  }
  if (terminal.action === 'drop') restricts = true;
  else if (terminal.action === 'pass') {
    open = true;
    unlogged = true;
  } else take(s!, false);
  const sentence = (a: Action) =>
    carves
      .filter((c) => c.action === a)
      .map((c) => describe(c.x))
      .join(', ');
  const parts = [
    sentence('drop') && `drops ${sentence('drop')}`,
    sentence('pass') && `passes ${sentence('pass')} uninspected`,
    sentence('forward') && `forwards ${sentence('forward')} to the stateful engine`,
    terminal.action === 'drop'
      ? `drops the rest (${restOf})`
      : terminal.action === 'pass'
        ? `passes the rest uninspected (${restOf})`
        : `forwards the rest to the stateful engine (${restOf})`,
  ].filter(Boolean);
  const reason = `${name}'s stateless engine ${parts.join(', ')}${s ? `; ${s.reason}` : ''}`;
  if (!open) return { cls: 'restricted', reason };
  if (restricts) return { cls: 'partial', reason };
  if (maybeRestricts)
    return { cls: 'unknown', reason: `${reason}; whether the stateful rules drop any of the forwarded slice is not evaluated` };
  return unlogged ? { cls: 'bypass', reason: `${reason}; nothing restricts it` } : { cls: 'permit-all', reason };
}
