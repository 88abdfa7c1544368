// Shared by the report and CLI tests: fixture loading and schema validators.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { AnalysisResult } from '../../../src/analysis/types';

/** The repository root: the nearest folder up from here with scripts/build.mjs (works from out/ and from test/). */
export const ROOT = ((): string => {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'scripts', 'build.mjs')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
})();

export function loadResultFixture(name: string): AnalysisResult {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/report', name), 'utf8')) as AnalysisResult;
}

function validator(schemaPath: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, schemaPath), 'utf8')));
  return (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

let sarif: ((d: unknown) => string[]) | undefined;
let report: ((d: unknown) => string[]) | undefined;
/** Errors of the doc against the official SARIF 2.1.0 schema (empty when valid). */
export function sarifErrors(doc: unknown): string[] {
  sarif ??= validator('test/fixtures/sarif-schema-2.1.0.json');
  return sarif(doc);
}
/** Errors of the doc against docs/schema/analysis-result.schema.json (empty when valid). */
export function reportSchemaErrors(doc: unknown): string[] {
  report ??= validator('docs/schema/analysis-result.schema.json');
  return report(doc);
}
