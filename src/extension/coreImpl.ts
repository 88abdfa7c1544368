// The real pure core behind the Core seam: parsers, analysis, simulation and report writers.
import { createAnalyzer } from '../analysis/incremental';
import { ModelIndex } from '../analysis/modelIndex';
import { RULES } from '../analysis/rules';
import { parseFlowSpec, simulate } from '../analysis/simulate';
import { createWorkspace } from '../parse/workspace';
import { toHtml, toJson, toSarif } from '../report';
import type { Core } from './core';

export function realCore(): Core {
  // One analyzer per core: each re-analysis reuses the traces an edit did not touch (the workspace keeps
  // unchanged files' elements as the same objects, which is how the analyzer tells what changed).
  const analyzer = createAnalyzer();
  return {
    createWorkspace: (options) => createWorkspace(options),
    analyze: (model, options, diagnostics) => analyzer.analyze(model, options, diagnostics),
    simulate: (model, flow, options) => simulate(model, new ModelIndex(model), flow, options),
    parseFlowSpec: (s) => {
      const r = parseFlowSpec(s);
      return r.ok ? r.flow : { error: r.error };
    },
    rules: RULES,
    toHtml: (result, script, style) => toHtml(result, { script, style }),
    toSarif: (result) => toSarif(result, RULES),
    toJson: (result) => toJson(result),
  };
}
