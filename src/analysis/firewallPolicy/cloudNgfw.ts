// The policy of a Palo Alto Cloud NGFW for AWS (`cloudngfwaws_ngfw`, an unmodelled endpoint element) whose
// rulestack the inputs hold: its security rules, in Cloud NGFW's order, read as a firewall VM's bootstrap policy
// (BootstrapPolicy), so bootstrap.ts decides its posture and a simulated flow as it does a FortiGate's. Order
// (Cloud NGFW docs, "About Rulestacks and Rules"): a global rulestack's pre-rules, the local rulestack's rules,
// the global post-rules, each list by priority (lowest first); first match wins; then Cloud NGFW's default rules
// (vocabulary/cloudNgfwPolicy.ts `cloudNgfwDefaults`). The rulestack's security profiles apply to every session a
// rule allows. Unknown, naming why: a rulestack name not known offline or not in the inputs, a link to Panorama or
// Strata Cloud Manager, a rule whose rulestack, list or priority is not known, rules a `for_each` makes that are
// not known offline.
import type { BootstrapPolicy, BootstrapRule, NgfwRule, NgfwRulestack, UnmodelledResource, Val } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { localAddress, namesAddress } from '../../model/refs';
import { where } from '../../model/where';
import { CLOUD_NGFW_LANGUAGE, cloudNgfwDefaults } from '../../parse/vocabulary/cloudNgfwPolicy';
import { elementsOfKind } from '../byKind';
import type { ElementLookup } from '../dcf/groups';
import type { EnforcementPoint } from '../types';
import { bootstrapFlow, bootstrapPosture, type BootstrapFlow, type BootstrapFlowDecision, type Span } from './bootstrap';
import { policyLabel, type PolicyPosture } from './posture';

export const CLOUD_NGFW_TYPE = 'cloudngfwaws_ngfw';

const ngfwsOf = new WeakMap<readonly object[], UnmodelledResource[]>();

function cloudNgfws(index: ElementLookup): UnmodelledResource[] {
  let all = ngfwsOf.get(index.model.elements);
  if (!all) {
    all = elementsOfKind(index.model.elements, 'unmodelled').filter((u) => u.resourceType === CLOUD_NGFW_TYPE);
    ngfwsOf.set(index.model.elements, all);
  }
  return all;
}

/** Several Cloud NGFWs an endpoint's service may be: which one's rulestack decides is not known. */
export interface SeveralNgfws {
  several: UnmodelledResource[];
}

/**
 * The Cloud NGFW whose endpoint service a GWLB endpoint enforcing at `ep` uses: an endpoint whose service name is
 * known only after apply from a `cloudngfwaws_ngfw` (its `endpoint_service_name`, possibly through module outputs),
 * named as a whole address (`cloudngfwaws_ngfw.fw` is not `cloudngfwaws_ngfw.fw2`); `several` when more than one
 * may be it (a root `cloudngfwaws_ngfw.this` and a module's). Cheap when the inputs hold no Cloud NGFW.
 */
export function cloudNgfwAt(index: ElementLookup, ep: EnforcementPoint): UnmodelledResource | SeveralNgfws | undefined {
  if (ep.kind !== 'gwlb-firewall') return undefined;
  const all = cloudNgfws(index);
  if (all.length === 0) return undefined;
  const el = index.get(ep.element);
  if (el?.kind !== 'gwlbe' || !isUnresolved(el.service)) return undefined;
  const { text, reason } = el.service;
  const names = (s: string, u: UnmodelledResource): boolean => namesAddress(s, u.id) || namesAddress(s, localAddress(u.id));
  const found = all.filter((u) => names(text, u) || names(reason, u));
  return found.length > 1 ? { several: found } : found[0];
}

const severalWhy = (s: SeveralNgfws): string =>
  `which Cloud NGFW's service this endpoint uses cannot be decided (its service names ${s.several
    .map((u) => `${policyLabel(u)} (${where(u.loc)})`)
    .join(', ')})`;

interface Assembled {
  policy?: BootstrapPolicy;
  /** The local rulestack read, for the reason. */
  stack?: NgfwRulestack;
  unknown?: string;
}

const LIST_RANK: Record<string, number> = { PreRule: 0, LocalRule: 1, PostRule: 2 };

const named = (v: Val<string>): string => (isUnresolved(v) ? `\`${v.text}\`` : `"${v}"`);

/** The rulestack of a name, or why it cannot be read. */
function stackNamed(index: ElementLookup, name: Val<string>, what: string): NgfwRulestack | { unknown: string } {
  if (isUnresolved(name)) return { unknown: `its ${what} ${named(name)} cannot be decided offline (${name.reason})` };
  const stacks = elementsOfKind(index.model.elements, 'ngfwRulestack').filter((s) => s.rulestackName === name);
  if (stacks.length === 0) return { unknown: `its ${what} "${name}" is not in the inputs` };
  if (stacks.length > 1)
    return {
      unknown: `several rulestacks of the inputs are named "${name}" (${stacks.map((s) => where(s.loc)).join(', ')}): which one it enforces is not known`,
    };
  return stacks[0];
}

