// One DiagnosticCollection for findings and parse errors. Replaced wholesale on every analysis, so a
// problem that is fixed disappears with the next (debounced) run.
import * as vscode from 'vscode';
import type { AnalysisResult, RuleCode, SeveritySetting } from '../analysis/types';
import { diagnosticsByFile } from './mapping';
import { toDiagnostic, uriOf } from './vscodeAdapter';

export class DiagnosticsPresenter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('egress-lens');

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(result: AnalysisResult, severities: Partial<Record<RuleCode, SeveritySetting>>): void {
    const byFile = diagnosticsByFile(result, severities);
    this.collection.clear();
    for (const [file, specs] of byFile) {
      this.collection.set(
        uriOf(file),
        specs.map((s) => toDiagnostic(s, this.extensionUri)),
      );
    }
  }

  dispose(): void {
    this.collection.dispose();
  }
}
