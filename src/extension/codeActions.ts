// Quick fixes from a finding's fix edits, plus "Ignore <code> for this resource" (an egress-lens:ignore comment),
// "Show this path in the topology" and "Open rule documentation", offered on Egress Lens diagnostics and on
// findings under the cursor.
import * as vscode from 'vscode';
import type { AnalysisResult, Finding } from '../analysis/types';
import { findingTrace, findingsAt, fixEditsByFile, hasQuickFix, SOURCE } from './mapping';
import { codeOf, fileKey, toWorkspaceEdit } from './vscodeAdapter';
import { ignoreEdit } from '../parse/suppressionEdit';

export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly current: () => AnalysisResult | undefined) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const result = this.current();
    if (!result) return [];
    const file = fileKey(doc.uri);
    let docText: string | undefined;
    const text = (): string => (docText ??= doc.getText());
    const seen = new Set<number>();
    const actions: vscode.CodeAction[] = [];
    const add = (i: number, f: Finding, diag?: vscode.Diagnostic) => {
      if (seen.has(i)) return;
      seen.add(i);
      if (hasQuickFix(f)) {
        const a = new vscode.CodeAction(f.fix!.title, vscode.CodeActionKind.QuickFix);
        a.edit = toWorkspaceEdit(fixEditsByFile(f.fix));
        a.isPreferred = true;
        if (diag) a.diagnostics = [diag];
        actions.push(a);
      }
      // Accept it where it is located: a comment above the resource (Metadata in a JSON template), as an edit the
      // user sees applied in the editor.
      const ignore = ignoreEdit(file, text(), f.location.range, f.code);
      if (ignore) {
        const a = new vscode.CodeAction(ignore.title, vscode.CodeActionKind.QuickFix);
        a.edit = toWorkspaceEdit(new Map([[file, ignore.edits.map((e) => ({ file, ...e }))]]));
        if (diag) a.diagnostics = [diag];
        actions.push(a);
      }
      const subnet = findingTrace(f, result.egress);
      const show = new vscode.CodeAction('Show this path in the topology', vscode.CodeActionKind.QuickFix);
      show.command = subnet
        ? { command: 'egressLens.traceEgress', title: show.title, arguments: [subnet] }
        : { command: 'egressLens.showTopology', title: show.title, arguments: [{ focus: f.elementId }] };
      if (diag) show.diagnostics = [diag];
      actions.push(show);
      const doc = new vscode.CodeAction(`Open rule documentation: ${f.code}`, vscode.CodeActionKind.QuickFix);
      doc.command = { command: 'egressLens.openRuleDoc', title: doc.title, arguments: [f.code] };
      if (diag) doc.diagnostics = [diag];
      actions.push(doc);
    };
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const code = codeOf(d);
      for (const i of findingsAt(
        result.findings,
        file,
        {
          start: { line: d.range.start.line, character: d.range.start.character },
          end: { line: d.range.end.line, character: d.range.end.character },
        },
        code,
      ))
        add(i, result.findings[i], d);
    }
    const r = {
      start: { line: range.start.line, character: range.start.character },
      end: { line: range.end.line, character: range.end.character },
    };
    for (const i of findingsAt(result.findings, file, r)) add(i, result.findings[i]);
    return actions;
  }
}
