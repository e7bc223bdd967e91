#!/usr/bin/env node
'use strict';
// `npm test` on a fresh clone: install what is missing, typecheck, lint, then unit tests (parallel)
// and Temporal-backed integration tests (serially: they start servers and workers).
// Extra arguments go to jest, e.g. `npm test -- libs/business-time`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureDependencies, ensureTemporal, ROOT } = require('./lib/bootstrap');

ensureDependencies();
ensureTemporal();

const node = process.execPath;
const bin = (pkg, file) => path.join(ROOT, 'node_modules', pkg, 'bin', file);
const extra = process.argv.slice(2);
// The linter's usage telemetry and update check stay off: tests reach no outside service.
const env = {
  ...process.env,
  TZ: process.env.TZ || 'UTC',
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
};

function run(title, args) {
  process.stderr.write(`\n[test] ${title}\n`);
  return spawnSync(node, args, { cwd: ROOT, stdio: 'inherit', env }).status === 0;
}

function jest(project, args) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sla-jest-')), 'report.json');
  const ok = run(`jest: ${project}`, [
    bin('jest', 'jest.js'),
    '--selectProjects',
    project,
    '--json',
    '--outputFile',
    report,
    ...args,
    ...extra,
  ]);
  let counts = { passed: 0, failed: ok ? 0 : 1 };
  try {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    counts = { passed: r.numPassedTests, failed: r.numFailedTests + r.numRuntimeErrorTestSuites };
  } catch {
    // jest failed before writing its report; count the project as one failure
  }
  return { ok, ...counts };
}

const typecheck = run('typecheck (tsc --noEmit)', [bin('typescript', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
// The committed OpenAPI document and client types must match the code, and the document must lint
// clean (redocly.yaml: no error, no warning).
const contract =
  run('contract: libs/client is current (npm run client:generate)', [
    path.join(ROOT, 'scripts', 'ts-run.js'),
    'scripts/generate-client.ts',
    '--check',
  ]) &&
  run('contract: redocly lint libs/client/openapi.json', [
    path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
    'lint',
    'libs/client/openapi.json',
  ]);
// ESLint, Prettier (lines ≤ 120) and dependency-cruiser (no import cycle, layer rules): scripts/lint.js.
const lint = run('lint (npm run lint)', [path.join(ROOT, 'scripts', 'lint.js')]);
const unit = jest('unit', []);
const integration = jest('integration', ['--runInBand']);

const passed = unit.passed + integration.passed;
const failed = unit.failed + integration.failed + (typecheck ? 0 : 1) + (contract ? 0 : 1) + (lint ? 0 : 1);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(typecheck && contract && lint && unit.ok && integration.ok ? 0 : 1);
