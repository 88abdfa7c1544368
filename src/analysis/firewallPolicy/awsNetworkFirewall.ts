// AWS Network Firewall policy -> egress posture. The stateless engine sees each packet first: its rules and
// default action pass, drop or forward it to the stateful engine (awsStateless.ts). The stateful engine evaluates rule groups in
// default action order (pass, then drop, then alert; anything unmatched passes) or in strict order (rules
// by priority, then the stateful default actions: aws:drop_strict / aws:drop_established drop what no
// rule passed). A domain ALLOWLIST passes its domains and drops other HTTP/TLS only; other protocols pass.
import type { Firewall, FirewallPolicy, FirewallRule, FirewallRuleGroup } from '../../model/types';
import { isUnresolved } from '../../model/types';
import type { ElementLookup } from '../dcf/groups';
import type { EnforcementPoint } from '../types';
import { NFW_DEFAULT_ALERTS, NFW_DEFAULT_DROPS, NFW_STRICT_ORDER, isAwsManagedRuleGroup } from '../../parse/vocabulary/firewallRules';
import { count, policyLabel, ruleGroupOf, type PolicyPosture } from './posture';
import { statelessPosture } from './awsStateless';
import { elementsOfKind } from '../byKind';
import { postureForSource, sourceCover, sourceText, type SeenSource } from './ruleSources';
import { expandRule, type HomeNet, type VariableScope } from './homeNet';

// Whether a policy's stateful rules name sources, per element list and policy: asked once per traced path.
const sourced = new WeakMap<readonly unknown[], Map<string, boolean>>();

/** Whether some stateful rule of a policy names its sources (then its posture is per source). */
export function statefulRulesNameSources(index: ElementLookup, p: FirewallPolicy): boolean {
  let m = sourced.get(index.model.elements);
  if (!m) {
    m = new Map();
    sourced.set(index.model.elements, m);
  }
  let hit = m.get(p.id);
  if (hit === undefined) {
    hit = (p.statefulGroups ?? []).some((ref) => {
      const g = ruleGroupOf(index, ref);
      return !('missing' in g) && !isUnresolved(g.rules) && g.rules.some((r) => r.sources !== undefined);
    });
    m.set(p.id, hit);
  }
  return hit;
}

/**
 * The posture of an AWS Network Firewall for the traffic of a source it sees as `source` (a CIDR, or a range
 * it lies in), when known, from `sourceVpc` (the VPC those addresses belong to: whether they are in HOME_NET
 * by default).
 */
/**
 * Whether a Network Firewall's policy sends no packet to its stateful engine (stateless rules and stateless default
 * only): it keeps no flow state, so each AZ's endpoint handles a packet alike whichever leg it belongs to. False
 * when the policy is not in the inputs or that cannot be decided.
 */
export function nfwKeepsNoState(index: ElementLookup, fw: Firewall): boolean {
  const p = fw.policy === undefined || isUnresolved(fw.policy) ? undefined : index.get(fw.policy);
  if (p?.kind !== 'firewallPolicy' || (p.statelessDefault ?? []).some(isUnresolved)) return false;
  let stateful = false;
  // Either family's packets sent to the stateful engine make it keep state.
  const postures = ([4, 6] as const).map((family) =>
    statelessPosture(index, p, '', undefined, family, () => {
      stateful = true;
      return { cls: 'unknown', reason: '' };
    }),
  );
  return !stateful && postures.every((x) => x.cls !== 'unknown');
}

/** Every enforcement point is one AWS Network Firewall (any of its endpoints) whose policy keeps no flow state. */
export function oneStatelessNetworkFirewall(index: ElementLookup, points: readonly EnforcementPoint[]): boolean {
  const first = points[0];
  if (!first || points.some((p) => p.kind !== 'network-firewall' || p.element !== first.element)) return false;
  const fw = index.get(first.element);
  return fw?.kind === 'firewall' && nfwKeepsNoState(index, fw);
}

