// Firewall policies and their rules -> model elements: AWS Network Firewall policies and rule groups, Azure
// Firewall policies, rule collection groups and classic rule collections. The rules are reduced through
// vocabulary/firewallRules.ts, which CloudFormation uses too.
import type {
  FirewallLogging,
  FirewallPolicy,
  FirewallRule,
  FirewallRuleGroup,
  Ref,
  RuleVariables,
  StatelessRule,
  Val,
} from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import type { Expr } from './ast';
import { resourceTypeOf, type BlockView } from './emit';
import { evaluate } from './evaluate';
import { asString, RefVal, Unknown, type Value } from './values';
import type { Mapper } from './mapAws';
import { byName, groupOf } from './mapAzure';
import {
  azureRule,
  azureSources,
  domainListRules,
  fiveTupleRule,
  fqdnUnder,
  statelessRule,
  suricataRules,
} from '../vocabulary/firewallRules';

const AWS = 'AWS Network Firewall' as const;
const AZURE = 'Azure Firewall' as const;

/** Nested blocks of a type; Unresolved when a `dynamic` block of that type cannot be expanded offline. */
function blocksOrUnknown(b: BlockView, type: string): BlockView[] | Val<never> {
  // One undecided dynamic block leaves the list undecided, whatever else is written beside it.
  const undecided = b.undecidedBlocks(type)[0];
  return undecided ? undecided.why : b.blocks(type);
}

const nfwPolicy: Mapper = (r) => {
  const p = r.first('firewall_policy');
  const el: FirewallPolicy = { ...r.base('firewallPolicy', 'aws', r.literal('name')), vendor: AWS };
  if (p) {
    el.statelessDefault = p.strs('stateless_default_actions');
    if (p.has('stateful_default_actions')) el.statefulDefault = p.strs('stateful_default_actions');
    const order = p.first('stateful_engine_options')?.str('rule_order');
    if (order !== undefined) el.ruleOrder = order;
    const stateless = p.blocks('stateless_rule_group_reference');
    el.statelessGroups = stateless.map((b) => b.ref('resource_arn') ?? unresolved('', 'no resource_arn'));
    el.statelessPriorities = stateless.map((b) => priorityOf(b));
    const stateful = p.blocks('stateful_rule_group_reference');
    el.statefulGroups = stateful.map((b) => b.ref('resource_arn') ?? unresolved('', 'no resource_arn'));
    el.statefulPriorities = stateful.map((b) => priorityOf(b));
    const overrides = stateful.map((b) => b.first('override')?.str('action'));
    if (overrides.some((o) => o !== undefined)) el.statefulOverrides = overrides;
    // Groups of a dynamic block not known offline: a reference to a group that is not in the inputs (Unknown).
    for (const { why } of p.undecidedBlocks('stateless_rule_group_reference')) el.statelessGroups.push(why);
    for (const { why } of p.undecidedBlocks('stateful_rule_group_reference')) el.statefulGroups.push(why);
    const vars = p.first('policy_variables');
    if (vars) el.variables = ipSetVariables(vars, 'rule_variables');
  }
  r.emit(el);
};

/**
 * Rule variables written as `<type> { key = "HOME_NET"  ip_set { definition = [...] } }` blocks: a rule
 * group's `rule_variables.ip_sets`, a policy's `policy_variables.rule_variables`.
 */
function ipSetVariables(parent: BlockView, type: string): RuleVariables {
  const blocks = blocksOrUnknown(parent, type);
  if (isUnresolved(blocks)) return blocks;
  const out: Record<string, Val<string[]>> = {};
  for (const b of blocks) {
    const key = b.str('key');
    if (typeof key !== 'string') return key ?? unresolved('', `a ${type} block without key`);
    const defs = b.first('ip_set')?.strs('definition') ?? [];
    const undecided = defs.find(isUnresolved);
    out[key] = undecided ? unresolved(undecided.text, `the ${key} definition cannot be decided offline`) : (defs as string[]);
  }
  return out;
}

