// Palo Alto Cloud NGFW for AWS (provider `cloudngfwaws`) -> model elements: a rulestack (`cloudngfwaws_rulestack`,
// its name and security profiles) and its security rules (`cloudngfwaws_security_rule`, read through
// vocabulary/cloudNgfwPolicy.ts). The NGFW itself (`cloudngfwaws_ngfw`) stays an `unmodelled` endpoint element
// (mapUnmodelled.ts) that carries the rulestack it enforces (`ngfwPolicyRef`); analysis joins them by name
// (analysis/firewallPolicy/cloudNgfw.ts). A `cloudngfwaws_commit_rulestack` passes the rulestack's name on (the NGFW's
// `rulestack` is usually the commit's, as the provider documents): evaluation follows it, no element is needed.
import type { CloudNgfwPolicyRef, NgfwRule, NgfwRulestack, Val } from '../../model/types';
import { unresolved } from '../../model/types';
import { cloudNgfwProfiles, cloudNgfwRule, type NgfwList, type NgfwSide } from '../vocabulary/cloudNgfwPolicy';
import type { BlockView } from './emit';
import { RefVal, Unknown, asBool, asNumber, asString, type Value } from './values';
import type { Mapper } from './mapAws';

type Known<T> = T | { unknown: string };

/** Why a value is not known offline, in the words of a reason. */
function why(v: Value, b: BlockView, name: string): string {
  if (v instanceof Unknown) return `\`${v.text || b.text(name)}\` (${v.reason})`;
  if (v instanceof RefVal) return `\`${b.text(name)}\` (known only after apply)`;
  return `\`${b.text(name)}\` is not a single value`;
}

/** A string argument: undefined when not written (or null), else its value or why it is not known. */
function str(b: BlockView, name: string): Known<string> | undefined {
  const v = b.value(name);
  if (v === undefined || v === null) return undefined;
  const s = asString(v);
  return s !== undefined ? s : { unknown: why(v, b, name) };
}

function bool(b: BlockView, name: string): Known<boolean> | undefined {
  const v = b.value(name);
  if (v === undefined || v === null) return undefined;
  const x = asBool(v);
  return x !== undefined ? x : { unknown: why(v, b, name) };
}

/** A list (or set) of strings: undefined when not written, else its items or why they are not known. */
function list(b: BlockView | undefined, name: string): NgfwList | undefined {
  const v = b?.value(name);
  if (!b || v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return { unknown: why(v, b, name) };
  const out: string[] = [];
  for (const x of v) {
    const s = asString(x);
    if (s === undefined) return { unknown: why(x, b, name) };
    out.push(s);
  }
  return out;
}

/** A string as the model keeps it: the value, or Unresolved naming why. */
function val(b: BlockView, name: string, dflt?: string): Val<string> {
  const s = str(b, name);
  if (s === undefined) return dflt ?? unresolved(b.text(name), `${name} is not written`);
  return typeof s === 'string' ? s : unresolved(b.text(name), s.unknown);
}

/** One `source` / `destination` block; undefined when the rule has none, or a dynamic one not known offline. */
function side(b: BlockView, type: 'source' | 'destination'): NgfwSide | undefined {
  const undecided = b.undecidedBlocks(type)[0];
  if (undecided) return { cidrs: { unknown: undecided.why.reason } };
  const s = b.first(type);
  if (!s) return undefined;
  const out: NgfwSide = {};
  const set = <K extends keyof NgfwSide>(k: K, attr: string): void => {
    const l = list(s, attr);
    if (l !== undefined) out[k] = l;
  };
  set('cidrs', 'cidrs');
  set('countries', 'countries');
  set('feeds', 'feeds');
  set('prefixLists', 'prefix_lists');
  if (type === 'destination') set('fqdnLists', 'fqdn_lists');
  return out;
}

const rulestack: Mapper = (r) => {
  const p = r.first('profile_config');
  const profiles = cloudNgfwProfiles(
    p
      ? {
          antiSpyware: str(p, 'anti_spyware'),
          antiVirus: str(p, 'anti_virus'),
          vulnerability: str(p, 'vulnerability'),
          fileBlocking: str(p, 'file_blocking'),
          urlFiltering: str(p, 'url_filtering'),
        }
      : {},
  );
  const el: NgfwRulestack = {
    ...r.base('ngfwRulestack', 'aws', r.literal('name')),
    rulestackName: val(r, 'name'),
    scope: val(r, 'scope', 'Local'),
    profiles,
  };
  r.emit(el);
};

const securityRule: Mapper = (r) => {
  const base = r.base('ngfwRule', 'aws', r.literal('name'));
  const cat = r.first('category');
  const priority = r.value('priority');
  const n = priority === undefined || priority === null ? undefined : asNumber(priority);
  const stackName = str(r, 'rulestack');
  const el: NgfwRule = {
    ...base,
    ...(stackName === undefined
      ? {}
      : { rulestack: typeof stackName === 'string' ? stackName : unresolved(r.text('rulestack'), stackName.unknown) }),
    ruleList: val(r, 'rule_list', 'PreRule'),
    priority:
      n ??
      unresolved(
        r.text('priority'),
        priority === undefined || priority === null ? 'priority is not written' : why(priority, r, 'priority'),
      ),
    rule: cloudNgfwRule({
      name: r.literal('name') ?? base.name,
      loc: base.loc,
      enabled: bool(r, 'enabled'),
      action: str(r, 'action') ?? { unknown: 'no action is written' },
      source: side(r, 'source'),
      destination: side(r, 'destination'),
      negateSource: bool(r, 'negate_source'),
      negateDestination: bool(r, 'negate_destination'),
      applications: list(r, 'applications') ?? [],
      protocol: str(r, 'protocol'),
      protPortList: list(r, 'prot_port_list'),
      urlCategories: list(cat, 'url_category_names'),
      categoryFeeds: list(cat, 'feeds'),
      logging: bool(r, 'logging'),
    }),
    ...(r.undecided ? { undecided: r.undecided } : {}),
  };
  r.emit(el);
};

/** What a `cloudngfwaws_ngfw` says of the policy it enforces (its rulestack, a global one, a management link). */
export function ngfwPolicyRef(r: BlockView): CloudNgfwPolicyRef {
  const out: CloudNgfwPolicyRef = { rulestack: val(r, 'rulestack') };
  const global = str(r, 'global_rulestack');
  if (global !== undefined && global !== '')
    out.globalRulestack = typeof global === 'string' ? global : unresolved(r.text('global_rulestack'), global.unknown);
  const link = str(r, 'link_id');
  if (link !== undefined && link !== '') out.linkId = typeof link === 'string' ? link : unresolved(r.text('link_id'), link.unknown);
  return out;
}

export const CLOUD_NGFW_MAPPERS: Record<string, Mapper> = {
  cloudngfwaws_rulestack: rulestack,
  cloudngfwaws_security_rule: securityRule,
};
