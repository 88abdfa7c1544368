// One ordering for every report, so two runs over the same inputs give the same output.
import type { ParseDiagnostic } from '../model/inputs';
import type { Finding, Severity, VpcState } from '../analysis/types';
import { compareLocations } from './location';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By location (file, line, column), then code, then message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareLocations(a.location, b.location) || cmp(a.code, b.code) || cmp(a.message, b.message));
}

export function sortDiagnostics(diags: readonly ParseDiagnostic[]): ParseDiagnostic[] {
  return [...diags].sort((a, b) => compareLocations(a.loc, b.loc) || cmp(a.code, b.code) || cmp(a.message, b.message));
}

export function sortStates(states: readonly VpcState[]): VpcState[] {
  return [...states].sort((a, b) => cmp(a.name, b.name) || cmp(a.vpc, b.vpc));
}

export function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => cmp(key(a), key(b));
}

/** True when a finding of this severity reaches the `--fail-on` threshold. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}
