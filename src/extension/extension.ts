// Activation: wires the analysis service (pure core behind it) to diagnostics, code actions, CodeLens,
// hovers, the tree, the status bar, the topology panel and the commands. Read-only: works the same in
// untrusted workspaces (nothing from the workspace is executed).
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import { AnalysisService } from './analysisService';
import { FindingCodeActions } from './codeActions';
import { EgressCodeLens, RouteHover } from './codeLens';
import { openPrompt, registerCommands } from './commands';
import { realCore } from './coreImpl';
import { DiagnosticsPresenter } from './diagnostics';
import { buildTree, TreeNode } from './mapping';
import { ScoreStatus } from './statusBar';
import { Topology } from './topology';
import { VpcTree } from './treeView';

/** What activate() returns: enough for the extension-host tests to observe state the UI shows. */
export interface EgressLensApi {
  result(): AnalysisResult | undefined;
  whenIdle(): Promise<void>;
  statusBarText(): string;
  tree(): TreeNode[];
  /** The title of the Simulate Flow prompt waiting for input, if any. */
  openPrompt(): string | undefined;
  /** How many times the open topology panel re-fitted its view to a changed panel size. */
  topologyRefits(): number;
}

const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.{tf,json,yaml,yml,template}' },
  { scheme: 'vscode-remote', pattern: '**/*.{tf,json,yaml,yml,template}' },
];

export function activate(context: vscode.ExtensionContext): EgressLensApi {
  const out = vscode.window.createOutputChannel('Egress Lens');
  const core = realCore();
  const service = new AnalysisService(core, context.asAbsolutePath('dist'), out);
  const diagnostics = new DiagnosticsPresenter(context.extensionUri);
  const lenses = new EgressCodeLens(() => service.result);
  const tree = new VpcTree();
  const status = new ScoreStatus();
  const topology = new Topology(context, service, out);
  const treeView = vscode.window.createTreeView('egressLens.vpcs', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(
    out,
    service,
    diagnostics,
    status,
    treeView,
    topology,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new FindingCodeActions(() => service.result), {
      providedCodeActionKinds: FindingCodeActions.kinds,
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SELECTOR, new RouteHover(() => service.result)),
    ...registerCommands({ context, core, service, topology, out }),
    service.onDidAnalyze((result) => {
      diagnostics.show(result, service.getSettings().options.severities ?? {});
      tree.update(result);
      status.update(result);
      lenses.refresh();
      topology.update(result);
      treeView.message = result.states.length === 0 ? 'No VPC or VNet found in the analysed files.' : undefined;
    }),
  );

  out.appendLine(
    `Egress Lens ${context.extension.packageJSON.version} activated${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: read-only analysis)'}`,
  );
  service.watch();
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Egress Lens: indexing' }, () =>
    service.indexWorkspace(),
  );

  return {
    result: () => service.result,
    whenIdle: () => service.whenIdle(),
    statusBarText: () => status.item.text,
    tree: () => (service.result ? buildTree(service.result) : []),
    openPrompt,
    topologyRefits: () => topology.refits(),
  };
}

export function deactivate(): void {}
