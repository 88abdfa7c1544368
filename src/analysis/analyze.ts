// The analysis orchestrator: traces every source's egress, runs the rule registry, asks the DCF half for
// protection states and the score, and returns one JSON-serialisable AnalysisResult.
import type { ElementKind, NetworkModel } from '../model/types';
import { parseIp } from '../model/cidr';
import type { ParseDiagnostic } from '../parse/types';
import { ModelIndex } from './modelIndex';
import { findSourceForIp, traceAllEgress, traceEgress } from './trace';
import { runRules } from './rules';
import type { RuleContext } from './rules/rule';
import { computeStates } from './states';
import { computeScore } from './score';
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

export function analyze(model: NetworkModel, options: AnalysisOptions = {}, parseDiagnostics: ParseDiagnostic[] = []): AnalysisResult {
  const t0 = performance.now();
  const index = new ModelIndex(model);
  const egress = traceAllEgress(index, options);
  const ctx: RuleContext = { model, index, egress, options };
  const { findings } = runRules(ctx);
  findings.sort(compareFindings);
  const states = computeStates(ctx);
  const score = computeScore(states);
  const byKind: Partial<Record<ElementKind, number>> = {};
  const files = new Set<string>();
  for (const e of model.elements) {
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    files.add(e.loc.file);
  }
  return {
    version: 1,
    model,
    summary: { elements: model.elements.length, byKind, files: files.size },
    egress,
    findings,
    states,
    score,
    parseDiagnostics,
    simulations: [],
    timing: { parseMs: 0, analysisMs: Math.round((performance.now() - t0) * 100) / 100 },
  };
}

/**
 * Trace one flow's egress: `source` is an element id (subnet, instance, VPC, spoke gateway) or an IP
 * inside a modelled subnet/VPC; `destination` an IP or a domain (routed as the default test address).
 */
export function traceFlow(model: NetworkModel | ModelIndex, source: string, destination?: string, options: AnalysisOptions = {}): SubnetEgress | undefined {
  const index = model instanceof ModelIndex ? model : new ModelIndex(model);
  const isIp = !!parseIp(source);
  const element = isIp ? findSourceForIp(index, source) : source;
  if (!element) return undefined;
  return traceEgress(index, element, { ...(isIp ? { sourceIp: source } : {}), destination: destination ?? options.destination });
}
