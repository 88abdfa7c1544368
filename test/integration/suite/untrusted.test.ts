// Restricted Mode: workspace trust on and the folder not trusted. The harness runs this suite in its own
// host session (mode "restricted"); in the trusted session it is skipped. Egress Lens only reads files, so
// it must analyse exactly as in a trusted folder.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('Egress Lens in an untrusted workspace', function () {
  this.timeout(120000);

  before(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });

  it('activates and reports the findings read-only', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the folder is in Restricted Mode');
    const ext = vscode.extensions.getExtension('egress-lens.egress-lens')!;
    const api = (await ext.activate()) as { result(): { findings: unknown[] } | undefined; statusBarText(): string };
    const workload = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'workload.tf');
    const t0 = Date.now();
    let codes: string[] = [];
    while (Date.now() - t0 < 60000) {
      codes = vscode.languages
        .getDiagnostics(workload)
        .filter((d) => d.source === 'Egress Lens')
        .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      if (codes.length >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepStrictEqual([...new Set(codes)].sort(), ['asymmetric-cross-az', 'asymmetric-return-bypass', 'uninspected-egress']);
    assert.match(api.statusBarText(), /^\$\(shield\) \d+$/);
    const all = await vscode.commands.getCommands(true);
    assert.ok(
      all.includes('egressLens.showTopology') && all.includes('egressLens.exportReport'),
      'commands are available in Restricted Mode',
    );
  });
});
