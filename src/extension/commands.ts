// The palette commands (category "Egress Lens"). Each takes optional arguments so CodeLens, code actions,
// the tree and the tests can call it without prompts; without arguments it asks with quick picks/input boxes.
import * as vscode from 'vscode';
import type { AnalysisResult, FlowSimulation, FlowSpec } from '../analysis/types';
import type { AnalysisService } from './analysisService';
import type { Core } from './core';
import { egressOfTrace } from '../protocol';
import { flowPrompts, formatSimulation, rememberedFlow, rootPicks, simulationHeadline, tracePicks } from './mapping';
import type { Topology } from './topology';
import { ruleDocUri } from './vscodeAdapter';

export type ReportFormat = 'html' | 'sarif' | 'json';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  core: Core;
  service: AnalysisService;
  topology: Topology;
  out: vscode.OutputChannel;
}

/** Analyse first when nothing has been analysed yet (a command run right after activation). */
async function ensureResult(d: CommandDeps) {
  return d.service.result ?? (await d.service.indexWorkspace());
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const reg = (id: string, fn: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(`egressLens.${id}`, fn as (...args: unknown[]) => unknown);
  return [
    reg('showTopology', async (arg?: { focus?: string; root?: string | null }) => {
      const result = await ensureResult(d);
      // Several Terraform roots: which one to draw (or all). Asked only when run from the palette.
      if (arg && typeof arg.root === 'string') d.topology.setRoot(arg.root);
      else if (arg && arg.root === null) d.topology.setRoot(undefined);
      else if (!arg && result) {
        const picks = rootPicks(result);
        if (picks.length) {
          const pick = await vscode.window.showQuickPick(picks, { title: 'Egress Lens topology: which Terraform root module?' });
          if (!pick) return undefined;
          d.topology.setRoot(pick.root);
        }
      }
      if (arg && typeof arg.focus === 'string') d.topology.include(arg.focus);
      const view = await d.topology.open();
      if (result) view.postResult(d.topology.filtered(result));
      if (arg && typeof arg.focus === 'string') view.focus(arg.focus);
      return true;
    }),

    reg('analyzeWorkspace', async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Egress Lens: analysing workspace', cancellable: true },
        (progress, token) => d.service.indexWorkspace(progress, token),
      );
      return result ? { findings: result.findings.length, score: result.score.score, elements: result.model.elements.length } : undefined;
    }),

    reg('traceEgress', async (arg?: string | string[]) => {
      const result = await ensureResult(d);
      if (!result) return undefined;
      let subnet = typeof arg === 'string' ? arg : undefined;
      let family: 6 | undefined;
      if (!subnet) {
        const picks = tracePicks(result, Array.isArray(arg) ? arg : undefined);
        if (picks.length === 0) {
          void vscode.window.showInformationMessage('Egress Lens: no subnet with a traced egress path in this workspace.');
          return undefined;
        }
        const pick = await vscode.window.showQuickPick(picks, {
          title: 'Trace egress from subnet',
          matchOnDescription: true,
          matchOnDetail: true,
        });
        subnet = pick?.subnet;
        family = pick?.family;
      }
      if (!subnet) return undefined;
      // A subnet id, or the trace id of a finding's path (a dual-stack subnet's IPv6 egress: findingTrace).
      const egress = egressOfTrace(result.egress, subnet, family);
      if (!egress) {
        void vscode.window.showWarningMessage(`Egress Lens: no traced egress path for ${subnet}.`);
        return undefined;
      }
      d.topology.include(egress.subnet);
      const view = await d.topology.open();
      view.postResult(d.topology.filtered(result));
      view.trace(egress.subnet, egress.family);
      return egress.subnet;
    }),

    reg('simulateFlow', async (arg?: string | FlowSpec): Promise<FlowSimulation | undefined> => {
      const result = await ensureResult(d);
      if (!result) return undefined;
      let flow: FlowSpec | undefined;
      if (typeof arg === 'string') {
        const parsed = d.core.parseFlowSpec(arg);
        if ('error' in parsed) {
          void vscode.window.showErrorMessage(`Egress Lens: ${parsed.error}`);
          return undefined;
        }
        flow = parsed;
      } else if (arg && typeof arg === 'object') {
        flow = arg;
      } else {
        flow = await askFlow(d, result);
        if (flow) await d.context.workspaceState.update(LAST_FLOW, flow);
      }
      if (!flow) return undefined;
      const sim = d.core.simulate(result.model, flow, d.service.getSettings().options);
      d.out.appendLine(formatSimulation(sim));
      d.out.show(true);
      // Asked interactively: the verdict leads, as in the output and the narration.
      if (arg === undefined) {
        const head = `Egress Lens: ${simulationHeadline(sim)}`;
        void (sim.routing?.bad || sim.outcome === 'denied'
          ? vscode.window.showWarningMessage(head)
          : vscode.window.showInformationMessage(head));
      }
      d.topology.include(sim.forward.source.element);
      const view = await d.topology.open();
      view.postResult(d.topology.filtered(result));
      view.simulation(sim);
      return sim;
    }),

    reg('exportReport', async (arg?: { format?: ReportFormat; uri?: vscode.Uri | string }) => {
      const result = await ensureResult(d);
      if (!result) return undefined;
      let format = arg?.format;
      if (!format) {
        const p = await vscode.window.showQuickPick(
          [
            { label: 'HTML', description: 'standalone page with the topology', format: 'html' as const },
            { label: 'SARIF', description: 'SARIF 2.1.0 for code scanning', format: 'sarif' as const },
            { label: 'JSON', description: 'the analysis result', format: 'json' as const },
          ],
          { title: 'Export Egress Lens report' },
        );
        format = p?.format;
      }
      if (!format) return undefined;
      const ext = format === 'sarif' ? 'sarif' : format;
      let target = typeof arg?.uri === 'string' ? vscode.Uri.file(arg.uri) : arg?.uri;
      if (!target) {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        target = await vscode.window.showSaveDialog({
          title: 'Export Egress Lens report',
          defaultUri: folder ? vscode.Uri.joinPath(folder, `egress-lens-report.${ext}`) : undefined,
          filters: { [format.toUpperCase()]: [ext] },
        });
      }
      if (!target) return undefined;
      let text: string;
      if (format === 'html') {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(d.context.extensionUri, 'dist', 'webview.js'));
        let style: string | undefined;
        try {
          style = new TextDecoder().decode(
            await vscode.workspace.fs.readFile(vscode.Uri.joinPath(d.context.extensionUri, 'media', 'topology.css')),
          );
        } catch {
          style = undefined;
        }
        text = d.core.toHtml(result, new TextDecoder().decode(bytes), style);
      } else {
        text = format === 'sarif' ? d.core.toSarif(result) : d.core.toJson(result);
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      d.out.appendLine(`exported ${format.toUpperCase()} report to ${target.fsPath}`);
      if (!arg?.uri) void vscode.window.showInformationMessage(`Egress Lens: report written to ${vscode.workspace.asRelativePath(target)}`);
      return target.toString();
    }),

    reg('openRuleDoc', async (arg?: string | { code?: unknown }) => {
      let code = typeof arg === 'string' ? arg : typeof arg?.code === 'string' ? arg.code : undefined;
      if (!code) {
        const pick = await vscode.window.showQuickPick(
          d.core.rules.map((r) => ({ label: r.code, description: r.defaultSeverity, detail: r.title })),
          { title: 'Open Egress Lens rule documentation', matchOnDetail: true },
        );
        code = pick?.label;
      }
      if (!code) return undefined;
      const uri = ruleDocUri(d.context.extensionUri, code);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        void vscode.window.showWarningMessage(`Egress Lens: no documentation for rule "${code}".`);
        return undefined;
      }
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        await vscode.window.showTextDocument(uri, { preview: true });
      }
      return uri.toString();
    }),
  ];
}

