// The topology panel as the commands use it: opens (or reveals) the webview engineer's TopologyPanel,
// keeps it fed with the latest result and the animation speed, and reveals source when the webview asks.
import * as vscode from 'vscode';
import type { AnalysisResult, FlowSimulation } from '../analysis/types';
import type { SourceLocation } from '../model/types';
import type { AnalysisService } from './analysisService';
import { TopologyPanel } from './topologyPanel';
import { elementAt, resultForRoot, revealRefusal } from './mapping';
import { fileKey, toRange, uriOf } from './vscodeAdapter';

export interface TopologyView {
  postResult(result: AnalysisResult): void;
  /** `family: 6`: the IPv6 egress of a dual-stack subnet. */
  trace(subnet: string, family?: 6): void;
  simulation(sim: FlowSimulation): void;
  focus(element: string): void;
}

export class Topology implements vscode.Disposable {
  private panel?: TopologyPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private followTimer?: ReturnType<typeof setTimeout>;
  private lastFocused?: string;
  /** The Terraform root module shown (its label), or undefined for every root. */
  private root?: string;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly service: AnalysisService,
    private readonly out: vscode.OutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('egressLens.animationSpeed')) this.panel?.config(speed());
      }),
      // A panel left open before a window reload comes back fed like a new one.
      TopologyPanel.registerSerializer(context, (p) => this.adopt(p)),
      // The panel follows the editor: the resource under the cursor is focused (debounced).
      vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((ed) => ed && this.follow(ed)),
    );
  }

  private follow(editor: vscode.TextEditor): void {
    if (!this.panel || !this.service.result) return;
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => {
      const result = this.service.result;
      if (!this.panel || !result) return;
      const p = editor.selection.active;
      const id = elementAt(result.model, fileKey(editor.document.uri), { line: p.line, character: p.character });
      if (id && id !== this.lastFocused) {
        this.lastFocused = id;
        this.panel.focus(id);
      }
    }, 250);
  }

  /** Show one Terraform root module's part of the results, or every root (undefined). */
  setRoot(root: string | undefined): void {
    this.root = root;
  }

  /** An element outside the shown root (a trace asked for): show every root again. */
  include(id: string): void {
    if (this.root !== undefined && !id.startsWith(`${this.root}:`)) this.root = undefined;
  }

  /** What the panel shows of a result: the chosen root's part. */
  filtered(result: AnalysisResult): AnalysisResult {
    return resultForRoot(result, this.root);
  }

  /** How many times the open panel re-fitted itself to a changed size. */
  refits(): number {
    return this.panel?.refits ?? 0;
  }

  /** Open or reveal the panel; it already holds the latest result when this resolves. */
  async open(): Promise<TopologyView> {
    const panel = TopologyPanel.createOrShow(this.context);
    this.adopt(panel);
    return panel;
  }

  private adopt(panel: TopologyPanel): void {
    if (panel !== this.panel) {
      this.panel = panel;
      const subs = [
        panel.onReveal((loc: SourceLocation) => {
          // The webview runs the report's content: it may ask to open only files we analysed.
          const why = revealRefusal(loc, (f) => this.service.isAnalysed(f));
          if (why) this.out.appendLine(`reveal dropped: ${why}`);
          else void reveal(loc);
        }),
        panel.onDidDispose(() => {
          if (this.panel === panel) this.panel = undefined;
          for (const d of subs) d.dispose();
        }),
      ];
      panel.config(speed());
      this.out.appendLine('topology panel opened');
    }
    if (this.service.result) panel.postResult(this.filtered(this.service.result));
  }

  /** A new analysis: refresh an open panel, never open one. */
  update(result: AnalysisResult): void {
    this.panel?.postResult(this.filtered(result));
  }

  dispose(): void {
    clearTimeout(this.followTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function speed(): number {
  return vscode.workspace.getConfiguration('egressLens').get<number>('animationSpeed', 1);
}

async function reveal(loc: SourceLocation): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uriOf(loc.file));
  await vscode.window.showTextDocument(doc, { selection: toRange(loc.range), viewColumn: vscode.ViewColumn.One, preserveFocus: false });
}