export function awsNetworkFirewallPosture(
  index: ElementLookup,
  fw: Firewall,
  source?: SeenSource,
  sourceVpc?: string,
  family: 4 | 6 = 4,
): PolicyPosture {
  const ref = fw.policy;
  if (ref === undefined) return { cls: 'unknown', reason: `its firewall policy is not written` };
  const p = isUnresolved(ref) ? undefined : index.get(ref);
  if (p?.kind !== 'firewallPolicy')
    return {
      cls: 'unknown',
      reason: `its firewall policy ${isUnresolved(ref) ? `\`${ref.text}\` (${ref.reason})` : ref} is not in the inputs`,
    };
  const name = `policy ${policyLabel(p)}`;
  const undecided = (p.statelessDefault ?? []).find(isUnresolved);
  if (undecided) return { cls: 'unknown', reason: `${name}'s stateless default action \`${undecided.text}\` cannot be decided offline` };
  return alertsDelivered(
    index,
    fw,
    statelessPosture(index, p, name, source, family, (head) =>
      statefulPosture({ index, fw, policy: p, source, sourceVpc, family }, name, head),
    ),
  );
}

/**
 * A permit-all is monitoring only while its alerts reach a log: a logging configuration of the firewall in
 * the inputs without an ALERT destination sends them nowhere (Unprotected). None in the inputs: said, the
 * state kept (the configuration may live in another stack).
 */
function alertsDelivered(index: ElementLookup, fw: Firewall, posture: PolicyPosture): PolicyPosture {
  if (posture.cls !== 'permit-all') return posture;
  const logs = elementsOfKind(index.model.elements, 'firewallLogging').filter((l) => l.firewall === fw.id);
  if (logs.length === 0)
    return {
      ...posture,
      reason: `${posture.reason} (no logging configuration in the inputs names the firewall: where its alerts go is not checked)`,
    };
  const types = logs.flatMap((l) => l.logTypes);
  const at = logs.map(policyLabel).join(', ');
  const undecided = types.find(isUnresolved);
  if (undecided)
    return {
      cls: 'unknown',
      reason: `${posture.reason}, but whether ${at} delivers ALERT logs cannot be decided offline (\`${undecided.text}\`)`,
    };
  if (types.includes('ALERT')) return { ...posture, reason: `${posture.reason}; ${at} delivers the ALERT logs` };
  return {
    cls: 'bypass',
    reason: `${posture.reason}, but ${at} delivers no ALERT logs (${types.join(', ') || 'no destination'}): the alerts go nowhere`,
  };
}

