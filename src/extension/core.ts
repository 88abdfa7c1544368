// The pure core as the extension uses it: one seam, so the extension host code is testable against a fake
// and the real modules are imported in exactly one place (src/extension/coreImpl.ts).
import type { AnalysisOptions, AnalysisResult, FlowSimulation, FlowSpec } from '../analysis/types';
import type { RuleInfo } from '../report/sarif';
import type { NetworkModel } from '../model/types';
import type { ParseOptions } from '../parse/types';
import type { ParseDiagnostic } from '../model/inputs';
import type { Workspace } from '../parse/workspace';

export interface Core {
  createWorkspace(options: ParseOptions & { wasmDir?: string }): Promise<Workspace>;
  analyze(model: NetworkModel, options: AnalysisOptions, parseDiagnostics: ParseDiagnostic[]): AnalysisResult;
  simulate(model: NetworkModel, flow: FlowSpec, options: AnalysisOptions): FlowSimulation;
  parseFlowSpec(s: string): FlowSpec | { error: string };
  rules: readonly RuleInfo[];
  toHtml(result: AnalysisResult, webviewScript: string, style?: string): string;
  toSarif(result: AnalysisResult): string;
  toJson(result: AnalysisResult): string;
}
