// The part of an analysis after the traces: rules, protection states, score, summary. Shared by analyze()
// and the incremental Analyzer (incremental.ts).
import type { ElementKind, NetworkModel } from '../model/types';
import type { ParseDiagnostic } from '../model/inputs';
import type { ModelIndex } from './modelIndex';
import { runRules } from './rules';
import { addModuleCalls } from './moduleCalls';
import type { RuleContext } from './rules/rule';
import { computeStates } from './states';
import { computeScore } from './score';
import { applySuppressions } from './suppress';
import type { AnalysisOptions, AnalysisResult, Finding, SubnetEgress } from './types';

function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location.file;
  const fb = b.location.file;
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location.range.start;
  const lb = b.location.range.start;
  if (la.line !== lb.line) return la.line - lb.line;
  if (la.character !== lb.character) return la.character - lb.character;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export type Summary = AnalysisResult['summary'];

export function summarize(model: NetworkModel): Summary {
  // Kinds in first-seen order (the order the JSON output lists them).
  const counts = new Map<ElementKind, number>();
  const files = new Set<string>();
  for (const e of model.elements) {
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    files.add(e.loc.file);
  }
  const byKind: Partial<Record<ElementKind, number>> = {};
  for (const [k, n] of counts) byKind[k] = n;
  return { elements: model.elements.length, byKind, files: files.size };
}

export function finishAnalysis(
  model: NetworkModel,
  index: ModelIndex,
  egress: SubnetEgress[],
  options: AnalysisOptions,
  parseDiagnostics: ParseDiagnostic[],
  t0: number,
  summary: Summary = summarize(model),
): AnalysisResult {
  const ctx: RuleContext = { model, index, egress, options };
  const { findings: all } = runRules(ctx);
  if (model.moduleInstances) addModuleCalls(all, model.elements, egress);
  all.sort(compareFindings);
  // Acceptances written in the inputs take findings out of the list, nothing else (the states are what the code does).
  const accepted = model.suppressions ? applySuppressions(all, model.suppressions, options, (id) => index.byId.get(id)?.loc) : undefined;
  const findings = accepted ? accepted.findings : all;
  const states = computeStates(ctx);
  const score = computeScore(states);
  const result: AnalysisResult = {
    version: 1,
    model,
    summary,
    egress,
    findings,
    states,
    score,
    parseDiagnostics: accepted?.diagnostics.length ? [...parseDiagnostics, ...accepted.diagnostics] : parseDiagnostics,
    simulations: [],
    timing: { parseMs: 0, analysisMs: Math.round((performance.now() - t0) * 100) / 100 },
  };
  if (accepted?.suppressed.length) result.suppressed = accepted.suppressed;
  return result;
}
