import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { terraformVarFiles } from '../../../src/extension/varFiles';

describe('extension: egressLens.terraform.varFiles', () => {
  it('keys each var file under its root folder, per workspace folder, in the order written', () => {
    const ws = path.resolve('/ws');
    assert.deepEqual(terraformVarFiles({ 'envs/prod': ['prod.tfvars', '../common.tfvars'] }, [ws]), {
      extra: [
        { file: path.join(ws, 'envs', 'prod', 'prod.tfvars'), roots: [path.join(ws, 'envs', 'prod')] },
        { file: path.join(ws, 'envs', 'common.tfvars'), roots: [path.join(ws, 'envs', 'prod')] },
      ],
    });
  });

  it('ignores what is not a folder-to-files object', () => {
    assert.equal(terraformVarFiles(undefined, ['/ws']), undefined);
    assert.equal(terraformVarFiles(['a.tfvars'], ['/ws']), undefined);
    assert.equal(terraformVarFiles({ x: 'a.tfvars' }, ['/ws']), undefined);
  });
});
