// A local module folder the front end does not read (the extension reads only open workspace folders):
// the module call's diagnostic names the source and gives the front end's reason.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';

describe('terraform: a module folder the front end did not read', () => {
  const ROOT = '/home/u/ws/infra/main.tf';
  const CALL = 'module "shared" {\n  source = "../../shared/vpc"\n  cidr   = "10.0.0.0/16"\n}\n';

  it('the module call says which source was not read and the reason the front end gave', async () => {
    const ws = await createWorkspace();
    ws.setFile(ROOT, CALL);
    const wants = ws.terraformWants();
    assert.deepEqual(wants.dirs, ['/home/u/shared/vpc']);
    const generic = ws.build().diagnostics.find((d) => d.code === 'missing-reference');
    assert.match(generic?.message ?? '', /module\.shared: \.\.\/\.\.\/shared\/vpc was not read \(no \.tf file/);
    ws.terraformNotRead('/home/u/shared/vpc', 'outside the open workspace folders');
    const told = ws.build().diagnostics.filter((d) => d.code === 'missing-reference');
    assert.equal(told.length, 1);
    assert.equal(told[0].message, 'module.shared: ../../shared/vpc was not read (outside the open workspace folders)');
    assert.equal(told[0].loc.file, ROOT);
    // Reading the folder afterwards (the user added it to the workspace) replaces the diagnostic by the module.
    ws.setFile('/home/u/shared/vpc/main.tf', 'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n');
    const read = ws.build();
    assert.equal(read.diagnostics.filter((d) => d.code === 'missing-reference').length, 0);
    assert.ok(read.model.elements.some((e) => e.id === 'module.shared.aws_vpc.v'));
  });
});
