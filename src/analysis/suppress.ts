// `egress-lens:ignore` acceptances (model Suppression, read by the parsers) applied to the findings: a finding of a
// named rule located inside the text a suppression covers moves to AnalysisResult.suppressed, with where and why
// it was accepted. Nothing else changes: traces, states and the score are what the code does. A suppression
// that silences nothing (a code that is not a rule, no such finding in what it covers, above no resource) is an
// info-level input diagnostic at the comment, so a stale acceptance stays visible.
import type { Suppression, ParseDiagnostic } from '../model/inputs';
import { INPUT_DIAGNOSTICS } from '../model/inputs';
import type { SourceLocation, SourceRange } from '../model/types';
import { RULE_CODES, RULES, resolveSeverity } from './rules';
import type { AnalysisOptions, Finding } from './types';

function before(a: SourceRange['start'], b: SourceRange['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function inside(r: SourceRange, covers: SourceRange): boolean {
  return before(covers.start, r.start) && before(r.end, covers.end);
}

export interface Suppressed {
  findings: Finding[];
  suppressed: Finding[];
  diagnostics: ParseDiagnostic[];
}

/**
 * `locOf` gives an element's location: an unused suppression above the element a finding is about (a subnet whose
 * finding is located at its route) says where that finding is.
 */
export function applySuppressions(
  findings: Finding[],
  suppressions: readonly Suppression[],
  options: AnalysisOptions,
  locOf: (id: string) => SourceLocation | undefined = () => undefined,
): Suppressed {
  const byFile = new Map<string, Suppression[]>();
  for (const s of suppressions) {
    if (!s.covers) continue;
    const list = byFile.get(s.loc.file);
    if (list) list.push(s);
    else byFile.set(s.loc.file, [s]);
  }
  const used = new Map<Suppression, Set<string>>();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const s = byFile.get(f.location.file)?.find((x) => x.codes.includes(f.code) && inside(f.location.range, x.covers!));
    if (!s) {
      kept.push(f);
      continue;
    }
    suppressed.push({ ...f, suppression: { location: s.loc, ...(s.reason ? { reason: s.reason } : {}) } });
    const u = used.get(s);
    if (u) u.add(f.code);
    else used.set(s, new Set([f.code]));
  }
  const known = new Set<string>(RULE_CODES);
  const off = new Set<string>(RULES.filter((r) => resolveSeverity(r, options) === 'off').map((r) => r.code));
  const diagnostics: ParseDiagnostic[] = [];
  for (const s of suppressions) {
    const problems: string[] = [];
    if (s.codes.length === 0) problems.push('it names no rule code (`egress-lens:ignore <rule-code>[,<rule-code>...] [-- reason]`)');
    for (const code of s.codes) {
      if (!known.has(code))
        problems.push(
          code in INPUT_DIAGNOSTICS
            ? `${code} is an input diagnostic, which cannot be ignored (it says what the inputs do not let the analysis read)`
            : `${code} is not a rule code`,
        );
      else if (!s.covers) continue;
      else if (!used.get(s)?.has(code) && !off.has(code)) problems.push(unusedWhy(code, s, kept, locOf));
    }
    if (!s.covers && s.codes.some((c) => known.has(c)))
      problems.push('it stands directly above no resource (write it on its own line right above the resource block or logical id)');
    if (problems.length === 0) continue;
    diagnostics.push({
      code: 'unused-suppression',
      severity: 'info',
      message: `unused egress-lens:ignore: ${problems.join('; ')}`,
      loc: s.loc,
    });
  }
  return { findings: kept, suppressed, diagnostics };
}

/** Why a known code of a suppression matched nothing: where a finding of that code about the resource is, if any. */
function unusedWhy(code: string, s: Suppression, findings: readonly Finding[], locOf: (id: string) => SourceLocation | undefined): string {
  const here = (id: string): boolean => {
    const at = locOf(id);
    return at !== undefined && at.file === s.loc.file && inside(at.range, s.covers!);
  };
  // The finding's element, or a subnet whose egress it is about.
  const about = findings.find((f) => f.code === code && (here(f.elementId) || (f.traces ?? []).some(here)));
  if (!about) return `no ${code} finding is located in its resource`;
  const p = about.location.range.start;
  return `the ${code} finding about this resource is located at ${about.location.file}:${p.line + 1}:${p.character + 1}, where the change goes: write the comment above that resource`;
}
