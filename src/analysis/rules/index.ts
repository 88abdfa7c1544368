// The rule registry, derived from the rule modules: each module (defineRule) holds its code, default
// severity, title and doc; the codes, RuleCode and the catalogue order come from the list below.
// A new rule: its module, its line here, a test; then `npm run build` writes its docs page, README row
// and schema enum (rules-catalog.test.ts checks all of it, and that every module here is listed).
import type { AnalysisOptions, Finding, SeveritySetting } from '../types';
import type { Rule, RuleContext } from './rule';
import { rule as asymmetricReturnBypass } from './asymmetric-return-bypass';
import { rule as asymmetricReturnOnly } from './asymmetric-return-only';
import { rule as asymmetricCrossAz } from './asymmetric-cross-az';
import { rule as tgwApplianceModeOff } from './tgw-appliance-mode-off';
import { rule as uninspectedEgress } from './uninspected-egress';
import { rule as dcfNotCovering } from './dcf-not-covering';
import { rule as dcfPermitAllEgress } from './dcf-permit-all-egress';
import { rule as dcfDisabled } from './dcf-disabled';
import { rule as dcfEnablementUnmanaged } from './dcf-enablement-unmanaged';
import { rule as dcfWebgroupWithoutSnat } from './dcf-webgroup-without-snat';
import { rule as dcfShadowedPolicy } from './dcf-shadowed-policy';
import { rule as dcfUnresolvedGroup } from './dcf-unresolved-group';
import { rule as gatewayUndersized } from './gateway-undersized';
import { rule as blackholeRoute } from './blackhole-route';
import { rule as routingLoop } from './routing-loop';
import { rule as crossAzEgress } from './cross-az-egress';
import { rule as legacyTransitEgress } from './legacy-transit-egress';
import { rule as homeNetExcludesSpokes } from './home-net-excludes-spokes';
import { rule as ipv6CentralEgress } from './ipv6-central-egress';

const REGISTRY = [
  asymmetricReturnBypass,
  asymmetricReturnOnly,
  asymmetricCrossAz,
  tgwApplianceModeOff,
  uninspectedEgress,
  dcfNotCovering,
  dcfPermitAllEgress,
  dcfDisabled,
  dcfEnablementUnmanaged,
  dcfWebgroupWithoutSnat,
  dcfShadowedPolicy,
  dcfUnresolvedGroup,
  gatewayUndersized,
  blackholeRoute,
  routingLoop,
  crossAzEgress,
  legacyTransitEgress,
  homeNetExcludesSpokes,
  ipv6CentralEgress,
] as const;

/** Every rule code, as its module declares it. */
export type RuleCode = (typeof REGISTRY)[number]['code'];
/** All rules, in catalogue order (SARIF lists rules in it). */
export const RULES: readonly Rule<RuleCode>[] = REGISTRY;
export const RULE_CODES: readonly RuleCode[] = RULES.map((r) => r.code);

/** The user's setting for a rule, else its default. */
export function resolveSeverity(rule: Rule<RuleCode>, options: AnalysisOptions): SeveritySetting {
  return options.severities?.[rule.code] ?? rule.defaultSeverity;
}

/**
 * Run every rule that is not switched off. A rule that throws must not take the others down: its
 * failure is reported as no findings from it (the engine's callers log `errors`).
 */
export function runRules(ctx: RuleContext): { findings: Finding[]; errors: { code: RuleCode; message: string }[] } {
  const findings: Finding[] = [];
  const errors: { code: RuleCode; message: string }[] = [];
  for (const rule of RULES) {
    const severity = resolveSeverity(rule, ctx.options);
    if (severity === 'off') continue;
    try {
      for (const f of rule.check(ctx)) findings.push({ ...f, code: rule.code, severity });
    } catch (e) {
      errors.push({ code: rule.code, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { findings, errors };
}