/** A `priority` argument: a number, else Unresolved (the order it decides is then unknown). */
function priorityOf(b: BlockView): Val<number> {
  const n = b.num('priority');
  return n ?? unresolved(b.text('priority'), b.has('priority') ? 'priority cannot be decided offline' : 'no priority written');
}

/** `from:to` of each port range block. */
function portRanges(m: BlockView, type: string): Val<string>[] {
  return m.blocks(type).map((p) => {
    const from = p.num('from_port');
    const to = p.num('to_port');
    return from === undefined || to === undefined ? unresolved(p.text('from_port'), 'port range not decidable offline') : `${from}:${to}`;
  });
}

/** The rules of a STATELESS group (`stateless_rules_and_custom_actions`). */
function nfwStatelessRules(r: BlockView): Val<StatelessRule[]> {
  const src = r.first('rule_group')?.first('rules_source')?.first('stateless_rules_and_custom_actions');
  if (!src) return unresolved('', 'the stateless rule group has no stateless_rules_and_custom_actions');
  const rules = blocksOrUnknown(src, 'stateless_rule');
  if (isUnresolved(rules)) return rules;
  const out: StatelessRule[] = [];
  for (const b of rules) {
    const def = b.first('rule_definition');
    const m = def?.first('match_attributes');
    if (!def || !m) return unresolved('', 'a stateless_rule without rule_definition or match_attributes');
    for (const t of ['source', 'destination', 'source_port', 'destination_port', 'tcp_flag']) {
      const d = blocksOrUnknown(m, t);
      if (isUnresolved(d)) return d;
    }
    const addrs = (t: string) => m.blocks(t).map((a) => a.str('address_definition') ?? unresolved('', 'no address_definition'));
    out.push(
      statelessRule(priorityOf(b), def.strs('actions'), {
        sources: addrs('source'),
        destinations: addrs('destination'),
        sourcePorts: portRanges(m, 'source_port'),
        destinationPorts: portRanges(m, 'destination_port'),
        protocols: m.strs('protocols'),
        tcpFlags: m.blocks('tcp_flag').length > 0,
      }),
    );
  }
  return out;
}

function nfwRules(r: BlockView): Val<FirewallRule[]> {
  if (r.has('rules')) {
    const s = r.str('rules');
    return typeof s === 'string' ? suricataRules(s) : (s ?? unresolved('', 'rules not readable'));
  }
  const src = r.first('rule_group')?.first('rules_source');
  if (!src) return unresolved('', 'the rule group has no rules_source');
  const list = src.first('rules_source_list');
  if (list) {
    const type = list.str('generated_rules_type');
    if (typeof type !== 'string') return type ?? unresolved('', 'generated_rules_type not written');
    const targets = list.strs('targets');
    return domainListRules(type, targets);
  }
  if (src.has('rules_string')) {
    const s = src.str('rules_string');
    return typeof s === 'string' ? suricataRules(s) : (s ?? unresolved('', 'rules_string not readable'));
  }
  const rules = blocksOrUnknown(src, 'stateful_rule');
  if (isUnresolved(rules)) return rules;
  if (rules.length > 0)
    return rules.map((b) => {
      const h = b.first('header');
      return fiveTupleRule(b.literal('action') ?? '?', {
        protocol: h?.literal('protocol'),
        source: h?.literal('source'),
        destination: h?.literal('destination'),
        destinationPort: h?.literal('destination_port'),
      });
    });
  // Stateless rules decide per packet what reaches the stateful engine; they are not reduced here.
  return src.first('stateless_rules_and_custom_actions') ? [] : unresolved('', 'rules_source names no rules');
}