/** The rules of a rulestack in evaluation order, its profiles applied to what they allow; or why they cannot be read. */
function rulesOf(index: ElementLookup, stack: NgfwRulestack, lists: readonly string[]): BootstrapRule[] | { unknown: string } {
  const name = stack.rulestackName as string;
  const rules: NgfwRule[] = [];
  for (const r of elementsOfKind(index.model.elements, 'ngfwRule')) {
    // A rule whose rulestack is not written is in none.
    if (r.rulestack === undefined) continue;
    if (isUnresolved(r.rulestack)) {
      // A rule whose rulestack is not known may be one of this rulestack's.
      return {
        unknown: `the rulestack of ${policyLabel(r)} (${where(r.loc)}) cannot be decided offline (${r.rulestack.reason}): it may be one of "${name}"'s`,
      };
    }
    if (r.rulestack !== name) continue;
    if (r.undecided)
      return {
        unknown: `which rules ${policyLabel(r)} (${where(r.loc)}) makes cannot be decided offline (\`${r.undecided.text}\`: ${r.undecided.reason})`,
      };
    if (isUnresolved(r.ruleList))
      return { unknown: `the rule list of ${r.rule.name} (${where(r.loc)}) cannot be decided offline (${r.ruleList.reason})` };
    if (!lists.includes(r.ruleList)) continue;
    rules.push(r);
  }
  if (rules.length > 1) {
    const odd = rules.find((r) => isUnresolved(r.priority));
    if (odd && isUnresolved(odd.priority))
      return {
        unknown: `the priority of ${odd.rule.name} (${where(odd.loc)}) cannot be decided offline (${odd.priority.reason}): the rules' order is not known`,
      };
  }
  rules.sort(
    (a, b) => LIST_RANK[a.ruleList as string] - LIST_RANK[b.ruleList as string] || (a.priority as number) - (b.priority as number),
  );
  return rules.map((r) => (r.rule.action === 'accept' ? { ...r.rule, profiles: stack.profiles } : r.rule));
}

const assembled = new WeakMap<readonly object[], Map<string, Assembled>>();

/** The policy a Cloud NGFW enforces, in Cloud NGFW's order, with its default rules last; or why it cannot be read. */
function assemble(index: ElementLookup, ngfw: UnmodelledResource): Assembled {
  let m = assembled.get(index.model.elements);
  if (!m) assembled.set(index.model.elements, (m = new Map()));
  const hit = m.get(ngfw.id);
  if (hit) return hit;
  const out = assembleUncached(index, ngfw);
  m.set(ngfw.id, out);
  return out;
}

function assembleUncached(index: ElementLookup, ngfw: UnmodelledResource): Assembled {
  const ref = ngfw.cloudNgfw;
  if (!ref) return { unknown: 'its rulestack is not written' };
  if (ref.linkId !== undefined)
    return { unknown: `it is linked to Panorama or Strata Cloud Manager (link_id ${named(ref.linkId)}), whose policy it may enforce` };
  const stack = stackNamed(index, ref.rulestack, 'rulestack');
  if ('unknown' in stack) return { unknown: stack.unknown };
  const local = rulesOf(index, stack, ['PreRule', 'LocalRule', 'PostRule']);
  if ('unknown' in local) return { stack, unknown: local.unknown };
  let rules = local;
  if (ref.globalRulestack !== undefined) {
    const global = stackNamed(index, ref.globalRulestack, 'global rulestack');
    if ('unknown' in global) return { stack, unknown: global.unknown };
    const pre = rulesOf(index, global, ['PreRule']);
    const post = rulesOf(index, global, ['PostRule']);
    if ('unknown' in pre) return { stack, unknown: pre.unknown };
    if ('unknown' in post) return { stack, unknown: post.unknown };
    rules = [...pre, ...local, ...post];
  }
  return {
    stack,
    policy: {
      language: CLOUD_NGFW_LANGUAGE,
      tables: [
        { name: `rulestack "${stack.rulestackName as string}"`, loc: stack.loc, rules: [...rules, ...cloudNgfwDefaults(stack.loc)] },
      ],
    },
  };
}

const prefix = (ngfw: UnmodelledResource, a: Assembled): string =>
  `Palo Alto Cloud NGFW ${policyLabel(ngfw)}${a.stack ? `'s rulestack "${a.stack.rulestackName as string}" (${where(a.stack.loc)})` : ''}`;

/**
 * The posture a Cloud NGFW's rulestack gives egress of one address family from a source it sees as `source` (the
 * rules and Cloud NGFW's default rules may name sources).
 */
export function cloudNgfwPosture(
  index: ElementLookup,
  ngfw: UnmodelledResource | SeveralNgfws,
  family: 4 | 6,
  source?: Span,
): PolicyPosture {
  if ('several' in ngfw) return { cls: 'unknown', reason: `Palo Alto Cloud NGFW: ${severalWhy(ngfw)}` };
  const a = assemble(index, ngfw);
  if (!a.policy) return { cls: 'unknown', reason: `${prefix(ngfw, a)}: ${a.unknown ?? 'its policy cannot be read'}` };
  const p = bootstrapPosture(a.policy, CLOUD_NGFW_LANGUAGE, family, source);
  return { cls: p.cls, reason: `${prefix(ngfw, a)}: ${p.reason}` };
}

/** What a Cloud NGFW's rulestack does with one flow. */
export function cloudNgfwFlow(index: ElementLookup, ngfw: UnmodelledResource | SeveralNgfws, flow: BootstrapFlow): BootstrapFlowDecision {
  if ('several' in ngfw) return { decision: 'unknown', reason: `Palo Alto Cloud NGFW: ${severalWhy(ngfw)}` };
  const a = assemble(index, ngfw);
  if (!a.policy) return { decision: 'unknown', reason: `${prefix(ngfw, a)}: ${a.unknown ?? 'its policy cannot be read'}` };
  const d = bootstrapFlow(a.policy, CLOUD_NGFW_LANGUAGE, flow);
  return { ...d, reason: `${prefix(ngfw, a)}: ${d.reason}` };
}
