'use strict';
// Steps shared by `npm start` and `npm test` on a fresh clone: npm dependencies, Temporal toolchain, build.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(title, cmd, args) {
  process.stderr.write(`[bootstrap] ${title}\n`);
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`[bootstrap] failed: ${cmd} ${args.join(' ')} (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status || 1);
  }
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** `npm ci` when node_modules is missing or older than the lock file. */
function ensureDependencies() {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (mtime(installed) >= mtime(path.join(ROOT, 'package-lock.json'))) return;
  step('installing npm dependencies (npm ci)', npm, ['ci', '--no-audit', '--no-fund']);
}

function ensureTemporal() {
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', 'setup-temporal.js')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status || 1);
}

function build() {
  step('building (tsc -p tsconfig.build.json)', process.execPath, [
    path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
  ]);
}

module.exports = { ROOT, ensureDependencies, ensureTemporal, build, step };
