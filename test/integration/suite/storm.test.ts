// A branch switch in the real extension host (issue 17 item 13, at a small scale): many files written
// and deleted at once while the extension is analysing settle to the result a fresh indexing gives,
// with no diagnostic left on a file that is gone. Plain-node timing tests: test/unit/reanalysis.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXT_ID = 'egress-lens.egress-lens';
const FILES = 60;

interface Api {
  result(): { findings: unknown[]; states: { vpc: string }[]; parseDiagnostics: { loc: { file: string } }[] } | undefined;
  whenIdle(): Promise<void>;
}

function snapshot(api: Api): string {
  const r = api.result()!;
  return JSON.stringify({ findings: r.findings, states: r.states, parseDiagnostics: r.parseDiagnostics });
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Egress Lens');
}

describe('Egress Lens in the extension host: a branch-switch storm', function () {
  this.timeout(180000);

  it('settles to the result of a fresh indexing, no stale diagnostic', async () => {
    const api = (await vscode.extensions.getExtension(EXT_ID)!.activate()) as Api;
    await api.whenIdle();
    const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'storm');
    fs.mkdirSync(dir, { recursive: true });
    const file = (i: number) => path.join(dir, `s${i}.tf`);
    // "Branch A": every file broken (a parse diagnostic each).
    for (let i = 0; i < FILES; i++) fs.writeFileSync(file(i), `resource "aws_vpc" "s${i}" {\n  cidr_block = "10.${i}.0.0/16"\n`);
    await new Promise((r) => setTimeout(r, 300)); // the first burst's analysis starts
    // "Branch B", written while A is analysed: half the files fixed, the other half gone.
    for (let i = 0; i < FILES; i++) {
      if (i % 2) fs.unlinkSync(file(i));
      else fs.writeFileSync(file(i), `resource "aws_vpc" "s${i}" {\n  cidr_block = "10.${i}.0.0/16"\n}\n`);
    }
    // The watcher's events arrive late and in bursts; an empty Problems list alone is also what the
    // extension shows before the first burst is analysed. So wait until the result holds branch B
    // exactly: the fixed files' VPCs, none of the deleted ones, no parse diagnostic on a storm file.
    // Any event still to come then re-reads a file already in its final state.
    const holdsBranchB = (): boolean => {
      const r = api.result();
      if (!r) return false;
      const seen = new Set(
        r.states
          .map((s) => /aws_vpc\.s(\d+)$/.exec(s.vpc)?.[1])
          .filter((n) => n !== undefined)
          .map(Number),
      );
      for (let i = 0; i < FILES; i++) if (seen.has(i) !== (i % 2 === 0)) return false;
      return !r.parseDiagnostics.some(
        (d) => d.loc.file.includes(`${path.sep}storm${path.sep}`) || d.loc.file.startsWith(`storm${path.sep}`),
      );
    };
    const t0 = Date.now();
    while (Date.now() - t0 < 90000 && !holdsBranchB()) await new Promise((r) => setTimeout(r, 200));
    await api.whenIdle();
    assert.ok(holdsBranchB(), "the analysis shows branch B: the fixed files' VPCs, not the deleted ones");
    for (let i = 0; i < FILES; i++) assert.deepEqual(ours(vscode.Uri.file(file(i))), [], `no diagnostic left on s${i}.tf`);
    const settled = snapshot(api);
    await vscode.commands.executeCommand('egressLens.analyzeWorkspace');
    await api.whenIdle();
    assert.equal(settled, snapshot(api), 'the same as a fresh indexing');
    fs.rmSync(dir, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 500));
    await api.whenIdle();
  });
});
