// The egress posture a firewall VM's own policy gives the traffic it inspects, when its bootstrap writes that
// policy (model BootstrapPolicy, read from FortiOS `config firewall policy`; docs/states.md):
// - rules are taken in order, first match wins, and an implicit deny follows the last;
// - an enabled accept from all to all, service ALL, with no security profile is a permit-all: logged
//   (`logtraffic all`) it is permit-all (Monitored), unlogged it forwards everything unwatched (bypass); after
//   denies of some traffic it is partial;
// - denies and accepts restricted to some destinations or services, or inspected by security profiles, end in
//   the implicit (or an explicit) deny: restricted (Protected);
// - anything that decides and is not known (a template value, an address object the bootstrap does not
//   define, a broad accept from some sources only) is unknown with that reason, never a guess.
// Rules joining different interfaces see different traffic and which pair carries the egress is not read
// here: each pair is judged with the rules that apply to it (`any` applies to all), and pairs that disagree
// leave the posture unknown.
import type { BootstrapMatch, BootstrapPolicy, BootstrapRule, NetworkElement } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { where } from '../../model/where';
import type { ElementLookup } from '../dcf/groups';
import type { EnforcementPoint } from '../types';
import { policyLabel, type PolicyPosture } from './posture';

const isUnknown = (v: unknown): v is { unknown: string } => typeof v === 'object' && v !== null && 'unknown' in v;

function unknownOf(r: BootstrapRule, field: string, v: { unknown: string }): PolicyPosture {
  return { cls: 'unknown', reason: `its ${field} in ${r.name} (${where(r.loc)}) is not known: ${v.unknown}` };
}

/** all / some / unknown of three matches together: `some` as soon as one is some. */
function matchAll(r: BootstrapRule): 'all' | 'some' | { field: string; v: { unknown: string } } {
  const fields: [string, BootstrapMatch][] = [
    ['destination', r.dst],
    ['service', r.service],
    ['source', r.src],
  ];
  if (fields.some(([, m]) => m === 'some')) return 'some';
  const u = fields.find(([, m]) => isUnknown(m));
  return u ? { field: u[0], v: u[1] as { unknown: string } } : 'all';
}

function rulesPosture(rules: BootstrapRule[], vendor: string): PolicyPosture {
  let denies: BootstrapRule | undefined;
  let allows: BootstrapRule | undefined;
  for (const r of rules) {
    if (isUnknown(r.enabled)) return unknownOf(r, 'status', r.enabled);
    if (!r.enabled) continue;
    if (isUnknown(r.action)) return unknownOf(r, 'action', r.action);
    const m = matchAll(r);
    if (r.action === 'deny') {
      if (m === 'all') break;
      if (m !== 'some') return unknownOf(r, m.field, m.v);
      denies ??= r;
      continue;
    }
    if (isUnknown(r.profiles)) return unknownOf(r, 'security profiles', r.profiles);
    if (r.profiles.length > 0 || m === 'some') {
      allows ??= r;
      continue;
    }
    if (m !== 'all') {
      // Everything out, but from which sources is not told: the egress may or may not be one of them.
      if (m.field === 'source')
        return {
          cls: 'unknown',
          reason: `${vendor} ${r.name} (${where(r.loc)}) accepts everything to all destinations from some sources (${m.v.unknown}): whether this egress is among them is not known`,
        };
      return unknownOf(r, m.field, m.v);
    }
    if (isUnknown(r.logsAll)) return unknownOf(r, 'logging', r.logsAll);
    const what = `${vendor} ${r.name} (${where(r.loc)}) accepts all to all, service ALL, with no security profile`;
    if (denies) return { cls: 'partial', reason: `${what}, after ${denies.name} denies some traffic` };
    return r.logsAll
      ? { cls: 'permit-all', reason: `${what} and logs all traffic: a logged permit-all` }
      : { cls: 'bypass', reason: `${what} and does not log the traffic it accepts (logtraffic is not all): everything passes unwatched` };
  }
  const profiles = allows && !isUnknown(allows.profiles) ? allows.profiles : [];
  const held = allows
    ? `${vendor} ${allows.name} (${where(allows.loc)}) accepts only ${profiles.length ? `under security profiles (${profiles.join(', ')})` : 'some destinations or services'}`
    : denies
      ? `${vendor} ${denies.name} (${where(denies.loc)}) denies`
      : `${vendor}'s policy accepts nothing`;
  return { cls: 'restricted', reason: `${held}; the rest is denied` };
}

