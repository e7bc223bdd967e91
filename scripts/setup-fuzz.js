#!/usr/bin/env node
'use strict';
// Installs schemathesis (pinned, from PyPI) into .tools/fuzz (a venv; .tools/ ignores itself with its own
// .gitignore). Idempotent: a second run only checks a stamp file. Prints the schemathesis path on stdout.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');
const VENV = path.join(TOOLS, 'fuzz');
const BIN = path.join(VENV, 'bin');
const STAMP = path.join(VENV, 'installed.json');
// Pinned: bump deliberately (the stamp makes the script reinstall). The CLI flags used by
// scripts/fuzz (run-fuzz) are those of schemathesis 4.x.
const PACKAGES = { schemathesis: '4.32.5' };
const wanted = JSON.stringify(PACKAGES);

const log = (message) => process.stderr.write(`[setup-fuzz] ${message}\n`);
const has = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const run = (cmd, args) => spawnSync(cmd, args, { stdio: ['ignore', 2, 2] }).status === 0;

function main() {
  fs.mkdirSync(TOOLS, { recursive: true });
  const ignore = path.join(TOOLS, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# project-local tool installs (scripts/setup-fuzz.js)\n*\n');
  const exe = path.join(BIN, 'schemathesis');
  if (fs.existsSync(exe) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === wanted) {
    process.stdout.write(`${exe}\n`);
    return;
  }
  const python = ['python3', 'python'].find(has);
  if (!python) {
    log('python3 is missing: install Python 3.9+ with venv and pip (Debian: apt-get install python3 python3-venv).');
    process.exit(1);
  }
  if (!fs.existsSync(path.join(BIN, 'pip'))) {
    log(`creating ${path.relative(ROOT, VENV)}`);
    fs.rmSync(VENV, { recursive: true, force: true });
    if (!run(python, ['-m', 'venv', VENV])) {
      log(`'${python} -m venv' failed: install the venv module (Debian: apt-get install python3-venv).`);
      process.exit(1);
    }
  }
  const specs = Object.entries(PACKAGES).map(([name, version]) => `${name}==${version}`);
  log(`pip install ${specs.join(' ')}`);
  if (!run(path.join(BIN, 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...specs])) {
    log('pip install failed');
    process.exit(1);
  }
  fs.writeFileSync(STAMP, wanted);
  process.stdout.write(`${exe}\n`);
}

main();
