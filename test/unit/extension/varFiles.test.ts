import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { namedVarFileKeys, terraformVarFiles } from '../../../src/extension/varFiles';

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

  it('names the var files the service reads whatever the include globs say (any name, as -var-file)', () => {
    const ws = path.resolve('/ws');
    const vars = terraformVarFiles({ '.': ['terraform.tfvars-example', 'sample.json'] }, [ws]);
    assert.deepEqual([...namedVarFileKeys(vars)], [path.join(ws, 'terraform.tfvars-example'), path.join(ws, 'sample.json')]);
    assert.deepEqual([...namedVarFileKeys(undefined)], []);
    assert.deepEqual([...namedVarFileKeys({ extra: [{ name: 'a', value: 'b' }] })], []);
  });
});
