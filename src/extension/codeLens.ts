// CodeLens above subnets, route tables and spoke gateways (protection state, "Trace egress"), and the
// hover on a route (which subnets use it, which traced paths it is a hop of).
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import { lensesForFile, routeHover } from './mapping';
import { fileKey, toRange } from './vscodeAdapter';

export class EgressCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly current: () => AnalysisResult | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const result = this.current();
    if (!result || !vscode.workspace.getConfiguration('egressLens').get<boolean>('codeLens', true)) return [];
    return lensesForFile(fileKey(doc.uri), result).map(
      (l) => new vscode.CodeLens(toRange(l.range), { title: l.title, tooltip: l.tooltip, command: l.command, arguments: l.args }),
    );
  }
}

export class RouteHover implements vscode.HoverProvider {
  constructor(private readonly current: () => AnalysisResult | undefined) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const result = this.current();
    if (!result) return undefined;
    const md = routeHover(fileKey(doc.uri), { line: pos.line, character: pos.character }, result, doc.getText().split(/\r?\n/));
    if (!md) return undefined;
    // Untrusted: no HTML, no command links, no theme icons (names in it are escaped too).
    const m = new vscode.MarkdownString(md, false);
    m.isTrusted = false;
    m.supportHtml = false;
    return new vscode.Hover(m);
  }
}
