// Terraform module folders in the real extension host (issue 14): a registry module that
// `terraform init` downloaded under .terraform/modules (hidden by the default exclude) is read through
// modules.json; a local module folder outside the open workspace folder is not read, and the module
// call says why, at its `source`. Plain-node tests of the resolution: test/unit/parse/terraform-layout.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXT_ID = 'egress-lens.egress-lens';

interface Api {
  result(): { states: { name: string; state: string }[] } | undefined;
  whenIdle(): Promise<void>;
}

const VPC = (name: string, cidr: string) => `variable "cidr" {
  default = "${cidr}"
}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags = { Name = "${name}" }
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, 1)
}
`;

describe('Egress Lens in the extension host: Terraform module folders', function () {
  this.timeout(180000);
  let api: Api;
  let root: string;
  const written: string[] = [];
  const write = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    written.push(p);
  };

  before(async () => {
    api = (await vscode.extensions.getExtension(EXT_ID)!.activate()) as Api;
    await api.whenIdle();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  after(async () => {
    for (const p of written) fs.rmSync(p, { force: true });
    fs.rmSync(path.join(root, '.terraform'), { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(root), 'el-outside-module'), { recursive: true, force: true });
    // The watcher reports the deletions late: wait until they are analysed, so that no event of this suite
    // lands in the next one (the storm suite compares a settled result with a fresh indexing).
    const calls = vscode.Uri.file(path.join(root, 'zz-modules.tf'));
    const t0 = Date.now();
    while (Date.now() - t0 < 30000 && vscode.languages.getDiagnostics(calls).some((d) => d.source === 'Egress Lens'))
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1000));
    await api.whenIdle();
    await vscode.commands.executeCommand('egressLens.analyzeWorkspace');
    await api.whenIdle();
  });

  it('reads a downloaded registry module through modules.json and says why an outside folder was not read', async () => {
    const calls = path.join(root, 'zz-modules.tf');
    // The outside folder exists and holds a VPC: it must still not be read.
    write(path.join(path.dirname(root), 'el-outside-module', 'main.tf'), VPC('el-outside-vpc', '10.98.0.0/16'));
    write(path.join(root, '.terraform', 'modules', 'reg', 'main.tf'), VPC('el-registry-vpc', '10.97.0.0/16'));
    write(
      path.join(root, '.terraform', 'modules', 'modules.json'),
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'reg', Source: 'registry.terraform.io/acme/vpc/aws', Version: '1.0.0', Dir: '.terraform/modules/reg' },
        ],
      }),
    );
    write(
      calls,
      'module "reg" {\n  source  = "acme/vpc/aws"\n  version = "1.0.0"\n}\n\nmodule "outside" {\n  source = "../el-outside-module"\n}\n',
    );
    await vscode.commands.executeCommand('egressLens.analyzeWorkspace');
    await api.whenIdle();

    const names = api.result()!.states.map((s) => s.name);
    assert.ok(
      names.some((n) => n.includes('el-registry-vpc')),
      `the registry module's VPC is analysed: ${names.join(', ')}`,
    );
    assert.ok(!names.some((n) => n.includes('el-outside-vpc')), `the outside module's VPC is not: ${names.join(', ')}`);

    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(calls));
    const sourceLine = doc.getText().split('\n').indexOf('  source = "../el-outside-module"');
    const diags = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Egress Lens');
    const outside = diags.find((d) => d.message.includes('module.outside'));
    assert.ok(outside, `a diagnostic on module.outside: ${diags.map((d) => d.message).join(' | ')}`);
    assert.match(outside.message, /outside the open workspace folders/);
    assert.equal(outside.range.start.line, sourceLine, 'at the module call source');
    assert.ok(!diags.some((d) => d.message.includes('module.reg')), 'no diagnostic on the module that was read');
  });
});
