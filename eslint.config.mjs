// Lint rules of the repository (`npm run lint`, part of `npm test`). Formatting is Prettier's job
// (eslint-config-prettier turns the overlapping rules off); import cycles and layer rules are
// dependency-cruiser's (.dependency-cruiser.cjs).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries, and
// activities only as types (the workflow proxies them; their implementations run in the worker).
const workflowSandboxRules = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: builtinModules
        .flatMap((name) => [name, `node:${name}`])
        .map((name) => ({
          name,
          message: 'Workflow code is deterministic and sandboxed: Node built-ins belong in activities.',
        })),
      patterns: [
        {
          group: ['**/activities', '**/activities/**'],
          allowTypeImports: true,
          message: 'Workflows reference activities by type only (proxyActivities); import them with `import type`.',
        },
        {
          group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
          message: 'Workflow code may use @temporalio/workflow and @temporalio/common only.',
        },
        {
          group: [
            '**/libs/devstack/**',
            '**/libs/notifications/**',
            '**/libs/observability/**',
            '**/libs/settings/**',
            '**/libs/auth/**',
            '**/libs/people/**',
          ],
          allowTypeImports: true,
          message: 'This library does I/O or reads the environment; workflows may use it for types only.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      '.cluster/',
      '.temporal/',
      '.tools/',
      'libs/client/src/openapi.d.ts',
      'test/histories/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: globals.node,
    },
    rules: {
      // Unused code is removed, not kept "for later"; `_` marks a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  { files: ['workflows/**/*.ts'], ignores: ['workflows/**/*.spec.ts'], rules: workflowSandboxRules },
  {
    // Tests read arbitrary JSON answers (`body: any` in test/support/http.ts) and load modules afresh
    // with require(); production code may do neither.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain CommonJS launch scripts (run by node before anything is compiled).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
  {
    // Prettier wraps code at 120 columns but not comments; eslint-config-prettier turns max-len off, so it
    // comes back here for them. A message or an example kept whole (a string, a template, a URL) may run past.
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
);
