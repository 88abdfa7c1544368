// SARIF 2.1.0 for GitHub code scanning and other CI viewers: one reportingDescriptor per rule code
// (help = the rule doc), one result per finding with its physical location and relatedLocations,
// fixes where the finding carries edits, input diagnostics as tool execution notifications.
import type { AnalysisResult, Finding, Severity } from '../analysis/types';
import type { Rule } from '../analysis/rules/rule';
import type { SourceLocation } from '../model/types';
import { toPosixPath, toRegion } from './location';
import { sortDiagnostics, sortFindings } from './order';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What the SARIF report needs of a rule (the full Rule is fine). */
export type RuleInfo = Pick<Rule, 'code' | 'defaultSeverity' | 'title' | 'doc'>;

export interface SarifOptions {
  toolVersion?: string;
  /** Where the rule docs live on the web, e.g. `https://github.com/org/egress-lens/blob/main/docs/rules/`. */
  rulesHelpBaseUri?: string;
}

type Level = 'error' | 'warning' | 'note';

const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export function sarifLevel(s: Severity): Level {
  return s === 'info' ? 'note' : s;
}

/** A relative path stays relative (resolved against %SRCROOT%); an absolute one becomes a file URI. */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const p = toPosixPath(file);
  if (p.startsWith('/')) return { uri: 'file://' + encodeURI(p) };
  if (/^[A-Za-z]:\//.test(p)) return { uri: 'file:///' + encodeURI(p) };
  return { uri: encodeURI(p), uriBaseId: '%SRCROOT%' };
}

function physicalLocation(loc: SourceLocation) {
  return { physicalLocation: { artifactLocation: artifactLocation(loc.file), region: toRegion(loc.range) } };
}

/** FNV-1a, 32-bit: a short stable digest for fingerprints without pulling in crypto. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function firstSentence(doc: string): string {
  const plain = doc.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(plain);
  return m ? m[1] : plain;
}

function descriptor(rule: RuleInfo, options: SarifOptions) {
  return {
    id: rule.code,
    name: rule.code.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstSentence(rule.doc) || rule.title },
    help: { text: rule.doc, markdown: rule.doc },
    ...(options.rulesHelpBaseUri ? { helpUri: `${options.rulesHelpBaseUri}${rule.code}.md` } : {}),
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    // GitHub code scanning ranks security alerts by `security-severity` (CVSS-like 0-10).
    properties: {
      tags: ['network', 'egress', 'security'],
      precision: 'high',
      'problem.severity': rule.defaultSeverity,
      'security-severity': SECURITY_SEVERITY[rule.defaultSeverity],
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number) {
  const fixes =
    f.fix && f.fix.edits.length > 0
      ? [
          {
            description: { text: f.fix.title },
            artifactChanges: [...new Set(f.fix.edits.map((e) => e.file))].map((file) => ({
              artifactLocation: artifactLocation(file),
              replacements: f
                .fix!.edits.filter((e) => e.file === file)
                .map((e) => ({ deletedRegion: toRegion(e.range), insertedContent: { text: e.newText } })),
            })),
          },
        ]
      : undefined;
  return {
    ruleId: f.code,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: f.fix && f.fix.edits.length === 0 ? `${f.message} Fix: ${f.fix.title}.` : f.message },
    locations: [physicalLocation(f.location)],
    ...(f.related.length
      ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...physicalLocation(r.location), message: { text: r.message } })) }
      : {}),
    partialFingerprints: { 'egressLensFinding/v1': `${f.code}:${f.elementId}:${fnv1a(f.message)}` },
    ...(fixes ? { fixes } : {}),
    // An accepted finding (egress-lens:ignore) stays a result, marked so: code scanning shows it as suppressed.
    ...(f.suppression
      ? {
          suppressions: [
            {
              kind: 'inSource',
              ...(f.suppression.reason ? { justification: f.suppression.reason } : {}),
              location: physicalLocation(f.suppression.location),
            },
          ],
        }
      : {}),
    properties: { elementId: f.elementId, ...(f.traces ? { traces: f.traces } : {}) },
  };
}

export function toSarifLog(result: AnalysisResult, rules: readonly RuleInfo[], options: SarifOptions = {}) {
  const known = [...rules].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  // A finding whose rule is not in the list still needs a descriptor for ruleIndex to point at.
  const all = result.suppressed?.length ? [...result.findings, ...result.suppressed] : result.findings;
  for (const f of all) {
    if (!known.some((r) => r.code === f.code)) known.push({ code: f.code, defaultSeverity: f.severity, title: f.code, doc: f.code });
  }
  const indexOf = new Map(known.map((r, i) => [r.code, i]));
  const notifications = sortDiagnostics(result.parseDiagnostics).map((d) => ({
    level: sarifLevel(d.severity),
    message: { text: d.message },
    descriptor: { id: d.code },
    locations: [physicalLocation(d.loc)],
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'Egress Lens',
            ...(options.toolVersion ? { semanticVersion: options.toolVersion, version: options.toolVersion } : {}),
            rules: known.map((r) => descriptor(r, options)),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory the analysis ran in.' } } },
        columnKind: 'utf16CodeUnits',
        results: sortFindings(all).map((f) => sarifResult(f, indexOf.get(f.code)!)),
        properties: { score: result.score, states: result.states },
      },
    ],
  };
}

export function toSarif(result: AnalysisResult, rules: readonly RuleInfo[], options: SarifOptions = {}): string {
  return JSON.stringify(toSarifLog(result, rules, options), null, 2) + '\n';
}
