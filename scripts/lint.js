#!/usr/bin/env node
'use strict';
// `npm run lint` (and a step of `npm test`): ESLint, Prettier's check (lines ≤ 120 characters) and
// dependency-cruiser's layer and cycle rules. `npm run lint -- --fix` applies the fixes ESLint and
// Prettier know.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const fix = process.argv.includes('--fix');
const bin = (...parts) => path.join(ROOT, 'node_modules', ...parts);
const steps = [
  ['eslint', [bin('eslint', 'bin', 'eslint.js'), '.', ...(fix ? ['--fix'] : [])]],
  ['prettier', [bin('prettier', 'bin', 'prettier.cjs'), fix ? '--write' : '--check', '--log-level', 'warn', '.']],
  [
    'dependency-cruiser',
    [
      bin('dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      '.dependency-cruiser.cjs',
      'apps',
      'workflows',
      'activities',
      'libs',
      'test',
      'bench',
      'scripts',
    ],
  ],
];
let ok = true;
for (const [name, args] of steps) {
  process.stderr.write(`[lint] ${name}\n`);
  ok = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status === 0 && ok;
}
process.exit(ok ? 0 : 1);
