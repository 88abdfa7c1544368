// PLACEHOLDER (owned by the VS Code integration helper): activation and command registration.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  for (const id of ['showTopology', 'analyzeWorkspace', 'traceEgress', 'simulateFlow', 'exportReport', 'openRuleDoc']) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`egressLens.${id}`, () => vscode.window.showInformationMessage(`Egress Lens: ${id} is not implemented yet.`)),
    );
  }
}

export function deactivate(): void {}