/** The posture of a firewall VM's bootstrap policy (one table per VDOM; tables that disagree: unknown). */
export function bootstrapPosture(policy: BootstrapPolicy, vendor: string): PolicyPosture {
  const results: PolicyPosture[] = [];
  for (const t of policy.tables) {
    if (t.unknown)
      return { cls: 'unknown', reason: `${vendor}'s bootstrap policy (${t.name}, ${where(t.loc)}) cannot be read whole: ${t.unknown}` };
    const pairs = [...new Set(t.rules.map((r) => r.interfaces).filter((p) => p !== 'any>any'))];
    const applies = (pair: string, r: BootstrapRule): boolean => {
      if (r.interfaces === pair) return true;
      const [s, d] = r.interfaces.split('>');
      const [ps, pd] = pair.split('>');
      return (s === 'any' || s === ps) && (d === 'any' || d === pd);
    };
    const groups = pairs.length ? pairs.map((p) => t.rules.filter((r) => applies(p, r))) : [t.rules];
    for (const g of groups) results.push(rulesPosture(g, vendor));
  }
  const unknown = results.find((r) => r.cls === 'unknown');
  if (unknown) return unknown;
  if (results.length === 0) return { cls: 'unknown', reason: `${vendor}'s bootstrap writes no policy table` };
  const first = results[0];
  const other = results.find((r) => r.cls !== first.cls);
  if (other)
    return {
      cls: 'unknown',
      reason: `${vendor}'s bootstrap policy decides differently by VDOM or interface pair (${first.reason}; ${other.reason}): which one carries this egress is not read here`,
    };
  return first;
}

// One posture per firewall VM and element list: every path through it asks the same question.
const memo = new WeakMap<readonly NetworkElement[], Map<string, PolicyPosture>>();

function vmPosture(index: ElementLookup, vm: NetworkElement, policy: BootstrapPolicy): PolicyPosture {
  let m = memo.get(index.model.elements);
  if (!m) memo.set(index.model.elements, (m = new Map()));
  const hit = m.get(vm.id);
  if (hit) return hit;
  const p = bootstrapPosture(policy, policy.language);
  const out = { cls: p.cls, reason: `${policyLabel(vm)}'s bootstrap: ${p.reason}` };
  m.set(vm.id, out);
  return out;
}

/**
 * The posture the firewall VMs enforcing at `ep` give by their bootstrap policy: the appliance itself, or every
 * target of a GWLB target group (a flow may land on any of them). Undefined when none of them writes its policy
 * (the policy is then not in the inputs); unknown when only some do, or when they disagree.
 */
export function appliancePosture(index: ElementLookup, ep: EnforcementPoint): PolicyPosture | undefined {
  if (ep.kind !== 'appliance' && ep.kind !== 'gwlb-firewall') return undefined;
  const el = index.get(ep.element);
  if (!el) return undefined;
  // A target registered by its interface (an IP target) is the instance that interface is attached to.
  const vmOf = (t: NetworkElement): NetworkElement =>
    t.kind === 'eni' && typeof t.instance === 'string' ? (index.get(t.instance) ?? t) : t;
  const vms: (NetworkElement | string)[] =
    el.kind === 'targetGroup'
      ? el.targets.map((t) => {
          const v = isUnresolved(t) ? undefined : index.get(t);
          return v ? vmOf(v) : isUnresolved(t) ? t.text : t;
        })
      : el.kind === 'instance' || el.kind === 'firewall'
        ? [el]
        : [];
  const policyOf = (v: NetworkElement | string): BootstrapPolicy | undefined =>
    typeof v !== 'string' && (v.kind === 'instance' || v.kind === 'firewall') ? v.ngfw?.policy : undefined;
  const written = vms.filter((v): v is NetworkElement => policyOf(v) !== undefined);
  if (written.length === 0) return undefined;
  const name = (v: NetworkElement | string): string => (typeof v === 'string' ? v : policyLabel(v));
  const silent = vms.find((v) => policyOf(v) === undefined);
  if (silent)
    return {
      cls: 'unknown',
      reason: `${name(written[0])}'s bootstrap writes its firewall policy but ${name(silent)}'s policy is not in the inputs, and a flow may land on either`,
    };
  const postures = written.map((v) => vmPosture(index, v, policyOf(v) as BootstrapPolicy));
  const other = postures.find((p) => p.cls !== postures[0].cls);
  if (other)
    return { cls: 'unknown', reason: `firewall VMs behind one load balancer decide differently (${postures[0].reason}; ${other.reason})` };
  return postures[0];
}