function statefulPosture(scope: VariableScope, name: string, head: string): PolicyPosture {
  const { index, policy: p, source } = scope;
  const order = p.ruleOrder;
  if (isUnresolved(order)) return { cls: 'unknown', reason: `${name}'s rule order \`${order.text}\` cannot be decided offline` };
  const strict = order === NFW_STRICT_ORDER;
  const defaults = p.statefulDefault ?? [];
  const undecidedDefault = defaults.find(isUnresolved);
  if (undecidedDefault)
    return { cls: 'unknown', reason: `${name}'s stateful default action \`${undecidedDefault.text}\` cannot be decided offline` };
  // Stateful default actions apply in strict order only.
  const defaultDrop = strict ? (defaults as string[]).find((d) => NFW_DEFAULT_DROPS.has(d)) : undefined;
  const defaultAlert = strict ? (defaults as string[]).find((d) => NFW_DEFAULT_ALERTS.has(d)) : undefined;
  const rules: FirewallRule[] = [];
  const groups: FirewallRuleGroup[] = [];
  // Rules written from HOME_NET, with HOME_NET as their group sees it (the reason says when it leaves the source out).
  const homeRules: { rule: FirewallRule; home: HomeNet }[] = [];
  let managed = 0;
  // Strict order evaluates the groups by priority, lowest first, and each group's rules as written: with every
  // priority known the rules below are in evaluation order.
  const refs = p.statefulGroups ?? [];
  const prios = p.statefulPriorities ?? [];
  const known = prios.filter((x): x is number => typeof x === 'number');
  const ordered = strict && known.length === refs.length && prios.length === refs.length;
  const overrides = p.statefulOverrides ?? [];
  const byPriority = ordered
    ? refs.map((ref, i) => ({ ref, at: known[i], i })).sort((a, b) => a.at - b.at || a.i - b.i)
    : refs.map((ref, i) => ({ ref, at: 0, i }));
  for (const { ref, i: at } of byPriority) {
    const override = overrides[at];
    if (typeof ref === 'string' && isAwsManagedRuleGroup(ref)) {
      // AWS managed groups drop or alert on known threats and never pass everything; which one is not in the inputs,
      // unless the reference's override DROP_TO_ALERT (which AWS applies to managed groups only) makes them alert.
      managed++;
      const what = `AWS managed rule group ${ref.replace(/^.*\//, '')}`;
      rules.push(
        override === 'DROP_TO_ALERT'
          ? { action: 'alert', dest: 'some', proto: 'some', what: `${what} (alert only: override DROP_TO_ALERT)` }
          : { action: 'unknown', dest: 'some', proto: 'some', what },
      );
      continue;
    }
    const g = ruleGroupOf(index, ref);
    if ('missing' in g) return { cls: 'unknown', reason: `${name} references rule group ${g.missing}, which is not in the inputs` };
    if (isUnresolved(g.rules))
      return { cls: 'unknown', reason: `the rules of ${policyLabel(g)} cannot be read offline: \`${g.rules.text}\` (${g.rules.reason})` };
    groups.push(g);
    for (const r of g.rules) {
      // Rule variables ($HOME_NET, the group's IP sets) become the addresses they stand for on this firewall.
      // An override on a group of one's own changes nothing: AWS applies DROP_TO_ALERT to managed groups only.
      const x = expandRule(scope, g, r);
      rules.push(x.rule);
      if (x.home) homeRules.push({ rule: x.rule, home: x.home });
    }
  }
  // Suricata and 5-tuple rules may name sources: each applies only to traffic from them (ruleSources.ts).
  const posture = postureForSource(rules, source, name, (applying) =>
    judgeEitherWay(applying, (rs) => judgeStateful(rs, groups, managed, { head, strict, ordered, defaultDrop, defaultAlert }), head),
  );
  return posture.cls === 'unknown' ? posture : { ...posture, reason: posture.reason + homeNetSaid(homeRules, source) };
}

/**
 * What HOME_NET decided for this source: why rules written from it did not apply (the source lies outside
 * it), and, for a source known only to lie in a range, that the whole range lies inside it (said once per HOME_NET).
 */
function homeNetSaid(homeRules: { rule: FirewallRule; home: HomeNet }[], source: SeenSource | undefined): string {
  const byHome = new Map<string, string[]>();
  const inside = new Set<string>();
  for (const { rule, home } of homeRules) {
    const c = sourceCover(rule, source);
    if (c === 'all' && typeof source === 'object' && home.cidrs !== 'source') inside.add(home.text);
    if (c !== 'none') continue;
    const list = byHome.get(home.text) ?? [];
    if (!list.includes(rule.what.replace(/: other HTTP\/TLS dropped$/, ''))) list.push(rule.what.replace(/: other HTTP\/TLS dropped$/, ''));
    byHome.set(home.text, list);
  }
  return [...byHome]
    .map(([home, whats]) => {
      const shown = whats.slice(0, 2).join(', ') + (whats.length > 2 ? ` and ${whats.length - 2} more` : '');
      return `; HOME_NET is ${home}, which does not hold ${source === undefined ? 'the source' : sourceText(source)}: ${shown} ${whats.length === 1 ? 'does' : 'do'} not match its traffic`;
    })
    .concat([...inside].map((home) => `; HOME_NET is ${home}, which holds all of ${sourceText(source!)}`))
    .join('');
}

