// Lint: typescript-eslint's recommended rules plus the type-checked ones that find real bugs
// (floating promises, misused promises, unnecessary conditions). Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'test-output/**',
      'demo-output/**',
      'bench-output/**',
      '.vscode-test/**',
      '.hdist-*/**',
      '.hout-*/**',
      'examples/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      // The field-test scripts are linted (plain JavaScript rules, Node globals: below).
      '!scripts/field/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/field/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // TypeScript checks names itself (typescript-eslint's advice); control characters in regexes are
      // deliberate here (terminal-escape sanitising, damaged-input detection).
      'no-undef': 'off',
      'no-control-regex': 'off',
    },
  },
);
