// The activity-bar tree: VPCs grouped by protection state -> subnets -> findings. Selecting an item with a
// source location opens it.
import * as vscode from 'vscode';
import type { AnalysisResult, ProtectionState } from '../analysis/types';
import { buildTree, TreeNode } from './mapping';
import { toRange, uriOf } from './vscodeAdapter';

const STATE_ICON: Record<ProtectionState, [string, string]> = {
  Protected: ['shield', 'testing.iconPassed'],
  'Partially Protected': ['shield', 'list.warningForeground'],
  Monitored: ['eye', 'charts.blue'],
  Unprotected: ['unlock', 'list.errorForeground'],
  Unknown: ['question', 'disabledForeground'],
  'No Egress': ['circle-slash', 'disabledForeground'],
  Inspection: ['flame', 'charts.purple'],
  'Egress hub': ['globe', 'charts.orange'],
};

export class VpcTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  /** The result the tree has not been built for yet: built when VS Code asks, so a hidden view costs nothing per edit. */
  private pending: AnalysisResult | undefined;

  update(result: AnalysisResult): void {
    this.pending = result;
    this.changed.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.children;
    if (this.pending) {
      this.roots = buildTree(this.pending);
      this.pending = undefined;
    }
    return this.roots;
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const collapsed =
      n.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : n.kind === 'root' || n.kind === 'state' || n.kind === 'vpc'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, collapsed);
    item.description = n.description;
    item.contextValue = n.kind;
    switch (n.kind) {
      case 'root':
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.tooltip = n.tooltip;
        break;
      case 'state': {
        const [icon, color] = STATE_ICON[n.state];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        break;
      }
      case 'vpc': {
        const [icon, color] = STATE_ICON[n.state];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        item.tooltip = `${n.description}: ${n.tooltip}`;
        break;
      }
      case 'subnet':
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.tooltip = n.tooltip;
        break;
      case 'finding':
        item.iconPath = new vscode.ThemeIcon(n.severity === 'error' ? 'error' : n.severity === 'warning' ? 'warning' : 'info');
        item.tooltip = `${n.description}: ${n.label}`;
        break;
    }
    const loc = n.kind === 'state' || n.kind === 'root' ? undefined : n.location;
    if (loc)
      item.command = {
        command: 'vscode.open',
        title: 'Reveal source',
        arguments: [uriOf(loc.file), { selection: toRange(loc.range), preview: true }],
      };
    return item;
  }
}
