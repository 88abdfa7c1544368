// The analysis orchestrator: traces every source's egress, runs the rule registry, asks the DCF half for
// protection states and the score, and returns one JSON-serialisable AnalysisResult.
import type { NetworkModel } from '../model/types';
import { parseIp } from '../model/cidr';
import type { ParseDiagnostic } from '../model/inputs';
import { ModelIndex } from './modelIndex';
import { findSourceForIp, traceAllEgress, traceEgress } from './trace';
import { finishAnalysis } from './result';
import type { AnalysisOptions, AnalysisResult, SubnetEgress } from './types';

export { createAnalyzer, type Analyzer } from './incremental';

export function analyze(model: NetworkModel, options: AnalysisOptions = {}, parseDiagnostics: ParseDiagnostic[] = []): AnalysisResult {
  const t0 = performance.now();
  const index = new ModelIndex(model);
  const egress = traceAllEgress(index, options);
  return finishAnalysis(model, index, egress, options, parseDiagnostics, t0);
}

/**
 * Trace one flow's egress: `source` is an element id (subnet, instance, VPC, spoke gateway) or an IP
 * inside a modelled subnet/VPC; `destination` an IP or a domain (routed as the default test address).
 */
export function traceFlow(
  model: NetworkModel | ModelIndex,
  source: string,
  destination?: string,
  options: AnalysisOptions = {},
): SubnetEgress | undefined {
  const index = model instanceof ModelIndex ? model : new ModelIndex(model);
  const isIp = !!parseIp(source);
  const element = isIp ? findSourceForIp(index, source) : source;
  if (!element) return undefined;
  return traceEgress(index, element, { ...(isIp ? { sourceIp: source } : {}), destination: destination ?? options.destination });
}