const nfwRuleGroup: Mapper = (r) => {
  const el: FirewallRuleGroup = {
    ...r.base('firewallRuleGroup', 'aws', r.literal('name')),
    vendor: AWS,
    stage: r.literal('type') === 'STATELESS' ? 'stateless' : 'stateful',
    rules: nfwRules(r),
  };
  if (el.stage === 'stateless') el.statelessRules = nfwStatelessRules(r);
  const vars = r.first('rule_group')?.first('rule_variables');
  if (vars) el.variables = ipSetVariables(vars, 'ip_sets');
  const refs = r.first('rule_group')?.first('reference_sets');
  if (refs) el.ipSetReferences = ipSetReferences(refs);
  r.emit(el);
};

/** `reference_sets { ip_set_references { key = "PL"  ip_set_reference { reference_arn = ... } } }`: rules write them `@PL`. */
function ipSetReferences(parent: BlockView): Val<Record<string, Ref>> {
  const blocks = blocksOrUnknown(parent, 'ip_set_references');
  if (isUnresolved(blocks)) return blocks;
  const out: Record<string, Ref> = {};
  for (const b of blocks) {
    const key = b.str('key');
    if (typeof key !== 'string') return key ?? unresolved('', 'an ip_set_references block without key');
    out[key] = b.first('ip_set_reference')?.ref('reference_arn') ?? unresolved('', `the ${key} reference has no reference_arn`);
  }
  return out;
}

const nfwLogging: Mapper = (r) => {
  const el: FirewallLogging = {
    ...r.base('firewallLogging', 'aws'),
    firewall: r.ref('firewall_arn') ?? unresolved('', 'no firewall_arn'),
    logTypes: (r.first('logging_configuration')?.blocks('log_destination_config') ?? []).map(
      (d) => d.str('log_type') ?? unresolved('', 'no log_type'),
    ),
  };
  r.emit(el);
};

/**
 * An Azure diagnostic setting whose target is an Azure Firewall: the log categories it sends (`enabled_log`, the
 * legacy `log` blocks not disabled). A `dynamic` block over the firewall's own categories
 * (`data.azurerm_monitor_diagnostic_categories`) sends all of them. Settings of other resources are left out.
 */
const azureDiagnostics: Mapper = (r) => {
  // Only a firewall's setting, read without a word about the many others (storage accounts, key vaults, ...).
  const v = r.value('target_resource_id');
  if (!(v instanceof RefVal) || resourceTypeOf(v.address) !== 'azurerm_firewall') return;
  const target = r.ref('target_resource_id');
  if (typeof target !== 'string') return;
  const logTypes: Val<string>[] = [];
  for (const type of ['enabled_log', 'log']) {
    for (const b of r.blocks(type)) {
      if (type === 'log' && b.bool('enabled', true) === false) continue;
      const c = b.str('category') ?? b.str('category_group');
      if (c !== undefined) logTypes.push(c);
    }
    for (const { why } of r.undecidedBlocks(type))
      logTypes.push(/\bazurerm_monitor_diagnostic_categories\b/.test(why.reason) ? 'allLogs' : why);
  }
  r.emit({ ...r.base('firewallLogging', 'azure'), firewall: target, logTypes });
};

const azurePolicy: Mapper = (r) => {
  const el: FirewallPolicy = { ...r.base('firewallPolicy', 'azure', r.literal('name')), vendor: AZURE };
  const ti = r.str('threat_intelligence_mode');
  if (ti !== undefined) el.threatIntel = ti;
  const base = r.ref('base_policy_id');
  if (base !== undefined) el.basePolicy = base;
  r.emit(el);
};

/** IP group attributes: a list of `azurerm_ip_group.x.id`, which stand for the groups' written `cidrs`. */
const IP_GROUP_ATTRS = new Set(['destination_ip_groups', 'source_ip_groups']);

/** `azurerm_ip_group.<name>[key].id` as written: the same traversal ending in `.cidrs`. */
function ipGroupCidrsExpr(e: Expr): Expr | undefined {
  if (e.k !== 'attr' || e.name !== 'id') return undefined;
  let root: Expr = e.obj;
  while (root.k === 'attr' || root.k === 'index') root = root.obj;
  return root.k === 'var' && root.name === 'azurerm_ip_group' ? { ...e, name: 'cidrs' } : undefined;
}

