// A policy names a SmartGroup / WebGroup that the inputs do not define.
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { allPolicies } from '../dcf/policies';
import { resolveGroup } from '../dcf/groups';
import { attrLocation, policyName } from '../dcf/ruleSupport';

const doc = `Fires when a DCF policy's \`src_smart_groups\`, \`dst_smart_groups\` or \`web_groups\` names a group
that is neither defined in the inputs (\`aviatrix_smart_group\`, \`aviatrix_web_group\`, an export's groups)
nor one of the predefined groups (Anywhere \`def000ad-...-000000000000\`, Public Internet \`...0001\`,
AllWeb \`...0002\`). The policy's match then cannot be decided offline and every flow it might decide is
reported Unknown. Often the group lives in another workspace or was deleted. ExternalGroups that are
defined but unresolvable offline are not reported here (they are Unknown by nature). Fix: add the group's
definition to the analysed files, or correct the reference.`;

const FIELDS: { field: 'srcGroups' | 'dstGroups' | 'webGroups'; attrs: string[]; what: string }[] = [
  { field: 'srcGroups', attrs: ['src_smart_groups', 'src_ads'], what: 'source SmartGroup' },
  { field: 'dstGroups', attrs: ['dst_smart_groups', 'dst_ads'], what: 'destination SmartGroup' },
  { field: 'webGroups', attrs: ['web_groups'], what: 'WebGroup' },
];

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const p of allPolicies(ctx.model.elements)) {
    for (const f of FIELDS) {
      const missing = p[f.field].map((r) => resolveGroup(index, r)).filter((g) => g.kind === 'missing');
      if (missing.length === 0) continue;
      const texts = missing.map((g) => `\`${g.label}\``).join(', ');
      const undeclared = missing.every((g) => g.kind === 'missing' && g.undeclared);
      out.push({
        message: undeclared
          ? `DCF policy ${policyName(p)} names ${f.what}${missing.length > 1 ? 's' : ''} ${texts}, a resource this configuration does not declare: Terraform refuses it, and it selects nothing here.`
          : `DCF policy ${policyName(p)} names ${f.what}${missing.length > 1 ? 's' : ''} ${texts} not defined in the inputs: its match cannot be decided.`,
        location: attrLocation(p, ...f.attrs) ?? p.loc,
        elementId: p.id,
        related: [],
        fix: { title: `Define ${texts} in the analysed files or correct the reference`, edits: [] },
      });
    }
  }
  return out;
}

export const rule = defineRule({
  code: 'dcf-unresolved-group',
  defaultSeverity: 'warning',
  title: 'DCF policy names an undefined SmartGroup or WebGroup',
  doc,
  check,
});
