// `$(shield) <score>` in the status bar; the tooltip counts VPCs per state and findings per severity.
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import { statusText, statusTooltip } from './mapping';

export class ScoreStatus implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('egressLens.score', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Egress Security Score';
    this.item.command = 'egressLens.showTopology';
    this.item.text = statusText(undefined);
    this.item.tooltip = 'Egress Lens: analysing…';
    this.item.show();
  }

  update(result: AnalysisResult): void {
    this.item.text = statusText(result.score);
    this.item.tooltip = statusTooltip(result);
    this.item.backgroundColor = result.findings.some((f) => f.severity === 'error')
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