/** Workspace state key of the last flow asked for, offered again next time. */
export const LAST_FLOW = 'egressLens.lastFlow';

function lastFlow(d: CommandDeps): Partial<FlowSpec> {
  return rememberedFlow(d.context.workspaceState.get<unknown>(LAST_FLOW));
}

/** The title of the Simulate Flow prompt waiting for input, if any: the host tests answer the workbench's
 *  own prompts and must know one is shown before they accept it (a fixed delay fails on a loaded machine). */
let waitingPrompt: string | undefined;
export function openPrompt(): string | undefined {
  return waitingPrompt;
}

async function asked<T>(title: string, prompt: (title: string) => Thenable<T>): Promise<T> {
  waitingPrompt = title;
  try {
    return await prompt(title);
  } finally {
    waitingPrompt = undefined;
  }
}

async function askFlow(d: CommandDeps, result: AnalysisResult): Promise<FlowSpec | undefined> {
  const byId = new Map(result.model.elements.map((e) => [e.id, e]));
  const first = result.egress[0] ? byId.get(result.egress[0].subnet)?.name || result.egress[0].subnet : 'app-a';
  const ask = flowPrompts(lastFlow(d), first, d.service.getSettings().options.destination);
  const source = await asked('Simulate flow (1/4): source', (title) =>
    vscode.window.showInputBox({
      title,
      prompt: `Source IP, subnet name or address (e.g. 10.0.1.15, ${first}, aws_subnet.app_a)`,
      value: ask.source,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A source is required'),
    }),
  );
  if (!source) return undefined;
  const destination = await asked('Simulate flow (2/4): destination', (title) =>
    vscode.window.showInputBox({
      title,
      prompt: 'Destination IP or domain name (e.g. 8.8.8.8, ipinfo.io)',
      value: ask.destination,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A destination is required'),
    }),
  );
  if (!destination) return undefined;
  const proto = await asked('Simulate flow (3/4): protocol', (title) =>
    vscode.window.showQuickPick(ask.protocols, { title, ignoreFocusOut: true }),
  );
  if (!proto) return undefined;
  let port: number | undefined;
  if (proto !== 'icmp') {
    const p = await asked('Simulate flow (4/4): destination port', (title) =>
      vscode.window.showInputBox({
        title,
        value: ask.port,
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d+$/.test(v.trim()) && +v >= 0 && +v <= 65535 ? undefined : 'A port 0-65535'),
      }),
    );
    if (p === undefined) return undefined;
    port = Number(p);
  }
  const isDomain = /[a-z]/i.test(destination) && !destination.includes(':');
  return {
    source: source.trim(),
    destination: destination.trim(),
    protocol: proto as FlowSpec['protocol'],
    ...(port !== undefined ? { port } : {}),
    ...(isDomain && (port === 80 || port === 443) ? { label: destination.trim() } : {}),
  };
}
