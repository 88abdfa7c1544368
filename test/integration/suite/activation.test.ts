// Runs inside the real extension host (code-server), driven by scripts/code-server-test.mjs.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXT_ID = 'egress-lens.egress-lens';

describe('Egress Lens in the extension host: activation', () => {
  it('activates in the example workspace', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is installed`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 6);
    const all = await vscode.commands.getCommands(true);
    for (const c of contributed) assert.ok(all.includes(c), `command ${c} is registered`);
  });
});
