import * as assert from 'assert';
import { activeExcludes, combinedExclude, globToRegExp, isAnalysed, matchesGlob, searchPatterns } from '../../../src/extension/glob';

describe('extension glob matching', () => {
  it('matches ** across any number of folders, including none', () => {
    assert.ok(matchesGlob('main.tf', '**/*.tf'));
    assert.ok(matchesGlob('envs/prod/vpc/main.tf', '**/*.tf'));
    assert.ok(!matchesGlob('main.tfvars', '**/*.tf'));
    assert.ok(!matchesGlob('main.tf.bak', '**/*.tf'));
  });

  it('keeps * and ? inside one path segment', () => {
    assert.ok(matchesGlob('a/route-tables.json', '*/route-tables*.json'));
    assert.ok(!matchesGlob('a/b/route-tables.json', '*/route-tables*.json'));
    assert.ok(matchesGlob('az-a.tf', 'az-?.tf'));
    assert.ok(!matchesGlob('az-ab.tf', 'az-?.tf'));
  });

  it('supports nested brace alternatives and character classes', () => {
    const g = '**/*.{tf,{yaml,yml}}';
    assert.ok(matchesGlob('x/a.yml', g));
    assert.ok(matchesGlob('x/a.tf', g));
    assert.ok(!matchesGlob('x/a.json', g));
    assert.ok(matchesGlob('subnet1.tf', 'subnet[0-9].tf'));
    assert.ok(!matchesGlob('subnetx.tf', 'subnet[0-9].tf'));
    assert.ok(matchesGlob('subnetx.tf', 'subnet[!0-9].tf'));
  });

  it('escapes regex metacharacters in literal parts', () => {
    assert.ok(matchesGlob('a+b.(1).tf', 'a+b.(1).tf'));
    assert.ok(!matchesGlob('aab.x1y.tf', 'a+b.(1).tf'));
    assert.strictEqual(globToRegExp('**/*.tf'), globToRegExp('**/*.tf'), 'compiled patterns are cached');
  });

  it('takes only enabled files.exclude entries and merges them with our own excludes', () => {
    const fx = { '**/.git': true, '**/.DS_Store': true, '**/build': false, '**/*.js': { when: '$(basename).ts' } };
    assert.deepStrictEqual(activeExcludes(fx), ['**/.git', '**/.DS_Store']);
    assert.strictEqual(combinedExclude(fx, ['**/node_modules/**', '**/.git']), '{**/.git,**/.DS_Store,**/node_modules/**}');
    assert.strictEqual(combinedExclude({}, ['**/x/**']), '**/x/**');
    assert.strictEqual(combinedExclude(undefined, []), undefined);
  });

  it('excludes a file when a pattern names one of its folders (files.exclude style)', () => {
    const include = ['**/*.tf', '**/*.json'];
    const exclude = ['**/.terraform', '**/node_modules/**'];
    assert.ok(isAnalysed('net/main.tf', include, exclude));
    assert.ok(!isAnalysed('net/.terraform/modules/vpc/main.tf', include, exclude));
    assert.ok(!isAnalysed('node_modules/x/package.json', include, exclude));
    assert.ok(!isAnalysed('net/readme.md', include, exclude));
    assert.ok(isAnalysed('net\\win\\main.tf', include, exclude), 'backslashes are path separators');
  });

  it('builds one findFiles search when no pattern nests braces', () => {
    assert.deepStrictEqual(searchPatterns(['**/*.tf', '**/*.json'], ['**/.git', '**/node_modules/**']), {
      include: ['{**/*.tf,**/*.json}'],
      exclude: '{**/.git,**/node_modules/**}',
    });
    assert.deepStrictEqual(searchPatterns(['**/*.tf', '**/*.{yaml,yml}'], ['**/*.{bak,tmp}', '**/.git']), {
      include: ['**/*.tf', '**/*.{yaml,yml}'],
      exclude: '**/.git',
    });
    assert.deepStrictEqual(searchPatterns(['**/*.tf'], []), { include: ['**/*.tf'], exclude: undefined });
    // The brace exclude left out of the search still applies to what the search returns.
    assert.ok(!isAnalysed('a/x.bak', ['**/*'], ['**/*.{bak,tmp}', '**/.git']));
  });
});