/**
 * Rules whose destination sets are not known offline (review s16 R4) judged both ways: as some destinations and as
 * every address. The same class either way stands; else the posture is Unknown, naming the set.
 */
function judgeEitherWay(rules: FirewallRule[], judge: (rules: FirewallRule[]) => PolicyPosture, head: string): PolicyPosture {
  const undecided = rules.find((r) => r.undecidedDest !== undefined);
  if (!undecided) return judge(rules);
  const read = (wide: boolean) =>
    rules.map((r): FirewallRule => {
      if (r.undecidedDest === undefined) return r;
      const { undecidedDest: _u, anyAddress: _a, dest: _d, ...rest } = r;
      if (!wide) return { ...rest, dest: 'some' };
      return r.variableDest?.ports === 'any' ? { ...rest, dest: 'any' } : { ...rest, dest: 'some', anyAddress: true };
    });
  const narrow = judge(read(false));
  const wide = judge(read(true));
  if (narrow.cls === wide.cls) return narrow;
  return {
    cls: 'unknown',
    reason: `${head}; whether ${undecided.what} passes or drops toward every address is not known offline: ${undecided.undecidedDest}`,
  };
}

/** The posture the stateful rules that apply to one source give it. */
function judgeStateful(
  rules: FirewallRule[],
  groups: FirewallRuleGroup[],
  managed: number,
  c: { head: string; strict: boolean; ordered: boolean; defaultDrop: string | undefined; defaultAlert: string | undefined },
): PolicyPosture {
  const { head, strict, ordered, defaultDrop, defaultAlert } = c;
  const passAll = rules.find((r) => r.action === 'pass' && r.dest === 'any' && r.proto === 'any');
  const dropAll = rules.find((r) => r.action === 'drop' && r.dest === 'any' && r.proto === 'any');
  const allowLists = groups.filter((g) =>
    (g.rules as FirewallRule[]).some((r) => r.action === 'pass' && r.what.startsWith('ALLOWLIST')),
  ).length;
  const passes = count(rules, 'pass');
  const what = [
    groups.length + managed > 0
      ? `${groups.length + managed} stateful rule group${groups.length + managed === 1 ? '' : 's'}`
      : 'no stateful rule group',
    allowLists ? `${allowLists} domain allow-list${allowLists === 1 ? '' : 's'}` : '',
    passes - allowLists > 0 ? `${passes - allowLists} pass rule${passes - allowLists === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  // A rule that passes everything makes the rest moot in default action order; in strict order it depends on where it stands.
  if (passAll && strict && ordered) return strictPassAll(head, rules, passAll);
  if (passAll)
    return strict
      ? { cls: 'unknown', reason: `${head}; a rule passes all traffic (${passAll.what}) and its place in strict order is not evaluated` }
      : // In action order every pass rule applies before any alert rule, and a passed flow is not inspected further:
        // behind a pass-all no alert rule ever sees a packet (review s18 R2).
        permitAll(`${head}; a rule passes all traffic (${passAll.what})${silenced(rules)}`, [], defaultAlert);
  // A pass to every destination address on some protocols or ports (HTTP/TLS, TCP 443) opens those to the whole
  // internet: the drop holds back only the rest (as Azure Firewall's rules to any destination). In strict order a
  // drop of everything before it leaves it nothing.
  const open = rules.find(
    (r, i) =>
      r.action === 'pass' && (r.dest === 'any' || r.anyAddress === true) && !(dropAll && strict && ordered && rules.indexOf(dropAll) < i),
  );
  const opened = open
    ? open.variableDest?.negate && open.dest !== 'any'
      ? `, but ${open.what} passes ${open.proto === 'web' ? 'HTTP/TLS ' : open.proto === 'any' && open.variableDest.ports === 'any' ? '' : 'some protocols or ports '}to every internet destination but those it excludes: the rest is held back`
      : `, but ${open.what} passes ${open.proto === 'web' ? 'HTTP/TLS' : 'some protocols or ports'} to any destination: the rest is held back`
    : '';
  if (defaultDrop) return { cls: open ? 'partial' : 'restricted', reason: `${head} with default drop (${defaultDrop})${opened}, ${what}` };
  if (dropAll)
    return {
      cls: open ? 'partial' : 'restricted',
      reason: `${head}; a rule drops everything no rule passes (${dropAll.what})${opened}, ${what}`,
    };
  const someDrop = rules.find((r) => r.action === 'drop');
  if (someDrop) {
    const web = rules.find((r) => r.action === 'drop' && r.dest === 'any' && r.proto === 'web');
    return {
      cls: 'partial',
      reason: web
        ? `${head}; ${web.what}, other protocols pass (no default drop), ${what}`
        : `${head}; it drops what ${dropsNamed(rules)} and passes the rest (no default drop), ${what}`,
    };
  }
  if (rules.some((r) => r.action === 'unknown'))
    return {
      cls: 'unknown',
      reason: `${head} without default drop; whether ${rules.find((r) => r.action === 'unknown')!.what} drops or only alerts is not in the inputs`,
    };
  return permitAll(`${head} and passes everything (no drop rule, no default drop), ${what}`, rules, defaultAlert);
}

/**
 * Strict order with every group's priority known: a pass-all ends evaluation for whatever reaches it, so only the
 * rules before it decide (alerts there log and go on; a drop there takes what it matches; the default actions and
 * every later rule never see the traffic).
 */
function strictPassAll(head: string, rules: FirewallRule[], passAll: FirewallRule): PolicyPosture {
  const before = rules.slice(0, rules.indexOf(passAll));
  const later = rules.length - before.length - 1;
  const at = `${passAll.what} passes all traffic that reaches it in strict order${later > 0 ? ` (the ${later} rule${later === 1 ? '' : 's'} after it never see${later === 1 ? 's' : ''} that traffic)` : ''}`;
  const unsure = before.find((r) => r.action === 'unknown');
  if (unsure)
    return { cls: 'unknown', reason: `${head}; ${at}, and whether ${unsure.what} before it drops or only alerts is not in the inputs` };
  if (before.some((r) => r.action === 'drop'))
    return { cls: 'partial', reason: `${head}; before it ${dropsNamed(before)} and is dropped, the rest passes: ${at}` };
  return permitAll(`${head}; ${at}, and nothing before it drops`, before, undefined);
}

/** What the drop rules are, for a reason: named when one or two (`DENYLIST of 2 domains matches`), else counted. */
function dropsNamed(rules: FirewallRule[]): string {
  const drops = rules.filter((r) => r.action === 'drop');
  if (drops.length === 1) return `${drops[0].what} matches`;
  if (drops.length === 2) return `${drops[0].what} and ${drops[1].what} match`;
  return `${drops.length} rules match`;
}

/** Everything passes: watched when alert rules or an alert default action log it. */
/** The alert rules a pass-all matched first in action order keeps from seeing the traffic, for reasons. */
function silenced(rules: FirewallRule[]): string {
  const n = count(rules, 'alert');
  return n === 0
    ? ''
    : `, and in action order it applies before ${n === 1 ? 'the alert rule, which never sees' : `the ${n} alert rules, which never see`} a packet`;
}

function permitAll(reason: string, rules: FirewallRule[], defaultAlert: string | undefined): PolicyPosture {
  const alerts = count(rules, 'alert');
  if (alerts > 0 || defaultAlert)
    return {
      cls: 'permit-all',
      reason: `${reason}; ${alerts > 0 ? `${alerts} alert rule${alerts === 1 ? '' : 's'} log${alerts === 1 ? 's' : ''} it` : `${defaultAlert} logs it`}`,
    };
  return { cls: 'bypass', reason: `${reason}; nothing alerts on it` };
}
