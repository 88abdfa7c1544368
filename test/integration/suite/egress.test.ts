// Runs inside the real extension host (code-server) on a scratch copy of
// examples/aws-distributed-egress-asymmetric: the findings its README lists, at the resources it names;
// the quick fix; live re-analysis of unsaved buffers and of files changed on disk; every command.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXT_ID = 'egress-lens.egress-lens';
const SOURCE = 'Egress Lens';

interface Api {
  result():
    | {
        findings: { code: string }[];
        score: { score: number | null };
        states: { vpc: string; name: string; state: string }[];
        egress: { subnet: string }[];
      }
    | undefined;
  whenIdle(): Promise<void>;
  statusBarText(): string;
  tree(): { kind: string; label: string; children: { kind: string; label: string; children: unknown[] }[] }[];
  openPrompt(): string | undefined;
  topologyRefits(): number;
}

let api: Api;
let folder: vscode.Uri;
let workload: vscode.Uri;

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function lineOf(uri: vscode.Uri, needle: string): number {
  const lines = fs.readFileSync(uri.fsPath, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `"${needle}" in ${path.basename(uri.fsPath)}`);
  return i;
}

describe('Egress Lens in the extension host: asymmetric example', function () {
  this.timeout(120000);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    api = (await ext.activate()) as Api;
    folder = vscode.workspace.workspaceFolders![0].uri;
    workload = vscode.Uri.joinPath(folder, 'workload.tf');
    await waitFor('the first analysis', () => api.result());
    await api.whenIdle();
  });

  it('shows the README findings in the Problems panel at the resources to change', async () => {
    const diags = await waitFor('three Egress Lens diagnostics in workload.tf', () => {
      const d = ours(workload);
      return d.length >= 3 && d;
    });
    const codes = [...new Set(diags.map(codeOf))].sort();
    assert.deepStrictEqual(
      codes,
      ['asymmetric-cross-az', 'asymmetric-return-bypass', 'uninspected-egress'],
      `codes: ${diags.map((d) => `${codeOf(d)}@${d.range.start.line}`).join(', ')}`,
    );

    const edgeHeader = lineOf(workload, 'resource "aws_route_table" "igw_edge"');
    const edgeEnd = lineOf(workload, 'resource "aws_route_table_association" "igw_edge"');
    const bypass = diags.find((d) => codeOf(d) === 'asymmetric-return-bypass')!;
    assert.strictEqual(bypass.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(
      bypass.range.start.line >= edgeHeader && bypass.range.start.line < edgeEnd,
      `bypass at line ${bypass.range.start.line}, igw_edge is ${edgeHeader}..${edgeEnd}`,
    );
    assert.ok(bypass.relatedInformation && bypass.relatedInformation.length > 0, 'bypass names the other leg');
    const target = (bypass.code as { target: vscode.Uri }).target;
    assert.ok(target.path.endsWith('/docs/rules/asymmetric-return-bypass.md'), target.toString());
    assert.ok(fs.existsSync(target.fsPath), 'the rule page ships in the extension');

    const cross = diags.find((d) => codeOf(d) === 'asymmetric-cross-az')!;
    assert.strictEqual(cross.severity, vscode.DiagnosticSeverity.Error);
    const crossRoute = lineOf(workload, 'cidr_block      = aws_subnet.nat["b"].cidr_block');
    assert.ok(
      cross.range.start.line >= crossRoute - 1 && cross.range.start.line <= crossRoute + 1,
      `cross-az at line ${cross.range.start.line}, the route is at ${crossRoute}`,
    );

    const uninspected = diags.find((d) => codeOf(d) === 'uninspected-egress')!;
    assert.strictEqual(uninspected.severity, vscode.DiagnosticSeverity.Warning);
    const mgmtRoute = lineOf(workload, 'resource "aws_route" "mgmt_default"');
    const mgmtSubnet = lineOf(workload, 'resource "aws_subnet" "mgmt"');
    assert.ok([mgmtRoute, mgmtSubnet].includes(uninspected.range.start.line), `uninspected-egress at line ${uninspected.range.start.line}`);
  });

  it('shows the score in the status bar and the VPCs by state in the tree', () => {
    const r = api.result()!;
    assert.strictEqual(api.statusBarText(), `$(shield) ${r.score.score ?? '–'}`);
    assert.match(api.statusBarText(), /^\$\(shield\) (\d+|–)$/);
    const tree = api.tree();
    const workloadState = r.states.find((s) => s.name === 'workload' || s.vpc === 'aws_vpc.workload');
    assert.ok(workloadState, 'the workload VPC has a state');
    const group = tree.find((g) => g.label === workloadState.state)!;
    assert.ok(group, `a tree group for ${workloadState.state}`);
    const vpc = group.children.find((c) => c.label === workloadState.name)!;
    assert.ok(vpc && vpc.children.length > 0, 'the VPC expands to its subnets');
  });

  it('puts CodeLens above subnets and a hover on routes', async () => {
    // Provider commands run on documents the workbench has loaded.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workload));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workload, 100);
    const titlesAt = (needle: string) => {
      const line = lineOf(workload, needle);
      return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
    };
    // The action first, then the routing verdict; one lens per element, at most 60 characters.
    assert.deepStrictEqual(titlesAt('resource "aws_subnet" "mgmt"'), ['Trace egress · ⚠ uninspected (via workload-igw)']);
    assert.deepStrictEqual(titlesAt('resource "aws_subnet" "app_b"'), ['Trace egress · ⚠ return via gwlbe-a (other AZ)']);
    // A for_each resource: one lens per instance key, labelled with the key.
    assert.deepStrictEqual(titlesAt('resource "aws_route_table" "nat"'), [
      'Trace egress ["a"] · legs: 1 out, 1 back, ⚠ 1 asymmetric',
      'Trace egress ["b"] · legs: 1 out, 1 back, ⚠ 1 asymmetric',
    ]);
    // The IGW edge table carries every reply: counted, as its route hover says.
    assert.deepStrictEqual(titlesAt('resource "aws_route_table" "igw_edge"'), ['Trace egress · 3 return legs, ⚠ 2 asymmetric']);
    for (const l of lenses) assert.ok((l.command?.title ?? '').length <= 60, l.command?.title);
    const mgmtRoute = lineOf(workload, 'resource "aws_route" "mgmt_default"');
    const line =
      mgmtRoute +
      fs
        .readFileSync(workload.fsPath, 'utf8')
        .split('\n')
        .slice(mgmtRoute)
        .findIndex((l) => l.includes('destination_cidr_block'));
    assert.ok(line > mgmtRoute, 'the destination line inside aws_route.mgmt_default');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      workload,
      new vscode.Position(line, 10),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Egress Lens/);
    assert.match(text, /route `0\.0\.0\.0\/0 → aws_internet_gateway\.workload`/);
    assert.match(text, /Subnets using this table: mgmt/);
  });

  it('runs every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    const ran: string[] = [];
    const run = async <T>(id: string, ...args: unknown[]) => {
      ran.push(id);
      return vscode.commands.executeCommand<T>(id, ...args);
    };

    const analysed = await run<{ findings: number }>('egressLens.analyzeWorkspace');
    assert.ok(analysed && analysed.findings >= 3, 'Analyze Workspace returns the findings count');

    assert.strictEqual(await run('egressLens.showTopology'), true);
    const webviewTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('egressLens.topology'));
    await waitFor('the topology webview tab', webviewTab, 20000);

    // The panel changes size (the bottom panel opens or closes): the view re-fits, the user not having moved it.
    await new Promise((r) => setTimeout(r, 1500));
    const refits0 = api.topologyRefits();
    await vscode.commands.executeCommand('workbench.action.togglePanel');
    await waitFor('a re-fit after the panel toggled', () => api.topologyRefits() > refits0, 15000);
    await vscode.commands.executeCommand('workbench.action.togglePanel');

    const subnet =
      api
        .result()!
        .egress.map((g) => g.subnet)
        .find((s) => s.includes('app_a')) ?? api.result()!.egress[0].subnet;
    assert.strictEqual(await run('egressLens.traceEgress', subnet), subnet);

    const sim = await run<{ outcome: string; forward: { hops: unknown[] } }>(
      'egressLens.simulateFlow',
      `src=${subnet} dst=8.8.8.8 proto=icmp`,
    );
    assert.ok(sim, 'Simulate Flow returns the simulation');
    assert.ok(['allowed', 'denied', 'dropped', 'unknown'].includes(sim.outcome));
    assert.ok(sim.forward.hops.length > 1, 'the simulated flow has hops');

    // The asymmetric subnet, named as a user names it: the verdict leads, with the divergence Trace shows.
    const asym = await run<{
      routing?: { headline: string };
      divergence?: { returnHop: number };
      forward: { source: { element: string }; hops: { note: string }[] };
    }>('egressLens.simulateFlow', 'src=app-b dst=ipinfo.io proto=tcp port=443');
    assert.ok(asym && asym.routing, 'a routing verdict');
    assert.strictEqual(asym.forward.source.element, 'aws_subnet.app_b');
    assert.strictEqual(
      asym.routing.headline,
      'ASYMMETRIC: SYN via gwlbe-b (us-east-1b), SYN-ACK via gwlbe-a (us-east-1a): a stateful firewall drops it',
    );
    assert.ok(asym.divergence, 'the divergence of the return leg');
    assert.ok(
      asym.forward.hops.some((h) => h.note === 'reaches ipinfo.io'),
      'the narration names ipinfo.io',
    );

    const outDir = vscode.Uri.file(path.join(path.dirname(folder.fsPath), 'reports'));
    for (const format of ['sarif', 'json', 'html'] as const) {
      const uri = vscode.Uri.joinPath(outDir, `report.${format}`);
      const written = await run<string>('egressLens.exportReport', { format, uri });
      assert.strictEqual(written, uri.toString());
      const text = fs.readFileSync(uri.fsPath, 'utf8');
      if (format === 'sarif') {
        const sarif = JSON.parse(text);
        assert.strictEqual(sarif.version, '2.1.0');
        const ruleIds = sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
        for (const c of ['asymmetric-return-bypass', 'asymmetric-cross-az', 'uninspected-egress'])
          assert.ok(ruleIds.includes(c), `SARIF has ${c}`);
      } else if (format === 'json') {
        assert.ok(JSON.parse(text), 'valid JSON');
      } else {
        assert.match(text, /<html/i);
      }
    }

    const doc = await run<string>('egressLens.openRuleDoc', 'asymmetric-cross-az');
    assert.ok(doc && doc.endsWith('/docs/rules/asymmetric-cross-az.md'), String(doc));

    assert.deepStrictEqual([...new Set(ran)].sort(), contributed, 'every contributed command was executed');
  });

  it('Simulate Flow asks again with the last flow asked for', async () => {
    // The prompts are the workbench's own quick inputs: answered here with the workbench's commands
    // (accept the offered value, or move down the protocol list), as a keyboard user would, each once
    // the extension says that prompt is waiting (a fixed delay fails on a loaded machine).
    const answer = async (step: number, moves = 0) => {
      const title = await waitFor(`prompt ${step}/4`, () => api.openPrompt()?.startsWith(`Simulate flow (${step}/4)`) && api.openPrompt());
      await new Promise((r) => setTimeout(r, 300)); // the workbench draws it
      for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await waitFor(`prompt ${step}/4 answered`, () => api.openPrompt() !== title, 30000);
    };
    type Sim = { flow: { source: string; destination: string; protocol: string; port?: number } } | undefined;
    // First: the offered source and destination, then ICMP (third in the list: tcp, udp, icmp).
    const first = vscode.commands.executeCommand<Sim>('egressLens.simulateFlow');
    await answer(1); // source
    await answer(2); // destination
    await answer(3, 2); // protocol: icmp (no port is asked)
    const a = await first;
    assert.ok(a, 'the first simulation ran');
    assert.strictEqual(a.flow.protocol, 'icmp');
    // Again, accepting everything offered: the remembered flow, ICMP first in the list (unremembered, TCP leads).
    const second = vscode.commands.executeCommand<Sim>('egressLens.simulateFlow');
    await answer(1);
    await answer(2);
    await answer(3);
    const b = await second;
    assert.ok(b, 'the second simulation ran');
    assert.deepStrictEqual(
      { source: b.flow.source, destination: b.flow.destination, protocol: b.flow.protocol },
      { source: a.flow.source, destination: a.flow.destination, protocol: 'icmp' },
    );
  });

  it('turns a rule off through egressLens.rules', async () => {
    const cfg = vscode.workspace.getConfiguration('egressLens');
    await cfg.update('rules', { 'uninspected-egress': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('uninspected-egress to disappear', () => !ours(workload).some((d) => codeOf(d) === 'uninspected-egress'), 30000);
    } finally {
      await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('uninspected-egress to come back', () => ours(workload).some((d) => codeOf(d) === 'uninspected-egress'), 30000);
  });

  it('applies the quick fix and the return-path diagnostic disappears before saving', async () => {
    const bypass = await waitFor('the bypass diagnostic', () => ours(workload).find((d) => codeOf(d) === 'asymmetric-return-bypass'));
    const doc = await vscode.workspace.openTextDocument(workload);
    await vscode.window.showTextDocument(doc);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', workload, bypass.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Show this path in the topology'), titles.join(' | '));
    assert.ok(titles.includes('Open rule documentation: asymmetric-return-bypass'), titles.join(' | '));
    const fix = actions.find((a) => a.edit && a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.isPreferred);
    assert.ok(fix && fix.edit, `a quick fix with an edit: ${titles.join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.isDirty, true, 'the fix edits the buffer, not the disk');
    await waitFor(
      'asymmetric-return-bypass to clear on the unsaved buffer',
      () => !ours(workload).some((d) => codeOf(d) === 'asymmetric-return-bypass'),
      30000,
    );
    assert.ok(
      ours(workload).some((d) => codeOf(d) === 'uninspected-egress'),
      'the unrelated finding stays',
    );
    assert.ok(await doc.save());
    await api.whenIdle();
    assert.ok(!ours(workload).some((d) => codeOf(d) === 'asymmetric-return-bypass'), 'still fixed after saving');
  });

  it('the cross-AZ quick fix changes only vpc_endpoint_id and keeps the CIDR reference', async () => {
    const cross = await waitFor('the cross-AZ diagnostic', () => ours(workload).find((d) => codeOf(d) === 'asymmetric-cross-az'));
    const doc = await vscode.workspace.openTextDocument(workload);
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', workload, cross.range);
    const fix = actions.find((a) => a.edit && a.isPreferred && a.title.startsWith('Point 10.0.11.0/24'));
    assert.ok(fix && fix.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const after = doc.getText();
    const changed = before
      .split('\n')
      .map((l, i) => [l, after.split('\n')[i]])
      .filter(([a, b]) => a !== b);
    assert.deepStrictEqual(changed, [
      ['    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_a.id', '    vpc_endpoint_id = aws_vpc_endpoint.gwlbe_b.id'],
    ]);
    assert.ok(after.includes('cidr_block      = aws_subnet.nat["b"].cidr_block'), 'the destination is still the reference');
    await waitFor('asymmetric-cross-az to clear', () => !ours(workload).some((d) => codeOf(d) === 'asymmetric-cross-az'), 30000);
    assert.ok(await doc.save());
    await api.whenIdle();
  });

  it('follows files created and deleted on disk (watcher) and reports parse errors', async () => {
    const broken = vscode.Uri.joinPath(folder, 'broken.tf');
    fs.writeFileSync(broken.fsPath, 'resource "aws_subnet" "oops" {\n  vpc_id = aws_vpc.workload.id\n');
    await waitFor('a parse diagnostic on broken.tf', () => ours(broken).length > 0, 30000);
    fs.unlinkSync(broken.fsPath);
    await waitFor('the parse diagnostic to clear after delete', () => ours(broken).length === 0, 30000);
  });
});
