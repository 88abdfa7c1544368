// A centralized AWS Network Firewall whose HOME_NET does not hold the spokes it inspects: the domain lists'
// generated rules and the Suricata rules written from $HOME_NET match only traffic from HOME_NET, so the
// spokes' traffic matches none of them (docs/domain.md, Network Firewall).
import type { Firewall, FirewallPolicy, FirewallRuleGroup, SourceLocation } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { HOME_NET } from '../../parse/vocabulary/firewallRules';
import { homeNetFor, type HomeNet } from '../firewallPolicy/homeNet';
import { ruleGroupOf } from '../firewallPolicy/posture';
import { sourceCover, type SeenSource } from '../firewallPolicy/ruleSources';
import { seenSource } from '../firewallPolicy/seenSource';
import type { SubnetEgress } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { formatOf, traceRef } from './egressPaths';

const doc = `Fires when an AWS Network Firewall inspects traffic from other VPCs (spokes behind a transit gateway
sending their egress to an inspection VPC) and its policy has stateful rules written from \`$HOME_NET\` (every
domain list's generated rules, Suricata rules such as \`drop tls $HOME_NET any -> $EXTERNAL_NET any\`), while
HOME_NET does not hold the spokes' addresses. HOME_NET is the rule group's own \`HOME_NET\` variable, else the
policy's, else the CIDR of the VPC the firewall is deployed in: left at its default in a centralized design
it holds only the inspection VPC, so the spokes' traffic matches none of those rules and meets what the
policy does with unmatched traffic (a deny-list that blocks nothing, an allow-list whose allowed domains are
dropped by a default drop or whose other domains pass, alerts that never fire). The finding is at the rule
group or policy whose variable sets HOME_NET, or at the policy when it is left at its default, and names the
spoke CIDRs it leaves out. Fix: add them to HOME_NET (Terraform \`policy_variables { rule_variables { key =
"HOME_NET" ... } }\` or the rule group's \`rule_variables\`; CloudFormation
\`PolicyVariables.RuleVariables.HOME_NET\` or \`RuleGroup.RuleVariables.IPSets.HOME_NET\`), as AWS's
centralized deployment guidance says; when HOME_NET was left at its default, keep the inspection VPC's CIDR in
it too.

It stays quiet when the firewall inspects only its own VPC's traffic (distributed designs), when no stateful
rule is written from \`$HOME_NET\`, and when HOME_NET or a spoke's addresses cannot be decided offline (a
variable without value, a firewall attached to a transit gateway natively, a spoke whose IPAM allocation may
land inside or outside HOME_NET).`;

/** One HOME_NET definition that leaves spokes out: where it is set, and what it misses. */
interface Miss {
  fw: Firewall;
  policy: FirewallPolicy;
  home: HomeNet;
  /** Rules written from $HOME_NET under this definition (for the message). */
  whats: string[];
  /** Spoke CIDRs to add, in the order met. */
  add: string[];
  traces: Set<string>;
  vpcs: Set<string>;
}

/** The rule groups of a policy with stateful rules written from $HOME_NET, and those rules' texts. */
function homeNetGroups(ctx: RuleContext, p: FirewallPolicy): { group: FirewallRuleGroup; whats: string[] }[] {
  const out: { group: FirewallRuleGroup; whats: string[] }[] = [];
  for (const ref of p.statefulGroups ?? []) {
    const g = ruleGroupOf(ctx.index, ref);
    if ('missing' in g || isUnresolved(g.rules)) continue;
    const whats = g.rules
      .filter((r) => Array.isArray(r.sources) && r.sources.includes(HOME_NET))
      .map((r) => r.what.replace(/: other HTTP\/TLS dropped$/, ''));
    if (whats.length > 0) out.push({ group: g, whats: [...new Set(whats)] });
  }
  return out;
}

/** The CIDRs that would put the source inside HOME_NET: its VPC's CIDRs that hold it, else the source itself. */
function cidrsToAdd(ctx: RuleContext, source: SeenSource, vpcId: string | undefined, home: string[]): string[] {
  const outside = (c: string) => sourceCover({ sources: home }, c) !== 'all';
  if (typeof source === 'object') return source.within.filter(outside);
  const vpc = vpcId === undefined ? undefined : ctx.index.get(vpcId);
  const known = vpc?.kind === 'vpc' ? vpc.cidrs.filter((c): c is string => typeof c === 'string' && !c.includes(':')) : [];
  const holding = known.filter((c) => sourceCover({ sources: [c] }, source) === 'all');
  return (holding.length > 0 ? holding : [source]).filter(outside);
}