/**
 * The `cidrs` of the IP group whose id a value is, when the id came from the group itself (`[var.vnet_ip_group_id]`
 * in a module given `azurerm_ip_group.vnets.id`, or a plan's reference or known id), else undefined.
 */
function viaIpGroupId(b: BlockView, v: Value, text: string): Value | undefined {
  const hit = b.idAttribute(v, 'cidrs', text);
  return hit && resourceTypeOf(hit.address) === 'azurerm_ip_group' ? hit.value : undefined;
}

/** The CIDRs of the IP groups a rule names; Unresolved when a group is not one declared here, or its CIDRs are not known. */
function ipGroupValues(b: BlockView, name: string): Val<string[]> | undefined {
  if (!b.has(name)) return undefined;
  const a = b.block.attrs.get(name);
  // Written (HCL): each item as written; otherwise (a plan, an object value) each item of the value.
  const items: { v: Value | undefined; text: string }[] = a
    ? (a.expr.k === 'tuple' ? a.expr.items : [a.expr]).map((item) => {
        const text = b.src.text.slice(item.s.start, item.s.end);
        const cidrs = ipGroupCidrsExpr(item);
        return { v: cidrs ? evaluate(cidrs, b.scope) : viaIpGroupId(b, evaluate(item, b.scope), text), text };
      })
    : (() => {
        const v = b.value(name);
        const text = b.text(name);
        return (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => ({ v: viaIpGroupId(b, x, text), text }));
      })();
  const out: string[] = [];
  for (const { v, text } of items) {
    const list = Array.isArray(v) ? v.map((x) => asString(x)) : undefined;
    if (!list || list.some((x) => x === undefined)) return unresolved(text, 'an IP group whose CIDRs are not in the inputs');
    out.push(...(list as string[]));
  }
  return out;
}

/** FQDN attributes: a name whose leading label is not known offline may still name one host under a known domain. */
const FQDN_ATTRS = new Set(['target_fqdns', 'destination_fqdns']);

/**
 * The items of an FQDN attribute, each name that is not known offline but certainly ends in a literal domain
 * (`"${local.storage}.blob.core.windows.net"`) given as `<name>.<that domain>` (vocabulary: fqdnUnder); undefined
 * when the attribute is not a list of such items, to be read as any other list.
 */
function fqdnValues(b: BlockView, n: string): Val<string>[] | undefined {
  const v = b.value(n);
  if (!Array.isArray(v) || !v.some((x) => x instanceof Unknown)) return undefined;
  const out: Val<string>[] = [];
  for (const x of v) {
    const s = b.toStr(x, n);
    if (s === undefined) continue;
    const under = x instanceof Unknown && x.suffix !== undefined ? fqdnUnder(x.suffix, x.parts ?? []) : undefined;
    out.push(under ? `<name>.${under}` : s);
  }
  return out;
}

/** Every string of some list attributes of a rule; Unresolved when one cannot be decided. */
function listValues(b: BlockView, names: string[]): Val<string[]> {
  const out: string[] = [];
  for (const n of names) {
    if (IP_GROUP_ATTRS.has(n) && b.has(n)) {
      const g = ipGroupValues(b, n);
      if (g !== undefined && isUnresolved(g)) return g;
      if (g) out.push(...g);
      continue;
    }
    for (const v of (FQDN_ATTRS.has(n) ? fqdnValues(b, n) : undefined) ?? b.strs(n)) {
      if (isUnresolved(v)) return v;
      out.push(v);
    }
  }
  return out;
}

