// The shape of one rule. One file per rule in this folder: code, default severity, doc and check
// together. docs/rules/<code>.md, the README's table and the schema's enum are made from the rule
// modules by scripts/rules.mjs (npm run build); rules-catalog.test.ts fails when they are stale.
import type { NetworkModel } from '../../model/types';
import type { AnalysisOptions, Finding, Severity, SubnetEgress } from '../types';

export interface RuleContext {
  model: NetworkModel;
  /** Lookup helpers over the model (owned by src/analysis/modelIndex.ts). */
  index: import('../modelIndex').ModelIndex;
  egress: SubnetEgress[];
  options: AnalysisOptions;
}

/** A rule returns findings without severity; the engine applies the default or the user's setting. */
export type RawFinding = Omit<Finding, 'severity' | 'code'>;

/** `C` is the rule's code as a literal type: the registry (./index.ts) derives RuleCode from it. */
export interface Rule<C extends string = string> {
  code: C;
  defaultSeverity: Severity;
  /** One line, used as the SARIF short description and tree label. */
  title: string;
  /** One paragraph: when it fires, why it matters, how to fix. Markdown. */
  doc: string;
  check(ctx: RuleContext): RawFinding[];
}

/** Declares a rule keeping its code's literal type (no annotation to write, no list of codes to edit). */
export function defineRule<const C extends string>(rule: Rule<C>): Rule<C> {
  return rule;
}
