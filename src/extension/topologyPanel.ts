// The WebviewPanel that hosts the topology (webview/main.ts bundled to dist/webview.js). One panel;
// a fresh nonce per load; local resources limited to dist/ and media/; every message from the page
// validated with parseWebviewMessage; survives a window reload through a WebviewPanelSerializer.
// Messages for the page are held until it says `ready`, then replayed (latest result first).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AnalysisResult, FlowSimulation } from '../analysis/types';
import type { SourceLocation } from '../model/types';
import { parseWebviewMessage, type HostToWebview } from '../protocol';
import { renderTopologyHtml } from '../webviewHtml';

export const TOPOLOGY_VIEW_TYPE = 'egressLens.topology';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: true,
  };
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** The page's HTML for one load of a webview. */
export function topologyHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return renderTopologyHtml({
    cspSource: webview.cspSource,
    nonce: newNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'topology.css')).toString(),
  });
}

export class TopologyPanel implements vscode.Disposable {
  static current: TopologyPanel | undefined;

  private readonly revealEmitter = new vscode.EventEmitter<SourceLocation>();
  /** The page asks to open a source location (a click on a node or a hop). */
  readonly onReveal: vscode.Event<SourceLocation> = this.revealEmitter.event;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;

  private ready = false;
  /** How many times the page re-fitted itself to a changed panel (the extension API reports it to tests). */
  refits = 0;
  private result: AnalysisResult | undefined;
  private speed: number | undefined;
  /** The last trace / simulation / focus request, replayed after the result when the page (re)loads. */
  private action: HostToWebview | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Open the panel, or reveal the one that is open. */
  static createOrShow(context: vscode.ExtensionContext, column: vscode.ViewColumn = vscode.ViewColumn.Beside): TopologyPanel {
    if (TopologyPanel.current) {
      TopologyPanel.current.panel.reveal(undefined, true);
      return TopologyPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      TOPOLOGY_VIEW_TYPE,
      'Egress Topology',
      { viewColumn: column, preserveFocus: true },
      webviewOptions(context.extensionUri),
    );
    TopologyPanel.current = new TopologyPanel(panel, context.extensionUri);
    return TopologyPanel.current;
  }

  /**
   * Call once at activation: restores the panel after a window reload. `onRestore` lets the caller
   * feed it (post the latest result, subscribe to onReveal) as it does for a panel it opened.
   */
  static registerSerializer(context: vscode.ExtensionContext, onRestore?: (panel: TopologyPanel) => void): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TOPOLOGY_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        panel.webview.options = webviewOptions(context.extensionUri);
        TopologyPanel.current?.dispose();
        TopologyPanel.current = new TopologyPanel(panel, context.extensionUri);
        onRestore?.(TopologyPanel.current);
      },
    });
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'topology.svg');
    panel.webview.html = topologyHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      this.revealEmitter,
      this.disposeEmitter,
    );
  }

  postResult(result: AnalysisResult): void {
    this.result = result;
    this.send({ type: 'result', result });
  }

  /** `family: 6`: the IPv6 egress of a dual-stack subnet. */
  trace(subnet: string, family?: 6): void {
    this.action = family === 6 ? { type: 'trace', subnet, family } : { type: 'trace', subnet };
    this.send(this.action);
  }

  simulation(simulation: FlowSimulation): void {
    this.action = { type: 'simulation', simulation };
    this.send(this.action);
  }

  focus(element: string): void {
    this.action = { type: 'focus', element };
    this.send(this.action);
  }

  config(animationSpeed: number): void {
    this.speed = animationSpeed;
    this.send({ type: 'config', animationSpeed });
  }

  private send(msg: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  private replay(): void {
    if (this.speed !== undefined) this.send({ type: 'config', animationSpeed: this.speed });
    if (this.result) this.send({ type: 'result', result: this.result });
    if (this.action) this.send(this.action);
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) return; // Anything malformed is ignored: the page is not trusted to be well-behaved.
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.replay();
        break;
      case 'reveal':
        this.revealEmitter.fire(msg.location);
        break;
      case 'export':
        await this.saveExport(msg.format, msg.data);
        break;
      case 'log':
        if (msg.level === 'error') console.error(`[egress-lens topology] ${msg.message}`);
        break;
      case 'refitted':
        this.refits++;
        break;
    }
  }

  private async saveExport(format: 'png' | 'svg', data: string): Promise<void> {
    let bytes: Uint8Array;
    if (format === 'png') {
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
      if (!m) return;
      bytes = Buffer.from(m[1], 'base64');
    } else {
      if (!data.trimStart().startsWith('<?xml') && !data.trimStart().startsWith('<svg')) return;
      bytes = new TextEncoder().encode(data);
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export topology as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `egress-topology.${format}`) : undefined,
      filters: { [format.toUpperCase()]: [format] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Egress Lens: topology exported to ${vscode.workspace.asRelativePath(target)}`);
  }

  /** The page reloads (e.g. after a theme change of the extension's bundle): new nonce, ready again. */
  reload(): void {
    this.ready = false;
    this.panel.webview.html = topologyHtml(this.panel.webview, this.extensionUri);
  }

  dispose(): void {
    if (TopologyPanel.current === this) TopologyPanel.current = undefined;
    this.disposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