/** The rules of one Azure rule collection (policy collection or classic collection), with its action. */
function azureCollection(c: BlockView, kind: 'network' | 'application', classic: boolean): Val<FirewallRule[]> {
  const action = c.literal('action');
  // Network collections are processed before application ones, each by priority (docs/states.md, Azure Firewall).
  const azureOrder = { layer: kind, priority: priorityOf(c) };
  const rules = blocksOrUnknown(c, 'rule');
  if (isUnresolved(rules)) return rules;
  const dests =
    kind === 'application'
      ? classic
        ? ['target_fqdns', 'fqdn_tags']
        : ['destination_fqdns', 'destination_fqdn_tags', 'destination_urls']
      : ['destination_addresses', 'destination_fqdns', 'destination_ip_groups'];
  const out: FirewallRule[] = [];
  for (const rule of rules) {
    const name = rule.literal('name') ?? '?';
    const d = listValues(rule, dests);
    const ports = listValues(rule, ['destination_ports']);
    const protocols = kind === 'network' ? listValues(rule, ['protocols']) : [];
    // Which sources it applies to; undecided sources leave the rule, undecided where it applies.
    const sources = listValues(rule, ['source_addresses', 'source_ip_groups']);
    if (isUnresolved(d) || isUnresolved(ports) || isUnresolved(protocols)) {
      // A rule whose destinations are not known could allow everything: its action decides nothing.
      out.push({
        action: action?.toLowerCase() === 'deny' ? 'drop' : 'unknown',
        dest: 'some',
        proto: 'some',
        what: `${kind} rule ${name}`,
        ...azureSources(sources),
        azureOrder,
      });
      continue;
    }
    out.push({ ...azureRule(action, kind, { name, destinations: d, ports, protocols, sources }), azureOrder });
  }
  return out;
}

const azureRuleCollectionGroup: Mapper = (r) => {
  const rules: FirewallRule[] = [];
  let undecided: Val<FirewallRule[]> | undefined;
  for (const [type, kind] of [
    ['network_rule_collection', 'network'],
    ['application_rule_collection', 'application'],
  ] as const) {
    const cols = blocksOrUnknown(r, type);
    if (isUnresolved(cols)) undecided ??= cols;
    else
      for (const c of cols) {
        const rs = azureCollection(c, kind, false);
        if (isUnresolved(rs)) undecided ??= rs;
        else rules.push(...rs);
      }
  }
  const el: FirewallRuleGroup = {
    ...r.base('firewallRuleGroup', 'azure', r.literal('name')),
    vendor: AZURE,
    stage: 'stateful',
    rules: undecided ?? rules,
    priority: priorityOf(r),
  };
  const owner = r.ref('firewall_policy_id');
  if (owner !== undefined) el.owner = owner;
  r.emit(el);
};

const azureClassicCollection =
  (kind: 'network' | 'application'): Mapper =>
  (r) => {
    const el: FirewallRuleGroup = {
      ...r.base('firewallRuleGroup', 'azure', r.literal('name')),
      vendor: AZURE,
      stage: 'stateful',
      rules: azureCollection(r, kind, true),
    };
    const fw = r.ref('azure_firewall_name');
    if (fw !== undefined) el.owner = fw;
    r.emit(el);
    const rg = groupOf(r);
    r.out.post(() => {
      el.owner = byName(r.out, 'azureFirewall', el.owner, rg) ?? el.owner;
    });
  };

export const FIREWALL_POLICY_MAPPERS: Record<string, Mapper> = {
  aws_networkfirewall_firewall_policy: nfwPolicy,
  aws_networkfirewall_rule_group: nfwRuleGroup,
  aws_networkfirewall_logging_configuration: nfwLogging,
  azurerm_firewall_policy: azurePolicy,
  azurerm_monitor_diagnostic_setting: azureDiagnostics,
  azurerm_firewall_policy_rule_collection_group: azureRuleCollectionGroup,
  azurerm_firewall_application_rule_collection: azureClassicCollection('application'),
  azurerm_firewall_network_rule_collection: azureClassicCollection('network'),
};