function describeFix(m: Miss, fwVpcCidrs: string[]): { title: string; edits: [] } {
  const at = m.home.by ?? m.policy;
  const fmt = formatOf(at.loc.file);
  const name = at.address ?? at.name ?? at.id;
  const group = at.kind === 'firewallRuleGroup';
  const where =
    fmt === 'hcl'
      ? group
        ? `the rule_variables of ${name}`
        : `policy_variables { rule_variables { key = "HOME_NET" } } of ${name}`
      : fmt === 'yaml'
        ? group
          ? `RuleGroup.RuleVariables.IPSets.HOME_NET of ${name}`
          : `FirewallPolicy.PolicyVariables.RuleVariables.HOME_NET of ${name}`
        : `the ${group ? 'rule group' : 'policy'} variables of ${name}`;
  if (m.home.by) return { title: `Add ${m.add.join(', ')} to HOME_NET in ${where}`, edits: [] };
  const keep = fwVpcCidrs.length > 0 ? `, ${fwVpcCidrs.join(', ')}` : '';
  return {
    title: `Set HOME_NET in ${where} to ${m.add.join(', ')}${keep} (the spokes${keep ? " and the firewall's VPC" : ''})`,
    edits: [],
  };
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  // The traced paths each Network Firewall inspects on the way out.
  const byFw = new Map<string, SubnetEgress[]>();
  for (const eg of ctx.egress)
    for (const ep of eg.forward.inspectedBy) {
      if (ep.kind !== 'network-firewall') continue;
      const list = byFw.get(ep.element) ?? [];
      if (!list.includes(eg)) list.push(eg);
      byFw.set(ep.element, list);
    }
  const misses = new Map<string, Miss>();
  for (const [fwId, paths] of byFw) {
    const fw = index.get(fwId);
    if (fw?.kind !== 'firewall' || fw.vendor !== 'AWS Network Firewall' || fw.policy === undefined || isUnresolved(fw.policy)) continue;
    const policy = index.get(fw.policy);
    if (policy?.kind !== 'firewallPolicy') continue;
    const groups = homeNetGroups(ctx, policy);
    if (groups.length === 0) continue;
    const fwVpc = isUnresolved(fw.vpc) ? undefined : fw.vpc;
    for (const eg of paths) {
      const [source, sourceVpc] = seenSource(index, eg, fw);
      // The firewall's own VPC is in HOME_NET by default; a source not known decides nothing.
      if (source === undefined || (sourceVpc !== undefined && sourceVpc === fwVpc)) continue;
      for (const { group, whats } of groups) {
        const home = homeNetFor({ index, fw, policy, source, sourceVpc, family: eg.family === 6 ? 6 : 4 }, group);
        if (home.cidrs === 'source' || isUnresolved(home.cidrs)) continue;
        const cover = sourceCover({ sources: home.cidrs }, source);
        if (cover !== 'none' && cover !== 'some') continue;
        const key = `${fw.id}|${(home.by ?? policy).id}`;
        let m = misses.get(key);
        if (!m) {
          m = { fw, policy, home, whats: [], add: [], traces: new Set(), vpcs: new Set() };
          misses.set(key, m);
        }
        for (const w of whats) if (!m.whats.includes(w)) m.whats.push(w);
        for (const c of cidrsToAdd(ctx, source, sourceVpc, home.cidrs)) if (!m.add.includes(c)) m.add.push(c);
        m.traces.add(traceRef(eg));
        if (sourceVpc) m.vpcs.add(sourceVpc);
      }
    }
  }
  const out: RawFinding[] = [];
  for (const m of misses.values()) {
    if (m.add.length === 0) continue;
    const at = m.home.by ?? m.policy;
    const fwVpcEl = m.fw.vpc === undefined || isUnresolved(m.fw.vpc) ? undefined : index.get(m.fw.vpc);
    const fwVpcCidrs = fwVpcEl?.kind === 'vpc' ? fwVpcEl.cidrs.filter((c): c is string => typeof c === 'string') : [];
    const rules = m.whats.slice(0, 2).join(', ') + (m.whats.length > 2 ? ` and ${m.whats.length - 2} more` : '');
    const spokes = [...m.vpcs].map((v) => index.label(v)).join(', ');
    const related: { location: SourceLocation; message: string }[] = [{ location: m.fw.loc, message: `firewall ${index.label(m.fw.id)}` }];
    if (m.home.by) related.push({ location: m.policy.loc, message: `policy ${index.label(m.policy.id)}` });
    out.push({
      message:
        `${index.label(m.fw.id)} inspects the egress of ${spokes || 'other VPCs'}, but HOME_NET is ${m.home.text}, which does not hold ` +
        `${m.add.join(', ')}: ${rules}, written from $HOME_NET, ${m.whats.length === 1 ? 'does' : 'do'} not match their traffic, ` +
        `which meets what the policy does with traffic no rule matches.`,
      location: at.loc,
      elementId: at.id,
      related,
      traces: [...m.traces],
      fix: describeFix(m, fwVpcCidrs),
    });
  }
  return out;
}

export const rule = defineRule({
  code: 'home-net-excludes-spokes',
  defaultSeverity: 'warning',
  title: "AWS Network Firewall HOME_NET does not hold the spokes' addresses it inspects",
  doc,
  check,
});
